//! The JSON Schema (draft-07) of the profile and region file formats, for editor completion
//! and validation (`frameaudit schema`, committed as `schema/*.schema.json`).
//!
//! It is generated with schemars from mirror types of the loader's raw serde structs, which
//! are private to `load`. The tests below keep the two in step through the loader itself:
//! every object of the schema must list exactly the keys the loader accepts (an unknown key
//! makes the loader name the keys it expected), and exactly the keys whose absence the
//! loader reports as `missing-field` must be `required`.

use std::collections::BTreeMap;

use schemars::JsonSchema;

/// Id syntax (see `load::is_valid_id`).
const ID: &str = "^[a-z0-9][a-z0-9._-]*$";

/// A country profile: what a state provides in law, in policy and in practice for each
/// criterion of a rubric, each claim citing a source.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "frameaudit profile")]
#[allow(dead_code)]
struct Profile {
    /// Version of the profile format; this frameaudit reads 1.
    #[schemars(range(min = 1, max = 1))]
    format_version: u32,
    /// The country: ISO 3166-1 alpha-2 code (upper case, matching the file name) and name.
    country: Country,
    /// Id of the rubric this profile answers, e.g. `acwc-victim-assistance`.
    #[schemars(regex(pattern = ID))]
    rubric: String,
    /// The date the assessment describes (YYYY-MM-DD), today or earlier.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    as_of: String,
    /// What the profile was compiled from.
    #[serde(default)]
    compiled_from: Option<String>,
    /// A summary paragraph.
    #[serde(default)]
    summary: Option<String>,
    /// The status of the assessment, shown in every report of it (e.g. "a starting
    /// assessment compiled from public sources, for expert review").
    #[serde(default)]
    status: Option<String>,
    /// The sources the profile cites.
    sources: Vec<Source>,
    /// Criterion id → the cells at each level it applies to.
    #[schemars(extend("propertyNames" = { "pattern": ID }))]
    assessments: BTreeMap<String, Assessment>,
    /// Good common practices.
    #[serde(default)]
    good_practices: Vec<Finding>,
    /// Challenges.
    #[serde(default)]
    challenges: Vec<Finding>,
}

/// A country: code and name.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Country {
    /// ISO 3166-1 alpha-2, upper case (`PH`); the file is named after it in lower case.
    #[schemars(regex(pattern = "^[A-Z]{2}$"))]
    code: String,
    /// The name used in reports.
    name: String,
}

/// The kind of a source.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum SourceKind {
    /// A statute, decree or other binding legal instrument.
    Law,
    /// A policy, plan, guideline, procedure or agreement.
    Policy,
    /// A report, study or news item describing practice.
    Report,
    /// Anything else.
    Other,
}

/// A source the profile cites.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Source {
    /// Id used in evidence strings.
    #[schemars(regex(pattern = ID))]
    id: String,
    /// Full title (a law with its number and year).
    title: String,
    /// What kind of source it is.
    kind: SourceKind,
    /// Year of publication or enactment.
    #[serde(default)]
    #[schemars(range(min = 1800))]
    year: Option<i32>,
    /// Publisher or issuing body.
    #[serde(default)]
    publisher: Option<String>,
    /// Where it can be found.
    #[serde(default)]
    url: Option<String>,
    /// A remark.
    #[serde(default)]
    note: Option<String>,
}

/// One criterion at the levels it applies to.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Assessment {
    /// In law.
    #[serde(default)]
    law: Option<Cell>,
    /// In policy.
    #[serde(default)]
    policy: Option<Cell>,
    /// In practice.
    #[serde(default)]
    practice: Option<Cell>,
}

/// The status of a cell.
#[derive(JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(dead_code)]
enum Status {
    /// Provided fully (1 point by default).
    Full,
    /// Provided in part (0.5 points by default).
    Partial,
    /// Not provided (0 points).
    None,
    /// No evidence found either way (0 points; needs a note).
    Unknown,
    /// Does not apply to this state (left out of the score; needs a note).
    NotApplicable,
}

/// One assessed cell: a criterion at a level.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Cell {
    /// The status.
    status: Status,
    /// Citations, `<source id>[ <pinpoint>]`, e.g. `ra9208 s.23`; required unless unknown.
    #[serde(default)]
    evidence: Vec<Evidence>,
    /// Plain-words note; required for unknown and not_applicable.
    #[serde(default)]
    note: Option<String>,
}

/// An evidence citation: a source id, then optionally a pinpoint.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)]
struct Evidence(#[schemars(regex(pattern = r"^\s*[a-z0-9][a-z0-9._-]*(\s.*)?$"))] String);

/// A good practice or a challenge.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Finding {
    /// What it is, in plain words.
    text: String,
    /// Criteria it concerns.
    #[serde(default)]
    criteria: Vec<CriterionId>,
    /// Citations, `<source id>[ <pinpoint>]`.
    #[serde(default)]
    evidence: Vec<Evidence>,
}

