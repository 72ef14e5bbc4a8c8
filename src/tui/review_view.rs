//! Drawing the meeting pane: one dossier per screen, large and plain enough to be read on a
//! projector (household, debt and its 12-month trend, why it is on the agenda, what was decided
//! last time and now, last events, plan, legal deadlines), or the agenda as a list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Sparkline, Table, Wrap};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::app::App;
use super::fmt::{ellipsize, months_text};
use super::review_pane::{Mode, ReviewPane, Shown};
use super::theme::Theme;
use crate::domain::action::Action;
use crate::domain::dates::{add_months, format_fr, month_label};
use crate::domain::money::format_eur;
use crate::domain::plan::{InstalmentState, PlanStatus, follow_plan};
use crate::domain::review::{ReviewItem, ReviewStatus};

/// Draws the pane into `area`.
pub fn render(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let p = &app.review;
    if !p.loaded {
        f.render_widget(
            Paragraph::new(" Chargement de la réunion…").style(t.style("muted")),
            area,
        );
        return;
    }
    let Some(review) = &p.review else {
        render_none(app, f, area);
        return;
    };
    let status = match review.status {
        ReviewStatus::Open => "ouverte",
        ReviewStatus::Closed => "close — lecture seule",
    };
    let title = format!(" {} · {status} ", review.title_fr());
    let progress = if p.items.is_empty() {
        " ordre du jour vide ".to_string()
    } else {
        format!(
            " dossier {} / {} · {} décision(s){} ",
            p.cursor + 1,
            p.items.len(),
            p.decided(),
            p.timer
                .map(|s| {
                    let secs = s.elapsed().as_secs();
                    format!(" · ⏱ {:02}:{:02}", secs / 60, secs % 60)
                })
                .unwrap_or_default()
        )
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.style("border"))
        .title(Span::styled(title, t.style("title")))
        .title(Line::from(Span::styled(progress, t.style("title"))).right_aligned());
    let inner = block.inner(area);
    f.render_widget(block, area);
    match (p.mode, p.current()) {
        (Mode::Agenda, _) => render_agenda(p, f, inner, t),
        (Mode::Meeting, None) => f.render_widget(
            Paragraph::new(vec![
                Line::default(),
                Line::from(" L'ordre du jour est vide."),
                Line::from(" a : ajouter un dossier par la recherche · o : liste"),
            ])
            .style(t.style("base")),
            inner,
        ),
        (Mode::Meeting, Some(item)) => render_item(app, item, f, inner),
    }
    if let Some((form, _)) = &p.form {
        form.render(f, area, t);
    }
    let question = if p.confirm_remove {
        p.current().map(|i| {
            format!(
                "Retirer {} {} de l'ordre du jour ? (o/n)",
                i.account, i.name
            )
        })
    } else if p.confirm_close {
        Some("Clore la réunion ? Elle ne pourra plus être modifiée. (o/n)".to_string())
    } else {
        None
    };
    if let Some(q) = question {
        let w = 70.min(area.width);
        let r = Rect {
            x: area.x + (area.width - w) / 2,
            y: area.y + area.height / 2,
            width: w,
            height: 4.min(area.height),
        };
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(q).wrap(Wrap { trim: true }).block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(t.style("error"))
                    .title(" Confirmation "),
            ),
            r,
        );
    }
}

fn render_none(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let lines = vec![
        Line::from(Span::styled("Aucune réunion mensuelle.", t.style("title"))),
        Line::default(),
        Line::from(format!(
            "N : créer la réunion du {} et son ordre du jour proposé (règles et seuils de [review] dans la configuration).",
            format_fr(app.today)
        )),
        Line::from("Ou dans le terminal : impayes review new --date AAAA-MM-JJ"),
    ];
    f.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.style("border"))
                .title(" Réunion mensuelle "),
        ),
        area,
    );
}

fn section(t: &Theme, title: &str) -> Line<'static> {
    Line::from(Span::styled(title.to_string(), t.style("table.header")))
}

fn eur0(d: Decimal) -> String {
    // Whole euros: the trend's scale reads at a glance.
    format_eur(d.round()).replace(",00", "")
}

