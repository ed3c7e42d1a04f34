//! A YAML tree that remembers where every value came from.
//!
//! serde gives no spans, so project files are parsed here, once, into [`Node`]s carrying byte
//! spans. Everything later (validation against the model, rule evaluation, reporting) reads this
//! tree. Findings name values by a symbolic [`YamlPath`]; only the report layer turns a path into
//! a span with [`Node::locate`].
//!
//! The parser (saphyr) counts characters; spans here are byte offsets into the file, converted
//! from each marker's character index ([`SourceFile::advance_chars`] from the last marker) so
//! that underlines stay right after Chinese text.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use crate::base::diagnostic::{Diagnostic, Limit, Remedy, SourceFile};
use crate::base::i18n::Text;
use crate::tr;

/// A parsed YAML value with its byte span.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Byte range of the value in the file.
    pub span: Range<usize>,
    /// For a value copied from an anchor by an alias (`*name`): where the alias is. `span` stays
    /// the anchored value, which is where a wrong value must be changed.
    pub alias: Option<Range<usize>>,
}

/// A YAML value, resolved with the YAML 1.2 core schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction or exponent (or too large for `i64`).
    Float(f64),
    /// Text. `plain` is false when the text was quoted or a block scalar: then it is text even if
    /// it looks like a number.
    Str {
        /// The text.
        text: String,
        /// Written without quotes.
        plain: bool,
    },
    /// A list.
    Seq(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<Entry>),
}

/// One `key: value` of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// The key.
    pub key: String,
    /// Byte range of the key.
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node,
}

impl Value {
    /// A short name of the value's kind for messages: `text`, `number`, `list`, …
    pub fn kind_name(&self) -> crate::base::i18n::Text {
        use crate::base::i18n::Text;
        match self {
            Value::Null => Text::new("空值", "null"),
            Value::Bool(_) => Text::new("布尔值", "a boolean"),
            Value::Int(_) | Value::Float(_) => Text::new("数字", "a number"),
            Value::Str { .. } => Text::new("文本", "text"),
            Value::Seq(_) => Text::new("列表", "a list"),
            Value::Map(_) => Text::new("映射", "a mapping"),
        }
    }
}

impl Node {
    /// The value of `key` if this is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|entry| &entry.value)
    }

    /// The entry of `key` if this is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|entry| entry.key == key),
            _ => None,
        }
    }

    /// The node at `path`, if every step exists.
    pub fn at(&self, path: &YamlPath) -> Option<&Node> {
        let mut node = self;
        for segment in &path.segments {
            node = match (segment, &node.value) {
                (Segment::Key(key), _) => node.get(key)?,
                (Segment::Index(index), Value::Seq(items)) => items.get(*index)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// Where to point for `path`: the value itself when it exists; otherwise the key of the
    /// deepest mapping entry that exists on the way (the place the missing value belongs), or
    /// an empty span where the file's keys begin when even the first step is missing.
    pub fn locate(&self, path: &YamlPath) -> Location {
        let mut node = self;
        let mut anchor: Option<Range<usize>> = None;
        for segment in &path.segments {
            let next = match (segment, &node.value) {
                (Segment::Key(key), _) => node.entry(key).map(|entry| {
                    anchor = Some(entry.key_span.clone());
                    &entry.value
                }),
                (Segment::Index(index), Value::Seq(items)) => items.get(*index).inspect(|item| {
                    anchor = Some(item.span.clone());
                }),
                _ => None,
            };
            match next {
                Some(found) => node = found,
                None => {
                    // With no key on the way, point at where the file's own keys begin (a comment
                    // above them is not where a missing key belongs).
                    return Location {
                        span: anchor.unwrap_or(self.span.start..self.span.start),
                        exact: false,
                    };
                }
            }
        }
        // A list or mapping is best pointed at by its key: its own span can run over many lines.
        let span = match (&node.value, anchor) {
            (Value::Seq(_) | Value::Map(_), Some(key))
                if !path
                    .segments
                    .last()
                    .is_some_and(|s| matches!(s, Segment::Index(_))) =>
            {
                key
            }
            _ => node.span.clone(),
        };
        Location { span, exact: true }
    }
}

/// Where a path points in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Byte range to underline.
    pub span: Range<usize>,
    /// False when the value is missing and the span is the place it belongs.
    pub exact: bool,
}

/// One step of a [`YamlPath`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// A mapping key.
    Key(String),
    /// A list index (0-based).
    Index(usize),
}

/// A symbolic location in a project file, such as `facilities[2].places`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YamlPath {
    /// The steps from the root.
    pub segments: Vec<Segment>,
}

impl YamlPath {
    /// The root of the file.
    pub fn root() -> Self {
        YamlPath::default()
    }

    /// This path extended by a key.
    #[must_use]
    pub fn key(&self, key: &str) -> Self {
        let mut path = self.clone();
        path.segments.push(Segment::Key(key.to_owned()));
        path
    }

    /// This path extended by a list index.
    #[must_use]
    pub fn index(&self, index: usize) -> Self {
        let mut path = self.clone();
        path.segments.push(Segment::Index(index));
        path
    }

