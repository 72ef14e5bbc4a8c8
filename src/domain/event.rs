//! Timeline events: every step of domain.md §3, each kind with the fields it needs.
//!
//! The kind and its fields are one Rust enum (`EventDetail`), stored as a code plus a JSON
//! document; the code is what queries and figures filter on.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::dossier::Phase;

mod wording;
pub use wording::{channel_fr, level_fr, scheme_fr};

/// How a letter or a call reached the tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Courrier.
    Letter,
    /// SMS.
    Sms,
    /// Courriel.
    Email,
    /// Téléphone.
    Phone,
    /// En personne, à l'accueil.
    InPerson,
}

/// Level of a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderLevel {
    /// Relance niveau 1.
    Level1,
    /// Relance niveau 2.
    Level2,
    /// Mise en demeure.
    FormalNotice,
}

/// Direction of a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Contact entrant (the tenant called or came).
    Incoming,
    /// Contact sortant (the officer called).
    Outgoing,
}

/// Outcome of a home visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitOutcome {
    /// Tenant met.
    Met,
    /// Nobody home (avis de passage left).
    Absent,
    /// Tenant refused the visit.
    Refused,
}

/// Who an aid request goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AidScheme {
    /// Fonds de solidarité pour le logement.
    Fsl,
    /// CAF (aide exceptionnelle, rappel de droits).
    Caf,
    /// Centre communal d'action sociale.
    Ccas,
    /// Action Logement.
    ActionLogement,
    /// Employeur.
    Employer,
    /// Autre.
    Other,
}

/// A court's decision on the landlord's claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JudgementOutcome {
    /// Payment delays granted, the termination clause suspended.
    PaymentDelays,
    /// Lease terminated / termination clause acquired, eviction ordered.
    LeaseTerminated,
    /// Claim dismissed.
    Dismissed,
}

/// Stage of a surendettement procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverindebtednessStage {
    /// Dossier déposé à la Banque de France.
    Filed,
    /// Recevabilité: enforcement steps are frozen.
    Admissible,
    /// Mesures imposées ou plan conventionnel.
    Measures,
    /// Effacement (rétablissement personnel).
    Erasure,
}

/// An event's kind and the fields that kind needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventDetail {
    /// Relance (letter, SMS, e-mail, phone; level 1, 2 or formal notice).
    Reminder {
        /// How it was sent.
        channel: Channel,
        /// Its level.
        level: ReminderLevel,
    },
    /// Contact entrant/sortant.
    Contact {
        /// Who initiated it.
        direction: Direction,
        /// How.
        channel: Channel,
    },
    /// Convocation / rendez-vous.
    Appointment {
        /// Day of the appointment.
        scheduled_on: NaiveDate,
        /// Whether the tenant came (unknown before the day).
        attended: Option<bool>,
    },
    /// Visite à domicile.
    HomeVisit {
        /// What happened.
        outcome: VisitOutcome,
    },
    /// Évaluation budgétaire.
    BudgetReview {
        /// Monthly income of the household.
        income: Decimal,
        /// Monthly expenses, rent included.
        expenses: Decimal,
    },
    /// Demande d'aide.
    AidRequest {
        /// To whom.
        scheme: AidScheme,
        /// Amount asked.
        amount: Option<Decimal>,
    },
    /// Réponse à une demande d'aide.
    AidDecision {
        /// From whom.
        scheme: AidScheme,
        /// Granted or refused.
        granted: bool,
        /// Amount granted.
        amount: Option<Decimal>,
    },
    /// Signalement de l'impayé à la CAF/MSA.
    CafReport {
        /// Debt reported.
        debt: Decimal,
    },
    /// Plan d'apurement signé.
    PlanSigned {
        /// Debt the plan covers.
        amount: Decimal,
        /// Number of instalments.
        instalments: u32,
        /// Instalment amount (the last one may differ).
        monthly: Decimal,
        /// Approved by the CAF (keeps the APL).
        caf_approved: bool,
    },
    /// Promesse de paiement.
    Promise {
        /// Amount promised.
        amount: Decimal,
        /// By when.
        due_on: NaiveDate,
    },
    /// Demande de mutation vers un logement moins cher.
    TransferRequest,
    /// Note (a CESF social note is confidential).
    Note {
        /// Visible only to social workers.
        confidential: bool,
    },
    /// Commandement de payer visant la clause résolutoire.
    PaymentOrder {
        /// Debt claimed.
        debt: Decimal,
        /// Bailiff's fee.
        cost: Option<Decimal>,
    },
    /// Saisine de la CCAPEX.
    CcapexReferral,
    /// Assignation.
    Summons {
        /// Hearing date.
        hearing_on: NaiveDate,
        /// Court (tribunal judiciaire / juge des contentieux de la protection).
        court: String,
    },
    /// Notification de l'assignation au préfet.
    PrefectNotice,
    /// Diagnostic social et financier.
    SocialDiagnosis,
    /// Audience.
    Hearing {
        /// New date when the case was adjourned.
        adjourned_to: Option<NaiveDate>,
    },
    /// Jugement / ordonnance.
    Judgement {
        /// What the court decided.
        outcome: JudgementOutcome,
        /// Monthly instalment granted with payment delays.
        monthly: Option<Decimal>,
        /// Number of months granted.
        months: Option<u32>,
    },
    /// Signification du jugement.
    Service,
    /// Commandement de quitter les lieux.
    EvictionOrder,
    /// Demande de concours de la force publique.
    PoliceRequest,
    /// Réponse du préfet.
    PoliceDecision {
        /// Granted or refused.
        granted: bool,
    },
    /// Expulsion / reprise des lieux.
    Eviction,
    /// Protocole de cohésion sociale.
    SocialProtocol,
    /// Départ du locataire.
    MoveOut {
        /// Forwarding address, if known.
        forwarding_address: Option<String>,
        /// Dépôt de garantie applied to the debt on leaving, if any (credited to the account).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        deposit: Option<Decimal>,
    },
    /// Sommation de payer.
    Demand,
    /// Transmission à une société de recouvrement.
    AgencyTransfer {
        /// Agency name.
        agency: String,
        /// Debt handed over.
        amount: Decimal,
    },
    /// Sommes recouvrées: what the collection agency reports having recovered. The money
    /// itself reaches the account through the landlord's books (the import), not from here.
    AgencyRecovery {
        /// Agency name.
        agency: String,
        /// Sum reported recovered.
        amount: Decimal,
    },
    /// Surendettement (dépôt, recevabilité, mesures, effacement).
    Overindebtedness {
        /// Stage reached.
        stage: OverindebtednessStage,
        /// Debt concerned or erased.
        amount: Option<Decimal>,
    },
    /// Admission en non-valeur.
    WriteOff {
        /// Amount written off.
        amount: Decimal,
    },
    /// Dette soldée.
    Settled,
    /// Decision of the monthly review on the dossier (the meeting's words are the text).
    ReviewDecision {
        /// Day of the meeting.
        review_on: NaiveDate,
        /// The quick choice.
        decision: super::review::DecisionKind,
    },
    /// Change of phase recorded by the software.
    PhaseChange {
        /// Previous phase.
        from: Phase,
        /// New phase.
        to: Phase,
    },
}

