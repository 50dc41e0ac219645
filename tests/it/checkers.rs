//! The checker in a page: its HTML, its scripts, and what broken rules report.

use crate::common::Fixture;
use base64::Engine as _;

const RULES: &str = include_str!("../fixtures/rules/prog.toml");

/// The `basic` fixture with `content/rules/prog.toml` and a page embedding its checker.
fn site_with_checker() -> Fixture {
    let site = Fixture::new("basic");
    site.write("content/rules/prog.toml", RULES);
    site.write(
        "content/stream/check.md",
        "+++\ntitle = \"Check\"\ndescription = \"Check yourself.\"\n+++\nAnswer below.\n\n{{ checker(prog) }}\n\nAfter.\n",
    );
    site
}

#[test]
fn the_checker_renders_an_accessible_form_results_and_a_checklist() {
    let site = site_with_checker();
    let report = site.build().unwrap();
    assert_eq!(report.checkers, 1);
    let html = site.output("stream/check/index.html");
    assert!(
        !html.contains("<p><section"),
        "the checker replaces its paragraph: {html}"
    );
    assert!(
        html.contains(r#"<section class="checker" id="checker-prog" data-checker="prog" data-formats="{&quot;date&quot;:&quot;{month} {day}, {year}&quot;,&quot;months&quot;:[&quot;January&quot;,"#),
        "{html}"
    );
    // GOV.UK's error summary, empty until the reader asks for a result.
    assert!(html.contains("<div class=\"checker-error-summary\" tabindex=\"-1\" data-search-ignore hidden>\n<div role=\"alert\">\n<h2>There is a problem</h2>\n<ul></ul>"), "{html}");
    // No browser bubbles: the script checks the answers.
    assert!(html.contains(
        r#"<form class="checker-form" aria-label="Eligibility checker" novalidate hidden>"#
    ));
    assert!(!html.contains(" required"), "{html}");
    // A date is a group of day, month and year, each a plain text field with its label.
    assert!(
        html.contains(r#"<fieldset class="checker-question" data-question="applied_on" data-missing="Enter a date for “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly”" data-invalid="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must be a real date" data-future="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must be today or in the past" data-short-year="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include the year in 4 digits" data-missing-day="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include a day" data-missing-day-month="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include a day and month" data-missing-day-year="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include a day and year" data-missing-month="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include a month" data-missing-month-year="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include a month and year" data-missing-year="The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include a year" aria-describedby="checker-prog-applied_on-help checker-prog-applied_on-hint">"#),
        "question text is escaped: {html}"
    );
    assert!(
        html.contains(
            "<legend>When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly</legend>"
        ),
        "{html}"
    );
    for (part, label) in [("day", "Day"), ("month", "Month"), ("year", "Year")] {
        assert!(html.contains(&format!(
            r#"<label for="checker-prog-applied_on-{part}">{label}</label><input type="text" inputmode="numeric" id="checker-prog-applied_on-{part}" name="applied_on-{part}" data-part="{part}">"#
        )), "{html}");
    }
    assert!(!html.contains("type=\"date\""));
    assert!(html.contains(
        r#"<p class="checker-help" id="checker-prog-applied_on-help">The day you sent it.</p>"#
    ));
    assert!(html.contains(r#"<p class="checker-error" id="checker-prog-applied_on-error" data-search-ignore hidden><span class="visually-hidden">Error:</span> <span data-message></span></p>"#), "{html}");
    assert!(html.contains("<legend>Do you hold the visa?</legend>"));
    assert!(html.contains(r#"data-missing="Select an answer to “Do you hold the visa?”""#));
    assert!(html.contains(r#"<input type="radio" id="checker-prog-holds_visa-yes" name="holds_visa" value="yes"><label for="checker-prog-holds_visa-yes">Yes</label>"#), "{html}");
    assert!(html.contains("<button type=\"submit\">Show my result</button>"));
    assert!(html.contains(
        r#"<div class="checker-result" role="status" aria-live="polite" data-search-ignore>"#
    ));
    assert!(html.contains(
        r#"<div class="checker-outcome" data-outcome="closed" data-tone="neutral" hidden>"#
    ));
    assert!(html.contains(
        r#"<div class="checker-outcome" data-outcome="eligible" data-tone="positive" hidden>"#
    ));
    assert!(
        html.contains("<h2 tabindex=\"-1\">It closed on July 17, 2023</h2>"),
        "facts fill texts; the result's heading takes focus: {html}"
    );
    assert!(html.contains(r#"Your permit would run to <span data-value="ends_on"></span>."#));
    let source = r#" <span class="checker-source">(Source: <a href="https://example.org/policy">The public policy</a>)</span>"#;
    assert!(html.contains(&format!(r#"<li data-criterion="while_open" hidden>It was open from July 16, 2023 to July 17, 2023.{source}</li>"#)), "{html}");
    // What was met, with its source, for good news.
    assert!(
        html.contains(
            "<div class=\"checker-met\" hidden>\n<p>You meet each of these conditions:</p>"
        ),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            r#"<li data-met="while_open" data-reads="applied_on" hidden>You applied while it was open.{source}</li>"#
        )),
        "{html}"
    );
    assert!(html.contains("<p>These conditions are not met:</p>"));
    assert!(
        html.contains("<p>To qualify, each of these must be true:</p>"),
        "present tense by default: {html}"
    );
    assert!(html.contains("<strong>You held the visa.</strong> <span class=\"checker-if-not\">If not: You needed the visa.</span>"));
    assert!(html.contains("<p>After.</p>"));
}

#[test]
fn a_rules_file_in_the_past_tense_gets_the_strings_of_the_past() {
    let site = site_with_checker();
    site.write(
        "content/rules/prog.toml",
        &format!("tense = \"past\"\n{RULES}"),
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let html = site.output("stream/check/index.html");
    assert!(
        html.contains("<p>To qualify, each of these had to be true:</p>"),
        "{html}"
    );
    assert!(
        html.contains("<p>You met each of these conditions:</p>"),
        "{html}"
    );
    assert!(
        html.contains("<p>These conditions were not met:</p>"),
        "{html}"
    );
    assert!(
        html.contains("Show my result"),
        "words without a tense stay: {html}"
    );
}

#[test]
fn an_unknown_tense_is_an_error_naming_the_allowed_ones() {
    let site = site_with_checker();
    site.write(
        "content/rules/prog.toml",
        &format!("tense = \"future\"\n{RULES}"),
    );
    let (_, text) = site.build_error();
    assert!(text.contains("content/rules/prog.toml:1:9"), "{text}");
    assert!(
        text.contains("`present`") && text.contains("`past`"),
        "{text}"
    );
}

#[test]
fn a_theme_translates_the_checkers_wording_and_may_replace_its_template() {
    let site = site_with_checker();
    site.write(
        "themes/plain/strings.toml",
        "[checker]\nsubmit = \"Voir mon résultat\"\nyes = \"Oui\"\n[checker.present]\nchecklist = \"Pour être admissible :\"\n",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let html = site.output("stream/check/index.html");
    assert!(
        html.contains("<button type=\"submit\">Voir mon résultat</button>"),
        "{html}"
    );
    assert!(
        html.contains("<label for=\"checker-prog-holds_visa-yes\">Oui</label>"),
        "{html}"
    );
    assert!(html.contains("<p>Pour être admissible :</p>"), "{html}");
    assert!(
        html.contains("<label for=\"checker-prog-holds_visa-no\">No</label>"),
        "strings it leaves out keep the default: {html}"
    );

    site.write(
        "themes/plain/templates/checker.html",
        "<div class=\"mine\" data-checker=\"{{ checker.id }}\">{% for q in checker.questions %}<p>{{ q.text }}</p>{% endfor %}{{ s.submit }}</div>",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let html = site.output("stream/check/index.html");
    assert!(html.contains("<div class=\"mine\" data-checker=\"prog\"><p>When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly</p><p>Do you hold the visa?</p>Voir mon résultat</div>"), "{html}");

    site.write("themes/plain/strings.toml", "[checker\n");
    let (_, text) = site.build_error();
    assert!(text.contains("themes/plain/strings.toml:1:9"), "{text}");
    assert!(text.contains("invalid theme strings"), "{text}");
}

#[test]
fn a_themes_checker_string_the_checker_never_reads_or_a_placeholder_nothing_fills_is_an_error() {
    let site = site_with_checker();
    site.write(
        "themes/plain/strings.toml",
        "[checker]\nsubmit = \"Voir mon résultat\"\nsubmitt = \"x\"\n",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.0.len(), 1, "{text}");
    assert!(
        text.contains("the checker reads no string `checker.submitt`"),
        "{text}"
    );
    assert!(text.contains("did you mean `submit`?"), "{text}");
    assert!(text.contains("themes/plain/strings.toml:3:1"), "{text}");
    // In a group, and in a tense's strings.
    site.write(
        "themes/plain/strings.toml",
        "[checker.past]\nchecklst = \"x\"\n",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("`checker.past.checklst`"), "{text}");
    // A tense's strings may give any string of [checker], for that tense only.
    site.write(
        "themes/plain/strings.toml",
        "[checker.present]\nsubmit = \"Check now\"\n[checker.present.date_missing]\nday = \"{name} needs a day\"\n",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    site.write(
        "themes/plain/strings.toml",
        "[checker]\nmissing_number = { en = \"Enter a number for {nope}\", fr = \"Un nombre\" }\n",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("`{nope}` in `checker.missing_number` is filled by nothing"),
        "{text}"
    );
    assert!(text.contains("themes/plain/strings.toml:2:18"), "{text}");
    // Every placeholder the checker fills is taken, in any string.
    site.write(
        "themes/plain/strings.toml",
        "[checker]\nmissing_number = \"Enter {name}: {question}, {min} to {max}\"\n",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_conditional_question_says_when_to_answer_it() {
    let site = site_with_checker();
    let rules = RULES.replacen(
        "[[values]]",
        "[[questions]]\nid = \"stay_years\"\ntype = \"integer\"\nmin = 1\nmax = 1000\nask_if = \"holds_visa\"\ntext = \"How many years?\"\n\n[[questions]]\nid = \"why\"\ntype = \"integer\"\nask_if = \"not holds_visa and applied_on > 2023-01-01\"\ntext = \"Why?\"\n\n[[values]]",
        1,
    );
    let rules = rules
        .replacen(
            "holds_visa = true }",
            "holds_visa = true, stay_years = 3 }",
            1,
        )
        .replacen("holds_visa = false }", "holds_visa = false, why = 1 }", 1);
    site.write("content/rules/prog.toml", &rules);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let html = site.output("stream/check/index.html");
    assert!(html.contains("<p class=\"checker-condition\" id=\"checker-prog-stay_years-condition\">Answer only if your answer to “Do you hold the visa?” is “Yes”.</p>"), "{html}");
    assert!(html.contains("<p class=\"checker-condition\" id=\"checker-prog-why-condition\">Answer only if it applies to you.</p>"), "{html}");
    assert!(html.contains(r#"<input type="text" inputmode="numeric" id="checker-prog-stay_years" name="stay_years" aria-describedby="checker-prog-stay_years-condition">"#), "{html}");
    assert!(
        html.contains(
            r#"data-invalid="The answer to “How many years?” must be a whole number from 1 to 1,000""#
        ),
        "{html}"
    );
    assert!(
        html.contains(r#"data-invalid="The answer to “Why?” must be a whole number""#),
        "{html}"
    );
}

/// The addresses of the scripts a page loads, in its order.
fn script_sources(html: &str) -> Vec<&str> {
    html.split("<script src=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect()
}

#[test]
fn the_module_ships_in_a_fingerprinted_script_beside_the_page_script() {
    let site = site_with_checker();
    site.build().unwrap();
    let html = site.output("stream/check/index.html");
    let scripts = script_sources(&html);
    assert_eq!(scripts.len(), 2, "{html}");
    assert!(
        scripts[0].starts_with("../../checker-prog.") && scripts[0].ends_with(".js"),
        "{scripts:?}"
    );
    assert!(
        scripts[1].starts_with("../../checker.") && scripts[1].ends_with(".js"),
        "{scripts:?}"
    );
    let data = site.output(scripts[0].trim_start_matches("../../"));
    let encoded = data
        .split("\"wasm\":\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    let module = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    guide_rules::validate(&module).expect("a valid WebAssembly module");
    assert!(
        data.contains("\"outcomes\":[\"closed\",\"eligible\",\"not_eligible\"]"),
        "{data}"
    );
    let page_script = site.output(scripts[1].trim_start_matches("../../"));
    assert!(!page_script.contains("innerHTML"));
}

#[test]
fn pages_without_a_checker_load_no_checker_script() {
    let site = site_with_checker();
    site.build().unwrap();
    assert!(!site.output("stream/family/index.html").contains("checker"));
}

#[test]
fn an_unknown_checker_is_an_error_with_a_suggestion() {
    let site = site_with_checker();
    site.edit(
        "content/stream/check.md",
        "{{ checker(prog) }}",
        "{{ checker(prg) }}",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("cannot embed checker `prg`"), "{text}");
    assert!(text.contains("content/stream/check.md:7:1"), "{text}");
    assert!(text.contains("did you mean `prog`?"), "{text}");
}

#[test]
fn a_rules_error_reports_file_line_and_column() {
    let site = site_with_checker();
    site.edit(
        "content/rules/prog.toml",
        "condition = \"holds_visa\"",
        "condition = \"holds_vias\"",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("content/rules/prog.toml:30:14"), "{text}");
    assert!(
        text.contains("holds_visa"),
        "the nearest name is suggested: {text}"
    );
}

#[test]
fn a_criterion_citing_an_unknown_source_is_an_error() {
    let site = site_with_checker();
    site.edit(
        "content/rules/prog.toml",
        "source = \"policy\"",
        "source = \"polcy\"",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("criterion `while_open` cites an unknown source `polcy`"),
        "{text}"
    );
    assert!(text.contains("content/rules/prog.toml:25:"), "{text}");
    assert!(text.contains("did you mean `policy`?"), "{text}");
}

#[test]
fn a_wrong_worked_example_fails_the_build_naming_it() {
    let site = site_with_checker();
    site.edit(
        "content/rules/prog.toml",
        "outcome = \"not_eligible\"",
        "outcome = \"eligible\"",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("example `no_visa`"), "{text}");
    assert!(text.contains("content/rules/prog.toml:60:"), "{text}");
}

#[test]
fn a_failing_example_is_pointed_at_itself_not_at_an_earlier_mention_of_its_id() {
    let site = site_with_checker();
    // The first example names the second in its description, where a search for the second
    // example's quoted id would land.
    site.edit(
        "content/rules/prog.toml",
        "id = \"opening_day\"\n",
        "id = \"opening_day\"\ndescription = 'the same day as \"no_visa\", with a visa'\n",
    );
    site.edit(
        "content/rules/prog.toml",
        "outcome = \"not_eligible\"",
        "outcome = \"eligible\"",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("example `no_visa`"), "{text}");
    assert!(
        text.contains("content/rules/prog.toml:61:6"),
        "the second example's own id: {text}"
    );
    assert!(!text.contains("prog.toml:55:"), "{text}");
}

#[test]
fn an_unknown_tone_is_an_error_naming_the_allowed_ones() {
    let site = site_with_checker();
    site.edit(
        "content/rules/prog.toml",
        "tone = \"positive\"",
        "tone = \"happy\"",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("happy") && text.contains("positive"),
        "{text}"
    );
    assert!(text.contains("content/rules/prog.toml:42:"), "{text}");
}

#[test]
fn a_broken_fact_file_is_reported_once_not_again_by_every_rule_using_it() {
    let site = site_with_checker();
    site.edit("content/facts/prog.toml", "value = 10000", "value = 10,000");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("content/facts/prog.toml:"), "{text}");
    assert!(!text.contains("unknown fact"), "{text}");
}

#[test]
fn a_checker_embedded_twice_on_one_page_is_an_error() {
    let site = site_with_checker();
    site.edit("content/stream/check.md", "After.", "{{ checker(prog) }}");
    let (_, text) = site.build_error();
    assert!(
        text.contains("checker `prog` is already on this page"),
        "{text}"
    );
    assert!(text.contains("content/stream/check.md:9:1"), "{text}");
    assert!(text.contains("embed each checker once per page"), "{text}");
}

/// Two checkers on one page load the page script once: run twice, it would set up every form
/// twice (each answer evaluated, and each address written, two times).
#[test]
fn two_checkers_on_one_page_load_the_page_script_once() {
    let site = site_with_checker();
    site.write(
        "content/rules/other.toml",
        &RULES.replace("[[questions]]", "# another program\n[[questions]]"),
    );
    site.edit("content/stream/check.md", "After.", "{{ checker(other) }}");
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("stream/check/index.html");
    let scripts = script_sources(&html);
    let named = |prefix: &str| {
        scripts
            .iter()
            .filter(|src| src.trim_start_matches("../../").starts_with(prefix))
            .count()
    };
    assert_eq!(named("checker-prog."), 1, "{scripts:?}");
    assert_eq!(named("checker-other."), 1, "{scripts:?}");
    assert_eq!(named("checker."), 1, "{scripts:?}");
    let page_script = site.output(
        scripts
            .iter()
            .find(|src| src.contains("/checker."))
            .unwrap()
            .trim_start_matches("../../"),
    );
    // It sets the checkers up once every deferred script, the later checkers' modules too,
    // has run.
    assert!(page_script.contains("DOMContentLoaded"), "{page_script}");
}

/// Runs the page script in Node (it has no document there, so it sets nothing up and hands out
/// its calendar) and returns what `dayNumber` makes of each form date, what `dateInWords`
/// makes of each day number and `integer` of each number, in English as the build writes it.
fn page_script_calendar(form_dates: &[&str], day_numbers: &[i32]) -> serde_json::Value {
    let english = guide::checkers::html::ScriptFormats::of(guide::format::Locale::En);
    page_script_formats(
        form_dates,
        day_numbers,
        &[],
        &serde_json::to_value(english).unwrap(),
    )
}

/// [`page_script_calendar`] with the formats a page gives the script, and numbers.
fn page_script_formats(
    form_dates: &[&str],
    day_numbers: &[i32],
    integers: &[i64],
    formats: &serde_json::Value,
) -> serde_json::Value {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/checkers/checker.js");
    let program = r#"
        const [path] = process.argv.slice(1);
        const input = require("fs").readFileSync(0, "utf8");
        const exported = {};
        new Function("module", require("fs").readFileSync(path, "utf8"))(exported);
        const { dayNumber, dateInWords, integer } = exported.exports;
        const { dates, days, integers, formats } = JSON.parse(input);
        process.stdout.write(JSON.stringify({
            days: dates.map(dayNumber),
            words: days.map((n) => dateInWords(n, formats)),
            integers: integers.map((n) => integer(n, formats)),
        }));
    "#;
    let input = serde_json::json!({
        "dates": form_dates,
        "days": day_numbers,
        "integers": integers,
        "formats": formats,
    });
    // The dates go in on stdin: every year's are more than one argument may hold.
    let mut child = std::process::Command::new("node")
        .arg("-e")
        .arg(program)
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("Node.js runs the page script's calendar: install `node` to run this test");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn the_page_script_and_both_engines_agree_on_dates_in_every_year() {
    let form_dates = [
        "0001-01-01",
        "0001-12-31",
        "0004-02-29",
        "0023-01-01",
        "0023-07-16",
        "0099-12-31",
        "0100-01-01",
        "0100-02-28",
        "0100-03-01",
        "0400-02-29",
        "1899-12-31",
        "1900-02-28",
        "1900-03-01",
        "1969-12-31",
        "1970-01-01",
        "2000-02-29",
        "2000-03-01",
        "2023-12-31",
        "2024-01-31",
        "2024-02-29",
        "2024-03-01",
        "2024-12-31",
        "9999-12-31",
        // Days that do not exist: neither the page nor the engines may take them.
        "0100-02-29",
        "1900-02-29",
        "2023-02-29",
        "2024-04-31",
        "2024-13-01",
        "2024-00-10",
        "2024-01-00",
        "2024-1-01",
    ];
    // And in every year from 1 to 9999: its first day, the end of February (a 29th that
    // exists or not), the first of March and its last day.
    let every_year: Vec<String> = (1..=9999)
        .flat_map(|year| {
            ["01-01", "02-28", "02-29", "03-01", "12-31"].map(|day| format!("{year:04}-{day}"))
        })
        .collect();
    let form_dates: Vec<&str> = form_dates
        .into_iter()
        .chain(every_year.iter().map(String::as_str))
        .collect();
    let rules = "[[questions]]\nid = \"d\"\ntype = \"date\"\ntext = \"A day?\"\n\n\
        [[values]]\nid = \"same\"\nlabel = \"Same\"\nformula = \"d\"\n\n\
        [[values]]\nid = \"month_later\"\nlabel = \"A month later\"\nformula = \"d + 1 months\"\n\n\
        [[values]]\nid = \"day_before\"\nlabel = \"The day before\"\nformula = \"d - 1 days\"\n\n\
        [[outcomes]]\nid = \"any\"\nheading = \"Any\"\ntext = \"Any.\"\n";
    let program = guide_rules::compile(rules, &guide_rules::Facts::default())
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    let mut wasm = guide_rules::WasmEvaluator::new(&program).unwrap();
    let native: Vec<Option<i32>> = form_dates
        .iter()
        .map(|iso| guide_rules::Date::parse(iso).map(guide_rules::Date::days))
        .collect();

    // The module computes on what the page encodes; the page then words what the module stored.
    let encoded = page_script_calendar(&form_dates, &[]);
    let mut computed = Vec::new();
    for ((iso, native), page) in form_dates
        .iter()
        .zip(&native)
        .zip(encoded["days"].as_array().unwrap())
    {
        assert_eq!(
            page.as_i64(),
            native.map(i64::from),
            "the page and the engines read {iso} apart"
        );
        let Some(days) = native else { continue };
        let answers = guide_rules::Answers::from_encoded(&program, &[*days]).unwrap();
        let by_wasm = wasm.evaluate(&answers).unwrap();
        assert_eq!(
            by_wasm,
            program.evaluate(&answers),
            "the engines differ on {iso}"
        );
        for value in by_wasm.values.values() {
            computed.push(value.encode());
        }
    }
    let words = page_script_calendar(&[], &computed);
    for (days, page) in computed.iter().zip(words["words"].as_array().unwrap()) {
        let day = guide_rules::Date::from_days(*days);
        let long = guide::format::format_date(
            day,
            guide::format::DateFormat::Long,
            guide::format::Locale::En,
        );
        assert_eq!(
            page.as_str(),
            Some(long.as_str()),
            "the page words {} apart from the build",
            day
        );
    }
    // 23 listed days exist, and in each year four of the five, plus February 29 in the 2,424
    // leap years from 1 to 9999 (2,499 divisible by 4, less 99 centuries, plus 24 by 400).
    assert_eq!(
        computed.len(),
        3 * (23 + 4 * 9999 + 2424),
        "three values for each day that exists"
    );
}

#[test]
fn the_page_script_writes_numbers_as_the_build_does() {
    let numbers = [
        0,
        7,
        -7,
        999,
        1_000,
        -1_000,
        9_999,
        10_000,
        123_456,
        -1_234_567,
        2_147_483_647,
    ];
    let english = guide::checkers::html::ScriptFormats::of(guide::format::Locale::En);
    let written = page_script_formats(&[], &[], &numbers, &serde_json::to_value(english).unwrap());
    for (n, page) in numbers.iter().zip(written["integers"].as_array().unwrap()) {
        let build = guide::format::format_integer(*n, guide::format::Locale::En);
        assert_eq!(page.as_str(), Some(build.as_str()), "{n}");
    }
}

/// Another language's formats, as a page hands them to the script: French words, the first
/// of the month as `1er`, a no-break space between groups from five digits on.
#[test]
fn the_page_script_writes_dates_and_numbers_in_the_pages_formats() {
    let months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let formats = serde_json::json!({
        "date": "{day} {month} {year}",
        "months": months,
        "days": { "1": "1er" },
        "group": "\u{a0}",
        "group_from": 5,
        "minus": "-",
        "yes": "oui",
        "no": "non",
    });
    let day = |iso: &str| guide_rules::Date::parse(iso).unwrap().days();
    let written = page_script_formats(
        &[],
        &[day("2023-07-01"), day("2023-07-16"), day("2024-02-29")],
        &[1_000, 10_000, -1_234_567],
        &formats,
    );
    assert_eq!(
        written["words"],
        serde_json::json!(["1er juillet 2023", "16 juillet 2023", "29 février 2024"])
    );
    assert_eq!(
        written["integers"],
        serde_json::json!(["1000", "10\u{a0}000", "-1\u{a0}234\u{a0}567"])
    );
}

/// A point table written as a fact, with its source and `verified` date like any fact.
const AGE_TABLE: &str = "
[age_points]
label = \"Points for age\"
source = \"policy\"
verified = 2026-11-01
columns = [\"points\"]
rows = [
  { max = 17, points = 0 },
  { min = 18, max = 29, points = 100 },
  { min = 30, points = 50 },
]
";

/// The checker's rules with a question `age` (answered 25 in every example) and a value
/// `age_score` worked out by `formula`.
fn rules_scoring_age(formula: &str) -> String {
    let age = format!(
        "[[questions]]\nid = \"age\"\ntype = \"integer\"\nmin = 0\nmax = 120\ntext = \"Your age?\"\n\n\
         [[values]]\nid = \"age_score\"\nlabel = \"Points for age\"\nformula = \"{formula}\"\n\n[[values]]"
    );
    RULES
        .replacen("[[values]]", &age, 1)
        .replace("answers = { ", "answers = { age = 25, ")
}

#[test]
fn rules_read_a_table_written_as_a_fact_and_templates_see_its_rows() {
    let site = site_with_checker();
    site.write(
        "content/facts/prog.toml",
        &(site.read("content/facts/prog.toml") + AGE_TABLE),
    );
    let rules = rules_scoring_age("lookup(facts.prog.age_points, age)");
    site.write("content/rules/prog.toml", &rules);
    site.edit(
        "themes/plain/templates/page.html",
        "</main>",
        "<p class=\"table\">{% for row in facts.prog.age_points.value.rows %}[{{ row.min }}-{{ row.max }}: {{ row.points }}]{% endfor %} in {{ facts.prog.age_points.display }} rows</p></main>",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let page = site.output("stream/check/index.html");
    assert!(
        page.contains("<p class=\"table\">[-17: 0][18-29: 100][30-: 50] in 3 rows</p>"),
        "{page}"
    );
    let result = guide::eval::evaluate(site.root(), "prog", &site_answers_with_age(&site, 30))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(result.result["values"]["age_score"], 50);
}

/// Answers to every question of the fixture's rules, with `age`.
fn site_answers_with_age(_site: &Fixture, age: i64) -> String {
    format!(r#"{{"applied_on": "2023-07-16", "holds_visa": true, "age": {age}}}"#)
}

#[test]
fn a_table_fact_with_a_bad_row_is_an_error_at_the_row() {
    let site = site_with_checker();
    site.write(
        "content/facts/prog.toml",
        &(site.read("content/facts/prog.toml")
            + &AGE_TABLE.replace(
                "{ min = 18, max = 29, points = 100 }",
                "{ min = 18, max = 29 }",
            )),
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("fact `prog.age_points`: the row has no `points`"),
        "{text}"
    );
    let line = site
        .read("content/facts/prog.toml")
        .lines()
        .position(|line| line.contains("{ min = 18, max = 29 }"))
        .unwrap()
        + 1;
    assert!(
        text.contains(&format!("content/facts/prog.toml:{line}:3")),
        "{text}"
    );
}

#[test]
fn texts_take_inline_markdown_rendered_safely_around_values() {
    let site = site_with_checker();
    site.write(
        "content/rules/prog.toml",
        &RULES.replacen(
            "failed = \"You needed the visa.\"",
            "failed = \"You *needed* the visa until {ends_on}; see [the policy](https://www.canada.ca/policy?a=1&b=2). <i>x</i>\"",
            1,
        ),
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let page = site.output("stream/check/index.html");
    assert!(
        page.contains("You <em>needed</em> the visa until <span data-value=\"ends_on\"></span>; see <a href=\"https://www.canada.ca/policy?a=1&amp;b=2\">the policy</a>. &lt;i&gt;x&lt;/i&gt;"),
        "{page}"
    );
}

#[test]
fn a_text_linking_to_a_script_is_an_error_at_the_text() {
    let site = site_with_checker();
    let rules = RULES.replacen(
        "failed = \"You needed the visa.\"",
        "failed = \"You needed [the visa](javascript:alert(1)).\"",
        1,
    );
    site.write("content/rules/prog.toml", &rules);
    let (_, text) = site.build_error();
    let line = rules
        .lines()
        .position(|line| line.contains("javascript:"))
        .unwrap()
        + 1;
    assert!(
        text.contains(&format!("content/rules/prog.toml:{line}:10")),
        "{text}"
    );
    assert!(
        text.contains("the link to `javascript:alert(1)` is not a web address"),
        "{text}"
    );
}

#[test]
fn a_calculator_without_criteria_has_no_checklist_and_no_lists_of_conditions() {
    let site = site_with_checker();
    site.write(
        "content/rules/prog.toml",
        "[[questions]]\nid = \"count\"\ntype = \"integer\"\nmin = 0\nmax = 10\ntext = \"How many?\"\n\n[[values]]\nid = \"double\"\nlabel = \"Double\"\nformula = \"count * 2\"\n\n[[outcomes]]\nid = \"score\"\nheading = \"Your score is {double}\"\ntext = \"That is all.\"\n\n[[examples]]\nid = \"three\"\nanswers = { count = 3 }\noutcome = \"score\"\nvalues = { double = 6 }\n",
    );
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let html = site.output("stream/check/index.html");
    assert!(
        html.contains("<h2 tabindex=\"-1\">Your score is <span data-value=\"double\"></span></h2>"),
        "{html}"
    );
    for absent in [
        "checker-checklist",
        "checker-met",
        "checker-failed",
        "To qualify",
    ] {
        assert!(!html.contains(absent), "{absent}: {html}");
    }
}

#[test]
fn a_broken_checker_template_is_an_error_naming_the_template_and_the_rules_file() {
    let site = site_with_checker();
    site.write(
        "themes/plain/templates/checker.html",
        "<section data-checker=\"{{ checker.id }}\">\n{{ checker.nowhere | upper }}\n</section>",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("template `checker.html` failed while rendering content/rules/prog.toml"),
        "{text}"
    );
    assert!(
        text.contains("themes/plain/templates/checker.html"),
        "{text}"
    );
}

#[test]
fn a_criterion_no_outcome_reads_is_a_warning_from_build_and_check_at_its_line() {
    let site = site_with_checker();
    // A criterion the checklist shows, but no outcome's `when` reads.
    site.edit(
        "content/rules/prog.toml",
        "[[outcomes]]\nid = \"closed\"",
        "[[criteria]]\nid = \"recent\"\ncondition = \"applied_on >= 2000-01-01\"\npassed = \"Recent.\"\nfailed = \"Too old.\"\n\n[[outcomes]]\nid = \"closed\"",
    );
    let guide = env!("CARGO_BIN_EXE_guide");
    let build = std::process::Command::new(guide)
        .arg("--root")
        .arg(site.root())
        .arg("build")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    let line = site
        .read("content/rules/prog.toml")
        .lines()
        .position(|line| line == "id = \"recent\"")
        .unwrap()
        + 1;
    assert!(
        stderr.starts_with(
            "warning: no outcome reads the criterion `recent`, so it never changes the result\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> content/rules/prog.toml:{line}:6\n")),
        "{stderr}"
    );
    assert!(!stderr.contains("failed"), "{stderr}");
    assert!(stderr.contains("or remove it"), "{stderr}");
    assert!(String::from_utf8_lossy(&build.stdout).starts_with("built "));

    let report = guide::check::check(&guide::check::CheckOptions::new(site.options())).unwrap();
    let found: Vec<_> = report
        .findings
        .iter()
        .filter(|finding| finding.message.contains("`recent`"))
        .collect();
    assert_eq!(found.len(), 1, "{}", report.render_findings());
    assert_eq!(found[0].severity, guide::Severity::Warning);
    assert_eq!(
        found[0].location(),
        format!("content/rules/prog.toml:{line}:6")
    );
    assert_eq!(report.errors(), 0, "{}", report.render_findings());
}

#[test]
fn a_question_s_error_and_name_make_its_messages_escaped_in_the_page() {
    let site = site_with_checker();
    let rules = RULES
        .replacen(
            "help = \"The day you sent it.\"",
            "help = \"The day you sent it.\"\nerror = \"Enter the day you applied <now>\"\nname = \"Application date\"",
            1,
        )
        .replacen(
            "text = \"Do you hold the visa?\"",
            "text = \"Do you hold the visa?\"\nerror = \"Select if you hold the visa\"",
            1,
        );
    site.write("content/rules/prog.toml", &rules);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let page = site.output("stream/check/index.html");
    for expected in [
        "data-missing=\"Enter the day you applied &lt;now&gt;\"",
        "data-invalid=\"Application date must be a real date\"",
        "data-future=\"Application date must be today or in the past\"",
        "data-missing-month=\"Application date must include a month\"",
        "data-missing-day-year=\"Application date must include a day and year\"",
        "data-missing=\"Select if you hold the visa\"",
        "data-part=\"month\"",
    ] {
        assert!(page.contains(expected), "no {expected} in {page}");
    }

    // Without a name, the messages name the question; with `allow_future`, no refusal.
    let rules = RULES.replacen(
        "help = \"The day you sent it.\"",
        "help = \"The day you sent it.\"\nallow_future = true",
        1,
    );
    site.write("content/rules/prog.toml", &rules);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let page = site.output("stream/check/index.html");
    assert!(
        page.contains("data-missing-year=\"The answer to “When did you apply? &lt;b&gt;exactly&lt;/b&gt; &amp; honestly” must include a year\""),
        "{page}"
    );
    assert!(!page.contains("data-future="), "{page}");
}

#[test]
fn a_name_on_a_yes_no_question_is_an_error_at_file_line_and_column() {
    let site = site_with_checker();
    let rules = RULES.replacen(
        "text = \"Do you hold the visa?\"",
        "text = \"Do you hold the visa?\"\nname = \"Visa\"",
        1,
    );
    site.write("content/rules/prog.toml", &rules);
    let (_, text) = site.build_error();
    let line = rules.lines().position(|l| l == "name = \"Visa\"").unwrap() + 1;
    assert!(
        text.contains(&format!("content/rules/prog.toml:{line}:8")),
        "{text}"
    );
    assert!(
        text.contains("`name` belongs only to questions of type \"date\" or \"integer\""),
        "{text}"
    );
}

#[test]
fn the_point_tables_a_checker_reads_are_shown_for_scoring_by_hand() {
    let site = site_with_checker();
    let table = AGE_TABLE.replace(
        "columns = [",
        "headers = { key = \"Age <years>\", points = \"Points\" }\ncolumns = [",
    );
    site.write(
        "content/facts/prog.toml",
        &(site.read("content/facts/prog.toml") + &table),
    );
    let rules = rules_scoring_age("lookup(facts.prog.age_points, age)");
    site.write("content/rules/prog.toml", &rules);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let page = site.output("stream/check/index.html");
    let tables = page
        .split("<details class=\"checker-tables\">")
        .nth(1)
        .and_then(|rest| rest.split("</details>").next())
        .unwrap_or_else(|| panic!("no point tables in {page}"));
    for expected in [
        "<summary>Score it by hand: the point tables</summary>",
        "<caption>Points for age</caption>",
        "<th scope=\"col\" role=\"columnheader\">Age &lt;years&gt;</th><th scope=\"col\" role=\"columnheader\">Points</th>",
        // Each cell names its column, and each band the table's key, for a narrow screen's
        // layout (escaped as every text).
        "<tr role=\"row\"><th scope=\"row\" role=\"rowheader\" data-label=\"Age &lt;years&gt;\">17 or less</th><td role=\"cell\" data-label=\"Points\">0</td></tr>",
        "<tr role=\"row\"><th scope=\"row\" role=\"rowheader\" data-label=\"Age &lt;years&gt;\">18 to 29</th><td role=\"cell\" data-label=\"Points\">100</td></tr>",
        "<tr role=\"row\"><th scope=\"row\" role=\"rowheader\" data-label=\"Age &lt;years&gt;\">30 or more</th><td role=\"cell\" data-label=\"Points\">50</td></tr>",
    ] {
        assert!(tables.contains(expected), "no {expected} in {tables}");
    }

    // A checker that reads no table shows none.
    site.write("content/rules/prog.toml", RULES);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    assert!(!site
        .output("stream/check/index.html")
        .contains("checker-tables"));
}

/// An amount the rules read at a date (`facts.prog.bonus at applied_on`) whose value changed:
/// the table for scoring by hand shows the value in force on the guide's date, and the others
/// with the days they held, so a reader scoring another day needs no script.
#[test]
fn an_amount_that_changed_on_a_date_shows_its_other_values_with_their_days() {
    let site = site_with_checker();
    let facts = format!(
        "{}{AGE_TABLE}\n[bonus]\nlabel = \"Points for an offer\"\nvalue = 50\nunit = \"points\"\n\
         source = \"policy\"\nverified = 2026-11-01\n\n[[bonus.values]]\nfrom = 2023-07-01\nvalue = 20\n\n\
         [[bonus.values]]\nfrom = 2025-03-25\nvalue = 0\n\n[[bonus.values]]\nfrom = 2030-01-01\nvalue = 10\n",
        site.read("content/facts/prog.toml")
    );
    site.write("content/facts/prog.toml", &facts);
    let rules =
        rules_scoring_age("lookup(facts.prog.age_points, age) + facts.prog.bonus at applied_on");
    site.write("content/rules/prog.toml", &rules);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let page = site.output("stream/check/index.html");
    let amounts = page
        .split("<caption>Other points, and the most each part can give</caption>")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap_or_else(|| panic!("no amounts in {page}"));
    let expected = "<tr role=\"row\"><th scope=\"row\" role=\"rowheader\">Points for an offer</th>\
        <td role=\"cell\" data-label=\"Points\"><span class=\"checker-amount\">0 points\
        <span class=\"checker-amount-other\">Before July 1, 2023: 50 points</span>\
        <span class=\"checker-amount-other\">From July 1, 2023 to March 24, 2025: 20 points</span>\
        <span class=\"checker-amount-other\">From January 1, 2030: 10 points</span></span></td></tr>";
    assert!(amounts.contains(expected), "no {expected} in {amounts}");

    // In French, with French dates and the French words around them.
    site.write(
        "site.toml",
        &(site.read("site.toml") + "\n[languages.fr]\ntitle = \"Site\"\n"),
    );
    site.write(
        "content/stream/check.fr.md",
        "+++\ntitle = \"Vérifier\"\n+++\n{{ checker(prog) }}\n",
    );
    site.write(
        "content/stream/_index.fr.md",
        "+++\ntitle = \"Volet\"\n+++\n",
    );
    site.write("content/_index.fr.md", "+++\ntitle = \"Accueil\"\n+++\n");
    let built = site.build();
    let page = match built {
        Ok(_) => site.output("fr/stream/check/index.html"),
        Err(error) => panic!("{error}"),
    };
    for expected in [
        "<span class=\"checker-amount-other\">Avant le 1er juillet 2023\u{a0}: 50 points</span>",
        "<span class=\"checker-amount-other\">Du 1er juillet 2023 au 24 mars 2025\u{a0}: 20 points</span>",
        "<span class=\"checker-amount-other\">À partir du 1er janvier 2030\u{a0}: 10 points</span>",
    ] {
        assert!(page.contains(expected), "no {expected} in {page}");
    }
}

#[test]
fn a_table_fact_s_headers_name_only_its_columns() {
    let site = site_with_checker();
    let table = AGE_TABLE.replace(
        "columns = [",
        "headers = { key = \"Age\", pionts = \"Points\" }\ncolumns = [",
    );
    site.write(
        "content/facts/prog.toml",
        &(site.read("content/facts/prog.toml") + &table),
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("fact `prog.age_points`: `headers` names `pionts`, which is not a column"),
        "{text}"
    );
    let file = site.read("content/facts/prog.toml");
    let line = file
        .lines()
        .position(|l| l.starts_with("headers = "))
        .unwrap()
        + 1;
    assert!(
        text.contains(&format!("content/facts/prog.toml:{line}:11")),
        "{text}"
    );
}
