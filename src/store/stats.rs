//! The figures' inputs for a period, per sector, read from the events and the account entries
//! (never from stored counters). Each table is read once, by ranges of its indexes; the
//! figures themselves are computed in `domain::figures`.
//!
//! A household counts in one sector: the sector of its lease in force on the period's last day
//! (else of its latest lease; see `domain::figures_calc::household_at`).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

use super::read::date;
use super::write::iso;
use super::{Result, StoreError};
use crate::domain::dossier::{OpenReason, Phase};
use crate::domain::figures::{FigureInputs, Period};
use crate::domain::figures_calc::{
    LeaseSpan, NO_SECTOR, SectorStats, count_flow, dossier_open, household_at, months_ending,
    phase_at,
};
use crate::domain::ledger::DebtByAge;

mod day_end;
mod events;
mod sums;
mod year_end;

/// Months of dossiers opened and closed the dashboard charts.
pub const FLOW_MONTHS: u32 = 24;

/// Where a household stood on the period's last day.
#[derive(Clone, Copy)]
pub(super) struct Hh {
    sector: usize,
    present: bool,
    /// The day it left, ISO (compared as bytes with entry dates).
    left_on: Option<[u8; 10]>,
}

/// Households by id (ids are small and dense: a vector beats a hash map on the hot loops).
#[derive(Default)]
pub(super) struct Households(Vec<Option<Hh>>);

impl Households {
    fn get(&self, id: i64) -> Option<&Hh> {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.0.get(i))
            .and_then(|h| h.as_ref())
    }

    fn insert(&mut self, id: i64, h: Hh) {
        let Ok(i) = usize::try_from(id) else { return };
        if i >= self.0.len() {
            self.0.resize(i + 1, None);
        }
        self.0[i] = Some(h);
    }

    fn values(&self) -> impl Iterator<Item = &Hh> {
        self.0.iter().flatten()
    }
}

/// Each dossier's household and reason for opening, by dossier id (ids are small and dense).
#[derive(Default)]
pub(super) struct DossierOf(Vec<Option<(i64, OpenReason)>>);

impl DossierOf {
    fn insert(&mut self, id: i64, household: i64, reason: OpenReason) {
        let Ok(i) = usize::try_from(id) else { return };
        if i >= self.0.len() {
            self.0.resize(i + 1, None);
        }
        self.0[i] = Some((household, reason));
    }

    /// The household, reason and slot (for per-dossier marks of `len()` slots) of a dossier.
    fn get(&self, id: i64) -> Option<(i64, OpenReason, usize)> {
        let i = usize::try_from(id).ok()?;
        let (h, r) = (*self.0.get(i)?)?;
        Some((h, r, i))
    }

    fn len(&self) -> usize {
        self.0.len()
    }
}

/// A stored ISO date as bytes.
fn iso_bytes(s: &str) -> Option<[u8; 10]> {
    s.as_bytes().try_into().ok()
}

/// Parses a stored ISO date (`2025-12-31`) without the general parser's cost.
fn fast_date(s: &str) -> Result<NaiveDate> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let parsed = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?))
        .flatten();
    match parsed {
        Some(d) => Ok(d),
        None => date(s),
    }
}

use super::read::text;

