//! The debts on a day that is not a year's end (the dashboard's year to date) against the
//! domain's own walk over every household's charges: the store reads only the twelve months
//! before the day and splits the households between two connections, and must give the same
//! debts and age buckets, to the cent and in the same representation.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use impayes::domain::figures::Period;
use impayes::domain::figures_calc::{age_debt, dossier_open};
use impayes::domain::ledger::DebtByAge;
use impayes::store::{self, Store};

mod common;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// Debt and age buckets of every household with an open dossier on `at`, from its entries.
fn walked(store: &Store, at: NaiveDate) -> (Decimal, DebtByAge) {
    let conn = store.conn();
    let dossiers: Vec<(i64, String, Option<String>)> = conn
        .prepare("SELECT household_id, opened_on, closed_on FROM dossiers ORDER BY household_id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("dossiers");
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("iso date");
    let mut households: Vec<i64> = dossiers
        .iter()
        .filter(|(_, o, c)| dossier_open(date(o), c.as_deref().map(date), at))
        .map(|(h, _, _)| *h)
        .collect();
    households.dedup();
    let (mut debt, mut aged) = (Decimal::ZERO, DebtByAge::default());
    for h in households {
        let mut entries = store::entries(conn, h).expect("entries");
        entries.retain(|e| e.date <= at);
        let owed: Decimal = entries.iter().map(|e| e.amount).sum();
        if owed <= Decimal::ZERO {
            continue;
        }
        entries.sort_by_key(|e| std::cmp::Reverse((e.date, e.id)));
        let a = age_debt(owed, entries.iter().map(|e| (e.date, e.amount)), at);
        debt += owed;
        aged.lt_3_months += a.lt_3_months;
        aged.from_3_to_12_months += a.from_3_to_12_months;
        aged.gt_12_months += a.gt_12_months;
    }
    (debt, aged)
}

#[test]
fn debts_on_any_day_match_the_walk_over_the_charges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = common::demo::demo_file(dir.path(), "demo.sqlite3", 1_500, 7);
    let store = Store::open(&path).expect("open");
    // Today (every entry before it), mid-year in the past (entries after the day are taken
    // off), a day after the last entry, and the day before a year's end.
    for to in [
        d(2026, 11, 22),
        d(2025, 6, 30),
        d(2026, 2, 28),
        d(2027, 1, 15),
        d(2025, 12, 30),
    ] {
        let from = d(2024, 1, 1).max(to - chrono::Days::new(200));
        let s = store::stats::sector_stats(store.conn(), Period { from, to }).expect("stats");
        let i = s.inputs_of(None);
        let (debt, aged) = walked(&store, to);
        assert!(debt > Decimal::ZERO, "{to}");
        assert_eq!(i.debt_present + i.debt_departed, debt, "{to}");
        assert_eq!(i.debt_by_age, aged, "{to}");
        for (a, b) in [
            (i.debt_by_age.lt_3_months, aged.lt_3_months),
            (i.debt_by_age.from_3_to_12_months, aged.from_3_to_12_months),
            (i.debt_by_age.gt_12_months, aged.gt_12_months),
        ] {
            assert_eq!(a.to_string(), b.to_string(), "{to}");
        }
    }
}
