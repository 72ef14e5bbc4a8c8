//! The meeting pane's behaviour: its actions, the keys of its decision form and confirmations,
//! and the worker's answers (a write reloads the agenda and the item on screen).

use crossterm::event::{KeyCode, KeyEvent};

use super::app::{App, Overlay, Pane};
use super::form::FormOutcome;
use super::keymap::Action;
use super::lookup::Lookup;
use super::review_pane::{Mode, decision_form, submit_decision};
use super::review_worker::{ReviewReply, ReviewRequest};
use super::worker::Request;

impl App {
    /// Shows the meeting pane and asks for the current meeting.
    pub fn open_review(&mut self) -> Vec<Request> {
        self.pane = Pane::Review;
        vec![Request::Review(ReviewRequest::Load)]
    }

    /// Asks for the current item's dossier (a newer request makes older answers stale).
    pub(super) fn request_review_item(&mut self) -> Vec<Request> {
        let Some((item_id, household_id, dossier_id)) = self
            .review
            .current()
            .map(|i| (i.id, i.household_id, i.dossier_id))
        else {
            return Vec::new();
        };
        let Some(date) = self.review.review.as_ref().map(|r| r.date) else {
            return Vec::new();
        };
        self.review.generation += 1;
        vec![Request::Review(ReviewRequest::Item {
            item_id,
            household_id,
            dossier_id,
            date,
            generation: self.review.generation,
        })]
    }

    /// Whether the pane holds the keys itself (decision form or a yes/no question).
    pub(super) fn review_captures_keys(&self) -> bool {
        self.pane == Pane::Review
            && (self.review.form.is_some()
                || self.review.confirm_remove
                || self.review.confirm_close)
    }

    /// Keys while the decision form or a question is up.
    pub(super) fn key_review_capture(&mut self, key: KeyEvent) -> Vec<Request> {
        let yes = matches!(key.code, KeyCode::Char('o' | 'O' | 'y' | 'Y'));
        if self.review.confirm_remove {
            self.review.confirm_remove = false;
            if let (true, Some(r), Some(i)) = (yes, &self.review.review, self.review.current()) {
                return vec![Request::Review(ReviewRequest::Remove {
                    review_id: r.id,
                    account: i.account.clone(),
                })];
            }
            return Vec::new();
        }
        if self.review.confirm_close {
            self.review.confirm_close = false;
            if let (true, Some(r)) = (yes, &self.review.review) {
                return vec![Request::Review(ReviewRequest::Close { review_id: r.id })];
            }
            return Vec::new();
        }
        let Some(date) = self.review.review.as_ref().map(|r| r.date) else {
            self.review.form = None;
            return Vec::new();
        };
        let Some((form, item_id)) = self.review.form.as_mut() else {
            return Vec::new();
        };
        match form.handle(&key) {
            FormOutcome::Continue => Vec::new(),
            FormOutcome::Cancel => {
                self.review.form = None;
                Vec::new()
            }
            FormOutcome::Submit => match submit_decision(form, date) {
                Some((kind, text, actions)) => {
                    let item_id = *item_id;
                    self.review.form = None;
                    vec![Request::Review(ReviewRequest::Decide {
                        item_id,
                        kind,
                        text,
                        actions,
                    })]
                }
                None => Vec::new(),
            },
        }
    }

    fn refuse_closed(&mut self) -> bool {
        if self.review.review.is_some() && !self.review.is_open() {
            self.flash = Some((
                "Réunion close : elle ne peut plus être modifiée".into(),
                true,
            ));
            return true;
        }
        if self.review.review.is_none() {
            self.flash = Some(("Aucune réunion : N crée celle du jour".into(), true));
            return true;
        }
        false
    }

    /// Does a meeting-pane action.
    pub(super) fn review_perform(&mut self, action: Action) -> Vec<Request> {
        match action {
            Action::ReviewNext | Action::ReviewPrev => {
                let step = if action == Action::ReviewNext { 1 } else { -1 };
                if self.review.move_by(step) {
                    return self.request_review_item();
                }
            }
            Action::ReviewAgenda => {
                self.review.mode = match self.review.mode {
                    Mode::Meeting => Mode::Agenda,
                    Mode::Agenda => Mode::Meeting,
                };
            }
            Action::Open => match self.review.mode {
                Mode::Agenda => {
                    self.review.mode = Mode::Meeting;
                    return self.request_review_item();
                }
                Mode::Meeting => return self.review_perform(Action::ReviewDecide),
            },
            Action::ReviewDecide => {
                if self.refuse_closed() {
                    return Vec::new();
                }
                if let (Some(item), Some(r)) = (self.review.current(), &self.review.review) {
                    let form = decision_form(item, &self.staff, r.date);
                    self.review.form = Some((form, item.id));
                }
            }
            Action::ReviewRemove if !self.refuse_closed() && self.review.current().is_some() => {
                self.review.confirm_remove = true;
            }
            Action::ReviewClose if !self.refuse_closed() => {
                self.review.confirm_close = true;
            }
            Action::ReviewAdd if !self.refuse_closed() => {
                self.review.adding = true;
                let mut l = Lookup::default();
                l.run(self.index.as_ref());
                self.overlays.push(Overlay::Lookup(l));
            }
            Action::ReviewTimer => {
                self.review.timer = match self.review.timer {
                    Some(_) => None,
                    None => Some(std::time::Instant::now()),
                };
            }
            Action::ReviewNew => {
                if self.review.is_open() {
                    self.flash = Some((
                        "Une réunion est déjà ouverte : closez-la (C) avant d'en créer une autre"
                            .into(),
                        true,
                    ));
                } else {
                    self.flash = Some(("Construction de l'ordre du jour…".into(), false));
                    return vec![Request::Review(ReviewRequest::Create {
                        date: self.today,
                        agenda: Box::new(self.agenda_rules.clone()),
                        rules: Box::new(self.rules.clone()),
                    })];
                }
            }
            Action::ReviewDossier => {
                if let Some(id) = self.review.current().map(|i| i.household_id) {
                    return self.open_household(id);
                }
            }
            _ => {}
        }
        Vec::new()
    }

    /// The lookup chose a household to add to the agenda.
    pub(super) fn review_add_household(&mut self, household_id: i64) -> Vec<Request> {
        self.review.adding = false;
        match &self.review.review {
            Some(r) => vec![Request::Review(ReviewRequest::Add {
                review_id: r.id,
                household_id,
                date: r.date,
                agenda: Box::new(self.agenda_rules.clone()),
            })],
            None => Vec::new(),
        }
    }

    /// The worker's answers for the meeting pane.
    pub(super) fn on_review_reply(&mut self, reply: ReviewReply) -> Vec<Request> {
        match reply {
            ReviewReply::Loaded { review, items } => {
                let before = self.review.current().map(|i| i.id);
                self.review.set_items(review, items);
                let changed = self.review.current().map(|i| i.id) != before
                    || self.review.shown_current().is_none();
                // Reload the item on screen too: another officer may have written to it.
                if changed || self.pane == Pane::Review {
                    return self.request_review_item();
                }
                Vec::new()
            }
            ReviewReply::Item { generation, detail } => {
                if generation == self.review.generation {
                    let today = self.today;
                    self.review.set_detail(*detail, today, &self.rules);
                }
                Vec::new()
            }
            ReviewReply::Done { message } => {
                self.flash = Some((message, false));
                let mut out = vec![Request::Review(ReviewRequest::Load)];
                // Decisions are events and actions: the portfolio and an open dossier change.
                out.extend(self.reload_household());
                out
            }
        }
    }
}
