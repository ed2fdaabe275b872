//! Package rules: elements looked up across all files of a package, so moving a message to
//! another file of the same package is no deletion.

use super::index::{deletion_site, file_enums, file_extensions, file_messages, nested_name, qualify};
use super::{At, Out, Pair};
use crate::formats::protobuf::model::{File, Module};
use std::collections::{BTreeMap, BTreeSet};

/// A package's files on both sides.
struct Package<'a> {
    name: &'a str,
    base: &'a [&'a File],
    head: &'a [&'a File],
    head_module: &'a Module,
}

pub(super) fn check(pair: &Pair, out: &mut Out) {
    let (base, head) = (by_package(pair.base.module), by_package(pair.head.module));
    for (name, base_files) in &base {
        let Some(head_files) = head.get(name) else {
            // buf attaches it to the package's first file, by path.
            out.add(
                "protobuf.package-no-delete",
                *name,
                format!("Previously present package {name:?} was deleted."),
                Some(At::file(base_files[0])),
                None,
            );
            continue;
        };
        let package = Package { name, base: base_files, head: head_files, head_module: pair.head.module };
        deleted(out, &package, "protobuf.package-message-no-delete", "message", |f| {
            file_messages(f).into_iter().filter(|(_, m)| !m.map_entry).map(|(n, m)| (n, m.path.clone())).collect()
        });
        deleted(out, &package, "protobuf.package-enum-no-delete", "enum", |f| {
            file_enums(f).into_iter().map(|(n, e)| (n, e.path.clone())).collect()
        });
        deleted(out, &package, "protobuf.package-service-no-delete", "service", |f| {
            f.services.iter().map(|s| (nested_name(f, &s.full_name).to_string(), s.path.clone())).collect()
        });
        deleted(out, &package, "protobuf.package-extension-no-delete", "extension", |f| {
            file_extensions(f).into_iter().map(|(n, e)| (n, e.path.clone())).collect()
        });
    }
}

/// Files by package, each list in path order.
fn by_package(module: &Module) -> BTreeMap<&str, Vec<&File>> {
    let mut out: BTreeMap<&str, Vec<&File>> = BTreeMap::new();
    for file in module.files.values() {
        out.entry(&file.package).or_default().push(file);
    }
    out
}

/// Elements of the package in base missing from every head file of that package.
fn deleted(
    out: &mut Out,
    package: &Package,
    rule: &str,
    what: &str,
    elements: impl Fn(&File) -> Vec<(String, Vec<i32>)>,
) {
    if !out.wants(rule) {
        return;
    }
    let present: BTreeSet<String> = package.head.iter().flat_map(|f| elements(f).into_iter().map(|(n, _)| n)).collect();
    for file in package.base {
        for (name, path) in elements(file) {
            if present.contains(&name) {
                continue;
            }
            // Where the element's file still exists, point into it: services at the file,
            // messages at the nearest enclosing message anywhere in the package (as buf).
            let site = package.head_module.files.get(&file.name).map(|h| match what {
                "service" => At::file(h),
                "message" => enclosing_in_package(package.head, &name).unwrap_or_else(|| At::file(h)),
                _ => At::new(h, deletion_site(h, &name)),
            });
            out.add(
                rule,
                qualify(package.name, &name),
                format!("Previously present {what} {name:?} was deleted from package {:?}.", package.name),
                Some(At::path(file, &path)),
                site,
            );
        }
    }
}

/// The nearest still-present message enclosing `nested`, in any of the package's head files.
fn enclosing_in_package<'m>(files: &[&'m File], nested: &str) -> Option<At<'m>> {
    let parts: Vec<&str> = nested.split('.').collect();
    (1..parts.len()).rev().find_map(|i| {
        let prefix = parts[..i].join(".");
        files.iter().find_map(|f| file_messages(f).get(&prefix).map(|m| At::path(f, &m.path)))
    })
}
