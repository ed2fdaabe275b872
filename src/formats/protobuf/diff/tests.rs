//! Unit tests over hand-built modules: one group per rule family. Every element gets its own
//! source line (in declaration order), so the tests can check where findings point.

use super::diff;
use super::is_unstable_package;
use crate::change::Change;
use crate::formats::protobuf::bufconfig::RuleSet;
use crate::formats::protobuf::model::*;
use crate::formats::protobuf::Level;
use std::collections::{BTreeMap, HashMap};

fn features() -> FieldFeatures {
    FieldFeatures {
        presence: Presence::Implicit,
        utf8_validation: Utf8Validation::Verify,
        packed: true,
        delimited: false,
        enum_type: None,
        java_utf8_verify: false,
        cpp_string_type: CppStringType::String,
        json_format: JsonFormat::Allow,
    }
}

fn field(name: &str, number: i32, ty: Type) -> Field {
    Field {
        name: name.into(),
        number,
        label: Label::Optional,
        ty,
        type_name: None,
        json_name: name.into(),
        json_name_explicit: false,
        default: None,
        oneof_index: None,
        proto3_optional: false,
        extendee: None,
        jstype: JsType::Normal,
        deprecated: false,
        features: features(),
        path: vec![],
    }
}

fn message(full_name: &str, fields: Vec<Field>) -> Message {
    Message {
        name: full_name.rsplit('.').next().unwrap().into(),
        full_name: full_name.into(),
        fields,
        oneofs: vec![],
        messages: vec![],
        enums: vec![],
        extensions: vec![],
        reserved_ranges: vec![],
        reserved_names: vec![],
        extension_ranges: vec![],
        message_set_wire_format: false,
        no_standard_descriptor_accessor: false,
        map_entry: false,
        deprecated: false,
        json_format: JsonFormat::Allow,
        path: vec![],
    }
}

fn enumeration(full_name: &str, values: &[(&str, i32)]) -> Enum {
    Enum {
        name: full_name.rsplit('.').next().unwrap().into(),
        full_name: full_name.into(),
        values: values
            .iter()
            .map(|(n, v)| EnumValue { name: n.to_string(), number: *v, deprecated: false, path: vec![] })
            .collect(),
        reserved_ranges: vec![],
        reserved_names: vec![],
        allow_alias: false,
        enum_type: EnumType::Open,
        json_format: JsonFormat::Allow,
        deprecated: false,
        path: vec![],
    }
}

fn method(name: &str, input: &str, output: &str) -> Method {
    Method {
        name: name.into(),
        input_type: input.into(),
        output_type: output.into(),
        client_streaming: false,
        server_streaming: false,
        idempotency_level: IdempotencyLevel::Unknown,
        deprecated: false,
        path: vec![],
    }
}

/// Paths and one source line per element, in declaration order.
struct Numbering {
    line: u32,
    locations: HashMap<Vec<i32>, Span>,
}

impl Numbering {
    fn place(&mut self, path: Vec<i32>) -> Vec<i32> {
        self.line += 1;
        let span = Span { line: self.line, column: 1, start: 0, end: 0 };
        self.locations.insert(path.clone(), span);
        path
    }

    fn message(&mut self, m: &mut Message, path: Vec<i32>) {
        m.path = self.place(path);
        for (i, f) in m.fields.iter_mut().enumerate() {
            f.path = self.place([m.path.as_slice(), &[2, i as i32]].concat());
        }
        for (i, e) in m.enums.iter_mut().enumerate() {
            self.enumeration(e, [m.path.as_slice(), &[4, i as i32]].concat());
        }
        let base = m.path.clone();
        for (i, n) in m.messages.iter_mut().enumerate() {
            self.message(n, [base.as_slice(), &[3, i as i32]].concat());
        }
    }

    fn enumeration(&mut self, e: &mut Enum, path: Vec<i32>) {
        e.path = self.place(path);
        for (i, v) in e.values.iter_mut().enumerate() {
            v.path = self.place([e.path.as_slice(), &[2, i as i32]].concat());
        }
    }
}

