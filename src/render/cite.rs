//! What the report and comparison renderers share about sources: the source-citation line
//! ("Title. Publisher, 2003 (law). URL. Note", each part escaped for the format, the URL and
//! the note marked up as the format does) and HTML citation links.

use std::fmt::Write as _;

use crate::report::SourceEntry;

/// How a format writes a source line: its escaping, its URL (`linkable`: the URL may be a
/// link) and its note (`None`: the format leaves notes out).
pub(crate) struct SourceStyle {
    /// Escapes user text.
    pub esc: fn(&str) -> String,
    /// Writes the URL (already a checked, linkable one when the flag is set).
    pub url: fn(&str, bool) -> String,
    /// Writes the note, or leaves it out.
    pub note: Option<fn(&str) -> String>,
}

/// Citations in HTML: each numbered one a link to `#<anchor>-<n>`, the others plain; each
/// given as (number, label).
pub(crate) fn html_cites(
    c: impl IntoIterator<Item = (Option<usize>, String)>,
    anchor: &str,
) -> String {
    let esc = crate::render::escape::html;
    let mut out = String::new();
    for (number, label) in c {
        match number {
            Some(n) => {
                let _ = write!(
                    out,
                    " <a class=\"cite\" href=\"#{anchor}-{n}\">{}</a>",
                    esc(&label)
                );
            }
            None => {
                let _ = write!(out, " <span class=\"cite\">{}</span>", esc(&label));
            }
        }
    }
    out
}

/// A source as one line of the numbered list (without the number).
pub(crate) fn source_line(s: &SourceEntry, style: &SourceStyle) -> String {
    let esc = style.esc;
    let mut line = esc(&s.title);
    if let Some(p) = &s.publisher {
        let _ = write!(line, ". {}", esc(p));
    }
    if let Some(y) = s.year {
        let _ = write!(line, ", {y}");
    }
    let _ = write!(line, " ({})", s.kind.as_str());
    if let Some(u) = &s.url {
        let _ = write!(line, ". {}", (style.url)(u, s.linkable));
    }
    if let (Some(n), Some(note)) = (&s.note, style.note) {
        let _ = write!(line, ". {}", note(n));
    }
    line
}
