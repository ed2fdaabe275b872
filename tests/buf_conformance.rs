//! buf's own breaking-rule tests (`../shared/corpus/buf`, when present): every case runs through
//! the library with its head's buf.yaml, and we measure what `buf breaking` users would see:
//! the verdict, the buf rules found (through the catalogue's `buf:` equivalents), and each of
//! buf's expected annotations matched by a finding of an equivalent rule in the same file (path
//! relative to the module root) and on the same line, one finding per annotation.

use contractdiff::report::Report;
use contractdiff::rules::{Catalogue, Class};
use contractdiff::run::{run_paths, Options};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const MIN_VERDICTS: f64 = 100.0;
const MIN_RULE_RECALL: f64 = 95.0;
const MIN_ANNOTATIONS: f64 = 90.0;

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/buf");
    dir.join("cases.jsonl").is_file().then_some(dir)
}

/// The buf ids a rule of ours answers to.
fn buf_ids(rule: &str) -> BTreeSet<String> {
    let Some(rule) = Catalogue::get().rule(rule) else { return BTreeSet::new() };
    rule.equivalents.iter().filter_map(|e| e.strip_prefix("buf:")).map(str::to_string).collect()
}

/// One finding as buf would place it: the head side when there is one, else the base side,
/// with the path made relative to the module root.
struct Placed {
    buf_ids: BTreeSet<String>,
    file: String,
    line: u32,
}

fn placed(report: &Report) -> Vec<Placed> {
    let mut out = Vec::new();
    for contract in &report.contracts {
        let root = contract.head.as_ref().or(contract.base.as_ref()).map(|s| s.path.as_str()).unwrap_or(".");
        let root = if root == "." || root.ends_with(".proto") { "" } else { root };
        for change in &contract.changes {
            let Some(loc) = change.head.as_ref().or(change.base.as_ref()) else { continue };
            let file = match root {
                "" => loc.file.as_str(),
                root => loc.file.strip_prefix(root).and_then(|f| f.strip_prefix('/')).unwrap_or(&loc.file),
            };
            out.push(Placed { buf_ids: buf_ids(&change.rule), file: file.to_string(), line: loc.line });
        }
    }
    out
}

fn options_for(case: &Value) -> Options {
    let mut options = Options::new(jiff::civil::Date::constant(2026, 1, 1));
    let args: Vec<&str> =
        case["args"].as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    for pair in args.windows(2) {
        if pair[0] == "--protobuf-level" {
            options.protobuf_level = serde_json::from_value(Value::String(pair[1].to_string())).ok();
        }
    }
    options
}

#[test]
fn buf_corpus_conformance() {
    let Some(dir) = corpus() else {
        println!("skipped: ../shared/corpus/buf/cases.jsonl is not present");
        return;
    };
    let text = std::fs::read_to_string(dir.join("cases.jsonl")).unwrap();
    let (mut cases, mut verdicts_agree) = (0usize, 0usize);
    let (mut peer_rules, mut peer_rules_found) = (0usize, 0usize);
    let (mut annotations, mut annotations_matched) = (0usize, 0usize);
    let mut problems = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let case: Value = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let (base, head) = (dir.join(case["base"].as_str().unwrap()), dir.join(case["head"].as_str().unwrap()));
        cases += 1;
        let outcome = match run_paths(&base, &head, &options_for(&case)) {
            Ok(outcome) => outcome,
            Err(e) => {
                problems.push(format!("{id}: error: {e}"));
                continue;
            }
        };
        let report = &outcome.report;
        for error in &report.errors {
            problems.push(format!("{id}: load error: {}", error.message));
        }
        let expect = &case["expect"];
        let breaking = report.contracts.iter().flat_map(|c| &c.changes).any(|c| c.class == Class::Breaking);
        match expect["breaking"].as_bool() {
            Some(expected) if expected == breaking => verdicts_agree += 1,
            Some(expected) => problems.push(format!("{id}: verdict breaking={breaking}, buf says {expected}")),
            None => verdicts_agree += 1,
        }
        let findings = placed(report);
        let fired: BTreeSet<&String> = findings.iter().flat_map(|p| &p.buf_ids).collect();
        for rule in expect["peer_rules"].as_array().into_iter().flatten().filter_map(Value::as_str) {
            peer_rules += 1;
            match rule.strip_prefix("buf:") {
                Some(id) if fired.iter().any(|f| *f == id) => peer_rules_found += 1,
                _ => problems.push(format!("{id}: rule {rule} not found")),
            }
        }
        let mut used = vec![false; findings.len()];
        for ann in expect["annotations"].as_array().into_iter().flatten() {
            annotations += 1;
            let rule = ann["rule"].as_str().unwrap_or("");
            let (file, line) = (ann["file"].as_str(), ann["line"].as_u64().map(|l| l as u32));
            let found = findings.iter().enumerate().position(|(i, p)| {
                !used[i]
                    && p.buf_ids.contains(rule)
                    && file.is_none_or(|f| f == p.file)
                    && line.is_none_or(|l| l == p.line)
            });
            match found {
                Some(i) => {
                    used[i] = true;
                    annotations_matched += 1;
                }
                None => problems.push(format!(
                    "{id}: no finding for {rule} at {}:{}",
                    file.unwrap_or("-"),
                    line.unwrap_or(0)
                )),
            }
        }
    }
    let pct = |a: usize, n: usize| if n == 0 { 100.0 } else { 100.0 * a as f64 / n as f64 };
    let (verdict_pct, recall_pct, annotation_pct) =
        (pct(verdicts_agree, cases), pct(peer_rules_found, peer_rules), pct(annotations_matched, annotations));
    for problem in &problems {
        println!("  {problem}");
    }
    println!(
        "buf conformance: {verdicts_agree}/{cases} verdicts agree ({verdict_pct:.1}%), rule recall {peer_rules_found}/{peer_rules} ({recall_pct:.1}%), annotations matched {annotations_matched}/{annotations} ({annotation_pct:.1}%)"
    );
    assert!(verdict_pct >= MIN_VERDICTS, "verdict agreement {verdict_pct:.1}% is below {MIN_VERDICTS}%");
    assert!(recall_pct >= MIN_RULE_RECALL, "rule recall {recall_pct:.1}% is below {MIN_RULE_RECALL}%");
    assert!(annotation_pct >= MIN_ANNOTATIONS, "annotation match {annotation_pct:.1}% is below {MIN_ANNOTATIONS}%");
}
