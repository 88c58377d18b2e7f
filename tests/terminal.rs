//! Runs over many files on a terminal: stderr is a pseudo-terminal (through `script` from
//! util-linux), so the progress bar is drawn from the loading threads. The run must finish
//! (the bar once waited forever for the stderr lock the main thread held), draw the bar, clear
//! it, and print the summary. Skipped with a NOTE where `script` is not available.
#![allow(clippy::print_stderr, reason = "the test says when it is skipped")]

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{frameaudit, root, utf8};

fn script_works() -> bool {
    Command::new("script")
        .args(["-qefc", "true", "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn progress_on_a_terminal_is_drawn_cleared_and_never_hangs() {
    if !script_works() {
        eprintln!("NOTE: progress_on_a_terminal… skipped: `script` (util-linux) is not available");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    // The bar is shown from 100 profiles on.
    frameaudit(&[
        "generate",
        "--count",
        "110",
        "--seed",
        "3",
        "-o",
        utf8(&dir),
    ])
    .run()
    .code(0);
    let bin = env!("CARGO_BIN_EXE_frameaudit");
    for cmd in ["validate", "check"] {
        let line = format!("{bin} {cmd} {}", utf8(&dir));
        let mut child = Command::new("script")
            .args(["-qefc", &line, "/dev/null"])
            .current_dir(root())
            .env("FRAMEAUDIT_TODAY", "2026-11-28")
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run script");
        let start = Instant::now();
        // A hang detector, not a speed target: a healthy run takes seconds.
        while child.try_wait().unwrap().is_none() {
            if start.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                panic!("`frameaudit {cmd}` on a terminal did not finish in 120 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{cmd}: {text}");
        assert!(
            text.contains("/110"),
            "{cmd}: no progress bar drawn:\n{text}"
        );
        assert!(
            text.contains("\x1b[2K"),
            "{cmd}: the bar is not cleared:\n{text}"
        );
        assert!(
            text.contains("0 errors, 0 warnings") || text.contains("check passed"),
            "{cmd}: no summary:\n{text}"
        );
    }
}
