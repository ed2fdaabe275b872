//! Files → [`Model`]: a group of `.avsc` files (those of one scope that use one another's names,
//! see `scope.rs`) parsed from the spanned JSON tree into one arena in which named types resolve
//! across the files by full name. Everything a reader would refuse is refused here, with its
//! place: unknown type names, defaults that do not match their type, duplicate fields, symbols
//! or union branches, names defined twice. [`scan`] reads what one file defines and uses, alone:
//! what decides which files are built together.

use super::defaults::valid_default;
use super::logical;
use super::model::{Enum, Field, Fixed, Id, Kind, Model, Named, Node, Record};
use super::names;
use crate::change::Loc;
use crate::doc::{Document, Node as DocNode, Span, Value};
use crate::error::{Error, Result};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod earlier;
pub use earlier::{build_earlier, Earlier};

/// One file parsed once, shared by every model that includes it (both sides when its blob did
/// not change, every earlier version's model for transitive levels).
#[derive(Debug)]
pub struct Parsed {
    pub doc: Document,
    pub text: Arc<str>,
}

pub fn parse(path: &str, bytes: &[u8]) -> Result<Arc<Parsed>> {
    let doc = Document::parse(path, bytes)?;
    let text: Arc<str> = Arc::from(doc.text.as_str());
    Ok(Arc::new(Parsed { doc, text }))
}

/// A revision's model, the root type of each file that loaded, and the error of each that did not.
#[derive(Debug, Default)]
pub struct Loaded {
    pub model: Model,
    pub roots: BTreeMap<String, Id>,
    pub errors: BTreeMap<String, Error>,
    /// What [`build_earlier`] needs to build another content of one file without the others.
    files: HashMap<String, FileNames>,
    /// Each full name any file tried to define, and the files that did (in load order).
    defined_by: HashMap<String, Vec<String>>,
    /// Two of the files define a full name differently (one of them was refused for it).
    pub conflicted: bool,
    /// A file was refused for a name none of the files defines.
    pub unknown: bool,
}

impl Loaded {
    /// Each full name a file tried to define, and those files (in load order).
    pub fn defined(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.defined_by.iter()
    }
}

/// One file's part in its revision's names.
#[derive(Debug, Default)]
struct FileNames {
    /// Every full name the file tried to define (registered, shared or refused), in order.
    defines: Vec<String>,
    /// Its references (when it got as far as resolving): each node and the full names it may
    /// mean, in the order they are resolved (ascending ids).
    refs: Vec<(Id, Vec<String>)>,
}

const PRIMITIVES: &[&str] = &["null", "boolean", "int", "long", "float", "double", "bytes", "string"];

fn primitive(name: &str) -> Option<Kind> {
    Some(match name {
        "null" => Kind::Null,
        "boolean" => Kind::Boolean,
        "int" => Kind::Int,
        "long" => Kind::Long,
        "float" => Kind::Float,
        "double" => Kind::Double,
        "bytes" => Kind::Bytes,
        "string" => Kind::String,
        _ => return None,
    })
}

/// What the files around a build (its scope, the rest of the revision) tell its errors: the
/// build itself sees only its own files.
pub trait Around {
    /// For a name none of the build's files defines (`candidates`, as [`Scanned::uses`]): the
    /// message and hint to give instead of a plain "unknown type", when the name is defined
    /// somewhere the file cannot see.
    fn unknown(&self, candidates: &[String]) -> Option<(String, String)>;
    /// The hint for a full name two files of the build define differently.
    fn duplicate_hint(&self) -> String;
}

/// What one file defines and the names it uses, read without any other file.
#[derive(Debug, Default)]
pub struct Scanned {
    /// Every full name it defines, in order.
    pub defines: Vec<String>,
    /// Each reference: the full names it may mean, first first (as a build resolves them).
    pub uses: Vec<Vec<String>>,
}

