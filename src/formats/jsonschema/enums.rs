//! Value sets: `enum`, `const` and `x-extensible-enum` (a set clients must treat as open).

use super::walk::{kw_or_node, show, Pair, Walker};
use crate::doc::Node;

pub(super) fn compare(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let (be, he) = (p.b.node.get("enum").and_then(Node::as_seq), p.h.node.get("enum").and_then(Node::as_seq));
    match (be, he) {
        (Some(b), Some(h)) => values(w, p, path, "enum", b, h, "enum-value-removed", "enum-value-added"),
        (None, Some(h)) => {
            let list: Vec<String> = h.iter().map(show).collect();
            let msg = format!("became an enum restricted to [{}]", list.join(", "));
            w.emit_kw(p, "enum", "became-enum", path, msg);
        }
        (Some(b), None) => {
            let list: Vec<String> = b.iter().map(show).collect();
            let msg = format!("enum [{}] was removed, so any value is now allowed", list.join(", "));
            w.emit_kw(p, "enum", "enum-removed", path, msg);
        }
        (None, None) => {}
    }

    let kw = "x-extensible-enum";
    if let (Some(b), Some(h)) = (p.b.node.get(kw).and_then(Node::as_seq), p.h.node.get(kw).and_then(Node::as_seq)) {
        values(w, p, path, kw, b, h, "x-extensible-enum-value-removed", "x-extensible-enum-value-added");
    }

    match (p.b.node.get("const"), p.h.node.get("const")) {
        (Some(b), Some(h)) if b != h => {
            let msg = format!("const changed from {} to {}", show(b), show(h));
            w.emit_kw(p, "const", "const-changed", path, msg);
        }
        (None, Some(h)) => w.emit_kw(p, "const", "const-added", path, format!("const {} was set", show(h))),
        (Some(b), None) => w.emit_kw(p, "const", "const-removed", path, format!("const {} was removed", show(b))),
        _ => {}
    }
}

/// One finding per value removed (pointing at it in base) and per value added (in head).
#[allow(clippy::too_many_arguments)]
fn values(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str, b: &[Node], h: &[Node], removed: &str, added: &str) {
    for v in b.iter().filter(|v| !h.contains(v)) {
        let msg = format!("{kw} value {} was removed", show(v));
        w.emit(removed, path, msg, Some(p.b.doc.loc(v.span)), Some(kw_or_node(p.h, kw)));
    }
    for v in h.iter().filter(|v| !b.contains(v)) {
        let msg = format!("{kw} value {} was added", show(v));
        w.emit(added, path, msg, Some(kw_or_node(p.b, kw)), Some(p.h.doc.loc(v.span)));
    }
}
