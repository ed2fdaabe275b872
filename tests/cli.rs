//! The binary end to end: real temporary git repositories (branches, merge bases, renames, shallow
//! clones), exit codes, output formats, and bad input.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod common;

use common::Repo;

fn contractdiff() -> Command {
    let mut cmd = Command::cargo_bin("contractdiff").expect("binary built");
    cmd.env("NO_COLOR", "1").env("CONTRACTDIFF_TODAY", "2026-06-01");
    cmd
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples")
}

const V1: &str = "openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  tag: {type: string}
";

/// V1 with a required response property removed: breaking.
fn v1_breaking() -> String {
    V1.replace("                required: [name]\n", "").replace("                  name: {type: string}\n", "")
}

/// V1 with a new optional query parameter: additive only.
fn v1_additive() -> String {
    V1.replace(
        "        - {name: limit, in: query, schema: {type: integer}}\n",
        "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: sort, in: query, schema: {type: string}}\n",
    )
}

/// Running the binary inside a test repository.
trait Run {
    fn run(&self, args: &[&str]) -> (i32, String, String);
    fn json(&self, args: &[&str]) -> (i32, Value);
}

impl Run for Repo {
    fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = contractdiff().args(args).current_dir(self.path()).output().expect("contractdiff runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into(),
            String::from_utf8_lossy(&out.stderr).into(),
        )
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let (code, stdout, stderr) = self.run(&all);
        let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
        (code, report)
    }
}

