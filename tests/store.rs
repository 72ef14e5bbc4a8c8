//! Integration tests of the SQLite store on real files: migrations and pragmas, refusals,
//! transactions, cached balances, round trips of every read, the portfolio, checks, query plans
//! and the confidentiality of social notes.

mod common;

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use common::*;
use impayes::domain::dossier::{Cause, CloseReason, Dossier, OpenReason, Phase, Referents};
use impayes::domain::event::EventDetail;
use impayes::domain::household::{Home, Household, Lease, TenantStatus};
use impayes::domain::ledger::{Entry, EntryKind};
use impayes::domain::plan::{Instalment, Plan, PlanStatus};
use impayes::store::{
    SCHEMA_VERSION, Stamp, Store, StoreError, can_read_social_notes, change_phase, counts,
    current_lease, dossier as dossier_by_id, dossiers, entries, events_of_household,
    household_by_account, household_file, household_summaries, insert_entry, insert_household,
    insert_plan, plans_of_household, portfolio, portfolio_row,
};

fn pragma_text(store: &Store, name: &str) -> String {
    store
        .conn()
        .query_row(&format!("PRAGMA {name}"), [], |r| {
            r.get::<_, rusqlite::types::Value>(0)
        })
        .map(|v| match v {
            rusqlite::types::Value::Text(s) => s,
            rusqlite::types::Value::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        })
        .expect("pragma")
}

fn raw_user_version(path: &std::path::Path) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open read-only");
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("user_version")
}

fn cents_sum(store: &Store, household_id: i64) -> (i64, i64) {
    store
        .conn()
        .query_row(
            "SELECT h.balance_cents,
                    (SELECT COALESCE(SUM(amount_cents), 0) FROM entries WHERE household_id = h.id)
             FROM households h WHERE h.id = ?1",
            [household_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("balance")
}

fn entry_count(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT COUNT(*) FROM entries", [], |r| r.get(0))
        .expect("count")
}

// ---------------------------------------------------------------------------------------------
// Migrations, pragmas, opening and creating.

#[test]
fn fresh_file_is_migrated_in_wal_mode_with_foreign_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sous-dossier").join("neuve.sqlite3");
    let store = Store::create(&path).expect("create, with its directory");
    assert!(path.is_file());
    assert_eq!(store.path(), path.as_path());
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(
        pragma_text(&store, "user_version"),
        SCHEMA_VERSION.to_string()
    );
    assert_eq!(pragma_text(&store, "journal_mode"), "wal");
    assert_eq!(pragma_text(&store, "foreign_keys"), "1");
    assert_eq!(counts(store.conn()).expect("counts"), (0, 0));
    drop(store);
    assert_eq!(raw_user_version(&path), SCHEMA_VERSION);

    // Reopened: the same pragmas, per connection.
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    assert_eq!(pragma_text(&store, "journal_mode"), "wal");
    assert_eq!(pragma_text(&store, "foreign_keys"), "1");
}

#[test]
fn reopening_keeps_the_data() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("reopen");
    assert_eq!(counts(store.conn()).expect("counts"), (4, 3));
    let h = household_by_account(store.conn(), ELODIE).expect("Élodie");
    assert_eq!(h.id, db.ids.elodie);
    assert_eq!(h.holder, "Élodie Béranger");
    assert_eq!(
        entries(store.conn(), db.ids.elodie).expect("entries").len(),
        db.ids.entry_counts[0]
    );
    drop(store);
    // A third opening still finds the same (nothing is migrated twice).
    let store = Store::open(&db.path).expect("reopen again");
    assert_eq!(counts(store.conn()).expect("counts"), (4, 3));
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
}

#[test]
fn newer_schema_is_refused_and_the_file_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.sqlite3");
    newer_database(&path, SCHEMA_VERSION + 1);
    let before = snapshot(&path);
    let err = Store::open(&path).err().expect("refused");
    match &err {
        StoreError::TooNew {
            path: p,
            found,
            known,
        } => {
            assert_eq!(p, &path);
            assert_eq!(*found, SCHEMA_VERSION + 1);
            assert_eq!(*known, SCHEMA_VERSION);
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("version plus récente"), "{message}");
    assert!(message.contains("future.sqlite3"), "{message}");
    assert_eq!(snapshot(&path), before, "the file must not change");
    assert_eq!(raw_user_version(&path), SCHEMA_VERSION + 1);
    // Not converted to WAL, no sidecar left behind.
    let conn = rusqlite::Connection::open(&path).expect("raw");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    assert_eq!(mode, "delete");
}

#[test]
fn create_refuses_an_existing_file() {
    let db = fixture_db();
    let before = std::fs::read(&db.path).expect("read");
    let err = Store::create(&db.path).err().expect("refused");
    assert!(
        matches!(&err, StoreError::Exists(p) if p == &db.path),
        "{err:?}"
    );
    assert!(err.to_string().contains("existe déjà"), "{err}");
    assert_eq!(std::fs::read(&db.path).expect("read"), before);

    // Even an empty file is not overwritten.
    let empty = db.dir.path().join("vide.sqlite3");
    std::fs::write(&empty, b"").expect("write");
    assert!(matches!(Store::create(&empty), Err(StoreError::Exists(_))));
}

