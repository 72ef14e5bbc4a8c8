//! `impayes check`: integrity, foreign keys, schema version, cached balances.

use std::process::ExitCode;

use anyhow::Result;

use super::{Context, OutputFormat};
use crate::store::Store;

/// Prints the checks; exit 1 when one fails.
pub fn run(ctx: &Context, format: OutputFormat) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    let report = store.check()?;
    if format == OutputFormat::Json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "ok": report.ok(),
                "integrity": report.integrity,
                "foreign_keys": report.foreign_keys,
                "schema_version": report.schema_version,
                "expected_version": report.expected_version,
                "balance_mismatches": report.balance_mismatches,
                "ledger_mismatches": report.ledger_mismatches,
                "page_size": report.layout.page_size,
                "pages": report.layout.pages,
                "free_pages": report.layout.free_pages,
                "recent_entries": report.tiers.recent,
                "settle_above": report.tiers.settle_above(),
            }))?
        );
    } else {
        let mark = |ok: bool| if ok { "ok" } else { "ÉCHEC" };
        outln!("Base : {}", ctx.db.display());
        outln!(
            "Intégrité (PRAGMA integrity_check) : {}",
            if report.integrity == ["ok"] {
                "ok".to_string()
            } else {
                format!("ÉCHEC\n  {}", report.integrity.join("\n  "))
            }
        );
        outln!(
            "Clés étrangères : {}",
            if report.foreign_keys.is_empty() {
                "ok".to_string()
            } else {
                format!(
                    "ÉCHEC ({} ligne(s) orpheline(s))",
                    report.foreign_keys.len()
                )
            }
        );
        outln!(
            "Version du schéma : {} (attendue {}) : {}",
            report.schema_version,
            report.expected_version,
            mark(report.schema_version == report.expected_version)
        );
        outln!(
            "Soldes des comptes : {}",
            if report.balance_mismatches.is_empty() {
                "ok".to_string()
            } else {
                format!("ÉCHEC (comptes : {})", report.balance_mismatches.join(", "))
            }
        );
        outln!(
            "Sommes des chiffres par jour : {}",
            if report.ledger_mismatches.is_empty() {
                "ok".to_string()
            } else {
                format!("ÉCHEC\n  {}", report.ledger_mismatches.join("\n  "))
            }
        );
        outln!("{}", super::compact::layout_line(&report.layout));
        outln!("{}", super::compact::tiers_line(&report.tiers));
    }
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
