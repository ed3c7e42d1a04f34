//! The command line: parses arguments, calls the library, prints, and maps results to exit
//! codes (0: nothing at or above `--fail-on`; 1: findings at or above it; 2: invalid input,
//! rules or command line). It decides nothing about projects or rules itself.

use std::io::{IsTerminal, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};

use crate::batch::{self, BatchOptions};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::engine::{Level, Options};
use crate::i18n::Lang;
use crate::project::LoadLimits;
use crate::report::{self, Format, Style};
use crate::rules::ir::{Jurisdiction, RuleSet};
use crate::rules::load::{self, Loaded, RuleOptions};

/// yimi — 儿童影响评价合规检查 / compliance checker for children's impact assessment.
#[derive(Debug, Parser)]
#[command(name = "yimi", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check project files against the rules that apply to their jurisdiction.
    Check(CheckArgs),
    /// Explain a rule: what it requires, the clause it cites in context, examples.
    Explain(ExplainArgs),
    /// Work with rule packs: list, lint, test.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Print the JSON Schema of the project file.
    Schema {
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print a commented template project file.
    Init {
        /// The kind of project (see `project.kind` in the schema).
        #[arg(long, default_value = "residential")]
        kind: String,
        /// Language of the comments.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
    },
    /// Print shell completions.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
struct RuleArgs {
    /// Extra rule files or directories (`*.yimi`), checked as well as the built-in packs.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
    /// Leave out the built-in packs.
    #[arg(long)]
    no_builtin: bool,
    /// Extra source directories (with an `index.yaml`) that rules may cite.
    #[arg(long = "sources", value_name = "DIR")]
    sources: Vec<PathBuf>,
}

impl RuleArgs {
    fn options(&self) -> RuleOptions {
        RuleOptions {
            no_builtin: self.no_builtin,
            paths: self.rules.clone(),
            sources: self.sources.clone(),
            builtin_dir: None,
            lint: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    /// Exit 1 on errors.
    Error,
    /// Exit 1 on errors and warnings.
    Warning,
    /// Exit 1 on any finding, advice included.
    Advice,
    /// Never exit 1.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// Colour when writing to a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Project files, or directories to search for `*.yaml` and `*.yml`.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file (atomically) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write a report in another format to a file, e.g. `sarif=yimi.sarif`; repeatable.
    #[arg(long, value_name = "FORMAT=PATH")]
    report: Vec<String>,
    /// An earlier `--format json` report: findings already in it are marked existing.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// With `--baseline`, only new findings count towards `--fail-on`.
    #[arg(long)]
    new_only: bool,
    /// Waivers kept outside the project files (YAML, see the README).
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
    /// Exit with 1 when findings at or above this level are found.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Check against the packs of this jurisdiction instead of each file's own.
    #[arg(long, value_name = "PATH")]
    jurisdiction: Option<String>,
    /// Language of messages.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    lang: Lang,
    /// Missing evidence for a `shall` rule is an error, not a warning.
    #[arg(long)]
    strict_evidence: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The date waivers must be valid on when a file states no decision date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    today: Option<String>,
    /// Largest project file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = LoadLimits::default().max_bytes)]
    max_file_size: u64,
    /// Deepest nesting of lists and mappings in a project file.
    #[arg(long, value_name = "N", default_value_t = LoadLimits::default().yaml.max_depth)]
    max_depth: usize,
    /// Most values in a project file, counting every expansion of an alias.
    #[arg(long, value_name = "N", default_value_t = LoadLimits::default().yaml.max_nodes)]
    max_values: usize,
    /// Files checked at once (threads); default: the cores available.
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<NonZeroUsize>,
    #[command(flatten)]
    rules: RuleArgs,
}

/// `--jobs N`: a whole number of threads, at least 1.
fn parse_jobs(text: &str) -> Result<NonZeroUsize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("`--jobs 0` would check nothing; give at least 1 thread".to_owned()),
        Ok(jobs) => NonZeroUsize::new(jobs).ok_or_else(|| "at least 1".to_owned()),
        Err(_) => Err(format!("`{text}` is not a number of threads such as 4")),
    }
}

#[derive(Debug, clap::Args)]
struct ExplainArgs {
    /// The rule or target id, e.g. `SH-068a`.
    rule: String,
    /// Language.
    #[arg(long, value_enum, default_value_t = Lang::Zh)]
    lang: Lang,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the loaded rules and targets.
    List {
        /// Only rules citing this source.
        #[arg(long)]
        source: Option<String>,
        /// Only rules of this domain.
        #[arg(long)]
        domain: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
        /// Language.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Check rule files: syntax, paths, types, units, citations, ids.
    Lint {
        /// Rule files or directories (default: `rules/` if present, else the built-in packs).
        paths: Vec<PathBuf>,
        /// Language.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
        /// Extra source directories.
        #[arg(long = "sources", value_name = "DIR")]
        sources: Vec<PathBuf>,
    },
    /// How completely each pack classifies the clauses of its source.
    Coverage {
        /// Only this source.
        #[arg(long)]
        source: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CoverageFormat::Table)]
        format: CoverageFormat,
        /// Language.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
        /// Rule files or directories (default: `rules/` if present, else the built-in packs).
        paths: Vec<PathBuf>,
        /// Extra source directories.
        #[arg(long = "sources", value_name = "DIR")]
        sources: Vec<PathBuf>,
    },
    /// Run the tests written beside the rules.
    Test {
        /// Rule files or directories (default: `rules/`).
        paths: Vec<PathBuf>,
        /// Language.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
        /// Extra source directories.
        #[arg(long = "sources", value_name = "DIR")]
        sources: Vec<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CoverageFormat {
    /// Totals per source, then each clause.
    Table,
    /// A Markdown report.
    Markdown,
    /// JSON.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ListFormat {
    /// One rule per line.
    Table,
    /// JSON.
    Json,
}

/// Runs the command line.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Explain(args) => explain(&args),
        Command::Rules { command } => rules(command),
        Command::Schema { output } => {
            let text = format!(
                "{}\n",
                serde_json::to_string_pretty(crate::types::project_schema()).unwrap_or_default()
            );
            emit(&text, output.as_deref(), &[])
        }
        Command::Init { kind, lang } => match crate::init::template(&kind, lang) {
            Some(text) => emit(&text, None, &[]),
            None => {
                let kinds = crate::init::kinds().join(", ");
                let suggestion = crate::suggest::did_you_mean(&kind, crate::init::kinds())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                eprintln!("error: unknown kind `{kind}`{suggestion}\n  kinds: {kinds}");
                ExitCode::from(2)
            }
        },
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut command, "yimi", &mut buffer);
            emit(&String::from_utf8_lossy(&buffer), None, &[])
        }
    }
}

