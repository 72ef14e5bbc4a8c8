//! The compte rendu of a monthly review, in Markdown and in HTML that prints on A4. It carries
//! what the meeting decided and nothing of the dossiers' timelines: no social note, confidential
//! or not, ever reaches the minutes.

use std::collections::HashMap;
use std::fmt::Write as _;

use rusqlite::Connection;

use crate::domain::action::Action;
use crate::domain::dates::format_fr;
use crate::domain::money::format_eur;
use crate::domain::review::{Review, ReviewItem, ReviewStatus};
use crate::store::{self, Result};

/// Everything the minutes print.
#[derive(Debug, Clone)]
pub struct MinutesData {
    /// The meeting.
    pub review: Review,
    /// Its items, removed ones included.
    pub items: Vec<ReviewItem>,
    /// Actions by item id.
    pub actions: HashMap<i64, Vec<Action>>,
    /// Full names by login, for people rather than logins.
    pub names: HashMap<String, String>,
}

impl MinutesData {
    /// Reads a meeting's minutes from the database.
    pub fn load(conn: &Connection, review_id: i64) -> Result<MinutesData> {
        Ok(MinutesData {
            review: store::review(conn, review_id)?,
            items: store::review_items(conn, review_id, true)?,
            actions: store::review_actions(conn, review_id)?,
            names: store::staff(conn)?
                .into_iter()
                .map(|s| (s.login, s.full_name))
                .collect(),
        })
    }

    fn who(&self, login: &str) -> String {
        match self.names.get(login) {
            Some(n) => format!("{n} ({login})"),
            None => login.to_string(),
        }
    }

    fn attendees(&self) -> String {
        if self.review.attendees.is_empty() {
            return "—".into();
        }
        self.review
            .attendees
            .iter()
            .map(|a| self.who(a))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn status(&self) -> String {
        match (&self.review.status, &self.review.closed_by) {
            (ReviewStatus::Closed, Some(by)) => format!("close (par {})", self.who(by)),
            (ReviewStatus::Closed, None) => "close".into(),
            (ReviewStatus::Open, _) => "ouverte — compte rendu provisoire".into(),
        }
    }

    fn kept(&self) -> impl Iterator<Item = &ReviewItem> {
        self.items.iter().filter(|i| !i.removed)
    }

    fn figures(i: &ReviewItem) -> String {
        format!(
            "secteur {} · référent {} · dette {}{}",
            if i.sector.is_empty() {
                "—"
            } else {
                &i.sector
            },
            i.referent.as_deref().unwrap_or("—"),
            format_eur(i.debt),
            i.months
                .map(|m| format!(" ({} mois d'impayé)", m.to_string().replace('.', ",")))
                .unwrap_or_default()
        )
    }
}

/// A table cell of Markdown: one line, pipes escaped.
fn md_cell(text: &str) -> String {
    text.replace('\n', " ").replace('|', "\\|")
}

/// A line of Markdown text: characters that would format are escaped.
fn md_text(text: &str) -> String {
    let mut o = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            o.push('\\');
        }
        o.push(if c == '\n' { ' ' } else { c });
    }
    o
}

/// The minutes in Markdown.
pub fn render_markdown(m: &MinutesData) -> String {
    let mut o = String::new();
    let r = &m.review;
    let decided = m.kept().filter(|i| i.decision.is_some()).count();
    let _ = writeln!(o, "# Compte rendu — {}\n", r.title_fr());
    let _ = writeln!(o, "- Date : {}", format_fr(r.date));
    let _ = writeln!(o, "- Statut : {}", md_text(&m.status()));
    let _ = writeln!(o, "- Participants : {}", md_text(&m.attendees()));
    let _ = writeln!(
        o,
        "- Dossiers à l'ordre du jour : {} ; décisions prises : {decided}\n",
        m.kept().count()
    );
    for i in m.kept() {
        let _ = writeln!(
            o,
            "## {}. {} — {}\n",
            i.position,
            md_text(&i.account),
            md_text(&i.name)
        );
        let _ = writeln!(o, "{}\n", md_text(&MinutesData::figures(i)));
        let _ = writeln!(o, "Motifs :\n");
        for reason in &i.reasons {
            let _ = writeln!(o, "- {}", md_text(&reason.text));
        }
        let _ = writeln!(o);
        match &i.decision {
            Some(d) => {
                let _ = writeln!(o, "**Décision** : {}\n", md_text(&d.summary_fr()));
            }
            None => {
                let _ = writeln!(o, "**Décision** : aucune décision enregistrée\n");
            }
        }
        let actions = m.actions.get(&i.id).map(Vec::as_slice).unwrap_or(&[]);
        if !actions.is_empty() {
            let _ = writeln!(o, "| Qui | Quoi | Pour le |\n|---|---|---|");
            for a in actions {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} |",
                    md_cell(&m.who(&a.assignee)),
                    md_cell(&a.what),
                    format_fr(a.due_on)
                );
            }
            let _ = writeln!(o);
        }
    }
    let removed: Vec<&ReviewItem> = m.items.iter().filter(|i| i.removed).collect();
    if !removed.is_empty() {
        let _ = writeln!(o, "## Retirés de l'ordre du jour\n");
        for i in removed {
            let _ = writeln!(o, "- {} — {}", md_text(&i.account), md_text(&i.name));
        }
        let _ = writeln!(o);
    }
    let all = all_actions(m);
    if !all.is_empty() {
        let _ = writeln!(o, "## Relevé des actions\n");
        let _ = writeln!(o, "| Qui | Dossier | Quoi | Pour le |\n|---|---|---|---|");
        for (a, i) in all {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md_cell(&m.who(&a.assignee)),
                md_cell(&format!("{} {}", i.account, i.name)),
                md_cell(&a.what),
                format_fr(a.due_on)
            );
        }
    }
    o
}

