//! Loading a project file: bytes → YAML tree → values checked against the model.
//!
//! The result keeps both the YAML tree (to locate findings) and the validated [`Data`] (to
//! evaluate rules on). Everything wrong with the file is reported, not just the first thing:
//! type errors are errors (exit code 2), unknown keys are warnings with a "did you mean".

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use crate::base::diagnostic::{Diagnostic, Limit, Remedy, SourceFile};
use crate::base::i18n::Text;
use crate::base::i18n::code;
use crate::base::suggest::did_you_mean;
use crate::project::date::{Date, DateError};
use crate::project::types::{EnumTy, NumberTy, RecordTy, TextFormat, Ty, project_type};
use crate::project::yaml::{self, Node, Value};
use crate::tr;

mod contradiction;
pub(crate) use contradiction::records;
mod derive;
mod forget;
mod naming;
mod percent;
pub use derive::{CONCERNS_CHILDREN, DerivedFact};

/// A validated value from a project file. Numbers are in base units (see [`crate::project::units`]);
/// record fields are in model order, `None` where the file does not state them.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// `true` / `false`.
    Bool(bool),
    /// A number in base units.
    Num(f64),
    /// Text.
    Text(String),
    /// A date.
    Date(Date),
    /// The index of an enum variant.
    Enum(usize),
    /// A list.
    List(Vec<Data>),
    /// A mapping, one slot per model field.
    Record(Vec<Option<Data>>),
}

/// Bounds on what a project file may contain; see the README's section on limits.
#[derive(Clone, Copy, Debug)]
pub struct LoadLimits {
    /// Largest file, in bytes.
    pub max_bytes: u64,
    /// Bounds on the YAML tree.
    pub yaml: yaml::Limits,
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits {
            max_bytes: crate::base::read::DEFAULT_MAX_BYTES,
            yaml: yaml::Limits::default(),
        }
    }
}

/// Whether `text`, a YAML float such as `12000.0`, `-1.2e4` or `.5`, is exactly the whole
/// number `value` (at most 2^53 in size): its decimal digits, shifted by its exponent, are the
/// digits of `value` and zeros after the point. A form this does not read is taken as written
/// (the YAML reader accepted it as a float, and its value is whole).
fn writes_exactly(text: &str, value: f64) -> bool {
    let unsigned = text.trim_start_matches(['+', '-']);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (
            unsigned.get(..at).unwrap_or_default(),
            unsigned.get(at + 1..).unwrap_or_default(),
        ),
        None => (unsigned, "0"),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let exponent = match exponent.parse::<i64>() {
        Ok(exponent) => exponent,
        // An exponent past 64 bits (`1e-99999999999999999999`): any digit but zero is then
        // shifted out of every whole number or past 2^53, whatever its sign (hostile review 9 R4).
        Err(_)
            if exponent
                .trim_start_matches(['+', '-'])
                .bytes()
                .all(|b| b.is_ascii_digit()) =>
        {
            let all_zero = whole.bytes().chain(fraction.bytes()).all(|b| b == b'0');
            return all_zero && value == 0.0;
        }
        Err(_) => return true,
    };
    if !whole
        .chars()
        .chain(fraction.chars())
        .all(|c| c.is_ascii_digit())
    {
        return true;
    }
    // The digits as one whole number times 10^shift.
    let digits = format!("{whole}{fraction}");
    let shift = exponent.saturating_sub(i64::try_from(fraction.len()).unwrap_or(i64::MAX));
    let digits = digits.trim_start_matches('0');
    let expected = format!("{}", value.abs() as u64);
    if digits.is_empty() {
        return expected == "0";
    }
    if shift >= 0 {
        // No whole number up to 2^53 has more than 16 digits.
        if shift > 16 {
            return false;
        }
        let zeros = usize::try_from(shift).unwrap_or(usize::MAX);
        digits.len().saturating_add(zeros) == expected.len()
            && expected.starts_with(digits)
            && expected
                .get(digits.len()..)
                .is_some_and(|rest| rest.bytes().all(|b| b == b'0'))
    } else {
        let dropped = usize::try_from(shift.unsigned_abs()).unwrap_or(usize::MAX);
        if dropped >= digits.len() {
            // Every digit is after the point: only zeros would make a whole number, and the
            // digits are not all zeros.
            return false;
        }
        let (kept, after) = digits.split_at(digits.len() - dropped);
        after.bytes().all(|b| b == b'0') && kept == expected
    }
}

/// The largest whole number an `f64` holds exactly, with every smaller one: 2^53.
const EXACT_INTEGERS: u64 = 1 << 53;

/// A project file that loaded: its text, YAML tree, validated values and warnings.
#[derive(Clone, Debug)]
pub struct Project {
    /// The file, for locating findings.
    pub file: Arc<SourceFile>,
    /// The YAML tree, for turning paths into spans.
    pub tree: Node,
    /// The root record's fields, aligned with [`project_type`].
    pub data: Vec<Option<Data>>,
    /// Unknown keys and the like: the file is usable, but the user should look.
    pub warnings: Vec<Diagnostic>,
    /// Facts the file implies without stating them, set in [`Project::data`].
    pub derived: Vec<DerivedFact>,
    /// The values of the YAML tree, each copy made by an alias counted (see
    /// [`yaml::Parsed::values`]): what checking the file costs grows with it, not with its bytes.
    pub values: usize,
}

impl Project {
    /// The value at a path of field names from the root, if stated.
    pub fn get(&self, names: &[&str]) -> Option<&Data> {
        let mut record: &RecordTy = project_type();
        let mut slots = &self.data;
        let mut value = None;
        for name in names {
            let (index, field) = record.field(name)?;
            let data = slots.get(index)?.as_ref()?;
            value = Some(data);
            if let (Ty::Record(inner), Data::Record(inner_slots)) = (&field.ty, data) {
                record = inner;
                slots = inner_slots;
            }
        }
        value
    }

    /// A text value at a path of field names, if stated.
    pub fn text(&self, names: &[&str]) -> Option<&str> {
        match self.get(names)? {
            Data::Text(text) => Some(text),
            _ => None,
        }
    }

    /// The name of the enum value at a path of field names, if stated.
    pub fn enum_name(&self, names: &[&str]) -> Option<&'static str> {
        let Data::Enum(index) = self.get(names)? else {
            return None;
        };
        match type_at(names)? {
            Ty::Enum(enumeration) => enumeration.variants.get(*index).map(|v| v.name.as_str()),
            _ => None,
        }
    }
}

/// The model's type of the field at a path of field names from the file's root.
pub fn type_at(names: &[&str]) -> Option<&'static Ty> {
    let mut record: &'static RecordTy = project_type();
    let mut ty = None;
    for name in names {
        let (_, field) = record.field(name)?;
        ty = Some(&field.ty);
        if let Ty::Record(inner) = &field.ty {
            record = inner;
        }
    }
    ty
}

