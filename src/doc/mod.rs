//! Spanned documents: YAML 1.2 and JSON parsed into one tree in which every node keeps its
//! place (byte range, line, column). Format engines navigate this tree directly.
//!
//! - `yaml.rs`: saphyr-parser events → [`Node`], with limits on nesting depth and alias expansion.
//! - `json.rs`: jsonc-parser (strict JSON) → [`Node`].
//! - `refs.rs`: [`Workspace`], the documents of one revision with their `$ref`s resolved.

mod json;
pub mod refs;
mod yaml;

pub use refs::{RefPolicy, Workspace};

use crate::change::Loc;
use crate::error::Result;
use indexmap::IndexMap;

/// Deepest nesting accepted in any document. Real contracts stay far below; the limit keeps
/// recursive code (parsing, diffing) off the end of the stack.
pub const MAX_DEPTH: usize = 256;

/// Most nodes that alias expansion may produce in one YAML document, so that a
/// "billion laughs" alias bomb fails fast instead of exhausting memory.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Most bytes (texts and nodes) that alias expansion may produce in one YAML document: a few
/// aliases of a long string are few nodes but many bytes.
pub const MAX_ALIAS_BYTES: usize = 64 << 20;

/// Numbers must be finite: JSON has no NaN or infinity, and a bound of `.nan` compares with
/// nothing, so a change to it would silently go unseen. The error points at the number.
pub(crate) fn require_finite(path: &str, text: &str, span: Span, number: Number) -> Result<Number> {
    if number.as_f64().is_finite() {
        return Ok(number);
    }
    let written = text.get(span.start..span.end).unwrap_or("this number");
    Err(crate::error::Error::input_at(
        path,
        text,
        span.start,
        span.line,
        span.column,
        format!("`{written}` is not a finite number"),
        Some("JSON has no NaN or infinity, so contracts cannot use them: write a finite number, or leave the keyword out".into()),
    ))
}

/// Where a node stands in its file. `line` and `column` are 1-based; `column` counts characters.
/// `start..end` are byte offsets into the document's text (miette wants bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number as written, compared by value (`1` equals `1.0`).
    Number(Number),
    String(String),
    Seq(Vec<Node>),
    Map(IndexMap<String, Entry>),
}

#[derive(Debug, Clone, Copy)]
pub enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a == b,
            _ => self.as_f64() == other.as_f64(),
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A map entry: the key's own span (where a finding about the key points) and the value.
#[derive(Debug, Clone)]
pub struct Entry {
    pub key_span: Span,
    pub value: Node,
}

/// Entries compare by value only, like nodes: spans never make two documents differ.
impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

/// Nodes compare by value only: the same content at other places is equal.
impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Node {
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(m) => m.get(key).map(|e| &e.value),
            _ => None,
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            Value::Map(m) => m.get(key),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&IndexMap<String, Entry>> {
        match &self.value {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match &self.value {
            Value::Number(n) => Some(n.as_f64()),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The node as plain JSON, for messages and for comparing values such as enums and defaults.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(Number::Int(i)) => J::from(*i),
            Value::Number(Number::Float(f)) => serde_json::Number::from_f64(*f).map(J::Number).unwrap_or(J::Null),
            Value::String(s) => J::String(s.clone()),
            Value::Seq(s) => J::Array(s.iter().map(Node::to_json).collect()),
            Value::Map(m) => J::Object(m.iter().map(|(k, e)| (k.clone(), e.value.to_json())).collect()),
        }
    }
}

/// One parsed file of a revision.
#[derive(Debug)]
pub struct Document {
    /// Path relative to the compared root, with `/` separators.
    pub path: String,
    pub text: String,
    pub root: Node,
}

impl Document {
    /// Parse `bytes` as JSON when the path ends in `.json` or the text starts with `{` or `[`,
    /// otherwise as YAML 1.2. Errors carry file:line:column and a hint.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<Document> {
        let text = decode_text(path, bytes)?;
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        let root = if path.ends_with(".json") {
            json::parse(path, &text)?
        } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
            // Most likely JSON (parsed 5x faster as such), but YAML flow style starts the same way.
            json::parse(path, &text).or_else(|json_error| yaml::parse(path, &text).map_err(|_| json_error))?
        } else {
            yaml::parse(path, &text)?
        };
        Ok(Document { path: path.to_string(), text, root })
    }

    pub fn loc(&self, span: Span) -> Loc {
        Loc { file: self.path.clone(), line: span.line, column: span.column, start: span.start, end: span.end }
    }
}

/// Contracts are text: refuse binary files and invalid UTF-8 with a place and a hint.
fn decode_text(path: &str, bytes: &[u8]) -> Result<String> {
    if let Some(pos) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = line_col_of(bytes, pos);
        return Err(crate::error::Error::input(
            path,
            line,
            column,
            "this is a binary file, not a YAML or JSON contract",
            Some("exclude it from discovery with a narrower glob in contractdiff.toml".into()),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let (line, column) = line_col_of(bytes, e.valid_up_to());
            Err(crate::error::Error::input(
                path,
                line,
                column,
                "the file is not valid UTF-8",
                Some("save the contract as UTF-8 (YAML and JSON require it)".into()),
            ))
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col_of(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map(|p| p + 1).unwrap_or(0);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() as u32 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::Document;

    #[test]
    fn json_looking_yaml_in_flow_style_still_parses() {
        let flow = Document::parse("api.yaml", b"{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}\n");
        let root = flow.expect("YAML flow style is valid YAML").root;
        assert_eq!(root.get("openapi").and_then(|n| n.as_str()), Some("3.0.3"));
        assert_eq!(root.get("info").and_then(|i| i.get("title")).and_then(|n| n.as_str()), Some("t"));
        let json = Document::parse("api.yaml", br#"{"openapi": "3.0.3", "paths": {}}"#).unwrap().root;
        assert_eq!(json.get("openapi").and_then(|n| n.as_str()), Some("3.0.3"));
        // Broken JSON in a .json file is reported as JSON, with its place.
        let error = Document::parse("api.json", b"{\"openapi\": }").unwrap_err().to_string();
        assert!(error.starts_with("api.json:1:"), "{error}");
    }
}
