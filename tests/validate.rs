//! `frameaudit validate`: one fixture per diagnostic code (tests/fixtures/validate/codes/<code>/),
//! each triggering exactly that code, checked for exit code, code string, file:line:col and
//! the did-you-mean help; a file with several errors reported together (snapshots of the
//! human and JSON output); the bundled data under --strict.

use crate::common;
use common::*;

use std::collections::BTreeSet;

use frameaudit::diag::{Code, Severity};
use serde_json::Value;

/// One code fixture: what `validate` must say about `tests/fixtures/validate/codes/<code>`.
struct Case {
    code: &'static str,
    /// Extra arguments before the path.
    args: &'static [&'static str],
    /// Where, relative to the fixture folder: `file:line:col`; `file:*` for any known
    /// position; `file` alone for the whole file; "" for the folder itself.
    at: &'static str,
    /// A substring of the message ("" = not checked: the text comes from the parser crate).
    message: &'static str,
    /// The exact help line, when the case checks one (the did-you-mean cases).
    help: Option<&'static str>,
}

const fn case(code: &'static str, at: &'static str, message: &'static str) -> Case {
    Case {
        code,
        args: &[],
        at,
        message,
        help: None,
    }
}

const fn with_help(c: Case, help: &'static str) -> Case {
    Case {
        help: Some(help),
        ..c
    }
}

/// Every code the validate path can produce, with its fixture. Codes not here are listed,
/// with the reason, in [`EXEMPT`]. (A table: one case per line reads better than rustfmt's
/// layout.)
#[rustfmt::skip]
const CASES: &[Case] = &[
    // Profiles: reading and YAML shape.
    case("empty-file", "xa.yaml:1:1", "holds no YAML document"),
    case("yaml-syntax", "xa.yaml:14:4", ""),
    case("multiple-documents", "xa.yaml:32:1", "more than one YAML document"),
    with_help(case("unknown-field", "xa.yaml:26:54", "unknown field `ntoe`"), "did you mean `note`?"),
    // The backend reports a missing key at the last key of the mapping (here `assessments:`
    // on line 19), not at the mapping's start; only "some position" is asserted.
    case("missing-field", "xa.yaml:*", "missing field `as_of`"),
    case("duplicate-key", "xa.yaml:23:57", "duplicate key `status`"),
    with_help(case("invalid-value", "xa.yaml:10:11", "unknown source kind `lwa`"), "did you mean `law`?"),
    // Profiles: content.
    case("unsupported-version", "xa.yaml:3:17", "format_version 2 is not supported"),
    case("bad-date", "xa.yaml:6:8", "as_of 2027-01-15 is in the future (today is 2026-11-28)"),
    with_help(case("bad-id", "xa.yaml:8:9", "source id `Act-2010` is not a valid id"), "try `act-2010`"),
    case("bad-country", "xa.yaml:4:18", "code `XB` does not match the file name `xa.yaml`"),
    case("duplicate-id", "xa.yaml:16:9", "source id `sop2019` is listed twice"),
    with_help(
        case("unknown-criterion", "xa.yaml:25:3", "unknown criterion `shelter.unconditonal`"),
        "did you mean `shelter.unconditional`?",
    ),
    case("level-not-applicable", "xa.yaml:31:13", "does not apply at the policy level"),
    with_help(
        case("unknown-source", "xa.yaml:22:40", "evidence cites unknown source `act201`"),
        "did you mean `act2010`?",
    ),
    case("missing-evidence", "xa.yaml:28:25", "practice is `full` but cites no evidence"),
    case("missing-note", "xa.yaml:31:25", "practice is `unknown` but has no note"),
    // Profiles against rubrics.
    Case {
        args: &["--rubric", "rubrics/acwc-victim-assistance.toml"],
        ..case("rubric-mismatch", "xa.yaml:5:9", "answers rubric `mini`, but is scored against `acwc-victim-assistance`")
    },
    case("rubric-not-found", "xa.yaml:5:9", "rubric `no-such-rubric` not found"),
    case("unassessed-criterion", "xa.yaml:21:3", "`return.voluntary` is not assessed at any level"),
    case("unused-source", "xa.yaml:20:9", "source `un2020` is listed but never cited"),
    // Rubrics.
    case("toml-syntax", "rubrics/toml-syntax.toml:4:37", ""),
    with_help(
        case("unknown-principle", "rubrics/unknown-principle.toml:27:15", "unknown principle `harm-protecton`"),
        "did you mean `harm-protection`?",
    ),
    with_help(
        case("unknown-assistance-type", "rubrics/unknown-assistance-type.toml:28:19", "unknown type of assistance `protecton`"),
        "did you mean `protection`?",
    ),
    case("bad-weight", "rubrics/bad-weight.toml:29:10", "has weight 0"),
    case("bad-bands", "rubrics/bad-bands.toml:7:1", "not strictly descending"),
    with_help(case("bad-extends", "rubrics/bad-extends.toml:8:10", "has id `mini`, not `minni`"), "write `rubric = \"mini\"`"),
    case("empty-category", "rubrics/empty-category.toml:20:6", "principle `no-coercion` has no criterion"),
    // Regions and folders.
    case("missing-profile", "region.yaml:7:13", "member `XB` (Otherland) has no profile"),
    case("not-a-member", "xa.yaml:4:18", "`XA` is not a member of region `testregion`"),
    case("no-input", "", "holds no profile, region or rubric file"),
];

