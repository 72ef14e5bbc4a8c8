//! The monthly review (réunion mensuelle, commission impayés): the meeting, its agenda items with
//! the reasons each dossier is there, the decision taken on each, and the figures the meeting
//! screen shows (the debt's trend over twelve months).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dates::{add_months, format_fr};
use super::ledger::Entry;

/// Whether a meeting can still change. A closed meeting is read-only: its minutes are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReviewStatus {
    /// Being prepared or held.
    Open,
    /// Held and closed: nothing may change.
    Closed,
}

impl ReviewStatus {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            ReviewStatus::Open => "open",
            ReviewStatus::Closed => "closed",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "open" => Some(ReviewStatus::Open),
            "closed" => Some(ReviewStatus::Closed),
            _ => None,
        }
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            ReviewStatus::Open => "ouverte",
            ReviewStatus::Closed => "close",
        }
    }
}

/// One meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Row id.
    pub id: i64,
    /// Day of the meeting.
    pub date: NaiveDate,
    /// Open or closed.
    pub status: ReviewStatus,
    /// Who attends, as typed (logins or names).
    pub attendees: Vec<String>,
    /// Who created it.
    pub created_by: String,
    /// Who closed it, when closed.
    pub closed_by: Option<String>,
}

impl Review {
    /// Title used on screens and minutes.
    pub fn title_fr(&self) -> String {
        format!("Réunion mensuelle du {}", format_fr(self.date))
    }
}

/// Why a dossier is on the agenda: the rules' codes, plus a hand-added item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Decisions of the last meeting not done (open actions).
    PendingActions,
    /// A legal deadline runs out soon or ran out since the last meeting.
    Deadline,
    /// A legal step became possible.
    LegalStep,
    /// The repayment plan was broken.
    BrokenPlan,
    /// The debt crossed the amount threshold.
    DebtThreshold,
    /// The months of arrears crossed the threshold.
    MonthsThreshold,
    /// A CESF referral was requested.
    CesfReferral,
    /// No contact with the tenant for a long time.
    NoContact,
    /// Dossier opened since the last meeting.
    NewDossier,
    /// Added by an officer.
    Manual,
}

impl ReasonCode {
    /// Weight of the reason in the item's priority (higher comes first within a referent).
    pub fn weight(self) -> u32 {
        match self {
            ReasonCode::PendingActions => 60,
            ReasonCode::Deadline => 80,
            ReasonCode::LegalStep => 70,
            ReasonCode::BrokenPlan => 50,
            ReasonCode::DebtThreshold => 40,
            ReasonCode::MonthsThreshold => 40,
            ReasonCode::CesfReferral => 30,
            ReasonCode::NoContact => 20,
            ReasonCode::NewDossier => 10,
            ReasonCode::Manual => 35,
        }
    }

    /// Short French label (minutes' tables, the agenda list).
    pub fn label_fr(self) -> &'static str {
        match self {
            ReasonCode::PendingActions => "décisions non réalisées",
            ReasonCode::Deadline => "délai légal proche",
            ReasonCode::LegalStep => "étape possible",
            ReasonCode::BrokenPlan => "plan rompu",
            ReasonCode::DebtThreshold => "seuil de dette",
            ReasonCode::MonthsThreshold => "seuil de mois d'impayé",
            ReasonCode::CesfReferral => "orientation CESF",
            ReasonCode::NoContact => "sans contact",
            ReasonCode::NewDossier => "nouveau dossier",
            ReasonCode::Manual => "ajouté à la main",
        }
    }
}

/// One reason, with the French sentence that explains it for this dossier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Its rule.
    pub code: ReasonCode,
    /// The sentence ("dette 3 250,00 €, au-dessus du seuil de 3 000,00 € depuis la dernière réunion").
    pub text: String,
}

/// The priority of a set of reasons: the sum of their weights.
pub fn priority(reasons: &[Reason]) -> u32 {
    reasons.iter().map(|r| r.code.weight()).sum()
}

/// One dossier on a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewItem {
    /// Row id.
    pub id: i64,
    /// The meeting.
    pub review_id: i64,
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
    /// Debt when the item was put on the agenda.
    pub debt: Decimal,
    /// Months of arrears then, when defined.
    pub months: Option<Decimal>,
    /// Why it is there.
    pub reasons: Vec<Reason>,
    /// Position on the agenda (1-based).
    pub position: i64,
    /// Added by hand rather than proposed by the rules.
    pub manual: bool,
    /// Taken off the agenda before the meeting (kept, so the minutes can say so).
    pub removed: bool,
    /// The decision, once taken.
    pub decision: Option<Decision>,
}

/// The quick choices of the decision form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// Maintenir le suivi.
    MaintainFollowUp,
    /// Proposer un plan d'apurement.
    ProposePlan,
    /// Visite CESF.
    CesfVisit,
    /// Dossier FSL.
    FslFile,
    /// Commandement de payer.
    PaymentOrder,
    /// Assignation.
    Summons,
    /// Demande de concours de la force publique.
    PoliceRequest,
    /// Clôturer le dossier.
    Close,
    /// Anything else, said in the text.
    Other,
}

