//! `frameaudit report`: snapshots of every format on a fixture profile, escaping of hostile
//! text, the bundled data, `-o FILE` and `-o DIR`, refusals and determinism.

use crate::common;

use std::path::Path;

use common::{fixture, frameaudit};

const XA: &str = "tests/fixtures/report/xx/xa.yaml";
const HOSTILE: &str = "tests/fixtures/report/hostile/xb.yaml";
const INVALID: &str = "tests/fixtures/report/invalid";

fn stdout(args: &[&str]) -> String {
    let run = frameaudit(args).run();
    run.code(0);
    run.stdout
}

#[test]
fn table_compact() {
    insta::assert_snapshot!(stdout(&["report", XA]));
}

#[test]
fn table_full() {
    insta::assert_snapshot!(stdout(&["report", XA, "--full"]));
}

#[test]
fn markdown() {
    insta::assert_snapshot!(stdout(&["report", XA, "--format", "markdown"]));
}

#[test]
fn html() {
    insta::assert_snapshot!(stdout(&["report", XA, "--format", "html"]));
}

#[test]
fn json() {
    let out = stdout(&["report", XA, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["rubric"]["id"], "mini");
    assert_eq!(v["rubric"]["sha256"].as_str().map(str::len), Some(64));
    insta::assert_snapshot!(out);
}

#[test]
fn help() {
    insta::assert_snapshot!(stdout(&["report", "--help"]));
}

#[test]
fn colour_only_when_asked() {
    let plain = stdout(&["report", XA]);
    assert!(
        !plain.contains('\x1b'),
        "NO_COLOR output has no escape codes"
    );
    let coloured = stdout(&["report", XA, "--color", "always"]);
    assert!(coloured.contains("\x1b[33m◐ partial\x1b[0m"));
}

/// Counts the unescaped `|` of a Markdown table row.
fn pipes(row: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in row.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '|' => n += 1,
            _ => {}
        }
    }
    n
}

#[test]
fn hostile_text_is_inert_in_every_format() {
    // HTML: no markup from the profile survives, and the javascript: URL is not a link.
    let html = stdout(&["report", HOSTILE, "--format", "html"]);
    let lower = html.to_lowercase();
    for bad in ["<script", "<img", "<b>", "href=\"javascript", "<!--"] {
        assert!(!lower.contains(bad), "HTML contains {bad}");
    }
    assert_eq!(
        lower.matches("<style").count(),
        1,
        "only the report's own stylesheet"
    );
    assert!(html.contains("&lt;script&gt;alert(&#39;note&#39;)&lt;/script&gt;"));
    assert!(
        html.contains("<a href=\"https://example.org/a?b=&lt;script&gt;&amp;c=&quot;d&quot;\">")
    );

    // Markdown: every table row keeps its column count; no raw HTML; no live link.
    let md = stdout(&["report", HOSTILE, "--format", "markdown"]);
    let mut in_table = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = pipes(line);
            let expected = *in_table.get_or_insert(n);
            assert_eq!(n, expected, "row breaks its table: {line}");
        } else {
            in_table = None;
        }
    }
    for bad in ["<script", "<img", "<style", "](javascript"] {
        assert!(!md.contains(bad), "Markdown contains {bad}");
    }
    assert!(md.contains("\\*not bold\\*"));
    assert!(md.contains("\\| a \\| b \\|"));

    // JSON: valid, and the text is kept as written (JSON needs no escaping beyond its own).
    let json = stdout(&["report", HOSTILE, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(
        v["good_practices"][0]["text"],
        "<script>alert('gp')</script> | good | *practice* =cmd|' /C calc'!A0"
    );
    assert_eq!(v["sources"][0]["linkable"], false);
    assert_eq!(v["sources"][1]["linkable"], true);

    // Terminal: no control characters from the profile.
    let text = stdout(&["report", HOSTILE, "--full"]);
    assert!(!text.contains('\x1b'));
    assert!(text.contains("=cmd|' /C calc'!A0"));
}

#[test]
fn bundled_data_with_no_path() {
    let run = frameaudit(&["report"]).run();
    run.code(0);
    for code in [
        "BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "TL", "VN",
    ] {
        assert!(
            run.stdout.contains(&format!("({code}): gap report")),
            "{code} missing"
        );
    }
    assert!(run.stdout.contains("acwc-victim-assistance 1.0.0"));
    // The compact default stays readable: about a screenful or two per country (906 lines
    // for the eleven bundled countries, with the bounds, the counts by status and the
    // two-line status line).
    let lines = run.stdout.lines().count();
    assert!(lines < 85 * 11, "{lines} lines");
    assert!(run.stdout.lines().all(|l| l.chars().count() <= 100));
}

#[test]
fn bundled_data_as_json() {
    let out = stdout(&["report", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["reports"].as_array().map(Vec::len), Some(11));
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_dir_gets_one_file_per_country_and_an_index() {
    let tmp = tempfile::tempdir().unwrap();
    for (format, ext) in [("markdown", "md"), ("html", "html"), ("json", "json")] {
        let dir = tmp.path().join(format);
        let run = frameaudit(&["report", "--format", format, "-o", dir.to_str().unwrap()]).run();
        run.code(0);
        let names = files_in(&dir);
        // Eleven countries, the index and the region's comparison.
        assert_eq!(names.len(), 13, "{names:?}");
        assert!(names.contains(&format!("index.{ext}")));
        assert!(names.contains(&format!("ph.{ext}")));
        assert!(names.contains(&format!("comparison.{ext}")));
        let index = std::fs::read_to_string(dir.join(format!("index.{ext}"))).unwrap();
        assert!(
            index.contains(&format!("ph.{ext}")),
            "the index links the files"
        );
        assert!(
            index.contains(&format!("comparison.{ext}")),
            "the index links the comparison"
        );
        assert!(index.contains("sha256"));
        assert!(
            index.contains("not an official ACWC finding"),
            "the index carries the caveat"
        );
        let comparison = std::fs::read_to_string(dir.join(format!("comparison.{ext}"))).unwrap();
        assert!(
            comparison.contains("11 member states have a profile"),
            "{format}"
        );
    }
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("json/index.json")).unwrap())
            .unwrap();
    assert_eq!(index["comparison"], "comparison.json");
    // Sorted by name: Brunei Darussalam, Cambodia, Indonesia, Lao PDR, …, Viet Nam.
    let names: Vec<&str> = index["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["country"]["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert_eq!(names[1], "Cambodia");
    assert_eq!(index["countries"][6]["country"]["code"], "PH");
    assert_eq!(index["countries"][6]["file"], "ph.json");
}

/// Every format of `report` carries the status line: the bundled profiles have none of their
/// own and take the one of region.yaml beside them.
#[test]
fn the_caveat_is_in_every_report_format() {
    for format in ["table", "markdown", "html", "json"] {
        let run = frameaudit(&["report", "frameworks/asean/ph.yaml", "--format", format]).run();
        run.code(0);
        let words = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("not an official ACWC finding"),
            "{format}: {}",
            run.stdout
        );
    }
}

#[test]
fn index_markdown_snapshot() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    frameaudit(&[
        "report",
        "tests/fixtures/report/xx",
        HOSTILE,
        "--format",
        "markdown",
        "-o",
        dir.to_str().unwrap(),
    ])
    .run()
    .code(0);
    assert_eq!(files_in(&dir), ["index.md", "xa.md", "xb.md"]);
    insta::assert_snapshot!(std::fs::read_to_string(dir.join("index.md")).unwrap());
}

