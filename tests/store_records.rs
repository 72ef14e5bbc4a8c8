//! The store's reads return what was written, on real files: households, leases, entries,
//! dossiers, events, plans, a household's whole file, the portfolio and the lookup's rows.

mod common;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use common::*;
use impayes::domain::dossier::{Cause, CloseReason, Dossier, OpenReason, Phase, Referents};
use impayes::domain::event::EventDetail;
use impayes::domain::household::{Home, Household, Lease, TenantStatus};
use impayes::domain::ledger::{Entry, EntryKind};
use impayes::domain::plan::{Instalment, Plan, PlanStatus};
use impayes::store::{
    Stamp, Store, StoreError, current_lease, dossier as dossier_by_id, dossiers, entries,
    events_of_household, household_by_account, household_file, household_summaries, insert_entry,
    insert_household, insert_plan, plans_of_household, portfolio, portfolio_row,
};

// ---------------------------------------------------------------------------------------------
// Reads return what was written.

#[test]
fn household_by_account_round_trips() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let h = household_by_account(store.conn(), ELODIE).expect("Élodie");
    assert_eq!(
        h,
        Household {
            id: db.ids.elodie,
            account: ELODIE.into(),
            holder: "Élodie Béranger".into(),
            co_holder: Some("Marc Béranger".into()),
            phone: Some("03 89 12 34 56".into()),
            email: Some("elodie.beranger@example.org".into()),
            size: 4,
            housing_benefit: dec!(150),
            status: TenantStatus::Present,
            left_on: None,
            forwarding_address: None,
        }
    );
    assert_eq!(h.names(), "Élodie Béranger et Marc Béranger");
    // Typed with spaces around it.
    assert_eq!(
        household_by_account(store.conn(), &format!("  {ELODIE} ")).expect("trimmed"),
        h
    );

    let g = household_by_account(store.conn(), GAEL).expect("Gaël");
    assert_eq!(g.holder, "Gaël Kœnig");
    assert_eq!(g.status, TenantStatus::Departed);
    assert_eq!(g.left_on, Some(d(2026, 3, 31)));
    assert_eq!(
        g.forwarding_address.as_deref(),
        Some("5 impasse des Vosges, 67000 Strasbourg")
    );
    assert_eq!(g.housing_benefit, Decimal::ZERO);

    let err = household_by_account(store.conn(), "411-999999").expect_err("unknown");
    assert!(
        matches!(&err, StoreError::UnknownAccount(a) if a == "411-999999"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "compte « 411-999999 » inconnu dans cette base"
    );
}

#[test]
fn current_lease_round_trips_with_its_home() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let (lease, home) = current_lease(store.conn(), db.ids.elodie)
        .expect("read")
        .expect("a lease");
    assert_eq!(
        lease,
        Lease {
            id: db.ids.elodie_lease,
            household_id: db.ids.elodie,
            home_id: db.ids.elodie_home,
            start_on: d(2019, 4, 1),
            concluded_on: d(2024, 4, 1),
            rent: dec!(420),
            charges: dec!(80),
            end_on: None,
        }
    );
    assert_eq!(lease.monthly_total(), dec!(500));
    assert_eq!(
        home,
        Home {
            id: db.ids.elodie_home,
            reference: "MUL-0142".into(),
            address: "3 rue de l'Église, bât. B, appt 12".into(),
            postcode: "68100".into(),
            commune: "Mulhouse".into(),
            departement: "68".into(),
            sector: "MUL".into(),
        }
    );
    let (gl, _) = current_lease(store.conn(), db.ids.gael)
        .expect("read")
        .expect("the ended lease is still the last one");
    assert_eq!(gl.end_on, Some(d(2026, 3, 31)));

    // A household without a lease.
    let mut store = store;
    let id = store
        .write(|c| insert_household(c, &household("411-000001", "Inès Ça"), "", &Stamp::now("t")))
        .expect("insert");
    assert_eq!(current_lease(store.conn(), id).expect("read"), None);
}

