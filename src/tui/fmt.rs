//! Small formatting helpers shared by the panes.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::dates::format_fr;

/// `22/11/2026`.
pub fn short_date(d: NaiveDate) -> String {
    format_fr(d)
}

/// Months of arrears as `3,2` (or `—` when undefined).
pub fn months_text(m: Option<Decimal>) -> String {
    m.map(|m| format!("{:.1}", m).replace('.', ","))
        .unwrap_or_else(|| "—".into())
}

/// Cuts `text` to `width` columns, ending with "…" when something was cut, so that a cut name
/// is never mistaken for a whole one.
pub fn ellipsize(text: &str, width: usize) -> std::borrow::Cow<'_, str> {
    use unicode_width::UnicodeWidthChar;
    use unicode_width::UnicodeWidthStr;
    if text.width() <= width {
        return std::borrow::Cow::Borrowed(text);
    }
    if width == 0 {
        return std::borrow::Cow::Borrowed("");
    }
    let mut out = String::with_capacity(width + 3);
    let mut used = 0;
    for ch in text.chars() {
        let w = ch.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(ch);
        used += w;
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('…');
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipsize_marks_cuts() {
        assert_eq!(ellipsize("Béranger", 8), "Béranger");
        assert_eq!(ellipsize("Demander le concours", 12), "Demander le…");
        assert_eq!(ellipsize("abc", 1), "…");
        assert_eq!(ellipsize("abc", 0), "");
    }
}

/// The first row a list shows so that `cursor` is visible, from the first row shown before.
/// Leaving the window turns half a page rather than one row: a one-row scroll shifts every
/// visible row, so the terminal is sent the whole list again (3 KB at 80×24, 11 KB at 200×50
/// over SSH) on each key press; a half-page turn costs that once per half page, and a move
/// inside the window only its two rows. `len` rows in all, `height` shown.
pub fn window_offset(previous: usize, cursor: usize, height: usize, len: usize) -> usize {
    let mut offset = previous;
    if cursor < offset || (height > 0 && cursor >= offset + height) {
        offset = cursor.saturating_sub(height / 2);
    }
    offset.min(len.saturating_sub(height.max(1)))
}

/// Draws a list's status line: `text` on the left (cut with "…" when too long) and the
/// cursor's `position` ("12/287 ") on the right, as the portfolio and "Mes actions" show them.
pub fn status_line(
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    text: &str,
    position: String,
    theme: &super::theme::Theme,
) {
    use ratatui::layout::{Constraint, Layout};
    use ratatui::widgets::Paragraph;
    let [left, right] = Layout::horizontal([
        Constraint::Min(1),
        Constraint::Length(position.chars().count() as u16),
    ])
    .areas(area);
    f.render_widget(
        Paragraph::new(ellipsize(text, left.width as usize).into_owned())
            .style(theme.style("footer")),
        left,
    );
    f.render_widget(
        Paragraph::new(position)
            .style(theme.style("muted"))
            .right_aligned(),
        right,
    );
}

/// Draws the scrollbar of a list of `len` rows showing `height` from `offset`, beside the rows
/// and not beside their column titles (`area` includes the title line); nothing when all fit.
pub fn list_scrollbar(
    f: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    (len, height, offset): (usize, usize, usize),
    theme: &super::theme::Theme,
) {
    use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};
    if len <= height {
        return;
    }
    let below_titles = ratatui::layout::Rect {
        y: area.y + 1,
        height: area.height.saturating_sub(1),
        ..area
    };
    let mut state = ScrollbarState::new(len.saturating_sub(height)).position(offset);
    f.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(theme.style("border")),
        below_titles,
        &mut state,
    );
}

#[cfg(test)]
mod window_tests {
    use super::window_offset;

    #[test]
    fn a_list_turns_half_a_page_when_the_cursor_leaves_it() {
        // 100 rows, 10 shown from row 0: moving inside keeps the window.
        assert_eq!(window_offset(0, 9, 10, 100), 0);
        // Row 10 is below: the window turns so that it sits mid-page.
        assert_eq!(window_offset(0, 10, 10, 100), 5);
        // Above the window: the same, upwards.
        assert_eq!(window_offset(50, 49, 10, 100), 44);
        // Never past the end, never below zero.
        assert_eq!(window_offset(0, 99, 10, 100), 90);
        assert_eq!(window_offset(5, 2, 10, 100), 0);
        assert_eq!(window_offset(0, 3, 10, 4), 0);
    }
}
