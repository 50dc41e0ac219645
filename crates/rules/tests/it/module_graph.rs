//! The crate's modules depend on each other one way, so each can be read, and
//! changed, knowing only those below it.

use std::path::Path;

#[path = "../support/module_graph.rs"]
mod graph;

use graph::{dependencies, find_cycle, modules, ROOT};

#[test]
fn the_modules_depend_on_each_other_one_way() {
    let modules = modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(modules.contains_key("eval") && modules.contains_key(ROOT));
    let graph = dependencies(&modules);
    assert!(
        graph[ROOT].contains("check") && graph["check"].contains("syntax"),
        "the graph misses plain dependencies: {graph:#?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the modules use each other in a circle: {}",
            cycle.join(" → ")
        );
    }
}
