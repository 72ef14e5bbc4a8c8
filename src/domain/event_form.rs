//! What a form must ask for each event kind, and how typed text becomes an `EventDetail`.
//! Kept in `domain` so that the workstation's forms and any other input (CLI, import) validate
//! the same way and say what is wrong in the same French words.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::dates::parse_date;
use super::event::*;
use super::money::parse_amount;

/// The type of a form field, which decides how its text is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// A date, `JJ/MM/AAAA` or ISO.
    Date,
    /// An amount in euros.
    Amount,
    /// A whole number.
    Count,
    /// Free text.
    Text,
    /// One of fixed choices: (code, French label).
    Choice(&'static [(&'static str, &'static str)]),
}

/// One field of an event form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Key in the values map.
    pub key: &'static str,
    /// French label.
    pub label: &'static str,
    /// How it is checked.
    pub ty: FieldType,
    /// Whether it must be filled.
    pub required: bool,
}

const CHANNELS: &[(&str, &str)] = &[
    ("letter", "courrier"),
    ("sms", "SMS"),
    ("email", "courriel"),
    ("phone", "téléphone"),
    ("in_person", "accueil"),
];
const LEVELS: &[(&str, &str)] = &[
    ("level1", "niveau 1"),
    ("level2", "niveau 2"),
    ("formal_notice", "mise en demeure"),
];
const DIRECTIONS: &[(&str, &str)] = &[("outgoing", "sortant"), ("incoming", "entrant")];
const OUTCOMES: &[(&str, &str)] = &[
    ("met", "rencontré"),
    ("absent", "absent"),
    ("refused", "refus"),
];
const SCHEMES: &[(&str, &str)] = &[
    ("fsl", "FSL"),
    ("caf", "CAF"),
    ("ccas", "CCAS"),
    ("action_logement", "Action Logement"),
    ("employer", "employeur"),
    ("other", "autre"),
];
const YES_NO: &[(&str, &str)] = &[("yes", "oui"), ("no", "non")];
const MAYBE: &[(&str, &str)] = &[("unknown", "à venir"), ("yes", "oui"), ("no", "non")];
const JUDGEMENTS: &[(&str, &str)] = &[
    ("payment_delays", "délais de paiement"),
    ("lease_terminated", "résiliation du bail"),
    ("dismissed", "rejet"),
];
const STAGES: &[(&str, &str)] = &[
    ("filed", "dépôt"),
    ("admissible", "recevabilité"),
    ("measures", "mesures"),
    ("erasure", "effacement"),
];

const fn req(key: &'static str, label: &'static str, ty: FieldType) -> Field {
    Field {
        key,
        label,
        ty,
        required: true,
    }
}

const fn opt(key: &'static str, label: &'static str, ty: FieldType) -> Field {
    Field {
        key,
        label,
        ty,
        required: false,
    }
}

