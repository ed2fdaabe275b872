//! A revision's tree read straight from git's object database: no checkout, no index, no network.

use super::{path, SkipReason, Skipped, Tree, Version};
use crate::error::{Error, Result};
use gix::ObjectId;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
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

/// How to get the history a shallow clone lacks.
const UNSHALLOW_HINT: &str =
    "fetch the whole history: `fetch-depth: 0` in actions/checkout, or `git fetch --unshallow`";

/// An error for something git cannot find; in a shallow clone, the likely cause and its fix.
fn missing(repo: &gix::Repository, message: &str, rev: &str) -> Error {
    if repo.is_shallow().unwrap_or(false) {
        return Error::git(
            format!("{message}; this repository is a shallow clone, so older history is missing"),
            UNSHALLOW_HINT.to_string(),
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

/// The files of a git tree by path, with their blob ids, and the entries left out. Symlinks are
/// not files here.
#[derive(Default)]
struct Listing {
    files: BTreeMap<String, ObjectId>,
    skipped: Vec<Skipped>,
}

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
        let mut listing = Listing::default();
        for entry in entries {
            let why = match path::from_bytes(entry.filepath.as_ref()) {
                _ if entry.mode.is_commit() => Some(SkipReason::Submodule),
                _ if !entry.mode.is_blob() => continue,
                Ok(name) => match path::refusal(&name) {
                    None => {
                        listing.files.insert(name, entry.oid);
                        continue;
                    }
                    Some(why) => Some(SkipReason::UnsafePath(why)),
                },
                Err(_) => Some(SkipReason::NotUtf8),
            };
            if let Some(why) = why {
                let shown = String::from_utf8_lossy(entry.filepath.as_ref()).into_owned();
                listing.skipped.push(Skipped { path: path::shown(&shown), why });
            }
        }
        listing.skipped.sort();
        Ok(listing)
    }

    /// The blob id at `path`, without listing the whole tree when it has not been listed yet.
    fn blob_id(&self, path: &str) -> Result<Option<ObjectId>> {
        if !path::is_safe(path) {
            return Ok(None);
        }
        if let Some(listing) = self.listing.get() {
            return Ok(listing.files.get(path).copied());
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
        Ok(self.listing()?.files.keys().cloned().collect())
    }

    fn skipped(&self) -> Result<Vec<Skipped>> {
        Ok(self.listing()?.skipped.clone())
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

    fn history(&self, paths: &[String]) -> Result<BTreeMap<String, Vec<Version>>> {
        if paths.is_empty() {
            return Ok(BTreeMap::new());
        }
        let repo = self.repo.to_thread_local();
        let commits = self.ancestry(&repo)?;
        let mut search = PathSearch::new(paths);
        // This commit's own contents first, so that they are known and never reported.
        search.visit(&repo, 0, self.tree, None).map_err(|err| self.error("cannot read the history", err))?;
        for commit in &commits[1..] {
            search
                .visit(&repo, 0, commit.tree, Some(commit.id))
                .map_err(|err| self.error("cannot read the history", err))?;
        }
        search.versions(&repo).map_err(|err| self.error("cannot read the history", err))
    }
}

/// A commit of the history walk.
struct Ancestor {
    id: ObjectId,
    /// Committer time, in seconds since the epoch.
    time: i64,
    tree: ObjectId,
    parents: Vec<ObjectId>,
}

impl GitTree {
    /// Every commit reachable from this one, through all parents, in git's `--date-order`:
    /// newest committer time first, but never a commit before all its children, ties broken by
    /// id. This commit comes first. A shallow clone's boundary is an error: what lies beyond it
    /// would silently be missing.
    fn ancestry(&self, repo: &gix::Repository) -> Result<Vec<Ancestor>> {
        let shallow: HashSet<ObjectId> = repo
            .shallow_commits()
            .map_err(|err| self.error("cannot read the list of shallow commits", err))?
            .map(|commits| commits.iter().copied().collect())
            .unwrap_or_default();
        let mut found: HashMap<ObjectId, Ancestor> = HashMap::new();
        let mut pending = vec![(self.commit, None::<ObjectId>)];
        while let Some((id, child)) = pending.pop() {
            if found.contains_key(&id) {
                continue;
            }
            if shallow.contains(&id) {
                return Err(Error::git(
                    format!(
                        "the history of {} is cut at commit {}: this repository is a shallow clone, so the earlier \
                         versions that a transitive compatibility level checks against are missing",
                        self.label(),
                        short(&id)
                    ),
                    UNSHALLOW_HINT.to_string(),
                ));
            }
            let ancestor = read_ancestor(repo, id).map_err(|err| {
                let whose = child.map(|c| format!(", a parent of {}", short(&c))).unwrap_or_default();
                self.error(&format!("cannot read commit {id}{whose} in the history"), err)
            })?;
            pending.extend(ancestor.parents.iter().map(|parent| (*parent, Some(id))));
            found.insert(id, ancestor);
        }
        Ok(date_order(self.commit, found))
    }
}

/// gix's errors, of several types, reach the user only as text.
type GixResult<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn read_ancestor(repo: &gix::Repository, id: ObjectId) -> GixResult<Ancestor> {
    let commit = repo.find_commit(id)?;
    let decoded = commit.decode()?;
    Ok(Ancestor { id, time: decoded.time()?.seconds, tree: decoded.tree(), parents: decoded.parents().collect() })
}

/// `commits` (all reachable from `tip`) sorted as `git log --date-order` would, with ties on
/// time broken by id so that the order never depends on hashing.
fn date_order(tip: ObjectId, mut commits: HashMap<ObjectId, Ancestor>) -> Vec<Ancestor> {
    let mut children: HashMap<ObjectId, usize> = HashMap::new();
    for commit in commits.values() {
        for parent in &commit.parents {
            *children.entry(*parent).or_default() += 1;
        }
    }
    let key = |commit: &Ancestor| (commit.time, std::cmp::Reverse(commit.id));
    let mut ready = BinaryHeap::new();
    ready.push((key(&commits[&tip]), tip));
    let mut order = Vec::with_capacity(commits.len());
    while let Some((_, id)) = ready.pop() {
        let commit = commits.remove(&id).expect("each commit is ready once");
        for parent in &commit.parents {
            let waiting = children.get_mut(parent).expect("counted above");
            *waiting -= 1;
            if *waiting == 0 {
                ready.push((key(&commits[parent]), *parent));
            }
        }
        order.push(commit);
    }
    order
}

/// The requested paths as a trie of path segments, and what the walk has found for each.
///
/// A subtree is read only the first time its id is met at a given trie node: an identical
/// subtree holds identical blobs, all seen already. Most commits touch few folders, so most of
/// the history costs one root tree read per commit.
struct PathSearch {
    paths: Vec<String>,
    nodes: Vec<TrieNode>,
    visited: HashSet<(usize, ObjectId)>,
    /// Per path: every blob id met so far (this commit's own included).
    seen: Vec<HashSet<ObjectId>>,
    /// Per path: the earlier blobs, newest first, each with the first (newest) commit holding it.
    earlier: Vec<Vec<(ObjectId, ObjectId)>>,
}

#[derive(Default)]
struct TrieNode {
    children: HashMap<Vec<u8>, usize>,
    /// The index in `paths` of the file this node names.
    path: Option<usize>,
}

impl PathSearch {
    fn new(paths: &[String]) -> PathSearch {
        let mut unique: Vec<String> = paths.to_vec();
        unique.sort();
        unique.dedup();
        let mut nodes = vec![TrieNode::default()];
        for (index, path) in unique.iter().enumerate() {
            let mut node = 0;
            for segment in path.split('/') {
                let next = nodes.len();
                node = *nodes[node].children.entry(segment.as_bytes().to_vec()).or_insert(next);
                if node == next {
                    nodes.push(TrieNode::default());
                }
            }
            nodes[node].path = Some(index);
        }
        let count = unique.len();
        PathSearch {
            paths: unique,
            nodes,
            visited: HashSet::new(),
            seen: vec![HashSet::new(); count],
            earlier: vec![Vec::new(); count],
        }
    }

    /// Look for the paths below trie `node` in `tree`. `commit` is `None` for this side's own
    /// commit, whose blobs are noted but not reported.
    fn visit(
        &mut self,
        repo: &gix::Repository,
        node: usize,
        tree: ObjectId,
        commit: Option<ObjectId>,
    ) -> GixResult<()> {
        if !self.visited.insert((node, tree)) {
            return Ok(());
        }
        let tree = repo.find_object(tree)?;
        let mut subtrees = Vec::new();
        for entry in gix::objs::TreeRefIter::from_bytes(&tree.data, tree.id.kind()) {
            let entry = entry?;
            let Some(&child) = self.nodes[node].children.get(entry.filename.as_ref() as &[u8]) else { continue };
            let child_node = &self.nodes[child];
            if entry.mode.is_tree() && !child_node.children.is_empty() {
                subtrees.push((child, entry.oid.to_owned()));
            } else if let (true, Some(path)) = (entry.mode.is_blob(), child_node.path) {
                if self.seen[path].insert(entry.oid.to_owned()) {
                    if let Some(commit) = commit {
                        self.earlier[path].push((entry.oid.to_owned(), commit));
                    }
                }
            }
        }
        drop(tree);
        for (child, subtree) in subtrees {
            self.visit(repo, child, subtree, commit)?;
        }
        Ok(())
    }

    /// Every requested path with its earlier versions, each distinct blob read once.
    fn versions(self, repo: &gix::Repository) -> GixResult<BTreeMap<String, Vec<Version>>> {
        let mut blobs: HashMap<ObjectId, Vec<u8>> = HashMap::new();
        let mut out = BTreeMap::new();
        for (path, earlier) in self.paths.into_iter().zip(self.earlier) {
            let mut versions = Vec::with_capacity(earlier.len());
            for (blob, commit) in earlier {
                let bytes = match blobs.get(&blob) {
                    Some(bytes) => bytes.clone(),
                    None => {
                        let bytes = repo.find_object(blob)?.detach().data;
                        blobs.insert(blob, bytes.clone());
                        bytes
                    }
                };
                versions.push(Version { commit: commit.to_string(), content_id: blob.to_string(), bytes });
            }
            out.insert(path, versions);
        }
        Ok(out)
    }
}

/// The 7-character abbreviation git shows by default.
fn short(id: &ObjectId) -> String {
    id.to_string()[..7].to_string()
}
