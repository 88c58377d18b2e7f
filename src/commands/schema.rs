//! `frameaudit schema`: prints the JSON Schema (draft-07) of the profile format, or with
//! `--region` of region files, generated from the types in `crate::schema`. The repository
//! keeps the output in `schema/`, where profiles' `yaml-language-server` comments point.

use std::path::PathBuf;

use crate::cli::{Ctx, Exit};
use crate::output::Target;

/// Arguments of `frameaudit schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schema of region files (`region.yaml`) instead of profiles.
    #[arg(long)]
    pub region: bool,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs the command.
pub(crate) fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let text = if args.region {
        crate::schema::region_json()
    } else {
        crate::schema::profile_json()
    };
    super::emit(ctx, &Target::from_option(args.output.as_ref()), &text, &[])
}