fn style(lang: Lang, color: Color, to_terminal: bool) -> Style {
    let color = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            to_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
        }
    };
    let width = if to_terminal {
        terminal_width().unwrap_or(100)
    } else {
        100
    };
    Style {
        lang,
        color,
        width,
        date: None,
        baseline: None,
    }
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
}

/// Prints diagnostics that stop the command (bad rules, bad arguments) to standard error.
fn fail_with(diagnostics: &[Diagnostic], lang: Lang) -> ExitCode {
    let style = style(lang, Color::Auto, std::io::stderr().is_terminal());
    let mut out = String::new();
    for diagnostic in diagnostics {
        report::human::diagnostic(&mut out, diagnostic, &style);
    }
    eprint!("{out}");
    ExitCode::from(2)
}

fn load_rules(options: &RuleOptions, lang: Lang) -> Result<Loaded, ExitCode> {
    load::load(options).map_err(|errors| fail_with(&errors, lang))
}

/// `FORMAT=PATH` of `--report`.
fn parse_report(text: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = text.split_once('=').ok_or_else(|| {
        format!("`--report {text}`: expected FORMAT=PATH, e.g. `sarif=yimi.sarif`")
    })?;
    let format = <Format as ValueEnum>::from_str(format, true).map_err(|_| {
        let names: Vec<&str> = Format::value_variants()
            .iter()
            .map(|format| format.name())
            .collect();
        let suggestion = crate::suggest::did_you_mean(format, names.iter().copied())
            .map(|found| format!(" (did you mean `{found}`?)"))
            .unwrap_or_default();
        format!(
            "`--report {text}`: unknown format `{format}`{suggestion}; formats: {}",
            names.join(", ")
        )
    })?;
    if path.is_empty() {
        return Err(format!("`--report {text}`: the path is empty"));
    }
    Ok((format, PathBuf::from(path)))
}

