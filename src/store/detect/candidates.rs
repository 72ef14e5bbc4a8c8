//! The read side of the detection: which households to look at, and their assessments,
//! computed on both cores when the caller says which households its transaction changed.
//!
//! A household is looked at when it owes on the day (its cached balance less its entries dated
//! after the day, see `future_sums`) or has an open dossier. Reading a ledger
//! (and, for households on APL or departed, the dated events) is most of the work: when the
//! running transaction says what it wrote (`Written`: an import's added entries), a second,
//! read-only connection reads the committed rows of half of the households, adds the entries
//! the transaction added, and assesses them on the other core. Writes stay on the caller's
//! connection, in household order, after all the assessments.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::super::{Result, StoreError};
use super::{Written, date};
use crate::domain::calendar::Zone;
use crate::domain::detection::{Assessment, DetectionRules, HouseholdFacts, assess};
use crate::domain::dossier::Dossier;
use crate::domain::event::EventDetail;
use crate::domain::household::TenantStatus;
use crate::domain::ledger::{Entry, EntryKind};
use crate::domain::money::from_cents;
use crate::domain::plan::PlanStatus;
use crate::domain::prescription::Interruption;

/// One household the detection looks at.
pub(super) struct Candidate {
    pub hid: i64,
    pub account: String,
    pub status: TenantStatus,
    /// Balance on the day, in cents (entries dated after it left out).
    pub balance: i64,
    pub apl: i64,
    pub monthly: i64,
    pub sector: Option<String>,
    pub open: Option<Dossier>,
    pub zone: Zone,
}

/// The sums of the entries dated after `day` (ISO), by household, without an index on the
/// date (migration 12): the entries up to the watermark are those of the yearly sums' later
/// years, and in the day's own year those after it of the households whose latest entry of
/// the year is later (read from the account index, which holds household, date, id and
/// amount); the few entries past the watermark are read by id. Summed here rather than by
/// GROUP BY, which would sort the rows first.
pub(super) fn future_sums(conn: &Connection, day: &str) -> Result<HashMap<i64, i64>> {
    let mut future: HashMap<i64, i64> = HashMap::new();
    let upto = crate::store::ledger::watermark(conn)?;
    let year: i64 = day
        .get(0..4)
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| StoreError::Corrupt(format!("date « {day} » illisible")))?;
    let mut later =
        conn.prepare_cached("SELECT household_id, net_cents FROM ledger_years WHERE year > ?1")?;
    let mut rows = later.query([year])?;
    while let Some(r) = rows.next()? {
        let cents: i64 = r.get(1)?;
        if cents != 0 {
            *future.entry(r.get::<_, i64>(0)?).or_insert(0) += cents;
        }
    }
    drop(rows);
    // One statement for every household of the day's year with a later entry: SQLite seeks
    // each one's ranges of the account index (one per tier) without a statement run per
    // household. CROSS JOIN keeps the yearly rows outside: otherwise SQLite plans the index's
    // whole tier as the outer loop.
    let end = format!("{:04}-12-31", year);
    let mut same_year = conn.prepare_cached(SAME_YEAR_LATER)?;
    let mut rows = same_year.query(rusqlite::params![year, day, end, upto])?;
    while let Some(r) = rows.next()? {
        *future.entry(r.get::<_, i64>(0)?).or_insert(0) += r.get::<_, i64>(1)?;
    }
    drop(rows);
    let mut past_watermark = conn.prepare_cached(
        "SELECT household_id, amount_cents FROM entries WHERE id > ?1 AND +date > ?2",
    )?;
    let mut rows = past_watermark.query(rusqlite::params![upto, day])?;
    while let Some(r) = rows.next()? {
        *future.entry(r.get::<_, i64>(0)?).or_insert(0) += r.get::<_, i64>(1)?;
    }
    Ok(future)
}

/// The entries of the households of a year (?1) dated after the day (?2) up to the year's
/// end (?3), with ids up to the watermark (?4), by household.
const SAME_YEAR_LATER: &str = "SELECT y.household_id, e.amount_cents FROM ledger_years y
    CROSS JOIN entries e INDEXED BY entries_tier_household
        ON e.tier IN (0, 1) AND e.household_id = y.household_id
            AND e.date > ?2 AND e.date <= ?3 AND e.id <= ?4
    WHERE y.year = ?1 AND y.last_on > ?2";

