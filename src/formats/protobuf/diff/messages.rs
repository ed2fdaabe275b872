//! Message rules: deleted and added messages, their fields and oneofs by number and name, the
//! message options buf compares, required fields, and reserved and extension ranges.

use super::index::{deletion_site, file_messages, MessageRef};
use super::{reserved, sub, At, Out, Pair};
use crate::formats::protobuf::model::{JsonFormat, Label, Message};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(pair: &Pair, out: &mut Out) {
    deleted_per_file(pair, out);
    for (name, base) in &pair.base.messages {
        if let Some(head) = pair.head.messages.get(name) {
            compare(base, head, out);
        }
    }
    added(pair, out);
}

/// MESSAGE_NO_DELETE: per file, by nested name; nested messages of a deleted message count too,
/// as in buf, but not synthesized map entries (the map field's deletion covers them).
fn deleted_per_file(pair: &Pair, out: &mut Out) {
    if !out.wants("protobuf.message-no-delete") {
        return;
    }
    for (file_name, base_file) in &pair.base.module.files {
        let Some(head_file) = pair.head.module.files.get(file_name) else { continue };
        let present = file_messages(head_file);
        for (name, message) in file_messages(base_file) {
            if message.map_entry || present.contains_key(&name) {
                continue;
            }
            out.add(
                "protobuf.message-no-delete",
                message.full_name.as_str(),
                format!("Previously present message {name:?} was deleted from file {file_name:?}."),
                Some(At::path(base_file, &message.path)),
                Some(At::new(head_file, deletion_site(head_file, &name))),
            );
        }
    }
}

fn compare(base: &MessageRef, head: &MessageRef, out: &mut Out) {
    let (b, h) = (base.message, head.message);
    let name = h.full_name.as_str();
    let at_b = || At::path(base.file, &b.path);
    let at_h = || At::path(head.file, &h.path);
    deleted_fields(base, head, out);
    // Oneofs by name; the synthetic ones of proto3 `optional` are presence, checked elsewhere.
    let head_oneofs: BTreeSet<&str> = h.oneofs.iter().map(|o| o.name.as_str()).collect();
    for oneof in b.oneofs.iter().filter(|o| !o.synthetic && !head_oneofs.contains(o.name.as_str())) {
        out.add(
            "protobuf.oneof-no-delete",
            format!("{name}.{}", oneof.name),
            format!("Previously present oneof {:?} on message {:?} was deleted.", oneof.name, h.name),
            Some(at_b()),
            Some(at_h()),
        );
    }
    if !b.no_standard_descriptor_accessor && h.no_standard_descriptor_accessor {
        out.add(
            "protobuf.message-no-remove-standard-descriptor-accessor",
            name,
            format!(
                "Message {:?} changed option \"no_standard_descriptor_accessor\" from \"false\" to \"true\".",
                h.name
            ),
            Some(At::path(base.file, &sub(&b.path, &[7, 2]))),
            Some(At::path(head.file, &sub(&h.path, &[7, 2]))),
        );
    }
    if b.message_set_wire_format != h.message_set_wire_format {
        out.add(
            "protobuf.message-same-message-set-wire-format",
            name,
            format!(
                "Message {:?} changed option \"message_set_wire_format\" from \"{}\" to \"{}\".",
                h.name, b.message_set_wire_format, h.message_set_wire_format
            ),
            Some(At::path(base.file, &sub(&b.path, &[7, 1]))),
            Some(At::path(head.file, &sub(&h.path, &[7, 1]))),
        );
    }
    if b.json_format == JsonFormat::Allow && h.json_format != JsonFormat::Allow {
        out.add(
            "protobuf.message-same-json-format",
            name,
            format!("Message {:?} JSON format support changed from ALLOW to LEGACY_BEST_EFFORT.", h.name),
            Some(At::first(base.file, &[sub(&b.path, &[7, 12, 6])], base.file.loc(&b.path))),
            Some(At::first(head.file, &[sub(&h.path, &[7, 12, 6])], head.file.loc(&h.path))),
        );
    }
    required_fields(base, head, out);
    reserved::message_ranges(base, head, out);
    if !b.deprecated && h.deprecated {
        out.add(
            "protobuf.message-deprecated",
            name,
            format!("Message {name:?} was deprecated."),
            Some(at_b()),
            Some(At::first(head.file, &[sub(&h.path, &[7, 3])], head.file.loc(&h.path))),
        );
    }
}

