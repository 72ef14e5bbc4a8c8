//! The workstation's model driven key by key, without a terminal: a real demo database, the
//! real store worker answering the requests `update` returns, and checks on the model and on
//! what is stored.

mod tui_common;

use crossterm::event::KeyCode;
use rust_decimal::Decimal;

use impayes::domain::dossier::Phase;
use impayes::domain::event::{Channel, EventDetail, ReminderLevel};
use impayes::domain::household::TenantStatus;
use impayes::domain::portfolio::PortfolioRow;
use impayes::store;
use impayes::tui::app::{Confirm, Overlay, Pane};
use impayes::tui::dossier::Tab;
use impayes::tui::forms::Purpose;
use impayes::tui::keymap::{ACTIONS, Action};
use impayes::tui::worker::{Reply, Request, WriteCmd};

use tui_common::{Bench, ELODIE_ID, PMULLER, backtab, ch, ctrl, key, render, today};

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

fn top_form(b: &Bench) -> &impayes::tui::app::FormState {
    match b.app.overlays.last() {
        Some(Overlay::Form(f)) => f,
        _ => panic!("a form is open"),
    }
}

fn field_error(b: &Bench, k: &str) -> Option<String> {
    top_form(b)
        .form
        .fields
        .iter()
        .find(|f| f.key == k)
        .and_then(|f| f.error.clone())
}

/// Opens Élodie Béranger's dossier through the lookup, as an officer would.
fn open_elodie(b: &mut Bench) {
    b.key(ch('/'));
    b.type_text("elodie beranger");
    b.key(key(KeyCode::Enter));
    assert_eq!(b.app.pane, Pane::Dossier);
    let d = b.app.dossier.as_ref().expect("dossier pane");
    assert_eq!(d.household_id, ELODIE_ID);
    assert!(d.file.is_some(), "file loaded");
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
    let events = b
        .app
        .dossier
        .as_ref()
        .unwrap()
        .file
        .as_ref()
        .unwrap()
        .events
        .clone();
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
fn relance_form_checks_the_date_then_records() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let before = b
        .app
        .dossier
        .as_ref()
        .unwrap()
        .file
        .as_ref()
        .unwrap()
        .events
        .len();
    b.key(ch('r'));
    let f = top_form(&b);
    assert_eq!(
        f.purpose,
        Purpose::Event {
            household_id: ELODIE_ID,
            code: "reminder"
        }
    );
    assert_eq!(f.form.get("date"), "22/11/2026", "today by default");
    assert_eq!(f.form.focus, 0);
    b.type_text("32/13/2026");
    let reqs = b.press(ctrl('s'));
    assert!(reqs.is_empty(), "nothing stored: {reqs:?}");
    let e = field_error(&b, "date").expect("error beside Date");
    assert_eq!(e, "« 32/13/2026 » n'est pas une date (JJ/MM/AAAA)");
    assert!(!top_form(&b).pending);

    b.key(ctrl('u'));
    b.type_text("20/11/2026");
    b.key(key(KeyCode::Tab));
    b.key(key(KeyCode::Right)); // canal : SMS
    b.key(key(KeyCode::Tab));
    b.key(key(KeyCode::Tab));
    b.type_text("Appel sans réponse, SMS envoyé");
    let reqs = b.press(ctrl('s'));
    match reqs.as_slice() {
        [
            Request::Write(WriteCmd::AddEvent {
                household_id,
                date,
                detail: EventDetail::Reminder { channel, level },
                text,
            }),
        ] => {
            assert_eq!(*household_id, ELODIE_ID);
            assert_eq!(date.to_string(), "2026-11-20");
            assert_eq!(*channel, Channel::Sms);
            assert_eq!(*level, ReminderLevel::Level1);
            assert_eq!(text, "Appel sans réponse, SMS envoyé");
        }
        other => panic!("{other:?}"),
    }
    assert!(top_form(&b).pending, "waits for the store");
    assert!(b.press(ctrl('s')).is_empty(), "no second submission");
    b.serve(reqs);
    assert!(b.app.overlays.is_empty(), "form closed once stored");
    let (msg, error) = b.app.flash.clone().expect("message");
    assert!(
        !error && msg.contains("Relance") && msg.contains("20/11/2026"),
        "{msg}"
    );
    let file = b.app.dossier.as_ref().unwrap().file.as_ref().unwrap();
    assert_eq!(file.events.len(), before + 1, "file reloaded");
    assert!(
        file.events
            .iter()
            .any(|e| e.text == "Appel sans réponse, SMS envoyé")
    );
    // Stored, with its author.
    let store = b.store();
    let stored = store::events_of_household(store.conn(), ELODIE_ID).expect("events");
    let e = stored
        .iter()
        .find(|e| e.text == "Appel sans réponse, SMS envoyé")
        .expect("stored");
    assert_eq!(e.author, PMULLER);
}