/// Reads and loads a project file from disk. A file that cannot be read gets a diagnostic on
/// an empty source, naming the file and the operating system's reason.
pub fn load_path(path: &Path, limits: LoadLimits) -> Result<Project, Vec<Diagnostic>> {
    let name = crate::base::walk::shown(path);
    let unreadable = |reason: Text| {
        let file = SourceFile::new(name.clone(), String::new());
        vec![Diagnostic::error(
            "io::read",
            &file,
            0..0,
            Text::new(
                format!(
                    "无法读取 `{name}`:{}",
                    reason.get(crate::base::i18n::Lang::Zh)
                ),
                format!(
                    "cannot read `{name}`: {}",
                    reason.get(crate::base::i18n::Lang::En)
                ),
            ),
            Text::same(""),
        )]
    };
    match std::fs::metadata(path) {
        Ok(metadata) if metadata.len() > limits.max_bytes => {
            let (size, limit) = (metadata.len(), limits.max_bytes);
            let file = SourceFile::new(name.clone(), String::new());
            return Err(vec![
                Diagnostic::error(
                    "limits::file-size",
                    &file,
                    0..0,
                    tr!(
                        "文件大小 {size} 字节,超过上限 {limit} 字节",
                        "the file is {size} bytes, more than the limit of {limit} bytes"
                    ),
                    Text::same(""),
                )
                .with_remedy(Remedy::Raise(Limit::FileSize)),
            ]);
        }
        // Opening a FIFO would block until something writes to it, and a device may never
        // end: only regular files are read.
        Ok(metadata) if !metadata.is_file() => {
            return Err(unreadable(tr!(
                "不是普通文件(如命名管道或设备),不会读取",
                "not a regular file (such as a named pipe or a device), so it is not read"
            )));
        }
        Ok(_) => {}
        Err(error) => return Err(unreadable(Text::same(error.to_string()))),
    }
    match crate::base::read::read_bounded(path, limits.max_bytes) {
        Ok(bytes) => load_bytes(&name, &bytes, limits),
        Err(error) => Err(unreadable(error.reason())),
    }
}

/// Loads a project file from its bytes.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    limits: LoadLimits,
) -> Result<Project, Vec<Diagnostic>> {
    let mut project = match load_document(name, bytes, limits, project_type()) {
        Ok(project) => project,
        Err(errors) => return Err(waivers_file(name, bytes).map_or(errors, |error| vec![error])),
    };
    derive::derive(&mut project);
    percent::warn(&mut project);
    let contradictions = contradiction::check(&mut project);
    if !contradictions.is_empty() {
        return Err(contradictions);
    }
    Ok(project)
}

/// Whether a text is laid out as a waivers file (`check --waivers`): a top-level `yimi:` and
/// `waivers:`, and no `project:`. `yimi lsp` tells the two kinds apart the same way.
pub fn is_waivers_shaped(text: &str) -> bool {
    let top = |key: &str| text.split(['\n', '\r']).any(|line| line.starts_with(key));
    top("yimi:") && top("waivers:") && !top("project:")
}

/// The one error of a waivers file checked as a project file (newcomer review 16 N2: it was
/// `project::missing` with the help to add `project:`), at its `waivers:`; `None` for any other
/// file.
fn waivers_file(name: &str, bytes: &[u8]) -> Option<Diagnostic> {
    let text = std::str::from_utf8(bytes).ok()?;
    if !is_waivers_shaped(text) {
        return None;
    }
    let start = text
        .split_inclusive(['\n', '\r'])
        .scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })
        .find(|(_, line)| line.starts_with("waivers:"))
        .map_or(0, |(start, _)| start);
    let file = SourceFile::new(name, text.to_owned());
    Some(
        Diagnostic::error(
            "project::waivers-file",
            &file,
            start..start + "waivers".len(),
            tr!(
                "这是豁免文件,不是项目文件",
                "this is a waivers file, not a project file"
            ),
            tr!(
                "有 `waivers:` 而没有 `project:`",
                "`waivers:` and no `project:`"
            ),
        )
        .with_remedy(Remedy::PassWaivers),
    )
}

/// Loads a YAML document of yimi's (a project file, a waivers file) against its root type.
pub fn load_document(
    name: &str,
    bytes: &[u8],
    limits: LoadLimits,
    root: &RecordTy,
) -> Result<Project, Vec<Diagnostic>> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(error) => {
            let at = error.valid_up_to();
            // Counted from 1, as people count: the first byte is byte 1.
            let byte = at + 1;
            let file = SourceFile::new(name, String::from_utf8_lossy(bytes).into_owned());
            // The lossy copy has one replacement character where the bad bytes were.
            let lossy_at = String::from_utf8_lossy(bytes.get(..at).unwrap_or_default()).len();
            return Err(vec![
                Diagnostic::error(
                    "io::utf8",
                    &file,
                    lossy_at..lossy_at + '\u{fffd}'.len_utf8(),
                    tr!(
                        "文件不是有效的 UTF-8 文本(第 {byte} 字节)",
                        "the file is not valid UTF-8 (at byte {byte})"
                    ),
                    tr!("无效字节", "invalid bytes"),
                )
                .with_help(if crate::base::read::is_utf16(bytes) {
                    crate::base::read::utf16_hint()
                } else {
                    tr!(
                        "以 UTF-8 编码保存文件(GBK 等编码需先转换)",
                        "save the file as UTF-8 (convert it first if it is GBK or another encoding)"
                    )
                }),
            ]);
        }
    };
    let file = SourceFile::new(name, text);
    let yaml::Parsed { root: tree, values } =
        yaml::parse_counted(&file, limits.yaml).map_err(|error| vec![error])?;
    let mut validator = Validator {
        file: &file,
        errors: Vec::new(),
        warnings: Vec::new(),
        allowed_values: HashMap::new(),
        checked: 0,
        stopped: false,
        unlisted: 0,
        first_unlisted: None,
    };
    if let Some(version) = tree.get("yimi")
        && !matches!(version.value, Value::Int(1))
    {
        // Another format version may lay the file out differently: say only that.
        let written = code(validator.written(version));
        return Err(vec![
            Diagnostic::error(
                "project::version",
                &file,
                version.span.clone(),
                tr!(
                    "不支持的格式版本 {written}",
                    "unsupported format version {written}"
                ),
                tr!(
                    "本版本 yimi 读取格式版本 1",
                    "this yimi reads format version 1"
                ),
            )
            .with_help(tr!("写 `yimi: 1`", "write `yimi: 1`")),
        ]);
    }
    let data = match &tree.value {
        Value::Map(_) => validator.record(&tree, None, root),
        _ => {
            let found = tree.value.kind_name();
            // Underline the first line only: the rest of the file is not the point.
            let first_line_end = file
                .text
                .get(tree.span.start..)
                .and_then(|rest| rest.find('\n'))
                .map_or(tree.span.end, |i| tree.span.start + i);
            let first_line = Node {
                value: Value::Null,
                span: tree.span.start..first_line_end.min(tree.span.end),
                alias: None,
            };
            validator.error(
                "project::not-a-mapping",
                &first_line,
                {
                    let (found_zh, found_en) = (&found.zh, &found.en);
                    tr!(
                        "项目文件的顶层必须是映射,而这里是{found_zh}",
                        "the top level of a project file must be a mapping, found {found_en}"
                    )
                },
                tr!(
                    "应为 `yimi: 1`、`project:` 等键",
                    "expected keys such as `yimi: 1` and `project:`"
                ),
                None,
            );
            // The one error of a file that is no project at all: a template helps most.
            if let Some(last) = validator.errors.last_mut() {
                last.remedy = Some(Remedy::Template);
            }
            None
        }
    };
    // In document order, as a reader goes through the file (newcomer review 16 N12: a missing
    // key at line 1 came after a wrong value further on, found first by the walk of the
    // fields); the count of those not listed stays last.
    validator
        .errors
        .sort_by_key(|error| error.primary_span().start);
    validator.close_unlisted();
    let Validator {
        errors, warnings, ..
    } = validator;
    if !errors.is_empty() {
        let mut all = errors;
        all.extend(warnings);
        return Err(all);
    }
    let data = match data {
        Some(Data::Record(slots)) => slots,
        _ => Vec::new(),
    };
    Ok(Project {
        file,
        tree,
        data,
        warnings,
        derived: Vec::new(),
        values,
    })
}

