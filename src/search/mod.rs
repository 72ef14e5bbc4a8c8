//! The lookup: fuzzy matching over every household's account, names, address and phone,
//! insensitive to case and accents, best first, narrowing incrementally as a query grows.
//!
//! The index holds each household once, packed: its display line and its folded text in two
//! shared buffers, a dense record of what a keystroke reads (`Hot`: a 64-bit mask of the
//! characters the text holds, its offsets) and a record of what the result list shows
//! (`Entry`). A keystroke tests the mask before looking at the text and files the matches by
//! rank as it scans, on both cores, skipping the rank tests that cannot reach the scored pool
//! (see `rank`). A longer query tests only the previous matches, going on from what the
//! previous keystroke learnt of each (where its subsequence test stopped, a bound of its rank).
//! A one-character query, every lookup's first keystroke, is answered from what the index
//! computed when it was built (`first_key`).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::dossier::Phase;
use crate::domain::fold::{fold, fold_key, original_positions};
use crate::domain::household::TenantStatus;
use crate::domain::money::{from_cents, to_cents};
use crate::domain::portfolio::HouseholdSummary;

mod first_key;
mod narrowing;
mod rank;

use first_key::FirstKeys;
pub use narrowing::Narrowing;
use rank::{Matches, mask_of, word_starts};

/// One household as the result list shows it, rebuilt from the packed index for a hit.
pub struct Candidate {
    /// What the household is.
    pub summary: HouseholdSummary,
    /// The line shown and highlighted: names, account, address, phone.
    pub display: String,
}

/// One household in the index: where its texts sit in the shared buffers and what ranking
/// and the result list need. Field lengths are in bytes of the display line.
#[derive(Debug, Clone, Copy)]
struct Entry {
    household_id: i64,
    debt_cents: i64,
    net_cents: i64,
    display_start: u32,
    account_len: u16,
    name_len: u16,
    /// 0 when the household has no address.
    address_len: u16,
    /// `NO_PHONE` when the household has no phone.
    phone_len: u16,
    status: TenantStatus,
    phase: Option<Phase>,
}

const NO_PHONE: u16 = u16::MAX;

/// What a keystroke reads of every household it tests, packed apart from the rest (`Entry`)
/// so that a scan walks one dense array and the texts: the scan is bound by memory reads.
#[derive(Debug, Clone, Copy)]
struct Hot {
    /// Characters the folded text holds (see `rank::mask_of`).
    mask: u64,
    /// Characters of the folded names, those that start a word there, and those after the
    /// names (address, phone): enough to rank most households and prove most short queries
    /// without reading the text (see `rank::classify`).
    names_mask: u64,
    /// Also holds `rank::NO_LETTER_BEFORE_NAMES`, a bit no character has.
    names_ws: u64,
    after_mask: u64,
    /// Where the folded text starts in the shared buffer; it ends where the next household's
    /// starts (the texts are end to end), so that a record is 40 bytes, not 48: a short query
    /// reads every record of the index.
    start: u32,
    /// Where the folded names sit in the folded text (after the account).
    name_start: u16,
    name_len: u16,
}

/// Longest field kept, in bytes (cut at a character boundary): keeps the packed lengths small.
const MAX_FIELD: usize = 1024;

/// A match: which candidate, how good, and which characters of its display line matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index of the household in the index (`SearchIndex::candidate`).
    pub index: usize,
    /// Matcher score (higher is better).
    pub score: i64,
    /// Char positions in `Candidate::display` to highlight (`SearchIndex::search` only; the
    /// narrowing leaves them to `SearchIndex::positions`, for the rows drawn).
    pub positions: Vec<usize>,
}

/// Below this many candidates, the match test stays on one thread.
const PARALLEL_FROM: usize = 20_000;

/// How many households ahead of the scan their texts are asked for (`prefetch`).
const PREFETCH_AHEAD: usize = 8;

