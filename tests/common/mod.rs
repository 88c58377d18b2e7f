//! A small harness over the real binary: run `frameaudit` with arguments from the repository
//! root, with a fixed date and no colour, and look at exit code, stdout and stderr.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture path: `tests/fixtures/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("tests/fixtures").join(rel)
}

/// A temporary path as a command-line argument.
pub fn utf8(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temporary path")
}

/// What a run produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// A command being built.
pub struct Cmd {
    cmd: Command,
}

/// `frameaudit <args>` run from the repository root, dated 2026-11-28, colour off.
pub fn frameaudit(args: &[&str]) -> Cmd {
    Cmd::new(Command::new(env!("CARGO_BIN_EXE_frameaudit")), args)
}

/// `frameaudit <args>` like [`frameaudit`], but run as the unprivileged user `nobody`
/// (uid 65534) through `setpriv`, for permission tests when the tests run as root; None when
/// that is not possible here.
pub fn frameaudit_as_nobody(args: &[&str]) -> Option<Cmd> {
    let drop = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let works = Command::new("setpriv")
        .args(drop)
        .arg("true")
        .output()
        .is_ok_and(|o| o.status.success());
    if !works {
        return None;
    }
    let mut setpriv = Command::new("setpriv");
    setpriv.args(drop).arg(env!("CARGO_BIN_EXE_frameaudit"));
    Some(Cmd::new(setpriv, args))
}

impl Cmd {
    /// `cmd args` from the repository root, dated 2026-11-28, colour and CI detection off.
    fn new(mut cmd: Command, args: &[&str]) -> Cmd {
        cmd.args(args)
            .current_dir(root())
            .env("FRAMEAUDIT_TODAY", "2026-11-28")
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS");
        Cmd { cmd }
    }

    /// Runs in another directory.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Sets an environment variable.
    pub fn env(mut self, k: &str, v: &str) -> Self {
        self.cmd.env(k, v);
        self
    }

    /// Runs and collects the output.
    pub fn run(mut self) -> Run {
        let out = self.cmd.output().expect("run frameaudit");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts the exit code, showing the output when it differs.
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}
