//! Where reports go: standard output, or a file written beside its target and renamed into place
//! when complete, never over one of the inputs. A target that is not a regular file (a device,
//! a pipe, a link to one) is written directly: renaming would replace it. A symbolic link to
//! anything else (a file, a directory, nothing) is refused, as a link planted in a checkout; so
//! is a link among the folders of the path that lie inside the working directory (`linked/x.html`
//! with `linked -> ~/.ssh`). The temporary file is created exclusively under an unpredictable
//! name, and removed on SIGHUP, SIGINT, SIGTERM and the other signals that end a process and can
//! be caught, but those that report a broken process (SIGQUIT, SIGABRT, the faults): a closed
//! terminal or a dropped ssh session sends SIGHUP. A write past `ulimit -f` is a failed write
//! (exit 2), not a kill.
//!
//! The folders are looked at, then the file is made: whoever can change the checkout while yimi
//! runs could put a link in between. That is not the threat guarded against here — links
//! committed to a repository, there before the command is typed — and closing it would mean
//! opening each folder without following links (`openat` with `O_NOFOLLOW`, component by
//! component, and renaming relative to the folder opened), which the standard library does not
//! offer.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::base::i18n::Text;
use crate::tr;

/// Why an output could not be written; the message names the path.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output path names an input file.
    #[error("`{}` is one of the input files; refusing to overwrite it", .0.display())]
    IsInput(PathBuf),
    /// The output path is a symbolic link that ends at a regular file, a directory or nothing: a
    /// link committed to a checkout (git stores links) would have a report written to any file
    /// the runner can write.
    #[error(
        "`{}` is a symbolic link to `{}`; refusing to write a report through it (remove the link or write the report elsewhere)",
        path.display(),
        target.display()
    )]
    IsLink {
        /// The output path.
        path: PathBuf,
        /// Where the link points, as written in it.
        target: PathBuf,
    },
    /// A folder on the output path, inside the working directory, is a symbolic link: a link
    /// committed to a checkout (`out -> ~/.ssh`) would have the report written where it leads.
    #[error(
        "`{}` goes through `{}`, a symbolic link to `{}`; refusing to write a report through it (write the report to a path without links, or resolve the link yourself and give the path it leads to)",
        path.display(),
        link.display(),
        target.display()
    )]
    LinkedFolder {
        /// The output path.
        path: PathBuf,
        /// The folder that is a link, as the path names it.
        link: PathBuf,
        /// Where the link points, as written in it.
        target: PathBuf,
    },
    /// Two reports would go to one file, and the last written would silently replace the other.
    #[error(
        "two reports would be written to one file, `{}` and `{}`; give each report its own file",
        first.display(),
        second.display()
    )]
    SameFile {
        /// The first output path, as given.
        first: PathBuf,
        /// The second, as given.
        second: PathBuf,
    },
    /// Writing to standard output failed (other than a closed pipe).
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
    /// Writing, syncing or renaming failed.
    #[error("cannot write `{}`: {error}", path.display())]
    Write {
        /// The output path.
        path: PathBuf,
        /// What the system said.
        error: std::io::Error,
    },
}

