//! Loading rule packs: the built-in packs embedded in the binary, plus rule files and
//! directories the user names, plus sources the user registers. Parsing and checking happen here,
//! once per process.

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use super::builtin::{BUILTIN, builtin_fixture};
use super::check::{self, Input};
use super::encoding::Lazy;
use super::ir::{Check, Criterion, Expr, LazyCheck, Rule, RuleSet, TargetCheck, Template};
use super::parse::parse_file;
use crate::base::diagnostic::{Diagnostic, Severity, SourceFile};
use crate::base::read::read_bounded;
use crate::base::walk::{self, Entry, Walker};
use crate::sources::corpus::Corpus;
use crate::tr;

/// What to load.
#[derive(Clone, Debug, Default)]
pub struct RuleOptions {
    /// Leave out the built-in packs.
    pub no_builtin: bool,
    /// Rule files or directories of them (`*.yimi`).
    pub paths: Vec<PathBuf>,
    /// Directories of extra sources (each with an `index.yaml`).
    pub sources: Vec<PathBuf>,
    /// Resolve the built-in packs' test fixtures under this directory (the repository's
    /// `rules/`), for `yimi rules test` and `cargo test`.
    pub builtin_dir: Option<PathBuf>,
    /// Let a given pack that declares a built-in pack's id stand in for it, with a warning: for
    /// `rules lint/test` of an edited copy. Elsewhere such a pack is refused, since it would
    /// silently take the built-in rules out of a check (hostile review 14 H7).
    pub replace_builtin: bool,
}

/// Rules that loaded, with the corpus they were checked against and any warnings.
#[derive(Debug)]
pub struct Loaded {
    /// The checked rules.
    pub set: RuleSet,
    /// The sources the user registered, merged with the built-in ones; `None` when there are
    /// none, so that a run that never quotes a source does not build the corpus.
    extra_corpus: Option<Corpus>,
    /// Warnings about the rule files (they loaded nonetheless).
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// The sources: the built-in ones plus those the user registered.
    pub fn corpus(&self) -> &Corpus {
        self.extra_corpus
            .as_ref()
            .unwrap_or_else(|| Corpus::builtin())
    }
}

/// Loads and checks rule packs. Any error in any file fails the whole load, with all errors.
///
/// The built-in packs alone (the common case) come from their compiled form when it matches
/// this build; see [`super::compiled`].
pub fn load(options: &RuleOptions) -> Result<Loaded, Vec<Diagnostic>> {
    let builtin_only =
        !options.no_builtin && options.paths.is_empty() && options.builtin_dir.is_none();
    if builtin_only && let Some(set) = super::compiled::builtin_set() {
        let mut errors = Vec::new();
        let extra_corpus = extra_corpus(options, &mut errors);
        return if errors.is_empty() {
            Ok(Loaded {
                set,
                extra_corpus,
                warnings: Vec::new(),
            })
        } else {
            Err(errors)
        };
    }
    load_from_text(options)
}

/// The built-in sources plus those the user registers, if any; failures go to `errors`.
fn extra_corpus(options: &RuleOptions, errors: &mut Vec<Diagnostic>) -> Option<Corpus> {
    if options.sources.is_empty() {
        return None;
    }
    let mut corpus = Corpus::builtin().clone();
    for dir in &options.sources {
        let file = SourceFile::new(dir.display().to_string(), String::new());
        if !dir.is_dir() {
            let shown = dir.display();
            errors.push(
                Diagnostic::error(
                    "sources::load",
                    &file,
                    0..0,
                    if dir.exists() {
                        tr!(
                            "无法登记来源:`{shown}` 不是目录",
                            "cannot register sources: `{shown}` is not a directory"
                        )
                    } else {
                        tr!(
                            "无法登记来源:`{shown}` 不存在",
                            "cannot register sources: `{shown}` does not exist"
                        )
                    },
                    tr!("", ""),
                )
                .with_help(tr!(
                    "`--sources` 应指向含 `index.yaml` 的目录",
                    "`--sources` takes a directory holding an `index.yaml`"
                )),
            );
            continue;
        }
        match Corpus::load_dir(dir).and_then(|extra| corpus.merged(extra)) {
            Ok(merged) => corpus = merged,
            Err(error) => {
                let message = error.text();
                let (message_zh, message_en) = (&message.zh, &message.en);
                let (file, span) = manifest_place(&error).unwrap_or((file, 0..0));
                errors.push(Diagnostic::error(
                    "sources::load",
                    &file,
                    span,
                    tr!(
                        "无法登记来源:{message_zh}",
                        "cannot register sources: {message_en}"
                    ),
                    tr!("", ""),
                ));
            }
        }
    }
    Some(corpus)
}

