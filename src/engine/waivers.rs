//! Waivers: approved exceptions to rules, stated in a project file (`waivers:`) or kept in a
//! separate waivers file (`yimi check --waivers FILE`). A waiver names a rule, or a source and
//! clause (covering every rule that cites it); it may be limited to a project id and to findings
//! under a YAML path. It must say why (a waiver without a reason, or with a blank one, is refused);
//! an expired waiver does not apply, and a note says so beside the finding it no longer covers.

use std::path::Path;
use std::sync::Arc;

use crate::base::diagnostic::Diagnostic;
use crate::base::i18n::Text;
use crate::project::date::Date;
use crate::project::types::{RecordTy, Ty, project_type, waivers_type};
use crate::project::yaml::YamlPath;
use crate::project::{self, Data, LoadLimits, Project};
use crate::rules::ir::{Rule, RuleSet};
use crate::tr;

/// What a project file's own waivers (`waivers:` inside it) do (`yimi check --inline-waivers`).
/// Where the submitter is not the authority that grants exceptions (a CI gate on a repository of
/// submissions, an office checking what it is sent), a file that waives its own findings would
/// weaken the check it is put to: there waivers come only from `--waivers FILE`, kept by the
/// authority.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum InlineWaivers {
    /// They apply, as waivers from `--waivers` do (the default).
    #[default]
    Apply,
    /// They waive nothing; each file that has some is told so once (advice at `waivers`).
    Ignore,
    /// A file that has any is invalid input (exit 2), with one message at `waivers`.
    Refuse,
}

/// The number of waivers a project file states in its `waivers:` list.
fn stated_in_project(project: &Project) -> usize {
    match project.get(&["waivers"]) {
        Some(Data::List(items)) => items.len(),
        _ => 0,
    }
}

/// Under `--inline-waivers refuse`, the error for a project file that states waivers of its own:
/// one, located at its `waivers` key.
pub fn refused_inline(project: &Project, mode: InlineWaivers) -> Option<Diagnostic> {
    let count = stated_in_project(project);
    if mode != InlineWaivers::Refuse || count == 0 {
        return None;
    }
    let waivers_en = if count == 1 { "waiver" } else { "waivers" };
    let span = project.tree.locate(&YamlPath::root().key("waivers")).span;
    Some(
        Diagnostic::error(
            "waiver::inline-refused",
            &project.file,
            span,
            tr!(
                "项目文件自带 {count} 条豁免,而本次检查设定为不接受项目文件中的豁免",
                "the project file states {count} {waivers_en} of its own, which this check is set to refuse"
            ),
            tr!("项目文件中的豁免", "waivers in the project file"),
        )
        .with_help(tr!(
            "删除 `waivers:`;豁免由审查机关在其单独保管的豁免文件中给出",
            "remove `waivers:`: exceptions are granted by the reviewing authority, in a waivers file it keeps"
        )),
    )
}

/// Under `--inline-waivers ignore`, the note for a project file that states waivers of its own:
/// they were set aside, so the findings they name count.
pub fn ignored_inline(project: &Project, mode: InlineWaivers) -> Option<IgnoredInline> {
    let count = stated_in_project(project);
    (mode == InlineWaivers::Ignore && count > 0).then_some(IgnoredInline { count })
}

/// A project file's own waivers, set aside by `--inline-waivers ignore`.
#[derive(Clone, Copy, Debug)]
pub struct IgnoredInline {
    /// How many the file states.
    pub count: usize,
}

impl IgnoredInline {
    /// What the report says at the file's `waivers` key.
    pub fn message(self) -> Text {
        let count = self.count;
        let (waivers_en, were) = if count == 1 {
            ("waiver", "was")
        } else {
            ("waivers", "were")
        };
        tr!(
            "项目文件自带的 {count} 条豁免未予适用:本次检查设定为只采用审查机关的豁免文件,所涉发现照常计入",
            "the project file's {count} {waivers_en} of its own {were} not applied: this check is set to take waivers only from the reviewing authority's waivers file, so the findings named count"
        )
    }
}

/// Where a waiver is written.
#[derive(Clone, Debug)]
pub enum Origin {
    /// In the project file, at this path.
    Project(YamlPath),
    /// In a waivers file, at this line.
    File {
        /// The waivers file as given.
        name: String,
        /// 1-based line of the entry.
        line: usize,
        /// Where its `file:` value is, when it has one: the waivers file read and the byte
        /// span, for a warning at the pin without reading the file again.
        pin: Option<(
            Arc<crate::base::diagnostic::SourceFile>,
            std::ops::Range<usize>,
        )>,
    },
}

/// A waiver as stated.
#[derive(Clone, Debug)]
pub struct StatedWaiver {
    /// Where it is written.
    pub origin: Origin,
    /// The rule waived.
    pub rule: Option<String>,
    /// The source of the clause waived.
    pub source: Option<String>,
    /// The clause waived.
    pub clause: Option<String>,
    /// Only findings at or under this YAML path.
    pub scope: Option<String>,
    /// Only this project id.
    pub project: Option<String>,
    /// Only this file (a waivers file's `file:`), as written: see [`Sharing`].
    pub file: Option<String>,
    /// Why.
    pub reason: String,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// When it was approved.
    pub approved_on: Option<Date>,
    /// When it expires.
    pub expires: Option<Date>,
    /// Whether it has no [`StatedWaiver::defect`], worked out once: a waivers file's waivers are
    /// shared by every project file and tried by its rules (hostile review 9 R11: 25 000 waivers
    /// on 300 files), and the first file to ask keeps the answer for the others.
    usable: std::sync::OnceLock<bool>,
}

