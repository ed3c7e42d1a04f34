//! Registered sources and their clauses.
//!
//! A *source* is a cleaned copy of a policy document (see `seeds/README.md`), registered in a
//! manifest (`index.yaml`) with its metadata, the marker style of each clause kind, and every
//! correction made to the wording while cleaning. This module reads the manifest and the texts,
//! segments each text into addressable clauses (parts, sections, headings and items), and checks
//! quotes against them.
//!
//! Clause ids, per source:
//! - an item is its number: `68` for shanghai's `68)`, `16` for ruian's `(16)`;
//! - a heading is `h` and its number: `h18` for shanghai's `18.推进公园绿地儿童友好空间建设`;
//! - a part is its numeral: `二` for `二、…`;
//! - a section is its part and its numeral: `二.(一)`.
//!
//! The built-in corpus ([`Corpus::builtin`]) is the project's own `seeds/` directory, embedded in
//! the binary; a user's directory in the same format is read with [`Corpus::load_dir`].

use crate::base::diagnostic::line_starts;
use crate::base::i18n::{Text, code};
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde::Deserialize;

/// The name of the manifest inside a corpus directory.
pub const MANIFEST: &str = "index.yaml";

/// The built-in manifest, embedded at compile time.
const BUILTIN_MANIFEST: &str = include_str!("../../seeds/index.yaml");

/// The built-in texts, embedded at compile time, by the file name the manifest gives them.
const BUILTIN_TEXTS: &[(&str, &str)] = &[
    ("jilin-2022.txt", include_str!("../../seeds/jilin-2022.txt")),
    ("ruian-2022.txt", include_str!("../../seeds/ruian-2022.txt")),
    (
        "shanghai-2023.txt",
        include_str!("../../seeds/shanghai-2023.txt"),
    ),
    (
        "shangyu-2025.txt",
        include_str!("../../seeds/shangyu-2025.txt"),
    ),
    (
        "yuzhong-2024.txt",
        include_str!("../../seeds/yuzhong-2024.txt"),
    ),
];

/// A set of registered sources, sorted by id.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    sources: Vec<Source>,
    /// How many text files were read to make it: one per file, however many entries name it.
    texts_read: usize,
    /// How many times a text was segmented into clauses: once per file and numbering.
    segmentations: usize,
}

impl Corpus {
    /// The project's own sources (`seeds/` in the repository), embedded in the binary and parsed
    /// once.
    ///
    /// # Panics
    ///
    /// Panics with a message naming the problem if the embedded data is invalid; the test suite
    /// loads it, so a release cannot ship with such data.
    pub fn builtin() -> &'static Corpus {
        static BUILTIN: OnceLock<Corpus> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            let manifest_path = Path::new("seeds").join(MANIFEST);
            let result = Corpus::parse(
                BUILTIN_MANIFEST,
                &manifest_path,
                |file: &str| PathBuf::from(file),
                |file| {
                    BUILTIN_TEXTS
                        .iter()
                        .find(|(name, _)| *name == file)
                        .map(|(_, text)| (*text).to_owned())
                        .ok_or_else(|| CorpusError::NotEmbedded {
                            file: file.to_owned(),
                        })
                },
            );
            match result {
                Ok(corpus) => corpus,
                Err(error) => panic!("the built-in corpus is invalid: {error}"),
            }
        })
    }

    /// Reads a corpus directory: `index.yaml` and the text files it names, in the same format as
    /// the project's `seeds/` directory.
    ///
    /// # Errors
    ///
    /// A file that cannot be read, a manifest that is not valid YAML or not of the manifest's
    /// shape, a text the manifest names that does not exist, or data that is inconsistent (a bad
    /// id or date, clashing marker styles, a duplicate clause id, a correction that does not
    /// match its line). Errors name the file and, where there is one, the line.
    ///
    /// The manifest and texts must lie in `dir`: a symbolic link out of it is refused, never
    /// read ([`CorpusError::OutsideLink`]), as a walked directory's links are.
    pub fn load_dir(dir: &Path) -> Result<Corpus, CorpusError> {
        let root = std::fs::canonicalize(dir).ok();
        let read_inside = |path: &Path| {
            refuse_link_out(path, dir, root.as_deref())?;
            read_text(path)
        };
        let manifest_path = dir.join(MANIFEST);
        let manifest = read_inside(&manifest_path)?;
        // Two names of one file (`a.txt`, and `b.txt -> a.txt`, or a hard link `b.txt`) are
        // one text.
        let identify = |file: &str| {
            let path = dir.join(file);
            // A link out of `dir` is not known by what it reaches: its read refuses it.
            #[cfg(unix)]
            if refuse_link_out(&path, dir, root.as_deref()).is_ok()
                && let Ok(metadata) = std::fs::metadata(&path)
            {
                use std::os::unix::fs::MetadataExt as _;
                return TextFile::Inode {
                    device: metadata.dev(),
                    inode: metadata.ino(),
                };
            }
            TextFile::Path(std::fs::canonicalize(&path).unwrap_or(path))
        };
        Corpus::parse(&manifest, &manifest_path, identify, |file| {
            read_inside(&dir.join(file))
        })
    }

    /// This corpus together with `other`, sorted by id.
    ///
    /// # Errors
    ///
    /// [`CorpusError::DuplicateSource`] when a source id is registered in both.
    pub fn merged(&self, other: Corpus) -> Result<Corpus, CorpusError> {
        let mut sources = self.sources.clone();
        for source in other.sources {
            if sources.iter().any(|s| s.id == source.id) {
                return Err(CorpusError::DuplicateSource { id: source.id });
            }
            sources.push(source);
        }
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Corpus {
            sources,
            texts_read: self.texts_read + other.texts_read,
            segmentations: self.segmentations + other.segmentations,
        })
    }

    /// How many text files were read to make this corpus: a file that several entries of a
    /// manifest name is read once, and its text shared by them.
    pub fn texts_read(&self) -> usize {
        self.texts_read
    }

    /// How many times a text was segmented into clauses to make this corpus: once per file and
    /// numbering, however many entries name the file.
    pub fn segmentations(&self) -> usize {
        self.segmentations
    }

    /// The source registered under `id`.
    pub fn get(&self, id: &str) -> Option<&Source> {
        self.sources
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
            .and_then(|i| self.sources.get(i))
    }

    /// All sources, sorted by id.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Parses a manifest and the texts it names; `identify` says which file a name in the
    /// manifest is (two names of one file give the same identity), `read` returns its text.
    ///
    /// A file named by several entries is read and segmented once and shared by them (a
    /// manifest of 150 entries naming one 7.5 MB text held 2.2 GB when each read it again;
    /// #12 D9), and the texts read are at most [`MAX_SOURCES_TEXT_BYTES`] in all.
    fn parse<Identity: Clone + Eq + std::hash::Hash>(
        manifest: &str,
        manifest_path: &Path,
        identify: impl Fn(&str) -> Identity,
        mut read: impl FnMut(&str) -> Result<String, CorpusError>,
    ) -> Result<Corpus, CorpusError> {
        let malformed = |(line, column, message)| CorpusError::Manifest {
            path: manifest_path.to_owned(),
            line: Some(line),
            column: Some(column),
            message,
        };
        check_manifest_characters(manifest).map_err(malformed)?;
        check_manifest_bounds(manifest).map_err(malformed)?;
        let entries: Vec<Entry> = serde_yaml::from_str(manifest)
            .map_err(|error| manifest_error(manifest_path, &error))?;
        let places = ManifestPlaces::of(manifest);
        let mut sources: Vec<Source> = Vec::with_capacity(entries.len());
        let mut ids: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut texts: HashMap<Identity, SharedText> = HashMap::new();
        let mut segmentations: HashMap<(Identity, Numbering), Segmentation> = HashMap::new();
        let mut text_bytes: usize = 0;
        for (index, entry) in entries.into_iter().enumerate() {
            // A value that is not valid is located at the value, in this entry.
            let invalid = |key: &str, message: Text| {
                let place = places.value(index, key);
                CorpusError::Invalid {
                    path: manifest_path.to_owned(),
                    line: place.map(|(line, _)| line),
                    column: place.map(|(_, column)| column),
                    message,
                }
            };
            let id = code(&entry.id);
            if !is_valid_id(&entry.id) {
                return Err(invalid(
                    "id",
                    crate::tr!(
                        "来源 id {id} 只能由小写字母、数字和 `-` 组成",
                        "source id {id} must be lowercase letters, digits and `-`"
                    ),
                ));
            }
            if !ids.insert(entry.id.clone()) {
                return Err(invalid(
                    "id",
                    crate::tr!("来源 id {id} 重复登记", "duplicate source id {id}"),
                ));
            }
            if !is_valid_date(&entry.date) {
                let date = code(&entry.date);
                return Err(invalid(
                    "date",
                    crate::tr!(
                        "来源 {id}:日期 {date} 不是 YYYY-MM-DD(不知道日时写 YYYY-MM,不知道月时写 YYYY)",
                        "source {id}: date {date} is not YYYY-MM-DD (or YYYY-MM, YYYY when the day is unknown)"
                    ),
                ));
            }
            if let Some(until) = &entry.in_force_until
                && (until.len() != 10
                    || !is_valid_date(until)
                    || until.as_str() < entry.date.as_str())
            {
                let (shown, date) = (code(until), code(&entry.date));
                return Err(invalid(
                    "in_force_until",
                    crate::tr!(
                        "来源 {id}:in_force_until {shown} 应为不早于印发日期 {date} 的 YYYY-MM-DD 日期",
                        "source {id}: in_force_until {shown} is not a YYYY-MM-DD date on or after the date of issue {date}"
                    ),
                ));
            }
            if entry
                .continued_by
                .as_deref()
                .is_some_and(|text| text.trim().is_empty())
            {
                return Err(invalid(
                    "continued_by",
                    crate::tr!(
                        "来源 {id}:continued_by 为空;请写明文件期满后由什么接续,或删去这一项",
                        "source {id}: continued_by is empty; say what continues the document, or leave the field out"
                    ),
                ));
            }
            entry.numbering.check().map_err(|message| {
                let (detail_zh, detail_en) = (&message.zh, &message.en);
                invalid(
                    "numbering",
                    crate::tr!(
                        "来源 {id}:numbering:{detail_zh}",
                        "source {id}: numbering: {detail_en}"
                    ),
                )
            })?;
            if !is_plain_file_name(&entry.file) {
                let file = code(&entry.file);
                return Err(invalid(
                    "file",
                    crate::tr!(
                        "来源 {id}:file {file} 应为来源目录中的一个文件名",
                        "source {id}: file {file} must be a file name in the corpus directory"
                    ),
                ));
            }
            let text_path = manifest_path
                .parent()
                .unwrap_or_else(|| Path::new(""))
                .join(&entry.file);
            let identity = identify(&entry.file);
            let text = match texts.get(&identity) {
                Some(text) => text.clone(),
                None => {
                    let text = read(&entry.file).map_err(|error| match error {
                        CorpusError::Io { path, source }
                            if source.kind() == std::io::ErrorKind::NotFound =>
                        {
                            CorpusError::MissingText {
                                path,
                                id: entry.id.clone(),
                                manifest: manifest_path.to_owned(),
                                line: places.value(index, "file").map(|(line, _)| line),
                            }
                        }
                        other => other,
                    })?;
                    text_bytes = text_bytes.saturating_add(text.len());
                    if text_bytes > MAX_SOURCES_TEXT_BYTES {
                        let (file, bytes) = (code(&entry.file), text.len());
                        let limit_mib = MAX_SOURCES_TEXT_BYTES >> 20;
                        return Err(invalid(
                            "file",
                            crate::tr!(
                                "来源 {id}:文本 {file}({bytes} 字节)使本清单所列文本合计超过 {limit_mib} MiB 的上限;请把来源分到几个目录,分别用 `--sources` 登记",
                                "source {id}: text {file} ({bytes} bytes) takes the texts of this manifest past their limit of {limit_mib} MiB in all; split the sources into several directories, each given with `--sources`"
                            ),
                        ));
                    }
                    let text = SharedText::new(text);
                    texts.insert(identity.clone(), text.clone());
                    text
                }
            };
            check_corrections(&entry, &text, &text_path, |correction, message| {
                let place = places.correction(index, correction, "cleaned_line");
                CorpusError::Invalid {
                    path: manifest_path.to_owned(),
                    line: place.map(|(line, _)| line),
                    column: place.map(|(_, column)| column),
                    message,
                }
            })?;
            let segmentation = match segmentations.entry((identity, entry.numbering)) {
                std::collections::hash_map::Entry::Occupied(found) => found.get().clone(),
                std::collections::hash_map::Entry::Vacant(vacant) => vacant
                    .insert(Segmentation::of(&entry, &text, &text_path)?)
                    .clone(),
            };
            sources.push(Source::with_text(entry, text, segmentation));
        }
        sources.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Corpus {
            sources,
            texts_read: texts.len(),
            segmentations: segmentations.len(),
        })
    }
}

