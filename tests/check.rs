//! `frameaudit check` and `frameaudit diff` with the real binary on the fixtures in
//! tests/fixtures/check/: `baseline/` (two fictional countries), `regressed/` (a worse
//! status, a better one and a new gap), `improved/` (improvements only), `invalid/` (a
//! validation error) and `warning/` (a warning only). Exit codes in every format,
//! regression detection, SARIF schema validation, JUnit well-formedness, snapshots of every
//! format, a git-revision baseline, and the commands used in examples/.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{frameaudit, root};

const BASE: &str = "tests/fixtures/check/baseline";
const REGRESSED: &str = "tests/fixtures/check/regressed";
const IMPROVED: &str = "tests/fixtures/check/improved";
const INVALID: &str = "tests/fixtures/check/invalid";
const WARNING: &str = "tests/fixtures/check/warning";
const FORMATS: [&str; 5] = ["human", "json", "junit", "sarif", "github"];

fn check(args: &[&str]) -> common::Run {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    frameaudit(&all).run()
}

#[test]
fn exit_codes_are_the_same_in_every_format() {
    for f in FORMATS {
        check(&[BASE, "--format", f]).code(0);
        check(&[IMPROVED, "--baseline", BASE, "--format", f]).code(0);
        check(&[REGRESSED, "--baseline", BASE, "--format", f]).code(1);
        check(&[INVALID, "--format", f]).code(1);
        check(&[WARNING, "--format", f]).code(0);
        check(&[WARNING, "--fail-on", "warning", "--format", f]).code(1);
        check(&[BASE, "--fail-under", "50", "--format", f]).code(1);
        check(&[BASE, "--fail-under", "law=60", "--format", f]).code(0);
        check(&[BASE, "--fail-under", "policy=60", "--format", f]).code(1);
        check(&["tests/fixtures/check/nope", "--format", f]).code(2);
        check(&[BASE, "--baseline", "no-such-dir-or-rev", "--format", f]).code(2);
        check(&[BASE, "--fail-under", "lwa=60", "--format", f]).code(2);
    }
}

#[test]
fn unreadable_input_prints_the_diagnostic() {
    let r = check(&["tests/fixtures/check/nope"]);
    r.code(2);
    assert!(r.stderr.contains("error[io]"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn a_bad_threshold_is_a_usage_error_that_suggests_the_levels() {
    let r = check(&[BASE, "--fail-under", "lwa=60"]);
    r.code(2);
    assert!(r.stderr.contains("`law`"), "{}", r.stderr);
}

#[test]
fn regressions_are_found_and_counted() {
    let r = check(&[REGRESSED, "--baseline", BASE, "--format", "json"]);
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["passed"], false);
    let b = &v["baseline"];
    assert_eq!(b["gaps"]["new"], 2);
    assert_eq!(b["gaps"]["fixed"], 0);
    assert_eq!(b["gaps"]["persisting"], 10);
    assert_eq!(b["worse_cells"], 1);
    assert_eq!(b["better_cells"], 1);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"status-regression"));
    assert!(codes.contains(&"score-regression"));
    assert!(codes.contains(&"new-gap"));
    let worse = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "status-regression")
        .unwrap();
    assert_eq!(worse["country"], "XA");
    assert_eq!(worse["criterion"], "protection.identification");
    assert_eq!(worse["level"], "law");
    assert_eq!(
        (worse["line"].as_u64(), worse["column"].as_u64()),
        (Some(12), Some(20))
    );
}

#[test]
fn improvements_only_pass_and_count_fixed_gaps() {
    let r = check(&[IMPROVED, "--baseline", BASE, "--format", "json"]);
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["passed"], true);
    assert_eq!(v["baseline"]["gaps"]["new"], 0);
    assert_eq!(v["baseline"]["gaps"]["fixed"], 2);
    assert_eq!(v["baseline"]["gaps"]["persisting"], 8);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn same_data_as_baseline_passes_with_everything_persisting() {
    let r = check(&[BASE, "--baseline", BASE, "--format", "json"]);
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["baseline"]["gaps"]["new"], 0);
    assert_eq!(v["baseline"]["gaps"]["fixed"], 0);
    assert_eq!(v["baseline"]["gaps"]["persisting"], 10);
}

#[test]
fn a_removed_profile_is_a_regression() {
    let r = check(&[
        &format!("{IMPROVED}/xa.yaml"),
        "--baseline",
        BASE,
        "--format",
        "json",
    ]);
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "profile-removed" && f["country"] == "XB"),
        "{}",
        r.stdout
    );
}

