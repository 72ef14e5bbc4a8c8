//! A tenant's departure, as one change: the household, its lease, its account and its dossier.

use chrono::NaiveDate;
use rusqlite::Connection;
use rust_decimal::Decimal;

use super::write::{Stamp, change_phase, current_lease_end, insert_entry, iso};
use super::{Result, StoreError};
use crate::domain::dossier::{Dossier, Phase};
use crate::domain::household::TenantStatus;
use crate::domain::ledger::{Entry, EntryKind};

/// Label of the account entry that applies the deposit, as officers read it in the ledger.
pub const DEPOSIT_LABEL: &str = "Dépôt de garantie imputé sur la dette au départ";

/// Records a move-out: the household becomes departed (with its forwarding address), its
/// lease ends, a dépôt de garantie kept against the debt is credited to the account, and the
/// dossier becomes "locataire parti" with the rest of the debt. The caller records the
/// `move_out` event itself, in the same transaction.
pub fn record_move_out(
    conn: &Connection,
    dossier: &mut Dossier,
    on: NaiveDate,
    forwarding_address: Option<&str>,
    deposit: Option<Decimal>,
    stamp: &Stamp,
) -> Result<()> {
    if deposit.is_some_and(|d| d <= Decimal::ZERO) {
        return Err(StoreError::Refused(
            "le dépôt de garantie imputé doit être un montant positif".into(),
        ));
    }
    let mut household = super::household(conn, dossier.household_id)?;
    household.status = TenantStatus::Departed;
    household.left_on = Some(on);
    household.forwarding_address = forwarding_address.map(str::to_string);
    super::update_household_status(conn, &household, stamp)?;
    current_lease_end(conn, household.id, on)?;
    if let Some(amount) = deposit {
        let entry = Entry {
            id: 0,
            date: on,
            kind: EntryKind::CreditNote,
            amount: -amount,
            label: DEPOSIT_LABEL.into(),
            // One deposit per departure: recording the same move-out twice credits it once.
            reference: Some(format!("depot-garantie-{}", iso(on))),
        };
        insert_entry(conn, household.id, &entry, stamp)?;
    }
    change_phase(conn, dossier, Phase::Departed, on, stamp)
}
