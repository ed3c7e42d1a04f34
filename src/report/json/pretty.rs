//! A serde serializer that prints exactly what serde_json's pretty printer prints (two spaces a
//! level, `": "` after a key, `[]` and `{}` when empty), starting a given number of levels deep,
//! with every string written by [`escape::json_string`]: escaped and guarded against CI log
//! commands in one pass. serde_json escapes a string in a pass of its own and hands the guard
//! each piece between escapes; the two passes and the calls between them were a sixth of the
//! instructions a file's JSON entry cost. Numbers other than integers are printed by serde_json
//! itself, so they read the same.
//!
//! `tests` below compares the two on the report's own shapes and on any JSON value.

use serde::ser::{self, Serialize};

use crate::report::escape;

/// What went wrong: a map key that is not a string (the report has none), or what a
/// `Serialize` implementation reports.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

impl From<Error> for std::io::Error {
    fn from(error: Error) -> Self {
        std::io::Error::other(error)
    }
}

/// The printer: where it writes, how deep it is, and whether the array or object being closed
/// holds a value (serde_json's `PrettyFormatter` keeps the same two).
pub struct Pretty<'o> {
    out: &'o mut Vec<u8>,
    depth: usize,
    has_value: bool,
    /// The values printed as [`SHARED`] newtypes so far: the value's address, the depth it was
    /// printed at, and where its text is in `out`.
    shared: crate::engine::record::WordMap<(usize, usize), std::ops::Range<usize>>,
    /// The rows printed as [`ROW`] newtypes, with their heads printed once a run.
    rows: Option<Rows<'o>>,
    /// The struct about to be opened is a row whose head was copied: its number of fields.
    resume: Option<usize>,
    /// The struct about to be opened is a row whose head is to be kept.
    record: bool,
    /// The head of the row just printed, to keep: where it is in `out`, and its fields.
    recorded: Option<(std::ops::Range<usize>, usize)>,
    /// Where a value given to `collect_str` is written before it is escaped as one string.
    text: String,
}

/// The name of a newtype around a struct (a row of the report's results) whose first fields,
/// up to the field [`HEAD_END`], print the same for every value given the same key
/// ([`RowKey`]): printed once, they are copied for each row with that key (at the same depth)
/// for as long as the [`Heads`] live. Any other serializer prints the value itself.
pub const ROW: &str = "$yimi::json::row";

/// The field a row's head ends before.
pub const HEAD_END: &str = "compared";

/// What a row's head depends on, given by the one who made the rows: two rows with the same key
/// must print the same fields before [`HEAD_END`]. Its first word is the address of a value that
/// lives and does not move as long as the [`Heads`] the key is used with (a rule of the run's
/// rule set), the second says the rest (the outcome, …).
pub type RowKey = (usize, usize);

/// The printed heads of rows, by key and depth; kept by the one who makes the rows for as long
/// as their keys hold (a run), and emptied ([`Heads::clear`]) when they no longer do.
#[derive(Default)]
pub struct Heads {
    printed: crate::engine::record::WordMap<(RowKey, usize), Head>,
    /// Their texts, one after another (one buffer, not one each: a run of one file keeps as
    /// many heads as it prints), and the texts of `lists`.
    texts: Vec<u8>,
    /// The [`SHARED`] values printed in the run with a number the one who makes the rows gave
    /// them ([`ListNumber`]), by number and depth: where their text is in `texts`.
    lists: crate::engine::record::WordMap<(ListNumber, usize), std::ops::Range<usize>>,
}

/// A number for a [`SHARED`] value that stays its own for the whole run of the [`Heads`] it is
/// used with: two values given one number must print the same (the one who numbers them
/// compares what they print from), so that one printed for a file is copied for the next.
pub type ListNumber = u32;

impl Heads {
    /// Forgets every head, and makes room for a run's (the built-in packs' rules that apply to
    /// a file, about 70, in about 170 bytes each): grown from empty, the map was rehashed five
    /// times in a run of one file.
    pub fn clear(&mut self) {
        self.printed.clear();
        self.printed.reserve(128);
        self.lists.clear();
        self.texts.clear();
        self.texts.reserve(1 << 14);
    }

