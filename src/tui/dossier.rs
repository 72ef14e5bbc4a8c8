//! The dossier pane: a header with what every officer quotes first, and tabs for the
//! timeline, the account, the repayment plans and the notes.

use std::cell::Cell;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use rust_decimal::Decimal;

mod tabs;
use tabs::{render_account, render_deadlines, render_events, render_plans};

use super::dossier_header::header_lines;
use super::fmt::short_date;
use super::theme::Theme;
use crate::domain::event::Event;
use crate::domain::money::format_eur;
use crate::domain::plan::{InstalmentState, follow_plan_with};
use crate::domain::portfolio::HouseholdFile;
use crate::domain::procedure::Deadline;

/// The tabs of the dossier pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Chronologie.
    Timeline,
    /// Compte.
    Account,
    /// Plan d'apurement.
    Plan,
    /// Notes.
    Notes,
    /// Délais légaux.
    Deadlines,
}

impl Tab {
    const ALL: [Tab; 5] = [
        Tab::Timeline,
        Tab::Account,
        Tab::Plan,
        Tab::Notes,
        Tab::Deadlines,
    ];

    fn label(self) -> &'static str {
        match self {
            Tab::Timeline => "Chronologie",
            Tab::Account => "Compte",
            Tab::Plan => "Plan d'apurement",
            Tab::Notes => "Notes",
            Tab::Deadlines => "Délais",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// The dossier pane's state.
#[derive(Debug)]
pub struct DossierPane {
    /// The household shown.
    pub household_id: i64,
    /// Its file, once loaded.
    pub file: Option<Box<HouseholdFile>>,
    /// The tab shown.
    pub tab: Tab,
    /// The legal deadlines computed from the file (see `domain::procedure`).
    pub deadlines: Vec<Deadline>,
    /// What the arrears detection finds today (same rules as `impayes show` and the import).
    pub alerts: Vec<crate::domain::detection::Flag>,
    /// The plan rule in force (config `[detection]`), to follow and explain plans.
    pub plan_rule: crate::domain::plan::PlanRule,
    /// The open dossier's newest plan is broken (shown first among the alerts).
    pub plan_broken: bool,
    cursors: [usize; 5],
    offsets: [Cell<usize>; 5],
    page: Cell<usize>,
}

impl DossierPane {
    /// A pane waiting for its household's file.
    pub fn new(household_id: i64) -> DossierPane {
        DossierPane {
            household_id,
            file: None,
            tab: Tab::Timeline,
            deadlines: Vec::new(),
            alerts: Vec::new(),
            plan_rule: crate::domain::plan::PlanRule::default(),
            plan_broken: false,
            cursors: [0; 5],
            offsets: Default::default(),
            page: Cell::new(10),
        }
    }

    /// Installs a freshly loaded file and computes, once, what is derived from it as of
    /// `today` (legal deadlines, detection alerts); the account tab starts on its newest entry.
    pub fn set_file(
        &mut self,
        file: Box<HouseholdFile>,
        today: chrono::NaiveDate,
        rules: &crate::domain::procedure::Rules,
        detection: &crate::domain::detection::DetectionRules,
    ) {
        self.deadlines = crate::domain::procedure::deadlines(&file, today, rules);
        self.alerts = crate::domain::detection::assess_file(&file, today, detection).flags;
        self.plan_rule = detection.plan;
        self.plan_broken = file.plan_broken(today, &detection.plan);
        let first = self.file.is_none();
        if first {
            self.cursors[Tab::Account.index()] = file.entries.len().saturating_sub(1);
        }
        self.file = Some(file);
        for t in Tab::ALL {
            let n = self.len(t);
            let c = &mut self.cursors[t.index()];
            *c = (*c).min(n.saturating_sub(1));
        }
    }

    fn notes(&self) -> Vec<&Event> {
        self.file
            .as_ref()
            .map(|f| {
                f.events
                    .iter()
                    .filter(|e| e.detail.code() == "note")
                    .collect()
            })
            .unwrap_or_default()
    }

    fn plan_lines(&self, today: NaiveDate) -> Vec<PlanLine> {
        let Some(file) = &self.file else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for p in &file.plans {
            let f = follow_plan_with(p, &file.entries, today, &self.plan_rule);
            out.push(PlanLine::Header {
                text: format!(
                    "Plan signé le {} : {} en {} échéance(s){}",
                    short_date(p.signed_on),
                    format_eur(p.amount),
                    p.instalments.len(),
                    if p.caf_approved { ", validé CAF" } else { "" }
                ),
                status: f.status.label_fr(),
            });
            for (i, (inst, st)) in f.instalments.iter().enumerate() {
                out.push(PlanLine::Instalment {
                    seq: i + 1,
                    due_on: inst.due_on,
                    amount: inst.amount,
                    state: *st,
                });
            }
        }
        out
    }

    fn len(&self, tab: Tab) -> usize {
        let Some(file) = &self.file else {
            return 0;
        };
        match tab {
            Tab::Timeline => file.events.len(),
            Tab::Account => file.entries.len(),
            Tab::Plan => file.plans.iter().map(|p| p.instalments.len() + 1).sum(),
            Tab::Notes => self.notes().len(),
            Tab::Deadlines => self.deadlines.len(),
        }
    }

    /// Next or previous tab.
    pub fn switch_tab(&mut self, forward: bool) {
        let i = self.tab.index();
        let n = Tab::ALL.len();
        self.tab = Tab::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }];
    }

