use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use guide::{build, BuildOptions};

/// mimalloc: a page's many short-lived strings and values cost less to allocate and free than
/// with the system allocator (Cargo.toml says by how much).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A static site generator for program guides.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The site's folder (holding site.toml).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// Output folder (default: ROOT/public).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override site.toml's base_url for this build.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Minify HTML and CSS (as `minify = true` in site.toml does).
        #[arg(long)]
        minify: bool,
        /// Replace the output folder even if no build wrote it, or files were added to it since.
        #[arg(long)]
        force: bool,
        /// Print the time of each stage.
        #[arg(long)]
        timings: bool,
    },
    /// Build the site in memory and check links, anchors, assets, titles, descriptions, alt
    /// text and facts due for re-verification; exits non-zero when there are errors.
    Check {
        /// Also request every external link (10 s timeout each).
        #[arg(long)]
        external: bool,
        /// Report facts last verified more than DAYS days ago (default: site.toml's
        /// `[check] stale_after_days`, else 365).
        #[arg(long, value_name = "DAYS")]
        stale_after: Option<u32>,
        /// Count facts' ages up to this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Override site.toml's base_url for this check.
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Start a new guide in DIR (default: --root): a home page, a section with a page, facts
    /// with their source, and a checker, ready to build, check and serve.
    Init {
        /// The folder to write the guide into; created if missing.
        dir: Option<PathBuf>,
        /// The guide's title.
        #[arg(long, default_value = guide::init::DEFAULT_TITLE)]
        title: String,
        /// The language of its pages: `en` or `fr`, with a region if you like (`fr-CA`).
        #[arg(long, default_value = "en")]
        language: String,
        /// Date the starter facts as verified on this day (YYYY-MM-DD) instead of today.
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        /// Write into a folder that is not empty (with --eject-theme: replace the theme's
        /// files already there), replacing files of the same names.
        #[arg(long)]
        force: bool,
        /// Instead of a new guide, copy the built-in theme into the site's themes/default/,
        /// to change any of it.
        #[arg(long, conflicts_with_all = ["title", "language", "today"])]
        eject_theme: bool,
    },
    /// Evaluate eligibility rules on answers and print the result as JSON.
    Eval {
        /// The rules file's id (content/rules/ID.toml).
        rules_id: String,
        /// A JSON file of answers keyed by question id, or `-` for standard input.
        #[arg(long)]
        answers: PathBuf,
    },
    /// Record what translations were translated from, for `guide check` to report the ones
    /// whose source has changed since.
    Translations {
        #[command(subcommand)]
        command: TranslationsCommand,
    },
    /// Build the site into memory and serve it, rebuilding and reloading open pages on change.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but a loopback address is reachable from elsewhere.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked `draft = true`.
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Subcommand)]
enum TranslationsCommand {
    /// Write into each translation (`translated_from` in its front matter) the fingerprint
    /// of its source page as it is now: run it once the translation is up to date.
    #[command(group(clap::ArgGroup::new("which").required(true).args(["pages", "all"])))]
    Mark {
        /// Translations to mark (`content/stream/family.fr.md`); a page in the default
        /// language marks each of its translations.
        pages: Vec<PathBuf>,
        /// Mark every translation of the site.
        #[arg(long)]
        all: bool,
    },
}

/// Writes a line to standard output. A reader that has gone away (`guide build | head -0`)
/// is not an error of the command's: what it did is done, and there is no one left to tell.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(error) = writeln!(out, "{line}").and_then(|()| out.flush()) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: could not write to standard output: {error}");
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            minify,
            force,
            timings,
        } => {
            let mut options = BuildOptions::new(&cli.root);
            if let Some(output) = output {
                options.output = output;
            }
            options.base_url = base_url;
            options.drafts = drafts;
            options.minify = minify;
            options.force = force;
            match build(&options) {
                Ok(report) => {
                    for warning in &report.warnings {
                        eprintln!("{}", warning.render());
                    }
                    say(&report.summary());
                    for line in &report.checker_sizes {
                        say(line);
                    }
                    if timings {
                        say(&format!("stages: {}", report.stage_times()));
                    }
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    eprint!("{}", diagnostics.render());
                    ExitCode::FAILURE
                }
            }
        }
        Command::Check {
            external,
            stale_after,
            today,
            base_url,
            drafts,
        } => {
            let mut build = BuildOptions::new(&cli.root);
            build.base_url = base_url;
            build.drafts = drafts;
            let mut options = guide::check::CheckOptions::new(build);
            options.external = external;
            options.stale_after_days = stale_after;
            if let Some(today) = today {
                match today_argument(&today) {
                    Ok(day) => options.today = Some(day),
                    Err(message) => {
                        eprintln!("error: {message}");
                        return ExitCode::from(2);
                    }
                }
            }
            check_command(&options)
        }
        Command::Init {
            dir,
            title,
            language,
            today,
            force,
            eject_theme,
        } => {
            let dir = dir.unwrap_or(cli.root);
            if eject_theme {
                return eject_command(&dir, force);
            }
            let today = match today.as_deref().map(today_argument) {
                None => guide::check::today_utc(),
                Some(Ok(day)) => day,
                Some(Err(message)) => {
                    eprintln!("error: {message}");
                    return ExitCode::from(2);
                }
            };
            let options = guide::init::InitOptions {
                dir,
                title,
                language,
                today,
                force,
            };
            init_command(&options)
        }
        Command::Translations {
            command: TranslationsCommand::Mark { pages, all },
        } => {
            let target = if all {
                guide::translations::MarkTarget::All
            } else {
                guide::translations::MarkTarget::Pages(pages)
            };
            mark_command(&cli.root, &target)
        }
        Command::Eval { rules_id, answers } => eval_command(&cli.root, &rules_id, &answers),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
        } => serve_command(&cli.root, bind, port, open, drafts),
    }
}

