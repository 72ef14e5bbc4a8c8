-- Migration 9: each household's account summed per calendar year (issue 10), kept current at
-- write time by the same catch-up as the day sums, so that the debts of a year's figures read
-- a few small rows per household instead of months of entries (store::ledger_years).
--
-- `net_cents` is the sum of the household's entries dated in the year; `charges_cents` and
-- `charges_q4_cents` the sums of its positive entries dated January to September and October
-- to December (the debt's age buckets at the year's end). The rows cover the entries whose id
-- is at most `ledger_state.last_entry_id`, like `ledger_days`. Keyed by year first: a year's
-- figures read each year's rows as one range.
CREATE TABLE ledger_years (
    year INTEGER NOT NULL,
    household_id INTEGER NOT NULL,
    net_cents INTEGER NOT NULL,
    charges_cents INTEGER NOT NULL,
    charges_q4_cents INTEGER NOT NULL,
    PRIMARY KEY (year, household_id)
) STRICT, WITHOUT ROWID;

-- Filled by the migration's hook (store::ledger_years::fill): one pass over the account index
-- in household order.

-- The other reads of a year's figures, each from an index that holds just what it needs, so
-- that they touch a few megabytes instead of the wide tables' pages (on a large file most of
-- the time went to reading pages from disk). Built here in one go, their pages also follow
-- each other in the file, where the older indexes and tables, grown row by row, are scattered
-- (a range of them costs a disk seek per page):
-- the events counted by their kind alone (relances are most events);
CREATE INDEX events_counted ON events(kind, date, dossier_id)
    WHERE kind IN ('reminder', 'plan_signed', 'payment_order', 'ccapex_referral', 'summons',
        'eviction_order', 'police_request', 'eviction');
-- the phase each dossier was in at the period's end (the first phase change after it);
CREATE INDEX events_phase_changes ON events(kind, date, dossier_id, data)
    WHERE kind = 'phase_change';
-- the CESF's work and home visits, counted by author;
CREATE INDEX events_cesf ON events(kind, date, dossier_id, author)
    WHERE kind IN ('home_visit', 'budget_review', 'aid_request', 'aid_decision',
        'social_diagnosis', 'note');
-- the judgements and police decisions, with the fields that tell their outcome;
CREATE INDEX events_rulings ON events(kind, date, dossier_id, data)
    WHERE kind IN ('judgement', 'police_decision');
-- every dossier's household, dates, phase and reason;
CREATE INDEX dossiers_figures ON dossiers(household_id, opened_on, closed_on, phase, open_reason);
-- each household's leases, each household's departure date, and each home's sector.
CREATE INDEX leases_figures ON leases(household_id, start_on, end_on, home_id);
CREATE INDEX households_left_on ON households(left_on);
CREATE INDEX homes_sector ON homes(sector);
