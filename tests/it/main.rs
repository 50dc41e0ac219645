//! The integration tests of `guide`, in one binary: each module tests one command or concern
//! through the library or the built `guide` binary.

mod build;
mod bundled;
mod check;
mod checkers;
mod common;
mod content;
#[cfg(unix)]
mod crash;
mod dated_facts;
mod depth;
mod diagnostics;
mod docs;
mod eval;
mod feeds;
mod furniture;
mod fuzz;
mod generated;
mod init;
mod languages;
mod module_graph;
mod search;
mod serve;
mod startup;
