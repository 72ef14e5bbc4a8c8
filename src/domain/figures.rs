//! The figures a landlord publishes (domain.md §6): what each one counts, its French label and
//! definition, and the two rates with the formula they use.
//!
//! Every figure is computed from the timeline's events and the accounts' entries for a period
//! [from, to] (both included), never from stored counters. The store gathers, per sector, the
//! additive inputs (`FigureInputs`); the totals of several sectors are their sum, and the rates
//! are computed last from the summed amounts, so that a total rate is never an average of
//! rates. The pure helpers that turn raw facts into inputs (debt at a date and its age, phase
//! at a date, sector at a date, dossiers opened and closed per month) live in
//! `figures_calc`.

use std::ops::AddAssign;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::dates::format_fr;
use super::ledger::DebtByAge;

/// The period the figures cover, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day; the stock figures (dossiers, debt) are taken at its end.
    pub to: NaiveDate,
}

impl Period {
    /// A calendar year.
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// "du 01/01/2025 au 31/12/2025".
    pub fn label_fr(&self) -> String {
        format!("du {} au {}", format_fr(self.from), format_fr(self.to))
    }
}

/// The debt of open dossiers at the period's end by the dossier's phase on that day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DebtByPhase {
    /// Prévention (CESF).
    pub prevention: Decimal,
    /// Amiable.
    pub amicable: Decimal,
    /// Contentieux.
    pub litigation: Decimal,
    /// Locataire parti.
    pub departed: Decimal,
}

/// The additive inputs of the figures for one sector (or several, summed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FigureInputs {
    /// Households with a lease in force on the last day.
    pub households: u64,
    /// Dossiers open on the last day whose household still lived in its home.
    pub dossiers_present: u64,
    /// Dossiers open on the last day whose household had left.
    pub dossiers_departed: u64,
    /// Debt on the last day of the households of `dossiers_present`.
    pub debt_present: Decimal,
    /// Debt on the last day of the households of `dossiers_departed`.
    pub debt_departed: Decimal,
    /// That debt (present and departed) by age, oldest charges settled first.
    pub debt_by_age: DebtByAge,
    /// That debt by the dossier's phase on the last day.
    pub debt_by_phase: DebtByPhase,
    /// Dossiers opened for arrears in which a CESF recorded work during the period.
    pub cesf_follow_ups: u64,
    /// Dossiers opened on a CESF referral (no debt needed) in which a CESF recorded work.
    pub cesf_other: u64,
    /// `home_visit` events.
    pub home_visits: u64,
    /// `reminder` events.
    pub reminders: u64,
    /// `plan_signed` events.
    pub plans_signed: u64,
    /// Plans found respected during the period.
    pub plans_respected: u64,
    /// Plans found broken during the period.
    pub plans_broken: u64,
    /// `payment_order` events.
    pub payment_orders: u64,
    /// `ccapex_referral` events.
    pub ccapex_referrals: u64,
    /// `summons` events.
    pub summonses: u64,
    /// `judgement` events.
    pub judgements: u64,
    /// `judgement` events whose outcome terminates the lease.
    pub lease_terminations: u64,
    /// `eviction_order` events.
    pub eviction_orders: u64,
    /// `police_request` events.
    pub police_requests: u64,
    /// `police_decision` events granting the request.
    pub police_granted: u64,
    /// `eviction` events.
    pub evictions: u64,
    /// `write_off` account entries (admission en non-valeur, effacement).
    pub write_offs_count: u64,
    /// Their amount (positive).
    pub write_offs_amount: Decimal,
    /// Payments and aid received after the household left.
    pub recovered_from_departed: Decimal,
    /// Rent and charges called (`rent_call` entries).
    pub rent_called: Decimal,
    /// Receipts: tenant payments, APL/AL and aid (positive).
    pub receipts: Decimal,
}

