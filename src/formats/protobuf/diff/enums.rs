//! Enum rules: deleted and added enums, values by number (aliases share one), the enum's
//! open/closed type and JSON format, reserved ranges and names.

use super::index::{deletion_site, file_enums, EnumRef};
use super::{reserved, sub, At, Out, Pair};
use crate::formats::protobuf::model::{Enum, EnumType, File, JsonFormat};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(pair: &Pair, out: &mut Out) {
    deleted_per_file(pair, out);
    for (name, base) in &pair.base.enums {
        if let Some(head) = pair.head.enums.get(name) {
            compare(base, head, out);
        }
    }
    for (name, head) in &pair.head.enums {
        let new_here = !pair.base.enums.contains_key(name) && pair.base.module.files.contains_key(&head.file.name);
        // Inside a new message the message's addition says it.
        let parent = name.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
        let parent_is_new = pair.head.messages.contains_key(parent) && !pair.base.messages.contains_key(parent);
        if new_here && !parent_is_new {
            out.add(
                "protobuf.enum-added",
                name.to_string(),
                format!("Enum {name:?} was added."),
                None,
                Some(At::path(head.file, &head.en.path)),
            );
        }
    }
}

fn deleted_per_file(pair: &Pair, out: &mut Out) {
    if !out.wants("protobuf.enum-no-delete") {
        return;
    }
    for (file_name, base_file) in &pair.base.module.files {
        let Some(head_file) = pair.head.module.files.get(file_name) else { continue };
        let present = file_enums(head_file);
        for (name, en) in file_enums(base_file) {
            if present.contains_key(&name) {
                continue;
            }
            out.add(
                "protobuf.enum-no-delete",
                en.full_name.as_str(),
                format!("Previously present enum {name:?} was deleted from file {file_name:?}."),
                Some(At::path(base_file, &en.path)),
                Some(At::new(head_file, deletion_site(head_file, &name))),
            );
        }
    }
}

/// Value names by number: aliases give a number several names.
fn by_number(en: &Enum) -> BTreeMap<i32, BTreeSet<&str>> {
    let mut map: BTreeMap<i32, BTreeSet<&str>> = BTreeMap::new();
    for v in &en.values {
        map.entry(v.number).or_default().insert(&v.name);
    }
    map
}

fn quoted(names: &BTreeSet<&str>) -> String {
    names.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ")
}

/// An enum option (under `EnumOptions.features`) where written, else the enum.
fn feature_at<'a>(file: &'a File, en: &Enum, feature: i32) -> At<'a> {
    At::first(file, &[sub(&en.path, &[3, 7, feature])], file.loc(&en.path))
}

fn compare(base: &EnumRef, head: &EnumRef, out: &mut Out) {
    let (b, h) = (base.en, head.en);
    let at_b = || At::path(base.file, &b.path);
    let at_h = || At::path(head.file, &h.path);
    let (old, new) = (by_number(b), by_number(h));
    for (number, names) in &old {
        let Some(new_names) = new.get(number) else {
            let in_ranges = h.reserved_ranges.iter().any(|&(s, e)| (s..=e).contains(number));
            let names_reserved = names.iter().all(|n| h.reserved_names.iter().any(|r| r == n));
            let plural = if names.len() > 1 { "s" } else { "" };
            for (rule, applies, suffix) in [
                ("protobuf.enum-value-no-delete", true, String::new()),
                (
                    "protobuf.enum-value-no-delete-unless-number-reserved",
                    !in_ranges,
                    format!(" without reserving the number \"{number}\""),
                ),
                (
                    "protobuf.enum-value-no-delete-unless-name-reserved",
                    !names_reserved,
                    format!(" without reserving the name{plural} {}", quoted(names)),
                ),
            ] {
                if applies {
                    out.add(
                        rule,
                        format!("{}.{number}", h.full_name),
                        format!("Previously present enum value \"{number}\" on enum {:?} was deleted{suffix}.", h.name),
                        Some(at_b()),
                        Some(at_h()),
                    );
                }
            }
            continue;
        };
        // Every old name of the number must still name it (aliases may be added, not dropped).
        if names.is_subset(new_names) {
            continue;
        }
        let plural = if names.len() > 1 && new_names.len() > 1 { "s" } else { "" };
        for value in h.values.iter().filter(|v| v.number == *number) {
            let before = b.values.iter().find(|v| v.number == *number && v.name == value.name);
            let before = before.or_else(|| b.values.iter().find(|v| v.number == *number));
            out.add(
                "protobuf.enum-value-same-name",
                format!("{}.{}", h.full_name, value.name),
                format!(
                    "Enum value \"{number}\" on enum {:?} changed name{plural} from {} to {}.",
                    h.name,
                    quoted(names),
                    quoted(new_names)
                ),
                before.map(|v| At::path(base.file, &sub(&v.path, &[2]))),
                Some(At::path(head.file, &sub(&value.path, &[2]))),
            );
        }
    }
    if b.enum_type != h.enum_type {
        let state = |t| if t == EnumType::Closed { "closed" } else { "open" };
        out.add(
            "protobuf.enum-same-type",
            h.full_name.as_str(),
            format!("Enum {:?} changed from {} to {}.", h.name, state(b.enum_type), state(h.enum_type)),
            Some(feature_at(base.file, b, 2)),
            Some(feature_at(head.file, h, 2)),
        );
    }
    if b.json_format == JsonFormat::Allow && h.json_format != JsonFormat::Allow {
        out.add(
            "protobuf.enum-same-json-format",
            h.full_name.as_str(),
            format!("Enum {:?} JSON format support changed from ALLOW to LEGACY_BEST_EFFORT.", h.name),
            Some(feature_at(base.file, b, 6)),
            Some(feature_at(head.file, h, 6)),
        );
    }
    reserved::enum_ranges(base, head, out);
    for value in &h.values {
        if !old.contains_key(&value.number) {
            out.add(
                "protobuf.enum-value-added",
                format!("{}.{}", h.full_name, value.name),
                format!("Enum value {:?} (\"{}\") was added to enum {:?}.", value.name, value.number, h.name),
                Some(at_b()),
                Some(At::path(head.file, &value.path)),
            );
        } else if let Some(before) = b.values.iter().find(|v| v.name == value.name) {
            if !before.deprecated && value.deprecated {
                out.add(
                    "protobuf.enum-value-deprecated",
                    format!("{}.{}", h.full_name, value.name),
                    format!("Enum value {:?} on enum {:?} was deprecated.", value.name, h.name),
                    Some(At::path(base.file, &before.path)),
                    Some(At::path(head.file, &value.path)),
                );
            }
        }
    }
    if !b.deprecated && h.deprecated {
        out.add(
            "protobuf.enum-deprecated",
            h.full_name.as_str(),
            format!("Enum {:?} was deprecated.", h.full_name),
            Some(at_b()),
            Some(At::first(head.file, &[sub(&h.path, &[3, 3])], head.file.loc(&h.path))),
        );
    }
}
