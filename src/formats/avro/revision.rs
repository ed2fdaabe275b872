//! One revision's Avro files: parsed, sorted into scopes (`scope.rs`), each scope built into one
//! model, or, when two of its files define a name differently, each of its groups.

use super::cache::ParseCache;
use super::deps::FileGraph;
use super::load::{self, Loaded, Parsed, Scanned};
use super::scope::{self, Defined, Elsewhere, ScopeAround, ScopeId, Scopes};
use crate::discover::ContractFile;
use crate::error::Error;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// Files built together: one model, in which their names resolve.
pub struct Group {
    pub files: Vec<String>,
    pub loaded: Loaded,
    pub graph: FileGraph,
    pub scope: ScopeId,
}

pub struct Revision {
    /// Every file that parsed, by path.
    pub parsed: BTreeMap<String, Arc<Parsed>>,
    pub groups: Vec<Group>,
    group_of: BTreeMap<String, usize>,
    scope_of: BTreeMap<String, ScopeId>,
    /// The names of each scope that was split into groups (see [`Revision::joined`]).
    split: HashMap<ScopeId, Defined>,
    /// Files that could not even be read or parsed, or that do not load whatever the others.
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
        let scope_of: BTreeMap<String, ScopeId> = parsed.keys().map(|p| (p.clone(), scopes.of(p))).collect();
        let mut by_scope: BTreeMap<&ScopeId, Vec<(String, Arc<Parsed>)>> = BTreeMap::new();
        for (path, file) in &parsed {
            by_scope.entry(&scope_of[path]).or_default().push((path.clone(), file.clone()));
        }
        let mut groups = Vec::new();
        let mut split = HashMap::new();
        for (scope, files) in by_scope {
            let around = ScopeAround { scopes, scope, file: &files[0].0, elsewhere: None };
            let loaded = load::build_within(&files, Some(&around));
            if !loaded.conflicted {
                groups.push(Group::new(files.iter().map(|f| f.0.clone()).collect(), loaded, scope));
                continue;
            }
            let parts = scope::split(&files);
            unreadable.extend(parts.errors);
            for part in parts.groups {
                let list: Vec<(String, Arc<Parsed>)> = part.iter().map(|p| (p.clone(), parsed[p].clone())).collect();
                groups.push(Group::new(part, load::build_within(&list, Some(&around)), scope));
            }
            split.insert(scope.clone(), parts.defined);
        }
        // A name a file uses but its scope lacks may be defined in another scope: build those
        // groups again, knowing the whole revision's names, so their errors say where.
        if groups.iter().any(|g| g.loaded.unknown) {
            let mut defined: HashMap<String, BTreeSet<String>> = HashMap::new();
            for group in &groups {
                for (name, files) in group.loaded.defined() {
                    defined.entry(name.clone()).or_default().extend(files.iter().cloned());
                }
            }
            let elsewhere = Elsewhere { defined, scope_of: scope_of.clone() };
            for group in groups.iter_mut().filter(|g| g.loaded.unknown) {
                let list: Vec<(String, Arc<Parsed>)> =
                    group.files.iter().map(|p| (p.clone(), parsed[p].clone())).collect();
                let around =
                    ScopeAround { scopes, scope: &group.scope, file: &group.files[0], elsewhere: Some(&elsewhere) };
                let loaded = load::build_within(&list, Some(&around));
                *group = Group::new(std::mem::take(&mut group.files), loaded, &group.scope);
            }
        }
        let mut group_of = BTreeMap::new();
        for (g, group) in groups.iter().enumerate() {
            group_of.extend(group.files.iter().map(|f| (f.clone(), g)));
        }
        Revision { parsed, groups, group_of, scope_of, split, unreadable }
    }

    /// The error of `path`, taken out (each is reported once).
    pub fn error(&mut self, path: &str) -> Option<Error> {
        if let Some(error) = self.unreadable.remove(path) {
            return Some(error);
        }
        let g = *self.group_of.get(path)?;
        self.groups[g].loaded.errors.remove(path)
    }

    pub fn group_index(&self, path: &str) -> Option<usize> {
        self.group_of.get(path).copied()
    }

    pub fn group(&self, path: &str) -> Option<&Group> {
        self.group_index(path).map(|g| &self.groups[g])
    }

    pub fn scope(&self, path: &str) -> Option<&ScopeId> {
        self.scope_of.get(path)
    }

    /// The full name of `path`'s root type, when it loaded and is a named type.
    pub fn root_name(&self, path: &str) -> Option<String> {
        let group = self.group(path)?;
        let root = *group.loaded.roots.get(path)?;
        group.loaded.model.node(root).kind.named().map(|n| n.full.clone())
    }

    /// `path`'s scope was split into groups (two of its files define a name differently).
    pub fn was_split(&self, path: &str) -> bool {
        self.scope(path).is_some_and(|s| self.split.contains_key(s))
    }

    /// The groups besides its own that another content of `path` (with these names) would be
    /// built with: none unless its scope was split (a scope built whole is one group).
    pub fn joined(&self, path: &str, names: &Scanned) -> BTreeSet<usize> {
        let Some(defined) = self.scope(path).and_then(|s| self.split.get(s)) else { return BTreeSet::new() };
        let own = self.group_index(path);
        scope::joined(defined, path, names)
            .iter()
            .filter_map(|f| self.group_index(f))
            .filter(|g| Some(*g) != own)
            .collect()
    }
}

impl Group {
    fn new(files: Vec<String>, loaded: Loaded, scope: &ScopeId) -> Self {
        let graph = FileGraph::of(&loaded.model);
        Group { files, loaded, graph, scope: scope.clone() }
    }
}
