//! The YAML backend: the only file in frameaudit that names `serde_saphyr`. It parses text
//! into raw serde structs under resource budgets and turns the backend's errors into
//! located diagnostics. Swapping the YAML crate means rewriting this file and the
//! `Spanned` alias below, nothing else.

use std::path::Path;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::Limits;
use crate::diag::{Code, Diagnostic};
use crate::model::Loc;
use crate::suggest;

/// A value with the line and column of the YAML node it came from.
///
/// Read through the backend's span protocol (the `__yaml_spanned` newtype that
/// `serde_saphyr::Spanned` uses), keeping only the line and column where the value is
/// used: `serde_saphyr::Spanned` also builds the definition site and both byte spans,
/// field by field, for every located value (a few percent of a `check`, measured in
/// docs/performance.md). The unit test `located_values_match_the_backends_own_spans`
/// keeps the two equal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spanned<T> {
    /// The value.
    pub(crate) value: T,
    loc: Loc,
}

/// The location of a spanned YAML value.
pub(crate) fn loc<T>(s: &Spanned<T>) -> Loc {
    s.loc
}

/// `value` with no location: for a value read on the quick path (see
/// `profile::parse_quick`), whose locations are never shown.
pub(crate) fn unlocated<T>(value: T) -> Spanned<T> {
    Spanned {
        value,
        loc: Loc::default(),
    }
}

/// The newtype name by which serde-saphyr hands a value over with its locations.
const SPAN_PROTOCOL: &str = "__yaml_spanned";

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny};
        use std::marker::PhantomData;

        /// The fields the backend synthesizes: for the located value a marker, `value`,
        /// `referenced` (the use site, a `Location`) and `defined`; for a `Location`,
        /// `line`, `column` and more.
        enum Field {
            Value,
            Referenced,
            Line,
            Column,
            Other,
        }
        impl<'de> Deserialize<'de> for Field {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct F;
                impl Visitor<'_> for F {
                    type Value = Field;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a span field")
                    }
                    fn visit_str<E>(self, v: &str) -> Result<Field, E> {
                        Ok(match v {
                            "value" => Field::Value,
                            "referenced" => Field::Referenced,
                            "line" => Field::Line,
                            "column" => Field::Column,
                            _ => Field::Other,
                        })
                    }
                }
                d.deserialize_identifier(F)
            }
        }

        /// A `Location` struct: its `line` and `column`, the rest left unread.
        struct Where;
        impl<'de> Visitor<'de> for Where {
            type Value = Loc;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a location")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loc, A::Error> {
                let (mut line, mut column) = (None, None);
                while let Some(k) = map.next_key::<Field>()? {
                    match k {
                        Field::Line => line = Some(map.next_value::<u64>()?),
                        Field::Column => column = Some(map.next_value::<u64>()?),
                        // The byte span and source id: not needed, and not read.
                        _ => break,
                    }
                    if let (Some(l), Some(c)) = (line, column) {
                        let n = |x: u64| u32::try_from(x).unwrap_or(u32::MAX);
                        return Ok(Loc::new(n(l), n(c)));
                    }
                }
                Err(A::Error::custom("a location without its line and column"))
            }
        }
        struct WhereSeed;
        impl<'de> serde::de::DeserializeSeed<'de> for WhereSeed {
            type Value = Loc;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Loc, D::Error> {
                d.deserialize_struct("Location", &["line", "column"], Where)
            }
        }

        struct Fields<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Fields<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a located value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spanned<T>, A::Error> {
                let (mut value, mut loc) = (None, None);
                while let Some(k) = map.next_key::<Field>()? {
                    match k {
                        Field::Value => value = Some(map.next_value::<T>()?),
                        Field::Referenced => loc = Some(map.next_value_seed(WhereSeed)?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                    if value.is_some() && loc.is_some() {
                        break;
                    }
                }
                // The rest of the map (the definition site) is synthesized by the backend,
                // not read from the text: leaving it unread skips no YAML.
                match (value, loc) {
                    (Some(value), Some(loc)) => Ok(Spanned { value, loc }),
                    _ => Err(A::Error::custom(
                        "a located value without its value or location",
                    )),
                }
            }
        }

        struct Newtype<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Newtype<T> {
            type Value = Spanned<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a located value")
            }
            fn visit_newtype_struct<D: Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Spanned<T>, D::Error> {
                d.deserialize_struct(
                    "Spanned",
                    &["value", "referenced", "defined"],
                    Fields(PhantomData),
                )
            }
        }
        d.deserialize_newtype_struct(SPAN_PROTOCOL, Newtype(PhantomData))
    }
}

