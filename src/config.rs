//! Where files live (data and config directories) and the user's config file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use directories::ProjectDirs;
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::domain::detection::DetectionRules;
use crate::domain::money::parse_amount;

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
    /// Thresholds of the arrears detection and of the plan follow-up.
    #[serde(default)]
    pub detection: DetectionSettings,
    /// Monthly review: agenda thresholds and ordering (`[review]`, see README).
    #[serde(default)]
    pub review: crate::domain::agenda::AgendaRules,
    /// Retention rules applied by `impayes purge` (section `[retention]`; domain.md §7).
    #[serde(default)]
    pub retention: crate::domain::retention::RetentionRules,
    /// Letters in batches: the landlord's header, the signature, where files go.
    #[serde(default)]
    pub letters: LettersConfig,
}

/// `[detection]`: the service's own thresholds, so that a landlord can match its practice
/// without a new build. Every key is optional; the defaults are those of `DetectionRules`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DetectionSettings {
    /// Days after a rent call before it counts as unpaid.
    pub rent_due_days: Option<u32>,
    /// Days after an instalment's due date during which payments still count for it.
    pub plan_grace_days: Option<u32>,
    /// Shortfall on an instalment still accepted as paid, in euros ("1,00" or "1.00"):
    /// a string, since money is never a float.
    pub plan_tolerance: Option<toml::Spanned<String>>,
    /// Months before a prescription date that a dossier is flagged.
    pub prescription_warn_months: Option<u32>,
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
        let config: Config = toml::from_str(&text).map_err(|e| {
            let (line, column) = toml_position(&text, &e);
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        if let Some(t) = &config.detection.plan_tolerance
            && !matches!(parse_amount(t.get_ref()), Some(v) if v >= Decimal::ZERO)
        {
            let before = &text[..t.span().start.min(text.len())];
            return Err(ConfigError::Parse {
                path: path.to_path_buf(),
                line: before.matches('\n').count() + 1,
                column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                message: format!(
                    "detection.plan_tolerance : « {} » n'est pas un montant positif (ex. \"1,00\")",
                    t.get_ref()
                ),
            });
        }
        Ok(config)
    }

    /// The detection rules: the defaults, with the `[detection]` keys the file sets.
    pub fn detection_rules(&self) -> DetectionRules {
        let mut rules = DetectionRules::default();
        let d = &self.detection;
        if let Some(days) = d.rent_due_days {
            rules.rent_due_days = i64::from(days);
        }
        if let Some(days) = d.plan_grace_days {
            rules.plan.grace_days = i64::from(days);
        }
        if let Some(t) = d
            .plan_tolerance
            .as_ref()
            .and_then(|t| parse_amount(t.get_ref()))
        {
            rules.plan.tolerance = t;
        }
        if let Some(m) = d.prescription_warn_months {
            rules.prescription.warn_months = i32::try_from(m).unwrap_or(i32::MAX);
        }
        rules
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
    fn review_section_overrides_defaults_and_names_bad_keys() {
        use crate::domain::agenda::{AgendaRules, OrderKey};
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[review]\ndebt_threshold = 2500\nno_contact_days = 60\norder = [\"priority\", \"sector\"]\n",
        )
        .expect("write");
        let c = Config::load(&path).expect("valid");
        assert_eq!(c.review.debt_threshold, rust_decimal::Decimal::new(2500, 0));
        assert_eq!(c.review.no_contact_days, 60);
        assert_eq!(c.review.order, vec![OrderKey::Priority, OrderKey::Sector]);
        assert_eq!(
            c.review.months_threshold,
            AgendaRules::default().months_threshold
        );
        std::fs::write(&path, "[review]\nseuil = 3\n").expect("write");
        let err = Config::load(&path).expect_err("unknown key").to_string();
        assert!(err.contains("ligne 2"), "{err}");
        std::fs::write(&path, "[review]\norder = [\"couleur\"]\n").expect("write");
        assert!(Config::load(&path).is_err());
    }

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
        assert_eq!(c.review, crate::domain::agenda::AgendaRules::default());
        assert_eq!(c.keys.get("portfolio.mine").map(String::as_str), Some("M"));
    }

    #[test]
    fn detection_keys_override_the_defaults_and_a_bad_tolerance_is_located() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::fs::write(
            &path,
            "[detection]\nplan_grace_days = 5\nplan_tolerance = \"2,50\"\nrent_due_days = 15\n",
        )
        .expect("write");
        let rules = Config::load(&path).expect("valid").detection_rules();
        assert_eq!(rules.plan.grace_days, 5);
        assert_eq!(rules.plan.tolerance, Decimal::new(250, 2));
        assert_eq!(rules.rent_due_days, 15);
        assert_eq!(rules.prescription, DetectionRules::default().prescription);
        std::fs::write(&path, "[detection]\nplan_tolerance = \"beaucoup\"\n").expect("write");
        let err = Config::load(&path).expect_err("bad amount").to_string();
        assert!(
            err.contains("ligne 2, colonne 18") && err.contains("beaucoup"),
            "{err}"
        );
        std::fs::write(&path, "[detection]\nplan_tolerance = 1.5\n").expect("write");
        assert!(Config::load(&path).is_err(), "a float is refused");
    }
}
