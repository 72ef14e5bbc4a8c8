//! The tenant account: entries, balance, FIFO ageing of the debt and months of arrears.
//!
//! Convention: an entry's amount is positive when it is charged to the tenant (rent call, fees,
//! upward regularisation) and negative when it reduces the debt (payment, APL, aid, credit note,
//! write-off). Payments settle the oldest charges first (article 1342-10 of the Code civil when
//! the tenant does not say otherwise), which gives each unpaid euro its age.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::add_months;

/// What an account entry is, as the landlord's books call it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Quittancement: monthly rent and service charges called.
    RentCall,
    /// A payment by the tenant (transfer, direct debit, cheque, cash, agency recovery).
    Payment,
    /// APL/AL paid to the landlord by the CAF/MSA ("tiers payant").
    HousingBenefit,
    /// FSL, CCAS, Action Logement or other aid paid to the landlord.
    Aid,
    /// Yearly charge regularisation, positive or negative.
    Regularisation,
    /// Procedure costs re-invoiced to the tenant (bailiff, court).
    Fees,
    /// Credit note (avoir).
    CreditNote,
    /// Admission en non-valeur or erasure after surendettement.
    WriteOff,
}

impl EntryKind {
    /// Every kind, in the order a form or a filter lists them.
    pub const ALL: [EntryKind; 8] = [
        EntryKind::RentCall,
        EntryKind::Payment,
        EntryKind::HousingBenefit,
        EntryKind::Aid,
        EntryKind::Regularisation,
        EntryKind::Fees,
        EntryKind::CreditNote,
        EntryKind::WriteOff,
    ];

    /// Stable code stored in the database and used in JSON.
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::RentCall => "rent_call",
            EntryKind::Payment => "payment",
            EntryKind::HousingBenefit => "housing_benefit",
            EntryKind::Aid => "aid",
            EntryKind::Regularisation => "regularisation",
            EntryKind::Fees => "fees",
            EntryKind::CreditNote => "credit_note",
            EntryKind::WriteOff => "write_off",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::from_code_bytes(code.as_bytes())
    }

    /// Reads a stored code back from SQLite's bytes (no UTF-8 check: see `parse_iso_bytes`).
    pub fn from_code_bytes(code: &[u8]) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code().as_bytes() == code)
    }

    /// The label French ERPs use in their exports (`nature` column).
    pub fn erp_label(self) -> &'static str {
        match self {
            EntryKind::RentCall => "loyer",
            EntryKind::Payment => "paiement",
            EntryKind::HousingBenefit => "apl",
            EntryKind::Aid => "aide",
            EntryKind::Regularisation => "regularisation",
            EntryKind::Fees => "frais",
            EntryKind::CreditNote => "avoir",
            EntryKind::WriteOff => "non_valeur",
        }
    }

    /// The label shown to officers.
    pub fn label_fr(self) -> &'static str {
        match self {
            EntryKind::RentCall => "Quittancement",
            EntryKind::Payment => "Paiement",
            EntryKind::HousingBenefit => "APL/AL",
            EntryKind::Aid => "Aide",
            EntryKind::Regularisation => "Régularisation",
            EntryKind::Fees => "Frais",
            EntryKind::CreditNote => "Avoir",
            EntryKind::WriteOff => "Non-valeur",
        }
    }

    /// Whether the tenant's own money is behind the entry (payments), as opposed to third
    /// parties (APL, aid) or the landlord's bookkeeping.
    pub fn is_tenant_payment(self) -> bool {
        matches!(self, EntryKind::Payment)
    }
}

/// One dated line of a tenant account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Database id (0 before it is stored).
    pub id: i64,
    /// Value date of the entry.
    pub date: NaiveDate,
    /// What the entry is.
    pub kind: EntryKind,
    /// Positive when charged to the tenant, negative when it reduces the debt.
    pub amount: Decimal,
    /// Free label from the books ("Loyer novembre 2026", "Virement CAF").
    pub label: String,
    /// Source reference that makes imports idempotent.
    pub reference: Option<String>,
}

/// The balance of a set of entries: what the tenant owes (negative: the landlord owes).
pub fn balance<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Decimal {
    entries.into_iter().map(|e| e.amount).sum()
}

/// A charge, or part of one, still unpaid after FIFO settlement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnpaidCharge {
    /// Date the charge was called; its age counts from here.
    pub date: NaiveDate,
    /// What remains unpaid of it.
    pub remaining: Decimal,
    /// The original charged amount.
    pub charged: Decimal,
    /// The charge's label.
    pub label: String,
}

