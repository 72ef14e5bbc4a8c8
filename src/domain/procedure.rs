//! The procedure's statutory delays as data (`rules.toml`, compiled in and overridable by the
//! user's `~/.config/impayes/rules.toml`) and the engine that turns a household file into its
//! open legal deadlines, each explaining itself in French.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::Zone;
use super::dates::format_fr;
use super::delay::{Computation, Delay, Direction, SkippedDay, Unit, compute};
use super::event::{EventDetail, JudgementOutcome, OverindebtednessStage};
use super::portfolio::HouseholdFile;

/// The rules shipped with the program.
pub const DEFAULT_RULES: &str = include_str!("rules.toml");

/// What a delay does to the next step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The step becomes possible once the delay has run.
    Allows,
    /// The step must be taken before the delay ends.
    Requires,
    /// The delay bounds a period (judge's payment delays, enforcement of a judgement).
    Limit,
    /// Enforcement steps are frozen during the delay (surendettement).
    Freeze,
}

/// Which date of the triggering event the delay runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// The event's date.
    #[default]
    Event,
    /// The hearing date of a summons (adjourned date if any).
    Hearing,
}

/// One procedure rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Step name typed on the command line (`payment-order`); several rules may share it, for
    /// different law regimes.
    pub id: String,
    /// French label of the deadline.
    pub label: String,
    /// Code of the triggering event.
    pub trigger: String,
    /// Which date of that event.
    #[serde(default)]
    pub anchor: Anchor,
    /// The step the delay allows, requires or bounds, in French.
    pub step: String,
    /// What the delay does.
    pub kind: RuleKind,
    /// Amount of the delay.
    pub amount: u32,
    /// Unit of the delay.
    pub unit: Unit,
    /// Forward or backward.
    pub direction: Direction,
    /// Applies to leases concluded or renewed on or after this date.
    #[serde(default)]
    pub lease_from: Option<NaiveDate>,
    /// Applies to leases concluded before this date.
    #[serde(default)]
    pub lease_before: Option<NaiveDate>,
    /// Applies to triggering events on or after this date.
    #[serde(default)]
    pub event_from: Option<NaiveDate>,
    /// Applies to triggering events before this date.
    #[serde(default)]
    pub event_before: Option<NaiveDate>,
    /// Event codes that accomplish the step (the deadline is then closed).
    #[serde(default)]
    pub done_by: Vec<String>,
    /// Once past, the deadline is no longer shown (otherwise it is shown late).
    #[serde(default)]
    pub lapses: bool,
    /// An enforcement step: frozen by a surendettement recevabilité.
    #[serde(default)]
    pub enforcement: bool,
    /// The next step is an eviction: when it would fall in the trêve hivernale it is pushed to
    /// the day after the trêve.
    #[serde(default)]
    pub winter_truce: bool,
    /// A step of the procedure for the home (CAF report, clause résolutoire, assignation,
    /// eviction): moot once the tenant has left, so not listed for departed tenants.
    #[serde(default)]
    pub present_only: bool,
    /// Short French explanation.
    pub explanation: String,
    /// Legal reference.
    pub reference: String,
    /// Marked unverified by the research: shown "à vérifier".
    #[serde(default)]
    pub unverified: bool,
}

impl Rule {
    /// The delay of the rule.
    pub fn delay(&self) -> Delay {
        Delay {
            amount: self.amount,
            unit: self.unit,
            direction: self.direction,
        }
    }

    /// Whether the rule applies to an event on `event_date` under a lease concluded on
    /// `lease_date` (unknown lease date: every lease regime applies).
    pub fn applies(&self, event_date: NaiveDate, lease_date: Option<NaiveDate>) -> bool {
        if self.event_from.is_some_and(|d| event_date < d)
            || self.event_before.is_some_and(|d| event_date >= d)
        {
            return false;
        }
        match lease_date {
            Some(l) => {
                !(self.lease_from.is_some_and(|d| l < d)
                    || self.lease_before.is_some_and(|d| l >= d))
            }
            None => true,
        }
    }

    /// Whether the rule depends on the lease date.
    pub fn depends_on_lease(&self) -> bool {
        self.lease_from.is_some() || self.lease_before.is_some()
    }
}

