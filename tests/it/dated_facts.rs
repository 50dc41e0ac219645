//! Facts whose value changes on dates: how they load, what pages, templates and the timeline
//! show as of the guide's date, and what bad dated values report.

use crate::common::Fixture;

/// A whole-number fact that dropped to 0 on 2025-03-25 and is announced to change again after
/// the guide's date (2026-11-01, the latest `verified` of the `basic` fixture).
const POINTS: &str = "
[points]
label = \"Job offer points\"
value = 50
source = \"policy\"

[[points.values]]
from = 2025-03-25
value = 0
note = \"Removed.\"

[[points.values]]
from = 2027-01-01
value = 25
";

/// The `basic` fixture with `POINTS` and a page and templates showing it.
fn site_with_points() -> Fixture {
    let site = Fixture::new("basic");
    site.write(
        "content/facts/prog.toml",
        &(site.read("content/facts/prog.toml") + POINTS),
    );
    site.write(
        "content/stream/points.md",
        "+++\ntitle = \"Points\"\ndescription = \"Points.\"\n+++\nA job offer is worth {{ fact(prog.points) }} points.\n",
    );
    site.edit(
        "themes/plain/templates/page.html",
        "</main>",
        "<p class=\"points\">{{ facts.prog.points.display }} since {{ facts.prog.points.as_of }};{% for v in facts.prog.points.values %} [{% if v.from %}{{ v.from }}{% else %}first{% endif %}: {{ v.display }}]{% endfor %}; checked {{ guide_date.value }}, {{ guide_date.display }}</p></main>",
    );
    site
}

#[test]
fn pages_and_templates_show_a_dated_fact_as_of_the_guides_date() {
    let site = site_with_points();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let page = site.output("stream/points/index.html");
    assert!(page.contains("A job offer is worth 0 points."), "{page}");
    assert!(
        page.contains("<p class=\"points\">0 since 2025-03-25; [first: 50] [2025-03-25: 0] [2027-01-01: 25]; checked 2026-11-01, November 1, 2026</p>"),
        "{page}"
    );
}

#[test]
fn each_change_is_a_dated_entry_of_the_timeline() {
    let site = site_with_points();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let section = site.output("stream/index.html");
    assert!(
        section.contains("<li>July 16, 2023: Opened</li><li>July 17, 2023: Closed</li><li>March 25, 2025: Job offer points: 0</li><li>January 1, 2027: Job offer points: 25</li>"),
        "{section}"
    );
}

#[test]
fn a_change_that_takes_a_date_fact_later_moves_the_facts_own_entry() {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "\n[cap]",
        "[[closed_on.values]]\nfrom = 2023-07-01\nvalue = 2023-08-31\n\n[cap]",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let section = site.output("stream/index.html");
    assert!(
        section.contains("<li>July 1, 2023: Closed: August 31, 2023</li><li>July 16, 2023: Opened</li><li>August 31, 2023: Closed</li>"),
        "{section}"
    );
}

#[test]
fn a_record_field_may_change_on_dates() {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "founded = 1834-03-06",
        "founded = 1834-03-06\nstatus = [{ value = \"announced\" }, { from = 2023-07-16, value = \"open\" }, { from = 2023-07-17, value = \"closed\" }, { from = 2030-01-01, value = \"reopened\" }]",
    );
    site.edit(
        "content/facts/prog.toml",
        "name = \"Waterloo\"",
        "name = \"Waterloo\"\nstatus = [{ from = 2030-01-01, value = \"planned\" }]",
    );
    site.edit(
        "themes/plain/templates/section.html",
        "{{ hub.name }}",
        "{{ hub.name }}{% if hub.status %} [{{ hub.status }}]{% endif %}{% for s in hub.status_values %} {{ s.from }}={{ s.value }}{% endfor %}",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let section = site.output("stream/index.html");
    assert!(
        section.contains("<li>Toronto [closed] =announced 2023-07-16=open 2023-07-17=closed 2030-01-01=reopened (March 6, 1834)</li>"),
        "{section}"
    );
    assert!(
        section.contains("<li>Waterloo 2030-01-01=planned</li>"),
        "{section}"
    );
}

/// Builds the `basic` fixture with `dated` added to its facts, expecting one error.
fn dated_error(dated: &str) -> String {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "\n[hubs]",
        &format!("\n{dated}\n[hubs]"),
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    text
}

#[test]
fn a_change_of_another_type_than_the_facts_value_is_an_error_at_the_value() {
    let text = dated_error("[[cap.values]]\nfrom = 2025-03-25\nvalue = \"none\"\n");
    assert!(
        text.contains("fact `prog.cap`: the value from 2025-03-25 is text, but the fact's `value` is a whole number"),
        "{text}"
    );
    assert!(text.contains("content/facts/prog.toml:19:9"), "{text}");
    assert!(
        text.contains("14 | value = 10000\n   |         ----- the fact's value"),
        "{text}"
    );
}

