//! Team commands: `audit`, `staff add|list|set-role`, `backup`, `purge`.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Subcommand, ValueEnum};

use super::Context;
use crate::domain::audit::{Access, AuditFilter};
use crate::domain::household::{Role, Staff};
use crate::domain::inert::{inert, inert_field};
use crate::store::{self, Store};

/// Formats of the team commands' output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Tableau lisible
    Table,
    /// JSON
    Json,
}

/// Options of `impayes audit`.
#[derive(Debug, Clone, clap::Args)]
pub struct AuditArgs {
    /// Seulement les modifications de ce compte (ménage, dossiers, évènements, plans)
    #[arg(long = "dossier", value_name = "COMPTE")]
    pub account: Option<String>,
    /// Seulement les modifications de cet utilisateur (--user est l'utilisateur qui lance la
    /// commande, commun à toutes)
    #[arg(long = "by", visible_alias = "utilisateur", value_name = "LOGIN")]
    pub login: Option<String>,
    /// Nombre maximal de lignes, les plus récentes d'abord (par défaut : 200)
    #[arg(
        long,
        default_value_t = 200,
        value_name = "N",
        hide_default_value = true
    )]
    pub limit: i64,
    /// Format de sortie : table ou json (par défaut : table)
    #[arg(long, value_enum, default_value_t = TableFormat::Table, value_name = "FORMAT",
          hide_default_value = true, hide_possible_values = true)]
    pub format: TableFormat,
}

/// What `impayes staff` does.
#[derive(Debug, Subcommand)]
pub enum StaffWhat {
    /// Ajoute un membre de l'équipe
    Add {
        /// Identifiant (login)
        #[arg(value_name = "LOGIN")]
        login: String,
        /// Prénom et nom
        #[arg(long, value_name = "NOM")]
        name: String,
        /// Rôle : cesf, amiable, contentieux, manager, admin
        #[arg(long, value_name = "RÔLE", value_parser = parse_role)]
        role: Role,
        /// Secteur couvert (répétable ; aucun : tous)
        #[arg(long, value_name = "CODE")]
        sector: Vec<String>,
        /// Ligne directe
        #[arg(long, value_name = "TÉL")]
        phone: Option<String>,
    },
    /// Liste l'équipe
    List {
        /// Format de sortie : table ou json (par défaut : table)
        #[arg(long, value_enum, default_value_t = TableFormat::Table, value_name = "FORMAT",
              hide_default_value = true, hide_possible_values = true)]
        format: TableFormat,
    },
    /// Change le rôle d'un membre de l'équipe
    SetRole {
        /// Identifiant (login)
        #[arg(value_name = "LOGIN")]
        login: String,
        /// Rôle : cesf, amiable, contentieux, manager, admin
        #[arg(value_name = "RÔLE", value_parser = parse_role)]
        role: Role,
    },
}

/// Options of `impayes purge`.
#[derive(Debug, Clone, clap::Args)]
pub struct PurgeArgs {
    /// Affiche ce qui serait supprimé, sans rien supprimer
    #[arg(long)]
    pub dry_run: bool,
    /// Supprime sans demander de confirmation
    #[arg(long)]
    pub yes: bool,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse_fr(s).ok_or_else(|| {
        format!("rôle « {s} » inconnu (attendu : cesf, amiable, contentieux, manager, admin)")
    })
}

/// Refuses a management command (staff, purge) to anyone but a manager or an admin (or the
/// first user of a database without staff).
fn require_manager(store: &Store, login: &str, what: &str) -> Result<()> {
    match store::access(store.conn(), login)? {
        Access::Setup | Access::Staff(Role::Manager | Role::Admin) => Ok(()),
        Access::Staff(role) => bail!(
            "{what} est réservé aux responsables et administrateurs ; « {login} » est {}",
            role.label_fr()
        ),
        Access::ReadOnly => {
            store::require_write(store.conn(), login)?;
            Ok(())
        }
    }
}

fn open_as(ctx: &Context) -> Result<Store> {
    let mut store = Store::open(&ctx.db)?;
    store.set_actor(Some(&ctx.user))?;
    Ok(store)
}

