//! Lines written by multi-row INSERTs: a batch's lines are staged (their reference found
//! as a line-by-line import would find it) and written `ROWS` at a time, so that SQLite opens
//! its cursors, looks up the table's last id and tears the statement down once per statement
//! instead of once per line (about a fifth of an import's instructions at 20,000 households).
//!
//! A line's reference depends on what the lines before it found (see `store::import`): a
//! first-rank reference that meets an entry of this import means a repeat, ranked again. A
//! staged line is written speculatively with the reference a line-by-line import would give
//! it if nothing written since the last statement conflicts with it:
//!
//! - a base already known to repeat (`repeats`) has its next rank: exact whatever happens;
//! - a base seen earlier in the same household's lines of the batch (`seen`) is a repeat of a
//!   line of this import: the staged lines are written first, then this one line by line;
//! - otherwise, its first rank. When such a row meets an entry of this import after all (its
//!   first occurrence was in an earlier batch), the rows written after it by the same
//!   statement are deleted (ids are given in sequence, so they are the largest) and it and
//!   they go line by line: the ids, ranks and counts are those of a line-by-line import.
//!
//! Statements are `INSERT OR IGNORE`: for these rows (no NULL, a valid kind) it only ignores
//! the reference's uniqueness, as `ON CONFLICT DO NOTHING` does, and unlike it needs no
//! statement journal for a multi-row statement (each page touched would be copied there).

use std::borrow::Cow;

use rusqlite::{Statement, params};

use super::{AccountSink, Result};
use crate::domain::import_rules::{SourceLine, iso_date, ranked_reference};

/// Rows per INSERT statement: past 16, measured no cheaper per row.
pub(super) const ROWS: usize = 16;

/// A line staged for the next statement.
pub(super) struct Row<'p> {
    pub household_id: i64,
    pub line: &'p SourceLine<'static>,
    /// Its base, and whether it is a content reference base.
    pub base: &'p str,
    pub content: bool,
    /// The reference it is written with.
    pub reference: Cow<'p, str>,
    /// Its key in `repeats`.
    pub key: u64,
    /// Written with its first rank, before the base is known to repeat (speculative).
    pub first: bool,
}

/// The multi-row INSERT of `n` rows: ?1 and ?2 are the author and time, then six parameters a
/// row.
pub(super) fn prepare<'c>(
    conn: &'c rusqlite::Connection,
    n: usize,
    user: &str,
    at: &str,
) -> Result<Statement<'c>> {
    let mut sql = String::from(
        "INSERT OR IGNORE INTO entries (household_id, date, kind, amount_cents, label, reference,
            recorded_by, recorded_at, tier) VALUES ",
    );
    for j in 0..n {
        let b = 3 + 6 * j;
        if j > 0 {
            sql.push(',');
        }
        sql.push_str(&format!(
            "(?{},?{},?{},?{},?{},?{},?1,?2,1)",
            b,
            b + 1,
            b + 2,
            b + 3,
            b + 4,
            b + 5
        ));
    }
    let mut stmt = conn.prepare(&sql)?;
    stmt.raw_bind_parameter(1, user)?;
    stmt.raw_bind_parameter(2, at)?;
    Ok(stmt)
}