fn render_item(app: &App, item: &ReviewItem, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let shown = app.review.shown_current();
    let wide = area.width >= 120;
    let head_h = 2;
    let [head, body] =
        Layout::vertical([Constraint::Length(head_h), Constraint::Min(1)]).areas(area);
    // Who: the name in large letters is what the room reads first.
    let mut who = vec![Line::from(vec![
        Span::styled(format!(" {} ", item.account), t.style("header.active")),
        Span::styled(format!("  {}", item.name), t.style("title")),
    ])];
    let mut facts = Vec::new();
    if let Some(s) = shown {
        let file = &s.detail.file;
        if let Some(h) = &file.home {
            facts.push(format!("{} (secteur {})", h.full_address(), h.sector));
        }
        facts.push(format!(
            "ménage de {} pers. · locataire {}",
            file.household.size,
            file.household.status.label_fr()
        ));
        if let Some(d) = file.open_dossier() {
            facts.push(format!(
                "phase {} · référent {}",
                d.phase.label_fr(),
                d.lead_referent().unwrap_or("—")
            ));
        }
    }
    who.push(Line::from(Span::styled(
        format!(" {}", facts.join(" · ")),
        t.style("base"),
    )));
    f.render_widget(Paragraph::new(who), head);
    let Some(s) = shown else {
        f.render_widget(
            Paragraph::new(" Chargement du dossier…").style(t.style("muted")),
            body,
        );
        return;
    };
    let [left, right] = Layout::horizontal([
        Constraint::Percentage(if wide { 55 } else { 50 }),
        Constraint::Percentage(if wide { 45 } else { 50 }),
    ])
    .spacing(1)
    .areas(body);
    render_left(app, item, s, f, left, wide);
    render_right(t, s, f, right, wide, app.today);
}

