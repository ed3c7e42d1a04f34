//! A scan of YAML flow collections (`[…]`, `{…}`) as written, before the YAML reader sees them:
//! the reader looks ahead through a flow collection for a key and holds every token it reads
//! meanwhile (a 7.8 MB one-line `- {a: 1, …}` held 1 GB before any event came out), and stops
//! at its own nesting limit before the events reach the depth check. The scan does not need to
//! agree with YAML on every corner (a `#` inside a plain scalar, brackets in a block scalar):
//! it only finds where a run of brackets or separators passes a limit.

/// What the scan meets outside quoted scalars and comments.
enum Mark {
    /// A `[` or `{` that opens flow level `depth` (1 = outermost).
    Open { depth: usize },
    /// A `,` or a `:` before a space inside a flow collection: each separates at least one
    /// value from the next, so their number is at most the number of values.
    Separator,
}

/// Calls `seen` with each mark and its byte offset until it returns `true`; returns that offset.
fn scan(text: &str, mut seen: impl FnMut(Mark) -> bool) -> Option<usize> {
    let mut depth: usize = 0;
    let mut quote: Option<char> = None;
    let mut comment = false;
    let mut previous = '\n';
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let mark = match (quote, c) {
            _ if comment => {
                comment = c != '\n';
                None
            }
            (Some('\''), '\'') if chars.peek().is_some_and(|(_, next)| *next == '\'') => {
                chars.next();
                None
            }
            (Some('"'), '\\') => {
                chars.next();
                None
            }
            (Some(open), c) if c == open => {
                quote = None;
                None
            }
            (Some(_), _) => None,
            // A quote opens a quoted scalar only where a scalar starts (`it's` is plain text).
            (None, '\'' | '"') if previous.is_whitespace() || "[{,:".contains(previous) => {
                quote = Some(c);
                None
            }
            (None, '#') if previous.is_whitespace() => {
                comment = true;
                None
            }
            (None, '[' | '{') => {
                depth = depth.saturating_add(1);
                Some(Mark::Open { depth })
            }
            (None, ']' | '}') => {
                depth = depth.saturating_sub(1);
                None
            }
            (None, ',') if depth > 0 => Some(Mark::Separator),
            (None, ':')
                if depth > 0 && chars.peek().is_none_or(|(_, next)| next.is_whitespace()) =>
            {
                Some(Mark::Separator)
            }
            _ => None,
        };
        if mark.is_some_and(&mut seen) {
            return Some(at);
        }
        previous = c;
    }
    None
}

/// The byte offset of the `[` or `{` that opens flow nesting level `level` (1 = outermost) in
/// `text`, skipping quoted scalars and comments; `None` when `text` never nests that deep.
pub fn level_start(text: &str, level: usize) -> Option<usize> {
    scan(
        text,
        |mark| matches!(mark, Mark::Open { depth } if depth == level),
    )
}

/// The byte offset of the flow separator past which `text` must hold more than `max` values
/// (its `max + 1`-th `,` or `: ` inside brackets); `None` when it has no more than `max`.
pub fn values_past(text: &str, max: usize) -> Option<usize> {
    let mut separators: usize = 0;
    scan(text, |mark| {
        if matches!(mark, Mark::Separator) {
            separators = separators.saturating_add(1);
        }
        separators > max
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_start_skips_quotes_and_comments() {
        assert_eq!(level_start("a: [[x]]", 2), Some(4));
        assert_eq!(level_start("a: [[x]]", 3), None);
        assert_eq!(level_start("a: ['[[', \"[\\\"[\"] # [[[\n", 2), None);
        assert_eq!(level_start("a: [b]\nc: [[d]]", 2), Some(11));
    }

    #[test]
    fn values_past_counts_separators_inside_brackets_only() {
        // `{a: 1, b: 2}` holds 5 values and 3 separators.
        assert_eq!(values_past("x: {a: 1, b: 2}", 3), None);
        assert_eq!(values_past("x: {a: 1, b: 2}", 2), Some(11));
        // Outside brackets, in quotes and in plain text (`a:b`, `http://x`) they are not separators.
        assert_eq!(
            values_past("a: 1\nb: 2, 3\nc: [\"x, y: z\", a:b, http://x]", 2),
            None
        );
        assert_eq!(values_past("c: [p, q, r]", 1), Some(8));
    }
}
