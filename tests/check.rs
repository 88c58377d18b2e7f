//! `frameaudit check` and `frameaudit diff` with the real binary on the fixtures in
//! tests/fixtures/check/: `baseline/` (two fictional countries), `regressed/` (a worse
//! status, a better one and a new gap), `improved/` (improvements only), `invalid/` (a
//! validation error) and `warning/` (a warning only). Exit codes in every format,
//! regression detection, SARIF schema validation, JUnit well-formedness, snapshots of every
//! format, a git-revision baseline, and the commands used in examples/.

mod common;

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
    copy_dir(
        &root().join("tests/fixtures/check/rubrics"),
        &dir.path().join("rubrics"),
    );
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
    copy_dir(
        &root().join("tests/fixtures/check/rubrics"),
        &dir.path().join("rubrics"),
    );
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
    copy_dir(
        &root().join("tests/fixtures/check/rubrics"),
        &d.join("rubrics"),
    );
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
    copy_dir(
        &root().join("tests/fixtures/check/rubrics"),
        &dir.path().join("rubrics"),
    );
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
