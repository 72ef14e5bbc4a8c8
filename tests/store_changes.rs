//! Changes recorded by the store, on real files: phase changes and closing, the confidentiality
//! of social notes, plans broken by the detection, actions, and a move-out.

mod common;

use rust_decimal_macros::dec;

use common::*;
use impayes::domain::dossier::{CloseReason, Phase};
use impayes::domain::event::EventDetail;
use impayes::domain::household::TenantStatus;
use impayes::domain::plan::PlanStatus;
use impayes::store::{
    Stamp, Store, can_read_social_notes, change_phase, counts, dossier as dossier_by_id,
    events_of_household, household_by_account, household_file, household_summaries,
    plans_of_household, portfolio, portfolio_row,
};

#[test]
fn change_phase_is_recorded_and_closing_leaves_the_portfolio() {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let mut dos = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    store
        .write(|c| {
            change_phase(
                c,
                &mut dos,
                Phase::Litigation,
                today(),
                &Stamp::on(LITIGATION, today()),
            )
        })
        .expect("to litigation");
    assert_eq!(dos.phase, Phase::Litigation);
    assert_eq!(
        dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier"),
        dos
    );
    let events = events_of_household(store.conn(), db.ids.elodie).expect("events");
    assert_eq!(events.len(), elodie_events().len() + 1);
    assert_eq!(
        events[0].detail,
        EventDetail::PhaseChange {
            from: Phase::Amicable,
            to: Phase::Litigation,
        }
    );
    assert_eq!(events[0].date, today());
    assert_eq!(events[0].author, LITIGATION);
    let row = portfolio_row(store.conn(), db.ids.elodie_dossier)
        .expect("row")
        .expect("still open");
    assert_eq!(row.phase, Phase::Litigation);
    assert_eq!(
        row.referent.as_deref(),
        Some(LITIGATION),
        "the referent follows the phase"
    );

    // Changing to the same phase records nothing.
    store
        .write(|c| {
            change_phase(
                c,
                &mut dos,
                Phase::Litigation,
                today(),
                &Stamp::now(LITIGATION),
            )
        })
        .expect("no-op");
    assert_eq!(
        events_of_household(store.conn(), db.ids.elodie)
            .expect("events")
            .len(),
        elodie_events().len() + 1
    );

    // Closing.
    dos.close_reason = Some(CloseReason::Settled);
    let closed_on = d(2026, 11, 23);
    store
        .write(|c| change_phase(c, &mut dos, Phase::Closed, closed_on, &Stamp::now(AMICABLE)))
        .expect("close");
    let stored = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    assert_eq!(stored.phase, Phase::Closed);
    assert_eq!(stored.closed_on, Some(closed_on));
    assert_eq!(stored.close_reason, Some(CloseReason::Settled));
    let rows = portfolio(store.conn()).expect("portfolio");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.dossier_id != db.ids.elodie_dossier));
    assert_eq!(
        portfolio_row(store.conn(), db.ids.elodie_dossier).expect("row"),
        None
    );
    assert_eq!(counts(store.conn()).expect("counts"), (4, 2));
    let summaries = household_summaries(store.conn()).expect("summaries");
    assert_eq!(summaries[0].phase, None);
    let last = &events_of_household(store.conn(), db.ids.elodie).expect("events")[0];
    assert_eq!(
        last.detail,
        EventDetail::PhaseChange {
            from: Phase::Litigation,
            to: Phase::Closed,
        }
    );

    // Reopening clears the closing.
    store
        .write(|c| change_phase(c, &mut dos, Phase::Amicable, today(), &Stamp::now(AMICABLE)))
        .expect("reopen");
    let stored = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    assert_eq!((stored.closed_on, stored.close_reason), (None, None));
    assert_eq!(portfolio(store.conn()).expect("portfolio").len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Confidentiality of social notes.

#[test]
fn only_a_cesf_reads_social_notes() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let c = store.conn();
    assert!(can_read_social_notes(c, CESF).expect("cesf"));
    for login in [AMICABLE, LITIGATION, MANAGER, "inconnu", ""] {
        assert!(!can_read_social_notes(c, login).expect("other"), "{login}");
    }
    // A CESF who left the service no longer reads them.
    c.execute("UPDATE staff SET active = 0 WHERE login = ?1", [CESF])
        .expect("deactivate");
    assert!(!can_read_social_notes(c, CESF).expect("inactive"));

    let full = household_file(c, db.ids.elodie).expect("file");
    let mut hidden = full.clone();
    hidden.hide_social_notes();
    assert_eq!(
        hidden.events.len(),
        full.events.len(),
        "the note stays in the timeline"
    );
    for (h, f) in hidden.events.iter().zip(&full.events) {
        assert_eq!(h.detail, f.detail);
        assert_eq!(h.date, f.date);
        if f.detail.is_confidential() {
            assert_eq!(f.text, CONFIDENTIAL_TEXT);
            assert!(!h.text.contains("psychologique"), "{}", h.text);
            assert!(h.text.contains("travailleurs sociaux"), "{}", h.text);
        } else {
            assert_eq!(h.text, f.text);
        }
    }
    assert_eq!(
        full.events
            .iter()
            .filter(|e| e.detail.is_confidential())
            .count(),
        1
    );
    assert!(hidden.events.iter().any(|e| e.text == CONTACT_TEXT));
}