fn check(args: &CheckArgs) -> ExitCode {
    let lang = args.lang;
    let jurisdiction = match &args.jurisdiction {
        Some(text) if crate::project::is_jurisdiction(text) => Some(Jurisdiction::parse(text)),
        Some(text) => {
            eprintln!("error: `{text}` is not a jurisdiction path such as CN/SH/Pudong");
            return ExitCode::from(2);
        }
        None => None,
    };
    let today = match &args.today {
        None => Date::today(),
        Some(text) => match Date::parse(text) {
            Ok(date) => date,
            Err(error) => {
                eprintln!("error: `--today {text}`: {error}");
                return ExitCode::from(2);
            }
        },
    };
    let mut reports = Vec::new();
    for text in &args.report {
        match parse_report(text) {
            Ok(report) => reports.push(report),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::from(2);
            }
        }
    }
    let baseline = match &args.baseline {
        None => None,
        Some(path) => match report::baseline::Baseline::load(path) {
            Ok(baseline) => Some(std::sync::Arc::new(baseline)),
            Err(message) => {
                eprintln!("error: {}", message.get(lang));
                return ExitCode::from(2);
            }
        },
    };
    if args.new_only && baseline.is_none() {
        eprintln!("error: `--new-only` needs `--baseline FILE`");
        return ExitCode::from(2);
    }
    let loaded: &Loaded = match load_rules(&args.rules.options(), lang) {
        // The rules live as long as the process: freeing every rule's tree on the way out costs
        // a one-file run a few percent for nothing.
        Ok(loaded) => Box::leak(Box::new(loaded)),
        Err(code) => return code,
    };
    let external_waivers = match &args.waivers {
        None => Vec::new(),
        Some(path) => match crate::waivers::load(path, &loaded.set) {
            Ok((waivers, warnings)) => {
                if !warnings.is_empty() {
                    let style = style(lang, Color::Auto, std::io::stderr().is_terminal());
                    let mut out = String::new();
                    for warning in &warnings {
                        report::human::diagnostic(&mut out, warning, &style);
                    }
                    eprint!("{out}");
                }
                waivers
            }
            Err(errors) => return fail_with(&errors, lang),
        },
    };
    if !loaded.warnings.is_empty() {
        let style = style(lang, Color::Auto, std::io::stderr().is_terminal());
        let mut out = String::new();
        for warning in &loaded.warnings {
            report::human::diagnostic(&mut out, warning, &style);
        }
        eprint!("{out}");
    }
    let (files, mut unreadable) = batch::collect_files(&args.paths);
    if files.is_empty() && unreadable.is_empty() {
        eprintln!("error: no `*.yaml` or `*.yml` files under the given paths");
        return ExitCode::from(2);
    }
    let options = BatchOptions {
        jurisdiction,
        engine: Options {
            strict_evidence: args.strict_evidence,
            today: Some(today),
        },
        limits: LoadLimits {
            max_bytes: args.max_file_size,
            yaml: crate::yaml::Limits {
                max_depth: args.max_depth,
                max_nodes: args.max_values,
            },
        },
        waivers: std::sync::Arc::new(external_waivers),
    };
    let jobs = args.jobs.unwrap_or_else(batch::default_jobs);
    let progress = Progress::new(files.len(), args.format);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let mut style = style(lang, args.color, to_terminal);
    style.date = Some(today);
    style.baseline = baseline;
    let mut file_style = style.clone();
    file_style.color = false;
    file_style.width = 100;
    let mut items: Vec<batch::Item> = files.iter().cloned().map(batch::Item::Check).collect();
    items.extend(unreadable.drain(..).map(batch::Item::Done));
    // Reports list files by their shown path (stable: equal paths keep their order).
    items.sort_by_cached_key(batch::Item::shown_path);
    let mut verdict = Verdict::new(args);
    let streams = report::Stream::streams(args.format)
        && reports
            .iter()
            .all(|(format, _)| report::Stream::streams(*format));
    if streams {
        let code = check_streaming(
            args,
            &reports,
            items,
            &files,
            &loaded.set,
            &options,
            jobs,
            &progress,
            &style,
            &file_style,
            &mut verdict,
        );
        progress.clear();
        return code.unwrap_or_else(|| verdict.exit_code());
    }
    let mut checked = Vec::with_capacity(items.len());
    let result = batch::check_in_order(
        items,
        &loaded.set,
        &options,
        jobs,
        &|| progress.tick(),
        |file| {
            checked.push(file);
            Ok::<(), std::convert::Infallible>(())
        },
    );
    progress.clear();
    if let Err(batch::InOrderError::Pool(error)) = result {
        eprintln!("error: cannot start {jobs} threads: {error}");
        return ExitCode::from(2);
    }
    let written = emit_with(args.output.as_deref(), &files, |out| {
        report::write(args.format, &checked, &loaded.set, &style, out)
    });
    if written != ExitCode::SUCCESS {
        return written;
    }
    for (format, path) in &reports {
        let written = emit_with(Some(path), &files, |out| {
            report::write(*format, &checked, &loaded.set, &file_style, out)
        });
        if written != ExitCode::SUCCESS {
            return written;
        }
    }
    for view in report::views(&checked, &loaded.set, style.baseline.as_deref()) {
        verdict.add(&view);
    }
    verdict.exit_code()
}

