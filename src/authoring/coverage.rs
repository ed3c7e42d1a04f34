//! How completely each pack encodes its source. Every numbered item must be classified as
//! checked by a rule, set as a target, or not checkable (with a reason); and so must every
//! normative sentence of every clause, because a clause that one rule cites can hold other
//! sentences that bind (`authoring::reading::is_normative` says which sentences are normative).
//! A sentence is encoded when a rule's, target's or parameter's quote falls in it, and not
//! checkable when a `not_checkable` names its clause (or, with `sentence "…"`, the sentence).

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use crate::authoring::reading::{has_modal_of_duty, is_normative};
use crate::base::i18n::{Lang, Text};
use crate::report::escape::{self, terminal_line};
use crate::rules::ir::{Check, Pack, RuleSet};
use crate::sources::corpus::{Clause, ClauseKind, Corpus, Source};

/// How one clause is classified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "class")]
pub enum Class {
    /// Checked by these rules.
    Rule {
        /// Rule ids.
        rules: Vec<String>,
    },
    /// Sets these targets.
    Target {
        /// Target ids.
        targets: Vec<String>,
    },
    /// Both checked by rules and setting targets.
    RuleAndTarget {
        /// Rule ids.
        rules: Vec<String>,
        /// Target ids.
        targets: Vec<String>,
    },
    /// Not checkable from a submission.
    NotCheckable {
        /// Why.
        reason: String,
    },
    /// Not classified yet.
    Unclassified,
}

/// One clause of a source with its classification.
#[derive(Clone, Debug, Serialize)]
pub struct ClauseCoverage {
    /// Clause id.
    pub clause: String,
    /// Clause kind (`item`, `heading`, …).
    pub kind: &'static str,
    /// The clause's title (the rest of its marker line).
    pub title: String,
    /// The classification.
    #[serde(flatten)]
    pub class: Class,
    /// The clause's normative sentences, each with its own classification (`unclassified`
    /// when nothing accounts for it).
    pub sentences: Vec<SentenceCoverage>,
}

/// One normative sentence of a clause with its classification.
#[derive(Clone, Debug, Serialize)]
pub struct SentenceCoverage {
    /// The sentence, as the cleaned source has it.
    pub text: String,
    /// The 1-based line of the cleaned source file.
    pub line: usize,
    /// What accounts for it.
    #[serde(flatten)]
    pub class: Class,
}

/// Coverage of one source by its pack(s).
#[derive(Clone, Debug, Serialize)]
pub struct SourceCoverage {
    /// Source id.
    pub source: String,
    /// The packs encoding it.
    pub packs: Vec<String>,
    /// Numbered items.
    pub items: usize,
    /// Items checked by at least one rule.
    pub rule: usize,
    /// Items setting targets (and not checked by rules).
    pub target: usize,
    /// Items not checkable.
    pub not_checkable: usize,
    /// Items not classified.
    pub unclassified: usize,
    /// Normative sentences, in every clause.
    pub sentences: usize,
    /// Normative sentences that nothing accounts for.
    pub unaccounted: usize,
    /// Rules citing the source.
    pub rules: usize,
    /// Targets citing the source.
    pub targets: usize,
    /// Every clause (items, and headings or sections that are cited or classified).
    pub clauses: Vec<ClauseCoverage>,
}

/// Coverage of every source that a loaded pack encodes, optionally only `source`.
/// Why `--source` would give an empty table: no loaded pack encodes the source, because its
/// pack was not given (the source is registered) or because the name is wrong.
pub fn source_not_covered(
    set: &RuleSet,
    corpus: &Corpus,
    only: &str,
) -> Option<crate::base::i18n::Text> {
    if set.packs.iter().any(|pack| pack.source == only) {
        return None;
    }
    if corpus.get(only).is_some() {
        return Some(crate::tr!(
            "没有规则包编码来源 `{only}`:请给出它的规则包路径,如 `yimi rules coverage rules/ --sources 来源目录 --source {only}`",
            "no pack encodes the source `{only}`: give its pack's path, e.g. `yimi rules coverage rules/ --sources DIR --source {only}`"
        ));
    }
    let known: Vec<&str> = corpus
        .sources()
        .iter()
        .map(|source| source.id.as_str())
        .collect();
    Some(
        match crate::base::suggest::did_you_mean(only, known.iter().copied()) {
            Some(found) => crate::tr!(
                "未知的来源 `{only}`;是否想写 `{found}`?",
                "unknown source `{only}`; did you mean `{found}`?"
            ),
            None => {
                let known = known.join(", ");
                crate::tr!(
                    "未知的来源 `{only}`;已登记的来源:{known}",
                    "unknown source `{only}`; the registered sources: {known}"
                )
            }
        },
    )
}

