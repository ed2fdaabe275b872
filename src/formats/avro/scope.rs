//! Which files see each other's named types.
//!
//! A file's **scope** is the first `[[contracts]]` entry whose glob matches it, or, when the
//! configuration lists no contracts, the folder it is directly in. Names never resolve across
//! scopes: a `v1/` and a `v2/` folder, per-service copies or test fixtures may each define
//! `com.acme.User` their own way.
//!
//! Inside a scope, files are **grouped**: a file joins every file of its scope that defines a
//! name it uses (and so, through them, the files those use). Each group is built as one model
//! (`load::build_within`), where a full name defined differently twice is an error. Unrelated
//! files of one scope that reuse a full name (the `base.avsc` and `head.avsc` of a test case)
//! never meet, so they never conflict; as soon as a file uses that name, the two definitions are
//! in one group and the conflict is reported with both places.

use super::load::{self, Around, Parsed, Scanned};
use crate::config::Config;
use crate::error::Error;
use globset::GlobSet;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// A scope: a `[[contracts]]` entry (its index in the config) or a folder (`""`: the top one).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeId {
    Entry(usize),
    Folder(String),
}

/// The scope rule of one run (the head's configuration decides for both sides).
pub struct Scopes<'c> {
    config: &'c Config,
    /// `None` without `[[contracts]]` entries (or when they do not compile: discovery has
    /// refused them already).
    globs: Option<GlobSet>,
}

impl<'c> Scopes<'c> {
    pub fn new(config: &'c Config) -> Self {
        let globs = if config.contracts.is_empty() { None } else { config.contract_globs().ok() };
        Scopes { config, globs }
    }

    pub fn of(&self, path: &str) -> ScopeId {
        if let Some(first) = self.globs.as_ref().and_then(|globs| globs.matches(path).into_iter().min()) {
            return ScopeId::Entry(first);
        }
        ScopeId::Folder(folder(path).to_string())
    }

    /// The scope in words, for messages.
    pub fn describe(&self, id: &ScopeId) -> String {
        match id {
            ScopeId::Entry(i) => format!("the `[[contracts]]` entry `{}`", self.config.contracts[*i].path),
            ScopeId::Folder(f) if f.is_empty() => "the top folder".to_string(),
            ScopeId::Folder(f) => format!("the folder `{f}`"),
        }
    }

    fn by_config(&self) -> bool {
        self.globs.is_some()
    }
}

