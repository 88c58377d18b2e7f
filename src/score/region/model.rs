//! The comparison model: the types a regional comparison is made of (states, ranking, groups
//! of states per criterion and level, key findings, sensitivity), and its constants.

use super::*;

/// Version of the comparison JSON contract. Bumped on any incompatible change.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// The seed of `--sensitivity` runs when none is given.
pub(crate) const DEFAULT_SEED: u64 = 20_160_101;

/// The default relative perturbation of weights (±25%).
pub(crate) const DEFAULT_PERTURBATION: f64 = 0.25;

/// Two states cannot be told apart when their order differs from the base order in more
/// than this share of sensitivity runs (or when they tie in the base ranking).
pub(crate) const INDISTINGUISHABLE_SHARE: f64 = 0.05;

/// Overall scores (in percent) closer than this are a tie.
pub(crate) const TIE_EPSILON: f64 = 1e-9;

/// How many criteria the "largest regional gaps" challenge lists.
pub(crate) const TOP_GAPS: usize = 5;

/// How many shared implementation gaps the challenges list at most.
pub(crate) const TOP_IMPLEMENTATION_GAPS: usize = 10;

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

pub(super) const COUNTING: CountingRule = CountingRule {
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
    /// The ranks the state's score bounds allow (see `rank_ranges`); for a state with
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
    pub(super) fn new(states: Vec<String>, total: usize) -> Group {
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
pub(crate) const NOTE: &str = "Counts are of the member states on the comparison date. A state provides for a criterion, fully or partly, when its status is full or partial (for a group of criteria, when any is); no public information (unknown, or no profile) is kept apart from not provided; where most are counted, the others are named with their status.";

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
    pub(crate) fn describe(self) -> &'static str {
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
