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
    pub fn rubric(&self) -> (&str, Loc) {
        (&self.rubric.value, yaml::loc(&self.rubric))
    }

    /// The country code as written.
    pub fn country_code(&self) -> &str {
        &self.country.value.code.value
    }

    /// Where the country code is written.
    pub fn country_code_loc(&self) -> Loc {
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

/// Parses a profile like [`parse`], but when the shape check stops at its first problem,
/// looks through the whole file as a plain tree and reports every unknown key (each with
/// its location and a suggestion), every missing key and every value of the wrong kind (a
/// list where a mapping belongs…), not only the first. The backend's own error is always
/// among them. Valid files pay nothing extra.
pub fn parse_all(text: &str, file: &Path, limits: &Limits) -> Result<RawProfile, Vec<Diagnostic>> {
    let d = match parse(text, file, limits) {
        Ok(raw) => return Ok(raw),
        // Only a shape error leaves a well-formed tree within the limits to walk.
        Err(d)
            if matches!(
                d.code,
                Code::UnknownField | Code::MissingField | Code::InvalidValue
            ) =>
        {
            d
        }
        Err(d) => return Err(vec![d]),
    };
    let mut all = Vec::new();
    if let Some(tree) = yaml::tree(text, limits) {
        key_problems(text, &tree, Shape::Top, Loc::new(1, 1), file, &mut all);
    }
    // The walk reports the backend's problem in the same words (a missing key at a better
    // place); anything it cannot see, such as text where a number belongs, is added as is.
    if !all
        .iter()
        .any(|x| x.code == d.code && (x.loc == d.loc || x.message == d.message))
    {
        all.push(d);
    }
    crate::diag::sort(&mut all);
    Err(all)
}

/// Parses a profile like [`parse_all`]; when the shape check fails, also tries to read the
/// rest of the file: the keys at fault (an unknown key, a value of the wrong kind under an
/// optional key, a cell without its status) are blanked out of the text — lines kept, so
/// every location stays true — and the remainder is parsed again. Returns the shape
/// problems and, when that second parse succeeds, the rest of the profile, so that its
/// statuses, criteria, sources and dates can still be checked. The salvaged profile is for
/// checking only: its file has errors, so it is never scored.
pub fn parse_salvaged(
    text: &str,
    file: &Path,
    limits: &Limits,
) -> Result<RawProfile, (Vec<Diagnostic>, Option<Box<RawProfile>>)> {
    let all = match parse_all(text, file, limits) {
        Ok(raw) => return Ok(raw),
        Err(all) => all,
    };
    let shape_only = all.iter().all(|d| {
        matches!(
            d.code,
            Code::UnknownField | Code::MissingField | Code::InvalidValue
        )
    });
    let salvaged = shape_only
        .then(|| yaml::tree(text, limits))
        .flatten()
        .and_then(|tree| {
            let mut cut = Vec::new();
            cuts(&tree, Shape::Top, &[], &mut cut).ok()?;
            let repaired = blank_keys(text, &cut)?;
            yaml::parse::<RawProfile>(&repaired, file, limits)
                .ok()
                .map(Box::new)
        });
    Err((all, salvaged))
}

/// A key to blank out, then the keys around it that may go instead (innermost first): an
/// unknown key inside a flow-style cell `{ status: full, ntoe: x }` cannot be blanked on its
/// own, but the cell's `law:` can.
type Cut = Vec<Loc>;

/// The keys to blank out so that `node`, a mapping of `shape`, fits its shape; `Err` when
/// blanking keys inside it cannot do it (the mapping itself must go, as when every key of
/// it would). `outer` holds the keys around it that may be blanked instead, outermost first.
fn cuts(node: &yaml::Node, shape: Shape, outer: &[Loc], out: &mut Vec<Cut>) -> Result<(), ()> {
    let yaml::Node::Map(entries) = node else {
        return Err(());
    };
    for Field(key, required, _) in shape.fields() {
        if *required && !entries.iter().any(|(k, _)| k.value == *key) {
            return Err(());
        }
    }
    let chain = |k: Loc| -> Cut {
        std::iter::once(k)
            .chain(outer.iter().rev().copied())
            .collect()
    };
    let within = |k: Loc| -> Vec<Loc> { outer.iter().copied().chain(std::iter::once(k)).collect() };
    let mut direct = 0;
    for (k, v) in entries {
        let kloc = yaml::loc(k);
        let Some(Field(_, required, want)) = shape.field(&k.value) else {
            out.push(chain(kloc));
            direct += 1;
            continue;
        };
        // Below a required key nothing may be blanked in its place.
        let inside = if *required { Vec::new() } else { within(kloc) };
        let mut inner = Vec::new();
        let fits = match (want, &v.value) {
            (Want::Any, _) | (Want::Text, yaml::Node::Scalar) => Ok(()),
            (Want::Map(s), node) => cuts(node, *s, &inside, &mut inner),
            (Want::Entries(s), yaml::Node::Map(items)) => {
                // An entry (a criterion's assessment) that cannot be mended is cut whole.
                for (ik, iv) in items {
                    let ikloc = yaml::loc(ik);
                    let mut around = inside.clone();
                    around.push(ikloc);
                    let mut mine = Vec::new();
                    match cuts(&iv.value, *s, &around, &mut mine) {
                        Ok(()) => inner.extend(mine),
                        Err(()) => inner.push(
                            std::iter::once(ikloc)
                                .chain(inside.iter().rev().copied())
                                .collect(),
                        ),
                    }
                }
                Ok(())
            }
            (Want::List(s), yaml::Node::Seq(items)) => items
                .iter()
                .try_for_each(|i| cuts(&i.value, *s, &inside, &mut inner)),
            (Want::TextList, yaml::Node::Seq(items)) => {
                if items.iter().all(|i| matches!(i.value, yaml::Node::Scalar)) {
                    Ok(())
                } else {
                    Err(())
                }
            }
            _ => Err(()),
        };
        match fits {
            Ok(()) => out.extend(inner),
            // An optional key, or a cell (a level of an assessment), can go whole.
            Err(()) if !*required => {
                out.push(chain(kloc));
                direct += 1;
            }
            Err(()) => return Err(()),
        }
    }
    if direct > 0 && direct == entries.len() {
        return Err(());
    }
    Ok(())
}

/// `text` with a key of each cut blanked out together with its value (the lines below it
/// indented more), line breaks kept: the first key of the cut written in block style at the
/// start of its line (or after a list's `- `). None when a cut has no such key, where
/// blanking is not safe.
fn blank_keys(text: &str, cuts: &[Cut]) -> Option<String> {
    let mut lines: Vec<Vec<char>> = text.split('\n').map(|l| l.chars().collect()).collect();
    let indent = |l: &[char]| l.iter().take_while(|c| **c == ' ').count();
    let is_quiet = |l: &[char]| {
        let t: String = l.iter().collect();
        let t = t.trim();
        t.is_empty() || t.starts_with('#')
    };
    // Where a key of `text` can be blanked: (line index, column index, whether it follows
    // a list's `- `), or whether its line is blank already (cut with an outer key).
    let block = |lines: &[Vec<char>], k: &Loc| -> Option<Option<(usize, usize, bool)>> {
        let li = usize::try_from(k.line).ok()?.checked_sub(1)?;
        let col = usize::try_from(k.column).ok()?.checked_sub(1)?;
        let line = lines.get(li)?;
        if line.iter().all(|c| *c == ' ') {
            return Some(None);
        }
        let prefix: String = line.get(..col)?.iter().collect();
        let bare = prefix.trim_start_matches(' ');
        let item = bare.trim_end() == "-" && bare.ends_with(' ');
        (bare.is_empty() || item).then_some(Some((li, col, item)))
    };
    for cut in cuts {
        let found = cut.iter().find_map(|k| block(&lines, k))?;
        let Some((li, col, item)) = found else {
            continue;
        };
        for c in lines[li].iter_mut().skip(col) {
            *c = ' ';
        }
        for l in lines.iter_mut().skip(li + 1) {
            if is_quiet(l) {
                continue;
            }
            let ind = indent(l);
            let list_below = ind == col && !item && l.get(ind) == Some(&'-');
            if ind > col || ind == col && list_below {
                l.iter_mut().for_each(|c| *c = ' ');
            } else {
                break;
            }
        }
    }
    Some(
        lines
            .iter()
            .map(|l| l.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// What a key's value must be, as far as a plain tree can tell.
#[derive(Debug, Clone, Copy)]
enum Want {
    /// Anything (a number: the backend checks it).
    Any,
    /// A single value.
    Text,
    /// A list of single values.
    TextList,
    /// A mapping of this shape.
    Map(Shape),
    /// A list of mappings of this shape.
    List(Shape),
    /// A mapping whose values are mappings of this shape (criterion → assessment).
    Entries(Shape),
}

/// Where a mapping sits in a profile, which fixes the keys it may and must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Top,
    Country,
    Source,
    Assessment,
    Cell,
    Finding,
}

/// A key of a mapping: its name, whether the loader's struct requires it, and what its
/// value must be.
struct Field(&'static str, bool, Want);

const REQUIRED: bool = true;
const OPTIONAL: bool = false;

impl Shape {
    /// The keys the loader's structs accept here, in field order, with whether each is
    /// required and what its value must be. The unit tests `shape_keys_match_the_structs`,
    /// `shape_required_keys_match_the_structs` and
    /// `the_walk_reports_a_misshapen_value_as_the_backend_does` keep it equal to the structs.
    fn fields(self) -> &'static [Field] {
        use Want::{Any, Entries, List, Map, Text, TextList};
        match self {
            Shape::Top => &[
                Field("format_version", REQUIRED, Any),
                Field("country", REQUIRED, Map(Shape::Country)),
                Field("rubric", REQUIRED, Text),
                Field("as_of", REQUIRED, Text),
                Field("compiled_from", OPTIONAL, Text),
                Field("summary", OPTIONAL, Text),
                Field("status", OPTIONAL, Text),
                Field("sources", REQUIRED, List(Shape::Source)),
                Field("assessments", REQUIRED, Entries(Shape::Assessment)),
                Field("good_practices", OPTIONAL, List(Shape::Finding)),
                Field("challenges", OPTIONAL, List(Shape::Finding)),
            ],
            Shape::Country => &[Field("code", REQUIRED, Text), Field("name", REQUIRED, Text)],
            Shape::Source => &[
                Field("id", REQUIRED, Text),
                Field("title", REQUIRED, Text),
                Field("kind", REQUIRED, Text),
                Field("year", OPTIONAL, Any),
                Field("publisher", OPTIONAL, Text),
                Field("url", OPTIONAL, Text),
                Field("note", OPTIONAL, Text),
            ],
            Shape::Assessment => &[
                Field("law", OPTIONAL, Map(Shape::Cell)),
                Field("policy", OPTIONAL, Map(Shape::Cell)),
                Field("practice", OPTIONAL, Map(Shape::Cell)),
            ],
            Shape::Cell => &[
                Field("status", REQUIRED, Text),
                Field("evidence", OPTIONAL, TextList),
                Field("note", OPTIONAL, Text),
            ],
            Shape::Finding => &[
                Field("text", REQUIRED, Text),
                Field("criteria", OPTIONAL, TextList),
                Field("evidence", OPTIONAL, TextList),
            ],
        }
    }

    /// The keys accepted here, in field order.
    fn keys(self) -> Vec<&'static str> {
        self.fields().iter().map(|f| f.0).collect()
    }

    /// The field named `key`, when it is one.
    fn field(self, key: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.0 == key)
    }
}

/// Every unknown and every missing key of the mappings of a profile (the backend stops at
/// the first). A missing key is located at the first key of its mapping, or at `at` (the key
/// holding the mapping) when it is empty.
fn key_problems(
    text: &str,
    node: &yaml::Node,
    shape: Shape,
    at: Loc,
    file: &Path,
    out: &mut Vec<Diagnostic>,
) {
    let yaml::Node::Map(entries) = node else {
        return;
    };
    let start = entries.first().map_or(at, |(k, _)| yaml::loc(k));
    let keys = shape.keys();
    // A misspelt key is reported once, as unknown with its suggestion, not also as missing.
    let misspelt: Vec<&str> = entries
        .iter()
        .filter(|(k, _)| !keys.contains(&k.value.as_str()))
        .filter_map(|(k, _)| suggest::did_you_mean(&k.value, keys.iter().copied()))
        .collect();
    for Field(key, required, _) in shape.fields() {
        if *required && !entries.iter().any(|(k, _)| k.value == *key) && !misspelt.contains(key) {
            out.push(
                Diagnostic::new(
                    Code::MissingField,
                    file,
                    start,
                    format!("missing field `{key}`"),
                )
                .help(format!("add `{key}:` to this mapping")),
            );
        }
    }
    for (k, v) in entries {
        let key = k.value.as_str();
        if !keys.contains(&key) {
            out.push(
                Diagnostic::new(
                    Code::UnknownField,
                    file,
                    yaml::loc(k),
                    format!("unknown field `{key}`"),
                )
                .expected(format!("one of {}", suggest::join_quoted(&keys, "or")))
                .maybe_help(suggest::hint(key, keys.iter().copied())),
            );
            continue;
        }
        if let Some(Field(_, _, want)) = shape.field(key) {
            value_problems(text, v, *want, yaml::loc(k), file, out);
        }
    }
}

/// Whether `v` is what `want` asks, and the key problems of the mappings inside it. `at` is
/// the key holding it.
fn value_problems(
    text: &str,
    v: &Spanned<yaml::Node>,
    want: Want,
    at: Loc,
    file: &Path,
    out: &mut Vec<Diagnostic>,
) {
    use yaml::Node;
    let loc = yaml::loc(v);
    let wrong = |wanted: &str| yaml::misshapen(text, file, loc, wanted);
    match (want, &v.value) {
        (Want::Any, _) | (Want::Text, Node::Scalar) => {}
        (Want::Text, _) => out.push(wrong(yaml::WANT_TEXT)),
        (Want::Map(shape), node @ Node::Map(_)) => key_problems(text, node, shape, at, file, out),
        (Want::Entries(shape), Node::Map(entries)) => {
            for (k, a) in entries {
                value_problems(text, a, Want::Map(shape), yaml::loc(k), file, out);
            }
        }
        (Want::Map(_) | Want::Entries(_), _) => out.push(wrong(yaml::WANT_MAP)),
        (Want::List(shape), Node::Seq(items)) => {
            for i in items {
                value_problems(text, i, Want::Map(shape), yaml::loc(i), file, out);
            }
        }
        (Want::TextList, Node::Seq(items)) => {
            for i in items {
                value_problems(text, i, Want::Text, loc, file, out);
            }
        }
        (Want::List(_) | Want::TextList, _) => out.push(wrong(yaml::WANT_LIST)),
    }
}

/// Checks a raw profile on its own and against `rubric` (when it could be loaded), pushing
/// every problem to `out`. Returns the validated profile when there is no error.
///
/// The steps, in the order their diagnostics appear: the format version, the country code,
/// `as_of`, the sources, the assessments cell by cell, the unassessed cells, the good
/// practices and challenges, the sources never cited.
pub fn check(
    raw: RawProfile,
    file: &Path,
    rubric: Option<&Rubric>,
    today: Date,
    out: &mut Vec<Diagnostic>,
) -> Option<Profile> {
    let errors_before = out.iter().filter(|d| d.is_error()).count();
    check_version(&raw, file, out);
    check_country(&raw, file, out);
    let as_of = check_as_of(&raw, file, today, out);
    let (sources, source_ids) = check_sources(&raw, file, today, out);
    let mut cites = Citations {
        file,
        ids: &source_ids,
        cited: BTreeSet::new(),
    };
    let criterion_ids: Vec<&str> = rubric
        .map(|r| r.criteria.iter().map(|c| c.id.as_str()).collect())
        .unwrap_or_default();
    let (assessments, written) =
        check_assessments(&raw, file, rubric, &criterion_ids, &mut cites, out);
    check_unassessed(&raw, file, rubric, &written, out);
    let good_practices = check_findings(
        &raw.good_practices,
        file,
        rubric,
        &criterion_ids,
        &mut cites,
        out,
    );
    let challenges = check_findings(
        &raw.challenges,
        file,
        rubric,
        &criterion_ids,
        &mut cites,
        out,
    );
    check_unused_sources(&raw, file, &cites, out);

    let errors_after = out.iter().filter(|d| d.is_error()).count();
    if errors_after > errors_before {
        return None;
    }
    Some(Profile {
        path: file.to_path_buf(),
        country: Country {
            code: raw.country.value.code.value.clone(),
            name: raw.country.value.name.clone(),
        },
        country_loc: yaml::loc(&raw.country),
        rubric: raw.rubric.value.clone(),
        as_of: as_of?,
        compiled_from: raw.compiled_from.map(|s| s.trim().to_string()),
        summary: raw.summary.map(|s| s.trim().to_string()),
        status: raw
            .status
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        sources,
        assessments,
        good_practices,
        challenges,
    })
}

/// The format version: the one this frameaudit reads.
fn check_version(raw: &RawProfile, file: &Path, out: &mut Vec<Diagnostic>) {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    if raw.format_version.value != FORMAT_VERSION {
        out.push(
            diag(
                Code::UnsupportedVersion,
                yaml::loc(&raw.format_version),
                format!(
                    "format_version {} is not supported by this frameaudit",
                    raw.format_version.value
                ),
            )
            .expected(format!("format_version: {FORMAT_VERSION}"))
            .help(if raw.format_version.value > FORMAT_VERSION {
                "upgrade frameaudit to read this newer profile format".to_string()
            } else {
                "see CHANGELOG.md for how to migrate to the current format".to_string()
            }),
        );
    }
}

/// The country code: two ASCII letters, upper case, matching the file name.
fn check_country(raw: &RawProfile, file: &Path, out: &mut Vec<Diagnostic>) {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    let code = &raw.country.value.code;
    let code_ok = crate::model::Country::is_valid_code(&code.value);
    if !code_ok {
        out.push(
            diag(
                Code::BadCountry,
                yaml::loc(code),
                format!(
                    "country code `{}` is not an ISO 3166-1 alpha-2 code",
                    code.value
                ),
            )
            .expected("two upper-case letters, e.g. `PH`")
            .maybe_help(
                (code.value.len() == 2).then(|| format!("write `{}`", code.value.to_uppercase())),
            ),
        );
    } else if let Some(stem) = file.file_stem().and_then(|s| s.to_str())
        && stem.len() == 2
        && stem != code.value.to_lowercase()
    {
        out.push(
            diag(
                Code::BadCountry,
                yaml::loc(code),
                format!(
                    "country code `{}` does not match the file name `{}`",
                    code.value,
                    file.file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or_default()
                ),
            )
            .expected(format!("a file named `{}.yaml`", code.value.to_lowercase()))
            .help(format!(
                "rename the file to `{}.yaml` or correct the code",
                code.value.to_lowercase()
            )),
        );
    }
}

/// `as_of`: a real date, not in the future.
fn check_as_of(
    raw: &RawProfile,
    file: &Path,
    today: Date,
    out: &mut Vec<Diagnostic>,
) -> Option<Date> {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    match date::parse(raw.as_of.value.trim()) {
        Ok(d) if d > today => {
            out.push(
                diag(
                    Code::BadDate,
                    yaml::loc(&raw.as_of),
                    format!("as_of {d} is in the future (today is {today})"),
                )
                .expected("the date the assessment describes, today or earlier")
                .help("use the date of the latest source the profile relies on"),
            );
            None
        }
        Ok(d) => Some(d),
        Err(e) => {
            out.push(
                diag(Code::BadDate, yaml::loc(&raw.as_of), e)
                    .expected("a real date in YYYY-MM-DD form, e.g. 2024-06-30"),
            );
            None
        }
    }
}

/// The sources: valid, unique ids, plausible years, known kinds. Returns them with the
/// location of each id's first listing.
fn check_sources(
    raw: &RawProfile,
    file: &Path,
    today: Date,
    out: &mut Vec<Diagnostic>,
) -> (Vec<Source>, BTreeMap<String, Loc>) {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    let mut sources = Vec::new();
    let mut source_ids: BTreeMap<String, Loc> = BTreeMap::new();
    for s in &raw.sources {
        let s = &s.value;
        let id = &s.id.value;
        if !is_valid_id(id) {
            out.push(
                diag(
                    Code::BadId,
                    yaml::loc(&s.id),
                    format!("source id `{id}` is not a valid id"),
                )
                .expected(
                    "lower-case letters, digits, `.`, `_` or `-`, starting with a letter or digit",
                )
                .help(format!("try `{}`", super::slug(id))),
            );
        }
        if let Some(first) = source_ids.get(id) {
            out.push(
                diag(
                    Code::DuplicateId,
                    yaml::loc(&s.id),
                    format!("source id `{id}` is listed twice"),
                )
                .expected("each source id once")
                .help(format!(
                    "the first is at line {}; give this source another id",
                    first.line
                )),
            );
            continue;
        }
        source_ids.insert(id.clone(), yaml::loc(&s.id));
        if let Some(y) = &s.year
            && (y.value < 1800 || y.value > today.year)
        {
            out.push(
                diag(
                    Code::BadDate,
                    yaml::loc(y),
                    format!("source year {} is not plausible", y.value),
                )
                .expected(format!("a year between 1800 and {}", today.year)),
            );
        }
        let kind = one_of(
            &s.kind,
            "source kind",
            &SOURCE_KINDS.map(SourceKind::as_str),
            file,
            out,
        )
        .map_or(SourceKind::Other, |i| SOURCE_KINDS[i]);
        sources.push(Source {
            id: id.clone(),
            title: s.title.clone(),
            kind,
            year: s.year.as_ref().map(|y| y.value),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            note: s.note.clone(),
            loc: yaml::loc(&s.id),
        });
    }
    (sources, source_ids)
}

/// The sources a profile lists, and those its evidence cites.
struct Citations<'a> {
    file: &'a Path,
    ids: &'a BTreeMap<String, Loc>,
    cited: BTreeSet<String>,
}

