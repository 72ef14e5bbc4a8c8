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

/// A bit no character has (see `bit`), set in a household's `names_ws` when nothing before its
/// names (the account and the separator) holds a letter: a search for a letter from the
/// start of such a text can start at the names. Accounts are most often digits, and a short
/// query's subsequence test then reads one block of text less.
pub(super) const NO_LETTER_BEFORE_NAMES: u64 = 1 << 62;

/// Whether every byte of `needle` appears in `hay` in order (both already folded): the
/// definition `classify` follows (the tests compare them).
#[cfg(test)]
pub(super) fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    resume(needle, hay, 0).is_some()
}

/// The greedy search for `needle`'s bytes in order in `hay[pos..]`: where it stops (just
/// after the last byte found), or None. Greedy (leftmost) is exact for subsequences, so a
/// longer query can go on from where a shorter one stopped.
///
/// The texts are short (about 120 bytes) and the next byte sought is most often a few bytes
/// on: rather than a byte search per query byte (`memchr` sets up a vector search each
/// time), each 16-byte block of the text is loaded once and every query byte it holds in
/// order is taken from it by a comparison mask.
fn resume(needle: &[u8], hay: &[u8], pos: usize) -> Option<usize> {
    let Some(mut want) = needle.first() else {
        return Some(pos);
    };
    let mut rest = &needle[1..];
    let mut at = pos;
    while at < hay.len() {
        let end = (at + 16).min(hay.len());
        let block = Block::load(&hay[at..end]);
        // Positions of this block still free (after the last byte taken from it).
        let mut free: u32 = (1u32 << (end - at)) - 1;
        loop {
            let m = block.eq_mask(*want) & free;
            if m == 0 {
                break;
            }
            let p = m.trailing_zeros();
            match rest.split_first() {
                None => return Some(at + p as usize + 1),
                Some((next, r)) => (want, rest) = (next, r),
            }
            free &= !((2u32 << p) - 1);
        }
        at = end;
    }
    None
}

/// Up to 16 bytes of a text, compared to a byte at once.
#[cfg(target_arch = "x86_64")]
struct Block(std::arch::x86_64::__m128i);

#[cfg(target_arch = "x86_64")]
impl Block {
    /// `bytes`: at most 16 (a shorter block is padded; `eq_mask`'s caller masks the padding).
    #[inline(always)]
    fn load(bytes: &[u8]) -> Block {
        use std::arch::x86_64::_mm_loadu_si128;
        if bytes.len() == 16 {
            // SAFETY: SSE2 is part of x86_64; the load reads exactly the 16 bytes of `bytes`.
            return Block(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) });
        }
        let mut padded = [0u8; 16];
        padded[..bytes.len()].copy_from_slice(bytes);
        // SAFETY: as above, from the 16 bytes of `padded`.
        Block(unsafe { _mm_loadu_si128(padded.as_ptr().cast()) })
    }

    /// Bit `i` set when byte `i` is `b`.
    #[inline(always)]
    fn eq_mask(&self, b: u8) -> u32 {
        use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_movemask_epi8, _mm_set1_epi8};
        // SAFETY: SSE2 is part of x86_64 (no memory is read).
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, _mm_set1_epi8(b as i8))) as u32 }
    }
}

/// Up to 16 bytes of a text, compared to a byte at once (portable version).
#[cfg(not(target_arch = "x86_64"))]
struct Block([u8; 16]);

#[cfg(not(target_arch = "x86_64"))]
impl Block {
    fn load(bytes: &[u8]) -> Block {
        let mut padded = [0u8; 16];
        padded[..bytes.len()].copy_from_slice(bytes);
        Block(padded)
    }

    fn eq_mask(&self, b: u8) -> u32 {
        self.0
            .iter()
            .enumerate()
            .fold(0, |m, (i, &x)| m | u32::from(x == b) << i)
    }
}

/// Characters that start a word of `text` (first byte, or after a byte that is not a letter
/// or digit): a household can only hold a query at a word start of its names if the query's
/// first character is among those of its names.
pub(super) fn word_starts(text: &[u8]) -> u64 {
    let mut m = 0;
    let mut after_word = false;
    for &b in text {
        if !after_word {
            m |= bit(b);
        }
        after_word = b.is_ascii_alphanumeric();
    }
    m
}

