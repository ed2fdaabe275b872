//! Object and array structure: `properties` with `required` (read through `readOnly`/`writeOnly`,
//! which say who sends a property), `additionalProperties`, `items` and `prefixItems`.

use super::walk::{annotation_only, flag, kw_loc, kw_or_node, member_path, resolve, sub, Pair, Walker};
use super::{Direction, Side};
use crate::change::Removal;
use crate::doc::{Entry, Node, Value};
use indexmap::IndexMap;

pub(super) fn compare(w: &mut Walker, p: &Pair<'_>, path: &str) {
    properties(w, p, path);
    additional_properties(w, p, path);
    items(w, p, path);
    prefix_items(w, p, path);
}

fn props(node: &Node) -> Option<&IndexMap<String, Entry>> {
    node.get("properties").and_then(Node::as_map)
}

fn required_names(node: &Node) -> Vec<&str> {
    node.get("required").and_then(Node::as_seq).unwrap_or(&[]).iter().filter_map(Node::as_str).collect()
}

/// Whether the property must be present in the data this use site carries: a `readOnly`
/// property is never sent in requests, a `writeOnly` one never appears in responses.
fn must_send(dir: Direction, listed: bool, prop: Option<Side<'_>>) -> bool {
    let Some(prop) = prop else { return listed };
    listed && !excluded(dir, prop)
}

/// The property does not travel in this direction at all.
fn excluded(dir: Direction, prop: Side<'_>) -> bool {
    match dir {
        Direction::Request => flag(prop, "readOnly"),
        Direction::Response => flag(prop, "writeOnly"),
    }
}

fn properties(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let empty = IndexMap::new();
    let (bp, hp) = (props(p.b.node).unwrap_or(&empty), props(p.h.node).unwrap_or(&empty));
    let (br, hr) = (required_names(p.b.node), required_names(p.h.node));

    for (name, be) in bp {
        let at = member_path(path, name);
        let b_side = sub(p.b, &be.value);
        let b_req = must_send(w.dir, br.contains(&name.as_str()), Some(b_side));
        match hp.get(name) {
            Some(he) => {
                let h_side = sub(p.h, &he.value);
                let h_req = must_send(w.dir, hr.contains(&name.as_str()), Some(h_side));
                let locs = (Some(p.b.doc.loc(be.key_span)), Some(p.h.doc.loc(he.key_span)));
                requiredness(w, &at, name, b_req, h_req, p, locs.clone());
                access(w, &at, name, b_side, h_side, locs);
                w.compare(b_side, h_side, &at);
            }
            None => {
                if excluded(w.dir, b_side) {
                    continue; // never travelled this way: removing it changes nothing here
                }
                let (aspect, what) =
                    if b_req { ("required-property-removed", "required") } else { ("property-removed", "optional") };
                let removal = removal_facts(b_side);
                let change = w
                    .change(aspect, &at, format!("{what} property {name} was removed"))
                    .at(Some(p.b.doc.loc(be.key_span)), Some(kw_or_node(p.h, "properties")))
                    .removal(removal);
                w.push(change);
            }
        }
    }
    for (name, he) in hp.iter().filter(|(n, _)| !bp.contains_key(*n)) {
        let at = member_path(path, name);
        let h_side = sub(p.h, &he.value);
        let h_req = must_send(w.dir, hr.contains(&name.as_str()), Some(h_side));
        let (aspect, what) =
            if h_req { ("required-property-added", "required") } else { ("property-added", "optional") };
        let msg = format!("{what} property {name} was added");
        w.emit(aspect, &at, msg, Some(kw_or_node(p.b, "properties")), Some(p.h.doc.loc(he.key_span)));
    }
    // `required` may name properties declared elsewhere (an allOf branch) or nowhere.
    let undeclared = |n: &&str| !bp.contains_key(*n) && !hp.contains_key(*n);
    let mut names: Vec<&str> = br.iter().copied().filter(undeclared).collect();
    names.extend(hr.iter().copied().filter(undeclared).filter(|n| !br.contains(n)));
    for name in names {
        let at = member_path(path, name);
        let locs = (Some(kw_or_node(p.b, "required")), Some(kw_or_node(p.h, "required")));
        requiredness(w, &at, name, br.contains(&name), hr.contains(&name), p, locs);
    }
}

#[allow(clippy::too_many_arguments)]
fn requiredness(
    w: &mut Walker,
    at: &str,
    name: &str,
    b_req: bool,
    h_req: bool,
    p: &Pair<'_>,
    locs: (Option<crate::change::Loc>, Option<crate::change::Loc>),
) {
    let (base, head) = (locs.0.or_else(|| kw_loc(p.b, "required")), locs.1.or_else(|| kw_loc(p.h, "required")));
    match (b_req, h_req) {
        (false, true) => w.emit("property-became-required", at, format!("property {name} became required"), base, head),
        (true, false) => w.emit("property-became-optional", at, format!("property {name} became optional"), base, head),
        _ => {}
    }
}

