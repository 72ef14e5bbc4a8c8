//! `impayes show ACCOUNT`: one household as text or JSON.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::{Context, OutputFormat};
use crate::domain::dates::{format_fr, format_fr_opt};
use crate::domain::detection::{Assessment, CafRegime, DetectionRules, Flag, assess_file};
use crate::domain::household::TenantStatus;
use crate::domain::money::format_eur;
use crate::domain::plan::{InstalmentState, follow_plan_with};
use crate::domain::portfolio::HouseholdFile;
use crate::domain::procedure::{Deadline, deadlines};
use crate::store::{Store, household_by_account, household_file};

/// Prints one household's file.
pub fn run(ctx: &Context, account: &str, format: OutputFormat) -> Result<ExitCode> {
    let store = Store::open(&ctx.db)?;
    let h = household_by_account(store.conn(), account)?;
    let mut file = household_file(store.conn(), h.id)?;
    crate::store::redact_for(store.conn(), &ctx.user, &mut file)?;
    let rules = crate::config::load_rules()?;
    let legal = deadlines(&file, ctx.today, &rules);
    let detection = ctx.config.detection_rules();
    if format == OutputFormat::Json {
        let summary = file.summary(ctx.today);
        let assessment = assess_file(&file, ctx.today, &detection);
        let follow_ups: Vec<_> = file
            .plans
            .iter()
            .map(|p| {
                serde_json::json!({
                    "plan_id": p.id,
                    "follow_up": follow_plan_with(p, &file.entries, ctx.today, &detection.plan),
                })
            })
            .collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "file": file,
                "summary": summary,
                "assessment": assessment,
                "plan_follow_ups": follow_ups,
                "plan_rule": detection.plan.describe_fr(),
                "deadlines": legal,
                "today": ctx.today,
            }))?
        );
    } else {
        // Names, addresses and notes shown inert on a terminal (issue 9).
        crate::tui::inert::file(&mut file);
        out!(
            "{}",
            crate::domain::inert::inert_page(&render_text(&file, ctx.today, &legal, &detection))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The household file as French text.
pub fn render_text(
    file: &HouseholdFile,
    today: NaiveDate,
    legal: &[Deadline],
    detection: &DetectionRules,
) -> String {
    let mut o = String::new();
    let h = &file.household;
    let _ = writeln!(
        o,
        "{} — compte {} (locataire {})",
        h.names(),
        h.account,
        h.status.label_fr()
    );
    let _ = writeln!(
        o,
        "Téléphone : {}   Courriel : {}   Ménage : {} personne(s)",
        h.phone.as_deref().unwrap_or("—"),
        h.email.as_deref().unwrap_or("—"),
        h.size
    );
    if let Some(left) = h.left_on {
        let _ = writeln!(
            o,
            "Parti le {} — nouvelle adresse : {}",
            format_fr(left),
            h.forwarding_address.as_deref().unwrap_or("inconnue")
        );
    }
    if let Some(home) = &file.home {
        let _ = writeln!(
            o,
            "Logement : {} — {} (secteur {}, département {})",
            home.reference,
            home.full_address(),
            home.sector,
            home.departement
        );
    }
    if let Some(l) = &file.lease {
        let _ = writeln!(
            o,
            "Bail : entrée le {}, conclu ou renouvelé le {} ; loyer {} + charges {}{}",
            format_fr(l.start_on),
            format_fr(l.concluded_on),
            format_eur(l.rent),
            format_eur(l.charges),
            l.end_on
                .map(|d| format!(" ; fin le {}", format_fr(d)))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        o,
        "APL/AL (tiers payant) : {}",
        if h.has_housing_benefit() {
            format!("{} par mois", format_eur(h.housing_benefit))
        } else {
            "non".into()
        }
    );
    let s = file.summary(today);
    let _ = writeln!(
        o,
        "\nCompte au {} : solde {} ; {} ; loyer net d'APL {}",
        format_fr(today),
        format_eur(s.balance),
        match s.months_of_arrears {
            Some(m) => format!("{} mois d'impayé", m.to_string().replace('.', ",")),
            None => "mois d'impayé non calculable (loyer couvert par l'APL)".into(),
        },
        format_eur(s.monthly_net)
    );
    if let Some(since) = s.arrears_since {
        let _ = writeln!(o, "Impayé depuis le {}", format_fr(since));
    }
    let _ = writeln!(
        o,
        "Ancienneté de la dette : moins de 3 mois {} · 3 à 12 mois {} · plus de 12 mois {}",
        format_eur(s.by_age.lt_3_months),
        format_eur(s.by_age.from_3_to_12_months),
        format_eur(s.by_age.gt_12_months)
    );
    render_assessment(&mut o, file, &assess_file(file, today, detection), today);
    render_deadlines(&mut o, legal, today);
    if file.dossiers.is_empty() {
        let _ = writeln!(o, "\nAucun dossier d'impayé.");
    }
    for d in &file.dossiers {
        let _ = writeln!(
            o,
            "\nDossier n° {} — phase {}, ouvert le {} ({}){}",
            d.id,
            d.phase.label_fr(),
            format_fr(d.opened_on),
            d.open_reason.label_fr(),
            match (d.closed_on, d.close_reason) {
                (Some(c), Some(r)) => format!(", clos le {} ({})", format_fr(c), r.label_fr()),
                (Some(c), None) => format!(", clos le {}", format_fr(c)),
                _ => String::new(),
            }
        );
        let r = &d.referents;
        let _ = writeln!(
            o,
            "  Référents : CESF {} · amiable {} · contentieux {}",
            r.cesf.as_deref().unwrap_or("—"),
            r.amicable.as_deref().unwrap_or("—"),
            r.litigation.as_deref().unwrap_or("—")
        );
        if !d.causes.is_empty() {
            let causes: Vec<&str> = d.causes.iter().map(|c| c.label_fr()).collect();
            let _ = writeln!(o, "  Causes : {}", causes.join(", "));
        }
        if d.closed_on.is_none() {
            let _ = writeln!(
                o,
                "  Prochaine action : {} ({}){}",
                d.next_action.as_deref().unwrap_or("—"),
                format_fr_opt(d.next_action_on),
                if d.next_action_overdue(today) {
                    " EN RETARD"
                } else {
                    ""
                }
            );
        }
    }
    for p in &file.plans {
        let f = follow_plan_with(p, &file.entries, today, &detection.plan);
        let count = |st: InstalmentState| f.instalments.iter().filter(|(_, s)| *s == st).count();
        let _ = writeln!(
            o,
            "\nPlan d'apurement signé le {} : {} en {} échéance(s){} — {} ({} honorée(s), {} manquée(s), {} à venir)",
            format_fr(p.signed_on),
            format_eur(p.amount),
            p.instalments.len(),
            if p.caf_approved { ", validé CAF" } else { "" },
            f.status.label_fr(),
            count(InstalmentState::Honoured),
            count(InstalmentState::Missed),
            count(InstalmentState::ToCome)
        );
    }
    if !file.plans.is_empty() {
        let _ = writeln!(o, "  Règle : {}", detection.plan.describe_fr());
    }
    let _ = writeln!(o, "\nChronologie (du plus récent au plus ancien) :");
    if file.events.is_empty() {
        let _ = writeln!(o, "  (aucun évènement)");
    }
    for e in &file.events {
        let summary = e.detail.summary_fr();
        let mut line = format!(
            "  {}  {:<34} {:<10} {}",
            format_fr(e.date),
            e.detail.label_fr(),
            e.author,
            summary
        );
        if !e.text.is_empty() {
            if !summary.is_empty() {
                line.push_str(" — ");
            }
            line.push_str(&e.text);
        }
        let _ = writeln!(o, "{}", line.trim_end());
    }
    o
}

/// The "Délais légaux" section: the engine's open deadlines of the open dossier.
fn render_deadlines(o: &mut String, legal: &[Deadline], today: NaiveDate) {
    if legal.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nDélais légaux (dossier ouvert) :");
    for d in legal {
        let mut marks = Vec::new();
        if d.late {
            marks.push("délai dépassé");
        } else if d.next_step_from.unwrap_or(d.expires) <= today {
            marks.push("échu");
        }
        if d.unverified {
            marks.push("à vérifier");
        }
        let marks = if marks.is_empty() {
            String::new()
        } else {
            format!(" [{}]", marks.join(", "))
        };
        let _ = writeln!(o, "  • {}{}", d.summary, marks);
        let _ = writeln!(o, "    {} ({})", d.explanation, d.reference);
    }
}

/// The detection's findings: flags, CAF threshold, prescription dates.
fn render_assessment(o: &mut String, file: &HouseholdFile, a: &Assessment, today: NaiveDate) {
    if !a.flags.is_empty() {
        let labels: Vec<String> = a
            .flags
            .iter()
            .map(|f| match (f, file.open_dossier()) {
                (Flag::Settled, Some(d)) => format!(
                    "SOLDÉ, À CLORE (dossier n° {} : la dette est apurée, un chargé peut le clore)",
                    d.id
                ),
                _ => f.label_fr().to_uppercase(),
            })
            .collect();
        let _ = writeln!(o, "Alertes : {}", labels.join(" · "));
    }
    if let Some(op) = &a.opening {
        let _ = writeln!(
            o,
            "À ouvrir : loyer du {} impayé sans dossier ouvert (phase {} à la prochaine détection)",
            format_fr(op.first_unpaid),
            op.phase.label_fr()
        );
    }
    if let Some(c) = &a.caf {
        let regime = match c.regime {
            CafRegime::TwoMonthsOfRent => "régime jusqu'au 31/12/2026",
            CafRegime::ThreeMonthsOrAmount => "régime depuis le 01/01/2027",
        };
        let state = match (c.reached_on, c.reported_on) {
            (_, Some(r)) => format!("signalé le {}", format_fr(r)),
            (Some(on), None) => format!(
                "atteint le {}, à signaler au plus tard le {}{}",
                format_fr(on),
                c.report_by.map(format_fr).unwrap_or_default(),
                if c.late { " (délai dépassé)" } else { "" }
            ),
            (None, None) => "non atteint".into(),
        };
        let rule = if c.rule_fr.is_empty() {
            String::new()
        } else {
            format!(" : {}", c.rule_fr)
        };
        let _ = writeln!(
            o,
            "Signalement CAF/MSA (impayé constitué, {regime}{rule}) : {state}"
        );
    }
    if file.household.status == TenantStatus::Departed && !a.prescriptions.is_empty() {
        let _ = writeln!(
            o,
            "Prescription des impayés (3 ans, 10 après un jugement ; règle simplifiée, à vérifier) :"
        );
        for p in &a.prescriptions {
            let basis = p
                .basis
                .map(|b| format!(" (après {} du {})", b.kind.label_fr(), format_fr(b.date)))
                .unwrap_or_default();
            let _ = writeln!(
                o,
                "  {}  {:<34} {:>12}  {} le {}{}",
                format_fr(p.charged_on),
                p.label,
                format_eur(p.remaining),
                if p.prescribed_on <= today {
                    "prescrit depuis"
                } else {
                    "prescrit"
                },
                format_fr(p.prescribed_on),
                basis
            );
        }
    }
}
