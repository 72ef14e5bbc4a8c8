//! The end of an import, after its last line: the last batch written, then the balances, the
//! yearly sums and the figures' day sums of the households that received entries. The writer
//! alone runs SQLite's updates (a household's balance and the sums of the year its row holds in one, see
//! `ledger_years::save_with_balances`); when the entries are this import's, a second, read-only
//! connection reads what the day sums need (their filings and the lines summed under them) on
//! the other core meanwhile.

use super::{AccountSink, ImportCounts};
use crate::domain::ledger::EntryKind;
use crate::store::{Result, Written};

impl<'c> AccountSink<'c> {
    /// Writes the queued lines and updates the balances of the accounts that received
    /// entries; returns the counts and what was written (for the detection that follows).
    pub fn finish(mut self) -> Result<(ImportCounts, Written)> {
        self.flush()?;
        self.file_run();
        // No line is looked up any more: the accounts (two large blocks at 500,000 households,
        // 25 MB) are given back on another thread while this one writes the sums.
        let accounts = std::mem::take(&mut self.households);
        let freeing_accounts = std::thread::spawn(move || drop(accounts));
        let written = std::mem::take(&mut self.written);
        drop(self.insert);
        drop(self.find);
        drop(self.settled);
        drop(std::mem::take(&mut self.many));
        // The figures' day sums: from the sums kept while writing when the entries after the
        // watermark are exactly this import's (ids are given in sequence), else read back.
        let max: i64 =
            self.conn
                .query_row("SELECT COALESCE(MAX(id), 0) FROM entries", [], |r| r.get(0))?;
        let own = crate::store::ledger::watermark(self.conn)? == self.before
            && u64::try_from(max - self.before).ok() == Some(self.counts.added)
            && self.counts.added <= crate::store::ledger::BULK as u64;
        let (conn, before) = (self.conn, self.before);
        let (days, mut deltas) = (
            std::mem::take(&mut self.days),
            std::mem::take(&mut self.deltas),
        );
        let years = std::mem::take(&mut self.years);
        let strict = self.days_strict;
        // When they are this import's, the day sums' filings are read and the lines summed under
        // them on the second core (see `ledger_filing`) while this thread updates the balances
        // and the yearly sums; only once entries are written (the write lock is held, and the
        // day sums have not been written by the import yet).
        let ahead = match self.conn.path() {
            Some(p) if !p.is_empty() && own && max > before && days.len() >= self.days_from => {
                Some(p)
            }
            _ => None,
        };
        let years = years.into_rows();
        std::thread::scope(|scope| -> Result<()> {
            let helper = ahead.map(|path| {
                let days = &days;
                scope.spawn(move || {
                    crate::store::read_committed(path, crate::store::MAP_BYTES, |c| {
                        let scan_above = crate::store::ledger::scan_above(c)?;
                        crate::store::ledger_filing::sum_filed(c, days, scan_above)
                    })
                })
            });
            if !own || max <= before {
                crate::store::write::add_to_balances(conn, std::mem::take(&mut deltas))?;
            }
            if !own {
                return crate::store::ledger::catch_up(conn);
            }
            if max > before {
                // The balances and the yearly sums, one update a household where it can.
                crate::store::ledger_years::save_with_balances(conn, &years, deltas)?;
                // The helper's sums, or the same made here when it could not (step 1 only
                // reads: nothing to undo).
                let summed = match answer(helper.map(|h| h.join()), strict)? {
                    Some(summed) => summed,
                    None => crate::store::ledger_filing::sum_filed(
                        conn,
                        &days,
                        crate::store::ledger::scan_above(conn)?,
                    )?,
                };
                let kinds: Vec<&str> = EntryKind::ALL.iter().map(|k| k.code()).collect();
                crate::store::ledger_filing::save_summed(conn, &kinds, summed, max)?;
            }
            Ok(())
        })?;
        if let Some(freeing) = self.freeing.take() {
            let _ = freeing.join();
        }
        let _ = freeing_accounts.join();
        Ok((self.counts, written))
    }
}

/// What the finishing helper gave (`got`: None without a helper; the outer error when it
/// stopped before answering): its value, or None for the writer to do the work itself; its
/// error fails the import only when `strict` (tests).
fn answer<T, E>(got: Option<std::result::Result<Result<T>, E>>, strict: bool) -> Result<Option<T>> {
    match got {
        Some(Ok(Ok(value))) => Ok(Some(value)),
        Some(Ok(Err(e))) if strict => Err(e),
        _ => Ok(None),
    }
}
