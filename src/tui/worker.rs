//! The store worker: the one thread that owns the database connection. The main loop sends it
//! requests; it answers with messages. Writes run in one transaction each and answer with what
//! changed so that the panes reload just that.

use std::sync::mpsc::{Receiver, Sender};

use chrono::NaiveDate;

use crate::domain::dossier::{Cause, CloseReason, Phase, Referents};
use crate::domain::event::EventDetail;
use crate::domain::household::{Sector, Staff};
use crate::domain::plan::Instalment;
use crate::domain::portfolio::{HouseholdFile, PortfolioRow};
use crate::search::SearchIndex;
use crate::store::{self, Store, StoreError};

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
    /// Gives an officer an action on a dossier ("Mes actions").
    AddAction {
        /// The dossier.
        dossier_id: i64,
        /// Login of the officer.
        assignee: String,
        /// What to do.
        what: String,
        /// By when.
        due_on: NaiveDate,
    },
    /// Ticks an action off.
    CompleteAction {
        /// The action.
        id: i64,
        /// Done on.
        on: NaiveDate,
    },
}

/// What the main loop asks the worker.
#[derive(Debug)]
pub enum Request {
    /// Everything the workstation lists: portfolio, lookup index, staff.
    Snapshot,
    /// The first load at start-up: as `Snapshot`, the portfolio's first screen sent first.
    Start,
    /// One household's file.
    Household {
        /// The household.
        id: i64,
        /// Generation, so that a stale answer is dropped.
        generation: u64,
    },
    /// A change.
    Write(WriteCmd),
    /// A change to a dossier read at `version`: refused if another officer saved it since.
    WriteIfUnchanged {
        /// The change.
        cmd: WriteCmd,
        /// The dossier the form was opened on.
        dossier_id: i64,
        /// Its row version then.
        version: i64,
    },
    /// Did another session write? (polled on a slow tick)
    Poll,
    /// The monthly review's meeting pane.
    Review(super::review_worker::ReviewRequest),
    /// "Mes actions" of `who` as of `today`.
    Todo {
        /// Whose list.
        who: crate::domain::todo::Who,
        /// The date the program runs as.
        today: NaiveDate,
        /// Procedure rules for the legal deadlines.
        rules: Box<crate::domain::procedure::Rules>,
        /// Generation, so that a stale answer is dropped.
        generation: u64,
    },
    /// The nearest legal date of every open dossier (or of one household's), computed in the
    /// background for the portfolio's column.
    LegalDates {
        /// The households (a chunk of the portfolio, or the one a write changed).
        households: Vec<i64>,
        /// Part of the pass over the whole portfolio (echoed in the reply).
        pass: bool,
        /// The date the program runs as.
        today: NaiveDate,
        /// Procedure rules.
        rules: Box<crate::domain::procedure::Rules>,
    },
    /// The batch of letters of `today` (letters pane).
    LettersPlan {
        /// The date the batch is for.
        today: NaiveDate,
    },
    /// Generates the ticked letters as PDF and records their events.
    LettersGenerate {
        /// The date of the letters.
        today: NaiveDate,
        /// The letters the officer kept.
        selection: Vec<crate::domain::letters::Selected>,
        /// Where to write (None: the configured directory).
        dir: Option<std::path::PathBuf>,
    },
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
    /// At start-up, before `Lists`: the portfolio's first screen only (its default order).
    FirstPage(Box<Lists>),
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
    /// An answer for the monthly review's meeting pane.
    Review(super::review_worker::ReviewReply),
    /// "Mes actions".
    Todo {
        /// Generation of the request.
        generation: u64,
        /// The lines, by day.
        items: Vec<crate::domain::todo::TodoItem>,
    },
    /// Nearest legal dates by dossier id.
    LegalDates {
        /// Part of the pass over the whole portfolio (else after a write).
        pass: bool,
        /// (dossier id, its nearest legal date).
        dates: Vec<(i64, Option<crate::domain::todo::LegalDate>)>,
        /// How long the computation took.
        elapsed: std::time::Duration,
    },
    /// The batch of letters, and the directory a generation would write to.
    LettersPlan {
        /// The batch.
        batch: Box<crate::domain::letters::Batch>,
        /// Output directory, as shown.
        output: String,
    },
    /// A batch was generated: what to tell the officer, line by line.
    LettersDone(Vec<String>),
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

/// Sends a reply through the one gate of database text into the workstation; false when the
/// workstation is gone.
fn send(replies: &Sender<super::Msg>, mut reply: Reply) -> bool {
    super::inert::reply(&mut reply);
    replies.send(super::Msg::Reply(reply)).is_ok()
}

/// Runs the worker until the request channel closes.
pub fn run(
    mut store: Store,
    user: String,
    requests: Receiver<Request>,
    replies: Sender<super::Msg>,
) {
    let mut last_version = store.data_version().unwrap_or(0);
    // The lists and the index being loaded, a step at a time between requests.
    let mut loading: Option<super::worker_load::Loading> = None;
    // Background work on every dossier (the legal dates' pass) waits for the load: the
    // lookup index first.
    let mut deferred: Vec<Request> = Vec::new();
    loop {
        let first = match &loading {
            Some(_) => match requests.try_recv() {
                Ok(r) => Some(r),
                Err(std::sync::mpsc::TryRecvError::Empty) => None,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => return,
            },
            None if !deferred.is_empty() => Some(deferred.remove(0)),
            None => match requests.recv() {
                Ok(r) => Some(r),
                Err(_) => return,
            },
        };
        let Some(first) = first else {
            if let Some(l) = loading.take() {
                let (next, out) = l.step(&store, &user);
                loading = next;
                for reply in out {
                    if !send(&replies, reply) {
                        return;
                    }
                }
            }
            continue;
        };
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
            match req {
                // The first screen first, then the rest (see worker_load).
                Request::Start => loading = Some(super::worker_load::Loading::FirstPage),
                Request::Snapshot => loading = Some(super::worker_load::Loading::reload()),
                req @ Request::LegalDates { pass: true, .. } if loading.is_some() => {
                    deferred.push(req)
                }
                req => {
                    for reply in handle(&mut store, &user, req, &mut last_version) {
                        if let (
                            Some(l),
                            Reply::Written {
                                row,
                                dossier_id: Some(id),
                                ..
                            },
                        ) = (&mut loading, &reply)
                        {
                            l.written(*id, row.as_deref());
                        }
                        if !send(&replies, reply) {
                            return;
                        }
                    }
                }
            }
        }
    }
}

