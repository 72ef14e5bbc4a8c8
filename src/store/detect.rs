//! The arrears detection over the database (rules in `domain::detection`): opens dossiers,
//! and keeps the `dossier_flags` table current. Runs after every import, in its transaction.
//!
//! Only households in debt on the day or with an open dossier are looked at, and only the
//! accounts of households in debt are read (see `candidates`, which also spreads the reading
//! over two connections after an import): a landlord's other tenants cost one row of one
//! query.

use std::collections::{BTreeMap, HashMap, HashSet};

mod candidates;
mod future_sums;
mod open_dossiers;

use crate::domain::plan::{PlanRule, PlanStatus, follow_plan_with};
use chrono::NaiveDate;
use rusqlite::{Connection, params};

use super::read::staff;
use super::write::{Stamp, insert_dossier, insert_event, iso};
use super::{Result, StoreError};
use crate::domain::detection::{DetectionRules, Flag, choose_referent};
use crate::domain::dossier::{Cause, Dossier, Phase, Referents};
use crate::domain::event::EventDetail;
use crate::domain::household::Role;
use crate::domain::ledger::{Entry, EntryKind};

/// What a transaction wrote before the detection runs in it (an import), so that the
/// detection can read committed rows on a second connection (ledgers, and the sums of entries
/// dated after the day) and add these entries to them. Every entry the transaction wrote is in
/// `added`, or its household in `other`.
#[derive(Debug, Clone, Default)]
pub struct Written {
    /// Entries added, by household: date, nature and cents, in the order written (ids grow).
    pub added: HashMap<i64, Vec<(NaiveDate, EntryKind, i64)>>,
    /// Other households written, whose rows only the writing connection reads.
    pub other: HashSet<i64>,
}

/// A dossier the detection opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenedDossier {
    /// Account of the household.
    pub account: String,
    /// The new dossier.
    pub dossier_id: i64,
    /// Its phase.
    pub phase: Phase,
}

/// What a detection run did and found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetectionReport {
    /// Households looked at (in debt or with an open dossier).
    pub examined: usize,
    /// Dossiers opened.
    pub opened: Vec<OpenedDossier>,
    /// Open dossiers carrying each flag after the run.
    pub flagged: BTreeMap<Flag, usize>,
    /// Flags set by this run (not there before).
    pub newly_flagged: usize,
    /// Active plans found broken by this run (an instalment missed).
    pub plans_broken: usize,
    /// Active plans found respected by this run (debt cleared).
    pub plans_respected: usize,
}

fn date(s: &str) -> Result<NaiveDate> {
    crate::domain::import_rules::parse_iso_date(s)
        .ok_or_else(|| StoreError::Corrupt(format!("date « {s} » illisible")))
}

/// Runs the detection on `today` over every household; writes as `stamp`'s author.
pub fn detect_arrears(
    conn: &Connection,
    today: NaiveDate,
    rules: &DetectionRules,
    stamp: &Stamp,
) -> Result<DetectionReport> {
    detect_arrears_after_writes(conn, today, rules, stamp, None)
}

