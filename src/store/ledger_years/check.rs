//! `impayes check` of the yearly sums: every household's years, in `ledger_years` and in its
//! balance row, against its entries grouped afresh.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{FastMap, Year, each_from_entries, read_year};
use crate::store::Result;

/// `check`: the yearly sums that differ from the entries (at most 20, described in French),
/// opening balances included.
pub(in crate::store) fn mismatches(conn: &Connection) -> Result<Vec<String>> {
    let upto = crate::store::ledger::watermark(conn)?;
    let mut stored: FastMap<(i64, i64), (Year, i64)> = HashMap::default();
    let mut stmt = conn.prepare(
        "SELECT household_id, year, net_cents, charges_cents, charges_q4_cents, last_on,
            opening_cents FROM ledger_years
         UNION ALL SELECT household_id, year, net_cents, charges_cents, charges_q4_cents,
            last_on, opening_cents FROM balances WHERE year IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let y = read_year(r, 2)?;
        let opening: i64 = r.get(6)?;
        if y != Year::default() || opening != 0 {
            stored.insert((r.get(0)?, r.get(1)?), (y, opening));
        }
    }
    drop(rows);
    let mut out = Vec::new();
    // One year of a household in `balances` (see `Latest`), the others in `ledger_years`:
    // none in both, and none in `ledger_years` alone.
    let misplaced: Vec<(i64, i64)> = conn
        .prepare(
            "SELECT l.household_id, l.year FROM ledger_years l
             LEFT JOIN balances b ON b.household_id = l.household_id
             WHERE b.year IS NULL OR l.year = b.year LIMIT 20",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (h, y) in misplaced {
        out.push(format!(
            "ménage n° {h}, année {y} : sommes annuelles rangées avec les autres années \
             alors que le solde tient la même année, ou n'en tient aucune"
        ));
    }
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
