//! The human (terminal) output of `check`: the gates line, the profile table, the comparison
//! with the baseline, findings, accepted and reported findings, and the verdict.

use std::fmt::Write as _;

use crate::diag::{self, Severity};
use crate::model::Level;
use crate::score::diff::{CheckReport, Gates, fmt_opt};

/// The gates a check applied, in one line.
pub(crate) fn gates_line(g: &Gates) -> String {
    let mut parts = Vec::new();
    if let Some(o) = g.overall {
        parts.push(format!("overall ≥ {o:.1}"));
    }
    for (l, m) in &g.levels {
        parts.push(format!("{l} ≥ {m:.1}"));
    }
    for (id, m) in &g.principles {
        parts.push(format!("principle {id} ≥ {m:.1}"));
    }
    for (id, m) in &g.assistance_types {
        parts.push(format!("type {id} ≥ {m:.1}"));
    }
    if let Some(c) = g.coverage {
        parts.push(format!("coverage ≥ {c:.1}"));
    }
    if g.no_coverage_drop {
        parts.push("no coverage drop".to_string());
    }
    if let Some(a) = g.evidence.max_age {
        parts.push(format!("evidence at most {a} years older than as_of"));
    }
    if g.evidence.require_url {
        parts.push("sources with a URL".to_string());
    }
    if g.evidence.fail && (g.evidence.max_age.is_some() || g.evidence.require_url) {
        parts.push("evidence findings fail".to_string());
    }
    parts.push(format!(
        "fail on {}",
        match g.fail_on {
            Severity::Error => "errors",
            Severity::Warning => "warnings and errors",
        }
    ));
    parts.join(", ")
}

/// The check for people: a table of the profiles, the baseline line, the findings and the verdict.
pub(crate) fn human(report: &CheckReport, gates: &str) -> String {
    let mut out = String::new();
    let mut rubrics: Vec<String> = report
        .countries
        .iter()
        .map(|c| format!("{} {}", c.rubric.id, c.rubric.version))
        .collect();
    rubrics.sort();
    rubrics.dedup();
    let _ = writeln!(
        out,
        "frameaudit check: {}{}; gates: {gates}",
        diag::plural(report.countries.len(), "profile", "profiles"),
        if rubrics.is_empty() {
            String::new()
        } else {
            format!(" (rubric {})", rubrics.join(", "))
        }
    );
    if !report.countries.is_empty() || !report.invalid.is_empty() {
        let mut header = vec!["Country", "Overall"];
        header.extend(Level::ALL.map(Level::heading));
        header.extend(["Gaps", "Result"]);
        let mut t = super::table::new_table(&header);
        for c in &report.countries {
            let mut row = vec![
                format!(
                    "{} {}",
                    c.country.code,
                    super::escape::terminal(&c.country.name)
                ),
                fmt_opt(c.overall),
            ];
            row.extend(Level::ALL.map(|l| fmt_opt(c.levels.get(l))));
            row.extend([
                c.gaps.to_string(),
                if c.passed { "pass" } else { "FAIL" }.to_string(),
            ]);
            t.add_row(row);
        }
        for p in &report.invalid {
            t.add_row(vec![
                // The file name (its full path is in the diagnostics above).
                format!(
                    "{} (does not validate)",
                    super::escape::terminal(
                        &p.file
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    )
                ),
                "—".into(),
                "—".into(),
                "—".into(),
                "—".into(),
                "—".into(),
                "FAIL".into(),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "Against baseline {}: gaps {} new, {} fixed, {} persisting; cells {} worse, {} better{}{}.",
            super::escape::terminal(&b.source),
            b.gaps.new,
            b.gaps.fixed,
            b.gaps.persisting,
            b.worse_cells,
            b.better_cells,
            if b.added.is_empty() {
                String::new()
            } else {
                format!("; new profiles: {}", b.added.join(", "))
            },
            if b.removed.is_empty() {
                String::new()
            } else {
                format!("; removed profiles: {}", b.removed.join(", "))
            },
        );
    }
    if !report.findings.is_empty() {
        out.push('\n');
        for f in &report.findings {
            let at = diag::position(&f.file, f.loc);
            let _ = writeln!(
                out,
                "error[{}]: {}\n  --> {at}",
                f.code,
                super::escape::terminal(&f.message)
            );
        }
    }
    if !report.accepted.is_empty() {
        out.push('\n');
        for a in &report.accepted {
            let f = &a.finding;
            let _ = writeln!(
                out,
                "accepted[{}]: {}\n  --> {}\n   = reason: {}{}\n   = accepted by: {}",
                f.code,
                super::escape::terminal(&f.message),
                diag::position(&f.file, f.loc),
                super::escape::terminal(&a.reason),
                a.until.map(|u| format!(" (until {u})")).unwrap_or_default(),
                super::escape::terminal(&a.accepted_by),
            );
        }
    }
    if !report.reported.is_empty() {
        out.push('\n');
        for f in &report.reported {
            let _ = writeln!(
                out,
                "note[{}]: {}\n  --> {}",
                f.code,
                super::escape::terminal(&f.message),
                diag::position(&f.file, f.loc)
            );
        }
    }
    out.push('\n');
    out.push_str(&super::github::verdict(report));
    out.push('\n');
    out
}
