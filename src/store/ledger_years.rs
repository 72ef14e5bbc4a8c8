//! Each household's account summed per calendar year, kept current at write time (migration
//! 9), so that the debts of a year's figures read a few small rows per household instead of
//! months of entries.
//!
//! A row holds, for the entries of one household dated in one year, their sum and the sums of
//! their charges (positive amounts) dated January to September and October to December: a
//! balance at a year's end is the sum of the years up to it, and the debt's age buckets at a
//! year's end (`domain::ledger::debt_by_age`: less than 3 months is after 30 September, 3 to 12
//! months is the rest of the year) need only those two charge sums. The rows cover the same
//! entries as the day sums (ids up to `ledger_state.last_entry_id`), and are filed by the same
//! `catch_up`; entries are never updated nor deleted, and a year's sums depend neither on the
//! household's lease nor on its departure, so nothing needs filing again. A row also keeps the
//! date of the year's latest entry (`last_on`, migration 12): the detection finds the entries
//! dated after a day from it, where an index on the entries' date cost every entry written.
//!
//! Each household's latest year is kept in its `balances` row, beside its balance, and the
//! table `ledger_years` holds the earlier years (migration 17): a month's import writes nearly
//! every line into the latest year, and one update then writes the balance and the year's sums
//! (at 500,000 households the two tables' updates took 0.5–0.7 s of an import of about 1 s).
//! A departed household's later years go to `ledger_years` instead, its balance row keeping
//! the year it had (see `Latest`): every year of a household is in one table or the other,
//! never both. Readers of a year read both (`stats::year_end`, `stats::day_end`,
//! `detect::future_sums`).

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::Result;

/// A hash map with the store's fast hasher.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// One household's year: (sum, charges January–September, charges October–December), cents,
/// and the date of its latest entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Year {
    /// Sum of every entry.
    pub net: i64,
    /// Positive entries dated 1 January to 30 September.
    pub charges: i64,
    /// Positive entries dated 1 October to 31 December.
    pub charges_q4: i64,
    /// ISO date of the latest entry (zeros before the first).
    pub last: [u8; 10],
}

impl Year {
    /// Adds the sums of other entries of the same household and year.
    pub fn merge(&mut self, other: &Year) {
        self.net += other.net;
        self.charges += other.charges;
        self.charges_q4 += other.charges_q4;
        self.last = self.last.max(other.last);
    }

    /// The latest entry's date as text, for `last_on` (None before any entry).
    fn last_on(&self) -> Option<&str> {
        std::str::from_utf8(&self.last)
            .ok()
            .filter(|d| !d.starts_with('\0'))
    }

    /// Adds one entry dated `date` (ISO bytes).
    pub fn add(&mut self, date: &[u8], cents: i64) {
        if let Ok(d) = <[u8; 10]>::try_from(date)
            && d > self.last
        {
            self.last = d;
        }
        self.net += cents;
        if cents > 0 {
            if date.get(5..7).is_some_and(|m| m >= b"10".as_slice()) {
                self.charges_q4 += cents;
            } else {
                self.charges += cents;
            }
        }
    }
}

