//! YAML 1.2 (core schema) into a [`Node`] tree, built from saphyr-parser's event stream.
//!
//! The builder keeps an explicit stack of open collections instead of recursing, so hostile
//! nesting fails with an error at [`MAX_DEPTH`] rather than overflowing the stack. Aliases are
//! expanded by cloning, with budgets of [`MAX_ALIAS_NODES`] nodes and [`MAX_ALIAS_BYTES`] bytes so
//! alias bombs fail fast: a few aliases of one long string expand to gigabytes with few nodes.

use super::{Entry, Node, Number, Span, Value, MAX_ALIAS_BYTES, MAX_ALIAS_NODES, MAX_DEPTH};
use crate::error::{Error, Result};
use indexmap::IndexMap;
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span as YamlSpan, Tag};
use std::borrow::Cow;
use std::collections::HashMap;

const DUPLICATE_HINT: &str = "a mapping must not repeat a key: remove or rename one of them";
const SYNTAX_HINT: &str = "check the YAML syntax near this place: indentation, quoting, a missing `:` or `-`";

pub(super) fn parse(path: &str, text: &str) -> Result<Node> {
    let mut builder = Builder::new(path, text);
    let mut parser = Parser::new_from_str(text);
    let mut documents = 0usize;
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(pair) => pair,
            Err(e) => {
                let message = format!("invalid YAML: {}", e.info());
                return Err(builder.error_at(*e.marker(), message, SYNTAX_HINT));
            }
        };
        match event {
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(builder.error_at(
                        span.start,
                        "this file holds more than one YAML document",
                        "a contract is one document: remove the `---` separator or split the file",
                    ));
                }
            }
            Event::Scalar(value, style, anchor, tag) => builder.scalar(value, style, anchor, tag.as_deref(), span)?,
            Event::Alias(anchor) => builder.alias(anchor, span)?,
            Event::SequenceStart(anchor, _) => builder.open(Open::Seq, anchor, span)?,
            Event::MappingStart(anchor, _) => builder.open(Open::Map, anchor, span)?,
            Event::SequenceEnd | Event::MappingEnd => builder.close(span)?,
        }
    }
    builder.finish()
}

/// What a node costs in memory besides its text: its [`Node`], or a map [`Entry`] for a key.
const NODE_BYTES: usize = std::mem::size_of::<Node>();
const ENTRY_BYTES: usize = std::mem::size_of::<Entry>();

/// A finished node with the measures the limits need.
struct Built {
    node: Node,
    /// Nodes in the subtree, counted towards the alias budget when the node is aliased.
    nodes: usize,
    /// Bytes the subtree takes (its texts and nodes), counted likewise.
    bytes: usize,
    /// Collection nesting inside the subtree (0 for a scalar).
    height: usize,
}

enum Open {
    Seq,
    Map,
}

enum Body {
    Seq(Vec<Node>),
    Map {
        entries: IndexMap<String, Entry>,
        /// The key waiting for its value.
        key: Option<PendingKey>,
        /// `<<` merge sources, applied when the mapping closes so explicit keys win.
        merges: Vec<IndexMap<String, Entry>>,
    },
}

struct PendingKey {
    text: String,
    span: Span,
    is_merge: bool,
}

struct Frame {
    body: Body,
    span: Span,
    anchor: usize,
    nodes: usize,
    bytes: usize,
    child_height: usize,
}

struct Builder<'t> {
    path: &'t str,
    text: &'t str,
    offsets: CharToByte<'t>,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Built>,
    alias_nodes: usize,
    alias_bytes: usize,
    root: Option<Node>,
}

impl<'t> Builder<'t> {
    fn new(path: &'t str, text: &'t str) -> Self {
        Builder {
            path,
            text,
            offsets: CharToByte::new(text),
            stack: Vec::new(),
            anchors: HashMap::new(),
            alias_nodes: 0,
            alias_bytes: 0,
            root: None,
        }
    }

    fn span(&mut self, span: YamlSpan) -> Span {
        let start = self.offsets.byte_of(span.start.index());
        let end = self.offsets.byte_of(span.end.index());
        Span { start, end, line: span.start.line() as u32, column: span.start.col() as u32 + 1 }
    }

