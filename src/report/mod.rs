//! Reports: the last step. Results hold symbolic locations; here they become spans, lines and
//! columns, and text in the user's language.
//!
//! Architecture invariant: formats differ only in presentation. Every format is built from the
//! same [`FileView`]s, so findings, counts and verdicts agree across formats.

pub mod baseline;
pub mod document;
pub mod escape;
pub mod human;
pub mod json;
pub mod junit;
pub mod plain;
pub mod record;
pub mod sarif;
pub mod snippet;
pub mod spill;

use std::ops::Range;
use std::sync::Arc;

use crate::base::diagnostic::{Diagnostic, Medium, Severity, SourceFile};
use crate::base::i18n::{Lang, Text};
use crate::engine::checked::{Checked, CheckedFile};
use crate::engine::force::{Effect, Standing};
use crate::engine::waivers::Origin;
use crate::engine::{AppliedWaiver, Assessment, Level, Outcome, Verdict};
use crate::project::Project;
use crate::project::types::{Ty, project_type};
use crate::project::yaml::{Segment, YamlPath};
use crate::rules::ir::{Citation, Domain, Rule, RuleSet, Strength};
use crate::tr;

/// Output formats of `yimi check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Reports with the YAML snippet and the value underlined.
    Human,
    /// The same, one fact per line, no colour or box drawing.
    Plain,
    /// A versioned JSON document.
    Json,
    /// SARIF 2.1.0, for code-scanning tools.
    Sarif,
    /// JUnit XML, for CI systems.
    Junit,
    /// An assessment report in Markdown.
    Markdown,
    /// A self-contained HTML assessment report that prints on A4.
    Html,
    /// The review opinion (审查意见书) as a Word document, laid out after GB/T 9704.
    Docx,
}

impl Format {
    /// How the format writes a character that must not be read as a CI command.
    pub fn output_kind(self) -> escape::OutputKind {
        match self {
            Format::Human | Format::Plain => escape::OutputKind::Terminal,
            Format::Json | Format::Sarif => escape::OutputKind::Json,
            // A Word document's text is XML (compressed in its archive).
            Format::Junit | Format::Html | Format::Docx => escape::OutputKind::Markup,
            Format::Markdown => escape::OutputKind::Markdown,
        }
    }

    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Plain => "plain",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Junit => "junit",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// Renders checked files in a format; no line of it starts a CI log command (see
/// [`escape::ci_commands`]).
pub fn render(format: Format, files: &[CheckedFile], set: &RuleSet, style: &Style) -> String {
    let views = views(
        files,
        set,
        style.baseline.as_deref(),
        style.medium,
        &style.naming,
    );
    let text = match format {
        Format::Human => human::report(&views, style),
        Format::Plain => plain::report(&views, style),
        Format::Json => json::report(&views, set, style),
        Format::Sarif => sarif::report(&views, set, style),
        Format::Junit => junit::report(&views, set, style),
        Format::Markdown => document::markdown(&views, set, style),
        Format::Html => document::html(&views, set, style),
        // A Word document is bytes, not text: `write` writes it; here it is described.
        Format::Docx => format!(
            "{} ({} bytes)\n",
            "docx",
            document::docx(&views, set, style).map_or(0, |bytes| bytes.len())
        ),
    };
    match escape::ci_commands(format.output_kind(), &text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(guarded) => guarded,
    }
}

/// Writes checked files in a format to `out`, as [`Stream`] writes them: the whole report is
/// never held as one string.
pub fn write(
    format: Format,
    files: &[CheckedFile],
    set: &RuleSet,
    style: &Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let views = views(
        files,
        set,
        style.baseline.as_deref(),
        style.medium,
        &style.naming,
    );
    let mut stream = Stream::new(format, set, style, views.len())?;
    stream.begin(out)?;
    for view in &views {
        stream.file(view, out)?;
    }
    stream.finish(out)
}

/// A report written one file at a time, in any format, with memory flat in the number of files:
/// human, plain and JSON put their totals last and are written as the files come; the formats
/// that state rules or totals first (SARIF, JUnit, Markdown, HTML, Word) spill each file's part
/// to a temporary file and are put together by [`Stream::finish`]. The bytes are the same as
/// [`render`] gives for all the files at once.
pub struct Stream<'a> {
    format: Format,
    style: &'a Style,
    kind: StreamKind<'a>,
    totals: Totals,
}

