//! Which files of a revision are contracts, and which base contract pairs with which head one.

use crate::config::Config;
use crate::error::Result;
use crate::formats::Kind;
use crate::source::Tree;

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
pub fn discover(tree: &dyn Tree, config: &Config, only: Option<Kind>) -> Result<Vec<ContractFile>> {
    let _ = (tree, config, only);
    todo!()
}

/// Pair base and head contracts by path; an unpaired removed and added contract of the same kind
/// pair as a rename when their contents are the same or similar, as git's rename detection does.
pub fn pair(base_tree: &dyn Tree, base: &[ContractFile], head_tree: &dyn Tree, head: &[ContractFile]) -> Result<Vec<Pair>> {
    let _ = (base_tree, base, head_tree, head);
    todo!()
}
