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
            let help = match source.suggest_clause(clause_id) {
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
                tr!(
                    "`{source_id}` 中没有条款 `{clause_id}`",
                    "`{source_id}` has no clause `{clause_id}`"
                ),
                tr!("未知条款", "unknown clause"),
                Some(help),
            );
            return None;
        };
        let quote = &cite.quote.node;
        if quote.trim().is_empty() || source.locate_quote(clause, quote).is_none() {
            let (source_id, canonical) = (&source.id, &clause.id);
            let excerpt = clause_excerpt(source.own_text_of(clause));
            self.error(
                "rules::quote-not-found",
                file,
                cite.quote.span.clone(),
                tr!("引文在 `{source_id}` §{canonical} 中找不到原文", "the quote is not found verbatim in `{source_id}` §{canonical}"),
                tr!("与原文不一致", "not in the clause"),
                Some(tr!(
                    "引文必须逐字照录条款原文(只忽略空白);该条款开头为:{excerpt}",
                    "quote the clause word for word (only whitespace may differ); the clause begins: {excerpt}"
                )),
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

/// The first 80 characters of a clause on one line, with `…` only when there is more.
pub(super) fn clause_excerpt(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut excerpt: String = text.chars().take(80).collect();
    if excerpt.len() < text.len() {
        excerpt.push('…');
    }
    excerpt
}
