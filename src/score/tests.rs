//! Scoring arithmetic against hand-computed expectations (the numbers are worked out in the
//! comments; docs/methodology.md walks through the same method).

use std::collections::BTreeMap;

use super::*;
use crate::model::{
    Band, Category, Cell, Criterion, Evidence, LevelWeights, Loc, Points, Profile, Rubric,
};

fn crit(id: &str, weight: f64, principles: &[&str], ty: &str, levels: &[Level]) -> Criterion {
    Criterion {
        id: id.into(),
        title: id.into(),
        question: format!("{id}?"),
        principles: principles.iter().map(|s| s.to_string()).collect(),
        assistance_type: ty.into(),
        weight,
        levels: levels.to_vec(),
        references: vec![],
        guidance: BTreeMap::new(),
        loc: Loc::default(),
    }
}

fn cat(id: &str) -> Category {
    Category {
        id: id.into(),
        title: id.to_uppercase(),
    }
}

/// Criteria a (w 2; p1; t1; all levels), b (w 1; p1, p2; t2; law and practice) and
/// c (w 1; p2; t2; all levels); level weights law 2, policy 1, practice 1.
pub(crate) fn rubric() -> Rubric {
    use Level::*;
    Rubric {
        id: "test".into(),
        title: "Test".into(),
        version: "1".into(),
        description: String::new(),
        sha256: "0".repeat(64),
        extends: vec![],
        levels: LevelWeights {
            law: 2.0,
            policy: 1.0,
            practice: 1.0,
        },
        points: Points::default(),
        bands: vec![
            Band {
                label: "strong".into(),
                min: 75.0,
            },
            Band {
                label: "substantial".into(),
                min: 50.0,
            },
            Band {
                label: "limited".into(),
                min: 25.0,
            },
            Band {
                label: "minimal".into(),
                min: 0.0,
            },
        ],
        min_coverage: crate::model::DEFAULT_MIN_COVERAGE,
        principles: vec![cat("p1"), cat("p2")],
        assistance_types: vec![cat("t1"), cat("t2")],
        guidance: BTreeMap::new(),
        criteria: vec![
            crit("a", 2.0, &["p1"], "t1", &[Law, Policy, Practice]),
            crit("b", 1.0, &["p1", "p2"], "t2", &[Law, Practice]),
            crit("c", 1.0, &["p2"], "t2", &[Law, Policy, Practice]),
        ],
        highlights: vec![],
        path: Default::default(),
    }
}

pub(crate) fn profile(cells: &[(&str, Level, Status)]) -> Profile {
    let mut assessments: BTreeMap<String, BTreeMap<Level, Cell>> = BTreeMap::new();
    for (c, l, s) in cells {
        assessments.entry(c.to_string()).or_default().insert(
            *l,
            Cell {
                status: *s,
                evidence: vec![Evidence {
                    source: "src".into(),
                    pinpoint: None,
                }],
                note: Some("n".into()),
                loc: Loc::default(),
            },
        );
    }
    Profile {
        path: "xx.yaml".into(),
        country: Country {
            code: "XX".into(),
            name: "Testland".into(),
        },
        country_loc: Loc::default(),
        rubric: "test".into(),
        as_of: crate::date::parse("2024-06-30").unwrap(),
        compiled_from: None,
        summary: None,
        status: None,
        sources: vec![],
        assessments,
        good_practices: vec![],
        challenges: vec![],
    }
}

fn mixed() -> Profile {
    use Level::*;
    use Status::*;
    profile(&[
        ("a", Law, Full),
        ("a", Policy, Partial),
        ("a", Practice, None),
        ("b", Law, Full),
        ("b", Practice, Unknown),
        ("c", Law, NotApplicable),
        ("c", Policy, Full),
        ("c", Practice, Partial),
    ])
}

fn approx(actual: Option<Pct>, expected: f64) {
    let a = actual.expect("score defined").0;
    assert!((a - expected).abs() < 1e-9, "{a} != {expected}");
}

