//! Markdown output.
