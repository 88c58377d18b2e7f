//! Regional comparison (pure): many profiles scored against one rubric, side by side. From a
//! region, its members' profiles and the rubric it builds a [`Comparison`]: the matrix of
//! scores, the ranking (ties share a rank, ordered by code), per criterion × level the states
//! that provide, partly provide, do not provide or have no information, the regional key
//! findings in the ACWC quantifier style, good common practices, challenges and, on request,
//! the rank sensitivity to the rubric's weights. No I/O, no printing.
//!
//! Counting rule for regional statements, over the N member states that region.yaml lists:
//! a state *provides* a criterion at a level when its cell is `full`, *partly provides* it
//! when `partial`, *does not provide* it when `none`; `unknown` cells and members with no
//! profile are *no information* (a missing state is never counted as providing anything);
//! `not_applicable` cells are counted apart and in no other group.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::Serialize;

use super::summary::{self, LevelSentences, Matrix, Reference, Theme};
use super::{CellScore, GapKind, Pct, RubricRef, Scorecard, Scores, StatusCounts, score};
use crate::model::{Band, Category, Country, Date, Level, Profile, Region, Rubric, Status};
use crate::random::SplitMix64;
use crate::suggest::join;

/// Version of the comparison JSON contract. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

/// The seed of `--sensitivity` runs when none is given.
pub const DEFAULT_SEED: u64 = 20_160_101;

/// The default relative perturbation of weights (±25%).
pub const DEFAULT_PERTURBATION: f64 = 0.25;

/// Two states cannot be told apart when their order differs from the base order in more
/// than this share of sensitivity runs (or when they tie in the base ranking).
pub const INDISTINGUISHABLE_SHARE: f64 = 0.05;

/// Overall scores (in percent) closer than this are a tie.
pub const TIE_EPSILON: f64 = 1e-9;

/// How many criteria the "largest regional gaps" challenge lists.
pub const TOP_GAPS: usize = 5;

/// How many shared implementation gaps the challenges list at most.
pub const TOP_IMPLEMENTATION_GAPS: usize = 10;

/// The fixed regional quantifiers of design.md, for n of N member states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantifier {
    /// n = N.
    All,
    /// N/2 < n < N.
    MostButNotAll,
    /// n = N/2.
    Half,
    /// 2 ≤ n < N/2.
    Some,
    /// n = 1 (and not already all, most or half).
    One,
    /// n = 0.
    No,
}

impl Quantifier {
    /// Every quantifier, from all to no.
    pub const ALL: [Quantifier; 6] = [
        Quantifier::All,
        Quantifier::MostButNotAll,
        Quantifier::Half,
        Quantifier::Some,
        Quantifier::One,
        Quantifier::No,
    ];

    /// The quantifier for `n` of `total`, checked in the order all, no, most, half, one, some.
    pub fn of(n: usize, total: usize) -> Quantifier {
        if total > 0 && n >= total {
            Quantifier::All
        } else if n == 0 {
            Quantifier::No
        } else if 2 * n > total {
            Quantifier::MostButNotAll
        } else if 2 * n == total {
            Quantifier::Half
        } else if n == 1 {
            Quantifier::One
        } else {
            Quantifier::Some
        }
    }

    /// The words ("most but not all").
    pub fn as_str(self) -> &'static str {
        match self {
            Quantifier::All => "all",
            Quantifier::MostButNotAll => "most but not all",
            Quantifier::Half => "half",
            Quantifier::Some => "some",
            Quantifier::One => "one",
            Quantifier::No => "no",
        }
    }

    /// The subject of a sentence, without the count: "Most but not all member states".
    pub fn subject(self) -> &'static str {
        match self {
            Quantifier::All => "All member states",
            Quantifier::MostButNotAll => "Most but not all member states",
            Quantifier::Half => "Half of the member states",
            Quantifier::Some => "Some member states",
            Quantifier::One => "One member state",
            Quantifier::No => "No member state",
        }
    }

    /// Whether the subject takes a singular verb.
    pub fn singular(self) -> bool {
        matches!(self, Quantifier::One | Quantifier::No)
    }

    /// The subject with its count: "Most but not all member states (8 of 10)".
    pub fn phrase(self, n: usize, total: usize) -> String {
        format!("{} ({n} of {total})", self.subject())
    }
}

/// `plural` or `singular` form of a verb for `q`'s subject.
fn verb(q: Quantifier, singular: &str, plural: &str) -> String {
    if q.singular() { singular } else { plural }.to_string()
}

/// How often the sensitivity analysis runs, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SensitivityOptions {
    /// Number of perturbed re-scorings.
    pub runs: usize,
    /// PRNG seed.
    pub seed: u64,
    /// Relative perturbation δ: each weight is multiplied by a factor uniform in [1−δ, 1+δ].
    pub perturbation: f64,
}

/// The region a comparison covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionRef {
    /// Region id.
    pub id: String,
    /// Region name.
    pub name: String,
}

/// Which member states have a profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    /// N: the member states on the comparison date.
    pub total: usize,
    /// Member states with a profile.
    pub profiled: usize,
    /// Member states with no profile, in region order.
    pub missing: Vec<Country>,
    /// Codes of profiles left out because their country is not a member on the comparison
    /// date (not listed, or joined later), sorted.
    pub not_members: Vec<String>,
    /// "10 of 11 member states have a profile; TL (Timor-Leste) has none".
    pub summary: String,
}

/// The counting rule of every regional statement (fixed; carried in the output).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountingRule {
    /// Statuses counted as "provide".
    pub provide: &'static str,
    /// Statuses counted as "partly provide".
    pub partly_provide: &'static str,
    /// Statuses counted as "do not provide".
    pub do_not_provide: &'static str,
    /// What counts as "no information".
    pub no_information: &'static str,
    /// What is left out of every other group.
    pub not_applicable: &'static str,
    /// What N is.
    pub denominator: &'static str,
}

const COUNTING: CountingRule = CountingRule {
    provide: "full",
    partly_provide: "partial",
    do_not_provide: "none",
    no_information: "unknown, or the member state has no profile",
    not_applicable: "not_applicable",
    denominator: "every member state on the comparison date (joined on or before it), with or without a profile",
};

/// One member state's row of the matrix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateRow {
    /// The country, as region.yaml names it.
    pub country: Country,
    /// Whether the state has a profile.
    pub has_profile: bool,
    /// The date the profile describes.
    pub as_of: Option<Date>,
    /// Rank by overall score (None: no profile, no overall score, or insufficient evidence
    /// to be rated).
    pub rank: Option<usize>,
    /// The best and worst rank the state's score bounds allow against the other states'
    /// bounds (None: no profile or no overall score).
    pub rank_range: Option<RankSpan>,
    /// Scores (None: no profile).
    pub score: Option<Scores>,
    /// Cells by status (None: no profile).
    pub counts: Option<StatusCounts>,
    /// Whether coverage is under the rubric's `min_coverage`: the scores rest on too little
    /// evidence to be rated (exactly the states rated `insufficient_evidence`).
    pub low_coverage: bool,
    /// Every cell, in rubric order (empty without a profile).
    #[serde(skip)]
    pub cells: Vec<CellScore>,
}

