//! `frameaudit check [PATHS…]`: the CI gate. Reads `frameaudit.toml` (the nearest above the
//! paths, or `--config`), validates and scores the profiles, applies the gates — scores and
//! coverage (`--fail-under`), evidence rules — compares with a baseline (`--baseline
//! DIR|GIT-REV`) failing on regressions that no `[[accept]]` entry accepts, and writes the
//! result in one or several formats (human, json, junit, sarif, github).
//!
//! Exit codes, identical in every format: 0 every gate passed; 1 a gate failed — a score or
//! coverage under its threshold, a regression against the baseline, or a diagnostic at or
//! above `--fail-on` (by default any validation error, including a profile that does not
//! parse); 2 bad usage, a path, baseline or config that cannot be read or is invalid, or an
//! output that cannot be written.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;

use clap::ValueEnum;

use super::revision::{Version, load_scored, resolve, unreadable};
use crate::cli::{Ctx, Exit, print_summary};
use crate::diag::{self, Code, Diagnostic, Severity};
use crate::load::config::{Config, EvidenceRules};
use crate::load::{LoadOptions, LoadSet};
use crate::model::Level;
use crate::output::{Target, write_atomic};
use crate::render;
use crate::score::diff::{Accepts, Baseline, CheckReport, Gates, InvalidProfile, Scored, evaluate};

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

/// What a `--fail-under` threshold applies to.
#[derive(Debug, Clone, PartialEq)]
pub enum GateKey {
    /// The overall score.
    Overall,
    /// One level's score.
    Level(Level),
    /// Coverage: the share of cell weight whose status is not `unknown`.
    Coverage,
    /// One principle's score (`principle:<id>`).
    Principle(String),
    /// One type of assistance's score (`type:<id>`).
    Type(String),
}

/// A `--fail-under` threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// What it applies to.
    pub key: GateKey,
    /// The lowest value accepted, 0–100.
    pub min: f64,
}

