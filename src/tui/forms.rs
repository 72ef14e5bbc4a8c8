//! The workstation's forms: how each is laid out with sensible defaults, and how its values
//! become a `WriteCmd` (or French errors beside the fields).

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::form::{Form, FormField};
use super::portfolio::Filters;
use super::worker::WriteCmd;
use crate::domain::dates::{add_months, format_fr, parse_date};
use crate::domain::dossier::{Cause, CloseReason, Dossier, Phase, Referents};
use crate::domain::event::kind_label;
use crate::domain::event_form::{FieldType, build_detail, fields_for};
use crate::domain::household::{Role, Sector, Staff};
use crate::domain::money::{format_amount, parse_amount};
use crate::domain::plan::{Instalment, generate_instalments};

/// What a form is for, with what it needs to build its command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// Record an event of kind `code`.
    Event {
        /// The household.
        household_id: i64,
        /// Event kind code.
        code: &'static str,
    },
    /// Change a phase.
    Phase {
        /// The dossier.
        dossier_id: i64,
    },
    /// Referents, cause and next action.
    FollowUp {
        /// The dossier.
        dossier_id: i64,
    },
    /// Plan amount, count, first date.
    PlanSetup {
        /// The dossier.
        dossier_id: i64,
    },
    /// The generated instalments, editable.
    PlanInstalments {
        /// The dossier.
        dossier_id: i64,
        /// Signature date.
        signed_on: NaiveDate,
        /// CAF approval.
        caf_approved: bool,
    },
    /// Portfolio filters.
    Filters,
    /// An action on a dossier.
    AddAction {
        /// The dossier.
        dossier_id: i64,
    },
}

/// What submitting a form leads to.
pub enum Submitted {
    /// A change to store.
    Write(WriteCmd),
    /// Another form follows (plan instalments).
    Next(Form, Purpose),
    /// New portfolio filters.
    Filters(Filters),
}

fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(c, l)| (c.to_string(), l.to_string()))
        .collect()
}

const YES_NO: &[(&str, &str)] = &[("no", "non"), ("yes", "oui")];

/// The form recording an event of kind `code`.
pub fn event_form(code: &'static str, today: NaiveDate, debt: Decimal) -> Form {
    let mut fields = vec![FormField::text(
        "date",
        "Date",
        FieldType::Date,
        true,
        &format_fr(today),
    )];
    for f in fields_for(code) {
        let field = match f.ty {
            FieldType::Choice(choices) => FormField::choice(f.key, f.label, opts(choices), 0),
            ty => {
                // The current debt is the sensible default for amounts that refer to it.
                let refers_to_debt = f.key == "debt"
                    || (f.key == "amount" && matches!(code, "write_off" | "agency_transfer"));
                let value = if refers_to_debt && debt > Decimal::ZERO {
                    format_amount(debt)
                } else {
                    String::new()
                };
                FormField::text(f.key, f.label, ty, f.required, &value)
            }
        };
        fields.push(field);
    }
    fields.push(FormField::text(
        "text",
        "Commentaire",
        FieldType::Text,
        false,
        "",
    ));
    let mut form = Form::new(&format!("Nouvel évènement : {}", kind_label(code)), fields);
    form.hint = Some("Les champs marqués * sont obligatoires.".into());
    form
}

/// Checks an event form; errors go beside the fields.
pub fn submit_event(form: &mut Form, household_id: i64, code: &'static str) -> Option<Submitted> {
    form.clear_errors();
    let Some(date) = parse_date(&form.get("date")) else {
        let v = form.get("date");
        form.set_error(
            "date",
            if v.trim().is_empty() {
                "à renseigner".into()
            } else {
                format!("« {v} » n'est pas une date (JJ/MM/AAAA)")
            },
        );
        return None;
    };
    match build_detail(code, &form.values()) {
        Ok(detail) => Some(Submitted::Write(WriteCmd::AddEvent {
            household_id,
            date,
            detail,
            text: form.get("text").trim().to_string(),
        })),
        Err(e) => {
            form.set_error(e.key, e.message);
            None
        }
    }
}