/// The best and the worst of a set of ranks ("3–9").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RankSpan {
    /// Best (lowest) rank.
    pub best: usize,
    /// Worst (highest) rank.
    pub worst: usize,
}

impl RankSpan {
    /// "3–9", or "3" when best and worst agree.
    pub fn label(&self) -> String {
        if self.best == self.worst {
            self.best.to_string()
        } else {
            format!("{}–{}", self.best, self.worst)
        }
    }
}

/// One line of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankEntry {
    /// Rank (1 = highest); tied states share it. None: not ranked (see `unranked`).
    pub rank: Option<usize>,
    /// The ranks the state's score bounds allow (see [`rank_ranges`]); for a state with
    /// insufficient evidence, what is shown instead of a rank.
    pub rank_range: Option<RankSpan>,
    /// Country code.
    pub code: String,
    /// Country name.
    pub name: String,
    /// Overall score.
    pub overall: Option<Pct>,
    /// Why the state is not ranked, if it is not: "no profile", "no overall score" or
    /// "insufficient evidence: 27.7% of cells assessed, 50% needed".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unranked: Option<String>,
}

/// Some of the N member states: how many, the quantifier and which.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// n.
    pub n: usize,
    /// The quantifier of n over N.
    pub quantifier: Quantifier,
    /// Their codes, in region order.
    pub states: Vec<String>,
}

impl Group {
    fn new(states: Vec<String>, total: usize) -> Group {
        Group {
            n: states.len(),
            quantifier: Quantifier::of(states.len(), total),
            states,
        }
    }
}

/// One criterion at one level across the region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionLevel {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// Level.
    pub level: Level,
    /// Criterion weight w_c.
    pub weight: f64,
    /// Cell weight w_c·W_L.
    pub cell_weight: f64,
    /// States whose cell is `full`.
    pub provide: Group,
    /// States whose cell is `partial`.
    pub partly_provide: Group,
    /// States whose cell is `none`.
    pub do_not_provide: Group,
    /// States whose cell is `unknown`, and states with no profile.
    pub no_information: Group,
    /// States whose cell is `not_applicable`.
    pub not_applicable: Group,
}

/// How the summary and the annex count (fixed; carried in the output).
pub const NOTE: &str = "Counts are of the member states on the comparison date. A state provides for a criterion, fully or partly, when its status is full or partial (for a group of criteria, when any is); no public information (unknown, or no profile) is kept apart from not provided; where most are counted, the others are named with their status.";

/// A criterion many states provide at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommonProvision {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// The states that provide it in full.
    pub states: Group,
    /// The sentence.
    pub text: String,
}

/// Good common practices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoodPractices {
    /// The profiles' good practices by type of assistance, each once.
    pub themes: Vec<Theme>,
    /// Criteria most (more than half of the) member states provide in full in practice.
    pub met_in_practice: Vec<CommonProvision>,
}

/// A criterion with a large regional gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionalGap {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// Criterion weight.
    pub weight: f64,
    /// Mean criterion score over the states with a profile (levels weighted W_L).
    pub score: Pct,
    /// States whose criterion score is below 50%.
    pub below_half: Group,
    /// The sentence.
    pub text: String,
}

/// An implementation gap several states share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedImplementationGap {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// Which way the levels disagree.
    pub kind: GapKind,
    /// Its stable code.
    pub code: &'static str,
    /// The states.
    pub states: Group,
    /// The sentence.
    pub text: String,
}

/// Challenges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Challenges {
    /// The criteria with the largest regional gaps (weight × shortfall), largest first.
    pub largest_gaps: Vec<RegionalGap>,
    /// Implementation gaps two or more states share, most frequent first.
    pub implementation_gaps: Vec<SharedImplementationGap>,
    /// The profiles' challenges by type of assistance, each once.
    pub themes: Vec<Theme>,
}

/// One state's rank across the sensitivity runs (drawing weights and unknown cells).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRange {
    /// Country code.
    pub code: String,
    /// Rank with the rubric's own weights.
    pub base_rank: usize,
    /// Best rank in any run.
    pub min_rank: usize,
    /// Worst rank in any run.
    pub max_rank: usize,
    /// Share of runs at the base rank, in percent.
    pub at_base_rank: Pct,
}

impl RankRange {
    /// "3–9", or "3" when the best and worst rank agree (as [`RankSpan::label`]).
    pub fn label(&self) -> String {
        RankSpan {
            best: self.min_rank,
            worst: self.max_rank,
        }
        .label()
    }
}

/// Two states whose order is not the base order in some runs (or who tie in the base).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairFlip {
    /// The state ranked higher (or first by code on a tie) in the base ranking.
    pub higher: String,
    /// The other state.
    pub lower: String,
    /// Whether they tie in the base ranking.
    pub base_tie: bool,
    /// Runs in which `higher` ranks ahead of `lower`.
    pub higher_ahead: usize,
    /// Runs in which `lower` ranks ahead of `higher`.
    pub lower_ahead: usize,
    /// Runs in which they tie.
    pub tied: usize,
    /// Runs in which their order differs from the base order.
    pub differs: usize,
    /// The same, as a share of runs in percent.
    pub share: Pct,
    /// Whether their ranks cannot be told apart (base tie, or share above the threshold).
    pub indistinguishable: bool,
}

/// What a sensitivity run draws at random.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Uncertainty {
    /// The rubric's criterion and level weights.
    Weights,
    /// A status for every unknown cell (missing evidence).
    Evidence,
}

impl Uncertainty {
    /// Words for a reader.
    pub fn describe(self) -> &'static str {
        match self {
            Uncertainty::Weights => "the weights",
            Uncertainty::Evidence => "missing evidence",
        }
    }
}

/// How much one source of uncertainty alone moves ranks: runs that draw only it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEffect {
    /// What these runs draw.
    pub source: Uncertainty,
    /// Number of runs.
    pub runs: usize,
    /// Mean over runs and ranked states of |rank in the run − base rank|, in places.
    pub mean_rank_shift: f64,
    /// Ranked states whose rank differs from the base rank in at least one run.
    pub states_moved: usize,
    /// Pairs that cannot be told apart in these runs (tied in the base, or order changed in
    /// more than the threshold share of runs).
    pub pairs_apart: usize,
}

/// Rank robustness: each run draws the rubric's weights and a status for every unknown cell;
/// runs drawing one source at a time say which moves ranks more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// Number of runs (of each kind: both sources, weights only, evidence only).
    pub runs: usize,
    /// PRNG seed (SplitMix64).
    pub seed: u64,
    /// Relative perturbation δ of every criterion and level weight.
    pub perturbation: f64,
    /// The threshold (percent of runs) above which two states cannot be told apart.
    pub threshold: Pct,
    /// Each ranked state's range, in base rank order.
    pub states: Vec<RankRange>,
    /// Pairs whose order changes in at least one run, in base rank order.
    pub pairs: Vec<PairFlip>,
    /// Runs drawing only the weights, then only the unknown cells.
    pub sources: Vec<SourceEffect>,
    /// The source that moves ranks more (None: neither moves them more than the other).
    pub dominant: Option<Uncertainty>,
    /// Plain-words summary.
    pub summary: String,
}

