//! impayes: a terminal workstation for a social landlord's rent-arrears service.
//!
//! Layers: `domain` (pure rules), `store` (SQLite), `search` (the lookup), `cli` and `tui`
//! (the two front ends), `config` (files and paths).

pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod letters;
pub mod search;
pub mod store;
pub mod tui;
