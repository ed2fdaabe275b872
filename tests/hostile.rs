//! Hostile input: every case a pull request could carry, each asserting the exit code, the place
//! the message names, and that nothing was written outside contractdiff's own temporary folder.
//!
//! Cases that are plain files live in `tests/hostile/<case>/{base,head}` with a `case.toml`
//! (`why`, `exit`, and for errors the `message` and `place` the JSON report must carry). Cases
//! that files in git cannot hold (FIFOs, symlinks out of the tree, names with control
//! characters, crafted git trees, LFS pointers, submodules) are built here in temporary folders.

mod common;

use common::Repo;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_contractdiff")
}

/// A run of the binary in `cwd`, with a private TMPDIR and a deadline: an input that makes it
/// hang (a FIFO) fails the test instead of hanging the suite.
struct Run {
    output: Output,
    tmp: tempfile::TempDir,
}

impl Run {
    fn new(cwd: &Path, args: &[&str]) -> Run {
        let tmp = tempfile::tempdir().unwrap();
        let mut child = Command::new(bin())
            .args(args)
            .current_dir(cwd)
            .env("TMPDIR", tmp.path())
            .env("CONTRACTDIFF_TODAY", "2026-01-01")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("contractdiff {args:?} did not finish in 120 s");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let output = child.wait_with_output().unwrap();
        Run { output, tmp }
    }

    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.output.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout(), self.stderr()))
    }

    /// contractdiff's own temporary files are gone when it exits.
    fn assert_temp_cleaned(&self) {
        let left: Vec<_> = std::fs::read_dir(self.tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(left.is_empty(), "left in TMPDIR: {left:?}");
    }
}

/// Every file below `dir` with its bytes: what a run must leave exactly as it was.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() {
                files.insert(entry.path(), std::fs::read(entry.path()).unwrap_or_default());
            } else {
                files.insert(entry.path(), Vec::new());
            }
        }
    }
    files
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    why: String,
    exit: i32,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    place: Option<String>,
    #[serde(default)]
    args: Vec<String>,
}

