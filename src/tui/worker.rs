//! The store worker: the one thread that owns the database connection. The main loop sends it
//! requests; it answers with messages. Writes run in one transaction each and answer with what
//! changed so that the panes reload just that.

use std::sync::mpsc::{Receiver, Sender};

use chrono::NaiveDate;

use crate::domain::dossier::{Cause, CloseReason, Dossier, OpenReason, Phase, Referents};
use crate::domain::event::EventDetail;
use crate::domain::household::{Household, Sector, Staff, TenantStatus};
use crate::domain::plan::{Instalment, Plan, PlanStatus};
use crate::domain::portfolio::{HouseholdFile, PortfolioRow};
use crate::search::SearchIndex;
use crate::store::{self, Stamp, Store, StoreError};

/// A change an officer makes from the workstation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteCmd {
    /// Records an event (opening a dossier first if the household has none open).
    AddEvent {
        /// The household.
        household_id: i64,
        /// When it happened.
        date: NaiveDate,
        /// Kind and fields.
        detail: EventDetail,
        /// Free text.
        text: String,
    },
    /// Changes a dossier's phase (closing it with a reason).
    ChangePhase {
        /// The dossier.
        dossier_id: i64,
        /// New phase.
        to: Phase,
        /// Date of the change.
        date: NaiveDate,
        /// Reason, when closing.
        reason: Option<CloseReason>,
    },
    /// Sets referents, causes and the next action.
    FollowUp {
        /// The dossier.
        dossier_id: i64,
        /// Referents.
        referents: Referents,
        /// Causes.
        causes: Vec<Cause>,
        /// Next action.
        next_action: Option<String>,
        /// Its date.
        next_action_on: Option<NaiveDate>,
    },
    /// Signs a repayment plan.
    SignPlan {
        /// The dossier.
        dossier_id: i64,
        /// Signature date.
        signed_on: NaiveDate,
        /// CAF approval.
        caf_approved: bool,
        /// Instalments.
        instalments: Vec<Instalment>,
    },
}

/// What the main loop asks the worker.
#[derive(Debug)]
pub enum Request {
    /// Everything the workstation lists: portfolio, lookup index, staff.
    Snapshot,
    /// One household's file.
    Household {
        /// The household.
        id: i64,
        /// Generation, so that a stale answer is dropped.
        generation: u64,
    },
    /// A change.
    Write(WriteCmd),
    /// Did another session write? (polled on a slow tick)
    Poll,
    /// The figures of a period, per sector (Tableau de bord).
    Stats {
        /// The period.
        period: crate::domain::figures::Period,
        /// Generation, so that a stale answer is dropped.
        generation: u64,
    },
}

/// What the worker answers.
pub enum Reply {
    /// The lists and the index together (tests and benchmarks build this one).
    Snapshot(Box<Snapshot>),
    /// The lists, first.
    Lists(Box<Lists>),
    /// The lookup index, built after the lists.
    Index(Box<SearchIndex>),
    /// A household's file.
    Household {
        /// Generation of the request.
        generation: u64,
        /// The file.
        file: Box<HouseholdFile>,
    },
    /// A change was stored.
    Written {
        /// The household concerned.
        household_id: i64,
        /// Its dossier's new portfolio row (None if no open dossier remains).
        row: Option<Box<PortfolioRow>>,
        /// The dossier whose row changed.
        dossier_id: Option<i64>,
        /// What to tell the user.
        message: String,
    },
    /// The figures of a period, per sector.
    Stats {
        /// Generation of the request.
        generation: u64,
        /// The figures' inputs.
        stats: Box<crate::domain::figures_calc::SectorStats>,
    },
    /// Another session wrote: reload.
    ExternalChange,
    /// Something failed; French sentence.
    Failed(String),
}

/// What the panes list, loaded at start and on reload.
pub struct Lists {
    /// Open dossiers.
    pub portfolio: Vec<PortfolioRow>,
    /// Staff.
    pub staff: Vec<Staff>,
    /// Sectors.
    pub sectors: Vec<Sector>,
    /// Households in the database.
    pub households: i64,
    /// Whether the user may read social notes.
    pub can_read_social: bool,
}

/// The lists and the lookup index in one message.
pub struct Snapshot {
    /// Open dossiers.
    pub portfolio: Vec<PortfolioRow>,
    /// The lookup index over every household.
    pub index: SearchIndex,
    /// Staff.
    pub staff: Vec<Staff>,
    /// Sectors.
    pub sectors: Vec<Sector>,
    /// Households in the database.
    pub households: i64,
    /// Whether the user may read social notes.
    pub can_read_social: bool,
}