#[test]
fn sarif_validates_against_the_oasis_schema() {
    let schema_path = Path::new("/work/shared/schemas/sarif-schema-2.1.0.json");
    let schema_path = if schema_path.exists() {
        schema_path.to_path_buf()
    } else {
        root().join("../shared/schemas/sarif-schema-2.1.0.json")
    };
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path)
            .unwrap_or_else(|e| panic!("{}: {e}", schema_path.display())),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for args in [
        vec![REGRESSED, "--baseline", BASE],
        vec![INVALID],
        vec![WARNING],
        vec![BASE],
    ] {
        let mut a = args.clone();
        a.extend(["--format", "sarif"]);
        let r = check(&a);
        let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "frameaudit");
        let rules: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        for c in frameaudit::diag::Code::ALL {
            assert!(rules.contains(&c.as_str()), "rule {c} missing");
        }
        for c in frameaudit::score::diff::FindingCode::ALL {
            assert!(rules.contains(&c.as_str()), "rule {c} missing");
        }
        for res in run["results"].as_array().unwrap() {
            let idx = res["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[idx], res["ruleId"].as_str().unwrap());
            let loc = &res["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
            assert!(
                !loc["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .starts_with('/')
            );
        }
    }
}

#[test]
fn sarif_fingerprints_ignore_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    copy_dir(&root().join(REGRESSED), &data);
    with_rubrics(dir.path());
    let base = root().join(BASE);
    let run = |d: &Path| {
        let r = frameaudit(&[
            "check",
            "data",
            "--baseline",
            base.to_str().unwrap(),
            "--format",
            "sarif",
        ])
        .current_dir(d)
        .run();
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["frameauditFinding/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = run(dir.path());
    let xa = data.join("xa.yaml");
    let text = std::fs::read_to_string(&xa).unwrap();
    std::fs::write(
        &xa,
        format!("# a comment that moves every line down\n{text}"),
    )
    .unwrap();
    let after = run(dir.path());
    assert_eq!(before.len(), after.len());
    assert!(
        before.iter().zip(&after).all(|(b, a)| b.0 == a.0),
        "fingerprints are stable"
    );
    assert!(
        before.iter().zip(&after).any(|(b, a)| b.1 != a.1),
        "lines did move"
    );
}

#[test]
fn junit_is_well_formed_with_one_testcase_per_cell() {
    let r = check(&[REGRESSED, "--baseline", BASE, "--format", "junit"]);
    r.code(1);
    let doc = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
    let root_el = doc.root_element();
    assert_eq!(root_el.tag_name().name(), "testsuites");
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let cell = |class: &str, name: &str| {
        cases
            .iter()
            .find(|c| c.attribute("classname") == Some(class) && c.attribute("name") == Some(name))
            .unwrap_or_else(|| panic!("testcase {class} {name}"))
    };
    let failed = |n: &roxmltree::Node| n.children().any(|c| c.has_tag_name("failure"));
    assert!(failed(cell("XA.law", "protection.identification")));
    assert!(!failed(cell("XA.policy", "protection.identification")));
    assert!(failed(cell("XB.law", "return.voluntary")));
    assert!(failed(cell("XA", "overall")));
    assert!(failed(cell("XA.law", "score")));
    // 8 cells + overall + 3 level scores per country, plus 2 validated files.
    assert_eq!(cases.len(), 2 * (8 + 1 + 3) + 2);
    assert_eq!(root_el.attribute("tests").unwrap(), cases.len().to_string());
    let failures = cases.iter().filter(|c| failed(c)).count();
    assert_eq!(root_el.attribute("failures").unwrap(), failures.to_string());

    let r = check(&[INVALID, "--format", "junit"]);
    let doc = roxmltree::Document::parse(&r.stdout).unwrap();
    let v = doc
        .descendants()
        .find(|n| n.attribute("classname") == Some("validation"))
        .unwrap();
    assert_eq!(
        v.attribute("name"),
        Some("tests/fixtures/check/invalid/xa.yaml")
    );
    let f = v.children().find(|c| c.has_tag_name("failure")).unwrap();
    assert_eq!(f.attribute("type"), Some("missing-evidence"));
}

#[test]
fn several_outputs_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out/f.sarif");
    let junit = dir.path().join("out/f.xml");
    let r = check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--format",
        "json",
        "--output",
        &format!("sarif={}", sarif.display()),
        "--output",
        &format!("junit={}", junit.display()),
    ]);
    r.code(1);
    assert!(
        serde_json::from_str::<serde_json::Value>(&r.stdout).is_ok(),
        "json on stdout"
    );
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(s["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&junit)
            .unwrap()
            .starts_with("<?xml")
    );

    let main = dir.path().join("main.json");
    let r = check(&[BASE, "--format", "json", "-o", main.to_str().unwrap()]);
    r.code(0);
    assert!(r.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&main)
            .unwrap()
            .contains("\"schema_version\": 1")
    );

    let r = check(&[BASE, "-o", "a.txt", "-o", "b.txt"]);
    r.code(2);
}

