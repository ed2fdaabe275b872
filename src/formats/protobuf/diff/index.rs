//! One revision's elements by the keys buf matches them with.

use crate::formats::protobuf::model::{Enum, Field, File, Message, Module, Service};
use std::collections::BTreeMap;

pub(super) struct MessageRef<'a> {
    pub file: &'a File,
    pub message: &'a Message,
    /// The enclosing message (a map entry's owner, for locations).
    pub parent: Option<&'a Message>,
}

pub(super) struct EnumRef<'a> {
    pub file: &'a File,
    pub en: &'a Enum,
}

pub(super) struct ServiceRef<'a> {
    pub file: &'a File,
    pub service: &'a Service,
}

/// A field of a message or an extension, with what its rules need around it.
pub(super) struct FieldRef<'a> {
    pub file: &'a File,
    pub field: &'a Field,
    /// The message declaring it (for an extension: the message whose scope holds the `extend`).
    pub message: Option<&'a Message>,
    /// The message around `message` (a map entry's owner).
    pub owner: Option<&'a Message>,
    /// Fully-qualified name (`pkg.Msg.field`, `pkg.ext`).
    pub full_name: String,
}

impl FieldRef<'_> {
    pub fn is_extension(&self) -> bool {
        self.field.extendee.is_some()
    }

    pub fn in_map_entry(&self) -> bool {
        !self.is_extension() && self.message.is_some_and(|m| m.map_entry)
    }
}

pub(super) struct Side<'a> {
    pub module: &'a Module,
    pub messages: BTreeMap<&'a str, MessageRef<'a>>,
    pub enums: BTreeMap<&'a str, EnumRef<'a>>,
    pub services: BTreeMap<&'a str, ServiceRef<'a>>,
    /// Extensions by (extendee, number).
    pub extensions: BTreeMap<(String, i32), FieldRef<'a>>,
}

impl<'a> Side<'a> {
    pub fn new(module: &'a Module) -> Self {
        let mut side = Side {
            module,
            messages: BTreeMap::new(),
            enums: BTreeMap::new(),
            services: BTreeMap::new(),
            extensions: BTreeMap::new(),
        };
        for file in module.files.values() {
            for en in &file.enums {
                side.enums.insert(&en.full_name, EnumRef { file, en });
            }
            for service in &file.services {
                side.services.insert(&service.full_name, ServiceRef { file, service });
            }
            for ext in &file.extensions {
                side.add_extension(file, ext, None, &file.package);
            }
            for message in &file.messages {
                side.add_message(file, message, None);
            }
        }
        side
    }

    fn add_message(&mut self, file: &'a File, message: &'a Message, parent: Option<&'a Message>) {
        self.messages.insert(&message.full_name, MessageRef { file, message, parent });
        for en in &message.enums {
            self.enums.insert(&en.full_name, EnumRef { file, en });
        }
        for ext in &message.extensions {
            self.add_extension(file, ext, Some(message), &message.full_name);
        }
        for nested in &message.messages {
            self.add_message(file, nested, Some(message));
        }
    }

    fn add_extension(&mut self, file: &'a File, field: &'a Field, scope: Option<&'a Message>, prefix: &str) {
        let extendee = field.extendee.clone().unwrap_or_default();
        let full_name = qualify(prefix, &field.name);
        self.extensions
            .insert((extendee, field.number), FieldRef { file, field, message: scope, owner: None, full_name });
    }

    /// The fields of a message, by number, ready for the field rules.
    pub fn fields_of(&self, m: &MessageRef<'a>) -> BTreeMap<i32, FieldRef<'a>> {
        m.message
            .fields
            .iter()
            .map(|field| {
                let r = FieldRef {
                    file: m.file,
                    field,
                    message: Some(m.message),
                    owner: m.parent,
                    full_name: qualify(&m.message.full_name, &field.name),
                };
                (field.number, r)
            })
            .collect()
    }

    pub fn message(&self, full_name: &str) -> Option<&MessageRef<'a>> {
        self.messages.get(full_name)
    }

    pub fn enum_by_name(&self, full_name: &str) -> Option<&Enum> {
        self.enums.get(full_name).map(|e| e.en)
    }
}

pub(super) fn qualify(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// `full_name` without its file's package: buf's "nested name" (`Outer.Inner`).
pub(super) fn nested_name<'n>(file: &File, full_name: &'n str) -> &'n str {
    if file.package.is_empty() {
        full_name
    } else {
        full_name.strip_prefix(&format!("{}.", file.package)).unwrap_or(full_name)
    }
}

/// Every message of a file (map entries included) by nested name.
pub(super) fn file_messages(file: &File) -> BTreeMap<String, &Message> {
    fn walk<'m>(file: &File, m: &'m Message, out: &mut BTreeMap<String, &'m Message>) {
        out.insert(nested_name(file, &m.full_name).to_string(), m);
        for n in &m.messages {
            walk(file, n, out);
        }
    }
    let mut out = BTreeMap::new();
    for m in &file.messages {
        walk(file, m, &mut out);
    }
    out
}

/// Every enum of a file by nested name.
pub(super) fn file_enums(file: &File) -> BTreeMap<String, &Enum> {
    let mut out = BTreeMap::new();
    for en in &file.enums {
        out.insert(nested_name(file, &en.full_name).to_string(), en);
    }
    for m in file_messages(file).values() {
        for en in &m.enums {
            out.insert(nested_name(file, &en.full_name).to_string(), en);
        }
    }
    out
}

/// Every extension of a file by nested name (`ext`, `Scope.ext`).
pub(super) fn file_extensions(file: &File) -> BTreeMap<String, &Field> {
    let mut out = BTreeMap::new();
    for ext in &file.extensions {
        out.insert(ext.name.clone(), ext);
    }
    for (name, m) in file_messages(file) {
        for ext in &m.extensions {
            out.insert(format!("{name}.{}", ext.name), ext);
        }
    }
    out
}

/// Where buf points for an element deleted from `file`: its nearest enclosing message that is
/// still there, else the file itself.
pub(super) fn deletion_site(file: &File, nested: &str) -> crate::change::Loc {
    let messages = file_messages(file);
    let parts: Vec<&str> = nested.split('.').collect();
    for i in (1..parts.len()).rev() {
        if let Some(m) = messages.get(&parts[..i].join(".")) {
            return file.loc(&m.path);
        }
    }
    super::file_start(file)
}