/// A manifest or text of a source directory, as UTF-8, of at most
/// [`crate::base::read::DEFAULT_MAX_BYTES`] bytes. Only a regular file is read: a named pipe
/// in a sources directory would block until something writes to it, and a device may never end.
/// An error when `path` is a symbolic link whose target lies outside the sources directory
/// `dir` (resolved: `root`; unknown, every link is outside).
fn refuse_link_out(path: &Path, dir: &Path, root: Option<&Path>) -> Result<(), CorpusError> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|meta| meta.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    // A broken link is left to the read, which says it is missing.
    let Ok(resolved) = std::fs::canonicalize(path) else {
        return Ok(());
    };
    if root.is_some_and(|root| resolved.starts_with(root)) {
        return Ok(());
    }
    Err(CorpusError::OutsideLink {
        path: path.to_path_buf(),
        target: std::fs::read_link(path).unwrap_or_else(|_| resolved.clone()),
        resolved,
        dir: dir.to_path_buf(),
    })
}

/// Which file a name in a manifest reaches, so that a file with several names is read and
/// counted toward [`MAX_SOURCES_TEXT_BYTES`] once: on Unix its device and inode (a hard link,
/// a symbolic link and the file's own name agree), elsewhere its resolved path.
#[derive(Clone, PartialEq, Eq, Hash)]
enum TextFile {
    #[cfg_attr(not(unix), allow(dead_code))]
    Inode {
        device: u64,
        inode: u64,
    },
    Path(PathBuf),
}

fn read_text(path: &Path) -> Result<String, CorpusError> {
    use crate::base::read::{DEFAULT_MAX_BYTES, ReadError, read_bounded};
    let io = |source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    };
    if std::fs::metadata(path).is_ok_and(|metadata| !metadata.is_file()) {
        return Err(io(std::io::Error::other(
            "not a regular file (such as a named pipe or a device), so it is not read",
        )));
    }
    let bytes = read_bounded(path, DEFAULT_MAX_BYTES).map_err(|error| match error {
        ReadError::Io(source) => io(source),
        other => io(std::io::Error::other(other.reason().en)),
    })?;
    String::from_utf8(bytes)
        .map_err(|error| io(std::io::Error::new(std::io::ErrorKind::InvalidData, error)))
}

/// A registered source: one cleaned policy document with its metadata and clauses.
#[derive(Debug, Clone)]
pub struct Source {
    /// The id that rules cite, e.g. `shanghai-2023`.
    pub id: String,
    /// The document's title.
    pub title: String,
    /// The issuing body.
    pub issuer: String,
    /// The document number (文号), when it has one.
    pub number: Option<String>,
    /// The date of issue: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only that much is known.
    pub date: String,
    /// Where the document applies, e.g. `CN/ZJ/Wenzhou/Ruian`.
    pub jurisdiction: String,
    /// The administrative level of the issuer.
    pub level: Level,
    /// Whether the document is in force or a draft.
    pub status: Status,
    /// The last day of the period the document states for itself (a three-year plan for
    /// 2023–2025 ends on 2025-12-31), if it states one: `YYYY-MM-DD`.
    pub in_force_until: Option<String>,
    /// What continues the document after its period, when something does (a successor plan, an
    /// office's decision to keep applying it); its rules then stay binding.
    pub continued_by: Option<String>,
    /// The cleaned text's file name in the corpus directory.
    pub file: String,
    /// The raw original's file name under `original/` in the corpus directory.
    pub original: String,
    /// The marker style of each clause kind.
    pub numbering: Numbering,
    /// How page-fragment markers removed while re-joining looked in the original, if any.
    pub fragment_markers: Option<String>,
    /// Provenance notes on the metadata or the copy.
    pub notes: Option<String>,
    /// Every change to the wording made while cleaning.
    pub corrections: Vec<Correction>,
    /// The cleaned text, shared by the sources of a manifest that name the same file.
    pub text: Arc<str>,
    /// `text` without whitespace, made on the first quote looked up; shared with `text`.
    without_whitespace: Arc<OnceLock<WithoutWhitespace>>,
    /// Indexes of the long clauses that many quotes are looked up in; shared with `text`.
    quote_indexes: Arc<quotes::QuoteIndexes>,
    /// Shared by the sources that name the same file with the same numbering.
    clauses: Arc<[Clause]>,
    by_id: Arc<ClauseIndex>,
    line_starts: Arc<[usize]>,
}

/// A text of a manifest, read once and shared (by `Arc`) by every entry naming its file, with
/// what is made of it whatever its numbering.
#[derive(Debug, Clone)]
struct SharedText {
    text: Arc<str>,
    line_starts: Arc<[usize]>,
    without_whitespace: Arc<OnceLock<WithoutWhitespace>>,
    quote_indexes: Arc<quotes::QuoteIndexes>,
}

impl SharedText {
    fn new(text: String) -> SharedText {
        SharedText {
            line_starts: line_starts(&text).into(),
            text: text.into(),
            without_whitespace: Arc::default(),
            quote_indexes: Arc::default(),
        }
    }
}

/// The clauses of a text under one numbering, shared by the entries naming the file with it.
#[derive(Debug, Clone)]
struct Segmentation {
    clauses: Arc<[Clause]>,
    by_id: Arc<ClauseIndex>,
}

impl Segmentation {
    /// Segments `text` by `entry`'s numbering; `path` names the text in errors.
    fn of(entry: &Entry, text: &SharedText, path: &Path) -> Result<Segmentation, CorpusError> {
        let id = code(&entry.id);
        let clauses = segment(&text.text, &text.line_starts, &entry.numbering).map_err(
            |(offset, message)| {
                let starts = &text.line_starts;
                let line = line_at(starts, offset);
                let column = line
                    .checked_sub(1)
                    .and_then(|index| starts.get(index))
                    .and_then(|&start| text.text.get(start..offset))
                    .map(|before| before.chars().count() + 1);
                let (detail_zh, detail_en) = (&message.zh, &message.en);
                CorpusError::Invalid {
                    path: path.to_owned(),
                    line: Some(line),
                    column,
                    message: crate::tr!("来源 {id}:{detail_zh}", "source {id}: {detail_en}"),
                }
            },
        )?;
        Ok(Segmentation {
            by_id: Arc::new(ClauseIndex::new(&clauses)),
            clauses: clauses.into(),
        })
    }
}

/// Checks that each correction of `entry` names a line of `text` that holds its corrected
/// wording once. A line past the end is the manifest's mistake: `in_manifest(n)` is the error
/// with a message at the `n`th correction's line number there; a line that does not hold the
/// wording is shown in the text (`path`).
fn check_corrections(
    entry: &Entry,
    text: &SharedText,
    path: &Path,
    in_manifest: impl Fn(usize, Text) -> CorpusError,
) -> Result<(), CorpusError> {
    let id = code(&entry.id);
    for (index, correction) in entry.corrections.iter().enumerate() {
        let corrected = code(&correction.corrected);
        let Some(line) = line_text(&text.text, &text.line_starts, correction.cleaned_line) else {
            let lines = line_count(&text.text, &text.line_starts);
            let cleaned_line = correction.cleaned_line;
            let message = crate::tr!(
                "来源 {id}:更正 {corrected} 的 cleaned_line {cleaned_line} 超出了文本末尾(文本共 {lines} 行)",
                "source {id}: correction {corrected} names cleaned_line {cleaned_line}, past the end of the text ({lines} lines)"
            );
            return Err(in_manifest(index, message));
        };
        if correction.corrected.is_empty() || line.matches(&correction.corrected).count() != 1 {
            return Err(CorpusError::Invalid {
                path: path.to_owned(),
                line: Some(correction.cleaned_line),
                column: None,
                message: crate::tr!(
                    "来源 {id}:更正后的文字 {corrected} 须在这一行恰好出现一次",
                    "source {id}: the corrected text {corrected} must occur exactly once on this line"
                ),
            });
        }
    }
    Ok(())
}

