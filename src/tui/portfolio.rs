//! The portfolio pane (Portefeuille): every open dossier, filtered, sorted, and drawn a
//! window at a time so that 100,000 rows scroll as fast as 100.

use std::cell::Cell;
use std::cmp::Ordering;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::fmt::{ellipsize, months_text, short_date};
use super::theme::Theme;
use crate::domain::dossier::Phase;
use crate::domain::household::TenantStatus;
use crate::domain::money::{format_amount, format_eur, from_cents, to_cents};
use crate::domain::portfolio::PortfolioRow;
use crate::domain::todo::LegalDate;

mod draw;
mod legal;
use legal::legal_cell;

/// Which tenants the portfolio shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Locataires présents.
    Present,
    /// Locataires partis.
    Departed,
    /// Tous.
    All,
}

impl Scope {
    fn next(self) -> Scope {
        match self {
            Scope::Present => Scope::Departed,
            Scope::Departed => Scope::All,
            Scope::All => Scope::Present,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Scope::Present => "Présents",
            Scope::Departed => "Partis",
            Scope::All => "Tous",
        }
    }
}

/// Columns, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Account,
    Name,
    Sector,
    Debt,
    Months,
    Phase,
    Referent,
    Alerts,
    NextAction,
    NextDate,
    LegalDate,
}

impl Column {
    const ALL: [Column; 11] = [
        Column::Account,
        Column::Name,
        Column::Sector,
        Column::Debt,
        Column::Months,
        Column::Phase,
        Column::Referent,
        Column::Alerts,
        Column::NextAction,
        Column::NextDate,
        Column::LegalDate,
    ];

    fn title(self) -> &'static str {
        match self {
            Column::Account => "Compte",
            Column::Name => "Nom",
            Column::Sector => "Sect.",
            Column::Debt => "Dette",
            Column::Months => "Mois",
            Column::Phase => "Phase",
            Column::Referent => "Référent",
            Column::Alerts => "Alertes",
            Column::NextAction => "Prochaine action",
            Column::NextDate => "Échéance",
            Column::LegalDate => "Délai légal",
        }
    }

    /// Width wanted (0 = flexible) and the priority to keep it on a narrow screen (higher is
    /// kept longer).
    fn layout(self) -> (u16, u8) {
        match self {
            Column::Account => (10, 9),
            Column::Name => (0, 10),
            Column::Sector => (5, 3),
            Column::Debt => (12, 9),
            Column::Months => (5, 7),
            Column::Phase => (11, 6),
            Column::Referent => (9, 4),
            Column::Alerts => (16, 3),
            Column::NextAction => (0, 2),
            Column::NextDate => (11, 5),
            Column::LegalDate => (11, 4),
        }
    }
}

/// Filters set from the filter form or one-key toggles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Only this phase.
    pub phase: Option<Phase>,
    /// Only this sector.
    pub sector: Option<String>,
    /// Only this referent's dossiers (login).
    pub referent: Option<String>,
    /// Only debts at or above.
    pub min_debt: Option<Decimal>,
    /// Only overdue next actions.
    pub overdue: bool,
    /// Only dossiers with an alert (broken plan, detection flags).
    pub alerts: bool,
}

impl Filters {
    fn describe(&self, me: &str) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(p) = self.phase {
            v.push(format!("phase {}", p.label_fr()));
        }
        if let Some(s) = &self.sector {
            v.push(format!("secteur {s}"));
        }
        match &self.referent {
            Some(r) if r == me => v.push("mes dossiers".into()),
            Some(r) => v.push(format!("référent {r}")),
            None => {}
        }
        if let Some(d) = self.min_debt {
            v.push(format!("dette ≥ {}", format_eur(d)));
        }
        if self.overdue {
            v.push("en retard".into());
        }
        if self.alerts {
            v.push("avec alertes".into());
        }
        v
    }
}

/// The portfolio's state.
#[derive(Debug, Default)]
pub struct Portfolio {
    rows: Vec<PortfolioRow>,
    /// Folded names, computed once per load, for sorting by name.
    name_keys: Vec<String>,
    /// Months of arrears in tenths (-1 when undefined), computed once, for sorting.
    months_keys: Vec<i64>,
    /// Debts in cents, computed once, for sorting and the total.
    debt_keys: Vec<i64>,
    view: Vec<u32>,
    scope_: Option<Scope>,
    sort: usize,
    descending: bool,
    /// Filters in force.
    pub filters: Filters,
    cursor: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
    total_debt: Decimal,
    loaded: bool,
    /// Nearest legal date by dossier id, computed by the worker after the first load.
    legal: std::collections::HashMap<i64, Option<LegalDate>>,
    legal_loaded: bool,
    /// Only the first screen is loaded (start-up); the whole list follows.
    partial: bool,
}

