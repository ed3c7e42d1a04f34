//! What a document's text becomes: the diagnostics `check` (for a project file) or `rules lint`
//! (for a pack) gives, converted to the protocol's lines and UTF-16 columns, each with the quick
//! fixes that apply, and what hover, completion and definition read later (the loaded project,
//! the checked rules).

use std::path::{Path, PathBuf};

use lsp_types::{DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Url};
use serde_json::json;

use super::Server;
use super::actions::{self, Fix};
use super::position::LineIndex;
use crate::base::diagnostic::{Diagnostic, Medium, Severity, SourceFile};
use crate::base::i18n::Lang;
use crate::engine::checked::{self, CheckOptions, Checked, CheckedFile};
use crate::engine::force::{DateBasis, JudgedAt};
use crate::engine::{Level, Outcome};
use crate::project;
use crate::project::date::Date;
use crate::project::yaml::Node;
use crate::report::{self, FindingView};
use crate::rules::check::{self as rule_check, Input};
use crate::rules::ir::RuleSet;
use crate::rules::parse::parse_file;
use crate::tr;

/// What kind of document the editor opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A project file: YAML whose top level says `yimi:`.
    Project,
    /// A rule pack (`*.yimi`).
    Pack,
    /// A waivers file (`check --waivers`): YAML whose top level says `waivers:` and no
    /// `project:` (hostile review 15 X9: it was diagnosed as a project file missing `project`).
    Waivers,
    /// Anything else: left alone.
    Other,
}

impl Kind {
    /// The kind of a document by its name and, for YAML, its text.
    pub fn of(uri: &Url, text: &str) -> Kind {
        let path = uri.path();
        if path.ends_with(".yimi") {
            Kind::Pack
        } else if (path.ends_with(".yaml") || path.ends_with(".yml"))
            // A `\r` alone ends a line too (classic Mac OS): such a file was left unchecked.
            && text.split(['\n', '\r']).any(|line| line.starts_with("yimi:"))
        {
            let top = |key: &str| text.lines().any(|line| line.starts_with(key));
            if top("waivers:") && !top("project:") {
                Kind::Waivers
            } else {
                Kind::Project
            }
        } else {
            Kind::Other
        }
    }
}

/// A document's diagnostics and what later requests read.
pub struct Analysis {
    /// The kind it was analysed as.
    pub kind: Kind,
    /// What to publish.
    pub diagnostics: Vec<lsp_types::Diagnostic>,
    /// For a project file that parsed as YAML: its tree with spans (also when the values are
    /// wrong, so that hover still works).
    pub tree: Option<Node>,
    /// For a pack that checked: the rules checked with it (built-in and configured packs too).
    pub set: Option<RuleSet>,
    /// For a project file that was assessed: the packs that applied, whose targets' indicators
    /// completion offers first.
    pub packs: Option<Vec<usize>>,
}

/// The name diagnostics and packs know a document by: its path, else its URI.
pub fn document_name(uri: &Url) -> String {
    uri.to_file_path()
        .map_or_else(|()| uri.to_string(), |path| path.display().to_string())
}

/// The most bytes a document of `kind` may hold to be checked or answered about: a project
/// file's limit (`maxFileSize`) for project files and any other document (a baseline opened as
/// JSON), a rule file's for packs. Past it, hover, completion and definition answer nothing,
/// since each reads the document whole (a 29 MB baseline took seconds a hover).
pub fn size_limit(server: &Server, kind: Kind) -> u64 {
    match kind {
        Kind::Project | Kind::Waivers | Kind::Other => server.settings.limits.max_bytes,
        Kind::Pack => crate::rules::load::MAX_RULE_FILE_BYTES,
    }
}

