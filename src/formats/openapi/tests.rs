//! Engine tests over in-memory revisions: what each part reports, where it points, and that
//! malformed-but-parseable documents yield no panic.

use super::diff;
use crate::change::Change;
use crate::doc::{RefPolicy, Workspace};
use crate::source::mem::MemTree;

/// A revision held in memory from `(path, text)` pairs, the first being the entry document.
fn workspace(files: &[(&'static str, &str)]) -> Workspace {
    let tree = MemTree::new("memory", files.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())));
    Workspace::load(&tree, files[0].0, RefPolicy::default()).expect("test document loads")
}

/// Wrap `paths:` YAML (indented by 2) into a minimal 3.0 document.
fn doc(body: &str) -> String {
    format!("openapi: 3.0.3\ninfo:\n  title: t\n  version: 1.0.0\n{body}")
}

fn changes(base: &str, head: &str) -> Vec<Change> {
    diff(&workspace(&[("t.yaml", base)]), &workspace(&[("t.yaml", head)]))
}

fn rules(base: &str, head: &str) -> Vec<String> {
    changes(base, head).into_iter().map(|c| c.rule).collect()
}

const PETS: &str = "paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: OK\n";

#[test]
fn identical_documents_yield_nothing() {
    let d = doc(PETS);
    assert!(changes(&d, &d).is_empty());
}

#[test]
fn removed_operation_points_at_its_method_and_carries_deprecation_facts() {
    let base = doc(
        "paths:\n  /pets:\n    get:\n      deprecated: true\n      x-sunset: '2025-01-01'\n      responses: {}\n    post:\n      responses: {}\n",
    );
    let head = doc("paths:\n  /pets:\n    post:\n      responses: {}\n");
    let got = changes(&base, &head);
    assert_eq!(got.len(), 1, "{got:?}");
    let c = &got[0];
    assert_eq!((c.rule.as_str(), c.locus.as_str()), ("openapi.operation.removed", "GET /pets"));
    assert_eq!(c.base.as_ref().map(|l| (l.line, l.column)), Some((7, 5)));
    let removal = c.removal.as_ref().expect("removal facts");
    assert!(removal.deprecated_in_base);
    assert_eq!(removal.sunset.as_deref(), Some("2025-01-01"));
}

#[test]
fn renamed_path_variable_is_the_same_path() {
    let base = doc("paths:\n  /pets/{id}:\n    get:\n      parameters:\n      - {name: id, in: path, required: true, schema: {type: string}}\n      responses: {}\n");
    let head = doc("paths:\n  /pets/{petId}:\n    get:\n      parameters:\n      - {name: petId, in: path, required: true, schema: {type: string}}\n      responses: {}\n");
    assert!(rules(&base, &head).is_empty());
}

#[test]
fn path_level_parameters_merge_into_operations() {
    let base = doc("paths:\n  /pets:\n    parameters:\n    - {name: limit, in: query, schema: {type: integer}}\n    get:\n      responses: {}\n");
    let moved = doc("paths:\n  /pets:\n    get:\n      parameters:\n      - {name: limit, in: query, schema: {type: integer}}\n      responses: {}\n");
    assert!(rules(&base, &moved).is_empty());
    // An operation-level parameter overrides the path-level one with the same location and name.
    let overridden = doc("paths:\n  /pets:\n    parameters:\n    - {name: limit, in: query, schema: {type: integer}}\n    get:\n      parameters:\n      - {name: limit, in: query, required: true, schema: {type: integer}}\n      responses: {}\n");
    assert_eq!(rules(&base, &overridden), ["openapi.parameter.became-required"]);
}

#[test]
fn header_parameters_match_case_insensitively() {
    let base = doc("paths:\n  /pets:\n    get:\n      parameters:\n      - {name: X-Trace, in: header, schema: {type: string}}\n      responses: {}\n");
    let head = doc("paths:\n  /pets:\n    get:\n      parameters:\n      - {name: x-trace, in: header, schema: {type: string}}\n      responses: {}\n");
    assert!(rules(&base, &head).is_empty());
}

#[test]
fn parameter_schemas_go_to_the_core_as_requests() {
    let base = doc("paths:\n  /pets:\n    get:\n      parameters:\n      - {name: kind, in: query, schema: {type: string}}\n      responses: {}\n");
    let head = doc("paths:\n  /pets:\n    get:\n      parameters:\n      - {name: kind, in: query, schema: {type: string, enum: [cat, dog]}}\n      responses: {}\n");
    let got = changes(&base, &head);
    assert!(!got.is_empty());
    for c in &got {
        assert!(c.rule.starts_with("openapi.request."), "{c:?}");
        assert!(c.locus.starts_with("GET /pets query kind"), "{c:?}");
    }
}

