//! `yimi check`: arguments to a [`Job`], its tally to an exit code.

use std::io::IsTerminal;

use clap::ValueEnum as _;
use std::process::ExitCode;

use super::{
    CheckArgs, FailOn, Shown, fail_as, load_rules_as, parse_report, print_warnings_as, refuse,
    refuse_in, style,
};
use crate::engine::checked::CheckOptions;
use crate::engine::eval::StepBudget;
use crate::engine::force::{DateBasis, JudgedAt};
use crate::engine::{Level, Options};
use crate::project::LoadLimits;
use crate::project::date::Date;
use crate::report;
use crate::rules::ir::Jurisdiction;
use crate::rules::load::Loaded;
use crate::run::batch;
use crate::run::job::{self, Gate, Job, Tally, Target};
use crate::run::progress::Progress;

pub(super) fn check(args: &CheckArgs) -> ExitCode {
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(super::format_of_extension))
        .unwrap_or(crate::report::Format::Human);
    let lang = args.lang;
    let jurisdiction = match jurisdiction(args.jurisdiction.as_deref()) {
        Ok(jurisdiction) => jurisdiction,
        Err(code) => return code,
    };
    let as_of = match &args.as_of {
        None => JudgedAt {
            date: Date::today(),
            basis: DateBasis::Today,
        },
        Some(text) => match Date::parse(text) {
            Ok(date) => JudgedAt {
                date,
                basis: DateBasis::Given,
            },
            Err(error) => {
                return refuse(&format!("`--as-of {text}`: {error}"));
            }
        },
    };
    // The date the report is made on, which its head shows: not the date judged at, which each
    // file's facts give with where it came from.
    let produced = match produced_on() {
        Ok(date) => date,
        Err(message) => return refuse(&message),
    };
    let mut reports = Vec::new();
    for text in &args.report {
        match parse_report(text) {
            Ok(report) => reports.push(report),
            Err(message) => {
                return refuse(&message);
            }
        }
    }
    let baseline = match &args.baseline {
        None => None,
        Some(path) => match report::baseline::Baseline::load(path) {
            Ok(baseline) => Some(std::sync::Arc::new(baseline)),
            // Located, with a code and a hint, as a bad waivers file is.
            Err(errors) => return fail_as(&errors, lang, Shown::of(format)),
        },
    };
    // A JSON report written to a file may serve as a baseline from where it lies: outside a git
    // repository, its findings name their files relative to its folder, as a baseline read
    // from there names them (`report::baseline::file_key`).
    let json_file = match (&args.output, format) {
        (Some(path), crate::report::Format::Json) => Some(path.clone()),
        _ => reports
            .iter()
            .find(|(format, _)| *format == crate::report::Format::Json)
            .map(|(_, path)| path.clone()),
    };
    let naming =
        report::baseline::Naming::on_disk(json_file.as_ref().map(|path| match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => std::path::Path::new("."),
        }));
    if args.new_only && baseline.is_none() {
        let message = crate::tr!(
            "`--new-only` 需要 `--baseline FILE`",
            "`--new-only` needs `--baseline FILE`"
        );
        return refuse_in(lang, message.get(lang));
    }
    #[cfg(not(feature = "docx"))]
    if format == crate::report::Format::Docx
        || reports
            .iter()
            .any(|(format, _)| *format == crate::report::Format::Docx)
    {
        return super::left_out("docx", "the Word report (`docx`)");
    }
    // A Word document is a zip archive: on a terminal it would print as control characters.
    if format == crate::report::Format::Docx
        && args.output.is_none()
        && std::io::stdout().is_terminal()
    {
        let message = crate::tr!(
            "`--format docx` 写出二进制文件:请用 `-o FILE` 指定文件",
            "`--format docx` writes a binary file: give `-o FILE`"
        );
        return refuse_in(lang, message.get(lang));
    }
    let shown = Shown::of(format);
    let loaded: &Loaded = match load_rules_as(&args.rules.options(), lang, shown) {
        // The rules live as long as the process: freeing every rule's tree on the way out costs
        // a one-file run a few percent for nothing.
        Ok(loaded) => Box::leak(Box::new(loaded)),
        Err(code) => return code,
    };
    let limits = LoadLimits {
        max_bytes: args.max_file_size,
        yaml: crate::project::yaml::Limits {
            max_depth: args.max_depth,
            max_nodes: args.max_values,
        },
    };
    let external_waivers = match &args.waivers {
        None => Vec::new(),
        Some(path) => match crate::engine::waivers::load(path, &loaded.set, limits) {
            Ok((waivers, warnings)) => {
                print_warnings_as(&warnings, lang, shown);
                waivers
            }
            Err(errors) => return fail_as(&errors, lang, shown),
        },
    };
    print_warnings_as(&loaded.warnings, lang, shown);
    let mut skipped = Vec::new();
    // The files the run reads besides the projects are no projects, even when they lie in a
    // checked folder. (A report written into it is not left out: `-o x.yaml` onto a project
    // found there is refused below rather than the project overwritten.)
    let mut not_projects: Vec<std::path::PathBuf> = args.waivers.iter().cloned().collect();
    not_projects.extend(args.baseline.iter().cloned());
    let (files, mut unreadable) =
        batch::collect_files(&args.paths, &not_projects, args.max_files, &mut skipped);
    print_warnings_as(&skipped, lang, shown);
    if files.is_empty() && unreadable.is_empty() {
        let message = crate::tr!(
            "给出的路径下没有 `*.yaml` 或 `*.yml` 文件",
            "no `*.yaml` or `*.yml` files under the given paths"
        );
        return refuse_in(lang, message.get(lang));
    }
    let jobs = batch::clamp_jobs(args.jobs, files.len());
    if files.len() > 1 {
        // A run of many files frees on one thread what another allocated: its freed pages go
        // back to the system as it goes, not at exit (`base::allocator`).
        crate::base::allocator::return_freed_pages();
    }
    let sharing = match batch::survey_waivers(
        &files,
        &external_waivers,
        args.waivers.as_deref(),
        limits,
        jobs,
    ) {
        Ok(sharing) => sharing,
        Err(error) => return refuse(&format!("cannot start {jobs} threads: {error}")),
    };
    if let Some(path) = &args.waivers {
        let unpinned = unmatched_pins(path, &external_waivers, &sharing, &files);
        print_warnings_as(&unpinned, lang, shown);
    }
    let options = CheckOptions {
        jurisdiction,
        engine: Options {
            strict_evidence: args.strict_evidence,
            as_of: Some(as_of),
            drafts: args.drafts,
            lapsed: args.lapsed,
            step_budget: StepBudget(args.max_steps),
            inline_waivers: args.inline_waivers,
        },
        limits,
        waivers: std::sync::Arc::new(external_waivers),
        sharing: std::sync::Arc::new(sharing),
    };
    let progress = Progress::new(files.len(), format);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let mut style = style(lang, args.color, to_terminal);
    style.date = Some(produced);
    if let (Some(baseline), Some(path)) = (&baseline, &args.baseline)
        && let Some(warning) = no_file_matched(baseline, path, &files, &naming)
    {
        super::print_warnings_as(&[warning], lang, super::Shown::of(format));
    }
    style.baseline = baseline;
    style.naming = naming;
    let mut file_style = style.clone();
    file_style.color = false;
    file_style.width = 100;
    let mut items: Vec<batch::Item> = files.iter().cloned().map(batch::Item::Check).collect();
    items.extend(unreadable.drain(..).map(batch::Item::Done));
    // Reports list files by their shown path (stable: equal paths keep their order).
    items.sort_by_cached_key(batch::Item::shown_path);
    let written: Vec<std::path::PathBuf> = match &args.output {
        Some(output) => std::iter::once(output.clone())
            .chain(reports.iter().map(|(_, path)| path.clone()))
            .collect(),
        None => Vec::new(),
    };
    let mut targets = vec![Target {
        format,
        output: args.output.clone(),
        style,
    }];
    targets.extend(reports.into_iter().map(|(format, path)| Target {
        format,
        output: Some(path),
        style: file_style.clone(),
    }));
    // A document for thousands of files is written (the caller chose it) but few can open it.
    for (index, target) in targets.iter().enumerate() {
        // The first target is `--format` (with `-o`), the others `--report`.
        let option = match &target.output {
            Some(path) if index > 0 => {
                format!("--report {}={}", target.format.name(), path.display())
            }
            _ => format!("--format {}", target.format.name()),
        };
        if let Some(warning) = job::document_size_warning(target.format, &option, items.len()) {
            let label = crate::tr!("警告", "warning");
            stderr_line!(
                "{}: {}",
                label.get(lang),
                report::escape::terminal_line(warning.get(lang))
            );
        }
    }
    let gate = Gate {
        threshold: match args.fail_on {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Advice => Some(Level::Advice),
            FailOn::Never => None,
        },
        new_only: args.new_only,
    };
    // Every file read is guarded against `-o` and `--report`, not only the projects.
    let mut inputs = files.clone();
    inputs.extend(args.waivers.iter().cloned());
    inputs.extend(args.baseline.iter().cloned());
    inputs.extend(args.rules.rules.iter().cloned());
    inputs.extend(args.rules.sources.iter().cloned());
    let job = Job {
        items,
        inputs: &inputs,
        set: &loaded.set,
        options: &options,
        jobs,
        targets,
        gate,
    };
    match job::run(job, &progress) {
        Ok(tally) => {
            // With `-o`, nothing else reaches the terminal: a person is told what was written and
            // what the exit code means; a pipe or a CI log is left as it was.
            if !written.is_empty() && std::io::stderr().is_terminal() {
                let summary = written_summary(&written, tally, args.fail_on);
                stderr_line!("{}", report::escape::terminal_line(summary.get(lang)));
            }
            exit_code(tally)
        }
        Err(error) => refuse_in(lang, error.text().get(lang)),
    }
}