/// Analyses a document's text.
pub fn analyse(server: &Server, uri: &Url, text: &str, kind: Kind) -> Analysis {
    let mut analysis = Analysis {
        kind,
        diagnostics: Vec::new(),
        tree: None,
        set: None,
        packs: None,
    };
    let lang = server.settings.lang;
    if kind == Kind::Other {
        return analysis;
    }
    let limit = size_limit(server, kind);
    let size = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if size > limit {
        let message = tr!(
            "文件大小 {size} 字节,超过上限 {limit} 字节,未做检查",
            "the file is {size} bytes, more than the limit of {limit} bytes, so it is not checked"
        );
        analysis.diagnostics.push(lsp_types::Diagnostic {
            range: lsp_types::Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            code: Some(NumberOrString::String("limits::file-size".to_owned())),
            source: Some("yimi".to_owned()),
            message: message.get(lang).to_owned(),
            ..lsp_types::Diagnostic::default()
        });
        return analysis;
    }
    let index = LineIndex::new(text);
    let name = document_name(uri);
    match kind {
        Kind::Project => project_file(server, uri, &name, text, &index, &mut analysis),
        Kind::Pack => pack_file(server, uri, &name, text, &index, &mut analysis),
        Kind::Waivers => waivers_file(server, uri, &name, text, &index, &mut analysis),
        Kind::Other => {}
    }
    analysis
}

/// A waivers file: what `check --waivers` says of it (bad YAML or types, a waiver without a
/// reason or naming nothing, an unknown rule), against the rules the server loaded.
fn waivers_file(
    server: &Server,
    uri: &Url,
    name: &str,
    text: &str,
    index: &LineIndex<'_>,
    analysis: &mut Analysis,
) {
    let lang = server.settings.lang;
    let Some(loaded) = server.loaded() else {
        analysis.diagnostics.push(rules_failed(server));
        return;
    };
    let limits = server.settings.limits;
    let diagnostics =
        match crate::engine::waivers::load_bytes(name, text.as_bytes(), &loaded.set, limits) {
            Ok((waivers, mut warnings)) => {
                warnings.extend(unpinned(name, text, &waivers, limits));
                warnings
            }
            Err(errors) => errors,
        };
    for diagnostic in &diagnostics {
        analysis
            .diagnostics
            .push(convert(diagnostic, name, uri, index, lang));
    }
}

/// Advice at each waiver of a waivers file that names a project and no `file:`, suggesting the
/// pin: such a waiver applies only where exactly one file of a run declares the id, which the
/// submitter writes (`waiver::shared-project-id`). Said where the authority writes its waivers
/// file, not on every check (a run where each id is declared once is not wrong, and a warning
/// there would be said on every run of a gate).
fn unpinned(
    name: &str,
    text: &str,
    waivers: &[crate::engine::waivers::StatedWaiver],
    limits: crate::project::LoadLimits,
) -> Vec<Diagnostic> {
    if waivers
        .iter()
        .all(|waiver| waiver.project.is_none() || waiver.file.is_some())
    {
        return Vec::new();
    }
    let file = SourceFile::new(name.to_owned(), text.to_owned());
    let Ok(tree) = crate::project::yaml::parse(&file, limits.yaml) else {
        return Vec::new();
    };
    waivers
        .iter()
        .enumerate()
        .filter(|(_, waiver)| waiver.file.is_none())
        .filter_map(|(at, waiver)| {
            let id = crate::base::i18n::code(waiver.project.as_deref()?);
            let path = crate::project::yaml::YamlPath::root()
                .key("waivers")
                .index(at)
                .key("project");
            let span = tree.locate(&path).span;
            let mut advice = Diagnostic::warning(
                "waiver::unpinned",
                &file,
                span,
                tr!(
                    "这条豁免只凭项目编号 {id} 指认文件:只有本次检查中恰有一个文件声明这个编号时才适用,而编号由提交者自己填写",
                    "this waiver finds its file by the project id {id} alone: it applies only when exactly one file of a run declares that id, which the submitter writes"
                ),
                tr!("未写 `file:`", "no `file:`"),
            )
            .with_help(tr!(
                "用 `file:` 写明它所批准的文件(如 `file: projects/legacy.yaml`,相对于仓库根目录),复制这个编号的文件就得不到这条豁免",
                "pin it to the file it was approved for with `file:` (e.g. `file: projects/legacy.yaml`, relative to the repository's root), so that a file copying the id does not get it"
            ));
            advice.severity = crate::base::diagnostic::Severity::Advice;
            Some(advice)
        })
        .collect()
}

