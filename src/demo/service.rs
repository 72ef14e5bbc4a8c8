//! The service's side: the monthly control of each account, the dossier opened at the first
//! unpaid rent, the amicable ladder (relances, calls, convocations, mise en demeure, CAF
//! report), plans d'apurement and their follow-up, and the dossier's closing.

use chrono::{Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::cesf::{self, Cesf};
use super::departed::{self, Dep, Over};
use super::litigation::{self, Lit};
use super::plans::{PlanRun, follow, sign_plan};
use super::sim::Tenancy;
use super::staff::MANAGER;
use super::texts::{self, maybe};
use super::world::{World, round10, weekday_after};
use crate::domain::dates::add_months;
use crate::domain::dossier::{Cause, CloseReason, Dossier, OpenReason, Phase, Referents};
use crate::domain::event::{Channel, Direction, EventDetail, ReminderLevel};
use crate::domain::plan::PlanStatus;
use crate::store::{Result, Stamp, change_phase, insert_dossier, set_plan_status};

/// An open dossier and where the service stands on it.
pub struct Case {
    /// The dossier as stored (id filled).
    pub d: Dossier,
    /// Date of its last event.
    pub last_event: NaiveDate,
    /// Amicable ladder: 0 nothing yet, 1 relance 1, 2 relance 2, 3 convocation, 4 mise en
    /// demeure sent.
    pub step: u8,
    /// Date of the last relance.
    pub last_reminder: Option<NaiveDate>,
    /// The active plan.
    pub plan: Option<PlanRun>,
    /// Plans signed on this dossier.
    pub plans: u32,
    /// Plans broken on this dossier.
    pub broken: u32,
    /// Date the debt was reported to the CAF.
    pub caf_reported: Option<NaiveDate>,
    /// The CAF suspended the APL for want of a plan.
    pub apl_suspended_by_caf: bool,
    /// The tenant answered at least once.
    pub reached: bool,
    /// Opened on a CESF referral, before any debt.
    pub referral: bool,
    /// The CESF's follow-up.
    pub cesf: Cesf,
    /// The court procedure.
    pub lit: Option<Lit>,
    /// The departed tenant's follow-up.
    pub dep: Option<Dep>,
    /// A surendettement procedure.
    pub over: Option<Over>,
}

impl Case {
    /// The instalment due in the month starting at `ms` (plan or court delays), with the
    /// backlog of missed ones.
    pub fn instalment_in(&mut self, ms: NaiveDate) -> Option<(Decimal, Decimal)> {
        if let Some(p) = &self.plan {
            let end = add_months(ms, 1);
            return p
                .plan
                .instalments
                .iter()
                .find(|i| i.due_on >= ms && i.due_on < end)
                .map(|i| (i.amount, p.behind));
        }
        self.lit.as_ref().and_then(|l| l.delays_in(ms))
    }

    /// What the plan or the court's delays still expect from the month starting at `ms`:
    /// instalments to come and the backlog.
    pub fn scheduled_rest(&self, ms: NaiveDate) -> Decimal {
        if let Some(p) = &self.plan {
            let to_come: Decimal = p
                .plan
                .instalments
                .iter()
                .filter(|i| i.due_on >= ms)
                .map(|i| i.amount)
                .sum();
            return to_come + p.behind;
        }
        self.lit
            .as_ref()
            .map_or(Decimal::ZERO, |l| l.delays_rest(ms))
    }

    /// The household paid `x` of its backlog.
    pub fn caught_up(&mut self, x: Decimal) {
        if let Some(p) = self.plan.as_mut() {
            p.behind -= x;
        } else if let Some(l) = self.lit.as_mut() {
            l.caught_up(x);
        }
    }

    /// The household missed an instalment of `x`.
    pub fn fell_behind(&mut self, x: Decimal) {
        if let Some(p) = self.plan.as_mut() {
            p.behind += x;
        } else if let Some(l) = self.lit.as_mut() {
            l.fell_behind(x);
        }
    }

    /// Whether enforcement is frozen by a surendettement procedure.
    pub fn frozen(&self) -> bool {
        self.over.as_ref().is_some_and(Over::freezes)
    }

    /// Login of the referent leading the current phase.
    pub fn lead(&self) -> String {
        self.d.lead_referent().unwrap_or(MANAGER).to_string()
    }

    fn add_cause(&mut self, cause: Cause) {
        if !self.d.causes.contains(&cause) {
            self.d.causes.retain(|c| *c != Cause::Unknown);
            self.d.causes.push(cause);
        }
    }
}

/// The household leaves in the middle of a procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    /// Date it left.
    pub on: NaiveDate,
    /// Evicted (rather than gone by itself).
    pub evicted: bool,
}

