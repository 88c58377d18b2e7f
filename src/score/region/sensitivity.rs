//! Sensitivity of the ranking: weight perturbations and unknown cells drawn at random over
//! many runs, re-scored quickly, summarised as rank ranges and flipped pairs.

use super::*;

/// A copy of `rubric` with every criterion weight and level weight multiplied by a factor
/// uniform in [1−δ, 1+δ], drawn in rubric order (criteria, then law, policy, practice).
#[cfg(test)]
pub(crate) fn perturb(rubric: &Rubric, delta: f64, rng: &mut SplitMix64) -> Rubric {
    let mut r = rubric.clone();
    let (w, levels) = perturbed_weights(rubric, delta, rng);
    for (c, w) in r.criteria.iter_mut().zip(w) {
        c.weight = w;
    }
    r.levels = levels;
    r
}

/// The criterion weights (in rubric order) and level weights [`perturb`] draws, without
/// copying the rubric.
pub(super) fn perturbed_weights(
    rubric: &Rubric,
    delta: f64,
    rng: &mut SplitMix64,
) -> (Vec<f64>, crate::model::LevelWeights) {
    let mut factor = || 1.0 + delta * (2.0 * rng.next_f64() - 1.0);
    let w = rubric
        .criteria
        .iter()
        .map(|c| c.weight * factor())
        .collect();
    let mut levels = rubric.levels;
    for l in Level::ALL {
        levels[l] *= factor();
    }
    (w, levels)
}

/// One state's cells as the fast re-scorer needs them: criterion index, level, and points
/// (None: unknown, drawn in evidence runs; not_applicable cells are left out).
pub(super) struct StateCells(Vec<(usize, Level, Option<f64>)>);

impl StateCells {
    pub(super) fn of(profile: &Profile, rubric: &Rubric) -> StateCells {
        let mut out = Vec::new();
        for (k, c) in rubric.criteria.iter().enumerate() {
            for &level in &c.levels {
                match profile.status(&c.id, level) {
                    Status::NotApplicable => {}
                    Status::Unknown => out.push((k, level, None)),
                    st => out.push((k, level, rubric.points.of(st))),
                }
            }
        }
        StateCells(out)
    }
}

/// The overall score (percent) of `cells` under criterion weights `w`, level weights `lw`,
/// with unknown cells earning `unknown(i)` points (i counts the unknown cells in order): the
/// rule of `score::score`, without building a scorecard.
pub(super) fn fast_overall(
    cells: &StateCells,
    w: &[f64],
    lw: &crate::model::LevelWeights,
    unknown: &mut dyn FnMut() -> f64,
) -> Option<f64> {
    let mut num = [0.0; 3];
    let mut den = [0.0; 3];
    for &(k, level, p) in &cells.0 {
        let p = p.unwrap_or_else(&mut *unknown);
        let i = level as usize;
        num[i] += w[k] * p;
        den[i] += w[k];
    }
    let mut n = 0.0;
    let mut d = 0.0;
    for l in Level::ALL {
        let i = l as usize;
        let wl = lw.get(l);
        if den[i] > 0.0 && wl > 0.0 {
            n += wl * num[i] / den[i];
            d += wl;
        }
    }
    (d > 0.0).then(|| 100.0 * n / d)
}

/// The ranks of many runs, and how they differ from the base ranks.
pub(super) struct Runs {
    min_rank: Vec<usize>,
    max_rank: Vec<usize>,
    at_base: Vec<usize>,
    /// outcomes[a][b] for a < b: runs in which a is ahead, b is ahead, they tie.
    outcomes: Vec<Vec<[usize; 3]>>,
    shift: f64,
    runs: usize,
}

/// What one set of runs draws, from which seed.
#[derive(Clone, Copy)]
pub(super) struct Draw {
    seed: u64,
    weights: bool,
    evidence: bool,
}

