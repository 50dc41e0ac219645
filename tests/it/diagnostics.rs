//! Bad input, as data: each case edits the `basic` fixture one way, and the whole rendered
//! error of the failed build is compared with its snapshot in `snapshots/`, so a change to a
//! message, a caret, a label or a hint shows up in review.

use crate::common::Fixture;

/// One way of breaking a site: the file to change, and what to put in it.
enum Edit {
    /// Replace the first `from` in the file with `to`.
    Replace(&'static str, &'static str, &'static str),
    /// Write the whole file.
    Write(&'static str, &'static str),
}

const CASES: &[(&str, &[Edit])] = &[
    (
        "slug_leaving_its_folder",
        &[Edit::Replace(
            "content/stream/cap.md",
            "slug = \"the-cap\"",
            "slug = \"../../x\"",
        )],
    ),
    (
        "slug_a_host_cannot_serve",
        &[Edit::Replace(
            "content/stream/cap.md",
            "slug = \"the-cap\"",
            "slug = \"the cap?\"",
        )],
    ),
    (
        "two_pages_at_one_path",
        &[Edit::Write(
            "content/stream/other.md",
            "+++\ntitle = \"Other\"\nslug = \"the-cap\"\n+++\nText.\n",
        )],
    ),
    (
        "copied_file_in_a_pages_place",
        &[Edit::Write(
            "content/stream/the-cap/index.html",
            "<p>copied</p>\n",
        )],
    ),
    (
        "unknown_fact",
        &[Edit::Replace(
            "content/stream/cap.md",
            "fact(prog.cap)",
            "fact(prog.cpa)",
        )],
    ),
    (
        "missing_page_link",
        &[Edit::Replace(
            "content/stream/cap.md",
            "The hubs:",
            "See [the form](@/stream/nope.md). The hubs:",
        )],
    ),
    (
        "missing_image",
        &[Edit::Replace(
            "content/stream/cap.md",
            "The hubs:",
            "![a chart](@/stream/nope.svg) The hubs:",
        )],
    ),
    (
        "front_matter_not_toml",
        &[Edit::Replace(
            "content/stream/cap.md",
            "weight = 10",
            "weight = ",
        )],
    ),
    (
        "source_url_running_script",
        &[Edit::Replace(
            "content/facts/prog.toml",
            "url = \"https://example.org/news\"",
            "url = \"javascript:alert(1)\"",
        )],
    ),
    (
        "dated_value_of_another_type",
        &[Edit::Replace(
            "content/facts/prog.toml",
            "\n[hubs]",
            "\n[[cap.values]]\nfrom = 2025-03-25\nvalue = \"none\"\n\n[hubs]",
        )],
    ),
    (
        "dated_values_out_of_order",
        &[Edit::Replace(
            "content/facts/prog.toml",
            "\n[hubs]",
            "\n[[cap.values]]\nfrom = 2025-03-25\nvalue = 0\n\n[[cap.values]]\nfrom = 2024-01-01\nvalue = 1\n\n[hubs]",
        )],
    ),
    (
        "unknown_site_key",
        &[Edit::Replace(
            "site.toml",
            "theme = \"plain\"",
            "theme = \"plain\"\nthem = \"x\"",
        )],
    ),
    (
        "template_including_itself",
        &[Edit::Replace(
            "themes/plain/templates/page.html",
            "{% block content %}",
            "{% block content %}{% include \"page.html\" %}",
        )],
    ),
    (
        "facts_file_named_with_a_dot",
        &[Edit::Write(
            "content/facts/a.b.toml",
            "[x]\nlabel = \"X\"\nvalue = 1\nsource = \"policy\"\nverified = 2026-11-01\n",
        )],
    ),
    (
        "fact_named_with_a_dot",
        &[Edit::Replace(
            "content/facts/prog.toml",
            "[opened_on]",
            "[\"a.b\"]\nlabel = \"A\"\nvalue = 1\nsource = \"policy\"\nverified = 2026-11-01\n\n[opened_on]",
        )],
    ),
    (
        "folder_inside_the_facts_folder",
        &[Edit::Write(
            "content/facts/more/x.toml",
            "[x]\nlabel = \"X\"\nvalue = 1\nsource = \"policy\"\nverified = 2026-11-01\n",
        )],
    ),
    (
        "fact_value_not_a_number",
        &[Edit::Replace(
            "content/facts/prog.toml",
            "[opened_on]",
            "[ratio]\nlabel = \"Ratio\"\nvalue = nan\nsource = \"policy\"\nverified = 2026-11-01\n\n[opened_on]",
        )],
    ),
    (
        "fact_date_in_the_year_0",
        &[Edit::Replace(
            "content/facts/prog.toml",
            "value = 2023-07-16",
            "value = 0000-01-01",
        )],
    ),
    (
        "fact_text_empty",
        &[Edit::Replace(
            "content/facts/prog.toml",
            "[opened_on]",
            "[note]\nlabel = \"Note\"\nvalue = \"\"\nsource = \"policy\"\nverified = 2026-11-01\n\n[opened_on]",
        )],
    ),
    (
        "front_matter_never_closed",
        &[Edit::Write(
            "content/stream/open.md",
            "+++\ntitle = \"Open\"\n\nThe body, with no closing line above it.\n",
        )],
    ),
    (
        "front_matter_opened_wrongly",
        &[Edit::Write(
            "content/stream/open.md",
            "++++\ntitle = \"Open\"\n+++\nThe body.\n",
        )],
    ),
    (
        "unknown_template_filter",
        &[Edit::Replace(
            "themes/plain/templates/page.html",
            "{{ page.title }}",
            "{{ page.title | shout }}",
        )],
    ),
];

#[test]
fn every_case_reports_its_snapshot() {
    let mut failures = Vec::new();
    for (name, edits) in CASES {
        let site = Fixture::new("basic");
        for edit in *edits {
            match edit {
                Edit::Replace(file, from, to) => site.edit(file, from, to),
                Edit::Write(file, text) => site.write(file, text),
            }
        }
        let (_, rendered) = site.build_error();
        let outcome = std::panic::catch_unwind(|| {
            insta::with_settings!({ snapshot_suffix => *name, prepend_module_to_snapshot => false }, {
                insta::assert_snapshot!("build_error", rendered);
            });
        });
        if outcome.is_err() {
            failures.push(*name);
        }
    }
    assert!(failures.is_empty(), "snapshots differ: {failures:?}");
}
