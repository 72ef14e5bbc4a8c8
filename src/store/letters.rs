//! What the letter campaign reads about every open dossier, in a few bulk queries, and the
//! recording of a generated batch.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use super::read::{corrupt, date, date_opt, portfolio};
use super::write::{Stamp, insert_event};
use crate::domain::event::EventDetail;
use crate::domain::ledger::{Entry, EntryKind, arrears_since, unpaid_charges};
use crate::domain::letters::DossierFacts;
use crate::domain::money::from_cents;
use crate::domain::plan::PlanStatus;

/// The facts of every open dossier (or only `only`'s dossiers), for the campaign rules.
pub fn letter_facts(conn: &Connection, only: Option<&[i64]>) -> Result<Vec<DossierFacts>> {
    let mut rows = portfolio(conn)?;
    if let Some(ids) = only {
        rows.retain(|r| ids.contains(&r.dossier_id));
    }
    let mut facts: Vec<DossierFacts> = rows
        .into_iter()
        .map(|r| DossierFacts {
            dossier_id: r.dossier_id,
            household_id: r.household_id,
            account: r.account,
            name: r.name,
            phase: r.phase,
            debt: r.debt,
            monthly_net: r.monthly_net,
            arrears_since: None,
            reminders: Vec::new(),
            appointments: Vec::new(),
            promises: Vec::new(),
            overindebtedness: false,
            agency: false,
            plan: None,
            last_credit_id: 0,
        })
        .collect();
    let by_dossier: HashMap<i64, usize> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.dossier_id, i))
        .collect();
    let by_household: HashMap<i64, usize> = facts
        .iter()
        .enumerate()
        .map(|(i, f)| (f.household_id, i))
        .collect();

    // Timeline events the rules look at.
    let mut stmt = conn.prepare_cached(
        "SELECT e.dossier_id, e.id, e.date, e.data FROM events e
         JOIN dossiers d ON d.id = e.dossier_id AND d.closed_on IS NULL
         WHERE e.kind IN ('reminder', 'appointment', 'promise', 'overindebtedness', 'agency_transfer')",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (dossier, id, d, data) = row?;
        let Some(&i) = by_dossier.get(&dossier) else {
            continue;
        };
        let detail = super::read::event_detail(id, &data)?;
        let on = date(&d)?;
        let f = &mut facts[i];
        match detail {
            EventDetail::Reminder { level, .. } => f.reminders.push((on, level)),
            EventDetail::Appointment { .. } => f.appointments.push(on),
            EventDetail::Promise { amount, due_on } => f.promises.push((amount, due_on)),
            EventDetail::Overindebtedness { .. } => f.overindebtedness = true,
            EventDetail::AgencyTransfer { .. } => f.agency = true,
            _ => {}
        }
    }

    // The newest plan of each open dossier, with the date of its status.
    let mut stmt = conn.prepare_cached(
        "SELECT p.dossier_id, p.status, p.status_on FROM plans p
         JOIN dossiers d ON d.id = p.dossier_id AND d.closed_on IS NULL
         ORDER BY p.dossier_id, p.signed_on, p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    for row in rows {
        let (dossier, status, on) = row?;
        if let Some(&i) = by_dossier.get(&dossier) {
            let status =
                PlanStatus::from_code(&status).ok_or_else(|| corrupt("statut de plan", &status))?;
            facts[i].plan = Some((status, date_opt(on)?));
        }
    }

    // Accounts of households in debt with an open dossier: the age of the debt and the last
    // money received.
    let mut stmt = conn.prepare_cached(
        "SELECT e.household_id, e.id, e.date, e.kind, e.amount_cents
         FROM households h CROSS JOIN entries e ON e.tier IN (0, 1) AND e.household_id = h.id
         WHERE h.id IN (SELECT household_id FROM dossiers WHERE closed_on IS NULL)
         ORDER BY h.id, e.date, e.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    let mut current: Option<i64> = None;
    let mut entries: Vec<Entry> = Vec::new();
    let finish = |hid: Option<i64>, entries: &mut Vec<Entry>, facts: &mut Vec<DossierFacts>| {
        if let Some(&i) = hid.and_then(|h| by_household.get(&h)) {
            let f = &mut facts[i];
            f.arrears_since = arrears_since(&unpaid_charges(entries));
            f.last_credit_id = entries
                .iter()
                .filter(|e| e.amount < rust_decimal::Decimal::ZERO)
                .map(|e| e.id)
                .max()
                .unwrap_or(0);
        }
        entries.clear();
    };
    for row in rows {
        let (hid, id, d, kind, cents) = row?;
        if current != Some(hid) {
            finish(current, &mut entries, &mut facts);
            current = Some(hid);
        }
        entries.push(Entry {
            id,
            date: date(&d)?,
            kind: EntryKind::from_code(&kind).ok_or_else(|| corrupt("type d'écriture", &kind))?,
            amount: from_cents(cents),
            label: String::new(),
            reference: None,
        });
    }
    finish(current, &mut entries, &mut facts);
    Ok(facts)
}

/// One letter to record on a dossier's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterRecord {
    /// The dossier.
    pub dossier_id: i64,
    /// Date of the letter.
    pub date: NaiveDate,
    /// The event (reminder or appointment).
    pub detail: EventDetail,
    /// Its text.
    pub text: String,
}

/// Records a batch's events; the caller runs it in one transaction (`Store::write`).
pub fn record_letters(conn: &Connection, records: &[LetterRecord], stamp: &Stamp) -> Result<usize> {
    for r in records {
        insert_event(conn, r.dossier_id, r.date, &r.detail, &r.text, stamp)?;
    }
    Ok(records.len())
}