enum StreamKind<'a> {
    /// Human and plain text.
    Text,
    Json(json::Streamed<'a>),
    Sarif(Box<sarif::Streamed<'a>>),
    Junit(junit::Streamed<'a>),
    Document(Box<document::Streamed<'a>>),
}

impl<'a> Stream<'a> {
    /// A report in `format` of `files` files (a Word document needs their number first).
    pub fn new(
        format: Format,
        set: &'a RuleSet,
        style: &'a Style,
        files: usize,
    ) -> std::io::Result<Self> {
        let document = |back| -> std::io::Result<StreamKind<'a>> {
            Ok(StreamKind::Document(Box::new(document::Streamed::new(
                back, set, style, files,
            )?)))
        };
        let kind = match format {
            Format::Human | Format::Plain => StreamKind::Text,
            Format::Json => StreamKind::Json(json::Streamed::new(set, style)),
            Format::Sarif => StreamKind::Sarif(Box::new(sarif::Streamed::new(set, style)?)),
            Format::Junit => StreamKind::Junit(junit::Streamed::new(set, style)?),
            Format::Markdown => document(document::Back::Markdown)?,
            Format::Html => document(document::Back::Html)?,
            Format::Docx => document(document::Back::Docx)?,
        };
        Ok(Stream {
            format,
            style,
            kind,
            totals: Totals::default(),
        })
    }

    /// Writes what comes before the first file.
    pub fn begin(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut guarded = escape::Guarded::new(self.format.output_kind(), out);
        if let StreamKind::Json(json) = &self.kind {
            json.begin(&mut guarded)?;
        }
        guarded.finish()
    }

    /// Takes in notes about the run as a whole, before the first file: the files of a
    /// submission left out for their names (`io::skipped-name`). SARIF lists them as tool
    /// execution notifications, Markdown, HTML and Word under a heading before the projects;
    /// JSON, JUnit and text reports have no place for them (`check` writes them to standard
    /// error).
    pub fn notes(&mut self, notes: &[crate::base::diagnostic::Diagnostic]) -> std::io::Result<()> {
        match &mut self.kind {
            StreamKind::Sarif(sarif) => sarif.notes(notes),
            StreamKind::Document(document) => document.notes(notes),
            StreamKind::Text | StreamKind::Json(_) | StreamKind::Junit(_) => Ok(()),
        }
    }

    /// Writes one file, or keeps its part for [`Stream::finish`].
    pub fn file(
        &mut self,
        view: &FileView<'_>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        self.totals.add(view, self.style);
        if let StreamKind::Json(json) = &mut self.kind {
            // A JSON entry guards its strings as they are written (`json::Entries`).
            json.file(view, out)?;
            return out.flush();
        }
        let mut guarded = escape::Guarded::new(self.format.output_kind(), out);
        match &mut self.kind {
            StreamKind::Json(_) => {}
            StreamKind::Text => {
                let mut text = String::new();
                match self.format {
                    Format::Plain => plain::file(&mut text, view, self.style.lang),
                    _ => human::file(&mut text, view, self.style),
                }
                std::io::Write::write_all(&mut guarded, text.as_bytes())?;
            }
            StreamKind::Sarif(sarif) => sarif.file(view)?,
            StreamKind::Junit(junit) => junit.file(view)?,
            StreamKind::Document(document) => document.file(view)?,
        }
        guarded.finish()
    }

    /// What renders a file's part of this report on another thread, for the formats whose part
    /// depends on the file alone (JSON, human, plain): `None` for the formats that gather
    /// rules or totals across files as they go (SARIF, JUnit, Markdown, HTML, Word).
    pub fn renderer(&self) -> Option<Renderer<'a>> {
        let kind = match &self.kind {
            StreamKind::Json(json) => PartKind::Json(json.entries()),
            StreamKind::Text => PartKind::Text,
            _ => return None,
        };
        Some(Renderer {
            format: self.format,
            style: self.style,
            kind,
        })
    }

    /// Writes a file's part that a [`Renderer`] of this stream rendered: the same bytes as
    /// [`Stream::file`] writes for its view.
    /// The part's buffer is handed back to `spare` once written.
    pub fn put(
        &mut self,
        part: Part,
        out: &mut dyn std::io::Write,
        spare: &Spare,
    ) -> std::io::Result<()> {
        self.totals.merge(&part.totals);
        let bytes = part.bytes?;
        if let StreamKind::Json(json) = &mut self.kind {
            // Not guarded with the entry: a line that is only `[` or `,` starts no command.
            json.separator(out)?;
        }
        let written = out.write_all(&bytes).and_then(|()| out.flush());
        spare.give(bytes);
        written
    }

    /// Writes the totals and what closes the report (for a spilling format, the whole report).
    pub fn finish(self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        // A Word document is an archive, not lines of text.
        if self.format == Format::Docx {
            return match self.kind {
                StreamKind::Document(document) => document.finish(out),
                _ => Ok(()),
            };
        }
        let mut guarded = escape::Guarded::new(self.format.output_kind(), out);
        match self.kind {
            StreamKind::Json(json) => json.finish(self.totals, &mut guarded)?,
            StreamKind::Text => {
                let mut text = human::totals_line(&self.totals, self.style.lang);
                text.push('\n');
                std::io::Write::write_all(&mut guarded, text.as_bytes())?;
            }
            StreamKind::Sarif(sarif) => sarif.finish(&mut guarded)?,
            StreamKind::Junit(junit) => junit.finish(&mut guarded)?,
            StreamKind::Document(document) => document.finish(&mut guarded)?,
        }
        guarded.finish()
    }
}

/// Renders a file's part of a report away from its [`Stream`] (on the thread that checked the
/// file, so that `--jobs N` renders N files at once): what [`Stream::file`] would write, guarded
/// the same way, and what the file adds to the totals. Rendering depends on the file alone;
/// [`Stream::put`] writes the parts in the files' order.
#[derive(Clone, Copy)]
pub struct Renderer<'a> {
    format: Format,
    style: &'a Style,
    kind: PartKind<'a>,
}

#[derive(Clone, Copy)]
enum PartKind<'a> {
    Json(json::Entries<'a>),
    Text,
}

/// A file's part of a report, rendered by a [`Renderer`].
pub struct Part {
    bytes: std::io::Result<Vec<u8>>,
    totals: Totals,
}

impl Renderer<'_> {
    /// The file's part, in a buffer taken from `spare`.
    pub fn part(&self, view: &FileView<'_>, spare: &Spare) -> Part {
        let mut totals = Totals::default();
        totals.add(view, self.style);
        let bytes = match self.kind {
            // Guarded as it is written.
            PartKind::Json(entries) => entries.printed(view, spare.take()),
            PartKind::Text => {
                let mut text = String::new();
                match self.format {
                    Format::Plain => plain::file(&mut text, view, self.style.lang),
                    _ => human::file(&mut text, view, self.style),
                }
                let mut bytes = spare.take();
                bytes.clear();
                bytes.reserve(text.len());
                let mut guarded = escape::Guarded::new(self.format.output_kind(), &mut bytes);
                std::io::Write::write_all(&mut guarded, text.as_bytes())
                    .and_then(|()| guarded.finish())
                    .map(|()| bytes)
            }
        };
        Part { bytes, totals }
    }
}

/// The buffers of parts written already, for the parts rendered next: the threads render into
/// buffers the writing thread frees. Freed, they went back to the arenas of the threads that
/// allocated them, which gave the emptied pages back to the system, and the next chunk faulted
/// them in again (12 000 to 48 000 minor faults a 10 000-file JSON run at `--jobs 2`, against
/// 2 300 at `--jobs 1`).
#[derive(Default)]
pub struct Spare {
    buffers: std::sync::Mutex<Vec<Vec<u8>>>,
}

impl Spare {
    /// At most this many buffers are kept: the parts of two chunks in flight
    /// (`run::batch::check_in_order`) at two threads, and a few more.
    const MOST: usize = 512;
    /// A buffer larger than this (a file with thousands of findings) is freed, not kept: a
    /// buffer kept holds its memory until the run ends.
    const LARGEST: usize = 1 << 20;

    /// An empty buffer, one written before when there is one.
    pub fn take(&self) -> Vec<u8> {
        // A poisoned lock (a thread panicked while holding it) only means no buffer is reused.
        self.buffers
            .lock()
            .ok()
            .and_then(|mut buffers| buffers.pop())
            .unwrap_or_default()
    }

    /// Keeps `buffer` for a later part, emptied.
    pub fn give(&self, mut buffer: Vec<u8>) {
        if buffer.capacity() > Self::LARGEST {
            return;
        }
        buffer.clear();
        if let Ok(mut buffers) = self.buffers.lock()
            && buffers.len() < Self::MOST
        {
            buffers.push(buffer);
        }
    }
}

/// How a report is rendered.
#[derive(Clone, Debug)]
pub struct Style {
    /// Language of the tool's words and rule messages.
    pub lang: Lang,
    /// Colour in human output.
    pub color: bool,
    /// Width to wrap human output at.
    pub width: usize,
    /// The date the report is made on (shown in assessment reports).
    pub date: Option<crate::project::date::Date>,
    /// A previous report to tell new findings from existing ones.
    pub baseline: Option<std::sync::Arc<baseline::Baseline>>,
    /// Where the report is read, which decides how a hint names what its reader can do: a
    /// report `yimi check` writes names options, one downloaded from a page does not.
    pub medium: Medium,
    /// How fingerprints name the files: as given (the default), or by their real paths.
    pub naming: baseline::Naming,
}

