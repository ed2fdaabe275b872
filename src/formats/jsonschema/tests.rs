//! Unit tests: schema pairs under `schema:` in a small document, through a real `Workspace`.
//! Rule fixtures (tests/cases/openapi/openapi.{request,response}.*) cover every aspect end to end;
//! these cover what fixtures cannot show: paths, locations, cycles, determinism.

use super::{diff, Direction, Side};
use crate::change::Change;
use crate::doc::{RefPolicy, Workspace};
use crate::error::Result;
use crate::source::Tree;

struct OneFile(String);

impl Tree for OneFile {
    fn label(&self) -> String {
        "test".into()
    }
    fn list(&self) -> Result<Vec<String>> {
        Ok(vec!["t.yaml".into()])
    }
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        Ok((path == "t.yaml").then(|| self.0.as_bytes().to_vec()))
    }
}

fn workspace(text: &str) -> Workspace {
    Workspace::load(&OneFile(text.to_string()), "t.yaml", RefPolicy::default()).expect("test document loads")
}

/// Findings for `schema` in base and head, read in `dir`.
fn run(base: &str, head: &str, dir: Direction) -> Vec<Change> {
    let (bw, hw) = (workspace(base), workspace(head));
    let (bd, hd) = (bw.root(), hw.root());
    let (bn, hn) = (bd.root.get("schema").expect("base schema"), hd.root.get("schema").expect("head schema"));
    let mut out = super::Findings::default();
    diff(Side { ws: &bw, doc: bd, node: bn }, Side { ws: &hw, doc: hd, node: hn }, dir, "openapi", "L", &mut out);
    out.changes
}

fn rules(changes: &[Change]) -> Vec<String> {
    changes.iter().map(|c| format!("{} {}", c.rule, c.locus)).collect()
}

#[test]
fn identical_schemas_yield_nothing() {
    let doc = "schema:\n  type: object\n  required: [a]\n  properties:\n    a: {type: string, maxLength: 3}\n    b: {$ref: '#/defs/B'}\ndefs:\n  B: {type: array, items: {type: integer}}\n";
    assert!(run(doc, doc, Direction::Request).is_empty());
    assert!(run(doc, doc, Direction::Response).is_empty());
}

#[test]
fn direction_decides_the_rule_and_paths_name_the_element() {
    let base = "schema:\n  type: object\n  properties:\n    tags:\n      type: array\n      items: {type: string, maxLength: 10}\n";
    let head = "schema:\n  type: object\n  properties:\n    tags:\n      type: array\n      items: {type: string, maxLength: 5}\n";
    assert_eq!(rules(&run(base, head, Direction::Request)), ["openapi.request.max-length-decreased L $.tags[]"]);
    let out = run(base, head, Direction::Response);
    assert_eq!(rules(&out), ["openapi.response.max-length-decreased L $.tags[]"]);
    assert_eq!(out[0].message, "maxLength decreased from 10 to 5");
    // Both sides point at the keyword: line 6 in both documents.
    assert_eq!((out[0].base.as_ref().unwrap().line, out[0].head.as_ref().unwrap().line), (6, 6));
}

#[test]
fn nullability_in_all_three_spellings_is_not_a_type_change() {
    let plain = "schema: {type: string}\n";
    for head in [
        "schema: {type: string, nullable: true}\n",
        "schema: {type: [string, 'null']}\n",
        "schema:\n  anyOf:\n    - {type: string}\n    - {type: 'null'}\n",
    ] {
        assert_eq!(rules(&run(plain, head, Direction::Response)), ["openapi.response.became-nullable L $"], "{head}");
        assert_eq!(rules(&run(head, plain, Direction::Request)), ["openapi.request.became-not-nullable L $"], "{head}");
    }
}

