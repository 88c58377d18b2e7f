//! Profiles: the raw YAML shape (strict serde structs with locations) and the checks that
//! turn it into a validated [`Profile`] against a rubric, reporting every problem found.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, Entries, Spanned};
use super::{FORMAT_VERSION, Limits, is_valid_id};
use crate::diag::{Code, Diagnostic};
use crate::model::{
    Cell, Country, Date, Evidence, Finding, Level, Loc, Profile, Rubric, Source, SourceKind, Status,
};
use crate::{date, suggest};

mod check;
mod shape;

pub use check::*;
pub use shape::*;

/// A profile as written, before any cross-checks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    format_version: Spanned<u32>,
    country: Spanned<RawCountry>,
    rubric: Spanned<String>,
    as_of: Spanned<String>,
    #[serde(default)]
    compiled_from: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    status: Option<String>,
    sources: Vec<Spanned<RawSource>>,
    assessments: Entries<Spanned<RawAssessment>>,
    #[serde(default)]
    good_practices: Vec<Spanned<RawFinding>>,
    #[serde(default)]
    challenges: Vec<Spanned<RawFinding>>,
}

impl RawProfile {
    /// The rubric id the profile names, with its location.
    pub(crate) fn rubric(&self) -> (&str, Loc) {
        (&self.rubric.value, yaml::loc(&self.rubric))
    }

    /// The country code as written.
    pub(crate) fn country_code(&self) -> &str {
        &self.country.value.code.value
    }

