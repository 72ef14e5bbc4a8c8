//! `impayes stats --format xlsx`: a workbook a manager opens in a spreadsheet. Sheet
//! « Chiffres » holds the figures asked for (all sectors, or `--sector`), then one sheet per
//! sector, then « Définitions » (key, label, definition of every figure).

use std::path::Path;

use anyhow::{Context as _, Result};
use chrono::Datelike;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

use super::stats::scope_label;
use crate::domain::figures::{Figures, Value};
use crate::domain::figures_calc::SectorStats;

/// Writes the workbook to `path`.
pub fn write(stats: &SectorStats, chosen: Option<usize>, path: &Path) -> Result<()> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    let main = stats.figures(chosen);
    figures_sheet(
        book.add_worksheet(),
        "Chiffres",
        &main,
        &scope_label(stats, chosen),
        &formats,
    )?;
    let mut used: Vec<String> = vec!["chiffres".into(), "définitions".into()];
    for (k, (code, name)) in stats.sectors.iter().enumerate() {
        let title = sheet_name(name, code, &used);
        used.push(title.to_lowercase());
        figures_sheet(
            book.add_worksheet(),
            &title,
            &stats.figures(Some(k)),
            &scope_label(stats, Some(k)),
            &formats,
        )?;
    }
    let defs = book.add_worksheet();
    defs.set_name("Définitions")?;
    defs.write_string_with_format(0, 0, "Clé", &formats.header)?;
    defs.write_string_with_format(0, 1, "Libellé", &formats.header)?;
    defs.write_string_with_format(0, 2, "Définition", &formats.header)?;
    for (r, f) in main.rows().iter().enumerate() {
        let r = r as u32 + 1;
        defs.write_string(r, 0, f.key)?;
        defs.write_string(r, 1, f.label)?;
        defs.write_string_with_format(r, 2, f.definition, &formats.wrap)?;
    }
    defs.set_column_width(0, 28)?;
    defs.set_column_width(1, 42)?;
    defs.set_column_width(2, 100)?;
    book.save(path)
        .with_context(|| format!("impossible d'écrire le classeur « {} »", path.display()))?;
    Ok(())
}

struct Formats {
    header: Format,
    title: Format,
    amount: Format,
    percent: Format,
    count: Format,
    date: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(13),
            amount: Format::new().set_num_format("#,##0.00 \"€\""),
            percent: Format::new().set_num_format("0.00 \"%\""),
            count: Format::new().set_num_format("#,##0"),
            date: Format::new().set_num_format("dd/mm/yyyy"),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

/// A sheet's name: the sector's name, within Excel's 31 characters and without the characters
/// it refuses, unique in the workbook.
fn sheet_name(name: &str, code: &str, used: &[String]) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
            .take(31)
            .collect::<String>()
            .trim()
            .trim_matches('\'')
            .to_string()
    };
    let mut n = clean(name);
    if n.is_empty() || used.contains(&n.to_lowercase()) {
        n = clean(code);
    }
    let base = if n.is_empty() {
        "Secteur".to_string()
    } else {
        n
    };
    let mut candidate = base.clone();
    let mut k = 2;
    while used.contains(&candidate.to_lowercase()) {
        candidate = format!("{} {k}", base.chars().take(27).collect::<String>());
        k += 1;
    }
    candidate
}

fn figures_sheet(
    ws: &mut Worksheet,
    name: &str,
    figures: &Figures,
    scope: &str,
    fmt: &Formats,
) -> Result<()> {
    ws.set_name(name)?;
    ws.write_string_with_format(
        0,
        0,
        format!("Chiffres {}, {scope}", figures.period.label_fr()),
        &fmt.title,
    )?;
    ws.write_string_with_format(2, 0, "Clé", &fmt.header)?;
    ws.write_string_with_format(2, 1, "Libellé", &fmt.header)?;
    ws.write_string_with_format(2, 2, "Valeur", &fmt.header)?;
    for (r, f) in figures.rows().iter().enumerate() {
        let r = r as u32 + 3;
        ws.write_string(r, 0, f.key)?;
        ws.write_string(r, 1, f.label)?;
        match f.value {
            Value::Date(d) => {
                // A real date cell, so a spreadsheet can sort and compute with it; shown
                // the French way.
                let cell =
                    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                ws.write_datetime_with_format(r, 2, &cell, &fmt.date)?;
            }
            Value::Count(n) => {
                ws.write_number_with_format(r, 2, n as f64, &fmt.count)?;
            }
            Value::Amount(a) => {
                ws.write_number_with_format(r, 2, a.to_f64().unwrap_or(0.0), &fmt.amount)?;
            }
            Value::Percent(Some(p)) => {
                ws.write_number_with_format(r, 2, p.to_f64().unwrap_or(0.0), &fmt.percent)?;
            }
            Value::Percent(None) => {
                ws.write_string(r, 2, "—")?;
            }
        }
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 42)?;
    ws.set_column_width(2, 18)?;
    Ok(())
}
