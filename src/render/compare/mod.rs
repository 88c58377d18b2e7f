//! Regional comparison output, one module per format: a terminal table, Markdown, a
//! self-contained HTML page, JSON and tidy CSV. Every renderer reads a finished
//! [`Comparison`] and computes nothing; all wording of the key findings comes from
//! `score::region`. Each output names the region and the rubric's id, version and SHA-256.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod table;

use crate::model::Level;
use crate::score::Pct;
use crate::score::region::{Comparison, StateRow};

/// The comparison as JSON (the `schema_version` 2 contract of `score::region`).
pub fn json(c: &Comparison) -> String {
    crate::render::json::to_string(c)
}

/// A score as "63.5", or "n/a" when undefined.
fn pct(p: Option<Pct>) -> String {
    crate::render::table::pct(p)
}

/// The matrix columns every format shows, in order: overall then the three levels.
fn level_score(s: &StateRow, level: Option<Level>) -> Option<Pct> {
    let score = s.score.as_ref()?;
    match level {
        None => score.overall,
        Some(l) => score.levels.get(l),
    }
}

/// The rank as text: "1", "=3" for a tie, "—" when unranked.
fn rank_text(c: &Comparison, rank: Option<usize>) -> String {
    match rank {
        Some(r) if c.states.iter().filter(|s| s.rank == Some(r)).count() > 1 => format!("={r}"),
        Some(r) => r.to_string(),
        None => "—".to_string(),
    }
}

/// "acwc-victim-assistance 1.0.0, sha256 75ad…" in full.
fn rubric_line(c: &Comparison) -> String {
    format!(
        "{} {} (sha256 {})",
        c.rubric.id, c.rubric.version, c.rubric.sha256
    )
}

/// A coverage as printed in the matrix: "57.4", "23.8 (low)" when below the flag.
fn coverage_text(s: &StateRow) -> String {
    match &s.score {
        Some(score) if s.low_coverage => format!("{} (low)", score.coverage),
        Some(score) => score.coverage.to_string(),
        None => "—".to_string(),
    }
}

/// The line under the matrix that explains the low-coverage flag, when a state carries it.
fn low_coverage_note(c: &Comparison) -> Option<String> {
    let low: Vec<String> = c
        .states
        .iter()
        .filter(|s| s.low_coverage)
        .map(|s| s.country.code.clone())
        .collect();
    (!low.is_empty()).then(|| {
        format!(
            "(low): coverage below {}% — the status of more than half of the cell weight is unknown, so the scores of {} rest on little evidence.",
            crate::score::region::LOW_COVERAGE,
            crate::suggest::join(&low, "and")
        )
    })
}

/// The as-of date of a state's profile, "—" without one.
fn as_of_text(s: &StateRow) -> String {
    s.as_of.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// The caveat lines: "Status: …" (prefixed with the country when a profile's differs).
fn caveat_lines(c: &Comparison) -> Vec<String> {
    c.caveats
        .iter()
        .map(|k| {
            if k.from == "region" {
                k.text.clone()
            } else {
                format!("{}: {}", k.from, k.text)
            }
        })
        .collect()
}

/// The header of the pairs table.
const PAIR_HEADER: [&str; 4] = [
    "Pair",
    "Runs ahead (first / second / tied)",
    "Order differs from base",
    "Told apart?",
];

/// One row of the pairs table, before escaping (codes are validated upper-case letters).
fn pair_cells(p: &crate::score::region::PairFlip) -> [String; 4] {
    [
        format!("{} / {}", p.higher, p.lower),
        format!("{} / {} / {}", p.higher_ahead, p.lower_ahead, p.tied),
        format!("{} runs ({}%)", p.differs, p.share),
        if p.base_tie {
            "no (tied in the base ranking)"
        } else if p.indistinguishable {
            "no"
        } else {
            "yes"
        }
        .to_string(),
    ]
}
