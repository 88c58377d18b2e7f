//! `frameaudit score`: the scorecard of a fixture profile (table and JSON snapshots, and the
//! numbers computed by hand), the JSON contract, scoring against a rubric extension, and the
//! refusals (a rubric the profile does not answer, a directory).

use crate::common;
use common::*;

use serde_json::Value;

const PROFILE: &str = "tests/fixtures/score/xa.yaml";

fn score_json(args: &[&str]) -> Value {
    let mut all = vec!["score", "--format", "json"];
    all.extend_from_slice(args);
    let run = frameaudit(&all).run();
    run.code(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("score JSON: {e}\n{}", run.stdout))
}

#[test]
fn table() {
    let run = frameaudit(&["score", PROFILE]).run();
    run.code(0);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json() {
    let run = frameaudit(&["score", "--format", "json", PROFILE]).run();
    run.code(0);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

/// The numbers of tests/fixtures/score/xa.yaml against its mini rubric, computed by hand.
/// Weights: protection.identification 2, shelter.unconditional 2, return.voluntary 1 (law and
/// practice only); level weights law 1, policy 1, practice 2.
///
/// | criterion                 | law          | policy      | practice    |
/// |---------------------------|--------------|-------------|-------------|
/// | protection.identification | partial      | full        | partial     |
/// | shelter.unconditional     | none         | partial     | full        |
/// | return.voluntary          | n/a (out)    | —           | unknown     |
#[test]
fn numbers_match_the_hand_computation() {
    let j = score_json(&[PROFILE]);
    let s = &j["score"];
    // S_law = (2·0.5 + 2·0) / 4 = 25%; S_policy = (2·1 + 2·0.5) / 4 = 75%;
    // S_practice = (2·0.5 + 2·1 + 1·0) / 5 = 60%.
    assert_eq!(s["levels"]["law"], 25.0);
    assert_eq!(s["levels"]["policy"], 75.0);
    assert_eq!(s["levels"]["practice"], 60.0);
    // S = (1·0.25 + 1·0.75 + 2·0.6) / 4 = 2.2 / 4 = 55%: substantial (50 ≤ 55 < 75).
    assert_eq!(s["overall"], 55.0);
    assert_eq!(s["rating"], "substantial");
    // Cell weights w·W: 2+2+4 + 2+2+4 + 2 (the n/a law cell is out) = 18; unknown 2.
    // Coverage = 16 / 18 = 88.9%.
    assert_eq!(s["coverage"], 88.9);
    // harm-protection = identification: (2·0.5 + 2·1 + 4·0.5) / 8 = 62.5%;
    // unconditional-support = unconditional: (0 + 2·0.5 + 4·1) / 8 = 62.5%; return 0 / 2.
    assert_eq!(s["principles"]["harm-protection"], 62.5);
    assert_eq!(s["principles"]["unconditional-support"], 62.5);
    assert_eq!(s["principles"]["voluntary-return"], 0.0);
    assert_eq!(s["assistance_types"]["protection"], 62.5);
    assert_eq!(s["assistance_types"]["shelter"], 62.5);
    assert_eq!(s["assistance_types"]["return"], 0.0);
    // Gaps: w·W·(1−p) / 18, by severity, then criterion, then level.
    let gaps: Vec<(&str, &str, f64)> = j["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| {
            (
                g["criterion"].as_str().unwrap_or_default(),
                g["level"].as_str().unwrap_or_default(),
                g["severity"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(
        gaps,
        [
            ("protection.identification", "practice", 11.1), // 4·0.5 / 18
            ("return.voluntary", "practice", 11.1),          // 2·1 / 18
            ("shelter.unconditional", "law", 11.1),          // 2·1 / 18
            ("protection.identification", "law", 5.6),       // 2·0.5 / 18
            ("shelter.unconditional", "policy", 5.6),        // 2·0.5 / 18
        ]
    );
    // Practice full against law none: in practice, without legal guarantee.
    let ig = j["implementation_gaps"]
        .as_array()
        .expect("implementation_gaps");
    assert_eq!(ig.len(), 1);
    assert_eq!(ig[0]["criterion"], "shelter.unconditional");
    assert_eq!(ig[0]["kind"], "in_practice_without_law");
    assert_eq!(ig[0]["difference"], 1.0);
}

fn is_pct(v: &Value) -> bool {
    v.as_f64().is_some_and(|x| (0.0..=100.0).contains(&x))
}

/// The keys every consumer of `score --format json` relies on.
fn assert_contract(j: &Value, what: &str) {
    let ctx = |k: &str| format!("{what}: {k}");
    assert_eq!(j["schema_version"], 2, "{}", ctx("schema_version"));
    assert!(j["country"]["code"].is_string(), "{}", ctx("country.code"));
    assert!(j["country"]["name"].is_string(), "{}", ctx("country.name"));
    for k in ["id", "version"] {
        assert!(
            j["rubric"][k].is_string(),
            "{}",
            ctx(&format!("rubric.{k}"))
        );
    }
    let sha = j["rubric"]["sha256"].as_str().unwrap_or_default();
    assert!(
        sha.len() == 64
            && sha
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{}",
        ctx(&format!("rubric.sha256 {sha:?}"))
    );
    let as_of = j["as_of"].as_str().unwrap_or_default();
    assert!(
        as_of.len() == 10 && as_of.as_bytes()[4] == b'-' && as_of.as_bytes()[7] == b'-',
        "{}",
        ctx("as_of")
    );
    let s = &j["score"];
    assert!(is_pct(&s["overall"]), "{}", ctx("score.overall"));
    for l in ["law", "policy", "practice"] {
        let v = &s["levels"][l];
        assert!(
            v.is_null() || is_pct(v),
            "{}",
            ctx(&format!("score.levels.{l}"))
        );
    }
    for k in ["principles", "assistance_types"] {
        let m = s[k].as_object().unwrap_or_else(|| panic!("{}", ctx(k)));
        assert!(!m.is_empty(), "{}", ctx(k));
        for (id, v) in m {
            assert!(
                v.is_null() || is_pct(v),
                "{}",
                ctx(&format!("score.{k}.{id}"))
            );
        }
    }
    assert!(is_pct(&s["coverage"]), "{}", ctx("score.coverage"));
    assert!(s["rating"].is_string(), "{}", ctx("score.rating"));
    for g in j["gaps"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", ctx("gaps")))
    {
        assert!(g["criterion"].is_string(), "{}", ctx("gaps[].criterion"));
        let level = g["level"].as_str().unwrap_or_default();
        assert!(
            ["law", "policy", "practice"].contains(&level),
            "{}",
            ctx("gaps[].level")
        );
        let status = g["status"].as_str().unwrap_or_default();
        assert!(
            ["partial", "none", "unknown"].contains(&status),
            "{}",
            ctx("gaps[].status")
        );
        assert!(is_pct(&g["severity"]), "{}", ctx("gaps[].severity"));
    }
    assert!(
        j["implementation_gaps"].is_array(),
        "{}",
        ctx("implementation_gaps")
    );
}

#[test]
fn json_contract() {
    let j = score_json(&[PROFILE]);
    assert_contract(&j, PROFILE);
    assert_eq!(j["country"]["code"], "XA");
    assert_eq!(j["country"]["name"], "Examplia");
    assert_eq!(j["rubric"]["id"], "mini");
    assert_eq!(j["rubric"]["version"], "0.2.0");
    assert_eq!(j["as_of"], "2025-03-31");
}

fn bundled_profiles() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join("frameworks/asean"))
        .expect("frameworks/asean")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.len() == "xx.yaml".len() && n.ends_with(".yaml"))
        .map(|n| format!("frameworks/asean/{n}"))
        .collect();
    out.sort();
    assert_eq!(out.len(), 11, "{out:?}");
    out
}

#[test]
fn every_bundled_profile_scores_and_keeps_the_contract() {
    for p in bundled_profiles() {
        let j = score_json(&[&p]);
        assert_contract(&j, &p);
        assert_eq!(j["rubric"]["id"], "acwc-victim-assistance", "{p}");
    }
}

#[test]
fn every_bundled_profile_scores_against_the_palermo_extension() {
    for p in bundled_profiles() {
        let j = score_json(&["--rubric", "rubrics/palermo-protocol.toml", &p]);
        assert_contract(&j, &p);
        assert_eq!(j["rubric"]["id"], "palermo-protocol-6-8", "{p}");
        // Only the extension's criteria are scored.
        let acwc = score_json(&[&p]);
        assert!(
            j["cells"].as_array().map(Vec::len) < acwc["cells"].as_array().map(Vec::len),
            "{p}: the extension selects fewer criteria"
        );
    }
}

#[test]
fn a_rubric_the_profile_does_not_answer_is_refused() {
    let run = frameaudit(&[
        "score",
        "--rubric",
        "rubrics/acwc-victim-assistance.toml",
        PROFILE,
    ])
    .run();
    run.code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr.contains(
            "error[rubric-mismatch]: profile answers rubric `mini`, but is scored against `acwc-victim-assistance`"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("  --> {PROFILE}:5:9\n")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_directory_is_refused_with_a_clear_message() {
    let run = frameaudit(&["score", "frameworks/asean"]).run();
    run.code(2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: frameworks/asean is a directory; `score` takes one profile file (use `report` or `compare` for a folder)\n"
    );
}

#[test]
fn an_invalid_profile_is_not_scored() {
    let run = frameaudit(&["score", "tests/fixtures/validate/several/xa.yaml"]).run();
    run.code(2);
    assert_eq!(run.stdout, "", "no scorecard for an invalid profile");
    assert!(
        run.stderr.contains("error[unknown-criterion]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("1 file, 5 errors, 1 warning\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_file_holds_the_same_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("xa.json");
    let out_s = out.to_str().expect("utf-8 path");
    let run = frameaudit(&["score", "--format", "json", "-o", out_s, PROFILE]).run();
    run.code(0);
    assert_eq!(run.stdout, "");
    let stdout = frameaudit(&["score", "--format", "json", PROFILE]).run();
    assert_eq!(
        std::fs::read_to_string(&out).expect("written"),
        stdout.stdout
    );
}

/// Every score of `j` lies within its bounds, and the lower bound is the score (default
/// points: unknown earns what none earns).
fn assert_bounds(j: &Value, what: &str) {
    let s = &j["score"];
    let b = &s["bounds"];
    let within = |v: &Value, r: &Value, k: &str| {
        if v.is_null() {
            assert!(r.is_null(), "{what}: {k} has bounds but no score");
            return;
        }
        assert_eq!(&r["lower"], v, "{what}: {k} lower bound is the score");
        assert!(
            r["lower"].as_f64() <= r["upper"].as_f64() && r["upper"].as_f64() <= Some(100.0),
            "{what}: {k} {r}"
        );
    };
    within(&s["overall"], &b["overall"], "overall");
    for l in ["law", "policy", "practice"] {
        within(&s["levels"][l], &b["levels"][l], l);
    }
    for k in ["principles", "assistance_types"] {
        for (id, v) in s[k].as_object().expect(k) {
            within(v, &b[k][id], id);
        }
    }
}

/// The overall, level, principle and type scores of `j`, keyed for comparison.
fn all_scores(j: &Value) -> Vec<(String, Value)> {
    let s = &j["score"];
    let mut out = vec![("overall".to_string(), s["overall"].clone())];
    for l in ["law", "policy", "practice"] {
        out.push((l.to_string(), s["levels"][l].clone()));
    }
    for k in ["principles", "assistance_types"] {
        for (id, v) in s[k].as_object().expect(k) {
            out.push((format!("{k}.{id}"), v.clone()));
        }
    }
    out
}

/// The upper bounds of `j`, keyed as [`all_scores`].
fn all_uppers(j: &Value) -> Vec<(String, Value)> {
    let b = &j["score"]["bounds"];
    let mut out = vec![("overall".to_string(), b["overall"]["upper"].clone())];
    for l in ["law", "policy", "practice"] {
        out.push((l.to_string(), b["levels"][l]["upper"].clone()));
    }
    for k in ["principles", "assistance_types"] {
        for (id, v) in b[k].as_object().expect(k) {
            out.push((format!("{k}.{id}"), v["upper"].clone()));
        }
    }
    out
}

/// The profile text with every block-style `status: unknown` rewritten as `status: full`,
/// citing the profile's first source where the cell cites none (a `full` cell must cite).
fn unknowns_at_full(text: &str) -> String {
    let first_source = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("- id: "))
        .expect("a source")
        .trim();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(indent) = line.strip_suffix("status: unknown") else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        assert!(indent.trim().is_empty(), "block style expected: {line}");
        out.push_str(&format!("{indent}status: full\n"));
        let cites = lines[i + 1..]
            .iter()
            .take_while(|l| l.starts_with(indent) && !l[indent.len()..].starts_with(' '))
            .any(|l| l.trim_start().starts_with("evidence:"));
        if !cites {
            out.push_str(&format!("{indent}evidence: [\"{first_source}\"]\n"));
        }
    }
    out
}

/// For every bundled profile: the lower bound is the score, and every upper bound is what
/// the tool scores for a copy of the profile with each `unknown` rewritten as `full`.
#[test]
fn every_bundled_profile_has_bounds_and_the_upper_bound_is_unknowns_at_full() {
    let dir = tempfile::tempdir().expect("tempdir");
    for p in bundled_profiles() {
        let j = score_json(&[&p]);
        assert_bounds(&j, &p);
        assert_eq!(
            j["score"]["bounds"]["overall"]["lower"], j["score"]["overall"],
            "{p}"
        );
        let text = std::fs::read_to_string(root().join(&p)).expect("profile");
        let unknowns = text.matches("status: unknown").count();
        assert!(unknowns > 0, "{p} has unknown cells");
        let full = dir.path().join(p.rsplit('/').next().expect("file name"));
        std::fs::write(&full, unknowns_at_full(&text)).expect("write");
        let rescored = score_json(&[
            "--rubric",
            "rubrics/acwc-victim-assistance.toml",
            utf8(&full),
        ]);
        assert_eq!(
            rescored["counts"]["unknown"], 0,
            "{p}: no unknown cell left"
        );
        assert_eq!(all_uppers(&j), all_scores(&rescored), "{p}");
    }
}

/// For every bundled profile, the cells' contributions add up to the overall score within
/// rounding (each contribution has three decimals, the score one).
#[test]
fn every_bundled_profile_contributions_add_up_to_the_overall() {
    for p in bundled_profiles() {
        let j = score_json(&[&p]);
        let cells = j["cells"].as_array().expect("cells");
        let sum: f64 = cells
            .iter()
            .filter_map(|c| c["contribution"].as_f64())
            .sum();
        let overall = j["score"]["overall"].as_f64().expect("overall");
        assert!((sum - overall).abs() <= 0.1, "{p}: {sum} vs {overall}");
        // The cells carry their evidence and notes.
        assert!(
            cells
                .iter()
                .any(|c| c["evidence"].as_array().is_some_and(|e| !e.is_empty())),
            "{p}"
        );
        assert!(cells.iter().all(|c| c.get("note").is_some()), "{p}");
        // Upper − lower = what the unknown cells could add.
        let at_stake: f64 = cells
            .iter()
            .filter(|c| c["status"] == "unknown")
            .map(|c| c["max_contribution"].as_f64().unwrap_or(0.0))
            .sum();
        let b = &j["score"]["bounds"]["overall"];
        let gap = b["upper"].as_f64().unwrap_or(0.0) - b["lower"].as_f64().unwrap_or(0.0);
        assert!((gap - at_stake).abs() <= 0.15, "{p}: {gap} vs {at_stake}");
    }
}

/// An `init` scaffold lists every criterion as unknown: coverage 0, under `min_coverage`, so
/// it is not rated, and its bounds span 0–100.
#[test]
fn an_init_scaffold_is_rated_insufficient_evidence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("xa.yaml");
    frameaudit(&["init", "XA", "--name", "Testland", "-o", utf8(&path)])
        .run()
        .code(0);
    let j = score_json(&[
        "--rubric",
        "rubrics/acwc-victim-assistance.toml",
        utf8(&path),
    ]);
    assert_eq!(j["score"]["coverage"], 0.0);
    assert_eq!(j["score"]["min_coverage"], 50.0);
    assert_eq!(j["score"]["rating"], "insufficient_evidence");
    assert_eq!(j["score"]["bounds"]["overall"]["lower"], 0.0);
    assert_eq!(j["score"]["bounds"]["overall"]["upper"], 100.0);
    let run = frameaudit(&[
        "score",
        "--rubric",
        "rubrics/acwc-victim-assistance.toml",
        utf8(&path),
    ])
    .run();
    run.code(0);
    assert!(
        run.stdout
            .contains("rating: not rated: 0.0% of cells assessed, 50.0% needed"),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_table() {
    let run = frameaudit(&["score", "--explain", PROFILE]).run();
    run.code(0);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn explain_json() {
    let run = frameaudit(&["score", "--explain", "--format", "json", PROFILE]).run();
    run.code(0);
    let j: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let e = &j["explanation"];
    // The levels and the types each add up to the overall score (55.0, hand-computed in
    // numbers_match_the_hand_computation).
    for k in ["levels", "assistance_types"] {
        let sum: f64 = e[k]
            .as_array()
            .expect(k)
            .iter()
            .filter_map(|r| r["contribution"].as_f64())
            .sum();
        assert!((sum - 55.0).abs() < 0.01, "{k}: {sum}");
    }
    // Law: S_law 25% × W 1 / 4 = 6.25; practice 60% × 2 / 4 = 30.
    assert_eq!(e["levels"][0]["contribution"], 6.25);
    assert_eq!(e["levels"][2]["contribution"], 30.0);
    insta::assert_snapshot!(run.stdout);
}
