//! Contentieux: commandement de payer, CCAPEX, assignation and notice to the préfet, social
//! diagnosis, hearing, judgement, then either the court's payment delays or the lease's
//! termination: signification, commandement de quitter les lieux, concours de la force
//! publique and, rarely, the eviction (never during the winter truce).

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::names::COURTS;
use super::plans::sign_plan;
use super::service::{Exit, contact, phase};
use super::sim::Tenancy;
use super::staff::SECTORS;
use super::texts::{self, maybe};
use super::world::{World, amount, round10, weekday_after};
use crate::domain::dates::add_months;
use crate::domain::dossier::Phase;
use crate::domain::event::{EventDetail, JudgementOutcome, VisitOutcome};
use crate::domain::ledger::EntryKind;
use crate::store::Result;

/// A scheduled step of the procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Saisine de la CCAPEX.
    Ccapex,
    /// Decide whether to summon (the payment order's delay has run out).
    SummonsDecision,
    /// Notification de l'assignation au préfet.
    Prefect,
    /// Diagnostic social et financier.
    Diagnosis,
    /// Audience.
    Hearing,
    /// Jugement.
    Judgement,
    /// Signification.
    Service,
    /// Commandement de quitter les lieux.
    EvictionOrder,
    /// Demande de concours de la force publique.
    PoliceRequest,
    /// Réponse du préfet.
    PoliceDecision,
    /// Expulsion.
    Eviction,
    /// The tenant leaves before being evicted.
    Leave,
    /// Protocole de cohésion sociale.
    Protocol,
}

/// The court's payment delays.
#[derive(Debug, Clone, Copy)]
pub struct Delays {
    /// Monthly instalment on top of the rent.
    pub monthly: Decimal,
    /// First month they are due.
    pub from: NaiveDate,
    /// Month after the last one.
    pub until: NaiveDate,
    /// Instalments missed and not caught up.
    pub behind: Decimal,
}

/// Where the procedure stands.
#[derive(Debug, Clone)]
pub struct Lit {
    /// Date of the commandement de payer.
    pub po_on: NaiveDate,
    /// End of its delay (6 weeks or 2 months depending on the lease).
    pub expiry: NaiveDate,
    /// Scheduled steps, in no particular order.
    pub agenda: Vec<(NaiveDate, Step)>,
    /// Date of the assignation.
    pub summons_on: Option<NaiveDate>,
    /// Hearing date.
    pub hearing_on: Option<NaiveDate>,
    /// The hearing was adjourned once.
    pub adjourned: bool,
    /// The court's decision.
    pub outcome: Option<JudgementOutcome>,
    /// Payment delays granted.
    pub delays: Option<Delays>,
    /// The lease is terminated (judgement or delays not kept).
    pub terminated: bool,
    /// Date of the commandement de quitter les lieux.
    pub eviction_order_on: Option<NaiveDate>,
    /// Date of the last police request.
    pub police_request_on: Option<NaiveDate>,
    /// The préfet granted the police's help.
    pub granted: Option<bool>,
    /// A social protocol was signed.
    pub protocol: bool,
    /// Times the assignation was considered.
    pub agenda_tries: u32,
}

impl Lit {
    /// The court's instalment due in the month starting at `ms`, with the backlog.
    pub fn delays_in(&self, ms: NaiveDate) -> Option<(Decimal, Decimal)> {
        self.delays
            .filter(|d| !self.terminated && d.from <= ms && ms < d.until)
            .map(|d| (d.monthly, d.behind))
    }

    /// What the court's delays still expect from the month starting at `ms`.
    pub fn delays_rest(&self, ms: NaiveDate) -> Decimal {
        let Some(d) = self.delays.filter(|_| !self.terminated) else {
            return Decimal::ZERO;
        };
        let mut m = d.from.max(ms);
        let mut rest = d.behind;
        while m < d.until {
            rest += d.monthly;
            m = add_months(m, 1);
        }
        rest
    }

    /// Backlog paid.
    pub fn caught_up(&mut self, x: Decimal) {
        if let Some(d) = self.delays.as_mut() {
            d.behind -= x;
        }
    }

    /// Instalment missed.
    pub fn fell_behind(&mut self, x: Decimal) {
        if let Some(d) = self.delays.as_mut() {
            d.behind += x;
        }
    }

    /// The next scheduled step, if any.
    pub fn next(&self) -> Option<(NaiveDate, Step)> {
        self.agenda
            .iter()
            .copied()
            .min_by_key(|(d, s)| (*d, *s as u8))
    }

    fn schedule(&mut self, on: NaiveDate, step: Step) {
        self.agenda.push((on, step));
    }
}

