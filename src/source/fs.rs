//! Plain files and folders (`contractdiff diff OLD NEW`), and a repository's work tree.

use super::Tree;
use crate::error::{Error, Result};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// A folder on disk, or one file in its folder.
///
/// Paths are `/`-separated and relative to the root. `.git` is skipped, and nothing outside the
/// root is reachable: a symlink pointing out of it is treated as absent, and symlinked folders
/// are not descended into (they would list files twice, or loop).
pub struct FsTree {
    /// Canonical, so that symlink targets can be checked against it.
    root: PathBuf,
    label: String,
    /// In single-file mode, the file the user named.
    entry: Option<String>,
}

impl FsTree {
    /// A file or a folder, whichever `path` is.
    pub fn open(path: &Path) -> Result<FsTree> {
        let meta = std::fs::metadata(path).map_err(|source| io_error(path, source))?;
        if meta.is_dir() {
            FsTree::folder(path)
        } else {
            FsTree::file(path)
        }
    }

    /// Every file below `folder`.
    pub fn folder(folder: &Path) -> Result<FsTree> {
        let root = canonical_dir(folder)?;
        Ok(FsTree { root, label: folder.display().to_string(), entry: None })
    }

    /// One file. The root is its folder so relative `$ref`s to its siblings resolve;
    /// [`Tree::entry`] names the file.
    pub fn file(file: &Path) -> Result<FsTree> {
        let canonical = file.canonicalize().map_err(|source| io_error(file, source))?;
        let (Some(parent), Some(name)) = (canonical.parent(), canonical.file_name()) else {
            return Err(Error::usage(format!("{} is not a file", file.display()), None));
        };
        Ok(FsTree {
            root: parent.to_path_buf(),
            label: file.display().to_string(),
            entry: Some(name.to_string_lossy().into_owned()),
        })
    }

    /// The folder every path is relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Tree for FsTree {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn list(&self) -> Result<Vec<String>> {
        let mut files = Vec::new();
        walk(&self.root, "", &mut |_| true, &mut files)?;
        files.sort();
        Ok(files)
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        read_under(&self.root, path)
    }

    fn entry(&self) -> Option<&str> {
        self.entry.as_deref()
    }
}

/// The work tree of a repository, as `git status` sees it: tracked files as they are on disk
/// now, plus untracked files that are not ignored. Files deleted from disk are absent.
pub struct WorkTree {
    root: PathBuf,
    files: Vec<String>,
}

impl WorkTree {
    /// The work tree of `repo`. Errors for a bare repository, which has none.
    pub fn open(repo: &gix::Repository) -> Result<WorkTree> {
        let Some(worktree) = repo.worktree() else {
            return Err(Error::git(
                "this repository is bare, so it has no work tree to compare with",
                "give two revisions to compare, such as `main..HEAD`".to_string(),
            ));
        };
        let root = canonical_dir(worktree.base())?;
        let index = worktree.index().map_err(|err| Error::git(format!("cannot read the git index: {err}"), None))?;
        // Every tracked path, whatever it is (symlink, submodule): none of them is untracked.
        let tracked: BTreeSet<String> = index.entries().iter().map(|entry| entry.path(&index).to_string()).collect();
        let is_regular_file = |mode: gix::index::entry::Mode| {
            mode == gix::index::entry::Mode::FILE || mode == gix::index::entry::Mode::FILE_EXECUTABLE
        };
        let mut files: BTreeSet<String> = index
            .entries()
            .iter()
            .filter(|entry| is_regular_file(entry.mode))
            .map(|entry| entry.path(&index).to_string())
            .filter(|path| is_file_under(&root, path))
            .collect();

        let mut excludes =
            worktree.excludes(None).map_err(|err| Error::git(format!("cannot read .gitignore files: {err}"), None))?;
        let mut is_ignored = |rel: &str, is_dir: bool| {
            let mode = if is_dir { gix::index::entry::Mode::DIR } else { gix::index::entry::Mode::FILE };
            excludes.at_entry(rel, Some(mode)).map(|platform| platform.is_excluded()).unwrap_or(false)
        };
        let mut untracked = Vec::new();
        walk(&root, "", &mut |(rel, is_dir)| !is_ignored(rel, is_dir), &mut untracked)?;
        files.extend(untracked.into_iter().filter(|path| !tracked.contains(path)));
        let files = files.into_iter().collect();
        Ok(WorkTree { root, files })
    }
}

impl Tree for WorkTree {
    fn label(&self) -> String {
        "work tree".to_string()
    }

    fn list(&self) -> Result<Vec<String>> {
        Ok(self.files.clone())
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        read_under(&self.root, path)
    }
}

/// Collect the files below `root/rel` into `out`. `keep((rel, is_dir))` prunes: a folder it
/// refuses is not entered. `.git` and nested repositories are always skipped; a symlink counts
/// when it leads to a file inside the root.
fn walk(root: &Path, rel: &str, keep: &mut dyn FnMut((&str, bool)) -> bool, out: &mut Vec<String>) -> Result<()> {
    let dir = root.join(rel);
    let entries = std::fs::read_dir(&dir).map_err(|source| io_error(&dir, source))?;
    for entry in entries {
        let entry = entry.map_err(|source| io_error(&dir, source))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == ".git" {
            continue;
        }
        let child = if rel.is_empty() { name } else { format!("{rel}/{name}") };
        let kind = entry.file_type().map_err(|source| io_error(&entry.path(), source))?;
        if kind.is_dir() {
            let nested_repo = entry.path().join(".git").exists();
            if !nested_repo && keep((&child, true)) {
                walk(root, &child, keep, out)?;
            }
        } else if (kind.is_file() || (kind.is_symlink() && is_file_under(root, &child))) && keep((&child, false)) {
            out.push(child);
        }
    }
    Ok(())
}

/// The bytes of `rel` below `root`, or `None` when it is absent, escapes the root (by `..`, an
/// absolute path, or a symlink), or is not a file.
fn read_under(root: &Path, rel: &str) -> Result<Option<Vec<u8>>> {
    let Some(path) = resolve_under(root, rel) else { return Ok(None) };
    match std::fs::read(&path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if matches!(err.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory) => Ok(None),
        Err(source) => Err(io_error(&path, source)),
    }
}

fn is_file_under(root: &Path, rel: &str) -> bool {
    resolve_under(root, rel).is_some_and(|path| path.is_file())
}

/// `root/rel` with symlinks resolved, when it exists and stays inside `root`.
fn resolve_under(root: &Path, rel: &str) -> Option<PathBuf> {
    let relative = Path::new(rel);
    if !relative.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) {
        return None;
    }
    let path = root.join(relative).canonicalize().ok()?;
    path.starts_with(root).then_some(path)
}

fn canonical_dir(dir: &Path) -> Result<PathBuf> {
    dir.canonicalize().map_err(|source| io_error(dir, source))
}

fn io_error(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.display().to_string(), source }
}
