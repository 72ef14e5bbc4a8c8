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
    /// Paid with the current rent in its period (plus the grace days).
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

/// Days after the due date a payment still counts for an instalment (default of `PlanRule`).
pub const GRACE_DAYS: i64 = 10;
/// Missed instalments that break a plan: one.
pub const MISSED_TO_BREAK: usize = 1;

/// How instalments are judged against the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanRule {
    /// Days after a due date that payments still count for it.
    pub grace_days: i64,
    /// Shortfall still accepted as paid (rounding, bank fees).
    pub tolerance: Decimal,
}

impl Default for PlanRule {
    fn default() -> Self {
        PlanRule {
            grace_days: GRACE_DAYS,
            tolerance: Decimal::ONE,
        }
    }
}

impl PlanRule {
    /// The rule in French, for the plan tab and `impayes show`, so that officers can check it.
    pub fn describe_fr(&self) -> String {
        format!(
            "Échéance honorée quand les paiements (locataire, APL, aides) reçus entre l'échéance \
             précédente (ou la signature) et celle-ci, {} jours de délai compris, couvrent le \
             loyer appelé sur la période plus l'échéance, à {} près ; une échéance manquée rompt \
             le plan ; une dette ramenée à zéro le rend respecté.",
            self.grace_days,
            super::money::format_eur(self.tolerance)
        )
    }
}

/// Follows a plan against the account with the default rule (see `follow_plan_with`).
pub fn follow_plan(plan: &Plan, entries: &[Entry], today: NaiveDate) -> PlanFollowUp {
    follow_plan_with(plan, entries, today, &PlanRule::default())
}

