//! The letters pane's work, run on the store worker: the batch of the day, and its generation
//! as PDF into the configured directory with the timeline events.

use chrono::NaiveDate;

use super::worker::Reply;
use crate::config::{self, Config};
use crate::domain::letters::Selected;
use crate::letters::batch::{self, Format, Output, Setup};
use crate::store::{Store, StoreError};

fn setup() -> Result<(Config, Setup), String> {
    let config =
        Config::load(&config::config_dir().join("config.toml")).map_err(|e| e.to_string())?;
    let setup = Setup::load(&config).map_err(|e| e.to_string())?;
    Ok((config, setup))
}

/// Computes the batch of `today`.
pub fn plan(store: &mut Store, today: NaiveDate) -> Result<Reply, StoreError> {
    let (config, setup) = match setup() {
        Ok(x) => x,
        Err(e) => return Ok(Reply::Failed(e)),
    };
    Ok(match batch::plan(store, &setup, today, &[]) {
        Ok(b) => Reply::LettersPlan {
            batch: Box::new(b),
            output: batch::default_output(&config, today).display().to_string(),
        },
        Err(e) => Reply::Failed(e.to_string()),
    })
}

/// Generates the kept letters as PDF and records them; answers with a French report.
pub fn generate(
    store: &mut Store,
    user: &str,
    today: NaiveDate,
    selection: &[Selected],
    dir: Option<std::path::PathBuf>,
) -> Result<Reply, StoreError> {
    let (config, setup) = match setup() {
        Ok(x) => x,
        Err(e) => return Ok(Reply::Failed(e)),
    };
    let dir = dir.unwrap_or_else(|| batch::default_output(&config, today));
    let started = std::time::Instant::now();
    let out = match batch::generate(
        store,
        &setup,
        selection,
        today,
        user,
        &Output {
            dir: &dir,
            format: Format::Pdf,
            dry_run: false,
        },
    ) {
        Ok(o) => o,
        Err(e) => return Ok(Reply::Failed(e.to_string())),
    };
    let mut lines = vec![format!(
        "{} courrier(s) écrit(s) dans {} en {:.1} s, {} relance(s) enregistrée(s)",
        out.files.len(),
        dir.display(),
        started.elapsed().as_secs_f64(),
        out.recorded
    )];
    if let Some(c) = &out.combined {
        lines.push(format!("À imprimer : {}", c.display()));
    }
    for (s, reason) in &out.dropped {
        lines.push(format!("Retiré : {} {} : {reason}", s.account, s.name));
    }
    Ok(Reply::LettersDone(lines))
}