#[test]
fn output_file_for_one_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sub/xa.html");
    frameaudit(&[
        "report",
        XA,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ])
    .run()
    .code(0);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, stdout(&["report", XA, "--format", "html"]));
}

/// A copy of the fixture profile and its rubric in a temporary folder.
fn copy_fixture(tmp: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(tmp.join("rubrics")).unwrap();
    std::fs::create_dir_all(tmp.join("xx")).unwrap();
    std::fs::copy(
        fixture("report/rubrics/mini.toml"),
        tmp.join("rubrics/mini.toml"),
    )
    .unwrap();
    let p = tmp.join("xx/xa.yaml");
    std::fs::copy(fixture("report/xx/xa.yaml"), &p).unwrap();
    p
}

#[test]
fn refuses_to_overwrite_an_input() {
    let tmp = tempfile::tempdir().unwrap();
    let profile = copy_fixture(tmp.path());
    let before = std::fs::read(&profile).unwrap();
    let p = profile.to_str().unwrap();
    let run = frameaudit(&["report", p, "--format", "markdown", "-o", p]).run();
    run.code(2);
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(&profile).unwrap(), before);

    let rubric = tmp.path().join("rubrics/mini.toml");
    let before = std::fs::read(&rubric).unwrap();
    let run = frameaudit(&["report", p, "-o", rubric.to_str().unwrap()]).run();
    run.code(2);
    assert_eq!(std::fs::read(&rubric).unwrap(), before);
}

#[test]
fn invalid_input_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let run = frameaudit(&[
        "report",
        "tests/fixtures/report/xx",
        INVALID,
        "--format",
        "html",
        "-o",
        dir.to_str().unwrap(),
    ])
    .run();
    run.code(2);
    assert!(run.stderr.contains("invalid-value"), "{}", run.stderr);
    assert!(run.stderr.contains("no report written"));
    assert!(run.stdout.is_empty());
    assert!(!dir.exists(), "nothing written when an input is invalid");
}

#[test]
fn several_html_reports_need_a_folder() {
    let run = frameaudit(&["report", "--format", "html"]).run();
    run.code(2);
    assert!(run.stderr.contains("-o DIR"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn output_dir_that_is_a_file_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("taken");
    std::fs::write(&file, "keep").unwrap();
    let run = frameaudit(&["report", "-o", file.to_str().unwrap()]).run();
    run.code(2);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn deterministic() {
    for format in ["table", "markdown", "json"] {
        let a = stdout(&["report", "--format", format]);
        let b = stdout(&["report", "--format", format]);
        assert!(a == b, "{format} output differs between runs");
    }
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    for d in [&a, &b] {
        frameaudit(&["report", "--format", "html", "-o", d.to_str().unwrap()])
            .run()
            .code(0);
    }
    for name in files_in(&a) {
        assert!(
            std::fs::read(a.join(&name)).unwrap() == std::fs::read(b.join(&name)).unwrap(),
            "{name} differs between runs"
        );
    }
}
