//! The imports log: one row per import, with its counts, audited as one change.

use rusqlite::{Connection, params};

use crate::store::Result;
use crate::store::write::Stamp;

/// One line of the imports log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportLog {
    /// File imported, as given.
    pub file: String,
    /// `csv` or `fec`.
    pub format: String,
    /// Lines read (header excluded).
    pub lines: u64,
    /// Entries added.
    pub added: u64,
    /// Duplicates skipped.
    pub duplicates: u64,
    /// Lines rejected.
    pub rejected: u64,
    /// Households created.
    pub households_created: u64,
    /// Dossiers the detection opened.
    pub dossiers_opened: u64,
}

/// Records an import in the log.
pub fn record_import(conn: &Connection, log: &ImportLog, stamp: &Stamp) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO imports (file, format, lines, added, duplicates, rejected,
            households_created, dossiers_opened, imported_by, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        log.file,
        log.format,
        log.lines as i64,
        log.added as i64,
        log.duplicates as i64,
        log.rejected as i64,
        log.households_created as i64,
        log.dossiers_opened as i64,
        stamp.user,
        stamp.at
    ])?;
    // An import is audited as one row (its entries are not, one by one: see store/audit.rs).
    let id = conn.last_insert_rowid();
    crate::store::log_bulk(
        conn,
        &stamp.user,
        "import",
        "imports",
        Some(id),
        None,
        &serde_json::json!({
            "file": log.file,
            "format": log.format,
            "added": log.added,
            "households_created": log.households_created,
            "dossiers_opened": log.dossiers_opened,
        }),
    )
}
