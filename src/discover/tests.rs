//! Discovery and pairing over real folders.

use super::*;
use crate::config::ContractSpec;
use crate::source::FsTree;
use std::path::Path;

const OPENAPI: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\n";

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let full = dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }
    dir
}

fn tree(dir: &Path) -> FsTree {
    FsTree::folder(dir).unwrap()
}

fn found(tree: &dyn Tree, config: &Config, only: Option<Kind>) -> Vec<(String, Kind)> {
    discover(tree, config, only).unwrap().contracts.into_iter().map(|c| (c.path, c.kind)).collect()
}

fn contract(path: &str, kind: Kind) -> (String, Kind) {
    (path.to_string(), kind)
}

#[test]
fn without_config_contracts_are_sniffed_and_dependency_folders_skipped() {
    let dir = folder(&[
        ("api/openapi.yaml", OPENAPI),
        ("api/swagger.json", "{\n  \"swagger\": \"2.0\"\n}"),
        ("events/asyncapi.yml", "asyncapi: 3.0.0\n"),
        ("proto/pay/v1/pay.proto", "syntax = \"proto3\";\n"),
        ("avro/User.avsc", "{\"type\": \"record\"}"),
        ("api/components/pet.yaml", "type: object\n"),
        (".github/workflows/ci.yml", "on: push\n"),
        ("web/node_modules/lib/openapi.yaml", OPENAPI),
        ("package.json", "{\"name\": \"web\"}"),
        ("notes.txt", "openapi: 3.0.0\n"),
    ]);
    assert_eq!(
        found(&tree(dir.path()), &Config::default(), None),
        [
            contract("api/openapi.yaml", Kind::Openapi),
            contract("api/swagger.json", Kind::Openapi),
            contract("avro/User.avsc", Kind::Avro),
            contract("events/asyncapi.yml", Kind::Asyncapi),
            contract("proto/pay/v1/pay.proto", Kind::Protobuf),
        ]
    );
    assert_eq!(
        found(&tree(dir.path()), &Config::default(), Some(Kind::Asyncapi)),
        [contract("events/asyncapi.yml", Kind::Asyncapi)]
    );
}

#[test]
fn config_globs_choose_the_files_and_may_name_their_kind() {
    let dir = folder(&[
        ("api/v1/openapi.yaml", OPENAPI),
        ("api/v1/parts/pet.yaml", "type: object\n"),
        ("api/top.yaml", OPENAPI),
        ("other/openapi.yaml", OPENAPI),
        ("vendor/spec/openapi.yaml", OPENAPI),
        ("schemas/event.json", "{\"type\": \"object\"}"),
    ]);
    let spec = |path: &str, kind: Option<Kind>| ContractSpec { path: path.into(), kind, root: None, avro_compat: None };
    let config = Config {
        contracts: vec![
            spec("api/**/*.yaml", None),
            spec("vendor/**/openapi.yaml", None),
            spec("schemas/*.json", Some(Kind::Avro)),
        ],
        ..Config::default()
    };
    assert_eq!(
        found(&tree(dir.path()), &config, None),
        [
            contract("api/top.yaml", Kind::Openapi),
            contract("api/v1/openapi.yaml", Kind::Openapi),
            contract("schemas/event.json", Kind::Avro),
            contract("vendor/spec/openapi.yaml", Kind::Openapi),
        ],
        "fragments that sniff as nothing are not contracts; `vendor` is searched when named"
    );
    let single_star = Config { contracts: vec![spec("api/*.yaml", None)], ..Config::default() };
    assert_eq!(found(&tree(dir.path()), &single_star, None), [contract("api/top.yaml", Kind::Openapi)]);
}

#[test]
fn a_bad_glob_is_a_config_error() {
    let dir = folder(&[("a.yaml", OPENAPI)]);
    let config = Config {
        contracts: vec![ContractSpec { path: "api/[".into(), kind: None, root: None, avro_compat: None }],
        ..Config::default()
    };
    let Err(Error::Config { message, hint }) = discover(&tree(dir.path()), &config, None) else {
        panic!("expected a config error")
    };
    assert!(message.contains("contracts[0].path `api/[`"), "{message}");
    assert!(hint.is_some());
}