/// Whether the amicable officer should now ask for a commandement de payer.
pub fn should_start(t: &Tenancy, c: NaiveDate) -> bool {
    let Some(case) = t.case.as_ref() else {
        return false;
    };
    let due = t.net_due().max(Decimal::from(50));
    case.step >= 4
        && case.plan.is_none()
        && !case.frozen()
        && add_months(case.d.opened_on, 3) <= c
        && t.balance >= (due * Decimal::new(25, 1)).max(Decimal::from(500))
        && (case.broken > 0 || !case.reached || case.plans == 0)
}

fn court(t: &Tenancy) -> String {
    let code = SECTORS[t.sector].code;
    COURTS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("Tribunal judiciaire", |(_, n)| n)
        .to_string()
}

/// Start of the procedure: phase contentieux, commandement de payer and its cost.
pub fn start(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, c: NaiveDate) -> Result<()> {
    let user = t.team.litigation;
    let d = w.clamp(c + Duration::days(rng.random_range(1..=8)));
    phase(t, w, Phase::Litigation, d, user)?;
    let cost = amount(rng, 150, 240);
    let detail = EventDetail::PaymentOrder {
        debt: t.balance,
        cost: Some(cost),
    };
    let text = maybe(rng, 0.5, texts::PAYMENT_ORDER);
    t.event(w, d, &detail, text, user)?;
    t.book(
        w,
        d,
        EntryKind::Fees,
        cost,
        "Frais de commandement de payer (commissaire de justice)".into(),
        user,
    )?;
    let new_law = NaiveDate::from_ymd_opt(2023, 7, 29).unwrap_or(d);
    let expiry = if t.lease.concluded_on >= new_law {
        d + Duration::days(42)
    } else {
        add_months(d, 2)
    };
    let ccapex = d + Duration::days(rng.random_range(3..=25));
    let decide = expiry.max(add_months(ccapex, 2)) + Duration::days(rng.random_range(0..=20));
    t.pressure = 0.5;
    if let Some(case) = t.case.as_mut() {
        case.lit = Some(Lit {
            po_on: d,
            expiry,
            agenda: vec![(ccapex, Step::Ccapex), (decide, Step::SummonsDecision)],
            summons_on: None,
            hearing_on: None,
            adjourned: false,
            outcome: None,
            delays: None,
            terminated: false,
            eviction_order_on: None,
            police_request_on: None,
            granted: None,
            protocol: false,
            agenda_tries: 0,
        });
    }
    Ok(())
}

/// Outside the winter truce (1 November to 31 March): the first possible day from `d`.
fn after_truce(d: NaiveDate, rng: &mut ChaCha8Rng) -> NaiveDate {
    let m = d.month();
    if (4..=10).contains(&m) {
        return d;
    }
    let year = if m >= 11 { d.year() + 1 } else { d.year() };
    NaiveDate::from_ymd_opt(year, 4, 1).unwrap_or(d) + Duration::days(rng.random_range(0..=45))
}

