//! Command-line arguments, with French help and French error sentences.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Parser, Subcommand, ValueEnum};

use crate::domain::import_rules::TextEncoding;

const HELP_TEMPLATE: &str = "\
{before-help}{about}

Utilisation : {usage}

{all-args}{after-help}";

/// impayes — poste de travail du service prévention et gestion des impayés.
#[derive(Debug, Parser)]
#[command(
    name = "impayes",
    version,
    about = "impayes — poste de travail du service prévention et gestion des impayés",
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Commandes",
    next_help_heading = "Options"
)]
pub struct Cli {
    /// Base de données SQLite (par défaut : ~/.local/share/impayes/impayes.sqlite3)
    #[arg(long, global = true, env = "IMPAYES_DB", value_name = "CHEMIN")]
    pub db: Option<PathBuf>,

    /// Identifiant de l'utilisateur, enregistré avec chaque modification (par défaut : le login)
    #[arg(long, global = true, value_name = "NOM")]
    pub user: Option<String>,

    /// Date du jour à utiliser (AAAA-MM-JJ), pour des résultats reproductibles
    #[arg(long, global = true, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<NaiveDate>,

    /// Thème du poste de travail : sombre, clair, contraste, mono
    #[arg(long, global = true, value_name = "NOM")]
    pub theme: Option<String>,

    /// Crée les nouvelles bases lisibles et modifiables par le groupe Unix (droits 0660 au lieu de 0600)
    #[arg(long, global = true)]
    pub group: bool,

    /// Ouvre le poste de travail sur la base de démonstration (créée à la première utilisation)
    #[arg(long)]
    pub demo: bool,

    /// Affiche cette aide
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,

    /// Affiche la version
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,