impl AddAssign<&FigureInputs> for FigureInputs {
    fn add_assign(&mut self, o: &FigureInputs) {
        self.households += o.households;
        self.dossiers_present += o.dossiers_present;
        self.dossiers_departed += o.dossiers_departed;
        self.debt_present += o.debt_present;
        self.debt_departed += o.debt_departed;
        self.debt_by_age.lt_3_months += o.debt_by_age.lt_3_months;
        self.debt_by_age.from_3_to_12_months += o.debt_by_age.from_3_to_12_months;
        self.debt_by_age.gt_12_months += o.debt_by_age.gt_12_months;
        self.debt_by_phase.prevention += o.debt_by_phase.prevention;
        self.debt_by_phase.amicable += o.debt_by_phase.amicable;
        self.debt_by_phase.litigation += o.debt_by_phase.litigation;
        self.debt_by_phase.departed += o.debt_by_phase.departed;
        self.cesf_follow_ups += o.cesf_follow_ups;
        self.cesf_other += o.cesf_other;
        self.home_visits += o.home_visits;
        self.reminders += o.reminders;
        self.plans_signed += o.plans_signed;
        self.plans_respected += o.plans_respected;
        self.plans_broken += o.plans_broken;
        self.payment_orders += o.payment_orders;
        self.ccapex_referrals += o.ccapex_referrals;
        self.summonses += o.summonses;
        self.judgements += o.judgements;
        self.lease_terminations += o.lease_terminations;
        self.eviction_orders += o.eviction_orders;
        self.police_requests += o.police_requests;
        self.police_granted += o.police_granted;
        self.evictions += o.evictions;
        self.write_offs_count += o.write_offs_count;
        self.write_offs_amount += o.write_offs_amount;
        self.recovered_from_departed += o.recovered_from_departed;
        self.rent_called += o.rent_called;
        self.receipts += o.receipts;
    }
}

/// How the arrears rate is computed (printed beside it: the rate is not standard).
pub const ARREARS_RATE_FORMULA: &str = "dette des dossiers ouverts en fin de période (locataires présents et partis) ÷ loyers et charges quittancés sur la période × 100";

/// How the recovery rate is computed.
pub const RECOVERY_RATE_FORMULA: &str = "encaissements de la période (paiements des locataires, APL/AL, aides) ÷ loyers et charges quittancés sur la période × 100";

/// A percentage of `part` over `whole`, two decimals; None when nothing was called.
pub fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole <= Decimal::ZERO {
        return None;
    }
    Some((part * Decimal::ONE_HUNDRED / whole).round_dp(2))
}

/// Arrears rate: debt at the period's end over the rent and charges called in the period.
pub fn arrears_rate(i: &FigureInputs) -> Option<Decimal> {
    percent(i.debt_present + i.debt_departed, i.rent_called)
}

/// Recovery rate: receipts over the rent and charges called in the period.
pub fn recovery_rate(i: &FigureInputs) -> Option<Decimal> {
    percent(i.receipts, i.rent_called)
}

/// A figure's value, typed so that each output writes it its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A date (the period's bounds).
    Date(NaiveDate),
    /// A count.
    Count(u64),
    /// An amount in euros.
    Amount(Decimal),
    /// A percentage (None: undefined, nothing called).
    Percent(Option<Decimal>),
}

impl Value {
    /// The value as a French reader expects it: `12 529`, `1 234,50 €`, `3,47 %`, `31/12/2025`.
    pub fn text_fr(&self) -> String {
        match self {
            Value::Date(d) => format_fr(*d),
            Value::Count(n) => format_count(*n),
            Value::Amount(a) => super::money::format_eur(*a),
            Value::Percent(Some(p)) => format!("{} %", format!("{p:.2}").replace('.', ",")),
            Value::Percent(None) => "—".into(),
        }
    }
}

/// A count with its thousands grouped by a space, `12 529`.
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// One line of the figures: stable key, French label, value, and what it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// Stable key; a dot nests it in JSON (`debt.present` → `{"debt": {"present": …}}`).
    pub key: &'static str,
    /// French label.
    pub label: &'static str,
    /// The value.
    pub value: Value,
    /// French definition (for rates: the formula, also written under `KEY_formula`).
    pub definition: &'static str,
}

/// The figures of one period (and sector), ready to print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figures {
    /// The period.
    pub period: Period,
    /// The inputs they come from.
    pub inputs: FigureInputs,
}