/// The procedure's work on `c`: due steps in date order, and the amicable work that goes on.
pub fn step(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    c: NaiveDate,
) -> Result<Option<Exit>> {
    let user = t.team.litigation;
    if rng.random_bool(0.15) {
        let d = c + Duration::days(rng.random_range(1..=10));
        contact(t, w, rng, d, user)?;
    }
    // Delays not kept: the termination clause is acquired.
    let due = t.net_due().max(Decimal::from(50));
    if let Some(lit) = t.case.as_mut().and_then(|k| k.lit.as_mut())
        && let Some(dl) = lit.delays
        && !lit.terminated
        && dl.behind >= dl.monthly * Decimal::TWO
    {
        lit.terminated = true;
        lit.schedule(
            c + Duration::days(rng.random_range(20..=50)),
            Step::EvictionOrder,
        );
        let text = "Délais de paiement non respectés : clause résolutoire acquise.";
        t.event(
            w,
            c,
            &crate::domain::event::EventDetail::Note {
                confidential: false,
            },
            text,
            user,
        )?;
    }
    loop {
        let normal = t.capacity() >= 0.999;
        let Some(case) = t.case.as_mut() else {
            return Ok(None);
        };
        let frozen = case.frozen();
        let has_plan = case.plan.is_some();
        let reached = case.reached;
        let Some(lit) = case.lit.as_mut() else {
            return Ok(None);
        };
        let Some((on, s)) = lit.next().filter(|(d, _)| *d <= c) else {
            break;
        };
        lit.agenda.retain(|x| *x != (on, s));
        let b = t.balance;
        match s {
            Step::Ccapex => {
                t.event(w, on, &EventDetail::CcapexReferral, "", user)?;
            }
            Step::SummonsDecision => {
                let again = add_months(on, 1);
                let tries = lit.agenda_tries;
                lit.agenda_tries += 1;
                if frozen || has_plan || b < due * Decimal::new(15, 1) || tries >= 8 {
                    if !has_plan && reached && normal && rng.random_bool(0.25) {
                        sign_plan(t, w, rng, c, user)?;
                    }
                    if tries < 8 {
                        reschedule(t, again, s);
                    }
                } else if normal && reached && rng.random_bool(0.3) {
                    sign_plan(t, w, rng, c, user)?;
                    reschedule(t, again, s);
                } else if rng.random_bool(0.33) {
                    summons(t, w, rng, w.clamp(on.max(c - Duration::days(10))))?;
                } else {
                    reschedule(t, again, s);
                }
            }
            Step::Prefect => t.event(w, on, &EventDetail::PrefectNotice, "", user)?,
            Step::Diagnosis => {
                let cesf = t.team.cesf;
                t.event(w, on, &EventDetail::SocialDiagnosis, "", cesf)?;
                if rng.random_bool(0.25) {
                    let outcome = if rng.random_bool(0.6) {
                        VisitOutcome::Met
                    } else {
                        VisitOutcome::Absent
                    };
                    t.event(
                        w,
                        on,
                        &EventDetail::HomeVisit { outcome },
                        "Visite pour le diagnostic social et financier.",
                        cesf,
                    )?;
                }
            }
            Step::Hearing => {
                let adjourn = !lit.adjourned && (frozen || rng.random_bool(0.2));
                if adjourn {
                    let text = maybe(rng, 0.6, texts::HEARING_ADJOURNED);
                    let to = weekday_after(on + Duration::days(rng.random_range(28..=63)));
                    lit.adjourned = true;
                    lit.hearing_on = Some(to);
                    lit.schedule(to, Step::Hearing);
                    t.event(
                        w,
                        on,
                        &EventDetail::Hearing {
                            adjourned_to: Some(to),
                        },
                        text,
                        user,
                    )?;
                } else {
                    let text = maybe(rng, 0.4, texts::HEARING);
                    let j = if rng.random_bool(0.3) {
                        on
                    } else {
                        on + Duration::days(rng.random_range(21..=42))
                    };
                    lit.schedule(j, Step::Judgement);
                    t.event(
                        w,
                        on,
                        &EventDetail::Hearing { adjourned_to: None },
                        text,
                        user,
                    )?;
                }
            }
            Step::Judgement => judgement(t, w, rng, on, due)?,
            Step::Service => {
                let terminated = lit.terminated;
                if terminated {
                    lit.schedule(
                        on + Duration::days(rng.random_range(32..=60)),
                        Step::EvictionOrder,
                    );
                }
                t.event(w, on, &EventDetail::Service, "", user)?;
                let fee = amount(rng, 40, 80);
                t.book(
                    w,
                    on,
                    EntryKind::Fees,
                    fee,
                    "Frais de signification du jugement".into(),
                    user,
                )?;
            }
            Step::EvictionOrder => {
                lit.eviction_order_on = Some(on);
                let r = rng.random_range(0..100u32);
                if r < 35 {
                    lit.schedule(on + Duration::days(rng.random_range(20..=80)), Step::Leave);
                } else if r < 43 && normal {
                    lit.schedule(
                        on + Duration::days(rng.random_range(10..=60)),
                        Step::Protocol,
                    );
                } else {
                    let req = add_months(on, 2) + Duration::days(rng.random_range(0..=40));
                    lit.schedule(req, Step::PoliceRequest);
                }
                let text = maybe(rng, 0.3, texts::EVICTION_STEP);
                t.event(w, on, &EventDetail::EvictionOrder, text, user)?;
                let fee = amount(rng, 100, 180);
                t.book(
                    w,
                    on,
                    EntryKind::Fees,
                    fee,
                    "Frais de commandement de quitter les lieux".into(),
                    user,
                )?;
            }
            Step::PoliceRequest => {
                if frozen {
                    lit.schedule(add_months(on, 2), s);
                    continue;
                }
                lit.police_request_on = Some(on);
                lit.schedule(
                    on + Duration::days(rng.random_range(30..=75)),
                    Step::PoliceDecision,
                );
                let text = maybe(rng, 0.3, texts::EVICTION_STEP);
                t.event(w, on, &EventDetail::PoliceRequest, text, user)?;
            }
            Step::PoliceDecision => {
                let granted = rng.random_bool(0.5);
                lit.granted = Some(granted);
                if granted {
                    if rng.random_bool(0.4) {
                        lit.schedule(on + Duration::days(rng.random_range(5..=40)), Step::Leave);
                    } else {
                        let x = after_truce(on + Duration::days(rng.random_range(15..=60)), rng);
                        lit.schedule(x, Step::Eviction);
                    }
                } else if rng.random_bool(0.3) {
                    let again = add_months(on, rng.random_range(4..=8));
                    lit.schedule(again, Step::PoliceRequest);
                }
                t.event(w, on, &EventDetail::PoliceDecision { granted }, "", user)?;
            }
            Step::Eviction => {
                if frozen {
                    lit.schedule(after_truce(add_months(on, 2), rng), s);
                    continue;
                }
                let text = maybe(rng, 0.6, texts::EVICTION);
                t.event(w, on, &EventDetail::Eviction, text, user)?;
                return Ok(Some(Exit { on, evicted: true }));
            }
            Step::Leave => {
                return Ok(Some(Exit { on, evicted: false }));
            }
            Step::Protocol => {
                lit.protocol = true;
                lit.agenda.clear();
                t.pressure = 0.5;
                let text = "Protocole signé : reprise du paiement du loyer et de l'arriéré.";
                t.event(w, on, &EventDetail::SocialProtocol, text, user)?;
            }
        }
    }
    Ok(None)
}

