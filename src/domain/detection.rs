//! Arrears detection: what the account says the service must do, run after every import.
//!
//! - **Opening** ("dès le premier impayé"): a household without an open dossier whose account
//!   shows a rent call still unpaid (payments settle the oldest charges first) more than
//!   `rent_due_days` after it was called gets a dossier: phase amiable for a present tenant,
//!   locataire parti for a departed one; cause unknown; the sector's referents.
//! - **Soldé, à clore**: an open dossier opened for a debt (first unpaid, departure) whose
//!   account is no longer in debt is flagged for an officer to close; it is never closed
//!   silently. Dossiers opened on a CESF referral are not flagged (they may have no debt).
//! - **Signalement CAF/MSA** (domain.md §5): for present tenants whose APL is paid to the landlord,
//!   the "impayé constitué" threshold of the regime in force on `today` — until 31/12/2026 a
//!   debt of at least twice the monthly rent and charges net of APL; from 01/01/2027 three
//!   months after a first unpaid, or a debt above 450 € — and the date it was reached; the
//!   report is due within two months. A dossier past the threshold with no `caf_report` event
//!   since the debt began is flagged.
//! - **Prescription**: for departed tenants, each unpaid charge's prescription date
//!   (`prescription`), and a flag when one is within six months or past.
//!
//! "Since the debt began" is the start of the current debt episode: the day since which the
//! balance has stayed above zero. FIFO settlement would make a steady 80 € gap look like a
//! fresh debt every month; the episode does not.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

use super::calendar::Zone;
use super::dates::{add_months, format_fr};
use super::delay::{Delay, Unit, compute};
use super::dossier::{Dossier, OpenReason, Phase};
use super::event::EventDetail;
use super::household::{Role, Staff, TenantStatus};
use super::ledger::{Entry, EntryKind, unpaid_charges};
use super::money::format_eur;
use super::plan::PlanRule;
use super::portfolio::HouseholdFile;
use super::prescription::{
    ChargePrescription, Interruption, PrescriptionAlert, PrescriptionRules, alert, prescriptions,
};

/// The CAF/MSA reporting rules of domain.md §5, kept as data: the research marks parts of
/// them as changing with the law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CafRules {
    /// First day of the 2027 regime.
    pub new_regime_from: NaiveDate,
    /// Before it: the debt reaches this many months of rent and charges net of APL.
    pub months_of_rent: Decimal,
    /// From it: this many months after a first unpaid…
    pub months_after_first_unpaid: i32,
    /// …or a debt above this amount.
    pub debt_over: Decimal,
    /// The report is due within this many months of the threshold.
    pub report_within_months: i32,
}

impl Default for CafRules {
    fn default() -> Self {
        CafRules {
            new_regime_from: NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default(),
            months_of_rent: dec!(2),
            months_after_first_unpaid: 3,
            debt_over: dec!(450),
            report_within_months: 2,
        }
    }
}

/// Every rule of the detection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetectionRules {
    /// Days after a rent call before it counts as unpaid (APL and transfers arrive in the
    /// first ten days of the month).
    pub rent_due_days: i64,
    /// CAF/MSA reporting.
    pub caf: CafRules,
    /// Prescription delays.
    pub prescription: PrescriptionRules,
    /// How plan instalments are judged against payments.
    pub plan: PlanRule,
}

impl Default for DetectionRules {
    fn default() -> Self {
        DetectionRules {
            rent_due_days: 10,
            caf: CafRules::default(),
            prescription: PrescriptionRules::default(),
            plan: PlanRule::default(),
        }
    }
}

/// Which CAF threshold applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CafRegime {
    /// Until 31/12/2026: debt ≥ 2 × monthly rent and charges net of APL.
    TwoMonthsOfRent,
    /// From 01/01/2027: 3 months after a first unpaid, or debt > 450 €.
    ThreeMonthsOrAmount,
}

