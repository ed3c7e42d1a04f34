//! Rules, targets and not-checkable notes, and what they share (domain, strength, citation,
//! hint).

use super::*;
use crate::rules::encoding::Lazy;

impl Checker<'_> {
    /// Domain, strength, citation, hint, doc and tests shared by rules and targets.
    pub(super) fn common(
        &mut self,
        input: &Input,
        item_span: &ast::Span,
        id_span: ast::Span,
        common: &ast::CommonFields,
        scope: &mut Scope,
    ) -> Option<CommonChecked> {
        let file = &input.tree.file;
        self.duplicates(file, &common.duplicates);
        let domain = match &common.domain {
            None => {
                self.missing_field(file, item_span.clone(), "rule", "domain", "domain space");
                None
            }
            Some(name) => self.one_of(
                file,
                name,
                Text::new("领域", "domain"),
                Domain::ALL,
                Domain::as_str,
            ),
        };
        let strength = match &common.strength {
            None => {
                self.missing_field(
                    file,
                    item_span.clone(),
                    "rule",
                    "strength",
                    "strength shall",
                );
                None
            }
            Some(name) => self.one_of(
                file,
                name,
                Text::new("强度", "strength"),
                Strength::ALL,
                Strength::as_str,
            ),
        };
        let addressee = common.addressee.as_ref().and_then(|name| {
            self.one_of(
                file,
                name,
                Text::new("约束对象", "addressee"),
                Addressee::ALL,
                Addressee::as_str,
            )
        });
        let cite = match &common.cite {
            None => {
                self.missing_field(
                    file,
                    item_span.clone(),
                    "rule",
                    "cite",
                    "cite shanghai-2023 §68 \"…\"",
                );
                None
            }
            Some(cite) => self.cite(file, cite),
        };
        let hint = common
            .hint
            .as_ref()
            .and_then(|hint| self.template(file, hint, scope));
        let advice = common
            .advice
            .as_ref()
            .and_then(|advice| self.template(file, advice, scope));
        let tests = self.tests(input, &common.tests);
        Some(CommonChecked {
            domain: domain?,
            strength: strength?,
            strength_reason: common.strength_reason.as_ref().map(text),
            addressee,
            spans: RuleSpans {
                id: id_span.clone(),
                strength: common
                    .strength
                    .as_ref()
                    .map_or(id_span.clone(), |name| name.span.clone()),
                addressee: common
                    .addressee
                    .as_ref()
                    .map_or(id_span.clone(), |name| name.span.clone()),
                quote: common
                    .cite
                    .as_ref()
                    .map_or(id_span, |cite| cite.quote.span.clone()),
            },
            cite: cite?,
            hint,
            advice,
            doc: common.doc.as_ref().map(text),
            tests,
        })
    }

    pub(super) fn rule(&mut self, input: &Input, pack: usize, decl: &ast::RuleDecl) {
        let file = &input.tree.file;
        let id_ok = self.rule_id(file, &decl.id);
        let mut scope = Scope::new(pack);
        let mut lets = Vec::new();
        scope.set_lets(
            decl.lets
                .iter()
                .map(|(name, _)| (name.node.clone(), name.span.clone())),
        );
        for (i, (name, expr)) in decl.lets.iter().enumerate() {
            // This let and those after it are not visible yet; naming one is a forward reference.
            scope.later_from = i;
            if project_type().field(&name.node).is_some() || name.node == "param" {
                let written = &name.node;
                self.error(
                    "rules::let-shadows",
                    file,
                    name.span.clone(),
                    {
                        let written = code(&written.to_string());
                        tr!(
                            "{written} 是项目文件的顶层键,不能用作变量名",
                            "{written} is a top-level key of the project file and cannot name a variable"
                        )
                    },
                    tr!("换一个名称", "choose another name"),
                    None,
                );
                continue;
            }
            if let Some((checked, ty)) = self.expr(file, &mut scope, expr, None) {
                let slot = scope.bind(&name.node, ty);
                lets.push((slot, checked));
            } else {
                // Already reported: its uses are not reported again as unknown names.
                scope.failed.insert(name.node.clone());
            }
        }
        scope.later_from = scope.later.len();
        let applies = decl
            .applies
            .as_ref()
            .and_then(|expr| self.condition(file, &mut scope, expr, "applies"));
        let unless: Vec<Expr> = decl
            .unless
            .iter()
            .filter_map(|expr| self.condition(file, &mut scope, expr, "unless"))
            .collect();
        let require: Vec<Expr> = decl
            .require
            .iter()
            .filter_map(|expr| self.condition(file, &mut scope, expr, "require"))
            .collect();
        if decl.require.is_empty() {
            self.missing_field(file, decl.span.clone(), "rule", "require", "require …");
        }
        let at = decl.at.as_ref().and_then(|expr| {
            let (checked, _) = self.expr(file, &mut scope, expr, None)?;
            // `all(L, x => c)` points at the values `c` reads of the elements it is false for
            // (the stated count a rule judged, or the element where it is not stated), and at `L`
            // when it holds: where the finding is, when the rule judges one value of each element.
            let quantified = matches!(
                checked,
                Expr::Aggregate {
                    op: crate::rules::ir::AggregateOp::All,
                    body: Some(_),
                    ..
                }
            );
            if !quantified && !matches!(checked, Expr::Field { .. } | Expr::Var(_) | Expr::Root) {
                self.error(
                    "rules::at-not-path",
                    file,
                    expr.span.clone(),
                    tr!(
                        "`at` 必须是项目文件中的路径,或 `all(列表, x => 条件)`",
                        "`at` must be a path into the project file, or `all(list, x => condition)`"
                    ),
                    tr!("不是路径", "not a path"),
                    Some(tr!(
                        "如 `at facilities`,或 `at all(facilities, f => f.child_toilet_stalls >= 1)`",
                        "for example `at facilities`, or `at all(facilities, f => f.child_toilet_stalls >= 1)`"
                    )),
                );
                return None;
            }
            Some(checked)
        });
        let message = decl
            .message
            .as_ref()
            .and_then(|message| self.template(file, message, &mut scope));
        let common = self.common(
            input,
            &decl.span,
            decl.id.span.clone(),
            &decl.common,
            &mut scope,
        );
        let complete = applies.is_some() == decl.applies.is_some()
            && unless.len() == decl.unless.len()
            && require.len() == decl.require.len()
            && !require.is_empty()
            && lets.len() == decl.lets.len()
            && at.is_some() == decl.at.is_some()
            && message.is_some() == decl.message.is_some();
        let Some(common) = common else { return };
        if !(complete && id_ok) {
            return;
        }
        let source = |expr: &ast::Expr| {
            file.text
                .get(expr.span.clone())
                .unwrap_or_default()
                .to_owned()
        };
        let mut written: Vec<(&'static str, String)> = Vec::new();
        written.extend(decl.applies.iter().map(|expr| ("applies", source(expr))));
        written.extend(decl.unless.iter().map(|expr| ("unless", source(expr))));
        written.extend(
            decl.lets
                .iter()
                .map(|(name, expr)| ("let", format!("{} = {}", name.node, source(expr)))),
        );
        written.extend(decl.require.iter().map(|expr| ("require", source(expr))));
        self.set.rules.push(Rule {
            id: decl.id.node.clone(),
            pack,
            domain: common.domain,
            strength: common.strength,
            text: LazyRuleText::new(RuleText {
                title: text(&decl.title),
                cite: common.cite,
                hint: common.hint,
                advice: common.advice,
                notes: Lazy::new(RuleNotes {
                    written,
                    strength_reason: common.strength_reason,
                    spans: common.spans,
                    doc: common.doc,
                    tests: common.tests,
                }),
            }),
            check: LazyCheck::new(Check::Criterion(Box::new(Criterion {
                applies,
                unless,
                lets,
                require: Lazy::new(require),
                at: Lazy::new(at),
                message: Lazy::new(message),
                slots: scope.slots,
            }))),
            addressee: common.addressee,
            span: decl.span.clone(),
        });
    }

    pub(super) fn target(&mut self, input: &Input, pack: usize, decl: &ast::TargetDecl) {
        let file = &input.tree.file;
        let id_ok = self.rule_id(file, &decl.id);
        let mut scope = Scope::new(pack);
        let applies = decl
            .applies
            .as_ref()
            .map(|expr| self.condition(file, &mut scope, expr, "applies"));
        let unless: Vec<Expr> = decl
            .unless
            .iter()
            .filter_map(|expr| self.condition(file, &mut scope, expr, "unless"))
            .collect();
        let indicator = match &decl.indicator {
            None => {
                self.missing_field(
                    file,
                    decl.span.clone(),
                    "target",
                    "indicator",
                    "indicator childcare_places_per_1000",
                );
                None
            }
            Some(name) => {
                let found = self
                    .set
                    .indicators
                    .iter()
                    .position(|indicator| indicator.id == name.node);
                if found.is_none() {
                    let known: Vec<String> =
                        self.set.indicators.iter().map(|i| i.id.clone()).collect();
                    self.unknown_name(
                        file,
                        name,
                        Text::new("指标", "indicator"),
                        known.iter().map(String::as_str),
                    );
                }
                found
            }
        };
        let threshold = match &decl.threshold {
            None => {
                self.missing_field(
                    file,
                    decl.span.clone(),
                    "target",
                    "threshold",
                    "threshold at_least 4.5 places/kpop",
                );
                None
            }
            Some((comparator, quantity)) => {
                let comparator = match comparator.node.as_str() {
                    "above" => Comparator::Above,
                    "at_most" => Comparator::AtMost,
                    "below" => Comparator::Below,
                    _ => Comparator::AtLeast,
                };
                self.quantity(file, quantity)
                    .map(|(value, dim, _)| (comparator, value, dim, quantity.span.clone()))
            }
        };
        if decl.year.is_none() {
            self.missing_field(file, decl.span.clone(), "target", "year", "year 2025");
        }
        let common = self.common(
            input,
            &decl.span,
            decl.id.span.clone(),
            &decl.common,
            &mut scope,
        );
        let (Some(indicator), Some((comparator, threshold, dim, span)), Some(year), Some(common)) =
            (indicator, threshold, &decl.year, common)
        else {
            return;
        };
        let Some(declared) = self.set.indicators.get(indicator) else {
            return;
        };
        if declared.dim != dim {
            let (expected, found) = (
                Type::Num(declared.dim).describe(),
                Type::Num(dim).describe(),
            );
            let (expected_zh, expected_en, found_zh, found_en) =
                (&expected.zh, &expected.en, &found.zh, &found.en);
            let id = declared.id.clone();
            self.error(
                "rules::unit-mismatch",
                file,
                span,
                {
                    let id = code(&id.to_string());
                    tr!(
                        "指标 {id} 是{expected_zh},这里是{found_zh}",
                        "indicator {id} is {expected_en}, this is {found_en}"
                    )
                },
                tr!("单位不一致", "unit mismatch"),
                None,
            );
            return;
        }
        if !id_ok
            || applies.as_ref().is_some_and(Option::is_none)
            || unless.len() != decl.unless.len()
        {
            return;
        }
        self.set.rules.push(Rule {
            id: decl.id.node.clone(),
            pack,
            domain: common.domain,
            strength: common.strength,
            text: LazyRuleText::new(RuleText {
                title: text(&decl.title),
                cite: common.cite,
                hint: common.hint,
                advice: common.advice,
                notes: Lazy::new(RuleNotes {
                    written: decl
                        .applies
                        .iter()
                        .map(|expr| {
                            (
                                "applies",
                                file.text
                                    .get(expr.span.clone())
                                    .unwrap_or_default()
                                    .to_owned(),
                            )
                        })
                        .chain(decl.unless.iter().map(|expr| {
                            (
                                "unless",
                                file.text
                                    .get(expr.span.clone())
                                    .unwrap_or_default()
                                    .to_owned(),
                            )
                        }))
                        .chain([(
                            "threshold",
                            file.text
                                .get(
                                    decl.threshold
                                        .as_ref()
                                        .map_or(0..0, |(c, q)| c.span.start..q.span.end),
                                )
                                .unwrap_or_default()
                                .to_owned(),
                        )])
                        .collect(),
                    strength_reason: common.strength_reason,
                    spans: common.spans,
                    doc: common.doc,
                    tests: common.tests,
                }),
            }),
            check: LazyCheck::new(Check::Target(TargetCheck {
                indicator,
                comparator,
                threshold,
                year: year.node,
                every_year: decl.every_year,
                applies: applies.flatten(),
                unless,
                slots: scope.slots,
            })),
            addressee: common.addressee,
            span: decl.span.clone(),
        });
    }

    pub(super) fn not_checkable(
        &mut self,
        file: &Arc<SourceFile>,
        pack: usize,
        decl: &ast::NotCheckableDecl,
    ) {
        let Some(source_id) = self.set.packs.get(pack).map(|p| p.source.clone()) else {
            return;
        };
        let corpus = self.corpus;
        let Some(source) = corpus.get(&source_id) else {
            return;
        };
        let mut found_clauses = Vec::new();
        for clause in &decl.clauses {
            match source.clause(&clause.node) {
                Some(found) => found_clauses.push(NotCheckable {
                    clause: found.id.clone(),
                    sentences: Vec::new(),
                    reason: text(&decl.reason),
                }),
                None => {
                    let written = &clause.node;
                    let help = match self.clause_suggestion(file, source, written) {
                        Some(name) => tr!("是否想写 `§{name}`?", "did you mean `§{name}`?"),
                        None => tr!("检查条款编号", "check the clause id"),
                    };
                    self.error(
                        "rules::unknown-clause",
                        file,
                        clause.span.clone(),
                        {
                            let source_id = code(&source_id.to_string());
                            let written = code(&written.to_string());
                            tr!(
                                "{source_id} 中没有条款 {written}",
                                "{source_id} has no clause {written}"
                            )
                        },
                        tr!("未知条款", "unknown clause"),
                        Some(help),
                    );
                }
            }
        }
        // The clauses named are searched together, once indexed, for every sentence: trying
        // each sentence in each clause took time in their product.
        let mut quotes = (!decl.sentences.is_empty() && !found_clauses.is_empty()).then(|| {
            let clauses: Vec<&crate::sources::corpus::Clause> = found_clauses
                .iter()
                .filter_map(|note| source.clause(&note.clause))
                .collect();
            source.quotes_in(&clauses)
        });
        // What a wrong sentence's error says of the clauses, made once for all of them.
        let mut said_of_clauses: Option<(String, String, String)> = None;
        for sentence in &decl.sentences {
            let words = &sentence.node;
            let holder = quotes
                .as_mut()
                .and_then(|quotes| quotes.first_holding(words));
            if let Some(note) = holder.and_then(|index| found_clauses.get_mut(index)) {
                note.sentences.push(words.clone());
                continue;
            }
            if found_clauses.is_empty() {
                // The unknown clause has had its error.
                continue;
            }
            let (listed_zh, listed_en, excerpt) = said_of_clauses
                .get_or_insert_with(|| {
                    let (listed_zh, listed_en) = listed_clauses(&found_clauses);
                    let excerpt = found_clauses
                        .first()
                        .and_then(|note| source.clause(&note.clause))
                        .map(|clause| super::citations::clause_excerpt(source.own_text_of(clause)))
                        .unwrap_or_default();
                    (listed_zh, listed_en, excerpt)
                })
                .clone();
            self.error(
                "rules::quote-not-found",
                file,
                sentence.span.clone(),
                {
                    let source_id = code(&source_id.to_string());
                    tr!(
                        "这句话在 {source_id} {listed_zh} 中找不到原文",
                        "the sentence is not found verbatim in {source_id} {listed_en}"
                    )
                },
                tr!("与原文不一致", "not in the clause"),
                Some(tr!(
                    "逐字照录该句中的几个词即可(只忽略空白);条款开头为:{excerpt}",
                    "quote some words of the sentence exactly (only whitespace may differ); the clause begins: {excerpt}"
                )),
            );
        }
        if !decl.sentences.is_empty() {
            // Listing sentences narrows the note to them: a clause none of them is in is not meant.
            found_clauses.retain(|note| !note.sentences.is_empty());
        }
        if let Some(pack) = self.set.packs.get_mut(pack) {
            let placeholder = crate::rules::encoding::Lazy::new(Vec::new());
            let mut notes = std::mem::replace(&mut pack.not_checkable, placeholder).into_inner();
            notes.extend(found_clauses);
            pack.not_checkable = crate::rules::encoding::Lazy::new(notes);
        }
    }
}

/// The clauses a note names, as an error lists them in each language: the first few, then how
/// many more (a note may name thousands, and each wrong sentence's error names them).
fn listed_clauses(notes: &[NotCheckable]) -> (String, String) {
    const LISTED: usize = 5;
    let listed = notes
        .iter()
        .take(LISTED)
        .map(|note| format!("§{}", note.clause))
        .collect::<Vec<_>>()
        .join(", ");
    match notes.len().saturating_sub(LISTED) {
        0 => (listed.clone(), listed),
        more => (
            format!("{listed} 等 {} 条", notes.len()),
            format!("{listed} and {more} more"),
        ),
    }
}
