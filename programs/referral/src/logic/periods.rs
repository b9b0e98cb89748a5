//! Ranking periods: the index of the period a unix time falls in, and each period's bounds.
//!
//! Calendar months use the civil-calendar algorithms of H. Hinnant ("days_from_civil"/"civil_from_days",
//! proleptic Gregorian, exact for every i64 day count we can meet): month index
//! `(year - 1970) * 12 + (month - 1)`, so January 1970 is period 0. Fixed-length periods count from their
//! origin; times before the origin (or before 1970) fall in period 0.
use crate::constants::SHORTEST_MONTH_SECONDS;
use crate::state::PeriodKind;

const SECONDS_PER_DAY: i64 = 86_400;

/// (year, month 1..=12, day 1..=31) of the day `days` after 1970-01-01. Saturating operations keep the
/// arithmetic checked; for any day a unix timestamp can name (|days| < 1.1e14) none saturates.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = doe.saturating_sub(doe / 1_460).saturating_add(doe / 36_524).saturating_sub(doe / 146_096) / 365; // [0, 399]
    let doy = doe.saturating_sub(yoe.saturating_mul(365).saturating_add(yoe / 4).saturating_sub(yoe / 100)); // [0, 365]
    let mp = doy.saturating_mul(5).saturating_add(2) / 153; // [0, 11]
    let day = doy.saturating_sub(mp.saturating_mul(153).saturating_add(2) / 5).saturating_add(1); // [1, 31]
    let month = if mp < 10 { mp.saturating_add(3) } else { mp.saturating_sub(9) }; // [1, 12]
    let year = yoe.saturating_add(era.saturating_mul(400)).saturating_add(i64::from(month <= 2));
    (year, u32::try_from(month).unwrap_or(1), u32::try_from(day).unwrap_or(1))
}

/// Days from 1970-01-01 to (year, month, day).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year.saturating_sub(i64::from(month <= 2));
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let m = i64::from(month);
    let mp = if m > 2 { m.saturating_sub(3) } else { m.saturating_add(9) }; // [0, 11]
    let doy = (mp.saturating_mul(153).saturating_add(2) / 5).saturating_add(i64::from(day)).saturating_sub(1); // [0, 365]
    let doe = yoe.saturating_mul(365).saturating_add(yoe / 4).saturating_sub(yoe / 100).saturating_add(doy); // [0, 146096]
    era.saturating_mul(146_097).saturating_add(doe).saturating_sub(719_468)
}

/// The period `now` (unix seconds) falls in.
pub fn period_index(kind: &PeriodKind, now: i64) -> u32 {
    match *kind {
        PeriodKind::CalendarMonth => {
            if now < 0 {
                return 0;
            }
            let (year, month, _) = civil_from_days(now.div_euclid(SECONDS_PER_DAY));
            let index = year.saturating_sub(1970).saturating_mul(12).saturating_add(i64::from(month)).saturating_sub(1);
            u32::try_from(index.max(0)).unwrap_or(u32::MAX)
        }
        PeriodKind::Fixed { seconds, origin } => {
            if now < origin || seconds == 0 {
                return 0;
            }
            let index = now.saturating_sub(origin).checked_div(i64::from(seconds)).unwrap_or(0);
            u32::try_from(index).unwrap_or(u32::MAX)
        }
    }
}

/// Start (inclusive) and end (exclusive) unix times of period `index`.
pub fn period_bounds(kind: &PeriodKind, index: u32) -> (i64, i64) {
    match *kind {
        PeriodKind::CalendarMonth => {
            let start_of = |i: i64| {
                let year = i.div_euclid(12).saturating_add(1970);
                let month = u32::try_from(i.rem_euclid(12).saturating_add(1)).unwrap_or(1);
                days_from_civil(year, month, 1).saturating_mul(SECONDS_PER_DAY)
            };
            let i = i64::from(index);
            (start_of(i), start_of(i.saturating_add(1)))
        }
        PeriodKind::Fixed { seconds, origin } => {
            let len = i64::from(seconds);
            let start = origin.saturating_add(i64::from(index).saturating_mul(len));
            (start, start.saturating_add(len))
        }
    }
}

/// The timeline of one period's rewards: points are earned in `[start, end)`; ranked members'
/// final figures are registered in `[end, registration_end)`, while pools can still be funded; rewards are
/// claimed from `registration_end`; from `claim_end` what is left in a pool goes back to its funder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodTimes {
    /// First second of the period.
    pub start: i64,
    /// First second after the period.
    pub end: i64,
    /// First second after the registration window.
    pub registration_end: i64,
    /// First second after the claim window.
    pub claim_end: i64,
}

