//! Escaping user text for each output format, so that notes containing `<script>`, `|`,
//! `*` or `=cmd` render inert. Every renderer that prints user text goes through here.

/// Escapes text for HTML element content and attribute values.
pub fn html(s: &str) -> String {
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

/// Escapes text for Markdown inline content (and table cells): every character with
/// Markdown meaning is backslash-escaped, HTML is neutralised, line breaks become spaces.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// One CSV field (RFC 4180), with formula injection neutralised: a cell starting with
/// `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`.
pub fn csv(s: &str) -> String {
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
pub fn terminal(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_inert() {
        assert_eq!(html("<script>alert('x')</script> & \""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;");
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(markdown("a|b *c* <b>"), "a\\|b \\*c\\* &lt;b\\>");
        assert_eq!(markdown("[x](javascript:y)"), "\\[x\\]\\(javascript:y\\)");
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
