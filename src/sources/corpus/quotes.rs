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

/// The passage of a text most like a quote not found in it, as [`closest`] gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Passage {
    /// Where it is, in bytes of the text searched.
    pub(super) range: Range<usize>,
    /// Characters to change, insert or delete to make it the quote.
    pub(super) edits: usize,
}

/// Candidate places [`closest`] aligns the quote with in full.
const CANDIDATES: usize = 8;

/// Most characters a passage may drift from where the quote's runs of characters put it (an
/// insertion or deletion moves what follows by one).
const MAX_DRIFT: usize = 32;

/// The passage of `haystack` most like `needle` (both without whitespace), in one pass over the
/// haystack whatever the quote: each run of `k` characters of the quote (3, fewer for a short
/// quote) is looked up as the haystack slides by, and a hit votes for the place the quote
/// would start at if the run were where the quote has it; the places with the most votes
/// nearby (an insertion or deletion shifts what follows) are then aligned with the quote
/// character by character, within a band, and the passage needing the fewest edits is taken
/// (the first, on a tie). A quote off by a character or two lands on the passage it was copied
/// from, however often its words recur in the text (the run of characters that differs is not
/// voted for, the runs around it are). `None` when no run of the quote is in the haystack.
///
/// Time: O(n) for a haystack of n characters, plus O(m · drift) for each of the few candidate
/// places (m the quote's length); memory O(m). A scan that counted the characters shared with
/// every stretch of the text took 0.25 s a quote in a 7.4 MB clause, with a hash lookup per
/// character, and offered any stretch holding the same characters in another order.
pub(super) fn closest(haystack: &str, needle: &str) -> Option<Passage> {
    let quote: Vec<char> = needle.chars().collect();
    let m = quote.len();
    if m == 0 || haystack.is_empty() {
        return None;
    }
    let k = match m {
        12.. => 3,
        4..12 => 2,
        _ => 1,
    };
    let grams = GramTable::of(&quote, k);
    let drift = (2 + m / 8).min(MAX_DRIFT);
    // Votes by diagonal: a hit of the quote's run at `j` found at `g` votes for diagonal
    // `g - j + m` (the quote starting at `g - j`); only the diagonals that can still get votes,
    // and those a band around them needs, are kept, in a ring.
    let ring_len = (m + 2 * drift + 4).next_power_of_two();
    let mask = ring_len - 1;
    let mut votes = vec![0_u32; ring_len];
    // Byte offsets of the last characters read, by character index, in a ring of the same size.
    let mut offsets = vec![0_usize; ring_len];
    let mut best = Candidates {
        kept: Vec::new(),
        apart: (m / 2).max(1),
    };
    let key_mask: u64 = if k == 3 {
        (1 << 63) - 1
    } else {
        (1 << (21 * k)) - 1
    };
    let mut key: u64 = 0;
    // The votes of the diagonals within `drift` of the one scored last.
    let mut band: u64 = 0;
    // The next diagonal to score: its band is complete once the diagonal `drift` past it has
    // all its votes.
    let mut scored: usize = 0;
    // The diagonals past this one have no votes (their slots may hold stale counts).
    let mut voted_to: usize = 0;
    let mut score = |centre: usize, voted_to: usize, votes: &[u32], offsets: &[usize]| {
        let vote = |diagonal: usize| {
            if diagonal > voted_to {
                return 0;
            }
            u64::from(votes.get(diagonal & mask).copied().unwrap_or(0))
        };
        if centre == 0 {
            band = (0..=drift).map(vote).sum();
        } else {
            band += vote(centre + drift);
            if let Some(left) = centre.checked_sub(drift + 1) {
                band -= vote(left);
            }
        }
        if band > 0 {
            // The region aligned with the quote: from `drift` characters before the quote's
            // start on this diagonal (`centre - m`), clipped to the haystack.
            let from = centre.saturating_sub(m + drift);
            best.offer(band, centre, || {
                // Where the quote's place less `drift` is, from the region's start: 0 unless
                // the start of the text clipped the region.
                let lo = centre as isize - (m + drift) as isize - from as isize;
                (offsets.get(from & mask).copied().unwrap_or(0), lo)
            });
        }
    };
    let mut count = 0_usize;
    for (i, (at, c)) in haystack.char_indices().enumerate() {
        count = i + 1;
        if let Some(slot) = offsets.get_mut(i & mask) {
            *slot = at;
        }
        key = ((key << 21) | u64::from(u32::from(c))) & key_mask;
        let Some(g) = (i + 1).checked_sub(k) else {
            continue;
        };
        // Diagonal `g + m` gets its first votes now; its slot last held one scored long ago.
        voted_to = g + m;
        if let Some(slot) = votes.get_mut(voted_to & mask) {
            *slot = 0;
        }
        if let Some(j) = grams.get(key)
            && let Some(slot) = votes.get_mut((g + m - j) & mask)
        {
            *slot += 1;
        }
        // Diagonals up to `g + k` have all their votes: score those whose band is complete.
        while scored + drift <= g + k {
            score(scored, voted_to, &votes, &offsets);
            scored += 1;
        }
    }
    // The last diagonals, whose bands reach past the last one voted for.
    while count >= k && scored <= voted_to {
        score(scored, voted_to, &votes, &offsets);
        scored += 1;
    }
    let mut found: Option<Passage> = None;
    for (_, _, (from, lo)) in best.kept {
        let Some(region) = haystack.get(from..) else {
            continue;
        };
        let Some(passage) = align(&quote, region, m + 2 * drift, drift, lo) else {
            continue;
        };
        let passage = Passage {
            range: from + passage.range.start..from + passage.range.end,
            edits: passage.edits,
        };
        let better = found.as_ref().is_none_or(|kept| {
            (passage.edits, passage.range.start) < (kept.edits, kept.range.start)
        });
        if better {
            found = Some(passage);
        }
    }
    found
}

