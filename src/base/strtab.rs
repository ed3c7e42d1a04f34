//! postcard with a string table: every string of a value is written once into a table beside the
//! encoding, which refers to it by position, so that decoding checks no string's UTF-8 one at a
//! time. The compiled built-in rules and the model's type tree (`rules/builtin.bin`,
//! `rules/types.bin`) are encoded this way, their tables committed beside them as text
//! (`rules/builtin.strings`, `rules/types.strings`) and embedded with `include_str!`, so the
//! compiler checks a table's UTF-8 once, when it builds the binary, and a run only slices it
//! (`str::get`, which refuses a position that is not on a character boundary: a stale or damaged
//! encoding fails to decode, it cannot read outside the table or split a character).
//!
//! The adapters wrap a serde serializer or deserializer and change only how strings are written
//! and read (a `u32`: the string's number in the table, whose bounds are a list of fixed-width
//! offsets read where they lie: a number costs a byte or two, where a start and a length cost
//! five or six); everything else is handed to the format unchanged. A part encoded on its own inside the
//! value (`rules::encoding::Lazy`) shares the table: [`encode_part`] adds to the table of the
//! [`encode`] it runs within, and [`table`] gives a decoder the table of the [`decode`] it runs
//! within, to keep for decoding the part later.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use serde::Deserialize as _;
use serde::de::{self, DeserializeSeed, Deserializer, Visitor};
use serde::ser::{self, Serialize, Serializer};

/// A string table: the strings one after another, and where each ends (`bounds`: `u32`s, little
/// endian, the first 0), so that the string numbered `n` lies between bounds `n` and `n + 1`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Table<'t> {
    /// The offsets, four bytes each.
    pub bounds: &'t [u8],
    /// The strings.
    pub text: &'t str,
}

impl<'t> Table<'t> {
    /// The string numbered `number`, if the table has it.
    fn get(self, number: u32) -> Option<&'t str> {
        let at = usize::try_from(number).ok()?.checked_mul(4)?;
        let bound = |at: usize| -> Option<usize> {
            let bytes: [u8; 4] = self.bounds.get(at..at.checked_add(4)?)?.try_into().ok()?;
            usize::try_from(u32::from_le_bytes(bytes)).ok()
        };
        self.text.get(bound(at)?..bound(at.checked_add(4)?)?)
    }
}

/// The table being written, while [`encode`] runs on this thread.
struct Builder {
    text: String,
    bounds: Vec<u8>,
    placed: HashMap<String, u32>,
}

impl Builder {
    fn new() -> Builder {
        Builder {
            text: String::new(),
            bounds: 0u32.to_le_bytes().to_vec(),
            placed: HashMap::new(),
        }
    }

    /// The number of `text` in the table (added if it is not there yet).
    fn place(&mut self, text: &str) -> Result<u32, String> {
        if let Some(&number) = self.placed.get(text) {
            return Ok(number);
        }
        let (Ok(number), Ok(end)) = (
            u32::try_from(self.placed.len()),
            u32::try_from(self.text.len() + text.len()),
        ) else {
            return Err("the string table would be larger than 4 GiB".to_owned());
        };
        self.text.push_str(text);
        self.bounds.extend_from_slice(&end.to_le_bytes());
        self.placed.insert(text.to_owned(), number);
        Ok(number)
    }
}

thread_local! {
    static BUILDING: RefCell<Option<Builder>> = const { RefCell::new(None) };
    static READING: Cell<Option<&'static Table<'static>>> = const { Cell::new(None) };
}

/// What [`encode`] writes: the encoding, the table's bounds and its strings.
pub type Encoded = (Vec<u8>, Vec<u8>, String);

/// Encodes `value` with postcard, its strings in a table.
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Encoded, String> {
    let outer = BUILDING.with(|building| building.replace(Some(Builder::new())));
    let encoded = encode_part(value);
    let built = BUILDING.with(|building| building.replace(outer));
    let (bounds, text) = built.map_or_else(Default::default, |built| (built.bounds, built.text));
    Ok((encoded?, bounds, text))
}

/// Encodes `value` with postcard, its strings added to the table of the [`encode`] this runs
/// within (an error outside one).
pub fn encode_part<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, String> {
    if BUILDING.with(|building| building.borrow().is_none()) {
        return Err("a part with a string table is encoded only within `strtab::encode`".into());
    }
    let mut serializer = postcard::Serializer {
        output: postcard::ser_flavors::AllocVec::new(),
    };
    value
        .serialize(Ser(&mut serializer))
        .map_err(|error| error.to_string())?;
    postcard::ser_flavors::Flavor::finalize(serializer.output).map_err(|error| error.to_string())
}

