//! `frameaudit report [PATHS…]`: gap reports in the in-law / in-policy / in-practice format,
//! one per profile, on the terminal or as Markdown, HTML or JSON, to stdout, one file, or a
//! folder with one file per country and an index.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use clap::ValueEnum;

use crate::cli::{Ctx, Exit};
use crate::output::Target;
use crate::render;
use crate::report::{self, Report};

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
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
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
    // and the report model are dropped there. The rendered text goes, chunk by chunk and in
    // input order, to a spool (an unnamed temporary file), so that a run over thousands of
    // profiles holds only their index entries: nothing is written where the user said until
    // every input is known to be valid (reports are all or nothing), and the index, which
    // needs every entry, comes first.
    let mut spool = match Spool::new() {
        Ok(s) => s,
        Err(e) => {
            ctx.error(format!("cannot create a temporary file: {e}"));
            return Exit::Invalid;
        }
    };
    let mut unscored: Option<PathBuf> = None;
    let mut spool_error: Option<std::io::Error> = None;
    // A profile without a status line takes that of the region file beside it (read once
    // per folder).
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
    let set = ctx.with_progress(|progress| {
        crate::load::set::load_set_each(
            &paths,
            &opts,
            progress,
            &|p, r| {
                r.map(|r| {
                    let mut report = report::build(&p, r);
                    if report.status.is_none() {
                        report.status = region_status(&p.path);
                    }
                    (report::Summary::of(&report), rendered(&report, style))
                })
                .ok_or(p.path)
            },
            &mut |kept| match kept {
                Ok((summary, text)) => {
                    if let Err(e) = spool.push(summary, &text)
                        && spool_error.is_none()
                    {
                        spool_error = Some(e);
                    }
                }
                Err(path) => {
                    unscored.get_or_insert(path);
                }
            },
        )
    });
    ctx.print_diagnostics(&set.diagnostics);
    if set.has_errors() {
        crate::cli::print_summary(ctx, set.files.len().max(1), &set.diagnostics);
        ctx.error("no report written: fix the errors above (reports are all or nothing)");
        return Exit::Invalid;
    }
    if let Some(e) = spool_error {
        ctx.error(format!("cannot write to a temporary file: {e}"));
        return Exit::Invalid;
    }
    if let Some(path) = unscored {
        ctx.error(format!(
            "{}: the profile's rubric could not be loaded",
            crate::diag::display_path(&path)
        ));
        return Exit::Invalid;
    }
    if spool.is_empty() {
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
    let mut inputs = set.files.clone();
    inputs.extend(set.rubrics.values().map(|r| r.path.clone()));
    if let Some(r) = &args.rubric {
        inputs.push(r.clone());
    }

    let dir = match &target {
        Target::File(p) if spool.len() > 1 || p.is_dir() || ends_with_separator(p) => {
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
        return write_dir(ctx, &dir, spool, args.format, &inputs, comparison);
    }
    if args.format == Format::Html && spool.len() > 1 {
        ctx.error(format!(
            "{} profiles: an HTML report is one page per country",
            spool.len()
        ));
        let _ = writeln!(
            ctx.err,
            "   = help: write them to a folder with -o DIR (one <code>.html per country and index.html), or name one profile"
        );
        return Exit::Invalid;
    }
    let written = target.open(ctx.out, &inputs).and_then(|mut sink| {
        match write_one_stream(&mut spool, args.format, &mut sink) {
            Ok(()) => sink.finish(),
            Err(e) => Err(sink.error(&e)),
        }
    });
    match written {
        Ok(()) => Exit::Success,
        Err(e) => {
            ctx.error(e);
            Exit::Invalid
        }
    }
}

/// Writes every spooled report as one stream: a single report on its own; several after
/// the index (table, Markdown), in the index's order by country name, or as one JSON
/// document `{schema_version, reports}` in input order.
fn write_one_stream(spool: &mut Spool, format: Format, w: &mut dyn Write) -> std::io::Result<()> {
    if spool.len() == 1 {
        return spool.copy(0, w);
    }
    let idx = report::index(&spool.summaries, None);
    match format {
        Format::Table | Format::Markdown => {
            let (index, separator) = if format == Format::Table {
                (
                    render::report_text::index(&idx),
                    render::report_text::separator(),
                )
            } else {
                (render::markdown::index(&idx), "\n---\n\n".to_string())
            };
            w.write_all(index.as_bytes())?;
            for i in spool.by_name() {
                w.write_all(separator.as_bytes())?;
                spool.copy(i, w)?;
            }
        }
        // The same bytes as `render::json::to_string(&ReportSet { .. })`: each report's own
        // pretty JSON, indented two levels (JSON text has no raw newline inside a string).
        Format::Json | Format::Html => {
            write!(
                w,
                "{{\n  \"schema_version\": {},\n  \"reports\": [\n",
                report::SCHEMA_VERSION
            )?;
            for i in 0..spool.len() {
                if i > 0 {
                    w.write_all(b",\n")?;
                }
                let text = spool.read(i)?;
                let body = text.strip_suffix('\n').unwrap_or(&text);
                for (n, line) in body.split('\n').enumerate() {
                    if n > 0 {
                        w.write_all(b"\n")?;
                    }
                    w.write_all(b"    ")?;
                    w.write_all(line.as_bytes())?;
                }
            }
            w.write_all(b"\n  ]\n}\n")?;
        }
    }
    Ok(())
}

/// A country's report rendered in the run's format (JSON: the report on its own).
fn rendered(r: &Report, style: Style) -> String {
    match style.format {
        Format::Table => render::report_text::report(r, style.full, style.color),
        Format::Markdown => render::markdown::report(r),
        Format::Html => render::html::report(r),
        Format::Json => render::json::to_string(r),
    }
}

/// The rendered reports of a run, in input order, in an unnamed temporary file (removed
/// when the run ends, however it ends), with each one's index entry and place in the file.
struct Spool {
    file: std::io::BufWriter<std::fs::File>,
    summaries: Vec<report::Summary>,
    /// (offset, length) of each report's text in the file.
    spans: Vec<(u64, u64)>,
    end: u64,
}

impl Spool {
    fn new() -> std::io::Result<Spool> {
        Ok(Spool {
            file: std::io::BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            summaries: Vec::new(),
            spans: Vec::new(),
            end: 0,
        })
    }

    fn push(&mut self, summary: report::Summary, text: &str) -> std::io::Result<()> {
        self.file.write_all(text.as_bytes())?;
        let len = text.len() as u64;
        self.spans.push((self.end, len));
        self.end += len;
        self.summaries.push(summary);
        Ok(())
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// The reports' indices sorted by country name (then code), as the overview before them.
    fn by_name(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by(|&a, &b| {
            report::name_order(
                &self.summaries[a].entry.country,
                &self.summaries[b].entry.country,
            )
        });
        order
    }

    fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Copies the `i`th report's text to `w`.
    fn copy(&mut self, i: usize, w: &mut dyn Write) -> std::io::Result<()> {
        use std::io::{Read, Seek};
        self.file.flush()?;
        let (offset, len) = self.spans[i];
        let f = self.file.get_mut();
        f.seek(std::io::SeekFrom::Start(offset))?;
        let copied = std::io::copy(&mut f.take(len), w)?;
        f.seek(std::io::SeekFrom::Start(self.end))?;
        if copied == len {
            Ok(())
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the temporary file was cut short",
            ))
        }
    }

    /// The `i`th report's text.
    fn read(&mut self, i: usize) -> std::io::Result<String> {
        let mut bytes = Vec::with_capacity(usize::try_from(self.spans[i].1).unwrap_or(0));
        self.copy(i, &mut bytes)?;
        String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

/// How each country's report is rendered.
#[derive(Debug, Clone, Copy)]
struct Style {
    format: Format,
    full: bool,
    color: bool,
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
    mut spool: Spool,
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
    for s in &spool.summaries {
        let country = &s.entry.country;
        if !seen.insert(country.code.clone()) {
            ctx.error(format!(
                "two profiles for {}: their reports would both be {}; report them to different folders",
                country.code,
                report::file_name(country, ext)
            ));
            return Exit::Invalid;
        }
    }
    let mut idx = report::index(&spool.summaries, Some(ext));
    let comparison_file = format!("comparison.{ext}");
    if comparison.is_some() {
        idx.comparison = Some(comparison_file.clone());
    }
    let count = spool.len();
    let mut paths: Vec<PathBuf> = spool
        .summaries
        .iter()
        .map(|s| dir.join(report::file_name(&s.entry.country, ext)))
        .collect();
    let index_text = match format {
        Format::Table => render::report_text::index(&idx),
        Format::Markdown => render::markdown::index(&idx),
        Format::Html => render::html::index(&idx),
        Format::Json => render::json::to_string(&idx),
    };
    paths.push(dir.join(format!("index.{ext}")));
    let comparison_text = comparison.as_ref().map(|c| match format {
        Format::Table => render::compare::table::render(c),
        Format::Markdown => render::compare::markdown::render(c),
        Format::Html => render::compare::html::render(c),
        Format::Json => render::compare::json(c),
    });
    if comparison_text.is_some() {
        paths.push(dir.join(&comparison_file));
    }

    let canonical: BTreeSet<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    for path in &paths {
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
    for (i, path) in paths.iter().enumerate() {
        let written = crate::output::AtomicFile::create(path, inputs).and_then(|mut file| {
            let copied = match i.cmp(&count) {
                std::cmp::Ordering::Less => spool.copy(i, &mut file),
                std::cmp::Ordering::Equal => file.write_all(index_text.as_bytes()),
                std::cmp::Ordering::Greater => {
                    file.write_all(comparison_text.as_deref().unwrap_or_default().as_bytes())
                }
            };
            match copied {
                Ok(()) => file.commit(),
                Err(e) => Err(file.error(&e)),
            }
        });
        if let Err(e) = written {
            ctx.error(e);
            return Exit::Invalid;
        }
    }
    let _ = writeln!(
        ctx.err,
        "wrote {} reports, index.{ext}{} to {}",
        count,
        if comparison_text.is_some() {
            format!(" and {comparison_file}")
        } else {
            String::new()
        },
        crate::diag::display_path(dir)
    );
    Exit::Success
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::set::{LoadOptions, load_set_map};

    /// The bundled profiles' reports, each with its summary, built and kept as models.
    fn bundled() -> Vec<Report> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let opts = LoadOptions {
            limits: crate::load::Limits::default(),
            rubric: None,
            rubric_dirs: vec![root.join("rubrics")],
            today: crate::date::parse("2026-11-28").expect("a date"),
        };
        let (set, reports) = load_set_map(
            &[root.join("frameworks/asean")],
            &opts,
            &|_, _| {},
            &|p, r| r.map(|r| report::build(&p, r)),
        );
        assert!(!set.has_errors(), "{:?}", set.diagnostics);
        let reports: Vec<Report> = reports.into_iter().flatten().collect();
        assert!(reports.len() >= 10);
        reports
    }

    fn streamed(reports: &[Report], format: Format) -> String {
        let style = Style {
            format,
            full: false,
            color: false,
        };
        let mut spool = Spool::new().expect("a temporary file");
        for r in reports {
            spool
                .push(report::Summary::of(r), &rendered(r, style))
                .expect("spooled");
        }
        let mut out = Vec::new();
        write_one_stream(&mut spool, format, &mut out).expect("written");
        String::from_utf8(out).expect("UTF-8")
    }

    #[test]
    fn streamed_json_is_the_serialised_report_set() {
        let reports = bundled();
        let whole = render::json::to_string(&report::ReportSet {
            schema_version: report::SCHEMA_VERSION,
            reports: reports.clone(),
        });
        assert_eq!(streamed(&reports, Format::Json), whole);
        // One report is the report on its own.
        assert_eq!(
            streamed(&reports[..1], Format::Json),
            render::json::to_string(&reports[0])
        );
    }

    #[test]
    fn streamed_text_is_the_index_then_each_report() {
        let reports = bundled();
        let summaries: Vec<report::Summary> = reports.iter().map(report::Summary::of).collect();
        let mut whole = render::markdown::index(&report::index(&summaries, None));
        // After the overview, the reports follow its order: by country name.
        let mut by_name: Vec<&Report> = reports.iter().collect();
        by_name.sort_by(|a, b| report::name_order(&a.country, &b.country));
        for r in by_name {
            whole.push_str("\n---\n\n");
            whole.push_str(&render::markdown::report(r));
        }
        assert_eq!(streamed(&reports, Format::Markdown), whole);
    }
}