#[test]
fn every_case_in_tests_hostile_exits_as_expected_at_its_place_and_writes_nothing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut names: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| root.join(name).is_dir())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "cases found: {names:?}");
    let mut failures = Vec::new();
    for name in &names {
        let dir = root.join(name);
        let text = std::fs::read_to_string(dir.join("case.toml")).unwrap_or_else(|_| panic!("{name}: no case.toml"));
        let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        let before = snapshot(&dir);
        let cwd = tempfile::tempdir().unwrap();
        let (base, head) = (dir.join("base"), dir.join("head"));
        let mut args = vec!["diff", base.to_str().unwrap(), head.to_str().unwrap(), "--format", "json"];
        args.extend(case.args.iter().map(String::as_str));
        let run = Run::new(cwd.path(), &args);
        let report = run.json();
        let mut problems = Vec::new();
        if run.code() != Some(case.exit) {
            problems.push(format!("exit {:?}, expected {}", run.code(), case.exit));
        }
        if let Some(message) = &case.message {
            let said = match case.exit {
                2 => report["errors"].as_array().into_iter().flatten().map(|e| e["message"].to_string()).collect(),
                _ => report.to_string(),
            };
            if !said.contains(message.as_str()) {
                problems.push(format!("no `{message}` in {said}"));
            }
        }
        if let Some(place) = &case.place {
            let error = &report["errors"][0];
            let at = format!("{}:{}:{}", error["file"].as_str().unwrap_or("-"), error["line"], error["column"]);
            if !at.contains(place.as_str()) {
                problems.push(format!("error at {at}, expected {place}"));
            }
            let mut human_args = args[..3].to_vec();
            human_args.extend(case.args.iter().map(String::as_str));
            let human = Run::new(cwd.path(), &human_args);
            if !human.stdout().contains(&format!("error: {at}")) {
                problems.push(format!("the human report does not name {at}: {}", human.stdout()));
            }
        }
        if snapshot(&dir) != before || std::fs::read_dir(cwd.path()).unwrap().next().is_some() {
            problems.push("the case folder or the working directory changed".to_string());
        }
        run.assert_temp_cleaned();
        if !problems.is_empty() {
            failures.push(format!("{name} ({}): {}", case.why, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

const OPENAPI: &str = "openapi: 3.0.3\ninfo: {title: t, version: \"1.0.0\"}\npaths: {}\n";

fn openapi_with_ref(target: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: \"1.0.0\"}}\npaths:\n  /p:\n    get:\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '{target}'}}\n"
    )
}

fn folders() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (base, head) = (dir.path().join("base"), dir.path().join("head"));
    std::fs::create_dir_all(&base).unwrap();
    std::fs::create_dir_all(&head).unwrap();
    (dir, base, head)
}

fn diff_json(dir: &Path) -> Run {
    Run::new(dir, &["diff", "base", "head", "--format", "json"])
}

fn first_error(report: &Value) -> (String, String) {
    let error = &report["errors"][0];
    let at = format!("{}:{}", error["file"].as_str().unwrap_or("-"), error["line"]);
    (at, error["message"].as_str().unwrap_or_default().to_string())
}

#[test]
fn a_ref_to_a_fifo_is_refused_without_blocking() {
    let (dir, base, head) = folders();
    std::fs::write(base.join("openapi.yaml"), openapi_with_ref("schema.yaml")).unwrap();
    std::fs::write(base.join("schema.yaml"), "type: string\n").unwrap();
    std::fs::write(head.join("openapi.yaml"), openapi_with_ref("schema.yaml")).unwrap();
    let status = Command::new("mkfifo").arg(head.join("schema.yaml")).status().unwrap();
    assert!(status.success());
    let run = diff_json(dir.path());
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    // Named twice: as a file that cannot be a contract, and at the $ref that leads to it.
    let errors: Vec<(String, String)> = run.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (format!("{}:{}", e["file"].as_str().unwrap(), e["line"]), e["message"].to_string()))
        .collect();
    assert!(errors.iter().any(|(at, m)| at == "schema.yaml:1" && m.contains("not a regular file")), "{errors:?}");
    assert!(errors.iter().any(|(at, m)| at == "openapi.yaml:11" && m.contains("not a regular file")), "{errors:?}");
    run.assert_temp_cleaned();
}

#[test]
fn a_fifo_named_like_a_contract_is_an_error_and_the_rest_is_compared() {
    let (dir, base, head) = folders();
    for side in [&base, &head] {
        std::fs::write(side.join("openapi.yaml"), OPENAPI).unwrap();
    }
    std::fs::write(head.join("openapi.yaml"), OPENAPI.replace("1.0.0", "1.1.0")).unwrap();
    assert!(Command::new("mkfifo").arg(head.join("events.proto")).status().unwrap().success());
    let run = diff_json(dir.path());
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let report = run.json();
    let (at, message) = first_error(&report);
    assert_eq!(at, "events.proto:1", "{message}");
    assert!(message.contains("not a regular file"), "{message}");
    assert_eq!(report["contracts"][0]["head"]["version"], "1.1.0", "the other contract is still compared");
}

#[test]
fn a_ref_through_a_symlink_out_of_the_root_says_where_it_leads() {
    let (dir, base, head) = folders();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.yaml"), "type: string\n").unwrap();
    for side in [&base, &head] {
        std::fs::write(side.join("openapi.yaml"), openapi_with_ref("schema.yaml")).unwrap();
    }
    std::fs::write(base.join("schema.yaml"), "type: string\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), head.join("schema.yaml")).unwrap();
    let run = diff_json(dir.path());
    assert_eq!(run.code(), Some(2));
    let (at, message) = first_error(&run.json());
    assert_eq!(at, "openapi.yaml:11", "{message}");
    assert!(message.contains("leads to") && message.contains("outside"), "{message}");
}

#[test]
fn names_with_control_characters_in_a_folder_are_refused_and_shown_escaped() {
    let (dir, base, head) = folders();
    let name = "e.proto\n--evil_out=.proto";
    std::fs::write(base.join("a.proto"), "syntax = \"proto3\";\npackage acme.v1;\nmessage A {}\n").unwrap();
    std::fs::write(head.join("a.proto"), "syntax = \"proto3\";\npackage acme.v1;\nmessage A {}\n").unwrap();
    std::fs::write(head.join(name), "syntax = \"proto3\";\npackage acme.v1;\nmessage E {}\n").unwrap();
    let run = diff_json(dir.path());
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let (at, message) = first_error(&run.json());
    assert_eq!(at, "e.proto\\n--evil_out=.proto:1", "{message}");
    assert!(message.contains("control character"), "{message}");
    assert!(!run.stdout().contains("\n--evil") && !run.stderr().contains("\n--evil"), "a raw newline from the name");
    run.assert_temp_cleaned();
}

#[test]
fn a_committed_file_name_that_would_inject_protoc_options_is_refused_in_git() {
    let repo = Repo::new();
    repo.write("proto/a.proto", "syntax = \"proto3\";\npackage acme.v1;\nmessage A {}\n");
    repo.commit("one");
    let marker = tempfile::tempdir().unwrap();
    let plugin_out = marker.path().join("pwned");
    let name = format!("proto/e.proto\n--plugin=protoc-gen-evil=/bin/sh\n--evil_out={}\n.proto", plugin_out.display());
    repo.write(&name, "syntax = \"proto2\";\npackage acme.v1;\nmessage E { optional string s = 1; }\n");
    repo.commit("two");
    let run = Run::new(repo.path(), &["HEAD~1..HEAD", "--format", "json"]);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let (_, message) = first_error(&run.json());
    assert!(message.contains("control character"), "{message}");
    assert!(!plugin_out.exists(), "protoc ran the injected plugin");
    assert!(!run.stdout().contains("\n--plugin") && !run.stderr().contains("\n--plugin"));
}

/// Write a git object with `git hash-object --literally`, which accepts what `git add` refuses.
fn literal_object(repo: &Repo, kind: &str, bytes: &[u8]) -> String {
    let mut child = Command::new("git")
        .args(["hash-object", "--literally", "-w", "--stdin", "-t", kind])
        .current_dir(repo.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn tree_entry(mode: &str, name: &str, id: &str) -> Vec<u8> {
    let mut entry = format!("{mode} {name}\0").into_bytes();
    entry.extend((0..id.len()).step_by(2).map(|i| u8::from_str_radix(&id[i..i + 2], 16).unwrap()));
    entry
}

#[test]
fn a_crafted_tree_entry_climbing_out_with_dotdot_writes_nothing_outside() {
    let repo = Repo::new();
    repo.write("a.proto", "syntax = \"proto3\";\npackage acme.v1;\nmessage A {}\n");
    repo.commit("one");
    // A tree whose path `../../../../tmp/<unique>.proto` climbs out of any folder it is joined to.
    let unique = format!("contractdiff-escape-{}.proto", std::process::id());
    let blob = literal_object(&repo, "blob", b"syntax = \"proto3\";\npackage acme.v1;\nmessage X {}\n");
    let mut tree = literal_object(&repo, "tree", &tree_entry("100644", &unique, &blob));
    tree = literal_object(&repo, "tree", &tree_entry("40000", "tmp", &tree));
    for _ in 0..4 {
        tree = literal_object(&repo, "tree", &tree_entry("40000", "..", &tree));
    }
    let a = repo.git(&["rev-parse", "HEAD:a.proto"]);
    let mut root = tree_entry("40000", "..", &tree);
    root.extend(tree_entry("100644", "a.proto", a.trim()));
    let root = literal_object(&repo, "tree", &root);
    let commit = repo.git(&["commit-tree", &root, "-p", "HEAD", "-m", "crafted"]);
    repo.git(&["update-ref", "refs/heads/main", commit.trim()]);

    let run = Run::new(repo.path(), &["HEAD~1..HEAD", "--format", "json"]);
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let (at, message) = first_error(&run.json());
    assert_eq!(at, format!("../../../../../tmp/{unique}:1"), "{message}");
    assert!(message.contains("`..`"), "{message}");
    for place in [Path::new("/tmp").join(&unique), run.tmp.path().join("tmp").join(&unique)] {
        assert!(!place.exists(), "written outside: {}", place.display());
    }
    run.assert_temp_cleaned();
}

#[test]
fn contract_text_reaches_no_output_raw() {
    let (dir, base, head) = folders();
    let prop = |name: &str, ty: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: \"VERSION\"}}\npaths:\n  /p:\n    get:\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  {name}: {{type: {ty}}}\n"
        )
    };
    // An ESC sequence in a property name as written in the file, and a workflow command after a
    // newline in the version.
    std::fs::write(base.join("openapi.yaml"), prop("\"x\u{1b}[2Jall good\"", "string").replace("VERSION", "1.0.0"))
        .unwrap();
    let spoof = "2.0.0\\n::error title=contractdiff::all contracts compatible";
    std::fs::write(head.join("openapi.yaml"), prop("y", "string").replace("VERSION", spoof)).unwrap();
    let human = Run::new(dir.path(), &["diff", "base", "head"]);
    let json = Run::new(dir.path(), &["diff", "base", "head", "--format", "json"]);
    for (what, bytes) in [("human", &human.output.stdout), ("json", &json.output.stdout)] {
        let text = String::from_utf8_lossy(bytes);
        assert!(!bytes.contains(&0x1b), "{what}: raw ESC in {text}");
        assert!(!text.lines().any(|l| l.trim_start().starts_with("::")), "{what}: a workflow command line: {text}");
    }
    let text = human.stdout();
    assert!(text.contains("x\\u{1b}[2Jall good") && text.contains("2.0.0\\n::error"), "{text}");
    assert_eq!(
        json.json()["contracts"][0]["head"]["version"],
        "2.0.0\n::error title=contractdiff::all contracts compatible"
    );

    // An error's message and quoted line in the report: a duplicate key holding an OSC sequence.
    std::fs::write(
        head.join("openapi.yaml"),
        format!("{OPENAPI}\"k\u{1b}]0;owned\u{7}\": 1\n\"k\u{1b}]0;owned\u{7}\": 2\n"),
    )
    .unwrap();
    let run = Run::new(dir.path(), &["diff", "base", "head"]);
    assert_eq!(run.code(), Some(2));
    assert!(!run.output.stdout.contains(&0x1b) && !run.output.stdout.contains(&0x07), "{}", run.stdout());
    assert!(run.stdout().contains("k\\u{1b}]0;owned\\u{7}"), "{}", run.stdout());

    // A fatal error on stderr, with its quoted line: a configuration holding a raw ESC.
    std::fs::write(dir.path().join("bad.toml"), "[[contracts]]\npath = \"\u{1b}[2J\u{1b}[Hall good\"\n").unwrap();
    let run = Run::new(dir.path(), &["diff", "base", "head", "--config", "bad.toml"]);
    assert_eq!(run.code(), Some(2));
    assert!(!run.output.stderr.contains(&0x1b), "{}", run.stderr());
    assert!(run.stderr().contains("bad.toml:2:9"), "{}", run.stderr());
}

#[test]
fn a_change_on_a_minified_line_past_column_65535_is_reported_without_a_panic() {
    let (dir, base, head) = folders();
    let doc = |last: &str| {
        let mut props = serde_json::Map::new();
        for i in 0..3000 {
            props.insert(format!("p{i:05}"), serde_json::json!({"type": "string", "description": "x".repeat(20)}));
        }
        props.insert("p02999".into(), serde_json::json!({"type": last}));
        let schema = serde_json::json!({"type": "object", "properties": props});
        let response = serde_json::json!({"description": "ok", "content": {"application/json": {"schema": schema}}});
        let spec = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0"},
            "paths": {"/p": {"get": {"responses": {"200": response}}}}});
        serde_json::to_string(&spec).unwrap()
    };
    std::fs::write(base.join("openapi.json"), doc("string")).unwrap();
    std::fs::write(head.join("openapi.json"), doc("integer")).unwrap();
    let run = Run::new(dir.path(), &["diff", "base", "head"]);
    assert_eq!(run.code(), Some(1), "{}{}", run.stdout(), run.stderr());
    let text = run.stdout();
    let column: u64 = text
        .split("head:openapi.json:1:")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no place in {text}"));
    assert!(column > 65_535, "{text}");
    assert!(text.contains("type changed from string to integer"), "{text}");
}

