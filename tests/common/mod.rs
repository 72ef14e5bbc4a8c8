//! A small, hand-computed fixture shared by the store and command-line tests: four households
//! (accents in the names, one departed), their leases, rent calls, APL, partial payments,
//! dossiers with events and a plan, built through the public store API.
//!
//! Every figure below is worked out by hand in the comments, so that the tests compare the
//! program's arithmetic with an independent one.

#![allow(dead_code)] // each test binary uses a different part of the fixture

use std::path::{Path, PathBuf};

pub mod demo;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use impayes::domain::dates::add_months;
use impayes::domain::dossier::{Cause, CloseReason, Dossier, OpenReason, Phase, Referents};
use impayes::domain::event::{AidScheme, Channel, Direction, EventDetail, ReminderLevel};
use impayes::domain::household::{Home, Household, Lease, Role, Sector, Staff, TenantStatus};
use impayes::domain::ledger::{Entry, EntryKind};
use impayes::domain::plan::{Plan, PlanStatus, generate_instalments};
use impayes::store::{
    Stamp, Store, insert_dossier, insert_entry, insert_event, insert_home, insert_household,
    insert_lease, insert_plan, insert_sector, insert_staff,
};

/// The date every test runs as.
pub const TODAY: &str = "2026-11-22";

/// Élodie Béranger et Marc Béranger: present, APL, partial payments, amicable dossier, plan.
pub const ELODIE: &str = "411-004217";
/// Zoé Lefèvre: present, no APL, small debt, prevention dossier followed by the CESF.
pub const ZOE: &str = "411-005380";
/// Gaël Kœnig: departed with a debt spread over the three age buckets.
pub const GAEL: &str = "411-002051";
/// Paul Béranger: present, no debt, one closed dossier.
pub const PAUL: &str = "411-007712";

/// Logins of the staff.
pub const CESF: &str = "cbernard";
/// Amicable recovery officer.
pub const AMICABLE: &str = "amartin";
/// Litigation officer.
pub const LITIGATION: &str = "lpetit";
/// Head of the service.
pub const MANAGER: &str = "mgirard";

/// Text of the CESF's confidential note on Élodie's dossier.
pub const CONFIDENTIAL_TEXT: &str = "Séparation récente, suivi psychologique en cours.";
/// Text of a non-confidential event on Élodie's dossier.
pub const CONTACT_TEXT: &str = "La locataire signale une perte d'emploi.";

/// Ids of what the fixture wrote.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Élodie's household id.
    pub elodie: i64,
    /// Zoé's household id.
    pub zoe: i64,
    /// Gaël's household id.
    pub gael: i64,
    /// Paul's household id.
    pub paul: i64,
    /// Élodie's open dossier.
    pub elodie_dossier: i64,
    /// Zoé's open dossier.
    pub zoe_dossier: i64,
    /// Gaël's open dossier.
    pub gael_dossier: i64,
    /// Paul's closed dossier.
    pub paul_dossier: i64,
    /// Élodie's plan.
    pub elodie_plan: i64,
    /// Élodie's lease and home ids.
    pub elodie_lease: i64,
    /// Home of Élodie.
    pub elodie_home: i64,
    /// Number of entries written per household, in fixture order (Élodie, Zoé, Gaël, Paul).
    pub entry_counts: [usize; 4],
}

/// A date, for fixtures.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid fixture date")
}

/// `TODAY` as a date.
pub fn today() -> NaiveDate {
    d(2026, 11, 22)
}

/// An entry before it is stored.
pub fn entry(
    date: NaiveDate,
    kind: EntryKind,
    amount: Decimal,
    label: &str,
    reference: &str,
) -> Entry {
    Entry {
        id: 0,
        date,
        kind,
        amount,
        label: label.to_string(),
        reference: Some(reference.to_string()),
    }
}

/// A household before it is stored.
pub fn household(account: &str, holder: &str) -> Household {
    Household {
        id: 0,
        account: account.to_string(),
        holder: holder.to_string(),
        co_holder: None,
        phone: None,
        email: None,
        size: 1,
        housing_benefit: Decimal::ZERO,
        status: TenantStatus::Present,
        left_on: None,
        forwarding_address: None,
    }
}

