//! `impayes import accounts` and `impayes export accounts` on real database files: the CSV
//! variants ERPs write (separators, decimal comma, Windows-1252, BOM, quoted fields, debit and
//! credit columns), the FEC, broken lines, rejects, idempotence and the round trip. Files are
//! under `tests/fixtures/`, written by hand; every expected figure is worked out in the comments
//! from `tests/common`. What follows an import (detection, unknown accounts, dry run, mapping
//! errors) is in `import_after.rs`.

mod common;
mod import_common;

use common::*;
use import_common::*;

#[test]
fn semicolons_decimal_comma_quoted_separators_and_identical_payments() {
    let s = Sandbox::new();
    let run = import(&s, "erp_point_virgule.csv", &[]);
    ok(&run);
    assert!(
        run.stdout.contains("séparateur « ; », UTF-8"),
        "{}",
        run.stdout
    );
    assert_eq!(count(&run, "Lignes lues"), 6);
    assert_eq!(count(&run, "Écritures ajoutées"), 6);
    assert_eq!(count(&run, "Doublons ignorés"), 0);
    // A stored import's rate counts its commit, shown apart.
    let times = times(&run);
    assert!(
        times.contains(" s, enregistrement ") && times.contains(" s, détection "),
        "{times}"
    );
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("Débit : ") && l.ends_with(" lignes/s, enregistrement compris")),
        "{}",
        run.stdout
    );
    // Élodie 1 234,56 + 12,50 − 50 − 50 = 1 147,06; Zoé 360 − 100 + 1 020,40 = 1 280,40;
    // Gaël 4 020 − 20 = 4 000.
    assert_eq!(s.balance(ELODIE), 114_706);
    assert_eq!(s.balance(ZOE), 128_040);
    assert_eq!(s.balance(GAEL), 400_000);
    assert_eq!(
        s.one::<String>("SELECT label FROM entries WHERE reference = 'FR-2026-11'"),
        "Frais de relance; lettre simple"
    );
    // The two identical payments of 20/11 are two entries, ranked 1 and 2.
    let refs: Vec<String> = {
        let c = s.conn();
        let mut stmt = c
            .prepare(
                "SELECT reference FROM entries WHERE label = 'Virement; Mme Béranger'
                 ORDER BY reference",
            )
            .expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .map(|r| r.expect("row"))
            .collect()
    };
    assert_eq!(refs.len(), 2);
    assert!(
        refs[0].starts_with("h:") && refs[0].ends_with(":1"),
        "{refs:?}"
    );
    assert_eq!(refs[0][..26], refs[1][..26]);
    assert!(refs[1].ends_with(":2"));
    assert_eq!(
        s.one::<String>("SELECT kind FROM entries WHERE reference = 'FSL-778'"),
        "aid"
    );

    // Importing the same file again adds nothing.
    let before = s.state();
    let again = import(&s, "erp_point_virgule.csv", &[]);
    ok(&again);
    assert_eq!(count(&again, "Écritures ajoutées"), 0);
    assert_eq!(count(&again, "Doublons ignorés"), 6);
    let after = s.state();
    assert_eq!(before[..6], after[..6], "only the import log grows");
    assert_eq!(after[6], before[6] + 1);
}

