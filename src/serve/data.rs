//! `--data-dir`: submissions kept, readable by the server's user only (folders 0700, files
//! 0600) and bounded in size: the oldest submissions are removed to make room for a new one,
//! and a submission larger than the whole bound is not kept.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::upload::Submitted;

/// The data directory and the bytes it holds.
pub(crate) struct DataDir {
    root: PathBuf,
    /// Bytes in kept submissions; the lock also orders keeping and removing.
    used: Mutex<u64>,
    submissions: AtomicU64,
}

impl DataDir {
    /// Creates the directory (0700) if needed, makes one that exists private (0700) or refuses
    /// it when it belongs to another user, and counts what it already holds.
    pub(crate) fn open(root: &Path) -> std::io::Result<DataDir> {
        private_dir_all(root)?;
        make_private(root)?;
        let used = folders(root)?.iter().map(|(_, _, size)| size).sum();
        Ok(DataDir {
            root: root.to_owned(),
            used: Mutex::new(used),
            submissions: AtomicU64::new(0),
        })
    }

    /// Keeps `files` in a new folder, removing the oldest folders while the directory would
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
            let Ok(found) = folders(&self.root) else {
                return;
            };
            let Some((path, _, freed)) = found.into_iter().next() else {
                // Nothing left to remove: what was counted is gone.
                *used = 0;
                break;
            };
            if fs::remove_dir_all(&path).is_err() {
                return;
            }
            *used = used.saturating_sub(freed);
        }
        let number = self.submissions.fetch_add(1, Ordering::Relaxed);
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        // Zero-padded so that names sort in the order submissions were kept.
        let folder = self
            .root
            .join(format!("{stamp:012}-{}-{number:08}", std::process::id()));
        if private_dir_all(&folder).is_err() {
            return;
        }
        let mut written = 0u64;
        for (index, file) in files.iter().enumerate() {
            // Stored under a number, never under the submitted name: a name is not a path.
            if private_file(&folder.join(format!("{index:03}.yaml")), &file.bytes).is_ok() {
                written += file.bytes.len() as u64;
            }
        }
        if private_file(&folder.join("names.json"), names.as_bytes()).is_ok() {
            written += names.len() as u64;
        }
        *used = used.saturating_add(written);
    }
}

/// The submission folders under `root`, oldest first (by time changed, then name), with their
/// sizes.
fn folders(root: &Path) -> std::io::Result<Vec<(PathBuf, std::time::SystemTime, u64)>> {
    let mut found = Vec::new();
    for entry in fs::read_dir(root)? {
        let entry = entry?;
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if !kind.is_dir() {
            continue;
        }
        let path = entry.path();
        let modified = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .unwrap_or(std::time::UNIX_EPOCH);
        let mut size = 0u64;
        if let Ok(files) = fs::read_dir(&path) {
            for file in files.flatten() {
                if let Ok(meta) = file.metadata()
                    && meta.is_file()
                {
                    size = size.saturating_add(meta.len());
                }
            }
        }
        found.push((path, modified, size));
    }
    found.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Ok(found)
}

/// Creates `path` and its missing parents, readable by this user only.
fn private_dir_all(path: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Makes an existing `root` readable by this user only (0700), as a new one is created: a data
/// directory made earlier, or by hand, may be open to the group or to everyone. One that
/// belongs to another user is refused: that user could read, change or remove what is kept.
#[cfg(unix)]
fn make_private(root: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let owner = fs::metadata(root)?.uid();
    // This process's user, without unsafe code: the owner of a file it creates there.
    let probe = root.join(format!(".yimi-owner-{}", std::process::id()));
    let _ = fs::remove_file(&probe);
    private_file(&probe, b"")?;
    let me = fs::metadata(&probe).map(|meta| meta.uid());
    let _ = fs::remove_file(&probe);
    let me = me?;
    if owner != me {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "it belongs to another user (uid {owner}, not {me}), who could read, change or remove what is kept; give a directory of your own"
            ),
        ));
    }
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
