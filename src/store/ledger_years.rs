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

    /// Adds the sums to `ledger_years`, in key order, and keeps the opening balances right: a
    /// year's sum moves the opening of the household's later years, and a new row opens with
    /// the closing balance of the household's latest earlier year. Years are few: each is
    /// looked up by key (the table is keyed by year first).
    pub fn save(self, conn: &Connection) -> Result<()> {
        save_rows(conn, &self.into_rows(), None)
    }
}

/// `Pending::save` of its rows (`Pending::into_rows`), with the closings a second connection
/// read (`closings`) for the households whose first row opens a year past the table's last.
pub(super) fn save_rows(
    conn: &Connection,
    rows: &[((i64, i64), Year)],
    read: Option<&Closings>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let (first, last): (Option<i64>, Option<i64>) = conn
        .prepare_cached(YEARS_SPAN)?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    if first.is_none() {
        return save_fresh(conn, rows.to_vec());
    }
    let mut add = conn.prepare_cached(
        "UPDATE ledger_years SET net_cents = net_cents + ?3,
            charges_cents = charges_cents + ?4, charges_q4_cents = charges_q4_cents + ?5,
            last_on = CASE WHEN ?6 IS NULL OR last_on >= ?6 THEN last_on ELSE ?6 END
         WHERE year = ?1 AND household_id = ?2",
    )?;
    let mut closing = conn.prepare_cached(CLOSING)?;
    let mut insert = conn.prepare_cached(INSERT_ROW)?;
    let mut carry = conn.prepare_cached(
        "UPDATE ledger_years SET opening_cents = opening_cents + ?3
         WHERE year = ?1 AND household_id = ?2",
    )?;
    // A year past the table's last has no row yet (a January file): no update to try.
    let table_last = last;
    // Years a batch adds count too (rows are saved in year order: a later year of the
    // batch may already be in the table when an earlier one is saved).
    let first = rows.iter().map(|((_, y), _)| *y).chain(first).min();
    let last = rows.iter().map(|((_, y), _)| *y).chain(last).max();
    for &((h, y), s) in rows {
        let last_on = s.last_on();
        let updated = table_last.is_some_and(|l| y <= l)
            && add.execute(params![y, h, s.net, s.charges, s.charges_q4, last_on])? > 0;
        if !updated {
            let opening = match read
                .filter(|c| c.year == table_last)
                .and_then(|c| c.get(y, h))
            {
                Some(c) => c,
                None => latest_closing(&mut closing, h, first.unwrap_or(y)..y)?,
            };
            insert_row(&mut insert, y, h, &s, opening)?;
        }
        if s.net != 0 {
            for later in y + 1..=last.unwrap_or(y) {
                carry.execute(params![later, h, s.net])?;
            }
        }
    }
    Ok(())
}

/// The closing balance of household `h`'s latest year among `years` (0 without one), with
/// `closing` (year, household → opening + sum), latest year first.
fn latest_closing(
    closing: &mut rusqlite::Statement<'_>,
    h: i64,
    years: std::ops::Range<i64>,
) -> Result<i64> {
    for earlier in years.rev() {
        let mut found = closing.query(params![earlier, h])?;
        if let Some(r) = found.next()? {
            return Ok(r.get(0)?);
        }
    }
    Ok(0)
}

/// Closing balances read ahead, on a connection that sees the table as `save_rows` will find
/// it: for each household whose first row of a batch is past the table's last year, the
/// closing of that last year (its opening plus its sum), when it has a row there. A household
/// with an earlier row in the batch is not listed: that row changes its closing first.
#[derive(Debug, Default)]
pub(super) struct Closings {
    /// The table's last year when read.
    year: Option<i64>,
    /// (household, the year of its first row in the batch, closing), by household.
    rows: Vec<(i64, i64, i64)>,
}

impl Closings {
    /// The opening of household `h`'s new row of year `y`, if read.
    fn get(&self, y: i64, h: i64) -> Option<i64> {
        let k = self.rows.binary_search_by_key(&h, |r| r.0).ok()?;
        let (_, first, closing) = self.rows[k];
        (first == y).then_some(closing)
    }

