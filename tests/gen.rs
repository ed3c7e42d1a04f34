//! The synthetic project generator (`examples/gen.rs`, `yimi::project::generate`): every file it writes loads
//! and is assessed, the same seed gives the same files, and the files vary as real ones do.

use std::collections::BTreeSet;
use std::process::Command;

use yimi::engine::Verdict;
use yimi::engine::checked::{self, CheckOptions, Checked};
use yimi::project::generate::generate;
use yimi::project::{self, LoadLimits};
use yimi::rules::load::{self, RuleOptions};

const FILES: usize = 200;

#[test]
fn generated_files_all_load_and_are_assessed() {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = CheckOptions::default();
    let mut packs = BTreeSet::new();
    let mut kinds = BTreeSet::new();
    let mut verdicts = BTreeSet::new();
    for scale in [1, 3] {
        for index in 0..FILES {
            let file = generate(42, index, scale);
            let project = match project::load_bytes(
                &file.name,
                file.text.as_bytes(),
                LoadLimits::default(),
            ) {
                Ok(project) => project,
                Err(errors) => panic!("{} does not load: {errors:?}\n{}", file.name, file.text),
            };
            assert!(
                project.warnings.is_empty(),
                "{} has warnings: {:?}",
                file.name,
                project.warnings
            );
            match checked::assess(project, &rules.set, &options) {
                Checked::Assessed { assessment, .. } => {
                    for &pack in &assessment.packs {
                        packs.insert(rules.set.packs[pack].id.clone());
                    }
                    verdicts.insert(format!("{:?}", assessment.verdict));
                }
                Checked::Invalid(errors) => {
                    panic!("{} is not assessed: {errors:?}", file.name)
                }
            }
            kinds.insert(file.name.rsplit('-').next().unwrap_or_default().to_owned());
        }
    }
    // Every pack is exercised, projects of many kinds, and the verdicts vary.
    assert_eq!(packs.len(), rules.set.packs.len(), "packs: {packs:?}");
    assert!(kinds.len() >= 15, "kinds: {kinds:?}");
    for verdict in [Verdict::Fail, Verdict::Incomplete] {
        assert!(
            verdicts.contains(&format!("{verdict:?}")),
            "verdicts: {verdicts:?}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_files() {
    for index in 0..FILES {
        assert_eq!(generate(7, index, 1), generate(7, index, 1));
    }
    let differ = (0..FILES)
        .filter(|&index| generate(7, index, 1) != generate(8, index, 1))
        .count();
    assert!(differ > FILES / 2, "another seed gives other files");
    // Scale makes files larger.
    let one: usize = (0..20).map(|index| generate(7, index, 1).text.len()).sum();
    let ten: usize = (0..20).map(|index| generate(7, index, 10).text.len()).sum();
    assert!(ten > 4 * one, "{one} bytes at 1×, {ten} at 10×");
}

#[test]
fn same_seed_directories_are_identical_and_no_progress_bar_without_a_terminal() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let write = |name: &str| {
        let out = dir.path().join(name);
        for index in 0..250 {
            let file = generate(3, index, 1);
            std::fs::create_dir_all(&out).expect("created");
            std::fs::write(out.join(file.name), file.text).expect("written");
        }
        out
    };
    let (a, b) = (write("a"), write("b"));
    let read = |dir: &std::path::Path| {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .expect("listed")
            .map(|entry| {
                let path = entry.expect("an entry").path();
                (
                    path.file_name().map(|name| name.to_owned()),
                    std::fs::read(&path).expect("read"),
                )
            })
            .collect();
        files.sort();
        files
    };
    assert_eq!(read(&a), read(&b));

    // More than 200 files would show a progress bar on a terminal; stderr here is a pipe.
    for format in ["human", "plain"] {
        let output = Command::new(env!("CARGO_BIN_EXE_yimi"))
            .args(["check", a.to_str().expect("utf-8"), "--format", format])
            .args(["--as-of", "2026-11-23", "--jobs", "2", "--lang", "en"])
            .env_remove("CI")
            .output()
            .expect("yimi runs");
        assert_ne!(
            output.status.code(),
            Some(2),
            "every generated file is valid"
        );
        assert!(!output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        for mark in ["\r", "\u{1b}[", "█", "░", "files,", "/250"] {
            assert!(
                !stderr.contains(mark),
                "{format}: progress output {mark:?} in {stderr:?}"
            );
        }
    }
}

/// `benches/rego/*.rego` (twelve rules translated to Rego for the comparison with regorus) give
/// the outcomes yimi gives, on generated files. regorus runs in process (the crate the benchmark
/// uses, a dev-dependency), so no program has to be installed for this test.
#[test]
fn rego_translations_agree_with_yimi_on_generated_files() {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = CheckOptions::default();
    let mut engine = regorus::Engine::new();
    for name in ["kleene.rego", "rules.rego"] {
        let path = format!("{}/benches/rego/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("the Rego translations are readable");
        engine
            .add_policy(path, text)
            .expect("the Rego translations parse");
    }
    let mut compared = 0;
    let mut outcomes = BTreeSet::new();
    for index in 0..FILES {
        let file = generate(11, index, 1);
        let project = project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default())
            .expect("generated files load");
        let Checked::Assessed { assessment, .. } = checked::assess(project, &rules.set, &options)
        else {
            panic!("{} is not assessed", file.name);
        };
        let json: serde_json::Value = serde_yaml::from_str(&file.text).expect("YAML");
        engine.set_input(regorus::Value::from_json_str(&json.to_string()).expect("JSON"));
        let value = engine
            .eval_rule("data.yimi.rules.outcomes".to_owned())
            .expect("the Rego evaluates");
        let rego: serde_json::Value =
            serde_json::from_str(&value.to_json_str().expect("regorus gives JSON"))
                .expect("regorus gives JSON");
        assert!(rego.is_object(), "{rego}");
        for found in &assessment.results {
            let id = &rules.set.rules[found.rule].id;
            let Some(expected) = rego.get(id.as_str()) else {
                continue;
            };
            if found.outcome == yimi::engine::Outcome::Waived {
                continue;
            }
            assert_eq!(
                expected.as_str(),
                Some(found.outcome.as_str()),
                "{id} on {}:\n{}",
                file.name,
                file.text
            );
            outcomes.insert(found.outcome.as_str());
            compared += 1;
        }
    }
    assert!(compared >= 100, "only {compared} outcomes compared");
    assert!(outcomes.len() >= 3, "outcomes seen: {outcomes:?}");
}

/// Every report is written a file at a time, a chunk of files checked at a time; the formats
/// that state rules or totals first spill each file's part to a temporary file and put the
/// report together at the end. With 200 files (two chunks at `--jobs 2`, one file invalid)
/// the report the command streams must equal the report the library renders from all files
/// at once, in every format, whatever the thread count.
#[test]
fn streamed_reports_equal_the_reports_written_from_all_files_at_once() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).expect("created");
    for index in 0..200 {
        let file = generate(5, index, 1);
        std::fs::write(input.join(file.name), file.text).expect("written");
    }
    std::fs::write(input.join("0100-broken.yaml"), "project: [unclosed\n").expect("written");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("created");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_yimi"))
            .arg("check")
            .arg(&input)
            .args(["--as-of", "2026-11-23", "--lang", "en"])
            // The day the reports are made, 2026-11-23 as the library's style says.
            .env("SOURCE_DATE_EPOCH", "1795392000")
            .args(args)
            .output()
            .expect("yimi runs");
        assert_eq!(output.status.code(), Some(2), "the broken file is invalid");
        output.stdout
    };
    let read = |name: &str| std::fs::read(out.join(name)).expect("a report was written");
    let path = |name: &str| out.join(name).display().to_string();
    // The library, every file at once, as the command checks and presents them.
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let as_of = yimi::project::date::Date::parse("2026-11-23").expect("a date");
    let options = CheckOptions {
        engine: yimi::engine::Options {
            as_of: Some(yimi::engine::force::JudgedAt {
                date: as_of,
                basis: yimi::engine::force::DateBasis::Given,
            }),
            ..yimi::engine::Options::default()
        },
        ..CheckOptions::default()
    };
    let (paths, _) = yimi::run::batch::collect_files(
        std::slice::from_ref(&input),
        &[],
        yimi::base::walk::DEFAULT_MAX_FILES,
        &mut Vec::new(),
    );
    let files = yimi::run::batch::check_files(&paths, &rules.set, &options);
    let style = yimi::report::Style {
        lang: yimi::base::i18n::Lang::En,
        color: false,
        width: 100,
        date: Some(as_of),
        baseline: None,
        medium: yimi::base::diagnostic::Medium::CommandLine,
        // Named as `yimi check` names them: by their real paths, relative to the folder of the
        // JSON report it writes (`out`), outside a repository.
        naming: yimi::report::baseline::Naming::on_disk(Some(&out)),
    };
    use yimi::report::Format;
    let formats = [
        ("json", Format::Json),
        ("plain", Format::Plain),
        ("human", Format::Human),
        ("sarif", Format::Sarif),
        ("junit", Format::Junit),
        ("markdown", Format::Markdown),
        ("html", Format::Html),
        ("docx", Format::Docx),
    ];
    for jobs in ["1", "2"] {
        // Every format from one run, as a CI job asks for several reports at once.
        let mut args = vec!["--jobs".to_owned(), jobs.to_owned(), "--format".to_owned()];
        args.push("json".to_owned());
        args.push("-o".to_owned());
        args.push(path(&format!("json-streamed-{jobs}")));
        for (name, _) in &formats[1..] {
            args.push("--report".to_owned());
            args.push(format!(
                "{name}={}",
                path(&format!("{name}-streamed-{jobs}"))
            ));
        }
        run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    }
    for (name, format) in formats {
        let mut whole = Vec::new();
        yimi::report::write(format, &files, &rules.set, &style, &mut whole).expect("rendered");
        for jobs in ["1", "2"] {
            assert!(
                read(&format!("{name}-streamed-{jobs}")) == whole,
                "{name} with --jobs {jobs}: the streamed report differs from the whole one"
            );
        }
    }
    std::fs::write(out.join("json-whole"), read("json-streamed-2")).expect("written");
    let json: serde_json::Value =
        serde_json::from_slice(&read("json-whole")).expect("the JSON report parses");
    assert_eq!(json["summary"]["files"], 201);
    assert_eq!(json["files"].as_array().map(Vec::len), Some(201));
    assert!(
        std::fs::read_dir(&out).expect("listed").all(|entry| !entry
            .expect("an entry")
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")),
        "no temporary file is left behind"
    );
}
