//! Helpers shared by the integration tests: the built-in rules loaded once, rendering the way
//! `yimi check` does, with a fixed width, no colour and a fixed date so output is stable, and the
//! third-party programs some tests feed yimi's output to, found where `scripts/test` installs them.

#![allow(
    dead_code,
    reason = "each test binary uses a different subset of the helpers"
)]

pub mod large_pack;
pub mod server;

use std::path::{Path, PathBuf};
use std::process::Command;
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
        medium: yimi::base::diagnostic::Medium::CommandLine,
        naming: yimi::report::baseline::Naming::AsGiven,
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
    let (files, mut unreadable) = batch::collect_files(
        paths,
        &[],
        yimi::base::walk::DEFAULT_MAX_FILES,
        &mut Vec::new(),
    );
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

/// A third-party program the tests check yimi's output with. `scripts/test` installs each into
/// [`tools_dir`]; a test looks for it there, then on `PATH`, and a variable, where there is one,
/// names the program to use instead. A missing program fails the test, never skips it.
pub struct Tool {
    /// What messages call it.
    name: &'static str,
    /// A variable naming the program to use instead of looking for it.
    variable: Option<&'static str>,
    /// Where `scripts/test` installs it, under [`tools_dir`].
    installed: Option<&'static str>,
    /// How to run it from `PATH`: a program and the arguments before the caller's, in order of
    /// preference.
    on_path: &'static [&'static [&'static str]],
    /// Arguments it exits 0 with when it works.
    probe: &'static [&'static str],
    /// Environment it needs.
    env: &'static [(&'static str, &'static str)],
    found: OnceLock<Vec<String>>,
}

/// Microsoft's SARIF Multitool (npm `@microsoft/sarif-multitool`), or `$YIMI_SARIF_MULTITOOL`.
pub static SARIF_MULTITOOL: Tool = Tool {
    name: "Microsoft's SARIF Multitool",
    variable: Some("YIMI_SARIF_MULTITOOL"),
    installed: Some("npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"),
    // Not npm's `sarif-multitool` command: it passes the arguments through a shell, which splits
    // `--level Error;Warning;Note` at the semicolons.
    on_path: &[&["Sarif.Multitool"]],
    probe: &["--version"],
    // A self-contained .NET program: without this it needs ICU, which a minimal system lacks.
    env: &[("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")],
    found: OnceLock::new(),
};

/// `check-jsonschema` (PyPI).
pub static CHECK_JSONSCHEMA: Tool = Tool {
    name: "check-jsonschema",
    variable: None,
    installed: Some("python/bin/check-jsonschema"),
    // pip may have put the script in a directory that is not on PATH: the module runs anyway.
    on_path: &[
        &["check-jsonschema"],
        &["python3", "-m", "check_jsonschema"],
    ],
    probe: &["--version"],
    env: &[],
    found: OnceLock::new(),
};

/// A Python that can import `junitparser` (PyPI).
pub static PYTHON_JUNITPARSER: Tool = Tool {
    name: "junitparser (a Python that imports it)",
    variable: None,
    installed: Some("python/bin/python3"),
    on_path: &[&["python3"]],
    probe: &["-c", "import junitparser"],
    env: &[],
    found: OnceLock::new(),
};

/// A Python that can import Playwright (PyPI `playwright`), which drives Debian's Chromium in
/// the browser test of `yimi serve`.
pub static PYTHON_PLAYWRIGHT: Tool = Tool {
    name: "Playwright (a Python that imports it)",
    variable: None,
    installed: Some("python/bin/python3"),
    on_path: &[&["python3"]],
    probe: &["-c", "import playwright.sync_api"],
    env: &[],
    found: OnceLock::new(),
};

/// A headless Chromium (Debian's `chromium`).
pub static CHROMIUM: Tool = Tool {
    name: "a headless Chromium",
    variable: None,
    installed: None,
    on_path: &[&["chromium"], &["chromium-browser"], &["google-chrome"]],
    probe: &["--version"],
    env: &[],
    found: OnceLock::new(),
};

/// LibreOffice (Debian's `libreoffice-writer-nogui`), which converts the Word report to PDF.
pub static SOFFICE: Tool = Tool {
    name: "LibreOffice (soffice)",
    variable: None,
    installed: None,
    on_path: &[&["soffice"], &["libreoffice"]],
    probe: &["--version"],
    env: &[],
    found: OnceLock::new(),
};

/// `pdftotext` (Debian's `poppler-utils`).
pub static PDFTOTEXT: Tool = Tool {
    name: "pdftotext",
    variable: None,
    installed: None,
    on_path: &[&["pdftotext"]],
    probe: &["-v"],
    env: &[],
    found: OnceLock::new(),
};

/// `pdffonts` (Debian's `poppler-utils`).
pub static PDFFONTS: Tool = Tool {
    name: "pdffonts",
    variable: None,
    installed: None,
    on_path: &[&["pdffonts"]],
    probe: &["-v"],
    env: &[],
    found: OnceLock::new(),
};

/// `pdftoppm` (Debian's `poppler-utils`).
pub static PDFTOPPM: Tool = Tool {
    name: "pdftoppm",
    variable: None,
    installed: None,
    on_path: &[&["pdftoppm"]],
    probe: &["-v"],
    env: &[],
    found: OnceLock::new(),
};

