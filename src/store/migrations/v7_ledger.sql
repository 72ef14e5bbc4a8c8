-- Migration 7: the account sums of the figures kept current at write time (issue 10), so that
-- a year's figures read a few thousand summary rows instead of millions of entries.
--
-- `ledger_households` files each household's entries under a sector and a departure date (its
-- latest lease's sector and `left_on` when it was filed); `ledger_days` holds, per day, kind,
-- filed sector and whether the entry is after the departure, the sum and count of the entries
-- whose id is at most `ledger_state.last_entry_id`. A household whose filing no longer matches
-- its sector or departure on a period's last day is corrected from its own entries when the
-- figures are read (store::ledger), so the sums never depend on who changed a lease.
CREATE TABLE ledger_households (
    household_id INTEGER PRIMARY KEY REFERENCES households(id),
    -- Sector code of the household's latest lease when filed; '' without a lease.
    sector TEXT NOT NULL,
    left_on TEXT
) STRICT;

CREATE TABLE ledger_days (
    date TEXT NOT NULL,
    kind TEXT NOT NULL,
    sector TEXT NOT NULL,
    -- 1 when the entry is dated after the household's departure (as filed).
    after_left INTEGER NOT NULL,
    cents INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (date, kind, sector, after_left)
) STRICT, WITHOUT ROWID;

CREATE TABLE ledger_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- Entries up to this id are in ledger_days; later ones are read from `entries`.
    last_entry_id INTEGER NOT NULL
) STRICT;

INSERT INTO ledger_households (household_id, sector, left_on)
    SELECT h.id,
        COALESCE((SELECT ho.sector FROM leases l JOIN homes ho ON ho.id = l.home_id
                  WHERE l.household_id = h.id ORDER BY l.start_on DESC, l.id DESC LIMIT 1), ''),
        h.left_on
    FROM households h;

-- ledger_days is filled by the migration's hook (store::ledger::fill_days): one ordered pass
-- over the (kind, date) index, where a GROUP BY here would sort every entry.

INSERT INTO ledger_state (id, last_entry_id) SELECT 1, COALESCE(MAX(id), 0) FROM entries;
