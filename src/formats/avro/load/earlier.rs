//! Another content of one file of a built revision (an earlier version of a base file, for the
//! transitive levels) as a small model of its own, without building the revision again: the
//! content is built alone, then the named types it uses are copied from the revision's model,
//! their references resolved again as they would be with that content in place of the file's.
//!
//! The result is what [`build`](super::build) gives for that content first and the revision's
//! other files after it, provided neither the content nor the file's current one defines a name
//! that another file also tries to define: then every other file loads exactly as it did (a
//! shared or conflicting definition would change which of them load, and only a whole build
//! says how).

use super::super::model::{Field, Id, Kind, Model, Node, Record};
use super::{unknown_type, Builder, FileCtx, Loaded, Parsed};
use crate::error::Error;
use std::collections::{HashMap, HashSet};

pub enum Earlier {
    /// The content's model (the content and the named types it reaches) and its root.
    Built(Model, Id),
    /// The content does not load, for this reason.
    Refused(Error),
    /// A name it or the file's current content defines is defined in another file too.
    Entangled,
}

/// `parsed`, the content of `path` at another time, against `revision` (which has `path` too).
pub fn build_earlier(revision: &Loaded, path: &str, parsed: &Parsed) -> Earlier {
    let mut builder = Builder::default();
    let mut file = FileCtx::new(path, &parsed.text);
    // The content is built first in a whole build too: what it defines meets no other name yet.
    let root = match builder.root(&mut file, &parsed.doc.root) {
        Ok(root) => root,
        Err(error) => return Earlier::Refused(error),
    };
    let current: &[String] = revision.files.get(path).map(|f| f.defines.as_slice()).unwrap_or_default();
    let elsewhere = |name: &String| revision.defined_by.get(name).is_some_and(|files| files.iter().any(|f| f != path));
    if file.attempted.iter().chain(current).any(elsewhere) {
        return Earlier::Entangled;
    }
    let names = Names {
        own: builder.model.names.clone(),
        current: current.iter().map(String::as_str).collect(),
        revision: &revision.model,
    };
    let mut splice =
        Splice { revision, names: &names, resolved: HashMap::new(), copies: HashMap::new(), queue: Vec::new() };
    let pending = std::mem::take(&mut builder.pending);
    for (id, candidates, span) in &pending.refs {
        let Some(target) = candidates.iter().find_map(|c| names.get(c)) else {
            return Earlier::Refused(unknown_type(path, &parsed.text, *span, candidates));
        };
        let target = splice.target(&mut builder.model, target);
        builder.model.nodes[*id].kind = Kind::Ref(Some(target));
    }
    splice.finish(&mut builder.model);
    match builder.check_resolved(path, &parsed.text, &pending) {
        Ok(()) => Earlier::Built(builder.model, root),
        Err(error) => Earlier::Refused(error),
    }
}

/// Where a name points once the content replaces the file's current one.
#[derive(Debug, Clone, Copy)]
enum Target {
    /// A node of the content's own model.
    Own(Id),
    /// A node of the revision's model, still to be copied.
    Revision(Id),
}

/// The names a whole build with the content would know: the content's own, and the other
/// files' (the revision's, less those only the file's current content defined).
struct Names<'a> {
    own: HashMap<String, Id>,
    current: HashSet<&'a str>,
    revision: &'a Model,
}

impl Names<'_> {
    fn get(&self, name: &str) -> Option<Target> {
        if let Some(&id) = self.own.get(name) {
            return Some(Target::Own(id));
        }
        if self.current.contains(name) {
            return None;
        }
        self.revision.names.get(name).map(|&id| Target::Revision(id))
    }
}

/// Copies of the revision's nodes the content reaches, each copied once.
struct Splice<'a> {
    revision: &'a Loaded,
    names: &'a Names<'a>,
    /// Each reached file's references resolved again, in its order (`None` past the first that
    /// fails, as a whole build leaves them).
    resolved: HashMap<&'a str, Vec<Target>>,
    /// Revision node → its copy.
    copies: HashMap<Id, Id>,
    /// Revision nodes copied whose kind is still to be filled in (a queue, not recursion: the
    /// types reached across files may nest deeply).
    queue: Vec<Id>,
}

impl<'a> Splice<'a> {
    fn target(&mut self, into: &mut Model, target: Target) -> Id {
        match target {
            Target::Own(id) => id,
            Target::Revision(id) => self.copy(into, id),
        }
    }

    /// The copy of the revision's node `id`; its kind is filled in by [`Splice::finish`].
    fn copy(&mut self, into: &mut Model, id: Id) -> Id {
        if let Some(&copy) = self.copies.get(&id) {
            return copy;
        }
        let node = &self.revision.model.nodes[id];
        let copy = into.nodes.len();
        into.nodes.push(Node {
            kind: Kind::Null,
            logical: node.logical.clone(),
            at: node.at.clone(),
            doc: node.doc.clone(),
        });
        if let Some(named) = node.kind.named() {
            if self.revision.model.names.get(&named.full) == Some(&id) {
                into.names.insert(named.full.clone(), copy);
            }
        }
        self.copies.insert(id, copy);
        self.queue.push(id);
        copy
    }

    fn finish(&mut self, into: &mut Model) {
        let revision = self.revision;
        while let Some(id) = self.queue.pop() {
            let kind = match &revision.model.nodes[id].kind {
                Kind::Array(items) => Kind::Array(self.copy(into, *items)),
                Kind::Map(values) => Kind::Map(self.copy(into, *values)),
                Kind::Union(branches) => Kind::Union(branches.iter().map(|b| self.copy(into, *b)).collect()),
                Kind::Record(record) => Kind::Record(Record {
                    named: record.named.clone(),
                    fields: record.fields.iter().map(|f| Field { ty: self.copy(into, f.ty), ..f.clone() }).collect(),
                }),
                Kind::Ref(_) => Kind::Ref(self.resolve_again(id).map(|t| self.target(into, t))),
                other => other.clone(),
            };
            into.nodes[self.copies[&id]].kind = kind;
        }
    }

    /// Where the revision's reference `id` points with the content in place of the file's.
    fn resolve_again(&mut self, id: Id) -> Option<Target> {
        let revision = self.revision;
        let file = revision.model.nodes[id].at.file.as_str();
        let refs = &revision.files.get(file)?.refs;
        let index = refs.binary_search_by_key(&id, |(r, _)| *r).ok()?;
        let names = self.names;
        let resolved = self.resolved.entry(file).or_insert_with(|| {
            // As a whole build resolves a file: in order, stopping at the first unknown name.
            refs.iter().map_while(|(_, candidates)| candidates.iter().find_map(|c| names.get(c))).collect()
        });
        resolved.get(index).copied()
    }
}