/// A YAML mapping kept in file order, with the location of every key. Duplicate keys are
/// rejected by the parser before this sees them.
#[derive(Debug)]
pub(crate) struct Entries<T>(pub Vec<(Spanned<String>, T)>);

impl<T> Default for Entries<T> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Entries<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Entries<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    let v = map.next_value::<T>()?;
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// Parses one YAML document into `T`, enforcing `limits`; any failure becomes one located
/// diagnostic.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    limits: &Limits,
) -> Result<T, Diagnostic> {
    if text.trim().is_empty() || only_comments(text) {
        return Err(Diagnostic::new(
            Code::EmptyFile,
            file,
            Loc::new(1, 1),
            "the file holds no YAML document",
        )
        .expected("a mapping with the format's keys")
        .help("see docs/profile-format.md for a complete example"));
    }
    // One pass, typed, under the budgets: a valid file is parsed once. The typed pass stops
    // at the first problem it meets, which may be a shape error met before a syntax or limit
    // error later in the file (an unknown first key above an alias bomb or a second
    // document). So when it fails, a shape-blind pass over the same text decides the cause:
    // a syntax, limit or document-count error is reported first, as such; only when the
    // text is well-formed and within the limits is the shape error reported.
    serde_saphyr::from_str_with_options::<T>(text, options(limits)).map_err(|typed| {
        match serde_saphyr::from_str_with_options::<IgnoredAny>(text, options(limits)) {
            Err(e) => to_diagnostic(&e, text, file, limits),
            Ok(_) => to_diagnostic(&typed, text, file, limits),
        }
    })
}

/// Parses one YAML document into `T` under the same budgets as [`parse`], without making a
/// diagnostic of a failure: for a first, cheaper attempt whose failure is handled by
/// parsing again with [`parse`].
pub(crate) fn parse_quiet<T: DeserializeOwned>(text: &str, limits: &Limits) -> Option<T> {
    if text.trim().is_empty() || only_comments(text) {
        return None;
    }
    serde_saphyr::from_str_with_options::<T>(text, options(limits)).ok()
}

/// A YAML document as a tree that keeps the location of every key and value: used to find
/// every misplaced key and misshapen value of a file at once, after the shape check stopped
/// at the first.
#[derive(Debug)]
pub(crate) enum Node {
    /// A mapping, its keys and values with their locations, in file order.
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
    /// A sequence.
    Seq(Vec<Spanned<Node>>),
    /// Any scalar.
    Scalar,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML node")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<Spanned<String>>()? {
                    out.push((k, map.next_value::<Spanned<Node>>()?));
                }
                Ok(Node::Map(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut out = Vec::new();
                while let Some(n) = seq.next_element::<Spanned<Node>>()? {
                    out.push(n);
                }
                Ok(Node::Seq(out))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_i128<E>(self, _: i128) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_u128<E>(self, _: u128) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Scalar)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses text that already passed [`parse`]'s first pass into a [`Node`] tree (None if the
/// tree cannot be built, e.g. a key that is not a scalar).
pub(crate) fn tree(text: &str, limits: &Limits) -> Option<Node> {
    serde_saphyr::from_str_with_options::<Node>(text, options(limits)).ok()
}

/// The backend's options: our budgets, duplicate keys refused, no snippets (we print our own
/// locations).
fn options(limits: &Limits) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_depth = limits.max_depth;
    budget.max_aliases = limits.max_aliases;
    budget.max_anchors = limits.max_aliases;
    budget.max_nodes = limits.max_nodes;
    budget.max_documents = 1;
    budget.flow_nesting_limit = limits.max_depth;
    budget.max_total_scalar_bytes = limits.max_file_bytes;
    budget.max_recorded_anchor_bytes = limits.max_file_bytes;
    let mut alias_limits = serde_saphyr::options::AliasLimits::default();
    alias_limits.max_total_replayed_events = limits.max_nodes;
    serde_saphyr::options! {
        budget: Some(budget),
        alias_limits: alias_limits,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        with_snippet: false,
    }
}