    /// How many closings were found.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

/// Reads the closings `save_rows` needs for `rows` (in (year, household) order), from the rows
/// of the table's last year: one pass over that year in key order when more than `scan_above`
/// households want one (`ledger::scan_above`), else a lookup each.
pub(super) fn closings(
    conn: &Connection,
    rows: &[((i64, i64), Year)],
    scan_above: usize,
) -> Result<Closings> {
    let last: Option<i64> = conn
        .prepare_cached("SELECT MAX(year) FROM ledger_years")?
        .query_row([], |r| r.get(0))?;
    let Some(last) = last else {
        return Ok(Closings::default());
    };
    // Each household's first row (rows are in year order), kept when past the last year.
    let mut seen = std::collections::HashSet::with_capacity_and_hasher(
        rows.len(),
        foldhash::fast::RandomState::default(),
    );
    let mut wanted: Vec<(i64, i64)> = Vec::new();
    for ((h, y), _) in rows {
        if seen.insert(*h) && *y > last {
            wanted.push((*h, *y));
        }
    }
    drop(seen);
    wanted.sort_unstable();
    let mut out = Vec::with_capacity(wanted.len());
    if !wanted.is_empty() && wanted.len() <= scan_above {
        let mut closing = conn.prepare_cached(CLOSING)?;
        for &(h, first) in &wanted {
            let mut found = closing.query(params![last, h])?;
            if let Some(r) = found.next()? {
                out.push((h, first, r.get(0)?));
            }
        }
    } else if !wanted.is_empty() {
        let mut stmt = conn.prepare_cached(
            "SELECT household_id, opening_cents + net_cents FROM ledger_years
             WHERE year = ?1 ORDER BY household_id",
        )?;
        let mut found = stmt.query([last])?;
        let mut k = 0;
        while let Some(r) = found.next()? {
            let h: i64 = r.get(0)?;
            while wanted.get(k).is_some_and(|w| w.0 < h) {
                k += 1;
            }
            match wanted.get(k) {
                None => break,
                Some(&(w, first)) if w == h => out.push((h, first, r.get(1)?)),
                Some(_) => {}
            }
        }
    }
    Ok(Closings {
        year: Some(last),
        rows: out,
    })
}

/// The first and last years in the table. Two subqueries: SQLite reads a lone MIN or MAX from
/// the ends of the key, but scans the whole table for both in one select (20 ms at 100,000
/// households, on every import).
const YEARS_SPAN: &str =
    "SELECT (SELECT MIN(year) FROM ledger_years), (SELECT MAX(year) FROM ledger_years)";

/// A household's closing in a year: its opening plus the year's sum.
const CLOSING: &str = "SELECT opening_cents + net_cents FROM ledger_years
    WHERE year = ?1 AND household_id = ?2";

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
/// openings are running sums over each household's years, computed here; the rows are then
/// inserted in key order with no lookup.
fn save_fresh(conn: &Connection, mut rows: Vec<((i64, i64), Year)>) -> Result<()> {
    rows.sort_unstable_by_key(|(k, _)| *k);
    let mut running: (i64, i64) = (i64::MIN, 0);
    let mut all: Vec<(i64, i64, Year, i64)> = rows
        .into_iter()
        .map(|((h, y), s)| {
            if running.0 != h {
                running = (h, 0);
            }
            let opening = running.1;
            running.1 += s.net;
            (y, h, s, opening)
        })
        .collect();
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

/// `check`: the yearly sums that differ from the entries (at most 20, described in French),
/// opening balances included.
pub(super) fn mismatches(conn: &Connection) -> Result<Vec<String>> {
    let upto = super::ledger::watermark(conn)?;
    let mut stored: FastMap<(i64, i64), (Year, i64)> = HashMap::default();
    let mut stmt = conn.prepare(
        "SELECT household_id, year, net_cents, charges_cents, charges_q4_cents, opening_cents,
            last_on FROM ledger_years",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let last = r.get_ref(6)?.as_str_or_null().ok().flatten().unwrap_or("");
        let y = Year {
            net: r.get(2)?,
            charges: r.get(3)?,
            charges_q4: r.get(4)?,
            last: <[u8; 10]>::try_from(last.as_bytes()).unwrap_or_default(),
        };
        let opening: i64 = r.get(5)?;
        if y != Year::default() || opening != 0 {
            stored.insert((r.get(0)?, r.get(1)?), (y, opening));
        }
    }
    drop(rows);
    let mut out = Vec::new();
    let show = |(y, opening): (Year, i64)| {
        let eur = |c| crate::domain::money::format_eur(crate::domain::money::from_cents(c));
        format!(
            "solde d'ouverture {}, solde {}, appels janv.–sept. {}, appels oct.–déc. {}, dernière écriture {}",
            eur(opening),
            eur(y.net),
            eur(y.charges),
            eur(y.charges_q4),
            y.last_on().unwrap_or("aucune")
        )
    };
    let mut describe = |h: i64, y: i64, s: (Year, i64), e: (Year, i64)| {
        if out.len() < 20 {
            out.push(format!(
                "ménage n° {h}, année {y} : {} enregistré, {} d'après les écritures",
                show(s),
                show(e)
            ));
        }
    };
    // Years come in order within a household: the opening is the running sum before each.
    let mut running: (i64, i64) = (i64::MIN, 0);
    each_from_entries(conn, upto, true, |h, y, e| {
        if running.0 != h {
            running = (h, 0);
        }
        let expected = (e, running.1);
        running.1 += e.net;
        let s = stored.remove(&(h, y)).unwrap_or_default();
        if s != expected {
            describe(h, y, s, expected);
        }
        Ok(())
    })?;
    let mut left: Vec<_> = stored.into_iter().collect();
    left.sort_unstable_by_key(|(k, _)| *k);
    for ((h, y), s) in left {
        describe(h, y, s, Default::default());
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
