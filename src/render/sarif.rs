//! SARIF 2.1.0 output of `frameaudit check`, for code-scanning tools (GitHub's
//! `upload-sarif`). One run; `tool.driver.rules` lists every diagnostic code and every check
//! finding code, so rule ids are the same stable codes the other formats print. Results sit
//! at the profile's file:line:column (a whole-profile finding at its `country` line, never
//! a bare line 1), relative to the source root (`SRCROOT`), and carry a
//! `partialFingerprints` hash of what they are about — never of the line, so an alert
//! survives edits above it.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::diag::{self, Code, Severity};
use crate::model::Loc;
use crate::score::diff::{CheckReport, Finding, FindingCode};

/// The `$schema` written into the log.
pub(crate) const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Every rule id, in `tool.driver.rules` order: diagnostic codes, then finding codes.
pub(crate) fn rule_ids() -> Vec<&'static str> {
    Code::ALL
        .iter()
        .map(|c| c.as_str())
        .chain(FindingCode::ALL.iter().map(|c| c.as_str()))
        .collect()
}

fn rules() -> Vec<Value> {
    let rule = |id: &str, desc: &str, level: &str| {
        json!({
            "id": id,
            "name": kebab_to_camel(id),
            "shortDescription": { "text": desc },
            "fullDescription": { "text": desc },
            "defaultConfiguration": { "level": level },
        })
    };
    let mut out: Vec<Value> = Code::ALL
        .iter()
        .map(|c| rule(c.as_str(), c.description(), level(c.severity())))
        .collect();
    out.extend(
        FindingCode::ALL
            .iter()
            .map(|c| rule(c.as_str(), c.description(), "error")),
    );
    out
}

fn kebab_to_camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A path as a relative URI reference: forward slashes, reserved characters
/// percent-encoded, relative to the current directory when under it.
pub(crate) fn uri(path: &std::path::Path) -> String {
    let rel = crate::diag::relative_to_cwd(path);
    let s = diag::display_path(&rel);
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A stable fingerprint: the first 32 hex digits of SHA-256 over the parts, NUL-separated.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    h.finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn location(file: &std::path::Path, loc: Loc) -> Value {
    // Never a made-up line 1 (code scanning would keep it as an alert on the file's first
    // line forever): findings about a whole profile sit at its `country` line; the rare
    // diagnostic about a whole file (one that cannot be read) has no region at all.
    let mut physical = json!({
        "artifactLocation": { "uri": uri(file), "uriBaseId": "SRCROOT" },
    });
    if loc.is_known() {
        physical["region"] = json!({ "startLine": loc.line, "startColumn": loc.column.max(1) });
    }
    json!({ "physicalLocation": physical })
}

/// The SARIF result of a finding.
fn finding_result(f: &Finding, level: &str, index: usize) -> Value {
    let file = diag::display_path(&f.file);
    let level_key = f.level.map(|l| l.as_str()).unwrap_or("overall");
    let criterion = f.criterion.as_deref().unwrap_or("");
    let mut props = json!({ "country": f.country, "level": level_key });
    if let Some(c) = &f.criterion {
        props["criterion"] = json!(c);
    }
    json!({
        "ruleId": f.code.as_str(),
        "ruleIndex": index,
        "level": level,
        "message": { "text": f.message },
        "locations": [location(&f.file, f.loc)],
        "partialFingerprints": {
            "frameauditFinding/v1": fingerprint(&[f.code.as_str(), &file, &f.country, criterion, level_key]),
        },
        "properties": props,
    })
}

/// The SARIF log of a check, pretty-printed with a trailing newline.
pub(crate) fn render(report: &CheckReport) -> String {
    let ids = rule_ids();
    let index = |id: &str| ids.iter().position(|r| *r == id).unwrap_or(0);
    let mut results = Vec::new();
    for d in &report.diagnostics {
        let mut text = d.message.clone();
        if let Some(e) = &d.expected {
            text.push_str(&format!(" (expected: {e})"));
        }
        if let Some(h) = &d.help {
            text.push_str(&format!(" Help: {h}"));
        }
        let file = diag::display_path(&d.file);
        results.push(json!({
            "ruleId": d.code.as_str(),
            "ruleIndex": index(d.code.as_str()),
            "level": level(d.severity),
            "message": { "text": text },
            "locations": [location(&d.file, d.loc)],
            "partialFingerprints": {
                "frameauditFinding/v1": fingerprint(&[d.code.as_str(), &file, &d.message]),
            },
        }));
    }
    for f in &report.findings {
        results.push(finding_result(f, "error", index(f.code.as_str())));
    }
    // Accepted regressions: suppressed results carrying their reason, so code scanning
    // shows them as dismissed, not as open alerts.
    for a in &report.accepted {
        let mut r = finding_result(&a.finding, "error", index(a.finding.code.as_str()));
        r["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": a.reason,
        }]);
        r["properties"]["accepted_by"] = json!(a.accepted_by);
        if let Some(u) = a.until {
            r["properties"]["until"] = json!(u.to_string());
        }
        results.push(r);
    }
    for f in &report.reported {
        results.push(finding_result(f, "note", index(f.code.as_str())));
    }
    let log = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "frameaudit",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "schema_version": report.schema_version,
                "passed": report.passed,
            },
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(
            uri(std::path::Path::new("./a b/ph#1.yaml")),
            "a%20b/ph%231.yaml"
        );
    }

    #[test]
    fn fingerprints_are_stable_and_separated() {
        assert_eq!(fingerprint(&["a", "bc"]), fingerprint(&["a", "bc"]));
        assert_ne!(fingerprint(&["ab", "c"]), fingerprint(&["a", "bc"]));
        assert_eq!(fingerprint(&["x"]).len(), 32);
    }

    #[test]
    fn every_rule_id_is_unique() {
        let ids = rule_ids();
        let set: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(set.len(), ids.len());
    }
}