/// Settles credits against the oldest charges first and returns what remains unpaid, oldest
/// first. Credits beyond all charges are an advance (a credit balance) and leave nothing unpaid.
pub fn unpaid_charges(entries: &[Entry]) -> Vec<UnpaidCharge> {
    let mut charges: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.amount > Decimal::ZERO)
        .collect();
    charges.sort_by_key(|e| (e.date, e.id));
    let mut credit: Decimal = entries
        .iter()
        .filter(|e| e.amount < Decimal::ZERO)
        .map(|e| -e.amount)
        .sum();
    let mut out = Vec::new();
    for charge in charges {
        if credit >= charge.amount {
            credit -= charge.amount;
            continue;
        }
        out.push(UnpaidCharge {
            date: charge.date,
            remaining: charge.amount - credit,
            charged: charge.amount,
            label: charge.label.clone(),
        });
        credit = Decimal::ZERO;
    }
    out
}

/// The debt split by age, the provisioning buckets a landlord publishes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DebtByAge {
    /// Charges called less than 3 months before `today`.
    pub lt_3_months: Decimal,
    /// Charges called between 3 and 12 months before `today`.
    pub from_3_to_12_months: Decimal,
    /// Charges called more than 12 months before `today`.
    pub gt_12_months: Decimal,
}

impl DebtByAge {
    /// Total debt over the three buckets.
    pub fn total(&self) -> Decimal {
        self.lt_3_months + self.from_3_to_12_months + self.gt_12_months
    }
}

/// Splits unpaid charges into the three age buckets. A charge is "less than 3 months" old when
/// it was called after the same day three months before `today`; "more than 12 months" when it
/// was called on or before the same day twelve months before.
pub fn debt_by_age(unpaid: &[UnpaidCharge], today: NaiveDate) -> DebtByAge {
    let three = add_months(today, -3);
    let twelve = add_months(today, -12);
    let mut out = DebtByAge::default();
    for u in unpaid {
        if u.date > three {
            out.lt_3_months += u.remaining;
        } else if u.date > twelve {
            out.from_3_to_12_months += u.remaining;
        } else {
            out.gt_12_months += u.remaining;
        }
    }
    out
}

/// The date of the oldest unpaid charge: when the arrears started, as far as the account tells.
pub fn arrears_since(unpaid: &[UnpaidCharge]) -> Option<NaiveDate> {
    unpaid.first().map(|u| u.date)
}

/// The monthly amount the tenant must pay: rent and charges net of APL paid to the landlord.
pub fn monthly_net_due(rent: Decimal, charges: Decimal, housing_benefit: Decimal) -> Decimal {
    rent + charges - housing_benefit
}

/// Months of arrears, the figure every officer quotes first: debt ÷ monthly rent and charges
/// net of APL, to one decimal. None when nothing is owed monthly (APL covers everything), zero
/// when there is no debt.
pub fn months_of_arrears(debt: Decimal, monthly_net: Decimal) -> Option<Decimal> {
    if debt <= Decimal::ZERO {
        return Some(Decimal::ZERO);
    }
    if monthly_net <= Decimal::ZERO {
        return None;
    }
    Some((debt / monthly_net).round_dp(1))
}

/// Which provisioning bucket a debt's age falls in, for filters and figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBucket {
    /// Less than 3 months.
    LessThan3Months,
    /// From 3 to 12 months.
    From3To12Months,
    /// More than 12 months.
    MoreThan12Months,
}