/// Opens a dossier for the tenancy.
pub fn open(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    on: NaiveDate,
    reason: OpenReason,
    phase: Phase,
) -> Result<()> {
    let on = w.workday(on);
    let mut causes = Vec::new();
    if let Some(s) = t.shock
        && rng.random_bool(0.6)
    {
        causes.push(s.cause);
    }
    let mut d = Dossier {
        id: 0,
        household_id: t.hh.id,
        phase,
        referents: Referents {
            cesf: Some(t.team.cesf.into()),
            amicable: Some(t.team.amicable.into()),
            litigation: Some(t.team.litigation.into()),
        },
        causes,
        next_action: None,
        next_action_on: None,
        opened_on: on,
        open_reason: reason,
        closed_on: None,
        close_reason: None,
    };
    let lead = d.lead_referent().unwrap_or(MANAGER).to_string();
    d.id = insert_dossier(w.conn, &d, &Stamp::on(&lead, on))?;
    t.case = Some(Case {
        d,
        last_event: on,
        step: 0,
        last_reminder: None,
        plan: None,
        plans: 0,
        broken: 0,
        caf_reported: None,
        apl_suspended_by_caf: false,
        reached: false,
        referral: reason == OpenReason::CesfReferral,
        cesf: Cesf::default(),
        lit: None,
        dep: None,
        over: None,
    });
    Ok(())
}

/// Moves the dossier to `to`, recording the change as `user`.
pub fn phase(t: &mut Tenancy, w: &World, to: Phase, on: NaiveDate, user: &str) -> Result<()> {
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    let on = w
        .workday(w.clamp(on.max(case.last_event)))
        .max(case.last_event);
    change_phase(w.conn, &mut case.d, to, on, &Stamp::on(user, on))?;
    case.last_event = on;
    Ok(())
}

/// Closes the dossier (settled or written off) on `on`.
pub fn close(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    on: NaiveDate,
    reason: CloseReason,
) -> Result<()> {
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    let on = w
        .workday(w.clamp(on.max(case.last_event)))
        .max(case.last_event);
    if let Some(p) = case.plan.take() {
        let status = if reason == CloseReason::Settled {
            PlanStatus::Respected
        } else {
            PlanStatus::Broken
        };
        set_plan_status(w.conn, p.id, status, on)?;
    }
    let user = case.lead();
    if reason == CloseReason::Settled {
        let text = maybe(rng, 0.3, texts::SETTLED);
        t.event(w, on, &EventDetail::Settled, text, &user)?;
    }
    if let Some(case) = t.case.as_mut() {
        case.d.next_action = None;
        case.d.next_action_on = None;
        case.d.close_reason = Some(reason);
    }
    phase(t, w, Phase::Closed, on, &user)?;
    t.case = None;
    Ok(())
}

/// Records a relance.
pub fn reminder(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    on: NaiveDate,
    channel: Channel,
    level: ReminderLevel,
) -> Result<()> {
    let on = w.clamp(on);
    let text = maybe(rng, 0.15, texts::REMINDER);
    let user = t.team.amicable;
    t.event(w, on, &EventDetail::Reminder { channel, level }, text, user)?;
    if let Some(c) = t.case.as_mut() {
        c.last_reminder = Some(on);
    }
    t.pressure = (t.pressure + 0.2).min(0.5);
    Ok(())
}

