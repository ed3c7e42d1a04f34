//! The bad-input corpus: malformed project files (`tests/bad-input/projects/`) and rule files
//! (`tests/bad-input/rules/`), each run through the real binary. Every case must exit with the
//! documented code (2: invalid input), give exactly one located error, and never panic; the exact
//! output is snapshotted (`bad_input__<kind>@<file>.snap`, reviewed by hand — never accept them
//! unread). Each case file's first line is a `# tests: …` comment saying what it tests (where
//! the format allows one: not in the empty file).
//!
//! Cases whose name contains `-zh` are also run with the default language (Chinese); all are run
//! with `--lang en`. Inputs too large or too odd to commit (a 50 MB file, a directory with a FIFO
//! and a broken symbolic link) are made in a temporary directory by the tests below.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_yimi");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Exit codes other than 2, by case file name. None so far: every case is invalid input.
const EXPECTED_EXIT: &[(&str, i32)] = &[];

fn yimi(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .stdin(Stdio::null())
        .output()
        .expect("yimi runs")
}

/// Exit code, then standard error and standard output, as a user would read them.
fn transcript(output: &Output) -> String {
    format!(
        "exit: {}\n--- stderr\n{}--- stdout\n{}",
        output
            .status
            .code()
            .map_or_else(|| "killed".to_owned(), |code| code.to_string()),
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout),
    )
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a case file has a name")
        .to_string_lossy()
        .into_owned()
}

fn relative(path: &Path) -> String {
    path.strip_prefix(ROOT)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// The checks every case shares: exit code, no panic, exactly one located error.
fn assert_case(name: &str, shown: &str, output: &Output, text: &str) {
    let expected = EXPECTED_EXIT
        .iter()
        .find(|(case, _)| *case == name)
        .map_or(2, |(_, code)| *code);
    assert_eq!(
        output.status.code(),
        Some(expected),
        "{name}: wrong exit code\n{text}"
    );
    assert!(!text.contains("panicked"), "{name}: yimi panicked\n{text}");
    let errors = text.lines().filter(|line| line.starts_with("  × ")).count();
    assert_eq!(errors, 1, "{name}: expected exactly one error\n{text}");
    // Located: `file:line:col` in the snippet header, or (for a file with no text to show, such
    // as an empty one) the file named in the message.
    let located = text.contains(&format!("╭─[{shown}:")) || text.contains(&format!("× {shown}"));
    assert!(
        located,
        "{name}: the error is not located in {shown}\n{text}"
    );
}

fn has_first_line_comment(path: &Path) -> bool {
    let bytes = std::fs::read(path).expect("the case is readable");
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    bytes.is_empty() || bytes.starts_with(b"# tests: ")
}

/// The command lines of every case in `dir`, run in parallel up front (each run loads the
/// built-in packs, about a second in a debug build); the snapshots are then taken in order.
fn run_all(dir: &str, both: bool, args: impl Fn(&str, &str) -> Vec<String>) -> Runs {
    let mut jobs = Vec::new();
    for entry in std::fs::read_dir(Path::new(ROOT).join(dir)).expect("the corpus exists") {
        let path = entry.expect("a directory entry").path();
        // Cases' fixtures (`rules/fixtures/`), which a fixture path may not leave.
        if path.is_dir() {
            continue;
        }
        let shown = relative(&path);
        let name = file_name(&path);
        jobs.push((shown.clone(), "en", args("en", &shown)));
        if both && name.contains("-zh") {
            jobs.push((shown.clone(), "zh", args("zh", &shown)));
        }
    }
    let threads = std::thread::available_parallelism().map_or(4, usize::from);
    let chunk = jobs.len().div_ceil(threads).max(1);
    let mut runs = Runs::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(shown, lang, args)| {
                            let args: Vec<&str> = args.iter().map(String::as_str).collect();
                            ((shown.clone(), (*lang).to_owned()), yimi(&args))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            runs.extend(handle.join().expect("a runner thread"));
        }
    });
    runs
}

type Runs = std::collections::BTreeMap<(String, String), Output>;

fn take(runs: &mut Runs, shown: &str, lang: &str) -> Output {
    runs.remove(&(shown.to_owned(), lang.to_owned()))
        .expect("every case was run")
}

/// Each case of `tests/{folder}` whose name matches `pattern`, in the order insta globs them:
/// every language's run of it (from `runs`) must be a located refusal, `per_run` asserts what
/// else the kind of case needs, and its transcript is the snapshot `{snapshot}_{lang}`;
/// `per_case` then sees the case once. Returns how many cases there were.
fn each_case(
    folder: &str,
    pattern: &str,
    snapshot: &str,
    runs: &mut Runs,
    mut per_run: impl FnMut(&str, &Output, &str),
    mut per_case: impl FnMut(&str, &str),
) -> usize {
    let mut count = 0;
    insta::glob!(folder, pattern, |path| {
        count += 1;
        let name = file_name(path);
        let shown = relative(path);
        for lang in languages(&name) {
            let output = take(runs, &shown, lang);
            let text = transcript(&output);
            assert_case(&name, &shown, &output, &text);
            per_run(&name, &output, &text);
            insta::assert_snapshot!(format!("{snapshot}_{lang}"), text);
        }
        per_case(&name, &shown);
    });
    count
}

/// What a case with a `# tests: …` first line must have.
fn commented(name: &str, path: &str) {
    assert!(
        has_first_line_comment(&Path::new(ROOT).join(path)),
        "{name}: the first line must be a `# tests: …` comment"
    );
}

#[test]
fn project_files() {
    let mut runs = run_all("tests/bad-input/projects", true, |lang, shown| {
        ["check", "--as-of", "2026-11-23", "--lang", lang, shown]
            .map(str::to_owned)
            .to_vec()
    });
    let count = each_case(
        "bad-input/projects",
        "*.yaml",
        "project",
        &mut runs,
        |_, _, _| {},
        commented,
    );
    assert!(count >= 40, "the corpus has {count} project files, want 40");
}

#[test]
fn rule_files() {
    let mut runs = run_all("tests/bad-input/rules", true, |lang, shown| {
        ["rules", "lint", "--lang", lang, shown]
            .map(str::to_owned)
            .to_vec()
    });
    // The same file given to `check --rules` stops the run with the same error.
    let mut checks = run_all("tests/bad-input/rules", false, |_, shown| {
        let example = "examples/sh-huangpu-park.yaml";
        ["check", "--lang", "en", "--rules", shown, example]
            .map(str::to_owned)
            .to_vec()
    });
    let count = each_case(
        "bad-input/rules",
        "*.yimi",
        "rule",
        &mut runs,
        |_, _, _| {},
        |name, shown| {
            commented(name, shown);
            let output = take(&mut checks, shown, "en");
            let text = transcript(&output);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{name}: check --rules\n{text}"
            );
            assert!(!text.contains("panicked"), "{name}: yimi panicked\n{text}");
            assert!(
                text.contains(&format!("╭─[{shown}:")),
                "{name}: check --rules gives no located error\n{text}"
            );
        },
    );
    assert!(count >= 25, "the corpus has {count} rule files, want 25");
}

/// Waivers files with a raw control character (#12 E7): read by the project reader, refused at
/// the character as a project file is, before any waiver is looked at.
#[test]
fn waivers_files() {
    let example = "examples/sh-huangpu-park.yaml";
    let mut runs = run_all("tests/bad-input/waivers", true, |lang, shown| {
        [
            "check",
            "--as-of",
            "2026-11-23",
            "--lang",
            lang,
            "--waivers",
            shown,
            example,
        ]
        .map(str::to_owned)
        .to_vec()
    });
    let count = each_case(
        "bad-input/waivers",
        "*.yaml",
        "waivers",
        &mut runs,
        |_, _, _| {},
        commented,
    );
    assert!(count >= 4, "the corpus has {count} waivers files, want 4");
}

/// Baselines (`--baseline`) that are not a yimi JSON report this build reads (audit 12 A4): one
/// located diagnostic with a code (`baseline::…`) and a hint, as a bad waivers file gets, in
/// human and plain output. JSON has no comments: each case's name says what it tests.
#[test]
fn baseline_files() {
    let example = "examples/sh-huangpu-park.yaml";
    let args = |format: &'static str| {
        move |lang: &str, shown: &str| {
            [
                "check",
                "--as-of",
                "2026-11-23",
                "--lang",
                lang,
                "--format",
                format,
                "--baseline",
                shown,
                example,
            ]
            .map(str::to_owned)
            .to_vec()
        }
    };
    let mut runs = run_all("tests/bad-input/baselines", true, args("human"));
    let mut plain = run_all("tests/bad-input/baselines", false, args("plain"));
    let count = each_case(
        "bad-input/baselines",
        "*.json",
        "baseline",
        &mut runs,
        |name, output, text| {
            assert!(
                text.contains("\nbaseline::"),
                "{name}: a baseline code\n{text}"
            );
            assert!(text.contains("  help: "), "{name}: a hint\n{text}");
            assert!(
                output.stdout.is_empty(),
                "{name}: nothing is checked\n{text}"
            );
        },
        |name, shown| {
            // Plain output: one line `file:line:column: error[baseline::…]` (or the file alone
            // when there is no text to show), the quoted line and the hint.
            let output = take(&mut plain, shown, "en");
            let text = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{name}: plain\n{text}");
            assert_eq!(
                text.matches(": error[baseline::").count(),
                1,
                "{name}\n{text}"
            );
            assert!(
                text.starts_with(&format!("{shown}:")),
                "{name}: plain\n{text}"
            );
            assert!(!text.contains('\u{1b}'), "{name}: a raw escape\n{text}");
        },
    );
    assert!(count >= 12, "the corpus has {count} baselines, want 12");
}

/// Sources directories (`tests/bad-input/sources/<case>/index.yaml`, with the texts it names)
/// whose manifest must be refused, given to `check --sources`: one located error at the manifest,
/// exit 2, nothing checked.
#[test]
fn sources_manifests() {
    let example = "examples/sh-huangpu-park.yaml";
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(Path::new(ROOT).join("tests/bad-input/sources"))
        .expect("the corpus exists")
    {
        let dir = entry.expect("a directory entry").path();
        let name = file_name(&dir);
        for lang in languages(&name) {
            let (dir, manifest) = (relative(&dir), relative(&dir.join("index.yaml")));
            cases.push((name.clone(), lang, dir, manifest));
        }
    }
    cases.sort();
    assert!(!cases.is_empty(), "the corpus has no sources directories");
    let mut settings = insta::Settings::clone_current();
    for (name, lang, dir, manifest) in cases {
        let output = yimi(&["check", "--lang", lang, "--sources", &dir, example]);
        let text = transcript(&output);
        assert_case(&name, &manifest, &output, &text);
        assert!(
            output.stdout.is_empty(),
            "{name}: nothing is checked\n{text}"
        );
        settings.set_input_file(&manifest);
        settings.bind(|| insta::assert_snapshot!(format!("sources_{lang}@{name}"), text));
    }
}

/// The control characters refused raw stay accepted written as escapes inside double quotes,
/// and are shown escaped (#12 E7).
#[test]
fn escaped_control_characters_are_accepted_and_shown_escaped() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = dir.path().join("p.yaml");
    let hostile = "\\e]0;owned\\a\\x7f\\N::error ::x";
    let park = std::fs::read_to_string(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
        .expect("the example");
    let name = park
        .lines()
        .find(|line| line.trim_start().starts_with("name:"))
        .expect("the example has a name");
    std::fs::write(
        &project,
        park.replacen(name, &format!("  name: \"公园{hostile}\""), 1),
    )
    .expect("project");
    let waivers = dir.path().join("w.yaml");
    std::fs::write(
        &waivers,
        format!("yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: \"agreed{hostile}\"\n"),
    )
    .expect("waivers");
    let (project, waivers) = (project.to_string_lossy(), waivers.to_string_lossy());
    for format in ["human", "plain"] {
        let output = yimi(&[
            "check",
            "--lang",
            "en",
            "--as-of",
            "2026-11-23",
            "--format",
            format,
            "--waivers",
            &waivers,
            &project,
        ]);
        let text = transcript(&output);
        assert_ne!(output.status.code(), Some(2), "{format}\n{text}");
        assert!(!text.contains("yaml::unprintable"), "{format}\n{text}");
        assert!(!text.contains('\u{1b}'), "{format}: a raw escape\n{text}");
        assert!(
            !text.contains('\u{85}'),
            "{format}: a raw next line\n{text}"
        );
        // The waived finding shows its reason, escaped.
        assert!(text.contains("agreed\\u{1b}]0;owned"), "{format}\n{text}");
    }
}

/// Replaces a temporary directory's path in output so snapshots are stable.
fn in_tempdir(dir: &Path, text: &str) -> String {
    text.replace(&dir.display().to_string(), "[TMP]")
}

#[test]
fn a_50_mb_file_is_refused_by_size() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("big.yaml");
    let mut text = String::from("# tests: a 50 MB project file\nyimi: 1\nfacilities:\n");
    let item = "  - { id: play-1, kind: play_area, name: 儿童活动场地 }\n";
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(item);
    }
    std::fs::write(&path, &text).expect("the big file is written");
    let shown = path.display().to_string();
    let output = yimi(&["check", "--lang", "en", &shown]);
    let text = transcript(&output);
    assert_case("big.yaml", &shown, &output, &text);
    insta::assert_snapshot!("big_file", in_tempdir(dir.path(), &text));
}

