//! `guide check` on fixture sites: each kind of finding, where it is reported, and whether it
//! fails the check.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::Fixture;
use guide::check::{Answer, CheckOptions, CheckReport};
use guide::{Diagnostic, Severity};
use guide_rules::Date as Day;

fn day(iso: &str) -> Day {
    Day::parse(iso).unwrap()
}

fn options(site: &Fixture, today: &str) -> CheckOptions {
    let mut options = CheckOptions::new(site.options());
    options.today = Some(day(today));
    options
}

fn check_on(site: &Fixture, today: &str) -> CheckReport {
    guide::check::check(&options(site, today)).unwrap_or_else(|e| panic!("{e}"))
}

fn check(site: &Fixture) -> CheckReport {
    check_on(site, "2026-06-01")
}

/// The one finding whose message contains `part`.
fn finding<'r>(report: &'r CheckReport, part: &str) -> &'r Diagnostic {
    let matching: Vec<&Diagnostic> = report
        .findings
        .iter()
        .filter(|f| f.message.contains(part))
        .collect();
    assert_eq!(
        matching.len(),
        1,
        "expected one finding with {part:?}, got:\n{}",
        report.render_findings()
    );
    matching[0]
}

fn assert_finding(
    report: &CheckReport,
    part: &str,
    severity: Severity,
    location: &str,
) -> Diagnostic {
    let found = finding(report, part);
    assert_eq!(found.severity, severity, "{}", found.render());
    assert_eq!(found.location(), location, "{}", found.render());
    assert!(
        found.render().starts_with(&format!("{severity}: ")),
        "{}",
        found.render()
    );
    found.clone()
}

#[test]
fn a_sound_site_passes_with_nothing_to_report() {
    let site = Fixture::new("hosting");
    let report = check(&site);
    assert!(report.findings.is_empty(), "{}", report.render_findings());
    assert_eq!(report.documents, 9, "eight pages and the 404 page");
    assert!(report.links > 20 && report.assets > 20, "{report:?}");
    assert_eq!(report.external.len(), 1);
    assert_eq!(report.external[0].url, "https://example.org/policy");
    assert_eq!(report.external[0].count, 9, "once in every page's footer");
    assert_eq!(report.external[0].answer, None, "not requested by default");
    let summary = report.summary();
    assert!(summary.contains("external links: 9 (1 unique URLs), not requested (pass --external to check them)\n  https://example.org/policy\n"), "{summary}");
    assert!(
        summary.ends_with("0 errors, 0 warnings: check passed\n"),
        "{summary}"
    );
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn a_broken_anchor_in_an_internal_link_fails_the_check_as_it_fails_the_build() {
    let site = Fixture::new("hosting");
    site.edit("content/_index.md", "#before-you-apply", "#before-you-aply");
    let errors = guide::check::check(&options(&site, "2026-06-01")).expect_err("the build fails");
    let text = errors.render();
    assert!(
        text.contains("has no heading or element with the id `before-you-aply`"),
        "{text}"
    );
    assert!(text.contains("content/_index.md:5:33"), "{text}");
}

#[test]
fn a_broken_anchor_is_reported_at_the_markdown_link_that_wrote_it() {
    let site = Fixture::new("hosting");
    // A plain relative link: a broken `@/page.md#anchor` already fails the build itself.
    site.edit(
        "content/_index.md",
        "(@/guide/steps.md#before-you-apply)",
        "(./guide/steps/#before-you-aply)",
    );
    site.edit(
        "content/guide/steps.md",
        "(#before-you-apply)",
        "(#nowhere)",
    );
    let report = check(&site);
    let found = assert_finding(
        &report,
        "broken anchor `#before-you-aply`",
        Severity::Error,
        "content/_index.md:5:33",
    );
    assert_eq!(
        found.message,
        "broken anchor `#before-you-aply` in `./guide/steps/#before-you-aply`: `guide/steps/` has no element with id `before-you-aply`"
    );
    assert_eq!(
        found.help.as_deref(),
        Some("did you mean `#before-you-apply`?")
    );
    assert!(found
        .render()
        .contains("[the steps](./guide/steps/#before-you-aply)"));
    assert_finding(
        &report,
        "broken anchor `#nowhere` in `#nowhere`",
        Severity::Error,
        "content/guide/steps.md:14:19",
    );
    assert_eq!(report.errors(), 2, "{}", report.render_findings());
}

#[test]
fn broken_links_and_missing_assets_are_reported_at_markdown_or_template_lines() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/guide/steps.md",
        "Back to [the top](#before-you-apply).",
        "Back to [the top](#before-you-apply), or [gone](../gone/).\n\n![A missing map](../map.png)",
    );
    site.edit(
        "themes/site/templates/base.html",
        "<link rel=\"icon\"",
        "<script src=\"{{ root }}missing.js\" defer></script>\n<link rel=\"icon\"",
    );
    let report = check(&site);
    assert_finding(
        &report,
        "broken link `../gone/`: there is no page or file at `guide/gone/`",
        Severity::Error,
        "content/guide/steps.md:14:49",
    );
    assert_finding(
        &report,
        "missing asset `../map.png` (in a `<img>`): there is no file `guide/map.png`",
        Severity::Error,
        "content/guide/steps.md:16:18",
    );
    let script = assert_finding(
        &report,
        "missing asset `{{ root }}missing.js` (in a `<script>`): there is no file `missing.js` in the output",
        Severity::Error,
        "themes/site/templates/base.html:8:14",
    );
    assert!(
        script.message.ends_with("(in 9 pages: 404.html, ...)"),
        "one finding for every page, whatever its depth: {}",
        script.message
    );
    assert_eq!(report.errors(), 3, "{}", report.render_findings());
}

