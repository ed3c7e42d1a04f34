//! Expressions: conditions, operators, their types and units.

use super::*;

impl Checker<'_> {
    pub(super) fn condition(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        expr: &ast::Expr,
        field: &str,
    ) -> Option<Expr> {
        let (checked, ty) = self.expr(file, scope, expr, Some(&Type::Bool))?;
        if !matches!(ty, Type::Bool) {
            let found = ty.describe();
            let (found_zh, found_en) = (&found.zh, &found.en);
            self.error(
                "rules::type",
                file,
                expr.span.clone(),
                {
                    let field = code(field);
                    tr!(
                        "{field} 需要条件(真/假),这里是{found_zh}",
                        "{field} needs a condition (true/false), found {found_en}"
                    )
                },
                tr!("不是条件", "not a condition"),
                Some(tr!(
                    "与某个值比较,如 `… >= 1`",
                    "compare it with something, e.g. `… >= 1`"
                )),
            );
            return None;
        }
        Some(checked)
    }

    pub(super) fn type_error(
        &mut self,
        file: &Arc<SourceFile>,
        span: ast::Span,
        message: Text,
        help: Option<Text>,
    ) {
        self.error(
            "rules::type",
            file,
            span,
            message,
            tr!("类型不符", "wrong type"),
            help,
        );
    }

    /// Type-checks an expression. `expected` lets a bare name stand for an enum value.
    pub(super) fn expr(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        expr: &ast::Expr,
        expected: Option<&Type>,
    ) -> Option<(Expr, Type)> {
        match &expr.kind {
            ExprKind::Number(value, unit) => {
                let (value, dim, unit) = match unit {
                    None => (*value, Dim::NONE, None),
                    Some(unit) => {
                        let (dim, scale) = self.unit(file, unit)?;
                        let value = self.finite(file, expr.span.clone(), *value * scale)?;
                        (value, dim, units::lookup(&unit.node))
                    }
                };
                Some((Expr::Const(Const::Num(value, dim, unit)), Type::Num(dim)))
            }
            ExprKind::Text(text) => Some((Expr::Const(Const::Text(text.clone())), Type::Text)),
            ExprKind::Bool(value) => Some((Expr::Const(Const::Bool(*value)), Type::Bool)),
            ExprKind::Date(text) => match Date::parse(text) {
                Ok(date) => Some((Expr::Const(Const::Date(date)), Type::Date)),
                Err(error) => {
                    self.error(
                        "rules::date",
                        file,
                        expr.span.clone(),
                        {
                            let text = code(&text.to_string());
                            tr!(
                                "{text} 不是有效日期:{error}",
                                "{text} is not a valid date: {error}"
                            )
                        },
                        tr!("无效日期", "invalid date"),
                        None,
                    );
                    None
                }
            },
            ExprKind::List(items) => {
                let item_expected = match expected {
                    Some(Type::List(item)) => Some(item.as_ref().clone()),
                    _ => None,
                };
                let mut checked = Vec::new();
                let mut item_ty: Option<Type> = item_expected.clone();
                for item in items {
                    let (value, ty) = self.expr(file, scope, item, item_ty.as_ref())?;
                    if let Some(previous) = &item_ty
                        && !previous.same_kind(&ty)
                    {
                        let (a, b) = (previous.describe(), ty.describe());
                        let (a_zh, a_en, b_zh, b_en) = (&a.zh, &a.en, &b.zh, &b.en);
                        self.type_error(
                            file,
                            item.span.clone(),
                            tr!(
                                "列表中混合了{a_zh}和{b_zh}",
                                "the list mixes {a_en} and {b_en}"
                            ),
                            None,
                        );
                        return None;
                    }
                    item_ty = Some(ty);
                    checked.push(value);
                }
                let item_ty = item_ty.unwrap_or(Type::Text);
                Some((Expr::List(checked), Type::List(Box::new(item_ty))))
            }
            ExprKind::Path(segments) => self.path(file, scope, segments, expected),
            ExprKind::Unary(UnaryOp::Not, operand) => {
                let (value, ty) = self.expr(file, scope, operand, Some(&Type::Bool))?;
                if !matches!(ty, Type::Bool) {
                    let found = ty.describe();
                    let (found_zh, found_en) = (&found.zh, &found.en);
                    self.type_error(
                        file,
                        operand.span.clone(),
                        tr!(
                            "`not` 需要条件,这里是{found_zh}",
                            "`not` needs a condition, found {found_en}"
                        ),
                        None,
                    );
                    return None;
                }
                Some((Expr::Not(Box::new(value)), Type::Bool))
            }
            ExprKind::Unary(UnaryOp::Neg, operand) => {
                let (value, ty) = self.expr(file, scope, operand, None)?;
                if !matches!(ty, Type::Num(_)) {
                    self.type_error(
                        file,
                        operand.span.clone(),
                        tr!("`-` 需要数字", "`-` needs a number"),
                        None,
                    );
                    return None;
                }
                Some((Expr::Neg(Box::new(value)), ty))
            }
            ExprKind::Binary(op, left, right) => self.binary(file, scope, *op, left, right, expr),
            ExprKind::Call(name, arguments) => self.call(file, scope, name, arguments, expr),
        }
    }

    pub(super) fn binary(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        op: BinaryOp,
        left: &ast::Expr,
        right: &ast::Expr,
        whole: &ast::Expr,
    ) -> Option<(Expr, Type)> {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let left_checked = self.condition(file, scope, left, op.symbol());
                let right_checked = self.condition(file, scope, right, op.symbol());
                let (left, right) = (Box::new(left_checked?), Box::new(right_checked?));
                let value = if op == BinaryOp::And {
                    Expr::And(left, right)
                } else {
                    Expr::Or(left, right)
                };
                Some((value, Type::Bool))
            }
            BinaryOp::In | BinaryOp::NotIn => {
                // `name in list`: a bare name is read as a value of the list's enum.
                let ((value, value_ty), (list, list_ty)) =
                    if bare_name(left).is_some() && bare_name(right).is_none() {
                        let (list, list_ty) = self.expr(file, scope, right, None)?;
                        let item = match &list_ty {
                            Type::List(item) => Some(item.as_ref().clone()),
                            _ => None,
                        };
                        (
                            self.expr(file, scope, left, item.as_ref())?,
                            (list, list_ty),
                        )
                    } else {
                        let (value, value_ty) = self.expr(file, scope, left, None)?;
                        let expected = Type::List(Box::new(value_ty.clone()));
                        (
                            (value, value_ty),
                            self.expr(file, scope, right, Some(&expected))?,
                        )
                    };
                let Type::List(item_ty) = &list_ty else {
                    let found = list_ty.describe();
                    let (found_zh, found_en) = (&found.zh, &found.en);
                    self.type_error(
                        file,
                        right.span.clone(),
                        tr!(
                            "`in` 的右边需要列表,这里是{found_zh}",
                            "the right of `in` must be a list, found {found_en}"
                        ),
                        None,
                    );
                    return None;
                };
                if !item_ty.same_kind(&value_ty) {
                    self.mismatch(file, whole, left, &value_ty, right, item_ty);
                    return None;
                }
                Some((
                    Expr::In {
                        value: Box::new(value),
                        list: Box::new(list),
                        negated: op == BinaryOp::NotIn,
                    },
                    Type::Bool,
                ))
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Ge
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Lt => {
                // A bare name on one side is read as a value of the other side's enum.
                let ((left_value, left_ty), (right_value, right_ty)) =
                    if bare_name(left).is_some() && bare_name(right).is_none() {
                        let right_checked = self.expr(file, scope, right, None)?;
                        let left_checked = self.expr(file, scope, left, Some(&right_checked.1))?;
                        (left_checked, right_checked)
                    } else {
                        let left_checked = self.expr(file, scope, left, None)?;
                        let right_checked = self.expr(file, scope, right, Some(&left_checked.1))?;
                        (left_checked, right_checked)
                    };
                if !left_ty.same_kind(&right_ty) {
                    self.mismatch(file, whole, left, &left_ty, right, &right_ty);
                    return None;
                }
                let ordering = matches!(
                    op,
                    BinaryOp::Ge | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Lt
                );
                let allowed = match &left_ty {
                    Type::Num(_) | Type::Date => true,
                    Type::Bool | Type::Text | Type::Enum(_) => !ordering,
                    Type::List(_) | Type::Record(_) => false,
                };
                if !allowed {
                    let found = left_ty.describe();
                    let (found_zh, found_en, symbol) = (&found.zh, &found.en, op.symbol());
                    self.type_error(
                        file,
                        whole.span.clone(),
                        {
                            let symbol = code(symbol);
                            tr!(
                                "{found_zh}不能用 {symbol} 比较",
                                "{found_en} cannot be compared with {symbol}"
                            )
                        },
                        None,
                    );
                    return None;
                }
                let op = match op {
                    BinaryOp::Eq => CompareOp::Eq,
                    BinaryOp::Ne => CompareOp::Ne,
                    BinaryOp::Ge => CompareOp::Ge,
                    BinaryOp::Le => CompareOp::Le,
                    BinaryOp::Gt => CompareOp::Gt,
                    _ => CompareOp::Lt,
                };
                Some((
                    Expr::Compare(op, Box::new(left_value), Box::new(right_value)),
                    Type::Bool,
                ))
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let left_checked = self.expr(file, scope, left, None);
                let right_checked = self.expr(file, scope, right, None);
                let ((left_value, left_ty), (right_value, right_ty)) =
                    (left_checked?, right_checked?);
                let arith = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                if arith == ArithOp::Div && constant(right) == Some(0.0) {
                    let divisor = file.text.get(right.span.clone()).unwrap_or_default();
                    self.errors.push(
                        Diagnostic::error(
                            "rules::division-by-zero",
                            file,
                            right.span.clone(),
                            {
                                let divisor = code(divisor);
                                tr!(
                                    "除数 {divisor} 恒为零",
                                    "the divisor {divisor} is always zero"
                                )
                            },
                            tr!("除以零", "division by zero"),
                        )
                        .with_help(tr!(
                            "除以一个项目字段或非零的数",
                            "divide by a project field or by a number other than zero"
                        )),
                    );
                    return None;
                }
                if arith == ArithOp::Div && fixed_divisor(&right_value) {
                    self.fixed_divisors.push(FixedDivisor {
                        file: Arc::clone(file),
                        span: right.span.clone(),
                        divisor: right_value.clone(),
                    });
                }
                let time = units::parse("d").map_or(Dim::NONE, |(dim, _)| dim);
                let result = match (&left_ty, &right_ty, arith) {
                    (Type::Num(a), Type::Num(b), ArithOp::Add | ArithOp::Sub) if a == b => {
                        Some(Type::Num(*a))
                    }
                    (Type::Num(a), Type::Num(b), ArithOp::Mul) => Some(Type::Num(*a * *b)),
                    (Type::Num(a), Type::Num(b), ArithOp::Div) => Some(Type::Num(*a / *b)),
                    (Type::Date, Type::Date, ArithOp::Sub) => Some(Type::Num(time)),
                    (Type::Date, Type::Num(d), ArithOp::Add | ArithOp::Sub) if *d == time => {
                        Some(Type::Date)
                    }
                    _ => None,
                };
                let Some(result) = result else {
                    self.mismatch(file, whole, left, &left_ty, right, &right_ty);
                    return None;
                };
                Some((
                    Expr::Arith(arith, Box::new(left_value), Box::new(right_value)),
                    result,
                ))
            }
        }
    }

    pub(super) fn mismatch(
        &mut self,
        file: &Arc<SourceFile>,
        whole: &ast::Expr,
        left: &ast::Expr,
        left_ty: &Type,
        right: &ast::Expr,
        right_ty: &Type,
    ) {
        let (a, b) = (left_ty.describe(), right_ty.describe());
        let left_text = file
            .text
            .get(left.span.clone())
            .unwrap_or_default()
            .to_owned();
        let right_text = file
            .text
            .get(right.span.clone())
            .unwrap_or_default()
            .to_owned();
        let (a_zh, a_en, b_zh, b_en) = (&a.zh, &a.en, &b.zh, &b.en);
        let units_mismatch = matches!((left_ty, right_ty), (Type::Num(_), Type::Num(_)));
        let help = match (left_ty, right_ty) {
            (Type::Num(dim), Type::Num(other))
                if other.is_none()
                    && !dim.is_none()
                    && matches!(right.kind, ExprKind::Number(_, None)) =>
            {
                units::display_unit(*dim).map(|unit| {
                    let symbol = unit.symbol;
                    tr!(
                        "给数字加上单位,如 `{right_text} {symbol}`",
                        "give the number a unit, e.g. `{right_text} {symbol}`"
                    )
                })
            }
            (Type::Num(other), Type::Num(dim))
                if other.is_none()
                    && !dim.is_none()
                    && matches!(left.kind, ExprKind::Number(_, None)) =>
            {
                units::display_unit(*dim).map(|unit| {
                    let symbol = unit.symbol;
                    tr!(
                        "给数字加上单位,如 `{left_text} {symbol}`",
                        "give the number a unit, e.g. `{left_text} {symbol}`"
                    )
                })
            }
            _ => None,
        };
        let (code, message) = if units_mismatch {
            ("rules::unit-mismatch", {
                let left_text = code(&left_text.to_string());
                let right_text = code(&right_text.to_string());
                tr!(
                    "单位不一致:{left_text} 是{a_zh},{right_text} 是{b_zh}",
                    "unit mismatch: {left_text} is {a_en}, {right_text} is {b_en}"
                )
            })
        } else {
            ("rules::type", {
                let left_text = code(&left_text.to_string());
                let right_text = code(&right_text.to_string());
                tr!(
                    "类型不一致:{left_text} 是{a_zh},{right_text} 是{b_zh}",
                    "type mismatch: {left_text} is {a_en}, {right_text} is {b_en}"
                )
            })
        };
        let mut diagnostic = Diagnostic::error(
            code,
            file,
            whole.span.clone(),
            message,
            tr!("两边不能比较或运算", "these two sides do not fit"),
        )
        .with_label(right.span.clone(), b);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.errors.push(diagnostic);
    }
}

