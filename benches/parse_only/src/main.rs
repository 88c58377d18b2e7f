//! Baselines for `benches/bench.sh`, over the same files and the same YAML backend as
//! `frameaudit`:
//!
//! - `parse_only parse DIR…`: read and parse every profile (`load::read_text` +
//!   `load::profile::parse`, both cores), nothing else: the floor under `check`.
//! - `parse_only single DIR…`: read every profile and deserialise it once with the YAML
//!   backend (serde-saphyr, same version) into `serde::de::IgnoredAny` (both cores): the
//!   least any YAML tool on this backend can do, the baseline of `check / single-pass`.
//! - `parse_only stream DIR…`: load, check and score every profile with
//!   `load::load_set_map`, keeping only the scorecards: what `check` costs in memory when
//!   it does not hold every profile at once.
//!
//! Prints one line with the counts, so the work cannot be optimised away.

use std::path::PathBuf;

use frameaudit::load::{self, Limits, LoadOptions, profile};
use frameaudit::score::score;
use rayon::prelude::*;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let dirs: Vec<PathBuf> = args.map(PathBuf::from).collect();
    match mode.as_str() {
        "parse" => parse(&dirs),
        "single" => single(&dirs),
        "stream" => stream(&dirs),
        _ => {
            eprintln!("usage: parse_only parse|single|stream DIR...");
            std::process::exit(2);
        }
    }
}

fn parse(dirs: &[PathBuf]) {
    let files = profiles(dirs);
    let limits = Limits::default();
    let ok = files
        .par_iter()
        .filter(|p| {
            load::read_text(p, &limits)
                .and_then(|t| profile::parse(&t, p, &limits))
                .is_ok()
        })
        .count();
    println!("parsed {ok} of {} profiles", files.len());
}

fn profiles(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut diags = Vec::new();
    frameaudit::discover::discover(dirs, &mut diags)
        .into_iter()
        .filter(|f| f.kind == frameaudit::discover::FileKind::Profile)
        .map(|f| f.path)
        .collect()
}

fn single(dirs: &[PathBuf]) {
    let files = profiles(dirs);
    let ok = files
        .par_iter()
        .filter(|p| {
            std::fs::read_to_string(p).is_ok_and(|t| {
                serde_saphyr::from_str::<serde::de::IgnoredAny>(&t).is_ok()
            })
        })
        .count();
    println!("parsed {ok} of {} profiles", files.len());
}

fn stream(dirs: &[PathBuf]) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let opts = LoadOptions {
        limits: Limits::default(),
        rubric: None,
        rubric_dirs: vec![root.join("rubrics")],
        today: frameaudit::date::today(),
    };
    let (set, cards) =
        load::set::load_set_map(dirs, &opts, &|_, _| {}, &|p, r| r.map(|r| score(&p, r)));
    println!(
        "scored {} profiles, {} diagnostics",
        cards.iter().flatten().count(),
        set.diagnostics.len()
    );
}
