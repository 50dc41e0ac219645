//! The site generator's modules depend on each other one way (ARCHITECTURE.md's invariant), so
//! each can be read, and changed, knowing only those below it.

use std::path::Path;

#[path = "../../crates/rules/tests/support/module_graph.rs"]
mod graph;

use graph::{dependencies, find_cycle, modules};

#[test]
fn the_modules_depend_on_each_other_one_way() {
    let modules = modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    let graph = dependencies(&modules);
    assert!(
        graph["render"].contains("markdown") && graph["markdown"].contains("content"),
        "the graph misses plain dependencies: {graph:#?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the modules use each other in a circle: {}",
            cycle.join(" → ")
        );
    }
}
