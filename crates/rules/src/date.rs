//! Calendar dates as days since 1970-01-01.
//!
//! The civil conversions follow Howard Hinnant's `days_from_civil` and
//! `civil_from_days`. Every step uses wrapping 32-bit arithmetic and division
//! that truncates toward zero, because the emitted WebAssembly does exactly
//! that: the two engines then agree on every `i32`, not only on sensible dates.

use std::fmt;

/// A calendar date, stored as the number of days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

impl Date {
    /// The first date an answer may be: 0001-01-01.
    pub const FIRST_ANSWER: Date = Date(-719_162);
    /// The last date an answer may be: 9999-12-31.
    pub const LAST_ANSWER: Date = Date(2_932_896);

    /// The date `days` days after 1970-01-01 (before it when negative).
    pub const fn from_days(days: i32) -> Date {
        Date(days)
    }

    /// Days since 1970-01-01: the date's encoding in the WebAssembly module.
    pub const fn days(self) -> i32 {
        self.0
    }

    /// The date for a year, month (1–12) and day of month, if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month as i32) as u32 {
            return None;
        }
        // Keeps the wrapping arithmetic below far from its limits.
        if !(-1_000_000..=1_000_000).contains(&year) {
            return None;
        }
        Some(Date(days_from_civil(year, month as i32, day as i32)))
    }

    /// Year, month (1–12) and day of month.
    pub fn ymd(self) -> (i32, u32, u32) {
        let (year, month, day) = civil_from_days(self.0);
        (year, month as u32, day as u32)
    }

    /// Parses `YYYY-MM-DD` (a four-digit year, two-digit month and day).
    pub fn parse(text: &str) -> Option<Date> {
        let (year, month, day) = written_parts(text)?;
        Date::from_ymd(year, month, day)
    }

    /// Why `text`, written as a date (`YYYY-MM-DD`), is not one: `None` when it is a day or
    /// is not written as a date at all.
    pub fn why_not_a_day(text: &str) -> Option<String> {
        let (year, month, day) = written_parts(text)?;
        if Date::from_ymd(year, month, day).is_some() {
            return None;
        }
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        // The year as written (`0999`, not `999`).
        let written_year = &text[0..4];
        Some(match MONTHS.get((month as usize).wrapping_sub(1)) {
            None => format!("there is no month {month}"),
            Some(_) if day == 0 => "there is no day 0".to_string(),
            Some(name) => format!(
                "{name} {written_year} has {} days",
                days_in_month(year, month as i32)
            ),
        })
    }

    /// This date moved by `days` days.
    pub fn add_days(self, days: i32) -> Date {
        Date(self.0.wrapping_add(days))
    }

    /// This date moved by `months` calendar months; a day past the end of the
    /// target month becomes its last day (January 31 + 1 month = February 28 or 29).
    pub fn add_months(self, months: i32) -> Date {
        Date(add_months(self.0, months))
    }

    /// This date moved by `years` calendar years; February 29 becomes February 28
    /// in a common year.
    pub fn add_years(self, years: i32) -> Date {
        Date(add_months(self.0, years.wrapping_mul(12)))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.ymd();
        if (0..=9999).contains(&year) {
            write!(formatter, "{year:04}-{month:02}-{day:02}")
        } else {
            write!(formatter, "{year:+}-{month:02}-{day:02}")
        }
    }
}

pub(crate) fn is_leap_year(year: i32) -> bool {
    year.wrapping_rem(4) == 0 && (year.wrapping_rem(100) != 0 || year.wrapping_rem(400) == 0)
}

/// The year, month and day of text written `YYYY-MM-DD` (digits), whether or not they make a
/// day; `None` for text written otherwise.
fn written_parts(text: &str) -> Option<(i32, u32, u32)> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(index, byte)| index == 4 || index == 7 || byte.is_ascii_digit());
    if !shaped {
        return None;
    }
    Some((
        text[0..4].parse().ok()?,
        text[5..7].parse().ok()?,
        text[8..10].parse().ok()?,
    ))
}

pub(crate) fn days_in_month(year: i32, month: i32) -> i32 {
    if month == 2 {
        28 + is_leap_year(year) as i32
    } else {
        // 31 for January, March, May, July, August, October and December.
        30 + (month.wrapping_add(month.wrapping_div(8)) & 1)
    }
}

