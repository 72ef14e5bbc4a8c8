//! The monthly review's agenda rules: which open dossiers the meeting should examine, and why,
//! each reason a French sentence. Pure: the store gathers each dossier's facts, these rules
//! only read them. Thresholds and the ordering come from the `[review]` section of the config.

use chrono::{Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::dates::format_fr;
use super::dossier::{OpenReason, Phase};
use super::event::{EventDetail, VisitOutcome};
use super::ledger::months_of_arrears;
use super::money::format_eur;
use super::plan::{GRACE_DAYS, InstalmentState, PlanStatus, follow_plan};
use super::portfolio::HouseholdFile;
use super::procedure::{Deadline, RuleKind};
use super::review::{Reason, ReasonCode, priority};

/// What the agenda is sorted on, in the order given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderKey {
    /// Sector code of the home.
    Sector,
    /// Referent's login (dossiers without one last).
    Referent,
    /// Priority, highest first (sum of the reasons' weights).
    Priority,
    /// Debt, highest first.
    Debt,
    /// Account number.
    Account,
}

/// The agenda's thresholds and ordering (`[review]` in the config file; every key optional).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AgendaRules {
    /// A debt that reaches this amount (euros) since the last meeting puts the dossier on.
    pub debt_threshold: Decimal,
    /// Months of arrears that, once reached since the last meeting, put the dossier on.
    pub months_threshold: Decimal,
    /// Days without any contact with the tenant after which the dossier comes up.
    pub no_contact_days: i64,
    /// No-contact rule only for debts of at least this many months (0: any debt).
    pub no_contact_min_months: Decimal,
    /// A legal step possible or a deadline due within this many days after the meeting.
    pub deadline_horizon_days: i64,
    /// New dossiers come up only with at least this many months of arrears (0: all of them).
    pub new_dossier_min_months: Decimal,
    /// Without a previous meeting, "since the last meeting" means this many days back.
    pub first_lookback_days: i64,
    /// Most dossiers proposed (0: no limit); beyond it, the lowest priorities (then the
    /// smallest debts) are left aside, and the count is said.
    pub max_items: usize,
    /// Sort keys, in order.
    pub order: Vec<OrderKey>,
}

impl Default for AgendaRules {
    fn default() -> Self {
        AgendaRules {
            debt_threshold: Decimal::new(3000, 0),
            months_threshold: Decimal::new(3, 0),
            no_contact_days: 120,
            no_contact_min_months: Decimal::new(3, 0),
            deadline_horizon_days: 31,
            new_dossier_min_months: Decimal::new(2, 0),
            first_lookback_days: 31,
            max_items: 40,
            order: vec![OrderKey::Sector, OrderKey::Referent, OrderKey::Priority],
        }
    }
}

/// An open action decided at the previous meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingAction {
    /// What was to be done.
    pub what: String,
    /// By whom.
    pub assignee: String,
    /// By when.
    pub due_on: NaiveDate,
}

/// What the rules read about one open dossier, as of the meeting's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DossierFacts {
    /// The dossier.
    pub dossier_id: i64,
    /// Its household.
    pub household_id: i64,
    /// Account number.
    pub account: String,
    /// Holder (and co-holder).
    pub name: String,
    /// Sector code.
    pub sector: String,
    /// Referent of the current phase.
    pub referent: Option<String>,
    /// Phase.
    pub phase: Phase,
    /// Opening date.
    pub opened_on: NaiveDate,
    /// Why it was opened.
    pub open_reason: OpenReason,
    /// Debt on the meeting's day.
    pub debt: Decimal,
    /// Debt on the reference day (last meeting).
    pub debt_before: Decimal,
    /// Rent and charges net of APL.
    pub monthly_net: Decimal,
    /// Day the current plan was broken (first missed instalment's grace end).
    pub plan_broken_on: Option<NaiveDate>,
    /// Last contact with the tenant (contact, appointment kept, visit met, promise, plan…).
    pub last_contact: Option<NaiveDate>,
    /// Day a CESF referral was asked (dossier opened on referral, or moved to prévention).
    pub cesf_requested_on: Option<NaiveDate>,
    /// Open legal deadlines (the deadline engine's output).
    pub deadlines: Vec<Deadline>,
    /// Open actions decided at the previous meeting.
    pub pending_actions: Vec<PendingAction>,
}

impl DossierFacts {
    /// Months of arrears on the meeting's day.
    pub fn months(&self) -> Option<Decimal> {
        months_of_arrears(self.debt, self.monthly_net)
    }
}

/// The meeting the agenda is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgendaContext {
    /// Day of the meeting.
    pub date: NaiveDate,
    /// Day of the previous meeting, if any.
    pub last_review: Option<NaiveDate>,
}

impl AgendaContext {
    /// The day "since the last meeting" counts from (exclusive).
    pub fn reference(&self, rules: &AgendaRules) -> NaiveDate {
        self.last_review
            .unwrap_or(self.date - Duration::days(rules.first_lookback_days))
    }