/// A place in a file, resolved from a path.
#[derive(Clone, Debug)]
pub struct Place {
    /// The symbolic path.
    pub path: YamlPath,
    /// Byte span to underline.
    pub span: Range<usize>,
    /// Whether the value exists (false: the span is where it belongs).
    pub exact: bool,
    /// 1-based line of the span's start.
    pub line: usize,
    /// 1-based column (in characters) of the span's start.
    pub column: usize,
    /// 1-based line of the span's end.
    pub end_line: usize,
    /// 1-based column of the span's end.
    pub end_column: usize,
    /// What to say at the span.
    pub label: Text,
    /// Where the value belongs, in words, when it is missing and no key on its way is stated
    /// (「应在文件顶层注明」): the span is then the start of the file, which is not wrong, so a
    /// report says this instead of marking it.
    pub at_top_level: Option<Text>,
}

/// A fact needed to decide a rule, resolved.
#[derive(Clone, Debug)]
pub struct MissingView {
    /// Where it belongs.
    pub place: Place,
    /// What the model says the field is.
    pub doc: Option<Text>,
    /// What exactly is needed, when the path does not say.
    pub detail: Option<Text>,
}

/// One finding, ready to print.
#[derive(Clone, Debug)]
pub struct FindingView<'a> {
    /// Error, warning or advice; `None` for a waived finding.
    pub level: Option<Level>,
    /// The rule's outcome (`fail` for findings about the file itself).
    pub outcome: Outcome,
    /// The rule, for rule findings.
    pub rule: Option<&'a Rule>,
    /// Rule id, or a code such as `waiver::expired`.
    pub code: String,
    /// What the rule requires (or what the finding is).
    pub title: Text,
    /// What is wrong, with values.
    pub message: Text,
    /// How to fix it.
    pub hint: Option<Text>,
    /// The cited clause.
    pub citation: Option<&'a Citation>,
    /// Where: the first is the primary location.
    pub places: Vec<Place>,
    /// What is missing, for `insufficient_evidence`: the first of it, as the result keeps it.
    pub missing: Vec<MissingView>,
    /// How many more keys are missing than `missing` holds (each would be one more place too).
    pub missing_more: usize,
    /// The waiver that covers it.
    pub waiver: Option<&'a AppliedWaiver>,
    /// A stable identity: file, rule and YAML path, so it survives edits that move lines.
    pub fingerprint: String,
    /// New or already in the baseline, when a baseline was given.
    pub baseline: Option<BaselineState>,
    /// Why the finding only advises, when its pack's source binds no one at the date judged at
    /// (a draft, a plan whose period ended).
    pub advisory: Option<Text>,
    /// The parameters it was decided with that a more local pack refined.
    pub refined: Vec<crate::engine::record::Refined>,
}

/// The most missing keys of one finding that every report lists (`json`, `sarif`, `plain`,
/// `junit` and the document's list of missing evidence; the rest are counted): an aggregate over
/// a long list can miss one value per element, and listing each made a 1.4 MB file a 52 MB SARIF
/// report. `human` underlines as many places.
pub const MAX_LISTED_MISSING: usize = 20;

impl FindingView<'_> {
    /// The missing keys a report lists, and how many more there are.
    pub fn listed_missing(&self) -> (&[MissingView], usize) {
        let listed = self
            .missing
            .get(..MAX_LISTED_MISSING)
            .unwrap_or(&self.missing);
        (
            listed,
            self.missing.len() - listed.len() + self.missing_more,
        )
    }

    /// How many places the finding has, shown or not: `places`, and for missing evidence the
    /// missing keys past those kept (the missing keys are its places).
    pub fn place_count(&self) -> usize {
        if self.outcome == Outcome::InsufficientEvidence {
            self.places.len() + self.missing_more
        } else {
            self.places.len()
        }
    }
}

/// Whether a finding was already reported in the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BaselineState {
    /// Not in the baseline.
    New,
    /// Already in the baseline.
    Existing,
}

impl BaselineState {
    /// The marker shown before the message in text reports.
    pub fn marker(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (BaselineState::New, Lang::Zh) => "[新增] ",
            (BaselineState::New, Lang::En) => "[new] ",
            (BaselineState::Existing, Lang::Zh) => "[基线已有] ",
            (BaselineState::Existing, Lang::En) => "[in baseline] ",
        }
    }
}

/// A stable identity for a finding: SHA-256 over the file, the rule or code, the outcome and the
/// YAML path, its first 128 bits in 32 hexadecimal digits. Lines are left out so that edits
/// elsewhere do not make a finding new; the outcome is in so that a finding that gets worse
/// (missing evidence that turns into a failure, a waiver that lapses) is new. The file is named
/// `key`, as [`baseline::Naming::key`] names it: for `yimi check` its real path from its
/// repository's root (or the report's folder), so that a run on `./det`, `det/sub/..`, a link to
/// `det` or from another working directory matches a baseline made on `det`.
///
/// The file's name is the submitter's to choose and the baseline is public, so the hash must be
/// one nobody can aim: the 64-bit FNV-1a used before was inverted by a 22-second lattice search
/// into a printable name whose new failing file matched a baseline file's findings (hostile
/// review 14 H6). Each part is preceded by its length, so that no two sets of parts are one text.
pub fn fingerprint_of_key(key: &str, code: &str, outcome: &str, path: &str) -> String {
    FileFingerprints::new(key).of(code, outcome, path)
}

/// The fingerprints of one file's findings ([`fingerprint_of_key`] with one `key`): the hash's
/// state after the domain and the key is worked out once a file and copied for each finding,
/// so that the blocks the key fills are hashed once, not again for every finding. The input
/// hashed is the same, and so is every fingerprint.
pub(crate) struct FileFingerprints {
    after_key: sha2::Sha256,
}

impl FileFingerprints {
    const DOMAIN: &'static [u8] = b"yimi-finding-v2";

    pub(crate) fn new(key: &str) -> Self {
        use sha2::Digest;
        let mut after_key = sha2::Sha256::new();
        after_key.update(Self::DOMAIN);
        update_with_part(&mut after_key, key);
        FileFingerprints { after_key }
    }

    /// The fingerprint of the file's finding of `code` and `outcome` at `path`.
    pub(crate) fn of(&self, code: &str, outcome: &str, path: &str) -> String {
        use sha2::Digest;
        let mut hasher = self.after_key.clone();
        for part in [code, outcome, path] {
            update_with_part(&mut hasher, part);
        }
        hex_digits(&hasher.finalize().into())
    }
}

/// One part of [`digest_of_parts`]: its length, then its bytes.
fn update_with_part(hasher: &mut sha2::Sha256, part: &str) {
    use sha2::Digest;
    hasher.update((part.len() as u64).to_le_bytes());
    hasher.update(part.as_bytes());
}