    /// The most bytes of numbered values' texts kept ([`Heads::lists`]): past it, a numbered
    /// value is printed for each file as an unnumbered one is.
    pub const LIST_BYTES: usize = 1 << 20;

    /// How many numbered values' texts are kept.
    pub fn lists(&self) -> usize {
        self.lists.len()
    }

    /// How many heads are kept.
    pub fn len(&self) -> usize {
        self.printed.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.printed.is_empty()
    }
}

/// A row's head as printed: from its `{` to the end of the value before [`HEAD_END`], and how
/// many fields that is.
struct Head {
    /// Where its text is in [`Heads::texts`].
    text: std::ops::Range<usize>,
    fields: usize,
}

/// The rows of one printing: each [`ROW`] newtype's value, in the order printed, by its address
/// and key; a value met where the list says another is printed in full.
struct Rows<'o> {
    heads: &'o mut Heads,
    keys: &'o [(usize, RowKey)],
    next: usize,
    /// The [`SHARED`] values in the order first met, each by its address and with its number
    /// in the run, if it has one; `next_list` is the next one to meet.
    lists: &'o [(usize, Option<ListNumber>)],
    next_list: usize,
}

/// The name of a newtype whose value is printed once: printed again at the same depth (the same
/// value, at the same address, while the printer lives), it is a copy of the text printed first.
/// Only a value that cannot change while it is printed may be so named (the report's compared
/// values, shared by many of a file's results). Any other serializer prints the value itself.
pub const SHARED: &str = "$yimi::json::shared";

impl<'o> Pretty<'o> {
    /// A printer of a value that starts `depth` levels deep: every line after the first is
    /// indented by `depth` levels more than serde_json's `to_string_pretty` indents it.
    pub fn at(out: &'o mut Vec<u8>, depth: usize) -> Self {
        Pretty {
            out,
            depth,
            has_value: false,
            shared: Default::default(),
            rows: None,
            resume: None,
            record: false,
            recorded: None,
            text: String::new(),
        }
    }

    /// [`Pretty::at`], for a value whose [`ROW`] newtypes are, in the order printed, those at
    /// the addresses `keys` lists, each with its key: each row's head is copied from `heads`, or
    /// printed and kept there. Its [`SHARED`] values are, in the order first met, those at the
    /// addresses `lists` lists: one with a number is copied from `heads` when one of that number
    /// was printed at its depth in the run, or printed and kept there.
    pub fn with_heads(
        out: &'o mut Vec<u8>,
        depth: usize,
        heads: &'o mut Heads,
        keys: &'o [(usize, RowKey)],
        lists: &'o [(usize, Option<ListNumber>)],
    ) -> Self {
        Pretty {
            rows: Some(Rows {
                heads,
                keys,
                next: 0,
                lists,
                next_list: 0,
            }),
            ..Pretty::at(out, depth)
        }
    }

    /// A [`SHARED`] value not printed before by this printer, at `key` (its address and
    /// depth): copied from the run's texts if one of its number was kept at its depth, or
    /// printed (and kept, if it has a number and there is room).
    fn first_shared<T: Serialize + ?Sized>(
        &mut self,
        key: (usize, usize),
        value: &T,
    ) -> Result<(), Error> {
        let start = self.out.len();
        let number = self.rows.as_mut().and_then(|rows| {
            let listed = rows.lists.get(rows.next_list).copied();
            rows.next_list += 1;
            listed
                .filter(|&(address, _)| address == key.0)
                .and_then(|(_, number)| number)
        });
        let Some((number, rows)) = number.zip(self.rows.as_mut()) else {
            value.serialize(&mut *self)?;
            self.shared.insert(key, start..self.out.len());
            return Ok(());
        };
        let kept = (number, key.1);
        if let Some(text) = rows.heads.lists.get(&kept) {
            let text = rows.heads.texts.get(text.clone()).unwrap_or_default();
            self.out.extend_from_slice(text);
            self.shared.insert(key, start..self.out.len());
            return Ok(());
        }
        value.serialize(&mut *self)?;
        let printed = start..self.out.len();
        self.shared.insert(key, printed.clone());
        if let Some(rows) = self.rows.as_mut()
            && rows.heads.texts.len() + printed.len() <= Heads::LIST_BYTES
        {
            let heads = &mut *rows.heads;
            let at = heads.texts.len();
            heads
                .texts
                .extend_from_slice(self.out.get(printed).unwrap_or_default());
            heads.lists.insert(kept, at..heads.texts.len());
        }
        Ok(())
    }

