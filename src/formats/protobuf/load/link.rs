//! Type names resolved the way protoc resolves them, for files parsed in process
//! ([`super::parse`]): a relative name is looked up from the innermost scope outwards
//! (`DescriptorBuilder::LookupSymbol`), and only what the file can see counts: its own symbols
//! and those of its imports, and of their `import public`s.
//!
//! Anything protoc would refuse here (an unknown or invisible name, a duplicate definition) is an
//! [`Unlinked`]: the caller asks protoc, whose message the user then gets.

use super::descriptor::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorProto, LABEL_REQUIRED,
};
use std::collections::{HashMap, HashSet};

/// `FieldDescriptorProto.Type` values of named types.
const TYPE_GROUP: i32 = 10;
const TYPE_MESSAGE: i32 = 11;
const TYPE_ENUM: i32 = 14;

#[derive(Debug)]
pub struct Unlinked;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Message,
    Enum,
    Service,
    /// An enum value: C++ scoping puts it beside its enum, where it can clash.
    Value,
    Package,
}

impl Kind {
    /// What a compound name can continue into.
    fn is_aggregate(self) -> bool {
        !matches!(self, Kind::Value)
    }

    fn is_type(self) -> bool {
        matches!(self, Kind::Message | Kind::Enum)
    }
}

struct FileSymbols {
    package: String,
    /// This file and what it re-exports through `import public`, transitively.
    exports: Vec<u32>,
}

/// The definitions of one revision's files, added in import order.
#[derive(Default)]
pub struct Symbols {
    defined: HashMap<String, (Kind, u32)>,
    files: Vec<FileSymbols>,
}

impl Symbols {
    /// Add `fd`'s definitions; `deps` are the indexes of its imports, in `fd.dependency` order.
    /// Returns the file's index.
    pub fn add(&mut self, fd: &FileDescriptorProto, deps: &[u32]) -> Result<u32, Unlinked> {
        let index = self.files.len() as u32;
        let mut exports = vec![index];
        for &public in &fd.public_dependency {
            let dep = usize::try_from(public).ok().and_then(|i| deps.get(i)).ok_or(Unlinked)?;
            exports.extend_from_slice(&self.files[*dep as usize].exports);
        }
        let package = fd.package().to_string();
        let mut names = Vec::new();
        for message in &fd.message_type {
            message_names(&package, message, &mut names);
        }
        enum_names(&package, &fd.enum_type, &mut names);
        for service in &fd.service {
            names.push((join(&package, service.name()), Kind::Service));
        }
        for (name, kind) in names {
            if self.defined.insert(name, (kind, index)).is_some() {
                return Err(Unlinked);
            }
        }
        self.files.push(FileSymbols { package, exports });
        Ok(index)
    }

    /// Resolve every type name of `fd` (added as `file` with imports `deps`) to its full name,
    /// and give named fields their type (message or enum), as protoc's output has them.
    pub fn link(&self, fd: &mut FileDescriptorProto, file: u32, deps: &[u32]) -> Result<(), Unlinked> {
        let mut visible = vec![file];
        for &dep in deps {
            visible.extend_from_slice(&self.files[dep as usize].exports);
        }
        let scope = Scope { symbols: self, visible, proto3: fd.syntax.as_deref() == Some("proto3") };
        let package = fd.package().to_string();
        check_enums(&fd.enum_type, scope.proto3)?;
        for message in &mut fd.message_type {
            scope.message(&join(&package, message.name()), message)?;
        }
        for field in &mut fd.extension {
            scope.field(&join(&package, field.name()), field)?;
        }
        for service in &mut fd.service {
            let service_name = join(&package, service.name());
            for method in &mut service.method {
                let relative_to = join(&service_name, method.name());
                for name in [&mut method.input_type, &mut method.output_type] {
                    *name = Some(scope.resolve(name.as_deref().unwrap_or_default(), &relative_to, Kind::Message)?.1);
                }
            }
        }
        Ok(())
    }
}