    /// True for the root path.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }
}

impl fmt::Display for YamlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Key(key) if i == 0 => f.write_str(key)?,
                // Two writes, not `write!`: paths are printed for every comparison a report
                // shows, and formatting arguments cost more than the copy.
                Segment::Key(key) => {
                    f.write_str(".")?;
                    f.write_str(key)?;
                }
                Segment::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

impl serde::Serialize for YamlPath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

pub use crate::base::alias::{ALIAS_REUSE_FLOOR, ALIAS_REUSE_TEXT_FLOOR, AliasReuse, Weight};

/// The flow nesting (`[` and `{`) the YAML reader takes, whatever [`Limits::max_depth`] says:
/// its count of open brackets is one byte.
pub const READER_FLOW_LEVELS: usize = u8::MAX as usize;

/// The largest nesting limit any setting may ask for (`--max-depth`, the editor's `maxDepth`).
/// The tree is freed, copied and walked by recursion, one stack frame a level: 100 000 levels
/// of `- - - …` (200 KB) overflowed the main thread's stack, 30 000 a `--jobs` thread's and
/// `yimi serve`'s (hostile review 16 Y5), so the limit stays far below both.
pub const MAX_DEPTH_LIMIT: usize = 1000;

/// Bounds that keep hostile input from exhausting memory or time.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Deepest nesting of lists and mappings.
    pub max_depth: usize,
    /// Most values in the tree, counting each expansion of an alias.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_depth: 64,
            max_nodes: 200_000,
        }
    }
}

/// A parsed document and how many values it holds.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The root value.
    pub root: Node,
    /// Every value of the tree (scalars, lists and mappings, keys included), each copy made by
    /// an alias counted: what the file stands for once aliases are expanded, and so what
    /// checking it costs. At most [`Limits::max_nodes`], and at most twice the values written
    /// out plus [`ALIAS_REUSE_FLOOR`].
    pub values: usize,
}

/// Parses one YAML document into a [`Node`] tree.
///
/// A byte-order mark is skipped. Errors are located: characters YAML allows only as escapes
/// ([`crate::base::printable`]), syntax errors, tabs used for indentation,
/// an empty file, several documents, duplicate keys, keys that are not text, unsupported tags,
/// aliases that re-use more values than the file writes out (see [`ALIAS_REUSE_FLOOR`]), and
/// input beyond [`Limits`].
pub fn parse(file: &Arc<SourceFile>, limits: Limits) -> Result<Node, Diagnostic> {
    parse_counted(file, limits).map(|parsed| parsed.root)
}

/// [`parse`], also giving the number of values after aliases are expanded.
pub fn parse_counted(file: &Arc<SourceFile>, limits: Limits) -> Result<Parsed, Diagnostic> {
    let bom = checked(file, limits)?;
    // The block-style reader's spans are offsets into the text it reads, which are the file's
    // when there is no byte-order mark (a file with one is left to saphyr).
    if bom == 0
        && let Some(parsed) = fast::parse(&file.text, limits)
    {
        return Ok(parsed);
    }
    Builder::new(file, limits, bom).read()
}

/// [`parse_counted`] with saphyr's reader only. For the differential test and the fuzz target,
/// which compare the two readers.
#[doc(hidden)]
pub fn parse_counted_saphyr(file: &Arc<SourceFile>, limits: Limits) -> Result<Parsed, Diagnostic> {
    let bom = checked(file, limits)?;
    Builder::new(file, limits, bom).read()
}

/// [`parse_counted`] with the block-style reader only: `None` where it declines the file (or
/// the checks before reading refuse it). For the differential test and the fuzz target.
#[doc(hidden)]
pub fn parse_counted_fast(file: &Arc<SourceFile>, limits: Limits) -> Option<Parsed> {
    match checked(file, limits) {
        Ok(0) => fast::parse(&file.text, limits),
        _ => None,
    }
}

/// The checks before either reader: characters YAML refuses raw, a second byte-order mark,
/// and flow collections of more values than the limit. The length of the byte-order mark.
fn checked(file: &Arc<SourceFile>, limits: Limits) -> Result<usize, Diagnostic> {
    // The parser would take a raw control character into a value (#12 E7).
    if let Some(unprintable) = crate::base::printable::first_unprintable(&file.text) {
        return Err(unprintable.diagnostic(file));
    }
    let bom = if file.text.starts_with('\u{feff}') {
        3
    } else {
        0
    };
    let text = file.text.get(bom..).unwrap_or("");
    if bom > 0 && text.starts_with('\u{feff}') {
        // The second mark would become part of the first key.
        return Err(Diagnostic::error(
            "yaml::bom",
            file,
            3..6,
            tr!(
                "文件以两个字节顺序标记开头",
                "the file starts with two byte-order marks"
            ),
            tr!("第二个字节顺序标记", "a second byte-order mark"),
        )
        .with_help(tr!(
            "删除多余的标记(用编辑器另存为“UTF-8 无 BOM”)",
            "remove the extra mark (save the file as UTF-8 without BOM)"
        )));
    }
    // Before the YAML reader: it holds every token of a flow collection while it looks for a
    // key (a one-line `- {a: 1, …}` of 7.8 MB held 1 GB before its first event). Each flow
    // separator parts two values, so a text with more of them than the limit holds too many
    // values; one shorter than the limit cannot, and one under 256 KiB costs the reader little,
    // so neither is scanned (the reader's own count then places the error at the value).
    // Nor is one with no more `,` and `:` in all than the limit, since every separator is one of
    // them: counting bytes costs a fraction of the scan's 30 instructions a byte, which made a
    // 365 kB file refused at its 65th level of nesting cost 15 times a 6-level one.
    if text.len() > limits.max_nodes.max(256 * 1024)
        && text
            .bytes()
            .filter(|&byte| byte == b',' || byte == b':')
            .count()
            > limits.max_nodes
        && let Some(at) = crate::base::flow::values_past(text, limits.max_nodes)
    {
        let at = at.saturating_add(bom);
        return Err(Builder::new(file, limits, bom).too_many_values(at..at.saturating_add(1)));
    }
    Ok(bom)
}

