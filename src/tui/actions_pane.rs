//! The "Mes actions" pane: what the officer must do (their actions, the next actions and the
//! legal deadlines of the dossiers they lead), grouped En retard / Aujourd'hui / Cette semaine /
//! Plus tard, drawn a window at a time; and the form that adds an action from a dossier.

use std::cell::Cell;

use chrono::{Duration, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fmt::{ellipsize, short_date};
use super::form::{Form, FormField};
use super::forms::Submitted;
use super::portfolio::format_count;
use super::theme::Theme;
use super::worker::WriteCmd;
use crate::domain::action::Horizon;
use crate::domain::dates::{format_fr, parse_date};
use crate::domain::event_form::FieldType;
use crate::domain::household::Staff;
use crate::domain::procedure::RuleKind;
use crate::domain::todo::{POSSIBLE, REQUIRED, TodoItem, TodoSource, Who};

/// One drawn line: a group title or an item (index into the items).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Group(Horizon, usize),
    Item(usize),
}

/// The pane's state.
#[derive(Debug, Default)]
pub struct ActionsPane {
    items: Vec<TodoItem>,
    slots: Vec<Slot>,
    /// Whose list is shown (None until first asked).
    pub who: Option<Who>,
    loaded: bool,
    cursor: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
}

impl ActionsPane {
    /// Installs a freshly computed list, keeping the cursor on the same line when it is still
    /// there (else at the same place).
    pub fn set_items(&mut self, items: Vec<TodoItem>, today: NaiveDate) {
        let keep = self.selected().cloned();
        self.items = items;
        self.slots.clear();
        let mut current: Option<Horizon> = None;
        for (i, t) in self.items.iter().enumerate() {
            let h = Horizon::of(t.due, today);
            if current != Some(h) {
                let n = self.items[i..]
                    .iter()
                    .take_while(|x| Horizon::of(x.due, today) == h)
                    .count();
                self.slots.push(Slot::Group(h, n));
                current = Some(h);
            }
            self.slots.push(Slot::Item(i));
        }
        self.loaded = true;
        self.cursor = keep
            .and_then(|k| self.items.iter().position(|t| *t == k))
            .unwrap_or(self.cursor)
            .min(self.items.len().saturating_sub(1));
    }

    /// Whether a list arrived at least once.
    pub fn loaded(&self) -> bool {
        self.loaded
    }

    /// The line under the cursor.
    pub fn selected(&self) -> Option<&TodoItem> {
        self.items.get(self.cursor)
    }

    /// Moves the cursor by `delta` lines (group titles are skipped).
    pub fn move_by(&mut self, delta: isize) {
        if self.items.is_empty() {
            return;
        }
        let max = self.items.len() as isize - 1;
        self.cursor = (self.cursor as isize + delta).clamp(0, max) as usize;
    }

    /// To the first or last line.
    pub fn jump(&mut self, end: bool) {
        self.cursor = if end {
            self.items.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// Lines per page, as last drawn.
    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }

    /// Draws the pane.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme, today: NaiveDate) {
        let [title, table_area, status] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let whose = match &self.who {
            Some(Who::One(l)) => l.clone(),
            Some(Who::Everyone) => "tout le service".into(),
            None => String::new(),
        };
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(" Mes actions ", theme.style("title")),
                Span::styled(
                    format!("{whose} · au {}", format_fr(today)),
                    theme.style("muted"),
                ),
            ]))
            .style(theme.style("base")),
            title,
        );
        if !self.loaded {
            f.render_widget(
                Paragraph::new(" Chargement de Mes actions…").style(theme.style("muted")),
                table_area,
            );
            return;
        }
        if self.items.is_empty() {
            f.render_widget(
                Paragraph::new(
                    " Rien à faire : aucune action, prochaine action ni délai légal en cours.",
                )
                .style(theme.style("muted")),
                table_area,
            );
            return;
        }
        let everyone = matches!(self.who, Some(Who::Everyone));
        let [table_rect, bar_rect] =
            Layout::horizontal([Constraint::Min(1), Constraint::Length(1)]).areas(table_area);
        // Fixed columns, the last (what to do) takes the rest; lines are built by hand so that
        // a group's title spans the width.
        let holder_w: usize = if table_rect.width < 100 { 18 } else { 28 };
        let agent_w: usize = if everyone { 10 } else { 0 };
        let fixed = 11 + 11 + holder_w + 1 + agent_w + 16;
        let what_w = (table_rect.width as usize).saturating_sub(fixed).max(8);
        let mut head = format!(
            "{} {} {} ",
            fit("Date", 10),
            fit("Compte", 10),
            fit("Locataire", holder_w)
        );
        if everyone {
            head.push_str(&format!("{} ", fit("Agent", 9)));
        }
        head.push_str(&format!(
            "{} {}",
            fit("Source", 15),
            fit("À faire (Entrée : ouvrir le dossier)", what_w)
        ));
        let mut lines = vec![Line::from(Span::styled(head, theme.style("table.header")))];
        let height = table_area.height.saturating_sub(1) as usize;
        self.page.set(height.max(1));
        let cursor_slot = self
            .slots
            .iter()
            .position(|s| *s == Slot::Item(self.cursor))
            .unwrap_or(0);
        let offset =
            super::fmt::window_offset(self.offset.get(), cursor_slot, height, self.slots.len());
        self.offset.set(offset);
        let end = (offset + height).min(self.slots.len());
        for slot in &self.slots[offset..end] {
            let line = match *slot {
                Slot::Group(h, n) => {
                    let style = if h == Horizon::Overdue {
                        theme.style("severity.high")
                    } else {
                        theme.style("title")
                    };
                    Line::from(Span::styled(
                        format!("{} ({})", h.label_fr(), format_count(n)),
                        style,
                    ))
                }
                Slot::Item(i) => {
                    let t = &self.items[i];
                    let date_style = if t.due < today {
                        theme.style("severity.high")
                    } else {
                        theme.style("base")
                    };
                    let (source, source_style) = source_short(&t.source, theme);
                    let mut spans = vec![
                        Span::styled(short_date(t.due), date_style),
                        Span::raw(format!(
                            " {} {} ",
                            fit(&t.account, 10),
                            fit(&t.holder, holder_w)
                        )),
                    ];
                    if everyone {
                        spans.push(Span::raw(format!("{} ", fit(&t.assignee, 9))));
                    }
                    spans.push(Span::styled(fit(source, 15), source_style));
                    // The source column already says possible / required.
                    let what = t
                        .what
                        .strip_prefix(POSSIBLE)
                        .or_else(|| t.what.strip_prefix(REQUIRED))
                        .unwrap_or(&t.what);
                    spans.push(Span::raw(format!(" {}", fit(what, what_w))));
                    let line = Line::from(spans);
                    if i == self.cursor {
                        line.style(theme.style("selection"))
                    } else {
                        line
                    }
                }
            };
            lines.push(line);
        }
        f.render_widget(Paragraph::new(lines).style(theme.style("base")), table_rect);
        super::fmt::list_scrollbar(f, bar_rect, (self.slots.len(), height, offset), theme);
        let overdue = self.items.iter().filter(|t| t.due < today).count();
        let text = format!(
            " {} ligne{} · {} en retard",
            format_count(self.items.len()),
            if self.items.len() > 1 { "s" } else { "" },
            format_count(overdue),
        );
        let position = format!(
            "{}/{} ",
            format_count(self.cursor + 1),
            format_count(self.items.len())
        );
        super::fmt::status_line(f, status, &text, position, theme);
    }
}

