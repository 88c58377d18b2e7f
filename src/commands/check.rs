//! `frameaudit check [PATHS…]`: the CI gate. Validates and scores the profiles, applies the
//! thresholds (`--fail-under`), compares with a baseline (`--baseline DIR|GIT-REV`) failing
//! on regressions only, and writes the result in one or several formats (human, json, junit,
//! sarif, github).
//!
//! Exit codes, identical in every format: 0 every gate passed; 1 a gate failed — a score
//! under its threshold, a regression against the baseline, or a diagnostic at or above
//! `--fail-on` (by default any validation error, including a profile that does not parse);
//! 2 bad usage, a path or baseline that cannot be read, or an output that cannot be written.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use clap::ValueEnum;

use crate::cli::{Ctx, Exit, print_summary};
use crate::diag::{self, Code, Diagnostic, Severity};
use crate::load::{LoadOptions, LoadSet};
use crate::model::Level;
use crate::output::{Target, write_atomic};
use crate::render;
use crate::score::diff::{Baseline, CheckReport, Gates, Scored, evaluate, fmt_opt};

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A summary for people.
    Human,
    /// The check report JSON contract (schema_version 1).
    Json,
    /// JUnit XML: a testcase per country × level × criterion, plus scores and files.
    Junit,
    /// SARIF 2.1.0 for code scanning (GitHub upload-sarif).
    Sarif,
    /// GitHub Actions annotations, plus a Markdown step summary.
    Github,
}

/// Which diagnostics fail the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Warnings and errors.
    Warning,
    /// Errors only.
    Error,
}

/// A `--fail-under` threshold: the overall score, or one level's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    /// The level (None for the overall score).
    pub level: Option<Level>,
    /// The lowest score accepted, 0–100.
    pub min: f64,
}

fn parse_threshold(s: &str) -> Result<Threshold, String> {
    let (key, num) = match s.split_once('=') {
        Some((k, v)) => (Some(k.trim()), v.trim()),
        None => (None, s.trim()),
    };
    let level = match key {
        None | Some("overall") => None,
        Some(k) => Some(Level::parse(k).ok_or_else(|| {
            format!("unknown score `{k}`; expected `overall`, `law`, `policy` or `practice`")
        })?),
    };
    let min: f64 = num
        .parse()
        .map_err(|_| format!("`{num}` is not a number; expected a score from 0 to 100"))?;
    if !(0.0..=100.0).contains(&min) {
        return Err(format!(
            "{min} is out of range; expected a score from 0 to 100"
        ));
    }
    Ok(Threshold { level, min })
}

/// Arguments of `frameaudit check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Exit codes (the same in every format):
  0  every gate passed
  1  a gate failed: a score under --fail-under, a regression against --baseline, or a
     diagnostic at or above --fail-on (a validation error, by default)
  2  bad usage, an input path or baseline that cannot be read, or an output that cannot be written

Examples:
  frameaudit check --fail-under 60 --fail-under law=70
  frameaudit check --baseline origin/main --format sarif -o frameaudit.sarif
  frameaudit check --format github --output sarif=frameaudit.sarif --output junit=frameaudit.xml")]
pub struct Args {
    /// Profiles, region files or folders of them [default: the bundled frameworks/asean].
    pub paths: Vec<PathBuf>,
    /// Fail when a score is under SCORE: `60` for the overall score, `law=60` for a level
    /// (repeatable).
    #[arg(long, value_name = "[LEVEL=]SCORE", value_parser = parse_threshold)]
    pub fail_under: Vec<Threshold>,
    /// Which diagnostics fail the check.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Compare with an earlier version of the same data — a directory, or a git revision of
    /// the same paths — and fail on regressions only: a score that dropped, a cell whose
    /// status got worse, a new gap. Profiles are paired by folder (below the path given)
    /// and country code.
    #[arg(long, value_name = "DIR|GIT-REV")]
    pub baseline: Option<String>,
    /// Score every profile against this rubric instead of the one it names.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format on stdout (or in the file of a bare `-o FILE`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write to FILE instead of stdout; `FORMAT=FILE` writes another format too
    /// (repeatable: `--output sarif=out.sarif --output junit=out.xml`).
    #[arg(short, long = "output", value_name = "[FORMAT=]FILE")]
    pub outputs: Vec<String>,
    /// Write the Markdown summary to FILE [default with the github format:
    /// $GITHUB_STEP_SUMMARY, when set].
    #[arg(long, value_name = "FILE")]
    pub summary: Option<PathBuf>,
}