/// The kind of an event without its fields: for filters, counts and forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventKind(pub &'static str);

/// Code, French label and group of every event kind, in the order forms list them.
pub const EVENT_KINDS: &[(&str, &str, &str)] = &[
    ("reminder", "Relance", "amiable"),
    ("contact", "Contact", "amiable"),
    ("appointment", "Convocation / rendez-vous", "amiable"),
    ("home_visit", "Visite à domicile", "amiable"),
    ("budget_review", "Évaluation budgétaire", "amiable"),
    ("aid_request", "Demande d'aide", "amiable"),
    ("aid_decision", "Réponse à une demande d'aide", "amiable"),
    ("caf_report", "Signalement CAF/MSA", "amiable"),
    ("plan_signed", "Plan d'apurement signé", "amiable"),
    ("promise", "Promesse de paiement", "amiable"),
    ("transfer_request", "Demande de mutation", "amiable"),
    ("note", "Note", "amiable"),
    ("payment_order", "Commandement de payer", "contentieux"),
    ("ccapex_referral", "Saisine CCAPEX", "contentieux"),
    ("summons", "Assignation", "contentieux"),
    ("prefect_notice", "Notification au préfet", "contentieux"),
    (
        "social_diagnosis",
        "Diagnostic social et financier",
        "contentieux",
    ),
    ("hearing", "Audience", "contentieux"),
    ("judgement", "Jugement", "contentieux"),
    ("service", "Signification", "contentieux"),
    (
        "eviction_order",
        "Commandement de quitter les lieux",
        "contentieux",
    ),
    (
        "police_request",
        "Demande de concours de la force publique",
        "contentieux",
    ),
    ("police_decision", "Décision du préfet", "contentieux"),
    ("eviction", "Expulsion", "contentieux"),
    (
        "social_protocol",
        "Protocole de cohésion sociale",
        "contentieux",
    ),
    ("move_out", "Départ du locataire", "fin"),
    ("demand", "Sommation de payer", "fin"),
    (
        "agency_transfer",
        "Transmission société de recouvrement",
        "fin",
    ),
    ("agency_recovery", "Sommes recouvrées par la société", "fin"),
    ("overindebtedness", "Surendettement", "fin"),
    ("write_off", "Admission en non-valeur", "fin"),
    ("settled", "Dette soldée", "fin"),
];

