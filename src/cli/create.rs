//! `impayes init` and `impayes demo`: creating a database.

use std::process::ExitCode;

use anyhow::{Context as _, Result};

use super::Context;
use crate::demo::{DemoOptions, generate};
use crate::store::{Store, StoreError};

/// Households in the default demo database.
pub const DEMO_HOUSEHOLDS: u32 = 20_000;

/// Creates an empty database, refusing to overwrite one.
pub fn init(ctx: &Context) -> Result<ExitCode> {
    Store::create(&ctx.db)?;
    outln!("Base créée : {}", ctx.db.display());
    outln!(
        "Pour la remplir : importez les comptes de l'ERP, ou essayez `impayes demo --db {}`.",
        ctx.db.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes a demo database. With `force`, an existing file is replaced only once the new one is
/// complete (it is built beside it, then renamed), so a failure never loses the old one.
pub fn demo(
    ctx: &Context,
    households: u32,
    seed: u64,
    force: bool,
    quiet: bool,
) -> Result<ExitCode> {
    if ctx.db.exists() && !force {
        return Err(StoreError::Exists(ctx.db.clone()).into());
    }
    let tmp = ctx.db.with_extension("sqlite3.part");
    remove_with_sidecars(&tmp)?;
    let started = std::time::Instant::now();
    let mut store = Store::create(&tmp)?;
    let opts = DemoOptions {
        households: households as usize,
        seed,
        today: ctx.today,
    };
    let report = match generate(&mut store, &opts) {
        Ok(r) => r,
        Err(e) => {
            drop(store);
            let _ = remove_with_sidecars(&tmp);
            return Err(e).context("génération de la démonstration");
        }
    };
    store
        .conn()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .context("écriture de la base")?;
    drop(store);
    remove_with_sidecars(&ctx.db)?;
    std::fs::rename(&tmp, &ctx.db)
        .with_context(|| format!("impossible de renommer la base en « {} »", ctx.db.display()))?;
    remove_with_sidecars(&tmp)?;
    let elapsed = started.elapsed();
    if !quiet {
        print_report(ctx, &report, elapsed);
    }
    Ok(ExitCode::SUCCESS)
}

fn remove_with_sidecars(path: &std::path::Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let p = std::path::PathBuf::from(p);
        if p.exists() {
            std::fs::remove_file(&p)
                .with_context(|| format!("impossible de supprimer « {} »", p.display()))?;
        }
    }
    Ok(())
}

fn print_report(ctx: &Context, r: &crate::demo::DemoReport, elapsed: std::time::Duration) {
    outln!(
        "Base de démonstration écrite : {} ({:.1} s)",
        ctx.db.display(),
        elapsed.as_secs_f64()
    );
    outln!("{r:#?}");
    outln!(
        "Essayez : impayes --db {} search \"beranger\"   puis   impayes --db {} show COMPTE",
        ctx.db.display(),
        ctx.db.display()
    );
}
