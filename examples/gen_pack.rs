//! Writes rule packs and a sources manifest at the size limits, to measure `rules fmt --check`,
//! `rules lint`, `rules coverage` and `check --rules` by hand (#12; see
//! `tests/common/large_pack.rs` for what is written):
//!
//! ```text
//! cargo run --release --example gen_pack -- --out DIR [--rules 20000] [--text-bytes 7500000] [--sentences 1]
//! /usr/bin/time -v yimi rules fmt --check DIR/pack-unformatted
//! /usr/bin/time -v yimi rules lint --sources DIR/sources DIR/pack
//! /usr/bin/time -v yimi rules lint --sources DIR/sources-long DIR/note
//! /usr/bin/time -v yimi rules coverage --sources DIR/sources-long --rules DIR/note
//! /usr/bin/time -v yimi check --rules DIR/note --sources DIR/sources-long DIR/note/project.yaml
//! ```
//!
//! `DIR/sources` holds a short text (the items the pack cites); `DIR/sources-long` the same
//! items up to `--text-bytes`. The same arguments give the same bytes.

#[path = "../tests/common/flags.rs"]
mod flags;
#[path = "../tests/common/large_pack.rs"]
mod large_pack;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut out: Option<PathBuf> = None;
    let mut rules: usize = 20_000;
    let mut text_bytes: usize = 7_500_000;
    let mut sentences: usize = 1;
    if let Err(code) = flags::read(
        "gen_pack --out DIR [--rules N] [--text-bytes B] [--sentences S]",
        &mut [
            ("--rules", &mut |v| v.parse().map(|v| rules = v).is_ok()),
            ("--text-bytes", &mut |v| {
                v.parse().map(|v| text_bytes = v).is_ok()
            }),
            ("--sentences", &mut |v| {
                v.parse().map(|v| sentences = v).is_ok()
            }),
            ("--out", &mut |v| {
                out = Some(PathBuf::from(v));
                true
            }),
        ],
    ) {
        return code;
    }
    let Some(out) = out else {
        eprintln!("error: `--out DIR` is required");
        return ExitCode::from(2);
    };
    // The pack cites the first 200 items of the short text; the long text has the same items.
    let short_items = 200;
    let long = large_pack::text(text_bytes);
    let long_items = large_pack::items(&long);
    let written = (|| -> std::io::Result<()> {
        large_pack::write_sources(
            &out.join("sources"),
            &large_pack::text_of_items(short_items),
        )?;
        large_pack::write_sources(&out.join("sources-long"), &long)?;
        large_pack::write_pack(&out.join("pack"), rules, short_items, false)?;
        large_pack::write_pack(&out.join("pack-unformatted"), rules, short_items, true)?;
        large_pack::write_note_pack(&out.join("note"), long_items, sentences)
    })();
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}