impl OutputError {
    /// The message in both languages; the system's own reason, when there is one, without the
    /// temporary file's name (the user never named it).
    pub fn text(&self) -> Text {
        match self {
            OutputError::IsInput(path) => {
                let shown = path.display();
                tr!(
                    "`{shown}` 是输入文件之一,不能用报告覆盖它:请把报告写到别的文件",
                    "`{shown}` is one of the input files; refusing to overwrite it: write the report to another file"
                )
            }
            OutputError::IsLink { path, target } => {
                let (shown, target) = (path.display(), target.display());
                tr!(
                    "`{shown}` 是指向 `{target}` 的符号链接,不通过它写报告(删除该链接,或把报告写到别处)",
                    "`{shown}` is a symbolic link to `{target}`; refusing to write a report through it (remove the link or write the report elsewhere)"
                )
            }
            OutputError::LinkedFolder { path, link, target } => {
                let (shown, link, target) = (path.display(), link.display(), target.display());
                tr!(
                    "`{shown}` 经过 `{link}`,它是指向 `{target}` 的符号链接,不通过它写报告(请把报告写到不经过链接的路径,或自行解析该链接后写明实际路径)",
                    "`{shown}` goes through `{link}`, a symbolic link to `{target}`; refusing to write a report through it (write the report to a path without links, or resolve the link yourself and give the path it leads to)"
                )
            }
            OutputError::SameFile { first, second } => {
                let (first, second) = (first.display(), second.display());
                tr!(
                    "两份报告会写到同一个文件:`{first}` 和 `{second}`;请给每份报告各自的文件",
                    "two reports would be written to one file, `{first}` and `{second}`; give each report its own file"
                )
            }
            OutputError::Stdout(error) => {
                let reason = system_reason(error);
                let (zh, en) = (reason.zh, reason.en);
                tr!(
                    "无法写到标准输出:{zh}",
                    "cannot write to standard output: {en}"
                )
            }
            OutputError::Write { path, error } => {
                let shown = path.display();
                let folder = path
                    .parent()
                    .filter(|folder| !folder.as_os_str().is_empty());
                match folder {
                    Some(folder) if !folder.exists() => {
                        let folder = folder.display();
                        tr!(
                            "无法写入 `{shown}`:文件夹 `{folder}` 不存在;请先创建它,或把报告写到已有的文件夹",
                            "cannot write `{shown}`: the folder `{folder}` does not exist; create it first, or write the report to a folder that exists"
                        )
                    }
                    _ => {
                        let reason = system_reason(error);
                        let (zh, en) = (reason.zh, reason.en);
                        tr!("无法写入 `{shown}`:{zh}", "cannot write `{shown}`: {en}")
                    }
                }
            }
        }
    }
}

