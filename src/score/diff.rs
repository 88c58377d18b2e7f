//! Differences between two versions of the data, and the CI gates over them (pure).
//!
//! [`diff`] pairs two sets of scorecards by country and says what moved: overall and level
//! score deltas, cells whose status changed (with the effect of each change on its level
//! score), gaps added and removed. [`evaluate`] turns a run of `frameaudit check` — scored
//! profiles, their diagnostics, the thresholds and an optional baseline diff — into a
//! [`CheckReport`] with typed [`Finding`]s that every CI format renders. No I/O here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::{
    Gap, ImplementationGap, LevelScores, Pct, RubricRef, Scorecard, score, score_statuses,
};
use crate::diag::{Code, Diagnostic, Severity, Tally};
use crate::load::config::{Accept, EvidenceRules};
use crate::model::{Country, Date, Level, Loc, Profile, Rubric, Status};

/// Version of the diff and check JSON contracts. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// A score before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta {
    /// The old score (None when undefined or absent).
    pub old: Option<Pct>,
    /// The new score.
    pub new: Option<Pct>,
    /// new − old, in percentage points (None unless both are defined).
    pub change: Option<Pct>,
}

impl Delta {
    /// The delta between two optional scores.
    pub fn of(old: Option<Pct>, new: Option<Pct>) -> Delta {
        let change = match (old, new) {
            (Some(o), Some(n)) => Some(Pct(n.0 - o.0)),
            _ => None,
        };
        Delta { old, new, change }
    }

    /// Whether the score dropped, as printed (one decimal): rounding noise is not a drop.
    pub fn dropped(&self) -> bool {
        matches!((self.old, self.new), (Some(o), Some(n)) if n.rounded() < o.rounded())
    }

    /// Whether the printed score changed at all.
    pub fn changed(&self) -> bool {
        self.old.map(Pct::rounded) != self.new.map(Pct::rounded)
    }
}

/// Which way a cell moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// It earns more points.
    Better,
    /// It earns fewer points.
    Worse,
    /// Same points (`none` ↔ `unknown`), or moved in or out of `not_applicable`.
    Neutral,
}

/// A cell whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellChange {
    /// Criterion id.
    pub criterion: String,
    /// Level.
    pub level: Level,
    /// Status before (`unknown` when the cell did not exist).
    pub old: Status,
    /// Status after.
    pub new: Status,
    /// Better, worse or neutral.
    pub direction: Direction,
    /// The change in the level score, in points, had only this cell changed (None when the
    /// level has no score either way).
    pub effect: Option<Pct>,
}

/// Scores of the three levels, before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LevelDeltas {
    /// In law.
    pub law: Delta,
    /// In policy.
    pub policy: Delta,
    /// In practice.
    pub practice: Delta,
}

impl LevelDeltas {
    /// The delta of `level`.
    pub fn get(&self, level: Level) -> Delta {
        match level {
            Level::Law => self.law,
            Level::Policy => self.policy,
            Level::Practice => self.practice,
        }
    }
}

/// What changed for one country present in both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryDiff {
    /// The country (as in the new version).
    pub country: Country,
    /// The folder of its profile below the path given (absent when it is that path
    /// itself): profiles are paired by folder and country code, so yearly or sub-national
    /// folders holding the same codes are compared folder by folder.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub folder: String,
    /// The rubric of the old scorecard.
    pub old_rubric: RubricRef,
    /// The rubric of the new scorecard.
    pub new_rubric: RubricRef,
    /// Whether both were scored with the same rubric file (id, version and hash).
    pub comparable: bool,
    /// Overall score.
    pub overall: Delta,
    /// Level scores.
    pub levels: LevelDeltas,
    /// Cells whose status changed, in rubric order.
    pub cells: Vec<CellChange>,
    /// Gaps present now but not before.
    pub gaps_added: Vec<Gap>,
    /// Gaps present before but not now.
    pub gaps_removed: Vec<Gap>,
    /// Gaps present in both.
    pub gaps_persisting: usize,
    /// Implementation gaps present now but not before.
    pub implementation_gaps_added: Vec<ImplementationGap>,
    /// Implementation gaps present before but not now.
    pub implementation_gaps_removed: Vec<ImplementationGap>,
}

/// Counts of gaps between two versions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GapCounts {
    /// Gaps present now but not before.
    pub new: usize,
    /// Gaps present before but not now.
    pub fixed: usize,
    /// Gaps present in both.
    pub persisting: usize,
}

/// What changed between two sets of scorecards: the JSON contract of `frameaudit diff`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SetDiff {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// Countries present in both, by code.
    pub countries: Vec<CountryDiff>,
    /// Countries present only in the new version.
    pub added: Vec<Country>,
    /// Countries present only in the old version.
    pub removed: Vec<Country>,
    /// Gap counts over the countries present in both.
    pub gaps: GapCounts,
}

impl SetDiff {
    /// Whether nothing that the scores depend on changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.countries.iter().all(|c| {
                c.cells.is_empty()
                    && c.gaps_added.is_empty()
                    && c.gaps_removed.is_empty()
                    && !c.overall.changed()
                    && Level::ALL.iter().all(|&l| !c.levels.get(l).changed())
            })
    }
}

fn direction(old: Option<f64>, new: Option<f64>) -> Direction {
    match (old, new) {
        (Some(o), Some(n)) if n < o => Direction::Worse,
        (Some(o), Some(n)) if n > o => Direction::Better,
        _ => Direction::Neutral,
    }
}

/// The level score of `cells` at `level`, in percent (cell weights within one level are
/// w_c·W_L, so W_L cancels out and this equals the methodology's S_L).
fn level_score<'a>(cells: impl Iterator<Item = (f64, Option<f64>)> + 'a) -> Option<f64> {
    let (num, den) = cells.fold((0.0, 0.0), |(n, d), (w, p)| match p {
        Some(p) => (n + w * p, d + w),
        None => (n, d),
    });
    (den > 0.0).then(|| num / den * 100.0)
}