/// The manifest a sources error is in and the place in it, so that the message is shown at its
/// line and column; `None` when the error has no place or the manifest cannot be read again.
fn manifest_place(
    error: &crate::sources::corpus::CorpusError,
) -> Option<(Arc<SourceFile>, std::ops::Range<usize>)> {
    let (path, line, column) = error.place()?;
    let bytes = read_bounded(path, crate::base::read::DEFAULT_MAX_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let file = SourceFile::new(path.display().to_string(), text);
    let start = file.offset_of(line.saturating_sub(1), column.saturating_sub(1));
    let end = file.advance(start, 1);
    Some((file, start..end))
}

/// Loads and checks the user's rule packs from their text, with the built-in packs (decoded from
/// their compiled form where they are only the context, see [`load_packs`]).
pub fn load_from_text(options: &RuleOptions) -> Result<Loaded, Vec<Diagnostic>> {
    load_from_text_with(options, &|_| Vec::new())
}

/// Loads as [`load_from_text`], but parses and checks the built-in packs from their text too:
/// what a build whose `rules/builtin.bin` is stale does, and what the benchmark of that cost
/// measures.
pub fn load_all_from_text(options: &RuleOptions) -> Result<Loaded, Vec<Diagnostic>> {
    load_packs(options, &|_| Vec::new(), false)
}

/// Parses and checks the packs from their text, as [`load_from_text`], and adds what `review`
/// finds in a rule set that checked without errors (the lints of a later step) to the warnings,
/// or to the errors when another file failed, so a rule author sees everything at once.
pub fn load_from_text_with(
    options: &RuleOptions,
    review: &dyn Fn(&RuleSet) -> Vec<Diagnostic>,
) -> Result<Loaded, Vec<Diagnostic>> {
    load_packs(options, review, true)
}

/// Loads as [`load_from_text_with`]. With `compiled`, the built-in packs, when they are only the
/// context of the user's packs, come from their compiled form (see [`check::check_after`]): no
/// user pack declares a built-in pack's id, the fixtures are the embedded ones, and
/// `rules/builtin.bin` matches this build. Otherwise they are parsed and checked from their text.
fn load_packs(
    options: &RuleOptions,
    review: &dyn Fn(&RuleSet) -> Vec<Diagnostic>,
    compiled: bool,
) -> Result<Loaded, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let extra_corpus = extra_corpus(options, &mut errors);
    let corpus = extra_corpus.as_ref().unwrap_or_else(|| Corpus::builtin());
    let mut user_inputs = Vec::new();
    let mut walker = Walker::new();
    for path in &options.paths {
        match rule_files(path, &mut walker) {
            Ok(found) => {
                for file in found {
                    match read_rule_file(&file) {
                        Ok(source) => {
                            let (tree, parse_errors) = parse_file(&source);
                            // A file not read as lines (`\r` line ends) has no items to check:
                            // checking it would add "no `pack` header" to the error that says why.
                            let unread = parse_errors.iter().any(|e| e.code == "rules::line-ends");
                            errors.extend(parse_errors);
                            if unread {
                                continue;
                            }
                            user_inputs.push(Input {
                                tree,
                                builtin: false,
                                base_dir: check::base_dir_of(&file),
                            });
                        }
                        Err(error) => errors.push(error),
                    }
                }
            }
            Err(mut found) => errors.append(&mut found),
        }
    }
    // The compiled built-in packs stand before the user's packs only where nothing replaces one
    // of them: a copy takes its pack's place in the load order, which the text below handles.
    let compiled = (compiled && !options.no_builtin && options.builtin_dir.is_none())
        .then(super::compiled::builtin_set)
        .flatten()
        .filter(|set| {
            !user_inputs.iter().any(|input| {
                pack_header(&input.tree)
                    .is_some_and(|header| set.packs.iter().any(|pack| pack.id == header.id.node))
            })
        });
    // A pack that declares a built-in pack's id would take the built-in rules out of the run
    // without a word (a pull request's five-line `pack jilin-2022 {…}` passed every Jilin
    // project). An exact copy changes nothing and stands in quietly; an edited copy is the rule
    // author's draft in `rules lint/test` (a warning) and refused everywhere else.
    let builtin: Vec<_> = if options.no_builtin || compiled.is_some() {
        Vec::new()
    } else {
        super::compiled::builtin_files()
            .map(|file| parse_file(&file))
            .collect()
    };
    let mut replaced: Vec<String> = Vec::new();
    let mut replacement_warnings = Vec::new();
    for input in &user_inputs {
        let Some(header) = pack_header(&input.tree) else {
            continue;
        };
        let id = &header.id.node;
        let Some((original, _)) = builtin
            .iter()
            .find(|(tree, _)| pack_id(tree).as_ref() == Some(id))
        else {
            continue;
        };
        replaced.push(id.clone());
        if input.tree.file.text == original.file.text {
            continue;
        }
        let file = &input.tree.file;
        let span = header.id.span.clone();
        let shown = crate::base::i18n::code(id);
        if options.replace_builtin {
            replacement_warnings.push(Diagnostic::warning(
                "rules::replaces-builtin",
                file,
                span,
                tr!(
                    "本规则包替换内置规则包 {shown}:检查时不会接受它",
                    "this pack replaces the built-in pack {shown}: `check` refuses it"
                ),
                tr!("内置规则包的编号", "a built-in pack's id"),
            ));
        } else {
            errors.push(
                Diagnostic::error(
                    "rules::replaces-builtin",
                    file,
                    span,
                    tr!(
                        "规则包声明了内置规则包 {shown} 的编号,会替换内置规则",
                        "this pack declares the id of the built-in pack {shown} and would replace its rules"
                    ),
                    tr!("内置规则包的编号", "a built-in pack's id"),
                )
                .with_help(tr!(
                    "为本地规则包另取名称;若要只按自己的副本检查,加 `--no-builtin`",
                    "give the local pack a name of its own, or add `--no-builtin` to check against your own copy only"
                )),
            );
        }
    }
    let mut inputs = Vec::new();
    for (tree, parse_errors) in builtin {
        if pack_id(&tree).is_some_and(|id| replaced.contains(&id)) {
            continue;
        }
        errors.extend(parse_errors);
        inputs.push(Input {
            tree,
            builtin: true,
            base_dir: options.builtin_dir.clone(),
        });
    }
    inputs.extend(user_inputs);
    let sources_failed = errors.iter().any(|error| error.code == "sources::load");
    let compiled = compiled.unwrap_or_default();
    let compiled_rules = compiled.rules.len();
    let (mut set, mut diagnostics) = check::check_after(compiled, inputs, corpus);
    if let Some(checked) = set.rules.get_mut(compiled_rules..) {
        relay_checks(checked);
    }
    // A source that could not be registered makes every pack citing it cite an unknown source:
    // the error that says why is enough.
    if sources_failed {
        diagnostics.retain(|diagnostic| diagnostic.code != "rules::unknown-source");
    }
    if !diagnostics.iter().any(|d| d.severity == Severity::Error) {
        diagnostics.extend(review(&set));
    }
    diagnostics.extend(replacement_warnings);
    let (mut check_errors, warnings): (Vec<_>, Vec<_>) = diagnostics
        .into_iter()
        .partition(|d| d.severity == Severity::Error);
    errors.append(&mut check_errors);
    if errors.is_empty() {
        Ok(Loaded {
            set,
            extra_corpus,
            warnings,
        })
    } else {
        errors.extend(warnings);
        Err(errors)
    }
}

