//! Rubrics: the raw TOML shape and the checks that turn it into a validated [`Rubric`],
//! resolving `[extends]` (a rubric that selects and re-weights criteria of a base rubric).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::{FORMAT_VERSION, Limits, is_valid_id, read_text};
use crate::diag::{Code, Diagnostic};
use crate::model::{
    Band, Category, Criterion, DEFAULT_MIN_COVERAGE, Highlight, HighlightGroup, HighlightKind,
    INSUFFICIENT_EVIDENCE, Level, LevelGuidance, LevelWeights, Loc, Points, Rubric,
};
use crate::suggest;

mod standalone;

use standalone::standalone;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    format_version: Spanned<u32>,
    id: Spanned<String>,
    title: String,
    version: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    extends: Option<Spanned<RawExtends>>,
    #[serde(default)]
    levels: Option<Spanned<LevelWeights>>,
    #[serde(default)]
    points: Option<Spanned<Points>>,
    #[serde(default)]
    bands: Option<Spanned<Vec<Spanned<RawBand>>>>,
    #[serde(default)]
    min_coverage: Option<Spanned<f64>>,
    #[serde(default)]
    principles: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    assistance_types: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    guidance: BTreeMap<String, LevelGuidance>,
    #[serde(default)]
    criteria: Vec<Spanned<RawCriterion>>,
    #[serde(default)]
    highlights: Option<Vec<RawHighlight>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHighlight {
    kind: HighlightKind,
    levels: Vec<Level>,
    groups: Vec<RawHighlightGroup>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHighlightGroup {
    label: String,
    criteria: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtends {
    rubric: Spanned<String>,
    path: Spanned<String>,
    criteria: Vec<Spanned<String>>,
    #[serde(default)]
    weights: BTreeMap<String, Spanned<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    label: String,
    min: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Spanned<String>,
    title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    title: String,
    question: String,
    principles: Vec<Spanned<String>>,
    assistance_type: Spanned<String>,
    #[serde(default = "one")]
    weight: Spanned<f64>,
    levels: Vec<Spanned<Level>>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    guidance: BTreeMap<String, LevelGuidance>,
}

fn one() -> Spanned<f64> {
    Spanned::new(0..0, 1.0)
}

/// Line and column (1-based, in characters) of a byte offset in `text`.
pub(crate) fn line_col(text: &str, offset: usize) -> Loc {
    let offset = offset.min(text.len());
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Loc::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(col).unwrap_or(u32::MAX),
    )
}

/// Loads and validates the rubric at `path`, following `[extends]`. Returns the rubric
/// when there is no error; every problem goes to `out`.
pub fn load(path: &Path, limits: &Limits, out: &mut Vec<Diagnostic>) -> Option<Rubric> {
    load_chain(path, limits, out, &mut Vec::new())
}

fn load_chain(
    path: &Path,
    limits: &Limits,
    out: &mut Vec<Diagnostic>,
    stack: &mut Vec<PathBuf>,
) -> Option<Rubric> {
    let text = match read_text(path, limits) {
        Ok(t) => t,
        Err(d) => {
            out.push(d);
            return None;
        }
    };
    let raw: RawRubric = match toml::from_str(&text) {
        Ok(r) => r,
        Err(e) => {
            out.push(toml_error(&e, &text, path));
            return None;
        }
    };
    let errors_before = out.iter().filter(|d| d.is_error()).count();
    check_header(&raw, path, &text, out);
    let id = raw.id.get_ref().clone();
    let mut hasher = Sha256::new();
    hasher.update(text.as_bytes());
    let base = resolve_base(&raw, path, &text, limits, out, stack).ok()?;
    if let Some((b, _)) = &base {
        hasher.update(b.sha256.as_bytes());
    }
    let ov = overrides(&raw, path, &text, out);
    let mut rubric = match base {
        Some((b, ext)) => extension(&raw, id, &b, ext, &ov, path, &text, out),
        None => standalone(&raw, id, &ov, path, &text, out),
    };
    if let Some(hs) = &raw.highlights {
        let at = |span: std::ops::Range<usize>| line_col(&text, span.start);
        rubric.highlights = highlights(hs, &rubric, &mut |d| out.push(d), &at);
    }
    check_numbers(&rubric, &ov, path, out);
    rubric.sha256 = hex(&hasher.finalize());
    let errors_after = out.iter().filter(|d| d.is_error()).count();
    (errors_after == errors_before).then_some(rubric)
}

/// The format version and the rubric id.
fn check_header(raw: &RawRubric, path: &Path, text: &str, out: &mut Vec<Diagnostic>) {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    if *raw.format_version.get_ref() != FORMAT_VERSION {
        out.push(
            diag(
                Code::UnsupportedVersion,
                at(raw.format_version.span()),
                format!(
                    "format_version {} is not supported",
                    raw.format_version.get_ref()
                ),
            )
            .expected(format!("format_version = {FORMAT_VERSION}")),
        );
    }
    let id = raw.id.get_ref();
    if !is_valid_id(id) {
        out.push(
            diag(
                Code::BadId,
                at(raw.id.span()),
                format!("rubric id `{id}` is not a valid id"),
            )
            .expected("lower-case letters, digits, `.`, `_` or `-`"),
        );
    }
}

/// The base rubric of an extension, loaded (following its own `[extends]`) and checked to
/// have the id the extension names. `Ok(None)`: no `[extends]`; `Err`: the base cannot be
/// used (circular, or it does not load), with the problem in `out`.
#[allow(clippy::type_complexity)]
fn resolve_base<'r>(
    raw: &'r RawRubric,
    path: &Path,
    text: &str,
    limits: &Limits,
    out: &mut Vec<Diagnostic>,
    stack: &mut Vec<PathBuf>,
) -> Result<Option<(Rubric, &'r RawExtends)>, ()> {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    match &raw.extends {
        None => Ok(None),
        Some(ext) => {
            let ext_loc = at(ext.span());
            let ext = ext.get_ref();
            let base_path = path
                .parent()
                .unwrap_or(Path::new("."))
                .join(ext.path.get_ref());
            let canon = base_path.canonicalize().unwrap_or(base_path.clone());
            if stack.contains(&canon) || stack.len() > 8 {
                out.push(
                    diag(
                        Code::BadExtends,
                        ext_loc,
                        "rubric extends itself (circular `[extends]`)".into(),
                    )
                    .help("an extension must name a base rubric that does not extend it back"),
                );
                return Err(());
            }
            stack.push(canon);
            let mut base_diags = Vec::new();
            let base = load_chain(&base_path, limits, &mut base_diags, stack);
            stack.pop();
            match base {
                None => {
                    out.push(
                        diag(
                            Code::BadExtends,
                            at(ext.path.span()),
                            format!("base rubric `{}` could not be loaded", ext.path.get_ref()),
                        )
                        .expected("a path to the base rubric, relative to this file")
                        .help("fix the base rubric's problems listed below, or the path"),
                    );
                    out.extend(base_diags);
                    Err(())
                }
                Some(b) => {
                    if b.id != *ext.rubric.get_ref() {
                        out.push(
                            diag(
                                Code::BadExtends,
                                at(ext.rubric.span()),
                                format!(
                                    "`{}` has id `{}`, not `{}`",
                                    ext.path.get_ref(),
                                    b.id,
                                    ext.rubric.get_ref()
                                ),
                            )
                            .help(format!("write `rubric = \"{}\"`", b.id)),
                        );
                    }
                    Ok(Some((b, ext)))
                }
            }
        }
    }
}

