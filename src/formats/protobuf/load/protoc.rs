//! Running protoc 36.2 (built into the binary, see `build.rs`) on materialised files.
//!
//! protoc is the reference compiler: it compiles editions 2023 and 2024 (which protox-parse
//! cannot read), and whenever the in-process path ([`super::native`]) gives up (a syntax or link
//! error), protoc compiles the module again so the user gets protoc's own message. Its
//! `FileDescriptorSet` (with source info) is decoded by our own prost structs into our model.
//!
//! The input is hostile, so protoc only ever gets arguments it cannot read as options (see
//! [`Protoc::compile`]), and runs under a memory limit and a time limit, in its own process
//! group (killed whole on timeout or when a signal ends our run).

use super::descriptor::{self, FileDescriptorProto};
use crate::error::{Error, Result};
use crate::scratch::{self, Scratch};
use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/protoc_embedded.rs"));
}

/// Names a protoc to run instead of the built-in one (a distribution's own, or for tests).
const PROTOC_ENV: &str = "CONTRACTDIFF_PROTOC";
const MEMORY_ENV: &str = "CONTRACTDIFF_PROTOC_MEMORY_MB";
const TIMEOUT_ENV: &str = "CONTRACTDIFF_PROTOC_TIMEOUT_SECS";
/// googleapis' batches of 400 files need a few hundred MB; 5,000 nested groups took 2 GB.
const DEFAULT_MEMORY_MB: u64 = 2048;
/// googleapis' biggest batch takes a few seconds.
const DEFAULT_TIMEOUT_SECS: u64 = 120;
/// protoc's complaints kept; more is hostile input repeating itself.
const STDERR_CAP: u64 = 1 << 20;

/// Where protoc and its well-known types are, and the limits it runs under.
#[derive(Debug)]
pub struct Protoc {
    installed: Arc<Installed>,
    limits: Limits,
    /// The well-known types compiled, by import path, once per run: protox-parse cannot read
    /// `descriptor.proto` (an extension range with options), and the in-process path needs
    /// only their definitions.
    well_known: OnceLock<Option<Arc<HashMap<String, FileDescriptorProto>>>>,
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub memory_mb: u64,
    pub timeout: Duration,
}

/// protoc and the well-known types written out; the folder goes when the last [`Protoc`] does.
#[derive(Debug)]
struct Installed {
    bin: PathBuf,
    /// `google/protobuf/*.proto`, so the well-known types resolve without being in the repo.
    include: PathBuf,
    /// Set when protoc was written here (not named by [`PROTOC_ENV`]).
    folder: Option<PathBuf>,
    _scratch: Scratch,
}

/// Why protoc gave no descriptor set.
#[derive(Debug)]
pub enum Failure {
    /// protoc refused the input: its stderr.
    Refused(String),
    /// protoc used more memory than [`Limits::memory_mb`].
    OutOfMemory,
    /// protoc ran longer than [`Limits::timeout`] and was killed.
    TimedOut,
    /// protoc died of a signal (a crash, or the memory limit met where it could not report it).
    Crashed(String),
}

