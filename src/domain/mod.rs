//! Pure types and rules of the arrears service: no I/O, no clock (`today` is an argument).

pub mod action;
pub mod agenda;
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
pub mod letters;
pub mod money;
pub mod plan;
pub mod portfolio;
pub mod prescription;
pub mod procedure;
pub mod review;
// Team use, trust and data protection (issue 9).
pub mod audit;
pub mod inert;
pub mod retention;
pub mod todo;
