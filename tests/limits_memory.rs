//! Memory of the authoring commands and of `check --rules` on packs and sources near the size
//! limits (#12), counted by this binary's allocator: the peak of bytes held at once while a pack
//! is formatted or linted, or a long source is read and quoted, against the size of the input.
//! A regression that holds a whole pack's syntax trees again, or a copy of a long text a byte
//! of it, is caught without timing anything. The shapes come from `tests/common/large_pack.rs`,
//! which `cargo run --release --example gen_pack` writes at full size to measure by hand (the
//! README's Robustness section has the numbers).
//!
//! One test, so that no other test of this binary allocates while a peak is counted.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::large_pack;
use yimi::rules::load::RuleOptions;

/// The system allocator, counting the bytes held and their peak.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn held(bytes: usize) {
    let now = HELD.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed to `System` unchanged; only the counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller promised for `layout`.
        let at = unsafe { System.alloc(layout) };
        if !at.is_null() {
            held(layout.size());
        }
        at
    }

    unsafe fn dealloc(&self, at: *mut u8, layout: Layout) {
        // SAFETY: `at` was allocated by `System` with `layout`, as the caller promised.
        unsafe { System.dealloc(at, layout) };
        HELD.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, at: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        // SAFETY: as the caller promised for `at`, `layout` and `size`.
        let moved = unsafe { System.realloc(at, layout, size) };
        if !moved.is_null() {
            HELD.fetch_sub(layout.size(), Ordering::Relaxed);
            held(size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What `run` returns, and the most bytes it held at once beyond what was held before it.
fn peak_of<T>(run: impl FnOnce() -> T) -> (T, usize) {
    let before = HELD.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = run();
    (result, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

fn size(path: &Path) -> usize {
    usize::try_from(std::fs::metadata(path).expect("written").len()).expect("small")
}

#[test]
fn packs_and_sources_near_the_limits_are_held_in_memory_proportional_to_their_size() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dir = dir.path();
    // A pack of 4 000 rules (1.6 MB, a fifth of the limit) citing a short source; a long
    // source of 2 MB with a note naming sentences of all of it.
    let (rules, items) = (4_000, 200);
    large_pack::write_sources(&dir.join("sources"), &large_pack::text_of_items(items))
        .expect("sources");
    large_pack::write_pack(&dir.join("pack"), rules, items, false).expect("pack");
    large_pack::write_pack(&dir.join("unformatted"), rules, items, true).expect("pack");
    let long = large_pack::text(2_000_000);
    large_pack::write_sources(&dir.join("long"), &long).expect("sources");
    large_pack::write_note_pack(&dir.join("note"), large_pack::items(&long), 40).expect("note");
    let pack = size(&dir.join("pack/gen.yimi"));

    // Everything that is made once whatever the pack (the built-in packs and sources, the
    // model's types), made before anything is counted.
    let builtin = yimi::rules::load::load(&RuleOptions::default()).expect("the built-in packs");
    let _ = builtin.corpus();
    let _ = yimi::rules::load::load(&RuleOptions {
        paths: vec![dir.join("note")],
        sources: vec![dir.join("sources")],
        ..RuleOptions::default()
    });

    // `rules fmt --check` of a pack every line of which changes: its text, the formatted text
    // and the diff (twice the pack) are some 4 bytes a byte (5.5 in all); the syntax trees of
    // the pack and of its formatted text, held whole, made it 31.6 (main at b1f9368).
    let unformatted = size(&dir.join("unformatted/gen.yimi"));
    let (run, peak) =
        peak_of(|| yimi::authoring::fmt::format_paths(&[dir.join("unformatted")], true));
    assert!(run.errors.is_empty(), "{:?}", run.errors);
    assert_eq!(run.changed.len(), 1);
    assert!(
        peak < 8 * unformatted,
        "rules fmt --check held {peak} bytes at once for a pack of {unformatted}"
    );
    drop(run);

    // `rules lint`: the file's syntax trees, then the checked rules as each item's tree is
    // dropped (12.5 bytes a byte), not both at once, nor room for three parts more in every
    // text (some 1.2 KB a rule): 21.6 on main.
    let options = RuleOptions {
        paths: vec![dir.join("pack")],
        sources: vec![dir.join("sources")],
        ..RuleOptions::default()
    };
    let (loaded, peak) = peak_of(|| yimi::authoring::lint::load_linted(&options));
    let loaded = loaded.expect("the pack loads");
    assert_eq!(loaded.set.rules.len(), builtin.set.rules.len() + rules);
    assert!(
        peak < 16 * pack,
        "rules lint held {peak} bytes at once for a pack of {pack}"
    );
    drop(loaded);

    // `check --rules` and `rules coverage` with a note naming sentences of a long source: the
    // text, its copy without whitespace, the index of the note's sentences and the coverage of
    // each sentence; where each byte of the copy came from took 8 bytes a byte more, the note
    // copied the text again, and each clause's list of sentences had room for four: 27.2 bytes
    // a byte on main.
    let text = long.len();
    let options = RuleOptions {
        paths: vec![dir.join("note")],
        sources: vec![dir.join("long")],
        ..RuleOptions::default()
    };
    let (coverage, peak) = peak_of(|| {
        let loaded = yimi::rules::load::load(&options).expect("the note loads");
        yimi::authoring::coverage::coverage(
            &loaded.set,
            loaded.corpus(),
            yimi::base::i18n::Lang::En,
            Some(large_pack::SOURCE),
        )
    });
    let sentences: usize = coverage.iter().map(|source| source.sentences).sum();
    assert!(sentences >= 2 * large_pack::items(&long), "{sentences}");
    assert!(
        peak < 20 * text,
        "loading and covering a source of {text} bytes held {peak} at once"
    );
}
