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
                    {
                        let shown = code(&shown.to_string());
                        tr!(
                            "测试文件 {shown} 没有内置",
                            "test fixture {shown} is not embedded"
                        )
                    },
                    tr!("找不到这个文件", "no such file"),
                    Some(tr!(
                        "把它放在 rules/tests/ 下并重新构建",
                        "put it under rules/tests/ and rebuild"
                    )),
                );
            }
            if let Some(base) = &input.base_dir
                && let Err((code, message, label, help)) = fixture_path(base, &test.file.node)
            {
                self.error(
                    code,
                    file,
                    test.file.span.clone(),
                    message,
                    label,
                    Some(help),
                );
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

/// What is wrong with a fixture's path: the code, message, label and help of its error.
pub type FixtureProblem = (&'static str, Text, Text, Text);

/// The file a test's fixture names, `written` relative to the rule file's directory `base`, or
/// what is wrong with it: a fixture is a regular file inside that directory, so a pack cannot
/// have `rules test` read (and show values of) `/etc/passwd` or `../../secret.yaml`, nor hang on
/// a pipe.
pub fn fixture_path(base: &Path, written: &str) -> Result<PathBuf, FixtureProblem> {
    use std::path::Component;
    let relative_help = || {
        tr!(
            "测试文件的路径相对于规则文件所在目录,且不能离开该目录",
            "a fixture's path is relative to the rule file's directory and stays inside it"
        )
    };
    let mut depth: usize = 0;
    for component in Path::new(written).components() {
        match component {
            Component::Prefix(_) | Component::RootDir => {
                return Err((
                    "rules::fixture-outside",
                    {
                        let written = code(written);
                        tr!(
                            "测试文件 {written} 是绝对路径",
                            "test fixture {written} is an absolute path"
                        )
                    },
                    tr!("绝对路径", "absolute path"),
                    relative_help(),
                ));
            }
            Component::CurDir => {}
            Component::ParentDir => {
                let Some(up) = depth.checked_sub(1) else {
                    return Err((
                        "rules::fixture-outside",
                        {
                            let written = code(written);
                            tr!(
                                "测试文件 {written} 在规则文件所在目录之外",
                                "test fixture {written} is outside the rule file's directory"
                            )
                        },
                        tr!("离开了规则文件所在目录", "leaves the rule file's directory"),
                        relative_help(),
                    ));
                };
                depth = up;
            }
            Component::Normal(_) => depth += 1,
        }
    }
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let path = base.join(written);
    let shown = path.display().to_string();
    let metadata = match std::fs::metadata(&path) {
        Ok(metadata) => metadata,
        // A link loop or a path too long is not a missing file: the system's reason says which.
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            let reason = error.to_string();
            return Err((
                "rules::missing-fixture",
                {
                    let shown = code(&shown.to_string());
                    tr!(
                        "无法读取测试文件 {shown}:{reason}",
                        "cannot read test fixture {shown}: {reason}"
                    )
                },
                tr!("无法读取", "cannot be read"),
                tr!(
                    "测试文件是规则文件所在目录中的一个 YAML 项目文件",
                    "a fixture is a YAML project file in the rule file's directory"
                ),
            ));
        }
        Err(_) => {
            return Err((
                "rules::missing-fixture",
                {
                    let shown = code(&shown.to_string());
                    tr!(
                        "测试文件 {shown} 不存在",
                        "test fixture {shown} does not exist"
                    )
                },
                tr!("找不到这个文件", "no such file"),
                tr!(
                    "路径相对于规则文件所在目录",
                    "the path is relative to the rule file's directory"
                ),
            ));
        }
    };
    if !metadata.is_file() {
        let (kind_zh, kind_en) = file_kind(&metadata);
        return Err((
            "rules::fixture-not-a-file",
            {
                let shown = code(&shown.to_string());
                tr!(
                    "测试文件 {shown} 不是普通文件,而是{kind_zh}",
                    "test fixture {shown} is not a regular file but {kind_en}"
                )
            },
            tr!("不是普通文件", "not a regular file"),
            tr!(
                "测试文件是一个 YAML 项目文件",
                "a fixture is a YAML project file"
            ),
        ));
    }
    // A symbolic link inside the directory may still lead out of it.
    let inside = match (base.canonicalize(), path.canonicalize()) {
        (Ok(base), Ok(path)) => path.starts_with(base),
        _ => false,
    };
    if !inside {
        return Err((
            "rules::fixture-outside",
            {
                let written = code(written);
                tr!(
                    "测试文件 {written} 经符号链接指向规则文件所在目录之外",
                    "test fixture {written} leads outside the rule file's directory through a symbolic link"
                )
            },
            tr!("离开了规则文件所在目录", "leaves the rule file's directory"),
            relative_help(),
        ));
    }
    Ok(path)
}

/// What a file that is not a regular file is, in words.
fn file_kind(metadata: &std::fs::Metadata) -> (&'static str, &'static str) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return ("命名管道", "a named pipe (FIFO)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return ("设备", "a device");
        }
        if kind.is_socket() {
            return ("套接字", "a socket");
        }
    }
    if metadata.is_dir() {
        ("目录", "a directory")
    } else {
        ("特殊文件", "a special file")
    }
}
