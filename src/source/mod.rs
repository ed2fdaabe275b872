//! What a revision looks like: a git tree read straight from the object database, the work
//! tree, or a plain file or folder. Nothing here writes to the repository or the work tree.

pub mod fs;
pub mod git;
pub mod lfs;
pub mod mem;
pub mod path;
pub mod range;

pub use fs::{FsTree, WorkTree};
pub use git::GitTree;
pub use range::{open, Sides};

use crate::error::Result;

/// One side of a comparison: a set of files addressed by `/`-separated paths relative to its root.
pub trait Tree: Send + Sync {
    /// How reports name this side: `main (3f2a1c9)`, `work tree`, or the folder's path.
    fn label(&self) -> String;
    /// Full commit id when the side is a git revision.
    fn commit(&self) -> Option<String> {
        None
    }
    /// Every file path in the tree, sorted. Only paths [`path::is_safe`] accepts: the others
    /// are in [`Tree::skipped`].
    fn list(&self) -> Result<Vec<String>>;
    /// What the tree holds but [`Tree::list`] leaves out, and why: refused paths, submodules,
    /// nested repositories, special files. Sorted by path.
    fn skipped(&self) -> Result<Vec<Skipped>> {
        Ok(Vec::new())
    }
    /// A file's bytes, or `None` when the path is absent or refused by [`path::is_safe`].
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>>;
    /// A content id (the git blob id where there is one) so unchanged files can be recognised
    /// without reading them twice. `None` when the tree cannot tell cheaply.
    fn content_id(&self, _path: &str) -> Option<String> {
        None
    }
    /// In single-file mode (`contractdiff diff a.yaml b.yaml`), the file the user named: it is
    /// the only contract of this side, whatever else its folder holds.
    fn entry(&self) -> Option<&str> {
        None
    }
    /// Earlier versions of each of `paths`, for Avro's transitive levels: the distinct contents
    /// each path had in the commits reachable from this side's commit through all parents (this
    /// commit's own content excluded), newest first in `git log --date-order` order. Paths are
    /// followed by name, not across renames. Every requested path is a key, with no versions
    /// when it never had another content. One history walk serves all paths; each distinct
    /// content is read once. In a shallow clone whose history is cut, an [`Error::Git`] that
    /// says how to fetch the rest (asking for no paths never fails). Empty outside git and for
    /// the work tree.
    ///
    /// [`Error::Git`]: crate::error::Error::Git
    fn history(&self, _paths: &[String]) -> Result<std::collections::BTreeMap<String, Vec<Version>>> {
        Ok(std::collections::BTreeMap::new())
    }
}

/// An entry of a tree that is not compared.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// As it may be shown ([`path::shown`]): control characters escaped.
    pub path: String,
    pub why: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SkipReason {
    /// [`path::refusal`]'s reason: the path could escape a folder or smuggle arguments.
    UnsafePath(&'static str),
    /// The name is not UTF-8.
    NotUtf8,
    /// A git submodule (or, in a folder, a nested repository): its files belong to another
    /// repository and are not compared.
    Submodule,
    /// A FIFO, socket or device: reading it could block forever.
    NotRegularFile,
    /// A folder that cannot be listed (permissions, I/O): what it holds is unknown.
    Unreadable(String),
}

impl SkipReason {
    pub fn describe(&self) -> String {
        match self {
            SkipReason::UnsafePath(why) => format!("refused: {why}"),
            SkipReason::NotUtf8 => "refused: the path is not UTF-8".to_string(),
            SkipReason::Submodule => {
                "a submodule: contracts inside submodules are not compared (compare them in their own repository)"
                    .to_string()
            }
            SkipReason::NotRegularFile => "not a regular file (a FIFO, socket or device)".to_string(),
            SkipReason::Unreadable(why) => format!("cannot be read: {why}"),
        }
    }
}

/// One earlier content of a file, from [`Tree::history`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The newest commit (in that order) in which the file had this content: the full id.
    pub commit: String,
    /// The blob id of the content (distinct versions have distinct ids).
    pub content_id: String,
    pub bytes: Vec<u8>,
}