/// A home before it is stored.
pub fn home(reference: &str, address: &str, postcode: &str, commune: &str, sector: &str) -> Home {
    Home {
        id: 0,
        reference: reference.to_string(),
        address: address.to_string(),
        postcode: postcode.to_string(),
        commune: commune.to_string(),
        departement: postcode[..2].to_string(),
        sector: sector.to_string(),
    }
}

/// A dossier before it is stored.
pub fn dossier(
    household_id: i64,
    phase: Phase,
    opened_on: NaiveDate,
    reason: OpenReason,
) -> Dossier {
    Dossier {
        id: 0,
        household_id,
        phase,
        referents: Referents::default(),
        causes: vec![],
        next_action: None,
        next_action_on: None,
        opened_on,
        open_reason: reason,
        closed_on: None,
        close_reason: None,
    }
}

/// The monthly rent calls of an account from `first` for `months` months (1st of the month),
/// with references that make a second import a no-op.
pub fn rent_calls(account: &str, first: NaiveDate, months: i32, amount: Decimal) -> Vec<Entry> {
    (0..months)
        .map(|i| {
            let on = add_months(first, i);
            entry(
                on,
                EntryKind::RentCall,
                amount,
                &format!("Loyer et charges {}", on.format("%m/%Y")),
                &format!("Q-{account}-{}", on.format("%Y-%m")),
            )
        })
        .collect()
}

/// Élodie's account. Rent 420 + charges 80 = 500 called on the 1st from 09/2025 to 11/2026
/// (15 calls, 7 500); APL 150 on the 5th each month (15 × 150 = 2 250); her payments:
/// 350 a month from 09/2025 to 02/2026 (2 100), then 100 (03), 200 (04), nothing (05),
/// 150 (06), and after the plan of 20/06/2026 500 (07), 500 (08), 300 (09), 165,44 (10),
/// nothing (11): 4 015,44 in all.
/// Balance 7 500 − 2 250 − 4 015,44 = 1 234,56; net monthly 350, so 3,5 months of arrears.
/// FIFO: the 6 265,44 credited settle the 12 calls up to 08/2026 and 265,44 of 09/2026, which
/// leaves 234,56 + 500 + 500, all called less than three months before 22/11/2026.
pub fn elodie_entries() -> Vec<Entry> {
    let mut v = rent_calls(ELODIE, d(2025, 9, 1), 15, dec!(500));
    for i in 0..15 {
        let on = add_months(d(2025, 9, 5), i);
        v.push(entry(
            on,
            EntryKind::HousingBenefit,
            dec!(-150),
            "APL CAF du Haut-Rhin",
            &format!("APL-{}", on.format("%Y-%m")),
        ));
    }
    let payments = [
        (d(2025, 9, 10), dec!(350)),
        (d(2025, 10, 10), dec!(350)),
        (d(2025, 11, 10), dec!(350)),
        (d(2025, 12, 10), dec!(350)),
        (d(2026, 1, 10), dec!(350)),
        (d(2026, 2, 10), dec!(350)),
        (d(2026, 3, 10), dec!(100)),
        (d(2026, 4, 10), dec!(200)),
        (d(2026, 6, 10), dec!(150)),
        (d(2026, 7, 10), dec!(500)),
        (d(2026, 8, 10), dec!(500)),
        (d(2026, 9, 10), dec!(300)),
        (d(2026, 10, 10), dec!(165.44)),
    ];
    for (on, amount) in payments {
        v.push(entry(
            on,
            EntryKind::Payment,
            -amount,
            "Virement Mme Béranger",
            &format!("VIR-{}", on.format("%Y%m%d")),
        ));
    }
    v
}

/// Zoé's account: 440 called in 09, 10 and 11/2026 (1 320); paid 440, 300 and 220 (960).
/// Balance 360, net monthly 440: 360 ÷ 440 = 0,818… → 0,8 month.
pub fn zoe_entries() -> Vec<Entry> {
    let mut v = rent_calls(ZOE, d(2026, 9, 1), 3, dec!(440));
    for (on, amount) in [
        (d(2026, 9, 8), dec!(440)),
        (d(2026, 10, 8), dec!(300)),
        (d(2026, 11, 8), dec!(220)),
    ] {
        v.push(entry(
            on,
            EntryKind::Payment,
            -amount,
            "Prélèvement",
            &format!("PRL-{}", on.format("%Y%m%d")),
        ));
    }
    v
}

