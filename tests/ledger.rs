//! The figures' day sums and yearly household sums kept at write time (migrations 7 and 9):
//! after writes through every path that adds entries or changes a filing (entry, bulk entries,
//! import, move-out, new lease in another sector, a raw insert nobody filed), the figures read
//! from the sums equal the figures computed from the entries alone, the yearly sums equal the
//! entries grouped afresh; `check` reports a corrupted sum.

mod common;

use std::process::Command;

use common::*;
use impayes::domain::figures::Period;
use impayes::domain::figures_calc::SectorStats;
use impayes::domain::ledger::EntryKind;
use impayes::store::{self, Stamp, Store};
use rust_decimal_macros::dec;

/// Periods: whole years, a span across years, today's year to date, and a year nobody has
/// entries in yet (its debts come from the households' latest earlier year).
fn periods() -> Vec<Period> {
    vec![
        Period::year(2024).expect("year"),
        Period::year(2025).expect("year"),
        Period::year(2027).expect("year"),
        Period {
            from: d(2025, 3, 15),
            to: d(2026, 2, 10),
        },
        Period {
            from: d(2026, 1, 1),
            to: d(2026, 11, 22),
        },
    ]
}

/// The figures computed as if nothing had been filed: every entry is read from `entries`.
fn from_scratch(store: &Store, p: Period) -> SectorStats {
    let conn = store.conn();
    conn.execute_batch(
        "BEGIN; DELETE FROM ledger_days; DELETE FROM ledger_households;
         DELETE FROM ledger_years; UPDATE ledger_state SET last_entry_id = 0;
         UPDATE balances SET year = NULL, opening_cents = 0, net_cents = 0, charges_cents = 0,
            charges_q4_cents = 0, last_on = NULL;",
    )
    .expect("forget the sums");
    let s = store::stats::sector_stats(conn, p);
    conn.execute_batch("ROLLBACK").expect("rollback");
    s.expect("stats from scratch")
}

/// The sums agree with the entries for every period, and `check` finds nothing.
fn agree(store: &Store, after: &str) {
    for p in periods() {
        let kept = store::stats::sector_stats(store.conn(), p).expect("stats");
        assert_eq!(kept, from_scratch(store, p), "after {after}, {p:?}");
    }
    let report = store.check().expect("check");
    assert!(
        report.ledger_mismatches.is_empty(),
        "after {after}: {report:?}"
    );
}