#[test]
fn the_same_broken_link_written_twice_is_reported_at_each_line() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/guide/steps.md",
        "Back to [the top](#before-you-apply).",
        "See [the list](../gone/).\n\nAgain, [the list](../gone/).",
    );
    let report = check(&site);
    let lines: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.message.starts_with("broken link `../gone/`"))
        .map(Diagnostic::location)
        .collect();
    assert_eq!(
        lines,
        [
            "content/guide/steps.md:14:16",
            "content/guide/steps.md:16:19"
        ],
        "{}",
        report.render_findings()
    );
}

#[test]
fn html_written_in_markdown_is_reported_at_its_markdown_line() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/guide/steps.md",
        "Back to [the top](#before-you-apply).",
        "A `raw.png` and <img src=\"raw.png\"> in a line.",
    );
    let report = check(&site);
    assert_finding(
        &report,
        "image `raw.png` has no alt attribute",
        Severity::Error,
        "content/guide/steps.md:14:27",
    );
}

#[test]
fn links_leaving_the_site_or_missing_their_slash_are_caught() {
    let site = Fixture::new("hosting");
    site.edit(
        "themes/site/templates/base.html",
        "<footer>",
        "<footer><a href=\"/elsewhere/\">Elsewhere</a> <a href=\"{{ root }}guide\">Guide</a> ",
    );
    let report = check(&site);
    assert_finding(
        &report,
        "link `/elsewhere/` leaves the site: it is an absolute path outside the site's base path `/guides/fixture/`",
        Severity::Error,
        "themes/site/templates/base.html:19:18",
    );
    let slash = assert_finding(
        &report,
        "link `{{ root }}guide` names a folder without its trailing `/`",
        Severity::Warning,
        "themes/site/templates/base.html:19:54",
    );
    assert_eq!(slash.help.as_deref(), Some("write `{{ root }}guide/`"));
}

#[test]
fn images_without_alt_text_are_errors() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/guide/steps.md",
        "![A bar chart of applications by month]",
        "![]",
    );
    site.edit(
        "themes/site/templates/base.html",
        "<footer>",
        "<footer><img src=\"{{ root }}favicon.svg\"> <img src=\"{{ root }}favicon.svg\" alt=\"\">",
    );
    let report = check(&site);
    assert_finding(
        &report,
        "image `../chart.png` has no alt text",
        Severity::Error,
        "content/guide/steps.md:12:1",
    );
    let template = assert_finding(
        &report,
        "image `{{ root }}favicon.svg` has no alt attribute",
        Severity::Error,
        "themes/site/templates/base.html:19:19",
    );
    assert!(template
        .render()
        .contains("a purely decorative image takes `alt=\"\"`"));
    assert_eq!(
        report.errors(),
        2,
        "an empty alt attribute is a decorative image: {}",
        report.render_findings()
    );
}

