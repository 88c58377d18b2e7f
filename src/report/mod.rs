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

mod build;

pub(crate) use build::*;

/// Version of the report JSON contract. Bumped on any incompatible change.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// How many of a principle's weakest criteria a report names.
pub(crate) const WEAKEST_PER_PRINCIPLE: usize = 2;

/// The rubric a report was computed with: two reports are comparable when id, version and
/// sha256 match.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct RubricInfo {
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
pub(crate) struct Headline {
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
    pub(crate) fn rating_words(&self) -> String {
        score::rating_words(self.rating.as_deref(), self.coverage, self.min_coverage)
    }
}

/// One citation: a numbered reference to an entry of the report's sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Citation {
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
    pub(crate) fn label(&self) -> String {
        citation_label(self.number, &self.source, self.pinpoint.as_deref())
    }
}

/// A citation as printed, in every report and the comparison: `[3]`, `[3, s.23]`; the source
/// id when the source is not numbered.
pub(crate) fn citation_label(
    number: Option<usize>,
    source: &str,
    pinpoint: Option<&str>,
) -> String {
    let n = number.map_or_else(|| source.to_string(), |n| n.to_string());
    match pinpoint {
        Some(p) => format!("[{n}, {p}]"),
        None => format!("[{n}]"),
    }
}

/// One type of assistance at one level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TypeLevel {
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
pub(crate) struct TypeRow {
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
pub(crate) struct CriterionScore {
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
    pub(crate) fn label(&self) -> String {
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
pub(crate) struct PrincipleRow {
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
pub(crate) struct Statement {
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
pub(crate) struct LevelSection {
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
    pub(crate) fn summary(&self) -> String {
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
    pub(crate) fn groups(&self) -> [(&'static str, &[Statement]); 5] {
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
pub(crate) struct GapLine {
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
pub(crate) struct ImplementationGaps {
    /// Provided in law, short in practice.
    pub in_law_not_in_practice: Vec<GapLine>,
    /// Provided in practice beyond what the law guarantees.
    pub in_practice_without_law: Vec<GapLine>,
    /// Provided in law, short in policy.
    pub in_law_not_in_policy: Vec<GapLine>,
}

impl ImplementationGaps {
    /// The groups in report order with their headings.
    pub(crate) fn groups(&self) -> [(&'static str, &[GapLine]); 3] {
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
    pub(crate) fn len(&self) -> usize {
        self.groups().iter().map(|(_, g)| g.len()).sum()
    }

    /// Whether there is no gap.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A criterion named by a good practice or challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct CriterionRef {
    /// Criterion id.
    pub id: String,
    /// Criterion title (the id when the rubric does not know it).
    pub title: String,
}

/// A good practice or a challenge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct FindingLine {
    /// What it is, in plain words.
    pub text: String,
    /// The criteria it concerns.
    pub criteria: Vec<CriterionRef>,
    /// Evidence, as numbered references.
    pub citations: Vec<Citation>,
}

/// One numbered source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct SourceEntry {
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
pub(crate) struct Report {
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

/// Several reports: the JSON written for more than one profile (streamed by `report`; the
/// type states its shape for the tests).
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct ReportSet {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// The reports, in input order.
    pub reports: Vec<Report>,
}

/// One country in an index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct IndexEntry {
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
pub(crate) struct Index {
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
pub(crate) struct Summary {
    /// The index entry, `file` unset.
    pub entry: IndexEntry,
    /// The rubric the report was computed with.
    pub rubric: RubricInfo,
}

impl Summary {
    /// The summary of `r`.
    pub(crate) fn of(r: &Report) -> Summary {
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
pub(crate) fn index(summaries: &[Summary], ext: Option<&str>) -> Index {
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
pub(crate) fn name_order(a: &Country, b: &Country) -> std::cmp::Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.code.cmp(&b.code))
}

/// The file name of a country's report: `<code>.<ext>`, code in lower case.
pub(crate) fn file_name(country: &Country, ext: &str) -> String {
    format!("{}.{ext}", country.code.to_lowercase())
}

pub(crate) use crate::score::weighted_mean;

/// Whether `url` may become a link: http(s) and no whitespace or control characters.
pub(crate) fn is_linkable(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
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
