//! The demo database: a simulated landlord of `households` homes in the Ain and the
//! Haut-Rhin, three years of rent calls, APL, payments, move-ins and move-outs, and the
//! service's reactions (relances, plans, CESF follow-ups, court procedures, departed tenants'
//! debts), calibrated on the figures of domain.md §1.
//!
//! Everything is written in one transaction with the store's write functions; the content
//! depends only on the seed and `today` (ChaCha8 random streams, no clock, no hash order).

mod cesf;
mod departed;
mod finish;
mod litigation;
mod names;
mod people;
mod plans;
mod report;
mod service;
mod sim;
mod staff;
mod texts;
mod world;

pub use report::{DemoReport, REFERENCE_HOMES, YearFigures};

use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;

use crate::domain::dates::{add_months, month_start};
use crate::domain::detection::Flag;
use crate::domain::dossier::Cause;
use crate::domain::household::Lease;
use crate::domain::ledger::{DebtByAge, debt_by_age, unpaid_charges};
use crate::store::{Stamp, Store, StoreError, insert_home, insert_household, insert_lease};
use people::HomeSpec;
use sim::{Fate, Tenancy};
use staff::ERP;
use world::World;

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOptions {
    /// Number of homes; each starts with one household, relets add more.
    pub households: usize,
    /// Seed of the random generator: same seed and `today`, same database.
    pub seed: u64,
    /// The simulation runs up to this day.
    pub today: NaiveDate,
    /// Months simulated before the month of `today`.
    pub months: i32,
}

/// Months the demo simulates by default: four years, so that the procedures started in the
/// first one have reached their end (judgements, evictions) in the years the figures cover.
pub const SIMULATED_MONTHS: i32 = 48;

/// Fills a freshly created, empty database with a simulated landlord and returns its figures.
pub fn generate(store: &mut Store, opts: &DemoOptions) -> Result<DemoReport, StoreError> {
    // Generated history is not audited row by row (the caller logs one summary row).
    let actor = store.actor().map(str::to_string);
    store.without_audit(actor.as_deref().unwrap_or(""), |s| generate_bulk(s, opts))
}

fn generate_bulk(store: &mut Store, opts: &DemoOptions) -> Result<DemoReport, StoreError> {
    let homes = opts.households.max(1);
    let today = opts.today;
    let months = opts.months.clamp(12, 240);
    let start = add_months(month_start(today), -months);
    // Bulk-load settings for this connection, restored afterwards: a page cache holding the
    // whole new file (no spilling to the WAL mid-transaction), and no per-row foreign-key and
    // CHECK evaluation (the schema's `IN (...)` lists build a temporary b-tree per row). The
    // rows come from the domain's own types and ids just returned by the store; the tests run
    // `check()` (foreign keys) and the CHECK conditions on generated files.
    let conn = store.conn();
    let old_cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    let old_fk: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
    conn.pragma_update(None, "cache_size", -786_432)?;
    conn.pragma_update(None, "foreign_keys", false)?;
    conn.pragma_update(None, "ignore_check_constraints", true)?;
    let result = store.write(|conn| {
        let stamps = (0..=(today - start).num_days())
            .map(|i| Stamp::on("", start + chrono::Duration::days(i)).at)
            .collect();
        let world = World {
            conn,
            today,
            start,
            months: months as u32 + 1,
            stamps,
            rent_labels: (0..=months)
                .map(|k| world::rent_label(add_months(start, k)))
                .collect(),
        };
        let report = populate(&world, homes, opts.seed)?;
        // The figures' day sums, once for the whole history (store::ledger).
        crate::store::catch_up(conn)?;
        Ok(report)
    });
    let conn = store.conn();
    conn.pragma_update(None, "ignore_check_constraints", false)?;
    conn.pragma_update(None, "foreign_keys", old_fk)?;
    conn.pragma_update(None, "cache_size", old_cache)?;
    result
}

/// Account numbers: increasing, with small gaps as in an ERP, `411-001234`.
struct Accounts {
    last: u32,
}

impl Accounts {
    fn next(&mut self, rng: &mut ChaCha8Rng) -> String {
        self.last += 1 + u32::from(rng.random_bool(0.2)) * rng.random_range(1..=3u32);
        format!("411-{:06}", self.last)
    }
}

