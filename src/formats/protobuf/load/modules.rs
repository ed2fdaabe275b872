//! Module roots: the folders import paths are relative to, as buf sees them.
//!
//! From `buf.yaml` (v1beta1: `build.roots`; v1: its folder; v2: `modules[].path`, default its
//! folder), `buf.work.yaml` (`directories`), or `contractdiff.toml` `[[contracts]] root` for the
//! files its glob matches. Without any, the compared folder itself is the one root (`""`). A file
//! belongs to the deepest root containing it.

use super::ModuleSpec;
use crate::config::Config;
use crate::discover::ContractFile;
use crate::doc::{Document, Node};
use crate::error::{Error, Result};
use crate::source::Tree;
use globset::GlobSet;
use std::collections::{BTreeMap, HashMap};

/// One module to compare: what to load, and where its rules come from.
#[derive(Debug, Default)]
pub struct Planned {
    pub spec: ModuleSpec,
    /// Per side (base, head): materialised path → repo path, for single-file mode's entries.
    pub renamed: [HashMap<String, String>; 2],
    /// The buf.yaml whose `breaking:` section applies, and whether it is read from head.
    pub buf_yaml: Option<(String, bool)>,
    /// In single-file mode, the two files the user named (base, head).
    pub entries: Option<(String, String)>,
}

/// The modules `base` and `head` (the `.proto` contract files of each side) make up, by root.
pub fn plan(
    base_tree: &dyn Tree,
    head_tree: &dyn Tree,
    config: &Config,
    base: &[ContractFile],
    head: &[ContractFile],
) -> Result<Vec<Planned>> {
    if let (Some(b), Some(h)) = (base_tree.entry(), head_tree.entry()) {
        // Single-file mode: one module rooted at each file's folder; the files pair whatever
        // their names, under head's.
        let mut planned = Planned { entries: Some((b.to_string(), h.to_string())), ..Planned::default() };
        planned.spec.base.insert(h.to_string(), b.to_string());
        planned.spec.head.insert(h.to_string(), h.to_string());
        if b != h {
            planned.renamed[0].insert(h.to_string(), b.to_string());
        }
        return Ok(vec![planned]);
    }
    let roots = Roots::merged(Roots::of(head_tree, config)?, Roots::of(base_tree, config)?);
    let mut modules: BTreeMap<String, Planned> = BTreeMap::new();
    for (index, files) in [base, head].into_iter().enumerate() {
        for file in files {
            let root = roots.root_of(&file.path).to_string();
            if !contains(&root, &file.path) {
                return Err(Error::config(
                    format!(
                        "{} matches a [[contracts]] entry whose root `{}` does not contain it",
                        crate::source::path::shown(&file.path),
                        crate::text::escape_controls(&root)
                    ),
                    "a module root is a folder above the files it holds: fix `root`, or narrow `path` to the files under it"
                        .to_string(),
                ));
            }
            let planned = modules.entry(root.clone()).or_default();
            let side = if index == 0 { &mut planned.spec.base } else { &mut planned.spec.head };
            side.insert(relative(&root, &file.path).to_string(), file.path.clone());
        }
    }
    let head_files = head_tree.list()?;
    for (root, planned) in modules.iter_mut() {
        planned.spec.root = root.clone();
        planned.spec.other_roots = roots.paths().filter(|r| r != root).map(str::to_string).collect();
        planned.buf_yaml = match roots.roots.get(root).and_then(|r| r.buf_yaml.clone().map(|y| (y, r.in_head))) {
            Some(declared) => Some(declared),
            None => ["buf.yaml", "buf.yml"]
                .iter()
                .map(|name| join(root, name))
                .find(|candidate| head_files.binary_search(candidate).is_ok())
                .map(|path| (path, true)),
        };
    }
    Ok(modules.into_values().collect())
}

/// A module root and the buf config that declared it, if any (repo paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub path: String,
    pub buf_yaml: Option<String>,
    /// Declared by the head revision (else by base, for a module gone in head).
    pub in_head: bool,
}

/// The roots of one revision, and which root each of its files belongs to.
#[derive(Debug, Default)]
pub struct Roots {
    /// By root path.
    pub roots: BTreeMap<String, Root>,
    /// `[[contracts]] root = ...`: files matching the glob take that root, first spec first.
    explicit: Option<(GlobSet, Vec<Option<String>>)>,
}

impl Roots {
    /// The roots `tree`'s buf config files declare, plus the config's explicit ones.
    pub fn of(tree: &dyn Tree, config: &Config) -> Result<Roots> {
        let mut roots = BTreeMap::new();
        let files = tree.list()?;
        for path in files.iter().filter(|p| !skipped(p)) {
            let (folder, name) = split(path);
            match name {
                "buf.yaml" | "buf.yml" => {
                    let doc = parse(tree, path)?;
                    for root in buf_yaml_roots(&doc.root, folder) {
                        roots.entry(root.clone()).or_insert(Root {
                            path: root,
                            buf_yaml: Some(path.clone()),
                            in_head: true,
                        });
                    }
                }
                "buf.work.yaml" | "buf.work.yml" => {
                    let doc = parse(tree, path)?;
                    for dir in strings(doc.root.get("directories")) {
                        let root = join(folder, &dir);
                        let buf_yaml = ["buf.yaml", "buf.yml"]
                            .iter()
                            .map(|n| join(&root, n))
                            .find(|candidate| files.binary_search(candidate).is_ok());
                        // A buf.yaml in the directory says the same root; keep the first seen.
                        roots.entry(root.clone()).or_insert(Root { path: root, buf_yaml, in_head: true });
                    }
                }
                _ => {}
            }
        }
        let explicit = explicit_roots(config, &files, &mut roots)?;
        Ok(Roots { roots, explicit })
    }

