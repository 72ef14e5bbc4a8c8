//! The figures' account sums kept current at write time (migration 7): per day, kind, sector
//! and "after the household left", the sum and count of the entries up to a watermark id.
//!
//! Upkeep is set-based, once per write: `catch_up` files the entries written since the
//! watermark (one grouped statement over the id range), and `refile` moves one household's
//! entries when its latest lease or its departure date changes. Readers stay exact without
//! relying on either: entries past the watermark are read from `entries`, and a household whose
//! filing does not match its state on the period's last day is corrected from its own entries
//! (see `stats_sums`).

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, params};

use super::Result;

/// The sector a household's entries are filed under: its latest lease's, '' without a lease.
pub(super) const FILED_SECTOR: &str =
    "COALESCE((SELECT ho.sector FROM leases l JOIN homes ho ON ho.id = l.home_id
        WHERE l.household_id = h.id ORDER BY l.start_on DESC, l.id DESC LIMIT 1), '')";

/// Adds the entries grouped by the query's last four columns (day, kind, sector, after) with
/// their sum and count to `ledger_days`.
const ADD_DAYS: &str = "INSERT INTO ledger_days (date, kind, sector, after_left, cents, n)
    SELECT e.date, e.kind, s.sector, s.left_on IS NOT NULL AND e.date > s.left_on,
        ?2 * SUM(e.amount_cents), ?2 * COUNT(*)
    FROM entries e JOIN ledger_households s ON s.household_id = e.household_id
    WHERE FILTER GROUP BY 1, 2, 3, 4
    ON CONFLICT (date, kind, sector, after_left)
    DO UPDATE SET cents = cents + excluded.cents, n = n + excluded.n";

/// A hash map with the store's fast hasher.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// How many households a read of per-household rows (the filings, a year's sums) must concern
/// before one pass over the table in key order beats a lookup each: a lookup costs about as
/// much as stepping sixteen rows, and the tables hold about a row per household (the largest
/// household id), so a small import into a large base looks its households up (6,000 lines at
/// 500,000 households: a scan of 627,560 rows took longer than the writer's own work).
pub(super) fn scan_above(conn: &Connection) -> Result<usize> {
    let largest: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM households")?
        .query_row([], |r| r.get(0))?;
    Ok((usize::try_from(largest).unwrap_or(0) / 16).max(2_000))
}

/// The highest entry id filed in `ledger_days`.
pub(super) fn watermark(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT last_entry_id FROM ledger_state WHERE id = 1")?
        .query_row([], |r| r.get(0))?)
}

/// Files the entries written since the watermark. Call it inside the transaction that wrote
/// them (after the last insert). It reads the new rows once by id range (they are in the page
/// cache), looks up each household's filing once, and adds a few hundred day rows: no sort and
/// no lookup per entry.
pub fn catch_up(conn: &Connection) -> Result<()> {
    let last = watermark(conn)?;
    let max: i64 = conn
        .prepare_cached("SELECT COALESCE(MAX(id), 0) FROM entries")?
        .query_row([], |r| r.get(0))?;
    if max <= last {
        return Ok(());
    }
    if max - last > BULK {
        return catch_up_bulk(conn, last, max);
    }
    // (household, date, kind) → (cents, count) of the new entries; kinds are interned.
    let mut kinds: Vec<String> = Vec::new();
    let mut new: NewSums = HashMap::default();
    let mut years = super::ledger_years::Pending::default();
    let mut stmt = conn.prepare_cached(
        "SELECT household_id, date, kind, amount_cents FROM entries WHERE id > ?1 AND id <= ?2",
    )?;
    let mut rows = stmt.query([last, max])?;
    while let Some(r) = rows.next()? {
        let date_text = super::read::text(r, 1)?;
        let Ok(date) = <[u8; 10]>::try_from(date_text.as_bytes()) else {
            return Err(super::read::corrupt("date d'écriture", date_text));
        };
        let kind = super::read::text(r, 2)?;
        let k = match kinds.iter().position(|x| x == kind) {
            Some(k) => k,
            None => {
                kinds.push(kind.to_string());
                kinds.len() - 1
            }
        };
        let v = new
            .entry((r.get(0)?, date, u8::try_from(k).unwrap_or(u8::MAX)))
            .or_insert((0, 0));
        v.0 += r.get::<_, i64>(3)?;
        v.1 += 1;
        years.add(r.get(0)?, &date, r.get(3)?);
    }
    drop(rows);
    years.save(conn)?;
    let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
    let mut new: Vec<super::ledger_filing::NewSum> = new
        .into_iter()
        .map(|((h, date, kind), (cents, n))| (h, date, kind, cents, n))
        .collect();
    new.sort_unstable_by_key(|k| k.0);
    super::ledger_filing::file_new(conn, &kinds, &new, max)
}