/// The quote's runs of `k` characters, each with where it first starts in the quote: a table
/// open-addressed by the run's characters packed in 63 bits (exact, no collisions to check).
struct GramTable {
    keys: Vec<u64>,
    at: Vec<usize>,
    shift: u32,
}

impl GramTable {
    const EMPTY: u64 = u64::MAX;

    fn of(quote: &[char], k: usize) -> GramTable {
        let size = (quote.len() * 2 + 2).next_power_of_two();
        let mut table = GramTable {
            keys: vec![Self::EMPTY; size],
            at: vec![0; size],
            shift: 64 - size.trailing_zeros(),
        };
        for (j, run) in quote.windows(k).enumerate() {
            let key = run
                .iter()
                .fold(0_u64, |key, c| (key << 21) | u64::from(u32::from(*c)));
            let mut slot = table.slot(key);
            loop {
                match table.keys.get(slot) {
                    Some(&Self::EMPTY) => {
                        if let (Some(k), Some(a)) =
                            (table.keys.get_mut(slot), table.at.get_mut(slot))
                        {
                            (*k, *a) = (key, j);
                        }
                        break;
                    }
                    // The first place of a run that recurs in the quote is kept.
                    Some(&held) if held == key => break,
                    Some(_) => slot = (slot + 1) & (size - 1),
                    None => break,
                }
            }
        }
        table
    }

    fn slot(&self, key: u64) -> usize {
        usize::try_from(key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift).unwrap_or(0)
    }

    /// Where the run packed as `key` first starts in the quote.
    fn get(&self, key: u64) -> Option<usize> {
        let mut slot = self.slot(key);
        loop {
            match *self.keys.get(slot)? {
                Self::EMPTY => return None,
                held if held == key => return self.at.get(slot).copied(),
                _ => slot = (slot + 1) & (self.keys.len() - 1),
            }
        }
    }
}

/// The [`CANDIDATES`] best-voted diagonals, at most one within half a quote of another: (votes
/// of its band, diagonal, and where its region starts: the byte offset, and how far before the
/// quote's place on the diagonal less `drift` that is, 0 but where the text's start clips it).
#[derive(Default)]
struct Candidates {
    kept: Vec<(u64, usize, (usize, isize))>,
    /// Half the quote's length, at least 1: diagonals closer than this are one place.
    apart: usize,
}

