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
//! - `parse_only stages DIR…`: on one thread, the time of each stage of a check over the
//!   same files (read, single pass, located parse, check, score), to see where a check's
//!   time goes beyond the single pass.
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
        "stages" => stages(&dirs),
        _ => {
            eprintln!("usage: parse_only parse|single|stream|stages DIR...");
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
            std::fs::read_to_string(p)
                .is_ok_and(|t| serde_saphyr::from_str::<serde::de::IgnoredAny>(&t).is_ok())
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

/// Time per stage, one thread: read, single pass, typed parse, check, score.
fn stages(dirs: &[PathBuf]) {
    use std::time::Instant;
    let files = profiles(dirs);
    let limits = Limits::default();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut ds = Vec::new();
    let rubric = frameaudit::load::rubric::load(
        &root.join("rubrics/acwc-victim-assistance.toml"),
        &limits,
        &mut ds,
    )
    .unwrap();
    let today = frameaudit::date::today();
    let (mut tr, mut ts, mut tp, mut tc, mut tsc) = (0f64, 0f64, 0f64, 0f64, 0f64);
    let t = Instant::now();
    for p in &files {
        std::hint::black_box(std::fs::read_to_string(p).unwrap());
    }
    let std_read = t.elapsed().as_secs_f64();
    let t = Instant::now();
    for p in &files {
        std::hint::black_box(load::read_text(p, &limits).unwrap());
    }
    println!(
        "std read {std_read:.3} read_text {:.3}",
        t.elapsed().as_secs_f64()
    );
    for p in &files {
        let t0 = Instant::now();
        let text = load::read_text(p, &limits).unwrap();
        let t1 = Instant::now();
        let _ = serde_saphyr::from_str::<serde::de::IgnoredAny>(&text).unwrap();
        let t2 = Instant::now();
        let raw = profile::parse(&text, p, &limits).unwrap();
        let t3 = Instant::now();
        let mut out = Vec::new();
        let prof = profile::check(raw, p, Some(&rubric), today, &mut out).unwrap();
        let t4 = Instant::now();
        let card = score(&prof, &rubric);
        std::hint::black_box(&card);
        let t5 = Instant::now();
        tr += (t1 - t0).as_secs_f64();
        ts += (t2 - t1).as_secs_f64();
        tp += (t3 - t2).as_secs_f64();
        tc += (t4 - t3).as_secs_f64();
        tsc += (t5 - t4).as_secs_f64();
    }
    println!(
        "read {tr:.3} single {ts:.3} typed {tp:.3} check {tc:.3} score {tsc:.3} (s, one thread, {} files)",
        files.len()
    );
}
