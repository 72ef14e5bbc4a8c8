//! The read side of the detection: which households to look at, and their assessments,
//! computed on both cores when the caller says which households its transaction changed.
//!
//! A household is looked at when it owes on the day (its cached balance less its entries dated
//! after the day, found on the kind-and-date index) or has an open dossier. Reading a ledger
//! (and, for households on APL or departed, the dated events) is most of the work: households
//! the running transaction did not write to read the same rows on a second, read-only
//! connection (the last committed state), so half of them are assessed on the other core.
//! Writes stay on the caller's connection, in household order, after all the assessments.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::super::{Result, StoreError};
use super::date;
use crate::domain::calendar::Zone;
use crate::domain::detection::{Assessment, DetectionRules, HouseholdFacts, assess};
use crate::domain::dossier::{Dossier, OpenReason, Phase, Referents};
use crate::domain::event::EventDetail;
use crate::domain::household::TenantStatus;
use crate::domain::ledger::{Entry, EntryKind};
use crate::domain::money::from_cents;
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

const KINDS_SQL: &str = "'rent_call', 'payment', 'housing_benefit', 'aid', 'regularisation', \
                         'fees', 'credit_note', 'write_off'";

/// The households to look at, in id order (the order dossiers are opened in, which decides
/// the referents' load).
pub(super) fn candidates(conn: &Connection, today: NaiveDate) -> Result<Vec<Candidate>> {
    let today_iso = super::iso(today);
    // Sums of the entries dated after the day, by household: a range of the kind-and-date
    // index per kind (usually empty, or the last import's future rent calls).
    let mut future: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT household_id, SUM(amount_cents) FROM entries
             WHERE kind IN ({KINDS_SQL}) AND date > ?1 GROUP BY household_id"
        ))?;
        let rows = stmt.query_map([&today_iso], |r| Ok((r.get(0)?, r.get(1)?)))?;
        for row in rows {
            let (hid, sum): (i64, i64) = row?;
            future.insert(hid, sum);
        }
    }
    let mut stmt = conn.prepare_cached(
        "WITH c(id) AS (
             SELECT id FROM households WHERE balance_cents > 0
             UNION SELECT household_id FROM dossiers WHERE closed_on IS NULL
             UNION SELECT value FROM json_each(?1))
         SELECT h.id, h.account, h.status, h.balance_cents, h.housing_benefit_cents,
                COALESCE(l.rent_cents + l.charges_cents, 0), hm.sector,
                d.id, d.phase, d.opened_on, d.open_reason, hm.departement
         FROM c JOIN households h ON h.id = c.id
         LEFT JOIN leases l ON l.id = (SELECT l2.id FROM leases l2 WHERE l2.household_id = h.id
                                       ORDER BY l2.start_on DESC, l2.id DESC LIMIT 1)
         LEFT JOIN homes hm ON hm.id = l.home_id
         LEFT JOIN dossiers d ON d.id = (SELECT d2.id FROM dossiers d2
                                         WHERE d2.household_id = h.id AND d2.closed_on IS NULL
                                         ORDER BY d2.opened_on DESC, d2.id DESC LIMIT 1)
         ORDER BY h.id",
    )?;
    // Households with entries after the day may owe on it whatever their cached balance.
    let with_future = serde_json::to_string(&future.keys().collect::<Vec<_>>())
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut rows = stmt.query([with_future])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let hid: i64 = r.get(0)?;
        let balance = r.get::<_, i64>(3)? - future.get(&hid).copied().unwrap_or(0);
        let did: Option<i64> = r.get(7)?;
        if balance <= 0 && did.is_none() {
            continue;
        }
        let status: String = r.get(2)?;
        let status = TenantStatus::from_code(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("statut « {status} » inconnu")))?;
        let phase: Option<String> = r.get(8)?;
        let opened: Option<String> = r.get(9)?;
        let reason: Option<String> = r.get(10)?;
        let open = match (did, phase, opened, reason) {
            (Some(id), Some(phase), Some(opened), Some(reason)) => Some(Dossier {
                id,
                household_id: hid,
                phase: Phase::from_code(&phase)
                    .ok_or_else(|| StoreError::Corrupt(format!("phase « {phase} » inconnue")))?,
                referents: Referents::default(),
                causes: Vec::new(),
                next_action: None,
                next_action_on: None,
                opened_on: date(&opened)?,
                open_reason: OpenReason::from_code(&reason).ok_or_else(|| {
                    StoreError::Corrupt(format!("motif d'ouverture « {reason} » inconnu"))
                })?,
                closed_on: None,
                close_reason: None,
            }),
            _ => None,
        };
        let dept: Option<String> = r.get(11)?;
        out.push(Candidate {
            hid,
            account: r.get(1)?,
            status,
            balance,
            apl: r.get(4)?,
            monthly: r.get(5)?,
            sector: r.get(6)?,
            open,
            zone: dept
                .as_deref()
                .map(Zone::for_departement)
                .unwrap_or(Zone::Metropole),
        });
    }
    Ok(out)
}

