//! Baselines: the findings of an earlier JSON report, so that a new run can tell which findings
//! are new — for a CI gate where only new problems block, and for an official reviewing what
//! changed in a resubmission.

use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::i18n::Text;
use crate::base::read::{self, ReadError};
use crate::tr;

/// The fingerprints of an earlier report's findings, as numbers: a fingerprint is 32 hexadecimal
/// digits (see [`super::fingerprint`]), so 16 bytes each, sorted for lookup. Anything else in a
/// `fingerprint` can match no finding of this build and is not kept.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    fingerprints: Vec<u128>,
    /// The files it names as they were given to the run that wrote it (`files[].file`).
    names: NameSet,
    /// The files its fingerprints name (`files[].fingerprint_path`; a report of an earlier
    /// build has none): what a file of this run must be named to match any of them.
    fingerprint_names: NameSet,
    /// The folder the baseline file is in (its real path): a finding's file outside any git
    /// repository is named relative to it (see [`file_key`]). `None` for a baseline given as
    /// text: the working directory.
    folder: Option<PathBuf>,
}

// ---- A file's name in fingerprints ----
//
// A finding's fingerprint names its file by a path that does not depend on how the file was
// reached: through `..`, a linked folder, or from another working directory (hostile review 8
// F10: `det/sub/../`, a link to `det`, or `cd det` made every finding new). The file's real path
// (links resolved: the file was just read, so it exists) is taken relative to the root of the git
// repository it is in (the nearest folder above it holding `.git`), or, outside any repository,
// relative to the folder of the report: the JSON report being written (`-o`, `--report json=`;
// the working directory when it goes to standard output), and the baseline file being read. A
// baseline made in a repository matches wherever it is copied to (a CI job reads the base
// branch's into a temporary folder); one made elsewhere matches while it stays beside the files
// it was made from. Relative paths climb with `..` where they must; the separator is `/`.

/// How the fingerprints of a report name its files, carried by [`super::Style::naming`] rather
/// than set for the whole process, so that the library holds no global state a second run (a
/// test, a server) would inherit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Naming {
    /// As given, without `.` steps and repeated slashes: `yimi serve` and the language server,
    /// whose uploads and editor buffers are not paths on this machine (looking them up would
    /// let a client probe it).
    #[default]
    AsGiven,
    /// By their real paths (`yimi check`, which read them from the disk): relative to their
    /// repository's root, else to `folder`, the folder of the JSON report the run writes (`None`:
    /// the working directory). See [`file_key`].
    OnDisk {
        /// The JSON report's folder, as a real path.
        folder: Option<PathBuf>,
    },
}

impl Naming {
    /// Files named by their real paths, outside a repository relative to `report_folder` (the
    /// folder of the JSON report written; `None`: the working directory).
    pub fn on_disk(report_folder: Option<&Path>) -> Naming {
        Naming::OnDisk {
            folder: report_folder.map(real_or_lexical),
        }
    }

    /// How fingerprints name `file`.
    pub fn key(&self, file: &str) -> String {
        match self {
            Naming::OnDisk { folder } => file_key(file, folder.as_deref()),
            Naming::AsGiven => {
                let mut normal = PathBuf::new();
                for component in Path::new(file).components() {
                    if component != std::path::Component::CurDir {
                        normal.push(component);
                    }
                }
                normal.to_string_lossy().into_owned()
            }
        }
    }
}

/// File names, each as a number made from its path in normal form ([`name_number`]), sorted:
/// 8 bytes a file, whatever the path's length, at most [`MAX_NAMES`] of them.
#[derive(Clone, Debug, Default)]
struct NameSet {
    numbers: Vec<u64>,
    /// More than [`MAX_NAMES`] distinct names were given: which is not known, so any may be
    /// among them.
    too_many: bool,
    /// The first name, in backticks, shortened and escaped for a message.
    first: Option<String>,
}

impl NameSet {
    /// Keeps a name, once: repeats are dropped whenever the list is full, and past
    /// [`MAX_NAMES`] distinct ones none is kept (any name may then be among them).
    fn keep(&mut self, name: &str) {
        if self.first.is_none() {
            self.first = Some(super::snippet::clip_quoted(&format!("`{name}`")).into_owned());
        }
        if self.too_many {
            return;
        }
        if self.numbers.len() >= MAX_NAMES {
            self.numbers.sort_unstable();
            self.numbers.dedup();
            if self.numbers.len() > MAX_NAMES / 2 {
                self.too_many = true;
                self.numbers = Vec::new();
                return;
            }
        }
        self.numbers.push(name_number(name));
    }

    /// Sorted, for [`NameSet::holds`].
    fn finished(mut self) -> NameSet {
        self.numbers.sort_unstable();
        self.numbers.dedup();
        self.numbers.shrink_to_fit();
        self
    }

    fn is_empty(&self) -> bool {
        self.numbers.is_empty() && !self.too_many
    }

    /// Whether `name` may be among the names (in normal form).
    fn holds(&self, name: &str) -> bool {
        self.too_many || self.numbers.binary_search(&name_number(name)).is_ok()
    }
}

/// A file's name as a number: the first 64 bits of SHA-256 ([`super::digest_of_parts`], the
/// fingerprints' hash) over its path in normal form (no `.` steps, `..` taken back lexically, one
/// `/` between steps), so that `./det/x.yaml` and `det//x.yaml` are one. 64 bits are enough:
/// the number only tells whether a run names any file the baseline names, for a warning.
fn name_number(name: &str) -> u64 {
    let normal = normal_name(name);
    let (absolute, steps) = match normal.strip_prefix('/') {
        Some(steps) => ("/", steps),
        None => ("", normal.as_str()),
    };
    let digest = super::digest_of_parts(b"yimi-file-name-v1", &[absolute, steps]);
    let [a, b, c, d, e, f, g, h, ..] = digest;
    u64::from_le_bytes([a, b, c, d, e, f, g, h])
}

/// A path in normal form, as baselines compare file names and waivers' `file:` pins match them:
/// `/` between steps (a `\` too), no `.` steps or repeated separators, `..` taken back
/// lexically where it can be.
pub fn normal_name(name: &str) -> String {
    let mut steps: Vec<&str> = Vec::new();
    for step in name.split(['/', '\\']) {
        match step {
            "" | "." => {}
            ".." if steps.last().is_some_and(|last| *last != "..") => {
                steps.pop();
            }
            step => steps.push(step),
        }
    }
    let joined = steps.join("/");
    if name.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// The working directory, as a real path.
fn working_directory() -> Option<&'static Path> {
    static CURRENT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    CURRENT
        .get_or_init(|| {
            std::env::current_dir()
                .ok()
                .map(|dir| real_or_lexical(&dir))
        })
        .as_deref()
}

/// `path` made absolute against the working directory, with its links resolved when it exists,
/// else with its `.` and `..` resolved lexically.
fn real_or_lexical(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let joined;
    let path = if path.is_absolute() {
        path
    } else {
        match std::env::current_dir() {
            Ok(current) => {
                joined = current.join(path);
                &joined
            }
            Err(_) => path,
        }
    };
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// The root of the git repository (or work tree) `real` is in: the nearest folder above it
/// that holds `.git`. Looked up once per folder.
pub fn repository_root(real: &Path) -> Option<PathBuf> {
    thread_local! {
        static ROOTS: std::cell::RefCell<std::collections::HashMap<PathBuf, Option<PathBuf>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    let folder = real.parent()?;
    if let Some(known) = ROOTS.with(|roots| roots.borrow().get(folder).cloned()) {
        return known;
    }
    let root = folder
        .ancestors()
        .find(|ancestor| std::fs::symlink_metadata(ancestor.join(".git")).is_ok())
        .map(Path::to_path_buf);
    ROOTS.with(|roots| {
        let mut roots = roots.borrow_mut();
        // A run over many folders keeps its lookups bounded.
        if roots.len() > 4096 {
            roots.clear();
        }
        roots.insert(folder.to_path_buf(), root.clone());
    });
    root
}

/// `real` relative to `folder` (both absolute), climbing with `..`, joined with `/`.
fn relative_to(real: &Path, folder: &Path) -> String {
    let mut target = real.components().peekable();
    let mut base = folder.components().peekable();
    while let (Some(a), Some(b)) = (target.peek(), base.peek()) {
        if a != b {
            break;
        }
        target.next();
        base.next();
    }
    let steps: Vec<String> = base
        .map(|_| "..".to_owned())
        .chain(target.map(|part| part.as_os_str().to_string_lossy().into_owned()))
        .collect();
    steps.join("/")
}

/// How fingerprints name the file `file` (as the run was given it, relative to the working
/// directory or absolute): its real path relative to its repository's root, else to `folder`
/// (the report's folder; `None`: the working directory).
pub fn file_key(file: &str, folder: Option<&Path>) -> String {
    thread_local! {
        static LAST: std::cell::RefCell<Option<(String, Option<PathBuf>, String)>> =
            const { std::cell::RefCell::new(None) };
    }
    let cached = LAST.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|(f, d, _)| f == file && d.as_deref() == folder)
            .map(|(_, _, key)| key.clone())
    });
    if let Some(key) = cached {
        return key;
    }
    let real = real_or_lexical(Path::new(file));
    let root = repository_root(&real);
    let base: Option<&Path> = match (&root, folder) {
        (Some(root), _) => Some(root.as_path()),
        (None, Some(folder)) => Some(folder),
        (None, None) => working_directory(),
    };
    let key = match base {
        Some(base) => relative_to(&real, base),
        None => real.to_string_lossy().into_owned(),
    };
    LAST.with(|last| {
        *last.borrow_mut() = Some((file.to_owned(), folder.map(Path::to_path_buf), key.clone()))
    });
    key
}