#[test]
fn windows_1252_with_debit_and_credit_columns() {
    let s = Sandbox::new();
    let run = import(&s, "erp_windows1252.csv", &[]);
    ok(&run);
    assert!(run.stdout.contains("Windows-1252"), "{}", run.stdout);
    assert_eq!(count(&run, "Écritures ajoutées"), 2);
    assert_eq!(s.balance(PAUL), 0);
    assert_eq!(
        s.one::<String>("SELECT label || '|' || kind || '|' || amount_cents FROM entries WHERE date = '2026-11-03'"),
        "Chèque n° 1234 réglé|payment|-3500"
    );
    assert_eq!(
        s.one::<String>(
            "SELECT kind || '|' || amount_cents FROM entries WHERE date = '2026-11-02'"
        ),
        "regularisation|3500"
    );
    // Told it is UTF-8, the import stops on the header's first accented name.
    let s = Sandbox::new();
    let before = s.state();
    let run = import(&s, "erp_windows1252.csv", &["--encoding", "utf-8"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("erp_windows1252.csv:1:4 : texte invalide en UTF-8"),
        "{}",
        run.stderr
    );
    assert_eq!(s.state(), before);
}

#[test]
fn utf8_with_bom_commas_decimal_points_and_iso_dates() {
    let s = Sandbox::new();
    let run = import(&s, "erp_bom_virgule.csv", &[]);
    ok(&run);
    assert!(
        run.stdout.contains("séparateur « , », UTF-8 avec BOM"),
        "{}",
        run.stdout
    );
    assert_eq!(count(&run, "Écritures ajoutées"), 2);
    // Zoé: 360 − 80 + 1 250 = 1 530.
    assert_eq!(s.balance(ZOE), 153_000);
    assert_eq!(
        s.one::<String>("SELECT label FROM entries WHERE reference = 'PRL-20261119'"),
        "Prélèvement, échéance 11"
    );
    assert_eq!(
        s.one::<i64>("SELECT amount_cents FROM entries WHERE reference = 'HUI-9'"),
        125_000
    );
}

#[test]
fn a_broken_line_names_file_line_and_column_and_nothing_is_written() {
    let s = Sandbox::new();
    let before = s.state();
    let run = import(&s, "erp_casse.csv", &[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("erp_casse.csv:4:2 : date « 31/02/2026 » illisible"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(s.state(), before);
}

#[test]
fn skip_invalid_imports_the_rest_and_writes_the_rejects() {
    let s = Sandbox::new();
    let file = s.copy_fixture("erp_casse.csv");
    let run = import_file(&s, &file, &["--skip-invalid"]);
    ok(&run);
    assert_eq!(count(&run, "Lignes lues"), 4);
    assert_eq!(count(&run, "Écritures ajoutées"), 3);
    assert_eq!(count(&run, "Lignes rejetées"), 1);
    let rejects = s.path("erp_casse.rejets.csv");
    assert!(
        run.stdout.contains("erp_casse.rejets.csv"),
        "{}",
        run.stdout
    );
    let text = std::fs::read_to_string(&rejects).expect("rejects file");
    assert_eq!(
        text,
        "compte;date;nature;montant;libelle;reference;ligne;erreur\n\
         411-002051;31/02/2026;paiement;-20,00;Versement agence;AG-1;4;\
         colonne 2 : date « 31/02/2026 » illisible (attendu JJ/MM/AAAA ou AAAA-MM-JJ)\n"
    );
    // Gaël 4 020 − 20 (AG-2 only).
    assert_eq!(s.balance(GAEL), 400_000);
    // Once corrected, the rejects file imports (its extra columns are ignored).
    std::fs::write(&rejects, text.replace("31/02/2026", "17/11/2026")).expect("fix");
    let run = s.run(&["import", "accounts", rejects.to_str().expect("path")]);
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), 1);
    assert_eq!(s.balance(GAEL), 398_000);
}

#[test]
fn an_overlapping_newer_export_adds_only_the_new_lines() {
    let s = Sandbox::new();
    let run = import(&s, "export_octobre.csv", &[]);
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), 3);
    // The newer export repeats 28/10 (two identical payments) and 05/11, and adds three
    // identical payments on 12/11.
    let run = import(&s, "export_novembre.csv", &[]);
    ok(&run);
    assert_eq!(count(&run, "Lignes lues"), 6);
    assert_eq!(count(&run, "Écritures ajoutées"), 3);
    assert_eq!(count(&run, "Doublons ignorés"), 3);
    // Zoé: 360 − 10 − 10 + 5 − 3 × 10 = 315.
    assert_eq!(s.balance(ZOE), 31_500);
    assert_eq!(
        s.one::<i64>("SELECT COUNT(*) FROM entries WHERE label = 'Espèces'"),
        5
    );
}

#[test]
fn fec_with_tabs_then_the_same_entries_with_bars_in_windows_1252() {
    let s = Sandbox::new();
    let run = import(
        &s,
        "fec_tabulation.txt",
        &["--format", "fec", "--create-households"],
    );
    ok(&run);
    assert!(
        run.stdout.contains("(FEC, séparateur tabulation"),
        "{}",
        run.stdout
    );
    assert_eq!(count(&run, "Lignes lues"), 8);
    assert_eq!(count(&run, "Lignes hors comptes locataires"), 4);
    assert_eq!(count(&run, "Écritures ajoutées"), 4);
    assert_eq!(count(&run, "Ménages créés"), 1);
    // Élodie: 1 234,56 + 12 (fees, by the label) − 40 (APL, by the label) = 1 206,56.
    assert_eq!(s.balance(ELODIE), 120_656);
    assert_eq!(
        s.one::<String>("SELECT kind FROM entries WHERE reference = 'fec:OD:OD000042'"),
        "fees"
    );
    assert_eq!(
        s.one::<String>("SELECT kind FROM entries WHERE reference = 'fec:BQ:BQ000555'"),
        "housing_benefit"
    );
    // The tenant folded into CompteNum 4110099 is created under that account with its name;
    // 430 called (VT journal) and 400 paid (BQ) leave 30 of November's rent unpaid on 22/11,
    // past its due day: the detection opens a dossier.
    assert_eq!(
        s.one::<String>("SELECT holder || '|' || status FROM households WHERE account = '4110099'"),
        "Dupuis Marcel|present"
    );
    assert_eq!(s.balance("4110099"), 3_000);
    assert_eq!(count(&run, "Dossiers ouverts"), 1);
    assert!(
        run.stdout.contains("4110099 : dossier n°"),
        "{}",
        run.stdout
    );

    let run = import(
        &s,
        "fec_barre.txt",
        &["--format", "fec", "--create-households"],
    );
    ok(&run);
    assert!(
        run.stdout.contains("séparateur « | », Windows-1252"),
        "{}",
        run.stdout
    );
    assert_eq!(count(&run, "Écritures ajoutées"), 0);
    assert_eq!(count(&run, "Doublons ignorés"), 4);
    assert_eq!(count(&run, "Ménages créés"), 0);
    assert_eq!(count(&run, "Dossiers ouverts"), 0);
}

