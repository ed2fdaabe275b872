//! The schema walk's limits (src/formats/jsonschema/limits.rs): a comparison that stops early
//! says so with `contract.comparison-incomplete`, which blocks at every `--fail-on` level, and
//! trials (which `anyOf` branch fits) are memoised so that they cannot eat the walk's budget.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

mod common;

use common::Repo;

const INCOMPLETE: &str = "contract.comparison-incomplete";

fn contractdiff() -> Command {
    let mut cmd = Command::cargo_bin("contractdiff").unwrap();
    cmd.env("NO_COLOR", "1").env("CONTRACTDIFF_TODAY", "2026-06-01");
    cmd
}

const HEADER: &str = "openapi: 3.0.3\ninfo: {title: limits, version: VERSION}\n";

/// A spec whose one operation posts a body of schema `schema` (a component, written by the
/// caller after this text, which ends inside `components.schemas`), 13 lines long.
fn posting(schema: &str, version: &str) -> String {
    let mut text = HEADER.replace("VERSION", version);
    text.push_str(concat!(
        "paths:\n  /pets:\n    post:\n      requestBody:\n        content:\n          application/json:\n",
        "            schema: {$ref: '#/components/schemas/SCHEMA'}\n      responses:\n",
        "        '204': {description: done}\ncomponents:\n  schemas:\n",
    ));
    text.replace("SCHEMA", schema)
}

/// A request body reached through `$ref`s `L0` → `L1` → … → `L{levels-1}`, one schema level per
/// ref, the last holding `id` of type `id_type`. `L{k}` is on line 14 + k.
fn chain(levels: usize, id_type: &str, version: &str) -> String {
    let mut text = posting("L0", version);
    for k in 0..levels - 1 {
        text.push_str(&format!(
            "    L{k}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/L{}'}}}}}}\n",
            k + 1
        ));
    }
    text.push_str(&format!("    L{}: {{type: object, properties: {{id: {{type: {id_type}}}}}}}\n", levels - 1));
    text
}

/// Eight nested 4-branch `anyOf`s (3.4 KB): base `L{k}` is an object whose `v` is `L{k+1}`; head
/// wraps each level into an `anyOf` of four variants of it, all holding `L{k+1}`. At the bottom,
/// `L8.id` changes from integer to string, which the server's old clients still send.
fn nested_any_of(head: bool) -> String {
    let mut text = posting("L0", "1.0.0");
    for k in 0..8 {
        let next = format!("{{$ref: '#/components/schemas/L{}'}}", k + 1);
        if head {
            text.push_str(&format!("    L{k}:\n      anyOf:\n"));
            text.push_str(&format!("      - {{type: object, properties: {{v: {next}}}}}\n"));
            text.push_str(&format!("      - {{type: object, properties: {{v: {next}}}, required: [v]}}\n"));
            text.push_str(&format!("      - {{type: object, properties: {{v: {next}, note: {{type: string}}}}}}\n"));
            text.push_str(&format!(
                "      - {{type: object, properties: {{v: {next}}}, additionalProperties: false}}\n"
            ));
        } else {
            text.push_str(&format!("    L{k}: {{type: object, properties: {{v: {next}}}}}\n"));
        }
    }
    text.push_str(&format!(
        "    L8: {{type: object, properties: {{id: {{type: {}}}}}}}\n",
        if head { "string" } else { "integer" }
    ));
    text
}

struct Run {
    code: Option<i32>,
    stdout: Vec<u8>,
    report: Value,
}

impl Run {
    fn changes(&self) -> Vec<&Value> {
        self.report["contracts"].as_array().unwrap().iter().flat_map(|c| c["changes"].as_array().unwrap()).collect()
    }

    fn of_rule(&self, rule: &str) -> Vec<&Value> {
        self.changes().into_iter().filter(|c| c["rule"] == rule).collect()
    }
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = contractdiff().args(args).args(["--format", "json"]).current_dir(dir).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stderr}"));
    Run { code: out.status.code(), stdout: out.stdout, report }
}

