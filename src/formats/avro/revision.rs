//! One revision's Avro files: parsed, sorted into scopes and groups (`scope.rs`), each group
//! built into its own model.

use super::cache::ParseCache;
use super::deps::FileGraph;
use super::load::{self, Loaded, Parsed};
use super::model::Id;
use super::scope::{Grouping, Scopes};
use crate::discover::ContractFile;
use crate::error::Error;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Files built together: one model, in which their names resolve.
pub struct Group {
    pub files: Vec<String>,
    pub loaded: Loaded,
    pub graph: FileGraph,
}

pub struct Revision {
    /// Every file that parsed, by path.
    pub parsed: BTreeMap<String, Arc<Parsed>>,
    pub grouping: Grouping,
    pub groups: Vec<Group>,
    /// Files that could not even be read or parsed.
    unreadable: BTreeMap<String, Error>,
}

impl Revision {
    pub fn load(
        tree: &dyn crate::source::Tree,
        files: &[ContractFile],
        scopes: &Scopes,
        cache: &mut ParseCache,
    ) -> Self {
        let mut parsed = BTreeMap::new();
        let mut unreadable = BTreeMap::new();
        for file in files {
            match cache.get(tree, &file.path) {
                Ok(p) => {
                    parsed.insert(file.path.clone(), p);
                }
                Err(e) => {
                    unreadable.insert(file.path.clone(), e);
                }
            }
        }
        let grouping = Grouping::of(scopes, &parsed);
        let groups = (0..grouping.groups.len())
            .map(|g| {
                let files = grouping.groups[g].clone();
                let list: Vec<(String, Arc<Parsed>)> = files.iter().map(|p| (p.clone(), parsed[p].clone())).collect();
                let around = grouping.around(scopes, g);
                let loaded = load::build_within(&list, Some(&around));
                let graph = FileGraph::of(&loaded.model);
                Group { files, loaded, graph }
            })
            .collect();
        Revision { parsed, grouping, groups, unreadable }
    }

    /// The error of `path`, taken out (each is reported once).
    pub fn error(&mut self, path: &str) -> Option<Error> {
        if let Some(error) = self.unreadable.remove(path).or_else(|| self.grouping.errors.remove(path)) {
            return Some(error);
        }
        let g = *self.grouping.group_of.get(path)?;
        self.groups[g].loaded.errors.remove(path)
    }

    pub fn group_index(&self, path: &str) -> Option<usize> {
        self.grouping.group_of.get(path).copied()
    }

    pub fn group(&self, path: &str) -> Option<&Group> {
        self.group_index(path).map(|g| &self.groups[g])
    }

    /// The root type of `path` when it loaded.
    pub fn root(&self, path: &str) -> Option<Id> {
        self.group(path)?.loaded.roots.get(path).copied()
    }

    /// The full name of `path`'s root type, when it is a named type.
    pub fn root_name(&self, path: &str) -> Option<String> {
        let group = self.group(path)?;
        let root = self.root(path)?;
        group.loaded.model.node(root).kind.named().map(|n| n.full.clone())
    }
}
