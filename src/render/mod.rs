//! Rendering: one module per output format. Renderers turn scorecards and reports into text;
//! none computes a score.

pub mod json;
pub mod table;