/// What the run's exit code depends on, gathered file by file.
struct Verdict {
    threshold: Option<Level>,
    new_only: bool,
    invalid: bool,
    failing: bool,
}

impl Verdict {
    fn new(args: &CheckArgs) -> Self {
        let threshold = match args.fail_on {
            FailOn::Error => Some(Level::Error),
            FailOn::Warning => Some(Level::Warning),
            FailOn::Advice => Some(Level::Advice),
            FailOn::Never => None,
        };
        Verdict {
            threshold,
            new_only: args.new_only,
            invalid: false,
            failing: false,
        }
    }

    fn add(&mut self, view: &report::FileView<'_>) {
        self.invalid |= view.invalid();
        // With --new-only, findings already in the baseline do not block.
        self.failing |= self.threshold.is_some_and(|threshold| {
            view.findings.iter().any(|finding| {
                finding.level.is_some_and(|level| level >= threshold)
                    && !(self.new_only && finding.baseline == Some(report::BaselineState::Existing))
            })
        });
    }

    /// 2 for invalid input, 1 for findings at or above `--fail-on`, else 0.
    fn exit_code(&self) -> ExitCode {
        if self.invalid {
            ExitCode::from(2)
        } else if self.failing {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Checks and writes every report one file at a time, so that memory does not grow with the
/// number of files. `None` when all went well (the exit code is then the verdict's).
#[allow(
    clippy::too_many_arguments,
    reason = "one call site, the steps of `check`"
)]
fn check_streaming(
    args: &CheckArgs,
    reports: &[(Format, PathBuf)],
    items: Vec<batch::Item>,
    inputs: &[PathBuf],
    set: &RuleSet,
    options: &BatchOptions,
    jobs: std::num::NonZeroUsize,
    progress: &Progress,
    style: &report::Style,
    file_style: &report::Style,
    verdict: &mut Verdict,
) -> Option<ExitCode> {
    let mut sinks = Vec::new();
    let targets = std::iter::once((args.format, args.output.as_deref(), style)).chain(
        reports
            .iter()
            .map(|(format, path)| (*format, Some(path.as_path()), file_style)),
    );
    for (format, output, style) in targets {
        let mut sink = match Sink::open(output, inputs) {
            Ok(sink) => sink,
            Err(code) => return Some(code),
        };
        // `streams` was checked for every format before.
        let Some(stream) = report::Stream::new(format, set, style) else {
            return Some(ExitCode::from(2));
        };
        let written = stream.begin(sink.writer());
        if let Err(code) = sink.check(written) {
            return Some(code);
        }
        sinks.push((sink, stream));
    }
    let result = batch::check_in_order(items, set, options, jobs, &|| progress.tick(), |file| {
        let views = report::views(std::slice::from_ref(&file), set, style.baseline.as_deref());
        progress.suspend(|| {
            for view in &views {
                verdict.add(view);
                for (sink, stream) in &mut sinks {
                    let written = stream.file(view, sink.writer());
                    sink.check(written)?;
                }
            }
            Ok(())
        })
    });
    match result {
        Ok(()) => {}
        Err(batch::InOrderError::Pool(error)) => {
            eprintln!("error: cannot start {jobs} threads: {error}");
            return Some(ExitCode::from(2));
        }
        Err(batch::InOrderError::Each(code)) => return Some(code),
    }
    for (mut sink, stream) in sinks {
        let written = stream.finish(sink.writer());
        if let Err(code) = sink.check(written) {
            return Some(code);
        }
        if let Err(code) = sink.commit() {
            return Some(code);
        }
    }
    None
}

/// A progress bar on standard error for long runs: more than [`Progress::MANY`] files, or
/// still running after [`Progress::AFTER`]. Only for people watching a terminal: never when
/// standard error is not a terminal, under CI (`CI` set), or with a machine format.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    shown: AtomicBool,
    start: Instant,
}