/// The fields a kind needs besides the date and the free text, which every event has.
pub fn fields_for(code: &str) -> Vec<Field> {
    use FieldType::*;
    match code {
        "reminder" => vec![
            req("channel", "Canal", Choice(CHANNELS)),
            req("level", "Niveau", Choice(LEVELS)),
        ],
        "contact" => vec![
            req("direction", "Sens", Choice(DIRECTIONS)),
            req("channel", "Canal", Choice(CHANNELS)),
        ],
        "appointment" => vec![
            req("scheduled_on", "Date du rendez-vous", Date),
            req("attended", "Honoré", Choice(MAYBE)),
        ],
        "home_visit" => vec![req("outcome", "Résultat", Choice(OUTCOMES))],
        "budget_review" => vec![
            req("income", "Ressources mensuelles", Amount),
            req("expenses", "Charges mensuelles", Amount),
        ],
        "aid_request" => vec![
            req("scheme", "Organisme", Choice(SCHEMES)),
            opt("amount", "Montant demandé", Amount),
        ],
        "aid_decision" => vec![
            req("scheme", "Organisme", Choice(SCHEMES)),
            req("granted", "Accordée", Choice(YES_NO)),
            opt("amount", "Montant accordé", Amount),
        ],
        "caf_report" => vec![req("debt", "Dette signalée", Amount)],
        "plan_signed" => vec![
            req("amount", "Dette couverte", Amount),
            req("instalments", "Nombre d'échéances", Count),
            req("monthly", "Échéance mensuelle", Amount),
            req("caf_approved", "Validé CAF", Choice(YES_NO)),
        ],
        "promise" => vec![
            req("amount", "Montant promis", Amount),
            req("due_on", "Échéance", Date),
        ],
        "note" => vec![req(
            "confidential",
            "Note sociale confidentielle",
            Choice(YES_NO),
        )],
        "payment_order" => vec![
            req("debt", "Dette visée", Amount),
            opt("cost", "Frais d'huissier", Amount),
        ],
        "summons" => vec![
            req("hearing_on", "Date d'audience", Date),
            req("court", "Tribunal", Text),
        ],
        "hearing" => vec![opt("adjourned_to", "Renvoi au", Date)],
        "judgement" => vec![
            req("outcome", "Décision", Choice(JUDGEMENTS)),
            opt("monthly", "Mensualité accordée", Amount),
            opt("months", "Durée (mois)", Count),
        ],
        "police_decision" => vec![req("granted", "Concours accordé", Choice(YES_NO))],
        "move_out" => vec![
            opt("forwarding_address", "Nouvelle adresse", Text),
            opt("deposit", "Dépôt de garantie imputé", Amount),
        ],
        "agency_transfer" => vec![
            req("agency", "Société", Text),
            req("amount", "Dette transmise", Amount),
        ],
        "agency_recovery" => vec![
            req("agency", "Société", Text),
            req("amount", "Sommes recouvrées", Amount),
        ],
        "overindebtedness" => vec![
            req("stage", "Étape", Choice(STAGES)),
            opt("amount", "Montant", Amount),
        ],
        "write_off" => vec![req("amount", "Montant admis en non-valeur", Amount)],
        _ => Vec::new(),
    }
}

/// A field that could not be read, with the French sentence to show beside it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{label} : {message}")]
pub struct FieldError {
    /// The field's key.
    pub key: &'static str,
    /// The field's French label.
    pub label: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Typed access to a form's values, with French errors naming the field.
struct Values<'a> {
    fields: Vec<Field>,
    values: &'a HashMap<String, String>,
}

impl Values<'_> {
    fn field(&self, key: &'static str) -> Field {
        self.fields
            .iter()
            .copied()
            .find(|f| f.key == key)
            .unwrap_or(Field {
                key,
                label: key,
                ty: FieldType::Text,
                required: false,
            })
    }

    fn raw(&self, key: &'static str) -> Result<Option<&str>, FieldError> {
        let f = self.field(key);
        let v = self
            .values
            .get(key)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty());
        if v.is_none() && f.required {
            return Err(err(f, "à renseigner".into()));
        }
        Ok(v)
    }

    fn date(&self, key: &'static str) -> Result<Option<NaiveDate>, FieldError> {
        match self.raw(key)? {
            None => Ok(None),
            Some(s) => parse_date(s).map(Some).ok_or_else(|| {
                err(
                    self.field(key),
                    format!("« {s} » n'est pas une date (JJ/MM/AAAA)"),
                )
            }),
        }
    }

    fn amount(&self, key: &'static str) -> Result<Option<Decimal>, FieldError> {
        match self.raw(key)? {
            None => Ok(None),
            Some(s) => match parse_amount(s) {
                Some(a) if a >= Decimal::ZERO => Ok(Some(a)),
                Some(_) => Err(err(self.field(key), "le montant doit être positif".into())),
                None => Err(err(
                    self.field(key),
                    format!("« {s} » n'est pas un montant (ex. 1 234,56)"),
                )),
            },
        }
    }

    fn count(&self, key: &'static str) -> Result<Option<u32>, FieldError> {
        match self.raw(key)? {
            None => Ok(None),
            Some(s) => match s.parse::<u32>() {
                Ok(n) if n > 0 => Ok(Some(n)),
                _ => Err(err(
                    self.field(key),
                    format!("« {s} » n'est pas un nombre entier positif"),
                )),
            },
        }
    }

    fn text(&self, key: &'static str) -> Result<Option<String>, FieldError> {
        Ok(self.raw(key)?.map(str::to_string))
    }

    fn choice<T: serde::de::DeserializeOwned>(&self, key: &'static str) -> Result<T, FieldError> {
        let raw = self.raw(key)?.unwrap_or("");
        serde_json::from_value(serde_json::Value::String(raw.to_string()))
            .map_err(|_| err(self.field(key), format!("choix « {raw} » inconnu")))
    }

    fn yes(&self, key: &'static str) -> Result<bool, FieldError> {
        match self.raw(key)? {
            Some("yes") => Ok(true),
            Some("no") | None => Ok(false),
            Some(other) => Err(err(self.field(key), format!("choix « {other} » inconnu"))),
        }
    }

    fn need<T>(&self, key: &'static str, v: Option<T>) -> Result<T, FieldError> {
        v.ok_or_else(|| err(self.field(key), "à renseigner".into()))
    }
}