    /// A [`ROW`] newtype's value.
    fn row<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let address = std::ptr::from_ref(value).cast::<()>() as usize;
        let Some(rows) = self.rows.as_mut() else {
            return value.serialize(self);
        };
        let listed = rows.keys.get(rows.next).copied();
        rows.next += 1;
        let Some((_, key)) = listed.filter(|&(listed, _)| listed == address) else {
            return value.serialize(self);
        };
        let key = (key, self.depth);
        let start = self.out.len();
        match rows.heads.printed.get(&key) {
            Some(head) => {
                let text = rows.heads.texts.get(head.text.clone()).unwrap_or_default();
                self.out.extend_from_slice(text);
                self.resume = Some(head.fields);
            }
            None => self.record = true,
        }
        let printed = value.serialize(&mut *self);
        self.resume = None;
        self.record = false;
        // Kept only when it is the row's own (a struct opened where the row starts).
        if let (Some((text, fields)), Some(rows)) = (self.recorded.take(), self.rows.as_mut())
            && text.start == start
            && printed.is_ok()
        {
            let heads = &mut *rows.heads;
            let at = heads.texts.len();
            heads
                .texts
                .extend_from_slice(self.out.get(text).unwrap_or_default());
            let text = at..heads.texts.len();
            heads.printed.insert(key, Head { text, fields });
        }
        printed
    }

    fn indent(&mut self) {
        self.line_from(2);
    }

    /// Writes a line's start at the current depth: `",\n"` and the indentation from `from` on
    /// (0: with the comma, 1: without, 2: the indentation alone), in one copy while it fits.
    fn line_from(&mut self, from: usize) {
        const LINE: &[u8; 66] =
            b",\n                                                                ";
        let end = 2 + self.depth * 2;
        match LINE.get(from..end) {
            Some(start) => self.out.extend_from_slice(start),
            None => {
                self.out
                    .extend_from_slice(LINE.get(from..2).unwrap_or_default());
                for _ in 0..self.depth {
                    self.out.extend_from_slice(b"  ");
                }
            }
        }
    }

    fn begin(&mut self, open: u8) {
        self.depth += 1;
        self.has_value = false;
        self.out.push(open);
    }

    fn end(&mut self, close: u8) {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.out.push(b'\n');
            self.indent();
        }
        self.out.push(close);
    }

    fn item(&mut self, first: bool) {
        self.line_from(usize::from(first));
    }

    fn integer(&mut self, value: impl std::fmt::Display) {
        use std::io::Write as _;
        // Writing to a vector cannot fail.
        let _ = write!(self.out, "{value}");
    }

    /// An unsigned integer in decimal, as `integer` writes it, without the formatting machinery:
    /// the report's lines, columns and counts (a few hundred a file, each about 200 instructions
    /// through `write!`).
    fn unsigned(&mut self, mut value: u64) {
        let mut digits = [0u8; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            if let Some(digit) = digits.get_mut(start) {
                // `value % 10` is below 10: the cast keeps it whole.
                *digit = b'0' + (value % 10) as u8;
            }
            value /= 10;
            if value == 0 || start == 0 {
                break;
            }
        }
        self.out
            .extend_from_slice(digits.get(start..).unwrap_or_default());
    }

    fn other<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut *self.out, value).map_err(|error| Error(error.to_string()))
    }

    /// A struct's field name and what follows it up to its value. A field's name is a Rust
    /// identifier, or what `rename_all` makes of one: never anything to escape (checked in
    /// debug builds, which the tests of every report run), so it is written as it is, without
    /// the look at each byte `key` gives a map's keys (a tenth of a second of every 10 000-file
    /// report went to that look).
    fn field_name(&mut self, first: bool, key: &'static str) {
        debug_assert!(escape::json_plain(key), "a field name to escape: {key:?}");
        self.item(first);
        self.out.reserve(key.len() + 4);
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// A key and what follows it up to its value.
    fn key(&mut self, first: bool, key: &str) {
        self.item(first);
        // A field's name (the most frequent key) needs no escape: written as it is.
        if escape::json_plain(key) {
            self.out.push(b'"');
            self.out.extend_from_slice(key.as_bytes());
            self.out.extend_from_slice(b"\": ");
        } else {
            escape::json_string(self.out, key);
            self.out.extend_from_slice(b": ");
        }
    }
}