fn project_file(
    server: &Server,
    uri: &Url,
    name: &str,
    text: &str,
    index: &LineIndex<'_>,
    analysis: &mut Analysis,
) {
    let lang = server.settings.lang;
    let project = match project::load_bytes(name, text.as_bytes(), server.settings.limits) {
        Ok(project) => project,
        Err(diagnostics) => {
            for diagnostic in &diagnostics {
                analysis
                    .diagnostics
                    .push(convert(diagnostic, name, uri, index, lang));
            }
            let file = SourceFile::new(name.to_owned(), text.to_owned());
            analysis.tree = crate::project::yaml::parse(&file, server.settings.limits.yaml).ok();
            return;
        }
    };
    let Some(loaded) = server.loaded() else {
        analysis.diagnostics.push(rules_failed(server));
        for diagnostic in &project.warnings {
            analysis
                .diagnostics
                .push(convert(diagnostic, name, uri, index, lang));
        }
        analysis.tree = Some(project.tree);
        return;
    };
    // A waivers file that does not load is said at the top, and the file is checked without
    // its waivers (what it would waive shows), as the rules' failure is said.
    let waivers = match &server.waivers {
        Ok(waivers) => std::sync::Arc::clone(waivers),
        Err(errors) => {
            analysis.diagnostics.push(waivers_failed(server, errors));
            std::sync::Arc::default()
        }
    };
    // A waiver's `file:` names the document by its path relative to the workspace's root;
    // a document with no path on disk (unsaved) is named by none.
    let sharing = match uri.to_file_path() {
        Ok(path) => {
            crate::run::batch::sharing_alone(name, server.settings.pin_names(&path), &waivers)
        }
        Err(()) => crate::engine::waivers::Sharing::default(),
    };
    let options = CheckOptions {
        limits: server.settings.limits,
        engine: crate::engine::Options {
            as_of: Some(JudgedAt {
                date: Date::today(),
                basis: DateBasis::Today,
            }),
            step_budget: server.settings.step_budget,
            inline_waivers: server.settings.inline_waivers,
            ..crate::engine::Options::default()
        },
        waivers,
        sharing: std::sync::Arc::new(sharing),
        ..CheckOptions::default()
    };
    let files = [CheckedFile {
        path: name.to_owned(),
        result: checked::assess(project, &loaded.set, &options),
    }];
    {
        let views = report::views(
            &files,
            &loaded.set,
            None,
            Medium::Editor,
            &report::baseline::Naming::AsGiven,
        );
        for view in &views {
            for finding in &view.findings {
                analysis.diagnostics.push(from_finding(
                    server,
                    finding,
                    &loaded.set,
                    view,
                    uri,
                    index,
                ));
            }
            for item in &view.nothing_to_check {
                analysis
                    .diagnostics
                    .push(nothing_to_check(server, item, &loaded.set, index));
            }
            for diagnostic in &view.diagnostics {
                analysis
                    .diagnostics
                    .push(convert(diagnostic, name, uri, index, lang));
            }
        }
    }
    let [file] = files;
    if let Checked::Assessed {
        project,
        assessment,
    } = file.result
    {
        analysis.tree = Some(project.tree);
        analysis.packs = Some(assessment.packs);
    }
}

/// A diagnostic at the top of the file saying that the configured rules do not load.
fn rules_failed(server: &Server) -> lsp_types::Diagnostic {
    let lang = server.settings.lang;
    let errors = server.rules.as_ref().err().map_or(&[][..], Vec::as_slice);
    let first = first_error(errors, lang);
    let message = tr!(
        "规则包未能加载,未做检查:{first}",
        "the rule packs do not load, so nothing was checked: {first}"
    );
    at_the_top("rules::load", message.get(lang))
}

/// A diagnostic at the top of the file saying that the configured waivers file is refused, at
/// its first error, and that its waivers were not applied.
fn waivers_failed(server: &Server, errors: &[Diagnostic]) -> lsp_types::Diagnostic {
    let lang = server.settings.lang;
    let first = first_error(errors, lang);
    let message = tr!(
        "豁免文件未能读取,其中的豁免未予适用:{first}",
        "the waivers file is refused, so none of its waivers were applied: {first}"
    );
    at_the_top("waivers::load", message.get(lang))
}

