#![allow(dead_code)] // Each bench uses part of these fixtures.
//! Synthetic households and dossiers for benchmarks: French names with accents, addresses and
//! phones, deterministic, without the cost of simulating a ledger.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use impayes::domain::dossier::Phase;
use impayes::domain::household::TenantStatus;
use impayes::domain::portfolio::{HouseholdSummary, PortfolioRow};

const FIRST: &[&str] = &[
    "Élodie",
    "Marc",
    "Zoé",
    "Françoise",
    "Jérôme",
    "Inès",
    "Noël",
    "Anaïs",
    "Loïc",
    "Hélène",
    "Théo",
    "Chloé",
    "Mathéo",
    "Léa",
    "Gaël",
    "Maëlle",
    "Benoît",
    "Agnès",
    "Rémi",
    "Cécile",
    "Karim",
    "Fatima",
    "Mehdi",
    "Yasmine",
    "Thomas",
    "Julie",
    "Nicolas",
    "Sophie",
    "Pierre",
    "Marie",
];
const LAST: &[&str] = &[
    "Béranger",
    "Dupont",
    "Lefèvre",
    "Müller",
    "Schmitt",
    "Meyer",
    "Perrin",
    "Girard",
    "Roux",
    "Benali",
    "Fischer",
    "Faure",
    "Mercier",
    "Walter",
    "Keller",
    "Colin",
    "Leroy",
    "Martin",
    "Bernard",
    "Durand",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefebvre",
    "Gauthier",
    "Chevalier",
    "François",
    "Legrand",
    "Garnier",
    "Faivre",
    "Boyer",
    "Mansour",
    "Hoarau",
    "Nguyen",
    "Da Silva",
    "Lopes",
    "Weiss",
    "Huber",
];
const STREETS: &[&str] = &[
    "rue des Lilas",
    "avenue Jean Jaurès",
    "rue de l'Église",
    "place d'Armes",
    "rue du Moulin",
    "chemin des Vignes",
    "rue Victor Hugo",
    "boulevard de l'Europe",
    "rue des Écoles",
    "allée des Tilleuls",
];
const TOWNS: &[&str] = &[
    "01000 Bourg-en-Bresse",
    "01100 Oyonnax",
    "01500 Ambérieu-en-Bugey",
    "68100 Mulhouse",
    "68000 Colmar",
    "68500 Guebwiller",
    "68200 Mulhouse",
    "01300 Belley",
];

fn lcg(seed: &mut u64) -> usize {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    (*seed >> 33) as usize
}

/// `n` households with varied names, addresses and phones.
pub fn summaries(n: usize) -> Vec<HouseholdSummary> {
    let mut s = 42u64;
    (0..n)
        .map(|i| {
            let name = format!(
                "{} {}",
                FIRST[lcg(&mut s) % FIRST.len()],
                LAST[lcg(&mut s) % LAST.len()]
            );
            HouseholdSummary {
                household_id: i as i64 + 1,
                account: format!("411-{:06}", i + 1),
                name,
                address: format!(
                    "{} {}, {}",
                    lcg(&mut s) % 120 + 1,
                    STREETS[lcg(&mut s) % STREETS.len()],
                    TOWNS[lcg(&mut s) % TOWNS.len()]
                ),
                phone: Some(format!(
                    "06 {:02} {:02} {:02} {:02}",
                    lcg(&mut s) % 100,
                    lcg(&mut s) % 100,
                    lcg(&mut s) % 100,
                    lcg(&mut s) % 100
                )),
                status: if i % 9 == 0 {
                    TenantStatus::Departed
                } else {
                    TenantStatus::Present
                },
                debt: Decimal::new((lcg(&mut s) % 500_000) as i64, 2),
                monthly_net: Decimal::new(40_000, 2),
                phase: Some(Phase::Amicable),
            }
        })
        .collect()
}

/// `n` portfolio rows.
pub fn rows(n: usize) -> Vec<PortfolioRow> {
    let phases = [
        Phase::Prevention,
        Phase::Amicable,
        Phase::Litigation,
        Phase::Departed,
    ];
    let mut s = 7u64;
    summaries(n)
        .into_iter()
        .enumerate()
        .map(|(i, h)| PortfolioRow {
            dossier_id: i as i64 + 1,
            household_id: h.household_id,
            account: h.account,
            name: h.name,
            sector: ["BOU", "OYO", "AMB", "MUL", "COL"][i % 5].to_string(),
            status: h.status,
            debt: h.debt,
            monthly_net: h.monthly_net,
            phase: phases[lcg(&mut s) % phases.len()],
            referent: Some(["pmuller", "tgirard", "ywalter", "lmeyer"][i % 4].to_string()),
            next_action: Some("Relance niveau 2".into()),
            next_action_on: NaiveDate::from_ymd_opt(2026, 11, 1 + (i % 28) as u32),
            opened_on: NaiveDate::from_ymd_opt(2025, 1 + (i % 12) as u32, 1).unwrap_or_default(),
            plan_status: None,
            flags: Vec::new(),
        })
        .collect()
}
