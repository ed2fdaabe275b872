//! The Avro engine: Schema Registry–grade compatibility for `.avsc` files.

use crate::discover::ContractFile;
use crate::error::Result;
use crate::formats::{Compared, Context};

/// The Schema Registry's compatibility levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Compat {
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
    None,
}

/// Compare the Avro contracts among `base` and `head` (all `.avsc` contract files of each
/// revision; named types resolve across them): one [`Compared`] per contract.
pub fn compare(_ctx: &Context, _base: &[ContractFile], _head: &[ContractFile]) -> Vec<Result<Compared>> {
    Vec::new()
}
