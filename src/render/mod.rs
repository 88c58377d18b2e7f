//! Rendering: one module per output format. Renderers turn scorecards, reports and
//! comparisons into text; none computes a score. User text is escaped through [`escape`].

pub mod check_text;
pub mod cite;
pub mod compare;
pub mod diff;
pub mod escape;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod report_text;
pub mod rubric;
pub mod sarif;
pub mod table;

/// `s` with its first letter in lower case ("In law" → "in law").
pub(crate) fn lower_first(s: &str) -> String {
    crate::score::summary::lower_first(s)
}
