//! The pipeline: sides → discover and pair → load → diff → policy → [`Report`].
//! The CLI only parses arguments and renders what this returns.

use crate::change::{Change, Removal};
use crate::config::Config;
use crate::discover::{self, Pair};
use crate::doc::{Document, RefPolicy, Workspace};
use crate::error::{Error, Result};
use crate::formats::{avro, openapi, protobuf, Compared, Context, Kind};
use crate::policy::{Bump, Policy};
use crate::report::{
    ContractReport, ContractSide, ErrorReport, Report, ReportedChange, Revision, SkippedReport, Sources, Summary,
    Verdict,
};
use crate::rules::Class;
use crate::source::{fs::FsTree, range, Tree};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// What the command line decides about a run.
#[derive(Debug, Clone)]
pub struct Options {
    /// Keep one kind of contract (`--kind`).
    pub kind: Option<Kind>,
    /// `--config PATH`; otherwise `contractdiff.toml` at the head side's root.
    pub config: Option<PathBuf>,
    /// `--fail-on`; otherwise the config's, otherwise breaking.
    pub fail_on: Option<Class>,
    /// `--allow-remote-refs` (remote refs are accepted, never fetched).
    pub allow_remote_refs: bool,
    /// The day waivers and sunset dates are judged against.
    pub today: Date,
    /// `--protobuf-level`; otherwise the config's, otherwise `file`.
    pub protobuf_level: Option<protobuf::Level>,
    /// `--avro-compat`; otherwise the contract's or the config's, otherwise `backward`.
    pub avro_compat: Option<avro::Compat>,
}

impl Options {
    pub fn new(today: Date) -> Self {
        Options {
            kind: None,
            config: None,
            fail_on: None,
            allow_remote_refs: false,
            today,
            protobuf_level: None,
            avro_compat: None,
        }
    }
}

/// A finished run: the report, and the texts the human renderer shows snippets from.
pub struct Outcome {
    pub report: Report,
    pub sources: Sources,
}

impl Outcome {
    /// 2 when a contract could not be loaded, 1 when a change blocks, 0 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self.report.verdict {
            Verdict::Error => 2,
            Verdict::Fail => 1,
            Verdict::Pass => 0,
        }
    }
}

/// `contractdiff [RANGE]`: two git revisions, or a revision and the work tree.
pub fn run_range(range: Option<&str>, cwd: &Path, options: &Options) -> Result<Outcome> {
    let sides = range::open(range, cwd)?;
    run_trees(sides.base.as_ref(), sides.head.as_ref(), options)
}

/// `contractdiff diff OLD NEW`: two files or two folders, without git.
pub fn run_paths(old: &Path, new: &Path, options: &Options) -> Result<Outcome> {
    let (base, head) = (FsTree::open(old)?, FsTree::open(new)?);
    let found = match (base.entry(), head.entry()) {
        (Some(b), Some(h)) => {
            let kind = match options.kind {
                Some(kind) => kind,
                None => sniff_file_kind(&head, h)?,
            };
            if !SUPPORTED.contains(&kind) {
                return Err(Error::usage(
                    format!("{h} is {} contract, which this version cannot diff yet", article(kind)),
                    "OpenAPI 3.0/3.1, Protobuf and Avro are supported so far".to_string(),
                ));
            }
            let file = |path: &str| discover::ContractFile { path: path.to_string(), kind };
            let openapi = match kind {
                Kind::Openapi => vec![Pair { kind, base: Some(b.to_string()), head: Some(h.to_string()) }],
                _ => Vec::new(),
            };
            Found { openapi, base: vec![file(b)], head: vec![file(h)], skipped: Vec::new(), errors: Vec::new() }
        }
        (None, None) => return run_trees(&base, &head, options),
        _ => {
            return Err(Error::usage(
                "OLD and NEW must both be files or both be folders",
                "compare a file with a file, or a folder with a folder".to_string(),
            ))
        }
    };
    let config = load_config(options, None)?;
    Ok(compare(&base, &head, &found, &config, options))
}

/// Two trees of any kind (folders, git revisions, or an embedder's own [`Tree`]), compared as
/// `contractdiff diff` compares two folders: head's `contractdiff.toml` (or `--config`), then
/// discovery, pairing and every engine.
pub fn run_trees(base: &dyn Tree, head: &dyn Tree, options: &Options) -> Result<Outcome> {
    let config = load_config(options, Some(head))?;
    let found = discover_both(base, head, &config, options)?;
    Ok(compare(base, head, &found, &config, options))
}

