//! A reader for the block-style YAML that project files are written in, beside saphyr's.
//!
//! saphyr's scanner costs over 200 instructions a byte of a generated project file (a
//! `VecDeque` of tokens, a `String` pushed a character at a time for every scalar, simple-key
//! bookkeeping), most of the cost of loading it. Project files use a small part of YAML: block
//! mappings and lists, one-line plain and quoted scalars, comments, `[]` and `{}`. This reader
//! takes exactly that part, line by line, and builds the tree saphyr's events would build, the
//! same spans and the same count of values; for anything else it gives up ([`None`]) before
//! anything is reported, and [`super::parse_counted`] runs saphyr from the start. It never
//! reports an error itself: a file that is wrong in any way (a duplicate key, a limit passed)
//! is left to saphyr's path, whose messages are the documented ones.
//!
//! What it leaves to saphyr: flow collections with content, anchors, aliases, tags, block
//! scalars, scalars over several lines or with escapes, directives and document markers, tabs
//! and carriage returns anywhere, a byte-order mark, `?` keys, a `-` alone on its line or `- -`,
//! a value on the line after its key, keys spaced from their `:` or over 1 024 bytes, and any
//! indentation that does not line up with a list or mapping already open. Equivalence with
//! saphyr's path is tested on every YAML file of the repository, the generator's files and
//! mutations of them (`tests/yaml_fast.rs`), and asserted by the `project_loader` fuzz target.

use std::borrow::Cow;
use std::ops::Range;

use saphyr_parser::ScalarStyle;

use super::{Entry, Limits, Node, Parsed, SMALL_MAPPING, Value, resolve_scalar};

/// The longest key taken, in bytes: saphyr drops a key candidate more than 1 024 characters
/// before its `:` (and then fails), and a byte is at most a character.
const LONGEST_KEY: usize = 1024;

/// The tree of `text` (a whole file without a byte-order mark), or `None` when the text is
/// outside the subset or wrong in any way.
pub(super) fn parse(text: &str, limits: Limits) -> Option<Parsed> {
    let bytes = text.as_bytes();
    let mut reader = Reader {
        text,
        limits,
        stack: Vec::new(),
        root: None,
        nodes: 0,
    };
    let mut start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'\n' => {
                reader.line(start, i)?;
                start = i + 1;
            }
            // Outside the subset wherever they are: tabs, carriage returns and U+FEFF (which
            // saphyr treats apart); all rare in project files.
            b'\t' | b'\r' => return None,
            0xef if bytes.get(i + 1..i + 3) == Some(&[0xbb, 0xbf][..]) => return None,
            _ => {}
        }
    }
    if start < bytes.len() {
        reader.line(start, bytes.len())?;
    }
    reader.finish()
}

/// An open list or mapping.
struct Frame {
    /// Its column (of its keys or of its `-`).
    col: usize,
    /// A list at the column of the keys of the mapping it is the value of (`key:` then `- a`).
    indentless: bool,
    /// Where its span starts.
    start: usize,
    body: Body,
}

enum Body {
    Seq(Vec<Node>),
    /// The entries, and a key whose value is still to come: its text, span and the offset of
    /// its `:` (where saphyr puts a value that never comes).
    Map(Vec<Entry>, Option<(String, Range<usize>, usize)>),
}

struct Reader<'a> {
    text: &'a str,
    limits: Limits,
    stack: Vec<Frame>,
    root: Option<Node>,
    nodes: usize,
}

/// What follows `- ` or a key's `: `.
enum Content {
    /// Nothing (or a comment).
    Nothing,
    /// A scalar, `[]` or `{}`.
    Value(Node),
    /// `key: …`: a mapping starts.
    Key,
}

