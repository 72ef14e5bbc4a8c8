//! Yearly sums against hand-computed rows: openings, an import's balances and yearly sums
//! together, and latest dates.

use super::*;

fn table() -> Connection {
    let conn = Connection::open_in_memory().expect("memory");
    conn.execute_batch(
        "CREATE TABLE ledger_years (year INTEGER NOT NULL, household_id INTEGER NOT NULL,
            net_cents INTEGER NOT NULL, charges_cents INTEGER NOT NULL,
            charges_q4_cents INTEGER NOT NULL, opening_cents INTEGER NOT NULL DEFAULT 0,
            last_on TEXT, PRIMARY KEY (year, household_id)) STRICT, WITHOUT ROWID;
         CREATE TABLE balances (household_id INTEGER PRIMARY KEY,
            cents INTEGER NOT NULL DEFAULT 0, year INTEGER,
            opening_cents INTEGER NOT NULL DEFAULT 0, net_cents INTEGER NOT NULL DEFAULT 0,
            charges_cents INTEGER NOT NULL DEFAULT 0, charges_q4_cents INTEGER NOT NULL DEFAULT 0,
            last_on TEXT) STRICT;
         CREATE TABLE households (id INTEGER PRIMARY KEY, left_on TEXT) STRICT;",
    )
    .expect("table");
    conn
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

/// `entries` saved as an import's end saves them: the yearly sums and each line's amount on
/// its household's balance, plus the balance changes `more` (households without a row).
fn import_end(conn: &Connection, entries: &[(i64, &str, i64)], more: &[(i64, i64)]) {
    let deltas = entries
        .iter()
        .map(|(h, _, c)| (*h, *c))
        .chain(more.iter().copied());
    save_with_balances(conn, &pending(entries).into_rows(), deltas.collect()).expect("save");
}

