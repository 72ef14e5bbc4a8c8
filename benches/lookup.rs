//! Lookup speed over 100,000 households: one cold query (what `impayes search` does after
//! loading) and a name typed letter by letter (what the workstation does on each keystroke,
//! its index answering the one-character queries from what it kept).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use impayes::search::{Narrowing, SearchIndex};

mod common;

fn lookup(c: &mut Criterion) {
    let index = SearchIndex::new(common::summaries(100_000));
    let mut served = SearchIndex::new(common::summaries(100_000));
    served.answer_first_keys();
    let mut g = c.benchmark_group("lookup_100k");
    g.sample_size(20);
    g.bench_function("cold_query_beranger", |b| {
        b.iter(|| black_box(index.search(black_box("beranger"), 20)))
    });
    g.bench_function("cold_query_elodie_beranger", |b| {
        b.iter(|| black_box(index.search(black_box("elodie beranger"), 20)))
    });
    g.bench_function(
        "typed_letter_by_letter_elodie_beranger_15_keystrokes",
        |b| {
            let word = "elodie beranger";
            b.iter(|| {
                let mut n = Narrowing::default();
                for i in 1..=word.len() {
                    black_box(n.run(&served, &word[..i], 200));
                }
            })
        },
    );
    g.bench_function("first_keystroke_e_computed", |b| {
        b.iter(|| {
            let mut n = Narrowing::default();
            black_box(n.run(&index, "e", 200))
        })
    });
    g.bench_function("first_keystroke_e_answered", |b| {
        b.iter(|| {
            let mut n = Narrowing::default();
            black_box(n.run(&served, "e", 200))
        })
    });
    g.bench_function("index_of_2000_with_first_keys", |b| {
        b.iter(|| {
            let mut i = SearchIndex::new(common::summaries(2_000));
            i.answer_first_keys();
            black_box(i)
        })
    });
    g.finish();
}

criterion_group!(benches, lookup);
criterion_main!(benches);
