//! Input nested without end is an error with a place, never a stack overflow: rules
//! conditions too deep, templates that include each other in a circle, a macro that calls
//! itself on every call. A macro that calls itself to a sane depth renders.

use std::process::{Command, Output, Stdio};

use crate::common::Fixture;

const RULES: &str = include_str!("../fixtures/rules/prog.toml");

/// The `basic` fixture with `content/rules/prog.toml`.
fn site_with_rules() -> Fixture {
    let site = Fixture::new("basic");
    site.write("content/rules/prog.toml", RULES);
    site
}

fn guide(site: &Fixture, arguments: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guide"));
    command
        .arg("--root")
        .arg(site.root())
        .args(arguments)
        .stdin(Stdio::null());
    command.output().expect("guide runs")
}

#[test]
fn a_rules_condition_nested_thousands_deep_fails_every_command_with_its_place() {
    let site = site_with_rules();
    let nested = format!(
        "{}holds_visa{}",
        "holds_visa and (".repeat(4_499),
        ")".repeat(4_499)
    );
    site.edit(
        "content/rules/prog.toml",
        "condition = \"holds_visa\"",
        &format!("condition = \"{nested}\""),
    );
    let answers = site.path("answers.json");
    std::fs::write(&answers, "{}").unwrap();
    let answers = answers.to_string_lossy().into_owned();
    for arguments in [
        vec!["build"],
        vec!["check"],
        vec!["eval", "prog", "--answers", answers.as_str()],
    ] {
        let output = guide(&site, &arguments);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{arguments:?}: {stderr}");
        assert!(stderr.contains("too deep"), "{arguments:?}: {stderr}");
        // The 4,244th `and` of 4,499 builds the 257th level from the inside.
        let column = 14 + "holds_visa and (".len() * 4_243 + "holds_visa ".len();
        assert!(
            stderr.contains(&format!("content/rules/prog.toml:30:{column}")),
            "{arguments:?}: {stderr}"
        );
    }
}

#[test]
fn a_template_including_itself_is_an_error_at_the_include() {
    let site = Fixture::new("basic");
    site.write(
        "themes/plain/templates/partials/toc.html",
        "<ul>\n{% for h in page.toc %}<li>{% include \"partials/toc.html\" %}</li>{% endfor %}</ul>\n",
    );
    site.edit(
        "themes/plain/templates/page.html",
        "{{ page.content | safe }}",
        "{% include \"partials/toc.html\" %}{{ page.content | safe }}",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.0.len(), 1, "{text}");
    assert!(
        text.contains("template `partials/toc.html` includes itself"),
        "{text}"
    );
    assert!(
        text.contains("themes/plain/templates/partials/toc.html:2:39"),
        "{text}"
    );
    assert!(text.contains("macro that calls itself"), "{text}");
}

#[test]
fn templates_including_each_other_are_an_error_naming_the_circle() {
    let site = Fixture::new("basic");
    site.write("themes/plain/templates/a.html", "{% include \"b.html\" %}");
    site.write(
        "themes/plain/templates/b.html",
        "<p>\n  {%- include 'a.html' -%}\n</p>",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("templates include each other in a circle: a.html → b.html → a.html"),
        "{text}"
    );
    assert!(
        text.contains("themes/plain/templates/a.html:1:12"),
        "{text}"
    );
}

/// Tera follows `extends` until it comes back to the template it started from, so a chain that
/// runs into a circle elsewhere would recurse until the stack ran out: the circle must be found
/// before Tera links the templates.
#[test]
fn a_template_extending_into_a_circle_is_an_error_naming_it_not_a_crash() {
    let site = Fixture::new("basic");
    site.write("themes/plain/templates/a.html", "{% extends \"b.html\" %}");
    site.write("themes/plain/templates/b.html", "{% extends \"c.html\" %}");
    site.write("themes/plain/templates/c.html", "{% extends \"b.html\" %}");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.0.len(), 1, "{text}");
    assert!(
        text.contains("templates include each other in a circle: b.html → c.html → b.html"),
        "{text}"
    );
}

#[test]
fn a_template_extending_one_that_is_missing_is_an_error_for_the_theme() {
    let site = Fixture::new("basic");
    site.write(
        "themes/plain/templates/a.html",
        "{% extends \"missing.html\" %}",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.0.len(), 1, "{text}");
    assert!(
        text.contains("`a.html` names the template `missing.html`, which the theme does not have"),
        "{text}"
    );
    assert!(
        text.contains("themes/plain/templates/a.html:1:12"),
        "{text}"
    );
}

#[test]
fn a_syntax_error_is_reported_in_its_own_file_before_how_templates_fit() {
    let site = Fixture::new("basic");
    site.write(
        "themes/plain/templates/a.html",
        "{% extends \"missing.html\" %}",
    );
    site.write("themes/plain/templates/b.html", "<p>\n{{ page.title </p>\n");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.0.len(), 1, "{text}");
    assert!(text.contains("themes/plain/templates/b.html:2:"), "{text}");
    assert!(!text.contains("do not fit together"), "{text}");
}

