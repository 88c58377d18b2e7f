//! The gap report model: what `frameaudit report` publishes for one country, laid out like
//! the ACWC key findings (types of assistance × levels, fundamental principles, in law / in
//! policies / in practice, implementation gaps, good practices and challenges, sources).
//!
//! [`build`] is a pure function from a validated profile and its rubric to a [`Report`]. Every
//! number, grouping and sentence is decided here; the renderers (`render::report_text`,
//! `render::markdown`, `render::html`, JSON via serde) only lay it out. The model derives
//! `Serialize`: its JSON is a versioned contract ([`SCHEMA_VERSION`]).

use serde::Serialize;

use crate::model::{
    Country, Criterion, Date, Evidence, Finding, Level, Profile, Rubric, SourceKind, Status,
};
use crate::score::{self, Bounds, GapKind, LevelScores, Pct, Range, StatusCounts};

/// Version of the report JSON contract. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

/// How many of a principle's weakest criteria a report names.
pub const WEAKEST_PER_PRINCIPLE: usize = 2;

/// The rubric a report was computed with: two reports are comparable when id, version and
/// sha256 match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RubricInfo {
    /// Rubric id.
    pub id: String,
    /// Rubric version.
    pub version: String,
    /// SHA-256 of the rubric file(s).
    pub sha256: String,
    /// Rubric title.
    pub title: String,
}

/// The header figures of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Headline {
    /// Overall score S (None when no level has a score).
    pub overall: Option<Pct>,
    /// The rating band of the overall score, or `insufficient_evidence`.
    pub rating: Option<String>,
    /// Share of cell weight whose status is known.
    pub coverage: Pct,
    /// The least coverage the rubric needs to rate a profile.
    pub min_coverage: Pct,
    /// Level scores S_L.
    pub levels: LevelScores,
    /// Cells by status.
    pub counts: StatusCounts,
    /// The bounds of every score (as in the scorecard).
    pub bounds: Bounds,
}

impl Headline {
    /// The rating in words ("limited", "not rated: 27.7% of cells assessed, 50.0% needed").
    pub fn rating_words(&self) -> String {
        score::rating_words(self.rating.as_deref(), self.coverage, self.min_coverage)
    }
}

/// One citation: a numbered reference to an entry of the report's sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Citation {
    /// Id of the source in the profile.
    pub source: String,
    /// Its number in the report's source list (None if the profile does not list it).
    pub number: Option<usize>,
    /// Section, article, page or other pinpoint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pinpoint: Option<String>,
}

impl Citation {
    /// The reference as printed: `[3]`, `[3, s.23]` (the source id when it is not numbered).
    pub fn label(&self) -> String {
        let n = self
            .number
            .map_or_else(|| self.source.clone(), |n| n.to_string());
        match &self.pinpoint {
            Some(p) => format!("[{n}, {p}]"),
            None => format!("[{n}]"),
        }
    }
}

/// One type of assistance at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeLevel {
    /// The level.
    pub level: Level,
    /// Weighted mean of the type's criteria at this level (None when none is scored).
    pub score: Option<Pct>,
    /// Its bounds: the unknown cells at `none` and at `full`.
    pub bounds: Option<Range>,
    /// The cells summed up in one status: `full` when every scored cell is full, `none` when
    /// every scored cell is none or unknown (at least one none), `unknown` when every scored
    /// cell is unknown, `not_applicable` when no cell is scored, else `partial`.
    pub status: Status,
    /// The cells by status.
    pub counts: StatusCounts,
}

/// One type of assistance, by level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeRow {
    /// Type id.
    pub id: String,
    /// Type title.
    pub title: String,
    /// The type's score over all levels.
    pub score: Option<Pct>,
    /// Its bounds.
    pub bounds: Option<Range>,
    /// The three levels, in report order.
    pub levels: Vec<TypeLevel>,
}

/// A criterion with its score over all levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionScore {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// Weighted mean of its cells over the levels (None when none is scored).
    pub score: Option<Pct>,
    /// Whether every scored cell of the criterion is `unknown` (its score is then 0 for want
    /// of evidence, not because the state was found to fall short).
    pub unknown: bool,
}

impl CriterionScore {
    /// The score as printed after the title: `33.3`, or `? unknown` when every cell is unknown.
    pub fn label(&self) -> String {
        if self.unknown {
            format!("{} unknown", Status::Unknown.symbol())
        } else {
            self.score
                .map_or_else(|| "n/a".to_string(), |s| s.to_string())
        }
    }
}

