//! The meeting pane: snapshots of the meeting screen, the agenda list and the decision form at
//! 80×24 and 200×50 (demo seed 7, 22/11/2026, theme `mono`), a decision recorded from the form,
//! another session's write shown after the poll, and a closed meeting that refuses changes.

mod tui_common;

use crossterm::event::KeyCode;

use impayes::domain::agenda::AgendaRules;
use impayes::domain::procedure::Rules;
use impayes::domain::review::DecisionKind;
use impayes::store::{self, NewAction, Stamp};
use impayes::tui::app::Pane;
use impayes::tui::review_pane::Mode;
use impayes::tui::worker::Reply;

use tui_common::{Bench, ch, ctrl, key, screen, today};

fn both(name: &str, b: &Bench) {
    for (w, h) in [(80, 24), (200, 50)] {
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen(&b.app, w, h));
    }
}

/// Thresholds for a landlord of 150 homes: looser than the defaults, so that the demo gives a
/// few items.
fn small_landlord() -> AgendaRules {
    AgendaRules {
        no_contact_days: 60,
        no_contact_min_months: rust_decimal::Decimal::ONE,
        new_dossier_min_months: rust_decimal::Decimal::ZERO,
        ..AgendaRules::default()
    }
}

/// The demo with today's meeting built from the default rules, the meeting pane open.
fn meeting() -> (Bench, i64) {
    let mut b = Bench::demo("cmartin");
    let store = b.store();
    let mut store = store;
    let built = store
        .write(|c| {
            store::build_review(
                c,
                today(),
                &["cmartin".into(), "pmuller".into()],
                &small_landlord(),
                &Rules::default(),
                &Stamp::on("cmartin", today()),
            )
        })
        .expect("agenda");
    assert!(built.items >= 3, "the demo gives a few items");
    b.key(ch('4'));
    assert_eq!(b.app.pane, Pane::Review);
    assert!(b.app.review.shown_current().is_some(), "first item loaded");
    (b, built.review_id)
}

#[test]
fn no_meeting_yet() {
    let mut b = Bench::demo("cmartin");
    b.key(ch('4'));
    let s = screen(&b.app, 80, 24);
    assert!(s.contains("Aucune réunion mensuelle."), "{s}");
    // N builds today's meeting from the workstation.
    b.key(ch('N'));
    assert!(b.app.review.review.is_some());
    assert!(!b.app.review.items.is_empty());
}

#[test]
fn meeting_screen_agenda_and_form() {
    let (mut b, _) = meeting();
    both("review_meeting", &b);
    b.key(ch('n'));
    assert_eq!(b.app.review.cursor, 1);
    b.key(ch('p'));
    b.key(ch('o'));
    assert_eq!(b.app.review.mode, Mode::Agenda);
    both("review_agenda", &b);
    b.key(ch('o'));
    b.key(ch('d'));
    both("review_decision_form", &b);
    b.key(key(KeyCode::Esc));
    assert!(b.app.review.form.is_none());
    // The timer shows in the title while it runs.
    b.key(ch('c'));
    assert!(screen(&b.app, 120, 30).contains("· ⏱ 00:0"));
    b.key(ch('c'));
    assert!(!screen(&b.app, 120, 30).contains("⏱"));
}

#[test]
fn a_decision_from_the_form_is_stored_with_its_action() {
    let (mut b, id) = meeting();
    let item = b.app.review.current().cloned().expect("item");
    b.key(ch('d'));
    // "Commandement de payer" is the fifth choice; the first action goes to the referent.
    for _ in 0..4 {
        b.key(key(KeyCode::Right));
    }
    b.key(key(KeyCode::Tab));
    b.type_text("accord de la direction");
    b.key(ctrl('s'));
    assert!(b.app.review.form.is_none(), "form closed");
    let store = b.store();
    let items = store::review_items(store.conn(), id, false).expect("items");
    let d = items
        .iter()
        .find(|i| i.id == item.id)
        .and_then(|i| i.decision.clone())
        .expect("decision stored");
    assert_eq!(d.kind, DecisionKind::PaymentOrder);
    let actions = store::review_actions(store.conn(), id).expect("actions");
    let a = &actions[&item.id][0];
    assert_eq!(a.what, "Faire délivrer le commandement de payer");
    assert_eq!(Some(a.assignee.as_str()), item.referent.as_deref());
    let s = screen(&b.app, 200, 50);
    assert!(
        s.contains("✔ Commandement de payer — accord de la direction"),
        "{s}"
    );
    assert!(s.contains("1 décision(s)"), "{s}");
}

#[test]
fn another_sessions_decision_shows_after_the_poll_and_closed_is_read_only() {
    let (mut b, id) = meeting();
    let item = b.app.review.current().cloned().expect("item");
    let mut other = b.store();
    other
        .write(|c| {
            store::record_decision(
                c,
                item.id,
                DecisionKind::CesfVisit,
                "visite conjointe",
                &[NewAction {
                    assignee: "lmeyer".into(),
                    what: "Visite à domicile".into(),
                    due_on: today() + chrono::Duration::days(10),
                }],
                &Stamp::on("pmuller", today()),
            )
        })
        .expect("decision elsewhere");
    let reqs = b.reply(Reply::ExternalChange);
    b.serve(reqs);
    let s = screen(&b.app, 200, 50);
    assert!(s.contains("✔ Visite CESF — visite conjointe"), "{s}");
    assert!(s.contains("lmeyer : Visite à domicile"), "{s}");
    // Remove asks first; "n" keeps the item.
    let before = b.app.review.items.len();
    b.key(ch('n'));
    b.key(ch('x'));
    assert!(screen(&b.app, 80, 24).contains("de l'ordre du jour ? (o/n)"));
    b.key(ch('o'));
    assert_eq!(b.app.review.items.len(), before - 1);
    // Close, then nothing changes any more.
    b.key(ch('C'));
    b.key(ch('o'));
    assert!(!b.app.review.is_open());
    b.key(ch('d'));
    assert!(b.app.review.form.is_none());
    assert!(
        b.app
            .flash
            .as_ref()
            .is_some_and(|(m, e)| *e && m.contains("close"))
    );
    let store = b.store();
    assert_eq!(
        store::review(store.conn(), id).expect("review").status,
        impayes::domain::review::ReviewStatus::Closed
    );
}
