//! Diagnostics: typed findings about input files, each with a stable code, a severity, a
//! location, what was expected and a suggested fix. Every command and every output format
//! uses these same codes (docs/diagnostics.md lists them).

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::model::Loc;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used as it is.
    Error,
    /// The file can be used, but something is probably wrong or incomplete.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $sev:ident, $desc:literal; )*) => {
        /// The stable code of a diagnostic. Codes never change meaning; new ones may be added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( #[doc = $desc] $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written in output (`unknown-criterion`).
            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            /// The default severity of the code.
            pub fn severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$sev, )* }
            }

            /// A one-line description of what the code means.
            pub fn description(self) -> &'static str {
                match self { $( Code::$variant => $desc, )* }
            }
        }
    };
}

codes! {
    Io = "io", Error, "A file or directory could not be read (missing, unreadable, not a regular file).";
    InvalidUtf8 = "invalid-utf8", Error, "A file is not valid UTF-8 text (binary or another encoding).";
    EmptyFile = "empty-file", Error, "A file holds no document.";
    ResourceLimit = "resource-limit", Error, "A file exceeds a resource limit (size, depth, aliases, nodes).";
    YamlSyntax = "yaml-syntax", Error, "A YAML file is not well-formed YAML.";
    TomlSyntax = "toml-syntax", Error, "A TOML file is not well-formed TOML.";
    MultipleDocuments = "multiple-documents", Error, "A YAML file holds more than one document.";
    UnknownField = "unknown-field", Error, "A key that the format does not define (often a misspelling).";
    MissingField = "missing-field", Error, "A required key is absent.";
    DuplicateKey = "duplicate-key", Error, "A key appears twice in the same mapping.";
    InvalidValue = "invalid-value", Error, "A value has the wrong type or is not one of the allowed values.";
    UnsupportedVersion = "unsupported-version", Error, "The file's format_version is not one this frameaudit reads.";
    BadDate = "bad-date", Error, "A date is not a real YYYY-MM-DD date, or lies in the future.";
    BadId = "bad-id", Error, "An id does not follow the id syntax ([a-z0-9] then [a-z0-9._-]).";
    BadCountry = "bad-country", Error, "A country code is not two letters, or does not match the file name.";
    DuplicateId = "duplicate-id", Error, "Two sources, criteria, principles, types or members share an id.";
    UnknownCriterion = "unknown-criterion", Error, "A criterion id that the rubric does not define.";
    LevelNotApplicable = "level-not-applicable", Error, "A cell at a level the criterion does not apply to.";
    UnknownSource = "unknown-source", Error, "Evidence cites a source id that the profile does not list.";
    MissingEvidence = "missing-evidence", Error, "A status other than unknown cites no evidence.";
    MissingNote = "missing-note", Error, "A not_applicable or unknown cell has no note saying why.";
    RubricMismatch = "rubric-mismatch", Error, "A profile is scored against a rubric it neither names nor is extended by.";
    RubricNotFound = "rubric-not-found", Error, "The rubric a profile or region names cannot be found.";
    UnknownPrinciple = "unknown-principle", Error, "A criterion names a principle the rubric does not define.";
    UnknownAssistanceType = "unknown-assistance-type", Error, "A criterion names a type of assistance the rubric does not define.";
    BadWeight = "bad-weight", Error, "A weight or point value is not a finite number in range (weights > 0).";
    BadBands = "bad-bands", Error, "Rating bands are not strictly descending, or the last does not start at 0.";
    BadExtends = "bad-extends", Error, "A rubric extension names a base that is missing, circular or does not match.";
    UnassessedCriterion = "unassessed-criterion", Warning, "A criterion or level of the rubric that the profile does not assess (scored as unknown).";
    UnusedSource = "unused-source", Warning, "A listed source that no evidence cites.";
    EmptyCategory = "empty-category", Warning, "A principle or type of assistance with no criterion.";
    MissingProfile = "missing-profile", Warning, "A region member without a profile.";
    NotAMember = "not-a-member", Warning, "A profile for a country that is not a member of the region beside it (left out of `compare`).";
    NoInput = "no-input", Error, "A path holds no profile, region or rubric file.";
    UnusedAccept = "unused-accept", Warning, "An `[[accept]]` entry of frameaudit.toml that matches no regression against the baseline.";
    ExpiredAccept = "expired-accept", Warning, "An `[[accept]]` entry of frameaudit.toml past its `until` date: it no longer applies.";
}

