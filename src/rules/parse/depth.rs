//! How deep an expression nests, found by a linear scan before pest (which recurses on nested
//! brackets) ever sees the text.

use super::MAX_EXPR_DEPTH;

/// Where, if anywhere, `text` nests deeper than [`MAX_EXPR_DEPTH`] in a way pest and the Pratt
/// parser would recurse through: brackets (`(`, `[`) and prefix operators in a row (`not not`,
/// `- -`), counted outside strings and comments in one pass without recursion. Checked before
/// pest sees the text, since pest recurses once or more per bracket; the depth of the tree built
/// (which long chains of infix operators also deepen) is checked as it is built.
pub(super) fn too_deep_to_parse(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    // For each open bracket, the prefix operators in a row just before it.
    let mut open: Vec<usize> = Vec::new();
    let mut open_prefixes = 0usize;
    // Prefix operators in a row at the current level, and whether an operand came last.
    let mut prefixes = 0usize;
    let mut after_operand = false;
    let mut i = 0;
    let deeper = |open: &Vec<usize>, open_prefixes: usize, prefixes: usize| {
        open.len() + open_prefixes + prefixes > MAX_EXPR_DEPTH
    };
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'#' => {
                while bytes.get(i).is_some_and(|&b| b != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&b) = bytes.get(i) {
                    match b {
                        b'\\' => i += 2,
                        b'"' | b'\n' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                prefixes = 0;
                after_operand = true;
                continue;
            }
            b'(' | b'[' => {
                open.push(prefixes);
                open_prefixes += prefixes;
                prefixes = 0;
                after_operand = false;
                if deeper(&open, open_prefixes, prefixes) {
                    return Some(i);
                }
            }
            b')' | b']' => {
                if let Some(before) = open.pop() {
                    open_prefixes = open_prefixes.saturating_sub(before);
                }
                prefixes = 0;
                after_operand = true;
            }
            b'-' if !after_operand => {
                prefixes += 1;
                if deeper(&open, open_prefixes, prefixes) {
                    return Some(i);
                }
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
                {
                    i += 1;
                }
                let word = text.get(start..i).unwrap_or_default();
                match word {
                    "not" if !next_word_is_in(text, i) => {
                        prefixes += 1;
                        if deeper(&open, open_prefixes, prefixes) {
                            return Some(start);
                        }
                        after_operand = false;
                    }
                    // Operators, and the fields an expression follows.
                    "not" | "and" | "or" | "in" | "require" | "applies" | "unless" | "at" => {
                        after_operand = false
                    }
                    _ => {
                        prefixes = 0;
                        after_operand = true;
                    }
                }
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => after_operand = false,
        }
        i += 1;
    }
    None
}

/// Whether the next word after byte `at` is `in` (so a `not` before it is `not in`).
fn next_word_is_in(text: &str, at: usize) -> bool {
    let rest = text.get(at..).unwrap_or_default().trim_start();
    rest.strip_prefix("in")
        .is_some_and(|after| !after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
}
