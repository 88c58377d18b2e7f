//! `frameaudit compare [REGION_DIR]`: the member states of a region on a date (`--as-of`)
//! side by side: an executive summary in the form of the ACWC key findings, the scores with
//! their bounds and rank ranges, good common practices and challenges by theme, the
//! criterion-by-criterion annex and, with `--sensitivity N`, how robust the ranking is to the
//! rubric's weights and to the unknown cells. Wires load → `score::region::compare` →
//! `render::compare`; profiles of non-members on the date are left out with a warning naming
//! the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use crate::cli::{Ctx, Exit};
use crate::diag::{Code, Diagnostic, display_path};
use crate::model::{Loc, Profile, Region};
use crate::output::Target;
use crate::render::compare as render;
use crate::score::region::{self, SensitivityOptions};

/// Output formats of `compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable tables and paragraphs for a terminal.
    Table,
    /// Markdown with tables.
    Markdown,
    /// One self-contained, printable HTML page with heat maps.
    Html,
    /// The comparison JSON contract (schema_version 2).
    Json,
    /// Tidy CSV: one row per member state × criterion × level.
    Csv,
}

/// Arguments of `frameaudit compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The region folder: a region.yaml and one `<code>.yaml` profile per member state
    /// [default: the bundled frameworks/asean].
    #[arg(value_name = "REGION_DIR")]
    pub region: Option<PathBuf>,
    /// Score every profile against this rubric (it must be theirs or extend it).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Count the members on DATE (YYYY-MM-DD): states that joined later are left out
    /// [default: today].
    #[arg(long, value_name = "DATE", value_parser = as_of_date)]
    pub as_of: Option<crate::model::Date>,
    /// Re-score N times, each drawing the weights and a status for every unknown cell, and
    /// report each state's rank range and which of the two moves ranks more.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub sensitivity: Option<u32>,
    /// Seed of the perturbations (same seed, same output).
    #[arg(long, value_name = "S", default_value_t = region::DEFAULT_SEED)]
    pub seed: u64,
    /// Relative perturbation δ: each weight is multiplied by a factor uniform in [1−δ, 1+δ].
    #[arg(long, value_name = "FRACTION", default_value_t = region::DEFAULT_PERTURBATION, value_parser = perturbation)]
    pub perturbation: f64,
}

fn perturbation(s: &str) -> Result<f64, String> {
    let v: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() && (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err("must be at least 0 and below 1 (e.g. 0.25 for ±25%)".into())
    }
}

fn as_of_date(s: &str) -> Result<crate::model::Date, String> {
    crate::date::parse(s.trim())
}

/// The folder a REGION_DIR argument names (a region.yaml names its folder).
fn region_dir(p: &Path) -> PathBuf {
    if p.is_file() && crate::load::region::is_region_file(p) {
        match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        }
    } else {
        p.to_path_buf()
    }
}