pub fn coverage(
    set: &RuleSet,
    corpus: &Corpus,
    lang: Lang,
    only: Option<&str>,
) -> Vec<SourceCoverage> {
    let mut sources: Vec<&str> = set.packs.iter().map(|pack| pack.source.as_str()).collect();
    sources.sort_unstable();
    sources.dedup();
    sources
        .into_iter()
        .filter(|source| only.is_none_or(|only| only == *source))
        .filter_map(|source_id| {
            let source = corpus.get(source_id)?;
            let packs: Vec<usize> = set
                .packs
                .iter()
                .enumerate()
                .filter(|(_, pack)| pack.source == source_id)
                .map(|(i, _)| i)
                .collect();
            let mut result = SourceCoverage {
                source: source_id.to_owned(),
                packs: packs
                    .iter()
                    .filter_map(|&i| set.packs.get(i).map(|pack| pack.id.clone()))
                    .collect(),
                items: 0,
                rule: 0,
                target: 0,
                not_checkable: 0,
                unclassified: 0,
                sentences: 0,
                unaccounted: 0,
                rules: 0,
                targets: 0,
                clauses: Vec::new(),
            };
            let pack_list: Vec<&Pack> = packs.iter().filter_map(|&i| set.packs.get(i)).collect();
            let mut sentences = sentence_coverage(set, source, &pack_list, lang);
            result.sentences = sentences.iter().map(Vec::len).sum();
            result.unaccounted = sentences
                .iter()
                .flatten()
                .filter(|sentence| sentence.class == Class::Unclassified)
                .count();
            // Rules and whole-clause notes by clause, gathered once: looking them up for every
            // clause made coverage quadratic in a large local pack.
            let mut citing: HashMap<&str, (Vec<String>, Vec<String>)> = HashMap::new();
            for rule in set
                .rules
                .iter()
                .filter(|rule| rule.cite.source == source_id)
            {
                let (rules, targets) = citing.entry(rule.cite.clause.as_str()).or_default();
                match *rule.check {
                    Check::Criterion(_) => rules.push(rule.id.clone()),
                    Check::Target(_) => targets.push(rule.id.clone()),
                }
            }
            let mut whole_clause_reasons: HashMap<&str, &Text> = HashMap::new();
            for note in pack_list.iter().flat_map(|pack| &pack.not_checkable) {
                if note.sentences.is_empty() {
                    whole_clause_reasons
                        .entry(note.clause.as_str())
                        .or_insert(&note.reason);
                }
            }
            for (index, clause) in source.clauses().iter().enumerate() {
                let clause_sentences = sentences
                    .get_mut(index)
                    .map(std::mem::take)
                    .unwrap_or_default();
                let (rules, targets) = citing.remove(clause.id.as_str()).unwrap_or_default();
                let reason = whole_clause_reasons
                    .get(clause.id.as_str())
                    .map(|reason| reason.get(lang).to_owned());
                let class = match (rules.is_empty(), targets.is_empty(), reason) {
                    (false, true, _) => Class::Rule { rules },
                    (true, false, _) => Class::Target { targets },
                    (false, false, _) => Class::RuleAndTarget { rules, targets },
                    (true, true, Some(reason)) => Class::NotCheckable { reason },
                    (true, true, None) => Class::Unclassified,
                };
                let is_item = clause.kind == ClauseKind::Item;
                if is_item {
                    result.items += 1;
                    match &class {
                        Class::Rule { .. } | Class::RuleAndTarget { .. } => result.rule += 1,
                        Class::Target { .. } => result.target += 1,
                        Class::NotCheckable { .. } => result.not_checkable += 1,
                        Class::Unclassified => result.unclassified += 1,
                    }
                }
                if is_item || class != Class::Unclassified || !clause_sentences.is_empty() {
                    result.clauses.push(ClauseCoverage {
                        clause: clause.id.clone(),
                        kind: clause.kind.as_str(),
                        title: clause.title.clone(),
                        class,
                        sentences: clause_sentences,
                    });
                }
            }
            result.rules = set
                .rules
                .iter()
                .filter(|rule| {
                    rule.cite.source == source_id && matches!(*rule.check, Check::Criterion(_))
                })
                .count();
            result.targets = set
                .rules
                .iter()
                .filter(|rule| {
                    rule.cite.source == source_id && matches!(*rule.check, Check::Target(_))
                })
                .count();
            Some(result)
        })
        .collect()
}

