#!/usr/bin/env bash
# Measures yimi and prints a Markdown table. Run by hand, never in CI:
#
#   scripts/bench.sh [WORK_DIR]
#
# Installs hyperfine and GNU time from Debian if missing, builds the release binary and the
# generator, generates inputs (seed 1), and measures:
#   - one file, whole process (`yimi check one.yaml`), and process start (`yimi --version`),
#     with `hyperfine -N` (no shell), and the minor page faults of each;
#   - 10 000 files in one run (files/s) with --jobs 1 and the default, and peak memory for
#     1 000 vs 10 000 files (`/usr/bin/time -v`);
#   - the in-process check against the YAML-parse floor (criterion, `benches/check.rs`);
#   - file size 1×/10×/100× and rules 1×/10×/100× (copies of the built-in packs with renamed
#     pack, rule and parameter ids, passed with `--rules DIR --no-builtin`).
#   - instruction counts, which the machine's load does not change (when valgrind is installed;
#     SKIP_INSTRUCTIONS=1 skips them): one file and 100 files (`--jobs 1`), whole process, and the
#     50-file workloads of `benches/check.rs` (its `YIMI_BENCH_INSTRUCTIONS=1` mode, each
#     workload counted inside its `measured_*` function).
# Environment: RUNS (hyperfine runs for the batch measurements, default 5), SKIP_CRITERION=1,
# SKIP_INSTRUCTIONS=1, REUSE=1 (keep hyperfine results already in WORK_DIR).
set -euo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)
work=${1:-$(mktemp -d -t yimi-bench.XXXXXX)}
mkdir -p "$work"
runs=${RUNS:-5}
# A fixed decision date, so that every run checks the same outcomes (the generator's files are
# dated against it).
today=2026-12-03

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
need_apt() {
    # $1: command to look for, $2: Debian package.
    if ! command -v "$1" >/dev/null 2>&1; then
        echo "installing $2 from Debian" >&2
        $sudo apt-get install -y "$2" >/dev/null 2>&1 \
            || { $sudo apt-get update >/dev/null && $sudo apt-get install -y "$2" >/dev/null; }
    fi
}
need_apt hyperfine hyperfine
[ -x /usr/bin/time ] || need_apt /usr/bin/time time

echo "building (release, with the dist profile's LTO)…" >&2
# The numbers are the installed build's (Cargo.toml's `dist` profile); `cargo bench` builds with
# the bench profile, which inherits `release`, so the same settings are given to `release` here.
export CARGO_PROFILE_RELEASE_LTO=fat CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1
cargo build --release --quiet --bin yimi --example gen
target=${CARGO_TARGET_DIR:-$root/target}
yimi=$target/release/yimi
gen=$target/release/examples/gen