/// The year of an ISO date's bytes.
pub(super) fn year_of(date: &[u8]) -> Option<i64> {
    let y = date.get(0..4)?;
    y.iter().try_fold(0i64, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

/// New entries summed per (household, year), before they are added to the table: entries
/// added one by one are summed in a map; sums an import already made per household are kept
/// in a list, in the order given (household order within a batch: `save` sorts them for
/// almost nothing), and merged with the map when saved.
#[derive(Default)]
pub(super) struct Pending {
    sums: FastMap<(i64, i64), Year>,
    runs: Vec<((i64, i64), Year)>,
}

impl Pending {
    /// Adds one entry.
    pub fn add(&mut self, household: i64, date: &[u8], cents: i64) {
        if let Some(y) = year_of(date) {
            self.sums
                .entry((household, y))
                .or_default()
                .add(date, cents);
        }
    }

    /// Adds one household's entries already summed by year (an import sums each household's
    /// lines of a batch together). A household may come again (another batch): `save` merges.
    pub fn add_years(&mut self, household: i64, years: &[(i64, Year)]) {
        self.runs
            .extend(years.iter().map(|(y, s)| ((household, *y), *s)));
    }

    /// Every (household, year) once, in (year, household) order: what `save_rows` takes.
    pub fn into_rows(self) -> Vec<((i64, i64), Year)> {
        let mut rows = self.runs;
        rows.extend(self.sums);
        super::merge::sort_and_merge(
            &mut rows,
            |((h, y), _)| (*y, *h),
            |kept, next| kept.1.merge(&next.1),
        );
        rows
    }

    /// Adds the sums to the yearly rows, in key order, and keeps the opening balances right: a
    /// year's sum moves the opening of the household's later years, and a new year opens with
    /// the closing balance of the household's latest earlier year. Years are few: each earlier
    /// one is looked up by key (`ledger_years` is keyed by year first).
    pub fn save(self, conn: &Connection) -> Result<()> {
        save_rows(conn, &self.into_rows())
    }
}

/// `Pending::save` of its rows (`Pending::into_rows`: (year, household) order). A row of the
/// household's latest year or a later one goes into its `balances` row (`Latest`, migration
/// 17); an earlier year, a departed household's later one, or its first, through
/// `Latest::elsewhere`.
pub(super) fn save_rows(conn: &Connection, rows: &[((i64, i64), Year)]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    if is_empty(conn)? {
        return save_fresh(conn, rows.to_vec());
    }
    let mut latest = Latest::new(conn, rows.len())?;
    for &((h, y), s) in rows {
        if let Wrote::Not(c) = latest.write(h, y, &s, 0)? {
            latest.elsewhere(h, y, &s, 0, c)?;
        }
    }
    Ok(())
}

/// The end of an import whose entries are all filed here: each household's balance change
/// (`deltas`, household and cents) and its yearly sums (`rows`, as `save_rows` takes them). A
/// household with one row, in the year its balance row holds (nearly every household of a
/// month's file), is one update of its `balances` row: the balance and the year's sums
/// together.
pub(super) fn save_with_balances(
    conn: &Connection,
    rows: &[((i64, i64), Year)],
    mut deltas: Vec<(i64, i64)>,
) -> Result<()> {
    if is_empty(conn)? {
        super::write::add_to_balances(conn, deltas)?;
        return save_rows(conn, rows);
    }
    super::merge::sort_and_merge(&mut deltas, |d| d.0, |kept, next| kept.1 += next.1);
    // Row indexes by household (years in order within one, the sort being stable).
    let mut by_household: Vec<usize> = (0..rows.len()).collect();
    by_household.sort_by_key(|&i| rows[i].0.0);
    let mut latest = Latest::new(conn, rows.len())?;
    let mut rest: Vec<usize> = Vec::new();
    let mut balance_only: Vec<(i64, i64)> = Vec::new();
    let mut d = deltas.iter().peekable();
    let mut k = 0;
    while k < by_household.len() {
        let h = rows[by_household[k]].0.0;
        let run = by_household[k..]
            .iter()
            .take_while(|&&i| rows[i].0.0 == h)
            .count();
        while let Some(x) = d.next_if(|x| x.0 < h) {
            balance_only.push(*x);
        }
        let cents = d.next_if(|x| x.0 == h).map_or(0, |x| x.1);
        if run == 1 {
            let ((_, y), s) = rows[by_household[k]];
            if let Wrote::Not(c) = latest.write(h, y, &s, cents)? {
                latest.elsewhere(h, y, &s, cents, c)?;
            }
        } else {
            rest.extend(&by_household[k..k + run]);
            if cents != 0 {
                balance_only.push((h, cents));
            }
        }
        k += run;
    }
    balance_only.extend(d);
    // Households with rows in several years: in (year, household) order, as `save_rows`.
    rest.sort_unstable();
    for i in rest {
        let ((h, y), s) = rows[i];
        if let Wrote::Not(c) = latest.write(h, y, &s, 0)? {
            latest.elsewhere(h, y, &s, 0, c)?;
        }
    }
    super::write::add_to_balances(conn, balance_only)
}

/// Whether no yearly sums are filed yet (a new base: `save_fresh`).
fn is_empty(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT NOT EXISTS (SELECT 1 FROM ledger_years)
                AND NOT EXISTS (SELECT 1 FROM balances WHERE year IS NOT NULL)",
        )?
        .query_row([], |r| r.get(0))?)
}

