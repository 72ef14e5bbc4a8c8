//! The meeting pane's state: the meeting, its agenda, the item on screen and what was loaded
//! for it, the agenda list, the decision form, the optional timer. Drawing is in
//! `review_view.rs`, keys and worker answers in `review_keys.rs`.

use std::time::Instant;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::form::{Form, FormField};
use super::review_worker::ItemDetail;
use crate::domain::dates::{add_months, format_fr, parse_date};
use crate::domain::event_form::FieldType;
use crate::domain::household::Staff;
use crate::domain::ledger::AccountSummary;
use crate::domain::procedure::{Deadline, Rules, deadlines};
use crate::domain::review::{DecisionKind, Review, ReviewItem, ReviewStatus, monthly_debt};
use crate::store::NewAction;

/// One dossier per screen, or the agenda as a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One dossier, large.
    Meeting,
    /// The whole agenda.
    Agenda,
}

/// The loaded item with what the screen computes once per load, not per frame.
#[derive(Debug, Clone)]
pub struct Shown {
    /// What the worker sent.
    pub detail: ItemDetail,
    /// The account as of today.
    pub summary: AccountSummary,
    /// Debt at each of the last 12 month ends (the last one today).
    pub trend: Vec<Decimal>,
    /// Open legal deadlines.
    pub deadlines: Vec<Deadline>,
}

/// Number of action rows of the decision form.
pub const ACTION_ROWS: usize = 2;

/// The meeting pane.
#[derive(Debug)]
pub struct ReviewPane {
    /// Whether the worker answered once.
    pub loaded: bool,
    /// The meeting (None: there is none yet).
    pub review: Option<Review>,
    /// Its agenda, removed items left out.
    pub items: Vec<ReviewItem>,
    /// Index of the item on screen (or under the cursor in the list).
    pub cursor: usize,
    /// Screen or list.
    pub mode: Mode,
    /// The item on screen, once loaded.
    pub shown: Option<Shown>,
    /// The decision form, when open: the form and the item it decides.
    pub form: Option<(Form, i64)>,
    /// Asked to confirm taking the current item off the agenda.
    pub confirm_remove: bool,
    /// Asked to confirm closing the meeting.
    pub confirm_close: bool,
    /// The lookup was opened to add a dossier.
    pub adding: bool,
    /// When the current item's timer started (None: no timer).
    pub timer: Option<Instant>,
    /// Generation of the last item request.
    pub generation: u64,
}

impl Default for ReviewPane {
    fn default() -> Self {
        ReviewPane {
            loaded: false,
            review: None,
            items: Vec::new(),
            cursor: 0,
            mode: Mode::Meeting,
            shown: None,
            form: None,
            confirm_remove: false,
            confirm_close: false,
            adding: false,
            timer: None,
            generation: 0,
        }
    }
}

impl ReviewPane {
    /// The item under the cursor.
    pub fn current(&self) -> Option<&ReviewItem> {
        self.items.get(self.cursor)
    }

    /// Whether the meeting can still change.
    pub fn is_open(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.status == ReviewStatus::Open)
    }

    /// Takes a new agenda, keeping the cursor on the same item when it is still there.
    pub fn set_items(&mut self, review: Option<Review>, items: Vec<ReviewItem>) {
        let keep = self.current().map(|i| i.id);
        let same_review = self.review.as_ref().map(|r| r.id) == review.as_ref().map(|r| r.id);
        self.review = review;
        self.items = items;
        self.loaded = true;
        if !same_review {
            self.cursor = 0;
            self.shown = None;
        } else if let Some(id) = keep {
            match self.items.iter().position(|i| i.id == id) {
                Some(p) => self.cursor = p,
                None => self.cursor = self.cursor.min(self.items.len().saturating_sub(1)),
            }
        }
        self.cursor = self.cursor.min(self.items.len().saturating_sub(1));
    }

    /// Takes a loaded item; computes its trend, summary and deadlines as of `today`.
    pub fn set_detail(&mut self, detail: ItemDetail, today: NaiveDate, rules: &Rules) {
        let summary = detail.file.summary(today);
        let trend = monthly_debt(&detail.file.entries, today, 12);
        let deadlines = deadlines(&detail.file, today, rules);
        self.shown = Some(Shown {
            detail,
            summary,
            trend,
            deadlines,
        });
    }

    /// The loaded detail if it is the current item's.
    pub fn shown_current(&self) -> Option<&Shown> {
        let id = self.current()?.id;
        self.shown.as_ref().filter(|s| s.detail.item_id == id)
    }

    /// Moves the cursor; returns whether it changed.
    pub fn move_by(&mut self, step: isize) -> bool {
        if self.items.is_empty() {
            return false;
        }
        let before = self.cursor;
        let max = self.items.len() as isize - 1;
        self.cursor = (self.cursor as isize + step).clamp(0, max) as usize;
        if self.cursor != before {
            self.confirm_remove = false;
            if self.timer.is_some() {
                self.timer = Some(Instant::now());
            }
        }
        self.cursor != before
    }

    /// Decided items out of the agenda's.
    pub fn decided(&self) -> usize {
        self.items.iter().filter(|i| i.decision.is_some()).count()
    }
}

