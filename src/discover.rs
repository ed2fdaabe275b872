//! Which files of a revision are contracts, and which base contract pairs with which head one.

mod renames;
mod sniff;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::formats::Kind;
use crate::source::{lfs, SkipReason, Tree};
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

/// What discovery found in one tree.
#[derive(Debug, Default)]
pub struct Discovered {
    pub contracts: Vec<ContractFile>,
    /// Files that are, or may be, contracts but are not compared, with why: the report lists
    /// them so that nothing is left out silently.
    pub skipped: Vec<SkippedFile>,
    /// Files that would be compared and cannot be: refused names, special files. Each is an
    /// error of the run; the other contracts are still compared.
    pub errors: Vec<Error>,
    /// Per `[[contracts]]` entry, whether its glob matched any file of this tree.
    pub spec_matched: Vec<bool>,
    /// Files found to be Git LFS pointers while sniffing (also in `skipped`).
    pub lfs_pointers: Vec<String>,
}

impl Discovered {
    /// A pointer at a path where `other` has a contract is that contract with its content
    /// missing: compared (and so refused with the LFS hint) instead of read as removed.
    pub fn adopt_lfs_pointers(&mut self, other: &[ContractFile]) {
        for path in std::mem::take(&mut self.lfs_pointers) {
            match other.iter().find(|c| c.path == path) {
                Some(contract) => {
                    self.skipped.retain(|s| s.path != path);
                    self.contracts.push(ContractFile { path, kind: contract.kind });
                }
                None => self.lfs_pointers.push(path),
            }
        }
        self.contracts.sort();
    }
}

/// A file left out, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct SkippedFile {
    /// Control characters escaped.
    pub path: String,
    pub reason: String,
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
pub fn discover(tree: &dyn Tree, config: &Config, only: Option<Kind>) -> Result<Discovered> {
    if let Some(entry) = tree.entry() {
        return Ok(Discovered { contracts: vec![entry_contract(tree, entry, only)?], ..Discovered::default() });
    }
    let mut found = Discovered { spec_matched: vec![false; config.contracts.len()], ..Discovered::default() };
    left_out(tree, &mut found)?;
    if config.contracts.is_empty() {
        by_sniffing(tree, &mut found)?
    } else {
        by_config(tree, config, &mut found)?
    };
    found.contracts.retain(|contract| only.is_none_or(|kind| contract.kind == kind));
    found.contracts.sort();
    found.contracts.dedup();
    found.skipped.sort();
    Ok(found)
}

/// What the tree itself leaves out (refused names, submodules, special files): an error when the
/// name says it would be a contract, a note otherwise.
fn left_out(tree: &dyn Tree, found: &mut Discovered) -> Result<()> {
    for skipped in tree.skipped()? {
        let looks_like_contract = sniff::candidate(&skipped.path).is_some();
        let refused =
            matches!(skipped.why, SkipReason::UnsafePath(_) | SkipReason::NotUtf8 | SkipReason::NotRegularFile);
        match &skipped.why {
            SkipReason::Unreadable(_) => found.errors.push(Error::input(
                &skipped.path,
                1,
                1,
                format!("{} in {}", skipped.why.describe(), tree.label()),
                Some("contracts in it may be missing from the comparison: make it readable".into()),
            )),
            _ if refused && looks_like_contract => {
                found.errors.push(Error::input(
                    &skipped.path,
                    1,
                    1,
                    format!("{} in {}", skipped.why.describe(), tree.label()),
                    Some("rename the file to a plain relative path (no control characters, `..`, `.git` or backslashes), or remove it".into()),
                ));
            }
            why => found.skipped.push(SkippedFile { path: skipped.path.clone(), reason: why.describe() }),
        }
    }
    Ok(())
}

