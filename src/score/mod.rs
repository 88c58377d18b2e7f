//! Scoring: pure functions from a validated profile and rubric to a [`Scorecard`], following
//! the contract in docs/methodology.md. No I/O, no printing; the same inputs always give the
//! same scorecard.

pub mod diff;
pub(crate) mod explain;
pub mod region;
pub mod summary;

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::model::{Country, Criterion, Date, Level, Points, Profile, Rubric, Status};

/// Version of the scorecard JSON contract. Bumped on any incompatible change.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// Points difference between two levels of one criterion that makes an implementation gap.
pub(crate) const IMPLEMENTATION_GAP: f64 = 0.5;

/// A percentage 0–100, kept at full precision, written to JSON with one decimal.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Pct(pub f64);

impl Pct {
    /// From a fraction 0–1.
    pub(crate) fn from_fraction(f: f64) -> Pct {
        Pct(f * 100.0)
    }

    /// Rounded to one decimal, as printed everywhere (never `-0.0`: an empty float sum is
    /// negative zero, and adding 0.0 makes it positive).
    pub(crate) fn rounded(self) -> f64 {
        (self.0 * 10.0).round() / 10.0 + 0.0
    }
}

impl std::fmt::Display for Pct {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}", self.rounded())
    }
}

impl Serialize for Pct {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.rounded())
    }
}

/// The rubric a result was computed with: two results are comparable when these match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RubricRef {
    /// Rubric id.
    pub id: String,
    /// Rubric version.
    pub version: String,
    /// SHA-256 of the rubric file(s).
    pub sha256: String,
}

impl RubricRef {
    /// The reference of `rubric`.
    pub(crate) fn of(rubric: &Rubric) -> RubricRef {
        RubricRef {
            id: rubric.id.clone(),
            version: rubric.version.clone(),
            sha256: rubric.sha256.clone(),
        }
    }
}

/// Scores (or their bounds) keyed by id, kept in rubric order (a JSON object in that order).
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<T = Pct>(pub Vec<(String, Option<T>)>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<T: Copy> Keyed<T> {
    /// The value of `id` (None if absent or undefined).
    pub fn get(&self, id: &str) -> Option<T> {
        self.0.iter().find(|(k, _)| k == id).and_then(|(_, v)| *v)
    }
}

impl<T: Serialize> Serialize for Keyed<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Scores (or their bounds) of the three levels (None when every cell of the level is
/// not_applicable).
pub(crate) type LevelScores<T = Pct> = crate::model::ByLevel<Option<T>>;

/// All the scores of one profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Overall score S (None when no level has a score).
    pub overall: Option<Pct>,
    /// Level scores S_L.
    pub levels: LevelScores,
    /// Principle id → score, in rubric order.
    pub principles: Keyed,
    /// Assistance type id → score, in rubric order.
    pub assistance_types: Keyed,
    /// Share of scored cell weight (not_applicable excluded) whose status is not `unknown`.
    pub coverage: Pct,
    /// The least coverage the rubric needs to rate a profile (its `min_coverage`).
    pub min_coverage: Pct,
    /// The rating band of the overall score, or `insufficient_evidence` when the coverage (as
    /// printed) is under `min_coverage`.
    pub rating: Option<String>,
    /// The range of every score above that the unknown cells allow: lower with every unknown
    /// cell at `none`, upper with every unknown cell at `full`.
    pub bounds: Bounds,
}

/// The rating in words: the band label, "not rated: 27.7% of cells assessed, 50% needed"
/// for `insufficient_evidence`, or "n/a" without one.
pub(crate) fn rating_words(rating: Option<&str>, coverage: Pct, min_coverage: Pct) -> String {
    match rating {
        Some(crate::model::INSUFFICIENT_EVIDENCE) => {
            format!("not rated: {coverage}% of cells assessed, {min_coverage}% needed")
        }
        Some(r) => r.to_string(),
        None => "n/a".to_string(),
    }
}

/// What the bounds of a score are, in words.
pub(crate) const BOUNDS_MEANING: &str = "the lowest and highest it can take once the unknown cells are known (every unknown cell at none, and at full)";

/// The line printed once beside scores shown with their bounds in brackets.
pub(crate) const BOUNDS_NOTE: &str = "In brackets, the bounds of a score: the lowest and highest it can take once the unknown cells are known (every unknown cell at none, and at full). No brackets: no unknown cell moves that score.";

impl Scores {
    /// The rating in words (see [`rating_words`]).
    pub(crate) fn rating_words(&self) -> String {
        rating_words(self.rating.as_deref(), self.coverage, self.min_coverage)
    }

    /// Whether the coverage is under the rubric's `min_coverage`, so the rating is
    /// `insufficient_evidence` (the comparison's "low coverage").
    pub(crate) fn insufficient_evidence(&self) -> bool {
        self.rating.as_deref() == Some(crate::model::INSUFFICIENT_EVIDENCE)
    }

    /// Whether the profile is rated: not `insufficient_evidence` (and has an overall score).
    pub(crate) fn is_rated(&self) -> bool {
        self.rating
            .as_deref()
            .is_some_and(|r| r != crate::model::INSUFFICIENT_EVIDENCE)
    }
}

/// The lowest and highest value a score can take once the unknown cells are known.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    /// Every unknown cell at `none`.
    pub lower: Pct,
    /// Every unknown cell at `full`.
    pub upper: Pct,
}