#[test]
fn a_missing_description_warns_and_a_missing_title_fails() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/about.md",
        "description = \"Who writes this guide.\"\n",
        "",
    );
    let report = check(&site);
    assert_finding(
        &report,
        "page has no description",
        Severity::Warning,
        "content/about.md:1:1",
    );
    assert_eq!(report.errors(), 0, "a warning alone does not fail");
    assert!(report
        .summary()
        .ends_with("0 errors, 1 warning: check passed\n"));

    site.edit("content/about.md", "title = \"About\"\n", "");
    let report = check(&site);
    assert_finding(
        &report,
        "page has no title",
        Severity::Error,
        "content/about.md:1:1",
    );

    site.edit(
        "themes/site/templates/base.html",
        "<meta name=\"description\"",
        "<meta name=\"x-description\"",
    );
    let report = check(&site);
    let head = assert_finding(
        &report,
        "9 rendered pages lack a `<meta name=\"description\">`",
        Severity::Warning,
        "themes/site/templates",
    );
    assert!(
        head.message.ends_with(
            "404.html, about/index.html, guide/index.html, guide/steps/index.html, index.html and 4 more"
        ),
        "{}",
        head.message
    );
}

#[test]
fn stale_and_unverified_facts_are_listed_at_their_lines() {
    let site = Fixture::new("hosting");
    site.write(
        "content/facts/prog.toml",
        &(site.read("content/facts/prog.toml")
            + "\n[unverified]\nlabel = \"Unverified\"\nvalue = 3\n"),
    );
    let report = check_on(&site, "2027-03-01");
    let stale = assert_finding(
        &report,
        "fact `prog.cap` was last verified on 2026-01-15, 410 days ago (more than 365): re-verify it",
        Severity::Warning,
        "content/facts/prog.toml:5:1",
    );
    assert!(stale.render().contains("verified = 2026-01-15"));
    assert_finding(
        &report,
        "fact `prog.opened_on` was last verified",
        Severity::Warning,
        "content/facts/prog.toml:11:1",
    );
    assert_finding(
        &report,
        "fact `prog.unverified` has never been verified",
        Severity::Warning,
        "content/facts/prog.toml:13:1",
    );
    assert_eq!(report.errors(), 0);

    let mut longer = options(&site, "2027-03-01");
    longer.stale_after_days = Some(500);
    let report = guide::check::check(&longer).unwrap();
    assert_eq!(
        report.warnings(),
        1,
        "only the unverified fact: {}",
        report.render_findings()
    );

    site.edit(
        "site.toml",
        "stale_after_days = 365",
        "stale_after_days = 30",
    );
    let report = check_on(&site, "2026-03-01");
    assert_eq!(report.stale_after_days, 30);
    finding(
        &report,
        "fact `prog.cap` was last verified on 2026-01-15, 45 days ago (more than 30)",
    );
}

#[test]
fn fact_findings_stay_at_their_fact_when_its_header_and_keys_appear_earlier_as_text() {
    let site = Fixture::new("hosting");
    // A note that quotes, at the start of its lines, the headers and the `verified` key of
    // the facts after it.
    let intro = "[intro]\nlabel = \"Intro\"\nvalue = 1\nverified = 2027-02-01\nnote = \"\"\"\n[cap]\nverified = soon\n[unverified]\n\"\"\"\n\n";
    site.write(
        "content/facts/prog.toml",
        &(intro.to_string()
            + &site.read("content/facts/prog.toml")
            + "\n[unverified]\nlabel = \"Unverified\"\nvalue = 3\n"),
    );
    let report = check_on(&site, "2027-03-01");
    let stale = assert_finding(
        &report,
        "fact `prog.cap` was last verified on 2026-01-15",
        Severity::Warning,
        "content/facts/prog.toml:15:1",
    );
    assert!(stale.render().contains("verified = 2026-01-15"));
    assert_finding(
        &report,
        "fact `prog.unverified` has never been verified",
        Severity::Warning,
        "content/facts/prog.toml:23:1",
    );
}

