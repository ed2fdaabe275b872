//! Unit tests of the Avro engine: the checker on inline schemas, and `compare` over in-memory
//! revisions (cross-file names, levels, versioning, history, bad input).

use super::load::{self, Loaded};
use super::{check, compare, Compat};
use crate::config::{Config, ContractSpec};
use crate::discover::ContractFile;
use crate::error::Result;
use crate::formats::{Compared, Context, Kind};
use crate::policy::Bump;
use crate::source::{Tree, Version};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

fn model(files: &[(&str, &str)]) -> Loaded {
    let parsed: Vec<_> = files.iter().map(|(p, t)| (p.to_string(), load::parse(p, t.as_bytes()).unwrap())).collect();
    load::build(&parsed)
}

fn rules(writer: &str, reader: &str) -> Vec<&'static str> {
    let (w, r) = (model(&[("w.avsc", writer)]), model(&[("r.avsc", reader)]));
    assert!(w.errors.is_empty() && r.errors.is_empty(), "{:?} {:?}", w.errors, r.errors);
    let findings = check::check(&r.model, r.roots["r.avsc"], &w.model, w.roots["w.avsc"], "T", false);
    let mut rules: Vec<_> = findings.iter().map(|f| f.rule).collect();
    rules.sort();
    rules
}

#[test]
fn promotions_and_mismatches() {
    assert!(rules("\"int\"", "\"long\"").is_empty());
    assert_eq!(rules("\"long\"", "\"int\""), ["avro.type-mismatch"]);
    assert!(rules("\"string\"", "\"bytes\"").is_empty());
    assert!(rules("\"float\"", "\"double\"").is_empty());
    assert_eq!(rules("\"double\"", "\"float\""), ["avro.type-mismatch"]);
}

#[test]
fn every_finding_is_reported_not_just_the_first() {
    let writer = r#"{"type":"record","name":"R","fields":[
        {"name":"a","type":"long"},
        {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]}},
        {"name":"f","type":{"type":"fixed","name":"F","size":4}}]}"#;
    let reader = r#"{"type":"record","name":"R","fields":[
        {"name":"a","type":"int"},
        {"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}},
        {"name":"f","type":{"type":"fixed","name":"F","size":8}},
        {"name":"n","type":"string"}]}"#;
    assert_eq!(
        rules(writer, reader),
        [
            "avro.enum-symbol-missing",
            "avro.fixed-size-mismatch",
            "avro.reader-field-missing-default",
            "avro.type-mismatch"
        ]
    );
}

#[test]
fn recursive_records_end_and_report_once() {
    let list = |ty: &str| {
        format!(
            r#"{{"type":"record","name":"Node","fields":[{{"name":"v","type":"{ty}"}},{{"name":"next","type":["null","Node"]}}]}}"#
        )
    };
    assert!(rules(&list("int"), &list("long")).is_empty());
    assert_eq!(rules(&list("long"), &list("int")), ["avro.type-mismatch"]);
}

