//! The subset of `google/protobuf/descriptor.proto` the loader reads, as prost messages.
//!
//! Written by hand rather than generated: only the fields the model needs are declared, so
//! prost skips the rest (comments, custom options such as `google.api.http`) without
//! allocating. `FeatureSet` declares the C++ and Java feature extensions (`(pb.cpp)` = 1000,
//! `(pb.java)` = 1001, from protoc's `cpp_features.proto` and `java_features.proto`) as ordinary
//! fields: on the wire an extension is just a field number.

use prost::encoding::{decode_key, decode_varint, WireType};

#[derive(Clone, PartialEq, prost::Message)]
pub struct FileDescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub package: Option<String>,
    #[prost(string, repeated, tag = "3")]
    pub dependency: Vec<String>,
    /// Indexes into `dependency` of the `import public` ones.
    #[prost(int32, repeated, tag = "10")]
    pub public_dependency: Vec<i32>,
    #[prost(message, repeated, tag = "4")]
    pub message_type: Vec<DescriptorProto>,
    #[prost(message, repeated, tag = "5")]
    pub enum_type: Vec<EnumDescriptorProto>,
    #[prost(message, repeated, tag = "6")]
    pub service: Vec<ServiceDescriptorProto>,
    #[prost(message, repeated, tag = "7")]
    pub extension: Vec<FieldDescriptorProto>,
    #[prost(message, optional, tag = "8")]
    pub options: Option<FileOptions>,
    #[prost(message, optional, tag = "9")]
    pub source_code_info: Option<SourceCodeInfo>,
    #[prost(string, optional, tag = "12")]
    pub syntax: Option<String>,
    #[prost(int32, optional, tag = "14")]
    pub edition: Option<i32>,
}

/// `Edition.EDITION_2024`: later editions compare greater.
pub const EDITION_2024: i32 = 1001;

#[derive(Clone, PartialEq, prost::Message)]
pub struct DescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(message, repeated, tag = "2")]
    pub field: Vec<FieldDescriptorProto>,
    #[prost(message, repeated, tag = "6")]
    pub extension: Vec<FieldDescriptorProto>,
    #[prost(message, repeated, tag = "3")]
    pub nested_type: Vec<DescriptorProto>,
    #[prost(message, repeated, tag = "4")]
    pub enum_type: Vec<EnumDescriptorProto>,
    #[prost(message, repeated, tag = "5")]
    pub extension_range: Vec<Range>,
    #[prost(message, repeated, tag = "8")]
    pub oneof_decl: Vec<OneofDescriptorProto>,
    #[prost(message, optional, tag = "7")]
    pub options: Option<MessageOptions>,
    #[prost(message, repeated, tag = "9")]
    pub reserved_range: Vec<Range>,
    #[prost(string, repeated, tag = "10")]
    pub reserved_name: Vec<String>,
}

/// `DescriptorProto.ExtensionRange`, `ReservedRange` and `EnumReservedRange` share this shape.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Range {
    #[prost(int32, optional, tag = "1")]
    pub start: Option<i32>,
    #[prost(int32, optional, tag = "2")]
    pub end: Option<i32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FieldDescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(int32, optional, tag = "3")]
    pub number: Option<i32>,
    #[prost(int32, optional, tag = "4")]
    pub label: Option<i32>,
    #[prost(int32, optional, tag = "5")]
    pub r#type: Option<i32>,
    #[prost(string, optional, tag = "6")]
    pub type_name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub extendee: Option<String>,
    #[prost(string, optional, tag = "7")]
    pub default_value: Option<String>,
    #[prost(int32, optional, tag = "9")]
    pub oneof_index: Option<i32>,
    #[prost(string, optional, tag = "10")]
    pub json_name: Option<String>,
    #[prost(message, optional, tag = "8")]
    pub options: Option<FieldOptions>,
    #[prost(bool, optional, tag = "17")]
    pub proto3_optional: Option<bool>,
}

/// `FieldDescriptorProto.Label` and `.Type` values the loader tests for.
pub const LABEL_REQUIRED: i32 = 2;
pub const LABEL_REPEATED: i32 = 3;