/// The first of `errors` as `file:line:column: message`, for a file the editor has not open.
fn first_error(errors: &[Diagnostic], lang: Lang) -> String {
    errors
        .first()
        .map(|error| {
            let (line, column) = error.line_col();
            format!(
                "{}:{line}:{column}: {}",
                error.file.name,
                error.message.get(lang)
            )
        })
        .unwrap_or_default()
}

/// An error at the top of the document (no range: the cause is in another file).
fn at_the_top(code: &str, message: &str) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String(code.to_owned())),
        source: Some("yimi".to_owned()),
        message: message.to_owned(),
        ..lsp_types::Diagnostic::default()
    }
}

fn from_finding(
    server: &Server,
    finding: &FindingView<'_>,
    set: &RuleSet,
    view: &report::FileView<'_>,
    uri: &Url,
    index: &LineIndex<'_>,
) -> lsp_types::Diagnostic {
    let lang = server.settings.lang;
    let severity = match finding.level {
        Some(Level::Error) => DiagnosticSeverity::ERROR,
        Some(Level::Warning) => DiagnosticSeverity::WARNING,
        Some(Level::Advice) => DiagnosticSeverity::INFORMATION,
        None => DiagnosticSeverity::HINT,
    };
    let mut message = finding.message.get(lang).to_owned();
    if let Some(citation) = finding.citation {
        message.push('\n');
        message.push_str(&report::citation_line(citation, lang));
    }
    if let Some(advisory) = &finding.advisory {
        message.push('\n');
        message.push_str(advisory.get(lang));
    }
    if let Some(hint) = &finding.hint {
        message.push('\n');
        message.push_str(tr!("建议:", "advice: ").get(lang));
        message.push_str(hint.get(lang));
    }
    let range = finding
        .places
        .first()
        .map(|place| index.range(&place.span))
        .unwrap_or_default();
    let mut related = Vec::new();
    if let Some(rule) = finding.rule
        && let Some(location) = rule_location(server, set, rule)
    {
        let title = rule.title.get(lang);
        related.push(DiagnosticRelatedInformation {
            location,
            message: format!("{} {title}", rule.id),
        });
    }
    for place in finding.places.iter().skip(1) {
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), index.range(&place.span)),
            message: place.label.get(lang).to_owned(),
        });
    }
    let mut fixes = Vec::new();
    if finding.outcome == Outcome::InsufficientEvidence
        && let Some(project) = view.project
    {
        for missing in &finding.missing {
            if let Some(fix) =
                actions::insert_missing(project, uri, index, &missing.place.path, lang)
            {
                fixes.push(fix);
            }
        }
    }
    editor_diagnostic(
        range,
        severity,
        finding.code.clone(),
        message,
        related,
        &fixes,
    )
}

/// A rule that held only because there was nothing to check, at the empty list or the zero: not
/// a finding (nothing is wrong), but not a checked fact either, so information, worded as the
/// other formats word it (`report::human::nothing_to_check`), with the rule's place in its pack.
fn nothing_to_check(
    server: &Server,
    item: &report::NothingToCheck<'_>,
    set: &RuleSet,
    index: &LineIndex<'_>,
) -> lsp_types::Diagnostic {
    let lang = server.settings.lang;
    let rule = item.rule;
    let message = format!(
        "{}{}\n{}{} ({})\n{}",
        tr!("无可检查:", "nothing to check: ").get(lang),
        item.note.get(lang),
        tr!("规则:", "rule: ").get(lang),
        rule.title.get(lang),
        report::rule_kind(rule.strength, rule.domain, lang),
        report::citation_line(&rule.cite, lang),
    );
    let related = rule_location(server, set, rule)
        .map(|location| DiagnosticRelatedInformation {
            location,
            message: format!("{} {}", rule.id, rule.title.get(lang)),
        })
        .into_iter()
        .collect();
    editor_diagnostic(
        index.range(&item.place.span),
        DiagnosticSeverity::INFORMATION,
        rule.id.clone(),
        message,
        related,
        &[],
    )
}