impl StatedWaiver {
    /// Whether the waiver can be used at all (it has no [`StatedWaiver::defect`]).
    pub fn is_usable(&self) -> bool {
        *self.usable.get_or_init(|| self.defect().is_none())
    }

    /// What the waiver names, for messages: `SH-068a` or `shanghai-2023 §68`.
    pub fn target(&self) -> String {
        match (&self.rule, &self.source, &self.clause) {
            (Some(rule), _, _) => rule.clone(),
            (None, Some(source), Some(clause)) => format!("{source} §{clause}"),
            _ => "?".into(),
        }
    }

    /// Whether the waiver could cover `rule`'s finding in the project `project_id` at some paths
    /// only: it names the rule and has a scope. A finding's paths past those it keeps are tested
    /// against such waivers before they are dropped, so that the scope sees every path.
    pub fn scoped_for(&self, rule: &Rule, project_id: Option<&str>) -> bool {
        self.scope.is_some() && self.names(rule, project_id)
    }

    /// Whether the waiver names `rule` in the project `project_id` and is usable, whatever its
    /// scope.
    fn names(&self, rule: &Rule, project_id: Option<&str>) -> bool {
        let names_rule = match (&self.rule, &self.source, &self.clause) {
            (Some(id), _, _) => *id == rule.id,
            (None, Some(source), Some(clause)) => {
                *source == rule.cite.source && clause_matches(clause, &rule.cite.clause)
            }
            _ => false,
        };
        let right_project = self
            .project
            .as_deref()
            .is_none_or(|id| Some(id) == project_id);
        names_rule && right_project && self.is_usable()
    }

    /// Whether the waiver covers `rule`'s finding at `paths` in the project `project_id`.
    pub fn covers(&self, rule: &Rule, project_id: Option<&str>, paths: &[YamlPath]) -> bool {
        let in_scope = self
            .scope
            .as_deref()
            .is_none_or(|scope| paths.iter().any(|path| under(&path.to_string(), scope)));
        in_scope && self.names(rule, project_id)
    }

    /// What makes a waiver that names something unusable: a reason that is blank, or a scope
    /// that is not a YAML path (it would match nothing, silently). Such a waiver never applies.
    pub fn defect(&self) -> Option<Defect> {
        if says_nothing(&self.reason) {
            return Some(Defect {
                code: "waiver::no-reason",
                key: "reason",
                message: tr!("豁免的理由是空白", "the waiver's reason is blank"),
                label: tr!("空白理由", "blank reason"),
                help: tr!(
                    "写明为什么豁免、依据什么,例如 `reason: 场地改为邻近街区统一设置,见批复 2026-12 号`",
                    "say why the rule is waived and on what authority, e.g. `reason: provided by the neighbouring block, see approval 2026-12`"
                ),
            });
        }
        let length = self.reason.chars().count();
        if length > MAX_REASON_CHARS {
            return Some(Defect {
                code: "waiver::reason-too-long",
                key: "reason",
                message: tr!(
                    "豁免的理由有 {length} 个字符,超过上限 {MAX_REASON_CHARS} 个",
                    "the waiver's reason is {length} characters long, more than {MAX_REASON_CHARS}"
                ),
                label: tr!("理由过长", "reason too long"),
                help: tr!(
                    "用几句话写明理由,详细论证写在批复文件中并引用其文号",
                    "say why in a few sentences, and cite the approval that holds the full argument by its number"
                ),
            });
        }
        if let Some(approver) = &self.approved_by {
            let length = approver.chars().count();
            if length > MAX_APPROVER_CHARS {
                return Some(Defect {
                    code: "waiver::approver-too-long",
                    key: "approved_by",
                    message: tr!(
                        "豁免的批准机关有 {length} 个字符,超过上限 {MAX_APPROVER_CHARS} 个",
                        "the waiver's `approved_by` is {length} characters long, more than {MAX_APPROVER_CHARS}"
                    ),
                    label: tr!("批准机关过长", "approver too long"),
                    help: tr!(
                        "只写批准机关的名称,例如 `approved_by: 长春市卫生健康委员会`",
                        "name the approving body only, e.g. `approved_by: Changchun Health Commission`"
                    ),
                });
            }
        }
        if let Some(scope) = &self.scope
            && !is_yaml_path(scope)
        {
            return Some(Defect {
                code: "waiver::bad-scope",
                key: "scope",
                message: tr!(
                    "豁免范围 `{scope}` 不是 YAML 路径",
                    "the waiver's scope `{scope}` is not a YAML path"
                ),
                label: tr!("不是路径", "not a path"),
                help: tr!(
                    "写成 `facilities` 或 `facilities[1].places` 这样的路径",
                    "write a path such as `facilities` or `facilities[1].places`"
                ),
            });
        }
        None
    }

    /// What a usable waiver says that may not be what its author meant, for a warning at its
    /// key: a `scope` naming a key the project model does not have (`$.facilities`,
    /// `Facilities`) covers no finding. Both readers (a waivers file, a project file's
    /// `waivers:`) warn with these, so that the two say the same of the same waiver.
    pub fn warnings(&self) -> Vec<Defect> {
        let Some(scope) = &self.scope else {
            return Vec::new();
        };
        let Some((key, suggestion)) = unknown_in_model(scope) else {
            return Vec::new();
        };
        let help = match suggestion {
            Some(found) => tr!("是否想写 `{found}`?", "did you mean `{found}`?"),
            None => tr!(
                "范围写成项目文件中的路径,如 `facilities[1].places`",
                "write the scope as a path in the project file, such as `facilities[1].places`"
            ),
        };
        vec![Defect {
            code: "waiver::scope-unknown",
            key: "scope",
            message: tr!(
                "豁免范围 `{scope}` 中的 `{key}` 不是项目文件的键:这条豁免不会覆盖任何发现",
                "`{key}` in the waiver's scope `{scope}` is not a key of the project file: the waiver covers no finding"
            ),
            label: tr!("未知的键", "unknown key"),
            help,
        }]
    }

