//! The built-in packs in checked form, embedded in the binary, so that start-up decodes about a
//! millisecond's worth of bytes instead of parsing and checking 360 kB of rule text.
//!
//! `rules/builtin.bin` is generated from the pack texts by the test
//! `rules::compiled::tests::the_compiled_packs_are_current` (run
//! `UPDATE_COMPILED=1 cargo test --lib compiled` after editing a pack or the rule language).
//! Its header holds a fingerprint of everything that shapes the checked rules — the pack texts,
//! the grammar, the rule language's code, the model, the sources — which `build.rs` computes for
//! the build at hand. When the two differ (a pack edited but not yet recompiled),
//! [`builtin_set`] declines and the packs are parsed and checked from their text, so a stale file
//! costs time, never correctness.
//!
//! Architecture invariant: decoding `rules/builtin.bin` gives the same [`RuleSet`] as checking
//! the built-in packs' text; the test above re-encodes the decoded set and compares the bytes.

use std::sync::Arc;

use super::builtin::BUILTIN;
use super::ir::RuleSet;
use crate::base::diagnostic::SourceFile;

/// The compiled built-in packs, as committed.
const COMPILED: &[u8] = include_bytes!("../../rules/builtin.bin");

/// What the file starts with: a format tag, then the fingerprint as 16 hex digits.
const MAGIC: &[u8] = b"yimi-compiled-rules-1\n";

/// The fingerprint of this build's rule inputs (see `build.rs`).
pub const FINGERPRINT: &str = env!("YIMI_RULES_FINGERPRINT");

/// The keywords of a rule's written conditions ([`super::ir::Rule::written`]).
const CLAUSE_KEYWORDS: [&str; 5] = ["applies", "unless", "let", "require", "threshold"];

/// The built-in packs, checked, if the embedded compiled form matches this build.
pub fn builtin_set() -> Option<RuleSet> {
    decode(COMPILED, FINGERPRINT)
}

/// The built-in packs' source files, in load order.
pub fn builtin_files() -> impl Iterator<Item = Arc<SourceFile>> {
    BUILTIN
        .iter()
        .map(|(name, text)| SourceFile::new(format!("<builtin>/rules/{name}"), *text))
}