#[test]
fn export_then_import_round_trips() {
    let s = Sandbox::new();
    let first = s.path("export.csv");
    let run = s.run(&[
        "export",
        "accounts",
        "--output",
        first.to_str().expect("path"),
    ]);
    ok(&run);
    let bytes = std::fs::read(&first).expect("export");
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "a BOM for spreadsheets"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.starts_with("compte;date;nature;montant;libelle;reference\n"));
    assert!(
        text.contains(
            "411-004217;10/10/2026;paiement;-165,44;Virement Mme Béranger;VIR-20261010\n"
        ),
        "{text}"
    );
    let entries: usize = s.db.ids.entry_counts.iter().sum();
    assert_eq!(text.lines().count(), entries + 1);

    // Into a copy of the same database: nothing new.
    let copy = s.path("copie.sqlite3");
    std::fs::copy(&s.db.path, &copy).expect("copy");
    let run = s.on(
        &copy,
        &["import", "accounts", first.to_str().expect("path")],
    );
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), 0);
    assert_eq!(count(&run, "Doublons ignorés"), entries as u64);

    // Into an empty database: the same export comes back out, byte for byte.
    let fresh = s.path("vide.sqlite3");
    ok(&s.on(&fresh, &["init"]));
    let run = s.on(
        &fresh,
        &[
            "import",
            "accounts",
            first.to_str().expect("path"),
            "--create-households",
        ],
    );
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), entries as u64);
    assert_eq!(count(&run, "Ménages créés"), 4);
    let second = s.path("export2.csv");
    ok(&s.on(
        &fresh,
        &["export", "accounts", "-o", second.to_str().expect("path")],
    ));
    assert_eq!(
        std::fs::read(&second).expect("second"),
        std::fs::read(&first).expect("first")
    );

    // One account to the standard output, without BOM.
    let run = s.run(&["export", "accounts", "--account", PAUL]);
    ok(&run);
    assert_eq!(
        run.stdout,
        "compte;date;nature;montant;libelle;reference\n\
         411-007712;01/11/2026;loyer;350,00;Loyer et charges 11/2026;Q-411-007712-2026-11\n\
         411-007712;04/11/2026;paiement;-350,00;Virement;VIR-20261104\n"
    );
    let run = s.run(&["export", "accounts", "--account", "411-000000"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("compte « 411-000000 » inconnu"),
        "{}",
        run.stderr
    );
}

#[test]
fn demo_like_entries_without_references_export_and_import_back_as_nothing_new() {
    let s = Sandbox::new();
    {
        let c = s.conn();
        c.execute_batch(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
                recorded_by, recorded_at)
             SELECT id, '2026-11-15', 'payment', -1000, 'Espèces', NULL, 'x', 'x'
             FROM households WHERE account = '411-005380';
             INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
                recorded_by, recorded_at)
             SELECT id, '2026-11-15', 'payment', -1000, 'Espèces', NULL, 'x', 'x'
             FROM households WHERE account = '411-005380';
             UPDATE balances SET cents = cents - 2000
             WHERE household_id = (SELECT id FROM households WHERE account = '411-005380');",
        )
        .expect("entries without reference");
    }
    let file = s.path("zoe.csv");
    ok(&s.run(&[
        "export",
        "accounts",
        "--account",
        ZOE,
        "-o",
        file.to_str().expect("p"),
    ]));
    let text = std::fs::read_to_string(&file).expect("export");
    assert_eq!(
        text.matches("15/11/2026;paiement;-10,00;Espèces;\n")
            .count(),
        2
    );
    let run = s.run(&["import", "accounts", file.to_str().expect("p")]);
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), 0);
    // A third identical payment in a newer file is new.
    std::fs::write(
        &file,
        format!("{text}411-005380;15/11/2026;paiement;-10,00;Espèces;\n"),
    )
    .expect("write");
    let run = s.run(&["import", "accounts", file.to_str().expect("p")]);
    ok(&run);
    assert_eq!(count(&run, "Écritures ajoutées"), 1);
    let run = s.run(&["import", "accounts", file.to_str().expect("p")]);
    assert_eq!(count(&run, "Écritures ajoutées"), 0);
    // Zoé: 360 − 3 × 10 = 330.
    assert_eq!(s.balance(ZOE), 33_000);
}
