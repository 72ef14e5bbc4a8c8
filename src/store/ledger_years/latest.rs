//! `Latest`: how a save writes each household's year, into its `balances` row or among the
//! other years in `ledger_years` (see the parent module).

use rusqlite::{Connection, params};

use super::{INSERT_ROW, Year, insert_row, read_year, restart};
use crate::store::Result;

/// A row written into the household's `balances` row: added to the year that row holds when
/// it is the row's, or, when that year is earlier, opening the row's year there (the year
/// held moves into `ledger_years`, and the new one opens with its closing). A January file
/// opens a year for nearly every household: after `STREAK` rows in a row did, the next one
/// tries that first.
///
/// A household with a departure date keeps its year in `balances` and has a later year's row
/// written into `ledger_years` instead (`elsewhere`), unless its year is the one the
/// households still in their homes are moving out in this save (`current`): its year is
/// usually one the others have left behind, whose rows fill `ledger_years` densely, and
/// moving it there dirtied a 64 KiB page per household, which the commit writes twice (at
/// 500,000 households the bench's December file touched 844 of the table's 849 pages for
/// 23,078 former tenants). A later year's rows come after every earlier one's: one run.
pub(super) struct Latest<'c> {
    add: rusqlite::CachedStatement<'c>,
    read: rusqlite::CachedStatement<'c>,
    demote: rusqlite::CachedStatement<'c>,
    /// Household ?1's year ?2 copied from its `balances` row into `ledger_years`.
    move_out: rusqlite::CachedStatement<'c>,
    roll: rusqlite::CachedStatement<'c>,
    /// A row's sums ?3–?6 added to household ?2's row of year ?1 in `ledger_years`.
    add_apart: rusqlite::CachedStatement<'c>,
    /// Household ?2's closing of year ?1 in `ledger_years`: its opening plus the year's sum.
    closing: rusqlite::CachedStatement<'c>,
    /// Household ?1's balance and the opening of the year in its row moved by ?3 and ?2.
    balance: rusqlite::CachedStatement<'c>,
    /// The latest year in `ledger_years` when the save began (None: empty).
    last: Option<i64>,
    /// Households with a departure date.
    departed: Departed<'c>,
    /// The year the last household still in its home moved out of `balances` (a January
    /// file: the year every such household leaves; a departed household's move of the same
    /// year lands among theirs).
    current: Option<i64>,
    /// Rows in a row that opened a year.
    rolled: u32,
    conn: &'c Connection,
}

/// See `Latest`.
const STREAK: u32 = 8;

/// What `Latest::write` did.
pub(super) enum Wrote {
    /// The row is written.
    Done,
    /// Nothing written: the year in the household's `balances` row and its closing, as read
    /// (None: none filed, or no row).
    Not(Option<(i64, i64)>),
}

impl<'c> Latest<'c> {
    /// `rows`: how many rows the save writes (a large one reads the departed households in
    /// one pass when it first needs them).
    pub(super) fn new(conn: &'c Connection, rows: usize) -> Result<Latest<'c>> {
        Ok(Latest {
            add: conn.prepare_cached(
                "UPDATE balances SET cents = cents + ?7, net_cents = net_cents + ?3,
                    charges_cents = charges_cents + ?4, charges_q4_cents = charges_q4_cents + ?5,
                    last_on = CASE WHEN ?6 IS NULL OR last_on >= ?6 THEN last_on ELSE ?6 END
                 WHERE household_id = ?1 AND year = ?2",
            )?,
            // The latest year read, then inserted into `ledger_years`: `INSERT … SELECT`, a
            // statement that may write several rows, has SQLite keep a statement journal (a
            // copy of each 64 KiB page it changes), and took three to four times as long.
            read: conn.prepare_cached(
                "SELECT year, net_cents, charges_cents, charges_q4_cents, last_on, opening_cents
                 FROM balances WHERE household_id = ?1",
            )?,
            demote: conn.prepare_cached(INSERT_ROW)?,
            // `OR FAIL`: a statement that may write several rows and undo them on an error has
            // SQLite keep a statement journal (see `read`); one that stops where it failed
            // needs none (1.7 µs a household against 4.3 for `INSERT … SELECT`, in a script).
            move_out: conn.prepare_cached(
                "INSERT OR FAIL INTO ledger_years (year, household_id, net_cents, charges_cents,
                    charges_q4_cents, opening_cents, last_on)
                 SELECT year, household_id, net_cents, charges_cents, charges_q4_cents,
                    opening_cents, last_on
                 FROM balances WHERE household_id = ?1 AND year = ?2",
            )?,
            roll: conn.prepare_cached(
                "UPDATE balances SET cents = cents + ?7, opening_cents = opening_cents + net_cents,
                    net_cents = ?3, charges_cents = ?4, charges_q4_cents = ?5, last_on = ?6,
                    year = ?2
                 WHERE household_id = ?1",
            )?,
            add_apart: conn.prepare_cached(
                "UPDATE ledger_years SET net_cents = net_cents + ?3,
                    charges_cents = charges_cents + ?4, charges_q4_cents = charges_q4_cents + ?5,
                    last_on = CASE WHEN ?6 IS NULL OR last_on >= ?6 THEN last_on ELSE ?6 END
                 WHERE year = ?1 AND household_id = ?2",
            )?,
            closing: conn.prepare_cached(
                "SELECT opening_cents + net_cents FROM ledger_years
                 WHERE year = ?1 AND household_id = ?2",
            )?,
            balance: conn.prepare_cached(
                "UPDATE balances SET opening_cents = opening_cents + ?2,
                    cents = cents + ?3 WHERE household_id = ?1",
            )?,
            last: last_year(conn)?,
            departed: Departed::new(conn, rows)?,
            current: None,
            rolled: 0,
            conn,
        })
    }