/// Where each clause is in [`Source::clauses`], by the names [`Source::clause`] accepts: a pack
/// looks a clause up for every citation and every sentence a note names, so the lookup is a map,
/// not a scan of a long source's clauses per quote.
#[derive(Debug, Clone, Default)]
struct ClauseIndex {
    /// Canonical ids as they are (`68`, `二.(一)`).
    exact: HashMap<String, usize>,
    /// Canonical ids with full-width brackets and whitespace normalised.
    normalized: HashMap<String, usize>,
    /// Items' markers as written, normalised (`68)`, `(16)`).
    item_labels: HashMap<String, usize>,
    /// Headings' markers as written, normalised.
    heading_labels: HashMap<String, usize>,
}

impl ClauseIndex {
    /// Each map keeps the first clause in document order under a name, as a scan finds it.
    fn new(clauses: &[Clause]) -> ClauseIndex {
        let mut index = ClauseIndex::default();
        for (at, clause) in clauses.iter().enumerate() {
            index.exact.entry(clause.id.clone()).or_insert(at);
            index
                .normalized
                .entry(normalize_id(&clause.id))
                .or_insert(at);
            let labels = match clause.kind {
                ClauseKind::Item => Some(&mut index.item_labels),
                ClauseKind::Heading => Some(&mut index.heading_labels),
                _ => None,
            };
            if let Some(labels) = labels {
                labels.entry(normalize_id(&clause.label)).or_insert(at);
            }
        }
        index
    }
}

impl Source {
    /// Builds a source from its manifest entry and text alone; `path` names the text in errors.
    #[cfg(test)]
    fn new(entry: Entry, text: String, path: &Path) -> Result<Source, CorpusError> {
        let text = SharedText::new(text);
        check_corrections(&entry, &text, path, |_, message| CorpusError::Invalid {
            path: path.to_owned(),
            line: None,
            column: None,
            message,
        })?;
        let segmentation = Segmentation::of(&entry, &text, path)?;
        Ok(Source::with_text(entry, text, segmentation))
    }

    /// A source of its manifest entry, its (checked) text and the text's clauses.
    fn with_text(entry: Entry, text: SharedText, segmentation: Segmentation) -> Source {
        Source {
            id: entry.id,
            title: entry.title,
            issuer: entry.issuer,
            number: entry.number,
            date: entry.date,
            jurisdiction: entry.jurisdiction,
            level: entry.level,
            status: entry.status,
            in_force_until: entry.in_force_until,
            continued_by: entry.continued_by,
            file: entry.file,
            original: entry.original,
            numbering: entry.numbering,
            fragment_markers: entry.fragment_markers,
            notes: entry.notes,
            corrections: entry.corrections,
            text: text.text,
            line_starts: text.line_starts,
            without_whitespace: text.without_whitespace,
            quote_indexes: text.quote_indexes,
            clauses: segmentation.clauses,
            by_id: segmentation.by_id,
        }
    }

    /// All clauses, in document order.
    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// The clause with canonical id `id` (`68`, `h18`, `二`, `二.(一)`), or, for items and
    /// headings, the clause whose marker is `id` as written (`68)`, `(16)`, `（16）`).
    ///
    /// Full-width and ASCII parentheses and dots, and whitespace, do not matter.
    pub fn clause(&self, id: &str) -> Option<&Clause> {
        if let Some(&at) = self.by_id.exact.get(id) {
            return self.clauses.get(at);
        }
        let wanted = normalize_id(id);
        if wanted.is_empty() {
            return None;
        }
        let index = &self.by_id;
        index
            .normalized
            .get(&wanted)
            .or_else(|| index.item_labels.get(&wanted))
            .or_else(|| index.heading_labels.get(&wanted))
            .and_then(|&at| self.clauses.get(at))
    }

    /// Where the clause whose canonical id is exactly `id` (`68`, `二.(一)`, as citations and
    /// notes hold them once checked) is in [`Source::clauses`]; no other spelling is accepted.
    /// The index made when the source was loaded: a walk of every clause need not hash them all
    /// again into a map of its own.
    pub fn clause_position(&self, id: &str) -> Option<usize> {
        self.by_id.exact.get(id).copied()
    }