/// `parsed` read alone: its names, or the error any build gives it whatever the other files
/// (everything [`build`] refuses in a file before it looks at other files).
pub fn scan(path: &str, parsed: &Parsed) -> Result<Scanned> {
    let mut builder = Builder::default();
    let mut file = FileCtx::new(path, &parsed.text);
    builder.root(&mut file, &parsed.doc.root)?;
    let uses = builder.pending.refs.into_iter().map(|(_, candidates, _)| candidates).collect();
    Ok(Scanned { defines: file.attempted, uses })
}

/// Build one model from `files` (path, parsed file). Names defined in any of them are visible
/// to all; a file that fails is left out and its error kept.
pub fn build(files: &[(String, Arc<Parsed>)]) -> Loaded {
    build_within(files, None)
}

/// [`build`], its errors told by `around` what lies outside `files`.
pub fn build_within(files: &[(String, Arc<Parsed>)], around: Option<&dyn Around>) -> Loaded {
    let mut builder = Builder { around, ..Builder::default() };
    let mut checks: Vec<(usize, Pending)> = Vec::new();
    let mut loaded = Loaded::default();
    for (index, (path, parsed)) in files.iter().enumerate() {
        let (nodes_before, names_before) = (builder.model.nodes.len(), builder.defined.len());
        builder.pending = Pending::default();
        let mut file = FileCtx::new(path, &parsed.text);
        let result = builder.root(&mut file, &parsed.doc.root);
        for name in &file.attempted {
            loaded.defined_by.entry(name.clone()).or_default().push(path.clone());
        }
        loaded.files.insert(path.clone(), FileNames { defines: std::mem::take(&mut file.attempted), refs: Vec::new() });
        match result {
            Ok(root) => {
                loaded.roots.insert(path.clone(), root);
                checks.push((index, std::mem::take(&mut builder.pending)));
            }
            Err(error) => {
                // Forget the half-built file: its names must not satisfy other files' references.
                builder.model.nodes.truncate(nodes_before);
                for name in file.names {
                    builder.model.names.remove(&name);
                    builder.defined.remove(&name);
                }
                debug_assert_eq!(builder.defined.len(), names_before);
                loaded.errors.insert(path.clone(), error);
            }
        }
    }
    // References first (for every file), then what needs resolved types.
    let mut failed = BTreeSet::new();
    for (index, pending) in &checks {
        let (path, parsed) = &files[*index];
        if let Err(error) = builder.resolve_refs(path, &parsed.text, pending) {
            failed.insert(*index);
            loaded.errors.insert(path.clone(), error);
        }
    }
    for (index, pending) in &checks {
        let (path, parsed) = &files[*index];
        if failed.contains(index) {
            continue;
        }
        if let Err(error) = builder.check_resolved(path, &parsed.text, pending) {
            failed.insert(*index);
            loaded.errors.insert(path.clone(), error);
        }
    }
    for index in failed {
        loaded.roots.remove(&files[index].0);
    }
    for (index, pending) in checks {
        let refs = pending.refs.into_iter().map(|(id, candidates, _)| (id, candidates)).collect();
        if let Some(names) = loaded.files.get_mut(&files[index].0) {
            names.refs = refs;
        }
    }
    loaded.model = builder.model;
    (loaded.conflicted, loaded.unknown) = (builder.conflicted, builder.unknown);
    loaded
}

/// Checks that wait until every file's names are known.
#[derive(Default)]
struct Pending {
    /// A reference, the full names it may mean (in order), and where it is written.
    refs: Vec<(Id, Vec<String>, Span)>,
    unions: Vec<(Id, Vec<Span>)>,
    /// A field's type, its default, and where the default is written.
    defaults: Vec<(String, Id, Json, Span)>,
}

#[derive(Default)]
struct Builder<'a> {
    model: Model,
    /// Each defined full name: its file and its definition (an identical definition in another
    /// file is the same type, copied; a different one is a conflict).
    defined: HashMap<String, (String, &'a DocNode)>,
    pending: Pending,
    around: Option<&'a dyn Around>,
    /// What [`Loaded::conflicted`] and [`Loaded::unknown`] say.
    conflicted: bool,
    unknown: bool,
}

