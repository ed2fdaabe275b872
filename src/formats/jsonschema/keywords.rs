//! String keywords (`pattern`, `format`), `default`, and the JSON Schema 2020-12 keywords that
//! OpenAPI 3.1 brings: `if`/`then`/`else`, `dependentRequired`, `dependentSchemas`,
//! `patternProperties`, `propertyNames`, `unevaluatedItems`/`unevaluatedProperties`, `contains`,
//! `contentEncoding`/`contentMediaType`/`contentSchema`.

use super::walk::{kw_or_node, member_path, show, sub, Pair, Walker};
use crate::doc::{Node, Value};

pub(super) fn compare_annotations(w: &mut Walker, p: &Pair<'_>, path: &str) {
    pattern(w, p, path);
    text_keyword(w, p, path, "format", "format");
    default(w, p, path);
}

pub(super) fn compare_applicators(w: &mut Walker, p: &Pair<'_>, path: &str) {
    conditional(w, p, path);
    dependent_required(w, p, path);
    keyed_schemas(w, p, path, "dependentSchemas", "dependent-schema");
    keyed_schemas(w, p, path, "patternProperties", "pattern-property");
    for (kw, stem) in
        [("propertyNames", "property-names"), ("contains", "contains"), ("contentSchema", "content-schema")]
    {
        subschema(w, p, path, kw, stem);
    }
    for (kw, stem) in [("unevaluatedProperties", "unevaluated-properties"), ("unevaluatedItems", "unevaluated-items")] {
        unevaluated(w, p, path, kw, stem);
    }
    for (kw, stem) in [("contentEncoding", "content-encoding"), ("contentMediaType", "content-media-type")] {
        let (b, h) = (p.b.node.get(kw), p.h.node.get(kw));
        if b != h {
            let msg = format!("{kw} changed from {} to {}", opt(b), opt(h));
            w.emit_kw(p, kw, &format!("{stem}-changed"), path, msg);
        }
    }
}

fn opt(n: Option<&Node>) -> String {
    n.map(show).unwrap_or_else(|| "none".to_string())
}

/// Patterns that match every string are no pattern at all.
fn pattern_of(node: &Node) -> Option<&str> {
    node.get("pattern").and_then(Node::as_str).filter(|s| !matches!(*s, "" | ".*" | "^.*$" | "^.*" | ".*$"))
}

fn pattern(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let (aspect, msg) = match (pattern_of(p.b.node), pattern_of(p.h.node)) {
        (Some(b), Some(h)) if b != h => ("pattern-changed", format!("pattern changed from {b} to {h}")),
        (None, Some(h)) => ("pattern-added", format!("pattern {h} was added")),
        (Some(b), None) => ("pattern-removed", format!("pattern {b} was removed")),
        _ => return,
    };
    w.emit_kw(p, "pattern", aspect, path, msg);
}

/// A string keyword compared as added, removed or changed (`format`).
fn text_keyword(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str, stem: &str) {
    let (b, h) = (p.b.node.get(kw).and_then(Node::as_str), p.h.node.get(kw).and_then(Node::as_str));
    let (aspect, msg) = match (b, h) {
        (Some(b), Some(h)) if b != h => (format!("{stem}-changed"), format!("{kw} changed from {b} to {h}")),
        (None, Some(h)) => (format!("{stem}-added"), format!("{kw} {h} was added")),
        (Some(b), None) => (format!("{stem}-removed"), format!("{kw} {b} was removed")),
        _ => return,
    };
    w.emit_kw(p, kw, &aspect, path, msg);
}

fn default(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let kw = "default";
    let (b, h) = (p.b_outer.node.get(kw).or(p.b.node.get(kw)), p.h_outer.node.get(kw).or(p.h.node.get(kw)));
    let (aspect, msg) = match (b, h) {
        (Some(b), Some(h)) if b != h => ("default-changed", format!("default changed from {} to {}", show(b), show(h))),
        (None, Some(h)) => ("default-added", format!("default {} was added", show(h))),
        (Some(b), None) => ("default-removed", format!("default {} was removed", show(b))),
        _ => return,
    };
    w.emit_kw(p, kw, aspect, path, msg);
}

/// `if` decides which of `then`/`else` applies: a changed condition is incomparable; the branches
/// are compared like any subschema.
fn conditional(w: &mut Walker, p: &Pair<'_>, path: &str) {
    match (p.b.node.get("if"), p.h.node.get("if")) {
        (Some(b), Some(h)) if b != h => w.emit_kw(p, "if", "if-changed", path, "the if condition changed".into()),
        (None, Some(_)) => w.emit_kw(p, "if", "if-added", path, "an if condition was added".into()),
        (Some(_), None) => w.emit_kw(p, "if", "if-removed", path, "the if condition was removed".into()),
        _ => {}
    }
    subschema(w, p, path, "then", "then");
    subschema(w, p, path, "else", "else");
}

