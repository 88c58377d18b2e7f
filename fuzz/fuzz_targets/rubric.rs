//! Fuzz target: arbitrary bytes through the rubric loader, then scoring against the result.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| frameaudit_fuzz::rubric(data));