struct FileCtx<'a> {
    path: &'a str,
    text: &'a str,
    /// Names this file registered, to forget them if it fails.
    names: Vec<String>,
    /// Every full name it tried to define, registered or not: what ties it to other files.
    attempted: Vec<String>,
}

impl<'a> FileCtx<'a> {
    fn new(path: &'a str, text: &'a str) -> Self {
        FileCtx { path, text, names: Vec::new(), attempted: Vec::new() }
    }

    fn loc(&self, span: Span) -> Loc {
        Loc { file: self.path.to_string(), line: span.line, column: span.column, start: span.start, end: span.end }
    }

    fn error(&self, span: Span, message: impl Into<String>, hint: &str) -> Error {
        error_at(self.path, self.text, span, message, hint)
    }
}

fn error_at(path: &str, text: &str, span: Span, message: impl Into<String>, hint: &str) -> Error {
    Error::input_at(path, text, span.start, span.line, span.column, message, Some(hint.to_string()))
}

const SCHEMA_HINT: &str =
    "an Avro schema is a type name (\"string\", \"com.acme.User\"), a type object ({\"type\": ...}) or a union array";

impl<'a> Builder<'a> {
    fn push(&mut self, kind: Kind, at: Loc, doc: Option<String>) -> Id {
        self.model.nodes.push(Node { kind, logical: None, at, doc });
        self.model.nodes.len() - 1
    }

    /// A file's root: a schema, or a protocol (`.avpr`) whose `types` count as a union.
    fn root(&mut self, file: &mut FileCtx, node: &'a DocNode) -> Result<Id> {
        if let Some(protocol) = node.get("protocol") {
            if protocol.as_str().is_none() {
                return Err(file.error(protocol.span, "`protocol` must be a string", "name the protocol"));
            }
            let namespace = node.get("namespace").and_then(|n| n.as_str()).map(str::to_string);
            let mut branches = Vec::new();
            for item in node.get("types").and_then(|t| t.as_seq()).unwrap_or_default() {
                branches.push(self.ty(file, item, namespace.as_deref())?);
            }
            let id = self.push(Kind::Union(branches), file.loc(node.span), None);
            return Ok(id);
        }
        self.ty(file, node, None)
    }

    fn ty(&mut self, file: &mut FileCtx, node: &'a DocNode, namespace: Option<&str>) -> Result<Id> {
        match &node.value {
            Value::String(name) => Ok(self.named_or_primitive(file, name, node.span, namespace)),
            Value::Seq(branches) => self.union(file, node, branches, namespace),
            Value::Map(_) => self.object(file, node, namespace),
            _ => Err(file.error(node.span, "this is not an Avro schema", SCHEMA_HINT)),
        }
    }

    fn named_or_primitive(&mut self, file: &mut FileCtx, name: &str, span: Span, namespace: Option<&str>) -> Id {
        if let Some(kind) = primitive(name) {
            return self.push(kind, file.loc(span), None);
        }
        // As Java's parser: the name in the enclosing namespace, then as written.
        let mut candidates = vec![names::full_name(name, namespace)];
        if !candidates.contains(&name.to_string()) {
            candidates.push(name.to_string());
        }
        let id = self.push(Kind::Ref(None), file.loc(span), None);
        self.pending.refs.push((id, candidates, span));
        id
    }

    fn union(
        &mut self,
        file: &mut FileCtx,
        node: &'a DocNode,
        items: &'a [DocNode],
        namespace: Option<&str>,
    ) -> Result<Id> {
        let mut branches = Vec::with_capacity(items.len());
        for item in items {
            if item.as_seq().is_some() {
                return Err(file.error(
                    item.span,
                    "a union may not directly contain another union",
                    "list the inner union's branches in the outer union",
                ));
            }
            branches.push(self.ty(file, item, namespace)?);
        }
        let spans = items.iter().map(|i| i.span).collect();
        let id = self.push(Kind::Union(branches), file.loc(node.span), None);
        self.pending.unions.push((id, spans));
        Ok(id)
    }