/// The executive summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// How the sentences count.
    pub note: String,
    /// In law, in policies, in practice.
    pub levels: Vec<LevelSentences>,
}

/// A status line of the data compared, and whose it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Caveat {
    /// `region`, or the country code of a profile whose status differs from the region's.
    pub from: String,
    /// The status line.
    pub text: String,
}

/// The regional comparison: the JSON contract of `frameaudit compare`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// The region.
    pub region: RegionRef,
    /// The comparison date: members are counted as on it.
    pub as_of: Date,
    /// The status lines of the region and of its profiles (each distinct text once).
    pub caveats: Vec<Caveat>,
    /// The rubric every profile was scored against.
    pub rubric: RubricRef,
    /// The rubric's rating bands, highest first (the shading of the heat maps).
    pub bands: Vec<Band>,
    /// Who has a profile.
    pub members: Membership,
    /// How regional statements count.
    pub counting: CountingRule,
    /// The rubric's fundamental principles (ids and titles), in rubric order.
    pub principles: Vec<Category>,
    /// The rubric's types of assistance, in rubric order.
    pub assistance_types: Vec<Category>,
    /// The matrix: one row per member state, in region order.
    pub states: Vec<StateRow>,
    /// The ranking, best first; unranked states last, by code.
    pub ranking: Vec<RankEntry>,
    /// Every criterion at every level it applies to, in rubric order.
    pub criteria: Vec<CriterionLevel>,
    /// The executive summary: two to four sentences per level in the form of the ACWC key
    /// findings.
    pub summary: Summary,
    /// Good common practices.
    pub good_practices: GoodPractices,
    /// Challenges.
    pub challenges: Challenges,
    /// The sources the good practices and challenges cite, numbered.
    pub references: Vec<Reference>,
    /// The annex: criterion by criterion, at each level.
    pub annex: Vec<LevelSentences>,
    /// Rank robustness, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity: Option<Sensitivity>,
}

/// "LA (Lao PDR)".
fn code_name(c: &Country) -> String {
    format!("{} ({})", c.code, c.name)
}

/// Competition ranks ("1, 2, 2, 4") for overall scores in percent: highest first, scores
/// within [`TIE_EPSILON`] tie, ties ordered by code; None scores are not ranked. Returns the
/// rank of each input, in input order.
pub fn rank(scores: &[(&str, Option<f64>)]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..scores.len())
        .filter(|&i| scores[i].1.is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let (sa, sb) = (scores[a].1.unwrap_or(0.0), scores[b].1.unwrap_or(0.0));
        if (sa - sb).abs() <= TIE_EPSILON {
            scores[a].0.cmp(scores[b].0)
        } else {
            sb.total_cmp(&sa)
        }
    });
    let mut out = vec![None; scores.len()];
    let mut leader = f64::NAN;
    let mut current = 0;
    for (pos, &i) in order.iter().enumerate() {
        let s = scores[i].1.unwrap_or(0.0);
        if pos == 0 || (leader - s).abs() > TIE_EPSILON {
            current = pos + 1;
            leader = s;
        }
        out[i] = Some(current);
    }
    out
}

/// The best and worst competition rank each state's score bounds allow, given every other
/// state's bounds: `bounds[i]` is `(lower, upper)` in percent, None for a state that is not
/// ranked. The best rank puts the state at its upper bound and every other at its lower; the
/// worst the other way round; both can happen, since each state's unknown cells are its own.
/// Scores within [`TIE_EPSILON`] tie, as in [`rank`].
pub fn rank_ranges(bounds: &[Option<(f64, f64)>]) -> Vec<Option<RankSpan>> {
    bounds
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (lo, hi) = (*b)?;
            let others = bounds
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, o)| *o);
            let (mut best, mut worst) = (1, 1);
            for (olo, ohi) in others {
                if olo > hi + TIE_EPSILON {
                    best += 1;
                }
                if ohi > lo + TIE_EPSILON {
                    worst += 1;
                }
            }
            Some(RankSpan { best, worst })
        })
        .collect()
}

/// A copy of `rubric` with every criterion weight and level weight multiplied by a factor
/// uniform in [1−δ, 1+δ], drawn in rubric order (criteria, then law, policy, practice).
pub fn perturb(rubric: &Rubric, delta: f64, rng: &mut SplitMix64) -> Rubric {
    let mut r = rubric.clone();
    let (w, levels) = perturbed_weights(rubric, delta, rng);
    for (c, w) in r.criteria.iter_mut().zip(w) {
        c.weight = w;
    }
    r.levels = levels;
    r
}

/// The criterion weights (in rubric order) and level weights [`perturb`] draws, without
/// copying the rubric.
fn perturbed_weights(
    rubric: &Rubric,
    delta: f64,
    rng: &mut SplitMix64,
) -> (Vec<f64>, crate::model::LevelWeights) {
    let mut factor = || 1.0 + delta * (2.0 * rng.next_f64() - 1.0);
    let w = rubric
        .criteria
        .iter()
        .map(|c| c.weight * factor())
        .collect();
    let mut levels = rubric.levels;
    levels.law *= factor();
    levels.policy *= factor();
    levels.practice *= factor();
    (w, levels)
}