fn file(
    name: &str,
    package: &str,
    mut messages: Vec<Message>,
    mut enums: Vec<Enum>,
    mut services: Vec<Service>,
) -> File {
    let mut n = Numbering { line: 0, locations: HashMap::new() };
    n.place(vec![]);
    n.place(vec![2]);
    for (i, m) in messages.iter_mut().enumerate() {
        n.message(m, vec![4, i as i32]);
    }
    for (i, e) in enums.iter_mut().enumerate() {
        n.enumeration(e, vec![5, i as i32]);
    }
    for (i, s) in services.iter_mut().enumerate() {
        s.path = n.place(vec![6, i as i32]);
        for (j, m) in s.methods.iter_mut().enumerate() {
            m.path = n.place(vec![6, i as i32, 2, j as i32]);
        }
    }
    File {
        name: name.into(),
        repo_path: name.into(),
        package: package.into(),
        syntax: Syntax::Proto3,
        options: FileOptions::default(),
        messages,
        enums,
        services,
        extensions: vec![],
        locations: n.locations,
        unchanged: false,
    }
}

fn module(files: Vec<File>) -> Module {
    Module { root: String::new(), files: files.into_iter().map(|f| (f.name.clone(), f)).collect::<BTreeMap<_, _>>() }
}

fn run(base: Vec<File>, head: Vec<File>, rules: &RuleSet) -> Vec<Change> {
    diff(&module(base), &module(head), rules)
}

fn file_level() -> RuleSet {
    RuleSet::for_level(Level::File)
}

fn all_rules() -> RuleSet {
    let names = crate::rules::Catalogue::get()
        .iter()
        .filter(|r| r.kind == "protobuf")
        .flat_map(|r| r.equivalents.iter().filter_map(|e| e.strip_prefix("buf:")))
        .map(|id| format!("    - {id}\n"))
        .collect::<String>();
    RuleSet::from_buf_yaml(&format!("version: v2\nbreaking:\n  use:\n{names}"), "buf.yaml", None).unwrap()
}

fn rules_of(changes: &[Change]) -> Vec<&str> {
    changes.iter().map(|c| c.rule.as_str()).collect()
}

fn one(changes: &[Change], rule: &str) -> Change {
    let found: Vec<&Change> = changes.iter().filter(|c| c.rule == rule).collect();
    assert_eq!(found.len(), 1, "exactly one {rule} in {:?}", rules_of(changes));
    found[0].clone()
}

fn simple(fields: Vec<Field>) -> Vec<File> {
    vec![file("a.proto", "a.v1", vec![message("a.v1.One", fields)], vec![], vec![])]
}

#[test]
fn a_module_against_itself_has_no_changes() {
    let make = || {
        let mut m = message("a.v1.One", vec![field("x", 1, Type::Int32), field("s", 2, Type::String)]);
        m.messages.push(message("a.v1.One.Inner", vec![field("y", 1, Type::Bool)]));
        let svc = Service {
            name: "Svc".into(),
            full_name: "a.v1.Svc".into(),
            methods: vec![method("Get", "a.v1.One", "a.v1.One")],
            deprecated: false,
            path: vec![],
        };
        vec![file("a.proto", "a.v1", vec![m], vec![enumeration("a.v1.E", &[("E_UNSPECIFIED", 0)])], vec![svc])]
    };
    assert!(run(make(), make(), &all_rules()).is_empty());
}

#[test]
fn field_deletion_variants_respect_reservations() {
    let base = simple(vec![field("x", 1, Type::Int32), field("y", 2, Type::Int32)]);
    let mut head = simple(vec![field("x", 1, Type::Int32)]);
    head[0].messages[0].reserved_ranges.push((2, 3));
    let changes = run(base, head, &all_rules());
    let deleted = one(&changes, "protobuf.field-no-delete");
    assert_eq!(deleted.locus, "a.v1.One.y");
    // buf points at the message in head, and we keep the deleted field's base place.
    assert_eq!(deleted.head.as_ref().unwrap().line, 3);
    assert_eq!(deleted.base.as_ref().unwrap().line, 5);
    assert!(rules_of(&changes).contains(&"protobuf.field-no-delete-unless-name-reserved"));
    assert!(!rules_of(&changes).contains(&"protobuf.field-no-delete-unless-number-reserved"));
}

