//! Drawing the portfolio pane: the scope tabs, the window of rows that fits, the columns
//! that fit the width, and the status line.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TCell, Paragraph, Row, Table};

use super::*;

impl Portfolio {
    /// Draws the pane.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme, me: &str, today: NaiveDate) {
        let [tabs, table_area, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let mut spans = vec![Span::styled(" Portefeuille ", theme.style("title"))];
        for s in [Scope::Present, Scope::Departed, Scope::All] {
            let style = if s == self.scope() {
                theme.style("tab.active")
            } else {
                theme.style("tab.inactive")
            };
            let mark = if s == self.scope() { "▸" } else { " " };
            spans.push(Span::styled(format!("{mark}{}", s.label()), style));
            spans.push(Span::raw("  "));
        }
        f.render_widget(
            Paragraph::new(Line::from(spans)).style(theme.style("base")),
            tabs,
        );

        let columns = visible_columns(table_area.width);
        let [table_rect, bar_rect] =
            Layout::horizontal([Constraint::Min(1), Constraint::Length(1)]).areas(table_area);
        let widths: Vec<Constraint> = columns
            .iter()
            .map(|c| match c.layout().0 {
                0 if *c == Column::Name => Constraint::Min(16),
                0 => Constraint::Min(10),
                w => Constraint::Length(w),
            })
            .collect();
        let sort_col = Column::ALL[self.sort];
        let header = Row::new(columns.iter().map(|c| {
            let arrow = if *c == sort_col {
                if self.descending { " ▼" } else { " ▲" }
            } else {
                ""
            };
            let text = format!("{}{arrow}", c.title());
            if matches!(c, Column::Debt | Column::Months) {
                TCell::from(Line::from(text).right_aligned())
            } else {
                TCell::from(text)
            }
        }))
        .style(theme.style("table.header"));
        // Resolve the widths once, so that cells are cut to them with an ellipsis.
        let rects = Layout::horizontal(widths).spacing(1).split(table_rect);
        let sizes: Vec<u16> = rects.iter().map(|r| r.width).collect();
        let widths: Vec<Constraint> = sizes.iter().map(|w| Constraint::Length(*w)).collect();
        let height = table_area.height.saturating_sub(1) as usize;
        self.page.set(height);
        let offset =
            crate::tui::fmt::window_offset(self.offset.get(), self.cursor, height, self.view.len());
        self.offset.set(offset);
        let end = (offset + height).min(self.view.len());
        let rows = self.view[offset..end].iter().enumerate().map(|(i, &ri)| {
            let r = &self.rows[ri as usize];
            let selected = offset + i == self.cursor;
            let cells = columns.iter().zip(&sizes).map(|(c, w)| match c {
                Column::LegalDate => legal_cell(self.legal_date(r.dossier_id), theme, today),
                _ => cell(*c, r, theme, me, today, *w as usize),
            });
            let row = Row::new(cells);
            if selected {
                row.style(theme.style("selection"))
            } else {
                row
            }
        });
        let table = Table::new(rows, widths)
            .header(header)
            .column_spacing(1)
            .style(theme.style("base"));
        f.render_widget(table, table_rect);
        crate::tui::fmt::list_scrollbar(f, bar_rect, (self.view.len(), height, offset), theme);
        if self.loaded && !self.partial && self.view.is_empty() {
            let msg = if self.rows.is_empty() {
                "Aucun dossier ouvert dans cette base."
            } else {
                "Aucun dossier ne correspond aux filtres (x pour les effacer)."
            };
            let r = Rect {
                y: table_rect.y + 2.min(table_rect.height.saturating_sub(1)),
                height: 1,
                ..table_rect
            };
            f.render_widget(
                Paragraph::new(msg).style(theme.style("muted")).centered(),
                r,
            );
        }
        let filters = self.filters.describe(me);
        let status_text = if self.partial {
            format!(
                " Chargement du portefeuille… ({} premiers dossiers) · tri : {}{}",
                format_count(self.view.len()),
                sort_col.title(),
                if self.descending { " ▼" } else { " ▲" },
            )
        } else {
            format!(
                " {} dossier{} · dette {} · tri : {}{}{}",
                format_count(self.view.len()),
                if self.view.len() > 1 { "s" } else { "" },
                format_eur(self.total_debt),
                sort_col.title(),
                if self.descending { " ▼" } else { " ▲" },
                if filters.is_empty() {
                    String::new()
                } else {
                    format!(" · filtres : {}", filters.join(", "))
                }
            )
        };
        let position = if self.view.is_empty() {
            String::new()
        } else if self.partial {
            format!("{}/… ", format_count(self.cursor + 1))
        } else {
            format!(
                "{}/{} ",
                format_count(self.cursor + 1),
                format_count(self.view.len())
            )
        };
        crate::tui::fmt::status_line(f, status, &status_text, position, theme);
    }
}