/// The households to look at, in id order (the order dossiers are opened in, which decides
/// the referents' load): those owing on the day and those with an open dossier (`open`, each
/// household's latest, in household order).
pub(super) fn candidates(
    conn: &Connection,
    today: NaiveDate,
    open: Vec<Dossier>,
) -> Result<Vec<Candidate>> {
    let today_iso = super::iso(today);
    // Sums of the entries dated after the day, by household (usually none, or the last
    // import's future rent calls). See `future_sums`.
    let future = future_sums(conn, &today_iso)?;
    // Households owing on the day, from their cached balances (one pass over the narrow
    // table; a household without a row has a zero balance and no entries), and those with an
    // open dossier.
    let mut ids: Vec<i64> = open.iter().map(|d| d.household_id).collect();
    {
        let mut stmt = conn.prepare_cached("SELECT household_id, cents FROM balances")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (hid, balance): (i64, i64) = (r.get(0)?, r.get(1)?);
            if balance - future.get(&hid).copied().unwrap_or(0) > 0 {
                ids.push(hid);
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    let mut out: Vec<Candidate> = Vec::with_capacity(ids.len());
    let ids = serde_json::to_string(&ids).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    // No ORDER BY: SQLite reads the list in its order (CROSS JOIN keeps it the outer loop),
    // where sorting every row would cost a fifth of the query.
    let mut stmt = conn.prepare_cached(
        "SELECT h.id, h.account, h.status, COALESCE(b.cents, 0), h.housing_benefit_cents,
                COALESCE(l.rent_cents + l.charges_cents, 0), hm.sector, hm.departement
         FROM json_each(?1) c CROSS JOIN households h ON h.id = c.value
         LEFT JOIN balances b ON b.household_id = h.id
         LEFT JOIN leases l ON l.id = (SELECT l2.id FROM leases l2 WHERE l2.household_id = h.id
                                       ORDER BY l2.start_on DESC, l2.id DESC LIMIT 1)
         LEFT JOIN homes hm ON hm.id = l.home_id",
    )?;
    let mut rows = stmt.query([ids])?;
    while let Some(r) = rows.next()? {
        let hid: i64 = r.get(0)?;
        let status = text(r.get_ref(2)?)?;
        let status = TenantStatus::from_code(status)
            .ok_or_else(|| StoreError::Corrupt(format!("statut « {status} » inconnu")))?;
        let dept = match r.get_ref(7)? {
            ValueRef::Null => None,
            v => Some(text(v)?),
        };
        out.push(Candidate {
            hid,
            account: r.get(1)?,
            status,
            balance: r.get::<_, i64>(3)? - future.get(&hid).copied().unwrap_or(0),
            apl: r.get(4)?,
            monthly: r.get(5)?,
            sector: r.get(6)?,
            open: None,
            zone: dept.map(Zone::for_departement).unwrap_or(Zone::Metropole),
        });
    }
    if !out.is_sorted_by_key(|c| c.hid) {
        out.sort_by_key(|c| c.hid);
    }
    // Both in household order: each dossier goes to its household's candidate.
    let mut open = open.into_iter().peekable();
    for c in &mut out {
        while open.next_if(|d| d.household_id < c.hid).is_some() {}
        c.open = open.next_if(|d| d.household_id == c.hid);
    }
    out.retain(|c| c.balance > 0 || c.open.is_some());
    Ok(out)
}

pub(super) fn text<'a>(v: ValueRef<'a>) -> Result<&'a str> {
    v.as_str()
        .map_err(|e| StoreError::Corrupt(format!("valeur illisible : {e}")))
}

/// What the detection learns of one candidate.
pub(super) struct Assessed {
    /// What the rules say of it.
    pub assessment: Assessment,
    /// For a household with an active plan whose ledger was read, its plans that became
    /// broken or respected (`None`: its plans are still to follow).
    pub plans: Option<Vec<(i64, PlanStatus)>>,
}

/// What every assessment of a run shares: the day, the rules, what the transaction wrote, and
/// the households with an active plan (in id order).
#[derive(Clone, Copy)]
struct Run<'a> {
    today: NaiveDate,
    rules: &'a DetectionRules,
    written: Option<&'a Written>,
    planned: &'a [i64],
}