fn same_dir(a: Option<&Path>, b: &Path) -> bool {
    let canon = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    a.is_some_and(|a| {
        let a = if a.as_os_str().is_empty() {
            Path::new(".")
        } else {
            a
        };
        canon(a) == canon(b)
    })
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let given = ctx.paths_or_default(args.region.as_slice());
    let dir = region_dir(&given[0]);
    if dir.exists() && !dir.is_dir() {
        ctx.error(format!(
            "{} is a file; `compare` takes a region folder holding region.yaml and the member states' profiles",
            display_path(&dir)
        ));
        return Exit::Invalid;
    }
    let opts = ctx.load_options(args.rubric.as_deref());
    let mut set = ctx.with_progress(|p| load_for_comparison(std::slice::from_ref(&dir), &opts, p));
    ctx.print_diagnostics(&set.diagnostics);
    if set.has_errors() {
        crate::cli::print_summary(ctx, set.files.len().max(1), &set.diagnostics);
        return Exit::Invalid;
    }

    let Some(reg) = set.regions.iter().find(|r| same_dir(r.path.parent(), &dir)) else {
        let found: Vec<String> = set.regions.iter().map(|r| display_path(&r.path)).collect();
        ctx.error(format!(
            "{} holds no region.yaml{}",
            display_path(&dir),
            if found.is_empty() {
                String::new()
            } else {
                format!(
                    " (found {} below it; name that folder)",
                    crate::suggest::join(&found, "and")
                )
            }
        ));
        return Exit::Invalid;
    };
    // Profiles of countries that are not members on the comparison date are left out, with
    // a warning naming the file (one that region.yaml does not list at all already has its
    // `not-a-member` warning from loading).
    let as_of = args.as_of.unwrap_or(ctx.today);
    let mut left_out = Vec::new();
    let all: Vec<Profile> = std::mem::take(&mut set.profiles)
        .into_iter()
        .filter(|p| same_dir(p.path.parent(), &dir))
        .collect();
    let profiles: Vec<&Profile> = all
        .iter()
        .filter(|p| {
            let member = reg.is_member_on(&p.country.code, as_of);
            if !member && let Some(joined) = reg.joined.get(&p.country.code) {
                left_out.push(
                    Diagnostic::new(
                        Code::NotAMember,
                        &p.path,
                        Loc::default(),
                        format!(
                            "`{}` joined region `{}` on {joined}, after the comparison date {as_of}; left out of the comparison",
                            p.country.code, reg.id
                        ),
                    )
                    .help(format!("compare as of {joined} or later with --as-of")),
                );
            }
            member
        })
        .collect();
    ctx.print_diagnostics(&left_out);
    if profiles.is_empty() {
        ctx.error(format!(
            "no member state of region `{}` has a profile in {}",
            reg.id,
            display_path(&dir)
        ));
        return Exit::Invalid;
    }

    // Every profile must be scored against one and the same rubric.
    let mut by_rubric: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for p in &profiles {
        match set.rubric_for(p) {
            Some(r) => by_rubric
                .entry((r.id.clone(), r.sha256.clone()))
                .or_default()
                .push(p.country.code.clone()),
            None => {
                ctx.error(format!(
                    "{}: the profile's rubric `{}` could not be loaded",
                    display_path(&p.path),
                    p.rubric
                ));
                return Exit::Invalid;
            }
        }
    }
    if by_rubric.len() > 1 {
        let parts: Vec<String> = by_rubric
            .iter()
            .map(|((id, sha), codes)| {
                format!(
                    "`{id}` (sha256 {}…): {}",
                    &sha[..sha.len().min(12)],
                    codes.join(", ")
                )
            })
            .collect();
        ctx.error(format!(
            "profiles scored against different rubrics cannot be compared: {}\n   = help: make every profile answer the same rubric, or pass one rubric that extends theirs with --rubric",
            crate::suggest::join(&parts, "and")
        ));
        return Exit::Invalid;
    }
    let Some(rubric) = set.rubric_for(profiles[0]) else {
        return Exit::Invalid;
    };
    if !rubric.accepts(&reg.rubric) {
        ctx.error(format!(
            "{}: region `{}` names rubric `{}`, but its profiles are scored against `{}`",
            display_path(&reg.path),
            reg.id,
            reg.rubric,
            rubric.id
        ));
        return Exit::Invalid;
    }

    let sensitivity = args.sensitivity.map(|n| SensitivityOptions {
        runs: n as usize,
        seed: args.seed,
        perturbation: args.perturbation,
    });
    // compare() leaves out the profiles of non-members itself, and lists them.
    let comparison = region::compare(reg, &all, rubric, as_of, sensitivity);
    let text = match args.format {
        Format::Table => render::table::render(&comparison),
        Format::Markdown => render::markdown::render(&comparison),
        Format::Html => render::html::render(&comparison),
        Format::Json => render::json(&comparison),
        Format::Csv => render::csv::render(&comparison),
    };
    let mut inputs = set.files.clone();
    inputs.push(rubric.path.clone());
    super::emit(
        ctx,
        &Target::from_option(args.output.as_ref()),
        &text,
        &inputs,
    )
}

/// The comparison of `region` as of today, for `report -o DIR`: its folder's profiles of the
/// members on that date, scored against one rubric (`rubric`, else theirs). None, silently,
/// when the folder cannot be compared (an invalid file, mixed rubrics): `compare` says why.
pub(crate) fn quiet(
    ctx: &Ctx<'_>,
    region: &Region,
    rubric: Option<&Path>,
) -> Option<region::Comparison> {
    let dir = match region.path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let set = load_for_comparison(
        std::slice::from_ref(&dir),
        &ctx.load_options(rubric),
        &|_, _| {},
    );
    if set.has_errors() {
        return None;
    }
    let profiles: Vec<Profile> = set
        .profiles
        .into_iter()
        .filter(|p| same_dir(p.path.parent(), &dir))
        .filter(|p| region.is_member_on(&p.country.code, ctx.today))
        .collect();
    let first = profiles.first()?;
    let r = set
        .rubrics
        .get(set.override_rubric.as_ref().unwrap_or(&first.rubric))?;
    let same = profiles.iter().all(|p| {
        set.rubrics
            .get(set.override_rubric.as_ref().unwrap_or(&p.rubric))
            .is_some_and(|x| x.id == r.id && x.sha256 == r.sha256)
    });
    (same && r.accepts(&region.rubric))
        .then(|| region::compare(region, &profiles, r, ctx.today, None))
}

/// Loads `paths`, keeping each valid profile as a comparison needs it.
fn load_for_comparison(
    paths: &[PathBuf],
    opts: &crate::load::LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> crate::load::LoadSet {
    let (mut set, kept) =
        crate::load::set::load_set_map(paths, opts, progress, &|p, _| p.for_comparison());
    set.profiles = kept;
    set
}
