//! Benchmarks: `cargo bench --bench check` (never run by `cargo test`).
//!
//! - `load/parse_yaml` vs `load/load_and_assess`: the YAML parse floor (saphyr's general parser)
//!   against the whole check of one generated file; `load/block_reader` is the block-style
//!   reader that loading uses for the subset of YAML project files are written in;
//! - `packs/load_builtin` vs `packs/parse_and_check`: decoding the compiled built-in packs vs
//!   parsing and checking their text;
//! - `scale/{1,10,100}`: loading and assessing one file 1×, 10× and 100× larger;
//! - `versus/{regorus_12_rules,yimi_12_rules,yimi_all_rules}`: regorus on the Rego translations
//!   against yimi on exactly those twelve rules (packs of them only, each rule evaluated on every
//!   file with its pack's jurisdiction prepared once, as the Rego evaluates all twelve on every
//!   file), and against yimi on every rule of each file's packs, in process, per 50 files;
//! - `growth/{file_size,list_length,rule_count,nesting}/{1,10,100}`: one input made 1×, 10× and
//!   100× larger in one dimension at a time; `growth/{lint,coverage}_rule_count` (`rules lint`
//!   and `rules coverage` on the built-in packs copied 1, 10 and 100 times) and
//!   `growth/coverage_source_size` (a registered source of 100, 1 000 and 10 000 items); each
//!   prints its growth factor against 1× in the same run (`growth: …` on standard error), which
//!   is what linear time is judged by.
//!
//! With `YIMI_BENCH_INSTRUCTIONS=1` it instead runs each of the 50-file workloads once (after a
//! warm-up run) inside a function of its own, `measured_*`, for instruction counts, which the
//! machine's load does not change:
//! `valgrind --tool=callgrind --toggle-collect='*measured_*' target/release/deps/check-HASH`,
//! then `callgrind_annotate --inclusive=yes` gives each workload's count.
//! `YIMI_BENCH_INSTRUCTIONS=growth/DIMENSION` does the same for one growth dimension's cases
//! (`measured_growth_{one,ten,hundred}`), and `YIMI_BENCH_GROWTH=DIMENSION` times only that
//! dimension. `YIMI_BENCH_LOOP=DIMENSION[:RUNS]` runs each of that dimension's cases in a loop of
//! its own (inside the same `measured_growth_*` functions) and prints each run's wall time, the
//! thread's CPU time and minor page faults; `YIMI_BENCH_RULE_COPIES=1,10,40,100,200` sets the
//! rule-count dimension's copies, and `YIMI_BENCH_PAUSE=SECONDS` pauses before the cases run, to
//! turn callgrind's instrumentation on after an uninstrumented set-up.

/// The allocator the `yimi` command runs with (`src/main.rs`): in-process numbers are the
/// command's, for the parse floor, yimi and regorus alike.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use yimi::base::diagnostic::SourceFile;
use yimi::engine::checked::{self, CheckOptions};
use yimi::project::generate::{Generated, generate};
use yimi::project::{self, LoadLimits};
use yimi::rules::ir::RuleSet;
use yimi::rules::load::{self, RuleOptions};

const SEED: u64 = 1;
const FILES: usize = 50;

/// The 50-file workloads that `load/*` and `versus/*` time and that the instruction-count mode
/// (`YIMI_BENCH_INSTRUCTIONS=1`) runs once each: one definition for both.
struct Workloads {
    /// The built-in packs.
    rules: load::Loaded,
    options: CheckOptions,
    /// The generated files (seed 1).
    files: Vec<Generated>,
    /// The same files as JSON, regorus's input.
    inputs: Vec<String>,
    /// regorus with the Rego translations of the twelve rules.
    engine: regorus::Engine,
    /// Packs of the twelve rules only, and each of them with its pack's jurisdiction prepared.
    twelve: load::Loaded,
    twelve_rules: Vec<(usize, yimi::engine::Prepared)>,
    /// Where the twelve rules' packs were written (kept for as long as they are used).
    _dir: tempfile::TempDir,
}

impl Workloads {
    fn new() -> Workloads {
        let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
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
        let dir = tempfile::tempdir().expect("a temporary directory");
        let twelve = user_packs(&twelve_rule_packs(dir.path()));
        assert_eq!(
            twelve.set.rules.len(),
            12,
            "the twelve rules, and only they"
        );
        let twelve_rules = every_rule_prepared(&twelve.set);
        Workloads {
            rules,
            options: CheckOptions::default(),
            files,
            inputs,
            engine,
            twelve,
            twelve_rules,
            _dir: dir,
        }
    }

