//! The « Tableau de bord » pane: the figures of a period for all sectors or one, with charts.
//! The worker computes the figures (per sector, for the whole period) off the UI thread; the
//! pane only chooses what to show. Changing the sector needs no new computation; changing the
//! period asks the worker again.

use chrono::{Datelike, NaiveDate};

use super::app::{App, Pane};
use super::keymap::Action;
use super::worker::Request;
use crate::domain::dates::{add_months, format_fr};
use crate::domain::figures::Period;
use crate::domain::figures_calc::SectorStats;

/// The periods the pane cycles through with one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodChoice {
    /// From 1 January of this year to today.
    YearToDate,
    /// Last calendar year (the yearly report).
    LastYear,
    /// The year before.
    YearBefore,
    /// The twelve months ending today.
    Last12Months,
}

impl PeriodChoice {
    /// In the order the key cycles.
    pub const ALL: [PeriodChoice; 4] = [
        PeriodChoice::YearToDate,
        PeriodChoice::LastYear,
        PeriodChoice::YearBefore,
        PeriodChoice::Last12Months,
    ];

    /// The dates it covers as of `today`.
    pub fn period(self, today: NaiveDate) -> Period {
        let year = |y: i32| {
            Period::year(y).unwrap_or(Period {
                from: today,
                to: today,
            })
        };
        match self {
            PeriodChoice::YearToDate => Period {
                from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
                to: today,
            },
            PeriodChoice::LastYear => year(today.year() - 1),
            PeriodChoice::YearBefore => year(today.year() - 2),
            PeriodChoice::Last12Months => Period {
                from: add_months(today, -12) + chrono::Duration::days(1),
                to: today,
            },
        }
    }

    /// How the pane names it: « Année 2026 (au 22/11/2026) », « 12 derniers mois ».
    pub fn label_fr(self, today: NaiveDate) -> String {
        let p = self.period(today);
        match self {
            PeriodChoice::YearToDate => {
                format!("Année {} au {}", today.year(), format_fr(today))
            }
            PeriodChoice::LastYear | PeriodChoice::YearBefore => {
                format!("Année {}", p.from.year())
            }
            PeriodChoice::Last12Months => format!(
                "12 derniers mois ({} – {})",
                format_fr(p.from),
                format_fr(p.to)
            ),
        }
    }
}

/// Parts of the pane; on a small terminal one shows at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The figures with their values.
    Figures,
    /// Debt by age and by phase.
    Debt,
    /// Dossiers opened and closed per month.
    Flows,
    /// The procedure funnel.
    Funnel,
    /// Sectors side by side.
    Sectors,
}

impl Section {
    /// In tab order.
    pub const ALL: [Section; 5] = [
        Section::Figures,
        Section::Debt,
        Section::Flows,
        Section::Funnel,
        Section::Sectors,
    ];

    /// Tab label.
    pub fn label_fr(self) -> &'static str {
        match self {
            Section::Figures => "Chiffres",
            Section::Debt => "Dette",
            Section::Flows => "Dossiers par mois",
            Section::Funnel => "Procédure",
            Section::Sectors => "Secteurs",
        }
    }
}

/// The pane's state.
#[derive(Debug, Clone, Default)]
pub struct Dashboard {
    /// Position in `PeriodChoice::ALL`.
    pub period: usize,
    /// Sector shown (position in the stats' sectors), None for all.
    pub sector: Option<usize>,
    /// Section shown on small terminals.
    pub section: usize,
    /// The figures last computed, and the period they are for.
    pub stats: Option<Box<SectorStats>>,
    /// A computation was asked and not answered yet.
    pub loading: bool,
    /// Generation of the last request (stale answers are dropped).
    pub generation: u64,
}

impl Dashboard {
    /// The period chosen.
    pub fn choice(&self) -> PeriodChoice {
        PeriodChoice::ALL[self.period % PeriodChoice::ALL.len()]
    }

    /// Starts a new computation for the chosen period: returns its period and generation.
    pub fn request(&mut self, today: NaiveDate) -> (Period, u64) {
        self.generation += 1;
        self.loading = true;
        (self.choice().period(today), self.generation)
    }

    /// Moves to the next period; the caller then asks for it.
    pub fn next_period(&mut self) {
        self.period = (self.period + 1) % PeriodChoice::ALL.len();
    }

