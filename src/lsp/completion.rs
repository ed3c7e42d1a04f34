//! Completion. In a project file: the keys the model allows in the mapping at the cursor and the
//! values of an enum, each with its Chinese and English description. In a pack: keywords, paths
//! into the model, enum values, units, parameter names, source ids and clause numbers.
//!
//! A document being typed is often not valid YAML or not a valid pack, so the context is read
//! from the text around the cursor (indentation, the words before it), not from a parse.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionParams,
    CompletionResponse,
};

use super::Server;
use super::analysis::Kind;
use super::hover::{field_at, record_of};
use super::position::LineIndex;
use crate::base::i18n::{Lang, Text};
use crate::project::types::{RecordTy, Ty, project_type};
use crate::rules::check::FUNCTIONS;
use crate::rules::ir::{Domain, RuleSet};

/// Answers `textDocument/completion`.
pub fn complete(server: &Server, params: &CompletionParams) -> Option<CompletionResponse> {
    let position = params.text_document_position.position;
    let uri = &params.text_document_position.text_document.uri;
    let document = server.readable(uri)?;
    let index = LineIndex::new(&document.text);
    let offset = index.offset(position);
    let before = index.line_before(offset);
    // The line of the clamped offset: a client may send any line number.
    let line = usize::try_from(index.position(offset).line).ok()?;
    let lang = server.settings.lang;
    let items = match document.analysis.kind {
        Kind::Project => {
            let indicators = || {
                server.loaded().map_or_else(Vec::new, |loaded| {
                    indicator_items(&loaded.set, document.analysis.packs.as_deref(), lang)
                })
            };
            project_items(&index, line, before, indicators, lang)
        }
        Kind::Pack => {
            let set = document
                .analysis
                .set
                .as_ref()
                .or_else(|| server.loaded().map(|loaded| &loaded.set));
            let mut items = pack_items(server, set, before, lang);
            if let (Some(set), Some(param)) = (set, refined_here(&index, line)) {
                items.extend(refinement_test_rules(set, param, before, lang));
            }
            items
        }
        Kind::Waivers | Kind::Other => Vec::new(),
    };
    Some(CompletionResponse::Array(items))
}

/// The parameter of the `refine` block the line is in, if it is in one: the nearest item keyword
/// at the start of a line above (an item starts so) is `refine`.
fn refined_here<'t>(index: &LineIndex<'t>, line: usize) -> Option<&'t str> {
    let mut words = (0..=line)
        .rev()
        .map(|at| index.line(at))
        .find(|text| {
            TOP_KEYWORDS.iter().any(|keyword| {
                text.strip_prefix(keyword)
                    .is_some_and(|rest| rest.starts_with(' '))
            })
        })?
        .split_whitespace();
    (words.next() == Some("refine"))
        .then(|| words.next())
        .flatten()
}

/// After `test` in a `refine` block: the rules that read the parameter, which a test may name.
fn refinement_test_rules(
    set: &RuleSet,
    param: &str,
    before: &str,
    lang: Lang,
) -> Vec<CompletionItem> {
    let tokens: Vec<&str> = before.split_whitespace().collect();
    let naming = match tokens.as_slice() {
        ["test"] => before.ends_with(char::is_whitespace),
        ["test", _] => !before.ends_with(char::is_whitespace),
        _ => false,
    };
    if !naming {
        return Vec::new();
    }
    let readers = set
        .params
        .iter()
        .enumerate()
        .filter(|(_, declared)| declared.name == param)
        .map(|(index, _)| index)
        .collect::<Vec<_>>();
    set.rules
        .iter()
        .filter(|rule| rule.params().iter().any(|read| readers.contains(read)))
        .map(|rule| {
            item(
                &rule.id,
                CompletionItemKind::REFERENCE,
                Some(&rule.title),
                lang,
            )
        })
        .collect()
}

/// A key of the model: its meaning in both languages, and its type as the detail.
fn field_item(field: &crate::project::types::Field, lang: Lang) -> CompletionItem {
    let mut completion = item(
        &field.name,
        CompletionItemKind::FIELD,
        Some(&field.doc),
        lang,
    );
    completion.detail = Some(field.ty.describe().get(lang).to_owned());
    completion
}

