//! Household files in bulk, for the legal deadlines of many dossiers at once ("Mes actions",
//! the portfolio's legal-date column): five queries for the whole set instead of six per
//! household, and the deadline engine run on each.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use super::read::{
    DOSSIER_COLS, HOUSEHOLD_COLS, LEASE_HOME_COLS, corrupt, date, dossier_row, finish_dossier,
    finish_household, finish_lease_home, household_row, lease_home_row,
};
use crate::domain::event::Event;
use crate::domain::ledger::{Entry, EntryKind};
use crate::domain::money::from_cents;
use crate::domain::plan::{Instalment, Plan, PlanStatus};
use crate::domain::portfolio::HouseholdFile;
use crate::domain::procedure::{Deadline, Rules, deadlines};
use crate::domain::todo::{LegalDate, nearest_legal};

/// Which households to load.
#[derive(Debug, Clone, Copy)]
pub enum FileSet<'a> {
    /// Every household with an open dossier.
    OpenDossiers,
    /// These households.
    Only(&'a [i64]),
}

impl FileSet<'_> {
    /// The SQL set of household ids. A given set is written as a literal list of integers
    /// (ours, so nothing to escape): SQLite then probes the indexes once per id, where a
    /// `json_each` parameter made it scan whole tables (4 s instead of 0.1 s for one officer's
    /// 800 households of a 20,000-household demo).
    fn sql(&self) -> String {
        match self {
            FileSet::OpenDossiers => {
                "(SELECT household_id FROM dossiers WHERE closed_on IS NULL)".to_string()
            }
            FileSet::Only(ids) => {
                let mut ids = ids.to_vec();
                ids.sort_unstable();
                ids.dedup();
                let list: Vec<String> = ids.iter().map(i64::to_string).collect();
                format!("({})", list.join(","))
            }
        }
    }
}

/// Which parts of the files a bulk load reads beyond household, lease, home, dossiers and
/// events.
#[derive(Debug, Clone, Copy)]
struct Parts {
    /// Every entry of every household (the agenda's balances and plan follow-up), not only
    /// those of the present households with APL (the CAF report's).
    all_entries: bool,
    /// The plans and their instalments.
    plans: bool,
}

/// The files of a set of households as the deadline engine reads them: household, current
/// lease and home, dossiers and events, and the entries of the present households with APL,
/// the only ones the CAF report concerns, by date, kind and amount only (no label, no
/// reference: `domain::procedure::deadlines` reads the balance's days). Plans
/// are NOT loaded (the engine does not read them): these files are for computing, not for
/// showing.
pub fn deadline_files(conn: &Connection, set: FileSet<'_>) -> Result<Vec<HouseholdFile>> {
    load_files(
        conn,
        set,
        Parts {
            all_entries: false,
            plans: false,
        },
    )
}

/// The files of some households as the monthly agenda's rules read them: what the deadline
/// engine reads, plus every entry (without label or reference) and the plans with their
/// instalments. Seven queries for the whole set instead of
/// eight per household, which made the agenda of 108,000 open dossiers take 23 s; callers pass
/// a few thousand households at a time, since every entry of every one is held until the call
/// returns.
pub fn agenda_files(conn: &Connection, households: &[i64]) -> Result<Vec<HouseholdFile>> {
    load_files(
        conn,
        FileSet::Only(households),
        Parts {
            all_entries: true,
            plans: true,
        },
    )
}

fn load_files(conn: &Connection, set: FileSet<'_>, parts: Parts) -> Result<Vec<HouseholdFile>> {
    let ids = set.sql();
    // Not cached: a literal list changes the text, and five prepares are nothing here.
    let mut files: HashMap<i64, HouseholdFile> = HashMap::new();
    let mut order = Vec::new();
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT {HOUSEHOLD_COLS} FROM households WHERE id IN {ids} ORDER BY id"
        ))?;
        let rows = stmt.query_map([], household_row)?;
        for r in rows {
            let h = finish_household(r?)?;
            order.push(h.id);
            files.insert(
                h.id,
                HouseholdFile {
                    household: h,
                    lease: None,
                    home: None,
                    entries: Vec::new(),
                    dossiers: Vec::new(),
                    events: Vec::new(),
                    plans: Vec::new(),
                    // Not read by the deadline engine: left empty in batch loads.
                    versions: Vec::new(),
                    last_change: None,
                },
            );
        }
    }
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT {LEASE_HOME_COLS} FROM leases l JOIN homes h ON h.id = l.home_id
             WHERE l.household_id IN {ids}
             ORDER BY l.household_id, l.start_on, l.id"
        ))?;
        let rows = stmt.query_map([], lease_home_row)?;
        // Oldest first: the last one seen per household is its newest, as `current_lease`.
        for r in rows {
            let (lease, home) = finish_lease_home(r?)?;
            if let Some(f) = files.get_mut(&lease.household_id) {
                f.lease = Some(lease);
                f.home = Some(home);
            }
        }
    }
    if parts.plans {
        for plan in plans_of(conn, &ids, &[])? {
            if let Some(f) = files.get_mut(&plan.0) {
                f.plans.push(plan.1);
            }
        }
    }
    // Entries by date, kind and amount, from the account index alone (it holds the kind since
    // migration 15), whose pages hold a household's entries of a tier side by side: a table
    // row per entry, scattered over the file by month, made the portfolio's background pass of
    // legal dates read the disk for minutes at 500,000 households. The agenda reads every
    // household's (balances and plan follow-up); the deadline engine only the present
    // households with APL, the only ones the CAF report concerns.
    let scope = if parts.all_entries {
        ids.clone()
    } else {
        format!(
            "(SELECT id FROM households WHERE id IN {ids}
              AND housing_benefit_cents > 0 AND status = 'present')"
        )
    };
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT household_id, id, date, kind, amount_cents FROM entries
             WHERE tier IN (0, 1) AND household_id IN {scope}
             ORDER BY tier, household_id, date, id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let hid: i64 = r.get(0)?;
            let Some(f) = files.get_mut(&hid) else {
                continue;
            };
            let code = super::read::text(r, 3)?;
            f.entries.push(Entry {
                id: r.get(1)?,
                date: date(super::read::text(r, 2)?)?,
                kind: EntryKind::from_code(code).ok_or_else(|| corrupt("type d'écriture", code))?,
                amount: from_cents(r.get(4)?),
                label: String::new(),
                reference: None,
            });
        }
    }
    // Rows came tier after tier (the index's order, nothing sorted by SQLite): a household
    // with entries in both has two sorted runs, which a stable sort merges in one pass.
    for f in files.values_mut() {
        f.entries.sort_by_key(|e| (e.date, e.id));
    }
    {
        let mut stmt = conn.prepare(&format!(
            "SELECT {DOSSIER_COLS} FROM dossiers WHERE household_id IN {ids}
             ORDER BY opened_on DESC, id DESC"
        ))?;
        let rows = stmt.query_map([], dossier_row)?;
        for r in rows {
            let d = finish_dossier(r?)?;
            if let Some(f) = files.get_mut(&d.household_id) {
                f.dossiers.push(d);
            }
        }
    }
    for (hid, event) in events_of(conn, &ids, &[])? {
        if let Some(f) = files.get_mut(&hid) {
            f.events.push(event);
        }
    }
    Ok(order
        .into_iter()
        .filter_map(|id| files.remove(&id))
        .collect())
}

