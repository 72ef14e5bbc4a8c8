//! `impayes review …`: the monthly review from the shell: create a meeting with its proposed
//! agenda, list and show meetings, add or remove a dossier, record a decision, close, and
//! write the minutes.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};

use super::Context;
use super::review_minutes::{MinutesData, render_html, render_markdown};
use crate::domain::dates::{format_fr, parse_date};
use crate::domain::money::format_eur;
use crate::domain::review::{DecisionKind, ReviewItem, ReviewStatus};
use crate::store::{self, NewAction, Stamp, Store};

const HELP_TEMPLATE: &str = "\
{before-help}{about}

Utilisation : {usage}

{all-args}{after-help}";

/// What `impayes review` does.
#[derive(Debug, Subcommand)]
pub enum ReviewCmd {
    /// Crée la réunion d'une date et propose son ordre du jour, avec les motifs
    #[command(help_template = HELP_TEMPLATE)]
    New {
        /// Date de la réunion (AAAA-MM-JJ ; par défaut : --today)
        #[arg(long, value_name = "DATE", value_parser = parse_cli_date)]
        date: Option<NaiveDate>,
        /// Participants, séparés par des virgules (par défaut : l'utilisateur)
        #[arg(long, value_name = "LISTE")]
        attendees: Option<String>,
    },
    /// Liste les réunions
    #[command(help_template = HELP_TEMPLATE)]
    List,
    /// Affiche une réunion : participants, ordre du jour, motifs, décisions
    #[command(help_template = HELP_TEMPLATE)]
    Show {
        /// Numéro de la réunion
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Ajoute un dossier à l'ordre du jour
    #[command(help_template = HELP_TEMPLATE)]
    Add {
        /// Numéro de la réunion
        #[arg(value_name = "ID")]
        id: i64,
        /// Numéro de compte
        #[arg(value_name = "COMPTE")]
        account: String,
        /// Pourquoi
        #[arg(long, value_name = "TEXTE")]
        reason: Option<String>,
    },
    /// Retire un dossier de l'ordre du jour
    #[command(help_template = HELP_TEMPLATE)]
    Remove {
        /// Numéro de la réunion
        #[arg(value_name = "ID")]
        id: i64,
        /// Numéro de compte
        #[arg(value_name = "COMPTE")]
        account: String,
    },
    /// Enregistre la décision sur un dossier et ses actions
    #[command(help_template = HELP_TEMPLATE)]
    Decide {
        /// Numéro de la réunion
        #[arg(value_name = "ID")]
        id: i64,
        /// Numéro de compte
        #[arg(value_name = "COMPTE")]
        account: String,
        /// Décision : maintain-follow-up, propose-plan, cesf-visit, fsl-file, payment-order,
        /// summons, police-request, close, other
        #[arg(long, value_enum, value_name = "DECISION")]
        decision: DecisionArg,
        /// Texte de la décision
        #[arg(long, value_name = "TEXTE", default_value = "")]
        text: String,
        /// Action « login;quoi;AAAA-MM-JJ » (option répétable)
        #[arg(long = "action", value_name = "ACTION")]
        actions: Vec<String>,
    },
    /// Remplace la liste des participants
    #[command(help_template = HELP_TEMPLATE)]
    Attendees {
        /// Numéro de la réunion
        #[arg(value_name = "ID")]
        id: i64,
        /// Participants, séparés par des virgules
        #[arg(value_name = "LISTE")]
        list: String,
    },
    /// Clôt la réunion : elle ne peut plus être modifiée
    #[command(help_template = HELP_TEMPLATE)]
    Close {
        /// Numéro de la réunion
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Écrit le compte rendu (Markdown ou HTML imprimable en A4)
    #[command(help_template = HELP_TEMPLATE)]
    Minutes {
        /// Numéro de la réunion
        #[arg(value_name = "ID")]
        id: i64,
        /// Format : md ou html (par défaut : md)
        #[arg(long, value_enum, default_value_t = MinutesFormat::Md, value_name = "FORMAT",
              hide_default_value = true, hide_possible_values = true)]
        format: MinutesFormat,
        /// Fichier à écrire (par défaut : la sortie standard)
        #[arg(long, short = 'o', value_name = "FICHIER")]
        output: Option<PathBuf>,
    },
}

/// Formats of the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinutesFormat {
    /// Markdown
    Md,
    /// HTML imprimable (A4)
    Html,
}

/// The decision quick choices on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecisionArg {
    /// Maintenir le suivi
    MaintainFollowUp,
    /// Proposer un plan d'apurement
    ProposePlan,
    /// Visite CESF
    CesfVisit,
    /// Dossier FSL
    FslFile,
    /// Commandement de payer
    PaymentOrder,
    /// Assignation
    Summons,
    /// Demande de concours de la force publique
    PoliceRequest,
    /// Clôturer le dossier
    Close,
    /// Autre décision
    Other,
}

