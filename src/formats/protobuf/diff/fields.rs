//! Field rules, on fields matched by number in messages kept by name, and on extensions matched
//! by (extendee, number): name, JSON name, cardinality, type, encoding features, default, oneof.

use super::index::FieldRef;
use super::types::{self, Cardinality, DefaultValue};
use super::{sub, At, Out, Pair};
use crate::formats::protobuf::model::{CppStringType, Field, JsType, Type, Utf8Validation};

// Descriptor field numbers (FieldDescriptorProto, FieldOptions, FeatureSet) for locations.
const NAME: i32 = 1;
const TYPE: i32 = 5;
const TYPE_NAME: i32 = 6;
const DEFAULT: i32 = 7;
const OPTIONS: i32 = 8;
const JSON_NAME: i32 = 10;
const CTYPE: i32 = 1;
const DEPRECATED: i32 = 3;
const JSTYPE: i32 = 6;
const FEATURES: i32 = 21;
const UTF8_VALIDATION: i32 = 4;
const CPP_FEATURES: i32 = 1000;
const CPP_STRING_TYPE: i32 = 2;
const JAVA_FEATURES: i32 = 1001;
const JAVA_UTF8_VALIDATION: i32 = 2;
const FILE_JAVA_STRING_CHECK_UTF8: [i32; 2] = [8, 27];

pub(super) fn check(pair: &Pair, out: &mut Out) {
    for (name, base) in &pair.base.messages {
        let Some(head) = pair.head.messages.get(name) else { continue };
        let head_fields = pair.head.fields_of(head);
        for (number, b) in pair.base.fields_of(base) {
            if let Some(h) = head_fields.get(&number) {
                compare(pair, &b, h, out);
            }
        }
    }
    for (key, b) in &pair.base.extensions {
        if let Some(h) = pair.head.extensions.get(key) {
            compare(pair, b, h, out);
        }
    }
}

/// Where a finding about `r` points: the first of `tails` (under the field) the source has,
/// else the field. Fields of a synthesized map entry point at the map field itself.
fn at<'a>(r: &FieldRef<'a>, tails: &[Vec<i32>]) -> At<'a> {
    if r.in_map_entry() {
        if let (Some(entry), Some(owner)) = (r.message, r.owner) {
            if let Some(map_field) = owner.fields.iter().find(|f| f.type_name.as_deref() == Some(&entry.full_name)) {
                return At::path(r.file, &map_field.path);
            }
        }
    }
    let paths: Vec<Vec<i32>> = tails.iter().map(|t| sub(&r.field.path, t)).collect();
    At::first(r.file, &paths, r.file.loc(&r.field.path))
}

/// The file's `java_string_check_utf8` when written, else the field's Java feature, else the field.
fn java_utf8_at<'a>(r: &FieldRef<'a>) -> At<'a> {
    match r.file.exact_loc(&FILE_JAVA_STRING_CHECK_UTF8) {
        Some(loc) => At::new(r.file, loc),
        None => at(r, &[vec![OPTIONS, FEATURES, JAVA_FEATURES, JAVA_UTF8_VALIDATION]]),
    }
}

/// The location of a field's type: its type name for messages, enums and groups.
fn type_at<'a>(r: &FieldRef<'a>) -> At<'a> {
    match types::kind(r.field) {
        Type::Message | Type::Enum | Type::Group => at(r, &[vec![TYPE_NAME], vec![TYPE]]),
        _ => at(r, &[vec![TYPE]]),
    }
}

/// buf's description of a field: `Field "1" with name "one" on message "One"`.
fn describe(r: &FieldRef) -> String {
    let f = r.field;
    match &f.extendee {
        Some(extendee) => format!("Extension \"{}\" with name {:?} on message {:?}", f.number, r.full_name, extendee),
        None => format!(
            "Field \"{}\" with name {:?} on message {:?}",
            f.number,
            f.name,
            r.message.map(|m| m.name.as_str()).unwrap_or("")
        ),
    }
}

