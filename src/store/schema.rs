//! The schema, as a list of migrations. Every change to the schema is a new entry at the end;
//! an entry once released is never edited.

use rusqlite_migration::{M, Migrations};

/// Migration 1: households, homes, leases, accounts, dossiers, events and plans.
const V1: &str = r#"
CREATE TABLE sectors (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
) STRICT;

CREATE TABLE staff (
    login TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('cesf', 'amicable', 'litigation', 'manager')),
    phone TEXT,
    active INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE staff_sectors (
    login TEXT NOT NULL REFERENCES staff(login),
    sector TEXT NOT NULL REFERENCES sectors(code),
    PRIMARY KEY (login, sector)
) STRICT, WITHOUT ROWID;

CREATE TABLE homes (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL,
    postcode TEXT NOT NULL,
    commune TEXT NOT NULL,
    departement TEXT NOT NULL,
    sector TEXT NOT NULL REFERENCES sectors(code)
) STRICT;

CREATE TABLE households (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL UNIQUE,
    holder TEXT NOT NULL,
    co_holder TEXT,
    phone TEXT,
    email TEXT,
    size INTEGER NOT NULL DEFAULT 1 CHECK (size > 0),
    housing_benefit_cents INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('present', 'departed')),
    left_on TEXT,
    forwarding_address TEXT,
    -- Sum of the account's entries, kept current by every write to `entries`.
    balance_cents INTEGER NOT NULL DEFAULT 0,
    -- Folded (lowercase, no accents) account, names, address and phone for the lookup.
    search_key TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE leases (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households(id),
    home_id INTEGER NOT NULL REFERENCES homes(id),
    start_on TEXT NOT NULL,
    concluded_on TEXT NOT NULL,
    rent_cents INTEGER NOT NULL CHECK (rent_cents >= 0),
    charges_cents INTEGER NOT NULL CHECK (charges_cents >= 0),
    end_on TEXT
) STRICT;
CREATE INDEX leases_household ON leases(household_id, start_on);
CREATE INDEX leases_home ON leases(home_id);

CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('rent_call', 'payment', 'housing_benefit', 'aid',
        'regularisation', 'fees', 'credit_note', 'write_off')),
    amount_cents INTEGER NOT NULL,
    label TEXT NOT NULL,
    reference TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX entries_household_date ON entries(household_id, date);
CREATE INDEX entries_kind_date ON entries(kind, date);
CREATE UNIQUE INDEX entries_reference ON entries(household_id, reference)
    WHERE reference IS NOT NULL;

CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households(id),
    phase TEXT NOT NULL CHECK (phase IN ('prevention', 'amicable', 'litigation', 'departed',
        'closed')),
    referent_cesf TEXT REFERENCES staff(login),
    referent_amicable TEXT REFERENCES staff(login),
    referent_litigation TEXT REFERENCES staff(login),
    -- Comma-separated cause codes (see domain::dossier::Cause).
    causes TEXT NOT NULL DEFAULT '',
    next_action TEXT,
    next_action_on TEXT,
    opened_on TEXT NOT NULL,
    open_reason TEXT NOT NULL,
    closed_on TEXT,
    close_reason TEXT,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((phase = 'closed') = (closed_on IS NOT NULL))
) STRICT;
CREATE INDEX dossiers_household ON dossiers(household_id);
CREATE INDEX dossiers_open ON dossiers(phase) WHERE closed_on IS NULL;

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    -- The kind's fields as JSON (domain::event::EventDetail).
    data TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX events_dossier_date ON events(dossier_id, date);
CREATE INDEX events_kind_date ON events(kind, date);

CREATE TABLE plans (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    signed_on TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    caf_approved INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('active', 'respected', 'broken', 'replaced')),
    status_on TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX plans_dossier ON plans(dossier_id);

CREATE TABLE instalments (
    plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    due_on TEXT NOT NULL,
    amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
    PRIMARY KEY (plan_id, seq)
) STRICT, WITHOUT ROWID;
"#;

/// Migration 2: the flags the arrears detection sets on dossiers for an officer to act on
/// (soldé à clore, signalement CAF/MSA à faire, prescription proche), and the log of imports.
/// The entries table is rebuilt, identical but for its nature check written as comparisons:
/// SQLite evaluates an `IN (…)` list in a CHECK by building a temporary b-tree for every row,
/// which made inserting an entry three times as costly (imports, the demo).
const V2: &str = r#"
CREATE TABLE entries_v2 (
    id INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households(id),
    date TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'rent_call' OR kind = 'payment'
        OR kind = 'housing_benefit' OR kind = 'aid' OR kind = 'regularisation'
        OR kind = 'fees' OR kind = 'credit_note' OR kind = 'write_off'),
    amount_cents INTEGER NOT NULL,
    label TEXT NOT NULL,
    reference TEXT,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;
INSERT INTO entries_v2 (id, household_id, date, kind, amount_cents, label, reference,
        recorded_by, recorded_at)
    SELECT id, household_id, date, kind, amount_cents, label, reference, recorded_by,
        recorded_at FROM entries;