/// A phone call or a visit at the desk.
pub fn contact(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    on: NaiveDate,
    user: &str,
) -> Result<()> {
    let incoming = rng.random_bool(0.4);
    let (direction, channel, text) = if incoming {
        let ch = if rng.random_bool(0.7) {
            Channel::Phone
        } else {
            Channel::InPerson
        };
        (Direction::Incoming, ch, maybe(rng, 0.6, texts::CONTACT_IN))
    } else {
        let ch = if rng.random_bool(0.85) {
            Channel::Phone
        } else {
            Channel::Email
        };
        (Direction::Outgoing, ch, maybe(rng, 0.6, texts::CONTACT_OUT))
    };
    t.event(
        w,
        w.clamp(on),
        &EventDetail::Contact { direction, channel },
        text,
        user,
    )?;
    if let Some(c) = t.case.as_mut() {
        c.reached |= incoming || rng.random_bool(0.6);
        if c.reached
            && let Some(s) = t.shock
        {
            c.add_cause(s.cause);
        }
    }
    Ok(())
}

/// Whether the debt must be reported to the CAF on `on` (domain.md §5).
fn caf_threshold_reached(
    balance: Decimal,
    net: Decimal,
    opened_on: NaiveDate,
    on: NaiveDate,
) -> bool {
    if on < NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or(on) {
        balance >= net * Decimal::TWO
    } else {
        balance > Decimal::from(450) || add_months(opened_on, 3) <= on
    }
}

/// The monthly control of a present tenant's account on `c`. Returns the eviction date when
/// the household was evicted.
pub fn control(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    c: NaiveDate,
) -> Result<Option<Exit>> {
    let due = t.net_due().max(Decimal::from(50));
    let threshold = Decimal::from(50).max(due / Decimal::TWO);
    if t.case.is_none() {
        if t.balance >= threshold {
            open(t, w, rng, c, OpenReason::FirstUnpaid, Phase::Amicable)?;
            amicable(t, w, rng, c)?;
        } else if t.shock_new
            && t.shock.is_some_and(|s| {
                matches!(
                    s.cause,
                    Cause::Illness | Cause::Death | Cause::Separation | Cause::JobLoss
                )
            })
            && rng.random_bool(0.1)
        {
            let on = c + Duration::days(rng.random_range(0..=8));
            open(
                t,
                w,
                rng,
                w.clamp(on),
                OpenReason::CesfReferral,
                Phase::Prevention,
            )?;
            if let Some(case) = t.case.as_mut() {
                case.add_cause(t.shock.map_or(Cause::Unknown, |s| s.cause));
            }
        }
        return Ok(None);
    }
    follow(t, w, rng, c)?;
    departed::over_step(t, w, rng, c)?;
    let Some(case) = t.case.as_ref() else {
        return Ok(None);
    };
    let recent_referral = case.referral && add_months(case.d.opened_on, 4) > c;
    if t.balance <= Decimal::ZERO && !recent_referral {
        let on = t
            .entries
            .last()
            .map_or(c, |e| e.date)
            .max(c - Duration::days(5));
        close(t, w, rng, on, CloseReason::Settled)?;
        return Ok(None);
    }
    match case.d.phase {
        Phase::Litigation => return litigation::step(t, w, rng, c),
        Phase::Prevention => cesf::step(t, w, rng, c)?,
        _ => amicable(t, w, rng, c)?,
    }
    Ok(None)
}