fn floor_div(numerator: i32, denominator: i32, denominator_minus_one: i32) -> i32 {
    let adjusted = if numerator >= 0 {
        numerator
    } else {
        numerator.wrapping_sub(denominator_minus_one)
    };
    adjusted.wrapping_div(denominator)
}

pub(crate) fn civil_from_days(days: i32) -> (i32, i32, i32) {
    let shifted = days.wrapping_add(719_468);
    let era = floor_div(shifted, 146_097, 146_096);
    let day_of_era = shifted.wrapping_sub(era.wrapping_mul(146_097));
    let year_of_era = day_of_era
        .wrapping_sub(day_of_era.wrapping_div(1460))
        .wrapping_add(day_of_era.wrapping_div(36_524))
        .wrapping_sub(day_of_era.wrapping_div(146_096))
        .wrapping_div(365);
    let year = year_of_era.wrapping_add(era.wrapping_mul(400));
    let day_of_year = day_of_era.wrapping_sub(
        year_of_era
            .wrapping_mul(365)
            .wrapping_add(year_of_era.wrapping_div(4))
            .wrapping_sub(year_of_era.wrapping_div(100)),
    );
    let shifted_month = day_of_year
        .wrapping_mul(5)
        .wrapping_add(2)
        .wrapping_div(153);
    let day = day_of_year
        .wrapping_sub(
            shifted_month
                .wrapping_mul(153)
                .wrapping_add(2)
                .wrapping_div(5),
        )
        .wrapping_add(1);
    let month = if shifted_month < 10 {
        shifted_month.wrapping_add(3)
    } else {
        shifted_month.wrapping_sub(9)
    };
    (year.wrapping_add((month <= 2) as i32), month, day)
}

pub(crate) fn days_from_civil(year: i32, month: i32, day: i32) -> i32 {
    let year = year.wrapping_sub((month <= 2) as i32);
    let era = floor_div(year, 400, 399);
    let year_of_era = year.wrapping_sub(era.wrapping_mul(400));
    let shifted_month = if month > 2 {
        month.wrapping_sub(3)
    } else {
        month.wrapping_add(9)
    };
    let day_of_year = shifted_month
        .wrapping_mul(153)
        .wrapping_add(2)
        .wrapping_div(5)
        .wrapping_add(day)
        .wrapping_sub(1);
    let day_of_era = year_of_era
        .wrapping_mul(365)
        .wrapping_add(year_of_era.wrapping_div(4))
        .wrapping_sub(year_of_era.wrapping_div(100))
        .wrapping_add(day_of_year);
    era.wrapping_mul(146_097)
        .wrapping_add(day_of_era)
        .wrapping_sub(719_468)
}

/// Month addition with month-end clamping; `wasm::emit_add_months` emits the
/// same steps, so change both together.
pub(crate) fn add_months(days: i32, months: i32) -> i32 {
    let (year, month, day) = civil_from_days(days);
    let total = year
        .wrapping_mul(12)
        .wrapping_add(month.wrapping_sub(1))
        .wrapping_add(months);
    let new_year = floor_div(total, 12, 11);
    let new_month = total
        .wrapping_sub(new_year.wrapping_mul(12))
        .wrapping_add(1);
    let last_day = days_in_month(new_year, new_month);
    let new_day = if day <= last_day { day } else { last_day };
    days_from_civil(new_year, new_month, new_day)
}

/// At most this many steps of one year each to go from the estimate of
/// [`years_between`] to its answer; the estimate is never more than three years short for
/// dates in years 1 to 9999.
pub(crate) const YEARS_BETWEEN_STEPS: i32 = 8;

