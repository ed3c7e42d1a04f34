//! Quick fixes. Each is worked out with its diagnostic, against the text the diagnostic was made
//! from, and travels in the diagnostic's `data`; the code action request only hands back those
//! that belong to the diagnostics the editor asks about, so a fix never applies to a newer text
//! than it was made for.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CreateFile,
    CreateFileOptions, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, ResourceOp, TextDocumentEdit, TextEdit, Url,
    WorkspaceEdit,
};

use super::position::LineIndex;
use crate::base::diagnostic::Diagnostic;
use crate::base::i18n::Lang;
use crate::project::Project;
use crate::project::types::{Ty, project_type};
use crate::project::yaml::{Segment, Value, YamlPath};
use crate::rules::ir::RuleSet;
use crate::tr;

/// A quick fix: what the editor shows and the edit it makes.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    /// The action's title.
    pub title: String,
    /// The edit.
    pub edit: WorkspaceEdit,
}

/// The quick fixes carried by the diagnostics the editor asks about.
pub fn code_actions(params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let mut actions = Vec::new();
    for diagnostic in &params.context.diagnostics {
        let Some(fixes) = diagnostic
            .data
            .as_ref()
            .and_then(|data| data.get("fixes"))
            .and_then(|fixes| serde_json::from_value::<Vec<Fix>>(fixes.clone()).ok())
        else {
            continue;
        };
        for fix in fixes {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(fix.edit),
                is_preferred: Some(true),
                ..CodeAction::default()
            }));
        }
    }
    actions
}

fn edit_of(uri: &Url, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// "Did you mean `X`?": replace the underlined text by `X`. The English wording is read, whatever
/// the language shown, and only a name-like underline (one line, no spaces) is replaced.
pub fn did_you_mean(
    diagnostic: &Diagnostic,
    uri: &Url,
    index: &LineIndex<'_>,
    lang: Lang,
) -> Option<Fix> {
    let texts = [Some(&diagnostic.message), diagnostic.help.as_ref()];
    let suggestion = texts
        .into_iter()
        .flatten()
        .chain(diagnostic.labels.iter().map(|label| &label.text))
        .find_map(|text| suggested(&text.en))?;
    let span = diagnostic.primary_span();
    let written = diagnostic.file.text.get(span.clone())?;
    if written.is_empty()
        || written == suggestion
        || written.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        return None;
    }
    let title = tr!("改为 `{suggestion}`", "change to `{suggestion}`");
    Some(Fix {
        title: title.get(lang).to_owned(),
        edit: edit_of(
            uri,
            vec![TextEdit::new(index.range(&span), suggestion.to_owned())],
        ),
    })
}

fn suggested(text: &str) -> Option<&str> {
    let (_, rest) = text.split_once("did you mean `")?;
    let (name, _) = rest.split_once('`')?;
    (!name.is_empty()).then_some(name)
}

