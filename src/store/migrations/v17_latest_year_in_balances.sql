-- Migration 17: each household's latest yearly sums move from `ledger_years` into its
-- `balances` row (import speed, issue 4).
--
-- An import updated, for every household it wrote to, its balance in `balances` and its year's
-- sums in `ledger_years`: two B-tree seeks and two cells rewritten, more than half of an import
-- at 500,000 households. Most lines fall in the household's latest year, so that year's sums
-- now live beside the balance and one update writes both. `ledger_years` keeps the earlier
-- years; a household's `year` here is later than all of its rows there (NULL: no year filed).
-- `cents` still covers every entry, the year's sums those filed (`ledger_state`).
ALTER TABLE balances ADD COLUMN year INTEGER;
ALTER TABLE balances ADD COLUMN opening_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE balances ADD COLUMN net_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE balances ADD COLUMN charges_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE balances ADD COLUMN charges_q4_cents INTEGER NOT NULL DEFAULT 0;
ALTER TABLE balances ADD COLUMN last_on TEXT;
-- Readers take a missing balance as zero: a household with yearly sums and no row gets one.
INSERT INTO balances (household_id, cents)
    SELECT DISTINCT y.household_id, 0 FROM ledger_years y
    WHERE NOT EXISTS (SELECT 1 FROM balances b WHERE b.household_id = y.household_id);
-- SQLite takes the other columns of an aggregate query with MAX from the row holding the max.
UPDATE balances SET year = l.year, opening_cents = l.opening_cents, net_cents = l.net_cents,
    charges_cents = l.charges_cents, charges_q4_cents = l.charges_q4_cents, last_on = l.last_on
FROM (SELECT household_id, MAX(year) AS year, opening_cents, net_cents, charges_cents,
        charges_q4_cents, last_on
      FROM ledger_years GROUP BY household_id) AS l
WHERE l.household_id = balances.household_id;
DELETE FROM ledger_years WHERE (year, household_id) IN
    (SELECT year, household_id FROM balances WHERE year IS NOT NULL);
