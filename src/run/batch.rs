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
/// the declaring files loads every file once more before the check, on `jobs` threads; a run
/// of one file, or whose waivers name no project without `file:`, is not surveyed.
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
        let declared_id = |path: &PathBuf| {
            let project = crate::project::load_path(path, limits).ok()?;
            let id = project.text(&["project", "id"])?;
            trusted.get(id).cloned()
        };
        let ids: Vec<Option<String>> = match clamp_jobs(Some(jobs), files.len()).get() {
            1 => files.iter().map(declared_id).collect(),
            threads => rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|index| format!("yimi-survey-{index}"))
                .build()?
                .install(|| files.par_iter().map(declared_id).collect()),
        };
        // Every trusted id is in the map, declared or not: a file that declares one at its check
        // but did not here is not taken for the only one.
        let mut declared: HashMap<String, Vec<String>> =
            trusted.iter().map(|id| (id.clone(), Vec::new())).collect();
        for (path, id) in files.iter().zip(ids) {
            if let Some(files) = id.and_then(|id| declared.get_mut(&id)) {
                files.push(walk::shown(path));
            }
        }
        for files in declared.values_mut() {
            files.sort();
        }
        Some(declared)
    };
    Ok(Sharing::new(
        declared,
        pinned_files(files, waivers, waivers_file),
    ))
}

/// For each file of `files` (by its shown path), the waivers whose `file:` names it: by the name
/// a baseline gives it (its real path relative to its repository's root, else to the waivers
/// file's folder) or by the path the run was given, both in normal form.
fn pinned_files(
    files: &[PathBuf],
    waivers: &[StatedWaiver],
    waivers_file: Option<&Path>,
) -> HashMap<String, Vec<usize>> {
    let mut pinned: HashMap<String, Vec<usize>> = HashMap::new();
    if waivers.iter().all(|waiver| waiver.file.is_none()) {
        return pinned;
    }
    let folder = waivers_file
        .and_then(|path| std::fs::canonicalize(path).ok())
        .and_then(|real| real.parent().map(Path::to_path_buf));
    let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
    for path in files {
        let shown = walk::shown(path);
        let key = crate::report::baseline::file_key(&shown, folder.as_deref());
        let mut names = vec![
            crate::report::baseline::normal_name(&shown),
            crate::report::baseline::normal_name(&key),
        ];
        names.dedup();
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
/// and drops each result holds only a chunk in memory. `done` is called after each file from
/// whichever thread checked it. Whatever `prepare` does (rendering a file's part of a report)
/// is done by the threads in parallel; `each` runs on the calling thread, one file after another.
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
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        let batch: Vec<Item> = items.by_ref().take(chunk).collect();
        let checked: Vec<T> = pool.install(|| batch.into_par_iter().map(check).collect());
        for file in checked {
            each(file).map_err(InOrderError::Each)?;
        }
    }
    Ok(())
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
    let requested = requested.unwrap_or_else(default_jobs).get();
    NonZeroUsize::new(requested.min(files).min(MAX_JOBS)).unwrap_or(NonZeroUsize::MIN)
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroUsize;

    use super::{MAX_JOBS, clamp_jobs};

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