impl Range {
    /// "38.3–80.9", as printed.
    pub fn label(&self) -> String {
        format!("{}–{}", self.lower, self.upper)
    }

    /// Whether the printed bounds coincide (no unknown cell moves the score).
    pub(crate) fn is_point(&self) -> bool {
        self.lower.rounded() == self.upper.rounded()
    }
}

/// The bounds of every score, mirroring [`Scores`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bounds {
    /// Bounds of the overall score.
    pub overall: Option<Range>,
    /// Bounds of the level scores.
    pub levels: LevelScores<Range>,
    /// Bounds of the principle scores, in rubric order.
    pub principles: Keyed<Range>,
    /// Bounds of the assistance-type scores, in rubric order.
    pub assistance_types: Keyed<Range>,
}

/// How many cells have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// `full` cells.
    pub full: usize,
    /// `partial` cells.
    pub partial: usize,
    /// `none` cells.
    pub none: usize,
    /// `unknown` cells (including unassessed ones).
    pub unknown: usize,
    /// `not_applicable` cells.
    pub not_applicable: usize,
}

impl StatusCounts {
    /// The counts in words, zero counts left out: "2 full · 3 partial · 1 unknown"
    /// ("no cell" when there is none).
    pub(crate) fn words(&self) -> String {
        let parts: Vec<String> = Status::ALL
            .into_iter()
            .filter(|&s| self.get(s) > 0)
            .map(|s| format!("{} {}", self.get(s), s.as_str().replace('_', " ")))
            .collect();
        if parts.is_empty() {
            "no cell".to_string()
        } else {
            parts.join(" · ")
        }
    }

    /// Counts one more cell with status `s`.
    pub(crate) fn add(&mut self, s: Status) {
        match s {
            Status::Full => self.full += 1,
            Status::Partial => self.partial += 1,
            Status::None => self.none += 1,
            Status::Unknown => self.unknown += 1,
            Status::NotApplicable => self.not_applicable += 1,
        }
    }

    /// The count for `s`.
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Full => self.full,
            Status::Partial => self.partial,
            Status::None => self.none,
            Status::Unknown => self.unknown,
            Status::NotApplicable => self.not_applicable,
        }
    }

    /// Scored cells: all but `not_applicable` (the cells coverage is computed over).
    pub(crate) fn scored(&self) -> usize {
        self.full + self.partial + self.none + self.unknown
    }

    /// All cells.
    #[cfg(test)]
    pub(crate) fn total(&self) -> usize {
        self.full + self.partial + self.none + self.unknown + self.not_applicable
    }
}

/// One cell as scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellScore {
    /// Criterion id.
    pub criterion: String,
    /// Level.
    pub level: Level,
    /// Status (unassessed cells are `unknown`).
    pub status: Status,
    /// Points p (None for not_applicable).
    pub points: Option<f64>,
    /// Cell weight w_c·W_L.
    pub weight: f64,
    /// What the cell adds to its level score S_L, in points of 0–100: 100·w_c·p / Σ w_c
    /// (None for not_applicable).
    pub level_contribution: Option<Contribution>,
    /// What the cell adds to the overall score S, in points of 0–100: its level contribution
    /// × W_L / Σ W_L. The contributions of all cells add up to S. None for not_applicable.
    pub contribution: Option<Contribution>,
    /// The most the cell can add to the overall score: its contribution at `full`. The
    /// cells' maxima add up to 100 × the points of `full`. None for not_applicable.
    pub max_contribution: Option<Contribution>,
    /// Evidence citations of the cell (empty when unassessed, or scored from statuses only).
    pub evidence: Vec<crate::model::Evidence>,
    /// The cell's note.
    pub note: Option<String>,
}

