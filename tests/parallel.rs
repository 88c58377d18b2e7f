//! Loading runs on every core (rayon); the output must be byte for byte that of a sequential
//! run. Each command is run with `RAYON_NUM_THREADS=1` and with 4 threads over 20 generated
//! profiles with a few broken ones mixed in (a syntax error, an unknown key, a country code
//! that clashes with another file's), and stdout, stderr and the exit code compared.

use crate::common;

use std::path::Path;

use common::{frameaudit, utf8};

/// 12 generated profiles in `dir`, three of them broken.
fn data(dir: &Path) {
    frameaudit(&["generate", "--count", "12", "--seed", "7", "-o", utf8(dir)])
        .run()
        .code(0);
    let edit = |name: &str, f: &dyn Fn(String) -> String| {
        let p = dir.join(name);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, f(text)).unwrap();
    };
    edit("ac.yaml", &|t| t.replacen("as_of:", "as_of: [", 1));
    edit("af.yaml", &|t| t.replacen("as_of:", "as_off:", 1));
    // A second profile for AA, under another file name.
    std::fs::copy(dir.join("aa.yaml"), dir.join("zz.yaml")).unwrap();
}

fn same_with_one_and_four_threads(args: &[&str]) {
    let one = frameaudit(args).env("RAYON_NUM_THREADS", "1").run();
    let four = frameaudit(args).env("RAYON_NUM_THREADS", "4").run();
    assert_eq!(one.code, four.code, "exit code of {args:?}");
    assert_eq!(one.stdout, four.stdout, "stdout of {args:?}");
    assert_eq!(one.stderr, four.stderr, "stderr of {args:?}");
    assert!(
        !one.stdout.is_empty() || !one.stderr.is_empty(),
        "{args:?} printed nothing"
    );
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    data(&dir);
    let d = utf8(&dir);
    let check = frameaudit(&["validate", d]).run();
    check.code(2);
    for code in ["yaml-syntax", "unknown-field", "duplicate-id"] {
        assert!(
            check.stderr.contains(&format!("[{code}]")),
            "the fixture should raise {code}:\n{}",
            check.stderr
        );
    }
    same_with_one_and_four_threads(&["validate", d]);
    same_with_one_and_four_threads(&["validate", d, "--format", "json"]);
    same_with_one_and_four_threads(&["check", d, "--format", "json", "--fail-under", "40"]);
    same_with_one_and_four_threads(&["check", d, "--format", "junit"]);
    same_with_one_and_four_threads(&["check", d, "--format", "sarif"]);

    // Valid data for the commands that refuse invalid input.
    for f in ["ac.yaml", "af.yaml", "zz.yaml"] {
        std::fs::remove_file(dir.join(f)).unwrap();
    }
    same_with_one_and_four_threads(&["compare", d, "--format", "json"]);
    same_with_one_and_four_threads(&["report", d, "--format", "json"]);
    same_with_one_and_four_threads(&["check", d, "--baseline", d, "--format", "json"]);
}
