//! Properties over generated OpenAPI 3.0/3.1 documents: what must never be reported (a document
//! against itself, against its YAML twin, with its keys reordered, with its `$ref`s inlined) and
//! what must be reported both ways round (an added optional parameter is a removal in reverse).
//!
//! Documents are built as `serde_json::Value`s, written to a temp dir and compared through the
//! library's own entry point, `contractdiff::run::changes_between`.

use contractdiff::rules::Class;
use proptest::prelude::*;
use serde_json::{json, Map, Value};
use std::path::Path;

const CASES: u32 = 48;
const COMPONENTS: [&str; 3] = ["Pet", "Owner", "Tag"];

// ---------------------------------------------------------------------------------------------
// Generators

/// Strings that stress quoting: YAML indicators, look-alikes of other scalars, escapes, Unicode.
/// Only printable characters: YAML forbids raw control characters even inside quotes, and
/// serde_json leaves DEL and C1 controls unescaped.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,8}",
        Just("yes".to_string()),
        Just("null".to_string()),
        Just("1.0".to_string()),
        Just("- x: #y".to_string()),
        Just("a \"quoted\" 'thing' \\ back".to_string()),
        Just("tab\tnew\nline".to_string()),
        Just("héllo wörld ✓".to_string()),
        Just("".to_string()),
        Just("*alias &anchor !tag %dir @at `tick`".to_string()),
    ]
}

fn bounds(lo: &'static str, hi: &'static str) -> impl Strategy<Value = Map<String, Value>> {
    (prop::option::of(0i64..10), prop::option::of(10i64..1000)).prop_map(move |(min, max)| {
        let mut m = Map::new();
        if let Some(min) = min {
            m.insert(lo.into(), json!(min));
        }
        if let Some(max) = max {
            m.insert(hi.into(), json!(max));
        }
        m
    })
}

/// A scalar schema; `nullable` is applied per OpenAPI version later (see [`for_version`]).
fn leaf_schema() -> impl Strategy<Value = Value> {
    let string = (
        bounds("minLength", "maxLength"),
        prop::option::of(prop::collection::vec(text(), 1..4)),
        prop::option::of(Just("^[a-z]+$")),
    )
        .prop_map(|(mut m, values, pattern)| {
            m.insert("type".into(), json!("string"));
            if let Some(mut values) = values {
                values.sort();
                values.dedup();
                m.insert("enum".into(), json!(values));
            }
            if let Some(p) = pattern {
                m.insert("pattern".into(), json!(p));
            }
            Value::Object(m)
        });
    let number = (prop_oneof![Just("integer"), Just("number")], bounds("minimum", "maximum")).prop_map(|(t, mut m)| {
        m.insert("type".into(), json!(t));
        Value::Object(m)
    });
    let refs =
        prop::sample::select(&COMPONENTS[..]).prop_map(|name| json!({"$ref": format!("#/components/schemas/{name}")}));
    prop_oneof![4 => string, 3 => number, 1 => Just(json!({"type": "boolean"})), 2 => refs]
}

/// Schemas up to depth 3: objects with properties and required, arrays, oneOf, nullable.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = (leaf_schema(), any::<bool>()).prop_map(|(s, nullable)| with_nullable(s, nullable));
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map("[a-z]{1,6}", inner.clone(), 1..4),
                any::<prop::sample::Index>(),
                any::<bool>()
            )
                .prop_map(|(props, pick, nullable)| {
                    let names: Vec<&String> = props.keys().collect();
                    let required = json!([names[pick.index(names.len())]]);
                    let props: Map<String, Value> = props.into_iter().collect();
                    with_nullable(json!({"type": "object", "properties": props, "required": required}), nullable)
                }),
            (inner.clone(), bounds("minItems", "maxItems")).prop_map(|(items, mut m)| {
                m.insert("type".into(), json!("array"));
                m.insert("items".into(), items);
                Value::Object(m)
            }),
            prop::collection::vec(inner, 2..4).prop_map(|alts| json!({"oneOf": alts})),
        ]
    })
}