/// One diagnostic about one file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Diagnostic {
    /// The file concerned, as the user named it.
    pub file: PathBuf,
    /// Where in the file (0:0 when the whole file is concerned).
    #[serde(flatten)]
    pub loc: Loc,
    /// Error or warning.
    pub severity: Severity,
    /// The stable code.
    #[serde(serialize_with = "ser_code")]
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What was expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn ser_code<S: serde::Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Diagnostic {
    /// A diagnostic with the code's default severity.
    pub(crate) fn new(
        code: Code,
        file: impl AsRef<Path>,
        loc: Loc,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.as_ref().to_path_buf(),
            loc,
            severity: code.severity(),
            code,
            message: message.into(),
            expected: None,
            help: None,
        }
    }

    /// Adds what was expected.
    pub(crate) fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Adds a suggested fix.
    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a suggested fix if there is one.
    pub(crate) fn maybe_help(mut self, help: Option<String>) -> Self {
        if help.is_some() {
            self.help = help;
        }
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` (or `file` when the location is unknown).
    pub(crate) fn position(&self) -> String {
        position(&self.file, self.loc)
    }

    /// Renders the diagnostic for a human, rustc-style, over several lines.
    pub fn render_human(&self) -> String {
        let mut out = format!(
            "{}[{}]: {}\n  --> {}\n",
            self.severity.as_str(),
            self.code,
            self.message,
            self.position()
        );
        if let Some(e) = &self.expected {
            let _ = writeln!(out, "   = expected: {e}");
        }
        if let Some(h) = &self.help {
            let _ = writeln!(out, "   = help: {h}");
        }
        out
    }
}

/// `file:line:col` as shown to users (or `file` when the location is unknown).
pub(crate) fn position(file: &Path, loc: Loc) -> String {
    let file = display_path(file);
    if loc.is_known() {
        format!("{file}:{}:{}", loc.line, loc.column)
    } else {
        file
    }
}

/// A path as shown to users: forward slashes, no leading `./`.
pub(crate) fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// `path` relative to the current directory when inside it, for shorter messages.
pub(crate) fn relative_to_cwd(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(&cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
}

/// Counts of errors and warnings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Tally {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
}

impl Tally {
    /// Counts the diagnostics.
    pub(crate) fn of<'a>(diags: impl IntoIterator<Item = &'a Diagnostic>) -> Tally {
        let mut t = Tally::default();
        for d in diags {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
            }
        }
        t
    }
}

/// "1 file" / "3 files".
pub(crate) fn plural(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The summary line: "10 files, 0 errors, 3 warnings".
pub(crate) fn summary_line(files: usize, tally: Tally) -> String {
    format!(
        "{}, {}, {}",
        plural(files, "file", "files"),
        plural(tally.errors, "error", "errors"),
        plural(tally.warnings, "warning", "warnings")
    )
}

/// Sorts diagnostics by file, then position, then code, for deterministic output.
pub(crate) fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.file, a.loc, a.code, &a.message).cmp(&(&b.file, b.loc, b.code, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "duplicate code {}", c.as_str());
            assert!(
                c.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-'),
                "{} is not kebab-case",
                c.as_str()
            );
            assert!(c.description().ends_with('.'));
        }
    }

    #[test]
    fn summary_line_pluralises() {
        let t = Tally {
            errors: 1,
            warnings: 3,
        };
        assert_eq!(summary_line(10, t), "10 files, 1 error, 3 warnings");
        assert_eq!(
            summary_line(1, Tally::default()),
            "1 file, 0 errors, 0 warnings"
        );
    }

    #[test]
    fn human_rendering_has_position_expected_and_help() {
        let d = Diagnostic::new(
            Code::UnknownCriterion,
            "./frameworks/asean/ph.yaml",
            Loc::new(12, 3),
            "unknown criterion `shelter.unconditonal`",
        )
        .expected("a criterion id of rubric `acwc-victim-assistance`")
        .help("did you mean `shelter.unconditional`?");
        assert_eq!(
            d.render_human(),
            "error[unknown-criterion]: unknown criterion `shelter.unconditonal`\n  --> frameworks/asean/ph.yaml:12:3\n   = expected: a criterion id of rubric `acwc-victim-assistance`\n   = help: did you mean `shelter.unconditional`?\n"
        );
    }
}