/// Points of a 0–100 score that one cell contributes, kept at full precision, written to
/// JSON with three decimals (so that they add up to the printed score within rounding).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Contribution(pub f64);

impl Serialize for Contribution {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64((self.0 * 1000.0).round() / 1000.0 + 0.0)
    }
}

/// A scored cell that earns less than full points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gap {
    /// Criterion id.
    pub criterion: String,
    /// Level.
    pub level: Level,
    /// Status.
    pub status: Status,
    /// Severity: the share of the total cell weight this cell loses, in percent.
    pub severity: Pct,
}

/// The direction of an implementation gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    /// The law provides it; practice falls short by at least 0.5 points.
    InLawNotInPractice,
    /// The law provides it; policy falls short by at least 0.5 points.
    InLawNotInPolicy,
    /// Practice provides it beyond what the law guarantees, by at least 0.5 points.
    InPracticeWithoutLaw,
}

impl GapKind {
    /// The stable finding code (`law-practice-gap`, …).
    pub(crate) fn code(self) -> &'static str {
        match self {
            GapKind::InLawNotInPractice => "law-practice-gap",
            GapKind::InLawNotInPolicy => "law-policy-gap",
            GapKind::InPracticeWithoutLaw => "practice-without-law",
        }
    }

    /// Words for a reader.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            GapKind::InLawNotInPractice => "in law, not in practice",
            GapKind::InLawNotInPolicy => "in law, not in policy",
            GapKind::InPracticeWithoutLaw => "in practice, without legal guarantee",
        }
    }
}

/// A criterion whose levels disagree by at least `IMPLEMENTATION_GAP` points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImplementationGap {
    /// Criterion id.
    pub criterion: String,
    /// Which way the levels disagree.
    pub kind: GapKind,
    /// Status in law.
    pub law: Status,
    /// The other level compared.
    pub other_level: Level,
    /// Status at the other level.
    pub other: Status,
    /// Points difference (positive).
    pub difference: f64,
}

/// One profile scored against one rubric: the JSON contract of `frameaudit score`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// The country.
    pub country: Country,
    /// The rubric used.
    pub rubric: RubricRef,
    /// The date the profile describes.
    pub as_of: Date,
    /// The scores.
    pub score: Scores,
    /// Cells by status.
    pub counts: StatusCounts,
    /// Cells earning less than full points, most severe first.
    pub gaps: Vec<Gap>,
    /// Criteria whose law and practice (or policy) disagree.
    pub implementation_gaps: Vec<ImplementationGap>,
    /// Every cell, in rubric order.
    pub cells: Vec<CellScore>,
    /// The contributions rolled up by level, principle and type (`score --explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<explain::Explanation>,
}

/// Σ w·p / Σ w over `(w, p)` pairs; None when the weights sum to 0. The rule behind every
/// score.
pub(crate) fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (num, den) = items
        .into_iter()
        .fold((0.0, 0.0), |(n, d), (w, p)| (n + w * p, d + w));
    (den > 0.0).then(|| num / den)
}

/// Scores `profile` against `rubric`. The caller has checked that the rubric accepts the
/// profile; cells the profile does not assess count as `unknown`.
pub fn score(profile: &Profile, rubric: &Rubric) -> Scorecard {
    let mut card = score_statuses(&profile.country, profile.as_of, rubric, &|id, level| {
        profile.status(id, level)
    });
    for x in &mut card.cells {
        if let Some(cell) = profile.cell(&x.criterion, x.level) {
            x.evidence = cell.evidence.clone();
            x.note = cell.note.clone();
        }
    }
    card
}

/// The least and most points a cell with `status` can earn once its evidence is known:
/// `(p, p)` for a known status; for `unknown`, the points of `none` and of `full`; None for
/// `not_applicable` (left out of every score).
pub(crate) fn point_range(points: &Points, status: Status) -> Option<(f64, f64)> {
    match status {
        Status::Unknown => Some((points.none, points.full)),
        s => points.of(s).map(|p| (p, p)),
    }
}

/// The overall, level, principle and assistance-type scores of `cells` (in rubric order,
/// criterion by criterion) when each cell earns `points(cell)` (None: left out).
struct Aggregate {
    overall: Option<Pct>,
    levels: LevelScores,
    principles: Keyed,
    assistance_types: Keyed,
}