fn entry_contract(tree: &dyn Tree, entry: &str, only: Option<Kind>) -> Result<ContractFile> {
    let kind = match only {
        Some(kind) => Some(kind),
        None => match sniff(tree, entry)? {
            Sniffed::Contract(kind) => Some(kind),
            Sniffed::LfsPointer => return Err(lfs::pointer_error(entry)),
            Sniffed::TooBig | Sniffed::Nothing => None,
        },
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
fn by_sniffing(tree: &dyn Tree, found: &mut Discovered) -> Result<()> {
    for path in tree.list()? {
        if sniff::in_skipped_folder(&path) {
            continue;
        }
        // A file that cannot be read is an error of its own; the others are still compared.
        match sniff(tree, &path) {
            Ok(Sniffed::Contract(kind)) => found.contracts.push(ContractFile { path, kind }),
            Ok(Sniffed::Nothing) => {}
            Ok(other) => {
                if matches!(other, Sniffed::LfsPointer) {
                    found.lfs_pointers.push(path.clone());
                }
                found.skipped.push(SkippedFile { path, reason: other.reason() })
            }
            Err(error) => found.errors.push(error),
        }
    }
    Ok(())
}

/// What sniffing a file tells.
enum Sniffed {
    Contract(Kind),
    Nothing,
    /// A Git LFS pointer stands where the file should be: what it is cannot be told.
    LfsPointer,
    /// Too big to sniff ([`sniff::MAX_SNIFF_BYTES`]).
    TooBig,
}

impl Sniffed {
    fn reason(&self) -> String {
        match self {
            Sniffed::LfsPointer => lfs::POINTER_NOTE.to_string(),
            Sniffed::TooBig => format!(
                "larger than {} MiB, so not read to tell whether it is a contract; list it under [[contracts]] to compare it",
                sniff::MAX_SNIFF_BYTES >> 20
            ),
            Sniffed::Contract(_) | Sniffed::Nothing => String::new(),
        }
    }
}

fn sniff(tree: &dyn Tree, path: &str) -> Result<Sniffed> {
    Ok(match sniff::candidate(path) {
        None => Sniffed::Nothing,
        Some(sniff::Candidate::Known(kind)) => Sniffed::Contract(kind),
        Some(sniff::Candidate::ByContent) => match tree.read(path)? {
            None => Sniffed::Nothing,
            Some(bytes) if lfs::is_pointer(&bytes) => Sniffed::LfsPointer,
            Some(bytes) if bytes.len() > sniff::MAX_SNIFF_BYTES => Sniffed::TooBig,
            Some(bytes) => sniff::kind_of_document(&bytes).map_or(Sniffed::Nothing, Sniffed::Contract),
        },
    })
}

/// Files matching the config's globs. A spec without `kind` takes the sniffed one; a matched file
/// that sniffs as nothing is not a contract (a broad glob like `api/**/*.yaml` also matches
/// fragments that `$ref`s pull in). When several specs match, the first one decides. Folders that
/// sniffing skips are not skipped here: the user named these files. An LFS pointer the user named
/// is a contract whose content is missing: its engine says so when it reads it.
fn by_config(tree: &dyn Tree, config: &Config, found: &mut Discovered) -> Result<()> {
    let globs = config.contract_globs()?;
    for path in tree.list()? {
        let matching = globs.matches(&path);
        let Some(&first) = matching.first() else { continue };
        for &index in &matching {
            found.spec_matched[index] = true;
        }
        let sniffed = match config.contracts[first].kind {
            Some(kind) => Sniffed::Contract(kind),
            None => match sniff(tree, &path) {
                Ok(sniffed) => sniffed,
                Err(error) => {
                    found.errors.push(error);
                    continue;
                }
            },
        };
        match sniffed {
            Sniffed::Contract(kind) => found.contracts.push(ContractFile { path, kind }),
            Sniffed::LfsPointer => found.errors.push(lfs::pointer_error(&path)),
            Sniffed::Nothing => {}
            other @ Sniffed::TooBig => found.skipped.push(SkippedFile { path, reason: other.reason() }),
        }
    }
    Ok(())
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