    fn object(&mut self, file: &mut FileCtx, node: &'a DocNode, namespace: Option<&str>) -> Result<Id> {
        let Some(type_node) = node.get("type") else {
            return Err(file.error(node.span, "this schema object has no `type`", SCHEMA_HINT));
        };
        let doc = node.get("doc").and_then(|d| d.as_str()).map(str::to_string);
        let Some(type_name) = type_node.as_str() else {
            // `{"type": {...}}` or `{"type": [...]}`: the inner schema (Java is as lenient).
            return self.ty(file, type_node, namespace);
        };
        let at = file.loc(node.span);
        let id = match type_name {
            "record" | "error" => self.record(file, node, namespace)?,
            "enum" => self.enumeration(file, node, namespace)?,
            "fixed" => self.fixed(file, node, namespace)?,
            "array" | "map" => {
                let key = if type_name == "array" { "items" } else { "values" };
                let Some(inner) = node.get(key) else {
                    return Err(file.error(node.span, format!("this {type_name} has no `{key}`"), SCHEMA_HINT));
                };
                let inner = self.ty(file, inner, namespace)?;
                let kind = if type_name == "array" { Kind::Array(inner) } else { Kind::Map(inner) };
                self.push(kind, at, None)
            }
            name => match primitive(name) {
                Some(kind) => self.push(kind, at, None),
                None => self.named_or_primitive(file, name, type_node.span, namespace),
            },
        };
        let logical = logical::parse(node, &self.model.nodes[id].kind);
        let target = &mut self.model.nodes[id];
        if !matches!(target.kind, Kind::Ref(_)) {
            target.logical = logical;
            target.doc = doc;
        }
        Ok(id)
    }

    /// The name part of a record, enum or fixed, registered (before its children are parsed, so a
    /// record may refer to itself). Returns the id reserved for the type and its namespace.
    fn define(
        &mut self,
        file: &mut FileCtx,
        node: &'a DocNode,
        namespace: Option<&str>,
        what: &str,
    ) -> Result<(Id, Named)> {
        let hint = "give it a name: letters, digits and `_`, not starting with a digit";
        let Some(name_node) = node.get("name") else {
            return Err(file.error(node.span, format!("this {what} has no `name`"), hint));
        };
        let Some(written) = name_node.as_str() else {
            return Err(file.error(name_node.span, format!("the {what}'s `name` must be a string"), hint));
        };
        let explicit = match node.get("namespace") {
            Some(ns) if ns.is_null() => Some(String::new()),
            Some(ns) => match ns.as_str() {
                Some(text) => Some(text.to_string()),
                None => return Err(file.error(ns.span, "`namespace` must be a string", "write it as \"com.acme\"")),
            },
            None => None,
        };
        let context = explicit.as_deref().or(namespace);
        let full = names::full_name(written, context);
        let (ns, name) = names::split(&full);
        let (ns, name) = (ns.map(str::to_string), name.to_string());
        if !names::is_valid_name(&name) || !names::is_valid_namespace(ns.as_deref().unwrap_or("")) {
            return Err(file.error(name_node.span, format!("`{full}` is not a valid Avro name"), hint));
        }
        if PRIMITIVES.contains(&full.as_str()) {
            return Err(file.error(
                name_node.span,
                format!("a {what} may not be named `{full}`, a primitive type"),
                "choose another name",
            ));
        }
        let namespace = ns.filter(|n| !n.is_empty());
        let mut aliases = Vec::new();
        if let Some(list) = node.get("aliases") {
            for alias in list.as_seq().unwrap_or_default() {
                match alias.as_str() {
                    Some(a) => aliases.push(names::full_name(a, namespace.as_deref())),
                    None => return Err(file.error(alias.span, "aliases must be strings", "write aliases as names")),
                }
            }
        }
        let id = self.push(Kind::Null, file.loc(node.span), None);
        file.attempted.push(full.clone());
        match self.defined.get(&full) {
            Some((other, _)) if other == file.path => {
                return Err(file.error(
                    name_node.span,
                    format!("`{full}` is defined twice in this file"),
                    "define a named type once and refer to it by name afterwards",
                ));
            }
            Some((other, first)) if *first != node => {
                self.conflicted = true;
                let span = first.get("name").map_or(first.span, |n| n.span);
                let hint = match self.around {
                    Some(around) => around.duplicate_hint(),
                    None => "define each named type in one file and refer to it by its full name elsewhere".into(),
                };
                return Err(file.error(
                    name_node.span,
                    format!("`{full}` is already defined differently at {other}:{}:{}", span.line, span.column),
                    &hint,
                ));
            }
            // The same definition copied into several files: one type.
            Some(_) => {}
            None => {
                self.defined.insert(full.clone(), (file.path.to_string(), node));
                self.model.names.insert(full.clone(), id);
                file.names.push(full.clone());
            }
        }
        let deprecated = is_deprecated(node);
        let named = Named { full, name, namespace, aliases, name_at: file.loc(name_node.span), deprecated };
        Ok((id, named))
    }

