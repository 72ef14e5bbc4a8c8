//! Letters in batches: which open dossier gets which letter today, and why.
//!
//! The campaign rules are data (`letters/campagne.toml`, shipped in the binary and overridable
//! from the config directory): an ordered list of rules, the first one that fits a dossier
//! choosing its letter, and skip rules that protect tenants who must not receive a letter
//! (litigation, surendettement, a payment promise not yet due). A batch is checked again just
//! before it is generated: a dossier whose account received money since the selection is
//! dropped, so that nobody is threatened right after paying.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::format_fr;
use super::dossier::Phase;
use super::event::{Channel, EventDetail, ReminderLevel, level_fr};
use super::money::format_eur;
use super::plan::PlanStatus;

/// The campaign rules shipped with the program.
pub const DEFAULT_CAMPAIGN: &str = include_str!("../../letters/campagne.toml");

/// The letters the service sends in batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LetterKind {
    /// Relance niveau 1: a reminder after the first unpaid rent.
    #[serde(rename = "relance_1")]
    Relance1,
    /// Relance niveau 2: the debt is still there two weeks later.
    #[serde(rename = "relance_2")]
    Relance2,
    /// Mise en demeure: a formal notice, after a broken plan.
    MiseEnDemeure,
    /// Convocation to an appointment at the agency.
    Convocation,
    /// Proposition de plan d'apurement, with a schedule.
    PropositionPlan,
    /// Courrier au locataire parti.
    LocataireParti,
}

impl LetterKind {
    /// Every letter, in the order batches list them.
    pub const ALL: [LetterKind; 6] = [
        LetterKind::MiseEnDemeure,
        LetterKind::Relance2,
        LetterKind::Relance1,
        LetterKind::PropositionPlan,
        LetterKind::Convocation,
        LetterKind::LocataireParti,
    ];

    /// Stable code: the template's file name and the value typed after `--level`.
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::Relance1 => "relance_1",
            LetterKind::Relance2 => "relance_2",
            LetterKind::MiseEnDemeure => "mise_en_demeure",
            LetterKind::Convocation => "convocation",
            LetterKind::PropositionPlan => "proposition_plan",
            LetterKind::LocataireParti => "locataire_parti",
        }
    }

    /// Reads a code back (`relance_1`, also `relance-1`).
    pub fn from_code(code: &str) -> Option<LetterKind> {
        let c = code.trim().replace('-', "_");
        Self::ALL.into_iter().find(|k| k.code() == c)
    }

    /// The French name officers use.
    pub fn label_fr(self) -> &'static str {
        match self {
            LetterKind::Relance1 => "Relance niveau 1",
            LetterKind::Relance2 => "Relance niveau 2",
            LetterKind::MiseEnDemeure => "Mise en demeure",
            LetterKind::Convocation => "Convocation",
            LetterKind::PropositionPlan => "Proposition de plan d'apurement",
            LetterKind::LocataireParti => "Courrier au locataire parti",
        }
    }

    /// The timeline event that proves the letter was sent: a `reminder` at the letter's level,
    /// or an `appointment` for a convocation (its date is the appointment's).
    pub fn event(self, appointment_on: NaiveDate) -> EventDetail {
        let level = match self {
            LetterKind::Relance1 | LetterKind::LocataireParti => ReminderLevel::Level1,
            LetterKind::Relance2 | LetterKind::PropositionPlan => ReminderLevel::Level2,
            LetterKind::MiseEnDemeure => ReminderLevel::FormalNotice,
            LetterKind::Convocation => {
                return EventDetail::Appointment {
                    scheduled_on: appointment_on,
                    attended: None,
                };
            }
        };
        EventDetail::Reminder {
            channel: Channel::Letter,
            level,
        }
    }
}

/// The latest reminder of a dossier, as a rule names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LastReminder {
    /// No reminder at all since the dossier opened.
    None,
    /// The latest is a level 1.
    Level1,
    /// The latest is a level 2.
    Level2,
    /// The latest is a formal notice.
    FormalNotice,
}

