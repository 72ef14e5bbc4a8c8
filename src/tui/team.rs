//! Team use in the workstation: the read-only banner for a login outside the staff, which
//! actions write, and the dossier version a form starts from.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::app::App;
use super::forms::Purpose;
use super::keymap::Action;
use crate::domain::portfolio::HouseholdFile;

/// Whether an action leads to a change of the database.
pub(super) fn is_write(action: Action) -> bool {
    matches!(
        action,
        Action::AddEvent
            | Action::AddReminder
            | Action::ChangePhase
            | Action::FollowUp
            | Action::SignPlan
            | Action::AddAction
            | Action::TickAction
            | Action::LettersGenerate
            | Action::ReviewDecide
            | Action::ReviewNew
            | Action::ReviewClose
            | Action::ReviewAdd
            | Action::ReviewRemove
    )
}

/// What a user outside the staff is told when trying to change something.
pub(super) fn read_only_message(user: &str) -> String {
    format!(
        "Lecture seule : « {user} » ne fait pas partie de l'équipe de cette base (impayes staff add)"
    )
}

/// The dossier and row version a form that saves a dossier starts from.
pub(super) fn form_base(file: Option<&HouseholdFile>, purpose: &Purpose) -> Option<(i64, i64)> {
    let dossier_id = match purpose {
        Purpose::Phase { dossier_id }
        | Purpose::FollowUp { dossier_id }
        | Purpose::PlanSetup { dossier_id }
        | Purpose::PlanInstalments { dossier_id, .. } => *dossier_id,
        _ => return None,
    };
    let file = file?;
    Some((dossier_id, file.version_of(dossier_id)))
}

/// The banner above the header when the user may only read.
pub(super) fn render_banner(app: &App, f: &mut Frame, area: Rect) {
    if !app.read_only || area.height == 0 {
        return;
    }
    let text = format!(
        " LECTURE SEULE — « {} » n'est pas dans l'équipe de cette base : consultation uniquement, aucune modification possible ",
        app.user
    );
    f.render_widget(
        Paragraph::new(Span::styled(text, app.theme.style("error"))),
        area,
    );
}
