//! Terminal tables (comfy-table) for people: the scorecard of `frameaudit score`. Colour is
//! optional and never the only signal: every status is also a word or symbol.

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

use crate::model::{Level, Rubric, Status};
use crate::score::{BOUNDS_NOTE, Pct, Range, Scorecard};

/// A score as "63.5" or "n/a".
pub(crate) fn pct(p: Option<Pct>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| p.to_string())
}

/// A score with its bounds, "38.3 (38.3–80.9)"; without brackets when no unknown cell moves
/// it; "n/a" when undefined.
pub(crate) fn pct_range(p: Option<Pct>, r: Option<Range>) -> String {
    match (p, r) {
        (Some(p), Some(r)) if !r.is_point() => format!("{p} ({})", r.label()),
        _ => pct(p),
    }
}

/// A status with its symbol ("◐ partial"), coloured on request.
pub(crate) fn status(s: Status, color: bool) -> String {
    let text = format!("{} {}", s.symbol(), s.as_str());
    if !color {
        return text;
    }
    let code = match s {
        Status::Full => "32",
        Status::Partial => "33",
        Status::None => "31",
        Status::Unknown => "2",
        Status::NotApplicable => "2",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// A new table in the house style.
pub(crate) fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100)
        .set_header(header.iter().map(Cell::new));
    t
}

/// The header of a scorecard: country, rubric, overall score with bounds, rating, coverage,
/// and the line saying what the bounds are.
fn header(out: &mut String, card: &Scorecard) {
    let s = &card.score;
    let _ = writeln!(
        out,
        "{} ({}), as of {}",
        card.country.name, card.country.code, card.as_of
    );
    let _ = writeln!(
        out,
        "Rubric: {} {} (sha256 {})",
        card.rubric.id,
        card.rubric.version,
        &card.rubric.sha256[..card.rubric.sha256.len().min(12)]
    );
    let line = format!(
        "Overall: {} / 100 · rating: {} · coverage: {}% ({} of {} scored cells unknown)",
        pct_range(s.overall, s.bounds.overall),
        s.rating_words(),
        s.coverage,
        card.counts.unknown,
        card.counts.scored()
    );
    out.push_str(&wrap(&line, "", "         "));
    out.push_str(&wrap(BOUNDS_NOTE, "", ""));
}

/// The width text is wrapped at in terminal output.
pub(crate) const WIDTH: usize = 100;