pub(super) type Map<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Reads the inputs of every figure for `period`, per sector.
pub fn sector_stats(conn: &Connection, period: Period) -> Result<SectorStats> {
    let (from, to) = (iso(period.from), iso(period.to));
    let mut sectors: Vec<(String, String)> = conn
        .prepare("SELECT code, name FROM sectors ORDER BY code")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let index: Map<String, usize> = sectors
        .iter()
        .enumerate()
        .map(|(k, (c, _))| (c.clone(), k))
        .collect();
    // Reads below go through a memory map: no system call per page (about half the time of
    // the table lookups on a large file). It only concerns this connection's reads.
    conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
    // One read transaction: one file lock for every query below instead of one per query
    // (two per open dossier), and reads that agree with each other.
    let _read = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let path = conn.path().filter(|p| !p.is_empty()).map(str::to_string);
    let own_path = path.clone();
    let read_households = std::sync::OnceLock::new();
    let (inputs, flows) = std::thread::scope(|scope| -> Result<_> {
        // What needs no household is read from the start on connections of their own, on the
        // other core while this one reads the households: the dossiers, the yearly sums of the
        // debts at a year's end and the phase changes after the period, and the events
        // (counted once the dossiers are).
        let dossier_rows = path.clone().map(|path| {
            scope.spawn(move || -> Result<Vec<Dossier>> {
                dossiers(&super::second_reader(&path, 1 << 30)?)
            })
        });
        // The open dossiers' households, for the yearly sums to carry over those without
        // entries in the year (in the sums' read transaction).
        let (send_open, open_ids) = std::sync::mpsc::channel::<Vec<i64>>();
        let year_sums = path.clone().map(|path| {
            let (at, to) = (period.to, &to);
            scope.spawn(
                move || -> Result<(Option<year_end::YearSums>, Map<i64, Phase>)> {
                    super::read_committed(&path, 1 << 30, |conn| {
                        let mut sums = year_end::year_sums(conn, at)?;
                        let first_change = phase_changes_after(conn, to)?;
                        if let (Some(sums), Ok(ids)) = (&mut sums, open_ids.recv()) {
                            year_end::carry(conn, sums, &ids)?;
                        }
                        Ok((sums, first_change))
                    })
                },
            )
        });
        let event_rows = path.clone().map(|path| {
            let (from, to) = (&from, &to);
            scope.spawn(move || -> Result<events::Rows> {
                events::read(&super::second_reader(&path, 1 << 30)?, from, to)
            })
        });
        // Kept outside the scope: the sums' thread borrows them.
        let read = households_at(conn, period.to, &index, &mut sectors)?;
        let households: &Households = read_households.get_or_init(|| read);
        // The sector of households without a lease, when there are any.
        let none = (sectors.len() > index.len()).then(|| sectors.len() - 1);
        let n = sectors.len();
        // The sums over the period's entries need the households' sectors: a second connection
        // does them on the other core while this one reads the dossiers.
        let sums = path.map(|path| {
            let (from, to, index) = (&from, &to, &index);
            scope.spawn(move || -> Result<Vec<FigureInputs>> {
                let second = super::second_reader(&path, 1 << 30)?;
                let mut part = vec![FigureInputs::default(); n];
                sums::period_sums(&second, from, to, households, index, none, &mut part)?;
                Ok(part)
            })
        });
        let mut inputs = vec![FigureInputs::default(); n];
        let mut flows = vec![months_ending(period.to, FLOW_MONTHS); n];
        for h in households.values().filter(|h| h.present) {
            inputs[h.sector].households += 1;
        }
        let dossiers = match dossier_rows {
            Some(handle) => handle
                .join()
                .map_err(|_| StoreError::Corrupt("lecture des dossiers interrompue".into()))??,
            None => dossiers(conn)?,
        };
        // The open dossier of each household on the last day (the latest opened if several).
        // By household id (a slot per household: no hash map over the open dossiers).
        let mut open: Vec<Option<&Dossier>> = vec![None; households.0.len()];
        for d in &dossiers {
            let Some(h) = households.get(d.household_id) else {
                continue;
            };
            count_flow(&mut flows[h.sector], d.opened_on, d.closed_on);
            if dossier_open(d.opened_on, d.closed_on, period.to) {
                let i = &mut inputs[h.sector];
                if h.present {
                    i.dossiers_present += 1;
                } else {
                    i.dossiers_departed += 1;
                }
                // Households' ids index `households`, hence `open`.
                if let Some(e) = usize::try_from(d.household_id)
                    .ok()
                    .and_then(|k| open.get_mut(k))
                {
                    match e {
                        Some(e) if d.opened_on <= e.opened_on => {}
                        _ => *e = Some(d),
                    }
                }
            }
        }
        // In household id order: the account index is then read front to back.
        let open: Vec<(i64, &Dossier)> = open
            .into_iter()
            .enumerate()
            .filter_map(|(h, d)| Some((i64::try_from(h).ok()?, d?)))
            .collect();
        let (year_sums, first_change) = match year_sums {
            Some(handle) => {
                // Unsent when the thread has gone (it then failed: its error is joined).
                let _ = send_open.send(open.iter().map(|(h, _)| *h).collect());
                handle.join().map_err(|_| {
                    StoreError::Corrupt("lecture des sommes annuelles interrompue".into())
                })??
            }
            None => {
                let mut sums = year_end::year_sums(conn, period.to)?;
                if let Some(sums) = &mut sums {
                    let ids: Vec<i64> = open.iter().map(|(h, _)| *h).collect();
                    year_end::carry(conn, sums, &ids)?;
                }
                (sums, phase_changes_after(conn, &to)?)
            }
        };
        let owed = match year_sums {
            Some(sums) => year_end::debts(&sums, households, &open),
            None => day_end::debts(conn, own_path.as_deref(), period.to, households, &open)?,
        };
        let mut dossier_of = DossierOf::default();
        for d in &dossiers {
            dossier_of.insert(d.id, d.household_id, d.open_reason);
        }
        let rows = match event_rows {
            Some(handle) => handle
                .join()
                .map_err(|_| StoreError::Corrupt("lecture des événements interrompue".into()))??,
            None => events::read(conn, &from, &to)?,
        };
        events::count(&rows, households, &dossier_of, &mut inputs);
        match sums {
            Some(handle) => {
                let part = handle
                    .join()
                    .map_err(|_| StoreError::Corrupt("calcul des sommes interrompu".into()))??;
                for (i, p) in inputs.iter_mut().zip(part) {
                    i.rent_called = p.rent_called;
                    i.receipts = p.receipts;
                    i.write_offs_count = p.write_offs_count;
                    i.write_offs_amount = p.write_offs_amount;
                    i.recovered_from_departed = p.recovered_from_departed;
                }
            }
            None => {
                sums::period_sums(conn, &from, &to, households, &index, none, &mut inputs)?;
            }
        }
        add_debts(&mut inputs, owed, &first_change);
        Ok((inputs, flows))
    })?;
    Ok(SectorStats {
        period,
        sectors,
        inputs,
        flows,
    })
}