fn with_nullable(mut schema: Value, nullable: bool) -> Value {
    if nullable && schema.get("type").is_some() {
        schema["nullable"] = json!(true);
    }
    schema
}

const MEDIA: [&str; 3] = ["application/json", "application/xml", "text/plain"];

fn content() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(prop::sample::select(&MEDIA[..]), schema(), 1..3)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, s)| (k.to_string(), json!({"schema": s}))).collect()))
}

fn parameter(location: &'static str) -> impl Strategy<Value = Value> {
    ("[a-z]{1,6}", any::<bool>(), schema()).prop_map(move |(name, required, schema)| {
        json!({"name": format!("{location}-{name}"), "in": location, "required": required, "schema": schema})
    })
}

const STATUSES: [&str; 5] = ["200", "201", "400", "404", "default"];

fn operation(path_param: bool, with_body: bool) -> impl Strategy<Value = Value> {
    let params = prop::collection::vec(prop_oneof![parameter("query"), parameter("header")], 0..3);
    let responses =
        prop::collection::btree_map(prop::sample::select(&STATUSES[..]), (text(), prop::option::of(content())), 1..3);
    let body =
        if with_body { prop::option::weighted(0.8, (any::<bool>(), content())).boxed() } else { Just(None).boxed() };
    (params, responses, body, prop::option::of(text())).prop_map(move |(params, responses, body, summary)| {
        let mut op = Map::new();
        if let Some(s) = summary {
            op.insert("summary".into(), json!(s));
        }
        // One parameter per (name, in): duplicates are invalid OpenAPI and would pair ambiguously.
        let mut seen = std::collections::BTreeSet::new();
        let mut list: Vec<Value> = params.into_iter().filter(|p| seen.insert(p["name"].to_string())).collect();
        if path_param {
            list.insert(0, json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        op.insert("parameters".into(), json!(list));
        if let Some((required, content)) = body {
            op.insert("requestBody".into(), json!({"required": required, "content": content}));
        }
        let responses: Map<String, Value> = responses
            .into_iter()
            .map(|(status, (description, content))| {
                let mut r = json!({"description": description});
                if let Some(c) = content {
                    r["content"] = c;
                }
                (status.to_string(), r)
            })
            .collect();
        op.insert("responses".into(), Value::Object(responses));
        Value::Object(op)
    })
}

const PATHS: [&str; 4] = ["/pets", "/pets/{id}", "/owners", "/owners/{id}/tags"];
const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

fn path_item(path: &'static str) -> impl Strategy<Value = Value> {
    let path_param = path.contains('{');
    prop::sample::subsequence(&METHODS[..], 1..=3)
        .prop_flat_map(move |methods| {
            methods
                .into_iter()
                .map(|m| operation(path_param, matches!(m, "post" | "put")).prop_map(move |op| (m.to_string(), op)))
                .collect::<Vec<_>>()
        })
        .prop_map(|ops| Value::Object(ops.into_iter().collect()))
}

/// A whole document. Component `i` may refer only to components before it, so refs never cycle
/// and inlining terminates.
fn document() -> impl Strategy<Value = Value> {
    let paths = prop::sample::subsequence(&PATHS[..], 1..=3).prop_flat_map(|chosen| {
        chosen.into_iter().map(|p| path_item(p).prop_map(move |item| (p.to_string(), item))).collect::<Vec<_>>()
    });
    let components = prop::collection::vec(schema(), COMPONENTS.len());
    (any::<bool>(), "[0-9]\\.[0-9]\\.[0-9]", paths, components).prop_map(|(v31, version, paths, components)| {
        let schemas: Map<String, Value> = components
            .into_iter()
            .enumerate()
            .map(|(i, mut s)| {
                cut_forward_refs(&mut s, i);
                (COMPONENTS[i].to_string(), s)
            })
            .collect();
        let mut doc = json!({
            "openapi": if v31 { "3.1.0" } else { "3.0.3" },
            "info": {"title": "Generated", "version": version},
            "paths": Value::Object(paths.into_iter().collect()),
            "components": {"schemas": schemas},
        });
        for_version(&mut doc, v31);
        doc
    })
}

/// Replace refs to component `i` or later with a plain schema.
fn cut_forward_refs(schema: &mut Value, i: usize) {
    match schema {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                let name = r.rsplit('/').next().unwrap_or_default();
                if COMPONENTS.iter().position(|c| *c == name).is_none_or(|j| j >= i) {
                    *schema = json!({"type": "string"});
                }
                return;
            }
            m.values_mut().for_each(|v| cut_forward_refs(v, i));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| cut_forward_refs(v, i)),
        _ => {}
    }
}

