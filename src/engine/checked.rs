//! One project file through the pipeline: load it, assess it, and keep what became of it — the
//! unit that reports present and that the batch runs in parallel.

use std::path::Path;

use crate::base::diagnostic::{Diagnostic, Remedy};
use crate::base::i18n::Text;
use crate::engine::force::DateBasis;
use crate::engine::{self, Assessment, Options, SelectError};
use crate::project::yaml::YamlPath;
use crate::project::{self, LoadLimits, Project};
use crate::rules::ir::{Jurisdiction, RuleSet};
use crate::tr;

/// One input file and what became of it.
#[derive(Debug)]
pub struct CheckedFile {
    /// The path as found.
    pub path: String,
    /// Assessed, or invalid input.
    pub result: Checked,
}

/// What became of an input file.
#[derive(Debug)]
pub enum Checked {
    /// The file loaded and was assessed.
    Assessed {
        /// The project (with its warnings).
        project: Box<Project>,
        /// The assessment.
        assessment: Assessment,
    },
    /// The file could not be used; the diagnostics say why (exit code 2).
    Invalid(Vec<Diagnostic>),
}

/// How to run the job.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// Overrides each file's jurisdiction.
    pub jurisdiction: Option<Jurisdiction>,
    /// Grading options.
    pub engine: Options,
    /// Input limits.
    pub limits: LoadLimits,
    /// Waivers from a waivers file.
    pub waivers: std::sync::Arc<Vec<crate::engine::waivers::StatedWaiver>>,
    /// Which files of the run those waivers may cover: pinned by `file:`, or for a project id no
    /// other file of the run declares.
    pub sharing: std::sync::Arc<crate::engine::waivers::Sharing>,
}

/// Loads and assesses one file.
pub fn check_file(path: &Path, set: &RuleSet, options: &CheckOptions) -> CheckedFile {
    let name = crate::base::walk::shown(path);
    let result = match project::load_path(path, options.limits) {
        Err(diagnostics) => Checked::Invalid(diagnostics),
        Ok(project) => assess(project, set, options),
    };
    CheckedFile { path: name, result }
}

/// Assesses a loaded project; a project no pack applies to, or with a waiver whose reason is
/// blank, is invalid input.
pub fn assess(mut project: Project, set: &RuleSet, options: &CheckOptions) -> Checked {
    if let Some(day) = options.engine.as_of {
        crate::engine::undone::forget_undone(&mut project, day.date);
    }
    if let Some(refused) =
        crate::engine::waivers::refused_inline(&project, options.engine.inline_waivers)
    {
        let mut diagnostics = vec![refused];
        diagnostics.extend(project.warnings);
        return Checked::Invalid(diagnostics);
    }
    let refused = crate::engine::waivers::refused_in_project(&project);
    if !refused.is_empty() {
        let mut diagnostics = refused;
        diagnostics.extend(project.warnings);
        return Checked::Invalid(diagnostics);
    }
    let (external, withheld) = options.sharing.for_file(
        &options.waivers,
        &project.file.name,
        project.text(&["project", "id"]),
    );
    match engine::assess(
        set,
        &project,
        options.jurisdiction.as_ref(),
        options.engine,
        &external,
    ) {
        Ok(mut assessment) => {
            if let Some(withheld) = withheld {
                add_finding(set, &mut assessment, withheld.finding());
            }
            Checked::Assessed {
                project: Box::new(project),
                assessment,
            }
        }
        Err(error) => {
            let path = YamlPath::root().key("project").key("jurisdiction");
            let location = project.tree.locate(&path);
            let available: Vec<String> = set
                .packs
                .iter()
                .map(|pack| format!("`{}` ({})", pack.jurisdiction, pack.id))
                .collect();
            let available = available.join(", ");
            let diagnostic = match error {
                SelectError::NoJurisdiction => {
                    // The key written but left empty (as `yimi init` writes it) is filled in,
                    // not added.
                    let (label, help) = if location.exact {
                        (
                            tr!("`jurisdiction` 是空的", "`jurisdiction` is empty"),
                            tr!(
                                "在 `jurisdiction:` 后填写 `CN/SH/Pudong` 之类的路径",
                                "fill in `jurisdiction:` with a path such as `CN/SH/Pudong`"
                            ),
                        )
                    } else {
                        (
                            tr!("这里缺少 `jurisdiction`", "`jurisdiction` is missing here"),
                            tr!(
                                "在 `project:` 下添加 `jurisdiction: CN/SH/Pudong` 之类的路径",
                                "add a path such as `jurisdiction: CN/SH/Pudong` under `project:`"
                            ),
                        )
                    };
                    Diagnostic::error(
                        "project::no-jurisdiction",
                        &project.file,
                        location.span,
                        tr!(
                            "项目没有注明行政区划,无法选择规则包",
                            "the project states no jurisdiction, so no rule pack can be chosen"
                        ),
                        label,
                    )
                    .with_help(help)
                    .with_remedy(Remedy::NameJurisdiction)
                }
                SelectError::NoPack(jurisdiction) => Diagnostic::error(
                    "project::no-pack",
                    &project.file,
                    location.span,
                    tr!(
                        "没有适用于 `{jurisdiction}` 的规则包,未做任何检查",
                        "no rule pack applies to `{jurisdiction}`, so nothing was checked"
                    ),
                    tr!("没有规则包适用于这里", "no pack applies here"),
                )
                .with_help(tr!(
                    "已加载的规则包:{available}",
                    "loaded packs: {available}"
                ))
                .with_remedy(Remedy::LoadPack),
                SelectError::NoneInForce {
                    jurisdiction,
                    judged_at,
                    not_yet_issued,
                    drafts_off,
                } => {
                    let decision = YamlPath::root().key("project").key("decision_date");
                    let span = match judged_at {
                        Some(at) if at.basis == DateBasis::DecisionDate => {
                            project.tree.locate(&decision).span
                        }
                        _ => location.span,
                    };
                    let (date_zh, date_en) = match judged_at {
                        Some(at) => (
                            format!("{}({})", at.date, at.basis.label().zh),
                            format!("{} ({})", at.date, at.basis.label().en),
                        ),
                        None => ("未注明日期".to_owned(), "no date".to_owned()),
                    };
                    Diagnostic::error(
                        "project::no-pack-in-force",
                        &project.file,
                        span,
                        tr!(
                            "在 {date_zh},适用于 `{jurisdiction}` 的规则包都尚未印发或未启用,未做任何检查",
                            "on {date_en}, no rule pack for `{jurisdiction}` had been issued or is enabled, so nothing was checked"
                        ),
                        tr!("判断日期", "the date judged at"),
                    )
                    .with_help(none_in_force_help(not_yet_issued, drafts_off))
                }
            };
            let mut diagnostics = vec![diagnostic];
            diagnostics.extend(project.warnings);
            Checked::Invalid(diagnostics)
        }
    }
}