fn aggregate(
    rubric: &Rubric,
    cells: &[(&Criterion, &CellScore)],
    points: &dyn Fn(&CellScore) -> Option<f64>,
) -> Aggregate {
    // Level scores: criterion weights only (W_L applies between levels).
    let level_score = |level: Level| {
        weighted_mean(
            cells
                .iter()
                .filter(|(_, x)| x.level == level)
                .filter_map(|(c, x)| points(x).map(|p| (c.weight, p))),
        )
        .map(Pct::from_fraction)
    };
    let levels = LevelScores::from_fn(level_score);
    let overall = weighted_mean(Level::ALL.into_iter().filter_map(|l| {
        let w = rubric.levels.get(l);
        levels.get(l).filter(|_| w > 0.0).map(|s| (w, s.0))
    }))
    .map(Pct);
    let group = |member: &dyn Fn(&Criterion) -> bool| {
        weighted_mean(
            cells
                .iter()
                .filter(|(c, _)| member(c))
                .filter_map(|(_, x)| points(x).map(|p| (x.weight, p))),
        )
        .map(Pct::from_fraction)
    };
    Aggregate {
        overall,
        levels,
        principles: Keyed(
            rubric
                .principles
                .iter()
                .map(|p| (p.id.clone(), group(&|c| c.principles.contains(&p.id))))
                .collect(),
        ),
        assistance_types: Keyed(
            rubric
                .assistance_types
                .iter()
                .map(|t| (t.id.clone(), group(&|c| c.assistance_type == t.id)))
                .collect(),
        ),
    }
}

/// Pairs each cell with its criterion (cells whose criterion the rubric lacks are dropped).
fn with_criteria<'a>(
    rubric: &'a Rubric,
    cells: &'a [CellScore],
) -> Vec<(&'a Criterion, &'a CellScore)> {
    let by_id: BTreeMap<&str, &Criterion> =
        rubric.criteria.iter().map(|c| (c.id.as_str(), c)).collect();
    cells
        .iter()
        .filter_map(|x| by_id.get(x.criterion.as_str()).map(|c| (*c, x)))
        .collect()
}

/// The bounds of every score of `cells`: lower with every unknown cell at `none`, upper with
/// every unknown cell at `full` (see [`point_range`]). Known cells keep their points.
pub(crate) fn bounds(rubric: &Rubric, cells: &[CellScore]) -> Bounds {
    let pairs = with_criteria(rubric, cells);
    let lo = aggregate(rubric, &pairs, &|x| {
        point_range(&rubric.points, x.status).map(|r| r.0)
    });
    let hi = aggregate(rubric, &pairs, &|x| {
        point_range(&rubric.points, x.status).map(|r| r.1)
    });
    let range =
        |a: Option<Pct>, b: Option<Pct>| a.zip(b).map(|(lower, upper)| Range { lower, upper });
    let keyed = |a: Keyed, b: Keyed| {
        Keyed(
            a.0.into_iter()
                .zip(b.0)
                .map(|((k, x), (_, y))| (k, range(x, y)))
                .collect(),
        )
    };
    Bounds {
        overall: range(lo.overall, hi.overall),
        levels: LevelScores::from_fn(|l| range(lo.levels[l], hi.levels[l])),
        principles: keyed(lo.principles, hi.principles),
        assistance_types: keyed(lo.assistance_types, hi.assistance_types),
    }
}

/// Sets each cell's contribution to its level score and to the overall score (see
/// [`CellScore::contribution`]); the contributions of all cells add up to the overall score.
pub(crate) fn contributions(rubric: &Rubric, cells: &mut [CellScore]) {
    let weights: BTreeMap<&str, f64> = rubric
        .criteria
        .iter()
        .map(|c| (c.id.as_str(), c.weight))
        .collect();
    let w_c = |x: &CellScore| weights.get(x.criterion.as_str()).copied().unwrap_or(0.0);
    // Σ w_c per level, over the scored cells.
    let mut level_den: BTreeMap<Level, f64> = BTreeMap::new();
    for x in cells.iter().filter(|x| x.points.is_some()) {
        *level_den.entry(x.level).or_default() += w_c(x);
    }
    // Σ W_L over the levels that have a score and a weight.
    let counted =
        |l: Level| rubric.levels.get(l) > 0.0 && level_den.get(&l).is_some_and(|d| *d > 0.0);
    let total_w: f64 = Level::ALL
        .into_iter()
        .filter(|&l| counted(l))
        .map(|l| rubric.levels.get(l))
        .sum();
    for x in cells.iter_mut() {
        let (level_c, overall_c, max_c) = match (x.points, level_den.get(&x.level)) {
            (Some(p), Some(&den)) if den > 0.0 => {
                let share = if counted(x.level) && total_w > 0.0 {
                    rubric.levels.get(x.level) / total_w
                } else {
                    0.0
                };
                let lc = 100.0 * w_c(x) * p / den;
                let max = 100.0 * w_c(x) * rubric.points.full / den * share;
                (
                    Some(Contribution(lc)),
                    Some(Contribution(lc * share)),
                    Some(Contribution(max)),
                )
            }
            _ => (None, None, None),
        };
        x.level_contribution = level_c;
        x.contribution = overall_c;
        x.max_contribution = max_c;
    }
}

