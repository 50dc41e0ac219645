//! A generated guide, recorded file by file like the bundled one: many pages in two languages,
//! facts of every kind, links, tables, footnotes, task lists and search shards, through the
//! bundled theme. A speed-up that is meant to leave the output alone proves it here on the kind
//! of site the benchmarks build, and a change that does not shows which files it touched.

use std::fmt::Write as _;

/// Words the pages are made of: few enough that every search shard holds many pages.
const WORDS: &[&str] = &[
    "applicant",
    "permit",
    "stream",
    "cap",
    "employer",
    "spouse",
    "partner",
    "child",
    "province",
    "city",
    "office",
    "policy",
    "notice",
    "status",
    "talent",
    "worker",
    "visa",
    "period",
    "decision",
    "fee",
    "document",
    "proof",
    "offer",
    "letter",
    "income",
    "family",
    "study",
    "résidence",
    "métier",
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "for",
    "on",
    "with",
    "must",
    "may",
    "could",
    "before",
    "after",
];

/// A small linear congruential generator: the same site on every machine and every run.
struct Numbers(u64);

impl Numbers {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }

    fn sentence(&mut self, words: usize) -> String {
        let text: Vec<&str> = (0..words).map(|_| self.word()).collect();
        let text = text.join(" ");
        let mut chars = text.chars();
        let first = chars.next().unwrap().to_uppercase();
        format!("{first}{}.", chars.as_str())
    }
}

const SECTIONS: &[&str] = &["s0", "s1", "s1/sub0", "s2", "s2/sub0", "s2/sub1"];
const PAGES: usize = 48;

fn page_source(n: usize) -> String {
    format!("{}/page-{n:02}.md", SECTIONS[n % SECTIONS.len()])
}

/// Fact names by kind, with the TOML of their namespace's file.
fn facts(numbers: &mut Numbers) -> (Vec<String>, Vec<String>, String, String) {
    let (mut names, mut dates) = (Vec::new(), Vec::new());
    let mut prog = String::new();
    for i in 0..12 {
        let value = match i % 4 {
            0 => format!("{}", 10 + numbers.below(2_000_000)),
            1 => format!("{}\nunit = \"CAD\"", (1 + numbers.below(900)) * 1_000_000),
            2 => format!("{:?}", numbers.sentence(4).trim_end_matches('.')),
            _ => format!("{}.5\nunit = \"percent\"", numbers.below(40)),
        };
        let source = numbers.below(4);
        writeln!(
            prog,
            "[fact_{i:02}]\nlabel = {{ en = \"Fact {i}\", fr = \"Donnée {i}\" }}\nvalue = {value}\n\
             source = \"source_{source}\"\nverified = 2026-01-15\n"
        )
        .unwrap();
        names.push(format!("prog.fact_{i:02}"));
    }
    let mut days = String::new();
    for i in 0..8 {
        let (year, month, day) = (
            2019 + numbers.below(8),
            1 + numbers.below(12),
            1 + numbers.below(28),
        );
        writeln!(
            days,
            "[day_{i:02}]\nlabel = {{ en = \"Milestone {i}\", fr = \"Étape {i}\" }}\n\
             value = {year}-{month:02}-{day:02}\nsource = \"source_{}\"\nverified = 2026-01-15\n",
            numbers.below(4)
        )
        .unwrap();
        dates.push(format!("dates.day_{i:02}"));
    }
    names.extend(dates.iter().cloned());
    (names, dates, prog, days)
}

fn page_body(numbers: &mut Numbers, names: &[String], dates: &[String], n: usize) -> String {
    let fact =
        |numbers: &mut Numbers| format!("{{{{ fact({}) }}}}", names[numbers.below(names.len())]);
    let mut out = String::new();
    let link = page_source(numbers.below(PAGES));
    writeln!(
        out,
        "{} The figure is {}, as of {}. See [the related page](@/{link}).\n",
        numbers.sentence(12),
        fact(numbers),
        fact(numbers)
    )
    .unwrap();
    writeln!(out, "## Who is eligible\n\n{}\n", numbers.sentence(15)).unwrap();
    for _ in 0..3 {
        let (word, sentence, value) = (numbers.word(), numbers.sentence(9), fact(numbers));
        writeln!(out, "- **{word}**: {sentence} ({value})").unwrap();
    }
    writeln!(out, "\n### In detail\n\n{}[^1]\n", numbers.sentence(14)).unwrap();
    writeln!(out, "| Item | Value | Since |\n|---|---:|---|").unwrap();
    for _ in 0..3 {
        let (word, value) = (numbers.word(), fact(numbers));
        let since = &dates[numbers.below(dates.len())];
        writeln!(
            out,
            "| {word} | {value} | {{{{ fact({since}, \"iso\") }}}} |"
        )
        .unwrap();
    }
    writeln!(
        out,
        "\n## Key dates\n\n{} Use `form-{n}` for this.\n\n- [ ] {}\n- [x] {}\n\n> {} ~~{}~~\n",
        numbers.sentence(10),
        numbers.sentence(5),
        numbers.sentence(5),
        numbers.sentence(8),
        numbers.word()
    )
    .unwrap();
    let (one, two) = (
        page_source(numbers.below(PAGES)),
        page_source(numbers.below(PAGES)),
    );
    writeln!(
        out,
        "See also [one page](@/{one}) and [another](@/{two}#who-is-eligible).\n\n[^1]: {}",
        numbers.sentence(7)
    )
    .unwrap();
    out
}

