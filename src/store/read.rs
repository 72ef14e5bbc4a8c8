//! Reads, returning domain types.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Result, StoreError};
use crate::domain::detection::Flag;
use crate::domain::dossier::{Cause, CloseReason, Dossier, OpenReason, Phase, Referents};
use crate::domain::event::{Event, EventDetail};
use crate::domain::household::{Home, Household, Lease, Role, Sector, Staff, TenantStatus};
use crate::domain::ledger::{Entry, EntryKind};
use crate::domain::money::from_cents;
use crate::domain::plan::{Plan, PlanStatus};
use crate::domain::portfolio::{HouseholdFile, HouseholdSummary, PortfolioRow};

pub(crate) fn date(s: &str) -> Result<NaiveDate> {
    crate::domain::dates::parse_iso(s)
        .ok_or_else(|| StoreError::Corrupt(format!("date « {s} » illisible")))
}

pub(crate) fn date_opt(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.as_deref().map(date).transpose()
}

/// An event's stored fields (the JSON of its kind), or the event named as unreadable.
pub(crate) fn event_detail(id: i64, data: &str) -> Result<EventDetail> {
    serde_json::from_str(data)
        .map_err(|e| StoreError::Corrupt(format!("évènement {id} illisible : {e}")))
}

pub(crate) fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} « {value} » inconnu"))
}

/// Numbers of households and open dossiers: an empty database opens on a help screen.
pub fn counts(conn: &Connection) -> Result<(i64, i64)> {
    Ok(conn.query_row(
        "SELECT (SELECT COUNT(*) FROM households),
                (SELECT COUNT(*) FROM dossiers WHERE closed_on IS NULL)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// All sectors, by code.
pub fn sectors(conn: &Connection) -> Result<Vec<Sector>> {
    let mut stmt = conn.prepare_cached("SELECT code, name FROM sectors ORDER BY code")?;
    let rows = stmt.query_map([], |r| {
        Ok(Sector {
            code: r.get(0)?,
            name: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All staff, by login, with their sectors.
pub fn staff(conn: &Connection) -> Result<Vec<Staff>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.login, s.full_name, s.role, s.phone,
                COALESCE((SELECT group_concat(sector, ',') FROM staff_sectors x
                          WHERE x.login = s.login), '')
         FROM staff s ORDER BY s.login",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (login, full_name, role, phone, sectors) = row?;
        out.push(Staff {
            login,
            full_name,
            role: Role::from_code(&role).ok_or_else(|| corrupt("rôle", &role))?,
            phone,
            sectors: sectors
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
        });
    }
    Ok(out)
}

pub(crate) const HOUSEHOLD_COLS: &str = "id, account, holder, co_holder, phone, email, size,
    housing_benefit_cents, status, left_on, forwarding_address";

pub(crate) fn household_row(r: &Row) -> rusqlite::Result<(Household, String, Option<String>)> {
    Ok((
        Household {
            id: r.get(0)?,
            account: r.get(1)?,
            holder: r.get(2)?,
            co_holder: r.get(3)?,
            phone: r.get(4)?,
            email: r.get(5)?,
            size: r.get(6)?,
            housing_benefit: from_cents(r.get(7)?),
            status: TenantStatus::Present,
            left_on: None,
            forwarding_address: r.get(10)?,
        },
        r.get(8)?,
        r.get(9)?,
    ))
}

pub(crate) fn finish_household(raw: (Household, String, Option<String>)) -> Result<Household> {
    let (mut h, status, left_on) = raw;
    h.status = TenantStatus::from_code(&status).ok_or_else(|| corrupt("statut", &status))?;
    h.left_on = date_opt(left_on)?;
    Ok(h)
}

/// A household by account number.
pub fn household_by_account(conn: &Connection, account: &str) -> Result<Household> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {HOUSEHOLD_COLS} FROM households WHERE account = ?1"
        ))?
        .query_row([account.trim()], household_row)
        .optional()?
        .ok_or_else(|| StoreError::UnknownAccount(account.trim().to_string()))?;
    finish_household(raw)
}

/// A household by id.
pub fn household(conn: &Connection, id: i64) -> Result<Household> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {HOUSEHOLD_COLS} FROM households WHERE id = ?1"
        ))?
        .query_row([id], household_row)?;
    finish_household(raw)
}

/// Columns of a lease joined with its home, read by `lease_home_row`.
pub(crate) const LEASE_HOME_COLS: &str = "l.id, l.household_id, l.home_id, l.start_on, \
     l.concluded_on, l.rent_cents, l.charges_cents, l.end_on, h.reference, h.address, \
     h.postcode, h.commune, h.departement, h.sector";