    /// Head's roots, plus base's roots for modules that are gone in head.
    pub fn merged(head: Roots, base: Roots) -> Roots {
        let mut merged = head;
        for (path, root) in base.roots {
            merged.roots.entry(path).or_insert(Root { in_head: false, ..root });
        }
        merged
    }

    /// The root `path` belongs to: an explicit one whose glob matches, else the deepest root
    /// containing it, else the compared folder (`""`).
    pub fn root_of(&self, path: &str) -> &str {
        if let Some((globs, roots)) = &self.explicit {
            // Matches come in spec order: the first spec that names a root decides.
            if let Some(root) = globs.matches(path).into_iter().find_map(|i| roots[i].as_deref()) {
                return root;
            }
        }
        self.roots
            .keys()
            .filter(|root| contains(root, path))
            .max_by_key(|root| root.len())
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Every root path, for include paths.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.roots.keys().map(String::as_str)
    }
}

/// Whether `root` (a folder, `""` for the tree) contains `path`.
pub fn contains(root: &str, path: &str) -> bool {
    root.is_empty() || path.strip_prefix(root).is_some_and(|rest| rest.starts_with('/'))
}

/// `path` relative to `root`, which contains it ([`contains`]); `path` itself otherwise.
pub fn relative<'a>(root: &str, path: &'a str) -> &'a str {
    match path.strip_prefix(root).and_then(|rest| rest.strip_prefix('/')) {
        Some(rest) if !root.is_empty() => rest,
        _ => path,
    }
}

/// `path` relative to `folder` (`.` when they are the same), for a v2 module's `path:`.
pub fn relative_to(folder: &str, path: &str) -> String {
    if folder == path {
        ".".to_string()
    } else if contains(folder, path) {
        relative(folder, path).to_string()
    } else {
        path.to_string()
    }
}

fn buf_yaml_roots(root: &Node, folder: &str) -> Vec<String> {
    match root.get("version").and_then(Node::as_str).unwrap_or("v1beta1") {
        "v2" => match root.get("modules").and_then(Node::as_seq) {
            Some(modules) if !modules.is_empty() => {
                modules.iter().map(|m| join(folder, m.get("path").and_then(Node::as_str).unwrap_or("."))).collect()
            }
            _ => vec![folder.to_string()],
        },
        "v1" => vec![folder.to_string()],
        _ => {
            let roots = strings(root.get("build").and_then(|b| b.get("roots")));
            if roots.is_empty() {
                vec![folder.to_string()]
            } else {
                roots.iter().map(|r| join(folder, r)).collect()
            }
        }
    }
}

/// `[[contracts]] root = ...` roots, registered in `roots`: the config's globs and, per spec,
/// its normalised root (`None` for specs without one). `None` when no spec names a root.
fn explicit_roots(
    config: &Config,
    files: &[String],
    roots: &mut BTreeMap<String, Root>,
) -> Result<Option<(GlobSet, Vec<Option<String>>)>> {
    if config.contracts.iter().all(|c| c.root.is_none()) {
        return Ok(None);
    }
    let globs = config.contract_globs()?;
    let mut per_spec = Vec::new();
    for spec in &config.contracts {
        let root = spec.root.as_deref().map(|root| join("", root));
        if let Some(root) = &root {
            let buf_yaml =
                ["buf.yaml", "buf.yml"].iter().map(|n| join(root, n)).find(|c| files.binary_search(c).is_ok());
            roots.entry(root.clone()).or_insert(Root { path: root.clone(), buf_yaml, in_head: true });
        }
        per_spec.push(root);
    }
    Ok(Some((globs, per_spec)))
}

fn parse(tree: &dyn Tree, path: &str) -> Result<Document> {
    let bytes = tree.read(path)?.unwrap_or_default();
    Document::parse(path, &bytes)
}

fn strings(node: Option<&Node>) -> Vec<String> {
    node.and_then(Node::as_seq)
        .map(|s| s.iter().filter_map(|n| n.as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

fn skipped(path: &str) -> bool {
    path.split('/').any(|part| matches!(part, ".git" | "node_modules" | "vendor" | "target" | ".venv" | "venv"))
}

fn split(path: &str) -> (&str, &str) {
    path.rsplit_once('/').unwrap_or(("", path))
}

/// `folder/rel` normalised: `.` parts dropped, `..` resolved, no trailing slash.
fn join(folder: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_normalises() {
        assert_eq!(join("a/b", "./c/"), "a/b/c");
        assert_eq!(join("a", "."), "a");
        assert_eq!(join("", "."), "");
        assert_eq!(join("a/b", "../c"), "a/c");
    }

    #[test]
    fn the_deepest_root_wins() {
        let mut roots = Roots::default();
        for r in ["proto", "proto/inner"] {
            roots.roots.insert(r.into(), Root { path: r.into(), buf_yaml: None, in_head: true });
        }
        assert_eq!(roots.root_of("proto/inner/a.proto"), "proto/inner");
        assert_eq!(roots.root_of("proto/a.proto"), "proto");
        assert_eq!(roots.root_of("protox/a.proto"), "");
        assert!(contains("", "a.proto") && !contains("pro", "proto/a.proto"));
        assert_eq!(relative("proto", "proto/x/a.proto"), "x/a.proto");
    }
}
