//! HTML output: self-contained, printable, accessible.