#[test]
fn an_output_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("xa.yaml");
    std::fs::copy(root().join(BASE).join("xa.yaml"), &p).unwrap();
    with_rubrics(dir.path());
    let before = std::fs::read_to_string(&p).unwrap();
    let r = frameaudit(&["check", "xa.yaml", "--output", "sarif=xa.yaml"])
        .current_dir(dir.path())
        .run();
    r.code(2);
    assert!(r.stderr.contains("input"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), before);
}

#[test]
fn github_summary_goes_to_the_step_summary_or_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let step = dir.path().join("step.md");
    std::fs::write(&step, "earlier step\n").unwrap();
    let r = frameaudit(&["check", REGRESSED, "--baseline", BASE, "--format", "github"])
        .env("GITHUB_STEP_SUMMARY", step.to_str().unwrap())
        .run();
    r.code(1);
    let text = std::fs::read_to_string(&step).unwrap();
    assert!(
        text.starts_with("earlier step\n## frameaudit check: failed"),
        "{text}"
    );

    let file = dir.path().join("summary.md");
    check(&[BASE, "--summary", file.to_str().unwrap()]).code(0);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("| Examplia (XA) |")
    );
}

#[test]
fn snapshot_human() {
    let r = check(&[REGRESSED, "--baseline", BASE]);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn snapshot_json() {
    let r = check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--fail-under",
        "practice=20",
        "--format",
        "json",
    ]);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn snapshot_junit() {
    let r = check(&[REGRESSED, "--baseline", BASE, "--format", "junit"]);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn snapshot_junit_invalid() {
    let r = check(&[INVALID, "--format", "junit"]);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn snapshot_sarif() {
    let r = check(&[REGRESSED, "--baseline", BASE, "--format", "sarif"]);
    let mut v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    // The rule list is every code with its description; the codes tests above cover it.
    let rules = &mut v["runs"][0]["tool"]["driver"]["rules"];
    let n = rules.as_array().unwrap().len();
    *rules = serde_json::json!(format!("<{n} rules>"));
    v["runs"][0]["tool"]["driver"]["version"] = serde_json::json!("<version>");
    insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn snapshot_github() {
    let r = check(&[REGRESSED, "--baseline", BASE, "--format", "github"]);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn snapshot_github_invalid_and_warning() {
    let r = check(&[INVALID, WARNING, "--format", "github"]);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn snapshot_github_summary() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("summary.md");
    check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--summary",
        file.to_str().unwrap(),
    ])
    .code(1);
    insta::assert_snapshot!(std::fs::read_to_string(&file).unwrap());
}

#[test]
fn snapshot_diff_table() {
    let r = frameaudit(&["diff", BASE, REGRESSED]).run();
    r.code(0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn snapshot_diff_markdown() {
    let r = frameaudit(&["diff", BASE, REGRESSED, "--format", "markdown"]).run();
    r.code(0);
    insta::assert_snapshot!(r.stdout);
}

/// A law status that got worse closes a law/practice gap; diff calls it a regression.
#[test]
fn diff_calls_a_worse_status_a_regression_even_when_it_narrows_a_gap() {
    let r = frameaudit(&["diff", BASE, REGRESSED]).run();
    r.code(0);
    assert!(
        r.stdout.contains("full → partial (regression)"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout
            .contains("Closed implementation gap: protection.identification"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Implementation gap narrowed by a regression, not closed by an improvement: protection.identification law got worse (full → partial); it was in law, not in practice (law-practice-gap)"),
        "{}",
        r.stdout
    );
}

#[test]
fn diff_json_has_deltas_and_effects() {
    let r = frameaudit(&["diff", BASE, REGRESSED, "--format", "json"]).run();
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let xa = &v["countries"][0];
    assert_eq!(xa["country"]["code"], "XA");
    assert_eq!(xa["levels"]["law"]["old"], 100.0);
    assert_eq!(xa["levels"]["law"]["new"], 75.0);
    assert_eq!(xa["levels"]["law"]["change"], -25.0);
    let cell = &xa["cells"][0];
    assert_eq!(cell["criterion"], "protection.identification");
    assert_eq!(
        (cell["old"].as_str(), cell["new"].as_str()),
        (Some("full"), Some("partial"))
    );
    assert_eq!(cell["direction"], "worse");
    assert_eq!(cell["effect"], -25.0);
    assert_eq!(v["gaps"]["new"], 2);
}

#[test]
fn diff_of_identical_data_says_so() {
    let r = frameaudit(&["diff", BASE, BASE]).run();
    r.code(0);
    assert!(
        r.stdout.contains("No change in scores or gaps."),
        "{}",
        r.stdout
    );
    frameaudit(&["diff", BASE, "no-such-rev"]).run().code(2);
}

/// Copies the check fixtures' rubrics into `dir/rubrics`, where profiles below `dir` find them.
fn with_rubrics(dir: &std::path::Path) {
    copy_dir(
        &root().join("tests/fixtures/check/rubrics"),
        &dir.join("rubrics"),
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=frameaudit tests",
            "-c",
            "user.email=tests@example.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn baseline_at_a_git_revision() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&root().join(BASE), &d.join("data"));
    with_rubrics(d);
    git(d, &["init", "-q"]);
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "baseline"]);

    // Regress the working tree: check against HEAD fails, naming the regression.
    copy_dir(&root().join(REGRESSED), &d.join("data"));
    let r = frameaudit(&["check", "data", "--baseline", "HEAD", "--format", "json"])
        .current_dir(d)
        .run();
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["baseline"]["source"], "HEAD");
    assert_eq!(v["baseline"]["gaps"]["new"], 2);
    let worse = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "status-regression")
        .expect("a status regression");
    assert_eq!(worse["file"], "data/xa.yaml");

    // From a subdirectory, with the path given relative to it.
    let r = frameaudit(&["check", ".", "--baseline", "HEAD", "--format", "json"])
        .current_dir(d.join("data"))
        .run();
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["failing_diagnostics"], 0, "{}", r.stdout);
    assert_eq!(v["baseline"]["worse_cells"], 1);

    // Improvements only: passes.
    copy_dir(&root().join(IMPROVED), &d.join("data"));
    frameaudit(&["check", "data", "--baseline", "HEAD"])
        .current_dir(d)
        .run()
        .code(0);

    // diff between a revision and the working tree, and between two revisions.
    git(d, &["commit", "-q", "-am", "improved"]);
    let r = frameaudit(&["diff", "HEAD~1", "data", "--format", "json"])
        .current_dir(d)
        .run();
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["gaps"]["fixed"], 2);
    let r = frameaudit(&[
        "diff", "HEAD~1", "HEAD", "--path", "data", "--format", "json",
    ])
    .current_dir(d)
    .run();
    r.code(0);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap()["gaps"]["fixed"],
        2
    );

    // Unknown revisions and option-looking revisions are usage errors.
    frameaudit(&["check", "data", "--baseline", "no-such-rev"])
        .current_dir(d)
        .run()
        .code(2);
    frameaudit(&["check", "data", "--baseline=--output=x"])
        .current_dir(d)
        .run()
        .code(2);
    // A path that did not exist at the revision: every profile is new, nothing regressed.
    std::fs::create_dir_all(d.join("more")).unwrap();
    std::fs::copy(root().join(BASE).join("xa.yaml"), d.join("more/xa.yaml")).unwrap();
    let r = frameaudit(&["check", "more", "--baseline", "HEAD", "--format", "json"])
        .current_dir(d)
        .run();
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["baseline"]["added"][0], "XA");
}

