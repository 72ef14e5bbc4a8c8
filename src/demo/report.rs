//! The figures printed after generation: the stock of households and dossiers on `today`, and
//! what the service did over the last twelve months, also scaled to 17,000 homes so that they
//! compare with the Habitats de Haute-Alsace figures of domain.md §1.

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::dates::add_months;
use crate::domain::ledger::DebtByAge;
use crate::domain::money::from_cents;
use crate::store::Result;

/// Homes of the reference landlord the yearly figures are scaled to.
pub const REFERENCE_HOMES: u64 = 17_000;

/// What the service did over a period (event counts).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct YearFigures {
    /// Relances (`reminder` events).
    pub relances: u64,
    /// Home visits (`home_visit`).
    pub home_visits: u64,
    /// Plans d'apurement signed (`plan_signed`).
    pub plans_signed: u64,
    /// Commandements de payer (`payment_order`).
    pub payment_orders: u64,
    /// Assignations (`summons`).
    pub summonses: u64,
    /// Judgements terminating the lease (`judgement` with outcome `lease_terminated`).
    pub lease_terminations: u64,
    /// Demandes de concours de la force publique (`police_request`).
    pub police_requests: u64,
    /// Expulsions (`eviction`).
    pub evictions: u64,
}

impl YearFigures {
    /// The same figures for a landlord of `to` homes instead of `from` (rounded).
    pub fn scaled(&self, from: u64, to: u64) -> YearFigures {
        let s = |v: u64| (v * to + from / 2).checked_div(from).unwrap_or(0);
        YearFigures {
            relances: s(self.relances),
            home_visits: s(self.home_visits),
            plans_signed: s(self.plans_signed),
            payment_orders: s(self.payment_orders),
            summonses: s(self.summonses),
            lease_terminations: s(self.lease_terminations),
            police_requests: s(self.police_requests),
            evictions: s(self.evictions),
        }
    }
}

/// Counts the CLI prints after generating a demo database (labels are the CLI's job).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoReport {
    /// Homes of the landlord.
    pub homes: u64,
    /// Households living in a home on `today`.
    pub households_present: u64,
    /// Households that left (moved out or evicted) during the simulation.
    pub households_departed: u64,
    /// Open dossiers of present households (prevention, amicable, litigation).
    pub open_dossiers_present: u64,
    /// Open dossiers of departed households (phase departed).
    pub open_dossiers_departed: u64,
    /// Share of present households with an open dossier, in percent (one decimal).
    pub arrears_share_percent: Decimal,
    /// Debt of the present households' open dossiers (their positive balances).
    pub debt_present: Decimal,
    /// Debt of the departed households' open dossiers.
    pub debt_departed: Decimal,
    /// That debt (present and departed) by age on `today`, oldest charges paid first.
    pub debt_by_age: DebtByAge,
    /// First day of the twelve-month period the yearly figures cover.
    pub period_from: NaiveDate,
    /// Last day of it (`today`).
    pub period_to: NaiveDate,
    /// What the service did over the period.
    pub year: YearFigures,
    /// The same, scaled to 17,000 homes.
    pub year_per_17000_homes: YearFigures,
    /// Account entries written.
    pub entries: u64,
    /// Timeline events written.
    pub events: u64,
    /// What the arrears detection, run on `today` over the generated accounts, did.
    pub detection: DemoDetection,
    /// Plans by status on `today`: (active, respected, broken, replaced).
    pub plans: PlanCounts,
}

/// The detection's run at the end of the demo, as the import runs it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DemoDetection {
    /// Dossiers it opened (a first unpaid the simulated service had not acted on yet).
    pub opened: u64,
    /// Open dossiers flagged "soldé, à clore".
    pub settled: u64,
    /// Open dossiers flagged "signalement CAF/MSA à faire".
    pub caf_report: u64,
    /// Open dossiers flagged "prescription proche".
    pub prescription: u64,
    /// Active plans it found broken.
    pub plans_broken: u64,
    /// Active plans it found respected.
    pub plans_respected: u64,
}