/// What a rubric sets for itself (overriding a base's): level weights, points, rating bands
/// and least coverage, each with its location; and the rubric-wide guidance per level.
struct Overrides {
    levels: Option<(LevelWeights, Loc)>,
    points: Option<(Points, Loc)>,
    min_coverage: Option<(f64, Loc)>,
    bands: Option<(Vec<Band>, Loc)>,
    guidance: BTreeMap<Level, LevelGuidance>,
}

/// The rubric's own [`Overrides`]; an unknown guidance level is reported.
fn overrides(raw: &RawRubric, path: &Path, text: &str, out: &mut Vec<Diagnostic>) -> Overrides {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    let levels = raw.levels.as_ref().map(|l| (*l.get_ref(), at(l.span())));
    let points = raw.points.as_ref().map(|p| (*p.get_ref(), at(p.span())));
    let min_coverage = raw
        .min_coverage
        .as_ref()
        .map(|m| (*m.get_ref(), at(m.span())));
    let bands: Option<(Vec<Band>, Loc)> = raw.bands.as_ref().map(|b| {
        (
            b.get_ref()
                .iter()
                .map(|b| Band {
                    label: b.get_ref().label.clone(),
                    min: b.get_ref().min,
                })
                .collect(),
            at(b.span()),
        )
    });
    let mut guidance = BTreeMap::new();
    for (k, g) in &raw.guidance {
        match Level::parse(k) {
            Some(l) => {
                guidance.insert(l, g.clone());
            }
            None => out.push(
                diag(
                    Code::UnknownField,
                    Loc::default(),
                    format!("unknown guidance level `{k}`"),
                )
                .expected("`law`, `policy` or `practice`")
                .maybe_help(suggest::hint(k, ["law", "policy", "practice"])),
            ),
        }
    }
    Overrides {
        levels,
        points,
        min_coverage,
        bands,
        guidance,
    }
}

