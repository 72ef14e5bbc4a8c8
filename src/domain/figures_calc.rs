//! Pure rules that turn the stored facts into the figures' inputs as of a date: whether a
//! lease or a dossier was in force, which sector a household belonged to, the phase a dossier
//! was in, the age of a debt, and the dossiers opened and closed per month.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use super::dates::{add_months, month_start};
use super::dossier::Phase;
use super::ledger::{DebtByAge, UnpaidCharge, debt_by_age};

/// Whether a lease started on `start` and ended on `end` (the day the household left) is in
/// force on `at`.
pub fn lease_in_force(start: NaiveDate, end: Option<NaiveDate>, at: NaiveDate) -> bool {
    start <= at && end.is_none_or(|e| e > at)
}

/// Whether a dossier opened on `opened` and closed on `closed` is open on `at` (a dossier
/// closed on `at` no longer counts).
pub fn dossier_open(opened: NaiveDate, closed: Option<NaiveDate>, at: NaiveDate) -> bool {
    opened <= at && closed.is_none_or(|c| c > at)
}

/// One lease of a household, for `household_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseSpan<S> {
    /// Start date.
    pub start: NaiveDate,
    /// End date (the day the household left), if any.
    pub end: Option<NaiveDate>,
    /// The home's sector.
    pub sector: S,
}

/// Where a household stood on a date: its sector and whether it lived in its home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HouseholdAt<'a, S> {
    /// Sector of the lease in force, else of the latest lease started by then, else of the
    /// first one (a household counts in one sector).
    pub sector: &'a S,
    /// A lease was in force on the date.
    pub present: bool,
}

/// A household's sector and presence on `at`, from its leases (any order); None without lease.
pub fn household_at<S>(leases: &[LeaseSpan<S>], at: NaiveDate) -> Option<HouseholdAt<'_, S>> {
    if let Some(l) = leases.iter().find(|l| lease_in_force(l.start, l.end, at)) {
        return Some(HouseholdAt {
            sector: &l.sector,
            present: true,
        });
    }
    let started = leases
        .iter()
        .filter(|l| l.start <= at)
        .max_by_key(|l| l.start);
    let chosen = started.or_else(|| leases.iter().min_by_key(|l| l.start))?;
    Some(HouseholdAt {
        sector: &chosen.sector,
        present: false,
    })
}

/// The phase a dossier was in on a past date: the `from` of its first phase change after that
/// date, or its current phase when it has not changed since.
pub fn phase_at(current: Phase, first_change_after: Option<Phase>) -> Phase {
    first_change_after.unwrap_or(current)
}

/// Ages a debt owed on `at` from the account's charges called up to `at`, newest first: with
/// the oldest charges settled first, what remains unpaid is the newest charges, the oldest of
/// them only in part. Stops reading charges once the debt is covered.
pub fn age_debt(
    debt: Decimal,
    charges_newest_first: impl IntoIterator<Item = (NaiveDate, Decimal)>,
    at: NaiveDate,
) -> DebtByAge {
    let mut left = debt;
    let mut unpaid = Vec::new();
    for (date, amount) in charges_newest_first {
        if left <= Decimal::ZERO {
            break;
        }
        if amount <= Decimal::ZERO {
            continue;
        }
        let part = amount.min(left);
        left -= part;
        unpaid.push(UnpaidCharge {
            date,
            remaining: part,
            charged: amount,
            label: String::new(),
        });
    }
    let mut out = debt_by_age(&unpaid, at);
    // A debt larger than every charge (opening balance imported as a payment reversal, for
    // instance) is counted as the oldest.
    if left > Decimal::ZERO {
        out.gt_12_months += left;
    }
    out
}

/// Dossiers opened and closed in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthFlow {
    /// First day of the month.
    pub month: NaiveDate,
    /// Dossiers opened that month.
    pub opened: u64,
    /// Dossiers closed that month.
    pub closed: u64,
}

/// The last `n` months up to the one holding `last`, oldest first, all at zero.
pub fn months_ending(last: NaiveDate, n: u32) -> Vec<MonthFlow> {
    let end = month_start(last);
    (0..n)
        .rev()
        .map(|k| MonthFlow {
            month: add_months(end, -(k as i32)),
            opened: 0,
            closed: 0,
        })
        .collect()
}