fn text<'a>(v: ValueRef<'a>) -> Result<&'a str> {
    v.as_str()
        .map_err(|e| StoreError::Corrupt(format!("valeur illisible : {e}")))
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
        today: NaiveDate,
        rules: &DetectionRules,
    ) -> Result<Assessment> {
        self.entries.clear();
        self.caf_reports.clear();
        self.interruptions.clear();
        if c.balance > 0 {
            let mut stmt = conn.prepare_cached(
                "SELECT date, kind, amount_cents FROM entries WHERE household_id = ?1
                 ORDER BY date, id",
            )?;
            let mut q = stmt.query([c.hid])?;
            while let Some(r) = q.next()? {
                let d = text(r.get_ref(0)?)?;
                let k = text(r.get_ref(1)?)?;
                self.entries.push(Entry {
                    id: 0,
                    date: date(d)?,
                    kind: EntryKind::from_code(k).ok_or_else(|| {
                        StoreError::Corrupt(format!("type d'écriture « {k} » inconnu"))
                    })?,
                    amount: from_cents(r.get(2)?),
                    label: String::new(),
                    reference: None,
                });
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
        Ok(assess(&facts, today, rules))
    }
}

/// The assessment of every candidate, in their order. `written`: the households whose entries
/// or events the caller's transaction changed, when it knows them; the other households' rows
/// are then the committed ones, and every other one of them is read on a second connection.
pub(super) fn assess_all(
    conn: &Connection,
    candidates: &[Candidate],
    today: NaiveDate,
    rules: &DetectionRules,
    written: Option<&HashSet<i64>>,
) -> Result<Vec<Assessment>> {
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let mut elsewhere = vec![false; candidates.len()];
    if let (Some(written), Some(_)) = (written, &path) {
        let mut take = false;
        for (i, c) in candidates.iter().enumerate() {
            // Only ledgers are worth a second connection (households owing on the day).
            if c.balance > 0 && !written.contains(&c.hid) {
                elsewhere[i] = take;
                take = !take;
            }
        }
    }
    let theirs = elsewhere.iter().filter(|e| **e).count();
    let (mine, others) = std::thread::scope(|scope| -> Result<_> {
        let other = match (&path, theirs > 0) {
            (Some(path), true) => {
                let elsewhere = &elsewhere;
                Some(scope.spawn(move || -> Result<Vec<Assessment>> {
                    let second = Connection::open_with_flags(
                        path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    second.busy_timeout(super::super::BUSY_TIMEOUT)?;
                    second.pragma_update(None, "mmap_size", 1i64 << 31)?;
                    // One read transaction: every ledger from the same committed state.
                    second.execute_batch("BEGIN")?;
                    let mut reader = Reader::new();
                    let mut out = Vec::with_capacity(theirs);
                    for (c, _) in candidates.iter().zip(elsewhere).filter(|(_, e)| **e) {
                        out.push(reader.assess(&second, c, today, rules)?);
                    }
                    second.execute_batch("COMMIT")?;
                    Ok(out)
                }))
            }
            _ => None,
        };
        let mut reader = Reader::new();
        let mut mine = Vec::with_capacity(candidates.len() - theirs);
        for (c, _) in candidates.iter().zip(&elsewhere).filter(|(_, e)| !**e) {
            mine.push(reader.assess(conn, c, today, rules)?);
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
    let mut out = Vec::with_capacity(candidates.len());
    for e in elsewhere {
        let next = if e { others.next() } else { mine.next() };
        out.push(next.ok_or_else(|| StoreError::Corrupt("évaluation manquante".into()))?);
    }
    Ok(out)
}
