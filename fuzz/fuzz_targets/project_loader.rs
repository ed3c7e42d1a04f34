//! Project bytes → UTF-8 check, YAML tree with spans, validation against the model, with the
//! default limits and with tight ones; every diagnostic and warning rendered in both languages.
//! Nothing may panic, whatever the bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use yimi::base::i18n::Lang;
use yimi::project::{self, LoadLimits};
use yimi::report::{Style, human};
use yimi::project::yaml;

fuzz_target!(|data: &[u8]| {
    let tight = LoadLimits {
        yaml: yaml::Limits {
            max_depth: 4,
            max_nodes: 64,
        },
        ..LoadLimits::default()
    };
    for limits in [LoadLimits::default(), tight] {
        let diagnostics = match project::load_bytes("fuzz.yaml", data, limits) {
            Ok(project) => project.warnings,
            Err(diagnostics) => diagnostics,
        };
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
    }
});