impl Progress {
    /// Runs with more files than this show the bar from the start.
    const MANY: usize = 200;
    /// Shorter runs show it once they have taken this long.
    const AFTER: Duration = Duration::from_secs(1);

    fn new(files: usize, format: Format) -> Self {
        let human = matches!(format, Format::Human | Format::Plain);
        let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
        let wanted = human && !ci && files > 1 && std::io::stderr().is_terminal();
        let bar = wanted.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(files as u64),
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files, {per_sec}, {eta} left",
            ) {
                bar.set_style(style);
            }
            bar
        });
        let progress = Progress {
            bar,
            shown: AtomicBool::new(false),
            start: Instant::now(),
        };
        if files > Self::MANY {
            progress.show();
        }
        progress
    }

    fn show(&self) {
        if let Some(bar) = &self.bar
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    /// One more file checked (called from the checking threads).
    fn tick(&self) {
        if let Some(bar) = &self.bar {
            if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= Self::AFTER {
                self.show();
            }
            bar.inc(1);
        }
    }

    /// Removes the bar before the report is printed.
    fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Runs `write` with the bar hidden, so that a report streamed to the same terminal does not
    /// mix with it.
    fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }
}

/// Writes `text` to standard output, or atomically to `output` (never over an input file).
fn emit(text: &str, output: Option<&Path>, inputs: &[PathBuf]) -> ExitCode {
    emit_with(output, inputs, |out| out.write_all(text.as_bytes()))
}