/// The events of the dossiers of a set of households (SQL list `ids`, whose `?` take `args`),
/// each with its household id, newest first (`events_of_household` is the set `(?1)`, a
/// statement the cache keeps).
pub(super) fn events_of(conn: &Connection, ids: &str, args: &[i64]) -> Result<Vec<(i64, Event)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.household_id, e.id, e.dossier_id, e.date, e.author, e.text, e.data,
                e.recorded_at
         FROM events e JOIN dossiers d ON d.id = e.dossier_id
         WHERE d.household_id IN {ids} ORDER BY e.date DESC, e.id DESC"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (hid, id, dossier_id, d, author, text, data, recorded_at) = r?;
        let detail = super::read::event_detail(id, &data)?;
        out.push((
            hid,
            Event {
                id,
                dossier_id,
                date: date(&d)?,
                author,
                text,
                detail,
                recorded_at,
            },
        ));
    }
    if args.is_empty() {
        // A literal list of ids: a statement nobody asks for again, kept out of the cache.
        stmt.discard();
    }
    Ok(out)
}

/// The plans of the dossiers of a set of households (SQL list `ids`, whose `?` take `args`)
/// with their instalments, each with its household id, newest first within a household
/// (`plans_of_household` is the set `(?1)`, statements the cache keeps).
pub(super) fn plans_of(conn: &Connection, ids: &str, args: &[i64]) -> Result<Vec<(i64, Plan)>> {
    let mut instalments: HashMap<i64, Vec<Instalment>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT i.plan_id, i.due_on, i.amount_cents FROM instalments i
             WHERE i.plan_id IN (SELECT p.id FROM plans p JOIN dossiers d ON d.id = p.dossier_id
                                 WHERE d.household_id IN {ids})
             ORDER BY i.plan_id, i.seq"
        ))?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for r in rows {
            let (plan, d, cents) = r?;
            instalments.entry(plan).or_default().push(Instalment {
                due_on: date(&d)?,
                amount: from_cents(cents),
            });
        }
        if args.is_empty() {
            stmt.discard();
        }
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.household_id, p.id, p.dossier_id, p.signed_on, p.amount_cents, p.caf_approved,
                p.status
         FROM plans p JOIN dossiers d ON d.id = p.dossier_id
         WHERE d.household_id IN {ids} ORDER BY p.signed_on DESC, p.id DESC"
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, bool>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (household, id, dossier_id, signed, cents, caf, status) = r?;
        out.push((
            household,
            Plan {
                id,
                dossier_id,
                signed_on: date(&signed)?,
                amount: from_cents(cents),
                caf_approved: caf,
                status: PlanStatus::from_code(&status)
                    .ok_or_else(|| corrupt("statut de plan", &status))?,
                instalments: instalments.remove(&id).unwrap_or_default(),
            },
        ));
    }
    if args.is_empty() {
        stmt.discard();
    }
    Ok(out)
}

/// The legal deadlines of each open dossier of a set of households, by dossier id.
pub fn deadlines_by_dossier(
    conn: &Connection,
    set: FileSet<'_>,
    today: NaiveDate,
    rules: &Rules,
) -> Result<HashMap<i64, Vec<Deadline>>> {
    let mut out = HashMap::new();
    for file in deadline_files(conn, set)? {
        if let Some(d) = file.open_dossier() {
            out.insert(d.id, deadlines(&file, today, rules));
        }
    }
    Ok(out)
}

/// The nearest legal date of each open dossier of a set (None when it has none), by dossier
/// id: the portfolio's column.
pub fn legal_dates(
    conn: &Connection,
    set: FileSet<'_>,
    today: NaiveDate,
    rules: &Rules,
) -> Result<Vec<(i64, Option<LegalDate>)>> {
    Ok(deadlines_by_dossier(conn, set, today, rules)?
        .into_iter()
        .map(|(id, d)| (id, nearest_legal(&d)))
        .collect())
}