fn only_comments(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---" || t == "..."
    })
}

fn to_diagnostic(
    err: &serde_saphyr::Error,
    text: &str,
    file: &Path,
    limits: &Limits,
) -> Diagnostic {
    use serde_saphyr::Error as E;
    let err = unwrap(err);
    let loc = err
        .location()
        .map(|l| {
            Loc::new(
                u32::try_from(l.line()).unwrap_or(u32::MAX),
                u32::try_from(l.column()).unwrap_or(u32::MAX),
            )
        })
        .unwrap_or_default();
    let d = |code: Code, msg: String| Diagnostic::new(code, file, loc, msg);
    match err {
        E::SerdeUnknownField {
            field, expected, ..
        } => d(Code::UnknownField, format!("unknown field `{field}`"))
            .expected(if expected.is_empty() {
                "no fields here".to_string()
            } else {
                format!("one of {}", suggest::join_quoted(expected, "or"))
            })
            .maybe_help(suggest::hint(field, expected.iter().copied())),
        E::SerdeMissingField { field, .. } => {
            d(Code::MissingField, format!("missing field `{field}`"))
                .help(format!("add `{field}:` to this mapping"))
        }
        E::DuplicateMappingKey { key, .. } => {
            let what = key
                .as_deref()
                .map_or_else(|| "a key".to_string(), |k| format!("key `{k}`"));
            d(Code::DuplicateKey, format!("duplicate {what} in this mapping"))
                .expected("each key at most once per mapping")
                .help("merge the two entries into one; the file is not read with either silently dropped")
        }
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => d(Code::InvalidValue, format!("unknown value `{variant}`"))
            .expected(format!("one of {}", suggest::join_quoted(expected, "or")))
            .maybe_help(suggest::hint(variant, expected.iter().copied())),
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => d(Code::InvalidValue, format!("found {unexpected}")).expected(expected.clone()),
        E::MultipleDocuments { .. } => d(
            Code::MultipleDocuments,
            "more than one YAML document in the file".into(),
        )
        .expected("exactly one document")
        .help("remove the `---` separator and keep one document per file"),
        E::Budget { breach, .. } => budget_diagnostic(breach, file, loc, limits),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => d(
            Code::ResourceLimit,
            format!(
                "aliases expand to more than {} nodes (an alias bomb?)",
                limits.max_nodes
            ),
        )
        .expected(format!("at most {} nodes after expanding aliases", limits.max_nodes))
        .help(LIMIT_HELP),
        E::NullIntoString { .. } => d(Code::InvalidValue, "found an empty value".into())
            .expected("a string")
            .help("write the text after the colon, or remove the key"),
        E::InvalidScalar { ty, .. } => {
            let wanted = if ty.starts_with('u') {
                "a whole number, 0 or more"
            } else if ty.starts_with('i') {
                "a whole number"
            } else {
                "a number"
            };
            let value = scalar_at(text, loc);
            d(
                Code::InvalidValue,
                if value.is_empty() {
                    format!("this value is not {wanted}")
                } else {
                    format!("`{value}` is not {wanted}")
                },
            )
            .expected(wanted)
            .help("write the number in digits, without quotes (e.g. `format_version: 1`)")
        }
        E::InvalidBooleanStrict { .. } | E::NonFiniteFloat { .. } => {
            d(Code::InvalidValue, plain(err))
        }
        E::Unexpected { expected, .. } => {
            let wanted = match *expected {
                "mapping start" | "empty mapping start" => WANT_MAP,
                "sequence start" => WANT_LIST,
                "string scalar" => WANT_TEXT,
                other => other,
            };
            misshapen(text, file, loc, wanted)
        }
        E::ExternalMessage { msg, .. } if msg.contains("recursion limit") => d(
            Code::ResourceLimit,
            format!("nesting deeper than the limit of {} levels", limits.max_depth),
        )
        .expected(format!("at most {} levels of nesting", limits.max_depth))
        .help(LIMIT_HELP),
        _ if plain(err).contains("tab") => {
            // The backend places some tab errors at the end of the scalar before the tab
            // (the line above); report the tab itself.
            let at = tab_at_or_after(text, loc).unwrap_or(loc);
            Diagnostic::new(Code::YamlSyntax, file, at, "a tab character in the indentation")
                .expected("indentation with spaces")
                .help("YAML does not allow tabs for indentation: replace the tab with spaces")
        }
        _ => match misaligned(text, loc) {
            Some((at, words)) => Diagnostic::new(Code::YamlSyntax, file, at, words)
                .expected("the keys of one mapping starting in the same column")
                .help("indent this key as much as the other keys of its mapping (YAML uses indentation for nesting)"),
            None => d(Code::YamlSyntax, plain(err)).help("check indentation and quoting near this position; strings containing `: ` or starting with `*`, `&`, `!`, `[` or `{` need quotes"),
        },
    }
}