/// Where a rule is written: its pack file, or the built-in pack written out to the cache.
pub fn rule_location(
    server: &Server,
    set: &RuleSet,
    rule: &crate::rules::ir::Rule,
) -> Option<Location> {
    let pack = set.packs.get(rule.pack)?;
    pack_location(server, pack, &rule.spans.id)
}

/// A span of a pack as a location an editor can open.
pub fn pack_location(
    server: &Server,
    pack: &crate::rules::ir::Pack,
    span: &std::ops::Range<usize>,
) -> Option<Location> {
    let uri = if pack.builtin {
        server.cache.pack(&pack.file)?
    } else {
        let path = Path::new(&pack.file.name);
        let path = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(path)
        };
        Url::from_file_path(path).ok()?
    };
    let index = LineIndex::new(&pack.file.text);
    Some(Location::new(uri, index.range(span)))
}

fn fixes_data(fixes: &[Fix]) -> Option<serde_json::Value> {
    (!fixes.is_empty()).then(|| json!({ "fixes": fixes }))
}

/// A diagnostic about an input file; one about another file (a pack the configuration loads, an
/// unreadable source directory) is put at the top, naming the file.
fn convert(
    diagnostic: &Diagnostic,
    name: &str,
    uri: &Url,
    index: &LineIndex<'_>,
    lang: Lang,
) -> lsp_types::Diagnostic {
    let severity = match diagnostic.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Advice => DiagnosticSeverity::INFORMATION,
    };
    let here = diagnostic.file.name == name;
    let mut message = diagnostic.message.get(lang).to_owned();
    if !here {
        let (line, column) = diagnostic.line_col();
        message = format!("{}:{line}:{column}: {message}", diagnostic.file.name);
    }
    if let Some(help) = diagnostic.help_in(Medium::Editor) {
        message.push('\n');
        message.push_str(help.get(lang));
    }
    let range = if here {
        index.range(&diagnostic.primary_span())
    } else {
        lsp_types::Range::default()
    };
    let related: Vec<DiagnosticRelatedInformation> = if here {
        diagnostic
            .labels
            .iter()
            .skip(1)
            .map(|label| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), index.range(&label.span)),
                message: label.text.get(lang).to_owned(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut fixes = Vec::new();
    if here && let Some(fix) = actions::did_you_mean(diagnostic, uri, index, lang) {
        fixes.push(fix);
    }
    editor_diagnostic(
        range,
        severity,
        diagnostic.code.to_owned(),
        message,
        related,
        &fixes,
    )
}

/// A diagnostic as the editor gets it, with its related places and its fixes (kept in `data`
/// for the code actions the editor asks for later).
fn editor_diagnostic(
    range: lsp_types::Range,
    severity: DiagnosticSeverity,
    code: String,
    message: String,
    related: Vec<DiagnosticRelatedInformation>,
    fixes: &[Fix],
) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(code)),
        source: Some("yimi".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        data: fixes_data(fixes),
        ..lsp_types::Diagnostic::default()
    }
}

fn pack_file(
    server: &Server,
    uri: &Url,
    name: &str,
    text: &str,
    index: &LineIndex<'_>,
    analysis: &mut Analysis,
) {
    let lang = server.settings.lang;
    let (set, diagnostics) = check_pack(server, name, text);
    for diagnostic in &diagnostics {
        // Other packs' problems are `rules lint`'s business for those files; a pack that does
        // not load stops this one too, so its errors are shown.
        if diagnostic.file.name != name && diagnostic.severity != Severity::Error {
            continue;
        }
        let mut converted = convert(diagnostic, name, uri, index, lang);
        if diagnostic.code == "lint::untested"
            && let Some(set) = &set
        {
            let fixes = actions::create_fixtures(diagnostic, set, name, uri, index, lang);
            if !fixes.is_empty() {
                let mut all: Vec<Fix> = converted
                    .data
                    .take()
                    .and_then(|data| serde_json::from_value::<Vec<Fix>>(data["fixes"].clone()).ok())
                    .unwrap_or_default();
                all.extend(fixes);
                converted.data = fixes_data(&all);
            }
        }
        analysis.diagnostics.push(converted);
    }
    analysis.set = set;
}

