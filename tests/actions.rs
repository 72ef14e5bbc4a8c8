//! "Mes actions" below the workstation: the batch loading of files gives the deadline engine
//! what `household_file` gives it, and `impayes actions` lists, filters and prints JSON.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use serde_json::Value;

use impayes::domain::action::{Action, ActionOrigin};
use impayes::domain::detection::{DetectionRules, assess_file, caf_of_file};
use impayes::domain::procedure::{Rules, deadlines};
use impayes::store::{self, FileSet, Stamp, Store};

mod common;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = common::demo::demo_file(dir.path(), "demo.sqlite3", 300, 3);
    (dir, path)
}

fn actions(db: &Path, user: &str, extra: &[&str]) -> (i32, String, String) {
    let home = db.parent().expect("dir").join("home");
    let out = Command::new(env!("CARGO_BIN_EXE_impayes"))
        .env_remove("IMPAYES_DB")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-22", "--user", user, "actions"])
        .args(extra)
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("exited"),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn batch_files_give_the_same_deadlines_as_single_files() {
    let (_dir, path) = demo();
    let store = Store::open(&path).expect("open");
    let conn = store.conn();
    let rules = Rules::default();
    let all =
        store::deadlines_by_dossier(conn, FileSet::OpenDossiers, today(), &rules).expect("batch");
    let rows = store::portfolio(conn).expect("portfolio");
    assert_eq!(all.len(), rows.len(), "one entry per open dossier");
    let mut with_deadlines = 0;
    for r in &rows {
        let file = store::household_file(conn, r.household_id).expect("file");
        let single = deadlines(&file, today(), &rules);
        assert_eq!(all.get(&r.dossier_id), Some(&single), "{}", r.account);
        with_deadlines += usize::from(!single.is_empty());
    }
    assert!(with_deadlines > 5, "the demo has running deadlines");
    // The batch files read the entries' dates and amounts, not their kinds: the CAF threshold,
    // the one thing the engine reads of the account, is the same as from the whole file.
    let detection = DetectionRules::default();
    let mut reached = 0;
    for batch in store::deadline_files(conn, FileSet::OpenDossiers).expect("batch files") {
        let whole = store::household_file(conn, batch.household.id).expect("file");
        let caf = caf_of_file(&batch, today(), &detection);
        assert_eq!(caf, assess_file(&whole, today(), &detection).caf);
        reached += usize::from(caf.is_some_and(|c| c.reached_on.is_some()));
    }
    assert!(
        reached > 5,
        "the demo has CAF thresholds reached: {reached}"
    );
    // A given set loads just those households.
    let ids: Vec<i64> = rows.iter().take(3).map(|r| r.household_id).collect();
    let files = store::deadline_files(conn, FileSet::Only(&ids)).expect("some");
    let got: Vec<i64> = files.iter().map(|f| f.household.id).collect();
    let mut want = ids.clone();
    want.sort_unstable();
    assert_eq!(got, want);
}

#[test]
fn actions_command_merges_groups_and_prints_json() {
    let (_dir, path) = demo();
    // Give pmuller an action on a dossier he does not lead, due tomorrow.
    let (dossier_id, account) = {
        let mut store = Store::open(&path).expect("open");
        let rows = store::portfolio(store.conn()).expect("rows");
        let other = rows
            .iter()
            .find(|r| r.referent.as_deref() != Some("pmuller"))
            .expect("a dossier of someone else")
            .clone();
        store
            .write(|c| {
                store::insert_action(
                    c,
                    &Action {
                        id: 0,
                        dossier_id: other.dossier_id,
                        assignee: "pmuller".into(),
                        what: "Rappeler la CESF".into(),
                        due_on: NaiveDate::from_ymd_opt(2026, 11, 23).expect("date"),
                        origin: ActionOrigin::Review,
                        review_item_id: None,
                        done: None,
                    },
                    &Stamp::now("cmartin"),
                )
            })
            .expect("insert");
        (other.dossier_id, other.account)
    };
    let (code, out, err) = actions(&path, "pmuller", &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["user"], "pmuller");
    assert_eq!(v["today"], "2026-11-22");
    let items = v["items"].as_array().expect("items");
    assert_eq!(v["count"].as_u64(), Some(items.len() as u64));
    // Groups in order, days in order, ISO dates.
    let order = ["overdue", "today", "this_week", "later"];
    let ranks: Vec<usize> = items
        .iter()
        .map(|i| {
            order
                .iter()
                .position(|g| i["group"] == *g)
                .expect("known group")
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    let dues: Vec<&str> = items
        .iter()
        .map(|i| i["due"].as_str().expect("due"))
        .collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]));
    assert!(dues.iter().all(|d| d.len() == 10 && &d[4..5] == "-"));
    for i in items {
        for k in [
            "group",
            "due",
            "account",
            "holder",
            "household_id",
            "dossier_id",
            "assignee",
            "what",
            "source",
            "action_id",
            "origin",
            "rule_id",
            "rule_kind",
            "late",
            "unverified",
        ] {
            assert!(i.get(k).is_some(), "key {k} in {i}");
        }
        assert_eq!(i["assignee"], "pmuller");
    }
    let action = items
        .iter()
        .find(|i| i["source"] == "action")
        .expect("the action");
    // 22/11/2026 is a Sunday: its week ends that day, Monday is "later".
    assert_eq!(action["group"], "later");
    assert_eq!(action["origin"], "review");
    assert_eq!(action["dossier_id"].as_i64(), Some(dossier_id));
    assert_eq!(action["account"], account.as_str());
    assert!(items.iter().any(|i| i["source"] == "next_action"));
    // --until leaves out what is due later.
    let (_, out, _) = actions(
        &path,
        "pmuller",
        &["--format", "json", "--until", "2026-11-22"],
    );
    let v: Value = serde_json::from_str(&out).expect("json");
    let early = v["items"].as_array().expect("items");
    assert!(
        early
            .iter()
            .all(|i| i["due"].as_str() <= Some("2026-11-22"))
    );
    assert!(early.len() < items.len());
    // The table, in French, grouped.
    let (code, out, _) = actions(&path, "pmuller", &[]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("Actions de pmuller au 22/11/2026 : "),
        "{out}"
    );
    assert!(out.contains("\nPlus tard (") && out.contains("action (commission)"));
    // The whole service: several officers.
    let (code, out, _) = actions(&path, "tous", &["--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["user"], Value::Null);
    let mut who: Vec<&str> = v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["assignee"].as_str().expect("assignee"))
        .collect();
    who.sort_unstable();
    who.dedup();
    assert!(who.len() > 2, "{who:?}");
    // The head of service's login lists the whole service too.
    let (code, out, _) = actions(&path, "cmartin", &["--format", "json"]);
    assert_eq!(code, 0);
    let boss: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(boss["user"], Value::Null);
    assert_eq!(boss["count"], v["count"]);
    // An unknown login is one French sentence and exit 1.
    let (code, out, err) = actions(&path, "inconnu", &[]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(
        err.starts_with("impayes : « inconnu » n'est pas un agent"),
        "{err}"
    );
}