/// Codes without a fixture folder, each with where it is tested instead. Adding a code to
/// `diag::Code` without a fixture or an entry here fails `every_code_has_a_fixture`.
const EXEMPT: &[(&str, &str)] = &[
    // A path that does not exist cannot be a fixture; `missing_path_is_an_io_error` below
    // and tests/hostile.rs (unreadable files, directories named as files) cover it.
    ("io", "tests/hostile.rs; missing_path_is_an_io_error"),
    // Binary and non-UTF-8 files are kept out of the fixture tree; tests/hostile.rs
    // writes them to a temporary directory.
    ("invalid-utf8", "tests/hostile.rs"),
    // Needs files over the size, depth, alias or node limits (or tiny --max-* limits);
    // tests/hostile.rs generates them.
    ("resource-limit", "tests/hostile.rs"),
    // Warnings about frameaudit.toml's [[accept]] entries, raised only by `check --baseline`.
    (
        "unused-accept",
        "tests/check.rs; unused_and_expired_entries_are_warnings",
    ),
    (
        "expired-accept",
        "tests/check.rs; unused_and_expired_entries_are_warnings",
    ),
];

fn codes_dir() -> std::path::PathBuf {
    fixture("validate/codes")
}

/// The fixture folder of `code`, relative to the repository root (as users would type it).
fn rel_dir(code: &str) -> String {
    format!("tests/fixtures/validate/codes/{code}")
}

fn validate_json(args: &[&str]) -> (Run, Value) {
    let mut all = vec!["validate", "--format", "json"];
    all.extend_from_slice(args);
    let run = frameaudit(&all).run();
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("validate --format json: {e}\n{}", run.stdout));
    (run, json)
}

