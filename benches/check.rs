//! Benchmarks: `cargo bench --bench check` (never run by `cargo test`).
//!
//! - `load/parse_yaml` vs `load/load_and_assess`: the YAML parse floor against the whole check of
//!   one generated file;
//! - `packs/load_builtin`: parsing and checking the five built-in packs;
//! - `scale/{1,10,100}`: loading and assessing one file 1×, 10× and 100× larger.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use yimi::batch::{self, BatchOptions};
use yimi::diagnostic::SourceFile;
use yimi::r#gen::generate;
use yimi::project::{self, LoadLimits};
use yimi::rules::load::{self, RuleOptions};

const SEED: u64 = 1;
const FILES: usize = 50;

fn load_vs_assess(c: &mut Criterion) {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = BatchOptions::default();
    let files: Vec<_> = (0..FILES).map(|index| generate(SEED, index, 1)).collect();
    let bytes: u64 = files.iter().map(|file| file.text.len() as u64).sum();
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(FILES as u64));
    group.bench_function("parse_yaml", |b| {
        b.iter(|| {
            for file in &files {
                let source = SourceFile::new(file.name.clone(), file.text.clone());
                black_box(yimi::yaml::parse(&source, yimi::yaml::Limits::default()).is_ok());
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
        b.iter(|| {
            for file in &files {
                if let Ok(project) =
                    project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default())
                {
                    black_box(batch::assess(project, &rules.set, &options));
                }
            }
        })
    });
    group.finish();
    eprintln!("load: {FILES} files, {bytes} bytes");
}

fn builtin_packs(c: &mut Criterion) {
    c.bench_function("packs/load_builtin", |b| {
        b.iter(|| black_box(load::load(&RuleOptions::default()).is_ok()))
    });
}

fn scaling(c: &mut Criterion) {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = BatchOptions::default();
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
                    black_box(batch::assess(project, &rules.set, &options));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, load_vs_assess, builtin_packs, scaling);
criterion_main!(benches);
