//! Reads that let the workstation draw its first frame before the whole portfolio and the
//! lookup index are loaded: the first screen of the portfolio in its default order, then the
//! rest by chunks of dossier ids (the worker answers other requests between chunks).

use rusqlite::Connection;

use super::Result;
use crate::domain::portfolio::PortfolioRow;

/// How many of the largest debts the first page reads for each row it shows: departed tenants,
/// often among the largest debts, and households without an open dossier are read and left.
const TOP_SHARE: usize = 20;

/// The households owing the `n` largest balances, and those tied with the n-th (every one that
/// owes when fewer do), as a JSON list of ids: one pass over `balances` (the balance and the
/// sums of one year, migration 17). There is no index on the amount: an import would move
/// most of its entries (migration 16).
fn top_debtors(conn: &Connection, n: usize) -> Result<String> {
    let mut owing: Vec<(i64, i64)> = conn
        .prepare_cached("SELECT cents, household_id FROM balances WHERE cents > 0")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    if n > 0 && owing.len() > n {
        let threshold = owing
            .select_nth_unstable_by(n - 1, |a, b| b.0.cmp(&a.0))
            .1
            .0;
        owing.retain(|(cents, _)| *cents >= threshold);
    }
    let ids: Vec<i64> = owing.into_iter().map(|(_, id)| id).collect();
    serde_json::to_string(&ids).map_err(|e| super::StoreError::Corrupt(e.to_string()))
}

/// The open dossiers of the present households among `?1` (a JSON list of ids), in the first
/// page's order, at most `?2`.
const TOP_DOSSIERS: &str = "d.id IN (SELECT d2.id FROM json_each(?1) j
         CROSS JOIN households h2 ON h2.id = j.value
         CROSS JOIN balances b2 ON b2.household_id = h2.id
         JOIN dossiers d2 ON d2.household_id = h2.id AND d2.closed_on IS NULL
         WHERE h2.status = 'present'
         ORDER BY b2.cents DESC, h2.account DESC LIMIT ?2)";

/// The open dossiers of present tenants that the portfolio shows first (its default order:
/// debt, highest first; ties: account, last first), at most `limit` of them, unsorted.
pub fn portfolio_first_page(conn: &Connection, limit: usize) -> Result<Vec<PortfolioRow>> {
    let limit = limit.min(1 << 20);
    // The open dossiers of the largest debts are exactly the top of the portfolio as long as
    // there are `limit` of them: every dossier ranked above the last one kept has a debt at
    // least as large, so its household was read too.
    let top = top_debtors(conn, limit.saturating_mul(TOP_SHARE))?;
    let limit = limit as i64;
    let fast = super::read::portfolio_where(conn, TOP_DOSSIERS, rusqlite::params![top, limit])?;
    if fast.len() as i64 >= limit {
        return Ok(fast);
    }
    // Fewer indebted dossiers than a screen: the exact choice, over every open dossier.
    super::read::portfolio_where(
        conn,
        "d.id IN (SELECT d2.id FROM dossiers d2 JOIN households h2 ON h2.id = d2.household_id
                  LEFT JOIN balances b2 ON b2.household_id = h2.id
                  WHERE d2.closed_on IS NULL AND h2.status = 'present'
                  ORDER BY COALESCE(b2.cents, 0) DESC, h2.account DESC LIMIT ?1)",
        [limit],
    )
}

/// Up to `limit` open dossiers with an id above `after`, by id: the portfolio a chunk at a
/// time (the same rows as `portfolio`, put together).
pub fn portfolio_after(conn: &Connection, after: i64, limit: usize) -> Result<Vec<PortfolioRow>> {
    super::read::portfolio_where(
        conn,
        &format!(
            "d.closed_on IS NULL AND d.id > ?1 ORDER BY d.id LIMIT {}",
            limit.min(i64::MAX as usize)
        ),
        [after],
    )
}

