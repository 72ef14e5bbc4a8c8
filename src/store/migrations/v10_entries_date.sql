-- Migration 10: the (kind, date, household, amount) index on entries, built for the figures'
-- sums (migration 6), has no reader left that needs it whole: the figures read `ledger_days`
-- (migration 7), and the only query that still searches entries by date across households is
-- the detection's "entries dated after the day" (usually none, or the last import's future rent
-- calls). That index cost an import about a quarter of its work per line (four columns, two of
-- them text, compared at every level of the tree). An index on the date serves the detection,
-- covering the household and amount it sums (without them, the detection after an import of
-- future rent calls read each row back: +0.5 s at 100,000 households); `check` and the
-- migration 7 hook sum the entries in one pass over the table.
DROP INDEX entries_kind_date;
CREATE INDEX entries_date ON entries(date, household_id, amount_cents);