/// The bit of `b` when it has one of its own (0 for the bit shared by other characters): a
/// mask with that bit set proves `b` is there.
fn own_bit(b: u8) -> u64 {
    bit(b) & !OTHER
}

/// What a keystroke learnt of a match, kept for the next one when the query grows, in a u32:
/// bits 0–15 `pos`, where the greedy search for the query's bytes stopped in the folded text;
/// bits 16–23 `k`, how many bytes of the query that search covered (the others are looked for
/// from `pos`); bits 24–31 `lb`, a lower bound of the rank. A longer query is a subsequence
/// exactly when its bytes after `k` follow `pos`, and its rank is never better than the
/// shorter query's (an occurrence of the longer one holds an occurrence of the shorter one in
/// the same place), so 0 (nothing known) is always a true state.
fn state(pos: usize, k: usize, lb: u8) -> u32 {
    if k > 0xFF || pos > 0xFFFF {
        return u32::from(lb) << 24;
    }
    pos as u32 | (k as u32) << 16 | u32::from(lb) << 24
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
    /// The query holds a letter (so it is in no text without one).
    has_letter: bool,
    /// The bit of the first character.
    first_bit: u64,
    /// Size of the pool the matcher scores.
    keep: usize,
    /// The query's substring searcher, built once a keystroke: the occurrence tests run on
    /// hundreds of thousands of short texts.
    finder: memchr::memmem::Finder<'q>,
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
            has_letter: text.bytes().any(|b| b.is_ascii_alphabetic()),
            first_bit: text.bytes().next().map_or(0, bit),
            finder: memchr::memmem::Finder::new(text.as_bytes()),
        }
    }

    /// As `best_occurrence` (leftmost, non-overlapping occurrences).
    fn occurrence(&self, text: &[u8]) -> Option<bool> {
        if self.text.is_empty() {
            return Some(true);
        }
        // `find` from each point rather than `find_iter`, which copies the searcher.
        let (mut found, mut from) = (None, 0);
        while let Some(p) = text.get(from..).and_then(|t| self.finder.find(t)) {
            let pos = from + p;
            if pos == 0 || !text[pos - 1].is_ascii_alphanumeric() {
                return Some(true);
            }
            found = Some(false);
            from = pos + self.text.len();
        }
        found
    }
}

/// The matches of a query, by rank (`tier`): `by_tier[t]` holds the households of rank `t`
/// whose rank was needed; a match is left out of them when the part of the set it was tested
/// in already held enough matches of better rank to fill the pool.
#[derive(Debug, Default)]
pub(super) struct Matches {
    by_tier: [Vec<u32>; 5],
    /// Every match, in the order tested (index order when the candidates were: a scan of the
    /// whole index, or the previous matches).
    all: Vec<u32>,
    /// Beside `all`, what the next keystroke can start from (see `state`).
    states: Vec<u32>,
    /// Matches of rank 0 or 1 found so far (by this part of the scan).
    good: usize,
    /// Matches of rank 0 found so far (by this part of the scan).
    best: usize,
    /// Per rank, once `by_tier[t]` was cut to the pool's size: the debt place (`debt_rank`)
    /// just after the last it kept; a later match of that rank placed there or after is not
    /// kept. 0 until then (see `file`).
    cut: [u32; 5],
    /// Places in `all` of the matches whose names do not hold the query, found while this
    /// part of the scan held fewer than a pool of ranks 0 and 1: their rank (2 to 4) is
    /// looked for only if the whole scan does (`rank_deferred`).
    deferred: Vec<u32>,
}

impl Matches {
    pub(super) fn extend(&mut self, other: Matches) {
        let offset = self.all.len() as u32;
        self.deferred
            .extend(other.deferred.into_iter().map(|j| j + offset));
        for (a, b) in self.by_tier.iter_mut().zip(other.by_tier) {
            if a.is_empty() {
                *a = b;
            } else {
                a.extend(b);
            }
        }
        if self.all.is_empty() {
            self.all = other.all;
            self.states = other.states;
        } else {
            self.all.extend(other.all);
            self.states.extend(other.states);
        }
        self.good += other.good;
        self.best += other.best;
    }

