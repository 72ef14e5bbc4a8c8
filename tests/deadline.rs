//! Integration tests of `impayes deadline` and `impayes calendar holidays`: the real binary,
//! French output, ISO dates in JSON, and French errors with exit codes for bad inputs.

use serde_json::Value;

use common::{Run, binary, run};

fn impayes(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    run(binary(&home, dir.path()).args(args))
}

#[test]
fn payment_order_new_lease_in_text() {
    let r = impayes(&[
        "deadline",
        "payment-order",
        "--from",
        "2026-03-02",
        "--lease-date",
        "2024-01-15",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Expire le : lundi 13/04/2026"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("mardi 14/04/2026"), "{}", r.stdout);
    assert!(r.stdout.contains("À VÉRIFIER"), "{}", r.stdout);
}

#[test]
fn payment_order_old_lease_in_json() {
    let r = impayes(&[
        "deadline",
        "payment-order",
        "--from",
        "02/03/2026",
        "--lease-date",
        "2015-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    // 02/05/2026 is a Saturday → Monday 04/05/2026.
    assert_eq!(v["expires"], "2026-05-04");
    assert_eq!(v["next_step_from"], "2026-05-05");
    assert!(v["explanation"].as_str().unwrap_or("").contains("samedi"));
}

#[test]
fn good_friday_only_in_alsace_moselle() {
    let ain = impayes(&[
        "deadline",
        "appeal-merits",
        "--from",
        "2026-03-03",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&ain.stdout).expect("json");
    assert_eq!(v["expires"], "2026-04-03");
    let am = impayes(&[
        "deadline",
        "appeal-merits",
        "--from",
        "2026-03-03",
        "--zone",
        "alsace-moselle",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&am.stdout).expect("json");
    assert_eq!(v["expires"], "2026-04-07");
    // The accented spelling of the référé step is accepted.
    let r = impayes(&["deadline", "appeal-referé", "--from", "2026-03-03"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn eviction_pushed_after_winter_truce() {
    let r = impayes(&[
        "deadline",
        "eviction-order",
        "--from",
        "2026-09-30",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["expires"], "2026-11-30");
    assert_eq!(v["next_step_from"], "2027-04-01");
}

#[test]
fn bad_step_and_bad_date_are_french_errors() {
    let r = impayes(&["deadline", "expulsion-demain", "--from", "2026-03-02"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("étape inconnue"), "{}", r.stderr);
    assert!(r.stderr.contains("payment-order"), "{}", r.stderr);
    let r = impayes(&["deadline", "ccapex", "--from", "2026-02-30"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("n'est pas une date valide"),
        "{}",
        r.stderr
    );
    let r = impayes(&["deadline", "payment-order", "--from", "2026-03-02"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--lease-date"), "{}", r.stderr);
}

#[test]
fn holidays_csv_and_json() {
    let r = impayes(&[
        "calendar",
        "holidays",
        "--year",
        "2027",
        "--zone",
        "alsace-moselle",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("date;jour;nom\n"));
    assert!(r.stdout.contains("2027-03-26;vendredi;Vendredi saint"));
    assert!(r.stdout.contains("2027-12-26;dimanche;Saint-Étienne"));
    assert_eq!(r.stdout.lines().count(), 14);
    let r = impayes(&["calendar", "holidays", "--year", "2027", "--format", "json"]);
    let v: Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(v["holidays"].as_array().map(|a| a.len()), Some(11));
    assert_eq!(v["holidays"][1]["date"], "2027-03-29");
    let r = impayes(&["calendar", "holidays", "--year", "deux-mille"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("impayes :"), "{}", r.stderr);
}

#[test]
fn malformed_user_rules_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    let conf = home.join(".config/impayes");
    std::fs::create_dir_all(&conf).expect("conf");
    std::fs::write(
        conf.join("rules.toml"),
        "[winter_truce]\nstart = \"11-01\"\nend = 3\n",
    )
    .expect("write");
    let out = run(binary(&home, dir.path()).args(["deadline", "ccapex", "--from", "2026-03-02"]));
    let stderr = out.stderr;
    assert_eq!(out.code, 1, "{stderr}");
    assert!(stderr.contains("ligne 3"), "{stderr}");
}

mod common;

#[test]
fn show_lists_the_legal_deadlines_of_the_open_dossier() {
    use impayes::domain::event::EventDetail;
    use impayes::store::{Stamp, Store, insert_event};
    use rust_decimal::Decimal;

    let fx = common::fixture_db();
    {
        let store = Store::open(&fx.path).expect("open");
        let on = common::d(2026, 10, 1);
        insert_event(
            store.conn(),
            fx.ids.elodie_dossier,
            common::d(2026, 9, 14),
            &EventDetail::PaymentOrder {
                debt: Decimal::new(1000, 0),
                cost: None,
            },
            "",
            &Stamp::on(common::LITIGATION, on),
        )
        .expect("payment order");
        insert_event(
            store.conn(),
            fx.ids.elodie_dossier,
            on,
            &EventDetail::EvictionOrder,
            "",
            &Stamp::on(common::LITIGATION, on),
        )
        .expect("eviction order");
    }
    let home = fx.dir.path().join("home");
    std::fs::create_dir_all(&home).expect("home");
    let out = run(binary(&home, fx.dir.path())
        .arg("--db")
        .arg(&fx.path)
        .args(["--today", common::TODAY, "--user", common::LITIGATION])
        .args(["show", common::ELODIE]));
    let stdout = out.stdout;
    assert_eq!(out.code, 0, "{stdout}");
    assert!(
        stdout.contains("Délais légaux (dossier ouvert) :"),
        "{stdout}"
    );
    // Eviction order 01/10/2026 + 2 months = Tuesday 01/12/2026 → 02/12, in the trêve.
    assert!(
        stdout.contains("expulsion (reprise des lieux) possible à partir du 01/04/2027"),
        "{stdout}"
    );
    assert!(stdout.contains("trêve hivernale"), "{stdout}");
    // Lease renewed 01/04/2024: 6 weeks. 14/09/2026 + 42 days = Monday 26/10/2026.
    assert!(
        stdout.contains("possible à partir du 27/10/2026 [échu, à vérifier]"),
        "{stdout}"
    );
}