impl Reader<'_> {
    fn count(&mut self) -> Option<()> {
        self.nodes = self.nodes.checked_add(1)?;
        (self.nodes <= self.limits.max_nodes).then_some(())
    }

    fn push_frame(&mut self, frame: Frame) -> Option<()> {
        if self.stack.len() >= self.limits.max_depth {
            return None;
        }
        self.count()?;
        self.stack.push(frame);
        Some(())
    }

    /// One line, `start..end` without its `\n`.
    fn line(&mut self, start: usize, end: usize) -> Option<()> {
        let line = self.text.as_bytes().get(start..end)?;
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let at = start + indent;
        let rest = line.get(indent..)?;
        match rest.first() {
            None | Some(b'#') => return Some(()),
            _ => {}
        }
        // Document markers and directives start at the first column.
        if indent == 0 && (rest.starts_with(b"---") || rest.starts_with(b"...")) {
            return None;
        }
        let dash = is_dash(rest);
        // A key waiting for its value: a deeper line opens the value, a `-` at the key's column
        // opens a list there, anything else leaves the value empty.
        let mut opened = false;
        if let Some(Frame {
            col,
            body: Body::Map(_, Some(_)),
            ..
        }) = self.stack.last()
        {
            let col = *col;
            if indent > col || (indent == col && dash) {
                opened = true;
                let frame = Frame {
                    col: indent,
                    indentless: indent == col,
                    start: if dash {
                        self.dash_start(at, end, indent == col)?
                    } else {
                        at
                    },
                    body: if dash {
                        Body::Seq(Vec::new())
                    } else {
                        Body::Map(Vec::new(), None)
                    },
                };
                self.push_frame(frame)?;
            } else {
                self.empty_value()?;
            }
        }
        if !opened {
            while let Some(top) = self.stack.last() {
                if top.col > indent || (top.indentless && top.col == indent && !dash) {
                    self.close()?;
                } else {
                    break;
                }
            }
            match self.stack.last() {
                Some(top) if top.col == indent => {}
                Some(_) => return None,
                None if self.root.is_some() => return None,
                None => {
                    let frame = Frame {
                        col: indent,
                        indentless: false,
                        start: at,
                        body: if dash {
                            Body::Seq(Vec::new())
                        } else {
                            Body::Map(Vec::new(), None)
                        },
                    };
                    self.push_frame(frame)?;
                }
            }
        }
        let is_seq = matches!(self.stack.last()?.body, Body::Seq(_));
        if dash != is_seq {
            return None;
        }
        if dash {
            // `- ` and the item after it.
            let item = at + 1 + count_spaces(rest.get(1..)?);
            match self.content(item, end, true)? {
                Content::Nothing => None,
                Content::Value(node) => self.add(node),
                Content::Key => {
                    let frame = Frame {
                        col: indent + (item - at),
                        indentless: false,
                        start: item,
                        body: Body::Map(Vec::new(), None),
                    };
                    self.push_frame(frame)?;
                    self.key_line(item, end)
                }
            }
        } else {
            self.key_line(at, end)
        }
    }

    /// Where a list opened by the `-` at `at` starts: saphyr starts a list at its own column at
    /// the `-`, and one at its mapping's column where the first item's content starts.
    fn dash_start(&self, at: usize, end: usize, indentless: bool) -> Option<usize> {
        if indentless {
            let rest = self.text.as_bytes().get(at + 1..end)?;
            Some(at + 1 + count_spaces(rest))
        } else {
            Some(at)
        }
    }

    /// `key: …` at `at` in the mapping on top of the stack.
    fn key_line(&mut self, at: usize, end: usize) -> Option<()> {
        let bytes = self.text.as_bytes();
        let (key, key_span) = self.key(at, end)?;
        if key_span.len() > LONGEST_KEY || (key == "<<" && bytes.get(at) == Some(&b'<')) {
            return None;
        }
        let colon = key_span.end;
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        self.count()?;
        let after = colon + 1;
        let value = after + count_spaces(bytes.get(after..end)?);
        if value == after && value < end {
            return None;
        }
        let content = self.content(value, end, false)?;
        let Some(Frame {
            body: Body::Map(entries, pending),
            ..
        }) = self.stack.last_mut()
        else {
            return None;
        };
        match content {
            Content::Nothing => {
                *pending = Some((key, key_span, colon));
                Some(())
            }
            Content::Value(node) => {
                entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                });
                Some(())
            }
            Content::Key => None,
        }
    }

    /// A key at `at`: its text and span (without the `:`).
    fn key(&self, at: usize, end: usize) -> Option<(String, Range<usize>)> {
        let bytes = self.text.as_bytes();
        match bytes.get(at)? {
            quote @ (b'\'' | b'"') => {
                let (text, close) = self.quoted(at, end, *quote)?;
                Some((text.into_owned(), at..close))
            }
            _ => {
                let (stop, colon) = self.plain(at, end)?;
                if !colon || stop == at || bytes.get(stop) != Some(&b':') {
                    return None;
                }
                // Not `resolve_scalar`: a key that reads as a number or `null` is kept as
                // written, which is its plain text.
                Some((self.text.get(at..stop)?.to_owned(), at..stop))
            }
        }
    }

    /// What follows `- ` (`item`) or a key's `: ` at `at`.
    fn content(&mut self, at: usize, end: usize, item: bool) -> Option<Content> {
        let bytes = self.text.as_bytes();
        let Some(&first) = bytes.get(at).filter(|_| at < end) else {
            return Some(Content::Nothing);
        };
        let (node, after) = match first {
            b'#' => return Some(Content::Nothing),
            b'\'' | b'"' => {
                let (text, close) = self.quoted(at, end, first)?;
                if item && bytes.get(close) == Some(&b':') {
                    return Some(Content::Key);
                }
                // The span ends at the closing quote, as the full parser's does (the rest of
                // the line is checked below to hold nothing but blanks and a comment).
                let node = Node {
                    value: Value::Str {
                        text: text.into_owned(),
                        plain: false,
                    },
                    span: at..close,
                    alias: None,
                };
                (node, close)
            }
            b'[' | b'{' => {
                let close = if first == b'[' { b']' } else { b'}' };
                if bytes.get(at + 1) != Some(&close) {
                    return None;
                }
                // An empty list or mapping: a level of its own for the depth limit.
                if self.stack.len() >= self.limits.max_depth {
                    return None;
                }
                self.count()?;
                let value = if first == b'[' {
                    Value::Seq(Vec::new())
                } else {
                    Value::Map(Vec::new())
                };
                // Like a quoted scalar's, saphyr's span of the closing bracket runs on to the
                // end of the line.
                let node = Node {
                    value,
                    span: at..end,
                    alias: None,
                };
                (node, at + 2)
            }
            _ => {
                let (stop, colon) = self.plain(at, end)?;
                if colon {
                    return if item { Some(Content::Key) } else { None };
                }
                let text = self.text.get(at..stop)?;
                let node = Node {
                    value: resolve_scalar(Cow::Borrowed(text), ScalarStyle::Plain),
                    span: at..stop,
                    alias: None,
                };
                self.count()?;
                return Some(Content::Value(node));
            }
        };
        // After a quoted scalar or `[]`: spaces, then the end of the line or a comment.
        let spaces = count_spaces(bytes.get(after..end)?);
        match bytes.get(after + spaces) {
            _ if after + spaces == end => {}
            Some(b'#') if spaces > 0 => {}
            _ => return None,
        }
        if matches!(node.value, Value::Str { .. }) {
            self.count()?;
        }
        Some(Content::Value(node))
    }

    /// A plain scalar from `at`: where it stops (its trailing spaces left out), and whether it
    /// stops at a `:` before a space or the line's end (a key). `None` when it cannot start a
    /// plain scalar here.
    fn plain(&self, at: usize, end: usize) -> Option<(usize, bool)> {
        let bytes = self.text.as_bytes();
        let line = bytes.get(..end)?;
        let first = *line.get(at)?;
        let next = line.get(at + 1).copied();
        match first {
            b'[' | b']' | b'{' | b'}' | b',' | b'*' | b'&' | b'!' | b'|' | b'>' | b'\'' | b'"'
            | b'%' | b'@' | b'`' | b'#' | b'?' | b':' | b' ' => return None,
            b'-' if next.is_none_or(|b| b == b' ') => return None,
            _ => {}
        }
        let mut i = at;
        let mut stop = at;
        while let Some(&b) = line.get(i) {
            match b {
                b':' if line.get(i + 1).is_none_or(|&n| n == b' ') => return Some((stop, true)),
                b'#' if i > at && line.get(i - 1) == Some(&b' ') => break,
                b' ' => {}
                _ => stop = i + 1,
            }
            i += 1;
        }
        // `stop` may be inside a character only if a multi-byte one were cut, which the loop
        // never does: it stops after an ASCII byte or at a character's last byte.
        while !self.text.is_char_boundary(stop) {
            stop += 1;
        }
        Some((stop, false))
    }

    /// A one-line quoted scalar from the quote at `at`: its text and the offset after its
    /// closing quote. `None` for escapes and for one that does not close on its line.
    fn quoted(&self, at: usize, end: usize, quote: u8) -> Option<(Cow<'_, str>, usize)> {
        let bytes = self.text.as_bytes();
        let mut i = at + 1;
        let mut doubled = false;
        loop {
            match *bytes.get(i).filter(|_| i < end)? {
                b'\\' if quote == b'"' => return None,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') && i + 1 < end => {
                    doubled = true;
                    i += 2;
                }
                b if b == quote => break,
                _ => i += 1,
            }
        }
        let inner = self.text.get(at + 1..i)?;
        let text = if doubled {
            Cow::Owned(inner.replace("''", "'"))
        } else {
            Cow::Borrowed(inner)
        };
        Some((text, i + 1))
    }

    /// The key on top of the stack gets an empty value, where saphyr puts it: at its `:`.
    fn empty_value(&mut self) -> Option<()> {
        self.count()?;
        let Some(Frame {
            body: Body::Map(entries, pending),
            ..
        }) = self.stack.last_mut()
        else {
            return None;
        };
        let (key, key_span, colon) = pending.take()?;
        entries.push(Entry {
            key,
            key_span,
            value: Node {
                value: Value::Null,
                span: colon..colon,
                alias: None,
            },
        });
        Some(())
    }

    /// Closes the list or mapping on top of the stack into its parent.
    fn close(&mut self) -> Option<()> {
        if matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map(_, Some(_)),
                ..
            })
        ) {
            self.empty_value()?;
        }
        let frame = self.stack.pop()?;
        let (value, end) = match frame.body {
            Body::Seq(items) => {
                let end = items.last()?.span.end.max(frame.start);
                (Value::Seq(items), end)
            }
            Body::Map(entries, _) => {
                if has_duplicate(&entries) {
                    return None;
                }
                let end = entries.last()?.value.span.end.max(frame.start);
                (Value::Map(entries), end)
            }
        };
        self.add(Node {
            value,
            span: frame.start..end,
            alias: None,
        })
    }

    /// Adds a finished value to the list or mapping on top of the stack, or makes it the root.
    fn add(&mut self, node: Node) -> Option<()> {
        match self.stack.last_mut() {
            None if self.root.is_none() => self.root = Some(node),
            None => return None,
            Some(Frame {
                body: Body::Seq(items),
                ..
            }) => items.push(node),
            Some(Frame {
                body: Body::Map(entries, pending),
                ..
            }) => {
                let (key, key_span, _) = pending.take()?;
                entries.push(Entry {
                    key,
                    key_span,
                    value: node,
                });
            }
        }
        Some(())
    }

    fn finish(mut self) -> Option<Parsed> {
        while !self.stack.is_empty() {
            self.close()?;
        }
        Some(Parsed {
            root: self.root?,
            values: self.nodes,
        })
    }
}

/// A `-` that starts a list item: followed by a space or the line's end.
fn is_dash(rest: &[u8]) -> bool {
    rest.first() == Some(&b'-') && rest.get(1).is_none_or(|&b| b == b' ')
}

fn count_spaces(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|&&b| b == b' ').count()
}

/// Whether two entries have the same key (saphyr's path then reports it).
fn has_duplicate(entries: &[Entry]) -> bool {
    if entries.len() <= SMALL_MAPPING {
        return entries.iter().enumerate().any(|(i, entry)| {
            entries
                .get(..i)
                .is_some_and(|earlier| earlier.iter().any(|e| e.key == entry.key))
        });
    }
    let mut keys: Vec<&str> = entries.iter().map(|entry| entry.key.as_str()).collect();
    keys.sort_unstable();
    keys.windows(2).any(|pair| pair.first() == pair.get(1))
}