/// New entries summed by (household, ISO date, kind index into the caller's kind names).
pub(super) type NewSums = FastMap<(i64, [u8; 10], u8), (i64, i64)>;

/// Adds day rows ((date, kind, sector, after departure) → (cents, count)) to `ledger_days`
/// and moves the watermark to `max`: the end of every catch-up, small or bulk.
pub(super) fn save_days(
    conn: &Connection,
    days: impl IntoIterator<Item = ((String, String, String, bool), (i64, i64))>,
    max: i64,
) -> Result<()> {
    let mut add = conn.prepare_cached(
        "INSERT INTO ledger_days (date, kind, sector, after_left, cents, n)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (date, kind, sector, after_left)
         DO UPDATE SET cents = cents + excluded.cents, n = n + excluded.n",
    )?;
    for ((date, kind, sector, after), (cents, n)) in days {
        add.execute(params![date, kind, sector, after, cents, n])?;
    }
    conn.prepare_cached("UPDATE ledger_state SET last_entry_id = ?1 WHERE id = 1")?
        .execute([max])?;
    Ok(())
}

/// Above this many new entries (a whole demo history), `catch_up` sums by day over the table
/// instead of holding every new (household, day, kind) in memory.
pub(super) const BULK: i64 = 1_000_000;

/// `catch_up` for a very large batch: files the households, then one ordered pass.
fn catch_up_bulk(conn: &Connection, last: i64, max: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "INSERT OR IGNORE INTO ledger_households (household_id, sector, left_on)
         SELECT h.id, {FILED_SECTOR}, h.left_on FROM households h
         WHERE h.id IN (SELECT household_id FROM entries WHERE id > ?1)"
    ))?
    .execute([last])?;
    let days = days_from_entries(conn, last, max)?;
    super::ledger_years::file_range(conn, last, max)?;
    save_days(conn, days, max)
}

/// A row that may be missing.
fn optional<T>(r: rusqlite::Result<T>) -> rusqlite::Result<Option<T>> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Files one household's entries again under its current latest lease and departure date
/// (after a lease is added or the household leaves). Without this the figures stay exact, only
/// slower: the household is corrected from its entries at every read.
pub fn refile(conn: &Connection, household_id: i64) -> Result<()> {
    let filed: Option<(String, Option<String>)> = optional(
        conn.prepare_cached(
            "SELECT sector, left_on FROM ledger_households WHERE household_id = ?1",
        )?
        .query_row([household_id], |r| Ok((r.get(0)?, r.get(1)?))),
    )?;
    if filed.is_none() {
        return Ok(());
    }
    let current: Option<(String, Option<String>)> = optional(
        conn.prepare_cached(&format!(
            "SELECT {FILED_SECTOR}, h.left_on FROM households h WHERE h.id = ?1"
        ))?
        .query_row([household_id], |r| Ok((r.get(0)?, r.get(1)?))),
    )?;
    let (Some(current), Some(filed)) = (current, filed) else {
        return Ok(());
    };
    if current == filed {
        return Ok(());
    }
    let last = watermark(conn)?;
    let mut add = conn.prepare_cached(&ADD_DAYS.replace(
        "FILTER",
        "e.tier IN (0, 1) AND e.household_id = ?3 AND e.id <= ?1",
    ))?;
    add.execute(params![last, -1, household_id])?;
    conn.prepare_cached(
        "UPDATE ledger_households SET sector = ?2, left_on = ?3 WHERE household_id = ?1",
    )?
    .execute(params![household_id, current.0, current.1])?;
    add.execute(params![last, 1, household_id])?;
    Ok(())
}

/// One day's sums: (date, kind, sector, after the departure) → (cents, count).
pub(super) type Days = BTreeMap<(String, String, String, bool), (i64, i64)>;