fn err(f: Field, message: String) -> FieldError {
    FieldError {
        key: f.key,
        label: f.label,
        message,
    }
}

/// Builds an event's detail from a form's values (keys of `fields_for`). Errors name the field
/// and say in French what is wrong.
pub fn build_detail(
    code: &str,
    values: &HashMap<String, String>,
) -> Result<EventDetail, FieldError> {
    let v = Values {
        fields: fields_for(code),
        values,
    };
    let detail = match code {
        "reminder" => EventDetail::Reminder {
            channel: v.choice("channel")?,
            level: v.choice("level")?,
        },
        "contact" => EventDetail::Contact {
            direction: v.choice("direction")?,
            channel: v.choice("channel")?,
        },
        "appointment" => EventDetail::Appointment {
            scheduled_on: v.need("scheduled_on", v.date("scheduled_on")?)?,
            attended: match v.raw("attended")? {
                Some("yes") => Some(true),
                Some("no") => Some(false),
                _ => None,
            },
        },
        "home_visit" => EventDetail::HomeVisit {
            outcome: v.choice("outcome")?,
        },
        "budget_review" => EventDetail::BudgetReview {
            income: v.need("income", v.amount("income")?)?,
            expenses: v.need("expenses", v.amount("expenses")?)?,
        },
        "aid_request" => EventDetail::AidRequest {
            scheme: v.choice("scheme")?,
            amount: v.amount("amount")?,
        },
        "aid_decision" => EventDetail::AidDecision {
            scheme: v.choice("scheme")?,
            granted: v.yes("granted")?,
            amount: v.amount("amount")?,
        },
        "caf_report" => EventDetail::CafReport {
            debt: v.need("debt", v.amount("debt")?)?,
        },
        "plan_signed" => EventDetail::PlanSigned {
            amount: v.need("amount", v.amount("amount")?)?,
            instalments: v.need("instalments", v.count("instalments")?)?,
            monthly: v.need("monthly", v.amount("monthly")?)?,
            caf_approved: v.yes("caf_approved")?,
        },
        "promise" => EventDetail::Promise {
            amount: v.need("amount", v.amount("amount")?)?,
            due_on: v.need("due_on", v.date("due_on")?)?,
        },
        "transfer_request" => EventDetail::TransferRequest,
        "note" => EventDetail::Note {
            confidential: v.yes("confidential")?,
        },
        "payment_order" => EventDetail::PaymentOrder {
            debt: v.need("debt", v.amount("debt")?)?,
            cost: v.amount("cost")?,
        },
        "ccapex_referral" => EventDetail::CcapexReferral,
        "summons" => EventDetail::Summons {
            hearing_on: v.need("hearing_on", v.date("hearing_on")?)?,
            court: v.need("court", v.text("court")?)?,
        },
        "prefect_notice" => EventDetail::PrefectNotice,
        "social_diagnosis" => EventDetail::SocialDiagnosis,
        "hearing" => EventDetail::Hearing {
            adjourned_to: v.date("adjourned_to")?,
        },
        "judgement" => EventDetail::Judgement {
            outcome: v.choice("outcome")?,
            monthly: v.amount("monthly")?,
            months: v.count("months")?,
        },
        "service" => EventDetail::Service,
        "eviction_order" => EventDetail::EvictionOrder,
        "police_request" => EventDetail::PoliceRequest,
        "police_decision" => EventDetail::PoliceDecision {
            granted: v.yes("granted")?,
        },
        "eviction" => EventDetail::Eviction,
        "social_protocol" => EventDetail::SocialProtocol,
        "move_out" => EventDetail::MoveOut {
            forwarding_address: v.text("forwarding_address")?,
            deposit: v.amount("deposit")?,
        },
        "demand" => EventDetail::Demand,
        "agency_transfer" => EventDetail::AgencyTransfer {
            agency: v.need("agency", v.text("agency")?)?,
            amount: v.need("amount", v.amount("amount")?)?,
        },
        "agency_recovery" => EventDetail::AgencyRecovery {
            agency: v.need("agency", v.text("agency")?)?,
            amount: v.need("amount", v.amount("amount")?)?,
        },
        "overindebtedness" => EventDetail::Overindebtedness {
            stage: v.choice("stage")?,
            amount: v.amount("amount")?,
        },
        "write_off" => EventDetail::WriteOff {
            amount: v.need("amount", v.amount("amount")?)?,
        },
        "settled" => EventDetail::Settled,
        other => {
            return Err(FieldError {
                key: "kind",
                label: "Type",
                message: format!("type d'évènement « {other} » inconnu"),
            });
        }
    };
    Ok(detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn every_kind_builds_from_valid_values() {
        for (code, _, _) in EVENT_KINDS {
            let mut values = HashMap::new();
            for f in fields_for(code) {
                let v = match f.ty {
                    FieldType::Date => "15/12/2026".to_string(),
                    FieldType::Amount => "1 234,50".to_string(),
                    FieldType::Count => "12".to_string(),
                    FieldType::Text => "Tribunal judiciaire de Colmar".to_string(),
                    FieldType::Choice(c) => c[0].0.to_string(),
                };
                values.insert(f.key.to_string(), v);
            }
            let detail = build_detail(code, &values).expect(code);
            assert_eq!(detail.code(), *code);
        }
    }

    #[test]
    fn errors_name_the_field_in_french() {
        let e = build_detail(
            "promise",
            &map(&[("amount", "12,5"), ("due_on", "32/01/2027")]),
        )
        .expect_err("bad date");
        assert_eq!(e.key, "due_on");
        assert_eq!(
            e.to_string(),
            "Échéance : « 32/01/2027 » n'est pas une date (JJ/MM/AAAA)"
        );
        let e = build_detail("write_off", &map(&[])).expect_err("missing");
        assert_eq!(e.to_string(), "Montant admis en non-valeur : à renseigner");
        let e = build_detail("caf_report", &map(&[("debt", "-3")])).expect_err("negative");
        assert_eq!(e.message, "le montant doit être positif");
        let ok = build_detail(
            "promise",
            &map(&[("amount", "12,5"), ("due_on", "2027-01-05")]),
        )
        .expect("valid");
        assert_eq!(
            ok,
            EventDetail::Promise {
                amount: dec!(12.5),
                due_on: NaiveDate::from_ymd_opt(2027, 1, 5).expect("date")
            }
        );
    }
}
