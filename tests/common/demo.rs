//! A generated demo database for the tests that need a realistic portfolio rather than the
//! hand-computed fixture (every dossier's deadlines, the agenda, the figures on any day).

use std::path::{Path, PathBuf};

use impayes::demo::{DemoOptions, generate};
use impayes::store::Store;

/// A demo of `households` homes generated with `seed` as of `today()`, written to `dir/name`.
pub fn demo_file(dir: &Path, name: &str, households: usize, seed: u64) -> PathBuf {
    let path = dir.join(name);
    let mut store = Store::create(&path).expect("create");
    generate(
        &mut store,
        &DemoOptions {
            households,
            seed,
            months: impayes::demo::SIMULATED_MONTHS,
            today: super::today(),
        },
    )
    .expect("demo");
    path
}
