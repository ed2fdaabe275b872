//! Builds protoc and its well-known-type `.proto` files into the binary.
//!
//! protoc-bin-vendored's paths point into this machine's cargo registry, so a binary that used
//! them at run time would fail anywhere else (a container, the GitHub Action, another user).
//! This script writes `$OUT_DIR/protoc_embedded.rs`, which `include_bytes!`s them; the binary
//! writes them to a private temporary folder on first use (`src/formats/protobuf/load/protoc.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // protoc-bin-vendored picks the protoc of the machine running this script: to build for
    // another platform, name that platform's protoc here.
    println!("cargo:rerun-if-env-changed=CONTRACTDIFF_EMBED_PROTOC");
    let target = (var("CARGO_CFG_TARGET_OS"), var("CARGO_CFG_TARGET_ARCH"));
    let host = (std::env::consts::OS.to_string(), std::env::consts::ARCH.to_string());
    let bin = match std::env::var_os("CONTRACTDIFF_EMBED_PROTOC") {
        Some(path) => PathBuf::from(path),
        None if target == host => protoc_bin_vendored::protoc_bin_path().unwrap_or_else(|e| fail(&e.to_string())),
        None => fail(&format!(
            "building for {}-{} on {}-{}: set CONTRACTDIFF_EMBED_PROTOC to a protoc 36.2 built for the target",
            target.0, target.1, host.0, host.1
        )),
    };
    let include = protoc_bin_vendored::include_path().unwrap_or_else(|e| fail(&e.to_string()));
    let mut protos = Vec::new();
    list(&include, &include, &mut protos);
    protos.sort();

    let mut code = String::new();
    let exe = if target.0 == "windows" { "protoc.exe" } else { "protoc" };
    writeln!(code, "pub const PROTOC_NAME: &str = {exe:?};").unwrap();
    writeln!(code, "pub static PROTOC: &[u8] = include_bytes!({:?});", bin.display().to_string()).unwrap();
    writeln!(code, "pub static INCLUDE: &[(&str, &[u8])] = &[").unwrap();
    for (name, path) in &protos {
        writeln!(code, "    ({name:?}, include_bytes!({:?})),", path.display().to_string()).unwrap();
    }
    writeln!(code, "];").unwrap();
    let out = PathBuf::from(var("OUT_DIR")).join("protoc_embedded.rs");
    std::fs::write(&out, code).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    // For tests only (nothing in src/ may read it): the path the binary must not depend on.
    println!("cargo:rustc-env=CONTRACTDIFF_BUILD_PROTOC_PATH={}", bin.display());
}

/// Every `.proto` under `dir`, as (import path, file).
fn list(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
    for entry in entries {
        let path = entry.unwrap_or_else(|e| fail(&e.to_string())).path();
        if path.is_dir() {
            list(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "proto") {
            let name = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            println!("cargo:rerun-if-changed={}", path.display());
            out.push((name, path));
        }
    }
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| fail(&format!("cargo did not set {name}")))
}

fn fail(message: &str) -> ! {
    panic!("contractdiff build: {message}")
}