/// The system's reason for `error`, past a wrapper that names the temporary file.
fn system_reason(error: &std::io::Error) -> Text {
    let inner = error
        .get_ref()
        .and_then(|wrapped| wrapped.source())
        .and_then(|source| source.downcast_ref::<std::io::Error>());
    crate::base::read::system_reason(inner.unwrap_or(error))
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

/// Where a report goes while it is written: standard output, or a file.
pub enum Sink {
    /// Standard output, buffered.
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// A regular file that appears only when complete.
    File(AtomicFile),
    /// A target that is not a regular file, written directly.
    Direct {
        /// The output path.
        path: PathBuf,
        /// The opened target.
        writer: std::io::BufWriter<std::fs::File>,
    },
}

/// Whether `output` is (or is a name of) one of `inputs`: the same file, or a file inside an
/// input directory (a rule pack or sources directory).
fn is_input(output: &Path, inputs: &[PathBuf]) -> bool {
    let Ok(target) = output.canonicalize() else {
        return false;
    };
    inputs.iter().any(|input| {
        input
            .canonicalize()
            .is_ok_and(|input| input == target || (input.is_dir() && target.starts_with(&input)))
    })
}

/// Refuses two of `outputs` that name one file (`out.json`, `./out.json`, its absolute path, or
/// through a linked folder): each report is written whole and renamed into place, so the last
/// would replace the others without a word (#12 D7).
pub fn refuse_same_file<'p>(
    outputs: impl IntoIterator<Item = &'p Path>,
) -> Result<(), OutputError> {
    let mut seen: std::collections::HashMap<PathBuf, &Path> = std::collections::HashMap::new();
    for output in outputs {
        if let Some(first) = seen.insert(place(output), output) {
            return Err(OutputError::SameFile {
                first: first.to_path_buf(),
                second: output.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Where `path` is, written one way: the file itself resolved when it exists, else its folder
/// resolved and its name, else the path made absolute.
fn place(path: &Path) -> PathBuf {
    if let Ok(place) = path.canonicalize() {
        return place;
    }
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match (folder.canonicalize(), path.file_name()) {
        (Ok(folder), Some(name)) => folder.join(name),
        _ => std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// Whether a symbolic link at `output` may be written through: it ends at a device, a pipe or a
/// socket (`/proc/self/fd/1` to a terminal or a pipe), or it is written under `/dev` or `/proc`,
/// the system's own names for streams (`/dev/stdout` ends at a regular file when standard output
/// is redirected to one), where no checkout can plant a link.
fn is_stream_link(output: &Path) -> bool {
    let system = output.starts_with("/dev") || output.starts_with("/proc");
    let stream = std::fs::metadata(output)
        .is_ok_and(|metadata| !metadata.file_type().is_file() && !metadata.file_type().is_dir());
    system || stream
}

/// The first folder of `output` that lies inside the working directory and is a symbolic link,
/// with where it points. A folder lies inside when the folder holding it, resolved, is the
/// working directory or below it, however the path reaches it (relative, absolute, through `..`
/// or through a link to the checkout). A link the operator names outside the working directory
/// is theirs to choose (macOS's `/tmp -> /private/tmp`, `/dev/stdout`, `/proc/self/fd/1`); so
/// is everything when the working directory is the root, which no checkout is. The last
/// component is not looked at here: a link there is judged by what it leads to (a stream may be
/// written through).
pub fn linked_folder(output: &Path) -> Option<(PathBuf, PathBuf)> {
    let folder = output.parent()?;
    if output.starts_with("/dev") || output.starts_with("/proc") {
        return None;
    }
    let cwd = std::env::current_dir().ok()?.canonicalize().ok()?;
    // The root has no parent: no checkout.
    cwd.parent()?;
    let mut at = PathBuf::new();
    for component in folder.components() {
        let std::path::Component::Normal(name) = component else {
            at.push(component.as_os_str());
            continue;
        };
        let holder = if at.as_os_str().is_empty() {
            Path::new(".")
        } else {
            at.as_path()
        };
        let inside = holder
            .canonicalize()
            .is_ok_and(|holder| holder.starts_with(&cwd));
        at.push(name);
        if !inside {
            continue;
        }
        match std::fs::symlink_metadata(&at) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                let target = std::fs::read_link(&at).unwrap_or_default();
                return Some((at, target));
            }
            Ok(_) => {}
            // Nothing there: writing fails, saying the folder does not exist.
            Err(_) => return None,
        }
    }
    None
}

impl Sink {
    /// Standard output, or `output` unless it is one of the inputs.
    pub fn open(output: Option<&Path>, inputs: &[PathBuf]) -> Result<Sink, OutputError> {
        let Some(output) = output else {
            return Ok(Sink::Stdout(std::io::BufWriter::new(
                std::io::stdout().lock(),
            )));
        };
        if is_input(output, inputs) {
            return Err(OutputError::IsInput(output.to_path_buf()));
        }
        if let Some((link, target)) = linked_folder(output) {
            return Err(OutputError::LinkedFolder {
                path: output.to_path_buf(),
                link,
                target,
            });
        }
        let write_error = |error| OutputError::Write {
            path: output.to_path_buf(),
            error,
        };
        // Only a regular file is replaced by renaming; a device or a pipe, or a link to one, is
        // written through, as a shell's `>` would. A link to anything else is refused: it may
        // have been planted (#12 D10).
        match std::fs::symlink_metadata(output) {
            Ok(metadata) if metadata.file_type().is_symlink() && !is_stream_link(output) => {
                Err(OutputError::IsLink {
                    path: output.to_path_buf(),
                    target: std::fs::read_link(output).unwrap_or_default(),
                })
            }
            Ok(metadata) if !metadata.file_type().is_file() => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(output)
                    .map_err(write_error)?;
                Ok(Sink::Direct {
                    path: output.to_path_buf(),
                    writer: std::io::BufWriter::new(file),
                })
            }
            _ => AtomicFile::create(output)
                .map(Sink::File)
                .map_err(write_error),
        }
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Sink::Stdout(stdout) => stdout,
            Sink::File(file) => &mut file.writer,
            Sink::Direct { writer, .. } => writer,
        }
    }

    /// The result of a write: a closed pipe on standard output (as with `| head`) is not worth
    /// reporting; any other failure stops the run.
    pub fn check(&self, written: std::io::Result<()>) -> Result<(), OutputError> {
        match (self, written) {
            (_, Ok(())) => Ok(()),
            (Sink::Stdout(_), Err(error)) if error.kind() == std::io::ErrorKind::BrokenPipe => {
                Ok(())
            }
            (_, Err(error)) => Err(self.error(error)),
        }
    }

    fn error(&self, error: std::io::Error) -> OutputError {
        match self {
            Sink::Stdout(_) => OutputError::Stdout(error),
            Sink::File(file) => OutputError::Write {
                path: file.path.clone(),
                error,
            },
            Sink::Direct { path, .. } => OutputError::Write {
                path: path.clone(),
                error,
            },
        }
    }

    /// Finishes the output: flushes standard output or the target, or renames the file into
    /// place.
    pub fn commit(self) -> Result<(), OutputError> {
        match self {
            Sink::Stdout(mut stdout) => match stdout.flush() {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(OutputError::Stdout(error))
                }
                _ => Ok(()),
            },
            Sink::File(file) => {
                let path = file.path.clone();
                file.commit()
                    .map_err(|error| OutputError::Write { path, error })
            }
            Sink::Direct { path, mut writer } => writer
                .flush()
                .map_err(|error| OutputError::Write { path, error }),
        }
    }
}

/// A file written to a temporary file beside it and renamed over it when complete, so a reader
/// never sees a half-written report. Dropped uncommitted, or on SIGHUP, SIGINT, SIGTERM and the other
/// signals [`remove_on_signal`] names, the temporary file is removed.
pub struct AtomicFile {
    path: PathBuf,
    temporary: PathBuf,
    writer: std::io::BufWriter<std::fs::File>,
    committed: bool,
}

/// The temporary files being written, for the signal handler to remove.
static TEMPORARY_FILES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Makes a write past the file-size limit (`ulimit -f`) a failed write, not a kill: by default
/// SIGXFSZ ends the process with no message and leaves half a report (hostile review 9 R2).
/// Caught, the write fails with EFBIG and takes the ordinary path (a message, exit 2, the
/// temporary file removed). Installed once, before anything is written.
pub fn write_errors_not_signals() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let caught = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, caught);
    });
}

