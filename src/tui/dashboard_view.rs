//! Drawing the « Tableau de bord »: a title line with the period and sector, then the figures,
//! debt by age and by phase (bar charts), dossiers opened and closed per month (line chart), the
//! procedure funnel and the sectors side by side. A large terminal shows everything at once; a
//! small one shows one section at a time, chosen with Tab. Every chart says its numbers in
//! words too, so nothing depends on colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, Block, Borders, Cell, Chart, Dataset, GraphType, Paragraph, Row, Table,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use unicode_width::UnicodeWidthStr;

use super::dashboard::{Dashboard, Section};
use super::fmt::ellipsize;
use super::theme::Theme;
use crate::domain::dates::month_label;
use crate::domain::figures::{FigureInputs, Value, arrears_rate, format_count, funnel};
use crate::domain::figures_calc::SectorStats;

/// Terminals at least this large show every section at once.
const WIDE: (u16, u16) = (150, 40);

/// Draws the pane into `area`.
pub fn render(d: &Dashboard, f: &mut Frame, area: Rect, t: &Theme, today: chrono::NaiveDate) {
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let mut spans = vec![
        Span::styled(" Tableau de bord · ", t.style("title")),
        Span::styled(d.choice().label_fr(today), t.style("title")),
        Span::styled(format!(" · {}", d.sector_label()), t.style("title")),
    ];
    if d.loading {
        spans.push(Span::styled("  (calcul…)", t.style("muted")));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), title);
    let Some(stats) = d.stats.as_deref() else {
        f.render_widget(
            Paragraph::new(" Calcul des chiffres…").style(t.style("muted")),
            body,
        );
        return;
    };
    let inputs = stats.inputs_of(d.sector);
    if area.width >= WIDE.0 && area.height >= WIDE.1 {
        let [left, right] =
            Layout::horizontal([Constraint::Length(62), Constraint::Min(40)]).areas(body);
        figures(f, left, t, stats, d.sector);
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(right);
        let [debt_area, funnel_area] =
            Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(top);
        debt(f, debt_area, t, &inputs);
        procedure(f, funnel_area, t, &inputs);
        let [flow_area, sector_area] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
                .areas(bottom);
        flows(f, flow_area, t, stats, d.sector);
        sectors(f, sector_area, t, stats, d.sector);
        return;
    }
    let [tabs, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(body);
    let mut spans = Vec::new();
    for (k, s) in Section::ALL.iter().enumerate() {
        let style = if k == d.section {
            t.style("tab.active")
        } else {
            t.style("tab.inactive")
        };
        let mark = if k == d.section { "▸" } else { " " };
        spans.push(Span::styled(format!("{mark}{} ", s.label_fr()), style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    match d.current_section() {
        Section::Figures => figures(f, rest, t, stats, d.sector),
        Section::Debt => debt(f, rest, t, &inputs),
        Section::Flows => flows(f, rest, t, stats, d.sector),
        Section::Funnel => procedure(f, rest, t, &inputs),
        Section::Sectors => sectors(f, rest, t, stats, d.sector),
    }
}

fn block<'a>(title: &'a str, t: &Theme) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.style("border"))
        .title(Span::styled(format!(" {title} "), t.style("title")))
}

/// An amount in short form for charts: `845 €`, `12,3 k€`, `1,24 M€`.
pub fn short_eur(a: Decimal) -> String {
    let v = a.to_f64().unwrap_or(0.0);
    let text = if v.abs() >= 1_000_000.0 {
        format!("{:.2} M€", v / 1_000_000.0)
    } else if v.abs() >= 10_000.0 {
        format!("{:.0} k€", v / 1_000.0)
    } else if v.abs() >= 1_000.0 {
        format!("{:.1} k€", v / 1_000.0)
    } else {
        format!("{v:.0} €")
    };
    text.replace('.', ",")
}

fn figures(f: &mut Frame, area: Rect, t: &Theme, stats: &SectorStats, sector: Option<usize>) {
    let rows: Vec<(&str, String)> = stats
        .figures(sector)
        .rows()
        .into_iter()
        .filter(|r| !matches!(r.value, Value::Date(_)))
        .map(|r| (r.label, r.value.text_fr()))
        .collect();
    let b = block("Chiffres de la période", t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let height = inner.height.max(1) as usize;
    let columns = rows.len().div_ceil(height).max(1);
    let width = (inner.width as usize / columns).max(1);
    let areas = Layout::horizontal(vec![Constraint::Length(width as u16); columns]).split(inner);
    for (c, chunk) in rows.chunks(height).enumerate() {
        let vw = chunk.iter().map(|(_, v)| v.width()).max().unwrap_or(0);
        let lw = width.saturating_sub(vw + 2);
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(l, v)| {
                let l = if l.width() > lw { compact(l) } else { l };
                let label = ellipsize(l, lw);
                Line::from(vec![
                    Span::raw(format!("{label}{}", " ".repeat(lw - label.width()))),
                    Span::styled(format!(" {v:>vw$}"), t.style("amount")),
                ])
            })
            .collect();
        if let Some(a) = areas.get(c) {
            f.render_widget(Paragraph::new(lines), *a);
        }
    }
}