impl<'c> AccountSink<'c> {
    /// Stages one line of a batch (see the module's comment); writes the staged rows when
    /// `ROWS` are staged or when this line needs them written first. `settled` is whether the
    /// settled tier holds the line's first-rank reference, when a helper has looked it up
    /// already (see `probe`).
    pub(super) fn stage<'p>(
        &mut self,
        rows: &mut Vec<Row<'p>>,
        household_id: i64,
        line: &'p SourceLine<'static>,
        base: &'p str,
        content: bool,
        settled: Option<bool>,
    ) -> Result<()> {
        if content && self.take_unreferenced(household_id, line)? {
            self.counts.duplicates += 1;
            return Ok(());
        }
        if self.seen_household != Some(household_id) {
            self.seen_household = Some(household_id);
            self.seen.clear();
        }
        let key = super::repeat_key(household_id, base);
        let (reference, first) = match self.repeats.get_mut(&key) {
            Some(n) => {
                *n += 1;
                (ranked_reference(base, content, *n), false)
            }
            None if !self.seen.insert(key) => {
                // A repeat of a line of this batch: its rank depends on what that line met.
                self.write_rows(rows)?;
                self.push_exact(household_id, line, base, content)?;
                return Ok(());
            }
            None => (ranked_reference(base, content, 1), true),
        };
        // An earlier import's entry in the settled tier, which the statement's unique index
        // (the recent tier's) would not meet: a duplicate, as a conflict with an entry from
        // before the import is (see `write_rows`).
        let held = match settled {
            Some(held) if first => held,
            _ => self.settled_holds(household_id, &reference)?,
        };
        if held {
            self.counts.duplicates += 1;
            if first {
                self.repeats.insert(key, 1);
            }
            return Ok(());
        }
        // Two bases may rank to the same reference ("X:2" and the second "X"): never in one
        // statement, where the second would be taken for the first.
        if rows
            .iter()
            .any(|r| r.household_id == household_id && r.reference == reference)
        {
            self.write_rows(rows)?;
        }
        rows.push(Row {
            household_id,
            line,
            base,
            content,
            reference,
            key,
            first,
        });
        if rows.len() >= self.rows_per_statement {
            self.write_rows(rows)?;
        }
        Ok(())
    }

    /// Writes the staged rows in one statement and files what each one did.
    pub(super) fn write_rows(&mut self, rows: &mut Vec<Row<'_>>) -> Result<()> {
        let n = rows.len();
        if n == 0 {
            return Ok(());
        }
        if self.many.len() <= n {
            self.many.resize_with(n + 1, || None);
        }
        if self.many[n].is_none() {
            self.many[n] = Some(prepare(
                self.conn,
                n,
                self.stamp.user.as_str(),
                self.stamp.at.as_str(),
            )?);
        }
        let changes = {
            let Some(stmt) = self.many[n].as_mut() else {
                return Ok(());
            };
            // Text is bound as a copy: one buffer serves every date.
            let mut buf = [0u8; 10];
            for (j, r) in rows.iter().enumerate() {
                let b = 3 + 6 * j;
                stmt.raw_bind_parameter(b, r.household_id)?;
                stmt.raw_bind_parameter(b + 1, iso_date(r.line.date, &mut buf))?;
                stmt.raw_bind_parameter(b + 2, r.line.kind.code())?;
                stmt.raw_bind_parameter(b + 3, r.line.cents)?;
                stmt.raw_bind_parameter(b + 4, r.line.label.as_ref())?;
                stmt.raw_bind_parameter(b + 5, r.reference.as_ref())?;
            }
            stmt.raw_execute()?
        };
        if changes == n {
            for r in rows.iter() {
                self.added(r.household_id, r.line);
            }
            rows.clear();
            return Ok(());
        }
        // Some rows met an entry: which ones. The rows written got the ids after the largest
        // one before, in order.
        let start = if changes == 0 {
            i64::MAX
        } else {
            self.conn.last_insert_rowid() - changes as i64
        };
        let mut written = 0i64;
        let mut failed = None;
        for (j, r) in rows.iter().enumerate() {
            let id: i64 = self
                .find
                .query_row(params![r.household_id, r.reference], |row| row.get(0))?;
            if id > start {
                written += 1;
                self.added(r.household_id, r.line);
            } else if !r.first || id <= self.before {
                // An entry of an earlier import: a duplicate, as line by line.
                self.counts.duplicates += 1;
                if r.first {
                    self.repeats.insert(r.key, 1);
                }
            } else {
                failed = Some(j);
                break;
            }
        }
        if let Some(k) = failed {
            // A first rank that meets an entry of this import (a repeat across batches): the
            // rows written after it go, and it and they go line by line.
            if written < changes as i64 {
                self.conn
                    .prepare_cached("DELETE FROM entries WHERE id > ?1")?
                    .execute([start + written])?;
            }
            for r in &rows[k..] {
                if !r.first
                    && let Some(c) = self.repeats.get_mut(&r.key)
                {
                    *c -= 1;
                }
            }
            for r in &rows[k..] {
                self.push_exact(r.household_id, r.line, r.base, r.content)?;
            }
        }
        rows.clear();
        Ok(())
    }
}

