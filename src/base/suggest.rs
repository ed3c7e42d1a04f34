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

#[cfg(test)]
mod tests {
    use super::did_you_mean;

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
}
