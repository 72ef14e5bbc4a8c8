//! Building a meeting's proposed agenda: every open dossier's facts gathered from its file
//! (account, events, plans, legal deadlines from the deadline engine, the previous meeting's
//! open actions), the domain's rules applied, the items stored in one transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use super::read::{corrupt, date};
use super::write::{Stamp, iso};
use crate::domain::action::Action;
use crate::domain::agenda::{
    AgendaContext, AgendaRules, DossierFacts, PendingAction, build_agenda, facts_from_file,
};
use crate::domain::procedure::{Rules, deadlines};
use crate::domain::review::{Decision, DecisionKind};

/// What `build_review` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltReview {
    /// The new meeting.
    pub review_id: i64,
    /// Open dossiers examined by the rules.
    pub examined: usize,
    /// Items proposed.
    pub items: usize,
    /// Dossiers with a reason left aside by `max_items`.
    pub left_aside: usize,
    /// The previous meeting's day, if any.
    pub last_review: Option<NaiveDate>,
}

/// Households whose files `agenda_facts` loads at once: about 100 entries each after three
/// years, so a slice holds a few tens of megabytes.
const AGENDA_SLICE: usize = 2_000;

/// The facts of every open dossier as of `day`, "since" counted from `reference`, with the
/// open actions of the meeting `previous` (if any).
pub fn agenda_facts(
    conn: &Connection,
    day: NaiveDate,
    reference: NaiveDate,
    previous: Option<i64>,
    rules: &Rules,
) -> Result<Vec<DossierFacts>> {
    let mut pending = match previous {
        Some(id) => super::pending_actions(conn, id)?,
        None => Default::default(),
    };
    let households: Vec<i64> = {
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT household_id FROM dossiers
             WHERE closed_on IS NULL AND opened_on <= ?1 ORDER BY household_id",
        )?;
        stmt.query_map([iso(day)], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut out = Vec::with_capacity(households.len());
    // By slices, so that only a few thousand households' entries are held at once.
    for slice in households.chunks(AGENDA_SLICE) {
        for file in super::agenda_files(conn, slice)? {
            let Some(dossier_id) = file.open_dossier().map(|d| d.id) else {
                continue;
            };
            let legal = deadlines(&file, day, rules);
            let actions = pending.remove(&dossier_id).unwrap_or_default();
            if let Some(f) = facts_from_file(&file, day, reference, legal, actions) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// Creates the meeting of `day` and stores the agenda the rules propose, in one transaction's
/// connection (see `Store::write`).
pub fn build_review(
    conn: &Connection,
    day: NaiveDate,
    attendees: &[String],
    agenda: &AgendaRules,
    rules: &Rules,
    stamp: &Stamp,
) -> Result<BuiltReview> {
    let previous = super::review_before(conn, day)?;
    let review_id = super::insert_review(conn, day, attendees, stamp)?;
    let ctx = AgendaContext {
        date: day,
        last_review: previous.as_ref().map(|r| r.date),
    };
    let facts = agenda_facts(
        conn,
        day,
        ctx.reference(agenda),
        previous.as_ref().map(|r| r.id),
        rules,
    )?;
    let (proposals, left_aside) = build_agenda(&facts, &ctx, agenda);
    for (n, p) in proposals.iter().enumerate() {
        let f = &facts[p.index];
        super::insert_item(
            conn,
            review_id,
            f.dossier_id,
            n as i64 + 1,
            &p.reasons,
            f.debt,
            f.months(),
            false,
            stamp,
        )?;
    }
    Ok(BuiltReview {
        review_id,
        examined: facts.len(),
        items: proposals.len(),
        left_aside,
        last_review: ctx.last_review,
    })
}

/// Open actions of a meeting, by dossier: what the next meeting's "not done" rule reads.
pub fn pending_actions(
    conn: &Connection,
    review_id: i64,
) -> Result<HashMap<i64, Vec<PendingAction>>> {
    let mut out: HashMap<i64, Vec<PendingAction>> = HashMap::new();
    for a in super::review_actions(conn, review_id)?
        .into_values()
        .flatten()
    {
        if a.is_open() {
            out.entry(a.dossier_id).or_default().push(PendingAction {
                what: a.what,
                assignee: a.assignee,
                due_on: a.due_on,
            });
        }
    }
    Ok(out)
}

/// What the previous meeting decided on a dossier (before `day`): its date, the decision and
/// the actions it gave, for the meeting screen's "last time".
pub fn previous_decision(
    conn: &Connection,
    dossier_id: i64,
    day: NaiveDate,
) -> Result<Option<(NaiveDate, Decision, Vec<Action>)>> {
    let row = conn
        .prepare_cached(
            "SELECT r.id, r.date, x.id, i.id, x.kind, x.text, x.decided_by
             FROM review_decisions x JOIN review_items i ON i.id = x.item_id
             JOIN reviews r ON r.id = i.review_id
             WHERE i.dossier_id = ?1 AND r.date < ?2 ORDER BY r.date DESC LIMIT 1",
        )?
        .query_row(params![dossier_id, iso(day)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    let Some((review_id, d, id, item_id, kind, text, by)) = row else {
        return Ok(None);
    };
    let on = date(&d)?;
    let actions = super::review_actions(conn, review_id)?
        .remove(&item_id)
        .unwrap_or_default();
    Ok(Some((
        on,
        Decision {
            id,
            item_id,
            kind: DecisionKind::from_code(&kind).ok_or_else(|| corrupt("décision", &kind))?,
            text,
            decided_by: by,
            decided_on: on,
        },
        actions,
    )))
}
