//! The integration tests of `guide-rules`, in one binary, on the crate's own fixtures.

mod checker;
mod common;
mod crs;
mod depth;
mod evaluate;
mod fuzz;
mod h1b;
mod language;
mod module_graph;
mod translations;
mod warnings;