/// Each of `rules` (checked from text: their parts are in memory, none is decoded here) with its
/// check built again, in rule order, once the whole set is checked. Built as the checker went,
/// a rule's expression nodes lay among its texts, its written conditions and the syntax trees
/// since freed, so evaluating the rules of a file's packs read a cache line for nearly every
/// node. Built again in three passes (what every evaluated rule reads: its `applies`, `unless`
/// and `let`s; then what only a rule that applies reads: its requirements, where a failure
/// points and what it says; then the boxes that hold them), the nodes a check reads lie
/// together, rule after rule. The copies are equal to what they replace (`Expr::clone`).
fn relay_checks(rules: &mut [Rule]) {
    /// What every evaluated rule reads of its check: its `applies`, `unless` and `let`s.
    type Hot = (Option<Expr>, Vec<Expr>, Vec<(usize, Expr)>);
    /// What only a criterion that applies reads: its requirements, where a failure points and
    /// what it says (`None` for a target).
    type Cold = Option<(Vec<Expr>, Option<Expr>, Option<Template>)>;
    let hot: Vec<Hot> = rules
        .iter()
        .map(|rule| match &*rule.check {
            Check::Criterion(criterion) => (
                criterion.applies.clone(),
                criterion.unless.clone(),
                criterion.lets.clone(),
            ),
            Check::Target(target) => (target.applies.clone(), target.unless.clone(), Vec::new()),
        })
        .collect();
    let cold: Vec<Cold> = rules
        .iter()
        .map(|rule| match &*rule.check {
            Check::Criterion(criterion) => Some((
                (*criterion.require).clone(),
                (*criterion.at).clone(),
                (*criterion.message).clone(),
            )),
            Check::Target(_) => None,
        })
        .collect();
    for ((rule, (applies, unless, lets)), cold) in rules.iter_mut().zip(hot).zip(cold) {
        let check = match (&*rule.check, cold) {
            (Check::Criterion(criterion), Some((require, at, message))) => {
                Check::Criterion(Box::new(Criterion {
                    applies,
                    unless,
                    lets,
                    require: Lazy::new(require),
                    at: Lazy::new(at),
                    message: Lazy::new(message),
                    slots: criterion.slots,
                }))
            }
            (Check::Target(target), _) => Check::Target(TargetCheck {
                indicator: target.indicator,
                comparator: target.comparator,
                threshold: target.threshold,
                year: target.year,
                every_year: target.every_year,
                applies,
                unless,
                slots: target.slots,
            }),
            (Check::Criterion(_), None) => continue,
        };
        rule.check = LazyCheck::new(check);
    }
}

