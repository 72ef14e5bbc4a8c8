//! Letters in batches on the hand-computed fixture: the batch of the day, PDF files read back
//! as text (amounts, accents), the timeline events, the dry run, and a payment arriving between
//! the selection and the generation.

mod common;

use std::path::Path;
use std::process::Command;

use common::{AMICABLE, ELODIE, GAEL, TODAY, d, fixture_db, today};
use impayes::config::Config;
use impayes::domain::event::{EventDetail, ReminderLevel};
use impayes::domain::ledger::{Entry, EntryKind};
use impayes::domain::letters::LetterKind;
use impayes::domain::plan::PlanStatus;
use impayes::letters::batch::{self, Format, Output, Setup};
use impayes::store::{self, Stamp, Store};
use rust_decimal_macros::dec;

/// The fixture with Élodie's plan recorded broken on 15/11/2026 (three instalments missed):
/// the shipped campaign then sends her a mise en demeure, and Gaël (departed, 4 020 € owed, no
/// letter yet) the letter to departed tenants. Zoé (prevention) and Paul (closed) get nothing.
fn setup() -> (common::FixtureDb, Store, Setup) {
    let db = fixture_db();
    let mut store = Store::open(&db.path).expect("open");
    let plan = db.ids.elodie_plan;
    store
        .write(|c| store::set_plan_status(c, plan, PlanStatus::Broken, d(2026, 11, 15)))
        .expect("plan broken");
    let empty = db.dir.path().join("no-config");
    let setup = Setup::load_from(&empty, &Config::default()).expect("shipped letters");
    (db, store, setup)
}

fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF-"), "{}", path.display());
    pdf_extract::extract_text_from_mem(&bytes).expect("the PDF reads back")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn batch_of_the_day_chooses_by_the_rules() {
    let (_db, store, setup) = setup();
    let b = batch::plan(&store, &setup, today(), &[]).expect("plan");
    let got: Vec<(LetterKind, &str)> = b
        .letters
        .iter()
        .map(|s| (s.letter, s.account.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (LetterKind::MiseEnDemeure, ELODIE),
            (LetterKind::LocataireParti, GAEL)
        ]
    );
    assert!(
        b.letters[0]
            .reason
            .contains("plan d'apurement rompu le 15/11/2026"),
        "{}",
        b.letters[0].reason
    );
    assert_eq!(b.letters[0].debt, dec!(1234.56));
    let only = batch::plan(&store, &setup, today(), &[LetterKind::Relance1]).expect("plan");
    assert!(only.letters.is_empty());
}

#[test]
fn pdfs_read_back_in_french_and_timelines_show_the_letters() {
    let (db, mut store, setup) = setup();
    let selection = batch::plan(&store, &setup, today(), &[])
        .expect("plan")
        .letters;
    let out_dir = db.dir.path().join("courriers");
    let out = batch::generate(
        &mut store,
        &setup,
        &selection,
        today(),
        AMICABLE,
        &Output {
            dir: &out_dir,
            format: Format::Pdf,
            dry_run: false,
        },
    )
    .expect("generate");
    assert_eq!(out.files.len(), 2);
    assert_eq!(out.recorded, 2);
    assert!(out.dropped.is_empty());

    let elodie = squash(&pdf_text(&out.files[0].path));
    for expected in [
        "Élodie Béranger",
        "411-004217",
        "22 novembre 2026",
        "Objet : mise en demeure de payer",
        "plan d'apurement de 900,00 €",
        "solde débiteur de 1 234,56 €, soit 3,5 mois de loyer et charges",
        "dans un délai de huit jours",
        "Antoine Martin",
        "Référence : L-20261122-0001",
    ] {
        assert!(
            elodie.contains(expected),
            "« {expected} » missing from:\n{elodie}"
        );
    }
    let gael = squash(&pdf_text(&out.files[1].path));
    for expected in [
        "Gaël Kœnig",
        "5 impasse des Vosges",
        "67000 Strasbourg",
        "il reste dû à ce jour la somme de 4 020,00 €",
        "Objet : solde de votre compte locataire",
    ] {
        assert!(
            gael.contains(expected),
            "« {expected} » missing from:\n{gael}"
        );
    }
    // The combined file holds both letters, each on its own page.
    let combined = out.combined.as_ref().expect("combined file");
    let all = squash(&pdf_text(combined));
    assert!(all.contains("1 234,56 €") && all.contains("4 020,00 €"));

    // The timelines show the letters, dated today, by the user who generated them.
    let events = store::events_of_household(store.conn(), db.ids.elodie).expect("events");
    let e = &events[0];
    assert_eq!(e.date, today());
    assert_eq!(e.author, AMICABLE);
    assert_eq!(
        e.detail,
        EventDetail::Reminder {
            channel: impayes::domain::event::Channel::Letter,
            level: ReminderLevel::FormalNotice
        }
    );
    assert!(e.text.contains("Mise en demeure") && e.text.contains("lot du 22/11/2026"));
    let gael_events = store::events_of_household(store.conn(), db.ids.gael).expect("events");
    assert!(matches!(
        gael_events[0].detail,
        EventDetail::Reminder {
            level: ReminderLevel::Level1,
            ..
        }
    ));
    // Recorded letters are not chosen again the same day.
    let again = batch::plan(&store, &setup, today(), &[]).expect("plan");
    assert!(again.letters.is_empty(), "{:?}", again.letters);
}

