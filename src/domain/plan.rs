//! Plans d'apurement: instalments generated from an amount, and followed against what the
//! account shows was actually paid.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::add_months;
use super::ledger::{Entry, EntryKind};

/// Where a plan stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// Running.
    Active,
    /// Every instalment honoured: finished and respected.
    Respected,
    /// Two instalments missed: the plan is broken.
    Broken,
    /// Replaced by a new plan or a court's payment delays.
    Replaced,
}

impl PlanStatus {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Active => "active",
            PlanStatus::Respected => "respected",
            PlanStatus::Broken => "broken",
            PlanStatus::Replaced => "replaced",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            PlanStatus::Active,
            PlanStatus::Respected,
            PlanStatus::Broken,
            PlanStatus::Replaced,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            PlanStatus::Active => "en cours",
            PlanStatus::Respected => "respecté",
            PlanStatus::Broken => "rompu",
            PlanStatus::Replaced => "remplacé",
        }
    }
}

/// One instalment of a plan, paid on top of the current rent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instalment {
    /// Due date.
    pub due_on: NaiveDate,
    /// Amount due on top of the rent.
    pub amount: Decimal,
}

/// A plan d'apurement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// Database id.
    pub id: i64,
    /// The dossier it settles.
    pub dossier_id: i64,
    /// Signature date.
    pub signed_on: NaiveDate,
    /// Debt covered.
    pub amount: Decimal,
    /// Approved by the CAF, which keeps the APL going.
    pub caf_approved: bool,
    /// Status as last recorded.
    pub status: PlanStatus,
    /// Instalments, in date order.
    pub instalments: Vec<Instalment>,
}

/// Splits `amount` into `count` monthly instalments from `first_due`: equal instalments rounded
/// to the euro, the last one taking the remainder so that the total is exact.
pub fn generate_instalments(amount: Decimal, count: u32, first_due: NaiveDate) -> Vec<Instalment> {
    if count == 0 || amount <= Decimal::ZERO {
        return Vec::new();
    }
    let n = Decimal::from(count);
    let mut each = (amount / n).round_dp(0);
    if each * (n - Decimal::ONE) >= amount {
        each = (amount / n).round_dp(2);
    }
    let mut out = Vec::with_capacity(count as usize);
    let mut left = amount;
    for i in 0..count {
        let due_on = add_months(first_due, i as i32);
        let value = if i + 1 == count { left } else { each };
        left -= value;
        out.push(Instalment {
            due_on,
            amount: value,
        });
    }
    out
}

/// How one instalment went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InstalmentState {
    /// Paid with the current rent by its due date (plus the grace days).
    Honoured,
    /// Not paid in time.
    Missed,
    /// Not yet due.
    ToCome,
}

impl InstalmentState {
    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            InstalmentState::Honoured => "honorée",
            InstalmentState::Missed => "manquée",
            InstalmentState::ToCome => "à venir",
        }
    }
}

/// A plan's instalments with their state, and the plan's status derived from them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanFollowUp {
    /// Each instalment and its state, in date order.
    pub instalments: Vec<(Instalment, InstalmentState)>,
    /// Status that follows from the account.
    pub status: PlanStatus,
    /// Instalments missed so far.
    pub missed: usize,
}

/// Days after the due date a payment still honours an instalment.
pub const GRACE_DAYS: i64 = 10;
/// Missed instalments that break a plan.
pub const MISSED_TO_BREAK: usize = 2;