/// `--jurisdiction PATH` of `check` and `serve`.
pub(super) fn jurisdiction(text: Option<&str>) -> Result<Option<Jurisdiction>, ExitCode> {
    match text {
        Some(text) if crate::project::is_jurisdiction(text) => Ok(Some(Jurisdiction::parse(text))),
        Some(text) => Err(refuse(&format!(
            "`{text}` is not a jurisdiction path such as CN/SH/Pudong"
        ))),
        None => Ok(None),
    }
}

/// The line a person at a terminal reads after `-o FILE`: the files written, how many project
/// files, how many failed the gate and how many could not be checked.
fn written_summary(
    written: &[std::path::PathBuf],
    tally: Tally,
    fail_on: FailOn,
) -> crate::base::i18n::Text {
    let names = |separator: &str| {
        written
            .iter()
            .map(|path| format!("`{}`", path.display()))
            .collect::<Vec<_>>()
            .join(separator)
    };
    let mut zh = format!("已写入 {}:{} 个文件", names(","), tally.files);
    let mut en = format!(
        "wrote {}: {} file{}",
        names(", "),
        tally.files,
        if tally.files == 1 { "" } else { "s" }
    );
    let gate = (fail_on != FailOn::Never)
        .then(|| fail_on.to_possible_value())
        .flatten();
    if let Some(gate) = gate.as_ref().map(clap::builder::PossibleValue::get_name) {
        zh.push_str(&format!(
            ",{} 个有 `--fail-on {gate}` 及以上的发现",
            tally.failing_files
        ));
        en.push_str(&format!(
            ", {} with findings at or above `--fail-on {gate}`",
            tally.failing_files
        ));
    }
    if tally.invalid_files > 0 {
        zh.push_str(&format!(",{} 个无法检查", tally.invalid_files));
        en.push_str(&format!(
            ", {} that could not be checked",
            tally.invalid_files
        ));
    }
    crate::base::i18n::Text { zh, en }
}