/// Every `frameaudit …` command in examples/, as argument lists.
fn example_invocations() -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let dir = root().join("examples");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let mut commands: Vec<String> = Vec::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let t = line.trim_start();
            let indent = line.len() - t.len();
            if t.starts_with('#') {
                i += 1;
                continue;
            }
            if let Some(rest) = t.strip_prefix("run:").or_else(|| t.strip_prefix("- run:")) {
                let rest = rest.trim();
                if rest.starts_with('>') || rest.starts_with('|') {
                    let mut block = Vec::new();
                    i += 1;
                    while i < lines.len()
                        && (lines[i].trim().is_empty()
                            || lines[i].len() - lines[i].trim_start().len() > indent)
                    {
                        block.push(lines[i].trim());
                        i += 1;
                    }
                    if rest.starts_with('>') {
                        commands.push(block.join(" "));
                    } else {
                        commands.extend(block.iter().map(|s| s.to_string()));
                    }
                    continue;
                }
                commands.push(rest.to_string());
            } else if let Some(entry) = t.strip_prefix("entry:") {
                // pre-commit: entry plus the hook's args.
                let mut cmd = entry.trim().to_string();
                let mut j = i + 1;
                while j < lines.len() && !lines[j].trim_start().starts_with("- id:") {
                    if let Some(a) = lines[j].trim().strip_prefix("args:") {
                        let a = a.trim().trim_start_matches('[').trim_end_matches(']');
                        for x in a.split(',') {
                            cmd.push(' ');
                            cmd.push_str(x.trim());
                        }
                    }
                    j += 1;
                }
                commands.push(cmd);
            } else if !name.ends_with(".yml") && !name.ends_with(".yaml") {
                commands.push(t.to_string());
            }
            i += 1;
        }
        for c in commands {
            for seg in c
                .split("&&")
                .flat_map(|s| s.split(';'))
                .flat_map(|s| s.split("||"))
            {
                let seg = seg.split('|').next().unwrap_or_default();
                let seg = seg.split('>').next().unwrap_or_default();
                let seg = seg.trim().trim_start_matches("exec ").trim();
                let seg = seg.trim_start_matches("then").trim();
                let words: Vec<String> = seg
                    .split_whitespace()
                    .map(|w| {
                        let w = w.trim_matches('"').trim_matches('\'');
                        if w.contains('$') {
                            "placeholder".to_string()
                        } else {
                            w.to_string()
                        }
                    })
                    .collect();
                if words.first().map(String::as_str) == Some("frameaudit") {
                    out.push((name.clone(), words));
                }
            }
        }
    }
    out
}

