//! What the import tests share: a fixture database in a sandboxed home, the binary run on it,
//! the fixtures under `tests/fixtures/`, and the summary's counts read back.

#![allow(dead_code)] // not every helper is used by every test

use std::path::{Path, PathBuf};

use crate::common::*;
use serde_json::Value;

/// A fixture database in a temporary directory that is also the user's home.
pub struct Sandbox {
    pub db: FixtureDb,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let db = fixture_db();
        std::fs::create_dir_all(db.dir.path().join("home")).expect("home");
        Sandbox { db }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.db.dir.path().join(name)
    }

    /// Runs the binary on `db` as of `TODAY`.
    pub fn on(&self, db: &Path, args: &[&str]) -> Run {
        let home = self.path("home");
        run(binary(&home, self.db.dir.path())
            // Imports write: the fixture has staff, and only staff may write (issue 9).
            .args(["--user", MANAGER])
            .arg("--db")
            .arg(db)
            .args(["--today", TODAY])
            .args(args))
    }

    /// Runs the binary on the fixture database.
    pub fn run(&self, args: &[&str]) -> Run {
        self.on(&self.db.path, args)
    }

    pub fn conn(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(&self.db.path).expect("open database")
    }

    pub fn one<T: rusqlite::types::FromSql>(&self, sql: &str) -> T {
        self.conn()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub fn balance(&self, account: &str) -> i64 {
        self.one(&format!(
            "SELECT b.cents FROM balances b JOIN households h ON h.id = b.household_id
             WHERE h.account = '{account}'"
        ))
    }

    /// Everything an import may change, to prove a failed one changed nothing.
    pub fn state(&self) -> Vec<i64> {
        [
            "SELECT COUNT(*) FROM entries",
            "SELECT COALESCE(SUM(cents), 0) FROM balances",
            "SELECT COUNT(*) FROM households",
            "SELECT COUNT(*) FROM dossiers",
            "SELECT COUNT(*) FROM events",
            "SELECT COUNT(*) FROM dossier_flags",
            "SELECT COUNT(*) FROM imports",
            "SELECT COUNT(*) FROM balances",
        ]
        .iter()
        .map(|sql| self.one::<i64>(sql))
        .collect()
    }

    /// Copies a fixture file into the sandbox (rejects files are written beside it).
    pub fn copy_fixture(&self, name: &str) -> PathBuf {
        let to = self.path(name);
        std::fs::copy(fixture(name), &to).expect("copy fixture");
        to
    }
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn import(s: &Sandbox, name: &str, extra: &[&str]) -> Run {
    import_file(s, &fixture(name), extra)
}

/// `impayes import accounts FILE` with `extra` options, for a file anywhere (a fixture copied
/// into the sandbox, so that its rejects file lands there, or a generated one).
pub fn import_file(s: &Sandbox, file: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["import", "accounts", file.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    s.run(&args)
}

/// The value of a summary row: "  Écritures ajoutées     1 234" → 1234.
pub fn count(run: &Run, label: &str) -> u64 {
    let line = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with(label))
        .unwrap_or_else(|| panic!("no « {label} » in:\n{}", run.stdout));
    line.trim_start()[label.len()..]
        .split_whitespace()
        .take_while(|w| w.chars().all(|c| c.is_ascii_digit()))
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number in « {line} »"))
}

/// The summary's line of times: "Durée : lecture et écriture 0,6 s, …".
pub fn times(run: &Run) -> &str {
    run.stdout
        .lines()
        .find(|l| l.starts_with("Durée : lecture et écriture "))
        .unwrap_or_else(|| panic!("no times: {}", run.stdout))
}

pub fn ok(run: &Run) {
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
}

pub fn show_json(s: &Sandbox, account: &str) -> Value {
    let run = s.run(&["show", account, "--format", "json"]);
    ok(&run);
    serde_json::from_str(&run.stdout).expect("json")
}
