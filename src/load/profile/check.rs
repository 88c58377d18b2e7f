//! The checks that turn a raw profile into a validated [`Profile`] against a rubric, one
//! named step per part of the file, every problem reported.

use super::*;

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
pub(super) fn check_version(raw: &RawProfile, file: &Path, out: &mut Vec<Diagnostic>) {
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
pub(super) fn check_country(raw: &RawProfile, file: &Path, out: &mut Vec<Diagnostic>) {
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
pub(super) fn check_as_of(
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
pub(super) fn check_sources(
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
                .help(format!("try `{}`", crate::load::slug(id))),
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
pub(super) struct Citations<'a> {
    file: &'a Path,
    ids: &'a BTreeMap<String, Loc>,
    /// The ids cited so far (borrowed from `ids`).
    cited: BTreeSet<&'a str>,
}

impl<'a> Citations<'a> {
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
            if let Some((id, _)) = self.ids.get_key_value(src) {
                self.cited.insert(id.as_str());
            } else {
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
pub(super) fn check_assessments<'r>(
    raw: &'r RawProfile,
    file: &Path,
    rubric: Option<&Rubric>,
    criterion_ids: &[&str],
    cites: &mut Citations<'_>,
    out: &mut Vec<Diagnostic>,
) -> (
    BTreeMap<String, BTreeMap<Level, Cell>>,
    BTreeSet<(&'r str, Level)>,
) {
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, file, loc, msg);
    let mut assessments: BTreeMap<String, BTreeMap<Level, Cell>> = BTreeMap::new();
    // Cells written in the file, valid or not (an invalid cell is an error, not unassessed).
    let mut written: BTreeSet<(&str, Level)> = BTreeSet::new();
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
            written.insert((id.as_str(), level));
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
pub(super) fn check_cell(
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
pub(super) fn check_unassessed(
    raw: &RawProfile,
    file: &Path,
    rubric: Option<&Rubric>,
    written: &BTreeSet<(&str, Level)>,
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
                .filter(|l| !written.contains(&(c.id.as_str(), **l)))
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
pub(super) fn check_findings(
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
pub(super) fn check_unused_sources(
    raw: &RawProfile,
    file: &Path,
    cites: &Citations<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for s in &raw.sources {
        let id = &s.value.id.value;
        if !cites.cited.contains(id.as_str()) && cites.ids.get(id) == Some(&yaml::loc(&s.value.id))
        {
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

pub(super) const SOURCE_KINDS: [SourceKind; 4] = [
    SourceKind::Law,
    SourceKind::Policy,
    SourceKind::Report,
    SourceKind::Other,
];

/// The index of `value` among `allowed`, or an `invalid-value` diagnostic (with a
/// suggestion) pushed to `out`.
pub(super) fn one_of(
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
