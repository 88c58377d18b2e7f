//! Markdown output: the gap report of one country and the index of several, as
//! CommonMark with GitHub tables. All user text (names, notes, titles, findings, sources)
//! goes through [`escape::markdown`], so a `|` never breaks a table and `<script>` stays text;
//! only http(s) URLs become links.

use std::fmt::Write as _;

use super::cite::{SourceStyle, source_line};
use super::escape::markdown as esc;
use super::table::pct_range;
use crate::model::{Level, Status};
use crate::report::{Citation, FindingLine, Index, Report};
use crate::score::BOUNDS_NOTE;

fn status(s: Status) -> String {
    format!("{} {}", s.symbol(), s.as_str())
}

fn cites(c: &[Citation]) -> String {
    if c.is_empty() {
        return String::new();
    }
    let labels: Vec<String> = c.iter().map(|x| esc(&x.label())).collect();
    format!(" {}", labels.join(" "))
}

/// Percent-encodes the characters of an http(s) URL that would end or confuse a Markdown
/// link destination.
fn link_target(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'*+,;=%".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

const SOURCE: SourceStyle = SourceStyle {
    esc,
    url: |u, linkable| {
        if linkable {
            format!("[{}]({})", esc(u), link_target(u))
        } else {
            esc(u)
        }
    },
    note: Some(|n| format!("*{}*", esc(n))),
};

fn finding_cell(f: Option<&FindingLine>) -> String {
    f.map_or_else(String::new, |f| {
        format!("{}{}", esc(&f.text), cites(&f.citations))
    })
}

/// One country's gap report.
pub(crate) fn report(r: &Report) -> String {
    let mut out = String::new();
    let h = &r.headline;
    let _ = writeln!(
        out,
        "# {} ({}): gap report\n",
        esc(&r.country.name),
        esc(&r.country.code)
    );
    let _ = writeln!(
        out,
        "As of {} · rubric {} {} ({}) · sha256 `{}`\n",
        r.as_of,
        esc(&r.rubric.id),
        esc(&r.rubric.version),
        esc(&r.rubric.title),
        r.rubric.sha256
    );
    if let Some(s) = &r.status {
        let _ = writeln!(out, "> **Status:** {}\n", esc(s));
    }
    let _ = writeln!(out, "| Overall | Rating | Coverage |{}", level_headings());
    out.push_str("|---:|---|---:|---:|---:|---:|\n");
    let lv = |l: Level| pct_range(h.levels.get(l), h.bounds.levels.get(l));
    let _ = writeln!(
        out,
        "| {} / 100 | {} | {}% ({} of {} scored cells unknown) |{}\n",
        pct_range(h.overall, h.bounds.overall),
        esc(&h.rating_words()),
        h.coverage,
        h.counts.unknown,
        h.counts.scored(),
        Level::ALL.map(|l| format!(" {} |", lv(l))).concat()
    );
    let _ = writeln!(out, "{BOUNDS_NOTE}\n");
    if let Some(s) = &r.summary {
        let _ = writeln!(out, "{}\n", super::escape::markdown_block(s));
    }
    if let Some(c) = &r.compiled_from {
        let _ = writeln!(out, "*Compiled from:* {}\n", esc(c));
    }

    types_section(&mut out, r);
    principles_section(&mut out, r);

    level_sections(&mut out, r);
    out.push_str("\n## Implementation gaps\n\n");
    let g = &r.implementation_gaps;
    if g.is_empty() {
        out.push_str("None: no criterion's law differs from its practice or policy by half a point or more.\n");
    }
    for (heading, items) in g.groups() {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {heading}\n");
        for x in items {
            let _ = writeln!(
                out,
                "- **{}**: law {}, {} {}{}",
                esc(&x.title),
                status(x.law),
                x.other_level,
                status(x.other),
                cites(&x.citations)
            );
        }
        out.push('\n');
    }

    out.push_str("## Good practices and challenges\n\n");
    if r.good_practices.is_empty() && r.challenges.is_empty() {
        out.push_str("None recorded.\n");
    } else {
        out.push_str("| Good practices | Challenges |\n|---|---|\n");
        for i in 0..r.good_practices.len().max(r.challenges.len()) {
            let _ = writeln!(
                out,
                "| {} | {} |",
                finding_cell(r.good_practices.get(i)),
                finding_cell(r.challenges.get(i))
            );
        }
    }

    out.push_str("\n## Sources\n\n");
    if r.sources.is_empty() {
        out.push_str("None listed.\n");
    }
    for s in &r.sources {
        let _ = writeln!(out, "{}. {}", s.number, source_line(s, &SOURCE));
    }
    out
}

/// The types of assistance: each one's score at each level.
fn types_section(out: &mut String, r: &Report) {
    out.push_str("## Types of assistance\n\n");
    let _ = writeln!(out, "| Type of assistance |{} All |", level_headings());
    out.push_str("|---|---|---|---|---:|\n");
    for t in &r.assistance_types {
        let _ = write!(out, "| {} |", esc(&t.title));
        for l in &t.levels {
            if l.status == Status::NotApplicable {
                out.push_str(" n/a |");
            } else {
                let _ = write!(
                    out,
                    " {}<br>{} |",
                    pct_range(l.score, l.bounds),
                    l.counts.words()
                );
            }
        }
        let _ = writeln!(out, " {} |", pct_range(t.score, t.bounds));
    }
}

/// The fundamental principles: each one's score and weakest criteria.
fn principles_section(out: &mut String, r: &Report) {
    out.push_str("\n## Fundamental principles\n\n");
    out.push_str("| Fundamental principle | Score | Weakest criteria |\n");
    out.push_str("|---|---:|---|\n");
    for p in &r.principles {
        let weakest = p
            .weakest
            .iter()
            .map(|c| format!("{} ({})", esc(&c.title), esc(&c.label())))
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            esc(&p.title),
            pct_range(p.score, p.bounds),
            if weakest.is_empty() {
                "–".to_string()
            } else {
                weakest
            }
        );
    }
}