impl<'a> Builder<'a> {
    fn new(file: &'a Arc<SourceFile>, limits: Limits, bom: usize) -> Builder<'a> {
        Builder {
            file,
            bom_chars: usize::from(bom > 0),
            limits,
            frames: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            aliases: AliasReuse::default(),
            root: None,
            documents: 0,
            cursor: std::cell::Cell::new((0, 0)),
        }
    }
}

impl Builder<'_> {
    /// Reads the file (after any byte-order mark) with saphyr.
    fn read(mut self) -> Result<Parsed, Diagnostic> {
        let file = self.file;
        let text = file.text.get(self.bom_chars * 3..).unwrap_or("");
        let mut parser = Parser::new_from_str(text);
        while let Some(event) = parser.next_event() {
            match event {
                Ok((event, span)) => self.event(event, span)?,
                Err(error) => return Err(self.syntax_error(error.marker(), error.info())),
            }
        }
        let values = self.nodes;
        let root = self.root.ok_or_else(|| {
            Diagnostic::error(
                "yaml::empty",
                file,
                0..0,
                tr!("文件为空", "the file is empty"),
                tr!("这里没有任何 YAML 内容", "there is no YAML content here"),
            )
            .with_remedy(Remedy::Template)
        })?;
        Ok(Parsed { root, values })
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        size: Weight,
    },
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Range<usize>)>,
        start: usize,
        anchor: usize,
        size: Weight,
    },
}

struct Builder<'a> {
    file: &'a Arc<SourceFile>,
    bom_chars: usize,
    limits: Limits,
    frames: Vec<Frame>,
    /// Anchored nodes with the number of values each holds (to budget alias expansion).
    anchors: HashMap<usize, (Node, Weight)>,
    nodes: usize,
    /// Values written out and copied so far, for [`ALIAS_REUSE_FLOOR`].
    aliases: AliasReuse,
    root: Option<Node>,
    documents: usize,
    /// The last marker converted to a byte offset: its character index in the file (the BOM
    /// counted), and the offset.
    cursor: std::cell::Cell<(usize, usize)>,
}

/// The most entries of a mapping whose keys are compared pairwise for duplicates; larger
/// mappings sort an index of their keys instead.
const SMALL_MAPPING: usize = 16;

/// The most characters a marker before the last one is converted by walking back from it; a
/// marker further back is found from [`SourceFile::offset_of_char`]'s index, so that no sequence
/// of markers costs more than linear time.
const BACKWARD_WALK: usize = 256;

