//! How completely each pack encodes its source. Every numbered item must be classified as
//! checked by a rule, set as a target, or not checkable (with a reason); and so must every
//! normative sentence of every clause, because a clause that one rule cites can hold other
//! sentences that bind (`authoring::reading::is_normative` says which sentences are normative).
//! A sentence is encoded when a rule's, target's or parameter's quote falls in it, and not
//! checkable when a `not_checkable` names its clause (or, with `sentence "…"`, the sentence).

use std::ops::Range;

use serde::Serialize;

use crate::authoring::reading::{has_modal_of_duty, is_normative};
use crate::base::i18n::{Lang, Text};
use crate::report::escape::{self, terminal_line};
use crate::rules::ir::{Check, Pack, Rule, RuleSet};
use crate::sources::corpus::{Clause, ClauseKind, Corpus, Sentence, Source};

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
    /// When rules or targets encode part of the sentence and a `not_checkable … sentence "…"`
    /// classifies another part of it: why that part is not checkable (YZ-011b encodes the trail
    /// half of Yuzhong §11's sentence, a note the half on the parks' culture).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rest_not_checkable: Option<String>,
    /// When rules or targets encode part of the sentence and the rest holds binding words that
    /// no quote takes in and no note classifies: those words. A coverage warning: the rest
    /// binds too, and nothing says why it is not checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rest_unaccounted: Option<String>,
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
    /// Normative sentences that rules encode only in part, the rest binding and accounted for
    /// by nothing (each sentence's `rest_unaccounted`): coverage warnings.
    pub partial: usize,
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
                partial: 0,
                rules: 0,
                targets: 0,
                // At most one a clause; grown by doubling, it held up to twice its room.
                clauses: Vec::with_capacity(source.clauses().len()),
            };
            let pack_list: Vec<&Pack> = packs.iter().filter_map(|&i| set.packs.get(i)).collect();
            let mut sentences = sentence_coverage(set, source, &pack_list, lang);
            result.sentences = sentences.iter().map(Vec::len).sum();
            result.unaccounted = sentences
                .iter()
                .flatten()
                .filter(|sentence| sentence.class == Class::Unclassified)
                .count();
            result.partial = sentences
                .iter()
                .flatten()
                .filter(|sentence| sentence.rest_unaccounted.is_some())
                .count();
            // Rules and whole-clause notes by the place of their clause in the source, gathered
            // once and walked in step with the clauses. (Looking them up for every clause made
            // coverage quadratic in a large local pack; a map by clause id, hashed again for
            // every clause, read a table of all the clauses out of order every run.) The sorts
            // are stable: a clause's rules stay in the set's order and its first note wins.
            let mut citing: Vec<(usize, &Rule)> = set
                .rules
                .iter()
                .filter(|rule| rule.cite.source == source_id)
                .filter_map(|rule| Some((source.clause_position(&rule.cite.clause)?, rule)))
                .collect();
            citing.sort_by_key(|(at, _)| *at);
            let mut citing = citing.into_iter().peekable();
            let mut whole_clause_reasons: Vec<(usize, &Text)> = pack_list
                .iter()
                .flat_map(|pack| pack.not_checkable.iter())
                .filter(|note| note.sentences.is_empty())
                .filter_map(|note| Some((source.clause_position(&note.clause)?, &note.reason)))
                .collect();
            whole_clause_reasons.sort_by_key(|(at, _)| *at);
            whole_clause_reasons.dedup_by_key(|(at, _)| *at);
            let mut whole_clause_reasons = whole_clause_reasons.into_iter().peekable();
            for (index, clause) in source.clauses().iter().enumerate() {
                let clause_sentences = sentences
                    .get_mut(index)
                    .map(std::mem::take)
                    .unwrap_or_default();
                let (mut rules, mut targets) = (Vec::new(), Vec::new());
                while let Some((_, rule)) = citing.next_if(|(at, _)| *at == index) {
                    match *rule.check {
                        Check::Criterion(_) => rules.push(rule.id.clone()),
                        Check::Target(_) => targets.push(rule.id.clone()),
                    }
                }
                let reason = whole_clause_reasons
                    .next_if(|(at, _)| *at == index)
                    .map(|(_, reason)| reason.get(lang).to_owned());
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

/// A clause's normative sentences (see [`is_normative`]), without its heading (see
/// [`Headings`]).
pub fn normative_sentences(
    source: &Source,
    clause: &Clause,
    headings: &Headings,
) -> Vec<Range<usize>> {
    let sentences = source.sentences_of(clause);
    normative_of(source, clause, &sentences, headings).collect()
}

/// The normative sentences among `sentences`, those of `clause`, without its heading.
fn normative_of<'a>(
    source: &'a Source,
    clause: &Clause,
    sentences: &'a [Sentence],
    headings: &Headings,
) -> impl Iterator<Item = Range<usize>> + 'a {
    let skip = usize::from(headings.opens(source, clause, sentences));
    sentences
        .iter()
        .skip(skip)
        .map(|sentence| sentence.range.clone())
        .filter(|range| source.text.get(range.clone()).is_some_and(is_normative))
}

