//! The comparison for a terminal: the ranking with level scores, the principle and
//! assistance-type matrices, then the key findings, good common practices, challenges and
//! (when asked for) the rank sensitivity as wrapped paragraphs. User text is stripped of
//! terminal control characters.

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment};

use super::{
    PAIR_HEADER, SOURCE_HEADER, level_bounds, level_score, pair_cells, pct, rank_label,
    ranking_note, rating_short, rubric_line, source_cells,
};
use crate::model::Level;
use crate::render::escape::terminal;
use crate::render::table::new_table;
use crate::score::region::Comparison;

const WIDTH: usize = 100;

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// Wraps `text` at [`WIDTH`] columns; the first line starts with `first`, the others with
/// as many spaces.
fn wrap(text: &str, first: &str) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.clone();
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

/// A score and, below it, its bounds ("16.3" / "16.3–88.6"); one line when no unknown cell
/// moves it.
fn two_lines(s: &crate::score::region::StateRow, level: Option<Level>) -> String {
    let p = level_score(s, level);
    match (p, level_bounds(s, level)) {
        (Some(p), Some(b)) if !b.is_point() => format!("{p}\n{}", b.label()),
        _ => pct(p),
    }
}

/// A matrix cell: the score and, below it, its upper bound ("15.2" / "≤68.2"), narrow enough
/// for ten member states side by side.
fn with_upper(p: Option<crate::score::Pct>, b: Option<crate::score::Range>) -> String {
    match (p, b) {
        (Some(p), Some(b)) if !b.is_point() => {
            let up = if b.upper.rounded() >= 100.0 {
                "100".to_string()
            } else {
                b.upper.to_string()
            };
            format!("{p}\n≤{up}")
        }
        _ => pct(p),
    }
}

