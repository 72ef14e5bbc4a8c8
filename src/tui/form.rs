//! Keyboard forms: text fields and choices, moved through with Tab, checked by the domain's
//! rules, with the error written beside the field in French.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::domain::event_form::FieldType;

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Typed text.
    Text(String),
    /// One of fixed options (code, label).
    Choice {
        /// The options.
        options: Vec<(String, String)>,
        /// The one chosen.
        selected: usize,
    },
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// Key for the values map.
    pub key: String,
    /// French label.
    pub label: String,
    /// Type, for the hint shown beside it.
    pub ty: FieldType,
    /// Must be filled.
    pub required: bool,
    /// Its value.
    pub input: Input,
    /// What is wrong with it, after a failed submit.
    pub error: Option<String>,
    /// Focus just arrived: the first character typed replaces the value (as a selected text).
    fresh: bool,
}

impl FormField {
    /// A text field with an initial value.
    pub fn text(key: &str, label: &str, ty: FieldType, required: bool, value: &str) -> FormField {
        FormField {
            key: key.into(),
            label: label.into(),
            ty,
            required,
            input: Input::Text(value.into()),
            error: None,
            fresh: true,
        }
    }

    /// A choice field.
    pub fn choice(
        key: &str,
        label: &str,
        options: Vec<(String, String)>,
        selected: usize,
    ) -> FormField {
        FormField {
            key: key.into(),
            label: label.into(),
            ty: FieldType::Text,
            required: true,
            input: Input::Choice { options, selected },
            error: None,
            fresh: true,
        }
    }

    /// The value as text: typed text, or the chosen option's code.
    pub fn value(&self) -> String {
        match &self.input {
            Input::Text(t) => t.clone(),
            Input::Choice { options, selected } => options
                .get(*selected)
                .map(|o| o.0.clone())
                .unwrap_or_default(),
        }
    }
}

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    /// Keep editing.
    Continue,
    /// The user wants to leave without saving.
    Cancel,
    /// The user wants to save.
    Submit,
}

/// A form: title, fields, focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// Title of the popup.
    pub title: String,
    /// Fields, top to bottom.
    pub fields: Vec<FormField>,
    /// Index of the field with focus.
    pub focus: usize,
    /// Error not tied to one field.
    pub error: Option<String>,
    /// A line of explanation under the title.
    pub hint: Option<String>,
    /// Whether the user changed something.
    pub dirty: bool,
}

