//! Hostile input and safe output, through the real binary. Each kind of bad input must end
//! in exit 2 with a located diagnostic of a stable code — never a panic, a hang or unbounded
//! memory — and a good file named in the same run must still be checked: every test passes
//! `tests/fixtures/hostile/companion.yaml`, whose one known error (an unknown source at
//! 13:49) must be reported too. Outputs are written atomically, never onto an input, and
//! are byte-identical from run to run.
#![allow(
    clippy::print_stderr,
    reason = "tests say which parts they skip and how long the slow cases took"
)]

use crate::common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{Run, fixture, frameaudit};
use serde_json::Value;

const COMPANION: &str = "tests/fixtures/hostile/companion.yaml";

/// A hostile case: run `validate --format json` over `paths` plus the companion.
fn validate(extra: &[&str], paths: &[&str]) -> (Run, Vec<Value>) {
    validate_with(|a| Some(frameaudit(a)), extra, paths).expect("frameaudit runs")
}

/// [`validate`], with the command built by `cmd` (None when it cannot be built here).
fn validate_with(
    cmd: impl Fn(&[&str]) -> Option<common::Cmd>,
    extra: &[&str],
    paths: &[&str],
) -> Option<(Run, Vec<Value>)> {
    let mut args = vec!["validate", "--format", "json"];
    args.extend_from_slice(extra);
    args.extend_from_slice(paths);
    args.push(COMPANION);
    let run = cmd(&args)?.run();
    let doc: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "validate --format json must print JSON ({e})\n--- stdout\n{}\n--- stderr\n{}",
            run.stdout, run.stderr
        )
    });
    let diags = doc["diagnostics"].as_array().cloned().unwrap_or_default();
    Some((run, diags))
}

/// Asserts exit 2, a diagnostic with `code` for a file whose path ends in `file` (at
/// `line:col` when given), and the companion's own error.
fn assert_rejected(
    run: &Run,
    diags: &[Value],
    file: &str,
    code: &str,
    at: Option<(u64, u64)>,
) -> Value {
    run.code(2);
    let found = diags
        .iter()
        .find(|d| d["code"] == code && d["file"].as_str().is_some_and(|f| f.ends_with(file)))
        .unwrap_or_else(|| panic!("no `{code}` diagnostic for {file} in\n{diags:#?}"))
        .clone();
    assert_eq!(found["severity"], "error");
    assert!(
        found["message"].as_str().is_some_and(|m| m.len() > 10),
        "a readable message: {found}"
    );
    if let Some((line, col)) = at {
        assert_eq!(
            (found["line"].as_u64(), found["column"].as_u64()),
            (Some(line), Some(col)),
            "location of {found}"
        );
    }
    assert!(
        diags.iter().any(|d| d["code"] == "unknown-source"
            && d["file"]
                .as_str()
                .is_some_and(|f| f.ends_with("companion.yaml"))
            && d["line"] == 13
            && d["column"] == 49),
        "the companion file must still be checked:\n{diags:#?}"
    );
    found
}

fn hostile(name: &str) -> String {
    format!("tests/fixtures/hostile/{name}")
}

#[test]
fn companion_alone_reports_its_one_error() {
    let run = frameaudit(&["validate", "--format", "json", COMPANION]).run();
    run.code(2);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["errors"], 1, "{doc:#}");
}

#[test]
fn yaml_syntax_error() {
    let (run, d) = validate(&[], &[&hostile("syntax.yaml")]);
    assert_rejected(&run, &d, "syntax.yaml", "yaml-syntax", Some((2, 28)));
}