impl Portfolio {
    /// Replaces the rows (first load or reload), keeping the cursor on the same dossier.
    pub fn set_rows(&mut self, rows: Vec<PortfolioRow>, today: NaiveDate) {
        let keep = self.selected().map(|r| r.dossier_id);
        // Folded names are computed on the first sort by name, not on every load.
        self.name_keys.clear();
        self.months_keys = rows.iter().map(months_key).collect();
        self.debt_keys = rows.iter().map(|r| to_cents(r.debt)).collect();
        self.rows = rows;
        self.partial = false;
        if !self.loaded {
            self.loaded = true;
            self.sort = 3;
            self.descending = true;
        }
        self.refresh(today, keep);
    }

    /// Replaces one dossier's row after a write (or removes it when the dossier closed).
    pub fn update_row(&mut self, dossier_id: i64, row: Option<PortfolioRow>, today: NaiveDate) {
        let keep = self.selected().map(|r| r.dossier_id);
        match (
            self.rows.iter().position(|r| r.dossier_id == dossier_id),
            row,
        ) {
            (Some(i), Some(r)) => {
                if let Some(k) = self.name_keys.get_mut(i) {
                    *k = crate::domain::fold::fold_key(&r.name);
                }
                self.months_keys[i] = months_key(&r);
                self.debt_keys[i] = to_cents(r.debt);
                self.rows[i] = r;
            }
            (Some(i), None) => {
                self.rows.swap_remove(i);
                if i < self.name_keys.len() {
                    self.name_keys.swap_remove(i);
                }
                self.months_keys.swap_remove(i);
                self.debt_keys.swap_remove(i);
            }
            (None, Some(r)) => {
                if !self.name_keys.is_empty() {
                    self.name_keys.push(crate::domain::fold::fold_key(&r.name));
                }
                self.months_keys.push(months_key(&r));
                self.debt_keys.push(to_cents(r.debt));
                self.rows.push(r);
            }
            (None, None) => {}
        }
        self.refresh(today, keep);
    }

    /// Whether the first load arrived.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// Shows the first screen of rows while the whole list loads (start-up): sorting, filters
    /// and the cursor work on these rows, and apply again to the whole list when it comes.
    pub fn set_first_page(&mut self, rows: Vec<PortfolioRow>, today: NaiveDate) {
        self.set_rows(rows, today);
        self.partial = true;
    }

    /// Whether only the first screen is loaded.
    pub fn is_partial(&self) -> bool {
        self.partial
    }

    fn scope(&self) -> Scope {
        self.scope_.unwrap_or(Scope::Present)
    }

    /// Rows shown, in order.
    pub fn len(&self) -> usize {
        self.view.len()
    }

    /// Whether nothing is shown.
    pub fn is_empty(&self) -> bool {
        self.view.is_empty()
    }

    /// The row under the cursor.
    pub fn selected(&self) -> Option<&PortfolioRow> {
        self.view.get(self.cursor).map(|&i| &self.rows[i as usize])
    }

    /// Every row (for choices in the filter form).
    pub fn rows(&self) -> &[PortfolioRow] {
        &self.rows
    }