#[test]
fn open_refuses_a_missing_file_and_a_text_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("absente.sqlite3");
    let err = Store::open(&missing).err().expect("missing");
    assert!(
        matches!(&err, StoreError::Missing(p) if p == &missing),
        "{err:?}"
    );
    assert!(err.to_string().contains("n'existe pas"), "{err}");
    assert!(!missing.exists(), "opening must not create the file");

    let in_missing_dir = dir.path().join("nulle-part").join("base.sqlite3");
    assert!(matches!(
        Store::open(&in_missing_dir),
        Err(StoreError::Missing(_))
    ));
    assert!(!dir.path().join("nulle-part").exists());

    let text = dir.path().join("notes.txt");
    let content = "Ceci est une liste de courses, pas une base de données.\n".repeat(50);
    std::fs::write(&text, &content).expect("write");
    let err = Store::open(&text).err().expect("not SQLite");
    assert!(matches!(&err, StoreError::Unreadable { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("n'est pas une base SQLite"), "{message}");
    assert_eq!(std::fs::read_to_string(&text).expect("read"), content);
}

#[test]
fn another_application_s_database_is_refused_and_an_empty_file_is_initialised() {
    let dir = tempfile::tempdir().expect("temp dir");
    let other = dir.path().join("autre.sqlite3");
    {
        let conn = rusqlite::Connection::open(&other).expect("raw");
        conn.execute_batch(
            "CREATE TABLE contacts (nom TEXT); INSERT INTO contacts VALUES ('Zoé');",
        )
        .expect("create");
    }
    let before = snapshot(&other);
    let err = Store::open(&other).err().expect("refused");
    assert!(matches!(&err, StoreError::Unreadable { .. }), "{err:?}");
    assert!(err.to_string().contains("autre application"), "{err}");
    assert_eq!(snapshot(&other), before);
    assert_eq!(raw_user_version(&other), 0);

    // A zero-byte file is an empty SQLite database: it becomes an impayes one.
    let empty = dir.path().join("vide.sqlite3");
    std::fs::write(&empty, b"").expect("write");
    let store = Store::open(&empty).expect("an empty file is initialised");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
}

// ---------------------------------------------------------------------------------------------
// Transactions and the cached balance.

#[test]
fn a_transaction_that_fails_half_way_writes_nothing() {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let entries_before = entry_count(&store);
    let balance_before = cents_sum(&store, db.ids.zoe);
    let result = store.write(|c| {
        let stamp = Stamp::on(AMICABLE, today());
        let id = insert_household(c, &household("411-009999", "Noémie Faure"), "", &stamp)?;
        insert_entry(
            c,
            id,
            &entry(today(), EntryKind::RentCall, dec!(400), "Loyer", "Q-1"),
            &stamp,
        )?;
        insert_entry(
            c,
            db.ids.zoe,
            &entry(today(), EntryKind::Fees, dec!(50), "Frais", "F-1"),
            &stamp,
        )?;
        // The same account again: refused, so the whole change must be dropped.
        insert_household(c, &household(ZOE, "Zoé Lefèvre"), "", &stamp)?;
        Ok(())
    });
    let err = result.expect_err("the duplicate account is refused");
    assert!(matches!(&err, StoreError::Refused(_)), "{err:?}");
    assert!(err.to_string().contains(ZOE), "{err}");
    assert!(matches!(
        household_by_account(store.conn(), "411-009999"),
        Err(StoreError::UnknownAccount(_))
    ));
    assert_eq!(entry_count(&store), entries_before);
    assert_eq!(cents_sum(&store, db.ids.zoe), balance_before);
    assert_eq!(counts(store.conn()).expect("counts"), (4, 3));

    // The store is still usable afterwards, and a good transaction commits.
    store
        .write(|c| {
            insert_household(
                c,
                &household("411-009999", "Noémie Faure"),
                "",
                &Stamp::now("t"),
            )
        })
        .expect("write after a rollback");
    drop(store);
    let store = Store::open(&db.path).expect("reopen");
    assert!(household_by_account(store.conn(), "411-009999").is_ok());
}

#[test]
fn a_duplicate_account_is_refused_in_french_and_other_faults_are_not_called_duplicates() {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let err = store
        .write(|c| insert_household(c, &household(ELODIE, "Autre"), "", &Stamp::now("t")))
        .expect_err("duplicate");
    assert_eq!(
        err.to_string(),
        format!("le compte « {ELODIE} » existe déjà")
    );

    // A household of zero people breaks a CHECK, not the uniqueness of the account.
    let mut empty = household("411-000003", "Personne");
    empty.size = 0;
    let err = store
        .write(|c| insert_household(c, &empty, "", &Stamp::now("t")))
        .expect_err("size 0 refused");
    assert!(!err.to_string().contains("existe déjà"), "{err}");
    assert!(matches!(
        household_by_account(store.conn(), "411-000003"),
        Err(StoreError::UnknownAccount(_))
    ));
}

#[test]
fn the_cached_balance_is_the_sum_of_entries_and_imports_are_idempotent() {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let expected = [
        (db.ids.elodie, 123_456),
        (db.ids.zoe, 36_000),
        (db.ids.gael, 402_000),
        (db.ids.paul, 0),
    ];
    for (id, cents) in expected {
        assert_eq!(cents_sum(&store, id), (cents, cents), "household {id}");
    }

    // Importing the same statements again changes nothing.
    let before = entry_count(&store);
    let ids = db.ids.clone();
    let skipped = store
        .write(|c| {
            let mut skipped = 0;
            for (id, list) in [
                (ids.elodie, elodie_entries()),
                (ids.zoe, zoe_entries()),
                (ids.gael, gael_entries()),
                (ids.paul, paul_entries()),
            ] {
                for e in &list {
                    let r = insert_entry(c, id, e, &Stamp::on("import", today()))?;
                    assert_eq!(r, None, "{:?} must be skipped", e.reference);
                    skipped += 1;
                }
            }
            Ok(skipped)
        })
        .expect("second import");
    assert_eq!(skipped, before as usize);
    assert_eq!(entry_count(&store), before);
    for (id, cents) in expected {
        assert_eq!(cents_sum(&store, id), (cents, cents));
    }

    // A new reference is added and moves the balance; the same reference on another account is
    // a different entry; entries without a reference are never merged.
    let ids = db.ids.clone();
    store
        .write(|c| {
            let stamp = Stamp::on("import", today());
            let pay = entry(
                today(),
                EntryKind::Payment,
                dec!(-34.56),
                "Virement",
                "VIR-20261122",
            );
            assert!(insert_entry(c, ids.elodie, &pay, &stamp)?.is_some());
            assert!(insert_entry(c, ids.zoe, &pay, &stamp)?.is_some());
            let mut fees = entry(today(), EntryKind::Fees, dec!(10.005), "Frais", "x");
            fees.reference = None;
            assert!(insert_entry(c, ids.paul, &fees, &stamp)?.is_some());
            assert!(insert_entry(c, ids.paul, &fees, &stamp)?.is_some());
            Ok(())
        })
        .expect("new entries");
    assert_eq!(cents_sum(&store, db.ids.elodie), (120_000, 120_000));
    assert_eq!(cents_sum(&store, db.ids.zoe), (32_544, 32_544));
    // 10,005 is stored as 1 001 cents (half away from zero), twice.
    assert_eq!(cents_sum(&store, db.ids.paul), (2_002, 2_002));
    assert!(store.check().expect("check").ok());
}

// ---------------------------------------------------------------------------------------------
// Reads return what was written.

#[test]
fn household_by_account_round_trips() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let h = household_by_account(store.conn(), ELODIE).expect("Élodie");
    assert_eq!(
        h,
        Household {
            id: db.ids.elodie,
            account: ELODIE.into(),
            holder: "Élodie Béranger".into(),
            co_holder: Some("Marc Béranger".into()),
            phone: Some("03 89 12 34 56".into()),
            email: Some("elodie.beranger@example.org".into()),
            size: 4,
            housing_benefit: dec!(150),
            status: TenantStatus::Present,
            left_on: None,
            forwarding_address: None,
        }
    );
    assert_eq!(h.names(), "Élodie Béranger et Marc Béranger");
    // Typed with spaces around it.
    assert_eq!(
        household_by_account(store.conn(), &format!("  {ELODIE} ")).expect("trimmed"),
        h
    );

    let g = household_by_account(store.conn(), GAEL).expect("Gaël");
    assert_eq!(g.holder, "Gaël Kœnig");
    assert_eq!(g.status, TenantStatus::Departed);
    assert_eq!(g.left_on, Some(d(2026, 3, 31)));
    assert_eq!(
        g.forwarding_address.as_deref(),
        Some("5 impasse des Vosges, 67000 Strasbourg")
    );
    assert_eq!(g.housing_benefit, Decimal::ZERO);

    let err = household_by_account(store.conn(), "411-999999").expect_err("unknown");
    assert!(
        matches!(&err, StoreError::UnknownAccount(a) if a == "411-999999"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "compte « 411-999999 » inconnu dans cette base"
    );
}

#[test]
fn current_lease_round_trips_with_its_home() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let (lease, home) = current_lease(store.conn(), db.ids.elodie)
        .expect("read")
        .expect("a lease");
    assert_eq!(
        lease,
        Lease {
            id: db.ids.elodie_lease,
            household_id: db.ids.elodie,
            home_id: db.ids.elodie_home,
            start_on: d(2019, 4, 1),
            concluded_on: d(2024, 4, 1),
            rent: dec!(420),
            charges: dec!(80),
            end_on: None,
        }
    );
    assert_eq!(lease.monthly_total(), dec!(500));
    assert_eq!(
        home,
        Home {
            id: db.ids.elodie_home,
            reference: "MUL-0142".into(),
            address: "3 rue de l'Église, bât. B, appt 12".into(),
            postcode: "68100".into(),
            commune: "Mulhouse".into(),
            departement: "68".into(),
            sector: "MUL".into(),
        }
    );
    let (gl, _) = current_lease(store.conn(), db.ids.gael)
        .expect("read")
        .expect("the ended lease is still the last one");
    assert_eq!(gl.end_on, Some(d(2026, 3, 31)));

    // A household without a lease.
    let mut store = store;
    let id = store
        .write(|c| insert_household(c, &household("411-000001", "Inès Ça"), "", &Stamp::now("t")))
        .expect("insert");
    assert_eq!(current_lease(store.conn(), id).expect("read"), None);
}

