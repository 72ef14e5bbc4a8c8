//! The period's account sums per sector (rent called, receipts, write-offs, recovered from
//! departed tenants) from the day sums kept at write time (`store::ledger`), exact to the
//! entry: entries not filed yet and households filed under another sector or departure date
//! than theirs on the period's last day are read from `entries` and corrected.

use rusqlite::Connection;

use super::{Households, Map};
use crate::domain::figures::FigureInputs;
use crate::domain::money::from_cents;
use crate::store::Result;

/// Sums per sector slot; the last slot takes what no sector of the period owns.
struct Sums {
    called: Vec<i64>,
    receipts: Vec<i64>,
    written: Vec<i64>,
    written_n: Vec<i64>,
    recovered: Vec<i64>,
}

impl Sums {
    fn new(slots: usize) -> Sums {
        Sums {
            called: vec![0; slots],
            receipts: vec![0; slots],
            written: vec![0; slots],
            written_n: vec![0; slots],
            recovered: vec![0; slots],
        }
    }

    /// Adds `n` entries of `kind` summing to `cents` (negative to take them away).
    fn add(&mut self, slot: usize, kind: &str, after_left: bool, cents: i64, n: i64) {
        match kind {
            "rent_call" => self.called[slot] += cents,
            "payment" | "aid" => {
                self.receipts[slot] += cents;
                if after_left {
                    self.recovered[slot] -= cents;
                }
            }
            "housing_benefit" => self.receipts[slot] += cents,
            "write_off" => {
                self.written[slot] += cents;
                self.written_n[slot] += n;
            }
            _ => {}
        }
    }
}

/// Fills the period's account sums of `inputs` (one per sector of `index`, plus the sector of
/// households without a lease at `none`).
pub(super) fn period_sums(
    conn: &Connection,
    from: &str,
    to: &str,
    households: &Households,
    index: &Map<String, usize>,
    none: Option<usize>,
    inputs: &mut [FigureInputs],
) -> Result<()> {
    // One read transaction: the watermark, the day sums and the entries past it agree.
    let _read = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let trash = inputs.len();
    let slot_of = |code: &str| -> usize {
        if code.is_empty() {
            none.unwrap_or(trash)
        } else {
            index.get(code).copied().unwrap_or(trash)
        }
    };
    let mut sums = Sums::new(trash + 1);
    let upto = crate::store::ledger::watermark(conn)?;
    let mut stmt = conn.prepare(
        "SELECT kind, sector, after_left, SUM(cents), SUM(n) FROM ledger_days
         WHERE date BETWEEN ?1 AND ?2 GROUP BY kind, sector, after_left",
    )?;
    let mut rows = stmt.query([from, to])?;
    while let Some(r) = rows.next()? {
        let slot = slot_of(super::text(r, 1)?);
        sums.add(slot, super::text(r, 0)?, r.get(2)?, r.get(3)?, r.get(4)?);
    }
    // Households filed otherwise than they stand on the last day.
    let mut stale: Vec<(i64, usize, Option<String>)> = Vec::new();
    let mut stmt = conn.prepare("SELECT household_id, sector, left_on FROM ledger_households")?;
    let mut rows = stmt.query([])?;
    let mut last: (String, usize) = (String::from("\u{0}"), trash);
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let code = super::text(r, 1)?;
        if last.0 != code {
            last = (code.to_string(), slot_of(code));
        }
        let left = r.get_ref(2)?.as_str_or_null().ok().flatten();
        let same = households.get(id).is_some_and(|h| {
            h.sector == last.1 && left.map(str::as_bytes) == h.left_on.as_ref().map(|l| &l[..])
        });
        if !same {
            stale.push((id, last.1, left.map(str::to_string)));
        }
    }
    let mut own = conn.prepare_cached(
        "SELECT date, kind, amount_cents FROM entries
         WHERE tier IN (0, 1) AND household_id = ?1 AND date BETWEEN ?2 AND ?3 AND id <= ?4",
    )?;
    for (id, filed, left) in stale {
        let mut rows = own.query(rusqlite::params![id, from, to, upto])?;
        while let Some(r) = rows.next()? {
            let (date, kind, cents): (&str, &str, i64) =
                (super::text(r, 0)?, super::text(r, 1)?, r.get(2)?);
            let after = left.as_deref().is_some_and(|l| date > l);
            sums.add(filed, kind, after, -cents, -1);
            add_exact(&mut sums, households, id, date, kind, cents);
        }
    }
    // By id (`+date`: keeps the planner on the id range).
    let mut stmt = conn.prepare(
        "SELECT household_id, date, kind, amount_cents FROM entries
         WHERE id > ?1 AND +date BETWEEN ?2 AND ?3",
    )?;
    let mut rows = stmt.query(rusqlite::params![upto, from, to])?;
    while let Some(r) = rows.next()? {
        let (id, date, kind) = (r.get(0)?, super::text(r, 1)?, super::text(r, 2)?);
        add_exact(&mut sums, households, id, date, kind, r.get(3)?);
    }
    for (k, i) in inputs.iter_mut().enumerate() {
        i.rent_called = from_cents(sums.called[k]);
        i.receipts = from_cents(-sums.receipts[k]);
        i.write_offs_amount = from_cents(-sums.written[k]);
        i.write_offs_count = u64::try_from(sums.written_n[k]).unwrap_or(0);
        i.recovered_from_departed = from_cents(sums.recovered[k]);
    }
    Ok(())
}

/// Adds one entry where its household stands on the period's last day.
fn add_exact(
    sums: &mut Sums,
    households: &Households,
    id: i64,
    date: &str,
    kind: &str,
    cents: i64,
) {
    if let Some(h) = households.get(id) {
        let after = h.left_on.is_some_and(|l| date.as_bytes() > l.as_slice());
        sums.add(h.sector, kind, after, cents, 1);
    }
}
