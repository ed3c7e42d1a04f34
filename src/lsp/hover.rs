//! Hover: what a project key means (from the model's docs), its type and unit and the rules that
//! read it; what a rule id stands for (title, clause quote, the source's standing); what a path
//! or a parameter in a rule is.

use lsp_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::Server;
use super::analysis::Kind;
use super::definition::word_at;
use super::position::LineIndex;
use crate::base::i18n::Lang;
use crate::project::types::{RecordTy, Ty, project_type};
use crate::project::yaml::{Node, Segment, Value, YamlPath};
use crate::report;
use crate::rules::ir::{Check, Expr, Rule, RuleSet};

/// Answers `textDocument/hover`.
pub fn hover(server: &Server, params: &HoverParams) -> Option<Hover> {
    let position = params.text_document_position_params.position;
    let uri = &params.text_document_position_params.text_document.uri;
    let document = server.readable(uri)?;
    let text = document.text.as_str();
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let lang = server.settings.lang;
    let set = document
        .analysis
        .set
        .as_ref()
        .or_else(|| server.loaded().map(|loaded| &loaded.set));
    let mut markdown = None;
    let mut range = None;
    if let Some((span, word)) = word_at(text, offset) {
        if let Some(set) = set
            && let Some(rule) = set.rules.iter().find(|rule| rule.id == word)
        {
            markdown = Some(rule_text(server, set, rule));
            range = Some(index.range(&span));
        } else if document.analysis.kind == Kind::Pack {
            markdown = set.and_then(|set| path_text(set, word, lang));
            range = markdown.as_ref().map(|_| index.range(&span));
        }
    }
    if markdown.is_none()
        && document.analysis.kind == Kind::Project
        && let Some(tree) = &document.analysis.tree
        && let Some((path, span)) = path_at(tree, offset)
    {
        markdown = key_text(set, &path, lang);
        range = Some(index.range(&span));
    }
    // YAML that does not parse (a document being typed): the key on the cursor's line, its
    // mapping read from indentation.
    if markdown.is_none() && document.analysis.kind == Kind::Project {
        let line = usize::try_from(index.position(offset).line).ok()?;
        let text_line = index.line(line);
        if let Some((column, _, Some(key))) = super::completion::key_of_line(text_line) {
            let on_key = offset.saturating_sub(index.line_start(line));
            let key_start = text_line
                .char_indices()
                .nth(column)
                .map_or(text_line.len(), |(at, _)| at);
            if (key_start..=key_start + key.len()).contains(&on_key) {
                let mut path = YamlPath::root();
                for parent in super::completion::parents(&index, line, column) {
                    path = path.key(&parent);
                }
                markdown = key_text(set, &path.key(key), lang);
                let start = index.line_start(line) + key_start;
                range = Some(index.range(&(start..start + key.len())));
            }
        }
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown?,
        }),
        range,
    })
}

/// The key path under the cursor (on a key, or on a value written on the key's line) and the
/// key's span; list indexes are kept, so the path is the one findings use.
pub fn path_at(root: &Node, offset: usize) -> Option<(YamlPath, std::ops::Range<usize>)> {
    let mut node = root;
    let mut path = YamlPath::root();
    let mut found = None;
    loop {
        let next = match &node.value {
            Value::Map(entries) => entries.iter().find_map(|entry| {
                if entry.key_span.contains(&offset) || entry.key_span.end == offset {
                    Some((Segment::Key(entry.key.clone()), &entry.value, true, entry))
                } else if entry.value.span.contains(&offset) || entry.value.span.end == offset {
                    Some((Segment::Key(entry.key.clone()), &entry.value, false, entry))
                } else {
                    None
                }
            }),
            Value::Seq(items) => {
                let Some((at, item)) = items
                    .iter()
                    .enumerate()
                    .find(|(_, item)| item.span.contains(&offset))
                else {
                    return found;
                };
                path = path.index(at);
                node = item;
                continue;
            }
            _ => None,
        };
        let Some((segment, value, on_key, entry)) = next else {
            return found;
        };
        path.segments.push(segment);
        found = Some((path.clone(), entry.key_span.clone()));
        if on_key || !matches!(value.value, Value::Map(_) | Value::Seq(_)) {
            return found;
        }
        node = value;
        if path.segments.len() > 10_000 {
            return found;
        }
    }
}

