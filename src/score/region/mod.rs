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

mod findings;
mod model;
mod sensitivity;

pub use findings::*;
pub use model::*;
use sensitivity::*;

/// Competition ranks ("1, 2, 2, 4") for overall scores in percent: highest first, scores
/// within [`TIE_EPSILON`] tie, ties ordered by code; None scores are not ranked. Returns the
/// rank of each input, in input order.
pub(crate) fn rank(scores: &[(&str, Option<f64>)]) -> Vec<Option<usize>> {
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
pub(crate) fn rank_ranges(bounds: &[Option<(f64, f64)>]) -> Vec<Option<RankSpan>> {
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
    let mut cards: Vec<Option<Scorecard>> = members
        .iter()
        .map(|(_, p)| p.map(|p| score(p, rubric)))
        .collect();

    let missing: Vec<Country> = members
        .iter()
        .filter(|(_, p)| p.is_none())
        .map(|(m, _)| (*m).clone())
        .collect();
    let profiled = total - missing.len();
    let summary = membership_summary(&missing, total);

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

    // Each state's cells move from its scorecard to its row (the scorecards keep what the
    // challenges need, their implementation gaps).
    let states: Vec<StateRow> = members
        .iter()
        .zip(cards.iter_mut())
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
            cells: c
                .as_mut()
                .map(|c| std::mem::take(&mut c.cells))
                .unwrap_or_default(),
        })
        .collect();

    let ranking = ranking(&states, &ranks, &rated);

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
    let caveats = caveats(region, &members);
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

/// The ranking: ranked states by rank (ties by code), then the others by code, each with why
/// it is not ranked.
fn ranking(states: &[StateRow], ranks: &[Option<usize>], rated: &[bool]) -> Vec<RankEntry> {
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
    order
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
        .collect()
}

/// The caveats of the region and its members' profiles, each text once.
fn caveats(region: &Region, members: &[(&Country, Option<&Profile>)]) -> Vec<Caveat> {
    let mut caveats: Vec<Caveat> = Vec::new();
    if let Some(t) = &region.status {
        caveats.push(Caveat {
            from: "region".into(),
            text: t.clone(),
        });
    }
    for (m, p) in members {
        if let Some(t) = p.and_then(|p| p.status.as_ref())
            && !caveats.iter().any(|c| &c.text == t)
        {
            caveats.push(Caveat {
                from: m.code.clone(),
                text: t.clone(),
            });
        }
    }
    caveats
}

/// "All 10 member states have a profile", or how many have and who has none.
fn membership_summary(missing: &[Country], total: usize) -> String {
    let profiled = total - missing.len();
    if missing.is_empty() {
        format!("All {total} member states have a profile")
    } else {
        let names: Vec<String> = missing.iter().map(code_name).collect();
        format!(
            "{profiled} of {total} member states {} a profile; {} {} none",
            if profiled == 1 { "has" } else { "have" },
            join(&names, "and"),
            if missing.len() == 1 { "has" } else { "have" },
        )
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