#[test]
fn entries_come_back_oldest_first_and_equal() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    for (id, mut written) in [
        (db.ids.elodie, elodie_entries()),
        (db.ids.gael, gael_entries()),
        (db.ids.zoe, zoe_entries()),
    ] {
        let read = entries(store.conn(), id).expect("entries");
        assert_eq!(read.len(), written.len());
        // The fixture has one entry per date per account, so the date gives the order.
        written.sort_by_key(|e| e.date);
        assert!(
            read.windows(2)
                .all(|w| (w[0].date, w[0].id) < (w[1].date, w[1].id))
        );
        let without_ids: Vec<Entry> = read.into_iter().map(|e| Entry { id: 0, ..e }).collect();
        assert_eq!(without_ids, written);
    }
    let e = entries(store.conn(), db.ids.elodie).expect("entries");
    assert_eq!(e[0].kind, EntryKind::RentCall);
    assert_eq!(e[0].date, d(2025, 9, 1));
    assert_eq!(e[0].reference.as_deref(), Some("Q-411-004217-2025-09"));
    assert_eq!(e.iter().map(|e| e.amount).sum::<Decimal>(), dec!(1234.56));
    let last_payment = e
        .iter()
        .rev()
        .find(|e| e.kind == EntryKind::Payment)
        .expect("payment");
    assert_eq!(last_payment.amount, dec!(-165.44));
    assert_eq!(last_payment.label, "Virement Mme Béranger");

    // Entries of the same date come back in insertion order.
    let mut store = store;
    let ids = db.ids.clone();
    store
        .write(|c| {
            let s = Stamp::on("import", today());
            insert_entry(
                c,
                ids.paul,
                &entry(d(2026, 12, 1), EntryKind::RentCall, dec!(350), "b", "B"),
                &s,
            )?;
            insert_entry(
                c,
                ids.paul,
                &entry(d(2026, 12, 1), EntryKind::Payment, dec!(-350), "a", "A"),
                &s,
            )?;
            Ok(())
        })
        .expect("write");
    let labels: Vec<String> = entries(store.conn(), db.ids.paul)
        .expect("entries")
        .into_iter()
        .skip(2)
        .map(|e| e.label)
        .collect();
    assert_eq!(labels, ["b", "a"]);
}