impl Protoc {
    /// The built-in protoc (or [`PROTOC_ENV`]'s), written to a private folder once however
    /// many loaders ask while one is alive.
    pub fn new() -> Result<Protoc> {
        static SHARED: Mutex<Weak<Installed>> = Mutex::new(Weak::new());
        let limits = Limits::from_env()?;
        let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
        let installed = match shared.upgrade() {
            Some(installed) => installed,
            None => {
                let installed = Arc::new(install()?);
                *shared = Arc::downgrade(&installed);
                installed
            }
        };
        Ok(Protoc { installed, limits, well_known: OnceLock::new() })
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// The descriptors of every `google/protobuf/*.proto` protoc ships, by import path; `None`
    /// if protoc could not compile them (then the in-process path is not taken).
    pub fn well_known(&self) -> Option<Arc<HashMap<String, FileDescriptorProto>>> {
        self.well_known.get_or_init(|| self.compile_well_known().map(Arc::new)).clone()
    }

    fn compile_well_known(&self) -> Option<HashMap<String, FileDescriptorProto>> {
        use prost::Message as _;
        let names: Vec<String> = embedded::INCLUDE
            .iter()
            .map(|(name, _)| name.to_string())
            .filter(|name| name.strip_prefix("google/protobuf/").is_some_and(|rest| !rest.contains('/')))
            .collect();
        let work = Scratch::new("contractdiff-wkt-").ok()?;
        let set = self.compile(work.path(), &[], &names).ok()?.ok()?;
        descriptor::files_of_set(&set)
            .map(|encoded| {
                let fd = FileDescriptorProto::decode(encoded.ok()?).ok()?;
                Some((fd.name().to_string(), fd))
            })
            .collect()
    }

    /// Compile `files` (import paths, all under `includes[0]`, or the well-known types when
    /// `includes` is empty) found under `includes` (in order, then the well-known types) into
    /// a `FileDescriptorSet` with imports and source info. `work` is a private folder for the
    /// argument file, the output and an empty working directory.
    ///
    /// protoc reads its `@argfile` one argument a line, and any argument starting with `-` as
    /// an option (`--x_out=.` runs a plugin `protoc-gen-x` from PATH): a file named
    /// `--x_out=.proto` must not become one. So files are passed as absolute paths on disk
    /// (protoc maps each back to its import path through the first `--proto_path` holding it),
    /// and every argument is refused if a newline could split it, or, for `--proto_path`, if a
    /// `:` or `=` would (protoc reads them as list and mapping separators).
    pub fn compile(&self, work: &Path, includes: &[PathBuf], files: &[String]) -> Result<Result<Vec<u8>, Failure>> {
        let io = |path: &Path, source: std::io::Error| Error::Io { path: path.display().to_string(), source };
        std::fs::create_dir_all(work).map_err(|e| io(work, e))?;
        let home = includes.first().unwrap_or(&self.installed.include);
        let out = work.join("set.pb");
        let mut args = String::from("--include_imports\n--include_source_info\n");
        push_arg(&mut args, Arg::Out, &out.display().to_string())?;
        for include in includes.iter().chain(std::iter::once(&self.installed.include)) {
            push_arg(&mut args, Arg::ProtoPath, &include.display().to_string())?;
        }
        for file in files {
            push_arg(&mut args, Arg::File, &home.join(file).display().to_string())?;
        }
        let argfile = work.join("args");
        std::fs::write(&argfile, args).map_err(|e| io(&argfile, e))?;
        // An empty working directory: protoc first tries each name as a path from its cwd.
        let cwd = work.join("cwd");
        std::fs::create_dir_all(&cwd).map_err(|e| io(&cwd, e))?;
        let mut command = Command::new(&self.installed.bin);
        command.arg(format!("@{}", argfile.display())).current_dir(&cwd);
        match self.run(command)? {
            Ran::Exited(status, _) if status.success() => {}
            Ran::Exited(status, stderr) => return Ok(Err(failure(status, stderr))),
            Ran::TimedOut => return Ok(Err(Failure::TimedOut)),
        }
        let set = std::fs::read(&out).map_err(|e| io(&out, e))?;
        let _ = std::fs::remove_file(&out);
        Ok(Ok(set))
    }

    /// Run protoc under the limits; its stderr (the first [`STDERR_CAP`] bytes).
    fn run(&self, mut command: Command) -> Result<Ran> {
        command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        #[cfg(unix)]
        limit(&mut command, self.limits.memory_mb);
        let mut child = scratch::spawn_child(|| spawn(&mut command)).map_err(|err| self.cannot_run(&err))?;
        let pid = child.id();
        let mut pipe = child.stderr.take();
        // stderr closes when protoc exits: waiting for it (with the deadline) costs no polling.
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut kept = Vec::new();
            if let Some(pipe) = pipe.as_mut() {
                let _ = pipe.take(STDERR_CAP).read_to_end(&mut kept);
                let _ = std::io::copy(pipe, &mut std::io::sink());
            }
            let _ = sender.send(String::from_utf8_lossy(&kept).into_owned());
        });
        let deadline = Instant::now() + self.limits.timeout;
        let stderr = receiver.recv_timeout(self.limits.timeout).ok();
        loop {
            // Reaped under the registry's lock, so a signal's cleanup never kills a reused pid.
            let waited = match stderr {
                Some(_) => scratch::reap_child(pid, || child.try_wait().transpose()),
                None => None,
            };
            match waited {
                Some(Ok(status)) => return Ok(Ran::Exited(status, stderr.unwrap_or_default())),
                Some(Err(err)) => {
                    return Err(Error::Io { path: self.installed.bin.display().to_string(), source: err })
                }
                None if stderr.is_none() || Instant::now() >= deadline => {
                    kill_group(pid);
                    let _ = child.kill();
                    scratch::reap_child(pid, || Some(child.wait()));
                    // The reader, if still blocked, ends with the pipe.
                    return Ok(Ran::TimedOut);
                }
                // stderr closed a moment before the exit.
                None => std::thread::sleep(Duration::from_millis(1)),
            }
        }
    }

    fn cannot_run(&self, err: &std::io::Error) -> Error {
        let bin = self.installed.bin.display();
        match &self.installed.folder {
            None => Error::usage(
                format!("cannot run the protoc named by {PROTOC_ENV} ({bin}): {err}"),
                format!("set {PROTOC_ENV} to a protoc 36 executable, or unset it to use the built-in one"),
            ),
            Some(folder) => Error::usage(
                format!("cannot run protoc from the temporary folder {}: {err}", folder.display()),
                "the temporary folder must allow running programs (it may be mounted noexec): set TMPDIR to a \
                 writable folder that does, e.g. TMPDIR=$HOME/.cache/contractdiff-tmp (create it first)"
                    .to_string(),
            ),
        }
    }
}

