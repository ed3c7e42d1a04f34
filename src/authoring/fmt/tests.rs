use std::path::PathBuf;

use proptest::prelude::*;

use super::*;
use crate::rules::check::{Input, check};
use crate::rules::parse::parse_concrete;
use crate::sources::corpus::Corpus;

fn source(name: &str, text: &str) -> Arc<SourceFile> {
    SourceFile::new(name.to_owned(), text.to_owned())
}

fn formatted(name: &str, text: &str) -> String {
    match format(&source(name, text)) {
        Ok(text) => text,
        Err(errors) => panic!("{name} does not format: {errors:?}"),
    }
}

/// Files under `dir` whose name ends with `suffix`, sorted, with their text.
fn files(dir: &str, suffix: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{dir}: {error}"))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.to_string_lossy().ends_with(suffix))
        // Files that are not UTF-8 (in the malformed-input corpus) are no rule text to format.
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            Some((path.display().to_string(), text))
        })
        .collect();
    found.sort();
    found
}

fn builtin_packs() -> Vec<(String, String)> {
    files("rules", ".yimi")
}

/// Input and expected output side by side: `tests/fmt/NAME.in.yimi` formats to
/// `tests/fmt/NAME.out.yimi`, which is a fixed point.
#[test]
fn each_case_formats_to_its_expected_text() {
    let cases = files("tests/fmt", ".in.yimi");
    assert!(cases.len() >= 2, "the cases are found");
    for (path, input) in cases {
        let expected_path = path.replace(".in.yimi", ".out.yimi");
        let output = formatted(&path, &input);
        if std::env::var_os("UPDATE_FMT").is_some() {
            std::fs::write(&expected_path, &output).expect("writable");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|error| panic!("{expected_path}: {error}"));
        assert_eq!(
            output, expected,
            "{path} (UPDATE_FMT=1 rewrites the expected files)"
        );
        assert_eq!(
            formatted(&expected_path, &expected),
            expected,
            "{expected_path}"
        );
    }
}

/// Formatting keeps every comment, in order, and formatting again changes nothing, for the
/// built-in packs and every rule file in the repository's tests that parses.
#[test]
fn formatting_is_idempotent_and_keeps_comments() {
    let mut all = builtin_packs();
    all.extend(files("tests/fixtures/rules", ".yimi"));
    all.extend(files("tests/refine", ".yimi"));
    all.extend(files("tests/bad-input/rules", ".yimi"));
    all.extend(files("fuzz/corpus/rule_parser", ".yimi"));
    let mut formatted_files = 0;
    for (name, text) in all {
        let Ok(once) = format(&source(&name, &text)) else {
            continue;
        };
        formatted_files += 1;
        let comments = |text: &str| {
            crate::rules::parse::comments(text)
                .iter()
                .map(|comment| {
                    text.get(comment.span.clone())
                        .unwrap_or_default()
                        .trim_end()
                        .to_owned()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(comments(&text), comments(&once), "{name}: comments");
        assert_eq!(formatted(&name, &once), once, "{name}: formatting twice");
        assert!(once.ends_with('\n') || once.is_empty(), "{name}");
        assert!(!once.contains("\n\n\n"), "{name}: at most one blank line");
        assert!(
            once.lines().all(|line| line == line.trim_end()),
            "{name}: trailing spaces"
        );
    }
    assert!(formatted_files > 20, "{formatted_files} files formatted");
}

/// The checked packs, with what only places them in their file (spans) left out, or the errors
/// (code and message) when they do not check.
fn meaning(files: &[(String, String)]) -> Result<serde_json::Value, Vec<(String, String)>> {
    let inputs = files
        .iter()
        .map(|(name, text)| {
            let (tree, errors) = crate::rules::parse::parse_file(&source(name, text));
            assert!(errors.is_empty(), "{name}: {errors:?}");
            Input {
                tree,
                builtin: false,
                base_dir: PathBuf::from(name).parent().map(PathBuf::from),
            }
        })
        .collect();
    let (set, diagnostics) = check(inputs, Corpus::builtin());
    let errors: Vec<(String, String)> = diagnostics
        .iter()
        .map(|diagnostic| (diagnostic.code.to_owned(), diagnostic.message.en.clone()))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut value = serde_json::to_value(&set).expect("a rule set serializes");
    without_spans(&mut value);
    Ok(value)
}

/// `value` without what depends on the layout: spans, and the line breaks, indentation and
/// comments in conditions as written (kept for display).
fn without_spans(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| !key.contains("span"));
            if let Some(written) = map.get_mut("written") {
                collapse_spaces(written);
            }
            map.values_mut().for_each(without_spans);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_spans),
        _ => {}
    }
}

