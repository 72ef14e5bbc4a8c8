//! `impayes export accounts`: every account entry in the CSV that `import accounts` reads by
//! default (`compte;date;nature;montant;libelle;reference`, decimal comma, dates JJ/MM/AAAA),
//! streamed. Importing the export into the same database adds nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use super::Context;
use super::args::ExportAccountsArgs;
use crate::domain::dates::format_fr;
use crate::domain::import_rules::{DEFAULT_HEADER, format_cents_csv};
use crate::store::{Store, StoreError, for_each_entry, unknown_accounts};

/// Writes the entries of `accounts` (all when empty) to `out`; a UTF-8 BOM first when `bom`
/// (spreadsheets then read the accents right). Returns the number of entries.
pub fn export_accounts(
    store: &Store,
    accounts: &[String],
    out: impl Write,
    bom: bool,
) -> Result<u64> {
    let unknown = unknown_accounts(store.conn(), accounts)?;
    if !unknown.is_empty() {
        bail!(StoreError::UnknownAccount(unknown.join(", ")));
    }
    let mut out = out;
    if bom {
        out.write_all(&[0xEF, 0xBB, 0xBF])?;
    }
    let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(out);
    w.write_record(DEFAULT_HEADER)?;
    let n = for_each_entry(store.conn(), accounts, |row| -> Result<()> {
        w.write_record([
            row.account,
            &format_fr(row.date),
            row.kind.erp_label(),
            &format_cents_csv(row.cents),
            row.label,
            row.reference.unwrap_or(""),
        ])?;
        Ok(())
    })?;
    w.flush()?;
    Ok(n)
}

fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(|ce| {
                matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe)
            })
    })
}

/// Runs `impayes export accounts`.
pub fn run(ctx: &Context, args: &ExportAccountsArgs) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    match &args.output {
        Some(path) => {
            let file = File::create(path)
                .with_context(|| format!("impossible de créer « {} »", path.display()))?;
            let result = export_accounts(&store, &args.accounts, BufWriter::new(file), true);
            match result {
                Ok(n) => {
                    eprintln!("{n} écriture(s) exportée(s) dans « {} ».", path.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    let _ = std::fs::remove_file(path);
                    Err(e)
                }
            }
        }
        None => {
            let stdout = std::io::stdout().lock();
            match export_accounts(&store, &args.accounts, BufWriter::new(stdout), false) {
                Ok(_) => Ok(ExitCode::SUCCESS),
                Err(e) if broken_pipe(&e) => Ok(ExitCode::SUCCESS),
                Err(e) => Err(e),
            }
        }
    }
}