/// 2 for invalid input, 1 for findings at or above `--fail-on`, else 0.
fn exit_code(tally: Tally) -> ExitCode {
    if tally.invalid() {
        ExitCode::from(2)
    } else if tally.failing() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// 9999-12-31T23:59:59 in China (UTC+8), in seconds since 1970: the report is dated as the
/// day of the check is, in China's calendar.
const LAST_SECOND_OF_9999: i64 = 253_402_271_999;

/// Today, or the day in China of `SOURCE_DATE_EPOCH` (seconds since 1970, as reproducible builds
/// set it) when it is set, so that a report made again is the same bytes.
fn produced_on() -> Result<Date, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => Ok(Date::today()),
        Ok(text) => match text.trim().parse::<i64>() {
            // A later day has a five-digit year, which no date in a report (W3CDTF in the Word
            // document's properties, the year of an opinion's number) can be written in.
            Ok(seconds) if (0..=LAST_SECOND_OF_9999).contains(&seconds) => {
                Ok(Date::in_china_at(seconds.unsigned_abs()))
            }
            _ => Err(format!(
                "`SOURCE_DATE_EPOCH={text}`: expected the seconds since 1970-01-01 (a whole number up to {LAST_SECOND_OF_9999}, 9999-12-31), the date the report is made on"
            )),
        },
    }
}