/// Where a household stands against the CAF threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CafThreshold {
    /// The regime in force on the day of the assessment.
    pub regime: CafRegime,
    /// The threshold in words, with the figures of this household.
    pub rule_fr: String,
    /// Day the threshold was reached (and is still), if it is.
    pub reached_on: Option<NaiveDate>,
    /// Day the report is due.
    pub report_by: Option<NaiveDate>,
    /// Last `caf_report` event of the current debt episode.
    pub reported_on: Option<NaiveDate>,
    /// Reached and not reported: the dossier is flagged.
    pub to_report: bool,
    /// To report and already past the due day.
    pub late: bool,
}

/// A flag the detection sets on a dossier for an officer to act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The debt is cleared: the dossier is to be closed.
    Settled,
    /// Past the CAF threshold with no report.
    CafReport,
    /// Part of the debt is prescribed, or will be within the warning period.
    Prescription,
}

impl Flag {
    /// Every flag.
    pub const ALL: [Flag; 3] = [Flag::Settled, Flag::CafReport, Flag::Prescription];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Flag::Settled => "settled",
            Flag::CafReport => "caf_report",
            Flag::Prescription => "prescription",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            Flag::Settled => "soldé, à clore",
            Flag::CafReport => "signalement CAF/MSA à faire",
            Flag::Prescription => "prescription proche",
        }
    }
}

/// A dossier the detection opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Opening {
    /// Its phase.
    pub phase: Phase,
    /// Why.
    pub reason: OpenReason,
    /// The oldest rent call still unpaid.
    pub first_unpaid: NaiveDate,
    /// The debt on the day.
    pub debt: Decimal,
}

impl Opening {
    /// The note written in the new dossier's timeline.
    pub fn note_fr(&self) -> String {
        format!(
            "Dossier ouvert par la détection des impayés : loyer du {} impayé, dette de {}.",
            format_fr(self.first_unpaid),
            format_eur(self.debt)
        )
    }
}

/// What the detection needs to know of one household.
#[derive(Debug, Clone, Copy)]
pub struct HouseholdFacts<'a> {
    /// Present or departed.
    pub status: TenantStatus,
    /// Monthly rent and charges net of APL.
    pub monthly_net: Decimal,
    /// Whether APL is paid to the landlord (the CAF threshold applies).
    pub housing_benefit: bool,
    /// The account (any order).
    pub entries: &'a [Entry],
    /// The open dossier, if any.
    pub open_dossier: Option<&'a Dossier>,
    /// Dates of the household's `caf_report` events.
    pub caf_reports: &'a [NaiveDate],
    /// Acts that restart the prescription delay.
    pub interruptions: &'a [Interruption],
    /// Calendar of the home's département: the CAF report date moves past its holidays.
    pub zone: Zone,
}

/// What the detection concludes for one household on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Balance on the day (debt when positive).
    pub balance: Decimal,
    /// Start of the current debt episode (balance above zero since).
    pub debt_since: Option<NaiveDate>,
    /// Oldest rent call unpaid past its due day.
    pub first_unpaid_rent: Option<NaiveDate>,
    /// A dossier to open, when there is none.
    pub opening: Option<Opening>,
    /// CAF threshold, for households whose APL is paid to the landlord.
    pub caf: Option<CafThreshold>,
    /// Prescription date of each unpaid charge (departed tenants).
    pub prescriptions: Vec<ChargePrescription>,
    /// Prescription alert (departed tenants).
    pub prescription_alert: Option<PrescriptionAlert>,
    /// Flags of the open (or to be opened) dossier.
    pub flags: Vec<Flag>,
}

/// Daily balances in cents up to `today`, oldest first.
fn daily_balances(entries: &[Entry], today: NaiveDate) -> Vec<(NaiveDate, Decimal)> {
    let mut v: Vec<(NaiveDate, Decimal)> = entries
        .iter()
        .filter(|e| e.date <= today)
        .map(|e| (e.date, e.amount))
        .collect();
    v.sort_by_key(|(d, _)| *d);
    let mut out: Vec<(NaiveDate, Decimal)> = Vec::with_capacity(v.len());
    let mut bal = Decimal::ZERO;
    for (d, a) in v {
        bal += a;
        match out.last_mut() {
            Some((last, b)) if *last == d => *b = bal,
            _ => out.push((d, bal)),
        }
    }
    out
}

