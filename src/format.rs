//! Values as readers see them: dates, numbers, amounts with their units (money, percentages,
//! counts), lists of names.
//!
//! Every human format the site shows is made here, for one [`Locale`], so that a fact, a
//! template's `human` filter and a rules text write the same value the same way.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use fixed_decimal::Decimal;
use guide_rules::Date;
use icu_decimal::DecimalFormatter;
use icu_locale_core::{locale, Locale as IcuLocale};
use icu_plurals::{PluralCategory, PluralRules};
use serde::Deserialize;

/// The language values are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// English, as CLDR en-CA writes numbers.
    #[default]
    En,
    /// French, as CLDR fr-CA and canada.ca write it.
    Fr,
}

impl Locale {
    /// Every locale values can be written in.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Fr];

    /// The locale for a site language code (`en`, `fr`, `fr-ca`, `en-GB`): by its first part,
    /// or `None` for a language values cannot be written in yet.
    pub fn for_language(code: &str) -> Option<Locale> {
        let primary = code.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Locale::En),
            "fr" => Some(Locale::Fr),
            _ => None,
        }
    }

    /// The locale for a site language code, English when it has none.
    pub fn for_language_or_default(code: &str) -> Locale {
        Locale::for_language(code).unwrap_or_default()
    }

    fn icu_locale(self) -> IcuLocale {
        match self {
            Locale::En => locale!("en-CA"),
            Locale::Fr => locale!("fr-CA"),
        }
    }

    fn strings_source(self) -> (&'static str, &'static str) {
        match self {
            Locale::En => ("src/format/en.toml", include_str!("format/en.toml")),
            Locale::Fr => ("src/format/fr.toml", include_str!("format/fr.toml")),
        }
    }

    /// This locale's words and CLDR data, loaded once.
    fn data(self) -> &'static LocaleData {
        static DATA: [OnceLock<LocaleData>; 2] = [OnceLock::new(), OnceLock::new()];
        let index = match self {
            Locale::En => 0,
            Locale::Fr => 1,
        };
        DATA[index].get_or_init(|| LocaleData::load(self))
    }
}

/// A pattern per CLDR plural category (`one`, `other`, …); `other` is always given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PluralPatterns {
    zero: Option<String>,
    one: Option<String>,
    two: Option<String>,
    few: Option<String>,
    many: Option<String>,
    other: String,
}

