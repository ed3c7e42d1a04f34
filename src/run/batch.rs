//! The main job: find project files under the given paths, load each, and assess it against the
//! rule set — many files in parallel, results in a stable order.

use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::base::diagnostic::{Diagnostic, SourceFile};
use crate::base::i18n::Text;
use crate::base::walk::{self, Entry, FileId, Walker};
use crate::engine::checked::{CheckOptions, Checked, CheckedFile, check_file};
use crate::engine::waivers::{Sharing, StatedWaiver};
use crate::project::LoadLimits;
use crate::rules::ir::RuleSet;
use crate::tr;
use std::collections::HashMap;

/// The project files a list of paths names: files as given, and `*.yaml`/`*.yml` under
/// directories; sorted and without repeats — each real file once, however it is named, and each
/// real directory read once, however it is linked — so output does not depend on argument
/// order and a link loop ends. Paths that cannot be read are returned as invalid results.
///
/// A directory's walk follows no link out of it (such a link is an invalid result, never read)
/// and stops after `max_files` files; past that bound nothing is checked, only the bound is
/// reported (`--max-files` raises it).
///
/// A file in a directory named like a project file but not taken (`x.yaml `) is pushed to
/// `skipped` as a warning, so that it is not left out without a word.
///
/// A file a directory's walk finds that is one of `not_projects` (the waivers file, the
/// baseline, the reports written: newcomer review 16 N2, a waivers file kept beside the projects
/// was checked as a project and failed the run) is left out; a file named as a path is not.
pub fn collect_files(
    paths: &[PathBuf],
    not_projects: &[PathBuf],
    max_files: usize,
    skipped: &mut Vec<Diagnostic>,
) -> (Vec<PathBuf>, Vec<CheckedFile>) {
    let not_projects: Vec<FileId> = not_projects
        .iter()
        .filter_map(|path| FileId::of(path, &std::fs::metadata(path).ok()?))
        .collect();
    let mut files = Vec::new();
    let mut unreadable = Vec::new();
    let mut walker = Walker::with_max_files(max_files);
    let look_alikes = std::cell::RefCell::new(Vec::new());
    let is_yaml = |path: &Path| {
        let Some(name) = path.file_name() else {
            return false;
        };
        let name = name.to_string_lossy();
        if walk::looks_like_project_file_name(&name) {
            look_alikes.borrow_mut().push(path.to_path_buf());
        }
        walk::is_project_file_name(&name)
    };
    for path in paths {
        match std::fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => {
                for entry in walker.walk(path, &metadata, &is_yaml) {
                    match entry {
                        Entry::File(_, Some(id)) if not_projects.contains(&id) => {}
                        Entry::File(path, id) => files.push((path, id)),
                        Entry::OutsideLink { .. } | Entry::TooMany { .. } => {
                            let too_many = matches!(entry, Entry::TooMany { .. });
                            if let Some(refused) = refused_file(&entry) {
                                unreadable.push(refused);
                            }
                            if too_many {
                                // Checking a hundred thousand files only to fail helps no one.
                                unreadable.sort_by(|a, b| a.path.cmp(&b.path));
                                return (Vec::new(), unreadable);
                            }
                        }
                        Entry::UnreadableDir(path, error) => {
                            unreadable.push(unreadable_file(&path, &error));
                        }
                        // A broken link or a file that vanished: reported, the others are
                        // still checked.
                        Entry::Unreadable {
                            path,
                            error,
                            wanted,
                        } => {
                            if wanted || path.is_symlink() {
                                unreadable.push(unreadable_file(&path, &error));
                            }
                        }
                    }
                }
            }
            Ok(metadata) => files.push((path.clone(), FileId::of(path, &metadata))),
            Err(error) => unreadable.push(unreadable_file(path, &error)),
        }
    }
    unreadable.sort_by(|a, b| a.path.cmp(&b.path));
    let mut look_alikes = look_alikes.into_inner();
    look_alikes.sort();
    look_alikes.dedup();
    for path in look_alikes {
        skipped.push(skipped_name(&walk::shown(&path)));
    }
    (walk::sorted_unique(files), unreadable)
}

/// The warning that a file named like a project file (`shown`, as output names it) was left
/// out: `check` on a folder and `serve` on a zip say it alike. The name is shown with the
/// characters that pass for a blank or for nothing written out, since they are the reason.
pub fn skipped_name(shown: &str) -> Diagnostic {
    let file = SourceFile::new(walk::shown_plainly(shown), String::new());
    Diagnostic::warning(
        "io::skipped-name",
        &file,
        0..0,
        tr!(
            "文件名看似项目文件,但扩展名中或其后有空白、句点、不可见字符或形似字母,未检查",
            "named like a project file, but with blanks, dots, invisible characters or look-alike letters in or after the extension: not checked"
        ),
        Text::same(""),
    )
    .with_help(tr!(
        "把文件改名为以 `.yaml` 或 `.yml` 结尾(只用 ASCII 字母)",
        "rename the file to end in `.yaml` or `.yml` (in ASCII letters)"
    ))
}