    /// Whether it names a rule, or a clause by source and number, so that it can apply at all.
    pub fn names_something(&self) -> bool {
        self.rule.is_some() || (self.source.is_some() && self.clause.is_some())
    }
}

/// Why a waiver cannot be used (see [`StatedWaiver::defect`]), or what it says that may not be
/// meant (see [`StatedWaiver::warnings`]), and where: the key of the waiver at fault.
#[derive(Clone, Debug)]
pub struct Defect {
    /// A stable code, e.g. `waiver::no-reason`.
    pub code: &'static str,
    /// The waiver's key at fault.
    pub key: &'static str,
    /// What is wrong.
    pub message: Text,
    /// What to say at the place.
    pub label: Text,
    /// How to fix it.
    pub help: Text,
}

/// Whether `text` is a path such as `facilities[1].places`: keys separated by dots, each
/// followed by any number of list indices.
fn is_yaml_path(text: &str) -> bool {
    let is_key_char =
        |c: char| !c.is_whitespace() && !c.is_control() && !matches!(c, '.' | '[' | ']');
    text.split('.').all(|step| {
        let key_len = step.find(|c| !is_key_char(c)).unwrap_or(step.len());
        let (key, mut indices) = step.split_at(key_len);
        if key.is_empty() {
            return false;
        }
        while !indices.is_empty() {
            let Some(rest) = indices.strip_prefix('[') else {
                return false;
            };
            let Some((digits, rest)) = rest.split_once(']') else {
                return false;
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            indices = rest;
        }
        true
    })
}

/// The first key of `scope` (a YAML path, see [`is_yaml_path`]) that the project model does not
/// have where the path puts it, with the model's closest key there: a finding never points at a
/// key the model lacks, so such a scope matches nothing (`$.facilities`, `Facilities`).
fn unknown_in_model(scope: &str) -> Option<(String, Option<String>)> {
    use crate::project::types::{Ty, project_type};
    let mut ty = Ty::Record(std::sync::Arc::clone(project_type()));
    for step in scope.split('.') {
        let (key, indices) = step.split_once('[').unwrap_or((step, ""));
        let Ty::Record(record) = &ty else {
            return Some((key.to_owned(), None));
        };
        let Some((_, field)) = record.field(key) else {
            let suggestion = crate::base::suggest::did_you_mean(key, record.names());
            return Some((key.to_owned(), suggestion.map(str::to_owned)));
        };
        let mut next = field.ty.clone();
        for _ in 0..indices.matches(']').count() {
            let Ty::List(inner) = next else {
                return Some((step.to_owned(), None));
            };
            next = *inner;
        }
        ty = next;
    }
    None
}

/// `16`, `(16)` and `§16` name the same item.
fn clause_matches(written: &str, canonical: &str) -> bool {
    let written = written
        .trim_start_matches('§')
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）']);
    written == canonical
}

/// The first of `waivers` that covers `rule`'s finding at `paths` in the project `project_id`,
/// as [`StatedWaiver::covers`] on each in turn finds it. Scopes are looked up by each path's
/// prefixes rather than each waiver tried on each path: thousands of scoped waivers on a
/// finding at thousands of paths took time in their product (#12 D1).
pub fn first_covering<'w>(
    waivers: &[&'w StatedWaiver],
    rule: &Rule,
    project_id: Option<&str>,
    paths: &[YamlPath],
) -> Option<&'w StatedWaiver> {
    let mut first_unscoped = None;
    let mut scopes = Scopes::default();
    for (at, waiver) in waivers.iter().enumerate() {
        if !waiver.names(rule, project_id) {
            continue;
        }
        match &waiver.scope {
            Some(scope) => scopes.add(scope, at),
            None => {
                // Every later waiver comes after this one.
                first_unscoped = Some(at);
                break;
            }
        }
    }
    let scoped = paths
        .iter()
        .filter_map(|path| scopes.first_over(&path.to_string()))
        .min();
    let first = match (first_unscoped, scoped) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b)?,
    };
    waivers.get(first).copied()
}

/// Where the usable waivers of one project file are, by the rule id they name and by the source
/// whose clause they name: each rule looks up its few candidates instead of trying every waiver
/// (hostile review 9 R11: 25 000 waivers tried by every rule of 300 files took 62 s of CPU).
#[derive(Debug, Default)]
pub struct WaiverIndex {
    by_rule: std::collections::HashMap<String, Vec<usize>>,
    by_source: std::collections::HashMap<String, Vec<usize>>,
}

impl WaiverIndex {
    /// The index of `waivers` for the project `project_id`: a waiver for another project, or one
    /// that cannot be used (see [`StatedWaiver::defect`]), is in no list.
    pub fn new<'w>(
        waivers: impl IntoIterator<Item = &'w StatedWaiver>,
        project_id: Option<&str>,
    ) -> Self {
        let mut index = WaiverIndex::default();
        for (at, waiver) in waivers.into_iter().enumerate() {
            let for_project = waiver
                .project
                .as_deref()
                .is_none_or(|id| Some(id) == project_id);
            if !for_project || !waiver.is_usable() {
                continue;
            }
            match (&waiver.rule, &waiver.source, &waiver.clause) {
                (Some(id), _, _) => index.by_rule.entry(id.clone()).or_default().push(at),
                (None, Some(source), Some(_)) => {
                    index.by_source.entry(source.clone()).or_default().push(at)
                }
                _ => {}
            }
        }
        index
    }

    /// The waivers of `first` then `then` (those the index was made from, in that order) that
    /// may name `rule`, in their order: a superset of those [`StatedWaiver::names`] accepts.
    pub fn candidates<'w>(
        &self,
        first: &'w [StatedWaiver],
        then: &'w [StatedWaiver],
        rule: &Rule,
    ) -> Vec<&'w StatedWaiver> {
        // Most files have no waiver: no rule's id or citation need be looked up (or decoded).
        if self.by_rule.is_empty() && self.by_source.is_empty() {
            return Vec::new();
        }
        let none = Vec::new();
        let by_rule = self.by_rule.get(&rule.id).unwrap_or(&none);
        let by_source = self.by_source.get(&rule.cite.source).unwrap_or(&none);
        let mut positions: Vec<usize> = by_rule.iter().chain(by_source).copied().collect();
        positions.sort_unstable();
        positions
            .into_iter()
            .filter_map(|at| match at.checked_sub(first.len()) {
                None => first.get(at),
                Some(at) => then.get(at),
            })
            .collect()
    }
}