/// Values checked between two looks at the thread's stop (`base::cancel`): a look costs a
/// thread-local read and a clock read, a value far less, so a file of 200 000 values looks
/// about 200 times and stops within a few milliseconds of its stop being set.
const VALUES_BETWEEN_STOP_LOOKS: usize = 1024;

/// Errors of one file kept as diagnostics, the first in document order; the rest are only
/// counted, and one last diagnostic says how many more there are. Human and plain output show
/// 20 of a file, and no reader goes through more than this in JSON or SARIF, while a file within
/// the limits can hold some 200 000 wrong values: a diagnostic each (about 4.7 KB) took 954 MB.
pub const MAX_LISTED_ERRORS: usize = 1000;
/// The code of the diagnostic that counts a file's errors past [`MAX_LISTED_ERRORS`].
pub const TOO_MANY_ERRORS: &str = "project::too-many-errors";

struct Validator<'a> {
    file: &'a Arc<SourceFile>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Each enumeration's list of allowed values, as the help of an unknown value shows it,
    /// made once per enumeration (keyed by its address): a file of many unknown values would
    /// otherwise format the whole list again for each.
    allowed_values: HashMap<*const EnumTy, Text>,
    /// Values checked so far, to look at the stop every [`VALUES_BETWEEN_STOP_LOOKS`].
    checked: usize,
    /// The work was stopped (`base::cancel`): no value is checked any more, and the result,
    /// incomplete, is for nobody (whoever stopped it discards it).
    stopped: bool,
    /// Errors found past [`MAX_LISTED_ERRORS`], counted, not built.
    unlisted: usize,
    /// Where the first of them is, for the diagnostic that counts them.
    first_unlisted: Option<std::ops::Range<usize>>,
}