/// The write filed everything: every entry is in the sums and every filing is current.
fn all_filed(store: &Store, after: &str) {
    let one = |sql: &str| -> i64 {
        store
            .conn()
            .query_row(sql, [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(
        one("SELECT last_entry_id FROM ledger_state"),
        one("SELECT MAX(id) FROM entries"),
        "after {after}"
    );
    let stale = one(
        "SELECT COUNT(*) FROM ledger_households s JOIN households h ON h.id = s.household_id
         WHERE s.left_on IS NOT h.left_on OR s.sector IS NOT
            COALESCE((SELECT ho.sector FROM leases l JOIN homes ho ON ho.id = l.home_id
                      WHERE l.household_id = h.id ORDER BY l.start_on DESC, l.id DESC LIMIT 1), '')",
    );
    assert_eq!(stale, 0, "after {after}");
    // The yearly sums, grouped afresh from the entries, both ways.
    // With each year's opening balance: the sum of the household's earlier years.
    let fresh = "SELECT h, y, net, charges, q4,
            COALESCE(SUM(net) OVER (PARTITION BY h ORDER BY y
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
        FROM (SELECT household_id AS h, CAST(substr(date, 1, 4) AS INTEGER) AS y,
            SUM(amount_cents) AS net,
            SUM(CASE WHEN amount_cents > 0 AND substr(date, 6, 2) < '10'
                THEN amount_cents ELSE 0 END) AS charges,
            SUM(CASE WHEN amount_cents > 0 AND substr(date, 6, 2) >= '10'
                THEN amount_cents ELSE 0 END) AS q4
        FROM entries GROUP BY 1, 2)";
    // One year of each household in `balances` (migration 17), the others in `ledger_years`.
    let kept = "SELECT * FROM (SELECT household_id, year, net_cents, charges_cents,
            charges_q4_cents, opening_cents
        FROM ledger_years
        UNION ALL SELECT household_id, year, net_cents, charges_cents, charges_q4_cents,
            opening_cents
        FROM balances WHERE year IS NOT NULL)";
    assert!(
        one("SELECT COUNT(*) FROM ledger_years") > 0
            && one("SELECT COUNT(*) FROM balances WHERE year IS NOT NULL") > 0,
        "after {after}"
    );
    for (a, b) in [(fresh, kept), (kept, fresh)] {
        let differ = one(&format!("SELECT COUNT(*) FROM ({a} EXCEPT {b})"));
        assert_eq!(differ, 0, "after {after}: {a} EXCEPT {b}");
    }
}

fn filed_days(store: &Store) -> i64 {
    store
        .conn()
        .query_row("SELECT COUNT(*) FROM ledger_days", [], |r| r.get(0))
        .expect("count")
}

#[test]
fn every_write_path_keeps_the_sums_equal_to_the_entries() {
    let db = fixture_db();
    let ids = db.ids.clone();
    let stamp = Stamp::on(MANAGER, d(2026, 11, 22));
    let mut store = Store::open(&db.path).expect("open");
    assert!(filed_days(&store) > 0, "the fixture's entries are filed");
    agree(&store, "the fixture");
    all_filed(&store, "the fixture");

    // One entry (a payment, as the account tab records it).
    store
        .write(|c| {
            let e = entry(
                d(2025, 7, 3),
                EntryKind::Payment,
                dec!(-120),
                "Chèque",
                "CHQ-1",
            );
            store::insert_entry(c, ids.elodie, &e, &stamp)
        })
        .expect("entry");
    agree(&store, "insert_entry");
    all_filed(&store, "insert_entry");

    // Entries in bulk, as the demo writes them, one of them a write-off; read from the entries
    // until they are filed.
    store
        .write(|c| {
            let list = [
                entry(
                    d(2025, 2, 1),
                    EntryKind::RentCall,
                    dec!(410),
                    "Loyer",
                    "B-1",
                ),
                entry(
                    d(2025, 9, 30),
                    EntryKind::WriteOff,
                    dec!(-75),
                    "Admission",
                    "B-2",
                ),
                entry(d(2026, 1, 4), EntryKind::Aid, dec!(-50), "FSL", "B-3"),
            ];
            let stamps = [stamp.clone(), stamp.clone(), stamp.clone()];
            let added = store::insert_entries(c, ids.zoe, list.iter().zip(&stamps))?;
            // As the demo does, once at the end of its transaction.
            store::catch_up(c)?;
            Ok(added)
        })
        .expect("bulk");
    agree(&store, "insert_entries");
    all_filed(&store, "insert_entries");

    // Gaël leaves (a deposit credit note, then payments after he left).
    store
        .write(|c| {
            let mut dossier = store::dossier(c, ids.gael_dossier)?;
            store::record_move_out(
                c,
                &mut dossier,
                d(2025, 8, 31),
                Some("1 rue du Départ, 68000 Colmar"),
                Some(dec!(300)),
                &stamp,
            )
        })
        .expect("move out");
    agree(&store, "record_move_out");
    all_filed(&store, "record_move_out");

    // An import through the command, with lines before and after Gaël left.
    drop(store);
    let csv = db.path.with_file_name("lignes.csv");
    std::fs::write(
        &csv,
        format!(
            "compte,date,nature,montant,libelle,reference\n\
             {GAEL},2025-08-20,paiement,-40.00,Virement,IMP-1\n\
             {GAEL},2025-10-02,paiement,-60.00,Virement,IMP-2\n\
             {ELODIE},2025-12-31,loyer,500.00,Loyer 12/2025,IMP-3\n\
             {PAUL},2026-02-01,apl,-90.00,APL,IMP-4\n\
             {GAEL},2026-03-10,paiement,-25.00,Virement,IMP-6\n"
        ),
    )
    .expect("csv");
    let out = Command::new(env!("CARGO_BIN_EXE_impayes"))
        .arg("--db")
        .arg(&db.path)
        .args(["--today", TODAY, "--user", MANAGER, "import", "accounts"])
        .arg(&csv)
        .env_remove("IMPAYES_DB")
        .env("HOME", db.dir.path())
        .env("XDG_CONFIG_HOME", db.dir.path())
        .output()
        .expect("import");
    assert!(out.status.success(), "{out:?}");
    let mut store = Store::open(&db.path).expect("open");
    let imported: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM entries WHERE reference LIKE 'IMP-%'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(imported, 5);
    // Gaël has left: his 2026 is filed with the earlier years, his balance row keeps 2025.
    let apart: i64 = store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM ledger_years l JOIN balances b USING (household_id)
             WHERE household_id = ?1 AND l.year = 2026 AND b.year = 2025",
            [ids.gael],
            |r| r.get(0),
        )
        .expect("Gaël's years");
    assert_eq!(apart, 1);
    agree(&store, "import");
    all_filed(&store, "import");

    // Élodie moves to the other sector in 2026: 2025 counts her in her old one, her entries
    // are filed under the new one.
    store
        .write(|c| {
            let home_id =
                store::insert_home(c, &home("LOG-NEW", "3 rue Neuve", "68000", "Colmar", "COL"))?;
            store::current_lease_end(c, ids.elodie, d(2026, 2, 28))?;
            store::insert_lease(
                c,
                &impayes::domain::household::Lease {
                    id: 0,
                    household_id: ids.elodie,
                    home_id,
                    start_on: d(2026, 3, 1),
                    concluded_on: d(2026, 3, 1),
                    rent: dec!(450),
                    charges: dec!(50),
                    end_on: None,
                },
            )
        })
        .expect("new lease");
    let filed: String = store
        .conn()
        .query_row(
            "SELECT sector FROM ledger_households WHERE household_id = ?1",
            [ids.elodie],
            |r| r.get(0),
        )
        .expect("filing");
    assert_eq!(filed, "COL");
    agree(&store, "a lease in another sector");
    all_filed(&store, "a lease in another sector");

    // A raw insert nobody filed: read from the entries until the next write files it.
    store
        .conn()
        .execute(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label, recorded_by,
                recorded_at) VALUES (?1, '2025-05-05', 'payment', -1234, 'x', 't', 't')",
            [ids.paul],
        )
        .expect("raw insert");
    agree(&store, "a raw insert");
    store.write(store::catch_up).expect("catch up");
    agree(&store, "catching up");
    all_filed(&store, "catching up");

    // Another raw insert, then an import: the import files its own lines from the sums it kept
    // only when they are all that lies past the watermark; here it reads the new rows back.
    store
        .conn()
        .execute(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label, recorded_by,
                recorded_at) VALUES (?1, '2025-06-06', 'fees', 700, 'y', 't', 't')",
            [ids.paul],
        )
        .expect("raw insert");
    drop(store);
    std::fs::write(
        &csv,
        format!(
            "compte,date,nature,montant,libelle,reference\n\
             {ELODIE},2025-12-31,loyer,500.00,Loyer 12/2025,IMP-3\n\
             {PAUL},2026-02-05,paiement,-10.00,Virement,IMP-5\n"
        ),
    )
    .expect("csv");
    let out = Command::new(env!("CARGO_BIN_EXE_impayes"))
        .arg("--db")
        .arg(&db.path)
        .args(["--today", TODAY, "--user", MANAGER, "import", "accounts"])
        .arg(&csv)
        .env_remove("IMPAYES_DB")
        .env("HOME", db.dir.path())
        .env("XDG_CONFIG_HOME", db.dir.path())
        .output()
        .expect("import");
    assert!(out.status.success(), "{out:?}");
    let store = Store::open(&db.path).expect("open");
    agree(&store, "an import after a raw insert");
    all_filed(&store, "an import after a raw insert");
    let filed_up_to: i64 = store
        .conn()
        .query_row("SELECT last_entry_id FROM ledger_state", [], |r| r.get(0))
        .expect("watermark");
    let max: i64 = store
        .conn()
        .query_row("SELECT MAX(id) FROM entries", [], |r| r.get(0))
        .expect("max");
    assert_eq!(filed_up_to, max);
}

#[test]
fn a_year_without_entries_carries_the_debts_of_the_year_before() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    let debt = |year| {
        let s = store::stats::sector_stats(store.conn(), Period::year(year).expect("year"))
            .expect("stats");
        let i = s.inputs_of(None);
        (i.debt_present + i.debt_departed, i.debt_by_age)
    };
    let (owed, aged) = debt(2027);
    assert!(owed > dec!(0), "{owed}");
    // Nothing charged in 2027: every euro is over 12 months old.
    assert_eq!(aged.gt_12_months, owed);
}

