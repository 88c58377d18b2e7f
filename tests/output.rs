//! Output plumbing through the real binary: a reader that closes the pipe early.

use crate::common;

use std::io::Read;
use std::process::{Command, Stdio};

/// `frameaudit compare --format csv | head -c 100`: the reader leaves after 100 bytes; the
/// rest of the ~130 KB cannot be written. That is the reader's choice, not an error: exit 0
/// and nothing on stderr.
#[test]
fn a_closed_stdout_pipe_is_not_an_error() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_frameaudit"))
        .args(["compare", "--format", "csv"])
        .current_dir(common::root())
        .env("FRAMEAUDIT_TODAY", "2026-11-28")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn frameaudit");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut head = [0u8; 100];
    stdout.read_exact(&mut head).expect("first bytes");
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    assert!(head.starts_with(b"country,criterion,level"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Only the data's own diagnostics (a member without a profile) may be on stderr: no error
    // and no word of the pipe.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .all(|l| !l.starts_with("error") && !l.to_lowercase().contains("pipe")),
        "no error on stderr, got: {err}"
    );
}

/// Under a 022 umask every file `report -o DIR` and `compare -o FILE` write is 0644, so that
/// colleagues and a web server can read them (not tempfile's 0600).
#[cfg(unix)]
#[test]
fn outputs_get_the_usual_permissions_under_umask_022() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reports");
    let cmp = tmp.path().join("asean.html");
    let script = format!(
        "umask 022 && \"$0\" report --format html -o '{}' && \"$0\" compare --format html -o '{}'",
        dir.display(),
        cmp.display()
    );
    let out = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_frameaudit")])
        .current_dir(common::root())
        .env("FRAMEAUDIT_TODAY", "2026-11-28")
        .output()
        .expect("run sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(cmp);
    assert!(files.len() > 10, "{files:?}");
    for f in files {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{} has mode {mode:o}", f.display());
    }
}