    /// Writes household `h`'s sums `s` of year `y`, and `cents` added to its balance, when `y`
    /// is the year its `balances` row holds, or a later one that may move there (see above).
    pub(super) fn write(&mut self, h: i64, y: i64, s: &Year, cents: i64) -> Result<Wrote> {
        let row = params![h, y, s.net, s.charges, s.charges_q4, s.last_on(), cents];
        if self.rolled < STREAK && self.add.execute(row)? > 0 {
            self.rolled = 0;
            self.carry(h, y, s.net)?;
            return Ok(Wrote::Done);
        }
        // The year before `y` held, and no year after it in `ledger_years` (none is past
        // `last`, and this save's rows for `h` come in year order): moved out in one statement.
        if self.last.is_none_or(|last| last < y) {
            let departed = self.departed.contains(h)?;
            if (!departed || self.current == Some(y - 1))
                && self.move_out.execute(params![h, y - 1])? > 0
            {
                self.roll.execute(row)?;
                self.rolled = self.rolled.saturating_add(1);
                if !departed {
                    self.current = Some(y - 1);
                }
                return Ok(Wrote::Done);
            }
        }
        use rusqlite::OptionalExtension;
        let latest: Option<(Option<i64>, Year, i64)> = self
            .read
            .query_row([h], |r| Ok((r.get(0)?, read_year(r, 1)?, r.get(5)?)))
            .optional()?;
        let rolled = std::mem::replace(&mut self.rolled, 0);
        let streak = rolled >= STREAK;
        match latest {
            Some((Some(c), sums, opening)) if c < y => {
                let departed = self.departed.contains(h)?;
                if (departed && self.current != Some(c)) || !self.nothing_after(h, c)? {
                    // Neither opening a year nor adding to the latest: the streak goes on.
                    self.rolled = rolled;
                    return Ok(Wrote::Not(Some((c, opening + sums.net))));
                }
                insert_row(&mut self.demote, c, h, &sums, opening)?;
                self.roll.execute(row)?;
                self.rolled = rolled.saturating_add(1);
                if !departed {
                    self.current = Some(c);
                }
                Ok(Wrote::Done)
            }
            Some((Some(c), _, _)) if c == y && streak && self.add.execute(row)? > 0 => {
                self.carry(h, y, s.net)?;
                Ok(Wrote::Done)
            }
            other => {
                Ok(Wrote::Not(other.and_then(|(c, sums, opening)| {
                    c.map(|c| (c, opening + sums.net))
                })))
            }
        }
    }

    /// Files a row `write` did not, given the year in the household's `balances` row and its
    /// closing as `write` read them: a year other than that one goes into `ledger_years` (an
    /// earlier year, or a departed household's later one), and the years after it, in either
    /// table, open with its sum; or the household's first year. Adds `cents` to the balance.
    ///
    /// A household's rows come in year order: those this save inserted for it are earlier
    /// than the one at hand, so none of its years after `last` (the table's latest year at
    /// the start) can be in `ledger_years`, nor the row's own when it is after `last`.
    pub(super) fn elsewhere(
        &mut self,
        h: i64,
        y: i64,
        s: &Year,
        cents: i64,
        latest: Option<(i64, i64)>,
    ) -> Result<()> {
        let Some((c, closing)) = latest else {
            // The household's first year filed.
            return restart(self.conn, h, y, s, 0, cents);
        };
        if c == y {
            // Its year in `balances`: `write` adds to it.
            return Err(crate::store::StoreError::Corrupt(format!(
                "sommes annuelles du ménage n° {h} : année {c} refusée hors du solde"
            )));
        }
        let row = params![y, h, s.net, s.charges, s.charges_q4, s.last_on()];
        let updated = match self.last {
            Some(last) if last >= y => self.add_apart.execute(row)?,
            _ => 0,
        };
        if updated == 0 {
            let opening = self.closing_before(h, y, (c, closing))?;
            insert_row(&mut self.demote, y, h, s, opening)?;
        }
        self.carry(h, y, s.net)?;
        let opening = if c > y { s.net } else { 0 };
        if opening != 0 || cents != 0 {
            self.balance.execute(params![h, opening, cents])?;
        }
        Ok(())
    }

