//! `--data-dir`: submissions kept, readable by the server's user only (folders 0700, files
//! 0600) and bounded in size: the oldest submissions are removed to make room for a new one,
//! and a submission larger than the whole bound is not kept.
//!
//! Architecture invariant: yimi counts, removes and changes the mode of only what it created. A
//! data directory is yimi's when yimi created it or found it empty, and then holds a
//! [`MARKER`] file; any other directory with content is refused at start-up. Only folders named
//! as yimi names submissions and holding only the files yimi writes there are counted and
//! removed, and symbolic links are never followed while doing so.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::upload::Submitted;

/// The file that marks a directory as a data directory of yimi's.
pub(crate) const MARKER: &str = ".yimi-data-dir";

/// What the marker says to whoever opens it.
const MARKER_TEXT: &str = "This directory holds submissions kept by `yimi serve --data-dir`.\n\
yimi removes the oldest of them to stay under `--data-dir-max-size`.\n";

/// The file of a submission that lists the names its files were submitted under.
const NAMES_FILE: &str = "names.json";

/// Why a directory cannot be the data directory.
#[derive(Debug)]
pub enum DataDirRefusal {
    /// It is a file, not a directory.
    NotADirectory,
    /// It is a symbolic link to nothing.
    Dangling(PathBuf),
    /// It holds files yimi did not put there.
    Foreign,
    /// It is shared by every user, like `/tmp`.
    Shared,
    /// It belongs to another user.
    OtherUser {
        /// Its owner.
        owner: u32,
        /// This process's user.
        me: u32,
    },
    /// The operating system refused something.
    Io {
        /// What was being done, as "cannot …" goes on.
        doing: &'static str,
        /// Why.
        error: std::io::Error,
    },
}

impl std::fmt::Display for DataDirRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const NEW: &str =
            "give a new or empty directory (yimi marks it as its own with a `.yimi-data-dir` file)";
        match self {
            DataDirRefusal::NotADirectory => write!(f, "it is not a directory; {NEW}"),
            DataDirRefusal::Dangling(target) => write!(
                f,
                "it is a symbolic link to `{}`, which does not exist; {NEW}",
                target.display()
            ),
            DataDirRefusal::Foreign => write!(
                f,
                "it already holds files that yimi did not put there, and yimi removes old submissions from its data directory to make room; {NEW}"
            ),
            DataDirRefusal::Shared => write!(
                f,
                "it is shared by every user (its sticky bit is set, as on `/tmp`); give a new directory inside it"
            ),
            DataDirRefusal::OtherUser { owner, me } => write!(
                f,
                "it belongs to another user (uid {owner}, not {me}), who could read, change or remove what is kept; give a directory of your own"
            ),
            DataDirRefusal::Io { doing, error } => {
                write!(f, "cannot {doing}: {}", os_reason(error))
            }
        }
    }
}

impl DataDirRefusal {
    /// The reason in both languages (newcomer review 16 N11: start-up refusals were English
    /// only, under the default `--lang zh`).
    pub fn text(&self) -> crate::base::i18n::Text {
        const NEW: &str = "请给出一个新的或空的目录(yimi 会在其中放一个 `.yimi-data-dir` 文件,标明它归 yimi 使用)";
        let en = self.to_string();
        let zh = match self {
            DataDirRefusal::NotADirectory => format!("它不是目录;{NEW}"),
            DataDirRefusal::Dangling(target) => format!(
                "它是指向 `{}` 的符号链接,而该目标不存在;{NEW}",
                target.display()
            ),
            DataDirRefusal::Foreign => format!(
                "其中已有不是 yimi 放入的文件,而 yimi 会删除数据目录中较早的提交以腾出空间;{NEW}"
            ),
            DataDirRefusal::Shared => {
                "它由所有用户共用(设置了粘滞位,如 `/tmp`);请在其中新建一个目录再给出".to_owned()
            }
            DataDirRefusal::OtherUser { owner, me } => format!(
                "它属于另一个用户(uid {owner},而非 {me}),该用户可以读取、修改或删除所保存的内容;请给出自己的目录"
            ),
            DataDirRefusal::Io { doing, error } => {
                let reason = crate::base::read::system_reason(error);
                format!("无法 {doing}:{}", reason.zh)
            }
        };
        crate::base::i18n::Text::new(zh, en)
    }
}

/// The operating system's reason in words, without its error number.
fn os_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "it does not exist".to_owned(),
        ErrorKind::PermissionDenied => "permission denied".to_owned(),
        ErrorKind::AlreadyExists => "something else was created there meanwhile".to_owned(),
        ErrorKind::NotADirectory => "a part of the path is not a directory".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_owned(),
        ErrorKind::StorageFull => "the disk is full".to_owned(),
        _ => error.to_string(),
    }
}

fn io(doing: &'static str) -> impl FnOnce(std::io::Error) -> DataDirRefusal {
    move |error| DataDirRefusal::Io { doing, error }
}