#[test]
fn human_output_is_located_and_readable() {
    let run = frameaudit(&["validate", &hostile("syntax.yaml"), COMPANION]).run();
    run.code(2);
    assert!(
        run.stderr.contains("error[yaml-syntax]: ")
            && run
                .stderr
                .contains("--> tests/fixtures/hostile/syntax.yaml:2:28")
            && run.stderr.contains("= help: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("companion.yaml:13:49"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("2 files, 2 errors"), "{}", run.stderr);
}

#[test]
fn tabs_for_indentation() {
    let (run, d) = validate(&[], &[&hostile("tabs.yaml")]);
    let found = assert_rejected(&run, &d, "tabs.yaml", "yaml-syntax", Some((3, 1)));
    assert!(
        found["help"].as_str().unwrap().contains("spaces"),
        "{found}"
    );
}

#[test]
fn empty_file() {
    let (run, d) = validate(&[], &[&hostile("empty.yaml")]);
    assert_rejected(&run, &d, "empty.yaml", "empty-file", Some((1, 1)));
}

#[test]
fn file_of_comments_only() {
    let (run, d) = validate(&[], &[&hostile("comments-only.yaml")]);
    assert_rejected(&run, &d, "comments-only.yaml", "empty-file", Some((1, 1)));
}

#[test]
fn list_where_a_mapping_belongs() {
    let (run, d) = validate(&[], &[&hostile("list.yaml")]);
    let found = assert_rejected(&run, &d, "list.yaml", "invalid-value", Some((1, 1)));
    assert_eq!(
        found["message"],
        "found a list where a mapping (`key: value` lines) belongs"
    );
}

#[test]
fn several_documents_in_one_file() {
    let (run, d) = validate(&[], &[&hostile("multi.yaml")]);
    assert_rejected(&run, &d, "multi.yaml", "multiple-documents", Some((3, 1)));
}

#[test]
fn invalid_utf8() {
    let (run, d) = validate(&[], &[&hostile("invalid-utf8.yaml")]);
    assert_rejected(&run, &d, "invalid-utf8.yaml", "invalid-utf8", Some((2, 32)));
}

#[test]
fn binary_file() {
    let (run, d) = validate(&[], &[&hostile("binary.yaml")]);
    let found = assert_rejected(&run, &d, "binary.yaml", "invalid-utf8", Some((3, 1)));
    assert!(found["message"].as_str().unwrap().contains("binary"));
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let start = Instant::now();
    let (run, d) = validate(&[], &[&hostile("alias-bomb.yaml")]);
    let took = start.elapsed();
    assert_rejected(&run, &d, "alias-bomb.yaml", "resource-limit", Some((2, 38)));
    eprintln!("alias bomb refused in {took:?}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn alias_limit_is_adjustable() {
    // With a tighter alias limit the bomb trips the alias count instead of the node count.
    let (run, d) = validate(&["--max-aliases", "4"], &[&hostile("alias-bomb.yaml")]);
    let found = assert_rejected(&run, &d, "alias-bomb.yaml", "resource-limit", None);
    assert!(
        found["message"].as_str().unwrap().contains("more than 4"),
        "{found}"
    );
}

#[test]
fn deep_nesting() {
    let (run, d) = validate(&[], &[&hostile("deep.yaml")]);
    let found = assert_rejected(&run, &d, "deep.yaml", "resource-limit", Some((34, 65)));
    assert!(found["message"].as_str().unwrap().contains("32 levels"));
    // The limit is adjustable: with room for 41 levels the file parses and fails on its shape.
    let (run, d) = validate(&["--max-depth", "64"], &[&hostile("deep.yaml")]);
    assert_rejected(&run, &d, "deep.yaml", "unknown-field", Some((2, 1)));
}

#[test]
fn nested_brackets_are_refused_fast() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brackets.yaml");
    // 200 KB of `[`, the input that took serde_yaml 17 s.
    std::fs::write(&path, "[".repeat(200_000)).unwrap();
    let start = Instant::now();
    let (run, d) = validate(&[], &[path.to_str().unwrap()]);
    let took = start.elapsed();
    assert_rejected(&run, &d, "brackets.yaml", "resource-limit", Some((1, 33)));
    eprintln!("200 KB of nested brackets refused in {took:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn very_large_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("large.yaml");
    // ~24 MB of well-formed YAML: a long list of sources.
    let mut text = String::from("format_version: 1\nsources:\n");
    let item = "  - { id: s, title: \"a title long enough to take some room\", kind: law }\n";
    while text.len() < 24 * 1024 * 1024 {
        text.push_str(item);
    }
    std::fs::write(&path, &text).unwrap();
    let p = path.to_str().unwrap();

    let start = Instant::now();
    let (run, d) = validate(&[], &[p]);
    let took = start.elapsed();
    let found = assert_rejected(&run, &d, "large.yaml", "resource-limit", None);
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .contains("over the limit")
    );
    eprintln!("24 MB file refused by size in {took:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");

    // Raising the size limit lets it be read; the node limit still stops it.
    let start = Instant::now();
    let (run, d) = validate(&["--max-file-size", "100000000"], &[p]);
    let took = start.elapsed();
    let found = assert_rejected(&run, &d, "large.yaml", "resource-limit", None);
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .contains("200000 YAML nodes"),
        "{found}"
    );
    eprintln!("24 MB file read and refused by the node limit in {took:?}");
    assert!(took < Duration::from_secs(20), "took {took:?}");
}

#[cfg(unix)]
#[test]
fn unreadable_file_and_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("locked.yaml");
    std::fs::copy(fixture("hostile/companion.yaml"), &file).unwrap();
    let sub = dir.path().join("locked-dir");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(sub.join("zz.yaml"), "format_version: 1\n").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    let restore = || {
        let _ = std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755));
        let _ = std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644));
    };
    let paths = [file.to_str().unwrap(), sub.to_str().unwrap()];
    // chmod 000 does not block reads for root: then run the binary as `nobody`, and only
    // when that is impossible say so rather than pass vacuously.
    let (run, d) = if std::fs::read(&file).is_ok() || std::fs::read_dir(&sub).is_ok() {
        // `nobody` must reach the files through the temporary directory (0700).
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let Some(found) = validate_with(common::frameaudit_as_nobody, &[], &paths) else {
            restore();
            eprintln!(
                "NOTE: unreadable_file_and_directory skipped its permission checks: chmod 000 \
                 does not block reads for this user and setpriv cannot drop to nobody"
            );
            return;
        };
        found
    } else {
        validate(&[], &paths)
    };
    restore();
    let found = assert_rejected(&run, &d, "locked.yaml", "io", None);
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .contains("permission denied")
    );
    assert_rejected(&run, &d, "locked-dir", "io", None);
}

