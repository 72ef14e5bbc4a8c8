//! Yearly sums against hand-computed rows: the span of years, openings, closings read ahead and latest dates.

use super::*;

fn table() -> Connection {
    let conn = Connection::open_in_memory().expect("memory");
    conn.execute_batch(
        "CREATE TABLE ledger_years (year INTEGER NOT NULL, household_id INTEGER NOT NULL,
            net_cents INTEGER NOT NULL, charges_cents INTEGER NOT NULL,
            charges_q4_cents INTEGER NOT NULL, opening_cents INTEGER NOT NULL DEFAULT 0,
            last_on TEXT, PRIMARY KEY (year, household_id)) STRICT, WITHOUT ROWID;",
    )
    .expect("table");
    conn
}

#[test]
fn the_span_of_years_is_read_from_the_ends_of_the_key() {
    let conn = table();
    let plan = crate::store::query_plan(&conn, YEARS_SPAN, []);
    assert!(
        plan.iter().all(|l| !l.contains("SCAN ledger_years")),
        "{plan:?}"
    );
    assert_eq!(
        plan.iter()
            .filter(|l| l.contains("SEARCH ledger_years USING PRIMARY KEY"))
            .count(),
        2,
        "{plan:?}"
    );
}

/// (household, ISO date, cents) entries, pending.
fn pending(entries: &[(i64, &str, i64)]) -> Pending {
    let mut p = Pending::default();
    for (h, date, cents) in entries {
        p.add(*h, date.as_bytes(), *cents);
    }
    p
}

fn save(conn: &Connection, entries: &[(i64, &str, i64)]) {
    pending(entries).save(conn).expect("save");
}