    /// A part of a scan over `n` candidates: every match is listed (`all`), so its room is
    /// taken once (only the pages written become resident).
    pub(super) fn with_capacity(n: usize) -> Matches {
        Matches {
            all: Vec::with_capacity(n),
            states: Vec::with_capacity(n),
            ..Matches::default()
        }
    }

    /// Files match `i` of rank `t` among those the pool may take. Only the `keep` best by debt
    /// of each rank can enter the pool (it takes them rank after rank, by debt), so when a rank
    /// holds twice that many, it is cut back to its `keep` best and the worst of them becomes
    /// the bar a later match must pass: a short query over 600,000 households then keeps a few
    /// thousand ids, not hundreds of thousands to sort by debt.
    fn file(&mut self, ix: &SearchIndex, t: usize, i: u32, place: u32, keep: usize) {
        let cut = self.cut[t];
        if cut != 0 && place >= cut {
            return;
        }
        let b = &mut self.by_tier[t];
        b.push(i);
        if b.len() >= 2 * keep.max(1) + 64 {
            let keep = keep.max(1);
            b.select_nth_unstable_by_key(keep - 1, |&i| ix.debt_rank[i as usize]);
            b.truncate(keep);
            self.cut[t] = ix.debt_rank[b[keep - 1] as usize] + 1;
        }
    }

    /// Once the whole scan is joined: when its matches of rank 0 and 1 do not fill the pool,
    /// ranks the deferred matches (on `threads` cores when they are many) and files them.
    /// Their states then carry their rank as a bound for the next keystroke.
    pub(super) fn rank_deferred(&mut self, ix: &SearchIndex, q: &Query, threads: usize) {
        let deferred = std::mem::take(&mut self.deferred);
        if self.good >= q.keep || deferred.is_empty() {
            return;
        }
        let all = &self.all;
        // Many deferred matches (a name, a space and a letter: « ines a »): one search of the
        // query over the whole folded text tells which households hold it at all, and only
        // those are searched part by part; the others are of rank 4. Searching a few hundred
        // thousand short texts one by one costs a call each, most of it setting up.
        // A one-character query is held by every match: nothing to look for.
        let holders = (deferred.len() >= ix.len() / WHOLE_TEXT_FROM && !q.mask_decides)
            .then(|| holders(ix, q, threads));
        let ranks = |part: &[u32]| -> Vec<u8> {
            part.iter()
                .map(|&j| {
                    let i = all[j as usize];
                    match &holders {
                        Some(h) if h.binary_search(&i).is_err() => 4,
                        _ => rest_rank(ix, q, i),
                    }
                })
                .collect()
        };
        let ranks: Vec<u8> = if deferred.len() < super::PARALLEL_FROM || threads < 2 {
            ranks(&deferred)
        } else {
            let chunk = deferred.len().div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = deferred
                    .chunks(chunk)
                    .map(|part| scope.spawn(move || ranks(part)))
                    .collect();
                handles
                    .into_iter()
                    .zip(deferred.chunks(chunk))
                    .flat_map(|(h, part)| h.join().unwrap_or_else(|_| ranks(part)))
                    .collect()
            })
        };
        for (&j, t) in deferred.iter().zip(ranks) {
            let i = self.all[j as usize];
            let s = &mut self.states[j as usize];
            *s = (*s & 0x00FF_FFFF) | u32::from(t) << 24;
            self.file(ix, t as usize, i, ix.debt_rank[i as usize], q.keep);
        }
    }

    /// How many matches of rank `t` are filed for the pool.
    #[cfg(test)]
    pub(super) fn tier_len(&self, t: usize) -> usize {
        self.by_tier[t].len()
    }

    pub(super) fn len(&self) -> usize {
        self.all.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every match, in index order (what the next keystroke narrows from), and beside each
    /// what this keystroke learnt of it (see `state`): the next scan then reads the packed
    /// records and texts front to back, where the processor prefetches them, and goes on from
    /// where this one stopped. Kept as the scan goes (the parts of a scan are joined in
    /// order), so that no sort of hundreds of thousands of ids is needed.
    pub(super) fn into_ids(self) -> (Vec<u32>, Vec<u32>) {
        (self.all, self.states)
    }
}