/// What changed for one country.
pub fn diff_country(old: &Scorecard, new: &Scorecard) -> CountryDiff {
    let old_cells: BTreeMap<(&str, Level), &super::CellScore> = old
        .cells
        .iter()
        .map(|c| ((c.criterion.as_str(), c.level), c))
        .collect();
    let mut cells = Vec::new();
    for c in &new.cells {
        let before = old_cells.get(&(c.criterion.as_str(), c.level));
        let old_status = before.map_or(Status::Unknown, |b| b.status);
        if old_status == c.status {
            continue;
        }
        let old_points = before.map_or(Some(0.0), |b| b.points);
        // Effect: the old level with only this cell swapped to its new status and points.
        let level_cells = || old.cells.iter().filter(|x| x.level == c.level);
        let base = level_score(level_cells().map(|x| (x.weight, x.points)));
        let swapped = level_score(
            level_cells()
                .filter(|x| x.criterion != c.criterion)
                .map(|x| (x.weight, x.points))
                .chain(std::iter::once((c.weight, c.points))),
        );
        let base = if before.is_some() {
            base
        } else {
            // A cell new to the rubric counted as unknown before.
            level_score(
                level_cells()
                    .map(|x| (x.weight, x.points))
                    .chain(std::iter::once((c.weight, old_points))),
            )
        };
        let effect = match (base, swapped) {
            (Some(b), Some(s)) => Some(Pct(s - b)),
            _ => None,
        };
        cells.push(CellChange {
            criterion: c.criterion.clone(),
            level: c.level,
            old: old_status,
            new: c.status,
            direction: direction(old_points, c.points),
            effect,
        });
    }

    let key = |g: &Gap| (g.criterion.clone(), g.level);
    let old_gaps: BTreeSet<_> = old.gaps.iter().map(key).collect();
    let new_gaps: BTreeSet<_> = new.gaps.iter().map(key).collect();
    let gaps_added: Vec<Gap> = new
        .gaps
        .iter()
        .filter(|g| !old_gaps.contains(&key(g)))
        .cloned()
        .collect();
    let gaps_removed: Vec<Gap> = old
        .gaps
        .iter()
        .filter(|g| !new_gaps.contains(&key(g)))
        .cloned()
        .collect();
    let gaps_persisting = new.gaps.len() - gaps_added.len();

    let ikey = |g: &ImplementationGap| (g.criterion.clone(), g.kind);
    let old_impl: BTreeSet<_> = old.implementation_gaps.iter().map(ikey).collect();
    let new_impl: BTreeSet<_> = new.implementation_gaps.iter().map(ikey).collect();

    CountryDiff {
        folder: String::new(),
        country: new.country.clone(),
        old_rubric: old.rubric.clone(),
        new_rubric: new.rubric.clone(),
        comparable: old.rubric == new.rubric,
        overall: Delta::of(old.score.overall, new.score.overall),
        levels: LevelDeltas {
            law: Delta::of(old.score.levels.law, new.score.levels.law),
            policy: Delta::of(old.score.levels.policy, new.score.levels.policy),
            practice: Delta::of(old.score.levels.practice, new.score.levels.practice),
        },
        cells,
        gaps_added,
        gaps_removed,
        gaps_persisting,
        implementation_gaps_added: new
            .implementation_gaps
            .iter()
            .filter(|g| !old_impl.contains(&ikey(g)))
            .cloned()
            .collect(),
        implementation_gaps_removed: old
            .implementation_gaps
            .iter()
            .filter(|g| !new_impl.contains(&ikey(g)))
            .cloned()
            .collect(),
    }
}

/// The index of each record by its pairing key, (folder, country code): how two versions
/// of the data are matched. A later record with the same key wins.
fn pairing(set: &[Scored]) -> BTreeMap<(String, String), usize> {
    set.iter()
        .enumerate()
        .map(|(i, s)| ((s.folder.clone(), s.country.code.clone()), i))
        .collect()
}

/// What changed between two sets of scored profiles, paired by folder (see
/// [`CountryDiff::folder`]) and country code. Each pair's scorecards are recomputed,
/// compared and dropped in turn.
pub fn diff(old: &[Scored], new: &[Scored]) -> SetDiff {
    let (old_ix, new_ix) = (pairing(old), pairing(new));
    let mut out = SetDiff {
        schema_version: SCHEMA_VERSION,
        countries: Vec::new(),
        added: Vec::new(),
        removed: Vec::new(),
        gaps: GapCounts::default(),
    };
    for (code, &i) in &new_ix {
        match old_ix.get(code) {
            Some(&j) => {
                let mut d = diff_country(&old[j].scorecard(), &new[i].scorecard());
                d.folder = code.0.clone();
                out.gaps.new += d.gaps_added.len();
                out.gaps.fixed += d.gaps_removed.len();
                out.gaps.persisting += d.gaps_persisting;
                out.countries.push(d);
            }
            None => out.added.push(new[i].country.clone()),
        }
    }
    for (code, &j) in &old_ix {
        if !new_ix.contains_key(code) {
            out.removed.push(old[j].country.clone());
        }
    }
    out
}

macro_rules! finding_codes {
    ($( $variant:ident = $code:literal, $desc:literal; )*) => {
        /// The stable code of a `check` finding (beside the diagnostic codes of `diag::Code`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum FindingCode {
            $( #[doc = $desc] $variant, )*
        }

        impl FindingCode {
            /// Every code, in documentation order.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$variant),*];

            /// The code as written in output.
            pub fn as_str(self) -> &'static str {
                match self { $( FindingCode::$variant => $code, )* }
            }

            /// A one-line description of what the code means.
            pub fn description(self) -> &'static str {
                match self { $( FindingCode::$variant => $desc, )* }
            }
        }
    };
}

