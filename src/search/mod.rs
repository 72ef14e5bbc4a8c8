//! The lookup: fuzzy matching over every household's account, names, address and phone,
//! insensitive to case and accents, best first, narrowing incrementally as a query grows.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::domain::fold::{Folded, fold, fold_key, original_positions};
use crate::domain::portfolio::HouseholdSummary;

/// One household ready to be matched: its display line and the folded form of it.
pub struct Candidate {
    /// What the household is.
    pub summary: HouseholdSummary,
    /// The line shown and highlighted: names, account, address, phone.
    pub display: String,
    folded: Folded,
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

/// Separator between fields of a display line.
pub const FIELD_SEP: &str = " · ";

/// All households, folded once, to be matched on every keystroke.
pub struct SearchIndex {
    candidates: Vec<Candidate>,
    matcher: SkimMatcherV2,
}

impl SearchIndex {
    /// Builds the index from the store's household summaries.
    pub fn new(rows: Vec<HouseholdSummary>) -> SearchIndex {
        let candidates = rows
            .into_iter()
            .map(|summary| {
                let mut display = format!("{}{FIELD_SEP}{}", summary.name, summary.account);
                if !summary.address.is_empty() {
                    display.push_str(FIELD_SEP);
                    display.push_str(&summary.address);
                }
                let mut folded = fold(&display);
                if let Some(phone) = &summary.phone {
                    let start = display.chars().count() + FIELD_SEP.chars().count();
                    display.push_str(FIELD_SEP);
                    display.push_str(phone);
                    let f = fold(&format!("{FIELD_SEP}{phone}"));
                    folded.text.push_str(&f.text);
                    folded
                        .origin
                        .extend(f.origin.iter().map(|o| o + start - FIELD_SEP.chars().count()));
                    // The phone's digits alone, so that "0389123456" matches "03 89 12 34 56".
                    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
                    folded.text.push(' ');
                    folded.origin.push(usize::MAX);
                    for _ in digits.chars() {
                        folded.origin.push(usize::MAX);
                    }
                    folded.text.push_str(&digits);
                }
                Candidate {
                    summary,
                    display,
                    folded,
                }
            })
            .collect();
        SearchIndex {
            candidates,
            matcher: SkimMatcherV2::default().ignore_case(),
        }
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

    /// Scores the candidates in `within` (all when None) against a folded query; returns every
    /// match as (index, score), best first (ties: higher debt, then account).
    fn score(&self, folded_query: &str, within: Option<&[usize]>) -> Vec<(usize, i64)> {
        let mut out: Vec<(usize, i64)> = match within {
            Some(ids) => ids
                .iter()
                .filter_map(|&i| {
                    self.matcher
                        .fuzzy_match(&self.candidates[i].folded.text, folded_query)
                        .map(|s| (i, s))
                })
                .collect(),
            None => self
                .candidates
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    self.matcher
                        .fuzzy_match(&c.folded.text, folded_query)
                        .map(|s| (i, s))
                })
                .collect(),
        };
        out.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| {
                    self.candidates[b.0]
                        .summary
                        .debt
                        .cmp(&self.candidates[a.0].summary.debt)
                })
                .then_with(|| {
                    self.candidates[a.0]
                        .summary
                        .account
                        .cmp(&self.candidates[b.0].summary.account)
                })
        });
        out
    }

    fn hit(&self, index: usize, score: i64, folded_query: &str) -> Hit {
        let c = &self.candidates[index];
        let positions = self
            .matcher
            .fuzzy_indices(&c.folded.text, folded_query)
            .map(|(_, idx)| original_positions(&c.folded, &idx))
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
        self.score(&q, None)
            .into_iter()
            .take(limit)
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
        let scored = index.score(&q, within.as_deref());
        self.matches = scored.iter().map(|(i, _)| *i).collect();
        self.total = scored.len();
        self.query = q.clone();
        let hits = scored
            .into_iter()
            .take(limit)
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
            row(1, "411-000001", "Élodie Béranger", "3 rue de l'Église, 68100 Mulhouse", "03 89 12 34 56"),
            row(2, "411-000002", "Marc Dupont", "8 avenue Jean Jaurès, 01000 Bourg-en-Bresse", "06 11 22 33 44"),
            row(3, "411-000003", "Zoé Lefèvre et Cœur Mansour", "1 place d'Armes, 68000 Colmar", "07 00 00 00 01"),
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
