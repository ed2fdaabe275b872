//! The Protobuf loader through its model: features resolved per syntax and edition, source
//! locations, module roots from each config form, and which files are compiled or stubbed.

use contractdiff::config::Config;
use contractdiff::discover;
use contractdiff::formats::protobuf::load::{self, modules, Loaded};
use contractdiff::formats::protobuf::model::*;
use contractdiff::formats::Kind;
use contractdiff::source::FsTree;
use std::path::Path;

/// Two folders of files.
struct Pair {
    dir: tempfile::TempDir,
}

impl Pair {
    fn new(base: &[(&str, &str)], head: &[(&str, &str)]) -> Pair {
        let dir = tempfile::tempdir().unwrap();
        for (side, files) in [("base", base), ("head", head)] {
            std::fs::create_dir_all(dir.path().join(side)).unwrap();
            for (path, text) in files {
                let full = dir.path().join(side).join(path);
                std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                std::fs::write(full, text).unwrap();
            }
        }
        Pair { dir }
    }

    fn side(&self, side: &str) -> FsTree {
        FsTree::folder(&self.dir.path().join(side)).unwrap()
    }

    /// Every module, loaded, by root.
    fn load(&self, config: &Config) -> Vec<(String, Loaded)> {
        let (base, head) = (self.side("base"), self.side("head"));
        let found = |tree: &FsTree| discover::discover(tree, config, Some(Kind::Protobuf)).unwrap().contracts;
        let planned = modules::plan(&base, &head, config, &found(&base), &found(&head)).unwrap();
        let protoc = load::Protoc::new().unwrap();
        let mut cache = load::Cache::default();
        planned
            .into_iter()
            .map(|p| {
                let loaded = load::load_pair(
                    &base,
                    &head,
                    &p.spec,
                    p.renamed,
                    &protoc,
                    load::Compile::InProcessWherePossible,
                    &mut cache,
                )
                .unwrap_or_else(|e| panic!("{}: {e}", p.spec.root));
                (p.spec.root, loaded)
            })
            .collect()
    }
}

/// The head side of a one-module comparison where everything is new.
fn head_of(files: &[(&str, &str)]) -> Module {
    let mut modules = Pair::new(&[], files).load(&Config::default());
    assert_eq!(modules.len(), 1);
    modules.remove(0).1.head
}

fn message<'a>(module: &'a Module, file: &str, name: &str) -> &'a Message {
    let file = &module.files[file];
    find_message(&file.messages, name).unwrap_or_else(|| panic!("no message {name} in {}", file.name))
}

fn find_message<'a>(messages: &'a [Message], name: &str) -> Option<&'a Message> {
    messages.iter().find_map(|m| if m.full_name == name { Some(m) } else { find_message(&m.messages, name) })
}

fn field<'a>(message: &'a Message, name: &str) -> &'a Field {
    message.fields.iter().find(|f| f.name == name).unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn proto2_features() {
    let module = head_of(&[(
        "p2.proto",
        r#"syntax = "proto2";
package p2;
option java_string_check_utf8 = true;
enum Color { RED = 0; }
message M {
  required int32 req = 1;
  optional string s = 2 [ctype = CORD];
  repeated int32 loose = 3;
  repeated int32 tight = 4 [packed = true];
  optional Color color = 5;
  optional group G = 6 { optional int32 x = 1; }
  optional int64 big = 7 [jstype = JS_STRING];
  optional int32 with_default = 8 [default = 7, json_name = "wd"];
}
"#,
    )]);
    let m = message(&module, "p2.proto", "p2.M");
    let req = field(m, "req");
    assert_eq!((req.label, req.features.presence), (Label::Required, Presence::LegacyRequired));
    let s = field(m, "s");
    assert_eq!(s.features.presence, Presence::Explicit);
    assert_eq!(s.features.utf8_validation, Utf8Validation::None);
    assert_eq!(s.features.cpp_string_type, CppStringType::Cord);
    assert!(s.features.java_utf8_verify, "java_string_check_utf8 makes Java verify strings");
    assert!(!field(m, "loose").features.packed);
    assert!(field(m, "tight").features.packed);
    assert_eq!(field(m, "color").features.enum_type, Some(EnumType::Closed));
    let group = field(m, "g");
    assert_eq!((group.ty, group.features.delimited), (Type::Group, true));
    assert_eq!(field(m, "big").jstype, JsType::String);
    let wd = field(m, "with_default");
    assert_eq!((wd.default.as_deref(), wd.json_name.as_str(), wd.json_name_explicit), (Some("7"), "wd", true));
    assert!(!field(m, "big").json_name_explicit);
    assert_eq!(m.json_format, JsonFormat::LegacyBestEffort);
    assert_eq!(module.files["p2.proto"].enums[0].enum_type, EnumType::Closed);
    assert_eq!(module.files["p2.proto"].syntax, Syntax::Proto2);
}

