//! End to end: the real binary in a real terminal (tmux), driven key by key as an officer
//! would, on a demo database: lookup, dossier, a relance recorded, quit, start again and find
//! it; NO_COLOR and another theme start too. Skipped, with a message, when tmux is missing
//! (CI installs it).
//!
//! Each test has its own tmux server, on a socket in its own tempdir (`tmux -S DIR/tmux-TAG`,
//! rather than `-L NAME`, so that no socket file outlives the test), killed at the end even
//! when the test fails; screens are polled until what is awaited shows (10 s at most), never
//! waited for with long fixed sleeps.

mod e2e_common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use e2e_common::*;

/// The timeline line of today's relance.
fn relance_line(s: &str) -> Option<&str> {
    s.lines().find(|l| l.contains("22/11/2026 Relance"))
}

/// Checks the newest event is the relance with `comment`: on the line when it is wide
/// enough, else in the event shown in full (Entrée).
fn check_relance(t: &Tmux, session: &str, comment: &str, wide: bool) {
    let s = t.wait_for(session, "today's relance in the timeline", |s| {
        relance_line(s).is_some()
    });
    if wide {
        let line = relance_line(&s).expect("relance line");
        assert!(line.contains(comment), "{line}");
    } else {
        t.key(session, "Enter");
        // A frame can be caught half written: wait for the whole event, not its first line.
        let s = t.wait_for(session, "the relance in full with its comment", |s| {
            s.contains("┌ Évènement") && s.contains(comment)
        });
        assert!(s.contains("Relance"), "{s}");
        t.key(session, "Escape");
        t.wait_for(session, "event closed", |s| !s.contains("┌ Évènement"));
    }
}

fn relance_persists(w: u16, h: u16) {
    let tag = format!("{w}x{h}");
    let Some(t) = Tmux::new(&tag) else {
        return;
    };
    let db = t.demo_db();
    let comment = format!("Appel e2e {tag}");
    let wide = w >= 120;

    let s1 = format!("first-{tag}");
    let pid = t.start(&s1, w, h, &workstation(&db, ""));
    t.wait_for(&s1, "the portfolio with rows", portfolio_shown);
    open_beranger(&t, &s1);
    t.key(&s1, "r");
    t.wait_text(&s1, "Nouvel évènement : Relance");
    // Date, canal, niveau, then the comment.
    for _ in 0..3 {
        t.key(&s1, "Tab");
    }
    t.type_text(&s1, &comment);
    t.wait_text(&s1, &comment);
    t.key(&s1, "C-s");
    t.wait_for(&s1, "the form closed and the relance stored", |s| {
        !s.contains("Nouvel évènement") && s.contains("Relance enregistré(e) le 22/11/2026")
    });
    check_relance(&t, &s1, &comment, wide);
    t.key(&s1, "q");
    t.wait_exit(&s1, pid);

    // Started again: the relance was stored.
    let s2 = format!("again-{tag}");
    let pid = t.start(&s2, w, h, &workstation(&db, ""));
    t.wait_for(&s2, "the portfolio with rows", portfolio_shown);
    open_beranger(&t, &s2);
    check_relance(&t, &s2, &comment, wide);
    t.key(&s2, "q");
    t.wait_exit(&s2, pid);
}

#[test]
fn relance_recorded_and_kept_80x24() {
    relance_persists(80, 24);
}

#[test]
fn relance_recorded_and_kept_200x60() {
    relance_persists(200, 60);
}