#[test]
fn an_lfs_pointer_in_place_of_a_spec_is_an_error_that_says_how_to_fetch_it() {
    let repo = Repo::new();
    repo.write("api/openapi.yaml", OPENAPI);
    repo.commit("spec");
    repo.write(
        "api/openapi.yaml",
        "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n",
    );
    repo.commit("moved to LFS");
    let run = Run::new(repo.path(), &["HEAD~1..HEAD", "--format", "json"]);
    assert_eq!(run.code(), Some(2), "{}", run.stdout());
    let report = run.json();
    let (at, message) = first_error(&report);
    assert_eq!(at, "api/openapi.yaml:1", "{message}");
    assert!(message.contains("Git LFS pointer"), "{message}");
    assert!(report["errors"][0]["hint"].as_str().unwrap().contains("lfs: true"), "{report}");
    let rules: Vec<&Value> =
        report["contracts"].as_array().unwrap().iter().flat_map(|c| c["changes"].as_array().unwrap()).collect();
    assert!(rules.iter().all(|c| c["rule"] != "contract.removed"), "no false removal: {report}");
}

#[test]
fn contracts_in_submodules_are_listed_as_not_compared() {
    let inner = Repo::new();
    inner.write("openapi.yaml", OPENAPI);
    inner.commit("inner");
    let repo = Repo::new();
    repo.write("api/openapi.yaml", OPENAPI);
    repo.commit("one");
    repo.git(&["submodule", "add", "-q", inner.path().to_str().unwrap(), "vendor-api"]);
    repo.commit("submodule");
    for args in [&["HEAD~1..HEAD", "--format", "json"][..], &["HEAD", "--format", "json"][..]] {
        let run = Run::new(repo.path(), args);
        assert_eq!(run.code(), Some(0), "{args:?}: {}", run.stderr());
        let skipped = &run.json()["skipped"];
        assert_eq!(skipped[0]["path"], "vendor-api", "{args:?}: {skipped}");
        assert!(skipped[0]["reason"].as_str().unwrap().contains("submodule"), "{skipped}");
    }
    let human = Run::new(repo.path(), &["HEAD~1..HEAD"]);
    assert!(human.stdout().contains("vendor-api (a submodule"), "{}", human.stdout());
}

