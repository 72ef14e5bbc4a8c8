//! Building a meeting's proposed agenda: every open dossier's facts gathered from its file
//! (account, events, plans, legal deadlines from the deadline engine, the previous meeting's
//! open actions), the domain's rules applied, the items stored in one transaction.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use super::write::{Stamp, iso};
use crate::domain::agenda::{
    AgendaContext, AgendaRules, DossierFacts, build_agenda, facts_from_file,
};
use crate::domain::procedure::{Rules, deadlines};

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
    for id in households {
        let file = super::household_file(conn, id)?;
        let Some(dossier_id) = file.open_dossier().map(|d| d.id) else {
            continue;
        };
        let legal = deadlines(&file, day, rules);
        let actions = pending.remove(&dossier_id).unwrap_or_default();
        if let Some(f) = facts_from_file(&file, day, reference, legal, actions) {
            out.push(f);
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