/// Every clause's sentences (see [`Source::sentences_of`]), found once: in one list, each
/// clause's where `bounds` says (`bounds[i]..bounds[i + 1]` for the `i`th clause).
struct AllSentences {
    sentences: Vec<Sentence>,
    bounds: Vec<usize>,
}

impl AllSentences {
    fn of(source: &Source) -> AllSentences {
        // At least one a clause, mostly.
        let mut sentences = Vec::with_capacity(source.clauses().len());
        let mut bounds = Vec::with_capacity(source.clauses().len() + 1);
        bounds.push(0);
        for clause in source.clauses() {
            source.push_sentences_of(clause, &mut sentences);
            bounds.push(sentences.len());
        }
        AllSentences { sentences, bounds }
    }

    /// The `index`th clause's sentences.
    fn of_clause(&self, index: usize) -> &[Sentence] {
        let from = self.bounds.get(index).copied().unwrap_or_default();
        let to = self.bounds.get(index + 1).copied().unwrap_or(from);
        self.sentences.get(from..to).unwrap_or_default()
    }
}

/// Which clauses open with a heading, told by the shape of the text after the clause's
/// marker (`一、`, `(一)`, `1.`, `(1)`, `第三条`), not by its length or words:
/// - a line with no full stop, alone after the marker (`三、实施保障`, `(一)儿童优先,普惠共享`);
/// - a title phrase — no comma, semicolon or colon inside, no modal word of duty — ended by a
///   full stop and alone on the marker's line (`(一)推进社会政策儿童友好。`, Yuzhong's
///   `(1)编制实施儿童发展规划。` above its text);
/// - a title phrase run into the text on the same line (`1.建立健全儿童优先发展工作机制。各级…`),
///   but only at a numbering level whose clauses mostly open so: a source that writes its items
///   as plain sentences (Shanghai's `3)在…引入儿童影响评价,…。`) has no run-in headings, so a
///   short first sentence of one of its items stays a sentence.
///
/// An item's first sentence is its heading only when more sentences follow: a one-sentence item
/// is its own text.
#[derive(Debug, Clone, Default)]
pub struct Headings {
    /// The numbering levels that open with run-in headings.
    run_in: Vec<ClauseKind>,
}

impl Headings {
    /// The levels of `source` whose clauses of more than one sentence mostly (at least half)
    /// open with a title phrase.
    pub fn of(source: &Source) -> Headings {
        Headings::tallied(
            source,
            source
                .clauses()
                .iter()
                .map(|clause| (clause, source.sentences_of(clause))),
        )
    }

    /// [`Headings::of`] the clauses of `source`, each given with its sentences.
    fn tallied<'c, S: AsRef<[Sentence]>>(
        source: &Source,
        clauses: impl Iterator<Item = (&'c Clause, S)>,
    ) -> Headings {
        let mut tally: Vec<(ClauseKind, usize, usize)> = Vec::new();
        for (clause, sentences) in clauses {
            let sentences = sentences.as_ref();
            let Some(first) = sentences.first().filter(|_| sentences.len() > 1) else {
                continue;
            };
            let titled = !first.ends_line
                && source
                    .text
                    .get(first.range.clone())
                    .is_some_and(is_title_phrase);
            match tally.iter_mut().find(|(kind, _, _)| *kind == clause.kind) {
                Some((_, all, titles)) => {
                    *all += 1;
                    *titles += usize::from(titled);
                }
                None => tally.push((clause.kind, 1, usize::from(titled))),
            }
        }
        Headings {
            run_in: tally
                .into_iter()
                .filter(|(_, all, titles)| titles * 2 >= *all)
                .map(|(kind, _, _)| kind)
                .collect(),
        }
    }

