//! Every rule in the catalogue is documented and has two cases under `tests/cases/<kind>/<rule>/`:
//! `fires/` (a base/head pair that must produce the rule) and `near-miss/` (a close pair that must
//! not). Each side is a file named `base.*`/`head.*` or a folder `base/`/`head/`.

use contractdiff::rules::Catalogue;
use std::path::{Path, PathBuf};

fn cases_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn case_dir(kind: &str, rule: &str) -> PathBuf {
    let folder = if kind == "any" { "core" } else { kind };
    cases_root().join(folder).join(rule)
}

/// The `base*` and `head*` entries of a case folder.
fn sides(dir: &Path) -> Option<(PathBuf, PathBuf)> {
    let find = |prefix: &str| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .ok()?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.file_stem().and_then(|s| s.to_str()) == Some(prefix))
            .collect();
        found.sort();
        found.into_iter().next()
    };
    Some((find("base")?, find("head")?))
}

fn fired(dir: &Path) -> Result<Vec<String>, String> {
    let (base, head) = sides(dir).ok_or_else(|| format!("{}: needs a base and a head", dir.display()))?;
    contractdiff::run::changes_between(&base, &head)
        .map(|changes| changes.into_iter().map(|(rule, _)| rule).collect())
        .map_err(|e| format!("{}: {e}", dir.display()))
}

#[test]
fn every_rule_is_documented() {
    let known_peers = ["oasdiff:", "buf:", "avro:", "asyncapi-diff:"];
    let mut problems = Vec::new();
    for rule in Catalogue::get().iter() {
        for (field, text) in [("summary", &rule.summary), ("why", &rule.why), ("fix", &rule.fix)] {
            if text.trim().len() < 10 {
                problems.push(format!("{}: `{field}` is missing or too short", rule.id));
            }
        }
        for eq in &rule.equivalents {
            if !known_peers.iter().any(|p| eq.starts_with(p)) {
                problems.push(format!("{}: equivalent `{eq}` names no known peer", rule.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_rule_fires_on_its_case_and_not_on_its_near_miss() {
    let mut problems = Vec::new();
    for rule in Catalogue::get().iter() {
        let dir = case_dir(&rule.kind, &rule.id);
        match fired(&dir.join("fires")) {
            Ok(rules) if rules.contains(&rule.id) => {}
            Ok(rules) => problems.push(format!("{}: fires/ did not produce it (got {rules:?})", rule.id)),
            Err(e) => problems.push(format!("{}: fires/: {e}", rule.id)),
        }
        match fired(&dir.join("near-miss")) {
            Ok(rules) if !rules.contains(&rule.id) => {}
            Ok(_) => problems.push(format!("{}: near-miss/ produced it", rule.id)),
            Err(e) => problems.push(format!("{}: near-miss/: {e}", rule.id)),
        }
    }
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_case_folder_names_a_rule() {
    let catalogue = Catalogue::get();
    let mut orphans = Vec::new();
    for kind in std::fs::read_dir(cases_root()).expect("tests/cases exists").flatten() {
        if !kind.path().is_dir() {
            continue;
        }
        for case in std::fs::read_dir(kind.path()).into_iter().flatten().flatten() {
            let name = case.file_name().to_string_lossy().into_owned();
            if case.path().is_dir() && catalogue.rule(&name).is_none() {
                orphans.push(case.path().display().to_string());
            }
        }
    }
    assert!(orphans.is_empty(), "case folders for unknown rules:\n{}", orphans.join("\n"));
}