fn handle(store: &mut Store, user: &str, req: Request, last_version: &mut i64) -> Vec<Reply> {
    let result = match req {
        // Answered in `run`, a step at a time (worker_load).
        Request::Snapshot | Request::Start => return Vec::new(),
        Request::Household { id, generation } => {
            store::household_file(store.conn(), id).and_then(|mut file| {
                store::redact_for(store.conn(), user, &mut file)?;
                Ok(Reply::Household {
                    generation,
                    file: Box::new(file),
                })
            })
        }
        Request::Write(cmd) => super::worker_write::write(store, user, cmd, None),
        Request::Review(r) => return vec![super::review_worker::handle(store, user, r)],
        Request::WriteIfUnchanged {
            cmd,
            dossier_id,
            version,
        } => match super::worker_write::write(store, user, cmd, Some((dossier_id, version))) {
            // Refused without overwriting: the form keeps the input and says why, and the
            // panes reload the other officer's version.
            Err(e @ StoreError::Conflict { .. }) => {
                return vec![Reply::Failed(e.to_string()), Reply::ExternalChange];
            }
            other => other,
        },
        Request::Todo {
            who,
            today,
            rules,
            generation,
        } => store::todo(store.conn(), &who, today, None, &rules)
            .map(|items| Reply::Todo { generation, items }),
        Request::LegalDates {
            households,
            pass,
            today,
            rules,
        } => {
            let started = std::time::Instant::now();
            store::legal_dates(
                store.conn(),
                store::FileSet::Only(&households),
                today,
                &rules,
            )
            .map(|dates| Reply::LegalDates {
                pass,
                dates,
                elapsed: started.elapsed(),
            })
        }
        Request::LettersPlan { today } => super::letters_work::plan(store, today),
        Request::LettersGenerate {
            today,
            selection,
            dir,
        } => super::letters_work::generate(store, user, today, &selection, dir),
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
