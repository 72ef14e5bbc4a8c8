//! The workstation's model driven key by key, without a terminal: a real demo database, the
//! real store worker answering the requests `update` returns, and checks on the model. The
//! portfolio's keys, the lookup, the dossier's tabs, quitting, help, palette and themes here;
//! the dossier's forms in `tui_forms.rs`.

mod tui_common;

use crossterm::event::KeyCode;
use rust_decimal::Decimal;

use impayes::domain::household::TenantStatus;
use impayes::domain::portfolio::PortfolioRow;
use impayes::store;
use impayes::tui::app::{Confirm, Overlay, Pane};
use impayes::tui::dossier::Tab;
use impayes::tui::forms::Purpose;
use impayes::tui::keymap::{ACTIONS, Action};
use impayes::tui::worker::{Reply, Request};

use tui_common::{
    Bench, ELODIE_ID, PMULLER, backtab, ch, ctrl, field_error, key, open_elodie, render, today,
    top_form,
};

/// The rows shown, in order, read by walking the cursor from the top; leaves it on the top.
fn walk(b: &mut Bench) -> Vec<PortfolioRow> {
    b.key(ch('g'));
    let mut out = Vec::new();
    for _ in 0..b.app.portfolio.len() {
        out.push(b.app.portfolio.selected().expect("a row").clone());
        b.key(ch('j'));
    }
    b.key(ch('g'));
    out
}

fn selected_id(b: &Bench) -> i64 {
    b.app.portfolio.selected().expect("a row").dossier_id
}

fn months(r: &PortfolioRow) -> Decimal {
    r.months_of_arrears().unwrap_or(Decimal::MIN)
}

#[test]
fn portfolio_cursor_keys() {
    let mut b = Bench::demo(PMULLER);
    // Every tenant, present or gone: more rows than a page.
    b.key(ch('t'));
    b.key(ch('t'));
    // Draw once at 80×20 so that a page is known (15 rows) and smaller than the list.
    render(&b.app, 80, 20);
    assert_eq!(b.app.portfolio.page(), 15);
    let rows = walk(&mut b);
    let n = rows.len();
    assert!(
        n > 16,
        "the demo has more present dossiers than a page: {n}"
    );
    let id = |i: usize| rows[i].dossier_id;

    assert_eq!(selected_id(&b), id(0));
    b.key(ch('k'));
    assert_eq!(selected_id(&b), id(0), "k at the top stays");
    b.key(ch('j'));
    assert_eq!(selected_id(&b), id(1));
    b.key(key(KeyCode::Down));
    assert_eq!(selected_id(&b), id(2));
    b.key(ch('k'));
    assert_eq!(selected_id(&b), id(1));
    b.key(key(KeyCode::Up));
    assert_eq!(selected_id(&b), id(0));
    b.key(ch('G'));
    assert_eq!(selected_id(&b), id(n - 1));
    b.key(ch('j'));
    assert_eq!(selected_id(&b), id(n - 1), "j at the bottom stays");
    b.key(ch('g'));
    assert_eq!(selected_id(&b), id(0));
    b.key(ctrl('d'));
    assert_eq!(selected_id(&b), id(15), "Ctrl-D moves one page");
    b.key(ctrl('d'));
    assert_eq!(selected_id(&b), id((30).min(n - 1)));
    b.key(ctrl('u'));
    assert_eq!(
        selected_id(&b),
        id((30).min(n - 1) - 15),
        "Ctrl-U moves one page back"
    );
    b.key(key(KeyCode::End));
    assert_eq!(selected_id(&b), id(n - 1));
    b.key(key(KeyCode::Home));
    assert_eq!(selected_id(&b), id(0));
}

