//! The versioning rule: a named type whose namespace gains a higher version segment
//! (`com.acme.v1` → `com.acme.v2`) is a new type.

use super::model::{Id, Kind, Model, Named};
use super::names;
use crate::policy::Bump;

/// The named type that versions a contract: the root, or a union root's first named branch.
fn root_named(model: &Model, root: Id) -> Option<&Named> {
    let node = model.node(root);
    match &node.kind {
        Kind::Union(branches) => branches.iter().find_map(|b| model.node(*b).kind.named()),
        kind => kind.named(),
    }
}

pub fn version_of(model: &Model, root: Id) -> Option<(String, u64)> {
    root_named(model, root).and_then(|n| n.namespace.as_deref()).and_then(names::version_segment)
}

/// A namespace that gains a higher version segment (`com.acme.v1` → `com.acme.v2`) makes a
/// new type: a major bump, so the policy allows its breaking changes.
pub fn bump(bm: &Model, b_root: Id, hm: &Model, h_root: Id) -> Option<Bump> {
    match (version_of(bm, b_root), version_of(hm, h_root)) {
        (Some((_, b)), Some((_, h))) if h > b => Some(Bump::Major),
        _ => None,
    }
}
