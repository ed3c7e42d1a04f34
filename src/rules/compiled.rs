//! The built-in packs in checked form, embedded in the binary, so that start-up decodes about a
//! millisecond's worth of bytes instead of parsing and checking 360 kB of rule text.
//!
//! `rules/builtin.bin` and its string table `rules/builtin.strings` (every string of the rules
//! once, which the encoding refers to by position: see [`crate::base::strtab`]; embedded with
//! `include_str!`, so its UTF-8 is checked by the compiler, not at start-up) are generated from
//! the pack texts by the test `rules::load::compiled::the_compiled_packs_are_current` (run
//! `UPDATE_COMPILED=1 cargo test --lib compiled` after editing a pack or the rule language).
//! Their headers hold a fingerprint of everything that shapes the checked rules — the pack texts,
//! the grammar, the rule language's code, the model, the sources — which `build.rs` computes for
//! the build at hand. When the two differ (a pack edited but not yet recompiled),
//! [`builtin_set`] declines and the packs are parsed and checked from their text, so a stale file
//! costs time, never correctness.
//!
//! Architecture invariant: decoding `rules/builtin.bin` gives the same [`RuleSet`] as checking
//! the built-in packs' text; the test above re-encodes the decoded set and compares the bytes.

use std::sync::{Arc, OnceLock};

use super::builtin::BUILTIN;
use super::ir::RuleSet;
use crate::base::diagnostic::SourceFile;
use crate::base::strtab;

/// The compiled built-in packs, as committed.
pub(super) const COMPILED: &[u8] = include_bytes!("../../rules/builtin.bin");

/// Their strings, as committed.
pub(super) const STRINGS: &str = include_str!("../../rules/builtin.strings");

/// What the file starts with (a line), before the fingerprint as 16 hex digits.
const MAGIC: &str = "yimi-compiled-rules-2";

/// The fingerprint of this build's rule inputs (see `build.rs`).
pub const FINGERPRINT: &str = env!("YIMI_RULES_FINGERPRINT");

/// The built-in packs, checked, if the embedded compiled form matches this build.
pub fn builtin_set() -> Option<RuleSet> {
    // Opened once a process: the rules keep a reference to the table (see `decode_opened`).
    static OPENED: OnceLock<Option<(&'static [u8], strtab::Table<'static>)>> = OnceLock::new();
    let (payload, table) = OPENED
        .get_or_init(|| strtab::open(MAGIC, FINGERPRINT, COMPILED, STRINGS))
        .as_ref()?;
    decode_opened(payload, table)
}

/// The built-in packs' source files, in load order.
pub fn builtin_files() -> impl Iterator<Item = Arc<SourceFile>> {
    BUILTIN
        .iter()
        .map(|(name, text)| SourceFile::new(format!("<builtin>/rules/{name}"), *text))
}

/// Encodes a rule set of exactly the built-in packs, for `rules/builtin.bin` and
/// `rules/builtin.strings`.
pub fn encode(set: &RuleSet, fingerprint: &str) -> Result<(Vec<u8>, String), String> {
    let files: Vec<String> = builtin_files().map(|file| file.name.clone()).collect();
    let names: Vec<&String> = set.packs.iter().map(|pack| &pack.file.name).collect();
    if set.packs.iter().any(|pack| !pack.builtin) || names != files.iter().collect::<Vec<_>>() {
        return Err(format!(
            "only the built-in packs, in load order, can be compiled; got {names:?}"
        ));
    }
    Ok(strtab::seal(MAGIC, fingerprint, strtab::encode(set)?))
}

/// Decodes `bytes` with their `strings` if both were compiled for `fingerprint`. The rules
/// borrow their encoded checks and texts from `bytes`, decoding each on first use.
#[cfg(test)]
pub(super) fn decode(
    bytes: &'static [u8],
    strings: &'static str,
    fingerprint: &str,
) -> Option<RuleSet> {
    let (payload, table) = strtab::open(MAGIC, fingerprint, bytes, strings)?;
    // Leaked: the rules refer to it for good, as to the bytes (only tests decode other bytes
    // than the embedded ones, which `builtin_set` opens once).
    decode_opened(payload, Box::leak(Box::new(table)))
}

/// Decodes an opened `rules/builtin.bin`; the rules' parts kept encoded refer to `table`.
fn decode_opened(
    payload: &'static [u8],
    table: &'static strtab::Table<'static>,
) -> Option<RuleSet> {
    let mut set: RuleSet = strtab::decode(payload, table).ok()?;
    if set.packs.len() != BUILTIN.len() {
        return None;
    }
    for (pack, file) in set.packs.iter_mut().zip(builtin_files()) {
        pack.file = file;
    }
    Some(set)
}
