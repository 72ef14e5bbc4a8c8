//! The fast paths of `import accounts` give the results of the plain ones: the reading thread
//! reports a bad line far into the file as before and nothing is written; lines written by
//! batches in household order are the entries (ids per account, ranks of repeated
//! references, matches of unreferenced entries) a line-by-line import writes; the detection
//! that reads half of the ledgers on a second connection after an import opens, flags and
//! follows exactly what the detection on one connection does.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;

use impayes::demo::{DemoOptions, generate};
use impayes::domain::detection::DetectionRules;
use impayes::domain::import_rules::{SourceLine, reference_base};
use impayes::domain::ledger::EntryKind;
use impayes::store::{
    AccountSink, DetectionReport, Stamp, Store, UnknownAccounts, Written, detect_arrears,
    detect_arrears_after_writes,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// A demo database of `households` in `dir`, and its accounts.
fn demo(dir: &Path, households: usize) -> (PathBuf, Vec<(i64, String)>) {
    let path = dir.join("demo.sqlite3");
    let mut store = Store::create(&path).expect("create");
    generate(
        &mut store,
        &DemoOptions {
            households,
            seed: 7,
            months: 12,
            today: today(),
        },
    )
    .expect("generate");
    let accounts = store
        .conn()
        .prepare("SELECT id, account FROM households ORDER BY id")
        .expect("prepare")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("accounts");
    drop(store);
    (path, accounts)
}

fn copy(from: &Path, name: &str) -> PathBuf {
    let to = from.with_file_name(name);
    std::fs::copy(from, &to).expect("copy");
    to
}

fn one<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    rusqlite::Connection::open(db)
        .expect("open")
        .query_row(sql, [], |r| r.get(0))
        .expect("query")
}