/// 3.1 has no `nullable`: write `type: [t, "null"]` instead.
fn for_version(value: &mut Value, v31: bool) {
    match value {
        Value::Object(m) => {
            if v31 && m.get("nullable") == Some(&json!(true)) && m.get("type").is_some_and(Value::is_string) {
                m.remove("nullable");
                let t = m["type"].clone();
                m["type"] = json!([t, "null"]);
            }
            m.values_mut().for_each(|v| for_version(v, v31));
        }
        Value::Array(a) => a.iter_mut().for_each(|v| for_version(v, v31)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Transformations

/// Block-style YAML. Every string and key is written as a JSON string, which is a valid YAML 1.2
/// double-quoted scalar, so nothing is left to YAML's plain-scalar typing (`yes`, `1.0`, `null`).
fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    emit(value, 0, &mut out);
    out
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::Object(m) if m.is_empty() => Some("{}".into()),
        Value::Array(a) if a.is_empty() => Some("[]".into()),
        Value::Object(_) | Value::Array(_) => None,
        other => Some(other.to_string()),
    }
}

fn emit(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(m) if !m.is_empty() => {
            for (key, v) in m {
                out.push_str(&format!("{pad}{}:", Value::String(key.clone())));
                match scalar(v) {
                    Some(s) => out.push_str(&format!(" {s}\n")),
                    None => {
                        out.push('\n');
                        emit(v, indent + 2, out);
                    }
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            for v in a {
                match scalar(v) {
                    Some(s) => out.push_str(&format!("{pad}- {s}\n")),
                    None => {
                        // The item's first line goes after "- "; the rest keep its indentation.
                        let mut item = String::new();
                        emit(v, indent + 2, &mut item);
                        out.push_str(&format!("{pad}- {}", &item[indent + 2..]));
                    }
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other).unwrap())),
    }
}

/// Every map's keys in a new order, drawn from `seed` (a small xorshift: the order must be a
/// function of the proptest input so that failures replay).
fn shuffle_keys(value: &Value, seed: &mut u64) -> Value {
    match value {
        Value::Object(m) => {
            let mut entries: Vec<(String, Value)> = m.iter().map(|(k, v)| (k.clone(), shuffle_keys(v, seed))).collect();
            for i in (1..entries.len()).rev() {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                entries.swap(i, (*seed % (i as u64 + 1)) as usize);
            }
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| shuffle_keys(v, seed)).collect()),
        other => other.clone(),
    }
}

/// Every `$ref` to `#/components/schemas/X` replaced by a copy of X (itself inlined), outside
/// and inside the components, which stay in place.
fn inline_refs(value: &Value, components: &Map<String, Value>) -> Value {
    match value {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                if let Some(target) = r.strip_prefix("#/components/schemas/").and_then(|name| components.get(name)) {
                    return inline_refs(target, components);
                }
            }
            Value::Object(m.iter().map(|(k, v)| (k.clone(), inline_refs(v, components))).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(|v| inline_refs(v, components)).collect()),
        other => other.clone(),
    }
}

