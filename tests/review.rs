//! The monthly review on a real SQLite file: the proposed agenda of a demo database, hand
//! changes, decisions that become timeline events and review actions, a closed meeting that
//! refuses every change (in the store and in the triggers), and the minutes from the binary.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;

use impayes::domain::action::ActionOrigin;
use impayes::domain::agenda::AgendaRules;
use impayes::domain::event::EventDetail;
use impayes::domain::procedure::Rules;
use impayes::domain::review::{DecisionKind, ReasonCode, ReviewStatus};
use impayes::store::{self, NewAction, Stamp, Store, StoreError};

mod common;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn demo_db(dir: &Path) -> PathBuf {
    common::demo::demo_file(dir, "review.sqlite3", 400, 3)
}

fn build(store: &mut Store, rules: &AgendaRules) -> i64 {
    let stamp = Stamp::on("cmartin", today());
    store
        .write(|c| {
            store::build_review(
                c,
                today(),
                &["cmartin".into(), "pmuller".into()],
                rules,
                &Rules::default(),
                &stamp,
            )
        })
        .expect("build")
        .review_id
}

#[test]
fn agenda_decisions_and_a_closed_meeting_that_stays_closed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(&demo_db(dir.path())).expect("open");
    let stamp = Stamp::on("cmartin", today());
    let id = build(&mut store, &AgendaRules::default());
    let items = store::review_items(store.conn(), id, false).expect("items");
    assert!(!items.is_empty(), "the demo gives an agenda");
    assert!(items.len() <= AgendaRules::default().max_items);
    assert!(items.iter().all(|i| !i.reasons.is_empty()));
    // Positions follow sector, then referent.
    let keys: Vec<(String, Option<String>)> = items
        .iter()
        .map(|i| (i.sector.clone(), i.referent.clone()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| {
        a.0.cmp(&b.0).then(match (&a.1, &b.1) {
            (Some(x), Some(y)) => x.cmp(y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
    });
    assert_eq!(keys, sorted);
    // A second meeting the same day is refused.
    let again = store.write(|c| store::insert_review(c, today(), &[], &stamp));
    assert!(matches!(again, Err(StoreError::Refused(m)) if m.contains("existe déjà")));

    // Remove the first item, add it back by hand with a reason.
    let first = items[0].clone();
    store
        .write(|c| store::remove_item(c, id, &first.account))
        .expect("remove");
    let after = store::review_items(store.conn(), id, false).expect("items");
    assert_eq!(after.len(), items.len() - 1);
    // The others close up: numbers without gaps.
    assert_eq!(
        after.iter().map(|i| i.position).collect::<Vec<_>>(),
        (1..=after.len() as i64).collect::<Vec<_>>()
    );
    let order = AgendaRules::default().order;
    store
        .write(|c| {
            store::add_item(
                c,
                id,
                &first.account,
                Some("demande du locataire"),
                first.debt,
                first.months,
                &order,
                &stamp,
            )
        })
        .expect("add back");
    let back = store::review_items(store.conn(), id, false).expect("items");
    let readded = back
        .iter()
        .find(|i| i.account == first.account)
        .expect("back on");
    assert!(readded.manual);
    assert_eq!(
        readded.reasons.last().map(|r| (r.code, r.text.clone())),
        Some((
            ReasonCode::Manual,
            "ajouté par cmartin : demande du locataire".to_string()
        ))
    );
    let twice = store.write(|c| {
        store::add_item(
            c,
            id,
            &first.account,
            None,
            first.debt,
            None,
            &order,
            &stamp,
        )
    });
    assert!(matches!(twice, Err(StoreError::Refused(m)) if m.contains("déjà à l'ordre du jour")));

    // A decision: an event in the timeline, review actions for the officers.
    let item = back[0].clone();
    store
        .write(|c| {
            store::record_decision(
                c,
                item.id,
                DecisionKind::PaymentOrder,
                "accord de la direction",
                &[NewAction {
                    assignee: "ywalter".into(),
                    what: "Commandement de payer par huissier".into(),
                    due_on: NaiveDate::from_ymd_opt(2026, 12, 4).expect("date"),
                }],
                &stamp,
            )
        })
        .expect("decide");
    let file = store::household_file(store.conn(), item.household_id).expect("file");
    let event = file
        .events
        .iter()
        .find(|e| matches!(e.detail, EventDetail::ReviewDecision { .. }))
        .expect("decision in the timeline");
    assert_eq!(event.text, "accord de la direction");
    assert_eq!(
        event.detail.summary_fr(),
        "réunion du 22/11/2026 : Commandement de payer"
    );
    let actions = store::open_actions(store.conn(), Some("ywalter"), None).expect("actions");
    let a = actions
        .iter()
        .find(|a| a.action.review_item_id == Some(item.id))
        .expect("action for ywalter");
    assert_eq!(a.action.origin, ActionOrigin::Review);
    let decided = store::review_items(store.conn(), id, false).expect("items");
    assert_eq!(
        decided[0].decision.as_ref().map(|d| d.kind),
        Some(DecisionKind::PaymentOrder)
    );
    // A decided item cannot be taken off.
    assert!(
        store
            .write(|c| store::remove_item(c, id, &item.account))
            .is_err()
    );

    // Closed: every change refused in French, and by the triggers underneath.
    store
        .write(|c| store::close_review(c, id, &stamp))
        .expect("close");
    assert_eq!(
        store::review(store.conn(), id).expect("review").status,
        ReviewStatus::Closed
    );
    let refused = |r: Result<_, StoreError>| match r {
        Err(StoreError::Refused(m)) => assert!(m.contains("est close"), "{m}"),
        other => panic!("not refused: {other:?}"),
    };
    refused(
        store
            .write(|c| store::remove_item(c, id, &back[1].account))
            .map(|_| ()),
    );
    refused(
        store
            .write(|c| store::record_decision(c, back[1].id, DecisionKind::Close, "", &[], &stamp))
            .map(|_| ()),
    );
    refused(store.write(|c| store::close_review(c, id, &stamp)));
    refused(store.write(|c| store::set_attendees(c, id, &["x".into()])));
    let raw = store.conn().execute(
        "UPDATE review_items SET removed = 1 WHERE review_id = ?1",
        [id],
    );
    assert!(raw.is_err(), "the trigger refuses a raw write");

    // The next meeting sees the action not done.
    let next = NaiveDate::from_ymd_opt(2026, 12, 21).expect("date");
    let built = store
        .write(|c| {
            store::build_review(
                c,
                next,
                &[],
                &AgendaRules::default(),
                &Rules::default(),
                &stamp,
            )
        })
        .expect("next meeting");
    assert_eq!(built.last_review, Some(today()));
    let next_items = store::review_items(store.conn(), built.review_id, false).expect("items");
    let pending = next_items
        .iter()
        .find(|i| i.dossier_id == item.dossier_id)
        .expect("the dossier comes back");
    assert!(
        pending
            .reasons
            .iter()
            .any(|r| r.code == ReasonCode::PendingActions
                && r.text.contains("Commandement de payer par huissier"))
    );
    let last = store::previous_decision(store.conn(), item.dossier_id, next)
        .expect("read")
        .expect("previous decision");
    assert_eq!(last.1.kind, DecisionKind::PaymentOrder);
    assert_eq!(last.2.len(), 1);
}

fn bin(db: &Path, args: &[&str]) -> (i32, String, String) {
    let home = db.parent().expect("dir").join("home");
    let out = Command::new(env!("CARGO_BIN_EXE_impayes"))
        .env_remove("IMPAYES_DB")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("USER", "cmartin")
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-22"])
        .args(args)
        .output()
        .expect("run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_review_from_the_shell_to_the_minutes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = demo_db(dir.path());
    let (code, out, err) = bin(
        &db,
        &[
            "review",
            "new",
            "--date",
            "2026-11-22",
            "--attendees",
            "cmartin, pmuller",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Réunion n° 1 du 22/11/2026 créée"), "{out}");
    assert!(out.contains("  1. "), "{out}");
    let accounts: Vec<String> = out
        .lines()
        .filter(|l| {
            l.trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_string))
        .collect();
    assert!(accounts.len() >= 3, "{out}");
    let (code, out, _) = bin(&db, &["review", "remove", "1", &accounts[0]]);
    assert_eq!(code, 0);
    assert!(out.contains("retiré"));
    // The household's name holds a character to escape in HTML.
    let store = Store::open(&db).expect("open");
    store
        .conn()
        .execute(
            "UPDATE households SET holder = 'Léa <b>Martin</b> & fils' WHERE account = ?1",
            [&accounts[1]],
        )
        .expect("rename");
    drop(store);
    let (code, _, err) = bin(
        &db,
        &[
            "review",
            "decide",
            "1",
            &accounts[1],
            "--decision",
            "fsl-file",
            "--text",
            "FSL & CCAS",
            "--action",
            "lmeyer;Monter le dossier FSL;2026-12-10",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = bin(
        &db,
        &[
            "review",
            "decide",
            "1",
            &accounts[2],
            "--decision",
            "summons",
            "--action",
            "x;y",
        ],
    );
    assert_eq!(code, 1);
    assert!(err.contains("login;quoi;AAAA-MM-JJ"), "{err}");
    let (code, _, _) = bin(&db, &["review", "close", "1"]);
    assert_eq!(code, 0);
    let (code, _, err) = bin(&db, &["review", "add", "1", &accounts[0]]);
    assert_eq!(code, 1);
    assert!(err.contains("est close"), "{err}");

    let (code, md, _) = bin(&db, &["review", "minutes", "1", "--format", "md"]);
    assert_eq!(code, 0);
    assert!(
        md.starts_with("# Compte rendu — Réunion mensuelle du 22/11/2026"),
        "{md}"
    );
    assert!(
        md.contains("**Décision** : Dossier FSL — FSL & CCAS"),
        "{md}"
    );
    assert!(md.contains("Monter le dossier FSL | 10/12/2026"), "{md}");
    assert!(md.contains("## Retirés de l'ordre du jour"), "{md}");
    assert!(md.contains("Léa \\<b\\>Martin\\</b\\> & fils"), "{md}");
    let html_path = dir.path().join("cr.html");
    let (code, _, _) = bin(
        &db,
        &[
            "review",
            "minutes",
            "1",
            "--format",
            "html",
            "--output",
            html_path.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(&html_path).expect("html");
    assert!(html.contains("@page { size: A4;"));
    assert!(html.contains("Léa &lt;b&gt;Martin&lt;/b&gt; &amp; fils"));
    assert!(!html.contains("<b>Martin"));
    assert!(html.contains("Dossier FSL — FSL &amp; CCAS"));
    // No social note ever reaches the minutes.
    let store = Store::open(&db).expect("open");
    let secret: Option<String> = store
        .conn()
        .query_row(
            "SELECT text FROM events WHERE data LIKE '%\"confidential\":true%' AND length(text) > 20 LIMIT 1",
            [],
            |r| r.get(0),
        )
        .ok();
    if let Some(secret) = secret {
        assert!(!md.contains(&secret) && !html.contains(&secret));
    }
    let (_, list, _) = bin(&db, &["review", "list"]);
    assert!(list.contains("22/11/2026\tclose"), "{list}");
}

/// The agenda reads its files in bulk, by slices of households: the facts must be those of
/// each household's full file, read one by one as the dossier pane reads it.
#[test]
fn agenda_facts_read_in_bulk_are_those_of_each_full_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&demo_db(dir.path())).expect("open");
    let rules = Rules::default();
    let reference = NaiveDate::from_ymd_opt(2026, 10, 20).expect("date");
    let bulk = store::agenda_facts(store.conn(), today(), reference, None, &rules).expect("bulk");

    let mut households: Vec<i64> = store::portfolio(store.conn())
        .expect("portfolio")
        .iter()
        .map(|r| r.household_id)
        .collect();
    households.sort_unstable();
    households.dedup();
    let one_by_one: Vec<_> = households
        .iter()
        .filter_map(|&id| {
            let file = store::household_file(store.conn(), id).expect("file");
            let legal = impayes::domain::procedure::deadlines(&file, today(), &rules);
            impayes::domain::agenda::facts_from_file(&file, today(), reference, legal, Vec::new())
        })
        .collect();

    assert!(bulk.len() > 50, "{} open dossiers", bulk.len());
    assert!(
        bulk.iter().any(|f| f.plan_broken_on.is_some()),
        "no broken plan"
    );
    assert!(bulk.iter().any(|f| !f.deadlines.is_empty()), "no deadline");
    assert!(
        bulk.iter().any(|f| f.debt != f.debt_before),
        "no payment since"
    );
    assert_eq!(bulk, one_by_one);
}
