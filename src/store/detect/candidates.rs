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

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::super::{Result, StoreError};
use super::{Written, date};
use crate::domain::calendar::Zone;
use crate::domain::dates::parse_iso_bytes;
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

/// What the detection needs of each household of a JSON list of ids. No ORDER BY: SQLite reads
/// the list in its order (CROSS JOIN keeps it the outer loop), where sorting every row would
/// cost a fifth of the query.
const CANDIDATE_ROWS: &str = "SELECT h.id, h.account, h.status, COALESCE(b.cents, 0),
        h.housing_benefit_cents, COALESCE(l.rent_cents + l.charges_cents, 0), hm.sector,
        hm.departement
    FROM json_each(?1) c CROSS JOIN households h ON h.id = c.value
    LEFT JOIN balances b ON b.household_id = h.id
    LEFT JOIN leases l ON l.id = (SELECT l2.id FROM leases l2 WHERE l2.household_id = h.id
                                  ORDER BY l2.start_on DESC, l2.id DESC LIMIT 1)
    LEFT JOIN homes hm ON hm.id = l.home_id";

/// The households to look at, in id order (the order dossiers are opened in, which decides
/// the referents' load): those owing on the day and those with an open dossier (`open`, each
/// household's latest, in household order). `written`: what the running transaction wrote
/// (see `future_sums_after`).
pub(super) fn candidates(
    conn: &Connection,
    today: NaiveDate,
    open: Vec<Dossier>,
    written: Option<&Written>,
) -> Result<Vec<Candidate>> {
    // Sums of the entries dated after the day, by household (usually none, or the last
    // import's future rent calls).
    let future = super::future_sums::future_sums_after(conn, today, written)?;
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
    let mut stmt = conn.prepare_cached(CANDIDATE_ROWS)?;
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

/// A text column's value; any other type is a corrupt row.
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
                    crate::store::read_committed(path, crate::store::MAP_BYTES, |second| {
                        let mut s = state();
                        let mut out = Vec::with_capacity(theirs);
                        for (item, _) in items.iter().zip(elsewhere).filter(|(_, e)| **e) {
                            out.push(f(&mut s, second, true, item)?);
                        }
                        Ok(out)
                    })
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
const LEDGER: &str = "SELECT date, kind, amount_cents, id FROM entries
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
    // Each tier's entries in the index's order (no sort in SQLite); when the second run
    // starts before the end of the first, the two are merged below by (date, id).
    let mut stmt = conn.prepare_cached(LEDGER)?;
    let mut q = stmt.query([household_id])?;
    // Each column taken as SQLite holds it (no conversion layer, no UTF-8 check): a tenth of
    // the detection's time went to decoding the rows.
    let corrupt =
        |what: &str| StoreError::Corrupt(format!("écriture du ménage {household_id} : {what}"));
    let mut in_order = true;
    while let Some(r) = q.next()? {
        let (ValueRef::Text(d), ValueRef::Text(k), ValueRef::Integer(cents), ValueRef::Integer(id)) =
            (r.get_ref(0)?, r.get_ref(1)?, r.get_ref(2)?, r.get_ref(3)?)
        else {
            return Err(corrupt("colonne d'un type inattendu"));
        };
        let date = parse_iso_bytes(d).ok_or_else(|| {
            corrupt(&format!(
                "date « {} » illisible",
                String::from_utf8_lossy(d)
            ))
        })?;
        let kind = EntryKind::from_code_bytes(k).ok_or_else(|| {
            corrupt(&format!(
                "type d'écriture « {} » inconnu",
                String::from_utf8_lossy(k)
            ))
        })?;
        if let Some(last) = out.last()
            && (last.date, last.id) > (date, id)
        {
            in_order = false;
        }
        out.push(Entry {
            id,
            date,
            kind,
            amount: from_cents(cents),
            label: String::new(),
            reference: None,
        });
    }
    if !in_order {
        // Two sorted runs (one a tier): a stable sort merges them in one pass.
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

    #[test]
    fn candidates_are_read_in_the_lists_order_one_household_at_a_time() {
        let store = crate::store::Store::in_memory().expect("memory");
        let plan = crate::store::query_plan(store.conn(), CANDIDATE_ROWS, ["[1,2,3]"]);
        // The list outside, each household sought by id: not a scan of every household with
        // the list probed inside, and no sort of the rows.
        assert!(plan[0].contains("SCAN c VIRTUAL TABLE"), "{plan:?}");
        assert!(
            plan[1].contains("SEARCH h USING INTEGER PRIMARY KEY"),
            "{plan:?}"
        );
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
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
    fn a_ledger_merges_its_two_tiers_in_date_then_id_order() {
        let store = crate::store::Store::in_memory().expect("memory");
        let conn = store.conn();
        crate::store::bare_households(conn, [1]);
        // Settled entries around recent ones (an entry typed after an import is settled at
        // once), and two on the same day in id order across the tiers.
        for (id, tier, date, kind) in [
            (1, 0, "2026-01-01", "rent_call"),
            (2, 0, "2026-03-01", "rent_call"),
            (3, 1, "2026-02-01", "rent_call"),
            (4, 1, "2026-03-01", "payment"),
            (5, 0, "2026-03-01", "fees"),
            (6, 1, "2026-04-01", "housing_benefit"),
        ] {
            conn.execute(
                "INSERT INTO entries (id, household_id, date, kind, amount_cents, label,
                    recorded_by, recorded_at, tier) VALUES (?1, 1, ?2, ?3, 100, 'x', 't', 't', ?4)",
                rusqlite::params![id, date, kind, tier],
            )
            .expect("entry");
        }
        let mut out = Vec::new();
        ledger(conn, 1, false, None, &mut out).expect("ledger");
        let seen: Vec<(i64, String, &str)> = out
            .iter()
            .map(|e| (e.id, e.date.to_string(), e.kind.code()))
            .collect();
        let want = [
            (1, "2026-01-01", "rent_call"),
            (3, "2026-02-01", "rent_call"),
            (2, "2026-03-01", "rent_call"),
            (4, "2026-03-01", "payment"),
            (5, "2026-03-01", "fees"),
            (6, "2026-04-01", "housing_benefit"),
        ];
        let want: Vec<(i64, String, &str)> = want
            .iter()
            .map(|(i, d, k)| (*i, d.to_string(), *k))
            .collect();
        assert_eq!(seen, want);
    }
}