    /// Whether `clause`, whose sentences are `sentences`, opens with a heading.
    fn opens(&self, source: &Source, clause: &Clause, sentences: &[Sentence]) -> bool {
        let Some(first) = sentences.first() else {
            return false;
        };
        let Some(text) = source.text.get(first.range.clone()) else {
            return false;
        };
        let is_item = clause.kind == ClauseKind::Item;
        if is_item && (sentences.len() < 2 || has_modal_of_duty(text)) {
            return false;
        }
        if first.ends_line {
            return true;
        }
        if !is_title_phrase(text) {
            return false;
        }
        let rest_of_line = source
            .text
            .get(first.range.end..)
            .map_or("", |rest| rest.split('\n').next().unwrap_or(""));
        let alone_on_line = rest_of_line.trim().is_empty();
        (alone_on_line && !is_item) || self.run_in.contains(&clause.kind)
    }
}

/// A phrase that can title a clause: no comma, semicolon or colon inside it and no modal word of
/// duty (a sentence that binds is never a title, however it is laid out).
fn is_title_phrase(text: &str) -> bool {
    !text.contains([',', '，', ';', '；', ':', '：']) && !has_modal_of_duty(text)
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
    /// A normative sentence and what accounts for it. Small (40 bytes), since a large source
    /// has one for each of its sentences: what a quote or a sentence note adds, which few
    /// sentences get, is boxed apart.
    struct Found<'a> {
        clause: usize,
        range: Range<usize>,
        /// The reason of the first note that names this sentence, or else its whole clause.
        reason: Option<&'a Text>,
        encoded: Option<Box<Encoded<'a>>>,
    }
    #[derive(Default)]
    struct Encoded<'a> {
        rules: Vec<String>,
        targets: Vec<String>,
        /// The reason of a note that names words of this sentence (not its whole clause).
        part_reason: Option<&'a Text>,
        /// The parts of the sentence that quotes (of rules, targets, parameters and sentence
        /// notes) fall in.
        covered: Vec<Range<usize>>,
    }
    // Each clause's sentences found once, for its heading's tally and its normative sentences.
    let all = AllSentences::of(source);
    let headings = Headings::tallied(
        source,
        source
            .clauses()
            .iter()
            .enumerate()
            .map(|(index, clause)| (clause, all.of_clause(index))),
    );
    // At most one a sentence.
    let mut found: Vec<Found<'_>> = Vec::new();
    for (index, clause) in source.clauses().iter().enumerate() {
        for range in normative_of(source, clause, all.of_clause(index), &headings) {
            found.push(Found {
                clause: index,
                range,
                reason: None,
                encoded: None,
            });
        }
    }
    // The sentences `range` overlaps.
    let overlapping = |found: &[Found<'_>], range: &Range<usize>| {
        let first = found.partition_point(|sentence| sentence.range.end <= range.start);
        let last = found.partition_point(|sentence| sentence.range.start < range.end);
        first..last.max(first)
    };
    // Citations and notes hold canonical clause ids (the checker resolved them).
    let located = |clause: &str, quote: &str| {
        source
            .clause_position(clause)
            .and_then(|index| source.clauses().get(index))
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
            let encoded = sentence.encoded.get_or_insert_default();
            match *rule.check {
                Check::Criterion(_) => encoded.rules.push(rule.id.clone()),
                Check::Target(_) => encoded.targets.push(rule.id.clone()),
            }
            encoded.covered.push(range.clone());
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
            let encoded = sentence.encoded.get_or_insert_default();
            encoded.rules.push(format!("param.{}", param.name));
            encoded.covered.push(range.clone());
        }
    }
    // Notes that name sentences first: they are the more precise.
    let notes = packs.iter().flat_map(|pack| pack.not_checkable.iter());
    for note in notes.clone().filter(|note| !note.sentences.is_empty()) {
        for words in &note.sentences {
            let Some(range) = located(&note.clause, words) else {
                continue;
            };
            let hits = overlapping(&found, &range);
            for sentence in found.get_mut(hits).into_iter().flatten() {
                sentence.reason.get_or_insert(&note.reason);
                let encoded = sentence.encoded.get_or_insert_default();
                encoded.part_reason.get_or_insert(&note.reason);
                encoded.covered.push(range.clone());
            }
        }
    }
    for note in notes.filter(|note| note.sentences.is_empty()) {
        let Some(index) = source.clause_position(&note.clause) else {
            continue;
        };
        // `found` is in clause order: the clause's sentences are one run of it.
        let first = found.partition_point(|sentence| sentence.clause < index);
        let last = found.partition_point(|sentence| sentence.clause <= index);
        for sentence in found.get_mut(first..last).into_iter().flatten() {
            sentence.reason.get_or_insert(&note.reason);
        }
    }
    // Each clause's list made at its size: a list grows to room for four at its first, and a
    // source of 220 000 items of one sentence each held 85 MB of room for three more (#12).
    let mut counts = vec![0_usize; source.clauses().len()];
    for sentence in &found {
        if let Some(count) = counts.get_mut(sentence.clause) {
            *count += 1;
        }
    }
    let mut by_clause: Vec<Vec<SentenceCoverage>> =
        counts.into_iter().map(Vec::with_capacity).collect();
    for sentence in found {
        let Encoded {
            rules,
            targets,
            part_reason,
            covered,
        } = sentence.encoded.map(|encoded| *encoded).unwrap_or_default();
        let encoded = !rules.is_empty() || !targets.is_empty();
        // Binding words that no quote takes in and no sentence note classifies, in a sentence
        // rules encode only in part (a note on the whole clause is no reason for them, as it is
        // none for `rest_not_checkable`).
        let rest_unaccounted = if encoded {
            unaccounted_rest(&source.text, &sentence.range, &covered)
        } else {
            None
        };
        let rest_not_checkable = part_reason
            .filter(|_| encoded)
            .map(|reason| reason.get(lang).to_owned());
        let class = match (
            rules.is_empty(),
            targets.is_empty(),
            sentence.reason.map(|reason| reason.get(lang).to_owned()),
        ) {
            (false, true, _) => Class::Rule { rules },
            (true, false, _) => Class::Target { targets },
            (false, false, _) => Class::RuleAndTarget { rules, targets },
            (true, true, Some(reason)) => Class::NotCheckable { reason },
            (true, true, None) => Class::Unclassified,
        };
        let text = source.text.get(sentence.range.clone()).unwrap_or_default();
        if let Some(list) = by_clause.get_mut(sentence.clause) {
            list.push(SentenceCoverage {
                text: words_spaced(text),
                line: source.line_of(sentence.range.start),
                class,
                rest_not_checkable,
                rest_unaccounted,
            });
        }
    }
    by_clause
}