/// Reads ledgers and events of households on one connection, reusing its buffers.
struct Reader {
    entries: Vec<Entry>,
    caf_reports: Vec<NaiveDate>,
    interruptions: Vec<Interruption>,
}

impl Reader {
    fn new() -> Reader {
        Reader {
            entries: Vec::new(),
            caf_reports: Vec::new(),
            interruptions: Vec::new(),
        }
    }

    fn assess(
        &mut self,
        conn: &Connection,
        c: &Candidate,
        second: bool,
        run: &Run<'_>,
    ) -> Result<Assessed> {
        let Run {
            today,
            rules,
            written,
            planned,
        } = *run;
        self.entries.clear();
        self.caf_reports.clear();
        self.interruptions.clear();
        let mut plans = None;
        if c.balance > 0 {
            ledger(conn, c.hid, second, written, &mut self.entries)?;
            if planned.binary_search(&c.hid).is_ok() {
                plans = Some(super::plan_changes(
                    conn,
                    c.hid,
                    &self.entries,
                    today,
                    &rules.plan,
                )?);
            }
            if c.apl > 0 || c.status == TenantStatus::Departed {
                let mut stmt = conn.prepare_cached(
                    "SELECT e.date, e.data FROM events e JOIN dossiers d ON d.id = e.dossier_id
                     WHERE d.household_id = ?1
                       AND e.kind IN ('caf_report', 'plan_signed', 'summons', 'judgement')",
                )?;
                let mut q = stmt.query([c.hid])?;
                while let Some(r) = q.next()? {
                    let d = date(text(r.get_ref(0)?)?)?;
                    let data = text(r.get_ref(1)?)?;
                    let detail: EventDetail = serde_json::from_str(data)
                        .map_err(|e| StoreError::Corrupt(format!("évènement illisible : {e}")))?;
                    if matches!(detail, EventDetail::CafReport { .. }) {
                        self.caf_reports.push(d);
                    } else if let Some(i) = Interruption::from_event(d, &detail) {
                        self.interruptions.push(i);
                    }
                }
            }
        }
        let facts = HouseholdFacts {
            status: c.status,
            monthly_net: from_cents(c.monthly - c.apl),
            housing_benefit: c.apl > 0,
            entries: &self.entries,
            open_dossier: c.open.as_ref(),
            caf_reports: &self.caf_reports,
            interruptions: &self.interruptions,
            zone: c.zone,
        };
        Ok(Assessed {
            assessment: assess(&facts, today, rules),
            plans,
        })
    }
}

/// Which items may be handled on the second connection: every other one among those `may`
/// allows, when the caller's transaction says what it wrote (`written`) and the database is a
/// file (an in-memory one has no second connection).
pub(super) fn split(
    conn: &Connection,
    written: Option<&Written>,
    may: &[Option<i64>],
) -> Vec<bool> {
    let mut elsewhere = vec![false; may.len()];
    let file = conn.path().is_some_and(|p| !p.is_empty());
    if let (Some(written), true) = (written, file) {
        let mut take = false;
        for (slot, hid) in elsewhere.iter_mut().zip(may) {
            if let Some(hid) = hid
                && !written.other.contains(hid)
            {
                *slot = take;
                take = !take;
            }
        }
    }
    elsewhere
}