fn reschedule(t: &mut Tenancy, on: NaiveDate, s: Step) {
    if let Some(lit) = t.case.as_mut().and_then(|c| c.lit.as_mut()) {
        lit.schedule(on, s);
    }
}

/// The assignation, its notice to the préfet, the social diagnosis and the hearing.
fn summons(t: &mut Tenancy, w: &World, rng: &mut ChaCha8Rng, on: NaiveDate) -> Result<()> {
    let user = t.team.litigation;
    let hearing_on = weekday_after(on + Duration::days(rng.random_range(80..=130)));
    let court = court(t);
    let text = maybe(rng, 0.4, texts::SUMMONS);
    t.event(
        w,
        on,
        &EventDetail::Summons { hearing_on, court },
        text,
        user,
    )?;
    let fee = amount(rng, 80, 140);
    t.book(
        w,
        on,
        EntryKind::Fees,
        fee,
        "Frais d'assignation".into(),
        user,
    )?;
    t.pressure = 0.5;
    if let Some(lit) = t.case.as_mut().and_then(|c| c.lit.as_mut()) {
        lit.summons_on = Some(on);
        lit.hearing_on = Some(hearing_on);
        lit.schedule(on + Duration::days(rng.random_range(1..=6)), Step::Prefect);
        if rng.random_bool(0.7) {
            lit.schedule(
                on + Duration::days(rng.random_range(20..=50)),
                Step::Diagnosis,
            );
        }
        lit.schedule(hearing_on, Step::Hearing);
    }
    Ok(())
}

/// The judgement: payment delays when the tenant pays the current rent again, else the lease's
/// termination; sometimes dismissed.
fn judgement(
    t: &mut Tenancy,
    w: &World,
    rng: &mut ChaCha8Rng,
    on: NaiveDate,
    due: Decimal,
) -> Result<()> {
    let user = t.team.litigation;
    let b = t.balance;
    let (outcome, monthly, months) = if b <= due / Decimal::TWO || rng.random_bool(0.05) {
        (JudgementOutcome::Dismissed, None, None)
    } else if rng.random_bool(if t.capacity() >= 0.999 { 0.7 } else { 0.2 }) {
        let m = round10(b / Decimal::from(rng.random_range(12..=36u32))).max(Decimal::from(20));
        let n: u32 = (b / m).ceil().try_into().unwrap_or(36u32).clamp(1, 36);
        (JudgementOutcome::PaymentDelays, Some(m), Some(n))
    } else {
        (JudgementOutcome::LeaseTerminated, None, None)
    };
    let text = maybe(rng, 0.3, texts::JUDGEMENT);
    t.event(
        w,
        on,
        &EventDetail::Judgement {
            outcome,
            monthly,
            months,
        },
        text,
        user,
    )?;
    let Some(case) = t.case.as_mut() else {
        return Ok(());
    };
    if outcome == JudgementOutcome::Dismissed {
        case.lit = None;
        case.step = 3;
        let amicable = t.team.amicable;
        return phase(t, w, Phase::Amicable, on, amicable);
    }
    let Some(lit) = case.lit.as_mut() else {
        return Ok(());
    };
    lit.outcome = Some(outcome);
    lit.terminated = outcome == JudgementOutcome::LeaseTerminated;
    if let (Some(m), Some(n)) = (monthly, months) {
        let from = add_months(on.with_day(1).unwrap_or(on), 1);
        lit.delays = Some(Delays {
            monthly: m,
            from,
            until: add_months(from, n as i32),
            behind: Decimal::ZERO,
        });
    }
    lit.schedule(
        on + Duration::days(rng.random_range(15..=40)),
        Step::Service,
    );
    Ok(())
}
