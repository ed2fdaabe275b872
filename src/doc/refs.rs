//! The documents of one revision with their `$ref`s resolved.
//!
//! [`Workspace::load`] reads the entry document and, transitively, every file its `$ref`s name,
//! and checks that every `$ref` resolves, so that differs can follow refs without error
//! handling. Cycles through schemas are legal (recursive schemas); differs guard against them
//! with the canonical target id that [`Workspace::deref`] returns. A ref whose chain only ever
//! reaches other refs and comes back (`a: {$ref: '#/b'}, b: {$ref: '#/a'}`) is refused.
//!
//! Refused: refs that leave the compared root, and remote (`http:`/`https:`) refs unless
//! [`RefPolicy::allow_remote`] is set (and even then nothing is fetched: the ref is kept opaque).
//!
//! Not yet: keywords beside `$ref` (OpenAPI 3.1 allows them) are ignored by `deref`, and
//! `$id`/`$anchor`-based refs are refused as unsupported.

use super::{Document, Node, Span, Value};
use crate::error::{Error, Result};
use crate::source::Tree;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

#[derive(Debug, Clone, Copy, Default)]
pub struct RefPolicy {
    /// Accept `http(s)://` refs without fetching them (the referenced schema is treated as opaque).
    pub allow_remote: bool,
}

pub struct Workspace {
    entry: String,
    /// Every loaded document by path; a BTreeMap so iteration is deterministic.
    docs: BTreeMap<String, Document>,
    /// How many `$ref`s the documents hold: no chain of refs is longer, since load refused
    /// chains that loop.
    refs: usize,
}

/// Where a `$ref` points once resolved against its document's path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A file in the tree (normalised path) and a JSON pointer into it (`""` is the whole file).
    Local { file: String, pointer: Vec<String> },
    /// A URL, kept opaque.
    Remote(String),
}

impl Target {
    /// `file#/json/pointer`, or the URL: the same target always gets the same id.
    fn id(&self) -> String {
        match self {
            Target::Local { file, pointer } => {
                let mut id = format!("{file}#");
                for token in pointer {
                    id.push('/');
                    id.push_str(&token.replace('~', "~0").replace('/', "~1"));
                }
                id
            }
            Target::Remote(url) => url.clone(),
        }
    }
}

/// One `$ref` found while loading, with where it stands (for errors).
#[derive(Clone)]
struct FoundRef {
    doc: String,
    span: Span,
    raw: String,
    target: Target,
}

impl Workspace {
    /// Load `entry` (a path in `tree`) and every document its `$ref`s reach.
    pub fn load(tree: &dyn Tree, entry: &str, policy: RefPolicy) -> Result<Workspace> {
        let entry = entry.trim_start_matches("./").to_string();
        let mut docs = BTreeMap::new();
        let mut refs = Vec::new();
        let mut queue = VecDeque::from([entry.clone()]);
        let mut queued = BTreeSet::from([entry.clone()]);

        while let Some(path) = queue.pop_front() {
            let referrer = |refs: &[FoundRef]| refs.iter().find(|r| target_file(&r.target) == Some(&path)).cloned();
            let bytes = match crate::source::lfs::read_contract(tree, &path) {
                Ok(Some(bytes)) => bytes,
                Ok(None) => {
                    let message = format!("`{path}` does not exist in {}", tree.label());
                    return Err(match referrer(&refs) {
                        Some(found) => ref_error(
                            &docs,
                            &found,
                            &format!("$ref points to `{path}`, which does not exist in {}", tree.label()),
                            "check the path: it is relative to the file that holds the $ref",
                        ),
                        None => Error::usage(message, None),
                    });
                }
                // A referenced file that cannot be read (a symlink out of the root, a FIFO):
                // say so at the $ref that leads there.
                Err(error) => {
                    return Err(match referrer(&refs) {
                        Some(found) => {
                            let hint = miette::Diagnostic::help(&error).map(|h| h.to_string());
                            ref_error(
                                &docs,
                                &found,
                                &format!("$ref points to `{path}`, which cannot be read: {error}"),
                                hint.as_deref().unwrap_or("check the file the $ref names"),
                            )
                        }
                        None => error,
                    })
                }
            };
            let doc = Document::parse(&path, &bytes)?;
            for found in find_refs(&doc, policy)? {
                if let Some(file) = target_file(&found.target) {
                    if queued.insert(file.to_string()) {
                        queue.push_back(file.to_string());
                    }
                }
                refs.push(found);
            }
            docs.insert(path, doc);
        }

        let workspace = Workspace { entry, docs, refs: refs.len() };
        for found in &refs {
            workspace.check_ref(found)?;
        }
        Ok(workspace)
    }