/// Every action with its item, by person then due date.
fn all_actions(m: &MinutesData) -> Vec<(&Action, &ReviewItem)> {
    let mut all: Vec<(&Action, &ReviewItem)> = m
        .kept()
        .flat_map(|i| {
            m.actions
                .get(&i.id)
                .into_iter()
                .flatten()
                .map(move |a| (a, i))
        })
        .collect();
    all.sort_by(|(a, _), (b, _)| (&a.assignee, a.due_on).cmp(&(&b.assignee, b.due_on)));
    all
}

fn h(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

const PRINT_CSS: &str = r#"
@page { size: A4; margin: 18mm 16mm 20mm 16mm; }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 11pt; line-height: 1.35;
       color: #000; background: #fff; max-width: 178mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; border-bottom: 0.6pt solid #000; }
.meta { margin: 0 0 10pt; padding: 0; list-style: none; }
.item { break-inside: avoid; page-break-inside: avoid; }
.figures { margin: 2pt 0 4pt; }
.decision { margin: 4pt 0; padding: 3pt 6pt; border-left: 2.5pt solid #000; }
ul.reasons { margin: 2pt 0 4pt 14pt; padding: 0; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 10pt; }
th, td { border: 0.6pt solid #000; padding: 2pt 4pt; text-align: left; vertical-align: top; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
.none { font-style: italic; }
@media screen { body { margin: 2em auto; } }
"#;

/// The minutes in HTML, printable on A4 (every text escaped).
pub fn render_html(m: &MinutesData) -> String {
    let r = &m.review;
    let title = format!("Compte rendu — {}", r.title_fr());
    let decided = m.kept().filter(|i| i.decision.is_some()).count();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>",
        h(&title)
    );
    let _ = writeln!(o, "<h1>{}</h1>", h(&title));
    let _ = writeln!(o, "<ul class=\"meta\">");
    let _ = writeln!(o, "<li>Date : {}</li>", format_fr(r.date));
    let _ = writeln!(o, "<li>Statut : {}</li>", h(&m.status()));
    let _ = writeln!(o, "<li>Participants : {}</li>", h(&m.attendees()));
    let _ = writeln!(
        o,
        "<li>Dossiers à l'ordre du jour : {} ; décisions prises : {decided}</li>\n</ul>",
        m.kept().count()
    );
    for i in m.kept() {
        let _ = writeln!(o, "<section class=\"item\">");
        let _ = writeln!(
            o,
            "<h2>{}. {} — {}</h2>",
            i.position,
            h(&i.account),
            h(&i.name)
        );
        let _ = writeln!(
            o,
            "<p class=\"figures\">{}</p>",
            h(&MinutesData::figures(i))
        );
        let _ = writeln!(o, "<ul class=\"reasons\">");
        for reason in &i.reasons {
            let _ = writeln!(o, "<li>{}</li>", h(&reason.text));
        }
        let _ = writeln!(o, "</ul>");
        match &i.decision {
            Some(d) => {
                let _ = writeln!(
                    o,
                    "<p class=\"decision\"><strong>Décision :</strong> {}</p>",
                    h(&d.summary_fr())
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "<p class=\"decision none\">Aucune décision enregistrée</p>"
                );
            }
        }
        let actions = m.actions.get(&i.id).map(Vec::as_slice).unwrap_or(&[]);
        if !actions.is_empty() {
            let _ = writeln!(
                o,
                "<table><thead><tr><th>Qui</th><th>Quoi</th><th>Pour le</th></tr></thead><tbody>"
            );
            for a in actions {
                let _ = writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                    h(&m.who(&a.assignee)),
                    h(&a.what),
                    format_fr(a.due_on)
                );
            }
            let _ = writeln!(o, "</tbody></table>");
        }
        let _ = writeln!(o, "</section>");
    }
    let removed: Vec<&ReviewItem> = m.items.iter().filter(|i| i.removed).collect();
    if !removed.is_empty() {
        let _ = writeln!(o, "<h2>Retirés de l'ordre du jour</h2>\n<ul>");
        for i in removed {
            let _ = writeln!(o, "<li>{} — {}</li>", h(&i.account), h(&i.name));
        }
        let _ = writeln!(o, "</ul>");
    }
    let all = all_actions(m);
    if !all.is_empty() {
        let _ = writeln!(
            o,
            "<h2>Relevé des actions</h2>\n<table><thead><tr><th>Qui</th><th>Dossier</th><th>Quoi</th><th>Pour le</th></tr></thead><tbody>"
        );
        for (a, i) in all {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td></tr>",
                h(&m.who(&a.assignee)),
                h(&i.account),
                h(&i.name),
                h(&a.what),
                format_fr(a.due_on)
            );
        }
        let _ = writeln!(o, "</tbody></table>");
    }
    let _ = writeln!(o, "</body>\n</html>");
    o
}
