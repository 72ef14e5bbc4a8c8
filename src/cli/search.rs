//! `impayes search`: the fuzzy lookup from the shell.

use crate::domain::inert::inert_field;
use std::process::ExitCode;

use anyhow::Result;

use super::{Context, OutputFormat};
use crate::domain::money::format_amount;
use crate::search::SearchIndex;
use crate::store::{Store, household_summaries};

/// Prints the best matches for `query`.
pub fn run(ctx: &Context, query: &str, limit: usize, format: OutputFormat) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    let rows = household_summaries(store.conn())?;
    let index = SearchIndex::new(rows);
    let hits = index.search(query, limit);
    match format {
        OutputFormat::Json => {
            let rows: Vec<serde_json::Value> = hits
                .iter()
                .map(|h| {
                    let s = &index.candidate(h.index).summary;
                    serde_json::json!({
                        "account": s.account,
                        "name": s.name,
                        "address": s.address,
                        "status": s.status.code(),
                        "debt": s.debt.round_dp(2).to_string(),
                        "months_of_arrears": s.months_of_arrears().map(|m| m.to_string()),
                        "phase": s.phase.map(|p| p.code()),
                    })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&rows)?);
            if hits.is_empty() {
                eprintln!("Aucun ménage ne correspond à « {query} ».");
                return Ok(ExitCode::from(1));
            }
        }
        OutputFormat::Tsv | OutputFormat::Text => {
            if hits.is_empty() {
                eprintln!("Aucun ménage ne correspond à « {query} ».");
                return Ok(ExitCode::from(1));
            }
            outln!("compte\tnom\tadresse\tstatut\tdette\tmois\tphase");
            for h in &hits {
                let s = &index.candidate(h.index).summary;
                outln!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    inert_field(&s.account),
                    inert_field(&s.name),
                    inert_field(&s.address),
                    s.status.label_fr(),
                    format_amount(s.debt),
                    s.months_of_arrears()
                        .map(|m| format!("{m:.1}").replace('.', ","))
                        .unwrap_or_else(|| "—".into()),
                    s.phase.map(|p| p.label_fr()).unwrap_or("—"),
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
