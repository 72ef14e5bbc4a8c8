//! Integration tests of the `impayes` binary: `init`, `check`, `search` and `show` on real
//! database files in temporary directories, their output and exit codes. Bad inputs and
//! `IMPAYES_DB` are in `cli_refusals.rs`.

mod cli_common;
mod common;

use cli_common::*;
use common::*;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// init

#[test]
fn init_creates_a_database_then_refuses_to_overwrite_it() {
    let sb = Sandbox::new();
    let db = sb.path("donnees/service/impayes.sqlite3");
    let r = sb.on(&db, &["init"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stderr.is_empty(), "{r:#?}");
    assert!(r.stdout.contains("Base créée"), "{r:#?}");
    assert!(db.is_file(), "init creates the file and its directories");
    assert_eq!(user_version(&db), impayes::store::SCHEMA_VERSION);

    let check = sb.on(&db, &["check"]);
    assert_eq!(check.code, 0, "{check:#?}");

    let before = snapshot(&db);
    let r = sb.on(&db, &["init"]);
    assert_french_error(&r, 1, "existe déjà");
    assert!(r.stderr.contains("impayes.sqlite3"), "{r:#?}");
    assert_eq!(snapshot(&db), before, "the existing base is not touched");
}

#[test]
fn init_in_a_directory_that_cannot_be_created_says_why_once() {
    let sb = Sandbox::new();
    std::fs::write(sb.path("fichier"), "pas un dossier").expect("write");
    let db = sb.path("fichier/sous/impayes.sqlite3");
    let r = sb.on(&db, &["init"]);
    assert_french_error(&r, 1, "impossible de créer le dossier");
    // The system's reason is given, and only once.
    assert_eq!(r.stderr.matches("(os error").count(), 1, "{r:#?}");
}

// ---------------------------------------------------------------------------------------------
// check

#[test]
fn check_passes_on_a_sound_database() {
    let (sb, db, _) = fixture();
    let r = sb.on(&db, &["check"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stderr.is_empty(), "{r:#?}");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("Base : "), "{r:#?}");
    for label in [
        "Intégrité",
        "Clés étrangères",
        "Version du schéma",
        "Soldes des comptes",
    ] {
        let line = lines
            .iter()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in {r:#?}"));
        assert!(line.ends_with(": ok"), "{line}");
    }
    assert!(!r.stdout.contains("ÉCHEC"));

    let r = sb.on(&db, &["check", "--format", "json"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let v = json(&r);
    assert_eq!(v["ok"], Value::Bool(true));
    assert_eq!(v["integrity"], serde_json::json!(["ok"]));
    assert_eq!(v["foreign_keys"], serde_json::json!([]));
    assert_eq!(v["balance_mismatches"], serde_json::json!([]));
    assert_eq!(v["schema_version"], v["expected_version"]);
}

#[test]
fn check_fails_on_a_corrupted_database() {
    let (sb, db, _) = fixture();
    {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute(
            "UPDATE balances SET cents = cents - 100
             WHERE household_id = (SELECT id FROM households WHERE account = ?1)",
            [GAEL],
        )
        .expect("corrupt");
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO entries (household_id, date, kind, amount_cents, label, recorded_by,
                recorded_at) VALUES (9999, '2026-11-01', 'rent_call', 100, 'x', 't', 't');",
        )
        .expect("orphan");
    }
    let r = sb.on(&db, &["check"]);
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(r.stdout.contains("ÉCHEC"), "{r:#?}");
    let balances = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Soldes des comptes"))
        .expect("balances line");
    assert!(
        balances.contains("ÉCHEC") && balances.contains(GAEL),
        "{balances}"
    );
    let keys = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Clés étrangères"))
        .expect("keys line");
    assert!(keys.contains("ÉCHEC (1 ligne(s) orpheline(s))"), "{keys}");
    assert!(!r.stderr.contains("panicked"), "{r:#?}");

    let r = sb.on(&db, &["check", "--format", "json"]);
    assert_eq!(r.code, 1, "{r:#?}");
    let v = json(&r);
    assert_eq!(v["ok"], Value::Bool(false));
    assert_eq!(v["balance_mismatches"], serde_json::json!([GAEL]));
    assert_eq!(v["foreign_keys"][0][0], "entries");
    assert_eq!(v["foreign_keys"][0][2], "households");
}

// ---------------------------------------------------------------------------------------------
// search

#[test]
fn search_ignores_accents_and_case() {
    let (sb, db, _) = fixture();
    let r = sb.on(&db, &["search", "elodie beranger"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let rows = tsv_rows(&r);
    assert_eq!(rows[0][0], ELODIE, "{r:#?}");
    assert_eq!(rows[0][1], "Élodie Béranger et Marc Béranger");
    assert_eq!(
        rows[0][2],
        "3 rue de l'Église, bât. B, appt 12, 68100 Mulhouse"
    );
    assert_eq!(rows[0][3], "présent");
    assert_eq!(rows[0][4], "1 234,56");
    assert_eq!(rows[0][5], "3,5");
    assert_eq!(rows[0][6], "amiable");

    let r = sb.on(&db, &["search", "BERANGER"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let accounts: Vec<String> = tsv_rows(&r).into_iter().map(|row| row[0].clone()).collect();
    assert!(accounts.contains(&ELODIE.to_string()), "{r:#?}");
    assert!(accounts.contains(&PAUL.to_string()), "{r:#?}");
    assert!(!accounts.contains(&ZOE.to_string()), "{r:#?}");

    for (query, account) in [
        ("zoe lefevre", ZOE),
        ("ZOÉ", ZOE),
        ("koenig", GAEL),
        ("gaël", GAEL),
    ] {
        let r = sb.on(&db, &["search", query]);
        assert_eq!(r.code, 0, "{query}: {r:#?}");
        assert_eq!(tsv_rows(&r)[0][0], account, "{query}: {r:#?}");
    }
}

#[test]
fn search_finds_accounts_and_phone_numbers() {
    let (sb, db, _) = fixture();
    for (query, account) in [
        (ZOE, ZOE),
        ("411-002051", GAEL),
        ("0612345678", ZOE),
        ("06 12 34 56 78", ZOE),
        ("0389123456", ELODIE),
        ("0389456701", PAUL),
    ] {
        let r = sb.on(&db, &["search", query]);
        assert_eq!(r.code, 0, "{query}: {r:#?}");
        assert_eq!(tsv_rows(&r)[0][0], account, "{query}: {r:#?}");
    }
}

#[test]
fn search_as_json() {
    let (sb, db, _) = fixture();
    let r = sb.on(&db, &["search", "beranger", "--format", "json"]);
    assert_eq!(r.code, 0, "{r:#?}");
    let v = json(&r);
    let rows = v.as_array().expect("an array");
    assert!(rows.len() >= 2, "{v:#}");
    for row in rows {
        for key in [
            "account",
            "name",
            "address",
            "status",
            "debt",
            "months_of_arrears",
            "phase",
        ] {
            assert!(row.get(key).is_some(), "{key} missing in {row:#}");
        }
    }
    let elodie = rows
        .iter()
        .find(|r| r["account"] == ELODIE)
        .expect("Élodie found");
    assert_eq!(elodie["name"], "Élodie Béranger et Marc Béranger");
    assert_eq!(
        elodie["address"],
        "3 rue de l'Église, bât. B, appt 12, 68100 Mulhouse"
    );
    assert_eq!(elodie["status"], "present");
    assert_eq!(elodie["debt"], "1234.56");
    assert_eq!(elodie["months_of_arrears"], "3.5");
    assert_eq!(elodie["phase"], "amicable");
    let paul = rows
        .iter()
        .find(|r| r["account"] == PAUL)
        .expect("Paul found");
    assert_eq!(paul["debt"], "0.00");
    assert_eq!(paul["phase"], Value::Null);

    let r = sb.on(&db, &["search", "koenig", "--format", "json"]);
    let gael = &json(&r)[0];
    assert_eq!(gael["status"], "departed");
    assert_eq!(gael["debt"], "4020.00");
    assert_eq!(gael["months_of_arrears"], "6.7");
    assert_eq!(gael["phase"], "departed");
}

#[test]
fn search_limit_and_no_match() {
    let (sb, db, _) = fixture();
    let r = sb.on(&db, &["search", "beranger", "--limit", "1"]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert_eq!(tsv_rows(&r).len(), 1, "{r:#?}");
    let r = sb.on(
        &db,
        &["search", "beranger", "--limit", "1", "--format", "json"],
    );
    assert_eq!(json(&r).as_array().map(Vec::len), Some(1), "{r:#?}");

    let r = sb.on(&db, &["search", "xyzzy"]);
    assert_eq!(r.code, 1, "{r:#?}");
    assert!(r.stdout.is_empty(), "{r:#?}");
    assert!(
        r.stderr.contains("Aucun ménage ne correspond à « xyzzy »"),
        "{r:#?}"
    );
    assert!(!r.stderr.contains("panicked"));

    let r = sb.on(&db, &["search", "xyzzy", "--format", "json"]);
    assert_eq!(json(&r), serde_json::json!([]), "{r:#?}");
    assert_eq!(r.code, 1, "no match is exit 1 whatever the format: {r:#?}");
}

// ---------------------------------------------------------------------------------------------
// show

#[test]
fn show_prints_the_household_in_french() {
    let (sb, db, ids) = fixture();
    let r = sb.on(&db, &["--user", AMICABLE, "show", ELODIE]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(r.stderr.is_empty(), "{r:#?}");
    let out = &r.stdout;
    for expected in [
        "Élodie Béranger et Marc Béranger — compte 411-004217 (locataire présent)",
        "Téléphone : 03 89 12 34 56",
        "Ménage : 4 personne(s)",
        "Logement : MUL-0142 — 3 rue de l'Église, bât. B, appt 12, 68100 Mulhouse (secteur MUL, département 68)",
        "Bail : entrée le 01/04/2019, conclu ou renouvelé le 01/04/2024 ; loyer 420,00 € + charges 80,00 €",
        "APL/AL (tiers payant) : 150,00 € par mois",
        "Compte au 22/11/2026 : solde 1 234,56 € ; 3,5 mois d'impayé ; loyer net d'APL 350,00 €",
        "Impayé depuis le 01/09/2026",
        "Ancienneté de la dette : moins de 3 mois 1 234,56 € · 3 à 12 mois 0,00 € · plus de 12 mois 0,00 €",
        "phase amiable, ouvert le 05/03/2026 (premier impayé)",
        "Référents : CESF cbernard · amiable amartin · contentieux lpetit",
        "Causes : perte d'emploi, séparation",
        "Prochaine action : Relancer par téléphone (30/11/2026)",
        "Plan d'apurement signé le 20/06/2026 : 900,00 € en 6 échéance(s), validé CAF",
        "(2 honorée(s), 3 manquée(s), 1 à venir)",
        "Chronologie (du plus récent au plus ancien) :",
        CONTACT_TEXT,
    ] {
        assert!(
            out.contains(expected),
            "« {expected} » missing from:\n{out}"
        );
    }
    assert!(
        out.contains(&format!("Dossier n° {}", ids.elodie_dossier)),
        "{out}"
    );
    assert!(!out.contains("EN RETARD"), "{out}");

    // The timeline, newest first.
    let timeline: Vec<&str> = out
        .split("Chronologie (du plus récent au plus ancien) :\n")
        .nth(1)
        .expect("timeline")
        .lines()
        .collect();
    let dates: Vec<&str> = timeline
        .iter()
        .map(|l| l.trim_start().get(..10).unwrap_or(""))
        .collect();
    assert_eq!(
        dates,
        [
            "18/11/2026",
            "20/10/2026",
            "15/09/2026",
            "20/06/2026",
            "20/05/2026",
            "12/04/2026",
            "10/03/2026"
        ],
        "{out}"
    );
    assert!(
        timeline[0].contains("Demande d'aide") && timeline[0].contains("FSL"),
        "{out}"
    );
    assert!(timeline[4].contains("Note"), "the note stays listed: {out}");
    assert!(
        !out.contains(CONFIDENTIAL_TEXT),
        "confidential text shown to a non-CESF:\n{out}"
    );
    assert!(!out.contains("psychologique"), "{out}");
}

#[test]
fn show_a_departed_tenant_with_old_debt() {
    let (sb, db, _) = fixture();
    let r = sb.on(&db, &["show", GAEL]);
    assert_eq!(r.code, 0, "{r:#?}");
    let out = &r.stdout;
    for expected in [
        "Gaël Kœnig — compte 411-002051 (locataire parti)",
        "Parti le 31/03/2026 — nouvelle adresse : 5 impasse des Vosges, 67000 Strasbourg",
        "; fin le 31/03/2026",
        "APL/AL (tiers payant) : non",
        "solde 4 020,00 € ; 6,7 mois d'impayé",
        "moins de 3 mois 120,00 € · 3 à 12 mois 2 400,00 € · plus de 12 mois 1 500,00 €",
        "phase parti",
        "Prochaine action : Transmettre à la société de recouvrement (10/11/2026) EN RETARD",
        "Sommation de payer",
        "Départ du locataire",
    ] {
        assert!(
            out.contains(expected),
            "« {expected} » missing from:\n{out}"
        );
    }

    let r = sb.on(&db, &["show", PAUL]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.contains("solde 0,00 € ; 0 mois d'impayé"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("phase clos"), "{}", r.stdout);
    assert!(
        r.stdout.contains("clos le 30/06/2024 (soldé)"),
        "{}",
        r.stdout
    );
}

#[test]
fn show_reveals_social_notes_to_a_cesf_only() {
    let (sb, db, _) = fixture();
    let cesf = sb.on(&db, &["--user", CESF, "show", ELODIE]);
    assert_eq!(cesf.code, 0, "{cesf:#?}");
    assert!(cesf.stdout.contains(CONFIDENTIAL_TEXT), "{}", cesf.stdout);

    for user in [AMICABLE, LITIGATION, MANAGER, "inconnu"] {
        let r = sb.on(&db, &["--user", user, "show", ELODIE]);
        assert_eq!(r.code, 0, "{r:#?}");
        assert!(
            !r.stdout.contains(CONFIDENTIAL_TEXT),
            "{user} reads the note"
        );
        assert!(
            r.stdout.contains("note sociale confidentielle"),
            "{}",
            r.stdout
        );
    }
    // Without --user the login is used ("testeur", not in the staff).
    let r = sb.on(&db, &["show", ELODIE]);
    assert!(!r.stdout.contains(CONFIDENTIAL_TEXT));

    let r = sb.on(
        &db,
        &["--user", AMICABLE, "show", ELODIE, "--format", "json"],
    );
    assert!(!r.stdout.contains(CONFIDENTIAL_TEXT), "JSON leaks the note");
    let r = sb.on(&db, &["--user", CESF, "show", ELODIE, "--format", "json"]);
    assert!(r.stdout.contains(CONFIDENTIAL_TEXT));
}

#[test]
fn show_as_json() {
    let (sb, db, ids) = fixture();
    let r = sb.on(
        &db,
        &["--user", AMICABLE, "show", ELODIE, "--format", "json"],
    );
    assert_eq!(r.code, 0, "{r:#?}");
    let v = json(&r);
    assert_eq!(v["today"], TODAY);
    let file = &v["file"];
    assert_eq!(file["household"]["account"], ELODIE);
    assert_eq!(file["household"]["holder"], "Élodie Béranger");
    assert_eq!(file["household"]["status"], "present");
    assert_eq!(file["home"]["commune"], "Mulhouse");
    assert_eq!(file["lease"]["rent"], "420.00");
    assert_eq!(
        file["entries"].as_array().map(Vec::len),
        Some(ids.entry_counts[0])
    );
    assert_eq!(file["dossiers"][0]["id"], ids.elodie_dossier);
    assert_eq!(file["dossiers"][0]["phase"], "amicable");
    let events = file["events"].as_array().expect("events");
    assert_eq!(events.len(), elodie_events().len());
    assert_eq!(events[0]["date"], "2026-11-18");
    assert_eq!(events[0]["detail"]["kind"], "aid_request");
    assert_eq!(
        file["plans"][0]["instalments"].as_array().map(Vec::len),
        Some(6)
    );
    let s = &v["summary"];
    assert_eq!(s["balance"], "1234.56");
    assert_eq!(s["monthly_net"], "350.00");
    assert_eq!(s["months_of_arrears"], "3.5");
    assert_eq!(s["by_age"]["lt_3_months"], "1234.56");
    assert_eq!(s["arrears_since"], "2026-09-01");
}

// ---------------------------------------------------------------------------------------------
