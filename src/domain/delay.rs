//! Delay arithmetic of the Code de procédure civile, articles 640 to 642: a delay in days starts
//! the day after its triggering event, weeks are counted as 7 days, months end on the same day
//! number (or the month's last day); a forward delay ending on a Saturday, Sunday or public
//! holiday is extended to the next working day; a delay counted backwards from a hearing is moved
//! earlier, never later. Each computation explains itself in French.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::calendar::{Zone, non_working_reason};
use super::dates::{add_months, format_fr};

/// Unit of a delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Jours (calendaires).
    Days,
    /// Semaines, comptées comme 7 jours.
    Weeks,
    /// Mois (même quantième ou dernier jour du mois).
    Months,
    /// Années (12 mois).
    Years,
}

/// Whether a delay runs after its event or before it (before a hearing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Counted forward from the event.
    Forward,
    /// Counted backwards from the event (a hearing).
    Backward,
}

/// A delay: an amount, a unit and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delay {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: Unit,
    /// Forward or backward.
    pub direction: Direction,
}

impl Delay {
    /// A forward delay.
    pub fn forward(amount: u32, unit: Unit) -> Delay {
        Delay {
            amount,
            unit,
            direction: Direction::Forward,
        }
    }

    /// A backward delay.
    pub fn backward(amount: u32, unit: Unit) -> Delay {
        Delay {
            amount,
            unit,
            direction: Direction::Backward,
        }
    }

    /// "6 semaines (42 jours)", "2 mois", "15 jours".
    pub fn describe_fr(&self) -> String {
        let n = self.amount;
        let plural = |one: &str, many: &str| {
            if n > 1 {
                many.to_string()
            } else {
                one.to_string()
            }
        };
        match self.unit {
            Unit::Days => format!("{n} {}", plural("jour", "jours")),
            Unit::Weeks => format!("{n} {} ({} jours)", plural("semaine", "semaines"), n * 7),
            Unit::Months => format!("{n} mois"),
            Unit::Years => format!("{n} {}", plural("an", "ans")),
        }
    }
}

/// A day skipped because it is not worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedDay {
    /// The day.
    pub date: NaiveDate,
    /// Why: "samedi", "dimanche", "jour férié : Lundi de Pâques".
    pub reason: String,
}

/// The result of a delay computation, with its explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Computation {
    /// Triggering date (or hearing date for a backward delay).
    pub from: NaiveDate,
    /// The date the arithmetic gives, before any move.
    pub raw: NaiveDate,
    /// The last day of the delay (forward) or the last day the act may be done (backward),
    /// after moving past non-working days.
    pub expires: NaiveDate,
    /// Days skipped and why.
    pub skipped: Vec<SkippedDay>,
    /// The computation in French.
    pub explanation: String,
}

/// French weekday name.
pub fn weekday_fr(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "lundi",
        Weekday::Tue => "mardi",
        Weekday::Wed => "mercredi",
        Weekday::Thu => "jeudi",
        Weekday::Fri => "vendredi",
        Weekday::Sat => "samedi",
        Weekday::Sun => "dimanche",
    }
}

/// "lundi 02/03/2026".
pub fn long_fr(date: NaiveDate) -> String {
    format!("{} {}", weekday_fr(date), format_fr(date))
}

fn shift(date: NaiveDate, delay: &Delay, sign: i32) -> NaiveDate {
    let n = delay.amount as i64;
    match delay.unit {
        Unit::Days => date + Duration::days(sign as i64 * n),
        Unit::Weeks => date + Duration::days(sign as i64 * n * 7),
        Unit::Months => add_months(date, sign * delay.amount as i32),
        Unit::Years => add_months(date, sign * 12 * delay.amount as i32),
    }
}

