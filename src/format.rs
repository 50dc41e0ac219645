//! Values as readers see them: dates, numbers, amounts of money, lists of names.
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

/// A number with no needless `.0`: `5.0` → `5`, `2.5` → `2.5`.
pub fn format_number(x: f64, locale: Locale) -> String {
    match locale {
        Locale::En => {
            let text = format!("{x}");
            text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
        }
    }
}

/// `amount`, already written as `number`, with its unit: a currency code (`CAD`) makes it an
/// amount of money, `%` a percentage, and a plural unit turns singular for one (`1 year`).
pub fn format_quantity(amount: f64, number: &str, unit: Option<&str>, locale: Locale) -> String {
    match unit {
        None => number.to_string(),
        Some(currency) if is_currency(currency) => format_money(amount, currency, locale),
        Some("%") => format!("{number}%"),
        Some(unit) if amount == 1.0 && unit.ends_with('s') => {
            format!("{number} {}", &unit[..unit.len() - 1])
        }
        Some(unit) => format!("{number} {unit}"),
    }
}

/// An ISO 4217 code such as `CAD`.
fn is_currency(unit: &str) -> bool {
    unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase())
}

/// `104500000000` CAD → `$104.5 billion`; `1234.56` → `$1,234.56`.
pub fn format_money(amount: f64, currency: &str, locale: Locale) -> String {
    let symbol = match currency {
        "CAD" => "$".to_string(),
        "USD" => "US$".to_string(),
        other => format!("{other} "),
    };
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

    #[test]
    fn money_rounds_at_its_scale_and_keeps_cents_and_signs() {
        let cad = |amount: f64| format_money(amount, "CAD", Locale::En);
        assert_eq!(cad(999_999_999.0), "$1 billion");
        assert_eq!(cad(104_500_000_000.0), "$104.5 billion");
        assert_eq!(cad(2_340_000.0), "$2.3 million");
        assert_eq!(cad(1234.56), "$1,234.56");
        assert_eq!(cad(0.1), "$0.10");
        assert_eq!(cad(-5.0), "-$5");
        assert_eq!(format_money(1500.0, "USD", Locale::En), "US$1,500");
        assert_eq!(format_money(1500.0, "EUR", Locale::En), "EUR 1,500");
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
