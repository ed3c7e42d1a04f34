//! The command line: parses arguments, calls the library, prints, and maps results to exit
//! codes (0: nothing at or above `--fail-on`; 1: findings at or above it; 2: invalid input,
//! rules or command line). It decides nothing about projects or rules itself.

// Messages to standard error go through these rather than `eprint!`, which panics when
// standard error cannot be written (`2>/dev/full`, a closed pipe): there is nowhere left to say
// anything, and the exit code already says the run failed.
macro_rules! stderr_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod check;
mod rules;
#[cfg(feature = "serve")]
mod serve;

use std::io::IsTerminal;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::base::diagnostic::Diagnostic;
use crate::base::i18n::Lang;
use crate::engine::eval::{MAX_STEP_BUDGET, STEP_BUDGET};
use crate::engine::force::{Drafts, Lapsed};
use crate::project::LoadLimits;
use crate::report::{self, Format, Style};
use crate::rules::load::{self, Loaded, RuleOptions};
use crate::run::output;
#[cfg(feature = "serve")]
use serve::ServeArgs;

/// `yimi serve`'s options in a build without it: whatever is given, the command says it was
/// left out.
#[cfg(not(feature = "serve"))]
#[derive(Debug, clap::Args)]
struct ServeArgs {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    args: Vec<String>,
}

/// yimi — 儿童影响评价合规检查 / compliance checker for children's impact assessment.
#[derive(Debug, Parser)]
#[command(name = "yimi", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

// The command line of `yimi check …` alone: `Cli` with its other subcommands left out, so that
// the command a CI job runs for each file does not build them (building every subcommand's
// options and dropping them again was about a third of process start, 0.32 M of 0.89 M
// instructions). Its attributes and documentation (clap's `about`) are `Cli`'s; a test compares
// what both print.
/// yimi — 儿童影响评价合规检查 / compliance checker for children's impact assessment.
#[derive(Debug, Parser)]
#[command(name = "yimi", version, about, long_about = None, propagate_version = true)]
struct CheckOnly {
    #[command(subcommand)]
    command: CheckCommand,
}

#[derive(Debug, Subcommand)]
enum CheckCommand {
    /// Check project files against the rules that apply to their jurisdiction.
    Check(CheckArgs),
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
    /// Serve a local web workbench: check submissions, fill in projects, browse the rules.
    Serve(ServeArgs),
    /// Print the JSON Schema of the project file (or, with `--report`, of the JSON report).
    Schema {
        /// Print the schema of `yimi check --format json` instead of the project file's.
        #[arg(long)]
        report: bool,
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
    /// Run the language server on standard input and output (for editors; see the README).
    Lsp,
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
            replace_builtin: false,
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
    /// Output format; without it, the one the `-o` file's extension names (`.html`, `.md`,
    /// `.json`, `.sarif`, `.xml` for junit, `.docx`), else human.
    #[arg(long, value_enum)]
    format: Option<Format>,
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
    /// What the waivers a project file states itself (项目文件自带的豁免) do: apply (the
    /// default), ignore (they waive nothing, and the report says so once per file) or refuse
    /// (the file is invalid input, exit 2). For gates where the submitter is not the authority
    /// that grants exceptions: waivers then come from `--waivers FILE` only.
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = crate::engine::waivers::InlineWaivers::Apply)]
    inline_waivers: crate::engine::waivers::InlineWaivers,
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
    /// The date to judge a file at when it states no `project.decision_date`: the sources in
    /// force and the waivers valid then (default: today; `--today` is an older name).
    #[arg(long, visible_alias = "today", value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// What drafts (征求意见稿) do: advise, bind (for an office that has adopted one), or nothing.
    #[arg(long, value_enum, default_value_t = Drafts::Advisory)]
    drafts: Drafts,
    /// What plans past their stated period do: advise, or still bind (for an office that keeps
    /// applying them).
    #[arg(long, value_enum, default_value_t = Lapsed::Advisory)]
    lapsed: Lapsed,
    /// Largest project or waivers file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = LoadLimits::default().max_bytes, value_parser = parse_limit::<u64>)]
    max_file_size: u64,
    /// Deepest nesting of lists and mappings in a project file; at most 1000.
    #[arg(long, value_name = "N", default_value_t = LoadLimits::default().yaml.max_depth, value_parser = parse_max_depth)]
    max_depth: usize,
    /// Most values in a project file, counting every expansion of an alias.
    #[arg(long, value_name = "N", default_value_t = LoadLimits::default().yaml.max_nodes, value_parser = parse_limit::<usize>)]
    max_values: usize,
    /// Most project files found under the given directories; past it nothing is checked.
    #[arg(long, value_name = "N", default_value_t = crate::base::walk::DEFAULT_MAX_FILES, value_parser = parse_limit::<usize>)]
    max_files: usize,
    /// Most list elements one rule may visit on one file before it is left undecided (a rule
    /// comparing the items of a long list in pairs); at most 10^12.
    #[arg(long, value_name = "N", default_value_t = STEP_BUDGET, value_parser = parse_max_steps)]
    max_steps: u64,
    /// Files checked at once (threads); default: the cores available. Never more than the
    /// files to check, nor more than 256.
    #[arg(short = 'j', long, value_name = "N", value_parser = parse_jobs)]
    jobs: Option<NonZeroUsize>,
    #[command(flatten)]
    rules: RuleArgs,
}

