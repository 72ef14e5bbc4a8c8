//! The letters pane: the batch of the day with the reason for each letter, boxes to untick the
//! dossiers the officer keeps back, and the generation (done by the store worker), after which
//! the pane says where the files went.

use std::cell::Cell;
use std::collections::HashSet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TCell, Paragraph, Row, Table, Wrap};

use super::fmt::ellipsize;
use super::theme::Theme;
use crate::domain::letters::{Batch, Excluded, Selected};
use crate::domain::money::format_amount;

/// The pane's state.
#[derive(Debug, Default)]
pub struct LettersPane {
    /// The batch, once the worker computed it.
    pub batch: Option<Batch>,
    /// Dossiers unticked by the officer.
    pub unticked: HashSet<i64>,
    /// Cursor in the list.
    pub cursor: usize,
    offset: Cell<usize>,
    page: Cell<usize>,
    /// Waiting for the worker.
    pub busy: bool,
    /// `w` pressed once: the next `w` generates.
    pub armed: bool,
    /// What the last generation did (lines for the report panel).
    pub report: Vec<String>,
    /// The directory of the next generation, as the worker said.
    pub output: String,
    /// A directory that replaces the configured one (tests).
    pub dir: Option<std::path::PathBuf>,
    /// Showing the dossiers the skip rules held back instead of the batch.
    pub show_excluded: bool,
    ex_cursor: usize,
}

impl LettersPane {
    /// Takes a new batch; the ticks are reset (a new batch is a new review).
    pub fn set_batch(&mut self, batch: Batch, output: String) {
        self.batch = Some(batch);
        self.unticked.clear();
        self.cursor = 0;
        self.ex_cursor = 0;
        self.busy = false;
        self.armed = false;
        self.output = match &self.dir {
            Some(d) => d.display().to_string(),
            None => output,
        };
    }

    fn rows(&self) -> &[Selected] {
        self.batch.as_ref().map_or(&[], |b| b.letters.as_slice())
    }

    /// The letters still ticked, in order.
    pub fn ticked(&self) -> Vec<Selected> {
        self.rows()
            .iter()
            .filter(|s| !self.unticked.contains(&s.dossier_id))
            .cloned()
            .collect()
    }

    /// Ticks or unticks the dossier under the cursor, and moves down.
    pub fn toggle(&mut self) {
        let Some(id) = self.rows().get(self.cursor).map(|s| s.dossier_id) else {
            return;
        };
        if !self.unticked.remove(&id) {
            self.unticked.insert(id);
        }
        self.move_by(1);
    }

    /// Unticks everything, or ticks everything when nothing is ticked.
    pub fn toggle_all(&mut self) {
        if self.unticked.is_empty() {
            self.unticked = self.rows().iter().map(|s| s.dossier_id).collect();
        } else {
            self.unticked.clear();
        }
    }

    fn excluded(&self) -> &[Excluded] {
        self.batch.as_ref().map_or(&[], |b| b.excluded.as_slice())
    }

    fn active(&mut self) -> (usize, &mut usize) {
        if self.show_excluded {
            (self.excluded().len(), &mut self.ex_cursor)
        } else {
            (self.rows().len(), &mut self.cursor)
        }
    }

