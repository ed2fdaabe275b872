//! The Avro conformance corpus (`../shared/corpus/avro/cases.jsonl`: reader/writer pairs from
//! Apache Avro's Python, Ruby and Java suites, the Rust crate's and the specification's), run
//! through the library as the conformance tool runs the binary: base is the writer, head the
//! reader, `backward`. Every verdict must agree. Skipped, and said so, when the corpus is absent.

use contractdiff::formats::avro::Compat;
use contractdiff::rules::Class;
use contractdiff::run::{run_paths, Options};
use jiff::civil::Date;
use std::path::Path;

#[test]
fn every_corpus_verdict_agrees() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/avro");
    let Ok(cases) = std::fs::read_to_string(corpus.join("cases.jsonl")) else {
        println!("skipped: no Avro corpus at {}", corpus.display());
        return;
    };
    let options = Options { avro_compat: Some(Compat::Backward), ..Options::new(Date::constant(2026, 1, 1)) };
    let (mut agree, mut total, mut misses) = (0, 0, Vec::new());
    for line in cases.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let case: serde_json::Value = serde_json::from_str(line).expect("cases.jsonl holds JSON lines");
        let Some(expected) = case["expect"]["breaking"].as_bool() else { continue };
        let id = case["id"].as_str().unwrap_or("?");
        total += 1;
        let path = |key: &str| corpus.join(case[key].as_str().unwrap_or_default());
        match run_paths(&path("base"), &path("head"), &options) {
            Ok(outcome) if outcome.report.errors.is_empty() => {
                let changes: Vec<_> = outcome.report.contracts.iter().flat_map(|c| &c.changes).collect();
                let breaking = changes.iter().any(|c| c.class == Class::Breaking);
                if breaking == expected {
                    agree += 1;
                } else {
                    let rules: Vec<&str> = changes.iter().map(|c| c.rule.as_str()).collect();
                    misses.push(format!("{id}: expected breaking={expected}, got {breaking} {rules:?}"));
                }
            }
            Ok(outcome) => misses.push(format!("{id}: error {:?}", outcome.report.errors[0].message)),
            Err(error) => misses.push(format!("{id}: error {error}")),
        }
    }
    println!("avro conformance: {agree}/{total} verdicts agree");
    assert!(total > 0, "the corpus has no cases with a verdict");
    assert!(misses.is_empty(), "{agree}/{total} agree; misses:\n{}", misses.join("\n"));
}