#[derive(Clone, PartialEq, prost::Message)]
pub struct OneofDescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(message, optional, tag = "2")]
    pub options: Option<OneofOptions>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct EnumDescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(message, repeated, tag = "2")]
    pub value: Vec<EnumValueDescriptorProto>,
    #[prost(message, optional, tag = "3")]
    pub options: Option<EnumOptions>,
    #[prost(message, repeated, tag = "4")]
    pub reserved_range: Vec<Range>,
    #[prost(string, repeated, tag = "5")]
    pub reserved_name: Vec<String>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct EnumValueDescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(int32, optional, tag = "2")]
    pub number: Option<i32>,
    #[prost(message, optional, tag = "3")]
    pub options: Option<EnumValueOptions>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ServiceDescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(message, repeated, tag = "2")]
    pub method: Vec<MethodDescriptorProto>,
    #[prost(message, optional, tag = "3")]
    pub options: Option<ServiceOptions>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MethodDescriptorProto {
    #[prost(string, optional, tag = "1")]
    pub name: Option<String>,
    #[prost(string, optional, tag = "2")]
    pub input_type: Option<String>,
    #[prost(string, optional, tag = "3")]
    pub output_type: Option<String>,
    #[prost(message, optional, tag = "4")]
    pub options: Option<MethodOptions>,
    #[prost(bool, optional, tag = "5")]
    pub client_streaming: Option<bool>,
    #[prost(bool, optional, tag = "6")]
    pub server_streaming: Option<bool>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FileOptions {
    #[prost(string, optional, tag = "1")]
    pub java_package: Option<String>,
    #[prost(string, optional, tag = "8")]
    pub java_outer_classname: Option<String>,
    #[prost(bool, optional, tag = "10")]
    pub java_multiple_files: Option<bool>,
    #[prost(bool, optional, tag = "27")]
    pub java_string_check_utf8: Option<bool>,
    #[prost(int32, optional, tag = "9")]
    pub optimize_for: Option<i32>,
    #[prost(string, optional, tag = "11")]
    pub go_package: Option<String>,
    #[prost(bool, optional, tag = "16")]
    pub cc_generic_services: Option<bool>,
    #[prost(bool, optional, tag = "17")]
    pub java_generic_services: Option<bool>,
    #[prost(bool, optional, tag = "18")]
    pub py_generic_services: Option<bool>,
    #[prost(bool, optional, tag = "23")]
    pub deprecated: Option<bool>,
    #[prost(bool, optional, tag = "31")]
    pub cc_enable_arenas: Option<bool>,
    #[prost(string, optional, tag = "36")]
    pub objc_class_prefix: Option<String>,
    #[prost(string, optional, tag = "37")]
    pub csharp_namespace: Option<String>,
    #[prost(string, optional, tag = "39")]
    pub swift_prefix: Option<String>,
    #[prost(string, optional, tag = "40")]
    pub php_class_prefix: Option<String>,
    #[prost(string, optional, tag = "41")]
    pub php_namespace: Option<String>,
    #[prost(string, optional, tag = "44")]
    pub php_metadata_namespace: Option<String>,
    #[prost(string, optional, tag = "45")]
    pub ruby_package: Option<String>,
    #[prost(message, optional, tag = "50")]
    pub features: Option<FeatureSet>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MessageOptions {
    #[prost(bool, optional, tag = "1")]
    pub message_set_wire_format: Option<bool>,
    #[prost(bool, optional, tag = "2")]
    pub no_standard_descriptor_accessor: Option<bool>,
    #[prost(bool, optional, tag = "3")]
    pub deprecated: Option<bool>,
    #[prost(bool, optional, tag = "7")]
    pub map_entry: Option<bool>,
    #[prost(message, optional, tag = "12")]
    pub features: Option<FeatureSet>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct FieldOptions {
    /// `CType`: STRING = 0, CORD = 1, STRING_PIECE = 2.
    #[prost(int32, optional, tag = "1")]
    pub ctype: Option<i32>,
    #[prost(bool, optional, tag = "2")]
    pub packed: Option<bool>,
    /// `JSType`: JS_NORMAL = 0, JS_STRING = 1, JS_NUMBER = 2.
    #[prost(int32, optional, tag = "6")]
    pub jstype: Option<i32>,
    #[prost(bool, optional, tag = "3")]
    pub deprecated: Option<bool>,
    #[prost(message, optional, tag = "21")]
    pub features: Option<FeatureSet>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct OneofOptions {
    #[prost(message, optional, tag = "1")]
    pub features: Option<FeatureSet>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct EnumOptions {
    #[prost(bool, optional, tag = "2")]
    pub allow_alias: Option<bool>,
    #[prost(bool, optional, tag = "3")]
    pub deprecated: Option<bool>,
    #[prost(message, optional, tag = "7")]
    pub features: Option<FeatureSet>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct EnumValueOptions {
    #[prost(bool, optional, tag = "1")]
    pub deprecated: Option<bool>,
    #[prost(message, optional, tag = "2")]
    pub features: Option<FeatureSet>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct ServiceOptions {
    #[prost(bool, optional, tag = "33")]
    pub deprecated: Option<bool>,
    #[prost(message, optional, tag = "34")]
    pub features: Option<FeatureSet>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MethodOptions {
    #[prost(bool, optional, tag = "33")]
    pub deprecated: Option<bool>,
    /// IDEMPOTENCY_UNKNOWN = 0, NO_SIDE_EFFECTS = 1, IDEMPOTENT = 2.
    #[prost(int32, optional, tag = "34")]
    pub idempotency_level: Option<i32>,
    #[prost(message, optional, tag = "35")]
    pub features: Option<FeatureSet>,
}

/// Editions features as written on one element (unset = inherited). Enum values as in
/// descriptor.proto: 0 is always "unknown".
#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct FeatureSet {
    /// EXPLICIT = 1, IMPLICIT = 2, LEGACY_REQUIRED = 3.
    #[prost(int32, optional, tag = "1")]
    pub field_presence: Option<i32>,
    /// OPEN = 1, CLOSED = 2.
    #[prost(int32, optional, tag = "2")]
    pub enum_type: Option<i32>,
    /// PACKED = 1, EXPANDED = 2.
    #[prost(int32, optional, tag = "3")]
    pub repeated_field_encoding: Option<i32>,
    /// VERIFY = 2, NONE = 3.
    #[prost(int32, optional, tag = "4")]
    pub utf8_validation: Option<i32>,
    /// LENGTH_PREFIXED = 1, DELIMITED = 2.
    #[prost(int32, optional, tag = "5")]
    pub message_encoding: Option<i32>,
    /// ALLOW = 1, LEGACY_BEST_EFFORT = 2.
    #[prost(int32, optional, tag = "6")]
    pub json_format: Option<i32>,
    /// `(pb.cpp)`, from `google/protobuf/cpp_features.proto`.
    #[prost(message, optional, tag = "1000")]
    pub cpp: Option<CppFeatures>,
    /// `(pb.java)`, from `google/protobuf/java_features.proto`.
    #[prost(message, optional, tag = "1001")]
    pub java: Option<JavaFeatures>,
}

#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct CppFeatures {
    #[prost(bool, optional, tag = "1")]
    pub legacy_closed_enum: Option<bool>,
    /// VIEW = 1, CORD = 2, STRING = 3.
    #[prost(int32, optional, tag = "2")]
    pub string_type: Option<i32>,
}

#[derive(Clone, Copy, PartialEq, prost::Message)]
pub struct JavaFeatures {
    #[prost(bool, optional, tag = "1")]
    pub legacy_closed_enum: Option<bool>,
    /// DEFAULT = 1, VERIFY = 2.
    #[prost(int32, optional, tag = "2")]
    pub utf8_validation: Option<i32>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct SourceCodeInfo {
    #[prost(message, repeated, tag = "1")]
    pub location: Vec<Location>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct Location {
    #[prost(int32, repeated, tag = "1")]
    pub path: Vec<i32>,
    #[prost(int32, repeated, tag = "2")]
    pub span: Vec<i32>,
}

/// The encoded `FileDescriptorProto`s of a `FileDescriptorSet` (its repeated field 1), one at a
/// time, so a caller decodes and drops each before the next.
pub fn files_of_set(mut set: &[u8]) -> impl Iterator<Item = Result<&[u8], String>> {
    std::iter::from_fn(move || {
        while !set.is_empty() {
            let (tag, wire_type) = match decode_key(&mut set) {
                Ok(key) => key,
                Err(err) => return Some(Err(err.to_string())),
            };
            let len = match wire_type {
                WireType::LengthDelimited => match decode_varint(&mut set) {
                    Ok(len) if len as usize <= set.len() => len as usize,
                    Ok(_) => return Some(Err("truncated FileDescriptorSet".to_string())),
                    Err(err) => return Some(Err(err.to_string())),
                },
                _ => return Some(Err("unexpected wire type in FileDescriptorSet".to_string())),
            };
            let (body, rest) = set.split_at(len);
            set = rest;
            if tag == 1 {
                return Some(Ok(body));
            }
        }
        None
    })
}
