//! Project bytes → load → assess against the built-in packs (loaded once) → every report format
//! in both languages. Nothing may panic, whatever the bytes.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use yimi::engine::checked::{self, CheckOptions, Checked, CheckedFile};
use yimi::project::date::Date;
use yimi::base::diagnostic::Medium;
use yimi::engine::Options;
use yimi::base::i18n::Lang;
use yimi::project::{self, LoadLimits};
use yimi::report::{self, Format, Style};
use yimi::rules::load::{self, Loaded, RuleOptions};

const FORMATS: [Format; 7] = [
    Format::Human,
    Format::Plain,
    Format::Json,
    Format::Sarif,
    Format::Junit,
    Format::Markdown,
    Format::Html,
];

fn builtin() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| load::load(&RuleOptions::default()).expect("the built-in packs load"))
}

fuzz_target!(|data: &[u8]| {
    let loaded = builtin();
    let today = Date::parse("2026-11-23").expect("a valid date");
    let options = CheckOptions {
        engine: Options {
            strict_evidence: data.first().is_some_and(|byte| byte & 1 == 1),
            as_of: Some(yimi::engine::force::JudgedAt {
                date: today,
                basis: yimi::engine::force::DateBasis::Given,
            }),
            // The second byte picks how drafts and lapsed plans count, so all paths are fuzzed.
            drafts: match data.get(1).map(|byte| byte % 3) {
                Some(1) => yimi::engine::force::Drafts::Binding,
                Some(2) => yimi::engine::force::Drafts::Off,
                _ => yimi::engine::force::Drafts::Advisory,
            },
            lapsed: if data.get(1).is_some_and(|byte| byte & 4 == 4) {
                yimi::engine::force::Lapsed::Binding
            } else {
                yimi::engine::force::Lapsed::Advisory
            },
            ..Options::default()
        },
        ..CheckOptions::default()
    };
    let result = match project::load_bytes("fuzz.yaml", data, LoadLimits::default()) {
        Ok(project) => checked::assess(project, &loaded.set, &options),
        Err(diagnostics) => Checked::Invalid(diagnostics),
    };
    let files = [CheckedFile {
        path: "fuzz.yaml".to_string(),
        result,
    }];
    for lang in [Lang::Zh, Lang::En] {
        let style = Style {
            lang,
            color: false,
            width: 80,
            date: Some(today),
            baseline: None,
            medium: Medium::CommandLine,
            naming: Default::default(),
        };
        for format in FORMATS {
            let _ = report::render(format, &files, &loaded.set, &style);
        }
    }
});