/// (year, net, opening) of household `h`, by year.
fn rows(conn: &Connection, h: i64) -> Vec<(i64, i64, i64)> {
    conn.prepare(
        "SELECT year, net_cents, opening_cents FROM ledger_years
         WHERE household_id = ?1 ORDER BY year",
    )
    .expect("prepare")
    .query_map([h], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
    .expect("query")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

#[test]
fn a_fresh_table_gets_the_same_openings_as_one_filled_year_by_year() {
    let entries = [
        (1, "2024-03-01", 100),
        (2, "2025-11-01", 7),
        (1, "2026-01-05", 50),
        (1, "2022-02-02", -20),
        (2, "2023-01-01", -3),
    ];
    let fresh = table();
    save(&fresh, &entries);
    let stepwise = table();
    for e in entries {
        save(&stepwise, &[e]);
    }
    for h in [1, 2] {
        assert_eq!(rows(&fresh, h), rows(&stepwise, h));
    }
    assert_eq!(
        rows(&fresh, 1),
        vec![(2022, -20, 0), (2024, 100, -20), (2026, 50, 80)]
    );
}

#[test]
fn openings_follow_later_earlier_and_new_years() {
    let conn = table();
    save(&conn, &[(1, "2024-03-01", 100), (2, "2024-03-01", 7)]);
    // A new later year opens with the closing of the latest earlier one (none in 2025).
    save(&conn, &[(1, "2026-01-05", 50)]);
    assert_eq!(rows(&conn, 1), vec![(2024, 100, 0), (2026, 50, 100)]);
    // A year in between opens after 2024 and moves 2026's opening.
    save(&conn, &[(1, "2025-10-01", 30)]);
    assert_eq!(
        rows(&conn, 1),
        vec![(2024, 100, 0), (2025, 30, 100), (2026, 50, 130)]
    );
    // A year before every other, and a year of one batch before another of the same batch.
    save(&conn, &[(1, "2022-02-02", -20), (1, "2023-12-31", 5)]);
    assert_eq!(
        rows(&conn, 1),
        vec![
            (2022, -20, 0),
            (2023, 5, -20),
            (2024, 100, -15),
            (2025, 30, 85),
            (2026, 50, 115)
        ]
    );
    // Two years past the table's last in one batch: the second opens after the first.
    save(&conn, &[(1, "2028-02-01", 1), (1, "2027-01-05", 10)]);
    assert_eq!(rows(&conn, 1)[5..], [(2027, 10, 165), (2028, 1, 175)]);
    // The other household is left alone.
    assert_eq!(rows(&conn, 2), vec![(2024, 7, 0)]);
}

#[test]
fn closings_read_ahead_give_the_openings_the_writer_looks_up() {
    let before = [
        (1, "2024-03-01", 100),
        (1, "2026-02-01", 50),
        (2, "2025-05-01", 7),
        (3, "2026-06-01", -20),
        (4, "2026-01-01", 30),
    ];
    let batch = [
        // Past the last year (2026), with a row there: its closing read ahead.
        (1, "2027-01-05", 10),
        // No row in 2026: looked up (2025).
        (2, "2027-01-05", 1),
        // A 2026 row first in the batch: it moves the closing, so none is read ahead.
        (3, "2027-01-02", 2),
        (3, "2026-12-01", 5),
        // Two new years: the second opens after the first.
        (4, "2028-01-01", 4),
        (4, "2027-03-01", 3),
        // A household with no row at all.
        (5, "2027-01-01", 9),
    ];
    let looked_up = table();
    save(&looked_up, &before);
    save(&looked_up, &batch);
    // Read by one pass over 2026 (0: any number of households is over the threshold),
    // then by a lookup each.
    for scan_above in [0, usize::MAX] {
        let ahead = table();
        save(&ahead, &before);
        let rows_of_batch = pending(&batch).into_rows();
        let read = closings(&ahead, &rows_of_batch, scan_above).expect("closings");
        assert_eq!(read.len(), 2, "{read:?}");
        save_rows(&ahead, &rows_of_batch, Some(&read)).expect("save");
        for h in 1..=5 {
            assert_eq!(rows(&ahead, h), rows(&looked_up, h), "household {h}");
        }
        assert_eq!(rows(&ahead, 1)[2], (2027, 10, 150));
        assert_eq!(rows(&ahead, 3), vec![(2026, -15, 0), (2027, 2, -15)]);
        assert_eq!(
            rows(&ahead, 4),
            vec![(2026, 30, 0), (2027, 3, 30), (2028, 4, 33)]
        );
    }
}

/// (year, latest entry date) of household `h`, by year.
fn last_dates(conn: &Connection, h: i64) -> Vec<(i64, Option<String>)> {
    conn.prepare("SELECT year, last_on FROM ledger_years WHERE household_id = ?1 ORDER BY year")
        .expect("prepare")
        .query_map([h], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

#[test]
fn each_year_keeps_the_date_of_its_latest_entry_whatever_the_order_written() {
    let conn = table();
    // A fresh table, then batches adding earlier and later dates to existing years.
    save(&conn, &[(1, "2025-03-01", 100), (1, "2025-01-10", -40)]);
    assert_eq!(
        last_dates(&conn, 1),
        vec![(2025, Some("2025-03-01".into()))]
    );
    save(&conn, &[(1, "2025-02-01", 5), (1, "2026-12-01", 512)]);
    assert_eq!(
        last_dates(&conn, 1),
        vec![
            (2025, Some("2025-03-01".into())),
            (2026, Some("2026-12-01".into()))
        ]
    );
    save(&conn, &[(1, "2025-12-31", -5), (1, "2026-06-30", 1)]);
    assert_eq!(
        last_dates(&conn, 1),
        vec![
            (2025, Some("2025-12-31".into())),
            (2026, Some("2026-12-01".into()))
        ]
    );
    // Sums of one household's lines added together keep the latest of them.
    let mut p = Pending::default();
    let mut a = Year::default();
    a.add(b"2027-01-05", 10);
    let mut b = Year::default();
    b.add(b"2027-02-01", 10);
    b.add(b"2027-01-20", 10);
    p.add_years(2, &[(2027, a)]);
    p.add_years(2, &[(2027, b)]);
    p.save(&conn).expect("save");
    assert_eq!(
        last_dates(&conn, 2),
        vec![(2027, Some("2027-02-01".into()))]
    );
}