/// Where each requested format goes.
fn plan_outputs(args: &Args) -> Result<Vec<(Format, Target)>, String> {
    let mut main = None;
    let mut extra = Vec::new();
    for o in &args.outputs {
        let parsed = o
            .split_once('=')
            .and_then(|(f, p)| Format::from_str(f, true).ok().map(|f| (f, p)));
        match parsed {
            Some((_, "")) => return Err(format!("`--output {o}` names no file")),
            Some((f, p)) => extra.push((f, Target::from_option(Some(&PathBuf::from(p))))),
            None if main.is_some() => {
                return Err(format!(
                    "`-o {o}`: only one output may be given without a format; write `FORMAT={o}` for another format"
                ));
            }
            None => main = Some(Target::from_option(Some(&PathBuf::from(o)))),
        }
    }
    let mut all = vec![(args.format, main.unwrap_or_default())];
    all.extend(extra);
    Ok(all)
}

/// Whether a diagnostic means input could not be read at all (exit 2, not a finding).
pub fn unreadable(d: &Diagnostic) -> bool {
    matches!(d.code, Code::Io | Code::NoInput)
}

/// Loads and scores `paths` in one pass: each profile is scored on the worker that checked
/// it and only a compact [`Scored`] record of it is kept (scores, cell statuses and
/// locations), so memory grows with the number of cells, not with the size of every note
/// (`set.profiles` is left empty). Each record's `folder` is set below the path holding it.
pub fn load_scored(
    paths: &[PathBuf],
    opts: &LoadOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> (LoadSet, Vec<Scored>) {
    let (set, kept) = crate::load::set::load_set_map(paths, opts, progress, &|p, r| {
        r.map(|r| {
            let mut s = Scored::new(&p, Arc::clone(r));
            s.folder = folder_below(&s.file, paths);
            s
        })
    });
    (set, kept.into_iter().flatten().collect())
}

/// One version of the data: paths as they are, or as they were at a git revision
/// (materialised into a temporary directory that lives as long as this value).
#[derive(Debug)]
pub struct Version {
    /// What the user gave (a path or a revision).
    pub label: String,
    /// The paths to load.
    pub paths: Vec<PathBuf>,
    /// For a revision: (materialised path, the user's path) pairs, to show users their own
    /// paths.
    map: Vec<(PathBuf, PathBuf)>,
    tmp: Option<tempfile::TempDir>,
}

impl Version {
    /// `paths` as they are.
    pub fn here(label: &str, paths: Vec<PathBuf>) -> Version {
        Version {
            label: label.to_string(),
            paths,
            map: Vec::new(),
            tmp: None,
        }
    }

    /// Whether this is a git revision (materialised into a temporary directory).
    pub fn is_revision(&self) -> bool {
        self.tmp.is_some()
    }

    /// A materialised path shown as the user's path it came from.
    pub fn user_path(&self, p: &Path) -> PathBuf {
        for (m, u) in &self.map {
            if let Ok(rest) = p.strip_prefix(m) {
                return if rest.as_os_str().is_empty() {
                    u.clone()
                } else {
                    u.join(rest)
                };
            }
        }
        p.to_path_buf()
    }

    /// Loads and scores this version; profile paths are the user's.
    pub fn load(&self, opts: &LoadOptions) -> (LoadSet, Vec<Scored>) {
        if self.paths.is_empty() {
            return (LoadSet::default(), Vec::new());
        }
        let (mut set, mut scored) = load_scored(&self.paths, opts, &|_, _| {});
        for s in &mut scored {
            s.file = self.user_path(&s.file);
        }
        for d in &mut set.diagnostics {
            d.file = self.user_path(&d.file);
        }
        (set, scored)
    }
}

/// The folder of `file` below the first of `roots` holding it ("" when it lies directly in
/// that root, or is that root), `/`-separated: the folder half of a baseline pairing key.
pub fn folder_below(file: &Path, roots: &[PathBuf]) -> String {
    let dir = file.parent().unwrap_or(Path::new(""));
    roots
        .iter()
        .find_map(|r| {
            let root = if r.is_file() {
                r.parent().unwrap_or(Path::new(""))
            } else {
                r.as_path()
            };
            dir.strip_prefix(root).ok()
        })
        .map(|rel| {
            rel.components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/")
        })
        .unwrap_or_default()
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))
}

