//! Import and detection speed (issue 4): `impayes import accounts` of a 500,000-line CSV in
//! the default format into a database that knows the 25,000 accounts, timed end to end (the
//! real binary: reading, parsing, writing, detection, commit), against `sqlite3`'s own
//! `.import` of the same file into a plain table in the same run; and the arrears detection
//! re-run over 100,000 households.
//!
//! `cargo bench --bench import`; a summary with lines per second and the ratio is printed at
//! the end. Set `IMPAYES_BENCH_LINES` to change the file's size.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use rust_decimal::Decimal;

use impayes::domain::dates::add_months;
use impayes::domain::detection::DetectionRules;
use impayes::domain::household::{Home, Household, Lease, Role, Sector, Staff, TenantStatus};
use impayes::domain::ledger::{Entry, EntryKind};
use impayes::store::{
    Stamp, Store, StoreError, detect_arrears, insert_entries, insert_home, insert_household,
    insert_lease, insert_sector, insert_staff,
};

const SQLITE3: &str = "/usr/bin/sqlite3";
const TODAY: &str = "2026-11-22";

static RESULTS: Mutex<Vec<(&'static str, u64, Duration)>> = Mutex::new(Vec::new());

fn record(name: &'static str, elements: u64, d: Duration) {
    if let Ok(mut r) = RESULTS.lock() {
        r.push((name, elements, d));
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn account(i: usize) -> String {
    format!("411-{i:06}")
}

/// A small deterministic generator, so that every run imports the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

use impayes::domain::dates::MONTH_NAMES as MONTHS;

/// Writes the CSV: for each account, monthly rent calls and payments (one in ten short).
fn write_csv(path: &Path, accounts: usize, per_account: usize) -> u64 {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("csv"));
    writeln!(out, "compte;date;nature;montant;libelle;reference").expect("write");
    let mut rng = Lcg(7);
    let mut lines = 0;
    let first = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    for a in 0..accounts {
        let acc = account(a);
        let rent = 30_000 + rng.next(50_000) as i64;
        for m in 0..per_account / 2 {
            let on = add_months(first, m as i32);
            let month = MONTHS[on.format("%m").to_string().parse::<usize>().unwrap_or(1) - 1];
            let year = on.format("%Y");
            writeln!(
                out,
                "{acc};{};loyer;{},{:02};Loyer et charges {month} {year};Q-{acc}-{}",
                on.format("%d/%m/%Y"),
                rent / 100,
                rent % 100,
                on.format("%Y-%m")
            )
            .expect("write");
            let paid = if rng.next(10) == 0 { rent / 2 } else { rent };
            let day = on + chrono::Duration::days(1 + rng.next(10) as i64);
            writeln!(
                out,
                "{acc};{};paiement;-{},{:02};Prélèvement;PRL-{acc}-{}",
                day.format("%d/%m/%Y"),
                paid / 100,
                paid % 100,
                day.format("%Y%m%d")
            )
            .expect("write");
            lines += 2;
        }
    }
    out.flush().expect("flush");
    lines
}

/// A database with the sectors, staff, homes, leases and households of `accounts` accounts;
/// with `months` months of account history when `months > 0` (the detection benchmark).
fn write_database(path: &Path, accounts: usize, months: usize) {
    let mut store = Store::create(path).expect("create");
    let stamp = Stamp::on("bench", today());
    let mut rng = Lcg(11);
    store
        .write(|c| -> Result<(), StoreError> {
            for code in ["MUL", "COL", "BRS"] {
                insert_sector(
                    c,
                    &Sector {
                        code: code.into(),
                        name: code.into(),
                    },
                )?;
                for (i, role) in [Role::Cesf, Role::Amicable, Role::Amicable, Role::Litigation]
                    .into_iter()
                    .enumerate()
                {
                    insert_staff(
                        c,
                        &Staff {
                            login: format!("{}{i}", code.to_lowercase()),
                            full_name: format!("Agent {code} {i}"),
                            role,
                            sectors: vec![code.into()],
                            phone: None,
                        },
                    )?;
                }
            }
            let first = add_months(today(), -(months as i32));
            let mut entries: Vec<Entry> = Vec::with_capacity(months * 3);
            for a in 0..accounts {
                let sector = ["MUL", "COL", "BRS"][a % 3];
                let home = insert_home(
                    c,
                    &Home {
                        id: 0,
                        reference: format!("{sector}-{a:06}"),
                        address: format!("{} rue des Tilleuls", a % 200 + 1),
                        postcode: "68100".into(),
                        commune: "Mulhouse".into(),
                        departement: "68".into(),
                        sector: sector.into(),
                    },
                )?;
                let apl = if a % 3 == 0 { 15_000 } else { 0 };
                let h = Household {
                    id: 0,
                    account: account(a),
                    holder: format!("Locataire {a}"),
                    co_holder: None,
                    phone: None,
                    email: None,
                    size: 2,
                    housing_benefit: Decimal::new(apl, 2),
                    status: if a % 20 == 0 {
                        TenantStatus::Departed
                    } else {
                        TenantStatus::Present
                    },
                    left_on: None,
                    forwarding_address: None,
                };
                let hid = insert_household(c, &h, "", &stamp)?;
                let rent = 30_000 + rng.next(40_000) as i64;
                insert_lease(
                    c,
                    &Lease {
                        id: 0,
                        household_id: hid,
                        home_id: home,
                        start_on: NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
                        concluded_on: NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
                        rent: Decimal::new(rent - 5_000, 2),
                        charges: Decimal::new(5_000, 2),
                        end_on: None,
                    },
                )?;
                if months == 0 {
                    continue;
                }
                // One household in six stops paying part of its rent at some point.
                let short_from = if rng.next(6) == 0 {
                    rng.next(months as u64) as usize
                } else {
                    usize::MAX
                };
                entries.clear();
                for m in 0..months {
                    let on = add_months(first, m as i32);
                    let entry = |date, kind, cents| Entry {
                        id: 0,
                        date,
                        kind,
                        amount: Decimal::new(cents, 2),
                        label: String::new(),
                        reference: None,
                    };
                    entries.push(entry(on, EntryKind::RentCall, rent));
                    if apl > 0 {
                        entries.push(entry(
                            on + chrono::Duration::days(4),
                            EntryKind::HousingBenefit,
                            -apl,
                        ));
                    }
                    let due = rent - apl;
                    let paid = if m >= short_from { due / 2 } else { due };
                    entries.push(entry(
                        on + chrono::Duration::days(8),
                        EntryKind::Payment,
                        -paid,
                    ));
                }
                insert_entries(c, hid, entries.iter().map(|e| (e, &stamp)))?;
            }
            Ok(())
        })
        .expect("database");
}

fn copy_db(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut t = to.as_os_str().to_owned();
        t.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(&t));
    }
    std::fs::copy(from, to).expect("copy database");
}

