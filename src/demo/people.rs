//! The landlord's stock and its tenants: homes grouped in buildings, households with French
//! names, phones and e-mails, and the terms of their leases.

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rust_decimal::Decimal;

use super::names::{
    COMMUNES, FIRST_MEN, FIRST_NAMES, MAIL_DOMAINS, RESIDENCES, STREETS_01, STREETS_68, SURNAMES,
};
use super::staff::SECTORS;
use crate::domain::fold::fold_key;
use crate::domain::household::{Home, Household, TenantStatus};

/// A home and what the simulation needs to know about it.
pub struct HomeSpec {
    /// The home as stored (id filled once inserted).
    pub home: Home,
    /// Index in `SECTORS`.
    pub sector: usize,
    /// Number of rooms (T1 to T5).
    pub rooms: u32,
    /// Monthly rent.
    pub rent: Decimal,
    /// Monthly charges.
    pub charges: Decimal,
    /// Month (1–12) the yearly charge regularisation of its building is called.
    pub regularisation_month: u32,
}

/// A random amount, to the cent, between `from` and `to` euros.
fn euros(rng: &mut impl Rng, from: i64, to: i64) -> Decimal {
    Decimal::new(rng.random_range(from * 100..=to * 100), 2)
}

/// Picks a sector according to the weights of `SECTORS`.
fn pick_sector(rng: &mut impl Rng) -> usize {
    let total: u32 = SECTORS.iter().map(|s| s.weight).sum();
    let mut x = rng.random_range(0..total);
    for (i, s) in SECTORS.iter().enumerate() {
        if x < s.weight {
            return i;
        }
        x -= s.weight;
    }
    0
}

/// Generates `n` homes in buildings of 6 to 48 flats, and some individual houses.
pub fn homes(rng: &mut impl Rng, n: usize) -> Vec<HomeSpec> {
    let mut out = Vec::with_capacity(n);
    let mut building = 0u32;
    while out.len() < n {
        building += 1;
        let sector = pick_sector(rng);
        let def = &SECTORS[sector];
        let communes = COMMUNES
            .iter()
            .find(|(code, _)| *code == def.code)
            .map(|(_, c)| *c)
            .unwrap_or(COMMUNES[0].1);
        let &(commune, postcode) = communes
            .choose(rng)
            .unwrap_or(&("Bourg-en-Bresse", "01000"));
        let streets = if def.departement == "68" {
            STREETS_68
        } else {
            STREETS_01
        };
        let street = streets.choose(rng).copied().unwrap_or("rue des Lilas");
        let number = rng.random_range(1..=120u32);
        let house = rng.random_bool(0.12);
        let flats = if house {
            1
        } else {
            rng.random_range(6..=48usize)
        };
        let staircases = if flats > 20 {
            rng.random_range(2..=4u8)
        } else {
            1
        };
        let residence = RESIDENCES.choose(rng).copied().unwrap_or("Le Parc");
        let regularisation_month = rng.random_range(4..=7u32);
        for flat in 0..flats {
            if out.len() == n {
                break;
            }
            let rooms = match rng.random_range(0..100u32) {
                0..10 => 1,
                10..35 => 2,
                35..70 => 3,
                70..92 => 4,
                _ => 5,
            } + u32::from(house && rng.random_bool(0.5)).min(1);
            let rooms = rooms.min(5);
            let (rent_lo, rent_hi) = match rooms {
                1 => (250, 350),
                2 => (310, 450),
                3 => (390, 560),
                4 => (470, 660),
                _ => (550, 750),
            };
            let rent = euros(rng, rent_lo, rent_hi);
            let extra = i64::from(rooms - 1);
            let charges = euros(rng, 40 + 18 * extra, 100 + 20 * extra);
            let address = if house {
                format!("{number} {street}")
            } else {
                let stair = (b'A' + (flat as u8 % staircases)) as char;
                let apt = flat + 1;
                if staircases > 1 {
                    format!("{number} {street}, Bât. {stair}, apt {apt}")
                } else {
                    format!("{number} {street}, Rés. {residence}, apt {apt}")
                }
            };
            out.push(HomeSpec {
                home: Home {
                    id: 0,
                    reference: format!("{}-{building:04}-{:03}", def.code, flat + 1),
                    address,
                    postcode: postcode.into(),
                    commune: commune.into(),
                    departement: def.departement.into(),
                    sector: def.code.into(),
                },
                sector,
                rooms,
                rent,
                charges,
                regularisation_month,
            });
        }
    }
    out
}

fn first_name(rng: &mut impl Rng, man: bool) -> &'static str {
    let (lo, hi) = if man {
        (FIRST_MEN, FIRST_NAMES.len())
    } else {
        (0, FIRST_MEN)
    };
    FIRST_NAMES[rng.random_range(lo..hi)]
}

