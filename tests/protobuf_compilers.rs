//! The in-process compiler (protox-parse and our linker) against protoc, the reference: every
//! rule fixture, and buf's corpus cases when ../shared is present, load into the same model,
//! locations included, whichever compiler built it. Modules without editions files must have
//! been compiled in process, so the comparison cannot pass by both sides falling back to protoc.

use contractdiff::config::Config;
use contractdiff::discover;
use contractdiff::formats::protobuf::load::{self, modules, Compile, Loaded};
use contractdiff::formats::Kind;
use contractdiff::source::FsTree;
use std::path::{Path, PathBuf};

fn load_all(base: &Path, head: &Path, compile: Compile) -> Vec<(String, Loaded)> {
    let config = Config::default();
    let tree = |dir: &Path| FsTree::folder(dir).unwrap();
    let (base, head) = (tree(base), tree(head));
    let found = |tree: &FsTree| discover::discover(tree, &config, Some(Kind::Protobuf)).unwrap().contracts;
    let planned = modules::plan(&base, &head, &config, &found(&base), &found(&head)).unwrap();
    let protoc = load::Protoc::new().unwrap();
    let mut cache = load::Cache::default();
    planned
        .into_iter()
        .filter_map(|p| {
            let loaded = load::load_pair(&base, &head, &p.spec, p.renamed, &protoc, compile, &mut cache).ok()?;
            Some((p.spec.root, loaded))
        })
        .collect()
}

fn has_editions(dir: &Path) -> bool {
    walk(dir).iter().any(|file| {
        std::fs::read_to_string(file)
            .is_ok_and(|text| text.lines().any(|line| line.trim_start().starts_with("edition")))
    })
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
    out
}

/// Compare both compilers on `pairs`; returns how many modules were compiled in process.
fn compare(pairs: &[(PathBuf, PathBuf)]) -> usize {
    let mut in_process = 0;
    for (base, head) in pairs {
        let reference = load_all(base, head, Compile::Protoc);
        let ours = load_all(base, head, Compile::InProcessWherePossible);
        let case = head.parent().unwrap().display().to_string();
        assert_eq!(
            reference.iter().map(|(root, _)| root).collect::<Vec<_>>(),
            ours.iter().map(|(root, _)| root).collect::<Vec<_>>(),
            "{case}: the same modules load"
        );
        let editions = has_editions(base) || has_editions(head);
        for ((root, expected), (_, got)) in reference.iter().zip(&ours) {
            match &got.protoc_because {
                None => in_process += 1,
                Some(why) => assert!(editions, "{case} ({root}) fell back to protoc: {why}"),
            }
            for (side, want, have) in [("base", &expected.base, &got.base), ("head", &expected.head, &got.head)] {
                for (name, file) in &want.files {
                    assert_eq!(Some(file), have.files.get(name), "{case} ({root}) {side} {name}");
                }
                assert_eq!(want.files.len(), have.files.len(), "{case} ({root}) {side}: file count");
            }
        }
    }
    in_process
}

fn fixture_pairs() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/protobuf");
    let mut pairs = Vec::new();
    let mut rules: Vec<PathBuf> = std::fs::read_dir(&root).unwrap().flatten().map(|e| e.path()).collect();
    rules.sort();
    for rule in rules.into_iter().filter(|p| p.is_dir()) {
        for case in ["fires", "near-miss"] {
            let dir = rule.join(case);
            if dir.is_dir() {
                pairs.push((dir.join("base"), dir.join("head")));
            }
        }
    }
    pairs
}

#[test]
fn rule_fixtures_load_the_same_with_either_compiler() {
    let pairs = fixture_pairs();
    assert!(pairs.len() > 100, "fixtures found: {}", pairs.len());
    let in_process = compare(&pairs);
    eprintln!("compiled in process: {in_process} of the modules of {} case pairs", pairs.len());
    assert!(in_process > 50, "only {in_process} modules were compiled in process");
}

#[test]
fn buf_corpus_cases_load_the_same_with_either_compiler() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/buf");
    let Ok(text) = std::fs::read_to_string(corpus.join("cases.jsonl")) else {
        eprintln!("skipped: ../shared/corpus/buf is absent (it is present in CI)");
        return;
    };
    let pairs: Vec<(PathBuf, PathBuf)> = text
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .map(|case| {
            let side = |key: &str| corpus.join(case[key].as_str().unwrap_or_default());
            (side("base"), side("head"))
        })
        .collect();
    assert!(!pairs.is_empty());
    let in_process = compare(&pairs);
    eprintln!("compiled in process: {in_process} of the modules of {} case pairs", pairs.len());
    assert!(in_process > 0, "no buf case was compiled in process");
}

/// googleapis at two revisions a year apart (7,227 files, every path changed): the whole tree
/// through both compilers. Slow in a debug build, so benches/history.sh runs it in release.
#[test]
#[ignore = "needs ../shared/bench and a release build; benches/history.sh runs it"]
fn googleapis_loads_the_same_with_either_compiler() {
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/googleapis-protos.bundle");
    if !bundle.is_file() {
        eprintln!("skipped: {} is absent", bundle.display());
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    let git = |args: &[&str]| {
        let status = std::process::Command::new("git").args(args).status().unwrap();
        assert!(status.success(), "git {args:?}");
    };
    git(&["clone", "-q", bundle.to_str().unwrap(), repo.to_str().unwrap()]);
    let export = |rev: &str, name: &str| {
        let dir = work.path().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let archive = work.path().join(format!("{name}.tar"));
        git(&["-C", repo.to_str().unwrap(), "archive", "-o", archive.to_str().unwrap(), rev]);
        let status = std::process::Command::new("tar").arg("-xf").arg(&archive).arg("-C").arg(&dir).status().unwrap();
        assert!(status.success());
        dir
    };
    let pair = (export("HEAD~1", "old"), export("HEAD", "new"));
    assert_eq!(compare(&[pair]), 1, "the one googleapis module, in process");
}
