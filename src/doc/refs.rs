//! The documents of one revision with their `$ref`s resolved.
//!
//! [`Workspace::load`] reads the entry document and, transitively, every file its `$ref`s name,
//! and checks that every `$ref` resolves, so that differs can follow refs without error
//! handling. Cycles are legal (recursive schemas); differs guard against them with the
//! canonical target id that [`Workspace::deref`] returns.
//!
//! Refused: refs that leave the compared root, and remote (`http:`/`https:`) refs unless
//! [`RefPolicy::allow_remote`] is set (and even then nothing is fetched: the ref is kept opaque).

use super::{Document, Node};
use crate::error::Result;
use crate::source::Tree;

#[derive(Debug, Clone, Copy, Default)]
pub struct RefPolicy {
    /// Accept `http(s)://` refs without fetching them (the referenced schema is treated as opaque).
    pub allow_remote: bool,
}

pub struct Workspace {
    // implemented in this file
}

impl Workspace {
    /// Load `entry` (a path in `tree`) and every document its `$ref`s reach.
    pub fn load(tree: &dyn Tree, entry: &str, policy: RefPolicy) -> Result<Workspace> {
        todo!("{:?} {entry} {policy:?}", tree.label())
    }

    /// The entry document.
    pub fn root(&self) -> &Document {
        todo!()
    }

    /// Follow `node` while it is a `{"$ref": ...}` map. Returns the document holding the target,
    /// the target node, and the canonical id of the last ref followed (`file#/json/pointer`),
    /// or `None` when `node` was not a ref. A remote ref allowed by policy is returned unresolved.
    pub fn deref<'a>(&'a self, doc: &'a Document, node: &'a Node) -> (&'a Document, &'a Node, Option<String>) {
        let _ = (doc, node);
        todo!()
    }
}