/// Checks one case; returns what is wrong, if anything.
fn check_case(c: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let code = Code::ALL
        .iter()
        .find(|k| k.as_str() == c.code)
        .unwrap_or_else(|| panic!("`{}` is not a diag::Code", c.code));
    let dir = rel_dir(c.code);
    // "file:line:col", "file:*" or "file".
    let mut parts = c.at.splitn(2, ':');
    let file = parts.next().unwrap_or_default();
    let pos = parts.next();
    let expected_file = if file.is_empty() {
        dir.clone()
    } else {
        format!("{dir}/{file}")
    };
    let is_error = code.severity() == Severity::Error;

    // JSON: exactly one diagnostic, the right one.
    let mut args: Vec<&str> = c.args.to_vec();
    args.push(&dir);
    let (run, json) = validate_json(&args);
    let exit = if is_error { 2 } else { 0 };
    if run.code != exit {
        problems.push(format!("exit {} (expected {exit})", run.code));
    }
    let diags = json["diagnostics"].as_array().cloned().unwrap_or_default();
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    if codes != [c.code] {
        problems.push(format!("codes {codes:?} (expected exactly [{:?}])", c.code));
        return problems;
    }
    let d = &diags[0];
    if d["severity"] != code.severity().as_str() {
        problems.push(format!("severity {}", d["severity"]));
    }
    if d["file"] != expected_file.as_str() {
        problems.push(format!("file {} (expected {expected_file})", d["file"]));
    }
    let (line, col) = (
        d["line"].as_u64().unwrap_or(0),
        d["column"].as_u64().unwrap_or(0),
    );
    match pos {
        None if (line, col) != (0, 0) => {
            problems.push(format!("at {line}:{col} (expected the whole file)"));
        }
        Some("*") if line == 0 || col == 0 => problems.push(format!("at {line}:{col}")),
        Some(p) if p != "*" && format!("{line}:{col}") != p => {
            problems.push(format!("at {line}:{col} (expected {p})"));
        }
        _ => {}
    }
    let message = d["message"].as_str().unwrap_or_default();
    if !message.contains(c.message) {
        problems.push(format!("message {message:?} lacks {:?}", c.message));
    }
    if let Some(h) = c.help
        && d["help"] != h
    {
        problems.push(format!("help {} (expected {h:?})", d["help"]));
    }

    // Human: `severity[code]: message` and `--> file:line:col`, then the summary.
    let mut args = vec!["validate"];
    args.extend_from_slice(c.args);
    args.push(&dir);
    let human = frameaudit(&args).run();
    let head = format!("{}[{}]: {message}\n", code.severity().as_str(), c.code);
    if !human.stderr.contains(&head) {
        problems.push(format!("human output lacks {head:?}"));
    }
    let position = if line > 0 {
        format!("  --> {expected_file}:{line}:{col}\n")
    } else {
        format!("  --> {expected_file}\n")
    };
    if !human.stderr.contains(&position) {
        problems.push(format!("human output lacks {position:?}"));
    }
    if let Some(h) = c.help
        && !human.stderr.contains(&format!("   = help: {h}\n"))
    {
        problems.push(format!("human output lacks the help {h:?}"));
    }
    let tally = if is_error {
        "1 error, 0 warnings"
    } else {
        "0 errors, 1 warning"
    };
    if !human.stderr.contains(tally) {
        problems.push(format!("human summary lacks {tally:?}"));
    }
    if human.code != exit {
        problems.push(format!("human exit {}", human.code));
    }
    problems
        .into_iter()
        .map(|p| format!("{}: {p}\n--- stderr\n{}", c.code, human.stderr))
        .collect()
}

#[test]
fn each_code_fixture_triggers_exactly_its_code() {
    let failures: Vec<String> = CASES.iter().flat_map(check_case).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_code_has_a_fixture() {
    let cased: BTreeSet<&str> = CASES.iter().map(|c| c.code).collect();
    let exempt: BTreeSet<&str> = EXEMPT.iter().map(|(c, _)| *c).collect();
    assert_eq!(cased.len(), CASES.len(), "a code is listed twice in CASES");
    for code in Code::ALL {
        let s = code.as_str();
        let has_dir = codes_dir().join(s).is_dir();
        match (cased.contains(s), exempt.contains(s)) {
            (true, false) => assert!(has_dir, "`{s}` has a case but no folder {}", rel_dir(s)),
            (false, true) => assert!(!has_dir, "`{s}` is exempt but has a folder: add a case"),
            (true, true) => panic!("`{s}` is both tested and exempt"),
            (false, false) => panic!(
                "diagnostic code `{s}` has no fixture: add tests/fixtures/validate/codes/{s}/ and a \
                 case in tests/validate.rs, or list it in EXEMPT with where it is tested"
            ),
        }
    }
    // No stale folders or cases for codes that no longer exist.
    let known: BTreeSet<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    for entry in std::fs::read_dir(codes_dir()).expect("read codes dir") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            known.contains(name.as_str()),
            "fixture folder `{name}` names no code"
        );
    }
    for c in &cased {
        assert!(known.contains(c), "case `{c}` names no code");
    }
}

#[test]
fn warning_only_fixture_exits_1_with_strict() {
    for code in Code::ALL
        .iter()
        .filter(|c| c.severity() == Severity::Warning)
    {
        let dir = rel_dir(code.as_str());
        if !codes_dir().join(code.as_str()).is_dir() {
            continue;
        }
        let run = frameaudit(&["validate", &dir]).run();
        run.code(0);
        let strict = frameaudit(&["validate", "--strict", &dir]).run();
        strict.code(1);
        assert!(
            strict.stderr.contains(&format!("warning[{code}]")),
            "{}",
            strict.stderr
        );
        assert!(
            strict.stderr.contains("0 errors, 1 warning"),
            "{}",
            strict.stderr
        );
    }
}

