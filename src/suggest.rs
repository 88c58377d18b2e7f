//! Friendly words: "did you mean" suggestions and lists joined with "and"/"or".

/// The candidate closest to `input` by edit distance, if it is close enough to be a likely
/// misspelling (distance at most a third of the length, and at least 1 allowed).
pub(crate) fn did_you_mean<'a, I>(input: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (input.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(input, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate.
pub(crate) fn hint<'a, I>(input: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    did_you_mean(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Edit distance between two strings, counted in characters.
pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Joins items as "`a`, `b` and `c`" (with `conj` = "and") or "or".
pub(crate) fn join_quoted<S: AsRef<str>>(items: &[S], conj: &str) -> String {
    let q: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    join(&q, conj)
}

/// Joins items as "a, b and c".
pub(crate) fn join<S: AsRef<str>>(items: &[S], conj: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} {conj} {}", head.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levenshtein_counts_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(levenshtein("same", "same"), 0);
    }

    #[test]
    fn suggests_the_closest_plausible_candidate() {
        let c = ["shelter.unconditional", "shelter.available", "care.medical"];
        assert_eq!(
            did_you_mean("shelter.unconditonal", c),
            Some("shelter.unconditional")
        );
        assert_eq!(did_you_mean("zzzzzzzz", c), None);
    }

    #[test]
    fn joins_lists() {
        assert_eq!(join(&["a"], "and"), "a");
        assert_eq!(join(&["a", "b", "c"], "and"), "a, b and c");
        assert_eq!(join_quoted(&["x", "y"], "or"), "`x` or `y`");
    }
}
