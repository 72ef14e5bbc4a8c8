//! Legal deadlines in bulk (issue 5, item 6): the portfolio's "Délai légal" column (every open
//! dossier's nearest legal date, and one chunk of 1,000 households as the workstation asks it),
//! and one officer's "Mes actions".
//!
//! `IMPAYES_BENCH_DB=/tmp/demo.sqlite3 cargo bench --bench legal_dates` on a demo written with
//! `impayes demo --today 2026-11-22` (20,000 households: `--households 20000`); without the
//! variable, a 2,000-household demo is generated in a temporary directory.

use std::path::PathBuf;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use impayes::demo::{DemoOptions, generate};
use impayes::domain::procedure::Rules;
use impayes::domain::todo::Who;
use impayes::store::{self, FileSet, Store};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

fn database() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(p) = std::env::var_os("IMPAYES_BENCH_DB") {
        return (None, PathBuf::from(p));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.sqlite3");
    let mut store = Store::create(&path).expect("create");
    generate(
        &mut store,
        &DemoOptions {
            households: 2_000,
            seed: 1,
            months: impayes::demo::SIMULATED_MONTHS,
            today: today(),
        },
    )
    .expect("demo");
    (Some(dir), path)
}

fn legal_dates(c: &mut Criterion) {
    let (_dir, path) = database();
    let store = Store::open(&path).expect("open");
    let conn = store.conn();
    let rules = Rules::default();
    let rows = store::portfolio(conn).expect("portfolio");
    let mut ids: Vec<i64> = rows.iter().map(|r| r.household_id).collect();
    ids.truncate(1_000);
    eprintln!("{} open dossiers in {}", rows.len(), path.display());
    let mut g = c.benchmark_group("legal_dates");
    g.sample_size(10);
    g.bench_function("every_open_dossier", |b| {
        b.iter(|| store::legal_dates(conn, FileSet::OpenDossiers, today(), &rules).expect("dates"))
    });
    g.bench_function("chunk_of_1000_households", |b| {
        b.iter(|| store::legal_dates(conn, FileSet::Only(&ids), today(), &rules).expect("dates"))
    });
    g.bench_function("mes_actions_pmuller", |b| {
        b.iter(|| store::todo(conn, &Who::parse("pmuller"), today(), None, &rules).expect("todo"))
    });
    g.finish();
}

criterion_group!(benches, legal_dates);
criterion_main!(benches);