#[test]
fn a_dated_value_with_its_own_verified_date_is_judged_on_it() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/facts/prog.toml",
        "\n[opened_on]",
        "[[cap.values]]\nfrom = 2024-06-01\nvalue = 12000\n\n[[cap.values]]\nfrom = 2025-01-01\nvalue = 15000\nverified = 2025-01-10\n\n[opened_on]",
    );
    let report = check_on(&site, "2026-03-01");
    let stale = assert_finding(
        &report,
        "fact `prog.cap`: the value from 2025-01-01 was last verified on 2025-01-10, 415 days ago (more than 365): re-verify it",
        Severity::Warning,
        "content/facts/prog.toml:13:1",
    );
    assert!(stale.render().contains("verified = 2025-01-10"));
    // The change without a date of its own goes with the fact's, 45 days old.
    assert_eq!(report.warnings(), 1, "{}", report.render_findings());

    let report = check_on(&site, "2025-01-09");
    finding(
        &report,
        "fact `prog.cap`: the value from 2025-01-01 is verified on 2025-01-10, a day still to come",
    );
}

#[test]
fn an_as_of_on_a_page_is_reported_when_its_check_has_gone_stale() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/about.md",
        "We write it.",
        "We write it. As of {{ fact(prog.cap, \"checked\") }}, the cap is {{ fact(prog.cap) }}.",
    );
    let report = check_on(&site, "2027-03-01");
    let claim = assert_finding(
        &report,
        "page says \"as of\" a check of `prog.cap` made on 2026-01-15, 410 days ago (more than 365)",
        Severity::Warning,
        "content/about.md:6:20",
    );
    assert!(claim.render().contains("{{ fact(prog.cap, \"checked\") }}"));
    // Only the "as of" is a dated claim: the plain fact is not reported at the page.
    assert_eq!(
        report
            .render_findings()
            .matches("page says \"as of\"")
            .count(),
        1
    );
    let fresh = check_on(&site, "2026-03-01");
    assert!(
        !fresh.render_findings().contains("page says \"as of\""),
        "{}",
        fresh.render_findings()
    );
}

/// A tiny HTTP server on loopback: `/ok` answers 200, `/gone` 404, `/slow` never answers,
/// `/no-head` refuses HEAD with 405 and takes GET. It serves `connections` requests, then stops.
fn local_server(connections: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(connections) {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut line = String::new();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                reader.read_line(&mut line).unwrap();
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                        break;
                    }
                }
                let mut parts = line.split_whitespace();
                let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
                let status = match (method, path) {
                    (_, "/slow") => {
                        std::thread::sleep(Duration::from_secs(3));
                        return;
                    }
                    ("HEAD", "/no-head") => "405 Method Not Allowed",
                    (_, "/ok" | "/no-head") => "200 OK",
                    _ => "404 Not Found",
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                );
            });
        }
    });
    format!("http://{address}")
}

