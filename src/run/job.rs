//! The `check` job: check every file, a chunk at a time and in a stable order, write each report
//! a file at a time (so memory stays flat in the number of files, whatever the format), and
//! tally what the exit code depends on.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use super::batch::{self, InOrderError, Item};
use super::output::{OutputError, Sink};
use super::progress::Progress;
use crate::base::diagnostic::Medium;
use crate::engine::Level;
use crate::engine::checked::{CheckOptions, CheckedFile};
use crate::report::{self, Format, Style};
use crate::rules::ir::RuleSet;

/// The most files a document report (Markdown, HTML, Word) is meant for. Past it the report still
/// is written, streamed, but grows beyond what a reader opens: 10 000 files make a Word file of
/// some 1.2 GB and an HTML page of 185 MB, which Word, WPS and browsers give up on.
pub const MAX_DOCUMENT_FILES: usize = 500;

/// A warning when a document format is asked for more than [`MAX_DOCUMENT_FILES`] files; `option`
/// is how the command line asked for it (`--format docx`, `--report html=r.html`).
pub fn document_size_warning(
    format: Format,
    option: &str,
    files: usize,
) -> Option<crate::base::i18n::Text> {
    let document = matches!(format, Format::Markdown | Format::Html | Format::Docx);
    if !document || files <= MAX_DOCUMENT_FILES {
        return None;
    }
    let option = crate::base::i18n::code(option);
    Some(crate::tr!(
        "{option}:{files} 个文件的报告会大到 Word、WPS 或浏览器难以打开(文档报告适合不超过 {MAX_DOCUMENT_FILES} 个文件);仍会写出。文件很多时请用 `json` 或 `sarif`,或分目录各出一份报告",
        "{option}: a report on {files} files grows larger than Word, WPS or a browser can open (document reports are meant for at most {MAX_DOCUMENT_FILES} files); it is still written. For many files use `json` or `sarif`, or one report per folder"
    ))
}

/// One report to write: standard output when `output` is `None`.
pub struct Target {
    /// Its format.
    pub format: Format,
    /// Its file, if not standard output.
    pub output: Option<PathBuf>,
    /// How to present it.
    pub style: Style,
}

/// Which findings make the run fail.
#[derive(Clone, Copy, Debug)]
pub struct Gate {
    /// Findings at or above this level fail the run; `None`: none do.
    pub threshold: Option<Level>,
    /// With a baseline, only new findings count.
    pub new_only: bool,
}

/// Everything the job needs.
pub struct Job<'a> {
    /// Files to check and files already known to be unreadable, in report order.
    pub items: Vec<Item>,
    /// The input files, which no report may overwrite.
    pub inputs: &'a [PathBuf],
    /// The rules.
    pub set: &'a RuleSet,
    /// How to check each file.
    pub options: &'a CheckOptions,
    /// Threads.
    pub jobs: NonZeroUsize,
    /// The reports; the first one's baseline marks findings for the gate.
    pub targets: Vec<Target>,
    /// Which findings fail the run.
    pub gate: Gate,
}

/// What the exit code depends on, gathered file by file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// The files reported on.
    pub files: usize,
    /// Of those, the files that could not be used.
    pub invalid_files: usize,
    /// Of those, the files with a finding at or above the gate's threshold.
    pub failing_files: usize,
}

impl Tally {
    /// Some file could not be used.
    pub fn invalid(&self) -> bool {
        self.invalid_files > 0
    }

    /// Some finding is at or above the gate's threshold.
    pub fn failing(&self) -> bool {
        self.failing_files > 0
    }

    fn merge(&mut self, other: Tally) {
        self.files += other.files;
        self.invalid_files += other.invalid_files;
        self.failing_files += other.failing_files;
    }

    fn add(&mut self, gate: Gate, view: &report::FileView<'_>) {
        let invalid = view.invalid();
        // With --new-only, findings already in the baseline do not block.
        let failing = gate.threshold.is_some_and(|threshold| {
            view.findings.iter().any(|finding| {
                finding.level.is_some_and(|level| level >= threshold)
                    && !(gate.new_only && finding.baseline == Some(report::BaselineState::Existing))
            }) || (threshold <= Level::Warning
                && !invalid
                && view
                    .diagnostics
                    .iter()
                    .any(|d| report::counts_as_warning(d)))
        });
        self.merge(Tally {
            files: 1,
            invalid_files: usize::from(invalid),
            failing_files: usize::from(failing),
        });
    }
}

/// Why the job stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// The thread pool could not start.
    #[error("cannot start {jobs} threads: {error}")]
    Pool {
        /// How many were asked for.
        jobs: NonZeroUsize,
        /// Why not.
        error: rayon::ThreadPoolBuildError,
    },
    /// A report could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

impl JobError {
    /// The message in both languages.
    pub fn text(&self) -> crate::base::i18n::Text {
        match self {
            JobError::Pool { .. } => crate::base::i18n::Text::same(self.to_string()),
            JobError::Output(error) => error.text(),
        }
    }
}