impl Form {
    /// A new form.
    pub fn new(title: &str, fields: Vec<FormField>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            error: None,
            hint: None,
            dirty: false,
        }
    }

    /// The values by key.
    pub fn values(&self) -> std::collections::HashMap<String, String> {
        self.fields
            .iter()
            .map(|f| (f.key.clone(), f.value()))
            .collect()
    }

    /// The value of one field.
    pub fn get(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.value())
            .unwrap_or_default()
    }

    /// Marks a field wrong and puts the focus on it.
    pub fn set_error(&mut self, key: &str, message: String) {
        match self.fields.iter().position(|f| f.key == key) {
            Some(i) => {
                self.fields[i].error = Some(message);
                self.focus_on(i);
            }
            None => self.error = Some(message),
        }
    }

    /// Clears every error before a new check.
    pub fn clear_errors(&mut self) {
        self.error = None;
        for f in &mut self.fields {
            f.error = None;
        }
    }

    fn focus_on(&mut self, i: usize) {
        self.focus = i;
        if let Some(f) = self.fields.get_mut(i) {
            f.fresh = true;
        }
    }

    /// Handles a key.
    pub fn handle(&mut self, key: &KeyEvent) -> FormOutcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let n = self.fields.len();
        match key.code {
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Char('s') if ctrl => return FormOutcome::Submit,
            KeyCode::F(2) => return FormOutcome::Submit,
            KeyCode::Enter => {
                if self.focus + 1 >= n {
                    return FormOutcome::Submit;
                }
                self.focus_on(self.focus + 1);
            }
            KeyCode::Tab | KeyCode::Down if n > 0 => self.focus_on((self.focus + 1) % n),
            KeyCode::BackTab | KeyCode::Up if n > 0 => self.focus_on((self.focus + n - 1) % n),
            _ => {
                let Some(field) = self.fields.get_mut(self.focus) else {
                    return FormOutcome::Continue;
                };
                let changed = match &mut field.input {
                    Input::Text(t) => match key.code {
                        KeyCode::Char('u') if ctrl => {
                            t.clear();
                            true
                        }
                        KeyCode::Char(c) if !ctrl => {
                            if field.fresh {
                                t.clear();
                            }
                            t.push(c);
                            true
                        }
                        KeyCode::Backspace => t.pop().is_some(),
                        _ => false,
                    },
                    Input::Choice { options, selected } => {
                        let n = options.len().max(1);
                        match key.code {
                            KeyCode::Right | KeyCode::Char(' ') => {
                                *selected = (*selected + 1) % n;
                                true
                            }
                            KeyCode::Left => {
                                *selected = (*selected + n - 1) % n;
                                true
                            }
                            KeyCode::Char(c) if !ctrl => {
                                // Jump to the next option whose label starts with the letter.
                                let c = c.to_lowercase().next().unwrap_or(c);
                                let start = *selected + 1;
                                let found = (0..n).map(|i| (start + i) % n).find(|&i| {
                                    crate::domain::fold::fold_key(&options[i].1).starts_with(c)
                                });
                                if let Some(i) = found {
                                    *selected = i;
                                }
                                found.is_some()
                            }
                            _ => false,
                        }
                    }
                };
                field.fresh = false;
                if changed {
                    field.error = None;
                    self.dirty = true;
                }
            }
        }
        FormOutcome::Continue
    }

    /// Draws the form as a centred popup.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let label_width = self
            .fields
            .iter()
            .map(|x| x.label.chars().count())
            .max()
            .unwrap_or(10)
            .min(34) as u16;
        let errors = self.fields.iter().filter(|x| x.error.is_some()).count() as u16;
        let width = area.width.saturating_sub(4).min(label_width + 60);
        // The hint and the form's error wrap to the popup (a refused save says why at length).
        let text_width = width.saturating_sub(4).max(10) as usize;
        let hint_lines = self
            .hint
            .as_deref()
            .map(|h| wrap_words(h, text_width))
            .unwrap_or_default();
        let error_lines = self
            .error
            .as_deref()
            .map(|e| wrap_words(&format!("⚠ {e}"), text_width))
            .unwrap_or_default();
        let height = (self.fields.len() as u16
            + errors
            + 6
            + hint_lines.len() as u16
            + error_lines.len() as u16
            + u16::from(self.error.is_some()))
        .min(area.height);
        let popup = Rect {
            x: area.x + (area.width.saturating_sub(width)) / 2,
            y: area.y + (area.height.saturating_sub(height)) / 2,
            width,
            height,
        };
        f.render_widget(Clear, popup);
        let mut lines = Vec::new();
        for h in hint_lines {
            lines.push(Line::from(Span::styled(h, theme.style("muted"))));
        }
        lines.push(Line::default());
        let mut focus_line = 0;
        for (i, field) in self.fields.iter().enumerate() {
            let focused = i == self.focus;
            if focused {
                focus_line = lines.len();
            }
            let mark = if field.required && matches!(field.input, Input::Text(_)) {
                "*"
            } else {
                " "
            };
            let label = format!("{:>w$}{mark} ", field.label, w = label_width as usize);
            let value = match &field.input {
                Input::Text(t) => {
                    if focused {
                        format!("{t}█")
                    } else if t.is_empty() {
                        hint_of(field.ty).to_string()
                    } else {
                        t.clone()
                    }
                }
                Input::Choice { options, selected } => {
                    let l = options.get(*selected).map(|o| o.1.as_str()).unwrap_or("");
                    format!("◂ {l} ▸")
                }
            };
            let value_style = if focused {
                theme.style("form.focus")
            } else if matches!(&field.input, Input::Text(t) if t.is_empty()) {
                theme.style("muted")
            } else {
                theme.style("base")
            };
            lines.push(Line::from(vec![
                Span::styled(label, theme.style("form.label")),
                Span::styled(value, value_style),
            ]));
            if let Some(e) = &field.error {
                lines.push(Line::from(vec![
                    Span::raw(" ".repeat(label_width as usize + 2)),
                    Span::styled(format!("⚠ {e}"), theme.style("error")),
                ]));
            }
        }
        if !error_lines.is_empty() {
            lines.push(Line::default());
            for e in error_lines {
                lines.push(Line::from(Span::styled(e, theme.style("error"))));
            }
        }
        lines.push(Line::default());
        lines.push(Line::from(vec![
            Span::styled("Tab", theme.style("footer.key")),
            Span::styled(" champ suivant  ", theme.style("footer")),
            Span::styled("←→", theme.style("footer.key")),
            Span::styled(" choix  ", theme.style("footer")),
            Span::styled("Ctrl-S", theme.style("footer.key")),
            Span::styled(" enregistrer  ", theme.style("footer")),
            Span::styled("Échap", theme.style("footer.key")),
            Span::styled(" annuler", theme.style("footer")),
        ]));
        // Long forms (a plan's schedule) scroll to keep the focused field in view.
        let inner = height.saturating_sub(2) as usize;
        let scroll = (focus_line + 3).saturating_sub(inner);
        f.render_widget(
            Paragraph::new(lines)
                .scroll((scroll as u16, 0))
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.style("title"))
                        .title(Span::styled(
                            format!(" {} ", self.title),
                            theme.style("title"),
                        )),
                )
                .style(theme.style("base")),
            popup,
        );
    }
}

