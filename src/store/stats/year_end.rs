//! The debts at a year's end from the yearly sums kept at write time (`store::ledger_years`):
//! per household with an open dossier, its balance on 31 December is the year's opening balance
//! plus the year's sum (one row per household: the year's rows are one range of the table; a
//! household without entries that year looks its latest earlier year up), and its debt's age buckets (`domain::ledger::debt_by_age`) need only the year's
//! charges before and after 30 September. Exact to the entry: entries written after the sums'
//! watermark are read from `entries` and added.

use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use rust_decimal::Decimal;

use super::{Dossier, Households, Owed};
use crate::domain::dates::add_months;
use crate::domain::ledger::DebtByAge;
use crate::domain::money::from_cents;
use crate::store::Result;
use crate::store::write::iso;

/// One household's sums at the year's end, in cents.
#[derive(Clone, Copy, Default)]
struct AtEnd {
    /// The balance: filed (when `filed`) and not filed yet.
    balance: i64,
    /// Whether the year has a row of sums (else the filed balance is an earlier year's closing).
    filed: bool,
    /// Charges dated after the 3-month boundary (1 October to 31 December).
    recent: i64,
    /// Charges dated from the 12-month boundary to the 3-month one (January to September).
    older: i64,
}

/// A household's sums, made when missing.
fn slot(sums: &mut Vec<AtEnd>, h: i64) -> Option<&mut AtEnd> {
    let i = usize::try_from(h).ok()?;
    if i >= sums.len() {
        sums.resize(i + 1, AtEnd::default());
    }
    sums.get_mut(i)
}

/// Every household's sums at a year's end, by household id (ids are small and dense).
pub(super) struct YearSums {
    sums: Vec<AtEnd>,
    year: i64,
}

/// Every household's sums on `at`, or None when `at` is not a year's last day (the caller then
/// reads the entries); those without entries that year are completed by `carry`. Needs no
/// dossier: it runs on a connection of its own meanwhile.
pub(super) fn year_sums(conn: &Connection, at: NaiveDate) -> Result<Option<YearSums>> {
    let (three, twelve) = (add_months(at, -3), add_months(at, -12));
    let year_end = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    if (at.month(), at.day()) != (12, 31)
        || Some(three) != year_end(at.year(), 9, 30)
        || Some(twelve) != year_end(at.year() - 1, 12, 31)
    {
        return Ok(None);
    }
    // One read transaction: the watermark and the sums agree.
    let _read = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let mut sums: Vec<AtEnd> = Vec::new();
    let year = i64::from(at.year());
    // The rows of `ledger_years`, then the years the balance rows hold (migration 17): each
    // household's year is in one or the other.
    for sql in [
        "SELECT household_id, opening_cents + net_cents, charges_cents, charges_q4_cents
         FROM ledger_years WHERE year = ?1",
        "SELECT household_id, opening_cents + net_cents, charges_cents, charges_q4_cents
         FROM balances WHERE year = ?1",
    ] {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query([year])?;
        while let Some(r) = rows.next()? {
            let Some(s) = slot(&mut sums, r.get(0)?) else {
                continue;
            };
            s.balance += r.get::<_, i64>(1)?;
            s.older += r.get::<_, i64>(2)?;
            s.recent += r.get::<_, i64>(3)?;
            s.filed = true;
        }
    }
    // Entries not filed yet (none when every write caught up).
    let (to, three, twelve) = (iso(at), iso(three), iso(twelve));
    let upto = crate::store::ledger::watermark(conn)?;
    let mut stmt =
        conn.prepare("SELECT household_id, date, amount_cents FROM entries WHERE id > ?1")?;
    let mut rows = stmt.query([upto])?;
    while let Some(r) = rows.next()? {
        let (date, cents): (&str, i64) = (super::text(r, 1)?, r.get(2)?);
        if date > to.as_str() {
            continue;
        }
        let Some(s) = slot(&mut sums, r.get(0)?) else {
            continue;
        };
        s.balance += cents;
        if cents > 0 && date > three.as_str() {
            s.recent += cents;
        } else if cents > 0 && date > twelve.as_str() {
            s.older += cents;
        }
    }
    Ok(Some(YearSums { sums, year }))
}

/// Adds to the sums of `households` (the open dossiers' households, in id order) that have no
/// row for the year the closing balance of their latest earlier year: one lookup by key each
/// (a household without entries that year, such as one that left before it). On the
/// connection, and in the read transaction, the sums were read with.
pub(super) fn carry(conn: &Connection, sums: &mut YearSums, households: &[i64]) -> Result<()> {
    let mut closing = Closing::new(conn)?;
    for &hid in households {
        let Some(s) = slot(&mut sums.sums, hid) else {
            continue;
        };
        if s.filed {
            continue;
        }
        s.balance += closing.before(sums.year, hid)?.unwrap_or(0);
        s.filed = true;
    }
    Ok(())
}

/// A household's closing balance (filed entries) of its latest year with a row before a given
/// year: what it carries into a year it has no entries in. One year is in its `balances` row
/// (its latest, or for a departed household the last before it left, see
/// `ledger_years::Latest`), the others are looked up by key, year after year, in
/// `ledger_years`, keyed by year first.
pub(super) struct Closing<'c> {
    first: Option<i64>,
    last: Option<i64>,
    latest: rusqlite::CachedStatement<'c>,
    closing: rusqlite::CachedStatement<'c>,
}