/// The first tab on `loc`'s line or the two after it.
fn tab_at_or_after(text: &str, loc: Loc) -> Option<Loc> {
    let first = usize::try_from(loc.line).ok()?.checked_sub(1)?;
    for (i, line) in text.lines().enumerate().skip(first).take(3) {
        if let Some(col) = line.chars().position(|c| c == '\t') {
            let line_no = u32::try_from(i + 1).ok()?;
            return Some(Loc::new(line_no, u32::try_from(col + 1).ok()?));
        }
    }
    None
}

/// A line of YAML that holds content: its number (1-based), indentation in spaces and key.
struct Line<'a> {
    no: usize,
    indent: usize,
    key: Option<&'a str>,
    opens: bool,
}

fn content_line(no: usize, line: &str) -> Option<Line<'_>> {
    let body = line.trim_start_matches(' ');
    if body.is_empty() || body.starts_with('#') || body.starts_with('\t') {
        return None;
    }
    let indent = line.len() - body.len();
    let item = body.strip_prefix("- ").unwrap_or(body);
    let key = item
        .split_once(':')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty() && !k.contains([' ', '"', '\'', '[', '{']));
    let opens = body.trim_end().ends_with(':');
    Some(Line {
        no,
        indent,
        key,
        opens,
    })
}

/// When a syntax error at `loc` comes from a key indented differently from its
/// neighbours, where that key is and what is wrong, in plain words.
fn misaligned(text: &str, loc: Loc) -> Option<(Loc, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let at = usize::try_from(loc.line).ok()?.checked_sub(1)?;
    let cur = content_line(at + 1, lines.get(at)?)?;
    let prev = (0..at).rev().find_map(|i| content_line(i + 1, lines[i]))?;
    let next = (at + 1..lines.len()).find_map(|i| content_line(i + 1, lines[i]));
    let (ck, pk) = (cur.key?, prev.key?);
    let spaces = |n: usize| format!("{n} {}", if n == 1 { "space" } else { "spaces" });
    let at_line = |l: &Line<'_>| {
        Loc::new(
            u32::try_from(l.no).unwrap_or(u32::MAX),
            u32::try_from(l.indent + 1).unwrap_or(u32::MAX),
        )
    };
    if prev.indent == cur.indent || prev.opens && cur.indent > prev.indent {
        return None;
    }
    if prev.indent > cur.indent
        && !prev.opens
        && next.as_ref().is_some_and(|n| n.indent == cur.indent)
    {
        // The line before is the odd one out.
        return Some((
            at_line(&prev),
            format!(
                "`{pk}` on line {} is indented {}, more than the keys around it (`{ck}` on line {} has {})",
                prev.no,
                spaces(prev.indent),
                cur.no,
                spaces(cur.indent)
            ),
        ));
    }
    let how = if cur.indent > prev.indent {
        "more"
    } else {
        "less"
    };
    Some((
        at_line(&cur),
        format!(
            "`{ck}` on line {} is indented {}, {how} than `{pk}` on line {} ({})",
            cur.no,
            spaces(cur.indent),
            prev.no,
            spaces(prev.indent)
        ),
    ))
}

