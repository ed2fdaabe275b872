//! Composition: `oneOf`/`anyOf` alternatives, `allOf` conjuncts, `not`, the discriminator, and
//! boolean schemas.
//!
//! Alternatives are matched branch to branch (same `$ref` target, then equal, then same title,
//! then same type, then same position) and matched branches are compared recursively. When only
//! one side has alternatives (a schema wrapped into a `oneOf`, or unwrapped from one), every
//! branch the writer may produce must be readable by some branch of the reader.

use super::trial::Score;
use super::types::{declared, is_null_schema};
use super::walk::{annotation_only, deref, kw_or_node, node_loc, sub, Pair, Walker};
use super::{Direction, Side};
use crate::doc::{Node, Value};

pub(super) fn compare(w: &mut Walker, p: &Pair<'_>, path: &str) {
    alternatives(w, p, path);
    conjuncts(w, p, path);
    negation(w, p, path);
    discriminator(w, p, path);
}

/// `true`/`false` schemas (3.1). Returns true when it handled the pair.
pub(super) fn boolean_schemas(w: &mut Walker, p: &Pair<'_>, path: &str) -> bool {
    let (b, h) = (p.b.node.as_bool(), p.h.node.as_bool());
    if b.is_none() && h.is_none() {
        return false;
    }
    // What each side admits: everything (`true`, `{}`), nothing (`false`), or something between.
    let admits = |n: &Node| match &n.value {
        Value::Bool(v) => Some(*v),
        Value::Map(_) if annotation_only(n) => Some(true),
        _ => None,
    };
    let (ba, ha) = (admits(p.b.node), admits(p.h.node));
    let msg = format!("schema changed from {} to {}", short(p.b.node), short(p.h.node));
    match (ba, ha) {
        (x, y) if x == y => {}
        (Some(false), _) | (_, Some(true)) => {
            w.emit("type-widened", path, msg, Some(node_loc(p.b)), Some(node_loc(p.h)))
        }
        _ => w.emit("type-narrowed", path, msg, Some(node_loc(p.b)), Some(node_loc(p.h))),
    }
    true
}

fn short(n: &Node) -> String {
    match n.as_bool() {
        Some(b) => b.to_string(),
        None => "a schema".to_string(),
    }
}

/// A composition keyword's branches with their positions, `{type: 'null'}` branches left out
/// (they are nullability, which the types module reports).
fn branches<'a>(node: &'a Node, kw: &str) -> Vec<(usize, &'a Node)> {
    let seq = node.get(kw).and_then(Node::as_seq).unwrap_or(&[]);
    seq.iter().enumerate().filter(|(_, n)| !is_null_schema(n)).collect()
}

/// The alternatives keyword a schema uses: `oneOf` when present, else `anyOf`.
fn alt_kw(node: &Node) -> Option<&'static str> {
    ["oneOf", "anyOf"]
        .into_iter()
        .find(|k| node.get(k).and_then(Node::as_seq).is_some_and(|s| s.iter().any(|n| !is_null_schema(n))))
}

/// Whether the schema offers `oneOf`/`anyOf` alternatives (beyond a null branch).
pub(super) fn has_alternatives(node: &Node) -> bool {
    alt_kw(node).is_some()
}

fn aspect_stem(kw: &str) -> &'static str {
    match kw {
        "oneOf" => "one-of",
        "anyOf" => "any-of",
        _ => "all-of",
    }
}

fn alternatives(w: &mut Walker, p: &Pair<'_>, path: &str) {
    match (alt_kw(p.b.node), alt_kw(p.h.node)) {
        (Some(bk), Some(hk)) => {
            let (b, h) = (branches(p.b.node, bk), branches(p.h.node, hk));
            let (pairs, removed, added) = match_branches(p, &b, &h);
            for (bi, hi) in pairs {
                w.compare(sub(p.b, b[bi].1), sub(p.h, h[hi].1), &format!("{path}.{hk}[{}]", h[hi].0));
            }
            for bi in removed {
                let (i, node) = b[bi];
                let msg = format!("{bk} branch {} was removed", label(sub(p.b, node), i));
                w.emit(
                    &format!("{}-removed", aspect_stem(bk)),
                    &format!("{path}.{bk}[{i}]"),
                    msg,
                    Some(p.b.doc.loc(node.span)),
                    Some(kw_or_node(p.h, hk)),
                );
            }
            for hi in added {
                let (i, node) = h[hi];
                let msg = format!("{hk} branch {} was added", label(sub(p.h, node), i));
                w.emit(
                    &format!("{}-added", aspect_stem(hk)),
                    &format!("{path}.{hk}[{i}]"),
                    msg,
                    Some(kw_or_node(p.b, bk)),
                    Some(p.h.doc.loc(node.span)),
                );
            }
        }
        (None, Some(hk)) => wrapped(w, p, path, hk),
        (Some(bk), None) => unwrapped(w, p, path, bk),
        (None, None) => {}
    }
}

