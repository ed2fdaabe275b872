//! The Protobuf model both engines halves share: the loader (`load`) builds it from compiled
//! `FileDescriptorProto`s, whichever compiler produced them; the differ (`diff`) reads it.
//!
//! Editions features are resolved here once (file → message → field, with the edition's or the
//! syntax's defaults), so the differ compares behaviour, not spelling: a proto3 `optional` field
//! and an editions field with `features.field_presence = EXPLICIT` read the same.
//!
//! Every element keeps its descriptor path (`[4, 0, 2, 1]` = first message, second field, as in
//! `SourceCodeInfo`), so a finding can point where buf points: [`File::loc`] looks a path up, and
//! falls back to the nearest enclosing element.

use crate::change::Loc;
use std::collections::{BTreeMap, HashMap};

/// All files of one module (a buf module root) at one revision, by their import path.
#[derive(Debug, Default, PartialEq)]
pub struct Module {
    /// Module root relative to the compared tree (`""` for the tree itself, `proto` for `proto/`).
    pub root: String,
    pub files: BTreeMap<String, File>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Syntax {
    Proto2,
    Proto3,
    /// `edition = "2023"` and later, as written.
    Editions(Edition),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Edition {
    E2023,
    E2024,
}

/// One `.proto` file.
#[derive(Debug, PartialEq)]
pub struct File {
    /// Import path, relative to the module root: what buf prints (`foo/v1/foo.proto`).
    pub name: String,
    /// Path relative to the compared tree, which every [`Loc`] names.
    pub repo_path: String,
    /// `""` when the file has no package statement.
    pub package: String,
    pub syntax: Syntax,
    pub options: FileOptions,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    pub services: Vec<Service>,
    /// Top-level `extend` fields.
    pub extensions: Vec<Field>,
    /// Source locations by descriptor path (only element and option paths need be kept), in
    /// `repo_path`.
    pub locations: HashMap<Vec<i32>, Span>,
    /// The file is the same blob on both sides and so is everything it imports: it was not
    /// compiled, only its package is known, and its element lists are empty on both sides. The
    /// differ compares nothing inside it; its elements exist unchanged in both revisions.
    pub unchanged: bool,
}

impl File {
    /// The location of `path`, or of its nearest ancestor that has one, or the file's start.
    pub fn loc(&self, path: &[i32]) -> Loc {
        let found = (0..=path.len()).rev().find_map(|n| self.locations.get(&path[..n]));
        self.at(found.copied().unwrap_or(Span { line: 1, column: 1, start: 0, end: 0 }))
    }

    /// The location of `path` only if the source has one (an option that was written, say).
    pub fn exact_loc(&self, path: &[i32]) -> Option<Loc> {
        self.locations.get(path).map(|span| self.at(*span))
    }

    fn at(&self, span: Span) -> Loc {
        Loc { file: self.repo_path.clone(), line: span.line, column: span.column, start: span.start, end: span.end }
    }
}

/// Where an element is in its file: 1-based line and column, byte range. The file name is the
/// [`File`]'s, kept once rather than in each of its (on googleapis, millions of) locations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub start: usize,
    pub end: usize,
}

/// File options the breaking rules compare. `None`: not set (the differ knows the defaults).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileOptions {
    pub java_package: Option<String>,
    pub java_outer_classname: Option<String>,
    pub java_multiple_files: Option<bool>,
    pub java_generic_services: Option<bool>,
    pub java_string_check_utf8: Option<bool>,
    pub optimize_for: Option<i32>,
    pub go_package: Option<String>,
    pub cc_generic_services: Option<bool>,
    pub py_generic_services: Option<bool>,
    pub cc_enable_arenas: Option<bool>,
    pub objc_class_prefix: Option<String>,
    pub csharp_namespace: Option<String>,
    pub swift_prefix: Option<String>,
    pub php_class_prefix: Option<String>,
    pub php_namespace: Option<String>,
    pub php_metadata_namespace: Option<String>,
    pub ruby_package: Option<String>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub name: String,
    /// Fully-qualified, without the leading dot: `acme.pay.v1.Charge.Line`.
    pub full_name: String,
    pub fields: Vec<Field>,
    pub oneofs: Vec<Oneof>,
    pub messages: Vec<Message>,
    pub enums: Vec<Enum>,
    /// `extend` blocks nested in the message.
    pub extensions: Vec<Field>,
    /// Reserved field numbers as half-open ranges `start..end` (the descriptor's own form).
    pub reserved_ranges: Vec<(i32, i32)>,
    pub reserved_names: Vec<String>,
    /// Extension ranges, half-open.
    pub extension_ranges: Vec<(i32, i32)>,
    pub message_set_wire_format: bool,
    pub no_standard_descriptor_accessor: bool,
    /// A synthesized map entry (`map<K, V>` fields' value type).
    pub map_entry: bool,
    pub deprecated: bool,
    pub json_format: JsonFormat,
    pub path: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Oneof {
    pub name: String,
    /// The synthetic oneof protoc makes for a proto3 `optional` field.
    pub synthetic: bool,
    pub path: Vec<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Optional,
    Required,
    Repeated,
}

/// The wire type family of a field, as `FieldDescriptorProto.Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Type {
    Double,
    Float,
    Int64,
    Uint64,
    Int32,
    Fixed64,
    Fixed32,
    Bool,
    String,
    Group,
    Message,
    Bytes,
    Uint32,
    Enum,
    Sfixed32,
    Sfixed64,
    Sint32,
    Sint64,
}

