//! Demo database generator (being written: see the helper's task).

mod report;

pub use report::{DemoReport, YearFigures};

use chrono::NaiveDate;

use crate::store::{Store, StoreError};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of homes (each starts with one household; relets add more).
    pub households: usize,
    /// Seed of the random generator: same seed and `today`, same database.
    pub seed: u64,
    /// The simulation runs up to this day.
    pub today: NaiveDate,
}

/// Fills a freshly created, empty database with a simulated landlord.
pub fn generate(store: &mut Store, opts: &DemoOptions) -> Result<DemoReport, StoreError> {
    let _ = (store, opts);
    Err(StoreError::Refused("démonstration en cours d'écriture".into()))
}
