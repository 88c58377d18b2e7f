//! `frameaudit rubric`: not built yet (see the open issue).

use crate::cli::{Ctx, Exit};

/// Arguments of `frameaudit rubric`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Arguments (not yet defined).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub rest: Vec<String>,
}

/// Runs the command.
pub fn run(_args: Args, ctx: &mut Ctx<'_>) -> Exit {
    ctx.error("`frameaudit rubric` is not implemented yet");
    Exit::Invalid
}