/// A limit (`--max-files N`, `--max-file-size BYTES`…): a whole number of at least 1. A limit of
/// 0 is no setting anyone means: it refuses every file (`--max-files 0` said "more than 0
/// files" of any folder), so it is refused with the flag, as `--max-steps 0` and `--jobs 0` are.
fn parse_limit<T: Limit>(text: &str) -> Result<T, String> {
    let too_large = || {
        format!(
            "`{}` is too large; the largest limit is {}",
            shown_argument(text),
            T::LARGEST
        )
    };
    match text.parse::<u64>() {
        Ok(0) => Err("a limit must be at least 1 (`0` would allow nothing)".to_owned()),
        Ok(limit) => T::try_from(limit).map_err(|_| too_large()),
        Err(error) if *error.kind() == std::num::IntErrorKind::PosOverflow => Err(too_large()),
        Err(_) => Err(format!(
            "`{}` is not a whole number; a limit must be at least 1",
            shown_argument(text)
        )),
    }
}

/// A type a limit is held in, and the largest limit it holds.
trait Limit: TryFrom<u64> {
    const LARGEST: u64;
}

impl Limit for u64 {
    const LARGEST: u64 = u64::MAX;
}

impl Limit for usize {
    // `usize` is never wider than 64 bits on the platforms Rust supports.
    #[allow(clippy::cast_possible_truncation)]
    const LARGEST: u64 = if usize::BITS >= u64::BITS {
        u64::MAX
    } else {
        usize::MAX as u64
    };
}

/// A limit held as a `NonZeroUsize` (`--concurrent-checks N`), read as [`parse_limit`] reads any.
#[cfg(feature = "serve")]
fn parse_count(text: &str) -> Result<NonZeroUsize, String> {
    parse_limit::<usize>(text).and_then(|count| {
        NonZeroUsize::new(count).ok_or_else(|| "a limit must be at least 1".to_owned())
    })
}

/// `--max-steps N`: a whole number of list elements, from 1 to [`MAX_STEP_BUDGET`].
fn parse_max_steps(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(steps) if (1..=MAX_STEP_BUDGET).contains(&steps) => Ok(steps),
        _ => Err(format!(
            "`{}` is not a number of list elements from 1 to {MAX_STEP_BUDGET}",
            shown_argument(text)
        )),
    }
}

/// `--max-depth N`: a whole number of levels, from 1 to [`MAX_DEPTH_LIMIT`](crate::project::yaml::MAX_DEPTH_LIMIT).
/// A deeper limit is refused as too large, naming the largest (a tree nested deeper would
/// overflow the stack of the thread that frees it); below 1 or not a number as any limit is.
fn parse_max_depth(text: &str) -> Result<usize, String> {
    use crate::project::yaml::MAX_DEPTH_LIMIT;
    let too_large = || {
        format!(
            "`{}` is too large; the largest nesting limit is {MAX_DEPTH_LIMIT} (a tree nested deeper would overflow the stack)",
            shown_argument(text)
        )
    };
    match text.parse::<u64>() {
        Ok(depth) if depth > MAX_DEPTH_LIMIT as u64 => Err(too_large()),
        Err(error) if *error.kind() == std::num::IntErrorKind::PosOverflow => Err(too_large()),
        _ => parse_limit::<usize>(text),
    }
}