/// Removes the temporary files on every signal that ends a process by default and that can be
/// caught (hangup, interrupt, terminate, the CPU-time limit, timers, the user signals, power
/// failure, I/O, a bad system call, a trap, the stack fault and every real-time signal), then ends
/// the process as the signal would have. Installed once, when the first temporary file is made.
/// SIGQUIT (a core dump asked for), SIGABRT and the faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE)
/// keep their default: they report a broken process, which should stop where it is.
fn remove_on_signal() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let Ok(mut signals) = signal_hook::iterator::Signals::new(ending_signals()) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("yimi-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    // Held until the process ends, so that no file is made after the removal.
                    let files = TEMPORARY_FILES
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    for file in files.iter() {
                        let _ = std::fs::remove_file(file);
                    }
                    end_by(signal);
                }
            });
    });
}

/// The signals [`remove_on_signal`] catches: those whose default action ends the process, less
/// SIGKILL and SIGSTOP (which cannot be caught), SIGQUIT, SIGABRT and the faults.
fn ending_signals() -> Vec<std::ffi::c_int> {
    use signal_hook::consts::{
        SIGALRM, SIGHUP, SIGINT, SIGIO, SIGPROF, SIGSYS, SIGTERM, SIGTRAP, SIGUSR1, SIGUSR2,
        SIGVTALRM, SIGXCPU,
    };
    #[allow(unused_mut)]
    let mut signals = vec![
        SIGHUP, SIGINT, SIGTERM, SIGXCPU, SIGALRM, SIGVTALRM, SIGPROF, SIGUSR1, SIGUSR2, SIGIO,
        SIGSYS, SIGTRAP,
    ];
    // SIGPWR and SIGSTKFLT are Linux's; SIGRTMIN is past the signals the C library keeps for
    // its threads (32 and 33 with glibc), which cannot be caught.
    #[cfg(target_os = "linux")]
    {
        signals.push(libc::SIGPWR);
        // Not on MIPS and SPARC.
        #[cfg(not(any(
            target_arch = "mips",
            target_arch = "mips64",
            target_arch = "sparc",
            target_arch = "sparc64"
        )))]
        signals.push(libc::SIGSTKFLT);
        signals.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    }
    signals
}

