//! Messages and hints with `{…}` interpolations.

use super::*;

impl Checker<'_> {
    pub(super) fn template(
        &mut self,
        file: &Arc<SourceFile>,
        decl: &ast::TextDecl,
        scope: &mut Scope,
    ) -> Option<Template> {
        let zh = self.template_parts(file, &decl.zh, scope)?;
        let en = match &decl.en {
            Some(en) => Some(self.template_parts(file, en, scope)?),
            None => None,
        };
        Some(Template { zh, en })
    }

    /// Splits `text {expr} text` into parts. The span is the string's content in the file, so
    /// expression offsets are the raw text's; escapes are rare in messages and handled here.
    pub(super) fn template_parts(
        &mut self,
        file: &Arc<SourceFile>,
        text: &Spanned<String>,
        scope: &mut Scope,
    ) -> Option<Vec<Part>> {
        let raw = file.text.get(text.span.clone()).unwrap_or_default();
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut ok = true;
        let mut rest = raw.char_indices().peekable();
        while let Some((i, c)) = rest.next() {
            match c {
                '\\' => {
                    if let Some((_, escaped)) = rest.next() {
                        literal.push(match escaped {
                            'n' => '\n',
                            't' => '\t',
                            other => other,
                        });
                    }
                }
                '{' if rest.peek().is_some_and(|(_, next)| *next == '{') => {
                    rest.next();
                    literal.push('{');
                }
                '}' if rest.peek().is_some_and(|(_, next)| *next == '}') => {
                    rest.next();
                    literal.push('}');
                }
                '{' => {
                    let Some(close) = raw.get(i + 1..).and_then(|after| after.find('}')) else {
                        let at = text.span.start + i;
                        self.error(
                            "rules::template",
                            file,
                            at..at + 1,
                            tr!("`{{` 没有对应的 `}}`", "`{{` has no matching `}}`"),
                            tr!(
                                "从这里开始的插值没有结束",
                                "this interpolation is never closed"
                            ),
                            Some(tr!(
                                "要写字面的花括号,请写 `{{{{`",
                                "write `{{{{` for a literal brace"
                            )),
                        );
                        return None;
                    };
                    let source = raw.get(i + 1..i + 1 + close).unwrap_or_default();
                    let base = text.span.start + i + 1;
                    if !literal.is_empty() {
                        parts.push(Part::Literal(std::mem::take(&mut literal)));
                    }
                    match crate::rules::parse::parse_template_expr(file, base, source) {
                        Ok(expr) => match self.expr(file, scope, &expr, None) {
                            Some((checked, _)) => parts.push(Part::Expr(checked)),
                            None => ok = false,
                        },
                        Err(error) => {
                            self.errors.push(error);
                            ok = false;
                        }
                    }
                    for _ in 0..source.chars().count() + 1 {
                        rest.next();
                    }
                }
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        // A vector grows to room for four parts at its first, and most texts have one: the room
        // for three more was some 1.2 KB a rule of every message, hint and advice (#12).
        for part in &mut parts {
            if let Part::Literal(literal) = part {
                literal.shrink_to_fit();
            }
        }
        parts.shrink_to_fit();
        ok.then_some(parts)
    }
}
