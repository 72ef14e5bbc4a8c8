//! Page size of the file (issue 4's import speed): new bases get large pages, `impayes
//! compact` rewrites an older base with them and keeps every row, and refuses while another
//! session has the base open.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::*;
use impayes::store::{PAGE_SIZE, Store};

fn impayes(home: &Path, db: &Path, args: &[&str]) -> Run {
    run(binary(home, db.parent().unwrap_or(home))
        .stdin(Stdio::null())
        .arg("--db")
        .arg(db)
        .args(["--today", TODAY])
        .args(args))
}

fn pragma(db: &Path, name: &str) -> String {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(&format!("PRAGMA {name}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })
        .map(|v| match v {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        })
        .expect("pragma")
}

/// Every row of the tables an officer's work lives in, as text: equal before and after a
/// rewrite when nothing was lost or changed.
fn content(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut out = Vec::new();
    for table in [
        "households",
        "entries",
        "dossiers",
        "events",
        "plans",
        "balances",
        "audit",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .expect("prepare");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = format!("{table}:");
                for i in 0..columns {
                    line.push_str(&format!("{:?}|", r.get::<_, rusqlite::types::Value>(i)?));
                }
                Ok(line)
            })
            .expect("query")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("rows");
        assert!(!rows.is_empty() || table == "audit", "{table} is empty");
        out.extend(rows);
    }
    out
}

/// A base as versions before large pages created it: 4 KiB pages, the fixture's rows.
fn older_base(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("ancienne.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).expect("open raw");
        conn.pragma_update(None, "page_size", 4096)
            .expect("page size");
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .expect("wal");
    }
    let mut store = Store::open(&path).expect("migrate the empty file");
    build(&mut store);
    drop(store);
    assert_eq!(pragma(&path, "page_size"), "4096");
    path
}

/// `compact` on a base that needs nothing: a sentence, the file untouched.
fn assert_nothing_to_compact(home: &Path, db: &Path) {
    let r = impayes(home, db, &["compact"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("Rien à faire"), "{r:?}");
}

/// An older base in a new temporary directory, its rows, and a home for the binary.
fn older_fixture() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Vec<String>,
    std::path::PathBuf,
) {
    let dir = tempfile::tempdir().expect("dir");
    let path = older_base(dir.path());
    let rows = content(&path);
    let home = dir.path().join("home");
    (dir, path, rows, home)
}

#[test]
fn a_new_base_has_large_pages_and_check_says_so() {
    let f = fixture_db();
    assert_eq!(pragma(&f.path, "page_size"), PAGE_SIZE.to_string());
    let home = f.dir.path().join("home");
    let r = impayes(&home, &f.path, &["check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("pages de 65 536 octets"), "{r:?}");
    assert!(!r.stdout.contains("impayes compact"), "{r:?}");
    // Nothing to rewrite in a new base.
    assert_nothing_to_compact(&home, &f.path);
}

#[test]
fn compact_rewrites_an_older_base_with_large_pages_and_keeps_every_row() {
    let (_dir, path, before, home) = older_fixture();

    let r = impayes(&home, &path, &["check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("pages de 4 096 octets") && r.stdout.contains("`impayes compact`"),
        "{r:?}"
    );

    let r = impayes(&home, &path, &["compact"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.starts_with("Base réécrite") && r.stdout.contains("4 096 → 65 536 octets"),
        "{r:?}"
    );
    assert_eq!(pragma(&path, "page_size"), PAGE_SIZE.to_string());
    assert_eq!(pragma(&path, "journal_mode"), "wal");
    assert_eq!(pragma(&path, "freelist_count"), "0");
    assert_eq!(content(&path), before);
    let r = impayes(&home, &path, &["check"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_nothing_to_compact(&home, &path);
}

#[test]
fn compact_is_refused_while_another_session_has_the_base_open() {
    let (_dir, path, before, home) = older_fixture();
    let other = Store::open(&path).expect("another session");

    let r = impayes(&home, &path, &["compact"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("ouverte") && r.stderr.contains("rien n'a été modifié"),
        "{r:?}"
    );
    // The other session goes on working, on the same file as before.
    assert!(other.page_layout().expect("layout").page_size == 4096);
    drop(other);
    assert_eq!(pragma(&path, "page_size"), "4096");
    assert_eq!(pragma(&path, "journal_mode"), "wal");
    assert_eq!(content(&path), before);
}

#[test]
fn a_session_opening_the_base_during_a_rewrite_is_told_it_is_busy() {
    let (_dir, path, _, home) = older_fixture();
    // What `compact` holds while it rewrites: the journal out of WAL mode and an exclusive
    // lock kept until it is done.
    let rewriting = rusqlite::Connection::open(&path).expect("open raw");
    rewriting
        .query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(()))
        .expect("locking mode");
    rewriting
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .expect("journal mode");
    rewriting
        .execute_batch("BEGIN EXCLUSIVE; CREATE TABLE being_rewritten (x);")
        .expect("exclusive lock");

    let r = impayes(&home, &path, &["check"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("est occupée") && r.stderr.contains("réessayez"),
        "{r:?}"
    );
    rewriting.execute_batch("ROLLBACK").expect("rollback");
}
