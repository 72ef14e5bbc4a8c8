//! "Mes actions" in the workstation, on the demo database (seed 7, 22/11/2026, theme `mono`):
//! the pane at 80×24 and 120×40, opening a dossier from it, adding an action from a dossier,
//! ticking it off, the head of service's list, and the portfolio's legal-date column.

mod tui_common;

use crossterm::event::KeyCode;

use impayes::domain::todo::{TodoSource, Who};
use impayes::store;
use impayes::tui::app::{Overlay, Pane};
use impayes::tui::dossier::Tab;

use tui_common::{Bench, PMULLER, ch, ctrl, key, screen};

fn actions(b: &Bench) -> Vec<impayes::domain::todo::TodoItem> {
    let store = b.store();
    store::todo(
        store.conn(),
        &Who::parse(&b.app.user),
        b.app.today,
        None,
        &b.app.rules,
    )
    .expect("todo")
}

#[test]
fn the_pane_groups_what_pmuller_must_do() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('3'));
    assert_eq!(b.app.pane, Pane::Actions);
    let items = actions(&b);
    assert!(!items.is_empty(), "pmuller has things to do in the demo");
    assert_eq!(b.app.actions.selected(), items.first());
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&b.app, w, h);
        assert!(s.contains("En retard ("), "{s}");
        insta::assert_snapshot!(format!("actions_pane_{w}x{h}"), s);
    }
    // The cursor moves over lines, not group titles; the window follows it to the end.
    b.key(ch('G'));
    assert_eq!(b.app.actions.selected(), items.last());
    let s = screen(&b.app, 80, 24);
    let last = items.last().expect("a line");
    assert!(s.contains(&last.account), "{s}");
}

#[test]
fn enter_opens_the_dossier_of_the_line() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('3'));
    let items = actions(&b);
    let legal = items
        .iter()
        .position(|t| matches!(t.source, TodoSource::Legal { .. }))
        .expect("a legal deadline among pmuller's lines");
    for _ in 0..legal {
        b.key(ch('j'));
    }
    b.key(key(KeyCode::Enter));
    assert_eq!(b.app.pane, Pane::Dossier);
    let d = b.app.dossier.as_ref().expect("dossier pane");
    assert_eq!(d.household_id, items[legal].household_id);
    // A legal deadline opens on the Délais tab.
    assert_eq!(d.tab, Tab::Deadlines);
    assert!(d.file.is_some());
    // Back to the pane with one key from anywhere.
    b.key(ch('3'));
    assert_eq!(b.app.pane, Pane::Actions);
}

#[test]
fn add_an_action_from_a_dossier_then_tick_it_off() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('3'));
    let before = actions(&b).len();
    b.key(key(KeyCode::Enter));
    assert_eq!(b.app.pane, Pane::Dossier);
    b.key(ch('A'));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Form(_))));
    insta::assert_snapshot!("action_form_80x24", screen(&b.app, 80, 24));
    b.type_text("Appeler la CAF pour l'APL");
    b.key(key(KeyCode::Tab));
    b.type_text("23/11/2026");
    b.key(key(KeyCode::Tab));
    // An unknown login is refused beside the field.
    b.key(ctrl('u'));
    b.type_text("personne");
    b.key(ctrl('s'));
    let s = screen(&b.app, 80, 24);
    assert!(s.contains("n'est pas un agent"), "{s}");
    b.key(ctrl('u'));
    b.type_text(PMULLER);
    b.key(ctrl('s'));
    assert!(b.app.overlays.is_empty(), "form closed once stored");
    assert!(
        b.app
            .flash
            .as_ref()
            .is_some_and(|(m, _)| m.contains("Action ajoutée")),
        "{:?}",
        b.app.flash
    );
    // The pane (already visited) was reloaded with the new line, due tomorrow: this week.
    b.key(ch('3'));
    let items = actions(&b);
    assert_eq!(items.len(), before + 1);
    let s = screen(&b.app, 120, 40);
    assert!(s.contains("Appeler la CAF pour l'APL"), "{s}");
    let pos = items
        .iter()
        .position(|t| t.what == "Appeler la CAF pour l'APL")
        .expect("the new action");
    b.key(ch('g'));
    for _ in 0..pos {
        b.key(ch('j'));
    }
    let id = b
        .app
        .actions
        .selected()
        .and_then(|t| t.source.action_id())
        .expect("an action under the cursor");
    b.key(ch('x'));
    assert!(
        b.app
            .flash
            .as_ref()
            .is_some_and(|(m, e)| !e && m.contains("Action faite")),
        "{:?}",
        b.app.flash
    );
    let stored = store::action(b.store().conn(), id).expect("action");
    assert_eq!(stored.done.map(|d| d.1), Some(PMULLER.to_string()));
    assert_eq!(actions(&b).len(), before);
    // Gone from the list (the footer still tells what was ticked off).
    let s = screen(&b.app, 120, 40);
    let body: Vec<&str> = s.lines().take(39).collect();
    assert!(
        !body.join("\n").contains("Appeler la CAF pour l'APL"),
        "{s}"
    );
}