fn front_matter(title: &str, weight: usize, extra: &str) -> String {
    format!("+++\ntitle = \"{title}\"\ndescription = \"About {title}.\"\nweight = {weight}\n{extra}+++\n\n")
}

/// Writes the generated guide into `root`.
fn generate(root: &std::path::Path) {
    let write = |relative: &str, text: &str| {
        let path = root.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let mut numbers = Numbers(7);
    write(
        "site.toml",
        "title = \"Generated guide\"\nbase_url = \"https://example.org/generated/\"\n\
         language = \"en\"\ndescription = \"A generated guide\"\ntheme = \"default\"\n\n\
         [languages.fr]\ntitle = \"Guide généré\"\ndescription = \"Un guide généré\"\n\n\
         [search]\nslug = { fr = \"recherche\" }\n",
    );
    let (names, dates, prog, days) = facts(&mut numbers);
    write("content/facts/prog.toml", &prog);
    write("content/facts/dates.toml", &days);
    let sources: String = (0..4)
        .map(|i| format!("[source_{i}]\ntitle = \"Source {i}\"\nurl = \"https://example.org/source/{i}\"\n\n"))
        .collect();
    write("content/facts/sources.toml", &sources);

    let home = format!(
        "{} The headline is {{{{ fact({}) }}}}.\n",
        numbers.sentence(12),
        names[0]
    );
    write(
        "content/_index.md",
        &(front_matter("Generated guide", 0, "") + &home),
    );
    write(
        "content/_index.fr.md",
        &(front_matter("Guide généré", 0, "") + &home),
    );
    for (i, section) in SECTIONS.iter().enumerate() {
        let body = numbers.sentence(14) + "\n";
        write(
            &format!("content/{section}/_index.md"),
            &(front_matter(&format!("Section {section}"), i, "") + &body),
        );
        let slug = format!("slug = \"volet-{}\"\n", section.replace('/', "-"));
        let slug = if section.contains('/') {
            ""
        } else {
            slug.as_str()
        };
        write(
            &format!("content/{section}/_index.fr.md"),
            &(front_matter(&format!("Volet {section}"), i, slug) + &body),
        );
    }
    for n in 0..PAGES {
        let source = page_source(n);
        let title = format!("Topic {n}: {}", numbers.sentence(3).trim_end_matches('.'));
        let date = format!("date = 2025-{:02}-{:02}\n", 1 + n % 12, 1 + n % 28);
        let body = page_body(&mut numbers, &names, &dates, n);
        write(
            &format!("content/{source}"),
            &(front_matter(&title, PAGES - n, &date) + &body),
        );
        let french = format!("Sujet {n} : {}", numbers.sentence(3).trim_end_matches('.'));
        write(
            &format!("content/{}.fr.md", source.trim_end_matches(".md")),
            &(front_matter(&french, PAGES - n, &date) + &body),
        );
    }
}

/// The generated guide's whole output, as a manifest of content hashes kept in `snapshots/`.
#[test]
fn the_generated_output_is_the_recorded_one() {
    let site = tempfile::tempdir().unwrap();
    generate(site.path());
    let mut options = guide::BuildOptions::new(site.path());
    options.output = site.path().join("public");
    let report = guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(
        report.pages,
        2 * (1 + SECTIONS.len() + PAGES),
        "{}",
        report.summary()
    );
    let files = crate::common::snapshot(&options.output);
    // The site has what the manifest is meant to cover.
    for expected in [
        "fr/recherche/index.html",
        "s2/sub1/page-05/index.html",
        "fr/volet-s0/index.html",
    ] {
        assert!(
            files
                .iter()
                .any(|(path, _)| path.replace('\\', "/") == expected),
            "{expected}"
        );
    }
    let manifest = crate::common::hash_manifest(files);
    insta::assert_snapshot!("generated_output", manifest);
}