#[test]
fn examples_use_only_commands_and_flags_that_exist() {
    use clap::Parser;
    let found = example_invocations();
    let files: std::collections::BTreeSet<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    for f in ["github-actions.yml", "pre-commit-config.yaml", "pre-commit"] {
        assert!(
            files.contains(f),
            "no frameaudit command found in examples/{f}: {found:?}"
        );
    }
    assert!(found.len() >= 5, "{found:?}");
    for (file, words) in &found {
        if let Err(e) = frameaudit::cli::Cli::try_parse_from(words) {
            panic!(
                "examples/{file}: `{}` does not parse:\n{e}",
                words.join(" ")
            );
        }
    }
    // The workflow uploads the SARIF file that its check writes.
    let wf = std::fs::read_to_string(root().join("examples/github-actions.yml")).unwrap();
    assert!(wf.contains("github/codeql-action/upload-sarif"));
    assert!(
        wf.contains("--output sarif=frameaudit.sarif")
            && wf.contains("sarif_file: frameaudit.sarif")
    );
}

/// The data-quality examples (the workflow, both pre-commit hooks, with
/// examples/frameaudit.toml at the root of the data) pass on the bundled data as shipped: a
/// copy of frameworks/ and rubrics/ laid out as a data repository, each command run as
/// written, the baseline being the same data. The score-gates example is only parsed (above):
/// score gates are meant to fail where frameworks are weak.
#[test]
fn the_examples_pass_on_the_bundled_data() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    copy_tree(&root().join("frameworks"), &repo.join("frameworks"));
    copy_dir(&root().join("rubrics"), &repo.join("rubrics"));
    std::fs::copy(
        root().join("examples/frameaudit.toml"),
        repo.join("frameaudit.toml"),
    )
    .unwrap();
    let mut ran = 0;
    for (file, words) in example_invocations() {
        if file == "github-actions-score-gates.yml" {
            continue;
        }
        // A git revision or a $VARIABLE stands for the baseline: the same data here.
        let args: Vec<String> = words[1..]
            .iter()
            .map(|w| match w.as_str() {
                "placeholder" | "HEAD" => "frameworks".to_string(),
                _ => w.clone(),
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = frameaudit(&args).current_dir(repo).run();
        assert_eq!(
            r.code,
            0,
            "examples/{file}: `frameaudit {}` fails on the bundled data:\n{}\n{}",
            args.join(" "),
            r.stdout,
            r.stderr
        );
        ran += 1;
    }
    assert!(ran >= 5, "{ran}");
    // The config is what gates: a coverage drop fails the workflow's command.
    let xa = repo.join("now");
    copy_tree(&repo.join("frameworks"), &xa);
    let ph = xa.join("asean/ph.yaml");
    let text = std::fs::read_to_string(&ph).unwrap();
    let degraded = text.replacen("status: full", "status: unknown", 1);
    assert_ne!(text, degraded);
    std::fs::write(&ph, degraded).unwrap();
    let r = frameaudit(&[
        "check",
        "now",
        "--baseline",
        "frameworks",
        "--format",
        "json",
    ])
    .current_dir(repo)
    .run();
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"coverage-regression"), "{codes:?}");
    assert_eq!(v["failing_diagnostics"], 0, "{}", r.stdout);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn help_documents_exit_codes() {
    let r = frameaudit(&["check", "--help"]).run();
    r.code(0);
    assert!(r.stdout.contains("Exit codes"), "{}", r.stdout);
    assert!(r.stdout.contains("--baseline <DIR|GIT-REV>"));
}

