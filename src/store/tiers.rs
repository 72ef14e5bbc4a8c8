//! The two tiers of the entries' indexes (migration 14): where an import writes, and when what
//! it wrote joins the rest.
//!
//! Both indexes on entries are keyed by `tier` first. Imports write their lines into the
//! recent tier (1); everything else (typed entries, the demo, deposits) and every settled line
//! is in tier 0. An import then changes only the recent part of the indexes, a few pages per
//! thousand households, where an index keyed by household alone had nearly every leaf changed
//! by a month's file: the commit wrote most of both indexes to the WAL and back into the file.
//!
//! Settling moves the recent tier into tier 0, a range of households per transaction: it
//! changes nearly every leaf once, for all the months imported since the last time. An import
//! settles when the recent tier has outgrown `SETTLE_SHARE` of the entries (so the recent part
//! stays small, and an import's cost with it); `compact` always does. The ranges are of equal
//! width in household ids, so a part holds about its share of the recent entries when they
//! spread over the accounts, as a month's file does.
//!
//! Readers of a household's entries name both tiers, `tier IN (0, 1) AND household_id = ?`:
//! two ranges of the index instead of one. A reference is unique on an account across both
//! tiers: the unique index covers one tier, so each writer looks in the other one first.

use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, params};

use super::Result;

/// The tier imports write to.
pub(crate) const RECENT: i64 = 1;

/// The tier of settled entries, and of those written by anything but an import.
pub(crate) const SETTLED: i64 = 0;

/// An import settles once the recent tier holds more than one entry in `SETTLE_SHARE`: about
/// every eight months of a base holding five years of accounts. At 100,000 households settling
/// takes 2.5 s for 200,000 recent entries and 5.3 s for 800,000 (9.2 s when every entry has a
/// reference): the fixed part (nearly every leaf rewritten) argues for settling rarely, while a
/// larger recent tier makes each import a little slower. A sixteenth was measured: faster
/// imports between settlings, more time in all (docs/import-speed.md, "What the commit costs").
pub const SETTLE_SHARE: u64 = 8;

/// How many entries each tier holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct TierSizes {
    /// Entries in the recent tier (written by imports since the last settling).
    pub recent: u64,
    /// Entries in all, counted as the largest id (ids are given in sequence; a deleted entry
    /// leaves a gap, which only makes settling come a little later).
    pub all: u64,
}

impl TierSizes {
    /// Reads both sizes: a count over the recent part of the index, and the last id.
    pub fn of(conn: &Connection) -> Result<TierSizes> {
        let recent: i64 = conn
            .prepare_cached("SELECT COUNT(*) FROM entries WHERE tier = ?1")?
            .query_row([RECENT], |r| r.get(0))?;
        let all: i64 = conn
            .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM entries")?
            .query_row([], |r| r.get(0))?;
        Ok(TierSizes {
            recent: u64::try_from(recent).unwrap_or(0),
            all: u64::try_from(all).unwrap_or(0),
        })
    }

    /// Whether an import should settle the recent tier now.
    pub fn worth_settling(&self) -> bool {
        self.recent > self.settle_above()
    }

    /// The size of the recent tier past which an import settles it.
    pub fn settle_above(&self) -> u64 {
        self.all / SETTLE_SHARE
    }
}

/// What settling did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settled {
    /// Entries moved from the recent tier into tier 0.
    pub entries: u64,
    /// Time it took: the statement alone from `settle_households`, every part with its
    /// commit from `Store::settle_recent`.
    pub elapsed: Duration,
}

/// Moves the recent entries of the households `from..=to` into tier 0. Run it inside a
/// transaction; nothing else changes (ids, balances and the figures' sums are those of the
/// entries, whatever their tier).
fn settle_households(conn: &Connection, from: i64, to: i64) -> Result<Settled> {
    let start = Instant::now();
    let n = conn
        .prepare_cached(
            "UPDATE entries SET tier = ?1 WHERE tier = ?2 AND household_id BETWEEN ?3 AND ?4",
        )?
        .execute(params![SETTLED, RECENT, from, to])?;
    Ok(Settled {
        entries: u64::try_from(n).unwrap_or(0),
        elapsed: start.elapsed(),
    })
}

