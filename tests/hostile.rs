//! Hostile text (terminal control sequences, bidi overrides, very long fields) in a tenant's
//! name, address and notes is drawn inert: a visible stand-in, never a byte the terminal would
//! interpret. The end-to-end check in a real terminal is `tests/e2e_tmux.rs`.

mod tui_common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::widgets::Paragraph;

use impayes::domain::inert::is_hostile;
use impayes::tui::inert::InertBackend;
use tui_common::{Bench, ELODIE_ID, PMULLER, render, text};

/// ESC [ 2 J (clear screen), OSC 52 (write the clipboard), BEL, backspace, the single-byte CSI
/// (C1), a right-to-left override and an isolate.
const HOSTILE_NAME: &str =
    "Evil\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4=\u{7}Name\u{8}\u{9b}31m\u{202E}4321\u{2066}x";

#[test]
fn a_hostile_tenant_is_drawn_with_visible_stand_ins_and_nothing_else() {
    let mut b = Bench::demo(PMULLER);
    {
        let conn = rusqlite::Connection::open(&b.db).expect("open");
        conn.execute(
            "UPDATE households SET holder = ?1, co_holder = NULL WHERE id = ?2",
            rusqlite::params![HOSTILE_NAME, ELODIE_ID],
        )
        .expect("hostile name");
        conn.execute(
            "UPDATE homes SET address = ?1 WHERE id = (SELECT home_id FROM leases
                WHERE household_id = ?2 ORDER BY start_on DESC LIMIT 1)",
            rusqlite::params![
                format!("1 rue {}\u{7}", "très longue ".repeat(40)),
                ELODIE_ID
            ],
        )
        .expect("long address");
    }
    b.open(ELODIE_ID);
    let file = b.file();
    assert_eq!(
        file.household.holder,
        "Evil^[[2J^[]52;c;cm0gLXJmIH4=^GName^H\u{FFFD}31m\u{FFFD}4321\u{FFFD}x"
    );
    let address = &file.home.as_ref().expect("home").address;
    assert!(
        address.chars().count() <= 201 && address.ends_with('…'),
        "{address}"
    );
    for (w, h) in [(80, 24), (120, 40)] {
        let buf = render(&b.app, w, h);
        for cell in buf.content() {
            assert!(
                !cell.symbol().chars().any(is_hostile),
                "cell {:?} reaches the terminal",
                cell.symbol()
            );
        }
        let screen = text(&buf);
        assert!(screen.contains("Evil^[[2J^[]52;c;"), "{screen}");
    }
}

#[test]
fn the_terminal_backend_replaces_what_slips_past_the_gate() {
    let mut t = Terminal::new(InertBackend(TestBackend::new(20, 1))).expect("terminal");
    t.draw(|f| {
        f.render_widget(Paragraph::new("ab\u{202E}cd\u{2067}e"), f.area());
        // A widget writing a cell itself bypasses the span filters of ratatui.
        f.buffer_mut()[(10, 0)].set_symbol("\u{1b}]52;c;eA==\u{7}");
        f.buffer_mut()[(5, 0)].set_symbol("y\u{202E}");
    })
    .expect("draw");
    let buf = t.backend().0.buffer().clone();
    let line: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(!line.chars().any(is_hostile), "{line:?}");
    assert!(line.starts_with("abcde\u{FFFD}    \u{FFFD}"), "{line:?}");
}

#[test]
fn mes_actions_lines_pass_through_the_gate() {
    use impayes::domain::action::ActionOrigin;
    use impayes::domain::todo::{TodoItem, TodoSource};
    use impayes::tui::worker::Reply;
    let hostile = "Mallory\u{1b}]52;c;cGF3bmVk\u{7}\u{202e}";
    let mut reply = Reply::Todo {
        generation: 1,
        items: vec![TodoItem {
            due: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
            dossier_id: 1,
            household_id: 1,
            account: "411-000001".into(),
            holder: hostile.into(),
            assignee: "pmuller".into(),
            what: format!("Appeler {hostile}"),
            source: TodoSource::Action {
                id: 1,
                origin: ActionOrigin::Officer,
            },
        }],
    };
    impayes::tui::inert::reply(&mut reply);
    let Reply::Todo { items, .. } = reply else {
        panic!("still a Todo reply");
    };
    assert!(
        !items[0].holder.chars().any(is_hostile),
        "{:?}",
        items[0].holder
    );
    assert!(
        !items[0].what.chars().any(is_hostile),
        "{:?}",
        items[0].what
    );
    assert!(
        items[0].holder.starts_with("Mallory^["),
        "{:?}",
        items[0].holder
    );
}

