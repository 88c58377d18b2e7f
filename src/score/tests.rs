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
    assert_eq!(card.score.rating.as_deref(), Some("minimal"));
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
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["score"]["overall"], 69.8);
    assert_eq!(v["score"]["levels"]["policy"], 66.7);
    assert_eq!(v["score"]["principles"]["p1"], 63.6);
    assert_eq!(v["score"]["coverage"], 92.3);
    assert_eq!(v["gaps"][0]["severity"], 15.4);
    assert_eq!(
        v["implementation_gaps"][0]["kind"],
        "in_law_not_in_practice"
    );
}
