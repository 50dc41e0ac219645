use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use guide::{build, BuildOptions};

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
        /// Print the time of each stage.
        #[arg(long)]
        timings: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
            timings,
        } => {
            let mut options = BuildOptions::new(&cli.root);
            if let Some(output) = output {
                options.output = output;
            }
            options.base_url = base_url;
            options.drafts = drafts;
            match build(&options) {
                Ok(report) => {
                    println!("{}", report.summary());
                    if timings {
                        println!("stages: {}", report.stage_times());
                    }
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    eprint!("{}", diagnostics.render());
                    ExitCode::FAILURE
                }
            }
        }
    }
}
