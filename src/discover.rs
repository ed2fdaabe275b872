//! Which files of a revision are contracts, and which base contract pairs with which head one.

mod renames;
mod sniff;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::formats::Kind;
use crate::source::Tree;
use std::collections::{BTreeMap, BTreeSet};

pub use renames::{similarity, MIN_SIMILARITY};
pub use sniff::kind_of_document;

/// The kind a file's name alone says (`.proto`, `.avsc`), without reading it.
pub fn kind_of_name(path: &str) -> Option<Kind> {
    match sniff::candidate(path)? {
        sniff::Candidate::Known(kind) => Some(kind),
        sniff::Candidate::ByContent => None,
    }
}

/// A contract's entry file in one revision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ContractFile {
    pub path: String,
    pub kind: Kind,
}

/// A contract across the two revisions. `None` on one side: added or removed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub kind: Kind,
    pub base: Option<String>,
    pub head: Option<String>,
}

/// The contracts in `tree`: from the config's globs, or by sniffing when it lists none.
/// `only` keeps one kind (`--kind`).
///
/// A tree in single-file mode ([`Tree::entry`]) has exactly one contract, its entry; its kind is
/// `only`, else sniffed, else an error.
pub fn discover(tree: &dyn Tree, config: &Config, only: Option<Kind>) -> Result<Vec<ContractFile>> {
    if let Some(entry) = tree.entry() {
        return Ok(vec![entry_contract(tree, entry, only)?]);
    }
    let mut found = if config.contracts.is_empty() { by_sniffing(tree)? } else { by_config(tree, config)? };
    found.retain(|contract| only.is_none_or(|kind| contract.kind == kind));
    found.sort();
    found.dedup();
    Ok(found)
}

fn entry_contract(tree: &dyn Tree, entry: &str, only: Option<Kind>) -> Result<ContractFile> {
    let kind = match only {
        Some(kind) => Some(kind),
        None => sniff(tree, entry)?,
    };
    let kind = kind.ok_or_else(|| {
        Error::usage(
            format!("{}: not a contract contractdiff recognises", tree.label()),
            "OpenAPI and AsyncAPI documents need a top-level `openapi:`/`swagger:`/`asyncapi:` key; \
             otherwise name the format with `--kind`"
                .to_string(),
        )
    })?;
    Ok(ContractFile { path: entry.to_string(), kind })
}

/// Every file whose name or top-level keys say it is a contract, outside dependency folders.
fn by_sniffing(tree: &dyn Tree) -> Result<Vec<ContractFile>> {
    let mut found = Vec::new();
    for path in tree.list()? {
        if sniff::in_skipped_folder(&path) {
            continue;
        }
        if let Some(kind) = sniff(tree, &path)? {
            found.push(ContractFile { path, kind });
        }
    }
    Ok(found)
}

fn sniff(tree: &dyn Tree, path: &str) -> Result<Option<Kind>> {
    Ok(match sniff::candidate(path) {
        None => None,
        Some(sniff::Candidate::Known(kind)) => Some(kind),
        Some(sniff::Candidate::ByContent) => tree.read(path)?.as_deref().and_then(sniff::kind_of_document),
    })
}

/// Files matching the config's globs. A spec without `kind` takes the sniffed one; a matched file
/// that sniffs as nothing is not a contract (a broad glob like `api/**/*.yaml` also matches
/// fragments that `$ref`s pull in). When several specs match, the first one decides. Folders that
/// sniffing skips are not skipped here: the user named these files.
fn by_config(tree: &dyn Tree, config: &Config) -> Result<Vec<ContractFile>> {
    let globs = config.contract_globs()?;
    let mut found = Vec::new();
    for path in tree.list()? {
        let Some(first) = config.specs_matching(&globs, &path).next() else { continue };
        let kind = match first.kind {
            Some(kind) => Some(kind),
            None => sniff(tree, &path)?,
        };
        if let Some(kind) = kind {
            found.push(ContractFile { path, kind });
        }
    }
    Ok(found)
}

/// Pair base and head contracts by path; an unpaired removed and added contract of the same kind
/// pair as a rename when their contents are the same or similar, as git's rename detection does.
/// In single-file mode the two entries pair whatever their names.
pub fn pair(
    base_tree: &dyn Tree,
    base: &[ContractFile],
    head_tree: &dyn Tree,
    head: &[ContractFile],
) -> Result<Vec<Pair>> {
    if let ([old], [new]) = (base, head) {
        if base_tree.entry().is_some() && head_tree.entry().is_some() && old.kind == new.kind {
            return Ok(vec![Pair { kind: old.kind, base: Some(old.path.clone()), head: Some(new.path.clone()) }]);
        }
    }
    let mut pairs = Vec::new();
    let base_paths: BTreeSet<(&str, Kind)> = base.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    let head_paths: BTreeSet<(&str, Kind)> = head.iter().map(|c| (c.path.as_str(), c.kind)).collect();
    let mut removed: BTreeMap<Kind, Vec<&str>> = BTreeMap::new();
    let mut added: BTreeMap<Kind, Vec<&str>> = BTreeMap::new();
    for &(path, kind) in &base_paths {
        if head_paths.contains(&(path, kind)) {
            pairs.push(Pair { kind, base: Some(path.to_string()), head: Some(path.to_string()) });
        } else {
            removed.entry(kind).or_default().push(path);
        }
    }
    for &(path, kind) in head_paths.difference(&base_paths) {
        added.entry(kind).or_default().push(path);
    }
    for (kind, removed) in &removed {
        let added = added.remove(kind).unwrap_or_default();
        let renames = renames::detect(base_tree, removed, head_tree, &added)?;
        let (mut removed_paired, mut added_paired) = (vec![false; removed.len()], vec![false; added.len()]);
        for (r, a) in renames {
            removed_paired[r] = true;
            added_paired[a] = true;
            pairs.push(Pair { kind: *kind, base: Some(removed[r].to_string()), head: Some(added[a].to_string()) });
        }
        let gone = removed.iter().zip(&removed_paired).filter(|(_, &paired)| !paired);
        pairs.extend(gone.map(|(path, _)| Pair { kind: *kind, base: Some(path.to_string()), head: None }));
        let new = added.iter().zip(&added_paired).filter(|(_, &paired)| !paired);
        pairs.extend(new.map(|(path, _)| Pair { kind: *kind, base: None, head: Some(path.to_string()) }));
    }
    for (kind, added) in added {
        pairs.extend(added.into_iter().map(|path| Pair { kind, base: None, head: Some(path.to_string()) }));
    }
    pairs.sort();
    Ok(pairs)
}

#[cfg(test)]
mod tests;