/// The timeline of period `index`: the registration window follows the period, the claim window follows
/// the registration window and lasts `claim_window` seconds, or, when 0, as long as the period itself.
pub fn period_times(kind: &PeriodKind, index: u32, registration_window: u32, claim_window: u32) -> PeriodTimes {
    let (start, end) = period_bounds(kind, index);
    let registration_end = end.saturating_add(i64::from(registration_window));
    let claim = if claim_window == 0 { end.saturating_sub(start) } else { i64::from(claim_window) };
    PeriodTimes { start, end, registration_end, claim_end: registration_end.saturating_add(claim) }
}

/// The shortest period `kind` can produce: 28 days for calendar months, else the fixed length. A
/// registration window no longer than this closes before the period after next starts, so a member's
/// kept "previous period" figures (one period deep) are still those of the period being registered
/// (docs/DECISIONS.md D-27).
pub fn shortest_period_seconds(kind: &PeriodKind) -> u32 {
    match *kind {
        PeriodKind::CalendarMonth => SHORTEST_MONTH_SECONDS,
        PeriodKind::Fixed { seconds, .. } => seconds,
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::expect_used)] // test code on known values, not an input path
mod tests {
    use super::*;

    fn ts(y: i64, m: u32, d: u32, secs: i64) -> i64 {
        days_from_civil(y, m, d) * SECONDS_PER_DAY + secs
    }

