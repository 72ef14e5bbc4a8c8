//! Money helpers: amounts are `Decimal` in the domain and whole cents in SQLite, so that sums in
//! SQL stay exact and fast; French formatting is shared by the CLI and the workstation.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Converts a stored amount in cents to a `Decimal` with two decimal places.
pub fn from_cents(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

/// Converts an amount to whole cents (rounded half away from zero), the storage unit.
pub fn to_cents(amount: Decimal) -> i64 {
    (amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        * Decimal::ONE_HUNDRED)
        .to_i64()
        .unwrap_or(i64::MAX)
}

/// Formats an amount as a French reader expects it: `1 234,56 €` (narrow no-break spaces are
/// avoided because many SSH terminals draw them badly; a plain space groups thousands).
pub fn format_eur(amount: Decimal) -> String {
    format!("{} €", format_amount(amount))
}

/// Formats an amount without the currency sign: `-1 234,56`.
pub fn format_amount(amount: Decimal) -> String {
    let rounded = amount.round_dp(2);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let abs = rounded.abs();
    let text = format!("{abs:.2}");
    let (int_part, frac) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
    for (i, ch) in int_part.chars().enumerate() {
        if i > 0 && (int_part.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(ch);
    }
    format!("{}{grouped},{frac}", if negative { "-" } else { "" })
}

/// Parses an amount typed or imported the French or the English way: `1 234,56`, `1234.56`,
/// `-12,5 €`.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .trim_end_matches('€')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() || cleaned.matches('.').count() > 1 {
        return None;
    }
    cleaned.parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn formats_french_amounts() {
        assert_eq!(format_eur(dec!(1234.56)), "1 234,56 €");
        assert_eq!(format_eur(dec!(0)), "0,00 €");
        assert_eq!(format_eur(dec!(-45.5)), "-45,50 €");
        assert_eq!(format_eur(dec!(1234567)), "1 234 567,00 €");
        assert_eq!(format_amount(dec!(999.999)), "1 000,00");
    }

    #[test]
    fn cents_round_trip() {
        assert_eq!(to_cents(dec!(12.345)), 1235);
        assert_eq!(to_cents(dec!(-0.005)), -1);
        assert_eq!(from_cents(123456), dec!(1234.56));
    }

    #[test]
    fn parses_both_conventions() {
        assert_eq!(parse_amount("1 234,56"), Some(dec!(1234.56)));
        assert_eq!(parse_amount("1234.56"), Some(dec!(1234.56)));
        assert_eq!(parse_amount("-12,5 €"), Some(dec!(-12.5)));
        assert_eq!(parse_amount("abc"), None);
        assert_eq!(parse_amount(""), None);
        assert_eq!(parse_amount("1,2,3"), None);
    }
}
