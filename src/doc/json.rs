//! Strict JSON into a [`Node`] tree through jsonc-parser, with every JSON5/JSONC leniency off.
//!
//! jsonc-parser recurses per nesting level, so the text is pre-scanned for bracket depth and
//! refused past [`MAX_DEPTH`] before it is parsed; the conversion below recurses no deeper.

use super::{Entry, Node, Number, Span, Value, MAX_DEPTH};
use crate::error::{Error, Result};
use indexmap::IndexMap;
use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::common::Ranged;
use jsonc_parser::{parse_to_ast, CollectOptions, CommentCollectionStrategy, ParseOptions};

const SYNTAX_HINT: &str = "JSON contracts must be strict JSON: double-quoted keys, no comments, no trailing commas";

pub(super) fn parse(path: &str, text: &str) -> Result<Node> {
    // Parse after a byte-order mark but keep offsets relative to the whole text.
    let body_start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let body = &text[body_start..];
    let mut places = Places::new(text);
    check_depth(path, text, body_start, &mut places)?;

    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions { comments: CommentCollectionStrategy::Off, tokens: false };
    let parsed = match parse_to_ast(body, &collect, &strict) {
        Ok(parsed) => parsed,
        Err(e) => {
            let offset = body_start + e.range().start;
            let message = format!("invalid JSON: {}", e.kind());
            return Err(error_at(path, text, &mut places, offset, message, SYNTAX_HINT));
        }
    };
    let Some(value) = parsed.value else {
        return Err(error_at(path, text, &mut places, 0, "empty document", "a contract file needs a JSON object"));
    };
    let mut converter = Converter { path, text, offset: body_start, places };
    converter.node(&value)
}

struct Converter<'t> {
    path: &'t str,
    text: &'t str,
    /// Where the parsed body starts in `text` (after a byte-order mark).
    offset: usize,
    places: Places<'t>,
}

impl Converter<'_> {
    fn span(&mut self, range: jsonc_parser::common::Range) -> Span {
        let (start, end) = (self.offset + range.start, self.offset + range.end);
        let (line, column) = self.places.line_col(start);
        Span { start, end, line, column }
    }

    /// Recursion is bounded by the depth pre-scan.
    fn node(&mut self, ast: &Ast<'_>) -> Result<Node> {
        let span = self.span(ast.range());
        let value = match ast {
            Ast::NullKeyword(_) => Value::Null,
            Ast::BooleanLit(b) => Value::Bool(b.value),
            Ast::NumberLit(n) => {
                Value::Number(super::require_finite(self.path, self.text, span, parse_number(n.value))?)
            }
            Ast::StringLit(s) => Value::String(s.value.to_string()),
            Ast::Array(array) => {
                let mut items = Vec::with_capacity(array.elements.len());
                for element in &array.elements {
                    items.push(self.node(element)?);
                }
                Value::Seq(items)
            }
            Ast::Object(object) => {
                let mut entries = IndexMap::with_capacity(object.properties.len());
                for prop in &object.properties {
                    let (key, key_range) = match &prop.name {
                        ObjectPropName::String(s) => (s.value.to_string(), s.range),
                        ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                    };
                    let key_span = self.span(key_range);
                    if entries.contains_key(&key) {
                        return Err(Error::input_at(
                            self.path,
                            self.text,
                            key_span.start,
                            key_span.line,
                            key_span.column,
                            format!("duplicate key `{key}` in this object"),
                            Some("an object must not repeat a key: remove or rename one of them".into()),
                        ));
                    }
                    let value = self.node(&prop.value)?;
                    entries.insert(key, Entry { key_span, value });
                }
                Value::Map(entries)
            }
        };
        Ok(Node { value, span })
    }
}

/// Integers stay exact while they fit an `i64`; anything else is a float.
fn parse_number(raw: &str) -> Number {
    let is_integer = !raw.contains(['.', 'e', 'E']);
    if is_integer {
        if let Ok(i) = raw.parse::<i64>() {
            return Number::Int(i);
        }
    }
    // Strict JSON number syntax always parses as f64 (huge values become infinity).
    Number::Float(raw.parse::<f64>().unwrap_or(f64::NAN))
}

/// Refuse nesting past [`MAX_DEPTH`] at the first bracket too many, counting only brackets
/// outside strings. Unbalanced brackets are left for the parser to report.
fn check_depth(path: &str, text: &str, from: usize, places: &mut Places<'_>) -> Result<()> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(error_at(
                        path,
                        text,
                        places,
                        i,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                        "real contracts nest far less; split the structure with `$ref`s",
                    ));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn error_at(
    path: &str,
    text: &str,
    places: &mut Places<'_>,
    offset: usize,
    message: impl Into<String>,
    hint: &str,
) -> Error {
    let (line, column) = places.line_col(offset);
    Error::input_at(path, text, offset, line, column, message, Some(hint.to_string()))
}

/// Byte offsets to 1-based line and character column. Line starts are found once; the column
/// count resumes from the previous answer when it is on the same line further right, since the
/// converter asks in document order (a minified file is one long line).
struct Places<'t> {
    text: &'t str,
    ascii: bool,
    line_starts: Vec<usize>,
    /// The last answer: byte offset, its line index, and its 0-based character column.
    last: (usize, usize, usize),
}

impl<'t> Places<'t> {
    fn new(text: &'t str) -> Self {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Places { text, ascii: text.is_ascii(), line_starts, last: (0, 0, 0) }
    }