#[test]
fn names_match_unqualified_or_by_reader_alias() {
    let named = |name: &str, extra: &str| format!(r#"{{"type":"enum","name":"{name}","symbols":["A"]{extra}}}"#);
    assert!(rules(&named("a.E", ""), &named("b.E", "")).is_empty(), "namespaces are ignored, as Java does");
    assert_eq!(rules(&named("a.E", ""), &named("a.F", "")), ["avro.name-mismatch"]);
    assert!(rules(&named("a.E", ""), &named("a.F", r#","aliases":["E"]"#)).is_empty(), "relative alias");
    assert_eq!(
        rules(&named("a.F", r#","aliases":["E"]"#), &named("a.E", "")),
        ["avro.name-mismatch"],
        "writer aliases unused"
    );
}

#[test]
fn unions_both_ways() {
    assert!(rules("\"int\"", r#"["null","long"]"#).is_empty());
    assert_eq!(rules(r#"["null","int"]"#, "\"int\""), ["avro.type-mismatch"]);
    assert_eq!(rules(r#"["null","int","string"]"#, r#"["null","int"]"#), ["avro.union-branch-missing"]);
    assert_eq!(rules("\"string\"", r#"["null","int"]"#), ["avro.union-branch-missing"]);
}

#[test]
fn decimals_must_agree_as_the_specification_says() {
    let dec = |p: u32, s: u32| format!(r#"{{"type":"bytes","logicalType":"decimal","precision":{p},"scale":{s}}}"#);
    assert!(rules(&dec(4, 2), &dec(4, 2)).is_empty());
    assert_eq!(rules(&dec(4, 2), &dec(5, 2)), ["avro.decimal-precision-mismatch"]);
    assert_eq!(rules(&dec(4, 2), &dec(4, 1)), ["avro.decimal-scale-mismatch"]);
    assert!(
        rules(&dec(4, 0), r#"{"type":"bytes","logicalType":"decimal","precision":4}"#).is_empty(),
        "scale 0 by default"
    );
}

// ---- compare() over in-memory revisions ----

/// A revision in memory, counting reads so tests can see that a shared blob is parsed once.
struct Mem {
    files: BTreeMap<String, String>,
    history: BTreeMap<String, Vec<Version>>,
    entry: Option<String>,
    reads: AtomicUsize,
}

fn mem(files: &[(&str, &str)]) -> Mem {
    Mem {
        files: files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect(),
        history: BTreeMap::new(),
        entry: None,
        reads: AtomicUsize::new(0),
    }
}

impl Tree for Mem {
    fn label(&self) -> String {
        "mem".into()
    }
    fn list(&self) -> Result<Vec<String>> {
        Ok(self.files.keys().cloned().collect())
    }
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        self.reads.fetch_add(1, Ordering::Relaxed);
        Ok(self.files.get(path).map(|t| t.as_bytes().to_vec()))
    }
    fn content_id(&self, path: &str) -> Option<String> {
        self.files.get(path).map(|t| format!("{:x}", t.len() * 31 + t.bytes().map(usize::from).sum::<usize>()))
    }
    fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
    }
    fn history(&self, paths: &[String]) -> Result<BTreeMap<String, Vec<Version>>> {
        Ok(self.history.iter().filter(|(p, _)| paths.contains(p)).map(|(p, v)| (p.clone(), v.clone())).collect())
    }
}

fn run(base: &Mem, head: &Mem, config: &Config, level: Option<Compat>) -> Vec<Result<Compared>> {
    let files =
        |t: &Mem| t.files.keys().map(|p| ContractFile { path: p.clone(), kind: Kind::Avro }).collect::<Vec<_>>();
    let ctx = Context { base, head, config, protobuf_level: None, avro_compat: level };
    compare(&ctx, &files(base), &files(head))
}

fn rules_of(compared: &Compared) -> Vec<&str> {
    compared.changes.iter().map(|c| c.rule.as_str()).collect()
}

const ADDRESS_V1: &str =
    r#"{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"city","type":"string"}]}"#;
const ADDRESS_V2: &str = r#"{"type":"record","name":"Address","namespace":"com.acme","fields":[{"name":"city","type":"string"},{"name":"zip","type":"string"}]}"#;
const USER: &str = r#"{"type":"record","name":"User","namespace":"com.acme","fields":[
  {"name":"id","type":"long"},
  {"name":"home","type":"com.acme.Address"}]}"#;

#[test]
fn named_types_resolve_across_files_and_a_shared_cause_is_reported_once() {
    let user_v2 = USER.replace(r#"{"name":"id","type":"long"}"#, r#"{"name":"id","type":"int"}"#);
    let base = mem(&[("address.avsc", ADDRESS_V1), ("user.avsc", USER)]);
    let head = mem(&[("address.avsc", ADDRESS_V2), ("user.avsc", &user_v2)]);
    let out: Vec<Compared> = run(&base, &head, &Config::default(), None).into_iter().map(Result::unwrap).collect();
    assert_eq!(out.len(), 2);
    let of = |path: &str| out.iter().find(|c| c.head.as_ref().unwrap().path == path).unwrap();
    // The new Address field breaks both schemas, but it is one cause: reported where Address is.
    let (address, user) = (of("address.avsc"), of("user.avsc"));
    assert_eq!(rules_of(address), ["avro.reader-field-missing-default"]);
    let change = &address.changes[0];
    assert_eq!(change.locus, "com.acme.Address.zip");
    let head_loc = change.head.as_ref().unwrap();
    assert_eq!((head_loc.file.as_str(), head_loc.line), ("address.avsc", 1));
    assert!(change.message.starts_with("new readers cannot read old data: "), "{}", change.message);
    assert_eq!(rules_of(user), ["avro.type-mismatch"]);
    assert_eq!(user.changes[0].locus, "com.acme.User.id");
    assert!(user.texts.head.contains_key("user.avsc"), "the snippet's file text comes along");
}

#[test]
fn unchanged_blobs_are_read_and_parsed_once() {
    let base = mem(&[("address.avsc", ADDRESS_V1), ("user.avsc", USER)]);
    let head = mem(&[("address.avsc", ADDRESS_V1), ("user.avsc", USER)]);
    let out = run(&base, &head, &Config::default(), None);
    assert!(out.iter().all(|c| c.as_ref().unwrap().changes.is_empty()));
    assert_eq!(base.reads.load(Ordering::Relaxed) + head.reads.load(Ordering::Relaxed), 2);
}

#[test]
fn forward_says_so_full_merges_and_none_breaks_nothing() {
    let old = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":"string"}]}"#;
    let new = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"long"}]}"#;
    let (base, head) = (mem(&[("r.avsc", old)]), mem(&[("r.avsc", new)]));
    let one = |level| run(&base, &head, &Config::default(), level).pop().unwrap().unwrap();
    let backward = one(None);
    assert_eq!(rules_of(&backward), ["avro.field-removed"], "new readers read old data");
    let forward = one(Some(Compat::Forward));
    let mut got = rules_of(&forward);
    got.sort();
    assert_eq!(got, ["avro.field-removed", "avro.reader-field-missing-default", "avro.type-mismatch"]);
    assert!(forward
        .changes
        .iter()
        .filter(|c| c.rule != "avro.field-removed")
        .all(|c| c.message.starts_with("old readers cannot read new data")));
    // The forward finding's head place is the new (writer) schema.
    let mismatch = forward.changes.iter().find(|c| c.rule == "avro.type-mismatch").unwrap();
    assert!(mismatch.base.is_some() && mismatch.head.is_some());

    let both = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}"#;
    let (base, head) = (mem(&[("r.avsc", old)]), mem(&[("r.avsc", both)]));
    let full = run(&base, &head, &Config::default(), Some(Compat::Full)).pop().unwrap().unwrap();
    let mismatch: Vec<_> = full.changes.iter().filter(|c| c.rule == "avro.type-mismatch").collect();
    assert_eq!(mismatch.len(), 1, "one finding per cause");
    assert!(mismatch[0].message.ends_with("old readers cannot read new data either"), "{}", mismatch[0].message);
    let none = run(&base, &head, &Config::default(), Some(Compat::None)).pop().unwrap().unwrap();
    assert!(none
        .changes
        .iter()
        .all(|c| crate::rules::Catalogue::get().class_of(&c.rule) != crate::rules::Class::Breaking));
}

#[test]
fn the_level_comes_from_the_flag_then_the_contract_then_the_policy() {
    let old = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    let new = r#"{"type":"record","name":"R","fields":[]}"#;
    let (base, head) = (mem(&[("events/r.avsc", old)]), mem(&[("events/r.avsc", new)]));
    let spec = |path: &str, level| ContractSpec { path: path.into(), kind: None, root: None, avro_compat: Some(level) };
    let mut config = Config::default();
    config.policy.avro_compat = Some(Compat::Backward);
    config.contracts = vec![spec("other/*.avsc", Compat::Backward), spec("events/*.avsc", Compat::Forward)];
    let breaking = |config: &Config, level| {
        let c = run(&base, &head, config, level).pop().unwrap().unwrap();
        c.changes.iter().any(|c| c.rule == "avro.reader-field-missing-default")
    };
    assert!(breaking(&config, None), "the matching [[contracts]] entry says forward");
    assert!(!breaking(&config, Some(Compat::Backward)), "--avro-compat wins");
    config.contracts.clear();
    assert!(!breaking(&config, None), "policy says backward");
}

#[test]
fn a_new_namespace_version_is_a_major_bump() {
    let v = |n: u32, extra: &str| {
        format!(
            r#"{{"type":"record","name":"User","namespace":"com.acme.v{n}","fields":[{{"name":"id","type":"long"}}{extra}]}}"#
        )
    };
    let (base, head) = (mem(&[("u.avsc", &v(1, ""))]), mem(&[("u.avsc", &v(2, r#",{"name":"x","type":"int"}"#))]));
    let c = run(&base, &head, &Config::default(), None).pop().unwrap().unwrap();
    assert_eq!(c.bump, Some(Bump::Major));
    assert_eq!(c.head.as_ref().unwrap().version.as_deref(), Some("v2"));
    assert_eq!(rules_of(&c), ["avro.reader-field-missing-default"], "still reported, the policy allows it");
    let (base, head) = (mem(&[("u.avsc", &v(1, ""))]), mem(&[("u.avsc", &v(1, r#",{"name":"x","type":"int"}"#))]));
    assert_eq!(run(&base, &head, &Config::default(), None).pop().unwrap().unwrap().bump, None);
}

#[test]
fn transitive_levels_check_every_earlier_version() {
    let with_x =
        |ty: &str| format!(r#"{{"type":"record","name":"R","fields":[{{"name":"x","type":"{ty}","default":"0"}}]}}"#);
    let oldest = r#"{"type":"record","name":"R","fields":[{"name":"x","type":"long","default":0}]}"#;
    let mut base = mem(&[("r.avsc", r#"{"type":"record","name":"R","fields":[]}"#)]);
    base.history.insert(
        "r.avsc".into(),
        vec![Version { commit: "a".repeat(40), content_id: "old".into(), bytes: oldest.as_bytes().to_vec() }],
    );
    let head = mem(&[("r.avsc", &with_x("string"))]);
    let plain = run(&base, &head, &Config::default(), Some(Compat::Backward)).pop().unwrap().unwrap();
    assert_eq!(rules_of(&plain), ["avro.field-added"]);
    let transitive = run(&base, &head, &Config::default(), Some(Compat::BackwardTransitive)).pop().unwrap().unwrap();
    let mismatch =
        transitive.changes.iter().find(|c| c.rule == "avro.type-mismatch").expect("against the oldest version");
    assert!(mismatch.message.contains("against the version of r.avsc in aaaaaaaaaa"), "{}", mismatch.message);
    assert!(mismatch.base.is_none(), "the earlier version is not in base");
}

#[test]
fn bad_input_is_an_error_with_a_place_and_the_others_still_compare() {
    let good = r#"{"type":"record","name":"Ok","fields":[]}"#;
    let cases = [
        ("{\"type\": ", "invalid JSON"),
        (r#"{"type":"record","name":"A","fields":[{"name":"x","type":"Missing"}]}"#, "unknown type `Missing`"),
        (
            r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"},{"name":"x","type":"int"}]}"#,
            "appears twice",
        ),
        (
            r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int","default":"no"}]}"#,
            "does not match its type",
        ),
        (r#"["int","int"]"#, "appears twice in this union"),
        (
            r#"{"type":"record","name":"A","fields":[{"name":"x","type":{"type":"enum","name":"A","symbols":["Q"]}}]}"#,
            "defined twice",
        ),
        (r#"{"type":"fixed","name":"F","size":-1}"#, "non-negative integer"),
        (r#"{"type":"enum","name":"E","symbols":["A"],"default":"B"}"#, "not one of its symbols"),
        (r#"[["int"]]"#, "may not directly contain another union"),
        (r#"{"name":"A"}"#, "has no `type`"),
    ];
    for (text, expected) in cases {
        let files = [("a.avsc", text), ("ok.avsc", good)];
        let out = run(&mem(&files), &mem(&files), &Config::default(), None);
        let errors: Vec<String> = out.iter().filter_map(|r| r.as_ref().err()).map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 1, "{text}: {errors:?}");
        assert!(errors[0].starts_with("a.avsc:1:") && errors[0].contains(expected), "{text}: {}", errors[0]);
        assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 1, "{text}: ok.avsc still compares");
    }
    let deep = format!("{}\"int\"{}", "[".repeat(300), "]".repeat(300));
    let out = run(&mem(&[("d.avsc", &deep)]), &mem(&[("d.avsc", &deep)]), &Config::default(), None);
    assert!(out[0].is_err(), "deep nesting is refused, not a stack overflow");
}

#[test]
fn single_file_mode_pairs_the_two_entries_and_moved_files_pair_by_name() {
    let w = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;
    let r = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}"#;
    let (mut base, mut head) = (mem(&[("writer.avsc", w)]), mem(&[("reader.avsc", r)]));
    let moved = run(&base, &head, &Config::default(), None).pop().unwrap().unwrap();
    assert_eq!(rules_of(&moved), ["avro.type-mismatch"], "a moved file keeps its root type's name");
    base.entry = Some("writer.avsc".into());
    head.entry = Some("reader.avsc".into());
    let single = run(&base, &head, &Config::default(), None);
    assert_eq!(single.len(), 1);
    assert_eq!(rules_of(single[0].as_ref().unwrap()), ["avro.type-mismatch"]);
}

#[test]
fn a_changed_branch_reports_its_cause_not_a_missing_branch() {
    let rec = |extra: &str| {
        format!(r#"["null",{{"type":"record","name":"P","fields":[{{"name":"a","type":"int"}}{extra}]}}]"#)
    };
    assert_eq!(rules(&rec(""), &rec(r#",{"name":"b","type":"int"}"#)), ["avro.reader-field-missing-default"]);
    let dec = |p: u32| format!(r#"["null",{{"type":"bytes","logicalType":"decimal","precision":{p}}}]"#);
    assert_eq!(rules(&dec(4), &dec(6)), ["avro.decimal-precision-mismatch"]);
    // No branch of that name or kind: the branch is missing.
    let renamed = r#"["null",{"type":"record","name":"Q","fields":[{"name":"a","type":"int"}]}]"#;
    assert_eq!(rules(&rec(""), renamed), ["avro.union-branch-missing"]);
}

// ---- earlier versions built against base (transitive levels) ----

/// How `load::build_earlier` took `earlier` (the content of `path` at another time) against the
/// revision `files`, and whether it gave what a whole build (that content first, the revision's
/// other files after it) gives: the same findings both ways against `head`, or the same error.
fn earlier_as_whole(files: &[(&str, &str)], path: &str, earlier: &str, head: &str) -> &'static str {
    let parse = |p: &str, t: &str| (p.to_string(), load::parse(p, t.as_bytes()).unwrap());
    let revision = model(files);
    let parsed = load::parse(path, earlier.as_bytes()).unwrap();
    let mut whole: Vec<_> = vec![(path.to_string(), parsed.clone())];
    whole.extend(files.iter().filter(|(p, _)| *p != path).map(|(p, t)| parse(p, t)));
    let mut whole = load::build(&whole);
    let head = load::build(&[parse("head.avsc", head)]);
    assert!(head.errors.is_empty(), "{:?}", head.errors);
    let h_root = head.roots["head.avsc"];
    let findings = |m: &super::model::Model, root| {
        let backward = check::check(&head.model, h_root, m, root, "T", true);
        let forward = check::check(m, root, &head.model, h_root, "T", false);
        format!("{backward:?}\n{forward:?}")
    };
    match load::build_earlier(&revision, path, &parsed) {
        load::Earlier::Built(m, root) => {
            let expected = whole.roots.get(path).map(|r| findings(&whole.model, *r));
            assert_eq!(Some(findings(&m, root)), expected, "{earlier}");
            "built"
        }
        load::Earlier::Refused(error) => {
            assert!(!whole.roots.contains_key(path), "{earlier}: refused alone, loads whole");
            assert_eq!(Some(error.to_string()), whole.errors.remove(path).map(|e| e.to_string()), "{earlier}");
            "refused"
        }
        load::Earlier::Entangled => "entangled",
    }
}

#[test]
fn an_earlier_version_built_against_base_is_what_a_whole_build_gives() {
    let enum_e = r#"{"type":"enum","name":"E","namespace":"n","symbols":["A","B"]}"#;
    let rec = |fields: &str| format!(r#"{{"type":"record","name":"R","namespace":"n","fields":[{fields}]}}"#);
    // o.avsc uses R's inner type `n.X`: its reference resolves again to the earlier content's.
    let with_x = |ty: &str| {
        rec(&format!(
            r#"{{"name":"x","type":{{"type":"record","name":"X","fields":[{{"name":"v","type":"{ty}"}}]}}}},{{"name":"o","type":["null","n.O"]}},{{"name":"e","type":"n.E"}}"#
        ))
    };
    let other = r#"{"type":"record","name":"O","namespace":"n","fields":[{"name":"back","type":["null","X"]},{"name":"e","type":"E"}]}"#;
    let base = [("e.avsc", enum_e), ("o.avsc", other), ("r.avsc", &with_x("long"))];
    let head_r = r#"{"type":"record","name":"R","namespace":"n","fields":[{"name":"x","type":{"type":"record","name":"X","fields":[{"name":"v","type":"int"}]}},{"name":"o","type":["null",{"type":"record","name":"O","fields":[{"name":"back","type":["null","X"]},{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}]},{"name":"e","type":"n.E"}]}"#;
    let cases: Vec<(String, &str)> = vec![
        // Uses other files' types, and one of them uses this file's (through the earlier content).
        (with_x("string"), "built"),
        (with_x("long"), "built"),
        // Without `n.X`, o.avsc's reference to it is unknown: o.avsc stays half resolved.
        (rec(r#"{"name":"o","type":"n.O"}"#), "built"),
        // A name only base's content of the file defined is gone.
        (rec(r#"{"name":"x","type":"n.X"}"#), "refused"),
        (rec(r#"{"name":"e","type":"n.E","default":"C"}"#), "refused"),
        (rec(r#"{"name":"a","type":"int"},{"name":"a","type":"int"}"#), "refused"),
        (r#"{"type":"record","name":"R"}"#.to_string(), "refused"),
        // A name another file defines, copied (the same type) or not: only a whole build says.
        (rec(&format!(r#"{{"name":"e","type":{enum_e}}}"#)), "entangled"),
        (rec(r#"{"name":"e","type":{"type":"enum","name":"E","symbols":["Z"]}}"#), "entangled"),
    ];
    for (earlier, expected) in &cases {
        assert_eq!(earlier_as_whole(&base, "r.avsc", earlier, head_r), *expected, "{earlier}");
    }
    // The file's current content shares a name with another file: entangled whatever the content.
    let shared = [("e.avsc", enum_e), ("r.avsc", &rec(&format!(r#"{{"name":"e","type":{enum_e}}}"#)))];
    assert_eq!(earlier_as_whole(&shared, "r.avsc", &rec(""), head_r), "entangled");
    // A reference written `E` in namespace `m` means `m.E` once the earlier content defines it.
    let user = r#"{"type":"record","name":"U","namespace":"m","fields":[{"name":"e","type":"E"}]}"#;
    let plain_e = r#"{"type":"enum","name":"E","symbols":["A","B"]}"#;
    let uses_u = |extra: &str| {
        format!(r#"{{"type":"record","name":"R","namespace":"m","fields":[{{"name":"u","type":"m.U"}}{extra}]}}"#)
    };
    let base = [("e.avsc", plain_e), ("r.avsc", &uses_u("")), ("u.avsc", user)];
    let head_u = r#"{"type":"record","name":"R","namespace":"m","fields":[{"name":"u","type":{"type":"record","name":"U","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["A"]}}]}}]}"#;
    let earlier = uses_u(r#",{"name":"mine","type":{"type":"enum","name":"E","symbols":["Q"]}}"#);
    assert_eq!(earlier_as_whole(&base, "r.avsc", &earlier, head_u), "built");
    assert_eq!(earlier_as_whole(&base, "r.avsc", &uses_u(""), head_u), "built");
}

#[test]
fn without_history_a_transitive_level_says_it_compares_with_old_only() {
    let none = BTreeMap::new();
    let note = super::without_history(&[Compat::BackwardTransitive, Compat::BackwardTransitive], &none).unwrap();
    assert!(
        note.contains("`backward_transitive` compares each Avro contract with OLD only, as `backward` does"),
        "{note}"
    );
    let note = super::without_history(&[Compat::FullTransitive, Compat::BackwardTransitive], &none).unwrap();
    assert!(note.contains("`backward_transitive` and `full_transitive` compare"), "{note}");
    assert_eq!(super::without_history(&[], &none), None, "no transitive level in force");
    let history = BTreeMap::from([("r.avsc".to_string(), Vec::new())]);
    assert_eq!(super::without_history(&[Compat::FullTransitive], &history), None, "git: every path is a key");
}

// ---- scopes: folders, groups, moves ----

const MONEY: &str =
    r#"{"type":"record","name":"Money","namespace":"com.acme","fields":[{"name":"amount","type":"long"}]}"#;
const ORDER: &str =
    r#"{"type":"record","name":"Order","namespace":"com.acme","fields":[{"name":"total","type":"Money"}]}"#;

fn errors(out: &[Result<Compared>]) -> Vec<String> {
    out.iter().filter_map(|r| r.as_ref().err()).map(|e| format!("{e} | {}", hint(e))).collect()
}

fn hint(error: &crate::error::Error) -> String {
    match error {
        crate::error::Error::Input { hint, .. } => hint.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

#[test]
fn a_name_defined_differently_matters_only_where_files_meet() {
    let other = MONEY.replace(r#""type":"long""#, r#""type":"string""#);
    // Two unrelated files of one folder reuse a name: each is its own schema.
    let files = [("pay/a.avsc", MONEY), ("pay/b.avsc", other.as_str())];
    assert_eq!(errors(&run(&mem(&files), &mem(&files), &Config::default(), None)), Vec::<String>::new());
    // A file that uses the name joins both definitions: the second is refused, with both places.
    let files = [("pay/a.avsc", MONEY), ("pay/b.avsc", other.as_str()), ("pay/order.avsc", ORDER)];
    let out = run(&mem(&files), &mem(&files), &Config::default(), None);
    let found = errors(&out);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("pay/b.avsc:1:25: `com.acme.Money` is already defined differently at pay/a.avsc:1:25"),
        "{}",
        found[0]
    );
    assert!(found[0].contains("the folder `pay`") && found[0].contains("separate folders"), "{}", found[0]);
    assert_eq!(out.iter().filter(|r| r.is_ok()).count(), 2, "a.avsc and order.avsc still compare");
}

#[test]
fn folders_are_scopes_and_a_change_is_reported_in_its_folder_only() {
    let wider = MONEY.replace(r#""type":"long""#, r#""type":"int""#);
    let other = MONEY.replace(r#""type":"long""#, r#""type":"string""#);
    let base =
        mem(&[("v1/money.avsc", MONEY), ("v1/order.avsc", ORDER), ("v2/money.avsc", &other), ("v2/order.avsc", ORDER)]);
    let head =
        mem(&[("v1/money.avsc", MONEY), ("v1/order.avsc", ORDER), ("v2/money.avsc", &wider), ("v2/order.avsc", ORDER)]);
    let out: Vec<Compared> = run(&base, &head, &Config::default(), None).into_iter().map(Result::unwrap).collect();
    let changed: Vec<(&str, Vec<&str>)> = out
        .iter()
        .filter(|c| !c.changes.is_empty())
        .map(|c| (c.head.as_ref().unwrap().path.as_str(), rules_of(c)))
        .collect();
    // v2's Money went from string to int: reported once, in v2's file; v1 (long) is untouched.
    assert_eq!(changed, [("v2/money.avsc", vec!["avro.type-mismatch"])]);
    assert_eq!(out[2].changes[0].head.as_ref().unwrap().file, "v2/money.avsc");
}

#[test]
fn a_name_of_another_folder_is_unknown_and_a_contracts_entry_joins_the_folders() {
    let files = [("common/money.avsc", MONEY), ("orders/order.avsc", ORDER)];
    let found = errors(&run(&mem(&files), &mem(&files), &Config::default(), None));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("orders/order.avsc:1:89: unknown type `com.acme.Money` in this file's scope (the folder `orders`): it is defined in common/money.avsc, outside it"), "{}", found[0]);
    let spec = ContractSpec { path: "{orders,common}/*.avsc".into(), kind: None, root: None, avro_compat: None };
    let config = Config { contracts: vec![spec], ..Config::default() };
    assert_eq!(errors(&run(&mem(&files), &mem(&files), &config, None)), Vec::<String>::new());
}

#[test]
fn files_moved_to_another_folder_pair_by_root_name_unless_ambiguous() {
    let wider = MONEY.replace(r#""type":"long""#, r#""type":"int""#);
    // A renamed folder: its files pair with their moved copies, and changes still show.
    let base = mem(&[("v1/money.avsc", MONEY), ("v2/money.avsc", MONEY)]);
    let head = mem(&[("old/money.avsc", &wider), ("v2/money.avsc", MONEY)]);
    let out: Vec<Compared> = run(&base, &head, &Config::default(), None).into_iter().map(Result::unwrap).collect();
    let sides: Vec<(Option<&str>, Option<&str>)> = out
        .iter()
        .map(|c| (c.base.as_ref().map(|s| s.path.as_str()), c.head.as_ref().map(|s| s.path.as_str())))
        .collect();
    assert_eq!(
        sides,
        [(Some("v1/money.avsc"), Some("old/money.avsc")), (Some("v2/money.avsc"), Some("v2/money.avsc"))]
    );
    assert_eq!(rules_of(&out[0]), ["avro.type-mismatch"]);
    // Two folders renamed at once, both with a `Money`: the identical content pairs first, then
    // the one left on each side.
    let other = MONEY.replace(r#""type":"long""#, r#""type":"string""#);
    let paths = |out: &[Result<Compared>]| -> Vec<(Option<String>, Option<String>)> {
        let side = |s: &Option<crate::report::ContractSide>| s.as_ref().map(|s| s.path.clone());
        out.iter().map(|c| c.as_ref().unwrap()).map(|c| (side(&c.base), side(&c.head))).collect()
    };
    let some = |p: &str| Some(p.to_string());
    let base = mem(&[("a/money.avsc", MONEY), ("b/money.avsc", &other)]);
    let head = mem(&[("c/money.avsc", &wider), ("d/money.avsc", &other)]);
    let out = run(&base, &head, &Config::default(), None);
    assert_eq!(
        paths(&out),
        [(some("a/money.avsc"), some("c/money.avsc")), (some("b/money.avsc"), some("d/money.avsc"))]
    );
    assert_eq!(rules_of(out[0].as_ref().unwrap()), ["avro.type-mismatch"]);
    // All different: no guess, removed and added.
    let third = MONEY.replace(r#""type":"long""#, r#""type":"double""#);
    let head = mem(&[("c/money.avsc", &wider), ("d/money.avsc", &third)]);
    let out = run(&base, &head, &Config::default(), None);
    let none: Option<String> = None;
    assert_eq!(
        paths(&out),
        [
            (none.clone(), some("c/money.avsc")),
            (none.clone(), some("d/money.avsc")),
            (some("a/money.avsc"), none.clone()),
            (some("b/money.avsc"), none)
        ]
    );
}

#[test]
fn an_earlier_version_may_use_names_of_its_scope_the_current_one_does_not() {
    let e = r#"{"type":"enum","name":"E","symbols":["A","B"]}"#;
    let oldest = r#"{"type":"record","name":"R","fields":[{"name":"x","type":"E"}]}"#;
    // Two unrelated files define `X` differently, so the scope is split into groups; base's
    // r.avsc uses nothing: it is a group of its own, apart from e.avsc.
    let (x1, x2) = (r#"{"type":"fixed","name":"X","size":1}"#, r#"{"type":"fixed","name":"X","size":2}"#);
    let r_now = r#"{"type":"record","name":"R","fields":[]}"#;
    let mut base = mem(&[("s/e.avsc", e), ("s/r.avsc", r_now), ("s/x1.avsc", x1), ("s/x2.avsc", x2)]);
    base.history.insert(
        "s/r.avsc".into(),
        vec![Version { commit: "b".repeat(40), content_id: "old".into(), bytes: oldest.as_bytes().to_vec() }],
    );
    let r_next = r#"{"type":"record","name":"R","fields":[{"name":"x","type":"string","default":""}]}"#;
    let head = mem(&[("s/e.avsc", e), ("s/r.avsc", r_next), ("s/x1.avsc", x1), ("s/x2.avsc", x2)]);
    let out = run(&base, &head, &Config::default(), Some(Compat::BackwardTransitive));
    let r = out.iter().map(|c| c.as_ref().unwrap()).find(|c| c.head.as_ref().unwrap().path == "s/r.avsc").unwrap();
    let mismatch = r.changes.iter().find(|c| c.rule == "avro.type-mismatch").expect("against the oldest version");
    assert!(mismatch.message.contains("against the version of s/r.avsc in bbbbbbbbbb"), "{}", mismatch.message);
}
