//! The tenants' side of the simulation: a tenancy month by month (rent call, APL, payments with
//! each household's behaviour and life shocks), and its end (move-out, final settlement).

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;

use super::people::{HomeSpec, forwarding_address};
use super::service::{self, Case};
use super::staff::{ERP, SECTORS, Team};
use super::texts;
use super::world::{Profile, Shock, World, amount, day_of, days_in_month, factor, round10};
use crate::domain::dates::add_months;
use crate::domain::dossier::Cause;
use crate::domain::event::EventDetail;
use crate::domain::household::{Household, Lease, TenantStatus};
use crate::domain::ledger::{Entry, EntryKind};
use crate::store::{
    Result, Stamp, end_lease, insert_entries, insert_event, update_household_status,
};

/// How the tenancy's month ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Still there.
    Stay,
    /// Moved out or evicted.
    Left,
}

/// One household in one home, with its account and its dossier.
pub struct Tenancy {
    /// The household as stored.
    pub hh: Household,
    /// Its lease.
    pub lease: Lease,
    /// Index in `SECTORS`.
    pub sector: usize,
    /// Referents of the home's sector.
    pub team: Team,
    /// Month of the building's charge regularisation.
    pub regularisation_month: u32,
    /// The account, as written.
    pub entries: Vec<Entry>,
    /// Sum of `entries`.
    pub balance: Decimal,
    /// APL the household is entitled to.
    pub apl: Decimal,
    /// APL suspended by the CAF (or cut) for now.
    pub apl_suspended: bool,
    /// APL not paid while suspended (a rappel may pay it back).
    pub apl_withheld: Decimal,
    /// Payment behaviour.
    pub profile: Profile,
    /// Current life shock.
    pub shock: Option<Shock>,
    /// Whether a shock started this month (for CESF referrals).
    pub shock_new: bool,
    /// Usual payment day.
    pub pay_day: u32,
    /// Usual way of paying: 0 direct debit, 1 transfer, 2 cheque, 3 cash.
    pub channel: u8,
    /// How much the service's letters and steps push the household to pay (0–0.5).
    pub pressure: f64,
    /// A promise to pay: amount and date.
    pub promise: Option<(Decimal, NaiveDate)>,
    /// The open dossier, if any.
    pub case: Option<Case>,
    /// Date the household left.
    pub left_on: Option<NaiveDate>,
    /// The household row needs an update at the end (APL changed).
    pub apl_changed: bool,
    /// Never moves out (household 1, the README's example).
    pub pinned: bool,
    /// The holder is a woman (free texts agree with it).
    pub woman: bool,
    /// Who booked each entry.
    users: Vec<&'static str>,
    /// Entries already written.
    flushed: usize,
}

impl Tenancy {
    /// A new tenancy; the household and lease are already stored.
    pub fn new(rng: &mut ChaCha8Rng, hh: Household, lease: Lease, spec: &HomeSpec) -> Tenancy {
        let profile = match rng.random_range(0..100u32) {
            0..68 => Profile::Regular,
            68..88 => Profile::Late,
            _ => Profile::Fragile,
        };
        let dd = match profile {
            Profile::Regular => 0.65,
            Profile::Late => 0.15,
            Profile::Fragile => 0.3,
        };
        let channel = if rng.random_bool(dd) {
            0
        } else {
            match rng.random_range(0..100u32) {
                0..70 => 1,
                70..88 => 2,
                _ => 3,
            }
        };
        let pay_day = if channel == 0 {
            if rng.random_bool(0.5) { 5 } else { 10 }
        } else {
            rng.random_range(2..=12)
        };
        Tenancy {
            woman: texts::is_woman(&hh.holder),
            apl: hh.housing_benefit,
            hh,
            lease,
            sector: spec.sector,
            team: SECTORS[spec.sector].team,
            regularisation_month: spec.regularisation_month,
            entries: Vec::with_capacity(128),
            balance: Decimal::ZERO,
            apl_suspended: false,
            apl_withheld: Decimal::ZERO,
            profile,
            shock: None,
            shock_new: false,
            pay_day,
            channel,
            pressure: 0.0,
            promise: None,
            case: None,
            left_on: None,
            apl_changed: false,
            pinned: false,
            users: Vec::with_capacity(128),
            flushed: 0,
        }
    }

    /// Rent and charges called every month.
    pub fn total(&self) -> Decimal {
        self.lease.rent + self.lease.charges
    }

    /// What the household must pay each month: rent and charges net of the APL paid.
    pub fn net_due(&self) -> Decimal {
        if self.apl_suspended {
            self.total()
        } else {
            self.total() - self.apl
        }
    }

