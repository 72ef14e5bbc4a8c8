//! Keeping the shared file safe: private permissions for new files, a bounded wait for other
//! sessions' writes, French sentences for a full disk or a read-only file, and online backups.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode};

use super::{Result, Store, StoreError, unreadable};

/// Permissions of a new database: the officer only (personal data, domain.md §7).
pub const PRIVATE_MODE: u32 = 0o600;

/// Permissions of a new database shared by a Unix group (`--group`).
pub const GROUP_MODE: u32 = 0o660;

/// How long a write waits in all for other sessions before saying the base is busy. Each
/// attempt waits `BUSY_TIMEOUT` inside SQLite; a few attempts cover a long import.
pub const WRITE_WAIT: Duration = Duration::from_secs(30);

/// An open write transaction on a connection; rolled back when dropped uncommitted (an
/// error, a panic).
pub(super) struct WriteTx<'c> {
    conn: &'c Connection,
    done: bool,
}

impl WriteTx<'_> {
    /// Commits; on failure the transaction is rolled back and nothing is stored.
    pub(super) fn commit(mut self, path: &Path) -> Result<()> {
        self.done = true;
        self.conn.execute_batch("COMMIT").map_err(|e| {
            let _ = self.conn.execute_batch("ROLLBACK");
            classify(StoreError::Sqlite(e), path)
        })
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if !self.done && !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

/// Starts a write transaction, retrying while another session holds the write lock, up to
/// `WRITE_WAIT`: an officer never sees "database is locked".
pub(super) fn begin_immediate<'c>(conn: &'c Connection, path: &Path) -> Result<WriteTx<'c>> {
    let started = Instant::now();
    loop {
        match conn.execute_batch("BEGIN IMMEDIATE") {
            Ok(()) => return Ok(WriteTx { conn, done: false }),
            Err(e) if is_busy(&e) => {}
            Err(e) => return Err(classify(StoreError::Sqlite(e), path)),
        }
        if started.elapsed() >= WRITE_WAIT {
            return Err(StoreError::Busy(path.to_path_buf()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

/// Gives SQLite's full-disk, read-only and busy errors their own French sentences.
pub(super) fn classify(e: StoreError, path: &Path) -> StoreError {
    let StoreError::Sqlite(inner) = &e else {
        return e;
    };
    match inner.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => StoreError::DiskFull(path.to_path_buf()),
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::PermissionDenied) => {
            StoreError::ReadOnly(path.to_path_buf())
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            StoreError::Busy(path.to_path_buf())
        }
        _ => e,
    }
}

impl Store {
    /// Creates a new database with permissions `mode` (`PRIVATE_MODE`, or `GROUP_MODE` for a
    /// team sharing a Unix group); SQLite gives its WAL and shared-memory files the same.
    pub fn create_with_mode(path: &Path, mode: u32) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::Exists(path.to_path_buf()));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Directory {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        create_file(path, mode).map_err(|e| StoreError::Unreadable {
            path: path.to_path_buf(),
            reason: format!("création du fichier impossible : {e}"),
        })?;
        let conn = Connection::open(path).map_err(|e| unreadable(path, &e))?;
        // Before the first write, which fixes it: see `compact::PAGE_SIZE` for why.
        conn.pragma_update(None, "page_size", super::PAGE_SIZE)
            .map_err(|e| unreadable(path, &e))?;
        Self::prepare(conn, path)
    }

    /// Copies the database to `dest` while other sessions go on working (SQLite's online
    /// backup: pages are copied in steps, restarting if another session writes), then checks
    /// the copy. `dest` must not exist; it is created with private permissions.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest.exists() {
            return Err(StoreError::Exists(dest.to_path_buf()));
        }
        create_file(dest, PRIVATE_MODE).map_err(|e| StoreError::Unreadable {
            path: dest.to_path_buf(),
            reason: format!("création du fichier impossible : {e}"),
        })?;
        let copy = (|| -> Result<()> {
            let mut out = Connection::open(dest)?;
            {
                let b = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
                b.run_to_completion(256, Duration::from_millis(20), None)?;
            }
            let ok: String = out.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(StoreError::Corrupt(format!("copie incohérente : {ok}")));
            }
            Ok(())
        })();
        if let Err(e) = copy {
            let _ = std::fs::remove_file(dest);
            return Err(classify(e, dest));
        }
        Ok(())
    }
}

#[cfg(unix)]
fn create_file(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)?;
    // The umask may have removed bits the group needs.
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn create_file(path: &Path, _mode: u32) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(|_| ())
}
