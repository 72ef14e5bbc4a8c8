//! The campaign file's types: skip rules, ordered letter rules, and the parameters of plan
//! proposals and convocations (`letters/campagne.toml`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{DEFAULT_CAMPAIGN, LastReminder, LetterKind};
use crate::domain::dossier::Phase;

/// Dossiers that never get a letter, whatever the rules say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkipRules {
    /// Phases left alone (litigation has its own acts; closed dossiers are over).
    #[serde(default = "default_skip_phases")]
    pub phases: Vec<Phase>,
    /// Skip dossiers with a surendettement event (the Banque de France procedure suspends
    /// collection).
    #[serde(default = "yes")]
    pub overindebtedness: bool,
    /// Skip dossiers with a payment promise whose date has not passed.
    #[serde(default = "yes")]
    pub promise_not_due: bool,
    /// Skip dossiers handed to a collection agency (it writes to the tenant, not us).
    #[serde(default = "yes")]
    pub agency: bool,
    /// Below this debt no letter is sent.
    #[serde(default = "default_min_debt", with = "rust_decimal::serde::str")]
    pub min_debt: Decimal,
}

fn default_skip_phases() -> Vec<Phase> {
    vec![Phase::Litigation, Phase::Closed]
}
fn yes() -> bool {
    true
}
fn default_min_debt() -> Decimal {
    Decimal::ONE
}
fn default_rule_phases() -> Vec<Phase> {
    vec![Phase::Amicable]
}

impl Default for SkipRules {
    fn default() -> Self {
        SkipRules {
            phases: default_skip_phases(),
            overindebtedness: true,
            promise_not_due: true,
            agency: true,
            min_debt: default_min_debt(),
        }
    }
}

/// One campaign rule: every condition given must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// The letter it chooses.
    pub letter: LetterKind,
    /// Phases it applies to (default: amiable).
    #[serde(default = "default_rule_phases")]
    pub phases: Vec<Phase>,
    /// The dossier's latest reminder must be this one.
    pub last_reminder: Option<LastReminder>,
    /// ... and at least this many days old.
    pub last_reminder_older_than_days: Option<i64>,
    /// No reminder of any level in the last N days.
    pub no_reminder_within_days: Option<i64>,
    /// The oldest unpaid charge is at least N days old.
    pub unpaid_older_than_days: Option<i64>,
    /// The newest plan is broken, and no formal notice was sent since it broke.
    pub plan_broken: Option<bool>,
    /// No plan is running.
    pub no_active_plan: Option<bool>,
    /// At least this many months of arrears.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub min_months_of_arrears: Option<Decimal>,
    /// The same letter (the same timeline event) was not sent in the last N days.
    pub not_sent_within_days: Option<i64>,
}

/// How a plan proposal's schedule is built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanProposal {
    /// Most instalments proposed.
    #[serde(default = "default_max_months")]
    pub max_months: u32,
    /// Smallest monthly instalment proposed.
    #[serde(default = "default_min_instalment", with = "rust_decimal::serde::str")]
    pub min_instalment: Decimal,
    /// Day of the month instalments fall due, from the month after the letter.
    #[serde(default = "default_due_day")]
    pub due_day: u32,
}

fn default_max_months() -> u32 {
    12
}
fn default_min_instalment() -> Decimal {
    Decimal::new(30, 0)
}
fn default_due_day() -> u32 {
    10
}

impl Default for PlanProposal {
    fn default() -> Self {
        PlanProposal {
            max_months: default_max_months(),
            min_instalment: default_min_instalment(),
            due_day: default_due_day(),
        }
    }
}

/// When and where a convocation asks the tenant to come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConvocationRules {
    /// Days between the letter and the appointment (moved to the next working day).
    #[serde(default = "default_convocation_days")]
    pub days_after: i64,
    /// Time of the appointment, as printed.
    #[serde(default = "default_convocation_time")]
    pub time: String,
}

fn default_convocation_days() -> i64 {
    10
}
fn default_convocation_time() -> String {
    "10 h 00".into()
}

impl Default for ConvocationRules {
    fn default() -> Self {
        ConvocationRules {
            days_after: default_convocation_days(),
            time: default_convocation_time(),
        }
    }
}

/// The whole campaign: skip rules, ordered letter rules, and the letters' parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// Who never gets a letter.
    #[serde(default)]
    pub skip: SkipRules,
    /// Rules, first match wins.
    #[serde(rename = "rule", default)]
    pub rules: Vec<Rule>,
    /// Plan proposals.
    #[serde(default)]
    pub plan_proposal: PlanProposal,
    /// Convocations.
    #[serde(default)]
    pub convocation: ConvocationRules,
}

/// A campaign file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("fichier de campagne « {origin} » invalide, ligne {line}, colonne {column} : {message}")]
pub struct CampaignError {
    /// The file.
    pub origin: String,
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl Campaign {
    /// Parses a campaign from TOML text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Campaign, CampaignError> {
        toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
            let before = &text[..offset];
            CampaignError {
                origin: origin.to_string(),
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                message: e.message().to_string(),
            }
        })
    }
}

impl Default for Campaign {
    fn default() -> Self {
        // The shipped file is tested to parse; an empty campaign is the safe fallback.
        Campaign::parse(DEFAULT_CAMPAIGN, "campagne.toml").unwrap_or(Campaign {
            skip: SkipRules::default(),
            rules: Vec::new(),
            plan_proposal: PlanProposal::default(),
            convocation: ConvocationRules::default(),
        })
    }
}
