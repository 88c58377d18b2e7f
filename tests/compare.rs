//! `frameaudit compare` over the real binary: a snapshot of every format on the small fixture
//! region (tests/fixtures/compare: members XA, XB, XC with profiles and XD without; XB and
//! XC tie), the quantifier sentences reacting to an edited profile, determinism, and the
//! error paths (invalid profile, mixed rubrics, unsafe output, bad options).

use crate::common;

use std::path::{Path, PathBuf};

use common::{fixture, frameaudit};

const REGION: &str = "tests/fixtures/compare/region";

/// Copies tests/fixtures/compare (rubrics/ and region/) into a fresh temporary directory.
fn copy_fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    for sub in ["rubrics", "region"] {
        let from = fixture("compare").join(sub);
        let to = tmp.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
    let region = tmp.path().join("region");
    (tmp, region)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).expect("valid JSON")
}

/// The entry of `criteria` for one criterion at one level.
fn criterion_level<'a>(v: &'a serde_json::Value, id: &str, level: &str) -> &'a serde_json::Value {
    v["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["criterion"] == id && c["level"] == level)
        .expect("criterion level present")
}

#[test]
fn table() {
    let run = frameaudit(&["compare", REGION, "--sensitivity", "100"]).run();
    run.code(0);
    assert!(
        run.stderr
            .contains("warning[missing-profile]: member `XD` (Nolandia) has no profile"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn markdown() {
    let run = frameaudit(&["compare", REGION, "--format", "markdown"]).run();
    run.code(0);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn html() {
    let run = frameaudit(&[
        "compare",
        REGION,
        "--format",
        "html",
        "--sensitivity",
        "100",
    ])
    .run();
    run.code(0);
    let out = &run.stdout;
    // Self-contained and accessible.
    assert!(
        !out.contains("http://") && !out.contains("https://"),
        "no network resource"
    );
    assert!(!out.contains("<script") && !out.contains("<link"));
    assert!(out.contains("@page { size: A4"));
    assert!(out.contains("<th scope=\"col\">") && out.contains("<th scope=\"row\">"));
    // User text is escaped.
    assert!(out.contains("&lt;b&gt;victims&lt;/b&gt;"));
    assert!(!out.contains("<b>victims</b>"));
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn json_contract() {
    let run = frameaudit(&["compare", REGION, "--format", "json", "--sensitivity", "20"]).run();
    run.code(0);
    let v = json(&run.stdout);
    assert_eq!(v["schema_version"], 2);
    assert_eq!(v["region"]["id"], "testregion");
    // Every state with a profile carries its bounds and the ranks they allow.
    for s in v["states"].as_array().unwrap() {
        if s["has_profile"] == true {
            let b = &s["score"]["bounds"]["overall"];
            assert!(b["lower"].as_f64() <= b["upper"].as_f64(), "{s}");
            assert_eq!(b["lower"], s["score"]["overall"], "{s}");
            assert!(s["rank_range"]["best"].as_u64() <= s["rank_range"]["worst"].as_u64());
        }
    }
    let sources: Vec<&str> = v["sensitivity"]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources, ["weights", "evidence"]);
    assert_eq!(v["rubric"]["id"], "mini-compare");
    assert_eq!(v["rubric"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(v["members"]["total"], 4);
    assert_eq!(v["members"]["missing"][0]["code"], "XD");
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn csv() {
    let run = frameaudit(&["compare", REGION, "--format", "csv"]).run();
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "country,criterion,level,status,points,weight,region,rubric,rubric_version,rubric_sha256,as_of,compared_as_of,caveat,rank,rank_best,rank_worst,overall,overall_lower,overall_upper,rating,coverage,low_coverage"
    );
    // 4 member states × 11 cells, the missing one included as `no_profile`.
    assert_eq!(lines.len(), 1 + 4 * 11);
    assert_eq!(
        lines.iter().filter(|l| l.contains(",no_profile,,")).count(),
        11
    );
    assert!(lines.contains(
        &"XA,return.reintegration,practice,not_applicable,,1,testregion,mini-compare,1.0.0,9c3faaafdd177afd31f69e24961100e87bf3eb444212bad720eaa39bb650589c,2024-06-30,2026-11-28,Invented test data for frameaudit's comparison tests; not an official finding.,1,1,1,87.5,87.5,87.5,strong,100.0,false"
    ));
    // XB ties for 2nd; unknown cells let it fall to 3rd, never rise to 1st.
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("XB,"))
            .all(|l| l.ends_with(",2,2,3,50.0,50.0,56.7,substantial,92.9,false")),
        "{}",
        run.stdout
    );
    // A member without a profile: empty state columns.
    assert!(
        lines
            .iter()
            .filter(|l| l.starts_with("XD,"))
            .all(|l| l.ends_with(",,,,,,,,,false"))
    );
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn ranking_ties_share_a_rank_ordered_by_code() {
    let run = frameaudit(&["compare", REGION, "--format", "json"]).run();
    run.code(0);
    let v = json(&run.stdout);
    let ranking: Vec<(String, serde_json::Value)> = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["code"].as_str().unwrap().to_string(), e["rank"].clone()))
        .collect();
    assert_eq!(
        ranking,
        vec![
            ("XA".to_string(), serde_json::json!(1)),
            ("XB".to_string(), serde_json::json!(2)),
            ("XC".to_string(), serde_json::json!(2)),
            ("XD".to_string(), serde_json::Value::Null),
        ]
    );
}

/// The annex's sentences at one level.
fn annex(v: &serde_json::Value, level: usize) -> Vec<String> {
    v["annex"][level]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_state_that_starts_providing_changes_the_quantifier_sentence() {
    let (_tmp, region) = copy_fixture();
    let dir = region.to_str().unwrap();
    let before = frameaudit(&["compare", dir, "--format", "json"]).run();
    before.code(0);
    let v = json(&before.stdout);
    let cl = criterion_level(&v, "care.medical", "law");
    assert_eq!(cl["provide"]["states"], serde_json::json!(["XA"]));
    assert_eq!(cl["partly_provide"]["states"], serde_json::json!(["XB"]));
    // Fully and partly counted together; XA, in full, is never among "the others".
    let law = annex(&v, 0);
    assert!(law.contains(&"Half of the member states provide in law, fully or partly: Medical care (2 of 4: XA and XB; in full: XA); Reintegration assistance (2 of 4: XA and XC; in full: XA).".to_string()), "{law:#?}");

    // Testonia's medical care in law: none → partial.
    edit(
        &region.join("xc.yaml"),
        "law: { status: none, evidence: [\"code\"], note: \"No provision.\" }",
        "law: { status: partial, evidence: [\"code\"], note: \"Some provision.\" }",
    );
    let after = frameaudit(&["compare", dir, "--format", "json"]).run();
    after.code(0);
    let v = json(&after.stdout);
    let cl = criterion_level(&v, "care.medical", "law");
    assert_eq!(
        cl["partly_provide"]["states"],
        serde_json::json!(["XB", "XC"])
    );
    let law = annex(&v, 0);
    let most = law
        .iter()
        .find(|s| s.starts_with("Most but not all member states provide in law, fully or partly:"))
        .expect("a most-but-not-all sentence");
    assert!(
        most.contains("Medical care (3 of 4; in full: XA; no public information: XD)"),
        "{most}"
    );
    assert!(
        law.contains(&"Half of the member states provide in law, fully or partly: Reintegration assistance (2 of 4: XA and XC; in full: XA).".to_string()),
        "{law:#?}"
    );
    assert!(
        !law.iter().any(|s| s.contains("Medical care (2 of 4")),
        "{law:#?}"
    );
    // The summary's sentence on medical or psychological care moves with it.
    let summary = v["summary"]["levels"][0]["sentences"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        summary.contains("medical or psychological care (3 of 4; no public information: XD)"),
        "{summary}"
    );
}

/// Membership over time: a member that joined after the comparison date is left out with a
/// warning naming its file; a profile of a country region.yaml does not list is left out with
/// a warning; the region is still compared (exit 0).
#[test]
fn members_are_counted_on_the_comparison_date() {
    let (_tmp, region) = copy_fixture();
    let dir = region.to_str().unwrap();
    edit(
        &region.join("region.yaml"),
        "  - { code: XD, name: Nolandia }",
        "  - { code: XD, name: Nolandia }\n  - { code: XE, name: Latecomia, joined: 2025-10-26 }",
    );
    for (code, name) in [("xe", "Latecomia"), ("xf", "Outsidia")] {
        let text = std::fs::read_to_string(region.join("xa.yaml"))
            .unwrap()
            .replace(
                "code: XA, name: Exampleland",
                &format!("code: {}, name: {name}", code.to_uppercase()),
            );
        std::fs::write(region.join(format!("{code}.yaml")), text).unwrap();
    }

    let early = frameaudit(&["compare", dir, "--format", "json", "--as-of", "2025-01-01"]).run();
    early.code(0);
    let v = json(&early.stdout);
    assert_eq!(v["as_of"], "2025-01-01");
    assert_eq!(v["members"]["total"], 4);
    assert_eq!(v["members"]["not_members"], serde_json::json!(["XE", "XF"]));
    assert_eq!(
        v["members"]["summary"],
        "3 of 4 member states have a profile; XD (Nolandia) has none"
    );
    assert!(
        early.stderr.contains("warning[not-a-member]: `XE` joined region `testregion` on 2025-10-26, after the comparison date 2025-01-01; left out of the comparison")
            && early.stderr.contains("xe.yaml"),
        "{}",
        early.stderr
    );
    assert!(
        early
            .stderr
            .contains("warning[not-a-member]: `XF` is not a member of region `testregion`")
            && early.stderr.contains("xf.yaml"),
        "{}",
        early.stderr
    );
    assert!(
        !v["states"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["country"]["code"] == "XE")
    );

    let late = frameaudit(&["compare", dir, "--format", "json", "--as-of", "2025-10-26"]).run();
    late.code(0);
    let v = json(&late.stdout);
    assert_eq!(v["members"]["total"], 5);
    assert_eq!(v["members"]["not_members"], serde_json::json!(["XF"]));
    assert_eq!(
        v["members"]["summary"],
        "4 of 5 member states have a profile; XD (Nolandia) has none"
    );
    assert!(!late.stderr.contains("`XE` joined"), "{}", late.stderr);

    let bad = frameaudit(&["compare", dir, "--as-of", "2025-02-30"]).run();
    bad.code(2);
    assert!(bad.stderr.contains("2025-02-30"), "{}", bad.stderr);
}

/// The region's status line is in every format of `compare`.
#[test]
fn the_caveat_is_in_every_format() {
    for format in ["table", "markdown", "html", "json", "csv"] {
        let run = frameaudit(&["compare", REGION, "--format", format]).run();
        run.code(0);
        assert!(
            run.stdout.contains("Invented test data for frameaudit")
                && run.stdout.contains("not an official finding"),
            "{format}"
        );
    }
}

#[test]
fn same_command_same_bytes() {
    for format in ["table", "html", "json", "csv", "markdown"] {
        let args = [
            "compare",
            REGION,
            "--format",
            format,
            "--sensitivity",
            "60",
            "--seed",
            "9",
        ];
        let a = frameaudit(&args).run();
        let b = frameaudit(&args).run();
        a.code(0);
        assert_eq!(a.stdout, b.stdout, "{format}");
    }
    // Another seed may give other counts, but runs drawing only the weights never move a rank
    // at perturbation 0.
    let z = frameaudit(&[
        "compare",
        REGION,
        "--format",
        "json",
        "--sensitivity",
        "30",
        "--perturbation",
        "0",
    ])
    .run();
    z.code(0);
    let v = json(&z.stdout);
    let weights = &v["sensitivity"]["sources"][0];
    assert_eq!(weights["source"], "weights");
    assert_eq!(weights["mean_rank_shift"], 0.0);
    assert_eq!(weights["states_moved"], 0);
}

/// With no path, the bundled ASEAN: eleven members since Timor-Leste joined on 2025-10-26,
/// ten before; until tl.yaml lands, "10 of 11 member states have a profile".
#[test]
fn the_bundled_region_is_the_default() {
    let run = frameaudit(&["compare", "--format", "json"]).run();
    run.code(0);
    let v = json(&run.stdout);
    assert_eq!(v["region"]["id"], "asean");
    assert_eq!(v["members"]["total"], 11);
    let tl = common::root().join("frameworks/asean/tl.yaml").is_file();
    assert_eq!(
        v["members"]["summary"],
        if tl {
            "All 11 member states have a profile"
        } else {
            "10 of 11 member states have a profile; TL (Timor-Leste) has none"
        }
    );
    assert_eq!(v["rubric"]["id"], "acwc-victim-assistance");
    assert_eq!(v["summary"]["levels"].as_array().unwrap().len(), 3);
    assert_eq!(v["annex"].as_array().unwrap().len(), 3);
    assert!(
        v["caveats"][0]["text"]
            .as_str()
            .unwrap()
            .contains("not an official ACWC finding")
    );
    // Before Timor-Leste joined: ten members, every one with a profile.
    let run = frameaudit(&["compare", "--format", "json", "--as-of", "2025-10-25"]).run();
    run.code(0);
    let v = json(&run.stdout);
    assert_eq!(v["members"]["total"], 10);
    assert_eq!(
        v["members"]["summary"],
        "All 10 member states have a profile"
    );
    // The table says it too.
    let run = frameaudit(&["compare"]).run();
    run.code(0);
    assert!(
        run.stdout.contains("11 member states have a profile"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_invalid_profile_is_exit_2_with_diagnostics() {
    let (_tmp, region) = copy_fixture();
    edit(&region.join("xa.yaml"), "status: full", "status: fuull");
    let run = frameaudit(&["compare", region.to_str().unwrap()]).run();
    run.code(2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("xa.yaml:"), "{}", run.stderr);
    assert!(run.stderr.contains("error"), "{}", run.stderr);
}

#[test]
fn profiles_answering_different_rubrics_cannot_be_compared() {
    let (tmp, region) = copy_fixture();
    let rubric = std::fs::read_to_string(tmp.path().join("rubrics/mini-compare.toml")).unwrap();
    std::fs::write(
        tmp.path().join("rubrics/mini-other.toml"),
        rubric.replace("id = \"mini-compare\"", "id = \"mini-other\""),
    )
    .unwrap();
    edit(
        &region.join("xc.yaml"),
        "rubric: mini-compare",
        "rubric: mini-other",
    );
    let run = frameaudit(&["compare", region.to_str().unwrap()]).run();
    run.code(2);
    assert!(
        run.stderr
            .contains("profiles scored against different rubrics cannot be compared"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`mini-other`") && run.stderr.contains("XC"),
        "{}",
        run.stderr
    );
}

#[test]
fn output_file_is_written_and_inputs_are_never_overwritten() {
    let (tmp, region) = copy_fixture();
    let out = tmp.path().join("reports/asean.html");
    let run = frameaudit(&[
        "compare",
        region.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ])
    .run();
    run.code(0);
    assert!(run.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );

    let input = region.join("xa.yaml");
    let original = std::fs::read_to_string(&input).unwrap();
    let run = frameaudit(&[
        "compare",
        region.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ])
    .run();
    run.code(2);
    assert!(run.stderr.contains("input"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), original);
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [
        &["compare", REGION, "--perturbation", "1.5"][..],
        &["compare", REGION, "--perturbation", "-0.1"][..],
        &["compare", REGION, "--sensitivity", "0"][..],
        &["compare", REGION, "--format", "sarif"][..],
    ] {
        frameaudit(args).run().code(2);
    }
    let run = frameaudit(&["compare", "tests/fixtures/compare/rubrics"]).run();
    run.code(2);
}

/// Under the rubric's `min_coverage` a state is not rated and gets no single rank, only the
/// ranks its bounds allow; the others keep theirs.
#[test]
fn a_state_under_min_coverage_shows_only_the_ranks_its_bounds_allow() {
    let (tmp, region) = copy_fixture();
    // XB and XC cover 92.9% of their cell weight, XA 100%.
    edit(
        &tmp.path().join("rubrics/mini-compare.toml"),
        "\nversion = ",
        "\nmin_coverage = 95\nversion = ",
    );
    let dir = region.to_str().unwrap();
    let run = frameaudit(&["compare", dir, "--format", "json"]).run();
    run.code(0);
    let v = json(&run.stdout);
    let entry = |code: &str| {
        v["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(entry("XA")["rank"], 1);
    for code in ["XB", "XC"] {
        let e = entry(code);
        assert_eq!(e["rank"], serde_json::Value::Null, "{e}");
        assert_eq!(
            e["rank_range"],
            serde_json::json!({"best": 2, "worst": 3}),
            "{e}"
        );
        assert_eq!(
            e["unranked"],
            "insufficient evidence: 92.9% of cells assessed, 95.0% needed"
        );
    }
    // Low coverage is the same test: XB and XC are flagged, XA is not.
    let low = |code: &str| {
        v["states"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["country"]["code"] == code)
            .unwrap()["low_coverage"]
            .clone()
    };
    assert_eq!(
        (low("XA"), low("XB"), low("XC")),
        (false.into(), true.into(), true.into())
    );
    // Every format shows the same thing: the range only, not rated, coverage flagged low.
    let out = |format: &str| {
        let run = frameaudit(&["compare", dir, "--format", format]).run();
        run.code(0);
        run.stdout
    };
    let md = out("markdown");
    assert!(
        md.contains(
            "| 2–3 | XB Sampleland | 2024-06-30 | 50.0 (50.0–56.7) | not rated | 92.9 (low) | 70.0 | 50.0 | 30.0 (30.0–50.0) |"
        ),
        "{md}"
    );
    assert!(md.contains("min\\_coverage of 95.0% (XB and XC)"), "{md}");
    let html = out("html");
    assert!(
        html.contains(
            "<tr><td class=\"num\">2–3</td><th scope=\"row\">XB Sampleland</th><td>2024-06-30</td><td class=\"num heat b1\">50.0<span class=\"range\">50.0–56.7</span></td><td>not rated</td><td class=\"num\">92.9 (low)</td>"
        ),
        "{html}"
    );
    let table = out("table");
    let row = table
        .lines()
        .find(|l| l.contains("XB Sampleland"))
        .unwrap_or_else(|| panic!("{table}"));
    let cells: Vec<&str> = row.split(['│', '┆']).map(str::trim).collect();
    assert_eq!(
        cells[1..7],
        [
            "2–3",
            "XB Sampleland",
            "2024-06-30",
            "50.0",
            "not rated",
            "92.9 (low)"
        ],
        "{table}"
    );
    let csv = out("csv");
    assert!(
        csv.lines()
            .filter(|l| l.starts_with("XB,"))
            .all(|l| l.ends_with(",,2,3,50.0,50.0,56.7,insufficient_evidence,92.9,true")),
        "{csv}"
    );
}
