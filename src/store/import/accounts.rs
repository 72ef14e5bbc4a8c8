//! The accounts an import looks its lines up in: every household's account and id, read when
//! the import starts. At 500,000 households that is 627,560 rows, a quarter of a second on one
//! core while the file's reading threads, done with their share, leave the other core idle: the
//! rows are stepped here and put into the map on a second thread.
//!
//! The map keeps the accounts' text in one buffer, not a string each: 627,560 small blocks were
//! allocated on the writer and freed on another thread once the lines were written, and glibc
//! gives a block back to the arena that allocated it, where the writer's next large allocation
//! (SQLite's, when a page splits) had to merge every one of them first: a third of the
//! balances' update at 500,000 households.

use std::hash::BuildHasher;
use std::sync::mpsc;

use rusqlite::Connection;

use crate::store::Result;

/// Households by account: the accounts one after the other in `text`, and a table of each
/// one's (start, end) in it with its household id.
#[derive(Default)]
pub(super) struct Accounts {
    text: String,
    table: hashbrown::HashTable<(usize, usize, i64)>,
    hasher: foldhash::fast::FixedState,
}

impl Accounts {
    /// An empty map with room for `capacity` accounts.
    fn with_capacity(capacity: usize) -> Accounts {
        Accounts {
            text: String::with_capacity(capacity * 12),
            table: hashbrown::HashTable::with_capacity(capacity),
            hasher: Default::default(),
        }
    }

    /// The household of `account`.
    pub fn get(&self, account: &str) -> Option<i64> {
        let text = &self.text;
        self.table
            .find(self.hasher.hash_one(account), |&(start, end, _)| {
                text.get(start..end) == Some(account)
            })
            .map(|&(_, _, id)| id)
    }

    /// Records `account`'s household (in place of the one it had, if any).
    pub fn insert(&mut self, account: &str, id: i64) {
        let hash = self.hasher.hash_one(account);
        let Accounts {
            text,
            table,
            hasher,
        } = self;
        let entry = table.entry(
            hash,
            |&(start, end, _)| text.get(start..end) == Some(account),
            |&(start, end, _)| hasher.hash_one(text.get(start..end).unwrap_or_default()),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(mut e) => e.get_mut().2 = id,
            hashbrown::hash_table::Entry::Vacant(e) => {
                let start = text.len();
                text.push_str(account);
                e.insert((start, text.len(), id));
            }
        }
    }

    /// The number of accounts.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.table.len()
    }
}

/// Rows as the writer hands them over: their accounts one after the other, and each row's
/// end in that text with its id.
struct Chunk {
    text: String,
    rows: Vec<(usize, i64)>,
}

impl Chunk {
    fn with_capacity(rows: usize) -> Chunk {
        Chunk {
            text: String::with_capacity(rows * 12),
            rows: Vec::with_capacity(rows),
        }
    }
}

/// Rows handed to the map's thread at a time.
const CHUNK: usize = 4096;

/// Every household's account and id, in a map sized for `capacity` (the largest id: ids are
/// dense, so the map is not rehashed as it fills).
pub(super) fn load(conn: &Connection, capacity: usize) -> Result<Accounts> {
    let (tx, rx) = mpsc::sync_channel::<Chunk>(8);
    std::thread::scope(|scope| {
        let filling = scope.spawn(move || {
            let mut map = Accounts::with_capacity(capacity);
            for chunk in rx {
                let mut start = 0;
                for &(end, id) in &chunk.rows {
                    map.insert(chunk.text.get(start..end).unwrap_or_default(), id);
                    start = end;
                }
            }
            map
        });
        let stepped = step(conn, &tx);
        drop(tx);
        let map = filling
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        stepped.map(|()| map)
    })
}

/// Reads the rows, `CHUNK` at a time, into `tx` (stops early if the map's thread is gone).
fn step(conn: &Connection, tx: &mpsc::SyncSender<Chunk>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT account, id FROM households")?;
    let mut rows = stmt.query([])?;
    let mut chunk = Chunk::with_capacity(CHUNK);
    while let Some(r) = rows.next()? {
        let account = r.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        chunk.text.push_str(account);
        chunk.rows.push((chunk.text.len(), r.get::<_, i64>(1)?));
        if chunk.rows.len() == CHUNK {
            let full = std::mem::replace(&mut chunk, Chunk::with_capacity(CHUNK));
            if tx.send(full).is_err() {
                return Ok(());
            }
        }
    }
    let _ = tx.send(chunk);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_account_is_loaded_across_chunks() {
        let store = crate::store::Store::in_memory().expect("store");
        let n = (CHUNK * 2 + 17) as i64;
        let conn = store.conn();
        let tx = conn.unchecked_transaction().expect("tx");
        crate::store::bare_households(&tx, 1..=n);
        // Accounts of other lengths, with letters of more than one byte, across a chunk's end.
        let other = [1, CHUNK as i64, CHUNK as i64 + 1];
        for id in other {
            tx.execute(
                "UPDATE households SET account = ?2 WHERE id = ?1",
                rusqlite::params![id, format!("C-Élodie-{id}-€")],
            )
            .expect("account");
        }
        tx.commit().expect("commit");
        let mut map = load(conn, 10).expect("load");
        assert_eq!(map.len() as i64, n);
        let account = |id: i64| {
            if other.contains(&id) {
                format!("C-Élodie-{id}-€")
            } else {
                format!("411-{id}")
            }
        };
        assert!((1..=n).all(|id| map.get(&account(id)) == Some(id)));
        assert_eq!(map.get("411-0"), None);
        assert_eq!(
            map.get("C-Élodie-1-"),
            None,
            "a prefix of an account is not it"
        );
        // A household created by an import, and an account given another household.
        map.insert("411-nouveau", n + 1);
        map.insert("411-2", n + 2);
        assert_eq!(map.len() as i64, n + 1);
        assert_eq!(map.get("411-nouveau"), Some(n + 1));
        assert_eq!(map.get("411-2"), Some(n + 2));
    }
}