/// One fundamental principle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrincipleRow {
    /// Principle id.
    pub id: String,
    /// Principle title.
    pub title: String,
    /// The principle's score.
    pub score: Option<Pct>,
    /// Its bounds.
    pub bounds: Option<Range>,
    /// Its lowest-scoring criteria below 100, weakest first (at most
    /// [`WEAKEST_PER_PRINCIPLE`]; ties in rubric order).
    pub weakest: Vec<CriterionScore>,
}

/// One line of an "in law / in policies / in practice" section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// The question the criterion asks.
    pub question: String,
    /// The cell's status.
    pub status: Status,
    /// What a reader is told: the cell's note, or, without one, the question and a short
    /// answer ("In part.").
    pub text: String,
    /// Evidence, as numbered references to the sources.
    pub citations: Vec<Citation>,
}

/// What one level provides, grouped by status.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelSection {
    /// The level.
    pub level: Level,
    /// "In law", "In policies", "In practice".
    pub heading: String,
    /// The level score S_L.
    pub score: Option<Pct>,
    /// Its bounds.
    pub bounds: Option<Range>,
    /// The level's cells by status.
    pub counts: StatusCounts,
    /// `full` cells.
    pub provided: Vec<Statement>,
    /// `partial` cells.
    pub partial: Vec<Statement>,
    /// `none` cells.
    pub missing: Vec<Statement>,
    /// `unknown` cells (including criteria the profile does not assess).
    pub unknown: Vec<Statement>,
    /// `not_applicable` cells.
    pub not_applicable: Vec<Statement>,
}

impl LevelSection {
    /// The section's one-line summary: "Score 50.0 (50.0–75.0) · 2 provided, 1 partly
    /// provided, …" (the bounds in brackets when unknown cells move the score).
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let score = match (self.score, self.bounds) {
            (Some(s), Some(b)) if !b.is_point() => format!("{s} ({})", b.label()),
            (Some(s), _) => s.to_string(),
            (None, _) => "n/a".to_string(),
        };
        format!(
            "Score {score} · {} provided, {} partly provided, {} missing, {} unknown, {} not applicable",
            c.full, c.partial, c.none, c.unknown, c.not_applicable
        )
    }

    /// The groups in report order with their headings: Provided, Partial, Missing, Unknown,
    /// Not applicable.
    pub fn groups(&self) -> [(&'static str, &[Statement]); 5] {
        [
            ("Provided", &self.provided),
            ("Partly provided", &self.partial),
            ("Missing", &self.missing),
            ("Unknown", &self.unknown),
            ("Not applicable", &self.not_applicable),
        ]
    }
}

/// One implementation gap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapLine {
    /// Criterion id.
    pub criterion: String,
    /// Criterion title.
    pub title: String,
    /// Stable finding code (`law-practice-gap`, `practice-without-law`, `law-policy-gap`).
    pub code: String,
    /// Status in law.
    pub law: Status,
    /// The other level compared.
    pub other_level: Level,
    /// Status at the other level.
    pub other: Status,
    /// Evidence of both cells.
    pub citations: Vec<Citation>,
}

/// Implementation gaps, by direction (each in rubric order).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ImplementationGaps {
    /// Provided in law, short in practice.
    pub in_law_not_in_practice: Vec<GapLine>,
    /// Provided in practice beyond what the law guarantees.
    pub in_practice_without_law: Vec<GapLine>,
    /// Provided in law, short in policy.
    pub in_law_not_in_policy: Vec<GapLine>,
}

impl ImplementationGaps {
    /// The groups in report order with their headings.
    pub fn groups(&self) -> [(&'static str, &[GapLine]); 3] {
        [
            ("In law, not in practice", &self.in_law_not_in_practice),
            (
                "In practice, without legal guarantee",
                &self.in_practice_without_law,
            ),
            ("In law, not in policy", &self.in_law_not_in_policy),
        ]
    }

    /// All gaps.
    pub fn len(&self) -> usize {
        self.groups().iter().map(|(_, g)| g.len()).sum()
    }

    /// Whether there is no gap.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A criterion named by a good practice or challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionRef {
    /// Criterion id.
    pub id: String,
    /// Criterion title (the id when the rubric does not know it).
    pub title: String,
}

/// A good practice or a challenge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingLine {
    /// What it is, in plain words.
    pub text: String,
    /// The criteria it concerns.
    pub criteria: Vec<CriterionRef>,
    /// Evidence, as numbered references.
    pub citations: Vec<Citation>,
}