impl Citations<'_> {
    /// `list` as evidence, each citation checked against the listed sources.
    fn evidence(&mut self, list: &[Spanned<String>], out: &mut Vec<Diagnostic>) -> Vec<Evidence> {
        let file = self.file;
        let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
        let mut ev = Vec::new();
        for e in list {
            let text = e.value.trim();
            let (src, pin) = match text.split_once(char::is_whitespace) {
                Some((s, p)) => (s, Some(p.trim().to_string()).filter(|p| !p.is_empty())),
                None => (text, None),
            };
            if !self.ids.contains_key(src) {
                let known: Vec<&str> = self.ids.keys().map(String::as_str).collect();
                out.push(
                    diag(
                        Code::UnknownSource,
                        yaml::loc(e),
                        format!("evidence cites unknown source `{src}`"),
                    )
                    .expected("`<source id>[ <pinpoint>]` where the id is listed under `sources`")
                    .help(
                        suggest::hint(src, known.iter().copied()).unwrap_or_else(|| {
                            format!("add a source with `id: {src}` to `sources`")
                        }),
                    ),
                );
            } else {
                self.cited.insert(src.to_string());
            }
            ev.push(Evidence {
                source: src.to_string(),
                pinpoint: pin,
            });
        }
        ev
    }
}

/// The assessments: known criteria, cells at levels that apply. Returns the valid cells and
/// every cell written in the file, valid or not (an invalid cell is an error, not unassessed).
#[allow(clippy::type_complexity)]
fn check_assessments(
    raw: &RawProfile,
    file: &Path,
    rubric: Option<&Rubric>,
    criterion_ids: &[&str],
    cites: &mut Citations<'_>,
    out: &mut Vec<Diagnostic>,
) -> (
    BTreeMap<String, BTreeMap<Level, Cell>>,
    BTreeSet<(String, Level)>,
) {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    let mut assessments: BTreeMap<String, BTreeMap<Level, Cell>> = BTreeMap::new();
    // Cells written in the file, valid or not (an invalid cell is an error, not unassessed).
    let mut written: BTreeSet<(String, Level)> = BTreeSet::new();
    for (key, a) in &raw.assessments.0 {
        let id = &key.value;
        let criterion = rubric.and_then(|r| r.criterion(id));
        if let Some(r) = rubric
            && criterion.is_none()
        {
            out.push(
                diag(
                    Code::UnknownCriterion,
                    yaml::loc(key),
                    format!("unknown criterion `{id}`"),
                )
                .expected(format!("a criterion id of rubric `{}` {}", r.id, r.version))
                .help(
                    suggest::hint(id, criterion_ids.iter().copied()).unwrap_or_else(|| {
                        "run `frameaudit rubric show` for the list of criteria".to_string()
                    }),
                ),
            );
        }
        let mut cells = BTreeMap::new();
        let a = &a.value;
        for (level, cell) in [
            (Level::Law, &a.law),
            (Level::Policy, &a.policy),
            (Level::Practice, &a.practice),
        ] {
            let Some(cell) = cell else { continue };
            written.insert((id.clone(), level));
            if let Some(c) = check_cell(id, level, cell, criterion, file, cites, out) {
                cells.insert(level, c);
            }
        }
        assessments.insert(id.clone(), cells);
    }
    (assessments, written)
}