fn collapse_spaces(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => {
            let mut code = String::new();
            let mut at = 0;
            for comment in crate::rules::parse::comments(text) {
                code.push_str(text.get(at..comment.span.start).unwrap_or_default());
                at = comment.span.end;
            }
            code.push_str(text.get(at..).unwrap_or_default());
            *text = code.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(collapse_spaces),
        serde_json::Value::Object(map) => map.values_mut().for_each(collapse_spaces),
        _ => {}
    }
}

/// Errors without the line numbers in their messages (`first defined at file:12`), which move
/// when the file is laid out anew.
fn without_line_numbers(errors: Vec<(String, String)>) -> Vec<(String, String)> {
    errors
        .into_iter()
        .map(|(code, message)| {
            let mut cleaned = String::new();
            let mut after_colon = false;
            for c in message.chars() {
                if !(after_colon && c.is_ascii_digit()) {
                    cleaned.push(c);
                    after_colon = c == ':';
                }
            }
            (code, cleaned)
        })
        .collect()
}

fn formatted_all(files: &[(String, String)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(name, text)| (name.clone(), formatted(name, text)))
        .collect()
}

/// Formatting never changes what a pack means: the built-in packs check to the same rule set
/// before and after, and each fixture pack gives the same errors (or the same rule set).
#[test]
fn formatting_keeps_the_checked_meaning() {
    let builtin = builtin_packs();
    let before = meaning(&builtin);
    assert!(before.is_ok(), "the built-in packs check: {before:?}");
    let after = meaning(&formatted_all(&builtin));
    if after != before {
        let show = |value: &Result<serde_json::Value, Vec<(String, String)>>| format!("{value:#?}");
        let (before, after) = (show(&before), show(&after));
        let first = before
            .lines()
            .zip(after.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        let context = |text: &str| {
            text.lines()
                .skip(first.saturating_sub(3))
                .take(6)
                .collect::<Vec<_>>()
                .join("\n")
        };
        panic!(
            "built-in packs differ:\n{}\n---\n{}",
            context(&before),
            context(&after)
        );
    }
    for fixture in files("tests/fixtures/rules", ".yimi") {
        if format(&source(&fixture.0, &fixture.1)).is_err() {
            continue;
        }
        let before = meaning(std::slice::from_ref(&fixture)).map_err(without_line_numbers);
        let after =
            meaning(&formatted_all(std::slice::from_ref(&fixture))).map_err(without_line_numbers);
        assert_eq!(after, before, "{}", fixture.0);
    }
}

/// The spaces and line breaks between the tokens of an item, where one may be put (not inside
/// a number with its unit, not across a comment or a blank line, not before an item's first
/// token, nor after it: an item starts with its keyword and a space), each replaced by a space or a line break and indentation as `choices` say.
fn respaced(text: &str, choices: &[u8]) -> String {
    let file = source("p.yimi", text);
    let tree = parse_concrete(&file).expect("parses");
    let mut gaps: Vec<Span> = Vec::new();
    let mut item_starts: Vec<usize> = tree.items.iter().map(|item| item.span.start).collect();
    item_starts.sort_unstable();
    let mut pending: Vec<&Concrete> = tree.items.iter().collect();
    let mut leaves: Vec<Span> = Vec::new();
    while let Some(node) = pending.pop() {
        if node.children.is_empty() || matches!(node.rule, G::string | G::quantity) {
            leaves.push(node.span.clone());
        } else {
            pending.extend(node.children.iter());
        }
    }
    leaves.sort_by_key(|span| span.start);
    for pair in leaves.windows(2) {
        let (Some(left), Some(right)) = (pair.first(), pair.get(1)) else {
            continue;
        };
        let gap = left.end..right.start;
        let between = text.get(gap.clone()).unwrap_or_default();
        let only_space = between.chars().all(|c| c == ' ' || c == '\n');
        if only_space
            && between.matches('\n').count() < 2
            && item_starts.binary_search(&right.start).is_err()
            && item_starts.binary_search(&left.start).is_err()
        {
            gaps.push(gap);
        }
    }
    let mut out = String::new();
    let mut at = 0;
    for (index, gap) in gaps.iter().enumerate() {
        let choice = choices
            .get(index % choices.len().max(1))
            .copied()
            .unwrap_or(0);
        out.push_str(text.get(at..gap.start).unwrap_or_default());
        let between = text.get(gap.clone()).unwrap_or_default();
        // Tokens that touch (`f(`, `a.b`, `x=>`) stay touching or get spaces; line breaks go
        // only where there was space, so a token is never split from its punctuation wrongly.
        // A line break stays one: `2\n year` is not `2 year` (a number and its unit).
        let replacement = match choice % 4 {
            _ if between.is_empty() => "",
            0 | 1 if between.contains('\n') => between,
            0 => " ",
            1 => "   ",
            2 => "\n      ",
            _ => between,
        };
        out.push_str(replacement);
        at = gap.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// The built-in packs with where each of their items starts.
static PACK_ITEMS: std::sync::LazyLock<Vec<(String, String, Vec<usize>)>> =
    std::sync::LazyLock::new(|| {
        builtin_packs()
            .into_iter()
            .map(|(name, text)| {
                let starts = parse_concrete(&source(&name, &text))
                    .expect("parses")
                    .items
                    .iter()
                    .map(|item| item.span.start)
                    .collect();
                (name, text, starts)
            })
            .collect()
    });

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// The layout depends on the tokens and comments only, not on how the text was spaced: any
    /// respacing of a part of a pack formats to the same text as the part.
    #[test]
    fn the_layout_does_not_depend_on_the_spacing(
        pack in 0usize..5,
        first in 0usize..1000,
        choices in proptest::collection::vec(any::<u8>(), 1..64),
    ) {
        let (name, text, starts) = PACK_ITEMS.get(pack % PACK_ITEMS.len()).expect("a pack");
        // Some twenty items from `first` on: any run of whole items is a rule file.
        let from = first % starts.len();
        let start = starts.get(from).copied().unwrap_or(0);
        let end = starts.get(from + 20).copied().unwrap_or(text.len());
        let part = text.get(start..end).expect("items start at characters");
        let canonical = formatted(name, part);
        prop_assert_eq!(formatted(name, &respaced(part, &choices)), canonical);
    }
}

#[test]
fn a_file_with_syntax_errors_is_not_formatted() {
    let errors = format(&source("bad.yimi", "rule X \"t\" {\n  require a >\n}\n"))
        .expect_err("a syntax error");
    assert!(
        errors.iter().all(|error| error.code.starts_with("rules::")),
        "{errors:?}"
    );
}

#[test]
fn an_empty_file_and_a_file_of_comments_stay_as_they_are() {
    assert_eq!(formatted("e.yimi", ""), "");
    assert_eq!(
        formatted("c.yimi", "# only\n\n\n# comments   \n"),
        "# only\n\n# comments\n"
    );
}

/// The built-in packs are in the canonical layout: after editing one, run
/// `yimi rules fmt rules/` (then `UPDATE_COMPILED=1 cargo test --lib compiled`).
#[test]
fn the_built_in_packs_are_formatted() {
    for (name, text) in builtin_packs() {
        assert!(
            formatted(&name, &text) == text,
            "{name} is not formatted: run `yimi rules fmt rules/`, then `UPDATE_COMPILED=1 cargo test --lib compiled`"
        );
    }
}

#[test]
fn a_diff_as_one_hunk_reads_as_the_line_diff_of_the_same_change() {
    let (before, after) = ("a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nd\nE\nF\ng\nh\n");
    let old: Vec<&str> = before.split_inclusive('\n').collect();
    let new: Vec<&str> = after.split_inclusive('\n').collect();
    let by_lines = similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(DIFF_CONTEXT_LINES)
        .to_string();
    let hunk = |old: &[&str], new: &[&str], prefix, suffix| {
        let mut out = String::new();
        one_hunk(&mut out, old, new, prefix, suffix);
        out
    };
    assert_eq!(hunk(&old, &new, 4, 2), by_lines);
    let hunk = hunk(&["a\n", "b"], &["a\n", "B\n"], 1, 0);
    assert_eq!(
        hunk,
        "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+B\n"
    );
}

/// 100,000 lines changed among 100,000 kept: diffed line by line, the shortest diff would take
/// minutes; past the limit the span is one hunk, made in one pass.
#[test]
fn a_diff_of_many_scattered_changes_is_one_hunk() {
    let lines = 200_000;
    let text = |changed: &str| -> String {
        (0..lines)
            .map(|i| {
                if i % 2 == 0 {
                    format!("kept {i}\n")
                } else {
                    format!("{changed} {i}\n")
                }
            })
            .collect()
    };
    let diff = unified_diff("big.yimi", &text("before"), &text("after"));
    assert_eq!(diff.matches("\n@@ ").count(), 1);
    // From the first change (line 2) to the last (the last line), every line is removed and
    // added again; and the header's `---` and `+++` lines.
    let span = lines - 1;
    assert_eq!(
        diff.lines().filter(|line| line.starts_with('-')).count(),
        span + 1
    );
    assert_eq!(
        diff.lines().filter(|line| line.starts_with('+')).count(),
        span + 1
    );
    assert!(diff.starts_with(
        "--- big.yimi\n+++ big.yimi (formatted)\n@@ -1,200000 +1,200000 @@\n kept 0\n-before 1\n"
    ));
}

/// The tokens of `text` as [`format`] records them for [`verify`].
fn tokens_of(file: &Arc<SourceFile>) -> Vec<Token> {
    concrete_items(file)
        .map(|item| item.expect("the item parses"))
        .flat_map(|item| {
            leaves(std::slice::from_ref(&item))
                .filter_map(Token::of)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What is printed is checked against the file item by item: an item printed exactly as the
/// file wrote it is taken as the file's without parsing it again, any other is parsed and its
/// tokens compared, so a changed or added token, or an item written twice, is caught before,
/// between or after items kept as written.
#[test]
fn verification_catches_a_changed_token_beside_items_kept_as_written() {
    let text = std::fs::read_to_string("tests/fmt/layout.out.yimi").expect("the case");
    let file = source("t.yimi", &text);
    let tokens = tokens_of(&file);
    let comments = crate::rules::parse::comments(&file.text);
    assert!(verify(&file, &tokens, &comments, text.clone()).is_ok());
    let items = crate::rules::parse::item_ranges(&text);
    assert!(items.len() >= 3, "{items:?}");
    // The same text respaced inside one item only: verified by parsing that item.
    let respaced = text.replacen("  domain", "  domain  ", 1);
    assert_ne!(respaced, text);
    assert!(verify(&file, &tokens, &comments, respaced).is_ok());
    // A token changed in the last item, in a middle one, or a token added to the first.
    let last = items.last().expect("items").clone();
    let (head, tail) = text.split_at(last.start);
    let changed_last = format!("{head}{}", tail.replacen("§6", "§7", 1));
    let middle = items[1].clone();
    let changed_middle = format!(
        "{}{}{}",
        &text[..middle.start],
        text[middle.clone()].replacen('{', "{ domain policy", 1),
        &text[middle.end..]
    );
    let added_first = text.replacen('{', "{ version \"x\"", 1);
    for wrong in [changed_last, changed_middle, added_first] {
        assert_ne!(wrong, text);
        assert!(
            verify(&file, &tokens, &comments, wrong.clone()).is_err(),
            "{wrong}"
        );
    }
    // The first item written twice.
    let doubled = format!("{}{}", &text[..items[1].start], &text[items[0].start..]);
    assert!(verify(&file, &tokens, &comments, doubled).is_err());
}
