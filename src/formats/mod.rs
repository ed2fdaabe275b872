//! One module per contract format. Each loads a revision's documents into spanned trees and
//! diffs base against head into [`crate::change::Change`]s.

pub mod jsonschema;
pub mod openapi;

use serde::Serialize;

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