/// Recent entries settled by one transaction of `Store::settle_recent`: the write lock is
/// held for one part at a time (about 0.2 s), so that a workstation saving a change meanwhile
/// waits that long, not for the whole settling (seconds, and past the `BUSY_TIMEOUT` of five
/// seconds at 100,000 households with references). Measured there with a write every 0.1 s
/// from another process during a settling of 400,000 entries: none refused, the longest wait
/// 0.34 s (2.6 s in one transaction). A pause between parts was not needed: SQLite's busy
/// handler got the lock between two parts.
const ENTRIES_PER_PART: u64 = 25_000;

impl super::Store {
    /// Settles the recent tier, in parts of about `ENTRIES_PER_PART` entries by ranges of
    /// households, each in its own transaction (with the bulk write's page cache); the time
    /// includes the commits. Each part leaves the base as valid as the whole does: an entry
    /// is in one tier or the other, and each writer looks in the tier it does not write to.
    /// Measured at 100,000 households, 400,000 recent entries: 3.1–3.9 s instead of 5.8–8.5 s
    /// in one transaction when every entry has a reference (whose dirty pages outgrew the
    /// bulk write's cache), 2.1–2.6 s instead of 2.3–2.4 s on the demo base.
    pub fn settle_recent(&mut self) -> Result<Settled> {
        self.settle_in_parts(ENTRIES_PER_PART)
    }

    /// `settle_recent`, by parts of about `per_part` entries.
    fn settle_in_parts(&mut self, per_part: u64) -> Result<Settled> {
        let start = Instant::now();
        let (count, first, last): (i64, Option<i64>, Option<i64>) = self.conn().query_row(
            "SELECT COUNT(*), MIN(household_id), MAX(household_id) FROM entries WHERE tier = ?1",
            [RECENT],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut entries = 0;
        if let (Some(first), Some(last)) = (first, last) {
            let parts = u64::try_from(count)
                .unwrap_or(0)
                .div_ceil(per_part.max(1))
                .max(1);
            let width = (last - first) / i64::try_from(parts).unwrap_or(1) + 1;
            let mut from = first;
            loop {
                let to = from.saturating_add(width - 1).min(last);
                entries += self
                    .bulk(true, |conn| settle_households(conn, from, to))?
                    .entries;
                if to >= last {
                    break;
                }
                from = to + 1;
            }
        }
        Ok(Settled {
            entries,
            elapsed: start.elapsed(),
        })
    }

    /// Settles the recent tier when it has outgrown its share (see `SETTLE_SHARE`): what an
    /// import does once it has committed. None when there was nothing worth settling.
    pub fn settle_if_due(&mut self) -> Result<Option<Settled>> {
        if !TierSizes::of(self.conn())?.worth_settling() {
            return Ok(None);
        }
        self.settle_recent().map(Some)
    }
}

/// Whether an account (?2) holds a reference (?3) in a tier (?1): `holds_reference`, and the
/// import's own statement for it (one per line, prepared once, the tier bound once).
pub(crate) const REFERENCE_IN_TIER: &str =
    "SELECT 1 FROM entries WHERE tier = ?1 AND household_id = ?2 AND reference = ?3";

/// Whether the account holds `reference` in `tier` (each writer looks in the tier it does not
/// write to; the unique index guards the other).
pub(crate) fn holds_reference(
    conn: &Connection,
    tier: i64,
    household_id: i64,
    reference: &str,
) -> Result<bool> {
    Ok(conn
        .prepare_cached(REFERENCE_IN_TIER)?
        .query_row(params![tier, household_id, reference], |_| Ok(()))
        .optional()?
        .is_some())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ledger::{Entry, EntryKind};
    use crate::store::{Stamp, Store, insert_entries, insert_entry};

    fn entry(reference: &str) -> Entry {
        Entry {
            id: 0,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 5).expect("date"),
            kind: EntryKind::Payment,
            amount: rust_decimal::Decimal::new(-5000, 2),
            label: "Virement".into(),
            reference: Some(reference.into()),
        }
    }

