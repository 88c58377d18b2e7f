//! Terminal tables (comfy-table) for people: the scorecard of `frameaudit score`. Colour is
//! optional and never the only signal: every status is also a word or symbol.

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment, ContentArrangement, Table, presets};

use crate::model::{Level, Rubric, Status};
use crate::score::{Pct, Scorecard};

/// A score as "63.5" or "n/a".
pub fn pct(p: Option<Pct>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| p.to_string())
}

/// A status with its symbol ("◐ partial"), coloured on request.
pub fn status(s: Status, color: bool) -> String {
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
pub fn new_table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100)
        .set_header(header.iter().map(Cell::new));
    t
}

fn right(s: String) -> Cell {
    Cell::new(s).set_alignment(CellAlignment::Right)
}

/// The scorecard of one profile.
pub fn scorecard(card: &Scorecard, rubric: &Rubric, color: bool) -> String {
    let mut out = String::new();
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
    let _ = writeln!(
        out,
        "Overall: {} / 100 · rating: {} · coverage: {}% ({} of {} scored cells unknown)",
        pct(s.overall),
        s.rating.as_deref().unwrap_or("n/a"),
        s.coverage,
        card.counts.unknown,
        card.counts.scored()
    );
    out.push('\n');

    let mut t = new_table(&[
        "Level", "Score", "Full", "Partial", "None", "Unknown", "N/A",
    ]);
    let by_level = crate::score::counts_by_level(card);
    for l in Level::ALL {
        let c = by_level.get(&l).copied().unwrap_or_default();
        t.add_row(vec![
            Cell::new(l.heading()),
            right(pct(s.levels.get(l))),
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
        t.add_row(vec![Cell::new(rubric.principle_title(id)), right(pct(*v))]);
    }
    let _ = writeln!(out, "{t}\n");

    let mut t = new_table(&["Type of assistance", "Score"]);
    for (id, v) in &s.assistance_types.0 {
        t.add_row(vec![
            Cell::new(rubric.assistance_type_title(id)),
            right(pct(*v)),
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