/// `text` cut (with "…") or padded to `width` columns.
fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let cut = ellipsize(text, width);
    let pad = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(pad))
}

/// The source column: a few French words and their style. Legal deadlines say whether their
/// day is the first possible ("possible") or the last ("à tenir", "DÉPASSÉ" once past); "?"
/// marks a rule "à vérifier".
fn source_short(s: &TodoSource, theme: &Theme) -> (&'static str, ratatui::style::Style) {
    let medium = theme.style("severity.medium");
    match s {
        TodoSource::Action { origin, .. } => (
            match origin {
                crate::domain::action::ActionOrigin::Officer => "action",
                crate::domain::action::ActionOrigin::Review => "action (comm.)",
            },
            theme.style("title"),
        ),
        TodoSource::NextAction => ("proch. action", theme.style("base")),
        TodoSource::Legal {
            kind,
            late,
            unverified,
            ..
        } => match (kind, late, unverified) {
            (_, true, false) => ("délai DÉPASSÉ", theme.style("severity.high")),
            (_, true, true) => ("délai DÉPASSÉ?", theme.style("severity.high")),
            (RuleKind::Requires, _, false) => ("délai à tenir", medium),
            (RuleKind::Requires, _, true) => ("délai à tenir?", medium),
            (_, _, false) => ("délai possible", medium),
            (_, _, true) => ("délai possible?", medium),
        },
    }
}

/// The form adding an action to a dossier: what, by when (a week from today by default), for
/// whom (the current user by default).
pub fn action_form(user: &str, today: NaiveDate) -> Form {
    let mut form = Form::new(
        "Nouvelle action",
        vec![
            FormField::text("what", "À faire", FieldType::Text, true, ""),
            FormField::text(
                "due_on",
                "Pour le",
                FieldType::Date,
                true,
                &format_fr(today + Duration::days(7)),
            ),
            FormField::text("assignee", "Agent (login)", FieldType::Text, true, user),
        ],
    );
    form.hint = Some("L'action apparaîtra dans « Mes actions » de l'agent (touche 3).".into());
    form
}

/// Checks the action form against the staff; errors go beside the fields.
pub fn submit_action(form: &mut Form, dossier_id: i64, staff: &[Staff]) -> Option<Submitted> {
    form.clear_errors();
    let what = form.get("what").trim().to_string();
    if what.is_empty() {
        form.set_error("what", "à renseigner".into());
        return None;
    }
    let due_text = form.get("due_on");
    let Some(due_on) = parse_date(&due_text) else {
        form.set_error(
            "due_on",
            format!("« {due_text} » n'est pas une date (JJ/MM/AAAA)"),
        );
        return None;
    };
    let assignee = form.get("assignee").trim().to_string();
    if !staff.iter().any(|s| s.login == assignee) {
        form.set_error(
            "assignee",
            format!("« {assignee} » n'est pas un agent de cette base"),
        );
        return None;
    }
    Some(Submitted::Write(WriteCmd::AddAction {
        dossier_id,
        assignee,
        what,
        due_on,
    }))
}