impl Builder<'_> {
    fn offset(&self, marker: &Marker) -> usize {
        // The marker's index counts characters from the start of the text after the BOM, which
        // is one character. Markers mostly move forward: converting from the last one walks
        // the file once in all, rather than counting each line's characters again for every
        // value on it (a file on one line stays linear too).
        let target = marker.index().saturating_add(self.bom_chars);
        let (index, offset) = self.cursor.get();
        let (index, offset) = if target >= index {
            let (offset, moved) = self.file.advance_chars(offset, target - index);
            (index + moved, offset)
        } else if index - target <= BACKWARD_WALK {
            (target, self.file.retreat_chars(offset, index - target))
        } else {
            let (offset, index) = self.file.offset_of_char(target);
            (index, offset)
        };
        self.cursor.set((index, offset));
        offset
    }

    fn span(&self, span: &Span) -> Range<usize> {
        self.offset(&span.start)..self.offset(&span.end)
    }

    /// Nesting past `--max-depth`, at the list or mapping that opens the level past it.
    fn too_deep(&self, range: Range<usize>) -> Diagnostic {
        let limit = self.limits.max_depth;
        self.error(
            "yaml::too-deep",
            range,
            tr!(
                "嵌套层数超过上限 {limit}",
                "nesting is deeper than the limit of {limit}"
            ),
            tr!("到这里已超过上限", "the limit is exceeded here"),
        )
        .with_help(tr!(
            "项目文件不需要这么深的嵌套",
            "project files never need nesting this deep"
        ))
        .with_remedy(Remedy::Raise(Limit::Depth))
    }

    fn syntax_error(&self, marker: &Marker, info: &str) -> Diagnostic {
        let at = self.offset(marker);
        if info.contains("recursion limit") {
            // The YAML reader looks ahead through flow brackets for a key and stops at its own
            // limit before the builder sees the level past `--max-depth`: the documented message
            // is given at the bracket that opens that level.
            let before = self.file.text.get(..at.saturating_add(1)).unwrap_or("");
            if let Some(open) =
                crate::base::flow::level_start(before, self.limits.max_depth.saturating_add(1))
            {
                return self.too_deep(open..open.saturating_add(1));
            }
            // A nesting limit set above the reader's own: no setting raises that one.
            if let Some(open) = crate::base::flow::level_start(before, READER_FLOW_LEVELS + 1) {
                return self
                    .error(
                        "yaml::too-deep",
                        open..open.saturating_add(1),
                        tr!(
                            "`[` 与 `{{` 嵌套超过 {READER_FLOW_LEVELS} 层,这是 YAML 读取器的上限,不随嵌套层数上限的设置提高",
                            "`[` and `{{` nest more than {READER_FLOW_LEVELS} levels deep, the YAML reader's own limit, which no setting of the nesting limit raises"
                        ),
                        tr!("到这里已超过上限", "the limit is exceeded here"),
                    )
                    .with_help(tr!(
                        "项目文件不需要这么深的嵌套;更深的层次可改用缩进写法",
                        "project files never need nesting this deep; deeper levels can be written as indented blocks"
                    ));
            }
        }
        if info.contains("tab") {
            // The scanner reports where the token began; the tab itself is what the user must fix.
            // It may also stop just after the tab, when the tab is the line's first character.
            let text = &self.file.text;
            let tab = if text.get(..at).is_some_and(|before| before.ends_with('\t')) {
                at - 1
            } else {
                text.get(at..)
                    .and_then(|rest| rest.find('\t'))
                    .map_or(at, |i| at + i)
            };
            return Diagnostic::error(
                "yaml::tab",
                self.file,
                tab..tab + 1,
                tr!(
                    "YAML 缩进不能使用制表符",
                    "tabs are not allowed for indentation in YAML"
                ),
                tr!("这里是一个制表符", "this is a tab character"),
            )
            .with_help(tr!("请改用空格缩进", "indent with spaces instead"));
        }
        let text = &self.file.text;
        if text.get(..at).is_some_and(|before| before.ends_with('\t')) {
            // `key:<tab>value`: the scanner stops after the tab, which is what must change.
            let tab = at - 1;
            return Diagnostic::error(
                "yaml::tab",
                self.file,
                tab..at,
                tr!(
                    "YAML 中这里不能使用制表符",
                    "a tab is not allowed here in YAML"
                ),
                tr!("这里是一个制表符", "this is a tab character"),
            )
            .with_help(tr!("请改用空格", "use a space instead"));
        }
        if let Some(diagnostic) = self.unclosed_flow(at, info) {
            return diagnostic;
        }
        if info.contains("simple key expect ':'") {
            return self.key_without_colon(at, info);
        }
        if info.contains("unknown anchor") {
            let name: String = text
                .get(at..)
                .unwrap_or_default()
                .chars()
                .skip(1)
                .take_while(|c| !c.is_whitespace() && !",[]{}".contains(*c))
                .collect();
            let end = at + 1 + name.len();
            return Diagnostic::error(
                "yaml::alias",
                self.file,
                at..end,
                tr!(
                    "别名 `*{name}` 没有对应的锚点 `&{name}`",
                    "alias `*{name}` refers to no anchor `&{name}`"
                ),
                tr!("未定义的别名", "undefined alias"),
            )
            .with_help(tr!(
                "先用 `&{name}` 定义锚点再用 `*{name}` 引用,或直接写出值",
                "define the anchor with `&{name}` before `*{name}`, or write the value itself"
            ));
        }
        let (message, label, help) = explain_syntax(info);
        let end = self
            .file
            .text
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .map_or(at, |c| at + c.len_utf8());
        let mut diagnostic = Diagnostic::error("yaml::syntax", self.file, at..end, message, label);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        diagnostic
    }

    /// A syntax error inside `[…]` or `{…}` that is open: almost always a missing `]` or `}`,
    /// which the scanner notices only at the next line or the end of the file. The bracket that
    /// is not closed is what gets underlined.
    fn unclosed_flow(&self, at: usize, info: &str) -> Option<Diagnostic> {
        let about_flow = info.contains("flow sequence")
            || info.contains("flow mapping")
            || info.contains("did not find expected ',' or")
            || info.contains("illegal placement of ':'")
            || info.contains("end of stream");
        if !about_flow || info.contains("quoted scalar") {
            return None;
        }
        let (start, bracket) = self.frames.iter().rev().find_map(|frame| {
            let start = match frame {
                Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
            };
            match self.file.text.get(start..)?.chars().next()? {
                '[' => Some((start, '[')),
                '{' => Some((start, '{')),
                _ => None,
            }
        })?;
        let close = if bracket == '[' { ']' } else { '}' };
        let mut diagnostic = Diagnostic::error(
            "yaml::syntax",
            self.file,
            start..start + 1,
            Text::new(
                format!("YAML 语法错误:`{bracket}` 没有闭合"),
                format!("invalid YAML: unclosed `{bracket}` ({info})"),
            ),
            Text::new(
                format!("这个 `{bracket}` 没有对应的 `{close}`"),
                format!("this `{bracket}` has no matching `{close}`"),
            ),
        )
        .with_help(Text::new(
            format!("在这一项的末尾补上 `{close}`"),
            format!("add the `{close}` at the end of the item"),
        ));
        let at_end = self
            .file
            .text
            .get(at..)
            .is_none_or(|rest| rest.trim().is_empty());
        if !at_end && at > start {
            let end = self
                .file
                .text
                .get(at..)
                .and_then(|rest| rest.chars().next())
                .map_or(at, |c| at + c.len_utf8());
            diagnostic = diagnostic.with_label(
                at..end,
                Text::new(
                    format!("读到这里仍未找到 `{close}`"),
                    "still open here".to_owned(),
                ),
            );
        }
        Some(diagnostic)
    }

    /// `simple key expect ':'`: a key whose `:` is missing. The scanner notices on the next
    /// line; the key is on the last line before it that holds anything.
    fn key_without_colon(&self, at: usize, info: &str) -> Diagnostic {
        let text = &self.file.text;
        let line_start = text.get(..at).and_then(|before| before.rfind('\n'));
        let mut span = at..at;
        if let Some(mut end) = line_start {
            while let Some(start) = text
                .get(..end)
                .map(|before| before.rfind('\n').map_or(0, |i| i + 1))
            {
                let line = text.get(start..end).unwrap_or_default();
                let trimmed = line.trim();
                if !trimmed.is_empty() && !trimmed.starts_with('#') {
                    let indent = line.len() - line.trim_start().len();
                    let content = line.trim_end();
                    span = start + indent..start + content.len();
                    break;
                }
                if start == 0 {
                    break;
                }
                end = start - 1;
            }
        }
        Diagnostic::error(
            "yaml::syntax",
            self.file,
            span,
            Text::new(
                "YAML 语法错误:键后面缺少 `:`".to_owned(),
                format!("invalid YAML: a key without `:` ({info})"),
            ),
            tr!("这一行缺少 `:`", "this line has no `:`"),
        )
        .with_help(tr!(
            "写成 `键: 值`,冒号后加一个空格",
            "write `key: value`, with a space after the colon"
        ))
    }

    fn error(
        &self,
        code: &'static str,
        span: Range<usize>,
        message: crate::base::i18n::Text,
        label: crate::base::i18n::Text,
    ) -> Diagnostic {
        Diagnostic::error(code, self.file, span, message, label)
    }

    fn count(&mut self, added: usize, span: &Range<usize>) -> Result<(), Diagnostic> {
        self.nodes = self.nodes.saturating_add(added);
        if self.nodes > self.limits.max_nodes {
            return Err(self.too_many_values(span.clone()));
        }
        Ok(())
    }

    /// The file holds more values than [`Limits::max_nodes`]; `span` is where that shows.
    fn too_many_values(&self, span: Range<usize>) -> Diagnostic {
        let limit = self.limits.max_nodes;
        self.error(
            "yaml::too-many-values",
            span,
            tr!(
                "文件包含的值超过上限 {limit} 个",
                "the file holds more than {limit} values"
            ),
            tr!("到这里已超过上限", "the limit is exceeded here"),
        )
        .with_help(tr!(
            "这通常来自很长的列表或映射,或别名(`*name`)的层层展开",
            "this comes from a very long list or mapping, or from aliases (`*name`) expanding each other"
        ))
        .with_remedy(Remedy::Raise(Limit::Values))
    }

    /// Counts the values an alias copies, refusing an alias bomb at the alias that makes the
    /// copies outnumber the values written out before it (and [`ALIAS_REUSE_FLOOR`]): past
    /// that, a few bytes stand for many values and the file costs far more to check than its
    /// size says.
    fn reuse(&mut self, size: Weight, span: &Range<usize>) -> Result<(), Diagnostic> {
        if self.aliases.reuse(size) {
            return Ok(());
        }
        let name = self
            .file
            .text
            .get(span.clone())
            .unwrap_or_default()
            .trim_start_matches('*');
        let (message, help) = self.aliases.refusal(name);
        Err(self
            .error(
                "yaml::alias-expansion",
                span.clone(),
                message,
                tr!("展开到这里超过上限", "the limit is passed here"),
            )
            .with_help(help))
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), Diagnostic> {
        let range = self.span(&span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(self
                        .error(
                            "yaml::several-documents",
                            range,
                            tr!("文件包含多个 YAML 文档", "the file holds more than one YAML document"),
                            tr!("第二个文档从这里开始", "a second document starts here"),
                        )
                        .with_help(tr!(
                            "每个项目使用一个文件;删除 `---` 或把文档拆成多个文件",
                            "use one file per project: remove the `---` or split the documents into files"
                        )));
                }
                Ok(())
            }
            Event::Scalar(text, style, anchor, tag) => {
                let bytes = text.len();
                let value = match tag {
                    None => resolve_scalar(text, style),
                    Some(tag) if tag.is_yaml_core_schema() && tag.suffix == "str" => Value::Str {
                        text: text.into_owned(),
                        plain: false,
                    },
                    Some(tag) => {
                        return Err(self
                            .error(
                                "yaml::tag",
                                range,
                                tr!(
                                    "不支持 YAML 标签 `{tag}`",
                                    "YAML tag `{tag}` is not supported"
                                ),
                                tr!("带标签的值", "tagged value"),
                            )
                            .with_help(tr!(
                                "删除标签,直接写值",
                                "remove the tag and write the value itself"
                            )));
                    }
                };
                self.count(1, &range)?;
                self.aliases.write(bytes);
                // saphyr's span of a quoted scalar runs on over the blanks and the comment after
                // it, to the end of the line: a finding's underline, and the value it quotes,
                // end at the closing quote.
                let span = match style {
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        let end = after_closing_quote(&self.file.text, range.start, range.end)
                            .unwrap_or(range.end);
                        range.start..end
                    }
                    _ => range,
                };
                let node = Node {
                    value,
                    span,
                    alias: None,
                };
                if anchor > 0 {
                    self.anchors
                        .insert(anchor, (node.clone(), Weight::scalar(bytes)));
                }
                self.push(node, Weight::scalar(bytes))
            }
            Event::Alias(anchor) => {
                let Some((node, size)) = self.anchors.get(&anchor).cloned() else {
                    let inside = self.frames.iter().any(|frame| match frame {
                        Frame::Seq { anchor: open, .. } | Frame::Map { anchor: open, .. } => {
                            *open == anchor
                        }
                    });
                    if inside {
                        return Err(self.error(
                            "yaml::alias",
                            range,
                            tr!(
                                "别名指向包含它自身的值",
                                "alias refers to the value that contains it"
                            ),
                            tr!("自我引用的别名", "self-referencing alias"),
                        ));
                    }
                    return Err(self.error(
                        "yaml::alias",
                        range,
                        tr!(
                            "别名指向未定义的锚点",
                            "alias refers to an anchor that is not defined"
                        ),
                        tr!("未定义的别名", "undefined alias"),
                    ));
                };
                self.reuse(size, &range)?;
                self.count(size.values, &range)?;
                // The copy keeps the anchored value's spans: a finding on it points at the
                // definition, which is where the user must change it; `alias` says where it is
                // used.
                let node = Node {
                    alias: Some(range),
                    ..node
                };
                self.push(node, size)
            }
            Event::SequenceStart(anchor, tag) => self.open(anchor, tag.is_some(), range, true),
            Event::MappingStart(anchor, tag) => self.open(anchor, tag.is_some(), range, false),
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.frames.pop() else {
                    return Ok(());
                };
                let (node, anchor, size) = match frame {
                    Frame::Seq {
                        items,
                        start,
                        anchor,
                        size,
                    } => {
                        let end = items
                            .last()
                            .map_or(range.end, |item| item.span.end.max(start));
                        let end = if range.end > range.start {
                            range.end
                        } else {
                            end
                        };
                        (
                            Node {
                                value: Value::Seq(items),
                                span: start..end,
                                alias: None,
                            },
                            anchor,
                            size,
                        )
                    }
                    Frame::Map {
                        entries,
                        start,
                        anchor,
                        size,
                        ..
                    } => {
                        self.check_duplicates(&entries)?;
                        let end = entries
                            .last()
                            .map_or(range.end, |entry| entry.value.span.end.max(start));
                        let end = if range.end > range.start {
                            range.end
                        } else {
                            end
                        };
                        (
                            Node {
                                value: Value::Map(entries),
                                span: start..end,
                                alias: None,
                            },
                            anchor,
                            size,
                        )
                    }
                };
                if anchor > 0 {
                    self.anchors.insert(anchor, (node.clone(), size));
                }
                self.push(node, size)
            }
        }
    }

    fn open(
        &mut self,
        anchor: usize,
        tagged: bool,
        range: Range<usize>,
        is_seq: bool,
    ) -> Result<(), Diagnostic> {
        if tagged {
            return Err(self
                .error(
                    "yaml::tag",
                    range,
                    tr!("不支持 YAML 标签", "YAML tags are not supported"),
                    tr!("带标签的值", "tagged value"),
                )
                .with_help(tr!(
                    "删除标签,直接写值",
                    "remove the tag and write the value itself"
                )));
        }
        if self.frames.len() >= self.limits.max_depth {
            return Err(self.too_deep(range));
        }
        self.count(1, &range)?;
        self.aliases.write(0);
        let start = range.start;
        self.frames.push(if is_seq {
            Frame::Seq {
                items: Vec::new(),
                start,
                anchor,
                size: Weight::scalar(0),
            }
        } else {
            Frame::Map {
                entries: Vec::new(),
                key: None,
                start,
                anchor,
                size: Weight::scalar(0),
            }
        });
        Ok(())
    }

    /// Adds a finished node to the open list or mapping, or makes it the document's root.
    fn push(&mut self, node: Node, node_size: Weight) -> Result<(), Diagnostic> {
        let wants_key = matches!(self.frames.last(), Some(Frame::Map { key: None, .. }));
        if wants_key {
            if matches!(&node.value, Value::Str { text, plain: true } if text == "<<") {
                return Err(self
                    .error(
                        "yaml::merge-key",
                        node.span,
                        tr!(
                            "不支持 YAML 合并键 `<<`",
                            "YAML merge keys (`<<`) are not supported"
                        ),
                        tr!("合并键", "merge key"),
                    )
                    .with_help(tr!(
                        "把要合并的键逐一写出来",
                        "write the keys out in this mapping"
                    )));
            }
            let key = self.key_text(node)?;
            if let Some(Frame::Map {
                key: slot, size, ..
            }) = self.frames.last_mut()
            {
                size.add(node_size);
                *slot = Some(key);
            }
            return Ok(());
        }
        match self.frames.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, size, .. }) => {
                size.add(node_size);
                items.push(node);
            }
            Some(Frame::Map {
                entries, key, size, ..
            }) => {
                size.add(node_size);
                if let Some((key, key_span)) = key.take() {
                    entries.push(Entry {
                        key,
                        key_span,
                        value: node,
                    });
                }
            }
        }
        Ok(())
    }

    /// A mapping key as text: scalars are keys as written; lists and mappings are refused.
    fn key_text(&self, node: Node) -> Result<(String, Range<usize>), Diagnostic> {
        match node.value {
            Value::Str { text, .. } => Ok((text, node.span)),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null => {
                let text = self
                    .file
                    .text
                    .get(node.span.clone())
                    .unwrap_or_default()
                    .to_owned();
                Ok((text, node.span))
            }
            Value::Seq(_) | Value::Map(_) => Err(self
                .error(
                    "yaml::complex-key",
                    node.span,
                    tr!("映射的键必须是文本", "mapping keys must be plain text"),
                    tr!("这个键是列表或映射", "this key is a list or a mapping"),
                )
                .with_help(tr!(
                    "项目文件只使用 `名称: 值` 形式的键",
                    "project files only use keys of the form `name: value`"
                ))),
        }
    }

    /// Rejects the second occurrence of a key, pointing at both.
    fn check_duplicates(&self, entries: &[Entry]) -> Result<(), Diagnostic> {
        let duplicate = if entries.len() <= SMALL_MAPPING {
            // A project file's mappings are small: comparing each key with those before it
            // allocates nothing, where sorting an index of the entries did for every mapping.
            entries
                .iter()
                .enumerate()
                .skip(1)
                .find_map(|(second, entry)| {
                    entries
                        .get(..second)?
                        .iter()
                        .position(|earlier| earlier.key == entry.key)
                        .map(|first| (first, second))
                })
        } else {
            // Large mappings sort an index, in n log n: a hostile file of 100 000 keys must not
            // cost the square of that.
            let mut order: Vec<usize> = (0..entries.len()).collect();
            order.sort_by(|&a, &b| entries[a].key.cmp(&entries[b].key).then(a.cmp(&b)));
            let mut duplicate: Option<(usize, usize)> = None;
            for pair in order.windows(2) {
                if let [first, second] = *pair
                    && entries[first].key == entries[second].key
                    && duplicate.is_none_or(|(_, d)| second < d)
                {
                    duplicate = Some((first, second));
                }
            }
            duplicate
        };
        let Some((first, second)) = duplicate else {
            return Ok(());
        };
        let key = &entries[second].key;
        Err(self
            .error(
                "yaml::duplicate-key",
                entries[second].key_span.clone(),
                tr!("键 `{key}` 重复", "duplicate key `{key}`"),
                tr!("又出现一次", "defined again here"),
            )
            .with_label(
                entries[first].key_span.clone(),
                tr!("第一次出现在这里", "first defined here"),
            )
            .with_help(tr!(
                "每个键只能出现一次;合并两处内容或删除其中一处",
                "each key may appear once: merge the two or delete one"
            )))
    }
}