impl DecisionArg {
    fn kind(self) -> DecisionKind {
        match self {
            DecisionArg::MaintainFollowUp => DecisionKind::MaintainFollowUp,
            DecisionArg::ProposePlan => DecisionKind::ProposePlan,
            DecisionArg::CesfVisit => DecisionKind::CesfVisit,
            DecisionArg::FslFile => DecisionKind::FslFile,
            DecisionArg::PaymentOrder => DecisionKind::PaymentOrder,
            DecisionArg::Summons => DecisionKind::Summons,
            DecisionArg::PoliceRequest => DecisionKind::PoliceRequest,
            DecisionArg::Close => DecisionKind::Close,
            DecisionArg::Other => DecisionKind::Other,
        }
    }
}

fn parse_cli_date(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).ok_or_else(|| {
        format!("« {s} » n'est pas une date valide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    })
}

fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses `login;what;date` actions, naming the faulty one.
fn parse_action(text: &str) -> Result<NewAction> {
    let parts: Vec<&str> = text.splitn(3, ';').map(str::trim).collect();
    let [assignee, what, due] = parts.as_slice() else {
        anyhow::bail!("action « {text} » : attendu « login;quoi;AAAA-MM-JJ »");
    };
    let due_on =
        parse_date(due).with_context(|| format!("action « {text} » : date « {due} » invalide"))?;
    if assignee.is_empty() || what.is_empty() {
        anyhow::bail!("action « {text} » : il faut un responsable et ce qu'il doit faire");
    }
    Ok(NewAction {
        assignee: assignee.to_string(),
        what: what.to_string(),
        due_on,
    })
}

/// Runs `impayes review …`.
pub fn run(ctx: &Context, cmd: ReviewCmd) -> Result<ExitCode> {
    let mut store = Store::open(&ctx.db)?;
    let stamp = Stamp::now(&ctx.user);
    let order = ctx.config.review.order.clone();
    match cmd {
        ReviewCmd::New { date, attendees } => {
            let day = date.unwrap_or(ctx.today);
            let attendees = attendees
                .map(|a| split_list(&a))
                .unwrap_or_else(|| vec![ctx.user.clone()]);
            let rules = crate::config::load_rules()?;
            let started = Instant::now();
            let built = store.write(|conn| {
                store::build_review(conn, day, &attendees, &ctx.config.review, &rules, &stamp)
            })?;
            let elapsed = started.elapsed();
            let r = store::review(store.conn(), built.review_id)?;
            let items = store::review_items(store.conn(), built.review_id, false)?;
            outln!(
                "Réunion n° {} du {} créée : {} dossier(s) proposé(s) sur {} dossiers ouverts examinés ({}), en {:.1} s.",
                r.id,
                format_fr(r.date),
                built.items,
                built.examined,
                match built.last_review {
                    Some(d) => format!("depuis la réunion du {}", format_fr(d)),
                    None => "première réunion".to_string(),
                },
                elapsed.as_secs_f64()
            );
            if built.left_aside > 0 {
                outln!(
                    "{} autre(s) dossier(s) relevaient d'un motif, de moindre priorité : laissés de côté (max_items = {} dans [review] de la configuration).",
                    built.left_aside,
                    ctx.config.review.max_items
                );
            }
            out!("{}", agenda_text(&items));
        }
        ReviewCmd::List => {
            let all = store::reviews(store.conn())?;
            if all.is_empty() {
                outln!("Aucune réunion. Créez la prochaine : impayes review new --date AAAA-MM-JJ");
            }
            for s in all {
                outln!(
                    "{}\t{}\t{}\t{} dossier(s)\t{} décision(s)\t{}",
                    s.review.id,
                    format_fr(s.review.date),
                    s.review.status.label_fr(),
                    s.items,
                    s.decided,
                    s.review.attendees.join(", ")
                );
            }
        }
        ReviewCmd::Show { id } => {
            let r = store::review(store.conn(), id)?;
            let items = store::review_items(store.conn(), id, true)?;
            let actions = store::review_actions(store.conn(), id)?;
            outln!("{} (n° {}) — {}", r.title_fr(), r.id, r.status.label_fr());
            outln!("Participants : {}", r.attendees.join(", "));
            let mut o = agenda_text(
                &items
                    .iter()
                    .filter(|i| !i.removed)
                    .cloned()
                    .collect::<Vec<_>>(),
            );
            for i in items
                .iter()
                .filter(|i| i.decision.is_some() || actions.contains_key(&i.id))
            {
                if let Some(d) = &i.decision {
                    let _ = writeln!(o, "Décision {} : {}", i.account, d.summary_fr());
                }
                for a in actions.get(&i.id).into_iter().flatten() {
                    let _ = writeln!(
                        o,
                        "  Action : {} — {} pour le {}{}",
                        a.assignee,
                        a.what,
                        format_fr(a.due_on),
                        if a.is_open() { "" } else { " (faite)" }
                    );
                }
            }
            let removed: Vec<&ReviewItem> = items.iter().filter(|i| i.removed).collect();
            if !removed.is_empty() {
                let list: Vec<&str> = removed.iter().map(|i| i.account.as_str()).collect();
                let _ = writeln!(o, "Retirés de l'ordre du jour : {}", list.join(", "));
            }
            out!("{o}");
        }
        ReviewCmd::Add {
            id,
            account,
            reason,
        } => {
            let h = store::household_by_account(store.conn(), &account)?;
            let file = store::household_file(store.conn(), h.id)?;
            let r = store::review(store.conn(), id)?;
            let s = file.summary(r.date);
            store.write(|conn| {
                store::add_item(
                    conn,
                    id,
                    &account,
                    reason.as_deref(),
                    s.balance,
                    s.months_of_arrears,
                    &order,
                    &stamp,
                )
            })?;
            let pos = store::review_items(store.conn(), id, false)?
                .into_iter()
                .find(|i| i.account == h.account)
                .map(|i| i.position)
                .unwrap_or(0);
            outln!(
                "{} ({}) ajouté à l'ordre du jour du {}, point {pos}.",
                h.account,
                h.names(),
                format_fr(r.date)
            );
        }
        ReviewCmd::Remove { id, account } => {
            store.write(|conn| store::remove_item(conn, id, &account))?;
            outln!("{} retiré de l'ordre du jour.", account.trim());
        }
        ReviewCmd::Decide {
            id,
            account,
            decision,
            text,
            actions,
        } => {
            let actions = actions
                .iter()
                .map(|a| parse_action(a))
                .collect::<Result<Vec<_>>>()?;
            let item = store::review_items(store.conn(), id, false)?
                .into_iter()
                .find(|i| i.account == account.trim())
                .with_context(|| {
                    format!(
                        "le compte {} n'est pas à l'ordre du jour de cette réunion",
                        account.trim()
                    )
                })?;
            store.write(|conn| {
                store::record_decision(conn, item.id, decision.kind(), &text, &actions, &stamp)
            })?;
            outln!(
                "Décision enregistrée pour {} : {} ; {} action(s).",
                item.account,
                decision.kind().label_fr(),
                actions.len()
            );
        }
        ReviewCmd::Attendees { id, list } => {
            let list = split_list(&list);
            store.write(|conn| store::set_attendees(conn, id, &list))?;
            outln!("Participants : {}", list.join(", "));
        }
        ReviewCmd::Close { id } => {
            store.write(|conn| store::close_review(conn, id, &stamp))?;
            let r = store::review(store.conn(), id)?;
            outln!(
                "{} close : elle ne peut plus être modifiée. Compte rendu : impayes review minutes {id} --format html --output compte-rendu.html",
                r.title_fr()
            );
        }
        ReviewCmd::Minutes { id, format, output } => {
            let data = MinutesData::load(store.conn(), id)?;
            let text = match format {
                MinutesFormat::Md => render_markdown(&data),
                MinutesFormat::Html => render_html(&data),
            };
            match output {
                Some(path) => {
                    std::fs::write(&path, text).with_context(|| {
                        format!("écriture impossible de « {} »", path.display())
                    })?;
                    outln!("Compte rendu écrit dans « {} ».", path.display());
                }
                None => out!("{text}"),
            }
            if data.review.status == ReviewStatus::Open {
                eprintln!(
                    "impayes : attention, la réunion n'est pas close : ce compte rendu est provisoire"
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The agenda as numbered French lines, each with its reasons.
pub fn agenda_text(items: &[ReviewItem]) -> String {
    let mut o = String::new();
    for i in items {
        let _ = writeln!(
            o,
            "{:>3}. {} {} — secteur {} · {} · dette {}{}",
            i.position,
            i.account,
            i.name,
            if i.sector.is_empty() {
                "—"
            } else {
                &i.sector
            },
            i.referent.as_deref().unwrap_or("sans référent"),
            format_eur(i.debt),
            i.months
                .map(|m| format!(" ({} mois)", m.to_string().replace('.', ",")))
                .unwrap_or_default()
        );
        for r in &i.reasons {
            let _ = writeln!(o, "       • {}", r.text);
        }
    }
    o
}