/// The longest sentence that can be a clause's heading: Rui'an's and Yuzhong's item headings
/// run to about 20 characters.
pub const HEADING_SENTENCE_CHARS: usize = 30;

/// A clause's normative sentences (see [`is_normative`]), without its heading: the first
/// sentence, when it names the subject that the following sentences set out — at most
/// [`HEADING_SENTENCE_CHARS`] characters, without a comma or a modal word of duty
/// (`(5)落实各类儿童友好空间规划建设标准。`, `三、实施保障`), or, for a part, section or heading,
/// a marker line without a full stop however long (`(一)儿童优先,普惠共享`). An item's first
/// sentence is its heading only when more sentences follow.
pub fn normative_sentences(source: &Source, clause: &Clause) -> Vec<Range<usize>> {
    let mut sentences = source.sentences_of(clause);
    let is_item = clause.kind == ClauseKind::Item;
    let starts_with_heading = sentences.first().is_some_and(|first| {
        let Some(text) = source.text.get(first.range.clone()) else {
            return false;
        };
        let short = text.chars().count() <= HEADING_SENTENCE_CHARS
            && !text.contains([',', '，', ';', '；', ':', '：'])
            && !has_modal_of_duty(text);
        short || (!is_item && first.ends_line)
    });
    if starts_with_heading && (sentences.len() > 1 || !is_item) {
        sentences.remove(0);
    }
    sentences
        .into_iter()
        .map(|sentence| sentence.range)
        .filter(|range| source.text.get(range.clone()).is_some_and(is_normative))
        .collect()
}

/// What accounts for each normative sentence, per clause (indexed as [`Source::clauses`]).
///
/// Sentences are in document order and do not overlap, so each quote finds the sentences it
/// falls in by binary search: the work is linear in the rules and sentences, not their product.
fn sentence_coverage(
    set: &RuleSet,
    source: &Source,
    packs: &[&Pack],
    lang: Lang,
) -> Vec<Vec<SentenceCoverage>> {
    struct Found {
        clause: usize,
        range: Range<usize>,
        rules: Vec<String>,
        targets: Vec<String>,
        reason: Option<String>,
    }
    let mut found: Vec<Found> = Vec::new();
    for (index, clause) in source.clauses().iter().enumerate() {
        for range in normative_sentences(source, clause) {
            found.push(Found {
                clause: index,
                range,
                rules: Vec::new(),
                targets: Vec::new(),
                reason: None,
            });
        }
    }
    // The sentences `range` overlaps.
    let overlapping = |found: &[Found], range: &Range<usize>| {
        let first = found.partition_point(|sentence| sentence.range.end <= range.start);
        let last = found.partition_point(|sentence| sentence.range.start < range.end);
        first..last.max(first)
    };
    let clause_index: HashMap<&str, usize> = source
        .clauses()
        .iter()
        .enumerate()
        .map(|(index, clause)| (clause.id.as_str(), index))
        .collect();
    // Citations and notes hold canonical clause ids (the checker resolved them).
    let located = |clause: &str, quote: &str| {
        clause_index
            .get(clause)
            .and_then(|&index| source.clauses().get(index))
            .and_then(|clause| source.locate_quote(clause, quote))
    };
    for rule in set
        .rules
        .iter()
        .filter(|rule| rule.cite.source == source.id)
    {
        let Some(range) = located(&rule.cite.clause, &rule.cite.quote) else {
            continue;
        };
        let hits = overlapping(&found, &range);
        for sentence in found.get_mut(hits).into_iter().flatten() {
            match *rule.check {
                Check::Criterion(_) => sentence.rules.push(rule.id.clone()),
                Check::Target(_) => sentence.targets.push(rule.id.clone()),
            }
        }
    }
    for param in set
        .params
        .iter()
        .filter(|param| param.cite.source == source.id)
    {
        let Some(range) = located(&param.cite.clause, &param.cite.quote) else {
            continue;
        };
        let hits = overlapping(&found, &range);
        for sentence in found.get_mut(hits).into_iter().flatten() {
            sentence.rules.push(format!("param.{}", param.name));
        }
    }
    // Notes that name sentences first: they are the more precise.
    let notes = packs.iter().flat_map(|pack| &pack.not_checkable);
    for note in notes.clone().filter(|note| !note.sentences.is_empty()) {
        for words in &note.sentences {
            let Some(range) = located(&note.clause, words) else {
                continue;
            };
            let hits = overlapping(&found, &range);
            for sentence in found.get_mut(hits).into_iter().flatten() {
                sentence
                    .reason
                    .get_or_insert_with(|| note.reason.get(lang).to_owned());
            }
        }
    }
    for note in notes.filter(|note| note.sentences.is_empty()) {
        let Some(&index) = clause_index.get(note.clause.as_str()) else {
            continue;
        };
        // `found` is in clause order: the clause's sentences are one run of it.
        let first = found.partition_point(|sentence| sentence.clause < index);
        let last = found.partition_point(|sentence| sentence.clause <= index);
        for sentence in found.get_mut(first..last).into_iter().flatten() {
            sentence
                .reason
                .get_or_insert_with(|| note.reason.get(lang).to_owned());
        }
    }
    let mut by_clause: Vec<Vec<SentenceCoverage>> = Vec::new();
    by_clause.resize_with(source.clauses().len(), Vec::new);
    for sentence in found {
        let class = match (
            sentence.rules.is_empty(),
            sentence.targets.is_empty(),
            sentence.reason,
        ) {
            (false, true, _) => Class::Rule {
                rules: sentence.rules,
            },
            (true, false, _) => Class::Target {
                targets: sentence.targets,
            },
            (false, false, _) => Class::RuleAndTarget {
                rules: sentence.rules,
                targets: sentence.targets,
            },
            (true, true, Some(reason)) => Class::NotCheckable { reason },
            (true, true, None) => Class::Unclassified,
        };
        let text = source.text.get(sentence.range.clone()).unwrap_or_default();
        if let Some(list) = by_clause.get_mut(sentence.clause) {
            list.push(SentenceCoverage {
                text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                line: source.line_of(sentence.range.start),
                class,
            });
        }
    }
    by_clause
}

