//! Go to definition: a rule id (in a pack, a waiver, a baseline) or a parameter to where its pack
//! writes it, and a citation to its clause in the source text.
//!
//! Built-in packs and the registered sources' texts live inside the binary, not in files an editor
//! can open, so they are written out to a cache directory, one directory per yimi version, and
//! the location points there (the files are rewritten only when their content differs).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use lsp_types::{GotoDefinitionParams, GotoDefinitionResponse, Location, Url};

use super::Server;
use super::analysis::{Kind, pack_location};
use super::position::LineIndex;
use crate::base::diagnostic::SourceFile;
use crate::rules::ir::RuleSet;
use crate::sources::corpus::Source;

/// The cache directory and what this process has already written to it.
pub struct Cache {
    dir: PathBuf,
    written: Mutex<BTreeSet<PathBuf>>,
}

impl Cache {
    /// A cache under `dir` (created when first written to).
    pub fn new(dir: PathBuf) -> Self {
        Cache {
            dir,
            written: Mutex::new(BTreeSet::new()),
        }
    }

    /// The built-in pack written out: `packs/<name>.yimi`.
    pub fn pack(&self, file: &SourceFile) -> Option<Url> {
        let base = file.name.rsplit('/').next().unwrap_or(&file.name);
        self.materialize(&PathBuf::from("packs").join(safe_name(base)), &file.text)
    }

    /// A source's cleaned text written out: `sources/<id>.txt`.
    pub fn source(&self, source: &Source) -> Option<Url> {
        let name = format!("{}.txt", safe_name(&source.id));
        self.materialize(&PathBuf::from("sources").join(name), &source.text)
    }

    fn materialize(&self, relative: &PathBuf, text: &str) -> Option<Url> {
        let path = self.dir.join(relative);
        let mut written = self.written.lock().ok()?;
        if !written.contains(&path) {
            let current = std::fs::read(&path).ok();
            if current.as_deref() != Some(text.as_bytes()) {
                let parent = path.parent()?;
                std::fs::create_dir_all(parent).ok()?;
                // Written beside and renamed, so that another yimi reading it never sees half.
                let partial = path.with_extension(format!("partial-{}", std::process::id()));
                std::fs::write(&partial, text).ok()?;
                std::fs::rename(&partial, &path).ok()?;
            }
            written.insert(path.clone());
        }
        Url::from_file_path(&path).ok()
    }
}

/// Keeps a name to one path component of letters, digits, `-`, `_` and `.`.
fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    cleaned.trim_start_matches('.').to_owned()
}