/// The first [`FINGERPRINT_DIGITS`] lowercase hexadecimal digits of a digest, two a byte, each
/// from a table (`format!("{byte:02x}")` for each byte cost a formatter and a `String` a byte).
fn hex_digits(digest: &[u8; 32]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(FINGERPRINT_DIGITS);
    for &byte in digest.iter().take(FINGERPRINT_DIGITS / 2) {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// SHA-256 over `domain` and then each part preceded by its length, so that no two lists of
/// parts are one text: the one hash of texts a submitter chooses (fingerprints, and the file
/// names a baseline holds), which nobody can aim as the FNV-1a used before was aimed.
pub(crate) fn digest_of_parts(domain: &[u8], parts: &[&str]) -> [u8; 32] {
    use sha2::Digest;
    let mut hasher = sha2::Sha256::new();
    hasher.update(domain);
    for part in parts {
        update_with_part(&mut hasher, part);
    }
    hasher.finalize().into()
}

/// The hexadecimal digits of a fingerprint: 128 bits of SHA-256.
pub const FINGERPRINT_DIGITS: usize = 32;

/// Counts of a file's results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Counts {
    /// Findings graded error.
    pub error: usize,
    /// Findings graded warning.
    pub warning: usize,
    /// Findings graded advice.
    pub advice: usize,
    /// Rules that passed on a stated fact.
    pub pass: usize,
    /// Rules that held only because there was nothing to check (an empty list, a requirement
    /// scaled by a stated 0): not counted in `pass`, nor as decided.
    pub vacuous: usize,
    /// Rules that failed.
    pub fail: usize,
    /// Rules that did not apply.
    pub not_applicable: usize,
    /// Rules that could not be decided.
    pub insufficient_evidence: usize,
    /// Findings covered by waivers.
    pub waived: usize,
}

impl Counts {
    /// Counts one finding of `level`.
    fn add(&mut self, level: Level) {
        match level {
            Level::Error => self.error += 1,
            Level::Warning => self.warning += 1,
            Level::Advice => self.advice += 1,
        }
    }
}

/// A rule that held only because there was nothing to check, located on the empty list or the
/// zero it held over: every format says so at the place, and does not count it as decided.
#[derive(Clone, Debug)]
pub struct NothingToCheck<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// The empty list or the zero, labelled with what was not there.
    pub place: Place,
    /// What a report says: nothing was there to check, and why.
    pub note: Text,
}

/// A checked file, ready to print.
pub struct FileView<'a> {
    /// The path.
    pub path: &'a str,
    /// The file, when it could be read.
    pub file: Option<&'a Arc<SourceFile>>,
    /// The project, when it loaded.
    pub project: Option<&'a Project>,
    /// The assessment, when the file loaded.
    pub assessment: Option<&'a Assessment>,
    /// Findings, most serious first, then in file order.
    pub findings: Vec<FindingView<'a>>,
    /// Rules that held only because there was nothing to check, each located on the empty list
    /// or the zero, in the order of the rules.
    pub nothing_to_check: Vec<NothingToCheck<'a>>,
    /// Problems with the input: errors (file invalid) or warnings (unknown keys).
    pub diagnostics: Vec<&'a Diagnostic>,
    /// Counts.
    pub counts: Counts,
    /// The rules it was checked against.
    pub set: &'a RuleSet,
    /// Where it is read: hints are said in its terms ([`Diagnostic::help_in`]).
    pub medium: Medium,
    /// How fingerprints name the file (see [`baseline::Naming`]).
    pub key: String,
}

impl FileView<'_> {
    /// The verdict, if the file was assessed.
    pub fn verdict(&self) -> Option<Verdict> {
        self.assessment.map(|assessment| assessment.verdict)
    }

    /// The verdict as the assessment report states it at the top: the verdict and what it rests
    /// on (`Verdict::stated`), and, when a pack that applied only advises the project, which packs
    /// only advise and which bind ([`standing_note`]). A first page reading "通过" unqualified
    /// when every rule applied came from a consultation draft would overstate the verdict.
    pub fn verdict_line(&self, lang: Lang) -> Option<String> {
        let verdict = self.verdict()?;
        let stated = verdict.stated(self.basis());
        let standing = self
            .assessment
            .and_then(|assessment| standing_note(assessment, self.set, lang));
        Some(match (standing, verdict.label() == stated) {
            (None, _) => stated.get(lang).to_owned(),
            (Some(note), true) => format!("{} — {note}", stated.get(lang)),
            (Some(note), false) => match lang {
                Lang::Zh => format!("{};{note}", stated.zh),
                Lang::En => format!("{}; {note}", stated.en),
            },
        })
    }

    /// Whether the input was invalid (exit code 2).
    pub fn invalid(&self) -> bool {
        self.assessment.is_none()
    }

    /// What the verdict rests on: the rules decided and those left undecided.
    pub fn basis(&self) -> crate::engine::Basis {
        crate::engine::Basis {
            decided: self.counts.pass + self.counts.fail,
            undecided: self.counts.insufficient_evidence,
            vacuous: self.counts.vacuous,
        }
    }

    /// The verdict as its line states it in every format: the label and, beside it, what it
    /// rests on when rules were left undecided (`Verdict::stated`).
    pub fn stated_verdict(&self) -> Option<crate::base::i18n::Text> {
        self.verdict().map(|verdict| verdict.stated(self.basis()))
    }
}

/// Builds the printable view of every file, its findings fingerprinted with the files named
/// as `naming` says.
pub fn views<'a>(
    files: &'a [CheckedFile],
    set: &'a RuleSet,
    baseline: Option<&baseline::Baseline>,
    medium: Medium,
    naming: &baseline::Naming,
) -> Vec<FileView<'a>> {
    files
        .iter()
        .map(|file| {
            let mut view = view(file, set, medium);
            // Each name is worked out once a file: it resolves links on the disk. A file
            // without findings is named too: the JSON report says how its fingerprints name
            // each file, so that a baseline can tell a run that names them otherwise.
            let written = naming.key(view.path);
            view.key.clone_from(&written);
            if view.findings.is_empty() && view.nothing_to_check.is_empty() {
                return view;
            }
            let compared = baseline.map(|baseline| {
                let key = baseline.file_key(view.path);
                // The baseline names the file otherwise: its fingerprints hash that name.
                let theirs = (key != written).then(|| FileFingerprints::new(&key));
                (baseline, theirs)
            });
            let ours = FileFingerprints::new(&written);
            // The first place's path, written into one buffer for all of the file's findings.
            let mut first_place = String::new();
            for finding in &mut view.findings {
                first_place.clear();
                if let Some(place) = finding.places.first() {
                    use std::fmt::Write as _;
                    // Writing into a `String` does not fail.
                    let _ = write!(first_place, "{}", place.path);
                }
                let code = &finding.code;
                let outcome = finding.outcome.as_str();
                finding.fingerprint = ours.of(code, outcome, &first_place);
                finding.baseline = compared.as_ref().map(|(baseline, theirs)| {
                    let fingerprint = match theirs {
                        None => finding.fingerprint.clone(),
                        Some(theirs) => theirs.of(code, outcome, &first_place),
                    };
                    if baseline.contains(&fingerprint) {
                        BaselineState::Existing
                    } else {
                        BaselineState::New
                    }
                });
            }
            view
        })
        .collect()
}