#[test]
fn dossiers_round_trip_newest_first() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let list = dossiers(store.conn(), db.ids.elodie).expect("dossiers");
    assert_eq!(
        list,
        vec![Dossier {
            id: db.ids.elodie_dossier,
            household_id: db.ids.elodie,
            phase: Phase::Amicable,
            referents: Referents {
                cesf: Some(CESF.into()),
                amicable: Some(AMICABLE.into()),
                litigation: Some(LITIGATION.into()),
            },
            causes: vec![Cause::JobLoss, Cause::Separation],
            next_action: Some("Relancer par téléphone".into()),
            next_action_on: Some(d(2026, 11, 30)),
            opened_on: d(2026, 3, 5),
            open_reason: OpenReason::FirstUnpaid,
            closed_on: None,
            close_reason: None,
        }]
    );
    assert_eq!(
        dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("by id"),
        list[0]
    );
    assert_eq!(list[0].lead_referent(), Some(AMICABLE));

    let paul = dossiers(store.conn(), db.ids.paul).expect("dossiers");
    assert_eq!(paul.len(), 1);
    assert_eq!(paul[0].phase, Phase::Closed);
    assert_eq!(paul[0].closed_on, Some(d(2024, 6, 30)));
    assert_eq!(paul[0].close_reason, Some(CloseReason::Settled));
    assert!(paul[0].causes.is_empty());

    // A second, newer dossier for Paul comes first.
    let mut store = store;
    let ids = db.ids.clone();
    let newer = store
        .write(|c| {
            let dos = dossier(
                ids.paul,
                Phase::Prevention,
                d(2026, 11, 20),
                OpenReason::CesfReferral,
            );
            impayes::store::insert_dossier(c, &dos, &Stamp::on(CESF, today()))
        })
        .expect("insert");
    let ids: Vec<i64> = dossiers(store.conn(), db.ids.paul)
        .expect("dossiers")
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, [newer, db.ids.paul_dossier]);
    assert!(matches!(
        dossier_by_id(store.conn(), 9_999),
        Err(StoreError::Refused(_))
    ));
}

#[test]
fn events_come_back_newest_first_with_their_details() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let read = events_of_household(store.conn(), db.ids.elodie).expect("events");
    let mut written = elodie_events();
    written.sort_by_key(|e| std::cmp::Reverse(e.0));
    assert_eq!(read.len(), written.len());
    for (e, (on, detail, author, text)) in read.iter().zip(&written) {
        assert_eq!(e.dossier_id, db.ids.elodie_dossier);
        assert_eq!(e.date, *on);
        assert_eq!(&e.detail, detail);
        assert_eq!(e.author, *author);
        assert_eq!(e.text, *text);
        assert_eq!(
            e.recorded_at,
            format!("{}T00:00:00Z", on.format("%Y-%m-%d"))
        );
    }
    assert_eq!(
        read[0].detail,
        EventDetail::AidRequest {
            scheme: impayes::domain::event::AidScheme::Fsl,
            amount: Some(dec!(800)),
        }
    );
    assert!(read.windows(2).all(|w| w[0].date >= w[1].date));
    // The stored kind column is the detail's code.
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT kind FROM events WHERE dossier_id = ?1 ORDER BY date DESC, id DESC")
        .expect("prepare")
        .query_map([db.ids.elodie_dossier], |r| r.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("kinds");
    let codes: Vec<&str> = read.iter().map(|e| e.detail.code()).collect();
    assert_eq!(kinds, codes);

    // Events of other households are not mixed in.
    let gael = events_of_household(store.conn(), db.ids.gael).expect("events");
    assert_eq!(gael.len(), 2);
    assert_eq!(gael[0].detail, EventDetail::Demand);
    assert!(matches!(gael[1].detail, EventDetail::MoveOut { .. }));
}

#[test]
fn plans_round_trip_with_instalments_and_a_new_plan_replaces_the_active_one() {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let plans = plans_of_household(store.conn(), db.ids.elodie).expect("plans");
    let expected = Plan {
        id: db.ids.elodie_plan,
        ..elodie_plan(db.ids.elodie_dossier)
    };
    assert_eq!(plans, vec![expected.clone()]);
    assert_eq!(plans[0].instalments.len(), 6);
    assert_eq!(
        plans[0].instalments[5],
        Instalment {
            due_on: d(2026, 12, 10),
            amount: dec!(150),
        }
    );
    assert!(
        plans_of_household(store.conn(), db.ids.zoe)
            .expect("plans")
            .is_empty()
    );

    let second = Plan {
        signed_on: d(2026, 11, 20),
        amount: dec!(1234.56),
        caf_approved: false,
        instalments: impayes::domain::plan::generate_instalments(
            dec!(1234.56),
            10,
            d(2026, 12, 10),
        ),
        ..expected.clone()
    };
    let second_id = store
        .write(|c| insert_plan(c, &second, &Stamp::on(AMICABLE, today())))
        .expect("second plan");
    let plans = plans_of_household(store.conn(), db.ids.elodie).expect("plans");
    assert_eq!(plans.len(), 2);
    assert_eq!(
        plans[0],
        Plan {
            id: second_id,
            ..second
        }
    );
    assert_eq!(
        plans[0]
            .instalments
            .iter()
            .map(|i| i.amount)
            .sum::<Decimal>(),
        dec!(1234.56)
    );
    assert_eq!(
        plans[1],
        Plan {
            status: PlanStatus::Replaced,
            ..expected
        }
    );
}

