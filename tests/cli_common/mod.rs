//! What the binary's integration tests share: a sandboxed home so that no real config or
//! database is read, a run's exit code and output, and checks on French error sentences.

#![allow(dead_code)] // each test binary uses a different part

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use serde_json::Value;

/// A sandbox: a temporary directory that is also the user's home, so that no real config or
/// database of the machine is read.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        Sandbox { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self) -> Command {
        binary(&self.path("home"), self.dir.path())
    }

    /// Runs the binary with exactly `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        run(self.command().args(args))
    }

    /// Runs the binary on `db` as of `TODAY`, with `args` after the global options.
    pub fn on(&self, db: &Path, args: &[&str]) -> Run {
        let mut cmd = self.command();
        cmd.arg("--db").arg(db).args(["--today", TODAY]).args(args);
        run(&mut cmd)
    }
}

/// A fixture database inside a sandbox.
pub fn fixture() -> (Sandbox, PathBuf, Fixture) {
    let sandbox = Sandbox::new();
    let path = sandbox.path("impayes.sqlite3");
    let ids = {
        let mut store = impayes::store::Store::create(&path).expect("create");
        build(&mut store)
    };
    (sandbox, path, ids)
}

/// Asserts a failure reported the way officers should see it: a non-zero exit, one French
/// sentence on stderr starting with "impayes : ", nothing on stdout, no Rust internals.
pub fn assert_french_error(r: &Run, code: i32, needle: &str) {
    assert_eq!(r.code, code, "exit code; {r:#?}");
    assert!(r.stdout.is_empty(), "nothing on stdout: {r:#?}");
    let first = r.stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("impayes : "), "{r:#?}");
    assert!(r.stderr.contains(needle), "expected « {needle} » in {r:#?}");
    for internal in [
        "panicked",
        "Error:",
        "Error {",
        "Backtrace",
        "RUST_BACKTRACE",
        "SqliteFailure",
        "Os {",
        "kind:",
        "code:",
        "error: ",
        "Usage:",
        "For more information",
    ] {
        assert!(
            !r.stderr.contains(internal),
            "internal text « {internal} » in {r:#?}"
        );
    }
    // At most the sentence and a pointer to the help.
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(lines.len() <= 2, "{r:#?}");
    if lines.len() == 2 {
        assert_eq!(lines[1], "Aide : impayes --help");
    }
}

pub fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("invalid JSON ({e}): {r:#?}"))
}

pub fn user_version(path: &Path) -> i64 {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version")
}

/// TSV rows (without the header) as vectors of fields.
pub fn tsv_rows(r: &Run) -> Vec<Vec<String>> {
    let mut lines = r.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("compte\tnom\tadresse\tstatut\tdette\tmois\tphase"),
        "{r:#?}"
    );
    lines
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}
