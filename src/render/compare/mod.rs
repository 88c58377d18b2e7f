//! Regional comparison output, one module per format: a terminal table, Markdown, a
//! self-contained HTML page, JSON and tidy CSV. Every renderer reads a finished
//! [`Comparison`] and computes nothing; all wording of the key findings comes from
//! `score::region`. Each output names the region and the rubric's id, version and SHA-256.

pub(crate) mod csv;
pub(crate) mod html;
pub(crate) mod markdown;
pub(crate) mod table;

use crate::model::Level;
use crate::score::region::{Comparison, RankEntry, StateRow};
use crate::score::{Pct, Range};

/// The comparison as JSON (the `schema_version` 2 contract of `score::region`).
pub(crate) fn json(c: &Comparison) -> String {
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

/// The bounds of the score `level_score` picks (overall when `level` is None).
fn level_bounds(s: &StateRow, level: Option<Level>) -> Option<Range> {
    let b = &s.score.as_ref()?.bounds;
    match level {
        None => b.overall,
        Some(l) => b.levels.get(l),
    }
}

/// The rank cell: the rank ("1", "=3") with the ranks the bounds allow when they differ
/// ("1 (1–3)"); for a state not rated, only those ("3–9"); "—" when unranked.
fn rank_label(c: &Comparison, e: &RankEntry) -> String {
    match (e.rank, e.rank_range) {
        (Some(r), Some(span)) if span.best != span.worst => {
            format!("{} ({})", rank_text(c, Some(r)), span.label())
        }
        (Some(r), _) => rank_text(c, Some(r)),
        (None, Some(span)) => span.label(),
        (None, None) => rank_text(c, None),
    }
}

/// The rating cell: the band, "not rated" under min_coverage, "n/a" without a score.
fn rating_short(s: &crate::score::Scores) -> String {
    if s.is_rated() {
        s.rating.clone().unwrap_or_default()
    } else if s.rating.is_some() {
        "not rated".to_string()
    } else {
        "n/a".to_string()
    }
}

/// The note under the ranking: what the bounds and the rank ranges are, and who is not
/// rated; `brackets` when bounds are printed in brackets, else on a second line.
fn ranking_note(c: &Comparison, brackets: bool) -> String {
    let min = c
        .states
        .iter()
        .find_map(|s| s.score.as_ref().map(|x| x.min_coverage));
    let mut note = if brackets {
        crate::score::BOUNDS_NOTE.to_string()
    } else {
        format!(
            "Second line of a score: its bounds, {}.",
            crate::score::BOUNDS_MEANING
        )
    };
    note.push_str(
        " The rank in brackets: the best and worst rank the bounds allow against the other states' bounds.",
    );
    if let Some(min) = min {
        let low: Vec<String> = c
            .states
            .iter()
            .filter(|s| s.low_coverage)
            .map(|s| s.country.code.clone())
            .collect();
        let who = if low.is_empty() {
            "no state here".to_string()
        } else {
            crate::suggest::join(&low, "and")
        };
        note.push_str(&format!(
            " Not rated, coverage marked (low): under the rubric's min_coverage of {min}% ({who}); too little is known to rate such a state, and it is shown only with the ranks its bounds allow."
        ));
    }
    note
}

/// "acwc-victim-assistance 1.0.0, sha256 a58d…" in full.
fn rubric_line(c: &Comparison) -> String {
    format!(
        "{} {} (sha256 {})",
        c.rubric.id, c.rubric.version, c.rubric.sha256
    )
}

/// A coverage as printed in the matrix: "57.4", "23.8 (low)" under the rubric's
/// `min_coverage` (the state is not rated).
fn coverage_text(s: &StateRow) -> String {
    match &s.score {
        Some(score) if s.low_coverage => format!("{} (low)", score.coverage),
        Some(score) => score.coverage.to_string(),
        None => "—".to_string(),
    }
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

/// The header of the table of runs drawing one source of uncertainty at a time.
const SOURCE_HEADER: [&str; 4] = [
    "Runs drawing only",
    "Mean rank shift (places)",
    "States whose rank moves",
    "Pairs not told apart",
];

/// One row of that table.
fn source_cells(x: &crate::score::region::SourceEffect) -> [String; 4] {
    [
        format!("{} ({} runs)", x.source.describe(), x.runs),
        format!("{:.2}", x.mean_rank_shift),
        x.states_moved.to_string(),
        x.pairs_apart.to_string(),
    ]
}