impl LastReminder {
    fn of(level: Option<ReminderLevel>) -> LastReminder {
        match level {
            None => LastReminder::None,
            Some(ReminderLevel::Level1) => LastReminder::Level1,
            Some(ReminderLevel::Level2) => LastReminder::Level2,
            Some(ReminderLevel::FormalNotice) => LastReminder::FormalNotice,
        }
    }
}

/// What the rules need to know about one open dossier (read in bulk by the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DossierFacts {
    /// Dossier id.
    pub dossier_id: i64,
    /// Household id.
    pub household_id: i64,
    /// Account number.
    pub account: String,
    /// Holder (and co-holder) names.
    pub name: String,
    /// Phase.
    pub phase: Phase,
    /// Balance (debt when positive).
    pub debt: Decimal,
    /// Rent and charges net of APL.
    pub monthly_net: Decimal,
    /// Date of the oldest unpaid charge.
    pub arrears_since: Option<NaiveDate>,
    /// Reminders of the dossier (date, level), any channel.
    pub reminders: Vec<(NaiveDate, ReminderLevel)>,
    /// Dates appointments were recorded.
    pub appointments: Vec<NaiveDate>,
    /// Payment promises (amount, due date).
    pub promises: Vec<(Decimal, NaiveDate)>,
    /// Whether a surendettement event is on the dossier.
    pub overindebtedness: bool,
    /// Whether the dossier was handed to a collection agency.
    pub agency: bool,
    /// Newest plan: status and the date it took it.
    pub plan: Option<(PlanStatus, Option<NaiveDate>)>,
    /// Highest id of the account's credit entries (payments, APL, aid…): money received.
    pub last_credit_id: i64,
}

impl DossierFacts {
    fn last_reminder(&self) -> Option<(NaiveDate, ReminderLevel)> {
        self.reminders.iter().copied().max_by_key(|(d, _)| *d)
    }

    fn months_of_arrears(&self) -> Option<Decimal> {
        super::ledger::months_of_arrears(self.debt, self.monthly_net)
    }

    /// Whether the event `letter` records was recorded within `days` days before `today`.
    fn sent_within(&self, letter: LetterKind, days: i64, today: NaiveDate) -> bool {
        let since = today - chrono::Duration::days(days);
        match letter.event(today) {
            EventDetail::Reminder { level, .. } => self
                .reminders
                .iter()
                .any(|(d, l)| *l == level && *d > since),
            _ => self.appointments.iter().any(|d| *d > since),
        }
    }
}

/// What the rules decide for a dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Decision {
    /// Send this letter, for these reasons.
    Letter {
        /// The letter.
        letter: LetterKind,
        /// Why, in French.
        reason: String,
    },
    /// A rule chose a letter but a skip rule stops it.
    Skipped {
        /// The letter it would have been.
        letter: LetterKind,
        /// Why not, in French.
        reason: String,
    },
    /// No rule applies.
    Nothing,
}

fn days(from: NaiveDate, today: NaiveDate) -> i64 {
    (today - from).num_days()
}

