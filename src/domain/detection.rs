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

/// The CAF threshold of a household on `today` (None when the CAF report does not concern it):
/// it reads only the entries' dates and amounts.
fn caf_of(
    f: &HouseholdFacts<'_>,
    in_debt: bool,
    today: NaiveDate,
    rules: &DetectionRules,
) -> Option<CafThreshold> {
    // APL stops when the tenant leaves: the report concerns present tenants only.
    let concerned = f.housing_benefit && f.status != TenantStatus::Departed;
    if concerned && in_debt {
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
    }
}

/// The account's balance at the end of `day`.
fn balance_on(entries: &[Entry], day: NaiveDate) -> Decimal {
    super::ledger::balance(entries.iter().filter(|e| e.date <= day))
}

/// Assesses one household on `today`.
pub fn assess(f: &HouseholdFacts<'_>, today: NaiveDate, rules: &DetectionRules) -> Assessment {
    let balance = balance_on(f.entries, today);
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
    let caf = caf_of(f, in_debt, today, rules);
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
    with_facts(file, |facts| assess(facts, today, rules))
}

/// The CAF threshold alone of a household (the deadline engine's missing report): it needs the
/// entries' dates and amounts only, so a file loaded without the entries' kinds serves
/// (`store::files::deadline_files`).
pub fn caf_of_file(
    file: &HouseholdFile,
    today: NaiveDate,
    rules: &DetectionRules,
) -> Option<CafThreshold> {
    with_facts(file, |facts| {
        caf_of(
            facts,
            balance_on(facts.entries, today) > Decimal::ZERO,
            today,
            rules,
        )
    })
}

/// What the detection reads of a loaded file.
fn with_facts<T>(file: &HouseholdFile, then: impl FnOnce(&HouseholdFacts<'_>) -> T) -> T {
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
    then(&facts)
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
mod tests;