#[test]
fn level_scores_weight_criteria_and_skip_not_applicable() {
    let card = score(&mixed(), &rubric());
    // law: a (2 × 1) + b (1 × 1); c is not_applicable → 3 / 3
    approx(card.score.levels.law, 100.0);
    // policy: a (2 × 0.5) + c (1 × 1) → 2 / 3
    approx(card.score.levels.policy, 200.0 / 3.0);
    // practice: a (2 × 0) + b unknown (1 × 0) + c (1 × 0.5) → 0.5 / 4
    approx(card.score.levels.practice, 12.5);
}

#[test]
fn overall_uses_unequal_level_weights() {
    let card = score(&mixed(), &rubric());
    // (2 × 1 + 1 × 2/3 + 1 × 0.125) / 4 = 0.6979166…
    approx(card.score.overall, (2.0 + 2.0 / 3.0 + 0.125) / 4.0 * 100.0);
    assert_eq!(card.score.overall.unwrap().to_string(), "69.8");
    assert_eq!(card.score.rating.as_deref(), Some("substantial"));
}

#[test]
fn principle_and_type_scores_weight_cells_by_criterion_and_level() {
    let card = score(&mixed(), &rubric());
    // p1 = a and b. Cell weights w·W: a law 4 (1), a policy 2 (0.5), a practice 2 (0),
    // b law 2 (1), b practice 1 (0) → 7 / 11
    approx(card.score.principles.get("p1"), 700.0 / 11.0);
    // p2 = b and c: b law 2 (1), b practice 1 (0), c policy 1 (1), c practice 1 (0.5);
    // c law is not_applicable → 3.5 / 5
    approx(card.score.principles.get("p2"), 70.0);
    // t1 = a → 5 / 8; t2 = b and c → same cells as p2
    approx(card.score.assistance_types.get("t1"), 62.5);
    approx(card.score.assistance_types.get("t2"), 70.0);
}

#[test]
fn coverage_counts_weight_of_known_cells() {
    let card = score(&mixed(), &rubric());
    // scored cell weights: a 4+2+2, b 2+1, c 1+1 (c law is not_applicable) = 13;
    // unknown: b practice (1) → 12 / 13
    approx(Some(card.score.coverage), 1200.0 / 13.0);
    assert_eq!(card.counts.unknown, 1);
    assert_eq!(card.counts.not_applicable, 1);
    assert_eq!(card.counts.total(), 8);
}

#[test]
fn gaps_are_sorted_by_severity_then_id() {
    let card = score(&mixed(), &rubric());
    // scored weight 13 (15 minus c law, not_applicable)
    let got: Vec<(String, Level, f64)> = card
        .gaps
        .iter()
        .map(|g| (g.criterion.clone(), g.level, g.severity.0))
        .collect();
    let want = [
        ("a", Level::Practice, 2.0 / 13.0),
        ("a", Level::Policy, 1.0 / 13.0),
        ("b", Level::Practice, 1.0 / 13.0),
        ("c", Level::Practice, 0.5 / 13.0),
    ];
    assert_eq!(got.len(), want.len());
    for ((c, l, s), (wc, wl, ws)) in got.iter().zip(want) {
        assert_eq!((c.as_str(), *l), (wc, wl));
        assert!((s - ws * 100.0).abs() < 1e-9);
    }
}

#[test]
fn implementation_gaps_compare_law_with_practice_and_policy() {
    let card = score(&mixed(), &rubric());
    let got: Vec<(String, GapKind, f64)> = card
        .implementation_gaps
        .iter()
        .map(|g| (g.criterion.clone(), g.kind, g.difference))
        .collect();
    // a: full in law, none in practice (1.0) and partial in policy (0.5);
    // b: practice unknown → not a gap; c: law not_applicable → not a gap
    assert_eq!(
        got,
        vec![
            ("a".to_string(), GapKind::InLawNotInPractice, 1.0),
            ("a".to_string(), GapKind::InLawNotInPolicy, 0.5),
        ]
    );
}

