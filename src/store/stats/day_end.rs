//! The debts on a day that is not a year's end (the dashboard's year to date, any period the
//! officer picks): per household with an open dossier, its balance that day is its balance on
//! 1 January of that year (`ledger_years.opening_cents`, kept at write time) plus the year's
//! entries up to the day, and its debt's age buckets need only the charges of the twelve months
//! before it (older ones all fall in "over 12 months"). One range of the account index per
//! household gives both, the twelve months reaching back past 1 January. The households are
//! split between two connections on two cores: this is most of the figures' time on a large
//! base (1.5 s for 108,000 open dossiers at 500,000 households, on one core, with three queries
//! per household, one of them a row of the wide households table: 3.4 s of disk reads alone
//! when the file is not in the page cache).

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};

use super::{Dossier, Households, Owed};
use crate::domain::dates::add_months;
use crate::domain::money::from_cents;
use crate::store::Result;
use crate::store::write::iso;

/// Below this many open dossiers, one connection does them all (a second one takes about a
/// millisecond to open, the time of a hundred households).
const APART_FROM: usize = 200;

/// The debts of `open`'s households (in id order) on `at`, read on `conn` and, for a large
/// set, half of them on a second read-only connection to the file at `path`.
pub(super) fn debts<'d>(
    conn: &Connection,
    path: Option<&str>,
    at: NaiveDate,
    households: &Households,
    open: &[(i64, &'d Dossier)],
) -> Result<Vec<Owed<'d>>> {
    let bounds = Bounds::new(at);
    let Some(path) = path.filter(|_| open.len() >= APART_FROM) else {
        return part(conn, &bounds, households, open);
    };
    let (first, second) = open.split_at(open.len() / 2);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| -> Result<Vec<Owed<'d>>> {
            crate::store::read_committed(path, 1 << 30, |conn| {
                part(conn, &bounds, households, second)
            })
        });
        let mut out = part(conn, &bounds, households, first)?;
        let rest = other.join().map_err(|_| {
            crate::store::StoreError::Corrupt("calcul des dettes interrompu".into())
        })??;
        out.extend(rest);
        Ok(out)
    })
}

/// The day, its year's first day and the age boundaries, as ISO text (compared with the
/// entries' dates as bytes).
struct Bounds {
    year: i32,
    jan1: String,
    to: String,
    three: String,
    twelve: String,
}

impl Bounds {
    fn new(at: NaiveDate) -> Bounds {
        Bounds {
            year: at.year(),
            jan1: format!("{:04}-01-01", at.year()),
            to: iso(at),
            three: iso(add_months(at, -3)),
            twelve: iso(add_months(at, -12)),
        }
    }
}

/// Each household's balance on 1 January of `year`, by id (ids are small and dense), for
/// `open`'s households: the year's opening kept at write time, else the closing of its latest
/// earlier year (a household without entries that year, as `year_end::carry`), plus the
/// entries not filed yet dated before that day (none when every write caught up). On the
/// connection, and in the read transaction, the entries are read with.
fn openings(conn: &Connection, b: &Bounds, open: &[(i64, &Dossier)]) -> Result<Vec<Option<i64>>> {
    let (Some(&(lo, _)), Some(&(hi, _))) = (open.first(), open.last()) else {
        return Ok(Vec::new());
    };
    let mut out: Vec<Option<i64>> = vec![None; usize::try_from(hi).unwrap_or(0) + 1];
    let slot =
        |out: &mut Vec<Option<i64>>, h: i64| usize::try_from(h).ok().filter(|&i| i < out.len());
    // The rows of `ledger_years`, then the years the balance rows hold (migration 17): each
    // household's year is in one or the other.
    for sql in [
        "SELECT household_id, opening_cents FROM ledger_years
         WHERE year = ?1 AND household_id BETWEEN ?2 AND ?3",
        "SELECT household_id, opening_cents FROM balances
         WHERE household_id BETWEEN ?2 AND ?3 AND year = ?1",
    ] {
        let mut stmt = conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params![b.year, lo, hi])?;
        while let Some(r) = rows.next()? {
            if let Some(i) = slot(&mut out, r.get(0)?) {
                out[i] = Some(r.get(1)?);
            }
        }
    }
    let mut closing = super::year_end::Closing::new(conn)?;
    for &(hid, _) in open {
        let Some(i) = slot(&mut out, hid) else {
            continue;
        };
        if out[i].is_none() {
            out[i] = Some(closing.before(i64::from(b.year), hid)?.unwrap_or(0));
        }
    }
    let upto = crate::store::ledger::watermark(conn)?;
    let mut stmt =
        conn.prepare_cached("SELECT household_id, date, amount_cents FROM entries WHERE id > ?1")?;
    let mut rows = stmt.query([upto])?;
    while let Some(r) = rows.next()? {
        if super::text(r, 1)? >= b.jan1.as_str() {
            continue;
        }
        if let Some(i) = slot(&mut out, r.get(0)?) {
            *out[i].get_or_insert(0) += r.get::<_, i64>(2)?;
        }
    }
    Ok(out)
}

fn part<'d>(
    conn: &Connection,
    b: &Bounds,
    households: &Households,
    open: &[(i64, &'d Dossier)],
) -> Result<Vec<Owed<'d>>> {
    let openings = openings(conn, b, open)?;
    // The entries after the twelve-month boundary (which is before 1 January), from the
    // account index alone: those of the year up to the day make the balance, the charges up to
    // the day are aged.
    let mut recent = conn.prepare_cached(
        "SELECT date, amount_cents FROM entries
         WHERE tier IN (0, 1) AND household_id = ?1 AND date > ?2",
    )?;
    let mut out = Vec::new();
    for &(hid, dossier) in open {
        let Some(h) = households.get(hid) else {
            continue;
        };
        let opening = usize::try_from(hid)
            .ok()
            .and_then(|i| openings.get(i).copied().flatten())
            .unwrap_or(0);
        let (mut year, mut lt3, mut mid) = (0i64, 0i64, 0i64);
        let mut rows = recent.query(params![hid, b.twelve])?;
        while let Some(r) = rows.next()? {
            let (date, cents): (&str, i64) = (super::text(r, 0)?, r.get(1)?);
            if date > b.to.as_str() {
                continue;
            }
            if date >= b.jan1.as_str() {
                year += cents;
            }
            if cents > 0 && date > b.three.as_str() {
                lt3 += cents;
            } else if cents > 0 {
                mid += cents;
            }
        }
        let cents = opening + year;
        if cents <= 0 {
            continue;
        }
        out.push(Owed {
            hh: *h,
            dossier,
            debt: from_cents(cents),
            aged: super::year_end::aged(cents, lt3, mid),
        });
    }
    Ok(out)
}
