//! The architecture's direction, checked from the source: data flows one way (see
//! ARCHITECTURE.md), so a file may use only its own step and the steps before it, and no two
//! modules use each other, directly or round about.
//!
//! The table below is the order of the steps. A reference is any `crate::…` or `super::…` path
//! outside comments. A module split over private files (`mod name;` without `pub`) counts as one
//! module for the cycle check: its files share one namespace.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The steps in the order data flows through them, with the top-level names each one owns.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["base", "tr"]),
    ("sources", &["sources"]),
    ("project", &["project"]),
    ("rules", &["rules"]),
    ("engine", &["engine"]),
    ("report", &["report"]),
    ("run", &["run"]),
    ("authoring", &["authoring"]),
    ("cli", &["cli"]),
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, names)| names.contains(&top))
}

/// A source file and the module path it defines (`rules::check::items`).
struct SourceFile {
    path: PathBuf,
    module: Vec<String>,
    text: String,
}

fn source_files() -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut pending = vec![PathBuf::from("src")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let relative = path.strip_prefix("src").expect("under src/");
                let mut module: Vec<String> = relative
                    .with_extension("")
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned())
                    .collect();
                if module.last().is_some_and(|last| last == "mod") {
                    module.pop();
                }
                if module == ["lib"] || module == ["main"] {
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("a source file is readable");
                files.push(SourceFile { path, module, text });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Every module path a file refers to, with its line, resolved to an absolute path.
fn references(file: &SourceFile) -> Vec<(usize, Vec<String>)> {
    let mut found = Vec::new();
    for (index, line) in file.text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for (start, _) in code
            .match_indices("crate::")
            .chain(code.match_indices("super::"))
        {
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[start..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let segments: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
            let absolute = match segments.first() {
                Some(&"crate") => segments[1..].iter().map(|s| s.to_string()).collect(),
                Some(&"super") => {
                    let mut base = file.module.clone();
                    let mut rest = &segments[..];
                    while rest.first() == Some(&"super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    base.extend(rest.iter().map(|s| s.to_string()));
                    base
                }
                _ => continue,
            };
            if !absolute.is_empty() {
                found.push((index + 1, absolute));
            }
        }
        // `use super::*;` and grouped `use super::{a, b}` name the parent itself.
        if code.trim_start().starts_with("use super::*") || code.contains("use super::{") {
            let mut parent = file.module.clone();
            parent.pop();
            found.push((index + 1, parent));
        }
    }
    found
}

#[test]
fn no_file_uses_a_later_step() {
    let mut wrong = Vec::new();
    for file in source_files() {
        let Some(top) = file.module.first() else {
            continue;
        };
        let own = layer_of(top).unwrap_or_else(|| {
            panic!("`src/{top}` is not in the table of steps in tests/layering.rs: add it")
        });
        for (line, reference) in references(&file) {
            let Some(target) = reference.first() else {
                continue;
            };
            match layer_of(target) {
                Some(layer) if layer <= own => {}
                Some(layer) => wrong.push(format!(
                    "{}:{line}: `{}` ({}) uses `{}` ({}), a later step",
                    file.path.display(),
                    file.module.join("::"),
                    LAYERS[own].0,
                    reference.join("::"),
                    LAYERS[layer].0
                )),
                None => wrong.push(format!(
                    "{}:{line}: `{}` is not in the table of steps",
                    file.path.display(),
                    reference.join("::")
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the flow of data:\n{}",
        wrong.join("\n")
    );
}

/// The module a file's code belongs to for the cycle check: private child files belong to their
/// parent.
fn unit_of(module: &[String], files: &BTreeMap<Vec<String>, String>) -> Vec<String> {
    let mut unit = module.to_vec();
    let mut length = module.len();
    while length > 1 {
        let name = &module[length - 1];
        let parent = &module[..length - 1];
        let declared_private = files.get(parent).is_some_and(|text| {
            text.lines()
                .any(|line| line.trim() == format!("mod {name};"))
        });
        if declared_private {
            unit = parent.to_vec();
        }
        length -= 1;
    }
    unit
}

/// The longest module prefix of `path` that is a file (`engine::Level` → `engine`).
fn module_of(path: &[String], files: &BTreeMap<Vec<String>, String>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|length| path[..length].to_vec())
        .find(|prefix| files.contains_key(prefix))
}

#[test]
fn no_two_modules_use_each_other() {
    let sources = source_files();
    let texts: BTreeMap<Vec<String>, String> = sources
        .iter()
        .map(|file| (file.module.clone(), file.text.clone()))
        .collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for file in &sources {
        let from = unit_of(&file.module, &texts);
        let targets = edges.entry(from.clone()).or_default();
        for (_, reference) in references(file) {
            if let Some(module) = module_of(&reference, &texts) {
                let to = unit_of(&module, &texts);
                if to != from {
                    targets.insert(to);
                }
            }
        }
    }
    let cycles = cycles(&edges);
    let shown: Vec<String> = cycles
        .iter()
        .map(|cycle| {
            cycle
                .iter()
                .map(|module| module.join("::"))
                .collect::<Vec<_>>()
                .join(" → ")
        })
        .collect();
    assert!(
        shown.is_empty(),
        "modules that use each other:\n{}",
        shown.join("\n")
    );
}

/// The strongly connected components of more than one module (Tarjan's algorithm, iterative
/// enough for a few dozen modules).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        found: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a Vec<String>) {
        let next = state.index.len();
        state.index.insert(node, next);
        state.low.insert(node, next);
        state.stack.push(node);
        state.on_stack.insert(node);
        let targets = state.edges.get(node);
        for target in targets.into_iter().flatten() {
            let Some((target, _)) = state.edges.get_key_value(target) else {
                continue;
            };
            if !state.index.contains_key(target) {
                visit(state, target);
                let low = state.low[node].min(state.low[target]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(target) {
                let low = state.low[node].min(state.index[target]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                state.on_stack.remove(member);
                component.push(member.clone());
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.reverse();
                state.found.push(component);
            }
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in edges.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

#[test]
fn the_table_names_every_folder_of_src() {
    let tops: BTreeSet<String> = source_files()
        .into_iter()
        .filter_map(|file| file.module.first().cloned())
        .collect();
    for top in &tops {
        assert!(
            layer_of(top).is_some(),
            "`src/{top}` is missing from LAYERS"
        );
    }
    assert!(Path::new("src/lib.rs").exists());
}
