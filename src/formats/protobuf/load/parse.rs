//! One proto2/proto3 file parsed in process by protox-parse, into the descriptor form protoc
//! would write before linking: standard options interpreted, their source paths rewritten.
//!
//! protox-parse leaves every option uninterpreted (`uninterpreted_option`, field 999, with
//! source paths `[..., options, 999, i]`); protoc interprets the standard ones into their typed
//! fields (`[..., options, tag]`). Only standard options matter to the differ, so they are
//! interpreted here from descriptor.proto's names and numbers; custom options (`(foo).bar`) are
//! dropped, as [`super::locations`] drops theirs from protoc's output.
//! Type names stay as written; [`super::link`] resolves them.

use super::descriptor::FileDescriptorProto;
use super::locations::{self, Columns, LineIndex};
use prost::Message as _;
use prost_types::UninterpretedOption;
use std::collections::HashMap;

/// Why a file could not be parsed: protoc is asked again for its own words.
#[derive(Debug)]
pub struct Unparsed;

/// `text` (import path `name`) as protoc's unlinked descriptor.
pub fn parse(name: &str, text: &str) -> Result<FileDescriptorProto, Unparsed> {
    let mut fd = protox_parse::parse(name, text).map_err(|_| Unparsed)?;
    let mut rewrites = HashMap::new();
    interpret_file(&mut fd, &mut rewrites);
    if let Some(info) = fd.source_code_info.as_mut() {
        // Only what the model keeps goes through the encode/decode below, without comments.
        info.location.retain_mut(|location| {
            location.leading_comments = None;
            location.trailing_comments = None;
            location.leading_detached_comments = Vec::new();
            rewrite_path(&mut location.path, &rewrites) && locations::kept(&location.path)
        });
        let lines = LineIndex::new(text);
        for location in &mut info.location {
            if location.path.last() == Some(&10) {
                widen_json_name(&mut location.span, text, &lines);
            }
        }
    }
    FileDescriptorProto::decode(fd.encode_to_vec().as_slice()).map_err(|_| Unparsed)
}

/// The value shapes of the standard options the model reads; the others are only located.
#[derive(Clone, Copy)]
enum Value {
    Bool,
    Str,
    Enum(&'static [(&'static str, i32)]),
    /// Located, not read.
    Ignored,
}

type Table = &'static [(&'static str, i32, Value)];

const FILE: Table = &[
    ("java_package", 1, Value::Str),
    ("java_outer_classname", 8, Value::Str),
    ("java_multiple_files", 10, Value::Bool),
    ("java_generate_equals_and_hash", 20, Value::Ignored),
    ("java_string_check_utf8", 27, Value::Bool),
    ("optimize_for", 9, Value::Enum(&[("SPEED", 1), ("CODE_SIZE", 2), ("LITE_RUNTIME", 3)])),
    ("go_package", 11, Value::Str),
    ("cc_generic_services", 16, Value::Bool),
    ("java_generic_services", 17, Value::Bool),
    ("py_generic_services", 18, Value::Bool),
    ("deprecated", 23, Value::Bool),
    ("cc_enable_arenas", 31, Value::Bool),
    ("objc_class_prefix", 36, Value::Str),
    ("csharp_namespace", 37, Value::Str),
    ("swift_prefix", 39, Value::Str),
    ("php_class_prefix", 40, Value::Str),
    ("php_namespace", 41, Value::Str),
    ("php_metadata_namespace", 44, Value::Str),
    ("ruby_package", 45, Value::Str),
];
const MESSAGE: Table = &[
    ("message_set_wire_format", 1, Value::Bool),
    ("no_standard_descriptor_accessor", 2, Value::Bool),
    ("deprecated", 3, Value::Bool),
    ("map_entry", 7, Value::Bool),
    ("deprecated_legacy_json_field_conflicts", 11, Value::Ignored),
];
const FIELD: Table = &[
    ("ctype", 1, Value::Enum(&[("STRING", 0), ("CORD", 1), ("STRING_PIECE", 2)])),
    ("packed", 2, Value::Bool),
    ("jstype", 6, Value::Enum(&[("JS_NORMAL", 0), ("JS_STRING", 1), ("JS_NUMBER", 2)])),
    ("lazy", 5, Value::Ignored),
    ("unverified_lazy", 15, Value::Ignored),
    ("deprecated", 3, Value::Bool),
    ("weak", 10, Value::Ignored),
    ("debug_redact", 16, Value::Ignored),
    ("retention", 17, Value::Ignored),
    ("targets", 19, Value::Ignored),
];
const ONEOF: Table = &[];
const ENUM: Table = &[
    ("allow_alias", 2, Value::Bool),
    ("deprecated", 3, Value::Bool),
    ("deprecated_legacy_json_field_conflicts", 6, Value::Ignored),
];
const ENUM_VALUE: Table = &[("deprecated", 1, Value::Bool), ("debug_redact", 3, Value::Ignored)];
const SERVICE: Table = &[("deprecated", 33, Value::Bool)];
const METHOD: Table = &[
    ("deprecated", 33, Value::Bool),
    ("idempotency_level", 34, Value::Enum(&[("IDEMPOTENCY_UNKNOWN", 0), ("NO_SIDE_EFFECTS", 1), ("IDEMPOTENT", 2)])),
];