/// Runs `impayes audit`.
pub fn audit(ctx: &Context, args: &AuditArgs) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    if let Some(account) = &args.account
        && store::household_id(store.conn(), account)?.is_none()
    {
        return Err(store::StoreError::UnknownAccount(account.clone()).into());
    }
    let rows = store::audit_log(
        store.conn(),
        &AuditFilter {
            account: args.account.clone(),
            login: args.login.clone(),
            limit: Some(args.limit.max(1)),
        },
    )?;
    if args.format == TableFormat::Json {
        outln!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        outln!("Aucune modification enregistrée pour ces critères.");
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{:<20}  {:<12}  {:<13}  {:<16}  {:<11}  Changements",
        "Date (UTC)",
        "Utilisateur",
        "Action",
        "Objet",
        "Compte"
    );
    for r in &rows {
        let object = match r.entity_id {
            Some(id) => format!("{} {id}", r.entity),
            None => r.entity.clone(),
        };
        let changes = r.changes().join(" ; ");
        outln!(
            "{:<20}  {:<12}  {:<13}  {:<16}  {:<11}  {}",
            inert(&r.at, 20),
            inert(&r.login, 12),
            r.action_fr(),
            object,
            inert(r.account.as_deref().unwrap_or("—"), 11),
            inert(&changes, 160)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `impayes staff …`.
pub fn staff(ctx: &Context, what: StaffWhat) -> Result<ExitCode> {
    match what {
        StaffWhat::List { format } => {
            let store = Store::open(&ctx.db)?;
            let staff = store::staff(store.conn())?;
            if format == TableFormat::Json {
                outln!("{}", serde_json::to_string_pretty(&staff)?);
                return Ok(ExitCode::SUCCESS);
            }
            if staff.is_empty() {
                outln!(
                    "Aucun membre de l'équipe : ajoutez-en avec `impayes staff add LOGIN --name … --role …`."
                );
            }
            for s in &staff {
                outln!(
                    "{:<12}  {:<28}  {:<22}  {}",
                    inert(&s.login, 12),
                    inert(&s.full_name, 28),
                    s.role.label_fr(),
                    if s.sectors.is_empty() {
                        "tous secteurs".to_string()
                    } else {
                        inert_field(&s.sectors.join(", ")).into_owned()
                    }
                );
            }
        }
        StaffWhat::Add {
            login,
            name,
            role,
            sector,
            phone,
        } => {
            if login.trim().is_empty() || login.chars().any(char::is_whitespace) {
                bail!("identifiant « {login} » invalide : un mot sans espace");
            }
            let mut store = open_as(ctx)?;
            require_manager(&store, &ctx.user, "La gestion de l'équipe")?;
            let member = Staff {
                login: login.clone(),
                full_name: name.trim().to_string(),
                role,
                sectors: sector,
                phone,
            };
            store.write(|c| store::add_staff(c, &member))?;
            outln!(
                "{} ({}) ajouté(e) à l'équipe : {}",
                inert_field(&member.full_name),
                inert_field(&login),
                role.label_fr()
            );
        }
        StaffWhat::SetRole { login, role } => {
            let mut store = open_as(ctx)?;
            require_manager(&store, &ctx.user, "La gestion de l'équipe")?;
            store.write(|c| store::set_role(c, &login, role))?;
            outln!("{} : {}", inert_field(&login), role.label_fr());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `impayes backup FILE`.
pub fn backup(ctx: &Context, file: &Path) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    let started = std::time::Instant::now();
    store.backup_to(file)?;
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    outln!(
        "Copie écrite : {} ({} Mo, {} s)",
        file.display(),
        super::units::mo(size),
        super::units::secs(started.elapsed())
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `impayes purge`.
pub fn purge(ctx: &Context, args: &PurgeArgs) -> Result<ExitCode> {
    let mut store = open_as(ctx)?;
    if !args.dry_run {
        require_manager(&store, &ctx.user, "La purge")?;
    }
    let rules = ctx.config.retention;
    let cut = rules.cutoffs(ctx.today);
    let plan = store::purge_plan(store.conn(), &cut)?;
    let fr = crate::domain::dates::format_fr;
    outln!(
        "Règles : dossiers amiables clos depuis {} an(s) (au plus tard le {}), dossiers passés au contentieux clos depuis {} an(s) (au plus tard le {}), notes sociales {} mois après la clôture (au plus tard le {}).",
        rules.amicable_years,
        fr(cut.amicable_closed_by),
        rules.litigation_years,
        fr(cut.litigation_closed_by),
        rules.social_notes_months,
        fr(cut.notes_closed_by)
    );
    for (id, account, closed, court) in &plan.dossiers {
        outln!(
            "  dossier {id} du compte {} clos le {}{} : supprimé avec sa chronologie et ses plans",
            inert_field(account),
            fr(*closed),
            if *court { " (contentieux)" } else { "" }
        );
    }
    for (id, account, closed) in &plan.notes {
        outln!(
            "  note sociale {id} du compte {} (suivi clos le {}) : supprimée",
            inert_field(account),
            fr(*closed)
        );
    }
    outln!(
        "À supprimer : {} dossier(s), {} note(s) sociale(s). Les ménages et leurs comptes sont conservés.",
        plan.dossiers.len(),
        plan.notes.len()
    );
    if args.dry_run || (plan.dossiers.is_empty() && plan.notes.is_empty()) {
        if args.dry_run {
            outln!("Simulation : rien n'a été supprimé.");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            bail!(
                "suppression non confirmée : relancez avec --yes pour supprimer, ou --dry-run pour seulement voir"
            );
        }
        out!("Supprimer définitivement ces données ? [o/N] ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(
            answer.trim(),
            "o" | "O" | "oui" | "Oui" | "OUI" | "y" | "yes"
        ) {
            outln!("Rien n'a été supprimé.");
            return Ok(ExitCode::SUCCESS);
        }
    }
    let user = ctx.user.clone();
    // Not row by row: the audit must not keep a copy of what is deleted.
    store.without_audit(&ctx.user, |s| {
        s.write(|c| store::purge_apply(c, &plan, &user))
    })?;
    outln!(
        "Supprimé : {} dossier(s), {} note(s) sociale(s) ; la purge est inscrite au journal d'audit.",
        plan.dossiers.len(),
        plan.notes.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Runs `impayes share-note ID`.
pub fn share_note(ctx: &Context, event: i64) -> Result<ExitCode> {
    let mut store = open_as(ctx)?;
    let stamp = store::Stamp::now(&ctx.user);
    store.write(|c| store::share_note(c, event, &ctx.user, &stamp.at))?;
    outln!(
        "Note {event} partagée : les membres de l'équipe la lisent désormais (l'audit le garde)."
    );
    Ok(ExitCode::SUCCESS)
}
