//! The Protobuf engine through the binary: git mode reads `.proto` files from git objects, and
//! every kind of bad input is an error with file:line:column and a hint (exit 2), one module's
//! error leaving the others compared.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

mod common;

use common::Repo;

fn contractdiff() -> Command {
    let mut cmd = Command::cargo_bin("contractdiff").expect("binary built");
    cmd.env("NO_COLOR", "1").env("CONTRACTDIFF_TODAY", "2026-06-01");
    cmd
}

fn json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = contractdiff().args(args).args(["--format", "json"]).current_dir(dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

const GOOD: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage A { int32 x = 1; }\n";

#[test]
fn git_mode_loads_proto_files_from_git_objects() {
    let repo = Repo::new();
    repo.write("proto/buf.yaml", "version: v1\n");
    repo.write("proto/acme/v1/a.proto", GOOD);
    repo.write("proto/acme/v1/b.proto", "syntax = \"proto3\";\npackage acme.v1;\nmessage B {}\n");
    let base = repo.commit("base");
    repo.write("proto/acme/v1/a.proto", &GOOD.replace("int32 x = 1;", "int32 x = 1;\n  string y = 2;"));
    let head = repo.commit("head");
    // The work tree is broken: a git-mode run must not read it.
    repo.write("proto/acme/v1/a.proto", "this is not protobuf");
    let before = repo.state();
    let (code, report) = json(repo.path(), &[&format!("{base}..{head}")]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["errors"].as_array().unwrap().len(), 0, "{report}");
    let contracts = report["contracts"].as_array().unwrap();
    assert_eq!(contracts.len(), 1, "{report}");
    assert_eq!(contracts[0]["kind"], "protobuf");
    assert_eq!(contracts[0]["head"]["path"], "proto", "{report}");
    assert_eq!(repo.state(), before, "the repository was touched");
    // The work tree itself is compared when asked, and its syntax error is found.
    let (code, report) = json(repo.path(), &[&head]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["errors"][0]["file"], "proto/acme/v1/a.proto", "{report}");
}

/// A bad-input case: what it is, the files of head, and the file:line:column the error must name.
type BadInput = (&'static str, Vec<(&'static str, Vec<u8>)>, (&'static str, u64, u64));

#[test]
fn bad_input_is_an_error_with_file_line_and_column() {
    let cases: Vec<BadInput> = vec![
        (
            "syntax error",
            vec![("a.proto", b"syntax = \"proto3\";\npackage p;\nmessage A { int32 x = 1 }\n".to_vec())],
            ("a.proto", 3, 25),
        ),
        (
            "unresolved import",
            vec![("a.proto", b"syntax = \"proto3\";\npackage p;\nimport \"nowhere/x.proto\";\n".to_vec())],
            ("a.proto", 3, 1),
        ),
        (
            "import cycle",
            vec![
                ("a.proto", b"syntax = \"proto3\";\npackage p;\nimport \"b.proto\";\n".to_vec()),
                ("b.proto", b"syntax = \"proto3\";\npackage p;\n\nimport \"a.proto\";\n".to_vec()),
            ],
            ("a.proto", 3, 1),
        ),
        (
            "duplicate symbol",
            vec![
                ("a.proto", b"syntax = \"proto3\";\npackage p;\nmessage D {}\n".to_vec()),
                ("b.proto", b"syntax = \"proto3\";\npackage p;\n\nmessage D {}\n".to_vec()),
            ],
            ("b.proto", 4, 9),
        ),
        ("non-UTF-8", vec![("a.proto", b"syntax = \"proto3\";\n// caf\xe9\n".to_vec())], ("a.proto", 2, 7)),
        // Parses, but protoc refuses it: the in-process path must hand it to protoc.
        (
            "field number used twice",
            vec![(
                "a.proto",
                b"syntax = \"proto3\";\npackage p;\nmessage A {\n  int32 x = 1;\n  int32 y = 1;\n}\n".to_vec(),
            )],
            ("a.proto", 5, 13),
        ),
        (
            "unknown type",
            vec![("a.proto", b"syntax = \"proto3\";\npackage p;\nmessage A {\n  Missing m = 1;\n}\n".to_vec())],
            ("a.proto", 4, 3),
        ),
    ];
    for (what, files, (file, line, column)) in cases {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("ok.proto"), GOOD).unwrap();
        for (name, bytes) in &files {
            std::fs::create_dir_all(&new).unwrap();
            std::fs::write(new.join(name), bytes).unwrap();
        }
        let (code, report) = json(dir.path(), &["diff", "old", "new"]);
        assert_eq!(code, 2, "{what}: {report}");
        let error = &report["errors"][0];
        assert_eq!(
            (error["file"].as_str(), error["line"].as_u64(), error["column"].as_u64()),
            (Some(file), Some(line), Some(column)),
            "{what}: {report}"
        );
        assert!(error["hint"].as_str().is_some_and(|h| !h.is_empty()), "{what}: {report}");
        assert_eq!(report["verdict"], "error");
        // The human report says the same place.
        let out = contractdiff().args(["diff", "old", "new"]).current_dir(dir.path()).output().unwrap();
        let stderr = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(stderr.contains(&format!("{file}:{line}:{column}")), "{what}: {stderr}");
        assert!(!stderr.contains("panicked"), "{what}: {stderr}");
        assert!(std::fs::read_dir(&new).unwrap().count() == files.len(), "{what}: the compared folder was written");
    }
}

#[test]
fn one_broken_module_leaves_the_others_compared() {
    let dir = tempfile::tempdir().unwrap();
    for side in ["old", "new"] {
        for module in ["good", "bad"] {
            let folder = dir.path().join(side).join(module);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("buf.yaml"), "version: v1\n").unwrap();
            std::fs::write(folder.join("a.proto"), GOOD).unwrap();
        }
    }
    std::fs::write(dir.path().join("new/good/a.proto"), GOOD.replace("x = 1;", "x = 1; int32 y = 2;")).unwrap();
    std::fs::write(dir.path().join("new/bad/a.proto"), "syntax = \"proto3\";\nmessage {\n").unwrap();
    let (code, report) = json(dir.path(), &["diff", "old", "new"]);
    assert_eq!(code, 2, "{report}");
    assert_eq!(report["errors"].as_array().unwrap().len(), 1, "{report}");
    assert_eq!(report["errors"][0]["file"], "bad/a.proto", "{report}");
    let paths: Vec<_> = report["contracts"].as_array().unwrap().iter().map(|c| c["head"]["path"].clone()).collect();
    assert_eq!(paths, [Value::from("good")], "{report}");
}

#[test]
fn single_file_mode_pairs_two_differently_named_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("old.proto"), GOOD).unwrap();
    std::fs::write(dir.path().join("new.proto"), GOOD.replace("x = 1;", "x = 1; int32 y = 2;")).unwrap();
    let (code, report) = json(dir.path(), &["diff", "old.proto", "new.proto"]);
    assert_eq!(code, 0, "{report}");
    let contract = &report["contracts"][0];
    assert_eq!(
        (contract["base"]["path"].as_str(), contract["head"]["path"].as_str()),
        (Some("old.proto"), Some("new.proto"))
    );
}
