//! The period's event and plan counts. The rows are read apart from the dossiers (on a
//! connection of their own, on the other core, while the main one reads the dossiers and the
//! debts) into compact records, then counted per sector once the dossiers are known.

use rusqlite::Connection;

use super::{DossierOf, Households};
use crate::domain::dossier::OpenReason;
use crate::domain::figures::FigureInputs;
use crate::store::Result;

/// Kinds of events counted, in the order of `Kind`'s codes below.
const KINDS: [&str; 12] = [
    "home_visit",
    "reminder",
    "plan_signed",
    "payment_order",
    "ccapex_referral",
    "summons",
    "judgement",
    "eviction_order",
    "police_request",
    "police_decision",
    "eviction",
    // A CESF kind counted only for the CESF's work.
    "",
];

/// Kinds of events a CESF's work shows in.
const CESF_KINDS: [&str; 6] = [
    "home_visit",
    "budget_review",
    "aid_request",
    "aid_decision",
    "social_diagnosis",
    "note",
];

/// One event of the period: its dossier, its kind (index in `KINDS`), whether a CESF wrote it
/// as a CESF's kind, and whether it terminated a lease or granted the police.
#[derive(Clone, Copy)]
pub(super) struct Ev {
    dossier: i64,
    kind: u8,
    cesf: bool,
    flag: bool,
}

/// The period's events and decided plans (dossier, respected), read without the dossiers.
pub(super) struct Rows {
    events: Vec<Ev>,
    plans: Vec<(i64, bool)>,
}

/// Reads the period's events and plans.
pub(super) fn read(conn: &Connection, from: &str, to: &str) -> Result<Rows> {
    let _read = if conn.is_autocommit() {
        Some(conn.unchecked_transaction()?)
    } else {
        None
    };
    let cesf: Vec<String> = conn
        .prepare("SELECT login FROM staff WHERE role = 'cesf'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // Kinds counted by their code alone read their partial index (relances are most events).
    let mut by_code = conn.prepare(
        "SELECT kind, dossier_id, NULL, NULL FROM events
         WHERE kind IN ('reminder', 'plan_signed', 'payment_order', 'ccapex_referral', 'summons',
             'eviction_order', 'police_request', 'eviction')
           AND date BETWEEN ?1 AND ?2",
    )?;
    // The CESF's kinds read their partial index (kind, date, dossier, author), the judgements
    // and police decisions theirs (with the fields): each query names the same list of kinds as
    // its index, for SQLite to use it.
    let mut by_author = conn.prepare(
        "SELECT kind, dossier_id, author, NULL FROM events
         WHERE kind IN ('home_visit', 'budget_review', 'aid_request', 'aid_decision',
             'social_diagnosis', 'note')
           AND date BETWEEN ?1 AND ?2",
    )?;
    let mut by_fields = conn.prepare(
        "SELECT kind, dossier_id, NULL,
            CASE kind WHEN 'judgement' THEN json_extract(data, '$.outcome')
                      WHEN 'police_decision' THEN json_extract(data, '$.granted') END
         FROM events
         WHERE kind IN ('judgement', 'police_decision') AND date BETWEEN ?1 AND ?2",
    )?;
    let other = (KINDS.len() - 1) as u8;
    let mut events = Vec::new();
    for stmt in [&mut by_code, &mut by_author, &mut by_fields] {
        let mut rows = stmt.query([from, to])?;
        while let Some(r) = rows.next()? {
            let kind = super::text(r, 0)?;
            let cesf = CESF_KINDS.contains(&kind)
                && cesf
                    .iter()
                    .any(|c| c.as_str() == super::text(r, 2).unwrap_or(""));
            let flag = match kind {
                "judgement" => {
                    let outcome: Option<String> = r.get(3)?;
                    outcome.as_deref() == Some("lease_terminated")
                }
                "police_decision" => r.get::<_, Option<i64>>(3)? == Some(1),
                _ => false,
            };
            let code = KINDS
                .iter()
                .position(|k| *k == kind)
                .map_or(other, |k| k as u8);
            if code == other && !cesf {
                continue;
            }
            events.push(Ev {
                dossier: r.get(1)?,
                kind: code,
                cesf,
                flag,
            });
        }
    }
    let mut plans = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT status, dossier_id FROM plans
         WHERE status IN ('respected', 'broken') AND status_on BETWEEN ?1 AND ?2",
    )?;
    let mut rows = stmt.query([from, to])?;
    while let Some(r) = rows.next()? {
        plans.push((r.get(1)?, super::text(r, 0)? == "respected"));
    }
    Ok(Rows { events, plans })
}

/// Counts the events and plans per sector, and the dossiers a CESF worked on.
pub(super) fn count(
    rows: &Rows,
    households: &Households,
    dossier_of: &DossierOf,
    inputs: &mut [FigureInputs],
) {
    let mut cesf_dossiers: Vec<bool> = vec![false; dossier_of.len()];
    for e in &rows.events {
        let Some((hid, reason, slot)) = dossier_of.get(e.dossier) else {
            continue;
        };
        let Some(h) = households.get(hid) else {
            continue;
        };
        if e.cesf && !std::mem::replace(&mut cesf_dossiers[slot], true) {
            if reason == OpenReason::CesfReferral {
                inputs[h.sector].cesf_other += 1;
            } else {
                inputs[h.sector].cesf_follow_ups += 1;
            }
        }
        let i = &mut inputs[h.sector];
        match KINDS[usize::from(e.kind)] {
            "home_visit" => i.home_visits += 1,
            "reminder" => i.reminders += 1,
            "plan_signed" => i.plans_signed += 1,
            "payment_order" => i.payment_orders += 1,
            "ccapex_referral" => i.ccapex_referrals += 1,
            "summons" => i.summonses += 1,
            "judgement" => {
                i.judgements += 1;
                if e.flag {
                    i.lease_terminations += 1;
                }
            }
            "eviction_order" => i.eviction_orders += 1,
            "police_request" => i.police_requests += 1,
            "police_decision" if e.flag => i.police_granted += 1,
            "eviction" => i.evictions += 1,
            _ => {}
        }
    }
    for &(dossier, respected) in &rows.plans {
        let Some((hid, _, _)) = dossier_of.get(dossier) else {
            continue;
        };
        let Some(h) = households.get(hid) else {
            continue;
        };
        if respected {
            inputs[h.sector].plans_respected += 1;
        } else {
            inputs[h.sector].plans_broken += 1;
        }
    }
}
