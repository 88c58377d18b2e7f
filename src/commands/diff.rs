//! `frameaudit diff OLD NEW`: what changed between two versions of the data and how each
//! change moved the scores — per country, the overall and level score deltas, the cells
//! whose status changed (with each one's effect on its level score, in points) and the
//! gaps added and removed. OLD and NEW are profiles, folders or git revisions; a revision
//! is read for the other side's path, or for `--path` (default: the bundled region).

use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::revision::{Version, at_revision, unreadable};
use crate::cli::{Ctx, Exit};
use crate::diag;
use crate::output::Target;
use crate::render;
use crate::score::diff::{Scored, diff};

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable tables.
    Table,
    /// The diff JSON contract (schema_version 1).
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
}

/// Arguments of `frameaudit diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  frameaudit diff old/asean frameworks/asean      two folders
  frameaudit diff HEAD~1 frameworks/asean         the folder at HEAD~1 against the working tree
  frameaudit diff v1.0 HEAD --path frameworks     two revisions of frameworks/

Profiles are paired by folder (below each side's path) and country code.

Exit codes: 0 the diff was shown (whatever changed); 2 bad usage or unreadable input.")]
pub struct Args {
    /// The old version: a profile, a folder, or a git revision.
    pub old: String,
    /// The new version: a profile, a folder, or a git revision.
    pub new: String,
    /// For git revisions, the paths to read when neither side is a path
    /// [default: the bundled frameworks/asean].
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Score both versions against this rubric instead of the one each profile names.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn version(spec: &str, other: &str, args: &Args, ctx: &Ctx<'_>) -> Result<Version, String> {
    if Path::new(spec).exists() {
        return Ok(Version::here(spec, vec![PathBuf::from(spec)]));
    }
    let paths = if !args.paths.is_empty() || !Path::new(other).exists() {
        ctx.paths_or_default(&args.paths)
    } else {
        vec![PathBuf::from(other)]
    };
    at_revision(spec, &paths)
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let opts = ctx.load_options(args.rubric.as_deref());
    let mut sides: Vec<Vec<Scored>> = Vec::new();
    let mut inputs = Vec::new();
    for (spec, other) in [(&args.old, &args.new), (&args.new, &args.old)] {
        let v = match version(spec, other, &args, ctx) {
            Ok(v) => v,
            Err(e) => {
                ctx.error(e);
                return Exit::Invalid;
            }
        };
        let (set, scored) = v.load(&opts);
        if set.diagnostics.iter().any(unreadable) {
            ctx.print_diagnostics(&set.diagnostics);
            return Exit::Invalid;
        }
        let errors = set.diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            let _ = writeln!(
                ctx.err,
                "note: {spec} has {} (run `frameaudit validate`); profiles with errors are left out",
                diag::plural(errors, "error", "errors")
            );
        }
        if !v.is_revision() {
            inputs.extend(set.files.iter().cloned());
        }
        sides.push(scored);
    }
    let d = diff(&sides[0], &sides[1]);
    let text = match args.format {
        Format::Table => render::diff::table(&d, &args.old, &args.new),
        Format::Json => render::json::to_string(&d),
        Format::Markdown => render::diff::markdown(&d, &args.old, &args.new),
    };
    super::emit(
        ctx,
        &Target::from_option(args.output.as_ref()),
        &text,
        &inputs,
    )
}
