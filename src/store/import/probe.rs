//! The settled-tier lookups of a batch on the second core: while the writing connection
//! stores the batch's lines in household order, a helper thread with its own read-only
//! connection looks up whether each line's first-rank reference is already on its account in
//! the settled tier (`AccountSink::settled_holds`), ahead of the writer, which takes the
//! answer instead of looking up itself.
//!
//! Why: that lookup is a descent of the reference index per line, about a fifth of the
//! writer's time at 100,000 households (0.11 s of 0.47–0.52 s for 200,000 lines), and the
//! second core is mostly idle while the writer runs (a file of one batch is parsed before it
//! is written; a larger one's next batch is parsed meanwhile).
//!
//! Why the answers are the writer's own: an import writes only into the recent tier (see
//! `store::tiers`) and holds the write lock from its first statement, so the settled tier the
//! helper reads (the last commit) is the one the writer's transaction sees. An answer not yet
//! given when the writer reaches the line (the helper behind, or stopped by an error) is
//! looked up by the writer as before: the helper only saves work, it never decides alone.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

use super::Queued;
use crate::domain::import_rules::ranked_reference;
use crate::store::tiers;

/// Below this many lines in a batch, a connection and a thread are not worth it.
pub(super) const MIN_LINES: usize = 4_096;

/// No answer yet for a line.
const UNKNOWN: u8 = 0;
/// The settled tier does not hold the line's first-rank reference.
const ABSENT: u8 = 1;
/// It does.
const HELD: u8 = 2;

/// The answers for one batch, by position in its household order, and how far the writer is.
pub(super) struct Answers {
    held: Vec<AtomicU8>,
    /// Lines of the order the writer has reached: the helper skips past them.
    pub writer: AtomicUsize,
    /// Set when the batch is written: the helper stops.
    pub done: AtomicBool,
}

impl Answers {
    /// No answer yet for a batch of `n` lines.
    pub fn new(n: usize) -> Self {
        Answers {
            held: (0..n).map(|_| AtomicU8::new(UNKNOWN)).collect(),
            writer: AtomicUsize::new(0),
            done: Default::default(),
        }
    }

    /// The helper's answer for the line at position `k` of the order, if it has given one.
    pub fn get(&self, k: usize) -> Option<bool> {
        match self.held.get(k).map(|a| a.load(Ordering::Acquire)) {
            Some(ABSENT) => Some(false),
            Some(HELD) => Some(true),
            _ => None,
        }
    }
}

/// The helper: answers the lines of `order` from the writer's position on, with a read-only
/// connection to `path`. Returns at the first error (the writer looks up what is left).
pub(super) fn answer(path: &str, pending: &[Queued], order: &[(i64, usize)], answers: &Answers) {
    let Ok(conn) = crate::store::second_reader(path, crate::store::MAP_BYTES) else {
        return;
    };
    // Never wait for a lock: the writer waits for this thread at the end of its batch, and
    // looks up itself whatever is left unanswered.
    if conn.busy_timeout(std::time::Duration::ZERO).is_err() {
        return;
    }
    let Ok(mut stmt) = conn.prepare(tiers::REFERENCE_IN_TIER) else {
        return;
    };
    if stmt.raw_bind_parameter(1, tiers::SETTLED).is_err() {
        return;
    }
    let mut k = 0;
    while k < order.len() {
        if answers.done.load(Ordering::Relaxed) {
            return;
        }
        // Overtaken: the writer has looked these lines up itself.
        k = k.max(answers.writer.load(Ordering::Relaxed));
        let Some(&(household_id, i)) = order.get(k) else {
            return;
        };
        let (_, line, content_base) = &pending[i];
        let reference = match content_base {
            Some(base) => ranked_reference(base, true, 1),
            None => ranked_reference(line.reference.as_deref().map_or("", str::trim), false, 1),
        };
        if stmt.raw_bind_parameter(2, household_id).is_err()
            || stmt.raw_bind_parameter(3, reference.as_ref()).is_err()
        {
            return;
        }
        let held = match stmt.raw_query().next() {
            Ok(row) => row.is_some(),
            Err(_) => return,
        };
        answers.held[k].store(if held { HELD } else { ABSENT }, Ordering::Release);
        k += 1;
    }
}