/// The largest baseline read (1 GiB): a report of about a hundred thousand files (a checked file
/// takes some 10 KB of JSON). It is parsed as it is read, keeping 16 bytes a distinct finding (32
/// for one on an absolute path, kept in two forms, in over 64 bytes of JSON) and of the text only
/// the one string being read, at most [`MAX_KEPT_STRING_BYTES`]: a finding kept takes at least 52
/// bytes of JSON (`{"fingerprint":"…32 digits…"},`), so memory stays below a third of the file
/// however it is made.
pub const MAX_BASELINE_BYTES: u64 = 1024 * 1024 * 1024;

/// The number a fingerprint stands for; `None` for text no finding of this build has.
fn fingerprint_number(text: &str) -> Option<u128> {
    if text.len() != super::FINGERPRINT_DIGITS || !lower_hex(text) {
        return None;
    }
    u128::from_str_radix(text, 16).ok()
}

/// Whether `text` is a fingerprint of the 64-bit form yimi wrote before (16 hexadecimal digits),
/// which no finding of this build has: a baseline of them would make every finding new.
fn old_fingerprint(text: &str) -> bool {
    text.len() == 16 && lower_hex(text)
}

fn lower_hex(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl Baseline {
    /// Reads an earlier `--format json` report, of at most [`MAX_BASELINE_BYTES`]; a file that
    /// is not one is refused with one located diagnostic.
    pub fn load(path: &Path) -> Result<Baseline, Vec<Diagnostic>> {
        Baseline::load_within(path, MAX_BASELINE_BYTES)
    }

    /// Reads an earlier `--format json` report of at most `limit` bytes.
    pub fn load_within(path: &Path, limit: u64) -> Result<Baseline, Vec<Diagnostic>> {
        let folder = real_or_lexical(path)
            .parent()
            .map(Path::to_path_buf)
            .or_else(|| working_directory().map(Path::to_path_buf));
        let shown = path.display().to_string();
        // Whatever the reason (no such file, too large: no option raises the limit, a report
        // that large is not one of a real run), the hint says what a baseline is.
        let cannot_read = |error: ReadError| {
            vec![
                error
                    .diagnostic(
                        &shown,
                        &tr!("基线", "the baseline"),
                        read::TooLarge::Help(how_to_make()),
                    )
                    .with_help(how_to_make()),
            ]
        };
        let mut reader = read::open_bounded(path, limit).map_err(cannot_read)?;
        let read = Baseline::read(std::io::BufReader::new(&mut reader), folder.as_deref());
        match read {
            Ok(baseline) => Ok(baseline),
            Err(Refusal::Json(error)) if reader.exceeded() || error.is_io() => {
                Err(cannot_read(reader.error(error.into())))
            }
            Err(refusal) => Err(vec![refusal.diagnostic(&shown)]),
        }
    }

    /// Parses an earlier report's text (the diagnostic names the file `<text>`).
    pub fn parse(text: &str) -> Result<Baseline, Vec<Diagnostic>> {
        Baseline::read(text.as_bytes(), None).map_err(|refusal| vec![refusal.diagnostic("<text>")])
    }

    fn read(mut reader: impl Read, folder: Option<&Path>) -> Result<Baseline, Refusal> {
        // The first bytes, for the byte-order marks an editor or a shell may have written:
        // Notepad's UTF-8 one is skipped, as the project reader skips it; a UTF-16 one is named.
        let mut start = [0u8; 3];
        let mut filled = 0;
        while filled < start.len() {
            let buf = start.get_mut(filled..).unwrap_or_default();
            match reader.read(buf) {
                Ok(0) => break,
                Ok(read) => filled += read,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(Refusal::Json(serde_json::Error::io(error))),
            }
        }
        let start = start.get(..filled).unwrap_or_default();
        if read::is_utf16(start) {
            return Err(Refusal::Utf16);
        }
        let start = start.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(start);
        let reader = start.chain(reader);
        let kept = Rc::new(Cell::new(None));
        let places = Rc::new(Cell::new(Places::default()));
        let halted = Rc::new(Cell::new(None));
        let mut state = State {
            kept: Rc::clone(&kept),
            folder: folder.map(Path::to_path_buf),
            places: Rc::clone(&places),
            halted: Rc::clone(&halted),
            ..State::default()
        };
        let guard = Rc::new(Cell::new(None));
        let blank = Rc::new(Cell::new(None));
        let mut reader = KeptStringGuard {
            inner: reader,
            kept,
            tripped: Rc::clone(&guard),
            places: Rc::clone(&places),
            run: 0,
            text: TextState::Outside,
            blanks: 0,
            blank_tripped: Rc::clone(&blank),
            tail: Tail::default(),
            halted,
        };
        let parsed = {
            let mut deserializer = serde_json::Deserializer::from_reader(&mut reader);
            ReportSeed(&mut state)
                .deserialize(&mut deserializer)
                .and_then(|header| deserializer.end().map(|()| header))
        };
        if let Err(error) = parsed {
            // The guard stopped at the byte it read last.
            let tripped = Stop::Byte(reader.tail.read);
            let (stop, kind) = if blank.get().is_some() {
                (tripped, Kind::BlankRun)
            } else if let Some((key, _, _)) = guard.get() {
                (tripped, Kind::TooLong(key))
            } else {
                let at = match (
                    state.halted.get(),
                    places.get().find(error.line(), error.column()),
                ) {
                    _ if error.is_eof() => Stop::End,
                    (Some(count), _) => Stop::Byte(count),
                    // An error outside every object (after the report, or instead of it).
                    (None, Some(place)) => Stop::Byte(place.count),
                    (None, None) => Stop::End,
                };
                let kind = match state.problem.take() {
                    Some(problem) if !error.is_io() => Kind::Problem(problem),
                    _ if error.is_data() => Kind::Expected(state.expected),
                    _ if error.is_syntax() || error.is_eof() => Kind::Syntax(syntax_reason(&error)),
                    _ => return Err(Refusal::Json(error)),
                };
                (at, kind)
            };
            return Err(Refusal::At {
                kind,
                held: reader.held(stop),
            });
        }
        let mut fingerprints = state.fingerprints;
        fingerprints.sort_unstable();
        fingerprints.dedup();
        fingerprints.shrink_to_fit();
        Ok(Baseline {
            fingerprints,
            names: state.names.finished(),
            fingerprint_names: state.fingerprint_names.finished(),
            folder: folder.map(Path::to_path_buf),
        })
    }

    /// Whether the baseline names any file.
    pub fn names_files(&self) -> bool {
        !self.names.is_empty()
    }

    /// The first file the baseline names, in backticks, shortened and escaped for a message.
    pub fn first_name(&self) -> Option<&str> {
        self.names.first.as_deref()
    }

    /// The first file the baseline's fingerprints name, in backticks, shortened and escaped for
    /// a message; `None` for a baseline that does not say how its fingerprints name files (one
    /// written by an earlier build, or with no finding).
    pub fn first_fingerprint_name(&self) -> Option<&str> {
        self.fingerprint_names.first.as_deref()
    }

    /// Whether the baseline's fingerprints name `file` (as this run shows it) as they would
    /// name it from where the baseline lies ([`Baseline::file_key`]): when they do not, no
    /// finding of the file can match one of the baseline's (newcomer review 16 N4: a copy of a
    /// repository's folder given under the same relative name matched by name, and every
    /// finding was new without a word). Always true for a baseline that does not say.
    pub fn fingerprints_name(&self, file: &str) -> bool {
        self.fingerprint_names.is_empty() || self.fingerprint_names.holds(&self.file_key(file))
    }

    /// Whether the baseline names `file` (as this run shows it): by that path, by the name this
    /// run's fingerprints give it (`naming`), or by the name the baseline's own folder gives it,
    /// each in normal form. A file it names by none of them has fingerprints that match none
    /// of the baseline's.
    pub fn names(&self, file: &str, naming: &Naming) -> bool {
        [file.to_owned(), naming.key(file), self.file_key(file)]
            .iter()
            .any(|name| self.names.holds(name))
    }

    /// Whether a finding with this fingerprint was in the baseline.
    pub fn contains(&self, fingerprint: &str) -> bool {
        fingerprint_number(fingerprint)
            .is_some_and(|number| self.fingerprints.binary_search(&number).is_ok())
    }

    /// How this baseline names the file `file` (see [`file_key`]).
    pub fn file_key(&self, file: &str) -> String {
        match &self.folder {
            Some(folder) => file_key(file, Some(folder)),
            None => file_key(file, working_directory()),
        }
    }
}

/// Why a baseline is refused.
enum Refusal {
    /// Reading failed (the reader tells a size limit from other errors).
    Json(serde_json::Error),
    /// The file is UTF-16.
    Utf16,
    /// Not JSON, or not a report this build reads, at a place.
    At { kind: Kind, held: Held },
}

/// What is wrong at the place a baseline is refused.
enum Kind {
    /// Not JSON: serde_json's reason in our words (`None`: one we do not know).
    Syntax(Option<Text>),
    /// JSON, but a value of the wrong type for a report.
    Expected(Expected),
    /// Found by the parse itself.
    Problem(Problem),
    /// A kept string past [`MAX_KEPT_STRING_BYTES`].
    TooLong(&'static str),
    /// Blanks past [`MAX_BLANK_RUN`].
    BlankRun,
}

/// Where the parse stopped: at the n-th byte read (from 1), or at the end of what was read.
#[derive(Clone, Copy)]
enum Stop {
    Byte(u64),
    End,
}

/// The text around where a baseline was refused, as a part of the file (see
/// [`SourceFile::part`]), and the span to label in it.
struct Held {
    text: String,
    line0: usize,
    column0: usize,
    /// The byte where the parse stopped, in `text`; `None` for the end of what was read.
    stop: Option<usize>,
}

/// A help shared by most refusals: what a baseline is, and how one is made.
fn how_to_make() -> Text {
    tr!(
        "基线是此前一次检查的 JSON 报告,这样生成:`yimi check … --format json -o baseline.json`",
        "a baseline is the JSON report of an earlier check, made with `yimi check … --format json -o baseline.json`"
    )
}

/// The help for a report yimi wrote, but not this build.
fn remake() -> Text {
    tr!(
        "用本版本重新生成基线:`yimi check … --format json -o baseline.json`",
        "make the baseline again with this build: `yimi check … --format json -o baseline.json`"
    )
}

impl Refusal {
    /// The one diagnostic of a refused baseline named `name`. Refusals at a value label the
    /// value (serde_json stops just after it); the others the byte it stopped at.
    fn diagnostic(self, name: &str) -> Diagnostic {
        let (kind, held) = match self {
            Refusal::Json(error) => {
                // Not reached through `load`, which names the reading error; a text cannot fail.
                let file = SourceFile::new(name, String::new());
                return Diagnostic::error(
                    "io::read",
                    &file,
                    0..0,
                    tr!(
                        "无法读取基线 `{name}`:{error}",
                        "cannot read the baseline `{name}`: {error}"
                    ),
                    tr!("", ""),
                );
            }
            Refusal::Utf16 => {
                let file = SourceFile::new(name, String::new());
                return Diagnostic::error(
                    "baseline::utf16",
                    &file,
                    0..0,
                    tr!(
                        "基线不是 UTF-8 文本,yimi 只读 UTF-8 的 JSON 报告",
                        "the baseline is not UTF-8 text, and yimi reads JSON reports in UTF-8 only"
                    ),
                    tr!("", ""),
                )
                .with_help(read::utf16_hint());
            }
            Refusal::At { kind, held } => (kind, held),
        };
        let at_value = matches!(
            kind,
            Kind::Expected(_) | Kind::Problem(Problem::Duplicate(_))
        ) || matches!(
            kind,
            Kind::Problem(Problem::OldFingerprint | Problem::Format | Problem::Version(_))
        );
        let span = held.span(at_value);
        let ended = held.stop.is_none();
        let file = SourceFile::part(name, held.text, held.line0, held.column0);
        let not_a_report = |reason: Text| {
            let (zh, en) = (reason.zh, reason.en);
            tr!(
                "不是 yimi 的 JSON 报告:{zh}",
                "not a yimi JSON report: {en}"
            )
        };
        let (code, message, label, help) = match kind {
            Kind::Syntax(reason) => (
                "baseline::not-json",
                match reason {
                    Some(reason) => {
                        let (zh, en) = (reason.zh, reason.en);
                        tr!("不是合法的 JSON:{zh}", "not valid JSON: {en}")
                    }
                    None => tr!("不是合法的 JSON", "not valid JSON"),
                },
                if !ended {
                    tr!("此处", "here")
                } else {
                    tr!("文件在此结束", "the file ends here")
                },
                how_to_make(),
            ),
            Kind::Expected(expected) => (
                "baseline::not-a-report",
                not_a_report(expected.text()),
                tr!("此值", "this value"),
                how_to_make(),
            ),
            Kind::Problem(Problem::Duplicate(key)) => (
                "baseline::duplicate-key",
                not_a_report(Problem::Duplicate(key).text()),
                tr!("再次出现", "given again"),
                tr!(
                    "yimi 写的报告中每个字段只出现一次:同一份报告读两遍可能得出两种结论;请重新生成基线:`yimi check … --format json -o baseline.json`",
                    "a report yimi writes names each field once, and one read twice could say two things: make the baseline again with `yimi check … --format json -o baseline.json`"
                ),
            ),
            Kind::Problem(problem @ Problem::Version(_)) => (
                "baseline::version",
                not_a_report(problem.text()),
                tr!("报告的版本", "the report's version"),
                remake(),
            ),
            Kind::Problem(problem @ Problem::OldFingerprint) => (
                "baseline::old-fingerprint",
                not_a_report(problem.text()),
                tr!("旧式指纹", "an old fingerprint"),
                remake(),
            ),
            Kind::Problem(problem @ Problem::Format) => (
                "baseline::not-a-report",
                not_a_report(problem.text()),
                tr!("此值", "this value"),
                how_to_make(),
            ),
            Kind::Problem(problem @ Problem::Missing(_)) => (
                "baseline::not-a-report",
                not_a_report(problem.text()),
                tr!("报告在此结束", "the report ends here"),
                how_to_make(),
            ),
            Kind::TooLong(key) => (
                "baseline::too-long",
                not_a_report(tr!(
                    "`{key}` 长于 {MAX_KEPT_STRING_BYTES} 字节,不是 yimi 写的",
                    "`{key}` is longer than {MAX_KEPT_STRING_BYTES} bytes, which yimi never writes"
                )),
                tr!("超出上限", "past the limit"),
                how_to_make(),
            ),
            Kind::BlankRun => (
                "baseline::blank-run",
                not_a_report(tr!(
                    "连续超过 {MAX_BLANK_RUN} 个空白字节,不是 yimi 写的",
                    "more than {MAX_BLANK_RUN} blank bytes in a row, which yimi never writes"
                )),
                tr!("超出上限", "past the limit"),
                how_to_make(),
            ),
        };
        Diagnostic::error(code, &file, span, message, label).with_help(help)
    }
}

impl Held {
    /// The span to label: the value that ends where the parse stopped (`at_value`), else the
    /// character it stopped at; the end of the text when it stopped at the end.
    fn span(&self, at_value: bool) -> Range<usize> {
        let bytes = self.text.as_bytes();
        let Some(stop) = self.stop.filter(|stop| *stop < bytes.len()) else {
            return bytes.len()..bytes.len();
        };
        let blank = |byte: &u8| matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
        let char_end = |at: usize| {
            let mut end = at + 1;
            while bytes.get(end).is_some_and(|b| b & 0xc0 == 0x80) {
                end += 1;
            }
            end
        };
        if !at_value {
            return stop..char_end(stop);
        }
        // serde_json stops on the byte after a value (a `,`, `}`, `]`, `:` or a blank it
        // peeked at), or on the value's first byte when its type is wrong from it (`[`, `{`).
        let delimiter = |byte: &u8| matches!(byte, b',' | b'}' | b']' | b':') || blank(byte);
        let mut end = if bytes.get(stop).is_some_and(delimiter) {
            stop
        } else {
            char_end(stop)
        };
        while end > 0 && bytes.get(end - 1).is_some_and(blank) {
            end -= 1;
        }
        let Some(last) = end.checked_sub(1) else {
            return stop..char_end(stop);
        };
        let start = match bytes.get(last) {
            Some(b'"') => {
                // Back to the opening quote: one not escaped by an odd run of backslashes.
                let mut at = last;
                loop {
                    let Some(quote) = bytes
                        .get(..at)
                        .and_then(|before| before.iter().rposition(|byte| *byte == b'"'))
                    else {
                        break 0;
                    };
                    let backslashes = bytes.get(..quote).map_or(0, |before| {
                        before
                            .iter()
                            .rev()
                            .take_while(|byte| **byte == b'\\')
                            .count()
                    });
                    if backslashes % 2 == 0 {
                        break quote;
                    }
                    at = quote;
                }
            }
            Some(b'[' | b'{') => last,
            _ => bytes
                .get(..end)
                .and_then(|before| {
                    before
                        .iter()
                        .rposition(|byte| delimiter(byte) || matches!(byte, b'"' | b'[' | b'{'))
                })
                .map_or(0, |at| at + 1),
        };
        start..end
    }
}

/// serde_json's syntax errors in words of our own, in both languages (its message is English);
/// `None` for one we have no words for.
fn syntax_reason(error: &serde_json::Error) -> Option<Text> {
    let message = error.to_string();
    let known: [(&str, &str, &str); 21] = [
        (
            "EOF while parsing a list",
            "列表未结束,文件就结束了",
            "the file ends inside a list",
        ),
        (
            "EOF while parsing an object",
            "对象未结束,文件就结束了",
            "the file ends inside an object",
        ),
        (
            "EOF while parsing a string",
            "文本未结束,文件就结束了",
            "the file ends inside a string",
        ),
        (
            "EOF while parsing a value",
            "应有一个值,文件却结束了",
            "the file ends where a value was expected",
        ),
        ("expected `:`", "此处应为 `:`", "expected `:`"),
        (
            "expected `,` or `]`",
            "此处应为 `,` 或 `]`",
            "expected `,` or `]`",
        ),
        (
            "expected `,` or `}`",
            "此处应为 `,` 或 `}`",
            "expected `,` or `}`",
        ),
        (
            "expected ident",
            "此处应为 `true`、`false` 或 `null`",
            "expected `true`, `false` or `null`",
        ),
        ("expected value", "此处应为一个值", "expected a value"),
        ("expected `\"`", "此处应为 `\"`", "expected `\"`"),
        (
            "invalid escape",
            "文本中的转义无效",
            "an invalid escape in a string",
        ),
        ("invalid number", "数字无效", "an invalid number"),
        (
            "number out of range",
            "数字超出范围",
            "a number out of range",
        ),
        (
            "invalid unicode code point",
            "无效的 Unicode 码位",
            "an invalid Unicode code point",
        ),
        (
            "control character",
            "文本中有控制字符(须写成转义)",
            "a control character inside a string (it must be escaped)",
        ),
        (
            "key must be a string",
            "键必须是文本",
            "a key must be a string",
        ),
        (
            "lone leading surrogate",
            "转义中有落单的代理码位",
            "a lone surrogate in an escape",
        ),
        ("trailing comma", "多余的逗号", "a trailing comma"),
        (
            "trailing characters",
            "JSON 值之后还有内容",
            "more after the JSON value",
        ),
        (
            "unexpected end of hex escape",
            "十六进制转义不完整",
            "an incomplete hexadecimal escape",
        ),
        ("recursion limit exceeded", "嵌套过深", "nested too deeply"),
    ];
    known
        .iter()
        .find(|(serde, _, _)| message.starts_with(serde))
        .map(|(_, zh, en)| Text::new(*zh, *en))
}

/// What the parse collects, and what it expected where it stopped.
#[derive(Default)]
struct State {
    fingerprints: Vec<u128>,
    /// See [`Baseline::names`].
    names: NameSet,
    /// See [`Baseline::fingerprint_names`].
    fingerprint_names: NameSet,
    expected: Expected,
    problem: Option<Problem>,
    /// The key whose string is being read into memory, for [`KeptStringGuard`].
    kept: Rc<Cell<Option<&'static str>>>,
    /// The baseline's folder (see [`Baseline::folder`]).
    folder: Option<PathBuf>,
    /// Where the reader is, shared with the [`KeptStringGuard`].
    places: Rc<Cell<Places>>,
    /// The bytes read when the parse failed, shared with the guard, which then reads no more:
    /// serde_json reads on to the closing brackets of every object and list it is in before
    /// the error reaches the caller, and the place would be lost.
    halted: Rc<Cell<Option<u64>>>,
}

/// The most file names a baseline keeps (8 MiB of numbers; they only tell whether a run
/// names any file the baseline names, for a warning): `{"file": "a"},` repeated through a
/// gibibyte kept 8 bytes for every 13 of JSON, 660 MB, and twice that while the list grew. A
/// baseline of more distinct files than that is not one of a run (`--max-files`: 100 000).
const MAX_NAMES: usize = if cfg!(test) { 64 } else { 1 << 20 };

impl State {
    /// Notes where the parse failed with `error`, the first time, and stops the reading.
    fn halt<E>(&self, error: E) -> E {
        if self.halted.get().is_none() {
            self.halted.set(Some(self.places.get().last().count));
        }
        error
    }

    /// Reads the value of `key`, a string kept in memory while it is read (or null), within
    /// [`MAX_KEPT_STRING_BYTES`].
    fn kept_value<'de, A: MapAccess<'de>, T: serde::Deserialize<'de>>(
        &mut self,
        map: &mut A,
        key: &'static str,
    ) -> Result<T, A::Error> {
        self.expected = Expected::Text(key);
        self.kept.set(Some(key));
        let value = map.next_value::<T>();
        self.kept.set(None);
        value
    }
}

/// The longest string a baseline keeps while it reads it (a `fingerprint`, or a `file`,
/// `rule_id`, `outcome` or `path` of a finding without one): serde_json holds such a string
/// whole, and a 150 MB `fingerprint` took 300 MB. Strings it skips are not held at all.
const MAX_KEPT_STRING_BYTES: usize = 1024 * 1024;

/// A kept string that went past the limit: its key, and the line and column of the first byte
/// past it.
type Tripped = (&'static str, usize, usize);

/// Counts the bytes of the value being kept as the parser reads them (it reads byte by byte),
/// and stops the read past [`MAX_KEPT_STRING_BYTES`], noting the key and the place.
///
/// It also stops a run of more than [`MAX_BLANK_RUN`] blank bytes between tokens: JSON allows
/// any amount, and an endless stream of them (`--baseline <(yes ' ')`) was read to the 1 GiB
/// limit, 45 s (audit 12 A5), while yimi's reports indent by a few bytes.
struct KeptStringGuard<R> {
    inner: R,
    kept: Rc<Cell<Option<&'static str>>>,
    tripped: Rc<Cell<Option<Tripped>>>,
    /// Where the parser is, for its errors.
    places: Rc<Cell<Places>>,
    run: usize,
    text: TextState,
    blanks: usize,
    blank_tripped: Rc<Cell<Option<(usize, usize)>>>,
    /// The last lines read, for a message.
    tail: Tail,
    /// Set when the parse has failed: nothing more is read (see [`State::halted`]).
    halted: Rc<Cell<Option<u64>>>,
}

/// The most bytes of its current line the [`Tail`] holds once the line is long (it holds up to
/// twice as many between trims): far more than a message quotes around a place.
const TAIL_LINE_BYTES: usize = 2048;

/// The bytes last read from a baseline, for the message that refuses it: the line being read
/// (its last [`TAIL_LINE_BYTES`] or more when it is long) and the whole line before it, when
/// that was short enough to be held. A baseline may be a gibibyte on one line, so it is never
/// held whole.
/// The most bytes of the line read after the place of a refusal, for the message: more than
/// its quotation shows after a place.
const REST_OF_LINE_BYTES: usize = 512;

#[derive(Default)]
struct Tail {
    bytes: Vec<u8>,
    /// The 0-based line of the file `bytes` start on, and the characters of it before them.
    origin: (usize, usize),
    /// Where the line being read starts in `bytes`.
    line_at: usize,
    /// Bytes read, and bytes dropped from the front of `bytes`.
    read: u64,
    dropped: u64,
}

impl Tail {
    fn push(&mut self, byte: u8) {
        // A line ends at `\n`, or at a `\r` that no `\n` follows, as [`SourceFile`] reads lines.
        let ended = match self.bytes.last() {
            Some(b'\n') => true,
            Some(b'\r') => byte != b'\n',
            _ => false,
        };
        if ended {
            if self.line_at > 0 {
                // The line before the one just ended is dropped.
                self.drop_front(self.line_at);
                self.origin = (self.origin.0 + 1, 0);
            }
            self.line_at = self.bytes.len();
        }
        self.bytes.push(byte);
        self.read += 1;
        if self.bytes.len() - self.line_at > 2 * TAIL_LINE_BYTES {
            let mut cut = self.bytes.len() - TAIL_LINE_BYTES;
            // Not inside a character.
            while self.bytes.get(cut).is_some_and(|b| b & 0xc0 == 0x80) {
                cut += 1;
            }
            let (line, before) = if self.line_at > 0 {
                (self.origin.0 + 1, 0)
            } else {
                self.origin
            };
            let chars = self
                .bytes
                .get(self.line_at..cut)
                .map_or(0, |part| part.iter().filter(|b| *b & 0xc0 != 0x80).count());
            self.drop_front(cut);
            self.origin = (line, before + chars);
            self.line_at = 0;
        }
    }

    fn drop_front(&mut self, count: usize) {
        self.bytes.drain(..count.min(self.bytes.len()));
        self.dropped += count as u64;
    }
}

impl<R: Read> KeptStringGuard<R> {
    /// What is held around where the parse stopped, with the rest of that line (at most
    /// [`REST_OF_LINE_BYTES`] more, read now without the guard's checks): at most some 9 KiB.
    fn held(&mut self, stop: Stop) -> Held {
        let stop = match stop {
            Stop::Byte(count) => count
                .checked_sub(1 + self.tail.dropped)
                .and_then(|at| usize::try_from(at).ok()),
            Stop::End => None,
        };
        let mut bytes = std::mem::take(&mut self.tail.bytes);
        if stop.is_some() && !matches!(bytes.last(), Some(b'\n' | b'\r')) {
            let mut byte = [0u8];
            for _ in 0..REST_OF_LINE_BYTES {
                match self.inner.read(&mut byte) {
                    Ok(1) if !matches!(byte, [b'\n' | b'\r']) => bytes.extend(byte),
                    _ => break,
                }
            }
        }
        // Invalid UTF-8 is shown replaced (a skipped string may hold some): the place is moved
        // by what was replaced before it.
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let stop = stop.and_then(|at| {
            let before = bytes.get(..at)?;
            Some(String::from_utf8_lossy(before).len())
        });
        Held {
            stop: stop.filter(|at| *at < text.len()),
            text,
            line0: self.tail.origin.0,
            column0: self.tail.origin.1,
        }
    }
}

/// The most blank bytes (space, tab, line breaks) in a row between the tokens of a baseline.
const MAX_BLANK_RUN: usize = 64 * 1024;

/// Where the guard is in the JSON text: blanks count only between tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextState {
    Outside,
    InString,
    /// Just after a backslash in a string.
    Escaped,
}

/// A place in a baseline as serde_json counts it (lines ended by `\n` only; the column is the
/// bytes read on the line) and as yimi shows places in every other file, lines ended by `\n`,
/// `\r\n` or a `\r` alone (a JSON file saved with classic Mac line ends was located on line 1
/// whatever the line; hostile review 9 R10).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Place {
    read: (usize, usize),
    shown: (usize, usize),
    /// The bytes read up to this place (the byte it is after is the `count`th).
    count: u64,
}

