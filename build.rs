//! Embeds the built-in packs' test fixtures (`rules/tests/**.yaml`) so that an installed `yimi`
//! can run `rules test` and show examples in `explain` without the source tree; and fingerprints
//! what shapes the checked built-in rules, so that `src/rules/compiled.rs` uses
//! `rules/builtin.bin` only when it was compiled from exactly these inputs.

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

/// Files with one of `extensions` in `dir` (and, if `recursive`, its subdirectories).
fn files_under(dir: &Path, extensions: &[&str], recursive: bool, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if recursive {
                println!("cargo:rerun-if-changed={}", path.display());
                files_under(&path, extensions, recursive, found);
            }
        } else if path
            .extension()
            .is_some_and(|ext| extensions.iter().any(|wanted| ext == *wanted))
        {
            found.push(path);
        }
    }
}

/// The files whose content decides the checked built-in rules: the packs, the grammar, the rule
/// language, the model and units, the sources, the string table's encoding, and the locked
/// dependencies (serde, postcard).
fn rule_inputs(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for (dir, extensions, recursive) in [
        ("rules", &["yimi"][..], false),
        ("grammar", &["pest"][..], false),
        ("src/rules", &["rs"][..], true),
        ("seeds", &["txt", "yaml"][..], false),
    ] {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        files_under(&dir, extensions, recursive, &mut found);
    }
    for file in [
        "src/project/types.rs",
        "src/project/types/compiled.rs",
        "src/project/units.rs",
        "src/project/model.rs",
        "src/project/date.rs",
        "src/base/i18n.rs",
        "src/sources/corpus.rs",
        "src/base/strtab.rs",
        "Cargo.lock",
    ] {
        found.push(root.join(file));
    }
    found.sort();
    found
}

/// FNV-1a (64 bit) over each input's path relative to the root and its text (carriage returns
/// dropped, so a Windows checkout matches). A fixed algorithm: the value is committed.
fn fingerprint(root: &Path) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes.iter().filter(|byte| **byte != b'\r') {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for path in rule_inputs(root) {
        println!("cargo:rerun-if-changed={}", path.display());
        let relative = path.strip_prefix(root).unwrap_or(&path);
        feed(relative.to_string_lossy().replace('\\', "/").as_bytes());
        feed(&[0]);
        feed(&std::fs::read(&path).unwrap_or_default());
        feed(&[0]);
    }
    format!("{hash:016x}")
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    println!(
        "cargo:rustc-env=YIMI_RULES_FINGERPRINT={}",
        fingerprint(&root)
    );
    position_dependent_command();
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

/// Links the `yimi` command (the bins only: not the library, tests, build scripts, proc-macros or
/// the fuzz targets) at a fixed address when asked (`YIMI_NO_PIE=1` at build time, Linux with glibc).
/// A position-independent executable makes the dynamic loader apply some 13 600 relocations to it
/// at every start (0.18 M instructions and about 30 pages, measured: one file's whole process 2.44
/// against 2.22 ms). The default stays position-independent because `yimi serve` takes uploads
/// from strangers, and address randomisation of its own code and data is worth more there than
/// a fifth of a millisecond; a CI gate that starts yimi once a file may build with the flag. The
/// code is compiled as it always is; only the link differs, so nothing is rebuilt.
fn position_dependent_command() {
    println!("cargo:rerun-if-env-changed=YIMI_NO_PIE");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") == "linux"
        && var("CARGO_CFG_TARGET_ENV") == "gnu"
        && var("YIMI_NO_PIE") == "1"
    {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