/// `contractdiff diff base.* head.* [extra]` over two texts.
fn diff(base: &str, head: &str, ext: &str, extra: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (b, h) = (format!("base.{ext}"), format!("head.{ext}"));
    std::fs::write(dir.path().join(&b), base).unwrap();
    std::fs::write(dir.path().join(&h), head).unwrap();
    let mut args = vec!["diff", b.as_str(), h.as_str()];
    args.extend_from_slice(extra);
    run_in(dir.path(), &args)
}

fn line(loc: &Value) -> u64 {
    loc["line"].as_u64().unwrap()
}

#[test]
fn type_change_behind_130_refs_is_reported_as_incomplete_and_blocks() {
    let run = diff(&chain(130, "integer", "1.0.0"), &chain(130, "string", "1.0.0"), "yaml", &[]);
    assert_eq!(run.code, Some(1), "{}", run.report);
    assert_eq!(run.report["verdict"], "fail");
    let changes = run.changes();
    assert_eq!(changes.len(), 1, "only the stop: the type change lies past it: {changes:?}");
    let stop = changes[0];
    assert_eq!(stop["rule"], INCOMPLETE);
    assert_eq!(stop["class"], "risky");
    assert_eq!(stop["blocking"], true);
    assert_eq!(stop["allowed_by"], Value::Null);
    let message = stop["message"].as_str().unwrap();
    assert!(message.starts_with("not compared past here") && message.contains("nesting limit"), "{message}");
    // It stopped at L128 on both sides: 128 levels were compared.
    let path = format!("${}", ".next".repeat(128));
    assert_eq!(stop["locus"], format!("POST /pets request application/json {path}"));
    assert_eq!((line(&stop["base"]), line(&stop["head"])), (14 + 128, 14 + 128));
    assert_eq!(run.report["summary"]["risky"], 1);
    assert_eq!(run.report["summary"]["blocking"], 1);
}

/// The limit is exact: `id` of the last level is compared at nesting 127 with 127 levels, and
/// would be at 128 with 128.
#[test]
fn the_nesting_limit_falls_between_127_and_128_levels() {
    let within = diff(&chain(127, "integer", "1.0.0"), &chain(127, "string", "1.0.0"), "yaml", &[]);
    let rules: Vec<&Value> = within.changes().iter().map(|c| &c["rule"]).collect();
    assert_eq!(rules, ["openapi.request.type-changed"], "{}", within.report);
    let past = diff(&chain(128, "integer", "1.0.0"), &chain(128, "string", "1.0.0"), "yaml", &[]);
    let rules: Vec<&Value> = past.changes().iter().map(|c| &c["rule"]).collect();
    assert_eq!(rules, [INCOMPLETE], "{}", past.report);
}

/// Unchanged deep chains are known equal without walking them: no limit, no finding.
#[test]
fn an_unchanged_chain_past_the_limit_passes_without_findings() {
    let text = chain(300, "integer", "1.0.0");
    let run = diff(&text, &text, "yaml", &[]);
    assert_eq!(run.code, Some(0), "{}", run.report);
    assert!(run.changes().is_empty(), "{}", run.report);
}

/// Before the trials were memoised, they shared the walk's 50,000 steps: the walk of the pair
/// (base L0, head L0.anyOf[0]) ran the trials below it 4^7 times over, and the budget ran out in
/// there (in the trial of base L1 against head L1.anyOf[3]). Every trial after that returned at
/// once with no finding, so head L0.anyOf[1], never compared, scored best and was picked: the run
/// reported only `wrapped-in-any-of` at `$` and passed (exit 0). Now each pair is tried once.
#[test]
fn eight_nested_any_ofs_report_the_breaking_change_at_the_bottom() {
    let (base, head) = (nested_any_of(false), nested_any_of(true));
    assert!(head.len() < 4_000, "a small file: {} bytes", head.len());
    let run = diff(&base, &head, "yaml", &[]);
    assert_eq!(run.code, Some(1), "{}", run.report);
    assert!(run.of_rule(INCOMPLETE).is_empty(), "the budget was enough: {}", run.report);
    let changed = run.of_rule("openapi.request.type-changed");
    assert_eq!(changed.len(), 1, "{}", run.report);
    // Through the best-fitting branch at every level (the plain one: it adds no other finding).
    let path = format!("${}.id", ".anyOf[0].v".repeat(8));
    assert_eq!(changed[0]["locus"], format!("POST /pets request application/json {path}"));
    assert_eq!(changed[0]["blocking"], true);
    assert_eq!(run.of_rule("openapi.request.wrapped-in-any-of").len(), 8, "one per level: {}", run.report);
}