/// One numbered source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEntry {
    /// 1-based number, as cited.
    pub number: usize,
    /// Id in the profile.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: SourceKind,
    /// Year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Publisher or issuing body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Where it can be found, as written in the profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Whether `url` may be shown as a link (an http or https URL without spaces).
    pub linkable: bool,
    /// A remark.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The gap report of one country.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// The country.
    pub country: Country,
    /// The date the profile describes.
    pub as_of: Date,
    /// The rubric used.
    pub rubric: RubricInfo,
    /// What the profile was compiled from.
    pub compiled_from: Option<String>,
    /// The profile's summary paragraph.
    pub summary: Option<String>,
    /// The status of the assessment: the profile's status line, else its region's ("a
    /// starting assessment … not an official finding"). Every format shows it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Overall score, rating, coverage, level scores.
    pub headline: Headline,
    /// Types of assistance by level.
    pub assistance_types: Vec<TypeRow>,
    /// Fundamental principles with their weakest criteria.
    pub principles: Vec<PrincipleRow>,
    /// In law, in policies, in practice.
    pub levels: Vec<LevelSection>,
    /// Where law and practice (or policy) disagree.
    pub implementation_gaps: ImplementationGaps,
    /// Good practices, in profile order.
    pub good_practices: Vec<FindingLine>,
    /// Challenges, in profile order.
    pub challenges: Vec<FindingLine>,
    /// Sources, numbered in profile order.
    pub sources: Vec<SourceEntry>,
}

/// Several reports: the JSON written for more than one profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSet {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// The reports, in input order.
    pub reports: Vec<Report>,
}

/// One country in an index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexEntry {
    /// The country.
    pub country: Country,
    /// The date the profile describes.
    pub as_of: Date,
    /// Id of the rubric used (see [`Index::rubrics`]).
    pub rubric: String,
    /// Overall score.
    pub overall: Option<Pct>,
    /// Rating (a band, or `insufficient_evidence`).
    pub rating: Option<String>,
    /// Coverage.
    pub coverage: Pct,
    /// The status of the assessment (see [`Report::status`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The least coverage the rubric needs to rate a profile.
    pub min_coverage: Pct,
    /// Bounds of the overall score.
    pub bounds: Option<Range>,
    /// The country's report file, relative to the index (None on stdout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// An overview of several reports: the index of `report -o DIR`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Index {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// The rubrics used, sorted by id.
    pub rubrics: Vec<RubricInfo>,
    /// The status lines of the reports, each distinct text once, in the order of the countries.
    pub caveats: Vec<String>,
    /// The countries, sorted by name (then code).
    pub countries: Vec<IndexEntry>,
    /// The regional comparison written beside the reports, relative to the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparison: Option<String>,
}

/// What the index needs of one report: its entry (no file yet) and its rubric, so that a
/// run can drop the report once it is rendered.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The index entry, `file` unset.
    pub entry: IndexEntry,
    /// The rubric the report was computed with.
    pub rubric: RubricInfo,
}

impl Summary {
    /// The summary of `r`.
    pub fn of(r: &Report) -> Summary {
        Summary {
            entry: IndexEntry {
                country: r.country.clone(),
                as_of: r.as_of,
                rubric: r.rubric.id.clone(),
                overall: r.headline.overall,
                rating: r.headline.rating.clone(),
                coverage: r.headline.coverage,
                status: r.status.clone(),
                min_coverage: r.headline.min_coverage,
                bounds: r.headline.bounds.overall,
                file: None,
            },
            rubric: r.rubric.clone(),
        }
    }
}

/// The index of the summarised reports, sorted by country name (then code); with `ext`,
/// each entry links to `<code>.<ext>`.
pub fn index(summaries: &[Summary], ext: Option<&str>) -> Index {
    let mut rubrics: Vec<RubricInfo> = summaries.iter().map(|s| s.rubric.clone()).collect();
    rubrics.sort();
    rubrics.dedup();
    let mut caveats: Vec<String> = Vec::new();
    for s in summaries {
        if let Some(t) = &s.entry.status
            && !caveats.contains(t)
        {
            caveats.push(t.clone());
        }
    }
    let mut countries: Vec<IndexEntry> = summaries
        .iter()
        .map(|s| IndexEntry {
            file: ext.map(|e| file_name(&s.entry.country, e)),
            ..s.entry.clone()
        })
        .collect();
    countries.sort_by(|a, b| name_order(&a.country, &b.country));
    Index {
        schema_version: SCHEMA_VERSION,
        rubrics,
        caveats,
        countries,
        comparison: None,
    }
}