/// Decodes what [`encode`] wrote: `encoded` with its `table`. Both live as long as the program
/// (the embedded files, or leaked in tests), so that decoded values and parts kept encoded
/// (which keep a reference to the table, from [`table`]: eight bytes a part, not the table's
/// thirty-two) can borrow from them.
pub fn decode<T: de::Deserialize<'static>>(
    encoded: &'static [u8],
    table: &'static Table<'static>,
) -> Result<T, String> {
    let outer = READING.with(|reading| reading.replace(Some(table)));
    let mut deserializer = postcard::Deserializer::from_bytes(encoded);
    let decoded = T::deserialize(De {
        inner: &mut deserializer,
        table: *table,
    });
    READING.with(|reading| reading.set(outer));
    decoded.map_err(|error| error.to_string())
}

/// The table of the [`decode`] running on this thread, if one is.
pub fn table() -> Option<&'static Table<'static>> {
    READING.with(Cell::get)
}

/// A compiled file and its table, as committed: `bytes` is `magic`, the fingerprint, the
/// strings' length and the bounds' length in bytes (a line each), then the bounds and the
/// encoding; `strings` is the fingerprint (a line), then the strings. Both say which build they
/// belong to, and the length ties the one to the other.
pub fn seal(magic: &str, fingerprint: &str, (encoded, bounds, text): Encoded) -> (Vec<u8>, String) {
    let mut bytes =
        format!("{magic}\n{fingerprint}\n{}\n{}\n", text.len(), bounds.len()).into_bytes();
    bytes.extend_from_slice(&bounds);
    bytes.extend_from_slice(&encoded);
    (bytes, format!("{fingerprint}\n{text}"))
}

/// The encoding and table that [`seal`] wrote, if both were written with `magic` for
/// `fingerprint` and belong together.
pub fn open(
    magic: &str,
    fingerprint: &str,
    bytes: &'static [u8],
    strings: &'static str,
) -> Option<(&'static [u8], Table<'static>)> {
    let line =
        |rest: &'static [u8], expected: &[u8]| rest.strip_prefix(expected)?.strip_prefix(b"\n");
    let rest = line(line(bytes, magic.as_bytes())?, fingerprint.as_bytes())?;
    let text = strings.strip_prefix(fingerprint)?.strip_prefix('\n')?;
    let rest = line(rest, text.len().to_string().as_bytes())?;
    let newline = rest.iter().position(|byte| *byte == b'\n')?;
    let length: usize = std::str::from_utf8(rest.get(..newline)?)
        .ok()?
        .parse()
        .ok()?;
    let rest = rest.get(newline + 1..)?;
    let (bounds, encoded) = (rest.get(..length)?, rest.get(length..)?);
    Some((encoded, Table { bounds, text }))
}

/// The string numbered `number` (as [`Builder::place`] wrote it) in `table`.
fn lookup<E: de::Error>(table: Table<'_>, number: u32) -> Result<&str, E> {
    table
        .get(number)
        .ok_or_else(|| E::custom(format!("no string numbered {number} in the string table")))
}

/// A serializer that writes strings as positions in the table being built.
struct Ser<S>(S);

/// A value serialized through [`Ser`].
struct Wrap<'a, T: ?Sized>(&'a T);

impl<T: Serialize + ?Sized> Serialize for Wrap<'_, T> {
    fn serialize<S: Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(Ser(to))
    }
}

fn placed<E: ser::Error>(text: &str) -> Result<u32, E> {
    BUILDING.with(|building| match building.borrow_mut().as_mut() {
        Some(builder) => builder.place(text).map_err(E::custom),
        None => Err(E::custom("no string table is being built")),
    })
}

macro_rules! forward_ser {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method(self, $($arg: $ty),*) -> Result<S::Ok, S::Error> {
            self.0.$method($($arg),*)
        })*
    };
}