#[test]
fn household_file_gathers_everything_and_sums_the_account() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let c = store.conn();
    let file = household_file(c, db.ids.elodie).expect("file");
    assert_eq!(file.household, household_by_account(c, ELODIE).expect("h"));
    let (lease, home) = current_lease(c, db.ids.elodie).expect("l").expect("l");
    assert_eq!(file.lease, Some(lease));
    assert_eq!(file.home, Some(home));
    assert_eq!(file.entries, entries(c, db.ids.elodie).expect("e"));
    assert_eq!(file.dossiers, dossiers(c, db.ids.elodie).expect("d"));
    assert_eq!(
        file.events,
        events_of_household(c, db.ids.elodie).expect("ev")
    );
    assert_eq!(file.plans, plans_of_household(c, db.ids.elodie).expect("p"));
    assert_eq!(
        file.open_dossier().map(|d| d.id),
        Some(db.ids.elodie_dossier)
    );

    let s = file.summary(today());
    assert_eq!(s.balance, dec!(1234.56));
    assert_eq!(s.monthly_net, dec!(350));
    assert_eq!(s.months_of_arrears, Some(dec!(3.5)));
    assert_eq!(s.by_age.lt_3_months, dec!(1234.56));
    assert_eq!(s.by_age.from_3_to_12_months, Decimal::ZERO);
    assert_eq!(s.by_age.gt_12_months, Decimal::ZERO);
    assert_eq!(s.arrears_since, Some(d(2026, 9, 1)));

    let g = household_file(c, db.ids.gael)
        .expect("file")
        .summary(today());
    assert_eq!(g.balance, dec!(4020));
    assert_eq!(g.monthly_net, dec!(600));
    assert_eq!(g.months_of_arrears, Some(dec!(6.7)));
    assert_eq!(g.by_age.lt_3_months, dec!(120));
    assert_eq!(g.by_age.from_3_to_12_months, dec!(2400));
    assert_eq!(g.by_age.gt_12_months, dec!(1500));
    assert_eq!(g.arrears_since, Some(d(2025, 9, 1)));

    let p = household_file(c, db.ids.paul).expect("file");
    assert_eq!(p.open_dossier(), None);
    assert_eq!(p.summary(today()).months_of_arrears, Some(Decimal::ZERO));
}

// ---------------------------------------------------------------------------------------------
// The portfolio and the lookup's rows.

fn by_account(rows: &[impayes::domain::portfolio::PortfolioRow], account: &str) -> usize {
    rows.iter()
        .position(|r| r.account == account)
        .unwrap_or_else(|| panic!("{account} missing from {rows:#?}"))
}

#[test]
fn the_portfolio_has_one_row_per_open_dossier() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let rows = portfolio(store.conn()).expect("portfolio");
    assert_eq!(rows.len(), 3, "{rows:#?}");
    assert!(
        rows.iter().all(|r| r.account != PAUL),
        "closed dossiers are not listed"
    );

    let e = &rows[by_account(&rows, ELODIE)];
    assert_eq!(e.dossier_id, db.ids.elodie_dossier);
    assert_eq!(e.household_id, db.ids.elodie);
    assert_eq!(e.name, "Élodie Béranger et Marc Béranger");
    assert_eq!(e.sector, "MUL");
    assert_eq!(e.status, TenantStatus::Present);
    assert_eq!(e.debt, dec!(1234.56));
    assert_eq!(
        e.monthly_net,
        dec!(350),
        "500 of rent and charges less 150 of APL"
    );
    assert_eq!(e.months_of_arrears(), Some(dec!(3.5)));
    assert_eq!(e.phase, Phase::Amicable);
    assert_eq!(e.referent.as_deref(), Some(AMICABLE));
    assert_eq!(e.next_action.as_deref(), Some("Relancer par téléphone"));
    assert_eq!(e.next_action_on, Some(d(2026, 11, 30)));
    assert_eq!(e.opened_on, d(2026, 3, 5));
    assert!(!e.overdue(today()));

    let z = &rows[by_account(&rows, ZOE)];
    assert_eq!(z.phase, Phase::Prevention);
    assert_eq!(
        z.referent.as_deref(),
        Some(CESF),
        "the CESF leads the prevention phase"
    );
    assert_eq!(z.sector, "COL");
    assert_eq!(z.debt, dec!(360));
    assert_eq!(z.monthly_net, dec!(440));
    assert_eq!(z.months_of_arrears(), Some(dec!(0.8)));

    let g = &rows[by_account(&rows, GAEL)];
    assert_eq!(g.name, "Gaël Kœnig");
    assert_eq!(g.status, TenantStatus::Departed);
    assert_eq!(g.phase, Phase::Departed);
    assert_eq!(g.referent.as_deref(), Some(AMICABLE));
    assert_eq!(g.debt, dec!(4020));
    assert_eq!(g.months_of_arrears(), Some(dec!(6.7)));
    assert!(g.overdue(today()));

    for r in &rows {
        assert_eq!(
            portfolio_row(store.conn(), r.dossier_id)
                .expect("row")
                .as_ref(),
            Some(r)
        );
    }
    assert_eq!(
        portfolio_row(store.conn(), db.ids.paul_dossier).expect("row"),
        None
    );
    assert_eq!(portfolio_row(store.conn(), 9_999).expect("row"), None);
}

