#!/usr/bin/env bash
# Smoke-runs every fuzz target for a bounded time on the committed corpus.
#
#   fuzz/run-smoke.sh [SECONDS]        # per target; default 60
#
# Installs cargo-fuzz if it is missing, builds the targets once (with RUSTC_BOOTSTRAP=1, so the
# stable toolchain accepts the sanitizer flags cargo-fuzz passes), then runs each target with
# libFuzzer's -max_total_time. New inputs go to a temporary directory, so the committed corpus is
# only read. The targets run side by side, one per core; exits non-zero when any crashed (the
# reproducer is in fuzz/artifacts/<target>/).
# Works from any directory.
set -euo pipefail

seconds="${1:-60}"
case "$seconds" in
    '' | *[!0-9]*)
        echo "usage: $0 [SECONDS-PER-TARGET]" >&2
        exit 2
        ;;
esac

fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$fuzz_dir"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version > /dev/null 2>&1; then
    echo "installing cargo-fuzz" >&2
    cargo install cargo-fuzz --locked
fi

targets=(rule_parser project_loader check)

# One build for all targets, unoptimised (so debug assertions and overflow checks are on): the
# smoke run replays the committed corpus and the saved regressions and mutates for the rest of
# its time, and an optimised build of yimi takes twice as long to compile as the run itself.
# yimi is built without its `serve`, `lsp` and `docx` features (fuzz/Cargo.toml): the targets
# use none of them, and leaving out axum, tokio, lsp-server and docx-rs leaves 119 of the 181
# crates yimi depends on to compile. yimi is safe Rust, so AddressSanitizer would only slow it
# down. `cargo fuzz run <target>` with the defaults (optimised, AddressSanitizer) is the thing
# for long local runs.
flags=(--dev --sanitizer none)
cargo fuzz build "${flags[@]}"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Each target is one libFuzzer process on one core: they run side by side, as many at once as
# there are cores, the slowest (`check`, which replays its corpus through the whole pipeline)
# first. Each writes its own log, shown when all have ended (whole for a target that failed).
fuzz_one() {
    local target=$1 dict seeds
    mkdir -p "$scratch/$target" "artifacts/$target"
    # Inputs that once crashed (fuzz/regressions/<target>/) are replayed first, with the corpus.
    seeds=("corpus/$target")
    if [ -d "regressions/$target" ]; then
        seeds+=("regressions/$target")
    fi
    # -timeout: an input that takes over 60 s unoptimised (about 6 s optimised) is a hang,
    # reported like a crash.
    # -rss_limit_mb: a blow-up in memory is a crash too.
    # A dictionary of the tokens that build hostile input (brackets for deep nesting, anchors and
    # aliases, terminal escapes, bidi overrides, CI commands); max_len lets a long-line seed
    # (past column 65 535) be kept and mutated.
    case "$target" in
        rule_parser) dict=rules.dict ;;
        *) dict=yaml.dict ;;
    esac
    cargo fuzz run "${flags[@]}" "$target" "$scratch/$target" "${seeds[@]}" -- \
        -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -max_len=70000 \
        -dict="$dict" -print_final_stats=1 > "$scratch/$target.log" 2>&1
}

lanes=$(nproc 2>/dev/null || echo 1)
declare -A running
for target in check rule_parser project_loader; do
    while [ "$(jobs -rp | wc -l)" -ge "$lanes" ]; do
        wait -n || true # the status is read below, by pid
    done
    echo "fuzzing $target for ${seconds}s" >&2
    fuzz_one "$target" &
    running[$target]=$!
done
failed=()
for target in "${targets[@]}"; do
    if wait "${running[$target]}"; then
        echo "== $target (the end of its log)" >&2
        tail -n 12 "$scratch/$target.log" >&2
    else
        echo "== $target FAILED" >&2
        cat "$scratch/$target.log" >&2
        echo "fuzz target $target failed; reproducer under $fuzz_dir/artifacts/$target/" >&2
        echo "replay: (cd $fuzz_dir && RUSTC_BOOTSTRAP=1 cargo fuzz run ${flags[*]} $target artifacts/$target/<file>)" >&2
        failed+=("$target")
    fi
done
[ ${#failed[@]} -eq 0 ] || exit 1
echo "all fuzz targets ran ${seconds}s without a crash" >&2