/// Exit codes: 0 when nothing (or only warnings) was found, 1 for errors or a failed build.
fn check_command(options: &guide::check::CheckOptions) -> ExitCode {
    match guide::check::check(options) {
        Ok(report) => {
            eprint!("{}", report.render_findings());
            let summary = report.summary();
            say(summary.strip_suffix('\n').unwrap_or(&summary));
            if report.errors() > 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render());
            ExitCode::FAILURE
        }
    }
}

fn mark_command(root: &std::path::Path, target: &guide::translations::MarkTarget) -> ExitCode {
    match guide::translations::mark(root, target) {
        Ok(marked) => {
            for translation in &marked {
                let what = if translation.changed {
                    "marked"
                } else {
                    "already up to date:"
                };
                say(&format!(
                    "{what} {} (translated from {})",
                    translation.file.display(),
                    translation.source.display()
                ));
            }
            if marked.is_empty() {
                say("no translations to mark");
            }
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            eprint!("{}", diagnostics.render());
            ExitCode::FAILURE
        }
    }
}

fn init_command(options: &guide::init::InitOptions) -> ExitCode {
    match guide::init::init(options) {
        Ok(written) => {
            let dir = options.dir.display();
            say(&format!("started a guide in {dir}:"));
            list_written(&written);
            say("next:");
            if options.dir != std::path::Path::new(".") {
                say(&format!("  cd {dir}"));
            }
            say("  guide serve    # preview it at http://127.0.0.1:1111/, reloading as you edit");
            say("  guide check    # check links, pages and facts due to be checked again");
            say("  guide build    # write the site into public/, ready to publish");
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprint!("{}", diagnostic.render());
            ExitCode::FAILURE
        }
    }
}

fn eject_command(root: &std::path::Path, force: bool) -> ExitCode {
    match guide::init::eject_theme(root, force) {
        Ok(written) => {
            say(&format!(
                "copied the built-in theme into {}:",
                root.join("themes")
                    .join(guide::theme::BUILT_IN_NAME)
                    .display()
            ));
            list_written(&written);
            say("the site uses it while site.toml says theme = \"default\"; edit any of its files");
            ExitCode::SUCCESS
        }
        Err(diagnostic) => {
            eprint!("{}", diagnostic.render());
            ExitCode::FAILURE
        }
    }
}

fn list_written(written: &[guide::init::Written]) {
    for file in written {
        let replaced = if file.replaced { " (replaced)" } else { "" };
        say(&format!("  {}{replaced}", file.path.display()));
    }
}

/// Exit codes: 0 with the result, 1 when the site or rules are broken, 2 for bad answers.
fn eval_command(root: &std::path::Path, rules_id: &str, answers: &std::path::Path) -> ExitCode {
    let text = if answers == std::path::Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map(|_| text)
    } else {
        std::fs::read_to_string(answers)
    };
    let text = match text {
        Ok(text) => text,
        Err(error) => {
            eprintln!(
                "error: could not read the answers from {}: {error}",
                answers.display()
            );
            return ExitCode::from(2);
        }
    };
    match guide::eval::evaluate(root, rules_id, &text) {
        Ok(evaluated) => {
            for warning in &evaluated.warnings {
                eprintln!("warning: {warning}");
            }
            say(&evaluated.result.to_string());
            ExitCode::SUCCESS
        }
        Err(guide::eval::EvalError::Site(diagnostics)) => {
            for diagnostic in diagnostics.iter() {
                eprintln!("{}", diagnostic.render());
            }
            ExitCode::FAILURE
        }
        Err(guide::eval::EvalError::Answers(problems)) => {
            for problem in problems {
                eprintln!("error: {problem}");
            }
            eprintln!("help: answers are JSON keyed by question id, one per question asked: true/false or \"yes\"/\"no\", choice ids, \"YYYY-MM-DD\" dates, whole numbers");
            ExitCode::from(2)
        }
    }
}

fn serve_command(
    root: &std::path::Path,
    bind: std::net::IpAddr,
    port: u16,
    open: bool,
    drafts: bool,
) -> ExitCode {
    let mut build = BuildOptions::new(root);
    build.drafts = drafts;
    let options = guide::serve::ServeOptions {
        bind,
        port,
        ..guide::serve::ServeOptions::new(build)
    };
    match guide::serve::run(options, open) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: could not serve on {bind} port {port}: {error}");
            ExitCode::FAILURE
        }
    }
}

/// `--today`'s day, or why the text given is not one.
fn today_argument(text: &str) -> Result<guide_rules::Date, String> {
    guide_rules::Date::parse(text).ok_or_else(|| match guide_rules::Date::why_not_a_day(text) {
        Some(why) => format!("--today `{text}` is not a day: {why}"),
        None => format!("--today `{text}` is not a date such as 2026-11-01"),
    })
}
