//! The tmux harness of the end-to-end tests: a private tmux server per test, the real binary
//! started in it, keys sent, screens polled until what is awaited shows, and the exit status
//! read back.

#![allow(dead_code)] // not every helper is used by every test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_impayes");
pub const TODAY: &str = "2026-11-22";
pub const TIMEOUT: Duration = Duration::from_secs(10);

pub fn tmux_installed() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A private tmux server and a home directory of its own (no user config or theme leaks in).
pub struct Tmux {
    socket: PathBuf,
    dir: tempfile::TempDir,
}

impl Tmux {
    pub fn new(tag: &str) -> Option<Tmux> {
        if !tmux_installed() {
            eprintln!("tmux n'est pas installé : test de bout en bout « {tag} » ignoré");
            return None;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        // The pane keeps its last screen and exit status once the program ends; no status
        // line, so that the program gets the whole size asked.
        std::fs::write(
            dir.path().join("tmux.conf"),
            "set -g remain-on-exit on\nset -g status off\n",
        )
        .expect("tmux.conf");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        Some(Tmux {
            socket: dir.path().join(format!("tmux-{tag}")),
            dir,
        })
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn home(&self) -> PathBuf {
        self.path("home")
    }

    /// A command with the test's home and no inherited tmux client.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join(".config"))
            .env("XDG_DATA_HOME", self.home().join(".local/share"))
            .env("TERM", "xterm-256color")
            .env_remove("TMUX")
            .env_remove("NO_COLOR")
            .env_remove("IMPAYES_DB");
        c
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        let conf = self.path("tmux.conf");
        self.command("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("-f")
            .arg(&conf)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Starts `command` (a shell command line) in a detached session of `w`×`h`; returns the
    /// pane's process id (the shell execs the program).
    pub fn start(&self, session: &str, w: u16, h: u16, command: &str) -> u32 {
        self.ok(&[
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            command,
        ]);
        let size = self.ok(&[
            "display-message",
            "-p",
            "-t",
            session,
            "#{pane_width}x#{pane_height}",
        ]);
        assert_eq!(size.trim(), format!("{w}x{h}"));
        self.pane(session, "#{pane_pid}")
            .and_then(|p| p.parse().ok())
            .expect("pane pid")
    }

    pub fn capture(&self, session: &str) -> String {
        self.ok(&["capture-pane", "-p", "-t", session])
    }

    /// The screen with its attributes and colours as escape sequences.
    pub fn capture_styled(&self, session: &str) -> String {
        self.ok(&["capture-pane", "-p", "-e", "-t", session])
    }

    /// Polls the screen until `ready` holds; panics with the last screen after `TIMEOUT`.
    pub fn wait_for(&self, session: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.capture(session);
            if ready(&screen) {
                return screen;
            }
            if start.elapsed() > TIMEOUT {
                panic!("attendu : {what}\nécran :\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    pub fn wait_text(&self, session: &str, text: &str) -> String {
        self.wait_for(session, text, |s| s.contains(text))
    }

    /// One key per call (`Enter`, `Tab`, `C-s`, `/`…).
    pub fn key(&self, session: &str, key: &str) {
        self.ok(&["send-keys", "-t", session, key]);
        if key == "Escape" {
            // Escape followed at once by another key reads as Alt-key.
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Text typed one character per call.
    pub fn type_text(&self, session: &str, text: &str) {
        for c in text.chars() {
            self.ok(&["send-keys", "-t", session, "-l", &c.to_string()]);
        }
    }

    /// A format of the session's pane (`#{pane_pid}`…); None once the session is gone.
    pub fn pane(&self, session: &str, format: &str) -> Option<String> {
        let out = self.tmux(&["display-message", "-p", "-t", session, format]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Waits for the program (process `pid`) to end after `q`; checks it exited with status 0
    /// and left the alternate screen; then removes the session, which keeps dead panes.
    pub fn wait_exit(&self, session: &str, pid: u32) {
        let start = Instant::now();
        // Until the session is gone (the program ended too) or its pane is seen dead.
        while let Some(state) = self.pane(session, "#{pane_dead} #{pane_dead_status}") {
            let (dead, status) = state.split_once(' ').unwrap_or((state.as_str(), ""));
            if dead == "1" {
                // The terminal closed: the program ended. tmux reaps it a moment later; until
                // then its exit code is read from /proc (it is a zombie).
                let code = match status.parse::<i32>() {
                    Ok(c) => Some(c << 8),
                    Err(_) => zombie_exit_code(pid),
                };
                let known = code.is_some() || !Path::new("/proc/self/stat").exists();
                if known {
                    assert_eq!(code.unwrap_or(0), 0, "exit status 0, no signal");
                    let screen = self.capture(session);
                    assert!(
                        !screen.contains("Portefeuille"),
                        "the terminal is restored (alternate screen left):\n{screen}"
                    );
                    self.ok(&["kill-session", "-t", session]);
                    break;
                }
            }
            if start.elapsed() > TIMEOUT {
                panic!(
                    "the program did not end after q ({state}):\n{}",
                    self.capture(session)
                );
            }
            std::thread::sleep(Duration::from_millis(40));
        }
        let gone = self.tmux(&["has-session", "-t", session]);
        assert!(!gone.status.success(), "session {session} ended");
    }

    /// Generates the demo database of 300 homes.
    pub fn demo_db(&self) -> PathBuf {
        let db = self.path("demo.sqlite3");
        let out = self
            .command(BIN)
            .args(["demo", "--db"])
            .arg(&db)
            .args(["--households", "300", "--today", TODAY])
            .output()
            .expect("impayes demo");
        assert!(
            out.status.success(),
            "impayes demo: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        db
    }
}

/// The raw wait status of process `pid` if it is a zombie (exited, not yet reaped): field 52
/// of `/proc/PID/stat`.
pub fn zombie_exit_code(pid: u32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = after.split_whitespace().collect();
    // `after` starts at field 3 (state).
    if fields.first() != Some(&"Z") {
        return None;
    }
    fields.get(52 - 3)?.parse().ok()
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

pub fn workstation(db: &Path, extra: &str) -> String {
    format!(
        "{BIN} --db '{}' --today {TODAY} --user pmuller{extra}",
        db.display()
    )
}

/// A screen showing the portfolio with at least one dossier.
pub fn portfolio_shown(s: &str) -> bool {
    s.contains("Portefeuille") && s.lines().any(|l| l.starts_with("411-"))
}

/// The first result of the lookup: the line after the count of households found.
pub fn first_hit(s: &str) -> Option<&str> {
    s.lines().skip_while(|l| !l.contains(" trouvé")).nth(1)
}

/// Opens Élodie Béranger's dossier through the lookup and waits for her file.
pub fn open_beranger(t: &Tmux, session: &str) {
    t.key(session, "/");
    t.wait_text(session, "Rechercher un ménage");
    t.type_text(session, "beranger");
    t.wait_for(session, "Élodie Béranger listed first", |s| {
        s.contains("› beranger") && first_hit(s).is_some_and(|l| l.contains(" · Élodie Béranger"))
    });
    t.key(session, "Enter");
    t.wait_for(session, "Élodie Béranger's dossier", |s| {
        s.contains("┌ Élodie Béranger") && s.contains(" — 411-") && s.contains("Chronologie (")
    });
}