    fn record(&mut self, file: &mut FileCtx, node: &'a DocNode, namespace: Option<&str>) -> Result<Id> {
        let (id, named) = self.define(file, node, namespace, "record")?;
        let Some(list) = node.get("fields").and_then(|f| f.as_seq()) else {
            return Err(file.error(
                node.span,
                format!("record `{}` needs a `fields` array", named.full),
                "add \"fields\": []",
            ));
        };
        let mut fields: Vec<Field> = Vec::with_capacity(list.len());
        for item in list {
            let hint = "a field is {\"name\": ..., \"type\": ...}";
            let Some(name_node) = item.get("name") else {
                return Err(file.error(item.span, "this field has no `name`", hint));
            };
            let Some(name) = name_node.as_str().filter(|n| names::is_valid_name(n)) else {
                return Err(file.error(name_node.span, "a field name must be a valid Avro name", hint));
            };
            if fields.iter().any(|f| f.name == name) {
                return Err(file.error(
                    name_node.span,
                    format!("field `{name}` appears twice in record `{}`", named.full),
                    "rename or remove one of them",
                ));
            }
            let Some(type_node) = item.get("type") else {
                return Err(file.error(item.span, format!("field `{name}` has no `type`"), hint));
            };
            let ty = self.ty(file, type_node, named.namespace.as_deref())?;
            let default = item.entry("default").map(|entry| {
                let json = entry.value.to_json();
                self.pending.defaults.push((name.to_string(), ty, json.clone(), entry.value.span));
                json
            });
            let aliases =
                item.get("aliases").and_then(|a| a.as_seq()).unwrap_or_default().iter().filter_map(|a| a.as_str());
            fields.push(Field {
                name: name.to_string(),
                aliases: aliases.map(str::to_string).collect(),
                ty,
                default,
                at: file.loc(name_node.span),
                doc: item.get("doc").and_then(|d| d.as_str()).map(str::to_string),
                deprecated: is_deprecated(item),
            });
        }
        self.model.nodes[id].kind = Kind::Record(Record { named, fields });
        Ok(id)
    }

    fn enumeration(&mut self, file: &mut FileCtx, node: &'a DocNode, namespace: Option<&str>) -> Result<Id> {
        let (id, named) = self.define(file, node, namespace, "enum")?;
        let hint = "symbols are distinct names: letters, digits and `_`";
        let Some(list) = node.get("symbols").and_then(|s| s.as_seq()) else {
            return Err(file.error(node.span, format!("enum `{}` needs a `symbols` array", named.full), hint));
        };
        let mut symbols: Vec<(String, Loc)> = Vec::with_capacity(list.len());
        for item in list {
            let Some(symbol) = item.as_str().filter(|s| names::is_valid_name(s)) else {
                return Err(file.error(item.span, "an enum symbol must be a valid Avro name", hint));
            };
            if symbols.iter().any(|(s, _)| s == symbol) {
                return Err(file.error(
                    item.span,
                    format!("symbol `{symbol}` appears twice in `{}`", named.full),
                    hint,
                ));
            }
            symbols.push((symbol.to_string(), file.loc(item.span)));
        }
        let default = match node.get("default") {
            None => None,
            Some(d) => match d.as_str() {
                Some(s) if symbols.iter().any(|(x, _)| x == s) => Some(s.to_string()),
                _ => {
                    return Err(file.error(
                        d.span,
                        format!("the default of enum `{}` is not one of its symbols", named.full),
                        "name one of the symbols as the enum's default",
                    ))
                }
            },
        };
        self.model.nodes[id].kind = Kind::Enum(Enum { named, symbols, default });
        Ok(id)
    }

