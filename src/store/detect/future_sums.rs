//! What the entries dated after the day add to each household's cached balance: the
//! detection judges the balance on the day.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::super::{Result, StoreError};
use super::Written;

/// `future_sums` on `day` after a transaction that says what it wrote (`written`, an import):
/// the committed entries' sums on a second connection (its snapshot is the state before the
/// transaction, where few households have entries after the day: usually none), plus the
/// entries the transaction added, from `written`. An import of next month's rent calls gives
/// every household an entry after the day, which `future_sums` would seek household by
/// household in the index (0.24 s at 100,000 households). Without `written`, with households
/// whose entries it does not list, or on an in-memory base: `future_sums` on `conn`.
pub(super) fn future_sums_after(
    conn: &Connection,
    day: NaiveDate,
    written: Option<&Written>,
) -> Result<HashMap<i64, i64>> {
    let iso = super::iso(day);
    let path = conn.path().filter(|p| !p.is_empty());
    let (Some(written), Some(path)) = (written, path) else {
        return future_sums(conn, &iso);
    };
    if !written.other.is_empty() {
        return future_sums(conn, &iso);
    }
    let mut future = crate::store::read_committed(path, crate::store::MAP_BYTES, |second| {
        future_sums(second, &iso)
    })?;
    for (household, added) in &written.added {
        let cents: i64 = added
            .iter()
            .filter(|(date, _, _)| *date > day)
            .map(|(_, _, cents)| cents)
            .sum();
        if cents != 0 {
            *future.entry(*household).or_insert(0) += cents;
        }
    }
    Ok(future)
}

/// The sums of the entries dated after `day` (ISO), by household, without an index on the
/// date (migration 12): the entries up to the watermark are those of the yearly sums' later
/// years, and in the day's own year those after it of the households whose latest entry of
/// the year is later (read from the account index, which holds household, date, id and
/// amount); the few entries past the watermark are read by id. Summed here rather than by
/// GROUP BY, which would sort the rows first.
pub(super) fn future_sums(conn: &Connection, day: &str) -> Result<HashMap<i64, i64>> {
    let mut future: HashMap<i64, i64> = HashMap::new();
    let upto = crate::store::ledger::watermark(conn)?;
    let year: i64 = day
        .get(0..4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| StoreError::Corrupt(format!("date « {day} » illisible")))?;
    // The rows of `ledger_years`, then the years the balance rows hold (migration 17): each
    // household's year is in one or the other.
    for sql in [
        "SELECT household_id, net_cents FROM ledger_years WHERE year > ?1",
        "SELECT household_id, net_cents FROM balances WHERE year > ?1",
    ] {
        let mut later = conn.prepare_cached(sql)?;
        let mut rows = later.query([year])?;
        while let Some(r) = rows.next()? {
            let cents: i64 = r.get(1)?;
            if cents != 0 {
                *future.entry(r.get::<_, i64>(0)?).or_insert(0) += cents;
            }
        }
    }
    // One statement for every household of the day's year with a later entry: SQLite seeks
    // each one's ranges of the account index (one per tier) without a statement run per
    // household. CROSS JOIN keeps the yearly rows outside: otherwise SQLite plans the index's
    // whole tier as the outer loop.
    let end = format!("{:04}-12-31", year);
    for sql in [SAME_YEAR_LATER, SAME_YEAR_LATER_HELD] {
        let mut same_year = conn.prepare_cached(sql)?;
        let mut rows = same_year.query(rusqlite::params![year, day, end, upto])?;
        while let Some(r) = rows.next()? {
            *future.entry(r.get::<_, i64>(0)?).or_insert(0) += r.get::<_, i64>(1)?;
        }
    }
    let mut past_watermark = conn.prepare_cached(
        "SELECT household_id, amount_cents FROM entries WHERE id > ?1 AND +date > ?2",
    )?;
    let mut rows = past_watermark.query(rusqlite::params![upto, day])?;
    while let Some(r) = rows.next()? {
        *future.entry(r.get::<_, i64>(0)?).or_insert(0) += r.get::<_, i64>(1)?;
    }
    Ok(future)
}

/// The entries of the households of a year (?1) dated after the day (?2) up to the year's
/// end (?3), with ids up to the watermark (?4), by household.
const SAME_YEAR_LATER: &str = "SELECT y.household_id, e.amount_cents FROM ledger_years y
    CROSS JOIN entries e INDEXED BY entries_tier_household
        ON e.tier IN (0, 1) AND e.household_id = y.household_id
            AND e.date > ?2 AND e.date <= ?3 AND e.id <= ?4
    WHERE y.year = ?1 AND y.last_on > ?2";

/// `SAME_YEAR_LATER` for the households whose balance row holds the day's year (its sums are
/// there, migration 17).
const SAME_YEAR_LATER_HELD: &str = "SELECT y.household_id, e.amount_cents FROM balances y
    CROSS JOIN entries e INDEXED BY entries_tier_household
        ON e.tier IN (0, 1) AND e.household_id = y.household_id
            AND e.date > ?2 AND e.date <= ?3 AND e.id <= ?4
    WHERE y.year = ?1 AND y.last_on > ?2";

#[cfg(test)]
mod tests {
    use super::*;