/// The day since which `holds` has been true of the balance without a break, if it holds on
/// the last day.
fn holds_since(
    balances: &[(NaiveDate, Decimal)],
    holds: impl Fn(Decimal) -> bool,
) -> Option<NaiveDate> {
    let mut since = None;
    for (d, b) in balances {
        if holds(*b) {
            since.get_or_insert(*d);
        } else {
            since = None;
        }
    }
    since
}

/// The oldest rent call left unpaid by FIFO settlement (on `today`) more than `due_days`
/// after it was called.
pub fn first_unpaid_rent(entries: &[Entry], today: NaiveDate, due_days: i64) -> Option<NaiveDate> {
    let mut charges: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.date <= today && e.amount > Decimal::ZERO)
        .collect();
    charges.sort_by_key(|e| (e.date, e.id));
    let mut credit: Decimal = entries
        .iter()
        .filter(|e| e.date <= today && e.amount < Decimal::ZERO)
        .map(|e| -e.amount)
        .sum();
    for c in charges {
        if credit >= c.amount {
            credit -= c.amount;
            continue;
        }
        credit = Decimal::ZERO;
        if c.kind == EntryKind::RentCall && c.date + chrono::Duration::days(due_days) < today {
            return Some(c.date);
        }
    }
    None
}

/// The CAF threshold of the regime in force on `today` for an account, given the dates of
/// the household's CAF reports.
pub fn caf_threshold(
    entries: &[Entry],
    monthly_net: Decimal,
    caf_reports: &[NaiveDate],
    today: NaiveDate,
    rules: &CafRules,
    zone: Zone,
) -> CafThreshold {
    let balances = daily_balances(entries, today);
    let debt_since = holds_since(&balances, |b| b > Decimal::ZERO);
    let (regime, rule_fr, reached_on) = if today < rules.new_regime_from {
        let limit = monthly_net * rules.months_of_rent;
        let reached = if monthly_net > Decimal::ZERO {
            holds_since(&balances, |b| b >= limit)
        } else {
            None
        };
        let rule = if monthly_net > Decimal::ZERO {
            format!(
                "dette d'au moins {} mois de loyer net d'APL ({})",
                rules.months_of_rent.normalize(),
                format_eur(limit)
            )
        } else {
            "dette d'au moins deux mois de loyer net d'APL (non calculable : loyer net nul)".into()
        };
        (CafRegime::TwoMonthsOfRent, rule, reached)
    } else {
        let by_amount = holds_since(&balances, |b| b > rules.debt_over);
        let by_time = debt_since
            .map(|d| add_months(d, rules.months_after_first_unpaid))
            .filter(|d| *d <= today);
        let reached = match (by_amount, by_time) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let rule = format!(
            "{} mois après un premier impayé, ou dette de plus de {}",
            rules.months_after_first_unpaid,
            format_eur(rules.debt_over)
        );
        (CafRegime::ThreeMonthsOrAmount, rule, reached)
    };
    let reported_on = caf_reports
        .iter()
        .copied()
        .filter(|d| debt_since.is_some_and(|s| *d >= s) && *d <= today)
        .max();
    // The same arithmetic as the deadline engine (CPC 641–642): a report due on a Sunday or a
    // holiday is due the next working day.
    let report_by = reached_on.map(|d| {
        let months = u32::try_from(rules.report_within_months).unwrap_or(0);
        compute(d, &Delay::forward(months, Unit::Months), zone).expires
    });
    let to_report = reached_on.is_some() && reported_on.is_none();
    CafThreshold {
        regime,
        rule_fr,
        reached_on,
        report_by,
        reported_on,
        to_report,
        late: to_report && report_by.is_some_and(|d| d < today),
    }
}

