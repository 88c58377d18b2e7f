//! frameaudit audits national frameworks against a rubric: it validates country profiles,
//! scores them and renders gap reports in the in-law / in-policy / in-practice format of the
//! ACWC regional review.
//!
//! Data flows one way: [`discover`] → [`load`] (parse and validate, with locations) →
//! [`score`] (pure) → [`render`] (one module per format). [`cli`] parses arguments and maps
//! results to exit codes. The library never prints: it writes to the writers it is given.
//!
//! # Public API
//! Everything is `pub(crate)` unless a crate outside this one uses it (the `unreachable_pub`
//! lint keeps it so). The public items are those that the binary (`src/main.rs`), the
//! benchmark (`benches/parse_only`), the fuzz targets (`fuzz/`) and the integration tests
//! (`tests/`) use:
//! - [`run`], the whole command line (the binary);
//! - [`load`]: [`load::Limits`], [`load::LoadOptions`], [`load::load_set`] and
//!   [`load::set::load_set_map`], [`load::read_text`], and the profile, region, rubric and
//!   YAML loaders ([`load::profile`], [`load::region`], [`load::rubric`], [`load::yaml`]);
//! - [`model`]: the profile, rubric and region types those loaders return;
//! - [`score`]: [`score::score`] and the scorecard, the regional comparison
//!   ([`score::region::compare`]), its statements ([`score::summary`]) and the check's finding
//!   codes ([`score::diff::FindingCode`]);
//! - [`discover`], [`date::today`], [`diag`] (diagnostic codes and severities),
//!   [`render::json::to_string`] and [`cli::Cli`] (the clap definition, for its own tests).
//!
//! The rest — the commands, the other renderers, the report model, the JSON Schema mirror,
//! output files — is internal and may change without notice.

pub mod cli;
pub(crate) mod commands;
pub mod date;
pub mod diag;
pub mod discover;
pub mod load;
pub mod model;
pub(crate) mod output;
pub(crate) mod random;
pub mod render;
pub(crate) mod report;
pub(crate) mod schema;
pub mod score;
pub(crate) mod suggest;

use std::ffi::OsString;
use std::io::Write;

/// Runs frameaudit with `args` (including the program name), writing results to `out` and
/// diagnostics to `err`. Returns the process exit code: 0 success, 1 the audit found what
/// the user asked to fail on, 2 bad usage or invalid input.
pub fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> std::process::ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    std::process::ExitCode::from(cli::run(args, out, err) as u8)
}