#[test]
fn the_letters_batch_passes_through_the_gate() {
    use impayes::domain::letters::{Batch, LetterKind, Selected};
    use impayes::tui::worker::Reply;
    let hostile = "Mallory\u{1b}[2J\u{8}\u{202e}";
    let mut batch = Batch::default();
    batch.letters.push(Selected {
        dossier_id: 1,
        household_id: 1,
        account: "411-000001".into(),
        name: hostile.into(),
        letter: LetterKind::Relance1,
        reason: format!("premier impayé de {hostile}"),
        debt: rust_decimal::Decimal::ONE,
        last_credit_id: 0,
    });
    let mut reply = Reply::LettersPlan {
        batch: Box::new(batch),
        output: String::new(),
    };
    impayes::tui::inert::reply(&mut reply);
    let Reply::LettersPlan { batch, .. } = reply else {
        panic!("still a letters reply");
    };
    let l = &batch.letters[0];
    assert!(!l.name.chars().any(is_hostile), "{:?}", l.name);
    assert!(!l.reason.chars().any(is_hostile), "{:?}", l.reason);
    assert!(l.name.starts_with("Mallory^["), "{:?}", l.name);
}

#[test]
fn the_meeting_and_the_dashboard_pass_through_the_gate() {
    use impayes::domain::agenda::AgendaRules;
    use impayes::domain::procedure::Rules;
    use impayes::store::{self, Stamp};
    let hostile = "Mallory\u{1b}]52;c;cGF3bmVk\u{7}\u{202e}";
    let mut b = Bench::demo("cmartin");
    {
        let conn = rusqlite::Connection::open(&b.db).expect("open");
        conn.execute(
            "UPDATE households SET holder = ?1 || holder",
            rusqlite::params![hostile],
        )
        .expect("hostile names");
        conn.execute(
            "UPDATE sectors SET name = ?1 || name",
            rusqlite::params![hostile],
        )
        .expect("hostile sectors");
    }
    let today = tui_common::today();
    b.store()
        .write(|c| {
            store::build_review(
                c,
                today,
                &["cmartin".into(), format!("{hostile}pmuller")],
                &AgendaRules {
                    no_contact_days: 60,
                    no_contact_min_months: rust_decimal::Decimal::ONE,
                    new_dossier_min_months: rust_decimal::Decimal::ZERO,
                    ..AgendaRules::default()
                },
                &Rules::default(),
                &Stamp::on("cmartin", today),
            )
        })
        .expect("agenda");
    b.key(tui_common::ch('4'));
    let review = &b.app.review;
    assert!(!review.items.is_empty(), "the meeting has an agenda");
    let attendees = &review.review.as_ref().expect("a meeting").attendees;
    assert!(
        attendees.iter().all(|a| !a.chars().any(is_hostile)),
        "{attendees:?}"
    );
    for i in &review.items {
        assert!(!i.name.chars().any(is_hostile), "{:?}", i.name);
        assert!(i.name.starts_with("Mallory^["), "{:?}", i.name);
    }
    let shown = review.shown_current().expect("the first item");
    let holder = &shown.detail.file.household.holder;
    assert!(!holder.chars().any(is_hostile), "{holder:?}");
    b.key(tui_common::ch('6'));
    let stats = b.app.dashboard.stats.as_ref().expect("figures");
    for (_, name) in &stats.sectors {
        assert!(!name.chars().any(is_hostile), "{name:?}");
    }
    for (w, h) in [(80, 24), (200, 50)] {
        let buf = render(&b.app, w, h);
        let s = text(&buf);
        let bad: Vec<(usize, &str)> = s
            .lines()
            .enumerate()
            .filter(|(_, l)| l.chars().any(is_hostile))
            .collect();
        assert!(bad.is_empty(), "{bad:?}");
    }
}