#[test]
fn type_changes_follow_bufs_compatibility_groups() {
    let changes = run(simple(vec![field("x", 1, Type::Int32)]), simple(vec![field("x", 1, Type::Int64)]), &all_rules());
    let rules = rules_of(&changes);
    assert!(rules.contains(&"protobuf.field-same-type"));
    assert!(!rules.contains(&"protobuf.field-wire-compatible-type"), "int32 → int64 is wire compatible");
    assert!(rules.contains(&"protobuf.field-wire-json-compatible-type"), "but not JSON compatible");

    let changes =
        run(simple(vec![field("x", 1, Type::String)]), simple(vec![field("x", 1, Type::Bytes)]), &all_rules());
    assert!(!rules_of(&changes).contains(&"protobuf.field-wire-compatible-type"), "string → bytes is safe");
    let changes =
        run(simple(vec![field("x", 1, Type::Bytes)]), simple(vec![field("x", 1, Type::String)]), &all_rules());
    assert!(one(&changes, "protobuf.field-wire-compatible-type").message.contains("UTF-8"));

    let mut delimited = field("m", 1, Type::Message);
    delimited.features.delimited = true;
    delimited.type_name = Some("a.v1.One".into());
    let mut plain = delimited.clone();
    plain.features.delimited = false;
    let changes = run(simple(vec![plain]), simple(vec![delimited]), &all_rules());
    assert!(rules_of(&changes).contains(&"protobuf.field-same-type"), "delimited encoding is a type change");
}

#[test]
fn message_type_name_changes() {
    let typed = |name: &str| {
        let mut f = field("m", 1, Type::Message);
        f.type_name = Some(name.into());
        f
    };
    let changes = run(simple(vec![typed("a.v1.A")]), simple(vec![typed("a.v1.B")]), &all_rules());
    let same_type = one(&changes, "protobuf.field-same-type");
    assert!(same_type.message.contains("\"a.v1.A\" to \"a.v1.B\""), "{}", same_type.message);
    assert!(rules_of(&changes).contains(&"protobuf.field-wire-compatible-type"));
}

#[test]
fn cardinality_and_presence() {
    let mut optional = field("x", 1, Type::Int32);
    optional.proto3_optional = true;
    let mut repeated = field("x", 1, Type::Int32);
    repeated.label = Label::Repeated;
    let changes = run(simple(vec![field("x", 1, Type::Int32)]), simple(vec![optional.clone()]), &all_rules());
    let card = one(&changes, "protobuf.field-same-cardinality");
    assert!(card.message.contains("implicit presence\" to \"optional with explicit presence"), "{}", card.message);
    assert!(!rules_of(&changes).contains(&"protobuf.field-wire-compatible-cardinality"));
    let changes = run(simple(vec![optional]), simple(vec![repeated]), &all_rules());
    assert!(rules_of(&changes).contains(&"protobuf.field-wire-compatible-cardinality"));
}

#[test]
fn enum_values_by_number_with_aliases() {
    let enums = |values: &[(&str, i32)]| vec![file("a.proto", "a", vec![], vec![enumeration("a.E", values)], vec![])];
    let changes = run(enums(&[("A", 0), ("B", 1)]), enums(&[("A", 0), ("C", 1)]), &all_rules());
    let renamed = one(&changes, "protobuf.enum-value-same-name");
    assert!(renamed.message.contains("from \"B\" to \"C\""));
    // Adding an alias keeps the old name: fine.
    let changes = run(enums(&[("A", 0), ("B", 1)]), enums(&[("A", 0), ("B", 1), ("BB", 1)]), &all_rules());
    assert!(!rules_of(&changes).contains(&"protobuf.enum-value-same-name"));
    // Dropping one of two aliases keeps the number (no deletion) but loses a name.
    let changes = run(enums(&[("A", 0), ("B", 1), ("BB", 1)]), enums(&[("A", 0), ("B", 1)]), &all_rules());
    assert!(!rules_of(&changes).iter().any(|r| r.starts_with("protobuf.enum-value-no-delete")));
    assert!(one(&changes, "protobuf.enum-value-same-name").message.contains("name from \"B\", \"BB\" to \"B\""));
    let changes = run(enums(&[("A", 0), ("B", 1)]), enums(&[("A", 0)]), &all_rules());
    assert_eq!(one(&changes, "protobuf.enum-value-no-delete").locus, "a.E.1");
}

#[test]
fn deleted_messages_are_reported_with_their_nested_ones_but_not_map_entries() {
    let mut outer = message("a.Outer", vec![]);
    let mut entry = message("a.Outer.MEntry", vec![field("key", 1, Type::String), field("value", 2, Type::Int32)]);
    entry.map_entry = true;
    outer.messages = vec![message("a.Outer.Inner", vec![]), entry];
    let base = vec![file("a.proto", "a", vec![outer, message("a.Kept", vec![])], vec![], vec![])];
    let head = vec![file("a.proto", "a", vec![message("a.Kept", vec![])], vec![], vec![])];
    let changes = run(base, head, &file_level());
    let deleted: Vec<&str> =
        changes.iter().filter(|c| c.rule == "protobuf.message-no-delete").map(|c| c.locus.as_str()).collect();
    assert_eq!(deleted, vec!["a.Outer", "a.Outer.Inner"]);
    // A top-level deletion points at the head file.
    assert_eq!(changes[0].head.as_ref().unwrap().line, 1);
}

