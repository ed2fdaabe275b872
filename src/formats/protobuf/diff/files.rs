//! File rules: deleted and added files, package, syntax, and the file options buf compares.

use super::{file_start, At, Out, Pair};
use crate::formats::protobuf::model::{File, FileOptions, Syntax};

pub(super) fn check(pair: &Pair, out: &mut Out) {
    for (name, base) in &pair.base.module.files {
        match pair.head.module.files.get(name) {
            None => out.add(
                "protobuf.file-no-delete",
                name.as_str(),
                format!("File {name:?} was deleted."),
                Some(At::file(base)),
                None,
            ),
            Some(head) if !(base.unchanged && head.unchanged) => compare(base, head, out),
            Some(_) => {}
        }
    }
    for (name, head) in &pair.head.module.files {
        if !pair.base.module.files.contains_key(name) {
            out.add(
                "protobuf.file-added",
                name.as_str(),
                format!("File {name:?} was added."),
                None,
                Some(At::file(head)),
            );
        }
    }
}

fn compare(base: &File, head: &File, out: &mut Out) {
    let name = head.name.as_str();
    if base.package != head.package {
        out.add(
            "protobuf.file-same-package",
            name,
            format!("File {name:?} changed package from {:?} to {:?}.", base.package, head.package),
            Some(At::path(base, &[2])),
            Some(At::path(head, &[2])),
        );
    }
    let (old, new) = (syntax_name(base.syntax), syntax_name(head.syntax));
    if old != new {
        let at = |f| At::first(f, &[vec![12], vec![14]], file_start(f));
        out.add(
            "protobuf.file-same-syntax",
            name,
            format!("File {name:?} changed syntax from {old:?} to {new:?}."),
            Some(at(base)),
            Some(at(head)),
        );
    }
    for option in OPTIONS {
        let (old, new) = ((option.value)(&base.options), (option.value)(&head.options));
        if old != new {
            out.add(
                option.rule,
                name,
                format!("File {name:?} changed option {:?} from {old:?} to {new:?}.", option.name),
                Some(At::path(base, &[8, option.number])),
                Some(At::path(head, &[8, option.number])),
            );
        }
    }
}

/// buf compares syntax families: every edition reads as "editions".
fn syntax_name(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Proto2 => "proto2",
        Syntax::Proto3 => "proto3",
        Syntax::Editions(_) => "editions",
    }
}

/// A file option as buf compares it: its value with the descriptor default when unset, so
/// writing an option's default is no change.
struct FileOption {
    rule: &'static str,
    name: &'static str,
    /// The field number in `FileOptions` (for the source location).
    number: i32,
    value: fn(&FileOptions) -> String,
}

fn text(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

fn flag(v: Option<bool>, default: bool) -> String {
    v.unwrap_or(default).to_string()
}

const OPTIMIZE_MODES: [&str; 4] = ["?", "SPEED", "CODE_SIZE", "LITE_RUNTIME"];

fn optimize_for(o: &FileOptions) -> String {
    let mode = o.optimize_for.unwrap_or(1);
    OPTIMIZE_MODES.get(mode as usize).map(|s| s.to_string()).unwrap_or_else(|| mode.to_string())
}

const OPTIONS: &[FileOption] = &[
    FileOption {
        rule: "protobuf.file-same-java-package",
        name: "java_package",
        number: 1,
        value: |o| text(&o.java_package),
    },
    FileOption {
        rule: "protobuf.file-same-java-outer-classname",
        name: "java_outer_classname",
        number: 8,
        value: |o| text(&o.java_outer_classname),
    },
    FileOption {
        rule: "protobuf.file-same-java-multiple-files",
        name: "java_multiple_files",
        number: 10,
        value: |o| flag(o.java_multiple_files, false),
    },
    FileOption { rule: "protobuf.file-same-optimize-for", name: "optimize_for", number: 9, value: optimize_for },
    FileOption {
        rule: "protobuf.file-same-go-package",
        name: "go_package",
        number: 11,
        value: |o| text(&o.go_package),
    },
    FileOption {
        rule: "protobuf.file-same-cc-generic-services",
        name: "cc_generic_services",
        number: 16,
        value: |o| flag(o.cc_generic_services, false),
    },
    FileOption {
        rule: "protobuf.file-same-java-generic-services",
        name: "java_generic_services",
        number: 17,
        value: |o| flag(o.java_generic_services, false),
    },
    FileOption {
        rule: "protobuf.file-same-py-generic-services",
        name: "py_generic_services",
        number: 18,
        value: |o| flag(o.py_generic_services, false),
    },
    FileOption {
        rule: "protobuf.file-same-cc-enable-arenas",
        name: "cc_enable_arenas",
        number: 31,
        value: |o| flag(o.cc_enable_arenas, true),
    },
    FileOption {
        rule: "protobuf.file-same-objc-class-prefix",
        name: "objc_class_prefix",
        number: 36,
        value: |o| text(&o.objc_class_prefix),
    },
    FileOption {
        rule: "protobuf.file-same-csharp-namespace",
        name: "csharp_namespace",
        number: 37,
        value: |o| text(&o.csharp_namespace),
    },
    FileOption {
        rule: "protobuf.file-same-swift-prefix",
        name: "swift_prefix",
        number: 39,
        value: |o| text(&o.swift_prefix),
    },
    FileOption {
        rule: "protobuf.file-same-php-class-prefix",
        name: "php_class_prefix",
        number: 40,
        value: |o| text(&o.php_class_prefix),
    },
    FileOption {
        rule: "protobuf.file-same-php-namespace",
        name: "php_namespace",
        number: 41,
        value: |o| text(&o.php_namespace),
    },
    FileOption {
        rule: "protobuf.file-same-php-metadata-namespace",
        name: "php_metadata_namespace",
        number: 44,
        value: |o| text(&o.php_metadata_namespace),
    },
    FileOption {
        rule: "protobuf.file-same-ruby-package",
        name: "ruby_package",
        number: 45,
        value: |o| text(&o.ruby_package),
    },
];
