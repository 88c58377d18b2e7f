//! The gap report on a terminal. The default is compact (header, types of assistance by
//! level, principles, implementation gaps and the first challenges), so that the ten
//! bundled countries read in one sitting; `full` adds the summary, the in law / in policies /
//! in practice sections, good practices beside challenges, and the numbered sources. User
//! text is stripped of terminal control characters; colour is never the only signal.

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment};

use super::cite::{SourceStyle, source_line};
use super::escape::terminal;
use super::table::{new_table, pct_range, status};
use crate::model::{Level, Status};
use crate::report::{Citation, Index, Report, TypeLevel};
use crate::score::BOUNDS_NOTE;

/// Width text is wrapped to.
const WIDTH: usize = 100;

/// How many challenges the compact report shows.
pub(crate) const COMPACT_CHALLENGES: usize = 3;

/// One country's report; `full` for every section, `color` for ANSI colours.
pub(crate) fn report(r: &Report, full: bool, color: bool) -> String {
    let mut out = String::new();
    header(&mut out, r);
    if full && let Some(s) = &r.summary {
        out.push('\n');
        wrap_into(&mut out, &terminal(s), "", "");
    }
    types(&mut out, r);
    principles(&mut out, r);
    if full {
        for sec in &r.levels {
            let _ = writeln!(
                out,
                "\n{} (score {})",
                sec.heading.to_uppercase(),
                pct_range(sec.score, sec.bounds)
            );
            for (heading, items) in sec.groups() {
                if items.is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {heading} ({}):", items.len());
                for st in items {
                    let line = format!(
                        "{}: {}{}",
                        terminal(&st.title),
                        terminal(&st.text),
                        cites(&st.citations)
                    );
                    wrap_into(&mut out, &line, "    • ", "      ");
                }
            }
        }
    }
    gaps(&mut out, r, full, color);
    if full {
        findings_side_by_side(&mut out, r);
        sources(&mut out, r);
    } else {
        let n = r.challenges.len();
        let shown = n.min(COMPACT_CHALLENGES);
        if n == 0 {
            out.push_str("\nChallenges: none recorded\n");
        } else {
            if shown < n {
                let _ = writeln!(
                    out,
                    "\nChallenges ({shown} of {n}; --full for all, with good practices and sources):"
                );
            } else {
                let _ = writeln!(out, "\nChallenges ({n}):");
            }
            for f in r.challenges.iter().take(shown) {
                wrap_into(&mut out, &terminal(&f.text), "  • ", "    ");
            }
        }
    }
    out
}

fn header(out: &mut String, r: &Report) {
    let h = &r.headline;
    let _ = writeln!(
        out,
        "{} ({}): gap report, as of {}",
        terminal(&r.country.name),
        r.country.code,
        r.as_of
    );
    let _ = writeln!(
        out,
        "Rubric: {} {}\n        sha256 {}",
        terminal(&r.rubric.id),
        terminal(&r.rubric.version),
        r.rubric.sha256
    );
    if let Some(s) = &r.status {
        wrap_into(out, &terminal(s), "Status: ", "        ");
    }
    let line = format!(
        "Overall: {} / 100 · rating: {} · coverage: {}% ({} of {} scored cells unknown)",
        pct_range(h.overall, h.bounds.overall),
        terminal(&h.rating_words()),
        h.coverage,
        h.counts.unknown,
        h.counts.scored()
    );
    wrap_into(out, &line, "", "         ");
    let lv = |l: Level| pct_range(h.levels.get(l), h.bounds.levels.get(l));
    let levels: Vec<String> = Level::ALL
        .map(|l| format!("{} {}", super::lower_first(l.heading()), lv(l)))
        .into();
    let line = format!("Levels: {}", levels.join(" · "));
    wrap_into(out, &line, "", "        ");
    wrap_into(out, BOUNDS_NOTE, "", "");
}

/// A type of assistance at one level: its score with bounds, and below it the cells by
/// status ("2 full · 3 partial · 1 unknown").
fn type_cell(t: &TypeLevel) -> Cell {
    if t.status == Status::NotApplicable {
        return Cell::new("n/a");
    }
    // A no-break space inside "3 partial" keeps each count on one line when wrapped.
    let counts: Vec<String> = t
        .counts
        .words()
        .split(" · ")
        .map(|x| x.replace(' ', "\u{a0}"))
        .collect();
    Cell::new(format!(
        "{}\n{}",
        pct_range(t.score, t.bounds),
        counts.join(" · ")
    ))
}

fn types(out: &mut String, r: &Report) {
    let mut header = vec!["Type of assistance"];
    header.extend(Level::ALL.map(Level::heading));
    header.push("All");
    let mut t = new_table(&header);
    for row in &r.assistance_types {
        let mut cells = vec![Cell::new(terminal(&row.title))];
        cells.extend(row.levels.iter().map(type_cell));
        cells.push(Cell::new(pct_range(row.score, row.bounds)).set_alignment(CellAlignment::Right));
        t.add_row(cells);
    }
    let _ = writeln!(
        out,
        "\nTypes of assistance (score, and the cells by status, at each level):\n{t}"
    );
}