/// Base was one schema; head offers alternatives.
fn wrapped(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str) {
    let h = branches(p.h.node, kw);
    let stem = aspect_stem(kw);
    let msg = format!("the schema was wrapped into a {kw} of {} branches", h.len());
    w.emit(&format!("wrapped-in-{stem}"), path, msg, Some(node_loc(p.b)), Some(kw_or_node(p.h, kw)));
    let readers: Vec<(Side<'_>, String)> = h.iter().map(|(i, n)| (sub(p.h, n), format!("{path}.{kw}[{i}]"))).collect();
    match w.dir {
        // Old clients' payloads must fit some branch, and (for oneOf) only one.
        Direction::Request => best_reader(w, p.b, &readers, kw == "oneOf", path, p),
        // Every branch the new server may send must be readable by old clients.
        Direction::Response => {
            for (side, at) in readers {
                w.compare(p.b, side, &at);
            }
        }
    }
}

/// Base offered alternatives; head is one schema.
fn unwrapped(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str) {
    let b = branches(p.b.node, kw);
    match w.dir {
        // Every kind of payload old clients sent must still be accepted.
        Direction::Request => {
            for (i, n) in b {
                w.compare(sub(p.b, n), p.h, &format!("{path}.{kw}[{i}]"));
            }
        }
        // What the new server sends must fit one of the branches old clients know.
        Direction::Response => {
            let writers: Vec<(Side<'_>, String)> =
                b.iter().map(|(i, n)| (sub(p.b, n), format!("{path}.{kw}[{i}]"))).collect();
            let scores: Vec<Score> = writers.iter().map(|(side, at)| w.trial(*side, p.h, at)).collect();
            if let Some(best) = best(&scores) {
                let (side, at) = &writers[best];
                w.compare(*side, p.h, at);
            }
        }
    }
}

/// Compare the old schema with each new branch and report the comparison with the branch that
/// accepts it best. Two branches that both accept every old payload make a oneOf reject them all.
fn best_reader(
    w: &mut Walker,
    writer: Side<'_>,
    readers: &[(Side<'_>, String)],
    exclusive: bool,
    path: &str,
    p: &Pair<'_>,
) {
    let scores: Vec<Score> = readers.iter().map(|(side, at)| w.trial(writer, *side, at)).collect();
    let accepting = scores.iter().filter(|s| s.accepts()).count();
    if exclusive && accepting >= 2 {
        let msg = format!("{accepting} oneOf branches accept what the old schema accepted, so such payloads match more than one branch and oneOf rejects them");
        w.emit("one-of-ambiguous", path, msg, Some(node_loc(p.b)), Some(kw_or_node(p.h, "oneOf")));
    }
    if let Some(best) = best(&scores) {
        let (side, at) = &readers[best];
        w.compare(writer, *side, at);
    }
}

/// The branch that fits best: fewest breaking findings, then fewest findings, then the first.
fn best(scores: &[Score]) -> Option<usize> {
    (0..scores.len()).min_by_key(|&i| scores[i])
}

/// `allOf`: every conjunct constrains. An added conjunct narrows (unless it only annotates), a
/// removed one widens.
fn conjuncts(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let kw = "allOf";
    let (b, h) = (branches(p.b.node, kw), branches(p.h.node, kw));
    if b.is_empty() && h.is_empty() {
        return;
    }
    let (pairs, removed, added) = match_branches(p, &b, &h);
    for (bi, hi) in pairs {
        w.compare(sub(p.b, b[bi].1), sub(p.h, h[hi].1), &format!("{path}.allOf[{}]", h[hi].0));
    }
    for bi in removed {
        let (i, node) = b[bi];
        let side = sub(p.b, node);
        let aspect =
            if annotation_only(deref(side).0.node) { "all-of-removed-annotation-only" } else { "all-of-removed" };
        let msg = format!("allOf branch {} was removed", label(side, i));
        w.emit(aspect, &format!("{path}.allOf[{i}]"), msg, Some(p.b.doc.loc(node.span)), Some(kw_or_node(p.h, kw)));
    }
    for hi in added {
        let (i, node) = h[hi];
        let side = sub(p.h, node);
        let aspect = if annotation_only(deref(side).0.node) { "all-of-added-annotation-only" } else { "all-of-added" };
        let msg = format!("allOf branch {} was added", label(side, i));
        w.emit(aspect, &format!("{path}.allOf[{i}]"), msg, Some(kw_or_node(p.b, kw)), Some(p.h.doc.loc(node.span)));
    }
}

/// Pair base branches with head branches. Returns (matched pairs, unmatched base, unmatched head)
/// as indices into the two lists, in document order.
#[allow(clippy::type_complexity)]
fn match_branches(
    p: &Pair<'_>,
    b: &[(usize, &Node)],
    h: &[(usize, &Node)],
) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
    let bs: Vec<(Side<'_>, Option<String>)> = b.iter().map(|(_, n)| deref(sub(p.b, n))).collect();
    let hs: Vec<(Side<'_>, Option<String>)> = h.iter().map(|(_, n)| deref(sub(p.h, n))).collect();
    let title = |s: &Side<'_>| s.node.get("title").and_then(Node::as_str).filter(|t| !t.is_empty()).map(str::to_string);
    type Same<'x> = Box<dyn Fn(&(Side<'x>, Option<String>), &(Side<'x>, Option<String>)) -> bool + 'x>;
    let passes: Vec<Same<'_>> = vec![
        Box::new(|x, y| x.1.is_some() && x.1 == y.1),
        Box::new(|x, y| x.0.node == y.0.node),
        Box::new(move |x, y| title(&x.0).is_some() && title(&x.0) == title(&y.0)),
        Box::new(|x, y| declared(x.0.node).is_some() && declared(x.0.node) == declared(y.0.node)),
    ];
    let mut b_of_h: Vec<Option<usize>> = vec![None; h.len()];
    let mut taken = vec![false; b.len()];
    for same in &passes {
        for (bi, bx) in bs.iter().enumerate() {
            if taken[bi] {
                continue;
            }
            if let Some(hi) = (0..h.len()).find(|&hi| b_of_h[hi].is_none() && same(bx, &hs[hi])) {
                b_of_h[hi] = Some(bi);
                taken[bi] = true;
            }
        }
    }
    // Last resort: same position among what is left.
    for (bi, t) in taken.iter_mut().enumerate() {
        if !*t && bi < h.len() && b_of_h[bi].is_none() {
            b_of_h[bi] = Some(bi);
            *t = true;
        }
    }
    let mut pairs: Vec<(usize, usize)> =
        b_of_h.iter().enumerate().filter_map(|(hi, bi)| bi.map(|bi| (bi, hi))).collect();
    pairs.sort();
    let removed = (0..b.len()).filter(|&bi| !taken[bi]).collect();
    let added = (0..h.len()).filter(|&hi| b_of_h[hi].is_none()).collect();
    (pairs, removed, added)
}

/// How a branch is named in messages: its ref target's name, its title, or its position.
fn label(side: Side<'_>, i: usize) -> String {
    if let Some(r) = side.node.get("$ref").and_then(Node::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    match side.node.get("title").and_then(Node::as_str) {
        Some(t) if !t.is_empty() => t.to_string(),
        _ => format!("#{i}"),
    }
}

/// `not`: the subschema describes what is rejected, so it is read the other way round.
fn negation(w: &mut Walker, p: &Pair<'_>, path: &str) {
    match (p.b.node.get("not"), p.h.node.get("not")) {
        (Some(b), Some(h)) => w.flipped(|w| w.compare(sub(p.b, b), sub(p.h, h), &format!("{path}.not"))),
        (None, Some(_)) => w.emit_kw(p, "not", "not-added", path, "a not subschema was added".into()),
        (Some(_), None) => w.emit_kw(p, "not", "not-removed", path, "the not subschema was removed".into()),
        (None, None) => {}
    }
}

fn discriminator(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let kw = "discriminator";
    let (b, h) = match (p.b.node.get(kw), p.h.node.get(kw)) {
        (None, None) => return,
        (None, Some(_)) => return w.emit_kw(p, kw, "discriminator-added", path, "a discriminator was added".into()),
        (Some(_), None) => {
            return w.emit_kw(p, kw, "discriminator-removed", path, "the discriminator was removed".into())
        }
        (Some(b), Some(h)) => (b, h),
    };
    let name = |n: &Node| n.get("propertyName").and_then(Node::as_str).unwrap_or("").to_string();
    if name(b) != name(h) {
        let msg = format!("discriminator propertyName changed from {} to {}", name(b), name(h));
        w.emit_kw(p, kw, "discriminator-property-name-changed", path, msg);
    }
    let (bm, hm) = (b.get("mapping").and_then(Node::as_map), h.get("mapping").and_then(Node::as_map));
    let (bs, hs) = (Side { node: b, ..p.b }, Side { node: h, ..p.h });
    let empty = indexmap::IndexMap::new();
    let (bm, hm) = (bm.unwrap_or(&empty), hm.unwrap_or(&empty));
    for (key, be) in bm {
        match hm.get(key) {
            Some(he) if he.value != be.value => {
                let msg = format!(
                    "discriminator mapping {key} changed from {} to {}",
                    super::walk::show(&be.value),
                    super::walk::show(&he.value)
                );
                w.emit(
                    "discriminator-mapping-changed",
                    path,
                    msg,
                    Some(bs.doc.loc(be.key_span)),
                    Some(hs.doc.loc(he.key_span)),
                );
            }
            Some(_) => {}
            None => {
                let msg = format!("discriminator mapping {key} was removed");
                w.emit(
                    "discriminator-mapping-removed",
                    path,
                    msg,
                    Some(bs.doc.loc(be.key_span)),
                    Some(kw_or_node(hs, "mapping")),
                );
            }
        }
    }
    for (key, he) in hm.iter().filter(|(k, _)| !bm.contains_key(*k)) {
        let msg = format!("discriminator mapping {key} was added");
        w.emit(
            "discriminator-mapping-added",
            path,
            msg,
            Some(kw_or_node(bs, "mapping")),
            Some(hs.doc.loc(he.key_span)),
        );
    }
}