#[test]
fn refs_are_followed_across_files_and_point_into_the_target_file() {
    let base_root = doc("paths:\n  /pets:\n    $ref: 'items.yaml#/pets'\n");
    let base_items = "pets:\n  get:\n    parameters:\n    - $ref: '#/limit'\n    responses: {}\nlimit:\n  name: limit\n  in: query\n  schema: {type: integer}\n";
    let head_items = "pets:\n  get:\n    parameters:\n    - $ref: '#/limit'\n    responses: {}\nlimit:\n  name: limit\n  in: query\n  required: true\n  schema: {type: integer}\n";
    let base = workspace(&[("t.yaml", &base_root), ("items.yaml", base_items)]);
    let head = workspace(&[("t.yaml", &base_root), ("items.yaml", head_items)]);
    let got = diff(&base, &head);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].rule, "openapi.parameter.became-required");
    assert_eq!(got[0].head.as_ref().map(|l| (l.file.as_str(), l.line)), Some(("items.yaml", 7)));
}

#[test]
fn global_security_is_compared_per_operation() {
    let schemes = "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n";
    let open = doc(&format!("{PETS}{schemes}"));
    let global = doc(&format!("security:\n- key: []\n{PETS}{schemes}"));
    let got = changes(&open, &global);
    assert_eq!(
        got.iter().map(|c| (c.rule.as_str(), c.locus.as_str())).collect::<Vec<_>>(),
        [("openapi.security.added", "GET /pets security")]
    );
    assert_eq!(rules(&global, &open), ["openapi.security.removed"]);
    // Moving the requirement onto the operation changes nothing for it.
    let own = doc(&format!(
        "paths:\n  /pets:\n    get:\n      security:\n      - key: []\n      responses:\n        '200':\n          description: OK\n{schemes}"
    ));
    assert!(rules(&global, &own).is_empty());
    // An operation that opts out with an empty list is open.
    let opted_out = doc(&format!(
        "security:\n- key: []\npaths:\n  /pets:\n    get:\n      security: []\n      responses:\n        '200':\n          description: OK\n{schemes}"
    ));
    assert_eq!(rules(&global, &opted_out), ["openapi.security.removed"]);
}

#[test]
fn webhooks_flip_the_schema_direction() {
    let hook = |props: &str| {
        format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: 1.0.0}}\nwebhooks:\n  petAdded:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n{props}      responses:\n        '200':\n          description: OK\n"
        )
    };
    let base = hook("                id: {type: string}\n                name: {type: string}\n");
    let head = hook("                id: {type: string}\n");
    let got = changes(&base, &head);
    assert!(!got.is_empty());
    for c in &got {
        // The API writes the webhook's request, so a property it stops sending is read as a
        // response change by receivers.
        assert!(c.rule.starts_with("openapi.response."), "{c:?}");
        assert!(c.locus.starts_with("POST webhook petAdded request application/json"), "{c:?}");
    }
}

#[test]
fn status_and_media_type_changes() {
    let base = doc("paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json: {}\n            application/xml: {}\n        '404':\n          description: no\n");
    let head = doc("paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json: {}\n        2XX:\n          description: other\n");
    assert_eq!(
        rules(&base, &head),
        [
            "openapi.response-media-type.removed",
            "openapi.response-status.non-success-removed",
            "openapi.response-status.success-added"
        ]
    );
}

#[test]
fn malformed_shapes_are_skipped_without_panic() {
    let shapes = [
        "paths: 3\n",
        "paths:\n  /pets: []\n",
        "paths:\n  /pets:\n    get: hello\n",
        "paths:\n  /pets:\n    parameters: {a: 1}\n    get:\n      parameters: [1, {in: 3}, {name: x}]\n      responses: [1]\n",
        "paths:\n  /pets:\n    get:\n      requestBody: true\n      responses:\n        '200': 5\n        '201':\n          headers: 7\n          content: [x]\n",
        "security: {a: 1}\npaths:\n  /pets:\n    get:\n      security: [1, {key: 2}]\n      responses: {}\nservers: {a: b}\ncomponents:\n  securitySchemes: [1]\n",
        "info: 3\nwebhooks: [1]\n",
    ];
    let good = doc("security:\n- key: [read]\nservers:\n- url: https://x\npaths:\n  /pets:\n    parameters:\n    - {name: a, in: query}\n    get:\n      security:\n      - key: [a]\n      parameters:\n      - {name: x, in: query}\n      requestBody:\n        content:\n          application/json: {schema: {type: object}}\n      responses:\n        '200':\n          headers:\n            X-A: {schema: {type: string}}\n          content:\n            application/json: {schema: {type: string}}\n");
    for shape in shapes {
        let bad = if shape.starts_with("info") { format!("openapi: 3.1.0\n{shape}") } else { doc(shape) };
        let _ = changes(&good, &bad);
        let _ = changes(&bad, &good);
        let _ = changes(&bad, &bad);
    }
}

#[test]
fn output_follows_document_order() {
    let base =
        doc("paths:\n  /b:\n    get: {responses: {}}\n  /a:\n    get: {responses: {}}\n    put: {responses: {}}\n");
    let head = doc("paths:\n  /c:\n    get: {responses: {}}\n");
    let got: Vec<String> = changes(&base, &head).into_iter().map(|c| format!("{} {}", c.rule, c.locus)).collect();
    assert_eq!(
        got,
        [
            "openapi.operation.removed GET /b",
            "openapi.operation.removed GET /a",
            "openapi.operation.removed PUT /a",
            "openapi.operation.added GET /c"
        ]
    );
}
