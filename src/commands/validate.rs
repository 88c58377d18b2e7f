//! `frameaudit validate [PATHS…]`: schema and cross-reference checks of profiles, regions and
//! rubrics, every problem of every file at file:line:column, then a summary line.

use std::path::PathBuf;

use clap::ValueEnum;
use serde::Serialize;

use crate::cli::{Ctx, Exit, print_summary};
use crate::diag::{Diagnostic, Tally};
use crate::output::Target;

/// Output formats of `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics for people, on stderr.
    Human,
    /// One JSON document on stdout.
    Json,
}

/// Arguments of `frameaudit validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Profiles, region files, rubrics or folders of them [default: the bundled frameworks/asean].
    pub paths: Vec<PathBuf>,
    /// Treat warnings as failures (exit 1).
    #[arg(long)]
    pub strict: bool,
    /// Check every profile against this rubric instead of the one it names.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the JSON report to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The JSON document of `validate --format json` (schema_version 1).
#[derive(Debug, Serialize)]
pub(crate) struct ValidationReport<'a> {
    /// Version of this JSON contract.
    pub schema_version: u32,
    /// Files examined.
    pub files: usize,
    /// Error count.
    pub errors: usize,
    /// Warning count.
    pub warnings: usize,
    /// Every diagnostic.
    pub diagnostics: &'a [Diagnostic],
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let paths = ctx.paths_or_default(&args.paths);
    let opts = ctx.load_options(args.rubric.as_deref());
    // Validation reports diagnostics only: no profile is kept once it is checked.
    let (set, _) = ctx.with_progress(|progress| {
        crate::load::set::load_set_map(&paths, &opts, progress, &|_, _| ())
    });
    let tally = Tally::of(&set.diagnostics);
    let files = set
        .files
        .len()
        .max(usize::from(!set.diagnostics.is_empty()));
    match args.format {
        Format::Human => {
            ctx.print_diagnostics(&set.diagnostics);
            print_summary(ctx, files, &set.diagnostics);
        }
        Format::Json => {
            let doc = ValidationReport {
                schema_version: 1,
                files,
                errors: tally.errors,
                warnings: tally.warnings,
                diagnostics: &set.diagnostics,
            };
            let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
            text.push('\n');
            let target = Target::from_option(args.output.as_ref());
            if super::emit(ctx, &target, &text, &set.files) != Exit::Success {
                return Exit::Invalid;
            }
        }
    }
    if tally.errors > 0 {
        Exit::Invalid
    } else if args.strict && tally.warnings > 0 {
        Exit::Failed
    } else {
        Exit::Success
    }
}
