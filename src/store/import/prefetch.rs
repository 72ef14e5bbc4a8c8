//! Reads ahead of an import's writes: while the writing connection stores a batch of lines in
//! household order, a few threads with their own read-only connections look up, a little
//! ahead of it, the index entries the next households' lines will be inserted next to or
//! looked up in (their account in the recent tier of `entries_tier_household`, in both tiers
//! of `entries_tier_reference`, their current year in `ledger_years`). The leaf pages read that
//! way are in the system's page cache when the writer reaches them.
//!
//! Why: on a database larger than the page cache, each household of a file in random account
//! order costs the writer a few random page reads, one at a time (a tenth of a millisecond
//! each on this machine's disk). Read by several threads at once they overlap (the disk serves
//! five times as many reads per second at a depth of sixteen). Nothing is written and no
//! result is used: a failure only loses the head start, and the prefetching stops as soon as
//! the batch is written. Only a database file larger than the bulk write's memory map is read
//! ahead (see `AccountSink::flush`): within the map, the system reads pages with a large
//! read-around, which the readers would only compete with (measured slower at 100,000
//! households); beyond it SQLite reads one page at a time (a dry-run import of 200,000
//! lines in random account order into the 500,000-household demo, cold: 20.1 s instead of
//! 24.8 s, in runs that vary by a fifth on this shared machine).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::Queued;
use crate::domain::import_rules::{iso_date, ranked_reference};

/// Threads reading ahead (they mostly wait for the disk).
pub(super) const THREADS: usize = 6;

/// How many households ahead of the writer the readers may go: far enough to keep every
/// thread busy, near enough that the pages read are still cached when the writer comes.
const LEAD: usize = 8_192;

/// Below this many households in a batch, reading ahead is not worth its threads.
pub(super) const MIN_HOUSEHOLDS: usize = 2_000;

/// What the readers look up for one household: its id, the date and the first-rank reference
/// of its first line in the batch.
pub(super) struct Target {
    pub household_id: i64,
    pub date: [u8; 10],
    pub reference: String,
}

/// What the readers ahead of the writer look up: each household of the batch, in the order it
/// is written, with its first line's date and first-rank reference.
pub(super) fn targets(pending: &[Queued], order: &[(i64, usize)]) -> Vec<Target> {
    let mut targets: Vec<Target> = Vec::new();
    for &(household_id, i) in order {
        if targets.last().map(|t| t.household_id) == Some(household_id) {
            continue;
        }
        let (_, line, content_base) = &pending[i];
        let mut date = [0u8; 10];
        iso_date(line.date, &mut date);
        let reference = match content_base {
            Some(base) => ranked_reference(base, true, 1).into_owned(),
            None => line.reference.as_deref().map_or("", str::trim).to_string(),
        };
        targets.push(Target {
            household_id,
            date,
            reference,
        });
    }
    targets
}

/// The writer's position in the batch (households written), shared with the readers, and
/// whether the batch is over.
#[derive(Default)]
pub(super) struct Progress {
    pub written: AtomicUsize,
    pub done: AtomicBool,
}

/// One reader: the targets `k`, `k + THREADS`, … from `path`, never more than `LEAD` ahead of
/// the writer, skipping those the writer has already passed.
pub(super) fn read_ahead(path: &str, targets: &[Target], k: usize, progress: &Progress) {
    let Ok(conn) = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return;
    };
    // Plain reads: they fill the system's page cache, which the writer's map shares.
    let _ = conn.pragma_update(None, "mmap_size", 0);
    let Ok(mut household_date) = conn.prepare(
        "SELECT id FROM entries INDEXED BY entries_tier_household
         WHERE tier = 1 AND household_id = ?1 AND date >= ?2 ORDER BY date LIMIT 1",
    ) else {
        return;
    };
    let Ok(mut reference) = conn.prepare(
        "SELECT id FROM entries INDEXED BY entries_tier_reference
         WHERE tier = ?3 AND household_id = ?1 AND reference >= ?2 LIMIT 1",
    ) else {
        return;
    };
    let Ok(mut year) =
        conn.prepare("SELECT net_cents FROM ledger_years WHERE year = ?1 AND household_id = ?2")
    else {
        return;
    };
    let mut i = k;
    while i < targets.len() {
        if progress.done.load(Ordering::Relaxed) {
            return;
        }
        let written = progress.written.load(Ordering::Relaxed);
        if i < written {
            // Overtaken: the writer has read these pages itself; jump ahead of it.
            i = written + (k + THREADS - written % THREADS) % THREADS;
            continue;
        }
        if i > written + LEAD {
            std::thread::sleep(Duration::from_micros(500));
            continue;
        }
        let t = &targets[i];
        let date = std::str::from_utf8(&t.date).unwrap_or("");
        let _ = household_date.query_row(rusqlite::params![t.household_id, date], |_| Ok(()));
        for tier in [0, 1] {
            let _ = reference
                .query_row(rusqlite::params![t.household_id, t.reference, tier], |_| {
                    Ok(())
                });
        }
        let y = super::super::ledger_years::year_of(&t.date).unwrap_or(0);
        let _ = year.query_row(rusqlite::params![y, t.household_id], |_| Ok(()));
        i += THREADS;
    }
}