/// Runs `o.runs` re-scorings of the ranked states (`cells`, `codes`, `base` ranks), drawing
/// weights and/or unknown cells.
pub(super) fn run_draws(
    cells: &[StateCells],
    codes: &[&str],
    base: &[usize],
    rubric: &Rubric,
    o: SensitivityOptions,
    Draw {
        seed,
        weights,
        evidence,
    }: Draw,
) -> Runs {
    let n = cells.len();
    let mut r = Runs {
        min_rank: base.to_vec(),
        max_rank: base.to_vec(),
        at_base: vec![0; n],
        outcomes: vec![vec![[0; 3]; n]; n],
        shift: 0.0,
        runs: o.runs,
    };
    let mut rng = SplitMix64::new(seed);
    let p = rubric.points;
    for _ in 0..o.runs {
        let (w, levels) = if weights {
            perturbed_weights(rubric, o.perturbation, &mut rng)
        } else {
            (
                rubric.criteria.iter().map(|c| c.weight).collect(),
                rubric.levels,
            )
        };
        let overall: Vec<(&str, Option<f64>)> = cells
            .iter()
            .zip(codes)
            .map(|(c, code)| {
                let mut draw = || {
                    if evidence {
                        match (rng.next_f64() * 3.0) as u32 {
                            0 => p.full,
                            1 => p.partial,
                            _ => p.none,
                        }
                    } else {
                        p.unknown
                    }
                };
                (*code, fast_overall(c, &w, &levels, &mut draw))
            })
            .collect();
        let run = rank(&overall);
        for k in 0..n {
            let rk = run[k].unwrap_or(usize::MAX);
            r.min_rank[k] = r.min_rank[k].min(rk);
            r.max_rank[k] = r.max_rank[k].max(rk);
            if rk == base[k] {
                r.at_base[k] += 1;
            }
            r.shift += rk.abs_diff(base[k]) as f64;
        }
        for a in 0..n {
            for b in (a + 1)..n {
                let i = match run[a].cmp(&run[b]) {
                    Ordering::Less => 0,
                    Ordering::Greater => 1,
                    Ordering::Equal => 2,
                };
                r.outcomes[a][b][i] += 1;
            }
        }
    }
    if o.runs > 0 && n > 0 {
        r.shift /= (o.runs * n) as f64;
    }
    r
}

/// The pairs whose order is not the base order in some runs (or that tie in the base), in
/// base rank order (`order`).
pub(super) fn pair_flips(
    runs: &Runs,
    base: &[usize],
    codes: &[&str],
    order: &[usize],
) -> Vec<PairFlip> {
    let share = |k: usize| {
        Pct::from_fraction(if runs.runs == 0 {
            0.0
        } else {
            k as f64 / runs.runs as f64
        })
    };
    let mut pairs = Vec::new();
    for (x, &a) in order.iter().enumerate() {
        for &b in &order[x + 1..] {
            let [first, second, tied] = runs.outcomes[a.min(b)][a.max(b)];
            let (higher_ahead, lower_ahead) = if a < b {
                (first, second)
            } else {
                (second, first)
            };
            let tie = base[a] == base[b];
            let differs = if tie {
                higher_ahead + lower_ahead
            } else {
                lower_ahead + tied
            };
            if differs == 0 && !tie {
                continue;
            }
            let frac = if runs.runs == 0 {
                0.0
            } else {
                differs as f64 / runs.runs as f64
            };
            pairs.push(PairFlip {
                higher: codes[a].to_string(),
                lower: codes[b].to_string(),
                base_tie: tie,
                higher_ahead,
                lower_ahead,
                tied,
                differs,
                share: share(differs),
                indistinguishable: tie || frac > INDISTINGUISHABLE_SHARE,
            });
        }
    }
    pairs
}

/// Seeds of the runs that draw one source only, derived from the user's seed.
pub(super) const WEIGHTS_ONLY_SEED: u64 = 0x5745_4947_4854_5300;
pub(super) const EVIDENCE_ONLY_SEED: u64 = 0x4556_4944_454e_4345;

