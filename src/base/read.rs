//! Reading input files with a bound: whatever a path names (a huge file, `/dev/zero`, a pipe
//! that never ends), at most the limit and one byte more is read before the file is refused.

use std::io::Read;
use std::path::Path;

use crate::base::diagnostic::{Diagnostic, Limit, Remedy, SourceFile};
use crate::base::i18n::Text;
use crate::tr;

/// The largest project, waivers, rule or source file read unless a flag says otherwise (8 MiB).
pub const DEFAULT_MAX_BYTES: u64 = 8 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The path names a directory.
    Directory,
    /// The file is larger than the limit; `size` when it was known before reading.
    TooLarge {
        /// The file's size, when the file system states it.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// The operating system's reason.
    Io(std::io::Error),
}

/// What a diagnostic says about a file over its size limit.
#[derive(Clone, Debug)]
pub enum TooLarge {
    /// A hint: the limit is not one to raise (a rule file is never that large).
    Help(Text),
    /// The file-size limit, which whoever runs yimi can raise.
    RaiseLimit,
}

/// Whether `bytes` start with a UTF-16 byte-order mark (either byte order).
pub fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff])
}

/// What to do with a file in UTF-16, which yimi does not read: Windows PowerShell 5 writes
/// it with `>`, so a report or a project saved that way is the likely case.
pub fn utf16_hint() -> Text {
    tr!(
        "文件是 UTF-16 编码(Windows PowerShell 5 的 `>` 就这样写):请另存为 UTF-8",
        "the file is UTF-16 (as Windows PowerShell 5 `>` writes it): save it as UTF-8"
    )
}

/// The system's reason for a failed read or write, in both languages: the usual ones in Chinese
/// words of our own (the system says them in English), the rest as the system says them.
pub fn system_reason(error: &std::io::Error) -> Text {
    let said = error.to_string();
    match error.kind() {
        std::io::ErrorKind::NotFound => Text::new("文件或文件夹不存在", said),
        std::io::ErrorKind::PermissionDenied => Text::new("没有权限", said),
        std::io::ErrorKind::StorageFull => Text::new("磁盘已满", said),
        _ => Text::same(said),
    }
}

impl ReadError {
    /// Why, in words, for a message "cannot read `FILE`: …".
    pub fn reason(&self) -> Text {
        match self {
            ReadError::Directory => tr!("这是目录,不是文件", "it is a directory, not a file"),
            ReadError::TooLarge {
                size: Some(size),
                limit,
            } => tr!(
                "文件大小 {size} 字节,超过上限 {limit} 字节",
                "the file is {size} bytes, more than the limit of {limit} bytes"
            ),
            ReadError::TooLarge { size: None, limit } => tr!(
                "文件超过上限 {limit} 字节",
                "the file is more than the limit of {limit} bytes"
            ),
            ReadError::Io(error) => system_reason(error),
        }
    }

    /// Whether the file was refused for its size.
    pub fn too_large(&self) -> bool {
        matches!(self, ReadError::TooLarge { .. })
    }

    /// The one diagnostic for a file that could not be read: `kind` names the file as the user
    /// knows it ("the waivers file"), `too_large` says what to do about the size: a hint, or a
    /// limit that can be raised.
    pub fn diagnostic(&self, name: &str, kind: &Text, too_large: TooLarge) -> Diagnostic {
        let reason = self.reason();
        let (reason_zh, reason_en) = (reason.zh, reason.en);
        let (kind_zh, kind_en) = (&kind.zh, &kind.en);
        let file = SourceFile::new(name, String::new());
        let code = if self.too_large() {
            "limits::file-size"
        } else {
            "io::read"
        };
        let diagnostic = Diagnostic::error(
            code,
            &file,
            0..0,
            tr!(
                "无法读取{kind_zh} `{name}`:{reason_zh}",
                "cannot read {kind_en} `{name}`: {reason_en}"
            ),
            tr!("", ""),
        );
        match too_large {
            _ if !self.too_large() => diagnostic,
            TooLarge::Help(help) => diagnostic.with_help(help),
            TooLarge::RaiseLimit => diagnostic.with_remedy(Remedy::Raise(Limit::FileSize)),
        }
    }
}

/// The bytes of the file `path` names, if there are at most `limit` of them. A regular file is
/// refused by its size before it is opened; anything else (a device, a pipe, a file that grows
/// while it is read) after `limit + 1` bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut reader = open_bounded(path, limit)?;
    let mut bytes = Vec::with_capacity(reader.expected);
    match reader.read_to_end(&mut bytes) {
        Ok(_) => Ok(bytes),
        Err(error) => Err(reader.error(error)),
    }
}

/// A reader of at most `limit` bytes of the file `path` names, for formats parsed as they are
/// read; reading past the limit fails, and [`BoundedReader::error`] tells that from other errors.
pub fn open_bounded(path: &Path, limit: u64) -> Result<BoundedReader, ReadError> {
    let metadata = std::fs::metadata(path).map_err(ReadError::Io)?;
    if metadata.is_dir() {
        return Err(ReadError::Directory);
    }
    if metadata.is_file() && metadata.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(metadata.len()),
            limit,
        });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // Sized from the file's length up front: growing the buffer read by read cost a tenth of a
    // batch run in reallocation and page faults.
    let expected = if metadata.is_file() {
        usize::try_from(metadata.len().min(limit).saturating_add(1)).unwrap_or(0)
    } else {
        0
    };
    Ok(BoundedReader {
        file,
        left: limit,
        limit,
        exceeded: false,
        expected,
    })
}

/// See [`open_bounded`].
#[derive(Debug)]
pub struct BoundedReader {
    file: std::fs::File,
    left: u64,
    limit: u64,
    exceeded: bool,
    expected: usize,
}

impl BoundedReader {
    /// What an error of this reader (or of a parser reading from it) means: the file was too
    /// large, or the operating system's reason.
    pub fn error(&self, error: std::io::Error) -> ReadError {
        if self.exceeded {
            ReadError::TooLarge {
                size: None,
                limit: self.limit,
            }
        } else {
            ReadError::Io(error)
        }
    }

    /// Whether reading stopped at the limit.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }
}

impl Read for BoundedReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // One byte more than is left tells a file of exactly `limit` bytes from a longer one.
        let room = usize::try_from(self.left.saturating_add(1)).unwrap_or(usize::MAX);
        let take = buf.len().min(room);
        let Some(buf) = buf.get_mut(..take) else {
            return Ok(0);
        };
        let read = self.file.read(buf)?;
        let read64 = u64::try_from(read).unwrap_or(u64::MAX);
        if read64 > self.left {
            self.exceeded = true;
            self.left = 0;
            return Err(std::io::Error::other(format!(
                "more than the limit of {} bytes",
                self.limit
            )));
        }
        self.left -= read64;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::{ReadError, read_bounded};

    #[test]
    fn a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_bounded(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_bounded(&path, 4),
            Err(ReadError::TooLarge {
                size: Some(5),
                limit: 4
            })
        ));
        assert!(matches!(
            read_bounded(dir.path(), 4),
            Err(ReadError::Directory)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_stops_at_the_limit() {
        let error = read_bounded(std::path::Path::new("/dev/zero"), 1000).unwrap_err();
        assert!(matches!(
            error,
            ReadError::TooLarge {
                size: None,
                limit: 1000
            }
        ));
    }
}
