//! Calendar dates: parsing `YYYY-MM-DD` strictly and knowing today's date without a clock
//! crate. The clock is read only by the CLI; everything else takes `today` as a value.

use crate::model::Date;

/// Parses a strict `YYYY-MM-DD` date that exists in the calendar.
pub fn parse(s: &str) -> Result<Date, String> {
    let bytes = s.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(format!("`{s}` is not a date in YYYY-MM-DD form"));
    }
    let year: i32 = s[0..4].parse().map_err(|_| format!("bad year in `{s}`"))?;
    let month: u32 = s[5..7].parse().map_err(|_| format!("bad month in `{s}`"))?;
    let day: u32 = s[8..10].parse().map_err(|_| format!("bad day in `{s}`"))?;
    if !(1..=12).contains(&month) {
        return Err(format!("`{s}` has month {month}; months run from 01 to 12"));
    }
    let max = days_in_month(year, month);
    if day == 0 || day > max {
        return Err(format!(
            "`{s}` does not exist: {year}-{month:02} has {max} days"
        ));
    }
    Ok(Date { year, month, day })
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in a month.
pub(crate) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// The civil date of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

/// Today's date in UTC, from the system clock; `FRAMEAUDIT_TODAY=YYYY-MM-DD` overrides it
/// (for reproducible runs and tests).
pub fn today() -> Date {
    if let Ok(s) = std::env::var("FRAMEAUDIT_TODAY")
        && let Ok(d) = parse(s.trim())
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    from_days((secs / 86_400) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_real_dates_only() {
        assert_eq!(parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(parse("2023-02-29").is_err());
        assert!(parse("2024-13-01").is_err());
        assert!(parse("2024-6-30").is_err());
        assert!(parse("30/06/2024").is_err());
        assert!(parse("2024-06-31").is_err());
    }

    #[test]
    fn converts_days_since_epoch() {
        assert_eq!(from_days(0).to_string(), "1970-01-01");
        assert_eq!(from_days(19_723).to_string(), "2024-01-01");
        assert_eq!(from_days(20_785).to_string(), "2026-11-28");
    }
}