/// The first operation in document order, and `base` with an optional query parameter added to it.
fn with_added_parameter(base: &Value) -> (String, Value) {
    let mut head = base.clone();
    let (path, item) = head["paths"].as_object_mut().unwrap().iter_mut().next().unwrap();
    let (method, op) = item.as_object_mut().unwrap().iter_mut().next().unwrap();
    let at = format!("{} {path}", method.to_uppercase());
    op["parameters"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "added", "in": "query", "required": false, "schema": {"type": "string"}}));
    (at, head)
}

// ---------------------------------------------------------------------------------------------
// Running

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn json_text(doc: &Value) -> String {
    serde_json::to_string_pretty(doc).unwrap()
}

/// Every change from `old` to `new`, written under the given file names.
fn diff(old: (&str, String), new: (&str, String)) -> Vec<(String, Class)> {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base");
    let head = dir.path().join("head");
    std::fs::create_dir_all(&base).unwrap();
    std::fs::create_dir_all(&head).unwrap();
    let (old_path, new_path) = (write(&base, old.0, &old.1), write(&head, new.0, &new.1));
    contractdiff::run::changes_between(&old_path, &new_path)
        .unwrap_or_else(|e| panic!("contractdiff failed: {e:?}\n--- old ---\n{}\n--- new ---\n{}", old.1, new.1))
}

/// `CASES` keeps the suite to seconds; `PROPTEST_CASES=5000` searches harder.
fn config() -> ProptestConfig {
    let defaults = ProptestConfig::default();
    ProptestConfig {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() { defaults.cases } else { CASES },
        // No regression files: an integration test has no lib.rs for proptest to place them by.
        failure_persistence: None,
        ..defaults
    }
}

