//! Finding many quotes in one long clause. `str::find` scans the clause from its start for every
//! quote, so a note naming each of the N sentences of a clause N sentences long took time in N²
//! (20 000 sentences: 36 s). A clause that is long and looked up often gets a suffix array
//! instead, built once in time O(n log n) and 4 bytes a byte of the clause, which finds each
//! quote's first occurrence in time O(m log n) for a quote of m bytes, however long the clause
//! (a suffix automaton, used before, took some 100 bytes a character and was capped at 2 MiB, so
//! a longer clause was scanned from its start for every quote again).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// A clause at most this many bytes long (without whitespace) is scanned for every quote: the
/// scan is as fast as a lookup while the clause is short.
const SCANNED_BYTES: usize = 4096;

/// A longer clause is scanned for this many quotes before it is indexed, so the few quotes of an
/// ordinary pack never pay for an index.
const SCANS_BEFORE_INDEX: usize = 16;

/// The indexes made so far of a source's long clauses, by where the clause is in the source's
/// text without whitespace. Cloning a source starts with none.
#[derive(Debug, Default)]
pub(super) struct QuoteIndexes {
    by_clause: Mutex<HashMap<(usize, usize), Looked>>,
}

impl Clone for QuoteIndexes {
    fn clone(&self) -> Self {
        QuoteIndexes::default()
    }
}

#[derive(Debug)]
enum Looked {
    /// Scanned this many times.
    Scanned(usize),
    Indexed(Arc<SuffixArray>),
}

impl QuoteIndexes {
    /// The byte offset in `haystack` (the part `range` of a source's text without whitespace) of
    /// the first occurrence of `needle`, as `haystack.find(needle)` gives it.
    pub(super) fn find(&self, range: Range<usize>, haystack: &str, needle: &str) -> Option<usize> {
        // Offsets are held in 32 bits; a source's text is far smaller (see the README's limits).
        if haystack.len() <= SCANNED_BYTES || u32::try_from(haystack.len()).is_err() {
            return haystack.find(needle);
        }
        let index = {
            // A poisoned lock only means another thread panicked while counting: the counts
            // are still usable.
            let mut by_clause = self
                .by_clause
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let looked = by_clause
                .entry((range.start, range.end))
                .or_insert(Looked::Scanned(0));
            match looked {
                Looked::Scanned(count) if *count < SCANS_BEFORE_INDEX => {
                    *count += 1;
                    None
                }
                Looked::Scanned(_) => {
                    let index = Arc::new(SuffixArray::of(haystack));
                    *looked = Looked::Indexed(Arc::clone(&index));
                    Some(index)
                }
                Looked::Indexed(index) => Some(Arc::clone(index)),
            }
        };
        match index {
            None => haystack.find(needle),
            Some(index) => index.first_start(haystack, needle),
        }
    }
}

impl QuoteIndexes {
    /// How many clauses have an index.
    #[cfg(test)]
    pub(super) fn indexed(&self) -> usize {
        let by_clause = self
            .by_clause
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        by_clause
            .values()
            .filter(|looked| matches!(looked, Looked::Indexed(_)))
            .count()
    }
}

/// One text, not a part of a source, searched for many quotes: scanned for the first few, then
/// indexed, as [`QuoteIndexes`] does for a source's clauses.
#[derive(Debug, Default)]
pub(super) struct Search {
    scans: usize,
    index: Option<SuffixArray>,
}

impl Search {
    /// The byte offset in `haystack` (the same text at every call) of the first occurrence of
    /// `needle`, as `haystack.find(needle)` gives it.
    pub(super) fn find(&mut self, haystack: &str, needle: &str) -> Option<usize> {
        if let Some(index) = &self.index {
            return index.first_start(haystack, needle);
        }
        if haystack.len() <= SCANNED_BYTES || u32::try_from(haystack.len()).is_err() {
            self.scans += 1;
            return haystack.find(needle);
        }
        if self.scans < SCANS_BEFORE_INDEX {
            self.scans += 1;
            return haystack.find(needle);
        }
        self.index
            .insert(SuffixArray::of(haystack))
            .first_start(haystack, needle)
    }

    /// How many times the text was scanned rather than looked up in its index.
    pub(super) fn scans(&self) -> usize {
        self.scans
    }
}

