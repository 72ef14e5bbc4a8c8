//! The monthly review in the database: meetings, agenda items, decisions and the actions they
//! give. Every write checks that the meeting is still open and refuses in French otherwise (the
//! migration's triggers refuse too, should a write slip past).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::read::{corrupt, date};
use super::write::{Stamp, iso};
use super::{Result, StoreError};
use crate::domain::action::{Action, ActionOrigin};
use crate::domain::agenda::{OrderKey, compare};
use crate::domain::dates::format_fr;
use crate::domain::event::EventDetail;
use crate::domain::money::{from_cents, to_cents};
use crate::domain::review::{
    Decision, DecisionKind, Reason, ReasonCode, Review, ReviewItem, ReviewStatus, priority,
};

pub use super::review_agenda::*;

/// A meeting as `review list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewSummary {
    /// The meeting.
    pub review: Review,
    /// Items on the agenda (removed ones not counted).
    pub items: i64,
    /// Items with a decision.
    pub decided: i64,
}

/// An action to create with a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    /// Login of the officer.
    pub assignee: String,
    /// What to do.
    pub what: String,
    /// By when.
    pub due_on: NaiveDate,
}

const REVIEW_COLS: &str = "id, date, status, attendees, created_by, closed_by";

fn review_row(
    r: &rusqlite::Row<'_>,
) -> rusqlite::Result<(i64, String, String, String, String, Option<String>)> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
    ))
}

fn finish_review(raw: (i64, String, String, String, String, Option<String>)) -> Result<Review> {
    let (id, d, status, attendees, created_by, closed_by) = raw;
    Ok(Review {
        id,
        date: date(&d)?,
        status: ReviewStatus::from_code(&status)
            .ok_or_else(|| corrupt("statut de réunion", &status))?,
        attendees: attendees
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        created_by,
        closed_by,
    })
}

/// One meeting by id.
pub fn review(conn: &Connection, id: i64) -> Result<Review> {
    let raw = conn
        .prepare_cached(&format!("SELECT {REVIEW_COLS} FROM reviews WHERE id = ?1"))?
        .query_row([id], review_row)
        .optional()?
        .ok_or_else(|| StoreError::Refused(format!("réunion n° {id} introuvable")))?;
    finish_review(raw)
}

/// Every meeting, newest first, with its counts.
pub fn reviews(conn: &Connection) -> Result<Vec<ReviewSummary>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLS},
            (SELECT COUNT(*) FROM review_items i WHERE i.review_id = reviews.id AND i.removed = 0),
            (SELECT COUNT(*) FROM review_items i JOIN review_decisions x ON x.item_id = i.id
             WHERE i.review_id = reviews.id AND i.removed = 0)
         FROM reviews ORDER BY date DESC, id DESC"
    ))?;
    let rows = stmt.query_map([], |r| Ok((review_row(r)?, r.get(6)?, r.get(7)?)))?;
    rows.map(|row| {
        let (raw, items, decided) = row?;
        Ok(ReviewSummary {
            review: finish_review(raw)?,
            items,
            decided,
        })
    })
    .collect()
}

/// The latest meeting held before `day`, if any: the one "since the last meeting" counts from.
pub fn review_before(conn: &Connection, day: NaiveDate) -> Result<Option<Review>> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {REVIEW_COLS} FROM reviews WHERE date < ?1 ORDER BY date DESC LIMIT 1"
        ))?
        .query_row([iso(day)], review_row)
        .optional()?;
    raw.map(finish_review).transpose()
}

/// The meeting the workstation opens: the newest open one, else the newest.
pub fn current_review(conn: &Connection) -> Result<Option<Review>> {
    let raw = conn
        .prepare_cached(&format!(
            "SELECT {REVIEW_COLS} FROM reviews ORDER BY status = 'open' DESC, date DESC LIMIT 1"
        ))?
        .query_row([], review_row)
        .optional()?;
    raw.map(finish_review).transpose()
}

/// Refuses any change to a closed meeting, in French.
pub fn ensure_open(conn: &Connection, review_id: i64) -> Result<Review> {
    let r = review(conn, review_id)?;
    if r.status == ReviewStatus::Closed {
        return Err(StoreError::Refused(format!(
            "la réunion du {} est close : elle ne peut plus être modifiée",
            format_fr(r.date)
        )));
    }
    Ok(r)
}

