//! Paths into the project model and references to parameters.

use super::*;

impl Checker<'_> {
    pub(super) fn path(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &mut Scope,
        segments: &[ast::Name],
        expected: Option<&Type>,
    ) -> Option<(Expr, Type)> {
        let first = segments.first()?;
        let (mut value, mut ty) = if let Some((slot, ty)) = scope.lookup(&first.node) {
            (Expr::Var(slot), ty)
        } else if first.node == "param" {
            return self.param_ref(file, scope, segments);
        } else if let (Some(Type::Enum(enumeration)), [single]) = (expected, segments)
            && let Some(index) = enumeration.index_of(&single.node)
        {
            return Some((
                Expr::Const(Const::Enum(Arc::clone(enumeration), index)),
                Type::Enum(Arc::clone(enumeration)),
            ));
        } else if let Some((index, field)) = project_type().field(&first.node) {
            (
                Expr::Field {
                    base: Box::new(Expr::Root),
                    index,
                    record: Arc::clone(project_type()),
                },
                Type::of(&field.ty),
            )
        } else if scope.failed.contains(&first.node) {
            return None;
        } else if let Some(defined) = scope.defined_later(&first.node) {
            let name = &first.node;
            let diagnostic = Diagnostic::error(
                "rules::let-order",
                file,
                first.span.clone(),
                {
                    let name = code(&name.to_string());
                    tr!(
                        "{name} 在定义之前就被使用",
                        "{name} is used before its `let`"
                    )
                },
                tr!("这里还不能使用", "not defined yet here"),
            )
            .with_label(defined.clone(), tr!("在这里定义", "defined here"))
            .with_help(tr!(
                "`let` 只能使用写在它上面的名称;调整顺序,且不能互相引用",
                "a `let` may only use names defined above it: reorder them, and do not let them refer to each other"
            ));
            self.errors.push(diagnostic);
            return None;
        } else {
            let name = &first.node;
            let mut candidates: Vec<&str> = project_type().names().collect();
            candidates.extend(scope.names());
            if let Some(Type::Enum(enumeration)) = expected {
                candidates.extend(
                    enumeration
                        .variants
                        .iter()
                        .map(|variant| variant.name.as_str()),
                );
            }
            // A bare name compared with an enum is most likely a misspelt value of it.
            let value_of = match (expected, segments.len()) {
                (Some(Type::Enum(enumeration)), 1) => Some(enumeration),
                _ => None,
            };
            let suggestion = value_of
                .and_then(|enumeration| {
                    did_you_mean(
                        name,
                        enumeration
                            .variants
                            .iter()
                            .map(|variant| variant.name.as_str()),
                    )
                })
                .or_else(|| did_you_mean(name, candidates.iter().copied()));
            let help = match (suggestion, value_of) {
                (Some(found), Some(enumeration)) => {
                    let values = allowed_values(enumeration);
                    {
                        let found = code(found);
                        tr!(
                            "是否想写 {found}?可用的取值:{values}",
                            "did you mean {found}? allowed values: {values}"
                        )
                    }
                }
                (Some(found), None) => {
                    let found = code(found);
                    tr!("是否想写 {found}?", "did you mean {found}?")
                }
                (None, Some(enumeration)) => {
                    let values = allowed_values(enumeration);
                    tr!("可用的取值:{values}", "allowed values: {values}")
                }
                (None, None) => tr!(
                    "路径从项目文件的顶层键开始,如 `site.area_m2`",
                    "paths start at a top-level key of the project file, e.g. `site.area_m2`"
                ),
            };
            let (message, label) = match value_of {
                Some(enumeration) => {
                    let of = crate::project::types::type_place(&enumeration.name);
                    let (of_zh, of_en) = (&of.zh, &of.en);
                    (
                        {
                            let name = code(&name.to_string());
                            tr!(
                                "{name} 不是{of_zh}的取值",
                                "{name} is not a value of {of_en}"
                            )
                        },
                        tr!("未知取值", "unknown value"),
                    )
                }
                _ => (
                    {
                        let name = code(&name.to_string());
                        tr!("未知的名称 {name}", "unknown name {name}")
                    },
                    tr!(
                        "项目模型和规则中都没有这个名称",
                        "not in the project model or the rule"
                    ),
                ),
            };
            self.error(
                "rules::unknown-path",
                file,
                first.span.clone(),
                message,
                label,
                Some(help),
            );
            return None;
        };
        for segment in segments.iter().skip(1) {
            let Type::Record(record) = &ty else {
                let so_far = file
                    .text
                    .get(first.span.start..segment.span.start.saturating_sub(1))
                    .unwrap_or_default()
                    .to_owned();
                let (help_zh, help_en) = if matches!(ty, Type::List(_)) {
                    (
                        "这是一个列表;用 any、all、count、sum 或 filter 处理其中各项",
                        "it is a list: use any, all, count, sum or filter over its items",
                    )
                } else {
                    ("它没有下级字段", "it has no fields")
                };
                self.error(
                    "rules::unknown-path",
                    file,
                    segment.span.clone(),
                    {
                        let so_far = code(&so_far.to_string());
                        tr!("{so_far} 没有字段", "{so_far} has no fields")
                    },
                    tr!("不能在这里取字段", "no field can be taken here"),
                    Some(tr!("{help_zh}", "{help_en}")),
                );
                return None;
            };
            let Some((index, field)) = record.field(&segment.node) else {
                let path = file
                    .text
                    .get(first.span.start..segment.span.end)
                    .unwrap_or_default()
                    .to_owned();
                // The fields of what the author wrote (`f`, `site`), not of the model's type name.
                let record_name = file
                    .text
                    .get(first.span.start..segment.span.start.saturating_sub(1))
                    .unwrap_or_default()
                    .to_owned();
                let help = match did_you_mean(&segment.node, record.names()) {
                    Some(found) => {
                        let prefix = file
                            .text
                            .get(first.span.start..segment.span.start)
                            .unwrap_or_default();
                        tr!(
                            "是否想写 `{prefix}{found}`?",
                            "did you mean `{prefix}{found}`?"
                        )
                    }
                    None => {
                        let names: Vec<String> = record.names().map(|n| format!("`{n}`")).collect();
                        let names = names.join(", ");
                        {
                            let record_name = code(&record_name.to_string());
                            tr!(
                                "{record_name} 的字段:{names}",
                                "fields of {record_name}: {names}"
                            )
                        }
                    }
                };
                self.error(
                    "rules::unknown-path",
                    file,
                    first.span.start..segment.span.end,
                    {
                        let path = code(&path.to_string());
                        tr!(
                            "项目模型中没有 {path}",
                            "{path} is not in the project model"
                        )
                    },
                    tr!("未知路径", "unknown path"),
                    Some(help),
                );
                return None;
            };
            let next_ty = Type::of(&field.ty);
            value = Expr::Field {
                base: Box::new(value),
                index,
                record: Arc::clone(record),
            };
            ty = next_ty;
        }
        Some((value, ty))
    }

    pub(super) fn param_ref(
        &mut self,
        file: &Arc<SourceFile>,
        scope: &Scope,
        segments: &[ast::Name],
    ) -> Option<(Expr, Type)> {
        let (Some(name), 2) = (segments.get(1), segments.len()) else {
            let span = segments.first().map(|s| s.span.clone()).unwrap_or_default();
            self.error(
                "rules::unknown-param",
                file,
                span,
                tr!(
                    "`param` 后应跟参数名",
                    "`param` must be followed by a parameter name"
                ),
                tr!(
                    "如 `param.childcare_places_per_1000`",
                    "e.g. `param.childcare_places_per_1000`"
                ),
                None,
            );
            return None;
        };
        let index = self
            .visible_param(&name.node, scope.pack, false)
            .or_else(|| {
                self.set
                    .params
                    .iter()
                    .position(|param| param.name == name.node)
            });
        let Some(index) = index else {
            let written = &name.node;
            let help = match did_you_mean(written, self.set.params.iter().map(|p| p.name.as_str()))
            {
                Some(found) => tr!("是否想写 `param.{found}`?", "did you mean `param.{found}`?"),
                None => tr!(
                    "用 `param {written} {{ … }}` 声明它",
                    "declare it with `param {written} {{ … }}`"
                ),
            };
            self.error(
                "rules::unknown-param",
                file,
                name.span.clone(),
                {
                    let written = code(&written.to_string());
                    tr!("未知的参数 {written}", "unknown parameter {written}")
                },
                tr!("未声明", "not declared"),
                Some(help),
            );
            return None;
        };
        let param = self.set.params.get(index)?;
        let (declaring, using) = (
            self.set.packs.get(param.pack)?,
            self.set.packs.get(scope.pack)?,
        );
        if !declaring.jurisdiction.contains(&using.jurisdiction) {
            let (written, declaring_id, declaring_jurisdiction, using_jurisdiction) = (
                &name.node,
                declaring.id.clone(),
                declaring.jurisdiction.to_string(),
                using.jurisdiction.to_string(),
            );
            self.error(
                "rules::param-scope",
                file,
                name.span.clone(),
                {
                    let written = code(&written.to_string());
                    let declaring_id = code(&declaring_id.to_string());
                    let using_jurisdiction = code(&using_jurisdiction.to_string());
                    tr!(
                        "参数 {written} 由 {declaring_id}({declaring_jurisdiction})声明,不适用于 {using_jurisdiction}",
                        "parameter {written} is declared by {declaring_id} ({declaring_jurisdiction}), which does not apply in {using_jurisdiction}"
                    )
                },
                tr!("范围不符", "out of scope"),
                Some(tr!("在本规则包中声明所需的参数", "declare the parameter in this pack")),
            );
            return None;
        }
        Some((Expr::Param(index), Type::Num(param.dim)))
    }
}

