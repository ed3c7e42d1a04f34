//! Finding input files under directories: each real directory is read once and each real file
//! found once, however it is named or linked (`./x.yaml`, `x.yaml`, an absolute path, a symbolic
//! link to a parent), so a link loop cannot make the walk grow without end. The walk keeps an
//! explicit list of directories to read: no recursion whose depth a directory tree decides.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What makes two names the same file: device and inode on Unix, the canonical path elsewhere.
#[cfg(unix)]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileId(u64, u64);

/// What makes two names the same file: device and inode on Unix, the canonical path elsewhere.
#[cfg(not(unix))]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileId(PathBuf);

impl FileId {
    /// The identity of the file `path` names, whose metadata (links followed) is `metadata`.
    #[cfg(unix)]
    pub fn of(_path: &Path, metadata: &std::fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId(metadata.dev(), metadata.ino()))
    }

    /// The identity of the file `path` names, whose metadata (links followed) is `metadata`.
    #[cfg(not(unix))]
    pub fn of(path: &Path, _metadata: &std::fs::Metadata) -> Option<FileId> {
        std::fs::canonicalize(path).ok().map(FileId)
    }
}

/// A path found by a walk, with what the walk learnt about it.
#[derive(Debug)]
pub enum Entry {
    /// A file (anything but a directory) whose name the walk wanted.
    File(PathBuf, Option<FileId>),
    /// A directory that could not be read.
    UnreadableDir(PathBuf, std::io::Error),
    /// An entry whose metadata could not be read (a broken link, a file that vanished); `wanted`
    /// says whether its name is one the walk looks for.
    Unreadable {
        /// The entry.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
        /// Whether its name is one the walk looks for.
        wanted: bool,
    },
}

/// Directories already read, shared by the walks of one command so a directory named twice (or
/// reached through a link) is read once.
#[derive(Debug, Default)]
pub struct Walker {
    seen: HashSet<FileId>,
}

impl Walker {
    /// A walker that has read nothing yet.
    pub fn new() -> Self {
        Walker::default()
    }

    /// Everything under the directory `root` (whose metadata is `metadata`): files whose name
    /// `wanted` accepts, and what could not be read. Entries of a directory are taken in name
    /// order, so which name a linked directory is found under does not depend on the file system.
    pub fn walk(
        &mut self,
        root: &Path,
        metadata: &std::fs::Metadata,
        wanted: &dyn Fn(&Path) -> bool,
    ) -> Vec<Entry> {
        let mut found = Vec::new();
        let mut pending = Vec::new();
        if self.first_visit(root, metadata) {
            pending.push(root.to_path_buf());
        }
        while let Some(dir) = pending.pop() {
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(error) => {
                    found.push(Entry::UnreadableDir(dir, error));
                    continue;
                }
            };
            let mut paths: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
            paths.sort();
            let mut subdirs = Vec::new();
            for path in paths {
                match std::fs::metadata(&path) {
                    Ok(metadata) if metadata.is_dir() => {
                        if self.first_visit(&path, &metadata) {
                            subdirs.push(path);
                        }
                    }
                    Ok(metadata) if wanted(&path) => {
                        let id = FileId::of(&path, &metadata);
                        found.push(Entry::File(path, id));
                    }
                    Ok(_) => {}
                    Err(error) => {
                        let wanted = wanted(&path);
                        found.push(Entry::Unreadable {
                            path,
                            error,
                            wanted,
                        });
                    }
                }
            }
            // Last pushed is read first: subdirectories in name order.
            pending.extend(subdirs.into_iter().rev());
        }
        found
    }

    /// Whether the directory has not been read yet (and marks it read). A directory whose
    /// identity is unknown is read: it cannot be part of a loop that is recognised anyway.
    fn first_visit(&mut self, path: &Path, metadata: &std::fs::Metadata) -> bool {
        FileId::of(path, metadata).is_none_or(|id| self.seen.insert(id))
    }
}

/// Files sorted by path, each real file once: of several names for one file, the first in
/// sort order is kept.
pub fn sorted_unique(mut files: Vec<(PathBuf, Option<FileId>)>) -> Vec<PathBuf> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    let mut seen = HashSet::new();
    files
        .into_iter()
        .filter(|(_, id)| id.as_ref().is_none_or(|id| seen.insert(id.clone())))
        .map(|(path, _)| path)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(path: &Path) -> bool {
        path.extension().is_some_and(|ext| ext == "yaml")
    }

    fn files(entries: Vec<Entry>) -> Vec<(PathBuf, Option<FileId>)> {
        entries
            .into_iter()
            .filter_map(|entry| match entry {
                Entry::File(path, id) => Some((path, id)),
                _ => None,
            })
            .collect()
    }

    #[cfg(unix)]
    #[test]
    fn link_loops_are_walked_once() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("d");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/x.yaml"), "yimi: 1\n").unwrap();
        std::os::unix::fs::symlink("..", root.join("a/up")).unwrap();
        std::os::unix::fs::symlink("../a", root.join("a/self")).unwrap();
        std::os::unix::fs::symlink("x.yaml", root.join("a/y.yaml")).unwrap();
        let metadata = std::fs::metadata(&root).unwrap();
        let mut walker = Walker::new();
        let found = files(walker.walk(&root, &metadata, &yaml));
        // Both names of the file are found, one is kept.
        assert_eq!(found.len(), 2);
        assert_eq!(sorted_unique(found), vec![root.join("a/x.yaml")]);
        // The same directory again, under another name: already read.
        let again = root.join("a/up");
        let metadata = std::fs::metadata(&again).unwrap();
        assert!(walker.walk(&again, &metadata, &yaml).is_empty());
    }

    #[test]
    fn a_file_under_several_names_is_kept_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.yaml");
        std::fs::write(&file, "yimi: 1\n").unwrap();
        let other = dir.path().join(".").join("x.yaml");
        let id = |path: &Path| FileId::of(path, &std::fs::metadata(path).unwrap());
        let kept = sorted_unique(vec![
            (file.clone(), id(&file)),
            (other.clone(), id(&other)),
            (file.clone(), id(&file)),
        ]);
        assert_eq!(kept.len(), 1);
    }
}
