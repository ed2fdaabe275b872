//! One decoded `FileDescriptorProto` → one [`model::File`], features resolved on the way.
//!
//! A field's `enum_type` is the resolved `enum_type` of the enum it references, which may live
//! in another file: [`convert`] leaves a placeholder and [`resolve_enum_fields`] fills it in once
//! every file of the compilation has given its enums ([`enum_types`]).

use super::descriptor as d;
use super::features::{syntax_of, Features};
use super::locations::{locations, Columns, LineIndex};
use crate::formats::protobuf::model::*;
use std::collections::{HashMap, HashSet};

/// The model of `fd`, whose source is `text` at `repo_path`.
pub fn convert(fd: d::FileDescriptorProto, name: &str, repo_path: &str, text: &str, columns: Columns) -> File {
    let syntax = syntax_of(fd.syntax.as_deref(), fd.edition);
    let package = fd.package.clone().unwrap_or_default();
    let options = file_options(fd.options.as_ref());
    let mut base = Features::defaults(syntax);
    base.java_utf8_verify = options.java_string_check_utf8 == Some(true);
    let file_features = base.with(fd.options.as_ref().and_then(|o| o.features.as_ref()));
    let explicit_json = explicit_json_names(fd.source_code_info.as_ref());
    let scope = Scope { syntax, explicit_json: &explicit_json };
    let messages = fd
        .message_type
        .iter()
        .enumerate()
        .map(|(i, m)| scope.message(m, &package, file_features, vec![4, i as i32]))
        .collect();
    let enums = fd
        .enum_type
        .iter()
        .enumerate()
        .map(|(i, e)| enumeration(e, &package, file_features, vec![5, i as i32]))
        .collect();
    let services = fd.service.iter().enumerate().map(|(i, s)| service(s, &package, vec![6, i as i32])).collect();
    let no_map_entries = HashSet::new();
    let extensions = fd
        .extension
        .iter()
        .enumerate()
        .map(|(i, f)| scope.field(f, file_features, None, &no_map_entries, vec![7, i as i32]))
        .collect();
    let index = LineIndex::new(text);
    File {
        name: name.to_string(),
        repo_path: repo_path.to_string(),
        package,
        syntax,
        options,
        messages,
        enums,
        services,
        extensions,
        locations: locations(fd.source_code_info.as_ref(), &index, columns),
        unchanged: false,
    }
}

/// Every enum `fd` declares, by full name, with its resolved enum type.
pub fn enum_types(fd: &d::FileDescriptorProto, out: &mut HashMap<String, EnumType>) {
    fn walk(
        prefix: &str,
        features: Features,
        messages: &[d::DescriptorProto],
        enums: &[d::EnumDescriptorProto],
        out: &mut HashMap<String, EnumType>,
    ) {
        for e in enums {
            let features = features.with(e.options.as_ref().and_then(|o| o.features.as_ref()));
            out.insert(join(prefix, e.name()), features.enum_type);
        }
        for m in messages {
            let features = features.with(m.options.as_ref().and_then(|o| o.features.as_ref()));
            walk(&join(prefix, m.name()), features, &m.nested_type, &m.enum_type, out);
        }
    }
    let syntax = syntax_of(fd.syntax.as_deref(), fd.edition);
    let features = Features::defaults(syntax).with(fd.options.as_ref().and_then(|o| o.features.as_ref()));
    walk(fd.package(), features, &fd.message_type, &fd.enum_type, out);
}

/// Give every enum field of `file` the enum type of the enum it references.
pub fn resolve_enum_fields(file: &mut File, enums: &HashMap<String, EnumType>) {
    fn fields(fields: &mut [Field], enums: &HashMap<String, EnumType>) {
        for field in fields {
            if field.ty == Type::Enum {
                let found = field.type_name.as_deref().and_then(|name| enums.get(name)).copied();
                field.features.enum_type = found.or(field.features.enum_type);
            }
        }
    }
    fn messages(list: &mut [Message], enums: &HashMap<String, EnumType>) {
        for m in list {
            fields(&mut m.fields, enums);
            fields(&mut m.extensions, enums);
            messages(&mut m.messages, enums);
        }
    }
    fields(&mut file.extensions, enums);
    messages(&mut file.messages, enums);
}

