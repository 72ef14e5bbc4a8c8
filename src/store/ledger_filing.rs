//! The figures' day sums of entries their writer listed as it wrote them (`file_new`, the end
//! of an import and of `ledger::catch_up`), in two steps:
//!
//! 1. `sum_filed` looks up each household's filing (sector, departure date) and sums the new
//!    entries of the filed households by (day, kind, sector, after the departure). It only
//!    reads `ledger_households`, which nothing an import does changes before step 2: an import
//!    runs it on a second connection (`store::read_committed`) while the writer updates the
//!    balances and the yearly sums, the other core being idle then. At 500,000 households it is
//!    the scan of the 627,560 filings.
//! 2. `save_summed`, on the writing connection, files the households that had no filing
//!    (created by the import, or never filed), adds their entries, and writes the day rows.
//!
//! Why the second connection reads what the writer would: the import has written entries (a
//! write holds the database's write lock until the commit, and in WAL mode a write is only
//! allowed on a snapshot that is the last commit), so the last commit, which a reader started
//! now sees, is the state the writer's transaction started from; and the transaction has not
//! changed any filing yet. A household with no filing there is looked up again by the writer.

use std::collections::HashMap;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::{Result, StoreError};

/// A hash map with the store's fast hasher.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// New entries (or their sums) to file: household, ISO date, kind index into the caller's kind
/// names, cents, count.
pub(super) type NewSum = (i64, [u8; 10], u8, i64, i64);

/// A day row's key while filing: (date, kind index, interned sector, after the departure).
type DayKey = ([u8; 10], u8, u32, bool);

/// A household's filing: interned sector, departure date (None: not filed).
type Filing = Option<(u32, Option<[u8; 10]>)>;

/// Step 1's result: the day sums of the filed households' entries, and the entries of the
/// households without a filing, left for the writer.
#[derive(Debug, Default)]
pub(super) struct Summed {
    /// Sector codes, numbered in order of first sight.
    sectors: Vec<String>,
    days: FastMap<DayKey, (i64, i64)>,
    /// Entries of households that had no filing on the connection that summed.
    unfiled: Vec<NewSum>,
}

impl Summed {
    /// The number of sector `code`.
    fn sector(&mut self, code: &str) -> u32 {
        let k = match self.sectors.iter().position(|s| s == code) {
            Some(k) => k,
            None => {
                self.sectors.push(code.to_string());
                self.sectors.len() - 1
            }
        };
        u32::try_from(k).unwrap_or(u32::MAX)
    }

    /// Adds one new sum under its household's filing.
    fn add(&mut self, (sector, left): (u32, Option<[u8; 10]>), row: &NewSum) {
        let &(_, date, kind, cents, n) = row;
        let after = left.is_some_and(|l| date > l);
        let v = self
            .days
            .entry((date, kind, sector, after))
            .or_insert((0, 0));
        v.0 += cents;
        v.1 += n;
    }
}

/// A departure date as filed: ISO text, or nothing (a value of another length counts as no
/// departure, as it always has).
fn left_on(v: ValueRef<'_>) -> Option<[u8; 10]> {
    match v {
        ValueRef::Text(t) => <[u8; 10]>::try_from(t).ok(),
        _ => None,
    }
}