#[test]
fn proto3_features() {
    let module = head_of(&[(
        "p3.proto",
        r#"syntax = "proto3";
package p3;
enum Color { RED = 0; }
message Other {}
message M {
  int32 plain = 1;
  optional int32 opt = 2;
  Other msg = 3;
  oneof choice { string a = 4; int32 b = 5; }
  repeated int32 nums = 6;
  repeated int32 loose = 7 [packed = false];
  string text = 8;
  Color color = 9;
  map<string, int32> counts = 10;
}
"#,
    )]);
    let m = message(&module, "p3.proto", "p3.M");
    assert_eq!(field(m, "plain").features.presence, Presence::Implicit);
    let opt = field(m, "opt");
    assert_eq!((opt.features.presence, opt.proto3_optional), (Presence::Explicit, true));
    assert!(m.oneofs[opt.oneof_index.unwrap()].synthetic);
    assert!(!m.oneofs[field(m, "a").oneof_index.unwrap()].synthetic);
    assert_eq!(field(m, "msg").features.presence, Presence::Explicit);
    assert_eq!(field(m, "b").features.presence, Presence::Explicit);
    assert!(field(m, "nums").features.packed);
    assert!(!field(m, "loose").features.packed);
    assert_eq!(field(m, "text").features.utf8_validation, Utf8Validation::Verify);
    assert!(!field(m, "text").features.java_utf8_verify);
    assert_eq!(field(m, "color").features.enum_type, Some(EnumType::Open));
    assert_eq!(field(m, "plain").features.enum_type, None);
    let counts = field(m, "counts");
    assert_eq!((counts.ty, counts.features.delimited), (Type::Message, false));
    assert!(message(&module, "p3.proto", "p3.M.CountsEntry").map_entry);
    assert_eq!(m.json_format, JsonFormat::Allow);
}

#[test]
fn editions_2023_features_inherit_file_message_field_and_cross_files() {
    let module = head_of(&[
        (
            "enums.proto",
            r#"edition = "2023";
package ed;
enum Closed { option features.enum_type = CLOSED; C_ZERO = 0; }
enum Open { O_ZERO = 0; }
"#,
        ),
        (
            "ed.proto",
            r#"edition = "2023";
package ed;
import "enums.proto";
import "google/protobuf/cpp_features.proto";
import "google/protobuf/java_features.proto";
option features.field_presence = IMPLICIT;
option features.utf8_validation = NONE;
message Inner { int32 x = 1; }
message M {
  option features.json_format = LEGACY_BEST_EFFORT;
  int32 implicit = 1;
  int32 explicit = 2 [features.field_presence = EXPLICIT];
  int32 required = 3 [features.field_presence = LEGACY_REQUIRED];
  Inner delimited = 4 [features.message_encoding = DELIMITED];
  repeated int32 expanded = 5 [features.repeated_field_encoding = EXPANDED];
  repeated int32 packed = 6;
  string unchecked = 7;
  string java_checked = 8 [features.(pb.java).utf8_validation = VERIFY];
  string cord = 9 [features.(pb.cpp).string_type = CORD];
  Closed closed = 10 [features.field_presence = EXPLICIT];
  Open open = 11;
  message Nested { string s = 1; }
  Inner message_field = 12;
}
"#,
        ),
    ]);
    let m = message(&module, "ed.proto", "ed.M");
    assert_eq!(field(m, "implicit").features.presence, Presence::Implicit, "file feature inherited");
    assert_eq!(field(m, "explicit").features.presence, Presence::Explicit);
    let required = field(m, "required");
    assert_eq!((required.label, required.features.presence), (Label::Required, Presence::LegacyRequired));
    let delimited = field(m, "delimited");
    assert_eq!((delimited.ty, delimited.features.delimited), (Type::Group, true));
    assert_eq!(field(m, "message_field").features.presence, Presence::Explicit);
    assert!(!field(m, "expanded").features.packed);
    assert!(field(m, "packed").features.packed);
    assert_eq!(field(m, "unchecked").features.utf8_validation, Utf8Validation::None, "file feature inherited");
    let nested = message(&module, "ed.proto", "ed.M.Nested");
    assert_eq!(field(nested, "s").features.utf8_validation, Utf8Validation::None, "inherited through messages");
    assert!(field(m, "java_checked").features.java_utf8_verify);
    assert!(!field(m, "unchecked").features.java_utf8_verify);
    assert_eq!(field(m, "cord").features.cpp_string_type, CppStringType::Cord);
    assert_eq!(field(m, "unchecked").features.cpp_string_type, CppStringType::String);
    assert_eq!(field(m, "closed").features.enum_type, Some(EnumType::Closed), "enum looked up in its own file");
    assert_eq!(field(m, "open").features.enum_type, Some(EnumType::Open));
    assert_eq!(m.json_format, JsonFormat::LegacyBestEffort);
    assert_eq!(message(&module, "ed.proto", "ed.Inner").json_format, JsonFormat::Allow);
    assert_eq!(module.files["ed.proto"].syntax, Syntax::Editions(Edition::E2023));
}