finding_codes! {
    ScoreBelowThreshold = "score-below-threshold", "An overall, level, principle or assistance-type score is under its --fail-under threshold.";
    CoverageBelowThreshold = "coverage-below-threshold", "A profile's coverage (the share of cell weight not `unknown`) is under its --fail-under threshold.";
    ScoreRegression = "score-regression", "An overall or level score dropped since the baseline.";
    CoverageRegression = "coverage-regression", "A profile's coverage fell since the baseline (with --no-coverage-drop).";
    StatusRegression = "status-regression", "A cell's status earns fewer points than in the baseline.";
    NewGap = "new-gap", "A cell earning less than full points that was not a gap in the baseline (and whose status did not get worse).";
    ProfileRemoved = "profile-removed", "A country scored in the baseline has no valid profile now.";
    StaleEvidence = "stale-evidence", "A cell whose newest cited source is more than --max-evidence-age years older than the profile's as_of.";
    SourceWithoutUrl = "source-without-url", "A source with neither a `url` nor a `note` saying where it can be found (with --require-url).";
}

impl Serialize for FindingCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A gate failure, a regression or a data-quality finding of `check`. Those in
/// [`CheckReport::findings`] fail the check; [`CheckReport::accepted`] and
/// [`CheckReport::reported`] hold the ones that do not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The stable code.
    pub code: FindingCode,
    /// Country code.
    pub country: String,
    /// Level concerned (None for the overall score or the whole profile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// Criterion concerned (None for scores).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criterion: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The profile file (as the user named it; in the baseline for a removed profile).
    pub file: PathBuf,
    /// Where in the file (0:0 when the whole file is concerned).
    #[serde(flatten)]
    pub loc: Loc,
}

/// The thresholds `check` applies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gates {
    /// Lowest overall score accepted (percent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overall: Option<f64>,
    /// Lowest level scores accepted (percent).
    pub levels: BTreeMap<Level, f64>,
    /// Lowest coverage accepted (percent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<f64>,
    /// Lowest principle scores accepted, by principle id (percent).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub principles: BTreeMap<String, f64>,
    /// Lowest assistance-type scores accepted, by type id (percent).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub assistance_types: BTreeMap<String, f64>,
    /// With a baseline: a profile's coverage may not fall.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_coverage_drop: bool,
    /// The evidence rules (stale cells, sources without a URL).
    #[serde(skip_serializing_if = "is_default")]
    pub evidence: EvidenceRules,
    /// Diagnostics of this severity or worse fail the check.
    pub fail_on: Severity,
}

fn is_default(e: &EvidenceRules) -> bool {
    *e == EvidenceRules::default()
}

impl Default for Gates {
    fn default() -> Self {
        Gates {
            overall: None,
            levels: BTreeMap::new(),
            coverage: None,
            principles: BTreeMap::new(),
            assistance_types: BTreeMap::new(),
            no_coverage_drop: false,
            evidence: EvidenceRules::default(),
            fail_on: Severity::Error,
        }
    }
}

/// One cell of a checked profile, for per-cell outputs (JUnit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckedCell<'a> {
    /// Criterion id.
    pub criterion: &'a str,
    /// Level.
    pub level: Level,
    /// Status.
    pub status: Status,
}

/// The status of every cell of a checked profile, in rubric order, sharing the rubric for
/// the criterion ids (one byte per cell).
#[derive(Debug, Clone, PartialEq)]
pub struct CellStatuses {
    rubric: Arc<Rubric>,
    statuses: Vec<Status>,
}

impl CellStatuses {
    /// `statuses`, one per cell of `rubric` in rubric order (each criterion's levels in turn).
    pub fn new(rubric: Arc<Rubric>, statuses: Vec<Status>) -> CellStatuses {
        CellStatuses { rubric, statuses }
    }

    /// The cells in rubric order.
    pub fn iter(&self) -> impl Iterator<Item = CheckedCell<'_>> + '_ {
        rubric_cells(&self.rubric)
            .zip(&self.statuses)
            .map(|((criterion, level), &status)| CheckedCell {
                criterion,
                level,
                status,
            })
    }
}

/// The cells of `rubric` in rubric order: each criterion's levels in turn (the order of
/// [`Scorecard::cells`]).
fn rubric_cells(rubric: &Rubric) -> impl Iterator<Item = (&str, Level)> + '_ {
    rubric
        .criteria
        .iter()
        .flat_map(|c| c.levels.iter().map(move |&l| (c.id.as_str(), l)))
}

/// What `check` keeps of one scored profile: its scores, and each cell's status and
/// location in rubric order — not its notes, evidence or sources. About 1 KB against some
/// 60 KB for a profile and its scorecard, so a check over thousands of profiles stays small;
/// the full scorecard is recomputed from the statuses when a baseline needs it.
#[derive(Debug, Clone)]
pub struct Scored {
    /// The profile file.
    pub file: PathBuf,
    /// The folder of the profile below the path it was found under ("" at that path): a
    /// baseline is paired by folder and country code.
    pub folder: String,
    /// The country.
    pub country: Country,
    /// The date the profile describes.
    pub as_of: Date,
    /// Overall score.
    pub overall: Option<Pct>,
    /// Level scores.
    pub levels: LevelScores,
    /// Number of gaps.
    pub gaps: usize,
    /// Where the country is written.
    pub country_loc: Loc,
    /// Coverage.
    pub coverage: Pct,
    /// Principle scores.
    pub principles: super::Keyed,
    /// Assistance-type scores.
    pub assistance_types: super::Keyed,
    /// Sources with neither a URL nor a note saying where to find them: id and location.
    pub unsourced: Vec<(String, Loc)>,
    rubric: Arc<Rubric>,
    statuses: Vec<Status>,
    locs: Vec<Loc>,
    /// The year of each cell's newest cited source, in rubric order.
    newest: Vec<Option<i32>>,
}

