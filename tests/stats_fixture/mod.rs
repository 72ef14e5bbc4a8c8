//! The hand-built database of the figures' tests (`tests/stats.rs`), whose every count and
//! amount is worked out below by hand.
//!
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

#![allow(dead_code)] // not every helper is used by every test

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use impayes::domain::dossier::{CloseReason, Dossier, OpenReason, Phase, Referents};
use impayes::domain::event::{Channel, EventDetail, JudgementOutcome, ReminderLevel, VisitOutcome};
use impayes::domain::household::{Home, Household, Lease, Role, Sector, Staff, TenantStatus};
use impayes::domain::ledger::{Entry, EntryKind};
use impayes::domain::plan::{Plan, PlanStatus, generate_instalments};
use impayes::store::{
    Stamp, Store, change_phase, insert_dossier, insert_entry, insert_event, insert_home,
    insert_household, insert_lease, insert_plan, insert_sector, insert_staff, set_plan_status,
};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

pub const CESF: &str = "cesf1";
pub const OFFICER: &str = "amia";

pub struct Db<'a> {
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

pub fn reminder() -> EventDetail {
    EventDetail::Reminder {
        channel: Channel::Letter,
        level: ReminderLevel::Level1,
    }
}

/// Writes the database described at the top of the file.
pub fn build(path: &Path) {
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

pub fn fixture() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("stats.sqlite3");
    build(&path);
    (dir, path)
}

pub fn impayes(db: &Path, args: &[&str]) -> std::process::Output {
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
