//! `frameaudit rubric show|explain` and `frameaudit init`: the bundled rubric's JSON shape and
//! balance, one criterion explained, the worked example computed by the tool (and agreeing
//! with `score`), did-you-mean for an unknown criterion, the Markdown listing; a scaffold that
//! validates and is never overwritten.

use crate::common;
use common::*;

use std::collections::BTreeMap;

use serde_json::Value;

fn show_json() -> Value {
    let run = frameaudit(&["rubric", "show", "--format", "json"]).run();
    run.code(0);
    serde_json::from_str(&run.stdout).expect("rubric show JSON")
}

#[test]
fn show_json_lists_criteria_with_their_fields() {
    let j = show_json();
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["id"], "acwc-victim-assistance");
    let sha = j["sha256"].as_str().unwrap_or_default();
    assert_eq!(sha.len(), 64, "{sha}");
    let criteria = j["criteria"].as_array().expect("top-level `criteria` list");
    assert!(criteria.len() >= 24, "{} criteria", criteria.len());
    for c in criteria {
        let id = c["id"].as_str().expect("criterion id");
        let principles = c["principles"].as_array().expect("principles");
        assert!(!principles.is_empty(), "{id}: principles");
        assert!(c["assistance_type"].is_string(), "{id}: assistance_type");
        assert!(
            c["weight"].as_f64().is_some_and(|w| w > 0.0),
            "{id}: weight"
        );
        let levels = c["levels"].as_array().expect("levels");
        assert!(!levels.is_empty(), "{id}: levels");
        for l in levels {
            assert!(["law", "policy", "practice"].contains(&l.as_str().unwrap_or_default()));
        }
        let refs = c["references"].as_array().expect("references");
        assert!(
            !refs.is_empty(),
            "{id}: every bundled criterion cites an instrument"
        );
    }
}

#[test]
fn every_principle_and_type_has_at_least_three_criteria() {
    let j = show_json();
    let criteria = j["criteria"].as_array().expect("criteria");
    let mut per_principle: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
    for p in j["principles"].as_array().expect("principles") {
        per_principle.insert(p["id"].as_str().expect("id").to_string(), 0);
    }
    for t in j["assistance_types"].as_array().expect("assistance_types") {
        per_type.insert(t["id"].as_str().expect("id").to_string(), 0);
    }
    assert_eq!(
        per_principle.len(),
        6,
        "the six ACWC fundamental principles"
    );
    assert_eq!(per_type.len(), 6, "the six ACWC types of assistance");
    for c in criteria {
        for p in c["principles"].as_array().expect("principles") {
            *per_principle
                .get_mut(p.as_str().expect("principle id"))
                .expect("criterion names a defined principle") += 1;
        }
        *per_type
            .get_mut(c["assistance_type"].as_str().expect("type id"))
            .expect("criterion names a defined type") += 1;
    }
    for (what, m) in [("principle", &per_principle), ("type", &per_type)] {
        for (id, n) in m {
            assert!(*n >= 3, "{what} `{id}` has only {n} criteria");
        }
    }
}

#[test]
fn explain_one_criterion_shows_references_and_guidance() {
    let run = frameaudit(&["rubric", "explain", "shelter.unconditional"]).run();
    run.code(0);
    let out = &run.stdout;
    assert!(out.starts_with("shelter.unconditional — "), "{out}");
    assert!(out.contains("\nReferences: "), "{out}");
    assert!(out.contains("UNPG guideline 6"), "{out}");
    assert!(out.contains("\nWeight: 2\n"), "{out}");
    // Guidance for full, partial and none at each level.
    for heading in ["In law", "In policies", "In practice"] {
        assert!(
            out.contains(&format!("\n{heading}")),
            "no guidance for {heading}\n{out}"
        );
    }
    assert!(out.matches("\n  full     ").count() >= 3, "{out}");
    assert!(out.matches("\n  partial  ").count() >= 3, "{out}");
    assert!(out.matches("\n  none     ").count() >= 3, "{out}");
    assert!(out.contains("\n  unknown  "), "{out}");
}

