//! Package rules: elements looked up across all files of a package, so moving a message to
//! another file of the same package is no deletion.

use super::index::{deletion_site, file_enums, file_extensions, file_messages, nested_name, qualify};
use super::{At, Out, Pair};
use crate::formats::protobuf::model::{File, Module};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn check(pair: &Pair, out: &mut Out) {
    let (base, head) = (pair.base.module, pair.head.module);
    let head_packages: BTreeSet<&str> = head.files.values().map(|f| f.package.as_str()).collect();
    let mut base_packages: BTreeMap<&str, Vec<&File>> = BTreeMap::new();
    for file in base.files.values() {
        base_packages.entry(&file.package).or_default().push(file);
    }
    for (package, files) in &base_packages {
        if !head_packages.contains(package) {
            // buf attaches it to the package's first file, by path.
            out.add(
                "protobuf.package-no-delete",
                *package,
                format!("Previously present package {package:?} was deleted."),
                Some(At::path(files[0], &[])),
                None,
            );
            continue;
        }
        deleted(out, base, head, package, "protobuf.package-message-no-delete", "message", |f| {
            file_messages(f).into_iter().filter(|(_, m)| !m.map_entry).map(|(n, m)| (n, m.path.clone())).collect()
        });
        deleted(out, base, head, package, "protobuf.package-enum-no-delete", "enum", |f| {
            file_enums(f).into_iter().map(|(n, e)| (n, e.path.clone())).collect()
        });
        deleted(out, base, head, package, "protobuf.package-service-no-delete", "service", |f| {
            f.services.iter().map(|s| (nested_name(f, &s.full_name).to_string(), s.path.clone())).collect()
        });
        deleted(out, base, head, package, "protobuf.package-extension-no-delete", "extension", |f| {
            file_extensions(f).into_iter().map(|(n, e)| (n, e.path.clone())).collect()
        });
    }
}

fn in_package<'m>(module: &'m Module, package: &str) -> Vec<&'m File> {
    module.files.values().filter(|f| f.package == package).collect()
}

/// Elements of `package` in base missing from every head file of that package.
fn deleted(
    out: &mut Out,
    base: &Module,
    head: &Module,
    package: &str,
    rule: &str,
    what: &str,
    elements: impl Fn(&File) -> Vec<(String, Vec<i32>)>,
) {
    if !out.wants(rule) {
        return;
    }
    let present: BTreeSet<String> =
        in_package(head, package).into_iter().flat_map(|f| elements(f).into_iter().map(|(n, _)| n)).collect();
    for file in in_package(base, package) {
        for (name, path) in elements(file) {
            if present.contains(&name) {
                continue;
            }
            // Where the element's file still exists, point into it: services at the file,
            // messages at the nearest enclosing message anywhere in the package (as buf).
            let site = head.files.get(&file.name).map(|h| match what {
                "service" => At::new(h, h.loc(&[])),
                "message" => enclosing_in_package(head, package, &name).unwrap_or_else(|| At::new(h, h.loc(&[]))),
                _ => At::new(h, deletion_site(h, &name)),
            });
            out.add(
                rule,
                qualify(package, &name),
                format!("Previously present {what} {name:?} was deleted from package {package:?}."),
                Some(At::path(file, &path)),
                site,
            );
        }
    }
}

/// The nearest still-present message enclosing `nested`, in any head file of `package`.
fn enclosing_in_package<'m>(head: &'m Module, package: &str, nested: &str) -> Option<At<'m>> {
    let parts: Vec<&str> = nested.split('.').collect();
    let files = in_package(head, package);
    (1..parts.len()).rev().find_map(|i| {
        let prefix = parts[..i].join(".");
        files.iter().find_map(|f| file_messages(f).get(&prefix).map(|m| At::path(f, &m.path)))
    })
}