/// What a mapping is, in a diagnostic's `expected`.
pub(crate) const WANT_MAP: &str = "a mapping (`key: value` lines)";
/// What a list is, in a diagnostic's `expected`.
pub(crate) const WANT_LIST: &str = "a list (`- item` lines or `[a, b]`)";
/// What a single text value is, in a diagnostic's `expected`.
pub(crate) const WANT_TEXT: &str = "a single value (text)";

/// The value at `loc` of `text` is not of the `wanted` kind (one of the `WANT_*` texts, or
/// the backend's words).
pub(crate) fn misshapen(text: &str, file: &Path, loc: Loc, wanted: &str) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidValue,
        file,
        loc,
        format!("found {} where {wanted} belongs", found_at(text, loc)),
    )
    .expected(wanted)
    .help("see docs/profile-format.md for the shape of each key")
}

const LIMIT_HELP: &str = "profiles need no anchors and 5 levels of nesting; raise the limits with --max-depth, --max-nodes or --max-aliases only for trusted input (see docs/security.md)";

/// A budget breach in words.
fn budget_diagnostic(
    breach: &serde_saphyr::budget::BudgetBreach,
    file: &Path,
    loc: Loc,
    limits: &Limits,
) -> Diagnostic {
    use serde_saphyr::budget::BudgetBreach as B;
    let limit = |msg: String, expected: String| {
        Diagnostic::new(Code::ResourceLimit, file, loc, msg)
            .expected(expected)
            .help(LIMIT_HELP)
    };
    match breach {
        B::Documents { .. } => Diagnostic::new(
            Code::MultipleDocuments,
            file,
            loc,
            "more than one YAML document in the file",
        )
        .expected("exactly one document")
        .help("remove the `---` separator and keep one document per file"),
        B::Depth { .. } => limit(
            format!(
                "nesting deeper than the limit of {} levels",
                limits.max_depth
            ),
            format!("at most {} levels of nesting", limits.max_depth),
        ),
        B::Nodes { .. } | B::Events { .. } => limit(
            format!("more than {} YAML nodes", limits.max_nodes),
            format!("at most {} nodes", limits.max_nodes),
        ),
        B::Aliases { .. } | B::Anchors { .. } | B::AliasAnchorRatio { .. } => limit(
            format!("more than {} anchors or aliases", limits.max_aliases),
            format!("at most {} anchors and aliases", limits.max_aliases),
        ),
        B::ScalarBytes { .. } | B::InputBytes { .. } | B::RecordedAnchorBytes { .. } => limit(
            format!("more than {} bytes of text", limits.max_file_bytes),
            format!("at most {} bytes", limits.max_file_bytes),
        ),
        other => limit(
            format!("a YAML resource limit was exceeded ({other:?})"),
            format!(
                "at most {} levels of nesting, {} aliases and {} nodes",
                limits.max_depth, limits.max_aliases, limits.max_nodes
            ),
        ),
    }
}

fn unwrap(err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    let mut e = err.without_snippet();
    while let serde_saphyr::Error::AliasError { error, .. } = e {
        e = error.without_snippet();
    }
    e
}

/// The backend's message without its trailing location (we print our own).
fn plain(err: &serde_saphyr::Error) -> String {
    let s = err.to_string();
    let s = match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    };
    let s = s.lines().next().unwrap_or_default().trim().to_string();
    if s.is_empty() {
        "the YAML could not be read".to_string()
    } else {
        s
    }
}

/// The plain scalar written at `loc` of `text`, up to the end of the line or of its flow
/// collection (empty when there is none).
fn scalar_at(text: &str, loc: Loc) -> &str {
    rest_at(text, loc)
        .split([',', '}', ']', '#'])
        .next()
        .unwrap_or_default()
        .trim()
}

/// The text of `loc`'s line from `loc` on, leading blanks removed.
fn rest_at(text: &str, loc: Loc) -> &str {
    usize::try_from(loc.line)
        .ok()
        .and_then(|l| text.lines().nth(l.checked_sub(1)?))
        .map(|line| {
            let col = usize::try_from(loc.column).unwrap_or(1).saturating_sub(1);
            line.char_indices()
                .nth(col)
                .map_or("", |(i, _)| &line[i..])
                .trim_start()
        })
        .unwrap_or_default()
}