    fn error_at(&mut self, marker: Marker, message: impl Into<String>, hint: &str) -> Error {
        let offset = self.offsets.byte_of(marker.index());
        Error::input_at(
            self.path,
            self.text,
            offset,
            marker.line() as u32,
            marker.col() as u32 + 1,
            message,
            Some(hint.to_string()),
        )
    }

    fn error_at_span(&self, span: Span, message: impl Into<String>, hint: &str) -> Error {
        error_at_span(self.path, self.text, span, message, hint)
    }

    fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { body: Body::Map { key: None, .. }, .. }))
    }

    fn scalar(
        &mut self,
        raw: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: YamlSpan,
    ) -> Result<()> {
        let span = self.span(span);
        let bytes = raw.len() + NODE_BYTES;
        if self.expecting_key() {
            if anchor != 0 {
                let node = Node { value: resolve_scalar(raw.clone(), style, tag), span };
                self.anchors.insert(anchor, Built { node, nodes: 1, bytes, height: 0 });
            }
            let is_merge = raw == "<<" && style == ScalarStyle::Plain && tag.is_none();
            return self.set_key(raw.into_owned(), span, is_merge);
        }
        let mut node = Node { value: resolve_scalar(raw, style, tag), span };
        if let Value::Number(number) = node.value {
            node.value = Value::Number(super::require_finite(self.path, self.text, span, number)?);
        }
        if anchor != 0 {
            self.anchors.insert(anchor, Built { node: node.clone(), nodes: 1, bytes, height: 0 });
        }
        self.attach(Built { node, nodes: 1, bytes, height: 0 })
    }

    fn alias(&mut self, anchor: usize, span: YamlSpan) -> Result<()> {
        let span = self.span(span);
        let Some(target) = self.anchors.get(&anchor) else {
            // saphyr rejects unknown anchors itself; keep a clean error should that change.
            return Err(self.error_at_span(
                span,
                "alias to an unknown anchor",
                "define the `&anchor` before its `*alias`",
            ));
        };
        self.alias_nodes = self.alias_nodes.saturating_add(target.nodes);
        self.alias_bytes = self.alias_bytes.saturating_add(target.bytes);
        if self.alias_nodes > MAX_ALIAS_NODES || self.alias_bytes > MAX_ALIAS_BYTES {
            let what = if self.alias_nodes > MAX_ALIAS_NODES {
                format!("{MAX_ALIAS_NODES} nodes")
            } else {
                format!("{} MiB", MAX_ALIAS_BYTES >> 20)
            };
            return Err(self.error_at_span(
                span,
                format!("alias expansion exceeds {what} (an alias bomb?)"),
                "aliases are expanded when loading; repeat fewer aliases of large nodes",
            ));
        }
        if self.expecting_key() {
            let Some(text) = scalar_key_text(&target.node.value) else {
                return Err(self.error_at_span(
                    span,
                    "a mapping key must be a scalar",
                    "use a string key; collections as keys cannot be represented in JSON",
                ));
            };
            return self.set_key(text, span, false);
        }
        if self.stack.len() + target.height > MAX_DEPTH {
            return Err(self.too_deep(span));
        }
        let built =
            Built { node: target.node.clone(), nodes: target.nodes, bytes: target.bytes, height: target.height };
        self.attach(built)
    }

    fn open(&mut self, kind: Open, anchor: usize, span: YamlSpan) -> Result<()> {
        let span = self.span(span);
        if self.expecting_key() {
            return Err(self.error_at_span(
                span,
                "a mapping key must be a scalar",
                "use a string key; collections as keys cannot be represented in JSON",
            ));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.too_deep(span));
        }
        let body = match kind {
            Open::Seq => Body::Seq(Vec::new()),
            Open::Map => Body::Map { entries: IndexMap::new(), key: None, merges: Vec::new() },
        };
        self.stack.push(Frame { body, span, anchor, nodes: 1, bytes: NODE_BYTES, child_height: 0 });
        Ok(())
    }

    fn close(&mut self, end: YamlSpan) -> Result<()> {
        let end = self.span(end);
        let Some(frame) = self.stack.pop() else {
            return Err(self.error_at_span(end, "unbalanced collection end", SYNTAX_HINT));
        };
        let mut span = frame.span;
        let value = match frame.body {
            Body::Seq(items) => {
                span.end = close_end(end, items.last().map(|n| n.span.end), span.start);
                Value::Seq(items)
            }
            Body::Map { mut entries, merges, .. } => {
                span.end = close_end(end, entries.last().map(|(_, e)| e.value.span.end), span.start);
                for source in merges {
                    for (key, entry) in source {
                        entries.entry(key).or_insert(entry);
                    }
                }
                Value::Map(entries)
            }
        };
        let built = Built {
            node: Node { value, span },
            nodes: frame.nodes,
            bytes: frame.bytes,
            height: frame.child_height + 1,
        };
        if frame.anchor != 0 {
            let copy = Built { node: built.node.clone(), nodes: built.nodes, bytes: built.bytes, height: built.height };
            self.anchors.insert(frame.anchor, copy);
        }
        self.attach(built)
    }

    fn set_key(&mut self, text: String, span: Span, is_merge: bool) -> Result<()> {
        let duplicate = match self.stack.last() {
            Some(Frame { body: Body::Map { entries, .. }, .. }) => !is_merge && entries.contains_key(&text),
            _ => false,
        };
        if duplicate {
            return Err(self.error_at_span(span, format!("duplicate key `{text}` in this mapping"), DUPLICATE_HINT));
        }
        if let Some(Frame { body: Body::Map { key, .. }, bytes, .. }) = self.stack.last_mut() {
            *bytes = bytes.saturating_add(text.len() + ENTRY_BYTES);
            *key = Some(PendingKey { text, span, is_merge });
        }
        Ok(())
    }

    /// Hand a finished node to its parent (or make it the root).
    fn attach(&mut self, built: Built) -> Result<()> {
        let (path, text) = (self.path, self.text);
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(built.node);
            return Ok(());
        };
        parent.nodes = parent.nodes.saturating_add(built.nodes);
        parent.bytes = parent.bytes.saturating_add(built.bytes);
        parent.child_height = parent.child_height.max(built.height);
        match &mut parent.body {
            Body::Seq(items) => items.push(built.node),
            Body::Map { entries, key, merges } => {
                let Some(pending) = key.take() else {
                    return Err(error_at_span(
                        path,
                        text,
                        built.node.span,
                        "a mapping value without a key",
                        SYNTAX_HINT,
                    ));
                };
                if pending.is_merge {
                    if let Some(sources) = merge_sources(&built.node) {
                        merges.extend(sources);
                        return Ok(());
                    }
                    // Not mergeable: keep `<<` as an ordinary key, as YAML 1.2 core does.
                    if entries.contains_key("<<") {
                        return Err(error_at_span(
                            path,
                            text,
                            pending.span,
                            "duplicate key `<<` in this mapping",
                            DUPLICATE_HINT,
                        ));
                    }
                }
                entries.insert(pending.text, Entry { key_span: pending.span, value: built.node });
            }
        }
        Ok(())
    }

    fn too_deep(&self, span: Span) -> Error {
        self.error_at_span(
            span,
            format!("nesting deeper than {MAX_DEPTH} levels"),
            "real contracts nest far less; split the structure with `$ref`s",
        )
    }

    fn finish(self) -> Result<Node> {
        match self.root {
            Some(root) => Ok(root),
            None => Err(Error::input_at(
                self.path,
                self.text,
                0,
                1,
                1,
                "empty document",
                Some("a contract file needs content such as `openapi: 3.1.0`".into()),
            )),
        }
    }
}

