//! JUnit XML output.