    fn since_fr(&self) -> &'static str {
        if self.last_review.is_some() {
            "depuis la dernière réunion"
        } else {
            "ce mois-ci"
        }
    }
}

fn months_fr(m: Decimal) -> String {
    format!("{} mois", m.normalize().to_string().replace('.', ","))
}

/// Every reason the rules give to examine this dossier (empty: it stays off the agenda).
pub fn reasons(f: &DossierFacts, ctx: &AgendaContext, rules: &AgendaRules) -> Vec<Reason> {
    let reference = ctx.reference(rules);
    let recent = |d: NaiveDate| d > reference && d <= ctx.date;
    let horizon = ctx.date + Duration::days(rules.deadline_horizon_days);
    let months = f.months();
    let mut out = Vec::new();
    let mut push = |code, text: String| out.push(Reason { code, text });

    for a in &f.pending_actions {
        push(
            ReasonCode::PendingActions,
            format!(
                "décision de la dernière réunion non réalisée : « {} » ({}, pour le {})",
                a.what,
                a.assignee,
                format_fr(a.due_on)
            ),
        );
    }
    for d in &f.deadlines {
        if d.frozen_until.is_some() {
            continue;
        }
        match d.kind {
            RuleKind::Requires if d.expires > reference && d.expires <= horizon => {
                let when = if d.expires < ctx.date {
                    "délai dépassé le"
                } else {
                    "échéance le"
                };
                push(
                    ReasonCode::Deadline,
                    format!("{} : {when} {}", d.label, format_fr(d.expires)),
                );
            }
            RuleKind::Allows => {
                if let Some(n) = d.next_step_from.filter(|n| *n > reference && *n <= horizon) {
                    // The engine's summary: "label : step possible à partir du DATE".
                    let text = if n <= ctx.date {
                        d.summary
                            .replace("possible à partir du", "possible depuis le")
                    } else {
                        d.summary.clone()
                    };
                    push(ReasonCode::LegalStep, text);
                }
            }
            _ => {}
        }
    }
    if let Some(b) = f.plan_broken_on.filter(|b| recent(*b)) {
        push(
            ReasonCode::BrokenPlan,
            format!("plan d'apurement rompu le {}", format_fr(b)),
        );
    }
    if f.debt >= rules.debt_threshold && f.debt_before < rules.debt_threshold {
        push(
            ReasonCode::DebtThreshold,
            format!(
                "dette de {}, au-dessus du seuil de {} {} (elle était de {})",
                format_eur(f.debt),
                format_eur(rules.debt_threshold),
                ctx.since_fr(),
                format_eur(f.debt_before)
            ),
        );
    }
    let before = months_of_arrears(f.debt_before, f.monthly_net);
    if let (Some(now), Some(then)) = (months, before)
        && now >= rules.months_threshold
        && then < rules.months_threshold
    {
        push(
            ReasonCode::MonthsThreshold,
            format!(
                "{} d'impayé, seuil de {} atteint {} ({} avant)",
                months_fr(now),
                months_fr(rules.months_threshold),
                ctx.since_fr(),
                months_fr(then)
            ),
        );
    }
    if let Some(c) = f.cesf_requested_on.filter(|c| recent(*c)) {
        push(
            ReasonCode::CesfReferral,
            format!("orientation vers la CESF demandée le {}", format_fr(c)),
        );
    }
    let enough_debt =
        f.debt > Decimal::ZERO && months.is_none_or(|m| m >= rules.no_contact_min_months);
    let last = f.last_contact.unwrap_or(f.opened_on);
    let silent_days = (ctx.date - last).num_days();
    if f.phase != Phase::Departed && enough_debt && silent_days >= rules.no_contact_days {
        push(
            ReasonCode::NoContact,
            match f.last_contact {
                Some(c) => format!(
                    "aucun contact avec le locataire depuis le {} ({silent_days} jours)",
                    format_fr(c)
                ),
                None => format!(
                    "aucun contact avec le locataire depuis l'ouverture du dossier ({silent_days} jours)"
                ),
            },
        );
    }
    if recent(f.opened_on) && months.is_none_or(|m| m >= rules.new_dossier_min_months) {
        push(
            ReasonCode::NewDossier,
            format!(
                "nouveau dossier ouvert le {} ({}), dette {}{}",
                format_fr(f.opened_on),
                f.open_reason.label_fr(),
                format_eur(f.debt),
                months
                    .map(|m| format!(" ({})", months_fr(m)))
                    .unwrap_or_default()
            ),
        );
    }
    out
}

/// A dossier the rules propose, with its reasons and priority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Index into the facts given to `build_agenda`.
    pub index: usize,
    /// Why.
    pub reasons: Vec<Reason>,
    /// Sum of the reasons' weights.
    pub priority: u32,
}