impl<'a> Validator<'a> {
    /// The text of `node` as the file writes it (empty if its span is not in the file).
    fn written(&self, node: &Node) -> &'a str {
        self.file.text.get(node.span.clone()).unwrap_or_default()
    }

    /// Whether an error at `node` is still listed; past [`MAX_LISTED_ERRORS`] it is only
    /// counted. Called before an error's message is made, so an unlisted one costs a comparison
    /// and an addition.
    fn listing(&mut self, span: &std::ops::Range<usize>) -> bool {
        if self.errors.len() < MAX_LISTED_ERRORS {
            return true;
        }
        self.unlisted = self.unlisted.saturating_add(1);
        if self.first_unlisted.is_none() {
            self.first_unlisted = Some(span.clone());
        }
        false
    }

    /// The last diagnostic of a file with unlisted errors: how many more there are.
    fn close_unlisted(&mut self) {
        let (more, Some(span)) = (self.unlisted, self.first_unlisted.take()) else {
            return;
        };
        let listed = MAX_LISTED_ERRORS;
        let errors_en = if more == 1 { "error" } else { "errors" };
        self.errors.push(
            Diagnostic::error(
                TOO_MANY_ERRORS,
                self.file,
                span,
                tr!(
                    "文件还有 {more} 处错误未列出,只列出了前 {listed} 处",
                    "the file has {more} more {errors_en}; only the first {listed} are listed"
                ),
                tr!("第一处未列出的错误", "the first error not listed"),
            )
            .with_help(tr!(
                "先改正列出的错误,再检查一次",
                "fix the errors listed, then check again"
            ))
            .with_unlisted(more),
        );
    }

    fn error(
        &mut self,
        code: &'static str,
        node: &Node,
        message: Text,
        label: Text,
        help: Option<Text>,
    ) {
        if !self.listing(&node.span) {
            return;
        }
        let mut diagnostic = Diagnostic::error(code, self.file, node.span.clone(), message, label);
        if let Some(alias) = &node.alias {
            diagnostic = diagnostic.with_label(
                alias.clone(),
                tr!("通过这个别名用在这里", "used here through this alias"),
            );
        }
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.errors.push(diagnostic);
    }

    fn not_exact(&mut self, node: &Node) {
        if !self.listing(&node.span) {
            return;
        }
        let written = code(self.written(node));
        self.error(
            "project::range",
            node,
            tr!(
                "{written} 超过 2^53(9007199254740992),无法精确表示",
                "{written} is more than 2^53 (9007199254740992) and cannot be held exactly"
            ),
            tr!("数值过大", "too large"),
            Some(tr!(
                "检查这个数;不知道时删除这一项",
                "check the number; leave the key out if the value is unknown"
            )),
        );
    }

    fn not_a_quantity(&mut self, node: &Node) {
        if !self.listing(&node.span) {
            return;
        }
        let written = code(self.written(node));
        self.error(
            "project::range",
            node,
            tr!(
                "{written} 不是有限的数,不能作为数量",
                "{written} is not a finite number, so it cannot be a quantity"
            ),
            tr!("不是有限的数", "not a finite number"),
            Some(tr!(
                "填写一个有限的数;不知道时删除这一项",
                "write a finite number; leave the key out if the value is unknown"
            )),
        );
    }

    fn too_large(&mut self, node: &Node) {
        if !self.listing(&node.span) {
            return;
        }
        let written = code(self.written(node));
        self.error(
            "project::range",
            node,
            tr!(
                "{written} 太大,不是可用的数值",
                "{written} is too large to be a quantity"
            ),
            tr!("数值过大", "too large"),
            Some(tr!(
                "检查这个数;不知道时删除这一项",
                "check the number; leave the key out if the value is unknown"
            )),
        );
    }

    /// Refuses a number not written in plain decimal (see [`OddNumber`]), wherever it is: in a
    /// text field too, where `id: 0123` is `0123` here and 83 to a YAML 1.1 reader; and plain
    /// text that other readers take for a number (`0b101`, `12_000`, `+0x1F`, `1:30`; see
    /// [`read_as_number_elsewhere`]). Returns whether it did.
    fn odd_number(&mut self, node: &Node, in_text: bool) -> bool {
        let written = self.written(node);
        let (form, elsewhere) = match &node.value {
            Value::Int(_) | Value::Float(_) => match odd_number(written) {
                Some(form) => (form, None),
                None => return false,
            },
            // Text to yimi whatever the field: a number field refuses it as text otherwise.
            Value::Str { plain: true, text } => match read_as_number_elsewhere(text) {
                Some(reading) => {
                    let OtherReading {
                        form,
                        value,
                        yaml11,
                    } = reading;
                    (form, Some((value, yaml11)))
                }
                None => return false,
            },
            _ => return false,
        };
        if !self.listing(&node.span) {
            return true;
        }
        let quoted = code(written);
        if let Some((value, yaml11)) = elsewhere {
            let (message, label) = read_elsewhere_message(written, &form, value.as_deref(), yaml11);
            let help = match (in_text, value) {
                (true, _) => tr!(
                    "这是编号或文字:加引号,写成 `\"{written}\"`",
                    "a code or text: quote it, `\"{written}\"`"
                ),
                // A number field: quoting would make it text, which the field refuses too.
                // A time or a ratio written where a number belongs has no decimal to offer.
                (false, _) if form == OddNumber::Sexagesimal => {
                    tr!("写一个十进制数", "write one decimal number")
                }
                (false, Some(value)) => tr!("写成 `{value}`", "write `{value}`"),
                (false, None) => tr!("写成十进制数", "write it in decimal"),
            };
            self.error("project::number-form", node, message, label, Some(help));
            return true;
        }
        let decimal = match (&form, &node.value) {
            (OddNumber::Radix(_), Value::Int(value)) => value.to_string(),
            _ => without_leading_zeros(written),
        };
        let (message, label) = match form {
            OddNumber::LeadingZero => {
                // What a YAML 1.1 reader makes of it, when it is a whole number in octal digits.
                let digits = written.trim_start_matches(['+', '-']);
                let sign = if written.starts_with('-') { -1 } else { 1 };
                let octal = digits
                    .bytes()
                    .all(|b| matches!(b, b'0'..=b'7'))
                    .then(|| i64::from_str_radix(digits, 8).ok())
                    .flatten()
                    .map(|octal| sign * octal)
                    .filter(|octal| in_text || decimal.parse::<i64>().ok() != Some(*octal));
                // `+012000` starts with its sign: the zero is its first digit.
                let (zero_zh, zero_en) = zero_first(written);
                let message = match (octal, in_text) {
                    (Some(octal), false) => tr!(
                        "{quoted} {zero_zh}:本工具读作 {decimal},按 YAML 1.1 读取的工具却读作八进制数 {octal}",
                        "{quoted} {zero_en}: yimi reads {decimal}, a YAML 1.1 reader the octal number {octal}"
                    ),
                    (Some(octal), true) => tr!(
                        "{quoted} {zero_zh}:本工具读作文本 {quoted},按 YAML 1.1 读取的工具却读作八进制数 {octal}",
                        "{quoted} {zero_en}: yimi reads the text {quoted}, a YAML 1.1 reader the octal number {octal}"
                    ),
                    (None, _) => tr!(
                        "{quoted} {zero_zh}:不同的 YAML 工具读法不同",
                        "{quoted} {zero_en}, which YAML readers read differently"
                    ),
                };
                (message, tr!("开头的 0", "leading zero"))
            }
            // The reader takes only these two forms for numbers: the others are text to it.
            OddNumber::Radix(base) => {
                let base_zh = base_zh(base);
                (
                    tr!(
                        "{quoted} 是{base_zh}进制写法:只读取十进制数",
                        "{quoted} is written in base {base}: only decimal numbers are read"
                    ),
                    tr!("不是十进制", "not decimal"),
                )
            }
            OddNumber::Separated | OddNumber::Sexagesimal => return false,
        };
        let help = if in_text {
            tr!(
                "这是编号或文字:加引号,写成 `\"{written}\"`",
                "a code or text: quote it, `\"{written}\"`"
            )
        } else {
            // A number field: quoted, the value would be text, which the field refuses too.
            tr!("写成 `{decimal}`", "write `{decimal}`")
        };
        self.error("project::number-form", node, message, label, Some(help));
        true
    }

    fn wrong_type(&mut self, node: &Node, ty: &Ty, help: Option<Text>) {
        if !self.listing(&node.span) {
            return;
        }
        let expected = ty.describe();
        let found = node.value.kind_name();
        let written = self.written(node);
        let written = if written.chars().count() > 40 || written.contains('\n') {
            String::new()
        } else {
            format!(" {}", code(written))
        };
        let (expected_zh, expected_en, found_zh, found_en) =
            (&expected.zh, &expected.en, &found.zh, &found.en);
        self.error(
            "project::type",
            node,
            tr!(
                "应为{expected_zh},实际是{found_zh}{written}",
                "expected {expected_en}, found {found_en}{written}"
            ),
            tr!("应为{expected_zh}", "expected {expected_en}"),
            help,
        );
    }

    /// Checks `node` against `ty`; `None` when the value is null (not stated) or wrong, or
    /// when the work was stopped.
    fn value(&mut self, node: &Node, ty: &Ty) -> Option<Data> {
        self.checked = self.checked.wrapping_add(1);
        if self.checked.is_multiple_of(VALUES_BETWEEN_STOP_LOOKS)
            && crate::base::cancel::stopped().is_some()
        {
            self.stopped = true;
        }
        if self.stopped || matches!(node.value, Value::Null) {
            return None;
        }
        match ty {
            Ty::Bool => match &node.value {
                Value::Bool(value) => Some(Data::Bool(*value)),
                Value::Str { text, .. } => {
                    if !self.listing(&node.span) {
                        return None;
                    }
                    let help = match text.as_str() {
                        "yes" | "Yes" | "YES" | "y" | "on" | "是" | "有" | "对" => {
                            Some(tr!("写 `true`", "write `true`"))
                        }
                        "no" | "No" | "NO" | "n" | "off" | "否" | "无" | "没有" => {
                            Some(tr!("写 `false`", "write `false`"))
                        }
                        _ => Some(tr!("写 `true` 或 `false`", "write `true` or `false`")),
                    };
                    self.wrong_type(node, ty, help);
                    None
                }
                _ => {
                    self.wrong_type(node, ty, None);
                    None
                }
            },
            Ty::Number(number) => self.number(node, ty, number),
            Ty::Text(format) => {
                let text = match &node.value {
                    Value::Int(_) | Value::Float(_) | Value::Str { plain: true, .. }
                        if self.odd_number(node, true) =>
                    {
                        return None;
                    }
                    Value::Str { text, .. } => text.clone(),
                    Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                        self.written(node).to_owned()
                    }
                    _ => {
                        self.wrong_type(node, ty, None);
                        return None;
                    }
                };
                if *format == TextFormat::Jurisdiction && !is_jurisdiction(&text) {
                    if !self.listing(&node.span) {
                        return None;
                    }
                    let quoted = code(&text);
                    self.error(
                        "project::jurisdiction",
                        node,
                        tr!("{quoted} 不是行政区划路径", "{quoted} is not a jurisdiction path"),
                        tr!("应形如 CN/SH/Pudong", "expected a path such as CN/SH/Pudong"),
                        Some(tr!(
                            "以 `CN` 开头,各级用 `/` 分隔,名称使用拼音或英文字母,如 `CN/ZJ/Wenzhou/Ruian`",
                            "start with `CN` and separate levels with `/`, names in Latin letters, e.g. `CN/ZJ/Wenzhou/Ruian`"
                        )),
                    );
                    return None;
                }
                Some(Data::Text(text))
            }
            Ty::Date => {
                let Value::Str { text, .. } = &node.value else {
                    self.wrong_type(
                        node,
                        ty,
                        Some(tr!("写成 `2026-03-01` 的形式", "write it as `2026-03-01`")),
                    );
                    return None;
                };
                match Date::parse(text) {
                    Ok(date) => Some(Data::Date(date)),
                    Err(error) => {
                        if !self.listing(&node.span) {
                            return None;
                        }
                        let (label, help) = match error {
                            DateError::Format => (
                                tr!(
                                    "应为 YYYY-MM-DD 形式的日期",
                                    "expected a date written YYYY-MM-DD"
                                ),
                                tr!(
                                    "写成 `2026-03-01` 的形式(四位年、两位月、两位日)",
                                    "write it as `2026-03-01` (four-digit year, two-digit month and day)"
                                ),
                            ),
                            DateError::Month => (
                                tr!(
                                    "月份应在 01 到 12 之间",
                                    "the month must be between 01 and 12"
                                ),
                                tr!("检查月份", "check the month"),
                            ),
                            DateError::Day => (
                                tr!("该月没有这一天", "that month has no such day"),
                                tr!("检查日期是否存在", "check that the day exists"),
                            ),
                        };
                        let quoted = code(text);
                        self.error(
                            "project::date",
                            node,
                            tr!("{quoted} 不是有效日期", "{quoted} is not a valid date"),
                            label,
                            Some(help),
                        );
                        None
                    }
                }
            }
            Ty::Enum(enumeration) => self.enumeration(node, ty, enumeration),
            Ty::List(item) => {
                let Value::Seq(items) = &node.value else {
                    self.wrong_type(
                        node,
                        ty,
                        Some(tr!(
                            "每一项写成以 `- ` 开头的一行;没有任何项时写 `[]`(明确表示“无”)",
                            "write each item on its own line starting with `- `; `[]` states an empty list (an explicit none)"
                        )),
                    );
                    return None;
                };
                let mut values = Vec::with_capacity(items.len());
                for element in items {
                    // A null item in a list is a stated gap; keep the list's length by skipping it
                    // only after reporting nothing: lists of records never hold nulls in practice.
                    if let Some(value) = self.value(element, item) {
                        values.push(value);
                    } else if matches!(element.value, Value::Null) && self.listing(&element.span) {
                        self.error(
                            "project::null-item",
                            element,
                            tr!("列表中有空项", "the list has an empty item"),
                            tr!("空项", "empty item"),
                            Some(tr!(
                                "删除这一项,或填写内容",
                                "delete the item or fill it in"
                            )),
                        );
                    }
                }
                Some(Data::List(values))
            }
            Ty::Record(record) => match &node.value {
                // A mapping in a list has no key of its own: point at the item's start.
                Value::Map(_) => self.record(node, Some(node.span.start..node.span.start), record),
                _ => {
                    self.wrong_type(node, ty, None);
                    None
                }
            },
        }
    }

    fn number(&mut self, node: &Node, ty: &Ty, number: &NumberTy) -> Option<Data> {
        if self.odd_number(node, false) {
            return None;
        }
        let value = match &node.value {
            // Beyond 2^53 a whole number is no longer held exactly (`9007199254740993` would be
            // read as …992): refused before it is rounded, whatever the field.
            Value::Int(value) if value.unsigned_abs() > EXACT_INTEGERS => {
                self.not_exact(node);
                return None;
            }
            Value::Int(value) => *value as f64,
            Value::Float(value) if value.is_finite() => *value,
            // `-.inf`: below every minimum, and no quantity at all.
            Value::Float(value) if *value == f64::NEG_INFINITY => {
                self.not_a_quantity(node);
                return None;
            }
            // `1e400` (infinite once read) and `.inf`: no quantity is that large.
            Value::Float(value) if value.is_infinite() => {
                self.too_large(node);
                return None;
            }
            // `.nan`.
            Value::Float(_) => {
                self.not_a_quantity(node);
                return None;
            }
            Value::Str { text, .. } => {
                if !self.listing(&node.span) {
                    return None;
                }
                let help = number_hint(text, number);
                self.wrong_type(node, ty, Some(help));
                return None;
            }
            _ => {
                self.wrong_type(node, ty, None);
                return None;
            }
        };
        // Beyond 2^53 a whole number is no longer held exactly: no count is that large. A float
        // read as 2^53 itself may have been written as more (`9.007199254740993e15`).
        let written_as_float = matches!(node.value, Value::Float(_));
        if number.integer
            && (value.abs() > EXACT_INTEGERS as f64
                || (written_as_float && value.abs() >= EXACT_INTEGERS as f64))
        {
            self.too_large(node);
            return None;
        }
        // A whole number written as a float (`12000.0`, `1.2e4`) must say exactly the number it
        // is read as: `12000.0000000000001` and `1e-400` are read as 12000 and 0 (hostile review
        // 8 F3).
        if number.integer
            && (value.fract() != 0.0
                || (written_as_float && !writes_exactly(self.written(node), value)))
        {
            self.wrong_type(
                node,
                ty,
                Some(tr!(
                    "这里只能填写整数",
                    "only whole numbers are allowed here"
                )),
            );
            return None;
        }
        if let Some(min) = number.min
            && value < min
        {
            if !self.listing(&node.span) {
                return None;
            }
            let (value_text, min_text) = (
                crate::project::units::format_number(value),
                crate::project::units::format_number(min),
            );
            self.error(
                "project::range",
                node,
                tr!(
                    "`{value_text}` 小于最小值 {min_text}",
                    "`{value_text}` is less than the minimum of {min_text}"
                ),
                tr!("不能为负数", "cannot be negative"),
                Some(tr!(
                    "数量和面积不能为负;不知道时删除这一项",
                    "counts and areas cannot be negative; leave the key out if the value is unknown"
                )),
            );
            return None;
        }
        if let Some(max) = number.max
            && value > max
        {
            if !self.listing(&node.span) {
                return None;
            }
            let (value_text, max_text) = (
                crate::project::units::format_number(value),
                crate::project::units::format_number(max),
            );
            self.error(
                "project::range",
                node,
                tr!(
                    "`{value_text}` 大于最大值 {max_text}",
                    "`{value_text}` is more than the maximum of {max_text}"
                ),
                tr!("超出允许范围", "out of range"),
                None,
            );
            return None;
        }
        Some(Data::Num(value * number.scale()))
    }

    fn enumeration(&mut self, node: &Node, ty: &Ty, enumeration: &EnumTy) -> Option<Data> {
        let Value::Str { text, .. } = &node.value else {
            self.wrong_type(node, ty, None);
            return None;
        };
        if let Some(index) = enumeration.index_of(text) {
            return Some(Data::Enum(index));
        }
        if !self.listing(&node.span) {
            return None;
        }
        let names = enumeration
            .variants
            .iter()
            .map(|variant| variant.name.as_str());
        let suggestion = did_you_mean(text, names)
            .or_else(|| {
                enumeration
                    .by_description(text)
                    .map(|variant| variant.name.as_str())
            })
            .or_else(|| {
                did_you_mean(
                    &text.to_lowercase().replace([' ', '-'], "_"),
                    enumeration.variants.iter().map(|v| v.name.as_str()),
                )
            });
        let named = enumeration.all_named(text);
        let help = match suggestion {
            // Several values answer to the name: each with what it means, for the user to choose.
            _ if named.len() > 1 => {
                let listed: Vec<(String, String)> = named
                    .iter()
                    .map(|variant| {
                        let name = &variant.name;
                        (
                            format!("`{name}`({})", variant.doc.zh),
                            format!("`{name}` ({})", variant.doc.en),
                        )
                    })
                    .collect();
                let zh: Vec<&str> = listed.iter().map(|(zh, _)| zh.as_str()).collect();
                let en: Vec<&str> = listed.iter().map(|(_, en)| en.as_str()).collect();
                let (zh, en) = (zh.join("、"), en.join(", "));
                tr!("是否想写以下之一:{zh}?", "did you mean one of {en}?")
            }
            Some(name) => {
                let doc = enumeration
                    .variants
                    .iter()
                    .find(|v| v.name == name)
                    .map(|v| v.doc.clone())
                    .unwrap_or_else(|| Text::same(""));
                let (doc_zh, doc_en) = (&doc.zh, &doc.en);
                tr!(
                    "是否想写 `{name}`({doc_zh})?",
                    "did you mean `{name}` ({doc_en})?"
                )
            }
            None => self
                .allowed_values
                .entry(std::ptr::from_ref(enumeration))
                .or_insert_with(|| allowed_values(enumeration))
                .clone(),
        };
        let quoted = code(text);
        self.error(
            "project::enum",
            node,
            tr!(
                "{quoted} 不是此处允许的取值",
                "{quoted} is not one of the values allowed here"
            ),
            tr!("未知取值", "unknown value"),
            Some(help),
        );
        None
    }

    /// Checks a mapping against a record type: unknown keys warn, missing required keys and
    /// wrong values are errors. `key_node` is the key's span for "missing" errors.
    fn record(
        &mut self,
        node: &Node,
        key_span: Option<std::ops::Range<usize>>,
        record: &RecordTy,
    ) -> Option<Data> {
        let Value::Map(entries) = &node.value else {
            return None;
        };
        let mut slots: Vec<Option<Data>> = vec![None; record.fields.len()];
        // The field after the one the last key named: keys are most often written in the
        // model's order (templates and the generator write them so), and a search from the
        // first field compares the key with every field before its own. Field names are unique
        // in a record, so the field found there is the one the search finds.
        let mut next = 0;
        for entry in entries {
            let found = match record.fields.get(next) {
                Some(field) if field.name == entry.key => Some((next, field)),
                _ => record.field(&entry.key),
            };
            match found {
                Some((index, field)) => {
                    next = index + 1;
                    let value = match &field.ty {
                        Ty::Record(inner) if matches!(entry.value.value, Value::Map(_)) => {
                            self.record(&entry.value, Some(entry.key_span.clone()), inner)
                        }
                        ty => self.value(&entry.value, ty),
                    };
                    if let Some(slot) = slots.get_mut(index) {
                        *slot = value;
                    }
                }
                None => {
                    let help = match did_you_mean(&entry.key, record.names()) {
                        Some(name) => tr!("是否想写 `{name}`?", "did you mean `{name}`?"),
                        None => {
                            let names: Vec<String> =
                                record.names().map(|name| format!("`{name}`")).collect();
                            let names = names.join(", ");
                            tr!("这里可用的键:{names}", "keys allowed here: {names}")
                        }
                    };
                    self.warnings.push(
                        Diagnostic::warning(
                            "project::unknown-key",
                            self.file,
                            entry.key_span.clone(),
                            {
                                let key = code(&entry.key);
                                tr!("未知的键 {key},已忽略", "unknown key {key} is ignored")
                            },
                            if key_span.is_none() {
                                tr!(
                                    "项目文件顶层没有这个键",
                                    "not a top-level key of a project file"
                                )
                            } else {
                                tr!("这里没有这个键", "no such key here")
                            },
                        )
                        .with_help(help),
                    );
                }
            }
        }
        for (field, slot) in record.fields.iter().zip(&slots) {
            // Whether the key is written is looked for only for a required field left empty:
            // for every field, it compared each field's name with every key of the mapping.
            if slot.is_some() || !field.required {
                continue;
            }
            let stated = entries.iter().any(|entry| entry.key == field.name);
            if !stated || self.errors.is_empty() {
                let span = key_span.clone().unwrap_or(node.span.start..node.span.start);
                if !self.listing(&span) {
                    continue;
                }
                let name = &field.name;
                let doc = &field.doc;
                let expected = field.ty.describe();
                let (doc_zh, doc_en, expected_zh, expected_en) =
                    (&doc.zh, &doc.en, &expected.zh, &expected.en);
                self.errors.push(
                    Diagnostic::error(
                        "project::missing",
                        self.file,
                        span,
                        tr!(
                            "缺少必填项 `{name}`({doc_zh})",
                            "missing required key `{name}` ({doc_en})"
                        ),
                        tr!("这里缺少 `{name}`", "`{name}` is missing here"),
                    )
                    .with_help(tr!(
                        "添加 `{name}:`,值为{expected_zh}",
                        "add `{name}:` with {expected_en}"
                    )),
                );
            }
        }
        Some(Data::Record(slots))
    }
}

