-- Migration 12: the entries' date index dropped (import speed, issue 4).
--
-- Its one reader was the detection's "entries dated after the day" (the future rent calls of
-- an import made before their month). Every entry written paid for it: a fifth of an import's
-- writing at 100,000 households, and about a seventh of the file. The yearly sums now keep the
-- date of each household's latest entry of the year (`last_on`, kept at write time with the
-- sums, store::ledger_years): entries after a day are those of the later years' rows, and,
-- in the day's own year, the entries after it of the households whose `last_on` is later,
-- read from the account index (store::detect::candidates).
--
-- Added with no default (no table rebuild), then set from the account index, which holds the
-- household, date and id of every entry: the rows cover the entries up to the watermark, like
-- the sums beside them.
ALTER TABLE ledger_years ADD COLUMN last_on TEXT;
UPDATE ledger_years SET last_on = (
    SELECT MAX(e.date) FROM entries e INDEXED BY entries_household_date
    WHERE e.household_id = ledger_years.household_id
        AND e.date >= printf('%04d-01-01', ledger_years.year)
        AND e.date < printf('%04d-01-01', ledger_years.year + 1)
        AND e.id <= (SELECT last_entry_id FROM ledger_state WHERE id = 1));
DROP INDEX entries_date;