/// Whole years from `from` to `to`: the largest `n` with `add_months(from, 12 * n) <= to`, so
/// that someone born on `from` is `n` years old on `to`. A February 29 birthday turns a year
/// older on February 28 in a common year, because `+ 1 year` from February 29 is February 28.
///
/// It estimates from the average Gregorian year (146,097 days in 400 years), two years short,
/// then steps up while the next year still fits: at most [`YEARS_BETWEEN_STEPS`] steps, so
/// it ends for any input. `wasm::calendar` emits the same steps; change both together.
pub(crate) fn years_between(from: i32, to: i32) -> i32 {
    let days = to.wrapping_sub(from);
    let mut years = days.wrapping_mul(400).wrapping_div(146_097).wrapping_sub(2);
    let mut steps = 0;
    while steps < YEARS_BETWEEN_STEPS
        && add_months(from, years.wrapping_add(1).wrapping_mul(12)) <= to
    {
        years = years.wrapping_add(1);
        steps += 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_that_is_not_a_day_says_why() {
        let why = |text: &str| Date::why_not_a_day(text);
        assert_eq!(
            why("2030-02-30").as_deref(),
            Some("February 2030 has 28 days")
        );
        assert_eq!(
            why("1900-02-29").as_deref(),
            Some("February 1900 has 28 days")
        );
        assert_eq!(
            why("0999-02-30").as_deref(),
            Some("February 0999 has 28 days")
        );
        assert_eq!(why("2026-13-01").as_deref(), Some("there is no month 13"));
        assert_eq!(why("2026-00-10").as_deref(), Some("there is no month 0"));
        assert_eq!(why("2026-01-00").as_deref(), Some("there is no day 0"));
        // A day, or text not written as a date at all: nothing to explain.
        assert_eq!(why("2000-02-29"), None);
        assert_eq!(why("soon"), None);
        assert_eq!(why("2026-1-01"), None);
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap_or_else(|| panic!("{text} is not a date"))
    }

    #[test]
    fn answers_run_from_year_1_to_year_9999() {
        assert_eq!(Date::FIRST_ANSWER, date("0001-01-01"));
        assert_eq!(Date::LAST_ANSWER, date("9999-12-31"));
    }

    #[test]
    fn epoch_and_known_days() {
        assert_eq!(date("1970-01-01").days(), 0);
        assert_eq!(date("1970-01-02").days(), 1);
        assert_eq!(date("1969-12-31").days(), -1);
        assert_eq!(date("2000-03-01").days(), 11_017);
        assert_eq!(date("2023-07-16").days(), 19_554);
    }

    #[test]
    fn parse_rejects_malformed_and_impossible_dates() {
        for text in [
            "2023-7-16",
            "2023-07-16x",
            "20230716",
            "2023-13-01",
            "2023-00-10",
            "2023-02-29",
            "2100-02-29",
            "2023-04-31",
            "2023-04-00",
            "+023-04-01",
        ] {
            assert_eq!(Date::parse(text), None, "{text}");
        }
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2000-02-29").is_some());
    }

    #[test]
    fn every_day_round_trips_through_the_calendar() {
        let start = date("1600-01-01").days();
        let end = date("2400-12-31").days();
        let mut expected = (1600, 1, 1);
        for days in start..=end {
            let (year, month, day) = civil_from_days(days);
            assert_eq!((year, month, day), expected, "day {days}");
            assert_eq!(days_from_civil(year, month, day), days);
            expected = if day < days_in_month(year, month) {
                (year, month, day + 1)
            } else if month < 12 {
                (year, month + 1, 1)
            } else {
                (year + 1, 1, 1)
            };
        }
    }

    #[test]
    fn formats_as_iso() {
        assert_eq!(date("2023-07-17").to_string(), "2023-07-17");
        assert_eq!(date("0001-01-01").to_string(), "0001-01-01");
        assert_eq!(
            Date::from_ymd(10_000, 1, 1).unwrap().to_string(),
            "+10000-01-01"
        );
    }

    #[test]
    fn adding_days_crosses_months_and_years() {
        assert_eq!(date("2023-12-31").add_days(1), date("2024-01-01"));
        assert_eq!(date("2024-02-28").add_days(1), date("2024-02-29"));
        assert_eq!(date("2023-02-28").add_days(1), date("2023-03-01"));
        assert_eq!(date("2023-07-17").add_days(-1), date("2023-07-16"));
    }

    #[test]
    fn adding_months_clamps_to_the_end_of_the_month() {
        assert_eq!(date("2023-01-31").add_months(1), date("2023-02-28"));
        assert_eq!(date("2024-01-31").add_months(1), date("2024-02-29"));
        assert_eq!(date("2024-03-31").add_months(1), date("2024-04-30"));
        assert_eq!(date("2024-03-31").add_months(-1), date("2024-02-29"));
        assert_eq!(date("2023-07-16").add_months(6), date("2024-01-16"));
        assert_eq!(date("2023-07-16").add_months(-7), date("2022-12-16"));
        assert_eq!(date("2023-12-15").add_months(1), date("2024-01-15"));
        assert_eq!(date("2023-01-15").add_months(-1), date("2022-12-15"));
        assert_eq!(date("2023-01-15").add_months(-13), date("2021-12-15"));
        assert_eq!(date("2023-01-15").add_months(0), date("2023-01-15"));
    }

    #[test]
    fn adding_years_handles_leap_days() {
        assert_eq!(date("2024-02-29").add_years(1), date("2025-02-28"));
        assert_eq!(date("2024-02-29").add_years(4), date("2028-02-29"));
        assert_eq!(date("2024-02-29").add_years(-100), date("1924-02-29"));
        assert_eq!(date("2000-02-29").add_years(100), date("2100-02-28"));
        assert_eq!(date("2023-07-16").add_years(3), date("2026-07-16"));
        assert_eq!(date("1969-03-01").add_years(-1), date("1968-03-01"));
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2024));
        assert!(is_leap_year(2000));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2023));
        assert!(is_leap_year(-4));
        assert_eq!(days_in_month(2023, 2), 28);
        assert_eq!(days_in_month(2024, 2), 29);
        let lengths: Vec<i32> = (1..=12).map(|month| days_in_month(2023, month)).collect();
        assert_eq!(lengths, [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    }

    /// Age as a person counts it: years between the dates, one less if the birthday (February
    /// 29 counting as February 28 in a common year) has not come yet in the last year.
    fn counted_age(born: Date, on: Date) -> i32 {
        let (born_year, born_month, born_day) = born.ymd();
        let (year, month, day) = on.ymd();
        let birthday_day = born_day.min(days_in_month(year, born_month as i32) as u32);
        let had_birthday = (month, day) >= (born_month, birthday_day);
        year - born_year - i32::from(!had_birthday)
    }

    #[test]
    fn whole_years_between_dates_count_as_people_count_their_age() {
        let cases = [
            ("2000-03-15", "2026-03-14", 25),
            ("2000-03-15", "2026-03-15", 26),
            ("2000-02-29", "2025-02-28", 25),
            ("2000-02-29", "2025-02-27", 24),
            ("2000-02-29", "2024-02-28", 23),
            ("2000-02-29", "2024-02-29", 24),
            ("2026-01-01", "2025-12-31", -1),
            ("2026-01-01", "2026-01-01", 0),
            ("0001-01-01", "9999-12-31", 9998),
            ("9999-12-31", "0001-01-01", -9999),
        ];
        for (born, on, years) in cases {
            assert_eq!(
                years_between(date(born).days(), date(on).days()),
                years,
                "{born} to {on}"
            );
        }
        // Every pair of a birthday in a leap cycle and a day decades later.
        let start = date("1996-01-01").days();
        for born in (start..start + 4 * 366).step_by(3) {
            for on in (born + 366 * 17..born + 366 * 19).step_by(5) {
                let (born_date, on_date) = (Date::from_days(born), Date::from_days(on));
                assert_eq!(
                    years_between(born, on),
                    counted_age(born_date, on_date),
                    "{born_date} to {on_date}"
                );
            }
        }
    }

    #[test]
    fn whole_years_agree_with_adding_years() {
        for (born, on) in [("2000-02-29", "2031-02-28"), ("1988-07-31", "2026-07-30")] {
            let (born, on) = (date(born), date(on));
            let years = years_between(born.days(), on.days());
            assert!(born.add_years(years) <= on);
            assert!(born.add_years(years + 1) > on);
        }
    }

    #[test]
    fn extreme_days_do_not_panic() {
        for days in [i32::MIN, i32::MIN + 1, -1, i32::MAX - 1, i32::MAX] {
            let _ = civil_from_days(days);
            let _ = add_months(days, i32::MAX);
            let _ = add_months(days, i32::MIN);
            let _ = years_between(days, i32::MAX);
            let _ = years_between(i32::MIN, days);
            let _ = Date::from_days(days).to_string();
        }
    }
}
