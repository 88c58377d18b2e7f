//! Region files (`region.yaml`): the region's id and name, the rubric its profiles answer,
//! the list of member states with the date each joined, and an optional status line (what
//! the data is, e.g. a starting assessment for expert review) that every output shows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::yaml::{self, Spanned};
use super::{FORMAT_VERSION, Limits, is_valid_id};
use crate::diag::{Code, Diagnostic};
use crate::model::{Country, Date, Region};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    format_version: Spanned<u32>,
    region: RawRegionId,
    rubric: String,
    #[serde(default)]
    status: Option<String>,
    members: Vec<Spanned<RawMember>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegionId {
    id: Spanned<String>,
    name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    code: Spanned<String>,
    name: String,
    #[serde(default)]
    joined: Option<Spanned<String>>,
}

/// The status line of the region file beside `profile` (region.yaml or region.yml in the same
/// folder), if there is one and it loads; a region file's own problems are reported when it
/// is loaded as an input, not here.
pub(crate) fn status_beside(profile: &Path, limits: &Limits) -> Option<String> {
    let dir = profile.parent()?;
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    ["region.yaml", "region.yml"].iter().find_map(|name| {
        let path = dir.join(name);
        let text = super::read_text(&path, limits).ok()?;
        load(&text, &path, limits, &mut Vec::new())?.status
    })
}

/// Whether a file name is a region file.
pub(crate) fn is_region_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "region.yaml" || n == "region.yml")
}

/// Parses and checks a region file's text.
pub fn load(text: &str, path: &Path, limits: &Limits, out: &mut Vec<Diagnostic>) -> Option<Region> {
    let raw: RawRegion = match yaml::parse(text, path, limits) {
        Ok(r) => r,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let before = out.iter().filter(|d| d.is_error()).count();
    if raw.format_version.value != FORMAT_VERSION {
        out.push(
            Diagnostic::new(
                Code::UnsupportedVersion,
                path,
                yaml::loc(&raw.format_version),
                format!(
                    "format_version {} is not supported",
                    raw.format_version.value
                ),
            )
            .expected(format!("format_version: {FORMAT_VERSION}")),
        );
    }
    if !is_valid_id(&raw.region.id.value) {
        out.push(
            Diagnostic::new(
                Code::BadId,
                path,
                yaml::loc(&raw.region.id),
                format!("region id `{}` is not a valid id", raw.region.id.value),
            )
            .expected("lower-case letters, digits, `.`, `_` or `-`"),
        );
    }
    let mut seen = BTreeSet::new();
    let mut members = Vec::new();
    let mut joined: BTreeMap<String, Date> = BTreeMap::new();
    for m in &raw.members {
        let code = &m.value.code;
        if !crate::model::Country::is_valid_code(&code.value) {
            out.push(
                Diagnostic::new(
                    Code::BadCountry,
                    path,
                    yaml::loc(code),
                    format!(
                        "member code `{}` is not an ISO 3166-1 alpha-2 code",
                        code.value
                    ),
                )
                .expected("two upper-case letters, e.g. `PH`"),
            );
        }
        if !seen.insert(code.value.clone()) {
            out.push(Diagnostic::new(
                Code::DuplicateId,
                path,
                yaml::loc(code),
                format!("member `{}` is listed twice", code.value),
            ));
        }
        if let Some(j) = &m.value.joined {
            match crate::date::parse(j.value.trim()) {
                Ok(d) => {
                    joined.insert(code.value.clone(), d);
                }
                Err(e) => out.push(
                    Diagnostic::new(Code::BadDate, path, yaml::loc(j), e).expected(
                        "the date the state joined, YYYY-MM-DD (e.g. `joined: 1967-08-08`)",
                    ),
                ),
            }
        }
        members.push(Country {
            code: code.value.clone(),
            name: m.value.name.clone(),
        });
    }
    (out.iter().filter(|d| d.is_error()).count() == before).then(|| Region {
        path: path.to_path_buf(),
        id: raw.region.id.value.clone(),
        name: raw.region.name.clone(),
        rubric: raw.rubric.clone(),
        status: raw
            .status
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        joined,
        member_locs: raw
            .members
            .iter()
            .map(|m| (m.value.code.value.clone(), yaml::loc(&m.value.code)))
            .collect(),
        members,
    })
}
