//! guide: a static site generator for program guides. See ARCHITECTURE.md for the map.

// A `Diagnostic` carries its file's text, span, hint and causes so it can be shown with a
// snippet. It travels only on the failure path, once per problem, so its size costs nothing
// that matters; boxing it would only add noise at every `?`.
#![allow(clippy::result_large_err)]

pub mod aliases;
pub mod build;
pub mod check;
pub mod checkers;
pub mod clock;
pub mod config;
pub mod confine;
pub mod content;
pub mod diagnostics;
pub mod escape;
pub mod eval;
pub mod facts;
pub mod feeds;
pub mod format;
pub mod init;
pub mod links;
pub mod markdown;
pub mod minify;
pub mod output;
pub mod output_path;
pub mod paths;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;
pub mod threads;
pub mod translations;
pub mod urls;

pub use build::{build, BuildReport};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use site::{BuildOptions, Site};