/// A lease and its home as stored, before their dates and amounts are checked.
pub(crate) type RawLeaseHome = (
    i64,
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    Option<String>,
    Home,
);

/// Reads the `LEASE_HOME_COLS` of a row.
pub(crate) fn lease_home_row(r: &Row<'_>) -> rusqlite::Result<RawLeaseHome> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        Home {
            id: r.get(2)?,
            reference: r.get(8)?,
            address: r.get(9)?,
            postcode: r.get(10)?,
            commune: r.get(11)?,
            departement: r.get(12)?,
            sector: r.get(13)?,
        },
    ))
}

/// Turns a stored lease row into domain types, refusing unreadable dates.
pub(crate) fn finish_lease_home(raw: RawLeaseHome) -> Result<(Lease, Home)> {
    let (id, household_id, home_id, start, concluded, rent, charges, end, home) = raw;
    Ok((
        Lease {
            id,
            household_id,
            home_id,
            start_on: date(&start)?,
            concluded_on: date(&concluded)?,
            rent: from_cents(rent),
            charges: from_cents(charges),
            end_on: date_opt(end)?,
        },
        home,
    ))
}

/// The household's current (or most recent) lease and its home.
pub fn current_lease(conn: &Connection, household_id: i64) -> Result<Option<(Lease, Home)>> {
    conn.prepare_cached(&format!(
        "SELECT {LEASE_HOME_COLS} FROM leases l JOIN homes h ON h.id = l.home_id
         WHERE l.household_id = ?1 ORDER BY l.start_on DESC, l.id DESC LIMIT 1"
    ))?
    .query_row([household_id], lease_home_row)
    .optional()?
    .map(finish_lease_home)
    .transpose()
}

/// A text column, borrowed from the row (no copy: the hot loops of the figures, the ledger's
/// filing and the batch files read millions of them).
pub(super) fn text<'r>(r: &'r Row<'_>, i: usize) -> Result<&'r str> {
    r.get_ref(i)?
        .as_str()
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The account's entries, oldest first. Read tier after tier in the index's order (see
/// `store::tiers`), then the two sorted runs merged by a stable sort.
pub fn entries(conn: &Connection, household_id: i64) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, date, kind, amount_cents, label, reference FROM entries
         WHERE tier IN (0, 1) AND household_id = ?1 ORDER BY tier, date, id",
    )?;
    let rows = stmt.query_map([household_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, d, kind, cents, label, reference) = row?;
        out.push(Entry {
            id,
            date: date(&d)?,
            kind: EntryKind::from_code(&kind).ok_or_else(|| corrupt("type d'écriture", &kind))?,
            amount: from_cents(cents),
            label,
            reference,
        });
    }
    out.sort_by_key(|e| (e.date, e.id));
    Ok(out)
}

pub(crate) const DOSSIER_COLS: &str = "id, household_id, phase, referent_cesf, referent_amicable,
    referent_litigation, causes, next_action, next_action_on, opened_on, open_reason,
    closed_on, close_reason";

pub(crate) type DossierRaw = (
    i64,
    i64,
    String,
    Referents,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

pub(crate) fn dossier_row(r: &Row) -> rusqlite::Result<DossierRaw> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        Referents {
            cesf: r.get(3)?,
            amicable: r.get(4)?,
            litigation: r.get(5)?,
        },
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
        r.get(9)?,
        r.get(10)?,
        r.get(11)?,
        r.get(12)?,
    ))
}

pub(crate) fn finish_dossier(raw: DossierRaw) -> Result<Dossier> {
    let (
        id,
        household_id,
        phase,
        referents,
        causes,
        next_action,
        next_on,
        opened,
        reason,
        closed,
        close_reason,
    ) = raw;
    Ok(Dossier {
        id,
        household_id,
        phase: Phase::from_code(&phase).ok_or_else(|| corrupt("phase", &phase))?,
        referents,
        causes: causes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| Cause::from_code(c).ok_or_else(|| corrupt("cause", c)))
            .collect::<Result<_>>()?,
        next_action,
        next_action_on: date_opt(next_on)?,
        opened_on: date(&opened)?,
        open_reason: OpenReason::from_code(&reason)
            .ok_or_else(|| corrupt("motif d'ouverture", &reason))?,
        closed_on: date_opt(closed)?,
        close_reason: close_reason
            .map(|c| CloseReason::from_code(&c).ok_or_else(|| corrupt("motif de clôture", &c)))
            .transpose()?,
    })
}

