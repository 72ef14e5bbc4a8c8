//! Pure types and rules of the arrears service: no I/O, no clock (`today` is an argument).

pub mod action;
pub mod calendar;
pub mod dates;
pub mod delay;
pub mod detection;
pub mod dossier;
pub mod event;
pub mod event_form;
pub mod figures;
pub mod figures_calc;
pub mod fold;
pub mod household;
pub mod import_rules;
pub mod ledger;
pub mod money;
pub mod plan;
pub mod portfolio;
pub mod prescription;
pub mod procedure;