fn pack_id(tree: &super::ast::RuleFile) -> Option<String> {
    pack_header(tree).map(|pack| pack.id.node.clone())
}

fn pack_header(tree: &super::ast::RuleFile) -> Option<&super::ast::PackDecl> {
    tree.items.iter().find_map(|item| match item {
        super::ast::Item::Pack(pack) => Some(pack),
        _ => None,
    })
}

/// The largest rule file read (8 MiB; a built-in pack is under 100 kB).
pub const MAX_RULE_FILE_BYTES: u64 = crate::base::read::DEFAULT_MAX_BYTES;

/// The rule files a path names: the file itself (anything but a directory: a pipe is read too,
/// within the size limit), or the `*.yimi` files under a directory, sorted so that load order
/// (and so output) does not depend on the file system. Each real directory is read once and each
/// real file found once, so a link loop ends.
pub fn rule_files(path: &Path, walker: &mut Walker) -> Result<Vec<PathBuf>, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let file = SourceFile::new(shown.clone(), String::new());
    let metadata = std::fs::metadata(path).map_err(|error| {
        let reason = error.to_string();
        vec![Diagnostic::error(
            "io::read",
            &file,
            0..0,
            tr!(
                "无法读取规则路径 `{shown}`:{reason}",
                "cannot read rule path `{shown}`: {reason}"
            ),
            tr!("", ""),
        )]
    })?;
    if !metadata.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let is_rule_file = |path: &Path| path.extension().is_some_and(|ext| ext == "yimi");
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for entry in walker.walk(path, &metadata, &is_rule_file) {
        match entry {
            // Opening a named pipe would block until something writes to it, and a device may
            // never end: a directory's rule files are read only when they are regular files.
            Entry::File(path, _) if !std::fs::metadata(&path).is_ok_and(|meta| meta.is_file()) => {
                let shown = path.display().to_string();
                errors.push(Diagnostic::error(
                    "io::read",
                    &SourceFile::new(shown.clone(), String::new()),
                    0..0,
                    tr!(
                        "无法读取规则文件 `{shown}`:不是普通文件(如命名管道或设备),不会读取",
                        "cannot read the rule file `{shown}`: not a regular file (such as a named pipe or a device), so it is not read"
                    ),
                    tr!("", ""),
                ));
            }
            Entry::File(path, id) => found.push((path, id)),
            Entry::UnreadableDir(dir, error) => {
                let (shown, reason) = (dir.display().to_string(), error.to_string());
                errors.push(Diagnostic::error(
                    "io::read",
                    &file,
                    0..0,
                    tr!(
                        "无法读取目录 `{shown}`:{reason}",
                        "cannot read directory `{shown}`: {reason}"
                    ),
                    tr!("", ""),
                ));
            }
            // A broken link named like a rule file: reading it says why it cannot be read.
            Entry::Unreadable {
                path, wanted: true, ..
            } => found.push((path, None)),
            Entry::Unreadable { .. } => {}
            // A link out of the pack's directory is not read (it could quote any file of the
            // machine in a message), and a walk is bounded.
            Entry::OutsideLink { .. } | Entry::TooMany { .. } => errors.extend(entry.refusal(None)),
        }
    }
    if errors.is_empty() {
        Ok(walk::sorted_unique(found))
    } else {
        Err(errors)
    }
}