/// Renders the comparison for a terminal.
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Regional comparison: {} (region {})",
        terminal(&c.region.name),
        c.region.id
    );
    let _ = writeln!(out, "Rubric: {}", terminal(&rubric_line(c)));
    out.push_str(&wrap(&terminal(&c.members.summary), "Member states: "));
    out.push('\n');

    out.push_str("Ranking by overall score (=: tied; ties share a rank and are listed by code)\n");
    let mut t = new_table(&[
        "Rank",
        "Member state",
        "Overall",
        "Rating",
        "Coverage",
        "Law",
        "Policies",
        "Practice",
    ]);
    for e in &c.ranking {
        let s = c.states.iter().find(|s| s.country.code == e.code);
        let Some(s) = s else { continue };
        let mut row = vec![
            right(rank_label(c, e).replacen(" (", "\n(", 1)),
            Cell::new(format!("{} {}", e.code, terminal(&e.name))),
        ];
        match &s.score {
            Some(score) => {
                row.push(right(two_lines(s, None)));
                row.push(Cell::new(rating_short(score)));
                row.push(right(score.coverage.to_string()));
                for l in Level::ALL {
                    row.push(right(two_lines(s, Some(l))));
                }
            }
            None => {
                row.push(right("—".into()));
                row.push(Cell::new("no profile"));
                for _ in 0..4 {
                    row.push(right("—".into()));
                }
            }
        }
        t.add_row(row);
    }
    let _ = writeln!(out, "{t}");
    out.push_str(&wrap(&ranking_note(c, false), ""));
    out.push('\n');

    let codes: Vec<&str> = c.states.iter().map(|s| s.country.code.as_str()).collect();
    for (title, cats, principles) in [
        ("Fundamental principle", &c.principles, true),
        ("Type of assistance", &c.assistance_types, false),
    ] {
        let mut header = vec![title];
        header.extend(codes.iter().copied());
        let mut t = new_table(&header);
        for cat in cats {
            let mut row = vec![Cell::new(terminal(&cat.title))];
            for s in &c.states {
                row.push(right(match &s.score {
                    Some(score) => {
                        let k = if principles {
                            &score.principles
                        } else {
                            &score.assistance_types
                        };
                        let b = if principles {
                            &score.bounds.principles
                        } else {
                            &score.bounds.assistance_types
                        };
                        with_upper(k.get(&cat.id), b.get(&cat.id))
                    }
                    None => "—".into(),
                }));
            }
            t.add_row(row);
        }
        let _ = writeln!(out, "{t}\n");
    }
    out.push_str("Second line: the upper bound (every unknown cell at full); the score is the lower bound.\n");
    if !c.members.missing.is_empty() {
        out.push_str("— : no profile\n");
    }
    out.push('\n');

    out.push_str("KEY FINDINGS\n");
    out.push_str(&wrap(&terminal(&c.key_findings.note), ""));
    for lf in &c.key_findings.levels {
        let _ = writeln!(out, "\n{}", lf.heading.to_uppercase());
        for st in &lf.statements {
            out.push_str(&wrap(&terminal(&st.text), "- "));
        }
    }

    out.push_str("\nGOOD COMMON PRACTICES\n");
    let gp = &c.good_practices;
    if gp.shared.is_empty() && gp.met_in_practice.is_empty() {
        out.push_str("None found: no good practice is tied to the same criterion by two or more member states, and no criterion is provided in full in practice by most of them.\n");
    }
    for s in &gp.shared {
        out.push_str(&wrap(&terminal(&s.text), "- "));
    }
    for m in &gp.met_in_practice {
        out.push_str(&wrap(&terminal(&m.text), "- "));
    }

    if !gp.shared.is_empty() || !c.challenges.shared.is_empty() {
        out.push_str("(The states' own words are in the markdown, html and json output.)\n");
    }

    out.push_str("\nCHALLENGES\n");
    let ch = &c.challenges;
    out.push_str("Largest regional gaps (criterion weight × shortfall):\n");
    for g in &ch.largest_gaps {
        out.push_str(&wrap(&terminal(&g.text), "- "));
    }
    if ch.implementation_gaps.is_empty() {
        out.push_str("No implementation gap is shared by two or more member states.\n");
    } else {
        out.push_str("Implementation gaps shared by two or more member states:\n");
        for g in &ch.implementation_gaps {
            out.push_str(&wrap(&terminal(&g.text), "- "));
        }
    }
    if !ch.shared.is_empty() {
        out.push_str("Challenges two or more member states report:\n");
        for s in &ch.shared {
            out.push_str(&wrap(&terminal(&s.text), "- "));
        }
    }

    if let Some(sens) = &c.sensitivity {
        out.push_str("\nRANK SENSITIVITY\n");
        out.push_str(&wrap(&sens.summary, ""));
        let mut t = new_table(&[
            "Member state",
            "Base rank",
            "Rank range",
            "Runs at base rank",
        ]);
        for s in &sens.states {
            t.add_row(vec![
                Cell::new(&s.code),
                right(s.base_rank.to_string()),
                right(if s.min_rank == s.max_rank {
                    s.min_rank.to_string()
                } else {
                    format!("{}–{}", s.min_rank, s.max_rank)
                }),
                right(format!("{}%", s.at_base_rank)),
            ]);
        }
        let _ = writeln!(out, "{t}");
        let mut t = new_table(&SOURCE_HEADER);
        for x in &sens.sources {
            t.add_row(source_cells(x).map(Cell::new).to_vec());
        }
        let _ = writeln!(out, "{t}");
        if !sens.pairs.is_empty() {
            let mut t = new_table(&PAIR_HEADER);
            for p in &sens.pairs {
                t.add_row(pair_cells(p).map(Cell::new).to_vec());
            }
            let _ = writeln!(out, "{t}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_hanging_indent() {
        let w = wrap(&"word ".repeat(30), "- ");
        assert!(w.lines().all(|l| l.chars().count() <= WIDTH));
        assert!(w.lines().skip(1).all(|l| l.starts_with("  word")));
    }
}