fn principles(out: &mut String, r: &Report) {
    let mut t = new_table(&["Fundamental principle", "Score", "Weakest criteria"]);
    for p in &r.principles {
        let weakest = p
            .weakest
            .iter()
            .map(|c| {
                format!(
                    "{}\u{a0}({})",
                    terminal(&c.title),
                    c.label().replace(' ', "\u{a0}")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        t.add_row(vec![
            Cell::new(terminal(&p.title)),
            Cell::new(pct_range(p.score, p.bounds)).set_alignment(CellAlignment::Right),
            Cell::new(if weakest.is_empty() {
                "–".to_string()
            } else {
                weakest
            }),
        ]);
    }
    let _ = writeln!(out, "\nFundamental principles:\n{t}");
}

fn gaps(out: &mut String, r: &Report, full: bool, color: bool) {
    let g = &r.implementation_gaps;
    if g.is_empty() {
        out.push_str("\nImplementation gaps: none\n");
        return;
    }
    let _ = writeln!(out, "\nImplementation gaps ({}):", g.len());
    for (heading, items) in g.groups() {
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "  {heading} ({}):", items.len());
        for x in items {
            let line = format!(
                "{}: law {}, {} {}{}",
                terminal(&x.title),
                status(x.law, color),
                x.other_level,
                status(x.other, color),
                if full {
                    cites(&x.citations)
                } else {
                    String::new()
                }
            );
            wrap_into(out, &line, "    • ", "      ");
        }
    }
}

fn findings_side_by_side(out: &mut String, r: &Report) {
    if r.good_practices.is_empty() && r.challenges.is_empty() {
        out.push_str("\nGood practices and challenges: none recorded\n");
        return;
    }
    let mut t = new_table(&["Good practices", "Challenges"]);
    let n = r.good_practices.len().max(r.challenges.len());
    let text = |f: Option<&crate::report::FindingLine>| {
        f.map_or_else(String::new, |f| {
            format!("• {}{}", terminal(&f.text), cites(&f.citations))
        })
    };
    for i in 0..n {
        t.add_row(vec![
            Cell::new(text(r.good_practices.get(i))),
            Cell::new(text(r.challenges.get(i))),
        ]);
    }
    let _ = writeln!(out, "\n{t}");
}

const SOURCE: SourceStyle = SourceStyle {
    esc: terminal,
    url: |u, _| terminal(u),
    note: None,
};

fn sources(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\nSOURCES");
    for s in &r.sources {
        let line = format!("[{}] {}", s.number, source_line(s, &SOURCE));
        wrap_into(out, &line, "  ", "      ");
    }
}

/// The overview printed before several reports: one row per country.
pub(crate) fn index(idx: &Index) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Gap reports: {} countries", idx.countries.len());
    for r in &idx.rubrics {
        let _ = writeln!(
            out,
            "Rubric: {} {}\n        sha256 {}",
            terminal(&r.id),
            terminal(&r.version),
            r.sha256
        );
    }
    for s in &idx.caveats {
        wrap_into(&mut out, &terminal(s), "Status: ", "        ");
    }
    if let Some(f) = &idx.comparison {
        let _ = writeln!(out, "Regional comparison: {}", terminal(f));
    }
    let mut t = new_table(&["Country", "As of", "Overall", "Rating", "Coverage"]);
    for c in &idx.countries {
        t.add_row(vec![
            Cell::new(format!(
                "{} ({})",
                terminal(&c.country.name),
                c.country.code
            )),
            Cell::new(c.as_of.to_string()),
            Cell::new(pct_range(c.overall, c.bounds)).set_alignment(CellAlignment::Right),
            Cell::new(terminal(&crate::score::rating_words(
                c.rating.as_deref(),
                c.coverage,
                c.min_coverage,
            ))),
            Cell::new(format!("{}%", c.coverage)).set_alignment(CellAlignment::Right),
        ]);
    }
    let _ = writeln!(out, "{t}");
    out
}

/// The rule printed between reports.
pub(crate) fn separator() -> String {
    format!("\n{}\n\n", "═".repeat(WIDTH))
}

fn cites(c: &[Citation]) -> String {
    if c.is_empty() {
        return String::new();
    }
    // A no-break space inside a label keeps "[3, s.23]" on one line when wrapped.
    let labels: Vec<String> = c
        .iter()
        .map(|x| terminal(&x.label()).replace(' ', "\u{a0}"))
        .collect();
    format!(" {}", labels.join(" "))
}

/// Appends `text` wrapped to [`WIDTH`] columns: the first line after `first`, the others
/// after `rest`. Widths count characters; ANSI colour codes are counted too, which only
/// makes coloured lines wrap a little early.
fn wrap_into(out: &mut String, text: &str, first: &str, rest: &str) {
    let mut line = String::from(first);
    let mut len = first.chars().count();
    let mut empty = true;
    for word in text
        .split([' ', '\n', '\t', '\r'])
        .filter(|w| !w.is_empty())
    {
        let w = word.chars().count();
        if !empty && len + 1 + w > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            len = rest.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += w;
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_hanging_indent() {
        let mut out = String::new();
        let text = "word ".repeat(30);
        wrap_into(&mut out, &text, "  • ", "    ");
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
        assert!(lines[1].starts_with("    word"));
    }
}