/// The detection inside a transaction that wrote entries (an import): `written` says what it
/// wrote, so that half of the ledgers can be read on a second connection (the committed rows
/// plus `written.added`), on the other core. The result is the same as `detect_arrears`'s.
pub fn detect_arrears_after_writes(
    conn: &Connection,
    today: NaiveDate,
    rules: &DetectionRules,
    stamp: &Stamp,
    written: Option<&Written>,
) -> Result<DetectionReport> {
    let team = {
        let active: Vec<String> = conn
            .prepare_cached("SELECT login FROM staff WHERE active = 1")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut all = staff(conn)?;
        all.retain(|s| active.contains(&s.login));
        all
    };
    let open = open_dossiers::open_dossiers(conn)?;
    let mut load = open.load;
    let mut existing: HashMap<i64, Vec<Flag>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached("SELECT dossier_id, flag FROM dossier_flags")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, code) = row?;
            let flag = Flag::from_code(&code)
                .ok_or_else(|| StoreError::Corrupt(format!("alerte « {code} » inconnue")))?;
            existing.entry(id).or_default().push(flag);
        }
    }
    let candidates = candidates::candidates(conn, today, open.latest, written)?;
    // Plans are followed with the assessments where the ledger is read anyway (households
    // owing on the day), the others afterwards (see `follow_active_plans`).
    let planned = households_with_active_plans(conn)?;
    let assessments = candidates::assess_all(conn, &candidates, today, rules, written, &planned)?;
    let mut followed: Vec<i64> = Vec::new();
    let mut changes: Vec<(i64, PlanStatus)> = Vec::new();
    let mut insert_flag = conn.prepare_cached(
        "INSERT INTO dossier_flags (dossier_id, flag, since) VALUES (?1, ?2, ?3)
         ON CONFLICT DO NOTHING",
    )?;
    let mut delete_flag =
        conn.prepare_cached("DELETE FROM dossier_flags WHERE dossier_id = ?1 AND flag = ?2")?;

    let mut report = DetectionReport {
        examined: candidates.len(),
        ..DetectionReport::default()
    };
    let today_iso = iso(today);
    for (c, assessed) in candidates.iter().zip(assessments) {
        let a = assessed.assessment;
        if let Some(plans) = assessed.plans {
            followed.push(c.hid);
            changes.extend(plans);
        }
        let (hid, account, sector, open) = (c.hid, &c.account, &c.sector, &c.open);
        let dossier_id = match (open, &a.opening) {
            (Some(d), _) => Some(d.id),
            (None, Some(o)) => {
                let sector = sector.as_deref();
                let pick = |role: Role, load: &HashMap<String, usize>| {
                    choose_referent(&team, role, sector, load).map(str::to_string)
                };
                let referents = Referents {
                    cesf: pick(Role::Cesf, &load),
                    amicable: pick(Role::Amicable, &load),
                    litigation: pick(Role::Litigation, &load),
                };
                for login in [&referents.cesf, &referents.amicable, &referents.litigation]
                    .into_iter()
                    .flatten()
                {
                    *load.entry(login.clone()).or_insert(0) += 1;
                }
                let d = Dossier {
                    id: 0,
                    household_id: hid,
                    phase: o.phase,
                    referents,
                    causes: vec![Cause::Unknown],
                    next_action: Some(
                        if o.phase == Phase::Departed {
                            "Sommation de payer"
                        } else {
                            "Relance de premier impayé"
                        }
                        .to_string(),
                    ),
                    next_action_on: Some(today),
                    opened_on: today,
                    open_reason: o.reason,
                    closed_on: None,
                    close_reason: None,
                };
                let id = insert_dossier(conn, &d, stamp)?;
                insert_event(
                    conn,
                    id,
                    today,
                    &EventDetail::Note {
                        confidential: false,
                    },
                    &o.note_fr(),
                    stamp,
                )?;
                report.opened.push(OpenedDossier {
                    account: account.clone(),
                    dossier_id: id,
                    phase: o.phase,
                });
                Some(id)
            }
            (None, None) => None,
        };
        let Some(dossier_id) = dossier_id else {
            continue;
        };
        let before = existing.remove(&dossier_id).unwrap_or_default();
        for flag in Flag::ALL {
            let want = a.flags.contains(&flag);
            let had = before.contains(&flag);
            if want && !had {
                insert_flag.execute(params![dossier_id, flag.code(), today_iso])?;
                report.newly_flagged += 1;
            } else if had && !want {
                delete_flag.execute(params![dossier_id, flag.code()])?;
            }
            if want {
                *report.flagged.entry(flag).or_insert(0) += 1;
            }
        }
    }
    // Flags of dossiers no longer looked at (closed, or open without debt…) are stale.
    for (dossier_id, flags) in existing {
        for flag in flags {
            delete_flag.execute(params![dossier_id, flag.code()])?;
        }
    }
    // Both in household order.
    let rest: Vec<i64> = planned
        .into_iter()
        .filter(|h| followed.binary_search(h).is_err())
        .collect();
    let (broken, respected) =
        follow_active_plans(conn, today, &rules.plan, written, &rest, changes)?;
    report.plans_broken = broken;
    report.plans_respected = respected;
    Ok(report)
}

/// The households with an active plan, in id order.
fn households_with_active_plans(conn: &Connection) -> Result<Vec<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT DISTINCT d.household_id FROM plans p JOIN dossiers d ON d.id = p.dossier_id
             WHERE p.status = 'active' ORDER BY d.household_id",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The active plans of a household that its account (`account`, the ledger the detection
/// reads) shows broken or respected.
fn plan_changes(
    conn: &Connection,
    household_id: i64,
    account: &[Entry],
    today: NaiveDate,
    rule: &PlanRule,
) -> Result<Vec<(i64, PlanStatus)>> {
    let mut out = Vec::new();
    for plan in super::plans_of_household(conn, household_id)? {
        if plan.status != PlanStatus::Active {
            continue;
        }
        let status = follow_plan_with(&plan, account, today, rule).status;
        if status == PlanStatus::Broken || status == PlanStatus::Respected {
            out.push((plan.id, status));
        }
    }
    Ok(out)
}

/// Follows the active plans of `households` against their accounts and records, with
/// `changes` (those of households already followed with the assessments), the ones that became
/// broken or respected, so that the portfolio can show them without recomputing each ledger.
/// The households `written` does not list are followed on a second connection, half of them.
fn follow_active_plans(
    conn: &Connection,
    today: NaiveDate,
    rule: &PlanRule,
    written: Option<&Written>,
    households: &[i64],
    mut changes: Vec<(i64, PlanStatus)>,
) -> Result<(usize, usize)> {
    let may: Vec<Option<i64>> = households.iter().copied().map(Some).collect();
    let elsewhere = candidates::split(conn, written, &may);
    let rest = candidates::map_split(
        conn,
        households,
        &elsewhere,
        Vec::new,
        |account, conn, second, household_id| -> Result<Vec<(i64, PlanStatus)>> {
            candidates::ledger(conn, *household_id, second, written, account)?;
            plan_changes(conn, *household_id, account, today, rule)
        },
    )?;
    changes.extend(rest.into_iter().flatten());
    let (mut broken, mut respected) = (0, 0);
    for (plan_id, status) in changes {
        super::set_plan_status(conn, plan_id, status, today)?;
        if status == PlanStatus::Broken {
            broken += 1;
        } else {
            respected += 1;
        }
    }
    Ok((broken, respected))
}

/// The flags of a dossier, with the date each was first seen.
pub fn dossier_flags(conn: &Connection, dossier_id: i64) -> Result<Vec<(Flag, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT flag, since FROM dossier_flags WHERE dossier_id = ?1 ORDER BY flag",
    )?;
    let rows = stmt.query_map([dossier_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (code, since) = row?;
        let flag = Flag::from_code(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("alerte « {code} » inconnue")))?;
        out.push((flag, date(&since)?));
    }
    Ok(out)
}
