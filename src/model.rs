//! The validated types of rubrics, profiles and regions, and the scorecard that scoring
//! produces. These are what `load` hands to `score` and `score` hands to `render`; they carry
//! no parsing logic and no I/O. Raw (unvalidated) serde structs live in `load`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The three levels at which a state's framework is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// What the state's laws provide.
    Law,
    /// What the state's policies, plans, guidelines and agreements provide.
    Policy,
    /// What victims actually receive, as observed.
    Practice,
}

impl Level {
    /// All levels, in report order.
    pub const ALL: [Level; 3] = [Level::Law, Level::Policy, Level::Practice];

    /// The key used in files and JSON (`law`, `policy`, `practice`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Law => "law",
            Level::Policy => "policy",
            Level::Practice => "practice",
        }
    }

    /// The heading used in reports ("In law", "In policies", "In practice").
    pub(crate) fn heading(self) -> &'static str {
        match self {
            Level::Law => "In law",
            Level::Policy => "In policies",
            Level::Practice => "In practice",
        }
    }

    /// Parses a level key.
    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status of one cell (criterion × level) of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Provided fully.
    Full,
    /// Provided in part.
    Partial,
    /// Not provided.
    None,
    /// No evidence found either way; scores 0 and counts against coverage.
    Unknown,
    /// Does not apply to this state; left out of numerator and denominator.
    NotApplicable,
}

impl Status {
    /// All statuses, from best to worst, then the two special ones.
    pub const ALL: [Status; 5] = [
        Status::Full,
        Status::Partial,
        Status::None,
        Status::Unknown,
        Status::NotApplicable,
    ];

    /// The key used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Full => "full",
            Status::Partial => "partial",
            Status::None => "none",
            Status::Unknown => "unknown",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// A one-character symbol shown beside the status so colour is never the only signal.
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Status::Full => "●",
            Status::Partial => "◐",
            Status::None => "○",
            Status::Unknown => "?",
            Status::NotApplicable => "–",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A 1-based line and column in a source file (0:0 when unknown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Loc {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Loc {
    /// A location at `line`:`column`.
    pub(crate) fn new(line: u32, column: u32) -> Loc {
        Loc { line, column }
    }

    /// Whether the location is known.
    pub fn is_known(self) -> bool {
        self.line > 0
    }
}

/// A calendar date (proleptic Gregorian), validated on construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One value per level, indexed by [`Level`] (`values[Level::Law]`); serialises as
/// `{law, policy, practice}`. The one type that spells the levels as fields: code reads and
/// writes it through [`Level`] (`ByLevel::from_fn`, indexing, `ByLevel::iter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByLevel<T> {
    /// In law.
    pub law: T,
    /// In policy.
    pub policy: T,
    /// In practice.
    pub practice: T,
}

impl<T> ByLevel<T> {
    /// The value of each level from `f`, called in [`Level::ALL`] order.
    pub(crate) fn from_fn(mut f: impl FnMut(Level) -> T) -> ByLevel<T> {
        ByLevel {
            law: f(Level::Law),
            policy: f(Level::Policy),
            practice: f(Level::Practice),
        }
    }

    /// Each level with its value, in [`Level::ALL`] order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (Level, &T)> {
        Level::ALL.into_iter().map(move |l| (l, &self[l]))
    }
}

impl<T: Copy> ByLevel<T> {
    /// The value of `level`.
    pub fn get(&self, level: Level) -> T {
        self[level]
    }
}

impl<T> std::ops::Index<Level> for ByLevel<T> {
    type Output = T;
    fn index(&self, level: Level) -> &T {
        match level {
            Level::Law => &self.law,
            Level::Policy => &self.policy,
            Level::Practice => &self.practice,
        }
    }
}

impl<T> std::ops::IndexMut<Level> for ByLevel<T> {
    fn index_mut(&mut self, level: Level) -> &mut T {
        match level {
            Level::Law => &mut self.law,
            Level::Policy => &mut self.policy,
            Level::Practice => &mut self.practice,
        }
    }
}

/// Weights of the three levels (W_L); a level the rubric leaves out weighs 1.
pub(crate) type LevelWeights = ByLevel<f64>;

/// The rubric's `[levels]` table as written: each weight defaults to 1.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevelWeights {
    #[serde(default = "one")]
    law: f64,
    #[serde(default = "one")]
    policy: f64,
    #[serde(default = "one")]
    practice: f64,
}