#[test]
fn scope_cycles_present_departed_all() {
    let mut b = Bench::demo(PMULLER);
    let present = walk(&mut b);
    assert!(!present.is_empty());
    assert!(present.iter().all(|r| r.status == TenantStatus::Present));
    b.key(ch('t'));
    let departed = walk(&mut b);
    assert!(!departed.is_empty());
    assert!(departed.iter().all(|r| r.status == TenantStatus::Departed));
    b.key(ch('t'));
    let all = b.app.portfolio.len();
    assert_eq!(all, present.len() + departed.len());
    assert_eq!(all, b.app.portfolio.rows().len());
    b.key(ch('t'));
    assert_eq!(b.app.portfolio.len(), present.len(), "back to présents");
    // Tab does the same on the portfolio.
    b.key(key(KeyCode::Tab));
    assert_eq!(b.app.portfolio.len(), departed.len());
}

#[test]
fn sort_keys_change_the_order() {
    let mut b = Bench::demo(PMULLER);
    let by_debt = walk(&mut b);
    assert!(
        by_debt.windows(2).all(|w| w[0].debt >= w[1].debt),
        "debt, highest first, at start"
    );
    b.key(ch('s'));
    let by_months = walk(&mut b);
    assert!(
        by_months.windows(2).all(|w| months(&w[0]) >= months(&w[1])),
        "s: months of arrears, most first"
    );
    b.key(ch('S'));
    let reversed = walk(&mut b);
    assert!(
        reversed.windows(2).all(|w| months(&w[0]) <= months(&w[1])),
        "S reverses"
    );
    b.key(ch('<'));
    assert_eq!(walk(&mut b), by_debt, "< back to the debt column");
    b.key(ch('>'));
    b.key(ch('>'));
    let by_phase = walk(&mut b);
    assert!(by_phase.windows(2).all(|w| w[0].phase <= w[1].phase));
    // The cursor stays on the same dossier when the sort changes.
    b.key(ch('j'));
    b.key(ch('j'));
    let kept = selected_id(&b);
    b.key(ch('S'));
    assert_eq!(selected_id(&b), kept);
}

#[test]
fn mine_overdue_and_clear() {
    let mut b = Bench::demo(PMULLER);
    let total = b.app.portfolio.len();
    b.key(ch('m'));
    let mine = walk(&mut b);
    assert!(
        !mine.is_empty() && mine.len() < total,
        "{} of {total}",
        mine.len()
    );
    assert!(mine.iter().all(|r| r.referent.as_deref() == Some(PMULLER)));
    assert_eq!(b.app.portfolio.filters.referent.as_deref(), Some(PMULLER));
    b.key(ch('m'));
    assert_eq!(b.app.portfolio.len(), total, "m again toggles off");
    assert_eq!(b.app.portfolio.filters.referent, None);

    b.key(ch('o'));
    let overdue = walk(&mut b);
    assert!(!overdue.is_empty() && overdue.len() < total);
    assert!(overdue.iter().all(|r| r.overdue(today())));
    b.key(ch('m'));
    assert!(b.app.portfolio.len() <= overdue.len(), "filters combine");
    b.key(ch('x'));
    assert_eq!(b.app.portfolio.len(), total, "x clears every filter");
    assert_eq!(b.app.portfolio.filters, Default::default());
}

#[test]
fn mine_for_a_login_that_is_not_staff_says_so() {
    let mut b = Bench::demo("inconnu");
    b.key(ch('m'));
    assert!(b.app.portfolio.is_empty());
    let (msg, error) = b.app.flash.clone().expect("a message");
    assert!(error && msg.contains("inconnu"), "{msg}");
}

#[test]
fn filter_form_minimum_debt() {
    let mut b = Bench::demo(PMULLER);
    let total = b.app.portfolio.len();
    assert!(b.press(ch('f')).is_empty());
    assert_eq!(top_form(&b).purpose, Purpose::Filters);
    // Phase, sector, referent, then the minimum debt.
    for _ in 0..3 {
        b.key(key(KeyCode::Tab));
    }
    b.type_text("abc");
    assert!(b.press(ctrl('s')).is_empty());
    let e = field_error(&b, "min_debt").expect("error beside the field");
    assert!(e.contains("n'est pas un montant"), "{e}");
    b.key(ctrl('u'));
    b.type_text("1 000");
    assert!(
        b.press(ctrl('s')).is_empty(),
        "filters ask nothing of the store"
    );
    assert!(b.app.overlays.is_empty(), "form closed");
    assert_eq!(b.app.portfolio.filters.min_debt, Some(Decimal::from(1000)));
    let rows = walk(&mut b);
    assert!(!rows.is_empty() && rows.len() < total);
    assert!(rows.iter().all(|r| r.debt >= Decimal::from(1000)));
    // The form shows the filters in force.
    b.key(ch('f'));
    assert_eq!(top_form(&b).form.get("min_debt"), "1 000,00");
    b.key(key(KeyCode::Esc));
    assert!(
        b.app.overlays.is_empty(),
        "an untouched form closes at once"
    );
}