/// FIELD_NO_DELETE and its two variants that accept a reserved number or name.
fn deleted_fields(base: &MessageRef, head: &MessageRef, out: &mut Out) {
    let (b, h) = (base.message, head.message);
    let numbers: BTreeSet<i32> = h.fields.iter().map(|f| f.number).collect();
    for field in b.fields.iter().filter(|f| !numbers.contains(&f.number)) {
        let what = format!("field \"{}\" with name {:?} on message {:?}", field.number, field.name, h.name);
        let number_reserved = h.reserved_ranges.iter().any(|&(s, e)| (s..e).contains(&field.number));
        let name_reserved = h.reserved_names.contains(&field.name);
        let locus = format!("{}.{}", h.full_name, field.name);
        let variants = [
            ("protobuf.field-no-delete", true, String::new()),
            (
                "protobuf.field-no-delete-unless-number-reserved",
                !number_reserved,
                format!(" without reserving the number \"{}\"", field.number),
            ),
            (
                "protobuf.field-no-delete-unless-name-reserved",
                !name_reserved,
                format!(" without reserving the name {:?}", field.name),
            ),
        ];
        for (rule, applies, suffix) in variants {
            if applies {
                out.add(
                    rule,
                    locus.as_str(),
                    format!("Previously present {what} was deleted{suffix}."),
                    Some(At::path(base.file, &field.path)),
                    Some(At::path(head.file, &h.path)),
                );
            }
        }
    }
}

fn required_fields(base: &MessageRef, head: &MessageRef, out: &mut Out) {
    // buf reads the label only: an editions LEGACY_REQUIRED field (label optional) is not counted.
    let required = |m: &Message| -> BTreeMap<i32, Vec<i32>> {
        m.fields.iter().filter(|f| f.label == Label::Required).map(|f| (f.number, f.path.clone())).collect()
    };
    let (b, h) = (required(base.message), required(head.message));
    let name = &head.message.name;
    let why = "Required fields must always be sent, so if one side does not know about the required field, this will result in a breakage.";
    for (number, path) in b.iter().filter(|(n, _)| !h.contains_key(n)) {
        out.add(
            "protobuf.message-same-required-fields",
            format!("{}.{number}", head.message.full_name),
            format!("Message {name:?} had required field \"{number}\" deleted. {why}"),
            Some(At::path(base.file, path)),
            Some(At::path(head.file, &head.message.path)),
        );
    }
    for (number, path) in h.iter().filter(|(n, _)| !b.contains_key(n)) {
        out.add(
            "protobuf.message-same-required-fields",
            format!("{}.{number}", head.message.full_name),
            format!("Message {name:?} had required field \"{number}\" added. {why}"),
            None,
            Some(At::path(head.file, path)),
        );
    }
}

/// Messages new in head (the outermost new one only; none inside a new file, which
/// `file-added` already reports), and fields new in kept messages.
fn added(pair: &Pair, out: &mut Out) {
    for (name, head) in &pair.head.messages {
        let m = head.message;
        if m.map_entry || !pair.base.module.files.contains_key(&head.file.name) {
            continue;
        }
        match pair.base.messages.get(name) {
            None => {
                let parent_kept = head.parent.is_none_or(|p| pair.base.messages.contains_key(p.full_name.as_str()));
                if parent_kept {
                    out.add(
                        "protobuf.message-added",
                        name.to_string(),
                        format!("Message {name:?} was added."),
                        None,
                        Some(At::path(head.file, &m.path)),
                    );
                }
            }
            Some(base) => {
                let numbers: BTreeSet<i32> = base.message.fields.iter().map(|f| f.number).collect();
                for field in m.fields.iter().filter(|f| !numbers.contains(&f.number)) {
                    out.add(
                        "protobuf.field-added",
                        format!("{name}.{}", field.name),
                        format!(
                            "Field \"{}\" with name {:?} was added to message {:?}.",
                            field.number, field.name, m.name
                        ),
                        Some(At::path(base.file, &base.message.path)),
                        Some(At::path(head.file, &field.path)),
                    );
                }
            }
        }
    }
}