/// Paths of fields whose `json_name` was written (the source has a location for it).
fn explicit_json_names(info: Option<&d::SourceCodeInfo>) -> HashSet<Vec<i32>> {
    const JSON_NAME: i32 = 10;
    info.map(|info| {
        info.location
            .iter()
            .filter(|l| {
                l.path.last() == Some(&JSON_NAME) && l.path.len() >= 3 && is_field_list(l.path[l.path.len() - 3])
            })
            .map(|l| l.path[..l.path.len() - 1].to_vec())
            .collect()
    })
    .unwrap_or_default()
}

/// Field lists: a message's fields (2) and extensions (6), a file's extensions (7).
fn is_field_list(tag: i32) -> bool {
    matches!(tag, 2 | 6 | 7)
}

struct Scope<'a> {
    syntax: Syntax,
    explicit_json: &'a HashSet<Vec<i32>>,
}

impl Scope<'_> {
    fn message(&self, m: &d::DescriptorProto, prefix: &str, parent: Features, path: Vec<i32>) -> Message {
        let options = m.options.as_ref();
        let features = parent.with(options.and_then(|o| o.features.as_ref()));
        let full_name = join(prefix, m.name());
        let child = |tag: i32, i: usize| {
            let mut p = path.clone();
            p.extend([tag, i as i32]);
            p
        };
        let map_entries: HashSet<String> = m
            .nested_type
            .iter()
            .filter(|n| n.options.as_ref().and_then(|o| o.map_entry) == Some(true))
            .map(|n| join(&full_name, n.name()))
            .collect();
        let oneof_features: Vec<Features> =
            m.oneof_decl.iter().map(|o| features.with(o.options.as_ref().and_then(|o| o.features.as_ref()))).collect();
        let fields: Vec<Field> = m
            .field
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let in_oneof = f.oneof_index.and_then(|k| oneof_features.get(k as usize)).copied();
                self.field(f, in_oneof.unwrap_or(features), in_oneof.map(|_| ()), &map_entries, child(2, i))
            })
            .collect();
        let oneofs = m
            .oneof_decl
            .iter()
            .enumerate()
            .map(|(k, o)| {
                let mut members = fields.iter().filter(|f| f.oneof_index == Some(k));
                let synthetic = members.clone().count() == 1 && members.all(|f| f.proto3_optional);
                Oneof { name: o.name().to_string(), synthetic, path: child(8, k) }
            })
            .collect();
        Message {
            name: m.name().to_string(),
            messages: m
                .nested_type
                .iter()
                .enumerate()
                .map(|(i, n)| self.message(n, &full_name, features, child(3, i)))
                .collect(),
            enums: m
                .enum_type
                .iter()
                .enumerate()
                .map(|(i, e)| enumeration(e, &full_name, features, child(4, i)))
                .collect(),
            extensions: m
                .extension
                .iter()
                .enumerate()
                .map(|(i, f)| self.field(f, features, None, &map_entries, child(6, i)))
                .collect(),
            full_name,
            fields,
            oneofs,
            reserved_ranges: m.reserved_range.iter().map(range).collect(),
            reserved_names: m.reserved_name.clone(),
            extension_ranges: m.extension_range.iter().map(range).collect(),
            message_set_wire_format: options.and_then(|o| o.message_set_wire_format).unwrap_or(false),
            no_standard_descriptor_accessor: options.and_then(|o| o.no_standard_descriptor_accessor).unwrap_or(false),
            map_entry: options.and_then(|o| o.map_entry).unwrap_or(false),
            deprecated: options.and_then(|o| o.deprecated).unwrap_or(false),
            json_format: features.json_format,
            path,
        }
    }

    /// `parent`: the features of the enclosing message, oneof or file. `in_oneof`: a member of a
    /// (real or synthetic) oneof.
    fn field(
        &self,
        f: &d::FieldDescriptorProto,
        parent: Features,
        in_oneof: Option<()>,
        map_entries: &HashSet<String>,
        path: Vec<i32>,
    ) -> Field {
        let options = f.options.as_ref();
        let features = parent.with(options.and_then(|o| o.features.as_ref()));
        let type_name = f.type_name.as_deref().map(|n| n.trim_start_matches('.').to_string());
        let label = match f.label {
            Some(d::LABEL_REQUIRED) => Label::Required,
            Some(d::LABEL_REPEATED) => Label::Repeated,
            _ if features.presence == Presence::LegacyRequired => Label::Required,
            _ => Label::Optional,
        };
        let is_map = label == Label::Repeated && type_name.as_ref().is_some_and(|n| map_entries.contains(n));
        let mut ty = type_of(f.r#type.unwrap_or(0));
        // As protoreflect reads editions: a delimited message field is a group on the wire.
        let delimited = match ty {
            Type::Group => true,
            Type::Message => features.delimited && !is_map && self.editions(),
            _ => false,
        };
        if delimited {
            ty = Type::Group;
        }
        let proto3_optional = f.proto3_optional.unwrap_or(false);
        let is_extension = f.extendee.is_some();
        let presence = if label == Label::Repeated {
            // Repeated fields have no presence; normalised so syntaxes compare equal.
            Presence::Implicit
        } else if label == Label::Required {
            Presence::LegacyRequired
        } else if matches!(ty, Type::Message | Type::Group) || in_oneof.is_some() || proto3_optional || is_extension {
            Presence::Explicit
        } else if features.presence == Presence::LegacyRequired {
            Presence::LegacyRequired
        } else {
            features.presence
        };
        let is_string = ty == Type::String;
        let packable = !matches!(ty, Type::String | Type::Bytes | Type::Message | Type::Group);
        let packed = label == Label::Repeated
            && packable
            && match options.and_then(|o| o.packed) {
                Some(packed) if !self.editions() => packed,
                _ => features.packed,
            };
        let cpp_string_type = match options.and_then(|o| o.ctype) {
            _ if !matches!(ty, Type::String | Type::Bytes) => CppStringType::String,
            Some(1) => CppStringType::Cord,
            Some(2) => CppStringType::StringPiece,
            Some(_) => CppStringType::String,
            None => features.cpp_string_type,
        };
        let name = f.name().to_string();
        Field {
            json_name: f.json_name.clone().unwrap_or_else(|| json_name(&name)),
            json_name_explicit: self.explicit_json.contains(&path),
            name,
            number: f.number.unwrap_or(0),
            label,
            ty,
            type_name,
            default: f.default_value.clone(),
            oneof_index: f.oneof_index.and_then(|i| usize::try_from(i).ok()),
            proto3_optional,
            extendee: f.extendee.as_deref().map(|n| n.trim_start_matches('.').to_string()),
            jstype: match options.and_then(|o| o.jstype) {
                Some(1) => JsType::String,
                Some(2) => JsType::Number,
                _ => JsType::Normal,
            },
            deprecated: options.and_then(|o| o.deprecated).unwrap_or(false),
            features: FieldFeatures {
                presence,
                utf8_validation: if is_string { features.utf8 } else { Utf8Validation::None },
                packed,
                delimited,
                // Placeholder until resolve_enum_fields looks the enum up.
                enum_type: (ty == Type::Enum).then_some(features.enum_type),
                java_utf8_verify: is_string && features.java_utf8_verify,
                cpp_string_type,
                json_format: features.json_format,
            },
            path,
        }
    }

    fn editions(&self) -> bool {
        matches!(self.syntax, Syntax::Editions(_))
    }
}

