//! The human outputs of `diff` (table and Markdown): per changed country the overall and level
//! deltas, the cells whose status changed, the gaps added and removed, and a footer.

use std::fmt::Write as _;

use super::escape;
use crate::model::Level;
use crate::score::diff::{CountryDiff, Delta, Direction, SetDiff, fmt_opt, signed};

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
/// The diff for a terminal: a table per changed country, then the footer.
pub(crate) fn table(d: &SetDiff, old: &str, new: &str) -> String {
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
        let mut t = super::table::new_table(&["Level", "Old", "New", "Change"]);
        for l in Level::ALL {
            let [o, n, ch] = delta_cell(&c.levels.get(l));
            t.add_row(vec![l.heading().to_string(), o, n, ch]);
        }
        let _ = writeln!(out, "{t}");
        if !c.cells.is_empty() {
            let mut t =
                super::table::new_table(&["Criterion", "Level", "Old → new", "Effect on level"]);
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
/// The diff as Markdown, user text escaped.
pub(crate) fn markdown(d: &SetDiff, old: &str, new: &str) -> String {
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
