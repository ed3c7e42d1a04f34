//! The architecture's direction, checked from the source: data flows one way (see
//! ARCHITECTURE.md), so a file may use only its own step and the steps before it, and no two
//! modules use each other, directly or round about.
//!
//! The table below is the order of the steps. A reference is any path from `crate`, `super` or
//! `self`, and any `use` of a child module, outside comments, strings and `#[cfg(test)]` modules,
//! however it is written: grouped (`use crate::{a, b::c}`), across lines, with spaces around
//! `::`. A path through a re-export (`pub use`) counts as a use of the module that defines the
//! item. Ways of writing an import that would hide it — aliasing the crate root, `#[path]`,
//! `extern crate` — are refused outright, and `src/lib.rs` may only declare the steps. A module
//! split over private files (`mod name;` without `pub`) counts as one module for the cycle check:
//! its files share one namespace.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// The steps in the order data flows through them, with the top-level names each one owns.
const LAYERS: &[(&str, &[&str])] = &[
    ("base", &["base"]),
    ("sources", &["sources"]),
    ("project", &["project"]),
    ("rules", &["rules"]),
    ("engine", &["engine"]),
    ("report", &["report"]),
    ("run", &["run"]),
    ("authoring", &["authoring"]),
    ("serve", &["serve"]),
    ("lsp", &["lsp"]),
    ("cli", &["cli"]),
];

/// Macros exported at the crate root (`crate::tr!`), with the step that defines them.
const ROOT_MACROS: &[(&str, &str)] = &[("tr", "base")];

fn layer_of(top: &str) -> Option<usize> {
    let step = ROOT_MACROS
        .iter()
        .find(|(name, _)| *name == top)
        .map_or(top, |(_, step)| *step);
    LAYERS.iter().position(|(_, names)| names.contains(&step))
}

type ModulePath = Vec<String>;

/// A source file, the module path it defines (`rules::check::items`) and its code with comments,
/// strings and test modules blanked out (line breaks kept, so lines still count).
struct SourceFile {
    path: PathBuf,
    module: ModulePath,
    code: String,
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
                let mut module: ModulePath = relative
                    .with_extension("")
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned())
                    .collect();
                if module.last().is_some_and(|last| last == "mod") {
                    module.pop();
                }
                if module == ["lib"] || module == ["main"] {
                    module.clear();
                }
                let text = std::fs::read_to_string(&path).expect("a source file is readable");
                let code = without_test_modules(&blank_comments_and_strings(&text));
                files.push(SourceFile { path, module, code });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// `text` with comments, string and character literals replaced by spaces.
fn blank_comments_and_strings(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !is_ident(
                i.checked_sub(1)
                    .and_then(|before| chars.get(before))
                    .copied(),
            )
        {
            // A raw string: r"…", r#"…"#.
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let rest: String = chars[j + 1..].iter().collect();
            let end = rest.find(&closing).map_or(chars.len(), |at| {
                j + 1 + rest[..at].chars().count() + closing.chars().count()
            });
            for &skipped in &chars[i..end.min(chars.len())] {
                out.push(blank(skipped));
            }
            i = end;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if let Some(&skipped) = chars.get(i) {
                    out.push(blank(skipped));
                }
                i += 1;
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars[i..]) {
            // `'\''`, `'\n'`, `'\u{1}'`: the escaped character, then up to the closing quote.
            let length = if next == Some('\\') {
                chars
                    .get(i + 3..)
                    .and_then(|rest| rest.iter().position(|&c| c == '\''))
                    .map_or(3, |at| at + 4)
            } else {
                3
            };
            for _ in 0..length {
                out.push(' ');
            }
            i += length;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Whether `'…` starts a character literal (`'a'`, `'\n'`, `'\u{1}'`), not a lifetime.
fn is_char_literal(chars: &[char]) -> bool {
    match chars.get(1) {
        Some('\\') => true,
        Some(_) => chars.get(2) == Some(&'\''),
        None => false,
    }
}

/// `code` with every `#[cfg(test)] mod name { … }` blanked out: test code may use what it tests
/// from any step above it, and its `super` is one level deeper than the file's.
fn without_test_modules(code: &str) -> String {
    let mut out: Vec<char> = code.chars().collect();
    let text: Vec<char> = code.chars().collect();
    let mut i = 0;
    while let Some(found) = find(&text, i, "#[cfg(test)]") {
        let mut j = found + "#[cfg(test)]".len();
        while text.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
        let rest: String = text[j..text.len().min(j + 80)].iter().collect();
        let inline_module = rest.starts_with("mod ") && {
            let head: String = rest.chars().take_while(|&c| c != ';' && c != '{').collect();
            rest.chars().nth(head.chars().count()) == Some('{')
        };
        if !inline_module {
            i = j;
            continue;
        }
        let Some(open) = text[j..].iter().position(|&c| c == '{').map(|at| j + at) else {
            break;
        };
        let mut depth = 0;
        let mut end = text.len();
        for (k, &c) in text.iter().enumerate().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        for slot in out.iter_mut().take(end).skip(found) {
            if *slot != '\n' {
                *slot = ' ';
            }
        }
        i = end;
    }
    out.into_iter().collect()
}

fn find(text: &[char], from: usize, needle: &str) -> Option<usize> {
    let needle: Vec<char> = needle.chars().collect();
    (from..text.len().saturating_sub(needle.len() - 1)).find(|&i| text[i..].starts_with(&needle))
}

/// A token of cleaned code, with its line.
#[derive(Clone, Debug, PartialEq)]
enum Token {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Semicolon,
    Star,
    Hash,
    Bracket,
    Other,
}

fn tokens(code: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            // A raw identifier, `r#gen`, is one word.
            if c == 'r' && chars.get(i + 1) == Some(&'#') && is_ident(chars.get(i + 2).copied()) {
                i += 2;
            }
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            found.push((line, Token::Ident(word.trim_start_matches("r#").to_owned())));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            found.push((line, Token::Path));
            i += 2;
        } else {
            found.push((
                line,
                match c {
                    '{' => Token::Open,
                    '}' => Token::Close,
                    ',' => Token::Comma,
                    ';' => Token::Semicolon,
                    '*' => Token::Star,
                    '#' => Token::Hash,
                    '[' => Token::Bracket,
                    _ => Token::Other,
                },
            ));
            i += 1;
        }
    }
    found
}