/// Gaël's account: 600 called from 06/2025 to 03/2026 (10 calls, 6 000), paid 600 in 06, 07
/// and 08/2025 and 300 in 09/2025 (2 100), then sommation fees of 120 on 15/10/2026.
/// Balance 4 020; net monthly 600 (last lease, no APL): 6,7 months.
/// FIFO: 2 100 settle 06–08/2025 and 300 of 09/2025, leaving 300 (09/2025) + 600 (10/2025) +
/// 600 (01/11/2025) = 1 500 more than twelve months old, 12/2025–03/2026 = 2 400 between three
/// and twelve months, and the fees, 120, less than three months.
pub fn gael_entries() -> Vec<Entry> {
    let mut v = rent_calls(GAEL, d(2025, 6, 1), 10, dec!(600));
    for (on, amount) in [
        (d(2025, 6, 6), dec!(600)),
        (d(2025, 7, 6), dec!(600)),
        (d(2025, 8, 6), dec!(600)),
        (d(2025, 9, 6), dec!(300)),
    ] {
        v.push(entry(
            on,
            EntryKind::Payment,
            -amount,
            "Chèque",
            &format!("CHQ-{}", on.format("%Y%m%d")),
        ));
    }
    v.push(entry(
        d(2026, 10, 15),
        EntryKind::Fees,
        dec!(120),
        "Frais de sommation",
        "FRAIS-2026-10",
    ));
    v
}

/// Paul's account: one rent call of 350 paid in full: balance 0.
pub fn paul_entries() -> Vec<Entry> {
    let mut v = rent_calls(PAUL, d(2026, 11, 1), 1, dec!(350));
    v.push(entry(
        d(2026, 11, 4),
        EntryKind::Payment,
        dec!(-350),
        "Virement",
        "VIR-20261104",
    ));
    v
}

/// Élodie's plan: signed 20/06/2026, 900 in six instalments of 150 from 10/07/2026, CAF-approved.
/// Against the account (rent 500 called on the 1st, APL 150 on the 5th, 10 days of grace), as of
/// 22/11/2026: July (650 credited for 500 + 150 due) and August (1 300 for 1 000 + 300) are
/// honoured; September (1 750 for 1 950), October (2 065,44 for 2 600) and November (2 215,44
/// for 3 250) are missed; December is to come.
pub fn elodie_plan(dossier_id: i64) -> Plan {
    Plan {
        id: 0,
        dossier_id,
        signed_on: d(2026, 6, 20),
        amount: dec!(900),
        caf_approved: true,
        status: PlanStatus::Active,
        instalments: generate_instalments(dec!(900), 6, d(2026, 7, 10)),
    }
}

/// The events of Élodie's dossier, in the order they are written (not date order), with
/// their author and text.
pub fn elodie_events() -> Vec<(NaiveDate, EventDetail, &'static str, &'static str)> {
    vec![
        (
            d(2026, 3, 10),
            EventDetail::Reminder {
                channel: Channel::Letter,
                level: ReminderLevel::Level1,
            },
            AMICABLE,
            "",
        ),
        (
            d(2026, 6, 20),
            EventDetail::PlanSigned {
                amount: dec!(900),
                instalments: 6,
                monthly: dec!(150),
                caf_approved: true,
            },
            AMICABLE,
            "Plan signé à l'agence.",
        ),
        (
            d(2026, 4, 12),
            EventDetail::Contact {
                direction: Direction::Incoming,
                channel: Channel::Phone,
            },
            AMICABLE,
            CONTACT_TEXT,
        ),
        (
            d(2026, 5, 20),
            EventDetail::Note { confidential: true },
            CESF,
            CONFIDENTIAL_TEXT,
        ),
        (
            d(2026, 9, 15),
            EventDetail::BudgetReview {
                income: dec!(1450),
                expenses: dec!(1200),
            },
            CESF,
            "",
        ),
        (
            d(2026, 10, 20),
            EventDetail::Reminder {
                channel: Channel::Letter,
                level: ReminderLevel::Level2,
            },
            AMICABLE,
            "Échéances du plan non honorées.",
        ),
        (
            d(2026, 11, 18),
            EventDetail::AidRequest {
                scheme: AidScheme::Fsl,
                amount: Some(dec!(800)),
            },
            CESF,
            "Demande FSL maintien déposée.",
        ),
    ]
}

