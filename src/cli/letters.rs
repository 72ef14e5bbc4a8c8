//! `impayes letters`: the batch of the day (`plan`), its files and timeline events
//! (`generate`), and its SMS/e-mail texts for the landlord's sending platform
//! (`export-messages`).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use clap::{Subcommand, ValueEnum};

use super::Context;
use crate::domain::letters::{Batch, LetterKind, Selected};
use crate::domain::money::format_eur;
use crate::letters::batch::{self, Format, Output, Setup};
use crate::store::Store;

const HELP_TEMPLATE: &str = "\
{before-help}{about}

Utilisation : {usage}

{all-args}{after-help}";

/// The `letters` subcommands.
#[derive(Debug, Subcommand)]
pub enum LettersCommand {
    /// Affiche le lot du jour : qui reçoit quel courrier, et pourquoi
    #[command(help_template = HELP_TEMPLATE)]
    Plan {
        /// Seulement ces courriers (répétable) : relance_1, relance_2, mise_en_demeure,
        /// convocation, proposition_plan, locataire_parti
        #[arg(long = "level", value_name = "COURRIER", value_parser = parse_level)]
        levels: Vec<LetterKind>,
        /// Format de sortie : table ou json (par défaut : table)
        #[arg(long, value_enum, default_value_t = PlanFormat::Table, value_name = "FORMAT",
              hide_default_value = true, hide_possible_values = true)]
        format: PlanFormat,
    },
    /// Écrit un fichier par courrier et un fichier groupé à imprimer, et enregistre les
    /// relances dans les chronologies (en une transaction)
    #[command(help_template = HELP_TEMPLATE)]
    Generate {
        /// Dossier où écrire les fichiers (créé au besoin)
        #[arg(long, value_name = "DOSSIER")]
        output: PathBuf,
        /// Format : pdf, html ou txt (par défaut : pdf)
        #[arg(long, value_enum, default_value_t = FileFormat::Pdf, value_name = "FORMAT",
              hide_default_value = true, hide_possible_values = true)]
        format: FileFormat,
        /// Écrit les fichiers sans rien enregistrer
        #[arg(long)]
        dry_run: bool,
        /// Retire ces comptes du lot (répétable)
        #[arg(long, value_name = "COMPTE", num_args = 1..)]
        exclude: Vec<String>,
        /// Seulement ces courriers (répétable)
        #[arg(long = "level", value_name = "COURRIER", value_parser = parse_level)]
        levels: Vec<LetterKind>,
        /// Génère le lot relu la veille (sortie JSON de `letters plan`) : les comptes qui ont
        /// reçu un versement depuis en sont retirés
        #[arg(long, value_name = "FICHIER")]
        from: Option<PathBuf>,
    },
    /// Exporte les SMS et courriels du lot (CSV : destinataire;texte) pour la plateforme d'envoi
    #[command(name = "export-messages", help_template = HELP_TEMPLATE)]
    ExportMessages {
        /// Fichier CSV à écrire
        #[arg(long, value_name = "FICHIER")]
        output: PathBuf,
        /// Retire ces comptes du lot (répétable)
        #[arg(long, value_name = "COMPTE", num_args = 1..)]
        exclude: Vec<String>,
        /// Seulement ces courriers (répétable)
        #[arg(long = "level", value_name = "COURRIER", value_parser = parse_level)]
        levels: Vec<LetterKind>,
        /// Enregistre aussi une relance par SMS ou courriel dans chaque chronologie
        #[arg(long)]
        record: bool,
    },
}

/// Output of `letters plan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// Tableau lisible
    Table,
    /// JSON
    Json,
}

/// File format of `letters generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileFormat {
    /// PDF A4
    Pdf,
    /// HTML imprimable
    Html,
    /// Texte
    Txt,
}

fn parse_level(s: &str) -> Result<LetterKind, String> {
    LetterKind::from_code(s).ok_or_else(|| {
        format!(
            "courrier « {s} » inconnu (possibles : {})",
            LetterKind::ALL.map(|k| k.code()).join(", ")
        )
    })
}