/// A link out of the walked directory, or the walk's file bound, as an invalid result.
fn refused_file(entry: &Entry) -> Option<CheckedFile> {
    let (Entry::OutsideLink { path, .. } | Entry::TooMany { root: path, .. }) = entry else {
        return None;
    };
    Some(CheckedFile {
        path: walk::shown(path),
        result: Checked::Invalid(vec![entry.refusal(Some("--max-files"))?]),
    })
}

fn unreadable_file(path: &Path, error: &std::io::Error) -> CheckedFile {
    let name = walk::shown(path);
    let reason = crate::base::read::system_reason(error);
    let (reason_zh, reason_en) = (reason.zh, reason.en);
    let file = SourceFile::new(name.clone(), String::new());
    CheckedFile {
        path: name.clone(),
        result: Checked::Invalid(vec![Diagnostic::error(
            "io::read",
            &file,
            0..0,
            tr!(
                "无法读取 `{name}`:{reason_zh}",
                "cannot read `{name}`: {reason_en}"
            ),
            tr!("", ""),
        )]),
    }
}

/// Loads and assesses every file, in parallel; results come back in the files' order.
pub fn check_files(files: &[PathBuf], set: &RuleSet, options: &CheckOptions) -> Vec<CheckedFile> {
    files
        .par_iter()
        .map(|path| check_file(path, set, options))
        .collect()
}

/// How a run's files stand to a waivers file's waivers (see [`Sharing`]): the files declaring
/// each project id that a waiver without `file:` names, and the file each `file:` names. Finding
/// the declaring files reads every file once more before the check, on `jobs` threads (parsing
/// its YAML; only a file whose `project.id` is written as such an id is loaded whole); a run of
/// one file, or whose waivers name no project without `file:`, is not surveyed.
/// `waivers_file` is the waivers file, outside a repository the folder pins are relative to.
pub fn survey_waivers(
    files: &[PathBuf],
    waivers: &[StatedWaiver],
    waivers_file: Option<&Path>,
    limits: LoadLimits,
    jobs: NonZeroUsize,
) -> Result<Sharing, rayon::ThreadPoolBuildError> {
    let trusted = Sharing::trusted_ids(waivers);
    let declared = if trusted.is_empty() || files.len() < 2 {
        None
    } else {
        // Most files declare no trusted id, and parsing their YAML says so: only a file whose
        // `project.id` is written as a trusted id is loaded whole, so that a file counts as
        // declaring it exactly when its check will read it so (a file that is invalid input
        // declares nothing), as when every file was loaded.
        let declared_id = |path: &PathBuf| {
            let bytes = readable_project_file(path, limits)?;
            declared_trusted_id(&walk::shown(path), &bytes, &trusted, limits)
        };
        let ids: Vec<Option<String>> = match clamp_jobs(Some(jobs), files.len()).get() {
            1 => files.iter().map(declared_id).collect(),
            threads => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|index| format!("yimi-survey-{index}"))
                .build()?
                .install(|| files.par_iter().map(declared_id).collect()),
        };
        Some(declarations(
            &trusted,
            files.iter().map(|path| walk::shown(path)).zip(ids),
        ))
    };
    Ok(Sharing::new(
        declared,
        pinned_files(files, waivers, waivers_file),
    ))
}

/// [`survey_waivers`] for documents given with their names rather than read from paths (the
/// files of a `serve` submission, a zip's members): a waiver's `file:` names a document by its
/// name, both in normal form (`./`, repeated `/` and `..` aside). The documents are checked
/// under the same names.
pub fn survey_named(
    documents: &[(&str, &[u8])],
    waivers: &[StatedWaiver],
    limits: LoadLimits,
) -> Sharing {
    let trusted = Sharing::trusted_ids(waivers);
    let declared = (!trusted.is_empty() && documents.len() >= 2).then(|| {
        declarations(
            &trusted,
            documents.iter().map(|(name, bytes)| {
                let bytes = u64::try_from(bytes.len())
                    .is_ok_and(|size| size <= limits.max_bytes)
                    .then_some(*bytes);
                let id = bytes.and_then(|bytes| declared_trusted_id(name, bytes, &trusted, limits));
                ((*name).to_owned(), id)
            }),
        )
    });
    let pinned = pins(
        waivers,
        documents.iter().map(|(name, _)| {
            (
                (*name).to_owned(),
                vec![crate::report::baseline::normal_name(name)],
            )
        }),
    );
    Sharing::new(declared, pinned)
}

