//! The Protobuf engine: buf-grade breaking-change detection from `.proto` source.
//!
//! - `model.rs`: the descriptor model both halves share (features resolved, paths kept).
//! - loading: `.proto` files of a revision → compiled descriptors → [`model::Module`].
//! - diffing: two modules → [`crate::change::Change`]s under buf's rule ids and categories.

pub mod bufconfig;
pub mod diff;
pub mod load;
pub mod model;

use crate::discover::ContractFile;
use crate::error::Result;
use crate::formats::{Compared, Context};
use crate::report::ContractSide;
use bufconfig::RuleSet;
use load::modules::{self, Planned};

/// buf's rule categories as strictness levels: `file` ⊃ `package` ⊃ `wire_json` ⊃ `wire`, each
/// including the rules of the ones after it; `csr` is the Confluent Schema Registry's protobuf
/// compatibility rules, beside them. A rule's levels are listed in `rules/protobuf.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Level {
    File,
    Package,
    WireJson,
    Wire,
    Csr,
}

impl Level {
    /// The name rules list in their `levels` (buf's category, lower case).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::File => "file",
            Level::Package => "package",
            Level::WireJson => "wire_json",
            Level::Wire => "wire",
            Level::Csr => "csr",
        }
    }
}

/// Compare the Protobuf modules found among `base` and `head` (all `.proto` contract files of
/// each revision): one [`Compared`] per module, or an error for a module that cannot be loaded.
/// Modules pair by root; one that fails to load does not stop the others.
pub fn compare(ctx: &Context, base: &[ContractFile], head: &[ContractFile]) -> Vec<Result<Compared>> {
    if base.is_empty() && head.is_empty() {
        return Vec::new();
    }
    let planned = match modules::plan(ctx.base, ctx.head, ctx.config, base, head) {
        Ok(planned) => planned,
        Err(error) => return vec![Err(error)],
    };
    let protoc = match load::Protoc::new() {
        Ok(protoc) => protoc,
        Err(error) => return vec![Err(error)],
    };
    let mut cache = load::Cache::default();
    planned.into_iter().map(|module| compare_module(ctx, module, &protoc, &mut cache)).collect()
}

fn compare_module(ctx: &Context, module: Planned, protoc: &load::Protoc, cache: &mut load::Cache) -> Result<Compared> {
    let rules = rules_for(ctx, &module)?;
    let Planned { spec, renamed, entries, .. } = module;
    let loaded =
        load::load_pair(ctx.base, ctx.head, &spec, renamed, protoc, load::Compile::InProcessWherePossible, cache)?;
    let changes = diff::diff(&loaded.base, &loaded.head, &rules);
    let name = |entry: Option<&String>| match entry {
        Some(file) => file.clone(),
        None if spec.root.is_empty() => ".".to_string(),
        None => spec.root.clone(),
    };
    let side = |present: bool, path: String| present.then_some(ContractSide { path, version: None });
    Ok(Compared {
        base: side(!spec.base.is_empty(), name(entries.as_ref().map(|e| &e.0))),
        head: side(!spec.head.is_empty(), name(entries.as_ref().map(|e| &e.1))),
        bump: None,
        changes,
        texts: loaded.texts,
    })
}

/// The rules in force: the module's buf.yaml `breaking:` section (with `--protobuf-level`, when
/// given, replacing its `use`), else `--protobuf-level`, the config's level, or `file`.
fn rules_for(ctx: &Context, module: &Planned) -> Result<RuleSet> {
    if let Some((path, in_head)) = &module.buf_yaml {
        let tree = if *in_head { ctx.head } else { ctx.base };
        if let Some(bytes) = tree.read(path)? {
            let text = String::from_utf8_lossy(&bytes);
            let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
            let module_path = load::modules::relative_to(folder, &module.spec.root);
            return RuleSet::from_buf_yaml_for_module(&text, path, ctx.protobuf_level, Some(&module_path));
        }
    }
    let level = ctx.protobuf_level.or(ctx.config.policy.protobuf_level).unwrap_or(Level::File);
    Ok(RuleSet::for_level(level))
}
