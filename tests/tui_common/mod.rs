//! Shared by the workstation tests: a real demo database in a tempdir, the snapshot built from
//! the store's read functions, the real store worker answering household and write requests one
//! at a time (so every run is deterministic), key helpers, and rendering into ratatui's
//! `TestBackend`.
//!
//! Everything is fixed: `today` = 22/11/2026, demo seed 7 with 150 homes, the `mono` theme,
//! the default keymap, and a database label that does not depend on the tempdir.

#![allow(dead_code)] // each test binary uses a different part of the bench

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

use impayes::demo::{DemoOptions, generate};
use impayes::search::SearchIndex;
use impayes::store::{self, Store};
use impayes::tui::app::{App, Msg};
use impayes::tui::keymap::Keymap;
use impayes::tui::theme::Theme;
use impayes::tui::worker::{self, Reply, Request, Snapshot};

/// Seed of the demo database every workstation test runs on.
pub const SEED: u64 = 7;
/// Homes of that database.
pub const HOMES: usize = 150;
/// Household 1 of every demo database.
pub const ELODIE_ID: i64 = 1;
/// An amicable officer of the demo (Mulhouse) who is referent of a few dossiers.
pub const PMULLER: &str = "pmuller";
/// The database label shown on the welcome screen (not the tempdir, to keep snapshots stable).
pub const DB_LABEL: &str = "/srv/impayes/impayes.sqlite3";

/// The date every test runs as.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).expect("date")
}

/// A theme by name, ignoring the user's own themes directory.
pub fn theme(name: &str) -> Theme {
    Theme::load(name, Path::new("/nonexistent")).expect("built-in theme")
}

/// A key without modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// A character key (Shift for upper case, as crossterm reports it).
pub fn ch(c: char) -> KeyEvent {
    let m = if c.is_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(KeyCode::Char(c), m)
}

/// Ctrl + a letter.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Maj-Tab, as crossterm reports it.
pub fn backtab() -> KeyEvent {
    KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
}

fn demo(store: &mut Store, homes: usize) {
    generate(
        store,
        &DemoOptions {
            households: homes,
            seed: SEED,
            months: impayes::demo::SIMULATED_MONTHS,
            today: today(),
        },
    )
    .expect("demo generation");
}

/// The bytes of the demo database of `HOMES` homes, generated once per test binary: each bench
/// writes its own copy, so that tests may write without seeing each other's changes.
fn template() -> &'static [u8] {
    static TEMPLATE: OnceLock<Vec<u8>> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("template.sqlite3");
        let mut store = Store::create(&path).expect("create");
        demo(&mut store, HOMES);
        // Everything into the main file, so that one file is the whole database.
        store
            .conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        drop(store);
        std::fs::read(&path).expect("read the template")
    })
}

/// A workstation model wired to the real store worker on a real SQLite file.
pub struct Bench {
    /// The model under test.
    pub app: App,
    /// The database file.
    pub db: PathBuf,
    _dir: tempfile::TempDir,
    req_tx: Option<Sender<Request>>,
    rx: Receiver<Msg>,
    worker: Option<JoinHandle<()>>,
}

impl Bench {
    /// The demo database (150 homes, seed 7), the workstation loaded on it as `user`.
    pub fn demo(user: &str) -> Bench {
        Bench::with_households(user, HOMES)
    }

    /// A demo database with `homes` homes (0: an empty, freshly created database).
    pub fn with_households(user: &str, homes: usize) -> Bench {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("impayes.sqlite3");
        if homes == HOMES {
            std::fs::write(&db, template()).expect("copy of the demo database");
        } else {
            let mut store = Store::create(&db).expect("create");
            if homes > 0 {
                demo(&mut store, homes);
            }
        }
        let store = Store::open(&db).expect("open");
        let (req_tx, req_rx) = mpsc::channel();
        let (tx, rx) = mpsc::channel();
        let worker_user = user.to_string();
        let worker = std::thread::spawn(move || worker::run(store, worker_user, req_rx, tx));
        let keymap = Keymap::new(&Default::default()).expect("default keymap");
        let mut app = App::new(user, today(), theme("mono"), keymap, DB_LABEL);
        app.themes_dir = PathBuf::from("/nonexistent");
        let mut bench = Bench {
            app,
            db,
            _dir: dir,
            req_tx: Some(req_tx),
            rx,
            worker: Some(worker),
        };
        bench.serve(vec![Request::Snapshot]);
        assert!(bench.app.households.is_some(), "snapshot loaded");
        bench
    }

    /// Feeds a key to the model and returns what it asks of the worker (not yet served).
    pub fn press(&mut self, k: KeyEvent) -> Vec<Request> {
        self.app.update(Msg::Key(k))
    }

    /// Feeds a key and lets the worker answer everything it leads to.
    pub fn key(&mut self, k: KeyEvent) {
        let reqs = self.press(k);
        self.serve(reqs);
    }

