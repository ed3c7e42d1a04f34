//! Quantities and units, parameters and their refinements (only stricter, only by more local
//! packs), and indicators.

use super::*;

/// A refinement's test whose rule is resolved once every rule is checked.
pub(super) struct PendingTest {
    /// The refining pack's file.
    file: Arc<SourceFile>,
    /// The parameter, in the rule set.
    param: usize,
    /// The refinement, in the parameter's.
    refinement: usize,
    /// The rule the test names, if it names one.
    rule: Option<ast::Name>,
    /// The test, checked.
    test: RuleTest,
}

impl Checker<'_> {
    pub(super) fn quantity(
        &mut self,
        file: &Arc<SourceFile>,
        quantity: &ast::QuantityDecl,
    ) -> Option<(f64, Dim, Option<&'static Unit>)> {
        match &quantity.unit {
            None => Some((quantity.value, Dim::NONE, None)),
            Some(unit) => {
                let (dim, scale) = self.unit(file, unit)?;
                let value = self.finite(file, quantity.span.clone(), quantity.value * scale)?;
                Some((value, dim, units::lookup(&unit.node)))
            }
        }
    }

    /// A quantity in base units, refused when converting it overflowed (the parser already
    /// refused numbers too large as written).
    pub(super) fn finite(
        &mut self,
        file: &Arc<SourceFile>,
        span: ast::Span,
        value: f64,
    ) -> Option<f64> {
        if value.is_finite() {
            return Some(value);
        }
        self.error(
            "rules::number-range",
            file,
            span,
            tr!(
                "数量换算为基本单位后太大",
                "the quantity is too large in base units"
            ),
            tr!("数值过大", "too large"),
            Some(tr!("写一个较小的数", "write a smaller number")),
        );
        None
    }

    pub(super) fn unit(
        &mut self,
        file: &Arc<SourceFile>,
        unit: &Spanned<String>,
    ) -> Option<(Dim, f64)> {
        if let Some(parsed) = units::parse(&unit.node) {
            return Some(parsed);
        }
        let symbol = &unit.node;
        let help = match did_you_mean(symbol, units::symbols()) {
            Some(name) => {
                let name = code(name);
                tr!("是否想写 {name}?", "did you mean {name}?")
            }
            None => {
                let all: Vec<String> = units::symbols().map(|s| format!("`{s}`")).collect();
                let all = all.join(", ");
                tr!("可用的单位:{all}", "units: {all}")
            }
        };
        self.error(
            "rules::unknown-unit",
            file,
            unit.span.clone(),
            {
                let symbol = code(&symbol.to_string());
                tr!("未知的单位 {symbol}", "unknown unit {symbol}")
            },
            tr!("未知单位", "unknown unit"),
            Some(help),
        );
        None
    }

    /// Packs on one chain of jurisdictions (one contains the other) share a parameter's name;
    /// packs for sibling places (Jilin, Rui'an) may each declare their own.
    pub(super) fn on_one_chain(&self, a: usize, b: usize) -> bool {
        match (self.set.packs.get(a), self.set.packs.get(b)) {
            (Some(a), Some(b)) => {
                a.jurisdiction.contains(&b.jurisdiction) || b.jurisdiction.contains(&a.jurisdiction)
            }
            _ => false,
        }
    }

    /// The parameter `name` as seen from `pack`: the most local declaration by a pack whose
    /// jurisdiction contains the pack's own (strictly wider when `strictly_wider`).
    pub(super) fn visible_param(
        &self,
        name: &str,
        pack: usize,
        strictly_wider: bool,
    ) -> Option<usize> {
        let here = self.set.packs.get(pack)?;
        self.set
            .params
            .iter()
            .enumerate()
            .filter(|(_, param)| param.name == name)
            .filter_map(|(index, param)| {
                let declaring = self.set.packs.get(param.pack)?;
                let wider = declaring.jurisdiction.depth() < here.jurisdiction.depth();
                (declaring.jurisdiction.contains(&here.jurisdiction) && (wider || !strictly_wider))
                    .then_some((index, declaring.jurisdiction.depth()))
            })
            .max_by_key(|(_, depth)| *depth)
            .map(|(index, _)| index)
    }

    pub(super) fn param(&mut self, file: &Arc<SourceFile>, pack: usize, decl: &ast::ParamDecl) {
        let name = &decl.name.node;
        if let Some(existing) = self
            .set
            .params
            .iter()
            .find(|param| &param.name == name && self.on_one_chain(param.pack, pack))
        {
            let other = self
                .set
                .packs
                .get(existing.pack)
                .map(|p| p.id.clone())
                .unwrap_or_default();
            self.error(
                "rules::duplicate-param",
                file,
                decl.name.span.clone(),
                {
                    let name = code(&name.to_string());
                    let other = code(&other.to_string());
                    tr!(
                        "参数 {name} 已由规则包 {other} 声明",
                        "parameter {name} is already declared by pack {other}"
                    )
                },
                tr!("重复声明", "declared again"),
                Some(tr!(
                    "更地方的规则包应使用 `refine {name}` 收紧它",
                    "a more local pack tightens it with `refine {name}`"
                )),
            );
            return;
        }
        let (Some(bound), Some(value)) = (&decl.bound, &decl.value) else {
            self.missing_field(
                file,
                decl.span.clone(),
                "param",
                "value",
                "value at_least 4.5 places/kpop",
            );
            return;
        };
        let Some(label) = &decl.label else {
            self.missing_field(
                file,
                decl.span.clone(),
                "param",
                "label",
                "label \"每千名常住人口的托位数\" en \"childcare places per 1000 residents\"",
            );
            return;
        };
        let Some(cite_decl) = &decl.cite else {
            self.missing_field(
                file,
                decl.span.clone(),
                "param",
                "cite",
                "cite jilin-2022 §5 \"…\"",
            );
            return;
        };
        let cite = self.cite(file, cite_decl);
        let quantity = self.quantity(file, value);
        let (Some(cite), Some((value_base, dim, unit))) = (cite, quantity) else {
            return;
        };
        self.set.params.push(Param {
            name: name.clone(),
            label: text(label),
            pack,
            bound: if bound.node == "at_most" {
                Bound::AtMost
            } else {
                Bound::AtLeast
            },
            value: value_base,
            dim,
            unit,
            unit_symbol: value.unit.as_ref().map(|unit| unit.node.clone()),
            cite,
            basis: decl.basis.as_ref().map(text),
            refinements: Vec::new(),
            span: decl.name.span.clone(),
        });
    }

    pub(super) fn refine(&mut self, input: &Input, pack: usize, decl: &ast::ParamDecl) {
        let file = &input.tree.file;
        let name = &decl.name.node;
        let index = self
            .visible_param(name, pack, true)
            .or_else(|| self.set.params.iter().position(|param| &param.name == name));
        let Some(index) = index else {
            let help = match did_you_mean(name, self.set.params.iter().map(|p| p.name.as_str())) {
                Some(found) => {
                    let found = code(found);
                    tr!("是否想写 {found}?", "did you mean {found}?")
                }
                None => tr!(
                    "只能收紧已由上级规则包声明的参数",
                    "only parameters declared by a wider pack can be refined"
                ),
            };
            self.error(
                "rules::unknown-param",
                file,
                decl.name.span.clone(),
                {
                    let name = code(&name.to_string());
                    tr!("未知的参数 {name}", "unknown parameter {name}")
                },
                tr!("未声明", "not declared"),
                Some(help),
            );
            return;
        };
        let (Some(value), Some(cite_decl)) = (&decl.value, &decl.cite) else {
            self.missing_field(
                file,
                decl.span.clone(),
                "refine",
                if decl.value.is_none() {
                    "value"
                } else {
                    "cite"
                },
                "value at_least 5 places/kpop",
            );
            return;
        };
        let cite = self.cite(file, cite_decl);
        let Some((new_value, dim, _)) = self.quantity(file, value) else {
            return;
        };
        let Some(param) = self.set.params.get(index) else {
            return;
        };
        let (Some(declaring), Some(refining)) =
            (self.set.packs.get(param.pack), self.set.packs.get(pack))
        else {
            return;
        };
        let (declaring_id, declaring_jurisdiction) =
            (declaring.id.clone(), declaring.jurisdiction.clone());
        let refining_jurisdiction = refining.jurisdiction.clone();
        let (param_dim, param_bound, param_value, param_unit) =
            (param.dim, param.bound, param.value, param.unit);
        if !(declaring_jurisdiction.contains(&refining_jurisdiction)
            && refining_jurisdiction.depth() > declaring_jurisdiction.depth())
        {
            self.error(
                "rules::refine-scope",
                file,
                decl.name.span.clone(),
                {
                    let declaring_id = code(&declaring_id.to_string());
                    let name = code(&name.to_string());
                    let refining_jurisdiction = code(&refining_jurisdiction.to_string());
                    tr!(
                        "只有比 {declaring_id}({declaring_jurisdiction})更地方的规则包才能收紧 {name},本规则包适用于 {refining_jurisdiction}",
                        "only a pack more local than {declaring_id} ({declaring_jurisdiction}) may refine {name}; this pack applies to {refining_jurisdiction}"
                    )
                },
                tr!("不能在这里收紧", "cannot be refined here"),
                None,
            );
            return;
        }
        if let Some(bound) = &decl.bound {
            let written = if bound.node == "at_most" {
                Bound::AtMost
            } else {
                Bound::AtLeast
            };
            if written != param_bound {
                let expected = if param_bound == Bound::AtLeast {
                    "at_least"
                } else {
                    "at_most"
                };
                self.error(
                    "rules::refine-bound",
                    file,
                    bound.span.clone(),
                    {
                        let name = code(&name.to_string());
                        let expected = code(expected);
                        tr!(
                            "{name} 声明为 {expected},收紧时不能改变方向",
                            "{name} is declared {expected}; a refinement cannot change its direction"
                        )
                    },
                    tr!("方向不一致", "wrong direction"),
                    Some(tr!("写 `value {expected} …`", "write `value {expected} …`")),
                );
                return;
            }
        }
        if dim != param_dim {
            let (expected, found) = (Type::Num(param_dim).describe(), Type::Num(dim).describe());
            let (expected_zh, expected_en, found_zh, found_en) =
                (&expected.zh, &expected.en, &found.zh, &found.en);
            self.error(
                "rules::unit-mismatch",
                file,
                value.span.clone(),
                {
                    let name = code(&name.to_string());
                    tr!(
                        "{name} 是{expected_zh},这里是{found_zh}",
                        "{name} is {expected_en}, this is {found_en}"
                    )
                },
                tr!("单位不一致", "unit mismatch"),
                None,
            );
            return;
        }
        let looser = match param_bound {
            Bound::AtLeast => new_value < param_value - 1e-12,
            Bound::AtMost => new_value > param_value + 1e-12,
        };
        if looser {
            let old = units::format_quantity(param_value, param_dim, param_unit, false);
            let new = units::format_quantity(new_value, param_dim, param_unit, false);
            let old_zh = units::format_quantity(param_value, param_dim, param_unit, true);
            let new_zh = units::format_quantity(new_value, param_dim, param_unit, true);
            let (direction_zh, direction_en) = match param_bound {
                Bound::AtLeast => ("或更高", "or more"),
                Bound::AtMost => ("或更低", "or less"),
            };
            self.error(
                "rules::refine-looser",
                file,
                value.span.clone(),
                {
                    let declaring_id = code(&declaring_id.to_string());
                    tr!(
                        "`refine {name}` 只能收紧要求,这里却放宽了:{declaring_id} 规定 {old_zh},这里是 {new_zh}",
                        "`refine {name}` may only make it stricter, but this loosens it: {declaring_id} sets {old}, this sets {new}"
                    )
                },
                tr!("比上级规定更宽松", "looser than the wider pack"),
                Some({
                    let name = code(&name.to_string());
                    tr!(
                        "地方规则包可以把 {name} 定为 {old_zh}{direction_zh},不能低于上级的要求",
                        "a local pack may set {name} to {old} {direction_en}, never below what the wider pack asks"
                    )
                }),
            );
            return;
        }
        let mut tests = Vec::new();
        for test in &decl.tests {
            if let Some(checked) = self.tests(input, std::slice::from_ref(test)).pop() {
                tests.push((test.rule.clone(), checked));
            }
        }
        if let (Some(cite), Some(param)) = (cite, self.set.params.get_mut(index)) {
            param.refinements.push(Refinement {
                pack,
                value: new_value,
                cite,
                basis: decl.basis.as_ref().map(text),
                tests: Vec::new(),
                span: decl.name.span.clone(),
            });
            let refinement = param.refinements.len() - 1;
            self.refinement_tests
                .extend(tests.into_iter().map(|(rule, test)| PendingTest {
                    file: Arc::clone(file),
                    param: index,
                    refinement,
                    rule,
                    test,
                }));
        }
    }

    /// Gives each refinement's test the rule it evaluates: the one it names, or else the only rule
    /// that reads the parameter where the refining pack applies.
    pub(super) fn resolve_refinement_tests(&mut self) {
        for pending in std::mem::take(&mut self.refinement_tests) {
            let Some(param) = self.set.params.get(pending.param) else {
                continue;
            };
            let Some(refinement) = param.refinements.get(pending.refinement) else {
                continue;
            };
            let Some(here) = self.set.packs.get(refinement.pack) else {
                continue;
            };
            let name = param.name.clone();
            let jurisdiction = here.jurisdiction.clone();
            let readers: Vec<String> = self
                .set
                .rules
                .iter()
                .filter(|rule| {
                    self.set
                        .packs
                        .get(rule.pack)
                        .is_some_and(|pack| pack.jurisdiction.contains(&jurisdiction))
                        && rule.params().contains(&pending.param)
                })
                .map(|rule| rule.id.clone())
                .collect();
            let rule = match (&pending.rule, readers.as_slice()) {
                (Some(named), _) if readers.contains(&named.node) => named.node.clone(),
                (Some(named), _) => {
                    self.not_a_reader(
                        &pending.file,
                        named,
                        pending.param,
                        &name,
                        &jurisdiction,
                        &readers,
                    );
                    continue;
                }
                (None, [only]) => only.clone(),
                (None, []) => {
                    self.error(
                        "rules::refine-test-rule",
                        &pending.file,
                        pending.test.span.clone(),
                        {
                            let jurisdiction = code(&jurisdiction.to_string());
                            tr!(
                                "在 {jurisdiction} 适用的规则都不读取 `param.{name}`,这个测试没有可评价的规则",
                                "no rule that applies in {jurisdiction} reads `param.{name}`, so this test has no rule to evaluate"
                            )
                        },
                        tr!("没有可评价的规则", "no rule to evaluate"),
                        Some(tr!(
                            "收紧的测试评价读取该参数的规则;先在规则中用 `param.{name}`",
                            "a refinement's test evaluates a rule that reads the parameter; use `param.{name}` in a rule first"
                        )),
                    );
                    continue;
                }
                (None, [first, ..]) => {
                    let all = backticked(&readers);
                    self.error(
                        "rules::refine-test-rule",
                        &pending.file,
                        pending.test.span.clone(),
                        tr!(
                            "`param.{name}` 由多条规则读取({all}),测试须写明评价哪一条",
                            "`param.{name}` is read by several rules ({all}): the test must name the one it evaluates"
                        ),
                        tr!("评价哪条规则?", "which rule?"),
                        Some(tr!(
                            "在结果前写规则编号:`test {first} fail \"…yaml\"`",
                            "write the rule's id before the outcome: `test {first} fail \"…yaml\"`"
                        )),
                    );
                    continue;
                }
            };
            if let Some(refinement) = self
                .set
                .params
                .get_mut(pending.param)
                .and_then(|param| param.refinements.get_mut(pending.refinement))
            {
                refinement.tests.push(RefinementTest {
                    rule,
                    test: pending.test,
                });
            }
        }
    }

    /// The error for a refinement's test that names a rule not reading the parameter there.
    fn not_a_reader(
        &mut self,
        file: &Arc<SourceFile>,
        named: &ast::Name,
        param_index: usize,
        param: &str,
        jurisdiction: &Jurisdiction,
        readers: &[String],
    ) {
        let id = &named.node;
        let (message, label) = match self.set.rule(id) {
            Some(rule) if !rule.params().contains(&param_index) => (
                {
                    let id = code(&id.to_string());
                    tr!(
                        "规则 {id} 不读取 `param.{param}`,收紧对它没有作用",
                        "rule {id} does not read `param.{param}`, so the refinement does not change it"
                    )
                },
                tr!("不读取该参数", "does not read the parameter"),
            ),
            Some(_) => (
                {
                    let id = code(&id.to_string());
                    let jurisdiction = code(&jurisdiction.to_string());
                    tr!(
                        "规则 {id} 不适用于 {jurisdiction},收紧对它没有作用",
                        "rule {id} does not apply in {jurisdiction}, so the refinement does not change it"
                    )
                },
                tr!("在这里不适用", "does not apply here"),
            ),
            None => (
                {
                    let id = code(&id.to_string());
                    tr!("未知的规则 {id}", "unknown rule {id}")
                },
                tr!("未知", "unknown"),
            ),
        };
        let help = match did_you_mean(id, readers.iter().map(String::as_str)) {
            Some(found) => {
                let found = code(found);
                tr!("是否想写 {found}?", "did you mean {found}?")
            }
            None if readers.is_empty() => tr!(
                "在这里适用的规则都不读取 `param.{param}`",
                "no rule that applies here reads `param.{param}`"
            ),
            None => {
                let all = backticked(readers);
                tr!(
                    "读取 `param.{param}` 的规则:{all}",
                    "the rules that read `param.{param}`: {all}"
                )
            }
        };
        self.error(
            "rules::refine-test-rule",
            file,
            named.span.clone(),
            message,
            label,
            Some(help),
        );
    }

    pub(super) fn indicator(&mut self, file: &Arc<SourceFile>, decl: &ast::IndicatorDecl) {
        let (dim, scale) = match &decl.unit {
            None => (Dim::NONE, 1.0),
            Some(unit) => match self.unit(file, unit) {
                Some(parsed) => parsed,
                None => return,
            },
        };
        let id = &decl.name.node;
        if let Some(existing) = self
            .set
            .indicators
            .iter()
            .find(|indicator| &indicator.id == id)
        {
            if existing.dim != dim || (existing.scale - scale).abs() > 1e-12 {
                let unit = existing.unit.clone().unwrap_or_else(|| "none".into());
                self.error(
                    "rules::indicator-unit",
                    file,
                    decl.span.clone(),
                    {
                        let id = code(&id.to_string());
                        let unit = code(&unit.to_string());
                        tr!(
                            "指标 {id} 已以单位 {unit} 声明",
                            "indicator {id} is already declared with unit {unit}"
                        )
                    },
                    tr!("单位不一致", "different unit"),
                    Some(tr!(
                        "同一指标在各规则包中必须使用同一单位",
                        "one indicator has one unit in every pack"
                    )),
                );
            }
            return;
        }
        self.set.indicators.push(Indicator {
            id: id.clone(),
            label: text(&decl.label),
            dim,
            scale,
            unit: decl.unit.as_ref().map(|unit| unit.node.clone()),
            display: decl
                .unit
                .as_ref()
                .and_then(|unit| units::lookup(&unit.node)),
        });
    }
}

/// Rule ids as a message lists them: `` `A`, `B` ``.
fn backticked(ids: &[String]) -> String {
    ids.iter().map(|id| code(id)).collect::<Vec<_>>().join(", ")
}
