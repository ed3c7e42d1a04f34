//! How the checked rules are serialized into `rules/builtin.bin` (see [`super::compiled`]): the
//! model's record and enum types and units by name, each checked on the way back to be the
//! model's own, and a pack's file left out for the decoder to put back.

use std::sync::Arc;

use crate::base::diagnostic::SourceFile;

/// The keywords of a rule's written conditions ([`super::ir::Rule::written`]).
const CLAUSE_KEYWORDS: [&str; 5] = ["applies", "unless", "let", "require", "threshold"];

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

/// Serde for a rule's check ([`super::ir::LazyCheck`]): in human-readable formats the check
/// itself; in compact ones (postcard, for `rules/builtin.bin`) the check's own encoding as bytes,
/// kept as they are by the decoder until the check is first read.
pub mod check {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de, ser};

    use super::super::ir::{Check, LazyCheck};

    impl Serialize for LazyCheck {
        fn serialize<S: Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
            if to.is_human_readable() {
                return (**self).serialize(to);
            }
            let bytes = postcard::to_allocvec(&**self).map_err(ser::Error::custom)?;
            to.serialize_bytes(&bytes)
        }
    }

    impl<'de> Deserialize<'de> for LazyCheck {
        fn deserialize<D: Deserializer<'de>>(from: D) -> Result<LazyCheck, D::Error> {
            if from.is_human_readable() {
                return Check::deserialize(from).map(LazyCheck::new);
            }
            struct Bytes;
            impl de::Visitor<'_> for Bytes {
                type Value = Box<[u8]>;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a rule's encoded check")
                }
                fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Box<[u8]>, E> {
                    Ok(bytes.into())
                }
            }
            let encoded = from.deserialize_bytes(Bytes)?;
            Ok(LazyCheck {
                encoded,
                check: std::sync::OnceLock::new(),
            })
        }
    }

    /// Decodes a check kept encoded. The bytes are a part of `rules/builtin.bin` that was
    /// accepted for this build (its fingerprint matched), and the test that keeps that file
    /// current decodes every check in it, so a failure here is a defect in the build, not
    /// anything a user wrote.
    pub(in super::super) fn decode(encoded: &[u8]) -> Check {
        match postcard::from_bytes(encoded) {
            Ok(check) => check,
            Err(error) => panic!("a built-in rule's compiled check does not decode: {error}"),
        }
    }
}