/// Compares the member states of `region` on `as_of` (the members that joined by then):
/// `profiles` are the region's profiles (any order), all scored against `rubric`; a profile of
/// a country that is not a member on `as_of` is left out (and listed in
/// `members.not_members`). `sensitivity` asks for the rank-robustness analysis.
pub fn compare(
    region: &Region,
    profiles: &[Profile],
    rubric: &Rubric,
    as_of: Date,
    sensitivity: Option<SensitivityOptions>,
) -> Comparison {
    let on_date = region.members_on(as_of);
    let total = on_date.len();
    let by_code: BTreeMap<&str, &Profile> = profiles
        .iter()
        .map(|p| (p.country.code.as_str(), p))
        .collect();
    let mut not_members: Vec<String> = by_code
        .keys()
        .filter(|c| !region.is_member_on(c, as_of))
        .map(|c| c.to_string())
        .collect();
    not_members.dedup();
    let members: Vec<(&Country, Option<&Profile>)> = on_date
        .iter()
        .map(|m| (*m, by_code.get(m.code.as_str()).copied()))
        .collect();
    let cards: Vec<Option<Scorecard>> = members
        .iter()
        .map(|(_, p)| p.map(|p| score(p, rubric)))
        .collect();

    let missing: Vec<Country> = members
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|(m, _)| (*m).clone())
        .collect();
    let profiled = total - missing.len();
    let summary = if missing.is_empty() {
        format!("All {total} member states have a profile")
    } else {
        let names: Vec<String> = missing.iter().map(code_name).collect();
        format!(
            "{profiled} of {total} member states {} a profile; {} {} none",
            if profiled == 1 { "has" } else { "have" },
            join(&names, "and"),
            if missing.len() == 1 { "has" } else { "have" },
        )
    };

    let overall: Vec<(&str, Option<f64>)> = members
        .iter()
        .zip(&cards)
        .map(|((m, _), c)| {
            (
                m.code.as_str(),
                c.as_ref().and_then(|c| c.score.overall).map(|p| p.0),
            )
        })
        .collect();
    // Base ranks over every state with an overall score; a state with insufficient evidence
    // keeps its place in the list but shows the ranks its bounds allow instead of a rank.
    let ranks = rank(&overall);
    let ranges = rank_ranges(
        &cards
            .iter()
            .map(|c| {
                c.as_ref()
                    .and_then(|c| c.score.bounds.overall)
                    .map(|r| (r.lower.0, r.upper.0))
            })
            .collect::<Vec<_>>(),
    );
    let rated: Vec<bool> = cards
        .iter()
        .map(|c| c.as_ref().is_some_and(|c| c.score.is_rated()))
        .collect();

    let states: Vec<StateRow> = members
        .iter()
        .zip(&cards)
        .enumerate()
        .map(|(i, ((m, p), c))| StateRow {
            country: (*m).clone(),
            has_profile: p.is_some(),
            as_of: p.map(|p| p.as_of),
            rank: ranks[i].filter(|_| rated[i]),
            rank_range: ranges[i],
            score: c.as_ref().map(|c| c.score.clone()),
            counts: c.as_ref().map(|c| c.counts),
            low_coverage: c.as_ref().is_some_and(|c| c.score.insufficient_evidence()),
            cells: c.as_ref().map(|c| c.cells.clone()).unwrap_or_default(),
        })
        .collect();

    let mut order: Vec<usize> = (0..states.len()).collect();
    order.sort_by(|&a, &b| {
        let code = |i: usize| &states[i].country.code;
        match (ranks[a], ranks[b]) {
            (Some(x), Some(y)) => x.cmp(&y).then_with(|| code(a).cmp(code(b))),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => code(a).cmp(code(b)),
        }
    });
    let ranking: Vec<RankEntry> = order
        .into_iter()
        .map(|i| {
            let s = &states[i];
            RankEntry {
                rank: s.rank,
                rank_range: s.rank_range,
                code: s.country.code.clone(),
                name: s.country.name.clone(),
                overall: s.score.as_ref().and_then(|x| x.overall),
                unranked: match (&s.score, ranks[i]) {
                    (None, _) => Some("no profile".to_string()),
                    (Some(_), None) => Some("no overall score".to_string()),
                    (Some(x), Some(_)) if !rated[i] => Some(format!(
                        "insufficient evidence: {}% of cells assessed, {}% needed",
                        x.coverage, x.min_coverage
                    )),
                    _ => None,
                },
            }
        })
        .collect();

    let criteria = criterion_levels(rubric, &states, total);
    let matrix = Matrix {
        codes: states.iter().map(|s| s.country.code.clone()).collect(),
        cells: states
            .iter()
            .map(|s| {
                s.has_profile.then(|| {
                    s.cells
                        .iter()
                        .map(|c| ((c.criterion.clone(), c.level), c.status))
                        .collect()
                })
            })
            .collect(),
    };
    let themes = summary::themes(
        rubric,
        &matrix.codes,
        &members.iter().map(|(_, p)| *p).collect::<Vec<_>>(),
    );
    let good_practices = good_practices(rubric, themes.good_practices, &criteria, &matrix.codes);
    let challenges = challenges(rubric, &members, &states, &cards, total, themes.challenges);
    let mut caveats: Vec<Caveat> = Vec::new();
    if let Some(t) = &region.status {
        caveats.push(Caveat {
            from: "region".into(),
            text: t.clone(),
        });
    }
    for (m, p) in &members {
        if let Some(t) = p.and_then(|p| p.status.as_ref())
            && !caveats.iter().any(|c| &c.text == t)
        {
            caveats.push(Caveat {
                from: m.code.clone(),
                text: t.clone(),
            });
        }
    }
    let sensitivity = sensitivity.map(|o| sensitivity_analysis(&members, rubric, &ranks, o));

    Comparison {
        schema_version: SCHEMA_VERSION,
        region: RegionRef {
            id: region.id.clone(),
            name: region.name.clone(),
        },
        rubric: RubricRef::of(rubric),
        bands: rubric.bands.clone(),
        as_of,
        caveats,
        members: Membership {
            total,
            profiled,
            missing,
            not_members,
            summary,
        },
        counting: COUNTING,
        principles: rubric.principles.clone(),
        assistance_types: rubric.assistance_types.clone(),
        states,
        ranking,
        summary: Summary {
            note: NOTE.to_string(),
            levels: summary::summary(rubric, &matrix),
        },
        annex: summary::annex(rubric, &matrix),
        criteria,
        good_practices,
        challenges,
        references: themes.references,
        sensitivity,
    }
}

fn criterion_levels(rubric: &Rubric, states: &[StateRow], total: usize) -> Vec<CriterionLevel> {
    let mut out = Vec::new();
    for c in &rubric.criteria {
        for &level in &c.levels {
            let mut groups: [Vec<String>; 5] = Default::default();
            for s in states {
                let status = if s.has_profile {
                    s.cells
                        .iter()
                        .find(|x| x.criterion == c.id && x.level == level)
                        .map_or(Status::Unknown, |x| x.status)
                } else {
                    Status::Unknown
                };
                let i = match status {
                    Status::Full => 0,
                    Status::Partial => 1,
                    Status::None => 2,
                    Status::Unknown => 3,
                    Status::NotApplicable => 4,
                };
                groups[i].push(s.country.code.clone());
            }
            let [full, partial, none, unknown, na] = groups;
            out.push(CriterionLevel {
                criterion: c.id.clone(),
                title: c.title.clone(),
                level,
                weight: c.weight,
                cell_weight: c.weight * rubric.levels.get(level),
                provide: Group::new(full, total),
                partly_provide: Group::new(partial, total),
                do_not_provide: Group::new(none, total),
                no_information: Group::new(unknown, total),
                not_applicable: Group::new(na, total),
            });
        }
    }
    out
}

/// "(3 of 10: BN, KH and PH)"; "(8 of 10)" for a majority (the states it counts provide in
/// full; the others may provide in part, so they are not called "all but").
fn count_note(states: &[String], total: usize) -> String {
    let n = states.len();
    if n == 0 || 2 * n > total {
        format!(" ({n} of {total})")
    } else {
        format!(" ({n} of {total}: {})", join(states, "and"))
    }
}

fn lower_first(s: &str) -> String {
    summary::lower_first(s)
}

fn criterion_pos(rubric: &Rubric, id: &str) -> usize {
    rubric
        .criteria
        .iter()
        .position(|c| c.id == id)
        .unwrap_or(usize::MAX)
}

fn criterion_weight(rubric: &Rubric, id: &str) -> f64 {
    rubric.criterion(id).map_or(0.0, |c| c.weight)
}

