//! Retention rules (CNIL, domain.md §7): how long closed dossiers and social notes are kept.
//! The durations are settings (`[retention]` in the config file), not law written in code: the
//! defaults below follow domain.md §7 and must be checked by the landlord's DPO.

use chrono::{Months, NaiveDate};
use serde::Deserialize;

/// How long data is kept once its purpose is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RetentionRules {
    /// A dossier closed without going to court ("amiable" settled or written off) is deleted
    /// this many years after its closing: the dispute is over and the action of the landlord
    /// is time-barred after 3 years (loi du 6 juillet 1989, art. 7-1).
    pub amicable_years: u32,
    /// A dossier that went to court is deleted this many years after its closing: once no
    /// remedy is possible (appeal, enforcement of the judgement).
    pub litigation_years: u32,
    /// A CESF's confidential notes are deleted this many months after the dossier (the
    /// follow-up) is closed.
    pub social_notes_months: u32,
}

impl Default for RetentionRules {
    fn default() -> Self {
        RetentionRules {
            amicable_years: 3,
            litigation_years: 10,
            social_notes_months: 0,
        }
    }
}

/// The closing dates at or before which each rule applies, as of `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cutoffs {
    /// Amicable dossiers closed on or before this date are deleted.
    pub amicable_closed_by: NaiveDate,
    /// Litigation dossiers closed on or before this date are deleted.
    pub litigation_closed_by: NaiveDate,
    /// Social notes of dossiers closed on or before this date are deleted.
    pub notes_closed_by: NaiveDate,
}

impl RetentionRules {
    /// The cut-off dates as of `today` (a 29 February minus a year falls on the 28th).
    pub fn cutoffs(&self, today: NaiveDate) -> Cutoffs {
        let back = |months: u32| {
            today
                .checked_sub_months(Months::new(months))
                .unwrap_or(NaiveDate::MIN)
        };
        Cutoffs {
            amicable_closed_by: back(self.amicable_years.saturating_mul(12)),
            litigation_closed_by: back(self.litigation_years.saturating_mul(12)),
            notes_closed_by: back(self.social_notes_months),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn default_cutoffs_count_back_from_today() {
        let c = RetentionRules::default().cutoffs(d(2026, 11, 22));
        assert_eq!(c.amicable_closed_by, d(2023, 11, 22));
        assert_eq!(c.litigation_closed_by, d(2016, 11, 22));
        assert_eq!(c.notes_closed_by, d(2026, 11, 22));
    }

    #[test]
    fn a_leap_day_falls_back_to_the_28th() {
        let rules = RetentionRules {
            amicable_years: 1,
            ..RetentionRules::default()
        };
        assert_eq!(
            rules.cutoffs(d(2028, 2, 29)).amicable_closed_by,
            d(2027, 2, 28)
        );
    }

    #[test]
    fn the_config_section_may_set_one_rule_only() {
        let r: RetentionRules = toml::from_str("amicable_years = 2").expect("parse");
        assert_eq!(r.amicable_years, 2);
        assert_eq!(r.litigation_years, 10);
        assert!(toml::from_str::<RetentionRules>("amicable = 2").is_err());
    }
}