/// The amicable officer's monthly work on a dossier.
fn amicable(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, c: NaiveDate) -> Result<()> {
    let due = t.net_due().max(Decimal::from(50));
    let b = t.balance;
    let user = t.team.amicable;
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    if case.plan.is_some() || case.frozen() {
        return Ok(());
    }
    if let Some(reported) = case.caf_reported
        && case.plans == 0
        && !t.apl_suspended
        && add_months(reported, 6) <= c
    {
        case.apl_suspended_by_caf = true;
        case.add_cause(Cause::HousingBenefitCut);
        t.apl_suspended = true;
        t.apl_changed = true;
        let text = texts::NOTE[2];
        t.event(
            w,
            c,
            &EventDetail::Note {
                confidential: false,
            },
            text,
            user,
        )?;
    }
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    let step = case.step;
    let small = b < due / Decimal::TWO;
    if rng.random_bool(0.2) {
        let d = c + Duration::days(rng.random_range(1..=10));
        contact(t, w, rng, d, user)?;
    }
    let reached = t.case.as_ref().is_some_and(|c| c.reached);
    if step >= 2
        && !small
        && rng.random_bool(if t.capacity() >= 0.999 {
            if reached { 0.5 } else { 0.15 }
        } else {
            0.01
        })
    {
        let d = c + Duration::days(rng.random_range(2..=12));
        return sign_plan(t, w, rng, d, user);
    }
    let d = c + Duration::days(rng.random_range(0..=3));
    if small {
        if rng.random_bool(0.35) {
            reminder(t, w, rng, d, Channel::Sms, ReminderLevel::Level1)?;
        }
        return Ok(());
    }
    match step {
        0 => {
            let ch = if rng.random_bool(0.35) {
                Channel::Sms
            } else {
                Channel::Letter
            };
            reminder(t, w, rng, d, ch, ReminderLevel::Level1)?;
        }
        1 => {
            reminder(t, w, rng, d, Channel::Letter, ReminderLevel::Level2)?;
            if rng.random_bool(0.4) {
                let d2 = d + Duration::days(rng.random_range(3..=10));
                contact(t, w, rng, d2, user)?;
            }
        }
        2 => convocation(t, w, rng, d, user)?,
        3 => {
            reminder(t, w, rng, d, Channel::Letter, ReminderLevel::FormalNotice)?;
        }
        _ => {
            if litigation::should_start(t, c) && rng.random_bool(0.035) {
                return litigation::start(t, w, rng, c);
            }
            if cesf::should_refer(t) && rng.random_bool(0.14) {
                return cesf::refer(t, w, rng, c);
            }
            if rng.random_bool(0.35) {
                let (ch, lvl) = match rng.random_range(0..10u32) {
                    0..4 => (Channel::Sms, ReminderLevel::Level2),
                    4..7 => (Channel::Phone, ReminderLevel::Level2),
                    _ => (Channel::Letter, ReminderLevel::FormalNotice),
                };
                reminder(t, w, rng, d, ch, lvl)?;
            }
        }
    }
    if (1..=3).contains(&step) && cesf::should_refer(t) && rng.random_bool(0.06) {
        cesf::refer(t, w, rng, c)?;
    }
    let net = t.net_due();
    if let Some(case) = t.case.as_mut() {
        case.step = (step + 1).min(4);
        if case.caf_reported.is_none()
            && t.apl > Decimal::ZERO
            && caf_threshold_reached(t.balance, net, case.d.opened_on, c)
        {
            case.caf_reported = Some(c);
            let detail = EventDetail::CafReport { debt: b };
            let text = maybe(rng, 0.3, texts::CAF_REPORT);
            let d = w.clamp(c + Duration::days(rng.random_range(1..=12)));
            t.event(w, d, &detail, text, user)?;
        }
    }
    Ok(())
}

/// A convocation; when the tenant comes, a promise or a plan.
fn convocation(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    d: NaiveDate,
    user: &str,
) -> Result<()> {
    let scheduled = weekday_after(d + Duration::days(rng.random_range(7..=18)));
    let attended = (scheduled <= w.today).then(|| rng.random_bool(0.55));
    let text = maybe(rng, 0.3, texts::APPOINTMENT);
    t.event(
        w,
        w.clamp(d),
        &EventDetail::Appointment {
            scheduled_on: scheduled,
            attended,
        },
        text,
        user,
    )?;
    if attended != Some(true) {
        return Ok(());
    }
    if let Some(c) = t.case.as_mut() {
        c.reached = true;
        if let Some(s) = t.shock {
            c.add_cause(s.cause);
        }
    }
    if t.capacity() >= 0.999 && rng.random_bool(0.6) {
        return sign_plan(t, w, rng, scheduled, user);
    }
    if rng.random_bool(0.5) {
        let amount = round10(t.balance * Decimal::new(rng.random_range(3..=10), 1) / Decimal::TEN)
            .max(Decimal::from(20));
        let due_on = scheduled + Duration::days(rng.random_range(7..=25));
        t.promise = Some((amount, due_on));
        let text = maybe(rng, 0.5, texts::PROMISE);
        t.event(
            w,
            scheduled,
            &EventDetail::Promise { amount, due_on },
            text,
            user,
        )?;
    }
    Ok(())
}