/// Resolved field presence (editions `field_presence`; proto2/proto3 mapped onto it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Presence {
    Explicit,
    Implicit,
    LegacyRequired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnumType {
    Open,
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsonFormat {
    Allow,
    LegacyBestEffort,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Utf8Validation {
    Verify,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CppStringType {
    String,
    Cord,
    StringPiece,
    View,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JsType {
    Normal,
    String,
    Number,
}

/// A field's features after editions resolution (or their proto2/proto3 equivalents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldFeatures {
    pub presence: Presence,
    pub utf8_validation: Utf8Validation,
    /// `repeated_field_encoding = PACKED` (or `[packed = true]`).
    pub packed: bool,
    /// `message_encoding = DELIMITED`: a group on the wire.
    pub delimited: bool,
    /// The enum type of the field's enum, when it is one.
    pub enum_type: Option<EnumType>,
    /// `features.(pb.java).utf8_validation = VERIFY` or the file's `java_string_check_utf8`.
    pub java_utf8_verify: bool,
    pub cpp_string_type: CppStringType,
    pub json_format: JsonFormat,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    pub number: i32,
    pub label: Label,
    pub ty: Type,
    /// Fully-qualified message or enum name (no leading dot) for message, group and enum fields.
    pub type_name: Option<String>,
    /// The JSON name protoc computed (`fooBar`), and whether `json_name` was written.
    pub json_name: String,
    pub json_name_explicit: bool,
    /// `[default = ...]` as protoc stores it (text form).
    pub default: Option<String>,
    /// Index into the message's `oneofs`.
    pub oneof_index: Option<usize>,
    /// proto3 `optional` (its oneof is synthetic).
    pub proto3_optional: bool,
    /// For extensions: the extended message, fully qualified.
    pub extendee: Option<String>,
    pub jstype: JsType,
    pub deprecated: bool,
    pub features: FieldFeatures,
    pub path: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub name: String,
    pub full_name: String,
    pub values: Vec<EnumValue>,
    /// Reserved numbers as inclusive ranges `start..=end` (the descriptor's own form for enums).
    pub reserved_ranges: Vec<(i32, i32)>,
    pub reserved_names: Vec<String>,
    pub allow_alias: bool,
    pub enum_type: EnumType,
    pub json_format: JsonFormat,
    pub deprecated: bool,
    pub path: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    pub name: String,
    pub number: i32,
    pub deprecated: bool,
    pub path: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub name: String,
    pub full_name: String,
    pub methods: Vec<Method>,
    pub deprecated: bool,
    pub path: Vec<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IdempotencyLevel {
    Unknown,
    NoSideEffects,
    Idempotent,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Method {
    pub name: String,
    /// Fully-qualified request and response message names, no leading dot.
    pub input_type: String,
    pub output_type: String,
    pub client_streaming: bool,
    pub server_streaming: bool,
    pub idempotency_level: IdempotencyLevel,
    pub deprecated: bool,
    pub path: Vec<i32>,
}