    fn fixed(&mut self, file: &mut FileCtx, node: &'a DocNode, namespace: Option<&str>) -> Result<Id> {
        let (id, named) = self.define(file, node, namespace, "fixed")?;
        let size_node = node.get("size");
        let size = size_node.and_then(|s| s.as_f64()).filter(|s| s.fract() == 0.0 && *s >= 0.0);
        let (Some(size_node), Some(size)) = (size_node, size) else {
            return Err(file.error(
                size_node.map(|s| s.span).unwrap_or(node.span),
                format!("fixed `{}` needs a non-negative integer `size`", named.full),
                "give the size in bytes: \"size\": 16",
            ));
        };
        let size_at = file.loc(size_node.span);
        self.model.nodes[id].kind = Kind::Fixed(Fixed { named, size: size as u64, size_at });
        Ok(id)
    }

    fn resolve_refs(&mut self, path: &str, text: &str, pending: &Pending) -> Result<()> {
        for (id, candidates, span) in &pending.refs {
            match candidates.iter().find_map(|c| self.model.names.get(c)) {
                Some(&target) => self.model.nodes[*id].kind = Kind::Ref(Some(target)),
                None => {
                    self.unknown = true;
                    return Err(match self.around.and_then(|around| around.unknown(candidates)) {
                        Some((message, hint)) => error_at(path, text, *span, message, &hint),
                        None => unknown_type(path, text, *span, candidates),
                    });
                }
            }
        }
        Ok(())
    }

    fn check_resolved(&self, path: &str, text: &str, pending: &Pending) -> Result<()> {
        let model = &self.model;
        for (id, spans) in &pending.unions {
            let Kind::Union(branches) = &model.nodes[*id].kind else { continue };
            let mut seen = BTreeSet::new();
            for (branch, span) in branches.iter().zip(spans) {
                let kind = &model.node(*branch).kind;
                let key = match kind.named() {
                    Some(named) => named.full.clone(),
                    None => kind.label().to_string(),
                };
                if matches!(kind, Kind::Union(_)) {
                    return Err(error_at(
                        path,
                        text,
                        *span,
                        "a union may not directly contain another union",
                        "list the inner union's branches in the outer union",
                    ));
                }
                if !seen.insert(key.clone()) {
                    return Err(error_at(
                        path,
                        text,
                        *span,
                        format!("`{key}` appears twice in this union"),
                        "a union holds each type once (named types once per full name)",
                    ));
                }
            }
        }
        for (field, ty, default, span) in &pending.defaults {
            if let Err(why) = valid_default(model, *ty, default) {
                return Err(error_at(
                    path,
                    text,
                    *span,
                    format!("the default of field `{field}` does not match its type: {why}"),
                    "give a default of the field's type (for a union, of one of its branches)",
                ));
            }
        }
        Ok(())
    }
}

fn unknown_type(path: &str, text: &str, span: Span, candidates: &[String]) -> Error {
    error_at(
        path,
        text,
        span,
        format!("unknown type `{}`", candidates[0]),
        "define it in this file or in another .avsc of its scope (its folder, or its `[[contracts]]` entry), or write its full name (namespace.Name)",
    )
}

fn is_deprecated(node: &DocNode) -> bool {
    match node.get("deprecated") {
        Some(d) => d.as_bool().unwrap_or_else(|| d.as_str().is_some_and(|s| !s.is_empty())),
        None => false,
    }
}