/// Assesses one household on `today`.
pub fn assess(f: &HouseholdFacts<'_>, today: NaiveDate, rules: &DetectionRules) -> Assessment {
    let balance: Decimal = f
        .entries
        .iter()
        .filter(|e| e.date <= today)
        .map(|e| e.amount)
        .sum();
    let in_debt = balance > Decimal::ZERO;
    let debt_since = if in_debt {
        holds_since(&daily_balances(f.entries, today), |b| b > Decimal::ZERO)
    } else {
        None
    };
    let first_unpaid_rent = if in_debt {
        first_unpaid_rent(f.entries, today, rules.rent_due_days)
    } else {
        None
    };
    let departed = f.status == TenantStatus::Departed;
    let opening = match (f.open_dossier, first_unpaid_rent) {
        (None, Some(first)) => Some(Opening {
            phase: if departed {
                Phase::Departed
            } else {
                Phase::Amicable
            },
            reason: if departed {
                OpenReason::DepartureWithDebt
            } else {
                OpenReason::FirstUnpaid
            },
            first_unpaid: first,
            debt: balance,
        }),
        _ => None,
    };
    // APL stops when the tenant leaves: the report concerns present tenants only.
    let concerned = f.housing_benefit && !departed;
    let caf = if concerned && in_debt {
        Some(caf_threshold(
            f.entries,
            f.monthly_net,
            f.caf_reports,
            today,
            &rules.caf,
            f.zone,
        ))
    } else if concerned {
        Some(CafThreshold {
            regime: if today < rules.caf.new_regime_from {
                CafRegime::TwoMonthsOfRent
            } else {
                CafRegime::ThreeMonthsOrAmount
            },
            rule_fr: String::new(),
            reached_on: None,
            report_by: None,
            reported_on: None,
            to_report: false,
            late: false,
        })
    } else {
        None
    };
    let (prescriptions, prescription_alert) = if departed && in_debt {
        let unpaid: Vec<_> = {
            let upto: Vec<Entry> = f
                .entries
                .iter()
                .filter(|e| e.date <= today)
                .cloned()
                .collect();
            unpaid_charges(&upto)
        };
        let dates = prescriptions(&unpaid, f.interruptions, &rules.prescription);
        let a = alert(&dates, today, &rules.prescription);
        (dates, a)
    } else {
        (Vec::new(), None)
    };
    let mut flags = Vec::new();
    let has_dossier = f.open_dossier.is_some() || opening.is_some();
    if let Some(d) = f.open_dossier
        && !in_debt
        && d.open_reason != OpenReason::CesfReferral
    {
        flags.push(Flag::Settled);
    }
    if has_dossier && caf.as_ref().is_some_and(|c| c.to_report) {
        flags.push(Flag::CafReport);
    }
    if has_dossier && prescription_alert.is_some() {
        flags.push(Flag::Prescription);
    }
    Assessment {
        balance,
        debt_since,
        first_unpaid_rent,
        opening,
        caf,
        prescriptions,
        prescription_alert,
        flags,
    }
}

/// Assesses a household from everything loaded about it (`impayes show`, the dossier pane).
pub fn assess_file(file: &HouseholdFile, today: NaiveDate, rules: &DetectionRules) -> Assessment {
    let caf_reports: Vec<NaiveDate> = file
        .events
        .iter()
        .filter(|e| matches!(e.detail, EventDetail::CafReport { .. }))
        .map(|e| e.date)
        .collect();
    let interruptions: Vec<Interruption> = file
        .events
        .iter()
        .filter_map(|e| Interruption::from_event(e.date, &e.detail))
        .collect();
    let facts = HouseholdFacts {
        status: file.household.status,
        monthly_net: file.monthly_net(),
        housing_benefit: file.household.has_housing_benefit(),
        entries: &file.entries,
        open_dossier: file.open_dossier(),
        caf_reports: &caf_reports,
        interruptions: &interruptions,
        zone: file.zone(),
    };
    assess(&facts, today, rules)
}

/// The referent of `role` for a home of `sector`: among the staff of that role who cover the
/// sector (an empty list of sectors covers them all), the one with the fewest open dossiers,
/// then by login. `load` counts open dossiers per login.
pub fn choose_referent<'a>(
    staff: &'a [Staff],
    role: Role,
    sector: Option<&str>,
    load: &std::collections::HashMap<String, usize>,
) -> Option<&'a str> {
    staff
        .iter()
        .filter(|s| s.role == role)
        .filter(|s| {
            s.sectors.is_empty() || sector.is_some_and(|x| s.sectors.iter().any(|y| y == x))
        })
        .min_by_key(|s| (load.get(&s.login).copied().unwrap_or(0), s.login.as_str()))
        .map(|s| s.login.as_str())
}

#[cfg(test)]
mod tests {
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
}