/// The rating of a profile: `insufficient_evidence` when its coverage, as printed, is under
/// the rubric's `min_coverage`; otherwise the band of its overall score. None without an
/// overall score.
pub(crate) fn rating(rubric: &Rubric, overall: Option<Pct>, coverage: Pct) -> Option<String> {
    let s = overall?;
    if coverage.rounded() < rubric.min_coverage {
        return Some(crate::model::INSUFFICIENT_EVIDENCE.to_string());
    }
    rubric.rating(s.0).map(str::to_string)
}

/// What every score of a set of cell statuses rests on: the cells with their points and
/// weights (no contributions yet), the counts, the headline scores and the coverage. Shared
/// by [`score_statuses`] (which adds bounds, gaps and contributions) and by `check`, which
/// keeps only the headline figures.
pub(crate) struct Core {
    /// Every cell, in rubric order.
    pub cells: Vec<CellScore>,
    /// Status counts.
    pub counts: StatusCounts,
    /// Overall score.
    pub overall: Option<Pct>,
    /// Level scores.
    pub levels: LevelScores,
    /// Principle scores.
    pub principles: Keyed,
    /// Assistance-type scores.
    pub assistance_types: Keyed,
    /// Share of the scored weight whose status is known.
    pub coverage: Pct,
    /// Σ weight over the scored cells (not_applicable excluded).
    pub scored_weight: f64,
}

impl Core {
    /// The number of gaps (cells earning less than full points), as [`score_statuses`]
    /// lists them.
    pub(crate) fn gap_count(&self) -> usize {
        self.cells.iter().filter(|x| self.is_gap(x)).count()
    }

    fn is_gap(&self, x: &CellScore) -> bool {
        x.points.is_some_and(|p| p < 1.0) && self.scored_weight > 0.0
    }
}

/// The [`Core`] of the cell statuses `status(criterion, level)` against `rubric`.
pub(crate) fn score_core(rubric: &Rubric, status: &dyn Fn(&str, Level) -> Status) -> Core {
    let n = rubric.criteria.iter().map(|c| c.levels.len()).sum();
    let mut cells = Vec::with_capacity(n);
    let mut counts = StatusCounts::default();
    for c in &rubric.criteria {
        for &level in &c.levels {
            let status = status(&c.id, level);
            counts.add(status);
            cells.push(CellScore {
                criterion: c.id.clone(),
                level,
                status,
                points: rubric.points.of(status),
                weight: c.weight * rubric.levels.get(level),
                level_contribution: None,
                contribution: None,
                max_contribution: None,
                evidence: Vec::new(),
                note: None,
            });
        }
    }
    let Aggregate {
        overall,
        levels,
        principles,
        assistance_types,
    } = aggregate(rubric, &with_criteria(rubric, &cells), &|x| x.points);

    // Coverage and severities are shares of the scored cell weight (not_applicable excluded),
    // so 100 − coverage is the total severity of the unknown cells.
    let scored_weight: f64 = cells
        .iter()
        .filter(|x| x.points.is_some())
        .map(|x| x.weight)
        .sum();
    let known: f64 = cells
        .iter()
        .filter(|x| x.points.is_some() && x.status != Status::Unknown)
        .map(|x| x.weight)
        .sum();
    let coverage = Pct::from_fraction(if scored_weight > 0.0 {
        known / scored_weight
    } else {
        0.0
    });
    Core {
        cells,
        counts,
        overall,
        levels,
        principles,
        assistance_types,
        coverage,
        scored_weight,
    }
}