#[test]
fn a_single_file_is_the_only_contract_of_its_side() {
    let dir = folder(&[("old.yaml", OPENAPI), ("new.yaml", OPENAPI), ("other.yaml", OPENAPI), ("x.txt", "hello\n")]);
    let (old, new) =
        (FsTree::file(&dir.path().join("old.yaml")).unwrap(), FsTree::file(&dir.path().join("new.yaml")).unwrap());
    let (base, head) = (
        discover(&old, &Config::default(), None).unwrap().contracts,
        discover(&new, &Config::default(), None).unwrap().contracts,
    );
    assert_eq!(base, [ContractFile { path: "old.yaml".into(), kind: Kind::Openapi }]);
    let pairs = pair(&old, &base, &new, &head).unwrap();
    assert_eq!(pairs, [Pair { kind: Kind::Openapi, base: Some("old.yaml".into()), head: Some("new.yaml".into()) }]);

    let text = FsTree::file(&dir.path().join("x.txt")).unwrap();
    assert!(matches!(discover(&text, &Config::default(), None), Err(Error::Usage { .. })));
    assert_eq!(
        discover(&text, &Config::default(), Some(Kind::Avro)).unwrap().contracts[0].kind,
        Kind::Avro,
        "--kind decides"
    );
}

/// A spec of `n` distinct lines, so similarity can be set precisely.
fn spec_lines(prefix: &str, n: usize) -> String {
    let mut text = String::from("openapi: 3.0.3\n");
    for i in 0..n {
        text.push_str(&format!("x-{prefix}-{i}: {i}\n"));
    }
    text
}

fn pairs_between(base: &[(&str, &str)], head: &[(&str, &str)]) -> Vec<(Option<String>, Option<String>)> {
    let (base_dir, head_dir) = (folder(base), folder(head));
    let (base_tree, head_tree) = (tree(base_dir.path()), tree(head_dir.path()));
    let base = discover(&base_tree, &Config::default(), None).unwrap().contracts;
    let head = discover(&head_tree, &Config::default(), None).unwrap().contracts;
    pair(&base_tree, &base, &head_tree, &head).unwrap().into_iter().map(|p| (p.base, p.head)).collect()
}

fn both(base: &str, head: &str) -> (Option<String>, Option<String>) {
    (Some(base.into()), Some(head.into()))
}

#[test]
fn renames_pair_when_at_least_half_the_content_is_kept() {
    let old = spec_lines("a", 9);
    let kept_most = old.replace("x-a-0: 0", "x-b-0: 0").replace("x-a-1: 1", "x-b-1: 1");
    let kept_little = spec_lines("c", 9);
    let pairs = pairs_between(
        &[("same.yaml", OPENAPI), ("old/a.yaml", &old), ("old/c.yaml", &spec_lines("z", 9))],
        &[("same.yaml", OPENAPI), ("new/a.yaml", &kept_most), ("new/c.yaml", &kept_little)],
    );
    assert_eq!(
        pairs,
        [
            (None, Some("new/c.yaml".into())),
            both("old/a.yaml", "new/a.yaml"),
            (Some("old/c.yaml".into()), None),
            both("same.yaml", "same.yaml"),
        ]
    );
}

#[test]
fn the_best_rename_wins_and_ties_break_by_path() {
    let original = spec_lines("a", 10);
    let close = original.replace("x-a-9: 9", "x-q-9: 9");
    let further = original.replace("x-a-9: 9", "x-q-9: 9").replace("x-a-8: 8", "x-q-8: 8");
    let pairs = pairs_between(&[("v1.yaml", &original)], &[("further.yaml", &further), ("close.yaml", &close)]);
    assert_eq!(pairs, [(None, Some("further.yaml".into())), both("v1.yaml", "close.yaml")]);

    // Two identical candidates: the first by path, every run.
    let pairs = pairs_between(&[("v1.yaml", &original)], &[("b.yaml", &original), ("a.yaml", &original)]);
    assert_eq!(pairs, [(None, Some("b.yaml".into())), both("v1.yaml", "a.yaml")]);
}

#[test]
fn renames_stay_within_a_kind() {
    let pairs = pairs_between(&[("old.yaml", "asyncapi: 3.0.0\nx: 1\n")], &[("new.yaml", "openapi: 3.0.0\nx: 1\n")]);
    assert_eq!(pairs, [(None, Some("new.yaml".into())), (Some("old.yaml".into()), None)]);
}