fn month_index(flows: &[MonthFlow], date: NaiveDate) -> Option<usize> {
    let first = flows.first()?.month;
    let k = (date.year() - first.year()) * 12 + date.month() as i32 - first.month() as i32;
    usize::try_from(k).ok().filter(|&k| k < flows.len())
}

/// Counts a dossier's opening and closing into the months they fall in (outside: ignored).
pub fn count_flow(flows: &mut [MonthFlow], opened: NaiveDate, closed: Option<NaiveDate>) {
    if let Some(k) = month_index(flows, opened) {
        flows[k].opened += 1;
    }
    if let Some(k) = closed.and_then(|c| month_index(flows, c)) {
        flows[k].closed += 1;
    }
}

/// Adds one sector's months to a total of the same months.
pub fn add_flows(total: &mut [MonthFlow], other: &[MonthFlow]) {
    for (t, o) in total.iter_mut().zip(other) {
        t.opened += o.opened;
        t.closed += o.closed;
    }
}

/// Code of the bucket for households without any lease (created by an import, for instance).
pub const NO_SECTOR: &str = "—";

/// The figures' inputs for a period, per sector, with the dossiers opened and closed per month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorStats {
    /// The period.
    pub period: super::figures::Period,
    /// Sector codes and names, in the order they are shown.
    pub sectors: Vec<(String, String)>,
    /// Inputs per sector, in the order of `sectors`.
    pub inputs: Vec<super::figures::FigureInputs>,
    /// Dossiers opened and closed per month (the months ending with the period's), per sector.
    pub flows: Vec<Vec<MonthFlow>>,
}

impl SectorStats {
    /// Position of a sector, by code or name (case-insensitive).
    pub fn position(&self, sector: &str) -> Option<usize> {
        let s = sector.trim().to_lowercase();
        self.sectors
            .iter()
            .position(|(c, n)| c.to_lowercase() == s || n.to_lowercase() == s)
    }

    /// Inputs of one sector (by position), or of all summed.
    pub fn inputs_of(&self, sector: Option<usize>) -> super::figures::FigureInputs {
        match sector {
            Some(k) => self.inputs.get(k).cloned().unwrap_or_default(),
            None => {
                let mut total = super::figures::FigureInputs::default();
                for i in &self.inputs {
                    total += i;
                }
                total
            }
        }
    }

    /// Monthly flows of one sector, or of all summed.
    pub fn flows_of(&self, sector: Option<usize>) -> Vec<MonthFlow> {
        match sector {
            Some(k) => self.flows.get(k).cloned().unwrap_or_default(),
            None => {
                let mut total: Vec<MonthFlow> = self.flows.first().cloned().unwrap_or_default();
                for f in total.iter_mut() {
                    f.opened = 0;
                    f.closed = 0;
                }
                for f in &self.flows {
                    add_flows(&mut total, f);
                }
                total
            }
        }
    }