/// Whether the database holds any household (an empty one opens on a help screen), without
/// counting them all.
pub fn any_household(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM households)", [], |r| r.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_debtors_dossiers_are_read_household_by_household_from_the_list() {
        let store = crate::store::Store::in_memory().expect("store");
        let plan = crate::store::query_plan(
            store.conn(),
            &format!("SELECT d.id FROM dossiers d JOIN households h ON h.id = d.household_id WHERE {TOP_DOSSIERS}"),
            rusqlite::params!["[1,2]", 5],
        )
        .join("\n");
        assert!(plan.contains("SCAN j"), "{plan}");
        assert!(
            plan.contains("SEARCH h2 USING INTEGER PRIMARY KEY"),
            "{plan}"
        );
        assert!(
            plan.contains("SEARCH b2 USING INTEGER PRIMARY KEY"),
            "{plan}"
        );
        assert!(!plan.contains("SCAN d2"), "{plan}");
        assert!(!plan.contains("SCAN b2"), "{plan}");
    }

    /// Households 1..=n owing `debt(id)`, every third one departed, each with an open dossier
    /// but every seventh.
    fn base(n: i64, debt: impl Fn(i64) -> i64) -> crate::store::Store {
        let store = crate::store::Store::in_memory().expect("store");
        let conn = store.conn();
        crate::store::bare_households(conn, 1..=n);
        for id in 1..=n {
            conn.execute(
                "INSERT OR REPLACE INTO balances (household_id, cents) VALUES (?1, ?2)",
                [id, debt(id)],
            )
            .expect("balance");
            if id % 3 == 0 {
                conn.execute(
                    "UPDATE households SET status = 'departed' WHERE id = ?1",
                    [id],
                )
                .expect("departed");
            }
            if id % 7 != 0 {
                conn.execute(
                    "INSERT INTO dossiers (household_id, phase, opened_on, open_reason,
                        updated_by, updated_at)
                     VALUES (?1, 'amicable', '2026-01-05', 'first_unpaid', 't', 't')",
                    [id],
                )
                .expect("dossier");
            }
        }
        store
    }

    /// The exact first page: every open dossier of a present household in the default order.
    fn exact(conn: &Connection, limit: usize) -> Vec<(rust_decimal::Decimal, String)> {
        let mut rows: Vec<(rust_decimal::Decimal, String)> = super::super::read::portfolio_where(
            conn,
            "d.closed_on IS NULL AND h.status = 'present'",
            [],
        )
        .expect("all")
        .into_iter()
        .map(|r| (r.debt, r.account))
        .collect();
        rows.sort_by(|a, b| b.cmp(a));
        rows.truncate(limit);
        rows
    }

    fn page(conn: &Connection, limit: usize) -> Vec<(rust_decimal::Decimal, String)> {
        let mut rows: Vec<(rust_decimal::Decimal, String)> = portfolio_first_page(conn, limit)
            .expect("page")
            .into_iter()
            .map(|r| (r.debt, r.account))
            .collect();
        rows.sort_by(|a, b| b.cmp(a));
        rows
    }

    #[test]
    fn the_first_page_is_the_top_of_the_portfolio_read_in_one_pass_when_ties_reach_it() {
        // The departed and those without a dossier (171 of 400) owe the most; every other
        // household owes the same 100 € but a few in credit. For 9 rows the pass reads the 180
        // largest debts: all of the former, and the threshold falls on the 100 € tie.
        let store = base(400, |id| match id {
            _ if id % 3 == 0 || id % 7 == 0 => 100_000 + id,
            _ if id % 11 == 0 => -5_000,
            _ => 10_000,
        });
        let conn = store.conn();
        for limit in [1, 9, 50, 1000] {
            assert_eq!(page(conn, limit), exact(conn, limit), "limit {limit}");
        }
        // The pass alone, without the exact choice behind it, gives the nine: the ties at the
        // threshold are read (the households owing 100 € with the largest accounts).
        let ids = |n: usize| -> Vec<i64> {
            let mut v: Vec<i64> =
                serde_json::from_str(&top_debtors(conn, n).expect("top")).expect("json");
            v.sort_unstable();
            v
        };
        assert_eq!(ids(3), [393, 396, 399]);
        // One past the 171 largest: the 209 households tied at 100 € come with it.
        assert_eq!(ids(172).len(), 171 + 209);
        assert_eq!(ids(10_000).len(), 380);
        let top: Vec<(i64, String)> = conn
            .prepare(&format!(
                "SELECT b.cents, h.account FROM dossiers d
                 JOIN households h ON h.id = d.household_id
                 JOIN balances b ON b.household_id = h.id
                 WHERE {TOP_DOSSIERS} ORDER BY b.cents DESC, h.account DESC"
            ))
            .expect("prepare")
            .query_map(
                rusqlite::params![top_debtors(conn, 9 * TOP_SHARE).expect("top"), 9],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        let expected: Vec<(i64, String)> = exact(conn, 9)
            .into_iter()
            .map(|(d, a)| (crate::domain::money::to_cents(d), a))
            .collect();
        assert_eq!(top.len(), 9);
        assert_eq!(top, expected);
        assert!(top.iter().all(|(cents, _)| *cents == 10_000), "{top:?}");
    }
}
