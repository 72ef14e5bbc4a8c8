//! The French wording of events: one-line summaries of their fields for timelines, and the
//! names of channels, reminder levels and aid schemes.

use rust_decimal::Decimal;

use super::*;
use crate::domain::dates::format_fr;
use crate::domain::money::format_eur;

impl EventDetail {
    /// A short French summary of the fields, for one-line timelines.
    pub fn summary_fr(&self) -> String {
        match self {
            EventDetail::Reminder { channel, level } => {
                format!("{} par {}", level_fr(*level), channel_fr(*channel))
            }
            EventDetail::Contact { direction, channel } => format!(
                "{} ({})",
                match direction {
                    Direction::Incoming => "entrant",
                    Direction::Outgoing => "sortant",
                },
                channel_fr(*channel)
            ),
            EventDetail::Appointment {
                scheduled_on,
                attended,
            } => format!(
                "le {}{}",
                format_fr(*scheduled_on),
                match attended {
                    Some(true) => ", honoré",
                    Some(false) => ", non honoré",
                    None => "",
                }
            ),
            EventDetail::HomeVisit { outcome } => match outcome {
                VisitOutcome::Met => "locataire rencontré".into(),
                VisitOutcome::Absent => "absent, avis de passage".into(),
                VisitOutcome::Refused => "visite refusée".into(),
            },
            EventDetail::BudgetReview { income, expenses } => format!(
                "ressources {}, charges {}, reste à vivre {}",
                format_eur(*income),
                format_eur(*expenses),
                format_eur(*income - *expenses)
            ),
            EventDetail::AidRequest { scheme, amount } => {
                format!("{}{}", scheme_fr(*scheme), opt_amount(*amount))
            }
            EventDetail::AidDecision {
                scheme,
                granted,
                amount,
            } => format!(
                "{} {}{}",
                scheme_fr(*scheme),
                if *granted { "accordée" } else { "refusée" },
                opt_amount(*amount)
            ),
            EventDetail::CafReport { debt } => format!("dette signalée {}", format_eur(*debt)),
            EventDetail::PlanSigned {
                amount,
                instalments,
                monthly,
                caf_approved,
            } => format!(
                "{} en {} échéances de {}{}",
                format_eur(*amount),
                instalments,
                format_eur(*monthly),
                if *caf_approved { ", validé CAF" } else { "" }
            ),
            EventDetail::Promise { amount, due_on } => {
                format!("{} avant le {}", format_eur(*amount), format_fr(*due_on))
            }
            EventDetail::Note { confidential } => {
                if *confidential {
                    "note sociale confidentielle".into()
                } else {
                    String::new()
                }
            }
            EventDetail::PaymentOrder { debt, cost } => format!(
                "dette visée {}{}",
                format_eur(*debt),
                cost.map(|c| format!(", frais {}", format_eur(c)))
                    .unwrap_or_default()
            ),
            EventDetail::Summons { hearing_on, court } => {
                format!("audience le {} ({court})", format_fr(*hearing_on))
            }
            EventDetail::Hearing { adjourned_to } => match adjourned_to {
                Some(d) => format!("renvoyée au {}", format_fr(*d)),
                None => "affaire plaidée".into(),
            },
            EventDetail::Judgement {
                outcome,
                monthly,
                months,
            } => match outcome {
                JudgementOutcome::PaymentDelays => format!(
                    "délais de paiement{}{}",
                    months.map(|m| format!(" sur {m} mois")).unwrap_or_default(),
                    monthly
                        .map(|a| format!(", {} par mois", format_eur(a)))
                        .unwrap_or_default()
                ),
                JudgementOutcome::LeaseTerminated => "résiliation du bail, expulsion".into(),
                JudgementOutcome::Dismissed => "demande rejetée".into(),
            },
            EventDetail::PoliceDecision { granted } => {
                if *granted {
                    "concours accordé".into()
                } else {
                    "concours refusé".into()
                }
            }
            EventDetail::MoveOut {
                forwarding_address,
                deposit,
            } => {
                let address = match forwarding_address {
                    Some(a) => format!("nouvelle adresse : {a}"),
                    None => "adresse inconnue".into(),
                };
                match deposit {
                    Some(d) => format!("{address} ; dépôt de garantie imputé : {}", format_eur(*d)),
                    None => address,
                }
            }
            EventDetail::AgencyTransfer { agency, amount }
            | EventDetail::AgencyRecovery { agency, amount } => {
                format!("{agency}, {}", format_eur(*amount))
            }
            EventDetail::Overindebtedness { stage, amount } => format!(
                "{}{}",
                match stage {
                    OverindebtednessStage::Filed => "dossier déposé",
                    OverindebtednessStage::Admissible => "recevable (procédures suspendues)",
                    OverindebtednessStage::Measures => "mesures imposées",
                    OverindebtednessStage::Erasure => "effacement de la dette",
                },
                opt_amount(*amount)
            ),
            EventDetail::WriteOff { amount } => format_eur(*amount),
            EventDetail::PhaseChange { from, to } => {
                format!("{} → {}", from.label_fr(), to.label_fr())
            }
            EventDetail::ReviewDecision {
                review_on,
                decision,
            } => format!(
                "réunion du {} : {}",
                format_fr(*review_on),
                decision.label_fr()
            ),
            EventDetail::TransferRequest
            | EventDetail::CcapexReferral
            | EventDetail::PrefectNotice
            | EventDetail::SocialDiagnosis
            | EventDetail::Service
            | EventDetail::EvictionOrder
            | EventDetail::PoliceRequest
            | EventDetail::Eviction
            | EventDetail::SocialProtocol
            | EventDetail::Demand
            | EventDetail::Settled => String::new(),
        }
    }
}

fn opt_amount(amount: Option<Decimal>) -> String {
    amount
        .map(|a| format!(", {}", format_eur(a)))
        .unwrap_or_default()
}

/// French name of a channel.
pub fn channel_fr(c: Channel) -> &'static str {
    match c {
        Channel::Letter => "courrier",
        Channel::Sms => "SMS",
        Channel::Email => "courriel",
        Channel::Phone => "téléphone",
        Channel::InPerson => "accueil",
    }
}

/// French name of a reminder level.
pub fn level_fr(l: ReminderLevel) -> &'static str {
    match l {
        ReminderLevel::Level1 => "relance niveau 1",
        ReminderLevel::Level2 => "relance niveau 2",
        ReminderLevel::FormalNotice => "mise en demeure",
    }
}

/// French name of an aid scheme.
pub fn scheme_fr(s: AidScheme) -> &'static str {
    match s {
        AidScheme::Fsl => "FSL",
        AidScheme::Caf => "CAF",
        AidScheme::Ccas => "CCAS",
        AidScheme::ActionLogement => "Action Logement",
        AidScheme::Employer => "employeur",
        AidScheme::Other => "autre aide",
    }
}