#[test]
fn lookup_from_the_portfolio_opens_the_household() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('/'));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Lookup(_))));
    b.type_text("elodie beranger");
    let Some(Overlay::Lookup(l)) = b.app.overlays.last() else {
        panic!("lookup open");
    };
    let index = b.app.index.as_ref().expect("index");
    let first = &index.candidate(l.hits[0].index);
    assert_eq!(first.summary.household_id, ELODIE_ID);
    assert!(
        first.summary.name.starts_with("Élodie Béranger"),
        "{}",
        first.summary.name
    );
    let reqs = b.press(key(KeyCode::Enter));
    assert!(
        matches!(reqs.as_slice(), [Request::Household { id: ELODIE_ID, .. }]),
        "{reqs:?}"
    );
    assert_eq!(b.app.pane, Pane::Dossier);
    assert!(b.app.overlays.is_empty());
    b.serve(reqs);
    let file = b.app.dossier.as_ref().and_then(|d| d.file.as_ref());
    assert_eq!(
        file.map(|f| f.household.holder.as_str()),
        Some("Élodie Béranger")
    );
}

#[test]
fn lookup_with_ctrl_p_from_both_panes_and_escape() {
    let mut b = Bench::demo(PMULLER);
    b.key(ctrl('p'));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Lookup(_))));
    b.type_text("q");
    assert!(!b.app.quit, "q is typed into the lookup");
    b.key(key(KeyCode::Esc));
    assert!(b.app.overlays.is_empty());
    assert_eq!(b.app.pane, Pane::Portfolio);

    b.open(ELODIE_ID);
    for k in [ch('/'), ctrl('p')] {
        b.key(k);
        assert!(matches!(b.app.overlays.last(), Some(Overlay::Lookup(_))));
        b.type_text("beranger");
        let Some(Overlay::Lookup(l)) = b.app.overlays.last() else {
            panic!("lookup open");
        };
        assert!(l.total > 1);
        b.key(key(KeyCode::Esc));
        assert!(b.app.overlays.is_empty());
        assert_eq!(b.app.pane, Pane::Dossier, "Esc closes only the lookup");
    }
    // Another household from the dossier pane.
    b.key(ch('/'));
    b.type_text("beranger");
    b.key(key(KeyCode::Down));
    let reqs = b.press(key(KeyCode::Enter));
    let Some(Request::Household { id, .. }) = reqs.first() else {
        panic!("{reqs:?}");
    };
    assert_ne!(*id, ELODIE_ID);
    let id = *id;
    b.serve(reqs);
    assert_eq!(b.app.dossier.as_ref().map(|d| d.household_id), Some(id));
}

#[test]
fn dossier_tabs() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let tab = |b: &Bench| b.app.dossier.as_ref().expect("pane").tab;
    assert_eq!(tab(&b), Tab::Timeline);
    b.key(key(KeyCode::Tab));
    assert_eq!(tab(&b), Tab::Account);
    b.key(ch('l'));
    assert_eq!(tab(&b), Tab::Plan);
    b.key(key(KeyCode::Right));
    assert_eq!(tab(&b), Tab::Notes);
    b.key(key(KeyCode::Tab));
    assert_eq!(tab(&b), Tab::Deadlines);
    b.key(key(KeyCode::Tab));
    assert_eq!(tab(&b), Tab::Timeline, "wraps around");
    b.key(backtab());
    assert_eq!(tab(&b), Tab::Deadlines);
    b.key(ch('h'));
    assert_eq!(tab(&b), Tab::Notes);
    b.key(key(KeyCode::Left));
    assert_eq!(tab(&b), Tab::Plan);
    // Esc goes back to the portfolio, 2 returns to the dossier.
    b.key(key(KeyCode::Esc));
    assert_eq!(b.app.pane, Pane::Portfolio);
    b.key(ch('2'));
    assert_eq!(b.app.pane, Pane::Dossier);
    assert_eq!(tab(&b), Tab::Plan, "the tab is remembered");
    b.key(ch('1'));
    assert_eq!(b.app.pane, Pane::Portfolio);
}