/// Plans by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PlanCounts {
    /// Being followed.
    pub active: u64,
    /// Debt cleared.
    pub respected: u64,
    /// An instalment missed.
    pub broken: u64,
    /// Replaced by a newer plan.
    pub replaced: u64,
}

fn count(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<u64> {
    let n: i64 = conn.query_row(sql, params, |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Reads the figures back from the database just written.
pub(crate) fn compute(
    conn: &Connection,
    homes: u64,
    today: NaiveDate,
    debt_by_age: DebtByAge,
    detection: DemoDetection,
) -> Result<DemoReport> {
    let from = add_months(today, -12) + chrono::Duration::days(1);
    let (f, t) = (crate::store::iso(from), crate::store::iso(today));
    let kind = |k: &str| -> Result<u64> {
        count(
            conn,
            "SELECT COUNT(*) FROM events WHERE kind = ?1 AND date BETWEEN ?2 AND ?3",
            (k, &f, &t),
        )
    };
    let year = YearFigures {
        relances: kind("reminder")?,
        home_visits: kind("home_visit")?,
        plans_signed: kind("plan_signed")?,
        payment_orders: kind("payment_order")?,
        summonses: kind("summons")?,
        lease_terminations: count(
            conn,
            "SELECT COUNT(*) FROM events WHERE kind = 'judgement' AND date BETWEEN ?1 AND ?2
               AND json_extract(data, '$.outcome') = 'lease_terminated'",
            (&f, &t),
        )?,
        police_requests: kind("police_request")?,
        evictions: kind("eviction")?,
    };
    let status = |s: &str| -> Result<u64> {
        count(
            conn,
            "SELECT COUNT(*) FROM households WHERE status = ?1",
            [s],
        )
    };
    let households_present = status("present")?;
    let open = |s: &str| -> Result<u64> {
        count(
            conn,
            "SELECT COUNT(*) FROM dossiers d JOIN households h ON h.id = d.household_id
             WHERE d.closed_on IS NULL AND h.status = ?1",
            [s],
        )
    };
    let open_present = open("present")?;
    let present_in_arrears = count(
        conn,
        "SELECT COUNT(DISTINCT d.household_id) FROM dossiers d
         JOIN households h ON h.id = d.household_id
         WHERE d.closed_on IS NULL AND h.status = 'present'",
        [],
    )?;
    let debt = |s: &str| -> Result<Decimal> {
        let cents: i64 = conn.query_row(
            "SELECT COALESCE(SUM(b.cents), 0) FROM households h
             JOIN balances b ON b.household_id = h.id
             WHERE h.status = ?1 AND b.cents > 0 AND EXISTS
                (SELECT 1 FROM dossiers d WHERE d.household_id = h.id AND d.closed_on IS NULL)",
            [s],
            |r| r.get(0),
        )?;
        Ok(from_cents(cents))
    };
    let plans = |s: &str| count(conn, "SELECT COUNT(*) FROM plans WHERE status = ?1", [s]);
    let share = if households_present == 0 {
        Decimal::ZERO
    } else {
        (Decimal::from(present_in_arrears) * Decimal::ONE_HUNDRED
            / Decimal::from(households_present))
        .round_dp(1)
    };
    Ok(DemoReport {
        homes,
        households_present,
        households_departed: status("departed")?,
        open_dossiers_present: open_present,
        open_dossiers_departed: open("departed")?,
        arrears_share_percent: share,
        debt_present: debt("present")?,
        debt_departed: debt("departed")?,
        debt_by_age,
        period_from: from,
        period_to: today,
        year,
        year_per_17000_homes: year.scaled(homes, REFERENCE_HOMES),
        entries: count(conn, "SELECT COUNT(*) FROM entries", [])?,
        events: count(conn, "SELECT COUNT(*) FROM events", [])?,
        detection,
        plans: PlanCounts {
            active: plans("active")?,
            respected: plans("respected")?,
            broken: plans("broken")?,
            replaced: plans("replaced")?,
        },
    })
}
