//! Helpers shared by the integration tests: the built-in rules loaded once, and rendering the
//! way `yimi check` does, with a fixed width, no colour and a fixed date so output is stable.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use yimi::base::i18n::Lang;
use yimi::engine::Options;
use yimi::engine::checked::{CheckOptions, CheckedFile};
use yimi::project::date::Date;
use yimi::report::{self, Format, Style};
use yimi::rules::load::{self, Loaded, RuleOptions};
use yimi::run::batch;

/// The built-in packs, with their test fixtures resolved under `rules/`.
pub fn builtin() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let options = RuleOptions {
            builtin_dir: Some(PathBuf::from("rules")),
            ..RuleOptions::default()
        };
        match load::load(&options) {
            Ok(loaded) => loaded,
            Err(errors) => panic!("the built-in packs do not load: {errors:#?}"),
        }
    })
}

/// The style snapshots are rendered in.
pub fn style(lang: Lang) -> Style {
    Style {
        lang,
        color: false,
        width: 80,
        date: Some(today()),
        baseline: None,
    }
}

/// The date snapshots are taken on (waivers without a decision date are judged against it).
pub fn today() -> Date {
    Date::parse("2026-11-23").expect("a valid date")
}

/// A path relative to the crate root, as a user running `yimi` there would write it.
pub fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .map_or_else(|_| path.to_path_buf(), Path::to_path_buf)
}

/// Checks files against the built-in rules.
pub fn check(paths: &[PathBuf]) -> Vec<CheckedFile> {
    check_with(&builtin().set, paths)
}

/// Checks files against a rule set.
pub fn check_with(set: &yimi::rules::ir::RuleSet, paths: &[PathBuf]) -> Vec<CheckedFile> {
    let options = CheckOptions {
        engine: Options {
            strict_evidence: false,
            as_of: Some(yimi::engine::force::JudgedAt {
                date: today(),
                basis: yimi::engine::force::DateBasis::Given,
            }),
            ..Options::default()
        },
        ..CheckOptions::default()
    };
    let (files, mut unreadable) = batch::collect_files(paths);
    let mut checked = batch::check_files(&files, set, &options);
    checked.append(&mut unreadable);
    checked.sort_by(|a, b| a.path.cmp(&b.path));
    checked
}

/// Renders checked files.
pub fn render(format: Format, files: &[CheckedFile], lang: Lang) -> String {
    report::render(format, files, &builtin().set, &style(lang))
}

/// Renders load diagnostics the way `yimi` prints them.
pub fn render_diagnostics(
    diagnostics: &[yimi::base::diagnostic::Diagnostic],
    lang: Lang,
) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        report::human::diagnostic(&mut out, diagnostic, &style(lang));
    }
    out
}

/// The text a diagnostic underlines first.
pub fn underlined(diagnostic: &yimi::base::diagnostic::Diagnostic) -> &str {
    diagnostic
        .file
        .text
        .get(diagnostic.primary_span())
        .unwrap_or_default()
}
