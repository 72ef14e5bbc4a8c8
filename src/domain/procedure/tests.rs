//! Unit tests of `procedure`, with hand-computed cases.

use super::*;
use crate::domain::dossier::{Dossier, OpenReason, Phase, Referents};
use crate::domain::event::Event;
use crate::domain::household::{Home, Household, Lease, TenantStatus};
use rust_decimal::Decimal;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn file(
    departement: &str,
    concluded_on: NaiveDate,
    events: Vec<(NaiveDate, EventDetail)>,
) -> HouseholdFile {
    HouseholdFile {
        household: Household {
            id: 1,
            account: "411-000001".into(),
            holder: "Jeanne Test".into(),
            co_holder: None,
            phone: None,
            email: None,
            size: 1,
            housing_benefit: Decimal::ZERO,
            status: TenantStatus::Present,
            left_on: None,
            forwarding_address: None,
        },
        lease: Some(Lease {
            id: 1,
            household_id: 1,
            home_id: 1,
            start_on: concluded_on,
            concluded_on,
            rent: Decimal::new(400, 0),
            charges: Decimal::new(50, 0),
            end_on: None,
        }),
        home: Some(Home {
            id: 1,
            reference: "L1".into(),
            address: "1 rue Test".into(),
            postcode: "68100".into(),
            commune: "Mulhouse".into(),
            departement: departement.into(),
            sector: "MUL".into(),
        }),
        entries: Vec::new(),
        dossiers: vec![Dossier {
            id: 7,
            household_id: 1,
            phase: Phase::Litigation,
            referents: Referents::default(),
            causes: Vec::new(),
            next_action: None,
            next_action_on: None,
            opened_on: d(2025, 1, 1),
            open_reason: OpenReason::FirstUnpaid,
            closed_on: None,
            close_reason: None,
        }],
        events: events
            .into_iter()
            .enumerate()
            .map(|(i, (date, detail))| Event {
                id: i as i64 + 1,
                dossier_id: 7,
                date,
                author: "test".into(),
                text: String::new(),
                detail,
                recorded_at: String::new(),
            })
            .collect(),
        plans: Vec::new(),
        versions: Vec::new(),
        last_change: None,
    }
}

fn payment_order() -> EventDetail {
    EventDetail::PaymentOrder {
        debt: Decimal::new(1500, 0),
        cost: None,
    }
}

#[test]
fn shipped_rules_parse_and_cover_every_step() {
    let r = Rules::default();
    for id in [
        "caf-report",
        "caf-plan",
        "payment-order",
        "ccapex",
        "summons-notice",
        "hearing-earliest",
        "judge-delays",
        "appeal-refere",
        "appeal-merits",
        "eviction-order",
        "police-request",
        "overindebtedness",
        "judgement-enforcement",
    ] {
        assert!(r.ids().contains(&id), "{id}");
    }
}