pub fn read_rule_file(path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let shown = path.display().to_string();
    let bytes = read_bounded(path, MAX_RULE_FILE_BYTES).map_err(|error| {
        error.diagnostic(
            &shown,
            &tr!("规则文件", "the rule file"),
            crate::base::read::TooLarge::Help(tr!(
                "规则文件不会这么大:请确认路径,或把规则包分成几个文件",
                "a rule file is never this large: check the path, or split the pack into several files"
            )),
        )
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(SourceFile::new(shown, text)),
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            // Counted from 1, as people count: the first byte is byte 1.
            let byte = at + 1;
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let prefix_len =
                String::from_utf8_lossy(error.as_bytes().get(..at).unwrap_or_default()).len();
            let file = SourceFile::new(shown, lossy);
            Err(Diagnostic::error(
                "io::utf8",
                &file,
                prefix_len..prefix_len + '\u{fffd}'.len_utf8(),
                tr!(
                    "规则文件不是有效的 UTF-8 文本(第 {byte} 字节)",
                    "the rule file is not valid UTF-8 (at byte {byte})"
                ),
                tr!("无效字节", "invalid bytes"),
            )
            .with_help(tr!(
                "以 UTF-8 编码保存规则文件",
                "save the rule file as UTF-8"
            )))
        }
    }
}

/// The committed compiled packs (`rules/builtin.bin`) against the packs checked from text.
#[cfg(test)]
mod compiled {
    use crate::rules::compiled::{COMPILED, FINGERPRINT, STRINGS, builtin_set, decode, encode};
    use crate::rules::load::{RuleOptions, load_from_text};

    const PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/builtin.bin");
    const STRINGS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/builtin.strings");

