//! The results of every one-character query, computed once when the workstation's index is
//! built (`SearchIndex::answer_first_keys`).
//!
//! The first keystroke of every lookup is a one-character query, and over the whole index it
//! is among the slowest: every household is tested, nearly all of them match, and a full pool
//! is scored. Its answer depends only on the character and the index, which does not change
//! once built (the workstation builds a new one when the households change), so the few
//! dozen possible answers are kept (about 16 KB each) and the first keystroke only copies one.

use super::{SCORED, SearchIndex};

/// The characters whose query is kept: those with a mask bit of their own (the masks decide
/// such a query without reading any text), but the space, which a trimmed query never is.
const KEPT: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-'.,";

/// One character's answer.
struct Answer {
    /// The best `SCORED` matches, best first, with their scores: the best `limit` of any
    /// limit up to `SCORED` are its first `limit` (`SearchIndex::best` sorts by a total
    /// order, and every limit up to `SCORED` scores the same pool).
    best: Vec<(usize, i64)>,
    /// How many households match.
    total: usize,
}

/// The kept answers, by character.
#[derive(Default)]
pub(super) struct FirstKeys {
    answers: Vec<(u8, Answer)>,
}

impl FirstKeys {
    /// Computes the answer of every kept character over `ix` (a few hundred milliseconds at
    /// 500,000 households, on the thread that builds the index).
    pub(super) fn build(ix: &SearchIndex) -> FirstKeys {
        let answers = KEPT
            .iter()
            .map(|&c| {
                let q = [c];
                // Every KEPT byte is ASCII.
                let q = std::str::from_utf8(&q).unwrap_or_default();
                let matches = ix.matching(q, None, SCORED);
                let best = ix.best(&matches, q, SCORED);
                (
                    c,
                    Answer {
                        best,
                        total: matches.len(),
                    },
                )
            })
            .collect();
        FirstKeys { answers }
    }

    /// The best `limit` matches of a folded query and the number of matches, when the query
    /// is one kept character and `limit` is at most `SCORED`.
    pub(super) fn get(
        &self,
        folded_query: &str,
        limit: usize,
    ) -> Option<(Vec<(usize, i64)>, usize)> {
        let &[c] = folded_query.as_bytes() else {
            return None;
        };
        if limit > SCORED {
            return None;
        }
        let (_, a) = self.answers.iter().find(|(k, _)| *k == c)?;
        Some((a.best[..limit.min(a.best.len())].to_vec(), a.total))
    }

    /// Bytes held, for the bench's memory report.
    pub(super) fn heap_bytes(&self) -> usize {
        self.answers
            .iter()
            .map(|(_, a)| a.best.capacity() * std::mem::size_of::<(usize, i64)>())
            .sum::<usize>()
            + self.answers.capacity() * std::mem::size_of::<(u8, Answer)>()
    }
}