/// The data directory and the bytes it holds.
pub(crate) struct DataDir {
    root: PathBuf,
    /// Bytes in kept submissions; the lock also orders keeping and removing.
    used: Mutex<u64>,
    submissions: AtomicU64,
}

impl DataDir {
    /// Makes `root` a data directory of yimi's (see the module's invariant) and counts the
    /// submissions it already holds.
    pub(crate) fn open(root: &Path) -> Result<DataDir, DataDirRefusal> {
        claim(root)?;
        let used = submissions(root)
            .map_err(io("list what it holds"))?
            .iter()
            .map(|kept| kept.size)
            .sum();
        Ok(DataDir {
            root: root.to_owned(),
            used: Mutex::new(used),
            submissions: AtomicU64::new(0),
        })
    }

    /// Keeps `files` in a new folder, removing the oldest submissions while the directory would
    /// hold more than `max_bytes`. Failing to keep never fails the check: the official still
    /// gets the result.
    pub(crate) fn keep(&self, files: &[Submitted], max_bytes: u64) {
        let names: Vec<&str> = files.iter().map(|file| file.name.as_str()).collect();
        let names = serde_json::json!(names).to_string();
        let size = files
            .iter()
            .map(|file| file.bytes.len() as u64)
            .sum::<u64>()
            .saturating_add(names.len() as u64);
        if size > max_bytes {
            return;
        }
        let Ok(mut used) = self.used.lock() else {
            return;
        };
        while used.saturating_add(size) > max_bytes {
            let Ok(found) = submissions(&self.root) else {
                return;
            };
            let Some(oldest) = found.into_iter().next() else {
                // Nothing left to remove: what was counted is gone.
                *used = 0;
                break;
            };
            if oldest.remove().is_err() {
                return;
            }
            *used = used.saturating_sub(oldest.size);
        }
        let number = self.submissions.fetch_add(1, Ordering::Relaxed);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        // Zero-padded so that names sort in the order submissions were kept.
        let folder = self
            .root
            .join(format!("{stamp:012}-{}-{number:08}", std::process::id()));
        // Not recursive: a data directory removed meanwhile is not made again, unmarked.
        if private_dir(&folder).is_err() {
            return;
        }
        // The names first: a folder without them is not recognised as a submission, so one
        // whose other files failed is still removed in its turn.
        let mut written = 0u64;
        if private_file(&folder.join(NAMES_FILE), names.as_bytes()).is_ok() {
            written += names.len() as u64;
        }
        for (index, file) in files.iter().enumerate() {
            // Stored under a number, never under the submitted name: a name is not a path.
            if private_file(&folder.join(format!("{index:03}.yaml")), &file.bytes).is_ok() {
                written += file.bytes.len() as u64;
            }
        }
        *used = used.saturating_add(written);
    }
}

/// Makes `root` a data directory of yimi's: created when missing, taken when empty, kept when
/// marked; anything else is refused untouched.
fn claim(root: &Path) -> Result<(), DataDirRefusal> {
    match fs::symlink_metadata(root) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return create(root),
        Err(error) => return Err(io("look at it")(error)),
        Ok(_) => {}
    }
    // Through a link the user gave: the directory it leads to is the data directory.
    let meta = match fs::metadata(root) {
        Ok(meta) => meta,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(DataDirRefusal::Dangling(
                fs::read_link(root).unwrap_or_default(),
            ));
        }
        Err(error) => return Err(io("look at it")(error)),
    };
    if !meta.is_dir() {
        return Err(DataDirRefusal::NotADirectory);
    }
    let marked = fs::symlink_metadata(root.join(MARKER)).is_ok_and(|marker| marker.is_file());
    if !marked {
        let mut entries = fs::read_dir(root).map_err(io("list what it holds"))?;
        if entries.next().is_some() {
            return Err(DataDirRefusal::Foreign);
        }
        #[cfg(unix)]
        if std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o1000 != 0 {
            return Err(DataDirRefusal::Shared);
        }
    }
    check_owner(root, &meta)?;
    if !marked {
        private_file(&root.join(MARKER), MARKER_TEXT.as_bytes())
            .map_err(io("mark it as yimi's"))?;
    }
    make_private(root).map_err(io("make it readable by this user only"))
}

/// Creates `root` (and its missing parents) readable by this user only, and marks it.
fn create(root: &Path) -> Result<(), DataDirRefusal> {
    if let Some(parent) = root
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        private_dir_all(parent).map_err(io("create the directories it is in"))?;
    }
    private_dir(root).map_err(io("create it"))?;
    private_file(&root.join(MARKER), MARKER_TEXT.as_bytes()).map_err(io("mark it as yimi's"))
}

/// A submission kept: its folder, when it was last changed, its files and their size.
struct Kept {
    folder: PathBuf,
    modified: std::time::SystemTime,
    files: Vec<PathBuf>,
    size: u64,
}

impl Kept {
    /// Removes the files found in it, then the folder, which fails if anything else appeared.
    fn remove(&self) -> std::io::Result<()> {
        for file in &self.files {
            fs::remove_file(file)?;
        }
        fs::remove_dir(&self.folder)
    }
}