/// Rows of a query, rendered as text, one a line.
fn rows(db: &Path, sql: &str) -> String {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn.prepare(sql).expect("prepare");
    let n = stmt.column_count();
    let mut out = String::new();
    let mut q = stmt.query([]).expect("query");
    while let Some(r) = q.next().expect("row") {
        for i in 0..n {
            let v: rusqlite::types::Value = r.get(i).expect("value");
            out.push_str(&format!("{v:?}|"));
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_bad_line_after_many_chunks_names_its_line_and_column_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, accounts) = demo(dir.path(), 40);
    let csv = dir.path().join("gros.csv");
    let mut text = String::from("compte;date;nature;montant;libelle;reference\n");
    // 20,000 data lines (several chunks of the reading thread and several batches); line
    // 15,001 of the file (the 15,000th data line) has a date that does not exist.
    for i in 1..=20_000usize {
        let account = &accounts[i % accounts.len()].1;
        let date = if i == 15_000 {
            "31/02/2026"
        } else {
            "05/10/2026"
        };
        text.push_str(&format!("{account};{date};paiement;-1,00;Virement;T-{i}\n"));
    }
    std::fs::write(&csv, text).expect("write csv");
    let before: i64 = one(&db, "SELECT COUNT(*) FROM entries");
    let balances = rows(
        &db,
        "SELECT household_id, cents FROM balances ORDER BY household_id",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_impayes"))
        .args([
            "--db",
            db.to_str().expect("utf-8 path"),
            "--user",
            "cmartin",
        ])
        .args(["--today", "2026-11-22", "import", "accounts"])
        .arg(&csv)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("gros.csv:15001:2 : date « 31/02/2026 » illisible"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert_eq!(one::<i64>(&db, "SELECT COUNT(*) FROM entries"), before);
    assert_eq!(
        rows(
            &db,
            "SELECT household_id, cents FROM balances ORDER BY household_id"
        ),
        balances
    );
}

fn line(
    account: &str,
    date: NaiveDate,
    kind: EntryKind,
    cents: i64,
    label: &str,
    reference: Option<&str>,
) -> SourceLine<'static> {
    SourceLine {
        account: Cow::Owned(account.to_string()),
        date,
        kind,
        cents,
        label: Cow::Owned(label.to_string()),
        reference: reference.map(|r| Cow::Owned(r.to_string())),
        name: None,
    }
}

/// Lines in no account order, with a reference repeated on one account (ranks), the same
/// reference on two accounts, identical unreferenced payments on one day, and a line equal
/// to an entry the account already holds without reference (the demo's).
fn mixed_lines(db: &Path, accounts: &[(i64, String)]) -> Vec<SourceLine<'static>> {
    let (a, b, c) = (&accounts[3].1, &accounts[1].1, &accounts[2].1);
    let (date, kind, cents, label): (String, String, i64, String) = rusqlite::Connection::open(db)
        .expect("open")
        .query_row(
            "SELECT date, kind, amount_cents, label FROM entries WHERE household_id = ?1
             AND reference IS NULL ORDER BY id LIMIT 1",
            [accounts[2].0],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("an entry of the demo");
    let old = line(
        c,
        NaiveDate::parse_from_str(&date, "%Y-%m-%d").expect("date"),
        EntryKind::from_code(&kind).expect("kind"),
        cents,
        &label,
        None,
    );
    vec![
        line(
            a,
            d(2026, 11, 5),
            EntryKind::RentCall,
            50_000,
            "Loyer",
            Some("Q-1"),
        ),
        line(
            b,
            d(2026, 11, 5),
            EntryKind::RentCall,
            40_000,
            "Loyer",
            Some("Q-1"),
        ),
        line(
            a,
            d(2026, 11, 3),
            EntryKind::Payment,
            -10_000,
            "Virement",
            None,
        ),
        old.clone(),
        line(
            a,
            d(2026, 11, 5),
            EntryKind::Fees,
            1_000,
            "Frais",
            Some("Q-1"),
        ),
        line(
            b,
            d(2026, 11, 3),
            EntryKind::Payment,
            -10_000,
            "Virement",
            None,
        ),
        line(
            a,
            d(2026, 11, 3),
            EntryKind::Payment,
            -10_000,
            "Virement",
            None,
        ),
        line(
            c,
            d(2026, 11, 9),
            EntryKind::Payment,
            -5_000,
            "Chèque",
            None,
        ),
        old,
        line(
            a,
            d(2026, 11, 1),
            EntryKind::HousingBenefit,
            -20_000,
            "APL",
            Some("Q-1"),
        ),
    ]
}

/// Imports `lines` (twice: the second time must add nothing), queued by batches of `batch`
/// lines, or one by one through `push` when `batch` is 0.
fn import_lines(db: &Path, lines: &[SourceLine<'static>], batch: usize) -> (u64, u64) {
    let mut store = Store::open(db).expect("open");
    let mut counts = Vec::new();
    for _ in 0..2 {
        let c = store
            .bulk(true, |conn| -> impayes::store::Result<_> {
                let mut sink =
                    AccountSink::new(conn, Stamp::on("cmartin", today()), UnknownAccounts::Refuse)?;
                if batch > 0 {
                    sink.set_batch_lines(batch);
                }
                for l in lines {
                    if batch == 0 {
                        let (base, content) = reference_base(l);
                        sink.push(l, &base, content)?;
                    } else {
                        let hid = sink.household(l)?.expect("known account");
                        let content_base = match reference_base(l) {
                            (base, true) => Some(base.into_owned()),
                            (_, false) => None,
                        };
                        sink.queue(hid, l.clone(), content_base)?;
                    }
                }
                Ok(sink.finish()?.0)
            })
            .expect("import");
        counts.push((c.added, c.duplicates));
    }
    assert_eq!(
        counts[1],
        (0, lines.len() as u64),
        "a second import adds nothing"
    );
    counts[0]
}

#[test]
fn batches_in_household_order_write_what_a_line_by_line_import_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, accounts) = demo(dir.path(), 12);
    let lines = mixed_lines(&db, &accounts);
    let (one_by_one, batched) = (copy(&db, "one.sqlite3"), copy(&db, "batched.sqlite3"));
    let a = import_lines(&one_by_one, &lines, 0);
    let b = import_lines(&batched, &lines, 3);
    assert_eq!(a, b);
    // 10 lines: the line equal to the demo's entry matches it once (the second is new).
    assert_eq!(a, (9, 1));
    // Each account's new entries, in id order, with their references and balances.
    let sql = "SELECT household_id, date, kind, amount_cents, label, reference,
                      (SELECT cents FROM balances b WHERE b.household_id = e.household_id)
               FROM entries e WHERE recorded_by = 'cmartin' ORDER BY household_id, id";
    let (ra, rb) = (rows(&one_by_one, sql), rows(&batched, sql));
    assert_eq!(ra, rb);
    assert!(ra.contains("Q-1:2"), "{ra}");
    assert!(ra.contains("Q-1:3"), "{ra}");
}

fn detect_after(db: &Path, lines: &[SourceLine<'static>], parallel: bool) -> DetectionReport {
    let mut store = Store::open(db).expect("open");
    store
        .bulk(true, |conn| -> impayes::store::Result<_> {
            let mut sink =
                AccountSink::new(conn, Stamp::on("cmartin", today()), UnknownAccounts::Create)?;
            for l in lines {
                let hid = sink.household(l)?.expect("created or known");
                let content_base = match reference_base(l) {
                    (base, true) => Some(base.into_owned()),
                    (_, false) => None,
                };
                sink.queue(hid, l.clone(), content_base)?;
            }
            let (_, written): (_, Written) = sink.finish()?;
            let stamp = Stamp::on("cmartin", today());
            if parallel {
                detect_arrears_after_writes(
                    conn,
                    today(),
                    &DetectionRules::default(),
                    &stamp,
                    Some(&written),
                )
            } else {
                detect_arrears(conn, today(), &DetectionRules::default(), &stamp)
            }
        })
        .expect("import and detection")
}

#[test]
fn the_detection_on_two_connections_after_an_import_is_the_detection_on_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, accounts) = demo(dir.path(), 150);
    // Unpaid rents on a third of the accounts (some opened dossiers, some debts grow), a
    // payment that clears another third, a new account, and entries dated after the day.
    let mut lines = Vec::new();
    for (i, (_, account)) in accounts.iter().enumerate() {
        match i % 3 {
            0 => lines.push(line(
                account,
                d(2026, 9, 5),
                EntryKind::RentCall,
                60_000,
                "Loyer",
                Some(&format!("R-{i}")),
            )),
            1 => lines.push(line(
                account,
                d(2026, 11, 2),
                EntryKind::Payment,
                -900_000,
                "Virement",
                Some(&format!("P-{i}")),
            )),
            _ => lines.push(line(
                account,
                d(2026, 12, 5),
                EntryKind::RentCall,
                70_000,
                "Loyer",
                Some(&format!("F-{i}")),
            )),
        }
    }
    lines.push(line(
        "411-NOUVEAU",
        d(2026, 8, 5),
        EntryKind::RentCall,
        45_000,
        "Loyer",
        Some("N-1"),
    ));
    let (one_conn, two_conns) = (copy(&db, "one.sqlite3"), copy(&db, "two.sqlite3"));
    let a = detect_after(&one_conn, &lines, false);
    let b = detect_after(&two_conns, &lines, true);
    assert!(!a.opened.is_empty(), "{a:?}");
    assert!(a.flagged.values().sum::<usize>() > 0, "{a:?}");
    assert_eq!(a, b);
    for sql in [
        "SELECT dossier_id, flag, since FROM dossier_flags ORDER BY 1, 2",
        "SELECT id, household_id, phase, referent_cesf, referent_amicable, referent_litigation,
                opened_on, open_reason FROM dossiers ORDER BY id",
        "SELECT id, status, status_on FROM plans ORDER BY id",
    ] {
        assert_eq!(rows(&one_conn, sql), rows(&two_conns, sql), "{sql}");
    }
}

