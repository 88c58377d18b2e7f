//! `frameaudit.toml`: what CI and pre-commit share about one body of data — the gates of
//! `check`, the evidence rules and the accepted regressions. Found at the root of the data
//! (the nearest `frameaudit.toml` above the paths checked) or given with `--config FILE`.
//! Strict like the other formats: an unknown key is an error with a suggestion. See
//! docs/config.md.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::rubric::{line_col, toml_error};
use super::{Limits, read_text};
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::{Date, Level, Loc};
use crate::{date, suggest};

/// The name of the file.
pub(crate) const FILE_NAME: &str = "frameaudit.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    check: Option<RawCheck>,
    #[serde(default)]
    evidence: Option<RawEvidence>,
    #[serde(default)]
    accept: Vec<Spanned<RawAccept>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    #[serde(default)]
    fail_under: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    no_coverage_drop: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvidence {
    #[serde(default)]
    max_age: Option<Spanned<u32>>,
    #[serde(default)]
    require_url: bool,
    #[serde(default)]
    fail: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccept {
    country: Spanned<String>,
    criterion: Spanned<String>,
    level: Spanned<String>,
    #[serde(default)]
    reason: Option<Spanned<String>>,
    #[serde(default)]
    until: Option<Spanned<toml::Value>>,
}

/// The evidence rules: when a cell's evidence is stale, whether sources need a URL, and
/// whether either fails the check or is only reported.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub(crate) struct EvidenceRules {
    /// A cell whose newest cited source is more than this many years older than the
    /// profile's `as_of` is stale (None: not checked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_age: Option<u32>,
    /// Whether a source with neither `url` nor a `note` saying where to find it is reported.
    pub require_url: bool,
    /// Whether stale cells and sources without a URL fail the check (else they are reported).
    pub fail: bool,
}

/// One accepted regression: a cell allowed to get worse, with the reason why.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub(crate) struct Accept {
    /// Country code, upper case.
    pub country: String,
    /// Criterion id.
    pub criterion: String,
    /// Level.
    pub level: Level,
    /// Why the regression is accepted.
    pub reason: String,
    /// The last day the entry applies (None: no end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<Date>,
    /// The config file.
    pub file: PathBuf,
    /// Where the entry is written.
    #[serde(flatten)]
    pub loc: Loc,
}

impl Accept {
    /// Whether the entry no longer applies on `today`.
    pub(crate) fn expired(&self, today: Date) -> bool {
        self.until.is_some_and(|u| u < today)
    }
}

/// A loaded `frameaudit.toml`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Config {
    /// The file.
    pub path: PathBuf,
    /// `--fail-under` thresholds, as written, with where each is written.
    pub fail_under: Vec<(String, Loc)>,
    /// Which diagnostics fail the check (None: the command line's, or errors).
    pub fail_on: Option<Severity>,
    /// With a baseline: fail when a profile's coverage falls.
    pub no_coverage_drop: bool,
    /// The evidence rules.
    pub evidence: EvidenceRules,
    /// Accepted regressions.
    pub accept: Vec<Accept>,
}