/// How one document checked alone (in an editor) stands to a waivers file's waivers: not
/// surveyed (no other file is known to declare its id), and pinned by the waivers whose
/// `file:` gives it one of `names` (in normal form). `shown` is the name it is checked under.
pub fn sharing_alone(shown: &str, names: Vec<String>, waivers: &[StatedWaiver]) -> Sharing {
    Sharing::new(
        None,
        pins(waivers, std::iter::once((shown.to_owned(), names))),
    )
}

/// For each trusted id, the files (shown names) declaring it, sorted; every trusted id is in
/// the map, declared or not, so that a file that declares one at its check but did not here is
/// not taken for the only one.
fn declarations(
    trusted: &std::collections::HashSet<String>,
    ids: impl Iterator<Item = (String, Option<String>)>,
) -> HashMap<String, Vec<String>> {
    let mut declared: HashMap<String, Vec<String>> =
        trusted.iter().map(|id| (id.clone(), Vec::new())).collect();
    for (shown, id) in ids {
        if let Some(files) = id.and_then(|id| declared.get_mut(&id)) {
            files.push(shown);
        }
    }
    for files in declared.values_mut() {
        files.sort();
    }
    declared
}

/// The bytes of a project file as its check reads them: a regular file within the size limit.
fn readable_project_file(path: &Path, limits: LoadLimits) -> Option<Vec<u8>> {
    let metadata = std::fs::metadata(path).ok()?;
    if !metadata.is_file() || metadata.len() > limits.max_bytes {
        return None;
    }
    crate::base::read::read_bounded(path, limits.max_bytes).ok()
}

/// The trusted id a project file (named `name`, as its check names it) declares, as its check
/// reads it: its YAML is parsed, and only when its `project.id` is written as a trusted id is
/// it loaded whole (a file that is invalid input declares nothing).
fn declared_trusted_id(
    name: &str,
    bytes: &[u8],
    trusted: &std::collections::HashSet<String>,
    limits: LoadLimits,
) -> Option<String> {
    let written = written_project_id(name, bytes, limits)?;
    if !trusted.contains(&written) {
        return None;
    }
    #[cfg(test)]
    WHOLE_LOADS.with(|count| count.set(count.get() + 1));
    let project = crate::project::load_bytes(name, bytes, limits).ok()?;
    let id = project.text(&["project", "id"])?;
    trusted.get(id).cloned()
}