/// One cell: a level its criterion applies at, a known status, evidence for any status other
/// than unknown, a note for unknown and not_applicable. None when the status is invalid.
fn check_cell(
    id: &str,
    level: Level,
    cell: &Spanned<RawCell>,
    criterion: Option<&crate::model::Criterion>,
    file: &Path,
    cites: &mut Citations<'_>,
    out: &mut Vec<Diagnostic>,
) -> Option<Cell> {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    let cloc = yaml::loc(cell);
    let cell = &cell.value;
    if let Some(c) = criterion
        && !c.applies(level)
    {
        out.push(
            diag(
                Code::LevelNotApplicable,
                cloc,
                format!("criterion `{id}` does not apply at the {level} level"),
            )
            .expected(format!(
                "only {}",
                suggest::join_quoted(
                    &c.levels.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
                    "and"
                )
            ))
            .help(format!("remove `{level}:` from `{id}`")),
        );
    }
    let sloc = yaml::loc(&cell.status);
    let ev = cites.evidence(&cell.evidence, out);
    let status = one_of(
        &cell.status,
        "status",
        &Status::ALL.map(Status::as_str),
        file,
        out,
    )
    .map(|i| Status::ALL[i])?;
    let note = cell
        .note
        .as_ref()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if status != Status::Unknown && ev.is_empty() {
        out.push(
            diag(
                Code::MissingEvidence,
                sloc,
                format!("`{id}` {level} is `{status}` but cites no evidence"),
            )
            .expected("`evidence: [\"<source id> <pinpoint>\"]` for any status other than unknown")
            .help("cite the source that shows this, or set `status: unknown` with a note"),
        );
    }
    if matches!(status, Status::NotApplicable | Status::Unknown) && note.is_none() {
        out.push(
            diag(
                Code::MissingNote,
                sloc,
                format!("`{id}` {level} is `{status}` but has no note"),
            )
            .expected(if status == Status::Unknown {
                "a note saying what evidence is missing"
            } else {
                "a note saying why the criterion does not apply"
            })
            .help("add `note: ...`"),
        );
    }
    Some(Cell {
        status,
        evidence: ev,
        note,
        loc: sloc,
    })
}