    /// The items, in document order.
    pub fn items(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.kind == ClauseKind::Item)
    }

    /// The clause's full range: from its marker to the next clause of the same or a higher kind
    /// (so a heading includes its items).
    pub fn text_of(&self, clause: &Clause) -> &str {
        self.text.get(clause.range.clone()).unwrap_or("")
    }

    /// The clause's own text: from its marker to the next clause of any kind.
    pub fn own_text_of(&self, clause: &Clause) -> &str {
        self.text.get(clause.own_range.clone()).unwrap_or("")
    }

    /// The clauses that contain `clause`, outermost first.
    pub fn ancestors(&self, clause: &Clause) -> Vec<&Clause> {
        let mut chain = Vec::new();
        let mut next = clause.parent;
        while let Some(index) = next {
            let Some(parent) = self.clauses.get(index) else {
                break;
            };
            if chain.len() > self.clauses.len() {
                break;
            }
            chain.push(parent);
            next = parent.parent;
        }
        chain.reverse();
        chain
    }

    /// Where `quote` occurs inside the clause's full range, as a byte range in [`Source::text`].
    ///
    /// Whitespace is ignored on both sides (so a quote may span a line break, or carry extra
    /// spaces); every other character, punctuation included, must match exactly. An empty quote
    /// is never found.
    ///
    /// The first occurrence is taken, except in a heading that the clause's text repeats
    /// (`(56)建设儿童安全通学路。建设儿童安全通学路,…`): a quote of the heading's words is placed
    /// in the text, where the duty is stated, so that a citation need not take in the text's next
    /// character to land there.
    pub fn locate_quote(&self, clause: &Clause, quote: &str) -> Option<Range<usize>> {
        let needle = strip_whitespace(quote);
        if needle.is_empty() {
            return None;
        }
        let (stripped, range) = self.stripped_clause(clause);
        let found = range.start
            + self
                .quote_indexes
                .find(range.clone(), stripped.text.get(range)?, &needle)?;
        let found = self
            .past_repeated_heading(clause, stripped, found, &needle)
            .unwrap_or(found);
        stripped.source_range(&self.text, found..found + needle.len())
    }

    /// The passage of the clause (its full range, where [`Source::locate_quote`] looks) most
    /// like a quote not found in it, as a byte range in [`Source::text`], with how many
    /// characters must be changed, inserted or deleted to make it the quote (whitespace
    /// ignored); `None` when no run of the quote's characters is in the clause. One pass over
    /// the clause, whatever the quote (see `quotes::closest`).
    pub fn closest_passage(&self, clause: &Clause, quote: &str) -> Option<(Range<usize>, usize)> {
        let needle = strip_whitespace(quote);
        let (stripped, range) = self.stripped_clause(clause);
        let from = range.start;
        let passage = quotes::closest(stripped.text.get(range)?, &needle)?;
        let found = stripped.source_range(
            &self.text,
            from + passage.range.start..from + passage.range.end,
        )?;
        Some((found, passage.edits))
    }

    /// The innermost clause holding `quote` (whitespace ignored) where it first occurs in the
    /// source outside `cited` (a clause that does not hold it), if it occurs in a clause: a quote
    /// cited under the wrong clause is found in the right one. One scan of the source's text
    /// around the cited clause (a quote across the cited clause's edge is not looked for).
    pub fn clause_holding(&self, quote: &str, cited: &Clause) -> Option<&Clause> {
        let needle = strip_whitespace(quote);
        if needle.is_empty() {
            return None;
        }
        let (stripped, range) = self.stripped_clause(cited);
        let found = stripped
            .text
            .get(..range.start)
            .and_then(|before| before.find(&needle))
            .or_else(|| {
                let after = stripped.text.get(range.end..)?;
                Some(range.end + after.find(&needle)?)
            })?;
        let found = stripped.source_range(&self.text, found..found + needle.len())?;
        let mut next = self
            .clauses
            .partition_point(|clause| clause.range.start <= found.start)
            .checked_sub(1);
        let mut steps = 0;
        while let Some(index) = next {
            let clause = self.clauses.get(index)?;
            // Clauses end at a character boundary: the quote's last character ends inside the
            // clause when it starts inside it.
            if clause.range.start <= found.start && found.end <= clause.range.end {
                return Some(clause);
            }
            steps += 1;
            if steps > self.clauses.len() {
                break;
            }
            next = clause.parent;
        }
        None
    }

    /// The source's text without whitespace (made on the first quote looked up), and the part of
    /// it that is `clause`'s full range.
    fn stripped_clause(&self, clause: &Clause) -> (&WithoutWhitespace, Range<usize>) {
        let stripped = self.stripped();
        let from = stripped.index_of(clause.range.start);
        (stripped, from..stripped.index_of(clause.range.end))
    }

    /// The source's text without whitespace, made on the first quote looked up.
    fn stripped(&self) -> &WithoutWhitespace {
        self.without_whitespace
            .get_or_init(|| WithoutWhitespace::of(&self.text))
    }

    /// Where `needle`, found at `found` (in the text without whitespace) inside the heading of
    /// `clause`, occurs again in the clause's own text after the heading, when that text
    /// repeats the whole heading; `None` when the quote is not in the heading or the heading is
    /// not repeated. The heading is the clause's title right after its marker (see
    /// [`Clause::title`]); a title that the text does not repeat is left alone, since it may be
    /// the clause's first sentence rather than a heading.
    fn past_repeated_heading(
        &self,
        clause: &Clause,
        stripped: &WithoutWhitespace,
        found: usize,
        needle: &str,
    ) -> Option<usize> {
        let title = strip_whitespace(&clause.title);
        if title.is_empty() {
            return None;
        }
        let label_len: usize = clause
            .label
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(char::len_utf8)
            .sum();
        let heading_start = stripped.index_of(clause.own_range.start) + label_len;
        let heading_end = heading_start + title.len();
        if stripped.text.get(heading_start..heading_end)? != title
            || found < heading_start
            || found + needle.len() > heading_end
        {
            return None;
        }
        let own_end = stripped.index_of(clause.own_range.end);
        // The indexed search, as for any quote: many quotes of one long clause's heading must not
        // each scan the clause again.
        let rest = stripped.text.get(heading_end..own_end)?;
        self.quote_indexes
            .find(heading_end..own_end, rest, &title)?;
        let again = self
            .quote_indexes
            .find(heading_end..own_end, rest, needle)?;
        Some(heading_end + again)
    }

    /// Several clauses searched together for quotes (see [`QuotesIn`]).
    pub fn quotes_in<'a>(&'a self, clauses: &[&'a Clause]) -> QuotesIn<'a> {
        let stripped = self.stripped();
        // Where each clause is first named: a quote goes to the first named clause holding it.
        let mut order: HashMap<&'a str, usize> = HashMap::with_capacity(clauses.len());
        for (at, clause) in clauses.iter().enumerate() {
            order.entry(clause.id.as_str()).or_insert(at);
        }
        // Only the outermost clauses named are joined: a part's range holds its sections and
        // items, and joining a named item again beside its named part indexed the same text
        // once per level (#12 D4). Clause ranges nest or are apart, so a sweep in text order
        // finds the outermost ones.
        let mut by_place: Vec<(usize, &'a Clause)> = clauses
            .iter()
            .filter_map(|clause| Some((*order.get(clause.id.as_str())?, *clause)))
            .collect();
        by_place.sort_by_key(|(at, clause)| {
            (clause.range.start, std::cmp::Reverse(clause.range.end), *at)
        });
        by_place.dedup_by_key(|(_, clause)| clause.id.as_str());
        let mut outermost: Vec<(usize, &'a Clause)> = Vec::new();
        let mut covered_to = 0;
        for (at, clause) in by_place {
            if clause.range.end <= covered_to {
                continue;
            }
            covered_to = covered_to.max(clause.range.end);
            outermost.push((at, clause));
        }
        outermost.sort_by_key(|(at, _)| *at);
        let ranges: Vec<(usize, Range<usize>)> = outermost
            .into_iter()
            .map(|(at, clause)| {
                let from = stripped.index_of(clause.range.start);
                (at, from..stripped.index_of(clause.range.end).max(from))
            })
            .collect();
        // One clause that holds the others (a note on one clause, or on a part and what is in
        // it) is searched in place, through the indexes of the source's text that every quote
        // of it shares: a copy and an index of their own for each note held a long text twice
        // more, and indexed it again for every note (#12).
        let only = match ranges.as_slice() {
            [(_, range)] => Some(range.clone()),
            _ => None,
        };
        let mut joined = String::with_capacity(match only {
            Some(_) => 0,
            None => ranges.iter().map(|(_, range)| range.len() + 1).sum(),
        });
        let mut segments = Vec::with_capacity(ranges.len());
        for (at, range) in ranges {
            let (from, to) = (range.start, range.end);
            segments.push(Segment {
                joined_start: joined.len(),
                stripped_start: from,
                order: at,
            });
            if only.is_none() {
                joined.push_str(stripped.text.get(from..to).unwrap_or_default());
                joined.push('\n');
            }
        }
        QuotesIn {
            source: self,
            order,
            only,
            joined,
            segments,
            search: quotes::Search::default(),
        }
    }

    /// The sentences of a clause's own text, trimmed of whitespace, in order. A sentence ends
    /// after `。`, `！`, `？`, `!` or `?`, or at the end of a line. The marker (`(5)`, `1.`) is not
    /// part of the first sentence, so that its figure does not read as a requirement.
    pub fn sentences_of(&self, clause: &Clause) -> Vec<Sentence> {
        let mut sentences = Vec::new();
        self.push_sentences_of(clause, &mut sentences);
        sentences
    }

    /// [`Source::sentences_of`] `clause` added to `sentences`: a walk of every clause keeps
    /// them in one list rather than a list of its own for each.
    pub fn push_sentences_of(&self, clause: &Clause, sentences: &mut Vec<Sentence>) {
        let start = clause.own_range.start + clause.label.len();
        let Some(text) = self.text.get(start..clause.own_range.end) else {
            return;
        };
        let mut from = 0;
        for (at, c) in text.char_indices() {
            // A `\r` alone ends a line as `\n` does (see [`line_starts`]); that of a `\r\n` is
            // trimmed with the sentence.
            let ends_line = c == '\n' || (c == '\r' && text.as_bytes().get(at + 1) != Some(&b'\n'));
            if ends_line || matches!(c, '。' | '！' | '？' | '!' | '?') {
                let end = if ends_line { at } else { at + c.len_utf8() };
                push_trimmed(sentences, text, start, from..end, ends_line);
                from = at + c.len_utf8();
            }
        }
        push_trimmed(sentences, text, start, from..text.len(), true);
    }

    /// The 1-based line of the cleaned file that holds `byte_offset`.
    pub fn line_of(&self, byte_offset: usize) -> usize {
        line_at(&self.line_starts, byte_offset)
    }

    /// The clause id closest to a mistyped `id`, if one is close enough to be a plausible typo.
    pub fn suggest_clause(&self, id: &str) -> Option<&str> {
        crate::base::suggest::did_you_mean(id, self.clauses.iter().map(|c| c.id.as_str()))
    }
}

/// Several clauses of a source searched together for quotes: which of them, the first in the
/// order given, holds a quote. A note names clauses and sentences, and trying each sentence in
/// each clause took time in clauses × sentences (and scanned every clause again for every
/// sentence). The texts without whitespace of the outermost clauses named are joined here by
/// line ends, which no quote holds once its whitespace is dropped, so one index of the joined
/// text serves every quote and holds each byte of the source once, however the clauses nest.
///
/// A quote goes to the first clause named among those around its first occurrence in the
/// joined text. When each clause is named after the clauses around it (`§一, §一.(一), §1`),
/// that is the first clause named that holds it anywhere, as [`Source::locate_quote`] on each
/// clause in turn finds; when an inner clause is named first, it is still a clause that holds it.
#[derive(Debug)]
pub struct QuotesIn<'a> {
    source: &'a Source,
    /// Where each clause id is first named.
    order: HashMap<&'a str, usize>,
    /// The part of the source's text without whitespace of the one outermost clause named,
    /// searched in place; `None` when several are joined.
    only: Option<Range<usize>>,
    /// The outermost clauses' texts without whitespace, joined, when there are several.
    joined: String,
    /// The outermost clauses named, in the order named, each where it starts in `joined`.
    segments: Vec<Segment>,
    search: quotes::Search,
}

/// An outermost clause's text in [`QuotesIn`]'s joined text.
#[derive(Debug)]
struct Segment {
    /// Where it starts in the joined text (rising from one segment to the next).
    joined_start: usize,
    /// Where it starts in the source's text without whitespace.
    stripped_start: usize,
    /// Where the clause is named.
    order: usize,
}

impl QuotesIn<'_> {
    /// The index, among the clauses given, of the first that holds `quote` (see [`QuotesIn`]);
    /// whitespace is ignored, an empty quote is never found.
    pub fn first_holding(&mut self, quote: &str) -> Option<usize> {
        let needle = strip_whitespace(quote);
        if needle.is_empty() {
            return None;
        }
        let at = match &self.only {
            Some(range) => {
                let stripped = self.source.without_whitespace.get()?;
                let text = stripped.text.get(range.clone())?;
                self.source
                    .quote_indexes
                    .find(range.clone(), text, &needle)?
            }
            None => self.search.find(&self.joined, &needle)?,
        };
        // The segment that starts at or before `at`: the last such start.
        let segment = self.segments.get(
            self.segments
                .partition_point(|segment| segment.joined_start <= at)
                .checked_sub(1)?,
        )?;
        let stripped = self.source.without_whitespace.get()?;
        let first = segment.stripped_start + (at - segment.joined_start);
        let found = stripped.source_range(&self.source.text, first..first + needle.len())?;
        Some(self.first_named_around(&found).unwrap_or(segment.order))
    }

    /// Where the first clause named is named among the clauses whose range holds `found` (bytes
    /// of the source's text): the innermost such clause and those around it (a few levels).
    fn first_named_around(&self, found: &Range<usize>) -> Option<usize> {
        let clauses = &self.source.clauses;
        let mut next = clauses
            .partition_point(|clause| clause.range.start <= found.start)
            .checked_sub(1);
        let mut best: Option<usize> = None;
        let mut steps = 0;
        while let Some(index) = next {
            let clause = clauses.get(index)?;
            steps += 1;
            if steps > clauses.len() {
                break;
            }
            // Clauses end at a character boundary (see [`Source::clause_holding`]).
            if clause.range.start <= found.start
                && found.end <= clause.range.end
                && let Some(&at) = self.order.get(clause.id.as_str())
            {
                best = Some(best.map_or(at, |best: usize| best.min(at)));
            }
            next = clause.parent;
        }
        best
    }

    /// How many quotes were found by scanning the joined text from its start rather than in its
    /// index: all of them while it is at most a few KiB long, else the first few. (One clause
    /// searched in place counts its scans with the source's other lookups, not here.)
    pub fn scans(&self) -> usize {
        self.search.scans()
    }

    /// How many bytes of text are joined and indexed: each byte of the source at most once.
    pub fn indexed_len(&self) -> usize {
        match &self.only {
            Some(range) => range.len() + 1,
            None => self.joined.len(),
        }
    }
}

/// A source's text without its whitespace, with where each byte came from: quotes are matched
/// ignoring whitespace, and `str::find` on this text matches in time linear in the clause and the
/// quote, however many quotes a pack has and whatever they repeat.
///
/// Where a byte came from is kept per run of characters between whitespace, not per byte: an
/// offset a byte (8 bytes each) took 60 MB beside a 7.5 MB text, which holds a few runs a line.
#[derive(Debug, Clone, Default)]
struct WithoutWhitespace {
    text: String,
    /// Each run of characters without whitespace: where it starts in the source's text, and in
    /// `text`; both rise. Offsets fit in 32 bits: a source's text is at most 8 MiB (the
    /// README's limits).
    runs: Vec<(u32, u32)>,
}