#[test]
fn go_dossier_without_one_says_so() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('2'));
    assert_eq!(b.app.pane, Pane::Portfolio);
    assert!(b.app.flash.as_ref().is_some_and(|(_, error)| *error));
}

#[test]
fn enter_on_a_timeline_line_shows_the_event() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let events = b.file().events.clone();
    assert!(events.len() > 2);
    b.key(key(KeyCode::Enter));
    match b.app.overlays.last() {
        Some(Overlay::Event(e)) => assert_eq!(**e, events[0]),
        _ => panic!("event overlay"),
    }
    b.key(ch('q'));
    assert!(
        b.app.overlays.is_empty() && !b.app.quit,
        "any key closes it"
    );
    b.key(ch('j'));
    b.key(ch('j'));
    b.key(key(KeyCode::Enter));
    match b.app.overlays.last() {
        Some(Overlay::Event(e)) => assert_eq!(**e, events[2]),
        _ => panic!("event overlay"),
    }
    b.key(key(KeyCode::Esc));
    assert!(b.app.overlays.is_empty());
    assert_eq!(b.app.pane, Pane::Dossier);
}
#[test]
fn q_quits() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('q'));
    assert!(b.app.quit);
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    b.key(ch('q'));
    assert!(b.app.quit, "from the dossier pane too");
}

#[test]
fn ctrl_c_quits_at_once_without_input() {
    let mut b = Bench::demo(PMULLER);
    b.key(ctrl('c'));
    assert!(b.app.quit);
}

#[test]
fn escape_on_a_form_with_input_asks_first() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    b.key(ch('r'));
    b.key(key(KeyCode::Esc));
    assert!(b.app.overlays.is_empty(), "untouched: closes at once");
    assert_eq!(b.app.confirm, None);

    b.key(ch('r'));
    b.type_text("q");
    assert!(!b.app.quit, "q is typed into the form");
    b.key(key(KeyCode::Esc));
    assert_eq!(b.app.confirm, Some(Confirm::DropForm));
    assert_eq!(b.app.overlays.len(), 1);
    b.key(ch('n'));
    assert_eq!(b.app.confirm, None);
    assert_eq!(
        top_form(&b).form.get("date"),
        "q",
        "n keeps the form and its input"
    );
    b.key(key(KeyCode::Esc));
    b.key(ch('o'));
    assert_eq!(b.app.confirm, None);
    assert!(b.app.overlays.is_empty(), "o drops it");
    assert_eq!(b.app.pane, Pane::Dossier);
}

#[test]
fn ctrl_c_with_input_asks_before_quitting() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    b.key(ch('r'));
    b.type_text("x");
    b.key(ctrl('c'));
    assert_eq!(b.app.confirm, Some(Confirm::Quit));
    assert!(!b.app.quit);
    b.key(ch('n'));
    assert!(!b.app.quit);
    assert_eq!(b.app.overlays.len(), 1, "the form is still there");
    b.key(ctrl('c'));
    b.key(ch('o'));
    assert!(b.app.quit);
}

#[test]
fn help_overlay() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch('?'));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Help(0))));
    b.key(ch('j'));
    b.key(key(KeyCode::Down));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Help(2))));
    b.key(ch('k'));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Help(1))));
    b.key(key(KeyCode::Esc));
    assert!(b.app.overlays.is_empty());
    b.key(key(KeyCode::F(1)));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Help(0))));
    b.key(ch('q'));
    assert!(
        b.app.overlays.is_empty() && !b.app.quit,
        "q closes the help"
    );
}

