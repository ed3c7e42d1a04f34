//! Finding many quotes in one long clause. `str::find` scans the clause from its start for every
//! quote, so a note naming each of the N sentences of a clause N sentences long took time in N²
//! (20 000 sentences: 36 s). A clause that is long and looked up often gets a suffix automaton
//! instead, built once in time linear in the clause, which finds each quote's first occurrence in
//! time linear in the quote.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// A clause at most this many bytes long (without whitespace) is scanned for every quote: the
/// scan is as fast as a lookup while the clause is short.
const SCANNED_BYTES: usize = 4096;

/// A clause longer than this is scanned for every quote too: its automaton (some 100 bytes a
/// character) would take more memory than the scans take time at any likely number of quotes.
const INDEXED_BYTES: usize = 2 * 1024 * 1024;

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
    Indexed(Arc<SuffixAutomaton>),
}

impl QuoteIndexes {
    /// The byte offset in `haystack` (the part `range` of a source's text without whitespace) of
    /// the first occurrence of `needle`, as `haystack.find(needle)` gives it.
    pub(super) fn find(&self, range: Range<usize>, haystack: &str, needle: &str) -> Option<usize> {
        if haystack.len() <= SCANNED_BYTES || haystack.len() > INDEXED_BYTES {
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
                    let index = Arc::new(SuffixAutomaton::of(haystack));
                    *looked = Looked::Indexed(Arc::clone(&index));
                    Some(index)
                }
                Looked::Indexed(index) => Some(Arc::clone(index)),
            }
        };
        match index {
            None => haystack.find(needle),
            Some(index) => index.first_start(needle),
        }
    }
}

/// The suffix automaton of a text, over its characters: every substring of the text is a path
/// from the first state, and each state keeps where its strings first end.
#[derive(Debug)]
pub(super) struct SuffixAutomaton {
    states: Vec<State>,
}

#[derive(Debug, Clone)]
struct State {
    /// The length, in characters, of the longest string of this state.
    len: usize,
    /// The state of the longest suffix that is not in this one (none for the first state).
    link: Option<usize>,
    /// The byte offset just after the first occurrence of this state's strings.
    first_end: usize,
    /// Transitions, sorted by character.
    next: Vec<(char, usize)>,
}

impl State {
    fn step(&self, c: char) -> Option<usize> {
        self.next
            .binary_search_by_key(&c, |&(key, _)| key)
            .ok()
            .and_then(|at| self.next.get(at))
            .map(|&(_, to)| to)
    }

    fn set(&mut self, c: char, to: usize) {
        match self.next.binary_search_by_key(&c, |&(key, _)| key) {
            Ok(at) => {
                if let Some(slot) = self.next.get_mut(at) {
                    slot.1 = to;
                }
            }
            Err(at) => self.next.insert(at, (c, to)),
        }
    }
}

impl SuffixAutomaton {
    /// The automaton of `text`, in time linear in its length (times the log of its alphabet).
    pub(super) fn of(text: &str) -> SuffixAutomaton {
        let mut states = vec![State {
            len: 0,
            link: None,
            first_end: 0,
            next: Vec::new(),
        }];
        let mut last = 0;
        for (at, c) in text.char_indices() {
            let current = states.len();
            let len = states.get(last).map_or(0, |state| state.len) + 1;
            states.push(State {
                len,
                link: Some(0),
                first_end: at + c.len_utf8(),
                next: Vec::new(),
            });
            // Every suffix of the text so far now extends by `c`, up to the first that already did.
            let mut walk = Some(last);
            let mut extended = None;
            while let Some(p) = walk {
                let Some(state) = states.get_mut(p) else {
                    break;
                };
                if let Some(q) = state.step(c) {
                    extended = Some((p, q));
                    break;
                }
                state.set(c, current);
                walk = state.link;
            }
            if let Some((p, q)) = extended {
                let p_len = states.get(p).map_or(0, |state| state.len);
                let q_state = states.get(q).cloned();
                match q_state {
                    Some(q_state) if q_state.len == p_len + 1 => {
                        if let Some(state) = states.get_mut(current) {
                            state.link = Some(q);
                        }
                    }
                    Some(q_state) => {
                        // `q` holds strings longer than `p`'s plus `c`: split off the shorter.
                        let clone = states.len();
                        states.push(State {
                            len: p_len + 1,
                            ..q_state
                        });
                        let mut walk = Some(p);
                        while let Some(r) = walk {
                            let Some(state) = states.get_mut(r) else {
                                break;
                            };
                            if state.step(c) != Some(q) {
                                break;
                            }
                            state.set(c, clone);
                            walk = state.link;
                        }
                        for at in [q, current] {
                            if let Some(state) = states.get_mut(at) {
                                state.link = Some(clone);
                            }
                        }
                    }
                    None => {}
                }
            }
            last = current;
        }
        SuffixAutomaton { states }
    }

    /// The byte offset of the first occurrence of `needle` in the text, if any.
    pub(super) fn first_start(&self, needle: &str) -> Option<usize> {
        if needle.is_empty() {
            return Some(0);
        }
        let mut at = 0;
        for c in needle.chars() {
            at = self.states.get(at)?.step(c)?;
        }
        self.states.get(at)?.first_end.checked_sub(needle.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The automaton finds what `str::find` finds, for every substring and for strings not there.
    #[test]
    fn the_automaton_finds_the_first_occurrence_as_find_does() {
        for text in [
            "abcbcbabcaab",
            "第1句应当落实第1项。第10句应当落实第10项。第1句",
            "aaaaaaa",
            "",
        ] {
            let automaton = SuffixAutomaton::of(text);
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
                    automaton.first_start(needle),
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