/// One section per level: its score and its gaps.
fn level_sections(out: &mut String, r: &Report) {
    for sec in &r.levels {
        let _ = writeln!(out, "\n## {}\n", sec.heading);
        let _ = writeln!(out, "{}", sec.summary());
        for (heading, items) in sec.groups() {
            if items.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n### {heading}\n");
            for st in items {
                let _ = writeln!(
                    out,
                    "- **{}**: {}{}",
                    esc(&st.title),
                    esc(&st.text),
                    cites(&st.citations)
                );
            }
        }
    }
}

/// The index of several reports: one row per country, linked to its file when it has one.
pub(crate) fn index(idx: &Index) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Gap reports\n");
    for r in &idx.rubrics {
        let _ = writeln!(
            out,
            "Rubric {} {} ({}) · sha256 `{}`\n",
            esc(&r.id),
            esc(&r.version),
            esc(&r.title),
            r.sha256
        );
    }
    for s in &idx.caveats {
        let _ = writeln!(out, "> **Status:** {}\n", esc(s));
    }
    if let Some(f) = &idx.comparison {
        let _ = writeln!(out, "[Regional comparison]({})\n", link_target(f));
    }
    out.push_str("| Country | As of | Overall | Rating | Coverage |\n");
    out.push_str("|---|---|---:|---|---:|\n");
    for c in &idx.countries {
        let name = format!("{} ({})", esc(&c.country.name), esc(&c.country.code));
        let name = match &c.file {
            Some(f) => format!("[{name}]({})", link_target(f)),
            None => name,
        };
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {}% |",
            c.as_of,
            pct_range(c.overall, c.bounds),
            esc(&crate::score::rating_words(
                c.rating.as_deref(),
                c.coverage,
                c.min_coverage
            )),
            c.coverage
        );
    }
    out
}

/// " In law | In policies | In practice |": the level headings as Markdown table cells.
fn level_headings() -> String {
    Level::ALL.map(|l| format!(" {} |", l.heading())).concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_are_encoded() {
        assert_eq!(
            link_target("https://a.org/x y)(<>|"),
            "https://a.org/x%20y%29%28%3C%3E%7C"
        );
    }
}
