//! Officers' actions: stored, ticked off and listed for "Mes actions".

use chrono::NaiveDate;
use rusqlite::{Connection, Row, params};

use super::read::{corrupt, date, date_opt};
use super::write::{Stamp, iso};
use super::{Result, StoreError};
use crate::domain::action::{Action, ActionOrigin};

/// An action with what a list needs to show it without opening the dossier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    /// The action.
    pub action: Action,
    /// The household's id, to open its dossier.
    pub household_id: i64,
    /// The household's account number.
    pub account: String,
    /// The holder's name.
    pub holder: String,
}

const ACTION_COLS: &str = "a.id, a.dossier_id, a.assignee, a.what, a.due_on, a.origin, \
     a.review_item_id, a.done_on, a.done_by";

type RawAction = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<String>,
);

fn raw_action(r: &Row<'_>) -> rusqlite::Result<RawAction> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
        r.get(8)?,
    ))
}

fn finish_action(raw: RawAction) -> Result<Action> {
    let (id, dossier_id, assignee, what, due, origin, review_item_id, done_on, done_by) = raw;
    let done = match (date_opt(done_on)?, done_by) {
        (Some(on), Some(by)) => Some((on, by)),
        _ => None,
    };
    Ok(Action {
        id,
        dossier_id,
        assignee,
        what,
        due_on: date(&due)?,
        origin: ActionOrigin::from_code(&origin).ok_or_else(|| corrupt("origine", &origin))?,
        review_item_id,
        done,
    })
}

/// Stores a new action; returns its id.
pub fn insert_action(conn: &Connection, a: &Action, stamp: &Stamp) -> Result<i64> {
    if a.what.trim().is_empty() {
        return Err(StoreError::Refused(
            "une action doit dire quoi faire".into(),
        ));
    }
    conn.prepare_cached(
        "INSERT INTO actions (dossier_id, assignee, what, due_on, origin, review_item_id,
            created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        a.dossier_id,
        a.assignee,
        a.what.trim(),
        iso(a.due_on),
        a.origin.code(),
        a.review_item_id,
        stamp.user,
        stamp.at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Ticks an action off as done on `on`. Ticking an action already done is refused, so that
/// two officers cannot both believe they closed it.
pub fn complete_action(conn: &Connection, id: i64, on: NaiveDate, stamp: &Stamp) -> Result<()> {
    let n = conn
        .prepare_cached(
            "UPDATE actions SET done_on = ?2, done_by = ?3 WHERE id = ?1 AND done_on IS NULL",
        )?
        .execute(params![id, iso(on), stamp.user])?;
    if n == 0 {
        return Err(StoreError::Refused(format!(
            "action {id} introuvable ou déjà faite"
        )));
    }
    Ok(())
}

/// A dossier's actions, open ones first, each group by due date.
pub fn actions_of_dossier(conn: &Connection, dossier_id: i64) -> Result<Vec<Action>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ACTION_COLS} FROM actions a WHERE a.dossier_id = ?1
         ORDER BY a.done_on IS NOT NULL, a.due_on, a.id"
    ))?;
    let rows = stmt.query_map([dossier_id], raw_action)?;
    rows.map(|r| finish_action(r?)).collect()
}

/// Open actions, of one officer or of everyone, due on or before `until` if given, by due
/// date.
pub fn open_actions(
    conn: &Connection,
    assignee: Option<&str>,
    until: Option<NaiveDate>,
) -> Result<Vec<ActionRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ACTION_COLS}, h.id, h.account, h.holder
         FROM actions a JOIN dossiers d ON d.id = a.dossier_id
         JOIN households h ON h.id = d.household_id
         WHERE a.done_on IS NULL AND (?1 IS NULL OR a.assignee = ?1)
           AND (?2 IS NULL OR a.due_on <= ?2)
         ORDER BY a.due_on, a.id"
    ))?;
    let rows = stmt.query_map(params![assignee, until.map(iso)], |r| {
        Ok((raw_action(r)?, r.get(9)?, r.get(10)?, r.get(11)?))
    })?;
    rows.map(|r| {
        let (raw, household_id, account, holder) = r?;
        Ok(ActionRow {
            action: finish_action(raw)?,
            household_id,
            account,
            holder,
        })
    })
    .collect()
}

/// One action by id (to know its dossier when it is ticked off).
pub fn action(conn: &Connection, id: i64) -> Result<Action> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ACTION_COLS} FROM actions a WHERE a.id = ?1"
    ))?;
    let raw = stmt
        .query_row([id], raw_action)
        .map_err(|_| StoreError::Refused(format!("action {id} introuvable")))?;
    finish_action(raw)
}