/// Computes a delay from `from` in `zone` (CPC 640–642), with its French explanation.
///
/// Forward: the triggering day does not count; the delay ends on the last day at 24:00, moved to
/// the next working day when that day is not worked. Backward (before a hearing): the day before
/// the hearing is the first counted day and the delay expires at 0:00 on the last counted day
/// (avis Cass. 6 Nov 2025), so the last day the act may be done is the day before it; when that
/// day is not worked it moves earlier, never later.
pub fn compute(from: NaiveDate, delay: &Delay, zone: Zone) -> Computation {
    let mut skipped = Vec::new();
    let mut text = String::new();
    let (raw, expires) = match delay.direction {
        Direction::Forward => {
            let raw = shift(from, delay, 1);
            text.push_str(&format!(
                "Point de départ : {} (jour non compté, CPC 641). {} → {}",
                long_fr(from),
                delay.describe_fr(),
                long_fr(raw)
            ));
            if matches!(delay.unit, Unit::Months | Unit::Years) && raw.day() != from.day() {
                text.push_str(" (pas de même quantième : dernier jour du mois)");
            }
            text.push('.');
            let day = first_working_day(raw, 1, zone, &mut skipped);
            if !skipped.is_empty() {
                text.push_str(&format!(
                    " Prorogé au premier jour ouvrable suivant (CPC 642), {}, en sautant : {}.",
                    long_fr(day),
                    describe_skipped(&skipped)
                ));
            }
            text.push_str(&format!(
                " Le délai expire le {} à 24 h ({}).",
                format_fr(day),
                zone.label_fr()
            ));
            (raw, day)
        }
        Direction::Backward => {
            let counted = shift(from, delay, -1);
            let raw = counted - Duration::days(1);
            text.push_str(&format!(
                "Compté à rebours depuis le {} (jour non compté) : {} → {} ; le délai expire ce jour-là à 0 h, dernier jour utile {}.",
                long_fr(from),
                delay.describe_fr(),
                long_fr(counted),
                long_fr(raw)
            ));
            let day = first_working_day(raw, -1, zone, &mut skipped);
            if !skipped.is_empty() {
                text.push_str(&format!(
                    " Délai à rebours : avancé au jour ouvrable précédent, {}, en écartant : {} (jamais reporté plus tard).",
                    long_fr(day),
                    describe_skipped(&skipped)
                ));
            }
            text.push_str(&format!(
                " Dernier jour pour agir : {} ({}).",
                format_fr(day),
                zone.label_fr()
            ));
            (raw, day)
        }
    };
    Computation {
        from,
        raw,
        expires,
        skipped,
        explanation: text,
    }
}

/// The first working day from `day` on, walking `step` days at a time (1: later, −1: earlier),
/// with the days passed over and why.
fn first_working_day(
    mut day: NaiveDate,
    step: i64,
    zone: Zone,
    skipped: &mut Vec<SkippedDay>,
) -> NaiveDate {
    while let Some(reason) = non_working_reason(day, zone) {
        skipped.push(SkippedDay { date: day, reason });
        day += Duration::days(step);
    }
    day
}