/// The folder `path` is directly in (`""` at the top).
pub fn folder(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// One revision's files sorted into scopes and groups.
#[derive(Debug, Default)]
pub struct Grouping {
    /// Each group's files, in path order; groups ordered by their first file.
    pub groups: Vec<Vec<String>>,
    /// File → its group.
    pub group_of: BTreeMap<String, usize>,
    /// Files that do not load whatever the others (see [`load::scan`]).
    pub errors: BTreeMap<String, Error>,
    scope_of: BTreeMap<String, ScopeId>,
    /// Per scope, each full name and the files defining it (path order).
    defined: HashMap<ScopeId, HashMap<String, Vec<String>>>,
    /// Each full name and the files defining it anywhere in the revision (path order).
    anywhere: HashMap<String, Vec<String>>,
}

impl Grouping {
    /// Sort `parsed` (one revision's Avro files) into scopes and groups.
    pub fn of(scopes: &Scopes, parsed: &BTreeMap<String, Arc<Parsed>>) -> Grouping {
        let mut grouping = Grouping::default();
        let mut scanned: Vec<(&str, Scanned)> = Vec::new();
        for (path, file) in parsed {
            let scope = scopes.of(path);
            grouping.scope_of.insert(path.clone(), scope.clone());
            match load::scan(path, file) {
                Ok(names) => {
                    for name in &names.defines {
                        let in_scope = grouping.defined.entry(scope.clone()).or_default();
                        let files = in_scope.entry(name.clone()).or_default();
                        if files.last() != Some(path) {
                            files.push(path.clone());
                            grouping.anywhere.entry(name.clone()).or_default().push(path.clone());
                        }
                    }
                    scanned.push((path, names));
                }
                Err(error) => {
                    grouping.errors.insert(path.clone(), error);
                }
            }
        }
        let index: HashMap<&str, usize> = scanned.iter().enumerate().map(|(i, (p, _))| (*p, i)).collect();
        let mut sets = Sets::new(scanned.len());
        for (i, (path, names)) in scanned.iter().enumerate() {
            for other in grouping.joined(path, names) {
                sets.union(i, index[other.as_str()]);
            }
        }
        let mut by_root: BTreeMap<usize, Vec<String>> = BTreeMap::new();
        for (i, (path, _)) in scanned.iter().enumerate() {
            by_root.entry(sets.find(i)).or_default().push(path.to_string());
        }
        let mut groups: Vec<Vec<String>> = by_root.into_values().collect();
        groups.sort();
        for (g, files) in groups.iter().enumerate() {
            for file in files {
                grouping.group_of.insert(file.clone(), g);
            }
        }
        grouping.groups = groups;
        grouping
    }

    /// The files of `path`'s scope that a content of `path` with these names joins: for each
    /// name it uses, the files defining the first candidate defined at all (by the content
    /// itself, which then joins nothing, or by others), as a build resolves it.
    pub fn joined(&self, path: &str, names: &Scanned) -> BTreeSet<String> {
        let mut joined = BTreeSet::new();
        let Some(in_scope) = self.scope_of.get(path).and_then(|scope| self.defined.get(scope)) else { return joined };
        for candidates in &names.uses {
            for candidate in candidates {
                if names.defines.contains(candidate) {
                    break;
                }
                if let Some(files) = in_scope.get(candidate) {
                    joined.extend(files.iter().filter(|f| f.as_str() != path).cloned());
                    break;
                }
            }
        }
        joined
    }

    /// The scope of `path` (a file that parsed).
    pub fn scope(&self, path: &str) -> Option<&ScopeId> {
        self.scope_of.get(path)
    }

    /// What the build of group `g` should tell of its scope and the rest of the revision.
    pub fn around<'s>(&'s self, scopes: &'s Scopes<'s>, g: usize) -> GroupAround<'s> {
        let first = &self.groups[g][0];
        GroupAround { grouping: self, scopes, scope: &self.scope_of[first], file: first }
    }
}

/// [`Around`] for one group: names defined in other scopes, and the scope rule in hints.
pub struct GroupAround<'s> {
    grouping: &'s Grouping,
    scopes: &'s Scopes<'s>,
    scope: &'s ScopeId,
    /// One file of the group, to suggest a glob with.
    file: &'s str,
}

impl Around for GroupAround<'_> {
    fn unknown(&self, candidates: &[String]) -> Option<(String, String)> {
        let outside = |files: &Vec<String>| -> Vec<String> {
            files.iter().filter(|f| self.grouping.scope_of.get(*f) != Some(self.scope)).cloned().collect()
        };
        let (name, files) = candidates.iter().find_map(|c| {
            let files = outside(self.grouping.anywhere.get(c)?);
            (!files.is_empty()).then_some((c, files))
        })?;
        let there = &files[0];
        let more = match files.len() {
            1 => String::new(),
            n => format!(" (and {} other file{})", n - 1, if n == 2 { "" } else { "s" }),
        };
        let here = self.scopes.describe(self.scope);
        let message =
            format!("unknown type `{name}` in this file's scope ({here}): it is defined in {there}{more}, outside it");
        let hint = if self.scopes.by_config() {
            let theirs = self.scopes.describe(&self.grouping.scope_of[there]);
            format!(
                "named types resolve within a scope, and each file belongs to the first `[[contracts]]` entry \
                 matching it ({there} to {theirs}): make one entry match both files, or define `{name}` in this scope"
            )
        } else {
            let glob = |file: &str| match (folder(file), file.rsplit_once('.')) {
                ("", Some((_, ext))) => format!("*.{ext}"),
                (dir, Some((_, ext))) => format!("{dir}/*.{ext}"),
                (_, None) => file.to_string(),
            };
            format!(
                "named types resolve within a scope, by default the files of one folder: group both folders into one \
                 scope with a `[[contracts]]` entry in contractdiff.toml, such as `path = \"{{{},{}}}\"`, or define \
                 `{name}` in this folder",
                glob(self.file),
                glob(there)
            )
        };
        Some((message, hint))
    }

    fn duplicate_hint(&self) -> String {
        let apart = if self.scopes.by_config() {
            "separate `[[contracts]]` entries"
        } else {
            "separate folders (or separate `[[contracts]]` entries in contractdiff.toml)"
        };
        format!(
            "both are in {} and load together, joined by the named types they use (a full name has one definition \
             there): define it once and refer to it by name, rename one, or keep unrelated schemas in {apart}, each a \
             scope of its own",
            self.scopes.describe(self.scope)
        )
    }
}