    /// Next sector: all → first → … → last → all.
    pub fn next_sector(&mut self) {
        let n = self.stats.as_ref().map_or(0, |s| s.sectors.len());
        self.sector = match self.sector {
            None if n > 0 => Some(0),
            Some(k) if k + 1 < n => Some(k + 1),
            _ => None,
        };
    }

    /// Next or previous section (small terminals).
    pub fn step_section(&mut self, forward: bool) {
        let n = Section::ALL.len();
        self.section = if forward {
            (self.section + 1) % n
        } else {
            (self.section + n - 1) % n
        };
    }

    /// Section shown on small terminals.
    pub fn current_section(&self) -> Section {
        Section::ALL[self.section % Section::ALL.len()]
    }

    /// Takes the worker's answer if it is the one awaited.
    pub fn set_stats(&mut self, generation: u64, stats: Box<SectorStats>) {
        if generation != self.generation {
            return;
        }
        self.loading = false;
        if self.sector.is_some_and(|k| k >= stats.sectors.len()) {
            self.sector = None;
        }
        self.stats = Some(stats);
    }

    /// « tous secteurs » or the sector's name.
    pub fn sector_label(&self) -> String {
        match (self.sector, self.stats.as_ref()) {
            (Some(k), Some(s)) => s
                .sectors
                .get(k)
                .map(|(code, name)| format!("secteur {name} ({code})"))
                .unwrap_or_else(|| "tous secteurs".into()),
            _ => "tous secteurs".into(),
        }
    }
}

impl App {
    /// Opens the dashboard (computing afresh each time it is entered), or changes its period
    /// or sector. A new period asks the worker; a sector is chosen among the figures held.
    pub(super) fn dashboard_action(&mut self, action: Action) -> Vec<Request> {
        let entering = self.pane != Pane::Dashboard;
        self.pane = Pane::Dashboard;
        match action {
            Action::DashPeriod if !entering => self.dashboard.next_period(),
            Action::DashSector if !entering => {
                self.dashboard.next_sector();
                return Vec::new();
            }
            _ if !entering && self.dashboard.stats.is_some() => return Vec::new(),
            _ => {}
        }
        let (period, generation) = self.dashboard.request(self.today);
        vec![Request::Stats { period, generation }]
    }

    /// Another session wrote: figures on screen are recomputed (the old ones stay shown until
    /// the new ones arrive), so a projected dashboard never shows stale counts. Figures not on
    /// screen are recomputed anyway when the pane is next entered.
    pub(super) fn dashboard_after_external_change(&mut self) -> Vec<Request> {
        if self.pane != Pane::Dashboard || self.dashboard.stats.is_none() {
            return Vec::new();
        }
        let (period, generation) = self.dashboard.request(self.today);
        vec![Request::Stats { period, generation }]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn periods_cycle_from_this_year_to_the_last_twelve_months() {
        let today = d(2026, 11, 22);
        let mut b = Dashboard::default();
        assert_eq!(b.choice().period(today).from, d(2026, 1, 1));
        assert_eq!(b.choice().label_fr(today), "Année 2026 au 22/11/2026");
        b.next_period();
        assert_eq!(b.choice().period(today).to, d(2025, 12, 31));
        assert_eq!(b.choice().label_fr(today), "Année 2025");
        b.next_period();
        b.next_period();
        let p = b.choice().period(today);
        assert_eq!((p.from, p.to), (d(2025, 11, 23), today));
        b.next_period();
        assert_eq!(b.choice(), PeriodChoice::YearToDate);
    }

    #[test]
    fn stale_answers_are_dropped_and_sectors_cycle_back_to_all() {
        let today = d(2026, 11, 22);
        let mut b = Dashboard::default();
        let (_, g1) = b.request(today);
        let (period, g2) = b.request(today);
        let stats = Box::new(SectorStats {
            period,
            sectors: vec![("A".into(), "Ain".into()), ("B".into(), "Bresse".into())],
            inputs: vec![Default::default(); 2],
            flows: vec![Vec::new(); 2],
        });
        b.set_stats(g1, stats.clone());
        assert!(b.stats.is_none() && b.loading);
        b.set_stats(g2, stats);
        assert!(b.stats.is_some() && !b.loading);
        assert_eq!(b.sector_label(), "tous secteurs");
        b.next_sector();
        assert_eq!(b.sector_label(), "secteur Ain (A)");
        b.next_sector();
        b.next_sector();
        assert_eq!(b.sector, None);
        b.step_section(false);
        assert_eq!(b.current_section(), Section::Sectors);
    }
}
