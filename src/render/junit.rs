//! JUnit XML output of `frameaudit check`, for CI test reports. One `<testsuite>` for the
//! validation of each input file, then one per country with a testcase for the overall
//! score (classname `PH`), one per level score (classname `PH.law`, name `score`) and one per
//! cell (classname `PH.law`, name the criterion id). A testcase fails when a finding
//! concerns it (a score under its threshold, a regression, a new gap) or, for a file, when
//! a diagnostic fails the check. A testcase has at most one `<failure>`: several problems
//! are joined into it (its `type` lists their codes, comma-separated).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use super::escape::xml;
use crate::diag::{self, Diagnostic};
use crate::model::Level;
use crate::score::diff::{CheckReport, Finding};

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

    fn fail_with<'a>(mut self, findings: impl IntoIterator<Item = &'a Finding>) -> Case {
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
        // One <failure> per testcase (CI test reporters keep only one): several problems
        // become one failure whose type lists their codes and whose text holds them all.
        if !c.failures.is_empty() {
            let mut types: Vec<&str> = Vec::new();
            for (ty, _, _) in &c.failures {
                if !types.contains(&ty.as_str()) {
                    types.push(ty);
                }
            }
            let message = match c.failures.as_slice() {
                [(_, msg, _)] => msg.clone(),
                all => format!(
                    "{} problems: {}",
                    all.len(),
                    all.iter()
                        .map(|(_, m, _)| m.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            };
            let body: Vec<&str> = c.failures.iter().map(|(_, _, b)| b.as_str()).collect();
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                xml(&types.join(",")),
                xml(&message),
                xml(&body.join("\n\n"))
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

/// The testcase a finding belongs to: (country, level, criterion).
type TestcaseKey<'a> = (&'a str, Option<Level>, Option<&'a str>);

/// Findings by (country, level, criterion), the testcase each one fails.
type FindingIndex<'a> = BTreeMap<TestcaseKey<'a>, Vec<&'a Finding>>;

/// Calls `emit` with each testsuite in turn, so that only one suite's cases exist at a time
/// (a check of thousands of profiles has a testcase per cell).
fn for_each_suite(report: &CheckReport, emit: &mut dyn FnMut(&str, &[Case])) {
    let mut index: FindingIndex<'_> = BTreeMap::new();
    for f in &report.findings {
        index
            .entry((f.country.as_str(), f.level, f.criterion.as_deref()))
            .or_default()
            .push(f);
    }
    fn lookup<'a>(
        index: &FindingIndex<'a>,
        code: &'a str,
        level: Option<Level>,
        criterion: Option<&'a str>,
    ) -> Vec<&'a Finding> {
        index
            .get(&(code, level, criterion))
            .cloned()
            .unwrap_or_default()
    }
    let findings = |code, level, criterion| lookup(&index, code, level, criterion);
    // Accepted and reported findings do not fail their testcase: they go to its output.
    let mut notes: BTreeMap<TestcaseKey<'_>, Vec<String>> = BTreeMap::new();
    for a in &report.accepted {
        let f = &a.finding;
        notes
            .entry((f.country.as_str(), f.level, f.criterion.as_deref()))
            .or_default()
            .push(format!(
                "accepted [{}]: {} (reason: {}; accepted by {})",
                f.code, f.message, a.reason, a.accepted_by
            ));
    }
    for f in &report.reported {
        notes
            .entry((f.country.as_str(), f.level, f.criterion.as_deref()))
            .or_default()
            .push(format!(
                "note [{}]: {}\n  --> {}",
                f.code,
                f.message,
                diag::position(&f.file, f.loc)
            ));
    }
    let notes_for = |code, level, criterion| {
        notes
            .get(&(code, level, criterion))
            .cloned()
            .unwrap_or_default()
    };

    // Validation: one testcase per file.
    let mut files: BTreeMap<PathBuf, Vec<&Diagnostic>> = report
        .inputs
        .iter()
        .map(|f| (f.clone(), Vec::new()))
        .collect();
    for d in &report.diagnostics {
        files.entry(d.file.clone()).or_default().push(d);
    }
    let mut cases = Vec::new();
    for (file, diags) in &files {
        let mut c = Case::new("validation", diag::display_path(file));
        for d in diags {
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
    emit("validation", &cases);

    for cc in &report.countries {
        let code = cc.country.code.as_str();
        let mut overall = Case::new(code, "overall").fail_with(findings(code, None, None));
        overall.out.extend(notes_for(code, None, None));
        let mut cases = vec![overall];
        for level in Level::ALL {
            let class = format!("{code}.{level}");
            if cc.levels.get(level).is_some() || cc.cells.iter().any(|c| c.level == level) {
                let mut case =
                    Case::new(&class, "score").fail_with(findings(code, Some(level), None));
                case.out.extend(notes_for(code, Some(level), None));
                cases.push(case);
            }
            for cell in cc.cells.iter().filter(|c| c.level == level) {
                let mut case = Case::new(&class, cell.criterion).fail_with(findings(
                    code,
                    Some(level),
                    Some(cell.criterion),
                ));
                case.out.push(format!("status: {}", cell.status));
                case.out
                    .extend(notes_for(code, Some(level), Some(cell.criterion)));
                cases.push(case);
            }
        }
        emit(code, &cases);
    }
    // Countries gone since the baseline.
    for f in report
        .findings
        .iter()
        .filter(|f| f.code == crate::score::diff::FindingCode::ProfileRemoved)
    {
        emit(
            &f.country,
            &[Case::new(&f.country, "profile").fail_with([f])],
        );
    }
}

/// Writes the JUnit XML of a check to `w` as it is generated, one testsuite at a time: the
/// suites are generated twice, once to count the testcases for the header and once to
/// write them, so neither the suites nor the document are ever held whole.
pub(crate) fn write(report: &CheckReport, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (mut tests, mut failures) = (0, 0);
    for_each_suite(report, &mut |_, cases| {
        tests += cases.len();
        failures += cases.iter().filter(|c| !c.failures.is_empty()).count();
    });
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
    w.write_all(out.as_bytes())?;
    let mut result = Ok(());
    for_each_suite(report, &mut |name, cases| {
        if result.is_ok() {
            out.clear();
            suite(&mut out, name, cases);
            result = w.write_all(out.as_bytes());
        }
    });
    result?;
    w.write_all(b"</testsuites>\n")
}