/// An extension: the criteria it selects of the base, with refined weights, and the base's
/// settings where it sets none of its own.
#[allow(clippy::too_many_arguments)]
fn extension(
    raw: &RawRubric,
    id: String,
    b: &Rubric,
    ext: &RawExtends,
    ov: &Overrides,
    path: &Path,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Rubric {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    // An extension: select criteria of the base and refine weights.
    let mut selected = Vec::new();
    let mut seen = BTreeSet::new();
    let base_ids: Vec<&str> = b.criteria.iter().map(|c| c.id.as_str()).collect();
    for c in &ext.criteria {
        let cid = c.get_ref();
        match b.criterion(cid) {
            Some(crit) => {
                if seen.insert(cid.clone()) {
                    selected.push(crit.clone());
                } else {
                    out.push(diag(
                        Code::DuplicateId,
                        at(c.span()),
                        format!("criterion `{cid}` is selected twice"),
                    ));
                }
            }
            None => out.push(
                diag(
                    Code::UnknownCriterion,
                    at(c.span()),
                    format!("criterion `{cid}` is not in base rubric `{}`", b.id),
                )
                .expected("a criterion id of the base rubric")
                .maybe_help(suggest::hint(cid, base_ids.iter().copied())),
            ),
        }
    }
    if ext.criteria.is_empty() {
        out.push(
            diag(
                Code::MissingField,
                ext_loc_of(raw),
                "the extension selects no criteria".into(),
            )
            .expected("`criteria = [...]` listing criterion ids of the base rubric"),
        );
    }
    if !raw.criteria.is_empty() || !raw.principles.is_empty() || !raw.assistance_types.is_empty() {
        out.push(
            diag(Code::BadExtends, ext_loc_of(raw), "an extension cannot define its own criteria, principles or types of assistance".into())
                .expected("`[extends]` selecting criteria of the base, with optional `[extends.weights]`")
                .help("remove the `[[criteria]]`, `[[principles]]` and `[[assistance_types]]` tables, or drop `[extends]`"),
        );
    }
    for (cid, w) in &ext.weights {
        let wv = *w.get_ref();
        if !(wv.is_finite() && wv > 0.0) {
            out.push(
                diag(
                    Code::BadWeight,
                    at(w.span()),
                    format!("refined weight of `{cid}` is {wv}"),
                )
                .expected("a finite number greater than 0"),
            );
        }
        match selected.iter_mut().find(|c| &c.id == cid) {
            Some(c) => c.weight = wv,
            None => out.push(
                diag(
                    Code::UnknownCriterion,
                    at(w.span()),
                    format!("weight for `{cid}`, which the extension does not select"),
                )
                .help("add it to `criteria` or remove the weight"),
            ),
        }
    }
    let mut extends = vec![b.id.clone()];
    extends.extend(b.extends.iter().cloned());
    let mut g = b.guidance.clone();
    g.extend(ov.guidance.clone());
    Rubric {
        id,
        title: raw.title.clone(),
        version: raw.version.clone(),
        description: raw.description.trim().to_string(),
        sha256: String::new(),
        extends,
        levels: ov.levels.map_or(b.levels, |l| l.0),
        points: ov.points.map_or(b.points, |p| p.0),
        bands: ov.bands.as_ref().map_or(b.bands.clone(), |x| x.0.clone()),
        min_coverage: ov.min_coverage.map_or(b.min_coverage, |m| m.0),
        principles: b.principles.clone(),
        assistance_types: b.assistance_types.clone(),
        guidance: g,
        // The base's highlights, kept to the selected criteria, unless the extension
        // has its own.
        highlights: if raw.highlights.is_some() {
            Vec::new()
        } else {
            narrow_highlights(&b.highlights, &selected)
        },
        criteria: selected,
        path: path.to_path_buf(),
    }
}

/// The numbers: level weights, status points, rating bands, least coverage.
fn check_numbers(rubric: &Rubric, ov: &Overrides, path: &Path, out: &mut Vec<Diagnostic>) {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    let lw = rubric.levels;
    let lloc = ov.levels.map_or(Loc::default(), |l| l.1);
    for l in Level::ALL {
        let w = lw.get(l);
        if !(w.is_finite() && w >= 0.0) {
            out.push(
                diag(Code::BadWeight, lloc, format!("level weight `{l}` is {w}"))
                    .expected("a finite number, 0 or more"),
            );
        }
    }
    if lw.sum() <= 0.0 {
        out.push(
            diag(Code::BadWeight, lloc, "all level weights are 0".into())
                .expected("at least one level weight greater than 0"),
        );
    }
    let p = rubric.points;
    let ploc = ov.points.map_or(Loc::default(), |p| p.1);
    for (name, v) in [
        ("full", p.full),
        ("partial", p.partial),
        ("none", p.none),
        ("unknown", p.unknown),
    ] {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            out.push(
                diag(
                    Code::BadWeight,
                    ploc,
                    format!("points for `{name}` are {v}"),
                )
                .expected("a number from 0 to 1"),
            );
        }
    }
    if !(p.full >= p.partial && p.partial >= p.none && p.none >= p.unknown) {
        out.push(
            diag(
                Code::BadWeight,
                ploc,
                "status points are not ordered".into(),
            )
            .expected("full ≥ partial ≥ none ≥ unknown"),
        );
    }
    let bloc = ov.bands.as_ref().map_or(Loc::new(1, 1), |b| b.1);
    if rubric.bands.is_empty() {
        out.push(
            diag(
                Code::BadBands,
                bloc,
                "the rubric defines no rating bands".into(),
            )
            .expected(
                "`[[bands]]` tables with `label` and `min`, highest first, the last with `min = 0`",
            ),
        );
    } else {
        let ordered = rubric.bands.windows(2).all(|w| w[0].min > w[1].min);
        let in_range = rubric
            .bands
            .iter()
            .all(|b| b.min.is_finite() && (0.0..=100.0).contains(&b.min));
        let last_zero = rubric.bands.last().is_some_and(|b| b.min == 0.0);
        if !ordered || !in_range || !last_zero {
            out.push(
                diag(
                    Code::BadBands,
                    bloc,
                    "rating bands are not strictly descending from at most 100 to 0".into(),
                )
                .expected("`min` values strictly descending, each 0–100, the last exactly 0")
                .help("order the `[[bands]]` tables highest first and end with `min = 0`"),
            );
        }
    }

    if let Some((m, loc)) = ov.min_coverage
        && !(m.is_finite() && (0.0..=100.0).contains(&m))
    {
        out.push(
            diag(Code::InvalidValue, loc, format!("min_coverage is {m}"))
                .expected("a percentage from 0 to 100")
                .help(format!(
                    "write `min_coverage = {DEFAULT_MIN_COVERAGE}` (the default), or 0 to rate every profile"
                )),
        );
    }
    if let Some(b) = rubric
        .bands
        .iter()
        .find(|b| b.label == INSUFFICIENT_EVIDENCE)
    {
        out.push(
            diag(
                Code::BadBands,
                bloc,
                format!("a rating band is labelled `{}`", b.label),
            )
            .expected("a band label other than `insufficient_evidence`")
            .help("`insufficient_evidence` is the rating of a profile under `min_coverage`; name the band otherwise"),
        );
    }
}

