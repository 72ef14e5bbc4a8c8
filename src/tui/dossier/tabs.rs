//! The bodies of the dossier pane's tabs: timeline and notes, account, plans, legal
//! deadlines, each a window of rows around the cursor.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as TCell, Paragraph, Row, Table, Wrap};
use rust_decimal::Decimal;

use super::PlanLine;
use crate::domain::event::Event;
use crate::domain::ledger::EntryKind;
use crate::domain::money::{format_amount, format_eur};
use crate::domain::plan::InstalmentState;
use crate::domain::portfolio::HouseholdFile;
use crate::domain::procedure::Deadline;
use crate::tui::fmt::{ellipsize, short_date};
use crate::tui::theme::Theme;

pub(super) fn render_events(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    events: &[&Event],
    cursor: usize,
    offset: usize,
    height: usize,
) {
    if events.is_empty() {
        f.render_widget(
            Paragraph::new(" Aucun évènement. « a » pour en ajouter un, « r » pour une relance.")
                .style(theme.style("muted")),
            area,
        );
        return;
    }
    let end = (offset + height).min(events.len());
    let rows = events[offset..end].iter().enumerate().map(|(i, e)| {
        let mut summary = e.detail.summary_fr();
        if !e.text.is_empty() {
            if !summary.is_empty() {
                summary.push_str(" — ");
            }
            summary.push_str(&e.text);
        }
        let kind_style = match e.detail.code() {
            "payment_order" | "summons" | "judgement" | "eviction_order" | "police_request"
            | "eviction" => theme.style("severity.high"),
            "phase_change" => theme.style("muted"),
            "note" if e.detail.is_confidential() => theme.style("confidential"),
            _ => theme.style("base"),
        };
        let detail_width = (area.width as usize).saturating_sub(10 + 26 + 9 + 3);
        let row = Row::new(vec![
            TCell::from(short_date(e.date)),
            TCell::from(Span::styled(ellipsize(e.detail.label_fr(), 26), kind_style)),
            TCell::from(e.author.as_str()),
            TCell::from(ellipsize(&summary.replace('\n', " "), detail_width).into_owned()),
        ]);
        highlight_if(row, offset + i == cursor, theme)
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(26),
            Constraint::Length(9),
            Constraint::Min(10),
        ],
    )
    .header(
        Row::new(vec!["Date", "Évènement", "Auteur", "Détail"]).style(theme.style("table.header")),
    )
    .column_spacing(1)
    .style(theme.style("base"));
    f.render_widget(table, area);
}

pub(super) fn render_account(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    file: &HouseholdFile,
    cursor: usize,
    offset: usize,
    height: usize,
) {
    if file.entries.is_empty() {
        f.render_widget(
            Paragraph::new(" Aucune écriture sur ce compte.").style(theme.style("muted")),
            area,
        );
        return;
    }
    // Running balance up to the first visible line, then line by line.
    let mut running: Decimal = file.entries[..offset].iter().map(|e| e.amount).sum();
    let end = (offset + height).min(file.entries.len());
    let mut rows = Vec::with_capacity(end - offset);
    let label_width = (area.width as usize)
        .saturating_sub(10 + 14 + 3 * 11 + 5)
        .max(12);
    for (i, e) in file.entries[offset..end].iter().enumerate() {
        running += e.amount;
        let (debit, credit) = if e.amount >= Decimal::ZERO {
            (format!("+{}", format_amount(e.amount)), String::new())
        } else {
            (String::new(), format!("−{}", format_amount(-e.amount)))
        };
        let kind_style = match e.kind {
            EntryKind::RentCall | EntryKind::Fees => theme.style("amount.debt"),
            EntryKind::Regularisation if e.amount > Decimal::ZERO => theme.style("amount.debt"),
            _ => theme.style("amount.credit"),
        };
        let row = Row::new(vec![
            TCell::from(short_date(e.date)),
            TCell::from(Span::styled(e.kind.label_fr(), kind_style)),
            TCell::from(ellipsize(&e.label, label_width)),
            TCell::from(
                Line::from(Span::styled(debit, theme.style("amount.debt"))).right_aligned(),
            ),
            TCell::from(
                Line::from(Span::styled(credit, theme.style("amount.credit"))).right_aligned(),
            ),
            TCell::from(Line::from(format_amount(running)).right_aligned()),
        ]);
        rows.push(highlight_if(row, offset + i == cursor, theme));
    }
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(14),
            Constraint::Min(12),
            Constraint::Length(11),
            Constraint::Length(11),
            Constraint::Length(11),
        ],
    )
    .header(
        Row::new(vec![
            TCell::from("Date"),
            TCell::from("Type"),
            TCell::from("Libellé"),
            TCell::from(Line::from("Débit").right_aligned()),
            TCell::from(Line::from("Crédit").right_aligned()),
            TCell::from(Line::from("Solde").right_aligned()),
        ])
        .style(theme.style("table.header")),
    )
    .column_spacing(1)
    .style(theme.style("base"));
    f.render_widget(table, area);
}

