-- Migration 11: what a year's figures computed per row, stored (issue 10).
--
-- Each household's balance on 1 January of a year, kept in its yearly sums (store::ledger_years)
-- at write time: the debts on 31 December then read that year's rows alone (opening + net)
-- instead of every earlier year's. `opening_cents` is the sum of `net_cents` of the household's
-- earlier years (the same entries, ids up to `ledger_state.last_entry_id`). Added with a default
-- (no table rebuild), then set where it is not zero from one ordered pass over the sums.
ALTER TABLE ledger_years ADD COLUMN opening_cents INTEGER NOT NULL DEFAULT 0;
UPDATE ledger_years SET opening_cents = o.opening
FROM (SELECT year, household_id,
        SUM(net_cents) OVER (PARTITION BY household_id ORDER BY year
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS opening
      FROM ledger_years) AS o
WHERE o.year = ledger_years.year AND o.household_id = ledger_years.household_id
    AND o.opening <> 0;

-- The phase a dossier left at each phase change, indexed as an expression: SQLite computes it
-- once when a change is written (every write path, nothing to keep by hand) and the figures read
-- it from the index instead of parsing each change's JSON. It replaces migration 9's index of
-- the changes, which carried the whole JSON.
DROP INDEX events_phase_changes;
CREATE INDEX events_phase_from ON events(kind, date, dossier_id, json_extract(data, '$.from'))
    WHERE kind = 'phase_change';