/// The base's highlights with only the criteria an extension selects; a group left with no
/// criterion is dropped, and a highlight left with too few groups.
fn narrow_highlights(base: &[Highlight], selected: &[Criterion]) -> Vec<Highlight> {
    base.iter()
        .filter_map(|h| {
            let groups: Vec<HighlightGroup> = h
                .groups
                .iter()
                .filter_map(|g| {
                    let criteria: Vec<String> = g
                        .criteria
                        .iter()
                        .filter(|c| selected.iter().any(|s| &s.id == *c))
                        .cloned()
                        .collect();
                    (!criteria.is_empty()).then(|| HighlightGroup {
                        label: g.label.clone(),
                        criteria,
                    })
                })
                .collect();
            let enough = match h.kind {
                HighlightKind::Contrast => groups.len() >= 2,
                HighlightKind::Each => !groups.is_empty(),
            };
            enough.then(|| Highlight {
                kind: h.kind,
                levels: h.levels.clone(),
                groups,
            })
        })
        .collect()
}

/// Checks `[[highlights]]`: every criterion named must be one of the rubric's.
fn highlights(
    raw: &[RawHighlight],
    rubric: &Rubric,
    push: &mut dyn FnMut(Diagnostic),
    at: &dyn Fn(std::ops::Range<usize>) -> Loc,
) -> Vec<Highlight> {
    let mut out = Vec::new();
    for h in raw {
        let mut groups = Vec::new();
        for g in &h.groups {
            let mut criteria = Vec::new();
            for c in &g.criteria {
                if rubric.criterion(c.get_ref()).is_some() {
                    criteria.push(c.get_ref().clone());
                } else {
                    push(
                        Diagnostic::new(
                            Code::UnknownCriterion,
                            &rubric.path,
                            at(c.span()),
                            format!("highlight names unknown criterion `{}`", c.get_ref()),
                        )
                        .maybe_help(suggest::hint(
                            c.get_ref(),
                            rubric.criteria.iter().map(|x| x.id.as_str()),
                        )),
                    );
                }
            }
            groups.push(HighlightGroup {
                label: g.label.trim().to_string(),
                criteria,
            });
        }
        out.push(Highlight {
            kind: h.kind,
            levels: h.levels.clone(),
            groups,
        });
    }
    out
}

