//! The options of mimalloc, the `yimi` command's allocator (`src/main.rs`), for a command that
//! starts, checks and exits within milliseconds, and for `yimi serve`, which runs for days.
//!
//! mimalloc's defaults suit long-running servers: it reserves a 1 GiB arena and zeroes that
//! arena's bitmaps at its first allocation (some 40 pages touched, a tenth of a one-file check's
//! page faults), and it returns freed pages to the system a second after they fall free, which
//! costs a clock reading on each retired page and six `madvise` calls at exit, for memory the
//! exit gives back anyway. So a command starts with a 64 MiB arena and keeps freed pages until
//! it exits; a check of many files, `yimi serve` and `yimi lsp` then let them go back after
//! 100 ms. Measured in docs/performance-history.md (2026-12-07, start-up).
//!
//! The Rust bindings name only mimalloc 2's options, so the two used here are numbered from
//! mimalloc 3.3's `mimalloc.h`; the test below checks each number against its option's default.

use std::ffi::c_long;

/// `mi_option_purge_delay`: milliseconds before a freed page goes back to the system; -1 never.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// `mi_option_arena_reserve`: the address space reserved at a time, in KiB.
const ARENA_RESERVE: libmimalloc_sys::mi_option_t = 23;

/// 64 MiB, in KiB: a 10 000-file check peaks at about 40 MB, so one arena serves a batch; a run
/// needing more reserves further arenas as it goes.
const COMMAND_ARENA_RESERVE: c_long = 64 * 1024;

/// Sets the options for a command. It must run before mimalloc's first allocation (the arena
/// size is read then), so `src/main.rs` calls it as an ELF constructor, before the Rust runtime
/// starts; later calls are harmless.
pub fn set_for_a_command() {
    // SAFETY: `mi_option_set` stores a number in mimalloc's option table; it takes no pointers
    // and is safe at any time, before mimalloc is initialised too.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_RESERVE, COMMAND_ARENA_RESERVE);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
    }
}

/// Lets freed pages go back to the system again, 100 ms after they fall free: for a check of
/// many files, whose threads free what the writing thread and each other allocated, and for
/// `yimi serve` and `yimi lsp`, which run for days. Kept until exit, the freed pages of a
/// 10 000-file HTML report raised its peak from 34 to 52 MB (mimalloc's own delay of a second:
/// 39 MB; measured in docs/performance-history.md, 2026-12-07, start-up).
pub fn return_freed_pages() {
    // SAFETY: as in `set_for_a_command`; the option is read afresh on each use.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, RUN_PURGE_DELAY);
    }
}

/// The purge delay of a long or many-file run (milliseconds).
const RUN_PURGE_DELAY: c_long = 100;

#[cfg(test)]
mod tests {
    use super::*;

    /// mimalloc's own purge delay (milliseconds; `mimalloc.h` says 10, `options.c` sets 1000).
    const DEFAULT_PURGE_DELAY: c_long = 1000;

    /// The option numbers are those of the mimalloc that is linked: read before anything sets
    /// them, each has its default (1 GiB and 1000 ms), which no neighbouring option
    /// shares. A mimalloc upgrade that renumbers them fails here, not silently in production.
    #[test]
    fn the_option_numbers_name_the_options_meant() {
        // SAFETY: `mi_option_get` reads mimalloc's option table.
        let (reserve, delay) = unsafe {
            (
                libmimalloc_sys::mi_option_get(ARENA_RESERVE),
                libmimalloc_sys::mi_option_get(PURGE_DELAY),
            )
        };
        if std::env::var_os("MIMALLOC_ARENA_RESERVE").is_none() {
            assert_eq!(
                reserve,
                1024 * 1024,
                "option {ARENA_RESERVE} is not arena_reserve"
            );
        }
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(
                delay, DEFAULT_PURGE_DELAY,
                "option {PURGE_DELAY} is not purge_delay"
            );
        }
    }
}