/// Parses `[KEY=]SCORE`: `60`, `law=60`, `coverage=50`, `principle:no-coercion=30`,
/// `type:shelter=40`.
pub(crate) fn parse_threshold(s: &str) -> Result<Threshold, String> {
    let (key, num) = match s.split_once('=') {
        Some((k, v)) => (Some(k.trim()), v.trim()),
        None => (None, s.trim()),
    };
    let key = match key {
        None | Some("overall") => GateKey::Overall,
        Some("coverage") => GateKey::Coverage,
        Some(k) if k.starts_with("principle:") || k.starts_with("type:") => {
            let (kind, id) = k.split_once(':').unwrap_or_default();
            let id = id.trim();
            if !crate::load::is_valid_id(id) {
                return Err(format!(
                    "`{id}` is not a {kind} id; write `{kind}:<id>` with an id of the rubric"
                ));
            }
            if kind == "principle" {
                GateKey::Principle(id.to_string())
            } else {
                GateKey::Type(id.to_string())
            }
        }
        Some(k) => GateKey::Level(Level::parse(k).ok_or_else(|| {
            let keys = ["overall", "law", "policy", "practice", "coverage"];
            format!(
                "unknown score `{k}`; expected `overall`, `law`, `policy`, `practice`, `coverage`, `principle:<id>` or `type:<id>`{}",
                crate::suggest::did_you_mean(k, keys.iter().copied())
                    .map(|m| format!(" (did you mean `{m}`?)"))
                    .unwrap_or_default()
            )
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
    Ok(Threshold { key, min })
}

/// Arguments of `frameaudit check`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Exit codes (the same in every format):
  0  every gate passed
  1  a gate failed: a score or coverage under --fail-under, a regression against --baseline
     (not accepted in frameaudit.toml), a coverage drop under --no-coverage-drop, stale
     evidence or a source without a URL under --fail-on-evidence, or a diagnostic at or
     above --fail-on (a validation error, by default)
  2  bad usage, an input path, baseline or config that cannot be read or is invalid (an
     [[accept]] entry without a reason), or an output that cannot be written

The nearest frameaudit.toml at or above the first path is read (or --config FILE): its
[check], [evidence] and [[accept]] sections add to these options (see docs/config.md).

Examples:
  frameaudit check --baseline origin/main --no-coverage-drop --max-evidence-age 15
  frameaudit check --fail-under coverage=60 --fail-under principle:no-coercion=30
  frameaudit check --fail-under 60 --fail-under law=70
  frameaudit check --baseline origin/main --format sarif -o frameaudit.sarif
  frameaudit check --format github --output sarif=frameaudit.sarif --output junit=frameaudit.xml")]
pub struct Args {
    /// Profiles, region files or folders of them [default: the bundled frameworks/asean].
    pub paths: Vec<PathBuf>,
    /// Fail when a score is under SCORE: `60` for the overall score, `law=60` for a level,
    /// `coverage=60` for coverage, `principle:ID=30` or `type:ID=30` for a principle or a
    /// type of assistance (repeatable).
    #[arg(long, value_name = "[KEY=]SCORE", value_parser = parse_threshold)]
    pub fail_under: Vec<Threshold>,
    /// Which diagnostics fail the check [default: error].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// With --baseline: fail when a profile's coverage falls.
    #[arg(long)]
    pub no_coverage_drop: bool,
    /// Report cells whose newest cited source is more than YEARS older than the profile's
    /// as_of (stale evidence).
    #[arg(long, value_name = "YEARS")]
    pub max_evidence_age: Option<u32>,
    /// Report sources with neither a `url` nor a `note` saying where they can be found.
    #[arg(long)]
    pub require_url: bool,
    /// Fail on stale evidence and sources without a URL, instead of reporting them.
    #[arg(long)]
    pub fail_on_evidence: bool,
    /// Read this config file instead of the nearest frameaudit.toml above the paths.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Compare with an earlier version of the same data — a directory, or a git revision of
    /// the same paths — and fail on regressions only: a score that dropped, a cell whose
    /// status got worse, a new gap (unless an `[[accept]]` entry of frameaudit.toml gives
    /// the reason). Profiles are paired by folder (below the path given) and country code.
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

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let outputs = match plan_outputs(&args) {
        Ok(o) => o,
        Err(e) => {
            ctx.error(e);
            return Exit::Invalid;
        }
    };
    let paths = ctx.paths_or_default(&args.paths);
    let (config_path, config, thresholds) = match load_config(&args, &paths, ctx) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let opts = ctx.load_options(args.rubric.as_deref());
    let (set, current) = ctx.with_progress(|progress| load_scored(&paths, &opts, progress));
    if set.diagnostics.iter().any(unreadable) {
        ctx.print_diagnostics(&set.diagnostics);
        print_summary(ctx, set.files.len().max(1), &set.diagnostics);
        return Exit::Invalid;
    }
    let baseline = match load_baseline(&args, &paths, &opts, ctx) {
        Ok(b) => b,
        Err(exit) => return exit,
    };
    let gates = match gates(&args, &config, thresholds, &set, ctx) {
        Ok(g) => g,
        Err(exit) => return exit,
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
        Accepts {
            entries: &config.accept,
            today: ctx.today,
        },
    );
    report.config = config_path.as_ref().map(|_| config.path.clone());
    mark_invalid(&mut report, &set);
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
    if let Err(exit) = write_outputs(&outputs, &report, &inputs, ctx)
        .and_then(|()| write_summary(&args, &outputs, &report, &inputs, ctx))
    {
        return exit;
    }
    if report.passed {
        Exit::Success
    } else {
        Exit::Failed
    }
}

/// The config (`--config`, or the nearest `frameaudit.toml` above the paths) and the score
/// thresholds: the config's first, then the command line's, which win on the same key.
fn load_config(
    args: &Args,
    paths: &[PathBuf],
    ctx: &mut Ctx<'_>,
) -> Result<(Option<PathBuf>, Config, Vec<Threshold>), Exit> {
    let config_path = args
        .config
        .clone()
        .or_else(|| crate::load::config::find(paths));
    let config = match &config_path {
        None => crate::load::config::Config::default(),
        Some(p) => match crate::load::config::load(&crate::diag::relative_to_cwd(p), &ctx.limits) {
            Ok(c) => c,
            Err(ds) => {
                ctx.print_diagnostics(&ds);
                print_summary(ctx, 1, &ds);
                return Err(Exit::Invalid);
            }
        },
    };
    let mut thresholds = Vec::new();
    let mut bad = Vec::new();
    for (text, loc) in &config.fail_under {
        match parse_threshold(text) {
            Ok(t) => thresholds.push(t),
            Err(e) => bad.push(
                Diagnostic::new(
                    Code::InvalidValue,
                    &config.path,
                    *loc,
                    format!("fail_under: {e}"),
                )
                .expected("`[KEY=]SCORE`, as --fail-under takes"),
            ),
        }
    }
    if !bad.is_empty() {
        ctx.print_diagnostics(&bad);
        print_summary(ctx, 1, &bad);
        return Err(Exit::Invalid);
    }
    // The command line comes after the config: its thresholds win on the same key.
    thresholds.extend(args.fail_under.iter().cloned());
    Ok((config_path, config, thresholds))
}

/// The baseline (`--baseline DIR|GIT-REV`), loaded and scored; None without one.
fn load_baseline(
    args: &Args,
    paths: &[PathBuf],
    opts: &LoadOptions,
    ctx: &mut Ctx<'_>,
) -> Result<Option<(Version, Vec<Scored>)>, Exit> {
    Ok(match &args.baseline {
        None => None,
        Some(spec) => {
            let version = match resolve(spec, paths) {
                Ok(v) => v,
                Err(e) => {
                    ctx.error(format!("--baseline: {e}"));
                    return Err(Exit::Invalid);
                }
            };
            let (bset, scored) = version.load(opts);
            if let Some(d) = bset.diagnostics.iter().find(|d| unreadable(d)) {
                ctx.error(format!(
                    "--baseline {spec}: {}: {}",
                    diag::display_path(&d.file),
                    d.message
                ));
                return Err(Exit::Invalid);
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
    })
}

/// The gates: options over the config, thresholds by key; a principle or type of assistance
/// the rubric does not have is an error.
fn gates(
    args: &Args,
    config: &Config,
    thresholds: Vec<Threshold>,
    set: &LoadSet,
    ctx: &mut Ctx<'_>,
) -> Result<Gates, Exit> {
    let mut gates = Gates {
        fail_on: match args.fail_on {
            Some(FailOn::Warning) => Severity::Warning,
            Some(FailOn::Error) => Severity::Error,
            None => config.fail_on.unwrap_or(Severity::Error),
        },
        no_coverage_drop: args.no_coverage_drop || config.no_coverage_drop,
        evidence: EvidenceRules {
            max_age: args.max_evidence_age.or(config.evidence.max_age),
            require_url: args.require_url || config.evidence.require_url,
            fail: args.fail_on_evidence || config.evidence.fail,
        },
        ..Gates::default()
    };
    let mut unknown = Vec::new();
    for t in thresholds {
        match t.key {
            GateKey::Overall => gates.overall = Some(t.min),
            GateKey::Level(l) => {
                gates.levels.insert(l, t.min);
            }
            GateKey::Coverage => gates.coverage = Some(t.min),
            GateKey::Principle(id) => {
                let known = || {
                    set.rubrics
                        .values()
                        .flat_map(|r| r.principles.iter().map(|p| p.id.clone()))
                };
                if !set.rubrics.is_empty() && !known().any(|k| k == id) {
                    unknown.push(("principle", id.clone(), known().collect::<Vec<_>>()));
                }
                gates.principles.insert(id, t.min);
            }
            GateKey::Type(id) => {
                let known = || {
                    set.rubrics
                        .values()
                        .flat_map(|r| r.assistance_types.iter().map(|p| p.id.clone()))
                };
                if !set.rubrics.is_empty() && !known().any(|k| k == id) {
                    unknown.push(("type", id.clone(), known().collect::<Vec<_>>()));
                }
                gates.assistance_types.insert(id, t.min);
            }
        }
    }
    if !unknown.is_empty() {
        for (kind, id, known) in unknown {
            ctx.error(format!(
                "--fail-under {kind}:{id}: the rubric has no {kind} `{id}`; {}",
                crate::suggest::hint(&id, known.iter().map(String::as_str)).unwrap_or_else(
                    || format!(
                        "expected one of {}",
                        crate::suggest::join_quoted(
                            &known.iter().map(String::as_str).collect::<Vec<_>>(),
                            "or"
                        )
                    )
                )
            ));
        }
        return Err(Exit::Invalid);
    }
    Ok(gates)
}

/// Profiles that do not validate stay in the results, as failing.
fn mark_invalid(report: &mut CheckReport, set: &LoadSet) {
    let scored_files: std::collections::BTreeSet<&PathBuf> =
        report.countries.iter().map(|c| &c.file).collect();
    let mut invalid: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for d in report.diagnostics.iter().filter(|d| d.is_error()) {
        let is_profile = d
            .file
            .extension()
            .is_some_and(|e| e == "yaml" || e == "yml")
            && d.file
                .file_name()
                .is_some_and(|n| n != "region.yaml" && n != "region.yml");
        if is_profile && !scored_files.contains(&d.file) && set.files.contains(&d.file) {
            *invalid.entry(d.file.clone()).or_default() += 1;
        }
    }
    report.invalid = invalid
        .into_iter()
        .map(|(file, errors)| InvalidProfile { file, errors })
        .collect();
}

/// Writes every output in its format.
fn write_outputs(
    outputs: &[(Format, Target)],
    report: &CheckReport,
    inputs: &[PathBuf],
    ctx: &mut Ctx<'_>,
) -> Result<(), Exit> {
    for (format, target) in outputs {
        let text = match format {
            Format::Human => {
                let mut gates = render::check_text::gates_line(&report.gates);
                if let Some(c) = &report.config {
                    gates.push_str(&format!(" (with {})", diag::display_path(c)));
                }
                render::check_text::human(report, &gates)
            }
            Format::Json => render::json::to_string(report),
            // JUnit has a testcase per cell: over thousands of profiles it is the one large
            // output, so it is written as it is generated.
            Format::Junit => {
                let written = target.open(ctx.out, inputs).and_then(|mut sink| {
                    match render::junit::write(report, &mut sink) {
                        Ok(()) => sink.finish(),
                        Err(e) => Err(sink.error(&e)),
                    }
                });
                if let Err(e) = written {
                    ctx.error(e);
                    return Err(Exit::Invalid);
                }
                continue;
            }
            Format::Sarif => render::sarif::render(report),
            Format::Github => render::github::render(report),
        };
        if super::emit(ctx, target, &text, inputs) != Exit::Success {
            return Err(Exit::Invalid);
        }
    }
    Ok(())
}

/// The GitHub step summary: `--summary FILE`, or `$GITHUB_STEP_SUMMARY` (appended to) with
/// `--format github`.
fn write_summary(
    args: &Args,
    outputs: &[(Format, Target)],
    report: &CheckReport,
    inputs: &[PathBuf],
    ctx: &mut Ctx<'_>,
) -> Result<(), Exit> {
    let github = outputs.iter().any(|(f, _)| *f == Format::Github);
    let summary_target = args.summary.clone().map(Ok).or_else(|| {
        github
            .then(|| std::env::var_os("GITHUB_STEP_SUMMARY"))
            .flatten()
            .filter(|v| !v.is_empty())
            .map(|v| Err(PathBuf::from(v)))
    });
    if let Some(target) = summary_target {
        let text = render::github::summary(report);
        let written = match &target {
            Ok(file) => write_atomic(file, text.as_bytes(), inputs).map_err(|e| e.to_string()),
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
            return Err(Exit::Invalid);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_parse() {
        let t = |s: &str| parse_threshold(s).unwrap();
        assert_eq!(
            t("60"),
            Threshold {
                key: GateKey::Overall,
                min: 60.0
            }
        );
        assert_eq!(t("law=72.5").key, GateKey::Level(Level::Law));
        assert_eq!(t("law=72.5").min, 72.5);
        assert_eq!(t("overall=1").key, GateKey::Overall);
        assert_eq!(t("coverage=60").key, GateKey::Coverage);
        assert_eq!(
            t("principle:no-coercion=30").key,
            GateKey::Principle("no-coercion".into())
        );
        assert_eq!(t("type:shelter=40").key, GateKey::Type("shelter".into()));
        assert!(parse_threshold("lwa=60").unwrap_err().contains("`law`"));
        assert!(
            parse_threshold("coverag=60")
                .unwrap_err()
                .contains("did you mean `coverage`")
        );
        assert!(parse_threshold("principle:=3").is_err());
        assert!(parse_threshold("101").is_err());
        assert!(parse_threshold("x").is_err());
    }
}