/// Checks a rule; returns the French reasons when every condition holds.
fn check(rule: &Rule, f: &DossierFacts, today: NaiveDate) -> Option<Vec<String>> {
    let mut why = Vec::new();
    if !rule.phases.contains(&f.phase) {
        return None;
    }
    let last = f.last_reminder();
    if let Some(want) = rule.last_reminder {
        if LastReminder::of(last.map(|(_, l)| l)) != want {
            return None;
        }
        match last {
            Some((d, l)) => why.push(format!(
                "dernière relance : {} du {}",
                level_fr(l),
                format_fr(d)
            )),
            None => why.push("aucune relance depuis l'ouverture du dossier".into()),
        }
    }
    if let Some(n) = rule.last_reminder_older_than_days {
        let (d, _) = last?;
        if days(d, today) < n {
            return None;
        }
        why.push(format!("il y a {} jours", days(d, today)));
    }
    if let Some(n) = rule.no_reminder_within_days
        && last.is_some_and(|(d, _)| days(d, today) < n)
    {
        return None;
    }
    if let Some(n) = rule.unpaid_older_than_days {
        let since = f.arrears_since?;
        if days(since, today) < n {
            return None;
        }
        why.push(format!(
            "impayé depuis le {} ({} jours)",
            format_fr(since),
            days(since, today)
        ));
    }
    if rule.plan_broken == Some(true) {
        let Some((PlanStatus::Broken, broken_on)) = f.plan else {
            return None;
        };
        let broken_on = broken_on.unwrap_or(NaiveDate::MIN);
        if f.reminders
            .iter()
            .any(|(d, l)| *l == ReminderLevel::FormalNotice && *d >= broken_on)
        {
            return None;
        }
        why.push(match f.plan.and_then(|(_, d)| d) {
            Some(d) => format!("plan d'apurement rompu le {}", format_fr(d)),
            None => "plan d'apurement rompu".into(),
        });
    }
    if rule.no_active_plan == Some(true) && matches!(f.plan, Some((PlanStatus::Active, _))) {
        return None;
    }
    if let Some(min) = rule.min_months_of_arrears {
        let m = f.months_of_arrears()?;
        if m < min {
            return None;
        }
        why.push(format!(
            "{} mois d'impayés",
            m.to_string().replace('.', ",")
        ));
    }
    if let Some(n) = rule.not_sent_within_days
        && f.sent_within(rule.letter, n, today)
    {
        return None;
    }
    why.push(format!("dette {}", format_eur(f.debt)));
    Some(why)
}

/// Why a dossier must not receive a letter, if it must not.
fn skip_reason(f: &DossierFacts, today: NaiveDate, skip: &SkipRules) -> Option<String> {
    if skip.phases.contains(&f.phase) {
        return Some(format!("phase {}", f.phase.label_fr()));
    }
    if skip.overindebtedness && f.overindebtedness {
        return Some("dossier de surendettement".into());
    }
    if skip.agency && f.agency {
        return Some("confié à une société de recouvrement".into());
    }
    if skip.promise_not_due
        && let Some((amount, due)) = f
            .promises
            .iter()
            .filter(|(_, d)| *d >= today)
            .min_by_key(|(_, d)| *d)
    {
        return Some(format!(
            "promesse de paiement de {} au {}, pas encore échue",
            format_eur(*amount),
            format_fr(*due)
        ));
    }
    None
}

/// Decides the letter of one dossier on `today`.
pub fn decide(f: &DossierFacts, today: NaiveDate, campaign: &Campaign) -> Decision {
    if f.debt < campaign.skip.min_debt {
        return Decision::Nothing;
    }
    let Some((rule, why)) = campaign
        .rules
        .iter()
        .find_map(|r| check(r, f, today).map(|w| (r, w)))
    else {
        return Decision::Nothing;
    };
    match skip_reason(f, today, &campaign.skip) {
        Some(reason) => Decision::Skipped {
            letter: rule.letter,
            reason,
        },
        None => Decision::Letter {
            letter: rule.letter,
            reason: why.join(" ; "),
        },
    }
}

/// One dossier chosen for a letter: what was true when it was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selected {
    /// Dossier id.
    pub dossier_id: i64,
    /// Household id.
    pub household_id: i64,
    /// Account number.
    pub account: String,
    /// Names.
    pub name: String,
    /// The letter.
    pub letter: LetterKind,
    /// Why, in French.
    pub reason: String,
    /// Debt at selection.
    #[serde(with = "rust_decimal::serde::str")]
    pub debt: Decimal,
    /// Highest credit entry id at selection.
    pub last_credit_id: i64,
}

/// A dossier the rules chose but a skip rule stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    /// Account number.
    pub account: String,
    /// Names.
    pub name: String,
    /// The letter it would have been.
    pub letter: LetterKind,
    /// Why not.
    pub reason: String,
}

