//! The tests written beside rules: outcomes, fixture files, the paths a test says are missing.

use super::*;

impl Checker<'_> {
    pub(super) fn tests(&mut self, input: &Input, tests: &[ast::TestDecl]) -> Vec<RuleTest> {
        let file = &input.tree.file;
        let mut checked = Vec::new();
        for test in tests {
            let outcome = match test.outcome.node.as_str() {
                "pass" => Outcome::Pass,
                "fail" => Outcome::Fail,
                "not_applicable" => Outcome::NotApplicable,
                "insufficient_evidence" => Outcome::InsufficientEvidence,
                "waived" => Outcome::Waived,
                _ => {
                    self.unknown_name(
                        file,
                        &test.outcome,
                        Text::new("测试结果", "outcome"),
                        OUTCOMES.into_iter(),
                    );
                    continue;
                }
            };
            if input.builtin
                && input.base_dir.is_none()
                && crate::rules::builtin::builtin_fixture(&test.file.node).is_none()
            {
                let shown = &test.file.node;
                self.error(
                    "rules::missing-fixture",
                    file,
                    test.file.span.clone(),
                    tr!(
                        "测试文件 `{shown}` 没有内置",
                        "test fixture `{shown}` is not embedded"
                    ),
                    tr!("找不到这个文件", "no such file"),
                    Some(tr!(
                        "把它放在 rules/tests/ 下并重新构建",
                        "put it under rules/tests/ and rebuild"
                    )),
                );
            }
            if let Some(base) = &input.base_dir {
                let path = base.join(&test.file.node);
                if !path.is_file() {
                    let shown = path.display().to_string();
                    self.error(
                        "rules::missing-fixture",
                        file,
                        test.file.span.clone(),
                        tr!(
                            "测试文件 `{shown}` 不存在",
                            "test fixture `{shown}` does not exist"
                        ),
                        tr!("找不到这个文件", "no such file"),
                        Some(tr!(
                            "路径相对于规则文件所在目录",
                            "the path is relative to the rule file's directory"
                        )),
                    );
                }
            }
            for missing in &test.missing {
                if let Err(message) = check_model_path(&missing.node) {
                    self.error(
                        "rules::unknown-path",
                        file,
                        missing.span.clone(),
                        message,
                        tr!("模型中没有这个路径", "not a path of the project model"),
                        None,
                    );
                }
            }
            if !test.missing.is_empty() && outcome != Outcome::InsufficientEvidence {
                self.error(
                    "rules::test-missing",
                    file,
                    test.span.clone(),
                    tr!(
                        "只有 `insufficient_evidence` 的测试才能列出缺少的字段",
                        "only `insufficient_evidence` tests list missing fields"
                    ),
                    tr!("这里", "here"),
                    None,
                );
            }
            checked.push(RuleTest {
                expect: outcome,
                file: test.file.node.clone(),
                missing: test.missing.iter().map(|path| path.node.clone()).collect(),
                span: test.span.clone(),
            });
        }
        checked
    }
}