impl PluralPatterns {
    fn for_category(&self, category: PluralCategory) -> &str {
        let specific = match category {
            PluralCategory::Zero => &self.zero,
            PluralCategory::One => &self.one,
            PluralCategory::Two => &self.two,
            PluralCategory::Few => &self.few,
            PluralCategory::Many => &self.many,
            PluralCategory::Other => &None,
        };
        specific.as_deref().unwrap_or(&self.other)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DateStrings {
    months: [String; 12],
    long: String,
    month: String,
    /// How the first day of a month is written, where it is an ordinal (`1er`).
    first_day: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PercentStrings {
    pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneyStrings {
    amount: String,
    million: PluralPatterns,
    billion: PluralPatterns,
}

/// One locale's words and patterns (src/format/LANG.toml): data, so a language is added by
/// writing its file, not by code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocaleStrings {
    yes: String,
    no: String,
    list_and: String,
    dates: DateStrings,
    percent: PercentStrings,
    money: BTreeMap<String, MoneyStrings>,
    counts: BTreeMap<String, PluralPatterns>,
}

struct LocaleData {
    strings: LocaleStrings,
    numbers: DecimalFormatter,
    plurals: PluralRules,
}

impl LocaleData {
    fn load(locale: Locale) -> LocaleData {
        let (path, source) = locale.strings_source();
        // The files are compiled in and every one is read by the tests, so a mistake in one
        // fails the build's tests, never a reader's build.
        let strings = toml::from_str(source)
            .unwrap_or_else(|error| panic!("{path} is not a valid locale file: {error}"));
        let icu_locale = locale.icu_locale();
        LocaleData {
            strings,
            numbers: DecimalFormatter::try_new((&icu_locale).into(), Default::default())
                .expect("compiled CLDR data has decimal symbols for every locale"),
            plurals: PluralRules::try_new_cardinal((&icu_locale).into())
                .expect("compiled CLDR data has plural rules for every locale"),
        }
    }
}

/// `pattern` with `{amount}` replaced.
fn fill(pattern: &str, amount: &str) -> String {
    pattern.replace("{amount}", amount)
}

/// The ways a date can be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    /// `July 16, 2023`, `16 juillet 2023`.
    Long,
    /// `2023-07-16`.
    Iso,
    /// `2023`.
    Year,
    /// `July 2023`, `juillet 2023`.
    Month,
}

impl DateFormat {
    /// The format a template names: `long`, `iso`, `year` or `month`.
    pub fn named(name: &str) -> Option<DateFormat> {
        match name {
            "long" => Some(DateFormat::Long),
            "iso" => Some(DateFormat::Iso),
            "year" => Some(DateFormat::Year),
            "month" => Some(DateFormat::Month),
            _ => None,
        }
    }
}

pub fn format_date(date: Date, format: DateFormat, locale: Locale) -> String {
    let (year, month, day) = date.ymd();
    let strings = &locale.data().strings.dates;
    let month_name = &strings.months[(month - 1) as usize];
    let day = match (&strings.first_day, day) {
        (Some(first), 1) => first.clone(),
        _ => day.to_string(),
    };
    let mut digits = itoa::Buffer::new();
    let year_digits = digits.format(year);
    let fill_date = |pattern: &str| fill_date_pattern(pattern, month_name, &day, year_digits);
    match format {
        DateFormat::Long => fill_date(&strings.long),
        DateFormat::Iso => date.to_string(),
        DateFormat::Year => year.to_string(),
        DateFormat::Month => fill_date(&strings.month),
    }
}

/// `pattern` with `{month}`, `{day}` and `{year}` filled in, in one pass: dates are formatted
/// for every page's template, where three `str::replace` calls (a searcher built for each)
/// were a measurable share. Any other `{` stays as it is.
fn fill_date_pattern(pattern: &str, month: &str, day: &str, year: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + month.len() + 8);
    let mut rest = pattern;
    while let Some(at) = rest.find('{') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (value, name_length) = [("{month}", month), ("{day}", day), ("{year}", year)]
            .into_iter()
            .find(|(name, _)| rest.starts_with(name))
            .map_or(("{", 1), |(name, value)| (value, name.len()));
        out.push_str(value);
        rest = &rest[name_length..];
    }
    out.push_str(rest);
    out
}

/// `10000` → `10,000` (`10 000` in French, with a no-break space).
pub fn format_integer(n: i64, locale: Locale) -> String {
    locale.data().numbers.format(&Decimal::from(n)).to_string()
}

/// `x` as the shortest decimal that reads back as it, or `None` for a value with no digits
/// (infinite, not a number).
fn decimal_of(x: f64) -> Option<Decimal> {
    // f64's `Display` is the shortest exact round trip and never uses an exponent.
    let text = format!("{x}");
    let mut decimal: Decimal = text.parse().ok()?;
    decimal.absolute.trim_end();
    Some(decimal)
}

/// A number with no needless `.0` and its whole part grouped by thousands: `5.0` → `5`,
/// `2.5` → `2.5`, `1234.5` → `1,234.5` (`1 234,5` in French).
pub fn format_number(x: f64, locale: Locale) -> String {
    match decimal_of(x) {
        Some(decimal) => locale.data().numbers.format(&decimal).to_string(),
        None => x.to_string(),
    }
}

/// The plural category `x` falls in, written as [`format_number`] writes it.
fn plural_category(x: f64, locale: Locale) -> PluralCategory {
    match decimal_of(x) {
        Some(decimal) => locale.data().plurals.category_for(&decimal),
        None => PluralCategory::Other,
    }
}

