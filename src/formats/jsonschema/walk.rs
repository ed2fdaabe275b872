//! The recursion over two schemas: `$ref` following, the cycle guard, the limits (`limits.rs`),
//! and the helpers every aspect module uses to name places and emit findings.

use super::limits::{Limit, Stop, Stops, MAX_NESTING, MAX_STEPS, MAX_TRIAL_STEPS};
use super::memo::Memo;
use super::trial::Frame;
use super::{bounds, compose, enums, keywords, objects, types, Direction, Side};
use crate::change::{Change, Loc};
use crate::doc::{Node, Value};
use std::collections::HashSet;

/// Two schemas being compared, after `$ref`s are followed. `b_outer`/`h_outer` are the schemas as
/// written when `b`/`h` were unwrapped from a single-branch wrapper (`allOf: [$ref]`,
/// `anyOf: [X, {type: 'null'}]`); otherwise the same as `b`/`h`.
#[derive(Clone, Copy)]
pub(super) struct Pair<'a> {
    pub b: Side<'a>,
    pub h: Side<'a>,
    pub b_outer: Side<'a>,
    pub h_outer: Side<'a>,
}

/// The key of a comparison for the once-per-use-site guard: the canonical `$ref` ids of both
/// sides (when either side came through a ref) and the direction.
type GuardKey = (String, String, Direction);

pub(super) struct Walker<'m> {
    pub(super) memo: &'m Memo,
    pub dir: Direction,
    prefix: String,
    locus: String,
    pub out: Vec<Change>,
    /// Ref pairs already compared (or being compared) at this use site. A shared schema reached
    /// along several paths is reported once, at the first path; meeting a pair that is still
    /// being compared is a cycle (a recursive schema).
    pub(super) seen: HashSet<GuardKey>,
    /// Where limits stopped the walk (or a trial it ran): reported as findings of their own.
    pub(super) stops: Stops,
    /// Trials under way, innermost last; empty while the walk itself compares.
    pub(super) frames: Vec<Frame>,
    depth: usize,
    steps: usize,
    trial_steps: usize,
}

impl<'m> Walker<'m> {
    pub fn new(memo: &'m Memo, dir: Direction, prefix: &str, locus: &str) -> Self {
        Walker {
            memo,
            dir,
            prefix: prefix.to_string(),
            locus: locus.to_string(),
            out: Vec::new(),
            seen: HashSet::new(),
            stops: Stops::default(),
            frames: Vec::new(),
            depth: 0,
            steps: 0,
            trial_steps: 0,
        }
    }

    /// The findings, then one per limit the walk reached.
    pub fn finish(self) -> Vec<Change> {
        let Walker { mut out, stops, locus, .. } = self;
        out.extend(stops.into_changes(&locus));
        out
    }

    /// Compare two schemas found at `path`, following `$ref`s on both sides.
    pub fn compare(&mut self, base: Side<'_>, head: Side<'_>, path: &str) {
        let (b_outer, b_id) = deref(base);
        let (h_outer, h_id) = deref(head);
        if let (Some(b_id), Some(h_id)) = (&b_id, &h_id) {
            // Most shared schemas did not change: know it without walking them.
            if self.memo.deep_equal(b_outer, h_outer, (b_id.clone(), h_id.clone())) {
                return;
            }
        }
        let guard =
            (b_id.is_some() || h_id.is_some()).then(|| (b_id.unwrap_or_default(), h_id.unwrap_or_default(), self.dir));
        if guard.as_ref().is_some_and(|key| self.seen.contains(key)) {
            return;
        }
        // Past here something would go uncompared: a limit now is a finding.
        if let Some(limit) = self.limit_reached() {
            let stop = Stop { limit, path: path.to_string(), base: node_loc(b_outer), head: node_loc(h_outer) };
            self.stops.add(stop);
            return;
        }
        if let Some(key) = guard {
            self.seen.insert(key);
        }
        self.depth += 1;
        let b = unwrap_single(b_outer);
        let h = unwrap_single(h_outer);
        self.compare_schemas(Pair { b, h, b_outer, h_outer }, path);
        self.depth -= 1;
    }