/// Yearly (or sub-national) folders hold the same country codes: a baseline is paired folder
/// by folder, so a regression in one folder is found even when another folder holds the same
/// country unchanged (pairing by code alone compared one folder and skipped the other).
#[test]
fn baseline_pairs_profiles_by_folder_and_code() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    with_rubrics(dir.path());
    copy_dir(&root().join(BASE), &old.join("2024"));
    copy_dir(&root().join(BASE), &old.join("2025"));
    copy_dir(&root().join(REGRESSED), &new.join("2024"));
    copy_dir(&root().join(BASE), &new.join("2025"));
    let (old_s, new_s) = (old.to_str().unwrap(), new.to_str().unwrap());

    let r = check(&[new_s, "--baseline", old_s, "--format", "json"]);
    r.code(1);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let b = &v["baseline"];
    // The 2024 pair as in `regressions_are_found_and_counted`, the 2025 pair unchanged.
    assert_eq!(b["worse_cells"], 1, "{}", r.stdout);
    assert_eq!(b["gaps"]["new"], 2);
    assert_eq!(b["gaps"]["persisting"], 10 + 10);
    assert_eq!(b["added"].as_array().unwrap().len(), 0);
    assert_eq!(b["removed"].as_array().unwrap().len(), 0);
    let worse = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "status-regression")
        .unwrap();
    assert!(
        worse["file"].as_str().unwrap().ends_with("2024/xa.yaml"),
        "{worse}"
    );

    // A folder gone from the data is named in the removed list.
    std::fs::remove_dir_all(new.join("2025")).unwrap();
    let r = check(&[new_s, "--baseline", old_s, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["baseline"]["removed"],
        serde_json::json!(["2025/XA", "2025/XB"])
    );

    // `diff` pairs the same way and says which folder each country is in.
    let r = frameaudit(&["diff", old_s, new_s, "--format", "json"]).run();
    r.code(0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let folders: Vec<&str> = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["folder"].as_str().unwrap())
        .collect();
    assert_eq!(folders, ["2024", "2024"], "{}", r.stdout);
}

// ---------------------------------------------------------------- issue 16: gates, accept

fn json_of(r: &common::Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

/// A config file in a temporary directory.
fn config(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("frameaudit.toml");
    std::fs::write(&p, text).unwrap();
    let s = p.to_str().unwrap().to_string();
    (dir, s)
}

const ACCEPT_BOTH: &str = r#"
[[accept]]
country = "XA"
criterion = "protection.identification"
level = "law"
reason = "Act s.3 re-read: it defines victims but sets no procedure"

[[accept]]
country = "XB"
criterion = "return.voluntary"
level = "law"
reason = "The return provision was repealed in 2025"
until = 2099-12-31
"#;

#[test]
fn a_degraded_cell_fails_and_passes_once_accepted_with_a_reason() {
    check(&[REGRESSED, "--baseline", BASE]).code(1);
    let (_d, cfg) = config(ACCEPT_BOTH);
    for f in FORMATS {
        check(&[
            REGRESSED,
            "--baseline",
            BASE,
            "--config",
            &cfg,
            "--format",
            f,
        ])
        .code(0);
    }
    let r = check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--config",
        &cfg,
        "--format",
        "json",
    ]);
    let v = json_of(&r);
    assert_eq!(v["passed"], true);
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{v}");
    let accepted = v["accepted"].as_array().unwrap();
    let cell = accepted
        .iter()
        .find(|a| a["code"] == "status-regression")
        .expect("the worse cell is accepted");
    assert_eq!(
        cell["reason"],
        "Act s.3 re-read: it defines victims but sets no procedure"
    );
    assert!(
        cell["accepted_by"]
            .as_str()
            .unwrap()
            .ends_with("frameaudit.toml:2:1")
    );
    // The score drops follow from the accepted cells: accepted too, saying so.
    assert!(accepted.iter().any(|a| {
        a["code"] == "score-regression"
            && a["reason"]
                .as_str()
                .unwrap()
                .contains("`protection.identification` law")
    }));
    // Shown in every format.
    let human = check(&[REGRESSED, "--baseline", BASE, "--config", &cfg]);
    assert!(
        human.stdout.contains("accepted[status-regression]"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("reason: Act s.3 re-read"),
        "{}",
        human.stdout
    );
    let junit = check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--config",
        &cfg,
        "--format",
        "junit",
    ]);
    assert!(junit.stdout.contains("accepted [status-regression]"));
    assert!(!junit.stdout.contains("<failure"));
    let sarif = check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--config",
        &cfg,
        "--format",
        "sarif",
    ]);
    let s: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let suppressed: Vec<_> = s["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"][0]["justification"].is_string())
        .collect();
    assert!(!suppressed.is_empty());
    let gh = check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--config",
        &cfg,
        "--format",
        "github",
    ]);
    assert!(gh.stdout.contains("::notice "), "{}", gh.stdout);
    assert!(gh.stdout.contains("(accepted)"), "{}", gh.stdout);
    let summary = tempfile::NamedTempFile::new().unwrap();
    check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--config",
        &cfg,
        "--summary",
        summary.path().to_str().unwrap(),
    ])
    .code(0);
    let md = std::fs::read_to_string(summary.path()).unwrap();
    assert!(md.contains("### Accepted regressions"), "{md}");
}