/// Above this share of the index (1 / `WHOLE_TEXT_FROM`) of deferred matches, the query is
/// looked for once in the whole folded text rather than in each match's text.
const WHOLE_TEXT_FROM: usize = 8;

/// Every household whose folded text holds the query, in index order: one search over the
/// texts end to end, split over `threads` cores at households' bounds. An occurrence that
/// runs from one household's text into the next is nobody's; the search then goes on from
/// the next text's start, and after a household's first occurrence, from the next text too.
fn holders(ix: &SearchIndex, q: &Query, threads: usize) -> Vec<u32> {
    let n = ix.len();
    let part = |lo: usize, hi: usize| -> Vec<u32> {
        let mut out = Vec::new();
        let (Some(first), true) = (ix.hot.get(lo), lo < hi) else {
            return out;
        };
        let end = ix.hot.get(hi).map_or(ix.folded.len(), |h| h.start as usize);
        let bytes = &ix.folded.as_bytes()[..end];
        let mut at = first.start as usize;
        while let Some(p) = bytes.get(at..).and_then(|t| q.finder.find(t)) {
            let p = at + p;
            // The household whose text holds position p: the last one starting at or before it.
            let i = ix.hot.partition_point(|h| h.start as usize <= p) - 1;
            let text_end = ix.text_range(i).end;
            if p + q.text.len() <= text_end {
                out.push(i as u32);
            }
            at = text_end;
        }
        out
    };
    if threads < 2 || n < super::PARALLEL_FROM {
        return part(0, n);
    }
    let chunk = n.div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (lo, hi) = ((t * chunk).min(n), ((t + 1) * chunk).min(n));
                (lo, hi, scope.spawn(move || part(lo, hi)))
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(lo, hi, h)| h.join().unwrap_or_else(|_| part(lo, hi)))
            .collect()
    })
}

/// The rank (2 to 4) of a match whose names do not hold the query: a word of the account or
/// of what follows the names, inside them, or only scattered.
fn rest_rank(ix: &SearchIndex, q: &Query, i: u32) -> u8 {
    let h = &ix.hot[i as usize];
    let text = &ix.folded.as_bytes()[ix.text_range(i as usize)];
    let names_end = (h.name_start as usize + h.name_len as usize).min(text.len());
    let names_start = (h.name_start as usize).min(names_end);
    // The account, then what follows the names when its mask holds the query.
    // A query holding a letter is not in an account of digits.
    let account = if q.has_letter && h.names_ws & NO_LETTER_BEFORE_NAMES != 0 {
        None
    } else {
        q.occurrence(&text[..names_start])
    };
    if account == Some(true) {
        return 2;
    }
    let after = if h.after_mask & q.mask == q.mask {
        q.occurrence(&text[names_end..])
    } else {
        None
    };
    match (account, after) {
        (_, Some(true)) => 2,
        (None, None) => 4,
        _ => 3,
    }
}

/// No rank known (the match cannot enter the pool).
const UNRANKED: u8 = u8::MAX;