/// Step 1: the filings of `new`'s households read on `conn`, and the new entries summed under
/// them. `scan_above`: the number of households past which the filings are scanned rather
/// than looked up (`ledger::scan_above`; tests vary it).
pub(super) fn sum_filed(conn: &Connection, new: &[NewSum], scan_above: usize) -> Result<Summed> {
    let mut households: Vec<i64> = new.iter().map(|k| k.0).collect();
    households.sort_unstable();
    households.dedup();
    let mut filings: Vec<Filing> = vec![None; households.len()];
    let mut summed = Summed::default();
    let mut file = |summed: &mut Summed, k: usize, sector: ValueRef<'_>, left: ValueRef<'_>| {
        let code = sector.as_str().map_err(rusqlite::Error::from)?;
        filings[k] = Some((summed.sector(code), left_on(left)));
        Ok::<_, StoreError>(())
    };
    if households.len() > scan_above {
        // In key order, merged with the sorted households: no hashing, and the scan stops
        // after the last of them.
        let mut all = conn.prepare_cached(
            "SELECT household_id, sector, left_on FROM ledger_households ORDER BY household_id",
        )?;
        let mut rows = all.query([])?;
        let mut k = 0;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            while households.get(k).is_some_and(|h| *h < id) {
                k += 1;
            }
            match households.get(k) {
                None => break,
                Some(h) if *h == id => file(&mut summed, k, r.get_ref(1)?, r.get_ref(2)?)?,
                Some(_) => {}
            }
        }
    } else {
        let mut find = conn.prepare_cached(FIND)?;
        for (k, h) in households.iter().enumerate() {
            let mut rows = find.query([h])?;
            if let Some(r) = rows.next()? {
                file(&mut summed, k, r.get_ref(0)?, r.get_ref(1)?)?;
            }
        }
    }
    let mut last: Option<(i64, Filing)> = None;
    for row in new {
        let filing = match last {
            Some((h, f)) if h == row.0 => f,
            _ => {
                let f = households
                    .binary_search(&row.0)
                    .ok()
                    .and_then(|k| filings[k]);
                last = Some((row.0, f));
                f
            }
        };
        match filing {
            Some(f) => summed.add(f, row),
            None => summed.unfiled.push(*row),
        }
    }
    Ok(summed)
}

/// A household's filing.
const FIND: &str = "SELECT sector, left_on FROM ledger_households WHERE household_id = ?1";

/// Step 2, on the writing connection: files the households step 1 found without a filing
/// (their latest lease's sector, their departure; a household that no longer exists has none
/// and its entries are not filed, as the figures ignore them), adds their entries, writes the
/// day rows (`kinds` names the kind indexes) and moves the watermark to `max`.
pub(super) fn save_summed(
    conn: &Connection,
    kinds: &[&str],
    mut summed: Summed,
    max: i64,
) -> Result<()> {
    let unfiled = std::mem::take(&mut summed.unfiled);
    if !unfiled.is_empty() {
        let mut find = conn.prepare_cached(FIND)?;
        let mut file = conn.prepare_cached(&format!(
            "INSERT INTO ledger_households (household_id, sector, left_on)
             SELECT h.id, {}, h.left_on FROM households h WHERE h.id = ?1
             RETURNING sector, left_on",
            super::ledger::FILED_SECTOR
        ))?;
        let mut last: Option<(i64, Filing)> = None;
        for row in &unfiled {
            let filing = match last {
                Some((h, f)) if h == row.0 => f,
                _ => {
                    let mut f = None;
                    for stmt in [&mut find, &mut file] {
                        let mut rows = stmt.query([row.0])?;
                        if let Some(r) = rows.next()? {
                            let code = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
                            f = Some((summed.sector(code), left_on(r.get_ref(1)?)));
                            break;
                        }
                    }
                    last = Some((row.0, f));
                    f
                }
            };
            if let Some(f) = filing {
                summed.add(f, row);
            }
        }
    }
    let Summed { sectors, days, .. } = summed;
    let mut rows = Vec::with_capacity(days.len());
    for ((date, kind, sector, after), sums) in days {
        let date = std::str::from_utf8(&date).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let kind = kinds.get(usize::from(kind)).copied().unwrap_or("");
        let sector = sectors.get(sector as usize).cloned().unwrap_or_default();
        rows.push(((date.to_string(), kind.to_string(), sector, after), sums));
    }
    super::ledger::save_days(conn, rows, max)
}

