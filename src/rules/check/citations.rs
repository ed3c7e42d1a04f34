//! Citations: the source and clause exist, and the quote is found verbatim in the clause.

use super::*;

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
            let help = match self.closest_passage(file, source.own_text_of(clause), quote) {
                Some(excerpt) => tr!(
                    "引文必须逐字照录条款原文(只忽略空白);条款中最接近的一段是:{excerpt}",
                    "quote the clause word for word (only whitespace may differ); the closest passage of the clause: {excerpt}"
                ),
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

/// The passage of a clause most like the quote: of the stretches of the clause as long as the
/// quote (whitespace aside), the first sharing the most characters with it, found in one pass
/// with counts kept as the window slides. Shown on one line, clipped as [`clause_excerpt`].
pub(super) fn closest_passage(clause: &str, quote: &str) -> String {
    use std::collections::HashMap;
    let chars: Vec<(usize, char)> = clause
        .char_indices()
        .filter(|(_, c)| !c.is_whitespace())
        .collect();
    let wanted: Vec<char> = quote.chars().filter(|c| !c.is_whitespace()).collect();
    let width = wanted.len().clamp(1, chars.len().max(1));
    let mut need: HashMap<char, i64> = HashMap::new();
    for c in &wanted {
        *need.entry(*c).or_default() += 1;
    }
    let mut have: HashMap<char, i64> = HashMap::new();
    let (mut shared, mut best, mut best_start) = (0i64, -1i64, 0usize);
    for (end, (_, c)) in chars.iter().enumerate() {
        let count = have.entry(*c).or_default();
        if *count < need.get(c).copied().unwrap_or(0) {
            shared += 1;
        }
        *count += 1;
        if let Some(start) = (end + 1).checked_sub(width) {
            if shared > best {
                (best, best_start) = (shared, start);
            }
            if let Some((_, left)) = chars.get(start) {
                let count = have.entry(*left).or_default();
                *count -= 1;
                if *count < need.get(left).copied().unwrap_or(0) {
                    shared -= 1;
                }
            }
        }
    }
    let from = chars.get(best_start).map_or(0, |(at, _)| *at);
    let to = chars
        .get(best_start + width)
        .map_or(clause.len(), |(at, _)| *at);
    let passage = clause.get(from..to).unwrap_or(clause);
    let mut excerpt = clause_excerpt(passage);
    if from > 0 && !passage.is_empty() {
        excerpt.insert(0, '…');
    }
    if !excerpt.ends_with('…') && clause.get(to..).is_some_and(|rest| !rest.trim().is_empty()) {
        excerpt.push('…');
    }
    excerpt
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