/// Waivers' scopes, each with where the first waiver of that scope is, found from a path by its
/// prefixes that end at a step (`facilities[1].places` has `facilities` and `facilities[1]`):
/// as many lookups as the path has steps, however many scopes there are.
#[derive(Debug, Default)]
pub struct Scopes<'w> {
    first: std::collections::HashMap<&'w str, usize>,
}

impl<'w> Scopes<'w> {
    /// Adds a waiver's scope, and where the waiver is.
    pub fn add(&mut self, scope: &'w str, at: usize) {
        self.first.entry(scope).or_insert(at);
    }

    /// Where the first waiver is whose scope `path` is or lies under (see [`under`]).
    pub fn first_over(&self, path: &str) -> Option<usize> {
        if self.first.is_empty() {
            return None;
        }
        path.char_indices()
            .filter(|(_, c)| matches!(c, '.' | '['))
            .filter_map(|(end, _)| path.get(..end))
            .chain(std::iter::once(path))
            .filter_map(|prefix| self.first.get(prefix).copied())
            .min()
    }
}

/// Whether `path` is `scope` or lies under it (`facilities[1].places` is under `facilities`).
fn under(path: &str, scope: &str) -> bool {
    path.strip_prefix(scope)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

fn from_list(
    items: &[Data],
    record: &RecordTy,
    origin: impl Fn(usize) -> Origin,
) -> Vec<StatedWaiver> {
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let Data::Record(slots) = item else {
                return None;
            };
            let field = |name: &str| {
                record
                    .field(name)
                    .and_then(|(i, _)| slots.get(i))
                    .and_then(Option::as_ref)
            };
            let text = |name: &str| match field(name) {
                Some(Data::Text(text)) => Some(text.clone()),
                _ => None,
            };
            Some(StatedWaiver {
                origin: origin(index),
                rule: text("rule"),
                source: text("source"),
                clause: text("clause"),
                scope: text("scope"),
                project: text("project"),
                file: text("file"),
                reason: text("reason")?,
                approved_by: text("approved_by"),
                approved_on: match field("approved_on") {
                    Some(Data::Date(date)) => Some(*date),
                    _ => None,
                },
                expires: match field("expires") {
                    Some(Data::Date(date)) => Some(*date),
                    _ => None,
                },
                usable: std::sync::OnceLock::new(),
            })
        })
        .collect()
}

fn waiver_record(root: &RecordTy) -> Option<&RecordTy> {
    match &root.field("waivers")?.1.ty {
        Ty::List(item) => match item.as_ref() {
            Ty::Record(record) => Some(record),
            _ => None,
        },
        _ => None,
    }
}

/// The waivers a project file states.
pub fn in_project(project: &Project) -> Vec<StatedWaiver> {
    let (Some(Data::List(items)), Some(record)) =
        (project.get(&["waivers"]), waiver_record(project_type()))
    else {
        return Vec::new();
    };
    from_list(items, record, |index| {
        Origin::Project(YamlPath::root().key("waivers").index(index))
    })
}

/// The longest reason a waiver may give, in characters. A reason is shown beside every finding
/// it waives, in every format: a long one multiplied the output (hostile review 8 F8: one
/// reason of 2.6 million characters made 109–328 MB of output). An approval's full argument
/// belongs in the approval, cited by its number.
pub const MAX_REASON_CHARS: usize = 2_000;

/// The longest `approved_by` a waiver may give, in characters: like the reason, it is shown
/// beside every finding the waiver covers, in every file (hostile review 9 R1: an approver of
/// 2.6 million characters made 312 MB of plain output for ten files). The name of a body or an
/// office fits in far less.
pub const MAX_APPROVER_CHARS: usize = 200;

/// Whether a reason says nothing: it has no letter or digit of any script. Spaces of every kind,
/// control and formatting characters (zero-width spaces, joiners, byte-order marks), punctuation
/// alone (`-`) and the blank-looking fillers that Unicode counts as letters (Hangul fillers
/// U+115F, U+1160, U+3164, U+FFA0) do not make a reason (hostile review 8 F1), nor do
/// combining marks that Unicode counts as letters (U+0345, U+05B0, U+0E31: they take no
/// column of their own and show as nothing or a dot; hostile review 9 R5).
fn says_nothing(reason: &str) -> bool {
    use unicode_width::UnicodeWidthChar as _;
    const FILLERS: [char; 4] = ['\u{115f}', '\u{1160}', '\u{3164}', '\u{ffa0}'];
    !reason.chars().any(|c| {
        c.is_alphanumeric() && !FILLERS.contains(&c) && c.width().is_some_and(|width| width > 0)
    })
}