#[test]
fn package_rules_look_across_files() {
    let base = vec![
        file("a.proto", "p", vec![message("p.M", vec![])], vec![], vec![]),
        file("b.proto", "p", vec![], vec![], vec![]),
    ];
    let head = vec![
        file("a.proto", "p", vec![], vec![], vec![]),
        file("b.proto", "p", vec![message("p.M", vec![])], vec![], vec![]),
    ];
    let package = run(base, head, &RuleSet::for_level(Level::Package));
    assert!(!rules_of(&package).contains(&"protobuf.package-message-no-delete"), "moved within the package");
    let base = || vec![file("a.proto", "p", vec![message("p.M", vec![])], vec![], vec![])];
    let head = vec![
        file("a.proto", "p", vec![message("p.M", vec![])], vec![], vec![]),
        file("c.proto", "q", vec![], vec![], vec![]),
    ];
    let changes = run(base(), head, &RuleSet::for_level(Level::Package));
    assert!(changes.iter().all(|c| c.rule != "protobuf.package-no-delete"));
    let changes = run(base(), vec![file("a.proto", "q", vec![], vec![], vec![])], &RuleSet::for_level(Level::Package));
    assert_eq!(one(&changes, "protobuf.package-no-delete").locus, "p");
}

#[test]
fn file_options_compare_with_their_defaults() {
    let with = |f: fn(&mut FileOptions)| {
        let mut file = file("a.proto", "a", vec![], vec![], vec![]);
        f(&mut file.options);
        vec![file]
    };
    let unset = with(|_| {});
    assert!(run(unset, with(|o| o.cc_enable_arenas = Some(true)), &file_level()).is_empty(), "true is the default");
    let changes = run(with(|_| {}), with(|o| o.cc_enable_arenas = Some(false)), &file_level());
    assert_eq!(rules_of(&changes), vec!["protobuf.file-same-cc-enable-arenas"]);
    assert!(run(with(|_| {}), with(|o| o.optimize_for = Some(1)), &file_level()).is_empty(), "SPEED is the default");
    let changes =
        run(with(|o| o.go_package = Some("x".into())), with(|o| o.go_package = Some("y".into())), &file_level());
    assert_eq!(
        one(&changes, "protobuf.file-same-go-package").message,
        "File \"a.proto\" changed option \"go_package\" from \"x\" to \"y\"."
    );
}

#[test]
fn rpc_rules() {
    let svc = |m: Method| {
        let s =
            Service { name: "S".into(), full_name: "a.S".into(), methods: vec![m], deprecated: false, path: vec![] };
        vec![file("a.proto", "a", vec![], vec![], vec![s])]
    };
    let mut streaming = method("Get", "a.Req", "a.Res");
    streaming.client_streaming = true;
    let changes = run(svc(method("Get", "a.Req", "a.Res")), svc(streaming), &file_level());
    assert_eq!(rules_of(&changes), vec!["protobuf.rpc-same-client-streaming"]);
    let changes = run(svc(method("Get", "a.Req", "a.Res")), svc(method("Get", "a.Other", "a.Res")), &file_level());
    assert_eq!(one(&changes, "protobuf.rpc-same-request-type").locus, "a.S.Get");
    let changes = run(svc(method("Get", "a.Req", "a.Res")), svc(method("Put", "a.Req", "a.Res")), &file_level());
    assert!(rules_of(&changes).contains(&"protobuf.rpc-no-delete"));
    assert!(rules_of(&changes).contains(&"protobuf.rpc-added"));
}