#[test]
fn check_reports_a_corrupted_day_sum() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    assert!(store.check().expect("check").ok());
    // Corrupt the first day sum by a cent.
    store
        .conn()
        .execute(
            "UPDATE ledger_days SET cents = cents + 1 WHERE (date, kind, sector, after_left) =
                (SELECT date, kind, sector, after_left FROM ledger_days
                 ORDER BY date, kind, sector, after_left LIMIT 1)",
            [],
        )
        .expect("corrupt");
    let report = store.check().expect("check");
    assert!(!report.ok());
    assert_eq!(report.ledger_mismatches.len(), 1, "{report:?}");
    assert!(
        report.ledger_mismatches[0].contains("d'après les écritures"),
        "{report:?}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_impayes"))
        .arg("--db")
        .arg(&db.path)
        .args(["--today", TODAY, "check"])
        .env_remove("IMPAYES_DB")
        .env("HOME", db.dir.path())
        .env("XDG_CONFIG_HOME", db.dir.path())
        .output()
        .expect("check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Sommes des chiffres par jour : ÉCHEC"),
        "{stdout}"
    );
}

#[test]
fn check_reports_a_corrupted_year_sum() {
    let db = fixture_db();
    let store = Store::open(&db.path).expect("open");
    assert!(store.check().expect("check").ok());
    // Élodie's charges of October to December 2025 short by a cent.
    let changed = store
        .conn()
        .execute(
            "UPDATE ledger_years SET charges_q4_cents = charges_q4_cents - 1
             WHERE household_id = ?1 AND year = 2025",
            [db.ids.elodie],
        )
        .expect("corrupt");
    assert_eq!(changed, 1);
    let report = store.check().expect("check");
    assert!(!report.ok());
    assert_eq!(report.ledger_mismatches.len(), 1, "{report:?}");
    assert!(
        report.ledger_mismatches[0].contains("année 2025")
            && report.ledger_mismatches[0].contains("d'après les écritures"),
        "{report:?}"
    );
    // A year nobody has entries in is reported too.
    store
        .conn()
        .execute(
            "UPDATE ledger_years SET charges_q4_cents = charges_q4_cents + 1
             WHERE household_id = ?1 AND year = 2025",
            [db.ids.elodie],
        )
        .expect("repair");
    assert!(store.check().expect("check").ok());
    // So is a latest entry date that is not the year's latest entry's.
    let last: String = store
        .conn()
        .query_row(
            "SELECT last_on FROM ledger_years WHERE household_id = ?1 AND year = 2025",
            [db.ids.elodie],
            |r| r.get(0),
        )
        .expect("last_on");
    store
        .conn()
        .execute(
            "UPDATE ledger_years SET last_on = '2025-01-01' WHERE household_id = ?1 AND year = 2025",
            [db.ids.elodie],
        )
        .expect("corrupt the date");
    let report = store.check().expect("check");
    assert_eq!(report.ledger_mismatches.len(), 1, "{report:?}");
    assert!(
        report.ledger_mismatches[0].contains(&format!("dernière écriture {last}")),
        "{report:?}"
    );
    store
        .conn()
        .execute(
            "UPDATE ledger_years SET last_on = ?2 WHERE household_id = ?1 AND year = 2025",
            rusqlite::params![db.ids.elodie, last],
        )
        .expect("repair the date");
    assert!(store.check().expect("check").ok());
    store
        .conn()
        .execute(
            "INSERT INTO ledger_years VALUES (1999, ?1, 100, 100, 0, 0, '1999-05-01')",
            [db.ids.elodie],
        )
        .expect("stray year");
    let report = store.check().expect("check");
    assert_eq!(report.ledger_mismatches.len(), 1, "{report:?}");
    assert!(
        report.ledger_mismatches[0].contains("année 1999"),
        "{report:?}"
    );
    store
        .conn()
        .execute("DELETE FROM ledger_years WHERE year = 1999", [])
        .expect("repair");
    // The year kept with the balance (migration 17) is checked the same way.
    let (year, changed): (i64, usize) = {
        let conn = store.conn();
        let year = conn
            .query_row(
                "SELECT year FROM balances WHERE household_id = ?1",
                [db.ids.elodie],
                |r| r.get(0),
            )
            .expect("year held");
        let changed = conn
            .execute(
                "UPDATE balances SET net_cents = net_cents + 1 WHERE household_id = ?1",
                [db.ids.elodie],
            )
            .expect("corrupt");
        (year, changed)
    };
    assert_eq!(changed, 1);
    let report = store.check().expect("check");
    assert_eq!(report.ledger_mismatches.len(), 1, "{report:?}");
    assert!(
        report.ledger_mismatches[0].contains(&format!("année {year}")),
        "{report:?}"
    );
    // And the balance row's year also among the others.
    store
        .conn()
        .execute(
            "UPDATE balances SET net_cents = net_cents - 1 WHERE household_id = ?1",
            [db.ids.elodie],
        )
        .expect("repair");
    store
        .conn()
        .execute(
            "INSERT INTO ledger_years SELECT year, household_id, net_cents, charges_cents,
                charges_q4_cents, opening_cents, last_on FROM balances WHERE household_id = ?1",
            [db.ids.elodie],
        )
        .expect("misplaced year");
    let report = store.check().expect("check");
    assert!(
        report
            .ledger_mismatches
            .iter()
            .any(|m| m.contains("rangées avec les autres années")),
        "{report:?}"
    );
}
