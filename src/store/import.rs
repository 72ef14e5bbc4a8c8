//! Writes of `impayes import accounts`: account lines streamed into one transaction, with
//! the households looked up once, lines written by batches in household order (`queue`),
//! duplicates skipped by reference, balances updated once per household at the end, and the
//! import logged. `finish` also returns what was written (`Written`), for the detection.
//! On a database file, a helper thread looks the batch's references up in the settled tier
//! ahead of the writer (`probe`). A batch's lines are written sixteen to an INSERT, with
//! the references, ids and counts of a line-by-line import (`rows`).
//!
//! A line is a duplicate when its account already holds its reference (see
//! `domain::import_rules` for how references are made). Ranks of repeated references are
//! found from the conflicts themselves: a reference written by this import (its entry id is
//! above the largest id before the import) means a repeat within the file; one written before
//! means the first occurrence of an entry already imported. Only such references are
//! remembered, so a file of new lines costs no table of everything read. A line without a source reference is
//! also a duplicate when the account holds an entry without any reference (typed, or written
//! by the demo) with the same date, nature, amount and label that no earlier line of the file
//! has matched: so that an export of such entries imports back into the same database as
//! nothing new.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::Written;
use super::write::{Stamp, insert_household};
use super::{Result, StoreError};
use crate::domain::household::{Household, TenantStatus};
use std::hash::BuildHasher as _;
use std::sync::atomic::Ordering;

mod accounts;
mod bulk;
mod finish;
mod log;
mod probe;
mod rows;

pub use log::{ImportLog, record_import};

use crate::domain::import_rules::{SourceLine, iso_date, ranked_reference};
use crate::domain::ledger::EntryKind;

/// What to do with lines of accounts the database does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownAccounts {
    /// Refuse them (an error, or rejected lines with `--skip-invalid`).
    Refuse,
    /// Create the households (status present).
    Create,
    /// Leave their lines out and list the accounts.
    List,
}

/// What happened to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pushed {
    /// Stored.
    Added,
    /// Already on the account.
    Duplicate,
    /// The account is unknown and households are not created.
    UnknownAccount,
}

/// Counts of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Entries stored.
    pub added: u64,
    /// Lines already on their account.
    pub duplicates: u64,
    /// Households created.
    pub households_created: u64,
    /// Unknown accounts (not created) and their number of lines.
    pub unknown: BTreeMap<String, u64>,
}

type ContentKey = (NaiveDate, EntryKind, i64, String);

/// Receives the lines of one import inside a transaction.
pub struct AccountSink<'c> {
    conn: &'c Connection,
    insert: Statement<'c>,
    find: Statement<'c>,
    /// Whether the settled tier holds a reference on an account (see `settled_holds`).
    settled: Statement<'c>,
    /// Largest entry id before the import.
    before: i64,
    /// Occurrences so far of the references that met a conflict, by (household, base).
    repeats: HashMap<u64, u32, foldhash::fast::FixedState>,
    households: accounts::Accounts,
    unreferenced: HashMap<i64, HashMap<ContentKey, u32>>,
    /// Balance changes by household, in the order filed (a household may come once per
    /// batch): `finish` sorts and sums them.
    deltas: Vec<(i64, i64)>,
    /// The entries added (household, day, kind index in `EntryKind::ALL`, cents, 1), in the
    /// order written, for the figures' day sums (see `finish`).
    days: Vec<super::ledger_filing::NewSum>,
    /// The same lines summed per household and year (`ledger_years`), filed with the days.
    years: super::ledger_years::Pending,
    stamp: Stamp,
    policy: UnknownAccounts,
    counts: ImportCounts,
    /// Lines queued, written in household order when the batch is full (see `queue`).
    pending: Vec<Queued>,
    batch_lines: usize,
    /// Lines a batch needs before its settled-tier lookups go to a helper (see `probe`).
    probe_from: usize,
    /// Whether the writer waits for all the helper's answers before it writes (tests).
    probe_first: bool,
    /// New entries an import needs before their day sums are made by a helper (see
    /// `ledger_filing`).
    days_from: usize,
    /// Whether the helper's failure fails the import (tests).
    days_strict: bool,
    /// Entries added, for the detection (see `Written`); past `WRITTEN_CAP` entries, only the
    /// households.
    written: Written,
    written_entries: usize,
    /// What the current household's lines added, filed into `deltas`, `years` and `written`
    /// when the next household comes (lines are written in household order).
    run: Run,
    /// Multi-row INSERTs by number of rows, prepared on first use (see `rows`).
    many: Vec<Option<Statement<'c>>>,
    rows_per_statement: usize,
    /// Keys of the bases written at their first rank from the current household's lines of
    /// the batch (see `rows`).
    seen: std::collections::HashSet<u64, foldhash::fast::FixedState>,
    seen_household: Option<i64>,
    /// The thread freeing the last batch's lines (see `flush`).
    freeing: Option<std::thread::JoinHandle<()>>,
}