#[test]
fn explain_unknown_criterion_suggests_the_closest() {
    let run = frameaudit(&["rubric", "explain", "shelter.unconditonal"]).run();
    run.code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("error[unknown-criterion]: unknown criterion `shelter.unconditonal`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("   = help: did you mean `shelter.unconditional`?\n"),
        "{}",
        run.stderr
    );
}

/// Finds the first percentage after `label` in `text` ("… = 38.3%").
fn pct_after(text: &str, label: &str) -> f64 {
    let start = text
        .find(label)
        .unwrap_or_else(|| panic!("no {label:?} in\n{text}"));
    let rest = &text[start..];
    let end = rest
        .find('%')
        .unwrap_or_else(|| panic!("no % after {label:?}"));
    let num: String = rest[..end]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    num.parse()
        .unwrap_or_else(|e| panic!("{num:?} after {label:?}: {e}"))
}

#[test]
fn explain_method_computes_the_worked_example_like_score() {
    let run = frameaudit(&["rubric", "explain"]).run();
    run.code(0);
    let out = &run.stdout;
    assert!(out.contains("Worked example: Philippines (PH)"), "{out}");
    let score = frameaudit(&["score", "--format", "json", "frameworks/asean/ph.yaml"]).run();
    score.code(0);
    let j: Value = serde_json::from_str(&score.stdout).expect("score JSON");
    let s = &j["score"];
    // Step B prints each level score, the overall (`S = (…) / n = x%`) and coverage.
    for l in ["law", "policy", "practice"] {
        assert_eq!(
            pct_after(out, &format!("   S_{l} = ")),
            s["levels"][l].as_f64().expect("level score"),
            "S_{l}"
        );
    }
    let overall_line = out
        .lines()
        .find(|l| l.trim_start().starts_with("S = ("))
        .expect("the overall line");
    assert_eq!(
        pct_after(overall_line, "= "),
        s["overall"].as_f64().unwrap_or(-1.0)
    );
    assert!(
        overall_line.ends_with(&format!("rating {}", s["rating"].as_str().unwrap_or("?"))),
        "{overall_line}"
    );
    assert_eq!(
        pct_after(out, "coverage = "),
        s["coverage"].as_f64().unwrap_or(-1.0)
    );
    // Step A recomputes the first type of assistance by hand and prints the tool's figure.
    let first_id = show_json()["assistance_types"][0]["id"]
        .as_str()
        .expect("a type of assistance")
        .to_string();
    assert!(
        out.contains(&format!("A. Type of assistance `{first_id}`")),
        "{out}"
    );
    let first_type = s["assistance_types"][&first_id]
        .as_f64()
        .expect("its score");
    assert_eq!(pct_after(out, "   score = "), first_type);
    assert_eq!(pct_after(out, "(tool: "), first_type);
}

