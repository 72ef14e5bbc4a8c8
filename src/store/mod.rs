//! The SQLite file shared by the team: opening it safely, its migrations, and typed reads and
//! writes. This is the only module that holds SQL.

mod actions;
mod audit;
mod check;
mod compact;
mod departure;
mod detect;
mod export;
mod files;
mod import;
mod ledger;
mod ledger_filing;
mod ledger_years;
mod letters;
mod merge;
mod read;
mod review;
mod review_agenda;
mod safety;
mod schema;
pub mod stats;
mod team;
mod tiers;
mod todo;
pub mod workstation;
mod write;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use actions::*;
pub use audit::*;
pub use check::CheckReport;
pub use compact::{CompactError, CompactReport, PAGE_SIZE, PageLayout};
pub use departure::*;
pub use detect::*;
pub use export::*;
pub use files::*;
pub use import::*;
pub use ledger::{catch_up, refile};
pub use letters::*;
pub use read::*;
pub use review::*;
pub use safety::*;
pub use schema::SCHEMA_VERSION;
pub use team::*;
pub use tiers::{SETTLE_SHARE, Settled, TierSizes};
pub use todo::todo;
pub use write::*;

/// What can go wrong with the database, in sentences an officer can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file does not exist.
    #[error(
        "la base « {0} » n'existe pas : créez-la avec `impayes init` ou `impayes demo`, ou indiquez-en une autre avec --db"
    )]
    Missing(PathBuf),
    /// `init` or `demo` would overwrite a file.
    #[error("la base « {0} » existe déjà : elle n'est pas écrasée (utilisez --force pour la démo)")]
    Exists(PathBuf),
    /// The file cannot be opened or is not an SQLite database.
    #[error("« {path} » n'est pas une base impayes lisible : {reason}")]
    Unreadable {
        /// The file.
        path: PathBuf,
        /// SQLite's or the system's reason, in French where we know it.
        reason: String,
    },
    /// A newer version of impayes wrote the file.
    #[error(
        "la base « {path} » a été écrite par une version plus récente d'impayes (schéma {found}, cette version connaît le schéma {known}) : mettez impayes à jour avant de l'ouvrir"
    )]
    TooNew {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// The directory of the database could not be created.
    #[error("impossible de créer le dossier « {path} » : {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// An account number that is not in the database.
    #[error("compte « {0} » inconnu dans cette base")]
    UnknownAccount(String),
    /// A row that cannot be read back as a domain value (hand-edited database).
    #[error("donnée invalide dans la base : {0}")]
    Corrupt(String),
    /// A rule of the data refused the change.
    #[error("{0}")]
    Refused(String),
    /// Another officer saved the dossier since it was read (row version changed).
    #[error(
        "ce dossier a été modifié par {by} ({at}) pendant votre saisie : rien n'a été écrasé ; la nouvelle version est affichée derrière ce formulaire, fermez-le (Échap) et recommencez"
    )]
    Conflict {
        /// Who saved it.
        by: String,
        /// When (ISO timestamp).
        at: String,
    },
    /// The disk is full: the change was not stored, nothing already stored is lost.
    #[error(
        "le disque de la base « {0} » est plein : la modification n'est pas enregistrée (les données déjà enregistrées sont intactes) ; libérez de la place et recommencez"
    )]
    DiskFull(PathBuf),
    /// The file or its directory cannot be written.
    #[error(
        "la base « {0} » est en lecture seule (droits du fichier ou de son dossier) : la modification n'est pas enregistrée, les données déjà enregistrées sont intactes"
    )]
    ReadOnly(PathBuf),
    /// Other sessions kept the database busy longer than the bounded wait.
    #[error(
        "la base « {0} » est occupée par d'autres postes depuis trop longtemps : rien n'a été modifié, réessayez dans un instant"
    )]
    Busy(PathBuf),
    /// Any other SQLite error.
    #[error("erreur de la base de données : {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A migration failed.
    #[error("mise à jour du schéma impossible : {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

/// Result of store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open database. Several officers' processes may hold one on the same file: WAL mode lets
/// readers go on while one writes, and the busy timeout makes a writer wait for another.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Login the audit triggers write (None: bulk mode, no row-by-row audit).
    actor: Option<String>,
}

/// How long a write waits for another session's write before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Bytes of a database file mapped by the connections that read much of it (an import and the
/// detection after it, their second readers): the whole file, up to 64 GiB. SQLite's default
/// cap is 2 GiB (see `.cargo/config.toml`); past it every page came through a read call and
/// a copy into the page cache, and an import of 200,000 lines into a 2.2 GB base of 100,000
/// households ran at 113,000–121,000 lines/s instead of 168,000–187,000.
pub(crate) const MAP_BYTES: i64 = 1 << 36;

