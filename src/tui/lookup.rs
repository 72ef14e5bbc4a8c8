//! The lookup overlay: type a few letters of a name, an account, a street or a phone number;
//! results follow every keystroke, matched characters highlighted.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::fmt::months_text;
use super::theme::Theme;
use crate::domain::money::format_amount;
use crate::search::{Hit, Narrowing, SearchIndex};

/// Results kept for display.
pub const MAX_RESULTS: usize = 200;

/// The lookup's state.
#[derive(Debug, Default)]
pub struct Lookup {
    /// What was typed.
    pub query: String,
    /// Best matches.
    pub hits: Vec<Hit>,
    /// Number of households matching.
    pub total: usize,
    /// Cursor in `hits`.
    pub cursor: usize,
    narrowing: Narrowing,
}

impl Lookup {
    /// Re-runs the query after a keystroke.
    pub fn run(&mut self, index: Option<&SearchIndex>) {
        let Some(index) = index else {
            return;
        };
        let (hits, total) = self.narrowing.run(index, &self.query, MAX_RESULTS);
        self.hits = hits;
        self.total = total;
        self.cursor = 0;
    }

    /// Forgets the narrowing state (the index changed under it).
    pub fn reset(&mut self) {
        self.narrowing = Narrowing::default();
    }

    /// Moves the cursor.
    pub fn move_by(&mut self, delta: isize) {
        if self.hits.is_empty() {
            return;
        }
        self.cursor =
            (self.cursor as isize + delta).clamp(0, self.hits.len() as isize - 1) as usize;
    }

    /// Draws the overlay over `area`.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme, index: Option<&SearchIndex>) {
        let w = area.width.saturating_sub(4).min(120);
        let h = area.height.saturating_sub(2);
        let popup = Rect {
            x: area.x + (area.width - w) / 2,
            y: area.y + 1,
            width: w,
            height: h,
        };
        f.render_widget(Clear, popup);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.style("title"))
            .title(Span::styled(
                " Rechercher un ménage : compte, nom, adresse, téléphone ",
                theme.style("title"),
            ))
            .style(theme.style("base"));
        let inner = block.inner(popup);
        f.render_widget(block, popup);
        let [input, count, list] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(inner);
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled("› ", theme.style("title")),
                Span::raw(self.query.clone()),
                Span::styled("█", theme.style("muted")),
            ])),
            input,
        );
        let status = match index {
            None => "Index en cours de chargement…".to_string(),
            Some(_) if self.query.trim().is_empty() => {
                "Tapez quelques lettres (accents et majuscules indifférents) · Entrée ouvre · Échap ferme".to_string()
            }
            Some(_) => format!(
                "{} ménage{} trouvé{}",
                super::portfolio::format_count(self.total),
                if self.total > 1 { "s" } else { "" },
                if self.total > 1 { "s" } else { "" }
            ),
        };
        f.render_widget(Paragraph::new(status).style(theme.style("muted")), count);
        let Some(index) = index else {
            return;
        };
        let height = list.height as usize;
        let offset = if self.cursor >= height {
            self.cursor + 1 - height
        } else {
            0
        };
        let right_width = 30usize;
        let mut lines = Vec::new();
        for (i, hit) in self.hits.iter().enumerate().skip(offset).take(height) {
            let c = index.candidate(hit.index);
            let selected = i == self.cursor;
            let base = if selected {
                theme.style("selection")
            } else {
                theme.style("base")
            };
            let matched = if selected {
                theme.style("selection").patch(theme.style("match"))
            } else {
                theme.style("match")
            };
            let avail = (list.width as usize).saturating_sub(right_width + 1);
            // Only the rows drawn are highlighted: the lookup leaves the positions to here.
            let positions = index.positions(hit.index, &self.query);
            let mut spans = highlight(&c.display, &positions, avail, base, matched);
            let s = &c.summary;
            let right = format!(
                "{:>7} {:>12} {:>4}m ",
                s.status.label_fr(),
                format_amount(s.debt),
                months_text(s.months_of_arrears())
            );
            let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
            spans.push(Span::styled(
                " ".repeat(avail.saturating_sub(used) + 1),
                base,
            ));
            spans.push(Span::styled(right, base));
            lines.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(lines), list);
    }
}

/// Spans of `text` cut to `width` characters, with `positions` in the matched style.
fn highlight<'a>(
    text: &str,
    positions: &[usize],
    width: usize,
    base: Style,
    matched: Style,
) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    let mut current = String::new();
    let mut current_matched = false;
    let mut p = positions.iter().peekable();
    let total = text.chars().count();
    // A line cut short ends with "…" so that a cut account or name is not taken for whole.
    let keep = if total > width {
        width.saturating_sub(1)
    } else {
        width
    };
    for (i, ch) in text.chars().enumerate().take(keep) {
        while p.peek().is_some_and(|&&x| x < i) {
            p.next();
        }
        let is_match = p.peek().is_some_and(|&&x| x == i);
        if is_match != current_matched && !current.is_empty() {
            spans.push(Span::styled(
                std::mem::take(&mut current),
                if current_matched { matched } else { base },
            ));
        }
        current_matched = is_match;
        current.push(ch);
    }
    if !current.is_empty() {
        spans.push(Span::styled(
            current,
            if current_matched { matched } else { base },
        ));
    }
    if total > width && width > 0 {
        spans.push(Span::styled("…", base));
    }
    spans
}