/// What a fact's unit makes of its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    /// Money in this currency (ISO 4217 code), written as each locale's file says.
    Money(&'static str),
    /// A fraction written as a percentage: `0.051` → `5.1%`.
    Percent,
    /// A count of things, in the form each locale's plural rules pick for the amount. The
    /// singular is the English one a fact may also name its unit by (`unit = "year"`).
    Count { singular: &'static str },
}

/// Every unit a fact may carry, by the name written in `unit = "..."`. A count may also be
/// named by its singular (`unit = "year"`); the amount picks the form shown. Each one's words
/// in each language are in src/format/LANG.toml (a test holds every file to this list).
const UNITS: [(&str, UnitKind); 15] = [
    ("percent", UnitKind::Percent),
    ("CAD", UnitKind::Money("CAD")),
    ("USD", UnitKind::Money("USD")),
    ("EUR", UnitKind::Money("EUR")),
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
/// as a percentage (`0.051` → `5.1%`), a count in its plural form (`1 year`, `3 years`). An
/// unknown unit (refused when facts load) is written after the number as it is.
pub fn format_quantity(amount: f64, unit: Option<&str>, locale: Locale) -> String {
    let number = || format_number(amount, locale);
    let Some(unit) = unit else {
        return number();
    };
    let strings = &locale.data().strings;
    match unit_named(unit) {
        Some((_, UnitKind::Money(currency))) => match strings.money.get(currency) {
            Some(money) => format_money(amount, money, locale),
            None => format!("{} {currency}", number()),
        },
        Some((_, UnitKind::Percent)) => {
            // 0.051 * 100 is 5.1000000000000005 in binary: round away what the decimal
            // fraction did not hold.
            let percent = (amount * 100.0 * 1e9).round() / 1e9;
            fill(&strings.percent.pattern, &format_number(percent, locale))
        }
        Some((name, UnitKind::Count { .. })) => match strings.counts.get(name) {
            Some(forms) => fill(
                forms.for_category(plural_category(amount, locale)),
                &number(),
            ),
            None => format!("{} {name}", number()),
        },
        None => format!("{} {unit}", number()),
    }
}

/// `104500000000` CAD → `$104.5 billion`; `1234.56` → `$1,234.56`.
fn format_money(amount: f64, money: &MoneyStrings, locale: Locale) -> String {
    let sign = if amount < 0.0 { "-" } else { "" };
    let amount = amount.abs();
    // A million or more is written in millions, or from a thousand millions in billions, to
    // one decimal, each rounded first: 999,999,999 reads "$1 billion", not "$1000 million",
    // while 950,000,000 stays "$950 million" and 950,000 is written out.
    let cents = (amount * 100.0).round();
    if cents >= 1e8 {
        let in_millions = (amount / 1e6 * 10.0).round() / 10.0;
        let (rounded, patterns) = if in_millions >= 1000.0 {
            ((amount / 1e9 * 10.0).round() / 10.0, &money.billion)
        } else {
            (in_millions, &money.million)
        };
        let pattern = patterns.for_category(plural_category(rounded, locale));
        return format!("{sign}{}", fill(pattern, &format_number(rounded, locale)));
    }
    let cents = cents as i64;
    let mut decimal = Decimal::from(cents);
    decimal.multiply_pow10(-2);
    if cents % 100 == 0 {
        decimal.absolute.trim_end();
    }
    let written = locale.data().numbers.format(&decimal).to_string();
    format!("{sign}{}", fill(&money.amount, &written))
}

/// `yes` or `no` (`oui`, `non`).
pub fn format_bool(value: bool, locale: Locale) -> String {
    let strings = &locale.data().strings;
    if value { &strings.yes } else { &strings.no }.clone()
}

/// `Toronto, Vancouver and Montreal` (`Toronto, Vancouver et Montréal`).
pub fn format_list(names: &[&str], locale: Locale) -> String {
    let and = &locale.data().strings.list_and;
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
    fn a_date_pattern_is_filled_as_replacing_each_name_in_turn_would() {
        for pattern in [
            "{month} {day}, {year}",
            "{day} {month} {year}",
            "{year}-{month}-{day} {month}",
            "{ {x} {{day}} {year",
            "",
            "no names",
        ] {
            let replaced = pattern
                .replace("{month}", "juillet")
                .replace("{day}", "1er")
                .replace("{year}", "2023");
            assert_eq!(
                fill_date_pattern(pattern, "juillet", "1er", "2023"),
                replaced,
                "{pattern:?}"
            );
        }
    }

    fn quantity(amount: f64, unit: &str) -> String {
        format_quantity(amount, Some(unit), Locale::En)
    }

    #[test]
    fn money_rounds_at_its_scale_and_keeps_cents_and_signs() {
        let cad = |amount: f64| quantity(amount, "CAD");
        assert_eq!(cad(999_999_999.0), "$1 billion");
        assert_eq!(cad(104_500_000_000.0), "$104.5 billion");
        assert_eq!(cad(2_340_000.0), "$2.3 million");
        // Under a million an amount is written out: rounded at the million it would read
        // "$1 million".
        assert_eq!(cad(950_000.0), "$950,000");
        assert_eq!(cad(999_999.99), "$999,999.99");
        assert_eq!(cad(1_000_000.0), "$1 million");
        assert_eq!(cad(999_960_000.0), "$1 billion");
        // Under a billion, in millions: rounded at the billion it would read "$1 billion".
        assert_eq!(cad(950_000_000.0), "$950 million");
        assert_eq!(cad(999_940_000.0), "$999.9 million");
        // A cent short of a million rounds to a million, and reads so.
        assert_eq!(cad(999_999.996), "$1 million");
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

    /// U+00A0 NO-BREAK SPACE, which French puts between digit groups and before a symbol.
    const NBSP: &str = "\u{a0}";

    fn fr(text: &str) -> String {
        text.replace('_', NBSP)
    }

    fn quantity_fr(amount: f64, unit: &str) -> String {
        format_quantity(amount, Some(unit), Locale::Fr)
    }

    #[test]
    fn french_dates_in_each_format_with_the_first_as_an_ordinal() {
        let date = Date::from_ymd(2023, 7, 16).unwrap();
        let date_fr = |date, format| format_date(date, format, Locale::Fr);
        assert_eq!(date_fr(date, DateFormat::Long), "16 juillet 2023");
        assert_eq!(date_fr(date, DateFormat::Iso), "2023-07-16");
        assert_eq!(date_fr(date, DateFormat::Year), "2023");
        assert_eq!(date_fr(date, DateFormat::Month), "juillet 2023");
        let first = Date::from_ymd(2023, 7, 1).unwrap();
        assert_eq!(date_fr(first, DateFormat::Long), "1er juillet 2023");
        assert_eq!(
            format_date(first, DateFormat::Long, Locale::En),
            "July 1, 2023"
        );
        let february = Date::from_ymd(2024, 2, 2).unwrap();
        assert_eq!(date_fr(february, DateFormat::Long), "2 février 2024");
        let august = Date::from_ymd(2024, 8, 31).unwrap();
        assert_eq!(date_fr(august, DateFormat::Month), "août 2024");
    }

    #[test]
    fn french_integers_and_decimals_group_with_a_no_break_space() {
        assert_eq!(format_integer(10_000, Locale::Fr), fr("10_000"));
        assert_eq!(format_integer(10_000, Locale::Fr), "10\u{a0}000");
        assert_eq!(format_integer(999, Locale::Fr), "999");
        assert_eq!(format_integer(-1_234_567, Locale::Fr), fr("-1_234_567"));
        assert_eq!(format_number(1234.5, Locale::Fr), fr("1_234,5"));
        assert_eq!(format_number(-0.5, Locale::Fr), "-0,5");
        assert_eq!(format_number(5.0, Locale::Fr), "5");
        assert_eq!(format_quantity(10_000.0, None, Locale::Fr), fr("10_000"));
    }

    #[test]
    fn french_money_puts_the_symbol_after_and_spells_out_large_amounts() {
        let cad = |amount: f64| quantity_fr(amount, "CAD");
        assert_eq!(cad(5000.0), fr("5_000_$"));
        assert_eq!(cad(1234.56), fr("1_234,56_$"));
        assert_eq!(cad(0.1), fr("0,10_$"));
        assert_eq!(cad(-5.0), fr("-5_$"));
        assert_eq!(cad(104_500_000_000.0), "104,5 milliards de dollars");
        assert_eq!(cad(999_999_999.0), "1 milliard de dollars");
        assert_eq!(cad(1_500_000.0), "1,5 million de dollars");
        assert_eq!(cad(2_340_000.0), "2,3 millions de dollars");
        assert_eq!(quantity_fr(5000.0, "USD"), fr("5_000_$_US"));
        assert_eq!(
            quantity_fr(2_500_000.0, "USD"),
            "2,5 millions de dollars US"
        );
        assert_eq!(quantity_fr(1500.0, "EUR"), fr("1_500_€"));
        assert_eq!(quantity_fr(3_000_000.0, "EUR"), "3 millions d’euros");
    }

    #[test]
    fn french_percent_and_counts_follow_french_plural_rules() {
        assert_eq!(quantity_fr(0.051, "percent"), fr("5,1_%"));
        assert_eq!(quantity_fr(0.05, "percent"), fr("5_%"));
        assert_eq!(quantity_fr(12.5, "percent"), fr("1_250_%"));
        assert_eq!(quantity_fr(3.0, "years"), "3 ans");
        assert_eq!(quantity_fr(1.0, "years"), "1 an");
        assert_eq!(quantity_fr(1.0, "year"), "1 an");
        // French counts 0 and 1,5 as singular where English does not.
        assert_eq!(quantity_fr(0.0, "years"), "0 an");
        assert_eq!(quantity(0.0, "years"), "0 years");
        assert_eq!(quantity_fr(1.5, "days"), "1,5 jour");
        assert_eq!(quantity(1.5, "days"), "1.5 days");
        assert_eq!(quantity_fr(2.0, "months"), "2 mois");
        assert_eq!(quantity_fr(1200.0, "people"), fr("1_200 personnes"));
        assert_eq!(
            quantity_fr(1.2, "million people"),
            "1,2 million de personnes"
        );
        assert_eq!(
            quantity_fr(2.0, "million people"),
            "2 millions de personnes"
        );
    }

    #[test]
    fn booleans_and_lists_in_both_languages() {
        assert_eq!(format_bool(true, Locale::En), "yes");
        assert_eq!(format_bool(false, Locale::En), "no");
        assert_eq!(format_bool(true, Locale::Fr), "oui");
        assert_eq!(format_bool(false, Locale::Fr), "non");
        assert_eq!(format_list(&["a", "b", "c"], Locale::En), "a, b and c");
        assert_eq!(format_list(&["a", "b", "c"], Locale::Fr), "a, b et c");
        assert_eq!(format_list(&["a", "b"], Locale::Fr), "a et b");
        assert_eq!(format_list(&["a"], Locale::Fr), "a");
        assert_eq!(format_list(&[], Locale::Fr), "");
    }

    #[test]
    fn every_unit_has_its_words_in_every_language() {
        for locale in Locale::ALL {
            let strings = &locale.data().strings;
            for (name, kind) in UNITS {
                let known = match kind {
                    UnitKind::Money(currency) => strings.money.contains_key(currency),
                    UnitKind::Percent => true,
                    UnitKind::Count { .. } => strings.counts.contains_key(name),
                };
                assert!(known, "{locale:?} has no words for the unit `{name}`");
            }
            // And no words for a unit that is not in the list, which no fact could use.
            for name in strings.counts.keys() {
                assert!(
                    matches!(unit_named(name), Some((_, UnitKind::Count { .. }))),
                    "{locale:?} has words for `{name}`, which is not a count unit"
                );
            }
            for currency in strings.money.keys() {
                assert!(
                    UNITS
                        .iter()
                        .any(|(_, kind)| *kind == UnitKind::Money(currency)),
                    "{locale:?} has words for `{currency}`, which is not a money unit"
                );
            }
        }
    }

    #[test]
    fn a_language_code_names_its_locale() {
        assert_eq!(Locale::for_language("en"), Some(Locale::En));
        assert_eq!(Locale::for_language("fr"), Some(Locale::Fr));
        assert_eq!(Locale::for_language("fr-ca"), Some(Locale::Fr));
        assert_eq!(Locale::for_language("en-GB"), Some(Locale::En));
        assert_eq!(Locale::for_language("de"), None);
        assert_eq!(Locale::for_language_or_default("de"), Locale::En);
    }
}