#[cfg(test)]
thread_local! {
    /// How many files the survey loaded whole on this thread.
    static WHOLE_LOADS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The `project.id` a project file writes, as the loader would read it (text as written, a
/// number or `true` as its characters), from its YAML alone: `None` for a file that is not
/// UTF-8 or cannot be parsed within `limits`, or that writes no such scalar there. A superset
/// of what loading the file gives: a file whose load reads an id writes that id here.
fn written_project_id(name: &str, bytes: &[u8], limits: LoadLimits) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let file = SourceFile::new(name, text.to_owned());
    let tree = crate::project::yaml::parse(&file, limits.yaml).ok()?;
    let id = crate::project::yaml::YamlPath::root()
        .key("project")
        .key("id");
    let node = tree.at(&id)?;
    match &node.value {
        crate::project::yaml::Value::Str { text, .. } => Some(text.clone()),
        crate::project::yaml::Value::Int(_)
        | crate::project::yaml::Value::Float(_)
        | crate::project::yaml::Value::Bool(_) => {
            file.text.get(node.span.clone()).map(str::to_owned)
        }
        _ => None,
    }
}

/// For each file of `files` (by its shown path), the waivers whose `file:` names it: by the name
/// a baseline gives it (its real path relative to its repository's root, else to the waivers
/// file's folder) or by the path the run was given, both in normal form.
fn pinned_files(
    files: &[PathBuf],
    waivers: &[StatedWaiver],
    waivers_file: Option<&Path>,
) -> HashMap<String, Vec<usize>> {
    if waivers.iter().all(|waiver| waiver.file.is_none()) {
        return HashMap::new();
    }
    let folder = waivers_file
        .and_then(|path| std::fs::canonicalize(path).ok())
        .and_then(|real| real.parent().map(Path::to_path_buf));
    pins(
        waivers,
        files.iter().map(|path| {
            let shown = walk::shown(path);
            let key = crate::report::baseline::file_key(&shown, folder.as_deref());
            let mut names = vec![
                crate::report::baseline::normal_name(&shown),
                crate::report::baseline::normal_name(&key),
            ];
            names.dedup();
            (shown, names)
        }),
    )
}

/// For each file (its shown name, with the names in normal form a `file:` may give it), the
/// waivers whose `file:` names it, by index.
fn pins(
    waivers: &[StatedWaiver],
    files: impl Iterator<Item = (String, Vec<String>)>,
) -> HashMap<String, Vec<usize>> {
    let mut pinned: HashMap<String, Vec<usize>> = HashMap::new();
    if waivers.iter().all(|waiver| waiver.file.is_none()) {
        return pinned;
    }
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for (shown, names) in files {
        for name in names {
            by_name.entry(name).or_default().push(shown.clone());
        }
    }
    for (at, waiver) in waivers.iter().enumerate() {
        let Some(pin) = &waiver.file else { continue };
        for shown in by_name
            .get(&crate::report::baseline::normal_name(pin))
            .into_iter()
            .flatten()
        {
            let list = pinned.entry(shown.clone()).or_default();
            if list.last() != Some(&at) {
                list.push(at);
            }
        }
    }
    pinned
}

/// An input of [`check_in_order`]: a file to check, or one already known to be unreadable.
#[derive(Debug)]
pub enum Item {
    /// To load and assess.
    Check(PathBuf),
    /// Passed through as it is.
    Done(CheckedFile),
}

impl Item {
    /// The path as reports show it, by which items are ordered.
    pub fn shown_path(&self) -> String {
        match self {
            Item::Check(path) => walk::shown(path),
            Item::Done(file) => file.path.clone(),
        }
    }
}

/// Why [`check_in_order`] stopped.
#[derive(Debug)]
pub enum InOrderError<E> {
    /// The thread pool could not start.
    Pool(rayon::ThreadPoolBuildError),
    /// `each` failed.
    Each(E),
}

/// Checks items in parallel a chunk at a time, hands each result to `prepare` on the thread that
/// checked it, and what that gives to `each` in the items' order, so that a caller that writes
/// and drops each result holds at most two chunks in memory. `done` is called after each file
/// from whichever thread checked it. Whatever `prepare` does (rendering a file's part of a
/// report) is done by the threads in parallel; `each` runs on the calling thread, one file after
/// another, while the threads check the next chunk: with one chunk at a time, they waited for
/// every chunk's writing and for its slowest file before starting the next.
pub fn check_in_order<T: Send, E>(
    items: Vec<Item>,
    set: &RuleSet,
    options: &CheckOptions,
    jobs: NonZeroUsize,
    done: &(dyn Fn() + Sync),
    prepare: &(dyn Fn(CheckedFile) -> T + Sync),
    mut each: impl FnMut(T) -> Result<(), E>,
) -> Result<(), InOrderError<E>> {
    let jobs = clamp_jobs(Some(jobs), items.len());
    let check = |item: Item| {
        prepare(match item {
            Item::Check(path) => {
                let checked = check_file(&path, set, options);
                done();
                checked
            }
            Item::Done(file) => file,
        })
    };
    if jobs.get() == 1 {
        // No pool to start (a tenth of a one-file run): one thread is this one.
        for item in items {
            each(check(item)).map_err(InOrderError::Each)?;
        }
        return Ok(());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.get())
        .thread_name(|index| format!("yimi-check-{index}"))
        .build()
        .map_err(InOrderError::Pool)?;
    // Large enough to keep every thread busy, small enough that memory does not grow with the
    // number of files.
    let chunk = jobs.get().saturating_mul(64);
    let check = &check;
    let mut items = items.into_iter().peekable();
    pool.in_place_scope(|scope| {
        // The chunk being checked while the one before it is handed to `each`.
        let mut checking: Option<std::sync::mpsc::Receiver<Vec<T>>> = None;
        loop {
            let next = items.peek().is_some().then(|| {
                let batch: Vec<Item> = items.by_ref().take(chunk).collect();
                let (sender, receiver) = std::sync::mpsc::sync_channel(1);
                scope.spawn(move |_| {
                    let checked: Vec<T> = batch.into_par_iter().map(check).collect();
                    // Only a caller that stopped at an error of `each` has hung up.
                    let _ = sender.send(checked);
                });
                receiver
            });
            let Some(previous) = std::mem::replace(&mut checking, next) else {
                if checking.is_none() {
                    return Ok(());
                }
                continue;
            };
            // A chunk that sends nothing panicked: the scope passes its panic on when it ends.
            let Ok(checked) = previous.recv() else {
                return Ok(());
            };
            for file in checked {
                each(file).map_err(InOrderError::Each)?;
            }
        }
    })
}

/// The default number of threads: the cores available to this process.
pub fn default_jobs() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// The most threads a run starts, whatever `--jobs` asks: beyond this, threads only cost start-up
/// time and memory (each has its own stack).
pub const MAX_JOBS: usize = 256;

/// The threads to check `files` files on: `requested` (default: the cores available), but never
/// more than there are files to check, nor more than [`MAX_JOBS`].
pub fn clamp_jobs(requested: Option<NonZeroUsize>, files: usize) -> NonZeroUsize {
    if files <= 1 {
        // Not asked of the system: counting the cores reads four cgroup files, a tenth of a
        // one-file check's system calls, and one file is checked on one thread whatever it says.
        return NonZeroUsize::MIN;
    }
    let requested = requested.unwrap_or_else(default_jobs).get();
    NonZeroUsize::new(requested.min(files).min(MAX_JOBS)).unwrap_or(NonZeroUsize::MIN)
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroUsize;

    use super::{MAX_JOBS, WHOLE_LOADS, clamp_jobs, survey_waivers};

    /// The survey before a run with a waiver naming a project without `file:` parses each
    /// file's YAML, and loads whole only the files that write a trusted `project.id` (it loaded
    /// every file whole a second time, 10 % of a run): here 2 of 6. What it finds is what
    /// loading every file found: a file that is invalid input declares nothing, so the one valid
    /// file declaring the id keeps its waiver; a second valid one takes it from both.
    #[test]
    fn the_survey_loads_whole_only_the_files_that_write_a_trusted_id() {
        let set = crate::rules::compiled::builtin_set().unwrap_or_default();
        let limits = crate::project::LoadLimits::default();
        let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let example = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/jl-changchun-residential.yaml"
        ))
        .unwrap_or_else(|error| panic!("{error}"));
        let id = "JL-CC-2026-0088";
        assert!(example.contains(id));
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap_or_else(|error| panic!("{error}"));
            path
        };
        let mut files = vec![
            write("a.yaml", &example),
            // Invalid input (a jurisdiction that is no path) writing the same id.
            write(
                "b.yaml",
                &example.replace("jurisdiction: CN/JL/Changchun", "jurisdiction: 长春"),
            ),
        ];
        for k in 0..4 {
            files.push(write(
                &format!("o{k}.yaml"),
                &example.replace(id, &format!("OTHER-{k}")),
            ));
        }
        let waivers = write(
            "waivers.yaml",
            &format!("yimi: 1\nwaivers:\n  - {{project: {id}, rule: JL-005a, reason: r}}\n"),
        );
        let (waivers, _) = crate::engine::waivers::load(&waivers, &set, limits)
            .unwrap_or_else(|errors| panic!("{errors:?}"));
        let survey = |files: &[std::path::PathBuf]| {
            WHOLE_LOADS.with(|count| count.set(0));
            let sharing = survey_waivers(files, &waivers, None, limits, NonZeroUsize::MIN)
                .unwrap_or_else(|error| panic!("{error}"));
            (sharing, WHOLE_LOADS.with(std::cell::Cell::get))
        };
        let (sharing, loads) = survey(&files);
        assert_eq!(loads, 2);
        let shown = crate::base::walk::shown(&files[0]);
        let (kept, withheld) = sharing.for_file(&waivers, &shown, Some(id));
        assert_eq!(kept.len(), 1);
        assert!(withheld.is_none(), "{withheld:?}");
        files.push(write("c.yaml", &example));
        let (sharing, loads) = survey(&files);
        assert_eq!(loads, 3);
        let (kept, withheld) = sharing.for_file(&waivers, &shown, Some(id));
        assert!(kept.is_empty());
        assert!(withheld.is_some_and(|withheld| withheld.others.len() == 1));
    }

    fn jobs(n: usize) -> Option<NonZeroUsize> {
        NonZeroUsize::new(n)
    }

    #[test]
    fn jobs_are_clamped_to_the_files_and_the_maximum() {
        assert_eq!(clamp_jobs(jobs(10_000), 21).get(), 21);
        assert_eq!(clamp_jobs(jobs(10_000), 100_000).get(), MAX_JOBS);
        assert_eq!(clamp_jobs(jobs(3), 21).get(), 3);
        // No files (only unreadable paths) still gets one thread.
        assert_eq!(clamp_jobs(jobs(8), 0).get(), 1);
        assert!(clamp_jobs(None, 1).get() == 1);
    }
}