/// The batch of the day: letters to send, and letters held back with their reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Batch {
    /// Letters to send, by letter then account.
    pub letters: Vec<Selected>,
    /// Held back.
    pub excluded: Vec<Excluded>,
}

/// Runs the campaign over every open dossier; `levels` restricts it to some letters.
pub fn select(
    facts: &[DossierFacts],
    today: NaiveDate,
    campaign: &Campaign,
    levels: &[LetterKind],
) -> Batch {
    let mut batch = Batch::default();
    for f in facts {
        match decide(f, today, campaign) {
            Decision::Letter { letter, reason }
                if levels.is_empty() || levels.contains(&letter) =>
            {
                batch.letters.push(Selected {
                    dossier_id: f.dossier_id,
                    household_id: f.household_id,
                    account: f.account.clone(),
                    name: f.name.clone(),
                    letter,
                    reason,
                    debt: f.debt,
                    last_credit_id: f.last_credit_id,
                })
            }
            Decision::Skipped { letter, reason }
                if levels.is_empty() || levels.contains(&letter) =>
            {
                batch.excluded.push(Excluded {
                    account: f.account.clone(),
                    name: f.name.clone(),
                    letter,
                    reason,
                })
            }
            _ => {}
        }
    }
    let order = |l: LetterKind| LetterKind::ALL.iter().position(|k| *k == l);
    batch
        .letters
        .sort_by(|a, b| (order(a.letter), &a.account).cmp(&(order(b.letter), &b.account)));
    batch
        .excluded
        .sort_by(|a, b| (order(a.letter), &a.account).cmp(&(order(b.letter), &b.account)));
    batch
}

/// Checks a selected dossier again just before its letter is made, against the account as it
/// is now: a dossier that received money since the selection, or that the rules no longer
/// choose for that letter, is dropped with the reason.
pub fn recheck(
    selected: &Selected,
    now: Option<&DossierFacts>,
    today: NaiveDate,
    campaign: &Campaign,
) -> Result<(), String> {
    let Some(now) = now else {
        return Err("dossier clos depuis la sélection".into());
    };
    if now.last_credit_id > selected.last_credit_id || now.debt < selected.debt {
        return Err(format!(
            "versement reçu depuis la sélection (dette {} → {})",
            format_eur(selected.debt),
            format_eur(now.debt)
        ));
    }
    match decide(now, today, campaign) {
        Decision::Letter { letter, .. } if letter == selected.letter => Ok(()),
        Decision::Skipped { reason, .. } => Err(reason),
        _ => Err("ne remplit plus les conditions de la campagne".into()),
    }
}

/// The schedule a plan proposal offers: monthly instalments of at least the minimum, over at
/// most the maximum number of months, due on the configured day from next month.
pub fn proposed_schedule(
    debt: Decimal,
    today: NaiveDate,
    p: &PlanProposal,
) -> Vec<super::plan::Instalment> {
    if debt <= Decimal::ZERO || p.max_months == 0 {
        return Vec::new();
    }
    let by_minimum = (debt / p.min_instalment.max(Decimal::ONE)).floor();
    let count = by_minimum
        .to_string()
        .parse::<u32>()
        .unwrap_or(p.max_months)
        .clamp(1, p.max_months);
    let next = super::dates::add_months(super::dates::month_start(today), 1);
    let first = next.with_day(p.due_day.clamp(1, 28)).unwrap_or(next);
    super::plan::generate_instalments(debt, count, first)
}

/// The day of a convocation: `days_after` days after `today`, moved to the next working day of
/// the home's zone.
pub fn appointment_day(
    today: NaiveDate,
    rules: &ConvocationRules,
    zone: super::calendar::Zone,
) -> NaiveDate {
    let mut d = today + chrono::Duration::days(rules.days_after.max(1));
    while !super::calendar::is_working_day(d, zone) {
        d += chrono::Duration::days(1);
    }
    d
}

#[path = "letters_campaign.rs"]
mod campaign;
pub use campaign::*;

#[cfg(test)]
#[path = "letters_tests.rs"]
mod tests;