    /// Spend one step of the budget in force (the trials' while a trial is under way), or say
    /// which limit stops the comparison.
    fn limit_reached(&mut self) -> Option<Limit> {
        if self.depth >= MAX_NESTING {
            return Some(Limit::Nesting);
        }
        let (spent, max, limit) = if self.frames.is_empty() {
            (&mut self.steps, MAX_STEPS, Limit::Steps)
        } else {
            (&mut self.trial_steps, MAX_TRIAL_STEPS, Limit::Trials)
        };
        if *spent >= max {
            return Some(limit);
        }
        *spent += 1;
        None
    }

    fn compare_schemas(&mut self, p: Pair<'_>, path: &str) {
        if compose::boolean_schemas(self, &p, path) {
            return;
        }
        if p.b.node.as_map().is_none() || p.h.node.as_map().is_none() {
            return; // not a schema: nothing we can reason about
        }
        // When only one side offers alternatives, its branches are compared with the other side
        // as a whole (compose); the outer level compares only the keywords both sides state.
        let (b_alts, h_alts) = (compose::has_alternatives(p.b.node), compose::has_alternatives(p.h.node));
        let (b_kept, h_kept);
        let mut outer = p;
        if b_alts != h_alts {
            (b_kept, h_kept) = (keep_shared(p.b.node, p.h.node), keep_shared(p.h.node, p.b.node));
            outer.b = Side { node: &b_kept, ..p.b };
            outer.h = Side { node: &h_kept, ..p.h };
        }
        types::compare(self, &outer, path);
        enums::compare(self, &outer, path);
        bounds::compare(self, &outer, path);
        keywords::compare_annotations(self, &outer, path);
        objects::compare(self, &outer, path);
        compose::compare(self, &p, path);
        keywords::compare_applicators(self, &outer, path);
    }

    /// Run `f` with the direction reversed (`not` subschemas).
    pub fn flipped(&mut self, f: impl FnOnce(&mut Walker)) {
        self.dir = self.dir.flipped();
        f(self);
        self.dir = self.dir.flipped();
    }

    /// The rule id of an aspect in the current direction.
    pub fn rule(&self, aspect: &str) -> String {
        format!("{}.{}.{}", self.prefix, self.dir.as_str(), aspect)
    }

    pub fn emit(&mut self, aspect: &str, path: &str, message: String, base: Option<Loc>, head: Option<Loc>) {
        let change = Change::new(self.rule(aspect), format!("{} {}", self.locus, path), message).at(base, head);
        self.push(change);
    }

    pub fn push(&mut self, change: Change) {
        self.out.push(change);
    }

    pub fn change(&self, aspect: &str, path: &str, message: String) -> Change {
        Change::new(self.rule(aspect), format!("{} {}", self.locus, path), message)
    }

    /// Emit a finding about keyword `kw` of the pair: each side points at the keyword, or at the
    /// schema when the keyword is absent there.
    pub fn emit_kw(&mut self, p: &Pair<'_>, kw: &str, aspect: &str, path: &str, message: String) {
        let (b, h) = (kw_or_node(p.b, kw), kw_or_node(p.h, kw));
        self.emit(aspect, path, message, Some(b), Some(h));
    }
}

/// `node` without the keywords `other` does not state (spans kept, for locations).
fn keep_shared(node: &Node, other: &Node) -> Node {
    let (Some(map), Some(other)) = (node.as_map(), other.as_map()) else {
        return node.clone();
    };
    let kept = map.iter().filter(|(k, _)| other.contains_key(*k)).map(|(k, e)| (k.clone(), e.clone())).collect();
    Node { value: Value::Map(kept), span: node.span }
}