#[test]
fn household_summaries_list_every_household_and_the_search_key_is_stored() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let rows = household_summaries(store.conn()).expect("summaries");
    assert_eq!(rows.len(), 4);
    let accounts: Vec<&str> = rows.iter().map(|s| s.account.as_str()).collect();
    assert_eq!(accounts, [ELODIE, ZOE, GAEL, PAUL]);

    let e = &rows[0];
    let key: String = store
        .conn()
        .query_row(
            "SELECT search_key FROM households WHERE id = ?1",
            [e.household_id],
            |r| r.get(0),
        )
        .expect("search key");
    assert_eq!(e.household_id, db.ids.elodie);
    assert_eq!(e.name, "Élodie Béranger et Marc Béranger");
    assert_eq!(
        e.address,
        "3 rue de l'Église, bât. B, appt 12, 68100 Mulhouse"
    );
    assert_eq!(e.phone.as_deref(), Some("03 89 12 34 56"));
    assert_eq!(e.status, TenantStatus::Present);
    assert_eq!(e.debt, dec!(1234.56));
    assert_eq!(e.monthly_net, dec!(350));
    assert_eq!(e.months_of_arrears(), Some(dec!(3.5)));
    assert_eq!(e.phase, Some(Phase::Amicable));
    assert!(key.contains("elodie beranger et marc beranger"), "{key}");
    assert!(key.contains("411-004217"), "{key}");
    assert!(key.contains("eglise"), "{key}");
    assert!(key.contains("0389123456"), "{key}");

    let g = &rows[2];
    assert_eq!(g.status, TenantStatus::Departed);
    assert_eq!(g.phase, Some(Phase::Departed));
    assert_eq!(g.phone, None);
    let key: String = store
        .conn()
        .query_row(
            "SELECT search_key FROM households WHERE id = ?1",
            [g.household_id],
            |r| r.get(0),
        )
        .expect("search key");
    assert!(key.contains("gael koenig"), "{key}");

    let p = &rows[3];
    assert_eq!(p.phase, None, "Paul's only dossier is closed");
    assert_eq!(p.debt, Decimal::ZERO);
    assert_eq!(p.months_of_arrears(), Some(Decimal::ZERO));
}

#[test]
fn change_phase_is_recorded_and_closing_leaves_the_portfolio() {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let mut dos = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    store
        .write(|c| {
            change_phase(
                c,
                &mut dos,
                Phase::Litigation,
                today(),
                &Stamp::on(LITIGATION, today()),
            )
        })
        .expect("to litigation");
    assert_eq!(dos.phase, Phase::Litigation);
    assert_eq!(
        dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier"),
        dos
    );
    let events = events_of_household(store.conn(), db.ids.elodie).expect("events");
    assert_eq!(events.len(), elodie_events().len() + 1);
    assert_eq!(
        events[0].detail,
        EventDetail::PhaseChange {
            from: Phase::Amicable,
            to: Phase::Litigation,
        }
    );
    assert_eq!(events[0].date, today());
    assert_eq!(events[0].author, LITIGATION);
    let row = portfolio_row(store.conn(), db.ids.elodie_dossier)
        .expect("row")
        .expect("still open");
    assert_eq!(row.phase, Phase::Litigation);
    assert_eq!(
        row.referent.as_deref(),
        Some(LITIGATION),
        "the referent follows the phase"
    );

    // Changing to the same phase records nothing.
    store
        .write(|c| {
            change_phase(
                c,
                &mut dos,
                Phase::Litigation,
                today(),
                &Stamp::now(LITIGATION),
            )
        })
        .expect("no-op");
    assert_eq!(
        events_of_household(store.conn(), db.ids.elodie)
            .expect("events")
            .len(),
        elodie_events().len() + 1
    );

    // Closing.
    dos.close_reason = Some(CloseReason::Settled);
    let closed_on = d(2026, 11, 23);
    store
        .write(|c| change_phase(c, &mut dos, Phase::Closed, closed_on, &Stamp::now(AMICABLE)))
        .expect("close");
    let stored = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    assert_eq!(stored.phase, Phase::Closed);
    assert_eq!(stored.closed_on, Some(closed_on));
    assert_eq!(stored.close_reason, Some(CloseReason::Settled));
    let rows = portfolio(store.conn()).expect("portfolio");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r.dossier_id != db.ids.elodie_dossier));
    assert_eq!(
        portfolio_row(store.conn(), db.ids.elodie_dossier).expect("row"),
        None
    );
    assert_eq!(counts(store.conn()).expect("counts"), (4, 2));
    let summaries = household_summaries(store.conn()).expect("summaries");
    assert_eq!(summaries[0].phase, None);
    let last = &events_of_household(store.conn(), db.ids.elodie).expect("events")[0];
    assert_eq!(
        last.detail,
        EventDetail::PhaseChange {
            from: Phase::Litigation,
            to: Phase::Closed,
        }
    );

    // Reopening clears the closing.
    store
        .write(|c| change_phase(c, &mut dos, Phase::Amicable, today(), &Stamp::now(AMICABLE)))
        .expect("reopen");
    let stored = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    assert_eq!((stored.closed_on, stored.close_reason), (None, None));
    assert_eq!(portfolio(store.conn()).expect("portfolio").len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Checks.

#[test]
fn check_passes_on_a_sound_database_and_finds_a_wrong_balance() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let report = store.check().expect("check");
    assert!(report.ok(), "{report:#?}");
    assert_eq!(report.integrity, ["ok"]);
    assert!(report.foreign_keys.is_empty());
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert_eq!(report.expected_version, SCHEMA_VERSION);
    assert!(report.balance_mismatches.is_empty());

    let changed = store
        .conn()
        .execute(
            "UPDATE households SET balance_cents = balance_cents + 1 WHERE account = ?1",
            [ELODIE],
        )
        .expect("corrupt");
    assert_eq!(changed, 1);
    let report = store.check().expect("check");
    assert!(!report.ok());
    assert_eq!(report.balance_mismatches, [ELODIE]);
    assert_eq!(report.integrity, ["ok"]);

    // A household without entries but a non-zero cached balance is caught too.
    store
        .conn()
        .execute(
            "INSERT INTO households (account, holder, status, balance_cents, created_by,
                created_at, updated_by, updated_at)
             VALUES ('411-000002', 'Sans Écriture', 'present', 500, 't', 't', 't', 't')",
            [],
        )
        .expect("insert");
    let report = store.check().expect("check");
    assert_eq!(report.balance_mismatches, [ELODIE, "411-000002"]);
}