/// The help for a value `enumeration` does not allow: every allowed value with what it means,
/// so the reader need not know the model's names.
fn allowed_values(enumeration: &EnumTy) -> Text {
    let allowed = |chinese: bool| -> String {
        let shown: Vec<String> = enumeration
            .variants
            .iter()
            .map(|variant| {
                let name = &variant.name;
                // The words before any explanation: 托育机构 for 托育机构、托育点(…).
                let short = |doc: &str| -> String {
                    doc.split(['(', '(', ',', ',', ':', ':', ';', ';'])
                        .next()
                        .unwrap_or_default()
                        .trim()
                        .to_owned()
                };
                if chinese {
                    format!("`{name}`({})", short(&variant.doc.zh))
                } else {
                    format!("`{name}` ({})", short(&variant.doc.en))
                }
            })
            .collect();
        shown.join(if chinese { "、" } else { ", " })
    };
    let (allowed_zh, allowed_en) = (allowed(true), allowed(false));
    tr!("可选值:{allowed_zh}", "allowed values: {allowed_en}")
}

/// A hint for text written where a number belongs: `1,200`, `3000m2`, `四十`.
fn number_hint(text: &str, number: &NumberTy) -> Text {
    let trimmed = text.trim();
    // A number in quotes (or tagged `!!str`) is text: the quotes are what is wrong.
    if trimmed.parse::<f64>().is_ok_and(f64::is_finite) && !trimmed.contains(['e', 'E']) {
        // Unquoted, `"012000"` would be refused for its zero.
        let trimmed = match odd_number(trimmed) {
            Some(OddNumber::LeadingZero) => without_leading_zeros(trimmed),
            _ => trimmed.to_owned(),
        };
        return tr!(
            "去掉引号(或 `!!str`),直接写数字 `{trimmed}`",
            "write the number without quotes (or `!!str`): `{trimmed}`"
        );
    }
    // `0b101`, `0O17`, `0X1F`: a base the YAML reader does not take (or takes as text).
    if let Some(OddNumber::Radix(base)) = odd_number(trimmed) {
        let (sign, unsigned) = match trimmed.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        let value = unsigned
            .get(2..)
            .and_then(|digits| i64::from_str_radix(digits, base).ok());
        return match value {
            Some(value) => {
                let value = sign * value;
                tr!(
                    "只读取十进制数:写成 `{value}`",
                    "only decimal numbers are read: write `{value}`"
                )
            }
            None => tr!(
                "只读取十进制数:写成十进制",
                "only decimal numbers are read: write it in decimal"
            ),
        };
    }
    // `1_000`: YAML 1.1 readers drop the `_`, YAML 1.2 readers take it for text.
    if trimmed.contains('_')
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '_' | '.' | '-' | '+'))
    {
        let digits: String = trimmed.chars().filter(|c| *c != '_').collect();
        return tr!(
            "去掉分隔符 `_`,写成 `{digits}`",
            "remove the `_` separators: write `{digits}`"
        );
    }
    if !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '，' || c == '.')
    {
        let digits: String = trimmed
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        return tr!(
            "去掉千位分隔符,写成 `{digits}`",
            "remove the thousands separators: write `{digits}`"
        );
    }
    let leading: String = trimmed
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if !leading.is_empty() {
        return match number.unit {
            Some(unit) => {
                let (unit_zh, unit_en) = unit.display;
                tr!(
                    "只写数字 `{leading}`;单位({unit_zh})由键名决定",
                    "write the number alone, `{leading}`: the unit ({unit_en}) is given by the key"
                )
            }
            None => tr!(
                "只写数字 `{leading}`",
                "write the number alone, `{leading}`"
            ),
        };
    }
    if let Some(value) = chinese_numeral(trimmed) {
        return tr!(
            "请用阿拉伯数字书写,如 `{value}`",
            "write the number in digits, such as `{value}`"
        );
    }
    if trimmed
        .chars()
        .any(|c| "零〇一二两三四五六七八九十百千万亿".contains(c))
    {
        return tr!(
            "请用阿拉伯数字书写,如 `40`",
            "write the number in digits, such as `40`"
        );
    }
    tr!(
        "不知道时删除这一项,不要写文字",
        "leave the key out if the value is unknown; do not write text"
    )
}