fn describe_skipped(skipped: &[SkippedDay]) -> String {
    skipped
        .iter()
        .map(|s| format!("{} ({})", format_fr(s.date), s.reason))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn month_end_31_jan_plus_one_month() {
        // 28/02/2026 is a Saturday → Monday 02/03/2026.
        let c = compute(
            d(2026, 1, 31),
            &Delay::forward(1, Unit::Months),
            Zone::Metropole,
        );
        assert_eq!(c.raw, d(2026, 2, 28));
        assert_eq!(c.expires, d(2026, 3, 2));
        assert_eq!(c.skipped.len(), 2);
        assert!(
            c.explanation.contains("dernier jour du mois"),
            "{}",
            c.explanation
        );
        // Leap year: 29/02/2028 is a Tuesday.
        let c = compute(
            d(2028, 1, 31),
            &Delay::forward(1, Unit::Months),
            Zone::Metropole,
        );
        assert_eq!(c.expires, d(2028, 2, 29));
        assert!(c.skipped.is_empty());
    }

    #[test]
    fn research_worked_example() {
        // domain-research.md §1.8: 19/12/2025 + 2 months = Thursday 19/02/2026.
        let c = compute(
            d(2025, 12, 19),
            &Delay::forward(2, Unit::Months),
            Zone::Metropole,
        );
        assert_eq!(c.expires, d(2026, 2, 19));
        let c = compute(
            d(2025, 12, 31),
            &Delay::forward(2, Unit::Months),
            Zone::Metropole,
        );
        assert_eq!(c.expires, d(2026, 3, 2));
    }

    #[test]
    fn days_start_the_day_after_and_saturday_moves_to_monday() {
        // Friday 02/10/2026 + 15 days = Saturday 17/10/2026 → Monday 19/10/2026.
        let c = compute(
            d(2026, 10, 2),
            &Delay::forward(15, Unit::Days),
            Zone::Metropole,
        );
        assert_eq!(c.raw, d(2026, 10, 17));
        assert_eq!(c.expires, d(2026, 10, 19));
        assert_eq!(c.skipped[0].reason, "samedi");
        assert_eq!(c.skipped[1].reason, "dimanche");
        assert!(c.explanation.contains("CPC 642"));
    }

    #[test]
    fn weeks_are_days() {
        // Monday 02/03/2026 + 6 weeks = Monday 13/04/2026.
        let c = compute(
            d(2026, 3, 2),
            &Delay::forward(6, Unit::Weeks),
            Zone::Metropole,
        );
        assert_eq!(c.expires, d(2026, 4, 13));
        assert!(c.explanation.contains("42 jours"));
    }

    #[test]
    fn easter_monday_moves_to_tuesday() {
        // 06/03/2026 + 1 month = Monday 06/04/2026, Easter Monday → Tuesday 07/04/2026.
        let c = compute(
            d(2026, 3, 6),
            &Delay::forward(1, Unit::Months),
            Zone::Metropole,
        );
        assert_eq!(c.raw, d(2026, 4, 6));
        assert_eq!(c.expires, d(2026, 4, 7));
        assert_eq!(c.skipped[0].reason, "jour férié : Lundi de Pâques");
    }

    #[test]
    fn good_friday_in_haut_rhin_not_in_ain() {
        // 03/03/2026 + 1 month = Friday 03/04/2026, Good Friday.
        let ain = Zone::for_departement("01");
        let haut_rhin = Zone::for_departement("68");
        let delay = Delay::forward(1, Unit::Months);
        assert_eq!(compute(d(2026, 3, 3), &delay, ain).expires, d(2026, 4, 3));
        // Haut-Rhin: Good Friday, Saturday, Sunday, Easter Monday → Tuesday 07/04/2026.
        let c = compute(d(2026, 3, 3), &delay, haut_rhin);
        assert_eq!(c.expires, d(2026, 4, 7));
        assert_eq!(c.skipped.len(), 4);
        assert!(c.explanation.contains("Vendredi saint"));
    }

    #[test]
    fn backward_before_a_hearing_moves_earlier() {
        // Hearing Tuesday 23/06/2026; 42 days back = Tuesday 12/05/2026; last day 11/05 (Monday).
        let c = compute(
            d(2026, 6, 23),
            &Delay::backward(6, Unit::Weeks),
            Zone::Metropole,
        );
        assert_eq!(c.raw, d(2026, 5, 11));
        assert_eq!(c.expires, d(2026, 5, 11));
        // Hearing Friday 26/06/2026: 42 days back = Friday 15/05, last day Thursday 14/05 =
        // Ascension → moved earlier to Wednesday 13/05/2026.
        let c = compute(
            d(2026, 6, 26),
            &Delay::backward(6, Unit::Weeks),
            Zone::Metropole,
        );
        assert_eq!(c.raw, d(2026, 5, 14));
        assert_eq!(c.expires, d(2026, 5, 13));
        assert_eq!(c.skipped[0].reason, "jour férié : Ascension");
        assert!(c.explanation.contains("jamais reporté plus tard"));
        // Hearing Monday 06/07/2026: back 42 = Monday 25/05 (Whit Monday), last day Sunday
        // 24/05 → Saturday, Sunday skipped → Friday 22/05/2026.
        let c = compute(
            d(2026, 7, 6),
            &Delay::backward(6, Unit::Weeks),
            Zone::Metropole,
        );
        assert_eq!(c.raw, d(2026, 5, 24));
        assert_eq!(c.expires, d(2026, 5, 22));
    }
}