impl Scored {
    /// Scores `profile` against `rubric` and keeps what `check` reports.
    pub fn new(profile: &Profile, rubric: Arc<Rubric>) -> Scored {
        let card = score(profile, &rubric);
        let (statuses, locs) = rubric_cells(&rubric)
            .map(|(c, l)| {
                profile
                    .cell(c, l)
                    .map_or((Status::Unknown, Loc::default()), |x| (x.status, x.loc))
            })
            .unzip();
        let newest = rubric_cells(&rubric)
            .map(|(c, l)| {
                profile.cell(c, l).and_then(|x| {
                    x.evidence
                        .iter()
                        .filter_map(|e| profile.source(&e.source)?.year)
                        .max()
                })
            })
            .collect();
        let blank = |t: &Option<String>| t.as_deref().is_none_or(|t| t.trim().is_empty());
        let unsourced = profile
            .sources
            .iter()
            .filter(|s| blank(&s.url) && blank(&s.note))
            .map(|s| (s.id.clone(), s.loc))
            .collect();
        Scored {
            file: profile.path.clone(),
            folder: String::new(),
            country: card.country,
            as_of: card.as_of,
            overall: card.score.overall,
            levels: card.score.levels,
            gaps: card.gaps.len(),
            country_loc: profile.country_loc,
            coverage: card.score.coverage,
            principles: card.score.principles,
            assistance_types: card.score.assistance_types,
            unsourced,
            rubric,
            statuses,
            locs,
            newest,
        }
    }

    /// Where the profile assesses `criterion` at `level` (the default when it does not).
    pub fn loc(&self, criterion: &str, level: Level) -> Loc {
        rubric_cells(&self.rubric)
            .position(|x| x == (criterion, level))
            .and_then(|i| self.locs.get(i).copied())
            .unwrap_or_default()
    }

    /// The full scorecard, recomputed from the statuses: equal to scoring the profile.
    pub fn scorecard(&self) -> Scorecard {
        self.scorecard_with(&BTreeMap::new())
    }

    /// The status of `criterion` at `level` (`unknown` when not assessed).
    pub fn status(&self, criterion: &str, level: Level) -> Status {
        rubric_cells(&self.rubric)
            .position(|x| x == (criterion, level))
            .and_then(|i| self.statuses.get(i).copied())
            .unwrap_or(Status::Unknown)
    }

    /// The scorecard with some cells' statuses replaced: what the scores would be had those
    /// cells not changed.
    pub fn scorecard_with(&self, replaced: &BTreeMap<(String, Level), Status>) -> Scorecard {
        let mut by_cell: BTreeMap<(&str, Level), Status> = rubric_cells(&self.rubric)
            .zip(self.statuses.iter().copied())
            .collect();
        for ((c, l), s) in replaced {
            by_cell.insert((c.as_str(), *l), *s);
        }
        score_statuses(&self.country, self.as_of, &self.rubric, &|c, l| {
            by_cell.get(&(c, l)).copied().unwrap_or(Status::Unknown)
        })
    }

    /// The statuses, for the report (consumes the locations).
    fn into_cells(self) -> CellStatuses {
        CellStatuses::new(self.rubric, self.statuses)
    }
}

/// One checked country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCheck {
    /// The country.
    pub country: Country,
    /// The profile file.
    pub file: PathBuf,
    /// The rubric it was scored with.
    pub rubric: RubricRef,
    /// Overall score.
    pub overall: Option<Pct>,
    /// Level scores.
    pub levels: super::LevelScores,
    /// Coverage.
    pub coverage: Pct,
    /// Number of gaps.
    pub gaps: usize,
    /// Whether no failing finding and no failing diagnostic concerns this country's profile.
    pub passed: bool,
    /// Every cell, in rubric order (not in JSON: the scorecard has them).
    #[serde(skip)]
    pub cells: CellStatuses,
}

/// A profile file that does not validate: it has no scores, and fails the check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InvalidProfile {
    /// The file.
    pub file: PathBuf,
    /// Its errors.
    pub errors: usize,
}

/// A finding that an `[[accept]]` entry of the config accepts: reported with its reason,
/// not failing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcceptedFinding {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Why it is accepted (the entry's reason, or the cells it follows from).
    pub reason: String,
    /// The last day the entry applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The entry, as `file:line:column`.
    pub accepted_by: String,
}

/// The baseline comparison of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineSummary {
    /// What the baseline was (a directory or a git revision, as given).
    pub source: String,
    /// Gap counts.
    pub gaps: GapCounts,
    /// Countries new since the baseline: their codes, after `folder/` for a profile below
    /// the path given.
    pub added: Vec<String>,
    /// Countries gone since the baseline, shown as in `added`.
    pub removed: Vec<String>,
    /// Cells whose status got worse.
    pub worse_cells: usize,
    /// Cells whose status got better.
    pub better_cells: usize,
}

