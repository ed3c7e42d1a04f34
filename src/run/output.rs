//! Where reports go: standard output, or a file written beside its target and renamed into place
//! when complete, never over one of the inputs.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Why an output could not be written; the message names the path.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output path names an input file.
    #[error("`{}` is one of the input files; refusing to overwrite it", .0.display())]
    IsInput(PathBuf),
    /// Writing, syncing or renaming failed.
    #[error("cannot write `{}`: {error}", path.display())]
    Write {
        /// The output path.
        path: PathBuf,
        /// What the system said.
        error: std::io::Error,
    },
}

/// Writes `text` to standard output, or atomically to `output` (never over an input file).
pub fn emit(text: &str, output: Option<&Path>, inputs: &[PathBuf]) -> Result<(), OutputError> {
    emit_with(output, inputs, |out| out.write_all(text.as_bytes()))
}

/// Like [`emit`], for output written piece by piece by `write`.
pub fn emit_with(
    output: Option<&Path>,
    inputs: &[PathBuf],
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let mut sink = Sink::open(output, inputs)?;
    let written = write(sink.writer());
    sink.check(written)?;
    sink.commit()
}

/// Where a report goes while it is written: standard output, or a file written atomically.
pub enum Sink {
    /// Standard output, buffered.
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// A file that appears only when complete.
    File(AtomicFile),
}

impl Sink {
    /// Standard output, or `output` unless it is one of the inputs.
    pub fn open(output: Option<&Path>, inputs: &[PathBuf]) -> Result<Sink, OutputError> {
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
            return Err(OutputError::IsInput(output.to_path_buf()));
        }
        AtomicFile::create(output)
            .map(Sink::File)
            .map_err(|error| OutputError::Write {
                path: output.to_path_buf(),
                error,
            })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(stdout) => stdout,
            Sink::File(file) => &mut file.writer,
        }
    }

    /// The result of a write: errors on standard output are ignored (a closed pipe, as with
    /// `| head`, is not worth reporting); on a file they stop the run.
    pub fn check(&self, written: std::io::Result<()>) -> Result<(), OutputError> {
        match (self, written) {
            (_, Ok(())) | (Sink::Stdout(_), Err(_)) => Ok(()),
            (Sink::File(file), Err(error)) => Err(OutputError::Write {
                path: file.path.clone(),
                error,
            }),
        }
    }

    /// Finishes the output: flushes standard output, or renames the file into place.
    pub fn commit(self) -> Result<(), OutputError> {
        match self {
            Sink::Stdout(mut stdout) => {
                let _ = stdout.flush();
                Ok(())
            }
            Sink::File(file) => {
                let path = file.path.clone();
                file.commit()
                    .map_err(|error| OutputError::Write { path, error })
            }
        }
    }
}

/// A file written to a temporary file beside it and renamed over it when complete, so a reader
/// never sees a half-written report. Dropped uncommitted, the temporary file is removed.
pub struct AtomicFile {
    path: PathBuf,
    temporary: PathBuf,
    writer: std::io::BufWriter<std::fs::File>,
    committed: bool,
}

impl AtomicFile {
    /// Starts writing `path` (nothing appears there until [`AtomicFile::commit`]).
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
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

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
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