fn view<'a>(checked: &'a CheckedFile, set: &'a RuleSet, medium: Medium) -> FileView<'a> {
    match &checked.result {
        Checked::Invalid(diagnostics) => FileView {
            set,
            path: &checked.path,
            file: diagnostics.first().map(|d| &d.file),
            project: None,
            assessment: None,
            findings: Vec::new(),
            nothing_to_check: Vec::new(),
            diagnostics: diagnostics.iter().collect(),
            // Its errors and warnings are counted, so that its line and the totals do not say
            // "0 errors" beside "invalid" (newcomer review 16 N12); a diagnostic that counts
            // the errors not listed counts as those.
            counts: {
                let mut counts = Counts::default();
                for diagnostic in diagnostics {
                    match diagnostic.severity {
                        crate::base::diagnostic::Severity::Error => {
                            counts.error += diagnostic.unlisted.max(1);
                        }
                        crate::base::diagnostic::Severity::Warning => counts.warning += 1,
                        crate::base::diagnostic::Severity::Advice => {}
                    }
                }
                counts
            },
            medium,
            key: String::new(),
        },
        Checked::Assessed {
            project,
            assessment,
        } => {
            let mut findings = Vec::new();
            let mut nothing_to_check = Vec::new();
            let mut counts = Counts::default();
            // Most projects are checked with no refinement in effect: then no result is asked.
            let refining = crate::engine::record::any_refinement(set, &assessment.packs);
            let params = if refining {
                crate::engine::parameter_values(set, &assessment.packs)
            } else {
                Vec::new()
            };
            for result in &assessment.results {
                match result.outcome {
                    Outcome::Pass if result.vacuous.is_some() => counts.vacuous += 1,
                    Outcome::Pass => counts.pass += 1,
                    Outcome::Fail => counts.fail += 1,
                    Outcome::NotApplicable => counts.not_applicable += 1,
                    Outcome::InsufficientEvidence => counts.insufficient_evidence += 1,
                    Outcome::Waived => counts.waived += 1,
                }
                let Some(rule) = set.rules.get(result.rule) else {
                    continue;
                };
                if let Some(vacuity) = result.vacuous.as_deref() {
                    let label = match vacuity.nothing {
                        crate::engine::Nothing::EmptyList => {
                            tr!("无可检查的对象", "nothing to check")
                        }
                        crate::engine::Nothing::ZeroScale => {
                            tr!("为 0,无可检查的要求", "0: nothing to check")
                        }
                    };
                    nothing_to_check.push(NothingToCheck {
                        rule,
                        place: place(project, &vacuity.path, label),
                        note: vacuity.note(),
                    });
                }
                if result.level.is_none() && result.outcome != Outcome::Waived {
                    continue;
                }
                let primary_label = match result.outcome {
                    Outcome::Waived => {
                        let waiver = result.waiver.as_deref();
                        let reason = waiver.map_or("", |waiver| waiver.reason.as_str());
                        // A waivers file's waiver is in another file: where, beside the reason.
                        match waiver.and_then(AppliedWaiver::written_in) {
                            Some((name, line)) => tr!(
                                "已豁免({name}:{line}):{reason}",
                                "waived ({name}:{line}): {reason}"
                            ),
                            None => tr!("已豁免:{reason}", "waived: {reason}"),
                        }
                    }
                    _ => rule.title.clone(),
                };
                let mut places: Vec<Place> = Vec::new();
                if result.outcome == Outcome::Waived {
                    // A waived finding stays where its problem is, and a waiver written in the
                    // file is a second place beside it (newcomer review 16 N3: it moved to the
                    // waiver, or, for a waiver of a waivers file, to `project.id.rule`, a path
                    // no file has). A waivers file's waiver is in another file: no place here;
                    // the label names it, as JSON's `waiver` and SARIF's suppression do.
                    let own = result
                        .locations
                        .first()
                        .or_else(|| result.missing.first().map(|missing| &missing.path));
                    if let Some(path) = own {
                        places.push(place(project, path, primary_label.clone()));
                    }
                    match result.waiver.as_deref().map(|waiver| &waiver.origin) {
                        Some(Origin::Project(path)) => {
                            let label = if places.is_empty() {
                                primary_label.clone()
                            } else {
                                tr!("豁免", "the waiver")
                            };
                            places.push(place(project, &path.key("rule"), label));
                        }
                        // With no place of its own, the finding is at the project's id.
                        Some(Origin::File { .. }) if places.is_empty() => {
                            let id = YamlPath::root().key("project").key("id");
                            places.push(place(project, &id, primary_label.clone()));
                        }
                        Some(Origin::File { .. }) | None => {}
                    }
                } else if result.outcome == Outcome::Fail {
                    for (i, path) in result.locations.iter().take(4).enumerate() {
                        let label = if i == 0 {
                            primary_label.clone()
                        } else if derived_from(project, path) {
                            derived_label()
                        } else {
                            tr!("相关的值", "related value")
                        };
                        places.push(place(project, path, label));
                    }
                }
                let missing: Vec<MissingView> = result
                    .missing
                    .iter()
                    .map(|missing| {
                        let doc = field_doc(&missing.path);
                        let shown = missing.path.to_string();
                        let label = match (&missing.detail, &doc) {
                            (Some(detail), _) => {
                                let (zh, en) = (&detail.zh, &detail.en);
                                tr!("缺少{zh}", "missing {en}")
                            }
                            (None, Some(doc)) => {
                                let (zh, en) = (&doc.zh, &doc.en);
                                tr!("缺少 `{shown}`({zh})", "missing `{shown}` ({en})")
                            }
                            (None, None) => tr!("缺少 `{shown}`", "missing `{shown}`"),
                        };
                        // A stated value blamed for an undecided rule is a zero divided by,
                        // or text the rule cannot read (an age range such as `儿童`).
                        let node = project.tree.at(&missing.path).map(|node| &node.value);
                        let label = match node {
                            _ if missing.alternative => label,
                            None | Some(crate::project::yaml::Value::Null) => label,
                            Some(crate::project::yaml::Value::Str { .. }) => {
                                tr!(
                                    "无法据以判定的写法",
                                    "written in a way that decides nothing"
                                )
                            }
                            Some(_) => tr!("除数为零", "a divisor of zero"),
                        };
                        MissingView {
                            place: place(project, &missing.path, label),
                            doc,
                            detail: missing.detail.clone(),
                        }
                    })
                    .collect();
                if result.outcome == Outcome::InsufficientEvidence {
                    places.extend(missing.iter().map(|m| m.place.clone()));
                    // After the missing places, so that the headline stays the first of them.
                    for path in &result.locations {
                        if derived_from(project, path) {
                            places.push(place(project, path, derived_label()));
                        }
                    }
                }
                if let Some(level) = result.level {
                    counts.add(level);
                }
                findings.push(FindingView {
                    level: result.level,
                    outcome: result.outcome,
                    rule: Some(rule),
                    code: rule.id.clone(),
                    title: rule.title.clone(),
                    message: result
                        .message
                        .as_deref()
                        .map_or_else(|| rule.title.clone(), Text::clone),
                    hint: result.hint_in(medium),
                    citation: Some(&rule.cite),
                    places,
                    missing,
                    missing_more: result.missing_more,
                    waiver: result.waiver.as_deref(),
                    fingerprint: String::new(),
                    baseline: None,
                    advisory: result
                        .advisory
                        .then(|| advisory_note(set, assessment, rule.pack)),
                    refined: if refining {
                        crate::engine::record::refined(
                            set,
                            project,
                            &assessment.packs,
                            &params,
                            assessment.step_budget,
                            result.rule,
                            result.waiver.as_ref().map_or(result.outcome, |w| w.covered),
                        )
                    } else {
                        Vec::new()
                    },
                });
            }
            // Findings about the file itself come one per item (a target, a waiver): past
            // [`MAX_LISTED_PER_CODE`] of one code they are counted in one more finding, in
            // every format and in the editor (hostile review 15 X5: 20 000 unknown indicators
            // were 20 000 warnings, a 47 MB SARIF report).
            let mut listed_of_code: std::collections::BTreeMap<&str, usize> =
                std::collections::BTreeMap::new();
            let mut unlisted: std::collections::BTreeMap<&str, Unlisted<'_>> =
                std::collections::BTreeMap::new();
            for finding in &assessment.findings {
                // Every finding is counted, listed or not: the summary and the totals say how
                // many there are, not how many lines show them.
                counts.add(finding.level);
                let listed = listed_of_code.entry(finding.code).or_insert(0);
                if *listed >= MAX_LISTED_PER_CODE {
                    unlisted
                        .entry(finding.code)
                        .and_modify(|more| {
                            more.count += 1;
                            more.level = more.level.max(finding.level);
                        })
                        .or_insert(Unlisted {
                            first: finding,
                            count: 1,
                            level: finding.level,
                        });
                    continue;
                }
                *listed += 1;
                findings.push(file_finding_view(project, finding));
            }
            for more in unlisted.into_values() {
                let (code, count) = (more.first.code, more.count);
                let message = tr!(
                    "另有 {count} 处同类问题(`{code}`)未列出",
                    "… and {count} more like these (`{code}`), not listed"
                );
                let counted = crate::engine::FileFinding {
                    code,
                    level: more.level,
                    message,
                    path: more.first.path.clone(),
                    label: tr!("未列出的第一处", "the first not listed"),
                    help: Some(tr!(
                        "改正上面列出的几处后再检查,其余的随之列出",
                        "correct those listed and check again: the next ones are listed then"
                    )),
                };
                findings.push(file_finding_view(project, &counted));
            }
            // A warning about the file as it loaded counts as a warning finding does, in the
            // totals, the verdict and the gate (newcomer review 16 N1: `warning[project::
            // unknown-key]` was printed above "0 warnings" and passed `--fail-on warning`).
            for _ in project
                .warnings
                .iter()
                .filter(|warning| counts_as_warning(warning))
            {
                counts.add(Level::Warning);
            }
            findings.sort_by(|a, b| {
                b.level
                    .cmp(&a.level)
                    .then_with(|| first_offset(a).cmp(&first_offset(b)))
                    .then_with(|| a.code.cmp(&b.code))
            });
            FileView {
                set,
                path: &checked.path,
                file: Some(&project.file),
                project: Some(project),
                assessment: Some(assessment),
                findings,
                nothing_to_check,
                diagnostics: project.warnings.iter().collect(),
                counts,
                medium,
                key: String::new(),
            }
        }
    }
}

