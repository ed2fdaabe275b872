//! What every fuzz target shares: two in-memory revisions compared end to end, as
//! `contractdiff diff OLD NEW` would compare two folders. Any error is fine; a panic, a hang or a
//! crash is a bug.

use contractdiff::run::{run_trees, Options};
use contractdiff::source::mem::MemTree;

pub fn compare(base: &[(&str, &[u8])], head: &[(&str, &[u8])]) {
    let tree = |label: &str, files: &[(&str, &[u8])]| {
        MemTree::new(label, files.iter().map(|(path, bytes)| (path.to_string(), bytes.to_vec())))
    };
    let options = Options::new(jiff::civil::Date::constant(2026, 1, 1));
    if let Ok(outcome) = run_trees(&tree("base", base), &tree("head", head), &options) {
        // Rendering is part of the path every input takes.
        let _ = contractdiff::report::json::render(&outcome.report);
        let style = contractdiff::report::human::Style { colour: false, verbose: true };
        let _ = contractdiff::report::human::render(&outcome.report, &outcome.sources, &style);
    }
}

/// A valid file of each kind, for the side a target does not fuzz.
pub const OPENAPI: &[u8] = b"openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\npaths:\n  /p:\n    get:\n      responses:\n        '200': {description: ok}\n";
pub const PROTO: &[u8] = b"syntax = \"proto3\";\npackage acme.v1;\nmessage A { string s = 1; }\n";
pub const AVSC: &[u8] =
    br#"{"type": "record", "name": "R", "namespace": "acme", "fields": [{"name": "a", "type": "string"}]}"#;
