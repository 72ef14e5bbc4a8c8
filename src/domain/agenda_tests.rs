//! Hand-computed cases of each agenda rule. The meeting is on Monday 23/11/2026, the previous
//! one on 19/10/2026; the base dossier has no reason to come up.

use super::*;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn ctx() -> AgendaContext {
    AgendaContext {
        date: d(2026, 11, 23),
        last_review: Some(d(2026, 10, 19)),
    }
}

/// Opened long ago, 1 600 € owed on 500 € a month (3,2 months), a contact 10 days ago.
fn base() -> DossierFacts {
    DossierFacts {
        dossier_id: 1,
        household_id: 1,
        account: "411-000001".into(),
        name: "Jeanne Test".into(),
        sector: "MUL".into(),
        referent: Some("pmuller".into()),
        phase: Phase::Amicable,
        opened_on: d(2026, 3, 10),
        open_reason: OpenReason::FirstUnpaid,
        debt: dec!(1600),
        debt_before: dec!(1600),
        monthly_net: dec!(500),
        plan_broken_on: None,
        last_contact: Some(d(2026, 11, 13)),
        cesf_requested_on: None,
        deadlines: vec![],
        pending_actions: vec![],
    }
}

fn codes(f: &DossierFacts) -> Vec<ReasonCode> {
    reasons(f, &ctx(), &AgendaRules::default())
        .into_iter()
        .map(|r| r.code)
        .collect()
}

fn deadline(kind: RuleKind, expires: NaiveDate, next: Option<NaiveDate>) -> Deadline {
    Deadline {
        rule_id: "payment-order".into(),
        label: "Commandement de payer".into(),
        kind,
        from: d(2026, 9, 1),
        expires,
        next_step_from: next,
        summary: format!(
            "Commandement de payer : assignation possible à partir du {}",
            next.map(format_fr).unwrap_or_default()
        ),
        explanation: String::new(),
        reference: String::new(),
        unverified: false,
        skipped: vec![],
        frozen_until: None,
        late: false,
    }
}

#[test]
fn a_quiet_dossier_stays_off() {
    assert_eq!(codes(&base()), vec![]);
}

