//! Letters as A4 PDF with pdf-writer and the standard Helvetica fonts: no font file to ship or
//! find. Text is encoded in WinAnsi (Windows-1252), which holds every French letter, « », ’ and
//! €; line wrapping measures words with Adobe's metrics of the two fonts
//! (pdf-core-14-font-afms). Page contents are deflated (miniz_oxide).

use std::collections::HashMap;
use std::sync::OnceLock;

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::Line;

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.7; // 20 mm
const TOP: f32 = PAGE_H - 48.0;
const BOTTOM: f32 = 60.0;
const RIGHT_BLOCK_X: f32 = 311.8; // 110 mm: the window of a DL envelope
const SIZE: f32 = 10.5;
const LEADING: f32 = 13.5;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

struct Metrics {
    by_code: HashMap<u8, u16>,
    by_name: HashMap<String, u16>,
}

fn parse_afm(text: &str) -> Metrics {
    let mut m = Metrics {
        by_code: HashMap::new(),
        by_name: HashMap::new(),
    };
    for line in text.lines().filter(|l| l.starts_with("C ")) {
        let mut code = None;
        let mut width = None;
        let mut name = None;
        for part in line.split(';').map(str::trim) {
            let mut it = part.split_whitespace();
            match (it.next(), it.next()) {
                (Some("C"), Some(c)) => code = c.parse::<i32>().ok(),
                (Some("WX"), Some(w)) => width = w.parse::<u16>().ok(),
                (Some("N"), Some(n)) => name = Some(n.to_string()),
                _ => {}
            }
        }
        if let Some(w) = width {
            if let Some(c) = code.filter(|c| (0..256).contains(c)) {
                m.by_code.insert(c as u8, w);
            }
            if let Some(n) = name {
                m.by_name.insert(n, w);
            }
        }
    }
    m
}

fn metrics(bold: bool) -> &'static Metrics {
    static REG: OnceLock<Metrics> = OnceLock::new();
    static BLD: OnceLock<Metrics> = OnceLock::new();
    if bold {
        BLD.get_or_init(|| parse_afm(pdf_core_14_font_afms::HELVETICA_BOLD))
    } else {
        REG.get_or_init(|| parse_afm(pdf_core_14_font_afms::HELVETICA))
    }
}

/// Glyph names of the typographic characters outside ASCII that letters use; accented letters
/// have their base letter's width in Helvetica and are measured through it.
const SPECIAL: [(char, &str); 20] = [
    ('œ', "oe"),
    ('Œ', "OE"),
    ('æ', "ae"),
    ('Æ', "AE"),
    ('«', "guillemotleft"),
    ('»', "guillemotright"),
    ('€', "Euro"),
    ('’', "quoteright"),
    ('‘', "quoteleft"),
    ('“', "quotedblleft"),
    ('”', "quotedblright"),
    ('–', "endash"),
    ('—', "emdash"),
    ('…', "ellipsis"),
    ('°', "degree"),
    ('\u{a0}', "space"),
    ('\u{202f}', "space"),
    ('•', "bullet"),
    ('\'', "quotesingle"),
    ('`', "grave"),
];

fn char_width(c: char, bold: bool) -> f32 {
    let m = metrics(bold);
    let units = if let Some((_, name)) = SPECIAL.iter().find(|(s, _)| *s == c) {
        m.by_name.get(*name).copied().unwrap_or(556)
    } else if c.is_ascii() {
        m.by_code.get(&(c as u8)).copied().unwrap_or(556)
    } else {
        deunicode::deunicode_char(c)
            .unwrap_or("?")
            .bytes()
            .map(|b| m.by_code.get(&b).copied().unwrap_or(556))
            .sum()
    };
    f32::from(units) / 1000.0 * SIZE
}

/// Width of a text in points.
pub fn text_width(text: &str, bold: bool) -> f32 {
    text.chars().map(|c| char_width(c, bold)).sum()
}

/// Encodes text for a WinAnsi font; a character outside Windows-1252 is replaced by its ASCII
/// transliteration.
pub fn winansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut buf = [0u8; 4];
    for c in text.chars() {
        let c = if c == '\u{202f}' { '\u{a0}' } else { c };
        let (bytes, _, errors) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buf));
        if errors || bytes.len() != 1 {
            out.extend(deunicode::deunicode_char(c).unwrap_or("?").bytes());
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    out
}

fn wrap(text: &str, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if !cur.is_empty() && text_width(&candidate, bold) > width {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = candidate;
        }
    }
    lines.push(cur);
    lines
}

/// One page being filled.
struct Page {
    content: Content,
    y: f32,
}

impl Page {
    fn new() -> Page {
        Page {
            content: Content::new(),
            y: TOP,
        }
    }

    fn text(&mut self, x: f32, y: f32, text: &str, bold: bool) {
        self.content.begin_text();
        self.content
            .set_font(if bold { BOLD } else { REGULAR }, SIZE);
        self.content.next_line(x, y);
        self.content.show(Str(&winansi(text)));
        self.content.end_text();
    }
}

