//! What kind of contract a file is, from its name and its top-level keys, without parsing it.

use crate::formats::Kind;

/// Folders that hold other people's files or build output, never the project's own contracts.
/// Only sniffing skips them; a config glob can still name files inside.
const SKIPPED_FOLDERS: &[&str] = &[".git", "node_modules", "bower_components", "target", "vendor", ".venv", "venv"];

/// Files bigger than this are not sniffed: no contract is that big, and reading it would be slow.
pub const MAX_SNIFF_BYTES: usize = 64 << 20;

/// Whether `path` lies in a folder that sniffing skips (`node_modules`, `target`, ...).
pub fn in_skipped_folder(path: &str) -> bool {
    path.split('/').any(|folder| SKIPPED_FOLDERS.contains(&folder))
}

/// Whether `path` can be a contract by its extension, and whether its content is needed to tell.
pub fn candidate(path: &str) -> Option<Candidate> {
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    match extension.as_str() {
        "proto" => Some(Candidate::Known(Kind::Protobuf)),
        // Avro schemas, and protocols (whose `types` are compared).
        "avsc" | "avpr" => Some(Candidate::Known(Kind::Avro)),
        "yaml" | "yml" | "json" => Some(Candidate::ByContent),
        _ => None,
    }
}

pub enum Candidate {
    /// The name says it all.
    Known(Kind),
    /// A YAML or JSON file: its top-level keys decide.
    ByContent,
}

/// The kind a YAML or JSON document declares with a top-level `openapi`/`swagger`/`asyncapi`
/// key, or `None`. The whole text is scanned (cheaply) because keys may come in any order:
/// Stripe's spec puts `openapi` after megabytes of `components`.
pub fn kind_of_document(bytes: &[u8]) -> Option<Kind> {
    if bytes.len() > MAX_SNIFF_BYTES {
        return None;
    }
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = text.iter().position(|b| !b.is_ascii_whitespace()).map(|i| text[i]);
    if first == Some(b'{') {
        json_top_level_keys(text).find_map(kind_of_key)
    } else {
        yaml_top_level_keys(text).find_map(kind_of_key)
    }
}

fn kind_of_key(key: &[u8]) -> Option<Kind> {
    match key {
        b"openapi" | b"swagger" => Some(Kind::Openapi),
        b"asyncapi" => Some(Kind::Asyncapi),
        _ => None,
    }
}

/// Keys at column 0 of block YAML (`openapi:`, `"openapi" :`, `'openapi':`): the top level.
fn yaml_top_level_keys(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| b == b'\n').filter_map(|line| {
        let (key, rest) = match line.first()? {
            quote @ (b'"' | b'\'') => {
                let end = line[1..].iter().position(|b| b == quote)? + 1;
                (&line[1..end], &line[end + 1..])
            }
            b if b.is_ascii_alphabetic() => {
                let end = line.iter().position(|&b| b == b':' || b == b' ' || b == b'\t')?;
                (&line[..end], &line[end..])
            }
            _ => return None,
        };
        let rest = rest.trim_ascii_start();
        let is_mapping_key = rest.first() == Some(&b':') && rest.get(1).is_none_or(|b| b.is_ascii_whitespace());
        is_mapping_key.then_some(key)
    })
}

/// Keys of the outermost JSON object, found by a scan that tracks nesting and strings only.
fn json_top_level_keys(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut depth = 0usize;
    let mut i = 0usize;
    std::iter::from_fn(move || {
        while i < text.len() {
            match text[i] {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => depth = depth.saturating_sub(1),
                b'"' => {
                    let start = i + 1;
                    let end = string_end(text, start)?;
                    i = end + 1;
                    let after = text[i..].iter().position(|b| !b.is_ascii_whitespace()).map(|k| text[i + k]);
                    if depth == 1 && after == Some(b':') {
                        return Some(&text[start..end]);
                    }
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        None
    })
}

/// Index of the quote closing the JSON string that starts at `start`, skipping escapes.
fn string_end(text: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_declares_its_kind_at_the_top_level_only() {
        assert_eq!(kind_of_document(b"openapi: 3.1.0\ninfo: {}\n"), Some(Kind::Openapi));
        assert_eq!(kind_of_document(b"# c\n---\nswagger: '2.0'\n"), Some(Kind::Openapi));
        assert_eq!(kind_of_document(b"\"asyncapi\" : 3.0.0\n"), Some(Kind::Asyncapi));
        assert_eq!(kind_of_document(b"components:\n  openapi: x\nopenapi: 3.0.3\n"), Some(Kind::Openapi));
        assert_eq!(kind_of_document(b"info:\n  openapi: 3.0.0\n"), None, "nested key");
        assert_eq!(kind_of_document(b"openapi_version: 3\nopenapiX: 1\n"), None, "other keys");
        assert_eq!(kind_of_document(b"description: |\n openapi: 3\n"), None, "inside a block scalar");
    }

    #[test]
    fn json_declares_its_kind_in_the_outermost_object() {
        assert_eq!(kind_of_document(b"\xEF\xBB\xBF{\"openapi\":\"3.0.0\"}"), Some(Kind::Openapi));
        assert_eq!(
            kind_of_document(b"{\n  \"info\": {\"openapi\": 1},\n  \"asyncapi\" : \"2.6.0\"\n}"),
            Some(Kind::Asyncapi)
        );
        assert_eq!(kind_of_document(b"{\"info\": {\"openapi\": \"3\"}}"), None, "nested key");
        assert_eq!(kind_of_document(b"{\"x\": \"openapi\", \"y\": [\"\\\"openapi\\\":\"]}"), None, "values");
        assert_eq!(kind_of_document(b"{\"name\": \"pkg\"}"), None);
    }

    #[test]
    fn contract_extensions_are_candidates() {
        assert!(matches!(candidate("api/pay.proto"), Some(Candidate::Known(Kind::Protobuf))));
        assert!(matches!(candidate("schemas/User.avsc"), Some(Candidate::Known(Kind::Avro))));
        assert!(matches!(candidate("schemas/Orders.avpr"), Some(Candidate::Known(Kind::Avro))));
        assert!(matches!(candidate("api/openapi.YAML"), Some(Candidate::ByContent)));
        assert!(candidate("README.md").is_none());
        assert!(candidate("Makefile").is_none());
        assert!(candidate("v1.0/notes").is_none());
    }

    #[test]
    fn dependency_and_build_folders_are_skipped() {
        assert!(in_skipped_folder("web/node_modules/x/openapi.yaml"));
        assert!(in_skipped_folder("target/debug/openapi.json"));
        assert!(!in_skipped_folder("api/targets/openapi.yaml"));
    }
}