    /// Moves the cursor of the list shown.
    pub fn move_by(&mut self, delta: isize) {
        let (n, cursor) = self.active();
        if n == 0 {
            return;
        }
        *cursor = (*cursor as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    /// Jumps to the first or last row.
    pub fn jump(&mut self, end: bool) {
        let (n, cursor) = self.active();
        *cursor = if end { n.saturating_sub(1) } else { 0 };
    }

    /// Rows per page, as last drawn.
    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }

    /// Draws the pane.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let report_height = if self.report.is_empty() {
            0
        } else {
            self.report.len() as u16 + 2
        };
        let [title, table_area, detail, status, report] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(3),
            Constraint::Length(2),
            Constraint::Length(1),
            Constraint::Length(report_height.min(area.height / 3)),
        ])
        .areas(area);
        let Some(batch) = &self.batch else {
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(" Courriers par lots ", theme.style("title")),
                    Span::styled(" Calcul du lot du jour…", theme.style("muted")),
                ])),
                title,
            );
            return;
        };
        let ticked = self.ticked();
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(" Courriers par lots ", theme.style("title")),
                Span::styled(
                    format!(
                        " {} courrier(s) proposés, {} écarté(s) par les règles",
                        batch.letters.len(),
                        batch.excluded.len()
                    ),
                    theme.style("muted"),
                ),
            ])),
            title,
        );
        if self.show_excluded {
            self.render_excluded(f, table_area, detail, status, theme);
            return;
        }
        let widths = [
            Constraint::Length(3),
            Constraint::Length(11),
            Constraint::Length(20),
            Constraint::Length(16),
            Constraint::Length(11),
            Constraint::Min(10),
        ];
        let sizes: Vec<u16> = Layout::horizontal(widths)
            .spacing(1)
            .split(table_area)
            .iter()
            .map(|r| r.width)
            .collect();
        let header = Row::new([
            TCell::from(""),
            TCell::from("Compte"),
            TCell::from("Ménage"),
            TCell::from("Courrier"),
            TCell::from(Line::from("Dette").right_aligned()),
            TCell::from("Motif"),
        ])
        .style(theme.style("table.header"));
        let height = table_area.height.saturating_sub(1) as usize;
        self.page.set(height);
        let rows = self.rows();
        let offset = super::fmt::window_offset(self.offset.get(), self.cursor, height, rows.len());
        self.offset.set(offset);
        let end = (offset + height).min(rows.len());
        let w = |i: usize| sizes.get(i).copied().unwrap_or(10) as usize;
        let table_rows = rows[offset..end].iter().enumerate().map(|(i, s)| {
            let on = !self.unticked.contains(&s.dossier_id);
            let row = Row::new([
                TCell::from(if on { "[x]" } else { "[ ]" }),
                TCell::from(s.account.clone()),
                TCell::from(ellipsize(&s.name, w(2)).into_owned()),
                TCell::from(ellipsize(s.letter.label_fr(), w(3)).into_owned()),
                TCell::from(Line::from(format_amount(s.debt)).right_aligned()),
                TCell::from(ellipsize(&s.reason, w(5)).into_owned()),
            ]);
            let row = if on {
                row
            } else {
                row.style(theme.style("muted"))
            };
            if offset + i == self.cursor {
                row.style(theme.style("selection"))
            } else {
                row
            }
        });
        f.render_widget(
            Table::new(table_rows, widths)
                .header(header)
                .column_spacing(1)
                .style(theme.style("base")),
            table_area,
        );
        if rows.is_empty() {
            let inner = Rect {
                y: table_area.y + 1,
                height: table_area.height.saturating_sub(1),
                ..table_area
            };
            f.render_widget(
                Paragraph::new(
                    " Aucun courrier à envoyer aujourd'hui selon les règles de la campagne.",
                )
                .style(theme.style("muted")),
                inner,
            );
        }
        if let Some(s) = rows.get(self.cursor) {
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(format!(" {} : ", s.letter.label_fr()), theme.style("title")),
                    Span::styled(s.reason.clone(), theme.style("base")),
                ]))
                .wrap(Wrap { trim: true }),
                detail,
            );
        }
        let status_text = if self.busy {
            " Génération en cours…".to_string()
        } else if self.armed {
            format!(
                " Appuyez de nouveau sur w pour générer {} courrier(s) et enregistrer les relances",
                ticked.len()
            )
        } else {
            format!(
                " {} coché(s) sur {} · fichiers : {}",
                ticked.len(),
                rows.len(),
                self.output
            )
        };
        let status_style = if self.armed {
            theme.style("error")
        } else {
            theme.style("muted")
        };
        f.render_widget(Paragraph::new(status_text).style(status_style), status);
        if !self.report.is_empty() && report.height > 0 {
            let lines: Vec<Line> = self
                .report
                .iter()
                .map(|l| Line::from(Span::styled(format!(" {l}"), theme.style("ok"))))
                .collect();
            f.render_widget(
                Paragraph::new(lines).wrap(Wrap { trim: false }).block(
                    ratatui::widgets::Block::default()
                        .borders(ratatui::widgets::Borders::TOP)
                        .border_style(theme.style("border"))
                        .title(" Dernière génération "),
                ),
                report,
            );
        }
    }
}