fn error_at_span(path: &str, text: &str, span: Span, message: impl Into<String>, hint: &str) -> Error {
    Error::input_at(path, text, span.start, span.line, span.column, message, Some(hint.to_string()))
}

/// Where a collection ends: a flow collection's `]`/`}` has a real span; a block collection's
/// end event sits at the next token, so its last child's end is the better answer.
fn close_end(end_event: Span, last_child_end: Option<usize>, start: usize) -> usize {
    if end_event.end > end_event.start {
        end_event.end
    } else {
        last_child_end.unwrap_or(start).max(start)
    }
}

/// The mappings a `<<` value merges: one mapping or a sequence of mappings.
fn merge_sources(node: &Node) -> Option<Vec<IndexMap<String, Entry>>> {
    match &node.value {
        Value::Map(m) => Some(vec![m.clone()]),
        Value::Seq(items) => items.iter().map(|n| n.as_map().cloned()).collect(),
        _ => None,
    }
}

/// A scalar's text when it is used as a key through an alias.
fn scalar_key_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some("null".into()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        Value::Seq(_) | Value::Map(_) => None,
    }
}

/// YAML 1.2 core schema: quoted and block scalars are strings; plain ones may be null, bool,
/// int or float. `!!str` forces a string; other tags are resolved as plain scalars.
fn resolve_scalar(raw: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    if let Some(tag) = tag {
        if tag.is_yaml_core_schema() {
            return match tag.suffix.as_str() {
                "str" => Value::String(raw.into_owned()),
                _ => resolve_plain(raw),
            };
        }
    }
    match style {
        ScalarStyle::Plain => resolve_plain(raw),
        _ => Value::String(raw.into_owned()),
    }
}