/// Every change between two files or folders, unjudged: for tests and embedding.
pub fn changes_between(old: &Path, new: &Path) -> Result<Vec<(String, Class)>> {
    let outcome = run_paths(old, new, &Options::new(Date::constant(2000, 1, 1)))?;
    if let Some(error) = outcome.report.errors.first() {
        return Err(Error::input(
            error.file.as_deref().unwrap_or("?"),
            error.line.unwrap_or(0),
            error.column.unwrap_or(0),
            error.message.clone(),
            error.hint.clone(),
        ));
    }
    Ok(outcome.report.contracts.iter().flat_map(|c| c.changes.iter().map(|ch| (ch.rule.clone(), ch.class))).collect())
}

fn load_config(options: &Options, head: Option<&dyn Tree>) -> Result<Config> {
    match (&options.config, head) {
        (Some(path), _) => Config::from_file(path),
        (None, Some(tree)) => Config::load(tree),
        (None, None) => Ok(Config::default()),
    }
}

/// Kinds this build can diff. Others are discovered, skipped, and listed as skipped.
const SUPPORTED: &[Kind] = &[Kind::Openapi, Kind::Protobuf, Kind::Avro];

/// The contracts of both sides: OpenAPI ones paired file by file, the others as found, for
/// their engines to group (a Protobuf module) or resolve across files (Avro named types); and
/// what discovery left out or could not read.
struct Found {
    openapi: Vec<Pair>,
    base: Vec<discover::ContractFile>,
    head: Vec<discover::ContractFile>,
    skipped: Vec<SkippedReport>,
    errors: Vec<Error>,
}

impl Found {
    fn of(&self, kind: Kind) -> (Vec<discover::ContractFile>, Vec<discover::ContractFile>) {
        let keep = |files: &[discover::ContractFile]| files.iter().filter(|f| f.kind == kind).cloned().collect();
        (keep(&self.base), keep(&self.head))
    }
}

fn discover_both(base: &dyn Tree, head: &dyn Tree, config: &Config, options: &Options) -> Result<Found> {
    let mut base_found = discover::discover(base, config, options.kind)?;
    let mut head_found = discover::discover(head, config, options.kind)?;
    base_found.adopt_lfs_pointers(&head_found.contracts);
    head_found.adopt_lfs_pointers(&base_found.contracts);
    for (index, spec) in config.contracts.iter().enumerate() {
        let matched = |found: &discover::Discovered| found.spec_matched.get(index).copied().unwrap_or(true);
        if !matched(&base_found) && !matched(&head_found) {
            return Err(Error::config(
                format!(
                    "[[contracts]] entry {} (path = \"{}\") matches no file in {} or {}",
                    index + 1,
                    crate::text::escape_controls(&spec.path),
                    base.label(),
                    head.label()
                ),
                "a glob that matches nothing would turn the check off: fix the pattern (relative to the root; `*` stays \
                 within a folder, `**` crosses folders) or remove the entry"
                    .to_string(),
            ));
        }
    }
    let mut skipped = Vec::new();
    for (side, found) in [("base", &mut base_found), ("head", &mut head_found)] {
        let unsupported = |f: &discover::ContractFile| !SUPPORTED.contains(&f.kind);
        for file in found.contracts.iter().filter(|f| unsupported(f)) {
            let reason = format!("{} contracts are not compared yet", file.kind.as_str());
            skipped.push(SkippedReport { side, path: file.path.clone(), reason });
        }
        found.contracts.retain(|f| !unsupported(f));
        skipped.extend(found.skipped.drain(..).map(|s| SkippedReport { side, path: s.path, reason: s.reason }));
    }
    let mut errors = std::mem::take(&mut base_found.errors);
    errors.append(&mut head_found.errors);
    let mut found =
        Found { openapi: Vec::new(), base: base_found.contracts, head: head_found.contracts, skipped, errors };
    let (base_openapi, head_openapi) = found.of(Kind::Openapi);
    found.openapi = discover::pair(base, &base_openapi, head, &head_openapi)?;
    Ok(found)
}

fn article(kind: Kind) -> String {
    match kind {
        Kind::Asyncapi | Kind::Avro => format!("an {}", kind.as_str()),
        _ => format!("a {}", kind.as_str()),
    }
}

/// The kind of a single file named on the command line, from its top-level keys.
fn sniff_file_kind(tree: &dyn Tree, path: &str) -> Result<Kind> {
    if let Some(kind) = discover::kind_of_name(path) {
        return Ok(kind);
    }
    let bytes = tree.read(path)?.unwrap_or_default();
    if let Some(kind) = discover::kind_of_document(&bytes) {
        return Ok(kind);
    }
    // Not recognisably a contract: a syntax error explains why better than "unknown kind".
    Document::parse(path, &bytes)?;
    Err(Error::input(
        path,
        1,
        1,
        "not a recognised contract: no top-level `openapi` key, and not a `.proto` or `.avsc` file",
        Some("pass --kind openapi|protobuf|avro if this file is one".into()),
    ))
}

