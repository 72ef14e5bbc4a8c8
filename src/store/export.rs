//! Reads of `impayes export accounts`: every entry, account by account, streamed.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::StoreError;
use crate::domain::ledger::EntryKind;

/// One exported entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRow<'a> {
    /// Account number.
    pub account: &'a str,
    /// Value date.
    pub date: NaiveDate,
    /// Nature.
    pub kind: EntryKind,
    /// Amount in cents, positive when charged.
    pub cents: i64,
    /// Label.
    pub label: &'a str,
    /// Stored reference (None for entries typed or generated without one).
    pub reference: Option<&'a str>,
}

/// Calls `f` for every entry of the accounts given (all when empty), by household then date,
/// without loading them all; returns how many.
pub fn for_each_entry<E: From<StoreError>>(
    conn: &Connection,
    accounts: &[String],
    mut f: impl FnMut(ExportRow<'_>) -> Result<(), E>,
) -> Result<u64, E> {
    // Household after household, each one's two tiers of entries (see `store::tiers`) sorted
    // together.
    let sql = format!(
        "SELECT h.account, e.date, e.kind, e.amount_cents, e.label, e.reference
         FROM households h CROSS JOIN entries e ON e.tier IN (0, 1) AND e.household_id = h.id
         {}
         ORDER BY h.id, e.date, e.id",
        if accounts.is_empty() {
            String::new()
        } else {
            format!(
                "WHERE h.account IN ({})",
                vec!["?"; accounts.len()].join(", ")
            )
        }
    );
    let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(accounts.iter()))
        .map_err(StoreError::from)?;
    let mut n = 0;
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        let account = r.get_ref(0).and_then(|v| v.as_str().map_err(Into::into));
        let date_text = r.get_ref(1).and_then(|v| v.as_str().map_err(Into::into));
        let kind_text = r.get_ref(2).and_then(|v| v.as_str().map_err(Into::into));
        let label = r.get_ref(4).and_then(|v| v.as_str().map_err(Into::into));
        let reference = r
            .get_ref(5)
            .and_then(|v| v.as_str_or_null().map_err(Into::into));
        let (account, date_text, kind_text, label, reference) = (
            account.map_err(StoreError::from)?,
            date_text.map_err(StoreError::from)?,
            kind_text.map_err(StoreError::from)?,
            label.map_err(StoreError::from)?,
            reference.map_err(StoreError::from)?,
        );
        let date = crate::domain::import_rules::parse_iso_date(date_text)
            .ok_or_else(|| StoreError::Corrupt(format!("date « {date_text} » illisible")))?;
        let kind = EntryKind::from_code(kind_text).ok_or_else(|| {
            StoreError::Corrupt(format!("type d'écriture « {kind_text} » inconnu"))
        })?;
        f(ExportRow {
            account,
            date,
            kind,
            cents: r.get(3).map_err(StoreError::from)?,
            label,
            reference,
        })?;
        n += 1;
    }
    Ok(n)
}

/// Accounts among `accounts` that the database does not know.
pub fn unknown_accounts(conn: &Connection, accounts: &[String]) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM households WHERE account = ?1")?;
    let mut out = Vec::new();
    for a in accounts {
        if !stmt.exists([a])? {
            out.push(a.clone());
        }
    }
    Ok(out)
}