#[test]
fn recursive_schemas_terminate_and_report_once_per_path() {
    let base = "schema: {$ref: '#/defs/Node'}\ndefs:\n  Node:\n    type: object\n    properties:\n      name: {type: string}\n      children: {type: array, items: {$ref: '#/defs/Node'}}\n";
    let head = base.replace("name: {type: string}", "name: {type: integer}");
    let out = run(base, &head, Direction::Request);
    assert_eq!(rules(&out), ["openapi.request.type-changed L $.name"]);
}

#[test]
fn read_only_properties_are_not_required_in_requests() {
    let base = "schema:\n  type: object\n  properties:\n    a: {type: string}\n";
    let head = "schema:\n  type: object\n  required: [id]\n  properties:\n    a: {type: string}\n    id: {type: string, readOnly: true}\n";
    assert_eq!(rules(&run(base, head, Direction::Request)), ["openapi.request.property-added L $.id"]);
    assert_eq!(rules(&run(base, head, Direction::Response)), ["openapi.response.required-property-added L $.id"]);
}

#[test]
fn removed_property_carries_deprecation_facts() {
    let base = "schema:\n  type: object\n  properties:\n    a: {type: string, deprecated: true, x-sunset: '2024-01-01'}\n    b: {type: string}\n";
    let head = "schema:\n  type: object\n  properties:\n    b: {type: string}\n";
    let out = run(base, head, Direction::Response);
    assert_eq!(rules(&out), ["openapi.response.property-removed L $.a"]);
    let removal = out[0].removal.as_ref().expect("removal facts");
    assert!(removal.deprecated_in_base);
    assert_eq!(removal.sunset.as_deref(), Some("2024-01-01"));
    assert!(out[0].head.is_some() && out[0].base.as_ref().unwrap().line == 4);
}

#[test]
fn exclusive_maximum_flag_of_openapi_30() {
    let base = "schema: {type: number, maximum: 10}\n";
    let head = "schema: {type: number, maximum: 10, exclusiveMaximum: true}\n";
    assert_eq!(rules(&run(base, head, Direction::Request)), ["openapi.request.exclusive-max-decreased L $"]);
}

#[test]
fn alternatives_match_by_ref_then_title_and_report_added_branches() {
    let base = "schema:\n  anyOf:\n    - {$ref: '#/defs/Dog'}\n    - {title: Rabbit, type: string}\ndefs:\n  Dog: {type: object, properties: {name: {type: string}}}\n  Cat: {type: object}\n";
    let head = "schema:\n  anyOf:\n    - {title: Rabbit, type: number}\n    - {$ref: '#/defs/Cat'}\n    - {$ref: '#/defs/Dog'}\ndefs:\n  Dog: {type: object, properties: {name: {type: integer}}}\n  Cat: {type: object}\n";
    let got = rules(&run(base, head, Direction::Response));
    assert_eq!(
        got,
        [
            // matched pairs in base order, then added branches
            "openapi.response.type-changed L $.anyOf[2].name",
            "openapi.response.type-changed L $.anyOf[0]",
            "openapi.response.any-of-added L $.anyOf[1]",
        ]
    );
}

#[test]
fn single_branch_wrappers_stand_for_their_branch() {
    let base = "schema: {$ref: '#/defs/A'}\ndefs:\n  A: {type: string, maxLength: 5}\n";
    let head = "schema:\n  description: now documented\n  allOf: [{$ref: '#/defs/A'}]\ndefs:\n  A: {type: string, maxLength: 5}\n";
    assert!(run(base, head, Direction::Request).is_empty());
}

#[test]
fn oneof_wrapping_with_overlapping_branches_is_breaking_for_requests() {
    let base = "schema:\n  type: object\n  required: [a, b]\n  properties: {a: {type: string}, b: {type: string}}\n";
    let head = "schema:\n  oneOf:\n    - {type: object, required: [a], properties: {a: {type: string}, b: {type: string}}}\n    - {type: object, required: [b], properties: {a: {type: string}, b: {type: string}}}\n";
    let got = rules(&run(base, head, Direction::Request));
    assert!(got.contains(&"openapi.request.one-of-ambiguous L $".to_string()), "{got:?}");
}