impl<'c> Closing<'c> {
    pub(super) fn new(conn: &'c Connection) -> Result<Closing<'c>> {
        // Two statements: SQLite reads a lone MIN or MAX from the key's end, both together
        // from a scan of the whole table.
        let (first, last) = (
            conn.prepare_cached("SELECT MIN(year) FROM ledger_years")?
                .query_row([], |r| r.get(0))?,
            conn.prepare_cached("SELECT MAX(year) FROM ledger_years")?
                .query_row([], |r| r.get(0))?,
        );
        Ok(Closing {
            first,
            last,
            latest: conn.prepare_cached(
                "SELECT year, opening_cents + net_cents FROM balances
                 WHERE household_id = ?1 AND year IS NOT NULL",
            )?,
            closing: conn.prepare_cached(
                "SELECT opening_cents + net_cents FROM ledger_years
                 WHERE year = ?1 AND household_id = ?2",
            )?,
        })
    }

    /// The closing balance of `household`'s latest year before `year`, if it has one.
    pub(super) fn before(&mut self, year: i64, household: i64) -> Result<Option<i64>> {
        let (held, closing) = match self.latest.query_row([household], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
        }) {
            Ok(l) => l,
            Err(rusqlite::Error::QueryReturnedNoRows) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        // No year of `ledger_years` between the one in `balances` and `year`: that one.
        if held < year && self.last.is_none_or(|last| last <= held) {
            return Ok(Some(closing));
        }
        let top = self.last.map_or(held, |l| l.max(held)).min(year - 1);
        let bottom = self.first.map_or(held, |f| f.min(held));
        for earlier in (bottom..=top).rev() {
            if earlier == held {
                return Ok(Some(closing));
            }
            match self
                .closing
                .query_row(params![earlier, household], |r| r.get::<_, i64>(0))
            {
                Ok(c) => return Ok(Some(c)),
                Err(rusqlite::Error::QueryReturnedNoRows) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(None)
    }
}

/// The debts of `open`'s households (in id order) from their sums at the year's end (carried
/// over by `carry` for those without entries that year).
pub(super) fn debts<'d>(
    sums: &YearSums,
    households: &Households,
    open: &[(i64, &'d Dossier)],
) -> Vec<Owed<'d>> {
    let mut out = Vec::new();
    for &(hid, dossier) in open {
        let Some(h) = households.get(hid) else {
            continue;
        };
        let s = usize::try_from(hid)
            .ok()
            .and_then(|i| sums.sums.get(i))
            .copied()
            .unwrap_or_default();
        if s.balance <= 0 {
            continue;
        }
        out.push(Owed {
            hh: *h,
            dossier,
            debt: from_cents(s.balance),
            aged: aged(s.balance, s.recent, s.older),
        });
    }
    out
}

/// What `domain::figures_calc::age_debt` gives when the newest charges are settled last: the
/// debt (`balance`, in cents) fills the charges of the last three months (`recent`), then
/// those of the nine months before (`older`), and the rest is over 12 months. A bucket nothing
/// went into stays a plain zero, as there.
pub(super) fn aged(balance: i64, recent: i64, older: i64) -> DebtByAge {
    let dec = |c: i64| if c > 0 { from_cents(c) } else { Decimal::ZERO };
    let lt3 = balance.min(recent.max(0));
    let mid = (balance - lt3).min(older.max(0));
    DebtByAge {
        lt_3_months: dec(lt3),
        from_3_to_12_months: dec(mid),
        gt_12_months: dec(balance - lt3 - mid),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::figures_calc::age_debt;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).expect("date")
    }

    /// `aged` from the bucket sums equals `age_debt` walking the charges, newest first.
    fn same(debt: i64, charges: &[(NaiveDate, i64)]) {
        let at = d(12, 31);
        let three = d(9, 30);
        let twelve = NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
        let sum = |keep: &dyn Fn(NaiveDate) -> bool| -> i64 {
            charges
                .iter()
                .filter(|(day, c)| *c > 0 && keep(*day))
                .map(|(_, c)| c)
                .sum()
        };
        let s = AtEnd {
            balance: debt,
            filed: true,
            recent: sum(&|day| day > three),
            older: sum(&|day| day > twelve && day <= three),
        };
        let mut newest_first: Vec<_> = charges
            .iter()
            .map(|(day, c)| (*day, from_cents(*c)))
            .collect();
        newest_first.sort_by_key(|b| std::cmp::Reverse(b.0));
        let walked = age_debt(from_cents(debt), newest_first, at);
        let got = aged(s.balance, s.recent, s.older);
        assert_eq!(got, walked, "{debt} {charges:?}");
        // The same representation too (the figures print them).
        for (a, b) in [
            (got.lt_3_months, walked.lt_3_months),
            (got.from_3_to_12_months, walked.from_3_to_12_months),
            (got.gt_12_months, walked.gt_12_months),
        ] {
            assert_eq!(a.to_string(), b.to_string(), "{debt} {charges:?}");
        }
    }

    #[test]
    fn buckets_match_the_walk_over_the_charges() {
        let old = NaiveDate::from_ymd_opt(2024, 6, 1).expect("date");
        let monthly: Vec<_> = (1..=12).map(|m| (d(m, 1), 50_000)).collect();
        // Within the last three months, across the 30 September boundary, across 12 months.
        for debt in [1, 30_000, 150_000, 150_001, 600_000, 700_000] {
            same(debt, &monthly);
        }
        // Nothing called in the last three months; a debt larger than every charge; a credit.
        same(20_000, &[(d(3, 1), 10_000), (d(9, 30), 5_000)]);
        same(
            90_000,
            &[(old, 10_000), (d(10, 1), 5_000), (d(11, 3), -2_000)],
        );
        same(5_000, &[]);
        same(1_000, &[(old, 7_000)]);
    }
}
