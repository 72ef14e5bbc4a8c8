//! Unit tests of `figures`, with hand-computed cases.

use super::*;
use rust_decimal_macros::dec;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn inputs() -> FigureInputs {
    FigureInputs {
        households: 3,
        dossiers_present: 1,
        dossiers_departed: 1,
        debt_present: dec!(300),
        debt_departed: dec!(47),
        rent_called: dec!(10000),
        receipts: dec!(9812.34),
        reminders: 4,
        ..Default::default()
    }
}

#[test]
fn rates_follow_their_formulas() {
    // (300 + 47) / 10 000 = 3.47 %; 9 812.34 / 10 000 = 98.1234 % → 98.12.
    let i = inputs();
    assert_eq!(arrears_rate(&i), Some(dec!(3.47)));
    assert_eq!(recovery_rate(&i), Some(dec!(98.12)));
    // Nothing called: the rates are undefined, not zero or infinite.
    assert_eq!(arrears_rate(&FigureInputs::default()), None);
    assert_eq!(percent(dec!(1), dec!(3)), Some(dec!(33.33)));
}

#[test]
fn sums_of_sectors_add_every_input() {
    let mut total = inputs();
    let mut other = inputs();
    other.debt_by_age.gt_12_months = dec!(12.5);
    other.debt_by_phase.litigation = dec!(7);
    other.write_offs_count = 2;
    total += &other;
    assert_eq!(total.households, 6);
    assert_eq!(total.debt_present, dec!(600));
    assert_eq!(total.debt_by_age.gt_12_months, dec!(12.5));
    assert_eq!(total.debt_by_phase.litigation, dec!(7));
    assert_eq!(total.write_offs_count, 2);
    assert_eq!(total.reminders, 8);
    // The rate of the sum is computed from the summed amounts.
    assert_eq!(arrears_rate(&total), Some(dec!(3.47)));
}

#[test]
fn json_nests_dotted_keys_and_writes_decimals_as_strings() {
    let f = Figures {
        period: Period::year(2025).expect("year"),
        inputs: inputs(),
    };
    let j = f.to_json();
    assert_eq!(j["period"]["from"], "2025-01-01");
    assert_eq!(j["period"]["to"], "2025-12-31");
    assert_eq!(j["households"], 3);
    assert_eq!(j["debt"]["present"], "300.00");
    assert_eq!(j["debt_by_age"]["3_to_12_months"], "0.00");
    assert_eq!(j["reminders"], 4);
    assert_eq!(j["arrears_rate"], "3.47");
    assert_eq!(j["arrears_rate_formula"], ARREARS_RATE_FORMULA);
    assert_eq!(j["recovery_rate"], "98.12");
    assert!(j["recovery_rate_formula"].as_str().is_some());
    assert_eq!(j["write_offs"]["count"], 0);
    let none = Figures {
        period: Period::year(2025).expect("year"),
        inputs: FigureInputs::default(),
    };
    assert!(none.to_json()["arrears_rate"].is_null());
}

#[test]
fn keys_are_those_published() {
    let k = keys();
    assert_eq!(k.len(), 31);
    assert_eq!(k[0], "period.from");
    assert!(k.contains(&"debt_by_age.3_to_12_months"));
    assert!(k.contains(&"cesf.other_interventions"));
    assert_eq!(k.last(), Some(&"recovery_rate"));
    let mut sorted = k.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), k.len(), "no key twice");
}

#[test]
fn values_print_the_french_way() {
    assert_eq!(Value::Count(12529).text_fr(), "12 529");
    assert_eq!(Value::Count(7).text_fr(), "7");
    assert_eq!(Value::Count(1_000_000).text_fr(), "1 000 000");
    assert_eq!(Value::Amount(dec!(1234.5)).text_fr(), "1 234,50 €");
    assert_eq!(Value::Percent(Some(dec!(3.47))).text_fr(), "3,47 %");
    assert_eq!(Value::Percent(None).text_fr(), "—");
    assert_eq!(Value::Date(d(2025, 1, 1)).text_fr(), "01/01/2025");
}

#[test]
fn period_of_a_year_and_its_label() {
    let p = Period::year(2025).expect("year");
    assert_eq!(p.from, d(2025, 1, 1));
    assert_eq!(p.to, d(2025, 12, 31));
    assert_eq!(p.label_fr(), "du 01/01/2025 au 31/12/2025");
}
