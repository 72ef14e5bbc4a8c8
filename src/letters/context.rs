//! The fields a letter template can use, built from a household's file. Every field is always
//! present (absent ones are `none` or empty lists), so that strict templates fail only on
//! names that do not exist.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::config::LettersConfig;
use crate::domain::dates::{MONTH_NAMES, format_fr};
use crate::domain::delay::weekday_fr;
use crate::domain::household::Staff;
use crate::domain::ledger::unpaid_charges;
use crate::domain::letters::{Campaign, LetterKind, proposed_schedule};
use crate::domain::money::format_eur;
use crate::domain::portfolio::HouseholdFile;

/// The landlord, from the config's `[letters]` section.
#[derive(Debug, Clone, Serialize)]
pub struct LandlordCtx {
    /// Name.
    pub name: String,
    /// Further header lines.
    pub header: Vec<String>,
    /// Town before the date.
    pub city: String,
    /// Who signs.
    pub signatory: String,
    /// Where convocations take place.
    pub place: String,
}

impl LandlordCtx {
    /// The landlord as the config describes it, with neutral defaults.
    pub fn from_config(c: &LettersConfig) -> LandlordCtx {
        LandlordCtx {
            name: c
                .landlord
                .clone()
                .unwrap_or_else(|| "Votre bailleur".to_string()),
            header: if c.header.is_empty() {
                vec!["Service prévention et gestion des impayés".to_string()]
            } else {
                c.header.clone()
            },
            city: c.city.clone().unwrap_or_default(),
            signatory: c
                .signatory
                .clone()
                .unwrap_or_else(|| "Le service prévention et gestion des impayés".to_string()),
            place: c
                .place
                .clone()
                .unwrap_or_else(|| "à l'agence dont dépend votre logement".to_string()),
        }
    }
}

/// The tenant.
#[derive(Debug, Clone, Serialize)]
pub struct HouseholdCtx {
    /// Holder's name.
    pub holder: String,
    /// Co-holder's name.
    pub co_holder: Option<String>,
    /// Both names ("A et B").
    pub names: String,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Whether the tenant left the home.
    pub departed: bool,
}

/// Where the letter goes: the home, or the forwarding address of a departed tenant.
#[derive(Debug, Clone, Serialize)]
pub struct AddressCtx {
    /// Address lines, as printed in the window.
    pub lines: Vec<String>,
    /// The rented home's address (even for a departed tenant).
    pub home: String,
}

/// One unpaid month.
#[derive(Debug, Clone, Serialize)]
pub struct UnpaidCtx {
    /// "octobre 2026".
    pub month: String,
    /// Date called.
    pub date: String,
    /// Amount called.
    pub charged: String,
    /// What remains unpaid of it.
    pub remaining: String,
}

/// One instalment.
#[derive(Debug, Clone, Serialize)]
pub struct InstalmentCtx {
    /// Due date.
    pub due_on: String,
    /// Amount.
    pub amount: String,
}

/// The newest plan of the dossier.
#[derive(Debug, Clone, Serialize)]
pub struct PlanCtx {
    /// Signature date.
    pub signed_on: String,
    /// Debt covered.
    pub amount: String,
    /// Status in French.
    pub status: String,
    /// Instalments.
    pub instalments: Vec<InstalmentCtx>,
}

/// A convocation's appointment.
#[derive(Debug, Clone, Serialize)]
pub struct AppointmentCtx {
    /// "mercredi 2 décembre 2026".
    pub date: String,
    /// "10 h 00".
    pub time: String,
    /// Where.
    pub place: String,
}

/// The referent who follows the dossier.
#[derive(Debug, Clone, Serialize)]
pub struct ReferentCtx {
    /// Full name.
    pub name: String,
    /// Phone.
    pub phone: String,
}

/// The letter itself.
#[derive(Debug, Clone, Serialize)]
pub struct LetterCtx {
    /// Code (`relance_1`).
    pub code: String,
    /// French title.
    pub title: String,
    /// Reference printed under the object line.
    pub reference: String,
}

