//! Citations: the source and clause exist, and the quote is found verbatim in the clause.

use super::*;
use crate::sources::corpus::{Clause, Source};

impl Checker<'_> {
    /// Checks a citation against the corpus.
    pub(super) fn cite(
        &mut self,
        file: &Arc<SourceFile>,
        cite: &ast::CiteDecl,
    ) -> Option<Citation> {
        let corpus = self.corpus;
        let Some(source) = corpus.get(&cite.source.node) else {
            self.unknown_source(file, &cite.source);
            return None;
        };
        let clause_id = &cite.clause.node;
        let Some(clause) = source.clause(clause_id) else {
            let source_id = &source.id;
            let help = match self.clause_suggestion(file, source, clause_id) {
                Some(name) => tr!("是否想写 `§{name}`?", "did you mean `§{name}`?"),
                None => tr!(
                    "条款编号:条目写数字(如 `§68`),标题写 `§h` 加数字,章节写 `§二.(一)`",
                    "clause ids: items by number (`§68`), headings by `§h` and number, sections as `§二.(一)`"
                ),
            };
            self.error(
                "rules::unknown-clause",
                file,
                cite.clause.span.clone(),
                {
                    let source_id = code(&source_id.to_string());
                    let clause_id = code(&clause_id.to_string());
                    tr!(
                        "{source_id} 中没有条款 {clause_id}",
                        "{source_id} has no clause {clause_id}"
                    )
                },
                tr!("未知条款", "unknown clause"),
                Some(help),
            );
            return None;
        };
        let quote = &cite.quote.node;
        if quote.trim().is_empty() || source.locate_quote(clause, quote).is_none() {
            let (source_id, canonical) = (&source.id, &clause.id);
            let help = match self.closest_passage(file, source, clause, quote) {
                Some(Suggestion::Elsewhere(other)) => {
                    let (source_id, other) = (code(&source_id.to_string()), &other.id);
                    tr!(
                        "引文出自 {source_id} §{other},而不是 §{canonical}:请引用 `§{other}`",
                        "the quote is in {source_id} §{other}, not §{canonical}: cite `§{other}`"
                    )
                }
                Some(Suggestion::Passage(excerpt)) => tr!(
                    "引文必须逐字照录条款原文(只忽略空白);条款中最接近的一段是:{excerpt}",
                    "quote the clause word for word (only whitespace may differ); the closest passage of the clause: {excerpt}"
                ),
                Some(Suggestion::Nothing) => {
                    let excerpt = clause_excerpt(source.own_text_of(clause));
                    tr!(
                        "引文必须逐字照录条款原文(只忽略空白);条款中没有与引文相近的段落(引文可能出自别的来源);条款开头为:{excerpt}",
                        "quote the clause word for word (only whitespace may differ); no passage of the clause is close to the quote (it may come from another source); the clause begins: {excerpt}"
                    )
                }
                None => {
                    let excerpt = clause_excerpt(source.own_text_of(clause));
                    tr!(
                        "引文必须逐字照录条款原文(只忽略空白);条款开头为:{excerpt}",
                        "quote the clause word for word (only whitespace may differ); the clause begins: {excerpt}"
                    )
                }
            };
            self.error(
                "rules::quote-not-found",
                file,
                cite.quote.span.clone(),
                {
                    let source_id = code(&source_id.to_string());
                    tr!(
                        "引文在 {source_id} §{canonical} 中找不到原文",
                        "the quote is not found verbatim in {source_id} §{canonical}"
                    )
                },
                tr!("与原文不一致", "not in the clause"),
                Some(help),
            );
            return None;
        }
        Some(Citation {
            source: source.id.clone(),
            clause: clause.id.clone(),
            quote: quote.clone(),
        })
    }
}

/// What a wrong quote's help offers (see [`Checker::closest_passage`]).
pub(super) enum Suggestion<'s> {
    /// The quote is word for word in another clause of the source.
    Elsewhere(&'s Clause),
    /// A passage of the clause close to the quote, as an excerpt.
    Passage(String),
    /// No passage of the clause is close to the quote.
    Nothing,
}

/// The most characters a passage may differ from the quote by (changed, inserted or left out)
/// to be offered as the one meant, as a share of the quote's characters: two in five. A quote
/// off by a character or two, or with two characters swapped, is offered its passage; a
/// passage that shares a few words with a quote from elsewhere is not.
const CLOSE_EDITS: (usize, usize) = (2, 5);