    /// The lease was terminated by the court and no protocol restored it: what is called
    /// each month is an indemnité d'occupation.
    pub fn occupant_without_lease(&self) -> bool {
        self.case
            .as_ref()
            .and_then(|c| c.lit.as_ref())
            .is_some_and(|l| l.terminated && !l.protocol)
    }

    /// Share of the net rent the household can pay this month.
    pub fn capacity(&self) -> f64 {
        self.shock.map_or(1.0, |s| s.capacity)
    }

    /// Writes an account entry (skipped when dated after today) and keeps the balance.
    pub fn book(
        &mut self,
        w: &World,
        date: NaiveDate,
        kind: EntryKind,
        amount: Decimal,
        label: String,
        user: &'static str,
    ) -> Result<()> {
        if date > w.today || amount.is_zero() {
            return Ok(());
        }
        let mut e = Entry {
            id: 0,
            date,
            kind,
            amount,
            label,
            reference: None,
        };
        e.id = self.entries.len() as i64 + 1;
        self.balance += amount;
        self.entries.push(e);
        self.users.push(user);
        Ok(())
    }

    /// Writes the entries booked since the last flush, in one batch.
    pub fn flush(&mut self, w: &World) -> Result<()> {
        let from = self.flushed;
        if from == self.entries.len() {
            return Ok(());
        }
        let stamps: Vec<Stamp> = self.entries[from..]
            .iter()
            .zip(&self.users[from..])
            .map(|(e, u)| w.stamp(u, e.date))
            .collect();
        insert_entries(w.conn, self.hh.id, self.entries[from..].iter().zip(&stamps))?;
        self.flushed = self.entries.len();
        Ok(())
    }

    /// Starts a life shock (or not) at the beginning of month `ms`; ends a finished one.
    fn update_shock(&mut self, w: &World, rng: &mut ChaCha8Rng, ms: NaiveDate) -> Result<()> {
        self.shock_new = false;
        if let Some(s) = self.shock
            && s.until.is_some_and(|u| u <= ms)
        {
            self.shock = None;
            if s.cause == Cause::HousingBenefitCut && self.apl_suspended && !self.caf_suspension() {
                self.apl_suspended = false;
                if rng.random_bool(0.5) && self.apl_withheld > Decimal::ZERO {
                    let withheld = std::mem::take(&mut self.apl_withheld);
                    self.book(
                        w,
                        day_of(ms, 5),
                        EntryKind::HousingBenefit,
                        -withheld,
                        "Rappel APL CAF (droits rétablis)".into(),
                        ERP,
                    )?;
                }
            }
        }
        if self.shock.is_some() || !rng.random_bool(0.0042 * self.profile.shock_factor()) {
            return Ok(());
        }
        self.start_shock(rng, ms, None);
        Ok(())
    }

    /// Starts a shock at `ms`; `since` backdates it (shocks already running at the start).
    pub fn start_shock(&mut self, rng: &mut ChaCha8Rng, ms: NaiveDate, since: Option<NaiveDate>) {
        let mut cause = match rng.random_range(0..100u32) {
            0..30 => Cause::JobLoss,
            30..47 => Cause::Separation,
            47..62 => Cause::Illness,
            62..65 => Cause::Death,
            65..77 => Cause::HousingBenefitCut,
            77..89 => Cause::BudgetMismanagement,
            89..93 => Cause::HomeDispute,
            _ => Cause::Unknown,
        };
        if cause == Cause::HousingBenefitCut && self.apl.is_zero() {
            cause = Cause::JobLoss;
        }
        let lasting = rng.random_bool(0.16);
        let months = rng.random_range(2..=14);
        let capacity = rng.random_range(0.0..0.7);
        let until = (!lasting).then(|| add_months(ms, months));
        self.set_shock(cause, capacity, until, ms, since);
    }

    /// Sets a shock of `cause` from `ms` (backdated to `since`) until `until`.
    pub fn set_shock(
        &mut self,
        cause: Cause,
        capacity: f64,
        until: Option<NaiveDate>,
        ms: NaiveDate,
        since: Option<NaiveDate>,
    ) {
        let capacity = if cause == Cause::HousingBenefitCut {
            self.apl_suspended = true;
            self.apl_changed = true;
            1.0
        } else {
            capacity
        };
        self.shock = Some(Shock {
            cause,
            capacity,
            until,
            since: since.unwrap_or(ms),
        });
        self.shock_new = since.is_none();
    }

    /// Whether the APL is suspended by the CAF for want of a plan (not by a shock).
    fn caf_suspension(&self) -> bool {
        self.case.as_ref().is_some_and(|c| c.apl_suspended_by_caf)
    }