impl WithoutWhitespace {
    fn of(source: &str) -> Self {
        let kept = source
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(char::len_utf8)
            .sum();
        let mut stripped = WithoutWhitespace {
            text: String::with_capacity(kept),
            runs: Vec::new(),
        };
        let mut after_whitespace = true;
        for (at, c) in source.char_indices() {
            if c.is_whitespace() {
                after_whitespace = true;
                continue;
            }
            if after_whitespace
                && let (Ok(at), Ok(to)) = (u32::try_from(at), u32::try_from(stripped.text.len()))
            {
                stripped.runs.push((at, to));
            }
            after_whitespace = false;
            stripped.text.push(c);
        }
        stripped.runs.shrink_to_fit();
        stripped
    }

    /// The offset in the source's text of the character that byte `at` of `text` belongs to.
    fn origin(&self, at: usize) -> Option<usize> {
        if at >= self.text.len() {
            return None;
        }
        let start = (0..=at).rev().find(|&i| self.text.is_char_boundary(i))?;
        let &(source, stripped) = self.runs.get(
            self.runs
                .partition_point(|&(_, s)| s as usize <= start)
                .checked_sub(1)?,
        )?;
        Some(source as usize + (start - stripped as usize))
    }

    /// The bytes of `source` (the text this was made of) that the characters of `range` of
    /// `text` come from: from the first character's first byte to the last one's last byte,
    /// whitespace between them included. `range` is not empty; `None` when it ends past `text`.
    fn source_range(&self, source: &str, range: Range<usize>) -> Option<Range<usize>> {
        let first = self.origin(range.start)?;
        let last = self.origin(range.end.checked_sub(1)?)?;
        let last_len = source.get(last..)?.chars().next()?.len_utf8();
        Some(first..last + last_len)
    }

    /// How many bytes of `text` belong to characters that start before `at` in the source's
    /// text: where in `text` the source's text from `at` on begins.
    fn index_of(&self, at: usize) -> usize {
        let run = self
            .runs
            .partition_point(|&(source, _)| (source as usize) < at);
        let Some(&(source, stripped)) = run.checked_sub(1).and_then(|run| self.runs.get(run))
        else {
            return 0;
        };
        let run_end = self
            .runs
            .get(run)
            .map_or(self.text.len(), |&(_, next)| next as usize);
        let mut index = (stripped as usize + (at - source as usize)).min(run_end);
        // A character that starts before `at` counts whole.
        while index < run_end && !self.text.is_char_boundary(index) {
            index += 1;
        }
        index
    }
}