/// A year's sums from a row's columns `at`.. (net, charges, charges_q4, last_on).
fn read_year(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Year> {
    let last = r
        .get_ref(at + 3)?
        .as_str_or_null()
        .ok()
        .flatten()
        .unwrap_or("");
    Ok(Year {
        net: r.get(at)?,
        charges: r.get(at + 1)?,
        charges_q4: r.get(at + 2)?,
        last: <[u8; 10]>::try_from(last.as_bytes()).unwrap_or_default(),
    })
}

/// Makes `y` the year household `h`'s `balances` row holds, with the sums `s` and `opening`, and
/// adds `cents` to its balance (a row is created when it has none).
fn restart(conn: &Connection, h: i64, y: i64, s: &Year, opening: i64, cents: i64) -> Result<()> {
    let values = params![
        h,
        cents,
        y,
        opening,
        s.net,
        s.charges,
        s.charges_q4,
        s.last_on()
    ];
    let updated = conn
        .prepare_cached(
            "UPDATE balances SET cents = cents + ?2, year = ?3, opening_cents = ?4,
                net_cents = ?5, charges_cents = ?6, charges_q4_cents = ?7, last_on = ?8
             WHERE household_id = ?1",
        )?
        .execute(values)?;
    if updated == 0 {
        conn.prepare_cached(
            "INSERT INTO balances (household_id, cents, year, opening_cents, net_cents,
                charges_cents, charges_q4_cents, last_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?
        .execute(values)?;
    }
    Ok(())
}

/// A new row of the yearly sums (see `insert_row`).
const INSERT_ROW: &str = "INSERT INTO ledger_years (year, household_id, net_cents, charges_cents,
    charges_q4_cents, opening_cents, last_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// Inserts household `h`'s row of year `y` with `INSERT_ROW`.
fn insert_row(
    insert: &mut rusqlite::Statement<'_>,
    y: i64,
    h: i64,
    s: &Year,
    opening: i64,
) -> Result<()> {
    let last_on = s.last_on();
    insert.execute(params![
        y,
        h,
        s.net,
        s.charges,
        s.charges_q4,
        opening,
        last_on
    ])?;
    Ok(())
}

/// `Pending::save` into an empty table (a new base's whole history, as the demo files it): the
/// openings are running sums over each household's years, computed here; each household's
/// latest year goes to its `balances` row, the others are inserted in key order, no lookup.
fn save_fresh(conn: &Connection, mut rows: Vec<((i64, i64), Year)>) -> Result<()> {
    rows.sort_unstable_by_key(|(k, _)| *k);
    let mut running: (i64, i64) = (i64::MIN, 0);
    let mut all: Vec<(i64, i64, Year, i64)> = Vec::with_capacity(rows.len());
    for (k, ((h, y), s)) in rows.iter().enumerate() {
        if running.0 != *h {
            running = (*h, 0);
        }
        let opening = running.1;
        running.1 += s.net;
        if rows.get(k + 1).is_some_and(|((next, _), _)| next == h) {
            all.push((*y, *h, *s, opening));
        } else {
            restart(conn, *h, *y, s, opening, 0)?;
        }
    }
    all.sort_unstable_by_key(|(y, h, _, _)| (*y, *h));
    let mut insert = conn.prepare_cached(INSERT_ROW)?;
    for (y, h, s, opening) in all {
        insert_row(&mut insert, y, h, &s, opening)?;
    }
    Ok(())
}

/// Files the entries with an id in `(after, upto]` (a catch-up): one read by id range.
pub(super) fn file_range(conn: &Connection, after: i64, upto: i64) -> Result<()> {
    let mut pending = Pending::default();
    let mut stmt = conn.prepare_cached(
        "SELECT household_id, date, amount_cents FROM entries WHERE id > ?1 AND id <= ?2",
    )?;
    let mut rows = stmt.query([after, upto])?;
    while let Some(r) = rows.next()? {
        pending.add(r.get(0)?, super::read::text(r, 1)?.as_bytes(), r.get(2)?);
    }
    drop(rows);
    pending.save(conn)
}

/// Streams every household's years computed from its entries with an id up to `upto`, in
/// household order. Before migration 14 (`tiered` false: migration 9's hook) the account
/// index is read front to back, nothing sorted; since, each household's two tiers are read
/// and sorted together, household after household.
fn each_from_entries(
    conn: &Connection,
    upto: i64,
    tiered: bool,
    mut each: impl FnMut(i64, i64, Year) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(if tiered {
        "SELECT e.household_id, e.date, e.amount_cents
         FROM households h CROSS JOIN entries e INDEXED BY entries_tier_household
             ON e.tier IN (0, 1) AND e.household_id = h.id
         WHERE e.id <= ?1 ORDER BY h.id, e.date"
    } else {
        "SELECT household_id, date, amount_cents FROM entries INDEXED BY entries_household_date
         WHERE id <= ?1 ORDER BY household_id, date"
    })?;
    let mut rows = stmt.query([upto])?;
    let mut current: Option<(i64, i64, Year)> = None;
    while let Some(r) = rows.next()? {
        let household: i64 = r.get(0)?;
        let date = super::read::text(r, 1)?.as_bytes();
        let Some(year) = year_of(date) else {
            return Err(super::read::corrupt(
                "date d'écriture",
                &String::from_utf8_lossy(date),
            ));
        };
        match &mut current {
            Some((h, y, sums)) if *h == household && *y == year => sums.add(date, r.get(2)?),
            _ => {
                if let Some((h, y, sums)) = current.take() {
                    each(h, y, sums)?;
                }
                let mut sums = Year::default();
                sums.add(date, r.get(2)?);
                current = Some((household, year, sums));
            }
        }
    }
    if let Some((h, y, sums)) = current {
        each(h, y, sums)?;
    }
    Ok(())
}

/// Migration 9's hook: fills `ledger_years` from the entries the day sums cover. The rows are
/// inserted in key order (a year after the other), so that each year's rows follow each other
/// in the file and a year's figures read them as one sequential run.
pub(super) fn fill(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let run = || -> Result<()> {
        let upto = super::ledger::watermark(tx)?;
        let mut all: Vec<(i64, i64, Year)> = Vec::new();
        each_from_entries(tx, upto, false, |h, y, s| {
            all.push((y, h, s));
            Ok(())
        })?;
        all.sort_unstable_by_key(|(y, h, _)| (*y, *h));
        let mut insert = tx.prepare(
            "INSERT INTO ledger_years (year, household_id, net_cents, charges_cents,
                charges_q4_cents) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for (y, h, s) in all {
            insert.execute(params![y, h, s.net, s.charges, s.charges_q4])?;
        }
        Ok(())
    };
    run().map_err(|e| match e {
        super::StoreError::Sqlite(e) => e,
        other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
    })
}

mod check;
pub(super) use check::mismatches;
mod latest;
use latest::{Latest, Wrote};

#[cfg(test)]
mod tests;