fn compare(base: &dyn Tree, head: &dyn Tree, found: &Found, config: &Config, options: &Options) -> Outcome {
    let policy = Policy {
        config: &config.policy,
        waivers: &config.accept,
        fail_on: options.fail_on.or(config.policy.fail_on.map(crate::config::FailOn::class)).unwrap_or(Class::Breaking),
        today: options.today,
    };
    let refs = RefPolicy { allow_remote: options.allow_remote_refs || config.policy.allow_remote_refs };
    let mut sources = Sources::default();
    let mut contracts = Vec::new();
    let mut errors: Vec<ErrorReport> = found.errors.iter().map(error_report).collect();
    let mut compared: Vec<(ContractReport, Vec<Change>)> = Vec::new();
    for pair in &found.openapi {
        match compare_pair(base, head, pair, refs, &mut sources) {
            Ok(result) => compared.push(result),
            Err(error) => errors.push(error_report(&error)),
        }
    }
    let ctx = Context { base, head, config, protobuf_level: options.protobuf_level, avro_compat: options.avro_compat };
    type Engine = fn(&Context, &[discover::ContractFile], &[discover::ContractFile]) -> Vec<Result<Compared>>;
    let engines: [(Kind, Engine); 2] = [(Kind::Protobuf, protobuf::compare), (Kind::Avro, avro::compare)];
    for (kind, engine) in engines {
        let (base_files, head_files) = found.of(kind);
        if base_files.is_empty() && head_files.is_empty() {
            continue;
        }
        for result in engine(&ctx, &base_files, &head_files) {
            match result {
                Ok(one) => {
                    sources.texts.base.extend(one.texts.base);
                    sources.texts.head.extend(one.texts.head);
                    let contract =
                        ContractReport { kind, base: one.base, head: one.head, bump: one.bump, changes: Vec::new() };
                    compared.push((contract, one.changes));
                }
                Err(error) => errors.push(error_report(&error)),
            }
        }
    }
    for (mut contract, changes) in compared {
        contract.changes = policy.judge(changes, contract.bump).into_iter().map(reported).collect();
        contracts.push(contract);
    }
    let mut summary = Summary::default();
    contracts.iter().flat_map(|c| &c.changes).for_each(|c| summary.count(c));
    let mut report = Report {
        version: 1,
        // A contract that could not be checked is no pass.
        verdict: if !errors.is_empty() {
            Verdict::Error
        } else if summary.blocking > 0 {
            Verdict::Fail
        } else {
            Verdict::Pass
        },
        base: Revision { rev: base.label(), commit: base.commit() },
        head: Revision { rev: head.label(), commit: head.commit() },
        contracts,
        errors,
        skipped: found.skipped.clone(),
        notes: Vec::new(),
        summary,
    };
    if report.contracts.is_empty() && report.errors.is_empty() {
        report.notes.push(nothing_found_note(config));
    }
    Outcome { report, sources }
}

/// What to say when neither side holds a contract: a check that compares nothing must not
/// read as a pass of something.
fn nothing_found_note(config: &Config) -> String {
    if config.contracts.is_empty() {
        "no contracts found on either side: no file has a top-level `openapi:`/`swagger:`/`asyncapi:` key or a \
         .proto/.avsc/.avpr name; list yours under [[contracts]] in contractdiff.toml"
            .to_string()
    } else {
        "no contracts found on either side among the files the [[contracts]] globs match".to_string()
    }
}

/// A judged change as the report shows it: the policy's note joins the message.
fn reported(judged: crate::policy::Judged) -> ReportedChange {
    let change = judged.change;
    ReportedChange {
        rule: change.rule,
        class: judged.class,
        message: match judged.note {
            Some(note) => format!("{}: {note}", change.message),
            None => change.message,
        },
        locus: change.locus,
        base: change.base,
        head: change.head,
        allowed_by: judged.allowed_by,
        blocking: judged.blocking,
        removal: change.removal.is_some(),
    }
}

