//! Drawing: the header with the panes and their keys, the pane, the footer with the keys that
//! work here, and the overlays on top. Only draws; never changes the model (but for the
//! scroll offsets panes remember).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Confirm, Overlay, Pane};
use super::keymap::{ACTIONS, Ctx};
use super::theme::Theme;
use crate::domain::dates::format_fr;

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 80;
/// Smallest usable terminal height.
pub const MIN_HEIGHT: u16 = 20;

/// Draws the whole screen.
pub fn render(app: &App, f: &mut Frame) {
    let area = f.area();
    let theme = &app.theme;
    f.render_widget(Block::default().style(theme.style("base")), area);
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Terminal trop petit ({}×{}) : il faut au moins {MIN_WIDTH}×{MIN_HEIGHT}.",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg)
                .wrap(Wrap { trim: true })
                .style(theme.style("error")),
            area,
        );
        return;
    }
    let [banner, header, body, footer] = Layout::vertical([
        Constraint::Length(u16::from(app.read_only)),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    super::team::render_banner(app, f, banner);
    render_header(app, f, header);
    match app.pane {
        Pane::Portfolio => {
            if app.households == Some(0) {
                render_empty(app, f, body);
            } else if !app.portfolio.loaded() {
                f.render_widget(
                    Paragraph::new(" Chargement du portefeuille…").style(theme.style("muted")),
                    body,
                );
            } else {
                app.portfolio.render(f, body, theme, &app.user, app.today);
            }
        }
        Pane::Dossier => {
            if let Some(d) = &app.dossier {
                d.render(f, body, theme, app.today);
            }
        }
        Pane::Review => super::review_view::render(app, f, body),
        Pane::Actions => app.actions.render(f, body, theme, app.today),
        Pane::Letters => app.letters.render(f, body, theme),
        Pane::Dashboard => super::dashboard_view::render(&app.dashboard, f, body, theme, app.today),
    }
    render_footer(app, f, footer);
    for o in &app.overlays {
        match o {
            Overlay::Lookup(l) => l.render(f, body, theme, app.index.as_ref()),
            Overlay::Form(s) => {
                s.form.render(f, body, theme);
            }
            Overlay::Kinds(k) => render_kinds(f, body, theme, k),
            Overlay::Help(scroll) => render_help(app, f, body, *scroll),
            Overlay::Palette(p) => render_palette(app, f, body, p),
            Overlay::Event(e) => render_event(f, body, theme, e),
            Overlay::Text(title, text) => render_text(f, body, theme, title, text),
        }
    }
    if let Some(c) = app.confirm {
        let text = match c {
            Confirm::Quit => "Une saisie n'est pas enregistrée. Quitter quand même ? (o/n)",
            Confirm::DropForm => "Abandonner la saisie en cours ? (o/n)",
        };
        let r = centered(body, 64, 5);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: true })
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.style("error"))
                        .title(" Confirmation "),
                )
                .style(theme.style("base")),
            r,
        );
    }
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn render_header(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut spans = vec![Span::styled(" impayes ", t.style("header.active"))];
    let who = format!(" {} · {} ", app.user, format_fr(app.today));
    // The dossier's name gets what the other items leave (its block title shows it anyway).
    let room = (area.width as usize).saturating_sub(72 + who.chars().count());
    let dossier_name = app
        .dossier
        .as_ref()
        .and_then(|d| d.file.as_ref())
        .filter(|_| room >= 6)
        .map(|f| {
            let holder = &f.household.holder;
            if holder.chars().count() <= room {
                format!("Dossier : {holder}")
            } else {
                let cut: String = holder.chars().take(room - 1).collect();
                format!("Dossier : {}…", cut.trim_end())
            }
        })
        .unwrap_or_else(|| "Dossier".into());
    for (key, label, pane) in [
        ("1", "Portefeuille".to_string(), Pane::Portfolio),
        ("2", dossier_name, Pane::Dossier),
        ("3", "Actions".to_string(), Pane::Actions),
    ] {
        let style = if app.pane == pane {
            t.style("header.active")
        } else {
            t.style("header")
        };
        spans.push(Span::styled(" ", t.style("header")));
        spans.push(Span::styled(key, t.style("header.key")));
        spans.push(Span::styled(format!(" {label} "), style));
    }
    // The other panes show in the header only while they are open.
    let other = match app.pane {
        Pane::Review => Some(("4", " Réunion ")),
        Pane::Letters => Some(("5", " Courriers ")),
        Pane::Dashboard => Some(("6", " Tableau de bord ")),
        _ => None,
    };
    if let Some((key, label)) = other {
        spans.push(Span::styled(" ", t.style("header")));
        spans.push(Span::styled(key, t.style("header.key")));
        spans.push(Span::styled(label, t.style("header.active")));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    // On the right, who and when, whole or not at all (a long name on 80 columns leaves no
    // room for it: "pmul" helps nobody). Who is logged in matters more on a shared terminal
    // than the labels of the two keys, which give way first (the footer names them too).
    let date = format!(" {} ", format_fr(app.today));
    let width = area.width as usize;
    let (long, right) = [(true, &who), (false, &who), (true, &date), (false, &date)]
        .into_iter()
        .find(|(long, right)| {
            let hints: usize = hints(*long).iter().map(|(s, _)| s.chars().count()).sum();
            used + hints + right.chars().count() <= width
        })
        .map_or((false, String::new()), |(long, right)| {
            (long, right.clone())
        });
    for (text, key) in hints(long) {
        let style = if key { "header.key" } else { "header" };
        spans.push(Span::styled(text, t.style(style)));
    }
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let pad = (area.width as usize).saturating_sub(used + right.chars().count());
    spans.push(Span::styled(" ".repeat(pad), t.style("header")));
    spans.push(Span::styled(right, t.style("header")));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The header's search and help keys, with their labels or without (narrow terminals): each
/// piece of text and whether it is a key.
fn hints(long: bool) -> [(&'static str, bool); 5] {
    let (search, help) = if long {
        (" Rechercher ", " Aide ")
    } else {
        (" ", " ")
    };
    [
        (" ", false),
        ("/", true),
        (search, false),
        ("?", true),
        (help, false),
    ]
}

fn render_footer(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    if let Some((msg, error)) = &app.flash {
        let style = if *error {
            t.style("error")
        } else {
            t.style("ok")
        };
        f.render_widget(Paragraph::new(format!(" {msg}")).style(style), area);
        return;
    }
    let mut spans = Vec::new();
    let entries: Vec<(String, &str)> = match app.overlays.last() {
        Some(Overlay::Lookup(_)) => vec![
            ("↑↓".into(), "choisir"),
            ("Entrée".into(), "ouvrir le dossier"),
            ("Échap".into(), "fermer"),
        ],
        Some(Overlay::Form(_)) => vec![
            ("Tab".into(), "champ suivant"),
            ("Ctrl-S".into(), "enregistrer"),
            ("Échap".into(), "annuler"),
        ],
        Some(Overlay::Kinds(_)) | Some(Overlay::Palette(_)) => vec![
            ("lettres".into(), "filtrer"),
            ("↑↓".into(), "choisir"),
            ("Entrée".into(), "valider"),
            ("Échap".into(), "fermer"),
        ],
        Some(_) => vec![("Échap".into(), "fermer")],
        None if app.households == Some(0) => app.keymap.footer(super::keymap::Ctx::Global),
        None => app.keymap.footer(app.ctx()),
    };
    let mut width = 0usize;
    for (k, label) in entries {
        let piece = k.chars().count() + label.chars().count() + 3;
        if width + piece > area.width as usize {
            break;
        }
        width += piece;
        spans.push(Span::styled(format!(" {k}"), t.style("footer.key")));
        spans.push(Span::styled(format!(" {label} "), t.style("footer")));
    }
    f.render_widget(
        Paragraph::new(Line::from(spans)).style(t.style("footer")),
        area,
    );
}

fn render_empty(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let lines = vec![
        Line::from(Span::styled(
            "Cette base ne contient encore aucun ménage.",
            t.style("title"),
        )),
        Line::default(),
        Line::from(format!("Base : {}", app.db_label)),
        Line::default(),
        Line::from("Pour la remplir :"),
        Line::from("  • importer les comptes locataires exportés par l'ERP :"),
        Line::from("      impayes import accounts FICHIER.csv --format csv"),
        Line::from("  • ou essayer l'outil sur une base de démonstration réaliste :"),
        Line::from("      impayes --demo   (base de démonstration dans le dossier de données)"),
        Line::from(format!("      impayes --db {} demo --force", app.db_label)),
        Line::default(),
        Line::from(Span::styled(
            "q pour quitter · ? pour l'aide",
            t.style("muted"),
        )),
    ];
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style("border"))
                .title(" Bienvenue "),
        ),
        area,
    );
}