/// The form changing a dossier's phase.
pub fn phase_form(d: &Dossier, today: NaiveDate) -> Form {
    let phases: Vec<(String, String)> = Phase::ALL
        .iter()
        .map(|p| (p.code().to_string(), p.label_fr().to_string()))
        .collect();
    let current = Phase::ALL.iter().position(|p| *p == d.phase).unwrap_or(0);
    let reasons = vec![
        (
            CloseReason::Settled.code().to_string(),
            "dette soldée".to_string(),
        ),
        (
            CloseReason::WrittenOff.code().to_string(),
            "admise en non-valeur".to_string(),
        ),
        (
            CloseReason::Transferred.code().to_string(),
            "transféré".to_string(),
        ),
    ];
    let mut form = Form::new(
        "Changer la phase du dossier",
        vec![
            FormField::choice("phase", "Nouvelle phase", phases, current),
            FormField::text("date", "Date", FieldType::Date, true, &format_fr(today)),
            FormField::choice("reason", "Motif (si clos)", reasons, 0),
        ],
    );
    form.hint = Some(format!("Phase actuelle : {}", d.phase.label_fr()));
    form
}

/// Checks the phase form.
pub fn submit_phase(form: &mut Form, dossier_id: i64) -> Option<Submitted> {
    form.clear_errors();
    let to = Phase::from_code(&form.get("phase"))?;
    let Some(date) = parse_date(&form.get("date")) else {
        form.set_error(
            "date",
            format!("« {} » n'est pas une date (JJ/MM/AAAA)", form.get("date")),
        );
        return None;
    };
    Some(Submitted::Write(WriteCmd::ChangePhase {
        dossier_id,
        to,
        date,
        reason: CloseReason::from_code(&form.get("reason")),
    }))
}

fn staff_options(staff: &[Staff], role: Role) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), "—".to_string())];
    v.extend(
        staff
            .iter()
            .filter(|s| s.role == role)
            .map(|s| (s.login.clone(), format!("{} ({})", s.full_name, s.login))),
    );
    v
}

fn position_of(options: &[(String, String)], code: Option<&str>) -> usize {
    options
        .iter()
        .position(|o| Some(o.0.as_str()) == code)
        .unwrap_or(0)
}

/// The follow-up form: referents, main cause, next action and date.
pub fn follow_up_form(d: &Dossier, staff: &[Staff]) -> Form {
    let cesf = staff_options(staff, Role::Cesf);
    let amicable = staff_options(staff, Role::Amicable);
    let litigation = staff_options(staff, Role::Litigation);
    let mut causes = vec![(String::new(), "—".to_string())];
    causes.extend(
        Cause::ALL
            .iter()
            .map(|c| (c.code().to_string(), c.label_fr().to_string())),
    );
    let cause_pos = position_of(&causes, d.causes.first().map(|c| c.code()));
    let fields = vec![
        FormField::choice(
            "cesf",
            "CESF",
            cesf.clone(),
            position_of(&cesf, d.referents.cesf.as_deref()),
        ),
        FormField::choice(
            "amicable",
            "Chargé(e) amiable",
            amicable.clone(),
            position_of(&amicable, d.referents.amicable.as_deref()),
        ),
        FormField::choice(
            "litigation",
            "Chargé(e) contentieux",
            litigation.clone(),
            position_of(&litigation, d.referents.litigation.as_deref()),
        ),
        FormField::choice("cause", "Cause principale", causes, cause_pos),
        FormField::text(
            "next_action",
            "Prochaine action",
            FieldType::Text,
            false,
            d.next_action.as_deref().unwrap_or(""),
        ),
        FormField::text(
            "next_action_on",
            "Pour le",
            FieldType::Date,
            false,
            &d.next_action_on.map(format_fr).unwrap_or_default(),
        ),
    ];
    Form::new("Référents et prochaine action", fields)
}