/// The waivers of a project file that are refused outright, as a waivers file refuses them and as
/// a missing `reason` is: one whose reason is blank (`""`, spaces) says no more than one without
/// a reason, and checking the file beside it would read as if an exception had been asked for.
/// Each is an error located at the reason (exit 2).
pub fn refused_in_project(project: &Project) -> Vec<Diagnostic> {
    in_project(project)
        .iter()
        .filter_map(|waiver| {
            let Origin::Project(path) = &waiver.origin else {
                return None;
            };
            // Texts shown beside every finding the waiver covers: refused as the waivers file
            // refuses them.
            let defect = waiver
                .defect()
                .filter(|defect| matches!(defect.key, "reason" | "approved_by"))?;
            Some(
                Diagnostic::error(
                    defect.code,
                    &project.file,
                    project.tree.locate(&path.key(defect.key)).span,
                    defect.message,
                    defect.label,
                )
                .with_help(defect.help),
            )
        })
        .collect()
}

/// Reads a waivers file, within the same limits as a project file. Errors (unreadable or too
/// large, bad YAML, wrong types, a waiver without a reason or naming nothing) fail the load;
/// waivers naming unknown rules or clauses are warnings.
pub fn load(
    path: &Path,
    set: &RuleSet,
    limits: LoadLimits,
) -> Result<(Vec<StatedWaiver>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let name = path.display().to_string();
    let bytes = crate::base::read::read_bounded(path, limits.max_bytes).map_err(|error| {
        vec![error.diagnostic(
            &name,
            &tr!("豁免文件", "the waivers file"),
            crate::base::read::TooLarge::RaiseLimit,
        )]
    })?;
    load_bytes(&name, &bytes, set, limits)
}

/// Reads a waivers file's `bytes`, named `name`, as [`load`] reads the file (the language
/// server reads the editor's text this way).
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    set: &RuleSet,
    limits: LoadLimits,
) -> Result<(Vec<StatedWaiver>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let name = name.to_owned();
    let document = project::load_document(&name, bytes, limits, waivers_type())?;
    let file = Arc::clone(&document.file);
    let items = waivers_type()
        .field("waivers")
        .and_then(|(index, _)| document.data.get(index))
        .and_then(Option::as_ref);
    let (Some(Data::List(items)), Some(record)) = (items, waiver_record(waivers_type())) else {
        return Ok((Vec::new(), document.warnings));
    };
    let span_of = |path: YamlPath| document.tree.locate(&path).span.clone();
    let line_of = |index: usize| {
        let span = span_of(YamlPath::root().key("waivers").index(index));
        (span.clone(), file.line_col(span.start).0)
    };
    let waivers = from_list(items, record, |index| Origin::File {
        name: name.clone(),
        line: line_of(index).1,
        pin: document
            .tree
            .at(&YamlPath::root().key("waivers").index(index).key("file"))
            .map(|node| (Arc::clone(&file), node.span.clone())),
    });
    let mut errors = Vec::new();
    let mut warnings = document.warnings;
    let mut suggester = crate::base::suggest::Suggester::new();
    for (index, waiver) in waivers.iter().enumerate() {
        let (span, _) = line_of(index);
        if !waiver.names_something() {
            errors.push(
                Diagnostic::error(
                    "waiver::no-rule",
                    &file,
                    span.clone(),
                    tr!("豁免没有指明规则", "the waiver names no rule"),
                    tr!("这条豁免", "this waiver"),
                )
                .with_help(tr!(
                    "写 `rule: SH-068a`,或同时写 `source` 和 `clause`",
                    "write `rule: SH-068a`, or both `source` and `clause`"
                )),
            );
            continue;
        }
        if let Some(defect) = waiver.defect() {
            errors.push(
                Diagnostic::error(
                    defect.code,
                    &file,
                    span_of(YamlPath::root().key("waivers").index(index).key(defect.key)),
                    defect.message,
                    defect.label,
                )
                .with_help(defect.help),
            );
            continue;
        }
        for warning in waiver.warnings() {
            warnings.push(
                Diagnostic::warning(
                    warning.code,
                    &file,
                    span_of(
                        YamlPath::root()
                            .key("waivers")
                            .index(index)
                            .key(warning.key),
                    ),
                    warning.message,
                    warning.label,
                )
                .with_help(warning.help),
            );
        }
        if let Some(rule) = &waiver.rule
            && set.rule(rule).is_none()
        {
            // Past the suggester's cap the warnings name the list instead, so that a file of
            // tens of thousands of unknown ids stays linear and quick.
            let suggestion = suggester.did_you_mean(rule, set.rules.iter().map(|r| r.id.as_str()));
            let help = match suggestion {
                Some(found) => tr!("是否想写 `{found}`?", "did you mean `{found}`?"),
                None => tr!(
                    "规则编号见规则列表",
                    "the rule ids are in the list of rules"
                ),
            };
            warnings.push(
                Diagnostic::warning(
                    "waiver::unknown-rule",
                    &file,
                    span_of(YamlPath::root().key("waivers").index(index).key("rule")),
                    tr!(
                        "豁免指向未知的规则 `{rule}`",
                        "the waiver names an unknown rule `{rule}`"
                    ),
                    tr!("未知规则", "unknown rule"),
                )
                .with_help(help),
            );
        } else if waiver.rule.is_none()
            && !set
                .rules
                .iter()
                .any(|rule| waiver.covers(rule, waiver.project.as_deref(), &[]))
            && waiver.scope.is_none()
        {
            let target = waiver.target();
            warnings.push(Diagnostic::warning(
                "waiver::unknown-clause",
                &file,
                span_of(YamlPath::root().key("waivers").index(index).key("clause")),
                tr!(
                    "没有规则引用豁免的条款 `{target}`",
                    "no rule cites the waived clause `{target}`"
                ),
                tr!("未知条款", "unknown clause"),
            ));
        }
    }
    if errors.is_empty() {
        // Worked out here, once, so that the copies each project file gets keep the answer.
        for waiver in &waivers {
            waiver.is_usable();
        }
        Ok((waivers, warnings))
    } else {
        Err(errors)
    }
}

