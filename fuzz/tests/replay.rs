//! Replays the seed corpus through the fuzz functions on stable Rust (no libFuzzer): the
//! bundled profiles and rubrics, the hostile fixtures, the YAML test suite, and whatever
//! `cargo fuzz` has saved in `corpus/` and `artifacts/`.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn seed_corpus_never_panics() {
    let root = frameaudit_fuzz::repo_root();
    let fuzz = root.join("fuzz");
    let mut inputs = Vec::new();
    for d in [
        root.join("frameworks"),
        root.join("rubrics"),
        root.join("tests/fixtures/hostile"),
        root.join("tests/fixtures/yaml-test-suite"),
        fuzz.join("corpus"),
        fuzz.join("artifacts"),
    ] {
        files(&d, &mut inputs);
    }
    inputs.sort();
    assert!(
        inputs.len() > 100,
        "seed corpus not found under {}",
        root.display()
    );
    for p in &inputs {
        let data = std::fs::read(p).unwrap_or_default();
        frameaudit_fuzz::profile(&data);
        frameaudit_fuzz::rubric(&data);
    }
    println!("replayed {} inputs through both targets", inputs.len());
}