fn item(label: &str, kind: CompletionItemKind, doc: Option<&Text>, lang: Lang) -> CompletionItem {
    let (detail, other) = match (doc, lang) {
        (Some(doc), Lang::Zh) => (Some(doc.zh.clone()), Some(doc.en.clone())),
        (Some(doc), Lang::En) => (Some(doc.en.clone()), Some(doc.zh.clone())),
        (None, _) => (None, None),
    };
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: detail.clone(),
        label_details: Some(CompletionItemLabelDetails {
            detail: None,
            description: match (detail, other) {
                (Some(detail), Some(other)) if detail != other => {
                    Some(format!("{detail} · {other}"))
                }
                (Some(detail), _) => Some(detail),
                _ => None,
            },
        }),
        ..CompletionItem::default()
    }
}

/// The column where a line's key starts (after spaces and `- ` markers) and the key, if the line
/// holds one; `None` for a blank or comment line.
pub(super) fn key_of_line(line: &str) -> Option<(usize, bool, Option<&str>)> {
    let mut column = 0;
    let mut rest = line;
    let mut dashed = false;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        column += rest.len() - trimmed.len();
        rest = trimmed;
        match rest
            .strip_prefix("- ")
            .or_else(|| (rest == "-").then_some(""))
        {
            Some(after) => {
                column += rest.len() - after.len();
                rest = after;
                dashed = true;
            }
            None => break,
        }
    }
    if rest.is_empty() && !dashed || rest.starts_with('#') {
        return None;
    }
    let key = rest.split_once(':').map(|(key, _)| key).filter(|key| {
        !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    Some((column, dashed, key))
}

/// Whether a line is indented by more than `column` spaces, so that it holds no key at or left of
/// `column`: checked in time proportional to `column`, not to the line.
fn deeper_than(line: &str, column: usize) -> bool {
    line.len() > column && line.bytes().take(column + 1).all(|byte| byte == b' ')
}

/// The keys of the mappings that contain the cursor's line, outermost first, read from
/// indentation.
pub(super) fn parents(index: &LineIndex<'_>, line: usize, column: usize) -> Vec<String> {
    let mut keys = Vec::new();
    let mut limit = column;
    for number in (0..line).rev() {
        if limit == 0 {
            break;
        }
        let text = index.line(number);
        if deeper_than(text, limit) {
            continue;
        }
        let Some((at, _, key)) = key_of_line(text) else {
            continue;
        };
        if at < limit {
            if let Some(key) = key {
                keys.push(key.to_owned());
            }
            limit = at;
        }
    }
    keys.reverse();
    keys
}

/// The keys already written in the mapping the cursor's line belongs to (same column, up to the
/// lines less indented and, in a list, to the items before and after).
fn siblings(index: &LineIndex<'_>, line: usize, column: usize, dashed: bool) -> Vec<String> {
    let mut keys = Vec::new();
    if !dashed {
        for number in (0..line).rev() {
            let text = index.line(number);
            if deeper_than(text, column) {
                continue;
            }
            let Some((at, item, key)) = key_of_line(text) else {
                continue;
            };
            if at < column {
                break;
            }
            if at == column {
                keys.extend(key.map(str::to_owned));
                if item {
                    break;
                }
            }
        }
    }
    for number in line.saturating_add(1)..index.line_count() {
        let text = index.line(number);
        if deeper_than(text, column) {
            continue;
        }
        let Some((at, item, key)) = key_of_line(text) else {
            continue;
        };
        if at < column || (at == column && item) {
            break;
        }
        if at == column {
            keys.extend(key.map(str::to_owned));
        }
    }
    keys
}

fn record_at(keys: &[String]) -> Option<&'static RecordTy> {
    if keys.is_empty() {
        return Some(project_type());
    }
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let (record, at) = field_at(&keys)?;
    record_of(&record.fields.get(at)?.ty)
}

fn type_at(keys: &[&str]) -> Option<&'static Ty> {
    let (record, at) = field_at(keys)?;
    Some(&record.fields.get(at)?.ty)
}