pub(super) fn sensitivity_analysis(
    members: &[(&Country, Option<&Profile>)],
    rubric: &Rubric,
    base: &[Option<usize>],
    o: SensitivityOptions,
) -> Sensitivity {
    let ranked: Vec<usize> = (0..members.len())
        .filter(|&i| base[i].is_some() && members[i].1.is_some())
        .collect();
    let cells: Vec<StateCells> = ranked
        .iter()
        .filter_map(|&i| members[i].1.map(|p| StateCells::of(p, rubric)))
        .collect();
    let codes: Vec<&str> = ranked.iter().map(|&i| members[i].0.code.as_str()).collect();
    let base_ranks: Vec<usize> = ranked.iter().map(|&i| base[i].unwrap_or(0)).collect();
    let runs = |draw: Draw| run_draws(&cells, &codes, &base_ranks, rubric, o, draw);
    let both = runs(Draw {
        seed: o.seed,
        weights: true,
        evidence: true,
    });
    let weights_only = runs(Draw {
        seed: o.seed ^ WEIGHTS_ONLY_SEED,
        weights: true,
        evidence: false,
    });
    let evidence_only = runs(Draw {
        seed: o.seed ^ EVIDENCE_ONLY_SEED,
        weights: false,
        evidence: true,
    });

    // Base rank order of the ranked states (ties by code).
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| {
        base_ranks[a]
            .cmp(&base_ranks[b])
            .then_with(|| codes[a].cmp(codes[b]))
    });
    let share = |k: usize| {
        Pct::from_fraction(if o.runs == 0 {
            0.0
        } else {
            k as f64 / o.runs as f64
        })
    };
    let states: Vec<RankRange> = order
        .iter()
        .map(|&k| RankRange {
            code: codes[k].to_string(),
            base_rank: base_ranks[k],
            min_rank: both.min_rank[k],
            max_rank: both.max_rank[k],
            at_base_rank: share(both.at_base[k]),
        })
        .collect();
    let pairs = pair_flips(&both, &base_ranks, &codes, &order);
    let effect = |source: Uncertainty, r: &Runs| SourceEffect {
        source,
        runs: r.runs,
        mean_rank_shift: (r.shift * 100.0).round() / 100.0,
        states_moved: (0..ranked.len())
            .filter(|&k| r.min_rank[k] != r.max_rank[k])
            .count(),
        pairs_apart: pair_flips(r, &base_ranks, &codes, &order)
            .iter()
            .filter(|p| p.indistinguishable)
            .count(),
    };
    let sources = vec![
        effect(Uncertainty::Weights, &weights_only),
        effect(Uncertainty::Evidence, &evidence_only),
    ];
    let (ws, es) = (sources[0].mean_rank_shift, sources[1].mean_rank_shift);
    let dominant = match es.total_cmp(&ws) {
        Ordering::Greater => Some(Uncertainty::Evidence),
        Ordering::Less => Some(Uncertainty::Weights),
        Ordering::Equal => None,
    };

    let apart: Vec<String> = pairs
        .iter()
        .filter(|p| p.indistinguishable)
        .map(|p| format!("{} and {}", p.higher, p.lower))
        .collect();
    let stable = states.iter().filter(|s| s.min_rank == s.max_rank).count();
    let mut summary = format!(
        "{} runs, each multiplying every criterion and level weight by a factor uniform in [{:.2}, {:.2}] and drawing a status for every unknown cell (full, partial or none, equally likely; seed {}). Rank unchanged in every run: {} of {} ranked member states.",
        o.runs,
        1.0 - o.perturbation,
        1.0 + o.perturbation,
        o.seed,
        stable,
        states.len(),
    );
    if apart.is_empty() {
        summary.push_str(&format!(
            " Every pair of member states keeps its order in at least {}% of runs.",
            100.0 - INDISTINGUISHABLE_SHARE * 100.0
        ));
    } else {
        summary.push_str(&format!(
            " These ranks cannot be told apart (tied, or their order changes in more than {}% of runs): {}.",
            INDISTINGUISHABLE_SHARE * 100.0,
            apart.join("; ")
        ));
    }
    let versus = format!(
        "in {} runs drawing only the unknown cells a state's rank moves by {es:.2} places on average, against {ws:.2} in {} runs drawing only the weights.",
        o.runs, o.runs
    );
    summary.push_str(&match dominant {
        Some(Uncertainty::Evidence) => {
            format!(" Missing evidence moves ranks more than the weights: {versus}")
        }
        Some(Uncertainty::Weights) => {
            format!(" The weights move ranks more than missing evidence: {versus}")
        }
        None => format!(" Missing evidence and the weights move ranks alike: {versus}"),
    });
    Sensitivity {
        runs: o.runs,
        seed: o.seed,
        perturbation: o.perturbation,
        threshold: Pct::from_fraction(INDISTINGUISHABLE_SHARE),
        states,
        pairs,
        sources,
        dominant,
        summary,
    }
}
