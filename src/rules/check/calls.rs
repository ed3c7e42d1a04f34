//! Function calls: list quantifiers, aggregates, presence tests.

use super::*;

impl Checker<'_> {
    pub(super) fn call(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        name: &ast::Name,
        arguments: &[Argument],
        whole: &ast::Expr,
    ) -> Option<(Expr, Type)> {
        let function = name.node.as_str();
        let aggregate = match function {
            "any" => Some(AggregateOp::Any),
            "all" => Some(AggregateOp::All),
            "count" => Some(AggregateOp::Count),
            // Whether it counts lists is known once the lambda is checked.
            "count_distinct" => Some(AggregateOp::CountDistinct { lists: false }),
            "sum" => Some(AggregateOp::Sum),
            "filter" => Some(AggregateOp::Filter),
            "min" | "max"
                if matches!(arguments.get(1), Some(Argument::Lambda(..)))
                    || arguments.len() == 1 =>
            {
                Some(if function == "min" {
                    AggregateOp::Min
                } else {
                    AggregateOp::Max
                })
            }
            _ => None,
        };
        if let Some(op) = aggregate {
            return self.aggregate(file, scope, op, name, arguments, whole);
        }
        let expected_count = match function {
            "ceil" | "floor" | "round" | "year" | "present" | "age_bands" => 1,
            "contains" | "min" | "max" => 2,
            _ => {
                let written = function;
                let all = FUNCTIONS.iter().copied();
                let help = match did_you_mean(written, all.clone()) {
                    Some(found) => {
                        let found = code(found);
                        tr!("是否想写 {found}?", "did you mean {found}?")
                    }
                    None => {
                        let all = all.collect::<Vec<_>>().join(", ");
                        tr!("可用的函数:{all}", "functions: {all}")
                    }
                };
                self.error(
                    "rules::unknown-function",
                    file,
                    name.span.clone(),
                    {
                        let written = code(written);
                        tr!("未知的函数 {written}", "unknown function {written}")
                    },
                    tr!("未知函数", "unknown function"),
                    Some(help),
                );
                return None;
            }
        };
        let mut values = Vec::new();
        for argument in arguments {
            match argument {
                Argument::Expr(expr) => {
                    values.push((self.expr(file, scope, expr, None)?, expr.span.clone()))
                }
                Argument::Lambda(variable, _) => {
                    self.error(
                        "rules::lambda",
                        file,
                        variable.span.clone(),
                        {
                            let function = code(function);
                            tr!(
                                "{function} 不接受 `x => …` 形式的参数",
                                "{function} takes no `x => …` argument"
                            )
                        },
                        tr!("这里不能用 lambda", "no lambda here"),
                        None,
                    );
                    return None;
                }
            }
        }
        if values.len() != expected_count {
            let given = values.len();
            self.error(
                "rules::arity",
                file,
                whole.span.clone(),
                {
                    let function = code(function);
                    tr!(
                        "{function} 需要 {expected_count} 个参数,这里有 {given} 个",
                        "{function} takes {expected_count} argument(s), {given} given"
                    )
                },
                tr!("参数个数不对", "wrong number of arguments"),
                None,
            );
            return None;
        }
        let mut iter = values.into_iter();
        let ((first, first_ty), first_span) = iter.next()?;
        let second = iter.next();
        let wrong = |checker: &mut Self, span: ast::Span, needed: Text, found: &Type| {
            let found = found.describe();
            let (needed_zh, needed_en, found_zh, found_en) =
                (&needed.zh, &needed.en, &found.zh, &found.en);
            checker.type_error(
                file,
                span,
                {
                    let function = code(function);
                    tr!(
                        "{function} 需要{needed_zh},这里是{found_zh}",
                        "{function} needs {needed_en}, found {found_en}"
                    )
                },
                None,
            );
        };
        match function {
            "present" => {
                if !matches!(first, Expr::Field { .. }) {
                    self.type_error(
                        file,
                        first_span,
                        tr!(
                            "`present` 需要项目文件中的路径",
                            "`present` needs a path into the project file"
                        ),
                        None,
                    );
                    return None;
                }
                Some((Expr::Present(Box::new(first)), Type::Bool))
            }
            "ceil" | "floor" | "round" => {
                if !matches!(first_ty, Type::Num(_)) {
                    wrong(self, first_span, Text::new("数字", "a number"), &first_ty);
                    return None;
                }
                let f = match function {
                    "ceil" => Function::Ceil,
                    "floor" => Function::Floor,
                    _ => Function::Round,
                };
                Some((Expr::Call(f, vec![first]), first_ty))
            }
            "year" => {
                if !matches!(first_ty, Type::Date) {
                    wrong(self, first_span, Text::new("日期", "a date"), &first_ty);
                    return None;
                }
                Some((
                    Expr::Call(Function::Year, vec![first]),
                    Type::Num(Dim::NONE),
                ))
            }
            "age_bands" => {
                let readable = match &first_ty {
                    Type::Text => true,
                    Type::List(item) => matches!(item.as_ref(), Type::Text),
                    _ => false,
                };
                if !readable {
                    wrong(
                        self,
                        first_span,
                        Text::new("文本或文本列表", "text or a list of text"),
                        &first_ty,
                    );
                    return None;
                }
                Some((
                    Expr::Call(Function::AgeBands, vec![first]),
                    Type::List(Box::new(Type::Text)),
                ))
            }
            "contains" => {
                let ((second, second_ty), second_span) = second?;
                if !matches!(first_ty, Type::Text) {
                    wrong(self, first_span, Text::new("文本", "text"), &first_ty);
                    return None;
                }
                if !matches!(second_ty, Type::Text) {
                    wrong(self, second_span, Text::new("文本", "text"), &second_ty);
                    return None;
                }
                Some((
                    Expr::Call(Function::Contains, vec![first, second]),
                    Type::Bool,
                ))
            }
            _ => {
                let ((second, second_ty), second_span) = second?;
                match (&first_ty, &second_ty) {
                    (Type::Num(a), Type::Num(b)) if a == b => {
                        let f = if function == "min" {
                            Function::Min2
                        } else {
                            Function::Max2
                        };
                        Some((Expr::Call(f, vec![first, second]), first_ty))
                    }
                    _ => {
                        wrong(self, second_span, first_ty.describe(), &second_ty);
                        None
                    }
                }
            }
        }
    }

    pub(super) fn aggregate(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        op: AggregateOp,
        name: &ast::Name,
        arguments: &[Argument],
        whole: &ast::Expr,
    ) -> Option<(Expr, Type)> {
        let function = &name.node;
        let needs_lambda = !matches!(op, AggregateOp::Count | AggregateOp::CountDistinct { .. });
        let (list_arg, lambda) = match arguments {
            [Argument::Expr(list)] if !needs_lambda => (list, None),
            [Argument::Expr(list), Argument::Lambda(variable, body)] => {
                (list, Some((variable, body)))
            }
            _ => {
                let form = if needs_lambda {
                    format!("{function}(list, x => …)")
                } else {
                    format!("{function}(list) or {function}(list, x => …)")
                };
                self.error(
                    "rules::arity",
                    file,
                    whole.span.clone(),
                    {
                        let function = code(&function.to_string());
                        let form = code(&form.to_string());
                        tr!("{function} 的写法是 {form}", "{function} is written {form}")
                    },
                    tr!("参数不对", "wrong arguments"),
                    None,
                );
                return None;
            }
        };
        let (list, list_ty) = self.expr(file, scope, list_arg, None)?;
        let Type::List(item_ty) = list_ty.clone() else {
            let found = list_ty.describe();
            let (found_zh, found_en) = (&found.zh, &found.en);
            self.type_error(
                file,
                list_arg.span.clone(),
                {
                    let function = code(&function.to_string());
                    tr!(
                        "{function} 的第一个参数需要列表,这里是{found_zh}",
                        "the first argument of {function} must be a list, found {found_en}"
                    )
                },
                None,
            );
            return None;
        };
        let slot = scope.next_slot();
        let body = match lambda {
            None => None,
            Some((variable, body)) => {
                // Each aggregate in another's body multiplies the work by a list's length:
                // nested deeper than this, a rule's time grows beyond any file.
                if scope.variables.len() >= MAX_AGGREGATE_NESTING {
                    self.error(
                        "rules::aggregate-nesting",
                        file,
                        name.span.clone(),
                        tr!(
                            "聚合函数嵌套超过 {MAX_AGGREGATE_NESTING} 层",
                            "aggregates are nested more than {MAX_AGGREGATE_NESTING} deep"
                        ),
                        tr!("嵌套过深", "nested too deep"),
                        Some(tr!(
                            "用 `let` 先算出内层的结果,或拆成几条规则",
                            "compute the inner result once with `let`, or split the rule"
                        )),
                    );
                    return None;
                }
                scope.push(&variable.node, *item_ty.clone(), slot);
                let checked = self.expr(file, scope, body, None);
                scope.pop();
                let (body_value, body_ty) = checked?;
                let fits = match op {
                    AggregateOp::Any
                    | AggregateOp::All
                    | AggregateOp::Count
                    | AggregateOp::Filter => matches!(body_ty, Type::Bool),
                    AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max => {
                        matches!(body_ty, Type::Num(_))
                    }
                    // Checked below, with the form without a lambda.
                    AggregateOp::CountDistinct { .. } => true,
                };
                if !fits {
                    let found = body_ty.describe();
                    let (found_zh, found_en) = (&found.zh, &found.en);
                    let (needed_zh, needed_en) =
                        if matches!(op, AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max) {
                            ("数字", "a number")
                        } else {
                            ("条件", "a condition")
                        };
                    self.type_error(
                        file,
                        body.span.clone(),
                        {
                            let function = code(&function.to_string());
                            tr!(
                                "{function} 的 lambda 需要返回{needed_zh},这里是{found_zh}",
                                "the lambda of {function} must give {needed_en}, found {found_en}"
                            )
                        },
                        None,
                    );
                    return None;
                }
                Some((body_value, body_ty))
            }
        };
        let mut op = op;
        if let AggregateOp::CountDistinct { .. } = op {
            // What is counted: the lambda's values, or the list's own elements; a list of
            // values counts each of its elements.
            let (counted, span) = match (&body, lambda) {
                (Some((_, ty)), Some((_, body))) => (ty.clone(), body.span.clone()),
                _ => (*item_ty.clone(), list_arg.span.clone()),
            };
            let element = match &counted {
                Type::List(inner) => inner.as_ref(),
                other => other,
            };
            if !distinguishable(element) {
                let found = counted.describe();
                let (found_zh, found_en) = (&found.zh, &found.en);
                self.type_error(
                    file,
                    span,
                    {
                        let function = code(&function.to_string());
                        tr!(
                            "{function} 只能数文本、枚举值、数字、日期或条件的不同取值(或它们的列表),这里是{found_zh}",
                            "{function} counts distinct text, enum values, numbers, dates or conditions (or lists of them), found {found_en}"
                        )
                    },
                    Some(tr!(
                        "数其中一个字段的不同取值,如 `count_distinct(facilities, f => f.kind)`",
                        "count the different values of one of its fields, e.g. `count_distinct(facilities, f => f.kind)`"
                    )),
                );
                return None;
            }
            op = AggregateOp::CountDistinct {
                lists: matches!(counted, Type::List(_)),
            };
        }
        let result = match op {
            AggregateOp::Any | AggregateOp::All => Type::Bool,
            AggregateOp::Count | AggregateOp::CountDistinct { .. } => Type::Num(Dim::NONE),
            AggregateOp::Filter => list_ty.clone(),
            AggregateOp::Sum | AggregateOp::Min | AggregateOp::Max => body
                .as_ref()
                .map_or(Type::Num(Dim::NONE), |(_, ty)| ty.clone()),
        };
        Some((
            Expr::Aggregate {
                op,
                list: Box::new(list),
                slot,
                body: body.map(|(value, _)| Box::new(value)),
                dim: match &result {
                    Type::Num(dim) => *dim,
                    _ => Dim::NONE,
                },
            },
            result,
        ))
    }
}

/// Whether values of `ty` can be told apart for `count_distinct`: scalars, not records or lists.
fn distinguishable(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool | Type::Num(_) | Type::Text | Type::Date | Type::Enum(_)
    )
}

/// Every function of the rule language, for "did you mean", editor completion and the editor
/// grammars (a test checks that each highlights them all).
pub const FUNCTIONS: &[&str] = &[
    "any",
    "all",
    "count",
    "count_distinct",
    "sum",
    "min",
    "max",
    "filter",
    "present",
    "ceil",
    "floor",
    "round",
    "contains",
    "year",
    "age_bands",
];

/// How deep aggregates (`any`, `all`, `count`, `count_distinct`, `sum`, `min`, `max`, `filter`
/// with `x => …`) may nest in one another's bodies. The built-in packs need 2.
pub const MAX_AGGREGATE_NESTING: usize = 6;