fn resolve_plain(raw: Cow<'_, str>) -> Value {
    match raw.as_ref() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Value::Number(Number::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => return Value::Number(Number::Float(f64::NEG_INFINITY)),
        ".nan" | ".NaN" | ".NAN" => return Value::Number(Number::Float(f64::NAN)),
        _ => {}
    }
    if let Some(n) = parse_int(&raw) {
        return Value::Number(n);
    }
    if is_core_float(&raw) {
        if let Ok(f) = raw.parse::<f64>() {
            return Value::Number(Number::Float(f));
        }
    }
    Value::String(raw.into_owned())
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; decimals too large for i64 become floats.
fn parse_int(raw: &str) -> Option<Number> {
    let radix_digits = |digits: &str, radix: u32| -> Option<Number> {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        match i64::from_str_radix(digits, radix) {
            Ok(i) => Some(Number::Int(i)),
            Err(_) => u128::from_str_radix(digits, radix).ok().map(|u| Number::Float(u as f64)),
        }
    };
    if let Some(hex) = raw.strip_prefix("0x") {
        return radix_digits(hex, 16);
    }
    if let Some(oct) = raw.strip_prefix("0o") {
        return radix_digits(oct, 8);
    }
    let digits = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(i) => Some(Number::Int(i)),
        Err(_) => raw.parse::<f64>().ok().map(Number::Float),
    }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` — stricter than Rust's `f64` parser,
/// which would also take `inf` or `NaN`.
fn is_core_float(raw: &str) -> bool {
    let s = raw.strip_prefix(['-', '+']).unwrap_or(raw);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac_part {
        Some(f) => all_digits(int_part) && all_digits(f) && !(int_part.is_empty() && f.is_empty()),
        None => !int_part.is_empty() && all_digits(int_part),
    };
    let exponent_ok = match exponent {
        Some(e) => {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && all_digits(e)
        }
        None => true,
    };
    mantissa_ok && exponent_ok
}

/// saphyr counts characters; miette wants bytes. Markers arrive almost in order, so walking a
/// cursor from the last answer costs little, where rescanning from the start would be quadratic.
struct CharToByte<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> CharToByte<'t> {
    fn new(text: &'t str) -> Self {
        CharToByte { text, ascii: text.is_ascii(), chars: 0, bytes: 0 }
    }

    fn byte_of(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        while self.chars < char_index {
            let Some(c) = self.text[self.bytes..].chars().next() else {
                break;
            };
            self.bytes += c.len_utf8();
            self.chars += 1;
        }
        while self.chars > char_index {
            let Some(c) = self.text[..self.bytes].chars().next_back() else {
                break;
            };
            self.bytes -= c.len_utf8();
            self.chars -= 1;
        }
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Node {
        parse("t.yaml", text).expect("valid YAML")
    }

    fn fail(text: &str) -> String {
        match parse("t.yaml", text) {
            Ok(node) => panic!("expected an error, got {node:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn core_schema_scalars() {
        let doc = load(concat!(
            "n1: ~\nn2: null\nn3:\nt: true\nf: False\ni: -12\nh: 0x1F\no: 0o17\n",
            "fl: 1.5e3\nq: \"12\"\ns: '~'\nst: !!str 42\nword: yes\nbig: 99999999999999999999\n",
            "dot: 1.\nv: 1.2.3\n",
        ));
        let v = |k: &str| doc.get(k).unwrap().value.clone();
        assert_eq!(v("n1"), Value::Null);
        assert_eq!(v("n2"), Value::Null);
        assert_eq!(v("n3"), Value::Null);
        assert_eq!(v("t"), Value::Bool(true));
        assert_eq!(v("f"), Value::Bool(false));
        assert!(matches!(v("i"), Value::Number(Number::Int(-12))));
        assert!(matches!(v("h"), Value::Number(Number::Int(31))));
        assert!(matches!(v("o"), Value::Number(Number::Int(15))));
        assert!(matches!(v("fl"), Value::Number(Number::Float(f)) if f == 1500.0));
        assert_eq!(v("q"), Value::String("12".into()));
        assert_eq!(v("s"), Value::String("~".into()));
        assert_eq!(v("st"), Value::String("42".into()));
        assert_eq!(v("word"), Value::String("yes".into()), "YAML 1.2: `yes` is a string");
        assert!(matches!(v("big"), Value::Number(Number::Float(_))));
        assert!(matches!(v("dot"), Value::Number(Number::Float(f)) if f == 1.0));
        assert_eq!(v("v"), Value::String("1.2.3".into()));
    }

    #[test]
    fn non_string_keys_become_their_text() {
        let doc = load("responses:\n  200: {description: ok}\n  true: x\n");
        let responses = doc.get("responses").unwrap().as_map().unwrap();
        assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "true"]);
    }

    #[test]
    fn spans_count_bytes_and_characters_on_non_ascii_lines() {
        let text = "title: Café ünïcode\nkey: värde\n";
        let doc = load(text);
        let entry = doc.entry("key").unwrap();
        assert_eq!((entry.key_span.line, entry.key_span.column), (2, 1));
        assert_eq!(&text[entry.key_span.start..entry.key_span.end], "key");
        let value = &entry.value.span;
        assert_eq!((value.line, value.column), (2, 6));
        assert_eq!(&text[value.start..value.end], "värde");
        // On the first line columns count characters, bytes count bytes.
        let title = &doc.get("title").unwrap().span;
        assert_eq!(&text[title.start..title.end], "Café ünïcode");
    }

    #[test]
    fn byte_order_mark_is_skipped_in_columns_but_kept_in_offsets() {
        let text = "\u{feff}a: é\nb: x\n";
        let doc = load(text);
        let b = doc.get("b").unwrap().span;
        assert_eq!(&text[b.start..b.end], "x");
        assert_eq!((b.line, b.column), (2, 4));
    }

    #[test]
    fn collection_spans_start_at_first_token() {
        let text = "a:\n  - x\n  - [1, 2]\n";
        let doc = load(text);
        let seq = doc.get("a").unwrap();
        assert_eq!((seq.span.line, seq.span.column), (2, 3));
        let flow = &seq.as_seq().unwrap()[1];
        assert_eq!(&text[flow.span.start..flow.span.end], "[1, 2]");
    }

    #[test]
    fn duplicate_key_points_at_the_second_key() {
        let err = fail("a: 1\nb:\n  c: 1\n  c: 2\n");
        assert!(err.starts_with("t.yaml:4:3: duplicate key `c`"), "{err}");
    }

    #[test]
    fn syntax_error_has_position() {
        let err = fail("a: 1\nb: [1, 2\nc: 3\n");
        assert!(err.starts_with("t.yaml:"), "{err}");
        assert!(err.contains("invalid YAML"), "{err}");
        let err = fail("a:\n  b: 1\n c: 2\n");
        assert!(err.starts_with("t.yaml:3:"), "{err}");
    }

    #[test]
    fn empty_and_multi_document_files_are_refused() {
        assert!(fail("").contains("empty document"));
        assert!(fail("# only a comment\n").contains("empty document"));
        let err = fail("a: 1\n---\nb: 2\n");
        assert!(err.starts_with("t.yaml:2:1:") && err.contains("more than one YAML document"), "{err}");
    }

    #[test]
    fn aliases_expand_and_merge_keys_merge() {
        let doc = load("base: &b {x: 1, y: 2}\nuse: *b\nmerged:\n  <<: *b\n  y: 3\n");
        assert_eq!(doc.get("use"), doc.get("base"));
        let merged = doc.get("merged").unwrap().as_map().unwrap();
        assert_eq!(merged.keys().collect::<Vec<_>>(), ["y", "x"]);
        assert!(matches!(merged["y"].value.value, Value::Number(Number::Int(3))), "explicit keys win");
    }

    #[test]
    fn nan_and_infinity_are_refused_at_their_place() {
        for (text, written) in [("a:\n  maximum: .nan\n", ".nan"), ("a: {minimum: -.inf}\n", "-.inf")] {
            let err = fail(text);
            assert!(err.contains(&format!("`{written}` is not a finite number")), "{err}");
            assert!(err.starts_with("t.yaml:2:12:") || err.starts_with("t.yaml:1:14:"), "{err}");
        }
        assert!(parse("t.yaml", "a: \".nan\"\n").is_ok(), "a quoted .nan is a string");
    }

    #[test]
    fn alias_bomb_fails_fast() {
        let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!("l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"));
        }
        let err = fail(&text);
        assert!(err.contains("alias expansion exceeds 1000000 nodes"), "{err}");
        assert!(err.starts_with("t.yaml:"), "{err}");
    }

    #[test]
    fn string_alias_bombs_fail_on_bytes_with_few_nodes() {
        // ~10 KB that would expand to 10 GB: 1,000 aliases of a 10,000-byte string, nested
        // ten deep, stay far below the node budget.
        let mut text = format!("s: &s \"{}\"\n", "x".repeat(10_000));
        text.push_str("l0: &l0 [*s, *s, *s, *s, *s, *s, *s, *s, *s, *s]\n");
        for i in 1..10 {
            let p = i - 1;
            text.push_str(&format!(
                "l{i}: &l{i} [*l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}, *l{p}]\n"
            ));
        }
        let err = fail(&text);
        assert!(err.contains(&format!("alias expansion exceeds {} MiB", MAX_ALIAS_BYTES >> 20)), "{err}");
        // The line of the alias that crossed the budget: far from the first aliases.
        let line: u32 = err.split(':').nth(1).and_then(|l| l.parse().ok()).expect("a line");
        assert!(line > 3, "{err}");
    }

    #[test]
    fn string_aliases_used_as_keys_count_too() {
        let mut text = format!("a: &k \"{}\"\n", "k".repeat(1 << 20));
        for i in 0..100 {
            text.push_str(&format!("m{i}: {{*k : 1}}\n"));
        }
        let err = fail(&text);
        assert!(err.contains("alias expansion exceeds"), "{err}");
    }

    #[test]
    fn modest_aliases_stay_within_both_budgets() {
        let text = format!("s: &s \"{}\"\nlist: [*s, *s, *s, *s]\n", "x".repeat(100_000));
        let node = parse("t.yaml", &text).expect("four aliases of 100 KB are fine");
        assert_eq!(node.get("list").and_then(Node::as_seq).map(<[Node]>::len), Some(4));
    }

    #[test]
    fn deep_nesting_fails_without_overflowing_the_stack() {
        // Flow nesting: saphyr's scanner has its own limit, just under ours.
        let err = fail(&"[".repeat(100_000));
        assert!(err.starts_with("t.yaml:1:"), "{err}");
        assert!(err.contains("nesting deeper than") || err.contains("recursion limit"), "{err}");
        // Block nesting has no limit in saphyr: ours applies.
        let err = fail(&"- ".repeat(100_000));
        assert!(err.contains(&format!("nesting deeper than {MAX_DEPTH}")), "{err}");
        let err = fail(&(0..300).map(|i| format!("{}k:\n", "  ".repeat(i))).collect::<String>());
        assert!(err.starts_with(&format!("t.yaml:{}:", MAX_DEPTH + 1)), "{err}");
        assert!(err.contains("nesting deeper than"), "{err}");
    }

    #[test]
    fn aliases_cannot_smuggle_depth_past_the_limit() {
        let deep = |n: usize| format!("{}x{}", "[".repeat(n), "]".repeat(n));
        let text = format!("a: &a {}\nb: [[[[[[[[[[*a]]]]]]]]]]\n", deep(MAX_DEPTH - 5));
        assert!(fail(&text).contains("nesting deeper than"));
    }

    #[test]
    fn collection_keys_are_refused() {
        assert!(fail("? [a, b]\n: c\n").contains("key must be a scalar"));
    }
}
