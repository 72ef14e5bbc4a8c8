//! The dossier's forms driven key by key on a real demo database with the real store worker:
//! relance, plan, phase and follow-up forms, the kind picker, refused writes, and what is stored.

mod tui_common;

use crossterm::event::KeyCode;
use rust_decimal::Decimal;

use impayes::domain::dossier::Phase;
use impayes::domain::event::{Channel, EventDetail, ReminderLevel};
use impayes::store;
use impayes::tui::app::{Confirm, Overlay};
use impayes::tui::forms::Purpose;
use impayes::tui::worker::{Reply, Request, WriteCmd};

use tui_common::{
    Bench, ELODIE_ID, PMULLER, ch, ctrl, field_error, key, open_elodie, today, top_form,
};

#[test]
fn relance_form_checks_the_date_then_records() {
    let mut b = Bench::demo(PMULLER);
    open_elodie(&mut b);
    let before = b.file().events.len();
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
    let plans_before = b.file().plans.len();
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
    let debt = b.file().summary(today()).balance;
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
    let dossier = b.file().open_dossier().cloned().unwrap();
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
    let dossier_id = b.file().open_dossier().unwrap().id;
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
    let d = b.file().open_dossier().cloned().unwrap();
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