/// Follow `$ref`s; the canonical id of the last one followed, if any.
pub(super) fn deref(side: Side<'_>) -> (Side<'_>, Option<String>) {
    if side.node.get("$ref").is_none() {
        return (side, None);
    }
    let (doc, node, id) = side.ws.deref(side.doc, side.node);
    (Side { ws: side.ws, doc, node }, id)
}

/// Keywords that say something about a schema without constraining its instances.
pub(super) const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "example",
    "examples",
    "default",
    "externalDocs",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
    "nullable",
    "xml",
    "discriminator",
];

/// True when every keyword of the schema is an annotation or an extension (`x-...`).
pub(super) fn annotation_only(node: &Node) -> bool {
    match node.as_map() {
        Some(m) => m.keys().all(|k| ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")),
        None => false,
    }
}

/// A schema that only wraps one other schema (`allOf: [$ref]` to attach a description, or
/// `anyOf: [X, {type: 'null'}]` to make a ref nullable) stands for that schema. Nullability and
/// annotations stay readable on the wrapper (`Pair::b_outer`).
pub(super) fn unwrap_single(side: Side<'_>) -> Side<'_> {
    let Some(map) = side.node.as_map() else {
        return side;
    };
    let mut branch = None;
    for (key, entry) in map {
        if ANNOTATIONS.contains(&key.as_str()) || key.starts_with("x-") {
            continue;
        }
        let kw_ok = matches!(key.as_str(), "allOf" | "anyOf" | "oneOf");
        let non_null: Vec<&Node> =
            entry.value.as_seq().unwrap_or(&[]).iter().filter(|n| !types::is_null_schema(n)).collect();
        if !kw_ok || non_null.len() != 1 || branch.is_some() {
            return side;
        }
        branch = Some(non_null[0]);
    }
    match branch {
        Some(node) => deref(Side { node, ..side }).0,
        None => side,
    }
}

/// A schema as written (refs followed) and the schema it stands for (single-branch wrappers
/// unwrapped): flags such as `readOnly` may sit on either.
pub(super) fn resolve(side: Side<'_>) -> (Side<'_>, Side<'_>) {
    let outer = deref(side).0;
    (outer, unwrap_single(outer))
}

/// A boolean keyword (`readOnly`, `deprecated`) set on the wrapper or on the schema it wraps.
pub(super) fn flag(side: Side<'_>, kw: &str) -> bool {
    let (outer, inner) = resolve(side);
    outer.node.get(kw).and_then(Node::as_bool).unwrap_or(false)
        || inner.node.get(kw).and_then(Node::as_bool).unwrap_or(false)
}

pub(super) fn node_loc(side: Side<'_>) -> Loc {
    side.doc.loc(side.node.span)
}

/// The keyword's key, if the schema has it.
pub(super) fn kw_loc(side: Side<'_>, kw: &str) -> Option<Loc> {
    side.node.entry(kw).map(|e| side.doc.loc(e.key_span))
}

pub(super) fn kw_or_node(side: Side<'_>, kw: &str) -> Loc {
    kw_loc(side, kw).unwrap_or_else(|| node_loc(side))
}

/// A sub-node of a side, for recursion.
pub(super) fn sub<'a>(side: Side<'a>, node: &'a Node) -> Side<'a> {
    Side { node, ..side }
}

/// The JSON path of a named member: `$.owner`, or `$['odd name']` when the name needs quoting.
pub(super) fn member_path(path: &str, name: &str) -> String {
    let plain = !name.is_empty()
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!("{path}.{name}")
    } else {
        format!("{path}['{}']", name.replace('\'', "\\'"))
    }
}

/// A value as it appears in messages: JSON, numbers without a trailing `.0`.
pub(super) fn show(node: &Node) -> String {
    match &node.value {
        Value::Number(n) => show_num(n.as_f64()),
        _ => node.to_json().to_string(),
    }
}

pub(super) fn show_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