/// Which files of a run a waivers file's waivers may cover, beyond what each waiver names.
///
/// A waiver's `project:` trusts the id a file declares for itself: a pull request's new file that
/// declared a waived project's id borrowed its waivers (hostile review 9 R8), and the warning
/// given for it then was counted nowhere, so the gate still passed (hostile review 15 X1). So a
/// waiver that names a project and no `file:` applies only where exactly one file of the run
/// declares that id: when two or more do, it applies to none of them, and each gets an error at
/// its `project.id` ([`Withheld`]). A waiver with `file:` applies to that one file only
/// (resolved by the run, which knows how files are named, into [`Sharing::pinned`]), so a
/// shared id does not matter to it.
#[derive(Debug, Default)]
pub struct Sharing {
    /// The files of the run (shown paths) declaring each id that a waiver without `file:`
    /// names; `None` when the run was not surveyed, as it need not be when it checks one file.
    declared: Option<std::collections::HashMap<String, Vec<String>>>,
    /// For each file of the run (shown path), the waivers whose `file:` names it, by index.
    pinned: std::collections::HashMap<String, Vec<usize>>,
}

/// A waivers file's waivers for a project id that were not applied to a file, because other
/// files of the run declare the id too: an error at the file's `project.id`.
#[derive(Debug, Clone)]
pub struct Withheld {
    /// The id.
    pub id: String,
    /// The first of the other files declaring it, in report order (shown paths), at most
    /// [`MAX_NAMED_OTHERS`].
    pub others: Vec<String>,
    /// How many more other files declare it.
    pub more: usize,
    /// How many waivers were not applied.
    pub waivers: usize,
}

impl Sharing {
    /// The ids named by waivers of a waivers file without `file:`: those whose declaring files a
    /// run must count before it applies them.
    pub fn trusted_ids(waivers: &[StatedWaiver]) -> std::collections::HashSet<String> {
        waivers
            .iter()
            .filter(|waiver| matches!(waiver.origin, Origin::File { .. }) && waiver.file.is_none())
            .filter_map(|waiver| waiver.project.clone())
            .collect()
    }

    /// What a run found: the files declaring each of the [`Sharing::trusted_ids`] (`None`: not
    /// surveyed, the run checks one file), and the waivers each file is named by in `file:`.
    pub fn new(
        declared: Option<std::collections::HashMap<String, Vec<String>>>,
        pinned: std::collections::HashMap<String, Vec<usize>>,
    ) -> Sharing {
        Sharing { declared, pinned }
    }

    /// Whether the waiver at `index` names in its `file:` some file of the run.
    pub fn pins_a_file(&self, index: usize) -> bool {
        self.pinned.values().any(|pinned| pinned.contains(&index))
    }

    /// The waivers of `waivers` (a waivers file's, as given to the run) that may cover findings
    /// of the file shown as `file`, declaring `project_id`; and what was withheld from it because
    /// its id is shared. Borrowed when nothing is taken out, as for most files.
    pub fn for_file<'w>(
        &self,
        waivers: &'w [StatedWaiver],
        file: &str,
        project_id: Option<&str>,
    ) -> (std::borrow::Cow<'w, [StatedWaiver]>, Option<Withheld>) {
        let pinned_here = self.pinned.get(file).map_or(&[][..], Vec::as_slice);
        // The files of the run that declare this file's id, when a waiver without `file:` names
        // it (sorted, as the survey leaves them).
        let declaring = match (&self.declared, project_id) {
            (Some(declared), Some(id)) => declared.get(id).map(Vec::as_slice),
            _ => None,
        };
        // A file whose id is trusted but which the survey did not see declare it (it changed
        // between the survey and its check) is not known to be the only one: fail closed.
        let seen = declaring.is_none_or(|files| {
            files
                .binary_search_by(|other| other.as_str().cmp(file))
                .is_ok()
        });
        let others = declaring.map_or(0, |files| files.len() - usize::from(seen));
        let shared = others > 0 || !seen;
        let keep = |at: usize, waiver: &StatedWaiver| match &waiver.file {
            Some(_) => pinned_here.binary_search(&at).is_ok(),
            None => {
                !(shared
                    && waiver.project.is_some()
                    && waiver.project.as_deref() == project_id
                    && matches!(waiver.origin, Origin::File { .. }))
            }
        };
        let dropped = waivers
            .iter()
            .enumerate()
            .filter(|(at, waiver)| !keep(*at, waiver))
            .count();
        let withheld = waivers
            .iter()
            .enumerate()
            .filter(|(at, waiver)| waiver.file.is_none() && !keep(*at, waiver))
            .count();
        // Only the first few others are named: a run of thousands of files sharing an id would
        // otherwise name every one in each file's error.
        let withheld = (withheld > 0).then(|| Withheld {
            id: project_id.unwrap_or_default().to_owned(),
            others: declaring
                .unwrap_or_default()
                .iter()
                .filter(|other| *other != file)
                .take(MAX_NAMED_OTHERS)
                .cloned()
                .collect(),
            more: others.saturating_sub(MAX_NAMED_OTHERS),
            waivers: withheld,
        });
        if dropped == 0 {
            return (std::borrow::Cow::Borrowed(waivers), withheld);
        }
        let kept = waivers
            .iter()
            .enumerate()
            .filter(|(at, waiver)| keep(*at, waiver))
            .map(|(_, waiver)| waiver.clone())
            .collect();
        (std::borrow::Cow::Owned(kept), withheld)
    }
}