/// `text`'s words, split at whitespace, joined by one space (`split_whitespace` joined by `" "`)
/// without a list of the words made first.
fn words_spaced(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first part of `sentence` outside every `covered` range that binds, without its
/// punctuation; `None` when every such part is a lead-in or a link (「各区要」, 「并」).
fn unaccounted_rest(
    text: &str,
    sentence: &Range<usize>,
    covered: &[Range<usize>],
) -> Option<String> {
    let mut covered: Vec<Range<usize>> = covered
        .iter()
        .map(|range| range.start.max(sentence.start)..range.end.min(sentence.end))
        .filter(|range| range.start < range.end)
        .collect();
    covered.sort_by_key(|range| range.start);
    let mut rests = Vec::new();
    let mut at = sentence.start;
    for range in &covered {
        if range.start > at {
            rests.push(at..range.start);
        }
        at = at.max(range.end);
    }
    if at < sentence.end {
        rests.push(at..sentence.end);
    }
    rests.into_iter().find_map(|rest| {
        let leads_in = rest.start == sentence.start;
        let words: String = text
            .get(rest)?
            .split_whitespace()
            .collect::<String>()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_owned();
        // What opens the sentence before the first quote is its subject, time or modal
        // (「到2026年」「各区要」) unless it directs work itself; what follows a quote is more
        // of what the sentence's verb governs.
        let binds = if leads_in { is_normative(&words) } else { true };
        (binds && words.chars().count() >= MIN_REST_CHARS).then_some(words)
    })
}

/// The fewest characters a part of a sentence left out of every quote must have to be a duty of
/// its own: shorter parts are links and modals (「并」「同时要」).
const MIN_REST_CHARS: usize = 6;

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

/// A sentence's classification; one that nothing accounts for is marked so that it stands out,
/// and one that rules encode only in part says why the rest is not checkable.
fn sentence_label(sentence: &SentenceCoverage, lang: Lang) -> String {
    let label = match &sentence.class {
        Class::Unclassified => Text::new("【未覆盖】", "[UNACCOUNTED]")
            .get(lang)
            .to_owned(),
        class => class_label(class, lang),
    };
    let label = match &sentence.rest_not_checkable {
        Some(reason) => match lang {
            Lang::Zh => format!("{label};其余部分不可检查:{reason}"),
            Lang::En => format!("{label}; the rest not checkable: {reason}"),
        },
        None => label,
    };
    match &sentence.rest_unaccounted {
        Some(rest) => match lang {
            Lang::Zh => format!("{label};【其余部分未覆盖】「{rest}」"),
            Lang::En => format!("{label}; [REST UNACCOUNTED] “{rest}”"),
        },
        None => label,
    }
}

/// The coverage warnings: each sentence that rules encode only in part while the rest binds and
/// nothing accounts for it, located in the cleaned source, with what to do.
pub fn warnings(coverage: &[SourceCoverage], lang: Lang) -> String {
    let mut out = String::new();
    for source in coverage {
        for clause in &source.clauses {
            for sentence in &clause.sentences {
                let Some(rest) = &sentence.rest_unaccounted else {
                    continue;
                };
                let (place, clause_id) = (
                    format!("{}:{}", terminal_line(&source.source), sentence.line),
                    terminal_line(&clause.clause),
                );
                let by = terminal_line(&class_label(&sentence.class, lang)).into_owned();
                let rest = terminal_line(rest);
                out.push_str(&match lang {
                    Lang::Zh => format!(
                        "{place}: 警告[coverage::partial-sentence]: §{clause_id} 的这句只有一部分被编码({by}),其余部分「{rest}」同样有约束力,却既未编码也未归类\n  帮助: 扩大某条规则的引文使其包含这部分,另写一条规则,或写 `not_checkable §{clause_id} sentence \"{rest}\" \"理由\"`\n"
                    ),
                    Lang::En => format!(
                        "{place}: warning[coverage::partial-sentence]: only part of this sentence of §{clause_id} is encoded ({by}); the rest, “{rest}”, binds too and is neither encoded nor classified\n  help: widen a rule's quote to take it in, write a rule for it, or add `not_checkable §{clause_id} sentence \"{rest}\" \"why\"`\n"
                    ),
                });
            }
        }
    }
    out
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
                        terminal_line(&sentence_label(sentence, lang)),
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
                    escape::markdown(&sentence_label(sentence, lang))
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{
        Class, ClauseCoverage, Headings, SentenceCoverage, SourceCoverage, markdown,
        normative_sentences, table, warnings,
    };
    use crate::base::i18n::Lang;
    use crate::sources::corpus::Corpus;

    /// The normative sentences of each clause of a local source written as `text`, numbered
    /// `一、` / `(一)` / `1.` / `(1)`, as `(clause id, sentences)`.
    fn sentences_of(text: &str) -> Vec<(String, Vec<String>)> {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::write(
            dir.path().join("index.yaml"),
            "- id: local\n  file: local.txt\n  title: 本地方案\n  issuer: 本地\n  date: 2024-01-01\n  jurisdiction: CN/X\n  level: county\n  status: in_force\n  original: local.txt\n  numbering: { part: cn-dun, section: cn-paren, heading: arabic-dot, item: arabic-paren }\n",
        )
        .expect("written");
        std::fs::write(dir.path().join("local.txt"), text).expect("written");
        let corpus = Corpus::load_dir(dir.path()).expect("the source loads");
        let source = corpus.get("local").expect("registered");
        let headings = Headings::of(source);
        source
            .clauses()
            .iter()
            .map(|clause| {
                let sentences = normative_sentences(source, clause, &headings)
                    .into_iter()
                    .filter_map(|range| source.text.get(range).map(str::to_owned))
                    .collect();
                (clause.id.clone(), sentences)
            })
            .collect()
    }

    fn of<'a>(clauses: &'a [(String, Vec<String>)], id: &str) -> Vec<&'a str> {
        clauses
            .iter()
            .find(|(clause, _)| clause == id)
            .map(|(_, sentences)| sentences.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn headings_are_told_by_their_shape_not_their_length() {
        let clauses = sentences_of(concat!(
            "一、推进儿童友好空间建设\n",
            "(一)推进社区托育服务设施建设和既有住宅小区儿童活动场地改造提升工作。\n",
            "1.统筹推进城乡儿童友好公共服务设施规划建设与既有设施适儿化改造。\n",
            "(1)推进新建住宅小区与常住人口规模相适应的托育服务设施配套建设。新建住宅小区应按每千人不少于4.5个托位配建托育设施。\n",
            "(2)推动老旧小区改造增设儿童活动场地。结合城市更新推动老旧小区增设儿童活动场地。\n",
            "(3)新建住宅小区应同步配建儿童活动场地。场地面积不少于200平方米。\n",
            "(4)全面推进社区托育点建设,实现街道全覆盖。\n",
        ));
        // A part's line without a full stop, and a section's or heading's line alone with one,
        // are headings however long they are (the old rule counted any first sentence over 30
        // characters as text).
        assert!(of(&clauses, "一").is_empty(), "{clauses:?}");
        assert!(of(&clauses, "一.(一)").is_empty(), "{clauses:?}");
        assert!(of(&clauses, "h1").is_empty(), "{clauses:?}");
        // Items of this source open with run-in headings of any length: only the text counts.
        assert_eq!(
            of(&clauses, "1"),
            ["新建住宅小区应按每千人不少于4.5个托位配建托育设施。"]
        );
        assert_eq!(
            of(&clauses, "2"),
            ["结合城市更新推动老旧小区增设儿童活动场地。"]
        );
        // A first sentence that binds is never a heading, whatever its shape.
        assert_eq!(
            of(&clauses, "3"),
            [
                "新建住宅小区应同步配建儿童活动场地。",
                "场地面积不少于200平方米。"
            ]
        );
        // A one-sentence item is its own text.
        assert_eq!(
            of(&clauses, "4"),
            ["全面推进社区托育点建设,实现街道全覆盖。"]
        );
    }

    #[test]
    fn a_source_that_writes_items_as_plain_sentences_has_no_run_in_headings() {
        // Shanghai's style: each item a sentence or two, the first with a comma. A short
        // comma-free first sentence is then a sentence of the item, not its heading.
        let clauses = sentences_of(concat!(
            "一、优化儿童成长空间\n",
            "(1)推进公园绿地增设儿童活动空间,口袋公园优先配置儿童活动场地。推进郊野公园建设。\n",
            "(2)推进社区儿童之家建设。完善儿童之家服务功能,提高利用率。\n",
            "(3)加快建设城乡绿道网络,完善绿道服务设施。推进滨水空间开放。\n",
        ));
        assert_eq!(
            of(&clauses, "2"),
            [
                "推进社区儿童之家建设。",
                "完善儿童之家服务功能,提高利用率。"
            ]
        );
        assert_eq!(of(&clauses, "3").len(), 2, "{clauses:?}");
        // A heading alone on its line, without a full stop, is one however the items are written.
        let clauses = sentences_of(concat!(
            "一、优化儿童成长空间\n",
            "(1)社区儿童之家\n推进社区儿童之家建设,完善服务功能。\n",
        ));
        assert_eq!(of(&clauses, "1"), ["推进社区儿童之家建设,完善服务功能。"]);
    }

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
            partial: 1,
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
                    rest_not_checkable: None,
                    rest_unaccounted: Some(text.to_owned()),
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
        let shown = warnings(&hostile(), Lang::En);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
            "{shown}"
        );
        assert!(
            shown
                .lines()
                .all(|line| !line.trim_start().starts_with("::")),
            "{shown}"
        );
        let shown = markdown(&hostile(), Lang::En);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{202e}'),
            "{shown}"
        );
        assert!(
            shown.contains("x\\u{1b}\\[2J\\u{a}::error::y\\u{202e}\\*\\_\\|"),
            "{shown}"
        );
        assert!(
            shown
                .lines()
                .all(|line| !line.trim_start().starts_with("::"))
        );
    }

    /// Rules and whole-clause notes are matched to clauses by a walk in step with the clauses,
    /// not a map of every clause: given out of the source's order, on clause ids that the source
    /// lacks, and twice on one clause, each clause still gets its own rules in the set's order
    /// and its first note, as the map by clause id gave.
    #[test]
    fn rules_and_notes_out_of_order_reach_their_clauses() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let sources = dir.path().join("sources");
        std::fs::create_dir_all(&sources).expect("made");
        std::fs::write(
            sources.join("index.yaml"),
            "- id: mycity-2026\n  file: mycity-2026.txt\n  title: 某市方案\n  issuer: 某市人民政府\n  date: 2026-01-05\n  jurisdiction: CN/SH/Pudong\n  level: district\n  status: in_force\n  original: mycity-2026.html\n  numbering: { item: arabic-dot }\n",
        )
        .expect("written");
        std::fs::write(
            sources.join("mycity-2026.txt"),
            "某市方案\n\n1. 公园应设置母婴室。\n2. 学校周边应设置安全通道。\n3. 社区应当建设儿童之家。\n4. 广场应设置饮水点。\n",
        )
        .expect("written");
        let rule = |id: &str, clause: &str, quote: &str| {
            format!(
                "rule {id} \"{quote}\" {{\n  domain   space\n  strength should\n  cite     mycity-2026 §{clause} \"{quote}\"\n  applies  project.kind == park\n  require  any(facilities, f => f.kind == mother_baby_room)\n}}\n\n"
            )
        };
        let pack = [
            "pack local-mycity {\n  source mycity-2026\n  jurisdiction CN/SH/Pudong\n}\n\n"
                .to_owned(),
            "not_checkable §3 \"第三条的理由\"\n".to_owned(),
            "not_checkable §1 \"第一条的理由\"\n".to_owned(),
            "not_checkable §3 \"第三条的另一个理由\"\n\n".to_owned(),
            rule("MC-9", "4", "广场应设置饮水点"),
            rule("MC-2", "2", "学校周边应设置安全通道"),
            rule("MC-1", "4", "设置饮水点"),
        ]
        .concat();
        let path = dir.path().join("local.yimi");
        std::fs::write(&path, pack).expect("written");
        let loaded = crate::rules::load::load(&crate::rules::load::RuleOptions {
            no_builtin: true,
            paths: vec![path],
            sources: vec![sources],
            ..crate::rules::load::RuleOptions::default()
        })
        .unwrap_or_else(|errors| panic!("the pack loads: {errors:?}"));
        let source = loaded.corpus().get("mycity-2026").expect("registered");
        // Citations hold canonical ids, and only those are looked up: not a marker as written.
        assert_eq!(source.clause_position("3"), Some(2));
        assert_eq!(source.clause_position("3."), None);
        assert!(source.clause("3.").is_some());
        let covered = super::coverage(&loaded.set, loaded.corpus(), Lang::Zh, None);
        let [source] = covered.as_slice() else {
            panic!("one source: {covered:?}");
        };
        let classes: Vec<(&str, &Class)> = source
            .clauses
            .iter()
            .map(|clause| (clause.clause.as_str(), &clause.class))
            .collect();
        let on_4: Vec<String> = loaded
            .set
            .rules
            .iter()
            .filter(|rule| rule.cite.clause == "4")
            .map(|rule| rule.id.clone())
            .collect();
        assert_eq!(on_4.len(), 2, "{on_4:?}");
        assert_eq!(
            classes,
            [
                (
                    "1",
                    &Class::NotCheckable {
                        reason: "第一条的理由".to_owned()
                    }
                ),
                (
                    "2",
                    &Class::Rule {
                        rules: vec!["MC-2".to_owned()]
                    }
                ),
                (
                    "3",
                    &Class::NotCheckable {
                        reason: "第三条的理由".to_owned()
                    }
                ),
                ("4", &Class::Rule { rules: on_4 }),
            ]
        );
        // The sentences likewise: §3's by its first note, §4's by both rules.
        let sentence_classes: Vec<&Class> = source
            .clauses
            .iter()
            .flat_map(|clause| clause.sentences.iter().map(|sentence| &sentence.class))
            .collect();
        assert_eq!(sentence_classes.len(), 4, "{sentence_classes:?}");
        assert_eq!(
            sentence_classes.get(2),
            Some(&&Class::NotCheckable {
                reason: "第三条的理由".to_owned()
            })
        );
        assert_eq!(
            sentence_classes.get(3),
            classes.get(3).map(|(_, class)| class)
        );
        assert_eq!(source.not_checkable, 2);
        assert_eq!(source.rule, 2);
    }
}