/// `--jobs N`: a whole number of threads, at least 1.
fn parse_jobs(text: &str) -> Result<NonZeroUsize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("`--jobs 0` would check nothing; give at least 1 thread".to_owned()),
        Ok(jobs) => NonZeroUsize::new(jobs).ok_or_else(|| "at least 1".to_owned()),
        Err(_) => Err(format!(
            "`{}` is not a number of threads such as 4",
            shown_argument(text)
        )),
    }
}

/// The most bytes of one argument quoted in a message; a longer one is shown by its start and
/// end.
const MAX_SHOWN_ARGUMENT_BYTES: usize = 200;

/// An argument as a message quotes it: clipped to [`MAX_SHOWN_ARGUMENT_BYTES`] and made safe for
/// one line of a terminal or a CI log, since arguments may come from anywhere a job is configured.
fn shown_argument(text: &str) -> String {
    let clipped = if text.len() <= MAX_SHOWN_ARGUMENT_BYTES {
        std::borrow::Cow::Borrowed(text)
    } else {
        let mut head = MAX_SHOWN_ARGUMENT_BYTES * 3 / 4;
        while !text.is_char_boundary(head) {
            head -= 1;
        }
        let mut tail = text.len() - MAX_SHOWN_ARGUMENT_BYTES / 4;
        while !text.is_char_boundary(tail) {
            tail += 1;
        }
        std::borrow::Cow::Owned(format!(
            "{}…{}",
            text.get(..head).unwrap_or_default(),
            text.get(tail..).unwrap_or_default()
        ))
    };
    report::escape::terminal_line(&clipped).into_owned()
}

/// Parses the command line. clap's own messages quote the argument they refuse as it was given:
/// a value holding a line break or a terminal escape would reach the terminal, or start a line
/// a CI runner reads as a command, and a long one would be echoed whole. So a refused command
/// line is reported here, each such argument shown by [`shown_argument`].
fn parse_command_line(stdout_closed: bool) -> Result<Cli, ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let parsed = if args.get(1).is_some_and(|command| command == "check") {
        parse_leaked::<CheckOnly>(&args).map(|parsed| {
            let CheckCommand::Check(args) = parsed.command;
            Cli {
                command: Command::Check(args),
            }
        })
    } else {
        parse_leaked::<Cli>(&args)
    };
    match parsed {
        Ok(cli) => Ok(cli),
        // `--help` and `--version`: printed as clap prints them, with no argument quoted.
        // A help or version text that cannot be written is a failed write like any other (exit 2).
        Err(error) if !error.use_stderr() => {
            use std::io::Write as _;
            if stdout_closed {
                return Err(refuse_closed_stdout(Lang::En, false));
            }
            match error.print().and_then(|()| std::io::stdout().flush()) {
                Ok(()) => Err(ExitCode::SUCCESS),
                Err(_) => Err(ExitCode::from(2)),
            }
        }
        Err(error) => {
            let rendered = error.render().ansi().to_string();
            stderr_text!("{}", refused_command_line(&rendered, &args));
            Err(ExitCode::from(2))
        }
    }
}

/// Parses `args` as `T::try_parse_from` does, without dropping the command tree and the matches
/// afterwards: they would be freed just before the process ends, which frees everything anyway.
fn parse_leaked<T: Parser>(args: &[std::ffi::OsString]) -> Result<T, clap::Error> {
    let mut command = T::command();
    let parsed = command
        .try_get_matches_from_mut(args)
        .and_then(|mut matches| {
            let parsed = T::from_arg_matches_mut(&mut matches);
            std::mem::forget(matches);
            // As `try_parse_from` formats such an error (clap's `format_error`).
            parsed.map_err(|error| error.format(&mut T::command()))
        });
    std::mem::forget(command);
    parsed
}