/// Options path (element path + the options field) → the tag each uninterpreted option became.
type Rewrites = HashMap<Vec<i32>, Vec<Option<i32>>>;

/// An options message of descriptor.proto with its uninterpreted list.
trait Options: prost::Message + Default {
    fn uninterpreted(&mut self) -> &mut Vec<UninterpretedOption>;
}

macro_rules! options {
    ($($ty:ident),*) => {
        $(impl Options for prost_types::$ty {
            fn uninterpreted(&mut self) -> &mut Vec<UninterpretedOption> {
                &mut self.uninterpreted_option
            }
        })*
    };
}
options!(
    FileOptions,
    MessageOptions,
    FieldOptions,
    OneofOptions,
    EnumOptions,
    EnumValueOptions,
    ServiceOptions,
    MethodOptions
);

/// Interpret `options`' standard options (as protoc would, into typed fields) and note where
/// each went under `path`.
fn interpret<O: Options>(options: &mut Option<O>, table: Table, path: Vec<i32>, rewrites: &mut Rewrites) {
    let Some(options) = options.as_mut() else { return };
    let uninterpreted = std::mem::take(options.uninterpreted());
    if uninterpreted.is_empty() {
        return;
    }
    let mut encoded = Vec::new();
    let mut tags = Vec::with_capacity(uninterpreted.len());
    for option in &uninterpreted {
        let standard = match option.name.as_slice() {
            [part] if !part.is_extension => table.iter().find(|(name, _, _)| *name == part.name_part),
            _ => None,
        };
        tags.push(standard.map(|(_, tag, _)| *tag));
        if let Some(&(_, tag, value)) = standard {
            encode(option, tag as u32, value, &mut encoded);
        }
    }
    // Values the table cannot read (a malformed literal) are left unset; protoc would refuse them.
    let _ = options.merge(encoded.as_slice());
    rewrites.insert(path, tags);
}

fn encode(option: &UninterpretedOption, tag: u32, value: Value, out: &mut Vec<u8>) {
    use prost::encoding;
    match (value, option.identifier_value.as_deref(), option.string_value.as_deref()) {
        (Value::Bool, Some(word @ ("true" | "false")), _) => encoding::bool::encode(tag, &(word == "true"), out),
        (Value::Str, _, Some(bytes)) => encoding::bytes::encode(tag, &bytes.to_vec(), out),
        (Value::Enum(values), Some(word), _) => {
            if let Some((_, number)) = values.iter().find(|(name, _)| *name == word) {
                encoding::int32::encode(tag, number, out);
            }
        }
        _ => {}
    }
}

fn interpret_file(fd: &mut prost_types::FileDescriptorProto, rewrites: &mut Rewrites) {
    interpret(&mut fd.options, FILE, vec![8], rewrites);
    for (i, message) in fd.message_type.iter_mut().enumerate() {
        interpret_message(message, vec![4, i as i32], rewrites);
    }
    for (i, enumeration) in fd.enum_type.iter_mut().enumerate() {
        interpret_enum(enumeration, vec![5, i as i32], rewrites);
    }
    for (i, service) in fd.service.iter_mut().enumerate() {
        let path = [6, i as i32];
        interpret(&mut service.options, SERVICE, [&path[..], &[3]].concat(), rewrites);
        for (j, method) in service.method.iter_mut().enumerate() {
            interpret(&mut method.options, METHOD, [&path[..], &[2, j as i32, 4]].concat(), rewrites);
        }
    }
    for (i, field) in fd.extension.iter_mut().enumerate() {
        interpret(&mut field.options, FIELD, vec![7, i as i32, 8], rewrites);
    }
}

fn interpret_message(message: &mut prost_types::DescriptorProto, path: Vec<i32>, rewrites: &mut Rewrites) {
    let at = |tail: &[i32]| [&path[..], tail].concat();
    interpret(&mut message.options, MESSAGE, at(&[7]), rewrites);
    for (i, field) in message.field.iter_mut().enumerate() {
        interpret(&mut field.options, FIELD, at(&[2, i as i32, 8]), rewrites);
    }
    for (i, field) in message.extension.iter_mut().enumerate() {
        interpret(&mut field.options, FIELD, at(&[6, i as i32, 8]), rewrites);
    }
    for (i, oneof) in message.oneof_decl.iter_mut().enumerate() {
        interpret(&mut oneof.options, ONEOF, at(&[8, i as i32, 2]), rewrites);
    }
    for (i, nested) in message.nested_type.iter_mut().enumerate() {
        interpret_message(nested, at(&[3, i as i32]), rewrites);
    }
    for (i, enumeration) in message.enum_type.iter_mut().enumerate() {
        interpret_enum(enumeration, at(&[4, i as i32]), rewrites);
    }
}

