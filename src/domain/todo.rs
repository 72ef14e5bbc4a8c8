//! "Mes actions": what an officer must do, merged from three sources and grouped by urgency.
//!
//! 1. The open actions assigned to the officer (set from a dossier or by a monthly review).
//! 2. The next action (`next_action`, `next_action_on`) of the open dossiers the officer leads:
//!    those where they are the referent of the phase's lead role (`Phase::lead_role`).
//! 3. The legal deadlines of those same dossiers, as the deadline engine computes them
//!    (`procedure::deadlines`), missing obligations (CAF report) included.
//!
//! A legal deadline is dated by the day that matters to the officer (`officer_date`): for a
//! step the law requires, the last day to take it (`expires`); for a step the law allows once a
//! delay has run, the first day it is possible (`next_step_from`, after the trêve hivernale).
//! Periods that bound nothing the officer must do (a judge's payment delays, the ten years to
//! enforce a judgement, a surendettement freeze) and steps frozen by a surendettement are left
//! to the dossier's Délais tab.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::action::{Action, ActionOrigin, Horizon};
use super::portfolio::PortfolioRow;
use super::procedure::{Deadline, RuleKind};

/// Whose list: one officer's, or the whole service's (for the head of service).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    /// One officer, by login.
    One(String),
    /// Everyone.
    Everyone,
}

impl Who {
    /// The login `tous` (or `all`, `*`) means everyone; any other is one officer.
    pub fn parse(login: &str) -> Who {
        match login.trim() {
            "tous" | "all" | "*" => Who::Everyone,
            other => Who::One(other.to_string()),
        }
    }

    /// The officer's login, or None for everyone.
    pub fn login(&self) -> Option<&str> {
        match self {
            Who::One(l) => Some(l),
            Who::Everyone => None,
        }
    }

    /// Whether a dossier led by `referent` belongs to the list.
    pub fn leads(&self, referent: Option<&str>) -> bool {
        match self {
            Who::One(l) => referent == Some(l.as_str()),
            Who::Everyone => true,
        }
    }
}

/// Where a line of "Mes actions" comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TodoSource {
    /// An action of the `actions` table.
    Action {
        /// Its id (to tick it off).
        id: i64,
        /// Set by an officer or decided by a review.
        #[serde(serialize_with = "origin_code")]
        origin: ActionOrigin,
    },
    /// The dossier's next action.
    NextAction,
    /// A legal deadline computed by the engine.
    Legal {
        /// Step name of the rule (`payment-order`…).
        rule_id: String,
        /// `requires` (last day to act) or `allows` (first day possible).
        kind: RuleKind,
        /// A required step whose last day has passed.
        late: bool,
        /// Marked "à vérifier" by the rules.
        unverified: bool,
    },
}

fn origin_code<S: serde::Serializer>(o: &ActionOrigin, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(o.code())
}