impl LettersPane {
    /// The dossiers a rule chose but a skip rule held back, with why.
    fn render_excluded(
        &self,
        f: &mut Frame,
        area: Rect,
        detail: Rect,
        status: Rect,
        theme: &Theme,
    ) {
        let rows = self.excluded();
        let widths = [
            Constraint::Length(11),
            Constraint::Length(20),
            Constraint::Length(16),
            Constraint::Min(10),
        ];
        let sizes: Vec<u16> = Layout::horizontal(widths)
            .spacing(1)
            .split(area)
            .iter()
            .map(|r| r.width)
            .collect();
        let w = |i: usize| sizes.get(i).copied().unwrap_or(10) as usize;
        let height = area.height.saturating_sub(1) as usize;
        self.page.set(height);
        let offset = (self.ex_cursor + 1).saturating_sub(height.max(1));
        let end = (offset + height).min(rows.len());
        let table_rows = rows[offset.min(end)..end].iter().enumerate().map(|(i, e)| {
            let row = Row::new([
                TCell::from(e.account.clone()),
                TCell::from(ellipsize(&e.name, w(1)).into_owned()),
                TCell::from(ellipsize(e.letter.label_fr(), w(2)).into_owned()),
                TCell::from(ellipsize(&e.reason, w(3)).into_owned()),
            ]);
            if offset + i == self.ex_cursor {
                row.style(theme.style("selection"))
            } else {
                row
            }
        });
        let header = Row::new(["Compte", "Ménage", "Courrier retenu", "Écarté parce que"])
            .style(theme.style("table.header"));
        f.render_widget(
            Table::new(table_rows, widths)
                .header(header)
                .column_spacing(1)
                .style(theme.style("base")),
            area,
        );
        if let Some(e) = rows.get(self.ex_cursor) {
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(format!(" {} : ", e.account), theme.style("title")),
                    Span::styled(e.reason.clone(), theme.style("base")),
                ]))
                .wrap(Wrap { trim: true }),
                detail,
            );
        }
        f.render_widget(
            Paragraph::new(format!(
                " {} dossier(s) écarté(s) par les règles · e : revenir au lot",
                rows.len()
            ))
            .style(theme.style("muted")),
            status,
        );
    }
}

impl super::app::App {
    /// The letters pane's actions: open it (computing the batch the first time), tick, and
    /// generate (a second `w` confirms).
    pub(super) fn perform_letters(
        &mut self,
        action: super::keymap::Action,
    ) -> Vec<super::worker::Request> {
        use super::app::Pane;
        use super::keymap::Action;
        use super::worker::Request;
        let entering = self.pane != Pane::Letters;
        self.pane = Pane::Letters;
        let p = &mut self.letters;
        let load = Request::LettersPlan { today: self.today };
        match action {
            _ if p.busy => {}
            Action::GoLetters if entering && p.batch.is_none() => {
                p.busy = true;
                return vec![load];
            }
            Action::LettersReload => {
                p.busy = true;
                p.report.clear();
                return vec![load];
            }
            Action::LettersExcluded => p.show_excluded = !p.show_excluded,
            Action::LettersToggle | Action::LettersToggleAll | Action::LettersGenerate
                if p.show_excluded =>
            {
                self.flash = Some((
                    "Liste des dossiers écartés : revenez au lot (e) pour cocher ou générer".into(),
                    true,
                ));
            }
            Action::LettersToggle => p.toggle(),
            Action::LettersToggleAll => p.toggle_all(),
            Action::LettersGenerate if p.batch.is_some() => {
                let ticked = p.ticked();
                if ticked.is_empty() {
                    self.flash = Some(("Aucun dossier coché : rien à générer".into(), true));
                } else if p.armed {
                    p.armed = false;
                    p.busy = true;
                    return vec![Request::LettersGenerate {
                        today: self.today,
                        selection: ticked,
                        dir: p.dir.clone(),
                    }];
                } else {
                    p.armed = true;
                }
            }
            _ => {}
        }
        Vec::new()
    }
}
