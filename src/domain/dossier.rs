//! The arrears dossier: its phase, referents, causes and next action.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::household::Role;

/// Where a dossier stands in the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Prévention: followed by a CESF.
    Prevention,
    /// Précontentieux: amicable recovery.
    Amicable,
    /// Contentieux: court procedure.
    Litigation,
    /// Locataire parti: the tenant left owing money.
    Departed,
    /// Clos.
    Closed,
}

impl Phase {
    /// Every phase, in procedure order.
    pub const ALL: [Phase; 5] = [
        Phase::Prevention,
        Phase::Amicable,
        Phase::Litigation,
        Phase::Departed,
        Phase::Closed,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Phase::Prevention => "prevention",
            Phase::Amicable => "amicable",
            Phase::Litigation => "litigation",
            Phase::Departed => "departed",
            Phase::Closed => "closed",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            Phase::Prevention => "prévention",
            Phase::Amicable => "amiable",
            Phase::Litigation => "contentieux",
            Phase::Departed => "parti",
            Phase::Closed => "clos",
        }
    }

    /// The role whose referent leads the dossier in this phase.
    pub fn lead_role(self) -> Option<Role> {
        match self {
            Phase::Prevention => Some(Role::Cesf),
            Phase::Amicable | Phase::Departed => Some(Role::Amicable),
            Phase::Litigation => Some(Role::Litigation),
            Phase::Closed => None,
        }
    }
}

/// Why the tenant stopped paying, as the officers record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// Perte d'emploi.
    JobLoss,
    /// Séparation.
    Separation,
    /// Maladie.
    Illness,
    /// Décès.
    Death,
    /// Coupure ou baisse des droits APL.
    HousingBenefitCut,
    /// Litige sur le logement.
    HomeDispute,
    /// Mauvaise gestion budgétaire.
    BudgetMismanagement,
    /// Inconnue.
    Unknown,
}

impl Cause {
    /// Every cause.
    pub const ALL: [Cause; 8] = [
        Cause::JobLoss,
        Cause::Separation,
        Cause::Illness,
        Cause::Death,
        Cause::HousingBenefitCut,
        Cause::HomeDispute,
        Cause::BudgetMismanagement,
        Cause::Unknown,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Cause::JobLoss => "job_loss",
            Cause::Separation => "separation",
            Cause::Illness => "illness",
            Cause::Death => "death",
            Cause::HousingBenefitCut => "housing_benefit_cut",
            Cause::HomeDispute => "home_dispute",
            Cause::BudgetMismanagement => "budget_mismanagement",
            Cause::Unknown => "unknown",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            Cause::JobLoss => "perte d'emploi",
            Cause::Separation => "séparation",
            Cause::Illness => "maladie",
            Cause::Death => "décès",
            Cause::HousingBenefitCut => "coupure APL",
            Cause::HomeDispute => "litige logement",
            Cause::BudgetMismanagement => "gestion budgétaire",
            Cause::Unknown => "inconnue",
        }
    }
}

/// Why a dossier was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpenReason {
    /// Dès le premier impayé.
    FirstUnpaid,
    /// Signalement à la CESF (by a partner, the tenant, a colleague).
    CesfReferral,
    /// The tenant left owing money.
    DepartureWithDebt,
}

impl OpenReason {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            OpenReason::FirstUnpaid => "first_unpaid",
            OpenReason::CesfReferral => "cesf_referral",
            OpenReason::DepartureWithDebt => "departure_with_debt",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            OpenReason::FirstUnpaid,
            OpenReason::CesfReferral,
            OpenReason::DepartureWithDebt,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            OpenReason::FirstUnpaid => "premier impayé",
            OpenReason::CesfReferral => "signalement CESF",
            OpenReason::DepartureWithDebt => "départ avec dette",
        }
    }
}

/// Why a dossier was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// Dette soldée.
    Settled,
    /// Admise en non-valeur or erased.
    WrittenOff,
    /// Transferred (to another landlord's service, to an agency for good).
    Transferred,
}

impl CloseReason {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            CloseReason::Settled => "settled",
            CloseReason::WrittenOff => "written_off",
            CloseReason::Transferred => "transferred",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        [
            CloseReason::Settled,
            CloseReason::WrittenOff,
            CloseReason::Transferred,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            CloseReason::Settled => "soldé",
            CloseReason::WrittenOff => "non-valeur",
            CloseReason::Transferred => "transféré",
        }
    }
}

/// The referent of each pole for one dossier (staff logins).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Referents {
    /// CESF (prévention).
    pub cesf: Option<String>,
    /// Amicable recovery officer.
    pub amicable: Option<String>,
    /// Litigation officer.
    pub litigation: Option<String>,
}

impl Referents {
    /// The referent for a role, if any.
    pub fn for_role(&self, role: Role) -> Option<&str> {
        match role {
            Role::Cesf => self.cesf.as_deref(),
            Role::Amicable => self.amicable.as_deref(),
            Role::Litigation => self.litigation.as_deref(),
            Role::Manager | Role::Admin => None,
        }
    }
}

/// An arrears dossier (dossier d'impayé).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dossier {
    /// Database id.
    pub id: i64,
    /// The household it follows.
    pub household_id: i64,
    /// Current phase.
    pub phase: Phase,
    /// One referent per pole.
    pub referents: Referents,
    /// Causes recorded by the officers.
    pub causes: Vec<Cause>,
    /// What must be done next, in a few words.
    pub next_action: Option<String>,
    /// By when.
    pub next_action_on: Option<NaiveDate>,
    /// Opening date (first unpaid rent or referral).
    pub opened_on: NaiveDate,
    /// Why it was opened.
    pub open_reason: OpenReason,
    /// Closing date.
    pub closed_on: Option<NaiveDate>,
    /// Why it was closed.
    pub close_reason: Option<CloseReason>,
}

impl Dossier {
    /// The referent who leads the dossier in its current phase.
    pub fn lead_referent(&self) -> Option<&str> {
        self.phase
            .lead_role()
            .and_then(|r| self.referents.for_role(r))
    }

    /// Whether the next action's date is past.
    pub fn next_action_overdue(&self, today: NaiveDate) -> bool {
        self.closed_on.is_none() && self.next_action_on.is_some_and(|d| d < today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for p in Phase::ALL {
            assert_eq!(Phase::from_code(p.code()), Some(p));
        }
        for c in Cause::ALL {
            assert_eq!(Cause::from_code(c.code()), Some(c));
        }
        assert_eq!(Phase::from_code("nope"), None);
    }

    #[test]
    fn lead_referent_follows_phase() {
        let mut d = Dossier {
            id: 1,
            household_id: 1,
            phase: Phase::Amicable,
            referents: Referents {
                cesf: Some("cesf1".into()),
                amicable: Some("amiable1".into()),
                litigation: Some("contentieux1".into()),
            },
            causes: vec![],
            next_action: None,
            next_action_on: NaiveDate::from_ymd_opt(2026, 11, 1),
            opened_on: NaiveDate::from_ymd_opt(2026, 1, 1).expect("date"),
            open_reason: OpenReason::FirstUnpaid,
            closed_on: None,
            close_reason: None,
        };
        assert_eq!(d.lead_referent(), Some("amiable1"));
        d.phase = Phase::Litigation;
        assert_eq!(d.lead_referent(), Some("contentieux1"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert!(d.next_action_overdue(today));
    }
}
