-- Migration 16: the index of positive balances (migration 13) dropped (import speed, issue 4).
--
-- An import changes the balance of every household it writes to, and each one in debt moved its
-- entry in that index: a deletion and an insertion in a B-tree ordered by amount, anywhere in
-- it. At 100,000 households the balances' update took 125-131 ms with it, 40-71 ms without (of
-- an import of about 1 s). The index served only the workstation's first frame, which now finds
-- the most indebted households with a pass over `balances`: two integers a row, a few
-- megabytes at 500,000 households (see store/workstation.rs).
DROP INDEX balances_owing;
