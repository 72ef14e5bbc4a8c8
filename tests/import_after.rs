//! What follows an import, on real database files: the arrears detection (dossiers opened,
//! settled ones flagged), the CAF threshold and prescription dates shown, unknown accounts
//! refused, listed or created, the dry run, and mapping errors. Every expected figure is worked
//! out from `tests/common`.

mod common;
mod import_common;

use common::*;
use import_common::*;
use serde_json::Value;

#[test]
fn detection_opens_a_dossier_and_flags_a_settled_one_with_a_mapping() {
    let s = Sandbox::new();
    let mapping = fixture("mapping_erp.toml");
    let run = import(
        &s,
        "erp_agence.csv",
        &["--mapping", mapping.to_str().expect("path")],
    );
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), 2);
    assert_eq!(
        s.one::<String>("SELECT kind FROM entries WHERE reference = 'VC-2026-11'"),
        "housing_benefit"
    );
    // Élodie: 1 234,56 − 1 234,56 = 0: her dossier is flagged, not closed.
    assert_eq!(s.balance(ELODIE), 0);
    assert_eq!(count(&run, "Dossiers soldés, à clore"), 1);
    let flag: String = s.one(&format!(
        "SELECT flag || '|' || since FROM dossier_flags WHERE dossier_id = {}",
        s.db.ids.elodie_dossier
    ));
    assert_eq!(flag, "settled|2026-11-22");
    assert_eq!(
        s.one::<Option<String>>(&format!(
            "SELECT closed_on FROM dossiers WHERE id = {}",
            s.db.ids.elodie_dossier
        )),
        None
    );
    let elodie = show_json(&s, ELODIE);
    assert_eq!(
        elodie["assessment"]["flags"],
        serde_json::json!(["settled"])
    );
    let text = s.run(&["show", ELODIE]).stdout;
    assert!(text.contains("SOLDÉ, À CLORE"), "{text}");

    // Paul: 350 called on 01/10 and 01/11, 350 paid on 04/11 settles October (oldest first):
    // November's call is unpaid past its due day (11/11): a dossier is opened.
    assert_eq!(count(&run, "Dossiers ouverts"), 1);
    let paul = show_json(&s, PAUL);
    let dossiers = paul["file"]["dossiers"].as_array().expect("dossiers");
    assert_eq!(dossiers.len(), 2);
    let new = &dossiers[0];
    assert_eq!(new["phase"], "amicable");
    assert_eq!(new["open_reason"], "first_unpaid");
    assert_eq!(new["opened_on"], "2026-11-22");
    assert_eq!(new["causes"], serde_json::json!(["unknown"]));
    assert_eq!(new["referents"]["cesf"], CESF);
    assert_eq!(new["referents"]["amicable"], AMICABLE);
    assert_eq!(new["referents"]["litigation"], LITIGATION);
    assert_eq!(paul["assessment"]["first_unpaid_rent"], "2026-11-01");
    let note = &paul["file"]["events"][0];
    assert_eq!(note["detail"]["kind"], "note");
    assert_eq!(note["author"], MANAGER);
    assert!(
        note["text"]
            .as_str()
            .is_some_and(|t| t.contains("loyer du 01/11/2026 impayé, dette de 350,00 €")),
        "{note}"
    );
    // The next import opens nothing more.
    let run = import(
        &s,
        "erp_agence.csv",
        &["--mapping", mapping.to_str().expect("path")],
    );
    ok(&run);
    assert_eq!(count(&run, "Dossiers ouverts"), 0);
}