/// Resolves a scalar with the YAML 1.2 core schema: only plain scalars can be null, booleans or
/// numbers; `yes`/`no` and dates stay text (the validator interprets them against the model).
/// The offset just past the closing quote of the quoted scalar whose opening quote is at `start`,
/// looked for before `end`; `None` when `start` holds no quote or the quote is not closed there.
/// Only ASCII bytes are compared, so the offset is always a character boundary.
pub(crate) fn after_closing_quote(text: &str, start: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes().get(start..end)?;
    let quote = *bytes
        .first()
        .filter(|quote| matches!(quote, b'"' | b'\''))?;
    let mut at = 1;
    while let Some(&byte) = bytes.get(at) {
        // A backslash escapes the next byte in double quotes; two single quotes are one.
        let escaped = (quote == b'"' && byte == b'\\')
            || (quote == b'\'' && byte == quote && bytes.get(at + 1) == Some(&b'\''));
        if escaped {
            at += 2;
        } else if byte == quote {
            return Some(start + at + 1);
        } else {
            at += 1;
        }
    }
    None
}

fn resolve_scalar(text: Cow<'_, str>, style: ScalarStyle) -> Value {
    // The parser hands over text it built (an owned string): moved, not copied.
    if style != ScalarStyle::Plain {
        return Value::Str {
            text: text.into_owned(),
            plain: false,
        };
    }
    match text.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    // Only a scalar that starts like a number can be one: most of a project file's scalars are
    // names and text, which skip the number checks.
    if !text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return Value::Str {
            text: text.into_owned(),
            plain: true,
        };
    }
    if is_integer(&text) {
        return text
            .parse::<i64>()
            .map(Value::Int)
            .or_else(|_| text.parse::<f64>().map(Value::Float))
            .unwrap_or_else(|_| Value::Str {
                text: text.into_owned(),
                plain: true,
            });
    }
    if let Some(hex) = text.strip_prefix("0x")
        && let Ok(value) = i64::from_str_radix(hex, 16)
    {
        return Value::Int(value);
    }
    if let Some(octal) = text.strip_prefix("0o")
        && let Ok(value) = i64::from_str_radix(octal, 8)
    {
        return Value::Int(value);
    }
    if is_float(&text)
        && let Ok(value) = text.parse::<f64>()
    {
        return Value::Float(value);
    }
    Value::Str {
        text: text.into_owned(),
        plain: true,
    }
}

fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(fraction) => {
            digits(whole) && digits(fraction) && !(whole.is_empty() && fraction.is_empty())
        }
        None => !whole.is_empty() && digits(whole),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// A message, label and hint in both languages for the scanner's terse English messages. The
/// scanner's own words stay in the English message, where they help a YAML expert.
fn explain_syntax(
    info: &str,
) -> (
    crate::base::i18n::Text,
    crate::base::i18n::Text,
    Option<crate::base::i18n::Text>,
) {
    let known = |zh: &str, en: &str| {
        Text::new(
            format!("YAML 语法错误:{zh}"),
            format!("invalid YAML: {en} ({info})"),
        )
    };
    if info.contains("escape") {
        return (
            known("转义序列无效", "invalid escape sequence"),
            Text::new(
                "这个转义不是合法的 Unicode 字符(如单独的代理项 `\\uD800`)",
                "this escape is not a valid Unicode character (such as a lone surrogate `\\uD800`)",
            ),
            Some(Text::new(
                "直接写出字符,或使用 `\\u` 加一个合法的码位",
                "write the character itself, or a `\\u` escape of a valid code point",
            )),
        );
    }
    if info.contains("quoted scalar") {
        return (
            known("引号没有闭合", "unclosed quote"),
            Text::new("引号从这里开始,但没有闭合", "this quote is never closed"),
            Some(Text::new(
                "在值的末尾补上相同的引号",
                "add the matching quote at the end of the value",
            )),
        );
    }
    if info.contains("mapping values are not allowed") {
        return (
            known("这里不能出现 `:`", "a `:` is not allowed here"),
            Text::new("这里不能再出现 `:`", "a `:` is not allowed here"),
            Some(Text::new(
                "一行只能有一个 `键: 值`;含冒号的文本请加引号",
                "one `key: value` per line; quote text that contains a colon",
            )),
        );
    }
    if info.contains("did not find expected '-'") || info.contains("did not find expected key") {
        return (
            known("缩进不一致", "inconsistent indentation"),
            Text::new(
                "缩进与上一行不一致",
                "the indentation does not match the lines above",
            ),
            Some(Text::new(
                "同一列表或映射中的各项必须左对齐",
                "items of one list or mapping must start in the same column",
            )),
        );
    }
    if info.contains("flow sequence")
        || info.contains("flow mapping")
        || info.contains("did not find expected ',' or")
    {
        return (
            known("方括号或花括号没有闭合", "unclosed bracket or brace"),
            Text::new(
                "方括号或花括号没有正确闭合",
                "a bracket or brace is not closed properly",
            ),
            Some(Text::new(
                "检查 `[`/`]` 和 `{`/`}` 是否成对",
                "check that every `[` and `{` has its `]` and `}`",
            )),
        );
    }
    if info.contains("unexpected character") {
        return (
            known(
                "这个字符不能作为键或值的开头",
                "this character cannot start a key or value",
            ),
            Text::new("不能出现在开头", "cannot start a key or value"),
            Some(Text::new(
                "以 `@`、`%` 等 YAML 保留字符开头的文本要加引号",
                "quote text that starts with `@`, `%` or another character YAML reserves",
            )),
        );
    }
    if info.contains("recursion limit") {
        return (
            known("嵌套过深", "nested too deeply"),
            Text::new("嵌套过深", "nested too deeply"),
            Some(Text::new(
                "项目文件不需要这么深的嵌套",
                "project files never need nesting this deep",
            )),
        );
    }
    (
        Text::new(
            format!("YAML 语法错误:{info}"),
            format!("invalid YAML: {info}"),
        ),
        Text::new("在这里", "here"),
        None,
    )
}

mod fast;
#[cfg(test)]
mod tests;