/// `readOnly`/`writeOnly` turned on: who may send the property changed.
fn access(
    w: &mut Walker,
    at: &str,
    name: &str,
    b: Side<'_>,
    h: Side<'_>,
    locs: (Option<crate::change::Loc>, Option<crate::change::Loc>),
) {
    for (kw, aspect, what) in [
        ("readOnly", "property-became-read-only", "read-only"),
        ("writeOnly", "property-became-write-only", "write-only"),
    ] {
        if !flag(b, kw) && flag(h, kw) {
            w.emit(aspect, at, format!("property {name} became {what}"), locs.0.clone(), locs.1.clone());
        }
    }
}

fn removal_facts(prop: Side<'_>) -> Removal {
    let (outer, inner) = resolve(prop);
    let sunset = [outer, inner].iter().find_map(|s| s.node.get("x-sunset").and_then(Node::as_str).map(str::to_string));
    Removal { deprecated_in_base: flag(prop, "deprecated"), sunset }
}

/// What `additionalProperties` admits: anything (absent, `true`, `{}`), nothing (`false`), or
/// members matching a schema.
enum Extra<'a> {
    Any,
    Nothing,
    Schema(&'a Node),
}

fn extra(node: &Node) -> Extra<'_> {
    match node.get("additionalProperties") {
        None => Extra::Any,
        Some(v) => match &v.value {
            Value::Bool(true) => Extra::Any,
            Value::Bool(false) => Extra::Nothing,
            Value::Map(m) if m.is_empty() || annotation_only(v) => Extra::Any,
            Value::Map(_) => Extra::Schema(v),
            _ => Extra::Any,
        },
    }
}

fn additional_properties(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let kw = "additionalProperties";
    let (narrowed, widened) = ("additional-properties-narrowed", "additional-properties-widened");
    match (extra(p.b.node), extra(p.h.node)) {
        (Extra::Any, Extra::Nothing) | (Extra::Schema(_), Extra::Nothing) => w.emit_kw(
            p,
            kw,
            narrowed,
            path,
            "additionalProperties became false: undeclared properties are now rejected".into(),
        ),
        (Extra::Any, Extra::Schema(_)) => {
            w.emit_kw(p, kw, narrowed, path, "additionalProperties was restricted to a schema".into())
        }
        (Extra::Nothing, Extra::Any) | (Extra::Nothing, Extra::Schema(_)) => w.emit_kw(
            p,
            kw,
            widened,
            path,
            "additionalProperties was false and now allows undeclared properties".into(),
        ),
        (Extra::Schema(_), Extra::Any) => {
            w.emit_kw(p, kw, widened, path, "additionalProperties no longer restricts undeclared properties".into())
        }
        (Extra::Schema(b), Extra::Schema(h)) => w.compare(sub(p.b, b), sub(p.h, h), &format!("{path}.*")),
        _ => {}
    }
}

fn items(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let (b, h) = (p.b.node.get("items"), p.h.node.get("items"));
    if let (Some(b), Some(h)) = (b, h) {
        if b.as_map().is_some() && h.as_map().is_some() || b.as_bool().is_some() || h.as_bool().is_some() {
            w.compare(sub(p.b, b), sub(p.h, h), &format!("{path}[]"));
        }
    }
}

/// `prefixItems` (3.1), or a draft-4 style `items` array: position by position.
fn tuple(node: &Node) -> Option<&Node> {
    node.get("prefixItems").or_else(|| node.get("items").filter(|i| i.as_seq().is_some()))
}

fn prefix_items(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let (bt, ht) = (tuple(p.b.node), tuple(p.h.node));
    let (b, h) = (bt.and_then(Node::as_seq).unwrap_or(&[]), ht.and_then(Node::as_seq).unwrap_or(&[]));
    for i in 0..b.len().max(h.len()) {
        let at = format!("{path}[{i}]");
        match (b.get(i), h.get(i)) {
            (Some(bi), Some(hi)) => w.compare(sub(p.b, bi), sub(p.h, hi), &at),
            (None, Some(hi)) => {
                let base = Some(kw_or_node(p.b, "prefixItems"));
                w.emit(
                    "prefix-items-added",
                    &at,
                    format!("prefixItems entry {i} was added"),
                    base,
                    Some(p.h.doc.loc(hi.span)),
                )
            }
            (Some(bi), None) => {
                let head = Some(kw_or_node(p.h, "prefixItems"));
                w.emit(
                    "prefix-items-removed",
                    &at,
                    format!("prefixItems entry {i} was removed"),
                    Some(p.b.doc.loc(bi.span)),
                    head,
                )
            }
            (None, None) => {}
        }
    }
}