/// The arrears detection on the fixture's day, as the manager.
fn run_detection(store: &mut Store) -> impayes::store::DetectionReport {
    store
        .write(|c| {
            impayes::store::detect_arrears(
                c,
                today(),
                &impayes::domain::detection::DetectionRules::default(),
                &Stamp::on(MANAGER, today()),
            )
        })
        .expect("detection")
}

#[test]
fn the_detection_records_a_plan_broken_by_missed_instalments() {
    // Élodie's plan has missed instalments on the fixture's account (see common/mod.rs): the
    // detection must record it as broken, and the portfolio must show the alert.
    let mut store = Store::in_memory().expect("store");
    let ids = build(&mut store);
    let before = plans_of_household(store.conn(), ids.elodie).expect("plans");
    assert_eq!(before[0].status, PlanStatus::Active);
    let report = run_detection(&mut store);
    assert_eq!(report.plans_broken, 1, "{report:?}");
    let after = plans_of_household(store.conn(), ids.elodie).expect("plans");
    assert_eq!(after[0].status, PlanStatus::Broken);
    let row = portfolio(store.conn())
        .expect("portfolio")
        .into_iter()
        .find(|r| r.dossier_id == ids.elodie_dossier)
        .expect("Élodie's row");
    assert!(row.alerts().contains(&"plan rompu"), "{:?}", row.alerts());
}

#[test]
fn the_detection_follows_plans_of_accounts_cleared_as_well_as_owing() {
    // Cleared: Élodie pays off her whole debt today, so her household is no candidate of the
    // detection (nothing owed), and her plan is followed after the assessments.
    let mut store = Store::in_memory().expect("store");
    let ids = build(&mut store);
    let owed = impayes::domain::ledger::balance(
        &impayes::store::entries(store.conn(), ids.elodie).expect("entries"),
    );
    assert!(owed > rust_decimal::Decimal::ZERO);
    let payment = impayes::domain::ledger::Entry {
        id: 0,
        date: today(),
        kind: impayes::domain::ledger::EntryKind::Payment,
        amount: -owed,
        label: "Solde".into(),
        reference: None,
    };
    store
        .write(|c| impayes::store::insert_entry(c, ids.elodie, &payment, &Stamp::now(MANAGER)))
        .expect("payment");
    let report = run_detection(&mut store);
    assert_eq!(
        (report.plans_broken, report.plans_respected),
        (0, 1),
        "{report:?}"
    );
    let after = plans_of_household(store.conn(), ids.elodie).expect("plans");
    assert_eq!(after[0].status, PlanStatus::Respected);
}

#[test]
fn a_closed_dossier_loses_its_flags_at_the_next_detection() {
    let mut store = Store::in_memory().expect("store");
    let ids = build(&mut store);
    run_detection(&mut store);
    let flags = |store: &Store| {
        impayes::store::dossier_flags(store.conn(), ids.elodie_dossier).expect("flags")
    };
    assert!(!flags(&store).is_empty(), "Élodie's broken plan is flagged");
    let mut dos = dossier_by_id(store.conn(), ids.elodie_dossier).expect("dossier");
    dos.close_reason = Some(CloseReason::WrittenOff);
    store
        .write(|c| change_phase(c, &mut dos, Phase::Closed, today(), &Stamp::now(MANAGER)))
        .expect("close");
    assert!(!flags(&store).is_empty(), "closing alone leaves them");
    let report = run_detection(&mut store);
    assert_eq!(flags(&store), [], "{report:?}");
}