/// Lines of three accounts in no order, many sharing a reference base: a base repeated within
/// an account (ranks), across the accounts, a source reference equal to another's second
/// rank (`Q-1:2`), identical unreferenced payments.
fn repeating_lines(accounts: &[(i64, String)]) -> Vec<SourceLine<'static>> {
    let refs = [Some("Q-1"), Some("Q-2"), None, Some("Q-1:2"), Some("Q-3")];
    (0..60)
        .map(|i: usize| {
            let account = &accounts[(i * 7) % 3 + 1].1;
            let kind = [EntryKind::RentCall, EntryKind::Payment, EntryKind::Fees][i % 3];
            line(
                account,
                d(2026, 11, 1 + (i % 4) as u32),
                kind,
                if kind == EntryKind::Payment {
                    -700
                } else {
                    900
                },
                "Ligne",
                refs[(i * 3) % refs.len()],
            )
        })
        .collect()
}

/// Imports `lines` into `db` (by `push` when `batch` is 0, else by batches of `batch` lines
/// written `rows` to a statement); returns (added, duplicates).
fn import_by(db: &Path, lines: &[SourceLine<'static>], batch: usize, rows: usize) -> (u64, u64) {
    import_probing(db, lines, batch, rows, None)
}

/// `import_by`, the settled tier looked up by a helper for batches from `probe` lines (the
/// writer waits for all its answers).
fn import_probing(
    db: &Path,
    lines: &[SourceLine<'static>],
    batch: usize,
    rows: usize,
    probe: Option<usize>,
) -> (u64, u64) {
    let mut store = Store::open(db).expect("open");
    let c = store
        .bulk(true, |conn| -> impayes::store::Result<_> {
            let mut sink =
                AccountSink::new(conn, Stamp::on("cmartin", today()), UnknownAccounts::Refuse)?;
            sink.set_batch_lines(batch.max(1));
            sink.set_rows_per_statement(rows);
            sink.set_probe_ahead(probe, true);
            for l in lines {
                let (base, content) = reference_base(l);
                if batch == 0 {
                    sink.push(l, &base, content)?;
                } else {
                    let hid = sink.household(l)?.expect("known account");
                    sink.queue(hid, l.clone(), content.then(|| base.into_owned()))?;
                }
            }
            Ok(sink.finish()?.0)
        })
        .expect("import");
    (c.added, c.duplicates)
}

/// The lines as a batched import writes them: each batch of `batch` lines in household
/// order (stable).
fn in_batch_order(
    db: &Path,
    lines: &[SourceLine<'static>],
    batch: usize,
) -> Vec<SourceLine<'static>> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let id = |l: &SourceLine<'_>| -> i64 {
        conn.query_row(
            "SELECT id FROM households WHERE account = ?1",
            [l.account.as_ref()],
            |r| r.get(0),
        )
        .expect("account")
    };
    lines
        .chunks(batch)
        .flat_map(|chunk| {
            let mut c: Vec<_> = chunk.iter().map(|l| (id(l), l.clone())).collect();
            c.sort_by_key(|(h, _)| *h);
            c.into_iter().map(|(_, l)| l)
        })
        .collect()
}

/// The first line where two renderings differ.
fn first_difference(a: &str, b: &str) -> Option<(usize, String, String)> {
    let (mut la, mut lb) = (a.lines(), b.lines());
    for i in 0.. {
        match (la.next(), lb.next()) {
            (None, None) => return None,
            (x, y) if x == y => {}
            (x, y) => return Some((i, x.unwrap_or("").into(), y.unwrap_or("").into())),
        }
    }
    None
}

#[test]
fn multi_row_statements_write_the_ids_and_ranks_of_a_line_by_line_import() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, accounts) = demo(dir.path(), 12);
    let lines = repeating_lines(&accounts);
    let sql = "SELECT id, household_id, date, kind, amount_cents, label, reference FROM entries
               ORDER BY id";
    // Batches of 2 and 3 lines split an account's repeats over batches: a first rank then
    // meets an entry of this import inside a statement, whose later rows are written again.
    for (batch, per_statement) in [(1000, 16), (2, 16), (3, 2), (7, 3), (5, 1)] {
        // An earlier export (the first 35 lines), then the newer one that overlaps it, line
        // by line in the order the batches write them, then by batches.
        let (older, newer) = (&lines[..35], &lines[..]);
        let reference = copy(&db, &format!("l{batch}_{per_statement}.sqlite3"));
        let expected = [
            import_by(&reference, &in_batch_order(&db, older, batch), 0, 1),
            import_by(&reference, &in_batch_order(&db, newer, batch), 0, 1),
        ];
        assert_eq!(expected[1].0, 25, "the newer export adds its last 25 lines");
        let want = rows(&reference, sql);
        assert!(want.contains("\"Q-1:2:2\""), "{want}");
        assert!(want.contains("\"Q-2:4\""), "{want}");
        let db = copy(&db, &format!("b{batch}_{per_statement}.sqlite3"));
        let got = [
            import_by(&db, older, batch, per_statement),
            import_by(&db, newer, batch, per_statement),
        ];
        assert_eq!(got, expected, "batch {batch}, {per_statement} a statement");
        for sql in [
            sql,
            "SELECT household_id, cents FROM balances ORDER BY household_id",
            "SELECT * FROM ledger_years ORDER BY year, household_id",
            "SELECT * FROM ledger_days ORDER BY date, kind, sector, after_left",
        ] {
            assert_eq!(
                first_difference(&rows(&db, sql), &rows(&reference, sql)),
                None,
                "batch {batch}, {per_statement} a statement: {sql}"
            );
        }
        assert_eq!(import_by(&db, newer, batch, per_statement), (0, 60));
    }
}