/// A shorter label for narrow columns (the full one is in `impayes stats` and the help).
fn compact(label: &str) -> &str {
    match label {
        "Dossiers de locataires présents" => "Dossiers présents",
        "Dossiers de locataires partis" => "Dossiers partis",
        "Dette des locataires présents" => "Dette présents",
        "Dette des locataires partis" => "Dette partis",
        "Dette de moins de 3 mois" => "Dette < 3 mois",
        "Dette de 3 à 12 mois" => "Dette 3-12 mois",
        "Dette de plus de 12 mois" => "Dette > 12 mois",
        "Plans d'apurement signés" => "Plans signés",
        "Interventions diverses CESF" => "Interv. diverses CESF",
        "Commandements de quitter les lieux" => "Cdts de quitter",
        "Concours de la force publique demandés" => "Concours FP demandés",
        "Concours de la force publique accordés" => "Concours FP accordés",
        "Admissions en non-valeur et effacements" => "Non-valeurs, effacements",
        "Montant passé en non-valeur" => "Montant non-valeurs",
        "Recouvré sur locataires partis" => "Recouvré sur partis",
        other => other,
    }
}

fn bars<'a>(items: &[(&'a str, Decimal)], style: Style) -> Vec<Bar<'a>> {
    items
        .iter()
        .map(|(label, v)| {
            Bar::default()
                .label(Line::from(*label))
                .value(v.round().to_u64().unwrap_or(0))
                .text_value(short_eur(*v))
                .style(style)
        })
        .collect()
}

fn bar_chart<'a>(
    title: &'a str,
    items: &[(&'a str, Decimal)],
    area: Rect,
    t: &Theme,
) -> BarChart<'a> {
    let n = items.len().max(1) as u16;
    let inner = area.width.saturating_sub(2);
    let width = ((inner.saturating_sub(n - 1)) / n).clamp(3, 14);
    BarChart::vertical(bars(items, t.style("amount.debt")))
        .block(block(title, t))
        .bar_width(width)
        .bar_gap(1)
        .value_style(t.style("selection"))
        .label_style(t.style("base"))
}

fn debt(f: &mut Frame, area: Rect, t: &Theme, i: &FigureInputs) {
    let ages = [
        ("< 3 mois", i.debt_by_age.lt_3_months),
        ("3-12 mois", i.debt_by_age.from_3_to_12_months),
        ("> 12 mois", i.debt_by_age.gt_12_months),
    ];
    let phases = [
        ("Prévention", i.debt_by_phase.prevention),
        ("Amiable", i.debt_by_phase.amicable),
        ("Contentieux", i.debt_by_phase.litigation),
        ("Partis", i.debt_by_phase.departed),
    ];
    // Three bars as wide as "3-12 mois", the rest for the four phases ("Contentieux").
    let [a, b] = Layout::horizontal([Constraint::Length(31), Constraint::Min(20)]).areas(area);
    f.render_widget(bar_chart("Dette par ancienneté", &ages, a, t), a);
    f.render_widget(bar_chart("Dette par phase", &phases, b, t), b);
}

fn flows(f: &mut Frame, area: Rect, t: &Theme, stats: &SectorStats, sector: Option<usize>) {
    let months = stats.flows_of(sector);
    let opened: Vec<(f64, f64)> = months
        .iter()
        .enumerate()
        .map(|(k, m)| (k as f64, m.opened as f64))
        .collect();
    let closed: Vec<(f64, f64)> = months
        .iter()
        .enumerate()
        .map(|(k, m)| (k as f64, m.closed as f64))
        .collect();
    let max = months
        .iter()
        .map(|m| m.opened.max(m.closed))
        .max()
        .unwrap_or(0)
        .max(1);
    let top = (max as f64 * 1.1).ceil();
    let last = months.len().saturating_sub(1);
    let label = |k: usize| {
        months
            .get(k)
            .map(|m| month_label(m.month))
            .unwrap_or_default()
    };
    let (o_sum, c_sum): (u64, u64) = months
        .iter()
        .fold((0, 0), |(o, c), m| (o + m.opened, c + m.closed));
    let title = format!(
        "Dossiers par mois ({} mois) : {} ouverts, {} clos",
        months.len(),
        format_count(o_sum),
        format_count(c_sum)
    );
    let datasets = vec![
        Dataset::default()
            .name("ouverts ⣿")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(t.style("severity.medium"))
            .data(&opened),
        Dataset::default()
            .name("clos •")
            .marker(Marker::Dot)
            .graph_type(GraphType::Scatter)
            .style(t.style("severity.low"))
            .data(&closed),
    ];
    let chart = Chart::new(datasets)
        .block(block(&title, t))
        .x_axis(
            Axis::default()
                .bounds([0.0, last.max(1) as f64])
                .labels([label(0), label(last / 2), label(last)])
                .style(t.style("muted")),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels([
                    "0".to_string(),
                    format_count((top / 2.0) as u64),
                    format_count(top as u64),
                ])
                .style(t.style("muted")),
        );
    f.render_widget(chart, area);
}

