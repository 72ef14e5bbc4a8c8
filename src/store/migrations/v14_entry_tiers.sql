-- Migration 14: the entries' indexes split into a settled tier and a recent one (import
-- speed, issue 4; see store::tiers).
--
-- Both indexes on entries were keyed by household first. A month's import reaches nearly every
-- household, so it changed nearly every leaf of both: at 100,000 households, with every entry
-- carrying its source reference as imports write them, about 500 MB of index pages written to
-- the WAL and then back into the file for 200,000 lines. Keyed by a tier first, an import
-- writes its lines into the recent tier (tier 1), whose part of the indexes holds only the
-- entries imported since the tiers were last settled; settling (`store::tiers::settle`, run
-- by `compact` and by an import once the recent tier outgrows a share of the entries) moves
-- them into the settled tier (tier 0) in one pass.
--
-- Readers of one household's entries name both tiers (`tier IN (0, 1) AND household_id = ?`),
-- two ranges of the index. A reference is unique on its account across both tiers: each
-- writer looks in the other tier before it writes (the unique index covers one tier).
ALTER TABLE entries ADD COLUMN tier INTEGER NOT NULL DEFAULT 0 CHECK (tier = 0 OR tier = 1);
DROP INDEX entries_household_date;
DROP INDEX entries_reference;
CREATE INDEX entries_tier_household ON entries(tier, household_id, date, id, amount_cents);
CREATE UNIQUE INDEX entries_tier_reference ON entries(tier, household_id, reference)
    WHERE reference IS NOT NULL;