    // the calendar algorithm against known dates, both directions.
    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 1, 1), 20_454); // 56 years of 365 days + 14 leap days
        assert_eq!(days_from_civil(2026, 11, 23), 20_780);
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for d in (-800_000..800_000).step_by(997) {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), d);
        }
    }

    // month boundaries at 00:00 UTC on the 1st, leap years, 28/29/30/31-day months, year ends.
    #[test]
    fn calendar_month_periods() {
        let k = PeriodKind::CalendarMonth;
        assert_eq!(period_index(&k, 0), 0);
        assert_eq!(period_index(&k, ts(1970, 1, 31, 86_399)), 0);
        assert_eq!(period_index(&k, ts(1970, 2, 1, 0)), 1);
        // 2024 is a leap year: Feb 29 exists and is still February.
        assert_eq!(period_index(&k, ts(2024, 2, 29, 86_399)), (2024 - 1970) * 12 + 1);
        assert_eq!(period_index(&k, ts(2024, 3, 1, 0)), (2024 - 1970) * 12 + 2);
        // 2100 is not a leap year (century), 2000 is (400-year rule).
        assert_eq!(civil_from_days(days_from_civil(2100, 2, 28) + 1), (2100, 3, 1));
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 28) + 1), (2000, 2, 29));
        // Year end.
        assert_eq!(period_index(&k, ts(2026, 12, 31, 86_399)), (2026 - 1970) * 12 + 11);
        assert_eq!(period_index(&k, ts(2027, 1, 1, 0)), (2027 - 1970) * 12);
        // Month lengths from the bounds: 31, 28, 29, 30.
        let len = |y: i64, m: u32| {
            let (s, e) = period_bounds(&k, period_index(&k, ts(y, m, 1, 0)));
            (e - s) / SECONDS_PER_DAY
        };
        assert_eq!(len(2026, 1), 31);
        assert_eq!(len(2026, 2), 28);
        assert_eq!(len(2024, 2), 29);
        assert_eq!(len(2026, 4), 30);
        assert_eq!(len(2026, 12), 31);
        // Bounds contain their index.
        for i in [0u32, 1, 11, 12, 100, 683, 684, 5_000] {
            let (s, e) = period_bounds(&k, i);
            assert_eq!(period_index(&k, s), i);
            assert_eq!(period_index(&k, e - 1), i);
            assert_eq!(period_index(&k, e), i + 1);
        }
        assert_eq!(period_index(&k, -5), 0);
    }

    // fixed-length periods.
    #[test]
    fn fixed_periods() {
        let k = PeriodKind::Fixed { seconds: 604_800, origin: 1_000 };
        assert_eq!(period_index(&k, 0), 0);
        assert_eq!(period_index(&k, 1_000), 0);
        assert_eq!(period_index(&k, 1_000 + 604_799), 0);
        assert_eq!(period_index(&k, 1_000 + 604_800), 1);
        assert_eq!(period_bounds(&k, 2), (1_000 + 2 * 604_800, 1_000 + 3 * 604_800));
        assert_eq!(period_index(&k, i64::MAX), u32::MAX);
    }

    fn chrono_ts(d: chrono::NaiveDate) -> i64 {
        d.and_hms_opt(0, 0, 0).expect("midnight").and_utc().timestamp()
    }

    fn first_of_next_month(d: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::Datelike;
        let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
        chrono::NaiveDate::from_ymd_opt(y, m, 1).expect("valid date")
    }

    // every day from 1970-01-01 to 2400-12-31 against chrono, an independent calendar used only in
    // tests: the period of the day's first and last second, the day's civil date, and the bounds of its
    // month (start = 00:00 UTC on the 1st, end = the next month's start).
    #[test]
    fn every_day_1970_to_2400_against_chrono() {
        use chrono::Datelike;
        let k = PeriodKind::CalendarMonth;
        let mut day = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
        let last = chrono::NaiveDate::from_ymd_opt(2400, 12, 31).expect("valid date");
        let mut days = 0u32;
        while day <= last {
            let t = chrono_ts(day);
            let expected = (i64::from(day.year()) - 1970) * 12 + i64::from(day.month0());
            assert_eq!(i64::from(period_index(&k, t)), expected, "{day}");
            assert_eq!(i64::from(period_index(&k, t + SECONDS_PER_DAY - 1)), expected, "{day} 23:59:59");
            assert_eq!(civil_from_days(t / SECONDS_PER_DAY), (i64::from(day.year()), day.month(), day.day()));
            let (start, end) = period_bounds(&k, period_index(&k, t));
            assert_eq!(start, chrono_ts(day.with_day(1).expect("day 1")), "{day}");
            assert_eq!(end, chrono_ts(first_of_next_month(day)), "{day}");
            day = day.succ_opt().expect("next day");
            days += 1;
        }
        assert_eq!(days, 157_420); // 431 years of 365 days + 105 leap days
    }

    // the boundary seconds (start - 1, start) of every leap day, every March 1st after a leap day,
    // and every year end from 1970 to 2400, against chrono.
    #[test]
    fn leap_days_and_year_ends_boundary_seconds() {
        let k = PeriodKind::CalendarMonth;
        let mut leap_days = 0;
        for year in 1970..=2400 {
            if let Some(leap) = chrono::NaiveDate::from_ymd_opt(year, 2, 29) {
                leap_days += 1;
                let feb = (i64::from(year) - 1970) * 12 + 1;
                let s = chrono_ts(leap);
                assert_eq!(i64::from(period_index(&k, s - 1)), feb, "{year}-02-28 23:59:59");
                assert_eq!(i64::from(period_index(&k, s)), feb, "{year}-02-29 00:00:00");
                let march = chrono_ts(first_of_next_month(leap));
                assert_eq!(i64::from(period_index(&k, march - 1)), feb, "{year}-02-29 23:59:59");
                assert_eq!(i64::from(period_index(&k, march)), feb + 1, "{year}-03-01");
                assert_eq!(
                    period_bounds(&k, u32::try_from(feb).expect("index")).1
                        - period_bounds(&k, u32::try_from(feb).expect("index")).0,
                    29 * SECONDS_PER_DAY
                );
            }
            let new_year = chrono_ts(chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1).expect("valid date"));
            let dec = (i64::from(year) - 1970) * 12 + 11;
            assert_eq!(i64::from(period_index(&k, new_year - 1)), dec, "{year}-12-31 23:59:59");
            assert_eq!(i64::from(period_index(&k, new_year)), dec + 1, "{}-01-01", year + 1);
        }
        assert_eq!(leap_days, 105); // 1972..=2400 every 4 years (108), less 2100, 2200, 2300
    }

    // a period's timeline: registration after the end, claims after registration, the
    // default claim window as long as the period itself; fixed periods' boundary seconds.
    #[test]
    fn period_timeline() {
        let month = PeriodKind::CalendarMonth;
        // February 2028 (leap): 29 days; 7-day registration; default claim window = 29 days.
        let feb = u32::try_from((2028 - 1970) * 12 + 1).expect("index");
        let t = period_times(&month, feb, 7 * 86_400, 0);
        assert_eq!(t.start, ts(2028, 2, 1, 0));
        assert_eq!(t.end, ts(2028, 3, 1, 0));
        assert_eq!(t.registration_end, ts(2028, 3, 8, 0));
        assert_eq!(t.claim_end, ts(2028, 4, 6, 0));
        let t = period_times(&month, feb, 3_600, 86_400);
        assert_eq!((t.registration_end, t.claim_end), (ts(2028, 3, 1, 3_600), ts(2028, 3, 2, 3_600)));
        let fixed = PeriodKind::Fixed { seconds: 3_600, origin: 1_000 };
        let t = period_times(&fixed, 5, 600, 0);
        assert_eq!(t, PeriodTimes { start: 19_000, end: 22_600, registration_end: 23_200, claim_end: 26_800 });
        assert_eq!(period_index(&fixed, t.start - 1), 4);
        assert_eq!(period_index(&fixed, t.start), 5);
        assert_eq!(period_index(&fixed, t.end - 1), 5);
        assert_eq!(period_index(&fixed, t.end), 6);
        assert_eq!(shortest_period_seconds(&month), 28 * 86_400);
        assert_eq!(shortest_period_seconds(&fixed), 3_600);
    }
}