#[test]
fn new_dossier_since_last_meeting_with_two_months_owed() {
    let mut f = base();
    f.opened_on = d(2026, 11, 2);
    f.debt = dec!(1100);
    f.debt_before = dec!(0);
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].code, ReasonCode::NewDossier);
    // 1 100 / 500 = 2,2 months.
    assert_eq!(
        r[0].text,
        "nouveau dossier ouvert le 02/11/2026 (premier impayé), dette 1 100,00 € (2,2 mois)"
    );
    // Opened on the previous meeting's day: already seen then.
    f.opened_on = d(2026, 10, 19);
    assert_eq!(codes(&f), vec![]);
    // Less than two months owed: the amicable officer's, not the meeting's.
    f.opened_on = d(2026, 11, 2);
    f.debt = dec!(950);
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn broken_plan_since_last_meeting() {
    let mut f = base();
    f.plan_broken_on = Some(d(2026, 11, 15));
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(r[0].code, ReasonCode::BrokenPlan);
    assert_eq!(r[0].text, "plan d'apurement rompu le 15/11/2026");
    // Broken before the last meeting: examined then.
    f.plan_broken_on = Some(d(2026, 10, 1));
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn debt_crossing_the_amount_threshold() {
    let mut f = base();
    f.debt_before = dec!(2900);
    f.debt = dec!(3100);
    f.monthly_net = dec!(2000); // 1,6 months: only the amount rule.
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(r.len(), 1);
    assert_eq!(
        r[0].text,
        "dette de 3 100,00 €, au-dessus du seuil de 3 000,00 € depuis la dernière réunion (elle était de 2 900,00 €)"
    );
    // Already above at the last meeting: not a crossing.
    f.debt_before = dec!(3000);
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn months_crossing_the_threshold() {
    let mut f = base();
    f.debt_before = dec!(1400); // 2,8 months
    f.debt = dec!(1500); // 3 months
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].code, ReasonCode::MonthsThreshold);
    assert_eq!(
        r[0].text,
        "3 mois d'impayé, seuil de 3 mois atteint depuis la dernière réunion (2,8 mois avant)"
    );
    // APL covers the rent: months undefined, no months rule.
    f.monthly_net = dec!(0);
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn legal_step_possible_since_last_meeting_or_within_the_horizon() {
    let mut f = base();
    f.deadlines = vec![deadline(
        RuleKind::Allows,
        d(2026, 11, 4),
        Some(d(2026, 11, 5)),
    )];
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(r[0].code, ReasonCode::LegalStep);
    assert!(
        r[0].text.contains("possible depuis le 05/11/2026"),
        "{}",
        r[0].text
    );
    // 23/11 + 31 days = 24/12: a step possible on 20/12 comes up, on 28/12 not yet.
    f.deadlines = vec![deadline(
        RuleKind::Allows,
        d(2026, 12, 19),
        Some(d(2026, 12, 20)),
    )];
    assert!(
        reasons(&f, &ctx(), &AgendaRules::default())[0]
            .text
            .contains("possible à partir du 20/12/2026")
    );
    f.deadlines[0].next_step_from = Some(d(2026, 12, 28));
    assert_eq!(codes(&f), vec![]);
    // Possible since before the last meeting: already examined.
    f.deadlines[0].next_step_from = Some(d(2026, 10, 2));
    assert_eq!(codes(&f), vec![]);
    // Frozen by a surendettement: no step to decide.
    f.deadlines[0].next_step_from = Some(d(2026, 11, 5));
    f.deadlines[0].frozen_until = Some(d(2027, 6, 1));
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn deadline_within_the_month_or_passed_since_last_meeting() {
    let mut f = base();
    f.deadlines = vec![deadline(RuleKind::Requires, d(2026, 12, 10), None)];
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(r[0].code, ReasonCode::Deadline);
    assert_eq!(r[0].text, "Commandement de payer : échéance le 10/12/2026");
    f.deadlines[0].expires = d(2026, 11, 20);
    assert_eq!(
        reasons(&f, &ctx(), &AgendaRules::default())[0].text,
        "Commandement de payer : délai dépassé le 20/11/2026"
    );
    f.deadlines[0].expires = d(2027, 1, 10);
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn no_contact_for_120_days_with_three_months_owed() {
    let mut f = base();
    // 23/11/2026 − 120 days = 26/07/2026.
    f.last_contact = Some(d(2026, 7, 26));
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(
        r[0].text,
        "aucun contact avec le locataire depuis le 26/07/2026 (120 jours)"
    );
    f.last_contact = Some(d(2026, 7, 27));
    assert_eq!(codes(&f), vec![]);
    // Never any contact: counted from the opening (10/03/2026, 258 days).
    f.last_contact = None;
    assert!(
        reasons(&f, &ctx(), &AgendaRules::default())[0]
            .text
            .contains("depuis l'ouverture du dossier (258 jours)")
    );
    // Less than three months owed (2,8): not worth the meeting's time.
    f.debt = dec!(1400);
    f.debt_before = dec!(1400);
    assert_eq!(codes(&f), vec![]);
    // Departed tenants are the agency's.
    f.debt = dec!(1600);
    f.debt_before = dec!(1600);
    f.phase = Phase::Departed;
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn cesf_referral_requested_since_last_meeting() {
    let mut f = base();
    f.cesf_requested_on = Some(d(2026, 11, 3));
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(r[0].code, ReasonCode::CesfReferral);
    assert_eq!(r[0].text, "orientation vers la CESF demandée le 03/11/2026");
    f.cesf_requested_on = Some(d(2026, 10, 3));
    assert_eq!(codes(&f), vec![]);
}

#[test]
fn decisions_of_last_meeting_not_done() {
    let mut f = base();
    f.pending_actions = vec![PendingAction {
        what: "Visite à domicile".into(),
        assignee: "lmeyer".into(),
        due_on: d(2026, 11, 6),
    }];
    let r = reasons(&f, &ctx(), &AgendaRules::default());
    assert_eq!(
        r[0].text,
        "décision de la dernière réunion non réalisée : « Visite à domicile » (lmeyer, pour le 06/11/2026)"
    );
}

#[test]
fn without_a_previous_meeting_the_lookback_is_31_days() {
    let c = AgendaContext {
        date: d(2026, 11, 23),
        last_review: None,
    };
    let rules = AgendaRules::default();
    assert_eq!(c.reference(&rules), d(2026, 10, 23));
    let mut f = base();
    f.plan_broken_on = Some(d(2026, 10, 24));
    let r = reasons(&f, &c, &rules);
    assert_eq!(r[0].code, ReasonCode::BrokenPlan);
    f.debt_before = dec!(2900);
    f.debt = dec!(3100);
    f.monthly_net = dec!(2000);
    assert!(reasons(&f, &c, &rules)[1].text.contains("ce mois-ci"));
}

#[test]
fn agenda_sorted_by_sector_then_referent_then_priority() {
    let mut a = base(); // MUL, pmuller, broken plan (50)
    a.account = "A".into();
    a.plan_broken_on = Some(d(2026, 11, 15));
    let mut b = base(); // MUL, pmuller, deadline (80)
    b.account = "B".into();
    b.deadlines = vec![deadline(RuleKind::Requires, d(2026, 12, 1), None)];
    let mut c = base(); // AIN, tgirard, broken plan
    c.account = "C".into();
    c.sector = "AIN".into();
    c.referent = Some("tgirard".into());
    c.plan_broken_on = Some(d(2026, 11, 15));
    let mut e = base(); // MUL, no referent
    e.account = "E".into();
    e.referent = None;
    e.plan_broken_on = Some(d(2026, 11, 15));
    let quiet = base();
    let facts = vec![a, b, c, quiet, e];
    let rules = AgendaRules::default();
    let (agenda, left) = build_agenda(&facts, &ctx(), &rules);
    assert_eq!(left, 0);
    let order: Vec<&str> = agenda
        .iter()
        .map(|p| facts[p.index].account.as_str())
        .collect();
    assert_eq!(order, vec!["C", "B", "A", "E"]);
    assert_eq!(agenda[1].priority, 80);
    // Priority first when configured so.
    let rules = AgendaRules {
        order: vec![OrderKey::Priority],
        ..AgendaRules::default()
    };
    let (agenda, _) = build_agenda(&facts, &ctx(), &rules);
    assert_eq!(facts[agenda[0].index].account, "B");
    // At most two: the deadline (80) and, of the three broken plans (50), the largest debt.
    let mut facts = facts;
    facts[4].debt = dec!(5000);
    facts[4].debt_before = dec!(5000);
    let rules = AgendaRules {
        max_items: 2,
        ..AgendaRules::default()
    };
    let (agenda, left) = build_agenda(&facts, &ctx(), &rules);
    let order: Vec<&str> = agenda
        .iter()
        .map(|p| facts[p.index].account.as_str())
        .collect();
    assert_eq!((order, left), (vec!["B", "E"], 2));
}
