//! The worker's writes: each officer's change in one transaction, refused when the login may
//! not write or when another session saved the dossier since the form opened; the answer
//! carries the changed portfolio row so that the panes reload just that.

use chrono::NaiveDate;

use super::worker::{Reply, WriteCmd};
use crate::domain::dossier::{CloseReason, Dossier, OpenReason, Phase, Referents};
use crate::domain::event::EventDetail;
use crate::domain::household::{Household, TenantStatus};
use crate::domain::plan::{Plan, PlanStatus};
use crate::store::{self, Stamp, Store, StoreError};

/// Runs one command for `user`, checking the dossier's version `expect` first when given.
pub(super) fn write(
    store: &mut Store,
    user: &str,
    cmd: WriteCmd,
    expect: Option<(i64, i64)>,
) -> Result<Reply, StoreError> {
    let stamp = Stamp::now(user);
    let (household_id, dossier_id, message) = store.write(|conn| {
        store::require_write(conn, user)?;
        if let Some((dossier_id, version)) = expect {
            store::check_dossier_version(conn, dossier_id, version)?;
        }
        write_cmd(conn, cmd, &stamp)
    })?;
    let row = store::portfolio_row(store.conn(), dossier_id)?.map(Box::new);
    Ok(Reply::Written {
        household_id,
        row,
        dossier_id: Some(dossier_id),
        message,
    })
}

fn write_cmd(
    conn: &rusqlite::Connection,
    cmd: WriteCmd,
    stamp: &Stamp,
) -> Result<(i64, i64, String), StoreError> {
    let stamp = stamp.clone();
    match cmd {
        WriteCmd::AddEvent {
            household_id,
            date,
            detail,
            text,
        } => {
            let file_dossiers = store::dossiers(conn, household_id)?;
            let household = store::household(conn, household_id)?;
            let mut dossier = match file_dossiers.into_iter().find(|d| d.closed_on.is_none()) {
                Some(d) => d,
                None => open_dossier(conn, &household, date, &stamp)?,
            };
            store::insert_event(conn, dossier.id, date, &detail, &text, &stamp)?;
            if let EventDetail::MoveOut {
                forwarding_address,
                deposit,
            } = &detail
            {
                store::record_move_out(
                    conn,
                    &mut dossier,
                    date,
                    forwarding_address.as_deref(),
                    *deposit,
                    &stamp,
                )?;
            }
            Ok((
                household_id,
                dossier.id,
                format!(
                    "{} enregistré(e) le {}",
                    detail.label_fr(),
                    crate::domain::dates::format_fr(date)
                ),
            ))
        }
        WriteCmd::ChangePhase {
            dossier_id,
            to,
            date,
            reason,
        } => {
            let mut d = store::dossier(conn, dossier_id)?;
            if to == Phase::Closed {
                d.close_reason = Some(reason.unwrap_or(CloseReason::Settled));
                d.closed_on = Some(date);
            }
            store::change_phase(conn, &mut d, to, date, &stamp)?;
            Ok((d.household_id, d.id, format!("Phase : {}", to.label_fr())))
        }
        WriteCmd::FollowUp {
            dossier_id,
            referents,
            causes,
            next_action,
            next_action_on,
        } => {
            let mut d = store::dossier(conn, dossier_id)?;
            d.referents = referents;
            d.causes = causes;
            d.next_action = next_action;
            d.next_action_on = next_action_on;
            store::update_dossier(conn, &d, &stamp)?;
            Ok((
                d.household_id,
                d.id,
                "Suivi du dossier enregistré".to_string(),
            ))
        }
        WriteCmd::SignPlan {
            dossier_id,
            signed_on,
            caf_approved,
            instalments,
        } => {
            let d = store::dossier(conn, dossier_id)?;
            let amount = instalments.iter().map(|i| i.amount).sum();
            let plan = Plan {
                id: 0,
                dossier_id,
                signed_on,
                amount,
                caf_approved,
                status: PlanStatus::Active,
                instalments: instalments.clone(),
            };
            store::insert_plan(conn, &plan, &stamp)?;
            let monthly = instalments.first().map(|i| i.amount).unwrap_or_default();
            store::insert_event(
                conn,
                dossier_id,
                signed_on,
                &EventDetail::PlanSigned {
                    amount,
                    instalments: instalments.len() as u32,
                    monthly,
                    caf_approved,
                },
                "",
                &stamp,
            )?;
            Ok((
                d.household_id,
                d.id,
                format!(
                    "Plan d'apurement signé : {} en {} échéances",
                    crate::domain::money::format_eur(amount),
                    instalments.len()
                ),
            ))
        }
        WriteCmd::AddAction {
            dossier_id,
            assignee,
            what,
            due_on,
        } => {
            let d = store::dossier(conn, dossier_id)?;
            let action = crate::domain::action::Action {
                id: 0,
                dossier_id,
                assignee: assignee.clone(),
                what,
                due_on,
                origin: crate::domain::action::ActionOrigin::Officer,
                review_item_id: None,
                done: None,
            };
            store::insert_action(conn, &action, &stamp)?;
            Ok((
                d.household_id,
                d.id,
                format!(
                    "Action ajoutée pour {assignee}, le {} au plus tard",
                    crate::domain::dates::format_fr(due_on)
                ),
            ))
        }
        WriteCmd::CompleteAction { id, on } => {
            let a = store::action(conn, id)?;
            store::complete_action(conn, id, on, &stamp)?;
            let household_id = store::household_of_dossier(conn, a.dossier_id)?;
            Ok((
                household_id,
                a.dossier_id,
                format!("Action faite : {}", a.what),
            ))
        }
    }
}

/// Opens a dossier for a household that has none: amicable when it owes money, prevention
/// otherwise (a CESF intervention).
fn open_dossier(
    conn: &rusqlite::Connection,
    household: &Household,
    date: NaiveDate,
    stamp: &Stamp,
) -> Result<Dossier, StoreError> {
    let balance: rust_decimal::Decimal = store::entries(conn, household.id)?
        .iter()
        .map(|e| e.amount)
        .sum();
    let (phase, reason) = if household.status == TenantStatus::Departed {
        (Phase::Departed, OpenReason::DepartureWithDebt)
    } else if balance > rust_decimal::Decimal::ZERO {
        (Phase::Amicable, OpenReason::FirstUnpaid)
    } else {
        (Phase::Prevention, OpenReason::CesfReferral)
    };
    let mut d = Dossier {
        id: 0,
        household_id: household.id,
        phase,
        referents: Referents::default(),
        causes: Vec::new(),
        next_action: None,
        next_action_on: None,
        opened_on: date,
        open_reason: reason,
        closed_on: None,
        close_reason: None,
    };
    d.id = store::insert_dossier(conn, &d, stamp)?;
    Ok(d)
}