    /// A rule's check built again (`relay_checks`, which every load from text does) is the
    /// check it replaces: the built-in packs checked from their text twice, one set's checks
    /// built again and compared with the other's, part by part (a requirement, a failure's
    /// place or message, a target's condition left out or altered would show). Not against
    /// `rules/builtin.bin`, which is written from a load that builds the checks again.
    #[test]
    fn checks_built_again_are_the_checks_they_replace() {
        use crate::rules::check::{Input, check_after};
        use crate::rules::ir::{Check, RuleSet};
        let checked = || {
            let inputs = crate::rules::compiled::builtin_files()
                .map(|file| Input {
                    tree: crate::rules::parse::parse_file(&file).0,
                    builtin: true,
                    base_dir: None,
                })
                .collect();
            let (set, errors) = check_after(
                RuleSet::default(),
                inputs,
                crate::sources::corpus::Corpus::builtin(),
            );
            assert!(errors.is_empty(), "{errors:?}");
            set
        };
        let (original, mut relaid) = (checked(), checked());
        super::relay_checks(&mut relaid.rules);
        assert!(original.rules.len() > 300);
        assert_eq!(relaid.rules.len(), original.rules.len());
        let shown = |check: &Check| match check {
            Check::Criterion(criterion) => format!(
                "{:?} {:?} {:?} {:?} {:?} {:?} {}",
                criterion.applies,
                criterion.unless,
                criterion.lets,
                *criterion.require,
                *criterion.at,
                *criterion.message,
                criterion.slots
            ),
            Check::Target(target) => format!("target {target:?}"),
        };
        for (relaid, original) in relaid.rules.iter().zip(&original.rules) {
            assert_eq!(
                shown(&relaid.check),
                shown(&original.check),
                "{}",
                original.id
            );
        }
    }

    #[test]
    fn the_compiled_packs_are_current() {
        let checked = load_from_text(&RuleOptions::default())
            .unwrap_or_else(|errors| panic!("the built-in packs do not load: {errors:?}"));
        assert!(
            checked.warnings.is_empty(),
            "the built-in packs load with warnings: {:?}",
            checked.warnings
        );
        let (bytes, strings) =
            encode(&checked.set, FINGERPRINT).unwrap_or_else(|error| panic!("{error}"));
        if std::env::var_os("UPDATE_COMPILED").is_some() {
            std::fs::write(PATH, &bytes).unwrap_or_else(|error| panic!("{PATH}: {error}"));
            std::fs::write(STRINGS_PATH, &strings)
                .unwrap_or_else(|error| panic!("{STRINGS_PATH}: {error}"));
            return;
        }
        assert!(
            bytes == COMPILED && strings == STRINGS,
            "rules/builtin.bin or rules/builtin.strings is stale: run `UPDATE_COMPILED=1 cargo test --lib compiled`"
        );
        // Decoding loses nothing: what encoding skips is the packs' files, which decoding puts
        // back, and encoding checks that every type is the model's own.
        let decoded = builtin_set().expect("the committed compiled packs decode");
        assert!(encode(&decoded, FINGERPRINT).is_ok_and(|again| again == (bytes, strings)));
        for (decoded, checked) in decoded.packs.iter().zip(&checked.set.packs) {
            assert_eq!(decoded.file.name, checked.file.name);
            assert_eq!(decoded.file.text, checked.file.text);
        }
    }

    #[test]
    fn a_different_fingerprint_or_damaged_bytes_fall_back_to_the_text() {
        let checked = load_from_text(&RuleOptions::default()).expect("the built-in packs load");
        // Leaked: a decoded rule set borrows its rules' parts from the bytes for good.
        let (bytes, strings) = encode(&checked.set, FINGERPRINT).expect("encodes");
        let bytes: &'static [u8] = bytes.leak();
        let strings: &'static str = strings.leak();
        assert!(decode(bytes, strings, FINGERPRINT).is_some());
        assert!(decode(bytes, strings, "0000000000000000").is_none());
        assert!(decode(b"", strings, FINGERPRINT).is_none());
        let cut = bytes.get(..bytes.len() / 2).unwrap_or_default();
        assert!(decode(cut, strings, FINGERPRINT).is_none());
        // Strings of another build (here: one string fewer at the end) are declined as a whole,
        // and so are strings whose fingerprint line is another build's.
        let mut short = strings.to_owned();
        short.pop();
        assert!(decode(bytes, short.leak(), FINGERPRINT).is_none());
        let other: &'static str = strings.replacen(FINGERPRINT, "0000000000000000", 1).leak();
        assert!(decode(bytes, other, FINGERPRINT).is_none());
    }