fn one() -> f64 {
    1.0
}

impl<'de> Deserialize<'de> for ByLevel<f64> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = RawLevelWeights::deserialize(d)?;
        Ok(ByLevel {
            law: r.law,
            policy: r.policy,
            practice: r.practice,
        })
    }
}

impl Default for ByLevel<f64> {
    /// Equal weights (1 each), the default of a rubric.
    fn default() -> LevelWeights {
        ByLevel::from_fn(|_| 1.0)
    }
}

impl ByLevel<f64> {
    /// The sum of the weights.
    pub(crate) fn sum(&self) -> f64 {
        self.iter().map(|(_, w)| w).sum()
    }
}

/// Points earned by each status (p).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Points {
    /// Points for `full` (default 1).
    #[serde(default = "one")]
    pub full: f64,
    /// Points for `partial` (default 0.5).
    #[serde(default = "half")]
    pub partial: f64,
    /// Points for `none` (default 0).
    #[serde(default)]
    pub none: f64,
    /// Points for `unknown` (default 0).
    #[serde(default)]
    pub unknown: f64,
}

fn half() -> f64 {
    0.5
}

impl Default for Points {
    fn default() -> Self {
        Points {
            full: 1.0,
            partial: 0.5,
            none: 0.0,
            unknown: 0.0,
        }
    }
}

impl Points {
    /// The points of `status`, or `None` for `not_applicable`.
    pub(crate) fn of(&self, status: Status) -> Option<f64> {
        match status {
            Status::Full => Some(self.full),
            Status::Partial => Some(self.partial),
            Status::None => Some(self.none),
            Status::Unknown => Some(self.unknown),
            Status::NotApplicable => None,
        }
    }
}

/// The coverage (percent) a profile needs to be rated when the rubric sets no `min_coverage`.
pub(crate) const DEFAULT_MIN_COVERAGE: f64 = 50.0;

/// The rating of a profile whose coverage is under the rubric's `min_coverage`.
pub(crate) const INSUFFICIENT_EVIDENCE: &str = "insufficient_evidence";

/// A rating band: overall scores at or above `min` (percent) get `label`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// The rating's name.
    pub label: String,
    /// The lowest overall score (0–100) in the band.
    pub min: f64,
}

/// A principle or a type of assistance: an id and a title.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Category {
    /// Stable id.
    pub id: String,
    /// Human title.
    pub title: String,
}

/// What counts as `full`, `partial` and `none` at one level.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelGuidance {
    /// When the cell is `full`.
    pub full: String,
    /// When the cell is `partial`.
    pub partial: String,
    /// When the cell is `none`.
    pub none: String,
}

/// One criterion of a rubric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Criterion {
    /// Stable id, e.g. `shelter.unconditional`.
    pub id: String,
    /// Short title.
    pub title: String,
    /// The question the criterion asks.
    pub question: String,
    /// Ids of the principles it tests.
    pub principles: Vec<String>,
    /// Id of its type of assistance.
    pub assistance_type: String,
    /// Weight w_c (> 0).
    pub weight: f64,
    /// The levels it applies to, in report order.
    pub levels: Vec<Level>,
    /// References to the instruments it comes from.
    pub references: Vec<String>,
    /// Criterion-specific guidance per level (falls back to the rubric's).
    pub guidance: BTreeMap<Level, LevelGuidance>,
    /// Where the criterion is defined.
    #[serde(skip)]
    pub loc: Loc,
}

impl Criterion {
    /// Whether the criterion applies at `level`.
    pub(crate) fn applies(&self, level: Level) -> bool {
        self.levels.contains(&level)
    }
}

/// How a [`Highlight`] relates its groups of criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HighlightKind {
    /// The first group against the others ("more member states provide for X than for Y").
    Contrast,
    /// Each group on its own, in one sentence.
    Each,
}

/// A labelled group of criteria a highlight counts: a state provides for it, fully or
/// partly, when any of its criteria is `full` or `partial` at the level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HighlightGroup {
    /// What the group is, as the sentence names it ("the special needs of child victims").
    pub label: String,
    /// Its criteria.
    pub criteria: Vec<String>,
}

