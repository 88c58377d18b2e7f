//! `frameaudit score PROFILE`: one country's scorecard, as a table or JSON; `--explain`
//! for every cell's contribution, note and citations.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::cli::{Ctx, Exit};
use crate::load::load_set;
use crate::output::Target;
use crate::render;
use crate::score::score;

/// Output formats of `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// The scorecard JSON contract (schema_version 2; see docs/json.md).
    Json,
}

/// Arguments of `frameaudit score`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The profile to score (a `<code>.yaml` file).
    pub profile: PathBuf,
    /// Score against this rubric (it must be the profile's rubric or extend it).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Explain every point: each cell's status, weight, points, contribution to its level
    /// and to the overall score, note and citations, rolled up by level, principle and type
    /// (in JSON: an `explanation` object beside the cells).
    #[arg(long)]
    pub explain: bool,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    if args.profile.is_dir() {
        ctx.error(format!(
            "{} is a directory; `score` takes one profile file (use `report` or `compare` for a folder)",
            crate::diag::display_path(&args.profile)
        ));
        return Exit::Invalid;
    }
    let opts = ctx.load_options(args.rubric.as_deref());
    let set = load_set(std::slice::from_ref(&args.profile), &opts);
    ctx.print_diagnostics(&set.diagnostics);
    if set.has_errors() {
        crate::cli::print_summary(ctx, set.files.len().max(1), &set.diagnostics);
        return Exit::Invalid;
    }
    let Some(profile) = set.profiles.first() else {
        ctx.error("no profile was loaded");
        return Exit::Invalid;
    };
    let Some(rubric) = set.rubric_for(profile) else {
        ctx.error("the profile's rubric could not be loaded");
        return Exit::Invalid;
    };
    let mut card = score(profile, rubric);
    if args.explain {
        card.explanation = Some(crate::score::explain::explain(&card, rubric, profile));
    }
    let color = ctx.color && args.output.is_none();
    let text = match args.format {
        Format::Table if args.explain => render::table::explanation(&card, rubric, color),
        Format::Table => render::table::scorecard(&card, rubric, color),
        Format::Json => render::json::to_string(&card),
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
