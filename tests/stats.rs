//! The figures (`impayes stats`) on the small hand-built database of `stats_fixture` (every
//! count and amount worked out there by hand): the store's inputs per sector, the JSON and CSV
//! outputs, the xlsx workbook read back with calamine, and the errors.

mod stats_fixture;

use rust_decimal_macros::dec;

use impayes::domain::figures::Period;
use impayes::store::Store;

use stats_fixture::*;

#[test]
fn inputs_per_sector_are_the_hand_computed_ones() {
    let (_dir, path) = fixture();
    let store = Store::open(&path).expect("open");
    let s = impayes::store::stats::sector_stats(store.conn(), Period::year(2025).expect("year"))
        .expect("stats");
    let names: Vec<&str> = s.sectors.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(names, ["NOR", "SUD"]);
    let nor = s.inputs_of(Some(0));
    assert_eq!(nor.households, 2);
    assert_eq!((nor.dossiers_present, nor.dossiers_departed), (2, 0));
    assert_eq!(nor.debt_present, dec!(2000));
    assert_eq!(nor.debt_by_age.lt_3_months, dec!(1500));
    assert_eq!(nor.debt_by_age.from_3_to_12_months, dec!(500));
    // A was amicable on 31/12/2025 even though litigation now.
    assert_eq!(nor.debt_by_phase.amicable, dec!(2000));
    assert_eq!(nor.debt_by_phase.litigation, dec!(0));
    assert_eq!((nor.cesf_follow_ups, nor.cesf_other), (0, 1));
    assert_eq!(
        (nor.home_visits, nor.reminders, nor.plans_signed),
        (1, 3, 1)
    );
    assert_eq!((nor.plans_respected, nor.plans_broken), (0, 0));
    assert_eq!(
        (nor.payment_orders, nor.judgements, nor.lease_terminations),
        (1, 1, 0)
    );
    assert_eq!(nor.summonses, 0);
    assert_eq!(nor.rent_called, dec!(12000));
    assert_eq!(nor.receipts, dec!(10000));
    let sud = s.inputs_of(Some(1));
    assert_eq!(sud.households, 1);
    assert_eq!((sud.dossiers_present, sud.dossiers_departed), (0, 1));
    assert_eq!(sud.debt_departed, dec!(2250));
    assert_eq!(sud.debt_by_age.from_3_to_12_months, dec!(2100));
    assert_eq!(sud.debt_by_age.gt_12_months, dec!(150));
    assert_eq!(sud.debt_by_phase.departed, dec!(2250));
    assert_eq!((sud.cesf_follow_ups, sud.cesf_other), (1, 0));
    assert_eq!((sud.plans_signed, sud.plans_respected), (1, 1));
    assert_eq!(
        (
            sud.payment_orders,
            sud.ccapex_referrals,
            sud.summonses,
            sud.judgements
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(
        (
            sud.lease_terminations,
            sud.eviction_orders,
            sud.police_requests,
            sud.police_granted,
            sud.evictions
        ),
        (1, 1, 1, 1, 1)
    );
    assert_eq!(
        (sud.write_offs_count, sud.write_offs_amount),
        (1, dec!(100))
    );
    assert_eq!(sud.recovered_from_departed, dec!(450));
    assert_eq!(sud.rent_called, dec!(9300));
    assert_eq!(sud.receipts, dec!(8000));
    // Dossiers opened and closed per month, January 2024 to December 2025.
    let flows = s.flows_of(None);
    assert_eq!(flows.len(), 24);
    assert_eq!(flows[0].month, d(2024, 1, 1));
    let opened: Vec<(u32, u64)> = flows
        .iter()
        .filter(|f| f.opened > 0)
        .map(|f| (chrono::Datelike::month(&f.month), f.opened))
        .collect();
    assert_eq!(opened, [(10, 1), (2, 1), (5, 1), (10, 1)]);
    assert_eq!(flows.iter().map(|f| f.closed).sum::<u64>(), 1);
    assert_eq!(flows[17].closed, 1, "C closed in June 2025");
}

#[test]
fn json_gives_the_published_keys_and_values() {
    let (_dir, path) = fixture();
    let out = impayes(&path, &["stats", "--year", "2025", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["period"]["from"], "2025-01-01");
    assert_eq!(j["period"]["to"], "2025-12-31");
    assert_eq!(j["households"], 3);
    assert_eq!(j["dossiers"]["present"], 2);
    assert_eq!(j["dossiers"]["departed"], 1);
    assert_eq!(j["debt"]["present"], "2000.00");
    assert_eq!(j["debt"]["departed"], "2250.00");
    assert_eq!(j["debt_by_age"]["lt_3_months"], "1500.00");
    assert_eq!(j["debt_by_age"]["3_to_12_months"], "2600.00");
    assert_eq!(j["debt_by_age"]["gt_12_months"], "150.00");
    assert_eq!(j["cesf"]["follow_ups"], 1);
    assert_eq!(j["cesf"]["other_interventions"], 1);
    assert_eq!(j["home_visits"], 2);
    assert_eq!(j["reminders"], 4);
    assert_eq!(j["plans"]["signed"], 2);
    assert_eq!(j["plans"]["respected"], 1);
    assert_eq!(j["plans"]["broken"], 0);
    assert_eq!(j["payment_orders"], 2);
    assert_eq!(j["ccapex_referrals"], 1);
    assert_eq!(j["summonses"], 1);
    assert_eq!(j["judgements"], 2);
    assert_eq!(j["lease_terminations"], 1);
    assert_eq!(j["eviction_orders"], 1);
    assert_eq!(j["police_requests"], 1);
    assert_eq!(j["police_granted"], 1);
    assert_eq!(j["evictions"], 1);
    assert_eq!(j["write_offs"]["count"], 1);
    assert_eq!(j["write_offs"]["amount"], "100.00");
    assert_eq!(j["recovered_from_departed"], "450.00");
    assert_eq!(j["arrears_rate"], "19.95");
    assert_eq!(j["recovery_rate"], "84.51");
    assert!(
        j["arrears_rate_formula"]
            .as_str()
            .is_some_and(|f| f.contains("÷"))
    );
    assert!(
        j["recovery_rate_formula"]
            .as_str()
            .is_some_and(|f| f.contains("÷"))
    );
    // Exactly the documented keys.
    let mut top: Vec<&str> = j
        .as_object()
        .expect("object")
        .keys()
        .map(|k| k.as_str())
        .collect();
    top.sort();
    assert_eq!(
        top,
        [
            "arrears_rate",
            "arrears_rate_formula",
            "ccapex_referrals",
            "cesf",
            "debt",
            "debt_by_age",
            "dossiers",
            "eviction_orders",
            "evictions",
            "home_visits",
            "households",
            "judgements",
            "lease_terminations",
            "payment_orders",
            "period",
            "plans",
            "police_granted",
            "police_requests",
            "recovered_from_departed",
            "recovery_rate",
            "recovery_rate_formula",
            "reminders",
            "summonses",
            "write_offs"
        ]
    );
}

#[test]
fn one_sector_and_a_period_by_dates() {
    let (_dir, path) = fixture();
    let out = impayes(
        &path,
        &[
            "stats", "--year", "2025", "--sector", "sud", "--format", "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["households"], 1);
    assert_eq!(j["reminders"], 1);
    // 2 250 / 9 300 = 24.19 %.
    assert_eq!(j["arrears_rate"], "24.19");
    // The first half of 2025, SUD: B left on 30/06, the last day, so counts as departed.
    let out = impayes(
        &path,
        &[
            "stats",
            "--from",
            "2025-01-01",
            "--to",
            "30/06/2025",
            "--sector",
            "SUD",
            "--format",
            "json",
        ],
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(j["period"]["to"], "2025-06-30");
    assert_eq!(j["dossiers"]["departed"], 1);
    assert_eq!(j["evictions"], 1);
    assert_eq!(j["recovered_from_departed"], "0.00");
}

#[test]
fn table_and_csv_are_french() {
    let (_dir, path) = fixture();
    let out = impayes(&path, &["stats", "--year", "2025"]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.starts_with("Chiffres du 01/01/2025 au 31/12/2025, tous secteurs"),
        "{text}"
    );
    assert!(text.contains("Relances"));
    assert!(
        text.contains("4 250") || text.contains("2 250,00 €"),
        "{text}"
    );
    assert!(text.contains("19,95 %"), "{text}");
    let out = impayes(&path, &["stats", "--year", "2025", "--format", "csv"]);
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("cle;libelle;valeur;definition"));
    assert!(
        csv.contains("debt.departed;Dette des locataires partis;2250,00;"),
        "{csv}"
    );
    assert!(csv.contains("reminders;Relances;4;"), "{csv}");
}

#[test]
fn xlsx_opens_with_figures_sectors_and_definitions() {
    use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
    let (dir, path) = fixture();
    let file = dir.path().join("chiffres 2025.xlsx");
    let out = impayes(
        &path,
        &[
            "stats",
            "--year",
            "2025",
            "--format",
            "xlsx",
            "--output",
            file.to_str().expect("path"),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut book: Xlsx<_> = open_workbook(&file).expect("a workbook calamine reads");
    assert_eq!(
        book.sheet_names(),
        ["Chiffres", "Nord", "Sud", "Définitions"]
    );
    let value = |book: &mut Xlsx<_>, sheet: &str, key: &str| -> Data {
        let range = book.worksheet_range(sheet).expect("sheet");
        range
            .rows()
            .find(|r| r.first().and_then(|c| c.get_string()) == Some(key))
            .and_then(|r| r.get(2).cloned())
            .unwrap_or(Data::Empty)
    };
    assert_eq!(value(&mut book, "Chiffres", "reminders"), Data::Float(4.0));
    assert_eq!(
        value(&mut book, "Chiffres", "debt.departed"),
        Data::Float(2250.0)
    );
    assert_eq!(
        value(&mut book, "Chiffres", "arrears_rate"),
        Data::Float(19.95)
    );
    assert_eq!(value(&mut book, "Nord", "reminders"), Data::Float(3.0));
    // Dates are date cells (2025-12-31 is day 46,022 of Excel's calendar), not text.
    match value(&mut book, "Chiffres", "period.to") {
        Data::DateTime(t) => {
            assert_eq!(t.as_f64(), 46_022.0);
            assert!(t.is_datetime());
        }
        other => panic!("period.to is {other:?}, not a date"),
    }
    assert_eq!(value(&mut book, "Sud", "evictions"), Data::Float(1.0));
    let defs = book.worksheet_range("Définitions").expect("definitions");
    assert_eq!(defs.height(), 32, "a header and 31 figures");
    assert!(
        defs.rows()
            .any(|r| r[0].get_string() == Some("arrears_rate") && r[2].to_string().contains("÷"))
    );
}

#[test]
fn bad_requests_get_one_french_sentence() {
    let (_dir, path) = fixture();
    let out = impayes(&path, &["stats", "--year", "2025", "--sector", "EST"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).expect("utf-8");
    assert!(
        err.contains("secteur « EST » inconnu") && err.contains("NOR (Nord)"),
        "{err}"
    );
    let out = impayes(&path, &["stats", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--output"));
    let out = impayes(
        &path,
        &["stats", "--from", "2025-12-31", "--to", "2025-01-01"],
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("période vide"));
    let out = impayes(&path, &["stats", "--year", "2025", "--from", "2025-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    let out = impayes(
        &path,
        &["stats", "--from", "2025-13-01", "--to", "2025-12-31"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_period_sums_read_covering_indexes() {
    let (_dir, path) = fixture();
    let store = Store::open(&path).expect("open");
    let plan = |sql: &str| -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("plan");
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        rows.join("\n")
    };
    // The entries past the day sums' watermark are read by id, not by the date index (which
    // would read the whole period's entries).
    let p = plan(
        "SELECT household_id, date, kind, amount_cents FROM entries
         WHERE id > 10 AND +date BETWEEN '2025-01-01' AND '2025-12-31'",
    );
    assert!(p.contains("INTEGER PRIMARY KEY (rowid>?)"), "{p}");
    // The detection's entries dated after the day (no date index, migration 12): the day's
    // year of the yearly sums, then each household's range of the account index.
    let p =
        plan("SELECT household_id FROM ledger_years WHERE year = 2026 AND last_on > '2026-11-22'");
    assert!(p.contains("PRIMARY KEY (year=?)"), "{p}");
    // Each of the two tiers (migration 14) is a range of the index.
    let p = plan(
        "SELECT amount_cents FROM entries INDEXED BY entries_tier_household
         WHERE tier IN (0, 1) AND household_id = 1 AND date > '2026-11-22'
           AND date <= '2026-12-31' AND id <= 99",
    );
    assert!(
        p.contains(
            "COVERING INDEX entries_tier_household (tier=? AND household_id=? AND date>? AND date<?)"
        ),
        "{p}"
    );
    let p = plan(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM entries
         WHERE tier IN (0, 1) AND household_id = 1 AND date <= '2025-12-31'",
    );
    assert!(p.contains("COVERING INDEX entries_tier_household"), "{p}");
}

#[test]
fn an_empty_database_in_memory_gives_zeros_and_undefined_rates() {
    // In memory there is no file for a second connection: the sums run on this one.
    let store = Store::in_memory().expect("memory");
    let s = impayes::store::stats::sector_stats(store.conn(), Period::year(2025).expect("year"))
        .expect("stats");
    assert!(s.sectors.is_empty());
    let j = s.figures(None).to_json();
    assert_eq!(j["households"], 0);
    assert_eq!(j["debt"]["present"], "0.00");
    assert!(j["arrears_rate"].is_null());
}