/// Runs a `letters` subcommand.
pub fn run(ctx: &Context, cmd: &LettersCommand) -> Result<ExitCode> {
    let setup = Setup::load(&ctx.config)?;
    let mut store = Store::open(&ctx.db)?;
    match cmd {
        LettersCommand::Plan { levels, format } => {
            let b = batch::plan(&store, &setup, ctx.today, levels)?;
            match format {
                PlanFormat::Json => outln!("{}", serde_json::to_string_pretty(&b)?),
                PlanFormat::Table => print_plan(ctx, &b),
            }
            Ok(ExitCode::SUCCESS)
        }
        LettersCommand::Generate {
            output,
            format,
            dry_run,
            exclude,
            levels,
            from,
        } => {
            let started = Instant::now();
            let selection = selection(ctx, &store, &setup, levels, exclude, from.as_ref())?;
            let format = match format {
                FileFormat::Pdf => Format::Pdf,
                FileFormat::Html => Format::Html,
                FileFormat::Txt => Format::Txt,
            };
            let out = batch::generate(
                &mut store,
                &setup,
                &selection,
                ctx.today,
                &ctx.user,
                &Output {
                    dir: output,
                    format,
                    dry_run: *dry_run,
                },
            )?;
            for (s, reason) in &out.dropped {
                outln!(
                    "Retiré : {} {} ({}) : {reason}",
                    s.account,
                    s.name,
                    s.letter.label_fr()
                );
            }
            outln!(
                "{} courrier(s) écrit(s) dans « {} » en {:.1} s",
                out.files.len(),
                output.display(),
                started.elapsed().as_secs_f64()
            );
            if let Some(c) = &out.combined {
                outln!("Fichier groupé à imprimer : {}", c.display());
            }
            if *dry_run {
                outln!("Essai (--dry-run) : aucune relance enregistrée.");
            } else {
                outln!(
                    "{} évènement(s) enregistré(s) dans les chronologies.",
                    out.recorded
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        LettersCommand::ExportMessages {
            output,
            exclude,
            levels,
            record,
        } => {
            let selection = selection(ctx, &store, &setup, levels, exclude, None)?;
            let batch::Messages {
                messages,
                unreachable,
                dropped,
            } = batch::messages(
                &mut store, &setup, &selection, ctx.today, &ctx.user, *record,
            )?;
            let file = std::fs::File::create(output)
                .with_context(|| format!("impossible d'écrire « {} »", output.display()))?;
            let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(file);
            w.write_record(["destinataire", "texte"])?;
            for m in &messages {
                w.write_record([m.to.as_str(), m.text.as_str()])?;
            }
            w.flush()?;
            for (s, reason) in &dropped {
                outln!("Retiré : {} {} : {reason}", s.account, s.name);
            }
            for s in &unreachable {
                outln!("Sans téléphone ni courriel : {} {}", s.account, s.name);
            }
            outln!(
                "{} message(s) écrit(s) dans « {} »",
                messages.len(),
                output.display()
            );
            if *record {
                outln!("Relances par SMS ou courriel enregistrées dans les chronologies.");
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The batch to generate: a reviewed plan file, or today's selection; less the exclusions.
fn selection(
    ctx: &Context,
    store: &Store,
    setup: &Setup,
    levels: &[LetterKind],
    exclude: &[String],
    from: Option<&PathBuf>,
) -> Result<Vec<Selected>> {
    let mut letters = match from {
        Some(path) => {
            #[derive(serde::Deserialize)]
            struct Plan {
                letters: Vec<Selected>,
            }
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("lecture impossible de « {} »", path.display()))?;
            let plan: Plan = serde_json::from_str(&text).with_context(|| {
                format!(
                    "« {} » n'est pas un lot de `impayes letters plan --format json`",
                    path.display()
                )
            })?;
            plan.letters
                .into_iter()
                .filter(|s| levels.is_empty() || levels.contains(&s.letter))
                .collect()
        }
        None => batch::plan(store, setup, ctx.today, levels)?.letters,
    };
    for a in exclude {
        let before = letters.len();
        letters.retain(|s| s.account != a.trim());
        if letters.len() == before {
            bail!("le compte « {a} » n'est pas dans le lot : rien n'a été écrit");
        }
    }
    Ok(letters)
}

fn print_plan(ctx: &Context, b: &Batch) {
    let mut counts: BTreeMap<usize, (LetterKind, usize)> = BTreeMap::new();
    for s in &b.letters {
        let i = LetterKind::ALL
            .iter()
            .position(|k| *k == s.letter)
            .unwrap_or(0);
        counts.entry(i).or_insert((s.letter, 0)).1 += 1;
    }
    let total: rust_decimal::Decimal = b.letters.iter().map(|s| s.debt).sum();
    outln!(
        "Lot du {} : {} courrier(s), dette totale {}",
        crate::domain::dates::format_fr(ctx.today),
        b.letters.len(),
        format_eur(total)
    );
    for (kind, n) in counts.values() {
        outln!("  {:<32} {n:>5}", kind.label_fr());
    }
    if !b.letters.is_empty() {
        outln!("");
        outln!(
            "{:<12}  {:<28}  {:<20}  Motif",
            "Compte",
            "Ménage",
            "Courrier"
        );
        for s in &b.letters {
            outln!(
                "{:<12}  {:<28}  {:<20}  {}",
                s.account,
                cut(&s.name, 28),
                cut(s.letter.label_fr(), 20),
                s.reason
            );
        }
    }
    if !b.excluded.is_empty() {
        outln!("");
        outln!("Écartés ({}) :", b.excluded.len());
        for e in &b.excluded {
            outln!(
                "{:<12}  {:<28}  {:<20}  {}",
                e.account,
                cut(&e.name, 28),
                cut(e.letter.label_fr(), 20),
                e.reason
            );
        }
    }
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}
