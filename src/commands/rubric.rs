//! `frameaudit rubric show|explain`: the rubric's principles, types and criteria, one
//! criterion with its references and guidance, or the scoring method with a worked example
//! that the tool computes itself from a real profile.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use crate::cli::{Ctx, Exit};
use crate::diag::{self, Code, Diagnostic};
use crate::load::{self, load_set};
use crate::model::{Loc, Rubric};
use crate::output::Target;
use crate::render;
use crate::score::score;
use crate::suggest;

/// Arguments of `frameaudit rubric`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to show.
    #[command(subcommand)]
    pub action: Action,
}

/// `rubric` subcommands.
#[derive(Debug, Subcommand)]
pub enum Action {
    /// List the principles, types of assistance and criteria.
    Show(ShowArgs),
    /// Explain one criterion, or (with no criterion) how scores are computed.
    Explain(ExplainArgs),
}

/// Output formats of `rubric show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// Markdown.
    Markdown,
    /// JSON (schema_version 1) with a top-level `criteria` list.
    Json,
}

/// Arguments of `rubric show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The rubric file [default: the bundled rubrics/acwc-victim-assistance.toml].
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `rubric explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A criterion id (e.g. `shelter.unconditional`); omit for the scoring method.
    pub criterion: Option<String>,
    /// The rubric file [default: the bundled rubrics/acwc-victim-assistance.toml].
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// The profile the worked example is computed from [default: the bundled Philippines profile].
    #[arg(long, value_name = "FILE")]
    pub example: Option<PathBuf>,
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    match args.action {
        Action::Show(a) => show(a, ctx),
        Action::Explain(a) => explain(a, ctx),
    }
}

fn load_rubric(ctx: &mut Ctx<'_>, path: Option<&Path>) -> Option<Rubric> {
    let path = path.map_or_else(
        || crate::diag::relative_to_cwd(&ctx.default_rubric()),
        Path::to_path_buf,
    );
    let mut diags = Vec::new();
    let r = load::rubric::load(&path, &ctx.limits, &mut diags);
    diags.sort();
    ctx.print_diagnostics(&diags);
    if r.is_none() && diags.is_empty() {
        ctx.error(format!(
            "{}: the rubric could not be loaded",
            diag::display_path(&path)
        ));
    }
    r
}

/// The JSON document of `rubric show --format json`.
#[derive(Serialize)]
struct RubricDoc<'a> {
    schema_version: u32,
    #[serde(flatten)]
    rubric: &'a Rubric,
}

fn show(args: ShowArgs, ctx: &mut Ctx<'_>) -> Exit {
    let Some(r) = load_rubric(ctx, args.rubric.as_deref()) else {
        return Exit::Invalid;
    };
    let text = match args.format {
        Format::Json => crate::render::json::to_string(&RubricDoc {
            schema_version: 1,
            rubric: &r,
        }),
        Format::Table => render::rubric::show_table(&r),
        Format::Markdown => render::rubric::show_markdown(&r),
    };
    let inputs = vec![r.path.clone()];
    super::emit(
        ctx,
        &Target::from_option(args.output.as_ref()),
        &text,
        &inputs,
    )
}

fn explain(args: ExplainArgs, ctx: &mut Ctx<'_>) -> Exit {
    let Some(r) = load_rubric(ctx, args.rubric.as_deref()) else {
        return Exit::Invalid;
    };
    let text = match &args.criterion {
        Some(id) => match r.criterion(id) {
            Some(_) => render::rubric::explain_criterion(&r, id),
            None => {
                let ids: Vec<&str> = r.criteria.iter().map(|c| c.id.as_str()).collect();
                let d = Diagnostic::new(
                    Code::UnknownCriterion,
                    &r.path,
                    Loc::default(),
                    format!("unknown criterion `{id}`"),
                )
                .expected(format!("a criterion id of rubric `{}`", r.id))
                .help(
                    suggest::hint(id, ids.iter().copied())
                        .unwrap_or_else(|| "run `frameaudit rubric show` for the list".to_string()),
                );
                ctx.print_diagnostics(&[d]);
                return Exit::Invalid;
            }
        },
        None => {
            let example = args.example.clone().unwrap_or_else(|| {
                crate::diag::relative_to_cwd(&ctx.default_region_dir().join("ph.yaml"))
            });
            let mut opts = ctx.load_options(Some(&r.path));
            opts.rubric = Some(r.path.clone());
            let set = load_set(std::slice::from_ref(&example), &opts);
            if set.has_errors() {
                ctx.print_diagnostics(&set.diagnostics);
                return Exit::Invalid;
            }
            match set.profiles.first() {
                Some(p) => render::rubric::explain_method(&r, p, &score(p, &r)),
                None => {
                    ctx.error("the example profile could not be loaded");
                    return Exit::Invalid;
                }
            }
        }
    };
    super::emit(ctx, &Target::Stdout, &text, &[])
}