/// Whether a diagnostic of an assessed file is one of its warnings, counted as a warning
/// finding is: in the totals, the verdict, `--fail-on warning` and as a JUnit case.
pub fn counts_as_warning(diagnostic: &crate::base::diagnostic::Diagnostic) -> bool {
    diagnostic.severity == crate::base::diagnostic::Severity::Warning
}

/// Findings about the file itself listed per code and file; the rest are counted in one more
/// finding of that code. As many as the input problems human and plain output show.
pub const MAX_LISTED_PER_CODE: usize = snippet::MAX_SHOWN_DIAGNOSTICS;

/// The findings of one code past [`MAX_LISTED_PER_CODE`]: the first of them, where the count is
/// shown, how many, and the most severe level among them (so that a gate still sees an error).
struct Unlisted<'a> {
    first: &'a crate::engine::FileFinding,
    count: usize,
    level: Level,
}

fn first_offset(finding: &FindingView<'_>) -> usize {
    finding
        .places
        .first()
        .map_or(usize::MAX, |place| place.span.start)
}

/// A finding about the file itself (not a rule's), as the report shows it.
fn file_finding_view<'a>(
    project: &Project,
    finding: &crate::engine::FileFinding,
) -> FindingView<'a> {
    FindingView {
        level: Some(finding.level),
        outcome: Outcome::Fail,
        rule: None,
        code: finding.code.to_owned(),
        title: finding.message.clone(),
        message: finding.message.clone(),
        hint: finding.help.clone(),
        citation: None,
        places: vec![place(project, &finding.path, finding.label.clone())],
        missing: Vec::new(),
        missing_more: 0,
        waiver: None,
        fingerprint: String::new(),
        baseline: None,
        advisory: None,
        refined: Vec::new(),
    }
}

fn place(project: &Project, path: &YamlPath, label: Text) -> Place {
    let location = project.tree.locate(path);
    let (line, column) = project.file.line_col(location.span.start);
    let (end_line, end_column) = project.file.line_col(location.span.end);
    let nothing_on_the_way_stated = !location.exact
        && path.segments.first().is_none_or(|first| {
            let first = YamlPath {
                segments: vec![first.clone()],
            };
            project.tree.at(&first).is_none()
        });
    Place {
        at_top_level: nothing_on_the_way_stated
            .then(|| record::belongs_in_words(project, path))
            .flatten(),
        path: path.clone(),
        span: location.span,
        exact: location.exact,
        line,
        column,
        end_line,
        end_column,
        label,
    }
}