/// A criterion id of the rubric.
#[derive(JsonSchema)]
#[schemars(transparent)]
#[allow(dead_code)]
struct CriterionId(#[schemars(regex(pattern = ID))] String);

/// A region file (`region.yaml`): the region, the rubric its profiles answer and its
/// member states.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, title = "frameaudit region")]
#[allow(dead_code)]
struct Region {
    /// Version of the region format; this frameaudit reads 1.
    #[schemars(range(min = 1, max = 1))]
    format_version: u32,
    /// The region's id and name.
    region: RegionId,
    /// Id of the rubric member profiles answer.
    #[schemars(regex(pattern = ID))]
    rubric: String,
    /// The status of the region's data, shown in every report and comparison of it (e.g. "a
    /// starting assessment compiled from public sources, for expert review").
    #[serde(default)]
    status: Option<String>,
    /// Member states, each with a profile `<code in lower case>.yaml` beside region.yaml.
    members: Vec<Member>,
}

/// A region's id and name.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct RegionId {
    /// Stable id (`asean`).
    #[schemars(regex(pattern = ID))]
    id: String,
    /// Name.
    name: String,
}

/// A member state.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields)]
#[allow(dead_code)]
struct Member {
    /// ISO 3166-1 alpha-2, upper case.
    #[schemars(regex(pattern = "^[A-Z]{2}$"))]
    code: String,
    /// Name.
    name: String,
    /// The date the state joined the region (YYYY-MM-DD); without it, a member from the
    /// start. `compare --as-of DATE` counts the members on DATE.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    joined: Option<String>,
}