/// What a file refers to: every path, resolved from the crate root, with its line; `pub use`
/// re-exports (the name they are known by, and the path they stand for); and ways of writing that
/// would hide a reference.
#[derive(Default)]
struct References {
    paths: Vec<(usize, ModulePath)>,
    reexports: Vec<(String, ModulePath)>,
    refused: Vec<(usize, String)>,
}

fn references(file: &SourceFile, modules: &BTreeSet<ModulePath>) -> References {
    let tokens = tokens(&file.code);
    let mut found = References::default();
    let mut i = 0;
    while i < tokens.len() {
        let (line, token) = &tokens[i];
        let word = |at: usize| match tokens.get(at) {
            Some((_, Token::Ident(word))) => Some(word.as_str()),
            _ => None,
        };
        match token {
            Token::Ident(keyword) if keyword == "use" => {
                let public = i > 0 && word(i - 1) == Some("pub")
                    || i > 1
                        && matches!(tokens.get(i - 1), Some((_, Token::Other)))
                        && word(i - 2).is_some_and(|w| w == "crate" || w == "super");
                let mut trees = Vec::new();
                let end = use_tree(&tokens, i + 1, Vec::new(), &mut trees);
                for (path, alias) in trees {
                    if alias.is_some()
                        && path
                            .iter()
                            .all(|segment| matches!(segment.as_str(), "crate" | "super" | "self"))
                    {
                        found.refused.push((
                            *line,
                            format!(
                                "`use {} as …` hides what is imported through it",
                                path.join("::")
                            ),
                        ));
                        continue;
                    }
                    let Some(absolute) = resolve(&file.module, &path, modules, true) else {
                        continue;
                    };
                    if public {
                        let name = alias
                            .clone()
                            .or_else(|| path.last().cloned())
                            .unwrap_or_default();
                        if name != "*" && name != "self" {
                            found.reexports.push((name, absolute.clone()));
                        }
                    }
                    found.paths.push((*line, absolute));
                }
                i = end;
                continue;
            }
            Token::Ident(keyword) if keyword == "extern" && word(i + 1) == Some("crate") => {
                found.refused.push((
                    *line,
                    "`extern crate` can rename the crate itself".to_owned(),
                ));
            }
            Token::Hash
                if matches!(tokens.get(i + 1), Some((_, Token::Bracket)))
                    && word(i + 2) == Some("path") =>
            {
                found.refused.push((
                    *line,
                    "`#[path]` puts a file where its module path does not say".to_owned(),
                ));
            }
            Token::Ident(start)
                if (start == "crate" || start == "super" || start == "self")
                    && matches!(tokens.get(i + 1), Some((_, Token::Path)))
                    && !(i > 0 && matches!(tokens.get(i - 1), Some((_, Token::Path)))) =>
            {
                let mut path = vec![start.clone()];
                let mut j = i + 1;
                while matches!(tokens.get(j), Some((_, Token::Path))) {
                    match tokens.get(j + 1) {
                        Some((_, Token::Ident(next))) => {
                            path.push(next.clone());
                            j += 2;
                        }
                        _ => break,
                    }
                }
                if let Some(absolute) = resolve(&file.module, &path, modules, false) {
                    found.paths.push((*line, absolute));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Parses a use tree from `at` (after `use`, or inside a group) into paths with their alias;
/// returns where it ended (after `;`, or at the `,`/`}` closing the item).
fn use_tree(
    tokens: &[(usize, Token)],
    mut at: usize,
    prefix: ModulePath,
    trees: &mut Vec<(ModulePath, Option<String>)>,
) -> usize {
    let mut path = prefix;
    loop {
        match tokens.get(at).map(|(_, token)| token) {
            Some(Token::Path) => at += 1,
            Some(Token::Ident(word)) if word == "as" => {
                let alias = match tokens.get(at + 1) {
                    Some((_, Token::Ident(alias))) => Some(alias.clone()),
                    _ => None,
                };
                trees.push((path, alias));
                return skip_to_end(tokens, at + 2);
            }
            Some(Token::Ident(word)) => {
                path.push(word.clone());
                at += 1;
            }
            Some(Token::Star) => {
                path.push("*".to_owned());
                trees.push((path, None));
                return skip_to_end(tokens, at + 1);
            }
            Some(Token::Open) => {
                at += 1;
                loop {
                    at = use_tree(tokens, at, path.clone(), trees);
                    match tokens.get(at).map(|(_, token)| token) {
                        Some(Token::Comma) => at += 1,
                        Some(Token::Close) => {
                            at += 1;
                            break;
                        }
                        _ => return at,
                    }
                    if matches!(tokens.get(at).map(|(_, token)| token), Some(Token::Close)) {
                        at += 1;
                        break;
                    }
                }
                return skip_to_end(tokens, at);
            }
            Some(Token::Comma | Token::Close | Token::Semicolon) | None => {
                if path.last().is_some_and(|last| last == "self") {
                    path.pop();
                }
                if !path.is_empty() {
                    trees.push((path, None));
                }
                return if matches!(
                    tokens.get(at).map(|(_, token)| token),
                    Some(Token::Semicolon)
                ) {
                    at + 1
                } else {
                    at
                };
            }
            Some(_) => at += 1,
        }
    }
}

/// From inside a use tree to its end: the `;` (consumed), or the `,`/`}` of the enclosing group.
fn skip_to_end(tokens: &[(usize, Token)], at: usize) -> usize {
    match tokens.get(at).map(|(_, token)| token) {
        Some(Token::Semicolon) => at + 1,
        _ => at,
    }
}

/// `path` written in `module`, from the crate root; `None` for paths outside the crate. In a
/// `use`, a path may also start at a child module of `module`.
fn resolve(
    module: &[String],
    path: &[String],
    modules: &BTreeSet<ModulePath>,
    in_use: bool,
) -> Option<ModulePath> {
    let first = path.first()?;
    let mut base: ModulePath = module.to_vec();
    let rest: &[String] = match first.as_str() {
        "crate" => {
            base.clear();
            &path[1..]
        }
        "self" => &path[1..],
        "super" => {
            let mut rest = path;
            while rest.first().is_some_and(|segment| segment == "super") {
                base.pop();
                rest = &rest[1..];
            }
            rest
        }
        child if in_use => {
            let mut candidate = module.to_vec();
            candidate.push(child.to_owned());
            if !modules.contains(&candidate) {
                return None;
            }
            path
        }
        _ => return None,
    };
    base.extend(rest.iter().cloned());
    (!base.is_empty()).then_some(base)
}

/// The module that defines what `path` names: the longest module prefix, following re-exports.
fn defining_module(
    path: &[String],
    modules: &BTreeSet<ModulePath>,
    reexports: &BTreeMap<(ModulePath, String), ModulePath>,
) -> Option<ModulePath> {
    let mut path = path.to_vec();
    for _ in 0..8 {
        let module = (1..=path.len())
            .rev()
            .map(|length| path[..length].to_vec())
            .find(|prefix| modules.contains(prefix))?;
        let Some(name) = path.get(module.len()) else {
            return Some(module);
        };
        match reexports.get(&(module.clone(), name.clone())) {
            Some(target) => {
                let mut next = target.clone();
                next.extend(path[module.len() + 1..].iter().cloned());
                path = next;
            }
            None => return Some(module),
        }
    }
    None
}

/// The module a file's code belongs to for the cycle check: private child files belong to their
/// parent.
fn unit_of(module: &[String], declared_private: &BTreeSet<ModulePath>) -> ModulePath {
    let mut unit = module.to_vec();
    while unit.len() > 1 && declared_private.contains(&unit) {
        unit.pop();
    }
    unit
}

struct Crate {
    files: Vec<SourceFile>,
    modules: BTreeSet<ModulePath>,
    private: BTreeSet<ModulePath>,
    references: Vec<References>,
    reexports: BTreeMap<(ModulePath, String), ModulePath>,
}

fn read_crate() -> Crate {
    let files = source_files();
    let modules: BTreeSet<ModulePath> = files
        .iter()
        .filter(|file| !file.module.is_empty())
        .map(|file| file.module.clone())
        .collect();
    let mut private = BTreeSet::new();
    for file in &files {
        let tokens = tokens(&file.code);
        for (index, (_, token)) in tokens.iter().enumerate() {
            if *token != Token::Ident("mod".to_owned()) {
                continue;
            }
            // `pub mod` or `pub(crate) mod`; an attribute (`#[cfg(feature = "serve")] mod serve;`)
            // does not make the module public.
            let pub_ = Token::Ident("pub".to_owned());
            let back = |n: usize| {
                index
                    .checked_sub(n)
                    .and_then(|at| tokens.get(at))
                    .map(|t| &t.1)
            };
            let public = back(1) == Some(&pub_)
                || (back(4) == Some(&pub_)
                    && matches!(back(3), Some(Token::Other))
                    && matches!(back(2), Some(Token::Ident(_)))
                    && matches!(back(1), Some(Token::Other)));
            if let (false, Some((_, Token::Ident(name))), Some((_, Token::Semicolon))) =
                (public, tokens.get(index + 1), tokens.get(index + 2))
            {
                let mut child = file.module.clone();
                child.push(name.clone());
                private.insert(child);
            }
        }
    }
    let references: Vec<References> = files
        .iter()
        .map(|file| references(file, &modules))
        .collect();
    let mut reexports = BTreeMap::new();
    for (file, found) in files.iter().zip(&references) {
        for (name, target) in &found.reexports {
            reexports.insert((file.module.clone(), name.clone()), target.clone());
        }
    }
    Crate {
        files,
        modules,
        private,
        references,
        reexports,
    }
}

#[test]
fn no_file_uses_a_later_step() {
    let krate = read_crate();
    let mut wrong = Vec::new();
    for (file, found) in krate.files.iter().zip(&krate.references) {
        for (line, why) in &found.refused {
            wrong.push(format!("{}:{line}: {why}", file.path.display()));
        }
        let Some(top) = file.module.first() else {
            continue;
        };
        let own = layer_of(top).unwrap_or_else(|| {
            panic!("`src/{top}` is not in the table of steps in tests/layering.rs: add it")
        });
        for (line, reference) in &found.paths {
            let defined = defining_module(reference, &krate.modules, &krate.reexports)
                .unwrap_or_else(|| reference.clone());
            for target in [reference, &defined] {
                let Some(step) = target.first() else { continue };
                match layer_of(step) {
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
                        target.join("::")
                    )),
                }
            }
        }
    }
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the flow of data:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_crate_root_only_declares_the_steps_in_order() {
    let text = std::fs::read_to_string("src/lib.rs").expect("src/lib.rs");
    let code = blank_comments_and_strings(&text);
    let mut declared = Vec::new();
    for statement in code.split(';') {
        let words: Vec<&str> = statement.split_whitespace().collect();
        // Attributes (`#![allow(…)]`) stand before the first declaration.
        let words: Vec<&str> = words
            .iter()
            .copied()
            .skip_while(|word| {
                word.starts_with("#!")
                    || !matches!(
                        *word,
                        "pub"
                            | "mod"
                            | "use"
                            | "extern"
                            | "fn"
                            | "struct"
                            | "enum"
                            | "macro_rules!"
                            | "static"
                            | "const"
                            | "type"
                            | "impl"
                            | "trait"
                    )
            })
            .collect();
        match words.as_slice() {
            [] => {}
            ["pub", "mod", name] => declared.push(name.to_string()),
            other => panic!(
                "src/lib.rs may only declare the steps, found `{}`",
                other.join(" ")
            ),
        }
    }
    let steps: Vec<String> = LAYERS.iter().map(|(name, _)| name.to_string()).collect();
    assert_eq!(
        declared, steps,
        "src/lib.rs declares the steps in the order of the table"
    );
}

#[test]
fn no_two_modules_use_each_other() {
    let krate = read_crate();
    let mut edges: BTreeMap<ModulePath, BTreeSet<ModulePath>> = BTreeMap::new();
    for (file, found) in krate.files.iter().zip(&krate.references) {
        if file.module.is_empty() {
            continue;
        }
        let from = unit_of(&file.module, &krate.private);
        let targets = edges.entry(from.clone()).or_default();
        for (_, reference) in &found.paths {
            if let Some(module) = defining_module(reference, &krate.modules, &krate.reexports) {
                let to = unit_of(&module, &krate.private);
                if to != from {
                    targets.insert(to);
                }
            }
        }
    }
    let shown: Vec<String> = cycles(&edges)
        .iter()
        .map(|cycle| {
            cycle
                .iter()
                .map(|module| module.join("::"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    assert!(
        shown.is_empty(),
        "modules that use each other (directly or round about):\n{}",
        shown.join("\n")
    );
}

/// The strongly connected components of more than one module (Tarjan's algorithm; recursion
/// as deep as the few dozen modules of the crate).
fn cycles(edges: &BTreeMap<ModulePath, BTreeSet<ModulePath>>) -> Vec<Vec<ModulePath>> {
    struct State<'a> {
        edges: &'a BTreeMap<ModulePath, BTreeSet<ModulePath>>,
        index: BTreeMap<&'a ModulePath, usize>,
        low: BTreeMap<&'a ModulePath, usize>,
        stack: Vec<&'a ModulePath>,
        on_stack: BTreeSet<&'a ModulePath>,
        found: Vec<Vec<ModulePath>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a ModulePath) {
        let next = state.index.len();
        state.index.insert(node, next);
        state.low.insert(node, next);
        state.stack.push(node);
        state.on_stack.insert(node);
        for target in state.edges.get(node).into_iter().flatten() {
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

/// The reader of the source is itself tested on the ways of writing that the review found it
/// missed, so that a change to it cannot quietly blind it.
#[test]
fn the_reader_sees_every_way_of_writing_a_path() {
    let modules: BTreeSet<ModulePath> = [
        vec!["engine".to_owned()],
        vec!["engine".to_owned(), "eval".to_owned()],
        vec!["engine".to_owned(), "assessment".to_owned()],
        vec!["report".to_owned()],
    ]
    .into_iter()
    .collect();
    let read = |text: &str| {
        let file = SourceFile {
            path: PathBuf::from("src/engine/eval.rs"),
            module: vec!["engine".to_owned(), "eval".to_owned()],
            code: without_test_modules(&blank_comments_and_strings(text)),
        };
        let found = references(&file, &modules);
        let mut paths: Vec<String> = found
            .paths
            .iter()
            .map(|(_, path)| path.join("::"))
            .collect();
        paths.extend(
            found
                .refused
                .iter()
                .map(|(_, why)| format!("refused: {why}")),
        );
        paths
    };
    assert_eq!(read("use crate::{report, base};"), ["report", "base"]);
    assert_eq!(
        read("use crate::{\n    report::Format,\n};"),
        ["report::Format"]
    );
    assert_eq!(read("use crate::\n    report::Format;"), ["report::Format"]);
    assert_eq!(read("use crate :: report :: Format;"), ["report::Format"]);
    assert_eq!(
        read("let _ = \"http://x\"; let _: Option<crate::report::Format> = None;"),
        ["report::Format"]
    );
    assert_eq!(
        read("use super::assessment::{self, Assessment as A};"),
        ["engine::assessment", "engine::assessment::Assessment"]
    );
    assert_eq!(
        read("// use crate::report;\n/* crate::report */ let s = \"crate::report\";"),
        Vec::<String>::new()
    );
    assert_eq!(
        read("#[cfg(test)]\nmod tests {\n    use crate::report;\n}\nuse crate::base;"),
        ["base"]
    );
    assert!(read("use crate as root; use root::report::Format;")[0].starts_with("refused"));
    assert!(read("use super::super as root;")[0].starts_with("refused"));
    assert!(read("#[path = \"../report/escape.rs\"] mod esc;")[0].starts_with("refused"));
    assert!(read("extern crate self as yimi;")[0].starts_with("refused"));
    assert_eq!(read("let c = '\"'; use crate::report;"), ["report"]);
    assert_eq!(read("let c = '\\''; use crate::report;"), ["report"]);
    assert_eq!(read("use crate::r#report::x;"), ["report::x"]);
    assert_eq!(
        read("fn f<'a>(x: &'a str) -> &'a str { crate::report::x(x) }"),
        ["report::x"]
    );
}
