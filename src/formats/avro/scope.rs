//! Which files see each other's named types.
//!
//! A file's **scope** is the first `[[contracts]]` entry whose glob matches it, or, when the
//! configuration lists no contracts, the folder it is directly in. Names never resolve across
//! scopes: a `v1/` and a `v2/` folder, per-service copies or test fixtures may each define
//! `com.acme.User` their own way.
//!
//! A scope is built as one model (`load::build_within`). Only when two of its files define a
//! full name differently is it [`split`] into **groups**: a file joins every file of its scope
//! that defines a name it uses (and so, through them, the files those use), and each group is
//! built as one model, where a full name defined differently twice is still an error. Unrelated
//! files of one scope that reuse a full name (the `base.avsc` and `head.avsc` of a test case)
//! never meet, so they never conflict; as soon as a file uses that name, the two definitions are
//! in one group and the conflict is reported with both places. (Without a conflict, grouping
//! would give the same findings: unrelated files share no types. Skipping it keeps one build
//! per scope, with no second pass over the files.)

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

/// A scope whose files define a full name differently, split into groups.
#[derive(Debug, Default)]
pub struct Split {
    /// Each group's files, in path order; groups ordered by their first file.
    pub groups: Vec<Vec<String>>,
    /// Files that do not load whatever the others (see [`load::scan`]).
    pub errors: BTreeMap<String, Error>,
    /// Each full name and the files of the scope defining it (path order).
    pub defined: Defined,
}

/// Full name → the files of one scope that define it, in path order.
pub type Defined = HashMap<String, Vec<String>>;

/// Sort the files of one scope (path order) into groups: each file with the files defining the
/// names it uses.
pub fn split(files: &[(String, Arc<Parsed>)]) -> Split {
    let mut split = Split::default();
    let mut scanned: Vec<(&str, Scanned)> = Vec::new();
    for (path, file) in files {
        match load::scan(path, file) {
            Ok(names) => {
                for name in &names.defines {
                    let definers = split.defined.entry(name.clone()).or_default();
                    if definers.last() != Some(path) {
                        definers.push(path.clone());
                    }
                }
                scanned.push((path, names));
            }
            Err(error) => {
                split.errors.insert(path.clone(), error);
            }
        }
    }
    let index: HashMap<&str, usize> = scanned.iter().enumerate().map(|(i, (p, _))| (*p, i)).collect();
    let mut sets = Sets::new(scanned.len());
    for (i, (path, names)) in scanned.iter().enumerate() {
        for other in joined(&split.defined, path, names) {
            sets.union(i, index[other.as_str()]);
        }
    }
    let mut by_root: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for (i, (path, _)) in scanned.iter().enumerate() {
        by_root.entry(sets.find(i)).or_default().push(path.to_string());
    }
    split.groups = by_root.into_values().collect();
    split.groups.sort();
    split
}

/// The files of a scope (whose names are `defined`) that a content of `path` with these names
/// joins: for each name it uses, the files defining the first candidate defined at all (by the
/// content itself, which then joins nothing, or by others), as a build resolves it.
pub fn joined(defined: &Defined, path: &str, names: &Scanned) -> BTreeSet<String> {
    let mut joined = BTreeSet::new();
    for candidates in &names.uses {
        for candidate in candidates {
            if names.defines.contains(candidate) {
                break;
            }
            if let Some(files) = defined.get(candidate) {
                joined.extend(files.iter().filter(|f| f.as_str() != path).cloned());
                break;
            }
        }
    }
    joined
}

/// The names defined anywhere in a revision, to say where a name a scope lacks is.
#[derive(Debug, Default)]
pub struct Elsewhere {
    /// Full name → every file of the revision that defines it (path order).
    pub defined: HashMap<String, BTreeSet<String>>,
    pub scope_of: BTreeMap<String, ScopeId>,
}

/// [`Around`] for the build of files of one scope: the scope rule in hints, and (with
/// `elsewhere`) where a name the scope lacks is defined.
pub struct ScopeAround<'s> {
    pub scopes: &'s Scopes<'s>,
    pub scope: &'s ScopeId,
    /// One file of the build, to suggest a glob with.
    pub file: &'s str,
    pub elsewhere: Option<&'s Elsewhere>,
}

impl Around for ScopeAround<'_> {
    fn unknown(&self, candidates: &[String]) -> Option<(String, String)> {
        let elsewhere = self.elsewhere?;
        let outside = |files: &BTreeSet<String>| -> Vec<String> {
            files.iter().filter(|f| elsewhere.scope_of.get(*f) != Some(self.scope)).cloned().collect()
        };
        let (name, files) = candidates.iter().find_map(|c| {
            let files = outside(elsewhere.defined.get(c)?);
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
            let theirs = self.scopes.describe(&elsewhere.scope_of[there]);
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

    fn parsed(files: &[(&str, &str)]) -> Vec<(String, Arc<Parsed>)> {
        files.iter().map(|(p, t)| (p.to_string(), load::parse(p, t.as_bytes()).unwrap())).collect()
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
    fn files_of_a_scope_group_by_the_names_they_use() {
        let files = [
            ("v1/a.avsc", record("A", &["B"])),
            ("v1/b.avsc", record("B", &[])),
            ("v1/c.avsc", record("B", &["int"])),
            ("v1/lone.avsc", record("A", &["long"])),
            ("v2/a.avsc", record("A", &["B"])),
            ("v2/b.avsc", record("B", &["string"])),
        ];
        let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        let (v1, v2) = (parsed(&files[..4]), parsed(&files[4..]));
        // v1/a uses B, which two files of v1 define: all three load together (and conflict
        // there); v1/lone defines an `A` nobody uses by name: alone.
        let split = split(&v1);
        assert_eq!(
            split.groups,
            vec![vec!["v1/a.avsc".to_string(), "v1/b.avsc".into(), "v1/c.avsc".into()], vec!["v1/lone.avsc".into()]]
        );
        assert!(split.errors.is_empty());
        assert_eq!(split.defined["B"], ["v1/b.avsc", "v1/c.avsc"]);
        assert_eq!(super::split(&v2).groups, vec![vec!["v2/a.avsc".to_string(), "v2/b.avsc".into()]]);
    }

    #[test]
    fn a_name_defined_in_another_scope_is_said_with_its_file_and_a_glob() {
        let none = Config::default();
        let scopes = Scopes::new(&none);
        let files = ["common/money.avsc", "orders/order.avsc"];
        let elsewhere = Elsewhere {
            defined: HashMap::from([("Money".to_string(), BTreeSet::from([files[0].to_string()]))]),
            scope_of: files.iter().map(|f| (f.to_string(), scopes.of(f))).collect(),
        };
        let scope = scopes.of(files[1]);
        let around = ScopeAround { scopes: &scopes, scope: &scope, file: files[1], elsewhere: Some(&elsewhere) };
        let (message, hint) = around.unknown(&["Money".to_string()]).unwrap();
        assert_eq!(
            message,
            "unknown type `Money` in this file's scope (the folder `orders`): it is defined in common/money.avsc, outside it"
        );
        assert!(hint.contains(r#"path = "{orders/*.avsc,common/*.avsc}""#), "{hint}");
        assert_eq!(around.unknown(&["Nowhere".to_string()]), None, "defined nowhere: a plain unknown type");
        let common = scopes.of(files[0]);
        let same = ScopeAround { scope: &common, ..around };
        assert_eq!(same.unknown(&["Money".to_string()]), None, "defined in the same scope: it failed there");
    }
}