    /// The payments of month `ms` (date, amount, label), by the household's behaviour.
    fn payments(
        &mut self,
        rng: &mut ChaCha8Rng,
        ms: NaiveDate,
        arrears: Decimal,
        leaving: bool,
    ) -> Vec<(NaiveDate, Decimal, String)> {
        let mut out = Vec::with_capacity(3);
        let due = self.net_due();
        let cap = self.capacity();
        let normal = cap >= 0.999;
        if due > Decimal::ZERO && !(leaving && rng.random_bool(0.35)) {
            let base = if normal {
                due
            } else {
                round10(due * factor(cap))
            };
            let day = if normal && rng.random_bool(self.profile.p_late()) {
                Some(rng.random_range(19..=28))
            } else if rng.random_bool(self.profile.p_skip()) {
                None
            } else {
                Some(self.pay_day + rng.random_range(0..=2))
            };
            if let Some(day) = day
                && base > Decimal::ZERO
            {
                let late = day > 15;
                out.push((day_of(ms, day), base, self.label(rng, late)));
            }
        }
        if arrears <= Decimal::ZERO {
            self.promise = None;
            return out;
        }
        let keep = self.profile.keep() * cap * cap;
        let mut extra = Decimal::ZERO;
        let mut extra_day = self.pay_day + rng.random_range(0..=3);
        if let Some(inst) = self.case.as_mut().and_then(|c| c.instalment_in(ms)) {
            // A plan or the court's delays: the instalment, and the backlog now and then.
            if rng.random_bool(keep) {
                extra = inst.0;
                if inst.1 > Decimal::ZERO && rng.random_bool(0.75) {
                    extra += inst.1;
                    if let Some(c) = self.case.as_mut() {
                        c.caught_up(inst.1);
                    }
                }
                // New charges since the plan (regularisation, fees) are paid on top.
                let rest = self.case.as_ref().map_or(arrears, |c| c.scheduled_rest(ms));
                let beyond = arrears - rest;
                if normal
                    && beyond > Decimal::ZERO
                    && rng.random_bool((self.profile.catch_up() + self.pressure).min(0.95))
                {
                    extra += beyond;
                }
            } else if let Some(c) = self.case.as_mut() {
                c.fell_behind(inst.0);
            }
        } else if let Some((promised, on)) = self.promise.take() {
            if on >= ms && rng.random_bool(keep) {
                extra = promised.min(arrears);
                extra_day = on.day().min(28);
            }
        } else if normal && rng.random_bool((self.profile.catch_up() + self.pressure).min(0.95)) {
            let month = due.max(Decimal::ONE_HUNDRED);
            extra = if arrears <= month * Decimal::new(15, 1) {
                arrears
            } else {
                round10(arrears * factor(rng.random_range(0.1..0.35))).max(Decimal::from(20))
            };
            extra_day = rng.random_range(4..=26);
        }
        if extra > Decimal::ZERO {
            if let Some(first) = out.first_mut().filter(|_| rng.random_bool(0.5)) {
                first.1 += extra;
            } else {
                out.push((day_of(ms, extra_day), extra, self.label(rng, true)));
            }
        }
        out
    }

    fn label(&self, rng: &mut ChaCha8Rng, occasional: bool) -> String {
        let channel = if occasional && self.channel == 0 {
            1 + rng.random_range(0..3u8)
        } else {
            self.channel
        };
        match channel {
            0 => "Prélèvement".into(),
            1 => "Virement".into(),
            2 => format!("Chèque n° {}", rng.random_range(1_000_000..9_999_999u32)),
            _ => "Espèces (accueil)".into(),
        }
    }

