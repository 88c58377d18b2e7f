//! Every generated regional statement is true of the statuses it counts. Random regions (1 to
//! 12 members, some without a profile, some joining after the comparison date, plus profiles
//! of countries that are not members) with random statuses against the bundled rubric (which
//! carries highlights) are compared, and every statement of the executive summary and the
//! annex is checked against an independent count: its quantifier, its n and N, the states it
//! counts, the states it names in its text (those counted when they are at most half, else
//! every other state with its status, and never "all but"), and the sentence it stands in.
//! The good-practice and challenge themes are checked too: each finding once, each theme
//! naming exactly the states with a finding in it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use frameaudit::load::{Limits, rubric};
use frameaudit::model::{
    Cell, Country, Date, Evidence, Finding, Level, Loc, Profile, Region, Rubric, Source,
    SourceKind, Status,
};
use frameaudit::score::region::{Comparison, compare};
use frameaudit::score::summary::{Class, Sentence, SentenceKind, Statement};
use proptest::prelude::*;

fn bundled() -> &'static Rubric {
    static R: OnceLock<Rubric> = OnceLock::new();
    R.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/acwc-victim-assistance.toml");
        let mut diags = Vec::new();
        rubric::load(&path, &Limits::default(), &mut diags)
            .unwrap_or_else(|| panic!("bundled rubric loads: {diags:#?}"))
    })
}

const AS_OF: Date = Date {
    year: 2025,
    month: 6,
    day: 30,
};

fn date(year: i32) -> Date {
    Date {
        year,
        month: 1,
        day: 1,
    }
}

/// One generated member: whether it joined before the comparison date, its profile's cells
/// (None: no profile) and its findings (criterion index, good practice or challenge).
#[derive(Debug, Clone)]
struct Gen {
    joined_before: bool,
    cells: Option<Vec<Option<Status>>>,
    findings: Vec<(usize, Option<usize>, bool)>,
}

fn status() -> impl Strategy<Value = Option<Status>> {
    prop_oneof![
        3 => Just(Some(Status::Full)),
        3 => Just(Some(Status::Partial)),
        3 => Just(Some(Status::None)),
        4 => Just(Some(Status::Unknown)),
        1 => Just(Some(Status::NotApplicable)),
        1 => Just(None),
    ]
}

fn cells() -> Vec<(String, Level)> {
    bundled()
        .criteria
        .iter()
        .flat_map(|c| c.levels.iter().map(move |l| (c.id.clone(), *l)))
        .collect()
}

fn member() -> impl Strategy<Value = Gen> {
    let n = cells().len();
    let crit = bundled().criteria.len();
    (
        prop::bool::weighted(0.85),
        prop::option::weighted(0.8, prop::collection::vec(status(), n)),
        prop::collection::vec(
            (0..crit + 1, prop::option::of(0..crit), any::<bool>()),
            0..4,
        ),
    )
        .prop_map(|(joined_before, cells, findings)| Gen {
            joined_before,
            cells,
            findings,
        })
}

fn code(i: usize) -> String {
    format!("Q{}", (b'A' + i as u8) as char)
}

fn profile(
    code: &str,
    cells_: &[Option<Status>],
    findings: &[(usize, Option<usize>, bool)],
) -> Profile {
    let mut assessments: BTreeMap<String, BTreeMap<Level, Cell>> = BTreeMap::new();
    for ((c, l), s) in cells().into_iter().zip(cells_) {
        let Some(s) = s else { continue };
        assessments.entry(c).or_default().insert(
            l,
            Cell {
                status: *s,
                evidence: vec![],
                note: None,
                loc: Loc::default(),
            },
        );
    }
    let mut good_practices = Vec::new();
    let mut challenges = Vec::new();
    for (k, (ci, second, good)) in findings.iter().enumerate() {
        // Index == number of criteria: a finding naming no criterion of the rubric; a second
        // criterion, often of another type of assistance, must not repeat the finding.
        let mut criteria: Vec<String> = bundled()
            .criteria
            .get(*ci)
            .map(|c| vec![c.id.clone()])
            .unwrap_or_else(|| vec!["not.in.rubric".into()]);
        criteria.extend(second.map(|j| bundled().criteria[j].id.clone()));
        let f = Finding {
            text: format!("finding {k} of {}", code.to_lowercase()),
            criteria,
            evidence: vec![Evidence {
                source: format!("s{}", k % 2),
                pinpoint: None,
            }],
        };
        if *good {
            good_practices.push(f);
        } else {
            challenges.push(f);
        }
    }
    Profile {
        path: format!("{}.yaml", code.to_lowercase()).into(),
        country: Country {
            code: code.into(),
            name: format!("Land {code}"),
        },
        country_loc: Loc::default(),
        rubric: bundled().id.clone(),
        as_of: date(2024),
        compiled_from: None,
        summary: None,
        status: None,
        sources: (0..2)
            .map(|i| Source {
                id: format!("s{i}"),
                title: format!("source {i} of {}", code.to_lowercase()),
                kind: SourceKind::Report,
                year: Some(2020),
                publisher: None,
                url: None,
                note: None,
                loc: Loc::default(),
            })
            .collect(),
        assessments,
        good_practices,
        challenges,
    }
}

