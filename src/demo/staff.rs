//! The service: five sectors with fixed codes and a CESF, an amicable officer and a litigation
//! officer each, plus the manager. Logins are fixed: the README and the tests use them.

use rusqlite::Connection;

use crate::domain::household::{Role, Sector, Staff};
use crate::store::{Result, insert_sector, insert_staff};

/// One sector: code, name, département and its phone prefix.
pub struct SectorDef {
    /// Fixed code.
    pub code: &'static str,
    /// Name shown to users.
    pub name: &'static str,
    /// Département of its homes.
    pub departement: &'static str,
    /// Landline prefix ("04 74", "03 89").
    pub landline: &'static str,
    /// Share of the homes, in percent.
    pub weight: u32,
    /// Logins of its CESF, amicable and litigation officers.
    pub team: Team,
}

/// The referents of one sector.
#[derive(Debug, Clone, Copy)]
pub struct Team {
    /// CESF.
    pub cesf: &'static str,
    /// Chargé(e) de recouvrement amiable.
    pub amicable: &'static str,
    /// Chargé(e) de contentieux.
    pub litigation: &'static str,
}

/// The manager (responsable du service), all sectors.
pub const MANAGER: &str = "cmartin";

/// Login recorded on bookkeeping entries imported from the ERP (rent calls, APL, bank).
pub const ERP: &str = "erp";

/// The five sectors.
pub const SECTORS: [SectorDef; 5] = [
    SectorDef {
        code: "BOU",
        name: "Bourg-en-Bresse",
        departement: "01",
        landline: "04 74",
        weight: 26,
        team: Team {
            cesf: "ncolin",
            amicable: "tgirard",
            litigation: "dfaure",
        },
    },
    SectorDef {
        code: "OYO",
        name: "Oyonnax – Haut-Bugey",
        departement: "01",
        landline: "04 74",
        weight: 18,
        team: Team {
            cesf: "sleroy",
            amicable: "mroux",
            litigation: "vblanc",
        },
    },
    SectorDef {
        code: "AMB",
        name: "Ambérieu – Plaine de l'Ain",
        departement: "01",
        landline: "04 74",
        weight: 18,
        team: Team {
            cesf: "aperrin",
            amicable: "kbenali",
            litigation: "hmercier",
        },
    },
    SectorDef {
        code: "MUL",
        name: "Mulhouse",
        departement: "68",
        landline: "03 89",
        weight: 22,
        team: Team {
            cesf: "lmeyer",
            amicable: "pmuller",
            litigation: "ywalter",
        },
    },
    SectorDef {
        code: "COL",
        name: "Colmar – Guebwiller",
        departement: "68",
        landline: "03 89",
        weight: 16,
        team: Team {
            cesf: "jschmitt",
            amicable: "efischer",
            litigation: "rkeller",
        },
    },
];

/// Staff: login, full name, role, sector (None: all), direct line.
const STAFF: [(&str, &str, Role, Option<usize>, &str); 16] = [
    (
        "cmartin",
        "Claire Martin",
        Role::Manager,
        None,
        "04 74 45 20 00",
    ),
    (
        "ncolin",
        "Nathalie Colin",
        Role::Cesf,
        Some(0),
        "04 74 45 20 11",
    ),
    (
        "sleroy",
        "Sophie Leroy",
        Role::Cesf,
        Some(1),
        "04 74 73 41 12",
    ),
    (
        "aperrin",
        "Amandine Perrin",
        Role::Cesf,
        Some(2),
        "04 74 38 52 13",
    ),
    (
        "lmeyer",
        "Laure Meyer",
        Role::Cesf,
        Some(3),
        "03 89 46 61 14",
    ),
    (
        "jschmitt",
        "Julie Schmitt",
        Role::Cesf,
        Some(4),
        "03 89 20 71 15",
    ),
    (
        "tgirard",
        "Thomas Girard",
        Role::Amicable,
        Some(0),
        "04 74 45 20 21",
    ),
    (
        "mroux",
        "Marine Roux",
        Role::Amicable,
        Some(1),
        "04 74 73 41 22",
    ),
    (
        "kbenali",
        "Karim Benali",
        Role::Amicable,
        Some(2),
        "04 74 38 52 23",
    ),
    (
        "pmuller",
        "Pierre Muller",
        Role::Amicable,
        Some(3),
        "03 89 46 61 24",
    ),
    (
        "efischer",
        "Émilie Fischer",
        Role::Amicable,
        Some(4),
        "03 89 20 71 25",
    ),
    (
        "dfaure",
        "David Faure",
        Role::Litigation,
        Some(0),
        "04 74 45 20 31",
    ),
    (
        "vblanc",
        "Valérie Blanc",
        Role::Litigation,
        Some(1),
        "04 74 73 41 32",
    ),
    (
        "hmercier",
        "Hugo Mercier",
        Role::Litigation,
        Some(2),
        "04 74 38 52 33",
    ),
    (
        "ywalter",
        "Yann Walter",
        Role::Litigation,
        Some(3),
        "03 89 46 61 34",
    ),
    (
        "rkeller",
        "Romain Keller",
        Role::Litigation,
        Some(4),
        "03 89 20 71 35",
    ),
];

/// Writes the sectors and the staff.
pub fn insert_all(conn: &Connection) -> Result<()> {
    for s in &SECTORS {
        insert_sector(
            conn,
            &Sector {
                code: s.code.into(),
                name: s.name.into(),
            },
        )?;
    }
    for (login, name, role, sector, phone) in STAFF {
        insert_staff(
            conn,
            &Staff {
                login: login.into(),
                full_name: name.into(),
                role,
                sectors: match sector {
                    Some(i) => vec![SECTORS[i].code.to_string()],
                    None => SECTORS.iter().map(|s| s.code.to_string()).collect(),
                },
                phone: Some(phone.into()),
            },
        )?;
    }
    Ok(())
}
