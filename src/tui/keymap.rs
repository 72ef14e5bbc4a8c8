//! Keys → actions, per context. Defaults are compiled in; `[keys]` in the config file
//! overrides them by action name. The footer, the `?` help and the `:` palette are generated
//! from this table, so they never disagree with what the keys do.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where an action applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ctx {
    /// Everywhere (unless a text input has focus).
    Global,
    /// The portfolio pane.
    Portfolio,
    /// The dossier pane.
    Dossier,
    /// The monthly review's meeting pane.
    Review,
    /// The "Mes actions" pane.
    Actions,
    /// The letters pane.
    Letters,
    /// The dashboard pane (Tableau de bord).
    Dashboard,
}

impl Ctx {
    /// Label in the help overlay.
    pub fn label_fr(self) -> &'static str {
        match self {
            Ctx::Global => "Partout",
            Ctx::Portfolio => "Portefeuille",
            Ctx::Dossier => "Dossier",
            Ctx::Review => "Réunion",
            Ctx::Actions => "Mes actions",
            Ctx::Letters => "Courriers",
            Ctx::Dashboard => "Tableau de bord",
        }
    }
}

/// Everything a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    Help,
    Palette,
    Lookup,
    GoPortfolio,
    GoDossier,
    Back,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Open,
    SortNext,
    SortPrev,
    SortReverse,
    ScopeNext,
    Filter,
    Mine,
    Overdue,
    ClearFilters,
    TabNext,
    TabPrev,
    AddEvent,
    AddReminder,
    ChangePhase,
    FollowUp,
    SignPlan,
    ThemeNext,
    GoReview,
    ReviewNext,
    ReviewPrev,
    ReviewDecide,
    ReviewAgenda,
    ReviewRemove,
    ReviewAdd,
    ReviewTimer,
    ReviewNew,
    ReviewClose,
    ReviewDossier,
    GoActions,
    TickAction,
    AddAction,
    GoLetters,
    LettersToggle,
    LettersToggleAll,
    LettersReload,
    LettersGenerate,
    LettersExcluded,
    GoDashboard,
    DashPeriod,
    DashSector,
}

/// An action's name (for the config file), context, French label and default keys.
pub struct ActionInfo {
    /// The action.
    pub action: Action,
    /// Name in `[keys]` of the config file.
    pub name: &'static str,
    /// Where it applies.
    pub ctx: Ctx,
    /// Label in the help and palette.
    pub label: &'static str,
    /// Short label in the footer (empty: not in the footer).
    pub short: &'static str,
    /// Default keys.
    pub keys: &'static [&'static str],
}

mod table;
pub use table::ACTIONS;

/// A key as written in the config file (`ctrl-p`, `enter`, `M`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    /// The key.
    pub code: KeyCode,
    /// Ctrl / Alt (Shift is folded into the character).
    pub ctrl: bool,
    /// Alt.
    pub alt: bool,
}

impl Key {
    /// The key of a terminal event.
    pub fn from_event(e: &KeyEvent) -> Key {
        let code = match e.code {
            KeyCode::Char(c) if e.modifiers.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            KeyCode::BackTab => KeyCode::BackTab,
            other => other,
        };
        Key {
            code,
            ctrl: e.modifiers.contains(KeyModifiers::CONTROL),
            alt: e.modifiers.contains(KeyModifiers::ALT),
        }
    }

    /// Parses `ctrl-p`, `alt-x`, `enter`, `f1`, `G`, `/`.
    pub fn parse(text: &str) -> Option<Key> {
        let mut ctrl = false;
        let mut alt = false;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            if lower.starts_with("ctrl-") && rest.len() > 5 {
                ctrl = true;
                rest = &rest[5..];
            } else if lower.starts_with("alt-") && rest.len() > 4 {
                alt = true;
                rest = &rest[4..];
            } else {
                break;
            }
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "entrée" => KeyCode::Enter,
            "esc" | "échap" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" => KeyCode::PageUp,
            "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            s if s.len() > 1 && s.starts_with('f') => KeyCode::F(s[1..].parse().ok()?),
            _ => {
                let mut chars = rest.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
        };
        Some(Key { code, ctrl, alt })
    }

    /// How the key is shown in the footer and help.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Entrée".to_string(),
            KeyCode::Esc => "Échap".to_string(),
            KeyCode::Tab => "Tab".to_string(),
            KeyCode::BackTab => "Maj-Tab".to_string(),
            KeyCode::Backspace => "Retour arr.".to_string(),
            KeyCode::Up => "↑".to_string(),
            KeyCode::Down => "↓".to_string(),
            KeyCode::Left => "←".to_string(),
            KeyCode::Right => "→".to_string(),
            KeyCode::PageUp => "PgPréc".to_string(),
            KeyCode::PageDown => "PgSuiv".to_string(),
            KeyCode::Home => "Début".to_string(),
            KeyCode::End => "Fin".to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Espace".to_string(),
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(c) => c.to_string(),
            _ => "?".to_string(),
        };
        match (self.ctrl, self.alt) {
            (true, _) => format!("Ctrl-{base}"),
            (false, true) => format!("Alt-{base}"),
            _ => base,
        }
    }
}

/// A keymap override that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeymapError {
    /// `[keys]` names an action that does not exist.
    #[error("section [keys] : action « {0} » inconnue")]
    UnknownAction(String),
    /// A key that cannot be read.
    #[error("section [keys], clé « {action} » : touche « {key} » illisible")]
    BadKey {
        /// The action.
        action: String,
        /// The key text.
        key: String,
    },
}