/// The suffix array of a text: the byte offsets where its characters start, in the order of the
/// text that follows each, with the smallest offset of each block of them (and of runs of
/// blocks) so that the first of many occurrences is found without visiting them all.
#[derive(Debug)]
pub(super) struct SuffixArray {
    suffixes: Vec<u32>,
    /// `block_min[level][b]`: the smallest offset among the suffixes of blocks `b` to
    /// `b + 2^level - 1`.
    block_min: Vec<Vec<u32>>,
}

/// Suffixes per block of [`SuffixArray::block_min`]: a lookup scans at most two partial blocks.
const BLOCK: usize = 64;

impl SuffixArray {
    /// The suffix array of `text` (at most `u32::MAX` bytes), by prefix doubling: each round
    /// sorts the suffixes by their first 2k characters from their order by the first k, with a
    /// counting sort, so `text` of n characters takes O(n log n) time and some 20 bytes a
    /// character while it is built, 4 a byte after.
    pub(super) fn of(text: &str) -> SuffixArray {
        let starts: Vec<u32> = text
            .char_indices()
            .filter_map(|(at, _)| u32::try_from(at).ok())
            .collect();
        let n = starts.len();
        let codes: Vec<char> = text.chars().collect();
        // Suffixes by their first character, ranked densely.
        let mut order: Vec<u32> = (0..n).filter_map(|i| u32::try_from(i).ok()).collect();
        order.sort_unstable_by_key(|&i| codes.get(i as usize).copied());
        let mut rank = vec![0_u32; n];
        let mut next = 0_u32;
        for (position, pair) in order.iter().enumerate() {
            if position > 0 {
                let before = order.get(position - 1).and_then(|&i| codes.get(i as usize));
                if before != codes.get(*pair as usize) {
                    next += 1;
                }
            }
            if let Some(slot) = rank.get_mut(*pair as usize) {
                *slot = next;
            }
        }
        drop(codes);
        let mut by_second = vec![0_u32; n];
        let mut count = vec![0_u32; n + 1];
        let mut k = 1_usize;
        while (next as usize) + 1 < n && k < n {
            // By the character k on: suffixes shorter than k first, then in the present order.
            by_second.clear();
            by_second.extend((n - k..n).filter_map(|i| u32::try_from(i).ok()));
            by_second.extend(
                order
                    .iter()
                    .filter(|&&i| i as usize >= k)
                    .map(|&i| i - k as u32),
            );
            // Then, stably, by the first k characters.
            count.iter_mut().for_each(|c| *c = 0);
            for &i in &rank {
                if let Some(c) = count.get_mut(i as usize + 1) {
                    *c += 1;
                }
            }
            for at in 1..count.len() {
                let before = count.get(at - 1).copied().unwrap_or(0);
                if let Some(c) = count.get_mut(at) {
                    *c += before;
                }
            }
            for &i in &by_second {
                let r = rank.get(i as usize).copied().unwrap_or(0) as usize;
                if let Some(c) = count.get_mut(r) {
                    if let Some(slot) = order.get_mut(*c as usize) {
                        *slot = i;
                    }
                    *c += 1;
                }
            }
            // Rank again by the first 2k characters (no second half ranks below any).
            let key = |i: u32| {
                let i = i as usize;
                (
                    rank.get(i).copied().unwrap_or(0),
                    rank.get(i + k).map_or(0, |&r| u64::from(r) + 1),
                )
            };
            let mut new_rank = by_second;
            new_rank.clear();
            new_rank.resize(n, 0);
            next = 0;
            for position in 0..n {
                let this = order.get(position).copied().unwrap_or(0);
                if position > 0 {
                    let before = order.get(position - 1).copied().unwrap_or(0);
                    if key(before) != key(this) {
                        next += 1;
                    }
                }
                if let Some(slot) = new_rank.get_mut(this as usize) {
                    *slot = next;
                }
            }
            by_second = std::mem::replace(&mut rank, new_rank);
            k *= 2;
        }
        drop((rank, by_second, count));
        let suffixes: Vec<u32> = order
            .iter()
            .map(|&i| starts.get(i as usize).copied().unwrap_or(0))
            .collect();
        let mut block_min: Vec<Vec<u32>> = vec![
            suffixes
                .chunks(BLOCK)
                .map(|block| block.iter().copied().min().unwrap_or(u32::MAX))
                .collect(),
        ];
        let mut span = 1;
        while let Some(last) = block_min.last() {
            if span * 2 > last.len() {
                break;
            }
            let level: Vec<u32> = (0..=last.len() - span * 2)
                .map(|b| {
                    let left = last.get(b).copied().unwrap_or(u32::MAX);
                    let right = last.get(b + span).copied().unwrap_or(u32::MAX);
                    left.min(right)
                })
                .collect();
            block_min.push(level);
            span *= 2;
        }
        SuffixArray {
            suffixes,
            block_min,
        }
    }