fn good_practices(
    rubric: &Rubric,
    themes: Vec<Theme>,
    criteria: &[CriterionLevel],
    all_codes: &[String],
) -> GoodPractices {
    let total = all_codes.len();
    let mut met: Vec<&CriterionLevel> = criteria
        .iter()
        .filter(|c| c.level == Level::Practice && 2 * c.provide.n > total)
        .collect();
    met.sort_by(|a, b| {
        b.provide
            .n
            .cmp(&a.provide.n)
            .then_with(|| b.weight.total_cmp(&a.weight))
            .then_with(|| {
                criterion_pos(rubric, &a.criterion).cmp(&criterion_pos(rubric, &b.criterion))
            })
    });
    let met_in_practice = met
        .into_iter()
        .map(|c| CommonProvision {
            criterion: c.criterion.clone(),
            title: c.title.clone(),
            states: c.provide.clone(),
            text: format!(
                "{} {} in practice: {}{}.",
                c.provide.quantifier.subject(),
                verb(c.provide.quantifier, "provides", "provide"),
                c.title,
                if c.provide.n == total {
                    format!(" ({total} of {total})")
                } else {
                    count_note(&c.provide.states, total)
                }
            ),
        })
        .collect();
    GoodPractices {
        themes,
        met_in_practice,
    }
}

fn challenges(
    rubric: &Rubric,
    members: &[(&Country, Option<&Profile>)],
    states: &[StateRow],
    cards: &[Option<Scorecard>],
    total: usize,
    themes: Vec<Theme>,
) -> Challenges {
    // Largest regional gaps: per criterion, the mean over profiled states of the state's
    // criterion score (its scored levels weighted W_L); ordered by w_c × (1 − score).
    let mut gaps = Vec::new();
    for c in &rubric.criteria {
        let mut sum = 0.0;
        let mut count = 0usize;
        let mut below = Vec::new();
        for s in states.iter().filter(|s| s.has_profile) {
            let (num, den) = s
                .cells
                .iter()
                .filter(|x| x.criterion == c.id)
                .filter_map(|x| {
                    x.points
                        .map(|p| (rubric.levels.get(x.level) * p, rubric.levels.get(x.level)))
                })
                .fold((0.0, 0.0), |(n, d), (a, b)| (n + a, d + b));
            if den <= 0.0 {
                continue;
            }
            let v = num / den;
            sum += v;
            count += 1;
            if v < 0.5 {
                below.push(s.country.code.clone());
            }
        }
        if count == 0 {
            continue;
        }
        let mean = sum / count as f64;
        if mean < 1.0 - 1e-12 {
            gaps.push((c, mean, below));
        }
    }
    gaps.sort_by(|(a, ma, _), (b, mb, _)| {
        (b.weight * (1.0 - mb))
            .total_cmp(&(a.weight * (1.0 - ma)))
            .then_with(|| criterion_pos(rubric, &a.id).cmp(&criterion_pos(rubric, &b.id)))
    });
    let profiled = states.iter().filter(|s| s.has_profile).count();
    let largest_gaps = gaps
        .into_iter()
        .take(TOP_GAPS)
        .map(|(c, mean, below)| {
            let g = Group::new(below, total);
            let score = Pct::from_fraction(mean);
            let who = if g.n == 0 {
                "no member state scores below 50% on it".to_string()
            } else {
                format!(
                    "{} {} below 50% on it ({} of {total}: {})",
                    lower_first(g.quantifier.subject()),
                    verb(g.quantifier, "scores", "score"),
                    g.n,
                    join(&g.states, "and")
                )
            };
            RegionalGap {
                criterion: c.id.clone(),
                title: c.title.clone(),
                weight: c.weight,
                score,
                text: format!(
                    "{} (weight {}): regional score {score}% over the {profiled} member states with a profile; {who}.",
                    c.title, c.weight
                ),
                below_half: g,
            }
        })
        .collect();

    // Implementation gaps shared by two or more states.
    let mut by_gap: BTreeMap<(String, GapKind), Vec<String>> = BTreeMap::new();
    for ((m, _), card) in members.iter().zip(cards) {
        let Some(card) = card else { continue };
        for g in &card.implementation_gaps {
            by_gap
                .entry((g.criterion.clone(), g.kind))
                .or_default()
                .push(m.code.clone());
        }
    }
    let mut impl_gaps: Vec<SharedImplementationGap> = by_gap
        .into_iter()
        .filter(|(_, s)| s.len() >= 2)
        .map(|((criterion, kind), s)| {
            let title = rubric
                .criterion(&criterion)
                .map_or_else(|| criterion.clone(), |c| c.title.clone());
            let g = Group::new(s, total);
            SharedImplementationGap {
                text: format!(
                    "{}: {} ({} of {total}: {}) {} it {}.",
                    title,
                    g.quantifier.subject(),
                    g.n,
                    join(&g.states, "and"),
                    verb(g.quantifier, "provides", "provide"),
                    kind.describe()
                ),
                criterion,
                title,
                kind,
                code: kind.code(),
                states: g,
            }
        })
        .collect();
    impl_gaps.sort_by(|a, b| {
        b.states
            .n
            .cmp(&a.states.n)
            .then_with(|| {
                criterion_weight(rubric, &b.criterion)
                    .total_cmp(&criterion_weight(rubric, &a.criterion))
            })
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| {
                criterion_pos(rubric, &a.criterion).cmp(&criterion_pos(rubric, &b.criterion))
            })
    });
    impl_gaps.truncate(TOP_IMPLEMENTATION_GAPS);

    Challenges {
        largest_gaps,
        implementation_gaps: impl_gaps,
        themes,
    }
}

/// One state's cells as the fast re-scorer needs them: criterion index, level, and points
/// (None: unknown, drawn in evidence runs; not_applicable cells are left out).
struct StateCells(Vec<(usize, Level, Option<f64>)>);

impl StateCells {
    fn of(profile: &Profile, rubric: &Rubric) -> StateCells {
        let mut out = Vec::new();
        for (k, c) in rubric.criteria.iter().enumerate() {
            for &level in &c.levels {
                match profile.status(&c.id, level) {
                    Status::NotApplicable => {}
                    Status::Unknown => out.push((k, level, None)),
                    st => out.push((k, level, rubric.points.of(st))),
                }
            }
        }
        StateCells(out)
    }
}

/// The overall score (percent) of `cells` under criterion weights `w`, level weights `lw`,
/// with unknown cells earning `unknown(i)` points (i counts the unknown cells in order): the
/// rule of `score::score`, without building a scorecard.
fn fast_overall(
    cells: &StateCells,
    w: &[f64],
    lw: &crate::model::LevelWeights,
    unknown: &mut dyn FnMut() -> f64,
) -> Option<f64> {
    let mut num = [0.0; 3];
    let mut den = [0.0; 3];
    for &(k, level, p) in &cells.0 {
        let p = p.unwrap_or_else(&mut *unknown);
        let i = level as usize;
        num[i] += w[k] * p;
        den[i] += w[k];
    }
    let mut n = 0.0;
    let mut d = 0.0;
    for l in Level::ALL {
        let i = l as usize;
        let wl = lw.get(l);
        if den[i] > 0.0 && wl > 0.0 {
            n += wl * num[i] / den[i];
            d += wl;
        }
    }
    (d > 0.0).then(|| 100.0 * n / d)
}

