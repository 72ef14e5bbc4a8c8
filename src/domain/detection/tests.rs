//! Unit tests of `detection`, with hand-computed cases.

use super::*;
use crate::domain::dossier::Referents;
use std::collections::HashMap;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

fn e(date: NaiveDate, kind: EntryKind, amount: Decimal) -> Entry {
    Entry {
        id: 0,
        date,
        kind,
        amount,
        label: String::new(),
        reference: None,
    }
}

fn facts<'a>(entries: &'a [Entry], open: Option<&'a Dossier>) -> HouseholdFacts<'a> {
    HouseholdFacts {
        status: TenantStatus::Present,
        monthly_net: dec!(380),
        housing_benefit: true,
        entries,
        open_dossier: open,
        caf_reports: &[],
        interruptions: &[],
        zone: Zone::Metropole,
    }
}

fn dossier(reason: OpenReason) -> Dossier {
    Dossier {
        id: 7,
        household_id: 1,
        phase: Phase::Amicable,
        referents: Referents::default(),
        causes: vec![],
        next_action: None,
        next_action_on: None,
        opened_on: d(2026, 9, 20),
        open_reason: reason,
        closed_on: None,
        close_reason: None,
    }
}

/// Rent 580 (net of APL 200: 380). August paid; September: APL only; October: APL only;
/// November: APL and 100 from the tenant.
/// Balances: 01/08 580, 05/08 380, 10/08 0; 01/09 580, 05/09 380; 01/10 960, 05/10 760;
/// 01/11 1 340, 05/11 1 140, 10/11 1 040.
fn autumn_2026() -> Vec<Entry> {
    let mut v = Vec::new();
    for m in 8..=11 {
        v.push(e(d(2026, m, 1), EntryKind::RentCall, dec!(580)));
        v.push(e(d(2026, m, 5), EntryKind::HousingBenefit, dec!(-200)));
    }
    v.push(e(d(2026, 8, 10), EntryKind::Payment, dec!(-380)));
    v.push(e(d(2026, 11, 10), EntryKind::Payment, dec!(-100)));
    v
}

#[test]
fn opens_a_dossier_past_the_due_day_of_an_unpaid_rent() {
    let v = autumn_2026();
    let a = assess(
        &facts(&v, None),
        d(2026, 11, 22),
        &DetectionRules::default(),
    );
    assert_eq!(a.balance, dec!(1040));
    // FIFO: the credits, 800 of APL + 380 + 100 = 1 280, settle August and September
    // (1 160) and 120 of October: October's call is the oldest unpaid.
    assert_eq!(a.first_unpaid_rent, Some(d(2026, 10, 1)));
    assert_eq!(a.debt_since, Some(d(2026, 9, 1)));
    let o = a.opening.expect("opening");
    assert_eq!(o.phase, Phase::Amicable);
    assert_eq!(o.reason, OpenReason::FirstUnpaid);
    assert_eq!(o.debt, dec!(1040));
    // A call not yet ten days old is not unpaid: on 08/09 only September's call is owed.
    let early = assess(&facts(&v, None), d(2026, 9, 8), &DetectionRules::default());
    assert_eq!(early.first_unpaid_rent, None);
    assert_eq!(early.opening, None);
    // An open dossier is not opened twice.
    let open = dossier(OpenReason::FirstUnpaid);
    let again = assess(
        &facts(&v, Some(&open)),
        d(2026, 11, 22),
        &DetectionRules::default(),
    );
    assert_eq!(again.opening, None);
    assert!(!again.flags.contains(&Flag::Settled));
}

#[test]
fn fees_alone_open_nothing_and_departed_tenants_open_in_phase_departed() {
    let fees = vec![e(d(2026, 6, 1), EntryKind::Fees, dec!(120))];
    let a = assess(
        &facts(&fees, None),
        d(2026, 11, 22),
        &DetectionRules::default(),
    );
    assert_eq!(a.first_unpaid_rent, None);
    assert_eq!(a.opening, None);
    let v = autumn_2026();
    let mut f = facts(&v, None);
    f.status = TenantStatus::Departed;
    let a = assess(&f, d(2026, 11, 22), &DetectionRules::default());
    let o = a.opening.expect("opening");
    assert_eq!(o.phase, Phase::Departed);
    assert_eq!(o.reason, OpenReason::DepartureWithDebt);
}