    /// The entry document.
    pub fn root(&self) -> &Document {
        &self.docs[&self.entry]
    }

    /// A loaded document by its path in the tree.
    pub fn doc(&self, path: &str) -> Option<&Document> {
        self.docs.get(path)
    }

    /// Every loaded document, ordered by path.
    pub fn docs(&self) -> impl Iterator<Item = &Document> {
        self.docs.values()
    }

    /// Follow `node` while it is a `{"$ref": ...}` map. Returns the document holding the target,
    /// the target node, and the canonical id of the last ref followed (`file#/json/pointer`),
    /// or `None` when `node` was not a ref. A remote ref allowed by policy is returned unresolved.
    pub fn deref<'a>(&'a self, doc: &'a Document, node: &'a Node) -> (&'a Document, &'a Node, Option<String>) {
        let (mut doc, mut node, mut id) = (doc, node, None);
        // Load refused ref-only cycles, so every chain ends within `refs` hops; a shorter bound
        // would hand a `$ref` to the differs as if it were the schema (and compare nothing). The
        // bound only keeps a node from a foreign document from looping forever.
        for _ in 0..=self.refs {
            let Some((raw, _)) = ref_of(node) else { break };
            let Ok(target) = resolve(&doc.path, raw) else {
                break;
            };
            id = Some(target.id());
            match self.lookup(&target) {
                Some((next_doc, next_node)) => (doc, node) = (next_doc, next_node),
                None => break,
            }
        }
        (doc, node, id)
    }

    fn lookup(&self, target: &Target) -> Option<(&Document, &Node)> {
        let Target::Local { file, pointer } = target else {
            return None;
        };
        let doc = self.docs.get(file)?;
        Some((doc, follow_pointer(&doc.root, pointer)?))
    }

    /// The target exists, and following refs from it reaches something that is not a ref.
    fn check_ref(&self, found: &FoundRef) -> Result<()> {
        let mut seen = BTreeSet::new();
        let mut target = found.target.clone();
        loop {
            let Some((doc, node)) = self.lookup(&target) else {
                if matches!(target, Target::Remote(_)) {
                    return Ok(());
                }
                return Err(ref_error(
                    &self.docs,
                    found,
                    &format!("$ref `{}` points to `{}`, which does not exist", found.raw, target.id()),
                    "check the JSON pointer after `#`: each `/segment` must name a key or an index",
                ));
            };
            if !seen.insert(target.id()) {
                return Err(ref_error(
                    &self.docs,
                    found,
                    &format!("cyclic $ref with no schema in between (`{}` leads back to itself)", found.raw),
                    "point the $ref at an actual schema or object, not at another $ref that loops back",
                ));
            }
            match ref_of(node) {
                // Refs found at load were all resolvable, so this cannot fail; stop if it does.
                Some((raw, _)) => match resolve(&doc.path, raw) {
                    Ok(next) => target = next,
                    Err(_) => return Ok(()),
                },
                None => return Ok(()),
            }
        }
    }
}

/// `Some((ref string, span of the string))` when `node` is a map with a string `$ref`.
fn ref_of(node: &Node) -> Option<(&str, Span)> {
    let value = node.get("$ref")?;
    Some((value.as_str()?, value.span))
}

fn target_file(target: &Target) -> Option<&str> {
    match target {
        Target::Local { file, .. } => Some(file),
        Target::Remote(_) => None,
    }
}

