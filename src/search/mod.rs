//! The lookup: fuzzy matching over every household's account, names, address and phone,
//! insensitive to case and accents, best first, narrowing incrementally as a query grows.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::fold::{fold, fold_key, original_positions};
use crate::domain::portfolio::HouseholdSummary;

/// One household ready to be matched: its display line and the folded form of it.
pub struct Candidate {
    /// What the household is.
    pub summary: HouseholdSummary,
    /// The line shown and highlighted: names, account, address, phone.
    pub display: String,
}

/// Where a candidate's folded text sits in the shared buffer, and what ranking needs, packed
/// so that a keystroke walks memory in order.
#[derive(Debug, Clone, Copy)]
struct Key {
    start: u32,
    len: u32,
    /// Where the folded names sit in the text (after the account).
    name_start: u32,
    name_len: u32,
    debt_cents: i64,
}

/// A match: which candidate, how good, and which characters of its display line matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Index into `SearchIndex::candidates`.
    pub index: usize,
    /// Matcher score (higher is better).
    pub score: i64,
    /// Char positions in `Candidate::display` to highlight.
    pub positions: Vec<usize>,
}

/// Below this many candidates, scoring stays on one thread.
const PARALLEL_FROM: usize = 20_000;

/// Whether every byte of `needle` appears in `hay` in order (both already folded).
fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|n| it.any(|h| h == n))
}

/// How many of the best-ranked matches the fuzzy matcher scores on each keystroke.
const SCORED: usize = 1_000;

