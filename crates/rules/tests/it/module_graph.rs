//! The crate's modules depend on each other one way, so each can be read, and
//! changed, knowing only those below it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const ROOT: &str = "the crate root";

/// The source of each top-level module (a file `src/NAME.rs`, or every file under `src/NAME/`),
/// without its tests: the `mod tests` that ends a file, and the test-only modules.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |name: String, path: &Path| {
        let text = std::fs::read_to_string(path).unwrap();
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(tests) => text[..tests].to_string(),
            None => text,
        };
        modules.entry(name).or_default().push_str(&code);
    };
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(&path)
                .unwrap()
                .map(|file| file.unwrap().path())
                .collect();
            files.sort();
            for file in files {
                add(stem.clone(), &file);
            }
        } else if stem == "lib" {
            add(ROOT.to_string(), &path);
        } else if stem != "differential_tests" {
            add(stem, &path);
        }
    }
    modules
}

/// Which modules each module names through `crate::`; a name that is not a
/// module (such as `crate::Program`) is an item of the crate root.
fn dependencies(modules: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut graph = BTreeMap::new();
    for (module, code) in modules {
        let mut used = BTreeSet::new();
        for line in code.lines() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("crate::") {
                let rest = &line[at + "crate::".len()..];
                let names: Vec<&str> = match rest.strip_prefix('{') {
                    Some(list) => list[..list.find('}').unwrap_or(list.len())]
                        .split(',')
                        .map(|name| name.trim().split("::").next().unwrap_or_default())
                        .collect(),
                    None => vec![rest
                        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or_default()],
                };
                for name in names.into_iter().filter(|name| !name.is_empty()) {
                    let target = match modules.get_key_value(name) {
                        Some((target, _)) => target.as_str(),
                        None => ROOT,
                    };
                    if target != module {
                        used.insert(target);
                    }
                }
            }
        }
        if module == ROOT {
            for line in code.lines() {
                if let Some(name) = line.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
                    if let Some((target, _)) = modules.get_key_value(name) {
                        used.insert(target.as_str());
                    }
                }
            }
        }
        graph.insert(module.as_str(), used);
    }
    graph
}

/// A chain of modules that leads back to its start, if there is one.
fn find_cycle<'m>(graph: &BTreeMap<&'m str, BTreeSet<&'m str>>) -> Option<Vec<&'m str>> {
    fn visit<'m>(
        module: &'m str,
        graph: &BTreeMap<&'m str, BTreeSet<&'m str>>,
        path: &mut Vec<&'m str>,
        done: &mut BTreeSet<&'m str>,
    ) -> Option<Vec<&'m str>> {
        if let Some(start) = path.iter().position(|open| *open == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module);
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module);
        for used in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(used, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module);
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_depend_on_each_other_one_way() {
    let modules = modules();
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
