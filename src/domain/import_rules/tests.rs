//! Unit tests of `import_rules`, with hand-computed cases.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
}

#[test]
fn amounts_in_every_french_and_english_way() {
    assert_eq!(parse_cents("1234,56"), Some(123_456));
    assert_eq!(parse_cents("1 234,56"), Some(123_456));
    assert_eq!(parse_cents("1\u{a0}234,56 €"), Some(123_456));
    assert_eq!(parse_cents("1\u{202f}234,5"), Some(123_450));
    assert_eq!(parse_cents("1.234,56"), Some(123_456));
    assert_eq!(parse_cents("1,234.56"), Some(123_456));
    assert_eq!(parse_cents("1234.56"), Some(123_456));
    assert_eq!(parse_cents("-380,00"), Some(-38_000));
    assert_eq!(parse_cents("380,00-"), Some(-38_000));
    assert_eq!(parse_cents("(45,00)"), Some(-4_500));
    assert_eq!(parse_cents("+12"), Some(1_200));
    assert_eq!(parse_cents("0,5"), Some(50));
    assert_eq!(parse_cents("1.234.567"), Some(123_456_700));
    assert_eq!(parse_cents("1 234 567,8"), Some(123_456_780));
    assert_eq!(parse_cents(",5"), Some(50));
    assert_eq!(parse_cents("1.234"), None);
    assert_eq!(parse_cents("12,345"), None);
    assert_eq!(parse_cents("1,23.4"), None);
    assert_eq!(parse_cents("12,3,4"), None);
    assert_eq!(parse_cents("abc"), None);
    assert_eq!(parse_cents(""), None);
    assert_eq!(parse_cents("-"), None);
    assert_eq!(parse_cents("12a"), None);
}

#[test]
fn dates_french_iso_and_fec() {
    assert_eq!(parse_file_date("05/11/2026"), Some(d(2026, 11, 5)));
    assert_eq!(parse_file_date("5/11/2026"), Some(d(2026, 11, 5)));
    assert_eq!(parse_file_date("05-11-2026"), Some(d(2026, 11, 5)));
    assert_eq!(parse_file_date("2026-11-05"), Some(d(2026, 11, 5)));
    assert_eq!(parse_file_date("20261105"), Some(d(2026, 11, 5)));
    assert_eq!(parse_file_date("2026-11-05T00:00:00"), Some(d(2026, 11, 5)));
    assert_eq!(parse_file_date("05/11/2026 08:30"), Some(d(2026, 11, 5)));
    assert_eq!(parse_file_date("31/02/2026"), None);
    assert_eq!(parse_file_date("2026/13/01"), None);
    assert_eq!(parse_file_date("hier"), None);
    let mut buf = [0u8; 10];
    assert_eq!(iso_date(d(2026, 3, 9), &mut buf), "2026-03-09");
    assert_eq!(parse_iso_date("2026-03-09"), Some(d(2026, 3, 9)));
    assert_eq!(parse_iso_date("2026-02-30"), None);
    assert_eq!(parse_iso_date("09/03/2026"), None);
}

#[test]
fn separator_is_the_most_frequent_outside_quotes() {
    assert_eq!(detect_separator(b"compte;date;nature;montant"), b';');
    assert_eq!(detect_separator(b"compte,date,nature,montant"), b',');
    assert_eq!(
        detect_separator(b"JournalCode\tJournalLib\tEcritureNum"),
        b'\t'
    );
    assert_eq!(
        detect_separator(b"JournalCode|JournalLib|EcritureNum"),
        b'|'
    );
    assert_eq!(detect_separator(b"\"a,b,c\";\"d,e\";f"), b';');
    assert_eq!(detect_separator(b"compte"), b';');
}

#[test]
fn header_by_default_names_or_mapping() {
    let header: Vec<String> = [
        "Compte",
        "Date",
        "Nature",
        "Montant",
        "Libellé",
        "Référence",
    ]
    .map(String::from)
    .to_vec();
    let l = resolve_header(&header, &Mapping::default()).expect("layout");
    assert_eq!(l.get(Field::Label), Some(4));
    assert_eq!(l.get(Field::Reference), Some(5));
    let header: Vec<String> = ["N° locataire", "Date op", "Code", "Débit", "Crédit"]
        .map(String::from)
        .to_vec();
    let mapping: Mapping = toml::from_str(
        "[columns]\ncompte = \"N° locataire\"\ndate = \"Date op\"\nnature = \"Code\"\n",
    )
    .expect("mapping");
    let l = resolve_header(&header, &mapping).expect("layout");
    assert_eq!(l.get(Field::Account), Some(0));
    assert_eq!(l.get(Field::Debit), Some(3));
    assert_eq!(l.get(Field::Credit), Some(4));
    let err = resolve_header(&header, &Mapping::default()).expect_err("no mapping");
    assert!(err.contains("compte"), "{err}");
}

