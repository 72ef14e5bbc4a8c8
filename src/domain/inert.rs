//! Hostile text made inert before it reaches a terminal.
//!
//! Names, addresses and notes come from imported files and from other officers: a tenant
//! "named" `ESC ] 52 ; c ; …` could write to an officer's clipboard (OSC 52), a BEL rings, a
//! backspace or a CSI moves the cursor and forges what is on screen, a right-to-left override
//! reverses the digits of an amount. Every such character is replaced by a visible stand-in:
//! C0 controls and DEL in caret notation (`^[`, `^G`, `^H`, `^?`), C1 controls and bidi controls
//! by U+FFFD; invalid UTF-8 already arrives as U+FFFD (`from_utf8_lossy` at the import). Very
//! long fields are cut with an ellipsis.
//!
//! ratatui 0.30 drops graphemes holding a `char::is_control` character (C0, DEL, C1), which
//! keeps them from the terminal but also hides them (an officer sees "[31m" and not why); it
//! lets bidi overrides and other format characters through. Hence this one function, applied
//! where text leaves the database for the screen.

use std::borrow::Cow;

/// Longest field shown, in characters (a note's text is longer: see `inert_text`).
pub const MAX_FIELD: usize = 200;

/// Longest multi-line text shown (an event's note).
pub const MAX_TEXT: usize = 4_000;

/// Whether `c` would be interpreted by a terminal or reorder the text around it.
pub fn is_hostile(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Unicode bidirectional formatting characters (embeddings, overrides, isolates, marks).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A one-line field made inert and cut to `max` characters. Line breaks and tabs become
/// spaces (a name has none; an address may).
pub fn inert(s: &str, max: usize) -> Cow<'_, str> {
    clean(s, max, false)
}

/// A multi-line text (a note) made inert: line breaks kept, tabs become spaces.
pub fn inert_text(s: &str) -> Cow<'_, str> {
    clean(s, MAX_TEXT, true)
}

/// A whole printed page (the text of `impayes show`): line breaks kept, nothing cut.
pub fn inert_page(s: &str) -> Cow<'_, str> {
    clean(s, usize::MAX, true)
}

/// A one-line field with the default length limit.
pub fn inert_field(s: &str) -> Cow<'_, str> {
    inert(s, MAX_FIELD)
}

fn clean(s: &str, max: usize, keep_newlines: bool) -> Cow<'_, str> {
    let too_long = max < usize::MAX && s.len() > max && s.chars().nth(max).is_some();
    if !too_long
        && !s
            .chars()
            .any(|c| is_hostile(c) && !(keep_newlines && c == '\n'))
    {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max.saturating_mul(4)) + 8);
    for (n, c) in s.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        match c {
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\r' | '\t' => out.push(' '),
            '\u{0}'..='\u{1F}' => {
                out.push('^');
                out.push(char::from(b'@' + c as u8));
            }
            '\u{7F}' => out.push_str("^?"),
            c if is_hostile(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        assert!(matches!(inert_field("Élodie Béranger"), Cow::Borrowed(_)));
    }

    #[test]
    fn c0_controls_get_caret_notation() {
        assert_eq!(
            inert_field("A\u{1b}[31mB\u{7}C\u{8}D\u{7f}"),
            "A^[[31mB^GC^HD^?"
        );
        assert_eq!(
            inert_field("\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}"),
            "^[]52;c;ZWNobyBwd25lZA==^G"
        );
    }

    #[test]
    fn c1_and_bidi_controls_become_replacement_characters() {
        // U+009B is the single-byte CSI; U+202E the right-to-left override.
        assert_eq!(inert_field("a\u{9b}2Jb"), "a\u{FFFD}2Jb");
        assert_eq!(
            inert_field("12\u{202E}34\u{2066}5"),
            "12\u{FFFD}34\u{FFFD}5"
        );
    }

    #[test]
    fn line_breaks_are_spaces_in_a_field_and_kept_in_a_text() {
        assert_eq!(inert_field("1 rue\r\nX\tY"), "1 rue  X Y");
        assert_eq!(inert_text("l1\nl2\u{1b}"), "l1\nl2^[");
    }

    #[test]
    fn a_page_keeps_its_lines_and_length() {
        let page = format!("{}\n\u{1b}[2J", "a".repeat(5_000));
        let clean = inert_page(&page);
        assert!(clean.ends_with("\n^[[2J"));
        assert_eq!(clean.chars().count(), 5_000 + 1 + 5);
    }

    #[test]
    fn long_fields_are_cut_with_an_ellipsis() {
        let long = "é".repeat(250);
        let cut = inert_field(&long);
        assert_eq!(cut.chars().count(), MAX_FIELD + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(inert("abcdef", 3), "abc…");
        assert_eq!(inert("abc", 3), "abc");
    }
}