    /// The closing balance of household `h`'s latest year before `y` (0 without one): the
    /// year in its `balances` row (`balance`: year and closing) or one of `ledger_years`,
    /// looked up by key year after year (the table is keyed by year first).
    fn closing_before(&mut self, h: i64, y: i64, balance: (i64, i64)) -> Result<i64> {
        let (held, closing) = balance;
        let bottom = if held < y {
            held + 1
        } else {
            self.conn
                .prepare_cached("SELECT MIN(year) FROM ledger_years")?
                .query_row([], |r| r.get::<_, Option<i64>>(0))?
                .unwrap_or(y)
        };
        for earlier in (bottom..y).rev() {
            let mut found = self.closing.query(params![earlier, h])?;
            if let Some(r) = found.next()? {
                return Ok(r.get(0)?);
            }
        }
        Ok(if held < y { closing } else { 0 })
    }

    /// Adds `net`, written to household `h`'s year `y` in `balances`, to the openings of its
    /// later years in `ledger_years` (a departed household's, see `Latest`); none to look up
    /// when the table held no later year at the start.
    fn carry(&mut self, h: i64, y: i64, net: i64) -> Result<()> {
        match self.last {
            Some(last) if last > y && net != 0 => carry_later(self.conn, h, y, last, net),
            _ => Ok(()),
        }
    }

    /// Whether household `h` has no row after year `c` in `ledger_years` (a departed household
    /// may have, see `Latest`): none can when the table held no later year at the start, and
    /// the rows this save inserts for `h` come in year order.
    fn nothing_after(&mut self, h: i64, c: i64) -> Result<bool> {
        let Some(last) = self.last.filter(|&last| last > c) else {
            return Ok(true);
        };
        for later in c + 1..=last {
            if self.closing.exists(params![later, h])? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// The households with a departure date, asked one by one, or read in one pass (the index of
/// departure dates) by a save of many rows, the first time one is asked.
struct Departed<'c> {
    one: rusqlite::CachedStatement<'c>,
    conn: &'c Connection,
    /// Sorted ids, once read (a large save).
    all: Option<Vec<i64>>,
    large: bool,
}

/// Rows from which a save reads every departed household at once.
const DEPARTED_IN_ONE_PASS: usize = 4096;

impl<'c> Departed<'c> {
    fn new(conn: &'c Connection, rows: usize) -> Result<Departed<'c>> {
        Ok(Departed {
            one: conn
                .prepare_cached("SELECT 1 FROM households WHERE id = ?1 AND left_on IS NOT NULL")?,
            conn,
            all: None,
            large: rows >= DEPARTED_IN_ONE_PASS,
        })
    }

    fn contains(&mut self, h: i64) -> Result<bool> {
        if !self.large {
            return Ok(self.one.exists([h])?);
        }
        if self.all.is_none() {
            let mut ids: Vec<i64> = self
                .conn
                .prepare("SELECT id FROM households WHERE left_on IS NOT NULL")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.sort_unstable();
            self.all = Some(ids);
        }
        Ok(self
            .all
            .as_ref()
            .is_some_and(|ids| ids.binary_search(&h).is_ok()))
    }
}

/// Adds `net` to the openings of household `h`'s years after `y` up to `last` in
/// `ledger_years` (each looked up by key; a year it has no row in changes nothing).
fn carry_later(conn: &Connection, h: i64, y: i64, last: i64, net: i64) -> Result<()> {
    let mut carry = conn.prepare_cached(
        "UPDATE ledger_years SET opening_cents = opening_cents + ?3
             WHERE year = ?1 AND household_id = ?2",
    )?;
    for later in y + 1..=last {
        carry.execute(params![later, h, net])?;
    }
    Ok(())
}

/// The latest year in `ledger_years` (None when it is empty).
fn last_year(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT MAX(year) FROM ledger_years")?
        .query_row([], |r| r.get(0))?)
}