#[test]
fn findings_are_byte_identical_across_runs() {
    let cases = [
        (chain(130, "integer", "1.0.0"), chain(130, "string", "1.0.0")),
        (nested_any_of(false), nested_any_of(true)),
        (many_properties(STEPS_PLUS), many_properties_changed(STEPS_PLUS)),
    ];
    for (base, head) in cases {
        let (first, second) = (diff(&base, &head, "yaml", &[]), diff(&base, &head, "yaml", &[]));
        assert!(first.code == Some(1) && second.code == Some(1), "{}", first.report);
        assert!(first.stdout == second.stdout, "runs differ:\n{}\n---\n{}", first.report, second.report);
    }
}

/// A major bump allows breaking changes, and `--fail-on breaking` lets risky ones pass; neither
/// lets an unfinished comparison pass. In git mode, as CI runs it.
#[test]
fn an_incomplete_comparison_blocks_under_fail_on_breaking_and_a_major_bump() {
    let repo = Repo::new();
    repo.write("api/openapi.yaml", &chain(130, "integer", "1.0.0"));
    repo.commit("base");
    repo.write("api/openapi.yaml", &chain(130, "string", "2.0.0"));
    repo.commit("head");
    for fail_on in ["breaking", "risky"] {
        let run = run_in(repo.path(), &["HEAD~1..HEAD", "--fail-on", fail_on]);
        assert_eq!(run.code, Some(1), "--fail-on {fail_on}: {}", run.report);
        assert_eq!(run.report["contracts"][0]["bump"], "major");
        let stops = run.of_rule(INCOMPLETE);
        assert_eq!(stops.len(), 1, "{}", run.report);
        assert_eq!((&stops[0]["blocking"], &stops[0]["allowed_by"]), (&Value::Bool(true), &Value::Null));
        assert_eq!(run.report["summary"]["breaking"], 0);
        assert_eq!(run.report["summary"]["blocking"], 1);
    }
}

#[test]
fn a_waiver_accepts_an_incomplete_comparison() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("contractdiff.toml");
    let waiver = |expires: &str| {
        format!("[[accept]]\nrule = \"{INCOMPLETE}\"\nreason = \"the chain was checked by hand\"\nexpires = \"{expires}\"\n")
    };
    for (expires, code, allowed_by) in [("2026-12-31", 0, Value::from("waiver")), ("2026-05-31", 1, Value::Null)] {
        std::fs::write(&config, waiver(expires)).unwrap();
        let config = config.to_str().unwrap();
        let run = diff(&chain(130, "integer", "1.0.0"), &chain(130, "string", "1.0.0"), "yaml", &["--config", config]);
        assert_eq!(run.code, Some(code), "waiver expiring {expires}: {}", run.report);
        assert_eq!(run.of_rule(INCOMPLETE)[0]["allowed_by"], allowed_by);
    }
}

/// More schema pairs than the walk of one use site may compare (each property is one).
const STEPS_PLUS: usize = 50_001;

/// One object with `n` integer properties `p0`…, as request body and as response: two use sites.
fn many_properties(n: usize) -> String {
    many(n, "integer")
}

/// The same with the last property's type changed: past the step limit at both use sites.
fn many_properties_changed(n: usize) -> String {
    many(n, "string")
}

fn many(n: usize, last: &str) -> String {
    let mut props: Vec<String> = (0..n - 1).map(|i| format!("p{i}: {{type: integer}}")).collect();
    props.push(format!("p{}: {{type: {last}}}", n - 1));
    let mut text = HEADER.replace("VERSION", "1.0.0");
    text.push_str(concat!(
        "paths:\n  /pets:\n    post:\n      requestBody:\n        content:\n          application/json:\n",
        "            schema: {$ref: '#/components/schemas/Big'}\n      responses:\n        '200':\n",
        "          description: done\n          content:\n            application/json:\n",
        "              schema: {$ref: '#/components/schemas/Big'}\ncomponents:\n  schemas:\n",
    ));
    text.push_str(&format!("    Big: {{type: object, properties: {{{}}}}}\n", props.join(", ")));
    text
}

