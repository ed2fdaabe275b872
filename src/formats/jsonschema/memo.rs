//! What one contract's comparison learns about its `$ref` targets, shared by every use site.
//!
//! Big specs (Stripe: 4 MB, ~1,000 use sites, schemas that reach most of the others through
//! expandable fields) reach the same component pairs over and over. Most of them did not change
//! between two revisions, so the walk first asks [`Memo::deep_equal`]: are the two targets equal,
//! including everything their own `$ref`s reach? The answer is cached per pair of canonical ref
//! ids for the whole contract.

use super::Side;
use crate::doc::{Node, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// Deepest node nesting followed by the equality check inside one ref target; past it the pair
/// counts as "not known equal" and the walk decides (which reports any limit it reaches itself).
/// Unreachable on valid input: refs below a target become pairs of their own (depth starts
/// again at 0) and no document nests deeper than `doc::MAX_DEPTH` (256).
const MAX_DEPTH: usize = 512;
const _: () = assert!(MAX_DEPTH > crate::doc::MAX_DEPTH);

type PairKey = (String, String);

#[derive(Default)]
pub struct Memo {
    equal: RefCell<HashMap<PairKey, bool>>,
    /// Scores of trial comparisons (`trial.rs`).
    pub(super) trials: RefCell<super::trial::TrialMemo>,
}

impl Memo {
    /// Whether two `$ref` targets (with their canonical ids) are equal, following refs on both
    /// sides.
    ///
    /// The pairs reachable from this one form a graph (cyclic for recursive schemas). Each pair is
    /// compared locally once, with the ref pairs below it as edges; a pair is unequal exactly when
    /// it reaches a locally unequal pair. Every pair explored gets its exact answer cached, so
    /// the whole contract explores each pair once.
    pub fn deep_equal(&self, base: Side<'_>, head: Side<'_>, key: PairKey) -> bool {
        if let Some(&known) = self.equal.borrow().get(&key) {
            return known;
        }
        let mut graph = Graph::default();
        graph.add(base, head, key.clone());
        let mut next = 0;
        while next < graph.pairs.len() {
            let (b, h) = graph.sides[next];
            let mut local = Local { memo: self, children: Vec::new(), equal: true };
            local.equal = local.nodes(b, h, b.node, h.node, 0);
            for (cb, ch, child_key) in local.children {
                let child = graph.add(cb, ch, child_key);
                graph.edges.push((next, child));
            }
            graph.pairs[next].1 = local.equal;
            next += 1;
        }
        graph.settle(self);
        self.equal.borrow().get(&key).copied().unwrap_or(false)
    }
}

/// The pairs explored by one [`Memo::deep_equal`] call.
#[derive(Default)]
struct Graph<'a> {
    /// Each pair's key and whether it is locally equal (refs below it not followed).
    pairs: Vec<(PairKey, bool)>,
    sides: Vec<(Side<'a>, Side<'a>)>,
    index: HashMap<PairKey, usize>,
    /// `(parent, child)`: the parent's equality depends on the child's.
    edges: Vec<(usize, usize)>,
}

impl<'a> Graph<'a> {
    fn add(&mut self, base: Side<'a>, head: Side<'a>, key: PairKey) -> usize {
        if let Some(&at) = self.index.get(&key) {
            return at;
        }
        let at = self.pairs.len();
        self.index.insert(key.clone(), at);
        self.pairs.push((key, true));
        self.sides.push((base, head));
        at
    }

    /// Unequal spreads from locally unequal pairs to every pair that reaches them.
    fn settle(self, memo: &Memo) {
        let mut parents = vec![Vec::new(); self.pairs.len()];
        for &(parent, child) in &self.edges {
            parents[child].push(parent);
        }
        let mut unequal: Vec<bool> = self.pairs.iter().map(|(_, equal)| !equal).collect();
        let mut queue: Vec<usize> = (0..unequal.len()).filter(|&i| unequal[i]).collect();
        while let Some(i) = queue.pop() {
            for &parent in &parents[i] {
                if !unequal[parent] {
                    unequal[parent] = true;
                    queue.push(parent);
                }
            }
        }
        let mut known = memo.equal.borrow_mut();
        for ((key, _), unequal) in self.pairs.into_iter().zip(unequal) {
            known.insert(key, !unequal);
        }
    }
}

/// One pair compared without following refs: ref pairs found below are collected as children.
struct Local<'m, 'a> {
    memo: &'m Memo,
    children: Vec<(Side<'a>, Side<'a>, PairKey)>,
    equal: bool,
}

impl<'a> Local<'_, 'a> {
    fn nodes(&mut self, bs: Side<'a>, hs: Side<'a>, b: &'a Node, h: &'a Node, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match (&b.value, &h.value) {
            (Value::Map(bm), Value::Map(hm)) => {
                if bm.contains_key("$ref") || hm.contains_key("$ref") {
                    return self.refs(Side { node: b, ..bs }, Side { node: h, ..hs });
                }
                bm.len() == hm.len()
                    && bm
                        .iter()
                        .all(|(k, be)| hm.get(k).is_some_and(|he| self.nodes(bs, hs, &be.value, &he.value, depth + 1)))
            }
            (Value::Seq(bv), Value::Seq(hv)) => {
                bv.len() == hv.len() && bv.iter().zip(hv).all(|(bn, hn)| self.nodes(bs, hs, bn, hn, depth + 1))
            }
            _ => b == h,
        }
    }

    /// Both nodes must be refs (a ref on one side only is a structural difference); their
    /// targets become a child pair, unless already known.
    fn refs(&mut self, b: Side<'a>, h: Side<'a>) -> bool {
        let (Some(b_ref), Some(h_ref)) = (b.node.get("$ref"), h.node.get("$ref")) else {
            return false;
        };
        let (b_doc, b_target, b_id) = b.ws.deref(b.doc, b.node);
        let (h_doc, h_target, h_id) = h.ws.deref(h.doc, h.node);
        let (Some(b_id), Some(h_id)) = (b_id, h_id) else {
            // Unresolvable (an allowed remote ref): equal when written the same.
            return b_ref == h_ref;
        };
        let key = (b_id, h_id);
        if let Some(&known) = self.memo.equal.borrow().get(&key) {
            return known;
        }
        self.children.push((Side { doc: b_doc, node: b_target, ..b }, Side { doc: h_doc, node: h_target, ..h }, key));
        true
    }
}