    /// A user's pack checks alike beside the compiled built-in packs and beside the built-in
    /// packs checked from their text: the same diagnostics at the same places (a rule id that a
    /// built-in rule has is "first defined" at the built-in line, a refinement of a built-in
    /// parameter is checked against it), and the same rule set. The packs are those whose
    /// diagnostics or rules depend on the built-in ones.
    #[test]
    fn user_packs_check_alike_beside_compiled_and_text_packs() {
        use crate::rules::load::load_packs;
        // Stale compiled packs would make both loads check the text.
        assert!(builtin_set().is_some(), "rules/builtin.bin is stale");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let packs = [
            "tests/bad-input/rules/r11-duplicate-rule-id-zh.yimi",
            "tests/bad-input/rules/r16-refine-out-of-scope-zh.yimi",
            "tests/bad-input/rules/r17-refine-unknown-param.yimi",
            "tests/bad-input/rules/r20-unknown-param.yimi",
            "tests/bad-input/rules/r31-duplicate-pack.yimi",
            "tests/bad-input/rules/r33-loosening-refinement-zh.yimi",
            "tests/bad-input/rules/r47-refine-test-names-another-rule-zh.yimi",
            "tests/bad-input/rules/r48-refine-test-several-readers.yimi",
            "tests/fixtures/rules/duplicate-id.yimi",
            "tests/fixtures/rules/changchun-local.yimi",
            "tests/refine/changchun-refined.yimi",
            "tests/refined/pudong-mother-baby.yimi",
        ];
        for pack in packs {
            let options = RuleOptions {
                paths: vec![root.join(pack)],
                ..RuleOptions::default()
            };
            let compiled = summary(load_packs(&options, &|_| Vec::new(), true));
            let text = summary(load_packs(&options, &|_| Vec::new(), false));
            assert_eq!(compiled, text, "{pack}");
        }
    }

    /// What a load gives, in words: the diagnostics, or the rule set and its warnings.
    fn summary(loaded: Result<super::Loaded, Vec<super::Diagnostic>>) -> Vec<String> {
        let said = |diagnostics: &[super::Diagnostic]| -> Vec<String> {
            diagnostics
                .iter()
                .map(|d| {
                    let labels: Vec<_> = d.labels.iter().map(|l| (&l.span, &l.text)).collect();
                    let (line, column) = d
                        .labels
                        .first()
                        .map_or((0, 0), |label| d.file.line_col(label.span.start));
                    format!(
                        "{:?} {} {}:{line}:{column} {:?} {labels:?} {:?} {:?}",
                        d.severity, d.code, d.file.name, d.message, d.help, d.remedy
                    )
                })
                .collect()
        };
        let loaded = match loaded {
            Ok(loaded) => loaded,
            Err(errors) => return said(&errors),
        };
        let set = &loaded.set;
        let mut out = said(&loaded.warnings);
        for pack in &set.packs {
            out.push(format!(
                "pack {} {} {} {} {:?}",
                pack.id, pack.builtin, pack.file.name, pack.jurisdiction, pack.force
            ));
        }
        for rule in &set.rules {
            out.push(format!(
                "rule {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                rule.id,
                rule.pack,
                rule.domain,
                rule.strength,
                rule.span,
                rule.params(),
                rule.cite,
                rule.tests,
                rule.spans,
            ));
        }
        out.extend(set.params.iter().map(|param| format!("{param:?}")));
        out.extend(
            set.indicators
                .iter()
                .map(|indicator| format!("{indicator:?}")),
        );
        out
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
