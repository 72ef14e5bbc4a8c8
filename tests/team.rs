//! Team use, trust and data protection (issue 9): audit log, roles and social notes, staff
//! commands, file permissions, backups, row versions, retention purge, and an import killed
//! midway. Concurrency across processes is in `tests/concurrency.rs`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use impayes::domain::audit::AuditFilter;
use impayes::domain::event::EventDetail;
use impayes::store::{self, Stamp, Store, StoreError};

fn impayes(home: &Path, db: &Path, args: &[&str]) -> Run {
    let today: &[&str] = if args.contains(&"--today") {
        &[]
    } else {
        &["--today", TODAY]
    };
    run(binary(home, db.parent().unwrap_or(home))
        .stdin(Stdio::null())
        .arg("--db")
        .arg(db)
        .args(today)
        .args(args))
}

fn one<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn every_write_is_audited_with_its_author_and_the_log_refuses_changes() {
    let f = fixture_db();
    let before: i64 = one(&f.path, "SELECT COUNT(*) FROM audit");
    assert_eq!(before, 0, "the fixture is written in bulk");
    let mut s = Store::open(&f.path).expect("open");
    s.set_actor(Some(AMICABLE)).expect("actor");
    s.write(|c| {
        let mut d = store::dossier(c, f.ids.elodie_dossier)?;
        d.next_action = Some("Rappeler Mme Béranger".into());
        store::update_dossier(c, &d, &Stamp::now(AMICABLE))?;
        store::insert_event(
            c,
            d.id,
            chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
            &EventDetail::Note { confidential: true },
            "Texte très confidentiel",
            &Stamp::now(AMICABLE),
        )?;
        Ok(())
    })
    .expect("write");
    let rows = store::audit_log(
        s.conn(),
        &AuditFilter {
            account: Some(ELODIE.into()),
            ..AuditFilter::default()
        },
    )
    .expect("audit");
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let (event, dossier) = (&rows[0], &rows[1]);
    assert_eq!(
        (dossier.login.as_str(), dossier.action.as_str()),
        (AMICABLE, "update")
    );
    assert_eq!(dossier.entity, "dossiers");
    assert_eq!(dossier.account.as_deref(), Some(ELODIE));
    let changes = dossier.changes();
    assert!(
        changes
            .iter()
            .any(|c| c.ends_with("→ Rappeler Mme Béranger")),
        "{changes:?}"
    );
    assert!(changes.iter().any(|c| c == "version: 0 → 1"), "{changes:?}");
    assert_eq!(event.action, "insert");
    let after = event.after.as_deref().expect("after");
    assert!(
        !after.contains("très confidentiel"),
        "a social note's text must not be copied into the log: {after}"
    );
    // Append-only.
    for sql in ["UPDATE audit SET login = 'personne'", "DELETE FROM audit"] {
        let err = s.conn().execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("journal d'audit"), "{err}");
    }
    // The CLI lists it, by account and by login, in a table and in JSON.
    let home = f.dir.path().join("home");
    let r = impayes(&home, &f.path, &["audit", "--dossier", ELODIE]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains(AMICABLE) && r.stdout.contains("modification"),
        "{r:?}"
    );
    let r = impayes(&home, &f.path, &["audit", "--by", CESF, "--format", "json"]);
    assert_eq!(r.stdout.trim(), "[]", "{r:?}");
    let r = impayes(&home, &f.path, &["audit", "--dossier", "411-999999"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("inconnu"), "{r:?}");
}

#[test]
fn the_demo_is_audited_as_one_row_not_row_by_row() {
    let dir = tempfile::tempdir().expect("dir");
    let db = dir.path().join("demo.sqlite3");
    let r = impayes(dir.path(), &db, &["demo", "--households", "40"]);
    assert_eq!(r.code, 0, "{r:?}");
    let n: i64 = one(&db, "SELECT COUNT(*) FROM audit");
    let action: String = one(&db, "SELECT action FROM audit");
    assert_eq!((n, action.as_str()), (1, "demo"));
    assert!(one::<i64>(&db, "SELECT COUNT(*) FROM events") > 40);
}

