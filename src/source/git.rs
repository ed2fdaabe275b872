//! A revision's tree read straight from git's object database: no checkout, no index, no network.

use super::Tree;
use crate::error::{Error, Result};
use gix::ObjectId;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The repository a command runs in, found from `cwd` upwards as git does (honouring `GIT_DIR`).
pub fn discover_repo(cwd: &Path) -> Result<gix::ThreadSafeRepository> {
    gix::ThreadSafeRepository::discover_with_environment_overrides(cwd).map_err(|err| {
        Error::git(
            format!("{} is not inside a git repository ({err})", cwd.display()),
            "run contractdiff inside a git repository, or compare two files or folders with `contractdiff diff OLD NEW`"
                .to_string(),
        )
    })
}

/// The commit `rev` names. In a shallow clone a revision outside the fetched history is missing,
/// which the error says, because that is the usual reason in CI.
pub fn resolve_commit(repo: &gix::Repository, rev: &str) -> Result<ObjectId> {
    let object = repo
        .rev_parse_single(rev)
        // gix's own message ("delegate.traverse(NthAncestor(9)) failed") would not help the user.
        .map_err(|_| missing(repo, &format!("unknown revision `{rev}`"), rev))?
        .object()
        .map_err(|err| {
            missing(repo, &format!("revision `{rev}` names an object that is not in the repository ({err})"), rev)
        })?;
    let commit = object.peel_to_commit().map_err(|err| {
        Error::git(
            format!("revision `{rev}` does not name a commit ({err})"),
            "give a branch, tag or commit id".to_string(),
        )
    })?;
    Ok(commit.id)
}

/// The best common ancestor of `a` and `b`, for `A...B`.
pub fn merge_base(repo: &gix::Repository, a: (&str, ObjectId), b: (&str, ObjectId)) -> Result<ObjectId> {
    let what = format!("no merge base between `{}` and `{}`", a.0, b.0);
    match repo.merge_base(a.1, b.1) {
        Ok(Some(base)) => Ok(base.detach()),
        Ok(None) => Err(missing(repo, &format!("{what}: their histories are unrelated"), a.0)),
        Err(err) => Err(missing(repo, &format!("{what} ({err})"), a.0)),
    }
}

/// An error for something git cannot find; in a shallow clone, the likely cause and its fix.
fn missing(repo: &gix::Repository, message: &str, rev: &str) -> Error {
    if repo.is_shallow().unwrap_or(false) {
        return Error::git(
            format!("{message}; this repository is a shallow clone, so older history is missing"),
            "fetch the whole history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`".to_string(),
        );
    }
    let is_name = rev.chars().all(|c| c.is_ascii_alphanumeric() || "/-_.".contains(c));
    let hint = if is_name {
        format!("check the spelling, or fetch it first: `git fetch origin {rev}`")
    } else {
        "check the spelling, and that the history goes back that far (`git log --oneline`)".to_string()
    };
    Error::git(message, hint)
}

/// A file in a git tree: its blob id. Symlinks and submodules are not files here.
type Listing = BTreeMap<String, ObjectId>;

/// The tree of one commit.
pub struct GitTree {
    repo: gix::ThreadSafeRepository,
    /// What the user called it (`main`, `HEAD~1`, `merge base of main and HEAD`).
    name: String,
    commit: ObjectId,
    tree: ObjectId,
    /// Built on first use: one traversal answers every later `list`/`read`/`content_id`.
    listing: OnceLock<Listing>,
}

impl GitTree {
    /// The tree of `commit`, named `name` in labels.
    pub fn at(repo: &gix::ThreadSafeRepository, name: &str, commit: ObjectId) -> Result<GitTree> {
        let local = repo.to_thread_local();
        let tree = local
            .find_commit(commit)
            .and_then(|c| c.tree_id())
            .map_err(|err| missing(&local, &format!("cannot read commit {commit} of `{name}` ({err})"), name))?
            .detach();
        Ok(GitTree { repo: repo.clone(), name: name.to_string(), commit, tree, listing: OnceLock::new() })
    }

    /// The tree of the commit `rev` names.
    pub fn open(repo: &gix::ThreadSafeRepository, rev: &str) -> Result<GitTree> {
        let commit = resolve_commit(&repo.to_thread_local(), rev)?;
        GitTree::at(repo, rev, commit)
    }

    fn listing(&self) -> Result<&Listing> {
        if let Some(listing) = self.listing.get() {
            return Ok(listing);
        }
        let listing = self.traverse()?;
        Ok(self.listing.get_or_init(|| listing))
    }

    fn traverse(&self) -> Result<Listing> {
        let repo = self.repo.to_thread_local();
        let entries = repo
            .find_tree(self.tree)
            .and_then(|tree| tree.traverse().breadthfirst.files())
            .map_err(|err| self.error("cannot list the files", err))?;
        Ok(entries
            .into_iter()
            .filter(|entry| entry.mode.is_blob())
            .map(|entry| (entry.filepath.to_string(), entry.oid))
            .collect())
    }

    /// The blob id at `path`, without listing the whole tree when it has not been listed yet.
    fn blob_id(&self, path: &str) -> Result<Option<ObjectId>> {
        if let Some(listing) = self.listing.get() {
            return Ok(listing.get(path).copied());
        }
        let repo = self.repo.to_thread_local();
        let entry = repo
            .find_tree(self.tree)
            .and_then(|tree| tree.lookup_entry_by_path(path))
            .map_err(|err| self.error(&format!("cannot look up {path}"), err))?;
        Ok(entry.filter(|e| e.mode().is_blob()).map(|e| e.object_id()))
    }

    fn error(&self, what: &str, err: impl std::fmt::Display) -> Error {
        Error::git(format!("{what} in {}: {err}", self.label()), None)
    }
}

impl Tree for GitTree {
    fn label(&self) -> String {
        format!("{} ({})", self.name, short(&self.commit))
    }

    fn commit(&self) -> Option<String> {
        Some(self.commit.to_string())
    }

    fn list(&self) -> Result<Vec<String>> {
        Ok(self.listing()?.keys().cloned().collect())
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let Some(id) = self.blob_id(path)? else { return Ok(None) };
        let repo = self.repo.to_thread_local();
        let mut blob = repo.find_blob(id).map_err(|err| self.error(&format!("cannot read {path}"), err))?;
        Ok(Some(blob.take_data()))
    }

    fn content_id(&self, path: &str) -> Option<String> {
        self.blob_id(path).ok().flatten().map(|id| id.to_string())
    }
}

/// The 7-character abbreviation git shows by default.
fn short(id: &ObjectId) -> String {
    id.to_string()[..7].to_string()
}