fn class_label(class: &Class, lang: Lang) -> String {
    let text = match class {
        Class::Rule { rules } => Text::new(
            format!("规则 {}", rules.join(" ")),
            format!("rule {}", rules.join(" ")),
        ),
        Class::Target { targets } => Text::new(
            format!("目标 {}", targets.join(" ")),
            format!("target {}", targets.join(" ")),
        ),
        Class::RuleAndTarget { rules, targets } => Text::new(
            format!("规则 {};目标 {}", rules.join(" "), targets.join(" ")),
            format!("rule {}; target {}", rules.join(" "), targets.join(" ")),
        ),
        Class::NotCheckable { reason } => Text::new(
            format!("不可检查:{reason}"),
            format!("not checkable: {reason}"),
        ),
        Class::Unclassified => Text::new("未分类", "UNCLASSIFIED"),
    };
    text.get(lang).to_owned()
}

/// A sentence's classification; one that nothing accounts for is marked so that it stands out.
fn sentence_label(class: &Class, lang: Lang) -> String {
    match class {
        Class::Unclassified => Text::new("【未覆盖】", "[UNACCOUNTED]")
            .get(lang)
            .to_owned(),
        class => class_label(class, lang),
    }
}

/// A summary table, then each source's clauses with their normative sentences.
pub fn table(coverage: &[SourceCoverage], lang: Lang, detail: bool) -> String {
    let mut out = String::new();
    let header = match lang {
        Lang::Zh => {
            "来源            条目  规则  目标  不可检查  未分类  规则数  目标数  规范语句  未覆盖语句\n"
        }
        Lang::En => {
            "source          items  rule  target  not-checkable  unclassified  rules  targets  sentences  unaccounted\n"
        }
    };
    out.push_str(header);
    for source in coverage {
        match lang {
            Lang::Zh => out.push_str(&format!(
                "{:<15} {:>4}  {:>4}  {:>4}  {:>8}  {:>6}  {:>6}  {:>6}  {:>8}  {:>10}\n",
                terminal_line(&source.source),
                source.items,
                source.rule,
                source.target,
                source.not_checkable,
                source.unclassified,
                source.rules,
                source.targets,
                source.sentences,
                source.unaccounted
            )),
            Lang::En => out.push_str(&format!(
                "{:<15} {:>5}  {:>4}  {:>6}  {:>13}  {:>12}  {:>5}  {:>7}  {:>9}  {:>11}\n",
                terminal_line(&source.source),
                source.items,
                source.rule,
                source.target,
                source.not_checkable,
                source.unclassified,
                source.rules,
                source.targets,
                source.sentences,
                source.unaccounted
            )),
        }
    }
    if detail {
        for source in coverage {
            out.push_str(&format!("\n{}\n", terminal_line(&source.source)));
            for clause in &source.clauses {
                out.push_str(&format!(
                    "  §{:<8} {}\n",
                    terminal_line(&clause.clause),
                    terminal_line(&class_label(&clause.class, lang))
                ));
                for sentence in &clause.sentences {
                    out.push_str(&format!(
                        "      {}:{} {}\n        {}\n",
                        terminal_line(&source.source),
                        sentence.line,
                        terminal_line(&sentence_label(&sentence.class, lang)),
                        terminal_line(&sentence.text)
                    ));
                }
            }
        }
    }
    out
}

