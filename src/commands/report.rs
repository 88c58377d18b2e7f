//! `frameaudit report [PATHS…]`: gap reports in the in-law / in-policy / in-practice format,
//! one per profile, on the terminal or as Markdown, HTML or JSON, to stdout, one file, or a
//! folder with one file per country and an index.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use clap::ValueEnum;

use crate::cli::{Ctx, Exit};
use crate::output::{Target, write_atomic};
use crate::render;
use crate::report::{self, Report, ReportSet};

const AFTER_HELP: &str = "\
Output:
  --format table (the default) prints a compact report per country: header, types of
  assistance by level, fundamental principles, implementation gaps and the first challenges.
  Add --full for the in law / in policies / in practice sections, good practices beside
  challenges, and the numbered sources. markdown, html and json always hold everything.

  One profile: stdout, or -o FILE. Several profiles: stdout gets an overview then every
  report (table, markdown) or one JSON object {schema_version, reports}; HTML needs -o DIR.
  -o DIR writes <code>.<ext> per country plus index.<ext> (ext: txt, md, html, json),
  sorted by country name; for the folder of one region (with its region.yaml) also
  comparison.<ext>, the regional comparison as of today, which the index links.
  Every report shows the status line of its profile, or of the region.yaml beside it.
  Files are written atomically; an input file is never overwritten.

  If any input is invalid, diagnostics are printed, nothing is written and the exit code
  is 2, so CI never publishes a partial report.

Examples:
  frameaudit report                                   every bundled country, compact
  frameaudit report frameworks/asean/ph.yaml --full
  frameaudit report --format html -o reports/         one page per country + index.html
  frameaudit report frameworks/asean/ph.yaml --format html -o ph.html";

/// Output formats of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for the terminal (compact unless --full).
    Table,
    /// Markdown (CommonMark with tables).
    Markdown,
    /// One self-contained HTML page per country, printable on A4.
    Html,
    /// The report JSON contract (schema_version 2).
    Json,
}

impl Format {
    /// The file extension of the format.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Table => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
}