/// The places after the last few bytes read: serde_json's error is at the place after the
/// byte it read last, or the one before when it had only peeked at that byte.
#[derive(Clone, Copy, Debug)]
struct Places {
    recent: [Place; 4],
    /// The slot of `recent` the next place goes to.
    next: usize,
    /// The last byte read was a `\r`, which a `\n` then joins.
    after_cr: bool,
}

impl Default for Places {
    fn default() -> Self {
        let start = Place {
            read: (1, 0),
            shown: (1, 0),
            count: 0,
        };
        Places {
            recent: [start; 4],
            next: 1,
            after_cr: false,
        }
    }
}

impl Places {
    fn last(&self) -> Place {
        let at = (self.next + self.recent.len() - 1) % self.recent.len();
        self.recent.get(at).copied().unwrap_or_default()
    }

    /// The place after `byte`.
    fn step(&mut self, byte: u8) -> Place {
        let Place {
            read: (mut line, mut column),
            shown: (mut shown_line, mut shown_column),
            count,
        } = self.last();
        if byte == b'\n' {
            (line, column) = (line + 1, 0);
        } else {
            column += 1;
        }
        match byte {
            b'\n' if self.after_cr => shown_column = 0,
            b'\n' | b'\r' => (shown_line, shown_column) = (shown_line + 1, 0),
            _ => shown_column += 1,
        }
        self.after_cr = byte == b'\r';
        let place = Place {
            read: (line, column),
            shown: (shown_line, shown_column),
            count: count + 1,
        };
        if let Some(slot) = self.recent.get_mut(self.next) {
            *slot = place;
        }
        self.next = (self.next + 1) % self.recent.len();
        place
    }