impl<S: Serializer> Serializer for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Ser<S::SerializeSeq>;
    type SerializeTuple = Ser<S::SerializeTuple>;
    type SerializeTupleStruct = Ser<S::SerializeTupleStruct>;
    type SerializeTupleVariant = Ser<S::SerializeTupleVariant>;
    type SerializeMap = Ser<S::SerializeMap>;
    type SerializeStruct = Ser<S::SerializeStruct>;
    type SerializeStructVariant = Ser<S::SerializeStructVariant>;

    forward_ser! {
        serialize_bool(v: bool);
        serialize_i8(v: i8);
        serialize_i16(v: i16);
        serialize_i32(v: i32);
        serialize_i64(v: i64);
        serialize_i128(v: i128);
        serialize_u8(v: u8);
        serialize_u16(v: u16);
        serialize_u32(v: u32);
        serialize_u64(v: u64);
        serialize_u128(v: u128);
        serialize_f32(v: f32);
        serialize_f64(v: f64);
        serialize_char(v: char);
        serialize_bytes(v: &[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(name: &'static str);
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str);
    }

    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        let number = placed(v)?;
        self.0.serialize_u32(number)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        self.0.serialize_some(&Wrap(value))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0.serialize_newtype_struct(name, &Wrap(value))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.0
            .serialize_newtype_variant(name, index, variant, &Wrap(value))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        self.0.serialize_seq(len).map(Ser)
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        self.0.serialize_tuple(len).map(Ser)
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        self.0.serialize_tuple_struct(name, len).map(Ser)
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        self.0
            .serialize_tuple_variant(name, index, variant, len)
            .map(Ser)
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        self.0.serialize_map(len).map(Ser)
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        self.0.serialize_struct(name, len).map(Ser)
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        self.0
            .serialize_struct_variant(name, index, variant, len)
            .map(Ser)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

impl<S: ser::SerializeSeq> ser::SerializeSeq for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_element(&Wrap(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: ser::SerializeTuple> ser::SerializeTuple for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_element(&Wrap(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: ser::SerializeTupleStruct> ser::SerializeTupleStruct for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_field(&Wrap(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: ser::SerializeTupleVariant> ser::SerializeTupleVariant for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_field(&Wrap(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: ser::SerializeMap> ser::SerializeMap for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), S::Error> {
        self.0.serialize_key(&Wrap(key))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.0.serialize_value(&Wrap(value))
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: ser::SerializeStruct> ser::SerializeStruct for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Wrap(value))
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

impl<S: ser::SerializeStructVariant> ser::SerializeStructVariant for Ser<S> {
    type Ok = S::Ok;
    type Error = S::Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.0.serialize_field(key, &Wrap(value))
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        self.0.skip_field(key)
    }
    fn end(self) -> Result<S::Ok, S::Error> {
        self.0.end()
    }
}

/// A deserializer that reads strings as positions in `table`, handing the visitor a slice of it.
struct De<'de, D> {
    inner: D,
    table: Table<'de>,
}

/// A visitor, seed or access whose deserializers are wrapped in [`De`] on the way in.
struct Through<'de, T> {
    inner: T,
    table: Table<'de>,
}

impl<'de, T> Through<'de, T> {
    fn new(inner: T, table: Table<'de>) -> Self {
        Through { inner, table }
    }
}

macro_rules! forward_de {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method($($arg,)* Through::new(visitor, self.table))
        })*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for De<'de, D> {
    type Error = D::Error;

    forward_de! {
        deserialize_any();
        deserialize_bool();
        deserialize_i8();
        deserialize_i16();
        deserialize_i32();
        deserialize_i64();
        deserialize_i128();
        deserialize_u8();
        deserialize_u16();
        deserialize_u32();
        deserialize_u64();
        deserialize_u128();
        deserialize_f32();
        deserialize_f64();
        deserialize_char();
        deserialize_bytes();
        deserialize_byte_buf();
        deserialize_option();
        deserialize_unit();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_seq();
        deserialize_tuple(len: usize);
        deserialize_tuple_struct(name: &'static str, len: usize);
        deserialize_map();
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
        deserialize_identifier();
        deserialize_ignored_any();
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        let number = u32::deserialize(self.inner)?;
        visitor.visit_borrowed_str(lookup(self.table, number)?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserialize_str(visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty);)*) => {
        $(fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.inner.$method(v)
        })*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Through<'de, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool);
        visit_i8(i8);
        visit_i16(i16);
        visit_i32(i32);
        visit_i64(i64);
        visit_i128(i128);
        visit_u8(u8);
        visit_u16(u16);
        visit_u32(u32);
        visit_u64(u64);
        visit_u128(u128);
        visit_f32(f32);
        visit_f64(f64);
        visit_char(char);
        visit_str(&str);
        visit_borrowed_str(&'de str);
        visit_string(String);
        visit_bytes(&[u8]);
        visit_borrowed_bytes(&'de [u8]);
        visit_byte_buf(Vec<u8>);
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, from: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(De {
            inner: from,
            table: self.table,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, from: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(De {
            inner: from,
            table: self.table,
        })
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(Through::new(seq, self.table))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(Through::new(map, self.table))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(Through::new(data, self.table))
    }
}

/// A seed whose deserializer is wrapped.
struct Seed<'de, T> {
    inner: T,
    table: Table<'de>,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'de, T> {
    type Value = T::Value;

    fn deserialize<D: Deserializer<'de>>(self, from: D) -> Result<T::Value, D::Error> {
        self.inner.deserialize(De {
            inner: from,
            table: self.table,
        })
    }
}

impl<'de, A: de::SeqAccess<'de>> de::SeqAccess<'de> for Through<'de, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(Seed {
            inner: seed,
            table: self.table,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for Through<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(Seed {
            inner: seed,
            table: self.table,
        })
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.next_value_seed(Seed {
            inner: seed,
            table: self.table,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

impl<'de, A: de::EnumAccess<'de>> de::EnumAccess<'de> for Through<'de, A> {
    type Error = A::Error;
    type Variant = Through<'de, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let table = self.table;
        let (value, variant) = self.inner.variant_seed(Seed { inner: seed, table })?;
        Ok((value, Through::new(variant, table)))
    }
}

impl<'de, A: de::VariantAccess<'de>> de::VariantAccess<'de> for Through<'de, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.newtype_variant_seed(Seed {
            inner: seed,
            table: self.table,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inner
            .tuple_variant(len, Through::new(visitor, self.table))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.inner
            .struct_variant(fields, Through::new(visitor, self.table))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    enum Shape {
        Named { name: String, tags: Vec<String> },
        Pair(String, Option<String>),
        Plain(u32),
        Empty,
    }

    fn leak<T>(value: T) -> &'static T {
        Box::leak(Box::new(value))
    }

    /// A table for `decode`, leaked as the embedded files live for good.
    fn table(bounds: Vec<u8>, text: &str) -> &'static Table<'static> {
        leak(Table {
            bounds: leak(bounds),
            text: leak(text.to_owned()),
        })
    }

    #[test]
    fn a_value_comes_back_with_each_string_stored_once() {
        let value = vec![
            Shape::Named {
                name: "儿童友好".into(),
                tags: vec!["a".into(), "儿童友好".into()],
            },
            Shape::Pair("a".into(), Some("b".into())),
            Shape::Pair(String::new(), None),
            Shape::Plain(7),
            Shape::Empty,
        ];
        let (encoded, bounds, text) = encode(&value).unwrap();
        assert_eq!(text, "儿童友好ab");
        let ends: Vec<u32> = bounds
            .chunks(4)
            .map(|bytes| u32::from_le_bytes(bytes.try_into().unwrap()))
            .collect();
        assert_eq!(ends, [0, 12, 13, 14, 14]);
        let decoded: Vec<Shape> = decode(leak(encoded), table(bounds, &text)).unwrap();
        assert_eq!(decoded, value);
    }

    #[test]
    fn a_number_off_a_character_boundary_or_past_the_table_does_not_decode() {
        let (encoded, bounds, _) = encode(&"儿童".to_owned()).unwrap();
        let encoded: &'static [u8] = leak(encoded);
        // The same bounds over strings where they split a character, or that are too short.
        assert!(decode::<String>(encoded, table(bounds.clone(), "a儿童")).is_err());
        assert!(decode::<String>(encoded, table(bounds.clone(), "儿")).is_err());
        // Bounds cut short: the string's end is not there.
        assert!(decode::<String>(encoded, table(bounds[..6].to_vec(), "儿童")).is_err());
        assert_eq!(
            decode::<String>(encoded, table(bounds, "儿童x")).unwrap(),
            "儿童"
        );
    }

    #[test]
    fn sealed_files_open_only_together_and_for_their_build() {
        let (bytes, strings) = seal("magic", "0123", encode(&("x", "儿童")).unwrap());
        let (bytes, strings): (&'static [u8], &'static str) = (leak(bytes), leak(strings));
        let (encoded, opened) = open("magic", "0123", bytes, strings).unwrap();
        assert_eq!(
            decode::<(String, String)>(encoded, leak(opened)).unwrap(),
            ("x".into(), "儿童".into())
        );
        assert!(open("magic", "4567", bytes, strings).is_none());
        assert!(open("other", "0123", bytes, strings).is_none());
        let longer: &'static str = leak(format!("{strings}x"));
        assert!(open("magic", "0123", bytes, longer).is_none());
    }

    #[test]
    fn a_part_is_encoded_only_within_an_encoding_and_shares_its_table() {
        assert!(encode_part(&"x").is_err());
        struct Outer;
        impl Serialize for Outer {
            fn serialize<S: Serializer>(&self, to: S) -> Result<S::Ok, S::Error> {
                let part = encode_part(&("shared", "own")).map_err(ser::Error::custom)?;
                (("shared",), part).serialize(to)
            }
        }
        let (_, _, text) = encode(&Outer).unwrap();
        assert_eq!(text, "sharedown");
    }
}