/// Checks the follow-up form.
pub fn submit_follow_up(form: &mut Form, d: &Dossier) -> Option<Submitted> {
    form.clear_errors();
    let date_text = form.get("next_action_on");
    let next_action_on = if date_text.trim().is_empty() {
        None
    } else {
        match parse_date(&date_text) {
            Some(x) => Some(x),
            None => {
                form.set_error(
                    "next_action_on",
                    format!("« {date_text} » n'est pas une date (JJ/MM/AAAA)"),
                );
                return None;
            }
        }
    };
    let next_action = Some(form.get("next_action").trim().to_string()).filter(|s| !s.is_empty());
    if next_action.is_some() != next_action_on.is_some() {
        let key = if next_action.is_some() {
            "next_action_on"
        } else {
            "next_action"
        };
        form.set_error(key, "l'action et sa date vont ensemble".into());
        return None;
    }
    let pick = |k: &str| Some(form.get(k)).filter(|s| !s.is_empty());
    let mut causes = d.causes.clone();
    if let Some(main) = Cause::from_code(&form.get("cause")) {
        causes.retain(|c| *c != main);
        causes.insert(0, main);
    }
    Some(Submitted::Write(WriteCmd::FollowUp {
        dossier_id: d.id,
        referents: Referents {
            cesf: pick("cesf"),
            amicable: pick("amicable"),
            litigation: pick("litigation"),
        },
        causes,
        next_action,
        next_action_on,
    }))
}

/// The first step of signing a plan: amount, number of instalments, first due date.
pub fn plan_setup_form(debt: Decimal, today: NaiveDate) -> Form {
    let next_month = add_months(today, 1);
    let first = next_month.with_day(10).unwrap_or(next_month);
    let mut form = Form::new(
        "Signer un plan d'apurement (1/2)",
        vec![
            FormField::text(
                "signed_on",
                "Signé le",
                FieldType::Date,
                true,
                &format_fr(today),
            ),
            FormField::text(
                "amount",
                "Dette couverte",
                FieldType::Amount,
                true,
                &if debt > Decimal::ZERO {
                    format_amount(debt)
                } else {
                    String::new()
                },
            ),
            FormField::text("count", "Nombre d'échéances", FieldType::Count, true, "12"),
            FormField::text(
                "first",
                "Première échéance",
                FieldType::Date,
                true,
                &format_fr(first),
            ),
            FormField::choice("caf", "Validé par la CAF", opts(YES_NO), 0),
        ],
    );
    form.hint =
        Some("Les échéances s'ajoutent au loyer courant ; elles seront modifiables.".into());
    form
}

/// Checks the setup and generates the editable instalments.
pub fn submit_plan_setup(form: &mut Form, dossier_id: i64) -> Option<Submitted> {
    form.clear_errors();
    let signed_on = parse_date(&form.get("signed_on"));
    let amount = parse_amount(&form.get("amount")).filter(|a| *a > Decimal::ZERO);
    let count = form
        .get("count")
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=120).contains(n));
    let first = parse_date(&form.get("first"));
    let Some(signed_on) = signed_on else {
        form.set_error(
            "signed_on",
            format!(
                "« {} » n'est pas une date (JJ/MM/AAAA)",
                form.get("signed_on")
            ),
        );
        return None;
    };
    let Some(amount) = amount else {
        form.set_error(
            "amount",
            format!(
                "« {} » n'est pas un montant positif (ex. 1 234,56)",
                form.get("amount")
            ),
        );
        return None;
    };
    let Some(count) = count else {
        form.set_error("count", "entre 1 et 120 échéances".into());
        return None;
    };
    let Some(first) = first else {
        form.set_error(
            "first",
            format!("« {} » n'est pas une date (JJ/MM/AAAA)", form.get("first")),
        );
        return None;
    };
    if first < signed_on {
        form.set_error("first", "la première échéance suit la signature".into());
        return None;
    }
    let caf_approved = form.get("caf") == "yes";
    let instalments = generate_instalments(amount, count, first);
    let mut fields = Vec::new();
    for (i, inst) in instalments.iter().enumerate() {
        fields.push(FormField::text(
            &format!("date{i}"),
            &format!("Échéance {} : date", i + 1),
            FieldType::Date,
            true,
            &format_fr(inst.due_on),
        ));
        fields.push(FormField::text(
            &format!("amount{i}"),
            &format!("Échéance {} : montant", i + 1),
            FieldType::Amount,
            true,
            &format_amount(inst.amount),
        ));
    }
    let mut next = Form::new("Signer un plan d'apurement (2/2) : échéancier", fields);
    next.hint = Some(format!(
        "{} en {} échéances, signé le {}. Ctrl-S enregistre.",
        crate::domain::money::format_eur(amount),
        count,
        format_fr(signed_on)
    ));
    Some(Submitted::Next(
        next,
        Purpose::PlanInstalments {
            dossier_id,
            signed_on,
            caf_approved,
        },
    ))
}

