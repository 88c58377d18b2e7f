//! The public YAML test suite (yaml-test-suite, vendored in tests/fixtures/yaml-test-suite)
//! fed to the loaders: every `in.yaml` must give a clean result — a value or a located
//! diagnostic, never a panic — and every case marked `error` must be rejected by the profile
//! loader. Each case also goes through the region loader and a schema-free parse into
//! `serde_json::Value`, which exercises the YAML backend on inputs the profile shape would
//! otherwise cut short.
//!
//! `FRAMEAUDIT_YAML_SUITE=DIR` runs another copy of the suite;
//! `FRAMEAUDIT_SKIP_YAML_SUITE=1` skips the test when no copy is present.
#![allow(clippy::print_stderr, reason = "the test reports how many cases ran")]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use frameaudit::load::{Limits, profile, read_text, region, yaml};

/// The suite's location: `$FRAMEAUDIT_YAML_SUITE`, else the vendored copy.
fn suite_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("FRAMEAUDIT_YAML_SUITE").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/yaml-test-suite"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

/// Every folder holding an `in.yaml`, sorted.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.file_name().is_some_and(|n| n == "in.yaml") {
                out.push(d.clone());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_case_gives_a_clean_result() {
    let Some(dir) = suite_dir() else {
        if std::env::var_os("FRAMEAUDIT_SKIP_YAML_SUITE").is_some_and(|v| v == "1") {
            eprintln!("NOTE: yaml-test-suite not found; skipped (FRAMEAUDIT_SKIP_YAML_SUITE=1)");
            return;
        }
        panic!(
            "yaml-test-suite not found: expected it in tests/fixtures/yaml-test-suite or at \
             $FRAMEAUDIT_YAML_SUITE; set FRAMEAUDIT_SKIP_YAML_SUITE=1 to skip"
        );
    };
    let limits = Limits::default();
    let cases = cases(&dir);
    assert!(
        cases.len() > 300,
        "only {} cases found in {}",
        cases.len(),
        dir.display()
    );

    let mut panics = Vec::new();
    let mut accepted_errors = Vec::new();
    let mut unlocated = Vec::new();
    let mut lenient = Vec::new();
    let (mut marked_error, mut profile_ok, mut generic_ok, mut generic_rejected_errors) =
        (0, 0, 0, 0);
    for case in &cases {
        let input = case.join("in.yaml");
        let is_error = case.join("error").exists();
        marked_error += usize::from(is_error);
        let name = case
            .strip_prefix(&dir)
            .unwrap_or(case)
            .display()
            .to_string();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let text = read_text(&input, &limits);
            let as_profile = text
                .clone()
                .and_then(|t| profile::parse(&t, &input, &limits).map(|_| ()));
            let mut diags = Vec::new();
            if let Ok(t) = &text {
                region::load(t, &input, &limits, &mut diags);
            }
            let as_value = text.and_then(|t| yaml::parse::<serde_json::Value>(&t, &input, &limits));
            (as_profile, as_value.is_ok())
        }));
        match outcome {
            Err(_) => panics.push(name),
            Ok((as_profile, value_ok)) => {
                generic_ok += usize::from(value_ok);
                generic_rejected_errors += usize::from(is_error && !value_ok);
                if is_error && value_ok {
                    lenient.push(name.clone());
                }
                match as_profile {
                    Ok(()) if is_error => accepted_errors.push(name),
                    Ok(()) => profile_ok += 1,
                    Err(d) if !d.loc.is_known() && d.code.as_str() != "empty-file" => {
                        // Only whole-file problems (encoding) may lack a position.
                        if d.code.as_str() != "invalid-utf8" {
                            unlocated.push(format!("{name}: {}", d.render_human()));
                        }
                    }
                    Err(_) => {}
                }
            }
        }
    }
    eprintln!(
        "yaml-test-suite: {} cases ran ({marked_error} marked error), {} panics; the profile \
         loader accepted {profile_ok} and rejected the rest; the schema-free parse accepted \
         {generic_ok} and rejected {generic_rejected_errors} of the {marked_error} error cases",
        cases.len(),
        panics.len()
    );
    if !lenient.is_empty() {
        // Known leniency of the YAML backend; the profile loader still rejects these.
        eprintln!("yaml-test-suite: error cases the schema-free parse accepts: {lenient:?}");
    }
    assert!(
        panics.is_empty(),
        "panicked on {} cases: {panics:?}",
        panics.len()
    );
    assert!(
        accepted_errors.is_empty(),
        "accepted invalid YAML: {accepted_errors:?}"
    );
    assert!(
        unlocated.is_empty(),
        "diagnostics without a location:\n{unlocated:#?}"
    );
}