/// Adds a finding about the file to an assessment the engine gave, and grades the file again by
/// the engine's one rule ([`crate::engine::verdict::verdict`], over the results and every
/// finding as [`engine::assess`] grades them): an error fails the file, a warning turns a pass
/// into a pass with advice, and nothing is set by hand.
pub fn add_finding(
    set: &RuleSet,
    assessment: &mut Assessment,
    finding: crate::engine::FileFinding,
) {
    assessment.findings.push(finding);
    assessment.verdict = verdict_of(set, assessment);
}

/// The verdict of an assessment from its results, findings and load warnings, graded as
/// [`engine::assess`] grades them ([`crate::engine::assessment::grade`]).
pub fn verdict_of(set: &RuleSet, assessment: &Assessment) -> crate::engine::Verdict {
    crate::engine::assessment::grade(
        set,
        &assessment.results,
        &assessment.findings,
        assessment.load_warnings,
    )
}

/// Why no pack applied, in the order an author should act on it: drafts switched off first
/// (the decision date is then not at fault), then documents issued after the decision.
fn none_in_force_help(not_yet_issued: bool, drafts_off: bool) -> Text {
    let drafts = tr!(
        "征求意见稿已关闭(`drafts` 设置为 `off`),本地的征求意见稿未予适用;将 `drafts` 设置为 `advisory`(默认)或 `binding` 即可适用",
        "drafts are switched off (the `drafts` setting is `off`), so the draft for this place was not applied; set `drafts` to `advisory` (the default) or `binding` to apply it"
    );
    let issued = tr!(
        "项目在其依据文件印发之前决策,不受其约束;如决策日期有误请更正",
        "a project decided before a document was issued is not judged by it; correct the decision date if it is wrong"
    );
    match (drafts_off, not_yet_issued) {
        (true, true) => Text {
            zh: format!("{};{}", drafts.zh, issued.zh),
            en: format!("{}; {}", drafts.en, issued.en),
        },
        (true, false) => drafts,
        _ => tr!(
            "项目在其依据文件印发之前决策,不受其约束;如决策日期有误请更正;征求意见稿由 `drafts` 设置(`advisory` 或 `binding`)启用",
            "a project decided before a document was issued is not judged by it; correct the decision date if it is wrong; drafts are enabled by the `drafts` setting (`advisory` or `binding`)"
        ),
    }
}