/// Lays one letter out on as many pages as it needs.
fn letter_pages(lines: &[Line]) -> Vec<Content> {
    let mut pages = vec![Page::new()];
    let width = PAGE_W - 2.0 * MARGIN;
    let mut i = 0;
    // Ensures room for `n` lines, starting a new page when needed.
    fn room(pages: &mut Vec<Page>, n: usize) {
        let need = n as f32 * LEADING;
        if pages.last().is_some_and(|p| p.y - need < BOTTOM) {
            pages.push(Page::new());
        }
    }
    while i < lines.len() {
        match &lines[i] {
            Line::Blank => {
                if let Some(p) = pages.last_mut() {
                    p.y -= LEADING * 0.7;
                }
            }
            Line::Text(t) | Line::Bold(t) => {
                let bold = matches!(lines[i], Line::Bold(_));
                for l in wrap(t, bold, width) {
                    room(&mut pages, 1);
                    if let Some(p) = pages.last_mut() {
                        p.text(MARGIN, p.y, &l, bold);
                        p.y -= LEADING;
                    }
                }
            }
            Line::Right(t) => {
                for l in wrap(t, false, PAGE_W - MARGIN - RIGHT_BLOCK_X) {
                    room(&mut pages, 1);
                    if let Some(p) = pages.last_mut() {
                        p.text(RIGHT_BLOCK_X, p.y, &l, false);
                        p.y -= LEADING;
                    }
                }
            }
            Line::Row(_) => {
                let start = i;
                while i < lines.len() && matches!(lines[i], Line::Row(_)) {
                    i += 1;
                }
                let rows: Vec<&Vec<String>> = lines[start..i]
                    .iter()
                    .filter_map(|l| match l {
                        Line::Row(r) => Some(r),
                        _ => None,
                    })
                    .collect();
                let mut w: Vec<f32> = Vec::new();
                for (n, r) in rows.iter().enumerate() {
                    for (j, c) in r.iter().enumerate() {
                        if w.len() <= j {
                            w.push(0.0);
                        }
                        w[j] = w[j].max(text_width(c, n == 0));
                    }
                }
                let x0 = MARGIN + 20.0;
                for (n, r) in rows.iter().enumerate() {
                    room(&mut pages, 1);
                    let Some(p) = pages.last_mut() else { break };
                    let mut x = x0;
                    for (j, c) in r.iter().enumerate() {
                        if j == 0 {
                            p.text(x, p.y, c, n == 0);
                            x += w[0];
                        } else {
                            x += 24.0 + w[j];
                            p.text(x - text_width(c, n == 0), p.y, c, n == 0);
                        }
                    }
                    p.y -= LEADING;
                }
                continue;
            }
        }
        i += 1;
    }
    let count = pages.len();
    pages
        .into_iter()
        .enumerate()
        .map(|(n, mut p)| {
            if count > 1 {
                let label = format!("Page {}/{}", n + 1, count);
                let w = text_width(&label, false);
                p.text(PAGE_W - MARGIN - w, 36.0, &label, false);
            }
            p.content
        })
        .collect()
}

/// A PDF holding the letters, each starting on a new A4 page.
pub fn document(title: &str, letters: &[Vec<Line>]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let mut next = 6;
    let contents: Vec<Content> = letters.iter().flat_map(|l| letter_pages(l)).collect();
    let ids: Vec<(Ref, Ref)> = contents
        .iter()
        .map(|_| {
            let ids = (Ref::new(next), Ref::new(next + 1));
            next += 2;
            ids
        })
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(ids.iter().map(|(page, _)| *page))
        .count(ids.len() as i32);
    for ((page_id, content_id), content) in ids.iter().zip(contents) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(*content_id);
        let mut res = page.resources();
        let mut fonts = res.fonts();
        fonts.pair(REGULAR, regular);
        fonts.pair(BOLD, bold);
        fonts.finish();
        res.finish();
        page.finish();
        let raw = content.finish();
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6);
        pdf.stream(*content_id, &packed)
            .filter(pdf_writer::Filter::FlateDecode);
    }
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("impayes"));
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winansi_keeps_french_letters_and_euro() {
        assert_eq!(winansi("é"), vec![0xE9]);
        assert_eq!(winansi("€"), vec![0x80]);
        assert_eq!(winansi("Œuvre « à »"), b"\x8Cuvre \xAB \xE0 \xBB".to_vec());
        assert_eq!(winansi("’"), vec![0x92]);
        // Outside Windows-1252: transliterated.
        assert_eq!(winansi("ł"), b"l".to_vec());
    }

    #[test]
    fn widths_come_from_helvetica_metrics() {
        // Helvetica: e = 556, é measured as e, € = 556, space = 278 (1/1000 em at 10.5 pt).
        let em = SIZE / 1000.0;
        assert!((text_width("e", false) - 556.0 * em).abs() < 1e-3);
        assert!((text_width("é", false) - 556.0 * em).abs() < 1e-3);
        assert!((text_width("€ ", false) - 834.0 * em).abs() < 1e-3);
        // Bold is wider: Helvetica-Bold e = 556, M = 833 vs 833 … a = 556 vs 556; W 944 both;
        // "r" 333 (regular) vs 389 (bold).
        assert!(text_width("r", true) > text_width("r", false));
    }

    #[test]
    fn long_letters_flow_onto_a_second_page() {
        let lines: Vec<Line> = (0..80).map(|i| Line::Text(format!("Ligne {i}"))).collect();
        assert_eq!(letter_pages(&lines).len(), 2);
        let bytes = document("Essai", &[lines.clone(), lines]);
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
