//! Building one country's [`Report`] from its profile and the rubric: the rows, sections and
//! gap lines the renderers print, with the profile's sources numbered.

use super::*;

/// Builds the report of `profile` scored against `rubric` (the caller has checked that the
/// rubric accepts the profile).
pub(crate) fn build(profile: &Profile, rubric: &Rubric) -> Report {
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
pub(super) fn principle_rows(
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
pub(super) fn level_sections(
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
pub(super) fn implementation_gaps(
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
pub(super) fn answer(status: Status) -> &'static str {
    match status {
        Status::Full => "Yes.",
        Status::Partial => "In part.",
        Status::None => "No.",
        Status::Unknown => "No evidence was found either way.",
        Status::NotApplicable => "Does not apply.",
    }
}

/// Numbered citations of `evidence`, in the order written, duplicates dropped.
pub(super) fn cite(profile: &Profile, evidence: &[Evidence]) -> Vec<Citation> {
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
pub(super) fn type_level(
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
pub(super) fn summary_status(c: &StatusCounts) -> Status {
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
pub(super) fn criterion_score(profile: &Profile, rubric: &Rubric, c: &Criterion) -> Option<Pct> {
    weighted_mean(c.levels.iter().filter_map(|&l| {
        rubric
            .points
            .of(profile.status(&c.id, l))
            .map(|p| (rubric.levels.get(l), p))
    }))
    .map(Pct::from_fraction)
}