/// The class of one state for a subject, counted here without the library's code.
fn expected_class(p: Option<&Profile>, criteria: &[String], level: Level) -> Class {
    let Some(p) = p else {
        return Class::NoInformation;
    };
    let statuses: Vec<Status> = criteria.iter().map(|c| p.status(c, level)).collect();
    if statuses
        .iter()
        .any(|s| matches!(s, Status::Full | Status::Partial))
    {
        Class::Provided
    } else if statuses.contains(&Status::None) {
        Class::NotProvided
    } else if statuses.contains(&Status::Unknown) {
        Class::NoInformation
    } else {
        Class::NotApplicable
    }
}

/// design.md's quantifier words, for n of N.
fn expected_quantifier_subject(n: usize, total: usize) -> &'static str {
    if total > 0 && n == total {
        "all member states"
    } else if n == 0 {
        "no member state"
    } else if 2 * n > total {
        "most but not all member states"
    } else if 2 * n == total {
        "half of the member states"
    } else if n == 1 {
        "one member state"
    } else {
        "some member states"
    }
}

/// The member codes a text names (two-letter tokens starting with Q).
fn named(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| t.len() == 2 && t.starts_with('Q') && t.chars().all(|c| c.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

fn check_statement(
    st: &Statement,
    sentence: &Sentence,
    members: &[(String, Option<&Profile>)],
) -> Result<(), TestCaseError> {
    let total = members.len();
    prop_assert_eq!(st.total, total);
    let mut expect: BTreeMap<Class, Vec<String>> = BTreeMap::new();
    let mut in_full = Vec::new();
    for (code, p) in members {
        let class = expected_class(*p, &st.criteria, st.level);
        if class == st.claim
            && st.claim == Class::Provided
            && p.is_some_and(|p| {
                st.criteria
                    .iter()
                    .any(|c| p.status(c, st.level) == Status::Full)
            })
        {
            in_full.push(code.clone());
        }
        expect.entry(class).or_default().push(code.clone());
    }
    let counted = expect.remove(&st.claim).unwrap_or_default();
    prop_assert_eq!(&st.states, &counted, "states of {:?}", st.text);
    prop_assert_eq!(st.n, counted.len());
    prop_assert_eq!(&st.in_full, &in_full);
    let others: Vec<(Class, Vec<String>)> = st
        .others
        .iter()
        .map(|o| (o.class, o.states.clone()))
        .collect();
    let expect_others: Vec<(Class, Vec<String>)> = expect.into_iter().collect();
    prop_assert_eq!(&others, &expect_others);
    let q = expected_quantifier_subject(st.n, total);
    prop_assert_eq!(st.quantifier.subject().to_lowercase(), q);

    // The text: count, named states, never "all but".
    let n = st.n;
    prop_assert!(!sentence.text.contains("all but"), "{}", sentence.text);
    let names = named(&st.text);
    if sentence.kind == SentenceKind::Gaps {
        prop_assert_eq!(n, 0);
        let count = format!("(0 of {total})");
        prop_assert!(sentence.text.contains(&count), "{}", sentence.text);
        prop_assert!(
            sentence.text.to_lowercase().starts_with(q),
            "{}",
            sentence.text
        );
        return Ok(());
    }
    prop_assert!(st.text.contains(&format!("({n} of {total}")), "{}", st.text);
    prop_assert!(sentence.text.contains(&st.text), "{}", sentence.text);
    prop_assert!(
        sentence.text.to_lowercase().contains(q),
        "{:?} lacks {:?}",
        sentence.text,
        q
    );
    let counted: BTreeSet<String> = counted.into_iter().collect();
    let full: BTreeSet<String> = in_full.into_iter().collect();
    if n > 0 && 2 * n <= total {
        // The states counted, each named (and those in full among them).
        prop_assert_eq!(&names, &counted, "{}", st.text);
    } else if 2 * n > total {
        // Every other state, under its status; none of them counted.
        let mut want: BTreeSet<String> = BTreeSet::new();
        for (class, codes) in &others {
            let part = format!("{}: ", class.label());
            prop_assert!(st.text.contains(&part), "{} lacks {}", st.text, part);
            want.extend(codes.iter().cloned());
        }
        prop_assert!(names.is_superset(&want), "{}", st.text);
        let extra: BTreeSet<String> = names.difference(&want).cloned().collect();
        prop_assert!(extra.is_subset(&full), "{}: names {:?}", st.text, extra);
        prop_assert!(
            want.is_disjoint(&counted),
            "{}: names a counted state among the others",
            st.text
        );
    } else {
        prop_assert!(names.is_empty(), "{}", st.text);
    }
    Ok(())
}

fn check(c: &Comparison, members: &[(String, Option<&Profile>)]) -> Result<(), TestCaseError> {
    prop_assert_eq!(c.members.total, members.len());
    let mut count = 0;
    for levels in [&c.summary.levels, &c.annex] {
        for lf in levels {
            for sentence in &lf.sentences {
                prop_assert!(!sentence.statements.is_empty());
                for st in &sentence.statements {
                    prop_assert_eq!(st.level, lf.level);
                    check_statement(st, sentence, members)?;
                    count += 1;
                }
            }
        }
    }
    for lf in &c.summary.levels {
        prop_assert!(lf.sentences.len() <= 4, "{} sentences", lf.sentences.len());
    }
    prop_assert!(count > 0 || members.is_empty());

    // Themes: every finding once; each theme names the states with a finding in it.
    for (themes, pick) in [
        (
            &c.good_practices.themes,
            (|p: &Profile| &p.good_practices) as fn(&Profile) -> &Vec<Finding>,
        ),
        (&c.challenges.themes, |p: &Profile| &p.challenges),
    ] {
        let mut seen: Vec<(String, String)> = Vec::new();
        for t in themes {
            let states: Vec<String> = {
                let mut v: Vec<String> = t.items.iter().map(|i| i.code.clone()).collect();
                v.dedup();
                v
            };
            prop_assert_eq!(&t.states, &states);
            prop_assert_eq!(t.n, states.len());
            for i in &t.items {
                seen.push((i.code.clone(), i.text.clone()));
                prop_assert!(i.citations.iter().all(|c| c.number.is_some()));
            }
        }
        let mut want: Vec<(String, String)> = members
            .iter()
            .filter_map(|(code, p)| p.map(|p| (code, p)))
            .flat_map(|(code, p)| pick(p).iter().map(|f| (code.clone(), f.text.clone())))
            .collect();
        let mut got = seen.clone();
        got.sort();
        want.sort();
        prop_assert_eq!(got, want, "each finding exactly once");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_statement_is_true_of_the_statuses(
        gens in prop::collection::vec(member(), 1..=12),
        outsiders in prop::collection::vec(prop::collection::vec(status(), cells().len()), 0..2),
    ) {
        let profiles: Vec<Profile> = gens
            .iter()
            .enumerate()
            .filter_map(|(i, g)| g.cells.as_ref().map(|c| profile(&code(i), c, &g.findings)))
            .chain(
                outsiders
                    .iter()
                    .enumerate()
                    .map(|(k, c)| profile(&code(20 + k), c, &[])),
            )
            .collect();
        let region = Region {
            path: "region.yaml".into(),
            id: "test".into(),
            name: "Test".into(),
            rubric: bundled().id.clone(),
            status: Some("a test".into()),
            members: (0..gens.len())
                .map(|i| Country { code: code(i), name: format!("Land {}", code(i)) })
                .collect(),
            joined: gens
                .iter()
                .enumerate()
                .map(|(i, g)| (code(i), if g.joined_before { date(1990) } else { date(2026) }))
                .collect(),
            member_locs: BTreeMap::new(),
        };
        let c = compare(&region, &profiles, bundled(), AS_OF, None);
        let members: Vec<(String, Option<&Profile>)> = gens
            .iter()
            .enumerate()
            .filter(|(_, g)| g.joined_before)
            .map(|(i, _)| {
                let code = code(i);
                let p = profiles.iter().find(|p| p.country.code == code);
                (code, p)
            })
            .collect();
        let not_members: Vec<String> = profiles
            .iter()
            .map(|p| p.country.code.clone())
            .filter(|code| !members.iter().any(|(m, _)| m == code))
            .collect();
        prop_assert_eq!(&c.members.not_members, &not_members);
        check(&c, &members)?;
    }
}
