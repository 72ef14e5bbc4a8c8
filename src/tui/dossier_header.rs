//! The dossier pane's header: the facts every officer quotes first, flowed to the width.

use chrono::NaiveDate;
use ratatui::text::{Line, Span};
use rust_decimal::Decimal;

use super::fmt::{months_text, short_date};
use super::theme::Theme;
use crate::domain::dates::format_fr_opt;
use crate::domain::detection::Flag;
use crate::domain::money::{format_amount, format_eur};
use crate::domain::portfolio::HouseholdFile;

/// The header's facts as segments (a label and its value), flowed into lines of `width`: on a
/// wide screen they sit side by side, on 80 columns each wraps to its own line.
pub(super) fn header_lines(
    file: &HouseholdFile,
    plan_broken: bool,
    alerts: &[Flag],
    theme: &Theme,
    today: NaiveDate,
    width: u16,
) -> Vec<Line<'static>> {
    let h = &file.household;
    let s = file.summary(today);
    let label = theme.style("form.label");
    let seg = |l: &str, v: String| vec![Span::styled(format!("{l} "), label), Span::raw(v)];
    // Each inner Vec is one row of the header on a wide screen.
    let mut rows: Vec<Vec<Vec<Span<'static>>>> = Vec::new();
    let mut first = vec![seg(
        "Locataire",
        match h.left_on {
            Some(left) => format!("{} le {}", h.status.label_fr(), short_date(left)),
            None => h.status.label_fr().to_string(),
        },
    )];
    if let Some(phone) = &h.phone {
        first.push(seg("Tél.", phone.clone()));
    }
    first.push(seg("Ménage", format!("{} pers.", h.size)));
    first.push(seg(
        "APL",
        if h.has_housing_benefit() {
            format!("{}/mois", format_eur(h.housing_benefit))
        } else {
            "non".into()
        },
    ));
    rows.push(first);
    if let Some(home) = &file.home {
        rows.push(vec![seg(
            "Logement",
            format!(
                "{} (secteur {}, {})",
                home.full_address(),
                home.sector,
                home.departement
            ),
        )]);
    }
    if let Some(l) = &file.lease {
        rows.push(vec![
            seg(
                "Bail",
                format!(
                    "entrée {} · conclu/renouvelé {}",
                    short_date(l.start_on),
                    short_date(l.concluded_on)
                ),
            ),
            seg(
                "Loyer",
                format!("{} + charges {}", format_eur(l.rent), format_eur(l.charges)),
            ),
        ]);
    }
    let debt_style = if s.balance > Decimal::ZERO {
        theme.style("amount.debt")
    } else {
        theme.style("amount.credit")
    };
    rows.push(vec![
        vec![
            Span::styled(
                if s.balance < Decimal::ZERO {
                    "Solde créditeur "
                } else {
                    "Dette "
                },
                label,
            ),
            Span::styled(format_eur(s.balance.abs()), debt_style),
            Span::raw(format!(
                " ({} mois d'impayé{})",
                months_text(s.months_of_arrears),
                s.arrears_since
                    .map(|d| format!(", depuis le {}", short_date(d)))
                    .unwrap_or_default()
            )),
        ],
        seg(
            "Ancienneté",
            format!(
                "<3 mois {} · 3-12 mois {} · >12 mois {}",
                format_amount(s.by_age.lt_3_months),
                format_amount(s.by_age.from_3_to_12_months),
                format_amount(s.by_age.gt_12_months)
            ),
        ),
    ]);
    match file.open_dossier() {
        Some(d) => {
            let r = &d.referents;
            rows.push(vec![
                vec![
                    Span::styled("Phase ", label),
                    Span::styled(d.phase.label_fr(), theme.style("title")),
                    Span::raw(format!(
                        " (dossier n° {} ouvert le {})",
                        d.id,
                        short_date(d.opened_on)
                    )),
                ],
                seg(
                    "Référents",
                    format!(
                        "CESF {} · amiable {} · contentieux {}",
                        r.cesf.as_deref().unwrap_or("—"),
                        r.amicable.as_deref().unwrap_or("—"),
                        r.litigation.as_deref().unwrap_or("—")
                    ),
                ),
            ]);
            let mut next = seg(
                "Prochaine action",
                format!(
                    "{} ({})",
                    d.next_action.clone().unwrap_or_else(|| "—".into()),
                    format_fr_opt(d.next_action_on)
                ),
            );
            if d.next_action_overdue(today) {
                next.push(Span::styled(" EN RETARD", theme.style("severity.high")));
            }
            let mut last = vec![next];
            if !d.causes.is_empty() {
                last.push(seg(
                    "Causes",
                    d.causes
                        .iter()
                        .map(|c| c.label_fr())
                        .collect::<Vec<_>>()
                        .join(", "),
                ));
            }
            if let Some(change) = modified_by(file) {
                last.push(seg("Modifié par", change));
            }
            rows.push(last);
        }
        None => rows.push(vec![seg(
            "Dossier",
            "aucun dossier ouvert (un évènement en ouvre un)".into(),
        )]),
    }
    if plan_broken || !alerts.is_empty() {
        // The same words and order as the portfolio's Alertes column.
        let labels: Vec<&str> = plan_broken
            .then_some("plan rompu")
            .into_iter()
            .chain(alerts.iter().map(|f| f.label_fr()))
            .collect();
        rows.push(vec![vec![
            Span::styled("Alertes ", label),
            Span::styled(
                format!("⚠ {}", labels.join(" · ")),
                theme.style("severity.high"),
            ),
        ]]);
    }
    let width = width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for row in rows {
        let mut current: Vec<Span<'static>> = Vec::new();
        let mut used = 0;
        for segment in row {
            let len: usize = segment.iter().map(|x| x.content.chars().count()).sum();
            if used > 0 && used + 2 + len > width {
                lines.push(Line::from(std::mem::take(&mut current)));
                used = 0;
            }
            if used > 0 {
                current.push(Span::raw("  "));
                used += 2;
            }
            current.extend(segment);
            used += len;
        }
        lines.push(Line::from(current));
    }
    lines
}

/// "pmuller le 22/11/2026 à 10:04" from the file's last change (time in UTC, as stored).
fn modified_by(file: &HouseholdFile) -> Option<String> {
    let (who, at) = file.last_change.as_ref()?;
    let when = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M:%SZ")
        .map(|t| format!("{} à {} UTC", short_date(t.date()), t.format("%H:%M")))
        .unwrap_or_else(|_| at.clone());
    Some(format!("{who} le {when}"))
}
