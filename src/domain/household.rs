//! Households, their homes and leases, and the staff and sectors of the service.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Whether the tenant still lives in the home: present and departed tenants are followed by
/// different people with different tools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenantStatus {
    /// Locataire présent.
    Present,
    /// Locataire parti (left owing money, or not).
    Departed,
}

impl TenantStatus {
    /// Stable code stored in the database and JSON.
    pub fn code(self) -> &'static str {
        match self {
            TenantStatus::Present => "present",
            TenantStatus::Departed => "departed",
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "present" => Some(TenantStatus::Present),
            "departed" => Some(TenantStatus::Departed),
            _ => None,
        }
    }

    /// Label shown to officers.
    pub fn label_fr(self) -> &'static str {
        match self {
            TenantStatus::Present => "présent",
            TenantStatus::Departed => "parti",
        }
    }
}

/// A household (ménage): the tenant account officers look up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Household {
    /// Database id.
    pub id: i64,
    /// Account number officers type (`411-004217`).
    pub account: String,
    /// Holder of the lease (titulaire), "Prénom Nom".
    pub holder: String,
    /// Co-holder, if any.
    pub co_holder: Option<String>,
    /// Phone number as given.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Number of people in the home.
    pub size: u32,
    /// Monthly APL/AL paid to the landlord (zero when none).
    pub housing_benefit: Decimal,
    /// Present or departed.
    pub status: TenantStatus,
    /// Date the tenant left, for departed tenants.
    pub left_on: Option<NaiveDate>,
    /// Forwarding address of a departed tenant, when known.
    pub forwarding_address: Option<String>,
}

impl Household {
    /// Holder and co-holder as one line: "Élodie Béranger et Marc Béranger".
    pub fn names(&self) -> String {
        match &self.co_holder {
            Some(co) => format!("{} et {}", self.holder, co),
            None => self.holder.clone(),
        }
    }

    /// Whether APL is paid to the landlord for this household.
    pub fn has_housing_benefit(&self) -> bool {
        self.housing_benefit > Decimal::ZERO
    }
}

/// A home (logement) of the landlord's stock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Home {
    /// Database id.
    pub id: i64,
    /// Landlord's reference for the home.
    pub reference: String,
    /// Street address with number, building and flat.
    pub address: String,
    /// Postcode.
    pub postcode: String,
    /// Commune.
    pub commune: String,
    /// Département code ("01", "68"), which decides the holiday calendar.
    pub departement: String,
    /// Code of the sector that manages it.
    pub sector: String,
}

impl Home {
    /// Full postal address on one line.
    pub fn full_address(&self) -> String {
        format!("{}, {} {}", self.address, self.postcode, self.commune)
    }

    /// Whether the home is in Alsace-Moselle (local holidays and law).
    pub fn is_alsace_moselle(&self) -> bool {
        matches!(self.departement.as_str(), "57" | "67" | "68")
    }
}

/// A lease (bail) between a household and a home.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lease {
    /// Database id.
    pub id: i64,
    /// The household holding it.
    pub household_id: i64,
    /// The home it lets.
    pub home_id: i64,
    /// Date the tenant entered.
    pub start_on: NaiveDate,
    /// Date the lease was concluded or last renewed: it decides the payment-order delay
    /// (6 weeks since 29 July 2023, 2 months before).
    pub concluded_on: NaiveDate,
    /// Monthly rent.
    pub rent: Decimal,
    /// Monthly service charges (provisions).
    pub charges: Decimal,
    /// End of the lease, when it ended.
    pub end_on: Option<NaiveDate>,
}

impl Lease {
    /// Rent plus charges, what is called every month.
    pub fn monthly_total(&self) -> Decimal {
        self.rent + self.charges
    }
}

/// A geographic sector of the service, with its own CESF and officers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sector {
    /// Short code ("BRS", "MUL").
    pub code: String,
    /// Name shown to users.
    pub name: String,
}

/// What a member of staff does, which decides the dossiers they refer and what they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Conseillère en économie sociale et familiale (prévention).
    Cesf,
    /// Chargé de recouvrement amiable (précontentieux).
    Amicable,
    /// Chargé de contentieux.
    Litigation,
    /// Responsable du service or director.
    Manager,
    /// Administrator of the tool: manages staff and retention, no dossier of their own.
    Admin,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Cesf,
        Role::Amicable,
        Role::Litigation,
        Role::Manager,
        Role::Admin,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Role::Cesf => "cesf",
            Role::Amicable => "amicable",
            Role::Litigation => "litigation",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Reads a role as an officer types it: the French names of the service (cesf, amiable,
    /// contentieux, manager or responsable, admin) or the stored codes.
    pub fn parse_fr(name: &str) -> Option<Self> {
        match crate::domain::fold::fold_key(name.trim()).as_str() {
            "cesf" => Some(Role::Cesf),
            "amiable" | "amicable" => Some(Role::Amicable),
            "contentieux" | "litigation" => Some(Role::Litigation),
            "manager" | "responsable" => Some(Role::Manager),
            "admin" | "administrateur" => Some(Role::Admin),
            _ => None,
        }
    }

    /// Reads a stored code back.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Label shown to users.
    pub fn label_fr(self) -> &'static str {
        match self {
            Role::Cesf => "CESF",
            Role::Amicable => "chargé(e) amiable",
            Role::Litigation => "chargé(e) contentieux",
            Role::Manager => "responsable",
            Role::Admin => "administrateur",
        }
    }
}

/// A member of the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Staff {
    /// Login name, recorded as the author of every write.
    pub login: String,
    /// "Prénom Nom".
    pub full_name: String,
    /// Role in the service.
    pub role: Role,
    /// Sector codes this person covers (empty: all).
    pub sectors: Vec<String>,
    /// Direct phone line, printed on letters.
    pub phone: Option<String>,
}