/// (year, net, opening) of household `h`, by year, both tables together; checks that no year
/// is in both, and that a household with years has one in `balances`.
fn rows(conn: &Connection, h: i64) -> Vec<(i64, i64, i64)> {
    let misplaced: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM ledger_years l LEFT JOIN balances b
                ON b.household_id = l.household_id
             WHERE l.household_id = ?1 AND (b.year IS NULL OR b.year = l.year)",
            [h],
            |r| r.get(0),
        )
        .expect("placement");
    assert_eq!(
        misplaced, 0,
        "household {h}: a year in both tables, or years without one in `balances`"
    );
    conn.prepare(
        "SELECT year, net_cents, opening_cents FROM ledger_years WHERE household_id = ?1
         UNION ALL SELECT year, net_cents, opening_cents FROM balances
         WHERE household_id = ?1 AND year IS NOT NULL ORDER BY year",
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

/// Household `h`'s balance (`balances.cents`).
fn balance(conn: &Connection, h: i64) -> i64 {
    conn.query_row(
        "SELECT COALESCE((SELECT cents FROM balances WHERE household_id = ?1), 0)",
        [h],
        |r| r.get(0),
    )
    .expect("balance")
}

#[test]
fn an_import_writes_balances_and_years_as_its_rows_saved_one_by_one() {
    let before = [
        (1, "2024-03-01", 100),
        (1, "2026-02-01", 50),
        (2, "2025-05-01", 7),
        (3, "2026-06-01", -20),
        (4, "2026-01-01", 30),
        (6, "2026-03-01", 11),
    ];
    let batch = [
        // Past the latest year (2026): 2026 moves to the earlier years.
        (1, "2027-01-05", 10),
        // Its latest year is 2025: 2027 opens with its closing.
        (2, "2027-01-05", 1),
        // Two years in one batch, the earlier one first in year order.
        (3, "2027-01-02", 2),
        (3, "2026-12-01", 5),
        // Two new years: the second opens after the first.
        (4, "2028-01-01", 4),
        (4, "2027-03-01", 3),
        // A household with no row at all.
        (5, "2027-01-01", 9),
        // Its latest year: one update of its balance row.
        (6, "2026-12-01", 40),
        // An earlier year than its latest: 2026 opens with it.
        (6, "2025-01-01", -2),
    ];
    let one_by_one = table();
    save(&one_by_one, &before);
    for e in batch {
        save(&one_by_one, &[e]);
    }
    let import = table();
    save(&import, &before);
    // Household 7 gets a balance change and no row (its entries were filed another way).
    import_end(&import, &batch, &[(7, 42)]);
    for h in 1..=7 {
        assert_eq!(rows(&import, h), rows(&one_by_one, h), "household {h}");
    }
    assert_eq!(rows(&import, 1)[2], (2027, 10, 150));
    assert_eq!(rows(&import, 2), vec![(2025, 7, 0), (2027, 1, 7)]);
    assert_eq!(rows(&import, 3), vec![(2026, -15, 0), (2027, 2, -15)]);
    assert_eq!(
        rows(&import, 4),
        vec![(2026, 30, 0), (2027, 3, 30), (2028, 4, 33)]
    );
    assert_eq!(rows(&import, 5), vec![(2027, 9, 0)]);
    assert_eq!(rows(&import, 6), vec![(2025, -2, 0), (2026, 51, -2)]);
    let balances: Vec<i64> = (1..=7).map(|h| balance(&import, h)).collect();
    assert_eq!(balances, [10, 1, 7, 7, 9, 38, 42]);
}

/// (year, latest entry date) of household `h`, by year.
fn last_dates(conn: &Connection, h: i64) -> Vec<(i64, Option<String>)> {
    conn.prepare(
        "SELECT year, last_on FROM ledger_years WHERE household_id = ?1
         UNION ALL SELECT year, last_on FROM balances WHERE household_id = ?1 AND year IS NOT NULL
         ORDER BY year",
    )
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

/// Entries with owned dates, borrowed as `save` takes them.
fn as_refs(v: &[(i64, String, i64)]) -> Vec<(i64, &str, i64)> {
    v.iter().map(|(h, d, c)| (*h, d.as_str(), *c)).collect()
}

#[test]
fn a_new_years_file_opens_the_year_for_each_household_as_one_by_one() {
    // Twenty households with a 2026 row; the batch opens 2027 for all but the 13th (a row
    // of 2026, after twelve that opened 2027: tried the other way first) and the 17th (no
    // row before), and adds an earlier year to the 19th.
    let before: Vec<(i64, String, i64)> = (1..=20)
        .filter(|h| *h != 17)
        .map(|h| (h, "2026-05-01".to_string(), 100 * h))
        .collect();
    let mut batch: Vec<(i64, String, i64)> = (1..=20)
        .map(|h| {
            let date = if h == 13 { "2026-12-01" } else { "2027-01-05" };
            (h, date.to_string(), h)
        })
        .collect();
    batch.push((19, "2025-03-01".to_string(), -7));
    let one_by_one = table();
    save(&one_by_one, &as_refs(&before));
    for e in as_refs(&batch) {
        save(&one_by_one, &[e]);
    }
    let import = table();
    save(&import, &as_refs(&before));
    import_end(&import, &as_refs(&batch), &[]);
    for h in 1..=20 {
        assert_eq!(rows(&import, h), rows(&one_by_one, h), "household {h}");
    }
    assert_eq!(rows(&import, 12), vec![(2026, 1200, 0), (2027, 12, 1200)]);
    assert_eq!(rows(&import, 13), vec![(2026, 1313, 0)]);
    assert_eq!(rows(&import, 14), vec![(2026, 1400, 0), (2027, 14, 1400)]);
    assert_eq!(rows(&import, 17), vec![(2027, 17, 0)]);
    assert_eq!(
        rows(&import, 19),
        vec![(2025, -7, 0), (2026, 1900, -7), (2027, 19, 1893)]
    );
    assert_eq!(balance(&import, 19), 12);
}

/// Household `h`'s year in `balances`.
fn held(conn: &Connection, h: i64) -> Option<i64> {
    conn.query_row(
        "SELECT year FROM balances WHERE household_id = ?1",
        [h],
        |r| r.get(0),
    )
    .expect("held year")
}

#[test]
fn a_departed_household_keeps_its_year_with_the_balance_and_files_later_ones_apart() {
    let conn = table();
    conn.execute_batch(
        "INSERT INTO households VALUES (1, '2024-06-30'), (2, NULL), (3, '2026-03-31')",
    )
    .expect("households");
    save(
        &conn,
        &[
            (1, "2024-03-01", 100),
            (2, "2025-02-01", 10),
            (3, "2026-01-01", 30),
        ],
    );
    // Household 1 left in 2024: its 2026 line opens 2026 among the earlier years' rows, after
    // 2024's closing; its balance row keeps 2024.
    save(&conn, &[(1, "2026-05-01", -40)]);
    assert_eq!(held(&conn, 1), Some(2024));
    assert_eq!(rows(&conn, 1), vec![(2024, 100, 0), (2026, -40, 100)]);
    // Another 2026 line adds to that row; a 2025 line opens between the two and moves 2026's
    // opening; a 2027 one opens after 2026; a 2023 one moves every later opening, 2024's in
    // the balance row included.
    save(&conn, &[(1, "2026-06-01", -5)]);
    save(&conn, &[(1, "2025-01-10", 7)]);
    save(&conn, &[(1, "2027-01-04", 1), (1, "2023-12-01", -3)]);
    // And a line of 2024, the year in the balance row, moves the openings filed apart.
    save(&conn, &[(1, "2024-09-01", 4)]);
    assert_eq!(held(&conn, 1), Some(2024));
    assert_eq!(
        rows(&conn, 1),
        vec![
            (2023, -3, 0),
            (2024, 104, -3),
            (2025, 7, 101),
            (2026, -45, 108),
            (2027, 1, 63)
        ]
    );
    // Household 3 left in 2026: 2027 goes apart too, in a batch as in one row at a time.
    import_end(&conn, &[(3, "2027-01-02", 8), (2, "2026-01-05", 2)], &[]);
    assert_eq!(held(&conn, 3), Some(2026));
    assert_eq!(rows(&conn, 3), vec![(2026, 30, 0), (2027, 8, 30)]);
    assert_eq!(balance(&conn, 3), 8);
    // Household 2, present, opens 2026 in its balance row as before.
    assert_eq!(held(&conn, 2), Some(2026));
    assert_eq!(rows(&conn, 2), vec![(2025, 10, 0), (2026, 2, 10)]);
    // A new year's file: household 2 moves 2026 out of its balance row; household 4, who left
    // in 2026 too, then does the same (its 2026 lands among the others' 2026), where household
    // 3 (above) kept its year: no household still at home had moved that year out.
    conn.execute("INSERT INTO households VALUES (4, '2026-09-30')", [])
        .expect("household 4");
    save(&conn, &[(4, "2026-02-01", 60)]);
    import_end(&conn, &[(2, "2027-01-05", 3), (4, "2027-01-05", -60)], &[]);
    assert_eq!((held(&conn, 2), held(&conn, 4)), (Some(2027), Some(2027)));
    assert_eq!(rows(&conn, 4), vec![(2026, 60, 0), (2027, -60, 60)]);
    assert_eq!(balance(&conn, 4), -60);
    // Household 1 back (its departure undone) with a 2028 line: its 2024 cannot move out of
    // the balance row with 2025–2027 filed apart, so 2028 goes with them.
    conn.execute("UPDATE households SET left_on = NULL WHERE id = 1", [])
        .expect("back");
    save(&conn, &[(1, "2028-02-01", 2)]);
    assert_eq!(held(&conn, 1), Some(2024));
    assert_eq!(rows(&conn, 1)[5], (2028, 2, 64));
    // The same entries filed in one go place each household's latest year in `balances`, with
    // the same sums and openings.
    let fresh = table();
    save(
        &fresh,
        &[
            (1, "2024-03-01", 100),
            (1, "2026-05-01", -40),
            (1, "2026-06-01", -5),
            (1, "2025-01-10", 7),
            (1, "2027-01-04", 1),
            (1, "2023-12-01", -3),
            (1, "2024-09-01", 4),
            (1, "2028-02-01", 2),
            (3, "2026-01-01", 30),
            (3, "2027-01-02", 8),
        ],
    );
    assert_eq!(held(&fresh, 1), Some(2028));
    for h in [1, 3] {
        assert_eq!(rows(&fresh, h), rows(&conn, h), "household {h}");
    }
}

#[test]
fn a_new_years_file_moves_out_the_year_of_households_at_home_and_of_those_who_left_that_year() {
    let conn = table();
    // 2 and 5 at home; 1 and 3 left in 2026, 4 in 2025. In household order, 1 comes before any
    // household at home has moved 2026 out, 3 after.
    conn.execute_batch(
        "INSERT INTO households VALUES (1, '2026-02-28'), (2, NULL), (3, '2026-04-30'),
            (4, '2025-06-30'), (5, NULL)",
    )
    .expect("households");
    save(
        &conn,
        &[
            (1, "2026-01-01", 100),
            (2, "2025-03-01", 10),
            (2, "2026-03-01", 200),
            (3, "2026-03-01", 300),
            (4, "2025-03-01", 400),
            (5, "2026-03-01", 500),
        ],
    );
    let batch = [
        (5, "2027-01-05", -5),
        (4, "2027-01-05", -4),
        (3, "2027-01-05", -3),
        (2, "2027-01-05", -2),
        (1, "2027-01-05", -1),
    ];
    import_end(&conn, &batch, &[]);
    let held_years: Vec<Option<i64>> = (1..=5).map(|h| held(&conn, h)).collect();
    assert_eq!(
        held_years,
        [Some(2026), Some(2027), Some(2027), Some(2025), Some(2027)]
    );
    assert_eq!(rows(&conn, 1), vec![(2026, 100, 0), (2027, -1, 100)]);
    assert_eq!(
        rows(&conn, 2),
        vec![(2025, 10, 0), (2026, 200, 10), (2027, -2, 210)]
    );
    assert_eq!(rows(&conn, 3), vec![(2026, 300, 0), (2027, -3, 300)]);
    assert_eq!(rows(&conn, 4), vec![(2025, 400, 0), (2027, -4, 400)]);
    assert_eq!(rows(&conn, 5), vec![(2026, 500, 0), (2027, -5, 500)]);
    let balances: Vec<i64> = (1..=5).map(|h| balance(&conn, h)).collect();
    assert_eq!(balances, [-1, -2, -3, -4, -5]);
}