/// The value of an expression made only of numbers and arithmetic (`0`, `2 - 2`, `-(0 m2)`),
/// or `None` when it depends on the project. Nesting is bounded by the parser's limit.
/// A divisor made of numbers and parameters only, whose value the packs fix: zero with the
/// parameters' values as declared or as a pack refines one, it divides by zero in every file
/// (hostile review 16 Y7: `x / param.p` with `p` at 0 was undecided "for want of" no key).
pub(super) struct FixedDivisor {
    file: Arc<SourceFile>,
    span: std::ops::Range<usize>,
    divisor: Expr,
}

/// Whether `divisor` holds a parameter and otherwise only numbers.
fn fixed_divisor(divisor: &Expr) -> bool {
    let mut params = Vec::new();
    fixed_params(divisor, &mut params) && !params.is_empty()
}

/// Collects the parameters of `expr` into `params`; false when it holds anything but numbers,
/// parameters and arithmetic (nesting is bounded by the expression limit).
fn fixed_params(expr: &Expr, params: &mut Vec<usize>) -> bool {
    match expr {
        Expr::Const(Const::Num(..)) => true,
        Expr::Param(index) => {
            params.push(*index);
            true
        }
        Expr::Neg(inner) => fixed_params(inner, params),
        Expr::Arith(_, left, right) => fixed_params(left, params) && fixed_params(right, params),
        _ => false,
    }
}