#[test]
fn dry_run_writes_files_and_records_nothing() {
    let (db, mut store, setup) = setup();
    let selection = batch::plan(&store, &setup, today(), &[])
        .expect("plan")
        .letters;
    let before = store::events_of_household(store.conn(), db.ids.elodie)
        .expect("events")
        .len();
    let out_dir = db.dir.path().join("essai");
    for format in [Format::Pdf, Format::Html, Format::Txt] {
        let out = batch::generate(
            &mut store,
            &setup,
            &selection,
            today(),
            AMICABLE,
            &Output {
                dir: &out_dir,
                format,
                dry_run: true,
            },
        )
        .expect("dry run");
        assert_eq!(out.files.len(), 2);
        assert_eq!(out.recorded, 0);
        assert!(out.files.iter().all(|f| f.path.exists()));
    }
    let txt = std::fs::read_to_string(out_dir.join("lot_2026-11-22.txt")).expect("txt");
    assert!(txt.contains("Élodie Béranger") && txt.contains('\u{c}'));
    let html = std::fs::read_to_string(out_dir.join("lot_2026-11-22.html")).expect("html");
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Gaël Kœnig"));
    let after = store::events_of_household(store.conn(), db.ids.elodie)
        .expect("events")
        .len();
    assert_eq!(before, after);
    assert_eq!(
        batch::plan(&store, &setup, today(), &[])
            .expect("plan")
            .letters
            .len(),
        2
    );
}

#[test]
fn a_payment_after_the_selection_drops_the_letter() {
    let (db, mut store, setup) = setup();
    let selection = batch::plan(&store, &setup, today(), &[])
        .expect("plan")
        .letters;
    assert_eq!(selection.len(), 2);
    // Gaël pays 50 € while the officer reviews the batch.
    let gael = db.ids.gael;
    store
        .write(|c| {
            store::insert_entry(
                c,
                gael,
                &Entry {
                    id: 0,
                    date: today(),
                    kind: EntryKind::Payment,
                    amount: dec!(-50),
                    label: "Virement".into(),
                    reference: Some("VIR-TEST".into()),
                },
                &Stamp::on("import", today()),
            )
        })
        .expect("payment");
    let out = batch::generate(
        &mut store,
        &setup,
        &selection,
        today(),
        AMICABLE,
        &Output {
            dir: &db.dir.path().join("lot"),
            format: Format::Txt,
            dry_run: false,
        },
    )
    .expect("generate");
    assert_eq!(out.files.len(), 1);
    assert_eq!(out.files[0].account, ELODIE);
    assert_eq!(out.dropped.len(), 1);
    assert_eq!(out.dropped[0].0.account, GAEL);
    assert_eq!(
        out.dropped[0].1,
        "versement reçu depuis la sélection (dette 4 020,00 € → 3 970,00 €)"
    );
    assert_eq!(out.recorded, 1);
    let gael_events = store::events_of_household(store.conn(), gael).expect("events");
    assert!(
        !gael_events
            .iter()
            .any(|e| matches!(e.detail, EventDetail::Reminder { .. }))
    );
}

#[test]
fn command_line_plan_generate_and_messages() {
    let (db, store, _setup) = setup();
    drop(store);
    let home = db.dir.path().join("home");
    let cmd = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_impayes"))
            .env_remove("IMPAYES_DB")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .arg("--db")
            .arg(&db.path)
            .args(["--today", TODAY, "--user", AMICABLE])
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.code().expect("exit code"),
            String::from_utf8(out.stdout).expect("utf-8"),
            String::from_utf8(out.stderr).expect("utf-8"),
        )
    };
    let (code, out, _) = cmd(&["letters", "plan"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Lot du 22/11/2026 : 2 courrier(s), dette totale 5 254,56 €"),
        "{out}"
    );
    assert!(out.contains("Mise en demeure") && out.contains("Courrier au locataire parti"));
    let (code, json, _) = cmd(&["letters", "plan", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["letters"][0]["letter"], "mise_en_demeure");
    assert_eq!(v["letters"][0]["debt"], "1234.56");

    // An account not in the batch is refused and nothing is written.
    let dir = db.dir.path().join("cli");
    let dir_s = dir.to_str().expect("utf-8 path");
    let (code, _, err) = cmd(&[
        "letters",
        "generate",
        "--output",
        dir_s,
        "--exclude",
        "411-999999",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("411-999999") && err.contains("pas dans le lot"),
        "{err}"
    );
    assert!(!dir.exists());

    let (code, out, _) = cmd(&[
        "letters",
        "generate",
        "--output",
        dir_s,
        "--exclude",
        GAEL,
        "--dry-run",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 courrier(s) écrit(s)") && out.contains("aucune relance enregistrée"));

    // A user's template naming an unknown field is refused at load, with its file and line.
    let tdir = home.join(".config/impayes/letters");
    std::fs::create_dir_all(&tdir).expect("letters dir");
    std::fs::write(
        tdir.join("relance_2.txt"),
        "{% include \"entete.txt\" %}\nVous devez {{ montant }}.\n",
    )
    .expect("template");
    let (code, _, err) = cmd(&["letters", "plan"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("relance_2.txt") && err.contains("ligne 2") && err.contains("montant"),
        "{err}"
    );
    std::fs::remove_file(tdir.join("relance_2.txt")).expect("remove");

    let csv_path = db.dir.path().join("messages.csv");
    let (code, out, _) = cmd(&[
        "letters",
        "export-messages",
        "--output",
        csv_path.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{out}");
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    assert!(csv.starts_with("destinataire;texte\n"), "{csv}");
    assert!(csv.contains("1 234,56 €"), "{csv}");
}
