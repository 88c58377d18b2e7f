//! `frameaudit diff OLD NEW`: what changed between two versions of the data and how each
//! change moved the scores — per country, the overall and level score deltas, the cells
//! whose status changed (with each one's effect on its level score, in points) and the
//! gaps added and removed. OLD and NEW are profiles, folders or git revisions; a revision
//! is read for the other side's path, or for `--path` (default: the bundled region).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::ValueEnum;

use super::check::{Version, at_revision, unreadable};
use crate::cli::{Ctx, Exit};
use crate::diag;
use crate::model::Level;
use crate::output::Target;
use crate::render::{self, escape};
use crate::score::diff::{CountryDiff, Delta, Direction, Scored, SetDiff, diff, fmt_opt, signed};

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable tables.
    Table,
    /// The diff JSON contract (schema_version 1).
    Json,
    /// Markdown, for a pull-request comment.
    Markdown,
}

/// Arguments of `frameaudit diff`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  frameaudit diff old/asean frameworks/asean      two folders
  frameaudit diff HEAD~1 frameworks/asean         the folder at HEAD~1 against the working tree
  frameaudit diff v1.0 HEAD --path frameworks     two revisions of frameworks/

Profiles are paired by folder (below each side's path) and country code.

Exit codes: 0 the diff was shown (whatever changed); 2 bad usage or unreadable input.")]
pub struct Args {
    /// The old version: a profile, a folder, or a git revision.
    pub old: String,
    /// The new version: a profile, a folder, or a git revision.
    pub new: String,
    /// For git revisions, the paths to read when neither side is a path
    /// [default: the bundled frameworks/asean].
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Score both versions against this rubric instead of the one each profile names.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn version(spec: &str, other: &str, args: &Args, ctx: &Ctx<'_>) -> Result<Version, String> {
    if Path::new(spec).exists() {
        return Ok(Version::here(spec, vec![PathBuf::from(spec)]));
    }
    let paths = if !args.paths.is_empty() || !Path::new(other).exists() {
        ctx.paths_or_default(&args.paths)
    } else {
        vec![PathBuf::from(other)]
    };
    at_revision(spec, &paths)
}

/// Runs the command.
pub fn run(args: Args, ctx: &mut Ctx<'_>) -> Exit {
    let opts = ctx.load_options(args.rubric.as_deref());
    let mut sides: Vec<Vec<Scored>> = Vec::new();
    let mut inputs = Vec::new();
    for (spec, other) in [(&args.old, &args.new), (&args.new, &args.old)] {
        let v = match version(spec, other, &args, ctx) {
            Ok(v) => v,
            Err(e) => {
                ctx.error(e);
                return Exit::Invalid;
            }
        };
        let (set, scored) = v.load(&opts);
        if set.diagnostics.iter().any(unreadable) {
            ctx.print_diagnostics(&set.diagnostics);
            return Exit::Invalid;
        }
        let errors = set.diagnostics.iter().filter(|d| d.is_error()).count();
        if errors > 0 {
            let _ = writeln!(
                ctx.err,
                "note: {spec} has {} (run `frameaudit validate`); profiles with errors are left out",
                diag::plural(errors, "error", "errors")
            );
        }
        if !v.is_revision() {
            inputs.extend(set.files.iter().cloned());
        }
        sides.push(scored);
    }
    let d = diff(&sides[0], &sides[1]);
    let text = match args.format {
        Format::Table => table(&d, &args.old, &args.new),
        Format::Json => render::json::to_string(&d),
        Format::Markdown => markdown(&d, &args.old, &args.new),
    };
    super::emit(
        ctx,
        &Target::from_option(args.output.as_ref()),
        &text,
        &inputs,
    )
}

fn delta_cell(d: &Delta) -> [String; 3] {
    [
        fmt_opt(d.old),
        fmt_opt(d.new),
        d.change.map_or_else(|| "n/a".to_string(), signed),
    ]
}

/// "Name (CODE): overall old → new (change)", the name passed through `esc`.
fn heading(c: &CountryDiff, esc: fn(&str) -> String) -> String {
    let mut h = format!(
        "{}{} ({}): overall {} → {} ({})",
        if c.folder.is_empty() {
            String::new()
        } else {
            format!("{}: ", esc(&c.folder))
        },
        esc(&c.country.name),
        c.country.code,
        fmt_opt(c.overall.old),
        fmt_opt(c.overall.new),
        c.overall.change.map_or_else(|| "n/a".to_string(), signed)
    );
    if !c.comparable {
        let _ = write!(
            h,
            " — rubric changed: {} {} → {} {}",
            esc(&c.old_rubric.id),
            esc(&c.old_rubric.version),
            esc(&c.new_rubric.id),
            esc(&c.new_rubric.version)
        );
    }
    h
}

fn gap_list(gaps: &[crate::score::Gap], md: bool) -> String {
    let item = |g: &crate::score::Gap| {
        let id = if md {
            format!("`{}`", g.criterion)
        } else {
            g.criterion.clone()
        };
        format!("{id} {} ({})", g.level, g.status)
    };
    gaps.iter().map(item).collect::<Vec<_>>().join(", ")
}

fn footer(d: &SetDiff, md: bool) -> String {
    let mut out = String::new();
    let list = |cs: &[crate::model::Country]| {
        cs.iter()
            .map(|c| {
                if md {
                    format!("{} ({})", escape::markdown(&c.name), c.code)
                } else {
                    format!("{} ({})", escape::terminal(&c.name), c.code)
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !d.added.is_empty() {
        let _ = writeln!(out, "New profiles: {}.", list(&d.added));
    }
    if !d.removed.is_empty() {
        let _ = writeln!(out, "Removed profiles: {}.", list(&d.removed));
    }
    let _ = writeln!(
        out,
        "Gaps: {} new, {} fixed, {} persisting.",
        d.gaps.new, d.gaps.fixed, d.gaps.persisting
    );
    out
}

/// The diff for people.
fn table(d: &SetDiff, old: &str, new: &str) -> String {
    let mut out = format!(
        "Changes from {} to {}\n",
        escape::terminal(old),
        escape::terminal(new)
    );
    if d.is_empty() {
        out.push_str("\nNo change in scores or gaps.\n");
    }
    for c in d.countries.iter().filter(|c| !is_quiet(c)) {
        let _ = writeln!(out, "\n{}", heading(c, escape::terminal));
        let mut t = render::table::new_table(&["Level", "Old", "New", "Change"]);
        for l in Level::ALL {
            let [o, n, ch] = delta_cell(&c.levels.get(l));
            t.add_row(vec![l.heading().to_string(), o, n, ch]);
        }
        let _ = writeln!(out, "{t}");
        if !c.cells.is_empty() {
            let mut t =
                render::table::new_table(&["Criterion", "Level", "Old → new", "Effect on level"]);
            for x in &c.cells {
                t.add_row(vec![
                    x.criterion.clone(),
                    x.level.to_string(),
                    format!("{} → {}{}", x.old, x.new, direction_word(x.direction)),
                    x.effect.map_or_else(|| "n/a".to_string(), signed),
                ]);
            }
            let _ = writeln!(out, "{t}");
        }
        if !c.gaps_added.is_empty() {
            let _ = writeln!(out, "Gaps added: {}", gap_list(&c.gaps_added, false));
        }
        if !c.gaps_removed.is_empty() {
            let _ = writeln!(out, "Gaps removed: {}", gap_list(&c.gaps_removed, false));
        }
        for g in &c.implementation_gaps_added {
            let _ = writeln!(
                out,
                "New implementation gap: {} {} ({})",
                g.criterion,
                g.kind.describe(),
                g.kind.code()
            );
        }
        for g in &c.implementation_gaps_removed {
            let _ = writeln!(out, "{}", closed_gap(c, g, false));
        }
    }
    out.push('\n');
    out.push_str(&footer(d, false));
    out
}

/// " (regression)" after a status that earns fewer points, " (improvement)" after one that
/// earns more.
fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Worse => " (regression)",
        Direction::Better => " (improvement)",
        Direction::Neutral => "",
    }
}

/// A law/practice (or law/policy) gap that is gone: closed, or — when a status of that
/// criterion got worse — narrowed by that regression, which is said in so many words.
fn closed_gap(c: &CountryDiff, g: &crate::score::ImplementationGap, md: bool) -> String {
    let code = |s: &str| if md { format!("`{s}`") } else { s.to_string() };
    let worse: Vec<String> = c
        .cells
        .iter()
        .filter(|x| x.criterion == g.criterion && x.direction == Direction::Worse)
        .map(|x| format!("{} got worse ({} → {})", x.level, x.old, x.new))
        .collect();
    if worse.is_empty() {
        format!(
            "Closed implementation gap: {} {} ({})",
            code(&g.criterion),
            g.kind.describe(),
            code(g.kind.code())
        )
    } else {
        format!(
            "Implementation gap narrowed by a regression, not closed by an improvement: {} {}; it was {} ({})",
            code(&g.criterion),
            worse.join(" and "),
            g.kind.describe(),
            code(g.kind.code())
        )
    }
}

fn is_quiet(c: &CountryDiff) -> bool {
    c.cells.is_empty()
        && c.gaps_added.is_empty()
        && c.gaps_removed.is_empty()
        && c.implementation_gaps_added.is_empty()
        && c.implementation_gaps_removed.is_empty()
        && !c.overall.changed()
        && Level::ALL.iter().all(|&l| !c.levels.get(l).changed())
}

/// The diff as Markdown (user text escaped).
fn markdown(d: &SetDiff, old: &str, new: &str) -> String {
    let md = escape::markdown;
    let mut out = format!(
        "## Changes from `{}` to `{}`\n",
        old.replace('`', "'"),
        new.replace('`', "'")
    );
    if d.is_empty() {
        out.push_str("\nNo change in scores or gaps.\n");
    }
    for c in d.countries.iter().filter(|c| !is_quiet(c)) {
        let _ = writeln!(out, "\n### {}\n", heading(c, md));
        out.push_str("| Level | Old | New | Change |\n|---|---:|---:|---:|\n");
        for l in Level::ALL {
            let [o, n, ch] = delta_cell(&c.levels.get(l));
            let _ = writeln!(out, "| {} | {o} | {n} | {ch} |", l.heading());
        }
        if !c.cells.is_empty() {
            out.push_str(
                "\n| Criterion | Level | Old → new | Effect on level |\n|---|---|---|---:|\n",
            );
            for x in &c.cells {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} → {}{} | {} |",
                    x.criterion,
                    x.level,
                    x.old,
                    x.new,
                    direction_word(x.direction),
                    x.effect.map_or_else(|| "n/a".to_string(), signed)
                );
            }
        }
        if !c.gaps_added.is_empty() {
            let _ = writeln!(out, "\nGaps added: {}", gap_list(&c.gaps_added, true));
        }
        if !c.gaps_removed.is_empty() {
            let _ = writeln!(out, "\nGaps removed: {}", gap_list(&c.gaps_removed, true));
        }
        for g in &c.implementation_gaps_added {
            let _ = writeln!(
                out,
                "\nNew implementation gap: `{}` {} (`{}`)",
                g.criterion,
                g.kind.describe(),
                g.kind.code()
            );
        }
        for g in &c.implementation_gaps_removed {
            let _ = writeln!(out, "\n{}", closed_gap(c, g, true));
        }
    }
    out.push('\n');
    out.push_str(&footer(d, true));
    out
}
