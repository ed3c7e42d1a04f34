//! The `yimi` command; everything it does is in the library (see `yimi::cli`).

/// mimalloc instead of glibc's allocator: a check makes and frees some two thousand small blocks
/// a file, in bursts (a file's comparisons, then its rows, then its entry), and glibc served
/// most of them from its bins, not from its per-thread caches: 29 % of a 100-file JSON run's
/// instructions were `malloc` and `free`. Measured in docs/performance-history.md (2026-12-07,
/// the allocator). Transparent huge pages are left out (`no_thp`): with them a run's resident
/// memory rose to 55 MB for 10 000 files without being any faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options for a short command (see `yimi::base::allocator`), set before its first
/// allocation: the Rust runtime allocates before `main`, so this runs from `.init_array`, as the
/// C runtime calls constructors before it calls into Rust. Elsewhere mimalloc keeps its defaults.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = set_allocator_options;

#[cfg(target_os = "linux")]
extern "C" fn set_allocator_options() {
    yimi::base::allocator::set_for_a_command();
}

fn main() -> std::process::ExitCode {
    yimi::cli::run()
}
