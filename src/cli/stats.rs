//! `impayes stats [--year YYYY | --from DATE --to DATE] [--sector S] [--format table|json|csv|xlsx]
//! [--output FILE]`: the figures a landlord publishes (domain.md §6) for a period, for all
//! sectors or one, each with its definition.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use chrono::{Datelike, NaiveDate};
use clap::ValueEnum;

use super::Context;
use crate::domain::figures::{ARREARS_RATE_FORMULA, Figures, Period, RECOVERY_RATE_FORMULA, Value};
use crate::domain::figures_calc::SectorStats;
use crate::store::Store;
use crate::store::stats::sector_stats;

/// Options of `impayes stats`.
#[derive(Debug, Clone, clap::Args)]
pub struct StatsArgs {
    /// Année civile (AAAA) ; par défaut : du 1er janvier de l'année en cours à aujourd'hui
    #[arg(long, value_name = "AAAA", conflicts_with_all = ["from", "to"],
          value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub year: Option<i32>,
    /// Premier jour de la période (AAAA-MM-JJ ou JJ/MM/AAAA), avec --to
    #[arg(long, value_name = "DATE", requires = "to", value_parser = parse_date_arg)]
    pub from: Option<NaiveDate>,
    /// Dernier jour de la période (inclus), avec --from
    #[arg(long, value_name = "DATE", requires = "from", value_parser = parse_date_arg)]
    pub to: Option<NaiveDate>,
    /// Un seul secteur (code ou nom)
    #[arg(long, value_name = "SECTEUR")]
    pub sector: Option<String>,
    /// Format : table, json, csv ou xlsx (par défaut : table)
    #[arg(long, value_enum, default_value_t = StatsFormat::Table, value_name = "FORMAT",
          hide_default_value = true, hide_possible_values = true)]
    pub format: StatsFormat,
    /// Fichier à écrire (obligatoire pour xlsx ; sinon la sortie standard)
    #[arg(long, short = 'o', value_name = "FICHIER")]
    pub output: Option<PathBuf>,
}

/// Formats of `impayes stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Tableau lisible
    Table,
    /// JSON (clés stables)
    Json,
    /// CSV (point-virgule, virgule décimale)
    Csv,
    /// Classeur Excel
    Xlsx,
}

fn parse_date_arg(s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse_date(s).ok_or_else(|| {
        format!("« {s} » n'est pas une date valide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    })
}

/// The period the options ask for.
pub fn period_of(args: &StatsArgs, today: NaiveDate) -> Result<Period> {
    let p = match (args.year, args.from, args.to) {
        (Some(y), _, _) => Period::year(y).with_context(|| format!("année {y} invalide"))?,
        (None, Some(from), Some(to)) => Period { from, to },
        _ => Period {
            from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
            to: today,
        },
    };
    if p.from > p.to {
        bail!(
            "période vide : le premier jour ({}) est après le dernier ({})",
            crate::domain::dates::format_fr(p.from),
            crate::domain::dates::format_fr(p.to)
        );
    }
    Ok(p)
}

/// Runs `impayes stats`.
pub fn run(ctx: &Context, args: &StatsArgs) -> Result<ExitCode> {
    let period = period_of(args, ctx.today)?;
    if args.format == StatsFormat::Xlsx && args.output.is_none() {
        bail!("le format xlsx s'écrit dans un fichier : indiquez-le avec --output FICHIER.xlsx");
    }
    let store = Store::open(&ctx.db)?;
    let stats = sector_stats(store.conn(), period)?;
    let chosen = match &args.sector {
        Some(s) => Some(stats.position(s).with_context(|| {
            let known: Vec<String> = stats
                .sectors
                .iter()
                .map(|(c, n)| format!("{c} ({n})"))
                .collect();
            format!("secteur « {s} » inconnu ; secteurs : {}", known.join(", "))
        })?),
        None => None,
    };
    let figures = stats.figures(chosen);
    let scope = scope_label(&stats, chosen);
    match args.format {
        StatsFormat::Xlsx => {
            let path = args.output.as_deref().unwrap_or(std::path::Path::new(""));
            super::stats_xlsx::write(&stats, chosen, path)?;
            eprintln!("Classeur écrit : « {} ».", path.display());
            return Ok(ExitCode::SUCCESS);
        }
        StatsFormat::Table => emit(args, &table(&figures, &scope), false)?,
        StatsFormat::Json => emit(
            args,
            &format!("{}\n", serde_json::to_string_pretty(&figures.to_json())?),
            false,
        )?,
        StatsFormat::Csv => emit(args, &csv_text(&figures)?, true)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// "tous secteurs" or the sector's name.
pub fn scope_label(stats: &SectorStats, chosen: Option<usize>) -> String {
    match chosen.and_then(|k| stats.sectors.get(k)) {
        Some((code, name)) => format!("secteur {name} ({code})"),
        None => "tous secteurs".into(),
    }
}

fn emit(args: &StatsArgs, text: &str, bom: bool) -> Result<()> {
    match &args.output {
        Some(path) => {
            let file = File::create(path)
                .with_context(|| format!("impossible de créer « {} »", path.display()))?;
            let mut w = BufWriter::new(file);
            if bom {
                w.write_all(&[0xEF, 0xBB, 0xBF])?;
            }
            w.write_all(text.as_bytes())?;
            w.flush()
                .with_context(|| format!("écriture impossible dans « {} »", path.display()))?;
            eprintln!("Chiffres écrits dans « {} ».", path.display());
        }
        None => out!("{text}"),
    }
    Ok(())
}

/// The figures as a text table: label, value right-aligned, then the rates' formulas.
pub fn table(figures: &Figures, scope: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let rows: Vec<(String, String)> = figures
        .rows()
        .into_iter()
        .filter(|f| !matches!(f.value, Value::Date(_)))
        .map(|f| (f.label.to_string(), f.value.text_fr()))
        .collect();
    let lw = rows.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let vw = rows.iter().map(|(_, v)| v.width()).max().unwrap_or(0);
    let mut out = format!("Chiffres {}, {scope}\n\n", figures.period.label_fr());
    for (l, v) in rows {
        out.push_str(&format!(
            "{l}{}  {}{v}\n",
            " ".repeat(lw - l.width()),
            " ".repeat(vw - v.width())
        ));
    }
    out.push_str(&format!(
        "\nTaux d'impayés = {ARREARS_RATE_FORMULA}.\nTaux de recouvrement = {RECOVERY_RATE_FORMULA}.\n"
    ));
    out
}

/// The figures as CSV for a spreadsheet: `cle;libelle;valeur;definition`, decimal comma.
pub fn csv_text(figures: &Figures) -> Result<String> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    w.write_record(["cle", "libelle", "valeur", "definition"])?;
    for f in figures.rows() {
        let value = match f.value {
            Value::Date(d) => crate::domain::dates::format_fr(d),
            Value::Count(n) => n.to_string(),
            Value::Amount(a) => format!("{:.2}", a.round_dp(2)).replace('.', ","),
            Value::Percent(p) => p
                .map(|p| format!("{p:.2}").replace('.', ","))
                .unwrap_or_default(),
        };
        w.write_record([f.key, f.label, &value, f.definition])?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8(bytes)?)
}