#[test]
fn check_finds_a_foreign_key_orphan() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let c = store.conn();
    // The store turns foreign keys on: the insert is refused...
    assert!(
        c.execute(
            "INSERT INTO events (dossier_id, date, kind, author, data, recorded_at)
             VALUES (9999, '2026-11-22', 'settled', 't', '{\"kind\":\"settled\"}', 't')",
            [],
        )
        .is_err()
    );
    // ...so write the orphan with them off, as a careless script would.
    c.execute_batch("PRAGMA foreign_keys = OFF").expect("off");
    c.execute(
        "INSERT INTO events (dossier_id, date, kind, author, data, recorded_at)
         VALUES (9999, '2026-11-22', 'settled', 't', '{\"kind\":\"settled\"}', 't')",
        [],
    )
    .expect("orphan");
    let orphan = c.last_insert_rowid();
    c.execute_batch("PRAGMA foreign_keys = ON").expect("on");
    let report = store.check().expect("check");
    assert!(!report.ok());
    assert_eq!(
        report.foreign_keys,
        vec![("events".to_string(), orphan, "dossiers".to_string())]
    );
    assert!(report.balance_mismatches.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Query plans of the hot queries.

fn plan_of(store: &Store, sql: &str, param: impl rusqlite::ToSql) -> String {
    let mut stmt = store
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .expect("prepare");
    let lines: Vec<String> = stmt
        .query_map([param], |r| r.get::<_, String>(3))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("plan");
    lines.join("\n")
}

fn assert_indexed(plan: &str, tables: &[&str]) {
    assert!(
        plan.contains("USING INDEX")
            || plan.contains("USING COVERING INDEX")
            || plan.contains("USING INTEGER PRIMARY KEY"),
        "no index used:\n{plan}"
    );
    for t in tables {
        assert!(
            !plan.contains(&format!("SCAN {t}")),
            "full scan of {t}:\n{plan}"
        );
        // Aliased tables appear as "SCAN e" etc.; the caller passes the alias too.
    }
}

#[test]
fn hot_queries_use_indexes() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");

    // The account of one household (`entries`).
    let plan = plan_of(
        &store,
        "SELECT id, date, kind, amount_cents, label, reference FROM entries
         WHERE household_id = ?1 ORDER BY date, id",
        db.ids.elodie,
    );
    assert_indexed(&plan, &["entries"]);
    assert!(plan.contains("entries_household_date"), "{plan}");
    assert!(
        !plan.contains("TEMP B-TREE"),
        "the index gives the order:\n{plan}"
    );

    // The timeline of one dossier.
    let plan = plan_of(
        &store,
        "SELECT id, date, kind, author, text, data FROM events
         WHERE dossier_id = ?1 ORDER BY date DESC, id DESC",
        db.ids.elodie_dossier,
    );
    assert_indexed(&plan, &["events"]);
    assert!(plan.contains("events_dossier_date"), "{plan}");

    // The timeline of one household (`events_of_household`), through its dossiers.
    let plan = plan_of(
        &store,
        "SELECT e.id, e.dossier_id, e.date, e.author, e.text, e.data, e.recorded_at
         FROM events e JOIN dossiers d ON d.id = e.dossier_id
         WHERE d.household_id = ?1 ORDER BY e.date DESC, e.id DESC",
        db.ids.elodie,
    );
    assert_indexed(&plan, &["events", "e", "dossiers", "d"]);

    // A household by account number.
    let plan = plan_of(
        &store,
        "SELECT id, account, holder FROM households WHERE account = ?1",
        ELODIE,
    );
    assert_indexed(&plan, &["households"]);

    // The cached balance of one household, and its dossiers.
    let plan = plan_of(
        &store,
        "SELECT balance_cents FROM households WHERE id = ?1",
        db.ids.elodie,
    );
    assert!(plan.contains("USING INTEGER PRIMARY KEY"), "{plan}");
    let plan = plan_of(
        &store,
        "SELECT id FROM dossiers WHERE household_id = ?1 ORDER BY opened_on DESC, id DESC",
        db.ids.elodie,
    );
    assert_indexed(&plan, &["dossiers"]);

    // The import's duplicate test on (household, reference).
    let plan = plan_of(
        &store,
        "SELECT 1 FROM entries WHERE household_id = 1 AND reference = ?1",
        "VIR-20261010",
    );
    assert_indexed(&plan, &["entries"]);
}

// ---------------------------------------------------------------------------------------------
// Confidentiality of social notes.

#[test]
fn only_a_cesf_reads_social_notes() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let c = store.conn();
    assert!(can_read_social_notes(c, CESF).expect("cesf"));
    for login in [AMICABLE, LITIGATION, MANAGER, "inconnu", ""] {
        assert!(!can_read_social_notes(c, login).expect("other"), "{login}");
    }
    // A CESF who left the service no longer reads them.
    c.execute("UPDATE staff SET active = 0 WHERE login = ?1", [CESF])
        .expect("deactivate");
    assert!(!can_read_social_notes(c, CESF).expect("inactive"));

    let full = household_file(c, db.ids.elodie).expect("file");
    let mut hidden = full.clone();
    hidden.hide_social_notes();
    assert_eq!(
        hidden.events.len(),
        full.events.len(),
        "the note stays in the timeline"
    );
    for (h, f) in hidden.events.iter().zip(&full.events) {
        assert_eq!(h.detail, f.detail);
        assert_eq!(h.date, f.date);
        if f.detail.is_confidential() {
            assert_eq!(f.text, CONFIDENTIAL_TEXT);
            assert!(!h.text.contains("psychologique"), "{}", h.text);
            assert!(h.text.contains("travailleurs sociaux"), "{}", h.text);
        } else {
            assert_eq!(h.text, f.text);
        }
    }
    assert_eq!(
        full.events
            .iter()
            .filter(|e| e.detail.is_confidential())
            .count(),
        1
    );
    assert!(hidden.events.iter().any(|e| e.text == CONTACT_TEXT));
}

