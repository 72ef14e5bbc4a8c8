//! The bench's import figures: a CSV of new entries for existing accounts imported as a dry run,
//! then committed into a copy of the database, against `sqlite3 .import` of the same file.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Result;

use super::Report;
use crate::cli::Context;
use crate::store::Store;

/// Import rate: `lines` new entries for existing accounts, imported with `--dry-run` (all
/// the work but the commit, so the database is left as it was) and then for real into a copy
/// of the database (the rate an officer gets: the commit writes every page the import changed
/// twice, to the journal and back into the file), against `sqlite3 .import` of the same file,
/// twice: lines in random account order (the worst case for the entries' indexes), then
/// grouped by account as ERPs export them.
pub(super) fn import_rate(ctx: &Context, r: &mut Report, lines: usize) -> Result<()> {
    let accounts: Vec<String> = {
        let store = Store::open(&ctx.db)?;
        let mut stmt = store.conn().prepare("SELECT account FROM households")?;
        stmt.query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    if accounts.is_empty() {
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    // (account, line number): the lines in random account order, then sorted by account.
    let mut order: Vec<(usize, usize)> = (0..lines)
        .map(|i| ((i * 7919) % accounts.len(), i))
        .collect();
    for grouped in [false, true] {
        if grouped {
            order.sort_by(|a, b| accounts[a.0].cmp(&accounts[b.0]).then(a.1.cmp(&b.1)));
        }
        let name = if grouped { "grouped" } else { "random" };
        let csv = dir.path().join(format!("{name}.csv"));
        write_month(&csv, &accounts, &order, Month::December)?;
        // The next month's file, imported after it into the same copy (see `committed_once`).
        let next = dir.path().join(format!("{name}-next.csv"));
        write_month(&next, &accounts, &order, Month::January)?;
        let label = if grouped {
            "groupées par compte (comme les ERP les exportent)"
        } else {
            "en ordre aléatoire des comptes"
        };
        let theirs = import_once(ctx, r, &csv, lines, label)?;
        committed_once(ctx, r, [&csv, &next], lines, label, dir.path(), theirs)?;
    }
    Ok(())
}

/// The month of a bench file: its dates and its references.
#[derive(Clone, Copy)]
enum Month {
    December,
    January,
}

/// Writes the bench's lines in `order` (account, line number) as `month`'s entries: a rent
/// call, a payment or an APL, with a reference of their own.
fn write_month(
    path: &Path,
    accounts: &[String],
    order: &[(usize, usize)],
    month: Month,
) -> Result<()> {
    let (date, name, prefix) = match month {
        Month::December => ("12/2026", "décembre", "BENCH"),
        Month::January => ("01/2027", "janvier", "BENCJ"),
    };
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "compte;date;nature;montant;libelle;reference")?;
    for &(a, i) in order {
        let account = &accounts[a];
        let (nature, amount) = match i % 3 {
            0 => ("loyer", "512,40"),
            1 => ("paiement", "-300,00"),
            _ => ("apl", "-210,55"),
        };
        let day = 1 + i % 28;
        writeln!(
            w,
            "{account};{day:02}/{date};{nature};{amount};Écriture {nature} {name};{prefix}-{i:09}"
        )?;
    }
    w.flush()?;
    Ok(())
}

/// The bench's import of `csv`: lines of unknown accounts listed, the configured detection.
fn request(ctx: &Context, csv: &Path, dry_run: bool) -> crate::cli::import::ImportRequest {
    crate::cli::import::ImportRequest {
        file: csv.to_path_buf(),
        format: crate::cli::args::ImportFormat::Csv,
        mapping: None,
        encoding: None,
        dry_run,
        skip_invalid: false,
        rejects: None,
        unknown: crate::store::UnknownAccounts::List,
        detection: ctx.config.detection_rules(),
    }
}

/// One dry-run import of `csv` and one `sqlite3 .import` of it; returns sqlite3's rate.
fn import_once(
    ctx: &Context,
    r: &mut Report,
    csv: &Path,
    lines: usize,
    label: &str,
) -> Result<Option<f64>> {
    let req = request(ctx, csv, true);
    let mut store = Store::open(&ctx.db)?;
    let s = Instant::now();
    let outcome =
        crate::cli::import::import_accounts(&mut store, &req, &ctx.user, ctx.today, false)?;
    let total = s.elapsed();
    drop(store);
    let rate = lines as f64 / outcome.import_time.as_secs_f64().max(1e-9);
    r.add(
        format!(
            "Import CSV de {lines} lignes {label} (lecture, écriture ; à blanc, sans validation)"
        ),
        format!("{rate:.0} lignes/s"),
        "",
        None,
    );
    r.add(
        format!("Import CSV, lignes {label} : détection ensuite / total"),
        format!(
            "{:.2} s / {:.2} s",
            outcome.detection_time.as_secs_f64(),
            total.as_secs_f64()
        ),
        "détection ≤ 2 s",
        Some(outcome.detection_time <= Duration::from_secs(2)),
    );
    let target = csv.with_extension("sqlite3");
    let s = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&target)
        .args([
            ".mode csv",
            ".separator ;",
            &format!(".import {} t", csv.display()),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if let Ok(st) = status
        && st.success()
    {
        let theirs = lines as f64 / s.elapsed().as_secs_f64().max(1e-9);
        r.add(
            format!(
                "sqlite3 .import du même fichier {label} (table nue) ; rapport impayes à blanc / sqlite3"
            ),
            format!("{theirs:.0} lignes/s ; {:.2}", rate / theirs),
            "",
            None,
        );
        let _ = std::fs::remove_file(&target);
        return Ok(Some(theirs));
    }
    let _ = std::fs::remove_file(&target);
    Ok(None)
}

/// The same import committed into a copy of the database made in `dir` (flushed to disk
/// first, so that the commit's own flush does not also write the copy), then the next month's
/// file into the same copy, whose lines land next to the first one's in the recent tier (the
/// imports between two settlings, see `store::tiers`). The rates count the reading, the
/// writing and the commit with its checkpoint; the detection, which runs in the same
/// transaction, is left out as in the dry run.
fn committed_once(
    ctx: &Context,
    r: &mut Report,
    files: [&Path; 2],
    lines: usize,
    label: &str,
    dir: &Path,
    sqlite_rate: Option<f64>,
) -> Result<()> {
    // Everything in the main file, so that copying it copies the whole database.
    Store::open(&ctx.db)?
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let copy = dir.join("copie.sqlite3");
    std::fs::copy(&ctx.db, &copy)?;
    std::fs::File::open(&copy)?.sync_all()?;
    let mut settle = None;
    for (k, csv) in files.into_iter().enumerate() {
        let req = request(ctx, csv, false);
        let mut store = Store::open(&copy)?;
        let recent = crate::store::TierSizes::of(store.conn())?.recent;
        let outcome =
            crate::cli::import::import_accounts(&mut store, &req, &ctx.user, ctx.today, false)?;
        // Closing checkpoints what the commit left in the journal.
        let closing = Instant::now();
        drop(store);
        let commit = outcome.commit_time + closing.elapsed();
        settle = outcome.settled.or(settle);
        let rate = lines as f64 / (outcome.import_time + commit).as_secs_f64().max(1e-9);
        let validation = format!("(validation {:.2} s)", commit.as_secs_f64());
        let (what, value) = if k == 0 {
            let ratio = sqlite_rate
                .map(|theirs| format!(" ; rapport impayes / sqlite3 {:.2}", rate / theirs))
                .unwrap_or_default();
            (
                format!(
                    "Import CSV de {lines} lignes {label}, enregistré (copie de la base) : lecture, écriture, validation"
                ),
                format!("{rate:.0} lignes/s {validation}{ratio}"),
            )
        } else {
            (
                format!(
                    "Import du mois suivant dans la même copie ({lines} lignes {label}, {recent} écritures importées non regroupées déjà là)"
                ),
                format!("{rate:.0} lignes/s {validation}"),
            )
        };
        r.add(what, value, "≥ 200000 lignes/s", Some(rate >= 200_000.0));
    }
    // What the imports leave for later: settling their lines into tier 0 (`store::tiers`),
    // which an import does once the imports' lines outgrow their share of the entries.
    if settle.is_none() {
        let mut store = Store::open(&copy)?;
        let s = store.settle_recent()?;
        let closing = Instant::now();
        drop(store);
        settle = Some(crate::store::Settled {
            elapsed: s.elapsed + closing.elapsed(),
            ..s
        });
    }
    let _ = std::fs::remove_file(&copy);
    if let Some(s) = settle {
        r.add(
            format!(
                "Regroupement des {} écritures importées avec les autres (fait quand elles dépassent 1/{} des écritures, ou par compact)",
                s.entries,
                crate::store::SETTLE_SHARE
            ),
            format!("{:.2} s", s.elapsed.as_secs_f64()),
            "",
            None,
        );
    }
    Ok(())
}