/// Ends the process as `signal` would have, had it not been caught: its default action restored
/// and the signal raised again, so that the parent sees the process killed by it (a shell's
/// `$?` is 128 + the number). The exit code is the fallback should the signal not end it.
fn end_by(signal: std::ffi::c_int) -> ! {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `signal` and `pthread_sigmask` change this process's disposition and this
        // thread's mask only; the set is a local the calls initialise before it is read.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, signal);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
        let _ = signal_hook::low_level::raise(signal);
    }
    // Elsewhere the signals caught are those signal-hook knows the default action of.
    #[cfg(not(target_os = "linux"))]
    let _ = signal_hook::low_level::emulate_default_handler(signal);
    std::process::exit(128 + signal)
}

fn forget_temporary(path: &Path) {
    if let Ok(mut files) = TEMPORARY_FILES.lock() {
        files.retain(|file| file != path);
    }
}

impl AtomicFile {
    /// Starts writing `path` (nothing appears there until [`AtomicFile::commit`]).
    pub fn create(path: &Path) -> std::io::Result<AtomicFile> {
        write_errors_not_signals();
        remove_on_signal();
        let dir = path
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().map_or_else(
            || "report".into(),
            |name| name.to_string_lossy().into_owned(),
        );
        // The temporary name adds a dot, a random part and `.tmp` to the target's: a name near
        // the file system's limit (255 bytes) is shortened, or it could never be written.
        let mut keep = name.len().min(MAX_TEMPORARY_STEM_BYTES);
        while !name.is_char_boundary(keep) {
            keep -= 1;
        }
        let name = name.get(..keep).unwrap_or_default();
        // tempfile creates the file exclusively (O_EXCL, so a planted symbolic link is never
        // followed) under a random name.
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // As a report written in place would be (the umask applies), not tempfile's 0600.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        // The list is held while the file is made and recorded: a signal in between would
        // otherwise find the file made but not listed, and leave it behind.
        let mut files = TEMPORARY_FILES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let file = builder.tempfile_in(dir)?;
        let (file, temporary) = file.keep().map_err(|error| error.error)?;
        files.push(temporary.clone());
        drop(files);
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temporary,
            writer: std::io::BufWriter::new(file),
            committed: false,
        })
    }

    /// Where the contents go.
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.writer
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        std::fs::rename(&self.temporary, &self.path)?;
        self.committed = true;
        forget_temporary(&self.temporary);
        Ok(())
    }

    /// Flushes, syncs and puts the file in place only if nothing is there, not even a broken
    /// symbolic link: linked under its name, which fails if the name exists (where a rename would
    /// replace what appeared since it was last looked at).
    pub fn commit_new(mut self) -> std::io::Result<()> {
        self.writer.flush()?;
        self.writer.get_ref().sync_all()?;
        match std::fs::hard_link(&self.temporary, &self.path) {
            // The temporary name goes with the drop, the file stays under its own.
            Ok(()) => Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Err(error),
            // A file system without hard links: looked at, then renamed.
            Err(_) if std::fs::symlink_metadata(&self.path).is_ok() => Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the file exists",
            )),
            Err(_) => self.commit(),
        }
    }
}

/// The most bytes of the target's name kept in a temporary file's name: with the dot, the random
/// part and `.tmp`, well under the 255 bytes a file name may have.
const MAX_TEMPORARY_STEM_BYTES: usize = 200;

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temporary);
            forget_temporary(&self.temporary);
        }
    }
}