#[test]
fn a_cleared_debt_flags_the_dossier_settled_but_not_a_cesf_referral() {
    let v = vec![
        e(d(2026, 10, 1), EntryKind::RentCall, dec!(580)),
        e(d(2026, 11, 3), EntryKind::Payment, dec!(-580)),
    ];
    let open = dossier(OpenReason::FirstUnpaid);
    let a = assess(
        &facts(&v, Some(&open)),
        d(2026, 11, 22),
        &DetectionRules::default(),
    );
    assert_eq!(a.flags, vec![Flag::Settled]);
    let referral = dossier(OpenReason::CesfReferral);
    let a = assess(
        &facts(&v, Some(&referral)),
        d(2026, 11, 22),
        &DetectionRules::default(),
    );
    assert!(a.flags.is_empty());
}

#[test]
fn caf_threshold_until_2026_is_two_months_of_net_rent() {
    // Net rent 380: threshold 760. The balance is ≥ 760 from 01/10 (960, then 760, 1 340,
    // 1 140, 1 040): reached on 01/10/2026, to report by 01/12/2026.
    let v = autumn_2026();
    let c = caf_threshold(
        &v,
        dec!(380),
        &[],
        d(2026, 11, 22),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(c.regime, CafRegime::TwoMonthsOfRent);
    assert_eq!(c.reached_on, Some(d(2026, 10, 1)));
    assert_eq!(c.report_by, Some(d(2026, 12, 1)));
    assert!(c.to_report && !c.late);
    assert!(c.rule_fr.contains("760,00 €"), "{}", c.rule_fr);
    let late = caf_threshold(
        &v,
        dec!(380),
        &[],
        d(2026, 12, 2),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert!(late.late);
    // Reported on 15/10 (after the debt began on 01/09): nothing to do.
    let done = caf_threshold(
        &v,
        dec!(380),
        &[d(2026, 10, 15)],
        d(2026, 11, 22),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(done.reported_on, Some(d(2026, 10, 15)));
    assert!(!done.to_report);
    // A report of an earlier debt (before 01/09) does not count.
    let old = caf_threshold(
        &v,
        dec!(380),
        &[d(2026, 3, 1)],
        d(2026, 11, 22),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert!(old.to_report);
    // On 20/09 the balance is 380 < 760: not reached.
    let before = caf_threshold(
        &v,
        dec!(380),
        &[],
        d(2026, 9, 20),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(before.reached_on, None);
    // In the flags: the dossier is to report.
    let open = dossier(OpenReason::FirstUnpaid);
    let a = assess(
        &facts(&v, Some(&open)),
        d(2026, 11, 22),
        &DetectionRules::default(),
    );
    assert_eq!(a.flags, vec![Flag::CafReport]);
}

#[test]
fn caf_report_date_moves_past_sunday_and_all_saints() {
    // Net rent 380, two calls unpaid: 760 ≥ 2 × 380 from 01/09/2026. 01/09 + 2 months is
    // Sunday 01/11/2026, All Saints' Day: the report is due Monday 02/11/2026, the date the
    // deadline engine gives too.
    let v = vec![
        e(d(2026, 8, 1), EntryKind::RentCall, dec!(380)),
        e(d(2026, 9, 1), EntryKind::RentCall, dec!(380)),
    ];
    let c = caf_threshold(
        &v,
        dec!(380),
        &[],
        d(2026, 10, 1),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(c.reached_on, Some(d(2026, 9, 1)));
    assert_eq!(c.report_by, Some(d(2026, 11, 2)));
}

#[test]
fn caf_threshold_from_2027_three_months_or_450() {
    // A steady 80 € gap: 12/2026 call 580, APL 200, paid 300 → 80; then each month 580
    // called, 200 APL, 380 paid → back to 80. Balance > 0 since 01/12/2026, never > 450
    // for good (460 on the 5th, 80 on the 10th): reached three months after, 01/03/2027.
    let mut v = vec![
        e(d(2026, 12, 1), EntryKind::RentCall, dec!(580)),
        e(d(2026, 12, 5), EntryKind::HousingBenefit, dec!(-200)),
        e(d(2026, 12, 10), EntryKind::Payment, dec!(-300)),
    ];
    for m in 1..=3 {
        v.push(e(d(2027, m, 1), EntryKind::RentCall, dec!(580)));
        v.push(e(d(2027, m, 5), EntryKind::HousingBenefit, dec!(-200)));
        v.push(e(d(2027, m, 10), EntryKind::Payment, dec!(-380)));
    }
    let c = caf_threshold(
        &v,
        dec!(380),
        &[],
        d(2027, 3, 15),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(c.regime, CafRegime::ThreeMonthsOrAmount);
    assert_eq!(c.reached_on, Some(d(2027, 3, 1)));
    // 01/03 + 2 months = Saturday 01/05/2027, also Labour Day: due Monday 03/05.
    assert_eq!(c.report_by, Some(d(2027, 5, 3)));
    // On 28/02/2027 the three months are not over.
    let feb = caf_threshold(
        &v,
        dec!(380),
        &[],
        d(2027, 2, 28),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(feb.reached_on, None);
    // Above 450 €: called 580 on 01/01/2027, 100 paid on 20/01 → 480 > 450 since 01/01.
    let w = vec![
        e(d(2027, 1, 1), EntryKind::RentCall, dec!(580)),
        e(d(2027, 1, 20), EntryKind::Payment, dec!(-100)),
    ];
    let c = caf_threshold(
        &w,
        dec!(580),
        &[],
        d(2027, 2, 20),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(c.reached_on, Some(d(2027, 1, 1)));
    assert_eq!(c.report_by, Some(d(2027, 3, 1)));
    // Exactly 450 is not above 450.
    let x = vec![e(d(2027, 1, 1), EntryKind::RentCall, dec!(450))];
    let c = caf_threshold(
        &x,
        dec!(450),
        &[],
        d(2027, 2, 20),
        &CafRules::default(),
        Zone::Metropole,
    );
    assert_eq!(c.reached_on, None);
}

#[test]
fn no_caf_threshold_without_apl_and_prescription_for_departed_tenants() {
    let v = vec![e(d(2023, 10, 1), EntryKind::RentCall, dec!(600))];
    let mut f = facts(&v, None);
    f.housing_benefit = false;
    let a = assess(&f, d(2026, 8, 1), &DetectionRules::default());
    assert_eq!(a.caf, None);
    // A departed tenant's APL has stopped: no CAF threshold either.
    f.housing_benefit = true;
    f.status = TenantStatus::Departed;
    let a = assess(&f, d(2026, 8, 1), &DetectionRules::default());
    assert_eq!(a.caf, None);
    assert_eq!(a.prescriptions.len(), 1);
    assert_eq!(a.prescriptions[0].prescribed_on, d(2026, 10, 1));
    // 01/10/2026 is within six months of 01/08/2026.
    assert_eq!(a.flags, vec![Flag::Prescription]);
}

#[test]
fn referents_cover_the_sector_and_share_the_load() {
    let staff = vec![
        Staff {
            login: "b".into(),
            full_name: "B".into(),
            role: Role::Amicable,
            sectors: vec!["MUL".into()],
            phone: None,
        },
        Staff {
            login: "a".into(),
            full_name: "A".into(),
            role: Role::Amicable,
            sectors: vec!["MUL".into()],
            phone: None,
        },
        Staff {
            login: "c".into(),
            full_name: "C".into(),
            role: Role::Amicable,
            sectors: vec!["BRS".into()],
            phone: None,
        },
        Staff {
            login: "z".into(),
            full_name: "Z".into(),
            role: Role::Cesf,
            sectors: vec![],
            phone: None,
        },
    ];
    let mut load = HashMap::new();
    assert_eq!(
        choose_referent(&staff, Role::Amicable, Some("MUL"), &load),
        Some("a")
    );
    load.insert("a".to_string(), 3);
    assert_eq!(
        choose_referent(&staff, Role::Amicable, Some("MUL"), &load),
        Some("b")
    );
    assert_eq!(choose_referent(&staff, Role::Amicable, None, &load), None);
    assert_eq!(
        choose_referent(&staff, Role::Cesf, Some("BRS"), &load),
        Some("z")
    );
    assert_eq!(
        choose_referent(&staff, Role::Litigation, Some("BRS"), &load),
        None
    );
}
