//! `frameaudit schema`: the committed schemas in `schema/` are what the binary generates, and
//! every `yaml-language-server: $schema=` comment in the bundled data points at one of them.

use crate::common;

use common::{frameaudit, root};

fn committed(name: &str) -> String {
    std::fs::read_to_string(root().join("schema").join(name))
        .unwrap_or_else(|e| panic!("schema/{name}: {e}"))
}

#[test]
fn profile_schema_matches_the_committed_file() {
    let run = frameaudit(&["schema"]).run();
    run.code(0);
    assert!(
        run.stdout == committed("profile.schema.json"),
        "schema/profile.schema.json is out of date with the types in src/schema.rs; \
         run `cargo run -- schema > schema/profile.schema.json` and commit the result"
    );
}

#[test]
fn region_schema_matches_the_committed_file() {
    let run = frameaudit(&["schema", "--region"]).run();
    run.code(0);
    assert!(
        run.stdout == committed("region.schema.json"),
        "schema/region.schema.json is out of date with the types in src/schema.rs; \
         run `cargo run -- schema --region > schema/region.schema.json` and commit the result"
    );
}

#[test]
fn schema_is_draft_07_json() {
    let run = frameaudit(&["schema"]).run();
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(v["additionalProperties"], false);
    assert!(v["properties"]["assessments"].is_object());
}

#[test]
fn schema_writes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s/profile.schema.json");
    frameaudit(&["schema", "-o", out.to_str().unwrap()])
        .run()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(out).unwrap(),
        committed("profile.schema.json")
    );
}

#[test]
fn language_server_comments_resolve() {
    let mut checked = 0;
    for e in walkdir::WalkDir::new(root().join("frameworks")) {
        let e = e.unwrap();
        if e.path().extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(e.path()).unwrap();
        let Some(line) = text.lines().find(|l| l.contains("yaml-language-server:")) else {
            continue;
        };
        let rel = line
            .split("$schema=")
            .nth(1)
            .expect("a $schema= value")
            .trim();
        let target = e.path().parent().unwrap().join(rel);
        assert!(
            target.is_file(),
            "{}: $schema={rel} does not resolve to a file",
            e.path().display()
        );
        let expected = if e.file_name() == "region.yaml" {
            "region.schema.json"
        } else {
            "profile.schema.json"
        };
        assert!(
            rel.ends_with(expected),
            "{}: points at {rel}",
            e.path().display()
        );
        checked += 1;
    }
    assert!(checked > 0, "the bundled data carries $schema comments");
}