#[test]
fn an_accepted_regression_without_a_reason_is_bad_input() {
    let (_d, cfg) = config(
        "[[accept]]\ncountry = \"XA\"\ncriterion = \"protection.identification\"\nlevel = \"law\"\n",
    );
    let r = check(&[REGRESSED, "--baseline", BASE, "--config", &cfg]);
    r.code(2);
    assert!(r.stderr.contains("error[missing-field]"), "{}", r.stderr);
    assert!(r.stderr.contains("gives no reason"), "{}", r.stderr);
    assert!(r.stderr.contains("frameaudit.toml:1:1"), "{}", r.stderr);
}

#[test]
fn unused_and_expired_entries_are_warnings() {
    let (_d, cfg) = config(
        r#"[[accept]]
country = "XA"
criterion = "protection.shelter"
level = "law"
reason = "nothing changed here"

[[accept]]
country = "XA"
criterion = "protection.identification"
level = "law"
reason = "was true last year"
until = 2020-01-01
"#,
    );
    let r = check(&[
        REGRESSED,
        "--baseline",
        BASE,
        "--config",
        &cfg,
        "--format",
        "json",
    ]);
    r.code(1);
    let v = json_of(&r);
    let codes: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unused-accept"), "{codes:?}");
    assert!(codes.contains(&"expired-accept"), "{codes:?}");
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "status-regression")
        .expect("an expired entry no longer applies");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("expired on 2020-01-01"),
        "{f}"
    );
}

#[test]
fn the_nearest_config_above_the_data_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("check");
    copy_dir(&root().join(REGRESSED), &data.join("regressed"));
    with_rubrics(&data);
    let data_s = data.join("regressed");
    let data_s = data_s.to_str().unwrap();
    let base = root().join(BASE);
    let base = base.to_str().unwrap();
    check(&[data_s, "--baseline", base]).code(1);
    std::fs::write(data.join("frameaudit.toml"), ACCEPT_BOTH).unwrap();
    check(&[data_s, "--baseline", base]).code(0);
    // Unknown keys are errors, with a suggestion.
    std::fs::write(
        data.join("frameaudit.toml"),
        "[check]\nfail_undr = [\"50\"]\n",
    )
    .unwrap();
    let r = check(&[data_s]);
    r.code(2);
    assert!(
        r.stderr.contains("unknown field `fail_undr`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `fail_under`?"),
        "{}",
        r.stderr
    );
    // Gates in the config apply.
    std::fs::write(
        data.join("frameaudit.toml"),
        "[check]\nfail_under = [\"coverage=100\"]\n",
    )
    .unwrap();
    check(&[data_s]).code(1);
}

#[test]
fn coverage_gates_on_the_bundled_data() {
    frameaudit(&["check", "--fail-under", "coverage=100"])
        .run()
        .code(1);
    frameaudit(&["check", "--fail-under", "coverage=0"])
        .run()
        .code(0);
}

#[test]
fn principle_and_type_gates() {
    check(&[BASE, "--fail-under", "principle:harm-protection=100"]).code(1);
    check(&[BASE, "--fail-under", "principle:harm-protection=0"]).code(0);
    let r = check(&[BASE, "--fail-under", "type:return=100", "--format", "json"]);
    r.code(1);
    assert!(
        r.stdout.contains("assistance type `return` score"),
        "{}",
        r.stdout
    );
    let r = check(&[BASE, "--fail-under", "principle:harm-protecton=30"]);
    r.code(2);
    assert!(
        r.stderr.contains("did you mean `harm-protection`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn coverage_may_not_fall_against_the_baseline() {
    // XA's return.voluntary practice is unknown in both; make a cell unknown in a copy.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("check");
    copy_dir(&root().join(BASE), &data.join("now"));
    with_rubrics(&data);
    let xa = data.join("now/xa.yaml");
    let text = std::fs::read_to_string(&xa).unwrap().replace(
        r#"policy: { status: full, evidence: ["plan ch.5"] }"#,
        r#"policy: { status: unknown, note: "the plan could not be found again" }"#,
    );
    std::fs::write(&xa, text).unwrap();
    let now = data.join("now");
    let now = now.to_str().unwrap();
    let base = root().join(BASE);
    let base = base.to_str().unwrap();
    let r = check(&[
        now,
        "--baseline",
        base,
        "--no-coverage-drop",
        "--format",
        "json",
    ]);
    r.code(1);
    let v = json_of(&r);
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "coverage-regression"),
        "{v}"
    );
    let (_d, cfg) = config(
        "[check]\nno_coverage_drop = true\n[[accept]]\ncountry = \"XA\"\ncriterion = \"protection.shelter\"\nlevel = \"policy\"\nreason = \"the plan is offline; asked the ministry\"\n",
    );
    let r = check(&[
        now,
        "--baseline",
        base,
        "--config",
        &cfg,
        "--format",
        "json",
    ]);
    r.code(0);
    assert!(
        json_of(&r)["accepted"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["code"] == "coverage-regression")
    );
}