impl TodoSource {
    /// Shown to users: "action", "action (commission)", "prochaine action", "délai légal".
    pub fn label_fr(&self) -> &'static str {
        match self {
            TodoSource::Action {
                origin: ActionOrigin::Officer,
                ..
            } => "action",
            TodoSource::Action {
                origin: ActionOrigin::Review,
                ..
            } => "action (commission)",
            TodoSource::NextAction => "prochaine action",
            TodoSource::Legal { .. } => "délai légal",
        }
    }

    /// Order among lines of the same day: actions, next actions, then legal deadlines.
    fn rank(&self) -> u8 {
        match self {
            TodoSource::Action { .. } => 0,
            TodoSource::NextAction => 1,
            TodoSource::Legal { .. } => 2,
        }
    }

    /// The action's id, when the line is an action (the one kind that can be ticked off).
    pub fn action_id(&self) -> Option<i64> {
        match self {
            TodoSource::Action { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// One line of "Mes actions".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TodoItem {
    /// The day that matters (see the module's doc for legal deadlines).
    pub due: NaiveDate,
    /// The dossier.
    pub dossier_id: i64,
    /// Its household (to open it).
    pub household_id: i64,
    /// Account number.
    pub account: String,
    /// Holder's name.
    pub holder: String,
    /// Who must do it (login; empty when the dossier has no lead referent).
    pub assignee: String,
    /// What to do, in French.
    pub what: String,
    /// Where it comes from.
    pub source: TodoSource,
}

/// How a legal deadline's line starts when its step is required by its day.
pub const REQUIRED: &str = "Au plus tard : ";
/// How a legal deadline's line starts when its step is possible from its day.
pub const POSSIBLE: &str = "Possible : ";

/// The day of a legal deadline that matters to the officer, or None when the deadline is not
/// something to do (a period, a freeze, a frozen step).
pub fn officer_date(d: &Deadline) -> Option<NaiveDate> {
    if d.frozen_until.is_some() {
        return None;
    }
    match d.kind {
        RuleKind::Requires => Some(d.expires),
        RuleKind::Allows => Some(d.next_step_from.unwrap_or(d.expires)),
        RuleKind::Limit | RuleKind::Freeze => None,
    }
}

/// What an action's line says.
pub fn from_action(a: &Action, household_id: i64, account: &str, holder: &str) -> TodoItem {
    TodoItem {
        due: a.due_on,
        dossier_id: a.dossier_id,
        household_id,
        account: account.to_string(),
        holder: holder.to_string(),
        assignee: a.assignee.clone(),
        what: a.what.clone(),
        source: TodoSource::Action {
            id: a.id,
            origin: a.origin,
        },
    }
}

/// The line of a dossier's next action, when it has one with a date.
pub fn from_next_action(row: &PortfolioRow) -> Option<TodoItem> {
    let due = row.next_action_on?;
    Some(TodoItem {
        due,
        dossier_id: row.dossier_id,
        household_id: row.household_id,
        account: row.account.clone(),
        holder: row.name.clone(),
        assignee: row.referent.clone().unwrap_or_default(),
        what: row
            .next_action
            .clone()
            .unwrap_or_else(|| "(prochaine action sans libellé)".into()),
        source: TodoSource::NextAction,
    })
}

/// The lines of a dossier's legal deadlines (those with an officer date).
pub fn from_deadlines(row: &PortfolioRow, deadlines: &[Deadline]) -> Vec<TodoItem> {
    deadlines
        .iter()
        .filter_map(|d| {
            let due = officer_date(d)?;
            let what = match d.kind {
                RuleKind::Requires => format!("{REQUIRED}{}", d.label),
                _ => format!("{POSSIBLE}{}", d.label),
            };
            Some(TodoItem {
                due,
                dossier_id: row.dossier_id,
                household_id: row.household_id,
                account: row.account.clone(),
                holder: row.name.clone(),
                assignee: row.referent.clone().unwrap_or_default(),
                what,
                source: TodoSource::Legal {
                    rule_id: d.rule_id.clone(),
                    kind: d.kind,
                    late: d.late,
                    unverified: d.unverified,
                },
            })
        })
        .collect()
}

/// Merges the three sources for `who`: `actions` are the open actions already selected for
/// them (with household id, account and holder), `rows` every open dossier (those `who` leads
/// are kept), `deadlines` the engine's deadlines by dossier id. Lines due after `until` are
/// left out. Sorted by day, then actions before next actions before legal deadlines, then by
/// account.
pub fn merge(
    who: &Who,
    actions: Vec<TodoItem>,
    rows: &[PortfolioRow],
    deadlines: &HashMap<i64, Vec<Deadline>>,
    until: Option<NaiveDate>,
) -> Vec<TodoItem> {
    let mut out = actions;
    for row in rows.iter().filter(|r| who.leads(r.referent.as_deref())) {
        out.extend(from_next_action(row));
        if let Some(d) = deadlines.get(&row.dossier_id) {
            out.extend(from_deadlines(row, d));
        }
    }
    out.retain(|t| until.is_none_or(|u| t.due <= u));
    out.sort_by(|a, b| {
        (a.due, a.source.rank(), &a.account, &a.what).cmp(&(
            b.due,
            b.source.rank(),
            &b.account,
            &b.what,
        ))
    });
    out
}

/// The lines in the groups of "Mes actions" (overdue, today, this week, later), empty groups
/// left out; each group keeps the lines' order.
pub fn group(items: &[TodoItem], today: NaiveDate) -> Vec<(Horizon, Vec<&TodoItem>)> {
    let mut out: Vec<(Horizon, Vec<&TodoItem>)> = Vec::new();
    for t in items {
        let h = Horizon::of(t.due, today);
        match out.iter_mut().find(|(g, _)| *g == h) {
            Some((_, v)) => v.push(t),
            None => out.push((h, vec![t])),
        }
    }
    out.sort_by_key(|(h, _)| *h);
    out
}

/// The nearest legal date of a dossier, for the portfolio's column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegalDate {
    /// The day (officer date of the first deadline that has one).
    pub date: NaiveDate,
    /// A required step whose last day has passed.
    pub late: bool,
}

/// The earliest officer date among a dossier's deadlines; a late required step wins over an
/// earlier step merely possible, since it is the one that costs.
pub fn nearest_legal(deadlines: &[Deadline]) -> Option<LegalDate> {
    let dated = deadlines
        .iter()
        .filter_map(|d| officer_date(d).map(|x| (x, d.late)));
    let late = dated.clone().filter(|(_, l)| *l).min_by_key(|(x, _)| *x);
    late.or_else(|| dated.min_by_key(|(x, _)| *x))
        .map(|(date, late)| LegalDate { date, late })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::dossier::Phase;
    use crate::domain::household::TenantStatus;
    use rust_decimal::Decimal;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn row(dossier_id: i64, referent: &str, next: Option<(&str, NaiveDate)>) -> PortfolioRow {
        PortfolioRow {
            dossier_id,
            household_id: dossier_id * 10,
            account: format!("411-{dossier_id:06}"),
            name: format!("Ménage {dossier_id}"),
            sector: "MUL".into(),
            status: TenantStatus::Present,
            debt: Decimal::new(1000, 0),
            monthly_net: Decimal::new(400, 0),
            phase: Phase::Amicable,
            referent: Some(referent.into()),
            next_action: next.map(|n| n.0.to_string()),
            next_action_on: next.map(|n| n.1),
            opened_on: d(2026, 1, 1),
            plan_status: None,
            flags: Vec::new(),
        }
    }

    fn deadline(kind: RuleKind, expires: NaiveDate, next: Option<NaiveDate>) -> Deadline {
        Deadline {
            rule_id: "payment-order".into(),
            label: "Clause résolutoire acquise".into(),
            kind,
            from: d(2026, 1, 1),
            expires,
            next_step_from: next,
            summary: String::new(),
            explanation: String::new(),
            reference: String::new(),
            unverified: false,
            skipped: Vec::new(),
            frozen_until: None,
            late: false,
        }
    }

    fn action(id: i64, dossier_id: i64, assignee: &str, due: NaiveDate) -> Action {
        Action {
            id,
            dossier_id,
            assignee: assignee.into(),
            what: format!("Action {id}"),
            due_on: due,
            origin: ActionOrigin::Officer,
            review_item_id: None,
            done: None,
        }
    }

    #[test]
    fn officer_date_is_last_day_or_first_possible_day() {
        // Required forward step: its last day, not the day after.
        let req = deadline(RuleKind::Requires, d(2026, 11, 2), Some(d(2026, 11, 3)));
        assert_eq!(officer_date(&req), Some(d(2026, 11, 2)));
        // Allowed step: the first day possible (after the trêve when pushed).
        let allows = deadline(RuleKind::Allows, d(2026, 11, 30), Some(d(2027, 4, 1)));
        assert_eq!(officer_date(&allows), Some(d(2027, 4, 1)));
        // Periods and freezes are not things to do, nor frozen steps.
        assert_eq!(
            officer_date(&deadline(RuleKind::Limit, d(2028, 1, 17), None)),
            None
        );
        assert_eq!(
            officer_date(&deadline(RuleKind::Freeze, d(2028, 3, 20), None)),
            None
        );
        let mut frozen = allows.clone();
        frozen.frozen_until = Some(d(2028, 3, 20));
        assert_eq!(officer_date(&frozen), None);
    }

    #[test]
    fn merge_keeps_the_officers_dossiers_and_sorts_by_day_then_source() {
        let rows = vec![
            row(1, "pmuller", Some(("Appeler", d(2026, 11, 20)))),
            row(2, "tgirard", Some(("Relancer", d(2026, 11, 19)))),
            row(3, "pmuller", None),
        ];
        let mut deadlines = HashMap::new();
        deadlines.insert(
            3,
            vec![
                deadline(RuleKind::Requires, d(2026, 11, 20), Some(d(2026, 11, 21))),
                deadline(RuleKind::Limit, d(2026, 11, 25), None),
            ],
        );
        // Deadlines of a dossier pmuller does not lead are not his.
        deadlines.insert(
            2,
            vec![deadline(
                RuleKind::Allows,
                d(2026, 11, 1),
                Some(d(2026, 11, 2)),
            )],
        );
        let a = action(9, 2, "pmuller", d(2026, 11, 20));
        let actions = vec![from_action(&a, 20, "411-000002", "Ménage 2")];
        let who = Who::parse("pmuller");
        let out = merge(&who, actions, &rows, &deadlines, None);
        let got: Vec<(NaiveDate, &str, &str)> = out
            .iter()
            .map(|t| (t.due, t.account.as_str(), t.source.label_fr()))
            .collect();
        assert_eq!(
            got,
            vec![
                (d(2026, 11, 20), "411-000002", "action"),
                (d(2026, 11, 20), "411-000001", "prochaine action"),
                (d(2026, 11, 20), "411-000003", "délai légal"),
            ]
        );
        assert_eq!(out[2].what, "Au plus tard : Clause résolutoire acquise");
        // Until the 19th: nothing of pmuller's; everyone's: tgirard's next action and deadline.
        assert!(merge(&who, Vec::new(), &rows, &deadlines, Some(d(2026, 11, 19))).is_empty());
        let all = merge(
            &Who::parse("tous"),
            Vec::new(),
            &rows,
            &deadlines,
            Some(d(2026, 11, 19)),
        );
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].due, d(2026, 11, 2));
        assert_eq!(all[0].what, "Possible : Clause résolutoire acquise");
        assert_eq!(all[0].assignee, "tgirard");
    }

    #[test]
    fn groups_follow_the_horizon_in_order() {
        // Wednesday 18/11/2026: the week ends on Sunday 22.
        let today = d(2026, 11, 18);
        let rows = vec![
            row(1, "p", Some(("later", d(2026, 11, 23)))),
            row(2, "p", Some(("week", d(2026, 11, 22)))),
            row(3, "p", Some(("late", d(2026, 11, 17)))),
            row(4, "p", Some(("late too", d(2026, 10, 1)))),
        ];
        let items = merge(&Who::parse("p"), Vec::new(), &rows, &HashMap::new(), None);
        let groups = group(&items, today);
        let shape: Vec<(Horizon, Vec<&str>)> = groups
            .iter()
            .map(|(h, v)| (*h, v.iter().map(|t| t.what.as_str()).collect()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (Horizon::Overdue, vec!["late too", "late"]),
                (Horizon::ThisWeek, vec!["week"]),
                (Horizon::Later, vec!["later"]),
            ]
        );
    }

    #[test]
    fn nearest_legal_prefers_a_late_requirement() {
        let possible = deadline(RuleKind::Allows, d(2026, 1, 5), Some(d(2026, 1, 6)));
        let mut late = deadline(RuleKind::Requires, d(2026, 3, 2), Some(d(2026, 3, 3)));
        late.late = true;
        let upcoming = deadline(RuleKind::Requires, d(2026, 12, 1), Some(d(2026, 12, 2)));
        assert_eq!(
            nearest_legal(&[possible.clone(), upcoming.clone()]),
            Some(LegalDate {
                date: d(2026, 1, 6),
                late: false
            })
        );
        assert_eq!(
            nearest_legal(&[possible, late, upcoming]),
            Some(LegalDate {
                date: d(2026, 3, 2),
                late: true
            })
        );
        assert_eq!(
            nearest_legal(&[deadline(RuleKind::Limit, d(2026, 1, 1), None)]),
            None
        );
    }

    #[test]
    fn who_parses_everyone() {
        assert_eq!(Who::parse("tous"), Who::Everyone);
        assert_eq!(Who::parse(" pmuller "), Who::One("pmuller".into()));
        assert!(Who::Everyone.leads(None));
        assert!(!Who::parse("a").leads(None));
    }
}