    fn line_col(&mut self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let line_start = self.line_starts[line];
        let column = if self.ascii {
            offset - line_start
        } else {
            let (last_offset, last_line, last_column) = self.last;
            let (from, base) =
                if last_line == line && last_offset <= offset { (last_offset, last_column) } else { (line_start, 0) };
            base + self.text.get(from..offset).map_or(0, |s| s.chars().count())
        };
        self.last = (offset, line, column);
        (line as u32 + 1, column as u32 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Node {
        parse("t.json", text).expect("valid JSON")
    }

    fn fail(text: &str) -> String {
        match parse("t.json", text) {
            Ok(node) => panic!("expected an error, got {node:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn numbers_beyond_f64_are_refused_at_their_place() {
        let err = fail("{\n  \"maximum\": 1e999\n}");
        assert!(err.starts_with("t.json:2:14: `1e999` is not a finite number"), "{err}");
    }

    #[test]
    fn values_and_numbers() {
        let doc = load(r#"{"n": null, "b": true, "i": -3, "f": 2.5, "e": 1e2, "big": 12345678901234567890, "s": "x"}"#);
        assert!(doc.get("n").unwrap().is_null());
        assert_eq!(doc.get("b").unwrap().as_bool(), Some(true));
        assert!(matches!(doc.get("i").unwrap().value, Value::Number(Number::Int(-3))));
        assert!(matches!(doc.get("f").unwrap().value, Value::Number(Number::Float(f)) if f == 2.5));
        assert!(matches!(doc.get("e").unwrap().value, Value::Number(Number::Float(f)) if f == 100.0));
        assert!(matches!(doc.get("big").unwrap().value, Value::Number(Number::Float(f)) if f > 1.2e19));
        assert_eq!(doc.get("s").unwrap().as_str(), Some("x"));
    }

    #[test]
    fn spans_on_non_ascii_lines() {
        let text = "{\n  \"tïtle\": \"Café\", \"k\": [1, {\"x\": ü}]\n}";
        let err = fail(text);
        assert!(err.starts_with("t.json:2:"), "{err}");
        let text = "{\n  \"tïtle\": \"Café\", \"k\": [1, 2]\n}";
        let doc = load(text);
        let entry = doc.entry("k").unwrap();
        assert_eq!((entry.key_span.line, entry.key_span.column), (2, 20));
        assert_eq!(&text[entry.key_span.start..entry.key_span.end], "\"k\"");
        let value = entry.value.span;
        assert_eq!(&text[value.start..value.end], "[1, 2]");
        assert_eq!((value.line, value.column), (2, 25));
        let second = entry.value.as_seq().unwrap()[1].span;
        assert_eq!((second.line, second.column), (2, 29));
    }

    #[test]
    fn minified_positions_resume_on_one_line() {
        let text = r#"{"ä":"ö","b":{"c":"é","d":1}}"#;
        let doc = load(text);
        let d = doc.get("b").unwrap().entry("d").unwrap();
        assert_eq!(d.key_span.column, 23);
        assert_eq!(&text[d.key_span.start..d.key_span.end], "\"d\"");
    }

    #[test]
    fn byte_order_mark_keeps_offsets_in_the_whole_text() {
        let text = "\u{feff}{\"a\": 1}";
        let a = load(text).get("a").unwrap().span;
        assert_eq!(&text[a.start..a.end], "1");
    }

    #[test]
    fn duplicate_keys_are_refused_at_the_second_key() {
        let err = fail("{\n  \"a\": 1,\n  \"a\": 2\n}");
        assert!(err.starts_with("t.json:3:3: duplicate key `a`"), "{err}");
    }

    #[test]
    fn lenient_syntax_is_refused_with_position() {
        let err = fail("{\n  \"a\": 1,\n}");
        assert!(err.starts_with("t.json:2:9:") && err.contains("Trailing commas"), "{err}");
        assert!(fail("{\"a\": 1 // note\n}").contains("Comments are not allowed"));
        assert!(fail("{a: 1}").starts_with("t.json:1:2:"));
        assert!(fail("{\"a\": 'x'}").contains("invalid JSON"));
        assert!(fail("{\"a\": 0x10}").contains("invalid JSON"));
        assert!(fail("").contains("empty document"));
    }

    #[test]
    fn deep_nesting_fails_before_parsing() {
        let err = fail(&"[".repeat(100_000));
        assert!(err.starts_with(&format!("t.json:1:{}:", MAX_DEPTH + 1)), "{err}");
        assert!(err.contains("nesting deeper than"), "{err}");
        // Brackets inside strings do not count.
        let text = format!("{{\"a\": \"{}\\\"[\"}}", "[".repeat(1000));
        assert!(load(&text).get("a").is_some());
        // Exactly at the limit is fine.
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        load(&ok);
    }

    #[test]
    fn json_and_yaml_of_the_same_document_are_equal() {
        let json = r#"{"openapi": "3.1.0", "paths": {"/p": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "x": [1, 2.5, true, null, "s"]}"#;
        let yaml = "openapi: 3.1.0\npaths:\n  /p:\n    get:\n      responses:\n        200:\n          description: ok\nx: [1, 2.5, true, ~, s]\n";
        let from_yaml = super::super::yaml::parse("t.yaml", yaml).unwrap();
        assert_eq!(load(json), from_yaml);
        let changed = yaml.replace("2.5", "2.6");
        assert_ne!(load(json), super::super::yaml::parse("t.yaml", &changed).unwrap());
    }
}