/// Scores the cell statuses `status(criterion, level)` of `country` against `rubric`: what
/// [`score`] computes from a profile, for callers that keep only the statuses (`check`).
pub fn score_statuses(
    country: &Country,
    as_of: Date,
    rubric: &Rubric,
    status: &dyn Fn(&str, Level) -> Status,
) -> Scorecard {
    let mut core = score_core(rubric, status);
    contributions(rubric, &mut core.cells);
    let bounds = bounds(rubric, &core.cells);
    let mut gaps: Vec<Gap> = core
        .cells
        .iter()
        .filter(|x| core.is_gap(x))
        .filter_map(|x| {
            let p = x.points?;
            Some(Gap {
                criterion: x.criterion.clone(),
                level: x.level,
                status: x.status,
                severity: Pct::from_fraction(x.weight * (1.0 - p) / core.scored_weight),
            })
        })
        .collect();
    gaps.sort_by(|a, b| {
        b.severity
            .0
            .total_cmp(&a.severity.0)
            .then_with(|| a.criterion.cmp(&b.criterion))
            .then_with(|| a.level.cmp(&b.level))
    });

    let implementation_gaps = implementation_gaps_of(rubric, status);

    Scorecard {
        schema_version: SCHEMA_VERSION,
        country: country.clone(),
        rubric: RubricRef::of(rubric),
        as_of,
        score: Scores {
            overall: core.overall,
            levels: core.levels,
            principles: core.principles,
            assistance_types: core.assistance_types,
            coverage: core.coverage,
            min_coverage: Pct(rubric.min_coverage),
            rating: rating(rubric, core.overall, core.coverage),
            bounds,
        },
        counts: core.counts,
        gaps,
        implementation_gaps,
        cells: core.cells,
        explanation: None,
    }
}

/// Criteria whose law and practice (or law and policy) statuses differ by at least
/// [`IMPLEMENTATION_GAP`] points. Cells that are `unknown` or `not_applicable` are left out:
/// a missing observation is an evidence gap, not an implementation gap.
#[cfg(test)]
pub(crate) fn implementation_gaps(profile: &Profile, rubric: &Rubric) -> Vec<ImplementationGap> {
    implementation_gaps_of(rubric, &|id, level| profile.status(id, level))
}

fn implementation_gaps_of(
    rubric: &Rubric,
    status: &dyn Fn(&str, Level) -> Status,
) -> Vec<ImplementationGap> {
    let mut out = Vec::new();
    for c in &rubric.criteria {
        let known = |level: Level| -> Option<(Status, f64)> {
            if !c.applies(level) {
                return None;
            }
            let s = status(&c.id, level);
            if matches!(s, Status::Unknown | Status::NotApplicable) {
                return None;
            }
            rubric.points.of(s).map(|p| (s, p))
        };
        let Some((law, lp)) = known(Level::Law) else {
            continue;
        };
        let eps = 1e-9;
        if let Some((prac, pp)) = known(Level::Practice) {
            if lp - pp >= IMPLEMENTATION_GAP - eps {
                out.push(ImplementationGap {
                    criterion: c.id.clone(),
                    kind: GapKind::InLawNotInPractice,
                    law,
                    other_level: Level::Practice,
                    other: prac,
                    difference: lp - pp,
                });
            } else if pp - lp >= IMPLEMENTATION_GAP - eps {
                out.push(ImplementationGap {
                    criterion: c.id.clone(),
                    kind: GapKind::InPracticeWithoutLaw,
                    law,
                    other_level: Level::Practice,
                    other: prac,
                    difference: pp - lp,
                });
            }
        }
        if let Some((pol, pp)) = known(Level::Policy)
            && lp - pp >= IMPLEMENTATION_GAP - eps
        {
            out.push(ImplementationGap {
                criterion: c.id.clone(),
                kind: GapKind::InLawNotInPolicy,
                law,
                other_level: Level::Policy,
                other: pol,
                difference: lp - pp,
            });
        }
    }
    out.sort_by(|a, b| {
        b.difference
            .total_cmp(&a.difference)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.criterion.cmp(&b.criterion))
    });
    out
}

/// Status counts per level, for summaries.
pub(crate) fn counts_by_level(card: &Scorecard) -> BTreeMap<Level, StatusCounts> {
    let mut m: BTreeMap<Level, StatusCounts> = BTreeMap::new();
    for c in &card.cells {
        m.entry(c.level).or_default().add(c.status);
    }
    m
}

#[cfg(test)]
mod tests;