fn enumeration(e: &d::EnumDescriptorProto, prefix: &str, parent: Features, path: Vec<i32>) -> Enum {
    let options = e.options.as_ref();
    let features = parent.with(options.and_then(|o| o.features.as_ref()));
    Enum {
        name: e.name().to_string(),
        full_name: join(prefix, e.name()),
        values: e
            .value
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let mut p = path.clone();
                p.extend([2, i as i32]);
                EnumValue {
                    name: v.name().to_string(),
                    number: v.number.unwrap_or(0),
                    deprecated: v.options.as_ref().and_then(|o| o.deprecated).unwrap_or(false),
                    path: p,
                }
            })
            .collect(),
        reserved_ranges: e.reserved_range.iter().map(range).collect(),
        reserved_names: e.reserved_name.clone(),
        allow_alias: options.and_then(|o| o.allow_alias).unwrap_or(false),
        enum_type: features.enum_type,
        json_format: features.json_format,
        deprecated: options.and_then(|o| o.deprecated).unwrap_or(false),
        path,
    }
}

fn service(s: &d::ServiceDescriptorProto, package: &str, path: Vec<i32>) -> Service {
    Service {
        name: s.name().to_string(),
        full_name: join(package, s.name()),
        methods: s
            .method
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let options = m.options.as_ref();
                let mut p = path.clone();
                p.extend([2, i as i32]);
                Method {
                    name: m.name().to_string(),
                    input_type: m.input_type().trim_start_matches('.').to_string(),
                    output_type: m.output_type().trim_start_matches('.').to_string(),
                    client_streaming: m.client_streaming.unwrap_or(false),
                    server_streaming: m.server_streaming.unwrap_or(false),
                    idempotency_level: match options.and_then(|o| o.idempotency_level) {
                        Some(1) => IdempotencyLevel::NoSideEffects,
                        Some(2) => IdempotencyLevel::Idempotent,
                        _ => IdempotencyLevel::Unknown,
                    },
                    deprecated: options.and_then(|o| o.deprecated).unwrap_or(false),
                    path: p,
                }
            })
            .collect(),
        deprecated: s.options.as_ref().and_then(|o| o.deprecated).unwrap_or(false),
        path,
    }
}