fn interpret_enum(enumeration: &mut prost_types::EnumDescriptorProto, path: Vec<i32>, rewrites: &mut Rewrites) {
    interpret(&mut enumeration.options, ENUM, [&path[..], &[3]].concat(), rewrites);
    for (i, value) in enumeration.value.iter_mut().enumerate() {
        interpret(&mut value.options, ENUM_VALUE, [&path[..], &[2, i as i32, 3]].concat(), rewrites);
    }
}

/// protox-parse places a field's `json_name` at its value, protoc at the option's name: start
/// the span at `json_name` when the text before the value is `json_name =`.
fn widen_json_name(span: &mut [i32], text: &str, lines: &LineIndex) {
    let (Some(&line), Some(&column)) = (span.first(), span.get(1)) else { return };
    let (Ok(line), Ok(column)) = (usize::try_from(line), usize::try_from(column)) else { return };
    let line_start = lines.offset(line, 0, Columns::Bytes);
    let Some(before) = text.get(line_start..lines.offset(line, column, Columns::Bytes)) else { return };
    let trimmed = before.trim_end().strip_suffix('=').map(str::trim_end);
    if let Some(name) = trimmed.and_then(|t| t.strip_suffix("json_name")) {
        span[1] = i32::try_from(name.len()).unwrap_or(span[1]);
    }
}

/// `[..., options, 999, i, ...]` → `[..., options, tag, ...]` for a standard option; `false`
/// (drop the location) for a custom one.
fn rewrite_path(path: &mut Vec<i32>, rewrites: &Rewrites) -> bool {
    let Some(at) = path.iter().position(|&n| n == 999) else { return true };
    // 999 is also a valid index or field number elsewhere: only an options path is rewritten.
    let Some(tags) = rewrites.get(&path[..at]) else { return true };
    let Some(Some(tag)) = path.get(at + 1).and_then(|&i| tags.get(usize::try_from(i).ok()?)) else {
        return false;
    };
    path.splice(at..at + 2, [*tag]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_options_are_typed_and_located_like_protocs() {
        let text = "syntax = \"proto3\";\noption go_package = \"x/y\";\noption (custom) = 1;\n\
                    message M { int32 a = 1 [deprecated = true, (c) = 2, ctype = CORD]; }\n";
        let fd = parse("m.proto", text).unwrap();
        assert_eq!(fd.options.as_ref().unwrap().go_package.as_deref(), Some("x/y"));
        let field = &fd.message_type[0].field[0];
        let options = field.options.as_ref().unwrap();
        assert_eq!((options.deprecated, options.ctype), (Some(true), Some(1)));
        let paths: Vec<&[i32]> = fd.source_code_info.as_ref().unwrap().location.iter().map(|l| &l.path[..]).collect();
        assert!(paths.contains(&&[8, 11][..]), "go_package at its tag: {paths:?}");
        assert!(paths.contains(&&[4, 0, 2, 0, 8, 3][..]), "deprecated at its tag: {paths:?}");
        assert!(paths.contains(&&[4, 0, 2, 0, 8, 1][..]), "ctype at its tag: {paths:?}");
        assert!(!paths.iter().any(|p| p.contains(&999)), "custom options dropped: {paths:?}");
    }

    #[test]
    fn json_name_is_located_at_the_option_name_like_protocs() {
        let fd =
            parse("j.proto", "syntax = \"proto3\";\nmessage M {\n  int32 a = 1 [json_name = \"b\"];\n}\n").unwrap();
        let info = fd.source_code_info.unwrap();
        let json = info.location.iter().find(|l| l.path == [4, 0, 2, 0, 10]).expect("located");
        assert_eq!(json.span, [2, 15, 30], "from `json_name` to the end of its value");
    }

    #[test]
    fn absurd_nesting_is_refused_without_recursing() {
        // protox-parse stops nesting at 31 levels and skips the rest without recursion: were it
        // to recurse, 100,000 levels would overflow this thread's stack (an abort, not a panic).
        // `scan::MAX_DEPTH` refuses such files before they get here anyway.
        let messages = format!("syntax = \"proto3\";\n{}{}", "message M {\n".repeat(100_000), "}\n".repeat(100_000));
        assert!(parse("m.proto", &messages).is_err());
        let groups = format!(
            "syntax = \"proto2\";\nmessage M {{\n{}{}",
            "optional group G = 1 {\n".repeat(100_000),
            "}\n".repeat(100_001)
        );
        assert!(parse("g.proto", &groups).is_err());
    }

    #[test]
    fn editions_and_syntax_errors_are_left_to_protoc() {
        assert!(parse("e.proto", "edition = \"2023\";\nmessage M {}\n").is_err());
        assert!(parse("s.proto", "syntax = \"proto3\";\nmessage M { int32 a = ; }\n").is_err());
    }
}