/// `f` over `items`, in their order: those marked `elsewhere` on a second, read-only
/// connection (one read transaction: the last committed state) on another thread, the others
/// on `conn` (`f` is told which). `S` is each side's scratch state.
pub(super) fn map_split<T: Sync, R: Send, S>(
    conn: &Connection,
    items: &[T],
    elsewhere: &[bool],
    state: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &Connection, bool, &T) -> Result<R> + Sync,
) -> Result<Vec<R>> {
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let theirs = elsewhere.iter().filter(|e| **e).count();
    let (mine, others) = std::thread::scope(|scope| -> Result<_> {
        let other = match (&path, theirs > 0) {
            (Some(path), true) => {
                let (state, f) = (&state, &f);
                Some(scope.spawn(move || -> Result<Vec<R>> {
                    let second = super::super::second_reader(path, crate::store::MAP_BYTES)?;
                    second.execute_batch("BEGIN")?;
                    let mut s = state();
                    let mut out = Vec::with_capacity(theirs);
                    for (item, _) in items.iter().zip(elsewhere).filter(|(_, e)| **e) {
                        out.push(f(&mut s, &second, true, item)?);
                    }
                    second.execute_batch("COMMIT")?;
                    Ok(out)
                }))
            }
            _ => None,
        };
        let mut s = state();
        let mut mine = Vec::with_capacity(items.len() - theirs);
        for (item, _) in items.iter().zip(elsewhere).filter(|(_, e)| !**e) {
            mine.push(f(&mut s, conn, false, item)?);
        }
        let others = match other {
            Some(h) => h
                .join()
                .map_err(|_| StoreError::Corrupt("lecture parallèle interrompue".into()))??,
            None => Vec::new(),
        };
        Ok((mine, others))
    })?;
    let (mut mine, mut others) = (mine.into_iter(), others.into_iter());
    let mut out = Vec::with_capacity(items.len());
    for e in elsewhere {
        let next = if *e { others.next() } else { mine.next() };
        out.push(next.ok_or_else(|| StoreError::Corrupt("évaluation manquante".into()))?);
    }
    Ok(out)
}

/// The assessment of every candidate, in their order, with the plans of those in `planned`
/// (households with an active plan, in id order) whose ledger is read; the ledgers of
/// households owing on the day that `written` does not list are shared with a second
/// connection (see `map_split`).
pub(super) fn assess_all(
    conn: &Connection,
    candidates: &[Candidate],
    today: NaiveDate,
    rules: &DetectionRules,
    written: Option<&Written>,
    planned: &[i64],
) -> Result<Vec<Assessed>> {
    // Only ledgers are worth a second connection (households owing on the day).
    let may: Vec<Option<i64>> = candidates
        .iter()
        .map(|c| (c.balance > 0).then_some(c.hid))
        .collect();
    let elsewhere = split(conn, written, &may);
    let run = Run {
        today,
        rules,
        written,
        planned,
    };
    map_split(
        conn,
        candidates,
        &elsewhere,
        Reader::new,
        |reader, conn, second, c| reader.assess(conn, c, second, &run),
    )
}

/// A household's entries as the detection reads them, from the account index alone (it holds
/// the kind since migration 15): no table row is read.
const LEDGER: &str = "SELECT date, kind, amount_cents, id, tier FROM entries
    WHERE tier IN (0, 1) AND household_id = ?1 ORDER BY tier, date, id";