/// Every field a template may use.
#[derive(Debug, Clone, Serialize)]
pub struct LetterContext {
    /// The landlord's header.
    pub landlord: LandlordCtx,
    /// The tenant.
    pub household: HouseholdCtx,
    /// The address block.
    pub address: AddressCtx,
    /// Account number.
    pub account: String,
    /// Debt, formatted ("1 234,56 €").
    pub debt: String,
    /// Months of arrears ("2,4"), or "—" when not defined.
    pub months_of_arrears: String,
    /// Monthly rent and charges net of APL.
    pub monthly_due: String,
    /// Unpaid months, oldest first.
    pub unpaid_months: Vec<UnpaidCtx>,
    /// The newest plan, if any.
    pub plan: Option<PlanCtx>,
    /// The schedule a plan proposal offers (empty for other letters).
    pub schedule: Vec<InstalmentCtx>,
    /// The appointment of a convocation.
    pub appointment: Option<AppointmentCtx>,
    /// The referent.
    pub referent: ReferentCtx,
    /// Today, long form ("22 novembre 2026").
    pub today: String,
    /// The letter.
    pub letter: LetterCtx,
}

/// "1er décembre 2026", "22 novembre 2026".
pub fn long_date_fr(d: NaiveDate) -> String {
    let day = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{day} {} {}", MONTH_NAMES[d.month0() as usize], d.year())
}

fn eur(d: Decimal) -> String {
    format_eur(d)
}

/// What a letter needs beyond the household's file.
pub struct Inputs<'a> {
    /// The letter.
    pub letter: LetterKind,
    /// Today.
    pub today: NaiveDate,
    /// The landlord.
    pub landlord: &'a LandlordCtx,
    /// Staff, for the referent's name and phone.
    pub staff: &'a [Staff],
    /// The campaign (plan proposals, convocations).
    pub campaign: &'a Campaign,
    /// The appointment day of a convocation.
    pub appointment_on: NaiveDate,
    /// The letter's reference.
    pub reference: String,
}

/// Builds a letter's fields from a household's file.
pub fn build(file: &HouseholdFile, i: &Inputs<'_>) -> LetterContext {
    let h = &file.household;
    let summary = file.summary(i.today);
    let debt = summary.balance;
    let home = file.home.as_ref();
    let home_address = home.map(|hm| hm.full_address()).unwrap_or_default();
    let lines = match (&h.forwarding_address, h.status) {
        (Some(fwd), crate::domain::household::TenantStatus::Departed) => {
            let mut v = vec![h.names()];
            v.extend(
                fwd.split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            );
            v
        }
        _ => {
            let mut v = vec![h.names()];
            if let Some(hm) = home {
                v.push(hm.address.clone());
                v.push(format!("{} {}", hm.postcode, hm.commune));
            }
            v
        }
    };
    let unpaid_months = unpaid_charges(&file.entries)
        .into_iter()
        .map(|u| UnpaidCtx {
            month: format!(
                "{} {}",
                MONTH_NAMES[u.date.month0() as usize],
                u.date.year()
            ),
            date: format_fr(u.date),
            charged: eur(u.charged),
            remaining: eur(u.remaining),
        })
        .collect();
    let plan = file.plans.first().map(|p| PlanCtx {
        signed_on: format_fr(p.signed_on),
        amount: eur(p.amount),
        status: p.status.label_fr().to_string(),
        instalments: p
            .instalments
            .iter()
            .map(|x| InstalmentCtx {
                due_on: format_fr(x.due_on),
                amount: eur(x.amount),
            })
            .collect(),
    });
    let schedule = if i.letter == LetterKind::PropositionPlan {
        proposed_schedule(debt, i.today, &i.campaign.plan_proposal)
            .into_iter()
            .map(|x| InstalmentCtx {
                due_on: format_fr(x.due_on),
                amount: eur(x.amount),
            })
            .collect()
    } else {
        Vec::new()
    };
    let appointment = (i.letter == LetterKind::Convocation).then(|| AppointmentCtx {
        date: format!(
            "{} {}",
            weekday_fr(i.appointment_on),
            long_date_fr(i.appointment_on)
        ),
        time: i.campaign.convocation.time.clone(),
        place: i.landlord.place.clone(),
    });
    let dossier = file.open_dossier();
    let login = dossier.and_then(|d| {
        d.lead_referent()
            .or(d.referents.amicable.as_deref())
            .map(str::to_string)
    });
    let staff = login
        .as_deref()
        .and_then(|l| i.staff.iter().find(|s| s.login == l));
    let referent = ReferentCtx {
        name: staff
            .map(|s| s.full_name.clone())
            .unwrap_or_else(|| "Votre chargé(e) de recouvrement".to_string()),
        phone: staff.and_then(|s| s.phone.clone()).unwrap_or_default(),
    };
    LetterContext {
        landlord: i.landlord.clone(),
        household: HouseholdCtx {
            holder: h.holder.clone(),
            co_holder: h.co_holder.clone(),
            names: h.names(),
            phone: h.phone.clone(),
            email: h.email.clone(),
            departed: h.status == crate::domain::household::TenantStatus::Departed,
        },
        address: AddressCtx {
            lines,
            home: home_address,
        },
        account: h.account.clone(),
        debt: eur(debt),
        months_of_arrears: summary
            .months_of_arrears
            .map(|m| m.to_string().replace('.', ","))
            .unwrap_or_else(|| "—".to_string()),
        monthly_due: eur(summary.monthly_net),
        unpaid_months,
        plan,
        schedule,
        appointment,
        referent,
        today: long_date_fr(i.today),
        letter: LetterCtx {
            code: i.letter.code().to_string(),
            title: i.letter.label_fr().to_string(),
            reference: i.reference.clone(),
        },
    }
}

