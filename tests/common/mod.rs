//! Temporary git repositories for the integration tests, built with the `git` CLI.
#![allow(dead_code)] // each test file uses its own part of these helpers

use std::path::Path;
use std::process::Command;

/// A repository in a temporary folder, on branch `main`.
pub struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let repo = Repo { dir: tempfile::tempdir().expect("tempdir") };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    pub fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self.rev("HEAD")
    }

    pub fn rev(&self, rev: &str) -> String {
        self.git(&["rev-parse", rev]).trim().to_string()
    }

    /// Everything contractdiff must leave alone: the index's bytes and mtime, status, HEAD.
    /// The index is read first and `status` runs without optional locks: a plain `git status`
    /// refreshes (rewrites) the index itself.
    pub fn state(&self) -> (Vec<u8>, Option<std::time::SystemTime>, String, String) {
        let index = self.path().join(".git/index");
        (
            std::fs::read(&index).unwrap_or_default(),
            std::fs::metadata(&index).and_then(|m| m.modified()).ok(),
            self.git(&["--no-optional-locks", "status", "--porcelain", "--untracked-files=all", "--ignored"]),
            std::fs::read_to_string(self.path().join(".git/HEAD")).unwrap(),
        )
    }
}

/// git with a fixed identity and no user or system config, so the machine cannot interfere.
pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(["-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}