#[cfg(unix)]
#[test]
fn symlink_loops() {
    let dir = tempfile::tempdir().unwrap();
    // A file link that points at itself, named explicitly and found in a walked folder.
    let walked = dir.path().join("walked");
    std::fs::create_dir(&walked).unwrap();
    std::os::unix::fs::symlink("self.yaml", walked.join("self.yaml")).unwrap();
    // A directory link back to its parent: not followed, so no endless walk.
    std::os::unix::fs::symlink("..", walked.join("up")).unwrap();
    std::fs::copy(
        fixture("hostile/companion.yaml"),
        walked.join("companion.yaml"),
    )
    .unwrap();

    let start = Instant::now();
    let explicit = walked.join("self.yaml");
    let (run, d) = validate(&[], &[explicit.to_str().unwrap()]);
    let found = assert_rejected(&run, &d, "walked/self.yaml", "io", None);
    assert!(
        found["message"]
            .as_str()
            .unwrap()
            .contains("symbolic links"),
        "{found}"
    );

    let (run, d) = validate(&[], &[walked.to_str().unwrap()]);
    assert_rejected(&run, &d, "walked/self.yaml", "io", None);
    // The walked copy of the companion is checked too, once (the `up` link is not followed).
    let copies = d
        .iter()
        .filter(|x| {
            x["file"]
                .as_str()
                .unwrap()
                .ends_with("walked/companion.yaml")
        })
        .filter(|x| x["code"] == "unknown-source")
        .count();
    assert_eq!(copies, 1, "{d:#?}");
    assert!(start.elapsed() < Duration::from_secs(10));
}

