//! Properties of loading and scoring, over profiles generated from random status
//! assignments against the bundled rubric and loaded through `load_set` from a temporary
//! folder with its own `rubrics/`: a generated valid profile always validates; scores stay
//! within 0–100; improving one status never lowers any score; every completion of the unknown
//! cells scores within the bounds; the order of keys, sources and files never changes any
//! output.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use frameaudit::load::{Limits, LoadOptions, LoadSet, load_set, rubric};
use frameaudit::model::Country;
use frameaudit::model::{Date, Level, Rubric, Status};
use frameaudit::score::{Pct, Range, Scorecard, score, score_statuses};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

const RUBRIC_ID: &str = "acwc-victim-assistance";

fn rubric_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("rubrics/{RUBRIC_ID}.toml"))
}

fn bundled() -> &'static Rubric {
    static R: OnceLock<Rubric> = OnceLock::new();
    R.get_or_init(|| {
        let mut diags = Vec::new();
        rubric::load(&rubric_path(), &Limits::default(), &mut diags)
            .unwrap_or_else(|| panic!("bundled rubric loads: {diags:#?}"))
    })
}

/// Every cell of the rubric, in rubric order.
fn cells() -> Vec<(String, Level)> {
    bundled()
        .criteria
        .iter()
        .flat_map(|c| c.levels.iter().map(move |l| (c.id.clone(), *l)))
        .collect()
}

/// A status per cell; `None` leaves the cell unassessed (a warning, scored as unknown).
fn assignment() -> impl Strategy<Value = Vec<Option<Status>>> {
    let status = prop_oneof![
        3 => Just(Some(Status::Full)),
        3 => Just(Some(Status::Partial)),
        3 => Just(Some(Status::None)),
        3 => Just(Some(Status::Unknown)),
        1 => Just(Some(Status::NotApplicable)),
        1 => Just(None),
    ];
    prop::collection::vec(status, cells().len())
}