#[test]
fn malformed_rules_give_line_and_column() {
    let text = "[winter_truce]\nstart = \"11-01\"\nend = 3\n";
    let e = Rules::parse(text, "r.toml").unwrap_err().to_string();
    assert!(e.contains("ligne 3"), "{e}");
    assert!(e.contains("r.toml"), "{e}");
    let e = Rules::parse(
        "rule = []\n[winter_truce]\nstart = \"11-01\"\nend = \"31-03\"\n",
        "r.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("MM-JJ"), "{e}");
    let e = Rules::parse("[[rule]]\nid = \"x\"\n", "r.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("invalide"), "{e}");
}

#[test]
fn payment_order_both_lease_regimes() {
    let r = Rules::default();
    // Old lease: 2 months. 02/03/2026 + 2 months = Saturday 02/05/2026 → Monday 04/05/2026.
    let old = r.select("payment-order", d(2026, 3, 2), Some(d(2015, 6, 1)));
    assert_eq!(old.len(), 1);
    let dl = apply_rule(old[0], d(2026, 3, 2), Zone::Metropole, &r.winter_truce);
    assert_eq!(dl.expires, d(2026, 5, 4));
    assert_eq!(dl.next_step_from, Some(d(2026, 5, 5)));
    assert!(!dl.unverified);
    // New lease: 6 weeks = 42 days → Monday 13/04/2026.
    let new = r.select("payment-order", d(2026, 3, 2), Some(d(2024, 1, 15)));
    assert_eq!(new.len(), 1);
    let dl = apply_rule(new[0], d(2026, 3, 2), Zone::Metropole, &r.winter_truce);
    assert_eq!(dl.expires, d(2026, 4, 13));
    assert!(dl.unverified);
    assert!(dl.explanation.contains("À vérifier"));
    // Boundary: a lease concluded on 29/07/2023 is under the new law.
    let edge = r.select("payment-order", d(2026, 3, 2), Some(d(2023, 7, 29)));
    assert_eq!(edge[0].unit, Unit::Weeks);
}

#[test]
fn caf_report_both_apl_regimes() {
    let r = Rules::default();
    let before = r.select("caf-report", d(2026, 12, 31), None);
    assert_eq!(before.len(), 1);
    assert!(before[0].reference.contains("R824-4"));
    let after = r.select("caf-report", d(2027, 1, 1), None);
    assert_eq!(after.len(), 1);
    assert!(after[0].reference.contains("2026-84"));
}

#[test]
fn a_departed_tenant_has_no_possession_steps_left() {
    // The same payment order as below gives the clause résolutoire deadline while the
    // tenant lives there; once they have left, the home's procedure is moot.
    let r = Rules::default();
    let mut f = file("01", d(2010, 1, 1), vec![(d(2026, 3, 2), payment_order())]);
    assert_eq!(deadlines(&f, d(2026, 3, 10), &r).len(), 1);
    f.household.status = TenantStatus::Departed;
    f.household.left_on = Some(d(2026, 3, 5));
    assert!(deadlines(&f, d(2026, 3, 10), &r).is_empty());
    // Every rule of the home's procedure is marked, none of the judgement's.
    let marked: Vec<&str> = r
        .rules
        .iter()
        .filter(|x| x.present_only)
        .map(|x| x.id.as_str())
        .collect();
    for id in [
        "payment-order",
        "ccapex",
        "summons-notice",
        "eviction-order",
        "police-request",
    ] {
        assert!(marked.contains(&id), "{id}");
    }
    assert!(!marked.contains(&"judgement-enforcement"));
}

#[test]
fn engine_payment_order_old_and_new_lease() {
    let r = Rules::default();
    let f = file("01", d(2010, 1, 1), vec![(d(2026, 3, 2), payment_order())]);
    let dl = deadlines(&f, d(2026, 3, 10), &r);
    assert_eq!(dl.len(), 1);
    assert_eq!(dl[0].expires, d(2026, 5, 4));
    let f = file("01", d(2024, 1, 15), vec![(d(2026, 3, 2), payment_order())]);
    let dl = deadlines(&f, d(2026, 3, 10), &r);
    assert_eq!(dl[0].expires, d(2026, 4, 13));
    assert!(
        dl[0]
            .explanation
            .starts_with("Évènement : Commandement de payer du 02/03/2026")
    );
    // Once the summons is served, the deadline is no longer open.
    let f = file(
        "01",
        d(2024, 1, 15),
        vec![
            (d(2026, 3, 2), payment_order()),
            (
                d(2026, 5, 1),
                EventDetail::Summons {
                    hearing_on: d(2026, 6, 26),
                    court: "TJ".into(),
                },
            ),
        ],
    );
    let dl = deadlines(&f, d(2026, 5, 2), &r);
    assert!(dl.iter().all(|x| x.rule_id != "payment-order"));
    let notice = dl
        .iter()
        .find(|x| x.rule_id == "summons-notice")
        .expect("notice");
    assert_eq!(notice.from, d(2026, 6, 26));
    assert_eq!(notice.expires, d(2026, 5, 13));
    assert!(!notice.late);
}

fn eviction_deadline(order_on: NaiveDate) -> Deadline {
    let r = Rules::default();
    let f = file(
        "01",
        d(2010, 1, 1),
        vec![(order_on, EventDetail::EvictionOrder)],
    );
    let dl = deadlines(&f, order_on, &r);
    dl.into_iter()
        .find(|x| x.rule_id == "eviction-order")
        .expect("eviction deadline")
}

#[test]
fn winter_truce_boundaries() {
    // Order on 29/08/2026 + 2 months = Thursday 29/10/2026 → next step Friday 30/10: before.
    assert_eq!(
        eviction_deadline(d(2026, 8, 29)).next_step_from,
        Some(d(2026, 10, 30))
    );
    // Order on 30/09/2026 + 2 months = Monday 30/11/2026 → next step 01/12/2026, in the
    // trêve → 01/04/2027.
    let x = eviction_deadline(d(2026, 9, 30));
    assert_eq!(x.expires, d(2026, 11, 30));
    assert_eq!(x.next_step_from, Some(d(2027, 4, 1)));
    assert!(x.explanation.contains("trêve hivernale"));
    // Order 30/08/2026 + 2 months = Friday 30/10/2026 → next step Saturday 31/10/2026,
    // the last day outside the trêve.
    let x = eviction_deadline(d(2026, 8, 30));
    assert_eq!(x.expires, d(2026, 10, 30));
    assert_eq!(x.next_step_from, Some(d(2026, 10, 31)));
    // Order 31/08/2026 + 2 months = Saturday 31/10/2026 → moved past Sunday 01/11 (also
    // Toussaint) to Monday 02/11/2026 → next step 03/11, in the trêve → 01/04/2027.
    let x = eviction_deadline(d(2026, 8, 31));
    assert_eq!(x.expires, d(2026, 11, 2));
    assert_eq!(x.next_step_from, Some(d(2027, 4, 1)));
    // Trêve end: next step 31/03/2027 is inside, 01/04/2027 outside.
    let t = &Rules::default().winter_truce;
    assert!(t.containing(d(2027, 3, 31)).is_some());
    assert!(t.containing(d(2027, 4, 1)).is_none());
    assert!(t.containing(d(2026, 10, 31)).is_none());
    assert!(t.containing(d(2026, 11, 1)).is_some());
    // Configured exceptional end (2021: 31 May).
    assert_eq!(
        t.containing(d(2021, 5, 31)).map(|p| p.1),
        Some(d(2021, 5, 31))
    );
    assert!(t.containing(d(2021, 6, 1)).is_none());
    // Order 31/01/2027 + 2 months = 31/03/2027 (Wednesday) → next 01/04/2027, not moved.
    let x = eviction_deadline(d(2027, 1, 31));
    assert_eq!(x.expires, d(2027, 3, 31));
    assert_eq!(x.next_step_from, Some(d(2027, 4, 1)));
    assert!(!x.explanation.contains("trêve hivernale"));
}

#[test]
fn surendettement_freezes_enforcement() {
    let r = Rules::default();
    let admissible = EventDetail::Overindebtedness {
        stage: OverindebtednessStage::Admissible,
        amount: None,
    };
    let f = file(
        "68",
        d(2010, 1, 1),
        vec![
            (d(2026, 3, 2), EventDetail::EvictionOrder),
            (d(2026, 3, 20), admissible.clone()),
        ],
    );
    let dl = deadlines(&f, d(2026, 4, 1), &r);
    let ev = dl
        .iter()
        .find(|x| x.rule_id == "eviction-order")
        .expect("eviction");
    assert_eq!(ev.frozen_until, Some(d(2028, 3, 20)));
    assert!(ev.summary.contains("GELÉ"), "{}", ev.summary);
    let freeze = dl
        .iter()
        .find(|x| x.rule_id == "overindebtedness")
        .expect("freeze");
    assert_eq!(freeze.kind, RuleKind::Freeze);
    // Measures end the freeze.
    let f = file(
        "68",
        d(2010, 1, 1),
        vec![
            (d(2026, 3, 2), EventDetail::EvictionOrder),
            (d(2026, 3, 20), admissible),
            (
                d(2026, 6, 1),
                EventDetail::Overindebtedness {
                    stage: OverindebtednessStage::Measures,
                    amount: None,
                },
            ),
        ],
    );
    let dl = deadlines(&f, d(2026, 6, 2), &r);
    assert!(dl.iter().all(|x| x.frozen_until.is_none()));
}

#[test]
fn unreported_impaye_constitue_is_a_missing_obligation() {
    use crate::domain::ledger::{Entry, EntryKind};
    let mut f = file("01", d(2010, 1, 1), Vec::new());
    f.household.housing_benefit = Decimal::new(70, 0);
    for m in 8..=11 {
        f.entries.push(Entry {
            id: 0,
            date: d(2026, m, 1),
            kind: EntryKind::RentCall,
            amount: Decimal::new(450, 0),
            label: "Loyer".into(),
            reference: None,
        });
        f.entries.push(Entry {
            id: 0,
            date: d(2026, m, 5),
            kind: EntryKind::HousingBenefit,
            amount: Decimal::new(-70, 0),
            label: "APL".into(),
            reference: None,
        });
    }
    let dl = deadlines(&f, d(2026, 11, 20), &Rules::default());
    let caf = dl
        .iter()
        .find(|x| x.rule_id == "caf-report")
        .expect("caf report");
    // Net rent 380, threshold 760 reached on 01/09/2026; + 2 months = Sunday 01/11/2026
    // (Toussaint) → Monday 02/11/2026, passed on 20/11: late.
    assert_eq!(caf.from, d(2026, 9, 1));
    assert_eq!(caf.expires, d(2026, 11, 2));
    assert!(caf.late);
    assert!(
        caf.explanation
            .starts_with("Impayé constitué le 01/09/2026")
    );
    // Once reported, it is gone.
    f.events.push(Event {
        id: 99,
        dossier_id: 7,
        date: d(2026, 11, 3),
        author: "test".into(),
        text: String::new(),
        detail: EventDetail::CafReport {
            debt: Decimal::new(1520, 0),
        },
        recorded_at: String::new(),
    });
    let dl = deadlines(&f, d(2026, 11, 20), &Rules::default());
    assert!(dl.iter().all(|x| x.rule_id != "caf-report"));
}

#[test]
fn judge_delays_use_the_months_granted() {
    let f = file(
        "01",
        d(2010, 1, 1),
        vec![(
            d(2026, 1, 15),
            EventDetail::Judgement {
                outcome: JudgementOutcome::PaymentDelays,
                monthly: None,
                months: Some(24),
            },
        )],
    );
    let dl = deadlines(&f, d(2026, 2, 1), &Rules::default());
    let x = dl
        .iter()
        .find(|x| x.rule_id == "judge-delays")
        .expect("delays");
    // 15/01/2028 is a Saturday → Monday 17/01/2028.
    assert_eq!(x.expires, d(2028, 1, 17));
    assert!(x.explanation.contains("24 mois"));
    assert!(dl.iter().any(|x| x.rule_id == "judgement-enforcement"));
}

#[test]
fn late_obligation_is_flagged() {
    let r = Rules::default();
    let f = file(
        "01",
        d(2010, 1, 1),
        vec![(
            d(2026, 1, 5),
            EventDetail::Summons {
                hearing_on: d(2026, 2, 20),
                court: "TJ".into(),
            },
        )],
    );
    let dl = deadlines(&f, d(2026, 2, 1), &r);
    let n = dl
        .iter()
        .find(|x| x.rule_id == "summons-notice")
        .expect("notice");
    assert!(n.late);
}
