//! Differences between two versions of the data, and the CI gates over them (pure).
//!
//! `diff` pairs two sets of scorecards by country and says what moved: overall and level
//! score deltas, cells whose status changed (with the effect of each change on its level
//! score), gaps added and removed. `evaluate` turns a run of `frameaudit check` — scored
//! profiles, their diagnostics, the thresholds and an optional baseline diff — into a
//! `CheckReport` with typed [`Finding`]s that every CI format renders. No I/O here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::{
    Gap, ImplementationGap, LevelScores, Pct, RubricRef, Scorecard, score_core, score_statuses,
};
use crate::diag::{Code, Diagnostic, Severity, Tally};
use crate::load::config::{Accept, EvidenceRules};
use crate::model::{Country, Date, Level, Loc, Profile, Rubric, Status};

mod gates;
mod scored;

pub use gates::*;
pub(crate) use scored::*;

/// Version of the diff and check JSON contracts. Bumped on any incompatible change.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// A score before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Delta {
    /// The old score (None when undefined or absent).
    pub old: Option<Pct>,
    /// The new score.
    pub new: Option<Pct>,
    /// new − old, in percentage points (None unless both are defined).
    pub change: Option<Pct>,
}

impl Delta {
    /// The delta between two optional scores.
    pub(crate) fn of(old: Option<Pct>, new: Option<Pct>) -> Delta {
        let change = match (old, new) {
            (Some(o), Some(n)) => Some(Pct(n.0 - o.0)),
            _ => None,
        };
        Delta { old, new, change }
    }

    /// Whether the score dropped, as printed (one decimal): rounding noise is not a drop.
    pub(crate) fn dropped(&self) -> bool {
        matches!((self.old, self.new), (Some(o), Some(n)) if n.rounded() < o.rounded())
    }

    /// Whether the printed score changed at all.
    pub(crate) fn changed(&self) -> bool {
        self.old.map(Pct::rounded) != self.new.map(Pct::rounded)
    }
}

/// Which way a cell moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Direction {
    /// It earns more points.
    Better,
    /// It earns fewer points.
    Worse,
    /// Same points (`none` ↔ `unknown`), or moved in or out of `not_applicable`.
    Neutral,
}

/// A cell whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CellChange {
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
pub(crate) type LevelDeltas = crate::model::ByLevel<Delta>;

/// What changed for one country present in both versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct CountryDiff {
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
pub(crate) struct GapCounts {
    /// Gaps present now but not before.
    pub new: usize,
    /// Gaps present before but not now.
    pub fixed: usize,
    /// Gaps present in both.
    pub persisting: usize,
}

/// What changed between two sets of scorecards: the JSON contract of `frameaudit diff`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SetDiff {
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
    pub(crate) fn is_empty(&self) -> bool {
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
pub(crate) fn diff_country(old: &Scorecard, new: &Scorecard) -> CountryDiff {
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
        levels: LevelDeltas::from_fn(|l| Delta::of(old.score.levels[l], new.score.levels[l])),
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
pub(crate) fn diff(old: &[Scored], new: &[Scored]) -> SetDiff {
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

/// A score or "n/a".
pub(crate) fn fmt_opt(p: Option<Pct>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| p.to_string())
}

/// A change in points with its sign: "+2.5", "-10.0", "0.0".
pub(crate) fn signed(p: Pct) -> String {
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
