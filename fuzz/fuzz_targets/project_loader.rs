//! Project bytes → UTF-8 check, YAML tree with spans, validation against the model, with the
//! default limits and with tight ones; every diagnostic and warning rendered in both languages.
//! Nothing may panic, whatever the bytes. Where the block-style YAML reader takes the text, it
//! gives exactly saphyr's tree (every span) and count of values, and saphyr's reader succeeds.

#![no_main]

use libfuzzer_sys::fuzz_target;
use yimi::base::diagnostic::SourceFile;
use yimi::base::i18n::Lang;
use yimi::project::yaml;
use yimi::project::{self, LoadLimits};
use yimi::report::{Style, human};

/// The block-style reader declines `text` or agrees with saphyr's.
fn same_as_saphyr(text: &str, limits: yaml::Limits) {
    let file = SourceFile::new("fuzz.yaml", text.to_owned());
    if let Some(fast) = yaml::parse_counted_fast(&file, limits) {
        match yaml::parse_counted_saphyr(&file, limits) {
            // Debug, not `==`: a `.nan` is not equal to itself.
            Ok(slow) => {
                assert_eq!(format!("{:?}", fast.root), format!("{:?}", slow.root));
                assert_eq!(fast.values, slow.values);
            }
            Err(error) => panic!(
                "the block-style reader took a text saphyr refuses: {}",
                error.message.en
            ),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let tight = LoadLimits {
        yaml: yaml::Limits {
            max_depth: 4,
            max_nodes: 64,
        },
        ..LoadLimits::default()
    };
    for limits in [LoadLimits::default(), tight] {
        if let Ok(text) = std::str::from_utf8(data) {
            same_as_saphyr(text, limits.yaml);
        }
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