/// Both steps on one connection (`ledger::catch_up`, and an import without a second one): files
/// entries already summed by household, day and kind, and moves the watermark to `max`. A
/// household's rows may repeat and are cheapest given together.
pub(super) fn file_new(conn: &Connection, kinds: &[&str], new: &[NewSum], max: i64) -> Result<()> {
    let summed = sum_filed(conn, new, super::ledger::scan_above(conn)?)?;
    save_summed(conn, kinds, summed, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> [u8; 10] {
        <[u8; 10]>::try_from(s.as_bytes()).expect("ISO date")
    }

    /// (date, kind, sector, after departure, cents, n) of every day row.
    fn day_rows(conn: &Connection) -> Vec<(String, String, String, bool, i64, i64)> {
        conn.prepare(
            "SELECT date, kind, sector, after_left, cents, n FROM ledger_days
             ORDER BY date, kind, sector, after_left",
        )
        .expect("prepare")
        .query_map([], |r| r.try_into())
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
    }

    #[test]
    fn filed_households_are_summed_by_a_scan_or_by_lookups_and_the_others_filed_after() {
        for scan_above in [0, usize::MAX] {
            let store = crate::store::Store::in_memory().expect("store");
            let conn = store.conn();
            crate::store::bare_households(conn, 1..=5);
            // 1 and 3 filed in sector N (3 leaves after the entries), 2 in S, gone on 15
            // November; 4 and 5 not filed yet (5 left on 10 November); 99 does not exist.
            conn.execute_batch(
                "INSERT INTO ledger_households (household_id, sector, left_on) VALUES
                    (1, 'N', NULL), (2, 'S', '2026-11-15'), (3, 'N', '2026-12-31');
                 UPDATE households SET left_on = '2026-11-10' WHERE id = 5;",
            )
            .expect("filings");
            let d20 = day("2026-11-20");
            // A household's rows apart (another batch), and in no order.
            let new: Vec<NewSum> = vec![
                (3, d20, 1, -30, 1),
                (1, d20, 0, 100, 1),
                (99, d20, 0, 1000, 1),
                (2, d20, 0, 50, 1),
                (2, day("2026-11-14"), 0, 7, 1),
                (5, d20, 0, 13, 2),
                (4, d20, 0, 11, 1),
                (1, d20, 0, 5, 1),
            ];
            let summed = sum_filed(conn, &new, scan_above).expect("sum");
            let mut unfiled: Vec<i64> = summed.unfiled.iter().map(|r| r.0).collect();
            unfiled.sort_unstable();
            assert_eq!(unfiled, vec![4, 5, 99], "scan above {scan_above}");
            save_summed(conn, &["rent_call", "payment"], summed, 42).expect("save");
            let row = |date: &str, kind: &str, sector: &str, after: bool, cents, n| {
                (
                    date.to_string(),
                    kind.to_string(),
                    sector.to_string(),
                    after,
                    cents,
                    n,
                )
            };
            assert_eq!(
                day_rows(conn),
                vec![
                    row("2026-11-14", "rent_call", "S", false, 7, 1),
                    row("2026-11-20", "payment", "N", false, -30, 1),
                    row("2026-11-20", "rent_call", "", false, 11, 1),
                    row("2026-11-20", "rent_call", "", true, 13, 2),
                    row("2026-11-20", "rent_call", "N", false, 105, 2),
                    row("2026-11-20", "rent_call", "S", true, 50, 1),
                ],
                "scan above {scan_above}"
            );
            let filed: Vec<i64> = conn
                .prepare("SELECT household_id FROM ledger_households ORDER BY 1")
                .expect("prepare")
                .query_map([], |r| r.get(0))
                .expect("query")
                .collect::<rusqlite::Result<_>>()
                .expect("filed");
            assert_eq!(filed, vec![1, 2, 3, 4, 5]);
            assert_eq!(
                super::super::ledger::watermark(conn).expect("watermark"),
                42
            );
        }
    }
}