impl DecisionKind {
    /// Every kind, in the form's order.
    pub const ALL: [DecisionKind; 9] = [
        DecisionKind::MaintainFollowUp,
        DecisionKind::ProposePlan,
        DecisionKind::CesfVisit,
        DecisionKind::FslFile,
        DecisionKind::PaymentOrder,
        DecisionKind::Summons,
        DecisionKind::PoliceRequest,
        DecisionKind::Close,
        DecisionKind::Other,
    ];

    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            DecisionKind::MaintainFollowUp => "maintain_follow_up",
            DecisionKind::ProposePlan => "propose_plan",
            DecisionKind::CesfVisit => "cesf_visit",
            DecisionKind::FslFile => "fsl_file",
            DecisionKind::PaymentOrder => "payment_order",
            DecisionKind::Summons => "summons",
            DecisionKind::PoliceRequest => "police_request",
            DecisionKind::Close => "close",
            DecisionKind::Other => "other",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            DecisionKind::MaintainFollowUp => "Maintenir le suivi",
            DecisionKind::ProposePlan => "Proposer un plan d'apurement",
            DecisionKind::CesfVisit => "Visite CESF",
            DecisionKind::FslFile => "Dossier FSL",
            DecisionKind::PaymentOrder => "Commandement de payer",
            DecisionKind::Summons => "Assignation",
            DecisionKind::PoliceRequest => "Demande de concours de la force publique",
            DecisionKind::Close => "Clôturer le dossier",
            DecisionKind::Other => "Autre décision",
        }
    }

    /// The action an officer is usually given for this decision (the form's default text).
    pub fn default_action_fr(self) -> &'static str {
        match self {
            DecisionKind::MaintainFollowUp => "Poursuivre le suivi du dossier",
            DecisionKind::ProposePlan => "Proposer un plan d'apurement au locataire",
            DecisionKind::CesfVisit => "Visite à domicile de la CESF",
            DecisionKind::FslFile => "Monter le dossier FSL",
            DecisionKind::PaymentOrder => "Faire délivrer le commandement de payer",
            DecisionKind::Summons => "Faire délivrer l'assignation",
            DecisionKind::PoliceRequest => "Demander le concours de la force publique",
            DecisionKind::Close => "Clôturer le dossier",
            DecisionKind::Other => "",
        }
    }
}

/// The decision taken on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Row id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// The quick choice.
    pub kind: DecisionKind,
    /// The meeting's words.
    pub text: String,
    /// Who recorded it.
    pub decided_by: String,
    /// The meeting's day.
    pub decided_on: NaiveDate,
}

impl Decision {
    /// One French line: "Commandement de payer — accord de la direction".
    pub fn summary_fr(&self) -> String {
        if self.text.trim().is_empty() {
            self.kind.label_fr().to_string()
        } else {
            format!("{} — {}", self.kind.label_fr(), self.text.trim())
        }
    }
}

/// The account's balance at the end of each of the `months` months up to `today`'s month
/// (oldest first; the last value is the balance on `today`): the meeting screen's trend.
pub fn monthly_debt(entries: &[Entry], today: NaiveDate, months: u32) -> Vec<Decimal> {
    let mut out = Vec::with_capacity(months as usize);
    for back in (0..months).rev() {
        let end = if back == 0 {
            today
        } else {
            // Last day of the month `back` months before today's.
            let first_of_month = super::dates::month_start(today);
            add_months(first_of_month, 1 - back as i32) - chrono::Duration::days(1)
        };
        out.push(
            entries
                .iter()
                .filter(|e| e.date <= end)
                .map(|e| e.amount)
                .sum(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ledger::EntryKind;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn entry(date: NaiveDate, amount: Decimal) -> Entry {
        Entry {
            id: 0,
            date,
            kind: if amount > Decimal::ZERO {
                EntryKind::RentCall
            } else {
                EntryKind::Payment
            },
            amount,
            label: String::new(),
            reference: None,
        }
    }

    #[test]
    fn monthly_debt_is_the_balance_at_each_month_end() {
        // Rent of 500 called on the 1st of September, October, November; 200 paid on 15/10.
        let entries = vec![
            entry(d(2026, 9, 1), dec!(500)),
            entry(d(2026, 10, 1), dec!(500)),
            entry(d(2026, 10, 15), dec!(-200)),
            entry(d(2026, 11, 1), dec!(500)),
        ];
        let trend = monthly_debt(&entries, d(2026, 11, 22), 4);
        // End of August 0; end of September 500; end of October 800; on 22/11 1 300.
        assert_eq!(trend, vec![dec!(0), dec!(500), dec!(800), dec!(1300)]);
        assert_eq!(monthly_debt(&entries, d(2026, 11, 22), 12).len(), 12);
    }

    #[test]
    fn codes_round_trip_and_priority_sums_weights() {
        for k in DecisionKind::ALL {
            assert_eq!(DecisionKind::from_code(k.code()), Some(k));
        }
        assert_eq!(
            ReviewStatus::from_code("closed"),
            Some(ReviewStatus::Closed)
        );
        let reasons = vec![
            Reason {
                code: ReasonCode::BrokenPlan,
                text: String::new(),
            },
            Reason {
                code: ReasonCode::NewDossier,
                text: String::new(),
            },
        ];
        assert_eq!(priority(&reasons), 60);
    }
}