/// "Insufficient evidence": insert the missing key where it belongs, with `~` (not stated, so the
/// rule stays undecided until a real value is written) and a comment saying what to write.
/// Offered when the nearest stated mapping is a block mapping and only keys are missing.
pub fn insert_missing(
    project: &Project,
    uri: &Url,
    index: &LineIndex<'_>,
    path: &YamlPath,
    lang: Lang,
) -> Option<Fix> {
    let text = project.file.text.as_ref();
    let mut node = &project.tree;
    let mut stated = 0;
    for segment in &path.segments {
        let next = match (segment, &node.value) {
            (Segment::Key(key), _) => node.get(key),
            (Segment::Index(at), Value::Seq(items)) => items.get(*at),
            _ => None,
        };
        match next {
            Some(found) => {
                node = found;
                stated += 1;
            }
            None => break,
        }
    }
    let missing: Vec<&str> = path
        .segments
        .get(stated..)?
        .iter()
        .map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
        .collect::<Option<_>>()?;
    if missing.is_empty() {
        return None;
    }
    let Value::Map(entries) = &node.value else {
        return None;
    };
    let kind = field_type(path).map(|ty| ty.describe().get(lang).to_owned());
    let shown = path.to_string();
    let title = tr!("添加 `{shown}`(待填写)", "add `{shown}` (to be filled in)");
    if text.get(node.span.start..)?.starts_with('{') {
        // A flow mapping: `, key: ~` before its closing brace (no room for a comment).
        let close = node.span.start + text.get(node.span.clone())?.rfind('}')?;
        let mut insertion = if entries.is_empty() {
            String::new()
        } else {
            ", ".to_owned()
        };
        for key in &missing {
            insertion.push_str(key);
            insertion.push_str(": {");
        }
        insertion.truncate(insertion.len().saturating_sub(1));
        insertion.push('~');
        insertion.push_str(&"}".repeat(missing.len().saturating_sub(1)));
        let position = index.position(close);
        return Some(Fix {
            title: title.get(lang).to_owned(),
            edit: edit_of(
                uri,
                vec![TextEdit::new(
                    lsp_types::Range::new(position, position),
                    insertion,
                )],
            ),
        });
    }
    // Lines end as the document's first line does (`\n`, `\r\n`, or a `\r` alone), so that the
    // keys inserted are on lines of their own to every reader.
    let line_end = match text.find(['\n', '\r']) {
        Some(at) if text.get(at..at + 2) == Some("\r\n") => "\r\n",
        Some(at) if text.get(at..at + 1) == Some("\r") => "\r",
        _ => "\n",
    };
    let (indent, at) = match (entries.first(), entries.last()) {
        (Some(first), Some(last)) => {
            let line_start = text
                .get(..first.key_span.start)?
                .rfind(['\n', '\r'])
                .map_or(0, |i| i + 1);
            let width = text.get(line_start..first.key_span.start)?.chars().count();
            let end = last.key_span.end.max(last.value.span.end);
            (width, next_line_start(text, end)?)
        }
        _ if stated == 0 => (0, text.len()),
        _ => return None,
    };
    let mut insertion = String::new();
    if at == text.len() && !text.is_empty() && !text.ends_with(['\n', '\r']) {
        insertion.push_str(line_end);
    }
    for (depth, key) in missing.iter().enumerate() {
        insertion.push_str(&" ".repeat(indent + 2 * depth));
        insertion.push_str(key);
        insertion.push(':');
        if depth + 1 == missing.len() {
            insertion.push_str(" ~  # TODO");
            if let Some(kind) = &kind {
                insertion.push_str(": ");
                insertion.push_str(kind);
            }
        }
        insertion.push_str(line_end);
    }
    let position = index.position(at);
    Some(Fix {
        title: title.get(lang).to_owned(),
        edit: edit_of(
            uri,
            vec![TextEdit::new(
                lsp_types::Range::new(position, position),
                insertion,
            )],
        ),
    })
}

/// The start of the line after the one holding `offset`, or `offset` itself when a line ends
/// just before it (a block value's span may take its line break); the end of the text on the
/// last line. A line ends at `\n`, `\r\n` or a `\r` alone.
fn next_line_start(text: &str, offset: usize) -> Option<usize> {
    let before = text.get(..offset)?;
    if before.ends_with('\n') || (before.ends_with('\r') && !text.get(offset..)?.starts_with('\n'))
    {
        return Some(offset);
    }
    let rest = text.get(offset..)?;
    Some(match rest.find(['\n', '\r']) {
        Some(at) if rest.get(at..at + 2) == Some("\r\n") => offset + at + 2,
        Some(at) => offset + at + 1,
        None => text.len(),
    })
}

/// The model's type of the field at `path`, lists looked through.
pub fn field_type(path: &YamlPath) -> Option<&'static Ty> {
    let mut record = project_type().as_ref();
    let mut found = None;
    for segment in &path.segments {
        let Segment::Key(key) = segment else { continue };
        let (_, field) = record.field(key)?;
        found = Some(&field.ty);
        let mut ty = &field.ty;
        while let Ty::List(item) = ty {
            ty = item;
        }
        if let Ty::Record(inner) = ty {
            record = inner;
        }
    }
    found
}

