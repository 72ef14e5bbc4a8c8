//! Themes: styles named by meaning (`amount.debt`, `selection`…), read from TOML files that
//! ship in the binary and can be overridden or added in `~/.config/impayes/themes/`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The themes compiled in: (name, TOML).
pub const BUILTIN: [(&str, &str); 4] = [
    ("sombre", include_str!("../../themes/sombre.toml")),
    ("clair", include_str!("../../themes/clair.toml")),
    ("contraste", include_str!("../../themes/contraste.toml")),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// Every role the panes ask for; each theme must resolve all of them (directly or through a
/// parent).
pub const ROLES: &[&str] = &[
    "base",
    "muted",
    "border",
    "title",
    "header",
    "header.active",
    "header.key",
    "footer",
    "footer.key",
    "selection",
    "table.header",
    "amount",
    "amount.debt",
    "amount.credit",
    "severity.high",
    "severity.medium",
    "severity.low",
    "match",
    "tab.active",
    "tab.inactive",
    "error",
    "ok",
    "form.label",
    "form.focus",
    "confidential",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    #[serde(default)]
    roles: BTreeMap<String, RoleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

/// A theme that cannot be used, naming the file and the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThemeError {
    /// No theme of that name, built in or in the themes directory.
    #[error("thème « {name} » inconnu (thèmes disponibles : {available})")]
    Unknown {
        /// Name asked.
        name: String,
        /// Names that exist.
        available: String,
    },
    /// Malformed TOML.
    #[error("thème « {file} » invalide, ligne {line}, colonne {column} : {message}")]
    Syntax {
        /// File (or built-in name).
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A key whose value is not a colour or modifier.
    #[error("thème « {file} », clé « {key} » : {message}")]
    Value {
        /// File.
        file: String,
        /// The dotted key (`roles."amount.debt".fg`).
        key: String,
        /// What is wrong.
        message: String,
    },
    /// The file exists but cannot be read.
    #[error("thème « {file} » illisible : {message}")]
    Read {
        /// File.
        file: String,
        /// The system's reason.
        message: String,
    },
}

/// A resolved theme: a style for every role.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The theme's name.
    pub name: String,
    styles: HashMap<&'static str, Style>,
}

impl Theme {
    /// The style of a role (falls back to `base` for names outside `ROLES`).
    pub fn style(&self, role: &str) -> Style {
        self.styles
            .get(role)
            .or_else(|| self.styles.get("base"))
            .copied()
            .unwrap_or_default()
    }

    /// Parses a theme from TOML text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Theme, ThemeError> {
        let parsed: ThemeFile = toml::from_str(text).map_err(|e| {
            let (line, column) = crate::config::toml_position(text, &e);
            ThemeError::Syntax {
                file: file.to_string(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        let mut own: HashMap<String, Style> = HashMap::new();
        for (role, spec) in &parsed.roles {
            let key = |what: &str| format!("roles.\"{role}\".{what}");
            let mut style = Style::default();
            if let Some(fg) = &spec.fg {
                style = style.fg(parse_color(fg).map_err(|m| ThemeError::Value {
                    file: file.to_string(),
                    key: key("fg"),
                    message: m,
                })?);
            }
            if let Some(bg) = &spec.bg {
                style = style.bg(parse_color(bg).map_err(|m| ThemeError::Value {
                    file: file.to_string(),
                    key: key("bg"),
                    message: m,
                })?);
            }
            for m in &spec.modifiers {
                style = style.add_modifier(parse_modifier(m).map_err(|msg| ThemeError::Value {
                    file: file.to_string(),
                    key: key("modifiers"),
                    message: msg,
                })?);
            }
            own.insert(role.clone(), style);
        }
        let base = own.get("base").copied().unwrap_or_default();
        let mut styles = HashMap::new();
        for role in ROLES {
            // Fall back along the dotted name, then to base; styles patch their parent's.
            let mut chain = Vec::new();
            let mut name = *role;
            loop {
                if let Some(s) = own.get(name) {
                    chain.push(*s);
                }
                match name.rfind('.') {
                    Some(i) => name = &name[..i],
                    None => break,
                }
            }
            let mut style = base;
            for s in chain.iter().rev() {
                style = style.patch(*s);
            }
            styles.insert(*role, style);
        }
        Ok(Theme {
            name: parsed.name.unwrap_or_else(|| file.to_string()),
            styles,
        })
    }

    /// Loads a theme by name: a file `NAME.toml` in `dir` wins over the built-in one.
    pub fn load(name: &str, dir: &Path) -> Result<Theme, ThemeError> {
        let path: PathBuf = dir.join(format!("{name}.toml"));
        if path.is_file() {
            let text = std::fs::read_to_string(&path).map_err(|e| ThemeError::Read {
                file: path.display().to_string(),
                message: e.to_string(),
            })?;
            return Theme::parse(&text, &path.display().to_string());
        }
        match BUILTIN.iter().find(|(n, _)| *n == name) {
            Some((n, text)) => Theme::parse(text, &format!("themes/{n}.toml")),
            None => Err(ThemeError::Unknown {
                name: name.to_string(),
                available: available(dir).join(", "),
            }),
        }
    }
}

/// Names of the themes one can choose: built in, then those of the themes directory.
pub fn available(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = BUILTIN.iter().map(|(n, _)| n.to_string()).collect();
    if let Ok(rd) = std::fs::read_dir(dir) {
        let mut extra: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let p = e.path();
                (p.extension()? == "toml")
                    .then(|| p.file_stem().map(|s| s.to_string_lossy().to_string()))?
            })
            .filter(|n| !names.contains(n))
            .collect();
        extra.sort();
        names.extend(extra);
    }
    names
}

/// Whether colours must be avoided: `NO_COLOR` set, `TERM=dumb`, or fewer than 16 colours.
pub fn colour_disabled() -> bool {
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return true;
    }
    if std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        return true;
    }
    crossterm::style::available_color_count() < 16
}