/// The warning for a baseline that names files none of which this run checks under a name it
/// knows (newcomer review 9 F15: a baseline made on `projects/` and a run from inside
/// `projects/`, or on a renamed tree, outside a repository, made every finding new, exit 1, and
/// said nothing). A baseline that says how its fingerprints name its files is held to those
/// names (newcomer review 16 N4: a copy of a repository's `projects/` checked outside it as
/// `projects` matched by the name given, though no fingerprint could). Located at the baseline
/// file; `None` when a file matches or either side names no file.
fn no_file_matched(
    baseline: &crate::report::baseline::Baseline,
    path: &std::path::Path,
    files: &[std::path::PathBuf],
    naming: &crate::report::baseline::Naming,
) -> Option<crate::base::diagnostic::Diagnostic> {
    let first = files.first()?;
    let shown = first.display().to_string();
    let message = if let Some(held) = baseline.first_fingerprint_name() {
        if files
            .iter()
            .any(|file| baseline.fingerprints_name(&file.display().to_string()))
        {
            return None;
        }
        let key = baseline.file_key(&shown);
        if key == shown {
            let shown = quoted(&shown);
            crate::tr!(
                "基线的指纹所记的文件(如 {held})没有一个是本次检查的文件(如 {shown}),所有发现都将算作新增",
                "the baseline's fingerprints name files such as {held}, none of them a file this run checks (such as {shown}), so every finding counts as new"
            )
        } else {
            let (shown, key) = (quoted(&shown), quoted(&key));
            crate::tr!(
                "基线的指纹所记的文件(如 {held})没有一个是本次检查的文件:本次检查的文件如 {shown},在基线的指纹中记为 {key},所有发现都将算作新增",
                "the baseline's fingerprints name files such as {held}, none of them a file this run checks: this run's {shown} would be {key} in the baseline's fingerprints, so every finding counts as new"
            )
        }
    } else {
        let held = baseline.first_name()?;
        if files
            .iter()
            .any(|file| baseline.names(&file.display().to_string(), naming))
        {
            return None;
        }
        no_name_matched(held, &shown, &naming.key(&shown))
    };
    let file = crate::base::diagnostic::SourceFile::new(path.display().to_string(), "");
    Some(
        crate::base::diagnostic::Diagnostic::warning(
            "baseline::no-file-matched",
            &file,
            0..0,
            message,
            crate::tr!("基线", "the baseline"),
        )
        .with_help(crate::tr!(
            "检查基线所针对的那些文件(基线中的路径在 git 仓库内相对于仓库根目录,在仓库外相对于写入基线的目录),或在此处重新生成基线",
            "check the files the baseline was made from (a baseline names its files relative to the repository's root inside a git repository, and outside one relative to the folder the baseline was written to), or make the baseline again from here"
        )),
    )
}

/// The message of [`no_file_matched`] for a baseline that says only the names its files were
/// given under: `shown`, the first file of this run, is `key` in this run's fingerprints.
fn no_name_matched(held: &str, shown: &str, key: &str) -> crate::base::i18n::Text {
    if key == shown {
        let shown = quoted(shown);
        crate::tr!(
            "基线记录的文件(如 {held})没有一个是本次检查的文件:本次检查的文件名为 {shown} 等,所有发现都将算作新增",
            "the baseline names files such as {held}, but none this run checks: this run names its files as {shown}, so every finding counts as new"
        )
    } else {
        let (shown, key) = (quoted(shown), quoted(key));
        crate::tr!(
            "基线记录的文件(如 {held})没有一个是本次检查的文件:本次检查的文件名为 {shown}(指纹中记为 {key})等,所有发现都将算作新增",
            "the baseline names files such as {held}, but none this run checks: this run names its files as {shown} ({key} in fingerprints), so every finding counts as new"
        )
    }
}

/// `text` in backticks, shortened and escaped for a message.
fn quoted(text: &str) -> String {
    crate::report::snippet::clip_quoted(&format!("`{text}`")).into_owned()
}