/// Arguments of `frameaudit report`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct Args {
    /// Profiles or folders of profiles (default: the bundled frameworks/asean).
    pub paths: Vec<PathBuf>,
    /// Score against this rubric (it must be the profiles' rubric or extend it).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format table: every section, not the compact summary.
    #[arg(long)]
    pub full: bool,
    /// Write to FILE, or with several profiles to the folder DIR (one file per country and an
    /// index), atomically, instead of stdout.
    #[arg(short, long, value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let paths = ctx.paths_or_default(&args.paths);
    let opts = ctx.load_options(args.rubric.as_deref());
    let target = Target::from_option(args.output.as_ref());
    let color = ctx.color && matches!(target, Target::Stdout);
    let style = Style {
        format: args.format,
        full: args.full,
        color,
    };
    // Each profile becomes its report, rendered, on the worker that loaded it; the profile
    // and (but in JSON) the report model are dropped there. A profile without a status line
    // takes that of the region file beside it (read once per folder).
    let statuses: Mutex<BTreeMap<PathBuf, Option<String>>> = Mutex::new(BTreeMap::new());
    let limits = ctx.limits;
    let region_status = |p: &Path| -> Option<String> {
        let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut cache = statuses.lock().unwrap_or_else(PoisonError::into_inner);
        cache
            .entry(dir)
            .or_insert_with(|| crate::load::region::status_beside(p, &limits))
            .clone()
    };
    let (set, kept) = ctx.with_progress(|progress| {
        crate::load::set::load_set_map(&paths, &opts, progress, &|p, r| {
            r.map(|r| {
                let mut rep = report::build(&p, r);
                if rep.status.is_none() {
                    rep.status = region_status(&p.path);
                }
                Kept::of(rep, style)
            })
            .ok_or(p.path)
        })
    });
    ctx.print_diagnostics(&set.diagnostics);
    if set.has_errors() {
        crate::cli::print_summary(ctx, set.files.len().max(1), &set.diagnostics);
        ctx.error("no report written: fix the errors above (reports are all or nothing)");
        return Exit::Invalid;
    }
    if kept.is_empty() {
        ctx.error(format!(
            "no profile found in {}",
            paths
                .iter()
                .map(|p| crate::diag::display_path(p))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        return Exit::Invalid;
    }
    let kept = match kept.into_iter().collect::<Result<Vec<Kept>, PathBuf>>() {
        Ok(k) => k,
        Err(path) => {
            ctx.error(format!(
                "{}: the profile's rubric could not be loaded",
                crate::diag::display_path(&path)
            ));
            return Exit::Invalid;
        }
    };
    let mut inputs = set.files.clone();
    inputs.extend(set.rubrics.values().map(|r| r.path.clone()));
    if let Some(r) = &args.rubric {
        inputs.push(r.clone());
    }

    let dir = match &target {
        Target::File(p) if kept.len() > 1 || p.is_dir() || ends_with_separator(p) => {
            Some(p.clone())
        }
        _ => None,
    };
    if let Some(dir) = dir {
        // The reports of one region's folder come with the regional comparison, which the
        // index links.
        let comparison = match set.regions.as_slice() {
            [region] => super::compare::quiet(ctx, region, args.rubric.as_deref()),
            _ => None,
        };
        return write_dir(ctx, &dir, kept, args.format, &inputs, comparison);
    }

    // The overview is sorted by country name; on stdout, the reports after it follow the same
    // order (JSON keeps the input order): see `by_name`.
    let summaries = || kept.iter().map(|k| k.summary.clone()).collect::<Vec<_>>();
    let text = match (args.format, kept.as_slice()) {
        (_, [one]) => one.text(),
        (Format::Table, many) => {
            let mut s = render::report_text::index(&report::index(&summaries(), None));
            for k in by_name(many) {
                s.push_str(&render::report_text::separator());
                s.push_str(&k.text());
            }
            s
        }
        (Format::Markdown, many) => {
            let mut s = render::markdown::index(&report::index(&summaries(), None));
            for k in by_name(many) {
                s.push_str("\n---\n\n");
                s.push_str(&k.text());
            }
            s
        }
        (Format::Json, _) => render::json::to_string(&ReportSet {
            schema_version: report::SCHEMA_VERSION,
            reports: kept.into_iter().filter_map(Kept::into_model).collect(),
        }),
        (Format::Html, many) => {
            ctx.error(format!(
                "{} profiles: an HTML report is one page per country",
                many.len()
            ));
            let _ = writeln!(
                ctx.err,
                "   = help: write them to a folder with -o DIR (one <code>.html per country and index.html), or name one profile"
            );
            return Exit::Invalid;
        }
    };
    super::emit(ctx, &target, &text, &inputs)
}

/// The reports sorted by country name (then code), as the overview before them.
fn by_name(many: &[Kept]) -> Vec<&Kept> {
    let mut v: Vec<&Kept> = many.iter().collect();
    v.sort_by(|a, b| report::name_order(&a.summary.entry.country, &b.summary.entry.country));
    v
}

/// How each country's report is rendered.
#[derive(Debug, Clone, Copy)]
struct Style {
    format: Format,
    full: bool,
    color: bool,
}

/// A country's report as the run keeps it: its index summary, and the report rendered in
/// the run's format — or, in JSON, the model (a set of reports is one JSON document).
struct Kept {
    summary: report::Summary,
    body: Body,
}

enum Body {
    Text(String),
    Model(Box<Report>),
}

impl Kept {
    fn of(r: Report, style: Style) -> Kept {
        let summary = report::Summary::of(&r);
        let body = match style.format {
            Format::Table => Body::Text(render::report_text::report(&r, style.full, style.color)),
            Format::Markdown => Body::Text(render::markdown::report(&r)),
            Format::Html => Body::Text(render::html::report(&r)),
            Format::Json => Body::Model(Box::new(r)),
        };
        Kept { summary, body }
    }

    /// The report on its own (one file, or one country).
    fn text(&self) -> String {
        match &self.body {
            Body::Text(t) => t.clone(),
            Body::Model(r) => render::json::to_string(r.as_ref()),
        }
    }

    /// The report on its own, consumed.
    fn into_text(self) -> String {
        match self.body {
            Body::Text(t) => t,
            Body::Model(r) => render::json::to_string(r.as_ref()),
        }
    }

    fn into_model(self) -> Option<Report> {
        match self.body {
            Body::Model(r) => Some(*r),
            Body::Text(_) => None,
        }
    }
}

fn ends_with_separator(p: &Path) -> bool {
    p.as_os_str()
        .to_string_lossy()
        .ends_with(std::path::MAIN_SEPARATOR)
        || p.as_os_str().to_string_lossy().ends_with('/')
}

/// Writes one file per country and the index into `dir`; checks every target first so that
/// nothing is written when one of them would overwrite an input or two countries share a code.
fn write_dir(
    ctx: &mut Ctx<'_>,
    dir: &Path,
    kept: Vec<Kept>,
    format: Format,
    inputs: &[PathBuf],
    comparison: Option<crate::score::region::Comparison>,
) -> Exit {
    if dir.exists() && !dir.is_dir() {
        ctx.error(format!(
            "{} is a file; with several profiles -o names a folder",
            crate::diag::display_path(dir)
        ));
        return Exit::Invalid;
    }
    let ext = format.ext();
    let mut seen = BTreeSet::new();
    for k in &kept {
        let country = &k.summary.entry.country;
        if !seen.insert(country.code.clone()) {
            ctx.error(format!(
                "two profiles for {}: their reports would both be {}; report them to different folders",
                country.code,
                report::file_name(country, ext)
            ));
            return Exit::Invalid;
        }
    }
    let summaries: Vec<report::Summary> = kept.iter().map(|k| k.summary.clone()).collect();
    let mut idx = report::index(&summaries, Some(ext));
    let comparison_file = format!("comparison.{ext}");
    if comparison.is_some() {
        idx.comparison = Some(comparison_file.clone());
    }
    let count = kept.len();
    let mut files: Vec<(PathBuf, String)> = kept
        .into_iter()
        .map(|k| {
            let path = dir.join(report::file_name(&k.summary.entry.country, ext));
            (path, k.into_text())
        })
        .collect();
    let index_text = match format {
        Format::Table => render::report_text::index(&idx),
        Format::Markdown => render::markdown::index(&idx),
        Format::Html => render::html::index(&idx),
        Format::Json => render::json::to_string(&idx),
    };
    files.push((dir.join(format!("index.{ext}")), index_text));
    if let Some(c) = &comparison {
        let text = match format {
            Format::Table => render::compare::table::render(c),
            Format::Markdown => render::compare::markdown::render(c),
            Format::Html => render::compare::html::render(c),
            Format::Json => render::compare::json(c),
        };
        files.push((dir.join(&comparison_file), text));
    }

    let canonical: BTreeSet<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    for (path, _) in &files {
        if path.canonicalize().is_ok_and(|c| canonical.contains(&c)) {
            ctx.error(format!(
                "{}: is one of this run's input files; refusing to overwrite it (nothing written)",
                crate::diag::display_path(path)
            ));
            let _ = writeln!(
                ctx.err,
                "   = help: write the reports to another folder with -o"
            );
            return Exit::Invalid;
        }
    }
    for (path, text) in &files {
        if let Err(e) = write_atomic(path, text.as_bytes(), inputs) {
            ctx.error(e);
            return Exit::Invalid;
        }
    }
    let _ = writeln!(
        ctx.err,
        "wrote {} reports, index.{ext}{} to {}",
        count,
        if comparison.is_some() {
            format!(" and {comparison_file}")
        } else {
            String::new()
        },
        crate::diag::display_path(dir)
    );
    Exit::Success
}
