//! One module per subcommand: its clap arguments and its `run`, which wires
//! discover → load → score → render and returns an exit code.

pub(crate) mod check;
pub(crate) mod compare;
pub(crate) mod diff;
pub(crate) mod generate;
pub(crate) mod init;
pub(crate) mod report;
pub(crate) mod revision;
pub(crate) mod rubric;
pub(crate) mod schema;
pub(crate) mod score;
pub(crate) mod validate;

use crate::cli::{Ctx, Exit};
use crate::output::Target;
use std::path::PathBuf;

/// Writes `text` to the command's target (stdout or `-o FILE`); reports a failure as exit 2.
pub(crate) fn emit(ctx: &mut Ctx<'_>, target: &Target, text: &str, inputs: &[PathBuf]) -> Exit {
    match target.write(ctx.out, text.as_bytes(), inputs) {
        Ok(()) => Exit::Success,
        Err(e) => {
            ctx.error(e);
            Exit::Invalid
        }
    }
}