pub(super) fn render_plans(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    lines: &[PlanLine],
    cursor: usize,
    offset: usize,
    height: usize,
) {
    let end = (offset + height.max(1)).min(lines.len());
    let mut out = Vec::new();
    for (i, l) in lines[offset..end].iter().enumerate() {
        let mut line = match l {
            PlanLine::Header { text, status } => Line::from(vec![
                Span::styled(text.clone(), theme.style("title")),
                Span::raw(" — "),
                Span::styled(status.to_string(), theme.style("severity.medium")),
            ]),
            PlanLine::Instalment {
                seq,
                due_on,
                amount,
                state,
            } => {
                let (mark, style) = match state {
                    InstalmentState::Honoured => ("✓", theme.style("severity.low")),
                    InstalmentState::Missed => ("✗", theme.style("severity.high")),
                    InstalmentState::ToCome => ("…", theme.style("muted")),
                };
                Line::from(vec![
                    Span::raw(format!(
                        "   {seq:>3}. {}  {:>12}  ",
                        short_date(*due_on),
                        format_eur(*amount)
                    )),
                    Span::styled(format!("{mark} {}", state.label_fr()), style),
                ])
            }
        };
        if offset + i == cursor {
            line = line.style(theme.style("selection"));
        }
        out.push(line);
    }
    f.render_widget(
        Paragraph::new(out)
            .style(theme.style("base"))
            .wrap(Wrap { trim: false }),
        area,
    );
}

pub(super) fn render_deadlines(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    deadlines: &[Deadline],
    cursor: usize,
    offset: usize,
    height: usize,
) {
    if deadlines.is_empty() {
        f.render_widget(
            Paragraph::new(
                " Aucun délai légal en cours pour ce dossier (ils naissent des évènements : commandement, CCAPEX, assignation…).",
            )
            .wrap(Wrap { trim: true })
            .style(theme.style("muted")),
            area,
        );
        return;
    }
    let end = (offset + height).min(deadlines.len());
    let width = (area.width as usize).saturating_sub(10 + 12 + 2);
    let rows = deadlines[offset..end].iter().enumerate().map(|(i, d)| {
        let (mark, style) = if d.frozen_until.is_some() {
            ("GELÉ", theme.style("severity.medium"))
        } else if d.late {
            ("DÉPASSÉ", theme.style("severity.high"))
        } else if d.unverified {
            ("à vérifier", theme.style("severity.medium"))
        } else {
            ("", theme.style("base"))
        };
        let row = Row::new(vec![
            TCell::from(short_date(d.expires)),
            TCell::from(Span::styled(mark, style)),
            TCell::from(ellipsize(&d.summary, width).into_owned()),
        ]);
        highlight_if(row, offset + i == cursor, theme)
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Length(10),
            Constraint::Min(10),
        ],
    )
    .header(
        Row::new(vec!["Échéance", "", "Délai (Entrée : le calcul en détail)"])
            .style(theme.style("table.header")),
    )
    .column_spacing(1)
    .style(theme.style("base"));
    f.render_widget(table, area);
}

/// A table row in the selection style when it is under the cursor.
pub(super) fn highlight_if<'a>(row: Row<'a>, selected: bool, theme: &Theme) -> Row<'a> {
    if selected {
        row.style(theme.style("selection"))
    } else {
        row
    }
}
