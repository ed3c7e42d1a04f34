//! Writes synthetic project files for benchmarks and load tests:
//!
//! ```text
//! cargo run --release --example gen -- --count 10000 --out DIR [--seed S] [--scale K]
//! ```
//!
//! The same seed gives byte-identical files (see `yimi::project::generate`).

#[path = "../tests/common/flags.rs"]
mod flags;

use std::path::PathBuf;
use std::process::ExitCode;

use yimi::project::generate::generate;

fn main() -> ExitCode {
    let mut count: usize = 1000;
    let mut out: Option<PathBuf> = None;
    let mut seed: u64 = 1;
    let mut scale: usize = 1;
    if let Err(code) = flags::read(
        "gen --count N --out DIR [--seed S] [--scale K]",
        &mut [
            ("--count", &mut |v| v.parse().map(|v| count = v).is_ok()),
            ("--seed", &mut |v| v.parse().map(|v| seed = v).is_ok()),
            ("--scale", &mut |v| {
                v.parse()
                    .ok()
                    .filter(|&v| v > 0)
                    .map(|v| scale = v)
                    .is_some()
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
    if let Err(error) = std::fs::create_dir_all(&out) {
        eprintln!("error: cannot create `{}`: {error}", out.display());
        return ExitCode::from(2);
    }
    for index in 0..count {
        let file = generate(seed, index, scale);
        let path = out.join(&file.name);
        if let Err(error) = std::fs::write(&path, file.text) {
            eprintln!("error: cannot write `{}`: {error}", path.display());
            return ExitCode::from(2);
        }
    }
    eprintln!(
        "wrote {count} files to {} (seed {seed}, scale {scale})",
        out.display()
    );
    ExitCode::SUCCESS
}
