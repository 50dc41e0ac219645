//! `guide build`: load → render → write, a straight line of timed steps.
//!
//! Pages are written into the new output folder as soon as they are rendered, on the thread
//! that rendered them, so a build never holds the whole rendered site in memory; the new folder
//! replaces the previous output only once everything is written (see [`Staging`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::diagnostics::Diagnostics;
use crate::output::{Output, Staging, WriteStats};
use crate::render::{self, Renderer};
use crate::site::{BuildOptions, Site};

/// How long each stage took, and what came out.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub facts: usize,
    pub checkers: usize,
    /// One line per checker: its module's size and the scripts a page loads for it.
    pub checker_sizes: Vec<String>,
    /// Problems that did not stop the build (the rules files' warnings), for standard error.
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
    pub files: usize,
    pub written: WriteStats,
    /// Wall time of each stage, one after the other.
    pub stages: Vec<(&'static str, Duration)>,
    /// Time spent in each step of rendering and writing pages, summed over the threads that
    /// did it in parallel (so together they may exceed the stage's wall time).
    pub work: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, duration)| *duration).sum()
    }

    /// One line: what was built and how long it took.
    pub fn summary(&self) -> String {
        let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
        format!(
            "built {}, {}, {} into {} ({} written, {} unchanged) in {} ms",
            count(self.pages, "page"),
            count(self.facts, "fact"),
            count(self.checkers, "checker"),
            count(self.files, "file"),
            self.written.written,
            self.written.unchanged,
            self.total().as_millis()
        )
    }

    /// `load 12.3 ms, render 4.5 ms, ...`, then the threads' time per step in parentheses.
    pub fn stage_times(&self) -> String {
        let list = |times: &[(&'static str, Duration)]| {
            times
                .iter()
                .map(|(stage, duration)| {
                    format!("{stage} {:.1} ms", duration.as_secs_f64() * 1000.0)
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if self.work.is_empty() {
            list(&self.stages)
        } else {
            format!(
                "{} (summed over threads: {})",
                list(&self.stages),
                list(&self.work)
            )
        }
    }
}

fn timed<T>(
    stages: &mut Vec<(&'static str, Duration)>,
    stage: &'static str,
    step: impl FnOnce() -> T,
) -> T {
    let start = Instant::now();
    let value = step();
    stages.push((stage, start.elapsed()));
    value
}

/// Loads and renders the site in memory; nothing is written.
pub fn build_in_memory(
    options: &BuildOptions,
    stages: &mut Vec<(&'static str, Duration)>,
) -> Result<(Site, Output), Diagnostics> {
    let site = timed(stages, "load", || Site::load(options))?;
    let output = timed(stages, "render", || render::render(&site))?;
    Ok((site, output))
}

/// Builds the site into `options.output`. On any error the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let mut report = BuildReport::default();
    let output = options.check_output()?;
    // Reading every folder of the previous output is the kernel's work, done while the site
    // loads.
    let (as_recorded, site) = std::thread::scope(|scope| {
        let as_recorded = scope.spawn(|| options.check_output_as_recorded(&output));
        let site = timed(&mut report.stages, "load", || {
            Site::load_to_render_once(options)
        });
        (as_recorded.join(), site)
    });
    match as_recorded {
        Ok(checked) => checked?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    let site = site?;
    let minify = options.minify || site.config.minify;
    let renderer = Renderer::new(&site);
    let (minifying, writing) = (Clock::default(), Clock::default());
    // Pages left unminified as they nest too deep, with how deep.
    let too_deep = std::sync::Mutex::new(Vec::new());
    let (staging, mut rest) = timed(&mut report.stages, "render", || {
        let staging = Staging::new(&output)?;
        // After one failed write the build fails anyway: render on, to report every page's
        // errors, but stop writing.
        let failed = AtomicBool::new(false);
        let rest = renderer.render_each(&|path, html| {
            if failed.load(Ordering::Relaxed) {
                return Ok(());
            }
            let bytes = if minify {
                match minifying.time(|| crate::minify::html(html.as_bytes())) {
                    Ok(minified) => minified,
                    Err(depth) => {
                        if let Ok(mut deep) = too_deep.lock() {
                            deep.push((path.as_str().to_string(), depth));
                        }
                        html.into_bytes()
                    }
                }
            } else {
                html.into_bytes()
            };
            writing
                .time(|| staging.add_bytes(path.as_str(), &bytes))
                .inspect_err(|_| failed.store(true, Ordering::Relaxed))
        })?;
        Ok::<_, Diagnostics>((staging, rest))
    })?;
    report.work = renderer.work();
    if minify {
        report.work.push(("minify", minifying.total()));
    }
    report.work.push(("write", writing.total()));
    timed(&mut report.stages, "write rest", || {
        if minify {
            crate::minify::minify(&mut rest);
        }
        rest.write_into(&staging)
    })?;
    report.files = staging.files();
    report.written = timed(&mut report.stages, "swap", || staging.finish())?;
    report.pages = site.content.pages.len();
    report.facts = site.facts.len();
    report.checkers = site.checkers.len();
    report.warnings = site.checkers.warnings().cloned().collect();
    let mut too_deep = too_deep.into_inner().unwrap_or_default();
    too_deep.sort();
    for (path, depth) in too_deep {
        report.warnings.push(crate::diagnostics::Diagnostic::new(
            options.output.join(&path),
            format!(
                "left unminified: its elements nest {depth} deep, more than the minifier takes ({})",
                crate::minify::MAX_DEPTH
            ),
        ).with_help("nest raw HTML less deeply, or build without `--minify`"));
    }
    report.checker_sizes = site
        .checkers
        .iter()
        .map(|checker| {
            let prepared = renderer.prepared();
            let (data, script) = prepared
                .checker_pages
                .script_sizes(&checker.id, &prepared.assets);
            format!(
                "checker {}: module {} B; page loads {} B (module + ABI, base64) + {} B (script); module + script {} B",
                checker.id,
                checker.module.len(),
                data,
                script,
                checker.module.len() + script
            )
        })
        .collect();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let relative = entry.path().strip_prefix(dir).unwrap();
                let relative = relative.to_string_lossy().replace('\\', "/");
                (relative, std::fs::read(entry.path()).unwrap())
            })
            // The build's record of its output, not a file of the site.
            .filter(|(relative, _)| relative != crate::output::record::NAME)
            .collect();
        files.sort();
        files
    }

    #[test]
    fn pages_written_as_they_render_match_the_site_rendered_in_memory() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let temp = tempfile::tempdir().unwrap();
        let mut options = BuildOptions::new(&fixture);
        options.output = temp.path().join("public");
        let report = build(&options).unwrap_or_else(|d| panic!("{}", d.render()));
        let (_, output) = build_in_memory(&options, &mut Vec::new()).unwrap();
        let in_memory: Vec<(String, Vec<u8>)> = output
            .files
            .iter()
            .map(|(path, file)| (path.clone(), file.bytes().unwrap().into_owned()))
            .collect();
        assert_eq!(files(&options.output), in_memory);
        assert_eq!(
            crate::output::record::compare(&options.output),
            crate::output::record::Found::AsRecorded
        );
        assert_eq!(report.files, in_memory.len());
        assert_eq!(report.written.written, in_memory.len());
        let stages: Vec<&str> = report.stages.iter().map(|(stage, _)| *stage).collect();
        assert_eq!(stages, ["load", "render", "write rest", "swap"]);
        let work: Vec<&str> = report.work.iter().map(|(step, _)| *step).collect();
        assert_eq!(work, ["markdown", "templates", "search", "write"]);
        assert!(report
            .stage_times()
            .contains("(summed over threads: markdown "));
    }
}
