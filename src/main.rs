//! The `yimi` command; everything it does is in the library (see `yimi::cli`).

/// mimalloc instead of glibc's allocator: a check makes and frees some two thousand small blocks
/// a file, in bursts (a file's comparisons, then its rows, then its entry), and glibc served
/// most of them from its bins, not from its per-thread caches: 29 % of a 100-file JSON run's
/// instructions were `malloc` and `free`. Measured in docs/performance-history.md (2026-12-07,
/// the allocator). Transparent huge pages are left out (`no_thp`): with them a run's resident
/// memory rose to 55 MB for 10 000 files without being any faster.
#[global_allocator]
static ALLOCATOR: Allocator = Allocator;

/// mimalloc through its plain `mi_malloc` when the alignment asked for is one `malloc` gives
/// anyway (at most 16 bytes and at most the size, the test the standard library's `System`
/// allocator makes before it calls `malloc`), and through its aligned entry points otherwise.
/// The `mimalloc` crate's `MiMalloc` calls `mi_malloc_aligned` for every block, which checks
/// the alignment and the free block's address first: one file's 6 300 allocations cost 0.41 M
/// instructions there (docs/performance-history.md, round perfdecode21).
struct Allocator;

/// The alignment every block of `mi_malloc` has when it is at most the block's size
/// (`MI_MAX_ALIGN_SIZE`, `alignof(max_align_t)` on the platforms yimi is built for).
const MALLOC_ALIGN: usize = 16;

/// Whether `mi_malloc`'s block of `size` bytes has the alignment `align`.
fn malloc_aligns(align: usize, size: usize) -> bool {
    align <= MALLOC_ALIGN && align <= size
}

// SAFETY: every block comes from mimalloc and goes back to it (`mi_free` frees blocks of its
// aligned and plain entry points alike); a plain block is used only where `malloc_aligns` says
// it is aligned as asked.
unsafe impl std::alloc::GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: mimalloc's entry points take any size and alignment.
        unsafe {
            if malloc_aligns(layout.align(), layout.size()) {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: std::alloc::Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        unsafe {
            if malloc_aligns(layout.align(), layout.size()) {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: std::alloc::Layout) {
        // SAFETY: `ptr` was allocated by mimalloc (the caller's contract).
        unsafe { libmimalloc_sys::mi_free(ptr.cast()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by mimalloc with `layout` (the caller's contract).
        unsafe {
            if malloc_aligns(layout.align(), new_size) {
                libmimalloc_sys::mi_realloc(ptr.cast(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast(), new_size, layout.align()).cast()
            }
        }
    }
}

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

#[cfg(test)]
mod tests {
    use std::alloc::{GlobalAlloc, Layout};

    /// Which layouts take the plain entry points (the routing asserts fail for a `MALLOC_ALIGN`
    /// above 16, or a bound not held to the size), and that blocks new, zeroed and grown are
    /// aligned as asked. The second part alone would not catch a wrong bound: mimalloc happens
    /// to align power-of-two blocks beyond 16 bytes.
    #[test]
    fn every_block_is_aligned_as_asked() {
        let plain = |size, align| super::malloc_aligns(align, size);
        assert!(plain(8, 8) && plain(16, 16) && plain(24, 8) && plain(4096, 16));
        // Over-aligned, or aligned beyond the size (malloc promises 16 only from 16 bytes up).
        assert!(!plain(32, 32) && !plain(4096, 4096) && !plain(8, 16) && !plain(0, 1));
        let mut kept = Vec::new();
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in (align..=1024).step_by(align).chain([4096, 70_000]) {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                for _ in 0..3 {
                    // SAFETY: the layouts have a non-zero size; every block is freed below.
                    unsafe {
                        let block = super::ALLOCATOR.alloc(layout);
                        assert!(!block.is_null());
                        assert_eq!(block.addr() % align, 0, "{size} bytes aligned to {align}");
                        let zeroed = super::ALLOCATOR.alloc_zeroed(layout);
                        assert_eq!(zeroed.addr() % align, 0, "{size} zeroed, {align}");
                        assert!((0..size).all(|at| *zeroed.add(at) == 0));
                        let grown = super::ALLOCATOR.realloc(block, layout, size * 3);
                        assert_eq!(grown.addr() % align, 0, "{size} grown, {align}");
                        kept.push((grown, Layout::from_size_align_unchecked(size * 3, align)));
                        kept.push((zeroed, layout));
                    }
                }
            }
        }
        for (block, layout) in kept {
            // SAFETY: each block was allocated above with this layout and is freed once.
            unsafe { super::ALLOCATOR.dealloc(block, layout) }
        }
    }
}