/// The ranks of many runs, and how they differ from the base ranks.
struct Runs {
    min_rank: Vec<usize>,
    max_rank: Vec<usize>,
    at_base: Vec<usize>,
    /// outcomes[a][b] for a < b: runs in which a is ahead, b is ahead, they tie.
    outcomes: Vec<Vec<[usize; 3]>>,
    shift: f64,
    runs: usize,
}

/// What one set of runs draws, from which seed.
#[derive(Clone, Copy)]
struct Draw {
    seed: u64,
    weights: bool,
    evidence: bool,
}

/// Runs `o.runs` re-scorings of the ranked states (`cells`, `codes`, `base` ranks), drawing
/// weights and/or unknown cells.
fn run_draws(
    cells: &[StateCells],
    codes: &[&str],
    base: &[usize],
    rubric: &Rubric,
    o: SensitivityOptions,
    Draw {
        seed,
        weights,
        evidence,
    }: Draw,
) -> Runs {
    let n = cells.len();
    let mut r = Runs {
        min_rank: base.to_vec(),
        max_rank: base.to_vec(),
        at_base: vec![0; n],
        outcomes: vec![vec![[0; 3]; n]; n],
        shift: 0.0,
        runs: o.runs,
    };
    let mut rng = SplitMix64::new(seed);
    let p = rubric.points;
    for _ in 0..o.runs {
        let (w, levels) = if weights {
            perturbed_weights(rubric, o.perturbation, &mut rng)
        } else {
            (
                rubric.criteria.iter().map(|c| c.weight).collect(),
                rubric.levels,
            )
        };
        let overall: Vec<(&str, Option<f64>)> = cells
            .iter()
            .zip(codes)
            .map(|(c, code)| {
                let mut draw = || {
                    if evidence {
                        match (rng.next_f64() * 3.0) as u32 {
                            0 => p.full,
                            1 => p.partial,
                            _ => p.none,
                        }
                    } else {
                        p.unknown
                    }
                };
                (*code, fast_overall(c, &w, &levels, &mut draw))
            })
            .collect();
        let run = rank(&overall);
        for k in 0..n {
            let rk = run[k].unwrap_or(usize::MAX);
            r.min_rank[k] = r.min_rank[k].min(rk);
            r.max_rank[k] = r.max_rank[k].max(rk);
            if rk == base[k] {
                r.at_base[k] += 1;
            }
            r.shift += rk.abs_diff(base[k]) as f64;
        }
        for a in 0..n {
            for b in (a + 1)..n {
                let i = match run[a].cmp(&run[b]) {
                    Ordering::Less => 0,
                    Ordering::Greater => 1,
                    Ordering::Equal => 2,
                };
                r.outcomes[a][b][i] += 1;
            }
        }
    }
    if o.runs > 0 && n > 0 {
        r.shift /= (o.runs * n) as f64;
    }
    r
}

/// The pairs whose order is not the base order in some runs (or that tie in the base), in
/// base rank order (`order`).
fn pair_flips(runs: &Runs, base: &[usize], codes: &[&str], order: &[usize]) -> Vec<PairFlip> {
    let share = |k: usize| {
        Pct::from_fraction(if runs.runs == 0 {
            0.0
        } else {
            k as f64 / runs.runs as f64
        })
    };
    let mut pairs = Vec::new();
    for (x, &a) in order.iter().enumerate() {
        for &b in &order[x + 1..] {
            let [first, second, tied] = runs.outcomes[a.min(b)][a.max(b)];
            let (higher_ahead, lower_ahead) = if a < b {
                (first, second)
            } else {
                (second, first)
            };
            let tie = base[a] == base[b];
            let differs = if tie {
                higher_ahead + lower_ahead
            } else {
                lower_ahead + tied
            };
            if differs == 0 && !tie {
                continue;
            }
            let frac = if runs.runs == 0 {
                0.0
            } else {
                differs as f64 / runs.runs as f64
            };
            pairs.push(PairFlip {
                higher: codes[a].to_string(),
                lower: codes[b].to_string(),
                base_tie: tie,
                higher_ahead,
                lower_ahead,
                tied,
                differs,
                share: share(differs),
                indistinguishable: tie || frac > INDISTINGUISHABLE_SHARE,
            });
        }
    }
    pairs
}

/// Seeds of the runs that draw one source only, derived from the user's seed.
const WEIGHTS_ONLY_SEED: u64 = 0x5745_4947_4854_5300;
const EVIDENCE_ONLY_SEED: u64 = 0x4556_4944_454e_4345;