    /// The byte offset of the first occurrence of `needle` in `text` (the text the array was
    /// made of), if any.
    pub(super) fn first_start(&self, text: &str, needle: &str) -> Option<usize> {
        if needle.is_empty() {
            return Some(0);
        }
        let (text, needle) = (text.as_bytes(), needle.as_bytes());
        // How the suffix at `at` compares with `needle`, on the needle's length.
        let against = |at: &u32| {
            let rest = text.get(*at as usize..).unwrap_or_default();
            let prefix = rest.get(..needle.len()).unwrap_or(rest);
            prefix.cmp(needle)
        };
        let low = self
            .suffixes
            .partition_point(|at| against(at) == Ordering::Less);
        let high = self
            .suffixes
            .partition_point(|at| against(at) != Ordering::Greater);
        self.smallest(low..high).map(|at| at as usize)
    }

    /// The smallest offset among `suffixes[range]`.
    fn smallest(&self, range: Range<usize>) -> Option<u32> {
        let scan = |range: Range<usize>| {
            self.suffixes
                .get(range)
                .and_then(|part| part.iter().copied().min())
        };
        if range.is_empty() {
            return None;
        }
        let (first_block, last_block) = (range.start / BLOCK, (range.end - 1) / BLOCK);
        if last_block <= first_block + 1 {
            return scan(range);
        }
        let head = scan(range.start..(first_block + 1) * BLOCK);
        let tail = scan(last_block * BLOCK..range.end);
        // The whole blocks between, as two runs of 2^level blocks that overlap.
        let (from, to) = (first_block + 1, last_block);
        let level = (usize::BITS - 1 - (to - from).leading_zeros()) as usize;
        let runs = self.block_min.get(level).and_then(|mins| {
            let left = mins.get(from)?;
            let right = mins.get(to - (1 << level))?;
            Some(*left.min(right))
        });
        [head, tail, runs].into_iter().flatten().min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The suffix array finds what `str::find` finds, for every substring and for strings not
    /// there, in texts with repeats (many occurrences, some across blocks) and CJK.
    #[test]
    fn the_suffix_array_finds_the_first_occurrence_as_find_does() {
        for text in [
            "abcbcbabcaab",
            "第1句应当落实第1项。第10句应当落实第10项。第1句",
            "aaaaaaa",
            "",
            &"ab".repeat(150),
            &"甲乙丙".repeat(70),
            &(0..300)
                .map(|i| char::from(b'a' + (i * 7 % 5) as u8))
                .collect::<String>(),
        ] {
            let array = SuffixArray::of(text);
            let mut needles: Vec<&str> = vec!["x", "第2句", "ba a", "cab", "aaaaaaaa"];
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(at, _)| at)
                .chain([text.len()])
                .collect();
            for (i, &from) in bounds.iter().enumerate() {
                for &to in bounds.iter().skip(i + 1) {
                    needles.push(&text[from..to]);
                }
            }
            for needle in needles {
                assert_eq!(
                    array.first_start(text, needle),
                    text.find(needle),
                    "{needle:?} in {text:?}"
                );
            }
        }
    }

    /// Past the scans, a long clause is looked up in its index, with the same answers.
    #[test]
    fn a_long_clause_is_indexed_after_some_scans_with_the_same_answers() {
        let text: String = (0..2000)
            .map(|i| format!("第{i}句应当落实第{i}项。"))
            .collect();
        let indexes = QuoteIndexes::default();
        for i in (0..2000).rev().step_by(37).chain([5, 5, 1999]) {
            let needle = format!("第{i}句应当落实第{i}项");
            assert_eq!(
                indexes.find(0..text.len(), &text, &needle),
                text.find(&needle),
                "{needle}"
            );
        }
        assert_eq!(indexes.find(0..text.len(), &text, "第2000句"), None);
        let by_clause = indexes.by_clause.lock().unwrap();
        assert!(matches!(
            by_clause.get(&(0, text.len())),
            Some(Looked::Indexed(_))
        ));
    }
}