/// Every `$ref` in `doc`, in document order, resolved to a target (refusing the forbidden ones).
fn find_refs(doc: &Document, policy: RefPolicy) -> Result<Vec<FoundRef>> {
    let mut found = Vec::new();
    // Explicit stack: documents are depth-limited, but this keeps the walk off the call stack.
    let mut stack = vec![&doc.root];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Map(entries) => {
                if let Some((raw, span)) = ref_of(node) {
                    let target = resolve(&doc.path, raw).map_err(|problem| problem.into_error(doc, span, raw))?;
                    if matches!(target, Target::Remote(_)) && !policy.allow_remote {
                        return Err(RefProblem::Remote.into_error(doc, span, raw));
                    }
                    found.push(FoundRef { doc: doc.path.clone(), span, raw: raw.to_string(), target });
                }
                stack.extend(entries.values().rev().map(|e| &e.value));
            }
            Value::Seq(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    Ok(found)
}

fn ref_error(docs: &BTreeMap<String, Document>, found: &FoundRef, message: &str, hint: &str) -> Error {
    let span = found.span;
    match docs.get(&found.doc) {
        Some(doc) => {
            Error::input_at(&doc.path, &doc.text, span.start, span.line, span.column, message, Some(hint.into()))
        }
        None => Error::input(&found.doc, span.line, span.column, message, Some(hint.into())),
    }
}

/// Why a `$ref` string cannot be used.
enum RefProblem {
    Remote,
    LeavesRoot,
    Absolute,
    /// Backslashes or a drive letter: a Windows path, which a `$ref` (a URI reference) is not.
    WindowsPath,
    NotAPointer,
    BadEscape,
}

impl RefProblem {
    fn into_error(self, doc: &Document, span: Span, raw: &str) -> Error {
        let (message, hint) = match self {
            RefProblem::Remote => (
                format!("remote $ref refused: `{raw}`"),
                "contractdiff never fetches over the network; pass --allow-remote-refs to keep remote refs unresolved, or vendor the file into the repository",
            ),
            RefProblem::LeavesRoot => (
                format!("$ref leaves the contract root: `{raw}`"),
                "refs may only name files inside the compared tree; move the referenced file into it",
            ),
            RefProblem::Absolute => (
                format!("$ref uses an absolute path: `{raw}`"),
                "write the path relative to the file that holds the $ref",
            ),
            RefProblem::WindowsPath => (
                format!("$ref is written as a Windows path: `{raw}`"),
                "a $ref is a URI reference: separate folders with `/` and write the path relative to the file that holds the $ref",
            ),
            RefProblem::NotAPointer => (
                format!("$ref fragment is not a JSON pointer: `{raw}`"),
                "use `#/path/to/target`; `$anchor` and `$id` refs are not supported yet",
            ),
            RefProblem::BadEscape => (
                format!("$ref has an invalid escape: `{raw}`"),
                "in a JSON pointer `~` must be written `~0` and `/` inside a name `~1`; `%` must start a valid percent-escape",
            ),
        };
        Error::input_at(&doc.path, &doc.text, span.start, span.line, span.column, message, Some(hint.into()))
    }
}

/// Resolve a `$ref` string written in the document at `base` (a path in the tree).
fn resolve(base: &str, raw: &str) -> std::result::Result<Target, RefProblem> {
    if is_remote(raw) {
        return Ok(Target::Remote(raw.to_string()));
    }
    let (file_part, fragment) = match raw.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (raw, ""),
    };
    let file = if file_part.is_empty() {
        base.to_string()
    } else {
        let file_part = percent_decode(file_part).ok_or(RefProblem::BadEscape)?;
        if file_part.starts_with('/') {
            return Err(RefProblem::Absolute);
        }
        let drive =
            file_part.as_bytes().get(1) == Some(&b':') && file_part.starts_with(|c: char| c.is_ascii_alphabetic());
        if file_part.contains('\\') || drive {
            return Err(RefProblem::WindowsPath);
        }
        let dir = base.rsplit_once('/').map_or("", |(dir, _)| dir);
        normalise(dir, &file_part).ok_or(RefProblem::LeavesRoot)?
    };
    Ok(Target::Local { file, pointer: parse_pointer(fragment)? })
}

/// A scheme (`https:`, `urn:`, `file:`) or a network path (`//host/...`).
fn is_remote(raw: &str) -> bool {
    if raw.starts_with("//") {
        return true;
    }
    let scheme_end = raw.find(':');
    let path_start = raw.find(['/', '#']);
    match (scheme_end, path_start) {
        (Some(colon), Some(slash)) => colon < slash && is_scheme(&raw[..colon]),
        (Some(colon), None) => is_scheme(&raw[..colon]),
        _ => false,
    }
}

fn is_scheme(s: &str) -> bool {
    // Two letters at least, so a Windows drive `C:` is not taken for a scheme.
    s.len() > 1
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Join `relative` onto `dir` and remove `.` and `..`; `None` when it climbs above the root.
fn normalise(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            name => parts.push(name),
        }
    }
    Some(parts.join("/"))
}

/// An RFC 6901 pointer from a URI fragment: percent-decoded, then `~1` → `/` and `~0` → `~`.
fn parse_pointer(fragment: &str) -> std::result::Result<Vec<String>, RefProblem> {
    let fragment = percent_decode(fragment).ok_or(RefProblem::BadEscape)?;
    if fragment.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = fragment.strip_prefix('/') else {
        return Err(RefProblem::NotAPointer);
    };
    rest.split('/').map(unescape_token).collect()
}

fn unescape_token(token: &str) -> std::result::Result<String, RefProblem> {
    let mut out = String::with_capacity(token.len());
    let mut chars = token.chars();
    while let Some(c) = chars.next() {
        if c != '~' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('0') => out.push('~'),
            Some('1') => out.push('/'),
            _ => return Err(RefProblem::BadEscape),
        }
    }
    Ok(out)
}