#[test]
fn natures_default_and_mapped() {
    let mapping: Mapping =
        toml::from_str("[natures]\n\"QUIT\" = \"loyer\"\n\"VIR CAF\" = \"apl\"\n")
            .expect("mapping");
    mapping.validate().expect("valid");
    let t = NatureTable::new(&mapping);
    assert_eq!(t.get("loyer"), Some(EntryKind::RentCall));
    assert_eq!(t.get("Non-valeur"), Some(EntryKind::WriteOff));
    assert_eq!(t.get("non_valeur"), Some(EntryKind::WriteOff));
    assert_eq!(t.get("Régularisation"), Some(EntryKind::Regularisation));
    assert_eq!(t.get("quit"), Some(EntryKind::RentCall));
    assert_eq!(t.get("vir caf"), Some(EntryKind::HousingBenefit));
    assert_eq!(t.get("bonbon"), None);
    let bad: Mapping = toml::from_str("[natures]\nX = \"bonbon\"\n").expect("mapping");
    assert!(bad.validate().is_err());
}

#[test]
fn decoder_detects_on_the_first_non_ascii_field() {
    let mut dec = FieldDecoder::new(None);
    assert_eq!(dec.decode(b"abc").expect("ascii"), "abc");
    assert_eq!(dec.encoding(), None);
    assert_eq!(dec.decode(b"B\xe9ranger").expect("1252"), "Béranger");
    assert_eq!(dec.encoding(), Some(TextEncoding::Windows1252));
    let mut dec = FieldDecoder::new(None);
    assert_eq!(dec.decode("Béranger".as_bytes()).expect("utf8"), "Béranger");
    assert!(dec.decode(b"B\xe9ranger").is_err());
    assert_eq!(
        encode("Libellé", Some(TextEncoding::Windows1252)).as_ref(),
        b"Libell\xe9"
    );
}

fn line(label: &str, cents: i64, reference: Option<&str>) -> SourceLine<'static> {
    SourceLine {
        account: Cow::Owned("411-1".into()),
        date: d(2026, 11, 5),
        kind: EntryKind::Payment,
        cents,
        label: Cow::Owned(label.into()),
        reference: reference.map(|r| Cow::Owned(r.into())),
        name: None,
    }
}

#[test]
fn references_are_the_source_one_or_a_stable_content_digest_then_ranked() {
    let first = line("Virement", -10_000, None);
    let (a, content) = reference_base(&first);
    assert!(content);
    assert!(a.starts_with("h:") && a.len() == 26, "{a}");
    // The same content gives the same base on every run; another amount, another base.
    assert_eq!(reference_base(&line("Virement", -10_000, None)).0, a);
    assert_ne!(reference_base(&line("Virement", -10_001, None)).0, a);
    // Labels are part of the content; surrounding spaces are not.
    assert_eq!(reference_base(&line(" Virement ", -10_000, None)).0, a);
    assert_ne!(reference_base(&line("Chèque", -10_000, None)).0, a);
    assert_eq!(ranked_reference(&a, true, 1), format!("{a}:1"));
    assert_eq!(ranked_reference(&a, true, 2), format!("{a}:2"));
    let l = line("Loyer", 40_000, Some(" Q-12 "));
    let (r, content) = reference_base(&l);
    assert_eq!((r.as_ref(), content), ("Q-12", false));
    assert_eq!(ranked_reference("Q-12", false, 1), "Q-12");
    assert_eq!(ranked_reference("Q-12", false, 2), "Q-12:2");
}

#[test]
fn fec_natures_by_label_then_journal_then_sign() {
    let rules = FecRules::new(&Mapping::default());
    assert!(rules.is_tenant_account("41100042"));
    assert!(!rules.is_tenant_account("512000"));
    assert_eq!(
        rules.kind("BQ", "Virement CAF APL novembre", -15_000),
        EntryKind::HousingBenefit
    );
    assert_eq!(
        rules.kind("BQ", "Virement Dupont", -15_000),
        EntryKind::Payment
    );
    assert_eq!(
        rules.kind("VT", "Quittancement 11/2026", 50_000),
        EntryKind::RentCall
    );
    assert_eq!(
        rules.kind("OD", "Frais d'huissier", 12_000),
        EntryKind::Fees
    );
    assert_eq!(rules.kind("OD", "Divers", 12_000), EntryKind::RentCall);
    assert_eq!(rules.kind("OD", "Divers", -12_000), EntryKind::Payment);
    let mapping: Mapping = toml::from_str(
        "[fec]\ntenant_accounts = [\"4111\"]\n[fec.journals]\nOD = \"frais\"\n[fec.labels]\n\"bonus\" = \"avoir\"\n",
    )
    .expect("mapping");
    let rules = FecRules::new(&mapping);
    assert!(!rules.is_tenant_account("4110001"));
    assert_eq!(rules.kind("OD", "Divers", 12_000), EntryKind::Fees);
    assert_eq!(
        rules.kind("BQ", "Bonus fidélité", -1_000),
        EntryKind::CreditNote
    );
}

#[test]
fn csv_amounts_are_written_plainly() {
    assert_eq!(format_cents_csv(-123_456), "-1234,56");
    assert_eq!(format_cents_csv(5), "0,05");
    assert_eq!(parse_cents(&format_cents_csv(-123_456)), Some(-123_456));
}
