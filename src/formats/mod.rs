//! One module per contract format. Each loads a revision's documents into spanned models and
//! diffs base against head into [`crate::change::Change`]s.
//!
//! OpenAPI contracts are one entry file each and go through `run.rs`'s pairing; Protobuf (a
//! module of files compared by fully-qualified names) and Avro (files whose named types resolve
//! across the files of a scope: a folder or a `[[contracts]]` entry) see all their files of both
//! revisions at once, through [`Context`], and answer one [`Compared`] per contract.

pub mod avro;
pub mod jsonschema;
pub mod openapi;
pub mod protobuf;

use crate::change::Change;
use crate::config::Config;
use crate::policy::Bump;
use crate::report::ContractSide;
use crate::source::Tree;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Openapi,
    Asyncapi,
    Protobuf,
    Avro,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Openapi => "openapi",
            Kind::Asyncapi => "asyncapi",
            Kind::Protobuf => "protobuf",
            Kind::Avro => "avro",
        }
    }
}

/// What an engine that sees a whole revision gets: both trees, the head's configuration, and the
/// command line's choices for its kind.
pub struct Context<'a> {
    pub base: &'a dyn Tree,
    pub head: &'a dyn Tree,
    pub config: &'a Config,
    /// `--protobuf-level`, overriding the config's.
    pub protobuf_level: Option<protobuf::Level>,
    /// `--avro-compat`, overriding the config's.
    pub avro_compat: Option<avro::Compat>,
}

/// One contract compared: its two sides, the bump between them, its changes, and the texts of
/// the files its changes point into (for the human report's snippets).
#[derive(Debug, Default)]
pub struct Compared {
    pub base: Option<ContractSide>,
    pub head: Option<ContractSide>,
    /// The version bump the contract made, when it has a version (`None`: no readable version).
    pub bump: Option<Bump>,
    pub changes: Vec<Change>,
    pub texts: Texts,
}

/// File texts by path, per side, shared rather than copied.
#[derive(Debug, Default, Clone)]
pub struct Texts {
    pub base: BTreeMap<String, Arc<str>>,
    pub head: BTreeMap<String, Arc<str>>,
}
