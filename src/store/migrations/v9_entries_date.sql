-- Migration 9: the (kind, date, household, amount) index on entries, built for the figures'
-- sums (migration 6), has no reader left that needs it whole: the figures read `ledger_days`
-- (migration 7), and the only query that still searches entries by date across households is
-- the detection's "entries dated after the day" (usually none, or the last import's future rent
-- calls). That index cost an import about a quarter of its work per line (four columns, two of
-- them text, compared at every level of the tree). A slim index on the date alone serves the
-- detection; `check` and the migration 7 hook sum the entries in one pass over the table.
DROP INDEX entries_kind_date;
CREATE INDEX entries_date ON entries(date);
