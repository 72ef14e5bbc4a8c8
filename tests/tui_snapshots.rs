//! What the workstation draws, as text, at 80×24 (the smallest usual terminal) and 120×40:
//! insta snapshots of `view::render` into ratatui's `TestBackend` on the demo database (seed 7,
//! 22/11/2026, theme `mono`), and checks of the styles of a few cells.
//!
//! Review a changed screen with `cargo insta review` (or `INSTA_UPDATE=always cargo test --test
//! tui_snapshots` then `git diff tests/snapshots`).

mod tui_common;

use crossterm::event::KeyCode;
use ratatui::style::Modifier;
use rust_decimal::Decimal;

use impayes::domain::money::format_amount;
use impayes::store;
use impayes::tui::app::{App, Overlay};
use impayes::tui::dossier::Tab;

use tui_common::{Bench, ELODIE_ID, PMULLER, ch, ctrl, find, key, render, screen, theme};

/// Snapshots the screen at 80×24 and 120×40.
fn both(name: &str, app: &App) {
    for (w, h) in [(80, 24), (120, 40)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(app, w, h));
    }
}

fn elodie(user: &str) -> Bench {
    let mut b = Bench::demo(user);
    b.open(ELODIE_ID);
    b
}

#[test]
fn portfolio() {
    let b = Bench::demo(PMULLER);
    both("portfolio", &b.app);
}

#[test]
fn portfolio_all_tenants() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('t'));
    b.key(ch('t'));
    both("portfolio_all", &b.app);
}

#[test]
fn lookup_with_a_query() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('/'));
    b.type_text("beranger");
    b.key(key(KeyCode::Down));
    both("lookup", &b.app);
}

#[test]
fn dossier_tabs() {
    let mut b = elodie(PMULLER);
    for (name, tab) in [
        ("dossier_timeline", Tab::Timeline),
        ("dossier_account", Tab::Account),
        ("dossier_plan", Tab::Plan),
        ("dossier_notes", Tab::Notes),
    ] {
        assert_eq!(b.app.dossier.as_ref().map(|d| d.tab), Some(tab));
        both(name, &b.app);
        b.key(key(KeyCode::Tab));
    }
}

/// The first household of the demo whose notes include a confidential one and another one.
fn household_with_social_notes(b: &Bench) -> i64 {
    let store = b.store();
    let (households, _) = store::counts(store.conn()).expect("counts");
    (1..=households)
        .find(|&id| {
            let file = store::household_file(store.conn(), id).expect("file");
            let notes: Vec<bool> = file
                .events
                .iter()
                .filter(|e| e.detail.code() == "note")
                .map(|e| e.detail.is_confidential())
                .collect();
            notes.contains(&true)
        })
        .expect("the demo has confidential notes")
}

#[test]
fn dossier_notes_hidden_from_others_shown_to_social_workers() {
    // pmuller (amicable) reads that a confidential note exists; lmeyer (CESF) reads it.
    for (user, name) in [
        (PMULLER, "dossier_notes_hidden_120x40"),
        ("lmeyer", "dossier_notes_cesf_120x40"),
    ] {
        let mut b = Bench::demo(user);
        let id = household_with_social_notes(&b);
        b.open(id);
        b.key(ch('h'));
        b.key(ch('h'));
        assert_eq!(b.app.dossier.as_ref().map(|d| d.tab), Some(Tab::Notes));
        let s = screen(&b.app, 120, 40);
        assert_eq!(
            s.contains("[contenu réservé aux travailleurs sociaux]"),
            user == PMULLER,
            "{s}"
        );
        insta::assert_snapshot!(name, s);
    }
}

#[test]
fn relance_form() {
    let mut b = elodie(PMULLER);
    b.key(ch('r'));
    both("relance_form", &b.app);
    // With an error beside the date.
    b.type_text("32/13/2026");
    b.key(ctrl('s'));
    insta::assert_snapshot!("relance_form_error_80x24", screen(&b.app, 80, 24));
}

#[test]
fn plan_schedule_form() {
    let mut b = elodie(PMULLER);
    b.key(ch('P'));
    both("plan_setup_form", &b.app);
    b.key(ctrl('s'));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Form(_))));
    both("plan_schedule_form", &b.app);
}

#[test]
fn kind_picker() {
    let mut b = elodie(PMULLER);
    b.key(ch('a'));
    b.type_text("co");
    insta::assert_snapshot!("kind_picker_80x24", screen(&b.app, 80, 24));
}

#[test]
fn help() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('?'));
    both("help", &b.app);
}

#[test]
fn palette() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch(':'));
    both("palette", &b.app);
}

#[test]
fn empty_database_welcome() {
    let b = Bench::with_households(PMULLER, 0);
    assert_eq!(b.app.households, Some(0));
    both("empty_database", &b.app);
}

#[test]
fn terminal_too_small() {
    let b = Bench::demo(PMULLER);
    let s = screen(&b.app, 60, 15);
    assert!(s.contains("Terminal trop petit (60×15)"), "{s}");
    insta::assert_snapshot!("too_small_60x15", s);
}