/// clap's message `rendered` (with its colour codes) with every argument of `args` that is long
/// or holds a hidden character shown by [`shown_argument`], then without colour codes: what is
/// left of them is clap's, since no argument quoted raw remains.
fn refused_command_line(rendered: &str, args: &[std::ffi::OsString]) -> String {
    let needs_showing = |text: &str| {
        text.len() > MAX_SHOWN_ARGUMENT_BYTES || text.chars().any(report::escape::is_hidden)
    };
    let mut quoted: Vec<String> = Vec::new();
    for arg in args.iter().skip(1) {
        let arg = arg.to_string_lossy();
        // clap quotes an option's value on its own: after `=`, or after a short option's letter.
        let value = arg.split_once('=').map(|(_, value)| value);
        let short = arg
            .strip_prefix('-')
            .filter(|rest| !rest.starts_with('-'))
            .and_then(|rest| rest.get(1..));
        for part in [Some(arg.as_ref()), value, short].into_iter().flatten() {
            if !part.is_empty() && needs_showing(part) {
                quoted.push(part.to_owned());
            }
        }
    }
    // The longest first, so that a value is not replaced inside the argument that holds it.
    quoted.sort_by_key(|part| std::cmp::Reverse(part.len()));
    let mut message = rendered.to_owned();
    for part in &quoted {
        if message.contains(part.as_str()) {
            message = message.replace(part.as_str(), &shown_argument(part));
        }
    }
    without_colour_codes(&message)
}

/// `text` without the ANSI colour sequences (`ESC [ … final byte`) clap styles its messages with.
fn without_colour_codes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for next in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&next) {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    report::escape::terminal_text(&out).into_owned()
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
        /// Rule files or directories to list beside the built-in packs (`--rules PATH` is the
        /// older form and still works).
        paths: Vec<PathBuf>,
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
        /// Rule files or directories. With none: `rules/` if present, else the built-in packs,
        /// and every source is listed (as `rules/ --all`). Given, only the sources their own
        /// packs cite are listed.
        paths: Vec<PathBuf>,
        /// With paths: list the built-in packs' sources too.
        #[arg(long)]
        all: bool,
        /// Extra source directories.
        #[arg(long = "sources", value_name = "DIR")]
        sources: Vec<PathBuf>,
    },
    /// Start a local pack: its header, an example rule and the rule's fixtures.
    New {
        /// The source the pack encodes (registered, or given with `--sources`).
        #[arg(long)]
        source: String,
        /// Where the pack applies, e.g. `CN/SH/Pudong`.
        #[arg(long)]
        jurisdiction: String,
        /// The pack's id (default: the source's id, or with the jurisdiction's last part when a
        /// built-in pack has that id).
        #[arg(long)]
        id: Option<String>,
        /// The directory to write to (default: `rules/`).
        dir: Option<PathBuf>,
        /// Extra source directories.
        #[arg(long = "sources", value_name = "DIR")]
        sources: Vec<PathBuf>,
        /// Language.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
    },
    /// Lay out rule packs in the canonical form (comments kept), in place.
    Fmt {
        /// Only check: print what would change as a diff and exit with 1 if anything would.
        #[arg(long)]
        check: bool,
        /// Rule files or directories (default: `rules/`).
        paths: Vec<PathBuf>,
        /// Language.
        #[arg(long, value_enum, default_value_t = Lang::Zh)]
        lang: Lang,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    /// One rule per line.
    Table,
    /// JSON.
    Json,
}

/// Exit code 2 for a command whose part was left out of this build.
#[cfg(not(all(feature = "serve", feature = "lsp", feature = "docx")))]
fn left_out(feature: &str, what: &str) -> ExitCode {
    refuse(&format!(
        "{what} is not in this build of yimi: it was built without the `{feature}` feature (build with `cargo build --features {feature}`, or with the default features)"
    ))
}

