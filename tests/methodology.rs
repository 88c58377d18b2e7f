//! docs/methodology.md §11 "Worked example" computes every number by hand. This test takes
//! the rubric (```toml) and profile (```yaml) blocks from that section, lays them out so the
//! loader finds the rubric (`tmp/rubrics/<id>.toml`, `tmp/region/xa.yaml`), runs
//! `score --format json` and checks the tool gives the numbers the document states.

use crate::common;
use common::*;

use std::path::Path;

use serde_json::Value;

/// The body of the first fenced code block of `lang` in `text`.
fn fenced(text: &str, lang: &str) -> String {
    let open = format!("```{lang}\n");
    let start = text
        .find(&open)
        .unwrap_or_else(|| panic!("no ```{lang} block in §11"))
        + open.len();
    let len = text[start..]
        .find("\n```")
        .unwrap_or_else(|| panic!("unclosed ```{lang} block"));
    format!("{}\n", &text[start..start + len])
}

/// §11 of docs/methodology.md, up to the next top-level section.
fn worked_example_section() -> String {
    let doc = std::fs::read_to_string(root().join("docs/methodology.md")).expect("methodology.md");
    let start = doc
        .find("\n## 11. Worked example")
        .expect("§11 Worked example");
    let rest = &doc[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 3);
    rest[..end].to_string()
}

/// Writes the worked example to `dir` and returns the profile's path.
fn lay_out(dir: &Path) -> std::path::PathBuf {
    let section = worked_example_section();
    let rubric = fenced(&section, "toml");
    let profile = fenced(&section, "yaml");
    assert!(rubric.contains("id = \"worked-example\""), "{rubric}");
    assert!(profile.contains("rubric: worked-example"), "{profile}");
    std::fs::create_dir_all(dir.join("rubrics")).expect("mkdir");
    std::fs::create_dir_all(dir.join("region")).expect("mkdir");
    std::fs::write(dir.join("rubrics/worked-example.toml"), rubric).expect("write rubric");
    let path = dir.join("region/xa.yaml");
    std::fs::write(&path, profile).expect("write profile");
    path
}