/// One household's entries added since the last household's (see `AccountSink::added`).
#[derive(Default)]
struct Run {
    household: Option<i64>,
    delta: i64,
    years: Vec<(i64, super::ledger_years::Year)>,
    added: Vec<(NaiveDate, EntryKind, i64)>,
}

/// The key of a (household, reference base) pair in `AccountSink::seen`.
fn repeat_key(household_id: i64, base: &str) -> u64 {
    foldhash::fast::FixedState::with_seed(0x1f).hash_one((household_id, base))
}

/// Entries an import lists for the detection that follows (16 bytes each); beyond, the
/// households written are read by the writing connection only.
const WRITTEN_CAP: usize = 4_000_000;

/// A line waiting in the batch: its household, the line, its content reference base.
type Queued = (i64, SourceLine<'static>, Option<String>);

/// Lines held before they are written in household order: large enough that a file in random
/// account order updates each household's index pages once per batch, small enough to stay a
/// few tens of megabytes.
pub const BATCH_LINES: usize = 1 << 18;

impl<'c> AccountSink<'c> {
    /// Prepares an import on `conn` (inside a transaction), as `stamp`'s author.
    pub fn new(conn: &'c Connection, stamp: Stamp, policy: UnknownAccounts) -> Result<Self> {
        // Sized once from the largest id (ids are dense rowids): the map is not rehashed as it
        // fills (a fifth of loading 627,560 accounts).
        let largest: i64 =
            conn.query_row("SELECT COALESCE(MAX(id), 0) FROM households", [], |r| {
                r.get(0)
            })?;
        let households = accounts::load(conn, usize::try_from(largest).unwrap_or(0))?;
        // Into the recent tier (see `store::tiers`).
        let mut insert = conn.prepare(
            "INSERT INTO entries (household_id, date, kind, amount_cents, label, reference,
                recorded_by, recorded_at, tier) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1)
             ON CONFLICT (tier, household_id, reference) WHERE reference IS NOT NULL DO NOTHING",
        )?;
        // The author and time are the same for every line: bound once.
        insert.raw_bind_parameter(7, stamp.user.as_str())?;
        insert.raw_bind_parameter(8, stamp.at.as_str())?;
        let find = conn.prepare(
            "SELECT id FROM entries WHERE tier = 1 AND household_id = ?1 AND reference = ?2",
        )?;
        let mut settled = conn.prepare(super::tiers::REFERENCE_IN_TIER)?;
        settled.raw_bind_parameter(1, super::tiers::SETTLED)?;
        let before =
            conn.query_row("SELECT COALESCE(MAX(id), 0) FROM entries", [], |r| r.get(0))?;
        Ok(AccountSink {
            conn,
            insert,
            find,
            settled,
            before,
            repeats: HashMap::with_hasher(foldhash::fast::FixedState::default()),
            households,
            unreferenced: HashMap::new(),
            deltas: Vec::new(),
            days: Default::default(),
            years: Default::default(),
            stamp,
            policy,
            counts: ImportCounts::default(),
            pending: Vec::new(),
            batch_lines: BATCH_LINES,
            probe_from: probe::MIN_LINES,
            probe_first: false,
            days_from: probe::MIN_LINES,
            days_strict: false,
            written: Written::default(),
            written_entries: 0,
            run: Run::default(),
            many: Vec::new(),
            rows_per_statement: rows::ROWS,
            seen: Default::default(),
            seen_household: None,
            freeing: None,
        })
    }

    /// Sets the number of lines queued before they are written (tests use small batches).
    pub fn set_batch_lines(&mut self, n: usize) {
        self.batch_lines = n.max(1);
    }

    /// Sets the number of rows written by one INSERT statement (1 to `rows::ROWS`; tests
    /// use a few).
    pub fn set_rows_per_statement(&mut self, n: usize) {
        self.rows_per_statement = n.clamp(1, rows::ROWS);
    }

    /// Sets how many new entries an import needs before their day sums are made on a second
    /// connection while the balances and the yearly sums are written (None: never; see
    /// `ledger_filing`), and whether that connection's failure fails the import (tests, so
    /// that the sums kept are the helper's) rather than having the writer make them.
    pub fn set_days_ahead(&mut self, from_lines: Option<usize>, strict: bool) {
        self.days_from = from_lines.unwrap_or(usize::MAX);
        self.days_strict = strict;
    }

    /// Sets how many lines a batch needs before its settled-tier lookups are made by a helper
    /// thread (None: never), and whether the writer waits for all its answers first (tests,
    /// so that every answer used is the helper's; otherwise the writer looks up itself what
    /// the helper has not answered yet).
    pub fn set_probe_ahead(&mut self, from_lines: Option<usize>, wait: bool) {
        self.probe_from = from_lines.unwrap_or(usize::MAX);
        self.probe_first = wait;
    }

    /// The household of a line's account: known, created (by policy), or None (unknown, and
    /// counted as such).
    pub fn household(&mut self, line: &SourceLine<'_>) -> Result<Option<i64>> {
        if let Some(id) = self.households.get(line.account.as_ref()) {
            return Ok(Some(id));
        }
        if self.policy != UnknownAccounts::Create {
            *self
                .counts
                .unknown
                .entry(line.account.to_string())
                .or_insert(0) += 1;
            return Ok(None);
        }
        let h = Household {
            id: 0,
            account: line.account.to_string(),
            holder: line
                .name
                .as_deref()
                .unwrap_or(line.account.as_ref())
                .to_string(),
            co_holder: None,
            phone: None,
            email: None,
            size: 1,
            housing_benefit: rust_decimal::Decimal::ZERO,
            status: TenantStatus::Present,
            left_on: None,
            forwarding_address: None,
        };
        let id = insert_household(self.conn, &h, "", &self.stamp)?;
        self.households.insert(&h.account, id);
        self.unreferenced.insert(id, HashMap::new());
        self.counts.households_created += 1;
        Ok(Some(id))
    }

    /// Whether an entry without reference on the account matches this line's content (and
    /// takes it, so that the next identical line does not match it again).
    fn take_unreferenced(&mut self, household_id: i64, line: &SourceLine<'_>) -> Result<bool> {
        if !self.unreferenced.contains_key(&household_id) {
            // Tier 0 only: an import writes every line with a reference, into tier 1.
            let mut stmt = self.conn.prepare_cached(
                "SELECT date, kind, amount_cents, label FROM entries
                 WHERE tier = 0 AND household_id = ?1 AND reference IS NULL",
            )?;
            let mut map: HashMap<ContentKey, u32> = HashMap::new();
            let rows = stmt.query_map([household_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?;
            for row in rows {
                let (date, kind, cents, label) = row?;
                let date = crate::domain::import_rules::parse_iso_date(&date)
                    .ok_or_else(|| StoreError::Corrupt(format!("date « {date} » illisible")))?;
                let kind = EntryKind::from_code(&kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("type d'écriture « {kind} » inconnu"))
                })?;
                *map.entry((date, kind, cents, label.trim().to_string()))
                    .or_insert(0) += 1;
            }
            self.unreferenced.insert(household_id, map);
        }
        let Some(map) = self.unreferenced.get_mut(&household_id) else {
            return Ok(false);
        };
        if map.is_empty() {
            return Ok(false);
        }
        let key = (
            line.date,
            line.kind,
            line.cents,
            line.label.trim().to_string(),
        );
        match map.get_mut(&key) {
            Some(n) if *n > 0 => {
                *n -= 1;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Stores one line. `base` is its source reference, or its content reference base when
    /// `content` (see `domain::import_rules::reference_base`); the rank is found here.
    /// Writes at once, one statement a line: what the batches (`queue`) must write the same.
    pub fn push(&mut self, line: &SourceLine<'_>, base: &str, content: bool) -> Result<Pushed> {
        let Some(household_id) = self.household(line)? else {
            return Ok(Pushed::UnknownAccount);
        };
        if content && self.take_unreferenced(household_id, line)? {
            self.counts.duplicates += 1;
            return Ok(Pushed::Duplicate);
        }
        self.push_exact(household_id, line, base, content)
    }

    /// Queues a line of a known household (see `household`); `content_base` is its content
    /// reference base when the file gives no source reference. Lines are written when the
    /// batch is full, sorted by household (a stable sort: a household's lines keep the file's
    /// order, so ids, ranks of repeated references and matches of unreferenced entries are
    /// those of a line-by-line import), so that each household's index pages are updated
    /// together rather than at random over the whole index.
    pub fn queue(
        &mut self,
        household_id: i64,
        line: SourceLine<'static>,
        content_base: Option<String>,
    ) -> Result<()> {
        self.pending.push((household_id, line, content_base));
        if self.pending.len() >= self.batch_lines {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the queued lines, in household order.
    pub fn flush(&mut self) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        // Sorting (household, position) pairs moves 16 bytes a line instead of the lines.
        let ids: Vec<i64> = pending.iter().map(|(h, _, _)| *h).collect();
        let order = rows::household_order(&ids);
        drop(ids);
        // The settled-tier lookups on the second core (see `probe`): a database file only.
        let probe_path = match self.conn.path() {
            Some(p) if !p.is_empty() && order.len() >= self.probe_from => Some(p),
            _ => None,
        };
        let answers = probe::Answers::new(if probe_path.is_some() { order.len() } else { 0 });
        let written = std::thread::scope(|scope| {
            if let Some(path) = probe_path {
                let (pending, order, answers) = (&pending, &order, &answers);
                let helper = scope.spawn(move || probe::answer(path, pending, order, answers));
                if self.probe_first {
                    let _ = helper.join();
                }
            }
            let written = (|| -> Result<()> {
                let mut staged = Vec::with_capacity(rows::ROWS);
                for (k, &(_, i)) in order.iter().enumerate() {
                    rows::prefetch_ahead(&pending, &order, k);
                    answers.writer.store(k, Ordering::Relaxed);
                    let settled = answers.get(k);
                    let (household_id, line, content_base) = &pending[i];
                    let household_id = *household_id;
                    match content_base {
                        Some(base) => {
                            self.stage(&mut staged, household_id, line, base, true, settled)?
                        }
                        None => {
                            let base = line.reference.as_deref().map_or("", str::trim);
                            self.stage(&mut staged, household_id, line, base, false, settled)?
                        }
                    };
                }
                self.write_rows(&mut staged)
            })();
            answers.done.store(true, Ordering::Relaxed);
            written
        });
        written?;
        // The lines' text was allocated by the reading thread; freeing it (three blocks a
        // line, a fiftieth of the writing) is left to another thread, while this one goes on.
        if let Some(previous) = self.freeing.take() {
            let _ = previous.join();
        }
        self.freeing = Some(std::thread::spawn(move || drop(pending)));
        Ok(())
    }

    /// Writes one line whose unreferenced match is already ruled out, by its own statements.
    fn push_exact(
        &mut self,
        household_id: i64,
        line: &SourceLine<'_>,
        base: &str,
        content: bool,
    ) -> Result<Pushed> {
        let key = repeat_key(household_id, base);
        let pushed = if let Some(n) = self.repeats.get_mut(&key) {
            *n += 1;
            let rank = *n;
            self.insert(household_id, line, &ranked_reference(base, content, rank))?
        } else {
            let first = ranked_reference(base, content, 1);
            match self.insert(household_id, line, &first)? {
                Pushed::Duplicate => {
                    // In the recent tier, or else (None) settled by an earlier import.
                    let id: i64 = self
                        .find
                        .query_row(params![household_id, first], |r| r.get(0))
                        .optional()?
                        .unwrap_or(0);
                    if id > self.before {
                        // Written by this import: this line repeats it.
                        self.repeats.insert(key, 2);
                        self.insert(household_id, line, &ranked_reference(base, content, 2))?
                    } else {
                        self.repeats.insert(key, 1);
                        Pushed::Duplicate
                    }
                }
                other => other,
            }
        };
        match pushed {
            Pushed::Added => self.added(household_id, line),
            Pushed::Duplicate => self.counts.duplicates += 1,
            Pushed::UnknownAccount => {}
        }
        Ok(pushed)
    }

    /// Files an entry written: the balance's delta, the day and year sums, the detection's
    /// list, the count. A household's entries are summed in `run` and filed together.
    fn added(&mut self, household_id: i64, line: &SourceLine<'_>) {
        if self.run.household != Some(household_id) {
            self.file_run();
            self.run.household = Some(household_id);
        }
        let mut day = [0u8; 10];
        iso_date(line.date, &mut day);
        let kind = EntryKind::ALL
            .iter()
            .position(|k| *k == line.kind)
            .and_then(|k| u8::try_from(k).ok())
            .unwrap_or(u8::MAX);
        let run = &mut self.run;
        run.delta += line.cents;
        // Past `ledger::BULK` entries the sums would take too much memory: `finish`
        // reads the new rows back instead.
        if self.counts.added < super::ledger::BULK as u64 {
            self.days.push((household_id, day, kind, line.cents, 1));
            if let Some(y) = super::ledger_years::year_of(&day) {
                match run.years.iter_mut().find(|(ry, _)| *ry == y) {
                    Some((_, s)) => s.add(&day, line.cents),
                    None => {
                        let mut s = super::ledger_years::Year::default();
                        s.add(&day, line.cents);
                        run.years.push((y, s));
                    }
                }
            }
        }
        run.added.push((line.date, line.kind, line.cents));
        self.counts.added += 1;
    }

    /// Files the current household's run (see `added`).
    fn file_run(&mut self) {
        let Some(household_id) = self.run.household.take() else {
            return;
        };
        let run = std::mem::take(&mut self.run);
        if run.delta != 0 {
            self.deltas.push((household_id, run.delta));
        }
        self.years.add_years(household_id, &run.years);
        if self.written.other.contains(&household_id) {
            return;
        }
        if self.written_entries + run.added.len() <= WRITTEN_CAP {
            self.written_entries += run.added.len();
            match self.written.added.entry(household_id) {
                std::collections::hash_map::Entry::Occupied(mut o) => o.get_mut().extend(run.added),
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(run.added);
                }
            }
        } else {
            self.written.added.remove(&household_id);
            self.written.other.insert(household_id);
        }
    }

    /// Whether an earlier import's entry with this reference is on the account in the
    /// settled tier: the unique index guards the recent tier only, where this import writes.
    pub(super) fn settled_holds(&mut self, household_id: i64, reference: &str) -> Result<bool> {
        let st = &mut self.settled;
        st.raw_bind_parameter(2, household_id)?;
        st.raw_bind_parameter(3, reference)?;
        let mut rows = st.raw_query();
        Ok(rows.next()?.is_some())
    }

    /// Writes one line into the recent tier: Duplicate when the account already holds its
    /// reference in either tier.
    fn insert(
        &mut self,
        household_id: i64,
        line: &SourceLine<'_>,
        reference: &str,
    ) -> Result<Pushed> {
        if self.settled_holds(household_id, reference)? {
            return Ok(Pushed::Duplicate);
        }
        let mut buf = [0u8; 10];
        let st = &mut self.insert;
        st.raw_bind_parameter(1, household_id)?;
        st.raw_bind_parameter(2, iso_date(line.date, &mut buf))?;
        st.raw_bind_parameter(3, line.kind.code())?;
        st.raw_bind_parameter(4, line.cents)?;
        st.raw_bind_parameter(5, line.label.as_ref())?;
        st.raw_bind_parameter(6, reference)?;
        Ok(if st.raw_execute()? == 0 {
            Pushed::Duplicate
        } else {
            Pushed::Added
        })
    }

    /// Counts so far.
    pub fn counts(&self) -> &ImportCounts {
        &self.counts
    }
}
