//! Small formatting helpers shared by the panes.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::dates::format_fr;

/// `22/11/2026`.
pub fn short_date(d: NaiveDate) -> String {
    format_fr(d)
}

/// Months of arrears as `3,2` (or `—` when undefined).
pub fn months_text(m: Option<Decimal>) -> String {
    m.map(|m| format!("{:.1}", m).replace('.', ","))
        .unwrap_or_else(|| "—".into())
}
