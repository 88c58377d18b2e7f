//! The command line: clap definitions, the context every command runs in, and the mapping
//! of results to exit codes. Each subcommand's arguments and logic live in
//! `commands/<name>.rs`; this module only dispatches.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands;
use crate::diag::{self, Diagnostic};
use crate::load::{Limits, LoadOptions};
use crate::model::Date;

/// Exit codes, identical across commands and formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// 0: success.
    Success = 0,
    /// 1: the audit ran and found what the user asked to fail on.
    Failed = 1,
    /// 2: bad usage, or input that could not be read or is invalid.
    Invalid = 2,
}

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  the audit ran and found what you asked to fail on (--strict warnings, a threshold,
     a regression, a validation error under `check`)
  2  bad usage, or input that could not be read or is invalid

With no path, commands use the bundled frameworks/asean and rubrics/.
Docs: docs/profile-format.md, docs/rubric-format.md, docs/methodology.md";

/// Audit national frameworks against a rubric: validate country profiles, score them and
/// render gap reports in the in-law / in-policy / in-practice format.
#[derive(Debug, Parser)]
#[command(name = "frameaudit", version, about, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,

    /// When to colour terminal output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Resource limits for every input file.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Resource limits (see docs/security.md).
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Largest input file read, in bytes.
    #[arg(long, global = true, value_name = "BYTES", default_value_t = Limits::default().max_file_bytes, hide_short_help = true)]
    pub max_file_size: usize,
    /// Deepest YAML nesting accepted.
    #[arg(long, global = true, value_name = "N", default_value_t = Limits::default().max_depth, hide_short_help = true)]
    pub max_depth: usize,
    /// Most YAML nodes accepted in one file.
    #[arg(long, global = true, value_name = "N", default_value_t = Limits::default().max_nodes, hide_short_help = true)]
    pub max_nodes: usize,
    /// Most YAML anchors and aliases accepted in one file.
    #[arg(long, global = true, value_name = "N", default_value_t = Limits::default().max_aliases, hide_short_help = true)]
    pub max_aliases: usize,
}

impl LimitArgs {
    /// The limits.
    pub(crate) fn limits(&self) -> Limits {
        Limits {
            max_file_bytes: self.max_file_size,
            max_depth: self.max_depth,
            max_nodes: self.max_nodes,
            max_aliases: self.max_aliases,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check profiles, regions and rubrics: every problem, at file:line:column.
    Validate(commands::validate::Args),
    /// Score one country's profile: the scorecard.
    Score(commands::score::Args),
    /// Gap reports: in law / in policies / in practice, good practices, challenges.
    Report(commands::report::Args),
    /// The region side by side: executive summary, scores with bounds and rank ranges, themes, annex.
    Compare(commands::compare::Args),
    /// For CI: validate, apply data-quality and score gates, compare with a baseline.
    Check(commands::check::Args),
    /// What changed in scores and gaps between two versions of the data.
    Diff(commands::diff::Args),
    /// Show the rubric's criteria, or explain one criterion and the scoring method.
    Rubric(commands::rubric::Args),
    /// Scaffold a new profile with every criterion listed as unknown.
    Init(commands::init::Args),
    /// Print the JSON Schema of the profile format.
    Schema(commands::schema::Args),
    /// Write synthetic profiles for benchmarks.
    #[command(hide = true)]
    Generate(commands::generate::Args),
}

/// What every command runs with.
pub(crate) struct Ctx<'a> {
    /// Results.
    pub out: &'a mut dyn Write,
    /// Diagnostics and progress.
    pub err: &'a mut dyn Write,
    /// Whether to colour terminal output.
    pub color: bool,
    /// Today's date.
    pub today: Date,
    /// Where the bundled `frameworks/` and `rubrics/` are.
    pub data_root: PathBuf,
    /// Resource limits.
    pub limits: Limits,
}

impl Ctx<'_> {
    /// The bundled region folder (`frameworks/asean`).
    pub(crate) fn default_region_dir(&self) -> PathBuf {
        self.data_root.join("frameworks").join("asean")
    }

    /// The bundled ACWC rubric.
    pub(crate) fn default_rubric(&self) -> PathBuf {
        self.data_root
            .join("rubrics")
            .join("acwc-victim-assistance.toml")
    }