#[test]
fn external_links_are_requested_only_when_asked() {
    let server = local_server(20);
    let site = Fixture::new("hosting");
    site.edit(
        "content/about.md",
        "We write it.",
        &format!(
            "We write it. Links: [ok]({server}/ok), [gone]({server}/gone), [slow]({server}/slow), [no head]({server}/no-head#part)."
        ),
    );
    let report = check(&site);
    assert_eq!(report.external.len(), 5);
    assert!(report.external.iter().all(|link| link.answer.is_none()));
    assert_eq!(report.errors(), 0);

    // Every external URL of the site must be on loopback: the fixture's source too.
    site.edit(
        "content/facts/sources.toml",
        "https://example.org/policy",
        &format!("{server}/ok"),
    );
    let mut asked = options(&site, "2026-06-01");
    asked.external = true;
    asked.timeout = Duration::from_millis(1500);
    let report = guide::check::check(&asked).unwrap();
    let answer = |path: &str| {
        report
            .external
            .iter()
            .find(|link| link.url.starts_with(&format!("{server}{path}")))
            .and_then(|link| link.answer.clone())
    };
    assert_eq!(answer("/ok"), Some(Answer::Status(200)));
    assert_eq!(answer("/gone"), Some(Answer::Status(404)));
    assert_eq!(answer("/slow"), Some(Answer::TimedOut));
    assert_eq!(
        answer("/no-head"),
        Some(Answer::Status(200)),
        "GET after a refused HEAD"
    );
    let text = site.read("content/about.md");
    let line = text.lines().nth(5).unwrap();
    let column = |path: &str| line.find(&format!("{server}{path}")).unwrap() + 1;
    assert_finding(
        &report,
        &format!("external link `{server}/gone` is broken: it answered 404"),
        Severity::Error,
        &format!("content/about.md:6:{}", column("/gone")),
    );
    assert_finding(
        &report,
        &format!("external link `{server}/slow` did not answer within 1.5 s"),
        Severity::Warning,
        &format!("content/about.md:6:{}", column("/slow")),
    );
    assert_eq!(report.errors(), 1, "{}", report.render_findings());
    let summary = report.summary();
    assert!(
        summary.contains(&format!("  404 {server}/gone\n")),
        "{summary}"
    );
    assert!(
        summary.contains(&format!("  timeout {server}/slow\n")),
        "{summary}"
    );
}

#[test]
fn the_command_fails_on_errors_only() {
    let guide = env!("CARGO_BIN_EXE_guide");
    let site = Fixture::new("hosting");
    site.edit(
        "content/about.md",
        "description = \"Who writes this guide.\"\n",
        "",
    );
    let run = |site: &Fixture, extra: &[&str]| {
        Command::new(guide)
            .arg("--root")
            .arg(site.root())
            .arg("check")
            .args(if extra.contains(&"--today") {
                &[][..]
            } else {
                &["--today", "2026-06-01"][..]
            })
            .args(extra)
            .output()
            .unwrap()
    };
    let warned = run(&site, &[]);
    let stderr = String::from_utf8_lossy(&warned.stderr);
    assert!(warned.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: page has no description\n  --> content/about.md:1:1"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&warned.stdout);
    assert!(
        stdout.ends_with("0 errors, 1 warning: check passed\n"),
        "{stdout}"
    );

    site.edit(
        "content/about.md",
        "[home page](../)",
        "[home page](../nope/)",
    );
    let failed = run(&site, &[]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: broken link `../nope/`"), "{stderr}");
    assert!(String::from_utf8_lossy(&failed.stdout).ends_with("1 error, 1 warning: check failed\n"));

    let stale = run(&site, &["--stale-after", "10"]);
    assert!(String::from_utf8_lossy(&stale.stderr).contains("fact `prog.cap` was last verified"));
    let bad_day = run(&site, &["--today", "soon"]);
    assert_eq!(bad_day.status.code(), Some(2));
    let no_such_day = run(&site, &["--today", "2026-02-30"]);
    assert_eq!(no_such_day.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&no_such_day.stderr),
        "error: --today `2026-02-30` is not a day: February 2026 has 28 days\n"
    );
}

#[test]
fn the_bundled_guide_passes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut options = CheckOptions::new(guide::BuildOptions::new(repo));
    options.today = Some(day("2026-11-21"));
    let report = guide::check::check(&options).unwrap();
    assert_eq!(report.errors(), 0, "{}", report.render_findings());
    assert!(report.documents > 20);
    assert!(!report.external.is_empty());
    // Every fact and source is written in French: no finding about one (the rules files'
    // translations are checked apart).
    let untranslated: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.message.contains("has no `fr`"))
        .filter(|f| {
            f.message.starts_with("fact ")
                || f.message.starts_with("source ")
                || f.message.starts_with("the value of fact ")
        })
        .map(|f| f.render())
        .collect();
    assert!(untranslated.is_empty(), "{untranslated:#?}");
}

