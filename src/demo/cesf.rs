//! Prévention: the CESF's follow-up of a dossier (home visit, budget review, confidential
//! social note, aid request and decision, plan), then back to the amicable officer.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::plans::sign_plan;
use super::service::{close, phase};
use super::sim::Tenancy;
use super::texts::{self, maybe};
use super::world::{World, amount, round10};
use crate::domain::dates::add_months;
use crate::domain::dossier::{Cause, CloseReason, Phase};
use crate::domain::event::{AidScheme, EventDetail, VisitOutcome};
use crate::domain::ledger::EntryKind;
use crate::store::Result;

/// Where the CESF stands on a dossier.
#[derive(Debug, Clone, Default)]
pub struct Cesf {
    /// 0 visit to make, 1 aid to ask, 2 aid decision awaited, 3 plan and hand-back.
    pub stage: u8,
    /// Visits that found nobody.
    pub tries: u8,
    /// The pending aid: scheme, amount asked, decision date.
    pub aid: Option<(AidScheme, Decimal, NaiveDate)>,
    /// The CESF already followed this dossier.
    pub done: bool,
    /// Date the follow-up started.
    pub since: Option<NaiveDate>,
}

/// Whether the dossier calls for a CESF: a social cause and a real debt.
pub fn should_refer(t: &Tenancy) -> bool {
    let Some(case) = t.case.as_ref() else {
        return false;
    };
    let social = t.shock.is_some_and(|s| {
        matches!(
            s.cause,
            Cause::JobLoss
                | Cause::Separation
                | Cause::Illness
                | Cause::Death
                | Cause::HousingBenefitCut
        )
    });
    social
        && !case.cesf.done
        && case.lit.is_none()
        && t.balance > t.net_due().max(Decimal::from(100))
}

/// Hands the dossier to the CESF (phase prevention).
pub fn refer(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, c: NaiveDate) -> Result<()> {
    let on = c + Duration::days(rng.random_range(1..=6));
    let user = t.team.cesf;
    phase(t, w, Phase::Prevention, on, user)?;
    if let Some(case) = t.case.as_mut() {
        case.cesf.since = Some(on);
        case.cesf.stage = 0;
    }
    Ok(())
}

/// The CESF's monthly work on a dossier in prevention.
pub fn step(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, c: NaiveDate) -> Result<()> {
    let user = t.team.cesf;
    let Some(case) = t.case.as_ref() else {
        return Ok(());
    };
    let (stage, referral, opened) = (case.cesf.stage, case.referral, case.d.opened_on);
    let d = c + Duration::days(rng.random_range(1..=10));
    match stage {
        0 => visit(t, w, rng, d, user, true)?,
        1 => {
            let b = t.balance;
            if b > Decimal::from(50) {
                let scheme = match rng.random_range(0..100u32) {
                    0..60 => AidScheme::Fsl,
                    60..72 => AidScheme::Caf,
                    72..87 => AidScheme::Ccas,
                    87..95 => AidScheme::ActionLogement,
                    _ => AidScheme::Employer,
                };
                let asked = round10(amount(rng, 300, 1500))
                    .min(round10(b))
                    .max(Decimal::from(50));
                let text = maybe(rng, 0.4, texts::AID_REQUEST);
                let detail = EventDetail::AidRequest {
                    scheme,
                    amount: Some(asked),
                };
                t.event(w, w.clamp(d), &detail, text, user)?;
                let decision = d + Duration::days(rng.random_range(25..=60));
                if let Some(case) = t.case.as_mut() {
                    case.cesf.aid = Some((scheme, asked, decision));
                    case.cesf.stage = 2;
                }
            } else if let Some(case) = t.case.as_mut() {
                case.cesf.stage = 3;
            }
        }
        2 => {
            let Some((scheme, asked, on)) = case.cesf.aid else {
                return Ok(());
            };
            if on > c {
                return Ok(());
            }
            let granted = rng.random_bool(0.65);
            let given = granted.then(|| {
                if rng.random_bool(0.7) {
                    asked
                } else {
                    round10(asked * Decimal::new(6, 1)).max(Decimal::from(50))
                }
            });
            let text = if granted {
                maybe(rng, 0.4, texts::AID_GRANTED)
            } else {
                maybe(rng, 0.6, texts::AID_REFUSED)
            };
            let detail = EventDetail::AidDecision {
                scheme,
                granted,
                amount: given,
            };
            t.event(w, on, &detail, text, user)?;
            if let Some(x) = given {
                let paid = on + Duration::days(rng.random_range(5..=20));
                let label = match scheme {
                    AidScheme::Fsl => "Aide FSL (maintien dans les lieux)",
                    AidScheme::Caf => "Aide exceptionnelle CAF",
                    AidScheme::Ccas => "Secours CCAS",
                    AidScheme::ActionLogement => "Aide Action Logement",
                    AidScheme::Employer => "Aide de l'employeur",
                    AidScheme::Other => "Aide",
                };
                t.book(w, paid, EntryKind::Aid, -x, label.into(), user)?;
            }
            if let Some(case) = t.case.as_mut() {
                case.cesf.stage = 3;
                case.cesf.aid = None;
            }
        }
        _ => {
            if referral && t.balance <= Decimal::ZERO && add_months(opened, 2) <= c {
                let text = "Suivi CESF terminé, pas d'impayé.";
                t.event(
                    w,
                    w.clamp(d),
                    &EventDetail::Note {
                        confidential: false,
                    },
                    text,
                    user,
                )?;
                return close(t, w, rng, d, CloseReason::Settled);
            }
            let has_plan = case.plan.is_some();
            let p = if t.capacity() >= 0.999 { 0.5 } else { 0.05 };
            if !has_plan && t.balance >= Decimal::from(100) && rng.random_bool(p) {
                sign_plan(t, w, rng, d, user)?;
            }
            if rng.random_bool(0.45) {
                if let Some(case) = t.case.as_mut() {
                    case.cesf.done = true;
                }
                let amicable = t.team.amicable;
                phase(t, w, Phase::Amicable, d + Duration::days(2), amicable)?;
            } else if rng.random_bool(0.2) {
                visit(t, w, rng, d, user, false)?;
            }
        }
    }
    Ok(())
}

