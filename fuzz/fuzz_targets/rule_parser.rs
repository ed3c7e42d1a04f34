//! Rule text → parse → check (names, types, units, citations against the built-in corpus) → lint,
//! then every diagnostic rendered in both languages. Nothing may panic, whatever the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use yimi::sources::corpus::Corpus;
use yimi::base::diagnostic::{Severity, SourceFile};
use yimi::base::i18n::Lang;
use yimi::report::{Style, human};
use yimi::rules::check::{self, Input};
use yimi::rules::load::BUILTIN;
use yimi::authoring::lint;
use yimi::rules::parse;

fuzz_target!(|data: &[u8]| {
    // The loader refuses invalid UTF-8 before parsing; only text reaches the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new("fuzz.yimi", text.to_owned());
    let (tree, mut diagnostics) = parse::parse_file(&file);
    let mut inputs = Vec::new();
    // Refinements refer to the built-in packs' parameters: check those against the real packs.
    if text.contains("refine") {
        for (name, builtin) in BUILTIN {
            let file = SourceFile::new(format!("<builtin>/rules/{name}"), *builtin);
            let (tree, _) = parse::parse_file(&file);
            inputs.push(Input {
                tree,
                builtin: true,
                base_dir: None,
            });
        }
    }
    inputs.push(Input {
        tree,
        builtin: false,
        base_dir: None,
    });
    let (set, checked) = check::check(inputs, Corpus::builtin());
    let errors = checked.iter().any(|d| d.severity == Severity::Error);
    diagnostics.extend(checked);
    if !errors {
        diagnostics.extend(lint::lint(&set));
    }
    for lang in [Lang::Zh, Lang::En] {
        let style = Style {
            lang,
            color: false,
            width: 80,
            date: None,
            baseline: None,
            medium: yimi::base::diagnostic::Medium::CommandLine,
            naming: Default::default(),
        };
        let mut out = String::new();
        for diagnostic in &diagnostics {
            human::diagnostic(&mut out, diagnostic, &style);
        }
    }
});