#[test]
fn a_directory_with_unreadable_entries_checks_the_others() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path();
    std::fs::copy(
        Path::new(ROOT).join("examples/sh-huangpu-park.yaml"),
        root.join("a-good.yaml"),
    )
    .expect("the example is copied");
    std::os::unix::fs::symlink(root.join("nowhere.yaml"), root.join("b-broken-link.yaml"))
        .expect("a broken symbolic link");
    // An unreadable file. chmod 000 does not stop root (these tests may run as root), so when
    // the file can still be opened, a FIFO stands in: reading it would block forever, and yimi
    // must refuse it without opening it. The output differs between the two set-ups, so it is
    // snapshotted only in the usual one (root, where chmod 000 is no obstacle).
    let unreadable = root.join("c-unreadable.yaml");
    std::fs::write(&unreadable, "yimi: 1\n").expect("a file");
    set_mode(&unreadable, 0o000);
    let chmod_works = std::fs::File::open(&unreadable).is_err();
    if !chmod_works {
        std::fs::remove_file(&unreadable).expect("the readable file is removed");
    }
    let fifo = root.join("d-fifo.yaml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    // A directory named like a project file is searched, not read.
    std::fs::create_dir(root.join("e-dir.yaml")).expect("a directory");
    std::fs::copy(
        Path::new(ROOT).join("examples/sh-minhang-pocket-park.yaml"),
        root.join("e-dir.yaml/inner.yaml"),
    )
    .expect("the example is copied");

    let shown = root.display().to_string();
    let output = yimi(&["check", "--lang", "en", "--format", "plain", &shown]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    for (file, reason) in [
        ("b-broken-link.yaml", "No such file or directory"),
        ("d-fifo.yaml", "not a regular file"),
    ] {
        let path = root.join(file).display().to_string();
        let expected = format!("{path}: error[io::read]: cannot read `{path}`: {reason}");
        assert!(
            text.contains(&expected),
            "{file} gets no error of its own\n{text}"
        );
    }
    if chmod_works {
        assert!(
            text.contains("c-unreadable.yaml: error[io::read]"),
            "{text}"
        );
    }
    // The readable files are still checked.
    assert!(text.contains("a-good.yaml — pass with advice"), "{text}");
    assert!(text.contains("e-dir.yaml/inner.yaml — "), "{text}");
    assert!(!text.contains("inner.yaml — invalid"), "{text}");
    let invalid = if chmod_works { 3 } else { 2 };
    assert!(text.contains(&format!(", {invalid} invalid;")), "{text}");
    if !chmod_works {
        // Only what concerns the unreadable entries: the findings on the good files follow the
        // examples and the built-in rules, which other tests snapshot.
        let unreadable: Vec<&str> = text
            .lines()
            .filter(|line| line.contains("io::read") || line.contains("— invalid input"))
            .collect();
        insta::assert_snapshot!(
            "directory_with_unreadable_entries",
            in_tempdir(root, &unreadable.join("\n"))
        );
    }
}

/// A named pipe given by name is read, as `cat` would read it, up to the size limit: that is how
/// `--waivers <(…)` works. The same pipe met while walking a directory, or named by a sources
/// manifest, is refused with a message instead of waited on (nothing would ever write to it).
#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_when_named_and_refused_when_found() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fifo = |name: &str| {
        let path = dir.path().join(name);
        let made = Command::new("mkfifo")
            .arg(&path)
            .status()
            .expect("mkfifo runs");
        assert!(made.success(), "mkfifo failed");
        path
    };
    // Opening a pipe to write waits for its reader: the thread ends once yimi has read it.
    let feed = |path: std::path::PathBuf, text: Vec<u8>| {
        std::thread::spawn(move || {
            use std::io::Write as _;
            let mut pipe = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .expect("the pipe opens");
            pipe.write_all(&text).expect("written");
        })
    };
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README.md");
    let section = &readme[readme.find("### Waivers").expect("a waivers section")..];
    let start = section.find("```yaml\n").expect("a yaml block") + "```yaml\n".len();
    let end = start + section[start..].find("```").expect("its end");
    let waivers = fifo("waivers.yaml");
    let writer = feed(waivers.clone(), section.as_bytes()[start..end].to_vec());
    let output = yimi(&[
        "check",
        "--format",
        "json",
        "--waivers",
        &waivers.to_string_lossy(),
        &Path::new(ROOT)
            .join("examples/jl-changchun-residential.yaml")
            .to_string_lossy(),
    ]);
    writer.join().expect("the writer ends");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", transcript(&output)));
    assert_eq!(report["files"][0]["counts"]["waived"], 1, "{report:#}");

    let pack = fifo("pack.yimi");
    let text = std::fs::read(Path::new(ROOT).join("rules/jilin-2022.yimi")).expect("a pack");
    let writer = feed(pack.clone(), text);
    let output = yimi(&["rules", "fmt", "--check", &pack.to_string_lossy()]);
    writer.join().expect("the writer ends");
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));

    // Found, not named: a pipe in a walked directory, and a source's text that is a pipe.
    let walked = dir.path().join("walked");
    std::fs::create_dir(&walked).expect("made");
    Command::new("mkfifo")
        .arg(walked.join("p.yaml"))
        .status()
        .expect("mkfifo runs");
    let output = yimi(&["check", "--lang", "en", &walked.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(
        transcript(&output).contains("p.yaml`: not a regular file"),
        "{}",
        transcript(&output)
    );
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("made");
    std::fs::write(
        sources.join("index.yaml"),
        "- id: q-2026\n  file: q.txt\n  title: q\n  issuer: q\n  date: 2026-01-01\n  jurisdiction: CN/JL/Changchun\n  level: city\n  status: in_force\n  original: x.txt\n  numbering: { part: cn-dun, item: arabic-dot }\n",
    )
    .expect("written");
    Command::new("mkfifo")
        .arg(sources.join("q.txt"))
        .status()
        .expect("mkfifo runs");
    let output = yimi(&[
        "rules",
        "coverage",
        "--lang",
        "en",
        "--sources",
        &sources.to_string_lossy(),
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(
        transcript(&output).contains("not a regular file"),
        "{}",
        transcript(&output)
    );
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .expect("permissions are set");
}

#[test]
fn output_file_is_never_half_written_when_killed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("the input directory");
    let example = std::fs::read(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
        .expect("the example is readable");
    for i in 0..2000 {
        std::fs::write(inputs.join(format!("p{i:04}.yaml")), &example).expect("a copy");
    }
    let out = dir.path().join("report.json");
    // Three runs, killed at different points; the assertions hold whenever the kill lands, so
    // timing only decides which case a run exercises, never whether the test passes:
    // 1. killed as soon as it has started (no report yet);
    // 2. killed as soon as its temporary file appears (mid-write, or just after the rename);
    // 3. left to finish (the report is complete).
    for stage in 0..3 {
        let _ = std::fs::remove_file(&out);
        let mut child = Command::new(BIN)
            .args(["check", "--lang", "en", "--format", "json", "-o"])
            .arg(&out)
            .arg(&inputs)
            .current_dir(ROOT)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("yimi starts");
        if stage == 1 {
            // Bounded: at most 60 000 polls of 1 ms, and it ends as soon as the process does.
            for _ in 0..60_000 {
                if started_writing(dir.path()) || child.try_wait().expect("wait works").is_some() {
                    break;
                }
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
        }
        let status = if stage == 2 {
            child.wait().expect("the child is reaped")
        } else {
            let _ = child.kill();
            child.wait().expect("the child is reaped")
        };
        if stage == 2 {
            assert_eq!(status.code(), Some(0), "the complete run fails");
            assert!(out.exists(), "a finished run leaves its report");
        }
        assert_report_is_whole_or_absent(&out);
        assert_no_stray_files(dir.path());
    }
}

fn started_writing(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .expect("the directory is readable")
        .flatten()
        .any(|entry| entry.file_name().to_string_lossy().ends_with(".tmp"))
}

fn assert_report_is_whole_or_absent(out: &Path) {
    let Ok(text) = std::fs::read_to_string(out) else {
        return;
    };
    let report: serde_json::Value =
        serde_json::from_str(&text).expect("the report is complete JSON");
    assert_eq!(report["format"], "yimi-report");
    assert_eq!(report["summary"]["files"], 2000);
}

/// Only the inputs, the report and yimi's own temporary file (`.report.json.<random>.tmp`, which a
/// killed process cannot remove) may be in the directory.
fn assert_no_stray_files(dir: &Path) {
    for entry in std::fs::read_dir(dir)
        .expect("the directory is readable")
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let own_temporary = name.starts_with(".report.json.")
            && name.ends_with(".tmp")
            && name
                .trim_start_matches(".report.json.")
                .trim_end_matches(".tmp")
                .bytes()
                .all(|b| b.is_ascii_alphanumeric());
        assert!(
            name == "inputs" || name == "report.json" || own_temporary,
            "unexpected file `{name}` left behind"
        );
        if own_temporary {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A human message as one line, wherever it was wrapped.
fn unwrapped(text: &str) -> String {
    text.replace("\n  │ ", " ")
}

/// Files given to flags are read within a limit too, and the message names the kind of file:
/// an endless device (`/dev/zero`) is refused after the limit, not read for ever.
#[cfg(unix)]
#[test]
fn endless_files_given_to_flags_are_refused() {
    let example = "examples/sh-huangpu-park.yaml";
    let too_large = "is more than the limit of 8388608 bytes";
    for (args, expected) in [
        (
            vec!["check", "--waivers", "/dev/zero", example],
            format!("cannot read the waivers file `/dev/zero`: the file {too_large}"),
        ),
        (
            vec!["check", "--rules", "/dev/zero", example],
            format!("cannot read the rule file `/dev/zero`: the file {too_large}"),
        ),
        (
            vec!["rules", "lint", "/dev/zero"],
            format!("cannot read the rule file `/dev/zero`: the file {too_large}"),
        ),
        (
            vec!["check", "--baseline", "/dev/zero", example],
            "× not valid JSON: expected a value\n   ╭─[/dev/zero:1:1]".to_owned(),
        ),
        (
            vec!["check", "--sources", "/dev/zero", example],
            "cannot register sources: `/dev/zero` is not a directory".to_owned(),
        ),
    ] {
        let mut args = args;
        args.extend(["--lang", "en"]);
        let output = yimi(&args);
        let text = unwrapped(&transcript(&output));
        assert_eq!(output.status.code(), Some(2), "{args:?}\n{text}");
        assert!(text.contains(&expected), "{args:?}\n{text}");
        assert!(!text.contains("panicked"), "{args:?}\n{text}");
        let errors = text
            .lines()
            .filter(|line| line.starts_with("  × ") || line.starts_with("error: "))
            .count();
        assert_eq!(errors, 1, "{args:?}: one error\n{text}");
    }
}

#[test]
fn a_waivers_file_over_the_size_limit_is_refused_with_the_flag_that_raises_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let waivers = dir.path().join("waivers.yaml");
    std::fs::write(
        &waivers,
        "yimi: 1\nwaivers:\n  - { rule: SH-068a, reason: 已批准 }\n",
    )
    .expect("the waivers file is written");
    let shown = waivers.display().to_string();
    let example = "examples/sh-huangpu-park.yaml";
    let output = yimi(&[
        "check",
        "--lang",
        "en",
        "--max-file-size",
        "40",
        "--waivers",
        &shown,
        example,
    ]);
    let text = unwrapped(&in_tempdir(dir.path(), &transcript(&output)));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains(
            "cannot read the waivers file `[TMP]/waivers.yaml`: the file is 58 bytes, more than the limit of 40 bytes"
        ),
        "{text}"
    );
    assert!(
        text.contains("help: raise the limit with `--max-file-size`"),
        "{text}"
    );
    // Within the limit the same file is read.
    let output = yimi(&["check", "--lang", "en", "--waivers", &shown, example]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
}

/// Symbolic links that loop (to a parent, to the directory itself) are followed once: each real
/// directory is read once and each real file checked once, however many names reach it.
#[cfg(unix)]
#[test]
fn directory_link_loops_end_and_each_file_is_checked_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let d = dir.path().join("d");
    std::fs::create_dir_all(d.join("a")).expect("d/a");
    std::fs::copy(
        Path::new(ROOT).join("examples/sh-huangpu-park.yaml"),
        d.join("a/sh-huangpu-park.yaml"),
    )
    .expect("the example is copied");
    std::os::unix::fs::symlink("..", d.join("a/up")).expect("a link to the parent");
    std::os::unix::fs::symlink("../a", d.join("a/self")).expect("a link to itself");
    std::fs::create_dir_all(d.join("rules/sub")).expect("d/rules/sub");
    std::fs::copy(
        Path::new(ROOT).join("tests/fixtures/rules/changchun-local.yimi"),
        d.join("rules/local.yimi"),
    )
    .expect("a rule file is copied");
    std::os::unix::fs::symlink("..", d.join("rules/sub/up")).expect("a link to the parent");

    let file = d.join("a/sh-huangpu-park.yaml");
    let (absolute, dotted, doubled) = (
        file.display().to_string(),
        format!("{}/./a/sh-huangpu-park.yaml", d.display()),
        format!("{}//a//sh-huangpu-park.yaml", d.display()),
    );
    let shown = d.display().to_string();
    let output = yimi(&[
        "check", "--lang", "en", "--format", "plain", &shown, &absolute, &dotted, &doubled,
    ]);
    let text = in_tempdir(dir.path(), &transcript(&output));
    assert_eq!(output.status.code(), Some(0), "{text}");
    let checked: Vec<&str> = text.lines().filter(|line| line.contains(" — ")).collect();
    assert_eq!(checked.len(), 1, "one file, checked once\n{text}");
    assert!(
        checked.iter().all(|line| line.starts_with("[TMP]/d/")
            && line.contains("sh-huangpu-park.yaml — pass with advice")),
        "{text}"
    );
    assert!(text.contains("\n1 file: "), "{text}");

    // Rule directories are walked the same way: the pack is found once (twice would be a
    // duplicate pack).
    let rules = d.join("rules").display().to_string();
    let output = yimi(&["rules", "lint", "--lang", "en", &rules]);
    let text = in_tempdir(dir.path(), &transcript(&output));
    assert_eq!(output.status.code(), Some(0), "{text}");
}

/// A submitted folder's links out of it are refused, never read: in a CI gate, a committed
/// `b.yaml -> /etc/passwd` made yimi quote the runner's files in the job log, and `root -> /`
/// walked the whole file system. Links inside the folder still work, and a file outside named
/// on the command line is the user's choice and is read.
#[cfg(unix)]
#[test]
fn links_out_of_a_walked_folder_are_refused_and_never_read() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let secret = write_temp(dir.path(), "secret.yaml", "db_password: hunter2-SECRET\n");
    let leak = dir.path().join("leak");
    std::fs::create_dir_all(leak.join("inner")).expect("leak/inner");
    std::fs::copy(
        Path::new(ROOT).join("examples/sh-huangpu-park.yaml"),
        leak.join("inner/park.yaml"),
    )
    .expect("the example is copied");
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(target, leak.join(name)).expect("a link");
    };
    link(&secret, "a.yaml");
    link("/etc/passwd", "b.yaml");
    link("/", "root");
    link("/proc/self/root", "inner/proc-root");
    link("inner/park.yaml", "c-inside.yaml");
    let shown = leak.display().to_string();
    let output = yimi(&["check", "--lang", "en", "--format", "plain", &shown]);
    let text = in_tempdir(dir.path(), &transcript(&output));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        !text.contains("hunter2") && !text.contains("root:x:0"),
        "{text}"
    );
    for (name, target) in [
        ("a.yaml", "`[TMP]/secret.yaml`"),
        ("b.yaml", "`/etc/passwd`"),
        ("root", "`/`"),
        // `/proc/self/root` is a link itself: where it leads is named too.
        ("inner/proc-root", "`/proc/self/root`, which leads to `/`"),
    ] {
        let expected = format!(
            "[TMP]/leak/{name}: error[io::link-outside]: the symbolic link `[TMP]/leak/{name}` points to {target}, outside the directory `[TMP]/leak` being walked, so it is not read"
        );
        assert!(text.contains(&expected), "{name} is not refused\n{text}");
    }
    // The file inside, under its own name and through the link, is checked once.
    let checked: Vec<&str> = text.lines().filter(|line| line.contains(" — ")).collect();
    assert_eq!(checked.len(), 5, "{text}");
    assert!(text.contains("c-inside.yaml — pass with advice"), "{text}");
    assert!(text.contains(", 4 invalid;"), "{text}");
    // The Chinese message says the same, with its hint.
    let output = yimi(&["check", "--format", "plain", &shown]);
    let text = in_tempdir(dir.path(), &transcript(&output));
    assert!(
        text.contains("符号链接 `[TMP]/leak/b.yaml` 指向 `/etc/passwd`,在所检查的目录 `[TMP]/leak` 之外,不会读取"),
        "{text}"
    );
    assert!(text.contains("请把它复制进目录"), "{text}");
    // Named on the command line, the outside file is read: the user chose it.
    let output = yimi(&["check", "--lang", "en", "--format", "plain", &secret]);
    let text = transcript(&output);
    assert!(text.contains("hunter2"), "{text}");
    // A rule folder's links are held to the same.
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("rules");
    std::os::unix::fs::symlink(&secret, rules.join("x.yimi")).expect("a link");
    let shown = rules.display().to_string();
    for args in [
        vec!["rules", "lint", "--lang", "en", &shown],
        vec![
            "check",
            "--lang",
            "en",
            "--rules",
            &shown,
            "examples/sh-huangpu-park.yaml",
        ],
        vec!["rules", "fmt", "--lang", "en", &shown],
    ] {
        let output = yimi(&args);
        let text = in_tempdir(dir.path(), &transcript(&output));
        assert_eq!(output.status.code(), Some(2), "{args:?}\n{text}");
        assert!(text.contains("io::link-outside"), "{args:?}\n{text}");
        assert!(!text.contains("hunter2"), "{args:?}\n{text}");
    }
    assert_eq!(
        std::fs::read_to_string(&secret).expect("the secret"),
        "db_password: hunter2-SECRET\n",
        "rules fmt left the outside file alone"
    );
    // A sources directory's manifest and texts too: a text linked from outside is not read.
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("sources");
    std::fs::write(
        sources.join("index.yaml"),
        "- id: q-2026\n  file: q.txt\n  title: q\n  issuer: q\n  date: 2026-01-01\n  jurisdiction: CN/JL/Changchun\n  level: city\n  status: in_force\n  original: x.txt\n  numbering: { part: cn-dun, item: arabic-dot }\n",
    )
    .expect("written");
    std::os::unix::fs::symlink(&secret, sources.join("q.txt")).expect("a link");
    let shown = sources.display().to_string();
    let output = yimi(&["rules", "coverage", "--lang", "en", "--sources", &shown]);
    // The terminal layout wraps the message anywhere (inside paths too): compared without it.
    let squeezed = |text: &str| text.replace("\n  │ ", "").replace(' ', "");
    let text = in_tempdir(dir.path(), &squeezed(&transcript(&output)));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains(&squeezed("the symbolic link `[TMP]/sources/q.txt` points to `[TMP]/secret.yaml`, outside the sources directory `[TMP]/sources`, so it is not read")),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
}

/// A chain of links out of a walked folder (`hop1.yaml -> hop2.yaml -> ../secret.yaml`) is
/// refused naming the link the user wrote, what it says, and the file outside it leads to: the
/// message named `hop2.yaml`, which is inside, as the outside target (#12, #14).
#[cfg(unix)]
#[test]
fn a_chain_of_links_out_of_a_walked_folder_names_where_it_ends() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let secret = write_temp(dir.path(), "secret.yaml", "db_password: hunter2-SECRET\n");
    let leak = dir.path().join("leak");
    std::fs::create_dir_all(&leak).expect("leak");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    std::os::unix::fs::symlink("hop2.yaml", leak.join("hop1.yaml")).expect("a link");
    std::os::unix::fs::symlink("../secret.yaml", leak.join("hop2.yaml")).expect("a link");
    // Out through a link outside, which leads back out elsewhere.
    std::os::unix::fs::symlink("../outside/relay.yaml", leak.join("via.yaml")).expect("a link");
    std::os::unix::fs::symlink(&secret, outside.join("relay.yaml")).expect("a link");
    let shown = leak.display().to_string();
    let output = yimi(&["check", "--lang", "en", "--format", "plain", &shown]);
    let text = in_tempdir(dir.path(), &transcript(&output));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    for (name, says) in [
        (
            "hop1.yaml",
            "`hop2.yaml`, which leads to `[TMP]/secret.yaml`",
        ),
        ("hop2.yaml", "`../secret.yaml`"),
        (
            "via.yaml",
            "`../outside/relay.yaml`, which leads to `[TMP]/secret.yaml`",
        ),
    ] {
        let expected = format!(
            "[TMP]/leak/{name}: error[io::link-outside]: the symbolic link `[TMP]/leak/{name}` points to {says}, outside the directory `[TMP]/leak` being walked, so it is not read"
        );
        assert!(text.contains(&expected), "{name}\n{text}");
    }
    let output = yimi(&["check", "--format", "plain", &shown]);
    let text = in_tempdir(dir.path(), &transcript(&output));
    assert!(
        text.contains("符号链接 `[TMP]/leak/hop1.yaml` 指向 `hop2.yaml`,最终通向 `[TMP]/secret.yaml`,在所检查的目录 `[TMP]/leak` 之外,不会读取"),
        "{text}"
    );
    // A sources directory's text reached through a chain says the same.
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("sources");
    std::fs::write(
        sources.join("index.yaml"),
        "- id: q-2026\n  file: q.txt\n  title: q\n  issuer: q\n  date: 2026-01-01\n  jurisdiction: CN/JL/Changchun\n  level: city\n  status: in_force\n  original: x.txt\n  numbering: { part: cn-dun, item: arabic-dot }\n",
    )
    .expect("written");
    std::os::unix::fs::symlink("hop.txt", sources.join("q.txt")).expect("a link");
    std::os::unix::fs::symlink(&secret, sources.join("hop.txt")).expect("a link");
    let shown = sources.display().to_string();
    let output = yimi(&["rules", "coverage", "--lang", "en", "--sources", &shown]);
    let squeezed = |text: &str| text.replace("\n  │ ", "").replace(' ', "");
    let text = in_tempdir(dir.path(), &squeezed(&transcript(&output)));
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains(&squeezed("the symbolic link `[TMP]/sources/q.txt` points to `hop.txt`, which leads to `[TMP]/secret.yaml`, outside the sources directory `[TMP]/sources`")),
        "{text}"
    );
    assert!(!text.contains("hunter2"), "{text}");
}