#[test]
fn staff_are_managed_by_managers_and_an_unknown_login_only_reads() {
    let f = fixture_db();
    let home = f.dir.path().join("home");
    let as_ = |user: &str, args: &[&str]| {
        let mut full = vec!["--user", user];
        full.extend_from_slice(args);
        impayes(&home, &f.path, &full)
    };
    let r = as_(
        MANAGER,
        &[
            "staff",
            "add",
            "jdoe",
            "--name",
            "Jeanne Doe",
            "--role",
            "contentieux",
            "--sector",
            "MUL",
        ],
    );
    assert_eq!(r.code, 0, "{r:?}");
    // The rebuilt table accepts the admin role.
    let r = as_(MANAGER, &["staff", "set-role", "jdoe", "admin"]);
    assert_eq!(r.code, 0, "{r:?}");
    let r = as_(MANAGER, &["staff", "list"]);
    assert!(
        r.stdout.contains("Jeanne Doe") && r.stdout.contains("administrateur"),
        "{r:?}"
    );
    // An amicable officer may not; an unknown login is told it reads only; nothing changes.
    let r = as_(AMICABLE, &["staff", "set-role", "jdoe", "cesf"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("réservé aux responsables"), "{r:?}");
    let r = as_(
        "intrus",
        &["staff", "add", "x", "--name", "X", "--role", "admin"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr
            .starts_with("impayes : « intrus » ne fait pas partie de l'équipe"),
        "{r:?}"
    );
    assert!(r.stderr.contains("lecture seule"), "{r:?}");
    let r = as_(
        MANAGER,
        &["staff", "add", "y", "--name", "Y", "--role", "stagiaire"],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("rôle « stagiaire » inconnu"), "{r:?}");
    let role: String = one(&f.path, "SELECT role FROM staff WHERE login = 'jdoe'");
    assert_eq!(role, "admin");
    let who: String = one(
        &f.path,
        "SELECT group_concat(login || ':' || action, ',') FROM audit WHERE entity = 'staff'",
    );
    assert_eq!(who, format!("{MANAGER}:insert,{MANAGER}:update"));
    // An import by an unknown login is refused before reading the file.
    let r = as_("intrus", &["import", "accounts", "/nonexistent.csv"]);
    assert!(r.stderr.contains("lecture seule"), "{r:?}");
}

#[test]
fn a_cesf_note_is_read_by_social_workers_only_unless_shared() {
    let f = fixture_db();
    let home = f.dir.path().join("home");
    let show = |user: &str, format: &str| {
        impayes(
            &home,
            &f.path,
            &["--user", user, "show", ELODIE, "--format", format],
        )
        .stdout
    };
    for format in ["text", "json"] {
        assert!(show(CESF, format).contains(CONFIDENTIAL_TEXT));
        assert!(!show(AMICABLE, format).contains(CONFIDENTIAL_TEXT));
    }
    let mut s = Store::open(&f.path).expect("open");
    let note: i64 = s
        .conn()
        .query_row(
            "SELECT id FROM events WHERE text = ?1",
            [CONFIDENTIAL_TEXT],
            |r| r.get(0),
        )
        .expect("note");
    // Only a CESF shares.
    let refused = s.write(|c| store::share_note(c, note, AMICABLE, "2026-11-22T10:00:00Z"));
    let r = impayes(&home, &f.path, &["--user", CESF, "share-note", "999999"]);
    assert!(
        r.stderr.contains("pas une note sociale confidentielle"),
        "{r:?}"
    );
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );
    drop(s);
    let r = impayes(
        &home,
        &f.path,
        &["--user", AMICABLE, "share-note", &note.to_string()],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!show(AMICABLE, "text").contains(CONFIDENTIAL_TEXT));
    let r = impayes(
        &home,
        &f.path,
        &["--user", CESF, "share-note", &note.to_string()],
    );
    assert_eq!(r.code, 0, "{r:?}");
    assert!(show(AMICABLE, "text").contains(CONFIDENTIAL_TEXT));
    assert!(show(MANAGER, "json").contains(CONFIDENTIAL_TEXT));
    // Never to someone outside the staff.
    assert!(!show("intrus", "text").contains(CONFIDENTIAL_TEXT));
}

#[test]
fn a_second_save_of_a_dossier_read_before_the_first_is_refused() {
    let f = fixture_db();
    let mut a = Store::open(&f.path).expect("officer a");
    let mut b = Store::open(&f.path).expect("officer b");
    let read_by_b = store::dossier_versions(b.conn(), f.ids.elodie)
        .expect("versions")
        .into_iter()
        .find(|(id, _)| *id == f.ids.elodie_dossier)
        .expect("dossier")
        .1;
    a.write(|c| {
        let mut d = store::dossier(c, f.ids.elodie_dossier)?;
        d.next_action = Some("A".into());
        store::update_dossier(c, &d, &Stamp::now(AMICABLE))
    })
    .expect("first save");
    let second = b.write(|c| {
        store::check_dossier_version(c, f.ids.elodie_dossier, read_by_b)?;
        let mut d = store::dossier(c, f.ids.elodie_dossier)?;
        d.next_action = Some("B".into());
        store::update_dossier(c, &d, &Stamp::now(LITIGATION))
    });
    let err = second.expect_err("conflict");
    assert!(
        matches!(err, StoreError::Conflict { ref by, .. } if by == AMICABLE),
        "{err:?}"
    );
    assert!(err.to_string().contains("rien n'a été écrasé"), "{err}");
    let kept: String = one(
        &f.path,
        &format!(
            "SELECT next_action FROM dossiers WHERE id = {}",
            f.ids.elodie_dossier
        ),
    );
    assert_eq!(kept, "A");
}

#[cfg(unix)]
#[test]
fn new_databases_are_private_or_shared_with_the_group() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("dir");
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    let private = dir.path().join("privee.sqlite3");
    assert_eq!(impayes(dir.path(), &private, &["init"]).code, 0);
    assert_eq!(mode(&private), 0o600);
    let shared = dir.path().join("equipe.sqlite3");
    assert_eq!(impayes(dir.path(), &shared, &["--group", "init"]).code, 0);
    assert_eq!(mode(&shared), 0o660);
    // The WAL file SQLite creates takes the database's permissions.
    let wal = dir.path().join("equipe.sqlite3-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o660);
    }
    let demo = dir.path().join("demo.sqlite3");
    assert_eq!(
        impayes(dir.path(), &demo, &["demo", "--households", "5"]).code,
        0
    );
    assert_eq!(mode(&demo), 0o600);
}

