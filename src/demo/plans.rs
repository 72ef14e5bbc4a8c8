//! Plans d'apurement: signed for the whole debt, then followed against the account with the
//! domain's own rule (`follow_plan`) until respected or broken.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::service::reminder;
use super::sim::Tenancy;
use super::staff::ERP;
use super::texts::{self, maybe};
use super::world::{World, day_of, round10};
use crate::domain::dates::{add_months, month_start};
use crate::domain::event::{Channel, EventDetail, ReminderLevel};
use crate::domain::ledger::EntryKind;
use crate::domain::plan::{
    GRACE_DAYS, InstalmentState, MISSED_TO_BREAK, Plan, PlanStatus, follow_plan,
    generate_instalments,
};
use crate::store::{Result, Stamp, insert_plan, set_plan_status};

/// A plan being followed.
pub struct PlanRun {
    /// Database id.
    pub id: i64,
    /// The plan as stored.
    pub plan: Plan,
    /// Instalments missed and not yet caught up.
    pub behind: Decimal,
}

/// Signs a plan d'apurement for the whole balance.
pub fn sign_plan(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    on: NaiveDate,
    user: &str,
) -> Result<()> {
    let on = w.workday(w.clamp(on));
    let debt = t.balance;
    if debt < Decimal::from(30) || t.case.is_none() {
        return Ok(());
    }
    let cap = Decimal::from(30).max(round10(t.total() * Decimal::new(4, 1)));
    let months = Decimal::from(rng.random_range(4..=20u32));
    let monthly = round10(debt / months).clamp(Decimal::from(20), cap);
    let count = ((debt / monthly).ceil().try_into().unwrap_or(36u32)).clamp(2, 36);
    let first_due = day_of(add_months(month_start(on), 1), 10);
    let instalments = generate_instalments(debt, count, first_due);
    let caf = t.apl > Decimal::ZERO && rng.random_bool(0.7);
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    let plan = Plan {
        id: 0,
        dossier_id: case.d.id,
        signed_on: on,
        amount: debt,
        caf_approved: caf,
        status: PlanStatus::Active,
        instalments,
    };
    let id = insert_plan(w.conn, &plan, &Stamp::on(user, on))?;
    let detail = EventDetail::PlanSigned {
        amount: debt,
        instalments: count,
        monthly: plan.instalments[0].amount,
        caf_approved: caf,
    };
    case.plan = Some(PlanRun {
        id,
        plan,
        behind: Decimal::ZERO,
    });
    case.plans += 1;
    case.reached = true;
    let resume = caf && case.apl_suspended_by_caf;
    if resume {
        case.apl_suspended_by_caf = false;
    }
    let text = maybe(rng, 0.4, texts::PLAN);
    t.event(w, on, &detail, text, user)?;
    if resume {
        t.apl_suspended = false;
        t.apl_changed = true;
        let withheld = std::mem::take(&mut t.apl_withheld);
        let d = on + Duration::days(rng.random_range(15..=35));
        t.book(
            w,
            d,
            EntryKind::HousingBenefit,
            -withheld,
            "Rappel APL CAF (plan validé)".into(),
            ERP,
        )?;
    }
    Ok(())
}

/// Follows the active plan on `c`: respected or broken.
pub fn follow(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, c: NaiveDate) -> Result<()> {
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    let Some(run) = case.plan.as_ref() else {
        return Ok(());
    };
    let f = follow_plan(&run.plan, &t.entries, c);
    match f.status {
        PlanStatus::Respected => {
            let last = run.plan.instalments.last().map_or(c, |i| i.due_on);
            set_plan_status(
                w.conn,
                run.id,
                PlanStatus::Respected,
                w.clamp((last + Duration::days(GRACE_DAYS)).min(c)),
            )?;
            case.plan = None;
        }
        PlanStatus::Broken => {
            let on = f
                .instalments
                .iter()
                .filter(|(_, s)| *s == InstalmentState::Missed)
                .nth(MISSED_TO_BREAK - 1)
                .map_or(c, |(i, _)| i.due_on + Duration::days(GRACE_DAYS));
            set_plan_status(w.conn, run.id, PlanStatus::Broken, on.min(c))?;
            case.plan = None;
            case.broken += 1;
            case.step = case.step.min(3);
            let d = c + Duration::days(rng.random_range(0..=4));
            reminder(t, w, rng, d, Channel::Letter, ReminderLevel::FormalNotice)?;
        }
        _ if f.missed > 0 && rng.random_bool(0.4) => {
            let d = c + Duration::days(rng.random_range(0..=3));
            reminder(t, w, rng, d, Channel::Sms, ReminderLevel::Level1)?;
        }
        _ => {}
    }
    Ok(())
}
