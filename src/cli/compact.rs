//! `impayes compact`: settles the entries imports left in the recent tier (see
//! `store::tiers`), and rewrites an older base with the page size new bases get.

use std::process::ExitCode;

use anyhow::Result;

use super::Context;
use super::units::{mo, secs};
use crate::domain::figures::format_count as n;
use crate::store::{PAGE_SIZE, PageLayout, Store, TierSizes};

/// What `check` says of the file: its size, page size and free pages, and on a second line
/// (80 columns) whether `compact` would help.
pub fn layout_line(l: &PageLayout) -> String {
    let hint = if l.page_size != PAGE_SIZE {
        format!(
            "\n  nouvelles bases en pages de {} Kio, import plus rapide : `impayes compact`",
            PAGE_SIZE / 1024
        )
    } else if l.worth_compacting() {
        "\n  `impayes compact` rendrait la place libre".to_string()
    } else {
        String::new()
    };
    format!(
        "Fichier : {} Mo, pages de {} octets, {} page(s) libre(s){hint}",
        mo(l.bytes()),
        n(l.page_size as u64),
        n(l.free_pages as u64)
    )
}

/// What `check` says of the entries' tiers (see `store::tiers`): how many entries the imports
/// since the last settling left in the recent tier, and past how many an import settles.
pub fn tiers_line(t: &TierSizes) -> String {
    format!(
        "Écritures importées non regroupées : {} (regroupées au-delà de {})",
        n(t.recent),
        n(t.settle_above())
    )
}

/// Runs `impayes compact`: settles the recent tier, then rewrites the file when worth it.
pub fn run(ctx: &Context) -> Result<ExitCode> {
    let mut store = Store::open(&ctx.db)?;
    if TierSizes::of(store.conn())?.recent > 0 {
        eprintln!("Regroupement des écritures récentes…");
        let s = store.settle_recent()?;
        outln!(
            "Écritures récentes regroupées : {} en {} s.",
            n(s.entries),
            secs(s.elapsed)
        );
    }
    let before = store.page_layout()?;
    if !before.worth_compacting() {
        outln!(
            "Rien à faire : {} Mo, pages de {} octets, {} page(s) libre(s).",
            mo(before.bytes()),
            n(before.page_size as u64),
            n(before.free_pages as u64)
        );
        return Ok(ExitCode::SUCCESS);
    }
    // On standard error: standard output keeps only the result.
    eprintln!(
        "Réécriture de {} ({} Mo)…",
        ctx.db.display(),
        mo(before.bytes())
    );
    let report = store.compact()?;
    outln!(
        "Base réécrite en {} s : {} Mo → {} Mo, pages de {} → {} octets, pages libres {} → {}.",
        secs(report.elapsed),
        mo(report.before.bytes()),
        mo(report.after.bytes()),
        n(report.before.page_size as u64),
        n(report.after.page_size as u64),
        n(report.before.free_pages as u64),
        n(report.after.free_pages as u64)
    );
    Ok(ExitCode::SUCCESS)
}