    /// `load/parse_yaml`: the YAML parse floor, a general YAML parser's (saphyr's, into yimi's
    /// tree with spans), whichever reader `yimi check` uses.
    fn parse_yaml(&self) {
        for file in &self.files {
            let source = SourceFile::new(file.name.clone(), file.text.clone());
            black_box(
                yimi::project::yaml::parse_counted_saphyr(
                    &source,
                    yimi::project::yaml::Limits::default(),
                )
                .is_ok(),
            );
        }
    }

    /// `load/block_reader`: what loading does first, the block-style reader that takes
    /// project files of the subset it reads (all the generator's), saphyr's otherwise.
    fn block_reader(&self) {
        for file in &self.files {
            let source = SourceFile::new(file.name.clone(), file.text.clone());
            black_box(
                yimi::project::yaml::parse(&source, yimi::project::yaml::Limits::default()).is_ok(),
            );
        }
    }

    /// `load/load_only`: parse and validate.
    fn load_only(&self) {
        for file in &self.files {
            let project =
                project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default());
            black_box(project.is_ok());
        }
    }

    /// `load/load_and_assess` and `versus/yimi_all_rules`: what `yimi check` does per file,
    /// every rule of each file's packs.
    fn load_and_assess(&self) {
        load_and_assess(&self.files, &self.rules.set, &self.options);
    }

    /// `versus/regorus_12_rules`: regorus on the twelve translated rules, from each file's JSON.
    fn regorus_12_rules(&mut self) {
        for input in &self.inputs {
            let value = regorus::Value::from_json_str(input).expect("JSON");
            self.engine.set_input(value);
            black_box(
                self.engine
                    .eval_rule("data.yimi.rules.outcomes".to_owned())
                    .is_ok(),
            );
        }
    }

    /// `versus/yimi_12_rules`: yimi on exactly those twelve rules, from each file's YAML; the
    /// evaluations and how many of them applied.
    fn yimi_12_rules(&self) -> (usize, usize) {
        evaluate_each_rule(
            &self.files,
            &self.twelve.set,
            &self.twelve_rules,
            &self.options,
        )
    }
}

fn load_vs_assess(c: &mut Criterion, work: &Workloads) {
    let bytes: u64 = work.files.iter().map(|file| file.text.len() as u64).sum();
    let mut group = c.benchmark_group("load");
    group.throughput(Throughput::Elements(FILES as u64));
    group.bench_function("parse_yaml", |b| b.iter(|| work.parse_yaml()));
    group.bench_function("block_reader", |b| b.iter(|| work.block_reader()));
    group.bench_function("load_only", |b| b.iter(|| work.load_only()));
    group.bench_function("load_and_assess", |b| b.iter(|| work.load_and_assess()));
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
        b.iter(|| black_box(load::load_all_from_text(&RuleOptions::default()).is_ok()))
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

/// The built-in packs' test fixtures (`rules/tests`) copied to `to`, for packs written beside
/// it. Copied, not linked: the loader refuses fixtures reached through a link that leaves the
/// rule file's directory.
fn copy_fixtures(to: &Path) {
    if to.exists() {
        return;
    }
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/tests");
    let mut pending = vec![(from, to.to_path_buf())];
    while let Some((from, to)) = pending.pop() {
        std::fs::create_dir_all(&to).expect("created");
        for entry in std::fs::read_dir(&from).expect("rules/tests is readable") {
            let entry = entry.expect("an entry of rules/tests");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("its type").is_dir() {
                pending.push((entry.path(), target));
            } else {
                std::fs::copy(entry.path(), target).expect("copied");
            }
        }
    }
}

/// The twelve rules translated to Rego in `benches/rego/`.
const REGO_RULES: [&str; 12] = [
    "SH-068a", "YZ-018a", "JL-002a", "JL-002c", "JL-003a", "JL-009a", "JL-013", "JL-016d",
    "JL-017a", "JL-019d", "JL-019f", "JL-023a",
];

/// Writes packs holding only the twelve rules of `benches/rego/` into `dir` (each pack's header
/// as written, so each keeps its jurisdiction); their tests' fixtures are the built-in ones.
fn twelve_rule_packs(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for pack in ["shanghai-2023", "yuzhong-2024", "jilin-2022"] {
        let text = std::fs::read_to_string(root.join(format!("rules/{pack}.yimi")))
            .expect("a built-in pack");
        let mut out = String::new();
        let mut inside = false;
        for line in text.lines() {
            if line.starts_with("pack ") {
                inside = true;
            } else if let Some(rest) = line.strip_prefix("rule ") {
                inside = REGO_RULES.contains(&rest.split_whitespace().next().unwrap_or(""));
            }
            if inside {
                out.push_str(line);
                out.push('\n');
                if line == "}" {
                    inside = false;
                    out.push('\n');
                }
            }
        }
        std::fs::write(dir.join(format!("{pack}.yimi")), out).expect("written");
    }
    copy_fixtures(&dir.join("tests"));
    dir.to_path_buf()
}

/// Each rule of `set` with its pack's jurisdiction prepared, to evaluate every rule on every
/// file whatever the file's jurisdiction, as the Rego translations do.
fn every_rule_prepared(set: &RuleSet) -> Vec<(usize, yimi::engine::Prepared)> {
    (0..set.rules.len())
        .map(|index| {
            let pack = &set.packs[set.rules[index].pack];
            let prepared = yimi::engine::prepare(set, pack.jurisdiction.clone())
                .expect("a pack applies to its own jurisdiction");
            (index, prepared)
        })
        .collect()
}

/// What yimi does for the Rego's query on each of `files`: load the file from YAML and evaluate
/// each rule of `rules` (index and prepared jurisdiction); returns the evaluations and how many
/// of them applied (not `not_applicable`).
fn evaluate_each_rule(
    files: &[Generated],
    set: &RuleSet,
    rules: &[(usize, yimi::engine::Prepared)],
    options: &CheckOptions,
) -> (usize, usize) {
    let mut counts = (0, 0);
    for file in files {
        let Ok(project) =
            project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default())
        else {
            continue;
        };
        for (index, prepared) in rules {
            if let Some(result) =
                yimi::engine::assess_rule(set, &project, prepared, options.engine, *index)
            {
                counts.0 += 1;
                if result.outcome != yimi::engine::Outcome::NotApplicable {
                    counts.1 += 1;
                }
                black_box(result);
            }
        }
    }
    counts
}