#[test]
fn practice_without_law_is_found() {
    use Level::*;
    use Status::*;
    let p = profile(&[("c", Law, None), ("c", Practice, Full)]);
    let gaps = implementation_gaps(&p, &rubric());
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].kind, GapKind::InPracticeWithoutLaw);
    assert_eq!(gaps[0].difference, 1.0);
    // partial vs none is exactly 0.5: a gap
    let p = profile(&[("c", Law, Partial), ("c", Practice, None)]);
    assert_eq!(
        implementation_gaps(&p, &rubric())[0].kind,
        GapKind::InLawNotInPractice
    );
    // full vs partial is 0.5 too; partial vs partial is none
    let p = profile(&[("c", Law, Partial), ("c", Practice, Partial)]);
    assert!(implementation_gaps(&p, &rubric()).is_empty());
}

#[test]
fn unassessed_cells_score_as_unknown() {
    let card = score(&profile(&[]), &rubric());
    approx(card.score.overall, 0.0);
    approx(Some(card.score.coverage), 0.0);
    assert_eq!(card.counts.unknown, 8);
    // Coverage 0 is under the default min_coverage of 50: not rated.
    assert_eq!(card.score.rating.as_deref(), Some("insufficient_evidence"));
    assert!(!card.score.is_rated());
    // Every cell unknown: the bounds span the whole scale.
    let b = card.score.bounds.overall.unwrap();
    assert_eq!((b.lower.0, b.upper.0), (0.0, 100.0));
}

#[test]
fn rating_needs_min_coverage_inclusive() {
    use Level::*;
    use Status::*;
    let mut r = rubric();
    r.min_coverage = 60.0;
    // Cell weights w·W: a 4/2/2, b 2/1 (law, practice), c 2/1/1 = 15.
    // Known: a law 4, a policy 2, b law 2, c practice 1 = 9 of 15 = 60% → rated.
    let known = [
        ("a", Law, Full),
        ("a", Policy, Full),
        ("b", Law, Full),
        ("c", Practice, Full),
    ];
    let card = score(&profile(&known), &r);
    approx(Some(card.score.coverage), 60.0);
    assert!(card.score.is_rated());
    assert_ne!(card.score.rating.as_deref(), Some("insufficient_evidence"));
    assert_eq!(card.score.min_coverage.0, 60.0);
    // Without c practice: 8 / 15 = 53.3% < 60 → insufficient evidence; the score is kept.
    let card = score(&profile(&known[..3]), &r);
    approx(Some(card.score.coverage), 800.0 / 15.0);
    assert_eq!(card.score.rating.as_deref(), Some("insufficient_evidence"));
    assert!(card.score.overall.is_some());
    // min_coverage 0 rates every profile.
    r.min_coverage = 0.0;
    let card = score(&profile(&[]), &r);
    assert_eq!(card.score.rating.as_deref(), Some("minimal"));
}

fn approx_range(r: Option<Range>, lower: f64, upper: f64) {
    let r = r.expect("bounds defined");
    assert!(
        (r.lower.0 - lower).abs() < 1e-9,
        "lower {} != {lower}",
        r.lower.0
    );
    assert!(
        (r.upper.0 - upper).abs() < 1e-9,
        "upper {} != {upper}",
        r.upper.0
    );
}

