//! Rendering: one module per output format. Renderers turn scorecards, reports and
//! comparisons into text; none computes a score. User text is escaped through [`escape`].

pub mod escape;
pub mod json;
pub mod table;