/// Households with just their account (`411-` and the id), present, for store tests that
/// need rows to hang entries or dossiers on.
#[cfg(test)]
pub(crate) fn bare_households(conn: &Connection, ids: impl IntoIterator<Item = i64>) {
    for id in ids {
        conn.execute(
            "INSERT INTO households (id, account, holder, status, created_by, created_at,
                updated_by, updated_at) VALUES (?1, ?2, 'X', 'present', 't', 't', 't', 't')",
            rusqlite::params![id, format!("411-{id}")],
        )
        .expect("household");
    }
}

/// The lines of SQLite's plan for `sql` with `params` (tests that pin a query's plan).
#[cfg(test)]
pub(crate) fn query_plan(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Vec<String> {
    conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("plan")
        .query_map(params, |r| r.get::<_, String>(3))
        .expect("plan rows")
        .collect::<rusqlite::Result<_>>()
        .expect("plan rows")
}

/// A second, read-only connection to the file at `path`, for a reading pass on the other core
/// (the figures' sums, half of the detection's ledgers). Its reads go through a memory map of
/// up to `mmap_bytes`: no system call per page.
pub(crate) fn second_reader(path: &str, mmap_bytes: i64) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "mmap_size", mmap_bytes)?;
    Ok(conn)
}

/// `f` on a second reader (see `second_reader`) inside one read transaction: the state of the
/// last commit, whatever the caller's connection writes meanwhile.
pub(crate) fn read_committed<R>(
    path: &str,
    mmap_bytes: i64,
    f: impl FnOnce(&Connection) -> Result<R>,
) -> Result<R> {
    let conn = second_reader(path, mmap_bytes)?;
    let _read = conn.unchecked_transaction()?;
    f(&conn)
}

impl Store {
    /// Opens an existing database, migrating an older schema and refusing a newer one.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| unreadable(path, &e))?;
        Self::prepare(conn, path)
    }

    /// Creates a new, empty database at `path` (and its directory), refusing to overwrite;
    /// only its owner may read it (see `create_with_mode`).
    pub fn create(path: &Path) -> Result<Store> {
        Self::create_with_mode(path, safety::PRIVATE_MODE)
    }

    /// An in-memory database, for tests and benchmarks.
    pub fn in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        Self::prepare(conn, Path::new(":memory:"))
    }

    fn prepare(mut conn: Connection, path: &Path) -> Result<Store> {
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| unreadable(path, &e))?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: SCHEMA_VERSION,
            });
        }
        if version == 0 {
            // Never migrated, yet holding tables: another application's database, which must
            // not receive ours.
            let tables: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
                    [],
                    |r| r.get(0),
                )
                .map_err(|e| unreadable(path, &e))?;
            if tables > 0 {
                return Err(StoreError::Unreadable {
                    path: path.to_path_buf(),
                    reason:
                        "c'est une base SQLite d'une autre application (elle n'est pas modifiée)"
                            .into(),
                });
            }
        }
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Off while migrating: a migration that rebuilds a referenced table (v4: staff) must
        // drop it; such migrations run PRAGMA foreign_key_check before committing.
        conn.pragma_update(None, "foreign_keys", "OFF")?;
        if path != Path::new(":memory:") {
            conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
                .map_err(|e| unreadable(path, &e))?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrations().to_latest(&mut conn)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            actor: None,
        };
        store.set_actor(Some(audit::UNKNOWN_ACTOR))?;
        Ok(store)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for reads (`read::*` functions take it).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one transaction: all of it is stored, or none of it. Waits (bounded) for
    /// other sessions' writes; a full disk or a read-only file gives its own sentence.
    pub fn write<T>(&mut self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = safety::begin_immediate(&self.conn, &path)?;
        let out = f(&self.conn).map_err(|e| safety::classify(e, &path))?;
        tx.commit(&path)?;
        Ok(out)
    }

    /// A counter that changes when another connection commits: the workstation polls it to
    /// reload what other officers wrote.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// The schema version stored in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

fn unreadable(path: &Path, e: &rusqlite::Error) -> StoreError {
    let reason = match e.sqlite_error_code() {
        // Held by another session for longer than the busy timeout (`compact`, a migration):
        // the file is fine, the officer should try again.
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
            return StoreError::Busy(path.to_path_buf());
        }
        Some(rusqlite::ErrorCode::NotADatabase) => "ce fichier n'est pas une base SQLite".into(),
        Some(rusqlite::ErrorCode::CannotOpen) => {
            "impossible d'ouvrir le fichier (chemin ou droits d'accès)".into()
        }
        Some(rusqlite::ErrorCode::PermissionDenied) | Some(rusqlite::ErrorCode::ReadOnly) => {
            "droits d'accès insuffisants".into()
        }
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => "le fichier est endommagé".into(),
        _ => e.to_string(),
    };
    StoreError::Unreadable {
        path: path.to_path_buf(),
        reason,
    }
}
