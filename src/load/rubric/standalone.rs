//! A rubric of its own (not an extension): its principles, types of assistance and criteria,
//! each checked.

use super::*;

/// A rubric of its own: its principles, types of assistance and criteria, checked.
pub(super) fn standalone(
    raw: &RawRubric,
    id: String,
    ov: &Overrides,
    path: &Path,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Rubric {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    let mut principles = Vec::new();
    let mut types = Vec::new();
    for (list, dest, what) in [
        (&raw.principles, &mut principles, "principle"),
        (&raw.assistance_types, &mut types, "type of assistance"),
    ] {
        let mut seen = BTreeSet::new();
        for c in list {
            let cid = c.get_ref().id.get_ref();
            if !is_valid_id(cid) {
                out.push(diag(
                    Code::BadId,
                    at(c.get_ref().id.span()),
                    format!("{what} id `{cid}` is not a valid id"),
                ));
            }
            if !seen.insert(cid.clone()) {
                out.push(diag(
                    Code::DuplicateId,
                    at(c.get_ref().id.span()),
                    format!("{what} id `{cid}` is defined twice"),
                ));
            }
            dest.push(Category {
                id: cid.clone(),
                title: c.get_ref().title.clone(),
            });
        }
    }
    if raw.criteria.is_empty() {
        out.push(
            diag(
                Code::MissingField,
                Loc::new(1, 1),
                "the rubric defines no criteria".into(),
            )
            .expected("at least one `[[criteria]]` table, or an `[extends]` table"),
        );
    }
    let pids: Vec<&str> = principles.iter().map(|p| p.id.as_str()).collect();
    let tids: Vec<&str> = types.iter().map(|p| p.id.as_str()).collect();
    let mut criteria = Vec::new();
    let mut seen = BTreeSet::new();
    for c in &raw.criteria {
        criteria.push(criterion(c, &mut seen, &pids, &tids, path, text, out));
    }
    check_categories_used(raw, &principles, &types, &criteria, path, text, out);
    Rubric {
        id,
        title: raw.title.clone(),
        version: raw.version.clone(),
        description: raw.description.trim().to_string(),
        sha256: String::new(),
        extends: Vec::new(),
        levels: ov.levels.map_or_else(LevelWeights::default, |l| l.0),
        points: ov.points.map_or_else(Points::default, |p| p.0),
        bands: ov.bands.as_ref().map_or_else(Vec::new, |x| x.0.clone()),
        min_coverage: ov.min_coverage.map_or(DEFAULT_MIN_COVERAGE, |m| m.0),
        principles,
        assistance_types: types,
        guidance: ov.guidance.clone(),
        criteria,
        highlights: Vec::new(),
        path: path.to_path_buf(),
    }
}

/// One criterion: a valid, unique id, known principles and type, a positive weight, at least
/// one level, guidance at known levels.
pub(super) fn criterion(
    c: &Spanned<RawCriterion>,
    seen: &mut BTreeSet<String>,
    pids: &[&str],
    tids: &[&str],
    path: &Path,
    text: &str,
    out: &mut Vec<Diagnostic>,
) -> Criterion {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    let cl = at(c.span());
    let c = c.get_ref();
    let cid = c.id.get_ref();
    if !is_valid_id(cid) {
        out.push(
            diag(
                Code::BadId,
                at(c.id.span()),
                format!("criterion id `{cid}` is not a valid id"),
            )
            .expected("lower-case letters, digits, `.`, `_` or `-`"),
        );
    }
    if !seen.insert(cid.clone()) {
        out.push(
            diag(
                Code::DuplicateId,
                at(c.id.span()),
                format!("criterion id `{cid}` is defined twice"),
            )
            .help("give each criterion its own id"),
        );
    }
    for p in &c.principles {
        if !pids.contains(&p.get_ref().as_str()) {
            out.push(
                diag(
                    Code::UnknownPrinciple,
                    at(p.span()),
                    format!(
                        "criterion `{cid}` names unknown principle `{}`",
                        p.get_ref()
                    ),
                )
                .expected(format!("one of {}", suggest::join_quoted(pids, "or")))
                .maybe_help(suggest::hint(p.get_ref(), pids.iter().copied())),
            );
        }
    }
    if c.principles.is_empty() {
        out.push(
            diag(
                Code::MissingField,
                cl,
                format!("criterion `{cid}` names no principle"),
            )
            .expected("at least one principle id"),
        );
    }
    let t = c.assistance_type.get_ref();
    if !tids.contains(&t.as_str()) {
        out.push(
            diag(
                Code::UnknownAssistanceType,
                at(c.assistance_type.span()),
                format!("criterion `{cid}` names unknown type of assistance `{t}`"),
            )
            .expected(format!("one of {}", suggest::join_quoted(tids, "or")))
            .maybe_help(suggest::hint(t, tids.iter().copied())),
        );
    }
    let w = *c.weight.get_ref();
    if !(w.is_finite() && w > 0.0) {
        out.push(
            diag(
                Code::BadWeight,
                at(c.weight.span()).max(cl),
                format!("criterion `{cid}` has weight {w}"),
            )
            .expected("a finite number greater than 0"),
        );
    }
    let mut lv: Vec<Level> = c.levels.iter().map(|l| *l.get_ref()).collect();
    lv.sort();
    lv.dedup();
    if lv.is_empty() {
        out.push(
            diag(
                Code::MissingField,
                cl,
                format!("criterion `{cid}` applies at no level"),
            )
            .expected("`levels = [\"law\", \"policy\", \"practice\"]` or a subset"),
        );
    }
    let mut g = BTreeMap::new();
    for (k, v) in &c.guidance {
        match Level::parse(k) {
            Some(l) => {
                g.insert(l, v.clone());
            }
            None => out.push(
                diag(
                    Code::UnknownField,
                    cl,
                    format!("unknown guidance level `{k}` in `{cid}`"),
                )
                .expected("`law`, `policy` or `practice`"),
            ),
        }
    }
    Criterion {
        id: cid.clone(),
        title: c.title.trim().to_string(),
        question: c.question.trim().to_string(),
        principles: c.principles.iter().map(|p| p.get_ref().clone()).collect(),
        assistance_type: t.clone(),
        weight: w,
        levels: lv,
        references: c.references.clone(),
        guidance: g,
        loc: cl,
    }
}

/// Every principle and type of assistance has a criterion.
pub(super) fn check_categories_used(
    raw: &RawRubric,
    principles: &[Category],
    types: &[Category],
    criteria: &[Criterion],
    path: &Path,
    text: &str,
    out: &mut Vec<Diagnostic>,
) {
    let at = |span: std::ops::Range<usize>| line_col(text, span.start);
    let diag = |code: Code, loc: Loc, msg: String| Diagnostic::new(code, path, loc, msg);
    for (list, what, is_principle) in [
        (principles, "principle", true),
        (types, "type of assistance", false),
    ] {
        for p in list {
            let used = criteria.iter().any(|c| {
                if is_principle {
                    c.principles.contains(&p.id)
                } else {
                    c.assistance_type == p.id
                }
            });
            if !used {
                let raw_list = if is_principle {
                    &raw.principles
                } else {
                    &raw.assistance_types
                };
                let loc = raw_list
                    .iter()
                    .find(|c| c.get_ref().id.get_ref() == &p.id)
                    .map_or(Loc::default(), |c| at(c.get_ref().id.span()));
                out.push(
                    diag(
                        Code::EmptyCategory,
                        loc,
                        format!("{what} `{}` has no criterion", p.id),
                    )
                    .help("add a criterion for it, or remove it"),
                );
            }
        }
    }
}
