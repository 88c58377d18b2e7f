//! Rendering: one module per output format. Renderers turn scorecards, reports and
//! comparisons into text; none computes a score. User text is escaped through `escape`.

pub(crate) mod check_text;
pub(crate) mod cite;
pub(crate) mod compare;
pub(crate) mod diff;
pub(crate) mod escape;
pub(crate) mod github;
pub(crate) mod html;
pub mod json;
pub(crate) mod junit;
pub(crate) mod markdown;
pub(crate) mod report_text;
pub(crate) mod rubric;
pub(crate) mod sarif;
pub(crate) mod table;

/// `s` with its first letter in lower case ("In law" → "in law").
pub(crate) fn lower_first(s: &str) -> String {
    crate::score::summary::lower_first(s)
}
