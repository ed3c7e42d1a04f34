//! A temporary file that a streamed report writes its per-file parts to, when the format states
//! something about every file (totals, the rules that ran) before the files themselves: the parts
//! go to disk as each file is checked, and are copied into the report once that is known, so
//! memory stays flat in the number of files.
//!
//! A part may leave holes, named by a key, that are filled in when it is copied (SARIF's rule
//! indexes, which depend on every file's packs).

use std::io::{BufReader, BufWriter, Read, Seek, Write};

/// Parts written now and copied out later, in order.
pub struct Spill {
    file: BufWriter<std::fs::File>,
}

const TEXT: u8 = 0;
const HOLE: u8 = 1;
/// Text that goes out in one write with the record before it.
const JOINED: u8 = 2;

impl Spill {
    /// An empty spill, in a file the system removes once it is closed (or the process ends).
    pub fn new() -> std::io::Result<Self> {
        Ok(Spill {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
        })
    }

    fn record(&mut self, tag: u8, bytes: &[u8]) -> std::io::Result<()> {
        let length = u64::try_from(bytes.len()).map_err(std::io::Error::other)?;
        self.file.write_all(&[tag])?;
        self.file.write_all(&length.to_le_bytes())?;
        self.file.write_all(bytes)
    }

    /// Appends text.
    pub fn text(&mut self, text: &[u8]) -> std::io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        self.record(TEXT, text)
    }

    /// Appends text that [`Spill::copy_into`] writes in one `write_all` with the text before
    /// it: a compressor's output can depend on how its input is cut into writes, and a part
    /// spilled in pieces must compress as it did when it was written whole (the Word report's
    /// tables, whose rows are spilled one at a time, keep their bytes). Only the joined run is
    /// held in memory, as the whole part was before.
    pub fn joined(&mut self, text: &[u8]) -> std::io::Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        self.record(JOINED, text)
    }

    /// Appends a hole that [`Spill::copy_into`] fills from `key`.
    pub fn hole(&mut self, key: &str) -> std::io::Result<()> {
        self.record(HOLE, key.as_bytes())
    }

    /// Writes everything appended, in order, to `out`, each hole as `fill` writes its key.
    pub fn copy_into(
        self,
        out: &mut dyn Write,
        fill: &mut dyn FnMut(&str, &mut dyn Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut file = self.file.into_inner().map_err(|error| error.into_error())?;
        file.rewind()?;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        // Text read but not yet written: it may have joined records after it.
        let mut pending = Vec::new();
        let mut buffer = Vec::new();
        loop {
            let mut tag = [0u8; 1];
            match reader.read_exact(&mut tag) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => {
                    if !pending.is_empty() {
                        out.write_all(&pending)?;
                    }
                    return Ok(());
                }
                Err(error) => return Err(error),
            }
            let mut length = [0u8; 8];
            reader.read_exact(&mut length)?;
            let length =
                usize::try_from(u64::from_le_bytes(length)).map_err(std::io::Error::other)?;
            buffer.clear();
            (&mut reader).take(length as u64).read_to_end(&mut buffer)?;
            if buffer.len() != length {
                return Err(std::io::Error::other("a spilled report part was cut short"));
            }
            if tag != [JOINED] && !pending.is_empty() {
                out.write_all(&pending)?;
                pending.clear();
            }
            match tag {
                [TEXT] | [JOINED] => pending.extend_from_slice(&buffer),
                [HOLE] => {
                    let key = std::str::from_utf8(&buffer).map_err(std::io::Error::other)?;
                    fill(key, out)?;
                }
                _ => return Err(std::io::Error::other("a spilled report part is damaged")),
            }
        }
    }

    /// Writes everything appended to `out`; holes are left empty.
    pub fn copy_text_into(self, out: &mut dyn Write) -> std::io::Result<()> {
        self.copy_into(out, &mut |_, _| Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::Spill;

    #[test]
    fn parts_come_back_in_order_with_their_holes_filled() {
        let mut spill = Spill::new().expect("a temporary file");
        spill.text(b"a ").expect("written");
        spill.hole("x").expect("written");
        spill.text(b"").expect("written");
        spill.text(" b 中".as_bytes()).expect("written");
        spill.hole("yy").expect("written");
        let mut out = Vec::new();
        spill
            .copy_into(&mut out, &mut |key, out| {
                out.write_all(format!("[{}]", key.len()).as_bytes())
            })
            .expect("copied");
        assert_eq!(String::from_utf8_lossy(&out), "a [1] b 中[2]");
    }

    /// Records the `write_all` calls it gets.
    struct Writes(Vec<Vec<u8>>);

    impl std::io::Write for Writes {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.push(bytes.to_vec());
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn joined_text_goes_out_in_one_write_with_the_text_before_it() {
        let mut spill = Spill::new().expect("a temporary file");
        spill.text(b"<p/>").expect("written");
        spill.text(b"<tbl>").expect("written");
        spill.joined(b"<tr/>").expect("written");
        spill.joined(b"</tbl>").expect("written");
        spill.text(b"<p/>").expect("written");
        let mut writes = Writes(Vec::new());
        spill.copy_text_into(&mut writes).expect("copied");
        let writes: Vec<String> = writes
            .0
            .iter()
            .map(|write| String::from_utf8_lossy(write).into_owned())
            .collect();
        assert_eq!(writes, ["<p/>", "<tbl><tr/></tbl>", "<p/>"]);
    }
}