/// A sentence the regional summary adds at some levels where the rubric's criteria support
/// it: how children compare with other vulnerable groups, whether victims are informed of
/// their rights and referred.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Highlight {
    /// Contrast the groups, or state each.
    pub kind: HighlightKind,
    /// The levels whose summary carries it.
    pub levels: Vec<Level>,
    /// The groups, in order.
    pub groups: Vec<HighlightGroup>,
}

/// A validated rubric, with any base rubric it extends already resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rubric {
    /// Stable id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Version string.
    pub version: String,
    /// Description.
    pub description: String,
    /// SHA-256 (hex) of the rubric file and, for an extension, of the files it extends.
    pub sha256: String,
    /// Ids of the rubrics this one extends, nearest first.
    pub extends: Vec<String>,
    /// Level weights W_L.
    pub levels: LevelWeights,
    /// Status points.
    pub points: Points,
    /// Rating bands, highest first.
    pub bands: Vec<Band>,
    /// The least coverage (percent, 0–100) a profile needs to be rated; under it the rating
    /// is `INSUFFICIENT_EVIDENCE`.
    pub min_coverage: f64,
    /// The fundamental principles.
    pub principles: Vec<Category>,
    /// The types of assistance.
    pub assistance_types: Vec<Category>,
    /// Default guidance per level.
    pub guidance: BTreeMap<Level, LevelGuidance>,
    /// The criteria, in rubric order.
    pub criteria: Vec<Criterion>,
    /// Sentences of the regional summary the criteria support (may be empty).
    pub highlights: Vec<Highlight>,
    /// The file it was loaded from.
    #[serde(skip)]
    pub path: PathBuf,
}

impl Rubric {
    /// The criterion with `id`.
    pub(crate) fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// Whether a profile written for rubric `id` may be scored against this rubric: the ids
    /// match, or this rubric extends `id`.
    pub(crate) fn accepts(&self, id: &str) -> bool {
        self.id == id || self.extends.iter().any(|e| e == id)
    }

    /// The title of principle `id` (the id itself if unknown).
    pub(crate) fn principle_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.principles
            .iter()
            .find(|p| p.id == id)
            .map_or(id, |p| p.title.as_str())
    }

    /// The title of assistance type `id` (the id itself if unknown).
    pub(crate) fn assistance_type_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.assistance_types
            .iter()
            .find(|p| p.id == id)
            .map_or(id, |p| p.title.as_str())
    }

    /// The rating for an overall score.
    pub(crate) fn rating(&self, score: f64) -> Option<&str> {
        self.bands
            .iter()
            .find(|b| score >= b.min)
            .map(|b| b.label.as_str())
    }

    /// Guidance for `criterion` at `level`: its own, else the rubric's default.
    pub(crate) fn guidance_for<'a>(
        &'a self,
        criterion: &'a Criterion,
        level: Level,
    ) -> Option<&'a LevelGuidance> {
        criterion
            .guidance
            .get(&level)
            .or_else(|| self.guidance.get(&level))
    }
}

/// A country: ISO 3166-1 alpha-2 code (upper case) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    /// ISO 3166-1 alpha-2, upper case.
    pub code: String,
    /// Name used in reports.
    pub name: String,
}

impl Country {
    /// Whether `code` is written as an ISO 3166-1 alpha-2 code: two upper-case ASCII letters.
    pub(crate) fn is_valid_code(code: &str) -> bool {
        code.len() == 2 && code.chars().all(|c| c.is_ascii_uppercase())
    }
}

/// The kind of a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A statute, decree or other binding legal instrument.
    Law,
    /// A policy, plan, guideline, procedure or agreement.
    Policy,
    /// A report, study or news item describing practice.
    Report,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// The key used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Law => "law",
            SourceKind::Policy => "policy",
            SourceKind::Report => "report",
            SourceKind::Other => "other",
        }
    }
}

/// A source a profile cites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Id used in evidence strings.
    pub id: String,
    /// Full title (law with its number and year).
    pub title: String,
    /// Kind.
    pub kind: SourceKind,
    /// Year of publication or enactment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Publisher or issuing body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Where it can be found.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// A remark (for a source without a URL, where it can be found).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the source's id is written.
    #[serde(skip)]
    pub loc: Loc,
}