/// The `pre-commit` framework (PyPI), which runs the hooks of `.pre-commit-hooks.yaml`.
pub static PRE_COMMIT: Tool = Tool {
    name: "pre-commit",
    variable: None,
    installed: Some("python/bin/pre-commit"),
    on_path: &[&["pre-commit"]],
    probe: &["--version"],
    env: &[],
    found: OnceLock::new(),
};

/// A Python that can import `docx` (PyPI `python-docx`).
pub static PYTHON_DOCX: Tool = Tool {
    name: "python-docx (a Python that imports it)",
    variable: None,
    installed: Some("python/bin/python3"),
    on_path: &[&["python3"]],
    probe: &["-c", "import docx"],
    env: &[],
    found: OnceLock::new(),
};

/// GitHub's own Markdown renderer, `cmark-gfm` (Debian's `cmark-gfm`), which renders the Markdown
/// report as GitHub shows it (tables, autolinks, strikethrough).
pub static CMARK_GFM: Tool = Tool {
    name: "cmark-gfm",
    variable: None,
    installed: None,
    on_path: &[&["cmark-gfm"]],
    probe: &["--version"],
    env: &[],
    found: OnceLock::new(),
};

/// Renders checked files in a format as bytes, as `yimi check -o` writes them (the Word report
/// is not text).
pub fn render_bytes(format: Format, files: &[CheckedFile], lang: Lang) -> Vec<u8> {
    let mut out = Vec::new();
    report::write(format, files, &builtin().set, &style(lang), &mut out).expect("rendered");
    out
}

/// Where `scripts/test` installs the tools: `$XDG_CACHE_HOME/yimi-test-tools`, else
/// `$HOME/.cache/yimi-test-tools` (an empty variable counts as unset, as in the script).
pub fn tools_dir() -> Option<PathBuf> {
    let set = |name| std::env::var_os(name).filter(|value| !value.is_empty());
    let cache = set("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| set("HOME").map(|home| Path::new(&home).join(".cache")))?;
    Some(cache.join("yimi-test-tools"))
}

impl Tool {
    /// A command running the tool, to which the caller adds its arguments. Panics, naming
    /// `scripts/test` and where it looked, when the tool cannot be found or does not run.
    pub fn command(&self) -> Command {
        let found = self.found.get_or_init(|| self.find());
        let mut command = Command::new(&found[0]);
        command.args(&found[1..]).envs(self.env.iter().copied());
        command
    }

    fn find(&self) -> Vec<String> {
        if let Some(variable) = self.variable
            && let Some(value) = std::env::var_os(variable)
        {
            let program = value.to_string_lossy().into_owned();
            if let Err(why) = self.runs(std::slice::from_ref(&program)) {
                panic!(
                    "{variable}={program} does not run {} ({why}); unset it to use the one \
                     `scripts/test` installs",
                    self.name
                );
            }
            return vec![program];
        }
        let mut candidates: Vec<Vec<String>> = Vec::new();
        let dir = tools_dir();
        if let (Some(dir), Some(installed)) = (&dir, self.installed) {
            candidates.push(vec![dir.join(installed).to_string_lossy().into_owned()]);
        }
        for invocation in self.on_path {
            candidates.push(invocation.iter().map(|part| (*part).to_owned()).collect());
        }
        let mut tried = Vec::new();
        for candidate in candidates {
            match self.runs(&candidate) {
                Ok(()) => return candidate,
                Err(why) => tried.push(format!("`{}`: {why}", candidate.join(" "))),
            }
        }
        let variable = self
            .variable
            .map(|variable| format!(", or set {variable} to the program"))
            .unwrap_or_default();
        let place = match (&dir, self.installed) {
            (Some(dir), Some(_)) => format!(" (into {})", dir.display()),
            _ => String::new(),
        };
        panic!(
            "{} is missing: run the tests with `scripts/test`, which installs it{place}{variable}.\n\
             Tried:\n  {}",
            self.name,
            tried.join("\n  ")
        );
    }

    /// Whether the program with its leading arguments exits 0 on the probe arguments.
    fn runs(&self, invocation: &[String]) -> Result<(), String> {
        let output = Command::new(&invocation[0])
            .args(&invocation[1..])
            .args(self.probe)
            .envs(self.env.iter().copied())
            .output()
            .map_err(|error| error.to_string())?;
        if output.status.success() {
            Ok(())
        } else {
            let stderr = String::from_utf8_lossy(&output.stderr);
            Err(format!(
                "{} {}",
                output.status,
                stderr.lines().last().unwrap_or_default()
            ))
        }
    }
}

/// A Changchun residential project whose `facilities` list `count` copies of `item` (a flow
/// mapping such as `{kind: park}`): the large files of the linear-time and memory tests.
pub fn changchun_residential_listing(count: usize, item: &str) -> String {
    let mut text = String::from(
        "yimi: 1\nproject:\n  id: P\n  name: n\n  kind: residential\n  stage: planning\n  \
         jurisdiction: CN/JL/Changchun\n  major: true\n  concerns_children: true\n  \
         decision_date: 2026-04-15\n  new_build: true\nsite: {area_m2: 96000}\n\
         population: {residents: 12000, households: 4300}\nfacilities:\n",
    );
    for _ in 0..count {
        text.push_str("  - ");
        text.push_str(item);
        text.push('\n');
    }
    text
}
