//! Escaping user text for each output format, so that notes containing `<script>`, `|`,
//! `*` or `=cmd` render inert. Every renderer that prints user text goes through here.

/// Escapes text for HTML element content and attribute values.
pub(crate) fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub(crate) fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for Markdown inline content (table cells, list items, text after a label):
/// characters that start emphasis, code, links, HTML or table cells are backslash-escaped, an
/// `&` that would start an entity is written `&amp;`, and line breaks become spaces. The raw
/// Markdown stays readable (`non-punishment`, `0.1.0`, `aid & interpreter` are left alone).
pub(crate) fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' if starts_entity(&chars[i + 1..]) => out.push_str("&amp;"),
            // `](` never appears unescaped, so no text can read as a link target.
            '(' if i > 0 && chars[i - 1] == ']' => out.push_str("\\("),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Markdown for a message whose `backticked` parts are code (ids, keys, values): those parts
/// become code spans, the rest is escaped as by [`markdown`]. When the backticks do not pair
/// up, or a code part holds a line break, everything is escaped.
pub(crate) fn markdown_with_code(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2)
        || parts
            .iter()
            .skip(1)
            .step_by(2)
            .any(|c| c.is_empty() || c.contains(['\n', '\r']))
    {
        return markdown(s);
    }
    let mut out = String::with_capacity(s.len());
    for (i, p) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(&markdown(p));
        } else {
            // A code span shows its text as is; one starting or ending with a space keeps it.
            out.push('`');
            out.push_str(p);
            out.push('`');
        }
    }
    out
}

/// Whether the characters after an `&` would make an HTML entity (`lt;`, `#60;`).
fn starts_entity(rest: &[char]) -> bool {
    let name: Vec<&char> = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !name.is_empty() && rest.get(name.len()) == Some(&';')
}

/// Escapes text that starts a line (a paragraph): as [`markdown`], and a leading `#`, `-`,
/// `+`, `=`, `!` or `1.` is escaped so the text cannot become a heading or a list.
pub(crate) fn markdown_block(s: &str) -> String {
    let mut out = markdown(s);
    let trimmed = out.trim_start();
    let lead = out.len() - trimmed.len();
    if matches!(trimmed.chars().next(), Some('#' | '-' | '+' | '=' | '!')) {
        out.insert(lead, '\\');
    } else if let Some(dot) = trimmed.find(['.', ')'])
        && dot > 0
        && trimmed[..dot].chars().all(|c| c.is_ascii_digit())
    {
        out.insert(lead + dot, '\\');
    }
    out
}

/// One CSV field (RFC 4180), with formula injection neutralised: a cell starting with
/// `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`.
pub(crate) fn csv(s: &str) -> String {
    let neutral = match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

/// Strips terminal control characters (ESC and other C0 controls except newline and tab)
/// from user text shown on a terminal.
pub(crate) fn terminal(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }

    #[test]
    fn code_in_messages_stays_code() {
        assert_eq!(
            markdown_with_code("`a.b` law got *worse*: `<x>`"),
            "`a.b` law got \\*worse\\*: `<x>`"
        );
        // Unpaired backticks: all escaped.
        assert_eq!(markdown_with_code("a `b"), "a \\`b");
    }

    #[test]
    fn html_is_inert() {
        assert_eq!(
            html("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(markdown("a|b *c* <b>"), "a\\|b \\*c\\* &lt;b\\>");
        assert_eq!(markdown("[x](javascript:y)"), "\\[x\\]\\(javascript:y)");
        assert_eq!(markdown("non-punishment, v0.1.0"), "non-punishment, v0.1.0");
        assert_eq!(
            markdown("Legal aid & interpreter"),
            "Legal aid & interpreter"
        );
        assert_eq!(markdown("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
        assert_eq!(markdown_block("# not a heading"), "\\# not a heading");
        assert_eq!(markdown_block("- not a list"), "\\- not a list");
        assert_eq!(markdown_block("2024. Not a list"), "2024\\. Not a list");
        assert_eq!(markdown_block("Version 1.0.0"), "Version 1.0.0");
    }

    #[test]
    fn csv_neutralises_formulas_and_quotes() {
        assert_eq!(csv("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv("-1"), "'-1");
        assert_eq!(csv("a,b"), "\"a,b\"");
        assert_eq!(csv("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv("plain"), "plain");
    }

    #[test]
    fn terminal_strips_escapes() {
        assert_eq!(terminal("a\x1b[31mb\x07"), "a[31mb");
    }
}