/// Like [`emit`], for output written piece by piece by `write`.
fn emit_with(
    output: Option<&Path>,
    inputs: &[PathBuf],
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> ExitCode {
    let mut sink = match Sink::open(output, inputs) {
        Ok(sink) => sink,
        Err(code) => return code,
    };
    let written = write(sink.writer());
    match sink.check(written).and_then(|()| sink.commit()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Where a report goes while it is written: standard output, or a file written atomically.
enum Sink {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    File(AtomicFile),
}

impl Sink {
    /// Standard output, or `output` unless it is one of the inputs (exit code 2, said why).
    fn open(output: Option<&Path>, inputs: &[PathBuf]) -> Result<Sink, ExitCode> {
        let Some(output) = output else {
            return Ok(Sink::Stdout(std::io::BufWriter::new(
                std::io::stdout().lock(),
            )));
        };
        if let Ok(target) = output.canonicalize()
            && inputs
                .iter()
                .any(|input| input.canonicalize().is_ok_and(|input| input == target))
        {
            eprintln!(
                "error: `{}` is one of the input files; refusing to overwrite it",
                output.display()
            );
            return Err(ExitCode::from(2));
        }
        AtomicFile::create(output)
            .map(Sink::File)
            .map_err(|error| Self::cannot_write(output, &error))
    }

    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(stdout) => stdout,
            Sink::File(file) => &mut file.writer,
        }
    }

    /// The result of a write: errors on standard output are ignored (a closed pipe, as with
    /// `| head`, is not worth reporting); on a file they stop the run with exit code 2.
    fn check(&self, written: std::io::Result<()>) -> Result<(), ExitCode> {
        match (self, written) {
            (_, Ok(())) | (Sink::Stdout(_), Err(_)) => Ok(()),
            (Sink::File(file), Err(error)) => Err(Self::cannot_write(&file.path, &error)),
        }
    }

    fn cannot_write(path: &Path, error: &std::io::Error) -> ExitCode {
        eprintln!("error: cannot write `{}`: {error}", path.display());
        ExitCode::from(2)
    }

    /// Finishes the output: flushes standard output, or renames the file into place.
    fn commit(self) -> Result<(), ExitCode> {
        match self {
            Sink::Stdout(mut stdout) => {
                let _ = stdout.flush();
                Ok(())
            }
            Sink::File(file) => {
                let path = file.path.clone();
                file.commit()
                    .map_err(|error| Self::cannot_write(&path, &error))
            }
        }
    }
}

/// A file written to a temporary file beside it and renamed over it when complete, so a reader
/// never sees a half-written report. Dropped uncommitted, the temporary file is removed.
struct AtomicFile {
    path: PathBuf,
    temporary: PathBuf,
    writer: std::io::BufWriter<std::fs::File>,
    committed: bool,
}

impl AtomicFile {
    fn create(path: &Path) -> std::io::Result<AtomicFile> {
        // Distinct per file of one run: two reports may be written at once.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().map_or_else(
            || "report".into(),
            |name| name.to_string_lossy().into_owned(),
        );
        let serial = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temporary = dir.join(format!(".{name}.{}.{serial}.tmp", std::process::id()));
        let writer = std::io::BufWriter::new(std::fs::File::create(&temporary)?);
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temporary,
            writer,
            committed: false,
        })
    }

    fn commit(mut self) -> std::io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        std::fs::rename(&self.temporary, &self.path)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}

/// Writes to a temporary file beside `path`, then renames it over `path`, so a reader never
/// sees a half-written report.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.writer.write_all(bytes)?;
    file.commit()
}