    /// `paths`, or the bundled region folder when empty.
    pub(crate) fn paths_or_default(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        if paths.is_empty() {
            vec![crate::diag::relative_to_cwd(&self.default_region_dir())]
        } else {
            paths.to_vec()
        }
    }

    /// Load options for this run.
    pub(crate) fn load_options(&self, rubric: Option<&Path>) -> LoadOptions {
        LoadOptions {
            limits: self.limits,
            rubric: rubric.map(Path::to_path_buf),
            rubric_dirs: vec![self.data_root.join("rubrics")],
            today: self.today,
        }
    }

    /// Runs `f` with a progress callback: on a terminal (never in a pipe, never under CI) a
    /// progress bar on stderr once a run has 100 files or more; otherwise nothing.
    pub(crate) fn with_progress<T>(
        &self,
        f: impl FnOnce(&(dyn Fn(usize, usize) + Sync)) -> T,
    ) -> T {
        let show = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let bar = show.then(|| indicatif::ProgressBar::new(0));
        let out = f(&|done, total| {
            if let Some(b) = bar.as_ref().filter(|_| total >= 100) {
                b.set_length(total as u64);
                b.set_position(done as u64);
            }
        });
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        out
    }

    /// Writes diagnostics for a human to stderr.
    pub(crate) fn print_diagnostics(&mut self, diags: &[Diagnostic]) {
        for d in diags {
            let text = d.render_human();
            let text = if self.color_err() {
                colorize_diagnostic(&text, d.is_error())
            } else {
                text
            };
            let _ = writeln!(self.err, "{text}");
        }
    }

    fn color_err(&self) -> bool {
        self.color && std::io::stderr().is_terminal()
    }

    /// Writes one error message (not tied to a file location) to stderr.
    pub(crate) fn error(&mut self, msg: impl std::fmt::Display) {
        let _ = writeln!(self.err, "error: {msg}");
    }
}

fn colorize_diagnostic(text: &str, error: bool) -> String {
    let (start, reset) = if error {
        ("\x1b[1;31m", "\x1b[0m")
    } else {
        ("\x1b[1;33m", "\x1b[0m")
    };
    match text.split_once('[') {
        Some((sev, rest)) => format!("{start}{sev}{reset}[{rest}"),
        None => text.to_string(),
    }
}

/// Where the bundled data lives: the current directory when it holds `frameworks/` and
/// `rubrics/` (a checkout), else the source tree frameaudit was built from.
pub(crate) fn data_root() -> PathBuf {
    if let Ok(cwd) = std::env::current_dir()
        && cwd.join("frameworks").is_dir()
        && cwd.join("rubrics").is_dir()
    {
        return cwd;
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Parses `args` and runs the command; returns the exit code.
pub(crate) fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Invalid
            } else {
                Exit::Success
            };
            let text = e.render().to_string();
            if e.use_stderr() {
                let _ = write!(err, "{text}");
            } else {
                let _ = write!(out, "{text}");
            }
            return code as i32;
        }
    };
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let stdout_tty = std::io::stdout().is_terminal();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_tty && !no_color,
    };
    let mut ctx = Ctx {
        out,
        err,
        color,
        today: crate::date::today(),
        data_root: data_root(),
        limits: cli.limits.limits(),
    };
    let exit = match cli.command {
        Command::Validate(a) => commands::validate::run(a, &mut ctx),
        Command::Score(a) => commands::score::run(a, &mut ctx),
        Command::Report(a) => commands::report::run(a, &mut ctx),
        Command::Compare(a) => commands::compare::run(a, &mut ctx),
        Command::Check(a) => commands::check::run(a, &mut ctx),
        Command::Diff(a) => commands::diff::run(a, &mut ctx),
        Command::Rubric(a) => commands::rubric::run(a, &mut ctx),
        Command::Init(a) => commands::init::run(a, &mut ctx),
        Command::Schema(a) => commands::schema::run(a, &mut ctx),
        Command::Generate(a) => commands::generate::run(a, &mut ctx),
    };
    let _ = ctx.out.flush();
    exit as i32
}

/// Prints the diagnostics' summary line ("10 files, 0 errors, 3 warnings") to stderr.
pub(crate) fn print_summary(ctx: &mut Ctx<'_>, files: usize, diags: &[Diagnostic]) {
    let line = diag::summary_line(files, diag::Tally::of(diags));
    let _ = writeln!(ctx.err, "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