fn ext_loc_of(raw: &RawRubric) -> Loc {
    raw.extends
        .as_ref()
        .map_or(Loc::new(1, 1), |_| Loc::default())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A TOML error as a located diagnostic (unknown keys with a suggestion).
pub(crate) fn toml_error(e: &toml::de::Error, text: &str, path: &Path) -> Diagnostic {
    let loc = e.span().map_or(Loc::default(), |s| line_col(text, s.start));
    let msg = e.message().trim().to_string();
    let first = msg.lines().next().unwrap_or_default().to_string();
    if let Some(field) = first
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
    {
        let expected: Vec<&str> = first
            .split("expected ")
            .nth(1)
            .map(|r| {
                r.split('`')
                    .filter(|s| !s.trim().is_empty() && !s.contains(',') && *s != " or ")
                    .collect()
            })
            .unwrap_or_default();
        return Diagnostic::new(
            Code::UnknownField,
            path,
            loc,
            format!("unknown field `{field}`"),
        )
        .expected(if expected.is_empty() {
            "a key of the rubric format".to_string()
        } else {
            format!("one of {}", suggest::join_quoted(&expected, "or"))
        })
        .maybe_help(suggest::hint(field, expected.iter().copied()));
    }
    if let Some(field) = first
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return Diagnostic::new(
            Code::MissingField,
            path,
            loc,
            format!("missing field `{field}`"),
        )
        .help(format!("add `{field} = ...`"));
    }
    if first.contains("duplicate key") {
        return Diagnostic::new(Code::DuplicateKey, path, loc, first)
            .help("keep one of the two entries");
    }
    if first.starts_with("invalid type")
        || first.starts_with("unknown variant")
        || first.starts_with("invalid value")
    {
        return Diagnostic::new(Code::InvalidValue, path, loc, first);
    }
    Diagnostic::new(Code::TomlSyntax, path, loc, first)
        .help("see docs/rubric-format.md for the rubric format")
}