/// A walk stops at its file bound with a message naming the flag that raises it, and checks
/// nothing then.
#[test]
fn a_walk_past_its_file_bound_is_refused_with_the_flag() {
    let shown = Path::new(ROOT).join("examples").display().to_string();
    let output = yimi(&[
        "check",
        "--lang",
        "en",
        "--format",
        "plain",
        "--max-files",
        "2",
        &shown,
    ]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(
        text.contains("error[io::too-many-files]: more than 2 files under the directory"),
        "{text}"
    );
    assert!(
        text.contains("raise the bound with `--max-files`"),
        "{text}"
    );
    assert!(!text.contains(" — pass"), "nothing is checked\n{text}");
}

/// A file in a temporary directory, for inputs too large to commit.
fn write_temp(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("the input is written");
    path.display().to_string()
}

/// A place past column 65 535 of its line: miette's layout panicked there ("Formatting argument
/// out of range"). The line is shown as a window around the place, in human and plain output.
#[test]
fn a_place_past_column_65535_is_shown_in_a_window_of_its_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let name = "a".repeat(65_536);
    let text = format!("{{yimi: 1, project: {{name: {name}, kind: x}}}}\n");
    let shown = write_temp(dir.path(), "long.yaml", &text);
    let output = yimi(&["check", "--lang", "en", &shown]);
    let text = transcript(&output);
    // The missing id and jurisdiction are errors too; the unknown kind is the one far along.
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    assert!(text.contains(&format!("╭─[{shown}:1:65571]")), "{text}");
    assert!(text.len() < 8_000, "the line is echoed whole\n{text}");
    insta::assert_snapshot!("long_line_human", in_tempdir(dir.path(), &text));

    let output = yimi(&["check", "--lang", "en", "--format", "plain", &shown]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert!(text.len() < 8_000, "the line is echoed whole\n{text}");
    insta::assert_snapshot!("long_line_plain", in_tempdir(dir.path(), &text));

    // Chinese text: windows are cut between characters, and columns count characters.
    let name = "名".repeat(30_000);
    let text = format!("{{yimi: 1, project: {{name: {name}, kind: x}}}}\n");
    let shown = write_temp(dir.path(), "wide.yaml", &text);
    for format in ["human", "plain"] {
        let output = yimi(&["check", "--lang", "en", "--format", format, &shown]);
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            !text.contains('\u{fffd}'),
            "{format}: a character is cut\n{text}"
        );
        assert!(text.contains("…名名名名"), "{format}\n{text}");
        assert!(text.contains("名名, kind: x}}"), "{format}\n{text}");
        assert!(
            text.contains(&format!("{shown}:1:30035")),
            "{format}\n{text}"
        );
        assert!(
            text.len() < 8_000,
            "{format}: the line is echoed whole\n{text}"
        );
    }
}

/// Warnings and findings far along a line of a file that checks: shown in a window too.
#[test]
fn warnings_and_findings_far_along_a_line_are_shown_in_a_window() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let padding = " ".repeat(70_000);
    let text = format!(
        "{{yimi: 1, project: {{id: P-1, name: 滨江公园, kind: park, jurisdiction: CN/SH/Huangpu}},{padding} site: {{area_m2: 12000}}, park: {{category: comprehensive}}, facilities: [], 未知键: 1}}\n"
    );
    let shown = write_temp(dir.path(), "far.yaml", &text);
    for format in ["human", "plain"] {
        let output = yimi(&["check", "--lang", "en", "--format", format, &shown]);
        let text = transcript(&output);
        assert!(!text.contains("panicked"), "{format}\n{text}");
        assert!(
            text.contains("unknown key `未知键` is ignored"),
            "{format}\n{text}"
        );
        // The park has no play area: a finding at `facilities`, far along the line.
        assert!(text.contains("SH-068a"), "{format}\n{text}");
        assert!(text.contains("far.yaml:1:70141"), "{format}\n{text}");
        assert!(text.contains("far.yaml:1:70157"), "{format}\n{text}");
        assert!(text.len() < 20_000, "{format}: the line is echoed\n{text}");
    }
    // SARIF gives the place by line and column; the line is not quoted as its context.
    let output = yimi(&["check", "--lang", "en", "--format", "sarif", &shown]);
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert!(!results.is_empty());
    // (The log states every rule that ran, about 110 kB; quoting the line added 280 kB.)
    assert!(
        output.stdout.len() < 150_000,
        "{} bytes",
        output.stdout.len()
    );
    assert!(
        !String::from_utf8_lossy(&output.stdout).contains(&" ".repeat(1000)),
        "the line is quoted"
    );
}

/// 10 000 unknown keys on one 99 KB line: each quoted the whole line (1.5 GB of output). Lines
/// are clipped, and human and plain output show 20 problems of a file — the error first — and
/// count the rest; JSON lists every one.
#[test]
fn a_file_with_ten_thousand_problems_shows_twenty_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let keys: Vec<String> = (0..10_000).map(|i| format!("k{i}: 1")).collect();
    let text = format!("{{yimi: 1, {}}}\n", keys.join(", "));
    let shown = write_temp(dir.path(), "keys.yaml", &text);
    for format in ["human", "plain"] {
        let output = yimi(&["check", "--lang", "en", "--format", format, &shown]);
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{format}\n{text}");
        assert!(text.len() < 20_000, "{format}: {} bytes", text.len());
        let (errors, warnings) = if format == "human" {
            (
                text.lines().filter(|l| l.starts_with("  × ")).count(),
                text.lines().filter(|l| l.starts_with("  ⚠ ")).count(),
            )
        } else {
            (
                text.lines().filter(|l| l.contains(": error[")).count(),
                text.lines().filter(|l| l.contains(": warning[")).count(),
            )
        };
        assert_eq!((errors, warnings), (1, 19), "{format}\n{text}");
        assert!(
            text.contains("missing required key `project`"),
            "{format}: the error is hidden\n{text}"
        );
        assert!(
            text.contains(&format!(
                "… and 9,981 more problems in `{shown}` not shown (`--format json` lists them all)"
            )),
            "{format}\n{text}"
        );
    }
    let output = yimi(&["check", "--lang", "en", "--format", "json", &shown]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the report is JSON");
    let diagnostics = report["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert_eq!(diagnostics.len(), 10_001);
}

/// A file of 4 000 errors keeps the first 1 000 and a closing error counting the other 3 000.
/// The summary counts the file's 4 000 errors (was: the 1 001 diagnostics kept), and the line
/// counting what is not shown says how many JSON lists, not that it lists them all (#12 E8).
#[test]
fn a_file_past_the_error_cap_is_counted_whole() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut text = "yimi: 1\nproject:\n  id: P\n  name: n\n  kind: residential\n  stage: planning\n  jurisdiction: CN/JL/Changchun\nfacilities:\n".to_owned();
    for _ in 0..4000 {
        text.push_str("  - {kind: q}\n");
    }
    let shown = write_temp(dir.path(), "many.yaml", &text);
    for format in ["human", "plain"] {
        for (lang, summary, more) in [
            (
                "en",
                format!("{shown} — invalid input (4000 errors), not checked"),
                format!(
                    "… and 3,981 more problems in `{shown}` not shown (`--format json` lists 981 of them: a file's errors past the first 1,000 are only counted)"
                ),
            ),
            (
                "zh",
                format!("{shown} — 输入无效(4000 个错误),未检查"),
                format!(
                    "…… `{shown}` 另有 3,981 个问题未显示(`--format json` 列出其中 981 个:一个文件只列出前 1,000 处错误,其余只计数)"
                ),
            ),
        ] {
            let output = yimi(&["check", "--lang", lang, "--format", format, &shown]);
            let text = transcript(&output);
            assert_eq!(output.status.code(), Some(2), "{format} {lang}\n{text}");
            assert!(
                text.contains(&summary),
                "{format} {lang}: {summary}\n{text}"
            );
            assert!(text.contains(&more), "{format} {lang}: {more}\n{text}");
            assert!(!text.contains("1001"), "{format} {lang}\n{text}");
        }
    }
    // What JSON lists: the first 1 000 errors and the one counting the rest.
    let output = yimi(&["check", "--lang", "en", "--format", "json", &shown]);
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the report is JSON");
    let diagnostics = report["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    assert_eq!(diagnostics.len(), 1001);
    assert_eq!(diagnostics[1000]["code"], "project::too-many-errors");
}

/// Rule files: an error past column 65 535 (through `rules lint` and `check --rules`) and a lint
/// warning there.
#[test]
fn rule_file_messages_past_column_65535_are_shown_in_a_window() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let header = "# tests: a rule on a line of 70 000 characters\npack local-long {\n  source       shanghai-2023\n  jurisdiction CN/SH/Pudong\n  version      \"2026.1\"\n}\n\n";
    let padding = " ".repeat(70_000);
    let cite = "cite shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"";
    let error = write_temp(
        dir.path(),
        "error.yimi",
        &format!(
            "{header}rule LOCAL-1 \"公园绿地设置儿童活动场地\" {{{padding}domain space strength should {cite} require nosuchpath > 1 }}\n"
        ),
    );
    let example = "examples/sh-huangpu-park.yaml";
    for args in [
        vec!["rules", "lint", "--lang", "en", &error],
        vec!["check", "--lang", "en", "--rules", &error, example],
    ] {
        let output = yimi(&args);
        let text = transcript(&output);
        assert_case("error.yimi", &error, &output, &text);
        assert!(
            text.contains(&format!("╭─[{error}:8:70117]")),
            "{args:?}\n{text}"
        );
        assert!(text.len() < 4_000, "{args:?}: the line is echoed\n{text}");
    }
    let output = yimi(&["rules", "lint", "--lang", "en", &error]);
    insta::assert_snapshot!(
        "long_rule_line",
        in_tempdir(dir.path(), &transcript(&output))
    );

    let warning = write_temp(
        dir.path(),
        "warning.yimi",
        &format!(
            "{header}rule{padding}LOCAL-1 \"公园绿地设置儿童活动场地\" {{ domain space strength should {cite} require true }}\n"
        ),
    );
    let output = yimi(&["rules", "lint", "--lang", "en", &warning]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(
        text.contains("rule `LOCAL-1` has no pass, fail test"),
        "{text}"
    );
    assert!(text.contains(&format!("╭─[{warning}:8:70005]")), "{text}");
    assert!(text.len() < 4_000, "the line is echoed\n{text}");
}

/// Values from a rule pack's strings that hold backticks (a string in an expression, a fixture's
/// path) are quoted with a fence longer than their runs: each is one code span where a message is
/// set as code (HTML, Markdown, Word), and the words after it are not shifted into code.
#[test]
fn values_with_backticks_in_a_rule_pack_are_one_code_span_each() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = write_temp(
        dir.path(),
        "ticks.yimi",
        "# tests: values with backticks in a rule pack's strings\npack local-ticks {\n  source       shanghai-2023\n  jurisdiction CN/SH/Pudong\n  version      \"2026.1\"\n}\n\n\
         rule LOCAL-1 \"公园绿地设置儿童活动场地\" {\n  domain   space\n  strength should\n\
         \x20 cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n\
         \x20 require  \"a`b\" == 1\n  test pass \"x`y`.yaml\"\n}\n",
    );
    // The fixture is named by its path from the rule file's directory, here a temporary one.
    let fixture = format!("{}/x`y`.yaml", dir.path().display());
    let said: [(&str, &str, &str); 4] = [
        (
            "en",
            "type mismatch: ``\"a`b\"`` is text, `1` is a plain number",
            "type mismatch: <code>&quot;a`b&quot;</code> is text, <code>1</code> is a plain number",
        ),
        (
            "en",
            &format!("test fixture ``{fixture}`` does not exist"),
            &format!("test fixture <code>{fixture}</code> does not exist"),
        ),
        (
            "zh",
            "类型不一致:``\"a`b\"`` 是文本,`1` 是纯数字",
            "类型不一致:<code>&quot;a`b&quot;</code> 是文本,<code>1</code> 是纯数字",
        ),
        (
            "zh",
            &format!("测试文件 ``{fixture}`` 不存在"),
            &format!("测试文件 <code>{fixture}</code> 不存在"),
        ),
    ];
    for (lang, message, html) in said {
        let output = yimi(&["rules", "lint", "--lang", lang, &pack]);
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            text.contains(&format!("  × {message}\n")),
            "{message}\n{text}"
        );
        assert_eq!(yimi::report::escape::html_code(message), html);
    }
}

/// A rule file with one rule whose `require` is `require` (and an optional message).
fn deep_rule_file(require: &str, message: Option<&str>) -> String {
    let message = message.map_or_else(String::new, |text| format!("\n  message \"{text}\""));
    format!(
        "# tests: a deeply nested expression\npack local-deep {{\n  source       shanghai-2023\n  jurisdiction CN/SH/Huangpu\n  version      \"2026.1\"\n}}\n\nrule LOCAL-1 \"公园绿地设置儿童活动场地\" {{\n  domain   space\n  strength should\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  {require}{message}\n}}\n"
    )
}

/// Two copies of an example in a directory, so `check --jobs 2` evaluates on worker threads
/// (whose stacks are smaller than the main thread's).
fn two_projects(dir: &Path) -> String {
    let projects = dir.join("projects");
    std::fs::create_dir(&projects).expect("the project directory");
    for name in ["a.yaml", "b.yaml"] {
        std::fs::copy(
            Path::new(ROOT).join("examples/sh-huangpu-park.yaml"),
            projects.join(name),
        )
        .expect("the example is copied");
    }
    projects.display().to_string()
}

/// Expressions nested thousands deep overflowed the stack (SIGABRT) in pest, the Pratt parser,
/// the checker or the evaluator: 3 300 parentheses, 4 400 chained `and`, 5 000 prefix `not` or
/// `-`, 1 240 on a `--jobs` worker thread. Each is now one located error, before anything
/// recurses through it.
#[test]
fn deeply_nested_rule_expressions_are_refused_not_overflowed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let projects = two_projects(dir.path());
    let cases = [
        (
            "parentheses",
            format!("{}true{}", "(".repeat(3_300), ")".repeat(3_300)),
            None,
        ),
        ("and", vec!["true"; 4_400].join(" and "), None),
        ("not", format!("{}true", "not ".repeat(5_000)), None),
        ("minus", format!("{}1 > 0", "- ".repeat(5_000)), None),
        (
            "lists",
            format!("{}{} == []", "[".repeat(3_000), "]".repeat(3_000)),
            None,
        ),
        (
            "calls",
            format!(
                "{}facilities{} > 0",
                "count(".repeat(2_000),
                ")".repeat(2_000)
            ),
            None,
        ),
        (
            "worker",
            format!("{}true{}", "(".repeat(1_240), ")".repeat(1_240)),
            None,
        ),
        (
            "template",
            "true".to_owned(),
            Some(format!("{{{}1{}}}", "(".repeat(3_000), ")".repeat(3_000))),
        ),
    ];
    for (name, require, message) in cases {
        let file = format!("{name}.yimi");
        let shown = write_temp(
            dir.path(),
            &file,
            &deep_rule_file(&require, message.as_deref()),
        );
        for args in [
            vec!["rules", "lint", "--lang", "en", &shown],
            vec![
                "check", "--lang", "en", "--jobs", "2", "--rules", &shown, &projects,
            ],
        ] {
            let output = yimi(&args);
            let text = transcript(&output);
            assert_case(&file, &shown, &output, &text);
            assert!(text.contains("limits::rule-depth"), "{name}\n{text}");
            assert!(
                text.contains("the expression is nested more than 64 levels deep"),
                "{name}\n{text}"
            );
        }
    }
}

