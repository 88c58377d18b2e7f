//! Fuzz target: arbitrary bytes through the profile loader, checks and scoring.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| frameaudit_fuzz::profile(data));