fn generate<T: JsonSchema>() -> String {
    let schema = schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<T>();
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of profiles, pretty-printed with a trailing newline.
pub(crate) fn profile_json() -> String {
    generate::<Profile>()
}

/// The JSON Schema of region files, pretty-printed with a trailing newline.
pub(crate) fn region_json() -> String {
    generate::<Region>()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use serde_json::{Value, json};

    use super::*;
    use crate::diag::{Code, Diagnostic};
    use crate::load::{Limits, profile, region};
    use crate::model::{SourceKind as ModelKind, Status as ModelStatus};

    fn sample_profile() -> Value {
        json!({
            "format_version": 1,
            "country": { "code": "XX", "name": "Testland" },
            "rubric": "r",
            "as_of": "2024-01-01",
            "compiled_from": "c",
            "summary": "s",
            "status": "st",
            "sources": [{ "id": "s1", "title": "T", "kind": "law", "year": 2000,
                          "publisher": "P", "url": "U", "note": "N" }],
            "assessments": { "a.b": {
                "law": { "status": "full", "evidence": ["s1 art.1"], "note": "n" },
                "policy": { "status": "unknown", "note": "n" },
                "practice": { "status": "none", "evidence": ["s1"] } } },
            "good_practices": [{ "text": "t", "criteria": ["a.b"], "evidence": ["s1"] }],
            "challenges": [{ "text": "t", "criteria": ["a.b"], "evidence": ["s1"] }]
        })
    }

    fn sample_region() -> Value {
        json!({
            "format_version": 1,
            "region": { "id": "x", "name": "X" },
            "rubric": "r",
            "status": "s",
            "members": [{ "code": "XX", "name": "Testland", "joined": "1999-04-30" }]
        })
    }

    fn parse_profile(v: &Value) -> Option<Diagnostic> {
        // JSON is YAML: the loader's own parser reads it.
        profile::parse(&v.to_string(), Path::new("xx.yaml"), &Limits::default()).err()
    }

    fn parse_region(v: &Value) -> Option<Diagnostic> {
        let mut out = Vec::new();
        region::load(
            &v.to_string(),
            Path::new("region.yaml"),
            &Limits::default(),
            &mut out,
        );
        out.into_iter().find(|d| d.is_error())
    }

    /// The object schema `name` (a definition, or the root when `None`).
    fn object<'a>(root: &'a Value, name: Option<&str>) -> &'a Value {
        match name {
            Some(n) => &root["definitions"][n],
            None => root,
        }
    }

    fn keys(v: &Value) -> BTreeSet<String> {
        v.as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn backticked(s: &str) -> BTreeSet<String> {
        s.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    /// For each (instance pointer, schema definition): the schema's properties are exactly
    /// the keys the loader accepts, and its `required` exactly the keys it demands.
    fn agree(
        schema: &str,
        sample: Value,
        objects: &[(&str, Option<&str>)],
        parse: fn(&Value) -> Option<Diagnostic>,
    ) {
        let root: Value = serde_json::from_str(schema).unwrap();
        assert_eq!(root["$schema"], "http://json-schema.org/draft-07/schema#");
        assert!(
            parse(&sample).is_none(),
            "the sample loads: {:?}",
            parse(&sample)
        );
        for (ptr, def) in objects {
            let obj = object(&root, *def);
            let props = keys(&obj["properties"]);
            assert!(!props.is_empty(), "{def:?} has properties");
            assert_eq!(
                obj["additionalProperties"], false,
                "{def:?} denies unknown keys"
            );
            let required: BTreeSet<String> = obj["required"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();

            let mut v = sample.clone();
            v.pointer_mut(ptr).unwrap()["zz_unknown"] = json!(1);
            let d = parse(&v).expect("an unknown key is an error");
            assert_eq!(d.code, Code::UnknownField, "{ptr}: {d:?}");
            let expected = backticked(d.expected.as_deref().unwrap_or_default());
            assert_eq!(
                props, expected,
                "schema object {def:?} and the loader disagree on the keys at `{ptr}`; update src/schema.rs, then run `cargo run -- schema > schema/profile.schema.json`"
            );

            for key in &props {
                let mut v = sample.clone();
                v.pointer_mut(ptr)
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove(key);
                let missing = parse(&v).is_some_and(|d| d.code == Code::MissingField);
                assert_eq!(
                    missing,
                    required.contains(key),
                    "`{ptr}/{key}`: loader requires it = {missing}, schema requires it = {}",
                    required.contains(key)
                );
            }
        }
    }

    #[test]
    fn profile_schema_agrees_with_the_loader() {
        agree(
            &profile_json(),
            sample_profile(),
            &[
                ("", None),
                ("/country", Some("Country")),
                ("/sources/0", Some("Source")),
                ("/assessments/a.b", Some("Assessment")),
                ("/assessments/a.b/law", Some("Cell")),
                ("/good_practices/0", Some("Finding")),
                ("/challenges/0", Some("Finding")),
            ],
            parse_profile,
        );
    }

    #[test]
    fn region_schema_agrees_with_the_loader() {
        agree(
            &region_json(),
            sample_region(),
            &[
                ("", None),
                ("/region", Some("RegionId")),
                ("/members/0", Some("Member")),
            ],
            parse_region,
        );
    }

    fn enum_values(root: &Value, def: &str) -> BTreeSet<String> {
        let d = &root["definitions"][def];
        let mut out = BTreeSet::new();
        for alt in d["oneOf"].as_array().into_iter().flatten() {
            for v in alt["enum"].as_array().into_iter().flatten() {
                out.insert(v.as_str().unwrap().to_string());
            }
            if let Some(c) = alt["const"].as_str() {
                out.insert(c.to_string());
            }
        }
        for v in d["enum"].as_array().into_iter().flatten() {
            out.insert(v.as_str().unwrap().to_string());
        }
        out
    }

    #[test]
    fn enums_match_the_model() {
        let root: Value = serde_json::from_str(&profile_json()).unwrap();
        let statuses: BTreeSet<String> = ModelStatus::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        assert_eq!(enum_values(&root, "Status"), statuses);
        let kinds: BTreeSet<String> = [
            ModelKind::Law,
            ModelKind::Policy,
            ModelKind::Report,
            ModelKind::Other,
        ]
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
        assert_eq!(enum_values(&root, "SourceKind"), kinds);
    }

    fn validator(schema: &str) -> jsonschema::Validator {
        jsonschema::validator_for(&serde_json::from_str(schema).unwrap()).unwrap()
    }

    #[test]
    fn bundled_profiles_and_regions_validate() {
        let pv = validator(&profile_json());
        let rv = validator(&region_json());
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("frameworks");
        let mut n = 0;
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let e = e.unwrap();
            let p = e.path();
            if p.extension().is_none_or(|x| x != "yaml") {
                continue;
            }
            let text = std::fs::read_to_string(p).unwrap();
            let v: Value = crate::load::yaml::parse(&text, p, &Limits::default()).unwrap();
            let validator = if crate::load::region::is_region_file(p) {
                &rv
            } else {
                &pv
            };
            let errors: Vec<String> = validator
                .iter_errors(&v)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{} does not validate: {errors:#?}",
                p.display()
            );
            n += 1;
        }
        assert!(n >= 2, "found the bundled profiles");
    }

    #[test]
    fn an_unknown_key_fails_both_schema_and_loader() {
        let mut v = sample_profile();
        v["assessments"]["a.b"]["law"]["stauts"] = json!("full");
        assert!(!validator(&profile_json()).is_valid(&v));
        assert_eq!(parse_profile(&v).map(|d| d.code), Some(Code::UnknownField));
        assert!(validator(&profile_json()).is_valid(&sample_profile()));
    }
}
