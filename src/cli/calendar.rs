//! `impayes calendar holidays --year YYYY [--zone …] [--format csv|json]`: the public holidays.

use std::process::ExitCode;

use anyhow::Result;

use super::args::{HolidaysArgs, ListFormat};
use crate::domain::calendar::holidays;
use crate::domain::delay::weekday_fr;

/// Prints the holidays of a year and zone.
pub fn holidays_run(args: &HolidaysArgs) -> Result<ExitCode> {
    let zone = args.zone.zone();
    let list = holidays(args.year, zone);
    match args.format {
        ListFormat::Json => {
            let rows: Vec<_> = list
                .iter()
                .map(|h| {
                    serde_json::json!({
                        "date": h.date,
                        "name": h.name,
                        "weekday": weekday_fr(h.date),
                    })
                })
                .collect();
            outln!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "year": args.year,
                    "zone": zone.code(),
                    "holidays": rows,
                }))?
            );
        }
        ListFormat::Csv => {
            outln!("date;jour;nom");
            for h in &list {
                outln!("{};{};{}", h.date, weekday_fr(h.date), h.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
