-- Migration 13: each household's balance in a narrow table of its own (import speed, issue 4).
--
-- The balance (sum of the account's entries) was a column of `households`, whose rows carry the
-- names, contact details and folded lookup key: updating it rewrote a row of about 250 bytes
-- and, for present debtors, moved its entry in the first page's index. An import updates the
-- balance of every household it writes to, so at 100,000 households that was a sixth of an
-- import's time. A row here is two integers, and the first page's index (present debtors by
-- balance, migration 8) becomes an index on the positive balances alone: the readers join the
-- household for its status and account, which the first page does for its few hundred rows.
--
-- Every household gets its row here (store::write::insert_household writes it with the
-- household); readers still take a missing row as a zero balance.
CREATE TABLE balances (
    household_id INTEGER PRIMARY KEY REFERENCES households(id),
    cents INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO balances (household_id, cents) SELECT id, balance_cents FROM households;
CREATE INDEX balances_owing ON balances(cents DESC) WHERE cents > 0;
DROP INDEX households_first_page;
ALTER TABLE households DROP COLUMN balance_cents;