fn value_items(ty: &Ty, lang: Lang) -> Vec<CompletionItem> {
    let mut ty = ty;
    while let Ty::List(item) = ty {
        ty = item;
    }
    match ty {
        Ty::Enum(enumeration) => enumeration
            .variants
            .iter()
            .map(|variant| {
                item(
                    &variant.name,
                    CompletionItemKind::ENUM_MEMBER,
                    Some(&variant.doc),
                    lang,
                )
            })
            .collect(),
        Ty::Bool => ["true", "false"]
            .iter()
            .map(|word| item(word, CompletionItemKind::VALUE, None, lang))
            .collect(),
        _ => Vec::new(),
    }
}

/// The indicator ids a target may name, each with its label and unit: those the targets of the
/// packs that applied to the file read, else (a file not assessed yet) every declared one. An
/// id is free text to the model, so only the packs know them.
fn indicator_items(set: &RuleSet, packs: Option<&[usize]>, lang: Lang) -> Vec<CompletionItem> {
    let read = packs.map(|packs| crate::engine::indicators::read_by(set, packs));
    let indicators: Vec<&crate::rules::ir::Indicator> = match &read {
        Some(read) if !read.is_empty() => read
            .iter()
            .filter_map(|&index| set.indicators.get(index))
            .collect(),
        _ => set.indicators.iter().collect(),
    };
    indicators
        .into_iter()
        .map(|indicator| {
            let mut completion = item(
                &indicator.id,
                CompletionItemKind::ENUM_MEMBER,
                Some(&indicator.label),
                lang,
            );
            if let Some(unit) = indicator.unit.as_ref().filter(|unit| *unit != "none") {
                completion.detail = completion.detail.map(|detail| format!("{detail} ({unit})"));
            }
            completion
        })
        .collect()
}

fn project_items(
    index: &LineIndex<'_>,
    line: usize,
    before: &str,
    indicators: impl FnOnce() -> Vec<CompletionItem>,
    lang: Lang,
) -> Vec<CompletionItem> {
    let (column, dashed, key) = key_of_line(before).unwrap_or((before.len(), false, None));
    // `- { indicator: …`: the key of a flow mapping's entry, after its `{` or last `,`.
    let key = key.or_else(|| {
        let (_, entry) = before.rsplit_once(['{', ','])?;
        let (name, _) = entry.trim_start().split_once(": ")?;
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then_some(name)
    });
    let mut keys = parents(index, line, column);
    // `key: …` on this line: its values.
    if let Some(key) = key
        && before.contains(": ")
    {
        keys.push(key.to_owned());
        let path: Vec<&str> = keys.iter().map(String::as_str).collect();
        if path == ["targets", "indicator"] {
            return indicators();
        }
        return type_at(&path).map_or_else(Vec::new, |ty| value_items(ty, lang));
    }
    // `- …` under a list of values.
    if dashed && key.is_none() {
        let path: Vec<&str> = keys.iter().map(String::as_str).collect();
        if let Some(ty @ Ty::List(item)) = type_at(&path)
            && !matches!(item.as_ref(), Ty::Record(_))
        {
            return value_items(ty, lang);
        }
    }
    let Some(record) = record_at(&keys) else {
        return Vec::new();
    };
    let written = siblings(index, line, column, dashed);
    record
        .fields
        .iter()
        .filter(|field| !written.contains(&field.name))
        .map(|field| {
            let mut completion = field_item(field, lang);
            completion.insert_text = Some(format!("{}: ", field.name));
            completion
        })
        .collect()
}

const TOP_KEYWORDS: &[&str] = &[
    "pack",
    "rule",
    "param",
    "refine",
    "target",
    "indicator",
    "not_checkable",
];
const FIELD_KEYWORDS: &[&str] = &[
    "source",
    "jurisdiction",
    "version",
    "domain",
    "strength",
    "addressee",
    "cite",
    "applies",
    "unless",
    "let",
    "require",
    "at",
    "message",
    "hint",
    "advice",
    "doc",
    "test",
    "en",
    "value",
    "label",
    "basis",
    "indicator",
    "threshold",
    "year",
    "sentence",
];
/// The operators and constants of expressions; the functions are [`FUNCTIONS`].
const EXPRESSION_WORDS: &[&str] = &["and", "or", "not", "in", "true", "false"];

