//! `Store::bulk`: the transaction of an import, with the page cache, memory map and foreign
//! keys set for a bulk write.

use rusqlite::Connection;

use crate::store::{Store, StoreError};

/// Page cache of a bulk write, in KiB (allocated only as pages are used): the dirty pages of an
/// import (the recent tier of the entries' indexes, the yearly sums of each household it
/// touches) or of a settling (a leaf of each index per household) stay in memory instead of
/// spilling to the WAL in the middle of the transaction, which also slows every later read.
const BULK_CACHE_KIB: i64 = 1 << 20;

impl Store {
    /// Runs a bulk write (an import) in one transaction, committed only when `commit` is true
    /// and `f` succeeds (a dry run rolls back). The page cache is enlarged for the duration,
    /// which keeps the entries' indexes in memory on large files.
    pub fn bulk<T, E: From<StoreError>>(
        &mut self,
        commit: bool,
        f: impl FnOnce(&Connection) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let previous: i64 = self
            .conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .map_err(StoreError::from)?;
        let previous_mmap: i64 = self
            .conn
            .query_row("PRAGMA mmap_size", [], |r| r.get(0))
            .map_err(StoreError::from)?;
        self.conn
            .pragma_update(None, "cache_size", -BULK_CACHE_KIB)
            .map_err(StoreError::from)?;
        // Pages read (the indexes an import updates, the ledgers the detection reads) come
        // through a memory map: no system call, no copy and no fresh cache page per read.
        // Reads only: writes still go through the page cache and the WAL, durability is
        // unchanged.
        self.conn
            .pragma_update(None, "mmap_size", crate::store::MAP_BYTES)
            .map_err(StoreError::from)?;
        // Foreign keys are not enforced during a bulk write (an import): each check is a
        // lookup of the household per entry, a tenth of the import's work, and every
        // reference written is taken from rows of the same write transaction (the household
        // looked up by account or created, the detection's referents from the staff table).
        // `impayes check` still runs PRAGMA foreign_key_check over the whole base.
        self.conn
            .pragma_update(None, "foreign_keys", "OFF")
            .map_err(StoreError::from)?;
        let out = (|| {
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(StoreError::from)?;
            let out = f(&tx)?;
            if commit {
                tx.commit().map_err(StoreError::from)?;
            } else {
                tx.rollback().map_err(StoreError::from)?;
            }
            Ok(out)
        })();
        let _ = self.conn.pragma_update(None, "cache_size", previous);
        let _ = self.conn.pragma_update(None, "mmap_size", previous_mmap);
        let _ = self.conn.pragma_update(None, "foreign_keys", "ON");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foreign_keys(c: &Connection) -> i64 {
        c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("pragma")
    }

    #[test]
    fn a_bulk_write_runs_without_foreign_keys_and_turns_them_back_on() {
        // A file: an in-memory base has no memory map to set.
        let dir = tempfile::tempdir().expect("dir");
        let mut store = Store::create(&dir.path().join("b.sqlite3")).expect("open");
        assert_eq!(foreign_keys(store.conn()), 1);
        let inside = store
            .bulk::<_, StoreError>(false, |c| Ok(foreign_keys(c)))
            .expect("bulk");
        assert_eq!(inside, 0);
        assert_eq!(foreign_keys(store.conn()), 1);
        let failed =
            store.bulk::<(), StoreError>(true, |_| Err(StoreError::Corrupt("échec".into())));
        assert!(failed.is_err());
        assert_eq!(foreign_keys(store.conn()), 1);
    }
}
