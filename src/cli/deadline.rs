//! `impayes deadline STEP --from DATE [--lease-date DATE] [--zone …] [--format text|json]`: the
//! officers' calculator ("when can I assign?").

use std::process::ExitCode;

use anyhow::Result;

use super::args::{DeadlineArgs, OutputFormat};
use crate::domain::delay::long_fr;
use crate::domain::procedure::apply_rule;

/// Computes one step's delay and prints it.
pub fn run(args: &DeadlineArgs) -> Result<ExitCode> {
    let rules = crate::config::load_rules()?;
    let normalized = args.step.trim().replace('é', "e");
    let step = normalized.as_str();
    let ids = rules.ids();
    if !ids.contains(&step) {
        eprintln!(
            "impayes : étape inconnue « {step} » (étapes possibles : {})\nAide : impayes deadline --help",
            ids.join(", ")
        );
        return Ok(ExitCode::from(2));
    }
    let candidates = rules.select(step, args.from, args.lease_date);
    let rule = match candidates.as_slice() {
        [] => {
            eprintln!(
                "impayes : aucune règle « {step} » ne s'applique à un évènement du {} avec ce bail",
                args.from.format("%d/%m/%Y")
            );
            return Ok(ExitCode::from(1));
        }
        [one] => *one,
        _ => {
            eprintln!(
                "impayes : le délai « {step} » dépend de la date de conclusion ou de renouvellement du bail : précisez --lease-date AAAA-MM-JJ"
            );
            return Ok(ExitCode::from(2));
        }
    };
    let zone = args.zone.zone();
    let d = apply_rule(rule, args.from, zone, &rules.winter_truce);
    if args.format == OutputFormat::Json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "step": rule.id,
                "label": rule.label,
                "kind": rule.kind,
                "from": args.from,
                "lease_date": args.lease_date,
                "zone": zone.code(),
                "delay": rule.delay().describe_fr(),
                "direction": rule.direction,
                "expires": d.expires,
                "next_step_from": d.next_step_from,
                "skipped": d.skipped,
                "explanation": d.explanation,
                "reference": d.reference,
                "unverified": d.unverified,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{} ({})", rule.label, rule.id);
    outln!(
        "Délai : {}{} depuis le {} — zone {}",
        rule.delay().describe_fr(),
        if rule.direction == crate::domain::delay::Direction::Backward {
            " à rebours"
        } else {
            ""
        },
        long_fr(args.from),
        zone.label_fr()
    );
    if rule.direction == crate::domain::delay::Direction::Backward {
        outln!("Dernier jour pour agir : {}", long_fr(d.expires));
    } else {
        outln!("Expire le : {} à 24 h", long_fr(d.expires));
    }
    if let Some(n) = d.next_step_from {
        outln!(
            "Étape suivante ({}) possible à partir du : {}",
            rule.step,
            long_fr(n)
        );
    }
    outln!("Explication : {}", d.explanation);
    outln!("Référence : {}", d.reference);
    if d.unverified {
        outln!("À VÉRIFIER : point marqué non vérifié par la recherche juridique.");
    }
    Ok(ExitCode::SUCCESS)
}
