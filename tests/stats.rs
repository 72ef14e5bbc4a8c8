//! The figures (`impayes stats`) on a small hand-built database whose every count and amount is
//! worked out below by hand: the store's inputs per sector, the JSON and CSV outputs, the xlsx
//! workbook read back with calamine, and the errors.
//!
//! Period: the year 2025 (stocks taken on 31/12/2025); the program runs as of 22/11/2026.
//! Two sectors, NOR (Nord) and SUD (Sud).
//!
//! - A (NOR, present since 2024, 500 €/month): rent called 01/12/2024 and every month of 2025
//!   (6 500 up to 31/12/2025), paid 05/12/2024 and January–August 2025 (500 + 4 000): owes
//!   2 000 on 31/12/2025: Dec, Nov, Oct (< 3 months: 1 500) and Sep (3–12 months: 500). In
//!   2026: a rent call and a payment of 2 500 that 2025 must not see. Dossier opened
//!   15/10/2025 (amicable; litigation from 01/02/2026, so amicable on 31/12/2025): 3 relances,
//!   a plan signed (broken in 2026), a commandement de payer, a judgement granting delays;
//!   a relance and an assignation in 2026.
//! - B (SUD, left 30/06/2025, 350 €/month): rent called 01/09/2024–01/06/2025 (3 500, of
//!   which 2 100 in 2025), paid 05/09/2024 and 10/03/2025 (700), then after leaving 200 and 100
//!   and 150 of aid (450 recovered), 100 written off (20/12/2025): owes 2 250 (2 100 of 2025
//!   charges, 3–12 months; 150 of December 2024, > 12 months). Dossier opened 15/10/2024,
//!   phase departed on 30/06/2025: one relance and the whole procedure in 2025 (commandement,
//!   CCAPEX, assignation, judgement terminating the lease, commandement de quitter, concours
//!   requested and granted, eviction).
//! - C (SUD, present, 600 €/month, APL 200): 2025 rent 7 200, APL 2 400, payments 4 800,
//!   nothing owed. Dossier opened 10/02/2025, closed 30/06/2025: a CESF visit and budget
//!   review (a CESF follow-up), a plan signed and found respected on 30/06/2025.
//! - D (NOR, present, 500 €/month): 2025 rent 6 000 paid 6 000. Dossier opened 01/05/2025 on a
//!   CESF referral (prevention, no debt): a CESF note and a home visit (an intervention
//!   diverse).
//! - E (NOR): lease starting 01/03/2026: not a household of 2025.
//!
//! Totals: households 3 (A, C, D); dossiers open on 31/12/2025: present 2 (A, D), departed 1
//! (B); debt 2 000 + 2 250 = 4 250 (< 3 months 1 500, 3–12 2 600, > 12 150); rent called
//! 6 000 + 6 000 + 2 100 + 7 200 = 21 300; receipts 4 000 + 6 000 + 800 + 7 200 = 18 000;
//! arrears rate 4 250 / 21 300 = 19.95 %; recovery rate 18 000 / 21 300 = 84.51 %.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use impayes::domain::dossier::{CloseReason, Dossier, OpenReason, Phase, Referents};
use impayes::domain::event::{Channel, EventDetail, JudgementOutcome, ReminderLevel, VisitOutcome};
use impayes::domain::figures::Period;
use impayes::domain::household::{Home, Household, Lease, Role, Sector, Staff, TenantStatus};
use impayes::domain::ledger::{Entry, EntryKind};
use impayes::domain::plan::{Plan, PlanStatus, generate_instalments};
use impayes::store::{
    Stamp, Store, change_phase, insert_dossier, insert_entry, insert_event, insert_home,
    insert_household, insert_lease, insert_plan, insert_sector, insert_staff, set_plan_status,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

const CESF: &str = "cesf1";
const OFFICER: &str = "amia";

struct Db<'a> {
    conn: &'a rusqlite::Connection,
    stamp: Stamp,
}