#[test]
fn entries_come_back_oldest_first_and_equal() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    for (id, mut written) in [
        (db.ids.elodie, elodie_entries()),
        (db.ids.gael, gael_entries()),
        (db.ids.zoe, zoe_entries()),
    ] {
        let read = entries(store.conn(), id).expect("entries");
        assert_eq!(read.len(), written.len());
        // The fixture has one entry per date per account, so the date gives the order.
        written.sort_by_key(|e| e.date);
        assert!(
            read.windows(2)
                .all(|w| (w[0].date, w[0].id) < (w[1].date, w[1].id))
        );
        let without_ids: Vec<Entry> = read.into_iter().map(|e| Entry { id: 0, ..e }).collect();
        assert_eq!(without_ids, written);
    }
    let e = entries(store.conn(), db.ids.elodie).expect("entries");
    assert_eq!(e[0].kind, EntryKind::RentCall);
    assert_eq!(e[0].date, d(2025, 9, 1));
    assert_eq!(e[0].reference.as_deref(), Some("Q-411-004217-2025-09"));
    assert_eq!(e.iter().map(|e| e.amount).sum::<Decimal>(), dec!(1234.56));
    let last_payment = e
        .iter()
        .rev()
        .find(|e| e.kind == EntryKind::Payment)
        .expect("payment");
    assert_eq!(last_payment.amount, dec!(-165.44));
    assert_eq!(last_payment.label, "Virement Mme Béranger");

    // Entries of the same date come back in insertion order.
    let mut store = store;
    let ids = db.ids.clone();
    store
        .write(|c| {
            let s = Stamp::on("import", today());
            insert_entry(
                c,
                ids.paul,
                &entry(d(2026, 12, 1), EntryKind::RentCall, dec!(350), "b", "B"),
                &s,
            )?;
            insert_entry(
                c,
                ids.paul,
                &entry(d(2026, 12, 1), EntryKind::Payment, dec!(-350), "a", "A"),
                &s,
            )?;
            Ok(())
        })
        .expect("write");
    let labels: Vec<String> = entries(store.conn(), db.ids.paul)
        .expect("entries")
        .into_iter()
        .skip(2)
        .map(|e| e.label)
        .collect();
    assert_eq!(labels, ["b", "a"]);
}

#[test]
fn dossiers_round_trip_newest_first() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let list = dossiers(store.conn(), db.ids.elodie).expect("dossiers");
    assert_eq!(
        list,
        vec![Dossier {
            id: db.ids.elodie_dossier,
            household_id: db.ids.elodie,
            phase: Phase::Amicable,
            referents: Referents {
                cesf: Some(CESF.into()),
                amicable: Some(AMICABLE.into()),
                litigation: Some(LITIGATION.into()),
            },
            causes: vec![Cause::JobLoss, Cause::Separation],
            next_action: Some("Relancer par téléphone".into()),
            next_action_on: Some(d(2026, 11, 30)),
            opened_on: d(2026, 3, 5),
            open_reason: OpenReason::FirstUnpaid,
            closed_on: None,
            close_reason: None,
        }]
    );
    assert_eq!(
        dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("by id"),
        list[0]
    );
    assert_eq!(list[0].lead_referent(), Some(AMICABLE));

    let paul = dossiers(store.conn(), db.ids.paul).expect("dossiers");
    assert_eq!(paul.len(), 1);
    assert_eq!(paul[0].phase, Phase::Closed);
    assert_eq!(paul[0].closed_on, Some(d(2024, 6, 30)));
    assert_eq!(paul[0].close_reason, Some(CloseReason::Settled));
    assert!(paul[0].causes.is_empty());

    // A second, newer dossier for Paul comes first.
    let mut store = store;
    let ids = db.ids.clone();
    let newer = store
        .write(|c| {
            let dos = dossier(
                ids.paul,
                Phase::Prevention,
                d(2026, 11, 20),
                OpenReason::CesfReferral,
            );
            impayes::store::insert_dossier(c, &dos, &Stamp::on(CESF, today()))
        })
        .expect("insert");
    let ids: Vec<i64> = dossiers(store.conn(), db.ids.paul)
        .expect("dossiers")
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, [newer, db.ids.paul_dossier]);
    assert!(matches!(
        dossier_by_id(store.conn(), 9_999),
        Err(StoreError::Refused(_))
    ));
}

#[test]
fn events_come_back_newest_first_with_their_details() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let read = events_of_household(store.conn(), db.ids.elodie).expect("events");
    let mut written = elodie_events();
    written.sort_by_key(|e| std::cmp::Reverse(e.0));
    assert_eq!(read.len(), written.len());
    for (e, (on, detail, author, text)) in read.iter().zip(&written) {
        assert_eq!(e.dossier_id, db.ids.elodie_dossier);
        assert_eq!(e.date, *on);
        assert_eq!(&e.detail, detail);
        assert_eq!(e.author, *author);
        assert_eq!(e.text, *text);
        assert_eq!(
            e.recorded_at,
            format!("{}T00:00:00Z", on.format("%Y-%m-%d"))
        );
    }
    assert_eq!(
        read[0].detail,
        EventDetail::AidRequest {
            scheme: impayes::domain::event::AidScheme::Fsl,
            amount: Some(dec!(800)),
        }
    );
    assert!(read.windows(2).all(|w| w[0].date >= w[1].date));
    // The stored kind column is the detail's code.
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT kind FROM events WHERE dossier_id = ?1 ORDER BY date DESC, id DESC")
        .expect("prepare")
        .query_map([db.ids.elodie_dossier], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("kinds");
    let codes: Vec<&str> = read.iter().map(|e| e.detail.code()).collect();
    assert_eq!(kinds, codes);

    // Events of other households are not mixed in.
    let gael = events_of_household(store.conn(), db.ids.gael).expect("events");
    assert_eq!(gael.len(), 2);
    assert_eq!(gael[0].detail, EventDetail::Demand);
    assert!(matches!(gael[1].detail, EventDetail::MoveOut { .. }));
}

