//! Departed tenants (sommation de payer, collection agency and what it recovers, plans,
//! admission en non-valeur) and surendettement procedures (present or departed).

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::names::AGENCIES;
use super::plans::{self, sign_plan};
use super::service::{close, open, phase};
use super::sim::Tenancy;
use super::staff::{ERP, MANAGER};
use super::texts::{self, maybe};
use super::world::{Profile, World, day_of, factor, round10};
use crate::domain::dates::add_months;
use crate::domain::dossier::{CloseReason, OpenReason, Phase};
use crate::domain::event::{EventDetail, OverindebtednessStage};
use crate::domain::ledger::EntryKind;
use crate::domain::plan::PlanStatus;
use crate::store::{Result, set_plan_status};

/// The follow-up of a departed tenant's debt.
#[derive(Debug, Clone)]
pub struct Dep {
    /// Date the tenant left.
    pub left: NaiveDate,
    /// Date of the sommation de payer.
    pub demand: Option<NaiveDate>,
    /// Agency the debt was handed to, and when.
    pub agency: Option<(&'static str, NaiveDate)>,
    /// Chance per month the former tenant pays something.
    pub payer: f64,
}

/// A surendettement procedure.
#[derive(Debug, Clone)]
pub struct Over {
    /// Stage reached.
    pub stage: OverindebtednessStage,
    /// Date of the next stage.
    pub next_on: NaiveDate,
    /// Whether it will end in erasure.
    pub erase: bool,
}

impl Over {
    /// Recevabilité freezes enforcement steps.
    pub fn freezes(&self) -> bool {
        self.stage == OverindebtednessStage::Admissible
    }
}

/// The dossier when the tenant leaves: move-out event and phase departed (or closing when
/// nothing is owed); a new dossier when a tenant without one leaves a debt.
pub fn on_departure(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    left: NaiveDate,
    evicted: bool,
) -> Result<()> {
    let user = t.team.amicable;
    let forwarding_address = t.hh.forwarding_address.clone();
    let payer = if t.profile == Profile::Regular {
        0.07
    } else {
        0.03
    };
    if t.case.is_none() {
        if t.balance <= Decimal::ZERO {
            return Ok(());
        }
        open(
            t,
            w,
            rng,
            left,
            OpenReason::DepartureWithDebt,
            Phase::Departed,
        )?;
    } else {
        if let Some(run) = t.case.as_mut().and_then(|c| c.plan.take()) {
            set_plan_status(w.conn, run.id, PlanStatus::Broken, left)?;
        }
        if t.balance <= Decimal::ZERO {
            if !evicted {
                let text = maybe(rng, 0.4, texts::MOVE_OUT);
                t.event(
                    w,
                    left,
                    &EventDetail::MoveOut {
                        forwarding_address,
                        deposit: None,
                    },
                    text,
                    user,
                )?;
            }
            return close(t, w, rng, left, CloseReason::Settled);
        }
        phase(t, w, Phase::Departed, left, user)?;
    }
    if !evicted {
        let text = maybe(rng, 0.4, texts::MOVE_OUT);
        t.event(
            w,
            left,
            &EventDetail::MoveOut {
                forwarding_address,
                deposit: None,
            },
            text,
            user,
        )?;
    }
    if let Some(case) = t.case.as_mut() {
        case.lit = None;
        case.dep = Some(Dep {
            left,
            demand: None,
            agency: None,
            payer,
        });
    }
    Ok(())
}

/// A month of a departed tenant's dossier.
pub fn month(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, ms: NaiveDate) -> Result<()> {
    if ms > w.today {
        return Ok(());
    }
    let c = w.clamp(day_of(ms, 18));
    let user = t.team.amicable;
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    let Some(dep) = case.dep.clone() else {
        return Ok(());
    };
    if c < dep.left + Duration::days(10) {
        return Ok(());
    }
    let b = t.balance;
    let keep = t.profile.keep();
    let pay_day = day_of(ms, rng.random_range(3..=15));
    let mut paid = Decimal::ZERO;
    if let Some((inst, behind)) = case.instalment_in(ms) {
        if rng.random_bool(keep) {
            paid = inst + behind;
            case.caught_up(behind);
        } else {
            case.fell_behind(inst);
        }
    } else if b > Decimal::ZERO && rng.random_bool(dep.payer) {
        paid = if b < Decimal::from(150) || rng.random_bool(0.25) {
            b
        } else {
            round10(b * factor(rng.random_range(0.1..0.3))).max(Decimal::from(20))
        };
    }
    if paid > Decimal::ZERO && pay_day <= w.today {
        let label = match dep.agency {
            Some((agency, _)) => format!("Encaissement {agency}"),
            None => "Virement".to_string(),
        };
        t.book(
            w,
            pay_day.min(c),
            EntryKind::Payment,
            -paid.min(b.max(Decimal::ZERO)),
            label,
            ERP,
        )?;
    }
    plans::follow(t, w, rng, c)?;
    over_step(t, w, rng, c)?;
    let Some(case) = t.case.as_ref() else {
        return Ok(());
    };
    let b = t.balance;
    if b <= Decimal::ZERO {
        let on = t.entries.last().map_or(c, |e| e.date);
        return close(t, w, rng, on, CloseReason::Settled);
    }
    let has_plan = case.plan.is_some();
    let frozen = case.frozen();
    if dep.demand.is_none() && c >= dep.left + Duration::days(15) {
        let text = maybe(rng, 0.4, texts::DEMAND);
        t.event(w, c, &EventDetail::Demand, text, user)?;
        if let Some(d) = t.case.as_mut().and_then(|k| k.dep.as_mut()) {
            d.demand = Some(c);
        }
        return Ok(());
    }
    if b < Decimal::from(100) && c >= add_months(dep.left, 8) && rng.random_bool(0.08) {
        return write_off(t, w, rng, c, false);
    }
    if frozen || has_plan {
        return Ok(());
    }
    if dep.agency.is_none() && b >= Decimal::from(150) && c >= add_months(dep.left, 3) {
        if rng.random_bool(0.06) {
            return sign_plan(t, w, rng, c, user);
        }
        if rng.random_bool(0.35) {
            let agency = AGENCIES.choose(rng).copied().unwrap_or(AGENCIES[0]);
            let text = maybe(rng, 0.4, texts::AGENCY);
            let detail = EventDetail::AgencyTransfer {
                agency: agency.into(),
                amount: b,
            };
            t.event(w, c, &detail, text, user)?;
            if let Some(d) = t.case.as_mut().and_then(|k| k.dep.as_mut()) {
                d.agency = Some((agency, c));
                d.payer = 0.04;
            }
        }
        return Ok(());
    }
    let stale = dep.agency.is_some_and(|(_, on)| add_months(on, 12) <= c);
    if (stale && rng.random_bool(0.04)) || (add_months(dep.left, 30) <= c && rng.random_bool(0.1)) {
        return write_off(t, w, rng, c, false);
    }
    Ok(())
}

/// Admission en non-valeur (or erasure): a write-off entry for the whole balance, the event,
/// and the dossier closed.
fn write_off(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    on: NaiveDate,
    erasure: bool,
) -> Result<()> {
    let b = t.balance;
    if b <= Decimal::ZERO {
        return Ok(());
    }
    let label = if erasure {
        "Effacement de dette (rétablissement personnel)"
    } else {
        "Admission en non-valeur"
    };
    t.book(w, on, EntryKind::WriteOff, -b, label.into(), MANAGER)?;
    if erasure {
        let detail = EventDetail::Overindebtedness {
            stage: OverindebtednessStage::Erasure,
            amount: Some(b),
        };
        t.event(w, on, &detail, "", MANAGER)?;
    } else {
        let text = maybe(rng, 0.6, texts::WRITE_OFF);
        t.event(w, on, &EventDetail::WriteOff { amount: b }, text, MANAGER)?;
    }
    close(t, w, rng, on, CloseReason::WrittenOff)
}

/// Surendettement: filing, recevabilité (freezes enforcement), then measures or erasure.
pub fn over_step(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, c: NaiveDate) -> Result<()> {
    let due = t.net_due().max(Decimal::from(50));
    let b = t.balance;
    let lasting = t.shock.is_some_and(|s| s.until.is_none());
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    let user = case.lead();
    let departed = case.dep.is_some();
    let Some(over) = case.over.clone() else {
        let chance = if departed {
            if b >= Decimal::from(500) { 0.004 } else { 0.0 }
        } else if lasting && b >= due * Decimal::from(3) {
            0.01
        } else {
            0.0
        };
        if chance > 0.0 && rng.random_bool(chance) {
            case.over = Some(Over {
                stage: OverindebtednessStage::Filed,
                next_on: add_months(c, rng.random_range(2..=4)),
                erase: rng.random_bool(0.45),
            });
            let detail = EventDetail::Overindebtedness {
                stage: OverindebtednessStage::Filed,
                amount: Some(b),
            };
            t.event(
                w,
                c,
                &detail,
                "Dossier déposé à la Banque de France.",
                &user,
            )?;
        }
        return Ok(());
    };
    if over.next_on > c {
        return Ok(());
    }
    match over.stage {
        OverindebtednessStage::Filed => {
            if let Some(o) = case.over.as_mut() {
                o.stage = OverindebtednessStage::Admissible;
                o.next_on = add_months(c, rng.random_range(4..=10));
            }
            let detail = EventDetail::Overindebtedness {
                stage: OverindebtednessStage::Admissible,
                amount: Some(b),
            };
            t.event(
                w,
                over.next_on,
                &detail,
                "Recevabilité : procédures d'exécution suspendues.",
                &user,
            )?;
        }
        OverindebtednessStage::Admissible if over.erase => {
            write_off(t, w, rng, over.next_on, true)?;
            if let Some(o) = t.case.as_mut().and_then(|k| k.over.as_mut()) {
                o.stage = OverindebtednessStage::Erasure;
            }
        }
        OverindebtednessStage::Admissible => {
            if let Some(o) = case.over.as_mut() {
                o.stage = OverindebtednessStage::Measures;
            }
            let detail = EventDetail::Overindebtedness {
                stage: OverindebtednessStage::Measures,
                amount: Some(b),
            };
            t.pressure = 0.5;
            t.event(
                w,
                over.next_on,
                &detail,
                "Mesures imposées : rééchelonnement sur 24 mois.",
                &user,
            )?;
            if let Some(d) = t.case.as_mut().and_then(|k| k.dep.as_mut()) {
                d.payer = 0.5;
            }
        }
        _ => {}
    }
    Ok(())
}
