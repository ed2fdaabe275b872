//! Plain files and folders (`contractdiff diff OLD NEW`), and a repository's work tree.

use super::{path, SkipReason, Skipped, Tree};
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
    /// The walk of the folder, made on first use: `list` and `skipped` are both asked for, and
    /// a big folder must not be walked twice.
    walked: std::sync::OnceLock<Walked>,
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
        Ok(FsTree { root, label: folder.display().to_string(), entry: None, walked: Default::default() })
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
            walked: Default::default(),
        })
    }

    /// The folder every path is relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn walked(&self) -> Result<&Walked> {
        if let Some(walked) = self.walked.get() {
            return Ok(walked);
        }
        let mut walked = Walked::default();
        walk(&self.root, "", &mut |_| true, &mut walked)?;
        walked.files.sort();
        walked.skipped.sort();
        Ok(self.walked.get_or_init(|| walked))
    }
}

impl Tree for FsTree {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn list(&self) -> Result<Vec<String>> {
        Ok(self.walked()?.files.clone())
    }

    fn skipped(&self) -> Result<Vec<Skipped>> {
        Ok(self.walked()?.skipped.clone())
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
    skipped: Vec<Skipped>,
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
        let mut walked = Walked::default();
        for entry in index.entries() {
            let name = entry.path(&index);
            let why = match path::from_bytes(name.as_ref()) {
                _ if entry.mode == gix::index::entry::Mode::COMMIT => Some(SkipReason::Submodule),
                _ if !is_regular_file(entry.mode) => None,
                Ok(name) => match path::refusal(&name) {
                    Some(why) => Some(SkipReason::UnsafePath(why)),
                    None if is_file_under(&root, &name) => {
                        walked.files.push(name);
                        None
                    }
                    None => None,
                },
                Err(_) => Some(SkipReason::NotUtf8),
            };
            if let Some(why) = why {
                walked.skipped.push(Skipped { path: path::shown(&String::from_utf8_lossy(name.as_ref())), why });
            }
        }
        let mut files: BTreeSet<String> = walked.files.drain(..).collect();

        let mut excludes =
            worktree.excludes(None).map_err(|err| Error::git(format!("cannot read .gitignore files: {err}"), None))?;
        let mut is_ignored = |rel: &str, is_dir: bool| {
            let mode = if is_dir { gix::index::entry::Mode::DIR } else { gix::index::entry::Mode::FILE };
            excludes.at_entry(rel, Some(mode)).map(|platform| platform.is_excluded()).unwrap_or(false)
        };
        let mut untracked = Walked::default();
        walk(&root, "", &mut |(rel, is_dir)| !is_ignored(rel, is_dir), &mut untracked)?;
        files.extend(untracked.files.into_iter().filter(|path| !tracked.contains(path)));
        // A submodule's folder is tracked; the walk sees it as a nested repository too.
        let submodules: BTreeSet<String> = walked.skipped.iter().map(|s| s.path.clone()).collect();
        walked.skipped.extend(untracked.skipped.into_iter().filter(|s| !submodules.contains(&s.path)));
        walked.skipped.sort();
        Ok(WorkTree { root, files: files.into_iter().collect(), skipped: walked.skipped })
    }
}

impl Tree for WorkTree {
    fn label(&self) -> String {
        "work tree".to_string()
    }

    fn list(&self) -> Result<Vec<String>> {
        Ok(self.files.clone())
    }

    fn skipped(&self) -> Result<Vec<Skipped>> {
        Ok(self.skipped.clone())
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        read_under(&self.root, path)
    }
}

/// What a walk of a folder found: the files, and what it left out.
#[derive(Default)]
struct Walked {
    files: Vec<String>,
    skipped: Vec<Skipped>,
}

/// Collect the files below `root/rel` into `out`. `keep((rel, is_dir))` prunes: a folder it
/// refuses is not entered. `.git` is always skipped, nested repositories are noted and not
/// entered; a symlink counts when it leads to a file inside the root. Names that are not UTF-8
/// or that [`path::refusal`] refuses, and special files, are noted instead of listed.
fn walk(root: &Path, rel: &str, keep: &mut dyn FnMut((&str, bool)) -> bool, out: &mut Walked) -> Result<()> {
    let dir = root.join(rel);
    // One unreadable folder among many is noted, and the rest is walked; the root must be read.
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(source) if rel.is_empty() => return Err(io_error(&dir, source)),
        Err(source) => {
            out.skipped.push(Skipped { path: path::shown(rel), why: SkipReason::Unreadable(source.to_string()) });
            return Ok(());
        }
    };
    for entry in entries {
        let entry = entry.map_err(|source| io_error(&dir, source))?;
        let raw = entry.file_name();
        if raw == ".git" {
            continue;
        }
        let shown_child =
            |name: &str| path::shown(&if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") });
        let Some(name) = raw.to_str() else {
            out.skipped.push(Skipped { path: shown_child(&raw.to_string_lossy()), why: SkipReason::NotUtf8 });
            continue;
        };
        let child = if rel.is_empty() { name.to_string() } else { format!("{rel}/{name}") };
        if let Some(why) = path::refusal(&child) {
            out.skipped.push(Skipped { path: path::shown(&child), why: SkipReason::UnsafePath(why) });
            continue;
        }
        let kind = entry.file_type().map_err(|source| io_error(&entry.path(), source))?;
        if kind.is_dir() {
            if !keep((&child, true)) {
                continue;
            }
            if entry.path().join(".git").exists() {
                out.skipped.push(Skipped { path: child, why: SkipReason::Submodule });
            } else {
                walk(root, &child, keep, out)?;
            }
        } else if kind.is_file() || (kind.is_symlink() && is_file_under(root, &child)) {
            if keep((&child, false)) {
                out.files.push(child);
            }
        } else if !kind.is_symlink() && keep((&child, false)) {
            out.skipped.push(Skipped { path: child, why: SkipReason::NotRegularFile });
        }
    }
    Ok(())
}

/// The bytes of `rel` below `root`, or `None` when it is absent or its path is refused. A
/// symlink that leads out of the root and a file that is not a regular file (a FIFO would
/// block the read forever) are errors that say so.
fn read_under(root: &Path, rel: &str) -> Result<Option<Vec<u8>>> {
    if !path::is_safe(rel) {
        return Ok(None);
    }
    let joined = root.join(rel);
    let path = match joined.canonicalize() {
        Ok(path) => path,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => return Err(io_error(&joined, source)),
    };
    if !path.starts_with(root) {
        return Err(Error::usage(
            format!("{} leads to {}, outside {}", path::shown(rel), path.display(), root.display()),
            "contractdiff reads nothing outside the compared folder: copy the file in, or compare a folder that holds both"
                .to_string(),
        ));
    }
    let meta = std::fs::metadata(&path).map_err(|source| io_error(&path, source))?;
    if meta.is_dir() {
        return Ok(None);
    }
    if !meta.is_file() {
        return Err(Error::usage(
            format!("{} is not a regular file (a FIFO, socket or device)", path::shown(rel)),
            "contracts must be regular files".to_string(),
        ));
    }
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