#[test]
fn editions_2024_defaults_and_oneof_features() {
    let module = head_of(&[(
        "e24.proto",
        r#"edition = "2024";
package e24;
message M {
  string s = 1;
  oneof o { int32 a = 2; }
  int32 b = 3;
}
"#,
    )]);
    let m = message(&module, "e24.proto", "e24.M");
    assert_eq!(field(m, "s").features.cpp_string_type, CppStringType::View);
    assert_eq!(field(m, "a").features.presence, Presence::Explicit);
    assert_eq!(field(m, "b").features.presence, Presence::Explicit);
    assert_eq!(module.files["e24.proto"].syntax, Syntax::Editions(Edition::E2024));
}

#[test]
fn locations_are_one_based_with_protoc_tab_stops_and_byte_offsets() {
    let text = "syntax = \"proto3\";\npackage loc;\n\nmessage M {\n\tint32 count = 1;\n  string name = 2;\n}\n";
    let module = head_of(&[("loc.proto", text)]);
    let file = &module.files["loc.proto"];
    let m = message(&module, "loc.proto", "loc.M");
    let message_loc = file.loc(&m.path);
    assert_eq!((message_loc.line, message_loc.column), (4, 1));
    assert_eq!(&text[message_loc.start..message_loc.start + 9], "message M");
    // A tab counts to column 8 (0-based), as protoc and buf count it.
    let count = file.loc(&field(m, "count").path);
    assert_eq!((count.line, count.column), (5, 9));
    assert_eq!(&text[count.start..count.end], "int32 count = 1;");
    let name = file.loc(&field(m, "name").path);
    assert_eq!((name.line, name.column, name.file.as_str()), (6, 3, "loc.proto"));
    // The field's name: one step below the field.
    let mut name_path = field(m, "name").path.clone();
    name_path.push(1);
    let exact = file.exact_loc(&name_path).expect("name location kept");
    assert_eq!(&text[exact.start..exact.end], "name");
}

#[test]
fn locations_match_a_buf_corpus_annotation() {
    // buf's breaking_enum_value_no_delete expects ENUM_VALUE_NO_DELETE at 1.proto:12:5, the
    // enum nested two messages deep.
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/buf/private/bufpkg/bufcheck/testdata/breaking/current/breaking_enum_value_no_delete");
    let Ok(text) = std::fs::read_to_string(corpus.join("1.proto")) else {
        eprintln!("skipped: ../shared/corpus is absent");
        return;
    };
    let module = head_of(&[("1.proto", &text)]);
    let file = &module.files["1.proto"];
    let nested_enums: Vec<_> = file
        .messages
        .iter()
        .flat_map(|m| m.messages.iter().flat_map(|n| n.enums.iter()))
        .map(|e| (file.loc(&e.path).line, file.loc(&e.path).column))
        .collect();
    assert!(nested_enums.contains(&(12, 5)), "{nested_enums:?}");
}

const SIMPLE: &str = "syntax = \"proto3\";\npackage acme.v1;\nmessage A {}\n";

fn file_names(loaded: &[(String, Loaded)]) -> Vec<(String, Vec<String>)> {
    loaded.iter().map(|(root, l)| (root.clone(), l.head.files.keys().cloned().collect())).collect()
}