/// A rule or a refinement without a passing or a failing test: create the fixture beside the
/// pack (under `tests/<RULE>/`, or `tests/refine-<PARAM>/`) and add its `test` line before the
/// closing brace of the rule or the `refine` block.
pub fn create_fixtures(
    diagnostic: &Diagnostic,
    set: &RuleSet,
    name: &str,
    uri: &Url,
    index: &LineIndex<'_>,
    lang: Lang,
) -> Vec<Fix> {
    let span = diagnostic.primary_span();
    let in_this_file = |pack: usize| set.packs.get(pack).is_some_and(|p| p.file.name == name);
    let Some((subject, folder, pack, brace, expected)) = set
        .rules
        .iter()
        .find(|rule| rule.spans.id == span && in_this_file(rule.pack))
        .and_then(|rule| {
            let text = set.packs.get(rule.pack)?.file.text.as_ref();
            // The rule's closing brace: the last `}` of its span.
            let brace = rule.span.start + text.get(rule.span.clone())?.rfind('}')?;
            let expected: Vec<_> = rule.tests.iter().map(|test| test.expect).collect();
            Some((rule.id.clone(), rule.id.clone(), rule.pack, brace, expected))
        })
        .or_else(|| {
            let (param, refinement) = set
                .params
                .iter()
                .flat_map(|param| param.refinements.iter().map(move |r| (param, r)))
                .find(|(_, refinement)| refinement.span == span && in_this_file(refinement.pack))?;
            let text = set.packs.get(refinement.pack)?.file.text.as_ref();
            let brace = closing_brace(text, refinement.span.end)?;
            let expected: Vec<_> = refinement
                .tests
                .iter()
                .map(|test| test.test.expect)
                .collect();
            Some((
                format!("refine {}", param.name),
                format!("refine-{}", param.name),
                refinement.pack,
                brace,
                expected,
            ))
        })
    else {
        return Vec::new();
    };
    let Some(pack) = set.packs.get(pack) else {
        return Vec::new();
    };
    let Ok(pack_path) = uri.to_file_path() else {
        return Vec::new();
    };
    let Some(dir) = pack_path.parent() else {
        return Vec::new();
    };
    let has = |outcome: crate::engine::Outcome| expected.contains(&outcome);
    let mut fixes = Vec::new();
    for (outcome, word) in [
        (crate::engine::Outcome::Fail, "fail"),
        (crate::engine::Outcome::Pass, "pass"),
    ] {
        if has(outcome) {
            continue;
        }
        let id = &subject;
        let relative = format!("tests/{folder}/{word}.yaml");
        let Ok(fixture) = Url::from_file_path(dir.join(&relative)) else {
            continue;
        };
        let jurisdiction = pack.jurisdiction.to_string();
        let comment = tr!(
            "# 写下使 {id} 结果为 {word} 的数值",
            "# state the values that make {id} {word}"
        );
        let content = format!(
            "yimi: 1\n{}\nproject:\n  id: {folder}-{word}\n  kind: residential\n  jurisdiction: {jurisdiction}\n",
            comment.get(lang)
        );
        let position = index.position(brace);
        let line = format!("  test {word} \"{relative}\"\n");
        let insert_at = Position::new(position.line, 0);
        let title = tr!(
            "为 {id} 创建 {word} 测试 `{relative}`",
            "create the {word} test of {id}: `{relative}`"
        );
        let edit = WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(vec![
                DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                    uri: fixture.clone(),
                    options: Some(CreateFileOptions {
                        overwrite: Some(false),
                        ignore_if_exists: Some(true),
                    }),
                    annotation_id: None,
                })),
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: fixture,
                        version: None,
                    },
                    edits: vec![OneOf::Left(TextEdit::new(
                        lsp_types::Range::default(),
                        content,
                    ))],
                }),
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier {
                        uri: uri.clone(),
                        version: None,
                    },
                    edits: vec![OneOf::Left(TextEdit::new(
                        lsp_types::Range::new(insert_at, insert_at),
                        line,
                    ))],
                }),
            ])),
            ..WorkspaceEdit::default()
        };
        fixes.push(Fix {
            title: title.get(lang).to_owned(),
            edit,
        });
    }
    fixes
}

/// The first `}` after `from` outside strings and comments: the one that closes the block opened
/// after `from` (items do not nest, and nothing inside a block has braces).
fn closing_brace(text: &str, from: usize) -> Option<usize> {
    crate::rules::code::code_chars(text.get(from..)?)
        .find(|&(_, c)| c == '}')
        .map(|(at, _)| from + at)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_closing_brace_is_found_outside_strings_and_comments() {
        let text = "refine p {\n  basis \"a } \\\" }\" # not } this\n  value at_least 5\n}\nrule";
        let brace = super::closing_brace(text, 8).unwrap();
        assert_eq!(&text[brace..], "}\nrule");
        assert_eq!(super::closing_brace("refine p { \"}", 8), None);
    }
}