/// The trêve hivernale: no eviction from 1 November to 31 March (end configurable per year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WinterTruce {
    /// First day, "MM-DD".
    pub start: String,
    /// Last day, "MM-DD".
    pub end: String,
    /// Legal reference.
    #[serde(default)]
    pub reference: String,
    /// Exceptional last days, by the year the trêve ends in ("2021" → 2021-05-31).
    #[serde(default)]
    pub end_by_year: BTreeMap<String, NaiveDate>,
}

fn month_day(text: &str, year: i32) -> Option<NaiveDate> {
    let (m, d) = text.split_once('-')?;
    NaiveDate::from_ymd_opt(year, m.trim().parse().ok()?, d.trim().parse().ok()?)
}

impl WinterTruce {
    /// The trêve ending in `year` (started in November of `year - 1`).
    pub fn period_ending_in(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let start = month_day(&self.start, year - 1)?;
        let end = match self.end_by_year.get(&year.to_string()) {
            Some(d) => *d,
            None => month_day(&self.end, year)?,
        };
        Some((start, end))
    }

    /// The trêve holding `date`, if any.
    pub fn containing(&self, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        [date.year(), date.year() + 1]
            .into_iter()
            .filter_map(|y| self.period_ending_in(y))
            .find(|(s, e)| *s <= date && date <= *e)
    }
}

/// Every rule and the trêve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// The trêve hivernale.
    pub winter_truce: WinterTruce,
    /// The rules, in file order.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::parse(DEFAULT_RULES, "rules.toml (intégré)").expect("the shipped rules are valid")
    }
}

/// A rules file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The file could not be read.
    #[error("lecture impossible du fichier de règles « {path} » : {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid.
    #[error("fichier de règles « {path} » invalide, ligne {line}, colonne {column} : {message}")]
    Invalid {
        /// The file.
        path: String,
        /// Line, from 1.
        line: usize,
        /// Column, from 1.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl Rules {
    /// Parses rules from TOML text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Rules, RulesError> {
        let rules: Rules = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            RulesError::Invalid {
                path: origin.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        if rules.winter_truce.period_ending_in(2027).is_none() {
            return Err(RulesError::Invalid {
                path: origin.to_string(),
                line: text
                    .lines()
                    .position(|l| l.trim_start().starts_with("[winter_truce]"))
                    .map_or(1, |i| i + 1),
                column: 1,
                message:
                    "trêve hivernale : « start » et « end » s'écrivent MM-JJ (\"11-01\", \"03-31\")"
                        .to_string(),
            });
        }
        for r in &rules.rules {
            if r.amount == 0 {
                return Err(RulesError::Invalid {
                    path: origin.to_string(),
                    line: locate(text, &r.id),
                    column: 1,
                    message: format!("la règle « {} » a un délai nul", r.id),
                });
            }
        }
        Ok(rules)
    }

    /// The distinct step names, in file order.
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for r in &self.rules {
            if !ids.contains(&r.id.as_str()) {
                ids.push(&r.id);
            }
        }
        ids
    }

    /// The rules named `id` that apply to an event on `event_date` under that lease.
    pub fn select(
        &self,
        id: &str,
        event_date: NaiveDate,
        lease_date: Option<NaiveDate>,
    ) -> Vec<&Rule> {
        self.rules
            .iter()
            .filter(|r| r.id == id && r.applies(event_date, lease_date))
            .collect()
    }
}

fn locate(text: &str, id: &str) -> usize {
    let needle = format!("\"{id}\"");
    text.lines()
        .position(|l| l.contains(&needle))
        .map_or(1, |i| i + 1)
}

/// One computed legal deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadline {
    /// Step name of the rule.
    pub rule_id: String,
    /// French label.
    pub label: String,
    /// What the delay does.
    pub kind: RuleKind,
    /// The date the delay runs from (event date, or hearing date).
    pub from: NaiveDate,
    /// Last day of the delay, after moves past non-working days (the last day to act for a
    /// backward delay).
    pub expires: NaiveDate,
    /// First day the next step is possible (forward delays), after the trêve if it applies.
    pub next_step_from: Option<NaiveDate>,
    /// One French sentence: "clause résolutoire acquise … possible à partir du 03/03/2026".
    pub summary: String,
    /// The whole computation in French.
    pub explanation: String,
    /// Legal reference.
    pub reference: String,
    /// "À vérifier".
    pub unverified: bool,
    /// Days skipped and why.
    pub skipped: Vec<SkippedDay>,
    /// Frozen by a surendettement recevabilité, until that date at most.
    pub frozen_until: Option<NaiveDate>,
    /// The date passed and the step was not taken.
    pub late: bool,
}