/// `text` without its whitespace, as quotes are matched.
fn strip_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A sentence of a clause (see [`Source::sentences_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Where it is in [`Source::text`].
    pub range: Range<usize>,
    /// Whether a line end, not a full stop, ends it (`三、实施保障`).
    pub ends_line: bool,
}

/// Adds `range` of `text` (which starts at `offset` of the source), trimmed, unless it is empty.
fn push_trimmed(
    sentences: &mut Vec<Sentence>,
    text: &str,
    offset: usize,
    range: Range<usize>,
    ends_line: bool,
) {
    let Some(part) = text.get(range.clone()) else {
        return;
    };
    let trimmed = part.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = part.len() - part.trim_start().len();
    let begin = offset + range.start + lead;
    sentences.push(Sentence {
        range: begin..begin + trimmed.len(),
        ends_line,
    });
}

/// A clause of a source: a part, section, heading or item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    /// The canonical id within its source: `68`, `h18`, `二`, `二.(一)`.
    pub id: String,
    /// What kind of clause this is.
    pub kind: ClauseKind,
    /// The marker as written, e.g. `68)`, `(16)`, `1 .`, `（一）`, `二、`.
    pub label: String,
    /// The rest of the marker's line, trimmed, cut before the first `。` if there is one.
    pub title: String,
    /// The full range in the source text: from the marker to the next clause of the same or a
    /// higher kind.
    pub range: Range<usize>,
    /// The own range: from the marker to the next clause of any kind.
    pub own_range: Range<usize>,
    /// The index in [`Source::clauses`] of the enclosing clause, if any.
    pub parent: Option<usize>,
}

/// The kinds of clause, from the outermost to the innermost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClauseKind {
    /// A top-level part: `一、`.
    Part,
    /// A section of a part: `(一)`.
    Section,
    /// A numbered heading that groups items: `1.`.
    Heading,
    /// A numbered item, the unit rules usually cite: `1)`, `(1)`, `1.`.
    Item,
}

impl ClauseKind {
    /// All kinds, outermost first.
    pub const ALL: [ClauseKind; 4] = [
        ClauseKind::Part,
        ClauseKind::Section,
        ClauseKind::Heading,
        ClauseKind::Item,
    ];

    /// The kind's name: `part`, `section`, `heading` or `item`.
    pub fn as_str(self) -> &'static str {
        match self {
            ClauseKind::Part => "part",
            ClauseKind::Section => "section",
            ClauseKind::Heading => "heading",
            ClauseKind::Item => "item",
        }
    }
}

impl fmt::Display for ClauseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A change to the wording made while cleaning, so that every quote can be traced back to the
/// original.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The 1-based line in the original that holds `original`.
    pub original_line: usize,
    /// The 1-based line in the cleaned text that holds `corrected` (exactly once).
    pub cleaned_line: usize,
    /// The text as the original has it.
    pub original: String,
    /// The text as the cleaned copy has it.
    pub corrected: String,
    /// Why: e.g. `OCR: I/o for 1/0`.
    pub note: String,
}

/// The administrative level of a source's issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A province or a province-level city (Shanghai, Chongqing).
    Province,
    /// A prefecture-level city.
    City,
    /// A county or a county-level city.
    County,
    /// A city district.
    District,
}

impl Level {
    /// The level's name as the manifest spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::District => "district",
        }
    }
}

/// Whether a source is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Issued and in force.
    InForce,
    /// A draft, e.g. a consultation draft (征求意见稿).
    Draft,
}

impl Status {
    /// The status's name as the manifest spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InForce => "in_force",
            Status::Draft => "draft",
        }
    }
}

/// How clause markers are written in a source; a marker must start a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MarkerStyle {
    /// `一、`, `二、`: a Chinese numeral and `、`.
    CnDun,
    /// `(一)`, `（一）`: a Chinese numeral in parentheses.
    CnParen,
    /// `1.`, `1 .`, `1．`: a number and a dot that no digit follows.
    ArabicDot,
    /// `1)`, `1）`: a number and a closing parenthesis.
    ArabicCloseParen,
    /// `(1)`, `（1）`: a number in parentheses.
    ArabicParen,
}

impl MarkerStyle {
    /// The style's name as the manifest spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            MarkerStyle::CnDun => "cn-dun",
            MarkerStyle::CnParen => "cn-paren",
            MarkerStyle::ArabicDot => "arabic-dot",
            MarkerStyle::ArabicCloseParen => "arabic-close-paren",
            MarkerStyle::ArabicParen => "arabic-paren",
        }
    }

    /// Matches a marker of this style at the start of `line`: the marker's length in bytes and
    /// its number as written (digits, or Chinese numerals).
    fn matches(self, line: &str) -> Option<(usize, String)> {
        match self {
            MarkerStyle::CnDun => {
                let (number, rest) = take_while(line, is_cn_numeral);
                let rest = rest.strip_prefix('、')?;
                (!number.is_empty()).then(|| (line.len() - rest.len(), number.to_owned()))
            }
            MarkerStyle::CnParen => {
                let rest = strip_open_paren(line)?;
                let (number, rest) = take_while(rest, is_cn_numeral);
                let rest = strip_close_paren(rest)?;
                (!number.is_empty()).then(|| (line.len() - rest.len(), number.to_owned()))
            }
            MarkerStyle::ArabicDot => {
                let (number, rest) = take_while(line, |c| c.is_ascii_digit());
                let rest = rest.trim_start_matches([' ', '\u{3000}']);
                let rest = rest.strip_prefix(['.', '．'])?;
                if rest.starts_with(|c: char| c.is_ascii_digit()) {
                    return None;
                }
                Some((line.len() - rest.len(), canonical_number(number)?))
            }
            MarkerStyle::ArabicCloseParen => {
                let (number, rest) = take_while(line, |c| c.is_ascii_digit());
                let rest = strip_close_paren(rest)?;
                Some((line.len() - rest.len(), canonical_number(number)?))
            }
            MarkerStyle::ArabicParen => {
                let rest = strip_open_paren(line)?;
                let (number, rest) = take_while(rest, |c| c.is_ascii_digit());
                let rest = strip_close_paren(rest)?;
                Some((line.len() - rest.len(), canonical_number(number)?))
            }
        }
    }
}

impl fmt::Display for MarkerStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The marker style of each clause kind a source uses; kinds it does not use are absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Numbering {
    /// The style of parts.
    pub part: Option<MarkerStyle>,
    /// The style of sections.
    pub section: Option<MarkerStyle>,
    /// The style of headings.
    pub heading: Option<MarkerStyle>,
    /// The style of items.
    pub item: Option<MarkerStyle>,
}

impl Numbering {
    /// The style of `kind`, if the source uses that kind.
    pub fn style(&self, kind: ClauseKind) -> Option<MarkerStyle> {
        match kind {
            ClauseKind::Part => self.part,
            ClauseKind::Section => self.section,
            ClauseKind::Heading => self.heading,
            ClauseKind::Item => self.item,
        }
    }

    /// Checks that at least one kind is used and no two kinds share a style.
    fn check(&self) -> Result<(), Text> {
        let used: Vec<(ClauseKind, MarkerStyle)> = ClauseKind::ALL
            .into_iter()
            .filter_map(|kind| self.style(kind).map(|style| (kind, style)))
            .collect();
        if used.is_empty() {
            return Err(crate::tr!(
                "没有一种条款设了编号样式",
                "no clause kind has a marker style"
            ));
        }
        for (i, (kind, style)) in used.iter().enumerate() {
            if let Some((other, _)) = used.iter().skip(i + 1).find(|(_, s)| s == style) {
                return Err(crate::tr!(
                    "`{kind}` 和 `{other}` 都用 `{style}`,无法区分它们的编号",
                    "`{kind}` and `{other}` both use `{style}`, so their markers cannot be told apart"
                ));
            }
        }
        Ok(())
    }
}

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum CorpusError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", code(&path.display().to_string()))]
    #[diagnostic(code(yimi::sources::corpus::io))]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The manifest or a text is a symbolic link out of the sources directory; it is not read.
    #[error(
        "the symbolic link {} points to {}, outside the sources directory {}, so it is not read",
        code(&path.display().to_string()),
        code(&target.display().to_string()),
        code(&dir.display().to_string())
    )]
    #[diagnostic(code(yimi::sources::corpus::link_outside))]
    OutsideLink {
        /// The link.
        path: PathBuf,
        /// What the link says.
        target: PathBuf,
        /// Where it leads once every link on the way is followed.
        resolved: PathBuf,
        /// The sources directory.
        dir: PathBuf,
    },
    /// The manifest is not valid YAML or does not have the manifest's shape.
    #[error("malformed manifest {}{}: {}", code(&path.display().to_string()), at_line(*line), message.en)]
    #[diagnostic(
        code(yimi::sources::corpus::manifest),
        help("see seeds/README.md for the manifest format")
    )]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// The 1-based line of the problem, when known.
        line: Option<usize>,
        /// The 1-based column (in characters) of the problem, when known.
        column: Option<usize>,
        /// What is wrong, in both languages.
        message: Text,
    },
    /// A text file named in the manifest does not exist.
    #[error(
        "text {} of source {} not found (named in {}{})",
        code(&path.display().to_string()),
        code(id),
        code(&manifest.display().to_string()),
        at_line(*line)
    )]
    #[diagnostic(code(yimi::sources::corpus::missing_text))]
    MissingText {
        /// The missing file.
        path: PathBuf,
        /// The source whose text it is.
        id: String,
        /// The manifest that names it.
        manifest: PathBuf,
        /// The manifest line that names it, when found.
        line: Option<usize>,
    },
    /// The manifest or a text is well-formed but inconsistent (a bad date, a duplicate clause, a
    /// correction that does not match the text…).
    #[error("invalid {}{}: {}", code(&path.display().to_string()), at_line(*line), message.en)]
    #[diagnostic(code(yimi::sources::corpus::invalid))]
    Invalid {
        /// The manifest or text file.
        path: PathBuf,
        /// The 1-based line of the problem, when known.
        line: Option<usize>,
        /// The 1-based column (in characters) of the problem, when known.
        column: Option<usize>,
        /// What is wrong, in both languages.
        message: Text,
    },
    /// Two corpora being merged register the same source id.
    #[error("duplicate source id {}", code(id))]
    #[diagnostic(
        code(yimi::sources::corpus::duplicate_source),
        help("each source id may be registered once; rename the source in your own corpus")
    )]
    DuplicateSource {
        /// The id.
        id: String,
    },
    /// The built-in manifest names a text that is not embedded (a build mistake).
    #[error("the built-in manifest names `{file}`, which is not embedded")]
    #[diagnostic(code(yimi::sources::corpus::not_embedded))]
    NotEmbedded {
        /// The file name.
        file: String,
    },
}

impl CorpusError {
    /// The file, 1-based line and 1-based character column the error is at, when it is known
    /// to the column (a malformed manifest, a value of the manifest that is not valid).
    pub fn place(&self) -> Option<(&Path, usize, usize)> {
        match self {
            CorpusError::Manifest {
                path,
                line: Some(line),
                column: Some(column),
                ..
            }
            | CorpusError::Invalid {
                path,
                line: Some(line),
                column: Some(column),
                ..
            } => Some((path, *line, *column)),
            _ => None,
        }
    }

    /// The error in both languages, for a user's `--sources` directory. The details a YAML
    /// reader gives (`missing field `original``) are worded in Chinese too where they follow a
    /// known pattern.
    pub fn text(&self) -> Text {
        let line_zh = |line: &Option<usize>| line.map(|n| format!("第 {n} 行")).unwrap_or_default();
        match self {
            CorpusError::Io { path, source } => {
                let (shown, reason) = (path.display(), source);
                {
                    let shown = code(&shown.to_string());
                    crate::tr!("无法读取 {shown}:{reason}", "cannot read {shown}: {reason}")
                }
            }
            CorpusError::OutsideLink {
                path,
                target: written,
                resolved,
                dir,
            } => {
                let (link, target, dir) = (
                    code(&path.display().to_string()),
                    code(&written.display().to_string()),
                    code(&dir.display().to_string()),
                );
                if !crate::base::walk::leads_directly(path, written, resolved) {
                    let resolved = code(&resolved.display().to_string());
                    return crate::tr!(
                        "符号链接 {link} 指向 {target},最终通向 {resolved},在来源目录 {dir} 之外,不会读取;请把文件复制进来源目录",
                        "the symbolic link {link} points to {target}, which leads to {resolved}, outside the sources directory {dir}, so it is not read; copy the file into the sources directory"
                    );
                }
                crate::tr!(
                    "符号链接 {link} 指向 {target},在来源目录 {dir} 之外,不会读取;请把文件复制进来源目录",
                    "the symbolic link {link} points to {target}, outside the sources directory {dir}, so it is not read; copy the file into the sources directory"
                )
            }
            CorpusError::Manifest {
                path,
                line,
                message,
                ..
            } => {
                let (shown, at_zh, at_en) = (path.display(), line_zh(line), at_line(*line));
                let (detail_zh, detail_en) = (&message.zh, &message.en);
                {
                    let shown = code(&shown.to_string());
                    crate::tr!(
                        "来源清单 {shown} {at_zh}格式不对:{detail_zh}",
                        "malformed manifest {shown}{at_en}: {detail_en}"
                    )
                }
            }
            CorpusError::MissingText {
                path,
                id,
                manifest,
                line,
            } => {
                let (shown, listed, at_zh, at_en) = (
                    path.display(),
                    manifest.display(),
                    line_zh(line),
                    at_line(*line),
                );
                {
                    let id = code(&id.to_string());
                    let shown = code(&shown.to_string());
                    let listed = code(&listed.to_string());
                    crate::tr!(
                        "找不到来源 {id} 的文本 {shown}(见 {listed} {at_zh})",
                        "text {shown} of source {id} not found (named in {listed}{at_en})"
                    )
                }
            }
            CorpusError::Invalid {
                path,
                line,
                message,
                ..
            } => {
                let (shown, at_zh, at_en) = (path.display(), line_zh(line), at_line(*line));
                let (detail_zh, detail_en) = (&message.zh, &message.en);
                {
                    let shown = code(&shown.to_string());
                    crate::tr!(
                        "{shown} {at_zh}有误:{detail_zh}",
                        "invalid {shown}{at_en}: {detail_en}"
                    )
                }
            }
            CorpusError::DuplicateSource { id } => {
                let id = code(&id.to_string());
                crate::tr!(
                    "来源 id {id} 重复登记;请给自己的来源换一个 id",
                    "duplicate source id {id}; give your own source another id"
                )
            }
            CorpusError::NotEmbedded { file } => {
                let file = code(&file.to_string());
                crate::tr!(
                    "内置来源清单列出的 {file} 没有嵌入程序",
                    "the built-in manifest names {file}, which is not embedded"
                )
            }
        }
    }
}

/// A YAML reader's complaint about a manifest entry, in both languages where it is one of the
/// usual ones (a missing or an unknown field); otherwise as it is.
fn manifest_detail(message: &str) -> Text {
    let field = |marker: &str| {
        let rest = message.split_once(marker)?.1;
        let name = rest.split('`').next()?;
        Some((message.split_once(marker)?.0.to_owned(), name.to_owned()))
    };
    // `source 2: …` names the entry.
    let entry_zh = |before: &str| match before.strip_prefix("source ") {
        Some(number) if number.chars().all(|c| c.is_ascii_digit()) => format!("第 {number} 个来源"),
        _ => before.to_owned(),
    };
    if let Some((before, name)) = field("missing field `") {
        let before = before.trim_end_matches(": ").trim_end();
        let before_zh = entry_zh(before);
        return {
            let name = code(&name.to_string());
            crate::tr!(
                "{before_zh}缺少必填字段 {name}(字段说明见 rules/README.md)",
                "{before}: missing field {name} (rules/README.md lists every field)"
            )
        };
    }
    if let Some((before, name)) = field("unknown field `") {
        let before = before.trim_end_matches(": ").trim_end();
        let before_zh = entry_zh(before);
        return {
            let name = code(&name.to_string());
            crate::tr!(
                "{before_zh}有未知字段 {name}(字段说明见 rules/README.md)",
                "{before}: unknown field {name} (rules/README.md lists every field)"
            )
        };
    }
    if let Some(worded) = wrong_type(message) {
        return worded;
    }
    Text::same(message.to_owned())
}

