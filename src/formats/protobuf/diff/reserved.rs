//! Reserved and extension ranges: every number a base range covered must still be covered by
//! some head range (ranges may be split, merged or widened), and reserved names kept.

use super::index::{EnumRef, MessageRef};
use super::{At, Out};
use std::collections::BTreeSet;

const MESSAGE_MAX: i64 = 536_870_911;
const MESSAGE_SET_MAX: i64 = 2_147_483_646;
const ENUM_MAX: i64 = 2_147_483_647;

pub(super) fn message_ranges(base: &MessageRef, head: &MessageRef, out: &mut Out) {
    let (b, h) = (base.message, head.message);
    let max = if h.message_set_wire_format { MESSAGE_SET_MAX } else { MESSAGE_MAX };
    // Message ranges are half-open in descriptors; buf reasons in inclusive ones.
    let inclusive =
        |r: &[(i32, i32)]| -> Vec<(i64, i64)> { r.iter().map(|&(s, e)| (s as i64, e as i64 - 1)).collect() };
    let site = |o: &mut Out, rule: &str, locus: String, message: String| {
        o.add(rule, locus, message, Some(At::path(base.file, &b.path)), Some(At::path(head.file, &h.path)));
    };
    for (kind, rule, old, new) in [
        ("extension", "protobuf.extension-message-no-delete", &b.extension_ranges, &h.extension_ranges),
        ("reserved", "protobuf.reserved-message-no-delete", &b.reserved_ranges, &h.reserved_ranges),
    ] {
        if !out.wants(rule) {
            continue;
        }
        for (range, missing) in missing_ranges(&inclusive(old), &inclusive(new)) {
            let message = format!(
                "Previously present {kind} range {} on message {:?} is missing values: {} were removed.",
                quoted(range, max),
                h.name,
                list(&missing, max)
            );
            site(out, rule, format!("{} {kind} {}", h.full_name, quoted(range, max)), message);
        }
    }
    let names: BTreeSet<&String> = h.reserved_names.iter().collect();
    for name in b.reserved_names.iter().filter(|n| !names.contains(n)) {
        site(
            out,
            "protobuf.reserved-message-no-delete",
            format!("{} reserved {name:?}", h.full_name),
            format!("Previously present reserved name {name:?} on message {:?} was deleted.", h.name),
        );
    }
}

pub(super) fn enum_ranges(base: &EnumRef, head: &EnumRef, out: &mut Out) {
    let (b, h) = (base.en, head.en);
    let rule = "protobuf.reserved-enum-no-delete";
    if !out.wants(rule) {
        return;
    }
    let ranges = |r: &[(i32, i32)]| -> Vec<(i64, i64)> { r.iter().map(|&(s, e)| (s as i64, e as i64)).collect() };
    let site = || (Some(At::path(base.file, &b.path)), Some(At::path(head.file, &h.path)));
    for (range, missing) in missing_ranges(&ranges(&b.reserved_ranges), &ranges(&h.reserved_ranges)) {
        let (old, new) = site();
        out.add(
            rule,
            format!("{} reserved {}", h.full_name, quoted(range, ENUM_MAX)),
            format!(
                "Previously present reserved range {} on enum {:?} is missing values: {} were removed.",
                quoted(range, ENUM_MAX),
                h.name,
                list(&missing, ENUM_MAX)
            ),
            old,
            new,
        );
    }
    let names: BTreeSet<&String> = h.reserved_names.iter().collect();
    for name in b.reserved_names.iter().filter(|n| !names.contains(n)) {
        let (old, new) = site();
        out.add(
            rule,
            format!("{} reserved {name:?}", h.full_name),
            format!("Previously present reserved name {name:?} on enum {:?} was deleted.", h.name),
            old,
            new,
        );
    }
}

/// Each base range with the parts of it no head range covers (inclusive bounds).
/// An inclusive number range.
type Range = (i64, i64);

fn missing_ranges(old: &[Range], new: &[Range]) -> Vec<(Range, Vec<Range>)> {
    let mut covered: Vec<(i64, i64)> = new.to_vec();
    covered.sort();
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (s, e) in covered {
        match merged.last_mut() {
            Some(last) if s <= last.1 + 1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    let mut result = Vec::new();
    for &(start, end) in old {
        let mut missing = Vec::new();
        let mut next = start;
        for &(s, e) in merged.iter().filter(|(s, e)| *e >= start && *s <= end) {
            if s > next {
                missing.push((next, s - 1));
            }
            next = next.max(e + 1);
        }
        if next <= end {
            missing.push((next, end));
        }
        if !missing.is_empty() {
            result.push(((start, end), missing));
        }
    }
    result
}

fn show((s, e): (i64, i64), max: i64) -> String {
    if s == e {
        format!("[{s}]")
    } else if e == max {
        format!("[{s},max]")
    } else {
        format!("[{s},{e}]")
    }
}

/// A range as buf quotes it: `"[5]"`, `"[1,10]"`, `"[100,max]"`.
fn quoted(range: (i64, i64), max: i64) -> String {
    format!("\"{}\"", show(range, max))
}

fn list(ranges: &[(i64, i64)], max: i64) -> String {
    ranges.iter().map(|&r| show(r, max)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::missing_ranges;

    #[test]
    fn split_and_shrunk_ranges() {
        assert!(missing_ranges(&[(1, 10)], &[(1, 4), (5, 10)]).is_empty());
        assert_eq!(missing_ranges(&[(1, 10)], &[(2, 4), (8, 9)]), vec![((1, 10), vec![(1, 1), (5, 7), (10, 10)])]);
        assert_eq!(missing_ranges(&[(5, 5)], &[]), vec![((5, 5), vec![(5, 5)])]);
        assert!(missing_ranges(&[(5, 9)], &[(1, 20)]).is_empty());
    }
}