/// `text` wrapped at [`WIDTH`] columns: the first line after `first`, the others after `rest`.
pub(crate) fn wrap(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_string();
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

/// `score --explain`: every cell with its status, weight, points and contributions, its note
/// and citations; the contributions rolled up by level, principle and type; the check that
/// they add up to the overall score; the sources cited. User text is stripped of terminal
/// control characters.
pub(crate) fn explanation(card: &Scorecard, rubric: &Rubric, color: bool) -> String {
    use super::escape::terminal;
    let mut out = String::new();
    header(&mut out, card);
    let Some(e) = &card.explanation else {
        return out;
    };
    let total_w: Vec<String> = Level::ALL
        .into_iter()
        .map(|l| format!("{} {}", l.as_str(), rubric.levels.get(l)))
        .collect();
    out.push('\n');
    out.push_str(&wrap(
        &format!(
            "Each cell: status, criterion weight w, points p; what it adds to its level score \
             (100·w·p / Σw over the level's scored cells) and to the overall score (that × W_L / Σ W_L; \
             level weights {}). Contributions are in points of 100 and add up to the overall score.",
            total_w.join(", ")
        ),
        "",
        "",
    ));
    for c in &rubric.criteria {
        let _ = writeln!(
            out,
            "\n{} — {} (weight {})",
            c.id,
            terminal(&c.title),
            c.weight
        );
        for x in card.cells.iter().filter(|x| x.criterion == c.id) {
            let nums = match (x.points, x.level_contribution, x.contribution) {
                (Some(p), Some(lc), Some(oc)) => {
                    let plus = |v: f64| format!("{:>6}", format!("+{v:.2}"));
                    format!(
                        "w {:<3} p {p:<4}  level {}  overall {}",
                        c.weight,
                        plus(lc.0),
                        plus(oc.0)
                    )
                }
                _ => "left out of every score".to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<9} {:<18} {nums}",
                x.level.as_str(),
                status(x.status, color)
            );
            let mut text = x
                .note
                .as_deref()
                .map(|n| terminal(n.trim()))
                .unwrap_or_default();
            if x.evidence.is_empty() {
                if text.is_empty() {
                    text = "No note and no citation.".to_string();
                }
            } else {
                let cites: Vec<String> = x
                    .evidence
                    .iter()
                    .map(|e| format!("[{}]", terminal(&e.to_string()).replace(' ', "\u{a0}")))
                    .collect();
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&cites.join(" "));
            }
            out.push_str(&wrap(&text, "            ", "            "));
        }
    }

    for (title, rows) in [
        ("Level", &e.levels),
        ("Fundamental principle", &e.principles),
        ("Type of assistance", &e.assistance_types),
    ] {
        let mut t = new_table(&[
            title,
            "Cells",
            "Contribution",
            "Most possible",
            "Unknown cells could add",
        ]);
        for r in rows {
            t.add_row(vec![
                Cell::new(terminal(&r.title)),
                right(r.cells.to_string()),
                right(format!("{:.2}", r.contribution.0)),
                right(format!("{:.2}", r.max_contribution.0)),
                right(format!("{:.2}", r.unknown_at_stake.0)),
            ]);
        }
        let _ = writeln!(out, "\n{t}");
    }
    out.push_str("(A criterion that tests two principles counts in both, so the principle rows need not add up.)\n");
    let mut check = e.check.chars();
    let _ = writeln!(
        out,
        "\nCheck: {}",
        check
            .next()
            .map(|f| f.to_lowercase().chain(check).collect::<String>())
            .unwrap_or_default()
    );
    if !e.sources.is_empty() {
        out.push_str("\nSources cited:\n");
        for s in &e.sources {
            out.push_str(&wrap(
                &format!("{}: {}", terminal(&s.id), terminal(&s.title)),
                "  ",
                "    ",
            ));
        }
    }
    out
}

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// The scorecard of one profile.
pub(crate) fn scorecard(card: &Scorecard, rubric: &Rubric, color: bool) -> String {
    let mut out = String::new();
    let s = &card.score;
    let b = &s.bounds;
    header(&mut out, card);
    out.push('\n');

    let mut t = new_table(&[
        "Level", "Score", "Full", "Partial", "None", "Unknown", "N/A",
    ]);
    let by_level = crate::score::counts_by_level(card);
    for l in Level::ALL {
        let c = by_level.get(&l).copied().unwrap_or_default();
        t.add_row(vec![
            Cell::new(l.heading()),
            right(pct_range(s.levels.get(l), b.levels.get(l))),
            right(c.full.to_string()),
            right(c.partial.to_string()),
            right(c.none.to_string()),
            right(c.unknown.to_string()),
            right(c.not_applicable.to_string()),
        ]);
    }
    let _ = writeln!(out, "{t}\n");

    let mut t = new_table(&["Fundamental principle", "Score"]);
    for (id, v) in &s.principles.0 {
        t.add_row(vec![
            Cell::new(rubric.principle_title(id)),
            right(pct_range(*v, b.principles.get(id))),
        ]);
    }
    let _ = writeln!(out, "{t}\n");

    let mut t = new_table(&["Type of assistance", "Score"]);
    for (id, v) in &s.assistance_types.0 {
        t.add_row(vec![
            Cell::new(rubric.assistance_type_title(id)),
            right(pct_range(*v, b.assistance_types.get(id))),
        ]);
    }
    let _ = writeln!(out, "{t}\n");
    let shown = card.gaps.len().min(10);
    let _ = writeln!(out, "Largest gaps ({shown} of {}):", card.gaps.len());
    let mut t = new_table(&["Criterion", "Level", "Status", "Severity"]);
    for g in card.gaps.iter().take(shown) {
        t.add_row(vec![
            Cell::new(&g.criterion),
            Cell::new(g.level.as_str()),
            Cell::new(status(g.status, color)),
            right(format!("{}", g.severity)),
        ]);
    }
    let _ = writeln!(out, "{t}\n");

    if card.implementation_gaps.is_empty() {
        out.push_str("Implementation gaps: none\n");
    } else {
        let _ = writeln!(
            out,
            "Implementation gaps ({}):",
            card.implementation_gaps.len()
        );
        let mut t = new_table(&["Criterion", "Gap", "Law", "Other level"]);
        for g in &card.implementation_gaps {
            t.add_row(vec![
                Cell::new(&g.criterion),
                Cell::new(g.kind.describe()),
                Cell::new(status(g.law, color)),
                Cell::new(format!("{}: {}", g.other_level, status(g.other, color))),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    out
}