#[test]
fn selected_portfolio_row_is_reversed_in_mono() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('j'));
    let selected = b.app.portfolio.selected().expect("row").clone();
    b.key(ch('k'));
    let first = b.app.portfolio.selected().expect("row").clone();
    let buf = render(&b.app, 120, 40);
    let (x, y) = find(&buf, &first.account).expect("first row drawn");
    let (x2, y2) = find(&buf, &selected.account).expect("second row drawn");
    assert_eq!(y2, y + 1);
    for dx in 0..first.account.len() as u16 {
        assert!(
            buf[(x + dx, y)].modifier.contains(Modifier::REVERSED),
            "selected row reversed"
        );
        assert!(
            !buf[(x2 + dx, y2)].modifier.contains(Modifier::REVERSED),
            "other rows are not"
        );
    }
    // The whole width of the row, not only its text.
    assert!(buf[(x + 40, y)].modifier.contains(Modifier::REVERSED));
}

#[test]
fn debts_use_the_debt_style_in_sombre() {
    let mut b = Bench::demo(PMULLER);
    b.app.theme = theme("sombre");
    let debt_style = b.app.theme.style("amount.debt");
    assert!(debt_style.fg.is_some(), "sombre colours debts");
    b.key(ch('j'));
    let row = b.app.portfolio.selected().expect("row").clone();
    b.key(ch('k'));
    assert!(row.debt > Decimal::ZERO);
    let buf = render(&b.app, 120, 40);
    let (_, y) = find(&buf, &row.account).expect("row drawn");
    let amount = format_amount(row.debt);
    let (x, ya) = find(&buf, &amount).expect("debt drawn");
    assert_eq!(ya, y, "the debt is on the row");
    for dx in 0..amount.chars().count() as u16 {
        let cell = &buf[(x + dx, y)];
        assert_eq!(cell.fg, debt_style.fg.unwrap(), "{amount} at {dx}");
    }
    // The account beside it is not coloured as a debt.
    let (xa, _) = find(&buf, &row.account).expect("row drawn");
    assert_ne!(buf[(xa, y)].fg, debt_style.fg.unwrap());
}

#[test]
fn lookup_matches_use_the_match_style() {
    let mut b = Bench::demo(PMULLER);
    b.app.theme = theme("sombre");
    let matched = b.app.theme.style("match");
    b.key(ch('/'));
    b.type_text("beranger");
    let Some(Overlay::Lookup(l)) = b.app.overlays.last() else {
        panic!("lookup");
    };
    // The second hit: not under the cursor, so only the match style applies.
    let hit = l.hits[1].clone();
    let index = b.app.index.as_ref().expect("index");
    let display = index.candidate(hit.index).display.clone();
    // The lookup leaves the positions to the rows drawn.
    let positions = index.positions(hit.index, "beranger");
    let first_positions = index.positions(l.hits[0].index, "beranger");
    let buf = render(&b.app, 120, 40);
    let prefix: String = display.chars().take(16).collect();
    let (x, y) = find(&buf, &prefix).expect("hit drawn");
    let width = 80; // inside what is drawn of the line at 120 columns
    let mut seen = 0;
    for (i, _) in display.chars().enumerate().take(width) {
        let cell = &buf[(x + i as u16, y)];
        if positions.contains(&i) {
            seen += 1;
            assert_eq!(cell.fg, matched.fg.unwrap(), "matched char {i}");
            assert!(cell.modifier.contains(matched.add_modifier), "char {i}");
        } else {
            assert_ne!(cell.fg, matched.fg.unwrap(), "unmatched char {i}");
            assert!(!cell.modifier.contains(Modifier::UNDERLINED), "char {i}");
        }
    }
    assert!(seen >= 3, "letters of beranger highlighted: {seen}");
    // Under the cursor: the selection and the match together.
    let first = &b.app.index.as_ref().unwrap().candidate(l.hits[0].index);
    let prefix: String = first.display.chars().take(16).collect();
    let (x, y) = find(&buf, &prefix).expect("first hit drawn");
    let p = first_positions[0];
    let cell = &buf[(x + p as u16, y)];
    assert!(
        cell.modifier
            .contains(Modifier::REVERSED | Modifier::UNDERLINED)
    );
}

/// The first household of the demo whose open dossier has legal deadlines running.
fn household_with_deadlines(b: &Bench) -> i64 {
    let store = b.store();
    let (households, _) = store::counts(store.conn()).expect("counts");
    let rules = impayes::domain::procedure::Rules::default();
    (1..=households)
        .find(|&id| {
            let file = store::household_file(store.conn(), id).expect("file");
            !impayes::domain::procedure::deadlines(&file, b.app.today, &rules).is_empty()
        })
        .expect("the demo has a dossier with legal deadlines")
}

#[test]
fn dossier_deadlines_tab_and_computation() {
    let mut b = Bench::demo("ywalter");
    let id = household_with_deadlines(&b);
    b.open(id);
    b.key(ch('h'));
    assert_eq!(b.app.dossier.as_ref().map(|d| d.tab), Some(Tab::Deadlines));
    let s = screen(&b.app, 120, 40);
    assert!(s.contains("▸ Délais ("), "{s}");
    insta::assert_snapshot!("dossier_deadlines_120x40", s);
    // Entrée shows the whole computation with its legal reference.
    b.key(key(KeyCode::Enter));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Text(..))));
    let s = screen(&b.app, 120, 40);
    assert!(s.contains("Référence"), "{s}");
    insta::assert_snapshot!("dossier_deadline_detail_120x40", s);
}