/// The keys in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<(Ctx, Key, Action, usize)>,
}

impl Keymap {
    /// The defaults with the config file's overrides (`"portfolio.mine" = "M"` or
    /// `"quit" = "q, ctrl-q"`).
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Keymap, KeymapError> {
        for name in overrides.keys() {
            if !ACTIONS.iter().any(|a| a.name == name) {
                return Err(KeymapError::UnknownAction(name.clone()));
            }
        }
        let mut bindings = Vec::new();
        for (i, info) in ACTIONS.iter().enumerate() {
            match overrides.get(info.name) {
                Some(text) => {
                    for part in text.split(',') {
                        let key = Key::parse(part).ok_or_else(|| KeymapError::BadKey {
                            action: info.name.to_string(),
                            key: part.trim().to_string(),
                        })?;
                        bindings.push((info.ctx, key, info.action, i));
                    }
                }
                None => {
                    for k in info.keys {
                        if let Some(key) = Key::parse(k) {
                            bindings.push((info.ctx, key, info.action, i));
                        }
                    }
                }
            }
        }
        Ok(Keymap { bindings })
    }

    /// The action of a key in a context (the context's own bindings first, then global).
    pub fn action(&self, ctx: Ctx, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        let find = |c: Ctx| {
            self.bindings
                .iter()
                .find(|(bc, k, _, _)| *bc == c && *k == key)
                .map(|(_, _, a, _)| *a)
        };
        find(ctx).or_else(|| find(Ctx::Global))
    }

    /// The keys bound to an action's entry, as shown to users ("/ Ctrl-P").
    pub fn keys_of(&self, index: usize) -> Vec<String> {
        self.bindings
            .iter()
            .filter(|(_, _, _, i)| *i == index)
            .map(|(_, k, _, _)| k.label())
            .collect()
    }

    /// The footer entries for a context: (first key, short label).
    pub fn footer(&self, ctx: Ctx) -> Vec<(String, &'static str)> {
        let mut out = Vec::new();
        for (i, info) in ACTIONS.iter().enumerate() {
            if info.short.is_empty() || (info.ctx != ctx && info.ctx != Ctx::Global) {
                continue;
            }
            if let Some(k) = self.keys_of(i).into_iter().next() {
                out.push((k, info.short));
            }
        }
        // Context actions first, then the global ones.
        out.sort_by_key(|(_, short)| {
            ACTIONS
                .iter()
                .find(|a| a.short == *short)
                .map(|a| a.ctx == Ctx::Global)
        });
        out
    }

    /// Pairs of actions that share a key in overlapping contexts.
    pub fn conflicts(&self) -> Vec<(String, &'static str, &'static str)> {
        let mut out = Vec::new();
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                let overlap = a.0 == b.0 || a.0 == Ctx::Global || b.0 == Ctx::Global;
                if overlap && a.1 == b.1 && a.3 != b.3 {
                    out.push((a.1.label(), ACTIONS[a.3].name, ACTIONS[b.3].name));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    #[test]
    fn default_keymap_has_no_conflicts() {
        let k = Keymap::new(&BTreeMap::new()).expect("defaults");
        assert_eq!(k.conflicts(), vec![]);
    }

    #[test]
    fn context_keys_win_over_global_ones() {
        let k = Keymap::new(&BTreeMap::new()).expect("defaults");
        let l = ev(KeyCode::Char('l'), KeyModifiers::NONE);
        assert_eq!(k.action(Ctx::Portfolio, &l), Some(Action::Open));
        assert_eq!(k.action(Ctx::Dossier, &l), Some(Action::TabNext));
        let ctrl_p = ev(KeyCode::Char('p'), KeyModifiers::CONTROL);
        assert_eq!(k.action(Ctx::Dossier, &ctrl_p), Some(Action::Lookup));
        let p = ev(KeyCode::Char('p'), KeyModifiers::NONE);
        assert_eq!(k.action(Ctx::Dossier, &p), Some(Action::ChangePhase));
        let big_g = ev(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(k.action(Ctx::Portfolio, &big_g), Some(Action::Bottom));
    }

    #[test]
    fn overrides_replace_defaults_and_bad_ones_are_named() {
        let mut o = BTreeMap::new();
        o.insert("portfolio.mine".to_string(), "M, ctrl-m".to_string());
        let k = Keymap::new(&o).expect("override");
        let m = ev(KeyCode::Char('m'), KeyModifiers::NONE);
        assert_eq!(k.action(Ctx::Portfolio, &m), None);
        let big_m = ev(KeyCode::Char('M'), KeyModifiers::SHIFT);
        assert_eq!(k.action(Ctx::Portfolio, &big_m), Some(Action::Mine));
        o.insert("portfolio.nope".to_string(), "z".to_string());
        assert_eq!(
            Keymap::new(&o).expect_err("unknown"),
            KeymapError::UnknownAction("portfolio.nope".into())
        );
        let mut o = BTreeMap::new();
        o.insert("quit".to_string(), "ctrl-".to_string());
        assert!(matches!(Keymap::new(&o), Err(KeymapError::BadKey { .. })));
    }

    #[test]
    fn keys_have_french_labels() {
        assert_eq!(
            Key::parse("ctrl-p").map(|k| k.label()),
            Some("Ctrl-P".into())
        );
        assert_eq!(
            Key::parse("enter").map(|k| k.label()),
            Some("Entrée".into())
        );
        assert_eq!(Key::parse("G").map(|k| k.label()), Some("G".into()));
    }
}