/// The bucket of a whole dossier, by the age of its oldest unpaid charge.
pub fn bucket_of(arrears_since: NaiveDate, today: NaiveDate) -> AgeBucket {
    if arrears_since > add_months(today, -3) {
        AgeBucket::LessThan3Months
    } else if arrears_since > add_months(today, -12) {
        AgeBucket::From3To12Months
    } else {
        AgeBucket::MoreThan12Months
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn entry(id: i64, date: NaiveDate, kind: EntryKind, amount: Decimal) -> Entry {
        Entry {
            id,
            date,
            kind,
            amount,
            label: format!("{kind:?}"),
            reference: None,
        }
    }

    /// Rent 500 + charges 80 called monthly, APL 200 paid each month, tenant pays its share
    /// (380) except in three months where it pays 100, 0 and 250.
    fn sample() -> Vec<Entry> {
        let mut v = Vec::new();
        let mut id = 1;
        let tenant_paid = [
            dec!(380),
            dec!(380),
            dec!(100),
            dec!(0),
            dec!(250),
            dec!(380),
        ];
        for (i, paid) in tenant_paid.iter().enumerate() {
            let month = d(2026, 5 + i as u32, 1);
            v.push(entry(id, month, EntryKind::RentCall, dec!(580)));
            id += 1;
            v.push(entry(
                id,
                month.with_day0(4).expect("day"),
                EntryKind::HousingBenefit,
                dec!(-200),
            ));
            id += 1;
            if *paid > Decimal::ZERO {
                v.push(entry(
                    id,
                    month.with_day0(9).expect("day"),
                    EntryKind::Payment,
                    -*paid,
                ));
                id += 1;
            }
        }
        v
    }

    use chrono::Datelike;

    #[test]
    fn balance_is_the_sum() {
        // charged 6 × 580 = 3480; APL 6 × 200 = 1200; paid 380+380+100+0+250+380 = 1490.
        assert_eq!(balance(&sample()), dec!(790));
    }

    #[test]
    fn fifo_leaves_the_newest_charges_unpaid() {
        // Credits 2690 settle May..Sep fully (5 × 580 = 2900 > 2690): May, Jun, Jul, Aug paid
        // (2320), Sep gets 370 of 580 → 210 unpaid, Oct 580 unpaid.
        let unpaid = unpaid_charges(&sample());
        assert_eq!(unpaid.len(), 2);
        assert_eq!(unpaid[0].date, d(2026, 9, 1));
        assert_eq!(unpaid[0].remaining, dec!(210));
        assert_eq!(unpaid[1].date, d(2026, 10, 1));
        assert_eq!(unpaid[1].remaining, dec!(580));
        assert_eq!(arrears_since(&unpaid), Some(d(2026, 9, 1)));
    }

    #[test]
    fn buckets_follow_charge_dates() {
        let unpaid = vec![
            UnpaidCharge {
                date: d(2025, 6, 1),
                remaining: dec!(100),
                charged: dec!(580),
                label: String::new(),
            },
            UnpaidCharge {
                date: d(2026, 8, 22),
                remaining: dec!(200),
                charged: dec!(580),
                label: String::new(),
            },
            UnpaidCharge {
                date: d(2026, 8, 23),
                remaining: dec!(300),
                charged: dec!(580),
                label: String::new(),
            },
        ];
        let today = d(2026, 11, 22);
        let by_age = debt_by_age(&unpaid, today);
        assert_eq!(by_age.gt_12_months, dec!(100));
        // 22 August is exactly three months before: it counts as 3–12 months.
        assert_eq!(by_age.from_3_to_12_months, dec!(200));
        assert_eq!(by_age.lt_3_months, dec!(300));
        assert_eq!(by_age.total(), dec!(600));
        assert_eq!(
            bucket_of(d(2025, 11, 22), today),
            AgeBucket::MoreThan12Months
        );
        assert_eq!(
            bucket_of(d(2025, 11, 23), today),
            AgeBucket::From3To12Months
        );
    }

    #[test]
    fn months_of_arrears_use_rent_net_of_apl() {
        // 790 owed, rent 500 + charges 80 − APL 200 = 380 a month → 2.1 months.
        let net = monthly_net_due(dec!(500), dec!(80), dec!(200));
        assert_eq!(net, dec!(380));
        assert_eq!(months_of_arrears(dec!(790), net), Some(dec!(2.1)));
        assert_eq!(months_of_arrears(dec!(0), net), Some(dec!(0)));
        assert_eq!(months_of_arrears(dec!(-50), net), Some(dec!(0)));
        // APL covering the whole rent: months of arrears is undefined.
        assert_eq!(months_of_arrears(dec!(100), dec!(0)), None);
    }

    #[test]
    fn an_advance_leaves_nothing_unpaid() {
        let v = vec![
            entry(1, d(2026, 1, 1), EntryKind::Payment, dec!(-1000)),
            entry(2, d(2026, 2, 1), EntryKind::RentCall, dec!(400)),
            entry(3, d(2026, 3, 1), EntryKind::RentCall, dec!(400)),
        ];
        assert!(unpaid_charges(&v).is_empty());
        assert_eq!(balance(&v), dec!(-200));
    }

    #[test]
    fn partial_payment_splits_a_charge() {
        let v = vec![
            entry(1, d(2026, 1, 1), EntryKind::RentCall, dec!(400)),
            entry(2, d(2026, 1, 1), EntryKind::Fees, dec!(50)),
            entry(3, d(2026, 1, 20), EntryKind::Payment, dec!(-420)),
        ];
        let unpaid = unpaid_charges(&v);
        assert_eq!(unpaid.len(), 1);
        assert_eq!(unpaid[0].remaining, dec!(30));
        assert_eq!(unpaid[0].charged, dec!(50));
    }
}

/// What the header of a dossier and `impayes show` say about an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// Balance (debt when positive).
    pub balance: Decimal,
    /// Monthly rent and charges net of APL.
    pub monthly_net: Decimal,
    /// Months of arrears, when defined.
    pub months_of_arrears: Option<Decimal>,
    /// Debt by age.
    pub by_age: DebtByAge,
    /// Date of the oldest unpaid charge.
    pub arrears_since: Option<NaiveDate>,
}

/// Sums up an account as of `today`.
pub fn summarize(entries: &[Entry], monthly_net: Decimal, today: NaiveDate) -> AccountSummary {
    let unpaid = unpaid_charges(entries);
    let bal = balance(entries);
    AccountSummary {
        balance: bal,
        monthly_net,
        months_of_arrears: months_of_arrears(bal, monthly_net),
        by_age: debt_by_age(&unpaid, today),
        arrears_since: arrears_since(&unpaid),
    }
}