/// At the limit, rules of every kind of nesting load and evaluate, on worker threads too (the
/// test binary is a debug build, whose stack frames are the largest).
#[test]
fn rules_nested_to_the_limit_are_checked_on_worker_threads() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let projects = two_projects(dir.path());
    let area = "site.area_m2 > 0 m2";
    let requires = [
        vec![area; 62].join(" and "),
        format!("{}({area})", "not ".repeat(62)),
        format!("{}{area}{}", "(".repeat(62), ")".repeat(62)),
        format!("({}) > 0 m2", vec!["site.area_m2"; 62].join(" + ")),
        format!(
            "all(facilities, f => {}f.kind == play_area)",
            "not ".repeat(58)
        ),
    ];
    let mut text = deep_rule_file(&requires[0], None);
    for (i, require) in requires.iter().enumerate().skip(1) {
        text.push_str(&format!(
            "\nrule LOCAL-{} \"公园绿地设置儿童活动场地\" {{\n  domain   space\n  strength should\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  {require}\n  message \"{{{}}}\"\n}}\n",
            i + 1,
            vec!["site.area_m2"; 62].join(" + ")
        ));
    }
    let shown = write_temp(dir.path(), "deep.yimi", &text);
    let output = yimi(&[
        "check", "--lang", "en", "--format", "plain", "--jobs", "2", "--rules", &shown, &projects,
    ]);
    let text = transcript(&output);
    assert!(
        matches!(output.status.code(), Some(0 | 1)),
        "the rules at the limit do not run\n{text}"
    );
    assert!(
        text.contains("a.yaml — ") && text.contains("b.yaml — "),
        "{text}"
    );
    // Every rule ran: 73 built-in rules for a Shanghai park and the five here.
    assert_eq!(text.matches("78 rules").count(), 2, "{text}");
}

/// Text that would retitle a terminal, clear it, forge an output line, start GitHub and Azure
/// workflow commands, and reorder what is shown.
const HOSTILE: &str = "\\e]0;owned\\a\\e[2J\\n::error file=x::pwned\\r\\n##vso[task.complete result=Succeeded]\\u202e\\u2066\\u200b\\x9b1m";

/// Every hidden character and every CI command in `text`, as found.
fn spoofing(text: &str, terminal: bool) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("::") {
            found.push(format!("a line starts a GitHub command: {line:?}"));
        }
        if line.contains("##vso[") {
            found.push(format!("a line holds an Azure command: {line:?}"));
        }
        for c in line.chars() {
            let hidden = matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{2060}' | '\u{feff}')
                || (c.is_control() && c != '\t' && (terminal || c != '\r'));
            if hidden {
                found.push(format!("raw {c:?} in {line:?}"));
            }
        }
    }
    found
}

#[test]
fn text_from_a_submission_never_reaches_the_output_raw() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = std::fs::read_to_string(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
        .expect("the example is readable")
        .replace(
            "  name: 黄浦滨江某公园提升改造\n",
            &format!("  name: \"{HOSTILE}\"\n  \"{HOSTILE}\": 1\n"),
        )
        .replace("  stage: design\n", &format!("  stage: \"{HOSTILE}\"\n"));
    let waivers = format!(
        "yimi: 1\nwaivers:\n  - rule: SH-PK-001\n    scope: facilities\n    reason: \"{HOSTILE}\"\n    approved_by: \"{HOSTILE}\"\n    expires: 2099-01-01\n"
    );
    // A valid project too, so that findings (not only input errors) are rendered.
    let valid = std::fs::read_to_string(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
        .expect("the example is readable")
        .replace(
            "  name: 外马路滨江绿地\n",
            &format!("  name: \"{HOSTILE}\"\n"),
        );
    let hostile_name = "::warning ::x\u{1b}[2J\u{202e}.yaml";
    std::fs::write(dir.path().join(hostile_name), &project).expect("the project is written");
    std::fs::write(dir.path().join("##vso[x].yaml"), &valid).expect("the project is written");
    std::fs::write(dir.path().join("w.yaml"), &waivers).expect("the waivers are written");
    let root = dir.path().to_string_lossy().into_owned();
    let waivers = dir.path().join("w.yaml").to_string_lossy().into_owned();
    for format in [
        "human", "plain", "json", "sarif", "junit", "markdown", "html",
    ] {
        for lang in ["en", "zh"] {
            let output = Command::new(BIN)
                .args([
                    "check",
                    "--lang",
                    lang,
                    "--format",
                    format,
                    "--as-of",
                    "2026-01-01",
                ])
                .arg(dir.path().join(hostile_name))
                .arg(dir.path().join("##vso[x].yaml"))
                .current_dir(&root)
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .output()
                .expect("yimi runs");
            let terminal = matches!(format, "human" | "plain");
            for (stream, bytes) in [("stdout", &output.stdout), ("stderr", &output.stderr)] {
                let text = String::from_utf8_lossy(bytes);
                let found = spoofing(&text, terminal || stream == "stderr");
                assert!(
                    found.is_empty(),
                    "{format} {lang} {stream}: {found:#?}\n{text}"
                );
            }
            assert!(
                !String::from_utf8_lossy(&output.stderr).contains("panicked"),
                "{format}: yimi panicked"
            );
            if terminal {
                let text = String::from_utf8_lossy(&output.stdout);
                assert!(
                    text.contains("\\u{1b}]0;owned\\u{7}\\u{1b}[2J\\u{a}"),
                    "{format}: the hostile text is not shown escaped\n{text}"
                );
            }
        }
    }
    // The Word review opinion: its XML must stay well-formed and show the hidden characters.
    let named = valid.replace(
        "  name: 黄浦滨江某公园提升改造\n",
        &format!("  name: \"{HOSTILE}\"\n"),
    );
    assert_ne!(named, valid, "the project's name is replaced");
    std::fs::write(dir.path().join("named.yaml"), &named).expect("the project is written");
    let docx = dir.path().join("opinion.docx");
    let output = Command::new(BIN)
        .args([
            "check",
            "--lang",
            "en",
            "--format",
            "docx",
            "--as-of",
            "2026-01-01",
            "-o",
        ])
        .arg(&docx)
        .arg(dir.path().join("named.yaml"))
        .output()
        .expect("yimi runs");
    assert!(docx.exists(), "{}", String::from_utf8_lossy(&output.stderr));
    // Its parts are deflated: the hostile text is not in the file's bytes as written, so the
    // file printed to a CI log (`--format docx` to a pipe) carries no command.
    let bytes = std::fs::read(&docx).expect("the review opinion");
    for command in ["##vso[", "##[", "::error", "\u{1b}]0;"] {
        assert!(
            !bytes
                .windows(command.len())
                .any(|window| window == command.as_bytes()),
            "`{command}` is in the bytes of the Word report"
        );
    }
    let read = Command::new("python3")
        .args([
            "-c",
            "import sys, zipfile, xml.dom.minidom as m\n\
             x = zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode()\n\
             m.parseString(x)\n\
             bad = [c for c in x if ord(c) < 32 and c not in '\\t\\n\\r' or c in '\\u202e\\u2066\\u200f']\n\
             print(len(bad), '\\\\u{1b}' in x)",
        ])
        .arg(&docx)
        .output()
        .expect("python3 runs");
    assert_eq!(
        String::from_utf8_lossy(&read.stdout).trim(),
        "0 True",
        "the document.xml is well-formed, holds no hidden character and shows them escaped: {}",
        String::from_utf8_lossy(&read.stderr)
    );
    // Waiver reasons and approvers reach the output too.
    let output = Command::new(BIN)
        .args([
            "check",
            "--lang",
            "en",
            "--format",
            "plain",
            "--as-of",
            "2026-01-01",
        ])
        .args(["--waivers", &waivers])
        .arg(dir.path().join("##vso[x].yaml"))
        .env("NO_COLOR", "1")
        .output()
        .expect("yimi runs");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert_eq!(spoofing(&text, true), Vec::<String>::new(), "{text}");
}

#[test]
fn reports_are_never_written_over_an_input() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = dir.path().join("p.yaml");
    std::fs::copy(
        Path::new(ROOT).join("examples/sh-huangpu-park.yaml"),
        &project,
    )
    .expect("the example is copied");
    let waivers = write_temp(dir.path(), "w.yaml", "yimi: 1\nwaivers: []\n");
    let rules = write_temp(
        dir.path(),
        "r.yimi",
        "pack local {\n  source shanghai-2023\n  jurisdiction CN/SH\n}\n",
    );
    let project = project.to_string_lossy().into_owned();
    for (flag, input) in [("--waivers", &waivers), ("--rules", &rules)] {
        for output in [
            vec!["-o", input.as_str()],
            vec!["--report", &format!("json={input}")],
        ] {
            let before = std::fs::read(input).expect("the input is readable");
            let result = yimi(
                &[
                    &["check", &project, flag, input, "--lang", "en"],
                    output.as_slice(),
                ]
                .concat(),
            );
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert_eq!(result.status.code(), Some(2), "{flag} {output:?}: {stderr}");
            assert!(
                stderr.contains("is one of the input files"),
                "{flag} {output:?}: {stderr}"
            );
            assert_eq!(std::fs::read(input).expect("still there"), before);
        }
    }
}

/// A symbolic link at a report's path (a pull request can commit `yimi.sarif -> ~/.profile`) is
/// refused, naming the link and its target: neither a file it points to nor the place a dangling
/// one names is written (#12 D10).
#[test]
fn reports_are_never_written_through_a_link_to_a_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let victim = write_temp(dir.path(), "victim.txt", "precious\n");
    let nowhere = dir.path().join("newfile.txt");
    let to_file = dir.path().join("rep.html");
    let dangling = dir.path().join("rep2.sarif");
    std::os::unix::fs::symlink(&victim, &to_file).expect("a link");
    std::os::unix::fs::symlink(&nowhere, &dangling).expect("a link");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let project = project.to_string_lossy().into_owned();
    for (link, target) in [
        (&to_file, victim.clone()),
        (&dangling, nowhere.display().to_string()),
    ] {
        let link = link.display().to_string();
        for output in [
            vec!["-o", link.as_str()],
            vec!["--report", &format!("html={link}")],
            vec![
                "--report",
                "json=ok.json",
                "--report",
                &format!("sarif={link}"),
            ],
        ] {
            let result = yimi(&[&["check", &project, "--lang", "en"], output.as_slice()].concat());
            let stderr = String::from_utf8_lossy(&result.stderr);
            assert_eq!(result.status.code(), Some(2), "{output:?}: {stderr}");
            assert!(
                stderr.contains(&format!("`{link}` is a symbolic link to `{target}`")),
                "{output:?}: {stderr}"
            );
            assert_eq!(
                std::fs::read_to_string(&victim).expect("still there"),
                "precious\n"
            );
            assert!(
                !nowhere.exists(),
                "{output:?}: the dangling link's target was made"
            );
            assert!(
                std::fs::symlink_metadata(&link)
                    .expect("still there")
                    .file_type()
                    .is_symlink()
            );
        }
    }
    assert!(
        !Path::new(ROOT).join("ok.json").exists(),
        "a report was left"
    );
    assert!(!started_writing(dir.path()), "a temporary file is left");
}