    /// The figures of one sector (by position), or of all.
    pub fn figures(&self, sector: Option<usize>) -> super::figures::Figures {
        super::figures::Figures {
            period: self.period,
            inputs: self.inputs_of(sector),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn leases_and_dossiers_in_force() {
        assert!(lease_in_force(d(2024, 1, 1), None, d(2025, 12, 31)));
        assert!(!lease_in_force(d(2026, 1, 1), None, d(2025, 12, 31)));
        // Left on 31/12: gone that day.
        assert!(!lease_in_force(
            d(2024, 1, 1),
            Some(d(2025, 12, 31)),
            d(2025, 12, 31)
        ));
        assert!(lease_in_force(
            d(2024, 1, 1),
            Some(d(2026, 1, 5)),
            d(2025, 12, 31)
        ));
        assert!(dossier_open(d(2025, 12, 31), None, d(2025, 12, 31)));
        assert!(!dossier_open(
            d(2025, 3, 1),
            Some(d(2025, 12, 31)),
            d(2025, 12, 31)
        ));
        assert!(dossier_open(
            d(2025, 3, 1),
            Some(d(2026, 2, 1)),
            d(2025, 12, 31)
        ));
    }

    #[test]
    fn household_sector_and_presence_on_a_date() {
        let leases = vec![
            LeaseSpan {
                start: d(2020, 1, 1),
                end: Some(d(2024, 6, 30)),
                sector: "BRS",
            },
            LeaseSpan {
                start: d(2024, 7, 1),
                end: Some(d(2025, 10, 15)),
                sector: "MUL",
            },
        ];
        let at = |y, m, dd| household_at(&leases, d(y, m, dd)).expect("leases");
        assert_eq!(*at(2023, 1, 1).sector, "BRS");
        assert!(at(2023, 1, 1).present);
        assert_eq!(*at(2025, 1, 1).sector, "MUL");
        // After leaving: the last home's sector, departed.
        assert_eq!(*at(2025, 12, 31).sector, "MUL");
        assert!(!at(2025, 12, 31).present);
        // Before the first lease: its sector, not present.
        assert_eq!(*at(2019, 1, 1).sector, "BRS");
        assert!(!at(2019, 1, 1).present);
        assert!(household_at::<&str>(&[], d(2025, 1, 1)).is_none());
    }

    #[test]
    fn phase_on_a_past_date() {
        assert_eq!(
            phase_at(Phase::Closed, Some(Phase::Litigation)),
            Phase::Litigation
        );
        assert_eq!(phase_at(Phase::Amicable, None), Phase::Amicable);
    }

    #[test]
    fn debt_is_aged_from_the_newest_charges() {
        // On 31/12/2025 the tenant owes 1 000. Charges newest first: 400 on 01/12/2025
        // (< 3 months), 400 on 01/09/2025 (3–12 months: 30/09 is the limit), 400 on
        // 01/12/2024 (on or before 31/12/2024: > 12 months) of which 200 remain.
        let at = d(2025, 12, 31);
        let charges = vec![
            (d(2025, 12, 1), dec!(400)),
            (d(2025, 9, 1), dec!(400)),
            (d(2024, 12, 1), dec!(400)),
            (d(2024, 11, 1), dec!(400)),
        ];
        let a = age_debt(dec!(1000), charges.clone(), at);
        assert_eq!(a.lt_3_months, dec!(400));
        assert_eq!(a.from_3_to_12_months, dec!(400));
        assert_eq!(a.gt_12_months, dec!(200));
        assert_eq!(a.total(), dec!(1000));
        // A debt within the latest charge is all recent.
        let b = age_debt(dec!(120.50), charges.clone(), at);
        assert_eq!(b.lt_3_months, dec!(120.50));
        assert_eq!(b.total(), dec!(120.50));
        // No debt, nothing aged.
        assert_eq!(age_debt(dec!(0), charges, at).total(), dec!(0));
        // More debt than charges: the excess is the oldest.
        let c = age_debt(dec!(500), vec![(d(2025, 12, 1), dec!(400))], at);
        assert_eq!(c.lt_3_months, dec!(400));
        assert_eq!(c.gt_12_months, dec!(100));
    }

    #[test]
    fn months_count_openings_and_closings() {
        let mut m = months_ending(d(2025, 12, 31), 24);
        assert_eq!(m.len(), 24);
        assert_eq!(m[0].month, d(2024, 1, 1));
        assert_eq!(m[23].month, d(2025, 12, 1));
        count_flow(&mut m, d(2024, 1, 15), Some(d(2025, 12, 3)));
        count_flow(&mut m, d(2025, 12, 31), None);
        // Outside the window: not counted.
        count_flow(&mut m, d(2023, 12, 31), Some(d(2026, 1, 1)));
        assert_eq!((m[0].opened, m[0].closed), (1, 0));
        assert_eq!((m[23].opened, m[23].closed), (1, 1));
        assert_eq!(m.iter().map(|f| f.opened).sum::<u64>(), 2);
        let mut total = months_ending(d(2025, 12, 31), 24);
        add_flows(&mut total, &m);
        add_flows(&mut total, &m);
        assert_eq!(total[23].opened, 2);
    }
}