/// Runs the command line.
pub fn run() -> ExitCode {
    output::write_errors_not_signals();
    let stdout_closed = stdout_closed();
    let cli = match parse_command_line(stdout_closed) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    if stdout_closed && let Some((lang, has_output_flag)) = writes_to_stdout(&cli.command) {
        return refuse_closed_stdout(lang, has_output_flag);
    }
    match cli.command {
        Command::Check(args) => check::check(&args),
        Command::Explain(args) => rules::explain(&args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::serve(&args),
        #[cfg(not(feature = "serve"))]
        Command::Serve(_) => left_out("serve", "`yimi serve`"),
        Command::Rules { command } => rules::rules(command),
        Command::Schema { report, output } => {
            let text = if report {
                crate::report::json::schema_text()
            } else {
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(crate::project::types::project_schema())
                        .unwrap_or_default()
                )
            };
            emit_in(DEFAULT_LANG, &text, output.as_deref(), &[])
        }
        Command::Init { kind, lang } => match crate::authoring::template::template(&kind, lang) {
            Some(text) => emit_in(lang, &text, None, &[]),
            None => {
                let kinds = crate::authoring::template::kinds().join(", ");
                let suggestion =
                    crate::base::suggest::did_you_mean(&kind, crate::authoring::template::kinds())
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                let code = refuse(&format!("unknown kind `{kind}`{suggestion}"));
                stderr_line!("  kinds: {kinds}");
                code
            }
        },
        #[cfg(feature = "lsp")]
        Command::Lsp => match crate::lsp::serve_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => refuse(&error),
        },
        #[cfg(not(feature = "lsp"))]
        Command::Lsp => left_out("lsp", "`yimi lsp`"),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut buffer = Vec::new();
            clap_complete::generate(shell, &mut command, "yimi", &mut buffer);
            emit_in(DEFAULT_LANG, &String::from_utf8_lossy(&buffer), None, &[])
        }
    }
}

/// Whether standard output was closed when yimi started (`yimi check x.yaml >&-`). Rust's
/// runtime opens `/dev/null` read-write on a closed standard stream before `main`, so a report
/// written there vanished and the run exited 0, a green gate with no report (hostile review 9
/// R7). A shell's `> /dev/null` opens it write-only: standard output that is `/dev/null` and can
/// be read from is taken as the runtime's stand-in for a closed one (and so is `1<> /dev/null`,
/// which no one writes to discard output). Where the runtime leaves the descriptor closed,
/// duplicating it fails with EBADF.
#[cfg(unix)]
fn stdout_closed() -> bool {
    use std::os::fd::AsFd as _;
    use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _};
    /// EBADF, the same on Linux, macOS and the BSDs.
    const EBADF: i32 = 9;
    let fd = match std::io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => fd,
        Err(error) => return error.raw_os_error() == Some(EBADF),
    };
    let mut file = std::fs::File::from(fd);
    let (Ok(metadata), Ok(null)) = (file.metadata(), std::fs::metadata("/dev/null")) else {
        return false;
    };
    if !metadata.file_type().is_char_device() || metadata.rdev() != null.rdev() {
        return false;
    }
    // Reading `/dev/null` has no effect; it fails (EBADF) on a descriptor opened write-only.
    matches!(std::io::Read::read(&mut file, &mut [0_u8; 1]), Ok(0))
}

/// Elsewhere a closed standard output is not told apart.
#[cfg(not(unix))]
fn stdout_closed() -> bool {
    false
}

/// Whether `command` writes what it produces to standard output: then the language of its
/// messages, and whether it has `-o FILE` to write elsewhere. `serve` prints only its address
/// (a server is often started with standard output closed or on `/dev/null`), `check -o`,
/// `schema -o` and `rules fmt` without `--check` print nothing there.
fn writes_to_stdout(command: &Command) -> Option<(Lang, bool)> {
    match command {
        Command::Check(args) => args.output.is_none().then_some((args.lang, true)),
        Command::Explain(args) => Some((args.lang, false)),
        Command::Serve(_) => None,
        // A command without `--lang` speaks the default language of those with one.
        Command::Schema { output, .. } => output.is_none().then_some((DEFAULT_LANG, true)),
        Command::Init { lang, .. } => Some((*lang, false)),
        Command::Lsp | Command::Completions { .. } => Some((DEFAULT_LANG, false)),
        Command::Rules { command } => match command {
            RulesCommand::Fmt { check: false, .. } => None,
            RulesCommand::List { lang, .. }
            | RulesCommand::Lint { lang, .. }
            | RulesCommand::Coverage { lang, .. }
            | RulesCommand::New { lang, .. }
            | RulesCommand::Fmt { lang, .. }
            | RulesCommand::Test { lang, .. } => Some((*lang, false)),
        },
    }
}