impl Db<'_> {
    fn household(
        &self,
        n: u32,
        sector: &str,
        start: NaiveDate,
        end: Option<NaiveDate>,
        rent: Decimal,
    ) -> i64 {
        let home = insert_home(
            self.conn,
            &Home {
                id: 0,
                reference: format!("L{n}"),
                address: format!("{n} rue des Tests"),
                postcode: "01000".into(),
                commune: "Bourg-en-Bresse".into(),
                departement: "01".into(),
                sector: sector.into(),
            },
        )
        .expect("home");
        let h = Household {
            id: 0,
            account: format!("411-00000{n}"),
            holder: format!("Ménage {n}"),
            co_holder: None,
            phone: None,
            email: None,
            size: 1,
            housing_benefit: Decimal::ZERO,
            status: if end.is_some() {
                TenantStatus::Departed
            } else {
                TenantStatus::Present
            },
            left_on: end,
            forwarding_address: None,
        };
        let id = insert_household(self.conn, &h, "", &self.stamp).expect("household");
        insert_lease(
            self.conn,
            &Lease {
                id: 0,
                household_id: id,
                home_id: home,
                start_on: start,
                concluded_on: start,
                rent: rent - dec!(50),
                charges: dec!(50),
                end_on: end,
            },
        )
        .expect("lease");
        id
    }

    fn entry(&self, hh: i64, date: NaiveDate, kind: EntryKind, amount: Decimal) {
        let e = Entry {
            id: 0,
            date,
            kind,
            amount,
            label: kind.label_fr().into(),
            reference: None,
        };
        insert_entry(self.conn, hh, &e, &self.stamp).expect("entry");
    }

    fn monthly(
        &self,
        hh: i64,
        year: i32,
        months: std::ops::RangeInclusive<u32>,
        day: u32,
        kind: EntryKind,
        amount: Decimal,
    ) {
        for m in months {
            self.entry(hh, d(year, m, day), kind, amount);
        }
    }

    fn dossier(&self, hh: i64, opened: NaiveDate, phase: Phase, reason: OpenReason) -> Dossier {
        let mut dossier = Dossier {
            id: 0,
            household_id: hh,
            phase,
            referents: Referents::default(),
            causes: Vec::new(),
            next_action: None,
            next_action_on: None,
            opened_on: opened,
            open_reason: reason,
            closed_on: None,
            close_reason: None,
        };
        dossier.id = insert_dossier(self.conn, &dossier, &self.stamp).expect("dossier");
        dossier
    }

    fn event(&self, dossier: &Dossier, date: NaiveDate, detail: EventDetail, author: &str) {
        insert_event(
            self.conn,
            dossier.id,
            date,
            &detail,
            "",
            &Stamp::on(author, date),
        )
        .expect("event");
    }

    fn plan(&self, dossier: &Dossier, signed: NaiveDate, status: PlanStatus, on: NaiveDate) {
        let plan = Plan {
            id: 0,
            dossier_id: dossier.id,
            signed_on: signed,
            amount: dec!(600),
            caf_approved: false,
            status: PlanStatus::Active,
            instalments: generate_instalments(dec!(600), 6, signed + chrono::Duration::days(20)),
        };
        let id = insert_plan(self.conn, &plan, &self.stamp).expect("plan");
        self.event(
            dossier,
            signed,
            EventDetail::PlanSigned {
                amount: dec!(600),
                instalments: 6,
                monthly: dec!(100),
                caf_approved: false,
            },
            OFFICER,
        );
        set_plan_status(self.conn, id, status, on).expect("plan status");
    }
}

fn reminder() -> EventDetail {
    EventDetail::Reminder {
        channel: Channel::Letter,
        level: ReminderLevel::Level1,
    }
}