/// The value of a fixed divisor, each parameter valued by `value`.
fn fixed_value(expr: &Expr, value: &dyn Fn(usize) -> Option<f64>) -> Option<f64> {
    match expr {
        Expr::Const(Const::Num(number, ..)) => Some(*number),
        Expr::Param(index) => value(*index),
        Expr::Neg(inner) => fixed_value(inner, value).map(|v| -v),
        Expr::Arith(op, left, right) => {
            let (a, b) = (fixed_value(left, value)?, fixed_value(right, value)?);
            match op {
                ArithOp::Add => Some(a + b),
                ArithOp::Sub => Some(a - b),
                ArithOp::Mul => Some(a * b),
                ArithOp::Div if b != 0.0 => Some(a / b),
                ArithOp::Div => None,
            }
        }
        _ => None,
    }
}

impl Checker<'_> {
    /// Refuses each divisor of [`FixedDivisor`] that is zero with the parameters as declared, or
    /// with one of them as a pack refines it: a rule-load error, as a literal zero divisor is.
    pub(super) fn check_fixed_divisors(&mut self) {
        let divisors = std::mem::take(&mut self.fixed_divisors);
        for FixedDivisor {
            file,
            span,
            divisor,
        } in divisors
        {
            let mut params = Vec::new();
            fixed_params(&divisor, &mut params);
            params.sort_unstable();
            params.dedup();
            let declared = |index: usize| self.set.params.get(index).map(|param| param.value);
            // The parameter whose value makes the divisor zero, and that value; declared first.
            let mut zero: Option<(usize, f64)> = None;
            if fixed_value(&divisor, &declared) == Some(0.0) {
                zero = params
                    .first()
                    .and_then(|&index| Some((index, declared(index)?)));
            }
            for &index in &params {
                if zero.is_some() {
                    break;
                }
                let Some(param) = self.set.params.get(index) else {
                    continue;
                };
                for refinement in &param.refinements {
                    let refined = |at: usize| {
                        if at == index {
                            Some(refinement.value)
                        } else {
                            declared(at)
                        }
                    };
                    if fixed_value(&divisor, &refined) == Some(0.0) {
                        zero = Some((index, refinement.value));
                        break;
                    }
                }
            }
            let Some((index, value)) = zero else {
                continue;
            };
            let Some(param) = self.set.params.get(index) else {
                continue;
            };
            let shown_value = match param.unit {
                Some(unit) => format!(
                    "{} {}",
                    units::format_number(value / unit.scale),
                    param.unit_symbol.as_deref().unwrap_or(unit.symbol)
                ),
                None => units::format_number(value),
            };
            let written = file.text.get(span.clone()).unwrap_or_default();
            let name = format!("param.{}", param.name);
            let message = if written == name {
                let (written, shown_value) = (code(written), code(&shown_value));
                tr!(
                    "除数 {written} 为 {shown_value}",
                    "the divisor {written} is {shown_value}"
                )
            } else {
                let (written, name, shown_value) = (code(written), code(&name), code(&shown_value));
                tr!(
                    "除数 {written} 在 {name} 为 {shown_value} 时为零",
                    "the divisor {written} is zero when {name} is {shown_value}"
                )
            };
            self.errors.push(
                Diagnostic::error(
                    "rules::division-by-zero",
                    &file,
                    span,
                    message,
                    tr!("除以零", "division by zero"),
                )
                .with_help(tr!(
                    "参数作除数时不能为零(声明的值和各地细化的值都是):改用项目字段作除数,或给参数一个非零的值",
                    "a parameter divided by must not be zero, as declared nor as refined: divide by a project field, or give the parameter a value other than zero"
                )),
            );
        }
    }
}

fn constant(expr: &ast::Expr) -> Option<f64> {
    match &expr.kind {
        ExprKind::Number(value, _) => Some(*value),
        ExprKind::Unary(ast::UnaryOp::Neg, inner) => constant(inner).map(|value| -value),
        ExprKind::Binary(op, left, right) => {
            let (a, b) = (constant(left)?, constant(right)?);
            match op {
                BinaryOp::Add => Some(a + b),
                BinaryOp::Sub => Some(a - b),
                BinaryOp::Mul => Some(a * b),
                BinaryOp::Div if b != 0.0 => Some(a / b),
                _ => None,
            }
        }
        _ => None,
    }
}
