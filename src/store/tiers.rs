//! The two tiers of the entries' indexes (migration 14): where an import writes, and when what
//! it wrote joins the rest.
//!
//! Both indexes on entries are keyed by `tier` first. Imports write their lines into the
//! recent tier (1); everything else (typed entries, the demo, deposits) and every settled line
//! is in tier 0. An import then changes only the recent part of the indexes, a few pages per
//! thousand households, where an index keyed by household alone had nearly every leaf changed
//! by a month's file: the commit wrote most of both indexes to the WAL and back into the file.
//!
//! Settling moves the recent tier into tier 0 in one statement: it changes nearly every leaf
//! once, for all the months imported since the last time. An import settles when the recent
//! tier has outgrown `SETTLE_SHARE` of the entries (so the recent part stays small, and an
//! import's cost with it); `compact` always does.
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
/// imports between settlings, more time in all (README, "What the commit costs").
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
    /// Time it took: the statement alone from `settle`, with its transaction's commit from
    /// `Store::settle_recent`.
    pub elapsed: Duration,
}

/// Moves every entry of the recent tier into tier 0. Run it inside a transaction; nothing else
/// changes (ids, balances and the figures' sums are those of the entries, whatever their tier).
pub(crate) fn settle(conn: &Connection) -> Result<Settled> {
    let start = Instant::now();
    let n = conn
        .prepare_cached("UPDATE entries SET tier = ?1 WHERE tier = ?2")?
        .execute(params![SETTLED, RECENT])?;
    Ok(Settled {
        entries: u64::try_from(n).unwrap_or(0),
        elapsed: start.elapsed(),
    })
}

impl super::Store {
    /// Settles the recent tier in its own transaction (with the bulk write's page cache);
    /// the time includes the commit.
    pub fn settle_recent(&mut self) -> Result<Settled> {
        let start = Instant::now();
        let settled = self.bulk(true, settle)?;
        Ok(Settled {
            elapsed: start.elapsed(),
            ..settled
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
        let settled = settle(conn).expect("settle");
        assert_eq!(settled.entries, 1);
        assert!(holds_reference(conn, SETTLED, 1, "VIR-1").expect("read"));
        assert_eq!(
            TierSizes::of(conn).expect("sizes"),
            TierSizes { recent: 0, all: 2 }
        );
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