#[test]
fn plans_round_trip_with_instalments_and_a_new_plan_replaces_the_active_one() {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let plans = plans_of_household(store.conn(), db.ids.elodie).expect("plans");
    let expected = Plan {
        id: db.ids.elodie_plan,
        ..elodie_plan(db.ids.elodie_dossier)
    };
    assert_eq!(plans, vec![expected.clone()]);
    assert_eq!(plans[0].instalments.len(), 6);
    assert_eq!(
        plans[0].instalments[5],
        Instalment {
            due_on: d(2026, 12, 10),
            amount: dec!(150),
        }
    );
    assert!(
        plans_of_household(store.conn(), db.ids.zoe)
            .expect("plans")
            .is_empty()
    );

    let second = Plan {
        signed_on: d(2026, 11, 20),
        amount: dec!(1234.56),
        caf_approved: false,
        instalments: impayes::domain::plan::generate_instalments(
            dec!(1234.56),
            10,
            d(2026, 12, 10),
        ),
        ..expected.clone()
    };
    let second_id = store
        .write(|c| insert_plan(c, &second, &Stamp::on(AMICABLE, today())))
        .expect("second plan");
    let plans = plans_of_household(store.conn(), db.ids.elodie).expect("plans");
    assert_eq!(plans.len(), 2);
    assert_eq!(
        plans[0],
        Plan {
            id: second_id,
            ..second
        }
    );
    assert_eq!(
        plans[0]
            .instalments
            .iter()
            .map(|i| i.amount)
            .sum::<Decimal>(),
        dec!(1234.56)
    );
    assert_eq!(
        plans[1],
        Plan {
            status: PlanStatus::Replaced,
            ..expected
        }
    );
}

#[test]
fn household_file_gathers_everything_and_sums_the_account() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let c = store.conn();
    let file = household_file(c, db.ids.elodie).expect("file");
    assert_eq!(file.household, household_by_account(c, ELODIE).expect("h"));
    let (lease, home) = current_lease(c, db.ids.elodie).expect("l").expect("l");
    assert_eq!(file.lease, Some(lease));
    assert_eq!(file.home, Some(home));
    assert_eq!(file.entries, entries(c, db.ids.elodie).expect("e"));
    assert_eq!(file.dossiers, dossiers(c, db.ids.elodie).expect("d"));
    assert_eq!(
        file.events,
        events_of_household(c, db.ids.elodie).expect("ev")
    );
    assert_eq!(file.plans, plans_of_household(c, db.ids.elodie).expect("p"));
    assert_eq!(
        file.open_dossier().map(|d| d.id),
        Some(db.ids.elodie_dossier)
    );

    let s = file.summary(today());
    assert_eq!(s.balance, dec!(1234.56));
    assert_eq!(s.monthly_net, dec!(350));
    assert_eq!(s.months_of_arrears, Some(dec!(3.5)));
    assert_eq!(s.by_age.lt_3_months, dec!(1234.56));
    assert_eq!(s.by_age.from_3_to_12_months, Decimal::ZERO);
    assert_eq!(s.by_age.gt_12_months, Decimal::ZERO);
    assert_eq!(s.arrears_since, Some(d(2026, 9, 1)));

    let g = household_file(c, db.ids.gael)
        .expect("file")
        .summary(today());
    assert_eq!(g.balance, dec!(4020));
    assert_eq!(g.monthly_net, dec!(600));
    assert_eq!(g.months_of_arrears, Some(dec!(6.7)));
    assert_eq!(g.by_age.lt_3_months, dec!(120));
    assert_eq!(g.by_age.from_3_to_12_months, dec!(2400));
    assert_eq!(g.by_age.gt_12_months, dec!(1500));
    assert_eq!(g.arrears_since, Some(d(2025, 9, 1)));

    let p = household_file(c, db.ids.paul).expect("file");
    assert_eq!(p.open_dossier(), None);
    assert_eq!(p.summary(today()).months_of_arrears, Some(Decimal::ZERO));
}

// ---------------------------------------------------------------------------------------------
// The portfolio and the lookup's rows.

fn by_account(rows: &[impayes::domain::portfolio::PortfolioRow], account: &str) -> usize {
    rows.iter()
        .position(|r| r.account == account)
        .unwrap_or_else(|| panic!("{account} missing from {rows:#?}"))
}