/// Writes the database described at the top of the file.
fn build(path: &Path) {
    use EntryKind::*;
    let mut store = Store::create(path).expect("create");
    store
        .write(|conn| {
            let db = Db {
                conn,
                stamp: Stamp::on("test", d(2026, 11, 22)),
            };
            for (code, name) in [("NOR", "Nord"), ("SUD", "Sud")] {
                insert_sector(
                    conn,
                    &Sector {
                        code: code.into(),
                        name: name.into(),
                    },
                )?;
            }
            for (login, role) in [(CESF, Role::Cesf), (OFFICER, Role::Amicable)] {
                insert_staff(
                    conn,
                    &Staff {
                        login: login.into(),
                        full_name: login.into(),
                        role,
                        sectors: vec!["NOR".into(), "SUD".into()],
                        phone: None,
                    },
                )?;
            }
            // A.
            let a = db.household(1, "NOR", d(2024, 1, 1), None, dec!(500));
            db.entry(a, d(2024, 12, 1), RentCall, dec!(500));
            db.entry(a, d(2024, 12, 5), Payment, dec!(-500));
            db.monthly(a, 2025, 1..=12, 1, RentCall, dec!(500));
            db.monthly(a, 2025, 1..=8, 5, Payment, dec!(-500));
            db.entry(a, d(2026, 1, 1), RentCall, dec!(500));
            db.entry(a, d(2026, 1, 10), Payment, dec!(-2500));
            let mut da = db.dossier(a, d(2025, 10, 15), Phase::Amicable, OpenReason::FirstUnpaid);
            for date in [
                d(2025, 10, 20),
                d(2025, 11, 20),
                d(2025, 12, 20),
                d(2026, 1, 5),
            ] {
                db.event(&da, date, reminder(), OFFICER);
            }
            db.plan(&da, d(2025, 12, 10), PlanStatus::Broken, d(2026, 1, 15));
            db.event(
                &da,
                d(2025, 12, 15),
                EventDetail::PaymentOrder {
                    debt: dec!(1500),
                    cost: None,
                },
                OFFICER,
            );
            db.event(
                &da,
                d(2025, 12, 28),
                EventDetail::Judgement {
                    outcome: JudgementOutcome::PaymentDelays,
                    monthly: None,
                    months: None,
                },
                OFFICER,
            );
            change_phase(conn, &mut da, Phase::Litigation, d(2026, 2, 1), &db.stamp)?;
            db.event(
                &da,
                d(2026, 3, 1),
                EventDetail::Summons {
                    hearing_on: d(2026, 6, 1),
                    court: "TJ".into(),
                },
                OFFICER,
            );
            // B.
            let b = db.household(2, "SUD", d(2023, 1, 1), Some(d(2025, 6, 30)), dec!(350));
            db.monthly(b, 2024, 9..=12, 1, RentCall, dec!(350));
            db.monthly(b, 2025, 1..=6, 1, RentCall, dec!(350));
            db.entry(b, d(2024, 9, 5), Payment, dec!(-350));
            db.entry(b, d(2025, 3, 10), Payment, dec!(-350));
            db.entry(b, d(2025, 9, 10), Payment, dec!(-200));
            db.entry(b, d(2025, 10, 1), Aid, dec!(-150));
            db.entry(b, d(2025, 11, 10), Payment, dec!(-100));
            db.entry(b, d(2025, 12, 20), WriteOff, dec!(-100));
            let mut dbb = db.dossier(b, d(2024, 10, 15), Phase::Amicable, OpenReason::FirstUnpaid);
            db.event(&dbb, d(2025, 2, 1), reminder(), OFFICER);
            for (date, detail) in [
                (
                    d(2025, 2, 15),
                    EventDetail::PaymentOrder {
                        debt: dec!(1400),
                        cost: None,
                    },
                ),
                (d(2025, 3, 1), EventDetail::CcapexReferral),
                (
                    d(2025, 4, 20),
                    EventDetail::Summons {
                        hearing_on: d(2025, 5, 30),
                        court: "TJ".into(),
                    },
                ),
                (
                    d(2025, 5, 30),
                    EventDetail::Judgement {
                        outcome: JudgementOutcome::LeaseTerminated,
                        monthly: None,
                        months: None,
                    },
                ),
                (d(2025, 6, 10), EventDetail::EvictionOrder),
                (d(2025, 6, 20), EventDetail::PoliceRequest),
                (
                    d(2025, 6, 25),
                    EventDetail::PoliceDecision { granted: true },
                ),
                (d(2025, 6, 30), EventDetail::Eviction),
            ] {
                db.event(&dbb, date, detail, OFFICER);
            }
            change_phase(conn, &mut dbb, Phase::Departed, d(2025, 6, 30), &db.stamp)?;
            // C.
            let c = db.household(3, "SUD", d(2020, 1, 1), None, dec!(600));
            db.monthly(c, 2025, 1..=12, 1, RentCall, dec!(600));
            db.monthly(c, 2025, 1..=12, 5, HousingBenefit, dec!(-200));
            db.monthly(c, 2025, 1..=12, 8, Payment, dec!(-400));
            let mut dc = db.dossier(c, d(2025, 2, 10), Phase::Amicable, OpenReason::FirstUnpaid);
            db.event(
                &dc,
                d(2025, 3, 1),
                EventDetail::HomeVisit {
                    outcome: VisitOutcome::Met,
                },
                CESF,
            );
            db.event(
                &dc,
                d(2025, 3, 1),
                EventDetail::BudgetReview {
                    income: dec!(1500),
                    expenses: dec!(1300),
                },
                CESF,
            );
            db.plan(&dc, d(2025, 3, 15), PlanStatus::Respected, d(2025, 6, 30));
            dc.close_reason = Some(CloseReason::Settled);
            change_phase(conn, &mut dc, Phase::Closed, d(2025, 6, 30), &db.stamp)?;
            // D.
            let dd = db.household(4, "NOR", d(2022, 1, 1), None, dec!(500));
            db.monthly(dd, 2025, 1..=12, 1, RentCall, dec!(500));
            db.monthly(dd, 2025, 1..=12, 3, Payment, dec!(-500));
            let ddd = db.dossier(
                dd,
                d(2025, 5, 1),
                Phase::Prevention,
                OpenReason::CesfReferral,
            );
            db.event(
                &ddd,
                d(2025, 5, 10),
                EventDetail::Note { confidential: true },
                CESF,
            );
            db.event(
                &ddd,
                d(2025, 6, 1),
                EventDetail::HomeVisit {
                    outcome: VisitOutcome::Absent,
                },
                CESF,
            );
            // E.
            db.household(5, "NOR", d(2026, 3, 1), None, dec!(500));
            Ok(())
        })
        .expect("fixture");
}

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stats.sqlite3");
    build(&path);
    (dir, path)
}

fn impayes(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_impayes"))
        .arg("--db")
        .arg(db)
        .args(["--today", "2026-11-22", "--user", "test"])
        .args(args)
        .env_remove("IMPAYES_DB")
        .env("HOME", db.parent().expect("dir"))
        .env("XDG_CONFIG_HOME", db.parent().expect("dir"))
        .output()
        .expect("run impayes")
}

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
    // The detection's entries dated after the day: a range of the slim date index.
    let p = plan("SELECT household_id, amount_cents FROM entries WHERE date > '2026-11-22'");
    assert!(p.contains("COVERING INDEX entries_date (date>?)"), "{p}");
    let p = plan(
        "SELECT COALESCE(SUM(amount_cents), 0) FROM entries
         WHERE household_id = 1 AND date <= '2025-12-31'",
    );
    assert!(p.contains("COVERING INDEX entries_household_date"), "{p}");
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