/// Columns that fit in `width`, dropping the least important first.
fn visible_columns(width: u16) -> Vec<Column> {
    let mut cols: Vec<Column> = Column::ALL.to_vec();
    let need = |cols: &[Column]| -> u16 {
        cols.iter()
            .map(|c| match c.layout().0 {
                0 if *c == Column::Name => 16,
                0 => 16,
                w => w,
            })
            .sum::<u16>()
            + cols.len() as u16
            + 1
    };
    while need(&cols) > width && cols.len() > 3 {
        let drop = cols
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| c.layout().1)
            .map(|(i, _)| i)
            .unwrap_or(0);
        cols.remove(drop);
    }
    cols
}

fn cell<'a>(
    col: Column,
    r: &'a PortfolioRow,
    theme: &Theme,
    me: &str,
    today: NaiveDate,
    width: usize,
) -> TCell<'a> {
    match col {
        Column::Account => TCell::from(r.account.as_str()),
        Column::Name => TCell::from(ellipsize(&r.name, width)),
        Column::Sector => TCell::from(r.sector.as_str()),
        Column::Debt => {
            let style = if r.debt > Decimal::ZERO {
                theme.style("amount.debt")
            } else {
                theme.style("amount.credit")
            };
            TCell::from(Line::from(Span::styled(format_amount(r.debt), style)).right_aligned())
        }
        Column::Months => {
            let m = r.months_of_arrears();
            let style = match m {
                Some(m) if m >= Decimal::from(6) => theme.style("severity.high"),
                Some(m) if m >= Decimal::from(2) => theme.style("severity.medium"),
                _ => theme.style("base"),
            };
            TCell::from(Line::from(Span::styled(months_text(m), style)).right_aligned())
        }
        Column::Phase => TCell::from(r.phase.label_fr()),
        Column::Referent => {
            let text = r.referent.as_deref().unwrap_or("—");
            if r.referent.as_deref() == Some(me) {
                TCell::from(Span::styled(format!("{text}*"), theme.style("title")))
            } else {
                TCell::from(text)
            }
        }
        Column::Alerts => {
            let alerts = r.alerts();
            match alerts.len() {
                0 => TCell::from(""),
                1 => TCell::from(Span::styled(
                    ellipsize(alerts[0], width).into_owned(),
                    theme.style("severity.high"),
                )),
                n => TCell::from(Span::styled(
                    ellipsize(&format!("{} (+{})", alerts[0], n - 1), width).into_owned(),
                    theme.style("severity.high"),
                )),
            }
        }
        Column::NextAction => TCell::from(ellipsize(r.next_action.as_deref().unwrap_or(""), width)),
        Column::LegalDate => TCell::from(""),
        Column::NextDate => match r.next_action_on {
            Some(d) if d < today => TCell::from(Span::styled(
                format!("{}!", short_date(d)),
                theme.style("severity.high"),
            )),
            Some(d) => TCell::from(short_date(d)),
            None => TCell::from("—"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_screens_drop_low_priority_columns() {
        let wide = visible_columns(220);
        assert_eq!(wide.len(), 11);
        let narrow = visible_columns(80);
        assert!(narrow.contains(&Column::Account));
        assert!(narrow.contains(&Column::Name));
        assert!(narrow.contains(&Column::Debt));
        assert!(narrow.contains(&Column::Months));
        assert!(!narrow.contains(&Column::NextAction));
    }
}
