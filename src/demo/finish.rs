//! The end of the simulation for one tenancy: plans checked on `today`, dossiers paid off in
//! the last days closed, the next action of every open dossier, the household's APL, and its
//! debt by age for the report.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::litigation::Step;
use super::service::close;
use super::sim::Tenancy;
use super::world::{World, day_of};
use crate::domain::dates::{add_months, format_fr, month_start};
use crate::domain::dossier::{CloseReason, Phase};
use crate::domain::event::{AidScheme, OverindebtednessStage};
use crate::domain::ledger::{DebtByAge, debt_by_age, unpaid_charges};
use crate::domain::plan::{GRACE_DAYS, PlanStatus, follow_plan};
use crate::store::{Result, Stamp, set_plan_status, update_dossier, update_household_status};

/// Finishes a tenancy on `today` and adds its debt by age to `by_age`.
pub fn finish(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    by_age: &mut DebtByAge,
) -> Result<()> {
    let today = w.today;
    if t.left_on.is_none() && t.apl_changed {
        t.hh.housing_benefit = if t.apl_suspended {
            Decimal::ZERO
        } else {
            t.apl
        };
        update_household_status(w.conn, &t.hh, &Stamp::on(t.team.amicable, today))?;
    }
    if let Some(case) = t.case.as_mut()
        && let Some(run) = case.plan.as_ref()
    {
        let status = follow_plan(&run.plan, &t.entries, today).status;
        if matches!(status, PlanStatus::Respected | PlanStatus::Broken) {
            set_plan_status(w.conn, run.id, status, today)?;
            case.plan = None;
            if status == PlanStatus::Broken {
                case.broken += 1;
            }
        }
    }
    if let Some(case) = t.case.as_ref() {
        let recent_referral = case.referral && add_months(case.d.opened_on, 4) > today;
        if t.balance <= Decimal::ZERO && !recent_referral {
            let on = t
                .entries
                .last()
                .map_or(today, |e| e.date)
                .max(case.last_event);
            close(t, w, rng, on, CloseReason::Settled)?;
        }
    }
    if t.case.is_some() {
        let (text, mut on) = next_action(t, w, rng);
        // Officers run a few weeks late at worst: an older due date is a recent one.
        if on < today - Duration::days(40) {
            on = today - days(rng, 1, 40);
        }
        let Some(case) = t.case.as_mut() else {
            return Ok(());
        };
        case.d.next_action = Some(text);
        case.d.next_action_on = Some(on);
        let user = case.lead();
        update_dossier(w.conn, &case.d, &Stamp::on(&user, case.last_event))?;
    }
    t.flush(w)?;
    if t.case.is_some() && t.balance > Decimal::ZERO {
        let a = debt_by_age(&unpaid_charges(&t.entries), today);
        by_age.lt_3_months += a.lt_3_months;
        by_age.from_3_to_12_months += a.from_3_to_12_months;
        by_age.gt_12_months += a.gt_12_months;
    }
    Ok(())
}

fn days(rng: &mut ChaCha8Rng, from: i64, to: i64) -> Duration {
    Duration::days(rng.random_range(from..=to))
}