/// The field at a path of keys, with the record that holds it.
pub fn field_at<'m>(keys: &[&str]) -> Option<(&'m RecordTy, usize)>
where
    'static: 'm,
{
    let mut record: &RecordTy = project_type();
    let (last, parents) = keys.split_last()?;
    for key in parents {
        let (_, field) = record.field(key)?;
        record = record_of(&field.ty)?;
    }
    let (at, _) = record.field(last)?;
    Some((record, at))
}

/// The record a field's values are (lists looked through).
pub fn record_of(ty: &Ty) -> Option<&RecordTy> {
    let mut ty = ty;
    while let Ty::List(item) = ty {
        ty = item;
    }
    match ty {
        Ty::Record(record) => Some(record),
        _ => None,
    }
}

fn key_text(set: Option<&RuleSet>, path: &YamlPath, lang: Lang) -> Option<String> {
    let keys: Vec<&str> = path
        .segments
        .iter()
        .filter_map(|segment| match segment {
            Segment::Key(key) => Some(key.as_str()),
            Segment::Index(_) => None,
        })
        .collect();
    let (record, at) = field_at(&keys)?;
    let mut text = field_text(record, at, &keys.join("."), lang)?;
    if let Some(set) = set {
        let readers = rules_reading(set, &record.name, at);
        if !readers.is_empty() {
            text.push_str(match lang {
                Lang::Zh => "\n\n读取它的规则:\n",
                Lang::En => "\n\nRules that read it:\n",
            });
            for rule in readers.iter().take(20) {
                text.push_str(&format!("- `{}` {}\n", rule.id, rule.title.get(lang)));
            }
            if readers.len() > 20 {
                text.push_str(&format!("- … ({})\n", readers.len()));
            }
        }
    }
    Some(text)
}

fn field_text(record: &RecordTy, at: usize, shown: &str, lang: Lang) -> Option<String> {
    let field = record.fields.get(at)?;
    let mut text = format!(
        "**`{shown}`** — {}\n\n{}",
        field.ty.describe().get(lang),
        field.doc.get(lang)
    );
    let mut ty = &field.ty;
    while let Ty::List(item) = ty {
        ty = item;
    }
    match ty {
        Ty::Number(number) => {
            if let Some(unit) = number.unit {
                let display = match lang {
                    Lang::Zh => unit.display.0,
                    Lang::En => unit.display.1,
                };
                text.push_str(&match lang {
                    Lang::Zh => format!("\n\n单位:{display}(规则中写作 `{}`)", unit.symbol),
                    Lang::En => format!("\n\nUnit: {display} (written `{}` in rules)", unit.symbol),
                });
            }
        }
        Ty::Enum(enumeration) => {
            text.push_str(match lang {
                Lang::Zh => "\n\n取值:",
                Lang::En => "\n\nValues:",
            });
            for variant in enumeration.variants.iter().take(40) {
                text.push_str(&format!("\n- `{}` {}", variant.name, variant.doc.get(lang)));
            }
        }
        _ => {}
    }
    if field.required {
        text.push_str(match lang {
            Lang::Zh => "\n\n必填。",
            Lang::En => "\n\nRequired.",
        });
    }
    Some(text)
}

/// The rules whose conditions read field `at` of record `record`.
fn rules_reading<'s>(set: &'s RuleSet, record: &str, at: usize) -> Vec<&'s Rule> {
    set.rules
        .iter()
        .filter(|rule| {
            let mut reads = false;
            let mut visit = |name: &str, index: usize| reads |= name == record && index == at;
            match &*rule.check {
                Check::Criterion(criterion) => {
                    for expr in criterion
                        .applies
                        .iter()
                        .chain(&criterion.unless)
                        .chain(criterion.lets.iter().map(|(_, expr)| expr))
                        .chain(&criterion.require)
                        .chain(criterion.at.iter())
                    {
                        fields_read(expr, &mut visit);
                    }
                }
                Check::Target(target) => {
                    for expr in target.applies.iter().chain(&target.unless) {
                        fields_read(expr, &mut visit);
                    }
                }
            }
            reads
        })
        .collect()
}