/// Unassessed criteria and levels: warnings, scored as unknown. A criterion missing at some
/// levels is reported at its key; criteria missing entirely are reported together (one
/// warning naming them all) at the start of `assessments`, so a new profile is not buried
/// under one warning per criterion.
fn check_unassessed(
    raw: &RawProfile,
    file: &Path,
    rubric: Option<&Rubric>,
    written: &BTreeSet<(String, Level)>,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(r) = rubric {
        let start = raw
            .assessments
            .0
            .first()
            .map_or(Loc::new(1, 1), |(k, _)| yaml::loc(k));
        let help = "add the cells, with `status: unknown` and a note if nothing is known; unassessed cells score as unknown";
        let mut absent: Vec<&str> = Vec::new();
        for c in &r.criteria {
            let missing: Vec<&str> = c
                .levels
                .iter()
                .filter(|l| !written.contains(&(c.id.clone(), **l)))
                .map(|l| l.as_str())
                .collect();
            if missing.is_empty() {
                continue;
            }
            let key = raw.assessments.0.iter().find(|(k, _)| k.value == c.id);
            match key {
                None => absent.push(&c.id),
                Some((k, _)) => out.push(
                    Diagnostic::new(
                        Code::UnassessedCriterion,
                        file,
                        yaml::loc(k),
                        if missing.len() == c.levels.len() {
                            format!("criterion `{}` is not assessed at any level", c.id)
                        } else {
                            format!(
                                "criterion `{}` is not assessed at the {} level",
                                c.id,
                                suggest::join(&missing, "and")
                            )
                        },
                    )
                    .expected("every criterion of the rubric at every level it applies to")
                    .help(help),
                ),
            }
        }
        match absent.as_slice() {
            [] => {}
            [one] => out.push(
                Diagnostic::new(
                    Code::UnassessedCriterion,
                    file,
                    start,
                    format!("criterion `{one}` is not assessed at any level"),
                )
                .expected("every criterion of the rubric at every level it applies to")
                .help(help),
            ),
            many => out.push(
                Diagnostic::new(
                    Code::UnassessedCriterion,
                    file,
                    start,
                    format!(
                        "{} criteria of rubric `{}` are not assessed at any level: {}",
                        many.len(),
                        r.id,
                        suggest::join_quoted(many, "and")
                    ),
                )
                .expected("every criterion of the rubric at every level it applies to")
                .help(format!("{help}; `frameaudit init` lists every criterion")),
            ),
        }
    }
}