#[test]
fn actions_are_stored_listed_and_ticked_off_once() {
    use impayes::domain::action::{Action, ActionOrigin};
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let dossier_id = db.ids.elodie_dossier;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let stamp = impayes::store::Stamp::on("cmartin", d("2026-11-02"));
    let action = |who: &str, due: &str| Action {
        id: 0,
        dossier_id,
        assignee: who.into(),
        what: "Appeler le locataire".into(),
        due_on: d(due),
        origin: ActionOrigin::Officer,
        review_item_id: None,
        done: None,
    };
    let first = store
        .write(|c| impayes::store::insert_action(c, &action("tgirard", "2026-11-20"), &stamp))
        .expect("insert");
    store
        .write(|c| impayes::store::insert_action(c, &action("dfaure", "2026-11-10"), &stamp))
        .expect("insert");
    let all = impayes::store::open_actions(store.conn(), None, None).expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].action.assignee, "dfaure", "sorted by due date");
    let mine = impayes::store::open_actions(store.conn(), Some("tgirard"), Some(d("2026-11-30")))
        .expect("list");
    assert_eq!(mine.len(), 1);
    let none = impayes::store::open_actions(store.conn(), Some("tgirard"), Some(d("2026-11-19")))
        .expect("list");
    assert!(none.is_empty(), "due after --until");
    store
        .write(|c| impayes::store::complete_action(c, first, d("2026-11-21"), &stamp))
        .expect("done");
    assert!(
        store
            .write(|c| impayes::store::complete_action(c, first, d("2026-11-21"), &stamp))
            .is_err(),
        "a second tick is refused"
    );
    let left = impayes::store::open_actions(store.conn(), None, None).expect("list");
    assert_eq!(left.len(), 1);
    let of_dossier = impayes::store::actions_of_dossier(store.conn(), dossier_id).expect("list");
    assert_eq!(of_dossier.len(), 2);
    assert!(of_dossier[1].done.is_some(), "done ones last");
}

#[test]
fn a_move_out_applies_the_deposit_keeps_the_rest_of_the_debt_and_departs_the_dossier() {
    use impayes::store::{DEPOSIT_LABEL, record_move_out};
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let before = household_by_account(store.conn(), ELODIE).expect("household");
    let mut dos = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    let stamp = Stamp::on(AMICABLE, today());
    // A deposit that is not positive is refused and nothing is written.
    let refused = store
        .write(|c| record_move_out(c, &mut dos.clone(), today(), None, Some(dec!(-5)), &stamp));
    assert!(refused.is_err());
    assert_eq!(
        household_by_account(store.conn(), ELODIE).expect("household"),
        before
    );
    store
        .write(|c| {
            record_move_out(
                c,
                &mut dos,
                today(),
                Some("2 rue du Rhin, 68100 Mulhouse"),
                Some(dec!(450.00)),
                &stamp,
            )
        })
        .expect("move out");
    let after = household_by_account(store.conn(), ELODIE).expect("household");
    assert_eq!(after.status, TenantStatus::Departed);
    assert_eq!(after.left_on, Some(today()));
    assert_eq!(
        after.forwarding_address.as_deref(),
        Some("2 rue du Rhin, 68100 Mulhouse")
    );
    // The balance drops by the deposit exactly; the rest of the debt stays.
    let (cached, summed) = cents_sum(&store, db.ids.elodie);
    assert_eq!(cached, summed);
    let entries = impayes::store::entries(store.conn(), db.ids.elodie).expect("entries");
    let credit = entries
        .iter()
        .find(|e| e.label == DEPOSIT_LABEL)
        .expect("deposit entry");
    assert_eq!(credit.amount, dec!(-450.00));
    let balance: rust_decimal::Decimal = entries.iter().map(|e| e.amount).sum();
    let old_balance: rust_decimal::Decimal = balance + dec!(450.00);
    assert!(
        old_balance > dec!(450.00),
        "Élodie owed more than the deposit"
    );
    assert_eq!(dos.phase, Phase::Departed);
    assert_eq!(
        dossier_by_id(store.conn(), db.ids.elodie_dossier)
            .expect("dossier")
            .phase,
        Phase::Departed
    );
    assert!(
        impayes::store::current_lease(store.conn(), db.ids.elodie)
            .expect("lease")
            .is_none_or(|(l, _)| l.end_on == Some(today())),
        "the lease ended"
    );
}