/// The most other files a [`Withheld`] error names; the rest are counted.
pub const MAX_NAMED_OTHERS: usize = 3;

#[cfg(test)]
mod tests {
    use super::{MAX_REASON_CHARS, Scopes, clause_matches, is_yaml_path, says_nothing, under};
    use crate::base::suggest::MAX_SUGGESTIONS;

    /// Scopes looked up by a path's prefixes find the first waiver that [`under`] would, for paths
    /// and scopes that share prefixes but not at a step (`facilities[1]` is not under `facilities[10]`).
    #[test]
    fn scopes_are_found_by_prefix_as_under_finds_them() {
        let scopes_written = [
            "facilities[10]",
            "facilities[1]",
            "facilities",
            "facilities[1].places",
            "population",
            "pop",
        ];
        let mut scopes = Scopes::default();
        for (at, scope) in scopes_written.iter().enumerate() {
            scopes.add(scope, at);
        }
        for path in [
            "facilities[1].places",
            "facilities[10].places",
            "facilities[100]",
            "facilities",
            "facilitiesx",
            "population.residents",
            "popular",
            "site.area_m2",
            "",
        ] {
            let expected = scopes_written.iter().position(|scope| under(path, scope));
            assert_eq!(scopes.first_over(path), expected, "{path}");
        }
    }

    /// Hostile review 8 F1: reasons that look blank or say nothing are no reasons.
    #[test]
    fn a_reason_without_a_letter_or_digit_says_nothing() {
        for blank in [
            "",
            "  ",
            "\t\n",
            "\u{3000}",
            "\u{a0}",
            "\u{3164}",
            "\u{2800}",
            "\u{115f}",
            "\u{1160}",
            "\u{ffa0}",
            "\u{180e}",
            "\u{200b}",
            "\u{feff}",
            "\u{2060}",
            "\u{7f}",
            "-",
            "……",
            "\u{200d}\u{fe0f}",
            "\u{345}\u{345}\u{345}",
            "\u{5b0}\u{5b0}",
            "\u{e31}",
            "\u{f71}",
            " \u{301}",
        ] {
            assert!(says_nothing(blank), "{blank:?}");
        }
        for reason in [
            "场地改为邻近街区统一设置",
            "see approval 12",
            "7",
            "见批复\u{200b}",
            "ก\u{e31}",
            "é",
        ] {
            assert!(!says_nothing(reason), "{reason:?}");
        }
        const { assert!(MAX_REASON_CHARS >= 1_000, "room for a paragraph") };
    }