DROP TABLE entries;
ALTER TABLE entries_v2 RENAME TO entries;
CREATE INDEX entries_household_date ON entries(household_id, date);
CREATE INDEX entries_kind_date ON entries(kind, date);
CREATE UNIQUE INDEX entries_reference ON entries(household_id, reference)
    WHERE reference IS NOT NULL;

CREATE TABLE dossier_flags (
    dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
    flag TEXT NOT NULL CHECK (flag IN ('settled', 'caf_report', 'prescription')),
    -- Date the detection first saw the condition.
    since TEXT NOT NULL,
    PRIMARY KEY (dossier_id, flag)
) STRICT;

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    file TEXT NOT NULL,
    format TEXT NOT NULL,
    lines INTEGER NOT NULL,
    added INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    households_created INTEGER NOT NULL,
    dossiers_opened INTEGER NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
) STRICT;
"#;

/// Migration 3: officers' actions ("Mes actions"). Later migrations live in `migrations/`, one
/// file each.
const V3: &str = include_str!("migrations/v3_actions.sql");

/// Migration 4: the monthly review (meetings, agenda items, decisions).
const V4_REVIEW: &str = include_str!("migrations/v4_review.sql");

/// Migration 5: audit log, admin role, dossier row version, shared notes (issue 9).
const V5_AUDIT: &str = include_str!("migrations/v5_audit.sql");

/// Migration 6: covering indexes for the figures' sums over entries and events (issue 7).
const V6_STATS: &str = include_str!("migrations/v6_stats.sql");

/// Migration 7: the figures' account sums per day, kept current at write time (issue 10).
const V7_LEDGER: &str = include_str!("migrations/v7_ledger.sql");

/// Migration 8: a partial index on the balance for the workstation's first frame (issue 10).
const V8_FIRST_PAGE: &str = include_str!("migrations/v8_first_page.sql");

/// Migration 9: each household's account summed per year, kept current at write time (issue 10).
const V9_LEDGER_YEARS: &str = include_str!("migrations/v9_ledger_years.sql");

/// Migration 10: the entries' (kind, date) index replaced by a slim date index (import speed).
const V10_ENTRIES_DATE: &str = include_str!("migrations/v10_entries_date.sql");

/// Migration 11: yearly opening balances and the phase changes' origin indexed (issue 10).
const V11_YEAR_OPENINGS: &str = include_str!("migrations/v11_year_openings.sql");

/// Migration 12: the entries' date index dropped, each year's latest entry date kept (issue 4).
const V12_NO_DATE_INDEX: &str = include_str!("migrations/v12_entries_without_date_index.sql");

/// Migration 13: balances moved out of the wide households rows into a table of their own
/// (issue 4).
const V13_BALANCES: &str = include_str!("migrations/v13_balances.sql");

/// Migration 14: the entries' indexes keyed by a tier first, so that an import writes into
/// the small recent part of them (issue 4).
const V14_ENTRY_TIERS: &str = include_str!("migrations/v14_entry_tiers.sql");

/// Migration 15: the entries' account index carries the kind, so that the detection reads
/// ledgers from the index alone (issue 4).
const V15_LEDGER_COVERING: &str = include_str!("migrations/v15_ledger_covering.sql");

/// Migration 16: the index of positive balances dropped, so that an import's balance updates
/// touch one B-tree (issue 4).
const V16_BALANCES_UNINDEXED: &str = include_str!("migrations/v16_balances_unindexed.sql");

/// Migration 17: each household's latest yearly sums kept in its balance row, so that an
/// import updates one row per household (issue 4).
const V17_LATEST_YEAR: &str = include_str!("migrations/v17_latest_year_in_balances.sql");