/// A household's ledger as the rules read it (date, nature, amount; in date and id order). On
/// the second connection (`second`), the committed rows are completed with the entries the
/// running transaction added (their ids come after every committed one).
pub(super) fn ledger(
    conn: &Connection,
    household_id: i64,
    second: bool,
    written: Option<&Written>,
    out: &mut Vec<Entry>,
) -> Result<()> {
    out.clear();
    // Each tier's entries in the index's order (no sort in SQLite); when both tiers hold
    // some, the two runs are merged below by (date, id).
    let mut stmt = conn.prepare_cached(LEDGER)?;
    let mut q = stmt.query([household_id])?;
    let mut tiers = 0;
    while let Some(r) = q.next()? {
        let d = text(r.get_ref(0)?)?;
        let k = text(r.get_ref(1)?)?;
        tiers |= 1 << r.get::<_, i64>(4)?.clamp(0, 1);
        out.push(Entry {
            id: r.get(3)?,
            date: date(d)?,
            kind: EntryKind::from_code(k)
                .ok_or_else(|| StoreError::Corrupt(format!("type d'écriture « {k} » inconnu")))?,
            amount: from_cents(r.get(2)?),
            label: String::new(),
            reference: None,
        });
    }
    if tiers == 3 {
        // Two sorted runs: a stable sort merges them in one pass.
        out.sort_by_key(|e| (e.date, e.id));
    }
    if second && let Some(added) = written.and_then(|w| w.added.get(&household_id)) {
        out.extend(added.iter().map(|(d, kind, cents)| Entry {
            id: 0,
            date: *d,
            kind: *kind,
            amount: from_cents(*cents),
            label: String::new(),
            reference: None,
        }));
        // Stable: the committed rows stay before the new ones of the same day, as ids order them.
        out.sort_by_key(|e| e.date);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `future_sums` answers without a date index.
    fn by_definition(conn: &Connection, day: &str) -> Vec<(i64, i64)> {
        conn.prepare(
            "SELECT household_id, SUM(amount_cents) FROM entries WHERE date > ?1
             GROUP BY household_id HAVING SUM(amount_cents) <> 0 ORDER BY 1",
        )
        .expect("prepare")
        .query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
    }

    fn sorted(m: HashMap<i64, i64>) -> Vec<(i64, i64)> {
        let mut v: Vec<_> = m.into_iter().filter(|(_, c)| *c != 0).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn later_entries_are_sought_household_by_household() {
        let store = crate::store::Store::in_memory().expect("memory");
        let plan = crate::store::query_plan(
            store.conn(),
            SAME_YEAR_LATER,
            rusqlite::params![2026, "2026-11-22", "2026-12-31", 99],
        );
        // The yearly rows outside, each household's ranges of the index inside (not one
        // tier of the whole index scanned as the outer loop).
        assert!(plan[0].starts_with("SEARCH y"), "{plan:?}");
        assert!(
            plan[1].contains("(tier=? AND household_id=? AND date>? AND date<?)"),
            "{plan:?}"
        );
    }

    #[test]
    fn a_ledger_is_read_from_the_account_index_alone() {
        let store = crate::store::Store::in_memory().expect("memory");
        let plan = crate::store::query_plan(store.conn(), LEDGER, [7]);
        assert!(
            plan.iter()
                .any(|p| p.contains("USING COVERING INDEX entries_tier_household")),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
    }

    #[test]
    fn entries_after_the_day_are_summed_as_defined_without_a_date_index() {
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::Store::create(&dir.path().join("f.sqlite3")).expect("create");
        let conn = store.conn();
        let entry = |h: i64, date: &str, cents: i64| {
            conn.execute(
                "INSERT INTO entries (household_id, date, kind, amount_cents, label,
                    recorded_by, recorded_at) VALUES (?1, ?2, 'rent_call', ?3, 'x', 't', 't')",
                rusqlite::params![h, date, cents],
            )
            .expect("entry");
        };
        for h in 1..=5 {
            conn.execute(
                "INSERT INTO households (id, account, holder, status, created_by, created_at,
                    updated_by, updated_at) VALUES (?1, ?2, 'X', 'present', 't', 't', 't', 't')",
                rusqlite::params![h, format!("411-{h}")],
            )
            .expect("household");
        }
        // 1: before and on the day only; 2: later in the day's year; 3: a later year only;
        // 4: both, and an earlier year; 5: entries that cancel out after the day.
        for (h, date, cents) in [
            (1, "2026-11-01", 500),
            (1, "2026-11-22", 500),
            (2, "2026-03-01", 100),
            (2, "2026-12-05", 700),
            (3, "2027-01-05", 300),
            (4, "2025-12-31", 50),
            (4, "2026-11-23", 20),
            (4, "2028-02-01", -10),
            (5, "2026-12-01", 80),
            (5, "2026-12-02", -80),
        ] {
            entry(h, date, cents);
        }
        crate::store::ledger::catch_up(conn).expect("catch up");
        for day in [
            "2026-11-22",
            "2026-12-01",
            "2025-06-30",
            "2027-12-31",
            "2028-02-01",
        ] {
            let got = sorted(future_sums(conn, day).expect("sums"));
            assert_eq!(got, by_definition(conn, day), "{day}");
        }
        // Entries past the watermark (written without a catch-up) count too.
        entry(1, "2026-12-24", 9);
        entry(2, "2026-11-01", 4);
        entry(3, "2030-01-01", 1);
        for day in ["2026-11-22", "2026-12-24", "2029-12-31"] {
            let got = sorted(future_sums(conn, day).expect("sums"));
            assert_eq!(got, by_definition(conn, day), "{day}");
        }
        assert_eq!(
            sorted(future_sums(conn, "2026-11-22").expect("sums")),
            vec![(1, 9), (2, 700), (3, 301), (4, 10)]
        );
    }
}
