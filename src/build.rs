//! `guide build`: load → render → write, a straight line of timed steps.

use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::output::{Output, WriteStats};
use crate::render;
use crate::site::{BuildOptions, Site};

/// How long each stage took, and what came out.
#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub facts: usize,
    pub checkers: usize,
    /// One line per checker: its module's size and the scripts a page loads for it.
    pub checker_sizes: Vec<String>,
    pub files: usize,
    pub written: WriteStats,
    pub stages: Vec<(&'static str, Duration)>,
}

impl BuildReport {
    pub fn total(&self) -> Duration {
        self.stages.iter().map(|(_, duration)| *duration).sum()
    }

    /// One line: what was built and how long it took.
    pub fn summary(&self) -> String {
        format!(
            "built {} pages, {} facts, {} checkers into {} files ({} written, {} unchanged) in {} ms",
            self.pages,
            self.facts,
            self.checkers,
            self.files,
            self.written.written,
            self.written.unchanged,
            self.total().as_millis()
        )
    }

    pub fn stage_times(&self) -> String {
        self.stages
            .iter()
            .map(|(stage, duration)| format!("{stage} {:.1} ms", duration.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
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
    let (site, mut output) = build_in_memory(options, &mut report.stages)?;
    if options.minify || site.config.minify {
        timed(&mut report.stages, "minify", || {
            crate::minify::minify(&mut output)
        });
    }
    report.written = timed(&mut report.stages, "write", || {
        output.write(&options.output)
    })?;
    report.pages = site.content.pages.len();
    report.facts = site.facts.len();
    report.checkers = site.checkers.len();
    report.checker_sizes = site
        .checkers
        .iter()
        .map(|checker| {
            let (data, script) = site.checkers.script_sizes(checker, &site.assets);
            format!(
                "checker {}: module {} B; page loads {} B (module + ABI, base64) + {} B (script); module + script {} B",
                checker.id,
                checker.module_size,
                data,
                script,
                checker.module_size + script
            )
        })
        .collect();
    report.files = output.len();
    Ok(report)
}