/// Follows a plan against the account. An instalment is honoured when everything credited to
/// the account since signing (payments, APL, aid) covers, by its due date plus the grace days,
/// all the charges called since signing plus the instalments due so far. This cumulative rule
/// lets a late catch-up honour the later instalments, as officers count it.
pub fn follow_plan(plan: &Plan, entries: &[Entry], today: NaiveDate) -> PlanFollowUp {
    if plan.status == PlanStatus::Replaced {
        return PlanFollowUp {
            instalments: plan
                .instalments
                .iter()
                .map(|i| {
                    let st = if i.due_on > today {
                        InstalmentState::ToCome
                    } else {
                        InstalmentState::Missed
                    };
                    (i.clone(), st)
                })
                .collect(),
            status: PlanStatus::Replaced,
            missed: 0,
        };
    }
    let since: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.date > plan.signed_on && e.kind != EntryKind::WriteOff)
        .collect();
    let mut states = Vec::with_capacity(plan.instalments.len());
    let mut instalments_due = Decimal::ZERO;
    let mut missed = 0;
    for inst in &plan.instalments {
        instalments_due += inst.amount;
        let deadline = inst.due_on + chrono::Duration::days(GRACE_DAYS);
        if deadline > today {
            states.push((inst.clone(), InstalmentState::ToCome));
            continue;
        }
        let charged: Decimal = since
            .iter()
            .filter(|e| e.amount > Decimal::ZERO && e.date <= inst.due_on)
            .map(|e| e.amount)
            .sum();
        let credited: Decimal = since
            .iter()
            .filter(|e| e.amount < Decimal::ZERO && e.date <= deadline)
            .map(|e| -e.amount)
            .sum();
        let state = if credited >= charged + instalments_due {
            InstalmentState::Honoured
        } else {
            missed += 1;
            InstalmentState::Missed
        };
        states.push((inst.clone(), state));
    }
    let status = if missed >= MISSED_TO_BREAK {
        PlanStatus::Broken
    } else if states.iter().all(|(_, s)| *s == InstalmentState::Honoured) && !states.is_empty() {
        PlanStatus::Respected
    } else {
        PlanStatus::Active
    };
    PlanFollowUp {
        instalments: states,
        status,
        missed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn instalments_add_up_exactly() {
        let v = generate_instalments(dec!(1000), 3, d(2026, 1, 10));
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].amount, dec!(333));
        assert_eq!(v[1].amount, dec!(333));
        assert_eq!(v[2].amount, dec!(334));
        assert_eq!(v[2].due_on, d(2026, 3, 10));
        let total: Decimal = v.iter().map(|i| i.amount).sum();
        assert_eq!(total, dec!(1000));
        let small = generate_instalments(dec!(10), 4, d(2026, 1, 31));
        let total: Decimal = small.iter().map(|i| i.amount).sum();
        assert_eq!(total, dec!(10));
        assert_eq!(small[1].due_on, d(2026, 2, 28));
        assert!(generate_instalments(dec!(10), 0, d(2026, 1, 1)).is_empty());
    }

    fn plan() -> Plan {
        Plan {
            id: 1,
            dossier_id: 1,
            signed_on: d(2026, 1, 15),
            amount: dec!(300),
            caf_approved: false,
            status: PlanStatus::Active,
            instalments: generate_instalments(dec!(300), 3, d(2026, 2, 10)),
        }
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

    #[test]
    fn follows_payments_with_catch_up() {
        // Rent 400 a month; tenant pays 500 in Feb, 400 in Mar (missed), 600 in Apr (catch-up).
        let entries = vec![
            e(d(2026, 2, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 2, 8), EntryKind::Payment, dec!(-500)),
            e(d(2026, 3, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 3, 8), EntryKind::Payment, dec!(-400)),
            e(d(2026, 4, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 4, 8), EntryKind::Payment, dec!(-600)),
        ];
        let f = follow_plan(&plan(), &entries, d(2026, 5, 1));
        let states: Vec<_> = f.instalments.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            states,
            vec![
                InstalmentState::Honoured,
                InstalmentState::Missed,
                InstalmentState::Honoured
            ]
        );
        assert_eq!(f.missed, 1);
        assert_eq!(f.status, PlanStatus::Active);
    }

    #[test]
    fn respected_and_broken() {
        let good = vec![
            e(d(2026, 2, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 2, 5), EntryKind::HousingBenefit, dec!(-150)),
            e(d(2026, 2, 8), EntryKind::Payment, dec!(-350)),
            e(d(2026, 3, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 3, 5), EntryKind::HousingBenefit, dec!(-150)),
            e(d(2026, 3, 8), EntryKind::Payment, dec!(-350)),
            e(d(2026, 4, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 4, 5), EntryKind::HousingBenefit, dec!(-150)),
            e(d(2026, 4, 8), EntryKind::Payment, dec!(-350)),
        ];
        assert_eq!(
            follow_plan(&plan(), &good, d(2026, 6, 1)).status,
            PlanStatus::Respected
        );
        // Still in course: the third instalment is not due (with grace) on 15 April.
        let f = follow_plan(&plan(), &good, d(2026, 4, 15));
        assert_eq!(f.status, PlanStatus::Active);
        assert_eq!(f.instalments[2].1, InstalmentState::ToCome);
        let bad = vec![
            e(d(2026, 2, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 2, 8), EntryKind::Payment, dec!(-400)),
            e(d(2026, 3, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 3, 8), EntryKind::Payment, dec!(-400)),
        ];
        let f = follow_plan(&plan(), &bad, d(2026, 3, 25));
        assert_eq!(f.status, PlanStatus::Broken);
        assert_eq!(f.missed, 2);
    }
}
