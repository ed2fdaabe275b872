//! Numeric, length and size bounds, `multipleOf` and `uniqueItems`.
//!
//! A bound set where there was none counts as tightened (a `max*` "decreased" from infinity, a
//! `min*` "increased" from nothing); a bound removed counts as relaxed.

use super::walk::{show_num, Pair, Walker};
use crate::doc::Node;

/// Whether a bound limits from above (`maxLength`) or from below (`minLength`).
#[derive(Clone, Copy, PartialEq)]
enum Limit {
    Upper,
    Lower,
}

/// keyword, limit, aspect stem (`max-length` gives `max-length-decreased`/`-increased`).
const BOUNDS: &[(&str, Limit, &str)] = &[
    ("maxLength", Limit::Upper, "max-length"),
    ("minLength", Limit::Lower, "min-length"),
    ("maximum", Limit::Upper, "max"),
    ("minimum", Limit::Lower, "min"),
    ("maxItems", Limit::Upper, "max-items"),
    ("minItems", Limit::Lower, "min-items"),
    ("maxProperties", Limit::Upper, "max-properties"),
    ("minProperties", Limit::Lower, "min-properties"),
    ("maxContains", Limit::Upper, "max-contains"),
    ("minContains", Limit::Lower, "min-contains"),
];

pub(super) fn compare(w: &mut Walker, p: &Pair<'_>, path: &str) {
    for &(kw, limit, stem) in BOUNDS {
        let b = p.b.node.get(kw).and_then(Node::as_f64);
        let h = p.h.node.get(kw).and_then(Node::as_f64);
        bound(w, p, path, kw, limit, stem, b, h);
    }
    exclusive(w, p, path, "exclusiveMaximum", "maximum", Limit::Upper, "exclusive-max");
    exclusive(w, p, path, "exclusiveMinimum", "minimum", Limit::Lower, "exclusive-min");
    multiple_of(w, p, path);
    unique_items(w, p, path);
}

#[allow(clippy::too_many_arguments)]
fn bound(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str, limit: Limit, stem: &str, b: Option<f64>, h: Option<f64>) {
    let (down, up) = (format!("{stem}-decreased"), format!("{stem}-increased"));
    let (aspect, msg) = match (b, h) {
        (Some(b), Some(h)) if h < b => (down, format!("{kw} decreased from {} to {}", show_num(b), show_num(h))),
        (Some(b), Some(h)) if h > b => (up, format!("{kw} increased from {} to {}", show_num(b), show_num(h))),
        (None, Some(h)) => {
            let aspect = if limit == Limit::Upper { down } else { up };
            (aspect, format!("{kw} was set to {}", show_num(h)))
        }
        (Some(b), None) => {
            let aspect = if limit == Limit::Upper { up } else { down };
            (aspect, format!("{kw} {} was removed", show_num(b)))
        }
        _ => return,
    };
    w.emit_kw(p, kw, &aspect, path, msg);
}

/// `exclusiveMaximum`/`exclusiveMinimum`: a number in 3.1, a flag on `maximum`/`minimum` in 3.0.
/// A flag turned on tightens like a lowered maximum; a flag read against a number stands for the
/// side's own `maximum`.
fn exclusive(w: &mut Walker, p: &Pair<'_>, path: &str, kw: &str, inclusive: &str, limit: Limit, stem: &str) {
    let (bv, hv) = (p.b.node.get(kw), p.h.node.get(kw));
    let is_flag = |v: Option<&Node>| v.and_then(Node::as_bool).is_some();
    if is_flag(bv) && is_flag(hv) || (is_flag(bv) && hv.is_none()) || (bv.is_none() && is_flag(hv)) {
        let on = |v: Option<&Node>| v.and_then(Node::as_bool).unwrap_or(false);
        let (bo, ho) = (on(bv), on(hv));
        if bo != ho {
            let tightened = ho;
            let aspect = match (limit, tightened) {
                (Limit::Upper, true) | (Limit::Lower, false) => format!("{stem}-decreased"),
                _ => format!("{stem}-increased"),
            };
            let msg = format!("{kw} changed from {bo} to {ho}");
            w.emit_kw(p, kw, &aspect, path, msg);
        }
        return;
    }
    let value = |node: &Node, v: Option<&Node>| match v {
        Some(v) if v.as_bool() == Some(true) => node.get(inclusive).and_then(Node::as_f64),
        Some(v) => v.as_f64(),
        None => None,
    };
    bound(w, p, path, kw, limit, stem, value(p.b.node, bv), value(p.h.node, hv));
}

/// `multipleOf`: a new divisor that is a multiple of the old one tightens; one that divides the old
/// one relaxes; anything else is incomparable.
fn multiple_of(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let kw = "multipleOf";
    let b = p.b.node.get(kw).and_then(Node::as_f64).filter(|x| x.is_finite() && *x > 0.0);
    let h = p.h.node.get(kw).and_then(Node::as_f64).filter(|x| x.is_finite() && *x > 0.0);
    let is_multiple = |a: f64, of: f64| {
        let q = a / of;
        q.is_finite() && (q - q.round()).abs() < 1e-9
    };
    let (aspect, msg) = match (b, h) {
        (Some(b), Some(h)) if b == h => return,
        (Some(b), Some(h)) if is_multiple(h, b) => {
            ("multiple-of-tightened", format!("{kw} changed from {} to {}", show_num(b), show_num(h)))
        }
        (Some(b), Some(h)) if is_multiple(b, h) => {
            ("multiple-of-relaxed", format!("{kw} changed from {} to {}", show_num(b), show_num(h)))
        }
        (Some(b), Some(h)) => ("multiple-of-changed", format!("{kw} changed from {} to {}", show_num(b), show_num(h))),
        (None, Some(h)) => ("multiple-of-tightened", format!("{kw} was set to {}", show_num(h))),
        (Some(b), None) => ("multiple-of-relaxed", format!("{kw} {} was removed", show_num(b))),
        (None, None) => return,
    };
    w.emit_kw(p, kw, aspect, path, msg);
}

fn unique_items(w: &mut Walker, p: &Pair<'_>, path: &str) {
    let on = |n: &Node| n.get("uniqueItems").and_then(Node::as_bool).unwrap_or(false);
    match (on(p.b.node), on(p.h.node)) {
        (false, true) => w.emit_kw(p, "uniqueItems", "unique-items-set", path, "uniqueItems was set to true".into()),
        (true, false) => w.emit_kw(p, "uniqueItems", "unique-items-unset", path, "uniqueItems was unset".into()),
        _ => {}
    }
}
