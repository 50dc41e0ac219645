//! Values as readers see them: dates, numbers, amounts with their units (money, percentages,
//! counts), lists of names.
//!
//! Every human format the site shows is made here, for one [`Locale`], so that a fact, a
//! template's `human` filter and a rules text write the same value the same way.

use guide_rules::Date;

/// The language values are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
}

/// The ways a date can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// `July 16, 2023`.
    Long,
    /// `2023-07-16`.
    Iso,
    /// `2023`.
    Year,
    /// `July 2023`.
    Month,
}

const MONTHS_EN: [&str; 12] = [
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

pub fn format_date(date: Date, format: DateFormat, locale: Locale) -> String {
    let (year, month, day) = date.ymd();
    match locale {
        Locale::En => {
            let month = MONTHS_EN[(month - 1) as usize];
            match format {
                DateFormat::Long => format!("{month} {day}, {year}"),
                DateFormat::Iso => date.to_string(),
                DateFormat::Year => year.to_string(),
                DateFormat::Month => format!("{month} {year}"),
            }
        }
    }
}

/// `10000` → `10,000`.
pub fn format_integer(n: i64, locale: Locale) -> String {
    let separator = match locale {
        Locale::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A number with no needless `.0` and its whole part grouped by thousands: `5.0` → `5`,
/// `2.5` → `2.5`, `1234.5` → `1,234.5`.
pub fn format_number(x: f64, locale: Locale) -> String {
    match locale {
        Locale::En => {
            let text = format!("{}", x.abs());
            let text = text.strip_suffix(".0").unwrap_or(&text);
            let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
            let whole = match whole.parse::<i64>() {
                Ok(whole) => format_integer(whole, locale),
                Err(_) => whole.to_string(),
            };
            let sign = if x < 0.0 { "-" } else { "" };
            match fraction {
                "" => format!("{sign}{whole}"),
                fraction => format!("{sign}{whole}.{fraction}"),
            }
        }
    }
}

/// What a fact's unit makes of its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    /// Money, written with this symbol before the amount: `$5,000`, `US$5,000`, `€5,000`.
    Money(&'static str),
    /// A fraction written as a percentage: `0.051` → `5.1%`.
    Percent,
    /// A count of things, singular for exactly one: `1 year`, `3 years`.
    Count { singular: &'static str },
}

/// Every unit a fact may carry, by the name written in `unit = "..."`. A count may also be
/// named by its singular (`unit = "year"`); the amount picks the form shown.
const UNITS: [(&str, UnitKind); 15] = [
    ("percent", UnitKind::Percent),
    ("CAD", UnitKind::Money("$")),
    ("USD", UnitKind::Money("US$")),
    ("EUR", UnitKind::Money("€")),
    ("years", UnitKind::Count { singular: "year" }),
    ("months", UnitKind::Count { singular: "month" }),
    ("weeks", UnitKind::Count { singular: "week" }),
    ("days", UnitKind::Count { singular: "day" }),
    ("hours", UnitKind::Count { singular: "hour" }),
    ("people", UnitKind::Count { singular: "person" }),
    (
        "million people",
        UnitKind::Count {
            singular: "million people",
        },
    ),
    ("points", UnitKind::Count { singular: "point" }),
    (
        "applications",
        UnitKind::Count {
            singular: "application",
        },
    ),
    ("permits", UnitKind::Count { singular: "permit" }),
    ("jobs", UnitKind::Count { singular: "job" }),
];

/// The names of every known unit, as `unit = "..."` takes them (plurals only; each count's
/// singular is taken too).
pub fn unit_names() -> impl Iterator<Item = &'static str> {
    UNITS.iter().map(|(name, _)| *name)
}

/// The unit `unit` names, by its listed name and what it makes of an amount.
fn unit_named(unit: &str) -> Option<(&'static str, UnitKind)> {
    UNITS.iter().copied().find(|(name, kind)| {
        *name == unit || matches!(kind, UnitKind::Count { singular } if *singular == unit)
    })
}

/// Whether `unit` is a unit a fact may carry: a name from [`unit_names`], or a count's singular.
pub fn is_known_unit(unit: &str) -> bool {
    unit_named(unit).is_some()
}

/// `amount` with its unit: money with its symbol (`$104.5 billion`, `US$100,000`), a fraction
/// as a percentage (`0.051` → `5.1%`), a count singular for one (`1 year`, `3 years`). An
/// unknown unit (refused when facts load) is written after the number as it is.
pub fn format_quantity(amount: f64, unit: Option<&str>, locale: Locale) -> String {
    let number = || format_number(amount, locale);
    let Some(unit) = unit else {
        return number();
    };
    match unit_named(unit) {
        Some((_, UnitKind::Money(symbol))) => format_money(amount, symbol, locale),
        Some((_, UnitKind::Percent)) => {
            // 0.051 * 100 is 5.1000000000000005 in binary: round away what the decimal
            // fraction did not hold.
            let percent = (amount * 100.0 * 1e9).round() / 1e9;
            format!("{}%", format_number(percent, locale))
        }
        Some((_, UnitKind::Count { singular })) if amount == 1.0 => {
            format!("{} {singular}", number())
        }
        Some((plural, UnitKind::Count { .. })) => format!("{} {plural}", number()),
        None => format!("{} {unit}", number()),
    }
}

/// `104500000000` with `$` → `$104.5 billion`; `1234.56` → `$1,234.56`.
fn format_money(amount: f64, symbol: &str, locale: Locale) -> String {
    let sign = if amount < 0.0 { "-" } else { "" };
    let amount = amount.abs();
    // Round at the scale first, so 999,999,999 reads "$1 billion", not "$1000 million".
    for (scale, word) in [(1e9, " billion"), (1e6, " million")] {
        let rounded = (amount / scale * 10.0).round() / 10.0;
        if rounded >= 1.0 {
            return format!("{sign}{symbol}{}{word}", format_number(rounded, locale));
        }
    }
    let cents = (amount * 100.0).round() as i64;
    let whole = format_integer(cents / 100, locale);
    match cents % 100 {
        0 => format!("{sign}{symbol}{whole}"),
        part => format!("{sign}{symbol}{whole}.{part:02}"),
    }
}

/// `yes` or `no`.
pub fn format_bool(value: bool, locale: Locale) -> String {
    match locale {
        Locale::En => if value { "yes" } else { "no" }.to_string(),
    }
}

/// `Toronto, Vancouver and Montreal`.
pub fn format_list(names: &[&str], locale: Locale) -> String {
    let and = match locale {
        Locale::En => "and",
    };
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantity(amount: f64, unit: &str) -> String {
        format_quantity(amount, Some(unit), Locale::En)
    }

    #[test]
    fn money_rounds_at_its_scale_and_keeps_cents_and_signs() {
        let cad = |amount: f64| quantity(amount, "CAD");
        assert_eq!(cad(999_999_999.0), "$1 billion");
        assert_eq!(cad(104_500_000_000.0), "$104.5 billion");
        assert_eq!(cad(2_340_000.0), "$2.3 million");
        assert_eq!(cad(5000.0), "$5,000");
        assert_eq!(cad(1234.56), "$1,234.56");
        assert_eq!(cad(0.1), "$0.10");
        assert_eq!(cad(-5.0), "-$5");
        assert_eq!(quantity(5000.0, "USD"), "US$5,000");
        assert_eq!(quantity(2_500_000.0, "USD"), "US$2.5 million");
        assert_eq!(quantity(1500.0, "EUR"), "€1,500");
    }

    #[test]
    fn percent_is_a_fraction_written_as_a_percentage() {
        assert_eq!(quantity(0.051, "percent"), "5.1%");
        assert_eq!(quantity(0.05, "percent"), "5%");
        assert_eq!(quantity(1.0, "percent"), "100%");
        assert_eq!(quantity(0.0725, "percent"), "7.25%");
        assert_eq!(quantity(0.333, "percent"), "33.3%");
        assert_eq!(quantity(12.5, "percent"), "1,250%");
    }

    #[test]
    fn a_count_is_singular_for_one_whichever_form_names_its_unit() {
        assert_eq!(quantity(1.0, "years"), "1 year");
        assert_eq!(quantity(3.0, "years"), "3 years");
        assert_eq!(quantity(1.0, "year"), "1 year");
        assert_eq!(quantity(3.0, "year"), "3 years");
        assert_eq!(quantity(48.0, "hours"), "48 hours");
        assert_eq!(quantity(1.0, "people"), "1 person");
        assert_eq!(quantity(1200.0, "people"), "1,200 people");
        assert_eq!(quantity(1.2, "million people"), "1.2 million people");
        assert_eq!(quantity(1.0, "million people"), "1 million people");
        assert_eq!(quantity(0.5, "days"), "0.5 days");
        assert_eq!(format_quantity(10_000.0, None, Locale::En), "10,000");
    }

    #[test]
    fn every_unit_and_its_singular_is_known_and_nothing_else() {
        for name in unit_names() {
            assert!(is_known_unit(name), "{name}");
        }
        for singular in ["year", "month", "week", "day", "hour", "person", "point"] {
            assert!(is_known_unit(singular), "{singular}");
        }
        for unknown in ["%", "Years", "yrs", "dollars", "GBP", ""] {
            assert!(!is_known_unit(unknown), "{unknown}");
        }
    }

    #[test]
    fn decimals_group_their_whole_part() {
        assert_eq!(format_number(1234.5, Locale::En), "1,234.5");
        assert_eq!(format_number(-0.5, Locale::En), "-0.5");
        assert_eq!(format_number(5.0, Locale::En), "5");
        assert_eq!(format_number(-1234.0, Locale::En), "-1,234");
    }

    #[test]
    fn dates_in_each_format() {
        let date = Date::from_ymd(2023, 7, 16).unwrap();
        let en = |format| format_date(date, format, Locale::En);
        assert_eq!(en(DateFormat::Long), "July 16, 2023");
        assert_eq!(en(DateFormat::Iso), "2023-07-16");
        assert_eq!(en(DateFormat::Year), "2023");
        assert_eq!(en(DateFormat::Month), "July 2023");
        let early = Date::from_ymd(987, 1, 2).unwrap();
        assert_eq!(
            format_date(early, DateFormat::Iso, Locale::En),
            "0987-01-02"
        );
    }

    #[test]
    fn integers_are_grouped_by_thousands() {
        assert_eq!(format_integer(10_000, Locale::En), "10,000");
        assert_eq!(format_integer(999, Locale::En), "999");
        assert_eq!(format_integer(-1_234_567, Locale::En), "-1,234,567");
    }
}