/// Refuses to run with standard output closed: what the command prints would go nowhere, and
/// its exit code would speak for a report no one can read. Exit code 2.
fn refuse_closed_stdout(lang: Lang, has_output_flag: bool) -> ExitCode {
    let message = if has_output_flag {
        crate::tr!(
            "标准输出已关闭(如 `>&-`),报告无处可写:请把标准输出重定向到文件,或用 `-o FILE` 写入文件;要丢弃输出,请写 `> /dev/null`",
            "standard output is closed (as by `>&-`), so the report would go nowhere: redirect standard output to a file, or give `-o FILE`; to discard it, write `> /dev/null`"
        )
    } else {
        crate::tr!(
            "标准输出已关闭(如 `>&-`),输出无处可写:请把标准输出重定向到文件;要丢弃输出,请写 `> /dev/null`",
            "standard output is closed (as by `>&-`), so the output would go nowhere: redirect standard output to a file; to discard it, write `> /dev/null`"
        )
    };
    refuse_in(lang, message.get(lang))
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
        medium: crate::base::diagnostic::Medium::CommandLine,
        naming: crate::report::baseline::Naming::AsGiven,
    }
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.parse().ok())
}

/// Prints diagnostics that stop the command (bad rules, bad arguments) to standard error.
fn fail_with(diagnostics: &[Diagnostic], lang: Lang) -> ExitCode {
    fail_as(diagnostics, lang, Shown::Human)
}

/// How errors and warnings outside the report (of rules, sources, waivers) are written: as the
/// report would be, so that `--format plain` has no box drawing anywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shown {
    Human,
    Plain,
}

impl Shown {
    fn of(format: Format) -> Shown {
        if format == Format::Plain {
            Shown::Plain
        } else {
            Shown::Human
        }
    }
}

/// Writes diagnostics to standard error as `shown` says.
fn write_diagnostics(diagnostics: &[Diagnostic], lang: Lang, shown: Shown) {
    let mut out = String::new();
    let items: Vec<&Diagnostic> = diagnostics.iter().collect();
    match shown {
        Shown::Plain => report::plain::diagnostics(&mut out, &items, lang),
        Shown::Human => {
            let style = style(lang, Color::Auto, std::io::stderr().is_terminal());
            report::human::diagnostics(&mut out, &items, false, &style);
        }
    }
    // Waivers files, rule packs and sources manifests are submitted files as projects are: no
    // line of theirs may carry a CI log command (hostile review 9 R6: `##vso[` in a waiver's
    // scope reached a plain log raw).
    let out = report::escape::ci_commands(report::escape::OutputKind::Terminal, &out);
    stderr_text!("{out}");
}

/// Writes the errors that stop the command, and gives exit code 2.
fn fail_as(diagnostics: &[Diagnostic], lang: Lang, shown: Shown) -> ExitCode {
    write_diagnostics(diagnostics, lang, shown);
    ExitCode::from(2)
}

fn load_rules(options: &RuleOptions, lang: Lang) -> Result<Loaded, ExitCode> {
    load_rules_as(options, lang, Shown::Human)
}

fn load_rules_as(options: &RuleOptions, lang: Lang, shown: Shown) -> Result<Loaded, ExitCode> {
    load::load(options).map_err(|errors| fail_as(&errors, lang, shown))
}

/// `FORMAT=PATH` of `--report`.
/// The format a report file's extension names, so that `-o report.html` without `--format`
/// writes HTML rather than the terminal's text into a file named `.html`.
fn format_of_extension(path: &std::path::Path) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "html" | "htm" => Some(Format::Html),
        "md" | "markdown" => Some(Format::Markdown),
        "json" => Some(Format::Json),
        "sarif" => Some(Format::Sarif),
        "xml" => Some(Format::Junit),
        "docx" => Some(Format::Docx),
        _ => None,
    }
}