/// Rank of a match before scoring (lower is better): the query as a word of the names, inside
/// the names, as a word elsewhere (street, commune), anywhere, or only scattered.
fn tier(query: &str, text: &str, names: std::ops::Range<usize>) -> u8 {
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

/// Separator between fields of a display line.
pub const FIELD_SEP: &str = " · ";

/// The line shown and highlighted for a household: account, names, address, phone.
fn display_line(s: &HouseholdSummary) -> String {
    let mut display = format!("{}{FIELD_SEP}{}", s.account, s.name);
    for part in [
        Some(s.address.as_str()).filter(|a| !a.is_empty()),
        s.phone.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        display.push_str(FIELD_SEP);
        display.push_str(part);
    }
    display
}

/// Appends the phone's digits alone, so that "0389123456" matches "03 89 12 34 56".
fn push_phone_digits(out: &mut String, phone: Option<&str>) {
    if let Some(phone) = phone {
        out.push(' ');
        out.extend(phone.chars().filter(char::is_ascii_digit));
    }
}

/// All households, folded once, to be matched on every keystroke.
pub struct SearchIndex {
    candidates: Vec<Candidate>,
    /// Every candidate's folded text, end to end.
    buffer: String,
    keys: Vec<Key>,
    matcher: SkimMatcherV2,
}

impl SearchIndex {
    /// Builds the index from the store's household summaries.
    pub fn new(rows: Vec<HouseholdSummary>) -> SearchIndex {
        let mut buffer = String::with_capacity(rows.len() * 96);
        let mut keys = Vec::with_capacity(rows.len());
        let mut candidates = Vec::with_capacity(rows.len());
        for summary in rows {
            let display = display_line(&summary);
            let start = buffer.len();
            buffer.push_str(&fold_key(&display));
            push_phone_digits(&mut buffer, summary.phone.as_deref());
            keys.push(Key {
                start: start as u32,
                len: (buffer.len() - start) as u32,
                name_start: fold_key(&format!("{}{FIELD_SEP}", summary.account)).len() as u32,
                name_len: fold_key(&summary.name).len() as u32,
                debt_cents: crate::domain::money::to_cents(summary.debt),
            });
            candidates.push(Candidate { summary, display });
        }
        SearchIndex {
            candidates,
            buffer,
            keys,
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }

    /// The folded text of candidate `i`.
    fn text(&self, i: usize) -> &str {
        let k = self.keys[i];
        &self.buffer[k.start as usize..(k.start + k.len) as usize]
    }

    /// Every candidate, in store order.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// Number of households indexed.
    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }

    /// Finds the candidates in `within` (all when None) that match a folded query, with a
    /// cheap rank: a byte subsequence test decides the match exactly as the matcher would, and
    /// where the query stands as a whole (a word of the names first) gives the rank. The costly
    /// matcher then scores only the best few (see `best`). Large sets are split over the cores.
    fn matching(&self, folded_query: &str, within: Option<&[usize]>) -> Vec<(usize, u8)> {
        let q = folded_query.as_bytes();
        let test = |i: usize| -> Option<(usize, u8)> {
            let k = self.keys[i];
            let text = self.text(i);
            is_subsequence(q, text.as_bytes()).then(|| {
                let names = k.name_start as usize..(k.name_start + k.name_len) as usize;
                (i, tier(folded_query, text, names))
            })
        };
        let all: Vec<usize>;
        let ids: &[usize] = match within {
            Some(ids) => ids,
            None => {
                all = (0..self.candidates.len()).collect();
                &all
            }
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if ids.len() < PARALLEL_FROM || threads < 2 {
            return ids.iter().filter_map(|&i| test(i)).collect();
        }
        let chunk = ids.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = ids
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || part.iter().filter_map(|&i| test(i)).collect::<Vec<_>>())
                })
                .collect();
            let mut out = Vec::with_capacity(ids.len() / 4);
            for h in handles {
                out.extend(h.join().unwrap_or_default());
            }
            out
        })
    }

    /// The best `limit` matches, best first: the `SCORED` best by rank (ties: higher debt) are
    /// scored by the fuzzy matcher, then ordered by its score (ties: higher debt, account).
    fn best(&self, matches: &[(usize, u8)], folded_query: &str, limit: usize) -> Vec<(usize, i64)> {
        if limit == 0 || matches.is_empty() {
            return Vec::new();
        }
        let by_rank = |a: &(usize, u8), b: &(usize, u8)| {
            a.1.cmp(&b.1)
                .then_with(|| self.keys[b.0].debt_cents.cmp(&self.keys[a.0].debt_cents))
        };
        let mut pool: Vec<(usize, u8)> = matches.to_vec();
        let keep = SCORED.max(limit);
        if pool.len() > keep {
            pool.select_nth_unstable_by(keep - 1, by_rank);
            pool.truncate(keep);
        }
        let mut scored: Vec<(usize, i64)> = pool
            .iter()
            .filter_map(|&(i, _)| {
                self.matcher
                    .fuzzy_match(self.text(i), folded_query)
                    .map(|s| (i, s))
            })
            .collect();
        let cmp = |a: &(usize, i64), b: &(usize, i64)| {
            b.1.cmp(&a.1)
                .then_with(|| self.keys[b.0].debt_cents.cmp(&self.keys[a.0].debt_cents))
                .then_with(|| {
                    self.candidates[a.0]
                        .summary
                        .account
                        .cmp(&self.candidates[b.0].summary.account)
                })
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, cmp);
            scored.truncate(limit);
        }
        scored.sort_by(cmp);
        scored
    }

    fn hit(&self, index: usize, score: i64, folded_query: &str) -> Hit {
        let c = &self.candidates[index];
        // The map back to the display's characters is only built for the hits shown.
        let mut folded = fold(&c.display);
        let mut digits = String::new();
        push_phone_digits(&mut digits, c.summary.phone.as_deref());
        folded.text.push_str(&digits);
        folded
            .origin
            .extend(std::iter::repeat_n(usize::MAX, digits.len()));
        let positions = self
            .matcher
            .fuzzy_indices(&folded.text, folded_query)
            .map(|(_, idx)| original_positions(&folded, &idx))
            .unwrap_or_default()
            .into_iter()
            .filter(|&p| p != usize::MAX)
            .collect();
        Hit {
            index,
            score,
            positions,
        }
    }

    /// The best `limit` matches for `query`, with highlight positions.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let q = fold_key(query.trim());
        if q.is_empty() {
            return Vec::new();
        }
        let matches = self.matching(&q, None);
        self.best(&matches, &q, limit)
            .into_iter()
            .map(|(i, s)| self.hit(i, s, &q))
            .collect()
    }
}