fn rules_of(report: &Value) -> Vec<String> {
    report["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["changes"].as_array().unwrap().iter().map(|ch| ch["rule"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn examples_show_breaking_additive_and_deprecation_changes() {
    let out = contractdiff()
        .args(["diff"])
        .arg(examples().join("base/openapi.yaml"))
        .arg(examples().join("head/openapi.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a breaking change without a major bump fails");
    let text = String::from_utf8_lossy(&out.stdout);
    for expected in ["[breaking]", "[additive]", "[deprecation]", "GET /pets", "FAIL"] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // A removed property is shown where it still is: in base (openapi.yaml line 73, `tag:`).
    assert!(text.contains("[base:openapi.yaml:73:9]"), "{text}");
    // A finding in a shared schema is shown once, with its other use sites.
    assert!(text.contains("also at 2 other place(s)"), "{text}");
}

#[test]
fn range_between_branches_and_from_merge_base() {
    let repo = Repo::new();
    repo.write("api/openapi.yaml", V1);
    repo.commit("v1");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("api/openapi.yaml", &v1_additive());
    repo.commit("additive");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("api/openapi.yaml", &v1_breaking());
    repo.commit("breaking on main");
    let before = repo.state();

    // main..feature compares main's tip (breaking) with feature: the property comes back.
    let (code, report) = repo.json(&["main..feature"]);
    assert_eq!(code, 0, "{report}");
    assert!(!rules_of(&report).is_empty());
    assert_eq!(report["base"]["rev"].as_str().map(|s| s.starts_with("main")), Some(true));

    // main...feature compares the merge base (V1) with feature: additive only.
    let (code, report) = repo.json(&["main...feature"]);
    assert_eq!(code, 0);
    assert_eq!(report["summary"]["breaking"], 0);
    assert!(report["summary"]["additive"].as_u64().unwrap() >= 1, "{report}");

    // feature..main: the property was removed, a blocking change.
    let (code, report) = repo.json(&["feature..main"]);
    assert_eq!(code, 1, "{report}");
    assert_eq!(report["verdict"], "fail");
    assert_eq!(repo.state(), before, "contractdiff changed the repository");
}

#[test]
fn revision_against_work_tree_and_bare_invocation() {
    let repo = Repo::new();
    repo.write("openapi.yaml", V1);
    repo.commit("v1");
    let (code, report) = repo.json(&[]);
    assert_eq!((code, report["summary"]["breaking"].as_u64()), (0, Some(0)));
    repo.write("openapi.yaml", &v1_breaking());
    let before = repo.state();
    let (code, report) = repo.json(&[]);
    assert_eq!(code, 1, "HEAD vs a breaking work tree: {report}");
    assert_eq!(report["head"]["commit"], Value::Null);
    let (code, _) = repo.json(&["HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(repo.state(), before, "contractdiff changed the work tree or the index");
}

#[test]
fn a_major_bump_allows_a_breaking_change_but_not_an_undeprecated_removal() {
    let repo = Repo::new();
    repo.write("openapi.yaml", V1);
    repo.commit("v1");
    // Narrowing a request parameter is breaking, and no removal.
    let narrowed = V1.replace("schema: {type: integer}}", "schema: {type: integer, maximum: 10}}");
    repo.write("openapi.yaml", &narrowed.replace("version: 1.0.0", "version: 2.0.0"));
    repo.commit("v2");
    let (code, report) = repo.json(&["HEAD~1..HEAD"]);
    assert_eq!(code, 0, "{report}");
    let contract = &report["contracts"][0];
    assert_eq!(contract["bump"], "major");
    let breaking: Vec<&Value> =
        contract["changes"].as_array().unwrap().iter().filter(|c| c["class"] == "breaking").collect();
    assert!(!breaking.is_empty(), "{report}");
    assert!(breaking.iter().all(|c| c["allowed_by"] == "version-bump" && c["blocking"] == false));

    // Removing a response property that base never deprecated still blocks, bump or not.
    repo.write("openapi.yaml", &v1_breaking().replace("version: 1.0.0", "version: 3.0.0"));
    repo.commit("v3");
    let (code, report) = repo.json(&["HEAD~1..HEAD"]);
    assert_eq!(code, 1, "{report}");
    let blocking: Vec<&Value> =
        report["contracts"][0]["changes"].as_array().unwrap().iter().filter(|c| c["blocking"] == true).collect();
    assert!(
        !blocking.is_empty() && blocking.iter().all(|c| c["message"].as_str().unwrap().contains("deprecated")),
        "{report}"
    );
}

#[test]
fn waivers_need_a_reason_and_allow_until_they_expire() {
    let repo = Repo::new();
    repo.write("openapi.yaml", V1);
    repo.commit("v1");
    repo.write("openapi.yaml", &v1_breaking());
    repo.commit("break");
    let (_, report) = repo.json(&["HEAD~1..HEAD"]);
    let rule = report["contracts"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["class"] == "breaking")
        .expect("a breaking change")["rule"]
        .as_str()
        .unwrap()
        .to_string();
    let config = |extra: &str| format!("[[accept]]\nrule = \"{rule}\"\n{extra}");
    repo.write("waivers.toml", &config("reason = \"partners migrated\"\nexpires = \"2026-12-31\"\n"));
    let (code, report) = repo.json(&["HEAD~1..HEAD", "--config", "waivers.toml"]);
    assert_eq!(code, 0, "{report}");
    repo.write("waivers.toml", &config("reason = \"partners migrated\"\nexpires = \"2026-01-01\"\n"));
    assert_eq!(repo.json(&["HEAD~1..HEAD", "--config", "waivers.toml"]).0, 1, "an expired waiver no longer allows");
    repo.write("waivers.toml", &config("reason = \"\"\n"));
    let (code, _, stderr) = repo.run(&["HEAD~1..HEAD", "--config", "waivers.toml"]);
    assert_eq!(code, 2, "a waiver without a reason is refused: {stderr}");
    assert!(stderr.contains("reason"), "{stderr}");
}

/// An entry file unchanged on both sides is not enough to call a contract unchanged: the files
/// its `$ref`s reach count too.
#[test]
fn a_change_in_a_referenced_file_is_found_when_the_entry_file_is_unchanged() {
    let repo = Repo::new();
    let entry = V1.replace(
        "              schema:\n                type: object\n                required: [name]\n                properties:\n                  name: {type: string}\n                  tag: {type: string}\n",
        "              schema: {$ref: 'schemas/pet.yaml'}\n",
    );
    assert_ne!(entry, V1, "the fixture moved the schema out");
    let pet = "type: object\nrequired: [name]\nproperties:\n  name: {type: string}\n  tag: {type: string}\n";
    repo.write("openapi.yaml", &entry);
    repo.write("schemas/pet.yaml", pet);
    repo.write("other/openapi.yaml", V1);
    repo.commit("v1");
    repo.write("schemas/pet.yaml", &pet.replace("required: [name]\n", "").replace("  name: {type: string}\n", ""));
    repo.commit("name removed from the shared schema");
    let (code, report) = repo.json(&["HEAD~1..HEAD"]);
    assert_eq!(code, 1, "{report}");
    let contracts = report["contracts"].as_array().unwrap();
    assert_eq!(contracts.len(), 2, "the unchanged contract is still listed: {report}");
    let unchanged = contracts.iter().find(|c| c["head"]["path"] == "other/openapi.yaml").unwrap();
    assert_eq!(unchanged["changes"].as_array().unwrap().len(), 0);
    assert_eq!(unchanged["bump"], "none");
    let changed = contracts.iter().find(|c| c["head"]["path"] == "openapi.yaml").unwrap();
    assert!(changed["changes"].as_array().unwrap().iter().any(|c| c["class"] == "breaking"), "{report}");
}

#[test]
fn renames_are_followed() {
    let repo = Repo::new();
    repo.write("openapi.yaml", V1);
    repo.commit("v1");
    repo.git(&["mv", "openapi.yaml", "pets-api.yaml"]);
    repo.commit("rename");
    let (code, report) = repo.json(&["HEAD~1..HEAD"]);
    assert_eq!(code, 0, "{report}");
    assert!(!rules_of(&report).iter().any(|r| r.starts_with("contract.")), "{report}");
    assert_eq!(report["contracts"][0]["base"]["path"], "openapi.yaml");
    assert_eq!(report["contracts"][0]["head"]["path"], "pets-api.yaml");
}

#[test]
fn git_errors_exit_2_with_a_hint() {
    let repo = Repo::new();
    repo.write("openapi.yaml", V1);
    repo.commit("v1");
    let (code, _, stderr) = repo.run(&["no-such-branch..HEAD"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-branch"), "{stderr}");

    let plain = tempfile::tempdir().unwrap();
    let out = contractdiff().current_dir(plain.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("contractdiff diff"), "hint names the no-git mode");
}

#[test]
fn shallow_clone_missing_the_base_says_fetch_depth() {
    let repo = Repo::new();
    repo.write("openapi.yaml", V1);
    repo.commit("v1");
    repo.write("openapi.yaml", &v1_additive());
    repo.commit("v2");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    let status = std::process::Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(clone.path().join("c"))
        .status()
        .unwrap();
    assert!(status.success());
    let out = contractdiff().arg("HEAD~1..HEAD").current_dir(clone.path().join("c")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("shallow") && stderr.contains("fetch-depth"), "{stderr}");
}

#[test]
fn json_report_is_valid_against_its_schema_and_deterministic() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    // The example folders hold a contract of every supported kind.
    let run = || {
        contractdiff()
            .args(["diff", "--format", "json"])
            .arg(examples().join("base"))
            .arg(examples().join("head"))
            .output()
            .unwrap()
            .stdout
    };
    let first = run();
    assert_eq!(first, run(), "two runs differ");
    let report: Value = serde_json::from_slice(&first).unwrap();
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert!(report["summary"]["breaking"].as_u64().unwrap() > 0);
    for kind in ["openapi", "protobuf", "avro"] {
        let breaking = report["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["kind"] == kind)
            .any(|c| c["changes"].as_array().unwrap().iter().any(|ch| ch["class"] == "breaking"));
        assert!(breaking, "no breaking {kind} change in the examples: {report}");
    }
}

#[test]
fn rules_and_explain() {
    let out = contractdiff().args(["rules", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let rules: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rules.iter().any(|r| r["id"] == "contract.removed" && r["class"] == "breaking"));
    let out = contractdiff().args(["explain", "contract.removed"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("How to fix"));
    let out = contractdiff().args(["explain", "no.such.rule"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// Each bad input exits 2 within a second, naming the file and the place, never panicking.
#[test]
fn bad_input_exits_2_with_place_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.yaml");
    std::fs::write(&good, V1).unwrap();
    let deep_yaml = format!("openapi: 3.0.3\nx: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let deep_json = format!("{{\"openapi\": \"3.0.3\", \"x\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let bomb = {
        let mut s = String::from("openapi: 3.0.3\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        s
    };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("malformed.yaml", b"openapi: 3.0.3\npaths:\n  /a: [unclosed\n".to_vec(), "malformed.yaml:"),
        ("malformed.json", b"{\"openapi\": \"3.0.3\",\n \"paths\": {,}}".to_vec(), "malformed.json:2"),
        ("missing-ref.yaml", V1.replace("type: object", "$ref: './nowhere.yaml'").into_bytes(), "nowhere.yaml"),
        (
            "escaping-ref.yaml",
            V1.replace("type: object", "$ref: '../../etc/schema.yaml'").into_bytes(),
            "escaping-ref.yaml:",
        ),
        (
            "remote-ref.yaml",
            V1.replace("type: object", "$ref: 'https://example.com/s.yaml'").into_bytes(),
            "remote-ref.yaml:",
        ),
        ("bomb.yaml", bomb.into_bytes(), "bomb.yaml:"),
        ("deep.yaml", deep_yaml.into_bytes(), "deep.yaml:"),
        ("deep.json", deep_json.into_bytes(), "deep.json:"),
        ("binary.yaml", vec![0x6f, 0x70, 0x00, 0xff, 0x12, 0x00], "binary.yaml:"),
        ("swagger.yaml", b"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n".to_vec(), "Swagger 2.0"),
    ];
    for (name, bytes, expected) in cases {
        let bad = dir.path().join(name);
        std::fs::write(&bad, &bytes).unwrap();
        let started = Instant::now();
        let out = contractdiff().args(["diff", "--kind", "openapi"]).arg(&good).arg(&bad).output().unwrap();
        let elapsed = started.elapsed();
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.code(), Some(2), "{name}: {all}");
        assert!(all.contains(expected), "{name}: expected {expected:?} in:\n{all}");
        assert!(!all.contains("panicked"), "{name} panicked:\n{all}");
        assert!(elapsed < Duration::from_secs(5), "{name} took {elapsed:?}");
        assert!(all.contains("FAIL") || all.contains("error"), "{name} does not say it failed:\n{all}");
    }
    // In JSON the unreadable contract is an error entry with its place, and the run no pass.
    let out = contractdiff()
        .args(["diff", "--kind", "openapi", "--format", "json"])
        .arg(&good)
        .arg(dir.path().join("malformed.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["verdict"], "error");
    assert_eq!(report["errors"][0]["file"], "malformed.yaml");
    assert!(report["errors"][0]["line"].as_u64().is_some() && report["errors"][0]["hint"].is_string(), "{report}");
}

#[test]
fn a_kind_not_supported_yet_is_refused_not_passed() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("events.yaml");
    std::fs::write(&doc, "asyncapi: 3.0.0\ninfo: {title: t, version: 1.0.0}\n").unwrap();
    let out = contractdiff().arg("diff").arg(&doc).arg(&doc).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot diff yet"));
}

#[test]
fn missing_path_is_a_usage_error() {
    let out = contractdiff().args(["diff", "/no/such/file.yaml", "/no/such/other.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_avro_schemas_exit_2_with_file_line_and_hint_and_the_others_are_still_compared() {
    let dir = tempfile::tempdir().unwrap();
    let (base, head) = (dir.path().join("base"), dir.path().join("head"));
    std::fs::create_dir_all(&base).unwrap();
    std::fs::create_dir_all(&head).unwrap();
    let good = r#"{"type": "record", "name": "Ok", "fields": [{"name": "a", "type": "int"}]}"#;
    let bad = [
        ("json.avsc", "{\n  \"type\": \"record\",\n  \"name\": \"A\",\n  \"fields\": [\n"),
        ("unknown.avsc", "{\"type\": \"record\", \"name\": \"B\",\n \"fields\": [{\"name\": \"x\", \"type\": \"com.nowhere.C\"}]}"),
        ("default.avsc", "{\"type\": \"record\", \"name\": \"D\",\n \"fields\": [{\"name\": \"x\", \"type\": \"int\", \"default\": \"no\"}]}"),
        ("dupe.avsc", "{\"type\": \"record\", \"name\": \"E\",\n \"fields\": [{\"name\": \"x\", \"type\": \"int\"},\n {\"name\": \"x\", \"type\": \"long\"}]}"),
    ];
    for side in [&base, &head] {
        std::fs::write(side.join("ok.avsc"), good).unwrap();
    }
    for (name, text) in bad {
        std::fs::write(base.join(name), good.replace("\"Ok\"", &format!("\"{}\"", &name[..1]))).unwrap();
        std::fs::write(head.join(name), text).unwrap();
    }
    let out = contractdiff().args(["diff", "--format", "json"]).arg(&base).arg(&head).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = report["errors"].as_array().unwrap();
    for (name, _) in bad {
        let error = errors.iter().find(|e| e["file"].as_str().is_some_and(|f| f.ends_with(name)));
        let error = error.unwrap_or_else(|| panic!("no error for {name}: {report}"));
        assert!(error["line"].as_u64().is_some_and(|l| l >= 1) && error["hint"].is_string(), "{error}");
    }
    let compared: Vec<&str> =
        report["contracts"].as_array().unwrap().iter().filter_map(|c| c["head"]["path"].as_str()).collect();
    assert!(compared.iter().any(|p| p.ends_with("ok.avsc")), "the good contract is still reported: {report}");
}