fn parse_report(text: &str) -> Result<(Format, PathBuf), String> {
    let (format, path) = text.split_once('=').ok_or_else(|| {
        format!("`--report {text}`: expected FORMAT=PATH, e.g. `sarif=yimi.sarif`")
    })?;
    let format = <Format as ValueEnum>::from_str(format, true).map_err(|_| {
        let names: Vec<&str> = Format::value_variants()
            .iter()
            .map(|format| format.name())
            .collect();
        let suggestion = crate::base::suggest::did_you_mean(format, names.iter().copied())
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

/// Prints warnings (about rules, waivers) to standard error.
#[cfg(feature = "serve")]
fn print_warnings(warnings: &[Diagnostic], lang: Lang) {
    print_warnings_as(warnings, lang, Shown::Human);
}

/// Prints warnings (about rules, waivers) to standard error as `shown` says.
fn print_warnings_as(warnings: &[Diagnostic], lang: Lang, shown: Shown) {
    if !warnings.is_empty() {
        write_diagnostics(warnings, lang, shown);
    }
}

/// Writes `text` to standard output or to `output`; a failed write is exit code 2.
/// The language of the commands' messages when none is chosen (`--lang`'s default): that of a
/// command that has no `--lang` (`schema`, `completions`, `lsp` before its client chooses).
const DEFAULT_LANG: Lang = Lang::Zh;

/// Like [`emit`], saying a failure in `lang`.
fn emit_in(lang: Lang, text: &str, output: Option<&Path>, inputs: &[PathBuf]) -> ExitCode {
    match output::emit(text, output, inputs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => refuse_in(lang, error.text().get(lang)),
    }
}

fn emit(text: &str, output: Option<&Path>, inputs: &[PathBuf]) -> ExitCode {
    match output::emit(text, output, inputs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => refuse(&error.to_string()),
    }
}

/// Says why the command line is refused, on one line of standard error, and gives exit code 2.
/// Quoted input is shortened and made safe for a terminal, since arguments may come from
/// anywhere a CI job is configured.
/// Like [`refuse`], for a message given in `lang`: its label in the same language.
fn refuse_in(lang: Lang, message: &str) -> ExitCode {
    let clipped = report::snippet::clip_quoted(message);
    let label = crate::tr!("错误", "error");
    stderr_line!(
        "{}: {}",
        label.get(lang),
        report::escape::terminal_line(&clipped)
    );
    ExitCode::from(2)
}

fn refuse(message: &str) -> ExitCode {
    let clipped = report::snippet::clip_quoted(message);
    stderr_line!("error: {}", report::escape::terminal_line(&clipped));
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{CheckOnly, Cli};

    /// What clap prints for `args`: its help, version or error text, or what was parsed.
    fn printed<T: Parser + std::fmt::Debug>(args: &[&str]) -> String {
        match super::parse_leaked::<T>(&args.iter().map(Into::into).collect::<Vec<_>>()) {
            Ok(parsed) => format!("{parsed:?}"),
            Err(error) => format!("{:?} {}", error.kind(), error.render().ansi()),
        }
    }

    /// `yimi check …` parsed with the check subcommand alone prints and parses what the whole
    /// command line does: help, version, errors (with their suggestions), values.
    #[test]
    fn check_alone_parses_as_the_whole_command_line() {
        for args in [
            &["yimi", "check", "--help"][..],
            &["yimi", "check", "-h"],
            &["yimi", "check", "--version"],
            &["yimi", "check"],
            &["yimi", "check", "--bogus", "x.yaml"],
            &["yimi", "check", "--formt", "json", "x.yaml"],
            &["yimi", "check", "--format", "jsn", "x.yaml"],
            &["yimi", "check", "--jobs", "0", "x.yaml"],
            &["yimi", "check", "--max-files", "0", "x.yaml"],
            &[
                "yimi", "check", "x.yaml", "extra", "--lang", "en", "-j", "2",
            ],
            &[
                "yimi",
                "check",
                "--format",
                "sarif",
                "--report",
                "json=r.json",
                "dir/",
            ],
        ] {
            let whole = printed::<Cli>(args);
            let alone = printed::<CheckOnly>(args);
            // The parsed values are named by each tree's own types; their fields must agree.
            let alone = alone.replace("CheckOnly { command: Check(", "Cli { command: Check(");
            assert_eq!(alone, whole, "{args:?}");
        }
        // The help does say something (the comparison above is not between two empty texts).
        assert!(printed::<CheckOnly>(&["yimi", "check", "--help"]).contains("--max-steps"));
    }

    /// The trees agree on the check subcommand's whole definition, not only on what the
    /// arguments above touch.
    #[test]
    fn check_alone_defines_the_same_subcommand() {
        let render = |mut command: clap::Command| {
            command.build();
            let check = command.find_subcommand_mut("check").map(|check| {
                (
                    check.render_long_help().ansi().to_string(),
                    check.render_usage().ansi().to_string(),
                    check.render_version(),
                )
            });
            (
                command.get_name().to_owned(),
                command.get_about().map(ToString::to_string),
                check,
            )
        };
        assert_eq!(render(CheckOnly::command()), render(Cli::command()));
    }
}