/// Checks the edited instalments.
pub fn submit_plan_instalments(
    form: &mut Form,
    dossier_id: i64,
    signed_on: NaiveDate,
    caf_approved: bool,
) -> Option<Submitted> {
    form.clear_errors();
    let n = form.fields.len() / 2;
    let mut instalments = Vec::with_capacity(n);
    for i in 0..n {
        let dk = format!("date{i}");
        let ak = format!("amount{i}");
        let Some(due_on) = parse_date(&form.get(&dk)) else {
            form.set_error(
                &dk,
                format!("« {} » n'est pas une date (JJ/MM/AAAA)", form.get(&dk)),
            );
            return None;
        };
        let Some(amount) = parse_amount(&form.get(&ak)).filter(|a| *a > Decimal::ZERO) else {
            form.set_error(
                &ak,
                format!("« {} » n'est pas un montant positif", form.get(&ak)),
            );
            return None;
        };
        if due_on < signed_on {
            form.set_error(&dk, "l'échéance précède la signature".into());
            return None;
        }
        if let Some(prev) = instalments.last().map(|x: &Instalment| x.due_on)
            && due_on <= prev
        {
            form.set_error(&dk, "les échéances doivent se suivre".into());
            return None;
        }
        instalments.push(Instalment { due_on, amount });
    }
    Some(Submitted::Write(WriteCmd::SignPlan {
        dossier_id,
        signed_on,
        caf_approved,
        instalments,
    }))
}

/// The portfolio's filter form, showing the filters in force.
pub fn filters_form(current: &Filters, sectors: &[Sector], staff: &[Staff]) -> Form {
    let mut phases = vec![(String::new(), "toutes".to_string())];
    phases.extend(
        Phase::ALL
            .iter()
            .filter(|p| **p != Phase::Closed)
            .map(|p| (p.code().to_string(), p.label_fr().to_string())),
    );
    let mut secs = vec![(String::new(), "tous".to_string())];
    secs.extend(
        sectors
            .iter()
            .map(|s| (s.code.clone(), format!("{} ({})", s.name, s.code))),
    );
    let mut refs = vec![(String::new(), "tous".to_string())];
    refs.extend(
        staff
            .iter()
            .filter(|s| !matches!(s.role, Role::Manager | Role::Admin))
            .map(|s| {
                (
                    s.login.clone(),
                    format!("{} ({})", s.full_name, s.role.label_fr()),
                )
            }),
    );
    let fields = vec![
        FormField::choice(
            "phase",
            "Phase",
            phases.clone(),
            position_of(&phases, current.phase.map(|p| p.code())),
        ),
        FormField::choice(
            "sector",
            "Secteur",
            secs.clone(),
            position_of(&secs, current.sector.as_deref()),
        ),
        FormField::choice(
            "referent",
            "Référent",
            refs.clone(),
            position_of(&refs, current.referent.as_deref()),
        ),
        FormField::text(
            "min_debt",
            "Dette d'au moins",
            FieldType::Amount,
            false,
            &current.min_debt.map(format_amount).unwrap_or_default(),
        ),
        FormField::choice(
            "overdue",
            "Action en retard seulement",
            opts(YES_NO),
            usize::from(current.overdue),
        ),
        FormField::choice(
            "alerts",
            "Avec alertes seulement",
            opts(YES_NO),
            usize::from(current.alerts),
        ),
    ];
    Form::new("Filtres du portefeuille", fields)
}

/// Checks the filter form.
pub fn submit_filters(form: &mut Form) -> Option<Submitted> {
    form.clear_errors();
    let debt_text = form.get("min_debt");
    let min_debt = if debt_text.trim().is_empty() {
        None
    } else {
        match parse_amount(&debt_text) {
            Some(a) => Some(a),
            None => {
                form.set_error(
                    "min_debt",
                    format!("« {debt_text} » n'est pas un montant (ex. 1 500)"),
                );
                return None;
            }
        }
    };
    let pick = |k: &str| Some(form.get(k)).filter(|s| !s.is_empty());
    Some(Submitted::Filters(Filters {
        phase: pick("phase").and_then(|p| Phase::from_code(&p)),
        sector: pick("sector"),
        referent: pick("referent"),
        min_debt,
        overdue: form.get("overdue") == "yes",
        alerts: form.get("alerts") == "yes",
    }))
}