#[test]
fn only_actions_can_be_ticked_off() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('3'));
    let items = actions(&b);
    let next = items
        .iter()
        .position(|t| t.source == TodoSource::NextAction)
        .expect("a next action");
    for _ in 0..next {
        b.key(ch('j'));
    }
    let reqs = b.press(ch('x'));
    assert!(reqs.is_empty(), "nothing written");
    assert!(
        b.app
            .flash
            .as_ref()
            .is_some_and(|(m, e)| *e && m.contains("prochaine action")),
        "{:?}",
        b.app.flash
    );
}

#[test]
fn the_head_of_service_sees_everyone() {
    let mut b = Bench::demo("cmartin");
    b.key(ch('3'));
    assert_eq!(b.app.actions.who, Some(Who::Everyone));
    let s = screen(&b.app, 120, 40);
    assert!(s.contains("tout le service"), "{s}");
    assert!(s.contains("Agent"), "{s}");
}

#[test]
fn the_portfolio_fills_its_legal_date_column() {
    let b = Bench::demo(PMULLER);
    let store = b.store();
    let rows = store::portfolio(store.conn()).expect("rows");
    let mut some = 0;
    for r in &rows {
        let file = store::household_file(store.conn(), r.household_id).expect("file");
        let expected = impayes::domain::todo::nearest_legal(
            &impayes::domain::procedure::deadlines(&file, b.app.today, &b.app.rules),
        );
        let got = b.app.portfolio.legal_date(r.dossier_id).expect("computed");
        assert_eq!(got, expected.as_ref(), "dossier {}", r.dossier_id);
        some += usize::from(expected.is_some());
    }
    assert!(some > 0, "some dossiers have a legal date");
    assert!(
        b.app.legal_dates_took.is_some(),
        "the background pass finished"
    );
    let s = screen(&b.app, 120, 40);
    assert!(s.contains("Délai légal"), "{s}");
}

#[test]
fn the_pane_reloads_when_another_session_writes() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('3'));
    let dossier_id = b.app.actions.selected().expect("a line").dossier_id;
    {
        let mut other = b.store();
        other
            .write(|c| {
                store::insert_action(
                    c,
                    &impayes::domain::action::Action {
                        id: 0,
                        dossier_id,
                        assignee: PMULLER.into(),
                        what: "Décidé en commission".into(),
                        due_on: b.app.today,
                        origin: impayes::domain::action::ActionOrigin::Review,
                        review_item_id: Some(1),
                        done: None,
                    },
                    &store::Stamp::now("cmartin"),
                )
            })
            .expect("insert");
    }
    let reqs = b.reply(impayes::tui::worker::Reply::ExternalChange);
    b.serve(reqs);
    let s = screen(&b.app, 120, 40);
    // The new action sits in today's group (the demo may have other lines due today).
    let today_group = s.find("Aujourd'hui (").expect("today's group");
    let line = s.find("Décidé en commission").expect("the new action");
    let later = s.find("Plus tard (").unwrap_or(s.len());
    assert!(today_group < line && line < later, "{s}");
    assert!(s.contains("action (comm.)"), "{s}");
}

#[test]
fn the_dossier_header_says_plan_rompu_as_the_portfolio_does() {
    let mut b = Bench::demo(PMULLER);
    let store = b.store();
    let rows = store::portfolio(store.conn()).expect("rows");
    let broken = rows
        .iter()
        .find(|r| r.alerts().contains(&"plan rompu"))
        .expect("the demo has a broken plan");
    let whole = rows
        .iter()
        .find(|r| r.alert_count() == 0)
        .expect("and a dossier without alerts");
    b.open(whole.household_id);
    assert!(!screen(&b.app, 120, 40).contains("Alertes"));
    b.open(broken.household_id);
    let s = screen(&b.app, 120, 40);
    let header: Vec<&str> = s.lines().filter(|l| l.contains("Alertes")).collect();
    assert_eq!(header.len(), 1, "{s}");
    assert!(header[0].contains("⚠ plan rompu"), "{s}");
}