/// The result of `frameaudit check`: the JSON contract of `check --format json`, and the
/// one model every CI format renders.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// Whether every gate passed.
    pub passed: bool,
    /// The gates applied.
    pub gates: Gates,
    /// The config file read, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config: Option<PathBuf>,
    /// Files examined.
    pub files: usize,
    /// Diagnostic counts.
    pub tally: Tally,
    /// Diagnostics that fail the check under `fail_on`.
    pub failing_diagnostics: usize,
    /// The checked countries, by file.
    pub countries: Vec<CountryCheck>,
    /// Profiles that do not validate (no scores; each fails the check).
    pub invalid: Vec<InvalidProfile>,
    /// The baseline comparison, when one was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineSummary>,
    /// Gate failures and regressions: each fails the check.
    pub findings: Vec<Finding>,
    /// Regressions accepted by the config's `[[accept]]` entries, with their reasons: they
    /// do not fail the check.
    pub accepted: Vec<AcceptedFinding>,
    /// Data-quality findings reported without failing (stale evidence, sources without a
    /// URL, unless the evidence rules say `fail`).
    pub reported: Vec<Finding>,
    /// Every diagnostic of the run.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read as input (never written to).
    #[serde(skip)]
    pub inputs: Vec<PathBuf>,
}

impl CheckReport {
    /// Whether `d` fails the check under the gates.
    pub fn fails(&self, d: &Diagnostic) -> bool {
        fails_on(d.severity, self.gates.fail_on)
    }

    /// Findings about `country`, optionally narrowed to a level and criterion.
    pub fn findings_for<'a>(
        &'a self,
        country: &'a str,
        level: Option<Level>,
        criterion: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings.iter().filter(move |f| {
            f.country == country && f.level == level && f.criterion.as_deref() == criterion
        })
    }
}

/// Whether a diagnostic of `severity` fails a check run with `--fail-on threshold`.
pub fn fails_on(severity: Severity, threshold: Severity) -> bool {
    match threshold {
        Severity::Warning => true,
        Severity::Error => severity == Severity::Error,
    }
}

/// The baseline side of a check.
#[derive(Debug, Clone, Copy)]
pub struct Baseline<'a> {
    /// What it was, as given.
    pub source: &'a str,
    /// Its scored profiles.
    pub scored: &'a [Scored],
}

/// The accepted regressions of a check and the day it runs (entries past their `until`
/// no longer apply).
#[derive(Debug, Clone, Copy)]
pub struct Accepts<'a> {
    /// The `[[accept]]` entries.
    pub entries: &'a [Accept],
    /// Today.
    pub today: Date,
}

impl Default for Accepts<'_> {
    fn default() -> Self {
        Accepts {
            entries: &[],
            today: Date {
                year: 1970,
                month: 1,
                day: 1,
            },
        }
    }
}

fn pct_text(p: f64) -> String {
    format!("{:.1}", (p * 10.0).round() / 10.0)
}

/// Evaluates a check: thresholds and evidence rules over `current`, regressions against
/// `baseline` (less those the `accepts` entries accept), and whether the diagnostics fail
/// under `gates.fail_on`. Profiles are paired with the baseline by country code; each
/// pair's scorecards are recomputed, compared and dropped in turn, so memory stays that of
/// the compact [`Scored`] records. Unused and expired `[[accept]]` entries add warnings.
pub fn evaluate(
    current: Vec<Scored>,
    baseline: Option<Baseline<'_>>,
    mut diagnostics: Vec<Diagnostic>,
    files: usize,
    gates: Gates,
    accepts: Accepts<'_>,
) -> CheckReport {
    let mut findings = Vec::new();
    let mut quality = Vec::new();
    for s in &current {
        let code = &s.country.code;
        let at = |level: Option<Level>, f: FindingCode, m: String| Finding {
            code: f,
            country: code.clone(),
            level,
            criterion: None,
            message: m,
            file: s.file.clone(),
            loc: s.country_loc,
        };
        if let (Some(min), Some(score)) = (gates.overall, s.overall)
            && score.rounded() < min
        {
            findings.push(at(
                None,
                FindingCode::ScoreBelowThreshold,
                format!(
                    "{code} overall score {score} is under the threshold {}",
                    pct_text(min)
                ),
            ));
        }
        for (&level, &min) in &gates.levels {
            if let Some(score) = s.levels.get(level)
                && score.rounded() < min
            {
                findings.push(at(
                    Some(level),
                    FindingCode::ScoreBelowThreshold,
                    format!(
                        "{code} {level} score {score} is under the threshold {}",
                        pct_text(min)
                    ),
                ));
            }
        }
        for (what, gates, scores) in [
            ("principle", &gates.principles, &s.principles),
            (
                "assistance type",
                &gates.assistance_types,
                &s.assistance_types,
            ),
        ] {
            for (id, &min) in gates {
                if let Some(score) = scores.get(id)
                    && score.rounded() < min
                {
                    findings.push(at(
                        None,
                        FindingCode::ScoreBelowThreshold,
                        format!(
                            "{code} {what} `{id}` score {score} is under the threshold {}",
                            pct_text(min)
                        ),
                    ));
                }
            }
        }
        if let Some(min) = gates.coverage
            && s.coverage.rounded() < min
        {
            findings.push(at(
                None,
                FindingCode::CoverageBelowThreshold,
                format!(
                    "{code} coverage {} is under the threshold {}",
                    s.coverage,
                    pct_text(min)
                ),
            ));
        }
        if let Some(max) = gates.evidence.max_age {
            for (i, (criterion, level)) in rubric_cells(&s.rubric).enumerate() {
                let Some(year) = s.newest.get(i).copied().flatten() else {
                    continue;
                };
                let age = s.as_of.year - year;
                if age > i32::try_from(max).unwrap_or(i32::MAX) {
                    quality.push(Finding {
                        code: FindingCode::StaleEvidence,
                        country: code.clone(),
                        level: Some(level),
                        criterion: Some(criterion.to_string()),
                        message: format!(
                            "{code} `{criterion}` {level}: the newest source cited is from {year}, {age} years before as_of {} (more than {max})",
                            s.as_of
                        ),
                        file: s.file.clone(),
                        loc: s.locs.get(i).copied().unwrap_or(s.country_loc),
                    });
                }
            }
        }
        if gates.evidence.require_url {
            for (id, loc) in &s.unsourced {
                quality.push(Finding {
                    code: FindingCode::SourceWithoutUrl,
                    country: code.clone(),
                    level: None,
                    criterion: None,
                    message: format!(
                        "{code} source `{id}` has neither a url nor a note saying where it can be found"
                    ),
                    file: s.file.clone(),
                    loc: *loc,
                });
            }
        }
    }
    let reported = if gates.evidence.fail {
        findings.append(&mut quality);
        Vec::new()
    } else {
        quality
    };

    let mut accepted = Vec::new();
    let summary = baseline.map(|b| {
        let mut used = vec![false; accepts.entries.len()];
        let summary = regressions(
            &current,
            b,
            &gates,
            accepts,
            &mut used,
            &mut findings,
            &mut accepted,
        );
        for (a, used) in accepts.entries.iter().zip(used) {
            if a.expired(accepts.today) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ExpiredAccept,
                        &a.file,
                        a.loc,
                        format!(
                            "the accepted regression of {} `{}` {} expired on {}; it no longer applies",
                            a.country,
                            a.criterion,
                            a.level,
                            a.until.map(|d| d.to_string()).unwrap_or_default()
                        ),
                    )
                    .help("fix the cell, or renew the entry with a later `until` and a reason that still holds"),
                );
            } else if !used {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnusedAccept,
                        &a.file,
                        a.loc,
                        format!(
                            "the accepted regression of {} `{}` {} matches no regression",
                            a.country, a.criterion, a.level
                        ),
                    )
                    .help("remove the entry, or check its country, criterion and level"),
                );
            }
        }
        summary
    });
    crate::diag::sort(&mut diagnostics);

    let tally = Tally::of(&diagnostics);
    let failing_diagnostics = diagnostics
        .iter()
        .filter(|d| fails_on(d.severity, gates.fail_on))
        .count();
    let failed: BTreeSet<&str> = findings.iter().map(|f| f.country.as_str()).collect();
    let failing_files: BTreeSet<&PathBuf> = diagnostics
        .iter()
        .filter(|d| fails_on(d.severity, gates.fail_on))
        .map(|d| &d.file)
        .collect();
    let countries = current
        .into_iter()
        .map(|s| CountryCheck {
            passed: !failed.contains(s.country.code.as_str()) && !failing_files.contains(&s.file),
            file: s.file.clone(),
            rubric: RubricRef::of(&s.rubric),
            overall: s.overall,
            levels: s.levels,
            coverage: s.coverage,
            gaps: s.gaps,
            country: s.country.clone(),
            cells: s.into_cells(),
        })
        .collect();
    CheckReport {
        schema_version: SCHEMA_VERSION,
        passed: findings.is_empty() && failing_diagnostics == 0,
        gates,
        config: None,
        files,
        tally,
        failing_diagnostics,
        countries,
        invalid: Vec::new(),
        baseline: summary,
        findings,
        accepted,
        reported,
        diagnostics,
        inputs: Vec::new(),
    }
}

