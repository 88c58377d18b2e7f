//! Every point explained (pure): the cells' contributions to the overall score, rolled up by
//! level, by fundamental principle and by type of assistance, with a check that they add up
//! to the overall score, and the sources the cells cite. `score --explain` lays it out.

use serde::Serialize;

use super::{Contribution, Pct, Scorecard};
use crate::model::{Level, Profile, Rubric};

/// A group of cells (a level, a principle or a type) and what it adds to the overall score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rollup {
    /// Level key, principle id or type id.
    pub id: String,
    /// Heading or title.
    pub title: String,
    /// Scored cells in the group.
    pub cells: usize,
    /// Σ of the cells' contributions to the overall score.
    pub contribution: Contribution,
    /// Σ of the cells' maximum contributions (every cell `full`).
    pub max_contribution: Contribution,
    /// Σ of what the group's unknown cells could add (maximum − contribution).
    pub unknown_at_stake: Contribution,
}

/// A source cited by the cells, for the explanation's source list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CitedSource {
    /// Source id.
    pub id: String,
    /// Its title (the id when the profile does not list it).
    pub title: String,
}

/// The roll-ups of one scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// By level: these add up to `total`.
    pub levels: Vec<Rollup>,
    /// By fundamental principle (a criterion testing two principles counts in both, so these
    /// need not add up to `total`).
    pub principles: Vec<Rollup>,
    /// By type of assistance: each criterion has one type, so these add up to `total`.
    pub assistance_types: Vec<Rollup>,
    /// Σ of every cell's contribution: the overall score, up to rounding.
    pub total: Contribution,
    /// The overall score, for the check.
    pub overall: Option<Pct>,
    /// "The 95 cells' contributions add up to 16.31; the overall score is 16.3."
    pub check: String,
    /// The sources the cells cite, in the profile's order.
    pub sources: Vec<CitedSource>,
}

/// Rolls up the contributions of `card`'s cells (scored from `profile` against `rubric`).
pub(crate) fn explain(card: &Scorecard, rubric: &Rubric, profile: &Profile) -> Explanation {
    let rollup = |id: &str, title: &str, member: &dyn Fn(&str, Level) -> bool| {
        let mut r = Rollup {
            id: id.to_string(),
            title: title.to_string(),
            cells: 0,
            contribution: Contribution(0.0),
            max_contribution: Contribution(0.0),
            unknown_at_stake: Contribution(0.0),
        };
        for x in card.cells.iter().filter(|x| member(&x.criterion, x.level)) {
            let (Some(c), Some(m)) = (x.contribution, x.max_contribution) else {
                continue;
            };
            r.cells += 1;
            r.contribution.0 += c.0;
            r.max_contribution.0 += m.0;
            if x.status == crate::model::Status::Unknown {
                r.unknown_at_stake.0 += m.0 - c.0;
            }
        }
        r
    };
    let in_criterion = |id: &str, pick: &dyn Fn(&crate::model::Criterion) -> bool| {
        rubric.criterion(id).is_some_and(pick)
    };
    let levels = Level::ALL
        .into_iter()
        .map(|l| rollup(l.as_str(), l.heading(), &|_, lv| lv == l))
        .collect();
    let principles = rubric
        .principles
        .iter()
        .map(|p| {
            rollup(&p.id, &p.title, &|c, _| {
                in_criterion(c, &|k| k.principles.contains(&p.id))
            })
        })
        .collect();
    let assistance_types = rubric
        .assistance_types
        .iter()
        .map(|t| {
            rollup(&t.id, &t.title, &|c, _| {
                in_criterion(c, &|k| k.assistance_type == t.id)
            })
        })
        .collect();
    let scored: Vec<f64> = card
        .cells
        .iter()
        .filter_map(|x| x.contribution.map(|c| c.0))
        .collect();
    let total = Contribution(scored.iter().sum());
    let overall = card.score.overall;
    let check = format!(
        "The {} scored cells' contributions add up to {:.2}; the overall score is {}.",
        scored.len(),
        total.0,
        overall.map_or_else(|| "not defined".to_string(), |p| p.to_string())
    );
    let mut cited: Vec<&str> = Vec::new();
    for x in &card.cells {
        for e in &x.evidence {
            if !cited.contains(&e.source.as_str()) {
                cited.push(&e.source);
            }
        }
    }
    let mut sources: Vec<CitedSource> = profile
        .sources
        .iter()
        .filter(|s| cited.contains(&s.id.as_str()))
        .map(|s| CitedSource {
            id: s.id.clone(),
            title: s.title.trim().to_string(),
        })
        .collect();
    for id in cited {
        if profile.source(id).is_none() {
            sources.push(CitedSource {
                id: id.to_string(),
                title: id.to_string(),
            });
        }
    }
    Explanation {
        levels,
        principles,
        assistance_types,
        total,
        overall,
        check,
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Level::*;
    use crate::model::Status::*;
    use crate::score::score;
    use crate::score::tests::{profile, rubric};

    #[test]
    fn rollups_add_up_by_level_and_by_type() {
        // The mixed profile of score::tests: contributions a law 100/3, b law 50/3,
        // a policy 25/3, c policy 25/3, c practice 3.125 (the rest 0) → 69.79.
        let p = profile(&[
            ("a", Law, Full),
            ("a", Policy, Partial),
            ("a", Practice, None),
            ("b", Law, Full),
            ("b", Practice, Unknown),
            ("c", Law, NotApplicable),
            ("c", Policy, Full),
            ("c", Practice, Partial),
        ]);
        let r = rubric();
        let card = score(&p, &r);
        let e = explain(&card, &r, &p);
        let close = |a: f64, b: f64| assert!((a - b).abs() < 1e-9, "{a} != {b}");
        close(e.total.0, card.score.overall.unwrap().0);
        // Law: 100/3 + 50/3 = 50; its maximum is the whole law share: W 2 / 4 = 50.
        close(e.levels[0].contribution.0, 50.0);
        close(e.levels[0].max_contribution.0, 50.0);
        // Practice: c 3.125; max (a 2 + b 1 + c 1)/4 × 1/4 × 100 = 25; b unknown could add
        // 1/4 × 1/4 × 100 = 6.25 (the upper bound 76.04 − 69.79).
        close(e.levels[2].contribution.0, 3.125);
        close(e.levels[2].max_contribution.0, 25.0);
        close(e.levels[2].unknown_at_stake.0, 6.25);
        // Types add up to the total; t1 = a: 100/3 + 25/3 + 0.
        let types: f64 = e.assistance_types.iter().map(|t| t.contribution.0).sum();
        close(types, e.total.0);
        close(e.assistance_types[0].contribution.0, 125.0 / 3.0);
        // p1 = a and b; p2 = b and c: b counts in both.
        close(e.principles[0].contribution.0, 125.0 / 3.0 + 50.0 / 3.0);
        close(
            e.principles[1].contribution.0,
            50.0 / 3.0 + 25.0 / 3.0 + 3.125,
        );
        assert_eq!(e.levels[0].cells, 2);
        assert!(
            e.check
                .starts_with("The 7 scored cells' contributions add up to 69.79;")
        );
        // The cells cite `src`, which the profile does not list: its id stands as title.
        assert_eq!(e.sources.len(), 1);
        assert_eq!(e.sources[0].title, "src");
    }
}
