//! `impayes bench`: the whole-process figures of issue 10, measured on a real database file
//! through the same code paths the workstation and the commands use (store, lookup index,
//! `App::update`, `view::render` into a crossterm backend whose bytes are counted instead of
//! sent). `benches/scale.sh` runs it on the 20,000, 100,000 and 500,000-household demos and
//! writes `benches/RESULTS.md`.

use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::rc::Rc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};

mod import;

use super::Context;
use super::args::BenchArgs;
use crate::domain::fold::fold_key;
use crate::search::SearchIndex;
use crate::store::{self, Store};
use crate::tui::app::{App, Msg};
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use crate::tui::view;
use crate::tui::worker::{Reply, Request};

/// Bytes a frame would send to the terminal: what an SSH link carries. The count is shared
/// with the caller, the backend owning the writer.
#[derive(Default, Clone)]
struct Counter {
    bytes: Rc<Cell<usize>>,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes.set(self.bytes.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Screen {
    term: Terminal<CrosstermBackend<Counter>>,
    bytes: Rc<Cell<usize>>,
}

fn screen(w: u16, h: u16) -> Result<Screen> {
    let counter = Counter::default();
    let bytes = counter.bytes.clone();
    let term = Terminal::with_options(
        CrosstermBackend::new(counter),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        },
    )?;
    Ok(Screen { term, bytes })
}

/// Draws a frame; returns the bytes it wrote.
fn draw(s: &mut Screen, app: &App) -> Result<usize> {
    let before = s.bytes.get();
    s.term.draw(|f| view::render(app, f))?;
    Ok(s.bytes.get() - before)
}

fn key(c: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(c, KeyModifiers::NONE))
}

/// Timings of one measure.
#[derive(Debug, Clone, Default)]
struct Sample(Vec<Duration>);

impl Sample {
    fn ms(&self, q: f64) -> f64 {
        let mut v = self.0.clone();
        v.sort();
        if v.is_empty() {
            return 0.0;
        }
        let i = ((v.len() as f64 - 1.0) * q).round() as usize;
        v[i.min(v.len() - 1)].as_secs_f64() * 1000.0
    }
}

/// One line of the results table.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Figure {
    /// What was measured.
    pub measure: String,
    /// The value, with its unit.
    pub value: String,
    /// The target, if any.
    pub target: String,
    /// Whether the target is met (None: no target).
    pub met: Option<bool>,
}

struct Report(Vec<Figure>);

impl Report {
    fn add(&mut self, measure: impl Into<String>, value: String, target: &str, met: Option<bool>) {
        self.0.push(Figure {
            measure: measure.into(),
            value,
            target: target.into(),
            met,
        });
    }
}

fn new_app(ctx: &Context) -> Result<App> {
    let theme = Theme::load("sombre", Path::new("/nonexistent"))?;
    let keymap = Keymap::new(&Default::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(App::new(&ctx.user, ctx.today, theme, keymap, "bench"))
}

/// Resident memory high-water mark of this process, in MB (Linux).
fn peak_rss_mb() -> Option<f64> {
    status_mb("VmHWM:")
}

/// Processor time of the whole process (every thread, ended ones included): a keystroke's
/// cost apart from the time it waited for a core the machine's other work held.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes the struct it is given.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return Duration::ZERO;
    }
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