    /// Sans commande : ouvre le poste de travail
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crée une base vide (refuse d'écraser une base existante)
    #[command(help_template = HELP_TEMPLATE)]
    Init,
    /// Écrit une base de démonstration simulant trois ans d'activité
    #[command(help_template = HELP_TEMPLATE)]
    Demo {
        /// Nombre de ménages (par défaut : 20 000)
        #[arg(long, default_value_t = 20_000, value_name = "N", hide_default_value = true,
              value_parser = clap::value_parser!(u32).range(1..=2_000_000))]
        households: u32,
        /// Graine du générateur : la même graine donne la même base (par défaut : 1)
        #[arg(long, default_value_t = 1, value_name = "S", hide_default_value = true)]
        seed: u64,
        /// Mois simulés avant aujourd'hui, de 12 à 240 (par défaut : 48)
        #[arg(long, default_value_t = crate::demo::SIMULATED_MONTHS, value_name = "M",
              hide_default_value = true, value_parser = clap::value_parser!(i32).range(12..=240))]
        months: i32,
        /// Remplace la base si elle existe
        #[arg(long)]
        force: bool,
    },
    /// Recherche approchée d'un ménage (compte, noms, adresse, téléphone)
    #[command(help_template = HELP_TEMPLATE)]
    Search {
        /// Texte recherché, sans souci des accents ni des majuscules
        #[arg(value_name = "RECHERCHE")]
        query: String,
        /// Nombre maximal de résultats (par défaut : 20)
        #[arg(
            long,
            default_value_t = 20,
            value_name = "N",
            hide_default_value = true
        )]
        limit: usize,
        /// Format de sortie : tsv ou json (par défaut : tsv)
        #[arg(long, value_enum, default_value_t = OutputFormat::Tsv, value_name = "FORMAT",
              hide_default_value = true, hide_possible_values = true)]
        format: OutputFormat,
    },
    /// Affiche un ménage : dossier, compte, ancienneté de la dette, chronologie
    #[command(help_template = HELP_TEMPLATE)]
    Show {
        /// Numéro de compte
        #[arg(value_name = "COMPTE")]
        account: String,
        /// Format de sortie : text ou json (par défaut : text)
        #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT",
              hide_default_value = true, hide_possible_values = true)]
        format: OutputFormat,
    },
    /// Importe des données de la comptabilité : `import accounts FICHIER`
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Données")]
    Import {
        /// Ce qui est importé
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Exporte des données : `export accounts`
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Données")]
    Export {
        /// Ce qui est exporté
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Calendrier des jours fériés : `calendar holidays --year 2027`
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Calendriers")]
    Calendar {
        /// Ce qui est affiché
        #[command(subcommand)]
        what: CalendarWhat,
    },
    /// Calcule un délai légal : `deadline payment-order --from 2026-03-02 --lease-date 2024-01-15`
    #[command(help_template = HELP_TEMPLATE)]
    Deadline(DeadlineArgs),
    /// Réunion mensuelle : ordre du jour, décisions, compte rendu (`review new --date …`)
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Réunion")]
    Review {
        /// Ce qui est fait
        #[command(subcommand)]
        what: super::review::ReviewCmd,
    },
    /// Ce qu'un agent doit faire (actions, prochaines actions, délais légaux), pour --user
    /// (« --user tous » : tout le service)
    #[command(help_template = HELP_TEMPLATE)]
    Actions(super::actions::ActionsArgs),
    /// Chiffres de l'activité (relances, plans, commandements, dette…) : `stats --year 2025`
    #[command(help_template = HELP_TEMPLATE)]
    Stats(super::stats::StatsArgs),
    /// Vérifie la base : intégrité, clés étrangères, version du schéma, soldes
    #[command(help_template = HELP_TEMPLATE)]
    Check {
        /// Format de sortie : text ou json (par défaut : text)
        #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT",
              hide_default_value = true, hide_possible_values = true)]
        format: OutputFormat,
    },
    /// Mesure les temps de réponse sur la base (démarrage, recherche, portefeuille, import…)
    #[command(help_template = HELP_TEMPLATE)]
    Bench(BenchArgs),
    /// Journal d'audit : qui a modifié quoi et quand
    #[command(help_template = HELP_TEMPLATE)]
    Audit(super::team::AuditArgs),
    /// Équipe : `staff add LOGIN --name … --role …`, `staff list`, `staff set-role LOGIN RÔLE`
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Équipe")]
    Staff {
        /// Ce qui est fait
        #[command(subcommand)]
        what: super::team::StaffWhat,
    },
    /// Copie la base pendant que d'autres y travaillent : `backup FICHIER`
    #[command(help_template = HELP_TEMPLATE)]
    Backup {
        /// Fichier de la copie (ne doit pas exister)
        #[arg(value_name = "FICHIER")]
        file: PathBuf,
    },
    /// Regroupe les écritures importées, réécrit une base ancienne en grandes pages, rend la place libre
    #[command(help_template = HELP_TEMPLATE)]
    Compact,
    /// Supprime les données dont la durée de conservation est dépassée (CNIL)
    #[command(help_template = HELP_TEMPLATE)]
    Purge(super::team::PurgeArgs),
    /// Partage une note sociale confidentielle avec l'équipe (CESF) : `share-note ID`
    #[command(help_template = HELP_TEMPLATE)]
    ShareNote {
        /// Numéro de l'évènement (champ « id » de `show COMPTE --format json`)
        #[arg(value_name = "ID")]
        event: i64,
    },
    /// Courriers par lots : `letters plan`, `letters generate`, `letters export-messages`
    #[command(help_template = HELP_TEMPLATE, subcommand_help_heading = "Courriers")]
    Letters {
        /// Ce qui est fait
        #[command(subcommand)]
        what: super::letters::LettersCommand,
    },
}

/// Options of `impayes bench`.
#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Nombre de noms tapés et de dossiers ouverts (par défaut : 50)
    #[arg(
        long,
        default_value_t = 50,
        value_name = "N",
        hide_default_value = true
    )]
    pub samples: usize,
    /// Lignes du fichier CSV importé (à blanc, puis dans une copie de la base) ; 0 : pas de mesure d'import (par défaut : 200 000)
    #[arg(
        long,
        default_value_t = 200_000,
        value_name = "N",
        hide_default_value = true
    )]
    pub import_lines: usize,
    /// Tableau Markdown (pour benches/RESULTS.md)
    #[arg(long)]
    pub markdown: bool,
    /// Seulement les mesures du poste (démarrage, recherche, portefeuille, dossier, mémoire)
    #[arg(long)]
    pub workstation: bool,
    /// Seulement la mesure de l'import CSV (et de la détection qui le suit)
    #[arg(long, conflicts_with = "workstation")]
    pub import_only: bool,
}

