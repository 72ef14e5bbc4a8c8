//! Where files live (data and config directories) and the user's config file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;
use serde::Deserialize;

/// The user's settings, from `~/.config/impayes/config.toml`; every key is optional.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Theme name (`sombre`, `clair`, `contraste`, `mono`, or a file of the themes directory).
    pub theme: Option<String>,
    /// Default database path.
    pub database: Option<PathBuf>,
    /// Key overrides: action name → key ("portfolio.mine" = "M").
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
    /// Letters in batches: the landlord's header, the signature, where files go.
    #[serde(default)]
    pub letters: LettersConfig,
}

/// The `[letters]` section: what the batch letters print about the landlord.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LettersConfig {
    /// The landlord's name, first line of the header.
    pub landlord: Option<String>,
    /// Further header lines (service, street, town, phone).
    #[serde(default)]
    pub header: Vec<String>,
    /// Town printed before the date ("Mulhouse, le 22 novembre 2026").
    pub city: Option<String>,
    /// Who signs (title), e.g. "Le responsable du service".
    pub signatory: Option<String>,
    /// Where convocations ask tenants to come.
    pub place: Option<String>,
    /// Default output directory of the workstation's batches.
    pub output: Option<PathBuf>,
}

/// The letters' templates and campaign: `letters/` in the config directory.
pub fn letters_dir() -> PathBuf {
    config_dir().join("letters")
}

/// A config file that exists but cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable file.
    #[error("impossible de lire le fichier de configuration « {path} » : {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// Malformed TOML or unknown key.
    #[error(
        "fichier de configuration « {path} » invalide, ligne {line}, colonne {column} : {message}"
    )]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// Describes a TOML error with its line and column in `text`.
pub fn toml_position(text: &str, err: &toml::de::Error) -> (usize, usize) {
    match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (line, column)
        }
        None => (1, 1),
    }
}

impl Config {
    /// Reads a config file; a missing file is an empty config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                });
            }
        };
        toml::from_str(&text).map_err(|e| {
            let (line, column) = toml_position(&text, &e);
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })
    }
}

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("fr", "impayes", "impayes")
}

/// The data directory (`~/.local/share/impayes` on Linux).
pub fn data_dir() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The config directory (`~/.config/impayes` on Linux).
pub fn config_dir() -> PathBuf {
    project_dirs()
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The default database file.
pub fn default_database() -> PathBuf {
    data_dir().join("impayes.sqlite3")
}

/// The procedure rules: `~/.config/impayes/rules.toml` when it exists, the shipped ones
/// otherwise (reading files stays out of `domain`).
pub fn load_rules() -> Result<crate::domain::procedure::Rules, crate::domain::procedure::RulesError>
{
    use crate::domain::procedure::{Rules, RulesError};
    let path = config_dir().join("rules.toml");
    if !path.exists() {
        return Ok(Rules::default());
    }
    let text = std::fs::read_to_string(&path).map_err(|source| RulesError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Rules::parse(&text, &path.display().to_string())
}

/// The demo database file used by `impayes --demo`.
pub fn demo_database() -> PathBuf {
    data_dir().join("demo.sqlite3")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_empty_config() {
        let c = Config::load(Path::new("/nonexistent/impayes/config.toml")).expect("missing ok");
        assert_eq!(c, Config::default());
    }

    #[test]
    fn malformed_file_names_line_and_column() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "theme = \"clair\"\ncouleur = 3\n").expect("write");
        let err = Config::load(&path).expect_err("unknown key");
        let text = err.to_string();
        assert!(text.contains("ligne 2, colonne 1"), "{text}");
        std::fs::write(&path, "theme = \n").expect("write");
        assert!(Config::load(&path).is_err());
        std::fs::write(
            &path,
            "theme = \"contraste\"\n[keys]\n\"portfolio.mine\" = \"M\"\n",
        )
        .expect("write");
        let c = Config::load(&path).expect("valid");
        assert_eq!(c.theme.as_deref(), Some("contraste"));
        assert_eq!(c.keys.get("portfolio.mine").map(String::as_str), Some("M"));
    }
}