/// How a plain number is written when it is not in plain decimal: YAML readers disagree on such
/// forms (`012000` is 12000 here, in YAML 1.2, and 5120 in YAML 1.1; `0o17` is 15 in YAML 1.2
/// and text in YAML 1.1), so the same file would say two things to two tools.
#[derive(Debug, PartialEq)]
enum OddNumber {
    /// A zero before other digits (`012000`, `-007`, `00.5`); `0`, `0.5` and `0e3` are plain.
    LeadingZero,
    /// A base named by its prefix (`0x1F`, `0o17`).
    Radix(u32),
    /// `_` between digits (`12_000`): text to yimi, a number to YAML 1.1.
    Separated,
    /// Base 60 (`1:30`): text to yimi, 90 to YAML 1.1.
    Sexagesimal,
}

/// The odd form of `written`, the text of a scalar the YAML reader took for a number.
fn odd_number(written: &str) -> Option<OddNumber> {
    let unsigned = written.strip_prefix(['+', '-']).unwrap_or(written);
    let mut bytes = unsigned.bytes();
    if bytes.next() != Some(b'0') {
        return None;
    }
    match bytes.next() {
        Some(b'x' | b'X') => Some(OddNumber::Radix(16)),
        Some(b'o' | b'O') => Some(OddNumber::Radix(8)),
        Some(b'b' | b'B') => Some(OddNumber::Radix(2)),
        Some(b'0'..=b'9') => Some(OddNumber::LeadingZero),
        _ => None,
    }
}