    /// One month of a present tenant: rent call, APL, payments, the service's control and,
    /// maybe, the move-out.
    pub fn present_month(
        &mut self,
        w: &World,
        rng: &mut ChaCha8Rng,
        ms: NaiveDate,
    ) -> Result<Fate> {
        // The monthly control of the accounts, once the month's payments are due; a month
        // still before it on `today` has none yet.
        let control = day_of(ms, 18);
        let last = add_months(ms, 1) - Duration::days(1);
        self.update_shock(w, rng, ms)?;
        let arrears_hazard = if self.balance > self.total() * Decimal::TWO {
            2.5
        } else {
            1.0
        };
        let forced = self.shock.is_some_and(|s| {
            s.cause == Cause::Death && self.hh.co_holder.is_none() && s.since < ms
        });
        let mut leaving = None;
        if !self.pinned
            && (forced && rng.random_bool(0.4) || rng.random_bool(0.0068 * arrears_hazard))
        {
            let d = day_of(ms, rng.random_range(19..=31));
            if d <= w.today {
                leaving = Some(d.min(last));
            }
        }
        let arrears = self.balance;
        self.book(
            w,
            ms,
            EntryKind::RentCall,
            self.total(),
            if self.occupant_without_lease() {
                w.rent_label(ms)
                    .replacen("Loyer et charges", "Indemnité d'occupation", 1)
            } else {
                w.rent_label(ms)
            },
            ERP,
        )?;
        if ms.month() == self.regularisation_month && self.lease.start_on <= add_months(ms, -12) {
            let amount = amount(rng, -150, 250);
            self.book(
                w,
                ms,
                EntryKind::Regularisation,
                amount,
                format!("Régularisation des charges {}", ms.year() - 1),
                ERP,
            )?;
        }
        if self.apl > Decimal::ZERO {
            if self.apl_suspended {
                self.apl_withheld += self.apl;
            } else {
                self.book(
                    w,
                    day_of(ms, 5),
                    EntryKind::HousingBenefit,
                    -self.apl,
                    "APL CAF".into(),
                    ERP,
                )?;
            }
        }
        let mut pays = self.payments(rng, ms, arrears, leaving.is_some());
        pays.sort_by_key(|p| p.0);
        let mut rest = Vec::new();
        for (d, a, l) in pays {
            if d <= control {
                self.book(w, d, EntryKind::Payment, -a, l, ERP)?;
            } else {
                rest.push((d, a, l));
            }
        }
        self.pressure *= 0.5;
        if control <= w.today
            && let Some(exit) = service::control(self, w, rng, control)?
        {
            self.leave(w, rng, exit.on, exit.evicted)?;
            return Ok(Fate::Left);
        }
        for (d, a, l) in rest {
            if leaving.is_none_or(|left| d <= left) {
                self.book(w, d, EntryKind::Payment, -a, l, ERP)?;
            }
        }
        if let Some(left) = leaving {
            self.leave(w, rng, left, false)?;
            return Ok(Fate::Left);
        }
        Ok(Fate::Stay)
    }

    /// The move-out: last entries (prorata, repairs, deposit), the household's status, the end
    /// of the lease, and the dossier (kept or opened) in phase departed.
    pub fn leave(
        &mut self,
        w: &World,
        rng: &mut ChaCha8Rng,
        left: NaiveDate,
        evicted: bool,
    ) -> Result<()> {
        let ms = left.with_day(1).unwrap_or(left);
        let dim = days_in_month(ms);
        let remaining = dim - left.day();
        if remaining > 0 {
            let credit = (self.total() * Decimal::from(remaining) / Decimal::from(dim)).round_dp(2);
            self.book(
                w,
                left,
                EntryKind::CreditNote,
                -credit,
                format!("Prorata de sortie ({remaining} jours)"),
                ERP,
            )?;
        }
        if rng.random_bool(if evicted { 0.8 } else { 0.4 }) {
            let fees = amount(rng, 80, 1500);
            let d = left + Duration::days(rng.random_range(5..=15));
            self.book(
                w,
                d,
                EntryKind::Fees,
                fees,
                "Frais de remise en état (état des lieux de sortie)".into(),
                ERP,
            )?;
        }
        let settle_on = left + Duration::days(rng.random_range(20..=40));
        if self.balance > Decimal::ZERO && !evicted && rng.random_bool(0.6) {
            let deposit = self.lease.rent.min(self.balance);
            self.book(
                w,
                settle_on,
                EntryKind::CreditNote,
                -deposit,
                "Dépôt de garantie imputé".into(),
                ERP,
            )?;
        }
        if self.balance > Decimal::ZERO && self.balance < Decimal::from(15) {
            let rest = self.balance;
            self.book(
                w,
                settle_on,
                EntryKind::CreditNote,
                -rest,
                "Apurement du solde (moins de 15 €)".into(),
                ERP,
            )?;
        }
        self.left_on = Some(left);
        self.hh.status = TenantStatus::Departed;
        self.hh.left_on = Some(left);
        self.hh.forwarding_address = if evicted {
            None
        } else {
            forwarding_address(rng)
        };
        if self.apl_suspended {
            self.hh.housing_benefit = Decimal::ZERO;
        }
        update_household_status(w.conn, &self.hh, &Stamp::on(self.team.amicable, left))?;
        end_lease(w.conn, self.lease.id, left)?;
        self.lease.end_on = Some(left);
        self.promise = None;
        super::departed::on_departure(self, w, rng, left, evicted)
    }

    /// Writes an event in the open dossier's timeline (dates after today are skipped).
    pub fn event(
        &mut self,
        w: &World,
        date: NaiveDate,
        detail: &EventDetail,
        text: &str,
        user: &str,
    ) -> Result<()> {
        let Some(case) = self.case.as_mut() else {
            return Ok(());
        };
        if date > w.today {
            return Ok(());
        }
        let date = w.workday(date);
        let text = if text.contains('{') {
            texts::civil(text, self.woman)
        } else {
            text.to_string()
        };
        insert_event(w.conn, case.d.id, date, detail, &text, &w.stamp(user, date))?;
        case.last_event = case.last_event.max(date);
        Ok(())
    }
}