/// How many of the best-ranked matches the fuzzy matcher scores on each keystroke.
const SCORED: usize = 1_000;

/// From this many candidates to score, the scoring is split between two cores.
const SCORE_APART_FROM: usize = 200;

/// How many of the best-ranked matches are scored for `limit` hits.
fn pool_size(limit: usize) -> usize {
    SCORED.max(limit)
}

/// Separator between fields of a display line.
pub const FIELD_SEP: &str = " · ";

fn cut(s: &str) -> &str {
    if s.len() <= MAX_FIELD {
        return s;
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Appends the phone's digits alone, so that "0389123456" matches "03 89 12 34 56".
fn push_phone_digits(out: &mut String, phone: Option<&str>) {
    if let Some(phone) = phone {
        out.push(' ');
        out.extend(phone.chars().filter(char::is_ascii_digit));
    }
}

/// Builds a `SearchIndex` one household at a time, so that the store's rows are never all
/// held at once beside the index.
pub struct IndexBuilder {
    display: String,
    folded: String,
    entries: Vec<Entry>,
    hot: Vec<Hot>,
}

impl IndexBuilder {
    /// A builder sized for about `n` households.
    pub fn with_capacity(n: usize) -> IndexBuilder {
        IndexBuilder {
            display: String::with_capacity(n * 80),
            folded: String::with_capacity(n * 90),
            entries: Vec::with_capacity(n),
            hot: Vec::with_capacity(n),
        }
    }

    /// Adds a household.
    pub fn push(&mut self, s: &HouseholdSummary) {
        let (account, name, address) = (cut(&s.account), cut(&s.name), cut(&s.address));
        let phone = s.phone.as_deref().map(cut);
        let display_start = self.display.len();
        self.display.push_str(account);
        self.display.push_str(FIELD_SEP);
        self.display.push_str(name);
        for part in [Some(address).filter(|a| !a.is_empty()), phone]
            .into_iter()
            .flatten()
        {
            self.display.push_str(FIELD_SEP);
            self.display.push_str(part);
        }
        let folded_start = self.folded.len();
        let line = &self.display[display_start..];
        self.folded.push_str(&fold_key(line));
        push_phone_digits(&mut self.folded, phone);
        // Fields are cut to MAX_FIELD bytes: a folded text stays far below 64 KiB.
        let text = &self.folded[folded_start..];
        let short = |n: usize| n.min(u16::MAX as usize) as u16;
        let (name_start, name_len) = (
            short(fold_key(account).len() + fold_key(FIELD_SEP).len()),
            short(fold_key(name).len()),
        );
        // The names as ranking reads them (see `rank::classify`).
        let bytes = text.as_bytes();
        let names_end = (name_start as usize + name_len as usize).min(bytes.len());
        let names = &bytes[(name_start as usize).min(names_end)..names_end];
        self.hot.push(Hot {
            mask: mask_of(bytes),
            names_mask: mask_of(names),
            names_ws: word_starts(names)
                | if bytes[..names_end.min(name_start as usize)]
                    .iter()
                    .any(u8::is_ascii_alphabetic)
                {
                    0
                } else {
                    rank::NO_LETTER_BEFORE_NAMES
                },
            after_mask: mask_of(&bytes[names_end..]),
            start: folded_start as u32,
            name_start,
            name_len,
        });
        self.entries.push(Entry {
            household_id: s.household_id,
            debt_cents: to_cents(s.debt),
            net_cents: to_cents(s.monthly_net),
            display_start: display_start as u32,
            account_len: account.len() as u16,
            name_len: name.len() as u16,
            address_len: address.len() as u16,
            phone_len: phone.map_or(NO_PHONE, |p| p.len() as u16),
            status: s.status,
            phase: s.phase,
        });
    }

    /// The index.
    pub fn finish(mut self) -> SearchIndex {
        self.display.shrink_to_fit();
        self.folded.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.hot.shrink_to_fit();
        let n = self.entries.len();
        let mut by_debt: Vec<u32> = (0..n as u32).collect();
        let entries = &self.entries;
        by_debt.sort_unstable_by(|&a, &b| {
            entries[b as usize]
                .debt_cents
                .cmp(&entries[a as usize].debt_cents)
                .then(a.cmp(&b))
        });
        let mut debt_rank = vec![0u32; n];
        for (r, &i) in by_debt.iter().enumerate() {
            debt_rank[i as usize] = r as u32;
        }
        SearchIndex {
            display: self.display,
            folded: self.folded,
            entries: self.entries,
            hot: self.hot,
            debt_rank,
            matcher: SkimMatcherV2::default().ignore_case(),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get().min(8)),
            first_keys: FirstKeys::default(),
        }
    }
}

/// All households, folded once, to be matched on every keystroke.
pub struct SearchIndex {
    /// Every household's display line, end to end.
    display: String,
    /// Every household's folded text, end to end.
    folded: String,
    entries: Vec<Entry>,
    /// What a keystroke reads of each household, densely.
    hot: Vec<Hot>,
    /// Each household's place by debt, highest first (ties: index order).
    debt_rank: Vec<u32>,
    matcher: SkimMatcherV2,
    /// Cores a keystroke's work is split over (at most 8), asked once: the question reads
    /// the control group's files, a tenth of a millisecond a keystroke.
    cores: usize,
    /// The answers of the one-character queries (every lookup's first keystroke).
    first_keys: FirstKeys,
}

impl SearchIndex {
    /// Asks the processor for household `i`'s text a few households ahead of the scan
    /// (nothing past the end). The texts are 60 MB at 500,000 households and a keystroke
    /// reads those of the households its masks cannot decide, a few in ten: too sparse for the
    /// processor to guess, so the scan waited on memory at each (replay of the slow
    /// keystrokes at 500k: processor time per keystroke about −25 %).
    #[inline(always)]
    fn prefetch(&self, i: usize) {
        #[cfg(target_arch = "x86_64")]
        if let Some(h) = self.hot.get(i) {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            let at = self.folded.as_ptr().wrapping_add(h.start as usize);
            // SAFETY: a prefetch is a hint: it reads nothing into the program and cannot
            // fault, whatever the address.
            unsafe {
                _mm_prefetch::<_MM_HINT_T0>(at.cast());
                _mm_prefetch::<_MM_HINT_T0>(at.wrapping_add(64).cast());
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = i;
    }

    /// Builds the index from the store's household summaries.
    pub fn new(rows: Vec<HouseholdSummary>) -> SearchIndex {
        let mut b = IndexBuilder::with_capacity(rows.len());
        for r in &rows {
            b.push(r);
        }
        b.finish()
    }

    /// Computes the answers of the one-character queries, for an index that serves a
    /// lookup keystroke by keystroke (the workstation's): about half a second of processor
    /// time at 500,000 households, spent once, where the index is built; a single query
    /// (`impayes search`) does without.
    pub fn answer_first_keys(&mut self) {
        self.first_keys = FirstKeys::build(self);
    }

    /// The folded text of candidate `i`.
    fn text(&self, i: usize) -> &str {
        &self.folded[self.text_range(i)]
    }

    /// Where the folded text of candidate `i` sits in the shared buffer: up to the next
    /// household's.
    fn text_range(&self, i: usize) -> std::ops::Range<usize> {
        let end = self
            .hot
            .get(i + 1)
            .map_or(self.folded.len(), |h| h.start as usize);
        self.hot[i].start as usize..end
    }

    /// Where the folded names of candidate `i` sit in its folded text.
    #[cfg(test)]
    fn names(&self, i: usize) -> std::ops::Range<usize> {
        let h = &self.hot[i];
        h.name_start as usize..h.name_start as usize + h.name_len as usize
    }

    fn display_line(&self, i: usize) -> &str {
        let e = &self.entries[i];
        let mut len = e.account_len as usize + FIELD_SEP.len() + e.name_len as usize;
        if e.address_len > 0 {
            len += FIELD_SEP.len() + e.address_len as usize;
        }
        if e.phone_len != NO_PHONE {
            len += FIELD_SEP.len() + e.phone_len as usize;
        }
        &self.display[e.display_start as usize..e.display_start as usize + len]
    }

    /// Household `i` as the result list shows it.
    pub fn candidate(&self, i: usize) -> Candidate {
        let e = &self.entries[i];
        let line = self.display_line(i);
        let account = &line[..e.account_len as usize];
        let mut rest = &line[account.len() + FIELD_SEP.len()..];
        let name = &rest[..e.name_len as usize];
        rest = &rest[name.len()..];
        let mut address = "";
        if e.address_len > 0 {
            address = &rest[FIELD_SEP.len()..FIELD_SEP.len() + e.address_len as usize];
            rest = &rest[FIELD_SEP.len() + address.len()..];
        }
        let phone = (e.phone_len != NO_PHONE).then(|| rest[FIELD_SEP.len()..].to_string());
        Candidate {
            summary: HouseholdSummary {
                household_id: e.household_id,
                account: account.to_string(),
                name: name.to_string(),
                address: address.to_string(),
                phone,
                status: e.status,
                debt: from_cents(e.debt_cents),
                monthly_net: from_cents(e.net_cents),
                phase: e.phase,
            },
            display: line.to_string(),
        }
    }

    /// The household id of candidate `i`.
    pub fn household_id(&self, i: usize) -> i64 {
        self.entries[i].household_id
    }

    /// The names of candidate `i` (holder and co-holder).
    pub fn name(&self, i: usize) -> &str {
        let e = &self.entries[i];
        let start = e.display_start as usize + e.account_len as usize + FIELD_SEP.len();
        &self.display[start..start + e.name_len as usize]
    }

    /// Number of households indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes the index holds (buffers and records), for the bench's memory report.
    pub fn heap_bytes(&self) -> usize {
        self.display.capacity()
            + self.folded.capacity()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.hot.capacity() * std::mem::size_of::<Hot>()
            + self.debt_rank.capacity() * 4
            + self.first_keys.heap_bytes()
    }

    /// The candidates in `within` (all when None) that match a folded query, by rank (see
    /// `rank::Matches`). Large sets are split over the cores.
    /// `within`: the previous matches and what was learnt of each (`rank::classify`).
    fn matching(
        &self,
        folded_query: &str,
        within: Option<(&[u32], &[u32])>,
        keep: usize,
    ) -> Matches {
        let ctx = rank::Query::new(folded_query, keep);
        let n = within.map_or(self.entries.len(), |w| w.0.len());
        let threads = self.cores;
        // The first part's lists take room for every candidate, so that the other parts are
        // appended to them without a copy to a larger buffer.
        let run = |lo: usize, hi: usize| {
            let mut m = Matches::with_capacity(if lo == 0 { n } else { hi - lo });
            match within {
                Some((ids, states)) => {
                    for k in lo..hi {
                        if let Some(&ahead) = ids.get(k + PREFETCH_AHEAD) {
                            self.prefetch(ahead as usize);
                        }
                        rank::classify(self, &ctx, ids[k], states[k], &mut m);
                    }
                }
                None => (lo..hi).for_each(|i| {
                    self.prefetch(i + PREFETCH_AHEAD);
                    rank::classify(self, &ctx, i as u32, 0, &mut m)
                }),
            }
            m
        };
        let mut out = if n < PARALLEL_FROM || threads < 2 {
            run(0, n)
        } else {
            self.scan_apart(&run, n, threads)
        };
        out.rank_deferred(self, &ctx, threads);
        out
    }

    /// Runs `run` over `n` candidates split between `threads` cores; joins the parts in order.
    fn scan_apart(
        &self,
        run: &(dyn Fn(usize, usize) -> Matches + Sync),
        n: usize,
        threads: usize,
    ) -> Matches {
        let chunk = n.div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let run = &run;
                    scope.spawn(move || run((t * chunk).min(n), ((t + 1) * chunk).min(n)))
                })
                .collect();
            let mut out = Matches::default();
            for h in handles {
                out.extend(h.join().unwrap_or_default());
            }
            out
        })
    }

    /// The best `limit` matches, best first: the `SCORED` best by rank (ties: higher debt,
    /// then index order) are scored by the fuzzy matcher, then ordered by its score (ties:
    /// higher debt, account, index order).
    fn best(&self, matches: &Matches, folded_query: &str, limit: usize) -> Vec<(usize, i64)> {
        if limit == 0 || matches.is_empty() {
            return Vec::new();
        }
        let pool = rank::pool(self, matches, pool_size(limit));
        let score = |part: &[usize]| -> Vec<(usize, i64)> {
            part.iter()
                .filter_map(|&i| {
                    self.matcher
                        .fuzzy_match(self.text(i), folded_query)
                        .map(|s| (i, s))
                })
                .collect()
        };
        // The matcher's scoring is most of a keystroke's work once the scan is done: a large
        // pool is scored half here, half on the other core (the order is set below).
        let mut scored = if pool.len() >= SCORE_APART_FROM && self.cores >= 2 {
            let (a, b) = pool.split_at(pool.len() / 2);
            std::thread::scope(|scope| {
                let other = scope.spawn(|| score(b));
                let mut scored = score(a);
                scored.extend(other.join().unwrap_or_else(|_| score(b)));
                scored
            })
        } else {
            score(&pool)
        };
        let account = |i: usize| &self.display_line(i)[..self.entries[i].account_len as usize];
        let cmp = |a: &(usize, i64), b: &(usize, i64)| {
            b.1.cmp(&a.1)
                .then_with(|| {
                    self.entries[b.0]
                        .debt_cents
                        .cmp(&self.entries[a.0].debt_cents)
                })
                .then_with(|| account(a.0).cmp(account(b.0)))
                .then(a.0.cmp(&b.0))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, cmp);
            scored.truncate(limit);
        }
        scored.sort_by(cmp);
        scored
    }

    /// The characters of candidate `index`'s display line that `query` matches, to highlight:
    /// computed for the rows drawn only (a fold of the line and a second pass of the matcher).
    pub fn positions(&self, index: usize, query: &str) -> Vec<usize> {
        if index >= self.len() {
            return Vec::new();
        }
        self.matched_positions(index, &fold_key(query.trim()))
    }

    fn matched_positions(&self, index: usize, folded_query: &str) -> Vec<usize> {
        let mut folded = fold(self.display_line(index));
        let e = &self.entries[index];
        let line = self.display_line(index);
        let phone = (e.phone_len != NO_PHONE).then(|| &line[line.len() - e.phone_len as usize..]);
        let mut digits = String::new();
        push_phone_digits(&mut digits, phone);
        folded.text.push_str(&digits);
        folded
            .origin
            .extend(std::iter::repeat_n(usize::MAX, digits.len()));
        self.matcher
            .fuzzy_indices(&folded.text, folded_query)
            .map(|(_, idx)| original_positions(&folded, &idx))
            .unwrap_or_default()
            .into_iter()
            .filter(|&p| p != usize::MAX)
            .collect()
    }

    /// The best `limit` matches for `query`, with highlight positions.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let q = fold_key(query.trim());
        if q.is_empty() {
            return Vec::new();
        }
        let best = match self.first_keys.get(&q, limit) {
            Some((best, _)) => best,
            None => self.best(&self.matching(&q, None, pool_size(limit)), &q, limit),
        };
        best.into_iter()
            .map(|(index, score)| Hit {
                index,
                score,
                positions: self.matched_positions(index, &q),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
