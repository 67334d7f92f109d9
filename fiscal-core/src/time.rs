//! Time: moments (milliseconds since the Unix epoch, UTC) and calendar dates in Baku.
//!
//! The engine never reads a clock: every operation is given `now` by its caller. Azerbaijan
//! keeps UTC+04:00 all year (no daylight saving since 2016), so a date in Baku is a plain civil
//! date of the moment + 4 h: SPEC.md §6.

use core::fmt;
use core::str::FromStr;

/// A moment: milliseconds since 1970-01-01T00:00:00Z. Documents are timed to the millisecond
/// so that a busy till can issue several receipts a second, each later than the last (NM-04).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// One second.
    pub const SECOND: i64 = 1_000;
    /// One hour.
    pub const HOUR: i64 = 3_600_000;
    /// One day.
    pub const DAY: i64 = 86_400_000;

    /// The moment `ms` milliseconds since the epoch.
    pub const fn from_millis(ms: i64) -> Timestamp {
        Timestamp(ms)
    }

    /// The moment at a civil date and time in Baku.
    pub fn from_baku(date: CivilDate, hour: u8, minute: u8, second: u8) -> Option<Timestamp> {
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let days = date.days_since_epoch();
        let secs =
            days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second);
        Some(Timestamp((secs - AZ_UTC_OFFSET_SECONDS) * 1000))
    }

    /// Milliseconds since the epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// The moment `ms` later (saturating).
    pub const fn plus(self, ms: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(ms))
    }

    /// The date in Baku.
    pub fn date_in_baku(self) -> CivilDate {
        CivilDate::from_unix_seconds_in_baku(self.0.div_euclid(1000)).unwrap_or(CivilDate::MIN)
    }

    /// Hours, minutes and seconds of the moment in Baku.
    pub fn time_in_baku(self) -> (u8, u8, u8) {
        let local = (self.0.div_euclid(1000) + AZ_UTC_OFFSET_SECONDS).rem_euclid(86_400);
        let part = |v: i64| u8::try_from(v).unwrap_or(0);
        (part(local / 3600), part(local / 60 % 60), part(local % 60))
    }
}

impl fmt::Display for Timestamp {
    /// Baku local time, ISO 8601: `2026-11-23T14:05:09+04:00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = self.time_in_baku();
        write!(f, "{}T{h:02}:{m:02}:{s:02}+04:00", self.date_in_baku())
    }
}

/// A date in the proleptic Gregorian calendar, years 1970–9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    year: u16,
    month: u8,
    day: u8,
}

/// Azerbaijan's offset from UTC, in seconds (UTC+04:00, no daylight saving).
pub const AZ_UTC_OFFSET_SECONDS: i64 = 4 * 3600;

impl CivilDate {
    /// 1970-01-01, the earliest date.
    pub const MIN: CivilDate = CivilDate {
        year: 1970,
        month: 1,
        day: 1,
    };

    /// The date, if it exists (`CivilDate::new(2025, 2, 29)` is `None`).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<CivilDate> {
        if year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(CivilDate { year, month, day })
    }

    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// The date in Baku at a moment given as seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds_in_baku(seconds: i64) -> Option<CivilDate> {
        let local = seconds.checked_add(AZ_UTC_OFFSET_SECONDS)?;
        Self::from_days_since_epoch(local.div_euclid(86_400))
    }

    /// Days from 1970-01-01 to this date (H. Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01 (H. Hinnant's `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Option<CivilDate> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        CivilDate::new(
            u16::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        )
    }
}

const fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

const fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for CivilDate {
    /// ISO 8601: `2026-11-23`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The text is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid date (YYYY-MM-DD, 1970-9999)")]
pub struct DateError;

impl FromStr for CivilDate {
    type Err = DateError;
    /// Parses ISO 8601 `YYYY-MM-DD`.
    fn from_str(s: &str) -> Result<CivilDate, DateError> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError);
        }
        let num = |r: core::ops::Range<usize>| -> Result<u16, DateError> {
            let part = s.get(r).ok_or(DateError)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return Err(DateError);
            }
            part.parse().map_err(|_| DateError)
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        CivilDate::new(
            y,
            u8::try_from(m).map_err(|_| DateError)?,
            u8::try_from(d).map_err(|_| DateError)?,
        )
        .ok_or(DateError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn baku_date_of_a_unix_time() {
        // 2026-11-23T20:30:00Z is 00:30 on the 24th in Baku (UTC+4): 1_795_465_800 s,
        // worked out as 20_780 days (to 2026-11-23) × 86_400 + 73_800 s.
        assert_eq!(
            CivilDate::from_unix_seconds_in_baku(20_780 * 86_400 + 73_800),
            CivilDate::new(2026, 11, 24)
        );
        assert_eq!(
            CivilDate::from_unix_seconds_in_baku(0),
            CivilDate::new(1970, 1, 1)
        );
        assert_eq!(
            CivilDate::from_days_since_epoch(19_782),
            CivilDate::new(2024, 2, 29)
        );
    }

    #[test]
    fn timestamps_in_baku() {
        // 2026-11-23 14:05:09 in Baku is 10:05:09Z: (20_780 × 86_400 + 36_309) s.
        let d = CivilDate::new(2026, 11, 23).unwrap();
        let t = Timestamp::from_baku(d, 14, 5, 9).unwrap();
        assert_eq!(t.millis(), (20_780 * 86_400 + 36_309) * 1000);
        assert_eq!(t.to_string(), "2026-11-23T14:05:09+04:00");
        assert_eq!(d.days_since_epoch(), 20_780);
        for days in [0, 59, 60, 365, 11_016, 19_782, 20_780, 2_932_896] {
            assert_eq!(
                CivilDate::from_days_since_epoch(days)
                    .unwrap()
                    .days_since_epoch(),
                days
            );
        }
    }

    #[test]
    fn parses_and_prints_iso_dates() {
        let d: CivilDate = "2024-02-29".parse().unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        for bad in [
            "2025-02-29",
            "2025-13-01",
            "2025-1-01",
            "20250101",
            "1969-12-31",
            "2025-01-0x",
        ] {
            assert!(bad.parse::<CivilDate>().is_err(), "{bad}");
        }
    }
}