/// A household's dossiers, newest first.
pub fn dossiers(conn: &Connection, household_id: i64) -> Result<Vec<Dossier>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {DOSSIER_COLS} FROM dossiers WHERE household_id = ?1
         ORDER BY opened_on DESC, id DESC"
    ))?;
    let rows = stmt.query_map([household_id], dossier_row)?;
    rows.map(|r| finish_dossier(r?)).collect()
}

/// One dossier by id.
pub fn dossier(conn: &Connection, id: i64) -> Result<Dossier> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {DOSSIER_COLS} FROM dossiers WHERE id = ?1"
        ))?
        .query_row([id], dossier_row)
        .optional()?
        .ok_or_else(|| StoreError::Refused(format!("dossier {id} introuvable")))?;
    finish_dossier(raw)
}

/// The events of a household's dossiers, newest first.
pub fn events_of_household(conn: &Connection, household_id: i64) -> Result<Vec<Event>> {
    Ok(super::files::events_of(conn, "(?1)", &[household_id])?
        .into_iter()
        .map(|(_, event)| event)
        .collect())
}

/// The plans of a household's dossiers with their instalments, newest first.
pub fn plans_of_household(conn: &Connection, household_id: i64) -> Result<Vec<Plan>> {
    Ok(super::files::plans_of(conn, "(?1)", &[household_id])?
        .into_iter()
        .map(|(_, plan)| plan)
        .collect())
}

/// Everything about one household, for the dossier pane and `impayes show`.
pub fn household_file(conn: &Connection, household_id: i64) -> Result<HouseholdFile> {
    let household = household(conn, household_id)?;
    let (lease, home) = match current_lease(conn, household_id)? {
        Some((l, h)) => (Some(l), Some(h)),
        None => (None, None),
    };
    Ok(HouseholdFile {
        household,
        lease,
        home,
        entries: entries(conn, household_id)?,
        dossiers: dossiers(conn, household_id)?,
        events: events_of_household(conn, household_id)?,
        plans: plans_of_household(conn, household_id)?,
        versions: super::dossier_versions(conn, household_id)?,
        last_change: super::last_change(conn, household_id)?,
    })
}

/// The lease of a household that the portfolio and lookup join on: its newest.
const LATEST_LEASE: &str = "(SELECT l2.id FROM leases l2 WHERE l2.household_id = h.id
    ORDER BY l2.start_on DESC, l2.id DESC LIMIT 1)";

/// Every open dossier, as the portfolio lists it (unsorted: the pane sorts).
pub fn portfolio(conn: &Connection) -> Result<Vec<PortfolioRow>> {
    portfolio_where(conn, "d.closed_on IS NULL", [])
}

/// Portfolio rows of the dossiers `filter` keeps (a condition on `d`, the dossier, and `h`, its
/// household, with `params`): one query shape for the whole list, a page and one row.
pub(crate) fn portfolio_where(
    conn: &Connection,
    filter: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<PortfolioRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT d.id, h.id, h.account, h.holder, h.co_holder, COALESCE(hm.sector, ''), h.status,
                COALESCE(b.cents, 0),
                COALESCE(l.rent_cents + l.charges_cents, 0) - h.housing_benefit_cents,
                d.phase,
                CASE d.phase WHEN 'prevention' THEN d.referent_cesf
                             WHEN 'litigation' THEN d.referent_litigation
                             ELSE d.referent_amicable END,
                d.next_action, d.next_action_on, d.opened_on,
                (SELECT p.status FROM plans p WHERE p.dossier_id = d.id
                 ORDER BY p.signed_on DESC, p.id DESC LIMIT 1),
                (SELECT group_concat(f.flag) FROM dossier_flags f WHERE f.dossier_id = d.id)
         FROM dossiers d
         JOIN households h ON h.id = d.household_id
         LEFT JOIN balances b ON b.household_id = h.id
         LEFT JOIN leases l ON l.id = {LATEST_LEASE}
         LEFT JOIN homes hm ON hm.id = l.home_id
         WHERE {filter}"
    ))?;
    let rows = stmt.query_map(params, |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, i64>(7)?,
            r.get::<_, i64>(8)?,
            r.get::<_, String>(9)?,
            r.get::<_, Option<String>>(10)?,
            r.get::<_, Option<String>>(11)?,
            r.get::<_, Option<String>>(12)?,
            r.get::<_, String>(13)?,
            r.get::<_, Option<String>>(14)?,
            r.get::<_, Option<String>>(15)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            did,
            hid,
            account,
            holder,
            co,
            sector,
            status,
            bal,
            net,
            phase,
            referent,
            na,
            na_on,
            opened,
            plan,
            flags,
        ) = row?;
        out.push(PortfolioRow {
            dossier_id: did,
            household_id: hid,
            account,
            name: match co {
                Some(c) => format!("{holder} et {c}"),
                None => holder,
            },
            sector,
            status: TenantStatus::from_code(&status).ok_or_else(|| corrupt("statut", &status))?,
            debt: from_cents(bal),
            monthly_net: from_cents(net),
            phase: Phase::from_code(&phase).ok_or_else(|| corrupt("phase", &phase))?,
            referent,
            next_action: na,
            next_action_on: date_opt(na_on)?,
            opened_on: date(&opened)?,
            plan_status: plan
                .map(|p| PlanStatus::from_code(&p).ok_or_else(|| corrupt("statut de plan", &p)))
                .transpose()?,
            flags: flags
                .unwrap_or_default()
                .split(',')
                .filter(|f| !f.is_empty())
                .map(|f| Flag::from_code(f).ok_or_else(|| corrupt("alerte", f)))
                .collect::<Result<_>>()?,
        });
    }
    Ok(out)
}