/// Every household: its sector and presence on `at` (from its leases), and when it left. Three
/// plain table scans grouped here, cheaper than a join sorted by household.
fn households_at(
    conn: &Connection,
    at: NaiveDate,
    index: &Map<String, usize>,
    sectors: &mut Vec<(String, String)>,
) -> Result<Households> {
    fn slot<T: Default + Clone>(v: &mut Vec<T>, id: i64) -> Option<&mut T> {
        let i = usize::try_from(id).ok()?;
        if i >= v.len() {
            v.resize(i + 1, T::default());
        }
        v.get_mut(i)
    }
    let mut home_sector: Vec<usize> = Vec::new();
    // In sector order (its index): the code is looked up once per sector, not per home.
    let mut stmt = conn.prepare("SELECT id, sector FROM homes")?;
    let mut rows = stmt.query([])?;
    let mut last: (String, usize) = (String::from("\u{0}"), usize::MAX);
    while let Some(r) = rows.next()? {
        let code = text(r, 1)?;
        if last.0 != code {
            last = (
                code.to_string(),
                index.get(code).copied().unwrap_or(usize::MAX),
            );
        }
        if let Some(s) = slot(&mut home_sector, r.get(0)?) {
            *s = last.1;
        }
    }
    // Each household's sector and presence, from its leases read in household order (its
    // index): one list reused, no list kept per household.
    let mut standing: Vec<Option<(usize, bool)>> = Vec::new();
    let mut settle = |household: i64, leases: &[LeaseSpan<usize>]| {
        if let (Some(h), Some(s)) = (household_at(leases, at), slot(&mut standing, household)) {
            *s = Some((*h.sector, h.present));
        }
    };
    let mut stmt = conn.prepare(
        "SELECT household_id, home_id, start_on, end_on FROM leases ORDER BY household_id",
    )?;
    let mut rows = stmt.query([])?;
    let mut current: (i64, Vec<LeaseSpan<usize>>) = (i64::MIN, Vec::new());
    while let Some(r) = rows.next()? {
        let household: i64 = r.get(0)?;
        if household != current.0 {
            settle(current.0, &current.1);
            current = (household, std::mem::take(&mut current.1));
            current.1.clear();
        }
        let home: i64 = r.get(1)?;
        let sector = usize::try_from(home)
            .ok()
            .and_then(|h| home_sector.get(h).copied())
            .unwrap_or(usize::MAX);
        current.1.push(LeaseSpan {
            start: fast_date(text(r, 2)?)?,
            end: match r.get_ref(3)?.as_str_or_null().ok().flatten() {
                Some(e) => Some(fast_date(e)?),
                None => None,
            },
            sector,
        });
    }
    settle(current.0, &current.1);
    let mut out = Households::default();
    let mut lone = Vec::new();
    // Read from the index on the departure date: a few megabytes where the table is wide.
    let mut stmt = conn.prepare("SELECT id, left_on FROM households")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let left_text = r.get_ref(1)?.as_str_or_null().ok().flatten();
        let left_on = left_text.and_then(iso_bytes);
        let found = usize::try_from(id)
            .ok()
            .and_then(|i| standing.get(i).copied().flatten());
        match found {
            Some((sector, present)) if sector != usize::MAX => out.insert(
                id,
                Hh {
                    sector,
                    present,
                    left_on,
                },
            ),
            _ => {
                let left = left_text.map(fast_date).transpose()?;
                lone.push((id, left.is_none_or(|l| l > at), left_on));
            }
        }
    }
    // Households without any lease (created by an import) count in a sector of their own.
    if !lone.is_empty() {
        sectors.push((NO_SECTOR.into(), "Sans logement connu".into()));
    }
    let none = sectors.len().saturating_sub(1);
    for (id, present, left_on) in lone {
        out.insert(
            id,
            Hh {
                sector: none,
                present,
                left_on,
            },
        );
    }
    Ok(out)
}