#[test]
fn settled_references_looked_up_by_a_helper_give_the_writers_own_results() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, accounts) = demo(dir.path(), 12);
    let lines = repeating_lines(&accounts);
    let (older, newer) = (&lines[..35], &lines[..]);
    let sql = "SELECT id, household_id, date, kind, amount_cents, label, reference FROM entries
               ORDER BY id";
    for (batch, per_statement) in [(1000, 16), (3, 2), (7, 3)] {
        // The older export is settled before the newer one comes: its lines are found in the
        // settled tier, by the writer itself or by the helper.
        let mut results = Vec::new();
        for probe in [None, Some(1)] {
            let db = copy(&db, &format!("p{batch}_{per_statement}_{probe:?}.sqlite3"));
            let first = import_probing(&db, older, batch, per_statement, probe);
            let settled = Store::open(&db)
                .expect("open")
                .settle_recent()
                .expect("settle");
            assert_eq!(settled.entries, first.0);
            let counts = [
                first,
                import_probing(&db, newer, batch, per_statement, probe),
                import_probing(&db, newer, batch, per_statement, probe),
            ];
            results.push((counts, rows(&db, sql)));
        }
        let at = format!("batch {batch}, {per_statement} a statement");
        assert_eq!(results[0].0, results[1].0, "{at}");
        assert_eq!(first_difference(&results[0].1, &results[1].1), None, "{at}");
        let (counts, rows) = &results[1];
        assert_eq!(counts[1].0, 25, "the newer export adds its last 25 lines");
        assert_eq!(counts[2], (0, 60), "a third import adds nothing");
        assert!(rows.contains("\"Q-1:2:2\""), "{rows}");
    }
}