fn procedure(f: &mut Frame, area: Rect, t: &Theme, i: &FigureInputs) {
    let steps = funnel(i);
    let b = block("Procédure (barres en échelle log.)", t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let lw = steps.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    let vw = steps
        .iter()
        .map(|(_, v)| format_count(*v).width())
        .max()
        .unwrap_or(0);
    let room = (inner.width as usize).saturating_sub(lw + vw + 3);
    let max = steps.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let scale = |v: u64| -> usize {
        if max == 0 || v == 0 {
            return 0;
        }
        let r = ((v as f64).ln_1p() / (max as f64).ln_1p() * room as f64).round() as usize;
        r.max(1)
    };
    let mut lines: Vec<Line> = Vec::new();
    let spacing = inner.height as usize >= steps.len() * 2;
    for (k, (label, v)) in steps.iter().enumerate() {
        let arrow = if k == 0 { " " } else { "↓" };
        lines.push(Line::from(vec![
            Span::raw(format!("{arrow}{label:<lw$} ")),
            Span::styled(format!("{:>vw$} ", format_count(*v)), t.style("amount")),
            Span::styled("█".repeat(scale(*v)), t.style("severity.medium")),
        ]));
        if spacing && k + 1 < steps.len() {
            lines.push(Line::default());
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

fn sectors(f: &mut Frame, area: Rect, t: &Theme, stats: &SectorStats, sector: Option<usize>) {
    struct Col {
        title: &'static str,
        width: u16,
        value: fn(&FigureInputs) -> String,
    }
    let cols: [Col; 9] = [
        Col {
            title: "Ménages",
            width: 8,
            value: |i| format_count(i.households),
        },
        Col {
            title: "Dossiers",
            width: 8,
            value: |i| format_count(i.dossiers_present + i.dossiers_departed),
        },
        Col {
            title: "Dette",
            width: 10,
            value: |i| short_eur(i.debt_present + i.debt_departed),
        },
        Col {
            title: "Impayés",
            width: 7,
            value: |i| {
                arrears_rate(i)
                    .map(|r| format!("{r:.2}").replace('.', ","))
                    .unwrap_or_else(|| "—".into())
            },
        },
        Col {
            title: "Relances",
            width: 8,
            value: |i| format_count(i.reminders),
        },
        Col {
            title: "Plans",
            width: 6,
            value: |i| format_count(i.plans_signed),
        },
        Col {
            title: "Expuls.",
            width: 7,
            value: |i| format_count(i.evictions),
        },
        Col {
            title: "Cdts payer",
            width: 10,
            value: |i| format_count(i.payment_orders),
        },
        Col {
            title: "Assign.",
            width: 7,
            value: |i| format_count(i.summonses),
        },
    ];
    let b = block("Secteurs (taux d'impayés en %)", t);
    let inner = b.inner(area);
    let name_width = (inner.width / 3).clamp(16, 28);
    let mut used = name_width + 2;
    let shown: Vec<&Col> = cols
        .iter()
        .take_while(|c| {
            used += c.width + 1;
            used <= inner.width
        })
        .collect();
    let header = Row::new(
        std::iter::once(Cell::from("Secteur")).chain(
            shown
                .iter()
                .map(|c| Cell::from(format!("{:>w$}", c.title, w = c.width as usize))),
        ),
    )
    .style(t.style("table.header"));
    let mut rows = Vec::new();
    let mut line = |name: String, i: &FigureInputs, selected: bool| {
        let mark = if selected { "▶ " } else { "  " };
        let cells = std::iter::once(Cell::from(format!(
            "{mark}{}",
            ellipsize(&name, name_width as usize - 2)
        )))
        .chain(
            shown
                .iter()
                .map(|c| Cell::from(format!("{:>w$}", (c.value)(i), w = c.width as usize))),
        );
        let row = Row::new(cells);
        rows.push(if selected {
            row.style(t.style("selection"))
        } else {
            row
        });
    };
    for (k, (code, name)) in stats.sectors.iter().enumerate() {
        let label = if name.is_empty() {
            code.clone()
        } else {
            name.clone()
        };
        line(label, &stats.inputs_of(Some(k)), sector == Some(k));
    }
    line("Total".into(), &stats.inputs_of(None), sector.is_none());
    let widths: Vec<Constraint> = std::iter::once(Constraint::Length(name_width))
        .chain(shown.iter().map(|c| Constraint::Length(c.width)))
        .collect();
    f.render_widget(Table::new(rows, widths).header(header).block(b), area);
}