struct Dossier {
    id: i64,
    household_id: i64,
    phase: Phase,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
    open_reason: OpenReason,
}

fn dossiers(conn: &Connection) -> Result<Vec<Dossier>> {
    let mut stmt = conn.prepare(
        "SELECT id, household_id, phase, opened_on, closed_on, open_reason FROM dossiers",
    )?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let phase = text(r, 2)?;
        let reason = text(r, 5)?;
        out.push(Dossier {
            id: r.get(0)?,
            household_id: r.get(1)?,
            phase: Phase::from_code(phase).ok_or_else(|| super::read::corrupt("phase", phase))?,
            opened_on: fast_date(text(r, 3)?)?,
            closed_on: match r.get_ref(4)?.as_str_or_null().ok().flatten() {
                Some(c) => Some(fast_date(c)?),
                None => None,
            },
            open_reason: OpenReason::from_code(reason)
                .ok_or_else(|| super::read::corrupt("motif d'ouverture", reason))?,
        });
    }
    Ok(out)
}

/// The phase each dossier left at its first change after `to` (its phase on `to`). Reads a
/// partial index of the phase changes alone, which holds the phase left (migration 11: no
/// table page and no JSON parsed per change), in index order: the
/// first change by (date, id) is kept here rather than sorted by SQLite.
fn phase_changes_after(conn: &Connection, to: &str) -> Result<Map<i64, Phase>> {
    let mut stmt = conn.prepare(
        "SELECT dossier_id, date, id, json_extract(data, '$.from') FROM events
         INDEXED BY events_phase_from WHERE kind = 'phase_change' AND date > ?1",
    )?;
    let mut rows = stmt.query([to])?;
    let mut first: Map<i64, ([u8; 10], i64, Phase)> = Map::default();
    while let Some(r) = rows.next()? {
        let from = r.get_ref(3)?.as_str_or_null().ok().flatten();
        let Some(p) = from.and_then(Phase::from_code) else {
            continue;
        };
        let (id, date_text, event): (i64, &str, i64) = (r.get(0)?, text(r, 1)?, r.get(2)?);
        let Some(date) = iso_bytes(date_text) else {
            return Err(super::read::corrupt("date d'événement", date_text));
        };
        let e = first.entry(id).or_insert((date, event, p));
        if (date, event) < (e.0, e.1) {
            *e = (date, event, p);
        }
    }
    Ok(first.into_iter().map(|(id, (_, _, p))| (id, p)).collect())
}

/// What one household with an open dossier owed on the last day.
struct Owed<'d> {
    hh: Hh,
    dossier: &'d Dossier,
    debt: Decimal,
    aged: DebtByAge,
}

/// Adds the debts by sector, presence, age and the dossier's phase on the last day.
fn add_debts(inputs: &mut [FigureInputs], owed: Vec<Owed<'_>>, first_change: &Map<i64, Phase>) {
    for Owed {
        hh: h,
        dossier: d,
        debt,
        aged,
    } in owed
    {
        let i = &mut inputs[h.sector];
        if h.present {
            i.debt_present += debt;
        } else {
            i.debt_departed += debt;
        }
        i.debt_by_age.lt_3_months += aged.lt_3_months;
        i.debt_by_age.from_3_to_12_months += aged.from_3_to_12_months;
        i.debt_by_age.gt_12_months += aged.gt_12_months;
        match phase_at(d.phase, first_change.get(&d.id).copied()) {
            Phase::Prevention => i.debt_by_phase.prevention += debt,
            Phase::Amicable => i.debt_by_phase.amicable += debt,
            Phase::Litigation => i.debt_by_phase.litigation += debt,
            Phase::Departed | Phase::Closed => i.debt_by_phase.departed += debt,
        }
    }
}