/// What one file sees.
struct Scope<'a> {
    symbols: &'a Symbols,
    visible: Vec<u32>,
    proto3: bool,
}

impl Scope<'_> {
    fn message(&self, full_name: &str, message: &mut DescriptorProto) -> Result<(), Unlinked> {
        check_fields(message, self.proto3)?;
        check_enums(&message.enum_type, self.proto3)?;
        for field in message.field.iter_mut().chain(message.extension.iter_mut()) {
            self.field(&join(full_name, field.name()), field)?;
        }
        for nested in &mut message.nested_type {
            self.message(&join(full_name, nested.name()), nested)?;
        }
        Ok(())
    }

    fn field(&self, full_name: &str, field: &mut FieldDescriptorProto) -> Result<(), Unlinked> {
        if let Some(name) = field.type_name.as_deref() {
            let wanted = if field.r#type == Some(TYPE_GROUP) || field.r#type == Some(TYPE_MESSAGE) {
                Some(Kind::Message)
            } else {
                None
            };
            let (kind, full) = self.resolve_type(name, full_name, wanted)?;
            field.type_name = Some(full);
            field.r#type.get_or_insert(if kind == Kind::Enum { TYPE_ENUM } else { TYPE_MESSAGE });
        }
        if let Some(extendee) = field.extendee.as_deref() {
            field.extendee = Some(self.resolve(extendee, full_name, Kind::Message)?.1);
        }
        Ok(())
    }

    /// A name that must be a `kind`, as `.full.name`.
    fn resolve(&self, name: &str, relative_to: &str, kind: Kind) -> Result<(Kind, String), Unlinked> {
        self.resolve_type(name, relative_to, Some(kind))
    }

    fn resolve_type(&self, name: &str, relative_to: &str, wanted: Option<Kind>) -> Result<(Kind, String), Unlinked> {
        let (kind, full) = self.lookup(name, relative_to).ok_or(Unlinked)?;
        match wanted {
            Some(wanted) if kind != wanted => Err(Unlinked),
            _ if !kind.is_type() => Err(Unlinked),
            _ => Ok((kind, format!(".{full}"))),
        }
    }

    /// protoc's `LookupSymbolNoPlaceholder` for types: try `scope.first` for each enclosing
    /// scope of `relative_to`, innermost first; a compound name continues from the first
    /// aggregate its first part names, without backtracking.
    fn lookup(&self, name: &str, relative_to: &str) -> Option<(Kind, String)> {
        if let Some(full) = name.strip_prefix('.') {
            return self.find(full).map(|kind| (kind, full.to_string()));
        }
        let first = name.split('.').next().unwrap_or(name);
        let mut scope = relative_to;
        loop {
            let Some(dot) = scope.rfind('.') else {
                return self.find(name).map(|kind| (kind, name.to_string()));
            };
            scope = &scope[..dot];
            let candidate = format!("{scope}.{first}");
            match self.find(&candidate) {
                Some(kind) if first.len() < name.len() && kind.is_aggregate() => {
                    let full = format!("{scope}.{name}");
                    return self.find(&full).map(|kind| (kind, full));
                }
                Some(kind) if first.len() == name.len() && kind.is_type() => return Some((kind, candidate)),
                _ => {}
            }
        }
    }

    /// What `full_name` names, if this file can see it.
    fn find(&self, full_name: &str) -> Option<Kind> {
        if let Some(&(kind, file)) = self.symbols.defined.get(full_name) {
            if self.visible.contains(&file) {
                return Some(kind);
            }
        }
        let in_package = |package: &str| {
            package == full_name || package.strip_prefix(full_name).is_some_and(|rest| rest.starts_with('.'))
        };
        self.visible.iter().any(|&file| in_package(&self.symbols.files[file as usize].package)).then_some(Kind::Package)
    }
}

