//! The portfolio's "Délai légal" column: the nearest legal date of each dossier, computed by
//! the store worker in the background and installed here chunk by chunk.

use chrono::NaiveDate;
use ratatui::text::Span;
use ratatui::widgets::Cell as TCell;

use super::{Column, Portfolio};
use crate::domain::todo::LegalDate;
use crate::tui::fmt::short_date;
use crate::tui::theme::Theme;

impl Portfolio {
    /// Installs legal dates computed in the background (a chunk of the pass over every open
    /// dossier, or a household after a write); `complete` once the pass is over, when a
    /// dossier without a date has none ("—" instead of "…").
    pub fn set_legal_dates(
        &mut self,
        dates: Vec<(i64, Option<LegalDate>)>,
        complete: bool,
        today: NaiveDate,
    ) {
        self.legal_loaded |= complete;
        self.legal.extend(dates);
        if Column::ALL[self.sort] == Column::LegalDate {
            let keep = self.selected().map(|r| r.dossier_id);
            self.refresh(today, keep);
        }
    }

    /// A dossier's nearest legal date: None until computed, Some(None) when it has none.
    pub fn legal_date(&self, dossier_id: i64) -> Option<Option<&LegalDate>> {
        match self.legal.get(&dossier_id) {
            Some(d) => Some(d.as_ref()),
            None if self.legal_loaded => Some(None),
            None => None,
        }
    }

    /// Every row's household, those shown first in their order (background work on what the
    /// officer sees comes first).
    pub fn households_shown_first(&self) -> Vec<i64> {
        let mut seen = vec![false; self.rows.len()];
        let mut out = Vec::with_capacity(self.rows.len());
        for &i in &self.view {
            seen[i as usize] = true;
            out.push(self.rows[i as usize].household_id);
        }
        out.extend(
            self.rows
                .iter()
                .zip(&seen)
                .filter(|(_, s)| !**s)
                .map(|(r, _)| r.household_id),
        );
        out
    }
}

/// The legal-date cell: "…" while the worker computes, "—" without one, "!" when a required
/// step is late (a merely possible step in the past is not late).
pub(super) fn legal_cell<'a>(
    d: Option<Option<&LegalDate>>,
    theme: &Theme,
    today: NaiveDate,
) -> TCell<'a> {
    match d {
        None => TCell::from(Span::styled("…", theme.style("muted"))),
        Some(None) => TCell::from("—"),
        Some(Some(d)) if d.late => TCell::from(Span::styled(
            format!("{}!", short_date(d.date)),
            theme.style("severity.high"),
        )),
        Some(Some(d)) if d.date <= today => TCell::from(Span::styled(
            short_date(d.date),
            theme.style("severity.medium"),
        )),
        Some(Some(d)) => TCell::from(short_date(d.date)),
    }
}