/// Computes one rule from `from` in `zone`: the calculator and the engine both use it.
pub fn apply_rule(rule: &Rule, from: NaiveDate, zone: Zone, truce: &WinterTruce) -> Deadline {
    let c: Computation = compute(from, &rule.delay(), zone);
    let mut explanation = format!("{} {}", rule.explanation, c.explanation);
    let mut next = match (rule.direction, rule.kind) {
        (Direction::Forward, RuleKind::Allows | RuleKind::Requires) => {
            Some(c.expires + Duration::days(1))
        }
        _ => None,
    };
    if rule.winter_truce
        && let Some(n) = next
        && let Some((start, end)) = truce.containing(n)
    {
        let after = end + Duration::days(1);
        explanation.push_str(&format!(
            " Le {} tombe pendant la trêve hivernale (du {} au {}, {}) : reporté au {}.",
            format_fr(n),
            format_fr(start),
            format_fr(end),
            if truce.reference.is_empty() {
                "CPCE L412-6"
            } else {
                &truce.reference
            },
            format_fr(after)
        ));
        next = Some(after);
    }
    if rule.unverified {
        explanation.push_str(" À vérifier : point non confirmé par la recherche juridique.");
    }
    let summary = match (rule.kind, rule.direction) {
        (RuleKind::Allows, _) => format!(
            "{} : {} possible à partir du {}",
            rule.label,
            rule.step,
            next.map(format_fr).unwrap_or_default()
        ),
        (RuleKind::Requires, Direction::Backward) => format!(
            "{} : au plus tard le {} (audience du {})",
            rule.label,
            format_fr(c.expires),
            format_fr(from)
        ),
        (RuleKind::Requires, Direction::Forward) => {
            format!(
                "{} : {} au plus tard le {}",
                rule.label,
                rule.step,
                format_fr(c.expires)
            )
        }
        (RuleKind::Limit, _) => {
            format!("{} : {} le {}", rule.label, rule.step, format_fr(c.expires))
        }
        (RuleKind::Freeze, _) => format!(
            "{} : mesures d'exécution gelées jusqu'au {} au plus tard",
            rule.label,
            format_fr(c.expires)
        ),
    };
    Deadline {
        rule_id: rule.id.clone(),
        label: rule.label.clone(),
        kind: rule.kind,
        from,
        expires: c.expires,
        next_step_from: next,
        summary,
        explanation: explanation.trim().to_string(),
        reference: rule.reference.clone(),
        unverified: rule.unverified,
        skipped: c.skipped,
        frozen_until: None,
        late: false,
    }
}

/// The codes an event answers to: its kind, plus a finer code for some outcomes.
fn event_codes(detail: &EventDetail) -> Vec<&'static str> {
    let mut codes = vec![detail.code()];
    match detail {
        EventDetail::Judgement {
            outcome: JudgementOutcome::PaymentDelays,
            ..
        } => codes.extend(["judgement_payment_delays", "judgement_enforceable"]),
        EventDetail::Judgement {
            outcome: JudgementOutcome::LeaseTerminated,
            ..
        } => codes.push("judgement_enforceable"),
        EventDetail::Overindebtedness {
            stage: OverindebtednessStage::Admissible,
            ..
        } => codes.push("overindebtedness_admissible"),
        _ => {}
    }
    codes
}