/// Thousands of scoped waivers on a finding with thousands of missing paths are matched by
/// looking each path's prefixes up, not by trying each waiver on each path (#12 D1: 20,000 of
/// each took 75 s in release). 10,000 paths against 20,000 scopes take seconds in a debug
/// build matched this way and many minutes when quadratic; the first waiver in order applies.
#[test]
fn scoped_waivers_are_matched_in_time_linear_in_waivers_and_paths() {
    const FACILITIES: usize = 10_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut project = String::from(
        "yimi: 1\nproject:\n  id: P1\n  name: x\n  kind: residential\n  stage: planning\n  \
         jurisdiction: CN/JL/Changchun\n  new_build: true\n  decision_date: 2026-04-15\n\
         population:\n  residents: 12000\nfacilities:\n",
    );
    for i in 0..FACILITIES {
        project.push_str(&format!("  - {{id: f{i}, kind: childcare_centre}}\n"));
    }
    let mut waivers = String::from("yimi: 1\nwaivers:\n");
    // Scopes no path lies under, then one for each facility, the last facility's first.
    for i in 0..FACILITIES {
        let beyond = FACILITIES + i;
        waivers.push_str(&format!(
            "  - {{project: P1, rule: JL-005a, scope: 'facilities[{beyond}]', reason: beyond{i}}}\n"
        ));
    }
    for i in 0..FACILITIES {
        let facility = FACILITIES - 1 - i;
        waivers.push_str(&format!(
            "  - {{project: P1, rule: JL-005a, scope: 'facilities[{facility}].places', reason: r{i}}}\n"
        ));
    }
    let project = write_temp(dir.path(), "p.yaml", &project);
    let waivers = write_temp(dir.path(), "w.yaml", &waivers);
    let output = yimi(&["check", &project, "--waivers", &waivers, "--format", "json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("a JSON report");
    let finding = report["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|finding| finding["rule_id"] == "JL-005a")
        .expect("JL-005a is reported");
    assert_eq!(finding["outcome"], "waived");
    assert_eq!(finding["waiver"]["reason"], "r0");
}

/// `-o F --report sarif=F` (however F is written) is refused before anything is written: the
/// second report renamed into place silently replaced the first (#12 D7).
#[test]
fn two_reports_to_one_file_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let project = project.to_string_lossy().into_owned();
    let out = dir.path().join("out.json").display().to_string();
    let dotted = dir.path().join(".").join("out.json").display().to_string();
    let kept = write_temp(dir.path(), "kept.json", "kept\n");
    for (first, second) in [
        (vec!["-o", out.as_str()], format!("sarif={out}")),
        (vec!["-o", out.as_str()], format!("sarif={dotted}")),
        (
            vec!["--report", &format!("json={out}")],
            format!("html={dotted}"),
        ),
        (vec!["-o", kept.as_str()], format!("junit={kept}")),
    ] {
        let result = yimi(
            &[
                &["check", &project, "--format", "json", "--lang", "en"],
                first.as_slice(),
                &["--report", &second],
            ]
            .concat(),
        );
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(
            result.status.code(),
            Some(2),
            "{first:?} {second}: {stderr}"
        );
        assert!(
            stderr.contains("two reports would be written to one file"),
            "{first:?} {second}: {stderr}"
        );
        assert!(
            !Path::new(&out).exists(),
            "{first:?} {second}: a report was written"
        );
        assert_eq!(
            std::fs::read_to_string(&kept).expect("still there"),
            "kept\n"
        );
    }
    assert!(!started_writing(dir.path()), "a temporary file is left");
    // Different files are fine.
    let other = dir.path().join("out.sarif").display().to_string();
    let result = yimi(&[
        "check",
        &project,
        "-o",
        &out,
        "--report",
        &format!("sarif={other}"),
    ]);
    assert_eq!(result.status.code(), Some(0));
    assert!(Path::new(&out).exists() && Path::new(&other).exists());
}

#[test]
fn reports_to_what_is_not_a_regular_file_are_written_through_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let project = project.to_string_lossy().into_owned();
    // A link to standard output: the report arrives there, the link stays a link.
    let link = dir.path().join("out");
    std::os::unix::fs::symlink("/proc/self/fd/1", &link).expect("a link");
    let link_text = link.to_string_lossy().into_owned();
    let output = yimi(&["check", &project, "--format", "json", "-o", &link_text]);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("\"yimi-report\""));
    assert!(
        std::fs::symlink_metadata(&link)
            .expect("still there")
            .file_type()
            .is_symlink()
    );
    // A device: written to, not replaced (`/dev/null` stays a character device).
    let output = yimi(&["check", &project, "--format", "json", "-o", "/dev/null"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        std::fs::metadata("/dev/null")
            .expect("exists")
            .file_type()
            .is_char_device()
    );
    // A full device: exit code 2 and a message, on a file and on standard output.
    let output = yimi(&[
        "check",
        &project,
        "--format",
        "sarif",
        "-o",
        "/dev/full",
        "--lang",
        "en",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write `/dev/full`"));
    for format in ["sarif", "json", "plain", "human", "junit"] {
        let full = std::fs::File::create("/dev/full").expect("/dev/full opens");
        let output = Command::new(BIN)
            .args(["check", &project, "--format", format, "--lang", "en"])
            .stdout(full)
            .output()
            .expect("yimi runs");
        assert_eq!(output.status.code(), Some(2), "{format}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("cannot write to standard output"),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // Standard error full as well: nowhere to say anything, but no panic (exit 101) either.
    let full = || std::fs::File::create("/dev/full").expect("/dev/full opens");
    for args in [
        vec!["check", project.as_str(), "--format", "json"],
        vec!["check", "--bogus"],
        vec!["--help"],
        vec!["--version"],
    ] {
        let output = Command::new(BIN)
            .args(&args)
            .stdout(full())
            .stderr(full())
            .output()
            .expect("yimi runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
    // Help and version that cannot be written are a failed write (exit 2); written, exit 0.
    for args in [["--help"], ["--version"]] {
        let output = Command::new(BIN)
            .args(args)
            .stdout(full())
            .output()
            .expect("yimi runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert_eq!(yimi(&args).status.code(), Some(0), "{args:?}");
    }
    assert!(!started_writing(dir.path()), "a temporary file is left");
}

#[test]
fn a_terminated_run_removes_its_temporary_file() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let inputs = dir.path().join("inputs");
    std::fs::create_dir(&inputs).expect("the input directory");
    let example = std::fs::read(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
        .expect("the example is readable");
    for i in 0..2000 {
        std::fs::write(inputs.join(format!("p{i:04}.yaml")), &example).expect("a copy");
    }
    let out = dir.path().join("report.json");
    // Hostile review 9 R2: the other signals that end a process clean up too; hostile review 14
    // H5: all of them (power failure, stack fault, I/O, bad system call, trap, the real-time
    // signals), which left the temporary file behind. By the name `kill` takes, with the number
    // the process must be seen killed by, where the test knows it.
    #[allow(unused_mut)]
    let mut signals: Vec<(String, Option<i32>)> = [
        "TERM", "INT", "HUP", "USR1", "USR2", "ALRM", "XCPU", "VTALRM",
    ]
    .into_iter()
    .map(|name| (name.to_owned(), None))
    .collect();
    #[cfg(target_os = "linux")]
    signals.extend([
        ("PWR".to_owned(), Some(libc::SIGPWR)),
        ("STKFLT".to_owned(), Some(libc::SIGSTKFLT)),
        ("IO".to_owned(), Some(libc::SIGIO)),
        ("SYS".to_owned(), Some(libc::SIGSYS)),
        ("TRAP".to_owned(), Some(libc::SIGTRAP)),
        ("TERM".to_owned(), Some(libc::SIGTERM)),
        ("RTMIN".to_owned(), Some(libc::SIGRTMIN())),
        ("RTMIN+7".to_owned(), Some(libc::SIGRTMIN() + 7)),
        // procps's `kill` knows SIGRTMAX only as RTMIN+n.
        (
            format!("RTMIN+{}", libc::SIGRTMAX() - libc::SIGRTMIN()),
            Some(libc::SIGRTMAX()),
        ),
    ]);
    for (name, number) in signals {
        let signal = format!("-{name}");
        let mut child = Command::new(BIN)
            .args(["check", "--lang", "en", "--format", "json", "-o"])
            .arg(&out)
            .arg(&inputs)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("yimi starts");
        // Bounded: at most 60 000 polls of 1 ms; the signal is sent once the temporary file
        // exists (or the run has ended, when the assertions hold trivially).
        let mut ended = false;
        for _ in 0..60_000 {
            ended = child.try_wait().expect("wait works").is_some();
            if started_writing(dir.path()) || ended {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        if !ended {
            let sent = Command::new("kill")
                .arg(&signal)
                .arg(child.id().to_string())
                .stderr(Stdio::null())
                .status();
            assert!(sent.is_ok_and(|sent| sent.success()), "{signal}: not sent");
        }
        let status = child.wait().expect("the child is reaped");
        assert_report_is_whole_or_absent(&out);
        assert!(
            !started_writing(dir.path()),
            "{signal}: the temporary file is left behind"
        );
        // Not finished: ended as the signal ends a process, not by an exit code.
        #[cfg(unix)]
        if let Some(number) = number
            && !out.exists()
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(number), "{signal}: {status}");
        }
        let _ = (status, number);
        let _ = std::fs::remove_file(&out);
    }
}

/// Hostile review 9 R2: a report past the file-size limit (`ulimit -f`) is a failed write — a
/// message and exit 2, no temporary file left — not a silent kill by SIGXFSZ (rc 153).
#[cfg(unix)]
#[test]
fn a_write_past_the_file_size_limit_is_a_failed_write() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let examples = Path::new(ROOT).join("examples");
    for (redirect, needle) in [
        ("-o out.json --report html=out.html", "out.json"),
        ("--format json > big.json", "standard output"),
    ] {
        let output = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -f 20; exec \"$0\" check --lang en \"$1\" {redirect}"
            ))
            .arg(BIN)
            .arg(&examples)
            .current_dir(dir.path())
            .output()
            .expect("sh runs");
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{redirect}\n{text}");
        assert!(
            text.contains(needle) && text.contains("error"),
            "{redirect}\n{text}"
        );
        assert!(
            !started_writing(dir.path()),
            "{redirect}: a temporary file is left"
        );
    }
}

/// Byte-order marks: a baseline saved by Notepad (UTF-8 with BOM) is read as without it; one in
/// UTF-16 (Windows PowerShell 5 `>`), baseline or project, is refused saying so, in both languages.
#[test]
fn byte_order_marks_in_a_baseline_or_a_project() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let project = project.to_string_lossy().into_owned();
    let report = yimi(&["check", &project, "--format", "json"]);
    assert_ne!(report.status.code(), Some(2), "{}", transcript(&report));
    let with_bom = dir.path().join("bom.json");
    std::fs::write(
        &with_bom,
        [b"\xef\xbb\xbf".as_slice(), &report.stdout].concat(),
    )
    .expect("written");
    let with_bom = with_bom.to_string_lossy().into_owned();
    let output = yimi(&["check", &project, "--baseline", &with_bom, "--new-only"]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let utf16 = |text: &[u8]| -> Vec<u8> {
        let text = String::from_utf8_lossy(text);
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let baseline16 = dir.path().join("b16.json");
    std::fs::write(&baseline16, utf16(&report.stdout)).expect("written");
    let baseline16 = baseline16.to_string_lossy().into_owned();
    let project16 = dir.path().join("p16.yaml");
    let example = std::fs::read(&project).expect("the example");
    std::fs::write(&project16, utf16(&example)).expect("written");
    let project16 = project16.to_string_lossy().into_owned();
    for (lang, said) in [
        (
            "en",
            "the file is UTF-16 (as Windows PowerShell 5 `>` writes it): save it as UTF-8",
        ),
        ("zh", "文件是 UTF-16 编码"),
    ] {
        let output = yimi(&["check", &project, "--baseline", &baseline16, "--lang", lang]);
        assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
        assert!(
            transcript(&output).contains(said),
            "{}",
            transcript(&output)
        );
        let output = yimi(&["check", &project16, "--lang", lang]);
        assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
        assert!(
            transcript(&output).contains(said),
            "{}",
            transcript(&output)
        );
    }
}

/// Waivers and baselines that would be accepted wrongly: each is refused with exit code 2 and
/// one message naming the file and the place.
#[test]
fn wrong_waivers_and_baselines_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let project = project.to_string_lossy().into_owned();
    let long = format!(
        "yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: {}\n",
        "理由".repeat(1_001)
    );
    for (name, text, located, message) in [
        (
            "blank.yaml",
            "yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: \"   \"\n",
            "blank.yaml:4:13",
            "the waiver's reason is blank",
        ),
        (
            "filler.yaml",
            "yimi: 1\nwaivers:\n  - rule: SH-068a\n    reason: \"\\u3164\\u200b-\"\n",
            "filler.yaml:4:13",
            "the waiver's reason is blank",
        ),
        (
            "long.yaml",
            long.as_str(),
            "long.yaml:4:13",
            "the waiver's reason is 2002 characters long, more than 2000",
        ),
        (
            "scope.yaml",
            "yimi: 1\nwaivers:\n  - rule: SH-068a\n    scope: \"[[[[\"\n    reason: approved\n",
            "scope.yaml:4:12",
            "the waiver's scope `[[[[` is not a YAML path",
        ),
    ] {
        let path = write_temp(dir.path(), name, text);
        let output = yimi(&["check", "--lang", "en", &project, "--waivers", &path]);
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{name}\n{text}");
        assert!(
            text.contains(located) && text.contains(message),
            "{name}\n{text}"
        );
        assert_eq!(text.matches("  × ").count(), 1, "{name}\n{text}");
    }
    // Located at the value, with a code and a hint, as a bad waivers file is (audit 12 A4).
    for (name, text, located, code, message) in [
        (
            "v2.json",
            r#"{"format": "yimi-report", "version": 2, "files": []}"#,
            "v2.json:1:38",
            "baseline::version",
            "`\"version\": 2`; this build reads reports of version 1",
        ),
        (
            "nofiles.json",
            r#"{"format": "yimi-report", "version": 1}"#,
            "nofiles.json:1:39",
            "baseline::not-a-report",
            "no `\"files\"`",
        ),
        (
            "twice.json",
            "{\"format\": \"yimi-report\", \"version\": 1,\n \"files\": [], \"files\": []}",
            "twice.json:2:15",
            "baseline::duplicate-key",
            "not a yimi JSON report: duplicate field `files`",
        ),
    ] {
        let path = write_temp(dir.path(), name, text);
        let output = yimi(&["check", "--lang", "en", &project, "--baseline", &path]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}\n{stderr}");
        assert!(
            stderr.starts_with(code) && stderr.contains(message),
            "{name}\n{stderr}"
        );
        assert!(stderr.contains(&format!("{located}]")), "{name}\n{stderr}");
        assert!(stderr.contains("  help: "), "{name}\n{stderr}");
        assert_eq!(stderr.matches("  × ").count(), 1, "{name}\n{stderr}");
    }
}

/// Hostile review 8 F2: a waiver scope that names no key of the project model matches nothing;
/// a waivers file and a project file's own `waivers:` say so alike (a warning located at the
/// scope, with "did you mean"), and a scope the model has is quiet.
#[test]
fn a_waiver_scope_outside_the_model_is_a_warning() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let park = std::fs::read_to_string(&project).expect("the example");
    let park_lines = park.lines().count();
    let project = project.to_string_lossy().into_owned();
    for (scope, expected) in [
        (
            "$.facilities",
            Some("`$` in the waiver's scope `$.facilities` is not a key of the project file"),
        ),
        ("Facilities[0]", Some("did you mean `facilities`?")),
        (
            "facilities.places",
            Some("`places` in the waiver's scope `facilities.places` is not a key"),
        ),
        ("facilities[0].places", None),
        ("site.area_m2", None),
    ] {
        let path = write_temp(
            dir.path(),
            "w.yaml",
            &format!(
                "yimi: 1\nwaivers:\n  - rule: SH-068a\n    scope: \"{scope}\"\n    reason: 见批复 12 号\n"
            ),
        );
        let output = yimi(&[
            "check",
            "--lang",
            "en",
            "--format",
            "plain",
            &project,
            "--waivers",
            &path,
        ]);
        let text = transcript(&output);
        assert_ne!(output.status.code(), Some(2), "{scope}\n{text}");
        match expected {
            Some(message) => {
                assert!(
                    text.contains("waiver::scope-unknown") && text.contains(message),
                    "{scope}\n{text}"
                );
                assert!(text.contains("w.yaml:4:12"), "{scope}\n{text}");
            }
            None => assert!(!text.contains("waiver::scope-unknown"), "{scope}\n{text}"),
        }
        // The same waiver written inside the project file: the same warning, at its scope.
        let inline = write_temp(
            dir.path(),
            "inline.yaml",
            &format!(
                "{park}waivers:\n  - rule: SH-068a\n    scope: \"{scope}\"\n    reason: 见批复 12 号\n"
            ),
        );
        for lang in ["en", "zh"] {
            let output = yimi(&["check", "--lang", lang, "--format", "plain", &inline]);
            let text = transcript(&output);
            assert_ne!(output.status.code(), Some(2), "{scope}\n{text}");
            let at = format!("inline.yaml:{}:12", park_lines + 3);
            match expected {
                Some(message) => {
                    let warned = text
                        .lines()
                        .find(|line| line.contains("waiver::scope-unknown"))
                        .unwrap_or_else(|| panic!("{scope} {lang}\n{text}"));
                    assert!(warned.contains(&at), "{scope} {lang}\n{text}");
                    if lang == "en" {
                        assert!(text.contains(message), "{scope}\n{text}");
                    } else {
                        assert!(text.contains("这条豁免不会覆盖任何发现"), "{scope}\n{text}");
                    }
                    assert_eq!(
                        text.matches("waiver::scope-unknown").count(),
                        1,
                        "{scope} {lang}\n{text}"
                    );
                }
                None => assert!(!text.contains("waiver::scope-unknown"), "{scope}\n{text}"),
            }
        }
    }
}

/// A waiver in a project file whose reason is blank (`""`, spaces) is refused as one without a
/// reason is (#12): exit 2, one message located at the reason, in both languages, with a hint;
/// the file is not checked beside it (no verdict, no finding).
#[test]
fn a_blank_waiver_reason_in_a_project_file_is_refused_like_a_missing_one() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let park = std::fs::read_to_string(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
        .expect("the example");
    for (name, reason, located) in [
        ("empty.yaml", "    reason: \"\"\n", ":23:13"),
        ("spaces.yaml", "    reason: \"   \"\n", ":23:13"),
        ("missing.yaml", "", ":22:5"),
    ] {
        let text =
            format!("{park}waivers:\n  - rule: SH-068a\n{reason}    approved_by: 区规划资源局\n");
        let path = write_temp(dir.path(), name, &text);
        for (lang, message, hint) in [
            (
                "en",
                "the waiver's reason is blank",
                "say why the rule is waived",
            ),
            ("zh", "豁免的理由是空白", "写明为什么豁免"),
        ] {
            let output = yimi(&["check", "--lang", lang, "--format", "plain", &path]);
            let text = transcript(&output);
            assert_eq!(output.status.code(), Some(2), "{name} {lang}\n{text}");
            assert!(
                text.contains(&format!("{name}{located}")),
                "{name} {lang}\n{text}"
            );
            assert!(!text.contains("SH-068a]"), "{name} {lang}: checked\n{text}");
            if reason.is_empty() {
                continue;
            }
            assert!(
                text.contains(message) && text.contains(hint),
                "{name} {lang}\n{text}"
            );
            assert!(text.contains("waiver::no-reason"), "{name} {lang}\n{text}");
        }
    }
}

/// A baseline made on `det` matches runs on `./det`, `det//` and the absolute path.
#[test]
fn a_baseline_matches_however_the_directory_is_named() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let det = dir.path().join("det");
    std::fs::create_dir(&det).expect("a directory");
    std::fs::copy(
        Path::new(ROOT).join("examples/sh-huangpu-park.yaml"),
        det.join("p.yaml"),
    )
    .expect("the example is copied");
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("yimi runs")
    };
    let made = run(&["check", "det", "--format", "json", "-o", "base.json"]);
    assert_eq!(made.status.code(), Some(0));
    let absolute = det.to_string_lossy().into_owned();
    for named in ["./det", "det//", absolute.as_str()] {
        let output = run(&[
            "check",
            "--lang",
            "en",
            "--format",
            "plain",
            named,
            "--baseline",
            "base.json",
        ]);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(
            text.contains("against the baseline: 0 new, 4 already in it"),
            "{named}\n{text}"
        );
    }
}

/// Two byte-order marks: one error naming the second, not a missing `yimi` and an unknown key.
#[test]
fn a_second_byte_order_mark_is_one_error() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bom.yaml");
    std::fs::write(
        &path,
        "\u{feff}\u{feff}yimi: 1\nproject: {id: X, kind: park, jurisdiction: CN/SH}\n",
    )
    .expect("written");
    let path = path.to_string_lossy().into_owned();
    let output = yimi(&["check", "--lang", "en", &path]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    assert_eq!(text.matches("  × ").count(), 1, "{text}");
    assert!(
        text.contains("the file starts with two byte-order marks"),
        "{text}"
    );
    assert!(text.contains("bom.yaml:1:2]"), "{text}");
}

/// Dividing by a zero the file states decides nothing: the rule is insufficient evidence, and
/// the message names the divisor's key and says it is zero (not that it is missing).
#[test]
fn a_stated_zero_divisor_is_named() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rules = write_temp(
        dir.path(),
        "zero.yimi",
        "pack local {\n  source shanghai-2023\n  jurisdiction CN/SH\n}\n\nrule LOCAL-1 \"green share\" {\n  domain   space\n  strength shall\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  site.area_m2 / site.green_area_m2 > 1\n}\n",
    );
    let project = std::fs::read_to_string(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
        .expect("the example is readable")
        .replace("green_area_m2: 9800", "green_area_m2: 0");
    let project = write_temp(dir.path(), "p.yaml", &project);
    let output = yimi(&[
        "check",
        "--lang",
        "en",
        "--format",
        "plain",
        "--no-builtin",
        "--lapsed",
        "binding",
        "--rules",
        &rules,
        &project,
    ]);
    let text = transcript(&output);
    // Missing evidence for a `shall` rule is a warning: below the default `--fail-on error`.
    assert_eq!(output.status.code(), Some(0), "{text}");
    assert!(text.contains("1 insufficient evidence"), "{text}");
    assert!(
        text.contains("cannot decide “green share”: the rule divides by `site.green_area_m2`, which the file states as zero"),
        "{text}"
    );
    assert!(text.contains("p.yaml:15:18"), "{text}");

    // Hostile review 8 F14: a divisor that is zero by the rule's own arithmetic on a stated
    // 12 000 is the rule's doing; the message does not say the file states zero.
    let rules = write_temp(
        dir.path(),
        "arithmetic.yimi",
        "pack local {\n  source shanghai-2023\n  jurisdiction CN/SH\n}\n\nrule LOCAL-1 \"green share\" {\n  domain   space\n  strength shall\n  cite     shanghai-2023 §68 \"3000平方米以上的公园绿地优先满足儿童活动需求\"\n  require  site.area_m2 / (site.area_m2 - site.area_m2) > 1\n}\n",
    );
    let project = write_temp(
        dir.path(),
        "park.yaml",
        &std::fs::read_to_string(Path::new(ROOT).join("examples/sh-huangpu-park.yaml"))
            .expect("the example is readable"),
    );
    let output = yimi(&[
        "check",
        "--lang",
        "en",
        "--format",
        "plain",
        "--no-builtin",
        "--lapsed",
        "binding",
        "--rules",
        &rules,
        &project,
    ]);
    let text = transcript(&output);
    assert!(text.contains("1 insufficient evidence"), "{text}");
    assert!(!text.contains("which the file states as zero"), "{text}");
    assert!(
        text.contains(
            "the rule's divisor, computed from `site.area_m2` as the file states it, is zero"
        ),
        "{text}"
    );
}

/// A project with `count` play areas that all serve the same age group: the case with no early
/// answer for a rule that compares them in pairs.
fn play_areas(count: usize) -> String {
    let mut text = String::from(
        "yimi: 1\nproject:\n  id: T-BIG\n  kind: park\n  jurisdiction: CN/ZJ/Shaoxing/Shangyu\nfacilities:\n",
    );
    for i in 0..count {
        text.push_str(&format!(
            "  - {{ id: p{i}, kind: play_area, age_groups: [\"3-6\"] }}\n"
        ));
    }
    text
}

/// A local pack whose rule compares play areas in pairs (as SY-016d did before
/// `count_distinct`): its steps grow with the square of their number.
const PAIRS_PACK: &str = r#"pack local-pairs {
  source       shangyu-2025
  jurisdiction CN/ZJ/Shaoxing/Shangyu
}

rule LOCAL-PAIRS "活动设施适合不同年龄段儿童" {
  domain   space
  strength should
  cite     shangyu-2025 §16 "科学配置适合不同年龄段儿童的活动器材"
  require  any(facilities, a => any(facilities, b => any(b.age_groups, g => g not in a.age_groups)))
}
"#;

/// The outcome and message of `rule` in a JSON report of `args`.
fn finding_of(args: &[&str], rule: &str) -> (String, String) {
    let output = yimi(args);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("a JSON report\n{}", transcript(&output)));
    let finding = report["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|finding| finding["rule_id"] == rule)
        .cloned()
        .unwrap_or_else(|| panic!("{rule} applies: {report:#}"));
    (
        finding["outcome"].as_str().unwrap_or_default().to_owned(),
        format!(
            "{}\n{}",
            finding["message"].as_str().unwrap_or_default(),
            finding["hint"].as_str().unwrap_or_default()
        ),
    )
}

/// A rule over pairs of a long list stops at the step budget and is undecided, saying so;
/// `--max-steps` raises the budget, and then it is decided. SY-016d counts age groups in one
/// pass: it is decided on thousands of play areas within a budget a few times their number,
/// which no rule comparing pairs could be.
#[test]
fn a_rule_over_pairs_of_a_long_list_stops_at_its_budget() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pack = write_temp(dir.path(), "pairs.yimi", PAIRS_PACK);
    let few = write_temp(dir.path(), "play200.yaml", &play_areas(200));
    let check = |project: &str, steps: Option<&str>, rule: &str| {
        let mut args = vec![
            "check", "--lang", "en", "--format", "json", "--rules", &pack,
        ];
        if let Some(steps) = steps {
            args.extend(["--max-steps", steps]);
        }
        args.push(project);
        finding_of(&args, rule)
    };
    // 200 areas in pairs: some 80 000 elements visited.
    let (outcome, message) = check(&few, Some("10000"), "LOCAL-PAIRS");
    assert_eq!(outcome, "insufficient_evidence", "{message}");
    assert!(
        message.contains("more than the budget of 10000 list elements visited"),
        "{message}"
    );
    // The hint, on the command line, names the option that raises the budget.
    assert!(
        message.contains("the budget is raised with `--max-steps`"),
        "{message}"
    );
    assert_eq!(check(&few, None, "LOCAL-PAIRS").0, "fail");
    assert_eq!(check(&few, Some("200000"), "LOCAL-PAIRS").0, "fail");
    // 3 000 areas: SY-016d is decided within ten steps an area (pairs would take 9 000 000).
    let many = write_temp(dir.path(), "play3000.yaml", &play_areas(3000));
    assert_eq!(check(&many, Some("30000"), "SY-016d").0, "fail");
    assert_eq!(check(&many, None, "LOCAL-PAIRS").0, "insufficient_evidence");
}

