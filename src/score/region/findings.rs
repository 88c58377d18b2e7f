//! The regional key findings and their wording: the fixed quantifiers, the states in each
//! group per criterion and level, good common practices and challenges (the largest regional
//! gaps, shared implementation gaps).

use super::*;

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
    pub(crate) fn of(n: usize, total: usize) -> Quantifier {
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
    pub(crate) fn singular(self) -> bool {
        matches!(self, Quantifier::One | Quantifier::No)
    }

    /// The subject with its count: "Most but not all member states (8 of 10)".
    pub(crate) fn phrase(self, n: usize, total: usize) -> String {
        format!("{} ({n} of {total})", self.subject())
    }
}

/// `plural` or `singular` form of a verb for `q`'s subject.
pub(super) fn verb(q: Quantifier, singular: &str, plural: &str) -> String {
    if q.singular() { singular } else { plural }.to_string()
}

/// "LA (Lao PDR)".
pub(super) fn code_name(c: &Country) -> String {
    format!("{} ({})", c.code, c.name)
}

pub(super) fn criterion_levels(
    rubric: &Rubric,
    states: &[StateRow],
    total: usize,
) -> Vec<CriterionLevel> {
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
pub(super) fn count_note(states: &[String], total: usize) -> String {
    let n = states.len();
    if n == 0 || 2 * n > total {
        format!(" ({n} of {total})")
    } else {
        format!(" ({n} of {total}: {})", join(states, "and"))
    }
}

pub(super) fn lower_first(s: &str) -> String {
    summary::lower_first(s)
}

pub(super) fn criterion_pos(rubric: &Rubric, id: &str) -> usize {
    rubric
        .criteria
        .iter()
        .position(|c| c.id == id)
        .unwrap_or(usize::MAX)
}

pub(super) fn criterion_weight(rubric: &Rubric, id: &str) -> f64 {
    rubric.criterion(id).map_or(0.0, |c| c.weight)
}

pub(super) fn good_practices(
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

pub(super) fn challenges(
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