#[test]
fn bounds_put_unknown_cells_at_none_and_at_full() {
    let card = score(&mixed(), &rubric());
    let b = &card.score.bounds;
    // The one unknown cell is b practice (w_c 1, W_practice 1).
    // Law and policy have no unknown cell: a point range.
    approx_range(b.levels.law, 100.0, 100.0);
    approx_range(b.levels.policy, 200.0 / 3.0, 200.0 / 3.0);
    // Practice: a 2·0 + b 1·{0, 1} + c 1·0.5 over 4 → 0.5/4 = 12.5 … 1.5/4 = 37.5.
    approx_range(b.levels.practice, 12.5, 37.5);
    // Overall: (2·1 + 1·2/3 + 1·{0.125, 0.375}) / 4 → 69.79 … 76.04.
    approx_range(
        b.overall,
        (2.0 + 2.0 / 3.0 + 0.125) / 4.0 * 100.0,
        (2.0 + 2.0 / 3.0 + 0.375) / 4.0 * 100.0,
    );
    // p1 (a, b): cell weights 4, 2, 2, 2, 1; b practice 0 … 1 → 7/11 … 8/11.
    approx_range(b.principles.get("p1"), 700.0 / 11.0, 800.0 / 11.0);
    // p2 (b, c): 3.5/5 … 4.5/5; t1 (a) has no unknown; t2 as p2.
    approx_range(b.principles.get("p2"), 70.0, 90.0);
    approx_range(b.assistance_types.get("t1"), 62.5, 62.5);
    approx_range(b.assistance_types.get("t2"), 70.0, 90.0);
    // The lower bound is the score itself (unknown earns what none earns by default).
    assert_eq!(b.overall.map(|r| r.lower), card.score.overall);
}

#[test]
fn bounds_use_the_rubric_points_of_none_and_full() {
    use Level::*;
    use Status::*;
    let mut r = rubric();
    r.criteria.truncate(1); // a only: law, policy, practice
    r.points.full = 0.8;
    r.points.none = 0.1;
    r.points.unknown = 0.0;
    let p = profile(&[
        ("a", Law, Full),
        ("a", Policy, Unknown),
        ("a", Practice, Unknown),
    ]);
    let b = score(&p, &r).score.bounds;
    // Policy and practice: one unknown cell each → 0.1 … 0.8.
    approx_range(b.levels.policy, 10.0, 80.0);
    // Overall: (2·0.8 + 1·{0.1, 0.8} + 1·{0.1, 0.8}) / 4 → 1.8/4 = 45 … 3.2/4 = 80.
    approx_range(b.overall, 45.0, 80.0);
    // The score itself gives unknown 0 points, under the lower bound: (1.6 + 0 + 0) / 4.
    approx(score(&p, &r).score.overall, 40.0);
    assert_eq!(point_range(&r.points, Unknown), Some((0.1, 0.8)));
    assert_eq!(point_range(&r.points, Full), Some((0.8, 0.8)));
    assert_eq!(point_range(&r.points, NotApplicable), Option::None);
}

#[test]
fn contributions_add_up_to_the_overall_score() {
    let card = score(&mixed(), &rubric());
    let c = |id: &str, l: Level| {
        let x = card
            .cells
            .iter()
            .find(|x| x.criterion == id && x.level == l)
            .unwrap();
        (
            x.level_contribution.map(|c| c.0),
            x.contribution.map(|c| c.0),
        )
    };
    let close = |got: (Option<f64>, Option<f64>), level: f64, overall: f64| {
        let (l, o) = (got.0.unwrap(), got.1.unwrap());
        assert!(
            (l - level).abs() < 1e-9 && (o - overall).abs() < 1e-9,
            "{got:?}"
        );
    };
    // Law: Σ w_c = a 2 + b 1 = 3 (c not applicable); W_law / Σ W = 2 / 4.
    close(c("a", Level::Law), 200.0 / 3.0, 100.0 / 3.0);
    close(c("b", Level::Law), 100.0 / 3.0, 50.0 / 3.0);
    assert_eq!(c("c", Level::Law), (Option::None, Option::None));
    // Policy: Σ w_c = a 2 + c 1 = 3; a 2·0.5, c 1·1; W 1 / 4.
    close(c("a", Level::Policy), 100.0 / 3.0, 25.0 / 3.0);
    close(c("c", Level::Policy), 100.0 / 3.0, 25.0 / 3.0);
    // Practice: Σ w_c = 4; only c earns: 1·0.5 / 4 = 12.5, × 1/4 = 3.125.
    close(c("c", Level::Practice), 12.5, 3.125);
    close(c("b", Level::Practice), 0.0, 0.0);
    let total: f64 = card
        .cells
        .iter()
        .filter_map(|x| x.contribution)
        .map(|c| c.0)
        .sum();
    approx(card.score.overall, total);
}

