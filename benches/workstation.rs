//! Workstation speed over 100,000 households/dossiers, measured as the model plus a full frame
//! rendered into ratatui's `TestBackend` (what happens between a key press and the next frame,
//! less the terminal's own write): a cursor move in the portfolio, a lookup keystroke, a sort,
//! and the first portfolio frame once the snapshot has arrived.

use std::hint::black_box;
use std::path::Path;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use impayes::search::SearchIndex;
use impayes::tui::app::{App, Msg};
use impayes::tui::keymap::Keymap;
use impayes::tui::theme::Theme;
use impayes::tui::view;
use impayes::tui::worker::{Lists, Reply, Snapshot};

mod common;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
}

fn app(n: usize) -> App {
    let theme = Theme::load("sombre", Path::new("/nonexistent")).expect("theme");
    let keymap = Keymap::new(&Default::default()).expect("keymap");
    let mut app = App::new("pmuller", today(), theme, keymap, "bench");
    app.update(Msg::Reply(Reply::Snapshot(Box::new(Snapshot {
        portfolio: common::rows(n),
        index: SearchIndex::new(common::summaries(n)),
        staff: Vec::new(),
        sectors: Vec::new(),
        households: n as i64,
        can_read_social: false,
    }))));
    app
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

fn workstation(c: &mut Criterion) {
    let mut g = c.benchmark_group("workstation_100k");
    g.sample_size(30);
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let mut a = app(100_000);
        g.bench_function(format!("cursor_move_and_frame_{w}x{h}"), |b| {
            b.iter(|| {
                a.update(key(KeyCode::Char('j')));
                term.draw(|f| view::render(&a, f)).expect("draw");
            })
        });
        g.bench_function(format!("lookup_keystroke_and_frame_{w}x{h}"), |b| {
            b.iter(|| {
                a.update(key(KeyCode::Char('/')));
                for ch in "beranger".chars() {
                    a.update(key(KeyCode::Char(ch)));
                    term.draw(|f| view::render(&a, f)).expect("draw");
                }
                a.update(key(KeyCode::Esc));
            })
        });
    }
    let mut a = app(100_000);
    g.bench_function("sort_next_column", |b| {
        b.iter(|| {
            a.update(key(KeyCode::Char('s')));
        })
    });
    g.bench_function("lists_to_first_portfolio_frame", |b| {
        // What start-up waits for once the worker has read the portfolio: the lookup index
        // arrives in a second message, built while the portfolio is already on screen.
        let mut term = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
        let rows = common::rows(100_000);
        b.iter(|| {
            let theme = Theme::load("sombre", Path::new("/nonexistent")).expect("theme");
            let keymap = Keymap::new(&Default::default()).expect("keymap");
            let mut app = App::new("pmuller", today(), theme, keymap, "bench");
            app.update(Msg::Reply(Reply::Lists(Box::new(Lists {
                portfolio: rows.clone(),
                staff: Vec::new(),
                sectors: Vec::new(),
                households: 100_000,
                can_read_social: false,
            }))));
            term.draw(|f| view::render(&app, f)).expect("draw");
            black_box(&app);
        })
    });
    g.bench_function("build_lookup_index", |b| {
        let summaries = common::summaries(100_000);
        b.iter(|| black_box(SearchIndex::new(summaries.clone())))
    });
    g.finish();
}

criterion_group!(benches, workstation);
criterion_main!(benches);
