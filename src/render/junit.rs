//! JUnit XML output of `frameaudit check`, for CI test reports. One `<testsuite>` for the
//! validation of each input file, then one per country with a testcase for the overall
//! score (classname `PH`), one per level score (classname `PH.law`, name `score`) and one per
//! cell (classname `PH.law`, name the criterion id). A testcase fails when a finding
//! concerns it (a score under its threshold, a regression, a new gap) or, for a file, when
//! a diagnostic fails the check.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::diag;
use crate::model::Level;
use crate::score::diff::{CheckReport, Finding};

/// Escapes text for XML content and attribute values; drops characters XML 1.0 forbids.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            _ => out.push(c),
        }
    }
    out
}

struct Case {
    classname: String,
    name: String,
    failures: Vec<(String, String, String)>,
    out: Vec<String>,
}

impl Case {
    fn new(classname: impl Into<String>, name: impl Into<String>) -> Case {
        Case {
            classname: classname.into(),
            name: name.into(),
            failures: Vec::new(),
            out: Vec::new(),
        }
    }

    fn fail_with(mut self, findings: impl Iterator<Item = Finding>) -> Case {
        for f in findings {
            let at = diag::position(&f.file, f.loc);
            self.failures.push((
                f.code.as_str().to_string(),
                f.message.clone(),
                format!("{}\n  --> {at}", f.message),
            ));
        }
        self
    }
}

fn suite(out: &mut String, name: &str, cases: &[Case]) {
    let failures = cases.iter().filter(|c| !c.failures.is_empty()).count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        xml(name),
        cases.len()
    );
    for c in cases {
        let head = format!(
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(&c.classname),
            xml(&c.name)
        );
        if c.failures.is_empty() && c.out.is_empty() {
            let _ = writeln!(out, "{head}/>");
            continue;
        }
        let _ = writeln!(out, "{head}>");
        for (ty, msg, body) in &c.failures {
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                xml(ty),
                xml(msg),
                xml(body)
            );
        }
        if !c.out.is_empty() {
            let _ = writeln!(
                out,
                "      <system-out>{}</system-out>",
                xml(&c.out.join("\n"))
            );
        }
        let _ = writeln!(out, "    </testcase>");
    }
    let _ = writeln!(out, "  </testsuite>");
}

/// The JUnit XML of a check.
pub fn render(report: &CheckReport) -> String {
    let mut suites: Vec<(String, Vec<Case>)> = Vec::new();

    // Validation: one testcase per file.
    let mut files: BTreeSet<PathBuf> = report.inputs.iter().cloned().collect();
    files.extend(report.diagnostics.iter().map(|d| d.file.clone()));
    let mut cases = Vec::new();
    for file in &files {
        let mut c = Case::new("validation", diag::display_path(file));
        for d in report.diagnostics.iter().filter(|d| &d.file == file) {
            let text = d.render_human();
            if report.fails(d) {
                c.failures.push((
                    d.code.as_str().to_string(),
                    d.message.clone(),
                    text.trim_end().to_string(),
                ));
            } else {
                c.out.push(text.trim_end().to_string());
            }
        }
        cases.push(c);
    }
    suites.push(("validation".into(), cases));

    for cc in &report.countries {
        let code = cc.country.code.as_str();
        let mut cases = vec![
            Case::new(code, "overall").fail_with(report.findings_for(code, None, None).cloned()),
        ];
        for level in Level::ALL {
            let class = format!("{code}.{level}");
            if cc.levels.get(level).is_some() || cc.cells.iter().any(|c| c.level == level) {
                cases.push(
                    Case::new(&class, "score")
                        .fail_with(report.findings_for(code, Some(level), None).cloned()),
                );
            }
            for cell in cc.cells.iter().filter(|c| c.level == level) {
                let mut case = Case::new(&class, cell.criterion).fail_with(
                    report
                        .findings_for(code, Some(level), Some(cell.criterion))
                        .cloned(),
                );
                case.out.push(format!("status: {}", cell.status));
                cases.push(case);
            }
        }
        suites.push((code.to_string(), cases));
    }
    // Countries gone since the baseline.
    let removed: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.code == crate::score::diff::FindingCode::ProfileRemoved)
        .collect();
    for f in removed {
        suites.push((
            f.country.clone(),
            vec![Case::new(&f.country, "profile").fail_with(std::iter::once(f.clone()))],
        ));
    }

    let tests: usize = suites.iter().map(|(_, c)| c.len()).sum();
    let failures: usize = suites
        .iter()
        .flat_map(|(_, c)| c)
        .filter(|c| !c.failures.is_empty())
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"frameaudit check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    let _ = writeln!(
        out,
        "  <properties><property name=\"schema_version\" value=\"{}\"/></properties>",
        report.schema_version
    );
    for (name, cases) in &suites {
        suite(&mut out, name, cases);
    }
    out.push_str("</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_characters() {
        assert_eq!(
            xml("a<b & \"c\" 'd'\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;"
        );
    }
}
