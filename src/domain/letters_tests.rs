use super::*;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

const TODAY: (i32, u32, u32) = (2026, 11, 22);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

/// An amicable dossier owing one month (500 €, rent net 500 €) since 1 November, no reminder.
fn facts() -> DossierFacts {
    DossierFacts {
        dossier_id: 7,
        household_id: 3,
        account: "411-000003".into(),
        name: "Élodie Béranger".into(),
        phase: Phase::Amicable,
        debt: dec!(500),
        monthly_net: dec!(500),
        arrears_since: Some(d(2026, 11, 1)),
        reminders: Vec::new(),
        appointments: Vec::new(),
        promises: Vec::new(),
        overindebtedness: false,
        agency: false,
        plan: None,
        last_credit_id: 40,
    }
}

fn letter_of(f: &DossierFacts) -> Option<LetterKind> {
    match decide(f, today(), &Campaign::default()) {
        Decision::Letter { letter, .. } => Some(letter),
        _ => None,
    }
}

#[test]
fn shipped_campaign_parses_with_six_rules() {
    let c = Campaign::parse(DEFAULT_CAMPAIGN, "campagne.toml").expect("shipped file parses");
    assert_eq!(c.rules.len(), 6);
    assert_eq!(c.skip.min_debt, dec!(15));
    assert_eq!(c.rules[0].letter, LetterKind::MiseEnDemeure);
}

#[test]
fn first_unpaid_without_reminder_gets_level_1() {
    // Unpaid since 01/11, 21 days ≥ 10; no reminder at all.
    let f = facts();
    match decide(&f, today(), &Campaign::default()) {
        Decision::Letter { letter, reason } => {
            assert_eq!(letter, LetterKind::Relance1);
            assert!(
                reason.contains("impayé depuis le 01/11/2026 (21 jours)"),
                "{reason}"
            );
            assert!(reason.contains("aucune relance"), "{reason}");
            assert!(reason.contains("dette 500,00 €"), "{reason}");
        }
        other => panic!("expected a letter, got {other:?}"),
    }
}

#[test]
fn unpaid_for_less_than_ten_days_gets_nothing() {
    // Unpaid since 13/11: 9 days on 22/11.
    let mut f = facts();
    f.arrears_since = Some(d(2026, 11, 13));
    assert_eq!(letter_of(&f), None);
    // 12/11: exactly 10 days.
    f.arrears_since = Some(d(2026, 11, 12));
    assert_eq!(letter_of(&f), Some(LetterKind::Relance1));
}

#[test]
fn level_1_older_than_fifteen_days_gives_level_2() {
    let mut f = facts();
    // Level 1 on 07/11: 15 days on 22/11 → level 2.
    f.reminders = vec![(d(2026, 11, 7), ReminderLevel::Level1)];
    assert_eq!(letter_of(&f), Some(LetterKind::Relance2));
    // Level 1 on 08/11: 14 days → nothing yet (and no second level 1: one was sent).
    f.reminders = vec![(d(2026, 11, 8), ReminderLevel::Level1)];
    assert_eq!(letter_of(&f), None);
}

