//! End to end over real history: 30 published versions of Stripe's OpenAPI spec (4 MB of YAML),
//! in git mode, as a CI job would run it. Skipped when the bundle is not on this machine.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

const BUNDLE: &str = "../shared/bench/stripe-spec3-history.bundle";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// Ignored by default: about 11 s in release (HEAD~30..HEAD changes many shared schemas), far
// longer in a debug test build, which would stall every `cargo test`. benches/history.sh runs it.
// Run it with `cargo test --release --test stripe -- --ignored`; benches/stripe.sh times it.
#[test]
#[ignore = "slow in a debug build; benches/history.sh runs it in release"]
fn stripe_history_head_30_to_head() {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bundle = manifest.join(BUNDLE);
    if !bundle.exists() {
        println!("skipped: {BUNDLE} not present");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("stripe");
    git(tmp.path(), &["clone", "-q", bundle.to_str().unwrap(), repo.to_str().unwrap()]);
    // The spec is the only tracked contract; its path is what the report must name.
    let spec = git(&repo, &["ls-files", "*.yaml", "*.json"]);
    let spec = spec.lines().next().expect("a spec file in the bundle").to_string();
    let status = || git(&repo, &["status", "--porcelain", "--untracked-files=all", "--ignored"]);
    assert_eq!(status(), "", "fresh clone is clean");

    let out = Command::cargo_bin("contractdiff")
        .unwrap()
        .env("NO_COLOR", "1")
        .env("CONTRACTDIFF_TODAY", "2026-06-01")
        .args(["HEAD~30..HEAD", "--format", "json"])
        .current_dir(&repo)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    assert!(matches!(code, Some(0 | 1)), "exit {code:?} (2 is an error): {stderr}");

    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"));
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(manifest.join("schemas/report.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> =
        validator.iter_errors(&report).take(20).map(|e| format!("{e} at {}", e.instance_path)).collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    assert_eq!(report["errors"], Value::Array(vec![]), "{stderr}");

    let contracts = report["contracts"].as_array().unwrap();
    assert_eq!(contracts.len(), 1, "one contract: {spec}");
    let contract = &contracts[0];
    assert_eq!(contract["base"]["path"], spec.as_str());
    assert_eq!(contract["head"]["path"], spec.as_str());

    // 30 versions of a live API do change; every change points into the spec at a line.
    let changes = contract["changes"].as_array().unwrap();
    assert!(!changes.is_empty(), "no change across 30 versions");
    let lines = |rev: &str| git(&repo, &["show", &format!("{rev}:{spec}")]).lines().count() as u64;
    let sides = [("base", lines("HEAD~30")), ("head", lines("HEAD"))];
    for change in changes {
        assert!(sides.iter().any(|(side, _)| !change[*side].is_null()), "change without a location: {change}");
        for (side, lines) in sides {
            let loc = &change[side];
            if loc.is_null() {
                continue;
            }
            assert_eq!(loc["file"], spec.as_str(), "{change}");
            let line = loc["line"].as_u64().unwrap();
            assert!((1..=lines).contains(&line), "{side} line {line} outside the spec ({lines} lines): {change}");
        }
    }
    assert_eq!(status(), "", "contractdiff modified the clone");
}
