//! Integration tests of the SQLite store on real files: migrations and pragmas, refusals,
//! transactions, cached balances, checks and query plans. Reads are in `store_records.rs`,
//! recorded changes and the confidentiality of social notes in `store_changes.rs`.

mod common;

use rust_decimal_macros::dec;

use common::*;
use impayes::domain::ledger::EntryKind;
use impayes::store::{
    SCHEMA_VERSION, Stamp, Store, StoreError, counts, entries, household_by_account, insert_entry,
    insert_household,
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
            "UPDATE balances SET cents = cents + 1
             WHERE household_id = (SELECT id FROM households WHERE account = ?1)",
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
        .execute_batch(
            "INSERT INTO households (account, holder, status, created_by,
                created_at, updated_by, updated_at)
             VALUES ('411-000002', 'Sans Écriture', 'present', 't', 't', 't', 't');
             INSERT INTO balances (household_id, cents) VALUES (last_insert_rowid(), 500);",
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
         WHERE tier IN (0, 1) AND household_id = ?1 ORDER BY tier, date, id",
        db.ids.elodie,
    );
    assert_indexed(&plan, &["entries"]);
    assert!(plan.contains("entries_tier_household"), "{plan}");
    assert!(
        !plan.contains("TEMP B-TREE"),
        "the index gives the order, tier after tier:\n{plan}"
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
        "SELECT cents FROM balances WHERE household_id = ?1",
        db.ids.elodie,
    );
    assert!(plan.contains("USING INTEGER PRIMARY KEY"), "{plan}");
    let plan = plan_of(
        &store,
        "SELECT id FROM dossiers WHERE household_id = ?1 ORDER BY opened_on DESC, id DESC",
        db.ids.elodie,
    );
    assert_indexed(&plan, &["dossiers"]);

    // The import's duplicate test on (household, reference) in the settled tier.
    let plan = plan_of(
        &store,
        "SELECT 1 FROM entries WHERE tier = 0 AND household_id = 1 AND reference = ?1",
        "VIR-20261010",
    );
    assert_indexed(&plan, &["entries"]);
    assert!(plan.contains("entries_tier_reference"), "{plan}");
}