#[test]
fn changes_out_of_date_order_are_an_error_at_the_later_from() {
    let text = dated_error(
        "[[cap.values]]\nfrom = 2025-03-25\nvalue = 0\n[[cap.values]]\nfrom = 2025-03-25\nvalue = 1\n",
    );
    assert!(
        text.contains("fact `prog.cap`: the change from 2025-03-25 does not follow the one before it (from 2025-03-25)"),
        "{text}"
    );
    assert!(text.contains("content/facts/prog.toml:21:8"), "{text}");
    assert!(text.contains("in date order"), "{text}");
}

#[test]
fn a_change_citing_an_unknown_source_is_an_error() {
    let text = dated_error("[[cap.values]]\nfrom = 2025-03-25\nvalue = 0\nsource = \"polcy\"\n");
    assert!(text.contains("unknown source `polcy`"), "{text}");
    assert!(text.contains("content/facts/prog.toml:20:10"), "{text}");
    assert!(text.contains("did you mean `policy`?"), "{text}");
}

#[test]
fn a_change_from_a_date_and_time_is_an_error() {
    let text = dated_error("[[cap.values]]\nfrom = 2025-03-25T10:00:00Z\nvalue = 0\n");
    assert!(
        text.contains("fact `prog.cap`: `from` must be a date such as 2025-03-25"),
        "{text}"
    );
    assert!(text.contains("content/facts/prog.toml:18:8"), "{text}");
}

#[test]
fn a_list_fact_takes_no_dated_values() {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "label = \"Hubs\"",
        "label = \"Hubs\"\nvalues = [{ from = 2025-01-01, value = 1 }]",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("the list fact `prog.hubs` cannot have dated `values`"),
        "{text}"
    );
    assert!(text.contains("content/facts/prog.toml:19:1"), "{text}");
}

#[test]
fn bad_dated_record_fields_are_errors_at_their_place() {
    let cases = [
        (
            "status = [{ from = 2020-01-01, value = \"open\" }, { from = 2021-01-01, value = 3 }]",
            "record 1 of the list fact `prog.hubs`: its `status` from 2021-01-01 is a whole number, but the one before it is text",
            "content/facts/prog.toml:22:79",
        ),
        (
            "status = [{ from = 2021-01-01, value = \"open\" }, { from = 2020-01-01, value = \"shut\" }]",
            "record 1 of the list fact `prog.hubs`: its `status` from 2020-01-01 does not follow the one before it (from 2021-01-01)",
            "content/facts/prog.toml:22:59",
        ),
        (
            "status = [{ from = 2020-01-01, value = \"open\" }, { value = \"shut\" }]",
            "record 1 of the list fact `prog.hubs`: entry 2 of its dated `status` has no `from`",
            "content/facts/prog.toml:22:50",
        ),
        (
            "status = [{ from = 2020-01-01, vale = \"open\" }]",
            "record 1 of the list fact `prog.hubs`: entry 1 of its dated `status` has an unknown key `vale`",
            "content/facts/prog.toml:22:32",
        ),
        (
            "status = [{ from = 2020-01-01, value = \"open\", source = \"polcy\" }]",
            "unknown source `polcy`",
            "content/facts/prog.toml:22:57",
        ),
    ];
    for (field, message, location) in cases {
        let site = Fixture::new("basic");
        site.edit(
            "content/facts/prog.toml",
            "founded = 1834-03-06",
            &format!("founded = 1834-03-06\n{field}"),
        );
        let (diagnostics, text) = site.build_error();
        assert_eq!(diagnostics.len(), 1, "{text}");
        assert!(text.contains(message), "{message}: {text}");
        assert!(text.contains(location), "{location}: {text}");
    }
}

#[test]
fn a_checkers_texts_show_a_dated_fact_as_of_the_guides_date_and_its_rules_read_it_as_of_an_answer()
{
    let site = site_with_points();
    let rules = include_str!("../fixtures/rules/prog.toml")
        .replacen(
            "text = \"Too late.\"",
            "text = \"Too late. A job offer is worth {facts.prog.points} points now.\"",
            1,
        )
        .replacen(
            "[[criteria]]\nid = \"has_visa\"",
            "[[criteria]]\nid = \"offer_counts\"\ncondition = \"facts.prog.points at applied_on > 0\"\npassed = \"An offer counted then.\"\nfailed = \"An offer counted for nothing then.\"\n\n[[criteria]]\nid = \"has_visa\"",
            1,
        );
    site.write("content/rules/prog.toml", &rules);
    site.write(
        "content/stream/check.md",
        "+++\ntitle = \"Check\"\ndescription = \"Check yourself.\"\n+++\n{{ checker(prog) }}\n",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let checker = site.output("stream/check/index.html");
    assert!(
        checker.contains("A job offer is worth 0 points now."),
        "{checker}"
    );
    assert!(checker.contains("offer_counts"), "{checker}");
}