/// `--max-steps` is a positive count no larger than 10^12; anything else is refused by the
/// command line (exit 2) with the range.
#[test]
fn the_step_budget_flag_is_bounds_checked() {
    let example = "examples/sh-huangpu-park.yaml";
    for bad in [
        "0",
        "-1",
        "1000000000001",
        "99999999999999999999999",
        "many",
        "\u{1b}[2J",
    ] {
        let flag = format!("--max-steps={bad}");
        let output = yimi(&["check", &flag, example]);
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{bad}: {text}");
        assert!(text.contains("--max-steps"), "{bad}: {text}");
        assert!(!text.contains("panicked"), "{bad}: {text}");
        assert!(!text.contains('\u{1b}'), "{bad}: {text}");
    }
    let output = yimi(&["check", "--max-steps", "1000000000000", example]);
    assert_ne!(output.status.code(), Some(2), "{}", transcript(&output));
}

/// A sources manifest is held to a project file's limits: an alias bomb and deep nesting are
/// refused with the line, not expanded.
#[test]
fn a_sources_manifest_is_held_to_the_yaml_limits() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut bomb = String::from("- id: x\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9 {
        let aliases = vec![format!("*a{}", level - 1); 10].join(", ");
        bomb.push_str(&format!("  a{level}: &a{level} [{aliases}]\n"));
    }
    std::fs::write(dir.path().join("index.yaml"), bomb).expect("written");
    let sources = dir.path().to_string_lossy().into_owned();
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let output = yimi(&[
        "check",
        "--lang",
        "en",
        "--sources",
        &sources,
        &project.to_string_lossy(),
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    // Refused at the first alias that re-uses more than the file writes out before it (the
    // rule project files follow), long before the 200 000 values the expansion would reach.
    assert!(
        unwrapped(&stderr).contains("aliases expand too far: up to alias `*a1`"),
        "{stderr}"
    );
    assert!(stderr.contains("index.yaml:4:52]"), "{stderr}");
}

/// A manifest value of the wrong type is worded, not given as the YAML reader's Rust types, and
/// shown at its line and column of `index.yaml`, in both languages.
#[test]
fn a_wrong_type_in_a_sources_manifest_is_worded_at_its_place() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("index.yaml"),
        "- id: q-2026\n  file: q.txt\n  title: q\n  issuer: q\n  date: 2026-01-01\n  jurisdiction: CN/JL/Changchun\n  level: city\n  status: in_force\n  original: x.txt\n  numbering: { part: cn-dun, item: arabic-dot }\n  corrections:\n    - original_line: 99999999999999999999999\n      cleaned_line: 1\n      original: a\n      corrected: b\n      note: c\n",
    )
    .expect("written");
    let sources = dir.path().display().to_string();
    for (lang, expected) in [
        (
            "en",
            "expected a line number (a whole number from 1), found the number `99999999999999999999999`, too large",
        ),
        (
            "zh",
            "应为从 1 起的行号(整数),这里是数 `99999999999999999999999` 太大",
        ),
    ] {
        let output = yimi(&["rules", "coverage", "--lang", lang, "--sources", &sources]);
        let stderr = in_tempdir(dir.path(), &String::from_utf8_lossy(&output.stderr));
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("╭─[[TMP]/index.yaml:12:22]"), "{stderr}");
        let squeezed = |text: &str| text.replace("\n  │ ", "").replace(' ', "");
        assert!(squeezed(&stderr).contains(&squeezed(expected)), "{stderr}");
        assert!(
            !stderr.contains("usize") && !stderr.contains("u128"),
            "{stderr}"
        );
    }
}

/// The hostile text of [`HOSTILE`] as a rule file writes it: raw characters (a pack string
/// takes any but `"`, `\` and a line break), and `\n` for a line break. A backspace stands where
/// a carriage return would overwrite the line: a pack holding a carriage return that does not end
/// a CRLF line end is refused whole (`rules::line-ends`, case r62).
const PACK_HOSTILE: &str = "园\u{1b}]0;owned\u{7}\u{1b}[2J\\n::error file=x::pwned\u{8}##vso[task.complete result=Succeeded]\u{202e}\u{2066}\u{200b}\u{9b}1m";

/// A local pack whose every text is hostile: title, message, hint, advice, doc, the reason for
/// its strength, a condition, a parameter's basis, the reason a clause is not checkable, and the
/// name of a fixture.
fn hostile_pack(fixture: &str) -> String {
    let h = PACK_HOSTILE;
    format!(
        r#"pack local-hostile {{
  source       shanghai-2023
  jurisdiction CN/SH/Pudong
  version      "{h}"
}}

param local_area {{
  label "{h}" en "{h}"
  value at_least 3000 m2
  cite  shanghai-2023 §68 "3000平方米以上的公园绿地优先满足儿童活动需求"
  basis "{h}" en "{h}"
}}

not_checkable §9 "{h}" en "{h}"

rule LOCAL-HOSTILE "{h}" en "{h}" {{
  domain   space
  strength shall because "{h}" en "{h}"
  cite     shanghai-2023 §68 "3000平方米以上的公园绿地优先满足儿童活动需求"
  require  site.area_m2 >= param.local_area and not contains(project.name, "{h}")
  message  "{h}" en "{h}"
  hint     "{h}" en "{h}"
  advice   "{h}" en "{h}"
  doc      "{h}" en "{h}"
  test pass "{fixture}"
}}
"#
    )
}

/// Text from a local rule pack (or its fixtures) reaches no command's output raw: `explain`,
/// `rules list`, `lint`, `test`, `coverage` in every format, and `check`. A terminal sees the
/// hidden characters as `\u{…}`, and no line starts a CI command.
#[test]
fn text_from_a_local_pack_never_reaches_the_output_raw() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let fixture = "\u{1b}[2J::error::f\u{202e}.yaml";
    let project = format!(
        "yimi: 1\nproject:\n  id: T\n  name: \"{}\"\n  kind: park\n  jurisdiction: CN/SH/Pudong\nsite:\n  area_m2: 100\n",
        HOSTILE
    );
    std::fs::write(dir.path().join(fixture), &project).expect("the fixture is written");
    let pack = write_temp(dir.path(), "hostile.yimi", &hostile_pack(fixture));
    let project = write_temp(dir.path(), "p.yaml", &project);
    let runs: Vec<(Vec<&str>, bool)> = vec![
        (vec!["explain", "LOCAL-HOSTILE", "--rules", &pack], true),
        (vec!["rules", "list", "--rules", &pack], true),
        (
            vec!["rules", "list", "--format", "json", "--rules", &pack],
            false,
        ),
        (vec!["rules", "lint", &pack], true),
        (vec!["rules", "test", &pack], true),
        (
            vec!["rules", "coverage", "--source", "shanghai-2023", &pack],
            true,
        ),
        (
            vec!["rules", "coverage", "--format", "markdown", &pack],
            false,
        ),
        (vec!["rules", "coverage", "--format", "json", &pack], false),
        (
            vec!["check", "--format", "human", "--rules", &pack, &project],
            true,
        ),
        (
            vec!["check", "--format", "plain", "--rules", &pack, &project],
            true,
        ),
    ];
    for (args, terminal) in runs {
        for lang in ["en", "zh"] {
            let mut all = args.clone();
            all.extend(["--lang", lang]);
            let output = yimi(&all);
            let text = transcript(&output);
            assert!(!text.contains("panicked"), "{all:?}: {text}");
            assert_ne!(output.status.code(), Some(2), "{all:?}: {text}");
            let found = spoofing(&String::from_utf8_lossy(&output.stdout), terminal);
            assert!(found.is_empty(), "{all:?}: {found:#?}\n{text}");
            let found = spoofing(&String::from_utf8_lossy(&output.stderr), true);
            assert!(found.is_empty(), "{all:?}: {found:#?}\n{text}");
            // Coverage quotes only the reasons of clauses no other pack classifies (the built-in
            // Shanghai pack classifies them all); its escaping has a unit test.
            if args.contains(&"coverage") {
                continue;
            }
            let shown = if terminal {
                "\\u{1b}[2J"
            } else if args.contains(&"json") {
                "\\u001b[2J"
            } else {
                "\\u{1b}[2J"
            };
            assert!(
                text.contains(shown),
                "{all:?}: the hostile text is not shown escaped\n{text}"
            );
        }
    }
}

/// A built-in rule counting the age groups of thousands of play areas, none stated, is undecided
/// for want of every one of them: its message names the first ten and counts the rest, and the
/// human report underlines the first twenty places and counts the rest. Naming and underlining
/// them all made a 1.4 MB file's human report 13 MB, laid out by miette in minutes (every label
/// against the whole excerpt); the sizes asserted here would not hold without the bounds.
#[test]
fn an_aggregate_missing_thousands_of_values_is_reported_in_bounded_space() {
    let areas = 10_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shown = many_play_areas(dir.path(), areas);
    let output = yimi(&["check", "--lang", "en", "--as-of", "2026-11-23", &shown]);
    let report = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    let more = areas - 10;
    assert!(
        report.contains(&format!("`facilities[9].age_groups` and {more} more")),
        "{report}"
    );
    let unmarked = areas - 20;
    assert!(
        report.contains(&format!("{unmarked} more places are not marked here")),
        "{report}"
    );
    assert!(report.len() < 64 * 1024, "{} bytes", report.len());
}

/// The same finding in every format (`json`, `sarif`, `plain`, `junit`, `markdown`, `html` and
/// the Word review opinion) lists the first twenty missing keys and counts the rest, in both
/// languages: listing every one made a 1.4 MB file a 52 MB SARIF report (486 MB of memory) and an
/// 8 MB Word report. Each report here is a few tens of kilobytes (the Word document's body about
/// 120 kB); listing the 10 000 keys would take megabytes.
#[test]
fn the_missing_keys_of_one_finding_are_listed_up_to_twenty_in_every_format() {
    let areas = 10_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let shown = many_play_areas(dir.path(), areas);
    // JUnit lists the missing keys only of a binding rule (a weaker one, or a draft's, is skipped
    // with its message, which names ten): a local `shall` pack makes the built-in rule's test
    // binding, with `--drafts binding` since its source is Shangyu's consultation draft.
    let binding = write_temp(
        dir.path(),
        "binding.yimi",
        "# tests: a binding rule undecided for want of every play area's age groups\n\
         pack local-ages {\n  source       shangyu-2025\n  jurisdiction CN/ZJ/Shaoxing/Shangyu\n  version      \"2026.1\"\n}\n\n\
         rule LOCAL-1 \"活动设施适合不同年龄段儿童\" en \"Play facilities suit children of different ages\" {\n\
         \x20 domain   space\n  strength shall\n\
         \x20 cite     shangyu-2025 §16 \"科学配置适合不同年龄段儿童的活动器材\"\n\
         \x20 require  count_distinct(facilities, f => f.age_groups) >= 2\n  at       facilities\n\
         \x20 message  \"儿童活动设施只适合一个年龄段\" en \"the play facilities serve only one age group\"\n}\n",
    );
    let run_in = |lang: &str, format: &str, rules: &[&str]| {
        let mut args = vec!["check", "--lang", lang, "--as-of", "2026-11-23"];
        args.extend(rules);
        args.extend(["--format", format, &shown]);
        let output = yimi(&args);
        assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
        // The Word document carries its styles, numbering and footer besides the body.
        let bound = if format == "docx" { 256 } else { 128 } * 1024;
        assert!(
            output.stdout.len() < bound,
            "{format} ({lang}): {} bytes",
            output.stdout.len()
        );
        output.stdout
    };
    let run = |format: &str| run_in("en", format, &[]);
    let undecided = |findings: &serde_json::Value, id: &str| {
        findings
            .as_array()
            .expect("findings")
            .iter()
            .find(|finding| finding[id] == "SY-016d")
            .cloned()
            .expect("SY-016d is undecided")
    };
    let json: serde_json::Value = serde_json::from_slice(&run("json")).expect("a JSON report");
    let finding = undecided(&json["files"][0]["findings"], "rule_id");
    let missing = finding["missing"].as_array().expect("a list");
    assert_eq!(missing.len(), 20);
    assert_eq!(missing[19]["path"], "facilities[19].age_groups");
    assert_eq!(finding["missing_more"], areas - 20);

    let sarif: serde_json::Value = serde_json::from_slice(&run("sarif")).expect("a SARIF log");
    let result = undecided(&sarif["runs"][0]["results"], "ruleId");
    let missing = result["properties"]["missing"].as_array().expect("a list");
    assert_eq!(missing.len(), 20);
    assert_eq!(missing[19], "facilities[19].age_groups");
    assert_eq!(result["properties"]["missingMore"], areas - 20);
    assert_eq!(
        result["relatedLocations"].as_array().map(Vec::len),
        Some(20)
    );

    let plain = String::from_utf8(run("plain")).expect("UTF-8");
    assert_eq!(
        plain.matches("  missing: facilities[").count(),
        20,
        "{plain}"
    );
    assert!(
        plain.contains("  missing: facilities[19].age_groups ("),
        "{plain}"
    );
    assert!(
        plain.contains(&format!("  missing: {} more\n", areas - 20)),
        "{plain}"
    );
    assert!(
        plain.contains(&format!(
            "  {} more places are not marked here\n",
            areas - 20
        )),
        "{plain}"
    );

    // The other formats, in both languages, one run each: the binding rule's test and the
    // built-in one each list twenty and count the rest.
    let more = areas - 20;
    for lang in ["en", "zh"] {
        let report = |format: &str| dir.path().join(format!("{lang}.{format}"));
        let (markdown, html, docx) = (report("md"), report("html"), report("docx"));
        let [markdown_to, html_to, docx_to] =
            [&markdown, &html, &docx].map(|path| path.display().to_string());
        let (markdown_to, html_to, docx_to) = (
            format!("markdown={markdown_to}"),
            format!("html={html_to}"),
            format!("docx={docx_to}"),
        );
        let junit = run_in(
            lang,
            "junit",
            &[
                "--rules",
                &binding,
                "--drafts",
                "binding",
                "--report",
                &markdown_to,
                "--report",
                &html_to,
                "--report",
                &docx_to,
            ],
        );
        let junit = String::from_utf8(junit).expect("UTF-8");
        let (label, rest) = if lang == "zh" {
            ("缺少", format!("另有 {more} 项"))
        } else {
            ("missing", format!("{more} more"))
        };
        let listed = format!("{label}: facilities[");
        assert_eq!(junit.matches(&listed).count(), 20, "{lang}\n{junit}");
        assert!(
            junit.contains(&format!("{label}: facilities[19].age_groups\n")),
            "{lang}\n{junit}"
        );
        // Only the binding rule's case lists them: the built-in one is skipped with its message.
        assert_eq!(
            junit.matches(&format!("{label}: {rest}\n")).count(),
            1,
            "{lang}\n{junit}"
        );

        let read = |path: &Path| {
            let bytes = std::fs::read(path).expect("the report is written");
            // The Word document carries its styles, numbering and footer besides the body.
            let bound = if path == docx.as_path() { 256 } else { 128 } * 1024;
            assert!(
                bytes.len() < bound,
                "{}: {} bytes",
                path.display(),
                bytes.len()
            );
            bytes
        };
        let markdown = String::from_utf8(read(&markdown)).expect("UTF-8");
        let html = String::from_utf8(read(&html)).expect("UTF-8");
        let word = docx_text(&read(&docx));
        for text in [&markdown, &html, &word] {
            assert!(text.contains("facilities[19].age_groups"), "{lang}\n{text}");
            assert!(!text.contains("facilities[20]"), "{lang}\n{text}");
        }
        // One line per missing fact, naming both rules that need it: twenty keys, listed once.
        let and = if lang == "zh" { "、" } else { ", " };
        assert_eq!(
            markdown
                .matches(&format!("LOCAL-1{and}SY-016d · `facilities["))
                .count(),
            20,
            "{lang}\n{markdown}"
        );
        let missing_list = html
            .split("<ul class=\"missing\">")
            .nth(1)
            .and_then(|rest| rest.split("</ul>").next())
            .expect("the missing list");
        assert_eq!(
            missing_list.matches("<code>facilities[").count(),
            20,
            "{lang}\n{missing_list}"
        );
        for code in ["SY-016d", "LOCAL-1"] {
            let rest = if lang == "zh" {
                format!("另有 {more} 项未列出 — {code}")
            } else {
                format!("{more} more not listed — {code}")
            };
            assert!(
                markdown.contains(&format!("\n- {rest}\n")),
                "{lang}\n{markdown}"
            );
            assert!(html.contains(&format!("<li>{rest}</li>")), "{lang}\n{html}");
            // The Word list names both rules on each of the twenty keys' lines, then the rest.
            assert_eq!(
                word.matches(&format!("LOCAL-1{and}SY-016d · facilities["))
                    .count(),
                20,
                "{lang}\n{word}"
            );
            assert!(word.contains(&rest), "{lang}\n{word}");
        }
    }
}