/// The same without the name, for name changes.
fn describe_unnamed(r: &FieldRef) -> String {
    let f = r.field;
    match &f.extendee {
        Some(extendee) => format!("Extension \"{}\" on message {extendee:?}", f.number),
        None => format!("Field \"{}\" on message {:?}", f.number, r.message.map(|m| m.name.as_str()).unwrap_or("")),
    }
}

fn compare(pair: &Pair, b: &FieldRef, h: &FieldRef, out: &mut Out) {
    let (bf, hf) = (b.field, h.field);
    let locus = h.full_name.as_str();
    let add = |out: &mut Out, rule: &str, message: String, tails: &[Vec<i32>]| {
        out.add(rule, locus, message, Some(at(b, tails)), Some(at(h, tails)));
    };
    // Names: extensions are known by their full name.
    let (old_name, new_name) = if h.is_extension() { (&b.full_name, &h.full_name) } else { (&bf.name, &hf.name) };
    if old_name != new_name {
        let message = format!("{} changed name from {old_name:?} to {new_name:?}.", describe_unnamed(h));
        add(out, "protobuf.field-same-name", message, &[vec![NAME]]);
    }
    if !b.is_extension() && bf.json_name != hf.json_name {
        add(
            out,
            "protobuf.field-same-json-name",
            format!("{} changed option \"json_name\" from {:?} to {:?}.", describe(h), bf.json_name, hf.json_name),
            &[vec![JSON_NAME]],
        );
    }
    cardinality(pair, b, h, out);
    field_type(pair, b, h, out);
    let both_strings = types::kind(bf) == Type::String && types::kind(hf) == Type::String;
    if both_strings && bf.features.utf8_validation != hf.features.utf8_validation {
        add(
            out,
            "protobuf.field-same-utf8-validation",
            format!(
                "{} changed UTF8 validation from {} to {}.",
                describe(h),
                utf8(bf.features.utf8_validation),
                utf8(hf.features.utf8_validation)
            ),
            &[vec![OPTIONS, FEATURES, UTF8_VALIDATION]],
        );
    }
    if both_strings && java_utf8(bf) != java_utf8(hf) {
        let message = format!(
            "{} changed Java string UTF8 validation from {} to {}.",
            describe(h),
            utf8(java_utf8(bf)),
            utf8(java_utf8(hf))
        );
        out.add(
            "protobuf.field-same-java-utf8-validation",
            locus,
            message,
            Some(java_utf8_at(b)),
            Some(java_utf8_at(h)),
        );
    }
    cpp_string_type(b, h, out);
    if types::is_64_bit_integer(bf.ty) && types::is_64_bit_integer(hf.ty) && bf.jstype != hf.jstype {
        add(
            out,
            "protobuf.field-same-jstype",
            format!(
                "{} changed option \"jstype\" from {:?} to {:?}.",
                describe(h),
                jstype(bf.jstype),
                jstype(hf.jstype)
            ),
            &[vec![OPTIONS, JSTYPE]],
        );
    }
    default(pair, b, h, out);
    oneof(b, h, out);
    if !bf.deprecated && hf.deprecated {
        out.add(
            "protobuf.field-deprecated",
            locus,
            format!("{} was deprecated.", describe(h)),
            Some(at(b, &[])),
            Some(at(h, &[vec![OPTIONS, DEPRECATED]])),
        );
    }
}