/// protoc's checks on a message's own fields that a parser does not make: numbers in range,
/// outside the reserved-for-protobuf block and the message's reserved ranges, names not
/// reserved, neither used twice, and no `required` in proto3.
fn check_fields(message: &DescriptorProto, proto3: bool) -> Result<(), Unlinked> {
    const MAX_NUMBER: i32 = 536_870_911;
    let mut numbers = HashSet::new();
    let mut names = HashSet::new();
    for field in &message.field {
        let number = field.number.unwrap_or(0);
        // Reserved ranges are stored end-exclusive, as in descriptor.proto.
        let reserved =
            message.reserved_range.iter().any(|r| (r.start.unwrap_or(0)..r.end.unwrap_or(0)).contains(&number))
                || message.reserved_name.iter().any(|name| name == field.name());
        let valid = (1..=MAX_NUMBER).contains(&number) && !(19_000..=19_999).contains(&number);
        let required_in_proto3 = proto3 && field.label == Some(LABEL_REQUIRED);
        if !valid || reserved || required_in_proto3 || !numbers.insert(number) || !names.insert(field.name()) {
            return Err(Unlinked);
        }
    }
    Ok(())
}

/// protoc's enum checks: a proto3 enum starts at 0, and a number is used twice only with
/// `allow_alias`.
fn check_enums(enums: &[EnumDescriptorProto], proto3: bool) -> Result<(), Unlinked> {
    for enumeration in enums {
        let first = enumeration.value.first().and_then(|v| v.number);
        let allow_alias = enumeration.options.as_ref().and_then(|o| o.allow_alias) == Some(true);
        let mut numbers = HashSet::new();
        let aliased = !enumeration.value.iter().all(|v| numbers.insert(v.number.unwrap_or(0)));
        if (proto3 && first != Some(0)) || (aliased && !allow_alias) {
            return Err(Unlinked);
        }
    }
    Ok(())
}

fn message_names(prefix: &str, message: &DescriptorProto, out: &mut Vec<(String, Kind)>) {
    let full = join(prefix, message.name());
    for nested in &message.nested_type {
        message_names(&full, nested, out);
    }
    enum_names(&full, &message.enum_type, out);
    out.push((full, Kind::Message));
}

fn enum_names(prefix: &str, enums: &[EnumDescriptorProto], out: &mut Vec<(String, Kind)>) {
    for enumeration in enums {
        out.push((join(prefix, enumeration.name()), Kind::Enum));
        for value in &enumeration.value {
            out.push((join(prefix, value.name()), Kind::Value));
        }
    }
}