/// The text of a Word document: its body's XML without tags.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("a body"),
        &mut xml,
    )
    .expect("UTF-8");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Writes the Shangyu riverside example with `areas` play areas, none stating its age groups, in
/// `dir`; returns its path.
fn many_play_areas(dir: &Path, areas: usize) -> String {
    let example =
        std::fs::read_to_string(Path::new(ROOT).join("examples/sy-riverside-public-space.yaml"))
            .expect("the example is readable");
    let head = example
        .split("facilities:")
        .next()
        .expect("the example lists facilities");
    let mut text = format!(
        "{}facilities:\n",
        head.trim_end_matches('\n').to_owned() + "\n"
    );
    for index in 0..areas {
        text.push_str(&format!("  - {{ id: p{index}, kind: play_area }}\n"));
    }
    let path = dir.join("many-play-areas.yaml");
    std::fs::write(&path, &text).expect("written");
    path.display().to_string()
}

/// A Changchun residential project with `count` facilities, none stating its places (JL-005a)
/// nor its delivery (JL-005b): one missing key per facility, as the hostile review's H8 file.
fn childcare_without_places(count: usize, waivers: &str) -> String {
    let mut text = String::from(
        "yimi: 1\nproject:\n  id: P\n  name: n\n  kind: residential\n  stage: planning\n  \
         jurisdiction: CN/JL/Changchun\n  major: true\n  concerns_children: true\n  \
         decision_date: 2026-04-15\n  new_build: true\nsite: {area_m2: 96000}\n\
         population: {residents: 12000, households: 4300}\n",
    );
    text.push_str(waivers);
    text.push_str("facilities:\n");
    for _ in 0..count {
        text.push_str("  - {kind: childcare_centre}\n");
    }
    text
}

/// The finding of `rule` in a JSON report.
fn json_finding(json: &serde_json::Value, rule: &str) -> serde_json::Value {
    json["files"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|finding| finding["rule_id"] == rule)
        .cloned()
        .unwrap_or_else(|| panic!("a finding of {rule}: {json}"))
}

/// Missing keys past those a finding keeps are counted, not kept (#12 F3): the counts stay exact,
/// across several values of a rule and with the message's own count, and the keys listed are the
/// first in the file's order.
#[test]
fn keys_missing_on_500_facilities_are_listed_first_twenty_and_counted_exactly() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write_temp(
        dir.path(),
        "missing500.yaml",
        &childcare_without_places(500, ""),
    );
    let output = yimi(&["check", "--lang", "en", "--format", "json", &file]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", transcript(&output)));

    let places = json_finding(&json, "JL-005a");
    assert_eq!(places["outcome"], "insufficient_evidence");
    let listed: Vec<&str> = places["missing"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|missing| missing["path"].as_str())
        .collect();
    let expected: Vec<String> = (0..20).map(|i| format!("facilities[{i}].places")).collect();
    assert_eq!(listed, expected);
    assert_eq!(places["missing_more"], 480);
    let message = places["message"].as_str().expect("a message");
    assert!(
        message.ends_with("`facilities[9].places` and 490 more"),
        "{message}"
    );

    // Two keys per facility and one of the project, in the order the rule reads them.
    let delivery = json_finding(&json, "JL-005b");
    let listed: Vec<&str> = delivery["missing"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|missing| missing["path"].as_str())
        .collect();
    assert_eq!(
        listed.get(..5),
        Some(
            &[
                "facilities[0].delivered_with_housing",
                "facilities[0].delivery_date",
                "project.housing_delivery_date",
                "facilities[1].delivered_with_housing",
                "facilities[1].delivery_date",
            ][..]
        )
    );
    assert_eq!(listed.len(), 20);
    assert_eq!(delivery["missing_more"], 1001 - 20);

    let output = yimi(&["check", "--lang", "en", "--format", "plain", &file]);
    let plain = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(plain.contains("  missing: 480 more\n"), "{plain}");
    assert!(plain.contains("  missing: 981 more\n"), "{plain}");
}

/// A scoped waiver covers a finding with any of its paths in scope, also one past the keys a
/// finding lists: the 301st facility's missing places are not shown, but still waivable.
#[test]
fn a_waiver_scoped_to_a_key_past_those_listed_still_covers_the_finding() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let waived = |scope: &str| {
        let waivers = format!(
            "waivers:\n  - rule: JL-005a\n    scope: {scope}\n    reason: places stated in the annex\n"
        );
        let file = write_temp(
            dir.path(),
            "waived.yaml",
            &childcare_without_places(500, &waivers),
        );
        let output = yimi(&["check", "--lang", "en", "--format", "json", &file]);
        let json: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("{}", transcript(&output)));
        json_finding(&json, "JL-005a")["outcome"].clone()
    };
    assert_eq!(waived("facilities[300].places"), "waived");
    assert_eq!(waived("facilities[300]"), "waived");
    // A scope that none of the paths is under waives nothing.
    assert_eq!(waived("facilities[500]"), "insufficient_evidence");
}

/// A Changchun residential project listing `count` parks, none stating what it includes: JL-016d
/// asks each park for a play area, so every park is one unknown `includes`.
fn parks_without_includes(count: usize) -> String {
    common::changchun_residential_listing(count, "{kind: park}")
}

/// 30 000 parks without `includes` (#12): JL-016d's `all` gathers one unknown path per park, and
/// merging each into those gathered so far compared it with every one of them, so the check
/// grew with the square of the parks (60 000 parks: 78-103 s in a release build; in a debug build
/// with that merge, 4 000 / 8 000 / 16 000 parks took 2.3 / 8.0 / 31 s, so 30 000 some two
/// minutes). Merged through a set it is linear, a few seconds here; the
/// finding still names the first keys in file order and counts the rest exactly. No time is
/// asserted: the old code made this test run for minutes, not fail.
#[test]
fn thirty_thousand_parks_without_includes_are_checked_in_linear_time() {
    let parks = 30_000;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write_temp(dir.path(), "parks.yaml", &parks_without_includes(parks));
    let output = yimi(&["check", "--lang", "en", "--format", "json", &file]);
    assert_eq!(output.status.code(), Some(1), "{}", transcript(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{}", transcript(&output)));
    let finding = json_finding(&json, "JL-016d");
    assert_eq!(finding["outcome"], "insufficient_evidence");
    let listed: Vec<&str> = finding["missing"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|missing| missing["path"].as_str())
        .collect();
    let expected: Vec<String> = (0..20)
        .map(|i| format!("facilities[{i}].includes"))
        .collect();
    assert_eq!(listed, expected);
    // Each park's `includes`, and `facilities` itself, for want of a play area among them.
    assert_eq!(finding["missing_more"], parks + 1 - 20);
    let message = finding["message"].as_str().expect("a message");
    let more = parks - 10;
    assert!(
        message.contains(&format!("`facilities[9].includes` and {more} more")),
        "{message}"
    );
    // The list-level clause survives the cap on kept paths (the 30 000th park is far past it).
    assert!(message.ends_with(PARKS_LACK_PLAY_AREA_EN), "{message}");
}

/// How JL-016d's message ends when the parks state nothing of what they include: `facilities`
/// itself lacks a play area, whatever the number of parks.
const PARKS_LACK_PLAY_AREA_EN: &str =
    ", nor does `facilities` hold an item whose kind of facility is children's play area";
const PARKS_LACK_PLAY_AREA_ZH: &str = ",`facilities` 中也没有设施类型为 儿童活动场地 的一项";

/// JL-016d's message says the same of 30 parks as of 3 000 (#12): the list-level path used to be
/// dropped once the element paths before it filled the 32 a finding keeps, and with it the clause
/// naming what `facilities` lacks. Both languages, every report's message.
#[test]
fn the_message_for_parks_without_includes_does_not_depend_on_their_number() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for parks in [30, 33, 3_000] {
        let file = write_temp(
            dir.path(),
            &format!("parks{parks}.yaml"),
            &parks_without_includes(parks),
        );
        for (lang, ending) in [
            ("en", PARKS_LACK_PLAY_AREA_EN),
            ("zh", PARKS_LACK_PLAY_AREA_ZH),
        ] {
            let output = yimi(&["check", "--lang", lang, "--format", "json", &file]);
            let json: serde_json::Value = serde_json::from_slice(&output.stdout)
                .unwrap_or_else(|_| panic!("{}", transcript(&output)));
            let finding = json_finding(&json, "JL-016d");
            assert_eq!(finding["outcome"], "insufficient_evidence", "{parks} parks");
            let message = finding["message"].as_str().expect("a message");
            assert!(
                message.ends_with(ending),
                "{parks} parks, {lang}: {message}"
            );
            // Each park's `includes` and `facilities` itself, listed or counted.
            let listed = finding["missing"].as_array().expect("a list").len();
            assert_eq!(
                listed + finding["missing_more"].as_u64().expect("a count") as usize,
                parks + 1,
                "{parks} parks"
            );
        }
    }
}

// ---- Sources manifests (#12 hostile review D9, D3) -------------------------------------------

/// A manifest entry of a sources directory: source `id` with the text `file`, extra lines after.
fn sources_entry(id: &str, file: &str, numbering: &str, extra: &str) -> String {
    format!(
        "- id: {id}\n  file: {file}\n  title: q\n  issuer: q\n  date: 2022-01-01\n  jurisdiction: CN/JL/Changchun\n  level: city\n  status: in_force\n  original: x.txt\n  numbering: {numbering}\n{extra}"
    )
}

const SOURCES_NUMBERING: &str = "{ part: cn-dun, item: arabic-dot }";

/// `text` without the terminal layout's line wrapping, which may break a message anywhere (in a
/// path, inside a word): without the wrapping and without spaces.
fn squeezed(text: &str) -> String {
    text.replace("\n  │ ", "").replace(' ', "")
}

/// `yimi rules coverage --sources DIR` in `lang`: the transcript, in the temporary directory.
fn with_sources(dir: &Path, sources: &Path, lang: &str) -> (Output, String) {
    let output = yimi(&[
        "rules",
        "coverage",
        "--lang",
        lang,
        "--sources",
        &sources.to_string_lossy(),
    ]);
    let text = in_tempdir(dir, &transcript(&output));
    (output, text)
}

/// A manifest may name one text under many ids: it is read and segmented once and shared, not
/// held once per entry (150 entries naming one 7.5 MB text held 2.2 GB; #12 D9). Another name
/// of the same file (a link inside the directory) is the same text; another numbering segments
/// it again, once.
#[cfg(unix)]
#[test]
fn a_sources_text_named_by_many_entries_is_read_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("sources");
    std::fs::write(
        sources.join("q.txt"),
        "前言\n一、总则\n1.第一条。\n2.第二条。\n",
    )
    .expect("text");
    std::os::unix::fs::symlink("q.txt", sources.join("alias.txt")).expect("a link inside");
    let mut manifest: String = (0..150)
        .map(|i| sources_entry(&format!("q{i}-2022"), "q.txt", SOURCES_NUMBERING, ""))
        .collect();
    manifest.push_str(&sources_entry(
        "alias-2022",
        "alias.txt",
        SOURCES_NUMBERING,
        "",
    ));
    manifest.push_str(&sources_entry(
        "items-2022",
        "q.txt",
        "{ item: arabic-dot }",
        "",
    ));
    std::fs::write(sources.join("index.yaml"), manifest).expect("manifest");
    let corpus = yimi::sources::corpus::Corpus::load_dir(&sources).expect("the corpus loads");
    assert_eq!(corpus.sources().len(), 152);
    assert_eq!(corpus.texts_read(), 1, "one file, however many names");
    assert_eq!(corpus.segmentations(), 2, "one per numbering");
    let first = corpus.get("q0-2022").expect("registered");
    for source in corpus.sources() {
        assert!(
            std::ptr::eq(source.text.as_ptr(), first.text.as_ptr()),
            "{} holds its own copy",
            source.id
        );
    }
    assert_eq!(first.clauses().len(), 3);
    let items = corpus.get("items-2022").expect("registered");
    assert_eq!(items.clauses().len(), 2, "its own numbering");
    let (output, text) = with_sources(dir.path(), &sources, "en");
    assert_eq!(output.status.code(), Some(0), "{text}");
}

/// The texts a manifest names are bounded in all, not only each (8 MiB): the entry whose text
/// takes them past the limit is refused at its `file:`, in both languages, exit 2. A text named
/// again is not counted again.
#[test]
fn the_texts_of_a_sources_manifest_are_bounded_in_all() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("sources");
    let limit = yimi::sources::corpus::MAX_SOURCES_TEXT_BYTES;
    // Three texts of just over a third of the limit: two fit, the third does not.
    let text = format!("一、总则\n1.{}\n", "甲".repeat(limit / 3 / 3 + 1));
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(sources.join(name), &text).expect("text");
    }
    let manifest = [
        sources_entry("a-2022", "a.txt", SOURCES_NUMBERING, ""),
        sources_entry("b-2022", "b.txt", SOURCES_NUMBERING, ""),
        sources_entry("again-2022", "a.txt", SOURCES_NUMBERING, ""),
        sources_entry("c-2022", "c.txt", SOURCES_NUMBERING, ""),
    ]
    .concat();
    std::fs::write(sources.join("index.yaml"), &manifest).expect("manifest");
    // The fourth entry's `file:` is on line 32, its value at column 9.
    assert_eq!(
        manifest.lines().nth(31),
        Some("  file: c.txt"),
        "the place asserted below"
    );
    let error = yimi::sources::corpus::Corpus::load_dir(&sources).expect_err("past the limit");
    let (_, line, column) = error.place().expect("located");
    assert_eq!((line, column), (32, 9));
    let bytes = text.len();
    let (output, shown) = with_sources(dir.path(), &sources, "en");
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(shown.contains("[TMP]/sources/index.yaml:32:9"), "{shown}");
    assert!(
        squeezed(&shown).contains(&squeezed(&format!(
            "`c.txt` ({bytes} bytes) takes the texts of this manifest past their limit of 16 MiB in all"
        ))),
        "{shown}"
    );
    let (output, shown) = with_sources(dir.path(), &sources, "zh");
    assert_eq!(output.status.code(), Some(2), "{shown}");
    assert!(shown.contains("[TMP]/sources/index.yaml:32:9"), "{shown}");
    assert!(
        squeezed(&shown).contains(&squeezed("合计超过 16 MiB 的上限")),
        "{shown}"
    );
    // Two of the three fit, however often they are named.
    std::fs::remove_file(sources.join("c.txt")).expect("removed");
    let fitting = [
        sources_entry("a-2022", "a.txt", SOURCES_NUMBERING, ""),
        sources_entry("b-2022", "b.txt", SOURCES_NUMBERING, ""),
        sources_entry("again-2022", "a.txt", SOURCES_NUMBERING, ""),
        sources_entry("b-again-2022", "b.txt", SOURCES_NUMBERING, ""),
    ]
    .concat();
    std::fs::write(sources.join("index.yaml"), fitting).expect("manifest");
    let corpus = yimi::sources::corpus::Corpus::load_dir(&sources).expect("within the limit");
    assert_eq!(corpus.texts_read(), 2);
}

