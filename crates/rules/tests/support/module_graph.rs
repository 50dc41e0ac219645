//! A crate's modules as a graph of which names which, read from its sources, and the search
//! for a circle in it. Shared by the rules crate's tests and the site generator's, each
//! checking its own `src/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub const ROOT: &str = "the crate root";

/// The source of each top-level module of the crate whose sources are `src` (a file
/// `src/NAME.rs`, or every `.rs` file in `src/NAME/`), without its tests: the `mod tests` that ends
/// a file, and the test-only modules; a binary's `main.rs` is not a module of the library.
pub fn modules(src: &Path) -> BTreeMap<String, String> {
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    let mut add = |name: String, path: &Path| {
        let text = std::fs::read_to_string(path).unwrap();
        let code = match text.find("#[cfg(test)]\nmod tests") {
            Some(tests) => text[..tests].to_string(),
            None => text,
        };
        modules.entry(name).or_default().push_str(&code);
    };
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        if path.is_dir() {
            let mut files: Vec<_> = std::fs::read_dir(&path)
                .unwrap()
                .map(|file| file.unwrap().path())
                // A module's folder may hold data it embeds (`src/init/starter/`).
                .filter(|file| file.extension().is_some_and(|ext| ext == "rs"))
                .collect();
            files.sort();
            for file in files {
                add(stem.clone(), &file);
            }
        } else if stem == "lib" {
            add(ROOT.to_string(), &path);
        } else if stem != "differential_tests" && stem != "main" {
            add(stem, &path);
        }
    }
    modules
}

/// Which modules each module names through `crate::`; a name that is not a
/// module (such as `crate::Program`) is an item of the crate root.
pub fn dependencies(modules: &BTreeMap<String, String>) -> BTreeMap<&str, BTreeSet<&str>> {
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
pub fn find_cycle<'m>(graph: &BTreeMap<&'m str, BTreeSet<&'m str>>) -> Option<Vec<&'m str>> {
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
