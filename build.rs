//! Embeds the built-in packs' test fixtures (`rules/tests/**.yaml`) so that an installed `yimi`
//! can run `rules test` and show examples in `explain` without the source tree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|ext| ext == "yaml") {
            found.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let tests = root.join("rules").join("tests");
    println!("cargo:rerun-if-changed={}", tests.display());
    let mut found = Vec::new();
    collect(&tests, &mut found);
    found.sort();
    let mut code = String::from(
        "/// The built-in packs' fixtures: (path relative to `rules/`, text).\npub static FIXTURES: &[(&str, &str)] = &[\n",
    );
    for path in &found {
        println!("cargo:rerun-if-changed={}", path.display());
        let Ok(relative) = path.strip_prefix(root.join("rules")) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let _ = writeln!(
            code,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("fixtures.rs");
    if let Err(error) = std::fs::write(&out, code) {
        panic!("cannot write {}: {error}", out.display());
    }
}
