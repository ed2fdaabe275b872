//! The loaded form of a revision's Avro schemas: one arena of type nodes per revision, named
//! types indexed by full name, every node with its place in its file.

use crate::change::Loc;
use std::collections::HashMap;

/// Index of a node in [`Model::nodes`].
pub type Id = usize;

/// All schemas of one revision (or of one earlier version of a file, for transitive levels).
#[derive(Debug, Default)]
pub struct Model {
    pub nodes: Vec<Node>,
    /// Named types by full name (`com.acme.User`), pointing at their definition.
    pub names: HashMap<String, Id>,
}

impl Model {
    /// The node behind a reference (a named type used by name), or the node itself.
    pub fn resolve(&self, id: Id) -> Id {
        match self.nodes[id].kind {
            Kind::Ref(Some(target)) => target,
            _ => id,
        }
    }

    pub fn node(&self, id: Id) -> &Node {
        &self.nodes[self.resolve(id)]
    }
}

#[derive(Debug)]
pub struct Node {
    pub kind: Kind,
    /// A logical type the reader knows (`Other` for unknown ones, which readers ignore).
    pub logical: Option<Logical>,
    /// Where the type is written: a type name string or a type object.
    pub at: Loc,
    pub doc: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(Id),
    Map(Id),
    Union(Vec<Id>),
    Record(Record),
    Enum(Enum),
    Fixed(Fixed),
    /// A named type used by name; `None` until the revision's names are resolved.
    Ref(Option<Id>),
}

impl Kind {
    /// The type's name in Avro's vocabulary, for messages.
    pub fn label(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Int => "int",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Bytes => "bytes",
            Kind::String => "string",
            Kind::Array(_) => "array",
            Kind::Map(_) => "map",
            Kind::Union(_) => "union",
            Kind::Record(_) => "record",
            Kind::Enum(_) => "enum",
            Kind::Fixed(_) => "fixed",
            Kind::Ref(_) => "reference",
        }
    }

    pub fn named(&self) -> Option<&Named> {
        match self {
            Kind::Record(r) => Some(&r.named),
            Kind::Enum(e) => Some(&e.named),
            Kind::Fixed(f) => Some(&f.named),
            _ => None,
        }
    }
}

/// What records, enums and fixed types share: names, aliases, deprecation.
#[derive(Debug, Clone)]
pub struct Named {
    /// Full name: `com.acme.User`.
    pub full: String,
    /// The name without its namespace: `User` (Java's checker matches on this).
    pub name: String,
    pub namespace: Option<String>,
    /// Aliases as full names (relative ones resolved in the type's namespace).
    pub aliases: Vec<String>,
    pub name_at: Loc,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub named: Named,
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub aliases: Vec<String>,
    pub ty: Id,
    pub default: Option<serde_json::Value>,
    /// The field's `name` value.
    pub at: Loc,
    pub doc: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub named: Named,
    pub symbols: Vec<(String, Loc)>,
    pub default: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Fixed {
    pub named: Named,
    pub size: u64,
    pub size_at: Loc,
}

/// The specification's logical types; `Other` keeps an unknown one's name (readers ignore it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Logical {
    Decimal { precision: u64, scale: u64 },
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
    Duration,
    Other(String),
}