/// How other YAML readers read a plain scalar that yimi's reader (the YAML 1.2 core schema) takes
/// for text: the form, the number they read when it fits in 128 bits, and whether a YAML 1.1
/// reader (PyYAML, many editors' plug-ins) reads it, or only others (Go's, which also take
/// `0B1`, `0O17`, `-0o17`).
#[derive(Debug, PartialEq)]
pub struct OtherReading {
    form: OddNumber,
    value: Option<String>,
    yaml11: bool,
}

/// What other YAML readers make of the plain text `text`, when they read a number (see
/// [`OtherReading`]): a base prefix with a sign, in capitals, with `_` or in binary (`+0x1F`,
/// `0X1F`, `0x1_F`, `0b101`), `_` between digits (`12_000`, `1_000.5`, `0_17`), or base 60
/// (`1:30`, `190:20:30`, `1:30.5`). Only a whole scalar of such a form: `8:00-18:00`, `v1.2.3`,
/// `2026-12-01` and `A-0b1` are text to every reader. The forms follow YAML 1.1's int and float
/// expressions (PyYAML's, which require a digit before `_`, two base-60 digits at most after a
/// `:`, and the first of two below 6).
pub fn read_as_number_elsewhere(text: &str) -> Option<OtherReading> {
    let (negative, unsigned) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        b'0'..=b'9' | b'.' => (false, text),
        _ => return None,
    };
    let sign = if negative { "-" } else { "" };
    let digits_of = |body: &str, radix: u32| -> Option<String> {
        let digits: String = body.chars().filter(|c| *c != '_').collect();
        let value = i128::from_str_radix(&digits, radix).ok()?;
        Some(format!("{sign}{value}"))
    };
    let bytes = unsigned.as_bytes();
    // A base prefix.
    if let (Some(b'0'), Some(&prefix)) = (bytes.first(), bytes.get(1)) {
        let radix = match prefix {
            b'b' | b'B' => Some(2),
            b'o' | b'O' => Some(8),
            b'x' | b'X' => Some(16),
            _ => None,
        };
        if let Some(radix) = radix {
            let body = unsigned.get(2..)?;
            let valid = body.chars().any(|c| c.is_digit(radix))
                && body.chars().all(|c| c == '_' || c.is_digit(radix));
            return valid.then(|| OtherReading {
                form: OddNumber::Radix(radix),
                value: digits_of(body, radix),
                yaml11: matches!(prefix, b'b' | b'x'),
            });
        }
    }
    if let Some(reading) = sexagesimal(unsigned, sign) {
        return Some(reading);
    }
    if !unsigned.contains('_') {
        return None;
    }
    let is_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let starts_with_digit = unsigned.starts_with(|c: char| c.is_ascii_digit());
    match unsigned.split_once('.') {
        // `0_17`: octal to YAML 1.1, as `017` is.
        None if unsigned.starts_with('0') => {
            let octal = unsigned.bytes().all(|b| matches!(b, b'0'..=b'7' | b'_'));
            octal.then(|| OtherReading {
                form: OddNumber::LeadingZero,
                value: digits_of(unsigned, 8),
                yaml11: true,
            })
        }
        None => (starts_with_digit && is_digits(unsigned)).then(|| OtherReading {
            form: OddNumber::Separated,
            value: digits_of(unsigned, 10),
            yaml11: true,
        }),
        // `1_000.5`, `1_000.5e+3`, `.5_0` (no sign before a leading dot in YAML 1.1).
        Some((whole, rest)) => {
            let (fraction, exponent) = match rest.find(['e', 'E']) {
                Some(at) => (rest.get(..at)?, Some(rest.get(at + 1..)?)),
                None => (rest, None),
            };
            let exponent_ok = exponent.is_none_or(|exponent| {
                exponent.len() > 1
                    && exponent.starts_with(['-', '+'])
                    && exponent.bytes().skip(1).all(|b| b.is_ascii_digit())
            });
            let whole_ok = if whole.is_empty() {
                sign.is_empty()
                    && !text.starts_with('+')
                    && fraction.starts_with(|c: char| c.is_ascii_digit())
            } else {
                starts_with_digit && is_digits(whole)
            };
            (whole_ok && is_digits(fraction) && exponent_ok).then(|| OtherReading {
                form: OddNumber::Separated,
                value: Some(format!("{sign}{}", unsigned.replace('_', ""))),
                yaml11: true,
            })
        }
    }
}

