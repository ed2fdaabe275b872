//! Avro's transitive compatibility levels end to end: the binary in real temporary git
//! repositories, where a change that the base revision accepts conflicts with an older version
//! still in the history.

use assert_cmd::Command;
use serde_json::Value;

mod common;

use common::{git_in, Repo};

fn contractdiff() -> Command {
    let mut cmd = Command::cargo_bin("contractdiff").expect("binary built");
    cmd.env("NO_COLOR", "1").env("CONTRACTDIFF_TODAY", "2026-06-01");
    cmd
}

/// Exit code, stdout and stderr of the binary run in `dir`.
fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = contractdiff().args(args).current_dir(dir).output().expect("contractdiff runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// The JSON report of a run in `repo`, and its exit code.
fn json(repo: &Repo, args: &[&str]) -> (i32, Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = run_in(repo.path(), &all);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{stderr}"));
    (code, report)
}

/// The changes that fail the run, over every contract of `report`.
fn blocking(report: &Value) -> Vec<Value> {
    report["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["changes"].as_array().unwrap().iter().filter(|ch| ch["blocking"] == true).cloned())
        .collect()
}

/// A record `User` with `id` and the given extra fields (each a JSON field object).
fn user(fields: &[&str]) -> String {
    let mut all = vec![r#"{"name": "id", "type": "long"}"#];
    all.extend(fields);
    format!(r#"{{"type": "record", "name": "User", "namespace": "com.acme", "fields": [{}]}}"#, all.join(", "))
}

const EMAIL: &str = r#"{"name": "email", "type": "string"}"#;
const EMAIL_DEFAULT: &str = r#"{"name": "email", "type": "string", "default": ""}"#;

/// Commits each text of `versions` in turn at `path`; returns the commit ids, oldest first.
fn history(repo: &Repo, path: &str, versions: &[String]) -> Vec<String> {
    versions
        .iter()
        .enumerate()
        .map(|(i, text)| {
            repo.write(path, text);
            repo.commit(&format!("v{}", i + 1))
        })
        .collect()
}

/// v1 has no email; v2 adds it with a default (backward compatible); v3 drops the default
/// (still backward compatible with v2, whose data has the field, but new readers cannot read
/// v1's data, which lacks it).
fn backward_only_against_v1() -> (Repo, Vec<String>) {
    let repo = Repo::new();
    let commits = history(&repo, "schemas/user.avsc", &[user(&[]), user(&[EMAIL_DEFAULT]), user(&[EMAIL])]);
    (repo, commits)
}

/// v1 has email without a default; v2 gives it one (forward compatible); v3 removes it (still
/// forward compatible with v2, whose readers default it, but v1's readers cannot read v3's data).
fn forward_only_against_v1() -> (Repo, Vec<String>) {
    let repo = Repo::new();
    let commits = history(&repo, "schemas/user.avsc", &[user(&[EMAIL]), user(&[EMAIL_DEFAULT]), user(&[])]);
    (repo, commits)
}

/// The level passes against base alone, and the transitive level fails naming v1's commit.
fn assert_only_transitive_fails(repo: &Repo, v1: &str, level: &str) {
    let (code, report) = json(repo, &["HEAD~1..HEAD", "--avro-compat", level]);
    assert_eq!((code, blocking(&report)), (0, vec![]), "{level} against base only: {report:#}");

    let transitive = format!("{level}_transitive");
    let (code, report) = json(repo, &["HEAD~1..HEAD", "--avro-compat", &transitive]);
    assert_eq!(code, 1, "{transitive}: {report:#}");
    let found = blocking(&report);
    assert!(!found.is_empty(), "{report:#}");
    let names_v1 = |c: &Value| {
        let text = format!("{} {}", c["message"].as_str().unwrap_or(""), c["locus"].as_str().unwrap_or(""));
        text.contains(&v1[..7])
    };
    assert!(found.iter().all(names_v1), "each finding names v1's commit {}: {found:#?}", &v1[..7]);
    let email = |c: &Value| format!("{c}").contains("email");
    assert!(found.iter().any(email), "the finding is about `email`: {found:#?}");
}

#[test]
fn backward_transitive_catches_what_only_an_older_version_conflicts_with() {
    let (repo, commits) = backward_only_against_v1();
    assert_only_transitive_fails(&repo, &commits[0], "backward");
}

#[test]
fn forward_transitive_catches_what_only_an_older_version_conflicts_with() {
    let (repo, commits) = forward_only_against_v1();
    assert_only_transitive_fails(&repo, &commits[0], "forward");
}

#[test]
fn full_transitive_checks_both_directions_against_every_older_version() {
    for (repo, commits) in [backward_only_against_v1(), forward_only_against_v1()] {
        assert_only_transitive_fails(&repo, &commits[0], "full");
    }
}

#[test]
fn transitive_levels_pass_a_history_that_stayed_compatible() {
    // Each version adds an optional field: compatible with every earlier one, both ways.
    let repo = Repo::new();
    let phone = r#"{"name": "phone", "type": ["null", "string"], "default": null}"#;
    history(&repo, "schemas/user.avsc", &[user(&[]), user(&[EMAIL_DEFAULT]), user(&[EMAIL_DEFAULT, phone])]);
    for level in ["backward_transitive", "forward_transitive", "full_transitive"] {
        let (code, report) = json(&repo, &["HEAD~1..HEAD", "--avro-compat", level]);
        assert_eq!((code, blocking(&report)), (0, vec![]), "{level}: {report:#}");
    }
}

#[test]
fn the_work_tree_is_checked_against_the_whole_history_of_head() {
    let repo = Repo::new();
    let commits = history(&repo, "schemas/user.avsc", &[user(&[]), user(&[EMAIL_DEFAULT])]);
    repo.write("schemas/user.avsc", &user(&[EMAIL])); // not committed
    let before = repo.state();
    let (code, report) = json(&repo, &["--avro-compat", "backward"]);
    assert_eq!((code, blocking(&report)), (0, vec![]), "{report:#}");
    let (code, report) = json(&repo, &["--avro-compat", "backward_transitive"]);
    assert_eq!(code, 1, "{report:#}");
    assert!(format!("{report}").contains(&commits[0][..7]), "names v1: {report:#}");
    assert_eq!(repo.state(), before, "nothing in the repository changes");
}

#[test]
fn a_contract_selects_its_transitive_level_in_the_config() {
    let repo = Repo::new();
    let order = |text: String| text.replace("\"User\"", "\"Order\"");
    let config = r#"
[[contracts]]
path = "schemas/user.avsc"
avro_compat = "backward_transitive"

[[contracts]]
path = "schemas/order.avsc"
"#;
    repo.write("contractdiff.toml", config);
    let mut commits = Vec::new();
    for fields in [&[][..], &[EMAIL_DEFAULT][..], &[EMAIL][..]] {
        repo.write("schemas/user.avsc", &user(fields));
        repo.write("schemas/order.avsc", &order(user(fields)));
        commits.push(repo.commit("next"));
    }

    let (code, report) = json(&repo, &["HEAD~1..HEAD"]);
    assert_eq!(code, 1, "{report:#}");
    let contracts = report["contracts"].as_array().unwrap();
    let blocking_in = |path: &str| {
        let contract =
            contracts.iter().find(|c| c["head"]["path"] == path).unwrap_or_else(|| panic!("{path}: {report:#}"));
        contract["changes"].as_array().unwrap().iter().filter(|c| c["blocking"] == true).count()
    };
    assert!(blocking_in("schemas/user.avsc") > 0, "backward_transitive from its contract: {report:#}");
    assert_eq!(blocking_in("schemas/order.avsc"), 0, "the default, backward: {report:#}");
    assert!(format!("{report}").contains(&commits[0][..7]), "{report:#}");

    // The command line overrides every contract's level.
    let (code, report) = json(&repo, &["HEAD~1..HEAD", "--avro-compat", "backward"]);
    assert_eq!((code, blocking(&report)), (0, vec![]), "{report:#}");
}

#[test]
fn a_shallow_clone_says_the_transitive_history_is_missing_and_how_to_fetch_it() {
    let (repo, _) = backward_only_against_v1();
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", repo.path().display());
    // Deep enough for HEAD~1..HEAD, not for v1.
    git_in(clone.path(), &["clone", "-q", "--depth", "2", &url, "."]);

    let (code, stdout, stderr) = run_in(clone.path(), &["HEAD~1..HEAD", "--avro-compat", "backward"]);
    assert_eq!(code, 0, "plain levels need no history:\n{stdout}\n{stderr}");

    let (code, stdout, stderr) = run_in(clone.path(), &["HEAD~1..HEAD", "--avro-compat", "backward_transitive"]);
    let output = format!("{stdout}\n{stderr}");
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("shallow clone"), "{output}");
    assert!(output.contains("fetch-depth: 0") && output.contains("git fetch --unshallow"), "{output}");

    git_in(clone.path(), &["fetch", "-q", "--unshallow"]);
    let (code, stdout, stderr) = run_in(clone.path(), &["HEAD~1..HEAD", "--avro-compat", "backward_transitive"]);
    assert_eq!(code, 1, "the whole history is there now:\n{stdout}\n{stderr}");
}