/// A line of /proc/self/status given in kB, in MB (Linux).
fn status_mb(key: &str) -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// The store worker the bench drives as the workstation does (its own thread and connection).
struct Worker {
    req_tx: Option<std::sync::mpsc::Sender<Request>>,
    rx: std::sync::mpsc::Receiver<Msg>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Worker {
    fn send(&self, req: Request) -> Result<()> {
        self.req_tx
            .as_ref()
            .context("processus de la base arrêté")?
            .send(req)
            .ok()
            .context("processus de la base arrêté")
    }

    fn recv(&self) -> Result<Msg> {
        self.rx
            .recv_timeout(Duration::from_secs(600))
            .ok()
            .context("le processus de la base ne répond pas")
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.req_tx.take();
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

/// Runs `impayes bench`.
pub fn run(ctx: &Context, args: &BenchArgs) -> Result<ExitCode> {
    let mut r = Report(Vec::new());
    if args.import_only {
        import::import_rate(ctx, &mut r, args.import_lines)?;
        print(&r, args.markdown)?;
        return Ok(ExitCode::SUCCESS);
    }
    // Start-up: what the workstation does before its first frame (open, migrate check, the
    // store worker's first screen of the portfolio, one frame), then the whole portfolio and
    // the lookup index, which the worker loads afterwards, a chunk at a time.
    let t0 = Instant::now();
    let store = Store::open(&ctx.db)?;
    let mut app = new_app(ctx)?;
    let (req_tx, req_rx) = std::sync::mpsc::channel();
    let (tx, rx) = std::sync::mpsc::channel();
    let worker = {
        let user = ctx.user.clone();
        std::thread::spawn(move || crate::tui::worker::run(store, user, req_rx, tx))
    };
    let worker = Worker {
        req_tx: Some(req_tx),
        rx,
        handle: Some(worker),
    };
    worker.send(Request::Start)?;
    let mut term = screen(80, 24)?;
    let mut first_frame = None;
    let mut portfolio_ready = None;
    while app.index.is_none() {
        let msg = worker.recv()?;
        if let Msg::Reply(Reply::Failed(e)) = &msg {
            anyhow::bail!("{e}");
        }
        let full = matches!(msg, Msg::Reply(Reply::Lists(_)));
        // Requests the replies lead to (legal dates…) are left unsent, as in a workstation
        // whose officer looks before the background work starts.
        app.update(msg);
        if first_frame.is_none() && app.portfolio.loaded() {
            draw(&mut term, &app)?;
            first_frame = Some(t0.elapsed());
        }
        if full {
            portfolio_ready = Some(t0.elapsed());
        }
    }
    let index_ready = t0.elapsed();
    let first_frame = first_frame.unwrap_or(index_ready);
    let portfolio_ready = portfolio_ready.unwrap_or(index_ready);
    draw(&mut term, &app)?;
    let Some(index) = app.index.as_ref() else {
        anyhow::bail!("index absent");
    };
    let households = index.len();
    let open = app.portfolio.rows().len();
    r.add(
        "Ménages / dossiers ouverts",
        format!("{households} / {open}"),
        "",
        None,
    );
    r.add(
        "Démarrage jusqu'à la première image (en processus)",
        format!("{:.0} ms", first_frame.as_secs_f64() * 1000.0),
        "≤ 300 ms",
        Some(first_frame <= Duration::from_millis(300)),
    );
    r.add(
        "Portefeuille complet / index de recherche prêts (depuis le lancement)",
        format!(
            "{:.0} / {:.0} ms",
            portfolio_ready.as_secs_f64() * 1000.0,
            index_ready.as_secs_f64() * 1000.0
        ),
        "",
        None,
    );
    let rows: Vec<i64> = app
        .portfolio
        .rows()
        .iter()
        .map(|r| r.household_id)
        .collect();
    let index_bytes = index.heap_bytes();

    // Lookup: names typed letter by letter in the workstation (key, narrowing, frame).
    let step = (households / args.samples.max(1)).max(1);
    let typed: Vec<String> = (0..households)
        .step_by(step)
        .take(args.samples)
        .map(|i| fold_key(index.name(i)))
        .collect();
    let mut keystrokes = Sample::default();
    let mut cpu = Sample::default();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for name in &typed {
        app.update(key(KeyCode::Char('/')));
        draw(&mut term, &app)?;
        for (n, ch) in name.chars().enumerate() {
            let (t, c) = (Instant::now(), cpu_time());
            app.update(key(KeyCode::Char(ch)));
            draw(&mut term, &app)?;
            let took = t.elapsed();
            keystrokes.0.push(took);
            cpu.0.push(cpu_time().saturating_sub(c));
            slowest.push((took, name.chars().take(n + 1).collect()));
        }
        app.update(key(KeyCode::Esc));
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    slowest.truncate(3);
    let p99 = keystrokes.ms(0.99);
    r.add(
        format!(
            "Recherche : frappe → résultats à l'écran, p50 / p99 ({} noms, {} frappes)",
            typed.len(),
            keystrokes.0.len()
        ),
        format!("{:.1} / {:.1} ms", keystrokes.ms(0.5), p99),
        "p99 ≤ 16 ms",
        Some(p99 <= 16.0),
    );
    r.add(
        "Recherche : temps processeur par frappe (tous les fils), p50 / p99",
        format!("{:.1} / {:.1} ms", cpu.ms(0.5), cpu.ms(0.99)),
        "",
        None,
    );
    r.add(
        "Recherche : frappes les plus lentes",
        slowest
            .iter()
            .map(|(d, q)| format!("« {q} » {:.1} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", "),
        "",
        None,
    );

    // Portfolio cursor moves at two sizes: time and bytes written to the terminal.
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let mut t = screen(w, h)?;
        draw(&mut t, &app)?;
        let (mut moves, mut bytes) = (Sample::default(), Vec::new());
        for _ in 0..200 {
            let s = Instant::now();
            app.update(key(KeyCode::Char('j')));
            bytes.push(draw(&mut t, &app)?);
            moves.0.push(s.elapsed());
        }
        let p99 = moves.ms(0.99);
        let max_bytes = bytes.iter().copied().max().unwrap_or(0);
        let mean_bytes = bytes.iter().sum::<usize>() / bytes.len().max(1);
        r.add(
            format!("Portefeuille {w}×{h} : déplacement du curseur, p50 / p99"),
            format!("{:.2} / {:.2} ms", moves.ms(0.5), p99),
            "≤ 5 ms",
            Some(p99 <= 5.0),
        );
        r.add(
            format!("Portefeuille {w}×{h} : octets envoyés par déplacement, moyenne / max (tour de demi-page)"),
            format!("{mean_bytes} / {max_bytes} o"),
            "≤ 2 Ko",
            Some(mean_bytes <= 2048),
        );
    }
    let mut sorts = Sample::default();
    for _ in 0..10 {
        let s = Instant::now();
        app.update(key(KeyCode::Char('s')));
        draw(&mut term, &app)?;
        sorts.0.push(s.elapsed());
    }
    r.add(
        "Portefeuille : tri sur la colonne suivante, p50 / max",
        format!("{:.1} / {:.1} ms", sorts.ms(0.5), sorts.ms(1.0)),
        "",
        None,
    );
    let mut filters = Sample::default();
    for k in ['m', 'x', 'o', 'x'] {
        let s = Instant::now();
        app.update(key(KeyCode::Char(k)));
        draw(&mut term, &app)?;
        filters.0.push(s.elapsed());
    }
    r.add(
        "Portefeuille : filtre (mes dossiers, en retard, effacer), max",
        format!("{:.1} ms", filters.ms(1.0)),
        "",
        None,
    );

    // Dossier open: load the household's file, compute its deadlines and alerts, draw it.
    let pick = (rows.len() / args.samples.max(1)).max(1);
    let mut opens = Sample::default();
    for household_id in rows.iter().step_by(pick).take(args.samples) {
        let s = Instant::now();
        let requests = app.open_household(*household_id);
        for req in requests {
            if matches!(req, Request::Household { .. }) {
                worker.send(req)?;
                loop {
                    let msg = worker.recv()?;
                    let done =
                        matches!(msg, Msg::Reply(Reply::Household { .. } | Reply::Failed(_)));
                    app.update(msg);
                    if done {
                        break;
                    }
                }
            }
        }
        draw(&mut term, &app)?;
        opens.0.push(s.elapsed());
    }
    let p99 = opens.ms(0.99);
    r.add(
        format!(
            "Ouverture d'un dossier (chargement, délais, image), p50 / p99 ({})",
            opens.0.len()
        ),
        format!("{:.1} / {:.1} ms", opens.ms(0.5), p99),
        "≤ 20 ms",
        Some(p99 <= 20.0),
    );
    let rss = peak_rss_mb();
    r.add(
        "Mémoire résidente maximale (portefeuille, index, dossiers ouverts)",
        rss.map_or("?".into(), |m| format!("{m:.0} Mo")),
        "≤ 300 Mo",
        rss.map(|m| m <= 300.0),
    );
    r.add(
        "Mémoire : résidente maintenant (anonyme / fichiers) ; index de recherche",
        format!(
            "{} / {} ; {:.0} Mo",
            status_mb("RssAnon:").map_or("?".into(), |m| format!("{m:.0}")),
            status_mb("RssFile:").map_or("?".into(), |m| format!("{m:.0} Mo")),
            index_bytes as f64 / 1_048_576.0
        ),
        "",
        None,
    );
    drop(worker);
    if args.workstation {
        print(&r, args.markdown)?;
        return Ok(ExitCode::SUCCESS);
    }

    let store = Store::open(&ctx.db)?;
    yearly_stats_and_agenda(ctx, &store, &mut r)?;
    if let Some(index) = &app.index {
        let names: Vec<String> = (0..index.len())
            .map(|i| index.name(i).to_string())
            .collect();
        compare_fzf(&mut r, index, &names)?;
    }
    drop(store);
    if args.import_lines > 0 {
        import::import_rate(ctx, &mut r, args.import_lines)?;
    }
    print(&r, args.markdown)?;
    Ok(ExitCode::SUCCESS)
}

/// The year's figures (`impayes stats --year`, the dashboard) and the monthly review's agenda
/// (`impayes review new`, without storing it).
fn yearly_stats_and_agenda(ctx: &Context, store: &Store, r: &mut Report) -> Result<()> {
    use chrono::Datelike;
    let year = ctx.today.year() - 1;
    if let Some(period) = crate::domain::figures::Period::year(year) {
        let s = Instant::now();
        std::hint::black_box(store::stats::sector_stats(store.conn(), period)?);
        let took = s.elapsed();
        r.add(
            format!("Chiffres de l'année {year} (tous secteurs et par secteur)"),
            format!("{:.0} ms", took.as_secs_f64() * 1000.0),
            "≤ 1 s",
            Some(took <= Duration::from_secs(1)),
        );
    }
    // The dashboard's first view: the current year up to today, whose debts are not a
    // year's end (see `store::stats`). Timed twice: the first reads what the page cache no
    // longer holds (on this kind of virtual machine, pages idle for half a minute are given
    // back to the host), the second is what an officer meets on a server in use all day.
    if let Some(from) = chrono::NaiveDate::from_ymd_opt(ctx.today.year(), 1, 1) {
        let period = crate::domain::figures::Period {
            from,
            to: ctx.today,
        };
        let mut took = [Duration::ZERO; 2];
        for t in &mut took {
            let s = Instant::now();
            std::hint::black_box(store::stats::sector_stats(store.conn(), period)?);
            *t = s.elapsed();
        }
        r.add(
            format!(
                "Chiffres de l'année {} au {} (tableau de bord à l'ouverture), premier / second calcul",
                ctx.today.year(),
                ctx.today.format("%d/%m/%Y")
            ),
            format!(
                "{:.0} / {:.0} ms",
                took[0].as_secs_f64() * 1000.0,
                took[1].as_secs_f64() * 1000.0
            ),
            "≤ 1 s",
            Some(took[1] <= Duration::from_secs(1)),
        );
    }
    let rules = crate::config::load_rules()?;
    let agenda_rules = ctx.config.review.clone();
    let agenda_ctx = crate::domain::agenda::AgendaContext {
        date: ctx.today,
        last_review: None,
    };
    let s = Instant::now();
    let facts = store::agenda_facts(
        store.conn(),
        ctx.today,
        agenda_ctx.reference(&agenda_rules),
        None,
        &rules,
    )?;
    let agenda = crate::domain::agenda::build_agenda(&facts, &agenda_ctx, &agenda_rules);
    let took = s.elapsed();
    std::hint::black_box(agenda);
    r.add(
        "Ordre du jour de la réunion mensuelle (règles sur tous les dossiers ouverts)",
        format!("{:.0} ms", took.as_secs_f64() * 1000.0),
        "",
        None,
    );
    Ok(())
}

/// The lookup against `fzf --filter` on the same names, when fzf is installed.
fn compare_fzf(r: &mut Report, index: &SearchIndex, names: &[String]) -> Result<()> {
    let queries = ["beranger", "elodie beranger", "martin", "mul"];
    let mut ours = Duration::ZERO;
    for q in queries {
        let s = Instant::now();
        std::hint::black_box(index.search(q, 20));
        ours += s.elapsed();
    }
    let dir = tempfile::tempdir()?;
    let list = dir.path().join("names.txt");
    std::fs::write(&list, names.join("\n"))?;
    let mut theirs = Duration::ZERO;
    for q in queries {
        let input = std::fs::File::open(&list)?;
        let s = Instant::now();
        let status = Command::new("fzf")
            .args(["--filter", q])
            .stdin(input)
            .stdout(Stdio::null())
            .status();
        match status {
            Ok(_) => theirs += s.elapsed(),
            Err(_) => {
                r.add(
                    "Recherche comparée à fzf --filter",
                    "fzf absent".into(),
                    "",
                    None,
                );
                return Ok(());
            }
        }
    }
    r.add(
        "Recherche à froid, 4 requêtes : impayes / fzf --filter (noms seuls)",
        format!(
            "{:.1} / {:.1} ms (×{:.1})",
            ours.as_secs_f64() * 1000.0,
            theirs.as_secs_f64() * 1000.0,
            theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9)
        ),
        "",
        None,
    );
    Ok(())
}

fn print(r: &Report, markdown: bool) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let mark = |m: Option<bool>| match m {
        Some(true) => "oui",
        Some(false) => "NON",
        None => "",
    };
    if markdown {
        writeln!(out, "| Mesure | Valeur | Cible | Atteinte |")?;
        writeln!(out, "|---|---|---|---|")?;
        for f in &r.0 {
            writeln!(
                out,
                "| {} | {} | {} | {} |",
                f.measure,
                f.value,
                f.target,
                mark(f.met)
            )?;
        }
    } else {
        for f in &r.0 {
            writeln!(
                out,
                "{:<78} {:>24}  {:<12} {}",
                f.measure,
                f.value,
                f.target,
                mark(f.met)
            )?;
        }
    }
    out.flush().context("écriture impossible")?;
    Ok(())
}
