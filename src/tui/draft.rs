//! A form's unsaved input survives a dropped SSH link: when the workstation is told to stop
//! (SIGHUP, SIGTERM, the terminal gone) with a form holding input, that input is written to
//! the data directory; at the next start on the same database it is offered back, in the same
//! form on the same household, for the officer to check and save or drop.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::app::{App, Overlay, Pane};
use super::form::Input;
use super::forms::Purpose;
use super::keymap::Action;

/// What form a draft belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DraftForm {
    /// An event of this kind code.
    Event(String),
    /// Change of phase.
    Phase,
    /// Referents, causes, next action.
    FollowUp,
    /// Plan amount and instalments count.
    PlanSetup,
}

/// Unsaved input of one form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Database the form was writing to.
    pub db: String,
    /// Household whose dossier pane it was opened from.
    pub household_id: i64,
    /// Which form.
    pub form: DraftForm,
    /// Field values by key (choices by their code).
    pub values: Vec<(String, String)>,
    /// When it was saved (UTC).
    pub saved_at: String,
}

/// Where `user`'s draft is kept.
pub fn path(user: &str) -> PathBuf {
    let safe: String = user
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    crate::config::data_dir()
        .join("brouillons")
        .join(format!("{safe}.json"))
}

/// The top form's input when it holds some and can be reopened later.
pub fn capture(app: &App) -> Option<Draft> {
    let Some(Overlay::Form(state)) = app.overlays.last() else {
        return None;
    };
    if !state.form.dirty {
        return None;
    }
    let (household_id, form) = match &state.purpose {
        Purpose::Event { household_id, code } => {
            (*household_id, DraftForm::Event(code.to_string()))
        }
        Purpose::Phase { .. } => (app.dossier.as_ref()?.household_id, DraftForm::Phase),
        Purpose::FollowUp { .. } => (app.dossier.as_ref()?.household_id, DraftForm::FollowUp),
        Purpose::PlanSetup { .. } => (app.dossier.as_ref()?.household_id, DraftForm::PlanSetup),
        _ => return None,
    };
    Some(Draft {
        db: db_key(&app.db_label),
        household_id,
        form,
        values: state
            .form
            .fields
            .iter()
            .map(|f| (f.key.clone(), f.value()))
            .collect(),
        saved_at: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    })
}

/// Writes a draft (private permissions: it may hold personal data).
pub fn save(path: &Path, draft: &Draft) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.part");
    let text = serde_json::to_string_pretty(draft).map_err(std::io::Error::other)?;
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        use std::io::Write;
        let mut f = options.open(&tmp)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// The draft kept for this database, if any (a draft of another database stays).
pub fn load(path: &Path, db: &str) -> Option<Draft> {
    let text = std::fs::read_to_string(path).ok()?;
    let db = db_key(db);
    serde_json::from_str::<Draft>(&text)
        .ok()
        .filter(|d| d.db == db)
}

/// The database as drafts name it: its canonical path when it exists (the same file reached
/// by a relative and an absolute path is one database).
fn db_key(db: &str) -> String {
    std::fs::canonicalize(db)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| db.to_string())
}

/// Reopens the draft's form once its household's file is shown; true when done (the caller
/// then deletes the file). Call after every update while a draft waits.
pub fn reopen(app: &mut App, draft: &Draft) -> bool {
    let loaded = app.pane == Pane::Dossier
        && app
            .dossier
            .as_ref()
            .is_some_and(|d| d.household_id == draft.household_id && d.file.is_some());
    if !loaded || !app.overlays.is_empty() {
        return false;
    }
    match &draft.form {
        DraftForm::Event(code) => {
            let Some(code) = crate::domain::event::EVENT_KINDS
                .iter()
                .map(|(c, _, _)| *c)
                .find(|c| c == code)
            else {
                return true;
            };
            app.start_event(code);
        }
        DraftForm::Phase => {
            app.perform(Action::ChangePhase);
        }
        DraftForm::FollowUp => {
            app.perform(Action::FollowUp);
        }
        DraftForm::PlanSetup => {
            app.perform(Action::SignPlan);
        }
    }
    if let Some(Overlay::Form(state)) = app.overlays.last_mut() {
        for field in &mut state.form.fields {
            let Some((_, value)) = draft.values.iter().find(|(k, _)| *k == field.key) else {
                continue;
            };
            match &mut field.input {
                Input::Text(t) => *t = value.clone(),
                Input::Choice { options, selected } => {
                    if let Some(i) = options.iter().position(|(code, _)| code == value) {
                        *selected = i;
                    }
                }
            }
        }
        state.form.dirty = true;
        state.form.hint = Some(format!(
            "Saisie interrompue ({}) retrouvée : vérifiez puis enregistrez, ou Échap pour l'abandonner",
            draft.saved_at.replace('T', " ").trim_end_matches('Z')
        ));
    }
    true
}