/// Disjoint sets over `0..n` (union by smaller root: the root is a set's first file).
struct Sets {
    parent: Vec<usize>,
}

impl Sets {
    fn new(n: usize) -> Self {
        Sets { parent: (0..n).collect() }
    }

    fn find(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        self.parent[high] = low;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ContractSpec;

    fn grouping(config: &Config, files: &[(&str, &str)]) -> Grouping {
        let parsed = files.iter().map(|(p, t)| (p.to_string(), load::parse(p, t.as_bytes()).unwrap())).collect();
        Grouping::of(&Scopes::new(config), &parsed)
    }

    fn record(name: &str, uses: &[&str]) -> String {
        let fields: Vec<String> =
            uses.iter().enumerate().map(|(i, t)| format!(r#"{{"name":"f{i}","type":"{t}"}}"#)).collect();
        format!(r#"{{"type":"record","name":"{name}","fields":[{}]}}"#, fields.join(","))
    }

    #[test]
    fn the_scope_is_the_first_matching_entry_else_the_folder() {
        let none = Config::default();
        let scopes = Scopes::new(&none);
        assert_eq!(scopes.of("a/b/x.avsc"), ScopeId::Folder("a/b".into()));
        assert_eq!(scopes.of("x.avsc"), ScopeId::Folder(String::new()));
        assert_eq!(scopes.describe(&scopes.of("x.avsc")), "the top folder");
        let spec = |path: &str| ContractSpec { path: path.into(), kind: None, root: None, avro_compat: None };
        let config = Config { contracts: vec![spec("a/*.avsc"), spec("**/*.avsc")], ..Config::default() };
        let scopes = Scopes::new(&config);
        assert_eq!(scopes.of("a/x.avsc"), ScopeId::Entry(0));
        assert_eq!(scopes.of("b/c/x.avsc"), ScopeId::Entry(1));
        assert_eq!(scopes.describe(&ScopeId::Entry(1)), "the `[[contracts]]` entry `**/*.avsc`");
    }

    #[test]
    fn files_group_by_the_names_they_use_within_their_scope_only() {
        let files = [
            ("v1/a.avsc", record("A", &["B"])),
            ("v1/b.avsc", record("B", &[])),
            ("v1/c.avsc", record("B", &["int"])),
            ("v1/lone.avsc", record("A", &["long"])),
            ("v2/a.avsc", record("A", &["B"])),
            ("v2/b.avsc", record("B", &["string"])),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let g = grouping(&Config::default(), &files);
        // v1/a uses B, which two files of v1 define: all three load together (and conflict
        // there); v1/lone defines an `A` nobody uses by name: alone. v2 never meets v1.
        assert_eq!(
            g.groups,
            vec![
                vec!["v1/a.avsc".to_string(), "v1/b.avsc".into(), "v1/c.avsc".into()],
                vec!["v1/lone.avsc".into()],
                vec!["v2/a.avsc".into(), "v2/b.avsc".into()],
            ]
        );
        assert!(g.errors.is_empty());
    }

    #[test]
    fn a_name_defined_in_another_scope_is_said_with_its_file_and_a_glob() {
        let (money, order) = (record("Money", &[]), record("Order", &["Money"]));
        let g = grouping(&Config::default(), &[("common/money.avsc", &money), ("orders/order.avsc", &order)]);
        let none = Config::default();
        let scopes = Scopes::new(&none);
        let around = g.around(&scopes, g.group_of["orders/order.avsc"]);
        let (message, hint) = around.unknown(&["Money".to_string()]).unwrap();
        assert_eq!(
            message,
            "unknown type `Money` in this file's scope (the folder `orders`): it is defined in common/money.avsc, outside it"
        );
        assert!(hint.contains(r#"path = "{orders/*.avsc,common/*.avsc}""#), "{hint}");
        assert_eq!(around.unknown(&["Nowhere".to_string()]), None, "defined nowhere: a plain unknown type");
    }
}