    /// The place serde_json names `line`, `column`, when it is among the last read.
    /// serde_json names the byte after the last read for an error raised between values (no
    /// byte peeked): that byte is then the next to be read.
    fn find(&self, line: usize, column: usize) -> Option<Place> {
        let last = self.last();
        self.recent
            .iter()
            .find(|place| place.read == (line, column))
            .copied()
            .or_else(|| {
                (last.read == (line, column.wrapping_sub(1))).then_some(Place {
                    count: last.count + 1,
                    ..last
                })
            })
    }
}

impl<R: Read> Read for KeptStringGuard<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.halted.get().is_some() {
            return Ok(0);
        }
        let read = self.inner.read(buf)?;
        let mut places = self.places.get();
        for byte in buf.get(..read).unwrap_or_default() {
            // The byte's own line and column (from 1).
            let (line, column) = places.step(*byte).shown;
            self.tail.push(*byte);
            let blank = matches!(byte, b' ' | b'\t' | b'\n' | b'\r');
            self.text = match (self.text, byte) {
                (TextState::Outside, b'"') | (TextState::Escaped, _) => TextState::InString,
                (TextState::InString, b'\\') => TextState::Escaped,
                (TextState::InString, b'"') => TextState::Outside,
                (state, _) => state,
            };
            if blank && self.text == TextState::Outside {
                self.blanks += 1;
                if self.blanks > MAX_BLANK_RUN {
                    self.blank_tripped.set(Some((line, column)));
                    return Err(std::io::Error::other("too many blank bytes in a row"));
                }
            } else {
                self.blanks = 0;
            }
            match self.kept.get() {
                Some(key) => {
                    self.run += 1;
                    if self.run > MAX_KEPT_STRING_BYTES {
                        self.tripped.set(Some((key, line, column)));
                        self.places.set(places);
                        return Err(std::io::Error::other("a kept string is too long"));
                    }
                }
                None => self.run = 0,
            }
        }
        self.places.set(places);
        Ok(read)
    }
}