/// `…: invalid type: integer `-1`, expected usize` (or `invalid value`) in words: what was found,
/// what a manifest takes there, and where the fields are described — no Rust type names.
fn wrong_type(message: &str) -> Option<Text> {
    let (before, rest) = message
        .split_once("invalid type: ")
        .or_else(|| message.split_once("invalid value: "))?;
    let (found, expected) = rest.rsplit_once(", expected ")?;
    let before = before.trim_end_matches(": ").trim_end();
    let before_zh = match before.strip_prefix("source ") {
        Some(rest) => {
            let (number, field) = rest.split_once(", ").unwrap_or((rest, ""));
            if number.chars().all(|c| c.is_ascii_digit()) {
                format!("第 {number} 个来源的 {field}")
            } else {
                before.to_owned()
            }
        }
        None => before.to_owned(),
    };
    let quoted = |kind: &str| {
        let value = found.strip_prefix(kind)?.trim_start();
        let value = value.split(" as ").next().unwrap_or(value);
        Some(value.trim_matches('`').trim_matches('"').to_owned())
    };
    let (found_zh, found_en) = if let Some(number) = quoted("integer") {
        let number = code(&number);
        if found.contains(" as u128") || found.contains(" as i128") {
            (
                format!("数 {number} 太大"),
                format!("the number {number}, too large"),
            )
        } else {
            (format!("数 {number}"), format!("the number {number}"))
        }
    } else if let Some(number) = quoted("floating point") {
        let number = code(&number);
        (format!("小数 {number}"), format!("the decimal {number}"))
    } else if let Some(value) = quoted("boolean") {
        let value = code(&value);
        (format!("布尔值 {value}"), format!("the boolean {value}"))
    } else if let Some(text) = quoted("string") {
        let text = code(&text);
        (format!("文本 {text}"), format!("the text {text}"))
    } else if found.starts_with("sequence") {
        ("一个列表".to_owned(), "a list".to_owned())
    } else if found.starts_with("map") {
        ("一个映射".to_owned(), "a mapping".to_owned())
    } else if found.starts_with("unit") || found.starts_with("null") {
        ("空值".to_owned(), "nothing (null)".to_owned())
    } else {
        (found.to_owned(), found.to_owned())
    };
    let (expected_zh, expected_en) = match expected {
        "usize" | "u64" | "u32" => (
            "从 1 起的行号(整数)".to_owned(),
            "a line number (a whole number from 1)".to_owned(),
        ),
        "a string" => ("文本".to_owned(), "text".to_owned()),
        "a sequence" => ("列表".to_owned(), "a list".to_owned()),
        "a map" | "a mapping" => ("映射".to_owned(), "a mapping".to_owned()),
        _ if expected.starts_with("struct ") => ("映射".to_owned(), "a mapping".to_owned()),
        other => (other.to_owned(), other.to_owned()),
    };
    // At the root the path is empty: the message starts at what was expected (H12: `: expected`).
    if before.is_empty() {
        return Some(crate::tr!(
            "清单应为{expected_zh}(每个来源一项),这里是{found_zh}(字段说明见 rules/README.md)",
            "expected {expected_en} (one item per source), found {found_en} (rules/README.md lists every field)"
        ));
    }
    Some(crate::tr!(
        "{before_zh}应为{expected_zh},这里是{found_zh}(字段说明见 rules/README.md)",
        "{before}: expected {expected_en}, found {found_en} (rules/README.md lists every field)"
    ))
}

/// ` at line N`, or nothing when the line is unknown.
fn at_line(line: Option<usize>) -> String {
    line.map(|n| format!(" at line {n}")).unwrap_or_default()
}

/// One source in the manifest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    id: String,
    file: String,
    title: String,
    issuer: String,
    number: Option<String>,
    date: String,
    jurisdiction: String,
    level: Level,
    status: Status,
    #[serde(default)]
    in_force_until: Option<String>,
    #[serde(default)]
    continued_by: Option<String>,
    original: String,
    numbering: Numbering,
    #[serde(default)]
    fragment_markers: Option<String>,
    #[serde(default)]
    notes: Option<String>,
    #[serde(default)]
    corrections: Vec<Correction>,
}

/// The deepest nesting of lists and mappings in a manifest, as in a project file.
const MAX_MANIFEST_DEPTH: usize = 64;

/// The most values in a manifest, every expansion of an alias counted, as in a project file.
const MAX_MANIFEST_VALUES: usize = 200_000;

/// Walks a manifest's YAML events before it is deserialized, so that it is held to the limits
/// of a project file: nesting at most [`MAX_MANIFEST_DEPTH`] deep, at most
/// [`MAX_MANIFEST_VALUES`] values once aliases are expanded, and aliases re-using no more values
/// and text than the file writes out before them ([`AliasReuse`], the project reader's rule: an
/// alias bomb is refused, not expanded, and so is an alias to a long text named many times,
/// which the deserializer would copy each time). Syntax errors are left to the deserializer,
/// which words them. Returns the 1-based line and the message of the first limit passed.
fn check_manifest_bounds(text: &str) -> Result<(), (usize, usize, Text)> {
    use crate::base::alias::{AliasReuse, Weight};
    use saphyr_parser::{Event, Parser};
    // Open lists and mappings: their anchor and the weight read before they opened.
    let mut open: Vec<(usize, Weight)> = Vec::new();
    let mut sizes: std::collections::HashMap<usize, Weight> = std::collections::HashMap::new();
    // Everything read so far, each copy an alias makes counted.
    let mut read = Weight::default();
    let mut aliases = AliasReuse::default();
    let too_deep = crate::tr!(
        "列表和映射嵌套超过 {MAX_MANIFEST_DEPTH} 层(来源清单不需要这么深的嵌套)",
        "lists and mappings are nested more than {MAX_MANIFEST_DEPTH} deep (a manifest never needs nesting this deep)"
    );
    let too_many = crate::tr!(
        "值超过 {MAX_MANIFEST_VALUES} 个(别名每展开一次都计数)",
        "more than {MAX_MANIFEST_VALUES} values, counting every expansion of an alias"
    );
    // Before the YAML reader: it holds every token of a flow collection while it looks for a
    // key (H12: 7.8 MB of one-line `- {a: 1, …}` held 1 GB before its first event).
    if let Some(at) = crate::base::flow::values_past(text, MAX_MANIFEST_VALUES) {
        let (line, column) = line_column(text, at);
        return Err((line, column, too_many));
    }
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, span) = match parser.next_event() {
            None => break,
            Some(Ok(next)) => next,
            // The reader stops at its own nesting limit, looking ahead through flow brackets,
            // before the events show a level past ours: the bracket that opens it is found in
            // the text. Other syntax errors are the deserializer's to word.
            Some(Err(_)) => {
                let past = MAX_MANIFEST_DEPTH.saturating_add(1);
                if let Some(at) = crate::base::flow::level_start(text, past) {
                    let (line, column) = line_column(text, at);
                    return Err((line, column, too_deep));
                }
                break;
            }
        };
        let (line, column) = (span.start.line(), span.start.col().saturating_add(1));
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, read));
                read.add(Weight::scalar(0));
                aliases.write(0);
                if open.len() > MAX_MANIFEST_DEPTH {
                    return Err((line, column, too_deep));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, before)) = open.pop()
                    && anchor > 0
                {
                    sizes.insert(
                        anchor,
                        Weight {
                            values: read.values.saturating_sub(before.values),
                            bytes: read.bytes.saturating_sub(before.bytes),
                        },
                    );
                }
            }
            Event::Scalar(value, _, anchor, _) => {
                read.add(Weight::scalar(value.len()));
                aliases.write(value.len());
                if anchor > 0 {
                    sizes.insert(anchor, Weight::scalar(value.len()));
                }
            }
            Event::Alias(anchor) => {
                let copied = sizes.get(&anchor).copied().unwrap_or(Weight::scalar(0));
                read.add(copied);
                if !aliases.reuse(copied) {
                    let name = alias_name_at(text, line, column);
                    let (message, help) = aliases.refusal(&name);
                    return Err((
                        line,
                        column,
                        Text {
                            zh: format!("{};{}", message.zh, help.zh),
                            en: format!("{}; {}", message.en, help.en),
                        },
                    ));
                }
            }
            _ => {}
        }
        if read.values > MAX_MANIFEST_VALUES {
            return Err((line, column, too_many));
        }
    }
    Ok(())
}

/// The 1-based line and character column of byte offset `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let starts = line_starts(text);
    let line = line_at(&starts, at);
    let line_start = starts.get(line - 1).copied().unwrap_or(0);
    let column = text.get(line_start..at).map_or(0, |l| l.chars().count());
    (line, column.saturating_add(1))
}

/// The name of the alias written at the 1-based `line` and character `column` of `text`
/// (`*t` gives `t`), shortened as any user input quoted in a message is.
fn alias_name_at(text: &str, line: usize, column: usize) -> String {
    line_text(text, &line_starts(text), line)
        .unwrap_or_default()
        .chars()
        .skip(column.saturating_sub(1))
        .skip_while(|c| *c == '*')
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}'))
        .take(200)
        .collect()
}

/// Turns a YAML error into a manifest error with its line, without repeating the position in the
/// message.
fn manifest_error(path: &Path, error: &serde_yaml::Error) -> CorpusError {
    let location = error.location();
    let mut message = error.to_string();
    if let Some(location) = &location {
        let suffix = format!(" at line {} column {}", location.line(), location.column());
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_owned();
        }
    }
    CorpusError::Manifest {
        path: path.to_owned(),
        line: location.as_ref().map(serde_yaml::Location::line),
        column: location.as_ref().map(serde_yaml::Location::column),
        message: manifest_detail(&readable_yaml_path(&message)),
    }
}

/// Rewrites the YAML path that starts a deserialization message (`.[0].numbering.item: …`) as
/// `source 1, numbering.item: …`.
fn readable_yaml_path(message: &str) -> String {
    let Some(rest) = message.strip_prefix(".[") else {
        return message.to_owned();
    };
    let Some((index, rest)) = rest.split_once(']') else {
        return message.to_owned();
    };
    let Ok(index) = index.parse::<usize>() else {
        return message.to_owned();
    };
    let Some((field, detail)) = rest.split_once(": ") else {
        return message.to_owned();
    };
    let entry = index.saturating_add(1);
    match field.strip_prefix('.') {
        Some(field) => format!("source {entry}, {}: {detail}", code(field)),
        None if field.is_empty() => format!("source {entry}: {detail}"),
        None => message.to_owned(),
    }
}

/// Where the values of a manifest's entries are written, found from its YAML events, so that
/// a value is located in its own entry (a duplicate id at the second entry, not the first) and
/// however it is written (`"2022-02-30\e"`, with escapes, is found as well as `2022-02-30`).
#[derive(Debug, Default)]
struct ManifestPlaces {
    /// The 1-based line and character column of each entry's value, by entry and key.
    values: HashMap<(usize, String), (usize, usize)>,
    /// The same for the values of each entry's corrections, by entry, correction and key.
    corrections: HashMap<(usize, usize, String), (usize, usize)>,
}

/// A step down a manifest's tree while its events are walked.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Index(usize),
    Key(String),
    /// The document's root, or a collection written as a key.
    Other,
}

/// An open list or mapping while a manifest's events are walked.
enum Open {
    /// A list and the index of its next item.
    List(usize),
    /// A mapping and the key whose value comes next (`None`: a key comes next).
    Mapping(Option<String>),
}