    /// Types text, one key per character.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key(ch(c));
        }
    }

    /// Answers requests until nothing more is asked: the snapshot is built here from the
    /// store's read functions (one message, as tests may send it); household files and writes
    /// go to the worker one at a time (so that it never merges requests), each answered by one
    /// message.
    pub fn serve(&mut self, reqs: Vec<Request>) {
        let mut queue: std::collections::VecDeque<Request> = reqs.into();
        while let Some(req) = queue.pop_front() {
            match req {
                Request::Poll => continue,
                Request::Snapshot | Request::Start => {
                    let reply = Reply::Snapshot(Box::new(snapshot(&self.db, &self.app.user)));
                    queue.extend(self.app.update(Msg::Reply(reply)));
                    continue;
                }
                Request::Household { .. }
                | Request::Write(_)
                | Request::WriteIfUnchanged { .. }
                | Request::Review(_)
                | Request::Todo { .. }
                | Request::LegalDates { .. }
                | Request::LettersPlan { .. }
                | Request::LettersGenerate { .. }
                | Request::Stats { .. } => {}
            }
            self.req_tx
                .as_ref()
                .expect("worker running")
                .send(req)
                .expect("worker alive");
            let msg = self
                .rx
                .recv_timeout(Duration::from_secs(20))
                .expect("the worker answers");
            queue.extend(self.app.update(msg));
        }
    }

    /// Feeds a worker reply built by the test.
    pub fn reply(&mut self, reply: Reply) -> Vec<Request> {
        self.app.update(Msg::Reply(reply))
    }

    /// Opens a household's dossier as the lookup would, and loads its file.
    pub fn open(&mut self, household_id: i64) {
        let reqs = self.app.open_household(household_id);
        self.serve(reqs);
        assert!(
            self.app.dossier.as_ref().is_some_and(|d| d.file.is_some()),
            "file of household {household_id} loaded"
        );
    }

    /// The household file the dossier pane shows (the test fails when none is loaded).
    pub fn file(&self) -> &impayes::domain::portfolio::HouseholdFile {
        self.app
            .dossier
            .as_ref()
            .and_then(|d| d.file.as_ref())
            .expect("a dossier pane with its file loaded")
    }

    /// A second connection to the database, to check what was stored.
    pub fn store(&self) -> Store {
        Store::open(&self.db).expect("open")
    }
}

impl Drop for Bench {
    fn drop(&mut self) {
        self.req_tx.take();
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// What the worker loads at start: the portfolio, the lookup index, staff and sectors, read
/// from the database by the store's functions.
pub fn snapshot(db: &Path, user: &str) -> Snapshot {
    let store = Store::open(db).expect("open");
    let conn = store.conn();
    let summaries = store::household_summaries(conn).expect("summaries");
    Snapshot {
        portfolio: store::portfolio(conn).expect("portfolio"),
        index: SearchIndex::new(summaries),
        staff: store::staff(conn).expect("staff"),
        sectors: store::sectors(conn).expect("sectors"),
        households: store::counts(conn).expect("counts").0,
        can_read_social: store::can_read_social_notes(conn, user).expect("social"),
    }
}

/// Renders the model into a `TestBackend` of `width`×`height` and returns the buffer.
pub fn render(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|f| impayes::tui::view::render(app, f))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The buffer as text: one line per row, wide characters counted once, trailing spaces cut.
pub fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buf[(x, y)].symbol();
            line.push_str(symbol);
            skip = symbol.width().saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Renders and returns the screen as text.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    text(&render(app, width, height))
}

/// The (x, y) of the first occurrence of `needle` (one cell per character) in the buffer.
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buf.area;
    let chars: Vec<char> = needle.chars().collect();
    let n = chars.len() as u16;
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right().saturating_sub(n.saturating_sub(1)) {
            let matches = chars
                .iter()
                .zip(x..)
                .all(|(c, cx)| buf[(cx, y)].symbol().starts_with(*c));
            if matches {
                return Some((x, y));
            }
        }
    }
    None
}

/// The form on top of the overlays (the test fails when none is open).
pub fn top_form(b: &Bench) -> &impayes::tui::app::FormState {
    match b.app.overlays.last() {
        Some(impayes::tui::app::Overlay::Form(f)) => f,
        _ => panic!("a form is open"),
    }
}

/// The error shown under a form field, by key.
pub fn field_error(b: &Bench, k: &str) -> Option<String> {
    top_form(b)
        .form
        .fields
        .iter()
        .find(|f| f.key == k)
        .and_then(|f| f.error.clone())
}

/// Opens Élodie Béranger's dossier through the lookup, as an officer would.
pub fn open_elodie(b: &mut Bench) {
    b.key(ch('/'));
    b.type_text("elodie beranger");
    b.key(key(KeyCode::Enter));
    assert_eq!(b.app.pane, impayes::tui::app::Pane::Dossier);
    let d = b.app.dossier.as_ref().expect("dossier pane");
    assert_eq!(d.household_id, ELODIE_ID);
    assert!(d.file.is_some(), "file loaded");
}
