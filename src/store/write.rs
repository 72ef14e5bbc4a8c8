//! Writes. Each function takes a connection that is already inside a transaction (see
//! `Store::write`), so that a caller groups what forms one logical change; statements are
//! cached because the demo and imports call these hundreds of thousands of times.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError};
use crate::domain::dossier::{Dossier, Phase};
use crate::domain::event::EventDetail;
use crate::domain::fold::fold_key;
use crate::domain::household::{Home, Household, Lease, Sector, Staff};
use crate::domain::ledger::Entry;
use crate::domain::money::to_cents;
use crate::domain::plan::{Plan, PlanStatus};

/// Who writes and when: recorded with every change so that it is attributable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// Login of the author.
    pub user: String,
    /// ISO timestamp of the change.
    pub at: String,
}

impl Stamp {
    /// A stamp for `user` now (UTC, to the second).
    pub fn now(user: &str) -> Stamp {
        Stamp {
            user: user.to_string(),
            at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        }
    }

    /// A stamp at midnight of `date`, for generated or imported history.
    pub fn on(user: &str, date: NaiveDate) -> Stamp {
        Stamp {
            user: user.to_string(),
            at: format!("{}T00:00:00Z", date.format("%Y-%m-%d")),
        }
    }
}

pub(crate) fn iso(d: NaiveDate) -> String {
    crate::domain::dates::format_iso(d)
}

fn iso_opt(d: Option<NaiveDate>) -> Option<String> {
    d.map(iso)
}

/// The folded text the lookup matches: names, account, address, phone (also without spaces).
pub fn search_key(account: &str, names: &str, address: &str, phone: Option<&str>) -> String {
    let phone = phone.unwrap_or("");
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    fold_key(&format!("{names} {account} {address} {phone} {digits}"))
}

/// Adds a sector.
pub fn insert_sector(conn: &Connection, s: &Sector) -> Result<()> {
    conn.prepare_cached("INSERT INTO sectors (code, name) VALUES (?1, ?2)")?
        .execute(params![s.code, s.name])?;
    Ok(())
}

/// Adds a member of staff and the sectors they cover.
pub fn insert_staff(conn: &Connection, s: &Staff) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO staff (login, full_name, role, phone) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![s.login, s.full_name, s.role.code(), s.phone])?;
    for sector in &s.sectors {
        conn.prepare_cached("INSERT INTO staff_sectors (login, sector) VALUES (?1, ?2)")?
            .execute(params![s.login, sector])?;
    }
    Ok(())
}

/// Adds a home; returns its id.
pub fn insert_home(conn: &Connection, h: &Home) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO homes (reference, address, postcode, commune, departement, sector)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        h.reference,
        h.address,
        h.postcode,
        h.commune,
        h.departement,
        h.sector
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Adds a household; `address` feeds the lookup key. Returns its id.
pub fn insert_household(
    conn: &Connection,
    h: &Household,
    address: &str,
    stamp: &Stamp,
) -> Result<i64> {
    let key = search_key(&h.account, &h.names(), address, h.phone.as_deref());
    conn.prepare_cached(
        "INSERT INTO households (account, holder, co_holder, phone, email, size,
            housing_benefit_cents, status, left_on, forwarding_address, search_key,
            created_by, created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12, ?13)",
    )?
    .execute(params![
        h.account,
        h.holder,
        h.co_holder,
        h.phone,
        h.email,
        h.size,
        to_cents(h.housing_benefit),
        h.status.code(),
        iso_opt(h.left_on),
        h.forwarding_address,
        key,
        stamp.user,
        stamp.at
    ])
    .map_err(|e| match e.sqlite_error() {
        // Only the UNIQUE constraint on the account: a CHECK (size > 0) is another fault.
        Some(f) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE => {
            StoreError::Refused(format!("le compte « {} » existe déjà", h.account))
        }
        _ => e.into(),
    })?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO balances (household_id, cents) VALUES (?1, 0)")?
        .execute([id])?;
    Ok(id)
}

/// Adds `cents` to a household's cached balance (`balances`, migration 13), creating its row if
/// it has none (readers take a missing row as zero).
pub(super) fn add_to_balance(conn: &Connection, household_id: i64, cents: i64) -> Result<()> {
    let updated = conn
        .prepare_cached("UPDATE balances SET cents = cents + ?2 WHERE household_id = ?1")?
        .execute(params![household_id, cents])?;
    if updated == 0 {
        conn.prepare_cached("INSERT INTO balances (household_id, cents) VALUES (?1, ?2)")?
            .execute(params![household_id, cents])?;
    }
    Ok(())
}

/// Adds each household's balance change (household, cents) to its balance, in household
/// order: one sweep of the balances table rather than a page at random per row.
pub(super) fn add_to_balances(conn: &Connection, mut deltas: Vec<(i64, i64)>) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("UPDATE balances SET cents = cents + ?2 WHERE household_id = ?1")?;
    super::merge::sort_and_merge(&mut deltas, |d| d.0, |kept, next| kept.1 += next.1);
    for (id, delta) in deltas {
        if delta != 0 && stmt.execute(params![id, delta])? == 0 {
            add_to_balance(conn, id, delta)?;
        }
    }
    Ok(())
}