#[test]
fn the_detection_records_a_plan_broken_by_missed_instalments() {
    // Élodie's plan has missed instalments on the fixture's account (see common/mod.rs): the
    // detection must record it as broken, and the portfolio must show the alert.
    let mut store = Store::in_memory().expect("store");
    let ids = build(&mut store);
    let before = plans_of_household(store.conn(), ids.elodie).expect("plans");
    assert_eq!(before[0].status, PlanStatus::Active);
    let report = store
        .write(|c| {
            impayes::store::detect_arrears(
                c,
                today(),
                &impayes::domain::detection::DetectionRules::default(),
                &Stamp::on(MANAGER, today()),
            )
        })
        .expect("detection");
    assert_eq!(report.plans_broken, 1, "{report:?}");
    let after = plans_of_household(store.conn(), ids.elodie).expect("plans");
    assert_eq!(after[0].status, PlanStatus::Broken);
    let row = portfolio(store.conn())
        .expect("portfolio")
        .into_iter()
        .find(|r| r.dossier_id == ids.elodie_dossier)
        .expect("Élodie's row");
    assert!(row.alerts().contains(&"plan rompu"), "{:?}", row.alerts());
}

#[test]
fn actions_are_stored_listed_and_ticked_off_once() {
    use impayes::domain::action::{Action, ActionOrigin};
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let dossier_id = db.ids.elodie_dossier;
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let stamp = impayes::store::Stamp::on("cmartin", d("2026-11-02"));
    let action = |who: &str, due: &str| Action {
        id: 0,
        dossier_id,
        assignee: who.into(),
        what: "Appeler le locataire".into(),
        due_on: d(due),
        origin: ActionOrigin::Officer,
        review_item_id: None,
        done: None,
    };
    let first = store
        .write(|c| impayes::store::insert_action(c, &action("tgirard", "2026-11-20"), &stamp))
        .expect("insert");
    store
        .write(|c| impayes::store::insert_action(c, &action("dfaure", "2026-11-10"), &stamp))
        .expect("insert");
    let all = impayes::store::open_actions(store.conn(), None, None).expect("list");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].action.assignee, "dfaure", "sorted by due date");
    let mine = impayes::store::open_actions(store.conn(), Some("tgirard"), Some(d("2026-11-30")))
        .expect("list");
    assert_eq!(mine.len(), 1);
    let none = impayes::store::open_actions(store.conn(), Some("tgirard"), Some(d("2026-11-19")))
        .expect("list");
    assert!(none.is_empty(), "due after --until");
    store
        .write(|c| impayes::store::complete_action(c, first, d("2026-11-21"), &stamp))
        .expect("done");
    assert!(
        store
            .write(|c| impayes::store::complete_action(c, first, d("2026-11-21"), &stamp))
            .is_err(),
        "a second tick is refused"
    );
    let left = impayes::store::open_actions(store.conn(), None, None).expect("list");
    assert_eq!(left.len(), 1);
    let of_dossier = impayes::store::actions_of_dossier(store.conn(), dossier_id).expect("list");
    assert_eq!(of_dossier.len(), 2);
    assert!(of_dossier[1].done.is_some(), "done ones last");
}

#[test]
fn a_move_out_applies_the_deposit_keeps_the_rest_of_the_debt_and_departs_the_dossier() {
    use impayes::store::{DEPOSIT_LABEL, record_move_out};
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let before = household_by_account(store.conn(), ELODIE).expect("household");
    let mut dos = dossier_by_id(store.conn(), db.ids.elodie_dossier).expect("dossier");
    let stamp = Stamp::on(AMICABLE, today());
    // A deposit that is not positive is refused and nothing is written.
    let refused = store
        .write(|c| record_move_out(c, &mut dos.clone(), today(), None, Some(dec!(-5)), &stamp));
    assert!(refused.is_err());
    assert_eq!(
        household_by_account(store.conn(), ELODIE).expect("household"),
        before
    );
    store
        .write(|c| {
            record_move_out(
                c,
                &mut dos,
                today(),
                Some("2 rue du Rhin, 68100 Mulhouse"),
                Some(dec!(450.00)),
                &stamp,
            )
        })
        .expect("move out");
    let after = household_by_account(store.conn(), ELODIE).expect("household");
    assert_eq!(after.status, TenantStatus::Departed);
    assert_eq!(after.left_on, Some(today()));
    assert_eq!(
        after.forwarding_address.as_deref(),
        Some("2 rue du Rhin, 68100 Mulhouse")
    );
    // The balance drops by the deposit exactly; the rest of the debt stays.
    let (cached, summed) = cents_sum(&store, db.ids.elodie);
    assert_eq!(cached, summed);
    let entries = impayes::store::entries(store.conn(), db.ids.elodie).expect("entries");
    let credit = entries
        .iter()
        .find(|e| e.label == DEPOSIT_LABEL)
        .expect("deposit entry");
    assert_eq!(credit.amount, dec!(-450.00));
    let balance: rust_decimal::Decimal = entries.iter().map(|e| e.amount).sum();
    let old_balance: rust_decimal::Decimal = balance + dec!(450.00);
    assert!(
        old_balance > dec!(450.00),
        "Élodie owed more than the deposit"
    );
    assert_eq!(dos.phase, Phase::Departed);
    assert_eq!(
        dossier_by_id(store.conn(), db.ids.elodie_dossier)
            .expect("dossier")
            .phase,
        Phase::Departed
    );
    assert!(
        impayes::store::current_lease(store.conn(), db.ids.elodie)
            .expect("lease")
            .is_none_or(|(l, _)| l.end_on == Some(today())),
        "the lease ended"
    );
}