#[test]
fn directory_where_a_file_is_expected() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().to_str().unwrap();
    let (run, d) = validate(&["--rubric", p], &[]);
    let found = assert_rejected(&run, &d, p, "io", None);
    assert_eq!(found["message"], "is a directory, expected a file");

    // `score` takes one file.
    let run = frameaudit(&["score", "tests/fixtures/hostile"]).run();
    run.code(2);
    assert!(run.stderr.contains("is a directory"), "{}", run.stderr);
}

#[test]
fn file_where_a_directory_is_expected() {
    let inside = format!("{COMPANION}/child.yaml");
    let (run, d) = validate(&[], &[&inside]);
    let found = assert_rejected(&run, &d, "companion.yaml/child.yaml", "io", None);
    assert_eq!(found["message"], "cannot read: not a directory", "{found}");
}

#[test]
fn missing_path() {
    let (run, d) = validate(&[], &["tests/fixtures/hostile/no-such-file.yaml"]);
    let found = assert_rejected(&run, &d, "no-such-file.yaml", "io", None);
    assert_eq!(found["message"], "cannot read: no such file or directory");
}

#[test]
fn misspellings_are_reported_together() {
    let (run, d) = validate(&[], &[&hostile("misspelt.yaml")]);
    let kind = assert_rejected(&run, &d, "misspelt.yaml", "invalid-value", Some((9, 11)));
    assert_eq!(kind["message"], "unknown source kind `lwa`");
    assert_eq!(kind["help"], "did you mean `law`?");
    let criterion = assert_rejected(
        &run,
        &d,
        "misspelt.yaml",
        "unknown-criterion",
        Some((11, 3)),
    );
    assert_eq!(criterion["help"], "did you mean `shelter.unconditional`?");
    let status = d
        .iter()
        .find(|x| x["message"] == "unknown status `ful`")
        .expect("the status is reported too");
    assert_eq!(
        (&status["line"], &status["column"]),
        (&12.into(), &20.into())
    );
    assert_eq!(status["help"], "did you mean `full`?");
}

// ---- Safe output ----------------------------------------------------------------------

fn good_profile(dir: &Path) -> PathBuf {
    let p = dir.join("ph.yaml");
    std::fs::copy(common::root().join("frameworks/asean/ph.yaml"), &p).unwrap();
    p
}

#[test]
fn output_onto_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let profile = good_profile(dir.path());
    let before = std::fs::read(&profile).unwrap();
    let p = profile.to_str().unwrap();
    let run = frameaudit(&["score", p, "--format", "json", "-o", p]).run();
    run.code(2);
    assert!(
        run.stderr.contains("refusing to overwrite"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read(&profile).unwrap(),
        before,
        "the profile is unchanged"
    );
    // Through another spelling of the same path, too.
    let other = dir.path().join(".").join("ph.yaml");
    let run = frameaudit(&["score", p, "-o", other.to_str().unwrap()]).run();
    run.code(2);
    assert_eq!(std::fs::read(&profile).unwrap(), before);
}

#[test]
fn output_creates_parent_directories() {
    let dir = tempfile::tempdir().unwrap();
    let profile = good_profile(dir.path());
    let out = dir.path().join("new/dir/out.json");
    frameaudit(&[
        "score",
        profile.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        out.to_str().unwrap(),
    ])
    .run()
    .code(0);
    let text = std::fs::read_to_string(&out).unwrap();
    let _: Value = serde_json::from_str(&text).expect("valid JSON");
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec!["out.json"], "no temporary file left behind");
}

#[test]
fn outputs_are_byte_identical_across_runs() {
    let a = frameaudit(&["score", "frameworks/asean/ph.yaml", "--format", "json"]).run();
    let b = frameaudit(&["score", "frameworks/asean/ph.yaml", "--format", "json"]).run();
    a.code(0);
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
    let a = frameaudit(&["validate", "--format", "json"]).run();
    let b = frameaudit(&["validate", "--format", "json"]).run();
    assert_eq!(a.stdout, b.stdout);
}