fn import_benchmarks(c: &mut Criterion) {
    let lines_wanted: usize = std::env::var("IMPAYES_BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500_000);
    let per_account = 20;
    let accounts = lines_wanted.div_ceil(per_account);
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = dir.path().join("comptes.csv");
    let lines = write_csv(&csv, accounts, per_account);
    let template = dir.path().join("modele.sqlite3");
    write_database(&template, accounts, 0);
    let work = dir.path().join("travail.sqlite3");

    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(lines));
    group.bench_function("impayes import accounts (CSV)", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                copy_db(&template, &work);
                let start = Instant::now();
                let status = Command::new(env!("CARGO_BIN_EXE_impayes"))
                    .arg("--db")
                    .arg(&work)
                    .args(["--today", TODAY, "--user", "bench", "import", "accounts"])
                    .arg(&csv)
                    .stdout(Stdio::null())
                    .status()
                    .expect("run impayes");
                let d = start.elapsed();
                assert!(status.success(), "import failed");
                record("impayes", lines, d);
                total += d;
            }
            total
        })
    });
    if Path::new(SQLITE3).exists() {
        let plain = dir.path().join("plain.sqlite3");
        group.bench_function("sqlite3 .import (same file, plain table)", |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let _ = std::fs::remove_file(&plain);
                    let start = Instant::now();
                    let mut child = Command::new(SQLITE3)
                        .arg(&plain)
                        .stdin(Stdio::piped())
                        .stdout(Stdio::null())
                        .spawn()
                        .expect("run sqlite3");
                    let script = format!(
                        "CREATE TABLE t (compte TEXT, date TEXT, nature TEXT, montant TEXT, \
                         libelle TEXT, reference TEXT);\n.mode csv\n.separator ;\n\
                         .import --skip 1 {} t\n",
                        csv.display()
                    );
                    child
                        .stdin
                        .take()
                        .expect("stdin")
                        .write_all(script.as_bytes())
                        .expect("script");
                    assert!(child.wait().expect("sqlite3").success());
                    let d = start.elapsed();
                    record("sqlite3", lines, d);
                    total += d;
                }
                total
            })
        });
    }
    group.finish();

    // Detection re-run over 100,000 households with a year of account each.
    let households = 100_000;
    let db = dir.path().join("detection.sqlite3");
    write_database(&db, households, 12);
    let mut store = Store::open(&db).expect("open");
    let stamp = Stamp::on("bench", today());
    let rules = DetectionRules::default();
    store
        .bulk(true, |conn| detect_arrears(conn, today(), &rules, &stamp))
        .expect("first detection");
    let mut group = c.benchmark_group("detection");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(10))
        .throughput(Throughput::Elements(households as u64));
    group.bench_function("detect_arrears over 100 000 households", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                store
                    .bulk(false, |conn| detect_arrears(conn, today(), &rules, &stamp))
                    .expect("detection");
                let d = start.elapsed();
                record("detection", households as u64, d);
                total += d;
            }
            total
        })
    });
    group.finish();
    drop(store);
    summary();
}

fn median(name: &str) -> Option<(u64, Duration)> {
    let r = RESULTS.lock().ok()?;
    let mut v: Vec<(u64, Duration)> = r
        .iter()
        .filter(|(n, _, _)| *n == name)
        .map(|(_, e, d)| (*e, *d))
        .collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by_key(|(_, d)| *d);
    Some(v[v.len() / 2])
}

fn summary() {
    println!("\nRésumé (médianes de ce passage) :");
    let ours = median("impayes");
    if let Some((lines, d)) = ours {
        println!(
            "  impayes import accounts : {lines} lignes en {:.2} s, {:.0} lignes/s",
            d.as_secs_f64(),
            lines as f64 / d.as_secs_f64()
        );
    }
    if let (Some((lines, d)), Some((_, ours_d))) = (median("sqlite3"), ours) {
        println!(
            "  sqlite3 .import         : {lines} lignes en {:.2} s, {:.0} lignes/s ; impayes prend {:.2} fois son temps",
            d.as_secs_f64(),
            lines as f64 / d.as_secs_f64(),
            ours_d.as_secs_f64() / d.as_secs_f64()
        );
    }
    if let Some((n, d)) = median("detection") {
        println!(
            "  détection               : {n} ménages en {:.2} s",
            d.as_secs_f64()
        );
    }
}

criterion_group!(benches, import_benchmarks);
criterion_main!(benches);
