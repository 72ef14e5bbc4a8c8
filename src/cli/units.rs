//! Sizes and durations as the commands print them to French readers: a decimal comma.

use std::time::Duration;

/// Megabytes with one decimal: `1681,5`.
pub fn mo(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1e6).replace('.', ",")
}

/// Seconds with one decimal: `0,7`.
pub fn secs(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64()).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_durations_take_a_decimal_comma() {
        assert_eq!(mo(1_681_539_072), "1681,5");
        assert_eq!(secs(Duration::from_millis(650)), "0,7");
    }
}