#[test]
fn module_roots_from_buf_yaml_v1beta1_v1_v2_and_buf_work_yaml() {
    let files = [
        ("one/buf.yaml", "version: v1beta1\nbuild:\n  roots:\n    - proto\n"),
        ("one/proto/acme/v1/a.proto", SIMPLE),
        ("two/buf.yaml", "version: v1\n"),
        ("two/acme/v1/a.proto", SIMPLE),
        ("three/buf.yaml", "version: v2\nmodules:\n  - path: src\n"),
        ("three/src/acme/v1/a.proto", SIMPLE),
        ("buf.work.yaml", "version: v1\ndirectories:\n  - four\n"),
        ("four/acme/v1/a.proto", SIMPLE),
        ("loose/a.proto", SIMPLE),
    ];
    let loaded = Pair::new(&files, &files).load(&Config::default());
    let names = file_names(&loaded);
    let want = |root: &str, name: &str| (root.to_string(), vec![name.to_string()]);
    assert_eq!(
        names,
        [
            want("", "loose/a.proto"),
            want("four", "acme/v1/a.proto"),
            want("one/proto", "acme/v1/a.proto"),
            want("three/src", "acme/v1/a.proto"),
            want("two", "acme/v1/a.proto"),
        ]
    );
    assert_eq!(loaded[2].1.head.files["acme/v1/a.proto"].repo_path, "one/proto/acme/v1/a.proto");
}

#[test]
fn module_root_from_contractdiff_toml_and_imports_relative_to_it() {
    let files = [
        (
            "api/acme/v1/a.proto",
            "syntax = \"proto3\";\npackage acme.v1;\nimport \"acme/v1/b.proto\";\nmessage A { B b = 1; }\n",
        ),
        ("api/acme/v1/b.proto", "syntax = \"proto3\";\npackage acme.v1;\nmessage B {}\n"),
    ];
    let config =
        Config::parse("[[contracts]]\npath = \"api/**/*.proto\"\nkind = \"protobuf\"\nroot = \"api\"\n", "test")
            .unwrap();
    let loaded = Pair::new(&[], &files).load(&config);
    assert_eq!(
        file_names(&loaded),
        [("api".to_string(), vec!["acme/v1/a.proto".to_string(), "acme/v1/b.proto".to_string()])]
    );
    let a = message(&loaded[0].1.head, "acme/v1/a.proto", "acme.v1.A");
    assert_eq!(field(a, "b").type_name.as_deref(), Some("acme.v1.B"));
}

#[test]
fn a_change_in_an_imported_file_makes_its_importers_compared_and_the_rest_stubs() {
    let leaf = |n: i32| format!("syntax = \"proto3\";\npackage p;\nmessage Leaf {{ int32 x = {n}; }}\n");
    let user = "syntax = \"proto3\";\npackage q;\nimport \"leaf.proto\";\nmessage User { p.Leaf leaf = 1; }\n";
    let top = "syntax = \"proto3\";\npackage r;\nimport \"user.proto\";\nmessage Top { q.User user = 1; }\n";
    let alone = "syntax = \"proto3\";\npackage s.v1;\nmessage Alone {}\n";
    let (leaf1, leaf2) = (leaf(1), leaf(2));
    let base = [("leaf.proto", leaf1.as_str()), ("user.proto", user), ("top.proto", top), ("alone.proto", alone)];
    let head = [("leaf.proto", leaf2.as_str()), ("user.proto", user), ("top.proto", top), ("alone.proto", alone)];
    let pair = Pair::new(&base, &head);
    let loaded = pair.load(&Config::default());
    let module = &loaded[0].1;
    for side in [&module.base, &module.head] {
        for name in ["leaf.proto", "user.proto", "top.proto"] {
            assert!(!side.files[name].unchanged, "{name} reaches the changed leaf.proto");
            assert!(!side.files[name].messages.is_empty());
        }
        let alone = &side.files["alone.proto"];
        assert!(alone.unchanged && alone.messages.is_empty());
        assert_eq!(alone.package, "s.v1");
        assert_eq!(alone.syntax, Syntax::Proto3);
    }
    assert_eq!(field(message(&module.head, "leaf.proto", "p.Leaf"), "x").number, 2);
    assert_eq!(field(message(&module.base, "leaf.proto", "p.Leaf"), "x").number, 1);
    // Texts are kept for compared files only.
    assert!(module.texts.head.contains_key("top.proto") && !module.texts.head.contains_key("alone.proto"));

    // Nothing changed: nothing is compiled.
    let same = Pair::new(&base, &base).load(&Config::default());
    assert!(same[0].1.head.files.values().all(|f| f.unchanged));
}