/// A macro that nests `levels` lists, one call per level, as a table of contents does.
const NESTED_LISTS: &str = "{% macro nest(level, last) %}<ul><li>level {{ level }}\
{% if level < last %}{{ self::nest(level=level + 1, last=last) }}{% endif %}</li></ul>\
{% endmacro nest %}";

const RECURSION_DEPTH: usize = 200;

/// The `basic` fixture whose page template imports `macros` (as `macros.html`) and writes
/// `call` before the page's content.
fn site_calling_a_macro(macros: &str, call: &str) -> Fixture {
    let site = Fixture::new("basic");
    site.write("themes/plain/templates/macros.html", macros);
    site.edit(
        "themes/plain/templates/page.html",
        "{% extends \"base.html\" %}",
        "{% extends \"base.html\" %}{% import \"macros.html\" as macros %}",
    );
    site.edit(
        "themes/plain/templates/page.html",
        "{{ page.content | safe }}",
        &format!("{call}{{{{ page.content | safe }}}}"),
    );
    site
}

#[test]
fn a_macro_calling_itself_two_hundred_levels_deep_renders_in_a_build() {
    let site = site_calling_a_macro(
        NESTED_LISTS,
        &format!("{{{{ macros::nest(level=1, last={RECURSION_DEPTH}) }}}}"),
    );
    site.build().unwrap_or_else(|error| panic!("{error}"));
    let html = site.output("stream/family/index.html");
    assert_eq!(html.matches("<ul><li>level").count(), RECURSION_DEPTH);
    assert!(html.contains(&format!("level {RECURSION_DEPTH}</li></ul>")));
}

/// Runs `command` on `site`: it must fail (exit 1, not abort) with every text of `said` in
/// what it prints, and none of `unsaid`.
fn fails_saying(site: &Fixture, command: &str, said: &[&str], unsaid: &[&str]) {
    let output = guide(site, &[command]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{command}: {stderr}");
    for text in said {
        assert!(stderr.contains(text), "{command}: no {text:?} in {stderr}");
    }
    for text in unsaid {
        assert!(!stderr.contains(text), "{command}: {text:?} in {stderr}");
    }
}

/// A macro whose recursion never stops: it calls itself under a condition that always holds.
const RUNAWAY_MACRO: &str =
    "{% macro f(n) %}{% if n > 0 %}<i>{{ self::f(n=n+1) }}</i>{% endif %}{% endmacro f %}\n";

#[test]
fn a_macro_calling_itself_on_every_call_fails_the_build_at_its_name_without_aborting() {
    let site = site_calling_a_macro(
        "{% macro f(n) %}{{ self::f(n=n+1) }}{% endmacro f %}\n",
        "{{ macros::f(n=1) }}",
    );
    for command in ["build", "check"] {
        fails_saying(
            &site,
            command,
            &[
                "the macro `f` calls itself on every call, so it never ends",
                "themes/plain/templates/macros.html:1:10",
            ],
            &[],
        );
    }
}

/// Recursion under a condition that never stops it: no check before rendering can tell it
/// from one that does, so it is stopped while it renders, before the stack runs out.
#[test]
fn a_macro_whose_recursion_never_stops_fails_the_build_at_its_name_without_aborting() {
    let site = site_calling_a_macro(RUNAWAY_MACRO, "{{ macros::f(n=1) }}");
    for command in ["build", "check"] {
        fails_saying(
            &site,
            command,
            &[
                "the macro `f` of `macros.html` calls itself deeper than the stack allows",
                // At the macro's definition, and naming a page that calls it.
                "themes/plain/templates/macros.html:1:10",
                "content/stream/",
            ],
            // Tera's links between the page and the macro are not the author's business.
            &["__guide"],
        );
    }
    assert!(!site.path("public").exists());
}

#[test]
fn a_macro_whose_recursion_never_stops_in_a_shortcode_fails_the_build_without_aborting() {
    let site = Fixture::new("basic");
    site.write(
        "themes/plain/templates/shortcodes/deep.html",
        "{% import \"macros.html\" as macros %}{{ macros::f(n=1) }}",
    );
    site.write("themes/plain/templates/macros.html", RUNAWAY_MACRO);
    site.edit(
        "content/stream/family.md",
        "\n+++\n",
        "\n+++\n{{ deep() }}\n",
    );
    fails_saying(
        &site,
        "build",
        &["the macro `f` of `macros.html` calls itself deeper than the stack allows"],
        &["__guide"],
    );
}

#[test]
fn a_page_nested_too_deep_to_minify_is_built_as_written_with_a_warning() {
    let site = Fixture::new("basic");
    let levels = 100_000;
    site.write(
        "content/deep.md",
        &format!(
            "+++\ntitle = \"Deep\"\n+++\n\n{}deep{}\n",
            "<div>".repeat(levels),
            "</div>".repeat(levels)
        ),
    );
    let output = guide(&site, &["build", "--minify"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("deep/index.html") && stderr.contains("left unminified"),
        "{stderr}"
    );
    let html = site.output("deep/index.html");
    assert_eq!(html.matches("<div>").count(), levels);
    // The other pages are minified all the same.
    assert!(!site.output("stream/family/index.html").contains("\n  "));
}
