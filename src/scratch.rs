//! Private temporary folders (the only place contractdiff writes), removed however the run ends.
//!
//! Each [`Scratch`] is removed when it drops; the ones kept for the whole run (protoc itself)
//! when `main` returns ([`Guard`]); and all of them, with the processes we started that still
//! run, when SIGINT or SIGTERM arrives ([`Guard::install`]). For the signals, every thread blocks
//! them and one thread waits for them with `sigwait`: the cleanup then runs as ordinary code
//! (it may lock and allocate), where a signal handler could do neither.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What must not outlive the run: folders, and child process groups (by leader pid).
struct Live {
    dirs: Vec<PathBuf>,
    children: Vec<u32>,
}

static LIVE: Mutex<Live> = Mutex::new(Live { dirs: Vec::new(), children: Vec::new() });

fn live() -> MutexGuard<'static, Live> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// A private folder (mode 0700) under the temporary folder, removed on drop.
#[derive(Debug)]
pub struct Scratch {
    path: PathBuf,
}

impl Scratch {
    /// A new folder named `prefix` + random characters.
    pub fn new(prefix: &str) -> Result<Scratch> {
        let base = temp_root()?;
        // Created and registered under the lock: a signal's cleanup waits for it, so no folder
        // can be made and missed.
        let mut live = live();
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix);
        #[cfg(unix)]
        {
            // Only we may read what a pull request's files become, or swap the protoc we run.
            use std::os::unix::fs::PermissionsExt as _;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(&base).map_err(|e| unwritable(&base, &e))?;
        let path = dir.keep();
        live.dirs.push(path.clone());
        Ok(Scratch { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let mut live = live();
        let _ = std::fs::remove_dir_all(&self.path);
        live.dirs.retain(|dir| dir != &self.path);
    }
}

/// The temporary folder (`TMPDIR`, else the system's), as an absolute path: protoc runs in a
/// folder of its own, and a relative name could read as one of its options.
pub fn temp_root() -> Result<PathBuf> {
    let base = std::env::temp_dir();
    std::path::absolute(&base).map_err(|e| unwritable(&base, &e))
}

/// The error for a temporary folder that cannot be used.
pub fn unwritable(base: &Path, err: &dyn std::fmt::Display) -> Error {
    Error::usage(
        format!("cannot create a private folder in the temporary folder {}: {err}", base.display()),
        "contractdiff writes protoc and the .proto files it compiles to a temporary folder: set TMPDIR to \
         a writable folder that allows running programs (not mounted noexec)"
            .to_string(),
    )
}

/// Start a process (the leader of its own process group) and register it, to be killed if a
/// signal ends the run. Spawned under the registry's lock, so a signal cannot come between.
pub fn spawn_child(
    spawn: impl FnOnce() -> std::io::Result<std::process::Child>,
) -> std::io::Result<std::process::Child> {
    let mut live = live();
    let child = spawn()?;
    live.children.push(child.id());
    Ok(child)
}

/// Run `reap` (a non-blocking wait) under the lock; unregister `pid` when it says the child
/// has ended.
pub fn reap_child<T>(pid: u32, reap: impl FnOnce() -> Option<T>) -> Option<T> {
    let mut live = live();
    let done = reap();
    if done.is_some() {
        live.children.retain(|&child| child != pid);
    }
    done
}

/// Removes the run-long folders when `main` returns (normally or by a panic's unwinding).
pub struct Guard(());

impl Guard {
    /// Start the signal thread. Call first in `main`, before any other thread exists: threads
    /// inherit the blocked signals (child processes do not: std resets their mask).
    pub fn install() -> Guard {
        #[cfg(unix)]
        wait_for_signals();
        Guard(())
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let mut live = live();
        for dir in std::mem::take(&mut live.dirs) {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

#[cfg(unix)]
fn wait_for_signals() {
    // SAFETY: plain libc calls on a local, initialised signal set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGINT);
        libc::sigaddset(&mut set, libc::SIGTERM);
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        let waiter = std::thread::Builder::new().name("signals".into()).spawn(move || {
            let mut signal = 0;
            if libc::sigwait(&set, &mut signal) != 0 {
                return;
            }
            // Kept locked until exit: nothing can be created or reaped behind our back.
            let live = live();
            for &pid in &live.children {
                if let Ok(pid) = i32::try_from(pid) {
                    libc::kill(-pid, libc::SIGKILL);
                }
            }
            for dir in &live.dirs {
                let _ = std::fs::remove_dir_all(dir);
            }
            // As a shell reports a process ended by a signal: 130 for SIGINT, 143 for SIGTERM.
            std::process::exit(128 + signal);
        });
        if waiter.is_err() {
            // No thread to wait: let the signals act as before.
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scratch_folder_is_private_and_removed_on_drop() {
        let scratch = Scratch::new("contractdiff-test-").unwrap();
        let path = scratch.path().to_path_buf();
        assert!(path.is_absolute() && path.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o700);
        }
        assert!(live().dirs.contains(&path));
        drop(scratch);
        assert!(!path.exists());
        assert!(!live().dirs.contains(&path));
    }
}
