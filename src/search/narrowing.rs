//! The lookup's state from one keystroke to the next (see the module above for how a
//! keystroke narrows from the previous one).

use super::{Hit, SearchIndex, pool_size};
use crate::domain::fold::fold_key;

/// The lookup's state across keystrokes: when a query extends the previous one, only the
/// previous matches are tested again.
#[derive(Debug, Default, Clone)]
pub struct Narrowing {
    query: String,
    pub(super) matches: Vec<u32>,
    /// Beside `matches`, where each one's test can go on from (`rank::classify`).
    states: Vec<u32>,
    total: usize,
    /// The previous query was answered from the index's one-character answers, which keep no
    /// list of matches: the next keystroke tests the whole index (the same matches, since a
    /// household's mask holds the longer query's characters only if it holds the first).
    pub(super) whole: bool,
}

impl Narrowing {
    /// Runs `query`, narrowing from the previous results when possible; returns the best
    /// `limit` hits and the total number of matches. The hits carry no highlight positions:
    /// `SearchIndex::positions` gives them for the rows drawn.
    pub fn run(&mut self, index: &SearchIndex, query: &str, limit: usize) -> (Vec<Hit>, usize) {
        let q = fold_key(query.trim());
        if q.is_empty() {
            *self = Narrowing::default();
            return (Vec::new(), 0);
        }
        if let Some((best, total)) = index.first_keys.get(&q, limit) {
            *self = Narrowing {
                query: q,
                total,
                whole: true,
                ..Narrowing::default()
            };
            return (unmarked(best), total);
        }
        let narrows = !self.query.is_empty() && !self.whole && q.starts_with(&self.query);
        let within = narrows.then(|| {
            (
                std::mem::take(&mut self.matches),
                std::mem::take(&mut self.states),
            )
        });
        let matches = index.matching(
            &q,
            within.as_ref().map(|(a, b)| (a.as_slice(), b.as_slice())),
            pool_size(limit),
        );
        let hits = unmarked(index.best(&matches, &q, limit));
        (self.matches, self.states) = matches.into_ids();
        self.total = self.matches.len();
        self.query = q;
        self.whole = false;
        (hits, self.total)
    }
}

/// Hits without highlight positions (the rows drawn ask for theirs).
fn unmarked(best: Vec<(usize, i64)>) -> Vec<Hit> {
    best.into_iter()
        .map(|(index, score)| Hit {
            index,
            score,
            positions: Vec::new(),
        })
        .collect()
}