/// Good practices or challenges: known criteria, evidence citing listed sources.
fn check_findings(
    list: &[Spanned<RawFinding>],
    file: &Path,
    rubric: Option<&Rubric>,
    criterion_ids: &[&str],
    cites: &mut Citations<'_>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Finding> {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    list.iter()
        .map(|f| {
            let f = &f.value;
            for c in &f.criteria {
                if let Some(r) = rubric
                    && r.criterion(&c.value).is_none()
                {
                    out.push(
                        diag(
                            Code::UnknownCriterion,
                            yaml::loc(c),
                            format!("unknown criterion `{}`", c.value),
                        )
                        .expected(format!("a criterion id of rubric `{}`", r.id))
                        .maybe_help(suggest::hint(&c.value, criterion_ids.iter().copied())),
                    );
                }
            }
            Finding {
                text: f.text.trim().to_string(),
                criteria: f.criteria.iter().map(|c| c.value.clone()).collect(),
                evidence: cites.evidence(&f.evidence, out),
            }
        })
        .collect()
}

/// Sources listed but never cited (warnings).
fn check_unused_sources(
    raw: &RawProfile,
    file: &Path,
    cites: &Citations<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for s in &raw.sources {
        let id = &s.value.id.value;
        if !cites.cited.contains(id) && cites.ids.get(id) == Some(&yaml::loc(&s.value.id)) {
            out.push(
                Diagnostic::new(
                    Code::UnusedSource,
                    file,
                    yaml::loc(&s.value.id),
                    format!("source `{id}` is listed but never cited"),
                )
                .help("cite it as evidence or remove it from `sources`"),
            );
        }
    }
}

const SOURCE_KINDS: [SourceKind; 4] = [
    SourceKind::Law,
    SourceKind::Policy,
    SourceKind::Report,
    SourceKind::Other,
];

/// The index of `value` among `allowed`, or an `invalid-value` diagnostic (with a
/// suggestion) pushed to `out`.
fn one_of(
    value: &Spanned<String>,
    what: &str,
    allowed: &[&str],
    file: &Path,
    out: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let v = value.value.as_str();
    if let Some(i) = allowed.iter().position(|a| *a == v) {
        return Some(i);
    }
    let hint = suggest::hint(v, allowed.iter().copied())
        .or_else(|| suggest::hint(&v.trim().to_lowercase(), allowed.iter().copied()));
    out.push(
        Diagnostic::new(
            Code::InvalidValue,
            file,
            yaml::loc(value),
            format!("unknown {what} `{v}`"),
        )
        .expected(format!("one of {}", suggest::join_quoted(allowed, "or")))
        .maybe_help(hint),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

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