#[test]
fn show_markdown() {
    let run = frameaudit(&["rubric", "show", "--format", "markdown"]).run();
    run.code(0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn init_writes_a_profile_that_validates_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("xa.yaml");
    let p = path.to_str().expect("utf-8 path");
    let run = frameaudit(&["init", "XA", "--name", "Testland", "-o", p]).run();
    run.code(0);
    assert!(run.stderr.starts_with("wrote "), "{}", run.stderr);
    let text = std::fs::read_to_string(&path).expect("scaffold written");
    assert!(
        text.contains("country: { code: XA, name: \"Testland\" }"),
        "{text}"
    );
    assert!(text.contains("rubric: acwc-victim-assistance"), "{text}");

    // The scaffold lies outside the repository: the rubric is found among the bundled ones.
    let run = frameaudit(&["validate", "--strict", p]).run();
    run.code(0);
    assert!(
        run.stderr.contains("1 file, 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
    // And from inside the temporary directory, by a relative path.
    let run = frameaudit(&["validate", "--strict", "xa.yaml"])
        .current_dir(dir.path())
        .run();
    run.code(0);

    // A second init to the same path is refused and leaves the file as it was.
    let run = frameaudit(&["init", "XA", "--name", "Other", "-o", p]).run();
    run.code(2);
    assert!(
        run.stderr.contains("already exists; refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&path).expect("still there"), text);
}

/// `init` says what to add to region.yaml: beside a region that does not list the country,
/// the member line; beside one that does, nothing.
#[test]
fn init_says_what_to_add_to_region_yaml() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(
        common::root().join("frameworks/asean/region.yaml"),
        dir.path().join("region.yaml"),
    )
    .unwrap();
    let xa = dir.path().join("xa.yaml");
    let run = frameaudit(&[
        "init",
        "XA",
        "--name",
        "Testland",
        "-o",
        xa.to_str().unwrap(),
    ])
    .run();
    run.code(0);
    assert!(
        run.stderr
            .contains("`XA` is not a member of region `asean`")
            && run.stderr.contains("region.yaml")
            && run
                .stderr
                .contains("  - { code: XA, name: \"Testland\", joined: YYYY-MM-DD }"),
        "{}",
        run.stderr
    );
    let tl = dir.path().join("tl.yaml");
    let run = frameaudit(&["init", "TL", "-o", tl.to_str().unwrap()]).run();
    run.code(0);
    assert!(!run.stderr.contains("note:"), "{}", run.stderr);
    let text = std::fs::read_to_string(&tl).unwrap();
    assert!(text.contains("name: \"Timor-Leste\""), "{text}");
}

#[test]
fn init_scaffold_lists_every_criterion_as_unknown() {
    let run = frameaudit(&["init", "PH"]).run();
    run.code(0);
    let j = show_json();
    let criteria = j["criteria"].as_array().expect("criteria");
    for c in criteria {
        let id = c["id"].as_str().expect("id");
        assert!(run.stdout.contains(&format!("\n  {id}:\n")), "{id} missing");
    }
    let cells: usize = criteria
        .iter()
        .map(|c| c["levels"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(
        run.stdout.matches("{ status: unknown, note: ").count(),
        cells
    );
    assert!(
        run.stdout.contains("name: \"Philippines\""),
        "{}",
        run.stdout
    );
}

#[test]
fn init_refuses_a_bad_country_code() {
    let run = frameaudit(&["init", "XYZ", "--name", "Nowhere"]).run();
    run.code(2);
    assert_eq!(run.stdout, "");
    assert!(
        run.stderr
            .contains("not an ISO 3166-1 alpha-2 country code"),
        "{}",
        run.stderr
    );
}

#[test]
fn min_coverage_defaults_to_50_and_is_shown() {
    let j = show_json();
    assert_eq!(j["min_coverage"], 50.0);
}

/// `min_coverage` outside 0–100 and a band named like the rating of a profile under it are
/// both errors, each at its line; a valid `min_coverage` changes who is rated.
#[test]
fn min_coverage_is_checked_and_applied() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rubrics = dir.path().join("rubrics");
    std::fs::create_dir_all(&rubrics).expect("mkdir");
    let base = std::fs::read_to_string(fixture("score/rubrics/mini.toml")).expect("mini");
    let bad = base
        .replacen("description = ", "min_coverage = 150\ndescription = ", 1)
        .replacen(
            "label = \"minimal\"",
            "label = \"insufficient_evidence\"",
            1,
        );
    std::fs::write(rubrics.join("mini.toml"), &bad).expect("write");
    let run = frameaudit(&["validate", utf8(dir.path())]).run();
    run.code(2);
    assert!(
        run.stderr
            .contains("error[invalid-value]: min_coverage is 150"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("mini.toml:8:16"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error[bad-bands]: a rating band is labelled `insufficient_evidence`"),
        "{}",
        run.stderr
    );

    // min_coverage 95: the score fixture (coverage 88.9%) is no longer rated.
    let strict = base.replacen("description = ", "min_coverage = 95\ndescription = ", 1);
    std::fs::write(rubrics.join("mini.toml"), strict).expect("write");
    let profile = dir.path().join("xa.yaml");
    std::fs::copy(fixture("score/xa.yaml"), &profile).expect("copy");
    let run = frameaudit(&["score", "--format", "json", utf8(&profile)]).run();
    run.code(0);
    let j: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(j["score"]["min_coverage"], 95.0);
    assert_eq!(j["score"]["rating"], "insufficient_evidence");
    assert_eq!(j["score"]["overall"], 55.0, "the score itself is kept");
}