fn join(scope: &str, name: &str) -> String {
    if scope.is_empty() {
        name.to_string()
    } else {
        format!("{scope}.{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::protobuf::load::parse::parse;

    /// Parse and link `files` (name, text) in order, each importing what it declares.
    fn link(files: &[(&str, &str)]) -> Result<Vec<FileDescriptorProto>, Unlinked> {
        let mut symbols = Symbols::default();
        let mut indexes: HashMap<String, u32> = HashMap::new();
        let mut out = Vec::new();
        for (name, text) in files {
            let mut fd = parse(name, text).map_err(|_| Unlinked)?;
            let deps: Vec<u32> = fd.dependency.iter().map(|d| indexes[d]).collect();
            let index = symbols.add(&fd, &deps)?;
            symbols.link(&mut fd, index, &deps)?;
            indexes.insert(name.to_string(), index);
            out.push(fd);
        }
        Ok(out)
    }

    fn field_type(fd: &FileDescriptorProto, message: usize, field: usize) -> (Option<i32>, &str) {
        let f = &fd.message_type[message].field[field];
        (f.r#type, f.type_name())
    }

    #[test]
    fn names_resolve_from_the_innermost_scope_outwards() {
        let files = link(&[
            ("a.proto", "syntax = \"proto3\"; package x.y; message T {} enum E { E_UNSET = 0; }"),
            (
                "b.proto",
                "syntax = \"proto3\"; package x.y.z; import \"a.proto\";\n\
                 message T {}\n\
                 message M { message T {} T inner = 1; y.T outer = 2; E e = 3; .x.y.T abs = 4; map<string, E> m = 5; }",
            ),
        ])
        .unwrap();
        let b = &files[1];
        assert_eq!(field_type(b, 1, 0), (Some(TYPE_MESSAGE), ".x.y.z.M.T"));
        assert_eq!(field_type(b, 1, 1), (Some(TYPE_MESSAGE), ".x.y.T"));
        assert_eq!(field_type(b, 1, 2), (Some(TYPE_ENUM), ".x.y.E"));
        assert_eq!(field_type(b, 1, 3), (Some(TYPE_MESSAGE), ".x.y.T"));
        assert_eq!(b.message_type[1].nested_type[1].field[1].type_name(), ".x.y.E", "map value");
    }

    #[test]
    fn a_compound_name_does_not_backtrack_past_its_first_part() {
        // `y` first names x.z.y (a message), so `y.T` must be x.z.y.T, which does not exist,
        // even though x.y.T does: protoc refuses this too.
        let result = link(&[
            ("a.proto", "syntax = \"proto3\"; package x.y; message T {}"),
            ("b.proto", "syntax = \"proto3\"; package x.z; import \"a.proto\"; message y {} message M { y.T t = 1; }"),
        ]);
        assert!(result.is_err());
    }

    #[test]
    fn only_imported_files_are_visible_and_public_imports_pass_through() {
        let a = ("a.proto", "syntax = \"proto3\"; package p; message A {}");
        let b = ("b.proto", "syntax = \"proto3\"; package p; import public \"a.proto\";");
        let c = ("c.proto", "syntax = \"proto3\"; package q; import \"b.proto\"; message C { p.A a = 1; }");
        assert!(link(&[a, b, c]).is_ok());
        let hidden = ("b.proto", "syntax = \"proto3\"; package p; import \"a.proto\";");
        assert!(link(&[a, hidden, c]).is_err(), "A is not re-exported by a plain import");
    }

    #[test]
    fn a_duplicate_definition_or_enum_value_is_refused() {
        let dup = link(&[
            ("a.proto", "syntax = \"proto3\"; package p; message A {}"),
            ("b.proto", "syntax = \"proto3\"; package p; message A {}"),
        ]);
        assert!(dup.is_err());
        let values = link(&[("a.proto", "syntax = \"proto3\"; package p; enum E { X = 0; } enum F { X = 0; }")]);
        assert!(values.is_err(), "enum values share their enum's scope");
    }

    #[test]
    fn field_numbers_protoc_refuses_are_refused() {
        let message = |body: &str| {
            let text = format!("syntax = \"proto3\"; message M {{ {body} }}");
            link(&[("a.proto", text.as_str())])
        };
        assert!(message("int32 a = 1; int32 b = 2;").is_ok());
        assert!(message("int32 a = 1; int32 b = 1;").is_err(), "a number used twice");
        assert!(message("int32 a = 1; int64 a = 2;").is_err(), "a name used twice");
        assert!(message("int32 a = 19000;").is_err(), "reserved for the protobuf implementation");
        assert!(message("int32 a = 536870912;").is_err(), "above the largest number");
        assert!(message("reserved 2 to 4; int32 a = 1; int32 b = 5;").is_ok(), "around a reserved range");
        assert!(message("reserved 2 to 4; int32 a = 4;").is_err(), "a reserved number (ranges are inclusive)");
        assert!(message("reserved \"a\"; int32 a = 1;").is_err(), "a reserved name");
    }

    #[test]
    fn enums_protoc_refuses_are_refused() {
        let file = |body: &str| {
            let text = format!("syntax = \"proto3\"; {body}");
            link(&[("a.proto", text.as_str())])
        };
        assert!(file("enum E { A = 0; B = 1; }").is_ok());
        assert!(file("enum E { A = 1; }").is_err(), "a proto3 enum starts at 0");
        assert!(file("message M { enum E { A = 1; } }").is_err(), "nested enums too");
        assert!(file("enum E { A = 0; B = 0; }").is_err(), "an alias without allow_alias");
        assert!(file("enum E { option allow_alias = true; A = 0; B = 0; }").is_ok());
    }
}
