//! The summary printed at the end of `impayes import accounts`, in French: what was read,
//! added and skipped, what the detection found, and how long each step took.

use chrono::NaiveDate;

use super::super::args::ImportFormat;
use super::{ImportOutcome, ImportRequest};
use crate::domain::dates::format_fr;
use crate::domain::detection::Flag;
use crate::domain::figures::format_count as n;
use crate::domain::import_rules::separator_name;

/// The summary's times (two lines for a stored import, to fit 80 columns). A stored import's
/// rate counts the commit, which writes every page the import changed twice (to the WAL, then
/// into the file at the checkpoint); a dry run's counts the reading and writing.
fn durations(o: &ImportOutcome) -> String {
    use crate::cli::units::secs;
    let rate = |d: std::time::Duration| {
        n(if d.as_secs_f64() > 0.0 {
            (o.lines as f64 / d.as_secs_f64()) as u64
        } else {
            0
        })
    };
    if o.dry_run {
        format!(
            "Durée : lecture et écriture {} s ({} lignes/s), détection {} s",
            secs(o.import_time),
            rate(o.import_time),
            secs(o.detection_time)
        )
    } else {
        format!(
            "Durée : lecture et écriture {} s, enregistrement {} s, détection {} s\n\
             Débit : {} lignes/s, enregistrement compris",
            secs(o.import_time),
            secs(o.commit_time),
            secs(o.detection_time),
            rate(o.import_time + o.commit_time),
        ) + &o
            .settled
            .map(|s| {
                format!(
                    "\nRegroupement des écritures récentes : {} en {} s",
                    n(s.entries),
                    secs(s.elapsed)
                )
            })
            .unwrap_or_default()
            + &o.settle_failed
                .as_ref()
                .map(|e| {
                    format!(
                        "\nRegroupement des écritures récentes interrompu ({e}) : \
                         l'import est enregistré, le prochain (ou `impayes compact`) le terminera"
                    )
                })
                .unwrap_or_default()
    }
}

/// The summary printed at the end, in French.
pub fn render_summary(req: &ImportRequest, o: &ImportOutcome, today: NaiveDate) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let format = match req.format {
        ImportFormat::Csv => "CSV",
        ImportFormat::Fec => "FEC",
    };
    let encoding = match o.encoding {
        Some(e) => e.label(),
        None => "ASCII",
    };
    let _ = writeln!(
        s,
        "Import de « {} » ({format}, séparateur {}, {encoding}{}){}",
        req.file.display(),
        separator_name(o.separator),
        if o.bom { " avec BOM" } else { "" },
        if o.dry_run {
            " — SIMULATION : rien n'a été enregistré"
        } else {
            ""
        }
    );
    let row = |s: &mut String, label: &str, value: String| {
        let _ = writeln!(s, "  {label:<34} {value}");
    };
    row(&mut s, "Lignes lues", n(o.lines));
    if o.other_accounts > 0 {
        row(
            &mut s,
            "Lignes hors comptes locataires",
            n(o.other_accounts),
        );
    }
    row(&mut s, "Écritures ajoutées", n(o.counts.added));
    row(&mut s, "Doublons ignorés", n(o.counts.duplicates));
    if o.rejected > 0 || req.skip_invalid {
        let where_ = match &o.rejects_file {
            Some(p) => format!(" (voir « {} »)", p.display()),
            None => String::new(),
        };
        row(
            &mut s,
            "Lignes rejetées",
            format!("{}{where_}", n(o.rejected)),
        );
    }
    row(&mut s, "Ménages créés", n(o.counts.households_created));
    if !o.counts.unknown.is_empty() {
        let lines: u64 = o.counts.unknown.values().sum();
        row(
            &mut s,
            "Comptes inconnus (non importés)",
            format!(
                "{} ({} ligne(s))",
                n(o.counts.unknown.len() as u64),
                n(lines)
            ),
        );
        for (account, count) in &o.counts.unknown {
            let _ = writeln!(s, "    {account} : {} ligne(s)", n(*count));
        }
    }
    let _ = writeln!(s, "Détection des impayés au {} :", format_fr(today));
    let d = &o.detection;
    row(&mut s, "Dossiers ouverts", n(d.opened.len() as u64));
    for opened in d.opened.iter().take(20) {
        let _ = writeln!(
            s,
            "    {} : dossier n° {} ({})",
            opened.account,
            opened.dossier_id,
            opened.phase.label_fr()
        );
    }
    if d.opened.len() > 20 {
        let _ = writeln!(s, "    … et {} autres", n(d.opened.len() as u64 - 20));
    }
    row(&mut s, "Plans d'apurement rompus", n(d.plans_broken as u64));
    row(
        &mut s,
        "Plans d'apurement respectés",
        n(d.plans_respected as u64),
    );
    for flag in Flag::ALL {
        let label = match flag {
            Flag::Settled => "Dossiers soldés, à clore",
            Flag::CafReport => "Signalements CAF/MSA à faire",
            Flag::Prescription => "Dettes proches de la prescription",
        };
        row(
            &mut s,
            label,
            n(d.flagged.get(&flag).copied().unwrap_or(0) as u64),
        );
    }
    let _ = writeln!(s, "{}", durations(o));
    if !o.reject_samples.is_empty() && o.rejects_file.is_none() {
        let _ = writeln!(s, "Lignes rejetées :");
        for r in &o.reject_samples {
            let _ = writeln!(s, "  {r}");
        }
    }
    s
}
