//! Eight processes write events into one database at the same time; none is lost and no
//! writer sees "database is locked".
//!
//! The issue asks for 30 s; the suite runs WRITE_SECS (4 s) so that it stays under 10 s on a
//! shared two-core machine: set IMPAYES_CONCURRENCY_SECS=30 for the long run. The writers are
//! this test binary run again as child processes (`writer_process`, ignored when run alone).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use impayes::domain::event::EventDetail;
use impayes::store::{self, Stamp, Store};

const WRITERS: usize = 8;
const WRITE_SECS: u64 = 4;

/// One writer: records events for the given time, one transaction each, and prints how many
/// it stored. Run by `eight_processes_write_events_and_none_is_lost`, not on its own.
#[test]
#[ignore = "child process of eight_processes_write_events_and_none_is_lost"]
fn writer_process() {
    let Ok(db) = std::env::var("TEAM_WRITER_DB") else {
        return;
    };
    let id: usize = std::env::var("TEAM_WRITER_ID")
        .expect("id")
        .parse()
        .expect("id");
    let dossier: i64 = std::env::var("TEAM_WRITER_DOSSIER")
        .expect("dossier")
        .parse()
        .expect("dossier");
    let secs: u64 = std::env::var("TEAM_WRITER_SECS")
        .expect("secs")
        .parse()
        .expect("secs");
    let mut s = Store::open(std::path::Path::new(&db)).expect("open");
    let login = format!("agent{id}");
    s.set_actor(Some(&login)).expect("actor");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
    let until = Instant::now() + Duration::from_secs(secs);
    let (mut stored, mut failed) = (0u64, 0u64);
    while Instant::now() < until {
        let r = s.write(|c| {
            store::insert_event(
                c,
                dossier,
                day,
                &EventDetail::Note {
                    confidential: false,
                },
                &format!("{login} n° {stored}"),
                &Stamp::now(&login),
            )
        });
        match r {
            Ok(_) => stored += 1,
            Err(e) => {
                eprintln!("writer {id}: {e}");
                failed += 1;
            }
        }
    }
    println!("STORED {stored} FAILED {failed}");
}

#[test]
fn eight_processes_write_events_and_none_is_lost() {
    let f = fixture_db();
    let secs: u64 = std::env::var("IMPAYES_CONCURRENCY_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(WRITE_SECS);
    let before: i64 = Store::open(&f.path)
        .expect("open")
        .conn()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .expect("count");
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = (0..WRITERS)
        .map(|id| {
            Command::new(&exe)
                .args(["--exact", "writer_process", "--ignored", "--nocapture"])
                .env("TEAM_WRITER_DB", &f.path)
                .env("TEAM_WRITER_ID", id.to_string())
                .env("TEAM_WRITER_DOSSIER", f.ids.elodie_dossier.to_string())
                .env("TEAM_WRITER_SECS", secs.to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn writer")
        })
        .collect();
    let mut total = 0u64;
    for child in children {
        let out = child.wait_with_output().expect("writer ends");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stdout}\n{stderr}");
        assert!(!stderr.contains("locked"), "{stderr}");
        let line = stdout
            .lines()
            .find(|l| l.starts_with("STORED "))
            .unwrap_or_else(|| panic!("no count in {stdout}"));
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields[3], "0", "a write failed: {stderr}");
        let stored: u64 = fields[1].parse().expect("count");
        assert!(stored > 0, "writer starved: {line}");
        total += stored;
    }
    let s = Store::open(&f.path).expect("open");
    let after: i64 = s
        .conn()
        .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
        .expect("count");
    let audited: i64 = s
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM audit WHERE entity = 'events' AND login LIKE 'agent%'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    eprintln!(
        "{WRITERS} writers, {secs} s: {total} events stored ({:.0}/s)",
        total as f64 / secs as f64
    );
    assert_eq!(after - before, total as i64, "every stored event is there");
    assert_eq!(audited, total as i64, "and every one is audited");
}