/// A (folder, code) pairing key as shown in lists: the code, after its folder when it has one.
fn shown_key((folder, code): &(String, String)) -> String {
    if folder.is_empty() {
        code.clone()
    } else {
        format!("{folder}/{code}")
    }
}

/// The regressions of `current` against the baseline `b`, pushed onto `findings` (what
/// [`diff`] would find, one country at a time) or, when an `[[accept]]` entry accepts them,
/// onto `accepted`; and the summary of the comparison. A score or coverage drop that the
/// accepted cells alone explain is accepted with them.
fn regressions(
    current: &[Scored],
    b: Baseline<'_>,
    gates: &Gates,
    accepts: Accepts<'_>,
    used: &mut [bool],
    findings: &mut Vec<Finding>,
    accepted: &mut Vec<AcceptedFinding>,
) -> BaselineSummary {
    let (old_ix, new_ix) = (pairing(b.scored), pairing(current));
    let mut gaps = GapCounts::default();
    let (mut worse, mut better) = (0, 0);
    let mut added = Vec::new();
    for (key, &i) in &new_ix {
        let Some(&j) = old_ix.get(key) else {
            added.push(shown_key(key));
            continue;
        };
        let code = &key.1;
        let s = &current[i];
        let old = &b.scored[j];
        let old_card = old.scorecard();
        let cd = diff_country(&old_card, &s.scorecard());
        gaps.new += cd.gaps_added.len();
        gaps.fixed += cd.gaps_removed.len();
        gaps.persisting += cd.gaps_persisting;
        let mk = |level: Option<Level>, criterion: Option<&str>, f: FindingCode, m: String| {
            let loc = match (level, criterion) {
                (Some(l), Some(c)) => s.loc(c, l),
                _ => s.country_loc,
            };
            Finding {
                code: f,
                country: code.clone(),
                level,
                criterion: criterion.map(str::to_string),
                message: m,
                file: s.file.clone(),
                loc,
            }
        };
        // The entry accepting a cell of this country, if any: an active one first.
        let entry = |criterion: &str, level: Level| -> Option<usize> {
            let matching = |a: &&Accept| {
                a.country.eq_ignore_ascii_case(code) && a.criterion == criterion && a.level == level
            };
            let all: Vec<usize> = accepts
                .entries
                .iter()
                .enumerate()
                .filter(|(_, a)| matching(a))
                .map(|(k, _)| k)
                .collect();
            all.iter()
                .copied()
                .find(|&k| !accepts.entries[k].expired(accepts.today))
                .or(all.first().copied())
        };
        let mut reverted: BTreeMap<(String, Level), Status> = BTreeMap::new();
        let mut reverted_names: Vec<String> = Vec::new();
        let mut cell_findings: Vec<(Finding, Option<usize>)> = Vec::new();
        let rubric_note = if cd.comparable {
            String::new()
        } else {
            format!(
                " (rubric changed: {} {} → {} {})",
                cd.old_rubric.id, cd.old_rubric.version, cd.new_rubric.id, cd.new_rubric.version
            )
        };
        let mut regressed = BTreeSet::new();
        for c in &cd.cells {
            match c.direction {
                Direction::Worse => {
                    worse += 1;
                    regressed.insert((c.criterion.as_str(), c.level));
                    let f = mk(
                        Some(c.level),
                        Some(&c.criterion),
                        FindingCode::StatusRegression,
                        format!(
                            "{code} `{}` {} got worse: {} → {}{}",
                            c.criterion,
                            c.level,
                            c.old,
                            c.new,
                            c.effect
                                .map(|e| format!(
                                    " ({} points on the {} score)",
                                    signed(e),
                                    c.level
                                ))
                                .unwrap_or_default()
                        ),
                    );
                    cell_findings.push((f, entry(&c.criterion, c.level)));
                }
                Direction::Better => better += 1,
                Direction::Neutral => {}
            }
        }
        for g in &cd.gaps_added {
            if regressed.contains(&(g.criterion.as_str(), g.level)) {
                continue;
            }
            let f = mk(
                Some(g.level),
                Some(&g.criterion),
                FindingCode::NewGap,
                format!(
                    "{code} `{}` {} is a new gap ({})",
                    g.criterion, g.level, g.status
                ),
            );
            cell_findings.push((f, entry(&g.criterion, g.level)));
        }
        for (mut f, k) in cell_findings {
            let Some(k) = k else {
                findings.push(f);
                continue;
            };
            let a = &accepts.entries[k];
            used[k] = true;
            let shown = crate::diag::position(&a.file, a.loc);
            if a.expired(accepts.today) {
                f.message.push_str(&format!(
                    " (the accepted regression at {shown} expired on {})",
                    a.until.map(|d| d.to_string()).unwrap_or_default()
                ));
                findings.push(f);
                continue;
            }
            if let (Some(l), Some(c)) = (f.level, f.criterion.clone()) {
                reverted.insert((c.clone(), l), old.status(&c, l));
                reverted_names.push(format!("`{c}` {l}"));
            }
            accepted.push(AcceptedFinding {
                finding: f,
                reason: a.reason.clone(),
                until: a.until,
                accepted_by: shown,
            });
        }
        // Score and coverage drops: accepted when the accepted cells alone explain them.
        let without = (!reverted.is_empty()).then(|| s.scorecard_with(&reverted));
        let follows = |dropped_without: bool| !reverted.is_empty() && !dropped_without;
        let because = format!(
            "follows from the accepted regression{} of {}",
            if reverted_names.len() == 1 { "" } else { "s" },
            reverted_names.join(" and ")
        );
        let mut score_findings: Vec<(Finding, bool)> = Vec::new();
        if cd.overall.dropped() {
            let still = without
                .as_ref()
                .is_none_or(|w| Delta::of(cd.overall.old, w.score.overall).dropped());
            score_findings.push((
                mk(
                    None,
                    None,
                    FindingCode::ScoreRegression,
                    format!(
                        "{code} overall score dropped from {} to {}{rubric_note}",
                        fmt_opt(cd.overall.old),
                        fmt_opt(cd.overall.new)
                    ),
                ),
                follows(still),
            ));
        }
        for level in Level::ALL {
            let ld = cd.levels.get(level);
            if ld.dropped() {
                let still = without
                    .as_ref()
                    .is_none_or(|w| Delta::of(ld.old, w.score.levels.get(level)).dropped());
                score_findings.push((
                    mk(
                        Some(level),
                        None,
                        FindingCode::ScoreRegression,
                        format!(
                            "{code} {level} score dropped from {} to {}{rubric_note}",
                            fmt_opt(ld.old),
                            fmt_opt(ld.new)
                        ),
                    ),
                    follows(still),
                ));
            }
        }
        if gates.no_coverage_drop {
            let cov = Delta::of(Some(old.coverage), Some(s.coverage));
            if cov.dropped() {
                let still = without.as_ref().is_none_or(|w| {
                    Delta::of(Some(old.coverage), Some(w.score.coverage)).dropped()
                });
                score_findings.push((
                    mk(
                        None,
                        None,
                        FindingCode::CoverageRegression,
                        format!(
                            "{code} coverage fell from {} to {}",
                            old.coverage, s.coverage
                        ),
                    ),
                    follows(still),
                ));
            }
        }
        for (f, is_accepted) in score_findings {
            if is_accepted {
                accepted.push(AcceptedFinding {
                    finding: f,
                    reason: because.clone(),
                    until: None,
                    accepted_by: "the accepted regressions above".to_string(),
                });
            } else {
                findings.push(f);
            }
        }
    }
    let mut removed = Vec::new();
    for (key, &j) in &old_ix {
        if new_ix.contains_key(key) {
            continue;
        }
        let code = &key.1;
        let old = &b.scored[j];
        removed.push(shown_key(key));
        findings.push(Finding {
            code: FindingCode::ProfileRemoved,
            country: code.clone(),
            level: None,
            criterion: None,
            message: format!(
                "{} ({}) was scored in the baseline but has no valid profile now",
                code, old.country.name
            ),
            file: old.file.clone(),
            loc: old.country_loc,
        });
    }
    BaselineSummary {
        source: b.source.to_string(),
        gaps,
        added,
        removed,
        worse_cells: worse,
        better_cells: better,
    }
}