/// `%XX` escapes to bytes, the result read as UTF-8; `None` on a broken escape.
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The node a pointer names: map keys by name, sequence items by decimal index.
fn follow_pointer<'a>(root: &'a Node, pointer: &[String]) -> Option<&'a Node> {
    let mut node = root;
    for token in pointer {
        node = match &node.value {
            Value::Map(entries) => &entries.get(token.as_str())?.value,
            Value::Seq(items) => {
                let canonical = token == "0" || (!token.starts_with('0') && token.bytes().all(|b| b.is_ascii_digit()));
                if !canonical {
                    return None;
                }
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::source::mem::MemTree;

    fn tree(files: &[(&str, &str)]) -> MemTree {
        MemTree::new("test tree", files.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())))
    }

    fn load(files: &[(&str, &str)], entry: &str) -> Result<Workspace> {
        Workspace::load(&tree(files), entry, RefPolicy::default())
    }

    fn fail(files: &[(&str, &str)], entry: &str) -> String {
        match load(files, entry) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn long_ref_only_chains_are_followed_to_the_schema() {
        let mut text = String::from("start: {$ref: '#/r0'}\n");
        for k in 0..200 {
            text.push_str(&format!("r{k}: {{$ref: '#/r{}'}}\n", k + 1));
        }
        text.push_str("r200: {type: integer}\n");
        let ws = load(&[("a.yaml", &text)], "a.yaml").unwrap();
        let root = &ws.root().root;
        let (_, node, id) = ws.deref(ws.root(), root.get("start").unwrap());
        assert_eq!(node.get("type").and_then(Node::as_str), Some("integer"));
        assert_eq!(id.as_deref(), Some("a.yaml#/r200"));
    }

    #[test]
    fn local_refs_resolve_with_escapes() {
        let ws = load(
            &[(
                "api.yaml",
                "a: {$ref: '#/defs/a~1b~0c'}\nb: {$ref: '#/list/1'}\nc: {$ref: '#/defs/sp%20ace'}\n\
                 defs:\n  a/b~c: {type: string}\n  sp ace: {type: integer}\nlist: [x, {type: boolean}]\n",
            )],
            "api.yaml",
        )
        .unwrap();
        let root = &ws.root().root;
        let (doc, node, id) = ws.deref(ws.root(), root.get("a").unwrap());
        assert_eq!(doc.path, "api.yaml");
        assert_eq!(node.get("type").unwrap().as_str(), Some("string"));
        assert_eq!(id.as_deref(), Some("api.yaml#/defs/a~1b~0c"));
        let (_, node, _) = ws.deref(ws.root(), root.get("b").unwrap());
        assert_eq!(node.get("type").unwrap().as_str(), Some("boolean"));
        let (_, node, id) = ws.deref(ws.root(), root.get("c").unwrap());
        assert_eq!(node.get("type").unwrap().as_str(), Some("integer"));
        assert_eq!(id.as_deref(), Some("api.yaml#/defs/sp ace"));
        // Not a ref: returned as is.
        let defs = root.get("defs").unwrap();
        let (_, node, id) = ws.deref(ws.root(), defs);
        assert!(std::ptr::eq(node, defs));
        assert_eq!(id, None);
    }

    #[test]
    fn cross_file_refs_load_transitively_and_chains_are_followed() {
        let ws = load(
            &[
                ("spec/api.yaml", "pet: {$ref: 'schemas/pet.yaml#/Pet'}\nall: {$ref: './schemas/pet.yaml'}\n"),
                ("spec/schemas/pet.yaml", "Pet: {$ref: '../common/types.json#/Named'}\n"),
                (
                    "spec/common/types.json",
                    r##"{"Named": {"type": "object", "properties": {"self": {"$ref": "#/Named"}}}}"##,
                ),
                ("unrelated.yaml", "x: {$ref: 'missing.yaml'}\n"),
            ],
            "spec/api.yaml",
        )
        .unwrap();
        let paths: Vec<_> = ws.docs().map(|d| d.path.as_str()).collect();
        assert_eq!(paths, ["spec/api.yaml", "spec/common/types.json", "spec/schemas/pet.yaml"]);
        let (doc, node, id) = ws.deref(ws.root(), ws.root().root.get("pet").unwrap());
        assert_eq!(doc.path, "spec/common/types.json");
        assert_eq!(node.get("type").unwrap().as_str(), Some("object"));
        assert_eq!(id.as_deref(), Some("spec/common/types.json#/Named"), "the last ref followed");
        // A recursive schema is legal; its inner ref names the same canonical id.
        let inner = node.get("properties").unwrap().get("self").unwrap();
        assert_eq!(ws.deref(doc, inner).2, id);
        let (doc, node, id) = ws.deref(ws.root(), ws.root().root.get("all").unwrap());
        assert_eq!(doc.path, "spec/schemas/pet.yaml");
        assert!(node.get("Pet").is_some());
        assert_eq!(id.as_deref(), Some("spec/schemas/pet.yaml#"));
    }

    #[test]
    fn refs_leaving_the_root_are_refused_at_the_ref() {
        let err = fail(&[("api/openapi.yaml", "a:\n  b: {$ref: '../../secret.yaml'}\n")], "api/openapi.yaml");
        assert!(err.starts_with("api/openapi.yaml:2:"), "{err}");
        assert!(err.contains("$ref leaves the contract root"), "{err}");
        assert!(fail(&[("a.yaml", "x: {$ref: '/etc/passwd'}\n")], "a.yaml").contains("absolute path"));
    }

    #[test]
    fn remote_refs_are_refused_unless_allowed() {
        let files = [("a.yaml", "x:\n  $ref: 'https://example.com/s.json#/A'\ny: {$ref: '//host/s.json'}\n")];
        let err = fail(&files, "a.yaml");
        assert!(err.starts_with("a.yaml:2:9: remote $ref refused"), "{err}");
        let policy = RefPolicy { allow_remote: true };
        let ws = Workspace::load(&tree(&files), "a.yaml", policy).unwrap();
        let x = ws.root().root.get("x").unwrap();
        let (_, node, id) = ws.deref(ws.root(), x);
        assert!(std::ptr::eq(node, x), "a remote ref stays unresolved");
        assert_eq!(id.as_deref(), Some("https://example.com/s.json#/A"));
    }

    #[test]
    fn missing_files_and_pointers_are_errors_at_the_ref() {
        let err = fail(&[("a.yaml", "x: 1\ny: {$ref: 'b.yaml#/B'}\n")], "a.yaml");
        assert!(err.starts_with("a.yaml:2:"), "{err}");
        assert!(err.contains("$ref points to `b.yaml`, which does not exist in test tree"), "{err}");
        let err = fail(&[("a.yaml", "x: {$ref: 'b.yaml#/Nope'}\n"), ("b.yaml", "B: {}\n")], "a.yaml");
        assert!(err.starts_with("a.yaml:1:") && err.contains("`b.yaml#/Nope`, which does not exist"), "{err}");
        let err = fail(&[("a.yaml", "l: [a]\nx: {$ref: '#/l/01'}\n")], "a.yaml");
        assert!(err.starts_with("a.yaml:2:"), "{err}");
        assert!(fail(&[("a.yaml", "x: {$ref: '#anchor'}\n")], "a.yaml").contains("not a JSON pointer"));
        assert!(fail(&[("a.yaml", "x: {$ref: '#/a~2'}\n")], "a.yaml").contains("invalid escape"));
    }

    #[test]
    fn ref_only_cycles_are_refused() {
        let err = fail(&[("a.yaml", "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n")], "a.yaml");
        assert!(err.starts_with("a.yaml:1:") && err.contains("cyclic $ref with no schema in between"), "{err}");
        let err = fail(&[("a.yaml", "a: {$ref: 'b.yaml'}\n"), ("b.yaml", "$ref: 'a.yaml#/a'\n")], "a.yaml");
        assert!(err.contains("cyclic $ref"), "{err}");
        assert!(fail(&[("a.yaml", "a: {$ref: '#/a'}\n")], "a.yaml").contains("cyclic $ref"));
    }

    #[test]
    fn parse_errors_in_referenced_files_name_that_file() {
        let err = fail(&[("a.yaml", "x: {$ref: 'b.json'}\n"), ("b.json", "{\"a\": }")], "a.yaml");
        assert!(err.starts_with("b.json:1:"), "{err}");
    }

    #[test]
    fn path_helpers() {
        assert_eq!(normalise("a/b", "../c/./d.yaml").as_deref(), Some("a/c/d.yaml"));
        assert_eq!(normalise("", "x/../y.yaml").as_deref(), Some("y.yaml"));
        assert_eq!(normalise("a", "../../y.yaml"), None);
        assert!(is_remote("http://x/y") && is_remote("urn:uuid:1") && is_remote("//h/p"));
        assert!(!is_remote("schemas/a:b.yaml") && !is_remote("#/a:b") && !is_remote("c.yaml"));
    }
}
