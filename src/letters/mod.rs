//! Letters in batches: templates (minijinja, shipped in the binary and overridable from
//! `~/.config/impayes/letters/`), their layout as text, HTML and PDF, and the batch itself
//! (`batch`): selection by the campaign rules, generation, and the timeline events.
//!
//! A template is plain text with three marks at the start of a line: `>> ` puts the line in the
//! right-hand block (the address window, the date), `# ` makes it bold, `| ` starts a table row
//! whose cells are separated by ` | `. A blank line is a paragraph break; long lines wrap.

pub mod batch;
pub mod context;
pub mod pdf;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use minijinja::{Environment, UndefinedBehavior};

use crate::domain::letters::LetterKind;
use context::LetterContext;

/// Templates shipped in the binary: (file name, text). The header and signature are included by
/// every letter.
pub const DEFAULT_TEMPLATES: [(&str, &str); 9] = [
    ("entete.txt", include_str!("../../letters/entete.txt")),
    ("signature.txt", include_str!("../../letters/signature.txt")),
    ("relance_1.txt", include_str!("../../letters/relance_1.txt")),
    ("relance_2.txt", include_str!("../../letters/relance_2.txt")),
    (
        "mise_en_demeure.txt",
        include_str!("../../letters/mise_en_demeure.txt"),
    ),
    (
        "convocation.txt",
        include_str!("../../letters/convocation.txt"),
    ),
    (
        "proposition_plan.txt",
        include_str!("../../letters/proposition_plan.txt"),
    ),
    (
        "locataire_parti.txt",
        include_str!("../../letters/locataire_parti.txt"),
    ),
    ("message.txt", include_str!("../../letters/message.txt")),
];