/// A score or "n/a".
pub fn fmt_opt(p: Option<Pct>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| p.to_string())
}

/// A change in points with its sign: "+2.5", "-10.0", "0.0".
pub fn signed(p: Pct) -> String {
    let r = p.rounded();
    if r > 0.0 {
        format!("+{r:.1}")
    } else if r < 0.0 {
        format!("-{:.1}", -r)
    } else {
        "0.0".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::model::{Cell, Evidence};
    use crate::score::score;
    use crate::score::tests::rubric;

    fn profile() -> Profile {
        use Level::*;
        use Status::*;
        crate::score::tests::profile(&[
            ("a", Law, Full),
            ("a", Policy, Partial),
            ("a", Practice, None),
            ("b", Law, Full),
            ("b", Practice, Partial),
            ("c", Law, Partial),
            ("c", Policy, Full),
            ("c", Practice, None),
        ])
    }

    fn set(p: &mut Profile, c: &str, l: Level, s: Status) {
        p.assessments.entry(c.into()).or_default().insert(
            l,
            Cell {
                status: s,
                evidence: vec![Evidence {
                    source: "s".into(),
                    pinpoint: None,
                }],
                note: None,
                loc: Loc::new(7, 9),
            },
        );
    }

    /// `new` checked against the baseline `old`, no gates.
    fn check_against(old: &Profile, new: &Profile, r: &Rubric) -> CheckReport {
        let base = [Scored::new(old, Arc::new(r.clone()))];
        evaluate(
            vec![Scored::new(new, Arc::new(r.clone()))],
            Some(Baseline {
                source: "old",
                scored: &base,
            }),
            vec![],
            1,
            Gates::default(),
            Accepts::default(),
        )
    }

    #[test]
    fn codes_are_unique_and_distinct_from_diagnostic_codes() {
        let mut seen: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        for c in FindingCode::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {c}");
            assert!(c.description().ends_with('.'));
        }
    }

    #[test]
    fn a_worse_cell_is_a_regression_with_its_effect_and_location() {
        let r = rubric();
        let old = profile();
        let mut new = old.clone();
        let before = old.status("a", Level::Law);
        assert_ne!(
            before,
            Status::None,
            "fixture: a/law must have points to lose"
        );
        set(&mut new, "a", Level::Law, Status::None);
        let d = diff(
            &[Scored::new(&old, Arc::new(r.clone()))],
            &[Scored::new(&new, Arc::new(r.clone()))],
        );
        let cd = &d.countries[0];
        let change = cd.cells.iter().find(|c| c.criterion == "a").unwrap();
        assert_eq!(change.direction, Direction::Worse);
        let effect = change.effect.unwrap().0;
        let level = cd.levels.law.change.unwrap().0;
        assert!(
            (effect - level).abs() < 1e-9,
            "one change: effect {effect} = level delta {level}"
        );

        let rep = check_against(&old, &new, &r);
        assert!(!rep.passed);
        let f = rep
            .findings
            .iter()
            .find(|f| f.code == FindingCode::StatusRegression)
            .unwrap();
        assert_eq!(f.loc, Loc::new(7, 9));
        assert!(
            rep.findings
                .iter()
                .any(|f| f.code == FindingCode::ScoreRegression)
        );
    }

    #[test]
    fn improvement_only_passes_and_fixes_a_gap() {
        let r = rubric();
        let old = profile();
        let mut new = old.clone();
        let (crit, level) = {
            let g = &score(&old, &r).gaps[0];
            (g.criterion.clone(), g.level)
        };
        set(&mut new, &crit, level, Status::Full);
        let oc = score(&old, &r);
        let rep = check_against(&old, &new, &r);
        assert!(rep.passed, "{:?}", rep.findings);
        let b = rep.baseline.unwrap();
        assert_eq!(b.gaps.fixed, 1);
        assert_eq!(b.gaps.new, 0);
        assert_eq!(b.gaps.persisting, oc.gaps.len() - 1);
        assert_eq!(b.better_cells, 1);
    }

    #[test]
    fn thresholds_compare_the_printed_score() {
        let r = rubric();
        let p = profile();
        let c = score(&p, &r);
        let overall = c.score.overall.unwrap().rounded();
        let cur = vec![Scored::new(&p, Arc::new(r.clone()))];
        let gates = |min: f64| Gates {
            overall: Some(min),
            ..Gates::default()
        };
        let run = |cur, g| evaluate(cur, None, vec![], 1, g, Accepts::default());
        assert!(run(cur.clone(), gates(overall)).passed);
        assert!(!run(cur, gates(overall + 0.1)).passed);
    }

    #[test]
    fn a_compact_record_gives_back_the_scorecard_and_locations() {
        let r = rubric();
        let mut p = profile();
        set(&mut p, "b", Level::Practice, Status::None);
        let s = Scored::new(&p, Arc::new(r.clone()));
        // The compact record keeps statuses, not the cells' evidence and notes.
        let mut full = score(&p, &r);
        for x in &mut full.cells {
            x.evidence.clear();
            x.note = None;
        }
        assert_eq!(s.scorecard(), full);
        assert_eq!(s.loc("b", Level::Practice), Loc::new(7, 9));
        assert_eq!(s.loc("no-such", Level::Law), Loc::default());
        let statuses = s.clone().into_cells();
        let cells: Vec<(&str, Level, Status)> = statuses
            .iter()
            .map(|c| (c.criterion, c.level, c.status))
            .collect();
        let card = score(&p, &r);
        let expected: Vec<(&str, Level, Status)> = card
            .cells
            .iter()
            .map(|c| (c.criterion.as_str(), c.level, c.status))
            .collect();
        assert_eq!(cells, expected);
    }

    #[test]
    fn signed_points() {
        assert_eq!(signed(Pct(2.46)), "+2.5");
        assert_eq!(signed(Pct(-10.0)), "-10.0");
        assert_eq!(signed(Pct(-0.01)), "0.0");
    }
}