#[test]
fn palette_performs_the_chosen_command() {
    let mut b = Bench::demo(PMULLER);
    b.key(ch(':'));
    let Some(Overlay::Palette(p)) = b.app.overlays.last() else {
        panic!("palette");
    };
    assert_eq!(p.items().len(), ACTIONS.len());
    b.type_text("theme");
    let Some(Overlay::Palette(p)) = b.app.overlays.last() else {
        panic!("palette");
    };
    let items: Vec<Action> = p.items().iter().map(|&i| ACTIONS[i].action).collect();
    assert_eq!(items, [Action::ThemeNext], "accents ignored");
    b.key(key(KeyCode::Enter));
    assert!(b.app.overlays.is_empty());
    assert_eq!(b.app.theme.name, "sombre");

    // A portfolio command: "Actions en retard".
    b.key(ch(':'));
    b.type_text("en retard");
    b.key(key(KeyCode::Enter));
    assert!(b.app.portfolio.filters.overdue);

    // A dossier command from the portfolio is refused with a message.
    b.key(ch(':'));
    b.type_text("relance");
    b.key(key(KeyCode::Enter));
    assert!(b.app.overlays.is_empty());
    assert!(b.app.flash.as_ref().is_some_and(|(_, error)| *error));

    // From the dossier pane it opens the form; the lookup from the palette too.
    open_elodie(&mut b);
    b.key(ch(':'));
    b.type_text("relance");
    b.key(key(KeyCode::Enter));
    assert!(matches!(
        top_form(&b).purpose,
        Purpose::Event {
            code: "reminder",
            ..
        }
    ));
    b.key(key(KeyCode::Esc));
    b.key(ch(':'));
    b.type_text("rechercher");
    b.key(key(KeyCode::Enter));
    assert!(matches!(b.app.overlays.last(), Some(Overlay::Lookup(_))));
}

#[test]
fn theme_key_cycles_through_the_themes() {
    let mut b = Bench::demo(PMULLER);
    assert_eq!(b.app.theme.name, "mono");
    let mut seen = Vec::new();
    for _ in 0..4 {
        b.key(ch('T'));
        seen.push(b.app.theme.name.clone());
    }
    assert_eq!(seen, ["sombre", "clair", "contraste", "mono"]);
    assert_eq!(
        b.app.flash.as_ref().map(|(m, _)| m.as_str()),
        Some("Thème : mono")
    );
}

#[test]
fn a_stale_household_answer_is_dropped() {
    let mut b = Bench::demo(PMULLER);
    let first = b.app.open_household(ELODIE_ID);
    let second = b.app.open_household(ELODIE_ID);
    let (
        Some(Request::Household { generation: g1, .. }),
        Some(Request::Household { generation: g2, .. }),
    ) = (first.first(), second.first())
    else {
        panic!("two household requests");
    };
    assert!(g2 > g1);
    let store = b.store();
    let mut file = store::household_file(store.conn(), ELODIE_ID).expect("file");
    file.hide_social_notes();
    b.reply(Reply::Household {
        generation: *g1,
        file: Box::new(file.clone()),
    });
    assert!(
        b.app.dossier.as_ref().unwrap().file.is_none(),
        "stale answer dropped"
    );
    b.reply(Reply::Household {
        generation: *g2,
        file: Box::new(file),
    });
    assert!(b.app.dossier.as_ref().unwrap().file.is_some());
}

#[test]
fn an_empty_database_loads() {
    let mut b = Bench::with_households(PMULLER, 0);
    assert_eq!(b.app.households, Some(0));
    assert!(b.app.portfolio.is_empty());
    b.key(ch('/'));
    b.type_text("beranger");
    let Some(Overlay::Lookup(l)) = b.app.overlays.last() else {
        panic!("lookup");
    };
    assert!(l.hits.is_empty());
    assert!(b.press(key(KeyCode::Enter)).is_empty());
}