/// What `impayes calendar` shows.
#[derive(Debug, Subcommand)]
pub enum CalendarWhat {
    /// Jours fériés d'une année (date, nom)
    #[command(help_template = HELP_TEMPLATE)]
    Holidays(HolidaysArgs),
}

/// Options of `impayes calendar holidays`.
#[derive(Debug, Clone, clap::Args)]
pub struct HolidaysArgs {
    /// Année (AAAA)
    #[arg(long, value_name = "AAAA", value_parser = clap::value_parser!(i32).range(1583..=9999))]
    pub year: i32,
    /// Zone : metropole ou alsace-moselle (par défaut : metropole)
    #[arg(long, value_enum, default_value_t = ZoneArg::Metropole, value_name = "ZONE",
          hide_default_value = true, hide_possible_values = true)]
    pub zone: ZoneArg,
    /// Format de sortie : csv ou json (par défaut : csv)
    #[arg(long, value_enum, default_value_t = ListFormat::Csv, value_name = "FORMAT",
          hide_default_value = true, hide_possible_values = true)]
    pub format: ListFormat,
}

/// Holiday zones on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ZoneArg {
    /// France métropolitaine hors Alsace-Moselle
    Metropole,
    /// Bas-Rhin, Haut-Rhin, Moselle (Vendredi saint, 26 décembre)
    AlsaceMoselle,
}

impl ZoneArg {
    /// The domain zone.
    pub fn zone(self) -> crate::domain::calendar::Zone {
        match self {
            ZoneArg::Metropole => crate::domain::calendar::Zone::Metropole,
            ZoneArg::AlsaceMoselle => crate::domain::calendar::Zone::AlsaceMoselle,
        }
    }
}

/// Formats of lists for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Valeurs séparées par des points-virgules
    Csv,
    /// JSON
    Json,
}

/// Options of `impayes deadline`.
#[derive(Debug, Clone, clap::Args)]
pub struct DeadlineArgs {
    /// Étape : payment-order, ccapex, summons-notice, hearing-earliest, eviction-order,
    /// police-request, appeal-refere, appeal-merits, caf-report, caf-plan, judge-delays,
    /// overindebtedness, judgement-enforcement
    #[arg(value_name = "ETAPE")]
    pub step: String,
    /// Date de l'évènement déclencheur (pour summons-notice : date de l'audience)
    #[arg(long, value_name = "DATE", value_parser = parse_any_date)]
    pub from: NaiveDate,
    /// Date de conclusion ou de renouvellement du bail (commandement de payer : 2 mois ou 6 semaines)
    #[arg(long, value_name = "DATE", value_parser = parse_any_date)]
    pub lease_date: Option<NaiveDate>,
    /// Zone des jours fériés : metropole ou alsace-moselle (par défaut : metropole)
    #[arg(long, value_enum, default_value_t = ZoneArg::Metropole, value_name = "ZONE",
          hide_default_value = true, hide_possible_values = true)]
    pub zone: ZoneArg,
    /// Format de sortie : text ou json (par défaut : text)
    #[arg(long, value_enum, default_value_t = OutputFormat::Text, value_name = "FORMAT",
          hide_default_value = true, hide_possible_values = true)]
    pub format: OutputFormat,
}

