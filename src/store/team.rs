//! The team in the database: who may write, staff management, the explicit sharing of a
//! confidential note, dossier row versions (two officers saving one dossier) and the
//! retention purge.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, StoreError};
use crate::domain::audit::Access;
use crate::domain::household::{Role, Staff};
use crate::domain::portfolio::HouseholdFile;
use crate::domain::retention::Cutoffs;

/// What `login` may do in this database.
pub fn access(conn: &Connection, login: &str) -> Result<Access> {
    let role: Option<String> = conn
        .prepare_cached("SELECT role FROM staff WHERE login = ?1 AND active = 1")?
        .query_row([login], |r| r.get(0))
        .optional()?;
    if let Some(role) = role {
        let role = Role::from_code(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("rôle « {role} » inconnu")))?;
        return Ok(Access::Staff(role));
    }
    let staff: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM staff")?
        .query_row([], |r| r.get(0))?;
    Ok(if staff == 0 {
        Access::Setup
    } else {
        Access::ReadOnly
    })
}

/// Refuses a write by a login that is not in the staff, in a sentence saying what to do.
pub fn require_write(conn: &Connection, login: &str) -> Result<Access> {
    let a = access(conn, login)?;
    if !a.can_write() {
        return Err(StoreError::Refused(format!(
            "« {login} » ne fait pas partie de l'équipe enregistrée dans cette base : accès en \
             lecture seule, aucune modification n'est faite (un administrateur peut l'ajouter \
             avec `impayes staff add {login} --name … --role …`, ou utilisez --user)"
        )));
    }
    Ok(a)
}

/// Adds a member of staff (and their sectors), refusing a login already taken.
pub fn add_staff(conn: &Connection, s: &Staff) -> Result<()> {
    let exists: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM staff WHERE login = ?1")?
        .query_row([&s.login], |r| r.get(0))
        .optional()?;
    if exists.is_some() {
        return Err(StoreError::Refused(format!(
            "l'identifiant « {} » existe déjà (changez son rôle avec `impayes staff set-role`)",
            s.login
        )));
    }
    for sector in &s.sectors {
        let known: Option<i64> = conn
            .prepare_cached("SELECT 1 FROM sectors WHERE code = ?1")?
            .query_row([sector], |r| r.get(0))
            .optional()?;
        if known.is_none() {
            return Err(StoreError::Refused(format!(
                "secteur « {sector} » inconnu dans cette base"
            )));
        }
    }
    super::insert_staff(conn, s)
}

/// Changes a member of staff's role.
pub fn set_role(conn: &Connection, login: &str, role: Role) -> Result<()> {
    let n = conn
        .prepare_cached("UPDATE staff SET role = ?2 WHERE login = ?1")?
        .execute(params![login, role.code()])?;
    if n == 0 {
        return Err(StoreError::Refused(format!(
            "« {login} » ne fait pas partie de l'équipe (ajoutez-le avec `impayes staff add`)"
        )));
    }
    Ok(())
}

/// Shares a CESF confidential note with the rest of the service. Only a CESF may.
pub fn share_note(conn: &Connection, event_id: i64, login: &str, at: &str) -> Result<()> {
    if !access(conn, login)?.reads_social_notes() {
        return Err(StoreError::Refused(
            "seule une CESF peut partager une note sociale".into(),
        ));
    }
    let data: Option<String> = conn
        .prepare_cached("SELECT data FROM events WHERE id = ?1 AND kind = 'note'")?
        .query_row([event_id], |r| r.get(0))
        .optional()?;
    let confidential = data
        .and_then(|d| serde_json::from_str::<crate::domain::event::EventDetail>(&d).ok())
        .is_some_and(|d| d.is_confidential());
    if !confidential {
        return Err(StoreError::Refused(format!(
            "l'évènement {event_id} n'est pas une note sociale confidentielle"
        )));
    }
    conn.prepare_cached(
        "INSERT INTO note_shares (event_id, shared_by, shared_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (event_id) DO NOTHING",
    )?
    .execute(params![event_id, login, at])?;
    Ok(())
}

/// The confidential notes of a household that were shared explicitly.
pub fn shared_notes(conn: &Connection, household_id: i64) -> Result<HashSet<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT s.event_id FROM note_shares s JOIN events e ON e.id = s.event_id
         JOIN dossiers d ON d.id = e.dossier_id WHERE d.household_id = ?1",
    )?;
    let ids = stmt.query_map([household_id], |r| r.get(0))?;
    Ok(ids.collect::<Result<_, _>>()?)
}

/// Removes from `file` what `login` may not read: CESF notes for anyone but a CESF, except
/// those shared explicitly with the service's staff (never with an unknown login).
pub fn redact_for(conn: &Connection, login: &str, file: &mut HouseholdFile) -> Result<()> {
    let a = access(conn, login)?;
    if a.reads_social_notes() {
        return Ok(());
    }
    let shared = match a {
        Access::Staff(_) => shared_notes(conn, file.household.id)?,
        _ => HashSet::new(),
    };
    file.hide_social_notes_except(&shared);
    Ok(())
}

