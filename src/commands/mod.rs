//! One module per subcommand: its clap arguments and its `run`, which wires
//! discover → load → score → render and returns an exit code.

pub mod check;
pub mod compare;
pub mod diff;
pub mod generate;
pub mod init;
pub mod report;
pub mod revision;
pub mod rubric;
pub mod schema;
pub mod score;
pub mod validate;

use crate::cli::{Ctx, Exit};
use crate::output::Target;
use std::path::PathBuf;

/// Writes `text` to the command's target (stdout or `-o FILE`); reports a failure as exit 2.
pub fn emit(ctx: &mut Ctx<'_>, target: &Target, text: &str, inputs: &[PathBuf]) -> Exit {
    match target.write(ctx.out, text.as_bytes(), inputs) {
        Ok(()) => Exit::Success,
        Err(e) => {
            ctx.error(e);
            Exit::Invalid
        }
    }
}
