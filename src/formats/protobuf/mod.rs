//! The Protobuf engine: buf-grade breaking-change detection from `.proto` source.
//!
//! - `model.rs`: the descriptor model both halves share (features resolved, paths kept).
//! - loading: `.proto` files of a revision → compiled descriptors → [`model::Module`].
//! - diffing: two modules → [`crate::change::Change`]s under buf's rule ids and categories.

pub mod bufconfig;
pub mod diff;
pub mod model;

use crate::formats::{Compared, Context};
use crate::discover::ContractFile;
use crate::error::Result;

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
pub fn compare(_ctx: &Context, _base: &[ContractFile], _head: &[ContractFile]) -> Vec<Result<Compared>> {
    Vec::new()
}