/// The row versions of a household's dossiers (id, version).
pub fn dossier_versions(conn: &Connection, household_id: i64) -> Result<Vec<(i64, i64)>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, version FROM dossiers WHERE household_id = ?1")?;
    let rows = stmt.query_map([household_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Refuses to save over a dossier another officer saved since `expected` was read.
pub fn check_dossier_version(conn: &Connection, dossier_id: i64, expected: i64) -> Result<()> {
    let (version, by, at): (i64, String, String) = conn
        .prepare_cached("SELECT version, updated_by, updated_at FROM dossiers WHERE id = ?1")?
        .query_row([dossier_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    if version != expected {
        return Err(StoreError::Conflict { by, at });
    }
    Ok(())
}

/// What a purge deletes: closed dossiers past their retention, and social notes of ended
/// follow-ups.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PurgePlan {
    /// Dossiers deleted with their events, plans, actions and flags: (id, account, closed
    /// on, went to court).
    pub dossiers: Vec<(i64, String, NaiveDate, bool)>,
    /// Confidential notes deleted from dossiers kept: (event id, account, dossier closed on).
    pub notes: Vec<(i64, String, NaiveDate)>,
}

/// A dossier "went to court" when it was ever in the litigation phase or had a litigation
/// referent.
const WENT_TO_COURT: &str = "(d.referent_litigation IS NOT NULL OR d.phase = 'litigation'
    OR EXISTS (SELECT 1 FROM events x INDEXED BY events_dossier_date
               WHERE x.dossier_id = d.id AND x.kind = 'phase_change'
               AND x.data LIKE '%\"litigation\"%'))";

/// Lists what the retention rules delete as of the cut-offs.
pub fn purge_plan(conn: &Connection, c: &Cutoffs) -> Result<PurgePlan> {
    let mut plan = PurgePlan::default();
    let mut stmt = conn.prepare(&format!(
        "SELECT d.id, h.account, d.closed_on, {WENT_TO_COURT}
         FROM dossiers d JOIN households h ON h.id = d.household_id
         WHERE d.closed_on IS NOT NULL AND d.closed_on <= ?1 ORDER BY d.closed_on, d.id"
    ))?;
    let oldest = c.amicable_closed_by.max(c.litigation_closed_by);
    let rows = stmt.query_map([super::write::iso(oldest)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    let mut purged = HashSet::new();
    for row in rows {
        let (id, account, closed, court) = row?;
        let closed = parse_day(&closed)?;
        let by = if court {
            c.litigation_closed_by
        } else {
            c.amicable_closed_by
        };
        if closed <= by {
            purged.insert(id);
            plan.dossiers.push((id, account, closed, court));
        }
    }
    let mut stmt = conn.prepare(
        "SELECT e.id, h.account, d.closed_on, e.data, d.id FROM events e
         JOIN dossiers d ON d.id = e.dossier_id JOIN households h ON h.id = d.household_id
         WHERE e.kind = 'note' AND d.closed_on IS NOT NULL AND d.closed_on <= ?1
         ORDER BY d.closed_on, e.id",
    )?;
    let rows = stmt.query_map([super::write::iso(c.notes_closed_by)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (id, account, closed, data, dossier) = row?;
        let confidential = serde_json::from_str::<crate::domain::event::EventDetail>(&data)
            .is_ok_and(|d| d.is_confidential());
        if confidential && !purged.contains(&dossier) {
            plan.notes.push((id, account, parse_day(&closed)?));
        }
    }
    Ok(plan)
}

fn parse_day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("date « {s} »")))
}

/// Deletes what `plan` lists and logs one summary row. Run it inside `Store::bulk` (no
/// row-by-row audit): a purge that copied every deleted row into the audit log would keep the
/// very data it deletes.
pub fn purge_apply(conn: &Connection, plan: &PurgePlan, login: &str) -> Result<()> {
    for (event, _, _) in &plan.notes {
        conn.prepare_cached("DELETE FROM note_shares WHERE event_id = ?1")?
            .execute([event])?;
        conn.prepare_cached("DELETE FROM events WHERE id = ?1")?
            .execute([event])?;
    }
    for (d, _, _, _) in &plan.dossiers {
        for sql in [
            "DELETE FROM note_shares WHERE event_id IN (SELECT id FROM events WHERE dossier_id = ?1)",
            "DELETE FROM events WHERE dossier_id = ?1",
            "DELETE FROM instalments WHERE plan_id IN (SELECT id FROM plans WHERE dossier_id = ?1)",
            "DELETE FROM plans WHERE dossier_id = ?1",
            "DELETE FROM actions WHERE dossier_id = ?1",
            "DELETE FROM dossier_flags WHERE dossier_id = ?1",
            "DELETE FROM dossiers WHERE id = ?1",
        ] {
            conn.prepare_cached(sql)?.execute([d])?;
        }
    }
    super::log_bulk(
        conn,
        login,
        "purge",
        "retention",
        None,
        None,
        &serde_json::json!({
            "dossiers": plan.dossiers.len(),
            "social_notes": plan.notes.len(),
        }),
    )
}
