//! Running the vendored protoc (protoc-bin-vendored, protoc 36.2) on materialised files.
//!
//! protoc is the reference compiler: it compiles editions 2023 and 2024 (which protox-parse
//! cannot read), and whenever the in-process path ([`super::native`]) gives up (a syntax or link
//! error), protoc compiles the module again so the user gets protoc's own message. Its
//! `FileDescriptorSet` (with source info) is decoded by our own prost structs into our model.

use super::descriptor::{self, FileDescriptorProto};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

/// Where protoc and its well-known types are.
#[derive(Debug, Clone)]
pub struct Protoc {
    pub bin: PathBuf,
    /// `google/protobuf/*.proto`, so the well-known types resolve without being in the repo.
    pub include: PathBuf,
    /// The well-known types compiled, by import path, once per run: protox-parse cannot read
    /// `descriptor.proto` (an extension range with options), and the in-process path needs
    /// only their definitions.
    well_known: OnceLock<Option<Arc<HashMap<String, FileDescriptorProto>>>>,
}

impl Protoc {
    pub fn vendored() -> Result<Protoc> {
        let missing = |err: protoc_bin_vendored::Error| {
            Error::usage(
                format!("the bundled protoc is not available on this platform: {err}"),
                "contractdiff ships protoc for Linux, macOS and Windows on x86_64 and aarch64".to_string(),
            )
        };
        Ok(Protoc {
            bin: protoc_bin_vendored::protoc_bin_path().map_err(missing)?,
            include: protoc_bin_vendored::include_path().map_err(missing)?,
            well_known: OnceLock::new(),
        })
    }

    /// The descriptors of every `google/protobuf/*.proto` protoc ships, by import path; `None`
    /// if protoc could not compile them (then the in-process path is not taken).
    pub fn well_known(&self) -> Option<Arc<HashMap<String, FileDescriptorProto>>> {
        self.well_known.get_or_init(|| self.compile_well_known().map(Arc::new)).clone()
    }

    fn compile_well_known(&self) -> Option<HashMap<String, FileDescriptorProto>> {
        use prost::Message as _;
        let folder = self.include.join("google/protobuf");
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .ok()?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| name.ends_with(".proto"))
            .map(|name| format!("google/protobuf/{name}"))
            .collect();
        names.sort();
        let work = tempfile::Builder::new().prefix("contractdiff-wkt-").tempdir().ok()?;
        let set = self.compile(work.path(), &[], &names).ok()?.ok()?;
        descriptor::files_of_set(&set)
            .map(|encoded| {
                let fd = FileDescriptorProto::decode(encoded.ok()?).ok()?;
                Some((fd.name().to_string(), fd))
            })
            .collect()
    }

    /// Compile `files` (import paths) found under `includes` (in order, then the well-known
    /// types) into a `FileDescriptorSet` with imports and source info. `work` is a private
    /// folder for the argument file, the output and an empty working directory. `Err(stderr)`
    /// when protoc refuses the input.
    pub fn compile(&self, work: &Path, includes: &[PathBuf], files: &[String]) -> Result<Result<Vec<u8>, String>> {
        let io = |path: &Path, source: std::io::Error| Error::Io { path: path.display().to_string(), source };
        std::fs::create_dir_all(work).map_err(|e| io(work, e))?;
        let out = work.join("set.pb");
        let mut args = String::new();
        args.push_str("--include_imports\n--include_source_info\n");
        args.push_str(&format!("--descriptor_set_out={}\n", out.display()));
        for include in includes.iter().chain(std::iter::once(&self.include)) {
            args.push_str(&format!("--proto_path={}\n", include.display()));
        }
        for file in files {
            args.push_str(file);
            args.push('\n');
        }
        let argfile = work.join("args");
        std::fs::write(&argfile, args).map_err(|e| io(&argfile, e))?;
        // An empty working directory: protoc first tries each name as a path from its cwd.
        let cwd = work.join("cwd");
        std::fs::create_dir_all(&cwd).map_err(|e| io(&cwd, e))?;
        let output = Command::new(&self.bin)
            .arg(format!("@{}", argfile.display()))
            .current_dir(&cwd)
            .output()
            .map_err(|e| io(&self.bin, e))?;
        if !output.status.success() {
            return Ok(Err(String::from_utf8_lossy(&output.stderr).into_owned()));
        }
        let set = std::fs::read(&out).map_err(|e| io(&out, e))?;
        let _ = std::fs::remove_file(&out);
        Ok(Ok(set))
    }
}
