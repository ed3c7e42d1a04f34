//! The progress bar of long runs, on standard error and only for a person at a terminal.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::report::Format;

/// A progress bar on standard error for long runs: more than [`Progress::MANY`] files, or
/// still running after [`Progress::AFTER`]. Only for people watching a terminal: never when
/// standard error is not a terminal, under CI (`CI` set), or with a machine format.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    shown: AtomicBool,
    start: Instant,
}

impl Progress {
    /// Runs with more files than this show the bar from the start.
    const MANY: usize = 200;
    /// Shorter runs show it once they have taken this long.
    const AFTER: Duration = Duration::from_secs(1);

    pub fn new(files: usize, format: Format) -> Self {
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
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            if !self.shown.load(Ordering::Relaxed) && self.start.elapsed() >= Self::AFTER {
                self.show();
            }
            bar.inc(1);
        }
    }

    /// Removes the bar before the report is printed.
    pub fn clear(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// Runs `write` with the bar hidden, so that a report streamed to the same terminal does not
    /// mix with it.
    pub fn suspend<R>(&self, write: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }
}