/// Calls `visit` with the record name and field index of every field an expression reads.
/// `Expr::visit` recurses no deeper than the parser's expression depth limit.
fn fields_read(expr: &Expr, visit: &mut impl FnMut(&str, usize)) {
    expr.visit(&mut |expr| {
        if let Expr::Field { index, record, .. } = expr {
            visit(&record.name, *index);
        }
    });
}

/// A rule: id and title, strength and domain, the clause quoted, and its source's standing.
pub fn rule_text(server: &Server, set: &RuleSet, rule: &Rule) -> String {
    let lang = server.settings.lang;
    let mut text = format!(
        "**{}** {}\n\n{}\n\n> {}",
        rule.id,
        rule.title.get(lang),
        report::rule_kind(rule.strength, rule.domain, lang),
        report::citation_line(&rule.cite, lang)
    );
    if let Some(pack) = set.packs.get(rule.pack) {
        let corpus = server.corpus();
        let title = corpus
            .get(&pack.source)
            .map_or_else(|| pack.source.clone(), |source| source.title.clone());
        let force = &pack.force;
        let standing = match (lang, force.draft) {
            (Lang::Zh, true) => "征求意见稿".to_owned(),
            (Lang::En, true) => "consultation draft".to_owned(),
            (Lang::Zh, false) => "已印发".to_owned(),
            (Lang::En, false) => "issued".to_owned(),
        };
        let period = force.period(lang);
        let continued = force
            .continued_by
            .as_deref()
            .map(|by| match lang {
                Lang::Zh => format!(",由{by}延续"),
                Lang::En => format!(", continued by {by}"),
            })
            .unwrap_or_default();
        text.push_str(&match lang {
            Lang::Zh => format!(
                "\n\n依据:{title}({}),{standing},{period}{continued}",
                pack.id
            ),
            Lang::En => format!(
                "\n\nSource: {title} ({}), {standing}, {period}{continued}",
                pack.id
            ),
        });
    }
    if let Some(doc) = &rule.doc {
        text.push_str("\n\n");
        text.push_str(doc.get(lang));
    }
    text
}

/// A path in a rule (`site.area_m2`) or a parameter (`param.name`).
fn path_text(set: &RuleSet, word: &str, lang: Lang) -> Option<String> {
    if let Some(name) = word.strip_prefix("param.") {
        let param = set.params.iter().find(|param| param.name == name)?;
        let value = crate::project::units::format_quantity(
            param.value,
            param.dim,
            param.unit,
            lang == Lang::Zh,
        );
        let mut text = format!(
            "**`param.{name}`** {} {value}\n\n> {}",
            match param.bound {
                crate::rules::ir::Bound::AtLeast => "at_least",
                crate::rules::ir::Bound::AtMost => "at_most",
            },
            report::citation_line(&param.cite, lang)
        );
        if let Some(basis) = &param.basis {
            text.push_str("\n\n");
            text.push_str(basis.get(lang));
        }
        // A more local pack's stricter value applies where that pack does; say so, and why.
        for refinement in &param.refinements {
            let pack = set
                .packs
                .get(refinement.pack)
                .map_or_else(String::new, |pack| {
                    format!("{} ({})", pack.id, pack.jurisdiction)
                });
            let value = crate::project::units::format_quantity(
                refinement.value,
                param.dim,
                param.unit,
                lang == Lang::Zh,
            );
            let (refined, tests) = match lang {
                Lang::Zh => ("收紧于", "个测试"),
                Lang::En => ("refined by", "tests"),
            };
            text.push_str(&format!(
                "\n\n{refined} {pack}: {value} · {} {tests}\n\n> {}",
                refinement.tests.len(),
                report::citation_line(&refinement.cite, lang)
            ));
            if let Some(basis) = &refinement.basis {
                text.push_str("\n\n");
                text.push_str(basis.get(lang));
            }
        }
        return Some(text);
    }
    let keys: Vec<&str> = word.split('.').collect();
    let (record, at) = field_at(&keys)?;
    field_text(record, at, word, lang)
}