fn mobile(rng: &mut impl Rng) -> String {
    let prefix = if rng.random_bool(0.7) { "06" } else { "07" };
    format!(
        "{prefix} {:02} {:02} {:02} {:02}",
        rng.random_range(0..100u32),
        rng.random_range(0..100u32),
        rng.random_range(0..100u32),
        rng.random_range(0..100u32)
    )
}

/// A new household for a home: names, phone, e-mail, size and APL. `first` forces the
/// holder "Élodie Béranger" (household 1 of every demo database).
pub fn household(rng: &mut impl Rng, spec: &HomeSpec, account: String, first: bool) -> Household {
    let man = !first && rng.random_bool(0.42);
    let holder_first = if first {
        "Élodie"
    } else {
        first_name(rng, man)
    };
    let surname = if first {
        "Béranger"
    } else {
        SURNAMES.choose(rng).copied().unwrap_or("Martin")
    };
    let couple = rng.random_bool(if spec.rooms >= 3 { 0.45 } else { 0.2 });
    let co_holder = couple.then(|| {
        let co_surname = if rng.random_bool(0.65) {
            surname
        } else {
            SURNAMES.choose(rng).copied().unwrap_or("Martin")
        };
        format!("{} {co_surname}", first_name(rng, !man))
    });
    let adults = 1 + u32::from(couple);
    let children = match spec.rooms {
        1 => 0,
        2 => rng.random_range(0..=1u32),
        3 => rng.random_range(0..=2u32),
        4 => rng.random_range(1..=3u32),
        _ => rng.random_range(2..=5u32),
    };
    let size = adults + children;
    let phone = match rng.random_range(0..100u32) {
        0..78 => Some(mobile(rng)),
        78..94 => Some(format!(
            "{} {:02} {:02} {:02}",
            SECTORS[spec.sector].landline,
            rng.random_range(10..100u32),
            rng.random_range(0..100u32),
            rng.random_range(0..100u32)
        )),
        _ => None,
    };
    let email = rng.random_bool(0.6).then(|| {
        let local = fold_key(&format!("{holder_first}.{surname}"))
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .collect::<String>();
        let number = if rng.random_bool(0.4) {
            format!("{}", rng.random_range(1..100u32))
        } else {
            String::new()
        };
        let domain = MAIL_DOMAINS.choose(rng).copied().unwrap_or("orange.fr");
        format!("{local}{number}@{domain}")
    });
    let total = spec.rent + spec.charges;
    let apl_chance = 0.32 + 0.06 * f64::from(children) + if couple { 0.0 } else { 0.1 };
    let housing_benefit = if rng.random_bool(apl_chance.min(0.9)) {
        let base = euros(rng, 80, 300) + Decimal::from(30 * children);
        base.min(Decimal::from(450)).min(total - Decimal::from(15))
    } else {
        Decimal::ZERO
    };
    Household {
        id: 0,
        account,
        holder: format!("{holder_first} {surname}"),
        co_holder,
        phone,
        email,
        size,
        housing_benefit,
        status: TenantStatus::Present,
        left_on: None,
        forwarding_address: None,
    }
}

/// The start of an initial tenant's lease: from 1995 to just before the simulation, recent
/// years more likely (tenure of about ten years on average).
pub fn initial_lease_start(rng: &mut impl Rng, before: NaiveDate) -> NaiveDate {
    let last_year = before.year();
    loop {
        let years_back = (-(1.0 - rng.random::<f64>()).ln() * 9.0) as i32;
        let year = last_year - years_back;
        if year < 1995 {
            continue;
        }
        let month = rng.random_range(1..=12u32);
        let Some(d) = NaiveDate::from_ymd_opt(year, month, 1) else {
            continue;
        };
        if d < before {
            return d;
        }
    }
}

/// A forwarding address for a departed tenant, when one is known.
pub fn forwarding_address(rng: &mut impl Rng) -> Option<String> {
    if !rng.random_bool(0.5) {
        return None;
    }
    const ELSEWHERE: &[(&str, &str)] = &[
        ("Lyon", "69003"),
        ("Villeurbanne", "69100"),
        ("Mâcon", "71000"),
        ("Strasbourg", "67000"),
        ("Besançon", "25000"),
        ("Belfort", "90000"),
        ("Annecy", "74000"),
        ("Chambéry", "73000"),
        ("Dijon", "21000"),
        ("Grenoble", "38000"),
    ];
    let streets = if rng.random_bool(0.5) {
        STREETS_01
    } else {
        STREETS_68
    };
    let street = streets.choose(rng).copied().unwrap_or("rue des Lilas");
    let &(city, postcode) = ELSEWHERE.choose(rng).unwrap_or(&("Lyon", "69003"));
    Some(format!(
        "{} {street}, {postcode} {city}",
        rng.random_range(1..=80u32)
    ))
}