/// The day sums of the entries with an id in `(after, upto]`, computed from `entries` and the
/// filing (the migration fills `ledger_days` with it; `check` compares): one pass over the
/// ledger in id order, summed in a hash map.
pub(super) fn days_from_entries(
    conn: &Connection,
    after: i64,
    upto: i64,
) -> rusqlite::Result<Days> {
    let mut sectors: Vec<String> = Vec::new();
    let mut sector_ids: HashMap<String, u32> = HashMap::new();
    let mut filed: Vec<Option<(u32, Option<Box<str>>)>> = Vec::new();
    let mut stmt = conn.prepare("SELECT household_id, sector, left_on FROM ledger_households")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let Ok(id) = usize::try_from(r.get::<_, i64>(0)?) else {
            continue;
        };
        let sector: String = r.get(1)?;
        let next = sectors.len() as u32;
        let s = *sector_ids.entry(sector.clone()).or_insert_with(|| {
            sectors.push(sector);
            next
        });
        let left: Option<Box<str>> = r.get::<_, Option<String>>(2)?.map(String::into_boxed_str);
        if id >= filed.len() {
            filed.resize(id + 1, None);
        }
        filed[id] = Some((s, left));
    }
    // One pass over the table in id order, summed by interned (date, kind, sector, after):
    // a few thousand groups, no sort and no allocation per entry.
    let mut stmt = conn.prepare(
        "SELECT kind, date, household_id, amount_cents FROM entries
         WHERE id > ?1 AND id <= ?2",
    )?;
    let mut rows = stmt.query([after, upto])?;
    let (mut dates, mut kinds) = (Interned::default(), Interned::default());
    let mut groups: FastMap<(u32, u32, u32, bool), (i64, i64)> = HashMap::default();
    while let Some(r) = rows.next()? {
        let Some(Some((s, left))) = usize::try_from(r.get::<_, i64>(2)?)
            .ok()
            .and_then(|i| filed.get(i))
        else {
            continue;
        };
        let kind = kinds.id(r.get_ref(0)?.as_str()?);
        let date = r.get_ref(1)?.as_str()?;
        // Text compares as bytes, as SQLite's BINARY collation does.
        let after = left.as_deref().is_some_and(|l| date > l);
        let v = groups
            .entry((dates.id(date), kind, *s, after))
            .or_insert((0, 0));
        v.0 += r.get::<_, i64>(3)?;
        v.1 += 1;
    }
    Ok(groups
        .into_iter()
        .map(|((d, k, s, after), v)| {
            (
                (
                    dates.names[d as usize].clone(),
                    kinds.names[k as usize].clone(),
                    sectors[s as usize].clone(),
                    after,
                ),
                v,
            )
        })
        .collect())
}

/// Strings numbered in order of first sight (dates and kinds while summing).
#[derive(Default)]
struct Interned {
    ids: HashMap<String, u32, foldhash::fast::RandomState>,
    names: Vec<String>,
}

impl Interned {
    fn id(&mut self, name: &str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }
}

/// Migration 7's hook: fills `ledger_days` from every entry.
pub(super) fn fill_days(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let upto: i64 = tx.query_row("SELECT last_entry_id FROM ledger_state", [], |r| r.get(0))?;
    let days = days_from_entries(tx, 0, upto)?;
    let mut insert = tx.prepare(
        "INSERT INTO ledger_days (date, kind, sector, after_left, cents, n)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for ((date, kind, sector, after), (cents, n)) in days {
        insert.execute(params![date, kind, sector, after, cents, n])?;
    }
    Ok(())
}

/// `check`: the day sums that differ from the entries (at most 20, described in French), and
/// the households with filed entries but no filing.
pub(super) fn mismatches(conn: &Connection) -> Result<Vec<String>> {
    let upto = watermark(conn)?;
    let expected = days_from_entries(conn, 0, upto)?;
    let mut stored = Days::new();
    let mut stmt =
        conn.prepare("SELECT date, kind, sector, after_left, cents, n FROM ledger_days")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v: (i64, i64) = (r.get(4)?, r.get(5)?);
        if v != (0, 0) {
            stored.insert((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?), v);
        }
    }
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<_> = expected.keys().chain(stored.keys()).collect();
    for k in keys {
        let (e, s) = (expected.get(k), stored.get(k));
        if e != s {
            let (date, kind, sector, after) = k;
            let show = |v: Option<&(i64, i64)>| {
                let (c, n) = v.copied().unwrap_or((0, 0));
                format!(
                    "{} ({n})",
                    crate::domain::money::format_eur(crate::domain::money::from_cents(c))
                )
            };
            out.push(format!(
                "{date} {kind} secteur « {sector} »{} : {} enregistré, {} d'après les écritures",
                if *after { " après départ" } else { "" },
                show(s),
                show(e)
            ));
            if out.len() >= 20 {
                break;
            }
        }
    }
    let missing: i64 = conn.query_row(
        "SELECT COUNT(*) FROM households h
         WHERE NOT EXISTS (SELECT 1 FROM ledger_households s WHERE s.household_id = h.id)
           AND EXISTS (SELECT 1 FROM entries e
                       WHERE e.tier IN (0, 1) AND e.household_id = h.id AND e.id <= ?1)",
        [upto],
        |r| r.get(0),
    )?;
    if missing > 0 {
        out.push(format!("{missing} ménage(s) aux écritures non classées"));
    }
    Ok(out)
}