    /// "Did you mean" compares an unknown rule id with every rule's id: only the first
    /// [`MAX_SUGGESTIONS`] unknown ids of a file get one (hostile review 8 F12: 38 000 took 4.7 s);
    /// the rest are still warned about, naming the list of rules.
    #[test]
    fn only_the_first_hundred_unknown_rules_get_a_did_you_mean() {
        let set = crate::rules::compiled::builtin_set().unwrap_or_default();
        let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let path = dir.path().join("w.yaml");
        let mut text = String::from("yimi: 1\nwaivers:\n");
        for i in 0..=MAX_SUGGESTIONS {
            text.push_str(&format!("  - {{rule: JL-005z, reason: r{i}}}\n"));
        }
        std::fs::write(&path, text).unwrap_or_else(|error| panic!("{error}"));
        let (_, warnings) = super::load(&path, &set, crate::project::LoadLimits::default())
            .unwrap_or_else(|errors| panic!("{errors:?}"));
        let helps: Vec<String> = warnings
            .iter()
            .filter(|warning| warning.code == "waiver::unknown-rule")
            .map(|warning| {
                warning
                    .help
                    .as_ref()
                    .map(|help| help.en.clone())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(helps.len(), MAX_SUGGESTIONS + 1);
        let (first, rest) = helps.split_at(MAX_SUGGESTIONS);
        assert!(
            first.iter().all(|help| help == "did you mean `JL-005a`?"),
            "{first:?}"
        );
        assert_eq!(rest, ["the rule ids are in the list of rules"]);
    }

    /// A rule's candidates are the usable waivers of its project that name it by id or name a
    /// clause of its source, in the order written: `first_covering` over them finds what it
    /// finds over every waiver (hostile review 9 R11).
    #[test]
    fn a_rule_s_candidate_waivers_are_those_that_may_name_it_in_order() {
        let set = crate::rules::compiled::builtin_set().unwrap_or_default();
        let rule = set
            .rule("SH-068a")
            .unwrap_or_else(|| panic!("SH-068a is built in"));
        let waiver =
            |rule: Option<&str>, clause: Option<&str>, project: Option<&str>, reason: &str| {
                let mut waiver = stated(rule, project, None, reason);
                waiver.source = clause.map(|_| "shanghai-2023".to_owned());
                waiver.clause = clause.map(str::to_owned);
                waiver
            };
        let waivers = [
            waiver(Some("SH-068a"), None, Some("OTHER"), "r0"),
            waiver(None, Some("68"), None, "r1"),
            waiver(Some("SH-058b"), None, None, "r2"),
            waiver(Some("SH-068a"), None, None, " "),
            waiver(Some("SH-068a"), None, Some("P"), "r4"),
            waiver(None, Some("12"), None, "r5"),
        ];
        // A project's own waivers and a waivers file's, indexed as one list across the two.
        let (first, then) = waivers.split_at(2);
        let index = super::WaiverIndex::new(first.iter().chain(then), Some("P"));
        let reasons: Vec<&str> = index
            .candidates(first, then, rule)
            .iter()
            .map(|waiver| waiver.reason.as_str())
            .collect();
        // Not the other project's, not another rule's, not the blank reason's; the clause
        // waivers of the rule's source are candidates (`names` then matches the clause).
        assert_eq!(reasons, ["r1", "r4", "r5"]);
        let candidates = index.candidates(first, then, rule);
        let first = super::first_covering(&candidates, rule, Some("P"), &[]);
        assert_eq!(first.map(|waiver| waiver.reason.as_str()), Some("r1"));
    }

    /// Hostile review 15 X1: a waiver naming a project without `file:` covers the one file of the
    /// run declaring that id; none when two do, nor one the survey did not see declare it (it
    /// changed meanwhile); a waiver with `file:` covers the file it names only.
    #[test]
    fn a_shared_id_gets_no_unpinned_waiver_and_a_pinned_one_only_its_file() {
        let waiver = |project: Option<&str>, file: Option<&str>, reason: &str| {
            stated(Some("SH-068a"), project, file, reason)
        };
        let waivers = [
            waiver(Some("P"), None, "by id"),
            waiver(Some("P"), Some("old.yaml"), "pinned"),
            waiver(None, None, "everyone"),
            waiver(Some("Q"), None, "other id"),
        ];
        let files = |names: &[&str]| names.iter().map(|name| (*name).to_owned()).collect();
        let pinned = std::collections::HashMap::from([("old.yaml".to_owned(), vec![1])]);
        let reasons = |sharing: &super::Sharing, file: &str, id: Option<&str>| {
            let (kept, withheld) = sharing.for_file(&waivers, file, id);
            let kept: Vec<String> = kept.iter().map(|waiver| waiver.reason.clone()).collect();
            (
                kept,
                withheld.map(|withheld| (withheld.others, withheld.more, withheld.waivers)),
            )
        };
        let alone = super::Sharing::new(
            Some(std::collections::HashMap::from([
                ("P".to_owned(), files(&["old.yaml"])),
                ("Q".to_owned(), files(&[])),
            ])),
            pinned.clone(),
        );
        assert_eq!(
            reasons(&alone, "old.yaml", Some("P")),
            (
                vec![
                    "by id".into(),
                    "pinned".into(),
                    "everyone".into(),
                    "other id".into()
                ],
                None
            )
        );
        let shared = super::Sharing::new(
            Some(std::collections::HashMap::from([
                ("P".to_owned(), files(&["new.yaml", "old.yaml"])),
                ("Q".to_owned(), files(&[])),
            ])),
            pinned,
        );
        assert_eq!(
            reasons(&shared, "old.yaml", Some("P")),
            (
                vec!["pinned".into(), "everyone".into(), "other id".into()],
                Some((files(&["new.yaml"]), 0, 1))
            )
        );
        assert_eq!(
            reasons(&shared, "new.yaml", Some("P")),
            (
                vec!["everyone".into(), "other id".into()],
                Some((files(&["old.yaml"]), 0, 1))
            )
        );
        // Declaring Q now, unseen by the survey: not taken for the only one.
        assert_eq!(
            reasons(&shared, "new.yaml", Some("Q")),
            (
                vec!["by id".into(), "everyone".into()],
                Some((files(&[]), 0, 1))
            )
        );
        // Many files sharing the id: each error names the first three others and counts the rest.
        let names: Vec<String> = (0..10).map(|i| format!("f{i}.yaml")).collect();
        let many = super::Sharing::new(
            Some(std::collections::HashMap::from([("P".to_owned(), names)])),
            std::collections::HashMap::new(),
        );
        let (_, withheld) = many.for_file(&waivers, "f1.yaml", Some("P"));
        let withheld = withheld.unwrap_or_else(|| panic!("withheld"));
        assert_eq!(
            (withheld.others.clone(), withheld.more),
            (files(&["f0.yaml", "f2.yaml", "f3.yaml"]), 6)
        );
        assert_eq!(
            withheld.finding().message.en,
            "10 files of this run declare the project id `P` (also `f0.yaml`, `f2.yaml`, `f3.yaml` and 6 more): the waivers file's 1 waiver for that id was applied to none of them"
        );
        // A file with an id no waiver names keeps every unpinned waiver, nothing withheld.
        assert_eq!(reasons(&shared, "x.yaml", Some("R")).1, None);
    }

    #[test]
    fn scopes_are_yaml_paths() {
        for good in [
            "facilities",
            "facilities[1].places",
            "a.b[0][2].c",
            "场地.名称",
        ] {
            assert!(is_yaml_path(good), "{good}");
        }
        for bad in [
            "", "[[[[", "a..b", ".a", "a.", "a[", "a[x]", "a[1]b", "a b", "[0]",
        ] {
            assert!(!is_yaml_path(bad), "{bad}");
        }
    }

    #[test]
    fn scopes_cover_their_paths_only() {
        assert!(under("facilities", "facilities"));
        assert!(under("facilities[1].places", "facilities"));
        assert!(!under("facilities_extra", "facilities"));
        assert!(!under("site.area_m2", "facilities"));
    }

    #[test]
    fn clauses_match_however_they_are_written() {
        assert!(clause_matches("(16)", "16"));
        assert!(clause_matches("§68", "68"));
        assert!(!clause_matches("6", "68"));
    }

    /// A waiver from a waivers file, stating only what the tests vary.
    fn stated(
        rule: Option<&str>,
        project: Option<&str>,
        file: Option<&str>,
        reason: &str,
    ) -> super::StatedWaiver {
        super::StatedWaiver {
            origin: super::Origin::File {
                name: "w.yaml".into(),
                line: 1,
                pin: None,
            },
            rule: rule.map(str::to_owned),
            source: None,
            clause: None,
            scope: None,
            project: project.map(str::to_owned),
            file: file.map(str::to_owned),
            reason: reason.to_owned(),
            approved_by: None,
            approved_on: None,
            expires: None,
            usable: std::sync::OnceLock::new(),
        }
    }
}