impl ManifestPlaces {
    /// The places of `manifest`'s values; a manifest that is not valid YAML has the places
    /// found before the error (it is refused by the deserializer anyway).
    fn of(manifest: &str) -> ManifestPlaces {
        use saphyr_parser::{Event, Parser};
        let mut places = ManifestPlaces::default();
        let mut open: Vec<Open> = Vec::new();
        let mut path: Vec<Step> = Vec::new();
        let mut parser = Parser::new_from_str(manifest);
        while let Some(Ok((event, span))) = parser.next_event() {
            let starts = match &event {
                Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..) => true,
                Event::SequenceEnd | Event::MappingEnd => {
                    open.pop();
                    path.pop();
                    continue;
                }
                _ => false,
            };
            if !starts {
                continue;
            }
            // What this node is to the collection around it: an item, a key or a value.
            let step = match open.last_mut() {
                None => Step::Other,
                Some(Open::List(next)) => {
                    *next += 1;
                    Step::Index(*next - 1)
                }
                Some(Open::Mapping(key @ None)) => {
                    *key = Some(match &event {
                        Event::Scalar(name, ..) => name.to_string(),
                        _ => String::new(),
                    });
                    Step::Other
                }
                Some(Open::Mapping(key)) => Step::Key(key.take().unwrap_or_default()),
            };
            let place = (span.start.line(), span.start.col().saturating_add(1));
            match (path.as_slice(), &step) {
                ([Step::Other, Step::Index(entry)], Step::Key(key)) => {
                    places.values.insert((*entry, key.clone()), place);
                }
                (
                    [
                        Step::Other,
                        Step::Index(entry),
                        Step::Key(corrections),
                        Step::Index(correction),
                    ],
                    Step::Key(key),
                ) if corrections == "corrections" => {
                    places
                        .corrections
                        .insert((*entry, *correction, key.clone()), place);
                }
                _ => {}
            }
            match event {
                Event::SequenceStart(..) => {
                    open.push(Open::List(0));
                    path.push(step);
                }
                Event::MappingStart(..) => {
                    open.push(Open::Mapping(None));
                    path.push(step);
                }
                _ => {}
            }
        }
        places
    }

    /// Where the value of `key` of the `entry`th entry (from 0) is written.
    fn value(&self, entry: usize, key: &str) -> Option<(usize, usize)> {
        self.values.get(&(entry, key.to_owned())).copied()
    }

    /// Where the value of `key` of the `correction`th correction of the `entry`th entry is
    /// written.
    fn correction(&self, entry: usize, correction: usize, key: &str) -> Option<(usize, usize)> {
        self.corrections
            .get(&(entry, correction, key.to_owned()))
            .copied()
    }
}

/// The most bytes of text one manifest may name, all its texts together (a text named by
/// several entries counted once): each text may be as large as a file may be, 8 MiB, and a
/// manifest naming many such texts would hold them all (and more than as much again once
/// quotes are looked up in them).
pub const MAX_SOURCES_TEXT_BYTES: usize = 16 << 20;

/// Refuses a character that YAML does not allow raw (as every YAML reader of yimi does,
/// [`crate::base::printable`]) at its line and column: the YAML reader names only its byte
/// offset, at line 1, and in English.
fn check_manifest_characters(text: &str) -> Result<(), (usize, usize, Text)> {
    let Some(unprintable) = crate::base::printable::first_unprintable(text) else {
        return Ok(());
    };
    let (line, column) = unprintable.line_column(text);
    let (message, help) = (unprintable.message(), unprintable.help());
    let text = Text::new(
        format!("{}。{}", message.zh, help.zh),
        format!("{}; {}", message.en, help.en),
    );
    Err((line, column, text))
}

/// Whether `id` is a valid source id: lowercase ASCII letters, digits and `-`.
fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Whether `date` is `YYYY-MM-DD`, `YYYY-MM` or `YYYY` with a month of the year and a day of
/// that month (`2022-02-30` and `2022-02-29` are refused, `2024-02-29` is a date).
fn is_valid_date(date: &str) -> bool {
    let mut parts = date.split('-');
    let year = parts.next().unwrap_or("");
    let month = parts.next();
    let day = parts.next();
    if parts.next().is_some() || year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let two_digits =
        |s: &str, max: u32| s.len() == 2 && s.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
    match (month, day) {
        (None, None) => true,
        (Some(m), None) => two_digits(m, 12),
        (Some(m), Some(d)) => {
            two_digits(m, 12)
                && two_digits(d, 31)
                && match (year.parse::<i32>(), m.parse::<u8>(), d.parse::<u8>()) {
                    (Ok(year), Ok(month), Ok(day)) => {
                        day <= crate::base::days_in_month(year, month)
                    }
                    _ => false,
                }
        }
        (None, Some(_)) => false,
    }
}

/// Whether `file` is a plain file name (no directories, not hidden).
fn is_plain_file_name(file: &str) -> bool {
    !file.is_empty() && !file.starts_with('.') && !file.contains(['/', '\\'])
}

/// The text of 1-based line `line` (lines as [`line_starts`] finds them), without its line
/// break.
fn line_text<'a>(text: &'a str, starts: &[usize], line: usize) -> Option<&'a str> {
    let start = *starts.get(line.checked_sub(1)?)?;
    let end = starts
        .get(line)
        .map_or(text.len(), |next| next.saturating_sub(1));
    text.get(start..end)
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// How many lines `text` has, as a reader counts them: a final line break does not start
/// another line.
fn line_count(text: &str, starts: &[usize]) -> usize {
    match starts.last() {
        Some(&last) if last == text.len() => starts.len() - 1,
        _ => starts.len(),
    }
}

/// The 1-based line that holds byte `offset`, in the lines `starts` gives.
fn line_at(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&start| start <= offset).max(1)
}

/// Splits `s` after the longest prefix whose characters satisfy `keep`.
fn take_while(s: &str, keep: impl Fn(char) -> bool) -> (&str, &str) {
    let end = s.find(|c: char| !keep(c)).unwrap_or(s.len());
    s.split_at_checked(end).unwrap_or((s, ""))
}

/// Whether `c` is a Chinese numeral as used in clause markers.
fn is_cn_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百两".contains(c)
}

/// `s` after an ASCII or full-width opening parenthesis.
fn strip_open_paren(s: &str) -> Option<&str> {
    s.strip_prefix(['(', '（'])
}

/// `s` after an ASCII or full-width closing parenthesis.
fn strip_close_paren(s: &str) -> Option<&str> {
    s.strip_prefix([')', '）'])
}

/// The number without leading zeros; `None` when there are no digits.
fn canonical_number(digits: &str) -> Option<String> {
    if digits.is_empty() {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed }.to_owned())
}

/// The form in which ids and labels are compared loosely: ASCII parentheses and dots, no
/// whitespace.
fn normalize_id(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '．' => '.',
            other => other,
        })
        .collect()
}

/// A clause marker found at the start of a line, before ranges are known.
struct Marker {
    kind: ClauseKind,
    number: String,
    label: String,
    title: String,
    start: usize,
}

/// Finds the clauses of `text`; on failure, the byte offset of the problem and a message.
fn segment(
    text: &str,
    starts: &[usize],
    numbering: &Numbering,
) -> Result<Vec<Clause>, (usize, Text)> {
    let mut markers: Vec<Marker> = Vec::new();
    // Lines as every other step counts them ([`line_starts`]): a marker after a `\r` alone
    // starts a line too.
    let ends = starts.iter().skip(1).copied().chain([text.len()]);
    for (&line_start, line_end) in starts.iter().zip(ends) {
        let Some(line) = text.get(line_start..line_end) else {
            continue;
        };
        let content = line.trim_end_matches(['\n', '\r']);
        let body = content.trim_start();
        let start = line_start + (content.len() - body.len());
        let found = ClauseKind::ALL.into_iter().find_map(|kind| {
            let style = numbering.style(kind)?;
            let (len, number) = style.matches(body)?;
            Some((kind, len, number))
        });
        let Some((kind, len, number)) = found else {
            continue;
        };
        let Some((label, rest)) = body.split_at_checked(len) else {
            continue;
        };
        let rest = rest.trim();
        let title = rest.split('。').next().unwrap_or(rest).trim();
        markers.push(Marker {
            kind,
            number,
            label: label.to_owned(),
            title: title.to_owned(),
            start,
        });
    }

    let mut clauses: Vec<Clause> = Vec::with_capacity(markers.len());
    let mut open: Vec<usize> = Vec::new();
    let mut current_part: Option<String> = None;
    // Where each id is first, found without a scan of the clauses so far: the scan made
    // segmenting a text of 40 000 items take seconds (#12).
    let mut first_of: HashMap<String, usize> = HashMap::with_capacity(markers.len());
    let mut markers = markers.into_iter().peekable();
    while let Some(marker) = markers.next() {
        while let Some(&top) = open.last() {
            let Some(clause) = clauses.get_mut(top) else {
                break;
            };
            if clause.kind < marker.kind {
                break;
            }
            clause.range.end = marker.start;
            open.pop();
        }
        let id = match marker.kind {
            ClauseKind::Part => {
                current_part = Some(marker.number.clone());
                marker.number.clone()
            }
            ClauseKind::Section => match &current_part {
                Some(part) => format!("{part}.({})", marker.number),
                None => format!("({})", marker.number),
            },
            ClauseKind::Heading => format!("h{}", marker.number),
            ClauseKind::Item => marker.number.clone(),
        };
        if let Some(first) = first_of.get(&id).and_then(|&at| clauses.get(at)) {
            let first_line = line_at(starts, first.range.start);
            let (kind, id, label) = (marker.kind, code(&id), code(&marker.label));
            let kind_zh = match kind {
                ClauseKind::Part => "部分",
                ClauseKind::Section => "节",
                ClauseKind::Heading => "标题",
                ClauseKind::Item => "条目",
            };
            return Err((
                marker.start,
                crate::tr!(
                    "{kind_zh} {id} 重复(编号 {label};第一处在第 {first_line} 行)",
                    "duplicate {kind} {id} (marker {label}; the first is at line {first_line})"
                ),
            ));
        }
        let own_end = markers.peek().map_or(text.len(), |next| next.start);
        first_of.insert(id.clone(), clauses.len());
        clauses.push(Clause {
            id,
            kind: marker.kind,
            label: marker.label,
            title: marker.title,
            range: marker.start..text.len(),
            own_range: marker.start..own_end,
            parent: open.last().copied(),
        });
        open.push(clauses.len() - 1);
    }
    Ok(clauses)
}

mod quotes;

#[cfg(test)]
mod tests;
