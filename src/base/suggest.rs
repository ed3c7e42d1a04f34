//! "Did you mean" suggestions for misspelled names (keys, paths, enum values, ids).

/// Returns the candidate closest to `input`, if one is close enough to be a plausible typo.
///
/// Closeness is the Damerau–Levenshtein distance, accepted when it is at most a third of the
/// longer name (at least 1, so one-letter slips in short names are still caught). Ties keep the
/// candidate that comes first, so callers get a stable answer for a stable candidate order.
pub fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let mut best: Option<(usize, &'a str)> = None;
    let mut prefixed: Vec<&'a str> = Vec::new();
    let input_length = input.chars().count();
    for candidate in candidates {
        if input_length >= 3 && candidate.starts_with(input) && candidate != input {
            prefixed.push(candidate);
        }
        if candidate == input {
            continue;
        }
        let candidate_length = candidate.chars().count();
        let longest = input_length.max(candidate_length);
        let limit = (longest / 3).max(1);
        // The distance is at least the difference in length: a name far longer than every
        // candidate (a key of 100 000 characters) is not compared character by character, which
        // takes time in the product of the lengths.
        if input_length.abs_diff(candidate_length) > limit {
            continue;
        }
        let distance = strsim::damerau_levenshtein(input, candidate);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    // No close spelling: the shortest name that extends what was written (`area` → `area_m2`).
    best.map(|(_, name)| name)
        .or_else(|| prefixed.into_iter().min_by_key(|name| name.len()))
}

/// The most names of one input that get a "did you mean".
///
/// A suggestion compares the name with every candidate, in time the product of their lengths:
/// tens of thousands of unknown names in one file (a generated or hostile file within every
/// size limit) made a check take minutes (hostile review 8 F12: 38 000 unknown waiver rule ids,
/// 4.7 s; 20 000 unknown indicator ids, 50 s of CPU in a debug build). Past the first hundred,
/// more than anyone reads, each name is still warned about, located, without the suggestion.
pub const MAX_SUGGESTIONS: usize = 100;

/// Gives "did you mean" for the first [`MAX_SUGGESTIONS`] names asked about, and nothing after:
/// one per input file, so that the time a file takes stays linear in its size.
#[derive(Debug)]
pub struct Suggester {
    /// How many more searches may be made.
    left: usize,
}

impl Default for Suggester {
    fn default() -> Self {
        Self::new()
    }
}

impl Suggester {
    /// A suggester for one input, capped at [`MAX_SUGGESTIONS`].
    #[must_use]
    pub const fn new() -> Self {
        Self::with_cap(MAX_SUGGESTIONS)
    }

    /// A suggester that searches at most `cap` times.
    #[must_use]
    pub const fn with_cap(cap: usize) -> Self {
        Self { left: cap }
    }

    /// Runs `search` while the cap allows, else answers `None` without running it. Each call
    /// counts, found or not: the cost is the search, not its answer.
    pub fn suggest<T>(&mut self, search: impl FnOnce() -> Option<T>) -> Option<T> {
        let left = self.left.checked_sub(1)?;
        self.left = left;
        search()
    }

    /// [`did_you_mean`] while the cap allows.
    pub fn did_you_mean<'a, I>(&mut self, input: &str, candidates: I) -> Option<&'a str>
    where
        I: IntoIterator<Item = &'a str>,
    {
        self.suggest(|| did_you_mean(input, candidates))
    }
}

#[cfg(test)]
mod tests {
    use super::{Suggester, did_you_mean};

    #[test]
    fn suggests_close_names_only() {
        let keys = ["project", "population", "site", "facilities"];
        assert_eq!(did_you_mean("polulation", keys), Some("population"));
        assert_eq!(did_you_mean("sit", keys), Some("site"));
        assert_eq!(did_you_mean("facilites", keys), Some("facilities"));
        assert_eq!(did_you_mean("budget", keys), None);
        assert_eq!(
            did_you_mean("area", ["name", "area_m2", "green_area_m2"]),
            Some("area_m2")
        );
        assert_eq!(
            did_you_mean("ar", ["area_m2"]),
            None,
            "two letters are too little to go on"
        );
    }

    #[test]
    fn exact_match_is_not_a_suggestion() {
        assert_eq!(did_you_mean("site", ["site"]), None);
    }

    #[test]
    fn a_suggester_stops_searching_at_its_cap() {
        let mut suggester = Suggester::with_cap(2);
        let keys = ["population"];
        assert_eq!(
            suggester.did_you_mean("polulation", keys),
            Some("population")
        );
        assert_eq!(suggester.did_you_mean("budget", keys), None);
        let mut searched = false;
        let past_cap = suggester.suggest(|| {
            searched = true;
            Some("population")
        });
        assert_eq!(past_cap, None);
        assert!(!searched, "past the cap the search is not run");
    }
}
