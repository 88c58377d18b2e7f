//! Every shape problem of a profile, not only the first: the file walked as a plain tree
//! against the expected shape (unknown, missing and mistyped keys), and the salvage that
//! blanks the keys at fault so that the rest can still be checked.

use super::*;

/// Parses a profile like [`parse`], but when the shape check stops at its first problem,
/// looks through the whole file as a plain tree and reports every unknown key (each with
/// its location and a suggestion), every missing key and every value of the wrong kind (a
/// list where a mapping belongs…), not only the first. The backend's own error is always
/// among them. Valid files pay nothing extra.
pub(crate) fn parse_all(
    text: &str,
    file: &Path,
    limits: &Limits,
) -> Result<RawProfile, Vec<Diagnostic>> {
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

/// Parses a profile like `parse_all`; when the shape check fails, also tries to read the
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
pub(super) type Cut = Vec<Loc>;

/// The keys to blank out so that `node`, a mapping of `shape`, fits its shape; `Err` when
/// blanking keys inside it cannot do it (the mapping itself must go, as when every key of
/// it would). `outer` holds the keys around it that may be blanked instead, outermost first.
pub(super) fn cuts(
    node: &yaml::Node,
    shape: Shape,
    outer: &[Loc],
    out: &mut Vec<Cut>,
) -> Result<(), ()> {
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
pub(super) fn blank_keys(text: &str, cuts: &[Cut]) -> Option<String> {
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
pub(super) enum Want {
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
pub(super) enum Shape {
    Top,
    Country,
    Source,
    Assessment,
    Cell,
    Finding,
}

/// A key of a mapping: its name, whether the loader's struct requires it, and what its
/// value must be.
pub(super) struct Field(pub(super) &'static str, pub(super) bool, pub(super) Want);

pub(super) const REQUIRED: bool = true;
pub(super) const OPTIONAL: bool = false;

impl Shape {
    /// The keys the loader's structs accept here, in field order, with whether each is
    /// required and what its value must be. The unit tests `shape_keys_match_the_structs`,
    /// `shape_required_keys_match_the_structs` and
    /// `the_walk_reports_a_misshapen_value_as_the_backend_does` keep it equal to the structs.
    pub(super) fn fields(self) -> &'static [Field] {
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
    pub(super) fn keys(self) -> Vec<&'static str> {
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
pub(super) fn key_problems(
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
pub(super) fn value_problems(
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