fn parse_any_date(s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse_date(s).ok_or_else(|| {
        format!("« {s} » n'est pas une date valide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    })
}

/// What `impayes import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Importe les écritures des comptes locataires (CSV d'un progiciel ou FEC)
    #[command(help_template = HELP_TEMPLATE)]
    Accounts(ImportAccountsArgs),
}

/// Options of `impayes import accounts`.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportAccountsArgs {
    /// Fichier à importer
    #[arg(value_name = "FICHIER")]
    pub file: PathBuf,
    /// Format du fichier : csv ou fec (par défaut : csv)
    #[arg(long, value_enum, default_value_t = ImportFormat::Csv, value_name = "FORMAT",
          hide_default_value = true, hide_possible_values = true)]
    pub format: ImportFormat,
    /// Fichier TOML de correspondance : noms des colonnes, libellés des natures, journaux du FEC
    #[arg(long, value_name = "FICHIER")]
    pub mapping: Option<PathBuf>,
    /// Encodage du fichier : utf-8 ou windows-1252 (par défaut : détecté)
    #[arg(long, value_name = "ENCODAGE", value_parser = parse_encoding)]
    pub encoding: Option<TextEncoding>,
    /// Montre ce qui changerait, sans rien enregistrer
    #[arg(long)]
    pub dry_run: bool,
    /// Importe les lignes valides et écrit les autres dans un fichier de rejets
    #[arg(long)]
    pub skip_invalid: bool,
    /// Fichier des rejets (par défaut : NOM.rejets.EXT à côté du fichier importé)
    #[arg(long, value_name = "FICHIER", requires = "skip_invalid")]
    pub rejects: Option<PathBuf>,
    /// Crée les ménages des comptes inconnus (locataires présents)
    #[arg(long, conflicts_with = "list_unknown")]
    pub create_households: bool,
    /// Importe les lignes des comptes connus et liste les comptes inconnus
    #[arg(long)]
    pub list_unknown: bool,
}

/// Formats `impayes import accounts` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// CSV d'un progiciel (compte;date;nature;montant;libelle;reference)
    Csv,
    /// Fichier des écritures comptables
    Fec,
}

/// What `impayes export` writes.
#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// Exporte les écritures des comptes locataires (le CSV que lit `import accounts`)
    #[command(help_template = HELP_TEMPLATE)]
    Accounts(ExportAccountsArgs),
}

/// Options of `impayes export accounts`.
#[derive(Debug, Clone, clap::Args)]
pub struct ExportAccountsArgs {
    /// Fichier à écrire (par défaut : la sortie standard)
    #[arg(long, short = 'o', value_name = "FICHIER")]
    pub output: Option<PathBuf>,
    /// Format : csv (le seul, par défaut)
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv, value_name = "FORMAT",
          hide_default_value = true, hide_possible_values = true)]
    pub format: ExportFormat,
    /// N'exporte que ce compte (option répétable)
    #[arg(long = "account", value_name = "COMPTE")]
    pub accounts: Vec<String>,
}

/// Formats `impayes export accounts` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// compte;date;nature;montant;libelle;reference
    Csv,
}

fn parse_encoding(s: &str) -> Result<TextEncoding, String> {
    TextEncoding::from_name(s)
}

/// Output formats: text for people, JSON or TSV for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Texte lisible
    Text,
    /// Valeurs séparées par des tabulations
    Tsv,
    /// JSON
    Json,
}

fn parse_today(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("« {s} » n'est pas une date valide (attendu AAAA-MM-JJ)"))
}

fn ctx_string(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => Some(v.join(", ")),
        other => Some(other.to_string()),
    }
}

/// Prints a clap error as one French sentence (help and version print as they are).
pub fn report_clap_error(e: clap::Error) -> ExitCode {
    let arg = ctx_string(&e, ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx_string(&e, ContextKind::InvalidValue).unwrap_or_default();
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        ErrorKind::UnknownArgument => format!("option inconnue : {arg}"),
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue : {}",
            ctx_string(&e, ContextKind::InvalidSubcommand).unwrap_or_default()
        ),
        ErrorKind::MissingRequiredArgument => format!("argument manquant : {arg}"),
        ErrorKind::InvalidValue => {
            let valid = ctx_string(&e, ContextKind::ValidValue)
                .map(|v| format!(" (valeurs possibles : {v})"))
                .unwrap_or_default();
            if value.is_empty() {
                format!("valeur manquante pour {arg}{valid}")
            } else {
                format!("valeur « {value} » invalide pour {arg}{valid}")
            }
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "valeur invalide".to_string());
            format!("{arg} : {why}")
        }
        ErrorKind::ArgumentConflict => format!("options incompatibles : {arg}"),
        _ => format!(
            "ligne de commande invalide : {}",
            e.render().to_string().lines().next().unwrap_or("")
        ),
    };
    eprintln!("impayes : {message}\nAide : impayes --help");
    ExitCode::from(2)
}
