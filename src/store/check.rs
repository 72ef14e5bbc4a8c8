//! `impayes check`: is the file sound?

use super::{Result, SCHEMA_VERSION, Store};

/// What the integrity checks found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CheckReport {
    /// Lines of `PRAGMA integrity_check` ("ok" when sound).
    pub integrity: Vec<String>,
    /// Rows that break a foreign key: (table, rowid, parent table).
    pub foreign_keys: Vec<(String, i64, String)>,
    /// Schema version of the file.
    pub schema_version: i64,
    /// Version this build expects.
    pub expected_version: i64,
    /// Households whose cached balance differs from the sum of their entries.
    pub balance_mismatches: Vec<String>,
    /// Day and year sums of the figures (migrations 7 and 9) that differ from the entries they
    /// sum.
    pub ledger_mismatches: Vec<String>,
    /// Page size and free pages of the file: informative, `compact` changes them.
    pub layout: super::PageLayout,
    /// Entries in the recent tier and in all: informative, an import or `compact` settles.
    pub tiers: super::TierSizes,
}

impl CheckReport {
    /// Whether every check passed.
    pub fn ok(&self) -> bool {
        self.integrity == ["ok"]
            && self.foreign_keys.is_empty()
            && self.schema_version == self.expected_version
            && self.balance_mismatches.is_empty()
            && self.ledger_mismatches.is_empty()
    }
}

impl Store {
    /// Runs the integrity, foreign-key, schema and balance checks.
    pub fn check(&self) -> Result<CheckReport> {
        let conn = self.conn();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        let integrity = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let foreign_keys = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get::<_, String>(2)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = conn.prepare(
            "SELECT h.account FROM households h
             LEFT JOIN balances b ON b.household_id = h.id
             WHERE COALESCE(b.cents, 0) != COALESCE((SELECT SUM(e.amount_cents) FROM entries e
                        WHERE e.tier IN (0, 1) AND e.household_id = h.id), 0)
             ORDER BY h.id LIMIT 20",
        )?;
        let balance_mismatches = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CheckReport {
            integrity,
            foreign_keys,
            schema_version: self.schema_version()?,
            expected_version: SCHEMA_VERSION,
            balance_mismatches,
            ledger_mismatches: {
                let mut all = super::ledger::mismatches(conn)?;
                all.extend(super::ledger_years::mismatches(conn)?);
                all
            },
            layout: self.page_layout()?,
            tiers: super::TierSizes::of(conn)?,
        })
    }
}
