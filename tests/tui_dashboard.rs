//! The « Tableau de bord » pane on the demo database (seed 7, 150 homes, 22/11/2026, theme
//! `mono`): snapshots at 80×24 (one section at a time, Tab to the next) and 200×50 (all at
//! once), the period and sector keys, and the `contraste` theme's styles.

mod tui_common;

use crossterm::event::KeyCode;

use impayes::tui::app::Pane;
use impayes::tui::worker::Request;

use tui_common::{Bench, PMULLER, ch, find, key, render, screen, theme};

fn dashboard() -> Bench {
    let mut b = Bench::demo(PMULLER);
    let reqs = b.press(ch('6'));
    assert!(
        matches!(reqs.as_slice(), [Request::Stats { .. }]),
        "entering the pane asks the worker for the figures"
    );
    b.serve(reqs);
    assert_eq!(b.app.pane, Pane::Dashboard);
    assert!(b.app.dashboard.stats.is_some() && !b.app.dashboard.loading);
    b
}

#[test]
fn every_section_at_80x24() {
    let mut b = dashboard();
    for name in ["figures", "debt", "flows", "funnel", "sectors"] {
        insta::assert_snapshot!(format!("dashboard_{name}_80x24"), screen(&b.app, 80, 24));
        b.key(key(KeyCode::Tab));
    }
    // Back to the first section after the last.
    assert_eq!(b.app.dashboard.section, 0);
}

#[test]
fn everything_at_200x50_and_one_sector() {
    let mut b = dashboard();
    insta::assert_snapshot!("dashboard_200x50", screen(&b.app, 200, 50));
    // A sector needs no new computation; the fourth is Mulhouse.
    for _ in 0..4 {
        assert!(b.press(ch('s')).is_empty());
    }
    assert!(b.app.dashboard.sector_label().contains("Mulhouse"));
    let s = screen(&b.app, 200, 50);
    assert!(
        s.contains("▶"),
        "the chosen sector is marked in words, not colour"
    );
    insta::assert_snapshot!("dashboard_sector_200x50", s);
}

#[test]
fn the_period_key_asks_for_new_figures_and_esc_goes_back() {
    let mut b = dashboard();
    let before = b.app.dashboard.stats.as_ref().map(|s| s.period);
    let reqs = b.press(ch('p'));
    assert!(matches!(reqs.as_slice(), [Request::Stats { .. }]));
    assert!(
        screen(&b.app, 80, 24).contains("calcul"),
        "a pending computation shows"
    );
    b.serve(reqs);
    let after = b.app.dashboard.stats.as_ref().map(|s| s.period);
    assert_ne!(before, after);
    assert!(screen(&b.app, 80, 24).contains("Année 2025"));
    b.key(key(KeyCode::Esc));
    assert_eq!(b.app.pane, Pane::Portfolio);
}

#[test]
fn figures_on_screen_follow_another_sessions_write() {
    let mut b = dashboard();
    let before = b.app.dashboard.stats.clone();
    let household = b.app.portfolio.rows().first().expect("a row").household_id;
    {
        let mut other = b.store();
        let rent = impayes::domain::ledger::Entry {
            id: 0,
            date: b.app.today,
            kind: impayes::domain::ledger::EntryKind::RentCall,
            amount: rust_decimal::Decimal::new(98_765, 2),
            label: "Loyer saisi sur un autre poste".into(),
            reference: Some("AUTRE-POSTE-1".into()),
        };
        other
            .write(|c| {
                impayes::store::insert_entry(
                    c,
                    household,
                    &rent,
                    &impayes::store::Stamp::now("cmartin"),
                )
            })
            .expect("entry");
    }
    let reqs = b.reply(impayes::tui::worker::Reply::ExternalChange);
    assert!(
        reqs.iter().any(|r| matches!(r, Request::Stats { .. })),
        "the dashboard on screen asks for its figures again: {reqs:?}"
    );
    assert!(
        b.app.dashboard.stats.is_some(),
        "the old figures stay shown meanwhile"
    );
    b.serve(reqs);
    assert!(!b.app.dashboard.loading);
    assert_ne!(b.app.dashboard.stats, before, "the new rent call counts");
    // Elsewhere, an external change does not compute figures nobody sees.
    b.key(key(KeyCode::Esc));
    let reqs = b.reply(impayes::tui::worker::Reply::ExternalChange);
    assert!(!reqs.iter().any(|r| matches!(r, Request::Stats { .. })));
}

#[test]
fn contraste_draws_titles_in_its_title_style() {
    let mut b = dashboard();
    b.app.theme = theme("contraste");
    let buf = render(&b.app, 200, 50);
    let (x, y) = find(&buf, "Tableau de bord ·").expect("title");
    assert_eq!(buf[(x, y)].style().fg, b.app.theme.style("title").fg);
    let s = tui_common::text(&buf);
    assert!(s.contains("Relances") && s.contains("Expulsions"));
}