/// The nearest `frameaudit.toml` at or above the first of `paths` (a file's folder, or the
/// folder itself), if any.
pub(crate) fn find(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.first()?;
    let abs = std::path::absolute(first).ok()?;
    let start = if abs.is_dir() {
        abs
    } else {
        abs.parent()?.to_path_buf()
    };
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

const HELP: &str = "see docs/config.md for the keys of frameaudit.toml";

/// Loads and checks the config file at `path`; every problem is a located diagnostic.
pub(crate) fn load(path: &Path, limits: &Limits) -> Result<Config, Vec<Diagnostic>> {
    let text = read_text(path, limits).map_err(|d| vec![d])?;
    let raw: RawConfig = toml::from_str(&text).map_err(|e| {
        let mut d = toml_error(&e, &text, path);
        if d.help.is_none() || d.code == Code::TomlSyntax {
            d = d.help(HELP);
        }
        vec![d]
    })?;
    let at = |span: std::ops::Range<usize>| line_col(&text, span.start);
    let mut errors = Vec::new();
    let mut cfg = Config {
        path: path.to_path_buf(),
        ..Config::default()
    };
    if let Some(c) = raw.check {
        cfg.fail_under = c
            .fail_under
            .into_iter()
            .map(|s| {
                let loc = at(s.span());
                (s.into_inner(), loc)
            })
            .collect();
        cfg.no_coverage_drop = c.no_coverage_drop;
        if let Some(f) = c.fail_on {
            match f.get_ref().as_str() {
                "error" => cfg.fail_on = Some(Severity::Error),
                "warning" => cfg.fail_on = Some(Severity::Warning),
                other => errors.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        path,
                        at(f.span()),
                        format!("unknown value `{other}` for `fail_on`"),
                    )
                    .expected("`error` or `warning`")
                    .maybe_help(suggest::hint(other, ["error", "warning"])),
                ),
            }
        }
    }
    if let Some(e) = raw.evidence {
        cfg.evidence = EvidenceRules {
            max_age: e.max_age.map(Spanned::into_inner),
            require_url: e.require_url,
            fail: e.fail,
        };
    }
    for entry in raw.accept {
        let loc = at(entry.span());
        let a = entry.into_inner();
        let level = match Level::parse(a.level.get_ref()) {
            Some(l) => l,
            None => {
                errors.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        path,
                        at(a.level.span()),
                        format!("unknown level `{}`", a.level.get_ref()),
                    )
                    .expected("`law`, `policy` or `practice`")
                    .maybe_help(suggest::hint(
                        a.level.get_ref(),
                        ["law", "policy", "practice"],
                    )),
                );
                continue;
            }
        };
        let reason = a
            .reason
            .as_ref()
            .map(|r| r.get_ref().trim().to_string())
            .filter(|r| !r.is_empty());
        let Some(reason) = reason else {
            errors.push(
                Diagnostic::new(
                    Code::MissingField,
                    path,
                    a.reason.as_ref().map_or(loc, |r| at(r.span())),
                    format!(
                        "the accepted regression of {} `{}` {level} gives no reason",
                        a.country.get_ref(),
                        a.criterion.get_ref()
                    ),
                )
                .expected("`reason = \"...\"`: why this regression is accepted")
                .help("say why the cell got worse (a source re-read, a law repealed…); an accepted regression without a reason is not accepted"),
            );
            continue;
        };
        let until = match &a.until {
            None => None,
            Some(u) => {
                let written = match u.get_ref() {
                    toml::Value::Datetime(d) => d.to_string(),
                    toml::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match date::parse(written.trim()) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        errors.push(
                            Diagnostic::new(Code::BadDate, path, at(u.span()), e)
                                .expected("a date in YYYY-MM-DD form, e.g. until = 2027-06-30"),
                        );
                        continue;
                    }
                }
            }
        };
        cfg.accept.push(Accept {
            country: a.country.get_ref().trim().to_uppercase(),
            criterion: a.criterion.get_ref().trim().to_string(),
            level,
            reason,
            until,
            file: path.to_path_buf(),
            loc,
        });
    }
    if errors.is_empty() {
        Ok(cfg)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_text(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        load(&p, &Limits::default())
    }

    #[test]
    fn a_full_config_loads() {
        let c = load_text(
            "[check]\nfail_under = [\"coverage=50\"]\nfail_on = \"warning\"\nno_coverage_drop = true\n\
             [evidence]\nmax_age = 10\nrequire_url = true\n\
             [[accept]]\ncountry = \"ph\"\ncriterion = \"a.b\"\nlevel = \"law\"\nreason = \"re-read\"\nuntil = 2027-06-30\n",
        )
        .unwrap();
        assert_eq!(c.fail_under[0].0, "coverage=50");
        assert_eq!(c.fail_under[0].1.line, 2);
        assert_eq!(c.fail_on, Some(Severity::Warning));
        assert!(c.no_coverage_drop);
        assert_eq!(c.evidence.max_age, Some(10));
        let a = &c.accept[0];
        assert_eq!((a.country.as_str(), a.level), ("PH", Level::Law));
        assert_eq!(a.until, Some(date::parse("2027-06-30").unwrap()));
        assert_eq!(a.loc.line, 8);
    }

    #[test]
    fn an_unknown_key_suggests_the_right_one() {
        let e = load_text("[check]\nfail_undr = [\"60\"]\n").unwrap_err();
        assert_eq!(e[0].code, Code::UnknownField);
        assert_eq!(e[0].loc.line, 2);
        assert_eq!(e[0].help.as_deref(), Some("did you mean `fail_under`?"));
    }

    #[test]
    fn an_accepted_regression_needs_a_reason() {
        let e = load_text("[[accept]]\ncountry = \"PH\"\ncriterion = \"a.b\"\nlevel = \"law\"\n")
            .unwrap_err();
        assert_eq!(e[0].code, Code::MissingField);
        assert_eq!(e[0].loc.line, 1);
        let e = load_text(
            "[[accept]]\ncountry = \"PH\"\ncriterion = \"a.b\"\nlevel = \"law\"\nreason = \" \"\n",
        )
        .unwrap_err();
        assert_eq!(e[0].code, Code::MissingField);
    }
}