/// The submissions under `root`, oldest first (by time changed, then name): folders named as
/// yimi names them that hold only files yimi writes there. Nothing else is looked into, and
/// no link is followed.
fn submissions(root: &Path) -> std::io::Result<Vec<Kept>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(root)? {
        let entry = entry?;
        // The entry's own type: a link to a folder is not a folder.
        if !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        if !entry.file_name().to_str().is_some_and(is_submission_name) {
            continue;
        }
        let folder = entry.path();
        let Some((files, size)) = own_files(&folder) else {
            continue;
        };
        let modified = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .unwrap_or(std::time::UNIX_EPOCH);
        found.push(Kept {
            folder,
            modified,
            files,
            size,
        });
    }
    found.sort_by(|a, b| {
        a.modified
            .cmp(&b.modified)
            .then_with(|| a.folder.cmp(&b.folder))
    });
    Ok(found)
}

/// The files of a submission's folder and their size, when it holds only regular files named
/// as yimi names them, its names among them; `None` for anything else.
fn own_files(folder: &Path) -> Option<(Vec<PathBuf>, u64)> {
    let mut files = Vec::new();
    let mut size = 0u64;
    let mut named = false;
    for entry in fs::read_dir(folder).ok()? {
        let entry = entry.ok()?;
        let name = entry.file_name();
        let name = name.to_str()?;
        if !(name == NAMES_FILE || is_stored_file_name(name)) || !entry.file_type().ok()?.is_file()
        {
            return None;
        }
        named |= name == NAMES_FILE;
        // `DirEntry::metadata` does not follow links, and the entry is a regular file.
        size = size.saturating_add(entry.metadata().ok()?.len());
        files.push(entry.path());
    }
    named.then_some((files, size))
}

/// Whether `name` is as [`DataDir::keep`] names a submission's folder: seconds since 1970 (12
/// digits or more), the process, and the submission's number (8 digits or more).
fn is_submission_name(name: &str) -> bool {
    let digits = |part: &str, least: usize| {
        part.len() >= least && part.bytes().all(|byte| byte.is_ascii_digit())
    };
    let mut parts = name.split('-');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(stamp), Some(process), Some(number), None) => {
            digits(stamp, 12) && digits(process, 1) && digits(number, 8)
        }
        _ => false,
    }
}

/// Whether `name` is as [`DataDir::keep`] names a file it stores: `000.yaml`, `001.yaml`, ….
fn is_stored_file_name(name: &str) -> bool {
    name.strip_suffix(".yaml")
        .is_some_and(|number| number.len() >= 3 && number.bytes().all(|byte| byte.is_ascii_digit()))
}

/// Creates `path` and its missing parents, readable by this user only.
fn private_dir_all(path: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates the directory `path`, readable by this user only; fails if anything is there.
fn private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Refuses a directory that belongs to another user: that user could read, change or remove
/// what is kept. Called only on a directory that is empty or yimi's, since it writes there.
#[cfg(unix)]
fn check_owner(root: &Path, meta: &fs::Metadata) -> Result<(), DataDirRefusal> {
    use std::os::unix::fs::MetadataExt;
    let owner = meta.uid();
    // This process's user, without unsafe code: the owner of a file it creates there.
    let probe = root.join(format!(".yimi-owner-{}", std::process::id()));
    let _ = fs::remove_file(&probe);
    private_file(&probe, b"").map_err(io("write in it"))?;
    let me = fs::symlink_metadata(&probe).map(|meta| meta.uid());
    let _ = fs::remove_file(&probe);
    let me = me.map_err(io("write in it"))?;
    if owner != me {
        return Err(DataDirRefusal::OtherUser { owner, me });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_owner(_root: &Path, _meta: &fs::Metadata) -> Result<(), DataDirRefusal> {
    Ok(())
}

/// Makes `root`, a directory of yimi's, readable by this user only (0700), as a new one is
/// created: one made by hand may be open to the group or to everyone.
#[cfg(unix)]
fn make_private(root: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(root, fs::Permissions::from_mode(0o700))
}

#[cfg(not(unix))]
fn make_private(_root: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Writes a new file readable by this user only.
fn private_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yimi_s_own_names_are_submissions() {
        assert!(is_submission_name("001765000000-4242-00000003"));
        assert!(is_submission_name("1765000000000-1-000000030"));
        for name in [
            "important",
            "001765000000-4242",
            "001765000000-4242-0000003",
            "01765000000-4242-00000003",
            "001765000000--00000003",
            "001765000000-4242-00000003-x",
            "001765000000-42a2-00000003",
        ] {
            assert!(!is_submission_name(name), "{name}");
        }
        assert!(is_stored_file_name("000.yaml"));
        assert!(is_stored_file_name("1234.yaml"));
        for name in ["00.yaml", "abc.yaml", "000.yml", "000.yaml.bak", ".yaml"] {
            assert!(!is_stored_file_name(name), "{name}");
        }
    }
}