/// Tests household `i` against the query and files it by rank: the same answer as the byte
/// subsequence test and `tier`, with the costly parts skipped when they cannot count. `prev`
/// is what the previous keystroke learnt of it (`state`; 0 on a scan of the whole index).
/// The masks decide before the text is read: a character of the names followed by one after
/// them is a subsequence; a query whose characters are not all in the names, or whose first is
/// not at a word start there, is not of rank 0 or 1, or not of rank 0. Once a part of the scan
/// holds a pool's worth of matches of rank 0 (or 0 and 1), the other ranks are not needed; once
/// a rank was cut to its best debts (`Matches::file`), it is not looked for in a household
/// placed after them. Ranks 2 to 4 (the account, the address) are left to
/// `Matches::rank_deferred`, which looks for them only when the whole scan needs them.
pub(super) fn classify(ix: &SearchIndex, q: &Query, i: u32, prev: u32, m: &mut Matches) {
    let h = &ix.hot[i as usize];
    if h.mask & q.mask != q.mask {
        return;
    }
    let text = &ix.folded.as_bytes()[ix.text_range(i as usize)];
    let names_end = (h.name_start as usize + h.name_len as usize).min(text.len());
    let names_start = (h.name_start as usize).min(names_end);
    let qb = q.text.as_bytes();
    let (mut pos, mut k, mut lb) = (
        (prev & 0xFFFF) as usize,
        ((prev >> 16) & 0xFF) as usize,
        (prev >> 24) as u8,
    );
    let rest = &qb[k.min(qb.len())..];
    let proven = rest.is_empty()
        || q.mask_decides
        || match *rest {
            [c] => pos <= names_end && h.after_mask & own_bit(c) != 0,
            [a, b] => {
                pos <= names_start
                    && h.names_mask & own_bit(a) != 0
                    && h.after_mask & own_bit(b) != 0
            }
            _ => false,
        };
    // Most households the previous keystroke kept do not match the longer query: the
    // subsequence test rejects them before any rank is looked for.
    if !proven {
        // Nothing before the names can hold a letter the search starts with: it starts at
        // the names (the same place the greedy search would reach, a block of text sooner).
        if pos < names_start
            && h.names_ws & NO_LETTER_BEFORE_NAMES != 0
            && rest.first().is_some_and(u8::is_ascii_alphabetic)
        {
            pos = names_start;
        }
        match resume(rest, text, pos) {
            Some(p) => (pos, k) = (p, qb.len()),
            None => return,
        }
    }
    // The household's place by debt: where it would stand among the matches of its rank.
    let place = ix.debt_rank[i as usize];
    let t = 'tier: {
        if lb >= 4 {
            break 'tier 4;
        }
        if m.cut[0] != 0 && place >= m.cut[0] {
            // Rank 0 alone fills the pool (it was cut) and this household comes after the
            // debts it keeps: whatever its rank, it cannot enter.
            break 'tier UNRANKED;
        }
        // Only rank 0 can still enter the pool from this household: rank 0 alone fills it,
        // or ranks 0 and 1 do and rank 1 was cut above this household's debt.
        let only_best =
            m.best >= q.keep || (m.good >= q.keep && m.cut[1] != 0 && place >= m.cut[1]);
        let names = if lb >= 2 || h.names_mask & q.mask != q.mask {
            None
        } else if q.mask_decides {
            Some(h.names_ws & q.mask != 0)
        } else if only_best && (lb >= 1 || h.names_ws & q.first_bit == 0) {
            // Only a match of rank 0 could enter the pool, and this one is not.
            lb = lb.max(1);
            break 'tier UNRANKED;
        } else {
            q.occurrence(&text[names_start..names_end])
        };
        match names {
            Some(true) => 0,
            Some(false) => 1,
            None => {
                lb = lb.max(2);
                if m.good >= q.keep {
                    break 'tier UNRANKED;
                }
                // Ranks 2 to 4 count only if the whole scan finds fewer than a pool of ranks 0
                // and 1 (most short queries find more): left for `Matches::rank_deferred`.
                m.deferred.push(m.all.len() as u32);
                break 'tier UNRANKED;
            }
        }
    };
    if t != UNRANKED {
        lb = t;
        if t == 0 {
            m.best += 1;
        }
        if t <= 1 {
            m.good += 1;
        }
        // Once the pool is full of better ranks, a match of rank 2 or worse is only counted.
        if t <= 1 || m.good < q.keep {
            m.file(ix, t as usize, i, place, q.keep);
        }
    }
    m.all.push(i);
    m.states.push(state(pos, k, lb));
}

/// The `keep` best matches by rank (ties: higher debt, then index order), in no order.
pub(super) fn pool(ix: &SearchIndex, m: &Matches, keep: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(keep);
    for b in &m.by_tier {
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
