//! What the simulation shares (the connection and the calendar), small money and date helpers,
//! and the households' payment behaviours.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::Rng;
use rusqlite::Connection;
use rust_decimal::Decimal;

use crate::domain::dates::MONTH_NAMES as MONTHS;
use crate::domain::dates::add_months;
use crate::domain::dossier::Cause;
use crate::store::Stamp;

/// What the whole simulation shares: the connection, the calendar.
pub struct World<'c> {
    /// Connection inside the generation's transaction.
    pub conn: &'c Connection,
    /// Last simulated day.
    pub today: NaiveDate,
    /// First day of the first simulated month.
    pub start: NaiveDate,
    /// Number of simulated months (the last one holds `today`).
    pub months: u32,
    /// `recorded_at` of each day from `start` to `today` (formatting dates is not free).
    pub stamps: Vec<String>,
    /// Rent-call label of each simulated month ("Loyer et charges novembre 2026").
    pub rent_labels: Vec<String>,
}

impl World<'_> {
    /// First day of month `k` of the simulation.
    pub fn month_start(&self, k: u32) -> NaiveDate {
        add_months(self.start, k as i32)
    }

    /// Who recorded a change on `date`, at midnight (as `Stamp::on`).
    pub fn stamp(&self, user: &str, date: NaiveDate) -> Stamp {
        let i = (date - self.start).num_days();
        match usize::try_from(i).ok().and_then(|i| self.stamps.get(i)) {
            Some(at) => Stamp {
                user: user.to_string(),
                at: at.clone(),
            },
            None => Stamp::on(user, date),
        }
    }

    /// The rent-call label of the month starting at `ms`.
    pub fn rent_label(&self, ms: NaiveDate) -> String {
        let k =
            (ms.year() - self.start.year()) * 12 + ms.month() as i32 - self.start.month() as i32;
        match usize::try_from(k)
            .ok()
            .and_then(|k| self.rent_labels.get(k))
        {
            Some(label) => label.clone(),
            None => rent_label(ms),
        }
    }

    /// A date no later than today.
    pub fn clamp(&self, d: NaiveDate) -> NaiveDate {
        d.min(self.today)
    }

    /// The working day an officer records a step dated `d`: a weekend moves to the Monday,
    /// or back to the Friday when that Monday is still to come.
    pub fn workday(&self, d: NaiveDate) -> NaiveDate {
        let monday = weekday_after(d);
        if monday <= self.today || monday == d {
            monday
        } else {
            d - Duration::days(i64::from(d.weekday().num_days_from_monday()) - 4)
        }
    }
}

/// `d`, or the Monday after when it falls on a weekend (hearings, appointments).
pub fn weekday_after(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d + Duration::days(2),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

/// "Loyer et charges novembre 2026".
pub fn rent_label(ms: NaiveDate) -> String {
    format!(
        "Loyer et charges {} {}",
        MONTHS[ms.month0() as usize],
        ms.year()
    )
}

/// Day `day` of the month starting at `ms` (clamped to the month's last day).
pub fn day_of(ms: NaiveDate, day: u32) -> NaiveDate {
    let last = days_in_month(ms);
    ms + Duration::days(i64::from(day.clamp(1, last) - 1))
}

/// Number of days of the month starting at `ms`.
pub fn days_in_month(ms: NaiveDate) -> u32 {
    (add_months(ms, 1) - ms).num_days() as u32
}

/// A probability as a Decimal factor (four decimals).
pub fn factor(x: f64) -> Decimal {
    Decimal::new((x * 10_000.0).round() as i64, 4)
}

/// Rounds to the nearest ten euros.
pub fn round10(x: Decimal) -> Decimal {
    (x / Decimal::TEN).round() * Decimal::TEN
}

/// A random amount, to the cent, between `from` and `to` euros.
pub fn amount(rng: &mut impl Rng, from: i64, to: i64) -> Decimal {
    Decimal::new(rng.random_range(from * 100..=to * 100), 2)
}

/// How a household pays: the three behaviours of the demo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Pays on time, catches up quickly.
    Regular,
    /// Often pays late in the month or skips a month.
    Late,
    /// Fragile budget: more life shocks, slow catch-up, plans often broken.
    Fragile,
}

impl Profile {
    /// Chance per month of paying late in the month.
    pub fn p_late(self) -> f64 {
        match self {
            Profile::Regular => 0.004,
            Profile::Late => 0.075,
            Profile::Fragile => 0.03,
        }
    }
    /// Chance per month of skipping the month (paid with the next one).
    pub fn p_skip(self) -> f64 {
        match self {
            Profile::Regular => 0.002,
            Profile::Late => 0.025,
            Profile::Fragile => 0.03,
        }
    }
    /// How much more often than average a life shock hits.
    pub fn shock_factor(self) -> f64 {
        match self {
            Profile::Regular => 0.6,
            Profile::Late => 1.3,
            Profile::Fragile => 3.0,
        }
    }
    /// Chance per month of catching up arrears spontaneously.
    pub fn catch_up(self) -> f64 {
        match self {
            Profile::Regular => 0.6,
            Profile::Late => 0.4,
            Profile::Fragile => 0.15,
        }
    }
    /// Chance per month of paying a promised instalment.
    pub fn keep(self) -> f64 {
        match self {
            Profile::Regular => 0.97,
            Profile::Late => 0.9,
            Profile::Fragile => 0.8,
        }
    }
}

/// A life shock lowering what the household can pay.
#[derive(Debug, Clone, Copy)]
pub struct Shock {
    /// Its cause, as officers will record it.
    pub cause: Cause,
    /// Share of the monthly net rent still paid.
    pub capacity: f64,
    /// First month back to normal (None: lasting).
    pub until: Option<NaiveDate>,
    /// Month it started.
    pub since: NaiveDate,
}