/// The migrations, oldest first; the schema version is their count.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(V1),
        M::up(V2),
        M::up(V3),
        M::up(V4_REVIEW),
        M::up(V5_AUDIT).foreign_key_check(),
        M::up(V6_STATS),
        M::up_with_hook(V7_LEDGER, |tx: &rusqlite::Transaction| {
            super::ledger::fill_days(tx).map_err(Into::into)
        }),
        M::up(V8_FIRST_PAGE),
        M::up_with_hook(V9_LEDGER_YEARS, |tx: &rusqlite::Transaction| {
            super::ledger_years::fill(tx).map_err(Into::into)
        }),
        M::up(V10_ENTRIES_DATE),
        M::up(V11_YEAR_OPENINGS),
        M::up(V12_NO_DATE_INDEX),
        M::up(V13_BALANCES).foreign_key_check(),
        M::up(V14_ENTRY_TIERS),
        M::up(V15_LEDGER_COVERING),
        M::up(V16_BALANCES_UNINDEXED),
        M::up(V17_LATEST_YEAR),
    ])
}

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 17;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().expect("migrations apply cleanly");
    }

    #[test]
    fn migration_14_files_every_entry_in_the_settled_tier() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("open");
        migrations().to_version(&mut conn, 13).expect("to 13");
        conn.execute_batch(
            "INSERT INTO households (id, account, holder, status, created_by, created_at,
                updated_by, updated_at) VALUES (1, '411-1', 'A', 'present', 't', 't', 't', 't');
             INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
                recorded_by, recorded_at) VALUES
                (1, '2026-10-01', 'rent_call', 50000, 'Loyer', NULL, 't', 't'),
                (1, '2026-10-05', 'payment', -50000, 'Virement', 'VIR-1', 't', 't');",
        )
        .expect("entries");
        migrations().to_latest(&mut conn).expect("to latest");
        let tiers: Vec<i64> = conn
            .prepare("SELECT tier FROM entries ORDER BY id")
            .expect("prepare")
            .query_map([], |r| r.get(0))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(tiers, [0, 0]);
        // The reference stays unique in its tier; a tier other than 0 or 1 is refused.
        let again = conn.execute(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
                recorded_by, recorded_at) VALUES (1, '2026-10-06', 'payment', -1, 'x', 'VIR-1',
                't', 't')",
            [],
        );
        assert!(again.is_err());
        let odd = conn.execute(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label, recorded_by,
                recorded_at, tier) VALUES (1, '2026-10-06', 'payment', -1, 'x', 't', 't', 2)",
            [],
        );
        assert!(odd.is_err());
        let indexes: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'
                 AND name IN ('entries_tier_household', 'entries_tier_reference')",
                [],
                |r| r.get(0),
            )
            .expect("indexes");
        assert_eq!(indexes, 2);
    }

    #[test]
    fn migration_13_carries_every_balance_into_its_own_table() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("open");
        migrations().to_version(&mut conn, 12).expect("to 12");
        conn.execute_batch(
            "INSERT INTO households (id, account, holder, status, balance_cents, created_by,
                created_at, updated_by, updated_at) VALUES
                (1, '411-1', 'A', 'present', 12500, 't', 't', 't', 't'),
                (2, '411-2', 'B', 'departed', -300, 't', 't', 't', 't'),
                (3, '411-3', 'C', 'present', 0, 't', 't', 't', 't');",
        )
        .expect("households");
        migrations().to_latest(&mut conn).expect("to latest");
        let balances: Vec<(i64, i64)> = conn
            .prepare("SELECT household_id, cents FROM balances ORDER BY household_id")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(balances, [(1, 12500), (2, -300), (3, 0)]);
        let column: i64 = conn
            .query_row(
                "SELECT COUNT(*) FROM pragma_table_info('households') WHERE name = 'balance_cents'",
                [],
                |r| r.get(0),
            )
            .expect("columns");
        assert_eq!(column, 0);
        let index = |conn: &rusqlite::Connection| -> i64 {
            conn.query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'balances_owing'",
                [],
                |r| r.get(0),
            )
            .expect("index")
        };
        assert_eq!(index(&conn), 0);
        // Migration 13 indexed the positive balances; 16 drops the index.
        let mut at_15 = rusqlite::Connection::open_in_memory().expect("open");
        migrations().to_version(&mut at_15, 15).expect("to 15");
        assert_eq!(index(&at_15), 1);
    }

    #[test]
    fn migration_17_moves_each_households_latest_year_beside_its_balance() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("open");
        migrations().to_version(&mut conn, 16).expect("to 16");
        conn.execute_batch(
            "INSERT INTO households (id, account, holder, status, created_by, created_at,
                updated_by, updated_at) VALUES
                (1, '411-1', 'A', 'present', 't', 't', 't', 't'),
                (2, '411-2', 'B', 'present', 't', 't', 't', 't'),
                (3, '411-3', 'C', 'present', 't', 't', 't', 't');
             INSERT INTO balances (household_id, cents) VALUES (1, 150), (3, 0);
             INSERT INTO ledger_years (year, household_id, net_cents, charges_cents,
                charges_q4_cents, opening_cents, last_on) VALUES
                (2024, 1, 100, 100, 0, 0, '2024-03-01'),
                (2026, 1, 50, 50, 0, 100, '2026-02-01'),
                (2025, 2, 7, 0, 7, 0, '2025-11-02');",
        )
        .expect("rows");
        migrations().to_latest(&mut conn).expect("to latest");
        let earlier: Vec<(i64, i64)> = conn
            .prepare("SELECT year, household_id FROM ledger_years ORDER BY 1, 2")
            .expect("prepare")
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(earlier, [(2024, 1)]);
        type Latest = (i64, i64, Option<i64>, i64, i64, i64, i64, Option<String>);
        let latest: Vec<Latest> = conn
            .prepare(
                "SELECT household_id, cents, year, opening_cents, net_cents, charges_cents,
                    charges_q4_cents, last_on FROM balances ORDER BY household_id",
            )
            .expect("prepare")
            .query_map([], |r| Latest::try_from(r))
            .expect("query")
            .collect::<rusqlite::Result<_>>()
            .expect("rows");
        assert_eq!(
            latest,
            [
                (
                    1,
                    150,
                    Some(2026),
                    100,
                    50,
                    50,
                    0,
                    Some("2026-02-01".into())
                ),
                // No balance row before: one is made (a missing row read as zero).
                (2, 0, Some(2025), 0, 7, 0, 7, Some("2025-11-02".into())),
                (3, 0, None, 0, 0, 0, 0, None),
            ]
        );
    }
}