fn hint_of(ty: FieldType) -> &'static str {
    match ty {
        FieldType::Date => "JJ/MM/AAAA",
        FieldType::Amount => "0,00 €",
        FieldType::Count => "nombre",
        FieldType::Text | FieldType::Choice(_) => "",
    }
}

/// Greedy word wrap to `width` characters (a word longer than a line is cut).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let (n, w) = (line.chars().count(), word.chars().count());
        if n > 0 && n + 1 + w > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > width {
            let head: String = line.chars().take(width).collect();
            let rest: String = line.chars().skip(width).collect();
            lines.push(head);
            line = rest;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_wrap_at_word_boundaries() {
        assert_eq!(
            wrap_words("ce dossier a été modifié par lmeyer", 16),
            vec!["ce dossier a été", "modifié par", "lmeyer"]
        );
        assert_eq!(wrap_words("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert!(wrap_words("", 10).is_empty());
    }

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_moving_and_submitting() {
        let mut f = Form::new(
            "Test",
            vec![
                FormField::text("a", "A", FieldType::Text, true, ""),
                FormField::choice(
                    "b",
                    "B",
                    vec![("x".into(), "Oui".into()), ("y".into(), "Non".into())],
                    0,
                ),
            ],
        );
        assert_eq!(f.handle(&key(KeyCode::Char('h'))), FormOutcome::Continue);
        f.handle(&key(KeyCode::Char('é')));
        assert!(f.dirty);
        assert_eq!(f.get("a"), "hé");
        f.handle(&key(KeyCode::Backspace));
        assert_eq!(f.get("a"), "h");
        f.handle(&key(KeyCode::Tab));
        f.handle(&key(KeyCode::Right));
        assert_eq!(f.get("b"), "y");
        f.handle(&key(KeyCode::Char('o')));
        assert_eq!(f.get("b"), "x");
        assert_eq!(f.handle(&key(KeyCode::Enter)), FormOutcome::Submit);
        assert_eq!(f.handle(&key(KeyCode::Esc)), FormOutcome::Cancel);
    }
}
