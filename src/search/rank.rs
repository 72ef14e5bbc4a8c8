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
/// the names, as a word elsewhere (street, commune), anywhere, or only scattered.
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

/// From this many matches, the pool is found by walking the households in debt order.
const WALK_FROM: usize = 20_000;

/// The `keep` best matches by rank (ties: higher debt, then index order), in no order.
pub(super) fn pool(ix: &SearchIndex, matches: &[u32], q: &str, keep: usize) -> Vec<usize> {
    pool_with(ix, matches, q, keep, WALK_FROM)
}

/// As `pool`; from `walk_from` matches, the households are walked by debt, highest first,
/// and the walk stops as soon as `keep` of them have the best rank: on the first letters of
/// a query, a few thousand households are ranked instead of every one. The result is the
/// same either way (the tests check it).
pub(super) fn pool_with(
    ix: &SearchIndex,
    matches: &[u32],
    q: &str,
    keep: usize,
    walk_from: usize,
) -> Vec<usize> {
    if keep == 0 {
        return Vec::new();
    }
    if matches.len() < walk_from {
        let mut v: Vec<(u8, u32, u32)> = matches
            .iter()
            .map(|&i| (ix.tier_of(i as usize, q), ix.debt_rank[i as usize], i))
            .collect();
        if v.len() > keep {
            v.select_nth_unstable(keep - 1);
            v.truncate(keep);
        }
        return v.into_iter().map(|(_, _, i)| i as usize).collect();
    }
    let mut member = vec![0u64; ix.entries.len().div_ceil(64)];
    for &i in matches {
        member[i as usize / 64] |= 1 << (i % 64);
    }
    let mut best = Vec::with_capacity(keep);
    let mut rest: Vec<(u8, u32, u32)> = Vec::new();
    for (r, &i) in ix.by_debt.iter().enumerate() {
        if (member[i as usize / 64] >> (i % 64)) & 1 == 0 {
            continue;
        }
        match ix.tier_of(i as usize, q) {
            0 => {
                best.push(i as usize);
                if best.len() == keep {
                    return best;
                }
            }
            t => rest.push((t, r as u32, i)),
        }
    }
    let need = keep - best.len();
    if rest.len() > need {
        rest.select_nth_unstable(need - 1);
        rest.truncate(need);
    }
    best.extend(rest.into_iter().map(|(_, _, i)| i as usize));
    best
}