/// A keyword holding one subschema: added, removed, or compared recursively.
fn subschema(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str, stem: &str) {
    match (p.b.node.get(kw), p.h.node.get(kw)) {
        (Some(b), Some(h)) => w.compare(sub(p.b, b), sub(p.h, h), &format!("{path}.{kw}")),
        (None, Some(_)) => w.emit_kw(p, kw, &format!("{stem}-added"), path, format!("a {kw} subschema was added")),
        (Some(_), None) => {
            w.emit_kw(p, kw, &format!("{stem}-removed"), path, format!("the {kw} subschema was removed"))
        }
        (None, None) => {}
    }
}

/// A keyword holding a map of subschemas (`dependentSchemas`, `patternProperties`).
fn keyed_schemas(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str, stem: &str) {
    let (bm, hm) = (p.b.node.get(kw).and_then(Node::as_map), p.h.node.get(kw).and_then(Node::as_map));
    if bm.is_none() && hm.is_none() {
        return;
    }
    let empty = indexmap::IndexMap::new();
    let (bm, hm) = (bm.unwrap_or(&empty), hm.unwrap_or(&empty));
    let at = |key: &str| member_path(&format!("{path}.{kw}"), key);
    for (key, be) in bm {
        match hm.get(key) {
            Some(he) => w.compare(sub(p.b, &be.value), sub(p.h, &he.value), &at(key)),
            None => {
                let msg = format!("{kw} entry {key} was removed");
                w.emit(
                    &format!("{stem}-removed"),
                    &at(key),
                    msg,
                    Some(p.b.doc.loc(be.key_span)),
                    Some(kw_or_node(p.h, kw)),
                );
            }
        }
    }
    for (key, he) in hm.iter().filter(|(k, _)| !bm.contains_key(*k)) {
        let msg = format!("{kw} entry {key} was added");
        w.emit(&format!("{stem}-added"), &at(key), msg, Some(kw_or_node(p.b, kw)), Some(p.h.doc.loc(he.key_span)));
    }
}

/// `dependentRequired`: `{a: [b, c]}` requires b and c whenever a is present.
fn dependent_required(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let kw = "dependentRequired";
    let (bm, hm) = (p.b.node.get(kw).and_then(Node::as_map), p.h.node.get(kw).and_then(Node::as_map));
    if bm.is_none() && hm.is_none() {
        return;
    }
    let empty = indexmap::IndexMap::new();
    let (bm, hm) = (bm.unwrap_or(&empty), hm.unwrap_or(&empty));
    let names =
        |n: &Node| n.as_seq().unwrap_or(&[]).iter().filter_map(Node::as_str).map(str::to_string).collect::<Vec<_>>();
    for (key, be) in bm {
        let (b_loc, at) = (Some(p.b.doc.loc(be.key_span)), member_path(path, key));
        match hm.get(key) {
            Some(he) if he.value != be.value => {
                let msg = format!(
                    "dependentRequired of {key} changed from [{}] to [{}]",
                    names(&be.value).join(", "),
                    names(&he.value).join(", ")
                );
                w.emit("dependent-required-changed", &at, msg, b_loc, Some(p.h.doc.loc(he.key_span)));
            }
            Some(_) => {}
            None => {
                let msg = format!("dependentRequired of {key} ([{}]) was removed", names(&be.value).join(", "));
                w.emit("dependent-required-removed", &at, msg, b_loc, Some(kw_or_node(p.h, kw)));
            }
        }
    }
    for (key, he) in hm.iter().filter(|(k, _)| !bm.contains_key(*k)) {
        let msg = format!("dependentRequired of {key} ([{}]) was added", names(&he.value).join(", "));
        w.emit(
            "dependent-required-added",
            &member_path(path, key),
            msg,
            Some(kw_or_node(p.b, kw)),
            Some(p.h.doc.loc(he.key_span)),
        );
    }
}

/// `unevaluatedProperties`/`unevaluatedItems`: absent or `true` admits anything; `false` or a
/// schema constrains.
fn unevaluated(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str, stem: &str) {
    let constrains = |n: Option<&Node>| n.is_some_and(|v| !matches!(v.value, Value::Bool(true)));
    let (b, h) = (p.b.node.get(kw), p.h.node.get(kw));
    match (constrains(b), constrains(h)) {
        (false, true) => w.emit_kw(p, kw, &format!("{stem}-added"), path, format!("an {kw} constraint was added")),
        (true, false) => w.emit_kw(p, kw, &format!("{stem}-removed"), path, format!("the {kw} constraint was removed")),
        (true, true) => match (b, h) {
            (Some(b), Some(h)) if b.as_map().is_some() && h.as_map().is_some() => {
                w.compare(sub(p.b, b), sub(p.h, h), &format!("{path}.{kw}"))
            }
            (Some(b), Some(h)) if b.as_bool() == Some(false) && h.as_map().is_some() => {
                w.emit_kw(p, kw, &format!("{stem}-removed"), path, format!("{kw} was false and now admits a schema"))
            }
            (Some(b), Some(h)) if b.as_map().is_some() && h.as_bool() == Some(false) => {
                w.emit_kw(p, kw, &format!("{stem}-added"), path, format!("{kw} was a schema and is now false"))
            }
            _ => {}
        },
        (false, false) => {}
    }
}
