//! The workstation (ratatui + crossterm): an Elm-style core (`app`), a store worker thread
//! (`worker`), an input thread and a signal thread feeding one channel, and a loop that draws
//! only when something changed.

mod actions_app;
pub mod actions_pane;
pub mod app;
mod app_load;
mod app_replies;
pub mod dashboard;
mod dashboard_view;
pub mod dossier;
mod dossier_header;
pub mod draft;
pub mod fmt;
pub mod form;
pub mod forms;
pub mod inert;
pub mod keymap;
pub mod letters;
mod letters_work;
pub mod lookup;
mod overlay;
mod overlay_keys;
pub mod portfolio;
mod review_keys;
pub mod review_pane;
mod review_view;
pub mod review_worker;
mod team;
pub mod theme;
pub mod view;
pub mod worker;
mod worker_load;
mod worker_write;

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context as _, Result};
use crossterm::event::{self, Event, KeyEventKind};

pub use app::{App, Msg};

use crate::cli::Context;
use crate::store::Store;

/// How often other sessions' writes are looked for (a change shows within about a second).
const POLL_EVERY: Duration = Duration::from_secs(1);

/// Resolves the theme: `--theme`, else the config file, else `sombre`; `mono` when colour is
/// unavailable or refused (NO_COLOR).
pub fn choose_theme(ctx: &Context) -> Result<theme::Theme> {
    let dir = crate::config::config_dir().join("themes");
    let asked = ctx.theme.clone().or_else(|| ctx.config.theme.clone());
    let name = match asked {
        Some(n) => n,
        None if theme::colour_disabled() => "mono".to_string(),
        None => "sombre".to_string(),
    };
    let name = if theme::colour_disabled() && ctx.theme.is_none() {
        "mono".to_string()
    } else {
        name
    };
    Ok(theme::Theme::load(&name, &dir)?)
}

/// Opens the workstation on `ctx.db`.
pub fn run(ctx: &Context) -> Result<()> {
    // Everything that can fail with a clear message is checked before the terminal changes.
    let mut store = Store::open(&ctx.db)?;
    store.set_actor(Some(&ctx.user))?;
    let access = crate::store::access(store.conn(), &ctx.user)?;
    let theme = choose_theme(ctx)?;
    let keymap = keymap::Keymap::new(&ctx.config.keys).map_err(|e| {
        anyhow::anyhow!(
            "fichier de configuration « {} », {e}",
            crate::config::config_dir().join("config.toml").display()
        )
    })?;
    let rules = crate::config::load_rules()?;
    let mut app = App::new(
        &ctx.user,
        ctx.today,
        theme,
        keymap,
        &ctx.db.display().to_string(),
    );
    app.rules = rules;
    app.detection = ctx.config.detection_rules();
    app.agenda_rules = ctx.config.review.clone();
    app.read_only = !access.can_write();
    app.user = crate::domain::inert::inert(&app.user, 40).into_owned();
    app.db_label = crate::domain::inert::inert_field(&app.db_label).into_owned();

    let (tx, rx) = mpsc::channel::<Msg>();
    let (req_tx, req_rx) = mpsc::channel();
    {
        let tx = tx.clone();
        let user = ctx.user.clone();
        std::thread::Builder::new()
            .name("store".into())
            .spawn(move || worker::run(store, user, req_rx, tx))
            .context("démarrage du processus de la base")?;
    }
    {
        let tx = tx.clone();
        let mut signals = signal_hook::iterator::Signals::new([
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
            signal_hook::consts::SIGQUIT,
        ])
        .context("installation des signaux")?;
        std::thread::Builder::new()
            .name("signals".into())
            .spawn(move || {
                if signals.forever().next().is_some() {
                    let _ = tx.send(Msg::Quit);
                }
            })
            .context("démarrage du suivi des signaux")?;
    }
    let _ = req_tx.send(worker::Request::Start);

    // ratatui::init installs the panic hook and raw mode; its terminal is rebuilt on a backend
    // that lets no control character through (tui::inert).
    drop(ratatui::init());
    let mut terminal = ratatui::Terminal::new(inert::InertBackend(
        ratatui::backend::CrosstermBackend::new(std::io::stdout()),
    ))?;
    {
        let tx = tx.clone();
        std::thread::Builder::new()
            .name("input".into())
            .spawn(move || {
                loop {
                    let msg = match event::read() {
                        Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => Msg::Key(k),
                        Ok(Event::Resize(..)) => Msg::Resize,
                        Ok(_) => continue,
                        // The terminal is gone (SSH link dropped): stop instead of spinning.
                        Err(_) => Msg::Quit,
                    };
                    let quit = matches!(msg, Msg::Quit);
                    if tx.send(msg).is_err() || quit {
                        return;
                    }
                }
            })
            .context("démarrage de la lecture du clavier")?;
    }
    let result = event_loop(&mut terminal, &mut app, &rx, &req_tx);
    ratatui::restore();
    result
}

fn draw(terminal: &mut Term, app: &App) -> Result<()> {
    let mut out = std::io::stdout();
    let _ = crossterm::queue!(out, crossterm::terminal::BeginSynchronizedUpdate);
    terminal.draw(|f| view::render(app, f))?;
    let _ = crossterm::queue!(out, crossterm::terminal::EndSynchronizedUpdate);
    let _ = out.flush();
    Ok(())
}

/// The workstation's terminal.
type Term =
    ratatui::Terminal<inert::InertBackend<ratatui::backend::CrosstermBackend<std::io::Stdout>>>;

fn event_loop(
    terminal: &mut Term,
    app: &mut App,
    rx: &mpsc::Receiver<Msg>,
    req_tx: &mpsc::Sender<worker::Request>,
) -> Result<()> {
    // A form left unsaved by a dropped link is offered back (tui::draft).
    let draft_path = draft::path(&app.user);
    let mut pending_draft = draft::load(&draft_path, &app.db_label);
    if let Some(d) = &pending_draft {
        for req in app.open_household(d.household_id) {
            let _ = req_tx.send(req);
        }
    }
    draw(terminal, app)?;
    // Told to stop by a signal or a vanished terminal, not by the officer.
    let mut hangup = false;
    loop {
        let first = match rx.recv_timeout(POLL_EVERY) {
            Ok(m) => m,
            Err(mpsc::RecvTimeoutError::Timeout) => Msg::Tick,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
        };
        // A running meeting timer redraws on the slow tick too.
        let mut redraw = !matches!(first, Msg::Tick) || app.review.timer.is_some();
        hangup |= matches!(first, Msg::Quit);
        for req in app.update(first) {
            let _ = req_tx.send(req);
        }
        while let Ok(m) = rx.try_recv() {
            redraw |= !matches!(m, Msg::Tick);
            hangup |= matches!(m, Msg::Quit);
            for req in app.update(m) {
                let _ = req_tx.send(req);
            }
        }
        if let Some(d) = &pending_draft
            && draft::reopen(app, d)
        {
            let _ = std::fs::remove_file(&draft_path);
            pending_draft = None;
            redraw = true;
        }
        if app.quit {
            if hangup && let Some(d) = draft::capture(app) {
                let _ = draft::save(&draft_path, &d);
            }
            return Ok(());
        }
        if redraw {
            draw(terminal, app)?;
        }
    }
}
