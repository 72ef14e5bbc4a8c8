//! Property tests (proptest, a bounded number of cases so that the suite stays quick) for what
//! reads untrusted text: the form parsers (dates, amounts) and the CSV and FEC importers, at
//! the row level and end to end through `impayes import accounts` on arbitrary bytes. Each
//! must answer (a value or a French error naming the column), never panic, and round-trip
//! what the program itself writes.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use rust_decimal::Decimal;

use impayes::domain::dates::{format_fr, parse_date};
use impayes::domain::import_rules::{
    FecRules, FieldDecoder, Mapping, NatureTable, parse_cents, parse_csv_row, parse_fec_row,
    parse_file_date, resolve_fec_header, resolve_header,
};
use impayes::domain::money::{format_amount, from_cents, parse_amount};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

const CSV_HEADER: [&str; 6] = [
    "compte",
    "date",
    "nature",
    "montant",
    "libelle",
    "reference",
];
const FEC_HEADER: &str = "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise";

/// Text that looks like what the parsers meet: digits, separators, signs, letters, and any
/// character at all.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9 ,.\\-/€]{0,16}",
        any::<String>(),
        "[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}",
    ]
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn parse_date_never_panics(s in field_text()) {
        let _ = parse_date(&s);
        let _ = parse_file_date(&s);
    }

    #[test]
    fn a_date_written_is_read_back(days in 0i64..60_000) {
        let d = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date") + Duration::days(days);
        prop_assert_eq!(parse_date(&format_fr(d)), Some(d));
        prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()), Some(d));
    }

    #[test]
    fn parse_amount_never_panics(s in field_text()) {
        let _ = parse_amount(&s);
        let _ = parse_cents(&s);
    }

    #[test]
    fn an_amount_written_is_read_back(cents in -10_000_000_000i64..10_000_000_000) {
        let amount = from_cents(cents);
        let shown = format_amount(amount);
        prop_assert_eq!(parse_amount(&shown), Some(amount), "{}", shown);
        prop_assert_eq!(parse_amount(&format!("{shown} €")), Some(amount));
        prop_assert_eq!(parse_cents(&shown), Some(cents), "{}", shown);
    }

    #[test]
    fn parsed_amounts_are_what_was_typed(units in 0i64..1_000_000, frac in 0u32..100) {
        let typed = format!("{units},{frac:02}");
        prop_assert_eq!(
            parse_amount(&typed),
            Some(Decimal::new(units * 100 + i64::from(frac), 2))
        );
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_csv_row_of_any_bytes_is_read_or_refused_with_its_column(
        fields in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..24), 0..8)
    ) {
        let mapping = Mapping::default();
        let header: Vec<String> = CSV_HEADER.iter().map(|s| s.to_string()).collect();
        let layout = resolve_header(&header, &mapping).expect("layout");
        let natures = NatureTable::new(&mapping);
        let mut decoder = FieldDecoder::new(None);
        match parse_csv_row(|i| fields.get(i).map(Vec::as_slice), &layout, &natures, &mut decoder) {
            Ok(_) => {}
            Err(e) => prop_assert!(e.column >= 1 && e.column <= CSV_HEADER.len().max(fields.len()) + 1, "{:?}", e.column),
        }
    }

    #[test]
    fn a_fec_row_of_any_bytes_is_read_or_refused(
        fields in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..16), 0..20)
    ) {
        let mapping = Mapping::default();
        let header: Vec<String> = FEC_HEADER.split('|').map(str::to_string).collect();
        let layout = resolve_fec_header(&header).expect("fec layout");
        let rules = FecRules::new(&mapping);
        let mut decoder = FieldDecoder::new(None);
        let _ = parse_fec_row(|i| fields.get(i).map(Vec::as_slice), &layout, &rules, &mut decoder);
    }
}

/// Runs the real importer on `body` after a valid header.
fn import_bytes(
    dir: &std::path::Path,
    db: &std::path::Path,
    fec: bool,
    header: &str,
    body: &[u8],
) -> (i32, String) {
    let file = dir.join("fuzz.csv");
    let mut bytes = header.as_bytes().to_vec();
    bytes.push(b'\n');
    bytes.extend_from_slice(body);
    std::fs::write(&file, bytes).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_impayes"))
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".config"))
        .env("XDG_DATA_HOME", dir.join(".local/share"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-22", "import", "accounts"])
        .arg(&file)
        .arg("--create-households")
        .args(["--format", if fec { "fec" } else { "csv" }])
        .output()
        .expect("run import");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

proptest! {
    // Each case runs the binary: few cases.
    #![proptest_config(config(24))]

    #[test]
    fn the_importer_answers_any_file_with_a_result_or_a_french_error(
        lines in proptest::collection::vec(
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..60),
                "411-00[0-9]{4};[0-3][0-9]/[01][0-9]/2026;(loyer|paiement|apl|frais);-?[0-9]{1,4},[0-9]{2};[^\n]{0,10};[A-Z0-9]{0,4}"
                    .prop_map(String::into_bytes),
            ],
            1..12,
        ),
        fec in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("fuzz.sqlite3");
        let init = std::process::Command::new(env!("CARGO_BIN_EXE_impayes"))
            .env("HOME", dir.path())
            .arg("--db").arg(&db).arg("init")
            .output().expect("init");
        prop_assert!(init.status.success());
        let body = lines.join(&b'\n');
        let header = if fec { FEC_HEADER.to_string() } else { CSV_HEADER.join(";") };
        let (code, stderr) = import_bytes(dir.path(), &db, fec, &header, &body);
        prop_assert!(code == 0 || code == 1, "exit {}: {}", code, stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        if code == 1 {
            prop_assert!(stderr.starts_with("impayes : "), "{}", stderr);
        }
        let check = std::process::Command::new(env!("CARGO_BIN_EXE_impayes"))
            .env("HOME", dir.path())
            .arg("--db").arg(&db).arg("check")
            .output().expect("check");
        prop_assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    }
}
