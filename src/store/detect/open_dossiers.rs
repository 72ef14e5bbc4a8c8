//! The open dossiers as the detection needs them, read in one pass (see `OpenDossiers`).

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::super::{Result, StoreError};
use super::candidates::text;
use super::date;
use crate::domain::dossier::{Dossier, OpenReason, Phase, Referents};

/// The open dossiers, read in one pass over the table: each household's latest one (the
/// detection's candidates), the open dossiers of each referent (the load that decides who gets
/// a new one).
pub(super) struct OpenDossiers {
    /// Each household's latest open dossier (by opening date, then id), in household order.
    pub latest: Vec<Dossier>,
    /// Open dossiers by referent login, whatever the role.
    pub load: HashMap<String, usize>,
}

/// An open dossier as `open_dossiers` reads it: household, opening date, id, phase, reason.
type OpenRow = (i64, NaiveDate, i64, Phase, OpenReason);

/// Reads the open dossiers (see `OpenDossiers`): one scan, instead of three grouped ones for
/// the load and a subquery per household for its dossier.
pub(super) fn open_dossiers(conn: &Connection) -> Result<OpenDossiers> {
    let mut all: Vec<OpenRow> = Vec::new();
    let mut load: HashMap<String, usize> = HashMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT id, household_id, phase, opened_on, open_reason,
                referent_cesf, referent_amicable, referent_litigation
         FROM dossiers WHERE closed_on IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        for column in 5..8 {
            let login = match r.get_ref(column)? {
                ValueRef::Null => continue,
                v => text(v)?,
            };
            match load.get_mut(login) {
                Some(n) => *n += 1,
                None => {
                    load.insert(login.to_string(), 1);
                }
            }
        }
        let phase = text(r.get_ref(2)?)?;
        let reason = text(r.get_ref(4)?)?;
        all.push((
            r.get(1)?,
            date(text(r.get_ref(3)?)?)?,
            r.get(0)?,
            Phase::from_code(phase)
                .ok_or_else(|| StoreError::Corrupt(format!("phase « {phase} » inconnue")))?,
            OpenReason::from_code(reason).ok_or_else(|| {
                StoreError::Corrupt(format!("motif d'ouverture « {reason} » inconnu"))
            })?,
        ));
    }
    all.sort_unstable_by_key(|&(household, opened_on, id, _, _)| (household, opened_on, id));
    // The last of each household's run is its latest.
    let mut latest: Vec<Dossier> = Vec::with_capacity(all.len());
    for (i, &(household_id, opened_on, id, phase, open_reason)) in all.iter().enumerate() {
        if all.get(i + 1).is_some_and(|next| next.0 == household_id) {
            continue;
        }
        latest.push(Dossier {
            id,
            household_id,
            phase,
            referents: Referents::default(),
            causes: Vec::new(),
            next_action: None,
            next_action_on: None,
            opened_on,
            open_reason,
            closed_on: None,
            close_reason: None,
        });
    }
    Ok(OpenDossiers { latest, load })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_are_the_owing_and_those_with_an_open_dossier_with_their_latest_one() {
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::Store::create(&dir.path().join("c.sqlite3")).expect("create");
        let conn = store.conn();
        for (login, role) in [("ana", "cesf"), ("bob", "amicable"), ("cid", "litigation")] {
            conn.execute(
                "INSERT INTO staff (login, full_name, role) VALUES (?1, ?1, ?2)",
                [login, role],
            )
            .expect("staff");
        }
        crate::store::bare_households(conn, 1..=5);
        // 1: two open dossiers (the later one opened first in id order) and a closed one;
        // 2: one open, nothing owed; 3: owes, no dossier; 4: a closed dossier, owes nothing;
        // 5: owes nothing, no dossier.
        for (id, h, opened, closed, cesf, amicable) in [
            (10, 1, "2026-02-01", None, Some("ana"), Some("bob")),
            (11, 1, "2025-01-10", None, Some("ana"), None),
            (
                12,
                1,
                "2024-05-05",
                Some("2024-09-01"),
                Some("ana"),
                Some("bob"),
            ),
            (13, 2, "2026-03-03", None, None, Some("bob")),
            (14, 4, "2023-01-01", Some("2023-06-01"), Some("ana"), None),
        ] {
            conn.execute(
                "INSERT INTO dossiers (id, household_id, phase, referent_cesf, referent_amicable,
                    opened_on, open_reason, closed_on, updated_by, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'first_unpaid', ?7, 't', 't')",
                rusqlite::params![
                    id,
                    h,
                    if closed.is_some() {
                        "closed"
                    } else {
                        "amicable"
                    },
                    cesf,
                    amicable,
                    opened,
                    closed
                ],
            )
            .expect("dossier");
        }
        for (h, cents) in [(1, 5_000), (2, 0), (3, 1_200), (4, -300), (5, 0)] {
            conn.execute(
                "INSERT INTO balances (household_id, cents) VALUES (?1, ?2)",
                [h, cents],
            )
            .expect("balance");
        }
        let open = open_dossiers(conn).expect("open dossiers");
        let load: Vec<(&str, usize)> = ["ana", "bob", "cid"]
            .iter()
            .map(|l| (*l, open.load.get(*l).copied().unwrap_or(0)))
            .collect();
        assert_eq!(load, [("ana", 2), ("bob", 2), ("cid", 0)]);
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let found = super::super::candidates::candidates(conn, today, open.latest, None)
            .expect("candidates");
        let seen: Vec<(i64, i64, Option<i64>)> = found
            .iter()
            .map(|c| (c.hid, c.balance, c.open.as_ref().map(|d| d.id)))
            .collect();
        assert_eq!(
            seen,
            [(1, 5_000, Some(10)), (2, 0, Some(13)), (3, 1_200, None)]
        );
    }
}