/// Where an array or object is: nothing written in it yet and nothing to write (`Empty`, printed
/// `[]` or `{}` already), at its first item, or past it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Empty,
    First,
    Rest,
}

/// An array or object being printed.
pub struct Compound<'p, 'o> {
    pretty: &'p mut Pretty<'o>,
    state: State,
    /// Fields not to print: a row's head, copied already.
    skip: usize,
    /// A row's head being printed: where it starts in `out`, and its fields so far.
    head: Option<(usize, usize)>,
}

impl Compound<'_, '_> {
    fn first(&mut self) -> bool {
        let first = self.state == State::First;
        self.state = State::Rest;
        first
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let first = self.first();
        self.pretty.item(first);
        value.serialize(&mut *self.pretty)?;
        self.pretty.has_value = true;
        Ok(())
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        if let Some((start, fields)) = self.head {
            if key == HEAD_END {
                self.head = None;
                self.pretty.recorded = Some((start..self.pretty.out.len(), fields));
            } else {
                self.head = Some((start, fields + 1));
            }
        }
        let first = self.first();
        self.pretty.field_name(first, key);
        value.serialize(&mut *self.pretty)?;
        self.pretty.has_value = true;
        Ok(())
    }

    fn end_array(self) {
        if self.state != State::Empty {
            self.pretty.end(b']');
        }
    }

    fn end_object(self) {
        if self.state != State::Empty {
            self.pretty.end(b'}');
        }
    }

    /// Closes the array or object of a variant and the object around it.
    fn end_variant(self, close: u8) {
        let pretty = match self.state {
            State::Empty => self.pretty,
            _ => {
                self.pretty.end(close);
                self.pretty
            }
        };
        pretty.has_value = true;
        pretty.end(b'}');
    }
}

impl<'p, 'o> Pretty<'o> {
    fn compound(&'p mut self, open: u8, close: u8, len: Option<usize>) -> Compound<'p, 'o> {
        self.begin(open);
        let state = if len == Some(0) {
            self.end(close);
            State::Empty
        } else {
            State::First
        };
        Compound {
            pretty: self,
            state,
            skip: 0,
            head: None,
        }
    }

    /// `{"variant": ` of a variant with content.
    fn variant(&mut self, variant: &str) {
        self.begin(b'{');
        self.key(true, variant);
    }
}