/// Load both sides of one contract (in parallel: they are independent) and diff them.
fn compare_pair(
    base: &dyn Tree,
    head: &dyn Tree,
    pair: &Pair,
    refs: RefPolicy,
    sources: &mut Sources,
) -> Result<(ContractReport, Vec<Change>)> {
    let load =
        |tree: &dyn Tree, path: &Option<String>| path.as_deref().map(|p| Workspace::load(tree, p, refs)).transpose();
    let side = |ws: &Option<Workspace>| {
        ws.as_ref().map(|ws| ContractSide { path: ws.root().path.clone(), version: openapi::version(ws) })
    };
    // Most contracts of a monorepo did not change: when the entry file is the same blob on both
    // sides, load base alone, and if every file its refs reach is the same blob too, stop there.
    let same = |b: &str, h: &str| matches!((base.content_id(b), head.content_id(h)), (Some(x), Some(y)) if x == y);
    let preloaded = match (&pair.base, &pair.head) {
        (Some(b), Some(h)) if same(b, h) => Some(Workspace::load(base, b, refs)?),
        _ => None,
    };
    if let (Some(ws), Some(b), Some(h)) = (&preloaded, &pair.base, &pair.head) {
        let same_folder = b.rsplit_once('/').map(|p| p.0) == h.rsplit_once('/').map(|p| p.0);
        if same_folder && ws.docs().all(|doc| same(&doc.path, &doc.path)) {
            refuse_swagger_2(ws)?;
            let base_side = side(&preloaded);
            let head_side = base_side.clone().map(|s| ContractSide { path: h.clone(), ..s });
            sources.base.extend(preloaded);
            return Ok((contract_report(pair.kind, base_side, head_side), Vec::new()));
        }
    }
    let (base_ws, head_ws) = match preloaded {
        Some(ws) => (Some(ws), load(head, &pair.head)?),
        None => {
            let (base_ws, head_ws) = std::thread::scope(|scope| {
                let base_job = scope.spawn(|| load(base, &pair.base));
                let head_ws = load(head, &pair.head);
                (base_job.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), head_ws)
            });
            (base_ws?, head_ws?)
        }
    };
    for ws in base_ws.iter().chain(&head_ws) {
        refuse_swagger_2(ws)?;
    }
    let contract = contract_report(pair.kind, side(&base_ws), side(&head_ws));
    let changes = match (&base_ws, &head_ws) {
        (Some(b), Some(h)) => openapi::diff(b, h),
        (Some(b), None) => vec![contract_presence("contract.removed", b, "the contract was removed")],
        (None, Some(h)) => vec![contract_presence("contract.added", h, "a new contract was added")],
        (None, None) => Vec::new(),
    };
    // The loaded documents stay with the outcome: the human report shows their lines.
    sources.base.extend(base_ws);
    sources.head.extend(head_ws);
    Ok((contract, changes))
}

/// A contract's entry in the report, before its changes are judged: its sides and the bump
/// between their versions.
fn contract_report(kind: Kind, base: Option<ContractSide>, head: Option<ContractSide>) -> ContractReport {
    fn version(side: &Option<ContractSide>) -> Option<&str> {
        side.as_ref().and_then(|s| s.version.as_deref())
    }
    let bump = Bump::between(version(&base), version(&head));
    ContractReport { kind, base, head, bump, changes: Vec::new() }
}

/// Swagger 2.0 documents would go through the 3.x engine half-compared (`definitions`, body
/// parameters and response schemas are elsewhere in 2.0): refuse them rather than miss breaks.
fn refuse_swagger_2(ws: &Workspace) -> Result<()> {
    let doc = ws.root();
    match doc.root.entry("swagger") {
        Some(entry) if doc.root.get("openapi").is_none() => Err(Error::input_at(
            &doc.path,
            &doc.text,
            entry.key_span.start,
            entry.key_span.line,
            entry.key_span.column,
            "Swagger 2.0 is not supported yet",
            Some(
                "convert it to OpenAPI 3, or list only your OpenAPI 3 files under [[contracts]] in contractdiff.toml"
                    .into(),
            ),
        )),
        _ => Ok(()),
    }
}

fn contract_presence(rule: &str, ws: &Workspace, message: &str) -> Change {
    let doc = ws.root();
    let loc = Some(doc.loc(doc.root.span));
    let change = Change::new(rule, doc.path.clone(), message);
    if rule == "contract.removed" {
        change.at(loc, None).removal(Removal::default())
    } else {
        change.at(None, loc)
    }
}

pub fn error_report(error: &Error) -> ErrorReport {
    match error {
        Error::Input { file, line, column, message, hint, .. } => ErrorReport {
            file: Some(file.clone()),
            line: Some(*line),
            column: Some(*column),
            message: message.clone(),
            hint: hint.clone(),
        },
        other => {
            let hint = miette::Diagnostic::help(other).map(|h| h.to_string());
            ErrorReport { file: None, line: None, column: None, message: other.to_string(), hint }
        }
    }
}