/// French label of an event code (the code itself when unknown).
pub fn kind_label(code: &str) -> &str {
    if code == "phase_change" {
        return "Changement de phase";
    }
    if code == "review_decision" {
        return "Décision de la réunion mensuelle";
    }
    EVENT_KINDS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, l, _)| *l)
        .unwrap_or(code)
}

impl EventDetail {
    /// The stable code of the kind, stored in its own column.
    pub fn code(&self) -> &'static str {
        match self {
            EventDetail::Reminder { .. } => "reminder",
            EventDetail::Contact { .. } => "contact",
            EventDetail::Appointment { .. } => "appointment",
            EventDetail::HomeVisit { .. } => "home_visit",
            EventDetail::BudgetReview { .. } => "budget_review",
            EventDetail::AidRequest { .. } => "aid_request",
            EventDetail::AidDecision { .. } => "aid_decision",
            EventDetail::CafReport { .. } => "caf_report",
            EventDetail::PlanSigned { .. } => "plan_signed",
            EventDetail::Promise { .. } => "promise",
            EventDetail::TransferRequest => "transfer_request",
            EventDetail::Note { .. } => "note",
            EventDetail::PaymentOrder { .. } => "payment_order",
            EventDetail::CcapexReferral => "ccapex_referral",
            EventDetail::Summons { .. } => "summons",
            EventDetail::PrefectNotice => "prefect_notice",
            EventDetail::SocialDiagnosis => "social_diagnosis",
            EventDetail::Hearing { .. } => "hearing",
            EventDetail::Judgement { .. } => "judgement",
            EventDetail::Service => "service",
            EventDetail::EvictionOrder => "eviction_order",
            EventDetail::PoliceRequest => "police_request",
            EventDetail::PoliceDecision { .. } => "police_decision",
            EventDetail::Eviction => "eviction",
            EventDetail::SocialProtocol => "social_protocol",
            EventDetail::MoveOut { .. } => "move_out",
            EventDetail::Demand => "demand",
            EventDetail::AgencyTransfer { .. } => "agency_transfer",
            EventDetail::AgencyRecovery { .. } => "agency_recovery",
            EventDetail::Overindebtedness { .. } => "overindebtedness",
            EventDetail::WriteOff { .. } => "write_off",
            EventDetail::Settled => "settled",
            EventDetail::PhaseChange { .. } => "phase_change",
            EventDetail::ReviewDecision { .. } => "review_decision",
        }
    }

    /// The French label of the kind.
    pub fn label_fr(&self) -> &'static str {
        let code = self.code();
        if code == "phase_change" {
            return "Changement de phase";
        }
        if code == "review_decision" {
            return "Décision de la réunion mensuelle";
        }
        EVENT_KINDS
            .iter()
            .find(|(c, _, _)| *c == code)
            .map(|(_, l, _)| *l)
            .unwrap_or("Évènement")
    }

    /// Whether only social workers may read the event (CNIL, domain.md §7).
    pub fn is_confidential(&self) -> bool {
        matches!(self, EventDetail::Note { confidential: true })
    }
}

/// A dated, attributed event of a dossier's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    /// Database id.
    pub id: i64,
    /// The dossier it belongs to.
    pub dossier_id: i64,
    /// Date the step happened.
    pub date: NaiveDate,
    /// Login of the person who recorded it.
    pub author: String,
    /// Free text.
    pub text: String,
    /// Kind and fields.
    pub detail: EventDetail,
    /// When it was recorded (ISO timestamp, UTC).
    pub recorded_at: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn json_round_trip_keeps_fields() {
        let e = EventDetail::Summons {
            hearing_on: NaiveDate::from_ymd_opt(2027, 1, 12).expect("date"),
            court: "Tribunal judiciaire de Mulhouse".into(),
        };
        let json = serde_json::to_string(&e).expect("serialise");
        assert!(json.contains("\"kind\":\"summons\""));
        let back: EventDetail = serde_json::from_str(&json).expect("parse");
        assert_eq!(back, e);
        let unit: EventDetail = serde_json::from_str("{\"kind\":\"settled\"}").expect("parse");
        assert_eq!(unit, EventDetail::Settled);
    }

    #[test]
    fn every_listed_kind_has_a_label() {
        for (code, label, _) in EVENT_KINDS {
            assert_eq!(kind_label(code), *label);
        }
    }

    #[test]
    fn summaries_are_french() {
        let e = EventDetail::BudgetReview {
            income: dec!(1450),
            expenses: dec!(1200),
        };
        assert_eq!(
            e.summary_fr(),
            "ressources 1 450,00 €, charges 1 200,00 €, reste à vivre 250,00 €"
        );
        let r = EventDetail::Reminder {
            channel: Channel::Sms,
            level: ReminderLevel::Level2,
        };
        assert_eq!(r.summary_fr(), "relance niveau 2 par SMS");
        assert_eq!(r.label_fr(), "Relance");
    }
}