proptest! {
    #![proptest_config(config())]

    /// (a) A document compared with itself changes nothing.
    #[test]
    fn a_document_against_itself_has_no_change(doc in document()) {
        let yaml = to_yaml(&doc);
        let changes = diff(("api.yaml", yaml.clone()), ("api.yaml", yaml));
        prop_assert!(changes.is_empty(), "{changes:?}");
    }

    /// (b) JSON and YAML spellings of one document are the same contract.
    #[test]
    fn json_and_yaml_spellings_have_no_change(doc in document()) {
        let forward = diff(("api.json", json_text(&doc)), ("api.yaml", to_yaml(&doc)));
        prop_assert!(forward.is_empty(), "json -> yaml: {forward:?}");
        let backward = diff(("api.yaml", to_yaml(&doc)), ("api.json", json_text(&doc)));
        prop_assert!(backward.is_empty(), "yaml -> json: {backward:?}");
    }

    /// (c) Map key order carries no meaning.
    #[test]
    fn reordered_keys_have_no_change(doc in document(), seed in 1u64..) {
        let shuffled = shuffle_keys(&doc, &mut seed.clone());
        let changes = diff(("api.yaml", to_yaml(&doc)), ("api.yaml", to_yaml(&shuffled)));
        prop_assert!(changes.is_empty(), "{changes:?}");
    }

    /// (d) Inlining a referenced schema changes no contract: nothing breaking either way round.
    /// Non-breaking findings are tolerated here; `inlined_refs_report_nothing_at_all` below is the
    /// stricter form.
    #[test]
    fn inlined_refs_are_not_breaking(doc in document()) {
        let inlined = inline_refs(&doc, doc["components"]["schemas"].as_object().unwrap());
        for (old, new) in [(&doc, &inlined), (&inlined, &doc)] {
            let changes = diff(("api.json", json_text(old)), ("api.json", json_text(new)));
            let breaking: Vec<_> = changes.iter().filter(|(_, class)| *class == Class::Breaking).collect();
            prop_assert!(breaking.is_empty(), "{breaking:?}");
        }
    }

    /// (d') The stricter form of (d): an inlined ref is the same schema, so nothing at all.
    #[test]
    fn inlined_refs_report_nothing_at_all(doc in document()) {
        let inlined = inline_refs(&doc, doc["components"]["schemas"].as_object().unwrap());
        for (old, new) in [(&doc, &inlined), (&inlined, &doc)] {
            let changes = diff(("api.json", json_text(old)), ("api.json", json_text(new)));
            prop_assert!(changes.is_empty(), "{changes:?}");
        }
    }

    /// (e) An added optional query parameter is additive, and the same edit reversed is its removal.
    #[test]
    fn added_parameter_is_the_removed_one_in_reverse(base in document()) {
        let (_, head) = with_added_parameter(&base);
        let forward = diff(("api.yaml", to_yaml(&base)), ("api.yaml", to_yaml(&head)));
        prop_assert_eq!(forward, vec![("openapi.parameter.optional-added".to_string(), Class::Additive)]);
        let backward = diff(("api.yaml", to_yaml(&head)), ("api.yaml", to_yaml(&base)));
        prop_assert_eq!(backward.len(), 1, "{:?}", backward);
        prop_assert_eq!(backward[0].0.as_str(), "openapi.parameter.removed");
    }

    /// (f) The same inputs give byte-identical reports, JSON and human, run after run.
    #[test]
    fn reports_are_byte_identical_across_runs(base in document()) {
        let (_, head) = with_added_parameter(&base);
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("base"), dir.path().join("head"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::create_dir_all(&new).unwrap();
        write(&old, "api.yaml", &to_yaml(&base));
        write(&new, "api.yaml", &to_yaml(&head));
        let render = || {
            let options = contractdiff::run::Options::new(jiff::civil::Date::constant(2026, 1, 1));
            let outcome = contractdiff::run::run_paths(&old, &new, &options).unwrap();
            let style = contractdiff::report::human::Style { colour: false, verbose: true };
            let human = contractdiff::report::human::render(&outcome.report, &outcome.sources, &style);
            (contractdiff::report::json::render(&outcome.report), human)
        };
        let first = render();
        prop_assert!(first.0.contains("openapi.parameter.optional-added"), "{}", first.0);
        for _ in 0..2 {
            prop_assert_eq!(&render(), &first);
        }
    }
}

// The emitters the properties rely on must themselves be right, or (b) and (c) prove nothing.

#[test]
fn yaml_emitter_writes_block_style_with_json_quoted_scalars() {
    let doc = json!({"a": {"b": [1, {"c": "yes", "d": [true, null]}, []], "e": {}}, "f": "x\ny"});
    let expected = "\"a\":\n  \"b\":\n    - 1\n    - \"c\": \"yes\"\n      \"d\":\n        - true\n        - null\n    - []\n  \"e\": {}\n\"f\": \"x\\ny\"\n";
    assert_eq!(to_yaml(&doc), expected);
}

#[test]
fn key_shuffle_and_inlining_change_what_they_should() {
    let doc = json!({"k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5, "k6": 6});
    let orders: std::collections::BTreeSet<Vec<String>> = (1u64..20)
        .map(|seed| shuffle_keys(&doc, &mut seed.clone()).as_object().unwrap().keys().cloned().collect())
        .collect();
    assert!(orders.len() > 1, "the shuffle never reorders");
    assert!(orders.iter().all(|o| o.len() == 6));

    let components =
        json!({"A": {"type": "string"}, "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}});
    let inlined = inline_refs(&json!({"$ref": "#/components/schemas/B"}), components.as_object().unwrap());
    assert_eq!(inlined, json!({"type": "array", "items": {"type": "string"}}));
}

/// (e) needs a real difference to be detectable at all: check the pipeline sees one.
#[test]
fn an_added_required_parameter_is_breaking() {
    let base = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1.0.0"},
        "paths": {"/a": {"get": {"parameters": [], "responses": {"200": {"description": "ok"}}}}}
    });
    let (at, mut head) = with_added_parameter(&base);
    assert_eq!(at, "GET /a");
    head["paths"]["/a"]["get"]["parameters"][0]["required"] = json!(true);
    let changes = diff(("api.yaml", to_yaml(&base)), ("api.yaml", to_yaml(&head)));
    assert_eq!(changes, vec![("openapi.parameter.required-added".to_string(), Class::Breaking)]);
}