/// The order of an index: by country name, ignoring case, then by code.
pub fn name_order(a: &Country, b: &Country) -> std::cmp::Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.code.cmp(&b.code))
}

/// The file name of a country's report: `<code>.<ext>`, code in lower case.
pub fn file_name(country: &Country, ext: &str) -> String {
    format!("{}.{ext}", country.code.to_lowercase())
}

pub use crate::score::weighted_mean;

/// Whether `url` may become a link: http(s) and no whitespace or control characters.
pub fn is_linkable(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Builds the report of `profile` scored against `rubric` (the caller has checked that the
/// rubric accepts the profile).
pub fn build(profile: &Profile, rubric: &Rubric) -> Report {
    let card = score::score(profile, rubric);
    let s = &card.score;
    let numbers = |ev: &[Evidence]| cite(profile, ev);

    let assistance_types = rubric
        .assistance_types
        .iter()
        .map(|t| {
            let members: Vec<&Criterion> = rubric
                .criteria
                .iter()
                .filter(|c| c.assistance_type == t.id)
                .collect();
            TypeRow {
                id: t.id.clone(),
                title: t.title.clone(),
                score: s.assistance_types.get(&t.id),
                bounds: s.bounds.assistance_types.get(&t.id),
                levels: Level::ALL
                    .into_iter()
                    .map(|l| type_level(profile, rubric, &members, l))
                    .collect(),
            }
        })
        .collect();

    let principles = principle_rows(profile, rubric, &card);

    let levels = level_sections(profile, rubric, &card);

    let gaps = implementation_gaps(profile, rubric, &card);

    let finding = |f: &Finding| FindingLine {
        text: f.text.trim().to_string(),
        criteria: f
            .criteria
            .iter()
            .map(|id| CriterionRef {
                id: id.clone(),
                title: rubric
                    .criterion(id)
                    .map_or_else(|| id.clone(), |c| c.title.clone()),
            })
            .collect(),
        citations: numbers(&f.evidence),
    };

    Report {
        schema_version: SCHEMA_VERSION,
        country: profile.country.clone(),
        as_of: profile.as_of,
        rubric: RubricInfo {
            id: rubric.id.clone(),
            version: rubric.version.clone(),
            sha256: rubric.sha256.clone(),
            title: rubric.title.clone(),
        },
        compiled_from: profile
            .compiled_from
            .as_deref()
            .map(|t| t.trim().to_string()),
        summary: profile.summary.as_deref().map(|t| t.trim().to_string()),
        status: profile.status.clone(),
        headline: Headline {
            overall: s.overall,
            rating: s.rating.clone(),
            coverage: s.coverage,
            min_coverage: s.min_coverage,
            levels: s.levels,
            counts: card.counts,
            bounds: s.bounds.clone(),
        },
        assistance_types,
        principles,
        levels,
        implementation_gaps: gaps,
        good_practices: profile.good_practices.iter().map(finding).collect(),
        challenges: profile.challenges.iter().map(finding).collect(),
        sources: profile
            .sources
            .iter()
            .enumerate()
            .map(|(i, src)| SourceEntry {
                number: i + 1,
                id: src.id.clone(),
                title: src.title.trim().to_string(),
                kind: src.kind,
                year: src.year,
                publisher: src.publisher.clone(),
                url: src.url.clone(),
                linkable: src.url.as_deref().is_some_and(is_linkable),
                note: src.note.as_deref().map(|t| t.trim().to_string()),
            })
            .collect(),
    }
}

/// Each principle's row: its score and its weakest criteria.
fn principle_rows(
    profile: &Profile,
    rubric: &Rubric,
    card: &score::Scorecard,
) -> Vec<PrincipleRow> {
    let s = &card.score;
    rubric
        .principles
        .iter()
        .map(|p| {
            let mut scored: Vec<CriterionScore> = rubric
                .criteria
                .iter()
                .filter(|c| c.principles.contains(&p.id))
                .map(|c| CriterionScore {
                    criterion: c.id.clone(),
                    title: c.title.clone(),
                    score: criterion_score(profile, rubric, c),
                    unknown: c.levels.iter().all(|&l| {
                        matches!(
                            profile.status(&c.id, l),
                            Status::Unknown | Status::NotApplicable
                        )
                    }) && c
                        .levels
                        .iter()
                        .any(|&l| profile.status(&c.id, l) == Status::Unknown),
                })
                .filter(|c| c.score.is_some_and(|s| s.0 < 100.0 - 1e-9))
                .collect();
            // Stable sort: ties keep rubric order.
            scored.sort_by(|a, b| {
                a.score
                    .map_or(0.0, |s| s.0)
                    .total_cmp(&b.score.map_or(0.0, |s| s.0))
            });
            scored.truncate(WEAKEST_PER_PRINCIPLE);
            PrincipleRow {
                id: p.id.clone(),
                title: p.title.clone(),
                score: s.principles.get(&p.id),
                bounds: s.bounds.principles.get(&p.id),
                weakest: scored,
            }
        })
        .collect()
}

/// One section per level: its score, its counts, and each criterion's statement by status.
fn level_sections(
    profile: &Profile,
    rubric: &Rubric,
    card: &score::Scorecard,
) -> Vec<LevelSection> {
    let s = &card.score;
    let by_level = score::counts_by_level(card);
    let numbers = |ev: &[Evidence]| cite(profile, ev);
    Level::ALL
        .into_iter()
        .map(|l| {
            let mut sec = LevelSection {
                level: l,
                heading: l.heading().to_string(),
                score: s.levels.get(l),
                bounds: s.bounds.levels.get(l),
                counts: by_level.get(&l).copied().unwrap_or_default(),
                provided: Vec::new(),
                partial: Vec::new(),
                missing: Vec::new(),
                unknown: Vec::new(),
                not_applicable: Vec::new(),
            };
            for c in rubric.criteria.iter().filter(|c| c.applies(l)) {
                let cell = profile.cell(&c.id, l);
                let status = cell.map_or(Status::Unknown, |x| x.status);
                let note = cell
                    .and_then(|x| x.note.as_deref())
                    .map(str::trim)
                    .filter(|n| !n.is_empty());
                let text = match note {
                    Some(n) => n.to_string(),
                    None if cell.is_none() => {
                        format!("{} Not assessed in this profile.", c.question.trim())
                    }
                    None => format!("{} {}", c.question.trim(), answer(status)),
                };
                let st = Statement {
                    criterion: c.id.clone(),
                    title: c.title.clone(),
                    question: c.question.clone(),
                    status,
                    text,
                    citations: cell.map(|x| numbers(&x.evidence)).unwrap_or_default(),
                };
                match status {
                    Status::Full => sec.provided.push(st),
                    Status::Partial => sec.partial.push(st),
                    Status::None => sec.missing.push(st),
                    Status::Unknown => sec.unknown.push(st),
                    Status::NotApplicable => sec.not_applicable.push(st),
                }
            }
            sec
        })
        .collect()
}

/// The implementation gaps, by direction, in rubric order within each, with their citations.
fn implementation_gaps(
    profile: &Profile,
    rubric: &Rubric,
    card: &score::Scorecard,
) -> ImplementationGaps {
    let numbers = |ev: &[Evidence]| cite(profile, ev);
    let mut gaps = ImplementationGaps::default();
    // Rubric order within each direction.
    for c in &rubric.criteria {
        for g in card
            .implementation_gaps
            .iter()
            .filter(|g| g.criterion == c.id)
        {
            let mut citations = Vec::new();
            for l in [Level::Law, g.other_level] {
                if let Some(cell) = profile.cell(&c.id, l) {
                    for x in numbers(&cell.evidence) {
                        if !citations.contains(&x) {
                            citations.push(x);
                        }
                    }
                }
            }
            let line = GapLine {
                criterion: c.id.clone(),
                title: c.title.clone(),
                code: g.kind.code().to_string(),
                law: g.law,
                other_level: g.other_level,
                other: g.other,
                citations,
            };
            match g.kind {
                GapKind::InLawNotInPractice => gaps.in_law_not_in_practice.push(line),
                GapKind::InPracticeWithoutLaw => gaps.in_practice_without_law.push(line),
                GapKind::InLawNotInPolicy => gaps.in_law_not_in_policy.push(line),
            }
        }
    }
    gaps
}

/// The short answer given after a criterion's question when a cell has no note.
fn answer(status: Status) -> &'static str {
    match status {
        Status::Full => "Yes.",
        Status::Partial => "In part.",
        Status::None => "No.",
        Status::Unknown => "No evidence was found either way.",
        Status::NotApplicable => "Does not apply.",
    }
}

/// Numbered citations of `evidence`, in the order written, duplicates dropped.
fn cite(profile: &Profile, evidence: &[Evidence]) -> Vec<Citation> {
    let mut out: Vec<Citation> = Vec::new();
    for e in evidence {
        let c = Citation {
            source: e.source.clone(),
            number: profile
                .sources
                .iter()
                .position(|s| s.id == e.source)
                .map(|i| i + 1),
            pinpoint: e.pinpoint.clone(),
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The score and summary status of the criteria `members` (one type of assistance) at
/// `level`: Σ w_c·p / Σ w_c over those that apply at the level and are not `not_applicable`.
fn type_level(
    profile: &Profile,
    rubric: &Rubric,
    members: &[&Criterion],
    level: Level,
) -> TypeLevel {
    let mut counts = StatusCounts::default();
    let mut pairs = Vec::new();
    let mut lower = Vec::new();
    let mut upper = Vec::new();
    for c in members.iter().filter(|c| c.applies(level)) {
        let st = profile.status(&c.id, level);
        counts.add(st);
        if let Some(p) = rubric.points.of(st) {
            pairs.push((c.weight, p));
        }
        if let Some((lo, hi)) = score::point_range(&rubric.points, st) {
            lower.push((c.weight, lo));
            upper.push((c.weight, hi));
        }
    }
    let pct = |v: Vec<(f64, f64)>| weighted_mean(v).map(Pct::from_fraction);
    TypeLevel {
        level,
        score: pct(pairs),
        bounds: pct(lower)
            .zip(pct(upper))
            .map(|(lower, upper)| Range { lower, upper }),
        status: summary_status(&counts),
        counts,
    }
}

/// One status for a group of cells (see [`TypeLevel::status`]).
fn summary_status(c: &StatusCounts) -> Status {
    let scored = c.full + c.partial + c.none + c.unknown;
    if scored == 0 {
        Status::NotApplicable
    } else if c.unknown == scored {
        Status::Unknown
    } else if c.full == scored {
        Status::Full
    } else if c.full == 0 && c.partial == 0 {
        Status::None
    } else {
        Status::Partial
    }
}

/// A criterion's score over its levels: Σ W_L·p / Σ W_L over the levels it applies at that
/// are not `not_applicable`.
fn criterion_score(profile: &Profile, rubric: &Rubric, c: &Criterion) -> Option<Pct> {
    weighted_mean(c.levels.iter().filter_map(|&l| {
        rubric
            .points
            .of(profile.status(&c.id, l))
            .map(|p| (rubric.levels.get(l), p))
    }))
    .map(Pct::from_fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_mean_follows_the_contract() {
        assert_eq!(weighted_mean([(2.0, 1.0), (1.0, 0.0)]), Some(2.0 / 3.0));
        assert_eq!(weighted_mean([]), None);
        assert_eq!(weighted_mean([(0.0, 1.0)]), None);
    }

    #[test]
    fn summary_status_rules() {
        let c = |full, partial, none, unknown, not_applicable| StatusCounts {
            full,
            partial,
            none,
            unknown,
            not_applicable,
        };
        assert_eq!(summary_status(&c(0, 0, 0, 0, 2)), Status::NotApplicable);
        assert_eq!(summary_status(&c(0, 0, 0, 2, 1)), Status::Unknown);
        assert_eq!(summary_status(&c(3, 0, 0, 0, 1)), Status::Full);
        assert_eq!(summary_status(&c(0, 0, 1, 2, 0)), Status::None);
        assert_eq!(summary_status(&c(1, 0, 1, 0, 0)), Status::Partial);
        assert_eq!(summary_status(&c(1, 0, 0, 1, 0)), Status::Partial);
    }

    #[test]
    fn only_http_urls_are_links() {
        assert!(is_linkable("https://example.org/a"));
        assert!(is_linkable("HTTP://example.org"));
        assert!(!is_linkable("javascript:alert(1)"));
        assert!(!is_linkable("https://example.org/a b"));
        assert!(!is_linkable("ftp://example.org"));
    }

    #[test]
    fn citation_labels() {
        let c = Citation {
            source: "act".into(),
            number: Some(3),
            pinpoint: Some("s.23".into()),
        };
        assert_eq!(c.label(), "[3, s.23]");
        let c = Citation {
            source: "act".into(),
            number: None,
            pinpoint: None,
        };
        assert_eq!(c.label(), "[act]");
    }
}
