//! How much YAML aliases may re-use, one rule for every YAML reader of yimi (projects, waivers,
//! the form, the language server, the sources manifest) and for what weighs a file before it is
//! read (`serve`): an alias bomb makes a few bytes stand for many values, or for much text, and
//! a file would cost far more to check than its size says.

use crate::base::i18n::Text;
use crate::tr;

/// The most values aliases may re-use in a file that writes out fewer: past both this and the
/// values written out before the alias, the file is refused (`yaml::alias-expansion`). A small
/// anchor shared a few times stays far below it; an alias bomb, which makes a few bytes stand for
/// many values, passes it at once.
pub const ALIAS_REUSE_FLOOR: usize = 1_000;

/// The most bytes of text aliases may re-use in a file that writes out less: an alias to one long
/// text is one value, but each copy holds the text again, so the text is bounded as the values
/// are (a name of 100 000 characters named by 1 000 aliases would hold 100 MB).
pub const ALIAS_REUSE_TEXT_FLOOR: usize = 64 * 1024;

/// What a value holds: itself and the values inside it, and the bytes of their texts (keys
/// included). An alias copies the whole weight of the value it names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Weight {
    /// Scalars, lists and mappings.
    pub values: usize,
    /// Bytes of the scalars' texts.
    pub bytes: usize,
}

impl Weight {
    /// One scalar of `bytes` bytes.
    pub fn scalar(bytes: usize) -> Weight {
        Weight { values: 1, bytes }
    }

    /// `self` and `other` together.
    pub fn add(&mut self, other: Weight) {
        self.values = self.values.saturating_add(other.values);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

/// The counts behind [`ALIAS_REUSE_FLOOR`] and [`ALIAS_REUSE_TEXT_FLOOR`]: what the file wrote
/// out so far, what aliases copied so far. A reader refuses a file at the first alias
/// [`AliasReuse::reuse`] refuses; anything that must weigh a file as the loader reads it, before
/// loading it, counts with this same rule, so that it stops where the loader stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AliasReuse {
    /// Written out in the file (scalars, lists and mappings, and the scalars' text), not copied
    /// by an alias.
    written: Weight,
    /// Copied by aliases.
    reused: Weight,
}

impl AliasReuse {
    /// Counts one value written out (a scalar of `bytes` bytes of text, or the start of a list
    /// or mapping with 0).
    pub fn write(&mut self, bytes: usize) {
        self.written.add(Weight::scalar(bytes));
    }

    /// Counts an alias that copies `copied`; `false` when the copies now outnumber both the
    /// values written out before it and [`ALIAS_REUSE_FLOOR`], or hold more text than both the
    /// text written out before it and [`ALIAS_REUSE_TEXT_FLOOR`]: the reader refuses the file
    /// at this alias.
    pub fn reuse(&mut self, copied: Weight) -> bool {
        self.reused.add(copied);
        self.reused.values <= self.written.values.max(ALIAS_REUSE_FLOOR)
            && self.reused.bytes <= self.written.bytes.max(ALIAS_REUSE_TEXT_FLOOR)
    }

    /// Written out so far.
    pub fn written(&self) -> Weight {
        self.written
    }

    /// Copied by aliases so far.
    pub fn reused(&self) -> Weight {
        self.reused
    }

    /// What a reader says at the alias `*name` that [`AliasReuse::reuse`] refused: the message
    /// and the help, naming the count that was passed (values, or bytes of text). Every reader
    /// words the refusal alike.
    pub fn refusal(&self, name: &str) -> (Text, Text) {
        let (reused, written) = (self.reused, self.written);
        if reused.values > written.values.max(ALIAS_REUSE_FLOOR) {
            let (reused, written) = (reused.values, written.values);
            (
                tr!(
                    "别名展开过多:到别名 `*{name}` 为止,别名重复使用了 {reused} 个值,而文件在此之前只写出 {written} 个值",
                    "aliases expand too far: up to alias `*{name}` they re-use {reused} values, and the file writes out only {written} before it"
                ),
                tr!(
                    "别名重复使用的值不能多于文件写出的值(不足 {ALIAS_REUSE_FLOOR} 时按 {ALIAS_REUSE_FLOOR} 计);把这个列表或映射直接写出来,或删除锚点 `&{name}`",
                    "aliases may re-use no more values than the file writes out (or {ALIAS_REUSE_FLOOR}, if that is more): write the list or mapping out, or drop the anchor `&{name}`"
                ),
            )
        } else {
            let (reused, written) = (reused.bytes, written.bytes);
            (
                tr!(
                    "别名展开过多:到别名 `*{name}` 为止,别名重复使用了 {reused} 字节的文本,而文件在此之前只写出 {written} 字节",
                    "aliases expand too far: up to alias `*{name}` they re-use {reused} bytes of text, and the file writes out only {written} before it"
                ),
                tr!(
                    "别名重复使用的文本不能多于文件写出的文本(不足 {ALIAS_REUSE_TEXT_FLOOR} 字节时按 {ALIAS_REUSE_TEXT_FLOOR} 字节计);把长文本只写一次,或删除锚点 `&{name}`",
                    "aliases may re-use no more text than the file writes out (or {ALIAS_REUSE_TEXT_FLOOR} bytes, if that is more): write the long text once, or drop the anchor `&{name}`"
                ),
            )
        }
    }
}
