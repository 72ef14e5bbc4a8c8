//! The figures' speed: `store::stats::sector_stats` for the year 2025 (what `impayes stats
//! --year 2025` and the Tableau de bord compute), on a demo database. Set `IMPAYES_BENCH_DB` to
//! an existing demo file (e.g. one of 100,000 homes written by `impayes demo --households 100000
//! --today 2026-11-22`); otherwise a 5,000-home demo is generated in a temporary directory.

use std::path::PathBuf;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use impayes::demo::{DemoOptions, generate};
use impayes::domain::figures::Period;
use impayes::store::Store;
use impayes::store::stats::sector_stats;

fn database() -> (Option<tempfile::TempDir>, PathBuf) {
    if let Some(path) = std::env::var_os("IMPAYES_BENCH_DB") {
        return (None, PathBuf::from(path));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.sqlite3");
    let mut store = Store::create(&path).expect("create");
    generate(
        &mut store,
        &DemoOptions {
            households: 5_000,
            seed: 1,
            months: impayes::demo::SIMULATED_MONTHS,
            today: NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
        },
    )
    .expect("demo");
    (Some(dir), path)
}

fn stats(c: &mut Criterion) {
    let (_dir, path) = database();
    let store = Store::open(&path).expect("open");
    let year = Period::year(2025).expect("year");
    let mut g = c.benchmark_group("stats");
    g.sample_size(10);
    g.bench_function("sector_stats_year_2025", |b| {
        b.iter(|| sector_stats(store.conn(), year).expect("stats"))
    });
    g.finish();
}

criterion_group!(benches, stats);
criterion_main!(benches);