/// Creates an empty meeting; refuses a second meeting on the same day.
pub fn insert_review(
    conn: &Connection,
    day: NaiveDate,
    attendees: &[String],
    stamp: &Stamp,
) -> Result<i64> {
    let exists: Option<i64> = conn
        .prepare_cached("SELECT id FROM reviews WHERE date = ?1")?
        .query_row([iso(day)], |r| r.get(0))
        .optional()?;
    if let Some(id) = exists {
        return Err(StoreError::Refused(format!(
            "une réunion existe déjà le {} (n° {id}) : `impayes review show {id}`",
            format_fr(day)
        )));
    }
    conn.prepare_cached(
        "INSERT INTO reviews (date, status, attendees, created_by, created_at)
         VALUES (?1, 'open', ?2, ?3, ?4)",
    )?
    .execute(params![
        iso(day),
        attendees.join("\n"),
        stamp.user,
        stamp.at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Replaces the attendees of an open meeting.
pub fn set_attendees(conn: &Connection, review_id: i64, attendees: &[String]) -> Result<()> {
    ensure_open(conn, review_id)?;
    conn.prepare_cached("UPDATE reviews SET attendees = ?2 WHERE id = ?1")?
        .execute(params![review_id, attendees.join("\n")])?;
    Ok(())
}

/// Closes a meeting: from then on it is read-only.
pub fn close_review(conn: &Connection, review_id: i64, stamp: &Stamp) -> Result<()> {
    ensure_open(conn, review_id)?;
    conn.prepare_cached(
        "UPDATE reviews SET status = 'closed', closed_by = ?2, closed_at = ?3 WHERE id = ?1",
    )?
    .execute(params![review_id, stamp.user, stamp.at])?;
    Ok(())
}

/// Stores one agenda item (position given); returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_item(
    conn: &Connection,
    review_id: i64,
    dossier_id: i64,
    position: i64,
    reasons: &[Reason],
    debt: rust_decimal::Decimal,
    months: Option<rust_decimal::Decimal>,
    manual: bool,
    stamp: &Stamp,
) -> Result<i64> {
    let json = serde_json::to_string(reasons)
        .map_err(|e| StoreError::Corrupt(format!("motifs non sérialisables : {e}")))?;
    let tenths = months.map(|m| to_cents(m) / 10);
    conn.prepare_cached(
        "INSERT INTO review_items (review_id, dossier_id, position, reasons, debt_cents,
            months_tenths, manual, added_by, added_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        review_id,
        dossier_id,
        position,
        json,
        to_cents(debt),
        tenths,
        manual,
        stamp.user,
        stamp.at
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The agenda of a meeting in order, with each item's decision; removed items too when asked.
pub fn review_items(
    conn: &Connection,
    review_id: i64,
    with_removed: bool,
) -> Result<Vec<ReviewItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT i.id, i.dossier_id, h.id, h.account, h.holder, h.co_holder,
                COALESCE((SELECT hm.sector FROM leases l JOIN homes hm ON hm.id = l.home_id
                          WHERE l.household_id = h.id ORDER BY l.start_on DESC, l.id DESC
                          LIMIT 1), ''),
                CASE d.phase WHEN 'prevention' THEN d.referent_cesf
                             WHEN 'litigation' THEN d.referent_litigation
                             ELSE d.referent_amicable END,
                i.debt_cents, i.months_tenths, i.reasons, i.position, i.manual, i.removed,
                x.id, x.kind, x.text, x.decided_by, r.date
         FROM review_items i
         JOIN reviews r ON r.id = i.review_id
         JOIN dossiers d ON d.id = i.dossier_id
         JOIN households h ON h.id = d.household_id
         LEFT JOIN review_decisions x ON x.item_id = i.id
         WHERE i.review_id = ?1 AND (?2 OR i.removed = 0)
         ORDER BY i.position, i.id",
    )?;
    let rows = stmt.query_map(params![review_id, with_removed], |r| {
        Ok((
            (
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
            ),
            (
                r.get::<_, i64>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, String>(10)?,
                r.get::<_, i64>(11)?,
                r.get::<_, bool>(12)?,
                r.get::<_, bool>(13)?,
            ),
            (
                r.get::<_, Option<i64>>(14)?,
                r.get::<_, Option<String>>(15)?,
                r.get::<_, Option<String>>(16)?,
                r.get::<_, Option<String>>(17)?,
                r.get::<_, String>(18)?,
            ),
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (
            (id, dossier_id, household_id, account, holder, co, sector, referent),
            (debt, tenths, reasons, position, manual, removed),
            (decision_id, kind, text, by, review_date),
        ) = row?;
        let reasons: Vec<Reason> = serde_json::from_str(&reasons).map_err(|e| {
            StoreError::Corrupt(format!("motifs de l'élément {id} illisibles : {e}"))
        })?;
        let decision = match (decision_id, kind) {
            (Some(did), Some(kind)) => Some(Decision {
                id: did,
                item_id: id,
                kind: DecisionKind::from_code(&kind).ok_or_else(|| corrupt("décision", &kind))?,
                text: text.unwrap_or_default(),
                decided_by: by.unwrap_or_default(),
                decided_on: date(&review_date)?,
            }),
            _ => None,
        };
        out.push(ReviewItem {
            id,
            review_id,
            dossier_id,
            household_id,
            account,
            name: match co {
                Some(c) => format!("{holder} et {c}"),
                None => holder,
            },
            sector,
            referent,
            debt: from_cents(debt),
            months: tenths.map(|t| rust_decimal::Decimal::new(t, 1)),
            reasons,
            position,
            manual,
            removed,
            decision,
        });
    }
    Ok(out)
}

/// Rewrites the positions of a meeting's items in the configured order.
pub fn renumber(conn: &Connection, review_id: i64, order: &[OrderKey]) -> Result<()> {
    let mut items = review_items(conn, review_id, true)?;
    items.sort_by(|a, b| {
        let key = |i: &ReviewItem| {
            (
                i.sector.clone(),
                i.referent.clone(),
                priority(&i.reasons),
                i.debt,
                i.account.clone(),
            )
        };
        let (ka, kb) = (key(a), key(b));
        compare(
            (&ka.0, ka.1.as_deref(), ka.2, ka.3, &ka.4),
            (&kb.0, kb.1.as_deref(), kb.2, kb.3, &kb.4),
            order,
        )
    });
    // Items taken off go last, so that the agenda's numbers run without gaps.
    items.sort_by_key(|i| i.removed);
    let mut stmt = conn.prepare_cached("UPDATE review_items SET position = ?2 WHERE id = ?1")?;
    for (n, i) in items.iter().enumerate() {
        stmt.execute(params![i.id, n as i64 + 1])?;
    }
    Ok(())
}

fn open_dossier_of(conn: &Connection, account: &str) -> Result<(i64, i64)> {
    let h = super::household_by_account(conn, account)?;
    let d: Option<i64> = conn
        .prepare_cached(
            "SELECT id FROM dossiers WHERE household_id = ?1 AND closed_on IS NULL
             ORDER BY opened_on DESC, id DESC LIMIT 1",
        )?
        .query_row([h.id], |r| r.get(0))
        .optional()?;
    let d = d.ok_or_else(|| {
        StoreError::Refused(format!(
            "le compte {} n'a pas de dossier ouvert : rien à examiner en réunion",
            h.account
        ))
    })?;
    Ok((h.id, d))
}

/// Adds a dossier by hand (or puts back one removed); returns the item id. `debt` and
/// `months` are the dossier's figures on the meeting's day.
#[allow(clippy::too_many_arguments)]
pub fn add_item(
    conn: &Connection,
    review_id: i64,
    account: &str,
    reason: Option<&str>,
    debt: rust_decimal::Decimal,
    months: Option<rust_decimal::Decimal>,
    order: &[OrderKey],
    stamp: &Stamp,
) -> Result<i64> {
    ensure_open(conn, review_id)?;
    let (_, dossier_id) = open_dossier_of(conn, account)?;
    let text = reason
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("ajouté par {} : {t}", stamp.user))
        .unwrap_or_else(|| format!("ajouté par {}", stamp.user));
    let manual = Reason {
        code: ReasonCode::Manual,
        text,
    };
    let existing = review_items(conn, review_id, true)?
        .into_iter()
        .find(|i| i.dossier_id == dossier_id);
    let id = match existing {
        Some(i) if !i.removed => {
            return Err(StoreError::Refused(format!(
                "le compte {} est déjà à l'ordre du jour (point {})",
                i.account, i.position
            )));
        }
        Some(mut i) => {
            i.reasons.push(manual);
            let json = serde_json::to_string(&i.reasons)
                .map_err(|e| StoreError::Corrupt(format!("motifs non sérialisables : {e}")))?;
            conn.prepare_cached(
                "UPDATE review_items SET removed = 0, manual = 1, reasons = ?2 WHERE id = ?1",
            )?
            .execute(params![i.id, json])?;
            i.id
        }
        None => insert_item(
            conn,
            review_id,
            dossier_id,
            i64::MAX / 2,
            &[manual],
            debt,
            months,
            true,
            stamp,
        )?,
    };
    renumber(conn, review_id, order)?;
    Ok(id)
}

/// Takes a dossier off the agenda (kept, marked removed); returns the item id.
pub fn remove_item(conn: &Connection, review_id: i64, account: &str) -> Result<i64> {
    ensure_open(conn, review_id)?;
    let item = review_items(conn, review_id, false)?
        .into_iter()
        .find(|i| i.account == account.trim())
        .ok_or_else(|| {
            StoreError::Refused(format!(
                "le compte {} n'est pas à l'ordre du jour de cette réunion",
                account.trim()
            ))
        })?;
    if item.decision.is_some() {
        return Err(StoreError::Refused(format!(
            "le compte {} a déjà une décision : il reste à l'ordre du jour",
            item.account
        )));
    }
    conn.prepare_cached("UPDATE review_items SET removed = 1 WHERE id = ?1")?
        .execute([item.id])?;
    // The others close up, in their order.
    let mut items = review_items(conn, review_id, true)?;
    items.sort_by_key(|i| i.removed);
    let mut stmt = conn.prepare_cached("UPDATE review_items SET position = ?2 WHERE id = ?1")?;
    for (n, i) in items.iter().enumerate() {
        stmt.execute(params![i.id, n as i64 + 1])?;
    }
    Ok(item.id)
}

/// Records (or replaces) the decision on one item: a `ReviewDecision` event in the dossier's
/// timeline, the decision row, and one review action per `actions`. Returns the event id.
pub fn record_decision(
    conn: &Connection,
    item_id: i64,
    kind: DecisionKind,
    text: &str,
    actions: &[NewAction],
    stamp: &Stamp,
) -> Result<i64> {
    let (review_id, dossier_id, removed): (i64, i64, bool) = conn
        .prepare_cached("SELECT review_id, dossier_id, removed FROM review_items WHERE id = ?1")?
        .query_row([item_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or_else(|| StoreError::Refused(format!("point {item_id} introuvable")))?;
    let review = ensure_open(conn, review_id)?;
    if removed {
        return Err(StoreError::Refused(
            "ce dossier a été retiré de l'ordre du jour : remettez-le avant de décider".into(),
        ));
    }
    let event_id = super::insert_event(
        conn,
        dossier_id,
        review.date,
        &EventDetail::ReviewDecision {
            review_on: review.date,
            decision: kind,
        },
        text.trim(),
        stamp,
    )?;
    conn.prepare_cached(
        "INSERT INTO review_decisions (item_id, kind, text, event_id, decided_by, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (item_id) DO UPDATE SET kind = excluded.kind, text = excluded.text,
            event_id = excluded.event_id, decided_by = excluded.decided_by,
            decided_at = excluded.decided_at",
    )?
    .execute(params![
        item_id,
        kind.code(),
        text.trim(),
        event_id,
        stamp.user,
        stamp.at
    ])?;
    for a in actions {
        super::insert_action(
            conn,
            &Action {
                id: 0,
                dossier_id,
                assignee: a.assignee.clone(),
                what: a.what.clone(),
                due_on: a.due_on,
                origin: ActionOrigin::Review,
                review_item_id: Some(item_id),
                done: None,
            },
            stamp,
        )?;
    }
    Ok(event_id)
}

/// The actions decided on a meeting's items, by item id.
pub fn review_actions(conn: &Connection, review_id: i64) -> Result<HashMap<i64, Vec<Action>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.dossier_id, a.assignee, a.what, a.due_on, a.review_item_id,
                a.done_on, a.done_by
         FROM actions a JOIN review_items i ON i.id = a.review_item_id
         WHERE i.review_id = ?1 AND a.origin = 'review' ORDER BY a.due_on, a.id",
    )?;
    let rows = stmt.query_map([review_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, Option<String>>(6)?,
            r.get::<_, Option<String>>(7)?,
        ))
    })?;
    let mut out: HashMap<i64, Vec<Action>> = HashMap::new();
    for row in rows {
        let (id, dossier_id, assignee, what, due, item, done_on, done_by) = row?;
        let done = match (done_on, done_by) {
            (Some(on), Some(by)) => Some((date(&on)?, by)),
            _ => None,
        };
        out.entry(item).or_default().push(Action {
            id,
            dossier_id,
            assignee,
            what,
            due_on: date(&due)?,
            origin: ActionOrigin::Review,
            review_item_id: Some(item),
            done,
        });
    }
    Ok(out)
}