/// Runs the worker until the request channel closes.
pub fn run(
    mut store: Store,
    user: String,
    requests: Receiver<Request>,
    replies: Sender<super::Msg>,
) {
    let mut last_version = store.data_version().unwrap_or(0);
    while let Ok(first) = requests.recv() {
        // Keep only the newest household request among those queued.
        let mut batch = vec![first];
        while let Ok(r) = requests.try_recv() {
            batch.push(r);
        }
        let newest_household = batch
            .iter()
            .rposition(|r| matches!(r, Request::Household { .. }));
        let newest_stats = batch
            .iter()
            .rposition(|r| matches!(r, Request::Stats { .. }));
        for (i, req) in batch.into_iter().enumerate() {
            if matches!(req, Request::Household { .. }) && Some(i) != newest_household {
                continue;
            }
            if matches!(req, Request::Stats { .. }) && Some(i) != newest_stats {
                continue;
            }
            let send = |reply: Reply| replies.send(super::Msg::Reply(reply)).is_ok();
            if matches!(req, Request::Snapshot) {
                // The lists go out at once, so that the portfolio shows while the lookup index
                // is being built.
                let sent = match lists(&store, &user) {
                    Ok(l) => {
                        send(Reply::Lists(Box::new(l)))
                            && send(
                                store::household_summaries(store.conn())
                                    .map(|rows| Reply::Index(Box::new(SearchIndex::new(rows))))
                                    .unwrap_or_else(|e| Reply::Failed(e.to_string())),
                            )
                    }
                    Err(e) => send(Reply::Failed(e.to_string())),
                };
                if !sent {
                    return;
                }
                continue;
            }
            for reply in handle(&mut store, &user, req, &mut last_version) {
                if !send(reply) {
                    return;
                }
            }
        }
    }
}

fn handle(store: &mut Store, user: &str, req: Request, last_version: &mut i64) -> Vec<Reply> {
    let result = match req {
        // Answered in `run`, which sends the lists before building the index.
        Request::Snapshot => return Vec::new(),
        Request::Household { id, generation } => {
            store::household_file(store.conn(), id).map(|mut file| {
                if !store::can_read_social_notes(store.conn(), user).unwrap_or(false) {
                    file.hide_social_notes();
                }
                Reply::Household {
                    generation,
                    file: Box::new(file),
                }
            })
        }
        Request::Write(cmd) => write(store, user, cmd),
        Request::Stats { period, generation } => store::stats::sector_stats(store.conn(), period)
            .map(|s| Reply::Stats {
                generation,
                stats: Box::new(s),
            }),
        Request::Poll => {
            let v = store.data_version().unwrap_or(*last_version);
            if v != *last_version {
                *last_version = v;
                return vec![Reply::ExternalChange];
            }
            return Vec::new();
        }
    };
    vec![result.unwrap_or_else(|e| Reply::Failed(e.to_string()))]
}

fn lists(store: &Store, user: &str) -> Result<Lists, StoreError> {
    let conn = store.conn();
    Ok(Lists {
        portfolio: store::portfolio(conn)?,
        staff: store::staff(conn)?,
        sectors: store::sectors(conn)?,
        households: store::counts(conn)?.0,
        can_read_social: store::can_read_social_notes(conn, user)?,
    })
}

fn write(store: &mut Store, user: &str, cmd: WriteCmd) -> Result<Reply, StoreError> {
    let stamp = Stamp::now(user);
    let (household_id, dossier_id, message) = store.write(|conn| match cmd {
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
            if let EventDetail::MoveOut { forwarding_address } = &detail {
                let mut h: Household = household.clone();
                h.status = TenantStatus::Departed;
                h.left_on = Some(date);
                h.forwarding_address = forwarding_address.clone();
                store::update_household_status(conn, &h, &stamp)?;
                if let Some((lease, _)) = store::current_lease(conn, household_id)? {
                    store::end_lease(conn, lease.id, date)?;
                }
                store::change_phase(conn, &mut dossier, Phase::Departed, date, &stamp)?;
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
    })?;
    let row = store::portfolio_row(store.conn(), dossier_id)?.map(Box::new);
    Ok(Reply::Written {
        household_id,
        row,
        dossier_id: Some(dossier_id),
        message,
    })
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