/// The word under the cursor: ASCII letters, digits, `_`, `-` and `.` (rule ids such as `SH-068a`,
/// paths such as `site.area_m2`, `param.name`), with its byte range.
pub fn word_at(text: &str, offset: usize) -> Option<(std::ops::Range<usize>, &str)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let offset = offset.min(text.len());
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let after = text.get(offset..)?;
    let end = after
        .char_indices()
        .find(|(_, c)| !is_word(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    let word = text.get(start..end)?.trim_matches('.');
    (!word.is_empty()).then_some((start..end, word))
}

/// The clause reference (`§68`, `§一.(一)`) under the cursor on a `cite` or `not_checkable` line,
/// with the source it names (the pack's own for `not_checkable`) and the quote when given.
pub struct ClauseAt {
    /// The source id, if the line names one.
    pub source: Option<String>,
    /// The clause id as written, without `§`.
    pub clause: String,
    /// The quote of a `cite` line.
    pub quote: Option<String>,
}

/// The citation on the cursor's line, when the cursor is on it.
pub fn clause_at(line: &str, column: usize) -> Option<ClauseAt> {
    let trimmed = line.trim_start();
    let words: Vec<&str> = trimmed.split_whitespace().collect();
    match words.first() {
        Some(&"cite") => {
            let source = words.get(1).map(|s| (*s).to_owned());
            let clause = words.get(2)?.strip_prefix('§')?.to_owned();
            let quote = line
                .split_once('"')
                .and_then(|(_, rest)| rest.rsplit_once('"'))
                .map(|(quote, _)| quote.to_owned());
            Some(ClauseAt {
                source,
                clause,
                quote,
            })
        }
        Some(&"not_checkable") => {
            // The `§…` token the cursor is on.
            let mut start = 0;
            for token in line.split(|c: char| c.is_whitespace() || c == ',') {
                let end = start + token.len();
                if column >= start && column <= end && token.starts_with('§') {
                    return Some(ClauseAt {
                        source: None,
                        clause: token.trim_start_matches('§').to_owned(),
                        quote: None,
                    });
                }
                start = end + 1;
            }
            None
        }
        _ => None,
    }
}

/// Answers `textDocument/definition`.
pub fn definition(
    server: &Server,
    params: &GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let position = params.text_document_position_params.position;
    let uri = &params.text_document_position_params.text_document.uri;
    let document = server.readable(uri)?;
    let text = document.text.as_str();
    let index = LineIndex::new(text);
    let offset = index.offset(position);
    let set = document
        .analysis
        .set
        .as_ref()
        .or_else(|| server.loaded().map(|loaded| &loaded.set))?;
    if document.analysis.kind == Kind::Pack {
        let line_number = usize::try_from(index.position(offset).line).ok()?;
        let line_start = index.line_start(line_number);
        let line = index.line(line_number);
        if let Some(found) = clause_at(line, offset.saturating_sub(line_start)) {
            let source = found.source.clone().or_else(|| {
                let name = super::analysis::document_name(uri);
                set.packs
                    .iter()
                    .find(|pack| pack.file.name == name)
                    .map(|pack| pack.source.clone())
            })?;
            return clause_location(server, &source, &found.clause, found.quote.as_deref())
                .map(GotoDefinitionResponse::Scalar);
        }
    }
    let (_, word) = word_at(text, offset)?;
    location_of_name(server, set, word, text, offset).map(GotoDefinitionResponse::Scalar)
}

/// Where a rule id or a parameter (`param.name`, or the name after `param`/`refine`) is written.
fn location_of_name(
    server: &Server,
    set: &RuleSet,
    word: &str,
    text: &str,
    offset: usize,
) -> Option<Location> {
    let param = word.strip_prefix("param.").or_else(|| {
        let line = LineIndex::new(text).line_before(offset);
        let first = line.split_whitespace().next()?;
        matches!(first, "param" | "refine").then_some(word)
    });
    if let Some(name) = param
        && let Some(found) = set.params.iter().find(|param| param.name == name)
    {
        let pack = set.packs.get(found.pack)?;
        return pack_location(server, pack, &found.span);
    }
    let rule = set.rules.iter().find(|rule| rule.id == word)?;
    super::analysis::rule_location(server, set, rule)
}

/// The clause of a source, written out, at the quote when it is found.
pub fn clause_location(
    server: &Server,
    source: &str,
    clause: &str,
    quote: Option<&str>,
) -> Option<Location> {
    let corpus = server.corpus();
    let source = corpus.get(source)?;
    let clause = source.clause(clause)?;
    let span = quote
        .and_then(|quote| source.locate_quote(clause, quote))
        .unwrap_or_else(|| clause.own_range.clone());
    let uri = server.cache.source(source)?;
    let index = LineIndex::new(&source.text);
    Some(Location::new(uri, index.range(&span)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_ids_and_paths() {
        let text = "require site.area_m2 >= 5 and SH-068a";
        let at = text.find("area").unwrap();
        assert_eq!(word_at(text, at).map(|(_, w)| w), Some("site.area_m2"));
        assert_eq!(word_at(text, text.len()).map(|(_, w)| w), Some("SH-068a"));
        assert_eq!(word_at("名称 x", 0), None);
    }

    #[test]
    fn citations_are_found_on_their_lines() {
        let found = clause_at("  cite  jilin-2022 §5 \"推动新建\"", 20).unwrap();
        assert_eq!(found.source.as_deref(), Some("jilin-2022"));
        assert_eq!(found.clause, "5");
        assert_eq!(found.quote.as_deref(), Some("推动新建"));
        let line = "not_checkable §一.(一), §一.(二) \"…\"";
        let second = line.find("§一.(二)").unwrap();
        assert_eq!(clause_at(line, second + 2).unwrap().clause, "一.(二)");
        assert!(clause_at("rule X", 2).is_none());
    }

    #[test]
    fn cache_names_stay_inside_the_cache() {
        assert_eq!(safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_name("shanghai-2023.yimi"), "shanghai-2023.yimi");
    }
}