/// The packs at `dir`, without the built-in ones.
fn user_packs(dir: &Path) -> load::Loaded {
    load::load(&RuleOptions {
        no_builtin: true,
        paths: vec![dir.to_path_buf()],
        ..RuleOptions::default()
    })
    .unwrap_or_else(|errors| panic!("the packs at {} load: {errors:?}", dir.display()))
}

/// yimi against regorus in one process, start-up left out of both. Like for like: regorus
/// evaluates the twelve rules of `benches/rego/` (prepared once) on each file's JSON; yimi loads
/// each file from YAML and evaluates exactly those twelve rules on it (`yimi_12_rules`), each
/// with its pack's jurisdiction, whatever the file's (the Rego does not select by jurisdiction).
/// `yimi_all_rules` is the real job, every rule of each file's packs, for scale.
fn against_regorus(c: &mut Criterion, work: &mut Workloads) {
    // Rule evaluations per round: regorus always evaluates its twelve rules; yimi evaluates every
    // rule of the packs of each file's jurisdiction.
    let yimi_evaluations: usize = work
        .files
        .iter()
        .filter_map(|file| {
            project::load_bytes(&file.name, file.text.as_bytes(), LoadLimits::default()).ok()
        })
        .map(
            |project| match checked::assess(project, &work.rules.set, &work.options) {
                checked::Checked::Assessed { assessment, .. } => assessment.results.len(),
                checked::Checked::Invalid(_) => 0,
            },
        )
        .sum();
    eprintln!(
        "versus: {FILES} files, yimi {yimi_evaluations} rule evaluations, regorus {} rule evaluations",
        FILES * 12
    );
    let (twelve_evaluations, twelve_applicable) = work.yimi_12_rules();
    assert_eq!(twelve_evaluations, FILES * 12, "every rule on every file");
    eprintln!(
        "versus: {FILES} files, yimi on the 12 rules {twelve_evaluations} rule evaluations ({twelve_applicable} applicable)"
    );
    let mut group = c.benchmark_group("versus");
    group.throughput(Throughput::Elements(FILES as u64));
    group.bench_function("regorus_12_rules", |b| b.iter(|| work.regorus_12_rules()));
    group.bench_function("yimi_12_rules", |b| b.iter(|| work.yimi_12_rules()));
    group.bench_function("yimi_all_rules", |b| b.iter(|| work.load_and_assess()));
    group.finish();
}