    /// An entry of `cents` on household `h`'s account, dated `date`.
    fn charge(conn: &Connection, h: i64, date: &str, cents: i64) {
        conn.execute(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label,
                recorded_by, recorded_at) VALUES (?1, ?2, 'rent_call', ?3, 'x', 't', 't')",
            rusqlite::params![h, date, cents],
        )
        .expect("entry");
    }

    /// The definition `future_sums` answers without a date index.
    fn by_definition(conn: &Connection, day: &str) -> Vec<(i64, i64)> {
        conn.prepare(
            "SELECT household_id, SUM(amount_cents) FROM entries WHERE date > ?1
             GROUP BY household_id HAVING SUM(amount_cents) <> 0 ORDER BY 1",
        )
        .expect("prepare")
        .query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
    }

    fn sorted(m: HashMap<i64, i64>) -> Vec<(i64, i64)> {
        let mut v: Vec<_> = m.into_iter().filter(|(_, c)| *c != 0).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn later_entries_are_sought_household_by_household() {
        let store = crate::store::Store::in_memory().expect("memory");
        // The yearly rows outside (a year's range of the earlier years, a pass over the
        // balances), each household's ranges of the index inside (not one tier of the whole
        // index scanned as the outer loop).
        for (sql, outer) in [
            (SAME_YEAR_LATER, "SEARCH y"),
            (SAME_YEAR_LATER_HELD, "SCAN y"),
        ] {
            let plan = crate::store::query_plan(
                store.conn(),
                sql,
                rusqlite::params![2026, "2026-11-22", "2026-12-31", 99],
            );
            assert!(plan[0].starts_with(outer), "{plan:?}");
            assert!(
                plan[1].contains("(tier=? AND household_id=? AND date>? AND date<?)"),
                "{plan:?}"
            );
        }
    }

    #[test]
    fn entries_after_the_day_are_summed_as_defined_without_a_date_index() {
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::Store::create(&dir.path().join("f.sqlite3")).expect("create");
        let conn = store.conn();
        let entry = |h: i64, date: &str, cents: i64| charge(conn, h, date, cents);
        crate::store::bare_households(conn, 1..=5);
        // 1: before and on the day only; 2: later in the day's year; 3: a later year only;
        // 4: both, and an earlier year; 5: entries that cancel out after the day.
        for (h, date, cents) in [
            (1, "2026-11-01", 500),
            (1, "2026-11-22", 500),
            (2, "2026-03-01", 100),
            (2, "2026-12-05", 700),
            (3, "2027-01-05", 300),
            (4, "2025-12-31", 50),
            (4, "2026-11-23", 20),
            (4, "2028-02-01", -10),
            (5, "2026-12-01", 80),
            (5, "2026-12-02", -80),
        ] {
            entry(h, date, cents);
        }
        crate::store::ledger::catch_up(conn).expect("catch up");
        for day in [
            "2026-11-22",
            "2026-12-01",
            "2025-06-30",
            "2027-12-31",
            "2028-02-01",
        ] {
            let got = sorted(future_sums(conn, day).expect("sums"));
            assert_eq!(got, by_definition(conn, day), "{day}");
        }
        // Entries past the watermark (written without a catch-up) count too.
        entry(1, "2026-12-24", 9);
        entry(2, "2026-11-01", 4);
        entry(3, "2030-01-01", 1);
        for day in ["2026-11-22", "2026-12-24", "2029-12-31"] {
            let got = sorted(future_sums(conn, day).expect("sums"));
            assert_eq!(got, by_definition(conn, day), "{day}");
        }
        assert_eq!(
            sorted(future_sums(conn, "2026-11-22").expect("sums")),
            vec![(1, 9), (2, 700), (3, 301), (4, 10)]
        );
    }

    #[test]
    fn after_an_import_the_committed_sums_and_the_written_entries_make_the_same_sums() {
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::Store::create(&dir.path().join("a.sqlite3")).expect("create");
        let conn = store.conn();
        let entry = |h: i64, date: &str, cents: i64| charge(conn, h, date, cents);
        crate::store::bare_households(conn, 1..=4);
        // Committed: 1 has an entry after the day, 2 only before it, 3 in a later year.
        for (h, date, cents) in [
            (1, "2026-12-05", 700),
            (2, "2026-11-01", 100),
            (3, "2027-01-05", 300),
        ] {
            entry(h, date, cents);
        }
        crate::store::ledger::catch_up(conn).expect("catch up");
        // The import's transaction: entries after the day for 1, 2 and 4, one before it for 3,
        // filed as an import files them, and listed as it lists them.
        conn.execute_batch("BEGIN IMMEDIATE").expect("begin");
        let day = NaiveDate::from_ymd_opt(2026, 11, 22).expect("day");
        let mut written = Written::default();
        for (h, date, cents) in [
            (1, "2026-12-01", 512),
            (2, "2026-12-02", -300),
            (3, "2026-11-20", 40),
            (4, "2027-01-01", 90),
            (4, "2026-11-22", 7),
        ] {
            entry(h, date, cents);
            let d = crate::domain::dates::parse_iso(date).expect("date");
            written.added.entry(h).or_default().push((
                d,
                crate::domain::ledger::EntryKind::RentCall,
                cents,
            ));
        }
        crate::store::ledger::catch_up(conn).expect("catch up");
        let want = by_definition(conn, "2026-11-22");
        assert_eq!(want, vec![(1, 1212), (2, -300), (3, 300), (4, 90)]);
        let got = sorted(future_sums_after(conn, day, Some(&written)).expect("sums"));
        assert_eq!(got, want);
        // A household the import does not list: everything read on the writing connection.
        written.other.insert(4);
        written.added.remove(&4);
        let got = sorted(future_sums_after(conn, day, Some(&written)).expect("sums"));
        assert_eq!(got, want);
        conn.execute_batch("ROLLBACK").expect("rollback");
    }
}