/// Manifest errors are located at the value that is wrong and worded in the language asked for
/// (#12 D3): a raw control character (was: line 1, "position 221", English under `--lang zh`),
/// a bad `date:` or `id:` written with YAML escapes (was: not located), and a correction whose
/// `cleaned_line` is past the text's end (was: "invalid text at line 999999").
#[test]
fn sources_manifest_errors_are_located_in_both_languages() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("sources");
    std::fs::write(sources.join("q.txt"), "一、总则\n1.第一条。\n").expect("text");
    let first = sources_entry("first-2022", "q.txt", SOURCES_NUMBERING, "");
    // Each case: the second entry's extra lines or replaced values, the expected place, and a
    // part of the English and of the Chinese message.
    let cases: [(String, &str, &str, &str); 5] = [
        (
            sources_entry("raw-2022", "q.txt", SOURCES_NUMBERING, "")
                .replace("date: 2022-01-01", "date: \"2022-01-01\u{1b}]0;x\u{7}\""),
            "index.yaml:15:20",
            "the control character U+001B is not allowed raw in a YAML file; if it is really meant, write it as an escape inside a double-quoted string, `\\e` / `\\x1b`",
            "YAML 文件中不能直接写控制字符 U+001B。若确实需要这个字符,请在双引号字符串中写作转义 `\\e` / `\\x1b`",
        ),
        (
            sources_entry("escaped-2022", "q.txt", SOURCES_NUMBERING, "")
                .replace("date: 2022-01-01", "date: \"2022-02-30\\e]0;x\\a\""),
            "index.yaml:15:9",
            "is not YYYY-MM-DD",
            "不是 YYYY-MM-DD",
        ),
        (
            sources_entry("x", "q.txt", SOURCES_NUMBERING, "")
                .replace("id: x", "id: \"my jl\\e[2J\""),
            "index.yaml:11:7",
            "must be lowercase letters, digits and `-`",
            "只能由小写字母、数字和 `-` 组成",
        ),
        (
            sources_entry(
                "far-2022",
                "q.txt",
                SOURCES_NUMBERING,
                "  corrections:\n    - original_line: 1\n      cleaned_line: 999999\n      original: 第一\n      corrected: 第一\n      note: OCR\n",
            ),
            "index.yaml:23:21",
            "names cleaned_line 999999, past the end of the text (2 lines)",
            "的 cleaned_line 999999 超出了文本末尾(文本共 2 行)",
        ),
        (
            sources_entry("dup-2022", "q.txt", SOURCES_NUMBERING, "")
                .replace("dup-2022", "first-2022"),
            "index.yaml:11:7",
            "duplicate source id `first-2022`",
            "来源 id `first-2022` 重复登记",
        ),
    ];
    for (second, place, en, zh) in cases {
        std::fs::write(sources.join("index.yaml"), format!("{first}{second}")).expect("manifest");
        for (lang, part) in [("en", en), ("zh", zh)] {
            let (output, text) = with_sources(dir.path(), &sources, lang);
            assert_eq!(output.status.code(), Some(2), "{text}");
            let flat = squeezed(&text);
            assert!(
                text.contains(&format!("[TMP]/sources/{place}")),
                "{lang}: not at {place}\n{text}"
            );
            assert!(flat.contains(&squeezed(part)), "{lang}: {part}\n{text}");
            assert!(!text.contains('\u{1b}'), "a raw escape\n{text}");
            if lang == "zh" {
                for english in ["controlcharacters", "position", "invalid`", "source`"] {
                    assert!(!flat.contains(english), "English in\n{text}");
                }
            }
        }
    }
}

// --- hostile review 7, E3: a baseline whose file entry's `file` is not a string ---

/// A file entry of a baseline names its file with a string; a list or a number there is no
/// report of yimi's, refused at the value (exit 2) as `findings: "x"` is, in both languages.
#[test]
fn a_baseline_whose_file_is_not_a_string_is_refused_at_it() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let project = project.to_string_lossy().into_owned();
    for (name, text, place) in [
        (
            "list.json",
            r#"{"format":"yimi-report","version":1,"tool":{"name":"yimi","version":"0.1.0"},"files":[{"file":["x"]}]}"#,
            "list.json:1:95",
        ),
        (
            "number.json",
            r#"{"format":"yimi-report","version":1,"files":[{"file":5,"findings":[]}]}"#,
            "number.json:1:54",
        ),
    ] {
        let path = write_temp(dir.path(), name, text);
        for (lang, message) in [("en", "`file` must be a string"), ("zh", "`file` 应为文本")] {
            let output = yimi(&["check", "--lang", lang, &project, "--baseline", &path]);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{name} {lang}\n{stderr}");
            assert!(
                stderr.contains(&format!("{place}]")) && stderr.contains(message),
                "{name} {lang}\n{stderr}"
            );
            assert!(
                stderr.starts_with("baseline::not-a-report"),
                "{name} {lang}\n{stderr}"
            );
            assert_eq!(stderr.matches("  × ").count(), 1, "{name} {lang}\n{stderr}");
        }
    }
    // A file named with a string is read as before.
    let path = write_temp(
        dir.path(),
        "named.json",
        r#"{"format":"yimi-report","version":1,"files":[{"file":"a.yaml","findings":[]}]}"#,
    );
    let output = yimi(&["check", "--lang", "en", &project, "--baseline", &path]);
    assert_ne!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

// --- hostile review 7, E5: a sources text with a hard-linked second name ---

/// A hard link is another name of the same file: on Unix the text it reaches is read once and
/// counted once toward the manifest's limit, as a symbolic link's is.
#[cfg(unix)]
#[test]
fn a_sources_text_reached_through_a_hard_link_is_read_and_counted_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("sources");
    let limit = yimi::sources::corpus::MAX_SOURCES_TEXT_BYTES;
    // Texts of just over a third of the limit: the hard link counted again would be refused.
    let text = format!("一、总则\n1.{}\n", "甲".repeat(limit / 3 / 3 + 1));
    std::fs::write(sources.join("q.txt"), &text).expect("text");
    std::fs::write(sources.join("other.txt"), &text).expect("text");
    std::fs::hard_link(sources.join("q.txt"), sources.join("hard.txt")).expect("a hard link");
    let manifest = [
        sources_entry("q-2022", "q.txt", SOURCES_NUMBERING, ""),
        sources_entry("hard-2022", "hard.txt", SOURCES_NUMBERING, ""),
        sources_entry("other-2022", "other.txt", SOURCES_NUMBERING, ""),
    ]
    .concat();
    std::fs::write(sources.join("index.yaml"), manifest).expect("manifest");
    let corpus = yimi::sources::corpus::Corpus::load_dir(&sources).expect("the corpus loads");
    assert_eq!(corpus.sources().len(), 3);
    assert_eq!(corpus.texts_read(), 2, "two files, three names");
    // A copy is another file: counted again, and refused.
    std::fs::remove_file(sources.join("hard.txt")).expect("removed");
    std::fs::write(sources.join("hard.txt"), &text).expect("a copy");
    let refused = yimi::sources::corpus::Corpus::load_dir(&sources).map(|_| ());
    assert!(
        matches!(
            &refused,
            Err(yimi::sources::corpus::CorpusError::Invalid { message, .. })
                if message.en.contains("MiB in all")
        ),
        "three copies are past the limit: {refused:?}"
    );
}

/// Hostile review 9 R10: a baseline saved with classic Mac line ends (`\r` alone) is located as
/// the same baseline with `\n` or `\r\n` line ends is, on the line an editor shows, not line 1.
#[test]
fn a_baseline_with_carriage_return_line_ends_is_located_on_its_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let project = Path::new(ROOT).join("examples/sh-huangpu-park.yaml");
    let lines = [
        "{",
        "  \"format\": \"yimi-report\",",
        "  \"version\": 1,",
        "  \"files\": [",
        "  {\"file\": \"x\", \"findings\": [{\"fingerprint\": \"0123\", ]}]}",
    ];
    for end in ["\n", "\r\n", "\r"] {
        let baseline = dir.path().join("b.json");
        std::fs::write(&baseline, lines.join(end) + end).expect("written");
        let output = yimi(&[
            "check",
            "--lang",
            "en",
            "--baseline",
            &baseline.to_string_lossy(),
            &project.to_string_lossy(),
        ]);
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{end:?}\n{text}");
        assert!(
            text.contains("b.json:5:54]")
                && text.contains("× not valid JSON: a key must be a string"),
            "{end:?}\n{text}"
        );
        assert!(!text.contains('\r'), "{end:?}\n{text}");
    }
}

/// Hostile review 9 R10: a project file with classic Mac line ends (`\r` alone) is located on
/// the line YAML reads (line 6, column 9), in every format, and no output holds a raw `\r`
/// (human quoted it as a line 0 holding the whole file, with the last `\r` raw).
#[test]
fn carriage_return_line_ends_are_located_in_every_format() {
    let case = "tests/bad-input/projects/p86-cr-line-ends-zh.yaml";
    for (format, place) in [
        ("human", format!("{case}:6:9]")),
        ("plain", format!("{case}:6:9: error[project::enum]")),
        ("json", "\"line\": 6,\n          \"column\": 9".to_owned()),
        (
            "sarif",
            "\"startLine\": 6,\n                    \"startColumn\": 9".to_owned(),
        ),
        ("junit", format!("{case}:6:9:")),
        ("markdown", format!("`{case}:6:9`")),
        ("html", format!("{case}:6:9")),
    ] {
        let output = yimi(&["check", "--lang", "en", "--format", format, case]);
        let text = transcript(&output);
        assert_eq!(output.status.code(), Some(2), "{format}\n{text}");
        assert!(text.contains(&place), "{format}: {place}\n{text}");
        assert!(!text.contains('\r'), "{format}: a raw CR\n{text}");
        assert!(!text.contains(" 0 │"), "{format}: line 0\n{text}");
    }
}

/// A manifest of one flow mapping with more than 200 000 values is refused at the separator
/// past the limit before the YAML reader holds its tokens (H12: 7.8 MB of `- {a: 1, …}` held
/// 1 GB and was refused only at the end).
#[test]
fn sources_manifest_wide_flow_mapping_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pairs = "a: 1, ".repeat(1_300_000);
    std::fs::write(dir.path().join("index.yaml"), format!("- {{{pairs}}}\n")).expect("written");
    let shown = dir.path().display().to_string();
    let output = yimi(&[
        "check",
        "--lang",
        "en",
        "--format",
        "plain",
        "--sources",
        &shown,
        "examples/sh-huangpu-park.yaml",
    ]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    // The 200 001st separator: the `:` of the 100 001st pair (each pair writes `a: 1, `).
    assert!(
        text.contains("index.yaml:1:600005: error[sources::load]")
            && text.contains("more than 200000 values"),
        "{text}"
    );
}

/// A Rui'an orphans policy with `count` allowance provisions, the two kinds alternating, all
/// 2200 except the last when `differ`.
fn orphans_provisions(count: usize, differ: bool) -> String {
    let mut text = String::from(
        "yimi: 1\nproject:\n  id: T-RA-045-MANY\n  kind: policy\n  jurisdiction: CN/ZJ/Wenzhou/Ruian\n\n\
         policy:\n  topics: [orphans]\n  provisions:\n",
    );
    for i in 0..count {
        let kind = if i % 2 == 0 {
            "scattered"
        } else {
            "institutional"
        };
        let value = if differ && i + 1 == count { 2300 } else { 2200 };
        text.push_str(&format!(
            "    - {{ kind: allowance_orphans_{kind}, value: {value}, previous_value: 2000 }}\n"
        ));
    }
    text
}

/// RA-045a and RA-045b read the provisions in one pass: on 4 000 provisions each is decided
/// within ten steps a provision (audit 12 A2: RA-045a compared the two kinds in pairs and was
/// undecided past 1 000 provisions, its warning turned into advice; A8: RA-045b at 4 000).
#[test]
fn the_orphans_allowance_rules_are_decided_on_thousands_of_provisions() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // The outcome of `rule` (passes are results, not findings) and the report, to show.
    let check = |name: &str, text: &str, rule: &str| {
        let project = write_temp(dir.path(), name, text);
        let output = yimi(&[
            "check",
            "--lang",
            "en",
            "--format",
            "json",
            "--max-steps",
            "40000",
            &project,
        ]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|_| panic!("a JSON report\n{}", transcript(&output)));
        let outcome = report["files"][0]["results"]
            .as_array()
            .and_then(|results| results.iter().find(|result| result["rule_id"] == rule))
            .map(|result| result["outcome"].as_str().unwrap_or_default().to_owned());
        let findings = report["files"][0]["findings"].to_string();
        (
            outcome.unwrap_or_else(|| format!("{rule} has no result")),
            findings,
        )
    };
    let same = orphans_provisions(4000, false);
    let (outcome, message) = check("same.yaml", &same, "RA-045a");
    assert_eq!(outcome, "pass", "{message}");
    let (outcome, message) = check("same.yaml", &same, "RA-045b");
    assert_eq!(outcome, "pass", "{message}");
    // One allowance of the 4 000 differs: the rule fails, decided.
    let differ = orphans_provisions(4000, true);
    let (outcome, message) = check("differ.yaml", &differ, "RA-045a");
    assert_eq!(outcome, "fail", "{message}");
}

/// A project file of one flow mapping with more than 200 000 values is refused at the separator
/// past the limit before the YAML reader holds its tokens: the reader looks ahead through a flow
/// collection for a key, and a 7.8 MB one-line `{a: 1, …}` held about 1 GB before its first
/// event (the sources manifest's sibling, load14's note). `--max-values` raises the limit.
#[test]
fn a_project_of_one_wide_flow_mapping_is_refused_before_reading() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pairs = "a: 1, ".repeat(1_300_000);
    let file = dir.path().join("wide.yaml");
    std::fs::write(&file, format!("- {{{pairs}}}\n")).expect("written");
    let shown = file.display().to_string();
    let output = yimi(&["check", "--lang", "en", "--format", "plain", &shown]);
    let text = transcript(&output);
    assert_eq!(output.status.code(), Some(2), "{text}");
    // The 200 001st separator: the `:` of the 100 001st pair (each pair writes `a: 1, `).
    assert!(
        text.contains("wide.yaml:1:600005: error[yaml::too-many-values]")
            && text.contains("more than 200000 values")
            && text.contains("help: this comes from a very long list or mapping")
            && text.contains("--max-values"),
        "{text}"
    );
    assert_eq!(text.matches("error[").count(), 1, "{text}");
}

/// The languages a case is run in: English, and Chinese too when its name says `-zh`.
fn languages(name: &str) -> Vec<&'static str> {
    if name.contains("-zh") {
        vec!["en", "zh"]
    } else {
        vec!["en"]
    }
}

/// The reader going away while the threads check the next chunk of files (`run::batch` checks
/// one chunk while the one before is written; `yimi check … | head`): the run stops as it does
/// for one file, exit 0 and nothing on standard error, with no panic and no hang, the chunk in
/// flight let finish. 300 files at `--jobs 2` are three chunks; the reader takes the first
/// 70 000 bytes, a few files' part of the report, so the write fails during the first chunk's
/// writing. (`/dev/full` does not reach this: the report's first bytes fail before any check.)
#[test]
fn a_reader_gone_between_chunks_ends_the_run_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example =
        std::fs::read(Path::new(ROOT).join("examples/sh-huangpu-park.yaml")).expect("the example");
    for index in 0..300 {
        std::fs::write(dir.path().join(format!("p{index:03}.yaml")), &example).expect("written");
    }
    let folder = dir.path().display().to_string();
    for format in ["json", "plain"] {
        let mut child = Command::new(BIN)
            .args([
                "check", &folder, "--jobs", "2", "--format", format, "--lang", "en",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("yimi starts");
        let mut stdout = child.stdout.take().expect("standard output is piped");
        let mut first = vec![0; 70_000];
        stdout
            .read_exact(&mut first)
            .expect("the report's first bytes");
        drop(stdout);
        let output = child.wait_with_output().expect("yimi ends");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}
