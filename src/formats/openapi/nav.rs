//! Navigation over one revision's spanned tree: follow `$ref`s, read maps and lists in document
//! order, make `Loc`s, and pair base elements with head elements. Every accessor tolerates a
//! node of the wrong shape (a string where a map is expected) by yielding nothing.

use crate::change::{Loc, Removal};
use crate::doc::{Document, Node, Span, Workspace};
use crate::formats::jsonschema::Side;
use indexmap::IndexMap;
use std::hash::Hash;

/// A node of one revision, with the workspace to follow `$ref`s and the document holding it.
#[derive(Clone, Copy)]
pub(crate) struct At<'a> {
    pub ws: &'a Workspace,
    pub doc: &'a Document,
    pub node: &'a Node,
}

/// One map entry: the key, where the key is written, and the value with its `$ref`s followed.
pub(crate) struct Member<'a> {
    pub key: &'a str,
    pub key_loc: Loc,
    pub value: At<'a>,
}

impl<'a> At<'a> {
    /// The entry document's root.
    pub fn root(ws: &'a Workspace) -> At<'a> {
        let doc = ws.root();
        At { ws, doc, node: &doc.root }
    }

    /// This node with `$ref`s followed (the target may live in another document).
    pub fn resolved(self) -> At<'a> {
        let (doc, node, _) = self.ws.deref(self.doc, self.node);
        At { ws: self.ws, doc, node }
    }

    /// The child under `key`, `$ref`s followed.
    pub fn get(self, key: &str) -> Option<At<'a>> {
        self.get_raw(key).map(At::resolved)
    }

    /// The child under `key` as written (schemas go to the core unresolved, so that it can track
    /// recursive `$ref`s itself).
    pub fn get_raw(self, key: &str) -> Option<At<'a>> {
        let node = self.resolved().node_get(key)?;
        Some(node)
    }

    fn node_get(self, key: &str) -> Option<At<'a>> {
        self.node.get(key).map(|node| At { node, ..self })
    }

    pub fn str(self, key: &str) -> Option<&'a str> {
        self.get(key)?.node.as_str()
    }

    /// A boolean field; anything other than a boolean counts as absent.
    pub fn flag(self, key: &str) -> bool {
        self.get(key).and_then(|v| v.node.as_bool()).unwrap_or(false)
    }

    pub fn has(self, key: &str) -> bool {
        self.resolved().node.get(key).is_some()
    }

    /// Map entries in document order with their values resolved; empty for a non-map.
    pub fn members(self) -> Vec<Member<'a>> {
        let this = self.resolved();
        let Some(map) = this.node.as_map() else {
            return Vec::new();
        };
        map.iter()
            .map(|(key, entry)| Member {
                key: key.as_str(),
                key_loc: this.doc.loc(entry.key_span),
                value: At { node: &entry.value, ..this }.resolved(),
            })
            .collect()
    }

    /// List items with their `$ref`s followed; empty for a non-list.
    pub fn items(self) -> Vec<At<'a>> {
        let this = self.resolved();
        let Some(seq) = this.node.as_seq() else {
            return Vec::new();
        };
        seq.iter().map(|node| At { node, ..this }.resolved()).collect()
    }

    /// Where this node is written.
    pub fn loc(self) -> Loc {
        self.doc.loc(self.node.span)
    }

    /// Where `key` is written in this map, falling back to the map itself.
    pub fn key_loc(self, key: &str) -> Loc {
        let this = self.resolved();
        let span: Span = this.node.entry(key).map(|e| e.key_span).unwrap_or(this.node.span);
        this.doc.loc(span)
    }

    /// The node as the JSON Schema core takes it.
    pub fn side(self) -> Side<'a> {
        Side { ws: self.ws, doc: self.doc, node: self.node }
    }

    /// What base said about an element that head removed: `deprecated` and `x-sunset`.
    pub fn removal(self) -> Removal {
        Removal { deprecated_in_base: self.flag("deprecated"), sunset: self.sunset() }
    }

    /// `x-sunset` as written (a date string; a YAML date scalar arrives as a string too).
    pub fn sunset(self) -> Option<String> {
        let value = self.get("x-sunset")?;
        match value.node.as_str() {
            Some(s) => Some(s.to_string()),
            None if value.node.is_null() => None,
            None => Some(value.node.to_json().to_string()),
        }
    }
}

/// A base element and its head counterpart, or one of them alone.
pub(crate) enum Paired<T> {
    Removed(T),
    Added(T),
    Kept(T, T),
}

/// Pair elements by key. Order: base's order for kept and removed elements, then head's order
/// for added ones, so output follows the documents. Duplicate keys keep their first element.
pub(crate) fn pair<K: Hash + Eq, T>(base: Vec<(K, T)>, head: Vec<(K, T)>) -> Vec<Paired<T>> {
    let mut head: IndexMap<K, T> = dedup(head);
    let base = dedup(base);
    let mut out = Vec::with_capacity(base.len() + head.len());
    for (key, b) in base {
        match head.shift_remove(&key) {
            Some(h) => out.push(Paired::Kept(b, h)),
            None => out.push(Paired::Removed(b)),
        }
    }
    out.extend(head.into_values().map(Paired::Added));
    out
}

fn dedup<K: Hash + Eq, T>(items: Vec<(K, T)>) -> IndexMap<K, T> {
    let mut map = IndexMap::with_capacity(items.len());
    for (key, item) in items {
        map.entry(key).or_insert(item);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pair_keeps_document_order() {
        let base = vec![("a", 1), ("b", 2), ("c", 3)];
        let head = vec![("d", 4), ("c", 5), ("a", 6)];
        let got: Vec<String> = pair(base, head)
            .into_iter()
            .map(|p| match p {
                Paired::Kept(b, h) => format!("{b}={h}"),
                Paired::Removed(b) => format!("-{b}"),
                Paired::Added(h) => format!("+{h}"),
            })
            .collect();
        assert_eq!(got, ["1=6", "-2", "3=5", "+4"]);
    }

    #[test]
    fn pair_keeps_the_first_of_duplicate_keys() {
        let got = pair(vec![("a", 1), ("a", 2)], vec![("a", 3)]);
        assert!(matches!(got.as_slice(), [Paired::Kept(1, 3)]));
    }
}
