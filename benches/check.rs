//! Benchmarks: `cargo bench --bench check` (never run by `cargo test`).
//!
//! - `load/parse_yaml` vs `load/load_and_assess`: the YAML parse floor against the whole check of
//!   one generated file;
//! - `packs/load_builtin` vs `packs/parse_and_check`: decoding the compiled built-in packs vs
//!   parsing and checking their text;
//! - `scale/{1,10,100}`: loading and assessing one file 1×, 10× and 100× larger;
//! - `versus/{regorus_12_rules,yimi_all_rules}`: regorus on the Rego translations against yimi,
//!   in process, per 50 files.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use yimi::base::diagnostic::SourceFile;
use yimi::engine::checked::{self, CheckOptions};
use yimi::project::generate::{Generated, generate};
use yimi::project::{self, LoadLimits};
use yimi::rules::ir::RuleSet;
use yimi::rules::load::{self, RuleOptions};

const SEED: u64 = 1;
const FILES: usize = 50;

fn load_vs_assess(c: &mut Criterion) {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = CheckOptions::default();
    let files: Vec<_> = (0..FILES).map(|index| generate(SEED, index, 1)).collect();
    let bytes: u64 = files.iter().map(|file| file.text.len() as u64).sum();
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(FILES as u64));
    group.bench_function("parse_yaml", |b| {
        b.iter(|| {
            for file in &files {
                let source = SourceFile::new(file.name.clone(), file.text.clone());
                black_box(
                    yimi::project::yaml::parse(&source, yimi::project::yaml::Limits::default())
                        .is_ok(),
                );
            }
        })
    });
    group.bench_function("load_only", |b| {
        b.iter(|| {
            for file in &files {
                let project =
                    project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default());
                black_box(project.is_ok());
            }
        })
    });
    group.bench_function("load_and_assess", |b| {
        b.iter(|| load_and_assess(&files, &rules.set, &options))
    });
    group.finish();
    eprintln!("load: {FILES} files, {bytes} bytes");
}

/// What `yimi check` does per file, for each of `files`.
fn load_and_assess(files: &[Generated], set: &RuleSet, options: &CheckOptions) {
    for file in files {
        if let Ok(project) =
            project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default())
        {
            black_box(checked::assess(project, set, options));
        }
    }
}

fn builtin_packs(c: &mut Criterion) {
    // What start-up does: decode the compiled packs (rules/builtin.bin).
    c.bench_function("packs/load_builtin", |b| {
        b.iter(|| black_box(load::load(&RuleOptions::default()).is_ok()))
    });
    // What it did before, and does with `--rules`: parse and check the packs' text.
    c.bench_function("packs/parse_and_check", |b| {
        b.iter(|| black_box(load::load_from_text(&RuleOptions::default()).is_ok()))
    });
}

fn scaling(c: &mut Criterion) {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = CheckOptions::default();
    let mut group = c.benchmark_group("scale");
    for scale in [1, 10, 100] {
        // A residential project: template with facilities, participation and evidence.
        let file = (0..)
            .map(|index| generate(SEED, index, scale))
            .find(|file| file.name.ends_with("-residential.yaml"))
            .expect("a residential file");
        group.throughput(Throughput::Bytes(file.text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(scale), &file, |b, file| {
            b.iter(|| {
                if let Ok(project) =
                    project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default())
                {
                    black_box(checked::assess(project, &rules.set, &options));
                }
            })
        });
    }
    group.finish();
}

/// yimi against regorus in one process, start-up left out of both: regorus evaluates the twelve
/// rules of `benches/rego/` (prepared once) on each file's JSON; yimi loads each file from YAML
/// and assesses it against every rule of its packs, which includes those twelve. yimi does the
/// larger job, so the ratio understates its lead.
fn against_regorus(c: &mut Criterion) {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = CheckOptions::default();
    let files: Vec<_> = (0..FILES).map(|index| generate(SEED, index, 1)).collect();
    let inputs: Vec<String> = files
        .iter()
        .map(|file| {
            let json: serde_json::Value =
                serde_yaml::from_str(&file.text).expect("generated YAML parses");
            json.to_string()
        })
        .collect();
    let mut engine = regorus::Engine::new();
    for name in ["kleene.rego", "rules.rego"] {
        let path = format!("{}/benches/rego/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("the Rego translations are readable");
        engine
            .add_policy(path, text)
            .expect("the Rego translations parse");
    }
    // Rule evaluations per round: regorus always evaluates its twelve rules; yimi evaluates every
    // rule of the packs of each file's jurisdiction.
    let yimi_evaluations: usize = files
        .iter()
        .filter_map(|file| {
            project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default()).ok()
        })
        .map(
            |project| match checked::assess(project, &rules.set, &options) {
                checked::Checked::Assessed { assessment, .. } => assessment.results.len(),
                checked::Checked::Invalid(_) => 0,
            },
        )
        .sum();
    eprintln!(
        "versus: {FILES} files, yimi {yimi_evaluations} rule evaluations, regorus {} rule evaluations",
        FILES * 12
    );
    let mut group = c.benchmark_group("versus");
    group.throughput(Throughput::Elements(FILES as u64));
    group.bench_function("regorus_12_rules", |b| {
        b.iter(|| {
            for input in &inputs {
                let value = regorus::Value::from_json_str(input).expect("JSON");
                engine.set_input(value);
                black_box(
                    engine
                        .eval_rule("data.yimi.rules.outcomes".to_owned())
                        .is_ok(),
                );
            }
        })
    });
    group.bench_function("yimi_all_rules", |b| {
        b.iter(|| load_and_assess(&files, &rules.set, &options))
    });
    group.finish();
}

criterion_group!(
    benches,
    load_vs_assess,
    builtin_packs,
    scaling,
    against_regorus
);
criterion_main!(benches);
