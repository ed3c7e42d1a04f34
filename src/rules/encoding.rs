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
        // The keyword borrowed: it is one of five, and is matched, not kept.
        Vec::<(&str, String)>::deserialize(from)?
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

/// A value kept in its postcard encoding until first read (through `*`), for the parts of
/// `rules/builtin.bin` that a run may never need ([`super::ir::LazyCheck`]). Serialized as the
/// value itself in human-readable formats; in compact ones (postcard) as the value's own
/// encoding (its strings in the table of the whole, [`crate::base::strtab`]: only within
/// `strtab::encode` and `strtab::decode`), which the decoder borrows from the embedded bytes
/// with that table: start-up copies nothing out of
/// them, and decodes each part only when it is read. A rule set is therefore decoded only from
/// bytes that live as long as the program (`'static`: the embedded file, or leaked in tests).
///
/// It is small (40 bytes, whatever `T`): the value, once decoded, is boxed, and the table is
/// referred to, not copied. Every rule of the built-in packs holds two (its check, its texts)
/// and start-up writes them all, so their size is what start-up touches: with the value inline
/// a rule took about 740 bytes, and the rules a quarter of a megabyte of fresh pages.
pub struct Lazy<T> {
    /// The value's encoding, until it is decoded (empty for a value made in memory).
    encoded: &'static [u8],
    /// The string table the encoding refers to (`crate::base::strtab`).
    table: &'static crate::base::strtab::Table<'static>,
    /// The value, once decoded.
    value: std::sync::OnceLock<Box<T>>,
}

impl<T> Lazy<T> {
    /// A value that is already decoded.
    pub fn new(value: T) -> Lazy<T> {
        Lazy {
            encoded: &[],
            table: &crate::base::strtab::Table {
                bounds: &[],
                text: "",
            },
            value: std::sync::OnceLock::from(Box::new(value)),
        }
    }
}

impl<T: serde::Deserialize<'static>> Lazy<T> {
    /// The value, decoded if it was not yet (a checker adding to a part it built in memory).
    pub fn into_inner(self) -> T {
        let (encoded, table) = (self.encoded, self.table);
        self.value
            .into_inner()
            .map_or_else(|| decode(encoded, table), |value| *value)
    }
}

/// Decodes a part. The bytes are a part of `rules/builtin.bin` that was accepted for this build
/// (its fingerprint matched), and the test that keeps that file current decodes every part of
/// it, so a failure here is a defect in the build, not anything a user wrote.
fn decode<T: serde::Deserialize<'static>>(
    encoded: &'static [u8],
    table: &'static crate::base::strtab::Table<'static>,
) -> T {
    match crate::base::strtab::decode(encoded, table) {
        Ok(value) => value,
        Err(error) => panic!("a part of the compiled built-in rules does not decode: {error}"),
    }
}

impl<T: serde::Deserialize<'static>> std::ops::Deref for Lazy<T> {
    type Target = T;

    /// Decodes on first use (see [`decode`]).
    fn deref(&self) -> &T {
        self.value
            .get_or_init(|| Box::new(decode(self.encoded, self.table)))
    }
}

impl<'l, T: serde::Deserialize<'static>> IntoIterator for &'l Lazy<Vec<T>> {
    type Item = &'l T;
    type IntoIter = std::slice::Iter<'l, T>;

    /// The elements, decoded on first use: `for expr in &criterion.require`.
    fn into_iter(self) -> Self::IntoIter {
        (**self).iter()
    }
}

impl<T: serde::Deserialize<'static> + std::fmt::Debug> std::fmt::Debug for Lazy<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl<T: serde::Serialize + serde::Deserialize<'static>> serde::Serialize for Lazy<T> {
    fn serialize<S: serde::Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
        if to.is_human_readable() {
            return (**self).serialize(to);
        }
        let bytes = crate::base::strtab::encode_part(&**self).map_err(serde::ser::Error::custom)?;
        to.serialize_bytes(&bytes)
    }
}

/// Only from bytes that outlive the program's use of the rules (`'de: 'static`), which the
/// encoding is borrowed from; the types that hold a `Lazy` say so with
/// `#[serde(bound(deserialize = "'de: 'static"))]`.
impl<'de: 'static, T: serde::Deserialize<'static>> serde::Deserialize<'de> for Lazy<T> {
    fn deserialize<D: serde::Deserializer<'de>>(from: D) -> Result<Lazy<T>, D::Error> {
        if from.is_human_readable() {
            return T::deserialize(from).map(Lazy::new);
        }
        struct Borrowed;
        impl<'de> serde::de::Visitor<'de> for Borrowed {
            type Value = &'de [u8];
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an encoded part of the compiled rules, borrowed from them")
            }
            fn visit_borrowed_bytes<E: serde::de::Error>(
                self,
                bytes: &'de [u8],
            ) -> Result<&'de [u8], E> {
                Ok(bytes)
            }
        }
        // The table of the decoding this part is read in, kept for decoding the part later.
        let table = crate::base::strtab::table().ok_or_else(|| {
            serde::de::Error::custom("a part of the compiled rules is read without its strings")
        })?;
        Ok(Lazy {
            encoded: from.deserialize_bytes(Borrowed)?,
            table,
            value: std::sync::OnceLock::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Lazy;
    use crate::rules::ir::{Check, Rule, RuleText};

    /// Start-up writes every rule of the built-in packs, each with two `Lazy`s (its check, its
    /// texts), so a `Lazy` is as small whatever it holds: the value boxed, the table referred
    /// to. With them inline a rule took about 740 bytes, and the rules 64 fresh pages.
    #[test]
    fn a_lazy_part_is_as_small_whatever_it_holds() {
        assert_eq!(size_of::<Lazy<RuleText>>(), size_of::<Lazy<u8>>());
        assert_eq!(size_of::<Lazy<Check>>(), size_of::<Lazy<u8>>());
        assert!(size_of::<Lazy<u8>>() <= 40, "{}", size_of::<Lazy<u8>>());
        assert!(size_of::<Rule>() <= 144, "{}", size_of::<Rule>());
    }

    /// A part made in memory reads back as made, by reference and by value.
    #[test]
    fn a_part_made_in_memory_is_its_value() {
        let part = Lazy::new(vec![1u32, 2]);
        assert_eq!(*part, [1, 2]);
        assert_eq!((&part).into_iter().sum::<u32>(), 3);
        assert_eq!(part.into_inner(), [1, 2]);
    }
}
