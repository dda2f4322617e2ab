//! The shape of `app/src` (docs/ARCHITECTURE.md): one folder per feature,
//! dependencies one way — pages → api → service → store/domain, with `model`
//! (the view types) below all three — and no module importing a module that
//! imports it back. Read from the sources: every `crate::…` and `super::…`
//! path a module names is an edge to the module that path lands in.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`voting::service`) → its source text.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path: PathBuf = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if parts.last().is_some_and(|p| p == "mod") {
                    parts.pop();
                }
                let name = if parts == ["lib"] { String::new() } else { parts.join("::") };
                out.insert(name, std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The module a path like `voting::service::vote` lands in: its longest
/// prefix that is a module.
fn target(path: &[&str], known: &BTreeMap<String, String>) -> Option<String> {
    (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| known.contains_key(m))
}

/// Edges from each module (the crate root left out: it mounts every page).
fn edges(known: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut graph = BTreeMap::new();
    for (module, text) in known.iter().filter(|(m, _)| !m.is_empty()) {
        // Tests inside a module are not part of its dependencies.
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let own: Vec<&str> = module.split("::").collect();
        let mut out = BTreeSet::new();
        for (start, _) in code.match_indices("crate::").chain(code.match_indices("super::")) {
            let rest = &code[start..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            let words: Vec<&str> = rest[..end].split("::").filter(|w| !w.is_empty()).collect();
            let absolute: Vec<&str> = if words[0] == "crate" {
                words[1..].to_vec()
            } else {
                // `super::` from module `a::b` (`a/b.rs` or `a/b/mod.rs`) is `a`.
                let mut base: Vec<&str> = own.clone();
                let ups = words.iter().take_while(|w| **w == "super").count();
                for _ in 0..ups {
                    base.pop();
                }
                base.extend(words[ups..].iter().copied());
                base
            };
            if let Some(to) = target(&absolute, known).filter(|to| to != module && !to.is_empty()) {
                out.insert(to);
            }
        }
        graph.insert(module.clone(), out);
    }
    graph
}

fn layer(module: &str) -> Option<u8> {
    let parts: Vec<&str> = module.split("::").collect();
    match parts.get(1).copied() {
        Some("pages") => Some(3),
        Some("api") => Some(2),
        Some(
            "service" | "session" | "sms" | "imports" | "roster" | "units_import" | "fraud" | "campaigns" | "caches",
        ) => Some(1),
        Some("model") => Some(0),
        _ => None,
    }
}

#[test]
fn no_module_of_the_app_imports_a_module_that_imports_it_back() {
    let known = modules();
    let graph = edges(&known);
    assert!(graph.len() > 30, "read the app's modules: {:?}", graph.keys());
    // Depth-first search for a cycle, reporting the loop found.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, &graph, &mut Vec::new(), &mut done) {
            panic!("an import cycle: {}", cycle.join(" → "));
        }
    }
}

#[test]
fn dependencies_run_from_pages_to_api_to_service_to_model_never_back() {
    let known = modules();
    let mut wrong = Vec::new();
    for (from, targets) in edges(&known) {
        let Some(from_layer) = layer(&from) else { continue };
        for to in targets {
            // Upwards is never right, within a feature or across: a page may
            // call another feature's API, an API another feature's service.
            if layer(&to).is_some_and(|to_layer| to_layer > from_layer) {
                wrong.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "dependencies against the grain:\n{}", wrong.join("\n"));
}
