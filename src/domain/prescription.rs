//! Prescription of rent debts (domain.md §5): an unpaid rent can no longer be claimed three
//! years after it fell due (article 7-1 of the loi du 6 juillet 1989); a judgement makes the
//! debt it covers enforceable for ten years (article L111-4 of the Code des procédures civiles
//! d'exécution). This matters most for departed tenants, whom the service follows for years.
//!
//! The rule here is deliberately simple, and its constants are in `PrescriptionRules` rather
//! than in the code: the delay runs from each unpaid charge's date; a plan d'apurement signed
//! by the tenant (an acknowledgement of the debt, article 2240 of the Code civil) or a summons
//! (a claim in court, article 2241) dated on or after the charge and before its prescription
//! starts a new full delay; a judgement does the same with the ten-year delay. Other causes
//! (suspension during surendettement, execution steps) are not counted: the screen says the
//! rule is simplified, for the litigation officer to check.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::dates::add_months;
use super::event::{EventDetail, JudgementOutcome};
use super::ledger::UnpaidCharge;

/// The delays, in months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrescriptionRules {
    /// Prescription of a rent debt: 36 months.
    pub months: i32,
    /// Enforceability of a judgement: 120 months.
    pub judgement_months: i32,
    /// How long before the date a dossier is flagged: 6 months.
    pub warn_months: i32,
}

impl Default for PrescriptionRules {
    fn default() -> Self {
        PrescriptionRules {
            months: 36,
            judgement_months: 120,
            warn_months: 6,
        }
    }
}

/// What restarts the delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InterruptionKind {
    /// The tenant acknowledged the debt (plan d'apurement signed).
    Acknowledgement,
    /// The landlord claimed it in court (assignation).
    Claim,
    /// A court ordered the tenant to pay.
    Judgement,
}

impl InterruptionKind {
    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            InterruptionKind::Acknowledgement => "plan signé (reconnaissance de dette)",
            InterruptionKind::Claim => "assignation",
            InterruptionKind::Judgement => "jugement",
        }
    }
}

/// A dated act that restarts the delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Interruption {
    /// Its date.
    pub date: NaiveDate,
    /// What it is.
    pub kind: InterruptionKind,
}

impl Interruption {
    /// The interruption an event of the timeline stands for, if any.
    pub fn from_event(date: NaiveDate, detail: &EventDetail) -> Option<Interruption> {
        let kind = match detail {
            EventDetail::PlanSigned { .. } => InterruptionKind::Acknowledgement,
            EventDetail::Summons { .. } => InterruptionKind::Claim,
            EventDetail::Judgement { outcome, .. } if *outcome != JudgementOutcome::Dismissed => {
                InterruptionKind::Judgement
            }
            _ => return None,
        };
        Some(Interruption { date, kind })
    }
}

/// When a charge dated `charged_on` is prescribed, and the act the date follows from (None:
/// the charge itself). `interruptions` may be in any order.
pub fn prescription_date(
    charged_on: NaiveDate,
    interruptions: &[Interruption],
    rules: &PrescriptionRules,
) -> (NaiveDate, Option<Interruption>) {
    let mut sorted: Vec<&Interruption> = interruptions
        .iter()
        .filter(|i| i.date >= charged_on)
        .collect();
    sorted.sort_by_key(|i| i.date);
    let mut deadline = add_months(charged_on, rules.months);
    let mut basis = None;
    for i in sorted {
        if i.date >= deadline {
            break; // already prescribed: a later act does not revive the debt
        }
        let months = match i.kind {
            InterruptionKind::Judgement => rules.judgement_months,
            InterruptionKind::Acknowledgement | InterruptionKind::Claim => rules.months,
        };
        let new = add_months(i.date, months);
        if new > deadline {
            deadline = new;
            basis = Some(*i);
        }
    }
    (deadline, basis)
}

/// One unpaid charge and its prescription date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChargePrescription {
    /// Date of the charge.
    pub charged_on: NaiveDate,
    /// Its label.
    pub label: String,
    /// What remains unpaid of it.
    pub remaining: Decimal,
    /// Date it can no longer be claimed.
    pub prescribed_on: NaiveDate,
    /// The act that last restarted the delay, if any.
    pub basis: Option<Interruption>,
}

/// The prescription date of each unpaid charge, oldest charge first.
pub fn prescriptions(
    unpaid: &[UnpaidCharge],
    interruptions: &[Interruption],
    rules: &PrescriptionRules,
) -> Vec<ChargePrescription> {
    unpaid
        .iter()
        .map(|u| {
            let (prescribed_on, basis) = prescription_date(u.date, interruptions, rules);
            ChargePrescription {
                charged_on: u.date,
                label: u.label.clone(),
                remaining: u.remaining,
                prescribed_on,
                basis,
            }
        })
        .collect()
}

/// Why a dossier is flagged: part of its debt is prescribed, or will be soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrescriptionAlert {
    /// Earliest prescription date among the unpaid charges.
    pub earliest: NaiveDate,
    /// Debt already prescribed on `today`.
    pub prescribed: Decimal,
    /// Debt that will be within the warning period.
    pub soon: Decimal,
}

