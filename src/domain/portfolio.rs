//! Read models the front ends list: one row per open dossier (the portfolio) and one per
//! household (the lookup), each with what is needed to show debt and months of arrears.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use super::dossier::Phase;
use super::household::TenantStatus;
use super::ledger::months_of_arrears;

/// One open dossier as the portfolio shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortfolioRow {
    /// Dossier id.
    pub dossier_id: i64,
    /// Household id.
    pub household_id: i64,
    /// Account number.
    pub account: String,
    /// Holder (and co-holder) names.
    pub name: String,
    /// Sector code of the home.
    pub sector: String,
    /// Present or departed.
    pub status: TenantStatus,
    /// Account balance (debt when positive).
    pub debt: Decimal,
    /// Rent and charges net of APL, for months of arrears.
    pub monthly_net: Decimal,
    /// Dossier phase.
    pub phase: Phase,
    /// Login of the referent leading the current phase.
    pub referent: Option<String>,
    /// Next action.
    pub next_action: Option<String>,
    /// Its date.
    pub next_action_on: Option<NaiveDate>,
    /// Opening date.
    pub opened_on: NaiveDate,
    /// Status of the newest plan, as last recorded (the detection records broken ones).
    pub plan_status: Option<super::plan::PlanStatus>,
    /// Alerts the arrears detection set on the dossier.
    pub flags: Vec<super::detection::Flag>,
}

impl PortfolioRow {
    /// How many alerts `alerts` lists, without building it (filters and sorts call this per row).
    pub fn alert_count(&self) -> usize {
        usize::from(self.plan_status == Some(super::plan::PlanStatus::Broken)) + self.flags.len()
    }

    /// What needs an officer's eye, in a few words: a broken plan, then the detection's alerts.
    pub fn alerts(&self) -> Vec<&'static str> {
        let mut v = Vec::new();
        if self.plan_status == Some(super::plan::PlanStatus::Broken) {
            v.push("plan rompu");
        }
        v.extend(self.flags.iter().map(|f| f.label_fr()));
        v
    }

    /// Months of arrears (debt ÷ net monthly rent), when defined.
    pub fn months_of_arrears(&self) -> Option<Decimal> {
        months_of_arrears(self.debt, self.monthly_net)
    }

    /// Whether the next action is late.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.next_action_on.is_some_and(|d| d < today)
    }
}

/// One household as the lookup lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdSummary {
    /// Household id.
    pub household_id: i64,
    /// Account number.
    pub account: String,
    /// Holder (and co-holder) names.
    pub name: String,
    /// Address of the current (or last) home.
    pub address: String,
    /// Phone number.
    pub phone: Option<String>,
    /// Present or departed.
    pub status: TenantStatus,
    /// Account balance.
    pub debt: Decimal,
    /// Rent and charges net of APL.
    pub monthly_net: Decimal,
    /// Phase of the open dossier, if any.
    pub phase: Option<Phase>,
}

impl HouseholdSummary {
    /// Months of arrears, when defined.
    pub fn months_of_arrears(&self) -> Option<Decimal> {
        months_of_arrears(self.debt, self.monthly_net)
    }
}

/// Everything known about one household: what the dossier pane and `impayes show` display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdFile {
    /// The household.
    pub household: super::household::Household,
    /// Its current (or last) lease.
    pub lease: Option<super::household::Lease>,
    /// The home of that lease.
    pub home: Option<super::household::Home>,
    /// Account entries, oldest first.
    pub entries: Vec<super::ledger::Entry>,
    /// Dossiers, newest first.
    pub dossiers: Vec<super::dossier::Dossier>,
    /// Events of all its dossiers, newest first.
    pub events: Vec<super::event::Event>,
    /// Plans of all its dossiers, newest first.
    pub plans: Vec<super::plan::Plan>,
    /// Row version of each dossier (id, version) as read: a save made from this file is
    /// refused if another officer saved the dossier since.
    #[serde(skip)]
    pub versions: Vec<(i64, i64)>,
    /// Who last changed the household's data and when (login, ISO timestamp).
    #[serde(skip)]
    pub last_change: Option<(String, String)>,
}

impl HouseholdFile {
    /// Public-holiday calendar of the home's département (metropolitan when unknown).
    pub fn zone(&self) -> super::calendar::Zone {
        self.home
            .as_ref()
            .map(|h| super::calendar::Zone::for_departement(&h.departement))
            .unwrap_or(super::calendar::Zone::Metropole)
    }

    /// Rent and charges net of APL, from the lease.
    pub fn monthly_net(&self) -> Decimal {
        let due = self
            .lease
            .as_ref()
            .map(|l| l.monthly_total())
            .unwrap_or_default();
        super::ledger::monthly_net_due(due, Decimal::ZERO, self.household.housing_benefit)
    }

    /// The account summed up as of `today`.
    pub fn summary(&self, today: NaiveDate) -> super::ledger::AccountSummary {
        super::ledger::summarize(&self.entries, self.monthly_net(), today)
    }

    /// Replaces the text of confidential social notes for readers who are not social workers
    /// (domain.md §7): the event stays visible (something happened that day), its text does not.
    pub fn hide_social_notes(&mut self) {
        self.hide_social_notes_except(&std::collections::HashSet::new());
    }

    /// As `hide_social_notes`, except the notes a CESF shared explicitly (event ids).
    pub fn hide_social_notes_except(&mut self, shared: &std::collections::HashSet<i64>) {
        for e in &mut self.events {
            if e.detail.is_confidential() && !shared.contains(&e.id) {
                e.text = "[contenu réservé aux travailleurs sociaux]".into();
            }
        }
    }

    /// The row version of a dossier as read (0 when unknown).
    pub fn version_of(&self, dossier_id: i64) -> i64 {
        self.versions
            .iter()
            .find(|(id, _)| *id == dossier_id)
            .map(|(_, v)| *v)
            .unwrap_or(0)
    }

    /// The open dossier, if any (the newest one not closed).
    pub fn open_dossier(&self) -> Option<&super::dossier::Dossier> {
        self.dossiers.iter().find(|d| d.closed_on.is_none())
    }

    /// Whether the open dossier's newest plan is broken: as the detection recorded it (what the
    /// portfolio shows), or as following it against the account finds it today, so that the
    /// dossier header says "plan rompu" whenever the portfolio does.
    pub fn plan_broken(&self, today: NaiveDate, rule: &super::plan::PlanRule) -> bool {
        use super::plan::{PlanStatus, follow_plan_with};
        let Some(d) = self.open_dossier() else {
            return false;
        };
        // Plans are newest first.
        self.plans
            .iter()
            .find(|p| p.dossier_id == d.id)
            .is_some_and(|p| {
                p.status == PlanStatus::Broken
                    || (p.status == PlanStatus::Active
                        && follow_plan_with(p, &self.entries, today, rule).status
                            == PlanStatus::Broken)
            })
    }
}