#[test]
fn script_and_data_urls_are_errors_at_the_line_that_wrote_them() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/guide/steps.md",
        "Back to [the top](#before-you-apply).",
        "Back to [the top](#before-you-apply).\n\n\
         [Run it](https://example.org) or <a href=\"  JaVa\tScRiPt:alert(2)\">this</a>.\n\n\
         <a href=\"&#x01; vbscript:msgbox(3)\">old</a> [a page](data:text/html,hello)\n\n\
         ![A dot](data:image/png;base64,iVBORw0KGgo=)",
    );
    site.write(
        "content/facts/prog.toml",
        &(site.read("content/facts/prog.toml")
            + "\n[links]\nlabel = \"Links\"\nverified = 2026-01-15\n[[links.items]]\nname = \"Form\"\nurl = \"javascript:send()\"\n"),
    );
    site.edit(
        "themes/site/templates/page.html",
        "{{ page.content | safe }}",
        "{{ page.content | safe }}\n{% for link in facts.prog.links.items %}<a href=\"{{ link.url }}\">{{ link.name }}</a>{% endfor %}\n<img alt=\"\" src=\"VBScript:x\">",
    );
    let report = check(&site);
    // A Markdown link to `javascript:` fails the build itself: see the test below.
    assert_finding(
        &report,
        "link `  JaVa\\tScRiPt:alert(2)` runs a script",
        Severity::Error,
        "content/guide/steps.md:16:43",
    );
    assert_finding(
        &report,
        "link `\\u{1} vbscript:msgbox(3)` runs a script",
        Severity::Error,
        "content/guide/steps.md:18:17",
    );
    assert_finding(
        &report,
        "link `data:text/html,hello` is a `data:` URL",
        Severity::Error,
        "content/guide/steps.md:18:54",
    );
    assert_finding(
        &report,
        "link `javascript:send()` runs a script",
        Severity::Error,
        "content/facts/prog.toml:18:8",
    );
    assert_finding(
        &report,
        "reference `VBScript:x` runs a script",
        Severity::Error,
        "themes/site/templates/page.html:5:18",
    );
    assert_eq!(
        report.errors(),
        5,
        "an image inlined as `data:image/...` runs nothing: {}",
        report.render_findings()
    );
}

#[test]
fn a_sources_broken_address_is_found_where_the_source_defines_it() {
    let server = local_server(4);
    let site = Fixture::new("hosting");
    site.edit(
        "content/facts/sources.toml",
        "https://example.org/policy",
        &format!("{server}/gone"),
    );
    // The same address in an earlier facts file's comment is not where the source says it.
    site.write(
        "content/facts/a.toml",
        &format!("# Once cited {server}/gone here.\n[other]\nlabel = \"Other\"\nvalue = 1\nsource = \"policy\"\nverified = 2026-01-15\n"),
    );
    let mut asked = options(&site, "2026-06-01");
    asked.external = true;
    asked.timeout = Duration::from_millis(1500);
    let report = guide::check::check(&asked).unwrap();
    assert_finding(
        &report,
        &format!("external link `{server}/gone` is broken: it answered 404"),
        Severity::Error,
        "content/facts/sources.toml:3:8",
    );
}

#[test]
fn a_markdown_link_that_would_run_a_script_fails_the_build_and_check_at_its_place() {
    let site = Fixture::new("hosting");
    site.edit(
        "content/guide/steps.md",
        "Back to [the top](#before-you-apply).",
        "Back to [the top](#before-you-apply).\n\n\
         [Run it](javascript:alert(1)) and ![a dot](  JavaScript:x)",
    );
    let (diagnostics, text) = site.build_error();
    let messages: Vec<String> = diagnostics
        .iter()
        .map(|found| format!("{} {}", found.location(), found.message))
        .collect();
    assert_eq!(
        messages,
        [
            "content/guide/steps.md:16:10 the link `javascript:alert(1)` would run a script",
            "content/guide/steps.md:16:46 the link `JavaScript:x` would run a script",
        ],
        "{text}"
    );
    assert!(text.contains("[Run it](javascript:alert(1))"), "{text}");
    assert!(text.contains("https://"), "{text}");
    let refused = guide::check::check(&options(&site, "2026-06-01"))
        .expect_err("check fails as the build does");
    assert!(
        refused.to_string().contains("would run a script"),
        "{refused}"
    );
}

