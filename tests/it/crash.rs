//! `guide build` killed at any moment: the output is the previous one or the new one, whole,
//! and the next build clears whatever the killed one left behind.
//!
//! Random kills land during loading, rendering and writing; the swap itself takes
//! microseconds, so each of its steps is also hit on purpose through the build's test hook
//! `GUIDE_FAULT_ABORT_AT`, which aborts the process right at the named point.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PAGES: usize = 5_000;
const SECTIONS: usize = 50;
const RANDOM_KILLS: usize = 40;

/// The files of an output folder and their bytes, by path.
type Tree = BTreeMap<String, Vec<u8>>;

/// A tiny site of `PAGES` pages in `SECTIONS` sections; `title` appears on every page, so two
/// titles give two outputs that differ in every HTML file.
fn write_site(root: &Path) {
    let theme = root.join("themes/tiny/templates");
    fs::create_dir_all(&theme).unwrap();
    let base =
        "<!doctype html><title>{{ site.title }}</title>{% block content %}{% endblock content %}";
    fs::write(theme.join("base.html"), base).unwrap();
    for (name, body) in [
        ("page.html", "{{ page.content | safe }}"),
        ("section.html", "{{ section.title }}"),
        ("404.html", "Not found"),
    ] {
        let template = format!(
            r#"{{% extends "base.html" %}}{{% block content %}}{body}{{% endblock content %}}"#
        );
        fs::write(theme.join(name), template).unwrap();
    }
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(
        root.join("content/_index.md"),
        "+++\ntitle = \"Home\"\n+++\nHome.\n",
    )
    .unwrap();
    for section in 0..SECTIONS {
        let folder = root.join(format!("content/s{section}"));
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            folder.join("_index.md"),
            format!("+++\ntitle = \"Section {section}\"\n+++\n"),
        )
        .unwrap();
        for page in 0..PAGES / SECTIONS {
            fs::write(
                folder.join(format!("p{page}.md")),
                format!("+++\ntitle = \"Page {page}\"\n+++\nPage {page} of section {section}.\n"),
            )
            .unwrap();
        }
    }
    set_title(root, "A");
}

fn set_title(root: &Path, title: &str) {
    let config = format!(
        "title = \"Version {title}\"\nbase_url = \"https://example.org/\"\ntheme = \"tiny\"\n"
    );
    fs::write(root.join("site.toml"), config).unwrap();
}

fn guide_build(root: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_guide"));
    command
        .args(["build", "--root"])
        .arg(root)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Builds to the end, and checks that nothing but the output is left beside it.
fn build(root: &Path) -> Tree {
    let done = guide_build(root).output().unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let beside: Vec<String> = fs::read_dir(root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(
        beside.is_empty(),
        "a staging folder or lock is left behind: {beside:?}"
    );
    tree(&root.join("public"))
}

fn tree(dir: &Path) -> Tree {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|entry| !entry.file_type().is_dir())
        .map(|entry| {
            let relative = entry.path().strip_prefix(dir).unwrap();
            let bytes = fs::read(entry.path()).unwrap();
            (relative.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// Which of the two expected outputs `public/` is, failing unless it is one of them whole.
fn which(root: &Path, outputs: &[Tree; 2], moment: &str) -> usize {
    let public = root.join("public");
    assert!(public.is_dir(), "{moment}: no output folder at all");
    let found = tree(&public);
    match outputs.iter().position(|output| *output == found) {
        Some(version) => version,
        None => {
            let differing = outputs[0]
                .keys()
                .chain(found.keys())
                .filter(|path| outputs[0].get(*path) != found.get(*path))
                .filter(|path| outputs[1].get(*path) != found.get(*path))
                .take(5)
                .collect::<Vec<_>>();
            panic!(
                "{moment}: the output ({} files) is neither version; e.g. {differing:?}",
                found.len()
            )
        }
    }
}

/// SplitMix64: a small seeded generator, so a failing moment can be replayed.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A duration in `0..limit`.
    fn below(&mut self, limit: Duration) -> Duration {
        let nanos = limit.as_nanos() as u64;
        Duration::from_nanos(self.next() % nanos.max(1))
    }
}

const TITLES: [&str; 2] = ["A", "B"];

#[test]
fn a_killed_build_leaves_the_old_or_the_new_output_whole() {
    // In memory where there is such a folder: on a disk shared with other work, writing
    // 5,000 files makes each build several times slower, and the test measures nothing
    // about disks.
    let shm = Path::new("/dev/shm");
    let temp = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .unwrap();
    let root = temp.path();
    write_site(root);
    let first = build(root);
    set_title(root, TITLES[1]);
    let started = Instant::now();
    let second = build(root);
    let duration = started.elapsed();
    assert_eq!(first.len(), second.len());
    assert!(
        first
            .iter()
            .filter(|(path, bytes)| second.get(*path) != Some(*bytes))
            .count()
            > PAGES,
        "the two versions differ in every page"
    );
    let outputs = [first, second];
    let mut current = 1;

    // Stopped at each step of writing the output, as a crash there would.
    for (point, expected) in [
        ("staging-created", Some(false)),
        ("staging-filled", Some(false)),
        ("swap-done", Some(true)),
        ("retired-removed", Some(true)),
        // Only reached where the folders cannot be exchanged in one step.
        ("swap-moved-aside", None),
    ] {
        let next = 1 - current;
        set_title(root, TITLES[next]);
        let status = guide_build(root)
            .env("GUIDE_FAULT_ABORT_AT", point)
            .status()
            .unwrap();
        if expected.is_some() {
            assert!(!status.success(), "{point}: the build was not stopped");
        }
        let found = which(root, &outputs, point);
        if let Some(new) = expected {
            assert_eq!(found == next, new, "{point}: the wrong version");
        }
        assert_eq!(build(root), outputs[next], "{point}: the next build");
        current = next;
    }

    let mut random = Random(0x5eed_0fb0_11d5);
    let mut new_outputs = 0;
    for kill in 0..RANDOM_KILLS {
        let next = 1 - current;
        set_title(root, TITLES[next]);
        let delay = random.below(duration + duration / 10);
        let mut child = guide_build(root).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        child.kill().unwrap();
        child.wait().unwrap();
        let moment = format!("kill {kill} after {delay:?} of a {duration:?} build");
        if which(root, &outputs, &moment) == next {
            new_outputs += 1;
        }
        assert_eq!(build(root), outputs[next], "{moment}: the next build");
        current = next;
    }
    eprintln!("{RANDOM_KILLS} kills over a {duration:?} build: {new_outputs} left the new output");
}
