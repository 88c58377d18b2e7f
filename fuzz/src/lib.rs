//! What the fuzz targets run, as plain functions: the cargo-fuzz binaries call them with
//! libFuzzer's inputs, and `tests/replay.rs` calls them with the seed corpus on stable Rust.
//! Neither may panic, whatever the bytes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use frameaudit::load::{Limits, profile, rubric};
use frameaudit::model::{Date, Rubric};

/// A fixed "today", so runs are reproducible.
const TODAY: Date = Date {
    year: 2026,
    month: 11,
    day: 28,
};

/// A minimal valid profile, scored against every rubric the rubric target manages to load.
const MINIMAL_PROFILE: &str = "format_version: 1\ncountry: { code: XX, name: Fuzz }\n\
rubric: fuzz\nas_of: 2024-06-30\nsources: []\nassessments: {}\n";

/// The repository root (the fuzz crate lives in `fuzz/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

fn bundled_rubric() -> Option<&'static Rubric> {
    static RUBRIC: OnceLock<Option<Rubric>> = OnceLock::new();
    RUBRIC
        .get_or_init(|| {
            let path = repo_root().join("rubrics/acwc-victim-assistance.toml");
            rubric::load(&path, &Limits::default(), &mut Vec::new())
        })
        .as_ref()
}

/// Parses `data` as a profile (what of it can be read, when its shape check fails), checks
/// it against the bundled rubric and, when it is valid, scores it.
pub fn profile(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::default();
    let path = Path::new("fuzz/xx.yaml");
    // A profile whose shape check fails is still checked as far as it can be read.
    let raw = match profile::parse_salvaged(text, path, &limits) {
        Ok(raw) => raw,
        Err((_, Some(raw))) => *raw,
        Err((_, None)) => return,
    };
    let rubric = bundled_rubric();
    let mut diags = Vec::new();
    if let Some(p) = profile::check(raw, path, rubric, TODAY, &mut diags)
        && let Some(r) = rubric
    {
        let _ = frameaudit::score::score(&p, r);
    }
    for d in &diags {
        let _ = d.render_human();
    }
}

/// Loads `data` as a rubric (from a file, as the loader reads files) and, when it is valid,
/// scores a minimal profile against it.
pub fn rubric(data: &[u8]) {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"));
    let path = dir.path().join("fuzz.toml");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let limits = Limits::default();
    let mut diags = Vec::new();
    let Some(r) = rubric::load(&path, &limits, &mut diags) else {
        return;
    };
    let ppath = Path::new("fuzz/xx.yaml");
    if let Ok(raw) = profile::parse(MINIMAL_PROFILE, ppath, &limits)
        && let Some(p) = profile::check(raw, ppath, Some(&r), TODAY, &mut Vec::new())
    {
        let _ = frameaudit::score::score(&p, &r);
    }
}