fn cardinality(pair: &Pair, b: &FieldRef, h: &FieldRef, out: &mut Out) {
    // Map entries are generated; their fields' presence means nothing.
    if b.in_map_entry() && h.in_map_entry() {
        return;
    }
    let (old, new) = (Cardinality::of(b.field, pair.base), Cardinality::of(h.field, pair.head));
    let message = format!("{} changed cardinality from {:?} to {:?}.", describe(h), old.name(), new.name());
    for (rule, differs) in [
        ("protobuf.field-same-cardinality", old != new),
        ("protobuf.field-wire-compatible-cardinality", old.wire_group() != new.wire_group()),
        ("protobuf.field-wire-json-compatible-cardinality", old.wire_json_group() != new.wire_json_group()),
    ] {
        if differs {
            out.add(rule, h.full_name.as_str(), message.clone(), Some(at(b, &[])), Some(at(h, &[])));
        }
    }
}

fn field_type(pair: &Pair, b: &FieldRef, h: &FieldRef, out: &mut Out) {
    let (bf, hf) = (b.field, h.field);
    let (old, new) = (types::kind(bf), types::kind(hf));
    let kind_changed = |extra: &str| {
        format!(
            "{} changed type from {:?} to {:?}.{extra}",
            describe(h),
            types::pretty_kind(bf, b.file.syntax),
            types::pretty_kind(hf, h.file.syntax)
        )
    };
    let name_changed = || {
        format!(
            "{} changed type from {:?} to {:?}.",
            describe(h),
            bf.type_name.as_deref().unwrap_or(""),
            hf.type_name.as_deref().unwrap_or("")
        )
    };
    let named = matches!(new, Type::Message | Type::Enum | Type::Group);
    let type_name_changed = named && old == new && bf.type_name != hf.type_name;
    let locus = h.full_name.as_str();
    let add = |out: &mut Out, rule: &str, message: String, by_name: bool| {
        let (ba, ha) = if by_name {
            (at(b, &[vec![TYPE_NAME], vec![TYPE]]), at(h, &[vec![TYPE_NAME], vec![TYPE]]))
        } else {
            (type_at(b), type_at(h))
        };
        out.add(rule, locus, message, Some(ba), Some(ha));
    };
    if old != new {
        add(out, "protobuf.field-same-type", kind_changed(""), false);
    } else if type_name_changed {
        add(out, "protobuf.field-same-type", name_changed(), true);
    }
    let see_wire =
        " See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules.";
    if types::wire_group(old) != types::wire_group(new) {
        match (old, new) {
            // string → bytes is safe; bytes → string only if every value is UTF-8.
            (Type::String, Type::Bytes) => {}
            (Type::Bytes, Type::String) => add(
                out,
                "protobuf.field-wire-compatible-type",
                kind_changed(&format!(
                    "{see_wire} Note that while string and bytes are compatible if the data is valid UTF-8, there is no way to enforce that a bytes field is UTF-8, so these fields may be incompatible."
                )),
                false,
            ),
            _ => add(out, "protobuf.field-wire-compatible-type", kind_changed(see_wire), false),
        }
    } else if type_name_changed && !compatible_enums(pair, bf, hf, new) {
        add(out, "protobuf.field-wire-compatible-type", name_changed(), true);
    }
    if types::wire_json_group(old) != types::wire_json_group(new) {
        add(
            out,
            "protobuf.field-wire-json-compatible-type",
            kind_changed(" See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules and https://developers.google.com/protocol-buffers/docs/proto3#json for JSON compatibility rules."),
            false,
        );
    } else if type_name_changed && !compatible_enums(pair, bf, hf, new) {
        add(out, "protobuf.field-wire-json-compatible-type", name_changed(), true);
    }
}

/// buf accepts an enum field moving to another enum of the same short name that keeps every
/// old value (number and name).
fn compatible_enums(pair: &Pair, bf: &Field, hf: &Field, kind: Type) -> bool {
    if kind != Type::Enum {
        return false;
    }
    let (Some(old), Some(new)) = (
        bf.type_name.as_deref().and_then(|t| pair.base.enum_by_name(t)),
        hf.type_name.as_deref().and_then(|t| pair.head.enum_by_name(t)),
    ) else {
        return false;
    };
    old.name == new.name
        && old.values.iter().all(|v| new.values.iter().any(|n| n.number == v.number && n.name == v.name))
}

