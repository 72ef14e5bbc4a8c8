//! Building the monthly review's agenda on the demo database (20,000 households by default,
//! `IMPAYES_BENCH_HOUSEHOLDS` to change): every open dossier's file read, its legal deadlines
//! computed, the rules applied. Read-only, so each iteration measures the same work.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use impayes::demo::{DemoOptions, generate};
use impayes::domain::agenda::{AgendaContext, AgendaRules, build_agenda};
use impayes::domain::procedure::Rules;
use impayes::store::{self, Store};

fn agenda(c: &mut Criterion) {
    let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let households = std::env::var("IMPAYES_BENCH_HOUSEHOLDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::create(&dir.path().join("bench.sqlite3")).expect("create");
    generate(
        &mut store,
        &DemoOptions {
            households,
            seed: 1,
            months: impayes::demo::SIMULATED_MONTHS,
            today,
        },
    )
    .expect("demo");
    let rules = Rules::default();
    let agenda_rules = AgendaRules::default();
    let ctx = AgendaContext {
        date: today,
        last_review: None,
    };
    let mut group = c.benchmark_group("review");
    group.sample_size(10);
    group.bench_function(format!("agenda of {households} households"), |b| {
        b.iter(|| {
            let facts = store::agenda_facts(
                store.conn(),
                today,
                ctx.reference(&agenda_rules),
                None,
                &rules,
            )
            .expect("facts");
            black_box(build_agenda(&facts, &ctx, &agenda_rules))
        })
    });
    group.finish();
}

criterion_group!(benches, agenda);
criterion_main!(benches);