#[test]
fn a_refused_write_keeps_the_form_with_the_reason() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    b.key(ch('r'));
    let reqs = b.press(ctrl('s'));
    assert!(matches!(reqs.as_slice(), [Request::Write(_)]));
    b.reply(Reply::Failed("base verrouillée".into()));
    let f = top_form(&b);
    assert!(!f.pending);
    assert_eq!(
        f.form.error.as_deref(),
        Some("Enregistrement refusé : base verrouillée")
    );
}

#[test]
fn plan_in_two_steps() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let plans_before = b
        .app
        .dossier
        .as_ref()
        .unwrap()
        .file
        .as_ref()
        .unwrap()
        .plans
        .len();
    b.key(ch('P'));
    assert!(matches!(top_form(&b).purpose, Purpose::PlanSetup { .. }));
    // Amount 1 000 in 3 instalments from 10/12/2026.
    b.key(key(KeyCode::Tab));
    b.type_text("1000");
    b.key(key(KeyCode::Tab));
    b.type_text("3");
    let reqs = b.press(ctrl('s'));
    assert!(reqs.is_empty(), "first step asks nothing: {reqs:?}");
    let f = top_form(&b);
    assert!(
        matches!(
            f.purpose,
            Purpose::PlanInstalments {
                caf_approved: false,
                ..
            }
        ),
        "{:?}",
        f.purpose
    );
    assert_eq!(f.form.fields.len(), 6, "date and amount of each instalment");
    assert_eq!(f.form.get("date0"), "10/12/2026");
    assert_eq!(f.form.get("date2"), "10/02/2027");
    let reqs = b.press(ctrl('s'));
    let instalments = match reqs.as_slice() {
        [
            Request::WriteIfUnchanged {
                cmd:
                    WriteCmd::SignPlan {
                        signed_on,
                        instalments,
                        caf_approved: false,
                        ..
                    },
                ..
            },
        ] => {
            assert_eq!(*signed_on, today());
            instalments.clone()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(instalments.len(), 3);
    let sum: Decimal = instalments.iter().map(|i| i.amount).sum();
    assert_eq!(sum, Decimal::from(1000), "instalments sum to the amount");
    b.serve(reqs);
    assert!(b.app.overlays.is_empty());
    let file = b.app.dossier.as_ref().unwrap().file.as_ref().unwrap();
    assert_eq!(file.plans.len(), plans_before + 1);
    assert_eq!(file.plans[0].amount, Decimal::from(1000));
}

#[test]
fn plan_with_the_default_amount_covers_the_debt() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let debt = b
        .app
        .dossier
        .as_ref()
        .unwrap()
        .file
        .as_ref()
        .unwrap()
        .summary(today())
        .balance;
    assert!(debt > Decimal::ZERO);
    b.key(ch('P'));
    b.key(ctrl('s'));
    assert!(matches!(
        top_form(&b).purpose,
        Purpose::PlanInstalments { .. }
    ));
    assert_eq!(
        top_form(&b).form.fields.len(),
        24,
        "12 instalments by default"
    );
    // An instalment edited to a wrong value is refused beside it.
    b.key(key(KeyCode::Tab));
    b.type_text("zéro");
    assert!(b.press(ctrl('s')).is_empty());
    assert!(field_error(&b, "amount0").is_some());
    b.key(ctrl('u'));
    b.type_text("100");
    match b.press(ctrl('s')).as_slice() {
        [
            Request::WriteIfUnchanged {
                cmd: WriteCmd::SignPlan { instalments, .. },
                ..
            },
        ] => {
            let sum: Decimal = instalments.iter().map(|i| i.amount).sum();
            let generated: Decimal = impayes::domain::plan::generate_instalments(
                debt,
                12,
                chrono::NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
            )
            .iter()
            .skip(1)
            .map(|i| i.amount)
            .sum();
            assert_eq!(sum, generated + Decimal::from(100));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn phase_form() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let dossier = b
        .app
        .dossier
        .as_ref()
        .unwrap()
        .file
        .as_ref()
        .unwrap()
        .open_dossier()
        .cloned()
        .unwrap();
    assert_eq!(dossier.phase, Phase::Amicable);
    b.key(ch('p'));
    assert_eq!(
        top_form(&b).purpose,
        Purpose::Phase {
            dossier_id: dossier.id
        }
    );
    b.key(key(KeyCode::Right));
    let reqs = b.press(ctrl('s'));
    match reqs.as_slice() {
        [
            Request::WriteIfUnchanged {
                cmd:
                    WriteCmd::ChangePhase {
                        dossier_id,
                        to,
                        date,
                        ..
                    },
                ..
            },
        ] => {
            assert_eq!(*dossier_id, dossier.id);
            assert_eq!(*to, Phase::Litigation);
            assert_eq!(*date, today());
        }
        other => panic!("{other:?}"),
    }
    b.serve(reqs);
    let file = b.app.dossier.as_ref().unwrap().file.as_ref().unwrap();
    assert_eq!(
        file.open_dossier().map(|d| d.phase),
        Some(Phase::Litigation)
    );
    let row = b
        .app
        .portfolio
        .rows()
        .iter()
        .find(|r| r.dossier_id == dossier.id)
        .expect("row");
    assert_eq!(row.phase, Phase::Litigation, "the portfolio row follows");
}

#[test]
fn follow_up_form() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let dossier_id = b
        .app
        .dossier
        .as_ref()
        .unwrap()
        .file
        .as_ref()
        .unwrap()
        .open_dossier()
        .unwrap()
        .id;
    b.key(ch('n'));
    assert_eq!(top_form(&b).purpose, Purpose::FollowUp { dossier_id });
    // CESF, amiable, contentieux, cause, then the next action and its date.
    for _ in 0..4 {
        b.key(key(KeyCode::Tab));
    }
    b.type_text("Appeler la locataire");
    b.key(key(KeyCode::Tab));
    b.key(ctrl('u'));
    assert!(b.press(ctrl('s')).is_empty());
    assert_eq!(
        field_error(&b, "next_action_on").as_deref(),
        Some("l'action et sa date vont ensemble")
    );
    b.type_text("01/12/2026");
    let reqs = b.press(ctrl('s'));
    match reqs.as_slice() {
        [
            Request::WriteIfUnchanged {
                cmd:
                    WriteCmd::FollowUp {
                        dossier_id: d,
                        next_action,
                        next_action_on,
                        ..
                    },
                ..
            },
        ] => {
            assert_eq!(*d, dossier_id);
            assert_eq!(next_action.as_deref(), Some("Appeler la locataire"));
            assert_eq!(
                next_action_on.map(|x| x.to_string()).as_deref(),
                Some("2026-12-01")
            );
        }
        other => panic!("{other:?}"),
    }
    b.serve(reqs);
    let d = b
        .app
        .dossier
        .as_ref()
        .unwrap()
        .file
        .as_ref()
        .unwrap()
        .open_dossier()
        .cloned()
        .unwrap();
    assert_eq!(d.next_action.as_deref(), Some("Appeler la locataire"));
}

#[test]
fn kind_picker_filters_then_opens_the_form() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    b.key(ch('a'));
    let Some(Overlay::Kinds(k)) = b.app.overlays.last() else {
        panic!("kind picker");
    };
    assert!(k.items().len() > 20);
    b.type_text("assig");
    let Some(Overlay::Kinds(k)) = b.app.overlays.last() else {
        panic!("kind picker");
    };
    let items: Vec<&str> = k.items().iter().map(|(_, label, _)| *label).collect();
    assert_eq!(items, ["Assignation"]);
    b.key(key(KeyCode::Enter));
    let f = top_form(&b);
    assert_eq!(
        f.purpose,
        Purpose::Event {
            household_id: ELODIE_ID,
            code: "summons"
        }
    );
    assert!(f.form.title.contains("Assignation"), "{}", f.form.title);
    // The court is required: the error is in French beside it.
    b.key(key(KeyCode::Tab));
    b.type_text("15/01/2027");
    assert!(b.press(ctrl('s')).is_empty());
    assert!(field_error(&b, "court").is_some());
    b.key(key(KeyCode::Esc));
    assert_eq!(b.app.confirm, Some(Confirm::DropForm));
    b.key(ch('o'));
    assert!(b.app.overlays.is_empty());
    // Esc closes the picker itself.
    b.key(ch('a'));
    b.key(key(KeyCode::Esc));
    assert!(b.app.overlays.is_empty());
}

#[test]
fn dossier_forms_need_a_loaded_dossier_pane() {
    let mut b = Bench::demo(PMULLER);
    for c in ['r', 'a', 'p', 'n', 'P'] {
        b.key(ch(c));
        assert!(b.app.overlays.is_empty(), "{c} on the portfolio");
    }
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
