//! How completely each pack encodes its source: every numbered item must be classified as
//! checked by a rule, set as a target, or not checkable (with a reason).

use serde::Serialize;

use crate::base::i18n::{Lang, Text};
use crate::rules::ir::{Check, RuleSet};
use crate::sources::corpus::{ClauseKind, Corpus};

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
                rules: 0,
                targets: 0,
                clauses: Vec::new(),
            };
            for clause in source.clauses() {
                let citing = set
                    .rules
                    .iter()
                    .filter(|rule| rule.cite.source == source_id && rule.cite.clause == clause.id);
                let (mut rules, mut targets) = (Vec::new(), Vec::new());
                for rule in citing {
                    match rule.check {
                        Check::Criterion(_) => rules.push(rule.id.clone()),
                        Check::Target(_) => targets.push(rule.id.clone()),
                    }
                }
                let reason = packs
                    .iter()
                    .filter_map(|&i| set.packs.get(i))
                    .flat_map(|pack| &pack.not_checkable)
                    .find(|note| note.clause == clause.id)
                    .map(|note| note.reason.get(lang).to_owned());
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
                if is_item || class != Class::Unclassified {
                    result.clauses.push(ClauseCoverage {
                        clause: clause.id.clone(),
                        kind: clause.kind.as_str(),
                        title: clause.title.clone(),
                        class,
                    });
                }
            }
            result.rules = set
                .rules
                .iter()
                .filter(|rule| {
                    rule.cite.source == source_id && matches!(rule.check, Check::Criterion(_))
                })
                .count();
            result.targets = set
                .rules
                .iter()
                .filter(|rule| {
                    rule.cite.source == source_id && matches!(rule.check, Check::Target(_))
                })
                .count();
            Some(result)
        })
        .collect()
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

/// A summary table, then each source's clauses.
pub fn table(coverage: &[SourceCoverage], lang: Lang, detail: bool) -> String {
    let mut out = String::new();
    let header = match lang {
        Lang::Zh => "来源            条目  规则  目标  不可检查  未分类  规则数  目标数\n",
        Lang::En => {
            "source          items  rule  target  not-checkable  unclassified  rules  targets\n"
        }
    };
    out.push_str(header);
    for source in coverage {
        match lang {
            Lang::Zh => out.push_str(&format!(
                "{:<15} {:>4}  {:>4}  {:>4}  {:>8}  {:>6}  {:>6}  {:>6}\n",
                source.source,
                source.items,
                source.rule,
                source.target,
                source.not_checkable,
                source.unclassified,
                source.rules,
                source.targets
            )),
            Lang::En => out.push_str(&format!(
                "{:<15} {:>5}  {:>4}  {:>6}  {:>13}  {:>12}  {:>5}  {:>7}\n",
                source.source,
                source.items,
                source.rule,
                source.target,
                source.not_checkable,
                source.unclassified,
                source.rules,
                source.targets
            )),
        }
    }
    if detail {
        for source in coverage {
            out.push_str(&format!("\n{}\n", source.source));
            for clause in &source.clauses {
                out.push_str(&format!(
                    "  §{:<8} {}\n",
                    clause.clause,
                    class_label(&clause.class, lang)
                ));
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
            "| 来源 | 条目 | 规则 | 目标 | 不可检查 | 未分类 |\n|---|---|---|---|---|---|\n",
        ),
        Lang::En => (
            "# Coverage of the sources by the rule packs\n\n",
            "| source | items | rule | target | not checkable | unclassified |\n|---|---|---|---|---|---|\n",
        ),
    };
    out.push_str(title);
    out.push_str(head);
    for source in coverage {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            source.source,
            source.items,
            source.rule,
            source.target,
            source.not_checkable,
            source.unclassified
        ));
    }
    for source in coverage {
        out.push_str(&format!("\n## {}\n\n", source.source));
        for clause in &source.clauses {
            let title = clause.title.replace('|', "\\|");
            out.push_str(&format!(
                "- **§{}** {} — {}\n",
                clause.clause,
                title,
                class_label(&clause.class, lang)
            ));
        }
    }
    out
}