/// A warning for each waiver of the waivers file at `path` whose `file:` names no file of the run
/// (newcomer review 16 N9: a typo in `file:` waived nothing, without a word, where an unknown
/// `rule:` is warned about), located at the `file:` value as the waivers file was loaded, with
/// the closest name of a checked file when one is close (searched at most as often as
/// [`crate::base::suggest::Suggester`] allows, so that many bad pins against many files stay
/// linear).
fn unmatched_pins(
    path: &std::path::Path,
    waivers: &[crate::engine::waivers::StatedWaiver],
    sharing: &crate::engine::waivers::Sharing,
    files: &[std::path::PathBuf],
) -> Vec<crate::base::diagnostic::Diagnostic> {
    let candidates: Vec<(usize, &str)> = waivers
        .iter()
        .enumerate()
        .filter_map(|(index, waiver)| Some((index, waiver.file.as_deref()?)))
        .filter(|(index, _)| !sharing.pins_a_file(*index))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // A run of some files only (a pre-commit hook's) leaves other files' waivers unused: only a
    // name that is no file at all is warned about.
    let bases = pin_bases(path);
    let shown: Vec<String> = files
        .iter()
        .map(|file| crate::base::walk::shown(file))
        .collect();
    let mut suggester = crate::base::suggest::Suggester::new();
    let mut warnings = Vec::new();
    for (index, pin) in candidates {
        if names_a_file(&bases, pin) {
            continue;
        }
        let Some(crate::engine::waivers::Origin::File {
            pin: Some((file, span)),
            ..
        }) = waivers.get(index).map(|waiver| &waiver.origin)
        else {
            continue;
        };
        let pin_shown = crate::report::snippet::clip_quoted(&format!("`{pin}`")).into_owned();
        let help = match suggester.did_you_mean(pin, shown.iter().map(String::as_str)) {
            Some(found) => {
                let found = crate::report::snippet::clip_quoted(&format!("`{found}`")).into_owned();
                crate::tr!("是否想写 {found}?", "did you mean {found}?")
            }
            None => crate::tr!(
                "`file:` 写文件相对于 git 仓库根目录的路径(在仓库外相对于豁免文件所在目录),或写检查时给出的路径",
                "write in `file:` the file's path relative to the repository's root (outside a repository, to the waivers file's folder), or the path the check is given"
            ),
        };
        warnings.push(
            crate::base::diagnostic::Diagnostic::warning(
                "waiver::unknown-file",
                file,
                span.clone(),
                crate::tr!(
                    "豁免的 `file:` {pin_shown} 不是本次检查的任何文件,该豁免未被使用",
                    "the waiver's `file:` {pin_shown} names no file this run checks, so the waiver is not used"
                ),
                crate::tr!("没有检查这个文件", "no such file is checked"),
            )
            .with_help(help),
        );
    }
    warnings
}

/// The folders a waiver's relative `file:` may be read from: the root of the git repository
/// the waivers file is in, the waivers file's folder, and the working directory (found once a
/// run, not once a pin).
fn pin_bases(waivers_file: &std::path::Path) -> Vec<std::path::PathBuf> {
    let real = std::fs::canonicalize(waivers_file).ok();
    let folder = real.as_deref().and_then(std::path::Path::parent);
    let root = real
        .as_deref()
        .and_then(crate::report::baseline::repository_root);
    root.into_iter()
        .chain(folder.map(std::path::Path::to_path_buf))
        .chain(std::iter::once(std::path::PathBuf::new()))
        .collect()
}

/// Whether a waiver's `file:` names a file on the disk, read from one of `bases`
/// ([`pin_bases`]).
fn names_a_file(bases: &[std::path::PathBuf], pin: &str) -> bool {
    let pin = std::path::Path::new(pin);
    if pin.is_absolute() {
        return pin.is_file();
    }
    bases.iter().any(|base| base.join(pin).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The summary names every file written, counts in the singular for one file, leaves the
    /// gate out with `--fail-on never` and unusable files out when there are none, and names
    /// the gate as the flag spells it.
    #[test]
    fn the_summary_after_o_says_what_the_exit_code_stands_for() {
        let written = [
            std::path::PathBuf::from("r.json"),
            std::path::PathBuf::from("r.sarif"),
        ];
        let one = Tally {
            files: 1,
            invalid_files: 0,
            failing_files: 0,
        };
        let summary = written_summary(&written, one, FailOn::Never);
        assert_eq!(summary.en, "wrote `r.json`, `r.sarif`: 1 file");
        assert_eq!(summary.zh, "已写入 `r.json`,`r.sarif`:1 个文件");
        let many = Tally {
            files: 12,
            invalid_files: 2,
            failing_files: 3,
        };
        let summary = written_summary(&written[..1], many, FailOn::Warning);
        assert_eq!(
            summary.en,
            "wrote `r.json`: 12 files, 3 with findings at or above `--fail-on warning`, 2 that could not be checked"
        );
        assert_eq!(
            summary.zh,
            "已写入 `r.json`:12 个文件,3 个有 `--fail-on warning` 及以上的发现,2 个无法检查"
        );
        assert!(many.invalid() && many.failing() && !one.invalid() && !one.failing());
    }
}