/// One evidence citation: a source id and an optional pinpoint (`s.23`, `art.14(7)`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    /// Id of a source of the profile.
    pub source: String,
    /// Section, article, page or other pinpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinpoint: Option<String>,
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pinpoint {
            Some(p) => write!(f, "{} {}", self.source, p),
            None => f.write_str(&self.source),
        }
    }
}

/// One assessed cell: a criterion at a level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// The status.
    pub status: Status,
    /// Evidence citations.
    pub evidence: Vec<Evidence>,
    /// Plain-words note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where the cell's status is written.
    #[serde(skip)]
    pub loc: Loc,
}

/// A good practice or a challenge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// What it is, in plain words.
    pub text: String,
    /// Criteria it concerns.
    pub criteria: Vec<String>,
    /// Evidence citations.
    pub evidence: Vec<Evidence>,
}

/// A validated country profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Profile {
    /// The file it was loaded from, as given by the user.
    #[serde(skip)]
    pub path: PathBuf,
    /// The country.
    pub country: Country,
    /// Where the country is written (the value of `country:`).
    #[serde(skip)]
    pub country_loc: Loc,
    /// Id of the rubric the profile answers.
    pub rubric: String,
    /// The date the assessment describes.
    pub as_of: Date,
    /// What the profile was compiled from.
    pub compiled_from: Option<String>,
    /// The status of the assessment, shown in every report of it ("a starting assessment
    /// compiled from public sources, for expert review").
    pub status: Option<String>,
    /// A summary paragraph.
    pub summary: Option<String>,
    /// Sources, in file order.
    pub sources: Vec<Source>,
    /// criterion id → level → cell.
    pub assessments: BTreeMap<String, BTreeMap<Level, Cell>>,
    /// Good practices.
    pub good_practices: Vec<Finding>,
    /// Challenges.
    pub challenges: Vec<Finding>,
}

impl Profile {
    /// The profile as a regional comparison keeps it: without each cell's note and
    /// citations, the summary and `compiled_from`, which no comparison shows (it shows the
    /// statuses, and cites the sources of the good practices and challenges): most of a
    /// profile's size, so a comparison of hundreds of profiles holds a fraction of them.
    pub(crate) fn for_comparison(mut self) -> Profile {
        for cells in self.assessments.values_mut() {
            for cell in cells.values_mut() {
                cell.note = None;
                cell.evidence = Vec::new();
            }
        }
        self.summary = None;
        self.compiled_from = None;
        self
    }

    /// The cell for `criterion` at `level`, if assessed.
    pub(crate) fn cell(&self, criterion: &str, level: Level) -> Option<&Cell> {
        self.assessments.get(criterion)?.get(&level)
    }

    /// The status of a cell; unassessed cells count as `unknown`.
    pub fn status(&self, criterion: &str, level: Level) -> Status {
        self.cell(criterion, level)
            .map_or(Status::Unknown, |c| c.status)
    }

    /// The source with `id`.
    pub(crate) fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

impl Region {
    /// Whether the state with `code` is a member on `date` (listed, and joined by then).
    pub(crate) fn is_member_on(&self, code: &str, date: Date) -> bool {
        self.members.iter().any(|m| m.code == code)
            && self.joined.get(code).is_none_or(|j| *j <= date)
    }

    /// The members on `date`, in file order.
    pub(crate) fn members_on(&self, date: Date) -> Vec<&Country> {
        self.members
            .iter()
            .filter(|m| self.is_member_on(&m.code, date))
            .collect()
    }
}

/// A region: its members and the rubric their profiles answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    /// The file it was loaded from.
    #[serde(skip)]
    pub path: PathBuf,
    /// Stable id (`asean`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Id of the rubric member profiles answer.
    pub rubric: String,
    /// The status of the region's data, shown in every report and comparison of it.
    pub status: Option<String>,
    /// Member states, in file order (every state ever listed, whatever its date of joining).
    pub members: Vec<Country>,
    /// The date each member joined, by code (a member without one counts from the start).
    pub joined: BTreeMap<String, Date>,
    /// Where each member's code is written in the region file, by code.
    #[serde(skip)]
    pub member_locs: BTreeMap<String, Loc>,
}