/// `1:30` (90), `190:20:30` (685 230), `1:30.5`: base 60 to YAML 1.1 when each part after a `:`
/// is one digit or two, the first below 6; a whole number starts with 1–9, a fraction with any
/// digit.
fn sexagesimal(unsigned: &str, sign: &str) -> Option<OtherReading> {
    let (body, fraction) = match unsigned.split_once('.') {
        Some((body, fraction)) => (body, Some(fraction)),
        None => (unsigned, None),
    };
    if !body.contains(':') {
        return None;
    }
    let mut parts = body.split(':');
    let first = parts.next()?;
    let later: Vec<&str> = parts.collect();
    let first_ok = match fraction {
        None => first.starts_with(|c: char| matches!(c, '1'..='9')),
        Some(_) => first.starts_with(|c: char| c.is_ascii_digit()),
    } && first.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let later_ok = !later.is_empty()
        && later.iter().all(|part| match part.as_bytes() {
            [digit] => digit.is_ascii_digit(),
            [tens, units] => matches!(tens, b'0'..=b'5') && units.is_ascii_digit(),
            _ => false,
        });
    let fraction_ok = fraction.is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit() || b == b'_'));
    if !(first_ok && later_ok && fraction_ok) {
        return None;
    }
    // `None` past 128 bits: the message then names no number.
    let whole = first
        .replace('_', "")
        .parse::<i128>()
        .ok()
        .and_then(|first| {
            later.iter().try_fold(first, |total, part| {
                total
                    .checked_mul(60)?
                    .checked_add(part.parse::<i128>().ok()?)
            })
        });
    let value = whole.map(|whole| match fraction.map(|f| f.replace('_', "")) {
        Some(f) if !f.is_empty() => format!("{sign}{whole}.{f}"),
        _ => format!("{sign}{whole}"),
    });
    Some(OtherReading {
        form: OddNumber::Sexagesimal,
        value,
        yaml11: true,
    })
}

/// How a number whose first digit is a zero is said to start: with the zero, or with its sign
/// and then the zero (`+012000`).
fn zero_first(written: &str) -> (&'static str, &'static str) {
    if written.starts_with(['+', '-']) {
        ("的第一位数字是 0", "has a zero for its first digit")
    } else {
        ("以 0 开头", "starts with a zero")
    }
}

fn base_zh(base: u32) -> &'static str {
    match base {
        2 => "二",
        8 => "八",
        _ => "十六",
    }
}

/// The message and label for plain text that other YAML readers read as a number: which form,
/// what yimi reads, and what they read when it is known.
fn read_elsewhere_message(
    written: &str,
    form: &OddNumber,
    value: Option<&str>,
    yaml11: bool,
) -> (Text, Text) {
    let quoted = code(written);
    let (form_zh, form_en, label) = match form {
        OddNumber::Radix(base) => (
            format!("是{}进制写法", base_zh(*base)),
            format!("is written in base {base}"),
            tr!("不是十进制", "not decimal"),
        ),
        OddNumber::LeadingZero => {
            let (zh, en) = zero_first(written);
            (
                zh.to_owned(),
                en.to_owned(),
                tr!("开头的 0", "leading zero"),
            )
        }
        OddNumber::Separated => (
            "的数字之间有 `_`".to_owned(),
            "has `_` between its digits".to_owned(),
            tr!("数字分隔符 `_`", "digit separator `_`"),
        ),
        OddNumber::Sexagesimal => (
            "是六十进制写法(如 时:分)".to_owned(),
            "is written in base 60 (as a time is)".to_owned(),
            tr!("六十进制", "base 60"),
        ),
    };
    let (reader_zh, reader_en) = if yaml11 {
        ("按 YAML 1.1 读取的工具", "a YAML 1.1 reader")
    } else {
        ("其他 YAML 工具", "other YAML readers")
    };
    let octal_zh = if *form == OddNumber::LeadingZero {
        "八进制"
    } else {
        ""
    };
    let octal_en = if *form == OddNumber::LeadingZero {
        " octal"
    } else {
        ""
    };
    let message = match value {
        Some(value) => tr!(
            "{quoted} {form_zh}:本工具读作文本 {quoted},{reader_zh}却读作{octal_zh}数 {value}",
            "{quoted} {form_en}: yimi reads the text {quoted}, {reader_en} the{octal_en} number {value}"
        ),
        None => tr!(
            "{quoted} {form_zh}:本工具读作文本,{reader_zh}却读作数",
            "{quoted} {form_en}: yimi reads it as text, {reader_en} as a number"
        ),
    };
    (message, label)
}

/// `written` without the zeros before its first significant digit (`012000` → `12000`, `-00.5`
/// → `-0.5`, `00` → `0`).
fn without_leading_zeros(written: &str) -> String {
    let (sign, unsigned) = match written.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", written.strip_prefix('+').unwrap_or(written)),
    };
    let trimmed = unsigned.trim_start_matches('0');
    let trimmed = if trimmed.is_empty() || !trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("0{trimmed}")
    } else {
        trimmed.to_owned()
    };
    format!("{sign}{trimmed}")
}

/// The value of a plain Chinese numeral below 一亿 (`四十`, `一千二百`, `三万五千`), if `text` is one.
fn chinese_numeral(text: &str) -> Option<u64> {
    let (mut total, mut section, mut digit) = (0u64, 0u64, None::<u64>);
    for c in text.chars() {
        let value = "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .or(match c {
                '〇' => Some(0),
                '两' => Some(2),
                _ => None,
            });
        if let Some(value) = value {
            digit = Some(u64::try_from(value).ok()?);
            continue;
        }
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                section += digit.take().unwrap_or(1) * unit;
            }
            '万' => {
                total = (section + digit.take().unwrap_or(0)) * 10_000;
                section = 0;
            }
            _ => return None,
        }
    }
    if text.is_empty() {
        return None;
    }
    Some(total + section + digit.unwrap_or(0))
}

/// Whether `text` is a jurisdiction path: `CN`, then `/`-separated Latin names.
pub fn is_jurisdiction(text: &str) -> bool {
    let mut parts = text.split('/');
    parts.next() == Some("CN")
        && parts.all(|part| {
            let mut chars = part.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests;