/// What can go wrong with letters, in sentences an officer can act on.
#[derive(Debug, thiserror::Error)]
pub enum LettersError {
    /// A template that does not compile or names an unknown field.
    #[error("modèle de courrier « {file} », ligne {line} : {message}")]
    Template {
        /// The template's file (or the shipped name).
        file: String,
        /// Line, from 1.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The campaign file is invalid.
    #[error(transparent)]
    Campaign(#[from] crate::domain::letters::CampaignError),
    /// A file could not be read or written.
    #[error("fichier « {path} » : {source}")]
    Io {
        /// The file.
        path: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The database refused.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// The loaded templates, checked.
pub struct Templates {
    env: Environment<'static>,
    origins: HashMap<String, String>,
}

/// Names a template may use at the top level besides the context's fields.
const BUILTIN_NAMES: [&str; 5] = ["loop", "range", "namespace", "dict", "debug"];

impl Templates {
    /// The shipped templates, each replaced by `dir/NAME` when that file exists.
    pub fn load(dir: &Path) -> Result<Templates, LettersError> {
        let mut sources = Vec::new();
        for (name, text) in DEFAULT_TEMPLATES {
            let path = dir.join(name);
            match std::fs::read_to_string(&path) {
                Ok(t) => sources.push((name, t, path.display().to_string())),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    sources.push((name, text.to_string(), format!("{name} (livré)")))
                }
                Err(source) => {
                    return Err(LettersError::Io {
                        path: path.display().to_string(),
                        source,
                    });
                }
            }
        }
        Self::from_sources(sources)
    }

    /// The shipped templates only.
    pub fn builtin() -> Result<Templates, LettersError> {
        Self::from_sources(
            DEFAULT_TEMPLATES
                .iter()
                .map(|(n, t)| (*n, t.to_string(), format!("{n} (livré)")))
                .collect(),
        )
    }

    /// Compiles and checks templates given as (name, text, origin shown in errors).
    pub fn from_sources(sources: Vec<(&str, String, String)>) -> Result<Templates, LettersError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        env.set_keep_trailing_newline(true);
        let mut origins = HashMap::new();
        let mut texts = HashMap::new();
        for (name, text, origin) in sources {
            origins.insert(name.to_string(), origin.clone());
            texts.insert(name.to_string(), text.clone());
            env.add_template_owned(name.to_string(), text)
                .map_err(|e| LettersError::Template {
                    file: origin,
                    line: e.line().unwrap_or(1),
                    message: e.detail().unwrap_or("syntaxe invalide").to_string(),
                })?;
        }
        let t = Templates { env, origins };
        // Names used anywhere, even in branches the sample does not take.
        let sample = serde_json::to_value(context::sample(LetterKind::Relance1))
            .unwrap_or(serde_json::Value::Null);
        for (name, text) in &texts {
            let tmpl = t.env.get_template(name).map_err(|e| t.error(e))?;
            let used: BTreeSet<String> = tmpl.undeclared_variables(true).into_iter().collect();
            for path in used {
                if !known_path(&sample, &path) {
                    let field = path.clone();
                    let line = text
                        .lines()
                        .position(|l| l.contains(&field))
                        .map(|i| i + 1)
                        .unwrap_or(1);
                    return Err(LettersError::Template {
                        file: t.origin(name),
                        line,
                        message: format!("champ inconnu « {field} »"),
                    });
                }
            }
        }
        // Then every letter renders against a complete sample.
        for kind in LetterKind::ALL {
            t.render(kind, &context::sample(kind))?;
            t.render_message(&context::sample(kind))?;
        }
        Ok(t)
    }

    fn origin(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    fn error(&self, e: minijinja::Error) -> LettersError {
        let name = e.name().unwrap_or("?").to_string();
        LettersError::Template {
            file: self.origin(&name),
            line: e.line().unwrap_or(1),
            message: e
                .detail()
                .map(str::to_string)
                .unwrap_or_else(|| e.kind().to_string()),
        }
    }

    /// Renders the SMS or e-mail text of a letter (`message.txt`), on one line.
    pub fn render_message(&self, ctx: &LetterContext) -> Result<String, LettersError> {
        let tmpl = self
            .env
            .get_template("message.txt")
            .map_err(|e| self.error(e))?;
        let text = tmpl.render(ctx).map_err(|e| self.error(e))?;
        Ok(text.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// Renders a letter's text.
    pub fn render(&self, kind: LetterKind, ctx: &LetterContext) -> Result<String, LettersError> {
        let name = format!("{}.txt", kind.code());
        let tmpl = self.env.get_template(&name).map_err(|e| self.error(e))?;
        tmpl.render(ctx).map_err(|e| self.error(e))
    }
}

/// Whether a dotted path (`household.names`) exists in the sample context.
fn known_path(sample: &serde_json::Value, path: &str) -> bool {
    let mut parts = path.split('.');
    let Some(first) = parts.next() else {
        return true;
    };
    if BUILTIN_NAMES.contains(&first) {
        return true;
    }
    let mut v = match sample.get(first) {
        Some(v) => v,
        None => return false,
    };
    for p in parts {
        match v {
            serde_json::Value::Object(m) => match m.get(p) {
                Some(next) => v = next,
                None => return false,
            },
            // Lists, strings and none: methods and indexing are minijinja's business.
            _ => return true,
        }
    }
    true
}

/// One line of a laid-out letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A paragraph line, wrapped to the page.
    Text(String),
    /// A bold line.
    Bold(String),
    /// A line of the right-hand block.
    Right(String),
    /// A table row.
    Row(Vec<String>),
    /// Vertical space.
    Blank,
}

/// Reads the marks of a rendered template.
pub fn layout(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    for raw in text.lines() {
        let l = raw.trim_end();
        let line = if l.trim().is_empty() {
            Line::Blank
        } else if let Some(r) = l.strip_prefix(">>") {
            Line::Right(r.trim().to_string())
        } else if let Some(b) = l.strip_prefix("# ") {
            Line::Bold(b.trim().to_string())
        } else if let Some(row) = l.strip_prefix('|') {
            Line::Row(
                row.trim_end_matches('|')
                    .split(" | ")
                    .map(|c| c.trim().to_string())
                    .collect(),
            )
        } else {
            Line::Text(l.to_string())
        };
        // Several blank lines are one space.
        if line == Line::Blank && matches!(out.last(), Some(Line::Blank) | None) {
            continue;
        }
        out.push(line);
    }
    while out.last() == Some(&Line::Blank) {
        out.pop();
    }
    out
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    lines
}

fn column_widths(rows: &[&Vec<String>]) -> Vec<usize> {
    let mut w = Vec::new();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            if w.len() <= i {
                w.push(0);
            }
            w[i] = w[i].max(c.chars().count());
        }
    }
    w
}

/// The letter as plain text (80 columns).
pub fn to_text(lines: &[Line]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        match &lines[i] {
            Line::Text(t) | Line::Bold(t) => {
                for l in wrap(t, 80) {
                    out.push_str(&l);
                    out.push('\n');
                }
            }
            Line::Right(t) => {
                out.push_str(&" ".repeat(44));
                out.push_str(t);
                out.push('\n');
            }
            Line::Blank => out.push('\n'),
            Line::Row(_) => {
                let start = i;
                while i < lines.len() && matches!(lines[i], Line::Row(_)) {
                    i += 1;
                }
                let rows: Vec<&Vec<String>> = lines[start..i]
                    .iter()
                    .filter_map(|l| match l {
                        Line::Row(r) => Some(r),
                        _ => None,
                    })
                    .collect();
                let w = column_widths(&rows);
                for r in rows {
                    out.push_str("    ");
                    for (j, c) in r.iter().enumerate() {
                        let pad = w[j].saturating_sub(c.chars().count());
                        if j == 0 {
                            out.push_str(c);
                            out.push_str(&" ".repeat(pad));
                        } else {
                            out.push_str("   ");
                            out.push_str(&" ".repeat(pad));
                            out.push_str(c);
                        }
                    }
                    out.push('\n');
                }
                continue;
            }
        }
        i += 1;
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One letter as an HTML `<section>` (a printed page).
pub fn to_html_section(lines: &[Line]) -> String {
    let mut out = String::from("<section class=\"lettre\">\n");
    let mut in_table = false;
    for l in lines {
        if in_table && !matches!(l, Line::Row(_)) {
            out.push_str("</table>\n");
            in_table = false;
        }
        match l {
            Line::Text(t) => out.push_str(&format!("<p>{}</p>\n", escape(t))),
            Line::Bold(t) => out.push_str(&format!("<p><strong>{}</strong></p>\n", escape(t))),
            Line::Right(t) => out.push_str(&format!("<p class=\"droite\">{}</p>\n", escape(t))),
            Line::Blank => out.push_str("<div class=\"blanc\"></div>\n"),
            Line::Row(r) => {
                if !in_table {
                    out.push_str("<table>\n");
                    in_table = true;
                }
                out.push_str("<tr>");
                for c in r {
                    out.push_str(&format!("<td>{}</td>", escape(c)));
                }
                out.push_str("</tr>\n");
            }
        }
    }
    if in_table {
        out.push_str("</table>\n");
    }
    out.push_str("</section>\n");
    out
}

/// A printable HTML document holding sections, one page each.
pub fn html_document(title: &str, sections: &[String]) -> String {
    format!(
        "<!doctype html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n\
<style>\n@page {{ size: A4; margin: 20mm; }}\nbody {{ font-family: Helvetica, Arial, sans-serif; font-size: 10.5pt; }}\n\
section.lettre {{ page-break-after: always; }}\np {{ margin: 0; }}\n.droite {{ margin-left: 55%; }}\n\
.blanc {{ height: 0.8em; }}\ntable {{ margin: 0.4em 0 0.4em 2em; border-collapse: collapse; }}\n\
td {{ padding: 0 1em 0 0; }}\ntd + td {{ text-align: right; }}\n</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        escape(title),
        sections.concat()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_templates_load_and_render_every_letter() {
        let t = Templates::builtin().expect("shipped templates are valid");
        for kind in LetterKind::ALL {
            let text = t.render(kind, &context::sample(kind)).expect("renders");
            assert!(text.contains("Élodie Béranger"), "{kind:?}: {text}");
            assert!(text.contains("411-000001"), "{kind:?}");
            assert!(text.contains("1 234,56 €"), "{kind:?}");
        }
    }

    #[test]
    fn unknown_field_fails_at_load_with_file_and_line() {
        let mut sources: Vec<(&str, String, String)> = DEFAULT_TEMPLATES
            .iter()
            .map(|(n, t)| (*n, t.to_string(), n.to_string()))
            .collect();
        sources[2].1 = "Bonjour\n{{ household.names }}\nVous devez {{ montant_du }}.\n".into();
        sources[2].2 = "/tmp/perso/relance_1.txt".into();
        let err = Templates::from_sources(sources.clone())
            .err()
            .expect("unknown field refused");
        let text = err.to_string();
        assert!(text.contains("/tmp/perso/relance_1.txt"), "{text}");
        assert!(text.contains("ligne 3"), "{text}");
        assert!(text.contains("montant_du"), "{text}");
        // A misspelt attribute in a branch the sample never takes is caught too.
        sources[2].1 = "{% if false %}\n\n{{ household.nom }}\n{% endif %}\n".into();
        let text = Templates::from_sources(sources.clone())
            .err()
            .expect("nested unknown")
            .to_string();
        assert!(
            text.contains("household.nom") && text.contains("ligne 3"),
            "{text}"
        );
        // Syntax errors name their line.
        sources[2].1 = "Bonjour\n{% if %}\n".into();
        let text = Templates::from_sources(sources)
            .err()
            .expect("syntax")
            .to_string();
        assert!(text.contains("ligne 2"), "{text}");
    }

    #[test]
    fn layout_marks_and_text_output() {
        let lines =
            layout("# Objet\n>> Mme X\n\n\nTexte\n| janvier 2026 | 500,00 € |\n| mai | 5,00 € |\n");
        assert_eq!(
            lines,
            vec![
                Line::Bold("Objet".into()),
                Line::Right("Mme X".into()),
                Line::Blank,
                Line::Text("Texte".into()),
                Line::Row(vec!["janvier 2026".into(), "500,00 €".into()]),
                Line::Row(vec!["mai".into(), "5,00 €".into()]),
            ]
        );
        let text = to_text(&lines);
        assert!(
            text.contains("    janvier 2026   500,00 €\n    mai              5,00 €\n"),
            "{text}"
        );
    }
}