/// A small deterministic shuffle (the seed comes from proptest).
fn shuffle<T>(items: &mut [T], seed: &mut u64) {
    for i in (1..items.len()).rev() {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let j = usize::try_from(*seed % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

/// The YAML text of a profile with `statuses`; with a seed, every mapping's keys, the
/// criteria, the levels and the sources come in a shuffled order.
fn profile_yaml(code: &str, statuses: &[Option<Status>], seed: Option<u64>) -> String {
    let mut s = seed.unwrap_or(0) | 1;
    let mut mix = |v: &mut Vec<String>| {
        if seed.is_some() {
            shuffle(v, &mut s);
        }
    };
    let mut criteria: Vec<(String, Vec<String>)> = Vec::new();
    for (i, ((id, level), status)) in cells().into_iter().zip(statuses).enumerate() {
        let Some(status) = status else { continue };
        let mut fields = vec![
            format!("status: {}", status.as_str()),
            format!("evidence: [\"src{} s.{i}\"]", i % 3 + 1),
            format!("note: \"cell {i}\""),
        ];
        mix(&mut fields);
        let cell = format!("{}: {{ {} }}", level.as_str(), fields.join(", "));
        match criteria.iter_mut().find(|(c, _)| *c == id) {
            Some((_, cells)) => cells.push(cell),
            None => criteria.push((id, vec![cell])),
        }
    }
    let mut blocks: Vec<String> = criteria
        .into_iter()
        .map(|(id, mut cells)| {
            mix(&mut cells);
            format!(
                "  {id}:\n{}",
                cells
                    .iter()
                    .map(|c| format!("    {c}\n"))
                    .collect::<String>()
            )
        })
        .collect();
    mix(&mut blocks);
    let mut sources: Vec<String> = [("src1", "law"), ("src2", "report"), ("src3", "policy")]
        .iter()
        .map(|(id, kind)| {
            let mut f = vec![
                format!("id: {id}"),
                format!("title: \"Source {id}\""),
                format!("kind: {kind}"),
            ];
            mix(&mut f);
            format!("  - {{ {} }}\n", f.join(", "))
        })
        .collect();
    mix(&mut sources);
    let mut top = vec![
        "format_version: 1\n".to_string(),
        format!(
            "country: {{ code: {}, name: Testland }}\n",
            code.to_uppercase()
        ),
        format!("rubric: {RUBRIC_ID}\n"),
        "as_of: 2024-06-30\n".to_string(),
        format!("sources:\n{}", sources.concat()),
        if blocks.is_empty() {
            "assessments: {}\n".to_string()
        } else {
            format!("assessments:\n{}", blocks.concat())
        },
    ];
    mix(&mut top);
    top.concat()
}

/// A temporary folder holding `rubrics/` and the given profiles.
fn folder(profiles: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("rubrics")).unwrap();
    std::fs::copy(
        rubric_path(),
        dir.path().join(format!("rubrics/{RUBRIC_ID}.toml")),
    )
    .unwrap();
    for (name, text) in profiles {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn load(paths: &[PathBuf]) -> LoadSet {
    load_set(
        paths,
        &LoadOptions {
            limits: Limits::default(),
            rubric: None,
            rubric_dirs: Vec::new(),
            today: Date {
                year: 2026,
                month: 11,
                day: 28,
            },
        },
    )
}

/// Loads one generated profile and scores it, failing the case on any error.
fn scorecard(statuses: &[Option<Status>], seed: Option<u64>) -> Result<Scorecard, TestCaseError> {
    let dir = folder(&[("xx.yaml", profile_yaml("xx", statuses, seed))]);
    let set = load(&[dir.path().join("xx.yaml")]);
    let errors: Vec<String> = set
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.render_human())
        .collect();
    prop_assert!(
        errors.is_empty(),
        "generated profile has errors: {errors:#?}"
    );
    let p = set
        .profiles
        .first()
        .ok_or_else(|| TestCaseError::fail("no profile"))?;
    let r = set
        .rubric_for(p)
        .ok_or_else(|| TestCaseError::fail("no rubric"))?;
    Ok(score(p, r))
}

/// Every score of a scorecard, named, in a fixed order.
fn all_scores(card: &Scorecard) -> Vec<(String, Option<Pct>)> {
    let s = &card.score;
    let mut out = vec![("overall".to_string(), s.overall)];
    for l in [Level::Law, Level::Policy, Level::Practice] {
        out.push((format!("level {l}"), s.levels.get(l)));
    }
    for (k, v) in &s.principles.0 {
        out.push((format!("principle {k}"), *v));
    }
    for (k, v) in &s.assistance_types.0 {
        out.push((format!("type {k}"), *v));
    }
    out
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn generated_valid_profiles_validate_and_score_within_0_to_100() {
    runner(48)
        .run(&assignment(), |statuses| {
            let card = scorecard(&statuses, None)?;
            let in_range = |p: Pct| (0.0..=100.0).contains(&p.0) && p.0.is_finite();
            for (name, v) in all_scores(&card) {
                if let Some(p) = v {
                    prop_assert!(in_range(p), "{name} = {}", p.0);
                }
            }
            prop_assert!(in_range(card.score.coverage), "coverage");
            for g in &card.gaps {
                prop_assert!(in_range(g.severity), "gap severity {}", g.severity.0);
            }
            Ok(())
        })
        .unwrap();
}

/// A better status with the same applicability, or `None` when there is none.
fn improve(s: Option<Status>) -> Option<Status> {
    match s.unwrap_or(Status::Unknown) {
        Status::Unknown | Status::None => Some(Status::Partial),
        Status::Partial => Some(Status::Full),
        Status::Full | Status::NotApplicable => None,
    }
}

#[test]
fn improving_one_status_never_lowers_any_score() {
    let strategy = (assignment(), any::<prop::sample::Index>());
    runner(40)
        .run(&strategy, |(statuses, pick)| {
            let improvable: Vec<usize> = (0..statuses.len())
                .filter(|&i| improve(statuses[i]).is_some())
                .collect();
            if improvable.is_empty() {
                return Ok(());
            }
            let i = improvable[pick.index(improvable.len())];
            let mut better = statuses.clone();
            better[i] = improve(statuses[i]);
            let before = all_scores(&scorecard(&statuses, None)?);
            let after = all_scores(&scorecard(&better, None)?);
            for ((name, b), (_, a)) in before.iter().zip(&after) {
                match (b, a) {
                    (Some(b), Some(a)) => prop_assert!(
                        a.0 >= b.0 - 1e-9,
                        "{name} fell from {} to {} when cell {i} went {:?} -> {:?}",
                        b.0,
                        a.0,
                        statuses[i],
                        better[i]
                    ),
                    (None, None) => {}
                    _ => prop_assert!(false, "{name} changed definedness: {b:?} -> {a:?}"),
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn key_and_source_order_never_changes_the_scorecard() {
    runner(32)
        .run(&(assignment(), any::<u64>()), |(statuses, seed)| {
            let plain = frameaudit::render::json::to_string(&scorecard(&statuses, None)?);
            let shuffled = frameaudit::render::json::to_string(&scorecard(&statuses, Some(seed))?);
            prop_assert_eq!(plain, shuffled);
            Ok(())
        })
        .unwrap();
}

#[test]
fn file_order_never_changes_any_output() {
    runner(16)
        .run(&(assignment(), assignment()), |(a, b)| {
            let dir = folder(&[
                ("xx.yaml", profile_yaml("xx", &a, None)),
                ("yy.yaml", profile_yaml("yy", &b, None)),
            ]);
            let x = dir.path().join("xx.yaml");
            let y = dir.path().join("yy.yaml");
            let render = |set: &LoadSet| -> String {
                let mut out = format!("{:?}\n", set.diagnostics);
                for p in &set.profiles {
                    let r = set.rubric_for(p).expect("rubric");
                    out.push_str(&frameaudit::render::json::to_string(&score(p, r)));
                }
                out
            };
            let forward = render(&load(&[x.clone(), y.clone()]));
            let backward = render(&load(&[y, x]));
            let whole_folder = render(&load(&[dir.path().to_path_buf()]));
            prop_assert_eq!(&forward, &backward);
            prop_assert_eq!(&forward, &whole_folder);
            Ok(())
        })
        .unwrap();
}

/// Every score of a scorecard's bounds, named as in [`all_scores`].
fn all_bounds(card: &Scorecard) -> Vec<(String, Option<Range>)> {
    let b = &card.score.bounds;
    let mut out = vec![("overall".to_string(), b.overall)];
    for l in [Level::Law, Level::Policy, Level::Practice] {
        out.push((format!("level {l}"), b.levels.get(l)));
    }
    for (k, v) in &b.principles.0 {
        out.push((format!("principle {k}"), *v));
    }
    for (k, v) in &b.assistance_types.0 {
        out.push((format!("type {k}"), *v));
    }
    out
}

/// Scores the statuses `statuses` (one per cell of the bundled rubric, None = unassessed)
/// without files.
fn score_cells(statuses: &[Option<Status>]) -> Scorecard {
    let cells = cells();
    let country = Country {
        code: "XA".into(),
        name: "Testland".into(),
    };
    let as_of = Date {
        year: 2025,
        month: 1,
        day: 1,
    };
    score_statuses(&country, as_of, bundled(), &|id, level| {
        cells
            .iter()
            .position(|(c, l)| c == id && *l == level)
            .and_then(|i| statuses[i])
            .unwrap_or(Status::Unknown)
    })
}

/// Whatever the unknown cells turn out to be (full, partial or none each), every score lies
/// within its bounds; all unknowns at none gives the lower bound, all at full the upper.
#[test]
fn every_completion_of_the_unknown_cells_scores_within_the_bounds() {
    let known = [Status::Full, Status::Partial, Status::None];
    let strategy = (
        assignment(),
        prop::collection::vec(0usize..3, cells().len()),
    );
    runner(256)
        .run(&strategy, |(statuses, picks)| {
            let card = score_cells(&statuses);
            let bounds = all_bounds(&card);
            let complete = |pick: &dyn Fn(usize) -> Status| -> Vec<Option<Status>> {
                statuses
                    .iter()
                    .enumerate()
                    .map(|(i, s)| match s.unwrap_or(Status::Unknown) {
                        Status::Unknown => Some(pick(i)),
                        other => Some(other),
                    })
                    .collect()
            };
            let eps = 1e-9;
            let random = score_cells(&complete(&|i| known[picks[i]]));
            for ((name, v), (_, b)) in all_scores(&random).into_iter().zip(&bounds) {
                match (v, b) {
                    (Some(v), Some(b)) => prop_assert!(
                        b.lower.0 - eps <= v.0 && v.0 <= b.upper.0 + eps,
                        "{name} = {} outside {}–{}",
                        v.0,
                        b.lower.0,
                        b.upper.0
                    ),
                    (None, None) => {}
                    _ => prop_assert!(false, "{name}: score and bounds disagree on being defined"),
                }
            }
            for (status, end) in [(Status::None, 0), (Status::Full, 1)] {
                let extreme = score_cells(&complete(&|_| status));
                for ((name, v), (_, b)) in all_scores(&extreme).into_iter().zip(&bounds) {
                    if let (Some(v), Some(b)) = (v, b) {
                        let want = if end == 0 { b.lower.0 } else { b.upper.0 };
                        prop_assert!((v.0 - want).abs() < 1e-9, "{name}: {} != {want}", v.0);
                    }
                }
            }
            // The lower bound is the score itself (default points).
            prop_assert_eq!(
                card.score.bounds.overall.map(|r| r.lower),
                card.score.overall
            );
            Ok(())
        })
        .unwrap();
}