fn sensitivity_analysis(
    members: &[(&Country, Option<&Profile>)],
    rubric: &Rubric,
    base: &[Option<usize>],
    o: SensitivityOptions,
) -> Sensitivity {
    let ranked: Vec<usize> = (0..members.len())
        .filter(|&i| base[i].is_some() && members[i].1.is_some())
        .collect();
    let cells: Vec<StateCells> = ranked
        .iter()
        .filter_map(|&i| members[i].1.map(|p| StateCells::of(p, rubric)))
        .collect();
    let codes: Vec<&str> = ranked.iter().map(|&i| members[i].0.code.as_str()).collect();
    let base_ranks: Vec<usize> = ranked.iter().map(|&i| base[i].unwrap_or(0)).collect();
    let runs = |draw: Draw| run_draws(&cells, &codes, &base_ranks, rubric, o, draw);
    let both = runs(Draw {
        seed: o.seed,
        weights: true,
        evidence: true,
    });
    let weights_only = runs(Draw {
        seed: o.seed ^ WEIGHTS_ONLY_SEED,
        weights: true,
        evidence: false,
    });
    let evidence_only = runs(Draw {
        seed: o.seed ^ EVIDENCE_ONLY_SEED,
        weights: false,
        evidence: true,
    });

    // Base rank order of the ranked states (ties by code).
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| {
        base_ranks[a]
            .cmp(&base_ranks[b])
            .then_with(|| codes[a].cmp(codes[b]))
    });
    let share = |k: usize| {
        Pct::from_fraction(if o.runs == 0 {
            0.0
        } else {
            k as f64 / o.runs as f64
        })
    };
    let states: Vec<RankRange> = order
        .iter()
        .map(|&k| RankRange {
            code: codes[k].to_string(),
            base_rank: base_ranks[k],
            min_rank: both.min_rank[k],
            max_rank: both.max_rank[k],
            at_base_rank: share(both.at_base[k]),
        })
        .collect();
    let pairs = pair_flips(&both, &base_ranks, &codes, &order);
    let effect = |source: Uncertainty, r: &Runs| SourceEffect {
        source,
        runs: r.runs,
        mean_rank_shift: (r.shift * 100.0).round() / 100.0,
        states_moved: (0..ranked.len())
            .filter(|&k| r.min_rank[k] != r.max_rank[k])
            .count(),
        pairs_apart: pair_flips(r, &base_ranks, &codes, &order)
            .iter()
            .filter(|p| p.indistinguishable)
            .count(),
    };
    let sources = vec![
        effect(Uncertainty::Weights, &weights_only),
        effect(Uncertainty::Evidence, &evidence_only),
    ];
    let (ws, es) = (sources[0].mean_rank_shift, sources[1].mean_rank_shift);
    let dominant = match es.total_cmp(&ws) {
        Ordering::Greater => Some(Uncertainty::Evidence),
        Ordering::Less => Some(Uncertainty::Weights),
        Ordering::Equal => None,
    };

    let apart: Vec<String> = pairs
        .iter()
        .filter(|p| p.indistinguishable)
        .map(|p| format!("{} and {}", p.higher, p.lower))
        .collect();
    let stable = states.iter().filter(|s| s.min_rank == s.max_rank).count();
    let mut summary = format!(
        "{} runs, each multiplying every criterion and level weight by a factor uniform in [{:.2}, {:.2}] and drawing a status for every unknown cell (full, partial or none, equally likely; seed {}). Rank unchanged in every run: {} of {} ranked member states.",
        o.runs,
        1.0 - o.perturbation,
        1.0 + o.perturbation,
        o.seed,
        stable,
        states.len(),
    );
    if apart.is_empty() {
        summary.push_str(&format!(
            " Every pair of member states keeps its order in at least {}% of runs.",
            100.0 - INDISTINGUISHABLE_SHARE * 100.0
        ));
    } else {
        summary.push_str(&format!(
            " These ranks cannot be told apart (tied, or their order changes in more than {}% of runs): {}.",
            INDISTINGUISHABLE_SHARE * 100.0,
            apart.join("; ")
        ));
    }
    let versus = format!(
        "in {} runs drawing only the unknown cells a state's rank moves by {es:.2} places on average, against {ws:.2} in {} runs drawing only the weights.",
        o.runs, o.runs
    );
    summary.push_str(&match dominant {
        Some(Uncertainty::Evidence) => {
            format!(" Missing evidence moves ranks more than the weights: {versus}")
        }
        Some(Uncertainty::Weights) => {
            format!(" The weights move ranks more than missing evidence: {versus}")
        }
        None => format!(" Missing evidence and the weights move ranks alike: {versus}"),
    });
    Sensitivity {
        runs: o.runs,
        seed: o.seed,
        perturbation: o.perturbation,
        threshold: Pct::from_fraction(INDISTINGUISHABLE_SHARE),
        states,
        pairs,
        sources,
        dominant,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level::*;
    use crate::model::Status::{Full, Partial};
    use crate::score::tests::{profile, rubric};

    #[test]
    fn quantifier_boundaries_for_ten() {
        let q = |n| Quantifier::of(n, 10);
        assert_eq!(q(10), Quantifier::All);
        for n in 6..=9 {
            assert_eq!(q(n), Quantifier::MostButNotAll, "n = {n}");
        }
        assert_eq!(q(5), Quantifier::Half);
        for n in 2..=4 {
            assert_eq!(q(n), Quantifier::Some, "n = {n}");
        }
        assert_eq!(q(1), Quantifier::One);
        assert_eq!(q(0), Quantifier::No);
    }

    #[test]
    fn quantifier_boundaries_for_odd_and_tiny_n() {
        // N = 5: no half; 3 is most, 2 is some.
        assert_eq!(Quantifier::of(5, 5), Quantifier::All);
        assert_eq!(Quantifier::of(3, 5), Quantifier::MostButNotAll);
        assert_eq!(Quantifier::of(2, 5), Quantifier::Some);
        assert_eq!(Quantifier::of(1, 5), Quantifier::One);
        // N = 3: 2 is most, 1 is one.
        assert_eq!(Quantifier::of(2, 3), Quantifier::MostButNotAll);
        assert_eq!(Quantifier::of(1, 3), Quantifier::One);
        // N = 2: 1 is half (checked before one); N = 1: 1 is all.
        assert_eq!(Quantifier::of(1, 2), Quantifier::Half);
        assert_eq!(Quantifier::of(1, 1), Quantifier::All);
        assert_eq!(Quantifier::of(0, 1), Quantifier::No);
        assert_eq!(
            Quantifier::MostButNotAll.phrase(8, 10),
            "Most but not all member states (8 of 10)"
        );
    }

    #[test]
    fn ties_share_a_rank_and_are_ordered_by_code() {
        let r = rank(&[
            ("TH", Some(50.0)),
            ("BN", Some(70.0)),
            ("AA", Some(50.0 + 1e-12)),
            ("MM", None),
            ("ZZ", Some(10.0)),
            ("CC", Some(70.0)),
        ]);
        assert_eq!(r, vec![Some(3), Some(1), Some(3), None, Some(5), Some(1)]);
    }

    fn region(codes: &[&str]) -> Region {
        Region {
            path: "region.yaml".into(),
            id: "test".into(),
            name: "Test region".into(),
            rubric: "test".into(),
            members: codes
                .iter()
                .map(|c| Country {
                    code: c.to_string(),
                    name: format!("Land {c}"),
                })
                .collect(),
            status: None,
            joined: Default::default(),
            member_locs: Default::default(),
        }
    }

    fn day() -> Date {
        crate::date::parse("2025-06-30").unwrap()
    }

    fn state(code: &str, cells: &[(&str, Level, Status)]) -> Profile {
        let mut p = profile(cells);
        p.country.code = code.into();
        p
    }

    fn three() -> Vec<Profile> {
        vec![
            state(
                "AA",
                &[
                    ("a", Law, Full),
                    ("a", Practice, Partial),
                    ("c", Policy, Full),
                ],
            ),
            state(
                "BB",
                &[("a", Law, Full), ("b", Law, Full), ("c", Practice, Full)],
            ),
            state(
                "CC",
                &[("a", Law, Partial), ("b", Practice, Full), ("c", Law, Full)],
            ),
        ]
    }

    #[test]
    fn missing_members_are_shown_and_counted_as_no_information() {
        let c = compare(
            &region(&["AA", "BB", "CC", "DD"]),
            &three(),
            &rubric(),
            day(),
            None,
        );
        assert_eq!(c.members.total, 4);
        assert_eq!(c.members.profiled, 3);
        assert_eq!(
            c.members.summary,
            "3 of 4 member states have a profile; DD (Land DD) has none"
        );
        let a_law = c
            .criteria
            .iter()
            .find(|x| x.criterion == "a" && x.level == Law)
            .unwrap();
        assert_eq!(a_law.provide.states, ["AA", "BB"]);
        assert_eq!(a_law.provide.quantifier, Quantifier::Half);
        assert_eq!(a_law.no_information.states, ["DD"]);
        let dd = c.ranking.last().unwrap();
        assert_eq!(
            (dd.code.as_str(), dd.rank, dd.unranked.as_deref()),
            ("DD", None, Some("no profile"))
        );
    }

    #[test]
    fn caveats_carry_the_region_and_each_distinct_profile_status() {
        let mut reg = region(&["AA", "BB", "CC"]);
        reg.status = Some("draft".into());
        let mut ps = three();
        ps[1].status = Some("draft".into());
        ps[2].status = Some("official".into());
        let c = compare(&reg, &ps, &rubric(), day(), None);
        let got: Vec<(&str, &str)> = c
            .caveats
            .iter()
            .map(|k| (k.from.as_str(), k.text.as_str()))
            .collect();
        assert_eq!(got, [("region", "draft"), ("CC", "official")]);
    }

    #[test]
    fn members_joined_after_the_date_are_left_out() {
        let mut reg = region(&["AA", "BB", "CC"]);
        reg.joined
            .insert("CC".into(), crate::date::parse("2025-10-26").unwrap());
        let early = compare(&reg, &three(), &rubric(), day(), None);
        assert_eq!(early.members.total, 2);
        assert_eq!(early.members.not_members, ["CC"]);
        assert!(early.states.iter().all(|s| s.country.code != "CC"));
        assert_eq!(early.members.summary, "All 2 member states have a profile");
        let late = compare(
            &reg,
            &three(),
            &rubric(),
            crate::date::parse("2025-10-26").unwrap(),
            None,
        );
        assert_eq!(late.members.total, 3);
        assert!(late.members.not_members.is_empty());
    }

    #[test]
    fn sensitivity_is_reproducible_and_zero_perturbation_keeps_ranks() {
        let opts = |perturbation| {
            Some(SensitivityOptions {
                runs: 40,
                seed: 7,
                perturbation,
            })
        };
        let reg = region(&["AA", "BB", "CC"]);
        let a = compare(&reg, &three(), &rubric(), day(), opts(0.5));
        let b = compare(&reg, &three(), &rubric(), day(), opts(0.5));
        assert_eq!(a.sensitivity, b.sensitivity);
        // Zero perturbation: runs drawing only the weights move no rank.
        let z = compare(&reg, &three(), &rubric(), day(), opts(0.0))
            .sensitivity
            .unwrap();
        let w = &z.sources[0];
        assert_eq!(w.source, Uncertainty::Weights);
        assert_eq!((w.mean_rank_shift, w.states_moved), (0.0, 0));
        // The three states have unknown cells, so drawing them does move ranks, and missing
        // evidence is what moves them.
        assert!(z.sources[1].mean_rank_shift > 0.0);
        assert_eq!(z.dominant, Some(Uncertainty::Evidence));
        assert!(
            z.summary
                .contains("Missing evidence moves ranks more than the weights")
        );
    }

    #[test]
    fn without_unknown_cells_and_perturbation_no_rank_moves() {
        use crate::model::Status::None as No;
        let all = |code: &str, s: Status| {
            let cells: Vec<(&str, Level, Status)> = ["a", "b", "c"]
                .iter()
                .flat_map(|c| [Law, Policy, Practice].map(|l| (*c, l, s)))
                .filter(|(c, l, _)| !(*c == "b" && *l == Policy))
                .collect();
            state(code, &cells)
        };
        let profiles = vec![all("AA", Full), all("BB", Partial), all("CC", No)];
        let z = compare(
            &region(&["AA", "BB", "CC"]),
            &profiles,
            &rubric(),
            day(),
            Some(SensitivityOptions {
                runs: 30,
                seed: 3,
                perturbation: 0.0,
            }),
        )
        .sensitivity
        .unwrap();
        for s in &z.states {
            assert_eq!(
                (s.min_rank, s.max_rank),
                (s.base_rank, s.base_rank),
                "{}",
                s.code
            );
            assert_eq!(s.at_base_rank.0, 100.0);
        }
        assert!(z.pairs.is_empty());
        assert_eq!(z.dominant, None);
    }

    #[test]
    fn the_fast_rescorer_agrees_with_score() {
        let r = rubric();
        let w: Vec<f64> = r.criteria.iter().map(|c| c.weight).collect();
        for p in three() {
            let cells = StateCells::of(&p, &r);
            let fast = fast_overall(&cells, &w, &r.levels, &mut || r.points.unknown);
            let slow = score(&p, &r).score.overall.map(|x| x.0);
            assert!(
                (fast.unwrap() - slow.unwrap()).abs() < 1e-9,
                "{}",
                p.country.code
            );
            // Unknown cells at full give the upper bound.
            let up = fast_overall(&cells, &w, &r.levels, &mut || r.points.full);
            let b = score(&p, &r).score.bounds.overall.unwrap();
            assert!((up.unwrap() - b.upper.0).abs() < 1e-9, "{}", p.country.code);
        }
    }

    #[test]
    fn rank_ranges_follow_the_bounds() {
        // A 10–20, B 15–30, C 40–50, D unranked, E and F tie at 5.
        let r = rank_ranges(&[
            Some((10.0, 20.0)),
            Some((15.0, 30.0)),
            Some((40.0, 50.0)),
            None,
            Some((5.0, 5.0)),
            Some((5.0, 5.0)),
        ]);
        let span = |best, worst| Some(RankSpan { best, worst });
        // A: best behind only C (40 > 20) → 2; worst: B (30) and C (50) can pass 10 → 3;
        // E and F (5) never can.
        assert_eq!(r[0], span(2, 3));
        // B: best 2 (only C's 40 beats 30); worst 3 (A's 20 and C's 50 beat 15).
        assert_eq!(r[1], span(2, 3));
        // C: nobody's upper bound passes 40.
        assert_eq!(r[2], span(1, 1));
        assert_eq!(r[3], None);
        // E and F: A, B, C always ahead; they tie with each other → 4 at best and worst.
        assert_eq!(r[4], span(4, 4));
        assert_eq!(r[5], span(4, 4));
        assert_eq!(span(3, 9).unwrap().label(), "3–9");
        assert_eq!(span(4, 4).unwrap().label(), "4");
    }

    #[test]
    fn insufficient_evidence_shows_a_rank_range_not_a_rank() {
        let c = compare(
            &region(&["AA", "BB", "CC"]),
            &three(),
            &rubric(),
            day(),
            None,
        );
        // Each of the three assesses 3 of 8 cells: coverage under 50, not rated, and so
        // flagged as low coverage.
        for s in &c.states {
            assert!(s.low_coverage, "{}", s.country.code);
        }
        for e in &c.ranking {
            assert_eq!(e.rank, None, "{}", e.code);
            assert!(e.rank_range.is_some(), "{}", e.code);
            assert!(
                e.unranked
                    .as_deref()
                    .is_some_and(|u| u.starts_with("insufficient evidence: ")),
                "{:?}",
                e.unranked
            );
        }
        // With min_coverage 0 they are ranked, and the rank lies in the range.
        let mut r = rubric();
        r.min_coverage = 0.0;
        let c = compare(&region(&["AA", "BB", "CC"]), &three(), &r, day(), None);
        // Low coverage is the rubric's min_coverage, not a fixed threshold: at 0 nobody is
        // flagged, although their coverage is under 50%.
        for s in &c.states {
            assert!(!s.low_coverage, "{}", s.country.code);
        }
        for e in &c.ranking {
            let (rank, span) = (e.rank.unwrap(), e.rank_range.unwrap());
            assert!(span.best <= rank && rank <= span.worst, "{}", e.code);
            assert_eq!(e.unranked, None);
        }
    }

    #[test]
    fn perturbation_stays_in_range() {
        let mut rng = SplitMix64::new(1);
        let base = rubric();
        for _ in 0..100 {
            let r = perturb(&base, 0.25, &mut rng);
            for (c, b) in r.criteria.iter().zip(&base.criteria) {
                let f = c.weight / b.weight;
                assert!((0.75..=1.25).contains(&f), "{f}");
            }
        }
    }
}