fn staff_options(staff: &[Staff]) -> Vec<(String, String)> {
    let mut o = vec![(String::new(), "— (aucune action)".to_string())];
    o.extend(
        staff
            .iter()
            .map(|s| (s.login.clone(), format!("{} ({})", s.full_name, s.login))),
    );
    o
}

/// The decision form of an item: the quick choice, the meeting's words, and action rows
/// (who, what, by when). The first row defaults to the item's referent, due in two weeks.
pub fn decision_form(item: &ReviewItem, staff: &[Staff], meeting: NaiveDate) -> Form {
    let kinds: Vec<(String, String)> = DecisionKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label_fr().to_string()))
        .collect();
    let selected = item
        .decision
        .as_ref()
        .and_then(|d| DecisionKind::ALL.iter().position(|k| *k == d.kind))
        .unwrap_or(0);
    let mut fields = vec![
        FormField::choice("kind", "Décision", kinds, selected),
        FormField::text(
            "text",
            "Texte",
            FieldType::Text,
            false,
            item.decision
                .as_ref()
                .map(|d| d.text.as_str())
                .unwrap_or(""),
        ),
    ];
    let options = staff_options(staff);
    let due = format_fr(meeting + chrono::Duration::days(14));
    for row in 1..=ACTION_ROWS {
        let who = if row == 1 {
            item.referent
                .as_ref()
                .and_then(|r| options.iter().position(|(l, _)| l == r))
                .unwrap_or(0)
        } else {
            0
        };
        fields.push(FormField::choice(
            &format!("who{row}"),
            &format!("Action {row} : qui"),
            options.clone(),
            who,
        ));
        fields.push(FormField::text(
            &format!("what{row}"),
            &format!("Action {row} : quoi"),
            FieldType::Text,
            false,
            "",
        ));
        fields.push(FormField::text(
            &format!("due{row}"),
            &format!("Action {row} : pour le"),
            FieldType::Date,
            false,
            &due,
        ));
    }
    let mut form = Form::new(
        &format!("Décision — {} {}", item.account, item.name),
        fields,
    );
    form.hint = Some("← → pour choisir ; « quoi » vide : le texte habituel de la décision".into());
    form
}

/// Reads the decision form: the kind, the text and the actions, or French errors beside the
/// faulty fields. An action row with nobody chosen is no action.
pub fn submit_decision(
    form: &mut Form,
    meeting: NaiveDate,
) -> Option<(DecisionKind, String, Vec<NewAction>)> {
    form.clear_errors();
    let kind = DecisionKind::from_code(&form.get("kind")).unwrap_or(DecisionKind::Other);
    let text = form.get("text").trim().to_string();
    if kind == DecisionKind::Other && text.is_empty() {
        form.set_error("text", "une autre décision se dit en quelques mots".into());
        return None;
    }
    let mut actions = Vec::new();
    let mut ok = true;
    for row in 1..=ACTION_ROWS {
        let who = form.get(&format!("who{row}"));
        if who.is_empty() {
            continue;
        }
        let mut what = form.get(&format!("what{row}")).trim().to_string();
        if what.is_empty() {
            what = kind.default_action_fr().to_string();
        }
        if what.is_empty() {
            form.set_error(&format!("what{row}"), "dites ce qu'il faut faire".into());
            ok = false;
            continue;
        }
        match parse_date(&form.get(&format!("due{row}"))) {
            Some(due) if due >= meeting && due <= add_months(meeting, 24) => {
                actions.push(NewAction {
                    assignee: who,
                    what,
                    due_on: due,
                })
            }
            Some(_) => {
                form.set_error(
                    &format!("due{row}"),
                    "échéance entre le jour de la réunion et deux ans après".into(),
                );
                ok = false;
            }
            None => {
                form.set_error(&format!("due{row}"), "date attendue JJ/MM/AAAA".into());
                ok = false;
            }
        }
    }
    ok.then_some((kind, text, actions))
}
