//! The comparison as tidy CSV for R and pandas: one row per member state × criterion ×
//! level, with a header row. Columns: `country`, `criterion`, `level`, `status`, `points`,
//! `weight`, then `region`, `rubric`, `rubric_version`, `rubric_sha256` repeated on every
//! row so that a file read on its own still says what it is comparable with.
//!
//! - `points` is empty for `not_applicable` cells and for member states with no profile.
//! - `weight` is the cell weight w_c·W_L of the rubric.
//! - A member state that region.yaml lists but that has no profile is never dropped: it gets
//!   every row, with status `no_profile` and empty points (filter on it, or treat the rows as
//!   missing values).
//! - Then the state's own columns, repeated on each of its rows, as in the JSON `states[]`:
//!   `rank` (empty when not ranked, as for a state not rated), `rank_best` and `rank_worst`
//!   (the ranks its bounds allow), `overall`, `overall_lower` and `overall_upper` (the score
//!   and its bounds), `rating` (a band, `insufficient_evidence`, or empty), `coverage` and
//!   `low_coverage` (`true` under the rubric's `min_coverage`: not rated). Empty without a
//!   profile (`low_coverage` `false`).
//!
//! Every field goes through [`escape::csv`](crate::render::escape::csv), which quotes and
//! neutralises formula-like text. Rows are in region order, then rubric order, then level.

use crate::render::escape::csv as field;
use crate::score::region::{Comparison, StateRow};

/// The status written for every cell of a member state with no profile.
pub(crate) const NO_PROFILE: &str = "no_profile";

/// The header row.
pub(crate) const HEADER: [&str; 22] = [
    "country",
    "criterion",
    "level",
    "status",
    "points",
    "weight",
    "region",
    "rubric",
    "rubric_version",
    "rubric_sha256",
    "as_of",
    "compared_as_of",
    "caveat",
    "rank",
    "rank_best",
    "rank_worst",
    "overall",
    "overall_lower",
    "overall_upper",
    "rating",
    "coverage",
    "low_coverage",
];

/// The columns of one state (`rank` … `low_coverage`), joined by commas.
fn state_columns(s: &StateRow) -> String {
    let opt = |x: Option<String>| x.unwrap_or_default();
    let score = s.score.as_ref();
    let bounds = score.and_then(|x| x.bounds.overall);
    [
        opt(s.rank.map(|r| r.to_string())),
        opt(s.rank_range.map(|r| r.best.to_string())),
        opt(s.rank_range.map(|r| r.worst.to_string())),
        opt(score.and_then(|x| x.overall).map(|p| p.to_string())),
        opt(bounds.map(|b| b.lower.to_string())),
        opt(bounds.map(|b| b.upper.to_string())),
        field(&opt(score.and_then(|x| x.rating.clone()))),
        opt(score.map(|x| x.coverage.to_string())),
        s.low_coverage.to_string(),
    ]
    .join(",")
}

/// Renders the comparison as tidy CSV.
pub(crate) fn render(c: &Comparison) -> String {
    let mut out = HEADER.join(",");
    out.push('\n');
    let tail = [
        field(&c.region.id),
        field(&c.rubric.id),
        field(&c.rubric.version),
        field(&c.rubric.sha256),
    ]
    .join(",");
    let caveat = field(&super::caveat_lines(c).join(" | "));
    for s in &c.states {
        let code = field(&s.country.code);
        let as_of = s.as_of.map(|d| d.to_string()).unwrap_or_default();
        let tail = format!("{tail},{as_of},{},{caveat},{}", c.as_of, state_columns(s));
        if s.has_profile {
            for cell in &s.cells {
                let points = cell.points.map(|p| p.to_string()).unwrap_or_default();
                out.push_str(&format!(
                    "{code},{},{},{},{points},{},{tail}\n",
                    field(&cell.criterion),
                    cell.level.as_str(),
                    cell.status.as_str(),
                    cell.weight
                ));
            }
        } else {
            for cl in &c.criteria {
                out.push_str(&format!(
                    "{code},{},{},{NO_PROFILE},,{},{tail}\n",
                    field(&cl.criterion),
                    cl.level.as_str(),
                    cl.cell_weight
                ));
            }
        }
    }
    out
}