/// The median time of `run`, over about half a second of runs.
fn median_time(run: &mut dyn FnMut()) -> Duration {
    run();
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < Duration::from_millis(500) && times.len() < 1000) {
        let begun = Instant::now();
        run();
        times.push(begun.elapsed());
    }
    times.sort_unstable();
    times[times.len() / 2]
}

/// One input size and the work to do on it.
type Case<'a> = (usize, Box<dyn FnMut() + 'a>);

/// Benchmarks `cases` (input 1×, 10×, 100×) with criterion and prints each one's time against
/// the 1× time of the same run: 10 and 100 are linear.
fn growth_group(c: &mut Criterion, dimension: &str, cases: &mut [Case<'_>]) {
    if let Some((only, runs)) = growth_looped() {
        if only == dimension {
            looped_growth(dimension, runs, cases);
        }
        return;
    }
    if let Some(only) = growth_instructions() {
        if only == dimension {
            measured_growth(cases);
        }
        return;
    }
    if !growth_wanted(dimension) {
        return;
    }
    let mut group = c.benchmark_group(format!("growth/{dimension}"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    for (scale, run) in cases.iter_mut() {
        group.bench_function(BenchmarkId::from_parameter(*scale), |b| b.iter(&mut *run));
    }
    group.finish();
    let times: Vec<(usize, Duration)> = cases
        .iter_mut()
        .map(|(scale, run)| (*scale, median_time(run.as_mut())))
        .collect();
    let base = times.first().map_or(Duration::ZERO, |(_, time)| *time);
    let line: Vec<String> = times
        .iter()
        .map(|(scale, time)| {
            format!(
                "{scale}×: {:.3} ms (×{:.1})",
                time.as_secs_f64() * 1e3,
                time.as_secs_f64() / base.as_secs_f64().max(1e-12)
            )
        })
        .collect();
    eprintln!("growth: {dimension}: {}", line.join(", "));
}

/// With `YIMI_BENCH_INSTRUCTIONS=growth/DIMENSION` (e.g. `growth/rule_count`), the growth
/// dimension whose cases run once each inside `measured_growth_{one,ten,hundred}` (1×, 10×,
/// 100×), for instruction counts; no other dimension is built or run.
fn growth_instructions() -> Option<String> {
    std::env::var("YIMI_BENCH_INSTRUCTIONS")
        .ok()?
        .strip_prefix("growth/")
        .map(str::to_owned)
}

/// With `YIMI_BENCH_LOOP=DIMENSION[:RUNS]` (e.g. `rule_count:2000`), the growth dimension whose
/// cases each run about `RUNS` ÷ scale times in a loop of their own (default 1 000), each loop
/// measured by the thread's CPU time and minor page faults (`getrusage`) beside its wall time:
/// a driver for `perf stat` or for comparing builds on a loaded machine, where CPU time and page
/// faults move less than criterion's wall times.
fn growth_looped() -> Option<(String, usize)> {
    let value = std::env::var("YIMI_BENCH_LOOP").ok()?;
    let (dimension, runs) = value.split_once(':').unwrap_or((&value, "1000"));
    Some((dimension.to_owned(), runs.parse().unwrap_or(1000)))
}

/// With `YIMI_BENCH_PAUSE=SECONDS`, a pause after the set-up and before the growth cases run
/// (printed as `pausing`), in which to turn callgrind's instrumentation on
/// (`callgrind_control -i on PID`) when the set-up ran uninstrumented (`--instr-atstart=no`).
fn pause_for_callgrind(what: &str) {
    if let Some(pause) = std::env::var("YIMI_BENCH_PAUSE")
        .ok()
        .and_then(|pause| pause.parse().ok())
    {
        eprintln!("growth: {what}: pausing {pause} s");
        std::thread::sleep(Duration::from_secs(pause));
    }
}

/// The copies of the built-in packs the rule-count dimension checks against: 1, 10 and 100, or
/// those `YIMI_BENCH_RULE_COPIES` lists (e.g. `1,10,20,40,70,100`, to find where the time per
/// rule changes; with `YIMI_BENCH_LOOP`, since criterion's and the instruction mode's groups are
/// named 1×, 10× and 100×).
fn rule_copies() -> Vec<usize> {
    std::env::var("YIMI_BENCH_RULE_COPIES")
        .ok()
        .map(|copies| {
            copies
                .split(',')
                .filter_map(|copy| copy.trim().parse().ok())
                .filter(|&copy| copy > 0)
                .collect::<Vec<usize>>()
        })
        .filter(|copies| !copies.is_empty())
        .unwrap_or_else(|| vec![1, 10, 100])
}

/// The calling thread's CPU time (user and system) and minor page faults so far.
fn thread_usage() -> (Duration, i64) {
    // SAFETY: getrusage writes the struct it is given, which lives for the call.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (time(usage.ru_utime) + time(usage.ru_stime), usage.ru_minflt)
}

/// Each of `cases` run `runs` ÷ scale times (at least 5) after one warm-up run, printing per run
/// its wall time, CPU time and minor page faults, and the CPU time against 1×.
fn looped_growth(dimension: &str, runs: usize, cases: &mut [Case<'_>]) {
    pause_for_callgrind(dimension);
    let mut base = None;
    for (scale, run) in cases.iter_mut() {
        run();
        let count = (runs / *scale).max(5);
        let (cpu_before, faults_before) = thread_usage();
        let begun = Instant::now();
        // Inside `measured_growth_*`, so that callgrind can count each scale's loop
        // (`--toggle-collect='*measured_growth_*'`).
        let mut looped = || {
            for _ in 0..count {
                run();
            }
        };
        match scale {
            1 => measured_growth_one(&mut looped),
            10 => measured_growth_ten(&mut looped),
            _ => measured_growth_hundred(&mut looped),
        }
        let wall = begun.elapsed() / count as u32;
        let (cpu_after, faults_after) = thread_usage();
        let cpu = (cpu_after - cpu_before) / count as u32;
        let faults = (faults_after - faults_before) as f64 / count as f64;
        let base = *base.get_or_insert(cpu);
        eprintln!(
            "loop: {dimension} {scale}×: {count} runs, wall {:.4} ms, cpu {:.4} ms (×{:.1}), {faults:.1} minor faults a run",
            wall.as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 1e3,
            cpu.as_secs_f64() / base.as_secs_f64().max(1e-12)
        );
    }
}

/// Whether the growth dimension `dimension` is to be built: every one, except in the
/// instruction-count or loop mode of one dimension, or when `YIMI_BENCH_GROWTH` names one (to
/// time one dimension without building the others: `YIMI_BENCH_GROWTH=rule_count cargo bench
/// --bench check -- growth`).
fn growth_wanted(dimension: &str) -> bool {
    let only = growth_instructions()
        .or_else(|| growth_looped().map(|(dimension, _)| dimension))
        .or_else(|| std::env::var("YIMI_BENCH_GROWTH").ok());
    only.is_none_or(|only| only == dimension)
}

/// Each of `cases` (1×, 10×, 100×) run once for a warm-up, then each once inside its scale's
/// `measured_growth_*` function. (Warming all up first also leaves time, when the setup is long
/// under valgrind, to start callgrind with `--instr-atstart=no` and turn instrumentation on with
/// `callgrind_control -i on` once the setup's `growth: …` line is printed.)
fn measured_growth(cases: &mut [Case<'_>]) {
    pause_for_callgrind("instructions");
    for (_, run) in cases.iter_mut() {
        run();
    }
    for (scale, run) in cases.iter_mut() {
        match scale {
            1 => measured_growth_one(run.as_mut()),
            10 => measured_growth_ten(run.as_mut()),
            _ => measured_growth_hundred(run.as_mut()),
        }
    }
    eprintln!("instructions: each growth case run once in measured_growth_{{one,ten,hundred}}");
}

#[inline(never)]
fn measured_growth_one(run: &mut dyn FnMut()) {
    run();
    // Distinct bodies, so that the linker does not fold the three into one.
    black_box(1_u32);
}

#[inline(never)]
fn measured_growth_ten(run: &mut dyn FnMut()) {
    run();
    // Distinct bodies, so that the linker does not fold the three into one.
    black_box(10_u32);
}

#[inline(never)]
fn measured_growth_hundred(run: &mut dyn FnMut()) {
    run();
    // Distinct bodies, so that the linker does not fold the three into one.
    black_box(100_u32);
}

/// A residential project file of the generator, as a base to grow.
fn base_file() -> Generated {
    (0..)
        .map(|index| generate(SEED, index, 1))
        .find(|file| file.name.ends_with("-residential.yaml"))
        .expect("a residential file")
}

fn check_text(name: &str, text: &str, set: &RuleSet, options: &CheckOptions) {
    match project::load_bytes(name, text.as_bytes(), LoadLimits::default()) {
        Ok(project) => {
            black_box(checked::assess(project, set, options));
        }
        Err(errors) => {
            black_box(errors);
        }
    }
}

/// The built-in packs `copies` times over, each copy's pack, rule, target and parameter ids
/// renamed (as `scripts/bench.sh` makes them), written into `dir`.
fn copied_packs(dir: &Path, copies: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = dir.join(format!("copies-{copies}"));
    std::fs::create_dir_all(&dir).expect("created");
    let mut packs: Vec<PathBuf> = std::fs::read_dir(root.join("rules"))
        .expect("rules/")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yimi"))
        .collect();
    packs.sort();
    // Every parameter the packs declare: a copy that declared one again would be refused (a
    // fixed list here fell behind when a pack gained a parameter).
    let mut params: Vec<String> = packs
        .iter()
        .flat_map(|pack| {
            let text = std::fs::read_to_string(pack).expect("a built-in pack");
            text.lines()
                .filter_map(|line| line.strip_prefix("param "))
                .filter_map(|rest| rest.split(|c: char| c.is_whitespace() || c == '{').next())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    params.sort();
    params.dedup();
    for pack in packs {
        let text = std::fs::read_to_string(&pack).expect("a built-in pack");
        let stem = pack.file_stem().and_then(|s| s.to_str()).unwrap_or("pack");
        for copy in 1..=copies {
            let mut out = String::with_capacity(text.len() + 4096);
            for line in text.lines() {
                let mut line = line.to_owned();
                for keyword in ["pack ", "rule ", "target "] {
                    if let Some(rest) = line.strip_prefix(keyword) {
                        let id_end = rest
                            .find(|c: char| c.is_whitespace() || c == '{')
                            .unwrap_or(rest.len());
                        line = format!("{keyword}{}-c{copy}{}", &rest[..id_end], &rest[id_end..]);
                        break;
                    }
                }
                for param in &params {
                    for prefix in ["param ", "param."] {
                        line = renamed_word(&line, &format!("{prefix}{param}"), copy);
                    }
                }
                out.push_str(&line);
                out.push('\n');
            }
            std::fs::write(dir.join(format!("{stem}-c{copy}.yimi")), out).expect("written");
        }
    }
    copy_fixtures(&dir.join("tests"));
    dir
}

/// `line` with each whole-word `word` (not followed by a letter, digit or `_`, so that one
/// parameter's id inside a longer one stays) given the suffix `_c{copy}`.
fn renamed_word(line: &str, word: &str, copy: usize) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(at) = rest.find(word) {
        let end = at + word.len();
        out.push_str(&rest[..end]);
        let next = rest[end..].chars().next();
        if !next.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            out.push_str(&format!("_c{copy}"));
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A registered source of `items` numbered items and a pack that notes each as not checkable,
/// loaded without the built-in packs.
fn local_source_pack(dir: &Path, items: usize) -> load::Loaded {
    let dir = dir.join(format!("source-{items}"));
    let sources = dir.join("sources");
    std::fs::create_dir_all(&sources).expect("created");
    std::fs::write(
        sources.join("index.yaml"),
        "- id: mycity-2026\n  file: mycity-2026.txt\n  title: 某市儿童友好城市建设方案\n  issuer: 某市人民政府\n  date: 2026-01-05\n  jurisdiction: CN/SH/Pudong\n  level: district\n  status: in_force\n  original: mycity-2026.html\n  numbering: { item: arabic-dot }\n",
    )
    .expect("written");
    let mut text = String::from("某市儿童友好城市建设方案\n\n");
    let mut pack = String::from(
        "pack mycity-2026 {\n  source       mycity-2026\n  jurisdiction CN/SH/Pudong\n  version      \"1\"\n}\n\n",
    );
    for item in 1..=items {
        text.push_str(&format!(
            "{item}. 第{item}片区新建居住区配建儿童活动场地,面积不少于 200 平方米。\n"
        ));
        pack.push_str(&format!(
            "not_checkable §{item} \"片区规划由市级统筹,报审材料无从体现\"\n"
        ));
    }
    std::fs::write(sources.join("mycity-2026.txt"), text).expect("written");
    let rules = dir.join("mycity-2026.yimi");
    std::fs::write(&rules, pack).expect("written");
    load::load(&RuleOptions {
        no_builtin: true,
        paths: vec![rules],
        sources: vec![sources],
        ..RuleOptions::default()
    })
    .unwrap_or_else(|errors| panic!("the local pack of {items} notes loads: {errors:?}"))
}

/// `rules coverage` on each of `sets` (scale, loaded rules), as a growth group.
fn coverage_growth(c: &mut Criterion, dimension: &str, sets: &[(usize, load::Loaded)]) {
    let mut cases: Vec<Case<'_>> = sets
        .iter()
        .map(|(scale, loaded)| {
            let run: Box<dyn FnMut() + '_> = Box::new(|| {
                black_box(yimi::authoring::coverage::coverage(
                    &loaded.set,
                    loaded.corpus(),
                    yimi::base::i18n::Lang::En,
                    None,
                ));
            });
            (*scale, run)
        })
        .collect();
    growth_group(c, dimension, &mut cases);
}

/// Linear time, one dimension at a time: the file's size (long free text and comments), its
/// lists' length, the number of rules, and nesting (of the project file's mappings; 100× is
/// past the limit of 64 levels, so it is refused, which must be cheap too).
fn growth(c: &mut Criterion) {
    let rules = load::load(&RuleOptions::default()).expect("the built-in packs load");
    let options = CheckOptions::default();
    let base = base_file();

    if growth_wanted("file_size") {
        // File size: the same project with a long name and a block of comments.
        let sized: Vec<(usize, String)> = [1, 10, 100]
            .into_iter()
            .map(|scale| {
                let comments = "# 备注:本段为说明文字,不影响检查。\n".repeat(200 * scale);
                let name = "说明".repeat(500 * scale);
                // The project's own name (the first key two spaces in) made long.
                let at = base
                    .text
                    .find("\n  name: ")
                    .expect("the project has a name");
                let end = base.text[at + 1..]
                    .find('\n')
                    .map_or(base.text.len(), |end| at + 1 + end);
                let text = format!(
                    "{comments}{}\n  name: \"{name}\"{}",
                    &base.text[..at],
                    &base.text[end..]
                );
                (scale, text)
            })
            .collect();
        eprintln!(
            "growth: file_size bytes: {}",
            sized
                .iter()
                .map(|(_, text)| text.len().to_string())
                .collect::<Vec<_>>()
                .join(" / ")
        );
        let mut cases: Vec<Case<'_>> = sized
            .iter()
            .map(|(scale, text)| {
                let run: Box<dyn FnMut() + '_> =
                    Box::new(|| check_text("sized.yaml", text, &rules.set, &options));
                (*scale, run)
            })
            .collect();
        growth_group(c, "file_size", &mut cases);
    }

    if growth_wanted("list_length") {
        // List length: the generator's lists (facilities, participation, evidence) 1×, 10×, 100×.
        let listed: Vec<(usize, Generated)> = [1, 10, 100]
            .into_iter()
            .map(|scale| {
                let file = (0..)
                    .map(|index| generate(SEED, index, scale))
                    .find(|file| file.name.ends_with("-residential.yaml"))
                    .expect("a residential file");
                (scale, file)
            })
            .collect();
        let mut cases: Vec<Case<'_>> = listed
            .iter()
            .map(|(scale, file)| {
                let run: Box<dyn FnMut() + '_> =
                    Box::new(|| check_text(&file.name, &file.text, &rules.set, &options));
                (*scale, run)
            })
            .collect();
        growth_group(c, "list_length", &mut cases);
    }

    if ["rule_count", "lint_rule_count", "coverage_rule_count"]
        .into_iter()
        .any(growth_wanted)
    {
        // Rule count: one file against the built-in packs 1, 10 and 100 times over (from text).
        let dir = tempfile::tempdir().expect("a temporary directory");
        let sets: Vec<(usize, load::Loaded)> = rule_copies()
            .into_iter()
            .map(|copies| (copies, user_packs(&copied_packs(dir.path(), copies))))
            .collect();
        eprintln!(
            "growth: rule_count rules: {}",
            sets.iter()
                .map(|(_, loaded)| loaded.set.rules.len().to_string())
                .collect::<Vec<_>>()
                .join(" / ")
        );
        let mut cases: Vec<Case<'_>> = sets
            .iter()
            .map(|(scale, loaded)| {
                let run: Box<dyn FnMut() + '_> =
                    Box::new(|| check_text(&base.name, &base.text, &loaded.set, &options));
                (*scale, run)
            })
            .collect();
        growth_group(c, "rule_count", &mut cases);
        drop(cases);

        // `rules lint` and `rules coverage` on the same rule sets (lint evaluates every rule on its
        // fixtures and probes it; coverage classifies every clause of the cited sources).
        let mut cases: Vec<Case<'_>> = sets
            .iter()
            .map(|(scale, loaded)| {
                let run: Box<dyn FnMut() + '_> = Box::new(|| {
                    black_box(yimi::authoring::lint::lint(&loaded.set));
                });
                (*scale, run)
            })
            .collect();
        growth_group(c, "lint_rule_count", &mut cases);
        drop(cases);
        coverage_growth(c, "coverage_rule_count", &sets);
        drop(sets);
    }

    if growth_wanted("coverage_source_size") {
        // Coverage of a registered source of 100, 1 000 and 10 000 items, each accounted for by a
        // note of a local pack.
        let dir = tempfile::tempdir().expect("a temporary directory");
        let sourced: Vec<(usize, load::Loaded)> = [1, 10, 100]
            .into_iter()
            .map(|scale| (scale, local_source_pack(dir.path(), 100 * scale)))
            .collect();
        coverage_growth(c, "coverage_source_size", &sourced);
        drop(sourced);
    }

    if growth_wanted("nesting") {
        // Nesting: a mapping nested 6, 60 and 600 deep under an unknown key.
        let nested: Vec<(usize, String)> = [1, 10, 100]
            .into_iter()
            .map(|scale| {
                let depth = 6 * scale;
                let mut block = String::from("extra:\n");
                for level in 1..=depth {
                    block.push_str(&"  ".repeat(level));
                    block.push_str(&format!("k{level}:\n"));
                }
                block.push_str(&"  ".repeat(depth + 1));
                block.push_str("leaf: 1\n");
                (scale, format!("{}{block}", base.text))
            })
            .collect();
        // Block nesting indents each level further, so the file grows with the square of its
        // depth: what the refused 100× file costs is judged against its size.
        eprintln!(
            "growth: nesting bytes: {}",
            nested
                .iter()
                .map(|(_, text)| text.len().to_string())
                .collect::<Vec<_>>()
                .join(" / ")
        );
        let mut cases: Vec<Case<'_>> = nested
            .iter()
            .map(|(scale, text)| {
                let run: Box<dyn FnMut() + '_> =
                    Box::new(|| check_text("nested.yaml", text, &rules.set, &options));
                (*scale, run)
            })
            .collect();
        growth_group(c, "nesting", &mut cases);
    }
}

/// The criterion benchmarks, the 50-file workloads built once for `load/*` and `versus/*`.
fn benches(c: &mut Criterion) {
    let mut work = Workloads::new();
    load_vs_assess(c, &work);
    builtin_packs(c);
    scaling(c);
    against_regorus(c, &mut work);
    drop(work);
    growth(c);
}

/// The 50-file workloads of `load/*` and `versus/*` ([`Workloads`]), each run once for a
/// warm-up and once inside its `measured_*` function, for
/// `valgrind --tool=callgrind --toggle-collect='*measured_*'` (`scripts/bench.sh` with
/// `INSTRUCTIONS=1` runs it and prints each workload's count).
fn instructions() {
    let mut work = Workloads::new();
    work.parse_yaml();
    measured_parse_yaml(&work);
    work.block_reader();
    measured_block_reader(&work);
    work.load_only();
    measured_load_only(&work);
    work.load_and_assess();
    measured_load_and_assess(&work);
    work.regorus_12_rules();
    measured_regorus_12_rules(&mut work);
    let (evaluations, applicable) = work.yimi_12_rules();
    measured_yimi_12_rules(&work);
    eprintln!(
        "instructions: {FILES} files, each workload run once in its measured_* function; \
         yimi on the 12 rules: {evaluations} rule evaluations ({applicable} applicable)"
    );
}

#[inline(never)]
fn measured_parse_yaml(work: &Workloads) {
    work.parse_yaml();
}

#[inline(never)]
fn measured_block_reader(work: &Workloads) {
    work.block_reader();
}

#[inline(never)]
fn measured_load_only(work: &Workloads) {
    work.load_only();
}

#[inline(never)]
fn measured_load_and_assess(work: &Workloads) {
    work.load_and_assess();
}

#[inline(never)]
fn measured_regorus_12_rules(work: &mut Workloads) {
    work.regorus_12_rules();
}

#[inline(never)]
fn measured_yimi_12_rules(work: &Workloads) {
    black_box(work.yimi_12_rules());
}

fn main() {
    if growth_instructions().is_some() || growth_looped().is_some() {
        growth(&mut Criterion::default());
        return;
    }
    if std::env::var_os("YIMI_BENCH_INSTRUCTIONS").is_some() {
        instructions();
        return;
    }
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}