fn write_entries(
    conn: &rusqlite::Connection,
    household_id: i64,
    entries: &[Entry],
) -> impayes::store::Result<usize> {
    for e in entries {
        insert_entry(conn, household_id, e, &Stamp::on("import", e.date))?
            .expect("fixture references are unique");
    }
    Ok(entries.len())
}

/// Writes the fixture into `store`, in one transaction.
pub fn build(store: &mut Store) -> Fixture {
    // History written in bulk, as the demo writes it: no audit rows (whose timestamps would
    // be the clock's), the dossiers' own updated_by/updated_at say who changed them last.
    store.set_actor(None).expect("bulk mode");
    let fixture = store
        .write(|c| {
            let setup = Stamp::on(MANAGER, d(2024, 1, 2));
            for (code, name) in [("MUL", "Mulhouse"), ("COL", "Colmar")] {
                insert_sector(
                    c,
                    &Sector {
                        code: code.into(),
                        name: name.into(),
                    },
                )?;
            }
            for (login, full_name, role, sectors) in [
                (CESF, "Claire Bernard", Role::Cesf, vec!["MUL", "COL"]),
                (AMICABLE, "Antoine Martin", Role::Amicable, vec!["MUL"]),
                (LITIGATION, "Léa Petit", Role::Litigation, vec![]),
                (MANAGER, "Mathieu Girard", Role::Manager, vec![]),
            ] {
                insert_staff(
                    c,
                    &Staff {
                        login: login.into(),
                        full_name: full_name.into(),
                        role,
                        sectors: sectors.into_iter().map(String::from).collect(),
                        phone: Some("03 89 00 00 00".into()),
                    },
                )?;
            }

            // Élodie Béranger et Marc Béranger.
            let h1 = home(
                "MUL-0142",
                "3 rue de l'Église, bât. B, appt 12",
                "68100",
                "Mulhouse",
                "MUL",
            );
            let elodie_home = insert_home(c, &h1)?;
            let mut hh = household(ELODIE, "Élodie Béranger");
            hh.co_holder = Some("Marc Béranger".into());
            hh.phone = Some("03 89 12 34 56".into());
            hh.email = Some("elodie.beranger@example.org".into());
            hh.size = 4;
            hh.housing_benefit = dec!(150);
            let elodie = insert_household(c, &hh, &h1.full_address(), &setup)?;
            let elodie_lease = insert_lease(
                c,
                &Lease {
                    id: 0,
                    household_id: elodie,
                    home_id: elodie_home,
                    start_on: d(2019, 4, 1),
                    concluded_on: d(2024, 4, 1),
                    rent: dec!(420),
                    charges: dec!(80),
                    end_on: None,
                },
            )?;
            let n1 = write_entries(c, elodie, &elodie_entries())?;
            let mut dos = dossier(
                elodie,
                Phase::Amicable,
                d(2026, 3, 5),
                OpenReason::FirstUnpaid,
            );
            dos.referents = Referents {
                cesf: Some(CESF.into()),
                amicable: Some(AMICABLE.into()),
                litigation: Some(LITIGATION.into()),
            };
            dos.causes = vec![Cause::JobLoss, Cause::Separation];
            dos.next_action = Some("Relancer par téléphone".into());
            dos.next_action_on = Some(d(2026, 11, 30));
            let elodie_dossier = insert_dossier(c, &dos, &Stamp::on(AMICABLE, d(2026, 3, 5)))?;
            for (on, detail, author, text) in elodie_events() {
                insert_event(c, elodie_dossier, on, &detail, text, &Stamp::on(author, on))?;
            }
            let elodie_plan = insert_plan(
                c,
                &elodie_plan(elodie_dossier),
                &Stamp::on(AMICABLE, d(2026, 6, 20)),
            )?;

            // Zoé Lefèvre.
            let h2 = home("COL-0031", "14 rue des Tanneurs", "68000", "Colmar", "COL");
            let zoe_home = insert_home(c, &h2)?;
            let mut hh = household(ZOE, "Zoé Lefèvre");
            hh.phone = Some("06 12 34 56 78".into());
            hh.email = Some("zoe.lefevre@example.org".into());
            hh.size = 2;
            let zoe = insert_household(c, &hh, &h2.full_address(), &setup)?;
            insert_lease(
                c,
                &Lease {
                    id: 0,
                    household_id: zoe,
                    home_id: zoe_home,
                    start_on: d(2023, 9, 1),
                    concluded_on: d(2023, 9, 1),
                    rent: dec!(380),
                    charges: dec!(60),
                    end_on: None,
                },
            )?;
            let n2 = write_entries(c, zoe, &zoe_entries())?;
            let mut dos = dossier(
                zoe,
                Phase::Prevention,
                d(2026, 10, 12),
                OpenReason::CesfReferral,
            );
            dos.referents = Referents {
                cesf: Some(CESF.into()),
                amicable: Some(AMICABLE.into()),
                litigation: None,
            };
            dos.causes = vec![Cause::Illness];
            dos.next_action = Some("Visite à domicile".into());
            dos.next_action_on = Some(d(2026, 12, 3));
            let zoe_dossier = insert_dossier(c, &dos, &Stamp::on(CESF, d(2026, 10, 12)))?;
            insert_event(
                c,
                zoe_dossier,
                d(2026, 10, 12),
                &EventDetail::Contact {
                    direction: Direction::Incoming,
                    channel: Channel::InPerson,
                },
                "Reçue à l'accueil, arrêt maladie.",
                &Stamp::on(CESF, d(2026, 10, 12)),
            )?;

            // Gaël Kœnig, departed.
            let h3 = home(
                "MUL-0388",
                "27 avenue de Colmar",
                "68200",
                "Mulhouse",
                "MUL",
            );
            let gael_home = insert_home(c, &h3)?;
            let mut hh = household(GAEL, "Gaël Kœnig");
            hh.status = TenantStatus::Departed;
            hh.left_on = Some(d(2026, 3, 31));
            hh.forwarding_address = Some("5 impasse des Vosges, 67000 Strasbourg".into());
            let gael = insert_household(c, &hh, &h3.full_address(), &setup)?;
            insert_lease(
                c,
                &Lease {
                    id: 0,
                    household_id: gael,
                    home_id: gael_home,
                    start_on: d(2020, 2, 1),
                    concluded_on: d(2023, 2, 1),
                    rent: dec!(510),
                    charges: dec!(90),
                    end_on: Some(d(2026, 3, 31)),
                },
            )?;
            let n3 = write_entries(c, gael, &gael_entries())?;
            let mut dos = dossier(
                gael,
                Phase::Departed,
                d(2025, 10, 10),
                OpenReason::FirstUnpaid,
            );
            dos.referents = Referents {
                cesf: None,
                amicable: Some(AMICABLE.into()),
                litigation: Some(LITIGATION.into()),
            };
            dos.causes = vec![Cause::Unknown];
            dos.next_action = Some("Transmettre à la société de recouvrement".into());
            dos.next_action_on = Some(d(2026, 11, 10));
            let gael_dossier = insert_dossier(c, &dos, &Stamp::on(AMICABLE, d(2025, 10, 10)))?;
            insert_event(
                c,
                gael_dossier,
                d(2026, 4, 2),
                &EventDetail::MoveOut {
                    forwarding_address: Some("5 impasse des Vosges, 67000 Strasbourg".into()),
                    deposit: None,
                },
                "",
                &Stamp::on(AMICABLE, d(2026, 4, 2)),
            )?;
            insert_event(
                c,
                gael_dossier,
                d(2026, 10, 15),
                &EventDetail::Demand,
                "Sommation par commissaire de justice.",
                &Stamp::on(LITIGATION, d(2026, 10, 15)),
            )?;

            // Paul Béranger: nothing owed, an old dossier closed.
            let h4 = home(
                "MUL-0150",
                "3 rue de l'Église, bât. C, appt 4",
                "68100",
                "Mulhouse",
                "MUL",
            );
            let paul_home = insert_home(c, &h4)?;
            let mut hh = household(PAUL, "Paul Béranger");
            hh.phone = Some("03 89 45 67 01".into());
            let paul = insert_household(c, &hh, &h4.full_address(), &setup)?;
            insert_lease(
                c,
                &Lease {
                    id: 0,
                    household_id: paul,
                    home_id: paul_home,
                    start_on: d(2021, 6, 1),
                    concluded_on: d(2021, 6, 1),
                    rent: dec!(300),
                    charges: dec!(50),
                    end_on: None,
                },
            )?;
            let n4 = write_entries(c, paul, &paul_entries())?;
            let mut dos = dossier(paul, Phase::Closed, d(2024, 2, 5), OpenReason::FirstUnpaid);
            dos.referents.amicable = Some(AMICABLE.into());
            dos.closed_on = Some(d(2024, 6, 30));
            dos.close_reason = Some(CloseReason::Settled);
            let paul_dossier = insert_dossier(c, &dos, &Stamp::on(AMICABLE, d(2024, 2, 5)))?;
            insert_event(
                c,
                paul_dossier,
                d(2024, 6, 30),
                &EventDetail::Settled,
                "",
                &Stamp::on(AMICABLE, d(2024, 6, 30)),
            )?;

            Ok(Fixture {
                elodie,
                zoe,
                gael,
                paul,
                elodie_dossier,
                zoe_dossier,
                gael_dossier,
                paul_dossier,
                elodie_plan,
                elodie_lease,
                elodie_home,
                entry_counts: [n1, n2, n3, n4],
            })
        })
        .expect("fixture written");
    store.set_actor(Some("fixture")).expect("audit back on");
    fixture
}