impl Limits {
    fn from_env() -> Result<Limits> {
        let number = |name: &str, default: u64| -> Result<u64> {
            match std::env::var(name) {
                Err(_) => Ok(default),
                Ok(text) => text.trim().parse::<u64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                    Error::usage(format!("{name}={text:?} is not a positive whole number"), format!("unset {name}"))
                }),
            }
        };
        Ok(Limits {
            memory_mb: number(MEMORY_ENV, DEFAULT_MEMORY_MB)?,
            timeout: Duration::from_secs(number(TIMEOUT_ENV, DEFAULT_TIMEOUT_SECS)?),
        })
    }

    /// What a message says about the limit `failure` met, and how to raise it.
    pub fn describe(&self, failure: &Failure) -> Option<(String, String)> {
        let raise = |name: &str| {
            format!(
                "no real .proto file needs this: look for a huge or generated file here and fix it; if the \
                 module really needs more, raise {name}"
            )
        };
        match failure {
            Failure::Refused(_) => None,
            Failure::OutOfMemory => {
                Some((format!("protoc ran out of its memory limit ({} MB)", self.memory_mb), raise(MEMORY_ENV)))
            }
            Failure::TimedOut => Some((
                format!("protoc ran longer than its time limit ({} s) and was stopped", self.timeout.as_secs()),
                raise(TIMEOUT_ENV),
            )),
            Failure::Crashed(how) => Some((
                format!("protoc crashed ({how}) under its memory limit of {} MB", self.memory_mb),
                raise(MEMORY_ENV),
            )),
        }
    }
}

enum Ran {
    Exited(ExitStatus, String),
    TimedOut,
}

/// How a failed run reads. protoc reports running out of memory as an uncaught `bad_alloc`
/// and aborts; a refusal is an exit code (its stderr may quote anything from the input).
fn failure(status: ExitStatus, stderr: String) -> Failure {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt as _;
        if let Some(signal) = status.signal() {
            if signal == libc::SIGABRT && stderr.contains("std::bad_alloc") {
                return Failure::OutOfMemory;
            }
            return Failure::Crashed(format!("signal {signal}"));
        }
    }
    let _ = status;
    Failure::Refused(stderr)
}

/// What an argfile line is.
#[derive(Clone, Copy, PartialEq)]
enum Arg {
    /// An input file: must not read as an option.
    File,
    /// `--descriptor_set_out=`: one path.
    Out,
    /// `--proto_path=`: protoc splits it at `:` (`;` on Windows) and maps `virtual=disk`.
    ProtoPath,
}

/// `value` on its own line of the argfile (after its flag), if nothing in it can make it more
/// than one argument or another one.
fn push_arg(args: &mut String, kind: Arg, value: &str) -> Result<()> {
    let separator = if cfg!(windows) { ';' } else { ':' };
    let breaks = value.contains(['\n', '\r', '\0'])
        || (kind == Arg::File && value.starts_with(['-', '@']))
        || (kind == Arg::ProtoPath && value.contains([separator, '=']));
    if breaks {
        return Err(Error::usage(
            format!(
                "cannot pass the path {value:?} to protoc: a newline, a leading `-`, or in a search path \
                 `{separator}` or `=`, would change protoc's arguments"
            ),
            "if it is under TMPDIR, set TMPDIR to a folder whose path has none of these characters; if it is a \
             module root (buf.yaml, buf.work.yaml, contractdiff.toml), rename the folder"
                .to_string(),
        ));
    }
    args.push_str(match kind {
        Arg::File => "",
        Arg::Out => "--descriptor_set_out=",
        Arg::ProtoPath => "--proto_path=",
    });
    args.push_str(value);
    args.push('\n');
    Ok(())
}