fn file_options(o: Option<&d::FileOptions>) -> FileOptions {
    let Some(o) = o else { return FileOptions::default() };
    FileOptions {
        java_package: o.java_package.clone(),
        java_outer_classname: o.java_outer_classname.clone(),
        java_multiple_files: o.java_multiple_files,
        java_generic_services: o.java_generic_services,
        java_string_check_utf8: o.java_string_check_utf8,
        optimize_for: o.optimize_for,
        go_package: o.go_package.clone(),
        cc_generic_services: o.cc_generic_services,
        py_generic_services: o.py_generic_services,
        cc_enable_arenas: o.cc_enable_arenas,
        objc_class_prefix: o.objc_class_prefix.clone(),
        csharp_namespace: o.csharp_namespace.clone(),
        swift_prefix: o.swift_prefix.clone(),
        php_class_prefix: o.php_class_prefix.clone(),
        php_namespace: o.php_namespace.clone(),
        php_metadata_namespace: o.php_metadata_namespace.clone(),
        ruby_package: o.ruby_package.clone(),
        deprecated: o.deprecated.unwrap_or(false),
    }
}

fn type_of(number: i32) -> Type {
    match number {
        1 => Type::Double,
        2 => Type::Float,
        3 => Type::Int64,
        4 => Type::Uint64,
        5 => Type::Int32,
        6 => Type::Fixed64,
        7 => Type::Fixed32,
        8 => Type::Bool,
        9 => Type::String,
        10 => Type::Group,
        11 => Type::Message,
        12 => Type::Bytes,
        13 => Type::Uint32,
        14 => Type::Enum,
        15 => Type::Sfixed32,
        16 => Type::Sfixed64,
        17 => Type::Sint32,
        _ => Type::Sint64,
    }
}

fn range(r: &d::Range) -> (i32, i32) {
    (r.start.unwrap_or(0), r.end.unwrap_or(0))
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// protoc's default JSON name: `foo_bar` → `fooBar` (used only if a descriptor lacks one).
fn json_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