/// The alert for a set of charges on `today`: some debt prescribed, or some that will be
/// within `warn_months`. None when nothing is near.
pub fn alert(
    dates: &[ChargePrescription],
    today: NaiveDate,
    rules: &PrescriptionRules,
) -> Option<PrescriptionAlert> {
    let horizon = add_months(today, rules.warn_months);
    let earliest = dates.iter().map(|c| c.prescribed_on).min()?;
    if earliest > horizon {
        return None;
    }
    let prescribed = dates
        .iter()
        .filter(|c| c.prescribed_on <= today)
        .map(|c| c.remaining)
        .sum();
    let soon = dates
        .iter()
        .filter(|c| c.prescribed_on > today && c.prescribed_on <= horizon)
        .map(|c| c.remaining)
        .sum();
    Some(PrescriptionAlert {
        earliest,
        prescribed,
        soon,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn int(date: NaiveDate, kind: InterruptionKind) -> Interruption {
        Interruption { date, kind }
    }

    #[test]
    fn three_years_from_the_charge() {
        let r = PrescriptionRules::default();
        assert_eq!(
            prescription_date(d(2025, 9, 1), &[], &r),
            (d(2028, 9, 1), None)
        );
        // 29 February: the same day three years later does not exist, the month's last does.
        assert_eq!(prescription_date(d(2024, 2, 29), &[], &r).0, d(2027, 2, 28));
    }

    #[test]
    fn a_plan_or_a_summons_restarts_the_delay_for_older_charges_only() {
        let r = PrescriptionRules::default();
        let plan = int(d(2026, 6, 20), InterruptionKind::Acknowledgement);
        // Charged 01/09/2025, acknowledged 20/06/2026: 20/06/2029.
        assert_eq!(
            prescription_date(d(2025, 9, 1), &[plan], &r),
            (d(2029, 6, 20), Some(plan))
        );
        // Charged after the plan: the plan does not cover it.
        assert_eq!(
            prescription_date(d(2026, 7, 1), &[plan], &r),
            (d(2029, 7, 1), None)
        );
        // Chained: charge 01/01/2022 → 01/01/2025; plan 01/06/2024 → 01/06/2027;
        // summons 01/05/2027 → 01/05/2030 (the list's order does not matter).
        let summons = int(d(2027, 5, 1), InterruptionKind::Claim);
        let plan = int(d(2024, 6, 1), InterruptionKind::Acknowledgement);
        assert_eq!(
            prescription_date(d(2022, 1, 1), &[summons, plan], &r),
            (d(2030, 5, 1), Some(summons))
        );
    }

    #[test]
    fn an_act_after_prescription_does_not_revive_the_debt() {
        let r = PrescriptionRules::default();
        let late = int(d(2023, 3, 15), InterruptionKind::Acknowledgement);
        assert_eq!(
            prescription_date(d(2020, 1, 1), &[late], &r),
            (d(2023, 1, 1), None)
        );
    }

    #[test]
    fn a_judgement_gives_ten_years() {
        let r = PrescriptionRules::default();
        let j = int(d(2026, 3, 10), InterruptionKind::Judgement);
        assert_eq!(
            prescription_date(d(2025, 9, 1), &[j], &r),
            (d(2036, 3, 10), Some(j))
        );
        let dismissed = EventDetail::Judgement {
            outcome: JudgementOutcome::Dismissed,
            monthly: None,
            months: None,
        };
        assert_eq!(Interruption::from_event(d(2026, 3, 10), &dismissed), None);
    }

    #[test]
    fn alert_within_six_months() {
        let r = PrescriptionRules::default();
        let unpaid = vec![
            UnpaidCharge {
                date: d(2023, 10, 1),
                remaining: dec!(200),
                charged: dec!(600),
                label: "Loyer 10/2023".into(),
            },
            UnpaidCharge {
                date: d(2024, 3, 1),
                remaining: dec!(600),
                charged: dec!(600),
                label: "Loyer 03/2024".into(),
            },
            UnpaidCharge {
                date: d(2024, 9, 1),
                remaining: dec!(600),
                charged: dec!(600),
                label: "Loyer 09/2024".into(),
            },
        ];
        let dates = prescriptions(&unpaid, &[], &r);
        assert_eq!(dates[0].prescribed_on, d(2026, 10, 1));
        assert_eq!(dates[1].prescribed_on, d(2027, 3, 1));
        assert_eq!(dates[2].prescribed_on, d(2027, 9, 1));
        // On 22/11/2026: 200 prescribed since 01/10/2026; 600 on 01/03/2027, within six
        // months (horizon 22/05/2027); 01/09/2027 is beyond.
        let a = alert(&dates, d(2026, 11, 22), &r).expect("alert");
        assert_eq!(a.earliest, d(2026, 10, 1));
        assert_eq!(a.prescribed, dec!(200));
        assert_eq!(a.soon, dec!(600));
        // On 01/03/2026 the first date, 01/10/2026, is 7 months away: no alert yet.
        assert_eq!(alert(&dates, d(2026, 3, 1), &r), None);
        assert!(alert(&dates, d(2026, 4, 1), &r).is_some());
    }
}