#[test]
fn the_worked_example_is_valid() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = lay_out(dir.path());
    let run = frameaudit(&["validate", "--strict", profile.to_str().expect("utf-8")]).run();
    run.code(0);
    assert!(
        run.stderr.contains("1 file, 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_tool_computes_the_numbers_the_document_states() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = lay_out(dir.path());
    let run = frameaudit(&[
        "score",
        "--format",
        "json",
        profile.to_str().expect("utf-8"),
    ])
    .run();
    run.code(0);
    let j: Value = serde_json::from_str(&run.stdout).expect("score JSON");
    let s = &j["score"];
    assert_eq!(j["rubric"]["id"], "worked-example");
    assert_eq!(j["country"]["code"], "XA");

    // §11 "The cells": seven cells scored, return.alternatives in practice left out.
    let counts = &j["counts"];
    assert_eq!(counts["full"], 2);
    assert_eq!(counts["partial"], 2);
    assert_eq!(counts["none"], 2);
    assert_eq!(counts["unknown"], 1);
    assert_eq!(counts["not_applicable"], 1);

    // §11 "Level scores": 62.5%, 66.7%, 16.7%.
    assert_eq!(s["levels"]["law"], 62.5);
    assert_eq!(s["levels"]["policy"], 66.7);
    assert_eq!(s["levels"]["practice"], 16.7);

    // §11 "Overall score and rating": 1.625 / 4 = 0.40625 → 40.6%, limited.
    assert_eq!(s["overall"], 40.6);
    assert_eq!(s["rating"], "limited");

    // §11 "Coverage": 12 / 13 → 92.3% (the not-applicable cell outside both sums).
    assert_eq!(s["coverage"], 92.3);
    // 92.3 ≥ min_coverage 50: rated.
    assert_eq!(s["min_coverage"], 50.0);

    // §11 "Bounds": care.medical / policy at full → policy 3 / 3; S = 1.9583 / 4 → 49.0%.
    let b = &s["bounds"];
    assert_eq!(b["overall"]["lower"], 40.6);
    assert_eq!(b["overall"]["upper"], 49.0);
    assert_eq!(b["levels"]["policy"]["upper"], 100.0);
    assert_eq!(b["levels"]["law"]["upper"], 62.5);
    assert_eq!(b["principles"]["unconditional-support"]["upper"], 50.0);
    assert_eq!(b["assistance_types"]["care"]["upper"], 50.0);

    // §11 "Contributions": 12.5, 3.125, 16.667, 8.333 (the rest 0), adding up to 40.625.
    let contribution = |id: &str, level: &str| {
        j["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .find(|c| c["criterion"] == id && c["level"] == level)
            .map(|c| c["contribution"].clone())
            .expect("cell")
    };
    assert_eq!(contribution("shelter.unconditional", "law"), 12.5);
    assert_eq!(contribution("return.alternatives", "law"), 3.125);
    assert_eq!(contribution("shelter.unconditional", "policy"), 16.667);
    assert_eq!(contribution("care.medical", "practice"), 8.333);
    assert_eq!(contribution("care.medical", "law"), 0.0);
    assert_eq!(contribution("return.alternatives", "practice"), Value::Null);

    // §11 "Principle scores": 5 / 12 → 41.7%; 0.5 / 1 → 50.0%.
    assert_eq!(s["principles"]["unconditional-support"], 41.7);
    assert_eq!(s["principles"]["alternatives-to-return"], 50.0);
    // Assistance types: shelter 4 / 8, care 1 / 4, return 0.5 / 1.
    assert_eq!(s["assistance_types"]["shelter"], 50.0);
    assert_eq!(s["assistance_types"]["care"], 25.0);
    assert_eq!(s["assistance_types"]["return"], 50.0);

    // §11 "Gaps": the five gaps, in the document's order, with its severities.
    let gaps: Vec<(&str, &str, &str, f64)> = j["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| {
            (
                g["criterion"].as_str().unwrap_or_default(),
                g["level"].as_str().unwrap_or_default(),
                g["status"].as_str().unwrap_or_default(),
                g["severity"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(
        gaps,
        [
            ("shelter.unconditional", "practice", "none", 30.8),
            ("care.medical", "law", "none", 7.7),
            ("care.medical", "policy", "unknown", 7.7),
            ("care.medical", "practice", "partial", 7.7),
            ("return.alternatives", "law", "partial", 3.8),
        ]
    );

    // §11 "Implementation gaps": law-practice-gap (difference 1) for shelter.unconditional,
    // practice-without-law (difference 0.5) for care.medical, nothing else.
    let ig: Vec<(&str, &str, &str, f64)> = j["implementation_gaps"]
        .as_array()
        .expect("implementation_gaps")
        .iter()
        .map(|g| {
            (
                g["criterion"].as_str().unwrap_or_default(),
                g["kind"].as_str().unwrap_or_default(),
                g["other_level"].as_str().unwrap_or_default(),
                g["difference"].as_f64().unwrap_or(-1.0),
            )
        })
        .collect();
    assert_eq!(
        ig,
        [
            (
                "shelter.unconditional",
                "in_law_not_in_practice",
                "practice",
                1.0
            ),
            ("care.medical", "in_practice_without_law", "practice", 0.5),
        ]
    );
}

/// §11 "The cells" table and the rubric block must describe the same weights: the prose
/// says weights 2, 1, 1, practice weighted 2, and `return.alternatives` only in law and
/// practice.
#[test]
fn the_rubric_block_matches_the_prose() {
    let section = worked_example_section();
    assert!(
        section.contains("weights 2, 1, 1; practice weighted 2"),
        "§11 intro changed"
    );
    let rubric = fenced(&section, "toml");
    let parsed: toml::Value = toml::from_str(&rubric).expect("the TOML block parses");
    assert_eq!(parsed["levels"]["practice"].as_float(), Some(2.0));
    assert_eq!(parsed["levels"]["law"].as_float(), Some(1.0));
    assert_eq!(parsed["levels"]["policy"].as_float(), Some(1.0));
    let criteria = parsed["criteria"].as_array().expect("criteria");
    let weights: Vec<f64> = criteria
        .iter()
        .map(|c| c["weight"].as_float().expect("weight"))
        .collect();
    assert_eq!(weights, [2.0, 1.0, 1.0]);
    let levels = criteria[2]["levels"].as_array().expect("levels");
    assert_eq!(levels.len(), 2);
}