/// A Markdown report.
pub fn markdown(coverage: &[SourceCoverage], lang: Lang) -> String {
    let mut out = String::new();
    let (title, head) = match lang {
        Lang::Zh => (
            "# 规则包覆盖情况\n\n",
            "| 来源 | 条目 | 规则 | 目标 | 不可检查 | 未分类 | 规范语句 | 未覆盖语句 |\n|---|---|---|---|---|---|---|---|\n",
        ),
        Lang::En => (
            "# Coverage of the sources by the rule packs\n\n",
            "| source | items | rule | target | not checkable | unclassified | sentences | unaccounted |\n|---|---|---|---|---|---|---|---|\n",
        ),
    };
    out.push_str(title);
    out.push_str(head);
    for source in coverage {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            escape::markdown(&source.source),
            source.items,
            source.rule,
            source.target,
            source.not_checkable,
            source.unclassified,
            source.sentences,
            source.unaccounted
        ));
    }
    for source in coverage {
        out.push_str(&format!("\n## {}\n\n", escape::markdown(&source.source)));
        for clause in &source.clauses {
            out.push_str(&format!(
                "- **§{}** {} — {}\n",
                escape::markdown(&clause.clause),
                escape::markdown(&clause.title),
                escape::markdown(&class_label(&clause.class, lang))
            ));
            for sentence in &clause.sentences {
                out.push_str(&format!(
                    "  - {} — {}\n",
                    escape::markdown(&sentence.text),
                    escape::markdown(&sentence_label(&sentence.class, lang))
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Class, ClauseCoverage, SentenceCoverage, SourceCoverage, markdown, table};
    use crate::base::i18n::Lang;

    /// A source of a local manifest and a pack's reason, both hostile: a terminal escape, a
    /// line break that would start a GitHub command, a bidi override.
    fn hostile() -> Vec<SourceCoverage> {
        let text = "x\u{1b}[2J\n::error::y\u{202e}*_|";
        vec![SourceCoverage {
            source: text.to_owned(),
            packs: vec!["p".to_owned()],
            items: 1,
            rule: 0,
            target: 0,
            not_checkable: 1,
            unclassified: 0,
            sentences: 1,
            unaccounted: 1,
            rules: 0,
            targets: 0,
            clauses: vec![ClauseCoverage {
                clause: "1".to_owned(),
                kind: "item",
                title: text.to_owned(),
                class: Class::NotCheckable {
                    reason: text.to_owned(),
                },
                sentences: vec![SentenceCoverage {
                    text: text.to_owned(),
                    line: 1,
                    class: Class::Unclassified,
                }],
            }],
        }]
    }

    #[test]
    fn text_from_packs_and_sources_is_escaped_in_every_format() {
        let shown = table(&hostile(), Lang::En, true);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
            "{shown}"
        );
        assert!(
            shown.contains("x\\u{1b}[2J\\u{a}::error::y\\u{202e}"),
            "{shown}"
        );
        assert!(
            shown
                .lines()
                .all(|line| !line.trim_start().starts_with("::"))
        );
        let shown = markdown(&hostile(), Lang::En);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
            "{shown}"
        );
        assert!(
            shown.contains("x\\u{1b}\\[2J ::error::y\\u{202e}\\*\\_\\|"),
            "{shown}"
        );
        assert!(
            shown
                .lines()
                .all(|line| !line.trim_start().starts_with("::"))
        );
    }
}
