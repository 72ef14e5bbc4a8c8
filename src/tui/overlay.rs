//! What is drawn over the panes (lookup, forms, pickers, help, palette, an event in full) and
//! the questions asked before something is lost; `app` holds them in a stack.

use super::form::Form;
use super::forms::Purpose;
use super::keymap::ACTIONS;
use super::lookup::Lookup;
use crate::domain::event::{EVENT_KINDS, Event};
use crate::domain::fold::fold_key;

/// A form in progress and what it is for.
#[derive(Debug)]
pub struct FormState {
    /// The form.
    pub form: Form,
    /// What it does once valid.
    pub purpose: Purpose,
    /// Sent to the worker, waiting for the answer.
    pub pending: bool,
    /// The dossier and its row version when the form opened: the save is refused if another
    /// officer saved the dossier since.
    pub base: Option<(i64, i64)>,
}

/// The event-kind picker that precedes an event form.
#[derive(Debug, Default)]
pub struct KindPicker {
    /// Filter typed.
    pub query: String,
    /// Cursor in the filtered list.
    pub cursor: usize,
}

impl KindPicker {
    /// Kinds matching the filter: (code, label, group).
    pub fn items(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        let q = fold_key(self.query.trim());
        EVENT_KINDS
            .iter()
            .copied()
            .filter(|(c, l, _)| q.is_empty() || fold_key(l).contains(&q) || c.contains(&q))
            .collect()
    }
}

/// The palette of every action.
#[derive(Debug, Default)]
pub struct Palette {
    /// Filter typed.
    pub query: String,
    /// Cursor.
    pub cursor: usize,
}

impl Palette {
    /// Indices into `ACTIONS` matching the filter.
    pub fn items(&self) -> Vec<usize> {
        let q = fold_key(self.query.trim());
        ACTIONS
            .iter()
            .enumerate()
            .filter(|(_, a)| q.is_empty() || fold_key(a.label).contains(&q))
            .map(|(i, _)| i)
            .collect()
    }
}

/// What is drawn over the panes.
#[derive(Debug)]
pub enum Overlay {
    /// Recherche.
    Lookup(Lookup),
    /// A form.
    Form(FormState),
    /// Choosing an event kind.
    Kinds(KindPicker),
    /// Full help.
    Help(usize),
    /// Command palette.
    Palette(Palette),
    /// One event in full.
    Event(Box<Event>),
    /// A titled text (a deadline's computation).
    Text(String, String),
}

/// A question asked before something is lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirm {
    /// Quit with a form holding input.
    Quit,
    /// Close a form holding input.
    DropForm,
}