/// Encodes a rule set of exactly the built-in packs, for `rules/builtin.bin`.
pub fn encode(set: &RuleSet, fingerprint: &str) -> Result<Vec<u8>, String> {
    let files: Vec<String> = builtin_files().map(|file| file.name.clone()).collect();
    let names: Vec<&String> = set.packs.iter().map(|pack| &pack.file.name).collect();
    if set.packs.iter().any(|pack| !pack.builtin) || names != files.iter().collect::<Vec<_>>() {
        return Err(format!(
            "only the built-in packs, in load order, can be compiled; got {names:?}"
        ));
    }
    let payload = postcard::to_allocvec(set).map_err(|error| error.to_string())?;
    let mut bytes = Vec::with_capacity(MAGIC.len() + fingerprint.len() + 1 + payload.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(fingerprint.as_bytes());
    bytes.push(b'\n');
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

/// Decodes `bytes` if they were compiled for `fingerprint`.
fn decode(bytes: &[u8], fingerprint: &str) -> Option<RuleSet> {
    let rest = bytes.strip_prefix(MAGIC)?;
    let rest = rest.strip_prefix(fingerprint.as_bytes())?;
    let payload = rest.strip_prefix(b"\n")?;
    let mut set: RuleSet = postcard::from_bytes(payload).ok()?;
    if set.packs.len() != BUILTIN.len() {
        return None;
    }
    for (pack, file) in set.packs.iter_mut().zip(builtin_files()) {
        pack.file = file;
    }
    Some(set)
}

/// A placeholder for [`super::ir::Pack::file`] until [`decode`] puts the pack's file there.
pub(super) fn unnamed_file() -> Arc<SourceFile> {
    SourceFile::new(String::new(), String::new())
}

/// Serde for a record type of the model: by name.
pub(super) mod record {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer, de, ser};

    use crate::project::types::{RecordTy, project_record};

    pub fn serialize<S: Serializer>(record: &Arc<RecordTy>, to: S) -> Result<S::Ok, S::Error> {
        match project_record(&record.name) {
            Some(found) if Arc::ptr_eq(found, record) => record.name.serialize(to),
            _ => Err(ser::Error::custom(format!(
                "`{}` is not a record type of the project model",
                record.name
            ))),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Arc<RecordTy>, D::Error> {
        // Borrowed from the embedded bytes: no allocation per expression.
        let name = <&str>::deserialize(from)?;
        project_record(name)
            .cloned()
            .ok_or_else(|| de::Error::custom(format!("no record type `{name}`")))
    }
}

/// Serde for an enum type of the model: by name.
pub(super) mod enumeration {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer, de, ser};

    use crate::project::types::{EnumTy, project_enum};

    pub fn serialize<S: Serializer>(enumeration: &Arc<EnumTy>, to: S) -> Result<S::Ok, S::Error> {
        match project_enum(&enumeration.name) {
            Some(found) if Arc::ptr_eq(found, enumeration) => enumeration.name.serialize(to),
            _ => Err(ser::Error::custom(format!(
                "`{}` is not an enum type of the project model",
                enumeration.name
            ))),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Arc<EnumTy>, D::Error> {
        let name = <&str>::deserialize(from)?;
        project_enum(name)
            .cloned()
            .ok_or_else(|| de::Error::custom(format!("no enum type `{name}`")))
    }
}

/// Serde for a named unit: by symbol.
pub(super) mod unit {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

    use crate::project::units::{Unit, lookup};

    pub fn serialize<S: Serializer>(
        unit: &Option<&'static Unit>,
        to: S,
    ) -> Result<S::Ok, S::Error> {
        unit.map(|unit| unit.symbol).serialize(to)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        from: D,
    ) -> Result<Option<&'static Unit>, D::Error> {
        match Option::<&str>::deserialize(from)? {
            None => Ok(None),
            Some(symbol) => lookup(symbol)
                .map(Some)
                .ok_or_else(|| de::Error::custom(format!("no unit `{symbol}`"))),
        }
    }
}

/// Serde for a rule's written conditions, whose keywords are static.
pub(super) mod written {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

    use super::CLAUSE_KEYWORDS;

    pub fn serialize<S: Serializer>(
        written: &[(&'static str, String)],
        to: S,
    ) -> Result<S::Ok, S::Error> {
        written.serialize(to)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        from: D,
    ) -> Result<Vec<(&'static str, String)>, D::Error> {
        Vec::<(String, String)>::deserialize(from)?
            .into_iter()
            .map(|(keyword, text)| {
                CLAUSE_KEYWORDS
                    .iter()
                    .find(|known| **known == keyword)
                    .map(|known| (*known, text))
                    .ok_or_else(|| de::Error::custom(format!("no clause keyword `{keyword}`")))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::load::{RuleOptions, load_from_text};

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/builtin.bin");

    #[test]
    fn the_compiled_packs_are_current() {
        let checked = load_from_text(&RuleOptions::default())
            .unwrap_or_else(|errors| panic!("the built-in packs do not load: {errors:?}"));
        assert!(
            checked.warnings.is_empty(),
            "the built-in packs load with warnings: {:?}",
            checked.warnings
        );
        let bytes = encode(&checked.set, FINGERPRINT).unwrap_or_else(|error| panic!("{error}"));
        if std::env::var_os("UPDATE_COMPILED").is_some() {
            std::fs::write(PATH, &bytes).unwrap_or_else(|error| panic!("{PATH}: {error}"));
            return;
        }
        assert!(
            bytes == COMPILED,
            "rules/builtin.bin is stale: run `UPDATE_COMPILED=1 cargo test --lib compiled`"
        );
        // Decoding loses nothing: what encoding skips is the packs' files, which decoding puts
        // back, and encoding checks that every type is the model's own.
        let decoded = builtin_set().expect("the committed compiled packs decode");
        assert!(encode(&decoded, FINGERPRINT).is_ok_and(|again| again == bytes));
        for (decoded, checked) in decoded.packs.iter().zip(&checked.set.packs) {
            assert_eq!(decoded.file.name, checked.file.name);
            assert_eq!(decoded.file.text, checked.file.text);
        }
    }

    #[test]
    fn a_different_fingerprint_or_damaged_bytes_fall_back_to_the_text() {
        let checked = load_from_text(&RuleOptions::default()).expect("the built-in packs load");
        let bytes = encode(&checked.set, FINGERPRINT).expect("encodes");
        assert!(decode(&bytes, FINGERPRINT).is_some());
        assert!(decode(&bytes, "0000000000000000").is_none());
        assert!(decode(b"", FINGERPRINT).is_none());
        let cut = bytes.get(..bytes.len() / 2).unwrap_or_default();
        assert!(decode(cut, FINGERPRINT).is_none());
    }

    #[test]
    fn user_packs_are_not_compiled() {
        let mut checked = load_from_text(&RuleOptions::default()).expect("the built-in packs load");
        if let Some(pack) = checked.set.packs.first_mut() {
            pack.builtin = false;
        }
        assert!(encode(&checked.set, FINGERPRINT).is_err());
    }
}
