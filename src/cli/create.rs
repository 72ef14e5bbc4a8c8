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
    Store::create_with_mode(&ctx.db, ctx.file_mode())?;
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
    months: i32,
    force: bool,
    quiet: bool,
) -> Result<ExitCode> {
    if ctx.db.exists() && !force {
        return Err(StoreError::Exists(ctx.db.clone()).into());
    }
    let tmp = ctx.db.with_extension("sqlite3.part");
    remove_with_sidecars(&tmp)?;
    let started = std::time::Instant::now();
    let mut store = Store::create_with_mode(&tmp, ctx.file_mode())?;
    let opts = DemoOptions {
        households: households as usize,
        seed,
        months,
        today: ctx.today,
    };
    // Generated history is audited as one row, not row by row.
    let generated = store
        .without_audit(&ctx.user, |s| generate(s, &opts))
        .and_then(|r| {
            store.write(|c| {
                crate::store::log_bulk(
                    c,
                    &ctx.user,
                    "demo",
                    "database",
                    None,
                    None,
                    &serde_json::json!({ "households": households, "seed": seed }),
                )
            })?;
            Ok(r)
        });
    let report = match generated {
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
    use crate::domain::dates::format_fr;
    use crate::domain::money::format_eur;
    let n = |v: u64| crate::tui::portfolio::format_count(v as usize);
    outln!(
        "Base de démonstration écrite : {} ({:.1} s)",
        ctx.db.display(),
        elapsed.as_secs_f64()
    );
    outln!(
        "{} logements ; {} ménages présents, {} partis ; {} écritures, {} évènements.",
        n(r.homes),
        n(r.households_present),
        n(r.households_departed),
        n(r.entries),
        n(r.events)
    );
    outln!(
        "Dossiers ouverts : {} locataires présents ({} % des ménages présents), {} partis.",
        n(r.open_dossiers_present),
        r.arrears_share_percent.to_string().replace('.', ","),
        n(r.open_dossiers_departed)
    );
    outln!(
        "Dette : {} (présents), {} (partis) ; moins de 3 mois {}, 3 à 12 mois {}, plus de 12 mois {}.",
        format_eur(r.debt_present),
        format_eur(r.debt_departed),
        format_eur(r.debt_by_age.lt_3_months),
        format_eur(r.debt_by_age.from_3_to_12_months),
        format_eur(r.debt_by_age.gt_12_months)
    );
    outln!(
        "\nActivité du {} au {}      {:>10} {:>18}",
        format_fr(r.period_from),
        format_fr(r.period_to),
        "total",
        format!("pour {} logements", n(crate::demo::REFERENCE_HOMES))
    );
    let (y, s) = (&r.year, &r.year_per_17000_homes);
    for (label, a, b) in [
        ("Relances", y.relances, s.relances),
        ("Visites à domicile", y.home_visits, s.home_visits),
        ("Plans d'apurement signés", y.plans_signed, s.plans_signed),
        ("Commandements de payer", y.payment_orders, s.payment_orders),
        ("Assignations", y.summonses, s.summonses),
        (
            "Résiliations du bail",
            y.lease_terminations,
            s.lease_terminations,
        ),
        (
            "Demandes de concours de la force publique",
            y.police_requests,
            s.police_requests,
        ),
        ("Expulsions", y.evictions, s.evictions),
    ] {
        outln!("  {label:<42} {:>10} {:>18}", n(a), n(b));
    }
    let (d, p) = (&r.detection, &r.plans);
    outln!(
        "\nDétection au {} : {} dossier(s) ouvert(s) ; alertes : {} soldé(s) à clore, {} signalement(s) CAF/MSA à faire, {} prescription(s) proche(s).",
        format_fr(r.period_to),
        n(d.opened),
        n(d.settled),
        n(d.caf_report),
        n(d.prescription)
    );
    outln!(
        "Plans d'apurement : {} en cours, {} respectés, {} rompus, {} remplacés ({} rompu(s) et {} respecté(s) constatés par la détection).",
        n(p.active),
        n(p.respected),
        n(p.broken),
        n(p.replaced),
        n(d.plans_broken),
        n(d.plans_respected)
    );
    outln!(
        "\nEssayez : impayes --db {} search \"beranger\"   puis   impayes --db {} show COMPTE",
        ctx.db.display(),
        ctx.db.display()
    );
}