fn parse_color(text: &str) -> Result<Color, String> {
    Color::from_str(text).map_err(|_| {
        format!("« {text} » n'est pas une couleur (nom ANSI comme « red », « lightcyan », « reset », code « #rrggbb » ou index 0-255)")
    })
}

fn parse_modifier(text: &str) -> Result<Modifier, String> {
    Ok(match text {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        "slow_blink" => Modifier::SLOW_BLINK,
        other => {
            return Err(format!(
                "« {other} » n'est pas un attribut (bold, dim, italic, underlined, reversed, crossed_out)"
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_defines_every_role() {
        for (name, text) in BUILTIN {
            let parsed: ThemeFile = toml::from_str(text).expect(name);
            for role in ROLES {
                assert!(
                    parsed.roles.contains_key(*role),
                    "theme {name} lacks role {role}"
                );
            }
            for role in parsed.roles.keys() {
                assert!(
                    ROLES.contains(&role.as_str()),
                    "theme {name}: unknown role {role}"
                );
            }
            let t = Theme::parse(text, name).expect(name);
            assert_eq!(t.name, name);
        }
    }

    #[test]
    fn mono_has_no_colour() {
        let t = Theme::load("mono", Path::new("/nonexistent")).expect("mono");
        for role in ROLES {
            let s = t.style(role);
            assert!(
                matches!(s.fg, None | Some(Color::Reset))
                    && matches!(s.bg, None | Some(Color::Reset)),
                "{role}"
            );
        }
    }

    #[test]
    fn roles_fall_back_along_dotted_names() {
        let t = Theme::parse(
            "[roles]\nbase = { fg = \"white\" }\namount = { fg = \"red\" }\n",
            "test",
        )
        .expect("parse");
        assert_eq!(t.style("amount.debt").fg, Some(Color::Red));
        assert_eq!(t.style("selection").fg, Some(Color::White));
    }

    #[test]
    fn errors_name_file_and_key() {
        let e = Theme::parse("[roles]\nbase = { fg = \"rouge\" }\n", "perso.toml")
            .expect_err("bad colour");
        assert!(e.to_string().contains("perso.toml"), "{e}");
        assert!(e.to_string().contains("roles.\"base\".fg"), "{e}");
        let e =
            Theme::parse("[roles]\nbase = { fg = \"red\" \n", "perso.toml").expect_err("syntax");
        assert!(matches!(e, ThemeError::Syntax { line: 2, .. }), "{e}");
        let e = Theme::parse("[roles]\nbase = { modifiers = [\"gras\"] }\n", "x.toml")
            .expect_err("modifier");
        assert!(e.to_string().contains("gras"));
        let e = Theme::load("fluo", Path::new("/nonexistent")).expect_err("unknown");
        assert!(
            e.to_string().contains("sombre, clair, contraste, mono"),
            "{e}"
        );
    }
}
