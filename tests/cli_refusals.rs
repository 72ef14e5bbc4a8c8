//! The `impayes` binary refuses bad inputs with one French sentence, a non-zero exit and
//! nothing changed; and it finds its database through `IMPAYES_DB`.

mod cli_common;
mod common;

use cli_common::*;
use common::*;

// Bad inputs: one French sentence, a non-zero exit, nothing changed.

#[test]
fn a_missing_database_is_named_and_not_created() {
    let sb = Sandbox::new();
    let db = sb.path("absente.sqlite3");
    for args in [
        vec!["search", "beranger"],
        vec!["show", ELODIE],
        vec!["check"],
    ] {
        let r = sb.on(&db, &args);
        assert_french_error(&r, 1, "n'existe pas");
        assert!(r.stderr.contains("absente.sqlite3"), "{r:#?}");
        assert!(r.stderr.contains("impayes init"), "{r:#?}");
        assert!(!db.exists(), "{args:?} created the file");
    }
}

#[test]
fn a_database_in_a_directory_that_does_not_exist() {
    let sb = Sandbox::new();
    let db = sb.path("nulle/part/impayes.sqlite3");
    let r = sb.on(&db, &["show", ELODIE]);
    assert_french_error(&r, 1, "n'existe pas");
    assert!(!sb.path("nulle").exists(), "no directory is created");
}

#[test]
fn a_directory_given_as_the_database() {
    let sb = Sandbox::new();
    let dir = sb.path("un-dossier");
    std::fs::create_dir(&dir).expect("mkdir");
    let r = sb.on(&dir, &["check"]);
    assert_french_error(&r, 1, "n'est pas une base impayes lisible");
}

#[test]
fn a_text_file_is_not_a_database() {
    let sb = Sandbox::new();
    let db = sb.path("notes.txt");
    let content = "Réunion du 12 novembre : dossiers à revoir.\n".repeat(100);
    std::fs::write(&db, &content).expect("write");
    for args in [vec!["search", "x"], vec!["show", ELODIE], vec!["check"]] {
        let r = sb.on(&db, &args);
        assert_french_error(&r, 1, "n'est pas une base SQLite");
        assert!(r.stderr.contains("notes.txt"), "{r:#?}");
    }
    assert_eq!(std::fs::read_to_string(&db).expect("read"), content);
    let r = sb.on(&db, &["init"]);
    assert_french_error(&r, 1, "existe déjà");
    assert_eq!(std::fs::read_to_string(&db).expect("read"), content);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_untouched() {
    let sb = Sandbox::new();
    let db = sb.path("future.sqlite3");
    let newer = impayes::store::SCHEMA_VERSION + 3;
    newer_database(&db, newer);
    let before = snapshot(&db);
    for args in [
        vec!["search", "beranger"],
        vec!["show", ELODIE],
        vec!["check"],
        vec!["check", "--format", "json"],
    ] {
        let r = sb.on(&db, &args);
        assert_french_error(&r, 1, "version plus récente");
        assert!(r.stderr.contains("mettez impayes à jour"), "{r:#?}");
        assert_eq!(snapshot(&db), before, "{args:?} changed the file");
        assert_eq!(user_version(&db), newer);
    }
}

#[test]
fn another_application_s_sqlite_file_is_refused_and_untouched() {
    let sb = Sandbox::new();
    let db = sb.path("autre.sqlite3");
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute_batch(
            "CREATE TABLE contacts (nom TEXT); INSERT INTO contacts VALUES ('Zoé');",
        )
        .expect("create");
    }
    let before = snapshot(&db);
    let r = sb.on(&db, &["check"]);
    assert_french_error(&r, 1, "n'est pas une base impayes");
    assert_eq!(
        snapshot(&db),
        before,
        "the other application's file was changed"
    );
    let conn = rusqlite::Connection::open(&db).expect("open");
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(tables, 1);
}

#[test]
fn an_unknown_account() {
    let (sb, db, _) = fixture();
    let before = snapshot(&db);
    let r = sb.on(&db, &["show", "411-999999"]);
    assert_french_error(&r, 1, "compte « 411-999999 » inconnu");
    let r = sb.on(&db, &["show", "411-999999", "--format", "json"]);
    assert_french_error(&r, 1, "inconnu");
    assert_eq!(snapshot(&db), before);
}