/// Colour parameters of the SGR sequences of a `capture-pane -e` screen.
fn colours(styled: &str) -> Vec<String> {
    let mut out = Vec::new();
    for seq in styled.split("\x1b[").skip(1) {
        let Some(end) = seq.find('m') else { continue };
        let params = &seq[..end];
        if !params.chars().all(|c| c.is_ascii_digit() || c == ';') {
            continue;
        }
        let mut it = params.split(';');
        while let Some(p) = it.next() {
            let n: u32 = p.parse().unwrap_or(0);
            match n {
                30..=37 | 40..=47 | 90..=97 | 100..=107 => out.push(p.to_string()),
                38 | 48 => {
                    out.push(p.to_string());
                    // 38;5;N or 38;2;R;G;B
                    match it.next() {
                        Some("5") => {
                            it.next();
                        }
                        Some("2") => {
                            it.nth(2);
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn no_color_and_other_theme_start() {
    let Some(t) = Tmux::new("themes") else {
        return;
    };
    let db = t.demo_db();

    let pid = t.start(
        "nocolor",
        80,
        24,
        &format!("env NO_COLOR=1 {}", workstation(&db, "")),
    );
    t.wait_for("nocolor", "the portfolio with rows", portfolio_shown);
    let styled = t.capture_styled("nocolor");
    assert_eq!(
        colours(&styled),
        Vec::<String>::new(),
        "NO_COLOR: attributes only"
    );
    t.key("nocolor", "q");
    t.wait_exit("nocolor", pid);

    let pid = t.start("contraste", 80, 24, &workstation(&db, " --theme contraste"));
    t.wait_for("contraste", "the portfolio with rows", portfolio_shown);
    let styled = t.capture_styled("contraste");
    assert!(!colours(&styled).is_empty(), "contraste has colours");
    // The lookup works there too.
    open_beranger(&t, "contraste");
    t.key("contraste", "q");
    t.wait_exit("contraste", pid);
}

#[test]
fn an_unknown_theme_is_refused_before_the_terminal_changes() {
    let Some(t) = Tmux::new("badtheme") else {
        return;
    };
    let db = t.demo_db();
    let out = t
        .command(BIN)
        .args(["--db"])
        .arg(&db)
        .args(["--today", TODAY, "--theme", "fluo"])
        .output()
        .expect("impayes");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("thème « fluo » inconnu"), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing drawn");
}

/// The monthly review as the meeting runs it: the agenda built from the shell, the meeting
/// screen at 200×50 in the projector theme, a decision from the form, and another officer's
/// decision recorded from the shell that the projected screen shows without a key press.
#[test]
fn review_meeting_200x50_contraste() {
    let Some(t) = Tmux::new("review") else {
        return;
    };
    let db = t.demo_db();
    let out = t
        .command(BIN)
        .arg("--db")
        .arg(&db)
        .args(["--today", TODAY, "review", "new", "--date", "2026-11-22"])
        .output()
        .expect("impayes review new");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s = "review";
    let pid = t.start(
        s,
        200,
        50,
        &format!(
            "{BIN} --db '{}' --today {TODAY} --user cmartin --theme contraste",
            db.display()
        ),
    );
    t.wait_for(s, "the portfolio with rows", portfolio_shown);
    t.key(s, "4");
    t.wait_text(s, "dossier 1 / ");
    t.wait_text(s, "Pourquoi à l'ordre du jour");
    t.key(s, "d");
    t.wait_text(s, "Décision — ");
    t.key(s, "C-s");
    t.wait_text(s, "1 décision(s)");
    t.key(s, "n");
    let screen = t.wait_text(s, "dossier 2 / ");
    let account = screen
        .lines()
        .nth(2)
        .and_then(|l| l.split_whitespace().nth(1))
        .expect("account on the screen")
        .to_string();
    let out = t
        .command(BIN)
        .arg("--db")
        .arg(&db)
        .args([
            "--today",
            TODAY,
            "--user",
            "pmuller",
            "review",
            "decide",
            "1",
            &account,
            "--decision",
            "cesf-visit",
            "--text",
            "décidé depuis un autre poste",
        ])
        .output()
        .expect("impayes review decide");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.wait_text(s, "Visite CESF — décidé depuis un autre poste");
    t.key(s, "q");
    t.wait_exit(s, pid);
}

// ---- Team use (issue 9) ----

/// A raw connection to the demo database, for what no command writes (hostile names).
fn raw(db: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(db).expect("open demo database")
}

#[test]
fn two_sessions_on_one_database_see_each_others_relance() {
    let Some(t) = Tmux::new("two") else {
        return;
    };
    let db = t.demo_db();
    let (a, b) = ("officer-a", "officer-b");
    let pid_a = t.start(a, 200, 50, &workstation(&db, ""));
    let pid_b = t.start(
        b,
        200,
        50,
        &format!(
            "{BIN} --db '{}' --today {TODAY} --user ywalter",
            db.display()
        ),
    );
    for s in [a, b] {
        t.wait_for(s, "the portfolio with rows", portfolio_shown);
        open_beranger(&t, s);
    }
    assert!(relance_line(&t.capture(b)).is_none());
    t.key(a, "r");
    t.wait_text(a, "Nouvel évènement : Relance");
    for _ in 0..3 {
        t.key(a, "Tab");
    }
    t.type_text(a, "Vu par l'autre poste");
    t.key(a, "C-s");
    t.wait_text(a, "Relance enregistré(e) le 22/11/2026");
    let stored = Instant::now();
    let s = t.wait_for(b, "the relance in the other window", |s| {
        relance_line(s).is_some_and(|l| l.contains("Vu par l'autre poste"))
    });
    let took = stored.elapsed();
    eprintln!("the other window showed the relance after {took:?}");
    assert!(took <= Duration::from_millis(2_500), "{took:?}\n{s}");
    // Who changed it last, in the header of both.
    t.wait_text(b, "Modifié par pmuller le ");
    for (s, pid) in [(a, pid_a), (b, pid_b)] {
        t.key(s, "q");
        t.wait_exit(s, pid);
    }
}

#[test]
fn a_tenant_named_with_escape_sequences_leaves_the_terminal_alone() {
    let Some(t) = Tmux::new("hostile") else {
        return;
    };
    let db = t.demo_db();
    // OSC 2 (window title), clear screen, OSC 52 (clipboard), BEL, a right-to-left override.
    let name = "Evil\u{1b}]2;PWNED\u{7}\u{1b}[2J\u{1b}]52;c;cHduZWQ=\u{7}Name\u{202E}987";
    raw(&db)
        .execute(
            "UPDATE households SET holder = ?1, co_holder = NULL, search_key = 'evil name'
             WHERE id = 2",
            [name],
        )
        .expect("hostile name");
    let pid = t.start("hostile", 120, 40, &workstation(&db, ""));
    t.wait_for("hostile", "the portfolio with rows", portfolio_shown);
    t.key("hostile", "/");
    t.wait_text("hostile", "Rechercher un ménage");
    t.type_text("hostile", "evil");
    t.wait_text("hostile", "Evil^[]2;PWNED^G");
    t.key("hostile", "Enter");
    let s = t.wait_text(
        "hostile",
        "┌ Evil^[]2;PWNED^G^[[2J^[]52;c;cHduZWQ=^GName\u{FFFD}987",
    );
    assert!(
        s.contains("Portefeuille"),
        "the screen was not cleared:\n{s}"
    );
    let title = t.pane("hostile", "#{pane_title}").unwrap_or_default();
    assert!(!title.contains("PWNED"), "window title changed: {title}");
    let clipboard = t.tmux(&["show-buffer"]);
    assert!(
        !String::from_utf8_lossy(&clipboard.stdout).contains("pwned"),
        "clipboard written"
    );
    t.key("hostile", "q");
    t.wait_exit("hostile", pid);
}

#[test]
fn a_cesf_note_is_invisible_to_an_amicable_officer() {
    let Some(t) = Tmux::new("notes") else {
        return;
    };
    let db = t.demo_db();
    // A household whose newest event is a CESF's confidential note, written today.
    let conn = raw(&db);
    let (account, dossier): (String, i64) = conn
        .query_row(
            "SELECT h.account, d.id FROM dossiers d JOIN households h ON h.id = d.household_id
             WHERE d.closed_on IS NULL ORDER BY d.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a dossier");
    conn.execute(
        "INSERT INTO events (dossier_id, date, kind, author, text, data, recorded_at)
         VALUES (?1, '2026-11-22', 'note', 'lmeyer', 'Suivi psychologique confidentiel',
                 '{\"kind\":\"note\",\"confidential\":true}', '2026-11-22T09:00:00Z')",
        [dossier],
    )
    .expect("note");
    drop(conn);
    for (user, sees) in [("lmeyer", true), ("pmuller", false)] {
        let session = format!("notes-{user}");
        let pid = t.start(
            &session,
            200,
            50,
            &format!(
                "{BIN} --db '{}' --today {TODAY} --user {user}",
                db.display()
            ),
        );
        t.wait_for(&session, "the portfolio with rows", portfolio_shown);
        t.key(&session, "/");
        t.wait_text(&session, "Rechercher un ménage");
        t.type_text(&session, &account);
        t.wait_for(&session, "the household found", |s| {
            first_hit(s).is_some_and(|l| l.contains(&account))
        });
        t.key(&session, "Enter");
        // The whole line, not a frame caught half written.
        let shown = if sees {
            "Suivi psychologique confidentiel"
        } else {
            "[contenu réservé"
        };
        let s = t.wait_for(&session, "today's note in the timeline", |s| {
            s.lines()
                .any(|l| l.contains("22/11/2026 Note") && l.contains(shown))
        });
        assert_eq!(
            s.contains("Suivi psychologique confidentiel"),
            sees,
            "{user}:\n{s}"
        );
        t.key(&session, "q");
        t.wait_exit(&session, pid);
    }
}

#[test]
fn an_unknown_login_reads_only_and_a_dropped_link_keeps_the_form() {
    let Some(t) = Tmux::new("draft") else {
        return;
    };
    let db = t.demo_db();
    // A session that outlives the others, so that the tmux server does not exit (and race
    // the next new-session) when one ends.
    t.start("keep", 80, 24, "sleep 600");
    // Outside the staff: a banner, and forms refused.
    let pid = t.start(
        "intrus",
        100,
        30,
        &format!(
            "{BIN} --db '{}' --today {TODAY} --user intrus",
            db.display()
        ),
    );
    t.wait_text("intrus", "LECTURE SEULE");
    open_beranger(&t, "intrus");
    t.key("intrus", "r");
    t.wait_text("intrus", "Lecture seule");
    t.key("intrus", "q");
    t.wait_exit("intrus", pid);

    // A relance typed, then the SSH link drops (SIGHUP): the input is kept.
    let pid = t.start("hup", 100, 30, &workstation(&db, ""));
    t.wait_for("hup", "the portfolio with rows", portfolio_shown);
    open_beranger(&t, "hup");
    t.key("hup", "r");
    t.wait_text("hup", "Nouvel évènement : Relance");
    for _ in 0..3 {
        t.key("hup", "Tab");
    }
    t.type_text("hup", "Saisie avant coupure");
    t.wait_text("hup", "Saisie avant coupure");
    let killed = Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    t.wait_for("hup", "the program ended", |_| {
        t.pane("hup", "#{pane_dead}").as_deref() != Some("0")
    });
    let _ = t.tmux(&["kill-session", "-t", "hup"]);
    let pid = t.start("back", 100, 30, &workstation(&db, ""));
    t.wait_text("back", "Saisie interrompue");
    // The form may be drawn over more than one capture: wait for the kept text itself.
    t.wait_text("back", "Saisie avant coupure");
    t.key("back", "C-s");
    t.wait_text("back", "Relance enregistré(e) le 22/11/2026");
    t.key("back", "q");
    t.wait_exit("back", pid);
}