/// Records that a household left its home (status departed), or changes its APL.
pub fn update_household_status(conn: &Connection, h: &Household, stamp: &Stamp) -> Result<()> {
    conn.prepare_cached(
        "UPDATE households SET status = ?2, left_on = ?3, forwarding_address = ?4,
            housing_benefit_cents = ?5, updated_by = ?6, updated_at = ?7 WHERE id = ?1",
    )?
    .execute(params![
        h.id,
        h.status.code(),
        iso_opt(h.left_on),
        h.forwarding_address,
        to_cents(h.housing_benefit),
        stamp.user,
        stamp.at
    ])?;
    super::ledger::refile(conn, h.id)?;
    Ok(())
}

/// Adds a lease; returns its id.
pub fn insert_lease(conn: &Connection, l: &Lease) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO leases (household_id, home_id, start_on, concluded_on, rent_cents,
            charges_cents, end_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        l.household_id,
        l.home_id,
        iso(l.start_on),
        iso(l.concluded_on),
        to_cents(l.rent),
        to_cents(l.charges),
        iso_opt(l.end_on)
    ])?;
    let id = conn.last_insert_rowid();
    super::ledger::refile(conn, l.household_id)?;
    Ok(id)
}

/// Ends a lease on `end_on`.
pub fn end_lease(conn: &Connection, lease_id: i64, end_on: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE leases SET end_on = ?2 WHERE id = ?1")?
        .execute(params![lease_id, iso(end_on)])?;
    Ok(())
}

/// Ends the household's current lease, if it has one, on `end_on`.
pub fn current_lease_end(conn: &Connection, household_id: i64, end_on: NaiveDate) -> Result<()> {
    if let Some((lease, _)) = super::current_lease(conn, household_id)? {
        end_lease(conn, lease.id, end_on)?;
    }
    Ok(())
}

/// Adds an account entry and keeps the household's cached balance current. An entry whose
/// reference is already on the account is skipped (imports are idempotent): returns None.
pub fn insert_entry(
    conn: &Connection,
    household_id: i64,
    e: &Entry,
    stamp: &Stamp,
) -> Result<Option<i64>> {
    let cents = to_cents(e.amount);
    if let Some(r) = &e.reference
        && super::tiers::holds_reference(conn, super::tiers::RECENT, household_id, r)?
    {
        return Ok(None);
    }
    let inserted = conn
        .prepare_cached(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
                recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (tier, household_id, reference) WHERE reference IS NOT NULL DO NOTHING",
        )?
        .execute(params![
            household_id,
            iso(e.date),
            e.kind.code(),
            cents,
            e.label,
            e.reference,
            stamp.user,
            stamp.at
        ])?;
    if inserted == 0 {
        return Ok(None);
    }
    let id = conn.last_insert_rowid();
    add_to_balance(conn, household_id, cents)?;
    super::ledger::catch_up(conn)?;
    Ok(Some(id))
}

