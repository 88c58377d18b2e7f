//! Writing YAML text: the quoting `init` and `generate` share, so every string they write
//! reads back as the same string.

/// `s` as a YAML double-quoted scalar: `\\` and `"` escaped, control characters written as
/// escapes (`\n`, `\t`, `\u0001`), so the scalar stays on one line and reads back unchanged.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The items of a flow sequence, each quoted: `"a", "b"` (without the brackets).
pub(crate) fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|e| quote(e))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_read_back_unchanged() {
        for s in [
            "plain",
            "a \"b\" c",
            "back\\slash",
            "two\nlines\ttab",
            "bell\u{7}",
            "Côte d'Ivoire: x # y",
        ] {
            let yaml = format!("k: {}\n", quote(s));
            let v: std::collections::BTreeMap<String, String> =
                serde_saphyr::from_str(&yaml).expect(&yaml);
            assert_eq!(v["k"], s, "{yaml}");
            assert!(!quote(s).contains('\n'));
        }
        assert_eq!(quoted_list(&["a".into(), "b c".into()]), "\"a\", \"b c\"");
    }
}
