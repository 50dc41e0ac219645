//! guide: a static site generator for program guides. See ARCHITECTURE.md for the map.

pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod eval;
pub mod facts;
pub mod feeds;
pub mod markdown;
pub mod minify;
pub mod output;
pub mod render;
pub mod serve;
pub mod site;
pub mod theme;
pub mod widget;

pub use build::{build, BuildReport};
pub use diagnostics::{Diagnostic, Diagnostics, Severity};
pub use site::{BuildOptions, Site};