/// The value being read, for a message when it has the wrong type.
#[derive(Clone, Copy, Default)]
enum Expected {
    #[default]
    Report,
    Format,
    Version,
    Files,
    File,
    Findings,
    Finding,
    Text(&'static str),
}

impl Expected {
    fn text(self) -> Text {
        match self {
            Expected::Report => tr!("报告应为一个 JSON 对象", "a report is a JSON object"),
            Expected::Format => tr!("`format` 应为文本", "`format` must be a string"),
            Expected::Version => tr!("`version` 应为整数", "`version` must be a whole number"),
            Expected::Files => tr!("`files` 应为列表", "`files` must be a list"),
            Expected::File => tr!(
                "`files` 的每一项应为对象",
                "each item of `files` must be an object"
            ),
            Expected::Findings => tr!("`findings` 应为列表", "`findings` must be a list"),
            Expected::Finding => tr!(
                "`findings` 的每一项应为对象",
                "each item of `findings` must be an object"
            ),
            Expected::Text(key) => tr!("`{key}` 应为文本", "`{key}` must be a string"),
        }
    }
}

/// A problem found by the parse itself (serde's message for it would be English).
enum Problem {
    Duplicate(&'static str),
    OldFingerprint,
    /// `"format"` is not `"yimi-report"`.
    Format,
    /// A report of another version.
    Version(u64),
    /// A key every report has is missing from the object that ends here.
    Missing(&'static str),
}

impl Problem {
    fn text(&self) -> Text {
        match self {
            Problem::Duplicate(key) => {
                tr!("字段 `{key}` 重复", "duplicate field `{key}`")
            }
            Problem::OldFingerprint => tr!(
                "旧式指纹(16 位十六进制,本版本改用 SHA-256 的 32 位):对照它所有问题都会算作新增",
                "a fingerprint of the old form (16 hexadecimal digits; this build writes 32, of SHA-256): against it every finding would be new"
            ),
            Problem::Format => tr!(
                "`\"format\"` 不是 `\"yimi-report\"`",
                "`\"format\"` is not `\"yimi-report\"`"
            ),
            Problem::Version(found) => {
                let version = super::json::VERSION;
                tr!(
                    "`\"version\": {found}`;本版本读取第 {version} 版的报告",
                    "`\"version\": {found}`; this build reads reports of version {version}"
                )
            }
            Problem::Missing("format") => tr!(
                "没有 `\"format\": \"yimi-report\"`",
                "no `\"format\": \"yimi-report\"`"
            ),
            Problem::Missing(key) => tr!("没有 `\"{key}\"`", "no `\"{key}\"`"),
        }
    }
}

/// A key of one of the objects read; every other key is skipped unread.
struct Key(Option<&'static str>);

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                const READ: [&str; 10] = [
                    "format",
                    "version",
                    "files",
                    "findings",
                    "fingerprint",
                    "file",
                    "fingerprint_path",
                    "rule_id",
                    "outcome",
                    "path",
                ];
                Ok(Key(READ.iter().copied().find(|read| *read == key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Stops the parse for `problem`, which serde_json locates where it stopped.
fn refuse<T, E: de::Error>(state: &mut State, problem: Problem) -> Result<T, E> {
    state.problem = Some(problem);
    Err(state.halt(E::custom("not a report")))
}

/// Refuses a key met twice in one object (a report read twice could say two things).
fn once<E: de::Error>(
    state: &mut State,
    seen: &mut Vec<&'static str>,
    key: &'static str,
) -> Result<(), E> {
    if seen.contains(&key) {
        state.problem = Some(Problem::Duplicate(key));
        return Err(state.halt(E::custom("duplicate")));
    }
    seen.push(key);
    Ok(())
}

/// What the report's own keys say.
#[derive(Default)]
struct Header {
    format: Option<String>,
    version: Option<u64>,
    files: bool,
}

struct ReportSeed<'s>(&'s mut State);

impl<'de> DeserializeSeed<'de> for ReportSeed<'_> {
    type Value = Header;
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Header, D::Error> {
        self.0.expected = Expected::Report;
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ReportSeed<'_> {
    type Value = Header;
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a report")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Header, A::Error> {
        let state = self.0;
        let mut header = Header::default();
        let mut seen = Vec::new();
        while let Some(Key(key)) = map.next_key().map_err(|error| state.halt(error))? {
            match key {
                Some(key @ "format") => {
                    once(state, &mut seen, key)?;
                    state.expected = Expected::Format;
                    let format = map
                        .next_value::<String>()
                        .map_err(|error| state.halt(error))?;
                    if format != "yimi-report" {
                        return refuse(state, Problem::Format);
                    }
                    header.format = Some(format);
                }
                Some(key @ "version") => {
                    once(state, &mut seen, key)?;
                    state.expected = Expected::Version;
                    let version = map.next_value::<u64>().map_err(|error| state.halt(error))?;
                    if version != u64::from(super::json::VERSION) {
                        return refuse(state, Problem::Version(version));
                    }
                    header.version = Some(version);
                }
                Some(key @ "files") => {
                    once(state, &mut seen, key)?;
                    state.expected = Expected::Files;
                    map.next_value_seed(ListSeed(&mut *state, Item::File))
                        .map_err(|error| state.halt(error))?;
                    header.files = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()
                        .map_err(|error| state.halt(error))?;
                }
            }
        }
        // Refused here, so that the message is located at the report's closing brace.
        if header.format.is_none() {
            return refuse(state, Problem::Missing("format"));
        }
        if header.version.is_none() {
            return refuse(state, Problem::Missing("version"));
        }
        if !header.files {
            return refuse(state, Problem::Missing("files"));
        }
        Ok(header)
    }
}

/// The items of a list of files, or of one file's findings.
#[derive(Clone, Copy)]
enum Item {
    File,
    Finding,
}

struct ListSeed<'s>(&'s mut State, Item);

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let ListSeed(state, item) = self;
        loop {
            state.expected = match item {
                Item::File => Expected::File,
                Item::Finding => Expected::Finding,
            };
            if seq
                .next_element_seed(ObjectSeed(&mut *state, item))
                .map_err(|error| state.halt(error))?
                .is_none()
            {
                return Ok(());
            }
        }
    }
}

struct ObjectSeed<'s>(&'s mut State, Item);

impl<'de> DeserializeSeed<'de> for ObjectSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjectSeed<'_> {
    type Value = ();
    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let ObjectSeed(state, item) = self;
        let mut seen = Vec::new();
        // A finding's fingerprint, or what it is made of when a report leaves it out.
        let mut fingerprint: Option<Fingerprint> = None;
        let mut parts: [Option<String>; 4] = Default::default();
        while let Some(Key(key)) = map.next_key().map_err(|error| state.halt(error))? {
            match (item, key) {
                (Item::File, Some(key @ "findings")) => {
                    once(state, &mut seen, key)?;
                    state.expected = Expected::Findings;
                    map.next_value_seed(ListSeed(&mut *state, Item::Finding))
                        .map_err(|error| state.halt(error))?;
                }
                (Item::File, Some(key @ ("file" | "fingerprint_path"))) => {
                    // A report names its file with a string: anything else is not a report
                    // (hostile review 7, E3). Kept as a number, to tell a run that names its
                    // files otherwise (newcomer review 9 F15, 16 N4).
                    once(state, &mut seen, key)?;
                    if let Some(name) = state
                        .kept_value::<_, Option<String>>(&mut map, key)
                        .map_err(|error| state.halt(error))?
                    {
                        match key {
                            "file" => state.names.keep(&name),
                            _ => state.fingerprint_names.keep(&name),
                        }
                    }
                }
                (Item::Finding, Some(key @ "fingerprint")) => {
                    once(state, &mut seen, key)?;
                    fingerprint = state
                        .kept_value::<_, Option<Fingerprint>>(&mut map, key)
                        .map_err(|error| state.halt(error))?;
                    if let Some(Fingerprint::Old) = fingerprint {
                        state.problem = Some(Problem::OldFingerprint);
                        return Err(state.halt(de::Error::custom("old fingerprint")));
                    }
                }
                (Item::Finding, Some(key @ ("file" | "rule_id" | "outcome" | "path"))) => {
                    once(state, &mut seen, key)?;
                    let slot = match key {
                        "file" => 0,
                        "rule_id" => 1,
                        "outcome" => 2,
                        _ => 3,
                    };
                    let value = state
                        .kept_value::<_, Option<String>>(&mut map, key)
                        .map_err(|error| state.halt(error))?;
                    if let Some(part) = parts.get_mut(slot) {
                        *part = Some(value.unwrap_or_default());
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()
                        .map_err(|error| state.halt(error))?;
                }
            }
        }
        if let Item::Finding = item {
            let number = match (fingerprint, parts) {
                (Some(Fingerprint::Read(number)), _) => number,
                (Some(Fingerprint::Old), _) => None,
                // Without a fingerprint, a finding as yimi writes it (its file, rule and outcome
                // named) is fingerprinted from its parts, its file taken as written from the
                // baseline's folder; anything less is no finding, and counting it would let a
                // few bytes of JSON cost 16 bytes of memory each.
                (None, [Some(file), Some(rule), Some(outcome), path]) => {
                    let folder: Option<&Path> = match &state.folder {
                        Some(folder) => Some(folder.as_path()),
                        None => working_directory(),
                    };
                    let file = match folder {
                        Some(folder) => folder.join(&file).to_string_lossy().into_owned(),
                        None => file,
                    };
                    fingerprint_number(&super::fingerprint_of_key(
                        &file_key(&file, folder),
                        &rule,
                        &outcome,
                        &path.unwrap_or_default(),
                    ))
                }
                (None, _) => None,
            };
            state.fingerprints.extend(number);
        }
        Ok(())
    }
}

