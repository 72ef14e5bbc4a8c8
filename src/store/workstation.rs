//! Reads that let the workstation draw its first frame before the whole portfolio and the
//! lookup index are loaded: the first screen of the portfolio in its default order, then the
//! rest by chunks of dossier ids (the worker answers other requests between chunks).

use rusqlite::Connection;

use super::Result;
use crate::domain::portfolio::PortfolioRow;

/// The open dossiers of present tenants that the portfolio shows first (its default order:
/// debt, highest first; ties: account, last first), at most `limit` of them, unsorted.
pub fn portfolio_first_page(conn: &Connection, limit: usize) -> Result<Vec<PortfolioRow>> {
    let limit = limit.min(1 << 20) as i64;
    // The most indebted present households come from the index of positive balances
    // (migration 13), read from the highest, each joined to its household for the status and
    // the account (SQLite sorts each run of equal balances by account as it goes, and stops
    // at the limit: a few pages, whatever the size); their open dossiers are the top of the
    // portfolio as long as there are `limit` of them.
    let fast = super::read::portfolio_where(
        conn,
        "d.id IN (SELECT d2.id FROM
                    (SELECT h.id, b.cents, h.account FROM balances b
                     JOIN households h ON h.id = b.household_id
                     WHERE b.cents > 0 AND h.status = 'present'
                     ORDER BY b.cents DESC, h.account DESC LIMIT ?1 * 5) top
                  JOIN dossiers d2 ON d2.household_id = top.id AND d2.closed_on IS NULL
                  ORDER BY top.cents DESC, top.account DESC LIMIT ?1)",
        Some(limit),
    )?;
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
        Some(limit),
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
        Some(after),
    )
}

/// Whether the database holds any household (an empty one opens on a help screen), without
/// counting them all.
pub fn any_household(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM households)", [], |r| r.get(0))?)
}