/// Every household, for the lookup index (which folds its own keys: the stored `search_key`
/// is kept for SQL-side filtering and not read here, to keep this load light).
pub fn household_summaries(conn: &Connection) -> Result<Vec<HouseholdSummary>> {
    let mut out = Vec::new();
    household_summaries_after(conn, 0, i64::MAX, &mut |s| out.push(s))?;
    Ok(out)
}

/// Up to `limit` households with an id above `after`, by id, handed to `f` one by one (the
/// workstation builds its index from them without holding them all, a chunk at a time so
/// that other requests are answered in between); returns the last id read, if any.
pub fn household_summaries_after(
    conn: &Connection,
    after: i64,
    limit: i64,
    f: &mut dyn FnMut(HouseholdSummary),
) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT h.id, h.account, h.holder, h.co_holder,
                COALESCE(hm.address || ', ' || hm.postcode || ' ' || hm.commune, ''),
                h.phone, h.status, COALESCE(b.cents, 0),
                COALESCE(l.rent_cents + l.charges_cents, 0) - h.housing_benefit_cents,
                (SELECT d.phase FROM dossiers d WHERE d.household_id = h.id
                   AND d.closed_on IS NULL ORDER BY d.opened_on DESC LIMIT 1)
         FROM households h
         LEFT JOIN balances b ON b.household_id = h.id
         LEFT JOIN leases l ON l.id = {LATEST_LEASE}
         LEFT JOIN homes hm ON hm.id = l.home_id
         WHERE h.id > ?1
         ORDER BY h.id
         LIMIT ?2"
    ))?;
    let mut rows = stmt.query(params![after, limit])?;
    let mut last = None;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let holder: String = r.get(2)?;
        let co: Option<String> = r.get(3)?;
        let status: String = r.get(6)?;
        let phase: Option<String> = r.get(9)?;
        f(HouseholdSummary {
            household_id: id,
            account: r.get(1)?,
            name: match co {
                Some(c) => format!("{holder} et {c}"),
                None => holder,
            },
            address: r.get(4)?,
            phone: r.get(5)?,
            status: TenantStatus::from_code(&status).ok_or_else(|| corrupt("statut", &status))?,
            debt: from_cents(r.get(7)?),
            monthly_net: from_cents(r.get(8)?),
            phase: phase
                .map(|p| Phase::from_code(&p).ok_or_else(|| corrupt("phase", &p)))
                .transpose()?,
        });
        last = Some(id);
    }
    Ok(last)
}

/// The id of the household that holds a dossier.
pub fn household_of_dossier(conn: &Connection, dossier_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT household_id FROM dossiers WHERE id = ?1")?
        .query_row(params![dossier_id], |r| r.get(0))?)
}

/// Whether `login` may read CESF social notes: social workers (CESF) only (domain.md §7).
pub fn can_read_social_notes(conn: &Connection, login: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM staff WHERE login = ?1 AND role = 'cesf' AND active = 1")?
        .query_row([login], |_| Ok(()))
        .optional()?
        .is_some())
}

/// One dossier's portfolio row, or None when it is closed.
pub fn portfolio_row(conn: &Connection, dossier_id: i64) -> Result<Option<PortfolioRow>> {
    // The full query filtered on one id: the same columns and rules as `portfolio`.
    Ok(
        portfolio_where(conn, "d.id = ?1 AND d.closed_on IS NULL", [dossier_id])?
            .into_iter()
            .next(),
    )
}