/// The open legal deadlines of the file's open dossier, as of `today`, nearest first.
///
/// For each rule, the latest event of its trigger in the open dossier starts the delay; the
/// deadline is closed once an event of `done_by` follows it; a lapsing deadline disappears once
/// past; enforcement steps are frozen while a surendettement recevabilité holds (2 years at most,
/// until measures or an erasure are recorded).
pub fn deadlines(file: &HouseholdFile, today: NaiveDate, rules: &Rules) -> Vec<Deadline> {
    let Some(dossier) = file.open_dossier() else {
        return Vec::new();
    };
    let zone = file.zone();
    let lease_date = file.lease.as_ref().map(|l| l.concluded_on);
    let mut events: Vec<_> = file
        .events
        .iter()
        .filter(|e| e.dossier_id == dossier.id && e.date <= today)
        .collect();
    events.sort_by_key(|e| (e.date, e.id));
    let latest = |code: &str| {
        events
            .iter()
            .rev()
            .find(|e| event_codes(&e.detail).contains(&code))
            .copied()
    };
    // Surendettement freeze: recevabilité not followed by measures or an erasure.
    let freeze = latest("overindebtedness_admissible").and_then(|adm| {
        let ended = events.iter().any(|e| {
            e.date >= adm.date
                && matches!(
                    e.detail,
                    EventDetail::Overindebtedness {
                        stage: OverindebtednessStage::Measures | OverindebtednessStage::Erasure,
                        ..
                    }
                )
        });
        let until = super::dates::add_months(adm.date, 24);
        (!ended && today <= until).then_some((adm.date, until))
    });
    let departed = file.household.status == super::household::TenantStatus::Departed;
    let mut out = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for rule in &rules.rules {
        if departed && rule.present_only {
            continue;
        }
        let Some(ev) = latest(&rule.trigger) else {
            continue;
        };
        if !rule.applies(ev.date, lease_date) {
            continue;
        }
        // With an unknown lease date, the first matching regime is used (the longest delay
        // comes first in the shipped file).
        if rule.depends_on_lease() && lease_date.is_none() {
            if seen.contains(&rule.id.as_str()) {
                continue;
            }
            seen.push(&rule.id);
        }
        let done = events.iter().any(|e| {
            (e.date, e.id) >= (ev.date, ev.id)
                && e.id != ev.id
                && event_codes(&e.detail)
                    .iter()
                    .any(|c| rule.done_by.iter().any(|d| d == c))
        });
        if done {
            continue;
        }
        let from = match (rule.anchor, &ev.detail) {
            (Anchor::Hearing, EventDetail::Summons { hearing_on, .. }) => {
                let adjourned = events
                    .iter()
                    .rev()
                    .filter(|e| e.date >= ev.date)
                    .find_map(|e| match e.detail {
                        EventDetail::Hearing {
                            adjourned_to: Some(d),
                        } => Some(d),
                        _ => None,
                    });
                adjourned.unwrap_or(*hearing_on)
            }
            _ => ev.date,
        };
        // Payment delays: the months the judge granted, when recorded, instead of the maximum.
        let granted;
        let rule = match &ev.detail {
            EventDetail::Judgement {
                outcome: JudgementOutcome::PaymentDelays,
                months: Some(m),
                ..
            } if rule.trigger == "judgement_payment_delays" && *m > 0 => {
                let mut r = rule.clone();
                r.amount = *m;
                r.unit = Unit::Months;
                r.explanation = format!("{} Le juge a accordé {m} mois.", r.explanation);
                granted = r;
                &granted
            }
            _ => rule,
        };
        let mut d = apply_rule(rule, from, zone, &rules.winter_truce);
        if rule.lapses && d.expires < today {
            continue;
        }
        d.explanation = format!(
            "Évènement : {} du {}. {}",
            ev.detail.label_fr(),
            format_fr(ev.date),
            d.explanation
        );
        if rule.kind != RuleKind::Limit && rule.kind != RuleKind::Freeze && d.expires < today {
            d.late = rule.kind == RuleKind::Requires;
        }
        if rule.enforcement
            && let Some((since, until)) = freeze
        {
            d.frozen_until = Some(until);
            d.summary = format!(
                "{} — GELÉ : surendettement recevable le {}, mesures d'exécution suspendues jusqu'au {} au plus tard",
                d.summary,
                format_fr(since),
                format_fr(until)
            );
            d.explanation.push_str(&format!(
                " Recevabilité du surendettement le {} : les mesures d'exécution sont suspendues (2 ans au plus, C. consom. L722-2) ; l'expulsion ne l'est que si le juge l'ordonne.",
                format_fr(since)
            ));
        }
        out.push(d);
    }
    // Missing obligation: an impayé constitué (detection's CAF threshold) not yet reported.
    let caf =
        super::detection::caf_of_file(file, today, &super::detection::DetectionRules::default());
    if let Some(reached) = caf.filter(|c| c.to_report).and_then(|c| c.reached_on)
        && let Some(rule) = rules
            .rules
            .iter()
            .find(|r| r.trigger == "impaye_constitue" && r.applies(reached, lease_date))
    {
        let mut d = apply_rule(rule, reached, zone, &rules.winter_truce);
        d.late = d.expires < today;
        d.explanation = format!(
            "Impayé constitué le {} et non signalé. {}",
            format_fr(reached),
            d.explanation
        );
        out.push(d);
    }
    out.sort_by_key(|d| d.next_step_from.unwrap_or(d.expires));
    out
}

#[cfg(test)]
mod tests;