#[test]
fn status_counts_in_words() {
    let mut c = StatusCounts::default();
    assert_eq!(c.words(), "no cell");
    for s in [
        Status::Full,
        Status::Full,
        Status::Partial,
        Status::Unknown,
        Status::NotApplicable,
    ] {
        c.add(s);
    }
    assert_eq!(
        c.words(),
        "2 full · 1 partial · 1 unknown · 1 not applicable"
    );
}

#[test]
fn a_level_of_only_not_applicable_cells_has_no_score_and_drops_out() {
    use Level::*;
    use Status::*;
    let p = profile(&[
        ("a", Law, Full),
        ("b", Law, Full),
        ("c", Law, Full),
        ("a", Policy, NotApplicable),
        ("c", Policy, NotApplicable),
        ("a", Practice, Full),
        ("b", Practice, None),
        ("c", Practice, None),
    ]);
    let card = score(&p, &rubric());
    assert_eq!(card.score.levels.policy, Option::None);
    // (2 × 1 + 1 × 0.5) / (2 + 1): policy drops out of numerator and denominator
    approx(card.score.levels.practice, 50.0);
    approx(card.score.overall, 2.5 / 3.0 * 100.0);
}

#[test]
fn rubric_points_override_the_defaults() {
    use Level::*;
    use Status::*;
    let mut r = rubric();
    r.points.partial = 0.25;
    r.criteria.truncate(1);
    let p = profile(&[
        ("a", Law, Partial),
        ("a", Policy, Partial),
        ("a", Practice, Partial),
    ]);
    let card = score(&p, &r);
    approx(card.score.overall, 25.0);
}

#[test]
fn zero_level_weight_removes_the_level_from_the_overall() {
    use Level::*;
    use Status::*;
    let mut r = rubric();
    r.levels.practice = 0.0;
    let p = profile(&[
        ("a", Law, Full),
        ("b", Law, Full),
        ("c", Law, Full),
        ("a", Policy, None),
        ("c", Policy, None),
    ]);
    let card = score(&p, &r);
    // (2 × 1 + 1 × 0) / 3; practice (0 %) has weight 0
    approx(card.score.overall, 200.0 / 3.0);
}

#[test]
fn json_rounds_scores_to_one_decimal() {
    let card = score(&mixed(), &rubric());
    let v = serde_json::to_value(&card).unwrap();
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["score"]["overall"], 69.8);
    assert_eq!(v["score"]["bounds"]["overall"]["lower"], 69.8);
    assert_eq!(v["score"]["bounds"]["overall"]["upper"], 76.0);
    assert_eq!(v["score"]["bounds"]["levels"]["practice"]["upper"], 37.5);
    assert_eq!(v["score"]["bounds"]["principles"]["p1"]["upper"], 72.7);
    // Contributions: three decimals; a law 100/3 → 33.333.
    assert_eq!(v["cells"][0]["contribution"], 33.333);
    assert_eq!(v["cells"][0]["level_contribution"], 66.667);
    assert_eq!(v["cells"][0]["note"], "n");
    assert_eq!(v["cells"][0]["evidence"][0]["source"], "src");
    assert_eq!(v["score"]["levels"]["policy"], 66.7);
    assert_eq!(v["score"]["principles"]["p1"], 63.6);
    assert_eq!(v["score"]["coverage"], 92.3);
    assert_eq!(v["gaps"][0]["severity"], 15.4);
    assert_eq!(
        v["implementation_gaps"][0]["kind"],
        "in_law_not_in_practice"
    );
}