/// What the referent must do next on an open dossier, and by when.
fn next_action(t: &Tenancy, w: &World, rng: &mut ChaCha8Rng) -> (String, NaiveDate) {
    let Some(case) = t.case.as_ref() else {
        return (String::new(), w.today);
    };
    let last = case.last_event;
    if let Some(o) = case.over.as_ref()
        && matches!(
            o.stage,
            OverindebtednessStage::Filed | OverindebtednessStage::Admissible
        )
    {
        return ("Suivre la procédure de surendettement".into(), o.next_on);
    }
    if let Some(run) = case.plan.as_ref() {
        let due = run
            .plan
            .instalments
            .iter()
            .map(|i| i.due_on)
            .find(|d| *d + Duration::days(GRACE_DAYS) >= w.today)
            .unwrap_or(last);
        return (
            "Vérifier le plan d'apurement".into(),
            due + Duration::days(GRACE_DAYS),
        );
    }
    match case.d.phase {
        Phase::Prevention => match case.cesf.stage {
            0 => ("Visite à domicile".into(), last + days(rng, 10, 30)),
            1 => (
                "Monter une demande d'aide FSL".into(),
                last + days(rng, 15, 30),
            ),
            2 => {
                let (scheme, on) = case
                    .cesf
                    .aid
                    .map_or(("FSL", last), |(s, _, on)| (scheme_fr(s), on));
                (format!("Relancer la demande d'aide {scheme}"), on)
            }
            _ => ("Point budget avec la CESF".into(), last + days(rng, 20, 45)),
        },
        Phase::Litigation => litigation_next(t, rng, last),
        Phase::Departed => {
            let Some(dep) = case.dep.as_ref() else {
                return ("Sommation de payer".into(), last + days(rng, 10, 30));
            };
            if dep.demand.is_none() {
                ("Sommation de payer".into(), dep.left + days(rng, 15, 30))
            } else if let Some((agency, on)) = dep.agency {
                let mut next = add_months(on, 3);
                while next < w.today - Duration::days(30) {
                    next = add_months(next, 3);
                }
                (format!("Point sur le recouvrement ({agency})"), next)
            } else if t.balance < Decimal::from(100) {
                (
                    "Proposer l'admission en non-valeur".into(),
                    last + days(rng, 20, 60),
                )
            } else {
                (
                    "Transmettre à la société de recouvrement".into(),
                    last + days(rng, 15, 45),
                )
            }
        }
        _ => {
            if let Some((_, on)) = t.promise {
                return (
                    "Vérifier la promesse de paiement".into(),
                    on + Duration::days(2),
                );
            }
            let from = case.last_reminder.unwrap_or(last);
            match case.step {
                0 | 1 => ("Relance niveau 2".into(), from + days(rng, 12, 25)),
                2 => ("Convoquer le locataire".into(), from + days(rng, 10, 20)),
                3 => ("Mise en demeure".into(), from + days(rng, 12, 25)),
                _ if super::litigation::should_start(t, w.today) => (
                    "Commandement de payer à valider en réunion".into(),
                    day_of(add_months(month_start(last), 1), 8),
                ),
                _ => ("Appeler le locataire".into(), from + days(rng, 7, 25)),
            }
        }
    }
}

fn litigation_next(t: &Tenancy, rng: &mut ChaCha8Rng, last: NaiveDate) -> (String, NaiveDate) {
    let Some(lit) = t.case.as_ref().and_then(|c| c.lit.as_ref()) else {
        return (
            "Point contentieux en réunion mensuelle".into(),
            last + days(rng, 20, 40),
        );
    };
    if lit.protocol {
        return (
            "Suivi du protocole de cohésion sociale".into(),
            last + days(rng, 25, 45),
        );
    }
    if lit.delays.is_some() && !lit.terminated {
        let on = day_of(add_months(month_start(last), 1), 15);
        return ("Vérifier les délais de paiement accordés".into(), on);
    }
    let Some((on, step)) = lit.next() else {
        if lit.granted == Some(false) {
            return (
                "Recours indemnitaire contre l'État (concours refusé)".into(),
                last + days(rng, 20, 60),
            );
        }
        return (
            "Point contentieux en réunion mensuelle".into(),
            last + days(rng, 20, 40),
        );
    };
    let text = match step {
        Step::Ccapex => "Saisir la CCAPEX".to_string(),
        Step::SummonsDecision => format!(
            "Assigner (commandement du {}, délai expiré le {})",
            format_fr(lit.po_on),
            format_fr(lit.expiry)
        ),
        Step::Prefect => "Notifier l'assignation au préfet".into(),
        Step::Diagnosis => "Diagnostic social et financier".into(),
        Step::Hearing => format!("Audience le {}", format_fr(on)),
        Step::Judgement => format!("Jugement attendu le {}", format_fr(on)),
        Step::Service => "Signifier le jugement".into(),
        Step::EvictionOrder => "Commandement de quitter les lieux".into(),
        Step::PoliceRequest => "Demander le concours de la force publique".into(),
        Step::PoliceDecision => "Relancer la préfecture (concours de la force publique)".into(),
        Step::Eviction => format!("Expulsion prévue le {}", format_fr(on)),
        Step::Leave => "Départ annoncé : état des lieux de sortie".into(),
        Step::Protocol => "Signer le protocole de cohésion sociale".into(),
    };
    (text, on)
}

fn scheme_fr(s: AidScheme) -> &'static str {
    match s {
        AidScheme::Fsl => "FSL",
        AidScheme::Caf => "CAF",
        AidScheme::Ccas => "CCAS",
        AidScheme::ActionLogement => "Action Logement",
        AidScheme::Employer => "employeur",
        AidScheme::Other => "",
    }
}