    /// Recomputes the view after a change of rows, scope, filters or sort.
    pub fn refresh(&mut self, today: NaiveDate, keep: Option<i64>) {
        let scope = self.scope();
        let f = &self.filters;
        let mut view: Vec<u32> = Vec::with_capacity(self.rows.len());
        let mut total: i64 = 0;
        for (i, r) in self.rows.iter().enumerate() {
            let in_scope = match scope {
                Scope::Present => r.status == TenantStatus::Present,
                Scope::Departed => r.status == TenantStatus::Departed,
                Scope::All => true,
            };
            if !in_scope
                || f.phase.is_some_and(|p| p != r.phase)
                || f.sector.as_ref().is_some_and(|s| *s != r.sector)
                || f.referent
                    .as_ref()
                    .is_some_and(|x| Some(x) != r.referent.as_ref())
                || f.min_debt.is_some_and(|d| r.debt < d)
                || (f.overdue && !r.overdue(today))
                || (f.alerts && r.alert_count() == 0)
            {
                continue;
            }
            total += self.debt_keys[i];
            view.push(i as u32);
        }
        let col = Column::ALL[self.sort];
        if col == Column::Name && self.name_keys.len() != self.rows.len() {
            self.name_keys = self
                .rows
                .iter()
                .map(|r| crate::domain::fold::fold_key(&r.name))
                .collect();
        }
        let rows = &self.rows;
        let keys = &self.name_keys;
        let months = &self.months_keys;
        let debts = &self.debt_keys;
        let legal = &self.legal;
        // Dossiers without a legal date (or not yet computed) go last.
        let legal_key = |r: &PortfolioRow| {
            legal
                .get(&r.dossier_id)
                .and_then(|d| d.as_ref())
                .map_or(NaiveDate::MAX, |d| d.date)
        };
        view.sort_unstable_by(|&a, &b| {
            let (x, y) = (&rows[a as usize], &rows[b as usize]);
            let primary = match col {
                Column::Name => keys[a as usize].cmp(&keys[b as usize]),
                Column::Months => months[a as usize].cmp(&months[b as usize]),
                Column::Debt => debts[a as usize].cmp(&debts[b as usize]),
                Column::LegalDate => legal_key(x).cmp(&legal_key(y)),
                _ => compare(col, x, y),
            };
            let o = primary.then_with(|| x.account.cmp(&y.account));
            if self.descending { o.reverse() } else { o }
        });
        self.view = view;
        self.total_debt = from_cents(total);
        self.cursor = keep
            .and_then(|id| {
                self.view
                    .iter()
                    .position(|&i| self.rows[i as usize].dossier_id == id)
            })
            .unwrap_or(0)
            .min(self.view.len().saturating_sub(1));
    }

    /// Next scope (présents → partis → tous).
    pub fn next_scope(&mut self, today: NaiveDate) {
        self.scope_ = Some(self.scope().next());
        self.refresh(today, None);
    }

    /// Sort on the next (or previous) column.
    pub fn sort_step(&mut self, forward: bool, today: NaiveDate) {
        let n = Column::ALL.len();
        self.sort = if forward {
            (self.sort + 1) % n
        } else {
            (self.sort + n - 1) % n
        };
        self.descending = matches!(Column::ALL[self.sort], Column::Debt | Column::Months);
        let keep = self.selected().map(|r| r.dossier_id);
        self.refresh(today, keep);
    }

    /// Reverses the sort order.
    pub fn reverse(&mut self, today: NaiveDate) {
        self.descending = !self.descending;
        let keep = self.selected().map(|r| r.dossier_id);
        self.refresh(today, keep);
    }

    /// Moves the cursor by `delta` rows (clamped).
    pub fn move_by(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let max = self.view.len() as isize - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, max) as usize;
    }

    /// Moves to the first or last row.
    pub fn jump(&mut self, end: bool) {
        self.cursor = if end {
            self.view.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// Rows per page, as last drawn.
    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }
}

fn months_key(r: &PortfolioRow) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    r.months_of_arrears()
        .and_then(|m| (m * Decimal::TEN).to_i64())
        .unwrap_or(-1)
}

/// 12345 → "12 345".
pub fn format_count(n: usize) -> String {
    let s = format_amount(Decimal::from(n as u64));
    s.trim_end_matches(",00").to_string()
}

fn compare(col: Column, x: &PortfolioRow, y: &PortfolioRow) -> Ordering {
    match col {
        Column::Account => x.account.cmp(&y.account),
        Column::Name => x.name.cmp(&y.name),
        Column::Sector => x.sector.cmp(&y.sector),
        Column::Debt => x.debt.cmp(&y.debt),
        Column::Months => x.months_of_arrears().cmp(&y.months_of_arrears()),
        Column::Phase => x.phase.cmp(&y.phase),
        Column::Referent => x.referent.cmp(&y.referent),
        Column::Alerts => x.alert_count().cmp(&y.alert_count()),
        Column::NextAction => x.next_action.cmp(&y.next_action),
        // Sorted in `refresh`, from the legal dates the portfolio holds.
        Column::LegalDate => Ordering::Equal,
        Column::NextDate => match (x.next_action_on, y.next_action_on) {
            (Some(a), Some(b)) => a.cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        },
    }
}
