//! Text folding for the lookup: lowercase, accents removed, ligatures spelled out, so that
//! "elodie beranger" finds "Élodie Béranger" and "coeur" finds "Cœur".

/// A folded string and, for each of its characters, the index of the original character it
/// came from (to highlight matches in the original text).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Folded {
    /// The folded text (ASCII for Latin scripts).
    pub text: String,
    /// For each char of `text`, the char index in the original.
    pub origin: Vec<usize>,
}

/// Folds a string for matching: deunicode transliterates each character (é→e, œ→oe, ß→ss),
/// then ASCII lowercase.
pub fn fold(original: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(original.len()),
        origin: Vec::with_capacity(original.len()),
    };
    for (i, ch) in original.chars().enumerate() {
        if ch.is_ascii() {
            out.text.push(ch.to_ascii_lowercase());
            out.origin.push(i);
            continue;
        }
        let mapped = deunicode::deunicode_char(ch).unwrap_or("");
        let mapped = if mapped.is_empty() && ch.is_whitespace() {
            " "
        } else {
            mapped
        };
        for m in mapped.chars() {
            out.text.push(m.to_ascii_lowercase());
            out.origin.push(i);
        }
    }
    out
}

/// Folds a string when no position map is needed (search keys, queries): the same text as
/// `fold(original).text`, without building the map.
pub fn fold_key(original: &str) -> String {
    if original.is_ascii() {
        return original.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(original.len());
    for ch in original.chars() {
        if ch.is_ascii() {
            out.push(ch.to_ascii_lowercase());
            continue;
        }
        let mapped = deunicode::deunicode_char(ch).unwrap_or("");
        if mapped.is_empty() && ch.is_whitespace() {
            out.push(' ');
        }
        out.extend(mapped.chars().map(|m| m.to_ascii_lowercase()));
    }
    out
}

/// Maps matched positions in a folded string back to char positions in the original,
/// deduplicated and sorted.
pub fn original_positions(folded: &Folded, matched: &[usize]) -> Vec<usize> {
    let mut v: Vec<usize> = matched
        .iter()
        .filter_map(|&p| folded.origin.get(p).copied())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_ligatures() {
        assert_eq!(fold_key("Élodie BÉRANGER"), "elodie beranger");
        assert_eq!(fold_key("Cœur Ærø"), "coeur aero");
        assert_eq!(
            fold_key("Françoise Lefèvre-Müller"),
            "francoise lefevre-muller"
        );
    }

    #[test]
    fn key_and_map_agree() {
        for s in [
            "Élodie Béranger · 411-000001",
            "Cœur\u{a0}Ærø",
            "plain ascii",
            "ß·漢",
        ] {
            assert_eq!(fold_key(s), fold(s).text, "{s}");
        }
    }

    #[test]
    fn keeps_a_map_to_original_positions() {
        let f = fold("Œil");
        assert_eq!(f.text, "oeil");
        assert_eq!(f.origin, vec![0, 0, 1, 2]);
        assert_eq!(original_positions(&f, &[0, 1, 3]), vec![0, 2]);
    }
}