#[test]
fn broken_plan_gives_a_formal_notice_once() {
    let mut f = facts();
    f.reminders = vec![(d(2026, 9, 1), ReminderLevel::Level2)];
    f.plan = Some((PlanStatus::Broken, Some(d(2026, 11, 15))));
    match decide(&f, today(), &Campaign::default()) {
        Decision::Letter { letter, reason } => {
            assert_eq!(letter, LetterKind::MiseEnDemeure);
            assert!(
                reason.contains("plan d'apurement rompu le 15/11/2026"),
                "{reason}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A formal notice on 16/11, after the break: not again. The latest reminder is then a
    // formal notice, which no other shipped rule follows.
    f.reminders
        .push((d(2026, 11, 16), ReminderLevel::FormalNotice));
    assert_eq!(letter_of(&f), None);
}

#[test]
fn litigation_surendettement_and_promise_are_skipped() {
    let campaign = Campaign::default();
    let mut f = facts();
    f.overindebtedness = true;
    assert_eq!(
        decide(&f, today(), &campaign),
        Decision::Skipped {
            letter: LetterKind::Relance1,
            reason: "dossier de surendettement".into()
        }
    );
    let mut f = facts();
    f.promises = vec![(dec!(200), d(2026, 11, 30)), (dec!(50), d(2026, 10, 1))];
    match decide(&f, today(), &campaign) {
        Decision::Skipped { reason, .. } => assert_eq!(
            reason,
            "promesse de paiement de 200,00 € au 30/11/2026, pas encore échue"
        ),
        other => panic!("{other:?}"),
    }
    let mut g = facts();
    g.agency = true;
    assert!(matches!(
        decide(&g, today(), &campaign),
        Decision::Skipped { .. }
    ));
    // A promise due yesterday no longer protects.
    f.promises = vec![(dec!(200), d(2026, 11, 21))];
    assert_eq!(letter_of(&f), Some(LetterKind::Relance1));
    // Litigation: no shipped rule applies to that phase, so nothing at all is listed.
    let mut f = facts();
    f.phase = Phase::Litigation;
    assert_eq!(decide(&f, today(), &campaign), Decision::Nothing);
    // A user rule aimed at litigation is still stopped by the skip rules.
    let mut c = campaign.clone();
    c.rules[2].phases = vec![Phase::Litigation];
    assert!(matches!(decide(&f, today(), &c), Decision::Skipped { .. }));
}

#[test]
fn small_debt_gets_nothing() {
    let mut f = facts();
    f.debt = dec!(14.99);
    assert_eq!(decide(&f, today(), &Campaign::default()), Decision::Nothing);
}

#[test]
fn plan_proposal_then_convocation_after_level_2() {
    let mut f = facts();
    // 1 200 € at 500 €/month = 2.4 months; level 2 on 15/10, 38 days ago.
    f.debt = dec!(1200);
    f.reminders = vec![
        (d(2026, 9, 30), ReminderLevel::Level1),
        (d(2026, 10, 15), ReminderLevel::Level2),
    ];
    assert_eq!(letter_of(&f), Some(LetterKind::PropositionPlan));
    // Under two months: convocation instead.
    f.debt = dec!(900);
    assert_eq!(letter_of(&f), Some(LetterKind::Convocation));
    // Convoked 30 days ago (within 45): nothing.
    f.appointments = vec![d(2026, 10, 23)];
    assert_eq!(letter_of(&f), None);
}

#[test]
fn departed_tenant_letter_every_sixty_days() {
    let mut f = facts();
    f.phase = Phase::Departed;
    assert_eq!(letter_of(&f), Some(LetterKind::LocataireParti));
    // A level 1 reminder (what this letter records) 59 days ago: not yet.
    f.reminders = vec![(d(2026, 9, 24), ReminderLevel::Level1)];
    assert_eq!(letter_of(&f), None);
    // 60 days ago: again.
    f.reminders = vec![(d(2026, 9, 23), ReminderLevel::Level1)];
    assert_eq!(letter_of(&f), Some(LetterKind::LocataireParti));
}

#[test]
fn select_filters_levels_and_sorts() {
    let mut a = facts();
    a.account = "411-000009".into();
    let mut b = facts();
    b.account = "411-000002".into();
    b.dossier_id = 8;
    b.reminders = vec![(d(2026, 11, 1), ReminderLevel::Level1)];
    let mut c = facts();
    c.account = "411-000001".into();
    c.promises = vec![(dec!(100), d(2026, 12, 5))];
    let all = [a, b, c];
    let batch = select(&all, today(), &Campaign::default(), &[]);
    let got: Vec<_> = batch
        .letters
        .iter()
        .map(|s| (s.letter, s.account.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (LetterKind::Relance2, "411-000002"),
            (LetterKind::Relance1, "411-000009")
        ]
    );
    assert_eq!(batch.excluded.len(), 1);
    assert_eq!(batch.excluded[0].account, "411-000001");
    let only = select(&all, today(), &Campaign::default(), &[LetterKind::Relance1]);
    assert_eq!(only.letters.len(), 1);
    assert_eq!(only.letters[0].account, "411-000009");
}

#[test]
fn paid_since_the_selection_is_dropped() {
    let campaign = Campaign::default();
    let f = facts();
    let batch = select(std::slice::from_ref(&f), today(), &campaign, &[]);
    let s = &batch.letters[0];
    // Nothing moved: still due.
    assert_eq!(recheck(s, Some(&f), today(), &campaign), Ok(()));
    // A 20 € payment arrived (new credit entry 41): the debt is 480 €, the rules would still
    // send a level 1, but the tenant just paid: the letter is dropped.
    let mut now = f.clone();
    now.last_credit_id = 41;
    now.debt = dec!(480);
    let err = recheck(s, Some(&now), today(), &campaign).expect_err("paid");
    assert_eq!(
        err,
        "versement reçu depuis la sélection (dette 500,00 € → 480,00 €)"
    );
    // The debt fell without a new entry id (a credit note re-dated, say): dropped too.
    let mut now = f.clone();
    now.debt = dec!(10);
    assert!(recheck(s, Some(&now), today(), &campaign).is_err());
    // A promise recorded since: dropped with that reason.
    let mut now = f.clone();
    now.promises = vec![(dec!(500), d(2026, 11, 28))];
    assert!(
        recheck(s, Some(&now), today(), &campaign)
            .expect_err("promise")
            .starts_with("promesse")
    );
    // Closed since.
    assert!(recheck(s, None, today(), &campaign).is_err());
}

#[test]
fn proposal_schedule_is_hand_computed() {
    let p = PlanProposal::default();
    // 1 000 €: 1000/30 = 33 → at most 12 months: 12 × 83 € + 87 € (the remainder).
    let s = proposed_schedule(dec!(1000), today(), &p);
    assert_eq!(s.len(), 12);
    assert_eq!(s[0].due_on, d(2026, 12, 10));
    assert_eq!(s[0].amount, dec!(83));
    assert_eq!(s[11].due_on, d(2027, 11, 10));
    assert_eq!(s[11].amount, dec!(87));
    // 100 €: 100/30 = 3.33 → 3 instalments of 33, 33, 34.
    let s = proposed_schedule(dec!(100), today(), &p);
    assert_eq!(
        s.iter().map(|i| i.amount).collect::<Vec<_>>(),
        vec![dec!(33), dec!(33), dec!(34)]
    );
    // 20 €: below one minimum instalment → one instalment.
    assert_eq!(proposed_schedule(dec!(20), today(), &p).len(), 1);
}

#[test]
fn appointment_moves_to_a_working_day() {
    let r = ConvocationRules::default();
    // 22/11/2026 is a Sunday; +10 days = Wednesday 02/12/2026.
    let z = crate::domain::calendar::Zone::Metropole;
    assert_eq!(appointment_day(today(), &r, z), d(2026, 12, 2));
    // From 15/12/2026 (Tuesday) +10 = Friday 25/12 (Christmas) → Monday 28/12 in métropole;
    // in Alsace-Moselle 26/12 is a holiday too, a Saturday anyway → Monday 28/12.
    assert_eq!(appointment_day(d(2026, 12, 15), &r, z), d(2026, 12, 28));
}

#[test]
fn campaign_errors_name_line_and_column() {
    let err = Campaign::parse("[[rule]]\nletter = \"relance_3\"\n", "c.toml").expect_err("bad");
    assert_eq!(err.line, 2);
    assert!(err.to_string().contains("c.toml"), "{err}");
    let err = Campaign::parse("[skip]\nfoo = 1\n", "c.toml").expect_err("unknown key");
    assert_eq!(err.line, 2);
}

#[test]
fn letter_codes_round_trip_and_events() {
    for k in LetterKind::ALL {
        assert_eq!(LetterKind::from_code(k.code()), Some(k));
    }
    assert_eq!(
        LetterKind::from_code("relance-2"),
        Some(LetterKind::Relance2)
    );
    assert_eq!(
        LetterKind::MiseEnDemeure.event(today()),
        EventDetail::Reminder {
            channel: Channel::Letter,
            level: ReminderLevel::FormalNotice
        }
    );
    assert_eq!(
        LetterKind::Convocation.event(d(2026, 12, 2)),
        EventDetail::Appointment {
            scheduled_on: d(2026, 12, 2),
            attended: None
        }
    );
}