impl Figures {
    /// The published figures, in the order of domain.md §6.
    pub fn rows(&self) -> Vec<Figure> {
        let i = &self.inputs;
        let f = |key, label, value, definition| Figure {
            key,
            label,
            value,
            definition,
        };
        use Value::{Amount, Count, Date, Percent};
        vec![
            f(
                "period.from",
                "Début de la période",
                Date(self.period.from),
                "Premier jour compté (inclus).",
            ),
            f(
                "period.to",
                "Fin de la période",
                Date(self.period.to),
                "Dernier jour compté (inclus) ; les dossiers et la dette sont pris ce jour-là.",
            ),
            f(
                "households",
                "Ménages logés",
                Count(i.households),
                "Ménages dont un bail est en cours le dernier jour de la période.",
            ),
            f(
                "dossiers.present",
                "Dossiers de locataires présents",
                Count(i.dossiers_present),
                "Dossiers ouverts le dernier jour de la période dont le ménage occupe encore son logement.",
            ),
            f(
                "dossiers.departed",
                "Dossiers de locataires partis",
                Count(i.dossiers_departed),
                "Dossiers ouverts le dernier jour de la période dont le ménage a quitté son logement.",
            ),
            f(
                "debt.present",
                "Dette des locataires présents",
                Amount(i.debt_present),
                "Solde débiteur, le dernier jour, des comptes des dossiers de locataires présents (somme des écritures jusqu'à ce jour).",
            ),
            f(
                "debt.departed",
                "Dette des locataires partis",
                Amount(i.debt_departed),
                "Solde débiteur, le dernier jour, des comptes des dossiers de locataires partis.",
            ),
            f(
                "debt_by_age.lt_3_months",
                "Dette de moins de 3 mois",
                Amount(i.debt_by_age.lt_3_months),
                "Part de cette dette (présents et partis) faite d'échéances appelées moins de 3 mois avant la fin de période, les paiements soldant les plus anciennes d'abord.",
            ),
            f(
                "debt_by_age.3_to_12_months",
                "Dette de 3 à 12 mois",
                Amount(i.debt_by_age.from_3_to_12_months),
                "Part de cette dette faite d'échéances appelées de 3 à 12 mois avant la fin de période.",
            ),
            f(
                "debt_by_age.gt_12_months",
                "Dette de plus de 12 mois",
                Amount(i.debt_by_age.gt_12_months),
                "Part de cette dette faite d'échéances appelées plus de 12 mois avant la fin de période.",
            ),
            f(
                "cesf.follow_ups",
                "Suivis CESF (impayés)",
                Count(i.cesf_follow_ups),
                "Dossiers ouverts pour impayé où une CESF a enregistré une visite, une évaluation budgétaire, une demande ou réponse d'aide, un diagnostic ou une note pendant la période.",
            ),
            f(
                "cesf.other_interventions",
                "Interventions diverses CESF",
                Count(i.cesf_other),
                "Dossiers ouverts sur signalement à la CESF, sans dette nécessaire, où une CESF a enregistré du travail pendant la période.",
            ),
            f(
                "home_visits",
                "Visites à domicile",
                Count(i.home_visits),
                "Évènements « visite à domicile » datés dans la période.",
            ),
            f(
                "reminders",
                "Relances",
                Count(i.reminders),
                "Évènements « relance » (courrier, SMS, courriel, téléphone, mise en demeure) datés dans la période.",
            ),
            f(
                "plans.signed",
                "Plans d'apurement signés",
                Count(i.plans_signed),
                "Évènements « plan d'apurement signé » datés dans la période.",
            ),
            f(
                "plans.respected",
                "Plans respectés",
                Count(i.plans_respected),
                "Plans constatés respectés (dette apurée) pendant la période, d'après le compte.",
            ),
            f(
                "plans.broken",
                "Plans rompus",
                Count(i.plans_broken),
                "Plans constatés rompus (échéance manquée) pendant la période, d'après le compte.",
            ),
            f(
                "payment_orders",
                "Commandements de payer",
                Count(i.payment_orders),
                "Évènements « commandement de payer » datés dans la période.",
            ),
            f(
                "ccapex_referrals",
                "Saisines CCAPEX",
                Count(i.ccapex_referrals),
                "Évènements « saisine CCAPEX » datés dans la période.",
            ),
            f(
                "summonses",
                "Assignations",
                Count(i.summonses),
                "Évènements « assignation » datés dans la période.",
            ),
            f(
                "judgements",
                "Jugements",
                Count(i.judgements),
                "Évènements « jugement » datés dans la période, quelle qu'en soit l'issue.",
            ),
            f(
                "lease_terminations",
                "Résiliations de bail",
                Count(i.lease_terminations),
                "Jugements de la période prononçant la résiliation du bail (ou constatant la clause résolutoire).",
            ),
            f(
                "eviction_orders",
                "Commandements de quitter les lieux",
                Count(i.eviction_orders),
                "Évènements « commandement de quitter les lieux » datés dans la période.",
            ),
            f(
                "police_requests",
                "Concours de la force publique demandés",
                Count(i.police_requests),
                "Évènements « demande de concours de la force publique » datés dans la période.",
            ),
            f(
                "police_granted",
                "Concours de la force publique accordés",
                Count(i.police_granted),
                "Décisions du préfet accordant le concours, datées dans la période.",
            ),
            f(
                "evictions",
                "Expulsions",
                Count(i.evictions),
                "Évènements « expulsion / reprise des lieux » datés dans la période.",
            ),
            f(
                "write_offs.count",
                "Admissions en non-valeur et effacements",
                Count(i.write_offs_count),
                "Écritures « non-valeur » (admission en non-valeur, effacement après surendettement) datées dans la période.",
            ),
            f(
                "write_offs.amount",
                "Montant passé en non-valeur",
                Amount(i.write_offs_amount),
                "Somme de ces écritures.",
            ),
            f(
                "recovered_from_departed",
                "Recouvré sur locataires partis",
                Amount(i.recovered_from_departed),
                "Paiements et aides datés dans la période et postérieurs au départ du ménage (dont les sommes reversées par une société de recouvrement).",
            ),
            f(
                "arrears_rate",
                "Taux d'impayés (%)",
                Percent(arrears_rate(i)),
                ARREARS_RATE_FORMULA,
            ),
            f(
                "recovery_rate",
                "Taux de recouvrement (%)",
                Percent(recovery_rate(i)),
                RECOVERY_RATE_FORMULA,
            ),
        ]
    }