#[test]
fn show_gives_the_caf_threshold_and_the_prescription_dates() {
    let s = Sandbox::new();
    // Élodie (rent 500, APL 150: net 350, threshold 700): balances on the 1st, 5th and
    // 10th of each month: … 08/2026 1 300, 1 150, 650; 09/2026 1 150, 1 000, 700; then
    // 1 200, 1 050, 884,56; 1 384,56, 1 234,56: at least 700 since 01/09/2026; two months
    // later is Sunday 01/11/2026, All Saints' Day, so the report is due Monday 02/11/2026
    // (the deadline engine's date too), late on 22/11; no caf_report event in her timeline.
    let elodie = show_json(&s, ELODIE);
    let caf = &elodie["assessment"]["caf"];
    assert_eq!(caf["regime"], "two_months_of_rent");
    assert_eq!(caf["reached_on"], "2026-09-01");
    assert_eq!(caf["report_by"], "2026-11-02");
    assert_eq!(caf["late"], true);
    assert_eq!(elodie["assessment"]["debt_since"], "2026-03-01");
    assert_eq!(
        elodie["assessment"]["flags"],
        serde_json::json!(["caf_report"])
    );
    let text = s.run(&["show", ELODIE]).stdout;
    assert!(
        text.contains(
            "atteint le 01/09/2026, à signaler au plus tard le 02/11/2026 (délai dépassé)"
        ),
        "{text}"
    );
    assert!(text.contains("Règle : Échéance honorée quand"), "{text}");
    // Her plan: 2 honoured, 3 missed, 1 to come (see tests/common): broken.
    assert_eq!(
        elodie["plan_follow_ups"][0]["follow_up"]["status"],
        "broken"
    );

    // Gaël, departed: 300 left of 09/2025 → 01/09/2028; fees of 15/10/2026 → 15/10/2029.
    let gael = show_json(&s, GAEL);
    let dates = gael["assessment"]["prescriptions"]
        .as_array()
        .expect("dates");
    assert_eq!(dates.len(), 8);
    assert_eq!(dates[0]["charged_on"], "2025-09-01");
    assert_eq!(dates[0]["remaining"], "300.00");
    assert_eq!(dates[0]["prescribed_on"], "2028-09-01");
    assert_eq!(dates[7]["prescribed_on"], "2029-10-15");
    assert_eq!(gael["assessment"]["caf"], Value::Null);
    let text = s.run(&["show", GAEL]).stdout;
    assert!(text.contains("Prescription des impayés"), "{text}");
    assert!(text.contains("prescrit le 01/09/2028"), "{text}");
}

#[test]
fn unknown_accounts_are_refused_listed_or_created() {
    let s = Sandbox::new();
    let before = s.state();
    let run = import(&s, "erp_inconnu.csv", &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "erp_inconnu.csv:3:1 : compte « 411-999999 » inconnu de la base (1 compte(s) inconnu(s) : 411-999999)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--create-households"), "{}", run.stderr);
    assert_eq!(s.state(), before);

    let run = import(&s, "erp_inconnu.csv", &["--list-unknown"]);
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), 1);
    assert!(
        run.stdout.contains("411-999999 : 2 ligne(s)"),
        "{}",
        run.stdout
    );

    let run = import(&s, "erp_inconnu.csv", &["--create-households"]);
    ok(&run);
    assert_eq!(count(&run, "Ménages créés"), 1);
    assert_eq!(count(&run, "Écritures ajoutées"), 2);
    assert_eq!(count(&run, "Doublons ignorés"), 1);
    assert_eq!(
        s.one::<String>("SELECT holder FROM households WHERE account = '411-999999'"),
        "411-999999"
    );
    // Foreign keys are not checked during the import's transaction: the entries of the new
    // household and the detection's writes still reference existing rows.
    assert_eq!(
        s.one::<i64>("SELECT COUNT(*) FROM pragma_foreign_key_check"),
        0
    );

    let run = import(
        &s,
        "erp_inconnu.csv",
        &["--create-households", "--list-unknown"],
    );
    assert_eq!(run.code, 2);
}

#[test]
fn dry_run_tells_what_would_change_and_writes_nothing() {
    let s = Sandbox::new();
    let before = s.state();
    let file = s.copy_fixture("erp_casse.csv");
    let run = import_file(&s, &file, &["--dry-run", "--skip-invalid"]);
    ok(&run);
    assert!(
        run.stdout.contains("SIMULATION : rien n'a été enregistré"),
        "{}",
        run.stdout
    );
    // Nothing is committed, so the times name no commit.
    let times = times(&run);
    assert!(!times.contains("enregistrement"), "{times}");
    assert_eq!(count(&run, "Écritures ajoutées"), 3);
    assert!(
        run.stdout
            .contains("ligne 4 : colonne 2 : date « 31/02/2026 »"),
        "{}",
        run.stdout
    );
    assert!(!s.path("erp_casse.rejets.csv").exists());
    assert_eq!(s.state(), before);
}

#[test]
fn mapping_errors_give_the_file_line_and_column() {
    let s = Sandbox::new();
    let bad = s.path("mauvais.toml");
    std::fs::write(
        &bad,
        "[columns]\ncompte = \"N°\"\n[natures]\nQUIT = \"bonbon\"\n",
    )
    .expect("write");
    let run = import(
        &s,
        "erp_agence.csv",
        &["--mapping", bad.to_str().expect("p")],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nature « bonbon »"), "{}", run.stderr);
    std::fs::write(&bad, "[columns]\ncompte = \n").expect("write");
    let run = import(
        &s,
        "erp_agence.csv",
        &["--mapping", bad.to_str().expect("p")],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("mauvais.toml:2:"), "{}", run.stderr);
    // Without the mapping, the other header is explained.
    let run = import(&s, "erp_agence.csv", &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("erp_agence.csv:1 : colonne(s) compte, date, nature absente(s)"),
        "{}",
        run.stderr
    );
}
