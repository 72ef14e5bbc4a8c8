//! Page size of the file, and `impayes compact`, which rewrites an older base with it.
//!
//! A monthly import adds a line or two to nearly every household's account; with the account index
//! keyed by household alone (before migration 14, and still when the recent tier is settled, see
//! `store::tiers`), that dirties a leaf for nearly every household: at 100,000 households, most of
//! the index. The commit writes each dirtied page to the WAL, and the checkpoint writes it again
//! into the file and flushes both. With 4 KiB pages that is some 88,000 small writes each way; with
//! 64 KiB pages the bytes are about the same, but in a sixteenth as many writes, and the commit
//! takes less than half as long (docs/import-speed.md, "What the commit costs"). The figures, the
//! agenda and the lookup were measured unchanged; opening a dossier takes 0.7–1.1 ms instead of
//! 0.4–0.5 ms, and a one-row write 0.3 ms instead of 0.1 ms.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use super::{Result, Store, StoreError, safety};

/// Page size of the bases this version creates, in bytes (SQLite's largest).
pub const PAGE_SIZE: i64 = 65_536;

/// Below this share of free pages, `compact` of a base already at `PAGE_SIZE` has nothing
/// worth rewriting the file for.
const FREE_SHARE_WORTH_A_REWRITE: f64 = 0.10;

/// How the file is laid out: what `check` reports and `compact` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct PageLayout {
    /// Bytes per page.
    pub page_size: i64,
    /// Pages in the file.
    pub pages: i64,
    /// Pages on the free list (left by deletions and migrations, reused by later writes).
    pub free_pages: i64,
}

impl PageLayout {
    /// Reads the layout of the connection's main database.
    pub fn of(conn: &Connection) -> Result<PageLayout> {
        let get = |pragma: &str| -> Result<i64> {
            Ok(conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?)
        };
        Ok(PageLayout {
            page_size: get("page_size")?,
            pages: get("page_count")?,
            free_pages: get("freelist_count")?,
        })
    }

    /// Whether `compact` would change anything: another page size, or enough free pages to
    /// give back.
    pub fn worth_compacting(&self) -> bool {
        self.page_size != PAGE_SIZE
            || self.free_pages as f64 > self.pages as f64 * FREE_SHARE_WORTH_A_REWRITE
    }

    /// Size of the file, in bytes.
    pub fn bytes(&self) -> u64 {
        u64::try_from(self.page_size * self.pages).unwrap_or(0)
    }
}

/// What `compact` did.
#[derive(Debug, Clone, Copy)]
pub struct CompactReport {
    /// Layout before.
    pub before: PageLayout,
    /// Layout after (the same when there was nothing to do).
    pub after: PageLayout,
    /// Time spent rewriting (zero when there was nothing to do).
    pub elapsed: Duration,
}

/// Why `compact` left the base as it was.
#[derive(Debug, thiserror::Error)]
pub enum CompactError {
    /// Another session has the base open; the rewrite needs it alone.
    #[error(
        "d'autres postes ou commandes ont la base « {0} » ouverte : `compact` réécrit tout le fichier et doit être seul à l'utiliser. Fermez-les et recommencez ; rien n'a été modifié."
    )]
    InUse(PathBuf),
    /// Someone opened the base during the rewrite and turned its journal back on before the
    /// page size could change.
    #[error(
        "un autre poste a ouvert la base « {0} » pendant la réécriture : ses pages n'ont pas changé de taille (son contenu est intact). Fermez les autres postes et recommencez."
    )]
    Interrupted(PathBuf),
    /// Any error of the store (full disk, unreadable file…).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// The layout of this base's file.
    pub fn page_layout(&self) -> Result<PageLayout> {
        PageLayout::of(&self.conn)
    }

    /// Rewrites the whole file with `PAGE_SIZE` pages and no free pages, when that would change
    /// something. Needs the base alone: the journal has to leave WAL mode for the page size to
    /// change. `VACUUM` is one transaction: interrupted, the file is left as it was.
    pub fn compact(&mut self) -> std::result::Result<CompactReport, CompactError> {
        let before = self.page_layout()?;
        if !before.worth_compacting() {
            return Ok(CompactReport {
                before,
                after: before,
                elapsed: Duration::ZERO,
            });
        }
        let path = self.path.clone();
        let started = Instant::now();
        // Exclusive locking keeps the lock this connection takes to leave WAL mode until the
        // rewrite is done, so no other session can slip in between.
        self.conn
            .query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(()))
            .map_err(StoreError::from)?;
        let rewrite = self.rewrite(&path);
        // Back to WAL and normal locking, whatever happened: other sessions need both.
        let back = self.restore_wal(&path);
        rewrite?;
        back?;
        let after = self.page_layout()?;
        if after.page_size != PAGE_SIZE {
            return Err(CompactError::Interrupted(path));
        }
        Ok(CompactReport {
            before,
            after,
            elapsed: started.elapsed(),
        })
    }

    fn rewrite(&self, path: &Path) -> std::result::Result<(), CompactError> {
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(|e| in_use_or(e, path))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(CompactError::InUse(path.to_path_buf()));
        }
        self.conn
            .pragma_update(None, "page_size", PAGE_SIZE)
            .map_err(StoreError::from)?;
        self.conn
            .execute_batch("VACUUM")
            .map_err(|e| in_use_or(e, path))?;
        Ok(())
    }

    fn restore_wal(&self, path: &Path) -> std::result::Result<(), CompactError> {
        self.conn
            .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(|e| in_use_or(e, path))?;
        self.conn
            .query_row("PRAGMA locking_mode = NORMAL", [], |_| Ok(()))
            .map_err(StoreError::from)?;
        // Normal locking takes effect at the next access: this read releases the lock.
        self.conn
            .query_row("SELECT COUNT(*) FROM sqlite_master", [], |_| Ok(()))
            .map_err(StoreError::from)?;
        Ok(())
    }
}

/// A busy or locked base means another session holds it; other errors keep their sentence
/// (a full disk names the base).
fn in_use_or(e: rusqlite::Error, path: &Path) -> CompactError {
    match safety::classify(StoreError::Sqlite(e), path) {
        StoreError::Busy(p) => CompactError::InUse(p),
        other => CompactError::Store(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(page_size: i64, pages: i64, free_pages: i64) -> PageLayout {
        PageLayout {
            page_size,
            pages,
            free_pages,
        }
    }

    #[test]
    fn an_older_page_size_or_free_pages_over_a_tenth_are_worth_a_rewrite() {
        assert!(layout(4096, 1000, 0).worth_compacting());
        assert!(layout(PAGE_SIZE, 1000, 101).worth_compacting());
        assert!(!layout(PAGE_SIZE, 1000, 100).worth_compacting());
        assert!(!layout(PAGE_SIZE, 1000, 0).worth_compacting());
    }
}