/// Sorts agenda entries by the configured keys.
pub fn compare(
    a: (&str, Option<&str>, u32, Decimal, &str),
    b: (&str, Option<&str>, u32, Decimal, &str),
    order: &[OrderKey],
) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    for key in order {
        let o = match key {
            OrderKey::Sector => a.0.cmp(b.0),
            OrderKey::Referent => match (a.1, b.1) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            OrderKey::Priority => b.2.cmp(&a.2),
            OrderKey::Debt => b.3.cmp(&a.3),
            OrderKey::Account => a.4.cmp(b.4),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    a.4.cmp(b.4)
}

/// The proposed agenda: every dossier with at least one reason (the `max_items` of highest
/// priority when there are more), in the configured order; and how many were left aside.
pub fn build_agenda(
    facts: &[DossierFacts],
    ctx: &AgendaContext,
    rules: &AgendaRules,
) -> (Vec<Proposal>, usize) {
    let mut out: Vec<Proposal> = facts
        .iter()
        .enumerate()
        .filter_map(|(index, f)| {
            let reasons = reasons(f, ctx, rules);
            (!reasons.is_empty()).then(|| Proposal {
                index,
                priority: priority(&reasons),
                reasons,
            })
        })
        .collect();
    let mut left_aside = 0;
    if rules.max_items > 0 && out.len() > rules.max_items {
        out.sort_by(|a, b| {
            (b.priority, facts[b.index].debt).cmp(&(a.priority, facts[a.index].debt))
        });
        left_aside = out.len() - rules.max_items;
        out.truncate(rules.max_items);
    }
    let key = |p: &Proposal| {
        let f = &facts[p.index];
        (
            f.sector.as_str(),
            f.referent.as_deref(),
            p.priority,
            f.debt,
            f.account.as_str(),
        )
    };
    out.sort_by(|a, b| compare(key(a), key(b), &rules.order));
    (out, left_aside)
}

/// Whether an event is a contact with the tenant (a two-way exchange or a commitment).
fn is_contact(d: &EventDetail) -> bool {
    match d {
        EventDetail::Contact { .. }
        | EventDetail::BudgetReview { .. }
        | EventDetail::Promise { .. }
        | EventDetail::PlanSigned { .. } => true,
        EventDetail::Appointment { attended, .. } => *attended == Some(true),
        EventDetail::HomeVisit { outcome } => *outcome == VisitOutcome::Met,
        _ => false,
    }
}

/// The facts of the file's open dossier as of `date`, with the deadlines already computed and
/// the previous meeting's open actions; None without an open dossier.
pub fn facts_from_file(
    file: &HouseholdFile,
    date: NaiveDate,
    reference: NaiveDate,
    deadlines: Vec<Deadline>,
    pending_actions: Vec<PendingAction>,
) -> Option<DossierFacts> {
    let d = file.open_dossier()?;
    let balance_on = |day: NaiveDate| -> Decimal {
        file.entries
            .iter()
            .filter(|e| e.date <= day)
            .map(|e| e.amount)
            .sum()
    };
    let events = file
        .events
        .iter()
        .filter(|e| e.dossier_id == d.id && e.date <= date);
    let last_contact = events
        .clone()
        .filter(|e| is_contact(&e.detail))
        .map(|e| e.date)
        .max();
    let to_prevention = events
        .filter_map(|e| match e.detail {
            EventDetail::PhaseChange {
                to: Phase::Prevention,
                ..
            } => Some(e.date),
            _ => None,
        })
        .max();
    let cesf_requested_on = match d.open_reason {
        OpenReason::CesfReferral => Some(d.opened_on).max(to_prevention),
        _ => to_prevention,
    };
    let plan_broken_on = file
        .plans
        .iter()
        .filter(|p| p.dossier_id == d.id)
        .max_by_key(|p| (p.signed_on, p.id))
        .filter(|p| matches!(p.status, PlanStatus::Active | PlanStatus::Broken))
        .and_then(|p| {
            follow_plan(p, &file.entries, date)
                .instalments
                .iter()
                .find(|(_, s)| *s == InstalmentState::Missed)
                .map(|(i, _)| i.due_on + Duration::days(GRACE_DAYS))
        });
    let name = file.household.names();
    Some(DossierFacts {
        dossier_id: d.id,
        household_id: file.household.id,
        account: file.household.account.clone(),
        name,
        sector: file
            .home
            .as_ref()
            .map(|h| h.sector.clone())
            .unwrap_or_default(),
        referent: d.lead_referent().map(str::to_string),
        phase: d.phase,
        opened_on: d.opened_on,
        open_reason: d.open_reason,
        debt: balance_on(date),
        debt_before: balance_on(reference),
        monthly_net: file.monthly_net(),
        plan_broken_on,
        last_contact,
        cesf_requested_on,
        deadlines,
        pending_actions,
    })
}

#[cfg(test)]
#[path = "agenda_tests.rs"]
mod tests;