#[test]
fn valid_profile_is_clean() {
    let run = frameaudit(&["validate", "--strict", "tests/fixtures/validate/ok/xa.yaml"]).run();
    run.code(0);
    assert_eq!(run.stderr, "1 file, 0 errors, 0 warnings\n");
    assert_eq!(run.stdout, "");
    let (run, json) = validate_json(&["tests/fixtures/validate/ok"]);
    run.code(0);
    assert_eq!(json["schema_version"], 1);
    assert_eq!(json["files"], 1);
    assert_eq!(json["errors"], 0);
    assert_eq!(json["warnings"], 0);
    assert_eq!(json["diagnostics"], Value::Array(vec![]));
}

/// The bundled data is clean under --strict, but for Timor-Leste's profile, which is being
/// researched (ASEAN's eleventh member since 2025-10-26): until frameworks/asean/tl.yaml
/// exists, its `missing-profile` warning is the one allowed; once it exists, none is.
#[test]
fn bundled_data_is_clean_under_strict() {
    let tl = common::root().join("frameworks/asean/tl.yaml").is_file();
    for args in [
        &["validate", "--strict", "frameworks/asean"][..],
        // With no path, validate uses the bundled region.
        &["validate", "--strict"][..],
    ] {
        let run = frameaudit(args).run();
        if tl {
            run.code(0);
            assert!(
                run.stderr.contains("12 files, 0 errors, 0 warnings"),
                "{}",
                run.stderr
            );
        } else {
            run.code(1);
            assert!(
                run.stderr.contains("11 files, 0 errors, 1 warning"),
                "{}",
                run.stderr
            );
            assert!(
                run.stderr
                    .contains("warning[missing-profile]: member `TL` (Timor-Leste) has no profile"),
                "{}",
                run.stderr
            );
        }
    }
}