/// A random stream per home, so that each home's story depends only on the seed and its rank.
fn home_rng(seed: u64, home: usize) -> ChaCha8Rng {
    let mut x = seed ^ (home as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ChaCha8Rng::seed_from_u64(x ^ (x >> 31))
}

fn populate(w: &World, homes: usize, seed: u64) -> crate::store::Result<DemoReport> {
    let conn: &Connection = w.conn;
    staff::insert_all(conn)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut specs = people::homes(&mut rng, homes);
    for s in specs.iter_mut() {
        s.home.id = insert_home(conn, &s.home)?;
    }
    // Home by home, the household living there when the simulation starts, then the next
    // ones: the households of a home have consecutive ids, so that each account's entries are
    // appended at the end of the indexes. Household 1 is Élodie Béranger.
    let mut accounts = Accounts { last: 1_000 };
    let mut by_age = DebtByAge::default();
    for (i, spec) in specs.iter().enumerate() {
        let mut rng = home_rng(seed, i);
        let account = accounts.next(&mut rng);
        let mut hh = people::household(&mut rng, spec, account, i == 0);
        let start_on = people::initial_lease_start(&mut rng, add_months(w.start, -1));
        let address = spec.home.full_address();
        hh.id = insert_household(conn, &hh, &address, &Stamp::on(ERP, start_on))?;
        let mut lease = Lease {
            id: 0,
            household_id: hh.id,
            home_id: spec.home.id,
            start_on,
            concluded_on: start_on,
            rent: spec.rent,
            charges: spec.charges,
            end_on: None,
        };
        lease.id = insert_lease(conn, &lease)?;
        let mut t = Tenancy::new(&mut rng, hh, lease, spec);
        if i == 0 {
            t.pinned = true;
        } else if rng.random_bool(0.04) {
            // Some shocks are already running when the simulation starts.
            let since = add_months(w.start, -rng.random_range(1..=6));
            t.start_shock(&mut rng, w.start, Some(since));
        }
        simulate_home(w, &mut rng, spec, t, &mut accounts, &mut by_age, i == 0)?;
    }
    // The detection the import runs, so that the demo shows what it finds (dossiers opened
    // at a first unpaid the simulated service has not met yet, flags, plans followed).
    let found = crate::store::detect_arrears(
        conn,
        w.today,
        &crate::domain::detection::DetectionRules::default(),
        &Stamp::on(HEAD_OF_SERVICE, w.today),
    )?;
    // The debt of the dossiers it opened joins the report's ageing.
    for o in &found.opened {
        let household = crate::store::household_of_dossier(conn, o.dossier_id)?;
        let entries = crate::store::entries(conn, household)?;
        let age = debt_by_age(&unpaid_charges(&entries), w.today);
        by_age.lt_3_months += age.lt_3_months;
        by_age.from_3_to_12_months += age.from_3_to_12_months;
        by_age.gt_12_months += age.gt_12_months;
    }
    let flagged = |f: Flag| found.flagged.get(&f).copied().unwrap_or(0) as u64;
    let detection = report::DemoDetection {
        opened: found.opened.len() as u64,
        settled: flagged(Flag::Settled),
        caf_report: flagged(Flag::CafReport),
        prescription: flagged(Flag::Prescription),
        plans_broken: found.plans_broken as u64,
        plans_respected: found.plans_respected as u64,
    };
    report::compute(conn, homes as u64, w.today, by_age, detection)
}

/// Login of the demo's head of service: the author of what its final detection writes (she
/// runs the imports), and who `impayes --demo` works as when no `--user` is given.
pub const HEAD_OF_SERVICE: &str = "cmartin";

/// The story of one home: its tenants one after the other, and the departed ones' debts.
fn simulate_home(
    w: &World,
    rng: &mut ChaCha8Rng,
    spec: &HomeSpec,
    first: Tenancy,
    accounts: &mut Accounts,
    by_age: &mut DebtByAge,
    elodie: bool,
) -> crate::store::Result<()> {
    let mut current = Some(first);
    // Élodie Béranger: a separation eight months ago, a dossier the README can show.
    let elodie_shock = elodie.then(|| add_months(month_start(w.today), -8));
    let mut gone: Vec<Tenancy> = Vec::new();
    let mut vacant_until = 0;
    for k in 0..w.months {
        let ms = w.month_start(k);
        if current.is_none() && k >= vacant_until {
            current = Some(relet(w, rng, spec, ms, accounts)?);
        }
        if let Some(t) = current.as_mut() {
            if elodie_shock == Some(ms) {
                t.set_shock(Cause::Separation, 0.3, Some(add_months(ms, 4)), ms, None);
            }
            if t.present_month(w, rng, ms)? == Fate::Left {
                if let Some(t) = current.take() {
                    gone.push(t);
                }
                vacant_until = k + 1 + vacancy(rng);
            }
        }
        for g in gone.iter_mut() {
            departed::month(g, w, rng, ms)?;
        }
        let (open, closed): (Vec<_>, Vec<_>) = gone.into_iter().partition(|g| g.case.is_some());
        for mut g in closed {
            finish::finish(&mut g, w, rng, by_age)?;
        }
        gone = open;
    }
    for mut t in gone.into_iter().chain(current) {
        finish::finish(&mut t, w, rng, by_age)?;
    }
    Ok(())
}

fn vacancy(rng: &mut ChaCha8Rng) -> u32 {
    match rng.random_range(0..100u32) {
        0..45 => 0,
        45..80 => 1,
        80..92 => 2,
        _ => rng.random_range(3..=6),
    }
}

/// A new household moves into a vacant home on `ms`, with a new lease.
fn relet(
    w: &World,
    rng: &mut ChaCha8Rng,
    spec: &HomeSpec,
    ms: NaiveDate,
    accounts: &mut Accounts,
) -> crate::store::Result<Tenancy> {
    let account = accounts.next(rng);
    let mut hh = people::household(rng, spec, account, false);
    hh.id = insert_household(w.conn, &hh, &spec.home.full_address(), &Stamp::on(ERP, ms))?;
    let mut lease = Lease {
        id: 0,
        household_id: hh.id,
        home_id: spec.home.id,
        start_on: ms,
        concluded_on: ms,
        rent: spec.rent,
        charges: spec.charges,
        end_on: None,
    };
    lease.id = insert_lease(w.conn, &lease)?;
    Ok(Tenancy::new(rng, hh, lease, spec))
}