/// A complete context with every optional part filled: templates are checked against it when
/// they are loaded.
pub fn sample(letter: LetterKind) -> LetterContext {
    let item = |d: &str, a: &str| InstalmentCtx {
        due_on: d.into(),
        amount: a.into(),
    };
    LetterContext {
        landlord: LandlordCtx::from_config(&LettersConfig::default()),
        household: HouseholdCtx {
            holder: "Élodie Béranger".into(),
            co_holder: Some("Noël Béranger".into()),
            names: "Élodie Béranger et Noël Béranger".into(),
            phone: Some("06 12 34 56 78".into()),
            email: Some("elodie.beranger@example.fr".into()),
            departed: false,
        },
        address: AddressCtx {
            lines: vec![
                "Élodie Béranger et Noël Béranger".into(),
                "12 rue des Tanneurs".into(),
                "68100 Mulhouse".into(),
            ],
            home: "12 rue des Tanneurs, 68100 Mulhouse".into(),
        },
        account: "411-000001".into(),
        debt: "1 234,56 €".into(),
        months_of_arrears: "2,4".into(),
        monthly_due: "512,00 €".into(),
        unpaid_months: vec![UnpaidCtx {
            month: "octobre 2026".into(),
            date: "01/10/2026".into(),
            charged: "612,00 €".into(),
            remaining: "210,56 €".into(),
        }],
        plan: Some(PlanCtx {
            signed_on: "15/06/2026".into(),
            amount: "1 000,00 €".into(),
            status: "rompu".into(),
            instalments: vec![item("10/07/2026", "100,00 €")],
        }),
        schedule: vec![item("10/12/2026", "103,00 €")],
        appointment: Some(AppointmentCtx {
            date: "mercredi 2 décembre 2026".into(),
            time: "10 h 00".into(),
            place: "à l'agence".into(),
        }),
        referent: ReferentCtx {
            name: "Pauline Muller".into(),
            phone: "03 89 00 00 00".into(),
        },
        today: "22 novembre 2026".into(),
        letter: LetterCtx {
            code: letter.code().into(),
            title: letter.label_fr().into(),
            reference: "L-20261122-0001".into(),
        },
    }
}
