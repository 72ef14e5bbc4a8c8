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