/// Parses and checks a pack from the editor's text together with the packs `check` loads (the
/// built-in ones and the configured ones; this text replaces a pack of the same file or id), and
/// lints it when it checks. Returns the checked rules when nothing is an error.
fn check_pack(server: &Server, name: &str, text: &str) -> (Option<RuleSet>, Vec<Diagnostic>) {
    let file = SourceFile::new(name.to_owned(), text.to_owned());
    let (tree, mut errors) = parse_file(&file);
    let own_header = pack_header(&tree);
    let own_id = own_header.as_ref().map(|(id, _)| id.clone());
    let mut inputs = Vec::new();
    if !server.settings.no_builtin {
        for builtin in crate::rules::compiled::builtin_files() {
            let (tree, parse_errors) = parse_file(&builtin);
            if own_id.is_some() && pack_id(&tree) == own_id {
                // `check` refuses a pack that replaces a built-in one; the editor says so as
                // `rules lint` does (hostile review 15 X9). An exact copy changes nothing.
                if builtin.text != file.text
                    && let Some(warning) = replaces_builtin(&file, own_header.as_ref())
                {
                    errors.push(warning);
                }
                continue;
            }
            errors.extend(parse_errors);
            inputs.push(Input {
                tree,
                builtin: true,
                base_dir: None,
            });
        }
    }
    let mut walker = crate::base::walk::Walker::new();
    for path in &server.settings.rules {
        let Ok(found) = crate::rules::load::rule_files(path, &mut walker) else {
            continue;
        };
        for path in found {
            if path.display().to_string() == name {
                continue;
            }
            let Ok(bytes) =
                crate::base::read::read_bounded(&path, crate::rules::load::MAX_RULE_FILE_BYTES)
            else {
                continue;
            };
            let Ok(other) = String::from_utf8(bytes) else {
                continue;
            };
            let other = SourceFile::new(path.display().to_string(), other);
            let (tree, parse_errors) = parse_file(&other);
            if own_id.is_some() && pack_id(&tree) == own_id {
                continue;
            }
            errors.extend(parse_errors);
            inputs.push(Input {
                tree,
                builtin: false,
                base_dir: rule_check::base_dir_of(&path),
            });
        }
    }
    inputs.push(Input {
        tree,
        builtin: false,
        base_dir: rule_check::base_dir_of(&PathBuf::from(name)),
    });
    let corpus = server.corpus();
    let (set, mut diagnostics) = rule_check::check(inputs, corpus);
    diagnostics.append(&mut errors);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return (None, diagnostics);
    }
    let lints = crate::authoring::lint::lint(&set);
    diagnostics.extend(lints.into_iter().filter(|d| d.file.name == name));
    (Some(set), diagnostics)
}

/// The warning `rules lint` gives a pack that declares a built-in pack's id, at that id.
fn replaces_builtin(
    file: &std::sync::Arc<SourceFile>,
    header: Option<&(String, std::ops::Range<usize>)>,
) -> Option<Diagnostic> {
    let (id, span) = header?;
    let shown = crate::base::i18n::code(id);
    Some(Diagnostic::warning(
        "rules::replaces-builtin",
        file,
        span.clone(),
        tr!(
            "本规则包替换内置规则包 {shown}:检查时不会接受它",
            "this pack replaces the built-in pack {shown}: `check` refuses it"
        ),
        tr!("内置规则包的编号", "a built-in pack's id"),
    ))
}

/// The id a pack declares and where.
fn pack_header(tree: &crate::rules::ast::RuleFile) -> Option<(String, std::ops::Range<usize>)> {
    tree.items.iter().find_map(|item| match item {
        crate::rules::ast::Item::Pack(pack) => Some((pack.id.node.clone(), pack.id.span.clone())),
        _ => None,
    })
}

fn pack_id(tree: &crate::rules::ast::RuleFile) -> Option<String> {
    tree.items.iter().find_map(|item| match item {
        crate::rules::ast::Item::Pack(pack) => Some(pack.id.node.clone()),
        _ => None,
    })
}
