//! Avro names resolve within a scope (a file's folder, or its `[[contracts]]` entry), not across
//! the whole revision: the binary over temporary folders and real temporary git repositories.

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

/// Exit code and JSON report of the binary run in `dir` with `args`.
fn json_in(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = contractdiff().args(args).args(["--format", "json"]).current_dir(dir).output().expect("runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (out.status.code().unwrap_or(-1), report)
}

fn errors(report: &Value) -> Vec<Value> {
    report["errors"].as_array().cloned().unwrap_or_default()
}

/// The blocking changes of `report`, each as (the head file it points into, rule).
fn blocking(report: &Value) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["changes"].as_array().unwrap().iter().filter(|ch| ch["blocking"] == true))
        .map(|ch| {
            let file = ch["head"]["file"].as_str().or(ch["base"]["file"].as_str()).unwrap_or("-");
            (file.to_string(), ch["rule"].as_str().unwrap().to_string())
        })
        .collect();
    found.sort();
    found
}

fn write(root: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
}

/// `com.acme.User` with `id` of the given type, and an `address` of type `com.acme.Address`
/// (defined in another file of the same folder).
fn user(id: &str) -> String {
    format!(
        r#"{{"type": "record", "name": "User", "namespace": "com.acme", "fields": [
  {{"name": "id", "type": "{id}"}},
  {{"name": "address", "type": "Address"}}
]}}"#
    )
}

fn address(city: &str) -> String {
    format!(
        r#"{{"type": "record", "name": "Address", "namespace": "com.acme", "fields": [
  {{"name": "city", "type": "{city}"}}
]}}"#
    )
}

/// `v1/` and `v2/`: the same full names, defined differently (v2's ids are strings).
fn two_versions(root: &Path) {
    write(
        root,
        &[
            ("v1/user.avsc", &user("long")),
            ("v1/address.avsc", &address("string")),
            ("v2/user.avsc", &user("string")),
            ("v2/address.avsc", &address("bytes")),
        ],
    );
}

#[test]
fn two_folders_defining_the_same_names_differently_pass_without_change() {
    let dir = tempfile::tempdir().unwrap();
    two_versions(dir.path());
    let (code, report) = json_in(dir.path(), &["diff", ".", "."]);
    assert_eq!((code, errors(&report), blocking(&report)), (0, vec![], vec![]), "{report:#}");
    assert_eq!(report["contracts"].as_array().unwrap().len(), 4, "{report:#}");

    // The same in git: the work tree against HEAD.
    let repo = Repo::new();
    two_versions(repo.path());
    repo.commit("v1 and v2");
    let (code, report) = json_in(repo.path(), &["HEAD"]);
    assert_eq!((code, errors(&report), blocking(&report)), (0, vec![], vec![]), "{report:#}");
}

