//! The workstation's side of "Mes actions": going to the pane, asking the worker for the list
//! and for the portfolio's legal dates, ticking an action off, adding one from a dossier.

use super::app::{App, Pane};
use super::forms::Purpose;
use super::worker::{Reply, Request, WriteCmd};
use crate::domain::household::Role;
use crate::domain::todo::{TodoSource, Who};

/// Households per chunk of the background pass (about 0.1 s each on the demo).
const LEGAL_CHUNK: usize = 1000;

impl App {
    /// Whose "Mes actions": the user's, or the whole service's for the head of service (and for
    /// `--user tous`).
    pub fn todo_who(&self) -> Who {
        let manager = self
            .staff
            .iter()
            .any(|s| s.login == self.user && s.role == Role::Manager);
        if manager {
            Who::Everyone
        } else {
            Who::parse(&self.user)
        }
    }

    fn todo_request(&mut self) -> Request {
        self.todo_generation += 1;
        let who = self.todo_who();
        self.actions.who = Some(who.clone());
        Request::Todo {
            who,
            today: self.today,
            rules: Box::new(self.rules.clone()),
            generation: self.todo_generation,
        }
    }

    fn legal_dates_request(&self, households: Vec<i64>, pass: bool) -> Request {
        Request::LegalDates {
            households,
            pass,
            today: self.today,
            rules: Box::new(self.rules.clone()),
        }
    }

    /// The next chunk of the background pass, if any is left. One chunk at a time: the next is
    /// asked when the previous one is answered, so that a household opened meanwhile waits for
    /// one chunk at most, not for the whole portfolio.
    fn next_legal_chunk(&mut self) -> Option<Request> {
        if self.legal_queue.is_empty() {
            return None;
        }
        let n = LEGAL_CHUNK.min(self.legal_queue.len());
        let chunk: Vec<i64> = self.legal_queue.drain(..n).collect();
        Some(self.legal_dates_request(chunk, true))
    }

    /// After the lists (first load or another session's change): every dossier's legal date,
    /// computed by the worker in chunks once the portfolio is shown, and "Mes actions" again if
    /// it was opened.
    pub(super) fn after_lists(&mut self) -> Vec<Request> {
        let restart = self.legal_queue.is_empty();
        // The rows on screen first: the column fills where the officer looks.
        self.legal_queue = self.portfolio.households_shown_first();
        self.legal_dates_took = None;
        self.legal_pass_took = std::time::Duration::ZERO;
        // A pass already running picks the new queue up with its next answer.
        let mut out: Vec<Request> = if restart {
            self.next_legal_chunk().into_iter().collect()
        } else {
            Vec::new()
        };
        if self.actions.who.is_some() {
            out.push(self.todo_request());
        }
        out
    }

    /// After a write of ours: that household's legal date, and "Mes actions" if it was opened.
    pub(super) fn after_write(&mut self, household_id: i64) -> Vec<Request> {
        let mut out = vec![self.legal_dates_request(vec![household_id], false)];
        if self.actions.who.is_some() {
            out.push(self.todo_request());
        }
        out
    }

    pub(super) fn on_actions_reply(&mut self, reply: Reply) -> Vec<Request> {
        match reply {
            Reply::Todo { generation, items } if generation == self.todo_generation => {
                self.actions.set_items(items, self.today);
            }
            Reply::LegalDates {
                pass,
                dates,
                elapsed,
            } => {
                let mut out = Vec::new();
                let mut complete = false;
                if pass {
                    self.legal_pass_took += elapsed;
                    match self.next_legal_chunk() {
                        Some(r) => out.push(r),
                        None => {
                            complete = true;
                            self.legal_dates_took = Some(self.legal_pass_took);
                        }
                    }
                }
                self.portfolio.set_legal_dates(dates, complete, self.today);
                return out;
            }
            _ => {}
        }
        Vec::new()
    }

    /// Shows "Mes actions" and asks for a fresh list.
    pub(super) fn go_actions(&mut self) -> Vec<Request> {
        self.pane = Pane::Actions;
        vec![self.todo_request()]
    }

    /// Opens the dossier of the line under the cursor (on its Délais tab for a legal deadline).
    pub(super) fn open_from_actions(&mut self) -> Vec<Request> {
        let Some(t) = self.actions.selected() else {
            return Vec::new();
        };
        let legal = matches!(t.source, TodoSource::Legal { .. });
        let out = self.open_household(t.household_id);
        if legal && let Some(d) = &mut self.dossier {
            d.tab = super::dossier::Tab::Deadlines;
        }
        out
    }

    /// Ticks the action under the cursor off (only actions can be).
    pub(super) fn tick_action(&mut self) -> Vec<Request> {
        if self.pane != Pane::Actions {
            self.flash = Some((
                "Une action se coche dans Mes actions (touche 3)".into(),
                true,
            ));
            return Vec::new();
        }
        let Some(t) = self.actions.selected() else {
            return Vec::new();
        };
        match t.source.action_id() {
            Some(id) => vec![Request::Write(WriteCmd::CompleteAction {
                id,
                on: self.today,
            })],
            None => {
                let why = match t.source {
                    TodoSource::NextAction => {
                        "Une prochaine action se change dans le dossier (Entrée puis n)"
                    }
                    _ => {
                        "Un délai légal se clôt en enregistrant l'évènement qui l'accomplit (Entrée puis a)"
                    }
                };
                self.flash = Some((why.into(), true));
                Vec::new()
            }
        }
    }

    /// The form giving an action on the open dossier.
    pub(super) fn start_action_form(&mut self) {
        let Some(file) = self.loaded_file() else {
            return;
        };
        let Some(d) = file.open_dossier() else {
            self.flash = Some((
                "Aucun dossier ouvert pour ce ménage : un évènement en ouvre un".into(),
                true,
            ));
            return;
        };
        let dossier_id = d.id;
        let form = super::actions_pane::action_form(&self.user, self.today);
        self.push_form(form, Purpose::AddAction { dossier_id });
    }
}