    /// Where the country code is written.
    pub(crate) fn country_code_loc(&self) -> Loc {
        yaml::loc(&self.country.value.code)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCountry {
    code: Spanned<String>,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    id: Spanned<String>,
    title: String,
    /// Checked in [`check`], so a misspelt kind is reported with every other problem.
    kind: Spanned<String>,
    #[serde(default)]
    year: Option<Spanned<i32>>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAssessment {
    #[serde(default)]
    law: Option<Spanned<RawCell>>,
    #[serde(default)]
    policy: Option<Spanned<RawCell>>,
    #[serde(default)]
    practice: Option<Spanned<RawCell>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCell {
    /// Checked in [`check`], so a misspelt status is reported with every other problem.
    status: Spanned<String>,
    #[serde(default)]
    evidence: Vec<Spanned<String>>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFinding {
    text: String,
    #[serde(default)]
    criteria: Vec<Spanned<String>>,
    #[serde(default)]
    evidence: Vec<Spanned<String>>,
}

/// Parses a profile's text into its raw shape.
pub fn parse(text: &str, file: &Path, limits: &Limits) -> Result<RawProfile, Diagnostic> {
    yaml::parse(text, file, limits)
}

/// The shape read on the quick path ([`parse_quick`]): the keys of [`RawProfile`], with a
/// location kept only where a valid profile keeps one (the country, each source, each cell's
/// status). Locating every key, cell and citation is most of the cost of a located parse,
/// and only diagnostics need those locations.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickProfile {
    format_version: Spanned<u32>,
    country: Spanned<RawCountry>,
    rubric: Spanned<String>,
    as_of: Spanned<String>,
    #[serde(default)]
    compiled_from: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    status: Option<String>,
    sources: Vec<Spanned<RawSource>>,
    assessments: QuickEntries,
    #[serde(default)]
    good_practices: Vec<QuickFinding>,
    #[serde(default)]
    challenges: Vec<QuickFinding>,
}

/// The assessments mapping in file order, keys unlocated.
#[derive(Debug)]
struct QuickEntries(Vec<(String, QuickAssessment)>);

impl<'de> Deserialize<'de> for QuickEntries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = QuickEntries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    out.push((k, map.next_value()?));
                }
                Ok(QuickEntries(out))
            }
        }
        d.deserialize_map(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickAssessment {
    #[serde(default)]
    law: Option<QuickCell>,
    #[serde(default)]
    policy: Option<QuickCell>,
    #[serde(default)]
    practice: Option<QuickCell>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickCell {
    status: Spanned<String>,
    #[serde(default)]
    evidence: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuickFinding {
    text: String,
    #[serde(default)]
    criteria: Vec<String>,
    #[serde(default)]
    evidence: Vec<String>,
}

impl QuickProfile {
    /// The raw profile, with no location where the quick shape kept none.
    fn into_raw(self) -> RawProfile {
        let list = |v: Vec<String>| v.into_iter().map(yaml::unlocated).collect();
        let cell = |c: Option<QuickCell>| {
            c.map(|c| {
                yaml::unlocated(RawCell {
                    status: c.status,
                    evidence: list(c.evidence),
                    note: c.note,
                })
            })
        };
        let finding = |f: QuickFinding| {
            yaml::unlocated(RawFinding {
                text: f.text,
                criteria: list(f.criteria),
                evidence: list(f.evidence),
            })
        };
        RawProfile {
            format_version: self.format_version,
            country: self.country,
            rubric: self.rubric,
            as_of: self.as_of,
            compiled_from: self.compiled_from,
            summary: self.summary,
            status: self.status,
            sources: self.sources,
            assessments: Entries(
                self.assessments
                    .0
                    .into_iter()
                    .map(|(k, a)| {
                        let a = RawAssessment {
                            law: cell(a.law),
                            policy: cell(a.policy),
                            practice: cell(a.practice),
                        };
                        (yaml::unlocated(k), yaml::unlocated(a))
                    })
                    .collect(),
            ),
            good_practices: self.good_practices.into_iter().map(finding).collect(),
            challenges: self.challenges.into_iter().map(finding).collect(),
        }
    }
}

/// Parses a profile's text the quick way: the same keys, values and budgets as [`parse`],
/// but with most locations left unknown (the country's, the sources' and the statuses' are
/// kept: a valid profile stores them). None when the text does not parse so. The result is
/// only for a profile that then checks with no diagnostic at all — every diagnostic needs
/// its location, so a profile with any problem is parsed again with [`parse`] and
/// checked again, and reports exactly what it would have.
pub(crate) fn parse_quick(text: &str, limits: &Limits) -> Option<RawProfile> {
    yaml::parse_quiet::<QuickProfile>(text, limits).map(QuickProfile::into_raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quick parse reads what the located parse reads: over every YAML file of the
    /// test fixtures and the bundled data, wherever the quick parse succeeds the located
    /// one does too, and checking either gives the same profile and the same diagnostics
    /// but for their locations. (`load_profile` uses the quick result only when checking
    /// it reports nothing.)
    #[test]
    fn the_quick_parse_reads_what_the_located_parse_reads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let limits = Limits::default();
        let mut ds = Vec::new();
        let rubric = crate::load::rubric::load(
            &root.join("rubrics/acwc-victim-assistance.toml"),
            &limits,
            &mut ds,
        )
        .expect("bundled rubric");
        let today = crate::date::parse("2026-11-30").expect("date");
        let (mut quick_ok, mut valid) = (0, 0);
        for dir in ["tests/fixtures", "frameworks"] {
            for e in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
                let e = e.expect("walk");
                let p = e.path();
                if p.extension().is_none_or(|x| x != "yaml") {
                    continue;
                }
                let Ok(text) = crate::load::read_text(p, &limits) else {
                    continue;
                };
                let Some(quick) = parse_quick(&text, &limits) else {
                    continue;
                };
                quick_ok += 1;
                let full = parse(&text, p, &limits).unwrap_or_else(|d| {
                    panic!(
                        "{}: quick parse ok, located parse failed: {d:?}",
                        p.display()
                    )
                });
                let (mut dq, mut df) = (Vec::new(), Vec::new());
                let pq = check(quick, p, Some(&rubric), today, &mut dq);
                let pf = check(full, p, Some(&rubric), today, &mut df);
                valid += usize::from(pf.is_some() && df.is_empty());
                assert_eq!(pq, pf, "{}", p.display());
                let words = |d: &Vec<Diagnostic>| {
                    d.iter()
                        .map(|d| (d.code, d.message.clone()))
                        .collect::<Vec<_>>()
                };
                assert_eq!(words(&dq), words(&df), "{}", p.display());
            }
        }
        // The comparison must have covered valid profiles and profiles with problems.
        assert!(valid >= 11, "{valid}");
        assert!(quick_ok > valid + 20, "{quick_ok} {valid}");
    }

    /// A stray key at any line and indentation of a valid profile: reading what can be
    /// read never panics, always reports the problem, and a salvaged profile keeps every
    /// other cell.
    #[test]
    fn salvaging_never_panics_and_keeps_the_rest() {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate/ok/xa.yaml"),
        )
        .unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let limits = Limits::default();
        let mut salvaged = 0;
        for i in 0..=lines.len() {
            for indent in [0, 2, 4, 6, 8] {
                let mut l = lines.clone();
                let stray = format!("{}bogus: 1", " ".repeat(indent));
                l.insert(i, &stray);
                let t = l.join("\n");
                match parse_salvaged(&t, Path::new("xa.yaml"), &limits) {
                    Ok(_) => {}
                    Err((ds, raw)) => {
                        assert!(!ds.is_empty());
                        if let Some(raw) = raw {
                            salvaged += 1;
                            assert_eq!(raw.assessments.0.len(), 3, "{t}");
                        }
                    }
                }
            }
        }
        assert!(salvaged > 20, "{salvaged}");
    }

    /// A profile skeleton with an unknown key `zzz` placed in the mapping of `shape`.
    fn with_unknown_key(shape: Shape) -> String {
        let (country, source, assessment, cell, finding, top) = match shape {
            Shape::Top => ("", "", "", "", "", "zzz: 1\n"),
            Shape::Country => (", zzz: 1", "", "", "", "", ""),
            Shape::Source => ("", "\n    zzz: 1", "", "", "", ""),
            Shape::Assessment => ("", "", "\n    zzz: 1", "", "", ""),
            Shape::Cell => ("", "", "", ", zzz: 1", "", ""),
            Shape::Finding => ("", "", "", "", ", zzz: 1", ""),
        };
        format!(
            "format_version: 1\ncountry: {{ code: XA, name: X{country} }}\nrubric: r\nas_of: 2024-01-01\n\
             sources:\n  - id: s\n    title: t\n    kind: law{source}\n\
             assessments:\n  c.x:\n    law: {{ status: full, evidence: [s]{cell} }}{assessment}\n\
             good_practices:\n  - {{ text: t{finding} }}\n{top}"
        )
    }

    #[test]
    fn shape_keys_match_the_structs() {
        let limits = Limits::default();
        for shape in [
            Shape::Top,
            Shape::Country,
            Shape::Source,
            Shape::Assessment,
            Shape::Cell,
            Shape::Finding,
        ] {
            let text = with_unknown_key(shape);
            let d = parse(&text, Path::new("xa.yaml"), &limits).expect_err(&text);
            assert_eq!(d.code, Code::UnknownField, "{text}");
            assert_eq!(
                d.expected,
                Some(format!(
                    "one of {}",
                    suggest::join_quoted(&shape.keys(), "or")
                )),
                "the struct's fields and Shape::keys differ for:\n{text}"
            );
            let all = parse_all(&text, Path::new("xa.yaml"), &limits).expect_err("invalid");
            assert_eq!(all.len(), 1, "{all:?}");
            assert_eq!(all[0].loc, d.loc);
        }
    }

    const SHAPES: [Shape; 6] = [
        Shape::Top,
        Shape::Country,
        Shape::Source,
        Shape::Assessment,
        Shape::Cell,
        Shape::Finding,
    ];

    /// A profile in flow style with every key of every mapping, less `omit`.
    fn full_profile_without(omit: (Shape, &str)) -> String {
        full_profile((omit.0, omit.1, None))
    }

    /// A profile in flow style with every key of every mapping, the value of `key` in the
    /// mappings of `shape` replaced (`Some`) or the key left out (`None`).
    fn full_profile((at, key, value): (Shape, &str, Option<&str>)) -> String {
        let map = |shape: Shape, pairs: &[(&str, &str)]| -> String {
            let kept: Vec<String> = pairs
                .iter()
                .filter_map(|&(k, v)| match value {
                    _ if (shape, k) != (at, key) => Some(format!("{k}: {v}")),
                    Some(other) => Some(format!("{k}: {other}")),
                    None => None,
                })
                .collect();
            format!("{{ {} }}", kept.join(", "))
        };
        let cell = map(
            Shape::Cell,
            &[("status", "full"), ("evidence", "[s]"), ("note", "n")],
        );
        let assessment = map(
            Shape::Assessment,
            &[("law", &cell), ("policy", &cell), ("practice", &cell)],
        );
        let finding = map(
            Shape::Finding,
            &[("text", "t"), ("criteria", "[c.x]"), ("evidence", "[s]")],
        );
        let source = map(
            Shape::Source,
            &[
                ("id", "s"),
                ("title", "t"),
                ("kind", "law"),
                ("year", "2020"),
                ("publisher", "p"),
                ("url", "u"),
                ("note", "n"),
            ],
        );
        let country = map(Shape::Country, &[("code", "XA"), ("name", "X")]);
        let sources = format!("[{source}]");
        let assessments = format!("{{ c.x: {assessment} }}");
        let findings = format!("[{finding}]");
        map(
            Shape::Top,
            &[
                ("format_version", "1"),
                ("country", &country),
                ("rubric", "r"),
                ("as_of", "2024-01-01"),
                ("compiled_from", "c"),
                ("summary", "s"),
                ("status", "st"),
                ("sources", &sources),
                ("assessments", &assessments),
                ("good_practices", &findings),
                ("challenges", &findings),
            ],
        ) + "\n"
    }

    #[test]
    fn shape_required_keys_match_the_structs() {
        let limits = Limits::default();
        let file = Path::new("xa.yaml");
        assert!(parse(&full_profile_without((Shape::Top, "")), file, &limits).is_ok());
        for shape in SHAPES {
            for Field(key, required, _) in shape.fields() {
                let (key, required) = (*key, *required);
                let text = full_profile_without((shape, key));
                match parse(&text, file, &limits) {
                    Ok(_) => assert!(!required, "{shape:?}: the struct does not require `{key}`"),
                    Err(d) => {
                        assert!(required, "{shape:?}: the struct requires `{key}`: {d:?}");
                        assert_eq!(d.code, Code::MissingField);
                        // parse_all reports it too (once per mapping that lacks it: the
                        // sample repeats the cell and the finding), at each mapping's start.
                        let all = parse_all(&text, file, &limits).expect_err("invalid");
                        assert!(!all.is_empty());
                        for x in &all {
                            assert_eq!(x.message, d.message, "{all:?}");
                            assert_ne!(x.loc, Loc::default());
                        }
                    }
                }
            }
        }
    }

    /// For every key whose value the walk checks, a value of the wrong kind: the backend's
    /// error is found by the walk itself, in the same words at the same place.
    #[test]
    fn the_walk_reports_a_misshapen_value_as_the_backend_does() {
        let limits = Limits::default();
        let file = Path::new("xa.yaml");
        let mut checked = 0;
        for shape in SHAPES {
            for Field(key, _, want) in shape.fields() {
                let key = *key;
                let wrong = match want {
                    Want::Any => continue,
                    Want::Text => "[x]",
                    Want::TextList | Want::Map(_) | Want::Entries(_) => "x",
                    Want::List(_) => "{ a: b }",
                };
                let text = full_profile((shape, key, Some(wrong)));
                let d = parse(&text, file, &limits).expect_err(&text);
                let tree = yaml::tree(&text, &limits).expect("a tree");
                let mut walk = Vec::new();
                key_problems(&text, &tree, Shape::Top, Loc::new(1, 1), file, &mut walk);
                assert!(
                    walk.iter()
                        .any(|x| (x.code, x.loc, &x.message) == (d.code, d.loc, &d.message)),
                    "{shape:?}.{key} = {wrong}: the backend says {d:?}, the walk {walk:?}"
                );
                assert!(
                    walk.iter().all(|x| x.message == d.message),
                    "{shape:?}.{key} = {wrong}:\n{text}\n{walk:?}"
                );
                checked += 1;
            }
        }
        assert!(checked >= 20, "only {checked} keys checked");
    }

    #[test]
    fn text_where_a_number_belongs_is_named_with_its_value() {
        let limits = Limits::default();
        let file = Path::new("xa.yaml");
        for (at, key, value, message) in [
            (
                Shape::Top,
                "format_version",
                "one",
                "`one` is not a whole number, 0 or more",
            ),
            (
                Shape::Source,
                "year",
                "2020a",
                "`2020a` is not a whole number",
            ),
        ] {
            let text = full_profile((at, key, Some(value)));
            let all = parse_all(&text, file, &limits).expect_err("invalid");
            assert_eq!(all.len(), 1, "{all:?}");
            assert_eq!(all[0].code, Code::InvalidValue);
            assert_eq!(all[0].message, message);
            assert!(
                all[0]
                    .expected
                    .as_deref()
                    .unwrap()
                    .starts_with("a whole number")
            );
        }
    }

    #[test]
    fn every_misshapen_value_is_reported_with_the_other_problems() {
        let text = "format_version: 1\ncountry: XA\nrubric: [r]\nas_of: 2024-01-01\n\
                    sources: { a: b }\nassessments:\n  c.x:\n    law: { status: full, evidence: s }\n\
                    sumary: s\n";
        let all = parse_all(text, Path::new("xa.yaml"), &Limits::default()).expect_err("invalid");
        let found: Vec<(&str, u32, u32)> = all
            .iter()
            .map(|d| (d.message.as_str(), d.loc.line, d.loc.column))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "found a single value where a mapping (`key: value` lines) belongs",
                    2,
                    10
                ),
                ("found a list where a single value (text) belongs", 3, 9),
                (
                    "found a mapping where a list (`- item` lines or `[a, b]`) belongs",
                    5,
                    10
                ),
                (
                    "found a single value where a list (`- item` lines or `[a, b]`) belongs",
                    8,
                    36
                ),
                ("unknown field `sumary`", 9, 1),
            ]
        );
    }

    #[test]
    fn every_missing_and_unknown_key_is_reported_at_once() {
        let text = "# a profile missing three keys\nformat_version: 1\ncountry: { code: XA }\n\
                    rubric: r\nsorces: []\nassessments:\n  c.x:\n    law: { evidence: [s] }\n";
        let all = parse_all(text, Path::new("xa.yaml"), &Limits::default()).expect_err("invalid");
        let found: Vec<(String, u32, u32)> = all
            .iter()
            .map(|d| (d.message.clone(), d.loc.line, d.loc.column))
            .collect();
        assert_eq!(
            found,
            [
                ("missing field `as_of`".to_string(), 2, 1),
                // `sources` is missing too, but `sorces` is reported with the suggestion.
                ("missing field `name`".to_string(), 3, 12),
                ("unknown field `sorces`".to_string(), 5, 1),
                ("missing field `status`".to_string(), 8, 12),
            ]
        );
    }

    #[test]
    fn every_unknown_key_is_reported() {
        let text = with_unknown_key(Shape::Cell).replace("name: X", "nmae: X") + "sorces: []\n";
        let all = parse_all(&text, Path::new("xa.yaml"), &Limits::default()).expect_err("invalid");
        let found: Vec<&str> = all.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            found,
            [
                "unknown field `nmae`",
                "unknown field `zzz`",
                "unknown field `sorces`"
            ]
        );
        assert_eq!(all[0].help.as_deref(), Some("did you mean `name`?"));
    }
}