fn words(list: &[&str], kind: CompletionItemKind, lang: Lang) -> Vec<CompletionItem> {
    list.iter()
        .map(|word| item(word, kind, None, lang))
        .collect()
}

fn pack_items(
    server: &Server,
    set: Option<&RuleSet>,
    before: &str,
    lang: Lang,
) -> Vec<CompletionItem> {
    let corpus = server.corpus();
    let trimmed = before.trim_start();
    let tokens: Vec<&str> = trimmed.split_whitespace().collect();
    let ends_in_space = before.ends_with(char::is_whitespace);
    let partial = if ends_in_space {
        ""
    } else {
        tokens.last().copied().unwrap_or("")
    };
    // Whole tokens before the one being written.
    let done = if ends_in_space {
        tokens.len()
    } else {
        tokens.len().saturating_sub(1)
    };
    let first = tokens.first().copied().filter(|_| done >= 1);
    match (first, done) {
        (None, _) if before.len() == trimmed.len() => {
            return words(TOP_KEYWORDS, CompletionItemKind::KEYWORD, lang);
        }
        (None, _) => {
            let mut items = words(FIELD_KEYWORDS, CompletionItemKind::KEYWORD, lang);
            items.extend(words(TOP_KEYWORDS, CompletionItemKind::KEYWORD, lang));
            return items;
        }
        (Some("source" | "cite"), 1) => {
            return corpus
                .sources()
                .iter()
                .map(|source| {
                    item(
                        &source.id,
                        CompletionItemKind::MODULE,
                        Some(&Text::same(source.title.clone())),
                        lang,
                    )
                })
                .collect();
        }
        (Some("cite"), 2) if partial.starts_with('§') || partial.is_empty() => {
            let Some(source) = tokens.get(1).and_then(|id| corpus.get(id)) else {
                return Vec::new();
            };
            return source
                .clauses()
                .iter()
                .map(|clause| {
                    let mut completion = item(
                        &format!("§{}", clause.id),
                        CompletionItemKind::REFERENCE,
                        None,
                        lang,
                    );
                    let own: String = source.own_text_of(clause).chars().take(60).collect();
                    completion.detail = Some(own.trim().to_owned());
                    completion
                })
                .collect();
        }
        (Some("domain"), 1) => {
            return Domain::ALL
                .iter()
                .map(|domain| {
                    item(
                        domain.as_str(),
                        CompletionItemKind::ENUM_MEMBER,
                        Some(&domain.label()),
                        lang,
                    )
                })
                .collect();
        }
        (Some("addressee"), 1) => {
            return crate::rules::ir::Addressee::ALL
                .iter()
                .map(|addressee| {
                    item(
                        addressee.as_str(),
                        CompletionItemKind::ENUM_MEMBER,
                        Some(&addressee.label()),
                        lang,
                    )
                })
                .collect();
        }
        (Some("strength"), 1) => {
            return words(
                &["shall", "should", "may"],
                CompletionItemKind::ENUM_MEMBER,
                lang,
            );
        }
        (Some("test"), 1) => {
            return words(
                &["pass", "fail", "insufficient_evidence", "not_applicable"],
                CompletionItemKind::ENUM_MEMBER,
                lang,
            );
        }
        (Some("value" | "threshold"), 1) => {
            return words(&["at_least", "at_most"], CompletionItemKind::KEYWORD, lang);
        }
        _ => {}
    }
    // `param.…`: the parameters.
    if let Some(name) = partial.strip_prefix("param.")
        && !name.contains('.')
    {
        return set.map_or_else(Vec::new, |set| {
            set.params
                .iter()
                .map(|param| item(&param.name, CompletionItemKind::CONSTANT, None, lang))
                .collect()
        });
    }
    // `a.b.…`: the fields of the record at `a.b`.
    if let Some((path, _)) = partial.rsplit_once('.') {
        let keys: Vec<String> = path.split('.').map(str::to_owned).collect();
        return record_at(&keys).map_or_else(Vec::new, |record| {
            record
                .fields
                .iter()
                .map(|field| field_item(field, lang))
                .collect()
        });
    }
    let previous = |back: usize| {
        done.checked_sub(back)
            .and_then(|at| tokens.get(at))
            .copied()
            .unwrap_or("")
    };
    // A number just written: units.
    if previous(1).parse::<f64>().is_ok() {
        return crate::project::units::UNITS
            .iter()
            .map(|unit| {
                item(
                    unit.symbol,
                    CompletionItemKind::UNIT,
                    Some(&Text::new(unit.display.0, unit.display.1)),
                    lang,
                )
            })
            .collect();
    }
    // `path == …`, `path != …`, `… in [`: the path's enum values.
    let compared = match previous(1) {
        "==" | "!=" => Some(previous(2)),
        _ => None,
    };
    if let Some(path) = compared {
        let keys: Vec<&str> = path.split('.').collect();
        if let Some(ty) = type_at(&keys) {
            return value_items(ty, lang);
        }
    }
    let mut items: Vec<CompletionItem> = project_type()
        .fields
        .iter()
        .map(|field| field_item(field, lang))
        .collect();
    items.push(item("param.", CompletionItemKind::MODULE, None, lang));
    items.extend(words(EXPRESSION_WORDS, CompletionItemKind::KEYWORD, lang));
    items.extend(words(FUNCTIONS, CompletionItemKind::FUNCTION, lang));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_through_list_markers() {
        assert_eq!(key_of_line("  - kind: park"), Some((4, true, Some("kind"))));
        assert_eq!(key_of_line("site:"), Some((0, false, Some("site"))));
        assert_eq!(key_of_line("   # note"), None);
        assert_eq!(key_of_line(""), None);
        assert_eq!(key_of_line("  - "), Some((4, true, None)));
    }

    #[test]
    fn parents_follow_indentation() {
        let text = "yimi: 1\nsite:\n  area_m2: 3\nfacilities:\n  - kind: playground\n    ";
        let index = LineIndex::new(text);
        assert_eq!(parents(&index, 2, 2), vec!["site".to_owned()]);
        assert_eq!(parents(&index, 5, 4), vec!["facilities".to_owned()]);
        assert!(parents(&index, 3, 0).is_empty());
    }

    fn labels(text: &str) -> Vec<String> {
        let index = LineIndex::new(text);
        let line = index.line_count() - 1;
        project_items(&index, line, index.line(line), Vec::new, Lang::Zh)
            .into_iter()
            .map(|item| item.label)
            .collect()
    }

    #[test]
    fn values_are_offered_after_a_key_of_a_flow_mapping() {
        assert!(
            labels("yimi: 1\nfacilities:\n  - { id: a, kind: ").contains(&"park".to_owned()),
            "{:?}",
            labels("yimi: 1\nfacilities:\n  - { id: a, kind: ")
        );
    }

    #[test]
    fn values_are_offered_after_a_key_and_under_a_list_of_values() {
        assert!(labels("yimi: 1\nproject:\n  kind: ").contains(&"park".to_owned()));
        let list = "yimi: 1\nsurroundings:\n  school_gates:\n    - traffic_calming:\n        - ";
        assert!(
            labels(list).contains(&"speed_hump".to_owned()),
            "{:?}",
            labels(list)
        );
        let keys = labels("yimi: 1\nsurroundings:\n  school_gates:\n    - road: a\n      ");
        assert!(keys.contains(&"traffic_calming".to_owned()) && !keys.contains(&"road".to_owned()));
    }

    #[test]
    fn written_keys_are_those_of_the_same_mapping() {
        let text = "yimi: 1\nsite:\n  name: a\n  \n  area_m2: 3\nfacilities:\n  - kind: x\n    name: y\n  - id: z\n    \n";
        let index = LineIndex::new(text);
        assert_eq!(siblings(&index, 3, 2, false), ["name", "area_m2"]);
        assert_eq!(siblings(&index, 9, 4, false), ["id"]);
        assert_eq!(
            siblings(&index, 3, 0, false),
            ["site", "yimi", "facilities"]
        );
    }
}