/// Imports `lines` with unknown accounts created, the day sums and the new years' closings
/// made on a second connection from `ahead` new entries (the import fails if it cannot) or by
/// the writer alone (None).
fn import_summing(db: &Path, lines: &[SourceLine<'static>], ahead: Option<usize>) -> (u64, u64) {
    let mut store = Store::open(db).expect("open");
    let c = store
        .bulk(true, |conn| -> impayes::store::Result<_> {
            let mut sink =
                AccountSink::new(conn, Stamp::on("cmartin", today()), UnknownAccounts::Create)?;
            sink.set_batch_lines(4);
            sink.set_days_ahead(ahead, true);
            for l in lines {
                let (base, content) = reference_base(l);
                let hid = sink.household(l)?.expect("account known or created");
                sink.queue(hid, l.clone(), content.then(|| base.into_owned()))?;
            }
            Ok(sink.finish()?.0)
        })
        .expect("import");
    (c.added, c.duplicates)
}

#[test]
fn sums_made_on_a_second_connection_are_the_writers_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (db, accounts) = demo(dir.path(), 30);
    let departed: Vec<String> = {
        let conn = rusqlite::Connection::open(&db).expect("open");
        let mut stmt = conn
            .prepare("SELECT account FROM households WHERE left_on IS NOT NULL ORDER BY id")
            .expect("prepare");
        stmt.query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("departed")
    };
    assert!(!departed.is_empty(), "the demo has departed households");
    // The mixed lines, two accounts the import creates (no filing yet: the writer files
    // them), and payments of departed households dated after they left.
    let mut lines = mixed_lines(&db, &accounts);
    for (k, account) in ["411-NOUVEAU-1", "411-NOUVEAU-2"].into_iter().enumerate() {
        lines.push(line(
            account,
            d(2026, 11, 2 + k as u32),
            EntryKind::RentCall,
            45_000,
            "Loyer",
            Some("N-1"),
        ));
    }
    // Lines of the year after the base's last: their yearly rows open with the closing of
    // that year, read ahead by the helper (or not: a created account has none).
    for account in [&accounts[5].1, &accounts[6].1, &"411-NOUVEAU-1".to_string()] {
        lines.push(line(
            account,
            d(2027, 1, 4),
            EntryKind::RentCall,
            50_000,
            "Loyer janvier",
            Some("J-1"),
        ));
    }
    for (k, account) in departed.iter().take(3).enumerate() {
        lines.push(line(
            account,
            d(2026, 11, 10 + k as u32),
            EntryKind::Payment,
            -2_500,
            "Versement",
            None,
        ));
    }
    let sql = [
        "SELECT * FROM ledger_days ORDER BY date, kind, sector, after_left",
        "SELECT * FROM ledger_households ORDER BY household_id",
        "SELECT * FROM ledger_years ORDER BY year, household_id",
        "SELECT * FROM balances ORDER BY household_id",
        "SELECT * FROM ledger_state",
    ];
    let filed: i64 = one(&db, "SELECT COUNT(*) FROM ledger_households");
    let mut results = Vec::new();
    for ahead in [None, Some(1)] {
        let db = copy(&db, &format!("ahead_{ahead:?}.sqlite3"));
        let counts = import_summing(&db, &lines, ahead);
        assert_eq!(
            counts.0,
            lines.len() as u64 - 1,
            "one line is the demo's own"
        );
        assert!(Store::open(&db).expect("open").check().expect("check").ok());
        let now: i64 = one(&db, "SELECT COUNT(*) FROM ledger_households");
        assert_eq!(now, filed + 2, "the created households are filed");
        results.push(sql.map(|q| rows(&db, q)));
    }
    for (k, q) in sql.iter().enumerate() {
        assert_eq!(
            first_difference(&results[0][k], &results[1][k]),
            None,
            "{q}"
        );
    }
}