#[test]
fn a_breaking_change_in_one_folder_is_reported_against_that_folders_file_only() {
    let repo = Repo::new();
    two_versions(repo.path());
    repo.commit("v1 and v2");
    // v2's Address.city: bytes → int, which no reader of int can read from bytes.
    repo.write("v2/address.avsc", &address("int"));
    repo.commit("v2 breaks");
    let (code, report) = json_in(repo.path(), &["HEAD~1..HEAD"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(errors(&report), Vec::<Value>::new());
    assert_eq!(blocking(&report), [("v2/address.avsc".to_string(), "avro.type-mismatch".to_string())], "{report:#}");
}

#[test]
fn a_name_defined_twice_where_files_meet_is_an_error_with_both_places_and_how_to_scope() {
    let dir = tempfile::tempdir().unwrap();
    // order.avsc uses `Address`, which two files of its folder define differently.
    write(
        dir.path(),
        &[
            ("shop/a.avsc", &address("string")),
            ("shop/b.avsc", &address("bytes")),
            ("shop/order.avsc", &user("long").replace("\"User\"", "\"Order\"")),
        ],
    );
    let (code, report) = json_in(dir.path(), &["diff", ".", "."]);
    assert_eq!(code, 2, "{report:#}");
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    let error = &errors[0];
    assert_eq!(
        (error["file"].as_str(), error["line"].as_u64(), error["column"].as_u64()),
        (Some("shop/b.avsc"), Some(1), Some(28))
    );
    assert_eq!(error["message"], "`com.acme.Address` is already defined differently at shop/a.avsc:1:28");
    let hint = error["hint"].as_str().unwrap();
    assert!(hint.contains("the folder `shop`") && hint.contains("separate folders"), "{hint}");
    assert!(hint.contains("[[contracts]]"), "{hint}");
}

#[test]
fn a_reference_to_a_type_of_another_folder_says_where_it_is_and_how_to_group() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("common/address.avsc", &address("string")), ("orders/user.avsc", &user("long"))]);
    let (code, report) = json_in(dir.path(), &["diff", ".", "."]);
    assert_eq!(code, 2, "{report:#}");
    let errors = errors(&report);
    assert_eq!(errors.len(), 1, "{report:#}");
    let error = &errors[0];
    assert_eq!((error["file"].as_str(), error["line"].as_u64()), (Some("orders/user.avsc"), Some(3)), "{error:#}");
    assert_eq!(
        error["message"],
        "unknown type `com.acme.Address` in this file's scope (the folder `orders`): it is defined in \
         common/address.avsc, outside it"
    );
    let hint = error["hint"].as_str().unwrap();
    assert!(hint.contains(r#"path = "{orders/*.avsc,common/*.avsc}""#), "{hint}");
}

#[test]
fn a_contracts_entry_grouping_two_folders_lets_a_reference_cross_them() {
    let repo = Repo::new();
    // The glob the error above suggests.
    repo.write("contractdiff.toml", "[[contracts]]\npath = \"{orders/*.avsc,common/*.avsc}\"\n");
    repo.write("common/address.avsc", &address("string"));
    repo.write("orders/user.avsc", &user("long"));
    // Another folder outside the entry is not a contract (config mode), so it cannot clash.
    repo.write("fixtures/address.avsc", &address("int"));
    repo.commit("grouped");
    let (code, report) = json_in(repo.path(), &["HEAD"]);
    assert_eq!((code, errors(&report), blocking(&report)), (0, vec![], vec![]), "{report:#}");

    // A change in common/ now reaches orders/: reported once, where Address is defined.
    repo.write("common/address.avsc", &address("int"));
    repo.commit("city becomes an int");
    let (code, report) = json_in(repo.path(), &["HEAD~1..HEAD"]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(blocking(&report), [("common/address.avsc".to_string(), "avro.type-mismatch".to_string())]);
}

#[test]
fn a_renamed_folder_pairs_its_files_with_their_moved_copies() {
    let repo = Repo::new();
    two_versions(repo.path());
    repo.commit("v1 and v2");
    repo.git(&["mv", "v1", "legacy"]);
    repo.commit("v1 is legacy");
    let (code, report) = json_in(repo.path(), &["HEAD~1..HEAD"]);
    assert_eq!((code, errors(&report), blocking(&report)), (0, vec![], vec![]), "{report:#}");
    let contracts = report["contracts"].as_array().unwrap();
    let moved = contracts.iter().find(|c| c["head"]["path"] == "legacy/user.avsc").expect("paired");
    assert_eq!(moved["base"]["path"], "v1/user.avsc", "{report:#}");
    assert_eq!(moved["changes"], serde_json::json!([]), "{report:#}");
}

#[test]
fn levels_and_history_apply_per_folder() {
    let repo = Repo::new();
    let config = "[[contracts]]\npath = \"v1/*.avsc\"\navro_compat = \"backward_transitive\"\n\n\
                  [[contracts]]\npath = \"v2/*.avsc\"\navro_compat = \"backward\"\n";
    repo.write("contractdiff.toml", config);
    // Both folders go through the same history of `com.acme.Tag`: no default for `email`, then
    // one, then none again. Backward against base passes; against the first version it fails.
    let tag =
        |email: &str| format!(r#"{{"type": "record", "name": "Tag", "namespace": "com.acme", "fields": [{email}]}}"#);
    let mut first = String::new();
    for email in ["", r#"{"name": "email", "type": "string", "default": ""}"#, r#"{"name": "email", "type": "string"}"#]
    {
        repo.write("v1/tag.avsc", &tag(email));
        repo.write("v2/tag.avsc", &tag(email).replace("\"string\"", "\"bytes\""));
        let commit = repo.commit("next");
        if first.is_empty() {
            first = commit;
        }
    }
    let (code, report) = json_in(repo.path(), &["HEAD~1..HEAD"]);
    assert_eq!(code, 1, "{report:#}");
    let found = blocking(&report);
    assert!(!found.is_empty() && found.iter().all(|(file, _)| file == "v1/tag.avsc"), "{report:#}");
    assert!(format!("{report}").contains(&first[..7]), "names the first version: {report:#}");
}

#[test]
fn this_repositorys_rule_cases_diff_against_themselves_without_errors() {
    // Every case folder holds a base.avsc and a head.avsc defining the same full name
    // differently: unrelated schemas that once failed the whole run.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, report) = json_in(root, &["diff", "tests/cases", "tests/cases", "--kind", "avro"]);
    assert_eq!((code, errors(&report)), (0, vec![]), "{report:#}");
    let contracts = report["contracts"].as_array().unwrap();
    assert!(contracts.len() >= 30, "every Avro case file is compared: {}", contracts.len());
    assert!(contracts.iter().all(|c| c["changes"] == serde_json::json!([])), "{report:#}");
}