#[test]
fn an_invalid_date_and_unknown_options() {
    let (sb, db, _) = fixture();
    let before = snapshot(&db);
    let mut cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--today", "2026-02-30", "show", ELODIE],
            "« 2026-02-30 » n'est pas une date valide",
        ),
        (
            vec!["--today", "22/11/2026", "check"],
            "n'est pas une date valide",
        ),
        (
            vec!["--frobnicate", "check"],
            "option inconnue : --frobnicate",
        ),
        (vec!["check", "--verbose"], "option inconnue : --verbose"),
        (vec!["effacer"], "commande inconnue : effacer"),
        (vec!["search"], "argument manquant"),
        (
            vec!["search", "x", "--format", "xml"],
            "valeur « xml » invalide pour --format",
        ),
        (vec!["search", "x", "--limit", "beaucoup"], "--limit"),
    ];
    for (args, needle) in cases.drain(..) {
        let mut full = vec!["--db", db.to_str().expect("utf-8 path")];
        full.extend(args.iter().copied());
        let r = sb.run(&full);
        assert_french_error(&r, 2, needle);
        assert_eq!(snapshot(&db), before, "{args:?} changed the base");
    }
}

#[test]
fn help_is_in_french() {
    let sb = Sandbox::new();
    for args in [vec!["--help"], vec!["-h"]] {
        let r = sb.run(&args);
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(r.stderr.is_empty(), "{r:#?}");
        for expected in [
            "poste de travail du service prévention et gestion des impayés",
            "Utilisation : impayes",
            "Commandes",
            "init",
            "search",
            "show",
            "check",
            "Base de données SQLite",
            "Affiche cette aide",
        ] {
            assert!(
                r.stdout.contains(expected),
                "« {expected} » missing:\n{}",
                r.stdout
            );
        }
        for english in [
            "Usage:",
            "Print help",
            "Commands:",
            "[default:",
            "Possible values",
        ] {
            assert!(
                !r.stdout.contains(english),
                "« {english} » in:\n{}",
                r.stdout
            );
        }
    }
    for sub in ["init", "search", "show", "check"] {
        let r = sb.run(&[sub, "--help"]);
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(r.stdout.contains("Utilisation : impayes"), "{}", r.stdout);
        for english in [
            "Usage:",
            "Print help",
            "[default:",
            "Possible values",
            "[possible values",
        ] {
            assert!(
                !r.stdout.contains(english),
                "« {english} » in {sub} --help:\n{}",
                r.stdout
            );
        }
    }
    let r = sb.run(&["search", "--help"]);
    assert!(r.stdout.contains("par défaut"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------------
// IMPAYES_DB

#[test]
fn the_impayes_db_variable_is_honoured() {
    let (sb, db, _) = fixture();
    let r = run(sb
        .command()
        .env("IMPAYES_DB", &db)
        .args(["--today", TODAY, "search", "elodie"]));
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(tsv_rows(&r)[0][0], ELODIE);

    // --db wins over the variable.
    let r = run(sb
        .command()
        .env("IMPAYES_DB", sb.path("absente.sqlite3"))
        .arg("--db")
        .arg(&db)
        .args(["search", "zoe"]));
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(tsv_rows(&r)[0][0], ZOE);

    // The variable pointing nowhere is reported like --db.
    let r = run(sb
        .command()
        .env("IMPAYES_DB", sb.path("absente.sqlite3"))
        .args(["check"]));
    assert_french_error(&r, 1, "absente.sqlite3");

    // Neither: the default file in the (sandboxed) data directory, which does not exist.
    let r = sb.run(&["check"]);
    assert_french_error(&r, 1, "n'existe pas");
    assert!(
        r.stderr.contains(sb.path("home").to_str().expect("utf-8")),
        "the default base is under the user's home: {r:#?}"
    );
}

#[test]
fn bench_measures_the_fixture_and_leaves_it_unchanged() {
    let (sandbox, db, _) = fixture();
    let before = sandbox.on(&db, &["export", "accounts", "--format", "csv"]);
    let r = sandbox.on(
        &db,
        &[
            "bench",
            "--samples",
            "3",
            "--import-lines",
            "300",
            "--markdown",
        ],
    );
    assert_eq!(r.code, 0, "{r:#?}");
    for needle in [
        "| Mesure | Valeur | Cible | Atteinte |",
        "Démarrage jusqu'à la première image",
        "Recherche : frappe → résultats à l'écran",
        "octets envoyés par déplacement",
        "Ouverture d'un dossier",
        "Mémoire résidente maximale",
        "Import CSV de 300 lignes",
        "enregistré (copie de la base) : lecture, écriture, validation",
        "Import du mois suivant dans la même copie (300 lignes",
        "Regroupement des ",
    ] {
        assert!(r.stdout.contains(needle), "{needle} missing: {}", r.stdout);
    }
    // The committed import ran on a copy and the other was a dry run: the accounts are as
    // they were.
    let after = sandbox.on(&db, &["export", "accounts", "--format", "csv"]);
    assert!(before.stdout.lines().count() > 10, "{before:#?}");
    assert_eq!(before.stdout, after.stdout);
}