/// What kind of node starts at `loc` in `text`, in words ("a list", "a mapping", "a single
/// value").
fn found_at(text: &str, loc: Loc) -> &'static str {
    let rest = rest_at(text, loc);
    match rest.chars().next() {
        Some('[') => "a list",
        Some('-') if rest.len() == 1 || rest[1..].starts_with([' ', '\t']) => "a list",
        Some('{') => "a mapping",
        Some(_) => {
            // Up to the end of this node in flow style (`{ a: x, b: y }` on one line).
            let node = rest
                .split([',', '}', ']'])
                .next()
                .unwrap_or(rest)
                .trim_end();
            if node.contains(": ") || node.ends_with(':') {
                "a mapping"
            } else {
                "a single value"
            }
        }
        None => "a single value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::profile::RawProfile;

    fn err(text: &str) -> Diagnostic {
        parse::<RawProfile>(text, Path::new("t.yaml"), &Limits::default()).unwrap_err()
    }

    /// Every located value of the plain tree, with its location, in document order.
    fn ours(n: &Spanned<Node>, out: &mut Vec<Loc>) {
        out.push(loc(n));
        match &n.value {
            Node::Map(m) => m.iter().for_each(|(k, v)| {
                out.push(loc(k));
                ours(v, out);
            }),
            Node::Seq(s) => s.iter().for_each(|v| ours(v, out)),
            Node::Scalar => {}
        }
    }

    /// A plain tree read with the backend's own `Spanned`, to compare locations with.
    #[derive(Debug)]
    enum Theirs {
        Map(Vec<(serde_saphyr::Spanned<String>, serde_saphyr::Spanned<Theirs>)>),
        Seq(Vec<serde_saphyr::Spanned<Theirs>>),
        Scalar,
    }

    impl<'de> Deserialize<'de> for Theirs {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Theirs;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("any YAML node")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Theirs, A::Error> {
                    let mut out = Vec::new();
                    while let Some(k) = map.next_key()? {
                        out.push((k, map.next_value()?));
                    }
                    Ok(Theirs::Map(out))
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<Theirs, A::Error> {
                    let mut out = Vec::new();
                    while let Some(n) = seq.next_element()? {
                        out.push(n);
                    }
                    Ok(Theirs::Seq(out))
                }
                fn visit_u64<E>(self, _: u64) -> Result<Theirs, E> {
                    Ok(Theirs::Scalar)
                }
                fn visit_i64<E>(self, _: i64) -> Result<Theirs, E> {
                    Ok(Theirs::Scalar)
                }
                fn visit_str<E>(self, _: &str) -> Result<Theirs, E> {
                    Ok(Theirs::Scalar)
                }
            }
            d.deserialize_any(V)
        }
    }

    #[test]
    fn located_values_match_the_backends_own_spans() {
        // Block and flow mappings and sequences, quoted, plain, folded and literal
        // scalars, an alias, comments, multi-byte text and a document marker.
        let text = "---\n# c\nformat_version: 1\ncountry: { code: PH, name: \"Philippines\" }\n\
                    sources:\n  - id: 's1'\n    title: >-\n      Folded\n      title\n    year: 2024\n\
                    \x20 - &src { id: s2, title: \"Ünïcode — ok\", kind: law }\n  - *src\n\
                    assessments:\n  a.b:\n    law:\n      status: full   # trailing\n\
                    \x20     evidence: [s1 art.1, \"s2\"]\n      note: |\n        line one\n        line two\n";
        let limits = Limits::default();
        let tree: Spanned<Node> =
            serde_saphyr::from_str_with_options(text, options(&limits)).expect("our tree");
        let mut mine = Vec::new();
        ours(&tree, &mut mine);
        // The backend's own spans over the same text.
        let theirs: serde_saphyr::Spanned<Theirs> =
            serde_saphyr::from_str_with_options(text, options(&limits)).expect("their tree");
        fn walk(n: &serde_saphyr::Spanned<Theirs>, out: &mut Vec<Loc>) {
            let at = |l: serde_saphyr::Location| Loc::new(l.line() as u32, l.column() as u32);
            out.push(at(n.referenced));
            match &n.value {
                Theirs::Map(m) => m.iter().for_each(|(k, v)| {
                    out.push(at(k.referenced));
                    walk(v, out);
                }),
                Theirs::Seq(s) => s.iter().for_each(|v| walk(v, out)),
                Theirs::Scalar => {}
            }
        }
        let mut backend = Vec::new();
        walk(&theirs, &mut backend);
        assert!(mine.len() > 30, "{mine:?}");
        assert!(mine.iter().all(|l| l.line > 0), "{mine:?}");
        assert_eq!(mine, backend);
    }

    #[test]
    fn limits_and_documents_come_before_the_shape() {
        let bomb = "x: &a [1, 1, 1, 1, 1, 1, 1, 1]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n";
        let tight = Limits {
            max_aliases: 4,
            ..Limits::default()
        };
        let d = parse::<RawProfile>(bomb, Path::new("t.yaml"), &tight).unwrap_err();
        assert_eq!(d.code, Code::ResourceLimit, "{d:?}");
        let d = err("unknown: 1\n---\nother: 2\n");
        assert_eq!((d.code, d.loc), (Code::MultipleDocuments, Loc::new(2, 1)));
    }

    const HEAD: &str = "format_version: 1\ncountry: { code: XA, name: A }\nrubric: r\nas_of: 2020-01-01\nsources: []\nassessments:\n  a.b:\n";

    #[test]
    fn a_tab_is_reported_on_its_own_line() {
        // After a plain scalar the backend points at the line above the tab.
        for (body, at) in [
            (
                "    law:\n      status: full\n\tevidence: [s]\n",
                Loc::new(10, 1),
            ),
            ("    law:\n\t  status: full\n", Loc::new(9, 1)),
            ("    law:\n      note: >-\n\t  text\n", Loc::new(10, 1)),
        ] {
            let d = err(&format!("{HEAD}{body}"));
            assert_eq!((d.code, d.loc), (Code::YamlSyntax, at), "{body:?}: {d:?}");
            assert!(d.message.contains("tab"), "{d:?}");
        }
    }

    #[test]
    fn indentation_errors_say_which_key_is_out_of_line() {
        let d = err(&format!(
            "{HEAD}    law:\n         status: full\n      evidence: [s]\n      note: n\n"
        ));
        assert_eq!(
            (d.code, d.loc),
            (Code::YamlSyntax, Loc::new(9, 10)),
            "{d:?}"
        );
        assert_eq!(
            d.message,
            "`status` on line 9 is indented 9 spaces, more than the keys around it (`evidence` on line 10 has 6 spaces)"
        );
        let d = err(&format!(
            "{HEAD}    law:\n      status: full\n        evidence: [s]\n"
        ));
        assert_eq!(d.loc, Loc::new(10, 9), "{d:?}");
        assert!(d.message.contains("`evidence` on line 10 is indented 8 spaces, more than `status` on line 9 (6 spaces)"), "{d:?}");
        let d = err(&format!(
            "{HEAD}    law:\n      status: full\n     evidence: [s]\n"
        ));
        assert_eq!(d.loc, Loc::new(10, 6), "{d:?}");
        assert!(
            d.message.contains("indented 5 spaces, less than `status`"),
            "{d:?}"
        );
    }

    #[test]
    fn wrong_kind_of_node_is_named() {
        assert_eq!(found_at("- a\n", Loc::new(1, 1)), "a list");
        assert_eq!(found_at("k: [a]\n", Loc::new(1, 4)), "a list");
        assert_eq!(found_at("k: {a: 1}\n", Loc::new(1, 4)), "a mapping");
        assert_eq!(found_at("k: text\n", Loc::new(1, 4)), "a single value");
        assert_eq!(found_at("", Loc::new(9, 9)), "a single value");
        let d = err("format_version: 1\ncountry: [XX]\n");
        assert_eq!(d.code, Code::InvalidValue);
        assert_eq!(
            d.message,
            "found a list where a mapping (`key: value` lines) belongs"
        );
    }
}