#[test]
fn missing_path_is_an_io_error() {
    let run = frameaudit(&["validate", "tests/fixtures/validate/no-such-file.yaml"]).run();
    run.code(2);
    assert!(
        run.stderr.contains(
            "error[io]: cannot read: no such file or directory\n  --> tests/fixtures/validate/no-such-file.yaml\n"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn problems_in_several_paths_are_all_reported() {
    let run = frameaudit(&[
        "validate",
        "tests/fixtures/validate/codes/bad-date",
        "tests/fixtures/validate/codes/unknown-source",
        "tests/fixtures/validate/ok",
    ])
    .run();
    run.code(2);
    assert!(run.stderr.contains("error[bad-date]"), "{}", run.stderr);
    assert!(
        run.stderr.contains("error[unknown-source]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.ends_with("3 files, 2 errors, 0 warnings\n"),
        "{}",
        run.stderr
    );
}

const SEVERAL: &str = "tests/fixtures/validate/several/xa.yaml";

#[test]
fn several_errors_are_reported_together() {
    let (run, json) = validate_json(&[SEVERAL]);
    run.code(2);
    let found: Vec<(String, u64, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expected = [
        ("bad-date", 7, 8),
        // The misspelt id leaves the real criterion unassessed: a warning, at the first
        // assessment (criteria missing entirely are reported where `assessments` starts).
        ("unassessed-criterion", 18, 3),
        ("unknown-source", 21, 45),
        ("unknown-criterion", 22, 3),
        ("missing-evidence", 24, 23),
        ("missing-note", 28, 25),
    ];
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(c, l, k)| (c.to_string(), *l, *k))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(json["errors"], 5);
    assert_eq!(json["warnings"], 1);
    assert_eq!(json["files"], 1);
}

/// One misplaced key no longer hides the other mistakes of the file: the cells that did
/// parse are still checked, each problem at its line.
#[test]
fn a_misplaced_key_does_not_hide_the_rest() {
    let (run, json) = validate_json(&["tests/fixtures/validate/misplaced/xa.yaml"]);
    run.code(2);
    let found: Vec<(String, u64, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expected = [
        ("bad-date", 12, 11),
        ("unknown-field", 19, 5),
        ("missing-field", 24, 7),
        ("invalid-value", 26, 15),
        ("unknown-source", 27, 18),
    ];
    let expected: Vec<(String, u64, u64)> = expected
        .iter()
        .map(|(c, l, k)| (c.to_string(), *l, *k))
        .collect();
    assert_eq!(found, expected);
}

/// The same when the misspelt key sits in a flow-style cell: that cell is set aside.
#[test]
fn a_misspelt_key_in_a_flow_cell_does_not_hide_the_rest() {
    let (run, json) = validate_json(&["tests/fixtures/validate/misplaced-flow/xa.yaml"]);
    run.code(2);
    let found: Vec<(String, u64, u64)> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64)> = [
        ("unknown-field", 13, 56),
        ("invalid-value", 14, 23),
        ("unknown-source", 15, 45),
    ]
    .iter()
    .map(|(c, l, k)| (c.to_string(), *l, *k))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn several_errors_human() {
    let run = frameaudit(&["validate", SEVERAL]).run();
    run.code(2);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn several_errors_json() {
    let run = frameaudit(&["validate", "--format", "json", SEVERAL]).run();
    run.code(2);
    assert_eq!(
        run.stderr, "",
        "JSON mode prints diagnostics only in the document"
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_report_can_be_written_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("report.json");
    let out_s = out.to_str().expect("utf-8 path");
    let run = frameaudit(&["validate", "--format", "json", "-o", out_s, SEVERAL]).run();
    run.code(2);
    assert_eq!(run.stdout, "");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&out).expect("report written"))
        .expect("valid JSON");
    assert_eq!(json["errors"], 5);
}

fn diagnostics_doc() -> String {
    std::fs::read_to_string(root().join("docs/diagnostics.md")).expect("docs/diagnostics.md")
}

/// The section of docs/diagnostics.md about `code`, from its heading to the next one.
fn doc_section<'a>(doc: &'a str, code: &str) -> Option<&'a str> {
    let start = doc.find(&format!("\n### `{code}`\n"))? + 1;
    let end = doc[start + 4..]
        .find("\n### ")
        .map_or(doc.len(), |i| start + 4 + i);
    Some(&doc[start..end])
}

#[test]
fn diagnostics_doc_lists_every_code_in_order() {
    let doc = diagnostics_doc();
    let codes_part = &doc[doc.find("\n## Codes\n").expect("a `## Codes` section")..];
    let headings: Vec<&str> = codes_part
        .lines()
        .filter_map(|l| l.strip_prefix("### `")?.strip_suffix('`'))
        .collect();
    let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(
        headings, all,
        "docs/diagnostics.md must list every code, in Code::ALL order"
    );
    for code in Code::ALL {
        let section = doc_section(&doc, code.as_str()).expect("section");
        let line = format!("*{}* — {}\n", code.severity().as_str(), code.description());
        assert!(
            section.contains(&line),
            "docs/diagnostics.md: `{code}` should say {line:?}"
        );
        assert!(
            section.contains(&format!("```text\n{}[{code}]: ", code.severity().as_str())),
            "docs/diagnostics.md: `{code}` needs an example message"
        );
        assert!(
            section.contains("**Fix:** "),
            "docs/diagnostics.md: `{code}` needs a fix"
        );
    }
}

#[test]
fn diagnostics_doc_examples_are_real_output() {
    let doc = diagnostics_doc();
    let mut stale = Vec::new();
    for c in CASES {
        let dir = rel_dir(c.code);
        let mut args: Vec<&str> = c.args.to_vec();
        args.push(&dir);
        let (_, json) = validate_json(&args);
        let d = &json["diagnostics"][0];
        let actual = format!(
            "{}[{}]: {}",
            d["severity"].as_str().unwrap_or_default(),
            c.code,
            d["message"]
                .as_str()
                .unwrap_or_default()
                .replace(&format!("{dir}/"), "")
        );
        let section = doc_section(&doc, c.code).unwrap_or_default();
        if !section.lines().any(|l| l == actual) {
            stale.push(format!("`{}`: the example should start {actual:?}", c.code));
        }
    }
    assert!(
        stale.is_empty(),
        "docs/diagnostics.md examples differ from the fixtures' output:\n{}",
        stale.join("\n")
    );
}
