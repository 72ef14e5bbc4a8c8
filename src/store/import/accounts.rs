//! The accounts an import looks its lines up in: every household's account and id, read when
//! the import starts. At 500,000 households that is 627,560 rows, a quarter of a second on one
//! core while the file's reading threads, done with their share, leave the other core idle: the
//! rows are stepped here and put into the map on a second thread.

use std::collections::HashMap;
use std::sync::mpsc;

use rusqlite::Connection;

use crate::store::Result;

/// Households by account.
pub(super) type Accounts = HashMap<String, i64, foldhash::fast::FixedState>;

/// Rows handed to the map's thread at a time.
const CHUNK: usize = 4096;

/// Every household's account and id, in a map sized for `capacity` (the largest id: ids are
/// dense, so the map is not rehashed as it fills).
pub(super) fn load(conn: &Connection, capacity: usize) -> Result<Accounts> {
    let (tx, rx) = mpsc::sync_channel::<Vec<(String, i64)>>(8);
    std::thread::scope(|scope| {
        let filling = scope.spawn(move || {
            let mut map = Accounts::with_capacity_and_hasher(capacity, Default::default());
            for chunk in rx {
                map.extend(chunk);
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
fn step(conn: &Connection, tx: &mpsc::SyncSender<Vec<(String, i64)>>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT account, id FROM households")?;
    let mut rows = stmt.query([])?;
    let mut chunk = Vec::with_capacity(CHUNK);
    while let Some(r) = rows.next()? {
        chunk.push((r.get::<_, String>(0)?, r.get::<_, i64>(1)?));
        if chunk.len() == CHUNK {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK));
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
        tx.commit().expect("commit");
        let map = load(conn, 10).expect("load");
        assert_eq!(map.len() as i64, n);
        assert!((1..=n).all(|id| map.get(&format!("411-{id}")) == Some(&id)));
    }
}