/// Write protoc (unless [`PROTOC_ENV`] names one) and the well-known types to a private folder.
fn install() -> Result<Installed> {
    let scratch = Scratch::new("contractdiff-protoc-bin-")?;
    let root = scratch.path().to_path_buf();
    let write = |path: &Path, bytes: &[u8], executable: bool| -> Result<()> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| scratch::unwritable(&root, &e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(if executable { 0o700 } else { 0o600 });
        }
        let _ = executable;
        let mut file = options.open(path).map_err(|e| scratch::unwritable(&root, &e))?;
        std::io::Write::write_all(&mut file, bytes).map_err(|e| scratch::unwritable(&root, &e))
    };
    let include = root.join("include");
    for (name, bytes) in embedded::INCLUDE {
        write(&include.join(name), bytes, false)?;
    }
    let (bin, folder) = match std::env::var_os(PROTOC_ENV).filter(|v| !v.is_empty()) {
        Some(path) => (PathBuf::from(path), None),
        None => {
            let bin = root.join("bin").join(embedded::PROTOC_NAME);
            write(&bin, embedded::PROTOC, true)?;
            (bin, Some(root.clone()))
        }
    };
    Ok(Installed { bin, include, folder, _scratch: scratch })
}

/// Spawn, retrying while the executable we just wrote is "busy": another thread's fork can
/// hold our write handle open for a moment (ETXTBSY).
fn spawn(command: &mut Command) -> std::io::Result<std::process::Child> {
    let mut tries = 0;
    loop {
        match command.spawn() {
            #[cfg(unix)]
            Err(err) if err.raw_os_error() == Some(libc::ETXTBSY) && tries < 20 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(5 * tries));
            }
            other => return other,
        }
    }
}

/// In the child, before exec: a process group of its own (killed whole), the address-space
/// limit, no core file.
#[cfg(unix)]
fn limit(command: &mut Command, memory_mb: u64) {
    use std::os::unix::process::CommandExt as _;
    let bytes = memory_mb.saturating_mul(1 << 20);
    let closure = move || {
        // SAFETY: async-signal-safe system calls on local values only.
        unsafe {
            libc::setpgid(0, 0);
            let mut current = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
            if libc::getrlimit(libc::RLIMIT_AS, &mut current) == 0 {
                let cap = (bytes as libc::rlim_t).min(current.rlim_max);
                libc::setrlimit(libc::RLIMIT_AS, &libc::rlimit { rlim_cur: cap, rlim_max: cap });
            }
            libc::setrlimit(libc::RLIMIT_CORE, &libc::rlimit { rlim_cur: 0, rlim_max: 0 });
        }
        Ok(())
    };
    // SAFETY: the closure only makes system calls (no allocation, no locks).
    unsafe {
        command.pre_exec(closure);
    }
}

fn kill_group(pid: u32) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(pid) {
        // SAFETY: a signal to the group we made; the leader is not reaped yet, so it is ours.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    #[cfg(not(unix))]
    let _ = pid;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argfile_lines_cannot_be_split_or_remapped() {
        let mut args = String::new();
        assert!(push_arg(&mut args, Arg::File, "/tmp/x/--evil_out=.proto").is_ok());
        assert!(push_arg(&mut args, Arg::ProtoPath, "/tmp/x/root").is_ok());
        assert!(push_arg(&mut args, Arg::Out, "/tmp/x/set.pb").is_ok());
        assert!(push_arg(&mut args, Arg::File, "--evil_out=.proto").is_err(), "an input read as an option");
        assert!(push_arg(&mut args, Arg::File, "@more").is_err(), "an input read as an argfile");
        assert!(push_arg(&mut args, Arg::File, "/tmp/x/a\n--evil_out=.proto").is_err());
        assert!(push_arg(&mut args, Arg::ProtoPath, "/tmp/x/a:/etc").is_err());
        assert!(push_arg(&mut args, Arg::ProtoPath, "/tmp/x/v=/etc").is_err());
        assert!(push_arg(&mut args, Arg::Out, "/tmp/x\n--plugin=y").is_err());
        assert_eq!(args, "/tmp/x/--evil_out=.proto\n--proto_path=/tmp/x/root\n--descriptor_set_out=/tmp/x/set.pb\n");
    }
}