/// A `fingerprint` read as its number straight from the parser's buffer, never copied.
enum Fingerprint {
    /// Its number, `None` for text no finding has.
    Read(Option<u128>),
    /// Of the form written before (see [`old_fingerprint`]).
    Old,
}

impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Fingerprint, D::Error> {
        struct FingerprintVisitor;
        impl Visitor<'_> for FingerprintVisitor {
            type Value = Fingerprint;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a fingerprint")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Fingerprint, E> {
                Ok(if old_fingerprint(text) {
                    Fingerprint::Old
                } else {
                    Fingerprint::Read(fingerprint_number(text))
                })
            }
        }
        deserializer.deserialize_str(FingerprintVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::Baseline;
    use crate::base::diagnostic::Diagnostic;

    /// The one diagnostic refusing `text`.
    fn refused(text: &str) -> Diagnostic {
        let mut errors = Baseline::parse(text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.remove(0)
    }

    /// A refusal as `line:column code: message [the text labelled]`, in English.
    fn said(text: &str) -> String {
        let error = refused(text);
        let (line, column) = error.line_col();
        let labelled = error.file.text.get(error.primary_span()).unwrap_or("?");
        format!(
            "{line}:{column} {}: {} [{labelled}]",
            error.code, error.message.en
        )
    }

    #[test]
    fn a_report_is_read_up_to_its_limit_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("baseline.json");
        let report = r#"{"format": "yimi-report", "version": 1, "files": [{"findings": [{"fingerprint": "0123456789abcdef0123456789abcdef", "rule_id": "X"}]}]}"#;
        std::fs::write(&path, report).unwrap();
        let baseline = Baseline::load(&path).unwrap();
        assert!(baseline.contains("0123456789abcdef0123456789abcdef"));
        let error = Baseline::load_within(&path, 40).unwrap_err().remove(0);
        assert_eq!(error.code, "limits::file-size");
        assert_eq!(
            error.message.en,
            format!(
                "cannot read the baseline `{}`: the file is {} bytes, more than the limit of 40 bytes",
                path.display(),
                report.len()
            )
        );
    }

    #[test]
    fn only_a_report_of_this_version_with_files_is_a_baseline() {
        assert_eq!(
            said(r#"{"format": "yimi-report", "version": 2, "files": []}"#),
            "1:38 baseline::version: not a yimi JSON report: `\"version\": 2`; this build reads reports of version 1 [2]"
        );
        assert_eq!(
            said(r#"{"format": "yimi-report", "files": []}"#),
            "1:38 baseline::not-a-report: not a yimi JSON report: no `\"version\"` [}]"
        );
        assert_eq!(
            said(r#"{"format": "yimi-report", "version": 1}"#),
            "1:39 baseline::not-a-report: not a yimi JSON report: no `\"files\"` [}]"
        );
        assert_eq!(
            said(r#"{"format": "sarif", "version": 1, "files": []}"#),
            "1:12 baseline::not-a-report: not a yimi JSON report: `\"format\"` is not `\"yimi-report\"` [\"sarif\"]"
        );
        assert_eq!(
            said(r#"{"format": "yimi-report", "version": 1, "files": [], "files": []}"#),
            "1:54 baseline::duplicate-key: not a yimi JSON report: duplicate field `files` [\"files\"]"
        );
        // The hint says how a baseline is made, or to make it again with this build.
        let help = |text: &str| refused(text).help.unwrap().en;
        assert!(
            help(r#"{"format": "yimi-report", "version": 2, "files": []}"#)
                .starts_with("make the baseline again with this build")
        );
        assert!(help("[]").starts_with("a baseline is the JSON report of an earlier check"));
        assert!(Baseline::parse(r#"{"format": "yimi-report", "version": 1, "files": []}"#).is_ok());
    }

    /// A baseline keeps 16 bytes a distinct fingerprint and nothing else of the report: text that
    /// no finding of this build can have is dropped, repeats are kept once, and a finding
    /// without a fingerprint is fingerprinted from its parts, as before.
    #[test]
    fn only_fingerprints_are_kept_as_numbers() {
        let parts = crate::report::fingerprint_of_key("a.yaml", "R-1", "fail", "facilities[0]");
        let text = format!(
            r#"{{"format": "yimi-report", "tool": {{"name": "yimi", "x": [[1], {{"fingerprint": "000000000000000000000000000000aa"}}]}},
              "files": [{{"file": "a.yaml", "findings": [
                {{"fingerprint": "000000000000000000000000000000ff", "message": "{long}"}},
                {{"fingerprint": "000000000000000000000000000000ff"}},
                {{"fingerprint": "000000000000000000000000000000FF"}},
                {{"fingerprint": "not a fingerprint"}},
                {{"file": "./a.yaml", "rule_id": "R-1", "outcome": "fail", "path": "facilities[0]"}}]}},
                {{"file": "b.yaml"}}],
              "version": 1}}"#,
            long = "x".repeat(100_000)
        );
        let baseline = Baseline::parse(&text).unwrap();
        let mut expected = vec![0xff, u128::from_str_radix(&parts, 16).unwrap()];
        expected.sort_unstable();
        assert_eq!(baseline.fingerprints, expected);
        assert_eq!(baseline.fingerprints.capacity(), 2);
        assert!(baseline.contains("000000000000000000000000000000ff"));
        assert!(baseline.contains(&parts));
        for absent in [
            "000000000000000000000000000000FF",
            "000000000000000000000000000000aa",
            "not a fingerprint",
            "ff",
            "",
        ] {
            assert!(!baseline.contains(absent), "{absent}");
        }
    }

    /// Refusals are the parse's own words, in both languages, with the place.
    #[test]
    fn a_refused_baseline_is_told_in_both_languages() {
        let error = refused(r#"{"format": "yimi-report", "version": -1, "files": []}"#);
        assert_eq!(
            error.message.en,
            "not a yimi JSON report: `version` must be a whole number"
        );
        assert_eq!(
            error.message.zh,
            "不是 yimi 的 JSON 报告:`version` 应为整数"
        );
        assert_eq!(error.line_col(), (1, 38));
        assert_eq!(
            refused(r#"{"files": [{"findings": [{"path": "a", "path": "b"}]}]}"#)
                .message
                .zh,
            "不是 yimi 的 JSON 报告:字段 `path` 重复"
        );
        assert_eq!(
            said(r#"{"files": [{"findings": [{"path": "a", "path": "b"}]}]}"#),
            "1:40 baseline::duplicate-key: not a yimi JSON report: duplicate field `path` [\"path\"]"
        );
        assert_eq!(
            said("[1, 2]"),
            "1:1 baseline::not-a-report: not a yimi JSON report: a report is a JSON object [[]"
        );
        // Nesting in what is skipped is skipped without recursion (serde_json's own loop).
        let error = refused(&format!(
            "{{\"x\": {}1{}}}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ));
        assert!(
            error
                .message
                .en
                .ends_with("no `\"format\": \"yimi-report\"`"),
            "{}",
            error.message.en
        );
        assert_eq!(
            said(r#"{"format": "yimi-report", "version": 1, "files": []} x"#),
            "1:54 baseline::not-json: not valid JSON: more after the JSON value [x]"
        );
        // Where the file ends, the end is labelled.
        assert_eq!(
            said("{\"format\": \"yimi-report\",\n  \"files\": ["),
            "2:13 baseline::not-json: not valid JSON: the file ends inside a list []"
        );
    }

    /// A string the baseline keeps while reading it is refused past a mebibyte, at its place
    /// (a 150 MB `fingerprint` took 300 MB); a longer string it skips costs nothing and passes.
    #[test]
    fn a_kept_string_is_refused_past_a_mebibyte_and_a_skipped_one_is_not_held() {
        let long = "a".repeat(2 * 1024 * 1024);
        let skipped = format!(
            r#"{{"format": "yimi-report", "version": 1, "files": [{{"findings": [{{"message": "{long}", "fingerprint": "000000000000000000000000000000ff"}}]}}]}}"#
        );
        assert!(
            Baseline::parse(&skipped)
                .unwrap()
                .contains("000000000000000000000000000000ff")
        );
        for key in ["fingerprint", "path"] {
            let kept = format!(
                r#"{{"format": "yimi-report", "version": 1, "files": [
 {{"findings": [{{"file": "a", "rule_id": "R", "outcome": "fail", "{key}": "{long}"}}]}}]}}"#
            );
            let error = refused(&kept);
            // The byte past the mebibyte, counted from the key's closing quote.
            let column = 66 + key.len() + 1_048_577;
            assert_eq!(error.code, "baseline::too-long");
            assert_eq!(error.line_col(), (2, column));
            assert_eq!(
                error.message.en,
                format!(
                    "not a yimi JSON report: `{key}` is longer than 1048576 bytes, which yimi never writes"
                ),
            );
            assert!(
                error
                    .message
                    .zh
                    .contains(&format!("`{key}` 长于 1048576 字节")),
                "{}",
                error.message.zh
            );
            // Only the end of the long line is held, and the rest of it after the place.
            assert!(
                error.file.text.len() < 5 * 1024,
                "{}",
                error.file.text.len()
            );
            assert!(
                error.file.text.ends_with("aaaa"),
                "the rest is past the bytes read"
            );
        }
    }

    /// Files named on the disk (`yimi check`) are named alike however the path is written,
    /// whether or not they still exist (`.`/`..` then resolved lexically).
    #[test]
    fn files_on_the_disk_are_named_in_normal_form() {
        let current = std::env::current_dir().unwrap();
        let absolute = current.join("det/x.yaml").display().to_string();
        let key = |file: &str| super::file_key(file, Some(&current));
        let plain = key("det/x.yaml");
        for same in [
            "./det/x.yaml",
            "det//x.yaml",
            "./det/./x.yaml",
            "det/sub/../x.yaml",
            absolute.as_str(),
        ] {
            assert_eq!(key(same), plain, "{same}");
        }
        assert_ne!(key("other/x.yaml"), plain);
        // Uploads and editor buffers are named as given, with no look-up on the disk.
        assert_eq!(super::Naming::AsGiven.key("./up/./x.yaml"), "up/x.yaml");
        assert_eq!(
            super::Naming::on_disk(Some(&current)).key("./det/x.yaml"),
            plain
        );
    }

    /// Outside a repository a file is named from the report's folder, climbing with `..`; its
    /// links are resolved, and `..` after a linked folder is the link target's parent.
    #[cfg(unix)]
    #[test]
    fn files_are_named_by_their_real_path_from_the_folder() {
        use super::{file_key, relative_to};
        use std::path::Path;
        assert_eq!(
            relative_to(Path::new("/a/b/c.yaml"), Path::new("/a/x/y")),
            "../../b/c.yaml"
        );
        assert_eq!(
            relative_to(Path::new("/a/b.yaml"), Path::new("/a")),
            "b.yaml"
        );
        let dir = tempfile::tempdir().unwrap();
        let top = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(top.join("real/sub")).unwrap();
        std::fs::create_dir_all(top.join("other")).unwrap();
        std::fs::write(top.join("real/a.yaml"), "").unwrap();
        std::fs::write(top.join("other/a.yaml"), "").unwrap();
        std::os::unix::fs::symlink(top.join("real"), top.join("other/link")).unwrap();
        let key = |file: &Path| file_key(&file.display().to_string(), Some(&top));
        assert_eq!(key(&top.join("real/a.yaml")), "real/a.yaml");
        assert_eq!(key(&top.join("real/sub/../a.yaml")), "real/a.yaml");
        assert_eq!(key(&top.join("other/link/a.yaml")), "real/a.yaml");
        // Lexically `other/a.yaml`; really the link target's parent's `a.yaml`.
        assert_eq!(key(&top.join("other/link/sub/../a.yaml")), "real/a.yaml");
        assert_eq!(key(&top.join("other/a.yaml")), "other/a.yaml");
        assert_eq!(
            file_key(
                &top.join("real/a.yaml").display().to_string(),
                Some(&top.join("other"))
            ),
            "../real/a.yaml"
        );
    }

    /// A pipe has no size to refuse it by: it is stopped mid-parse by the limit, and the size is
    /// the reason given, not the truncated JSON.
    #[cfg(unix)]
    #[test]
    fn a_pipe_is_stopped_at_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
                let padding = " ".repeat(1000);
                // The reader stops early: a broken pipe is expected.
                let _ = write!(
                    pipe,
                    "{{\"format\": \"yimi-report\",{padding} \"files\": []}}"
                );
            })
        };
        let error = Baseline::load_within(&fifo, 100).unwrap_err().remove(0);
        writer.join().unwrap();
        assert_eq!(
            error.message.en,
            format!(
                "cannot read the baseline `{}`: the file is more than the limit of 100 bytes",
                fifo.display()
            )
        );
    }

    /// Hostile review 14 H6: a baseline of the 64-bit fingerprints written before is refused at
    /// the first of them, with the hint to remake it, rather than read as matching nothing.
    #[test]
    fn a_baseline_of_old_fingerprints_is_refused_with_the_hint_to_remake_it() {
        let text = "{\"format\": \"yimi-report\", \"version\": 1, \"files\": [{\"findings\": [\n  {\"fingerprint\": \"474f2ba257e53015\"}]}]}";
        assert_eq!(
            said(text),
            "2:19 baseline::old-fingerprint: not a yimi JSON report: a fingerprint of the old form (16 hexadecimal digits; this build writes 32, of SHA-256): against it every finding would be new [\"474f2ba257e53015\"]"
        );
        let error = refused(text);
        assert!(
            error.message.zh.contains("旧式指纹"),
            "{}",
            error.message.zh
        );
        assert!(
            error.help.unwrap().zh.contains("重新生成基线"),
            "the hint says to remake it"
        );
    }

    /// A refusal far along a long line of wide characters is located by the file's line and
    /// character column, and quotes the end of the line only.
    #[test]
    fn a_refusal_far_along_a_long_line_is_located_in_characters() {
        let wide = "项".repeat(5_000);
        let text = format!(
            "{{\"format\": \"yimi-report\",\n\"note\": \"{wide}\", \"version\": 3, \"files\": []}}"
        );
        let error = refused(&text);
        assert_eq!(error.code, "baseline::version");
        // `"note": "` (9), the wide characters, `", "version": ` (14): the `3` after them.
        assert_eq!(error.line_col(), (2, 9 + 5_000 + 14 + 1));
        assert_eq!(error.file.text.get(error.primary_span()), Some("3"));
        assert!(
            error.file.text.len() < 5 * 1024,
            "{}",
            error.file.text.len()
        );
        assert!(!error.file.text.contains("format"), "line 1 is not held");
        assert_eq!(error.file.first_line(), 1);
    }

    /// Bytes that are not UTF-8 in a skipped string before the place are shown replaced, and
    /// the label stays on the value.
    #[test]
    fn invalid_utf8_before_the_place_keeps_the_label_on_the_value() {
        let mut text = br#"{"format": "yimi-report", "note": "a"#.to_vec();
        text.extend([0xff, 0xfe, 0xfd]);
        text.extend(br#"b", "version": 7, "files": []}"#);
        let error = Baseline::read(&text[..], None)
            .map_err(|refusal| refusal.diagnostic("<text>"))
            .unwrap_err();
        assert_eq!(error.code, "baseline::version");
        assert_eq!(error.file.text.get(error.primary_span()), Some("7"));
    }

    /// Repeated names are kept once, within the limit; past it no name is kept and any file
    /// may be among them (no warning that none matches).
    #[test]
    fn names_are_kept_once_and_within_a_limit() {
        let report = |names: &[String]| {
            let files: Vec<String> = names
                .iter()
                .map(|name| format!(r#"{{"file": "{name}"}}"#))
                .collect();
            format!(
                r#"{{"format": "yimi-report", "version": 1, "files": [{}]}}"#,
                files.join(", ")
            )
        };
        let naming = super::Naming::AsGiven;
        let repeated =
            Baseline::parse(&report(&vec!["a.yaml".to_owned(); 10 * super::MAX_NAMES])).unwrap();
        assert_eq!(repeated.names.numbers.len(), 1);
        assert!(repeated.names("a.yaml", &naming));
        assert!(!repeated.names("b.yaml", &naming));
        let distinct: Vec<String> = (0..super::MAX_NAMES + 1)
            .map(|i| format!("f{i}.yaml"))
            .collect();
        let many = Baseline::parse(&report(&distinct)).unwrap();
        assert!(many.names.numbers.is_empty() && many.names_files());
        assert!(many.names("anything.yaml", &naming));
        let few = Baseline::parse(&report(&distinct[..super::MAX_NAMES / 2])).unwrap();
        assert!(few.names("f0.yaml", &naming) && !few.names("anything.yaml", &naming));
    }

    /// A report that says how its fingerprints name its files is held to those names
    /// (newcomer review 16 N4), and one that does not says nothing against any file.
    #[test]
    fn fingerprint_names_are_kept_apart_from_the_names_given() {
        let report = r#"{"format": "yimi-report", "version": 1, "files": [{"file": "projects/a.yaml", "fingerprint_path": "sub/projects/a.yaml", "findings": []}]}"#;
        let baseline = Baseline::parse(report).unwrap();
        assert_eq!(baseline.first_name(), Some("`projects/a.yaml`"));
        assert_eq!(
            baseline.first_fingerprint_name(),
            Some("`sub/projects/a.yaml`")
        );
        // Read as text, the baseline's folder is the working directory.
        assert!(baseline.fingerprint_names.holds("sub/projects/a.yaml"));
        assert!(!baseline.fingerprint_names.holds("projects/a.yaml"));
        let older = Baseline::parse(
            r#"{"format": "yimi-report", "version": 1, "files": [{"file": "projects/a.yaml"}]}"#,
        )
        .unwrap();
        assert_eq!(older.first_fingerprint_name(), None);
        assert!(older.fingerprints_name("anything.yaml"));
    }

    /// Files are one however their path is written, and others are not.
    #[test]
    fn file_names_are_numbered_in_normal_form() {
        let number = super::name_number;
        assert_eq!(number("det/x.yaml"), number("./det//x.yaml"));
        assert_eq!(number("det/x.yaml"), number("det/sub/../x.yaml"));
        assert_ne!(number("det/x.yaml"), number("/det/x.yaml"));
        assert_ne!(number("det/x.yaml"), number("det/y.yaml"));
    }

    /// The name the reviewer computed against FNV-1a, and any other, gives its own fingerprint.
    #[test]
    fn a_crafted_name_no_longer_takes_another_files_fingerprint() {
        let path = "facilities[0]";
        let old =
            crate::report::fingerprint_of_key("projects/legacy.yaml", "JL-005a", "fail", path);
        let crafted = crate::report::fingerprint_of_key(
            "projects/eaoh4cJhRC2{rm\"~.yaml",
            "JL-005a",
            "fail",
            path,
        );
        assert_ne!(old, crafted);
        assert_eq!(old.len(), 32);
        // Parts are told apart by their lengths: moving a byte between them changes the hash.
        assert_ne!(
            crate::report::fingerprint_of_key("a", "bc", "fail", ""),
            crate::report::fingerprint_of_key("ab", "c", "fail", "")
        );
    }

    #[test]
    fn a_long_run_of_blanks_between_tokens_is_refused_where_it_passes_the_limit() {
        // An endless stream of blanks (`<(yes ' ')`) stopped at 64 KiB, not read to 1 GiB.
        let blanks = " \n".repeat(40_000);
        assert_eq!(
            said(&blanks),
            "32769:1 baseline::blank-run: not a yimi JSON report: more than 65536 blank bytes in a row, which yimi never writes [ ]"
        );
        // Blanks inside a string are text, not a run between tokens; a report indented as yimi
        // writes it is read.
        let spaces = " ".repeat(100_000);
        let report = format!(
            "{{\n  \"format\": \"yimi-report\",\n  \"version\": 1,\n  \"note\": \"{spaces}\\\"{spaces}\",\n  \"files\": []\n}}\n"
        );
        assert!(Baseline::parse(&report).is_ok());
    }
}