/// The model's description of the field at `path`, if it is one.
pub fn field_doc(path: &YamlPath) -> Option<Text> {
    let mut record = project_type().as_ref();
    let mut doc = None;
    for segment in &path.segments {
        let Segment::Key(key) = segment else { continue };
        let (_, field) = record.field(key)?;
        doc = Some(field.doc.clone());
        let mut ty = &field.ty;
        while let Ty::List(item) = ty {
            ty = item;
        }
        if let Ty::Record(inner) = ty {
            record = inner;
        }
    }
    doc
}

/// Totals over all files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Totals {
    /// Files read.
    pub files: usize,
    /// Files that were invalid input.
    pub invalid: usize,
    /// Files whose verdict is `pass`.
    pub pass: usize,
    /// Files passing with advice.
    pub pass_with_advice: usize,
    /// Files needing more evidence.
    pub incomplete: usize,
    /// Files failing.
    pub fail: usize,
    /// Findings graded error.
    pub errors: usize,
    /// Findings graded warning.
    pub warnings: usize,
    /// Findings graded advice.
    pub advice: usize,
    /// With a baseline: how many findings are new and how many were already in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against_baseline: Option<AgainstBaseline>,
}

/// Findings counted against a baseline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct AgainstBaseline {
    /// Findings not in the baseline.
    pub new: usize,
    /// Findings already in it.
    pub existing: usize,
}

/// Adds up the files; with a baseline, also how many findings are new.
pub fn totals(views: &[FileView<'_>], style: &Style) -> Totals {
    let mut totals = Totals::default();
    for view in views {
        totals.add(view, style);
    }
    totals
}

impl Totals {
    /// Adds the counts of other files, counted with the same style.
    pub fn merge(&mut self, other: &Totals) {
        self.files += other.files;
        self.invalid += other.invalid;
        self.pass += other.pass;
        self.pass_with_advice += other.pass_with_advice;
        self.incomplete += other.incomplete;
        self.fail += other.fail;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.advice += other.advice;
        if let Some(other) = other.against_baseline {
            let against = self.against_baseline.get_or_insert_default();
            against.new += other.new;
            against.existing += other.existing;
        }
    }

    /// Counts one more file.
    pub fn add(&mut self, view: &FileView<'_>, style: &Style) {
        let totals = self;
        totals.files += 1;
        match view.verdict() {
            None => totals.invalid += 1,
            Some(Verdict::Pass) => totals.pass += 1,
            Some(Verdict::PassWithAdvice) => totals.pass_with_advice += 1,
            Some(Verdict::Incomplete) => totals.incomplete += 1,
            Some(Verdict::Fail) => totals.fail += 1,
        }
        totals.errors += view.counts.error;
        totals.warnings += view.counts.warning;
        totals.advice += view.counts.advice;
        if style.baseline.is_some() {
            let against = totals.against_baseline.get_or_insert_default();
            for finding in view
                .findings
                .iter()
                .filter(|finding| finding.level.is_some())
            {
                match finding.baseline {
                    Some(BaselineState::New) => against.new += 1,
                    Some(BaselineState::Existing) => against.existing += 1,
                    None => {}
                }
            }
        }
    }
}

/// The citation as one line: `shanghai-2023 §68「…」`.
pub fn citation_line(citation: &Citation, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!(
            "{} §{}「{}」",
            citation.source, citation.clause, citation.quote
        ),
        Lang::En => format!(
            "{} §{} “{}”",
            citation.source, citation.clause, citation.quote
        ),
    }
}

/// A rule's strength and domain in words: `应当 · 成长空间`.
pub fn rule_kind(strength: Strength, domain: Domain, lang: Lang) -> String {
    format!(
        "{} · {}",
        strength.label().get(lang),
        domain.label().get(lang)
    )
}

/// The severity word for a diagnostic about input.
pub fn severity_label(severity: Severity) -> Text {
    match severity {
        Severity::Error => Text::new("错误", "error"),
        Severity::Warning => Text::new("警告", "warning"),
        Severity::Advice => Text::new("提示", "note"),
    }
}

/// Why findings of `pack` only advise this project.
fn advisory_note(set: &RuleSet, assessment: &Assessment, pack: usize) -> Text {
    let Some(found) = set.packs.get(pack) else {
        return tr!("仅供参考", "advisory only");
    };
    let source = &found.source;
    let found_standing = assessment
        .standings
        .iter()
        .find(|standing| standing.pack == pack);
    if found_standing.is_some_and(|standing| standing.issue_uncertain) {
        let known = found.force.issue_known().unwrap_or_default();
        return tr!(
            "依据文件 {source} 的印发日期仅知为 {known},项目决策可能早于其印发,本条仅供参考",
            "the date of issue of {source} is known only as {known} and the decision may predate it, so this only advises"
        );
    }
    let standing = found_standing.map(|standing| standing.standing);
    match (standing, found.force.until) {
        (Some(Standing::PeriodEnded | Standing::DraftPeriodEnded), Some(until)) => tr!(
            "依据文件 {source} 的实施期已于 {until} 届满,本条仅供参考,除非审查机关在已期满文件的处理设置中仍按其要求审查",
            "the period of {source} ended on {until}, so this only advises unless the reviewing office still applies it as binding (the `lapsed` setting)"
        ),
        (Some(Standing::Draft), _) => tr!(
            "依据文件 {source} 为征求意见稿,本条仅供参考,除非审查机关在征求意见稿的处理设置中已声明该稿具有约束力",
            "{source} is a consultation draft, so this only advises unless the reviewing office has declared it binding (the `drafts` setting)"
        ),
        _ => tr!(
            "依据文件 {source} 不具约束力,本条仅供参考",
            "{source} does not bind, so this only advises"
        ),
    }
}

/// Beside a verdict, when a pack that applied only advises the project (a draft, a plan whose
/// period ended): those packs with their standing, as the one-line summary of `human` and
/// `plain` gives them, and which packs bind; `None` when every pack that applied binds.
pub fn standing_note(assessment: &Assessment, set: &RuleSet, lang: Lang) -> Option<String> {
    let with = |effect: Effect| {
        assessment
            .standings
            .iter()
            .filter(move |standing| standing.effect == effect)
    };
    let separator = if lang == Lang::Zh { ";" } else { "; " };
    let advisory = with(Effect::Advisory)
        .filter_map(|standing| pack_standing(standing, set, lang))
        .collect::<Vec<_>>();
    if advisory.is_empty() {
        return None;
    }
    let advisory = advisory.join(separator);
    let binding = with(Effect::Binding)
        .filter_map(|standing| set.packs.get(standing.pack))
        .map(|pack| match &pack.version {
            Some(version) => format!("{} {version}", pack.id),
            None => pack.id.clone(),
        })
        .collect::<Vec<_>>();
    Some(match (lang, binding.is_empty()) {
        (Lang::Zh, true) => format!("规则包 {advisory};发现均仅为建议"),
        (Lang::En, true) => format!("every finding is advice only, from rule packs {advisory}"),
        (Lang::Zh, false) => format!(
            "规则包 {advisory};其发现仅为建议,具有约束力的规则包为 {}",
            binding.join("、")
        ),
        (Lang::En, false) => format!(
            "findings are advice only where they come from rule packs {advisory}; binding: {}",
            binding.join(", ")
        ),
    })
}