#[test]
fn not_subschemas_are_read_the_other_way_round() {
    let base = "schema: {type: string, not: {type: string, maxLength: 10}}\n";
    let head = "schema: {type: string, not: {type: string, maxLength: 5}}\n";
    // Excluding fewer strings widens what the request accepts.
    assert_eq!(rules(&run(base, head, Direction::Request)), ["openapi.response.max-length-decreased L $.not"]);
}

#[test]
fn boolean_and_odd_schemas_never_panic() {
    for (b, h) in [
        ("schema: true\n", "schema: false\n"),
        ("schema: false\n", "schema: {type: string}\n"),
        ("schema: 42\n", "schema: [1, 2]\n"),
        (
            "schema: {type: 7, enum: 3, required: x, properties: [], items: 1, multipleOf: 0}\n",
            "schema: {type: [1], multipleOf: -1, allOf: 5}\n",
        ),
    ] {
        let _ = run(b, h, Direction::Request);
        let _ = run(h, b, Direction::Response);
    }
}

#[test]
fn every_emitted_rule_is_in_the_catalogue() {
    let catalogue = crate::rules::Catalogue::get();
    let base = "schema:\n  type: object\n  required: [a]\n  properties:\n    a: {type: string, enum: [x, y], pattern: '^x', format: date, default: x}\n    n: {type: integer, minimum: 1, multipleOf: 2}\n";
    let head = "schema:\n  type: object\n  properties:\n    a: {type: integer, enum: [x], format: time, default: y}\n    n: {type: number, minimum: 2, multipleOf: 3}\n    z: {type: string}\n";
    for dir in [Direction::Request, Direction::Response] {
        for c in run(base, head, dir) {
            assert!(catalogue.rule(&c.rule).is_some(), "{} is not in rules/jsonschema.toml", c.rule);
        }
    }
}

/// The deep-equality cache is shared by every use site of a contract: it must skip unchanged
/// shared schemas without hiding a change that sits deep inside a recursive one.
#[test]
fn shared_memo_skips_only_what_did_not_change() {
    let doc = |max: u32, tag: &str| {
        format!(
            "a: {{$ref: '#/defs/Node'}}\nb: {{$ref: '#/defs/Node'}}\nc: {{$ref: '#/defs/Leaf'}}\ndefs:\n  Node:\n    type: object\n    properties:\n      child: {{$ref: '#/defs/Node'}}\n      leaf: {{$ref: '#/defs/Leaf'}}\n  Leaf:\n    type: object\n    properties:\n      name: {{type: string, maxLength: {max}}}\n      tag: {{type: string, description: {tag}}}\n"
        )
    };
    let sites = |base: &str, head: &str| {
        let (bw, hw) = (workspace(base), workspace(head));
        let mut out = super::Findings::default();
        for (key, site) in [("a", "first"), ("b", "second"), ("c", "third")] {
            let (b, h) = (
                Side { ws: &bw, doc: bw.root(), node: bw.root().root.get(key).unwrap() },
                Side { ws: &hw, doc: hw.root(), node: hw.root().root.get(key).unwrap() },
            );
            diff(b, h, Direction::Request, "openapi", site, &mut out);
        }
        rules(&out.changes)
    };
    // A change in Leaf, reached through the recursive Node: found once at each use site.
    assert_eq!(
        sites(&doc(10, "x"), &doc(5, "x")),
        [
            "openapi.request.max-length-decreased first $.leaf.name",
            "openapi.request.max-length-decreased second $.leaf.name",
            "openapi.request.max-length-decreased third $.name",
        ]
    );
    // A documentation-only edit is no change; identical documents are no change.
    assert!(sites(&doc(10, "x"), &doc(10, "y")).is_empty());
    assert!(sites(&doc(10, "x"), &doc(10, "x")).is_empty());
}
