//! `type` and nullability. OpenAPI 3.0 says `nullable: true`; 3.1 puts `"null"` in a type array or
//! a `{type: 'null'}` branch in `oneOf`/`anyOf`. All three are nullability, never a type change.

use super::walk::{kw_or_node, Pair, Walker};
use super::Side;
use crate::doc::Node;
use std::collections::BTreeSet;

/// The declared types other than `"null"`; `None` when the schema declares no type (any type).
pub(super) fn declared(node: &Node) -> Option<BTreeSet<String>> {
    let t = node.get("type")?;
    let names: Vec<&str> = match t.as_seq() {
        Some(seq) => seq.iter().filter_map(Node::as_str).collect(),
        None => vec![t.as_str()?],
    };
    Some(names.into_iter().filter(|n| *n != "null").map(str::to_string).collect())
}

/// `{type: 'null'}`, `{type: ['null']}` or `{enum: [null]}`: a branch that only admits null.
pub(super) fn is_null_schema(node: &Node) -> bool {
    if let Some(set) = declared(node) {
        return set.is_empty();
    }
    node.get("enum").and_then(Node::as_seq).is_some_and(|v| v.len() == 1 && v[0].is_null())
}

fn admits_null(node: &Node) -> bool {
    if node.get("nullable").and_then(Node::as_bool) == Some(true) {
        return true;
    }
    if let Some(t) = node.get("type") {
        if t.as_str() == Some("null") || t.as_seq().is_some_and(|s| s.iter().any(|n| n.as_str() == Some("null"))) {
            return true;
        }
    }
    ["oneOf", "anyOf"].iter().any(|k| node.get(k).and_then(Node::as_seq).is_some_and(|s| s.iter().any(is_null_schema)))
}

fn nullable(outer: Side<'_>, inner: Side<'_>) -> bool {
    admits_null(outer.node) || admits_null(inner.node)
}

/// The schema constrains its type only through `oneOf`/`anyOf`/`allOf` (the compose module
/// compares those), so a missing `type` here says nothing.
fn composed(node: &Node) -> bool {
    ["oneOf", "anyOf", "allOf"].iter().any(|k| node.get(k).is_some())
}

/// Does a reader declaring `reader` accept a value of type `t`? (An integer is a number.)
fn accepts(reader: &BTreeSet<String>, t: &str) -> bool {
    reader.contains(t) || (t == "integer" && reader.contains("number"))
}

fn show_set(set: &BTreeSet<String>) -> String {
    match set.len() {
        0 => "null".to_string(),
        1 => set.iter().next().cloned().unwrap_or_default(),
        _ => format!("[{}]", set.iter().cloned().collect::<Vec<_>>().join(", ")),
    }
}

pub(super) fn compare(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let bt = declared(p.b.node);
    let ht = declared(p.h.node);
    match (&bt, &ht) {
        (None, None) => {}
        (Some(b), None) => {
            if !composed(p.h.node) {
                let msg = format!("type {} was removed, so any type is now allowed", show_set(b));
                w.emit_kw(p, "type", "type-widened", path, msg);
            }
        }
        (None, Some(h)) => {
            if !composed(p.b.node) {
                let msg = format!("type {} was set where any type was allowed", show_set(h));
                w.emit_kw(p, "type", "type-narrowed", path, msg);
            }
        }
        (Some(b), Some(h)) => {
            let widened = b.iter().all(|t| accepts(h, t));
            let narrowed = h.iter().all(|t| accepts(b, t));
            let msg = |verb: &str| format!("type {verb} from {} to {}", show_set(b), show_set(h));
            match (widened, narrowed) {
                (true, true) => {}
                (true, false) => w.emit_kw(p, "type", "type-widened", path, msg("widened")),
                (false, true) => w.emit_kw(p, "type", "type-narrowed", path, msg("narrowed")),
                (false, false) => w.emit_kw(p, "type", "type-changed", path, msg("changed")),
            }
        }
    }

    // An untyped schema already admits null; its typing change says all there is to say.
    let untyped = |node: &Node| declared(node).is_none() && !composed(node);
    if untyped(p.b.node) || untyped(p.h.node) {
        return;
    }
    let (bn, hn) = (nullable(p.b_outer, p.b), nullable(p.h_outer, p.h));
    if bn != hn {
        let (b, h) = (null_loc(p.b_outer, p.b), null_loc(p.h_outer, p.h));
        let (aspect, msg) = if hn {
            ("became-nullable", "became nullable: null is now allowed")
        } else {
            ("became-not-nullable", "became not nullable: null is no longer allowed")
        };
        w.emit(aspect, path, msg.to_string(), Some(b), Some(h));
    }
}

/// Where nullability is stated: `nullable`, else `type`, else the schema.
fn null_loc(outer: Side<'_>, inner: Side<'_>) -> crate::change::Loc {
    for side in [outer, inner] {
        if side.node.get("nullable").is_some() {
            return kw_or_node(side, "nullable");
        }
    }
    kw_or_node(inner, "type")
}
