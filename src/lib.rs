//! frameaudit audits national frameworks against a rubric: it validates country profiles,
//! scores them and renders gap reports in the in-law / in-policy / in-practice format of the
//! ACWC regional review.
//!
//! Data flows one way: [`discover`] → [`load`] (parse and validate, with locations) →
//! [`score`] (pure) → [`render`] (one module per format). [`cli`] parses arguments and maps
//! results to exit codes. The library never prints: it writes to the writers it is given.

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