#[test]
fn stale_evidence_and_sources_without_url_are_reported_or_fail() {
    let r = check(&[
        BASE,
        "--max-evidence-age",
        "10",
        "--require-url",
        "--format",
        "json",
    ]);
    r.code(0);
    let v = json_of(&r);
    let reported = v["reported"].as_array().unwrap();
    let stale: Vec<_> = reported
        .iter()
        .filter(|f| f["code"] == "stale-evidence")
        .collect();
    // Cells citing only the 2010 act, 15 years before as_of 2025.
    assert!(!stale.is_empty(), "{v}");
    assert!(stale.iter().all(|f| f["line"].as_u64().unwrap() > 1));
    assert!(reported.iter().any(|f| f["code"] == "source-without-url"));
    check(&[BASE, "--max-evidence-age", "10", "--fail-on-evidence"]).code(1);
    check(&[BASE, "--max-evidence-age", "20", "--fail-on-evidence"]).code(0);
}

#[test]
fn no_junit_testcase_has_two_failures() {
    for args in [
        &[
            REGRESSED,
            "--baseline",
            BASE,
            "--fail-under",
            "law=99",
            "--fail-under",
            "90",
        ][..],
        &[INVALID][..],
        &[WARNING, "--fail-on", "warning"][..],
    ] {
        let mut a = args.to_vec();
        a.extend(["--format", "junit"]);
        let r = check(&a);
        let doc = roxmltree::Document::parse(&r.stdout).unwrap();
        let mut joined = false;
        for c in doc.descendants().filter(|n| n.has_tag_name("testcase")) {
            let failures: Vec<_> = c.children().filter(|x| x.has_tag_name("failure")).collect();
            assert!(failures.len() <= 1, "{args:?}: {}", r.stdout);
            if let Some(f) = failures.first()
                && f.attribute("type").unwrap().contains(',')
            {
                joined = true;
            }
        }
        if args.len() > 3 {
            assert!(
                joined,
                "the law score case has a threshold and a regression"
            );
        }
    }
}

#[test]
fn no_sarif_result_at_line_one() {
    for args in [
        &[
            REGRESSED,
            "--baseline",
            BASE,
            "--fail-under",
            "90",
            "--fail-under",
            "coverage=100",
        ][..],
        &[BASE, "--baseline", REGRESSED][..],
        &[INVALID][..],
    ] {
        let mut a = args.to_vec();
        a.extend(["--format", "sarif"]);
        let r = check(&a);
        let s: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let results = s["runs"][0]["results"].as_array().unwrap();
        assert!(!results.is_empty());
        for res in results {
            let region = &res["locations"][0]["physicalLocation"]["region"];
            assert_ne!(region["startLine"], 1, "{res}");
            assert!(region["startLine"].as_u64().is_some(), "{res}");
        }
    }
}

#[test]
fn a_profile_failing_on_warnings_says_fail_in_its_row() {
    let r = check(&[WARNING, "--fail-on", "warning"]);
    r.code(1);
    let row = r.stdout.lines().find(|l| l.contains("XA")).unwrap();
    assert!(row.contains("FAIL"), "{}", r.stdout);
    let r = check(&[WARNING, "--fail-on", "warning", "--format", "json"]);
    assert_eq!(json_of(&r)["countries"][0]["passed"], false);
    let r = check(&[WARNING]);
    let row = r.stdout.lines().find(|l| l.contains("XA")).unwrap();
    assert!(row.contains("pass"), "{}", r.stdout);
}

#[test]
fn a_profile_that_does_not_validate_stays_in_the_table_as_failing() {
    let r = check(&[INVALID]);
    r.code(1);
    let row = r
        .stdout
        .lines()
        .find(|l| l.contains("xa.yaml (does not validate)"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(row.contains("FAIL"));
    let v = json_of(&check(&[INVALID, "--format", "json"]));
    assert_eq!(
        v["invalid"][0]["file"],
        "tests/fixtures/check/invalid/xa.yaml"
    );
    let summary = tempfile::NamedTempFile::new().unwrap();
    check(&[INVALID, "--summary", summary.path().to_str().unwrap()]);
    let md = std::fs::read_to_string(summary.path()).unwrap();
    assert!(md.contains("(does not validate) | — |"), "{md}");
}