fn render_left(app: &App, item: &ReviewItem, s: &Shown, f: &mut Frame, area: Rect, wide: bool) {
    let t = &app.theme;
    let spark_h: u16 = if wide {
        (area.height / 3).clamp(6, 14)
    } else {
        4
    };
    let [money, spark, axis, text] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(spark_h),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(area);
    let sum = &s.summary;
    f.render_widget(
        Paragraph::new(vec![
            Line::from(vec![
                Span::styled("Dette ", t.style("form.label")),
                Span::styled(format_eur(sum.balance), t.style("amount.debt")),
                Span::styled("   Mois d'impayé ", t.style("form.label")),
                Span::styled(months_text(sum.months_of_arrears), t.style("amount.debt")),
                Span::styled("   Loyer net d'APL ", t.style("form.label")),
                Span::styled(format_eur(sum.monthly_net), t.style("amount")),
            ]),
            Line::from(Span::styled(
                format!(
                    "< 3 mois {} · 3 à 12 mois {} · > 12 mois {}",
                    format_eur(sum.by_age.lt_3_months),
                    format_eur(sum.by_age.from_3_to_12_months),
                    format_eur(sum.by_age.gt_12_months)
                ),
                t.style("muted"),
            )),
        ]),
        money,
    );
    let values: Vec<u64> = s
        .trend
        .iter()
        .map(|d| (*d).max(Decimal::ZERO).round().to_u64().unwrap_or(0))
        .collect();
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let first = s.trend.first().copied().unwrap_or_default();
    let last = s.trend.last().copied().unwrap_or_default();
    let trend_word = if last > first {
        "en hausse"
    } else if last < first {
        "en baisse"
    } else {
        "stable"
    };
    // One bar per month, as wide as the area allows, a blank column between bars.
    let months = values.len().max(1);
    let bar = ((spark.width.saturating_sub(1) as usize) / months).max(1);
    let mut bars = Vec::with_capacity(bar * months);
    for v in &values {
        bars.extend(std::iter::repeat_n(*v, bar.saturating_sub(1).max(1)));
        if bar > 1 {
            bars.push(0);
        }
    }
    f.render_widget(
        Sparkline::default()
            .block(
                Block::default()
                    .borders(Borders::LEFT | Borders::TOP)
                    .border_style(t.style("border"))
                    .title(Span::styled(
                        format!(
                            " Dette sur 12 mois : {} → {} ({trend_word}, maximum {}) ",
                            eur0(first),
                            eur0(last),
                            eur0(Decimal::from(max))
                        ),
                        t.style("form.label"),
                    )),
            )
            .data(&bars)
            .max(max)
            .style(t.style("amount.debt")),
        spark,
    );
    // Month names under their bars when there is room, else the first and last months.
    let start = add_months(app.today, -(months as i32 - 1));
    let axis_text = if bar >= 6 {
        let mut a = String::from(" ");
        for k in 0..months {
            let m = add_months(start, k as i32);
            let label = month_label(m);
            let short = label.split_whitespace().next().unwrap_or("").to_string();
            a.push_str(&format!("{:<bar$}", ellipsize(&short, bar - 1)));
        }
        a
    } else {
        let (a, b) = (month_label(start), month_label(app.today));
        let pad = (axis.width as usize).saturating_sub(a.chars().count() + b.chars().count() + 1);
        format!(" {a}{}{b}", " ".repeat(pad))
    };
    f.render_widget(Paragraph::new(axis_text).style(t.style("muted")), axis);
    let mut lines = vec![section(t, "Pourquoi à l'ordre du jour")];
    for r in &item.reasons {
        lines.push(Line::from(vec![
            Span::styled(" ▸ ", t.style("severity.medium")),
            Span::styled(r.text.clone(), t.style("base")),
        ]));
    }
    lines.push(Line::default());
    lines.push(section(t, "Décidé la dernière fois"));
    match &s.detail.previous {
        Some((on, d, actions)) => {
            lines.push(Line::from(format!(
                " Réunion du {} : {}",
                format_fr(*on),
                d.summary_fr()
            )));
            push_actions(&mut lines, t, actions, app.today);
        }
        None => lines.push(Line::from(Span::styled(
            " Première fois en réunion",
            t.style("muted"),
        ))),
    }
    lines.push(Line::default());
    lines.push(section(t, "Décision de cette réunion"));
    match &item.decision {
        Some(d) => {
            lines.push(Line::from(Span::styled(
                format!(" ✔ {}", d.summary_fr()),
                t.style("severity.low"),
            )));
            push_actions(&mut lines, t, &s.detail.actions, app.today);
        }
        None => lines.push(Line::from(Span::styled(
            " Aucune décision : d pour décider",
            t.style("muted"),
        ))),
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .style(t.style("base")),
        text,
    );
}

fn push_actions(
    lines: &mut Vec<Line<'static>>,
    t: &Theme,
    actions: &[Action],
    today: chrono::NaiveDate,
) {
    for a in actions {
        let (mark, style) = match &a.done {
            Some((on, _)) => (
                format!("fait le {}", format_fr(*on)),
                t.style("severity.low"),
            ),
            None if a.due_on < today => ("EN RETARD".to_string(), t.style("severity.high")),
            None => ("à faire".to_string(), t.style("muted")),
        };
        lines.push(Line::from(vec![
            Span::raw(format!(
                "   • {} : {} — pour le {} ",
                a.assignee,
                a.what,
                format_fr(a.due_on)
            )),
            Span::styled(mark, style),
        ]));
    }
}