#[test]
fn the_step_limit_is_reported_once_per_use_site() {
    let run = diff(&many_properties(STEPS_PLUS), &many_properties_changed(STEPS_PLUS), "yaml", &[]);
    assert_eq!(run.code, Some(1), "{}", run.report);
    let stops = run.of_rule(INCOMPLETE);
    let loci: Vec<&str> = stops.iter().map(|s| s["locus"].as_str().unwrap()).collect();
    // The body itself is the first of the 50,000 pairs, so the walk stopped at p49999, before the
    // changed p50000; the rest of the exhausted budget adds nothing.
    let last = format!("$.p{}", STEPS_PLUS - 2);
    assert_eq!(
        loci,
        [format!("POST /pets request application/json {last}"), format!("POST /pets 200 application/json {last}")]
    );
    assert!(stops.iter().all(|s| s["message"].as_str().unwrap().contains("step limit")), "{stops:?}");
    assert!(run.of_rule("openapi.request.type-changed").is_empty());
}

/// A response whose base offered two large alternatives: trying both against head exhausts the
/// trials' budget (the walk's own is not touched: reporting the chosen one fits in it). The
/// choice itself may then be wrong, so the stop is reported.
#[test]
fn the_trial_limit_is_reported_and_spares_the_walks_budget() {
    let n = 30_000;
    let object = |name: &str, last: &str| {
        let mut props: Vec<String> = (0..n - 1).map(|i| format!("p{i}: {{type: integer}}")).collect();
        props.push(format!("p{}: {{type: {last}}}", n - 1));
        format!("    {name}: {{type: object, properties: {{{}}}}}\n", props.join(", "))
    };
    let spec = |schema: &str, components: &str| {
        let mut text = HEADER.replace("VERSION", "1.0.0");
        text.push_str("paths:\n  /pets:\n    get:\n      responses:\n        '200':\n          description: done\n");
        text.push_str("          content:\n            application/json:\n");
        text.push_str(&format!("              schema: {schema}\ncomponents:\n  schemas:\n{components}"));
        text
    };
    let any_of = "{anyOf: [{$ref: '#/components/schemas/A'}, {$ref: '#/components/schemas/B'}]}";
    let base = spec(any_of, &(object("A", "integer") + &object("B", "boolean")));
    let head = spec("{$ref: '#/components/schemas/H'}", &object("H", "string"));
    let run = diff(&base, &head, "yaml", &[]);
    assert_eq!(run.code, Some(1), "{}", run.report);
    let stops = run.of_rule(INCOMPLETE);
    assert_eq!(stops.len(), 1, "{}", run.report);
    // The trial of A (30,001 pairs) fit; the trial of B ran out of budget.
    let locus = stops[0]["locus"].as_str().unwrap();
    assert!(locus.starts_with("GET /pets 200 application/json $.anyOf[1].p"), "{locus}");
    assert!(stops[0]["message"].as_str().unwrap().contains("trial limit"), "{}", stops[0]);
}

/// A `$ref` that only names another `$ref`, 100 times over, still reaches the schema (ref
/// following used to give up after 64 hops and compare the `$ref` itself: nothing).
#[test]
fn a_long_ref_only_chain_is_followed_to_the_change() {
    let spec = |id_type: &str| {
        let mut text = posting("R0", "1.0.0");
        for k in 0..100 {
            text.push_str(&format!("    R{k}: {{$ref: '#/components/schemas/R{}'}}\n", k + 1));
        }
        text.push_str(&format!("    R100: {{type: {id_type}}}\n"));
        text
    };
    let run = diff(&spec("integer"), &spec("string"), "yaml", &[]);
    let rules: Vec<&Value> = run.changes().iter().map(|c| &c["rule"]).collect();
    assert_eq!(rules, ["openapi.request.type-changed"], "{}", run.report);
    assert_eq!(run.code, Some(1));
}