// The finding is built here, not in `waivers`, which sits below the assessment it would name.
impl crate::engine::waivers::Withheld {
    /// The error at the file's `project.id`: counted as any error finding is, so that it fails
    /// the file (and, at `--fail-on error`, the run: exit 1) in every format.
    pub fn finding(&self) -> crate::engine::FileFinding {
        let shown = crate::base::i18n::code(&self.id);
        let waivers = self.waivers;
        let (waivers_en, were) = if waivers == 1 {
            ("waiver", "was")
        } else {
            ("waivers", "were")
        };
        let named: Vec<String> = self
            .others
            .iter()
            .take(crate::engine::waivers::MAX_NAMED_OTHERS)
            .map(|other| crate::base::i18n::code(other))
            .collect();
        let more = self.more;
        let others = self.others.len() + more;
        let (list_zh, list_en) = match more {
            0 => (named.join("、"), named.join(", ")),
            more => (
                format!("{} 等 {others} 个", named.join("、")),
                format!("{} and {more} more", named.join(", ")),
            ),
        };
        let message = if self.others.is_empty() {
            // The survey of the run did not see this file declare the id (it changed meanwhile).
            tr!(
                "本次检查开始时,这个文件并未声明项目编号 {shown}(文件在检查过程中被改动):豁免文件中指向这个编号的 {waivers} 条豁免未予适用",
                "this file did not declare the project id {shown} when the run began (it changed while being checked): the waivers file's {waivers} {waivers_en} for that id {were} not applied"
            )
        } else {
            let files = others + 1;
            tr!(
                "本次检查中共有 {files} 个文件声明了项目编号 {shown}(另有 {list_zh}):豁免文件中指向这个编号的 {waivers} 条豁免对其中任何一个文件都未予适用",
                "{files} files of this run declare the project id {shown} (also {list_en}): the waivers file's {waivers} {waivers_en} for that id {were} applied to none of them"
            )
        };
        crate::engine::FileFinding {
            code: "waiver::shared-project-id",
            level: crate::engine::Level::Error,
            message,
            path: YamlPath::root().key("project").key("id"),
            label: tr!(
                "与其他文件相同的项目编号",
                "the same project id as other files"
            ),
            help: Some(tr!(
                "豁免文件的 `project:` 只认文件自己声明的编号:请在每条豁免中用 `file:` 写明它所批准的文件(如 `file: projects/legacy.yaml`),或给每个项目各自的编号",
                "a waivers file's `project:` trusts the id a file declares: pin each waiver to the file it was approved for with `file:` (e.g. `file: projects/legacy.yaml`), or give each project its own id"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{CheckOptions, Checked, add_finding, check_file, verdict_of};
    use crate::base::i18n::Text;
    use crate::engine::{FileFinding, Level, Verdict};
    use crate::project::yaml::YamlPath;

    fn finding(level: Level) -> FileFinding {
        FileFinding {
            code: "test::finding",
            level,
            message: Text::same("m"),
            path: YamlPath::root().key("project").key("id"),
            label: Text::same("l"),
            help: None,
        }
    }

    /// A finding added after the engine's assessment (`waiver::shared-project-id`) grades the
    /// file by the engine's own rule, not by a verdict set by hand: [`verdict_of`] gives every
    /// example's verdict as `engine::assess` gave it, a warning turns a pass into a pass with
    /// advice and leaves any other verdict, and an error fails the file.
    #[test]
    fn a_finding_added_to_an_assessment_grades_the_file_by_the_engine_s_rule() {
        let set = crate::rules::compiled::builtin_set().unwrap_or_default();
        let options = CheckOptions::default();
        let mut examples: Vec<_> =
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/examples"))
                .unwrap_or_else(|error| panic!("{error}"))
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                .collect();
        examples.sort();
        let mut verdicts = std::collections::BTreeSet::new();
        for path in &examples {
            let Checked::Assessed { assessment, .. } = check_file(path, &set, &options).result
            else {
                continue;
            };
            let given = assessment.verdict;
            verdicts.insert(given);
            assert_eq!(verdict_of(&set, &assessment), given, "{}", path.display());
            let mut warned = assessment;
            add_finding(&set, &mut warned, finding(Level::Warning));
            let expected = if given == Verdict::Pass {
                Verdict::PassWithAdvice
            } else {
                given
            };
            assert_eq!(warned.verdict, expected, "{}", path.display());
            add_finding(&set, &mut warned, finding(Level::Error));
            assert_eq!(warned.verdict, Verdict::Fail, "{}", path.display());
        }
        // The examples reach more than one verdict, so the rule is tried on each.
        assert!(verdicts.len() >= 3, "{verdicts:?}");
    }

    /// [`verdict_of`] grades with the warnings of a file's loading, as `engine::assess` does: a
    /// passing file with an unknown key is a pass with advice by both (a second copy of the
    /// grading had forgotten them and called it a pass), and stays one when an advice is added.
    #[test]
    fn a_finding_added_keeps_the_weight_of_the_load_warnings() {
        let set = crate::rules::compiled::builtin_set().unwrap_or_default();
        let text = "yimi: 1\nproject: {id: P, name: 医保, kind: policy, jurisdiction: CN/JL, concerns_children: false, major: false, decision_date: 2026-05-01, polulation: 1}\n";
        let project = crate::project::load_bytes(
            "unknown-key.yaml",
            text.as_bytes(),
            crate::project::LoadLimits::default(),
        )
        .unwrap_or_else(|errors| panic!("{errors:?}"));
        assert_eq!(project.warnings.len(), 1, "{:?}", project.warnings);
        let Checked::Assessed { mut assessment, .. } =
            super::assess(project, &set, &CheckOptions::default())
        else {
            panic!("not assessed");
        };
        assert_eq!(assessment.load_warnings, 1);
        assert_eq!(assessment.verdict, Verdict::PassWithAdvice);
        assert_eq!(verdict_of(&set, &assessment), Verdict::PassWithAdvice);
        add_finding(&set, &mut assessment, finding(Level::Advice));
        assert_eq!(assessment.verdict, Verdict::PassWithAdvice);
    }
}