/// A home visit; when the tenant is met, a budget review and sometimes a social note.
fn visit(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    d: NaiveDate,
    user: &str,
    first: bool,
) -> Result<()> {
    let d = w.clamp(d);
    let outcome = match rng.random_range(0..100u32) {
        0..70 => VisitOutcome::Met,
        70..92 => VisitOutcome::Absent,
        _ => VisitOutcome::Refused,
    };
    let text = if outcome == VisitOutcome::Met {
        maybe(rng, 0.5, texts::VISIT_MET)
    } else {
        maybe(rng, 0.5, texts::VISIT_OTHER)
    };
    t.event(w, d, &EventDetail::HomeVisit { outcome }, text, user)?;
    if outcome != VisitOutcome::Met {
        if let Some(case) = t.case.as_mut()
            && first
        {
            case.cesf.tries += 1;
            if case.cesf.tries >= 2 {
                case.cesf.done = true;
                let amicable = t.team.amicable;
                return phase(t, w, Phase::Amicable, d + Duration::days(3), amicable);
            }
        }
        return Ok(());
    }
    if let Some(case) = t.case.as_mut() {
        case.reached = true;
        if first {
            case.cesf.stage = 1;
        }
        if let Some(s) = t.shock {
            case.d.causes.retain(|c| *c != Cause::Unknown);
            if !case.d.causes.contains(&s.cause) {
                case.d.causes.push(s.cause);
            }
        }
    }
    if first || rng.random_bool(0.5) {
        let income = amount(rng, 800, 2600).round();
        let expenses = (income + amount(rng, -350, 200)).round();
        let text = maybe(rng, 0.4, texts::BUDGET);
        t.event(
            w,
            d,
            &EventDetail::BudgetReview { income, expenses },
            text,
            user,
        )?;
    }
    if rng.random_bool(0.55) {
        let text = texts::SOCIAL_NOTE[rng.random_range(0..texts::SOCIAL_NOTE.len())];
        t.event(w, d, &EventDetail::Note { confidential: true }, text, user)?;
    }
    if rng.random_bool(0.04) {
        t.event(
            w,
            d,
            &EventDetail::TransferRequest,
            "Demande de mutation vers un logement plus petit.",
            user,
        )?;
    }
    Ok(())
}
