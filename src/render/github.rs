//! GitHub Actions output of `frameaudit check`: workflow-command annotations
//! (`::error file=…,line=…,col=…,title=…::message`) that GitHub shows on the changed lines,
//! and a Markdown summary for `$GITHUB_STEP_SUMMARY`. Annotation data escapes `%`, CR and
//! LF; property values also escape `:` and `,`, as the runner requires.

use std::fmt::Write as _;

use super::escape;
use crate::diag::{self, Severity};
use crate::model::{Level, Loc};
use crate::score::diff::{CheckReport, fmt_opt};

/// Escapes a workflow-command message.
pub(crate) fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
pub(crate) fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(kind: &str, file: &std::path::Path, loc: Loc, title: &str, message: &str) -> String {
    let mut props = format!(
        "file={}",
        property(&diag::display_path(&crate::diag::relative_to_cwd(file)))
    );
    if loc.is_known() {
        let _ = write!(props, ",line={},col={}", loc.line, loc.column);
    }
    let _ = write!(props, ",title={}", property(title));
    format!("::{kind} {props}::{}\n", data(message))
}

/// The annotations of a check, one per line, then a one-line result.
pub(crate) fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let kind = if report.fails(d) {
            "error"
        } else {
            match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
        };
        let mut msg = d.message.clone();
        if let Some(e) = &d.expected {
            let _ = write!(msg, "\nexpected: {e}");
        }
        if let Some(h) = &d.help {
            let _ = write!(msg, "\nhelp: {h}");
        }
        out.push_str(&annotation(
            kind,
            &d.file,
            d.loc,
            &format!("frameaudit {}", d.code),
            &msg,
        ));
    }
    for f in &report.findings {
        out.push_str(&annotation(
            "error",
            &f.file,
            f.loc,
            &format!("frameaudit {}", f.code),
            &f.message,
        ));
    }
    for a in &report.accepted {
        let f = &a.finding;
        out.push_str(&annotation(
            "notice",
            &f.file,
            f.loc,
            &format!("frameaudit {} (accepted)", f.code),
            &format!(
                "{}\naccepted: {}\naccepted by: {}",
                f.message, a.reason, a.accepted_by
            ),
        ));
    }
    for f in &report.reported {
        out.push_str(&annotation(
            "notice",
            &f.file,
            f.loc,
            &format!("frameaudit {}", f.code),
            &f.message,
        ));
    }
    out.push_str(&verdict(report));
    out.push('\n');
    out
}

/// The one-line verdict: "frameaudit check passed: 2 profiles, …".
pub(crate) fn verdict(report: &CheckReport) -> String {
    let mut extra = String::new();
    if !report.invalid.is_empty() {
        let _ = write!(
            extra,
            ", {} not validating",
            diag::plural(report.invalid.len(), "profile", "profiles")
        );
    }
    if !report.accepted.is_empty() {
        let _ = write!(extra, ", {} accepted", report.accepted.len());
    }
    if !report.reported.is_empty() {
        let _ = write!(
            extra,
            ", {}",
            diag::plural(report.reported.len(), "data note", "data notes")
        );
    }
    format!(
        "frameaudit check {}: {}, {}, {}{extra}",
        if report.passed { "passed" } else { "failed" },
        diag::plural(report.countries.len(), "profile", "profiles"),
        diag::plural(report.findings.len(), "finding", "findings"),
        diag::plural(
            report.failing_diagnostics,
            "failing diagnostic",
            "failing diagnostics"
        ),
    )
}

/// The Markdown summary of a check (user text escaped).
pub(crate) fn summary(report: &CheckReport) -> String {
    let md = escape::markdown;
    let code_md = escape::markdown_with_code;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## frameaudit check: {}\n",
        if report.passed {
            "passed ✅"
        } else {
            "failed ❌"
        }
    );
    let _ = writeln!(
        out,
        "{}; {}.\n",
        diag::summary_line(report.files, report.tally),
        diag::plural(report.findings.len(), "finding", "findings")
    );
    if !report.countries.is_empty() || !report.invalid.is_empty() {
        let levels: String = Level::ALL.map(|l| format!(" {} |", l.heading())).concat();
        let _ = writeln!(out, "| Country | Overall |{levels} Gaps | Result |");
        let _ = writeln!(
            out,
            "|---|---:|{}---:|---|",
            "---:|".repeat(Level::ALL.len())
        );
        for c in &report.countries {
            let scores: String = Level::ALL
                .map(|l| format!(" {} |", fmt_opt(c.levels.get(l))))
                .concat();
            let _ = writeln!(
                out,
                "| {} ({}) | {} |{scores} {} | {} |",
                md(&c.country.name),
                md(&c.country.code),
                fmt_opt(c.overall),
                c.gaps,
                if c.passed { "pass" } else { "**fail**" }
            );
        }
        for p in &report.invalid {
            let _ = writeln!(
                out,
                "| {} (does not validate) | — | — | — | — | — | **fail** |",
                md(&diag::display_path(&p.file))
            );
        }
        out.push('\n');
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "Against baseline `{}`: {} new, {} fixed, {} persisting gaps; {} worse, {} better.\n",
            b.source.replace('`', "'"),
            b.gaps.new,
            b.gaps.fixed,
            b.gaps.persisting,
            diag::plural(b.worse_cells, "cell", "cells"),
            diag::plural(b.better_cells, "cell", "cells"),
        );
    }
    if !report.findings.is_empty() {
        out.push_str("### Findings\n\n");
        for f in &report.findings {
            let at = diag::position(&f.file, f.loc);
            let _ = writeln!(out, "- `{}` {} ({})", f.code, code_md(&f.message), md(&at));
        }
        out.push('\n');
    }
    if !report.accepted.is_empty() {
        out.push_str("### Accepted regressions\n\n");
        for a in &report.accepted {
            let f = &a.finding;
            let _ = writeln!(
                out,
                "- `{}` {} — reason: {}{} ({})",
                f.code,
                code_md(&f.message),
                md(&a.reason),
                a.until.map(|u| format!(", until {u}")).unwrap_or_default(),
                md(&a.accepted_by)
            );
        }
        out.push('\n');
    }
    if !report.reported.is_empty() {
        out.push_str("### Data notes\n\n");
        for f in &report.reported {
            let at = diag::position(&f.file, f.loc);
            let _ = writeln!(out, "- `{}` {} ({})", f.code, code_md(&f.message), md(&at));
        }
        out.push('\n');
    }
    let failing: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| report.fails(d))
        .collect();
    if !failing.is_empty() {
        out.push_str("### Validation\n\n");
        for d in failing {
            let _ = writeln!(
                out,
                "- `{}` {} ({})",
                d.code,
                code_md(&d.message),
                md(&d.position())
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn annotation_shape() {
        let a = annotation(
            "error",
            std::path::Path::new("x, y.yaml"),
            Loc::new(3, 4),
            "frameaudit new-gap",
            "a\nb",
        );
        assert_eq!(
            a,
            "::error file=x%2C y.yaml,line=3,col=4,title=frameaudit new-gap::a%0Ab\n"
        );
    }
}
