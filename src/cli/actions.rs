//! `impayes actions [--until DATE] [--format table|json]`: what an officer must do ("Mes
//! actions"), for the global `--user` (`--user tous`, or a head of service's login: the whole
//! service).

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use clap::ValueEnum;

use super::Context;
use crate::domain::action::Horizon;
use crate::domain::dates::format_fr;
use crate::domain::todo::{TodoItem, TodoSource, Who, group};
use crate::store::{self, Store};
use crate::tui::fmt::ellipsize;

/// Options of `impayes actions`.
#[derive(Debug, Clone, clap::Args)]
pub struct ActionsArgs {
    /// Seulement ce qui est dû au plus tard ce jour (AAAA-MM-JJ ou JJ/MM/AAAA)
    #[arg(long, value_name = "DATE", value_parser = parse_until)]
    pub until: Option<NaiveDate>,
    /// Format de sortie : table ou json (par défaut : table)
    #[arg(long, value_enum, default_value_t = ActionsFormat::Table, value_name = "FORMAT",
          hide_default_value = true, hide_possible_values = true)]
    pub format: ActionsFormat,
}

/// Output formats of `impayes actions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionsFormat {
    /// Tableau lisible, par groupes
    Table,
    /// JSON
    Json,
}

fn parse_until(s: &str) -> Result<NaiveDate, String> {
    crate::domain::dates::parse_date(s).ok_or_else(|| {
        format!("« {s} » n'est pas une date valide (attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
    })
}

/// Stable code of a group in JSON.
fn group_code(h: Horizon) -> &'static str {
    match h {
        Horizon::Overdue => "overdue",
        Horizon::Today => "today",
        Horizon::ThisWeek => "this_week",
        Horizon::Later => "later",
    }
}

fn source_code(s: &TodoSource) -> &'static str {
    match s {
        TodoSource::Action { .. } => "action",
        TodoSource::NextAction => "next_action",
        TodoSource::Legal { .. } => "legal",
    }
}

fn json_item(t: &TodoItem, h: Horizon) -> serde_json::Value {
    let (action_id, origin, rule_id, rule_kind, late, unverified) = match &t.source {
        TodoSource::Action { id, origin } => {
            (Some(*id), Some(origin.code()), None, None, false, false)
        }
        TodoSource::NextAction => (None, None, None, None, false, false),
        TodoSource::Legal {
            rule_id,
            kind,
            late,
            unverified,
        } => (
            None,
            None,
            Some(rule_id.clone()),
            Some(*kind),
            *late,
            *unverified,
        ),
    };
    serde_json::json!({
        "group": group_code(h),
        "due": t.due,
        "account": t.account,
        "holder": t.holder,
        "household_id": t.household_id,
        "dossier_id": t.dossier_id,
        "assignee": t.assignee,
        "what": t.what,
        "source": source_code(&t.source),
        "action_id": action_id,
        "origin": origin,
        "rule_id": rule_id,
        "rule_kind": rule_kind,
        "late": late,
        "unverified": unverified,
    })
}

/// Lists what the user must do, grouped overdue / today / this week / later.
pub fn run(ctx: &Context, args: &ActionsArgs) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    let mut who = Who::parse(&ctx.user);
    if let Who::One(login) = &who {
        let staff = store::staff(store.conn())?;
        match staff.iter().find(|s| s.login == *login) {
            None => {
                eprintln!(
                    "impayes : « {login} » n'est pas un agent de cette base : précisez --user LOGIN (ou --user tous pour tout le service)"
                );
                return Ok(ExitCode::from(1));
            }
            // The head of service follows everyone's, as in the workstation.
            Some(s) if s.role == crate::domain::household::Role::Manager => who = Who::Everyone,
            Some(_) => {}
        }
    }
    let rules = crate::config::load_rules()?;
    let items = store::todo(store.conn(), &who, ctx.today, args.until, &rules)?;
    let groups = group(&items, ctx.today);
    if args.format == ActionsFormat::Json {
        let list: Vec<serde_json::Value> = groups
            .iter()
            .flat_map(|(h, v)| v.iter().map(move |t| json_item(t, *h)))
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "user": who.login(),
                "today": ctx.today,
                "until": args.until,
                "count": list.len(),
                "items": list,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let whose = match &who {
        Who::One(l) => format!("de {l}"),
        Who::Everyone => "du service".to_string(),
    };
    outln!(
        "Actions {whose} au {}{} : {} ligne{}",
        format_fr(ctx.today),
        args.until
            .map(|u| format!(" (jusqu'au {})", format_fr(u)))
            .unwrap_or_default(),
        items.len(),
        if items.len() > 1 { "s" } else { "" }
    );
    if items.is_empty() {
        outln!("Rien à faire.");
    }
    for (h, lines) in &groups {
        outln!("");
        outln!("{} ({})", h.label_fr(), lines.len());
        for t in lines {
            let agent = match who {
                Who::Everyone => format!("{:<9} ", ellipsize(&t.assignee, 9)),
                Who::One(_) => String::new(),
            };
            outln!(
                "  {}  {:<10}  {:<28}  {agent}{:<19}  {}",
                format_fr(t.due),
                t.account,
                ellipsize(&t.holder, 28),
                t.source.label_fr(),
                t.what
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