/// The (household, position) pairs of a batch's lines in household order, positions in file
/// order within a household. Household ids are rowids, dense: a counting sort (three passes)
/// instead of a comparison sort, which took a twentieth of an import's instructions; no sort
/// at all when the file is grouped by account.
pub(super) fn household_order(ids: &[i64]) -> Vec<(i64, usize)> {
    let mut order: Vec<(i64, usize)> = Vec::with_capacity(ids.len());
    if ids.windows(2).all(|w| w[0] <= w[1]) {
        order.extend(ids.iter().copied().zip(0..));
        return order;
    }
    let (min, max) = ids
        .iter()
        .fold((i64::MAX, i64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let span = usize::try_from(max.abs_diff(min)).unwrap_or(usize::MAX);
    if span > 4 * ids.len() + 4096 {
        order.extend(ids.iter().copied().zip(0..));
        order.sort_unstable();
        return order;
    }
    // starts[k]: where the lines of household min + k begin in the order.
    let mut starts = vec![0usize; span + 2];
    for &h in ids {
        starts[(h - min) as usize + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    order.resize(ids.len(), (0, 0));
    for (i, &h) in ids.iter().enumerate() {
        let slot = &mut starts[(h - min) as usize];
        order[*slot] = (h, i);
        *slot += 1;
    }
    order
}

/// Lines ahead of the writer whose memory is asked for: far enough for it to arrive, near
/// enough to stay cached.
const AHEAD: usize = 8;

/// Asks the processor for the memory of the lines the writer reaches soon: in household order
/// a batch's lines are scattered over tens of megabytes (each line and its texts allocated by
/// the reading thread in file order), and each one visited was a cache miss the writer waited
/// for, one at a time (about a tenth of the writing at 100,000 households). The line `2 *
/// AHEAD` on is asked for, then the texts of the line `AHEAD` on (whose line has arrived by
/// then). Only a hint: nothing is read through these addresses.
pub(super) fn prefetch_ahead(pending: &[super::Queued], order: &[(i64, usize)], k: usize) {
    if let Some(&(_, i)) = order.get(k + 2 * AHEAD)
        && let Some(q) = pending.get(i)
    {
        let p: *const u8 = (q as *const super::Queued).cast();
        let size = std::mem::size_of::<super::Queued>();
        let mut at = 0;
        while at < size {
            prefetch(p.wrapping_add(at));
            at += 64;
        }
    }
    if let Some(&(_, i)) = order.get(k + AHEAD)
        && let Some((_, line, base)) = pending.get(i)
    {
        prefetch(line.label.as_ptr());
        if let Some(r) = &line.reference {
            prefetch(r.as_ptr());
        }
        if let Some(b) = base {
            prefetch(b.as_ptr());
        }
    }
}

/// A prefetch hint for the cache line at `p` (none on other processors).
#[inline(always)]
fn prefetch(p: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch never reads through the pointer nor faults, whatever its value.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

#[cfg(test)]
mod tests {
    use super::household_order;

    fn sorted(ids: &[i64]) -> Vec<(i64, usize)> {
        let mut v: Vec<(i64, usize)> = ids.iter().copied().zip(0..).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn the_order_is_by_household_then_position_whatever_the_ids() {
        let random: Vec<i64> = (0..5_000).map(|i| 1 + (i * 7919) % 1_237).collect();
        let grouped = {
            let mut g = random.clone();
            g.sort();
            g
        };
        let sparse = vec![9_000_000_000, 3, 3, -5, 70_000, 3, -5];
        for ids in [random, grouped, sparse, vec![], vec![4], vec![2, 1, 2, 1]] {
            assert_eq!(household_order(&ids), sorted(&ids), "{ids:?}");
        }
        assert_eq!(
            household_order(&[5, 2, 5, 2, 9]),
            vec![(2, 1), (2, 3), (5, 0), (5, 2), (9, 4)]
        );
    }
}