fn cpp_string_type(b: &FieldRef, h: &FieldRef, out: &mut Out) {
    if b.in_map_entry() && h.in_map_entry() {
        return;
    }
    let stringy = |f: &Field| matches!(types::kind(f), Type::String | Type::Bytes);
    if !stringy(b.field) || !stringy(h.field) {
        return;
    }
    let (old, new) = (b.field.features.cpp_string_type, h.field.features.cpp_string_type);
    // Moving from string_piece to string is safe.
    if old == new || (old == CppStringType::StringPiece && new == CppStringType::String) {
        return;
    }
    let tails = [vec![OPTIONS, CTYPE], vec![OPTIONS, FEATURES, CPP_FEATURES, CPP_STRING_TYPE]];
    out.add(
        "protobuf.field-same-cpp-string-type",
        h.full_name.as_str(),
        format!("{} changed C++ string type from {:?} to {:?}.", describe(h), cpp(old), cpp(new)),
        Some(at(b, &tails)),
        Some(at(h, &tails)),
    );
}

fn default(pair: &Pair, b: &FieldRef, h: &FieldRef, out: &mut Out) {
    if !types::can_have_default(b.field) || !types::can_have_default(h.field) {
        return;
    }
    let (old, new) = (DefaultValue::of(b.field, pair.base), DefaultValue::of(h.field, pair.head));
    if (old.is_zero() && new.is_zero()) || old.same(&new) {
        return;
    }
    out.add(
        "protobuf.field-same-default",
        h.full_name.as_str(),
        format!("{} changed default value from {} to {}.", describe(h), old.show(), new.show()),
        Some(at(b, &[vec![DEFAULT]])),
        Some(at(h, &[vec![DEFAULT]])),
    );
}

fn oneof(b: &FieldRef, h: &FieldRef, out: &mut Out) {
    if b.is_extension() {
        return;
    }
    // The synthetic oneof of a proto3 `optional` field is presence, not a oneof.
    let name = |r: &FieldRef| -> Option<String> {
        let index = r.field.oneof_index?;
        let oneof = r.message?.oneofs.get(index)?;
        (!oneof.synthetic).then(|| oneof.name.clone())
    };
    let message = match (name(b), name(h)) {
        (None, None) => return,
        (Some(old), Some(new)) if old == new => return,
        (Some(old), Some(new)) => format!("{} moved from oneof {old:?} to oneof {new:?}.", describe(h)),
        (Some(_), None) => format!("{} moved from inside to outside a oneof.", describe(h)),
        (None, Some(_)) => format!("{} moved from outside to inside a oneof.", describe(h)),
    };
    out.add("protobuf.field-same-oneof", h.full_name.as_str(), message, Some(at(b, &[])), Some(at(h, &[])));
}

/// buf's Java UTF-8 reading: `java_string_check_utf8` or `(pb.java).utf8_validation = VERIFY`
/// means VERIFY; otherwise the field's standard `utf8_validation`.
fn java_utf8(f: &Field) -> Utf8Validation {
    if f.features.java_utf8_verify {
        Utf8Validation::Verify
    } else {
        f.features.utf8_validation
    }
}

fn utf8(v: Utf8Validation) -> &'static str {
    match v {
        Utf8Validation::Verify => "VERIFY",
        Utf8Validation::None => "NONE",
    }
}

fn cpp(t: CppStringType) -> &'static str {
    match t {
        CppStringType::String => "STRING",
        CppStringType::Cord => "CORD",
        CppStringType::StringPiece => "STRING_PIECE",
        CppStringType::View => "VIEW",
    }
}

fn jstype(t: JsType) -> &'static str {
    match t {
        JsType::Normal => "JS_NORMAL",
        JsType::String => "JS_STRING",
        JsType::Number => "JS_NUMBER",
    }
}
