//! The integration tests: one test binary, each file of tests/ a module of it (so tests/common
//! is compiled once). They run the real `frameaudit` binary on real files.

// The test crate has no public API: its helpers are `pub` for the modules beside them.
#![allow(unreachable_pub)]

mod common;

mod check;
mod compare;
mod generate;
mod hostile;
mod methodology;
mod output;
mod parallel;
mod properties;
mod regional_statements;
mod report;
mod report_html_render;
mod rubric_cmd;
mod schema;
mod score;
mod terminal;
mod validate;
mod yaml_suite;