#[test]
fn the_portfolio_has_one_row_per_open_dossier() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let rows = portfolio(store.conn()).expect("portfolio");
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert!(
        rows.iter().all(|r| r.account != PAUL),
        "closed dossiers are not listed"
    );

    let e = &rows[by_account(&rows, ELODIE)];
    assert_eq!(e.dossier_id, db.ids.elodie_dossier);
    assert_eq!(e.household_id, db.ids.elodie);
    assert_eq!(e.name, "Élodie Béranger et Marc Béranger");
    assert_eq!(e.sector, "MUL");
    assert_eq!(e.status, TenantStatus::Present);
    assert_eq!(e.debt, dec!(1234.56));
    assert_eq!(
        e.monthly_net,
        dec!(350),
        "500 of rent and charges less 150 of APL"
    );
    assert_eq!(e.months_of_arrears(), Some(dec!(3.5)));
    assert_eq!(e.phase, Phase::Amicable);
    assert_eq!(e.referent.as_deref(), Some(AMICABLE));
    assert_eq!(e.next_action.as_deref(), Some("Relancer par téléphone"));
    assert_eq!(e.next_action_on, Some(d(2026, 11, 30)));
    assert_eq!(e.opened_on, d(2026, 3, 5));
    assert!(!e.overdue(today()));

    let z = &rows[by_account(&rows, ZOE)];
    assert_eq!(z.phase, Phase::Prevention);
    assert_eq!(
        z.referent.as_deref(),
        Some(CESF),
        "the CESF leads the prevention phase"
    );
    assert_eq!(z.sector, "COL");
    assert_eq!(z.debt, dec!(360));
    assert_eq!(z.monthly_net, dec!(440));
    assert_eq!(z.months_of_arrears(), Some(dec!(0.8)));

    let g = &rows[by_account(&rows, GAEL)];
    assert_eq!(g.name, "Gaël Kœnig");
    assert_eq!(g.status, TenantStatus::Departed);
    assert_eq!(g.phase, Phase::Departed);
    assert_eq!(g.referent.as_deref(), Some(AMICABLE));
    assert_eq!(g.debt, dec!(4020));
    assert_eq!(g.months_of_arrears(), Some(dec!(6.7)));
    assert!(g.overdue(today()));

    for r in &rows {
        assert_eq!(
            portfolio_row(store.conn(), r.dossier_id)
                .expect("row")
                .as_ref(),
            Some(r)
        );
    }
    assert_eq!(
        portfolio_row(store.conn(), db.ids.paul_dossier).expect("row"),
        None
    );
    assert_eq!(portfolio_row(store.conn(), 9_999).expect("row"), None);
}

#[test]
fn household_summaries_list_every_household_and_the_search_key_is_stored() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let rows = household_summaries(store.conn()).expect("summaries");
    assert_eq!(rows.len(), 4);
    let accounts: Vec<&str> = rows.iter().map(|s| s.account.as_str()).collect();
    assert_eq!(accounts, [ELODIE, ZOE, GAEL, PAUL]);

    let e = &rows[0];
    let key: String = store
        .conn()
        .query_row(
            "SELECT search_key FROM households WHERE id = ?1",
            [e.household_id],
            |r| r.get(0),
        )
        .expect("search key");
    assert_eq!(e.household_id, db.ids.elodie);
    assert_eq!(e.name, "Élodie Béranger et Marc Béranger");
    assert_eq!(
        e.address,
        "3 rue de l'Église, bât. B, appt 12, 68100 Mulhouse"
    );
    assert_eq!(e.phone.as_deref(), Some("03 89 12 34 56"));
    assert_eq!(e.status, TenantStatus::Present);
    assert_eq!(e.debt, dec!(1234.56));
    assert_eq!(e.monthly_net, dec!(350));
    assert_eq!(e.months_of_arrears(), Some(dec!(3.5)));
    assert_eq!(e.phase, Some(Phase::Amicable));
    assert!(key.contains("elodie beranger et marc beranger"), "{key}");
    assert!(key.contains("411-004217"), "{key}");
    assert!(key.contains("eglise"), "{key}");
    assert!(key.contains("0389123456"), "{key}");

    let g = &rows[2];
    assert_eq!(g.status, TenantStatus::Departed);
    assert_eq!(g.phase, Some(Phase::Departed));
    assert_eq!(g.phone, None);
    let key: String = store
        .conn()
        .query_row(
            "SELECT search_key FROM households WHERE id = ?1",
            [g.household_id],
            |r| r.get(0),
        )
        .expect("search key");
    assert!(key.contains("gael koenig"), "{key}");

    let p = &rows[3];
    assert_eq!(p.phase, None, "Paul's only dossier is closed");
    assert_eq!(p.debt, Decimal::ZERO);
    assert_eq!(p.months_of_arrears(), Some(Decimal::ZERO));
}