/// A temporary directory holding a fixture database `impayes.sqlite3`.
pub struct FixtureDb {
    /// Keeps the directory alive.
    pub dir: tempfile::TempDir,
    /// The database file.
    pub path: PathBuf,
    /// What the fixture wrote.
    pub ids: Fixture,
}

/// Creates a fixture database in a new temporary directory and closes it.
pub fn fixture_db() -> FixtureDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("impayes.sqlite3");
    let ids = {
        let mut store = Store::create(&path).expect("create fixture database");
        build(&mut store)
    };
    FixtureDb { dir, path, ids }
}

/// The bytes of a file and of its WAL sidecar (None when absent), to prove nothing was written.
pub fn snapshot(path: &Path) -> Vec<Option<Vec<u8>>> {
    ["", "-wal"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            std::fs::read(PathBuf::from(p)).ok()
        })
        .collect()
}

/// Writes an SQLite file whose `user_version` is `version` (as a newer impayes would).
pub fn newer_database(path: &Path, version: i64) {
    let conn = rusqlite::Connection::open(path).expect("open raw database");
    conn.execute_batch("CREATE TABLE future (x INTEGER);")
        .expect("create table");
    conn.pragma_update(None, "user_version", version)
        .expect("set user_version");
}

/// The cached balance of a household and the sum of its entries, which must agree.
pub fn cents_sum(store: &Store, household_id: i64) -> (i64, i64) {
    store
        .conn()
        .query_row(
            "SELECT (SELECT cents FROM balances WHERE household_id = h.id),
                    (SELECT COALESCE(SUM(amount_cents), 0) FROM entries WHERE household_id = h.id)
             FROM households h WHERE h.id = ?1",
            [household_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("balance")
}

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "code {}\nstdout:\n{}\nstderr:\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The binary as a new user runs it, with `home` as home and working directory: no real
/// config, database or `IMPAYES_DB` of the machine is read.
pub fn binary(home: &Path, cwd: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_impayes"));
    cmd.env_remove("IMPAYES_DB")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("USER", "testeur")
        .current_dir(cwd);
    cmd
}

/// Runs `cmd` and keeps its exit code and output.
pub fn run(cmd: &mut std::process::Command) -> Run {
    let out = cmd.output().expect("the binary runs");
    Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}