impl Checker<'_> {
    /// What to offer for a quote not found in `clause`: the clause of the source that holds
    /// it word for word, or else the passage of the clause closest to it when that is close,
    /// for the first [`SUGGESTED_CLAUSES_PER_FILE`] such quotes of a file; `None` past them.
    /// Each looks through the source's text once, so a pack of thousands of wrong quotes into
    /// one long clause would take time in quotes × clause length, for errors that are counted,
    /// not shown.
    fn closest_passage<'s>(
        &mut self,
        file: &Arc<SourceFile>,
        source: &'s Source,
        clause: &Clause,
        quote: &str,
    ) -> Option<Suggestion<'s>> {
        let asked = self
            .passage_suggestions
            .entry(file.name.clone())
            .or_default();
        if *asked >= SUGGESTED_CLAUSES_PER_FILE {
            return None;
        }
        *asked += 1;
        if let Some(other) = source.clause_holding(quote, clause) {
            return Some(Suggestion::Elsewhere(other));
        }
        let Some((range, edits)) = source.closest_passage(clause, quote) else {
            return Some(Suggestion::Nothing);
        };
        let length = quote.chars().filter(|c| !c.is_whitespace()).count();
        if edits.saturating_mul(CLOSE_EDITS.1) > length.saturating_mul(CLOSE_EDITS.0) {
            return Some(Suggestion::Nothing);
        }
        let range = range.start..to_phrase_end(&source.text, range.end, clause.range.end);
        let passage = source.text.get(range.clone()).unwrap_or_default();
        let mut excerpt = clause_excerpt(passage);
        let before = source
            .text
            .get(clause.range.start..range.start)
            .unwrap_or_default();
        if !before.trim().is_empty() {
            excerpt.insert(0, '…');
        }
        let after = source
            .text
            .get(range.end..clause.range.end)
            .unwrap_or_default();
        if !excerpt.ends_with('…') && !after.trim().is_empty() {
            excerpt.push('…');
        }
        Some(Suggestion::Passage(excerpt))
    }
}

/// The most characters a passage offered for a wrong quote is carried on to reach the end of
/// its phrase.
const PHRASE_END_CHARS: usize = 16;

/// Where the phrase that goes on at `end` in `text` ends: at the next punctuation mark or white
/// space within [`PHRASE_END_CHARS`] characters and before `limit` (the clause's end), else
/// `end`. The passage closest to a quote that leaves words out ends where the quote does, in
/// the middle of the words left out (…事先听取儿童及监 for a quote without 及监护人), which
/// cannot be pasted back (new-user review 20 N9); carried on to its phrase's end it can.
fn to_phrase_end(text: &str, end: usize, limit: usize) -> usize {
    let Some(rest) = text.get(end..limit.max(end)) else {
        return end;
    };
    for (at, c) in rest.char_indices().take(PHRASE_END_CHARS + 1) {
        if c.is_whitespace()
            || c.is_ascii_punctuation()
            || "，。；：、！？（）《》“”‘’【】…—".contains(c)
        {
            return end + at;
        }
    }
    if rest.chars().nth(PHRASE_END_CHARS).is_none() {
        return end + rest.len();
    }
    end
}

/// Characters of a clause an excerpt shows.
const EXCERPT_CHARS: usize = 80;

/// White space read in one run before an excerpt stops: past it the excerpt ends with `…`
/// without looking further for more words.
const EXCERPT_BLANK_BYTES: usize = 1024;

/// The first 80 characters of a clause on one line (each run of white space one space), with
/// `…` only when there is more. Reads no more of the clause than it shows, and at most
/// [`EXCERPT_BLANK_BYTES`] of white space in a row: it is called for every wrong quote, and a
/// clause may be megabytes long. (Cutting it into words first found the end of the first word
/// before showing any of it: the whole clause, when it holds no white space.)
pub(super) fn clause_excerpt(text: &str) -> String {
    let mut excerpt = String::new();
    let mut shown = 0;
    // White space read since the last character shown, in bytes.
    let mut blank = 0;
    for c in text.chars() {
        if c.is_whitespace() {
            blank += c.len_utf8();
            if blank > EXCERPT_BLANK_BYTES {
                excerpt.push('…');
                return excerpt;
            }
            continue;
        }
        if blank > 0 && shown > 0 {
            if shown == EXCERPT_CHARS {
                excerpt.push('…');
                return excerpt;
            }
            excerpt.push(' ');
            shown += 1;
        }
        if shown == EXCERPT_CHARS {
            excerpt.push('…');
            return excerpt;
        }
        blank = 0;
        excerpt.push(c);
        shown += 1;
    }
    excerpt
}
