//! What a keystroke computes per household: a mask of the characters a folded text holds,
//! the subsequence test, the rank of a match before scoring, and the pool of the best-ranked
//! matches the fuzzy matcher then scores.

use super::SearchIndex;

/// The mask bit shared by every character without a bit of its own.
pub(super) const OTHER: u64 = 1 << 63;

fn bit(b: u8) -> u64 {
    match b {
        b'a'..=b'z' => 1 << (b - b'a'),
        b'0'..=b'9' => 1 << (26 + b - b'0'),
        b' ' => 1 << 36,
        b'-' => 1 << 37,
        b'\'' => 1 << 38,
        b'.' => 1 << 39,
        b',' => 1 << 40,
        _ => OTHER,
    }
}

/// Which characters `text` holds: a household can only match a query whose mask is within its
/// own (a test of one instruction before any look at the text).
pub(super) fn mask_of(text: &[u8]) -> u64 {
    text.iter().fold(0, |m, &b| m | bit(b))
}

/// Whether every byte of `needle` appears in `hay` in order (both already folded).
pub(super) fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut pos = 0;
    for &n in needle {
        match memchr::memchr(n, &hay[pos..]) {
            Some(i) => pos += i + 1,
            None => return false,
        }
    }
    true
}

/// Rank of a match before scoring (lower is better): the query as a word of the names, inside
/// the names, as a word elsewhere (street, commune), anywhere, or only scattered. The
/// definition `classify` follows (the tests compare them).
#[cfg(test)]
pub(super) fn tier(query: &str, text: &str, names: std::ops::Range<usize>) -> u8 {
    // Look in the names first, the rest (account, address, phone) only when needed.
    let end = names.end.min(text.len());
    let start = names.start.min(end);
    match best_occurrence(query, &text[start..end]) {
        Some(true) => 0,
        Some(false) => 1,
        None => match (
            best_occurrence(query, &text[..start]),
            best_occurrence(query, &text[end..]),
        ) {
            (Some(true), _) | (_, Some(true)) => 2,
            (Some(false), _) | (_, Some(false)) => 3,
            (None, None) => 4,
        },
    }
}

/// Whether `query` occurs in `text` at a word start (Some(true)), only inside words
/// (Some(false)), or not at all (None).
#[cfg(test)]
fn best_occurrence(query: &str, text: &str) -> Option<bool> {
    let bytes = text.as_bytes();
    let mut found = None;
    for (pos, _) in text.match_indices(query) {
        if pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric() {
            return Some(true);
        }
        found = Some(false);
    }
    found
}

/// A folded query, prepared once per keystroke.
pub(super) struct Query<'q> {
    text: &'q str,
    mask: u64,
    /// One letter or digit: the mask alone decides the match.
    mask_decides: bool,
    /// Size of the pool the matcher scores.
    keep: usize,
}

impl<'q> Query<'q> {
    /// `keep`: how many of the best-ranked matches are kept for scoring.
    pub(super) fn new(text: &'q str, keep: usize) -> Query<'q> {
        let mask = mask_of(text.as_bytes());
        Query {
            text,
            mask,
            keep,
            mask_decides: text.len() == 1 && mask & OTHER == 0,
        }
    }

    /// As `best_occurrence` (leftmost, non-overlapping occurrences): the texts searched are
    /// short, where a byte search for the first character and a comparison beat a substring
    /// searcher's set-up.
    fn occurrence(&self, text: &[u8]) -> Option<bool> {
        let q = self.text.as_bytes();
        let Some(&first) = q.first() else {
            return Some(true);
        };
        let mut found = None;
        let mut from = 0;
        while let Some(p) = memchr::memchr(first, &text[from..]) {
            let pos = from + p;
            if text[pos..].starts_with(q) {
                if pos == 0 || !text[pos - 1].is_ascii_alphanumeric() {
                    return Some(true);
                }
                found = Some(false);
                from = pos + q.len();
            } else {
                from = pos + 1;
            }
        }
        found
    }
}

/// The matches of a query, by rank (`tier`): `by_tier[t]` holds the households of rank `t`,
/// and `by_tier[5]` those whose rank was not needed (the part of the set they were tested
/// in already held enough matches of rank 0 or 1 to fill the pool).
#[derive(Debug, Default)]
pub(super) struct Matches {
    by_tier: [Vec<u32>; 6],
    /// Every match, in the order tested (index order when the candidates were: a scan of the
    /// whole index, or the previous matches).
    all: Vec<u32>,
    /// Matches of rank 0 or 1 found so far (by this part of the scan).
    good: usize,
}

impl Matches {
    pub(super) fn extend(&mut self, other: Matches) {
        for (a, b) in self.by_tier.iter_mut().zip(other.by_tier) {
            if a.is_empty() {
                *a = b;
            } else {
                a.extend(b);
            }
        }
        if self.all.is_empty() {
            self.all = other.all;
        } else {
            self.all.extend(other.all);
        }
        self.good += other.good;
    }

    pub(super) fn len(&self) -> usize {
        self.all.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every match, in index order (what the next keystroke narrows from): the next scan then
    /// reads the packed records and texts front to back, where the processor prefetches them,
    /// instead of jumping between ranks. Kept as the scan goes (the parts of a scan are joined
    /// in order), so that no sort of hundreds of thousands of ids is needed.
    pub(super) fn into_ids(self) -> Vec<u32> {
        self.all
    }
}

/// Tests household `i` against the query and files it by rank: the same answer as the byte
/// subsequence test and `tier`, with the costly parts skipped when they cannot count: once a
/// part of the scan holds a pool's worth of matches of rank 0 or 1, the rank of its other
/// matches is not needed.
pub(super) fn classify(ix: &SearchIndex, q: &Query, i: u32, m: &mut Matches) {
    let h = &ix.hot[i as usize];
    if h.mask & q.mask != q.mask {
        return;
    }
    let text = &ix.folded.as_bytes()[h.start as usize..h.start as usize + h.len as usize];
    // Most households the previous keystroke kept do not match the longer query: the
    // subsequence test rejects them before any rank is looked for.
    if !q.mask_decides && !is_subsequence(q.text.as_bytes(), text) {
        return;
    }
    let names = h.name_start as usize..h.name_start as usize + h.name_len as usize;
    let end = names.end.min(text.len());
    let start = names.start.min(end);
    let t = match q.occurrence(&text[start..end]) {
        Some(true) => 0,
        Some(false) => 1,
        None if m.good >= q.keep => {
            m.by_tier[5].push(i);
            m.all.push(i);
            return;
        }
        None => match (q.occurrence(&text[..start]), q.occurrence(&text[end..])) {
            (Some(true), _) | (_, Some(true)) => 2,
            (Some(false), _) | (_, Some(false)) => 3,
            (None, None) => 4,
        },
    };
    if t <= 1 {
        m.good += 1;
    }
    m.by_tier[t as usize].push(i);
    m.all.push(i);
}

/// The `keep` best matches by rank (ties: higher debt, then index order), in no order.
pub(super) fn pool(ix: &SearchIndex, m: &Matches, keep: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(keep);
    for b in &m.by_tier[..5] {
        let need = keep - out.len();
        if need == 0 {
            break;
        }
        if b.len() <= need {
            out.extend(b.iter().map(|&i| i as usize));
        } else {
            let mut v = b.clone();
            v.select_nth_unstable_by_key(need - 1, |&i| ix.debt_rank[i as usize]);
            out.extend(v[..need].iter().map(|&i| i as usize));
        }
    }
    out
}