    /// Moves the current tab's cursor.
    pub fn move_by(&mut self, delta: isize) {
        let n = self.len(self.tab);
        if n == 0 {
            return;
        }
        let c = &mut self.cursors[self.tab.index()];
        *c = (*c as isize + delta).clamp(0, n as isize - 1) as usize;
    }

    /// To the first or last line of the current tab.
    pub fn jump(&mut self, end: bool) {
        let n = self.len(self.tab);
        self.cursors[self.tab.index()] = if end { n.saturating_sub(1) } else { 0 };
    }

    /// Lines per page, as last drawn.
    pub fn page(&self) -> usize {
        self.page.get().max(1)
    }

    /// The deadline under the cursor (deadlines tab).
    pub fn selected_deadline(&self) -> Option<&Deadline> {
        (self.tab == Tab::Deadlines)
            .then(|| self.deadlines.get(self.cursors[Tab::Deadlines.index()]))
            .flatten()
    }

    /// The event under the cursor (timeline or notes tab).
    pub fn selected_event(&self) -> Option<&Event> {
        let file = self.file.as_ref()?;
        match self.tab {
            Tab::Timeline => file.events.get(self.cursors[Tab::Timeline.index()]),
            Tab::Notes => self.notes().get(self.cursors[Tab::Notes.index()]).copied(),
            _ => None,
        }
    }

    /// Draws the pane.
    pub fn render(&self, f: &mut Frame, area: Rect, theme: &Theme, today: NaiveDate) {
        let Some(file) = &self.file else {
            f.render_widget(
                Paragraph::new("Chargement du dossier…").style(theme.style("muted")),
                area,
            );
            return;
        };
        let header = header_lines(
            file,
            self.plan_broken,
            &self.alerts,
            theme,
            today,
            area.width,
        );
        // A segment longer than the width wraps: count the rows it takes.
        let inner = area.width.saturating_sub(2).max(1) as usize;
        let rows: usize = header
            .iter()
            .map(|l| l.width().div_ceil(inner).max(1))
            .sum();
        let header_height = (rows as u16 + 2).min(area.height.saturating_sub(4));
        let [head, tabs, body] = Layout::vertical([
            Constraint::Length(header_height),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .areas(area);
        let title = format!(" {} — {} ", file.household.names(), file.household.account);
        f.render_widget(
            Paragraph::new(header)
                .wrap(Wrap { trim: false })
                .block(
                    Block::default()
                        .borders(Borders::ALL)
                        .border_style(theme.style("border"))
                        .title(Span::styled(title, theme.style("title"))),
                )
                .style(theme.style("base")),
            head,
        );
        let mut spans = Vec::new();
        for t in Tab::ALL {
            // The plan tab counts plans, the others their lines.
            let count = match t {
                Tab::Plan => file.plans.len(),
                _ => self.len(t),
            };
            let label = format!(" {} ({count}) ", t.label());
            if t == self.tab {
                spans.push(Span::styled(format!("▸{label}"), theme.style("tab.active")));
            } else {
                spans.push(Span::styled(
                    format!(" {label}"),
                    theme.style("tab.inactive"),
                ));
            }
        }
        f.render_widget(
            Paragraph::new(Line::from(spans)).style(theme.style("base")),
            tabs,
        );
        let height = body.height.saturating_sub(1) as usize;
        self.page.set(height.max(1));
        let i = self.tab.index();
        let cursor = self.cursors[i];
        let offset =
            super::fmt::window_offset(self.offsets[i].get(), cursor, height, self.len(self.tab));
        self.offsets[i].set(offset);
        match self.tab {
            Tab::Timeline => {
                let events: Vec<&Event> = file.events.iter().collect();
                render_events(f, body, theme, &events, cursor, offset, height);
            }
            Tab::Notes => {
                let notes = self.notes();
                if notes.is_empty() {
                    f.render_widget(
                        Paragraph::new(" Aucune note. « a » puis « Note » pour en ajouter une.")
                            .style(theme.style("muted")),
                        body,
                    );
                } else {
                    render_events(f, body, theme, &notes, cursor, offset, height);
                }
            }
            Tab::Account => render_account(f, body, theme, file, cursor, offset, height),
            Tab::Deadlines => {
                render_deadlines(f, body, theme, &self.deadlines, cursor, offset, height)
            }
            Tab::Plan => {
                let lines = self.plan_lines(today);
                // The rule officers can check the instalments against, above the schedule.
                let rule = self.plan_rule.describe_fr();
                let rule_text = format!("Règle : {rule}");
                let rule_height = if lines.is_empty() {
                    0
                } else {
                    // Wrapped lines plus one blank line; at most four on a narrow screen.
                    let w = body.width.max(1) as usize;
                    (rule_text.chars().count().div_ceil(w) + 1).min(5) as u16
                };
                let [rule_area, body] =
                    Layout::vertical([Constraint::Length(rule_height), Constraint::Min(1)])
                        .areas(body);
                if rule_height > 0 {
                    f.render_widget(
                        Paragraph::new(rule_text)
                            .wrap(Wrap { trim: true })
                            .style(theme.style("muted")),
                        rule_area,
                    );
                }
                if lines.is_empty() {
                    f.render_widget(
                        Paragraph::new(" Aucun plan d'apurement. « P » pour en signer un.")
                            .style(theme.style("muted")),
                        body,
                    );
                } else {
                    let height = height.saturating_sub(rule_height as usize);
                    render_plans(f, body, theme, &lines, cursor, offset, height);
                }
            }
        }
    }
}

enum PlanLine {
    Header {
        text: String,
        status: &'static str,
    },
    Instalment {
        seq: usize,
        due_on: NaiveDate,
        amount: Decimal,
        state: InstalmentState,
    },
}