fn render_kinds(f: &mut Frame, area: Rect, t: &Theme, k: &super::app::KindPicker) {
    let r = centered(area, 60, area.height.saturating_sub(2));
    f.render_widget(Clear, r);
    let items = k.items();
    let mut lines = vec![
        Line::from(vec![
            Span::styled("› ", t.style("title")),
            Span::raw(k.query.clone()),
            Span::styled("█", t.style("muted")),
        ]),
        Line::default(),
    ];
    let height = r.height.saturating_sub(4) as usize;
    let offset = k.cursor.saturating_sub(height.saturating_sub(1));
    for (i, (_, label, group)) in items.iter().enumerate().skip(offset).take(height) {
        let style = if i == k.cursor {
            t.style("selection")
        } else {
            t.style("base")
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {label:<42}"), style),
            Span::styled(format!(" {group}"), t.style("muted")),
        ]));
    }
    if items.is_empty() {
        lines.push(Line::from(Span::styled(
            " Aucun type ne correspond.",
            t.style("muted"),
        )));
    }
    f.render_widget(
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.style("title"))
                    .title(Span::styled(" Type d'évènement ", t.style("title"))),
            )
            .style(t.style("base")),
        r,
    );
}

fn help_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let mut lines = Vec::new();
    for ctx in [
        Ctx::Global,
        Ctx::Portfolio,
        Ctx::Dossier,
        Ctx::Actions,
        Ctx::Review,
        Ctx::Letters,
        Ctx::Dashboard,
    ] {
        lines.push(Line::from(Span::styled(
            ctx.label_fr().to_string(),
            t.style("title"),
        )));
        for (i, a) in ACTIONS.iter().enumerate() {
            if a.ctx != ctx {
                continue;
            }
            let keys = app.keymap.keys_of(i).join(" ");
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys:<22}"), t.style("footer.key")),
                Span::raw(a.label.to_string()),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::from(Span::styled(
        "Dans un formulaire".to_string(),
        t.style("title"),
    )));
    for (k, l) in [
        ("Tab ↓ / Maj-Tab ↑", "champ suivant / précédent"),
        (
            "← → Espace",
            "changer de choix (ou taper sa première lettre)",
        ),
        (
            "Entrée",
            "champ suivant ; enregistre depuis le dernier champ",
        ),
        ("Ctrl-S F2", "enregistrer"),
        ("Ctrl-U", "vider le champ"),
        ("Échap", "annuler (confirmation si la saisie est commencée)"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("  {k:<22}"), t.style("footer.key")),
            Span::raw(l.to_string()),
        ]));
    }
    lines
}