    /// The figures as JSON: dotted keys nest, counts are numbers, amounts and percentages are
    /// decimal strings (with a point), dates ISO; each rate has its formula under
    /// `KEY_formula` beside it.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::{Map, Value as J};
        let mut root = Map::new();
        for fig in self.rows() {
            let value = match fig.value {
                Value::Date(d) => J::String(d.format("%Y-%m-%d").to_string()),
                Value::Count(n) => J::from(n),
                Value::Amount(a) => J::String(format!("{:.2}", a.round_dp(2))),
                Value::Percent(p) => p.map_or(J::Null, |p| J::String(format!("{p:.2}"))),
            };
            let (parent, leaf) = match fig.key.split_once('.') {
                Some((p, l)) => (Some(p), l),
                None => (None, fig.key),
            };
            let target = match parent {
                Some(p) => match root
                    .entry(p.to_string())
                    .or_insert_with(|| J::Object(Map::new()))
                {
                    J::Object(m) => m,
                    _ => continue,
                },
                None => &mut root,
            };
            target.insert(leaf.to_string(), value);
            if matches!(fig.value, Value::Percent(_)) {
                target.insert(format!("{leaf}_formula"), J::String(fig.definition.into()));
            }
        }
        J::Object(root)
    }
}

/// The figures' keys, in order (the README documents them; tests keep them stable).
pub fn keys() -> Vec<&'static str> {
    let sample = Figures {
        period: Period {
            from: NaiveDate::MIN,
            to: NaiveDate::MIN,
        },
        inputs: FigureInputs::default(),
    };
    sample.rows().into_iter().map(|f| f.key).collect()
}

/// The steps of the procedure funnel (relances → … → expulsions), label and count.
pub fn funnel(i: &FigureInputs) -> [(&'static str, u64); 7] {
    [
        ("Relances", i.reminders),
        ("Plans signés", i.plans_signed),
        ("Commandements de payer", i.payment_orders),
        ("Assignations", i.summonses),
        ("Résiliations de bail", i.lease_terminations),
        ("Concours force publique", i.police_requests),
        ("Expulsions", i.evictions),
    ]
}

#[cfg(test)]
mod tests;