impl Candidates {
    fn offer(&mut self, votes: u64, diagonal: usize, from: impl FnOnce() -> (usize, isize)) {
        let apart = self.apart.max(1);
        let full = self.kept.len() >= CANDIDATES;
        // The common case: fewer votes than every candidate kept.
        if full && self.kept.iter().all(|(kept, _, _)| *kept >= votes) {
            return;
        }
        let near = |(_, kept, _): &(u64, usize, (usize, isize))| kept.abs_diff(diagonal) < apart;
        // A place already kept with as many votes stays (the first on a tie).
        if self
            .kept
            .iter()
            .any(|candidate| near(candidate) && candidate.0 >= votes)
        {
            return;
        }
        self.kept.retain(|candidate| !near(candidate));
        self.kept.push((votes, diagonal, from()));
        if self.kept.len() > CANDIDATES {
            // Drop the fewest votes, the latest of them on a tie.
            if let Some(worst) = self
                .kept
                .iter()
                .enumerate()
                .min_by_key(|(_, (votes, diagonal, _))| (*votes, std::cmp::Reverse(*diagonal)))
                .map(|(at, _)| at)
            {
                self.kept.remove(worst);
            }
        }
    }
}

/// The best alignment of the whole `quote` with a stretch of the first `width` characters of
/// `region` (free to start and end anywhere), each quote character `j` within `drift` of region
/// character `j + lo + drift` (`lo` is 0, or less where the region was clipped at the start of
/// the text): the fewest edits, then the earliest start, then the length nearest the quote's.
fn align(quote: &[char], region: &str, width: usize, drift: usize, lo: isize) -> Option<Passage> {
    const FAR: usize = usize::MAX / 2;
    let text: Vec<(usize, char)> = region.char_indices().take(width).collect();
    let end_of = |t: usize| {
        text.get(t).map_or_else(
            || text.last().map_or(0, |(at, c)| at + c.len_utf8()),
            |(at, _)| *at,
        )
    };
    let n = isize::try_from(text.len()).ok()?;
    let band = 2 * drift + 1;
    // Cell `d` of row `j`: the quote's first `j` characters aligned with region characters
    // `start..t`, t = j + lo + d: (edits, start).
    let at = |j: usize, d: usize| -> Option<usize> {
        let t = isize::try_from(j).ok()? + lo + isize::try_from(d).ok()?;
        if (0..=n).contains(&t) {
            usize::try_from(t).ok()
        } else {
            None
        }
    };
    let mut row: Vec<(usize, usize)> = (0..band)
        .map(|d| at(0, d).map_or((FAR, 0), |t| (0, t)))
        .collect();
    let mut next = vec![(FAR, 0); band];
    for (j, q) in quote.iter().enumerate() {
        let j = j + 1;
        for d in 0..band {
            let mut cell = (FAR, 0);
            if let Some(t) = at(j, d) {
                // The quote's character `j - 1` against region character `t - 1`.
                if let (Some(&(edits, start)), Some((_, c))) =
                    (row.get(d), t.checked_sub(1).and_then(|t| text.get(t)))
                    && edits < FAR
                {
                    cell = cell.min((edits + usize::from(c != q), start));
                }
                // The quote's character left out.
                if let Some(&(edits, start)) = row.get(d + 1)
                    && edits < FAR
                {
                    cell = cell.min((edits + 1, start));
                }
                // A region character left out.
                if let Some(&(edits, start)) = d.checked_sub(1).and_then(|d| next.get(d))
                    && edits < FAR
                {
                    cell = cell.min((edits + 1, start));
                }
            }
            if let Some(slot) = next.get_mut(d) {
                *slot = cell;
            }
        }
        std::mem::swap(&mut row, &mut next);
    }
    let m = quote.len();
    // On a tie, the passage as long as the quote: a last character changed ends the passage
    // after it, not before it.
    row.iter()
        .enumerate()
        .filter(|(_, (edits, _))| *edits < FAR)
        .filter_map(|(d, &(edits, start))| {
            let end = at(m, d)?;
            Some((edits, start, end.saturating_sub(start).abs_diff(m), end))
        })
        .min()
        .map(|(edits, start, _, end)| Passage {
            range: end_of(start)..end_of(end),
            edits,
        })
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

    /// The passage [`closest`] offers, as text, with its edits.
    fn offered<'t>(haystack: &'t str, needle: &str) -> Option<(&'t str, usize)> {
        let passage = closest(haystack, needle)?;
        Some((&haystack[passage.range], passage.edits))
    }

    /// In a text where every sentence has the same words but its number (hostile review 8,
    /// F13), a quote off by a character, with two swapped, one left out or one added, lands on
    /// the sentence it was copied from, not on one sharing its characters in another order.
    #[test]
    fn a_quote_off_by_a_character_or_two_lands_on_its_sentence() {
        let text: String = (0..3000)
            .map(|n| format!("第{n}句儿童友好措施落实。"))
            .collect();
        let sentence = "第1986句儿童友好措施落实";
        for (quote, edits) in [
            ("第1986句儿童友好措施不落实", 1),
            ("第1986句儿童友好措施落宝", 1),
            ("第1986句儿童友好施措落实", 2),
            ("第1986句儿童友措施落实", 1),
            ("第1986句儿童友好措施落实。第", 0),
        ] {
            let (passage, found) = offered(&text, quote).expect("a passage");
            assert!(passage.starts_with(sentence), "{quote}: {passage}");
            assert!(
                passage.len() <= sentence.len() + "。第".len(),
                "{quote}: {passage}"
            );
            assert_eq!(found, edits, "{quote}: {passage}");
        }
        let (passage, edits) = offered(&text, "第1986句儿童友好措施落实").expect("a passage");
        assert_eq!((passage, edits), (sentence, 0));
        // A digit too many: the first sentence one edit away is offered (`第196句`, the digit
        // left out, comes before `第1906句`, the digit changed).
        let (passage, edits) = offered(&text, "第19x6句儿童友好措施落实").expect("a passage");
        assert_eq!((passage, edits), ("第196句儿童友好措施落实", 1));
    }

    /// The same question gives the same passage, the first of equally close ones; a quote
    /// sharing no run of characters with the text is offered nothing; short quotes and texts
    /// are handled.
    #[test]
    fn the_closest_passage_is_the_first_of_equals_and_none_without_a_shared_run() {
        let text = "甲乙丙丁。甲乙丙丁。";
        assert_eq!(offered(text, "甲乙丙戊"), Some(("甲乙丙丁", 1)));
        assert_eq!(closest(text, "甲乙丙戊"), closest(text, "甲乙丙戊"));
        assert_eq!(offered(text, "子丑寅卯辰巳午未申酉戌亥"), None);
        assert_eq!(offered(text, "乙"), Some(("乙", 0)));
        assert_eq!(offered("乙", "甲乙丙丁戊己庚辛壬癸子丑寅"), None);
        // A text far shorter than the quote: no passage lies within the drift the quote is
        // aligned with (it would differ in 10 of 13 characters anyway).
        assert_eq!(offered("甲乙丙", "甲乙丙丁戊己庚辛壬癸子丑寅"), None);
        assert_eq!(
            offered("甲乙丙丁戊己庚辛壬癸子", "甲乙丙丁戊己庚辛壬癸子丑寅"),
            Some(("甲乙丙丁戊己庚辛壬癸子", 2))
        );
        assert_eq!(offered("", "甲"), None);
        assert_eq!(offered("甲", ""), None);
        // A long quote near the end of the text: the band is clipped there.
        let long: String = "应当".repeat(500);
        let text = format!("{}{long}", "无关文字。".repeat(100));
        let quote = format!("{}不", &long[..long.len() - 3]);
        let (passage, edits) = offered(&text, &quote).expect("a passage");
        assert_eq!(edits, 1);
        assert!(long.ends_with(passage), "{passage}");
    }
}