fn render_help(app: &App, f: &mut Frame, area: Rect, scroll: usize) {
    let t = &app.theme;
    let r = centered(area, 84, area.height);
    f.render_widget(Clear, r);
    let lines = help_lines(app);
    let max = lines
        .len()
        .saturating_sub(r.height.saturating_sub(2) as usize);
    f.render_widget(
        Paragraph::new(lines)
            .scroll((scroll.min(max) as u16, 0))
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.style("title"))
                    .title(Span::styled(
                        " Aide — ↑↓ pour défiler, Échap pour fermer ",
                        t.style("title"),
                    )),
            )
            .style(t.style("base")),
        r,
    );
}

fn render_palette(app: &App, f: &mut Frame, area: Rect, p: &super::app::Palette) {
    let t = &app.theme;
    let r = centered(area, 76, area.height.saturating_sub(2));
    f.render_widget(Clear, r);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(": ", t.style("title")),
            Span::raw(p.query.clone()),
            Span::styled("█", t.style("muted")),
        ]),
        Line::default(),
    ];
    let height = r.height.saturating_sub(4) as usize;
    let items = p.items();
    // Labels as wide as the longest, so that the keys fit beside them on 80 columns.
    let label_width = ACTIONS
        .iter()
        .map(|a| a.label.chars().count())
        .max()
        .unwrap_or(0);
    let offset = p.cursor.saturating_sub(height.saturating_sub(1));
    for (row, &i) in items.iter().enumerate().skip(offset).take(height) {
        let a = &ACTIONS[i];
        let style = if row == p.cursor {
            t.style("selection")
        } else {
            t.style("base")
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<label_width$}", a.label), style),
            Span::styled(format!(" {:<13}", a.ctx.label_fr()), t.style("muted")),
            Span::styled(app.keymap.keys_of(i).join(" "), t.style("footer.key")),
        ]));
    }
    f.render_widget(
        Paragraph::new(lines)
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.style("title"))
                    .title(Span::styled(" Commandes ", t.style("title"))),
            )
            .style(t.style("base")),
        r,
    );
}

fn render_event(f: &mut Frame, area: Rect, t: &Theme, e: &crate::domain::event::Event) {
    let r = centered(area, 78, 16);
    f.render_widget(Clear, r);
    let label = t.style("form.label");
    let mut lines = vec![
        Line::from(vec![
            Span::styled("Date        ", label),
            Span::raw(format_fr(e.date)),
        ]),
        Line::from(vec![
            Span::styled("Type        ", label),
            Span::raw(e.detail.label_fr()),
        ]),
        Line::from(vec![
            Span::styled("Auteur      ", label),
            Span::raw(e.author.clone()),
        ]),
        Line::from(vec![
            Span::styled("Enregistré  ", label),
            Span::raw(e.recorded_at.replace('T', " ").replace('Z', " UTC")),
        ]),
        Line::from(vec![
            Span::styled("Détail      ", label),
            Span::raw(e.detail.summary_fr()),
        ]),
        Line::default(),
    ];
    for l in e.text.lines() {
        lines.push(Line::from(l.to_string()));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.style("title"))
                    .title(Span::styled(" Évènement ", t.style("title"))),
            )
            .style(t.style("base")),
        r,
    );
}

fn render_text(f: &mut Frame, area: Rect, t: &Theme, title: &str, text: &str) {
    let r = centered(area, 90, area.height.saturating_sub(2));
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(text.to_string())
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.style("title"))
                    .title(Span::styled(format!(" {title} "), t.style("title"))),
            )
            .style(t.style("base")),
        r,
    );
}