fn explain(args: &ExplainArgs) -> ExitCode {
    let loaded = match load_rules(&args.rules.options(), args.lang) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    match crate::explain::explain(&loaded.set, loaded.corpus(), &args.rule, args.lang) {
        Ok(text) => emit(&text, None, &[]),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The rule paths `rules lint/test` use when none are given: `rules/` in the current directory.
fn default_rule_paths(paths: &[PathBuf]) -> (Vec<PathBuf>, bool) {
    if !paths.is_empty() {
        return (paths.to_vec(), true);
    }
    let local = PathBuf::from("rules");
    if local.is_dir() {
        (vec![local], true)
    } else {
        (Vec::new(), false)
    }
}

/// What `rules lint/coverage/test` load: the given packs (or `./rules`) beside the built-in ones.
fn pack_options(paths: &[PathBuf], sources: Vec<PathBuf>, lint: bool) -> RuleOptions {
    let (paths, _) = default_rule_paths(paths);
    RuleOptions {
        no_builtin: false,
        paths,
        sources,
        builtin_dir: None,
        lint,
    }
}

fn rules(command: RulesCommand) -> ExitCode {
    match command {
        RulesCommand::List {
            source,
            domain,
            format,
            lang,
            rules,
        } => {
            let loaded = match load_rules(&rules.options(), lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let text = list(
                &loaded.set,
                source.as_deref(),
                domain.as_deref(),
                format,
                lang,
            );
            emit(&text, None, &[])
        }
        RulesCommand::Lint {
            paths,
            lang,
            sources,
        } => {
            let options = pack_options(&paths, sources, true);
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let style = style(lang, Color::Auto, std::io::stdout().is_terminal());
            let mut out = String::new();
            for warning in &loaded.warnings {
                report::human::diagnostic(&mut out, warning, &style);
            }
            let (packs, rules) = (loaded.set.packs.len(), loaded.set.rules.len());
            let warnings = loaded.warnings.len();
            out.push_str(&match lang {
                Lang::Zh => {
                    format!("{packs} 个规则包,{rules} 条规则和目标:没有错误,{warnings} 个警告\n")
                }
                Lang::En => format!(
                    "{packs} packs, {rules} rules and targets: no errors, {warnings} warning{}\n",
                    if warnings == 1 { "" } else { "s" }
                ),
            });
            emit(&out, None, &[])
        }
        RulesCommand::Coverage {
            source,
            format,
            lang,
            paths,
            sources,
        } => {
            let options = pack_options(&paths, sources, false);
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let coverage =
                crate::coverage::coverage(&loaded.set, loaded.corpus(), lang, source.as_deref());
            let text = match format {
                CoverageFormat::Table => crate::coverage::table(&coverage, lang, true),
                CoverageFormat::Markdown => crate::coverage::markdown(&coverage, lang),
                CoverageFormat::Json => format!(
                    "{}\n",
                    serde_json::to_string_pretty(&coverage).unwrap_or_default()
                ),
            };
            let code = emit(&text, None, &[]);
            if code != ExitCode::SUCCESS {
                return code;
            }
            // Unclassified items are unfinished work: say so in the exit code, as tests do.
            if coverage.iter().any(|source| source.unclassified > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        RulesCommand::Test {
            paths,
            lang,
            sources,
        } => {
            // Without paths: the packs in `./rules` if there is one, else the built-in packs.
            let options = pack_options(&paths, sources, false);
            let loaded = match load_rules(&options, lang) {
                Ok(loaded) => loaded,
                Err(code) => return code,
            };
            let set = &loaded.set;
            // The packs given on the command line, or the built-in ones when none are.
            let only_given = !options.paths.is_empty();
            let runs = crate::rules::testing::run_all(set, |pack| {
                let from_file = set.packs.get(pack).is_some_and(|pack| !pack.builtin);
                (from_file || !only_given)
                    .then(|| crate::rules::testing::fixtures_of(set, pack))
                    .flatten()
            });
            let mut out = String::new();
            let mut failed = 0;
            for run in &runs {
                let status = match &run.failure {
                    None => "ok".to_owned(),
                    Some(failure) => {
                        failed += 1;
                        format!("FAILED: {}", failure.get(lang))
                    }
                };
                out.push_str(&format!(
                    "test {} {} {} ... {status}\n",
                    run.rule,
                    run.expect.as_str(),
                    run.fixture
                ));
            }
            let passed = runs.len() - failed;
            let verdict = if failed == 0 { "ok" } else { "FAILED" };
            out.push_str(&format!(
                "\ntest result: {verdict}. {passed} passed; {failed} failed\n"
            ));
            let code = emit(&out, None, &[]);
            if code != ExitCode::SUCCESS {
                return code;
            }
            if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
    }
}

fn list(
    set: &RuleSet,
    source: Option<&str>,
    domain: Option<&str>,
    format: ListFormat,
    lang: Lang,
) -> String {
    let rules: Vec<_> = set
        .rules
        .iter()
        .filter(|rule| source.is_none_or(|source| rule.cite.source == source))
        .filter(|rule| domain.is_none_or(|domain| rule.domain.as_str() == domain))
        .collect();
    match format {
        ListFormat::Json => {
            let items: Vec<serde_json::Value> = rules
                .iter()
                .map(|rule| {
                    serde_json::json!({
                        "id": rule.id,
                        "kind": if matches!(rule.check, crate::rules::ir::Check::Target(_)) { "target" } else { "rule" },
                        "pack": set.packs.get(rule.pack).map(|pack| pack.id.as_str()),
                        "title": rule.title.get(lang),
                        "domain": rule.domain,
                        "strength": rule.strength,
                        "source": rule.cite.source,
                        "clause": rule.cite.clause,
                        "quote": rule.cite.quote,
                    })
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&items).unwrap_or_default()
            )
        }
        ListFormat::Table => {
            let mut out = String::new();
            for rule in rules {
                out.push_str(&format!(
                    "{:<10} {:<7} {:<12} {:>4} {}\n",
                    rule.id,
                    rule.strength.as_str(),
                    rule.domain.as_str(),
                    format!("§{}", rule.cite.clause),
                    rule.title.get(lang)
                ));
            }
            out
        }
    }
}