/// `spec` as a version: an existing path as it is, else a git revision of `paths`.
pub fn resolve(spec: &str, paths: &[PathBuf]) -> Result<Version, String> {
    if Path::new(spec).exists() {
        return Ok(Version::here(spec, vec![PathBuf::from(spec)]));
    }
    at_revision(spec, paths)
}

/// `paths` as they were at git revision `rev`, extracted with `git archive` together with
/// any `rubrics/` folder above them (so the rubric of that revision is used).
pub fn at_revision(rev: &str, paths: &[PathBuf]) -> Result<Version, String> {
    let not_found = || {
        format!("`{rev}` is neither an existing directory nor a git revision of this repository")
    };
    if rev.is_empty() || rev.starts_with('-') {
        return Err(not_found());
    }
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    let top = git(&cwd, &["rev-parse", "--show-toplevel"])?;
    if !top.status.success() {
        return Err(format!(
            "`{rev}` is not an existing directory, and the current directory is not in a git repository"
        ));
    }
    let top = PathBuf::from(String::from_utf8_lossy(&top.stdout).trim());
    let top = top.canonicalize().unwrap_or(top);
    let commit = format!("{rev}^{{commit}}");
    if !git(&top, &["rev-parse", "--verify", "--quiet", &commit])?
        .status
        .success()
    {
        return Err(not_found());
    }
    let exists = |rel: &str| -> Result<bool, String> {
        Ok(git(&top, &["cat-file", "-e", &format!("{rev}:{rel}")])?
            .status
            .success())
    };
    let mut wanted = std::collections::BTreeSet::new();
    let mut data = Vec::new();
    for p in paths {
        let abs = if p.exists() {
            p.canonicalize().unwrap_or_else(|_| cwd.join(p))
        } else {
            cwd.join(p)
        };
        let rel = abs.strip_prefix(&top).map_err(|_| {
            format!(
                "{} is outside the git repository at {}",
                diag::display_path(p),
                top.display()
            )
        })?;
        let rel_s = diag::display_path(rel);
        if exists(&rel_s)? {
            wanted.insert(if rel_s.is_empty() {
                ".".to_string()
            } else {
                rel_s.clone()
            });
            data.push((rel.to_path_buf(), p.clone()));
        }
        for anc in rel.ancestors().skip(1) {
            let cand = diag::display_path(&anc.join("rubrics"));
            if exists(&cand)? {
                wanted.insert(cand);
            }
        }
    }
    let tmp = tempfile::Builder::new()
        .prefix("frameaudit-baseline-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    if !data.is_empty() {
        let tar = tmp.path().join(".frameaudit-archive.tar");
        let tar_s = tar.to_string_lossy().into_owned();
        let mut args = vec!["archive", "--format=tar", "-o", tar_s.as_str(), rev, "--"];
        args.extend(wanted.iter().map(String::as_str));
        let out = git(&top, &args)?;
        if !out.status.success() {
            return Err(format!(
                "git archive {rev} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let out = Command::new("tar")
            .arg("-xf")
            .arg(&tar)
            .arg("-C")
            .arg(tmp.path())
            .output()
            .map_err(|e| format!("cannot run tar: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "extracting {rev} failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let _ = std::fs::remove_file(&tar);
    }
    let map: Vec<(PathBuf, PathBuf)> = data
        .iter()
        .map(|(rel, user)| (tmp.path().join(rel), user.clone()))
        .collect();
    Ok(Version {
        label: rev.to_string(),
        paths: map.iter().map(|(m, _)| m.clone()).collect(),
        map,
        tmp: Some(tmp),
    })
}

/// Runs the command.
pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let outputs = match plan_outputs(&args) {
        Ok(o) => o,
        Err(e) => {
            ctx.error(e);
            return Exit::Invalid;
        }
    };
    let paths = ctx.paths_or_default(&args.paths);
    let opts = ctx.load_options(args.rubric.as_deref());
    let (set, current) = ctx.with_progress(|progress| load_scored(&paths, &opts, progress));
    if set.diagnostics.iter().any(unreadable) {
        ctx.print_diagnostics(&set.diagnostics);
        print_summary(ctx, set.files.len().max(1), &set.diagnostics);
        return Exit::Invalid;
    }

    let baseline = match &args.baseline {
        None => None,
        Some(spec) => {
            let version = match resolve(spec, &paths) {
                Ok(v) => v,
                Err(e) => {
                    ctx.error(format!("--baseline: {e}"));
                    return Exit::Invalid;
                }
            };
            let (bset, scored) = version.load(&opts);
            if let Some(d) = bset.diagnostics.iter().find(|d| unreadable(d)) {
                ctx.error(format!(
                    "--baseline {spec}: {}: {}",
                    diag::display_path(&d.file),
                    d.message
                ));
                return Exit::Invalid;
            }
            let skipped = bset.diagnostics.iter().filter(|d| d.is_error()).count();
            if skipped > 0 {
                let _ = writeln!(
                    ctx.err,
                    "note: the baseline {spec} has {}; profiles with errors are left out of the comparison",
                    diag::plural(skipped, "error", "errors")
                );
            }
            Some((version, scored))
        }
    };

    let mut levels = BTreeMap::new();
    let mut overall = None;
    for t in &args.fail_under {
        match t.level {
            Some(l) => {
                levels.insert(l, t.min);
            }
            None => overall = Some(t.min),
        }
    }
    let gates = Gates {
        overall,
        levels,
        fail_on: match args.fail_on {
            FailOn::Warning => Severity::Warning,
            FailOn::Error => Severity::Error,
        },
    };
    let files = set
        .files
        .len()
        .max(usize::from(!set.diagnostics.is_empty()));
    let mut report = evaluate(
        current,
        baseline.as_ref().map(|(v, scored)| Baseline {
            source: &v.label,
            scored,
        }),
        set.diagnostics.clone(),
        files,
        gates,
    );
    let mut inputs = set.files.clone();
    inputs.extend(set.rubrics.values().map(|r| r.path.clone()));
    report.inputs = set.files.clone();

    if outputs
        .iter()
        .any(|(f, t)| *f == Format::Human && matches!(t, Target::Stdout))
        || !outputs.iter().any(|(_, t)| matches!(t, Target::Stdout))
    {
        ctx.print_diagnostics(&report.diagnostics);
        print_summary(ctx, files, &report.diagnostics);
    }
    for (format, target) in &outputs {
        let text = match format {
            Format::Human => human(&report, &gates_line(&report.gates)),
            Format::Json => render::json::to_string(&report),
            // JUnit has a testcase per cell: over thousands of profiles it is the one large
            // output, so it is written as it is generated.
            Format::Junit => {
                let written = target.open(ctx.out, &inputs).and_then(|mut sink| {
                    match render::junit::write(&report, &mut sink) {
                        Ok(()) => sink.finish(),
                        Err(e) => Err(sink.error(&e)),
                    }
                });
                if let Err(e) = written {
                    ctx.error(e);
                    return Exit::Invalid;
                }
                continue;
            }
            Format::Sarif => render::sarif::render(&report),
            Format::Github => render::github::render(&report),
        };
        if super::emit(ctx, target, &text, &inputs) != Exit::Success {
            return Exit::Invalid;
        }
    }
    let github = outputs.iter().any(|(f, _)| *f == Format::Github);
    let summary_target = args.summary.clone().map(Ok).or_else(|| {
        github
            .then(|| std::env::var_os("GITHUB_STEP_SUMMARY"))
            .flatten()
            .filter(|v| !v.is_empty())
            .map(|v| Err(PathBuf::from(v)))
    });
    if let Some(target) = summary_target {
        let text = render::github::summary(&report);
        let written = match &target {
            Ok(file) => write_atomic(file, text.as_bytes(), &inputs).map_err(|e| e.to_string()),
            // $GITHUB_STEP_SUMMARY is appended to, as every step of a job shares it.
            Err(file) => std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(file)
                .and_then(|mut f| f.write_all(text.as_bytes()))
                .map_err(|e| format!("{}: {e}", file.display())),
        };
        if let Err(e) = written {
            ctx.error(format!("cannot write the summary: {e}"));
            return Exit::Invalid;
        }
    }
    if report.passed {
        Exit::Success
    } else {
        Exit::Failed
    }
}

fn gates_line(g: &Gates) -> String {
    let mut parts = Vec::new();
    if let Some(o) = g.overall {
        parts.push(format!("overall ≥ {o:.1}"));
    }
    for (l, m) in &g.levels {
        parts.push(format!("{l} ≥ {m:.1}"));
    }
    parts.push(format!(
        "fail on {}",
        match g.fail_on {
            Severity::Error => "errors",
            Severity::Warning => "warnings and errors",
        }
    ));
    parts.join(", ")
}

/// The check for people.
fn human(report: &CheckReport, gates: &str) -> String {
    let mut out = String::new();
    let mut rubrics: Vec<String> = report
        .countries
        .iter()
        .map(|c| format!("{} {}", c.rubric.id, c.rubric.version))
        .collect();
    rubrics.sort();
    rubrics.dedup();
    let _ = writeln!(
        out,
        "frameaudit check: {}{}; gates: {gates}",
        diag::plural(report.countries.len(), "profile", "profiles"),
        if rubrics.is_empty() {
            String::new()
        } else {
            format!(" (rubric {})", rubrics.join(", "))
        }
    );
    if !report.countries.is_empty() {
        let mut t = render::table::new_table(&[
            "Country",
            "Overall",
            "In law",
            "In policies",
            "In practice",
            "Gaps",
            "Result",
        ]);
        for c in &report.countries {
            t.add_row(vec![
                format!(
                    "{} {}",
                    c.country.code,
                    render::escape::terminal(&c.country.name)
                ),
                fmt_opt(c.overall),
                fmt_opt(c.levels.get(Level::Law)),
                fmt_opt(c.levels.get(Level::Policy)),
                fmt_opt(c.levels.get(Level::Practice)),
                c.gaps.to_string(),
                if c.passed { "pass" } else { "FAIL" }.to_string(),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "Against baseline {}: gaps {} new, {} fixed, {} persisting; cells {} worse, {} better{}{}.",
            render::escape::terminal(&b.source),
            b.gaps.new,
            b.gaps.fixed,
            b.gaps.persisting,
            b.worse_cells,
            b.better_cells,
            if b.added.is_empty() {
                String::new()
            } else {
                format!("; new profiles: {}", b.added.join(", "))
            },
            if b.removed.is_empty() {
                String::new()
            } else {
                format!("; removed profiles: {}", b.removed.join(", "))
            },
        );
    }
    if !report.findings.is_empty() {
        out.push('\n');
        for f in &report.findings {
            let at = diag::position(&f.file, f.loc);
            let _ = writeln!(
                out,
                "error[{}]: {}\n  --> {at}",
                f.code,
                render::escape::terminal(&f.message)
            );
        }
    }
    out.push('\n');
    out.push_str(&render::github::verdict(report));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse() {
        assert_eq!(
            parse_threshold("60").unwrap(),
            Threshold {
                level: None,
                min: 60.0
            }
        );
        assert_eq!(
            parse_threshold("law=72.5").unwrap(),
            Threshold {
                level: Some(Level::Law),
                min: 72.5
            }
        );
        assert_eq!(parse_threshold("overall=1").unwrap().level, None);
        assert!(parse_threshold("lwa=60").unwrap_err().contains("`law`"));
        assert!(parse_threshold("101").is_err());
        assert!(parse_threshold("x").is_err());
    }
}