/// The lookup's state across keystrokes: when a query extends the previous one, only the
/// previous matches are scored again.
#[derive(Debug, Default, Clone)]
pub struct Narrowing {
    query: String,
    matches: Vec<usize>,
    total: usize,
}

impl Narrowing {
    /// Runs `query`, narrowing from the previous results when possible; returns the best
    /// `limit` hits and the total number of matches.
    pub fn run(&mut self, index: &SearchIndex, query: &str, limit: usize) -> (Vec<Hit>, usize) {
        let q = fold_key(query.trim());
        if q.is_empty() {
            *self = Narrowing::default();
            return (Vec::new(), 0);
        }
        let within = (!self.query.is_empty() && q.starts_with(&self.query))
            .then(|| std::mem::take(&mut self.matches));
        let matches = index.matching(&q, within.as_deref());
        self.matches = matches.iter().map(|(i, _)| *i).collect();
        self.total = matches.len();
        self.query = q.clone();
        let hits = index
            .best(&matches, &q, limit)
            .into_iter()
            .map(|(i, s)| index.hit(i, s, &q))
            .collect();
        (hits, self.total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::household::TenantStatus;
    use rust_decimal::Decimal;

    fn row(id: i64, account: &str, name: &str, address: &str, phone: &str) -> HouseholdSummary {
        HouseholdSummary {
            household_id: id,
            account: account.into(),
            name: name.into(),
            address: address.into(),
            phone: Some(phone.into()),
            status: TenantStatus::Present,
            debt: Decimal::ZERO,
            monthly_net: Decimal::ONE_HUNDRED,
            phase: None,
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::new(vec![
            row(
                1,
                "411-000001",
                "Élodie Béranger",
                "3 rue de l'Église, 68100 Mulhouse",
                "03 89 12 34 56",
            ),
            row(
                2,
                "411-000002",
                "Marc Dupont",
                "8 avenue Jean Jaurès, 01000 Bourg-en-Bresse",
                "06 11 22 33 44",
            ),
            row(
                3,
                "411-000003",
                "Zoé Lefèvre et Cœur Mansour",
                "1 place d'Armes, 68000 Colmar",
                "07 00 00 00 01",
            ),
        ])
    }

    #[test]
    fn folds_both_sides() {
        let idx = index();
        let hits = idx.search("elodie beranger", 10);
        assert_eq!(hits[0].index, 0);
        let hits = idx.search("ÉLODIE", 10);
        assert_eq!(hits[0].index, 0);
        let hits = idx.search("coeur", 10);
        assert_eq!(hits[0].index, 2);
    }

    #[test]
    fn finds_account_address_and_phone() {
        let idx = index();
        assert_eq!(idx.search("411-000002", 1)[0].index, 1);
        assert_eq!(idx.search("jaures", 1)[0].index, 1);
        assert_eq!(idx.search("0611223344", 1)[0].index, 1);
        assert!(idx.search("xyzzy", 10).is_empty());
    }

    #[test]
    fn highlights_original_characters() {
        let idx = index();
        let hit = &idx.search("beranger", 1)[0];
        let display: Vec<char> = idx.candidates()[hit.index].display.chars().collect();
        let matched: String = hit.positions.iter().map(|&p| display[p]).collect();
        assert_eq!(matched, "Béranger");
    }

    #[test]
    fn narrowing_gives_the_same_results() {
        let idx = index();
        let mut n = Narrowing::default();
        let mut last = Vec::new();
        for q in ["m", "mu", "mul", "mulh"] {
            let (hits, total) = n.run(&idx, q, 10);
            let fresh = idx.search(q, 10);
            assert_eq!(hits, fresh, "query {q}");
            assert_eq!(total, hits.len());
            last = hits;
        }
        assert_eq!(last[0].index, 0);
        // A query that does not extend the previous one starts again from all households.
        let (hits, _) = n.run(&idx, "dupont", 10);
        assert_eq!(hits[0].index, 1);
    }
}