fn render_right(
    t: &Theme,
    s: &Shown,
    f: &mut Frame,
    area: Rect,
    wide: bool,
    today: chrono::NaiveDate,
) {
    let file = &s.detail.file;
    let width = area.width as usize;
    let mut lines = vec![section(t, "Derniers évènements")];
    let n = if wide {
        (area.height as usize).saturating_sub(16).max(6)
    } else {
        4
    };
    let dossier = file.open_dossier().map(|d| d.id);
    for e in file
        .events
        .iter()
        .filter(|e| e.date <= today && Some(e.dossier_id) == dossier)
        .take(n)
    {
        let mut text = format!("{} {}", format_fr(e.date), e.detail.label_fr());
        let summary = e.detail.summary_fr();
        if !summary.is_empty() {
            text.push_str(&format!(" — {summary}"));
        }
        // The projected screen never shows a social note's text, whoever is logged in.
        if !e.detail.is_confidential()
            && let Some(first) = e.text.lines().next().filter(|l| !l.trim().is_empty())
        {
            text.push_str(&format!(" : {first}"));
        }
        lines.push(Line::from(Span::raw(format!(
            " {}",
            ellipsize(&text, width.saturating_sub(1))
        ))));
    }
    lines.push(Line::default());
    lines.push(section(t, "Plan d'apurement"));
    match file.plans.first() {
        Some(p) => {
            let fu = follow_plan(p, &file.entries, today);
            let count = |st| fu.instalments.iter().filter(|(_, x)| *x == st).count();
            let style = if fu.status == PlanStatus::Broken {
                t.style("severity.high")
            } else {
                t.style("base")
            };
            lines.push(Line::from(Span::styled(
                format!(
                    " {} : signé le {}, {} en {} échéances",
                    fu.status.label_fr(),
                    format_fr(p.signed_on),
                    format_eur(p.amount),
                    p.instalments.len()
                ),
                style,
            )));
            lines.push(Line::from(format!(
                "   {} honorée(s) ✓ · {} manquée(s) ✗ · {} à venir",
                count(InstalmentState::Honoured),
                count(InstalmentState::Missed),
                count(InstalmentState::ToCome)
            )));
        }
        None => lines.push(Line::from(Span::styled(" Aucun plan", t.style("muted")))),
    }
    lines.push(Line::default());
    lines.push(section(t, "Délais légaux ouverts"));
    if s.deadlines.is_empty() {
        lines.push(Line::from(Span::styled(" Aucun", t.style("muted"))));
    }
    for d in &s.deadlines {
        let style = if d.late {
            t.style("severity.high")
        } else {
            t.style("base")
        };
        let late = if d.late { "EN RETARD · " } else { "" };
        lines.push(Line::from(Span::styled(
            format!(" {late}{}", d.summary),
            style,
        )));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .style(t.style("base")),
        area,
    );
}

fn render_agenda(p: &ReviewPane, f: &mut Frame, area: Rect, t: &Theme) {
    let height = area.height.saturating_sub(1) as usize;
    let offset = p.cursor.saturating_sub(height.saturating_sub(1));
    let wide = area.width >= 120;
    let rows: Vec<Row> = p
        .items
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, item)| {
            let mut reasons: Vec<&str> = item.reasons.iter().map(|r| r.code.label_fr()).collect();
            reasons.dedup();
            let decision = item
                .decision
                .as_ref()
                .map(|d| format!("✔ {}", d.kind.label_fr()))
                .unwrap_or_else(|| "—".into());
            let style = if i == p.cursor {
                t.style("selection")
            } else {
                Style::default()
            };
            let mut cells = vec![
                Cell::from(format!("{:>3}", item.position)),
                Cell::from(item.account.clone()),
                Cell::from(item.name.clone()),
                Cell::from(item.sector.clone()),
                Cell::from(item.referent.clone().unwrap_or_else(|| "—".into())),
                Cell::from(format!("{:>12}", format_eur(item.debt))),
                Cell::from(format!("{:>5}", months_text(item.months))),
                Cell::from(reasons.join(", ")),
            ];
            if wide {
                cells.push(Cell::from(decision));
            }
            Row::new(cells).style(style)
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(4),
        Constraint::Length(11),
        Constraint::Fill(2),
        Constraint::Length(7),
        Constraint::Length(9),
        Constraint::Length(12),
        Constraint::Length(5),
        Constraint::Fill(3),
    ];
    let mut header = vec![
        "N°",
        "Compte",
        "Nom",
        "Secteur",
        "Référent",
        "Dette",
        "Mois",
        "Motifs",
    ];
    if wide {
        widths.push(Constraint::Fill(2));
        header.push("Décision");
    }
    f.render_widget(
        Table::new(rows, widths)
            .header(Row::new(header).style(t.style("table.header")))
            .style(t.style("base")),
        area,
    );
}
