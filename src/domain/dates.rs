//! Dates as French users read and type them (`22/11/2026`), and month arithmetic used by the
//! ledger rules. The clock is never read here: callers pass `today`.

use chrono::{Datelike, Months, NaiveDate};

/// Formats a date the French way, `22/11/2026`. Written out by hand: chrono's `format`
/// re-reads its pattern on every call, and the agenda and the legal dates format hundreds of
/// thousands of dates in their explanations.
pub fn format_fr(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// Formats a date as stored, `2026-11-22` (the same hand-written reason as `format_fr`).
pub fn format_iso(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Reads a stored ISO date, `2026-11-22`, exactly ten characters: a hand-written reader,
/// since chrono's `parse_from_str` interprets its pattern for every one of the millions of
/// entry dates a portfolio or an agenda reads.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    parse_iso_bytes(text.as_bytes())
}

/// `parse_iso` on the bytes SQLite hands over: the detection reads millions of entry dates and
/// need not check that ten ASCII digits and dashes are UTF-8.
pub fn parse_iso_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |s: &[u8]| -> Option<u32> {
        s.iter().try_fold(0u32, |a, d| {
            d.is_ascii_digit().then(|| a * 10 + u32::from(d - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(
        i32::try_from(digits(&b[0..4])?).ok()?,
        digits(&b[5..7])?,
        digits(&b[8..10])?,
    )
}

/// Formats an optional date, with a dash when absent (tables and headers).
pub fn format_fr_opt(date: Option<NaiveDate>) -> String {
    date.map(format_fr).unwrap_or_else(|| "—".to_string())
}

/// Parses a date typed by a user or found in a file: ISO `2026-11-22` or French `22/11/2026`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .ok()
}

/// Adds calendar months, keeping the day number or falling back to the month's last day
/// (the rule of article 641 of the Code de procédure civile for delays in months).
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    let shifted = if months >= 0 {
        date.checked_add_months(Months::new(months.unsigned_abs()))
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs()))
    };
    shifted.unwrap_or(date)
}

/// First day of the month holding `date`.
pub fn month_start(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// French month names, for labels such as "Loyer et charges novembre 2026".
pub const MONTH_NAMES: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// Short French month label, `nov. 2026`, for account tables and charts.
pub fn month_label(date: NaiveDate) -> String {
    const NAMES: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
        "déc.",
    ];
    format!("{} {}", NAMES[date.month0() as usize], date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    proptest::proptest! {
        /// The hand-written formats and reader agree with chrono's patterns.
        #[test]
        fn hand_written_formats_match_chrono(days in 0i64..3_000_000) {
            let date = d(1, 1, 1) + chrono::Duration::days(days);
            proptest::prop_assert_eq!(format_fr(date), date.format("%d/%m/%Y").to_string());
            let iso = date.format("%Y-%m-%d").to_string();
            proptest::prop_assert_eq!(format_iso(date), iso.clone());
            proptest::prop_assert_eq!(parse_iso(&iso), Some(date));
        }
    }

    #[test]
    fn the_iso_reader_refuses_what_is_not_a_stored_date() {
        for bad in [
            "2026-02-30",
            "2026-1-05",
            "2026/01/05",
            "2026-01-5 ",
            "x026-01-05",
            "",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
        assert_eq!(parse_iso("0999-12-31"), Some(d(999, 12, 31)));
    }

    #[test]
    fn parses_iso_and_french() {
        assert_eq!(parse_date("2026-11-22"), Some(d(2026, 11, 22)));
        assert_eq!(parse_date("22/11/2026"), Some(d(2026, 11, 22)));
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("demain"), None);
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(add_months(d(2026, 1, 31), 1), d(2026, 2, 28));
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2026, 3, 31), -1), d(2026, 2, 28));
        assert_eq!(add_months(d(2026, 5, 15), 12), d(2027, 5, 15));
    }

    #[test]
    fn formats_french() {
        assert_eq!(format_fr(d(2026, 11, 2)), "02/11/2026");
        assert_eq!(month_label(d(2026, 8, 2)), "août 2026");
    }
}
