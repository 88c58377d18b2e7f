//! `frameaudit generate` (hidden): synthetic profiles validate cleanly, the same seed gives
//! the same bytes, large counts are split into folders, and a non-empty folder is refused.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{frameaudit, utf8};

/// Every file under `dir`, by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn generate(dir: &Path, count: &str, seed: &str) -> common::Run {
    frameaudit(&[
        "generate",
        "--count",
        count,
        "--seed",
        seed,
        "-o",
        utf8(dir),
    ])
    .run()
}

#[test]
fn generated_profiles_validate_without_errors_or_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    generate(&dir, "12", "3").code(0);
    let run = frameaudit(&["validate", "--strict", "--format", "json", utf8(&dir)]).run();
    run.code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // 12 profiles, region.yaml and the rubric copy.
    assert_eq!(doc["files"], 14, "{}", run.stdout);
    assert_eq!(doc["errors"], 0);
    assert_eq!(doc["warnings"], 0);
    // Realistic in size: like the bundled profiles, tens of kilobytes each.
    let size = std::fs::metadata(dir.join("aa.yaml")).unwrap().len();
    assert!((15_000..80_000).contains(&size), "aa.yaml is {size} bytes");
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    generate(&a, "5", "42").code(0);
    generate(&b, "5", "42").code(0);
    generate(&c, "5", "43").code(0);
    let (ta, tb, tc) = (tree(&a), tree(&b), tree(&c));
    assert_eq!(ta, tb);
    assert_eq!(ta.keys().collect::<Vec<_>>(), tc.keys().collect::<Vec<_>>());
    assert_ne!(ta["aa.yaml"], tc["aa.yaml"]);
}

#[test]
fn more_than_676_profiles_are_split_into_batches_that_validate() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("big");
    generate(&dir, "680", "1").code(0);
    let first = tree(&dir.join("batch-0001"));
    let second = tree(&dir.join("batch-0002"));
    assert_eq!(first.len(), 676 + 1);
    assert_eq!(second.len(), 4 + 1);
    assert!(first.contains_key("zz.yaml") && second.contains_key("ad.yaml"));
    assert!(!dir.join("region.yaml").exists());
    // The second batch with its region, and both ends of the first (all 680 take long in a
    // debug build; the benchmarks validate whole trees of 10,000).
    let (b2, aa, zz) = (
        dir.join("batch-0002"),
        dir.join("batch-0001/aa.yaml"),
        dir.join("batch-0001/zz.yaml"),
    );
    let run = frameaudit(&["validate", "--strict", utf8(&b2), utf8(&aa), utf8(&zz)]).run();
    run.code(0);
    assert!(
        run.stderr.contains("7 files, 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn generated_tree_finds_its_rubric_from_another_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    generate(&dir, "2", "1").code(0);
    assert!(dir.join("rubrics/acwc-victim-assistance.toml").is_file());
    frameaudit(&["validate", "--strict", "data"])
        .current_dir(tmp.path())
        .run()
        .code(0);
}

#[test]
fn refuses_a_non_empty_folder_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let run = generate(&dir, "2", "1");
    run.code(2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert!(!dir.join("aa.yaml").exists());
    frameaudit(&["generate", "--count", "2", "--force", "-o", utf8(&dir)])
        .run()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(dir.join("ab.yaml").is_file());
}

#[test]
fn hidden_from_main_help() {
    let run = frameaudit(&["--help"]).run();
    run.code(0);
    assert!(!run.stdout.contains("generate"), "{}", run.stdout);
}