#[test]
fn a_backup_is_taken_while_another_session_writes() {
    let f = fixture_db();
    let path = f.path.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let dossier = f.ids.elodie_dossier;
        std::thread::spawn(move || {
            let mut s = Store::open(&path).expect("writer");
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                s.write(|c| {
                    store::insert_event(
                        c,
                        dossier,
                        chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
                        &EventDetail::Note {
                            confidential: false,
                        },
                        "écrit pendant la copie",
                        &Stamp::now(AMICABLE),
                    )
                })
                .expect("write during backup");
                n += 1;
            }
            n
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let copy = f.dir.path().join("copie.sqlite3");
    let home = f.dir.path().join("home");
    let r = impayes(&home, &f.path, &["backup", copy.to_str().expect("utf-8")]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().expect("writer");
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.starts_with("Copie écrite"), "{r:?}");
    assert!(written > 0);
    let r = impayes(&home, &copy, &["check"]);
    assert_eq!(r.code, 0, "{r:?}");
    // A second backup to the same file is refused, the first copy kept.
    let r = impayes(&home, &f.path, &["backup", copy.to_str().expect("utf-8")]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("existe déjà"), "{r:?}");
}

#[test]
fn purge_shows_then_deletes_only_when_confirmed_and_logs_it() {
    let f = fixture_db();
    let home = f.dir.path().join("home");
    // Paul's amicable dossier closed on 30/06/2024: past 3 years on 01/07/2027.
    let later = ["--today", "2027-07-01", "--user", MANAGER];
    let run = |extra: &[&str]| {
        let mut args = later.to_vec();
        args.push("purge");
        args.extend_from_slice(extra);
        impayes(&home, &f.path, &args)
    };
    let dry = run(&["--dry-run"]);
    assert_eq!(dry.code, 0, "{dry:?}");
    assert!(
        dry.stdout
            .contains(&format!("du compte {PAUL} clos le 30/06/2024")),
        "{dry:?}"
    );
    assert!(dry.stdout.contains("À supprimer : 1 dossier(s)"), "{dry:?}");
    let count = || {
        one::<i64>(
            &f.path,
            &format!(
                "SELECT COUNT(*) FROM dossiers WHERE id = {}",
                f.ids.paul_dossier
            ),
        )
    };
    assert_eq!(count(), 1, "a dry run deletes nothing");
    // Not a terminal and no --yes: refused.
    let r = run(&[]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("--yes"), "{r:?}");
    assert_eq!(count(), 1);
    // Only managers and admins purge.
    let r = impayes(
        &home,
        &f.path,
        &[
            "--today",
            "2027-07-01",
            "--user",
            AMICABLE,
            "purge",
            "--yes",
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_eq!(count(), 1);
    let r = run(&["--yes"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert_eq!(count(), 0);
    let events: i64 = one(
        &f.path,
        &format!(
            "SELECT COUNT(*) FROM events WHERE dossier_id = {}",
            f.ids.paul_dossier
        ),
    );
    assert_eq!(events, 0);
    let log: String = one(
        &f.path,
        "SELECT login || ' ' || action || ' ' || after FROM audit",
    );
    assert_eq!(
        log,
        format!("{MANAGER} purge {{\"dossiers\":1,\"social_notes\":0}}")
    );
    assert_eq!(impayes(&home, &f.path, &["check"]).code, 0);
}

#[test]
fn an_import_killed_midway_leaves_none_of_it_and_a_sound_database() {
    let f = fixture_db();
    let home = f.dir.path().join("home");
    let file = f.dir.path().join("gros.csv");
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(&file).expect("csv"));
        writeln!(w, "compte;date;nature;montant;libelle;reference").expect("w");
        for i in 0..400_000 {
            let account = [ELODIE, ZOE, GAEL][i % 3];
            writeln!(w, "{account};01/10/2026;paiement;-0,01;Virement {i};K-{i}").expect("w");
        }
    }
    let entries = || one::<i64>(&f.path, "SELECT COUNT(*) FROM entries");
    let before = entries();
    let mut child = Command::new(env!("CARGO_BIN_EXE_impayes"))
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .arg("--db")
        .arg(&f.path)
        .args(["--today", TODAY, "--user", MANAGER, "import", "accounts"])
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn import");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let finished = child.try_wait().expect("wait").is_some();
    child.kill().expect("SIGKILL"); // Child::kill sends SIGKILL on Unix.
    let _ = child.wait();
    let after = entries();
    eprintln!("import finished before the kill: {finished}; entries {before} then {after}");
    assert!(
        after == before || after == before + 400_000,
        "either none or all: {before} then {after}"
    );
    if !finished {
        assert_eq!(after, before, "killed midway: nothing of it");
    }
    let r = impayes(&home, &f.path, &["check"]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn a_full_disk_or_a_read_only_base_says_so_and_loses_nothing() {
    let f = fixture_db();
    let mut s = Store::open(&f.path).expect("open");
    let events = |s: &Store| -> i64 {
        s.conn()
            .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
            .expect("count")
    };
    let before = events(&s);
    let write = |s: &mut Store| {
        s.write(|c| {
            for i in 0..2_000 {
                store::insert_event(
                    c,
                    f.ids.elodie_dossier,
                    chrono::NaiveDate::from_ymd_opt(2026, 11, 22).expect("date"),
                    &EventDetail::Note {
                        confidential: false,
                    },
                    &format!("{i} {}", "x".repeat(400)),
                    &Stamp::now(AMICABLE),
                )?;
            }
            Ok(())
        })
    };
    // The file may not grow: SQLite answers SQLITE_FULL, as on a full disk.
    let pages: i64 = s
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .expect("pages");
    s.conn()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
        .expect("limit");
    let err = write(&mut s).expect_err("full");
    assert!(matches!(err, StoreError::DiskFull(_)), "{err:?}");
    assert!(err.to_string().contains("disque"), "{err}");
    assert!(err.to_string().contains("intactes"), "{err}");
    assert_eq!(events(&s), before, "the transaction was rolled back whole");
    // A base that may not be written.
    s.conn()
        .execute_batch("PRAGMA query_only = 1")
        .expect("query only");
    let err = write(&mut s).expect_err("read-only");
    assert!(matches!(err, StoreError::ReadOnly(_)), "{err:?}");
    assert!(err.to_string().contains("lecture seule"), "{err}");
    s.conn()
        .execute_batch("PRAGMA query_only = 0")
        .expect("writable");
    assert_eq!(events(&s), before);
    assert_eq!(
        impayes(&f.dir.path().join("home"), &f.path, &["check"]).code,
        0
    );
}

#[test]
fn show_and_search_print_a_hostile_name_inert() {
    let f = fixture_db();
    rusqlite::Connection::open(&f.path)
        .expect("open")
        .execute(
            "UPDATE households SET holder = ?1, search_key = 'mallory' WHERE account = ?2",
            ["Mallory\u{1b}]52;c;eA==\u{7}\u{202E}321", ELODIE],
        )
        .expect("hostile");
    let home = f.dir.path().join("home");
    for args in [&["show", ELODIE][..], &["search", "mallory"][..]] {
        let r = impayes(&home, &f.path, args);
        assert_eq!(r.code, 0, "{r:?}");
        assert!(
            r.stdout.contains("Mallory^[]52;c;eA==^G\u{FFFD}321"),
            "{r:?}"
        );
        assert!(
            !r.stdout.contains(['\u{1b}', '\u{7}', '\u{202E}']),
            "{args:?} printed a control character"
        );
    }
}