#[test]
fn a_contracts_glob_that_matches_nothing_is_an_error_naming_it() {
    let repo = Repo::new();
    repo.write("api/openapi.yaml", OPENAPI);
    repo.write("contractdiff.toml", "[[contracts]]\npath = \"apis/**/openapi.yaml\"\n");
    repo.commit("one");
    let run = Run::new(repo.path(), &["HEAD", "--format", "json"]);
    assert_eq!(run.code(), Some(2), "{}", run.stdout());
    let report = run.json();
    assert_eq!(report["verdict"], "error");
    let message = report["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("apis/**/openapi.yaml") && message.contains("matches no file"), "{message}");
    assert!(run.stderr().contains("apis/**/openapi.yaml"), "{}", run.stderr());
}

#[test]
fn a_run_that_finds_no_contract_says_so_in_every_output() {
    let (dir, base, head) = folders();
    std::fs::write(base.join("README.md"), "nothing here\n").unwrap();
    std::fs::write(head.join("README.md"), "nothing here either\n").unwrap();
    let json = diff_json(dir.path());
    assert_eq!(json.code(), Some(0));
    let notes = json.json()["notes"].to_string();
    assert!(notes.contains("no contracts found"), "{notes}");
    let human = Run::new(dir.path(), &["diff", "base", "head"]);
    assert!(human.stdout().contains("note: no contracts found"), "{}", human.stdout());
}

#[test]
fn errors_before_any_comparison_still_give_a_json_report() {
    let repo = Repo::new();
    repo.write("api/openapi.yaml", OPENAPI);
    repo.commit("one");
    let cases: [(&[&str], &str); 3] = [
        (&["nosuch..HEAD", "--format", "json"], "unknown revision `nosuch`"),
        (&["HEAD", "--format", "json", "--config", "missing.toml"], "missing.toml"),
        (&["diff", "nowhere", "api", "--format", "json"], "nowhere"),
    ];
    for (args, said) in cases {
        let run = Run::new(repo.path(), args);
        assert_eq!(run.code(), Some(2), "{args:?}");
        let report = run.json();
        assert_eq!(report["verdict"], "error", "{args:?}");
        assert!(report["errors"][0]["message"].as_str().unwrap().contains(said), "{args:?}: {report}");
        assert_eq!(report["contracts"], Value::Array(Vec::new()));
    }
}

#[test]
fn an_unreadable_file_is_an_error_and_the_rest_is_compared() {
    let (dir, base, head) = folders();
    for side in [&base, &head] {
        std::fs::write(side.join("a.yaml"), OPENAPI).unwrap();
        std::fs::write(side.join("b.yaml"), OPENAPI).unwrap();
    }
    let locked = head.join("b.yaml");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        eprintln!("skipped: this user (root?) reads files whatever their permissions, so none can be unreadable");
        return;
    }
    let run = diff_json(dir.path());
    assert_eq!(run.code(), Some(2), "{}", run.stderr());
    let report = run.json();
    assert!(report["errors"][0]["message"].as_str().unwrap().contains("b.yaml"), "{report}");
    assert_eq!(report["contracts"][0]["head"]["path"], "a.yaml", "{report}");
}
