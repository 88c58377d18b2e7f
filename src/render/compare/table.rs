//! The comparison for a terminal: the header and status lines, the executive summary, good
//! common practices and challenges, the ranking (ranks with the ranges the bounds allow, as
//! of, overall score with its bounds, rating, coverage), the level, principle and
//! assistance-type matrices (each score over its upper bound), themes, the rank sensitivity
//! (when asked for), the annex and the references. User text is stripped of terminal control
//! characters.

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment};

use super::{
    PAIR_HEADER, SOURCE_HEADER, as_of_text, caveat_lines, coverage_text, level_bounds, level_score,
    pair_cells, pct, rank_label, ranking_note, rating_short, rubric_line, source_cells,
};
use crate::model::Level;
use crate::render::escape::terminal;
use crate::render::table::new_table;
use crate::score::region::Comparison;
use crate::score::summary::{LevelSentences, Theme};

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// `text` wrapped at [`crate::render::table::WIDTH`] columns ([`crate::render::table::wrap`]); the first line
/// starts with `first`, the others with as many spaces.
fn wrap(text: &str, first: &str) -> String {
    crate::render::table::wrap(text, first, &" ".repeat(first.chars().count()))
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
pub(crate) fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Regional comparison: {} (region {})",
        terminal(&c.region.name),
        c.region.id
    );
    let _ = writeln!(out, "Rubric: {}", terminal(&rubric_line(c)));
    let _ = writeln!(out, "Compared as of: {}", c.as_of);
    out.push_str(&wrap(&terminal(&c.members.summary), "Member states: "));
    for k in caveat_lines(c) {
        out.push_str(&wrap(&terminal(&k), "Status: "));
    }
    out.push('\n');

    summary_section(&mut out, c);

    ranking_section(&mut out, c);

    score_matrices(&mut out, c);

    findings_section(&mut out, c);
    sensitivity_section(&mut out, c);

    annex_sections(&mut out, c);
    out
}

/// The executive summary: the level sentences, good practices and challenges.
fn summary_section(out: &mut String, c: &Comparison) {
    out.push_str("EXECUTIVE SUMMARY\n");
    out.push_str(&wrap(&terminal(&c.summary.note), ""));
    sentences(out, &c.summary.levels);
    for (heading, items) in [
        ("GOOD COMMON PRACTICES", &c.good_practices.themes),
        ("CHALLENGES", &c.challenges.themes),
    ] {
        let _ = writeln!(out, "\n{heading}");
        if items.is_empty() {
            out.push_str("None recorded in the profiles.\n");
        }
        for t in items {
            out.push_str(&wrap(&terminal(&t.text), "- "));
        }
    }
    out.push('\n');
}

/// The ranking with each state's overall score.
fn ranking_section(out: &mut String, c: &Comparison) {
    out.push_str("Ranking by overall score (=: tied; ties share a rank and are listed by code)\n");
    let mut t = new_table(&[
        "Rank",
        "Member state",
        "As of",
        "Overall",
        "Rating",
        "Coverage",
    ]);
    for e in &c.ranking {
        let s = c.states.iter().find(|s| s.country.code == e.code);
        let Some(s) = s else { continue };
        let mut row = vec![
            right(rank_label(c, e).replacen(" (", "\n(", 1)),
            Cell::new(format!("{} {}", e.code, terminal(&e.name))),
            Cell::new(as_of_text(s)),
        ];
        match &s.score {
            Some(score) => {
                row.push(right(two_lines(s, None)));
                row.push(Cell::new(rating_short(score)));
                row.push(right(coverage_text(s)));
            }
            None => {
                row.push(right("—".into()));
                row.push(Cell::new("no profile"));
                row.push(right("—".into()));
            }
        }
        t.add_row(row);
    }
    let _ = writeln!(out, "{t}");
    out.push_str(&wrap(&ranking_note(c, false), ""));
    out.push('\n');
}

/// The level scores, then the scores by principle and by type of assistance, as matrices.
fn score_matrices(out: &mut String, c: &Comparison) {
    // The level scores as a matrix like the principles and types below: beside the ranking's
    // as-of date and bounds they would not fit in the width of a terminal.
    let codes: Vec<&str> = c.states.iter().map(|s| s.country.code.as_str()).collect();
    let mut header = vec!["Level"];
    header.extend(codes.iter().copied());
    let mut t = new_table(&header);
    for (l, title) in Level::ALL.into_iter().map(|l| (l, l.heading())) {
        let mut row = vec![Cell::new(title)];
        for s in &c.states {
            row.push(right(match &s.score {
                Some(_) => with_upper(level_score(s, Some(l)), level_bounds(s, Some(l))),
                None => "—".into(),
            }));
        }
        t.add_row(row);
    }
    let _ = writeln!(out, "{t}\n");
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
}

/// Good common practices and challenges by theme.
fn findings_section(out: &mut String, c: &Comparison) {
    out.push_str("GOOD COMMON PRACTICES AND CHALLENGES BY THEME\n");
    out.push_str("(Each once, under the type of assistance of the first criterion it names; [n]: the references at the end.)\n");
    out.push_str("\nGood common practices:\n");
    themes(out, &c.good_practices.themes);
    let gp = &c.good_practices;
    if gp.met_in_practice.is_empty() {
        out.push_str("No criterion is provided in full in practice by more than half of the member states.\n");
    } else {
        out.push_str("Provided in full in practice by most member states:\n");
        for m in &gp.met_in_practice {
            out.push_str(&wrap(&terminal(&m.text), "- "));
        }
    }
    out.push_str("\nChallenges:\n");
    let ch = &c.challenges;
    themes(out, &ch.themes);
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
}

/// The rank sensitivity, when it was asked for.
fn sensitivity_section(out: &mut String, c: &Comparison) {
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
                right(s.label()),
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
}

/// The annex, criterion by criterion, and the references.
fn annex_sections(out: &mut String, c: &Comparison) {
    out.push_str("\nANNEX: CRITERION BY CRITERION\n");
    out.push_str(&wrap(&terminal(&c.summary.note), ""));
    sentences(out, &c.annex);

    out.push_str("\nREFERENCES\n");
    if c.references.is_empty() {
        out.push_str("None cited.\n");
    }
    for r in &c.references {
        out.push_str(&wrap(
            &terminal(&super::markdown::reference_text(r)),
            &format!("[{}] ", r.number),
        ));
    }
}

fn sentences(out: &mut String, levels: &[LevelSentences]) {
    for lf in levels {
        let _ = writeln!(out, "\n{}", lf.heading.to_uppercase());
        for st in &lf.sentences {
            out.push_str(&wrap(&terminal(&st.text), "- "));
        }
    }
}

fn themes(out: &mut String, items: &[Theme]) {
    if items.is_empty() {
        out.push_str("None recorded in the profiles.\n");
    }
    for t in items {
        let _ = writeln!(out, "{}", terminal(&t.title));
        for i in &t.items {
            let cites: Vec<String> = i.citations.iter().map(|c| c.label()).collect();
            out.push_str(&wrap(
                &terminal(&format!("{}: {} {}", i.code, i.text, cites.join(" "))),
                "- ",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_hanging_indent() {
        let w = wrap(&"word ".repeat(30), "- ");
        assert!(
            w.lines()
                .all(|l| l.chars().count() <= crate::render::table::WIDTH)
        );
        assert!(w.lines().skip(1).all(|l| l.starts_with("  word")));
    }
}