/// Adds entries to one account in bulk, updating its cached balance once at the end (the
/// demo and large imports: `insert_entry` updates the household row once per entry). The
/// caller files them in the figures' day sums with `catch_up` before its transaction ends. Entries
/// whose reference is already on the account are skipped, as with `insert_entry`. Returns how
/// many were added.
pub fn insert_entries<'a>(
    conn: &Connection,
    household_id: i64,
    entries: impl IntoIterator<Item = (&'a Entry, &'a Stamp)>,
) -> Result<usize> {
    // Entries without a reference cannot conflict: the plain statement is cheaper.
    let mut plain = conn.prepare_cached(
        "INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
            recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut upsert = conn.prepare_cached(
        "INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
            recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (tier, household_id, reference) WHERE reference IS NOT NULL DO NOTHING",
    )?;
    let (mut added, mut total) = (0, 0i64);
    for (e, stamp) in entries {
        let cents = to_cents(e.amount);
        // Written to tier 0: the recent tier (imports) is looked in first.
        if let Some(r) = &e.reference
            && super::tiers::holds_reference(conn, super::tiers::RECENT, household_id, r)?
        {
            continue;
        }
        let stmt = if e.reference.is_some() {
            &mut upsert
        } else {
            &mut plain
        };
        let n = stmt.execute(params![
            household_id,
            iso_fast(e.date),
            e.kind.code(),
            cents,
            e.label,
            e.reference,
            stamp.user,
            stamp.at
        ])?;
        if n > 0 {
            added += 1;
            total += cents;
        }
    }
    drop((plain, upsert));
    if total != 0 {
        add_to_balance(conn, household_id, total)?;
    }
    Ok(added)
}

/// `YYYY-MM-DD` without going through strftime.
fn iso_fast(d: NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    let mut s = String::with_capacity(10);
    s.push_str(&y.to_string());
    s.push('-');
    s.push(char::from(b'0' + (m / 10) as u8));
    s.push(char::from(b'0' + (m % 10) as u8));
    s.push('-');
    s.push(char::from(b'0' + (day / 10) as u8));
    s.push(char::from(b'0' + (day % 10) as u8));
    s
}

fn causes_text(d: &Dossier) -> String {
    d.causes
        .iter()
        .map(|c| c.code())
        .collect::<Vec<_>>()
        .join(",")
}

/// Opens a dossier; returns its id.
pub fn insert_dossier(conn: &Connection, d: &Dossier, stamp: &Stamp) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO dossiers (household_id, phase, referent_cesf, referent_amicable,
            referent_litigation, causes, next_action, next_action_on, opened_on, open_reason,
            closed_on, close_reason, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        d.household_id,
        d.phase.code(),
        d.referents.cesf,
        d.referents.amicable,
        d.referents.litigation,
        causes_text(d),
        d.next_action,
        iso_opt(d.next_action_on),
        iso(d.opened_on),
        d.open_reason.code(),
        iso_opt(d.closed_on),
        d.close_reason.map(|r| r.code()),
        stamp.user,
        stamp.at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Saves a dossier's phase, referents, causes, next action and closing.
pub fn update_dossier(conn: &Connection, d: &Dossier, stamp: &Stamp) -> Result<()> {
    let n = conn
        .prepare_cached(
            "UPDATE dossiers SET phase = ?2, referent_cesf = ?3, referent_amicable = ?4,
                referent_litigation = ?5, causes = ?6, next_action = ?7, next_action_on = ?8,
                closed_on = ?9, close_reason = ?10, updated_by = ?11, updated_at = ?12,
                version = version + 1
             WHERE id = ?1",
        )?
        .execute(params![
            d.id,
            d.phase.code(),
            d.referents.cesf,
            d.referents.amicable,
            d.referents.litigation,
            causes_text(d),
            d.next_action,
            iso_opt(d.next_action_on),
            iso_opt(d.closed_on),
            d.close_reason.map(|r| r.code()),
            stamp.user,
            stamp.at
        ])?;
    if n == 0 {
        return Err(StoreError::Refused(format!("dossier {} introuvable", d.id)));
    }
    Ok(())
}

/// Changes a dossier's phase and records the change in its timeline.
pub fn change_phase(
    conn: &Connection,
    dossier: &mut Dossier,
    to: Phase,
    on: NaiveDate,
    stamp: &Stamp,
) -> Result<()> {
    if dossier.phase == to {
        return Ok(());
    }
    let from = dossier.phase;
    dossier.phase = to;
    if to == Phase::Closed {
        dossier.closed_on.get_or_insert(on);
    } else {
        dossier.closed_on = None;
        dossier.close_reason = None;
    }
    update_dossier(conn, dossier, stamp)?;
    insert_event(
        conn,
        dossier.id,
        on,
        &EventDetail::PhaseChange { from, to },
        "",
        stamp,
    )?;
    Ok(())
}

/// Adds an event to a dossier's timeline; returns its id.
pub fn insert_event(
    conn: &Connection,
    dossier_id: i64,
    date: NaiveDate,
    detail: &EventDetail,
    text: &str,
    stamp: &Stamp,
) -> Result<i64> {
    let data = serde_json::to_string(detail)
        .map_err(|e| StoreError::Corrupt(format!("évènement non sérialisable : {e}")))?;
    conn.prepare_cached(
        "INSERT INTO events (dossier_id, date, kind, author, text, data, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        dossier_id,
        iso(date),
        detail.code(),
        stamp.user,
        text,
        data,
        stamp.at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Stores a plan and its instalments; returns its id. An active plan of the same dossier is
/// marked replaced.
pub fn insert_plan(conn: &Connection, p: &Plan, stamp: &Stamp) -> Result<i64> {
    conn.prepare_cached(
        "UPDATE plans SET status = 'replaced', status_on = ?2
         WHERE dossier_id = ?1 AND status = 'active'",
    )?
    .execute(params![p.dossier_id, iso(p.signed_on)])?;
    conn.prepare_cached(
        "INSERT INTO plans (dossier_id, signed_on, amount_cents, caf_approved, status,
            recorded_by, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        p.dossier_id,
        iso(p.signed_on),
        to_cents(p.amount),
        p.caf_approved,
        p.status.code(),
        stamp.user,
        stamp.at
    ])?;
    let id = conn.last_insert_rowid();
    for (seq, i) in p.instalments.iter().enumerate() {
        conn.prepare_cached(
            "INSERT INTO instalments (plan_id, seq, due_on, amount_cents) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            id,
            seq as i64 + 1,
            iso(i.due_on),
            to_cents(i.amount)
        ])?;
    }
    Ok(id)
}

/// Records a plan's new status (respected, broken) as of `on`.
pub fn set_plan_status(
    conn: &Connection,
    plan_id: i64,
    status: PlanStatus,
    on: NaiveDate,
) -> Result<()> {
    conn.prepare_cached("UPDATE plans SET status = ?2, status_on = ?3 WHERE id = ?1")?
        .execute(params![plan_id, status.code(), iso(on)])?;
    Ok(())
}

/// The id of a household from its account number.
pub fn household_id(conn: &Connection, account: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM households WHERE account = ?1")?
        .query_row([account], |r| r.get(0))
        .optional()?)
}