/// Each pack whose jurisdiction covers the file, with its source's standing and what it does,
/// e.g. `shanghai-2023 2026.1:实施期已届满,仅供参考(2023-09-14 至 2025-12-31)`.
pub fn pack_standings(assessment: &Assessment, set: &RuleSet, lang: Lang) -> Vec<String> {
    assessment
        .standings
        .iter()
        .filter_map(|standing| pack_standing(standing, set, lang))
        .collect()
}

/// One pack's standing in words, as [`pack_standings`] lists it.
fn pack_standing(
    standing: &crate::engine::force::PackStanding,
    set: &RuleSet,
    lang: Lang,
) -> Option<String> {
    let pack = set.packs.get(standing.pack)?;
    let name = match &pack.version {
        Some(version) => format!("{} {version}", pack.id),
        None => pack.id.clone(),
    };
    let period = pack.force.period(lang);
    let standing_word = standing.standing.label();
    let effect_word = standing.effect.label();
    let continued = pack
        .force
        .continued_by
        .as_deref()
        .filter(|_| standing.standing == Standing::Continued)
        .map(|by| match lang {
            Lang::Zh => format!(",由{by}延续"),
            Lang::En => format!(", continued by {by}"),
        })
        .unwrap_or_default();
    // Why a pack that would bind only advises: the decision may predate its issue.
    let continued = if standing.issue_uncertain {
        match lang {
            Lang::Zh => format!("{continued};决策可能早于其印发,不作为约束"),
            Lang::En => {
                format!("{continued}; the decision may predate its issue, so it does not bind")
            }
        }
    } else {
        continued
    };
    Some(match lang {
        Lang::Zh => format!(
            "{name}:{},{}({period}{continued})",
            standing_word.zh, effect_word.zh
        ),
        Lang::En => format!(
            "{name}: {}, {} ({period}{continued})",
            standing_word.en, effect_word.en
        ),
    })
}

/// The date a file was judged at and where it came from, e.g. `2026-03-01(项目决策日期)`.
pub fn judged_at_text(assessment: &Assessment, lang: Lang) -> String {
    match (assessment.judged_at, assessment.later_decision_date) {
        (Some(at), Some(later)) => match lang {
            Lang::Zh => format!(
                "{}({};项目决策日期 {later} 晚于此日)",
                at.date,
                at.basis.label().zh
            ),
            Lang::En => format!(
                "{} ({}; the decision date {later} is later)",
                at.date,
                at.basis.label().en
            ),
        },
        (Some(at), None) => match lang {
            Lang::Zh => format!("{}({})", at.date, at.basis.label().zh),
            Lang::En => format!("{} ({})", at.date, at.basis.label().en),
        },
        (None, _) => match lang {
            Lang::Zh => "未注明".to_owned(),
            Lang::En => "not given".to_owned(),
        },
    }
}

/// Whether `path` is a value that the loader derived a fact from.
fn derived_from(project: &Project, path: &YamlPath) -> bool {
    project.derived.iter().any(|fact| &fact.from == path)
}

fn derived_label() -> Text {
    tr!("推定所据的值", "the value it was derived from")
}

#[cfg(test)]
mod spare_tests {
    use super::Spare;

    #[test]
    fn a_buffer_given_back_is_taken_again_empty() {
        let spare = Spare::default();
        let mut buffer = Vec::with_capacity(1 << 16);
        buffer.extend_from_slice(b"the part written before");
        let address = buffer.as_ptr();
        spare.give(buffer);
        let taken = spare.take();
        assert_eq!(taken.as_ptr(), address, "the same allocation is reused");
        assert!(taken.is_empty(), "nothing of the part before is left");
        assert!(taken.capacity() >= 1 << 16);
        assert_eq!(
            spare.take().capacity(),
            0,
            "one buffer was given, one taken"
        );
    }

    #[test]
    fn spare_buffers_are_bounded_in_number_and_size() {
        let spare = Spare::default();
        spare.give(Vec::with_capacity(Spare::LARGEST + 1));
        assert_eq!(
            spare.take().capacity(),
            0,
            "a large buffer is freed, not kept"
        );
        for _ in 0..Spare::MOST + 10 {
            spare.give(Vec::with_capacity(16));
        }
        let kept = std::iter::from_fn(|| Some(spare.take()))
            .take_while(|buffer| buffer.capacity() > 0)
            .count();
        assert_eq!(kept, Spare::MOST);
    }
}

#[cfg(test)]
mod fingerprint_tests {
    use super::{FileFingerprints, digest_of_parts, fingerprint_of_key};

    /// Fingerprints are what baselines hold: the hash's state kept after a file's key and the
    /// digits written from a table must give the fingerprints SHA-256 gave before, digit for
    /// digit (the expected ones from Python's hashlib over the same parts).
    #[test]
    fn fingerprints_are_the_first_half_of_sha256_over_the_parts() {
        assert_eq!(
            fingerprint_of_key("a.yaml", "R-1", "fail", "facilities[0]"),
            "38239af9bf944be43c8414df0de1fdc8"
        );
        assert_eq!(
            fingerprint_of_key(
                "../bench19/files-100/000000-yuzhong-residential.yaml",
                "YZ-014d",
                "insufficient_evidence",
                "project.site_area"
            ),
            "1b13bd0f0c46c5f15438e453bef81284"
        );
        assert_eq!(
            fingerprint_of_key("", "", "", ""),
            "167d7a4e53cf012b65efa8910c6f0d83"
        );
    }

    /// One file's kept state gives each finding the fingerprint hashed from scratch, whatever
    /// the length of the key (shorter than a block, ending on a block's edge, several blocks)
    /// and for findings one after another from the same state.
    #[test]
    fn a_files_kept_state_fingerprints_as_hashing_from_the_start() {
        let hex = |digest: [u8; 32]| -> String {
            digest
                .iter()
                .take(16)
                .map(|byte| format!("{byte:02x}"))
                .collect()
        };
        for length in 0..200 {
            let key: String = "k/é".chars().cycle().take(length).collect();
            let file = FileFingerprints::new(&key);
            for (code, outcome, path) in [
                ("R-1", "fail", "facilities[0]"),
                ("JL-005a", "insufficient_evidence", ""),
                ("R-1", "fail", "facilities[1]"),
            ] {
                let parts = [key.as_str(), code, outcome, path];
                assert_eq!(
                    file.of(code, outcome, path),
                    hex(digest_of_parts(b"yimi-finding-v2", &parts)),
                    "key of {length} characters"
                );
            }
        }
    }
}