impl<'p, 'o> ser::Serializer for &'p mut Pretty<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'p, 'o>;
    type SerializeTuple = Compound<'p, 'o>;
    type SerializeTupleStruct = Compound<'p, 'o>;
    type SerializeTupleVariant = Compound<'p, 'o>;
    type SerializeMap = Compound<'p, 'o>;
    type SerializeStruct = Compound<'p, 'o>;
    type SerializeStructVariant = Compound<'p, 'o>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if value { b"true" } else { b"false" });
        Ok(())
    }

    fn serialize_i8(self, value: i8) -> Result<(), Error> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i16(self, value: i16) -> Result<(), Error> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i32(self, value: i32) -> Result<(), Error> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        self.integer(value);
        Ok(())
    }

    fn serialize_i128(self, value: i128) -> Result<(), Error> {
        self.integer(value);
        Ok(())
    }

    fn serialize_u8(self, value: u8) -> Result<(), Error> {
        self.unsigned(u64::from(value));
        Ok(())
    }

    fn serialize_u16(self, value: u16) -> Result<(), Error> {
        self.unsigned(u64::from(value));
        Ok(())
    }

    fn serialize_u32(self, value: u32) -> Result<(), Error> {
        self.unsigned(u64::from(value));
        Ok(())
    }

    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        self.unsigned(value);
        Ok(())
    }

    fn serialize_u128(self, value: u128) -> Result<(), Error> {
        self.integer(value);
        Ok(())
    }

    fn serialize_f32(self, value: f32) -> Result<(), Error> {
        self.other(&value)
    }

    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        self.other(&value)
    }

    fn serialize_char(self, value: char) -> Result<(), Error> {
        escape::json_string(self.out, value.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        escape::json_string(self.out, value);
        Ok(())
    }

    /// Written whole and then escaped as one string (as serde's own `collect_str` does, without
    /// a new `String` each time): the guard looks for a CI command across the pieces `Display`
    /// writes.
    fn collect_str<T: std::fmt::Display + ?Sized>(self, value: &T) -> Result<(), Error> {
        use std::fmt::Write as _;
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        let written = write!(text, "{value}");
        if written.is_ok() {
            escape::json_string(self.out, &text);
        }
        self.text = text;
        written.map_err(|error| Error(error.to_string()))
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Error> {
        use ser::SerializeSeq as _;
        let mut seq = self.serialize_seq(Some(value.len()))?;
        for byte in value {
            seq.serialize_element(byte)?;
        }
        seq.end()
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if name == ROW {
            return self.row(value);
        }
        if name != SHARED {
            return value.serialize(self);
        }
        let key = (std::ptr::from_ref(value).cast::<()>() as usize, self.depth);
        if let Some(printed) = self.shared.get(&key) {
            let printed = printed.clone();
            self.out.extend_from_within(printed);
            return Ok(());
        }
        self.first_shared(key, value)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.has_value = true;
        self.end(b'}');
        Ok(())
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'p, 'o>, Error> {
        Ok(self.compound(b'[', b']', len))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'p, 'o>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'p, 'o>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'p, 'o>, Error> {
        self.variant(variant);
        self.serialize_seq(Some(len))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'p, 'o>, Error> {
        Ok(self.compound(b'{', b'}', len))
    }

    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'p, 'o>, Error> {
        if let Some(fields) = self.resume.take() {
            // A row whose head was copied: its `{` and first fields are written.
            self.depth += 1;
            self.has_value = fields > 0;
            return Ok(Compound {
                pretty: self,
                state: if fields > 0 {
                    State::Rest
                } else {
                    State::First
                },
                skip: fields,
                head: None,
            });
        }
        let head = std::mem::take(&mut self.record).then_some((self.out.len(), 0));
        let mut compound = self.serialize_map(Some(len))?;
        compound.head = head;
        Ok(compound)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Compound<'p, 'o>, Error> {
        self.variant(variant);
        self.serialize_map(Some(len))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.end_array();
        Ok(())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.end_array();
        Ok(())
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.end_array();
        Ok(())
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }

    fn end(self) -> Result<(), Error> {
        self.end_variant(b']');
        Ok(())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        let first = self.first();
        let key = key.serialize(KeyText)?;
        self.pretty.key(first, &key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.pretty)?;
        self.pretty.has_value = true;
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.end_object();
        Ok(())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.end_object();
        Ok(())
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), Error> {
        self.end_variant(b'}');
        Ok(())
    }
}

/// A map key as text: a string, or a number or `bool` written as serde_json writes it as a key.
struct KeyText;

impl KeyText {
    fn refused<T>() -> Result<T, Error> {
        Err(Error("a map key must be a string".to_owned()))
    }
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = ser::Impossible<String, Error>;
    type SerializeTuple = ser::Impossible<String, Error>;
    type SerializeTupleStruct = ser::Impossible<String, Error>;
    type SerializeTupleVariant = ser::Impossible<String, Error>;
    type SerializeMap = ser::Impossible<String, Error>;
    type SerializeStruct = ser::Impossible<String, Error>;
    type SerializeStructVariant = ser::Impossible<String, Error>;

    fn serialize_str(self, value: &str) -> Result<String, Error> {
        Ok(value.to_owned())
    }

    fn serialize_char(self, value: char) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_bool(self, value: bool) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_i8(self, value: i8) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_i16(self, value: i16) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_i32(self, value: i32) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_i64(self, value: i64) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_u8(self, value: u8) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_u16(self, value: u16) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_u32(self, value: u32) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_u64(self, value: u64) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn serialize_f32(self, _: f32) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_f64(self, _: f64) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_none(self) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_unit(self) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Self::refused()
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Self::refused()
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Self::refused()
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Self::refused()
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Self::refused()
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Self::refused()
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Self::refused()
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Self::refused()
    }
}

#[cfg(test)]
mod tests {
    use super::Pretty;

    fn printed<T: serde::Serialize>(value: &T, depth: usize) -> String {
        let mut out = Vec::new();
        value
            .serialize(&mut Pretty::at(&mut out, depth))
            .expect("serializes");
        String::from_utf8(out).expect("UTF-8")
    }

    /// Unsigned integers of every width, at the edges of their digits and ranges, print as
    /// serde_json prints them (`Pretty::unsigned` writes them without `write!`).
    #[test]
    fn unsigned_integers_print_as_serde_json_prints_them() {
        let mut values = vec![0u64, 1, 9, 10, 99, 100, 65_535, 65_536, u64::from(u32::MAX)];
        values.extend((1..20).map(|power| 10u64.pow(power) - 1));
        values.extend((1..20).map(|power| 10u64.pow(power)));
        values.push(u64::MAX);
        for value in values {
            let expected = serde_json::to_string(&value).expect("prints");
            assert_eq!(printed(&value, 0), expected);
            assert_eq!(printed(&(value as usize), 0), expected);
        }
        assert_eq!(printed(&u8::MAX, 0), "255");
        assert_eq!(printed(&u16::MAX, 0), "65535");
        assert_eq!(printed(&u32::MAX, 0), "4294967295");
        assert_eq!(
            printed(&[7u8, 0, 200], 1),
            "[\n    7,\n    0,\n    200\n  ]"
        );
    }

    /// A value printed as [`super::SHARED`] by its list, which counts its printings.
    struct Shared {
        listed: Listed,
    }

    struct Listed {
        list: Vec<(u8, &'static str)>,
        printed: std::cell::Cell<usize>,
    }

    impl serde::Serialize for Listed {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            self.printed.set(self.printed.get() + 1);
            self.list.serialize(serializer)
        }
    }

    impl serde::Serialize for Shared {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            // The list is named by its own address: the same for each place that prints it.
            serializer.serialize_newtype_struct(super::SHARED, &self.listed)
        }
    }

    fn shared(list: Vec<(u8, &'static str)>) -> Shared {
        Shared {
            listed: Listed {
                list,
                printed: std::cell::Cell::new(0),
            },
        }
    }

    #[derive(serde::Serialize)]
    struct Places<'s> {
        first: &'s Shared,
        again: &'s Shared,
        other: &'s Shared,
        deeper: Vec<&'s Shared>,
    }

    /// A shared value is printed once for each depth it is met at, and copied where it is met
    /// again: the text is serde_json's (guarded) wherever the entry starts, and another value
    /// with the same first element is its own.
    #[test]
    fn a_shared_value_is_copied_where_it_is_printed_again_at_its_depth() {
        let one = shared(vec![(1, "a\"\n::error::x"), (2, "b")]);
        let other = shared(vec![(1, "a\"\n::error::x"), (3, "c")]);
        let places = Places {
            first: &one,
            again: &one,
            other: &other,
            deeper: vec![&one, &one],
        };
        let expected = serde_json::to_string_pretty(&places).expect("serializes");
        assert_eq!(one.listed.printed.replace(0), 4);
        for depth in [0, 2] {
            let expected = expected.replace('\n', &format!("\n{}", "  ".repeat(depth)));
            let expected = crate::report::escape::ci_commands(
                crate::report::escape::OutputKind::Json,
                &expected,
            );
            assert_eq!(printed(&places, depth), expected);
            // `first` and `again` one level deep, the list's elements two.
            assert_eq!(one.listed.printed.replace(0), 2);
        }
    }

    #[derive(serde::Serialize)]
    enum Shapes {
        Unit,
        Newtype(u8),
        Tuple(u8, &'static str),
        Struct { a: Vec<u8>, b: Option<bool> },
        EmptyTuple(),
        EmptyStruct {},
    }

    #[derive(serde::Serialize)]
    struct Everything {
        shapes: Vec<Shapes>,
        empty: Vec<u8>,
        nested: Vec<Vec<Vec<u8>>>,
        map: std::collections::BTreeMap<u32, Option<String>>,
        float: f64,
        nan: f64,
        negative: i64,
        big: u128,
        unit: (),
        character: char,
        text: &'static str,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        bytes: serde_bytes_like::Bytes,
    }

    mod serde_bytes_like {
        pub struct Bytes(pub &'static [u8]);

        impl serde::Serialize for Bytes {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(self.0)
            }
        }
    }

    /// Every shape serde hands a serializer prints as serde_json's pretty printer prints it.
    #[test]
    fn every_shape_prints_as_serde_json_prints_it() {
        let value = Everything {
            shapes: vec![
                Shapes::Unit,
                Shapes::Newtype(3),
                Shapes::Tuple(1, "x"),
                Shapes::Struct {
                    a: vec![1, 2],
                    b: None,
                },
                Shapes::Struct {
                    a: Vec::new(),
                    b: Some(true),
                },
                Shapes::EmptyTuple(),
                Shapes::EmptyStruct {},
            ],
            empty: Vec::new(),
            nested: vec![vec![], vec![vec![], vec![1]]],
            map: [(1, Some("a\u{1}b\"c\\".to_owned())), (20, None)]
                .into_iter()
                .collect(),
            float: 1.5e-7,
            nan: f64::NAN,
            negative: -42,
            big: u128::MAX,
            unit: (),
            character: '中',
            text: "tab\there\r\n\u{8}\u{c}\u{1f}",
            skipped: None,
            bytes: serde_bytes_like::Bytes(&[0, 255]),
        };
        let expected = serde_json::to_string_pretty(&value).expect("serializes");
        assert_eq!(printed(&value, 0), expected);
        // Deeper: every line after the first indented by two more spaces a level.
        let deeper: Vec<String> = expected
            .lines()
            .enumerate()
            .map(|(index, line)| {
                if index == 0 {
                    line.to_owned()
                } else {
                    format!("    {line}")
                }
            })
            .collect();
        assert_eq!(printed(&value, 2), deeper.join("\n"));
    }

    fn any_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_map(serde_json::Value::from),
            "[a-z 中\"\\\\\n\t\u{1}]{0,6}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                proptest::collection::btree_map("[a-z\"]{0,3}", inner, 0..5)
                    .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        /// Any JSON value (without the characters the guard changes) prints as serde_json
        /// prints it.
        #[test]
        fn any_value_prints_as_serde_json_prints_it(value in any_json()) {
            let expected = serde_json::to_string_pretty(&value).expect("serializes");
            proptest::prop_assert_eq!(printed(&value, 0), expected);
        }
    }
}