echo "generating inputs in $work…" >&2
generate() { # dir count scale
    [ -d "$1" ] || "$gen" --count "$2" --scale "$3" --seed 1 --out "$1" 2>/dev/null
}
generate "$work/files-10k" 10000 1
generate "$work/files-1k" 1000 1
for k in 1 10 100; do generate "$work/size-$k" 100 "$k"; done
residential=("$work"/files-10k/*-residential.yaml)
one=${residential[0]}
mkdir -p "$work/one" && cp "$one" "$work/one/one.yaml" && one=$work/one/one.yaml
# Every parameter the packs declare, renamed in each copy (a copy declaring one again is refused).
params=$(grep -ohE '^param [A-Za-z0-9_]+' rules/*.yimi | awk '{print $2}' | sort -u | paste -sd'|')
for k in 1 10 100; do
    dir=$work/rules-$k
    [ -d "$dir" ] && continue
    mkdir -p "$dir" && cp -r rules/tests "$dir/"
    for n in $(seq 1 "$k"); do
        for f in rules/*.yimi; do
            sed -E "s/^pack ([A-Za-z0-9_-]+) \{/pack \1-c$n {/;
                    s/^(rule|target) ([A-Za-z0-9_-]+)/\1 \2-c$n/;
                    s/(param[ .])($params)\b/\1\2_c$n/g" \
                "$f" >"$dir/$(basename "$f" .yimi)-c$n.yimi"
        done
    done
done

hf() { # name runs command… → median seconds
    local name=$1 n=$2
    shift 2
    if [ "${REUSE:-0}" != 1 ] || [ ! -f "$work/$name.json" ]; then
        hyperfine --style none --warmup 1 --runs "$n" -i --export-json "$work/$name.json" "$*" >/dev/null 2>&1
    fi
    jq '.results[0].median' "$work/$name.json"
}
hf_n() { # name runs command… → median seconds, without a shell (`-N`): for the few-millisecond
    # rows, where starting a shell would be a third of the time.
    local name=$1 n=$2
    shift 2
    if [ "${REUSE:-0}" != 1 ] || [ ! -f "$work/$name.json" ]; then
        hyperfine -N --style none --warmup 20 --runs "$n" -i --export-json "$work/$name.json" "$*" >/dev/null 2>&1
    fi
    jq '.results[0].median' "$work/$name.json"
}
faults() { # command… → minor page faults of one run (the kernel's share of a short process)
    { /usr/bin/time -f 'faults %R' "$@" 2>&1 >/dev/null || true; } | awk '/^faults / {print $2}'
}
peak_kb() { # command… → peak RSS in kB
    # yimi exits 1 when projects fail: that is not an error here.
    { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F': ' '/Maximum resident set size/ {print $2}'
}
ms() {
    if [ "$1" = timeout ]; then echo "> ${limit}s (stopped)"; else awk -v s="$1" 'BEGIN { printf "%.1f ms", s * 1000 }'; fi
}
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f files/s", n / s }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

check="$yimi check --today $today --format json"
echo "measuring…" >&2
one_s=$(hf_n one 300 "$check $one")
empty_s=$(hf_n version 300 "$yimi --version")
one_faults=$(faults $check "$one")
empty_faults=$(faults "$yimi" --version)
batch_s=$(hf batch "$runs" "$check $work/files-10k")
batch1_s=$(hf batch1 "$runs" "$check --jobs 1 $work/files-10k")
human_s=$(hf human "$runs" "$yimi check --today $today --format plain --lang en $work/files-10k")
mem1k=$(peak_kb $check "$work/files-1k")
mem10k=$(peak_kb $check "$work/files-10k")
# Every other format's peak too (#16: flat in the number of files, under 50 MB for 10 000), each
# written to a file as a user would (the Word report cannot go to standard output).
declare -A mem1k_of mem10k_of
for format in sarif html markdown junit docx plain; do
    mem1k_of[$format]=$(peak_kb $yimi check --today $today --format $format -o "$work/report.$format" "$work/files-1k")
    mem10k_of[$format]=$(peak_kb $yimi check --today $today --format $format -o "$work/report.$format" "$work/files-10k")
done
rm -f "$work"/report.*
declare -A size rules
for k in 1 10 100; do
    size[$k]=$(hf "size-$k" "$runs" "$check $work/size-$k")
done
# 100× (30 600 rules parsed and checked from text) is run once, with a time limit.
rules[1]=$(hf rules-1 10 "$check --rules $work/rules-1 --no-builtin $one")
rules[10]=$(hf rules-10 3 "$check --rules $work/rules-10 --no-builtin $one")
limit=${RULES_LIMIT:-120}
start=$(date +%s.%N)
if timeout "$limit" $check --rules "$work/rules-100" --no-builtin "$one" >/dev/null 2>&1 \
    || [ $? -eq 1 ]; then
    rules[100]=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
else
    rules[100]=timeout
fi
bytes() { du -sb "$1" | cut -f1; }

crit=""
if [ "${SKIP_CRITERION:-0}" != 1 ]; then
    echo "criterion (benches/check.rs)…" >&2
    cargo bench --quiet --bench check -- --warm-up-time 1 --measurement-time 3 >"$work/criterion.txt" 2>&1
fi
# With SKIP_CRITERION=1, the last criterion results, if any.
if [ -f "$target/criterion/load/parse_yaml/new/estimates.json" ]; then
    est() { jq '.median.point_estimate' "$target/criterion/$1/new/estimates.json"; }
    parse_ns=$(est load/parse_yaml)
    load_ns=$(est load/load_only)
    assess_ns=$(est load/load_and_assess)
    packs_ns=$(est packs_load_builtin)
    text_ns=$(est packs_parse_and_check)
    rego_ns=$(est versus/regorus_12_rules)
    yimi_ns=$(est versus/yimi_all_rules)
    yimi12_ns=$(est versus/yimi_12_rules)
    # "versus: 50 files, yimi N rule evaluations, regorus M rule evaluations" and "versus: 50
    # files, yimi on the 12 rules N rule evaluations (A applicable)" (benches/check.rs)
    read -r yimi_evals rego_evals < <(grep -o 'yimi [0-9]* rule evaluations, regorus [0-9]*' \
        "$work/criterion.txt" | awk '{print $2, $6}')
    read -r twelve_evals twelve_applicable < <(grep -o 'the 12 rules [0-9]* rule evaluations ([0-9]*' \
        "$work/criterion.txt" | tr -d '(' | awk '{print $4, $7}')
    crit=1
fi

# Instruction counts (callgrind): whole processes, and the benches' 50-file workloads.
instr=""
if [ "${SKIP_INSTRUCTIONS:-0}" != 1 ] && command -v valgrind >/dev/null 2>&1; then
    echo "instruction counts (valgrind --tool=callgrind)…" >&2
    total_ir() { # out-file command… → instructions of the whole run
        local out=$1
        shift
        valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1 || true
        # awk reads to the end: leaving early would end callgrind_annotate with SIGPIPE, which
        # pipefail turns into the script's exit.
        callgrind_annotate "$out" 2>/dev/null \
            | awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }'
    }
    mkdir -p "$work/files-100"
    for f in $(ls "$work/files-10k" | head -100); do cp -n "$work/files-10k/$f" "$work/files-100/"; done
    ir_version=$(total_ir "$work/cg-version.out" "$yimi" --version)
    ir_one=$(total_ir "$work/cg-one.out" $check "$one")
    ir_100=$(total_ir "$work/cg-100.out" $check --jobs 1 "$work/files-100")
    bench_bin=$(cargo bench --no-run --bench check --message-format=json 2>/dev/null \
        | jq -r 'select(.executable != null and .target.name == "check") | .executable' | tail -1)
    YIMI_BENCH_INSTRUCTIONS=1 valgrind --tool=callgrind --callgrind-out-file="$work/cg-bench.out" \
        --toggle-collect='*measured_*' "$bench_bin" 2>"$work/cg-bench.txt" >/dev/null
    measured() { # workload → its instructions (inclusive)
        callgrind_annotate --inclusive=yes "$work/cg-bench.out" 2>/dev/null \
            | awk -v name="measured_$1" 'index($0, name) && !done { gsub(",", "", $1); print $1; done = 1 }'
    }
    ir_parse=$(measured parse_yaml)
    ir_load=$(measured load_only)
    ir_assess=$(measured load_and_assess)
    ir_rego=$(measured regorus_12_rules)
    ir_twelve=$(measured yimi_12_rules)
    instr=1
fi

# regorus (Microsoft's Rego interpreter) on twelve rules translated to Rego (benches/rego/),
# checked for equal outcomes by tests/gen.rs. Installed with cargo at a pinned version.
rego=""
if [ "${SKIP_REGORUS:-0}" != 1 ]; then
    regorus=$(command -v regorus || echo "${XDG_CACHE_HOME:-$HOME/.cache}/yimi-test-tools/regorus/bin/regorus")
    [ -x "$regorus" ] || regorus=$work/regorus/bin/regorus
    if [ ! -x "$regorus" ]; then
        echo "installing regorus 0.5.0 (cargo install)…" >&2
        cargo install --quiet regorus --version 0.5.0 --example regorus --locked --root "$work/regorus"
    fi
    echo "regorus: equivalence test and timing…" >&2
    cargo test --quiet --test gen rego_translations_agree >"$work/rego-test.txt" 2>&1 \
        && rego_ok="yes (tests/gen.rs)" || rego_ok="NO, see $work/rego-test.txt"
    python3 -c 'import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), default=str))' \
        "$one" >"$work/one-input.json" 2>/dev/null \
        || yq -o=json "$one" >"$work/one-input.json"
    rego_one=$(hf regorus-one 30 "$regorus eval -d benches/rego/kleene.rego -d benches/rego/rules.rego -i $work/one-input.json data.yimi.rules.outcomes")
    rego_empty=$(hf regorus-empty 30 "$regorus eval -i $work/one-input.json input.project.id")
    rego=1
fi

cores=$(nproc)
cat <<EOF

## yimi benchmarks ($(date -u +%Y-%m-%d), $cores cores, \`scripts/bench.sh\`, seed 1)

| Measurement | Result | Target |
|---|---|---|
| \`yimi --version\` (process start; \`hyperfine -N\`, median of 300) | $(ms "$empty_s"), $empty_faults page faults | |
| One file, whole process (\`yimi check one.yaml\`, \`hyperfine -N\`, median of 300) | $(ms "$one_s"), $one_faults page faults | ≤ 2.5 ms |
| 10 000 files, one run, \`--format json\`, default jobs | $(ms "$batch_s") = $(rate 10000 "$batch_s") | ≥ 10 000 files/s |
| 10 000 files, one run, \`--jobs 1\` | $(ms "$batch1_s") = $(rate 10000 "$batch1_s") | |
| 10 000 files, one run, \`--format plain\` | $(ms "$human_s") = $(rate 10000 "$human_s") | |
| Peak memory, 1 000 files → 10 000 files, JSON (standard output) | $(mb "$mem1k") → $(mb "$mem10k") | flat, < 50 MB |
$(for format in sarif html markdown junit docx plain; do echo "| Peak memory, 1 000 files → 10 000 files, $format (\`-o\` a file) | $(mb "${mem1k_of[$format]}") → $(mb "${mem10k_of[$format]}") | flat, < 50 MB |"; done)
| 100 files of size 1× / 10× / 100× ($(( $(bytes "$work/size-1") / 1024 )) / $(( $(bytes "$work/size-10") / 1024 )) / $(( $(bytes "$work/size-100") / 1024 )) KiB) | $(ms "${size[1]}") / $(ms "${size[10]}") / $(ms "${size[100]}") | |
| One file with rules 1× / 10× / 100× (the built-in packs copied 1, 10, 100 times) | $(ms "${rules[1]}") / $(ms "${rules[10]}") / $(ms "${rules[100]}") | |
EOF
if [ -n "$crit" ]; then
    awk -v p="$parse_ns" -v l="$load_ns" -v a="$assess_ns" -v k="$packs_ns" -v t="$text_ns" \
        -v r="$rego_ns" -v y="$yimi_ns" -v re="$rego_evals" -v ye="$yimi_evals" \
        -v y12="$yimi12_ns" -v te="$twelve_evals" -v ta="$twelve_applicable" 'BEGIN {
        printf "| In process, 50 generated files: YAML parse / load (parse + validate) / load + assess | %.0f / %.0f / %.0f µs per file | |\n", p/50000, l/50000, a/50000
        printf "| Check ÷ YAML-parse floor (load + assess ÷ parse) | %.1f× | ≤ 2× |\n", a/p
        printf "| In process, 50 files: regorus on the 12 translated rules / yimi on all rules of each file'"'"'s packs | %.2f ms / %.2f ms | |\n", r/1e6, y/1e6
        printf "| Like for like, in process, 50 files, YAML/JSON parsing included: regorus / yimi on the same 12 rules (%d evaluations, %d applicable) | %.2f ms / %.2f ms = yimi %.1f× faster per file | ≥ 10× |\n", te, ta, r/1e6, y12/1e6, r/y12
        printf "| The same, per applicable rule: regorus / yimi | %.1f µs / %.1f µs | |\n", r/1e3/ta, y12/1e3/ta
        printf "| Loading the built-in packs in process: decoding rules/builtin.bin / parsing and checking the text | %.2f ms / %.1f ms | |\n", k/1e6, t/1e6
    }'
    # Growth: each dimension's time against 1× in the same run (benches/check.rs prints them).
    grep '^growth: ' "$work/criterion.txt" |
        sed 's/^growth: \([^:]*\): \(.*\)$/| Growth: \1 | \2 | linear: ×10, ×100 |/' || true
fi
if [ -n "$rego" ]; then
    awk -v a="$rego_one" -v b="$rego_empty" -v y="$one_s" -v n="$batch1_s" 'BEGIN {
        printf "| regorus 0.5.0, one file, 12 rules (process) / empty query | %.1f ms / %.1f ms | |\n", a*1000, b*1000
        printf "| regorus: evaluating 12 rules on one file, start-up removed | %.0f µs = %.1f µs per rule | |\n", (a-b)*1e6, (a-b)*1e6/12
    }'
    echo "| Rego translations give yimi's outcomes | $rego_ok | |"
fi
if [ -n "$instr" ]; then
    echo
    echo "Instructions (valgrind --tool=callgrind; the machine's load does not change them):"
    echo
    echo "| Measurement | Instructions | Target |"
    echo "|---|---|---|"
    awk -v v="$ir_version" -v o="$ir_one" -v h="$ir_100" -v p="$ir_parse" -v l="$ir_load" \
        -v a="$ir_assess" -v r="$ir_rego" -v t="$ir_twelve" 'BEGIN {
        printf "| `yimi --version` / one file, whole process (`check --format json`) | %.2f M / %.1f M | |\n", v/1e6, o/1e6
        printf "| 100 files, `--jobs 1`, whole process / per file after the first | %.1f M / %.2f M | |\n", h/1e6, (h-o)/99/1e6
        printf "| In process, 50 files: YAML parse / load / load + assess (`measured_*`) | %.1f M / %.1f M / %.1f M | |\n", p/1e6, l/1e6, a/1e6
        printf "| Check ÷ YAML-parse floor, in instructions | %.1f× | ≤ 2× |\n", a/p
        printf "| Like for like, 50 files: regorus / yimi on the same 12 rules | %.1f M / %.1f M = yimi %.1f× fewer | ≥ 10× |\n", r/1e6, t/1e6, r/t
    }'
fi
echo
echo "Inputs and raw results: $work" >&2
