//! EXTENSION_NO_DELETE: extensions by nested name (`ext`, `Scope.ext`) per file. Extension
//! fields' own rules (name, type, ...) run with the field rules.

use super::index::{deletion_site, file_extensions, qualify};
use super::{At, Out, Pair};

pub(super) fn check(pair: &Pair, out: &mut Out) {
    if !out.wants("protobuf.extension-no-delete") {
        return;
    }
    for (file_name, base_file) in &pair.base.module.files {
        let Some(head_file) = pair.head.module.files.get(file_name) else { continue };
        let present = file_extensions(head_file);
        for (name, ext) in file_extensions(base_file) {
            if present.contains_key(&name) {
                continue;
            }
            out.add(
                "protobuf.extension-no-delete",
                qualify(&base_file.package, &name),
                format!("Previously present extension {name:?} was deleted from file {file_name:?}."),
                Some(At::path(base_file, &ext.path)),
                Some(At::new(head_file, deletion_site(head_file, &name))),
            );
        }
    }
}
