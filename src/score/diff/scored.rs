//! What `check` and `diff` keep of a scored profile ([`Scored`]): its scores and each cell's
//! status and location, compactly, with the full scorecard recomputed on demand.

use super::*;

/// One cell of a checked profile, for per-cell outputs (JUnit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CheckedCell<'a> {
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
pub(crate) struct CellStatuses {
    pub(super) rubric: Arc<Rubric>,
    pub(super) statuses: Vec<Status>,
}

impl CellStatuses {
    /// `statuses`, one per cell of `rubric` in rubric order (each criterion's levels in turn).
    pub(crate) fn new(rubric: Arc<Rubric>, statuses: Vec<Status>) -> CellStatuses {
        CellStatuses { rubric, statuses }
    }

    /// The cells in rubric order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = CheckedCell<'_>> + '_ {
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
pub(super) fn rubric_cells(rubric: &Rubric) -> impl Iterator<Item = (&str, Level)> + '_ {
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
pub(crate) struct Scored {
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
    /// Sources with neither a URL nor a note saying where to find them: id and location.
    pub unsourced: Vec<(String, Loc)>,
    pub(super) rubric: Arc<Rubric>,
    pub(super) statuses: Vec<Status>,
    pub(super) locs: Vec<Loc>,
    /// The year of each cell's newest cited source, in rubric order.
    pub(super) newest: Vec<Option<i32>>,
}

impl Scored {
    /// Scores `profile` against `rubric` and keeps what `check` reports.
    pub(crate) fn new(profile: &Profile, rubric: Arc<Rubric>) -> Scored {
        // The headline scores from the statuses alone: no notes, evidence, bounds or
        // contributions are kept.
        let card = score_core(&rubric, &|c, l| profile.status(c, l));
        let n = card.cells.len();
        let (mut statuses, mut locs, mut newest) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for (c, l) in rubric_cells(&rubric) {
            let cell = profile.cell(c, l);
            statuses.push(cell.map_or(Status::Unknown, |x| x.status));
            locs.push(cell.map_or(Loc::default(), |x| x.loc));
            newest.push(cell.and_then(|x| {
                x.evidence
                    .iter()
                    .filter_map(|e| profile.source(&e.source)?.year)
                    .max()
            }));
        }
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
            country: profile.country.clone(),
            as_of: profile.as_of,
            overall: card.overall,
            levels: card.levels,
            gaps: card.gap_count(),
            country_loc: profile.country_loc,
            coverage: card.coverage,
            unsourced,
            rubric,
            statuses,
            locs,
            newest,
        }
    }

    /// Where the profile assesses `criterion` at `level` (the default when it does not).
    pub(crate) fn loc(&self, criterion: &str, level: Level) -> Loc {
        rubric_cells(&self.rubric)
            .position(|x| x == (criterion, level))
            .and_then(|i| self.locs.get(i).copied())
            .unwrap_or_default()
    }

    /// The principle and assistance-type scores, recomputed from the statuses (kept only
    /// when a gate asks for them: a check over thousands of profiles holds no per-profile
    /// copy of every principle and type id).
    pub(crate) fn group_scores(&self) -> (super::super::Keyed, super::super::Keyed) {
        let by_cell: BTreeMap<(&str, Level), Status> = rubric_cells(&self.rubric)
            .zip(self.statuses.iter().copied())
            .collect();
        let core = score_core(&self.rubric, &|c, l| {
            by_cell.get(&(c, l)).copied().unwrap_or(Status::Unknown)
        });
        (core.principles, core.assistance_types)
    }

    /// The full scorecard, recomputed from the statuses: equal to scoring the profile.
    pub(crate) fn scorecard(&self) -> Scorecard {
        self.scorecard_with(&BTreeMap::new())
    }

    /// The status of `criterion` at `level` (`unknown` when not assessed).
    pub(crate) fn status(&self, criterion: &str, level: Level) -> Status {
        rubric_cells(&self.rubric)
            .position(|x| x == (criterion, level))
            .and_then(|i| self.statuses.get(i).copied())
            .unwrap_or(Status::Unknown)
    }

    /// The scorecard with some cells' statuses replaced: what the scores would be had those
    /// cells not changed.
    pub(crate) fn scorecard_with(&self, replaced: &BTreeMap<(String, Level), Status>) -> Scorecard {
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
    pub(super) fn into_cells(self) -> CellStatuses {
        CellStatuses::new(self.rubric, self.statuses)
    }
}