/// Checks a path such as `site.area_m2` or `facilities[0].places` against the model.
pub fn check_model_path(path: &str) -> Result<(), Text> {
    let mut record: &RecordTy = project_type();
    let mut current: Option<&Ty> = None;
    for segment in path.split('.') {
        let name = segment.split('[').next().unwrap_or(segment);
        if let Some(ty) = current {
            record = match ty {
                Ty::Record(inner) => inner,
                Ty::List(item) => match item.as_ref() {
                    Ty::Record(inner) => inner,
                    _ => {
                        return Err({
                            let path = code(path);
                            tr!(
                                "{path} 不是模型中的路径",
                                "{path} is not a path of the project model"
                            )
                        });
                    }
                },
                _ => {
                    return Err({
                        let path = code(path);
                        tr!(
                            "{path} 不是模型中的路径",
                            "{path} is not a path of the project model"
                        )
                    });
                }
            };
        }
        let Some((_, field)) = record.field(name) else {
            return Err(match did_you_mean(name, record.names()) {
                Some(found) => {
                    let path = code(path);
                    let found = code(found);
                    tr!(
                        "模型中没有 {path}(是否想写 {found}?)",
                        "{path} is not in the project model (did you mean {found}?)"
                    )
                }
                None => {
                    let path = code(path);
                    tr!("模型中没有 {path}", "{path} is not in the project model")
                }
            });
        };
        current = Some(&field.ty);
    }
    Ok(())
}

/// The values of an enum as a rule writes them: `` `park`, `plan`, … ``.
fn allowed_values(enumeration: &crate::project::types::EnumTy) -> String {
    let values: Vec<String> = enumeration
        .variants
        .iter()
        .map(|variant| format!("`{}`", variant.name))
        .collect();
    values.join(", ")
}