#[test]
fn unstable_packages_are_marked_or_dropped() {
    let files = |package: &str, fields| {
        vec![file("a.proto", package, vec![message(&format!("{package}.One"), fields)], vec![], vec![])]
    };
    let changes = run(files("a.v1beta1", vec![field("x", 1, Type::Int32)]), files("a.v1beta1", vec![]), &file_level());
    assert!(one(&changes, "protobuf.field-no-delete").unstable);
    let changes = run(files("a.v1", vec![field("x", 1, Type::Int32)]), files("a.v1", vec![]), &file_level());
    assert!(!one(&changes, "protobuf.field-no-delete").unstable);
    let ignoring =
        RuleSet::from_buf_yaml("version: v1\nbreaking:\n  ignore_unstable_packages: true\n", "b", None).unwrap();
    let changes = run(files("a.v1beta1", vec![field("x", 1, Type::Int32)]), files("a.v1beta1", vec![]), &ignoring);
    assert!(changes.is_empty());
    // Either side in an unstable package makes the finding unstable (buf ignores it then).
    let renamed = run(files("a.v1beta1", vec![]), files("a.v1", vec![]), &file_level());
    assert!(one(&renamed, "protobuf.file-same-package").unstable);
    assert!(run(files("a.v1beta1", vec![]), files("a.v1", vec![]), &ignoring)
        .iter()
        .all(|c| c.rule != "protobuf.file-same-package"));
    for unstable in ["a.v1alpha", "a.v1beta1", "a.v2test", "a.v1test2", "a.v1p1alpha1", "v3alpha2"] {
        assert!(is_unstable_package(unstable), "{unstable}");
    }
    for stable in ["a.v1", "a.b", "", "a.v1x", "a.v0alpha1", "a.beta"] {
        assert!(!is_unstable_package(stable), "{stable}");
    }
}

#[test]
fn ignored_paths_drop_findings_on_either_side() {
    let rules = RuleSet::from_buf_yaml("version: v1\nbreaking:\n  ignore: [a.proto]\n", "b", None).unwrap();
    let changes = run(simple(vec![field("x", 1, Type::Int32)]), simple(vec![]), &rules);
    assert!(
        changes.iter().all(|c| c.rule == "protobuf.field-added" || !c.rule.contains("delete")),
        "{:?}",
        rules_of(&changes)
    );
}

#[test]
fn additions_and_deprecations_always_run() {
    let rules = RuleSet::from_buf_yaml("version: v1\nbreaking:\n  use: [FIELD_NO_DELETE]\n", "b", None).unwrap();
    let mut deprecated = field("x", 1, Type::Int32);
    deprecated.deprecated = true;
    let changes =
        run(simple(vec![field("x", 1, Type::Int32)]), simple(vec![deprecated, field("y", 2, Type::Int32)]), &rules);
    assert_eq!(rules_of(&changes), vec!["protobuf.field-deprecated", "protobuf.field-added"]);
}

#[test]
fn reserved_ranges_and_names() {
    let with = |ranges: Vec<(i32, i32)>, names: Vec<&str>| {
        let mut files = simple(vec![]);
        files[0].messages[0].reserved_ranges = ranges;
        files[0].messages[0].reserved_names = names.into_iter().map(String::from).collect();
        files
    };
    let changes = run(with(vec![(1, 11)], vec!["a"]), with(vec![(1, 5), (5, 11)], vec!["a"]), &file_level());
    assert!(changes.is_empty(), "a split range still reserves every number");
    let changes = run(with(vec![(1, 11)], vec!["a", "b"]), with(vec![(2, 11)], vec!["a"]), &file_level());
    assert_eq!(changes.iter().filter(|c| c.rule == "protobuf.reserved-message-no-delete").count(), 2);
    assert!(changes.iter().any(|c| c.message.contains("\"[1,10]\"") && c.message.contains("[1] were removed")));
}

#[test]
fn defaults_compare_by_value() {
    let with = |ty: Type, default: Option<&str>| {
        let mut f = field("x", 1, ty);
        f.default = default.map(String::from);
        simple(vec![f])
    };
    assert!(run(with(Type::Int32, None), with(Type::Int32, Some("0")), &all_rules()).is_empty());
    let changes = run(with(Type::Int32, Some("1")), with(Type::Int32, Some("2")), &all_rules());
    assert_eq!(rules_of(&changes), vec!["protobuf.field-same-default"]);
    let changes = run(with(Type::Float, Some("1.1")), with(Type::Double, Some("1.1")), &all_rules());
    assert!(!rules_of(&changes).contains(&"protobuf.field-same-default"), "float→double compares as float");
}

#[test]
fn output_is_sorted_by_place() {
    let base = simple(vec![field("x", 1, Type::Int32), field("y", 2, Type::Int32), field("z", 3, Type::Int32)]);
    let head = simple(vec![field("x", 1, Type::String), field("y", 2, Type::Bool), field("z", 3, Type::Bytes)]);
    let changes = run(base, head, &all_rules());
    let keys: Vec<(u32, &str)> = changes.iter().map(|c| (c.head.as_ref().unwrap().line, c.rule.as_str())).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