/// A checked file made ready to write, on the thread that checked it: for each of its views
/// (one), each report's part where the report renders apart, and what it adds to the tally.
struct Prepared {
    /// The file, kept when some report is written from its view on the writing thread.
    file: Option<CheckedFile>,
    /// Per view, per report: its rendered part, or `None` for a report written from the view;
    /// empty when no report renders apart.
    parts: Vec<Vec<Option<report::Part>>>,
    /// What the file adds to the tally, when its views were made on the checking thread.
    tally: Option<Tally>,
}

/// Runs the job; `progress` ticks once a file.
pub fn run(job: Job<'_>, progress: &Progress) -> Result<Tally, JobError> {
    let result = run_streaming(job, progress);
    progress.clear();
    result
}

/// Checks and writes every report one file at a time, so that memory does not grow with the
/// number of files.
fn run_streaming(job: Job<'_>, progress: &Progress) -> Result<Tally, JobError> {
    let baseline = job
        .targets
        .first()
        .and_then(|target| target.style.baseline.clone());
    let naming = job
        .targets
        .first()
        .map(|target| target.style.naming.clone())
        .unwrap_or_default();
    let files = job.items.len();
    super::output::refuse_same_file(
        job.targets
            .iter()
            .filter_map(|target| target.output.as_deref()),
    )?;
    let mut sinks = Vec::new();
    for target in &job.targets {
        let mut sink = Sink::open(target.output.as_deref(), job.inputs)?;
        let stream = report::Stream::new(target.format, job.set, &target.style, files);
        let stream = match stream {
            Ok(stream) => stream,
            Err(error) => {
                sink.check(Err(error))?;
                continue;
            }
        };
        let written = stream.begin(sink.writer());
        sink.check(written)?;
        sinks.push((sink, stream));
    }
    let mut tally = Tally::default();
    // The reports whose file parts depend on the file alone are rendered by the thread that
    // checked it (most of a file's cost in JSON: with the rendering on this thread, `--jobs 2`
    // ran little faster than `--jobs 1`); the others are written here, in order.
    let renderers: Vec<Option<report::Renderer<'_>>> =
        sinks.iter().map(|(_, stream)| stream.renderer()).collect();
    let any_apart = renderers.iter().any(Option::is_some);
    let everything_apart = renderers.iter().all(Option::is_some);
    let gate = job.gate;
    let spare = report::Spare::default();
    let prepare = |file: CheckedFile| -> Prepared {
        if !any_apart {
            return Prepared {
                file: Some(file),
                parts: Vec::new(),
                tally: None,
            };
        }
        let views = report::views(
            std::slice::from_ref(&file),
            job.set,
            baseline.as_deref(),
            Medium::CommandLine,
            &naming,
        );
        let mut tally = Tally::default();
        let mut parts = Vec::with_capacity(views.len());
        for view in &views {
            tally.add(gate, view);
            parts.push(
                renderers
                    .iter()
                    .map(|renderer| renderer.map(|renderer| renderer.part(view, &spare)))
                    .collect::<Vec<_>>(),
            );
        }
        drop(views);
        Prepared {
            // Freed here, in parallel, when no report needs it any more.
            file: (!everything_apart).then_some(file),
            parts,
            tally: Some(tally),
        }
    };
    let each = |prepared: Prepared| -> Result<(), OutputError> {
        let views = match &prepared.file {
            Some(file) => report::views(
                std::slice::from_ref(file),
                job.set,
                baseline.as_deref(),
                Medium::CommandLine,
                &naming,
            ),
            None => Vec::new(),
        };
        match prepared.tally {
            Some(prepared) => tally.merge(prepared),
            None => views.iter().for_each(|view| tally.add(job.gate, view)),
        }
        let mut parts = prepared.parts.into_iter();
        progress.suspend(|| {
            for index in 0..views.len().max(parts.len()) {
                let mut rendered = parts.next().unwrap_or_default().into_iter();
                for (sink, stream) in &mut sinks {
                    let written = match (rendered.next().flatten(), views.get(index)) {
                        (Some(part), _) => stream.put(part, sink.writer(), &spare),
                        (None, Some(view)) => stream.file(view, sink.writer()),
                        (None, None) => Ok(()),
                    };
                    sink.check(written)?;
                }
            }
            Ok(())
        })
    };
    match batch::check_in_order(
        job.items,
        job.set,
        job.options,
        job.jobs,
        &|| progress.tick(),
        &prepare,
        each,
    ) {
        Ok(()) => {}
        Err(InOrderError::Pool(error)) => {
            return Err(JobError::Pool {
                jobs: job.jobs,
                error,
            });
        }
        Err(InOrderError::Each(error)) => return Err(error.into()),
    }
    for (mut sink, stream) in sinks {
        let written = stream.finish(sink.writer());
        sink.check(written)?;
        sink.commit()?;
    }
    Ok(tally)
}

#[cfg(test)]
mod document_size_tests {
    use super::*;

    #[test]
    fn only_document_formats_past_the_bound_are_warned_about() {
        assert!(document_size_warning(Format::Docx, "--format docx", 500).is_none());
        assert!(document_size_warning(Format::Json, "--format json", 10_000).is_none());
        let warning = document_size_warning(Format::Html, "--report html=r.html", 501);
        let en = warning.map(|text| text.en).unwrap_or_default();
        assert!(
            en.starts_with("`--report html=r.html`: a report on 501 files"),
            "{en}"
        );
    }
}
