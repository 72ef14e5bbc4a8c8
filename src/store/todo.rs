//! "Mes actions" read from the database: the open actions, the next actions and the legal
//! deadlines of the dossiers an officer leads, merged by `domain::todo`.

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use super::actions::open_actions;
use super::files::{FileSet, deadlines_by_dossier};
use super::read::portfolio;
use crate::domain::procedure::Rules;
use crate::domain::todo::{TodoItem, Who, from_action, merge};

/// What `who` must do, as of `today`, due on or before `until` if given: the lines of
/// "Mes actions" (`impayes actions` and the workstation's pane), sorted by day.
pub fn todo(
    conn: &Connection,
    who: &Who,
    today: NaiveDate,
    until: Option<NaiveDate>,
    rules: &Rules,
) -> Result<Vec<TodoItem>> {
    let actions = open_actions(conn, who.login(), until)?
        .into_iter()
        .map(|r| from_action(&r.action, r.household_id, &r.account, &r.holder))
        .collect();
    let rows: Vec<_> = portfolio(conn)?
        .into_iter()
        .filter(|r| who.leads(r.referent.as_deref()))
        .collect();
    let households: Vec<i64> = rows.iter().map(|r| r.household_id).collect();
    let set = match who {
        Who::Everyone => FileSet::OpenDossiers,
        Who::One(_) => FileSet::Only(&households),
    };
    let deadlines = deadlines_by_dossier(conn, set, today, rules)?;
    Ok(merge(who, actions, &rows, &deadlines, until))
}