    #[test]
    fn a_reference_in_the_recent_tier_is_not_written_again_into_the_settled_one() {
        let store = Store::in_memory().expect("memory");
        let conn = store.conn();
        conn.execute_batch(
            "INSERT INTO households (id, account, holder, status, created_by, created_at,
                updated_by, updated_at) VALUES (1, '411-1', 'A', 'present', 'u', 't', 'u', 't');
             INSERT INTO balances (household_id, cents) VALUES (1, 0);
             INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
                recorded_by, recorded_at, tier)
             VALUES (1, '2026-11-05', 'payment', -5000, 'Virement', 'VIR-1', 'u', 't', 1);",
        )
        .expect("rows");
        let stamp = Stamp::now("u");
        assert!(holds_reference(conn, RECENT, 1, "VIR-1").expect("read"));
        assert!(!holds_reference(conn, SETTLED, 1, "VIR-1").expect("read"));
        assert_eq!(
            insert_entry(conn, 1, &entry("VIR-1"), &stamp).expect("insert"),
            None
        );
        let e = entry("VIR-1");
        assert_eq!(insert_entries(conn, 1, [(&e, &stamp)]).expect("insert"), 0);
        assert!(
            insert_entry(conn, 1, &entry("VIR-2"), &stamp)
                .expect("insert")
                .is_some()
        );
        let settled = settle_households(conn, i64::MIN, i64::MAX).expect("settle");
        assert_eq!(settled.entries, 1);
        assert!(holds_reference(conn, SETTLED, 1, "VIR-1").expect("read"));
        assert_eq!(
            TierSizes::of(conn).expect("sizes"),
            TierSizes { recent: 0, all: 2 }
        );
    }

    #[test]
    fn settling_by_parts_moves_every_recent_entry_once() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = Store::create(&dir.path().join("t.sqlite3")).expect("create");
        {
            let conn = store.conn();
            for h in [1, 3, 4, 5, 7, 40] {
                conn.execute(
                    "INSERT INTO households (id, account, holder, status, created_by,
                        created_at, updated_by, updated_at)
                     VALUES (?1, ?2, 'A', 'present', 'u', 't', 'u', 't')",
                    params![h, format!("411-{h}")],
                )
                .expect("household");
            }
            // Recent entries on households 1, 3, 5, 7 and 40 (none on 4), and a settled one.
            for (k, (h, tier)) in [(1, 1), (1, 1), (1, 1), (3, 1), (4, 0), (5, 1), (5, 1)]
                .into_iter()
                .chain([(5, 1), (5, 1), (7, 1), (7, 1), (40, 1)])
                .enumerate()
            {
                conn.execute(
                    "INSERT INTO entries (household_id, date, kind, amount_cents, label,
                        reference, recorded_by, recorded_at, tier)
                     VALUES (?1, '2026-11-05', 'payment', -5000, 'Virement', ?2, 'u', 't', ?3)",
                    params![h, format!("VIR-{k}"), tier],
                )
                .expect("entry");
            }
        }
        // Parts of two entries: ranges of households cut through the recent tier.
        let settled = store.settle_in_parts(2).expect("settle");
        assert_eq!(settled.entries, 11);
        assert_eq!(
            TierSizes::of(store.conn()).expect("sizes"),
            TierSizes { recent: 0, all: 12 }
        );
        // Nothing left to do.
        assert_eq!(store.settle_in_parts(2).expect("again").entries, 0);
    }

    #[test]
    fn an_import_settles_past_one_entry_in_eight() {
        let at = |recent, all| TierSizes { recent, all }.worth_settling();
        assert!(!at(0, 0));
        assert!(!at(0, 1_000));
        assert!(!at(125, 1_000));
        assert!(at(126, 1_000));
        assert!(at(3, 3));
    }
}