/// Follows a plan against the account. Instalment k covers the period from the previous due
/// date (the signature for the first) to its own, both shifted by the grace days; it is
/// honoured when the payments of that period (tenant payments, APL, aid; a rejected payment
/// counts against) cover the rent called in it plus the instalment, less the tolerance; it is
/// to come while its period is not over. One missed instalment breaks the plan; a balance
/// brought to zero or below after signing makes it respected (the instalments after that day
/// are honoured: nothing more is owed), as does honouring every instalment. A replaced plan
/// stays replaced.
pub fn follow_plan_with(
    plan: &Plan,
    entries: &[Entry],
    today: NaiveDate,
    rule: &PlanRule,
) -> PlanFollowUp {
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
    let grace = chrono::Duration::days(rule.grace_days);
    // The first day, from the signing on, that ends with a balance of zero or less.
    let mut sorted: Vec<&Entry> = entries.iter().filter(|e| e.date <= today).collect();
    sorted.sort_by_key(|e| e.date);
    let mut settled_on = None;
    let mut balance = Decimal::ZERO;
    for (i, e) in sorted.iter().enumerate() {
        if i > 0 && e.date > plan.signed_on && sorted[i - 1].date < plan.signed_on {
            // The signing day itself, when nothing was booked on it.
            if balance <= Decimal::ZERO {
                settled_on = Some(plan.signed_on);
                break;
            }
        }
        balance += e.amount;
        let day_end = sorted.get(i + 1).is_none_or(|n| n.date != e.date);
        if day_end && e.date >= plan.signed_on && balance <= Decimal::ZERO {
            settled_on = Some(e.date);
            break;
        }
    }
    if settled_on.is_none()
        && today >= plan.signed_on
        && sorted.last().is_some_and(|e| e.date < plan.signed_on)
        && balance <= Decimal::ZERO
    {
        settled_on = Some(plan.signed_on);
    }
    let mut states = Vec::with_capacity(plan.instalments.len());
    let mut missed = 0;
    let mut from = plan.signed_on;
    for inst in &plan.instalments {
        let to = inst.due_on + grace;
        let state = if settled_on.is_some_and(|s| s <= to) {
            InstalmentState::Honoured
        } else if to >= today {
            InstalmentState::ToCome
        } else {
            let in_period = |e: &&Entry| e.date > from && e.date <= to;
            let rent: Decimal = entries
                .iter()
                .filter(in_period)
                .filter(|e| e.kind == EntryKind::RentCall)
                .map(|e| e.amount)
                .sum();
            let paid: Decimal = -entries
                .iter()
                .filter(in_period)
                .filter(|e| {
                    matches!(
                        e.kind,
                        EntryKind::Payment | EntryKind::HousingBenefit | EntryKind::Aid
                    )
                })
                .map(|e| e.amount)
                .sum::<Decimal>();
            if paid + rule.tolerance >= rent + inst.amount {
                InstalmentState::Honoured
            } else {
                missed += 1;
                InstalmentState::Missed
            }
        };
        states.push((inst.clone(), state));
        from = to.max(from);
    }
    let all_honoured =
        !states.is_empty() && states.iter().all(|(_, s)| *s == InstalmentState::Honoured);
    let status = if settled_on.is_some() || all_honoured {
        PlanStatus::Respected
    } else if missed >= MISSED_TO_BREAK {
        PlanStatus::Broken
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

    /// Debt of 300 before signing: 700 called on 01/12/2025, 400 paid on 10/12/2025.
    fn before() -> Vec<Entry> {
        vec![
            e(d(2025, 12, 1), EntryKind::RentCall, dec!(700)),
            e(d(2025, 12, 10), EntryKind::Payment, dec!(-400)),
        ]
    }

    #[test]
    fn each_period_must_cover_its_rent_and_instalment() {
        // Plan of 15/01/2026, 3 × 100 due 10/02, 10/03, 10/04; grace 10 days, so the periods
        // are 16/01–20/02, 21/02–20/03, 21/03–20/04. Rent 400 on the 1st.
        // February: 500 paid for 400 + 100 → honoured. March: 400 for 500 → missed.
        // April: 600 for 500 → honoured (a catch-up does not mend March).
        let mut entries = before();
        entries.extend([
            e(d(2026, 2, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 2, 8), EntryKind::Payment, dec!(-500)),
            e(d(2026, 3, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 3, 8), EntryKind::Payment, dec!(-400)),
            e(d(2026, 4, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 4, 8), EntryKind::Payment, dec!(-500)),
        ]);
        // On 25/03: February honoured, March missed (its period ended on 20/03), April to
        // come; one missed instalment breaks the plan.
        let f = follow_plan(&plan(), &entries, d(2026, 3, 25));
        let states: Vec<_> = f.instalments.iter().map(|(_, s)| *s).collect();
        assert_eq!(
            states,
            vec![
                InstalmentState::Honoured,
                InstalmentState::Missed,
                InstalmentState::ToCome
            ]
        );
        assert_eq!(f.missed, 1);
        assert_eq!(f.status, PlanStatus::Broken);
        // On 01/05: balances 700, 300 (10/12), 700, 200, 600, 200, 600, 100 (08/04): never
        // zero; April honoured, March still missed: broken.
        let f = follow_plan(&plan(), &entries, d(2026, 5, 1));
        assert_eq!(f.instalments[2].1, InstalmentState::Honoured);
        assert_eq!(f.status, PlanStatus::Broken);
        // On 20/02 itself the first period is not over.
        let f = follow_plan(&plan(), &entries, d(2026, 2, 20));
        assert_eq!(f.instalments[0].1, InstalmentState::ToCome);
        assert_eq!(f.status, PlanStatus::Active);
    }

    #[test]
    fn apl_counts_a_rejected_payment_counts_against_and_tolerance_applies() {
        // February: rent 400, APL 150 + tenant 349,50 = 499,50 for 500: honoured within the
        // 1 € tolerance, missed without it. March: APL 150 + 350 + 100, then the 100 cheque
        // is rejected (+100): 500 for 500, honoured.
        let mut entries = before();
        entries.extend([
            e(d(2026, 2, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 2, 5), EntryKind::HousingBenefit, dec!(-150)),
            e(d(2026, 2, 9), EntryKind::Payment, dec!(-349.50)),
            e(d(2026, 3, 1), EntryKind::RentCall, dec!(400)),
            e(d(2026, 3, 5), EntryKind::HousingBenefit, dec!(-150)),
            e(d(2026, 3, 9), EntryKind::Payment, dec!(-350)),
            e(d(2026, 3, 10), EntryKind::Payment, dec!(-100)),
            e(d(2026, 3, 15), EntryKind::Payment, dec!(100)),
        ]);
        let f = follow_plan(&plan(), &entries, d(2026, 3, 25));
        assert_eq!(f.instalments[0].1, InstalmentState::Honoured);
        assert_eq!(f.instalments[1].1, InstalmentState::Honoured);
        assert_eq!(f.status, PlanStatus::Active);
        let strict = PlanRule {
            grace_days: 10,
            tolerance: Decimal::ZERO,
        };
        let f = follow_plan_with(&plan(), &entries, d(2026, 3, 25), &strict);
        assert_eq!(f.instalments[0].1, InstalmentState::Missed);
        assert_eq!(f.status, PlanStatus::Broken);
        assert!(strict.describe_fr().contains("10 jours"));
    }

    #[test]
    fn respected_when_every_instalment_is_paid_or_the_debt_is_cleared() {
        // Rent 400, APL 150, tenant 350 each month: 500 a period, all three honoured.
        let mut good = before();
        for m in 2..=4 {
            good.push(e(d(2026, m, 1), EntryKind::RentCall, dec!(400)));
            good.push(e(d(2026, m, 5), EntryKind::HousingBenefit, dec!(-150)));
            good.push(e(d(2026, m, 8), EntryKind::Payment, dec!(-350)));
        }
        assert_eq!(
            follow_plan(&plan(), &good, d(2026, 6, 1)).status,
            PlanStatus::Respected
        );
        // On 25/03 the balance is 100 (300 − 2 × 100) and April is to come: active. The
        // third period ends on 20/04, but the balance reaches zero on 08/04: respected then.
        let f = follow_plan(&plan(), &good, d(2026, 3, 25));
        assert_eq!(f.status, PlanStatus::Active);
        assert_eq!(f.instalments[2].1, InstalmentState::ToCome);
        assert_eq!(
            follow_plan(&plan(), &good, d(2026, 4, 9)).status,
            PlanStatus::Respected
        );
        // An aid of 300 on 20/01 clears the debt: respected at once, every instalment after
        // that day honoured though none is due yet.
        let mut aided = before();
        aided.push(e(d(2026, 1, 20), EntryKind::Aid, dec!(-300)));
        let f = follow_plan(&plan(), &aided, d(2026, 1, 25));
        assert_eq!(f.status, PlanStatus::Respected);
        assert!(
            f.instalments
                .iter()
                .all(|(_, s)| *s == InstalmentState::Honoured)
        );
        // The same aid on the signing day clears it as well; one on 14/01, before signing,
        // leaves the plan with nothing to pay from the start: respected too.
        for on in [d(2026, 1, 15), d(2026, 1, 14)] {
            let mut early = before();
            early.push(e(on, EntryKind::Aid, dec!(-300)));
            let f = follow_plan(&plan(), &early, d(2026, 1, 25));
            assert_eq!(f.status, PlanStatus::Respected, "aid on {on}");
        }
    }

    #[test]
    fn a_replaced_plan_stays_replaced() {
        let mut p = plan();
        p.status = PlanStatus::Replaced;
        let f = follow_plan(&p, &before(), d(2026, 3, 1));
        assert_eq!(f.status, PlanStatus::Replaced);
        assert_eq!(f.missed, 0);
    }
}