/// A copy of the bundled guide (site, content and theme) to edit.
fn bundled_copy() -> Fixture {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        crate::common::copy_tree(&repo.join(part), &dir.path().join(part));
    }
    std::fs::copy(repo.join("site.toml"), dir.path().join("site.toml")).unwrap();
    Fixture { dir }
}

#[test]
fn a_source_at_a_path_within_the_site_is_linked_from_each_page_as_that_page_reaches_it() {
    // The guide lives under a subpath (`/guides/tech-talent/`): a source written as
    // `/docs/after.pdf` is the site's own file, reached as `../docs/after.pdf` from the
    // sources page, never as `/docs/after.pdf` on the host's root.
    let site = bundled_copy();
    site.edit(
        "content/facts/sources.toml",
        "url = \"https://www.canada.ca/en/immigration-refugees-citizenship/services/work-canada/permit/h1b/after.html\"",
        "url = \"/docs/after.pdf\"",
    );
    site.write("static/docs/after.pdf", "%PDF-1.4\n");
    let report = check_on(&site, "2026-11-21");
    assert_eq!(report.errors(), 0, "{}", report.render_findings());
    let about_it: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.message.contains("after.pdf"))
        .map(|f| f.render())
        .collect();
    assert!(about_it.is_empty(), "{about_it:#?}");
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let sources = site.output("sources/index.html");
    assert!(sources.contains("href=\"../docs/after.pdf\""), "{sources}");
    assert!(!sources.contains("href=\"/docs/after.pdf\""), "{sources}");
    let french_sources = site.output("fr/sources/index.html");
    assert!(french_sources.contains("href=\"../../docs/after.pdf\""));
    // The checker is one body for every page that embeds it: there the source is named, and
    // the sources page links it.
    let check_page = site.output("check/index.html");
    assert!(!check_page.contains("docs/after.pdf\""), "{check_page}");
    assert!(check_page.contains("H-1B open work permit: after you apply"));
}

#[test]
fn a_source_at_a_missing_path_of_the_site_is_found_where_the_source_is_defined() {
    let site = bundled_copy();
    site.edit(
        "content/facts/sources.toml",
        "url = \"https://www.canada.ca/en/immigration-refugees-citizenship/services/work-canada/permit/h1b/after.html\"",
        "url = \"/docs/missing.pdf\"",
    );
    let report = check_on(&site, "2026-11-21");
    let missing: Vec<&Diagnostic> = report
        .findings
        .iter()
        .filter(|f| f.message.contains("docs/missing.pdf"))
        .collect();
    assert!(!missing.is_empty(), "{}", report.render_findings());
    for finding in missing {
        assert_eq!(
            finding.location(),
            "content/facts/sources.toml:25:8",
            "{}",
            finding.render()
        );
    }
}

#[test]
fn a_source_path_that_a_page_would_read_against_itself_or_another_host_is_an_error() {
    for (url, cause) in [
        ("docs/after.pdf", "is relative to each page that cites it"),
        (
            "//example.net/after.html",
            "names another host without a scheme",
        ),
        (
            "/\\\\example.net/after.html",
            "names another host without a scheme",
        ),
        ("/../outside.pdf", "climbs out of the site with `..`"),
        (
            "/docs/../../outside.pdf",
            "climbs out of the site with `..`",
        ),
    ] {
        let site = bundled_copy();
        site.edit(
            "content/facts/sources.toml",
            "url = \"https://www.canada.ca/en/immigration-refugees-citizenship/services/work-canada/permit/h1b/after.html\"",
            &format!("url = \"{url}\""),
        );
        let (diagnostics, text) = site.build_error();
        assert_eq!(diagnostics.len(), 1, "{url}: {text}");
        assert!(text.contains(cause), "{url}: {text}");
        assert!(
            text.contains("content/facts/sources.toml:25:7"),
            "{url}: {text}"
        );
        assert!(
            text.contains("write a path from the site's root, such as `/docs/rules.pdf`, or an `https://` address"),
            "{url}: {text}"
        );
    }
}
