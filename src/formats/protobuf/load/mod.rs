//! Loading: the `.proto` files of one module at both revisions → compiled descriptors → two
//! [`Module`]s.
//!
//! Only what can differ is compiled. A file is *compared* when its content differs between the
//! sides (blob ids, or bytes outside git), it exists on one side only, or anything in its
//! transitive import closure on either side is such a file. Imports are found by a light scan
//! ([`scan`]) and resolved the way protoc will resolve them (module root, the other roots, then
//! the well-known types), so the closure is the one protoc compiles. Every other file is an
//! `unchanged` stub: its text is the same on both sides and so is everything it can see, so it
//! cannot change meaning.
//!
//! Compared files (with their package mates, so a duplicate definition is still caught) are
//! compiled in process when the module has no editions file: protox-parse ([`parse`]) and our
//! own linker ([`link`]), one side per thread ([`native`]). Otherwise, or when that path meets
//! anything it would have to refuse, protoc ([`protoc`]) compiles them in batches of whole
//! packages, two at a time, each batch's descriptors decoded one file at a time and dropped.
//! Both paths build the same model, locations included (`tests/protobuf_compilers.rs`).

mod convert;
mod descriptor;
mod errors;
mod features;
mod link;
mod locations;
pub mod modules;
mod native;
mod parse;
mod protoc;
mod scan;

use super::model::{Edition, EnumType, File, FileOptions, Module, Syntax};
use crate::error::{Error, Result};
use crate::formats::Texts;
use crate::source::Tree;
use locations::Columns;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use protoc::Failure;
pub use protoc::Protoc;

/// About this many files go to one protoc run: small enough that two runs side by side stay far
/// below 1 GB, large enough that re-reading shared imports costs little.
const BATCH_FILES: usize = 400;
/// protoc runs at once (each is single-threaded).
const MAX_PARALLEL: usize = 2;

/// One module to load: its root, its files at each revision by import path (→ repo path), and the
/// other roots its imports may reach.
#[derive(Debug, Clone, Default)]
pub struct ModuleSpec {
    pub root: String,
    pub base: BTreeMap<String, String>,
    pub head: BTreeMap<String, String>,
    /// Roots searched after the module's own, as buf workspaces allow.
    pub other_roots: Vec<String>,
}

/// Both sides of a module, and the texts of the compared files.
#[derive(Debug)]
pub struct Loaded {
    pub base: Module,
    pub head: Module,
    pub texts: Texts,
    /// `None` when compiled in process, else why protoc compiled the module.
    pub protoc_because: Option<String>,
}

/// Files read from the revisions, shared across modules (and across sides by blob id).
#[derive(Default)]
pub struct Cache {
    by_blob: HashMap<String, Arc<Parsed>>,
}

struct Parsed {
    text: Arc<str>,
    header: scan::Header,
}

/// A file of one side as the module sees it.
#[derive(Clone)]
struct Source {
    repo_path: String,
    id: Option<String>,
    parsed: Arc<Parsed>,
}

/// One revision's files, by the path they are materialised at (the repo path, except the entry
/// of single-file mode, which takes head's name).
struct Side<'a> {
    tree: &'a dyn Tree,
    /// Materialised path → repo path, where they differ.
    renamed: HashMap<String, String>,
    sources: HashMap<String, Option<Source>>,
}

impl<'a> Side<'a> {
    fn new(tree: &'a dyn Tree, renamed: HashMap<String, String>) -> Self {
        Side { tree, renamed, sources: HashMap::new() }
    }

    fn get(&mut self, path: &str, cache: &mut Cache) -> Result<Option<Source>> {
        if let Some(found) = self.sources.get(path) {
            return Ok(found.clone());
        }
        let repo_path = self.renamed.get(path).cloned().unwrap_or_else(|| path.to_string());
        let id = self.tree.content_id(&repo_path);
        let parsed = match id.as_ref().and_then(|id| cache.by_blob.get(id)) {
            Some(parsed) => Some(parsed.clone()),
            None => match crate::source::lfs::read_contract(self.tree, &repo_path)? {
                None => None,
                Some(bytes) => {
                    errors::check_utf8(&repo_path, &bytes)?;
                    let text: Arc<str> = String::from_utf8(bytes).unwrap_or_default().into();
                    let parsed = Arc::new(Parsed { header: scan::scan(&text), text });
                    if let Some(id) = &id {
                        cache.by_blob.insert(id.clone(), parsed.clone());
                    }
                    Some(parsed)
                }
            },
        };
        if let Some(parsed) = &parsed {
            errors::check_depth(&repo_path, &parsed.header)?;
        }
        let source = parsed.map(|parsed| Source { repo_path, id, parsed });
        self.sources.insert(path.to_string(), source.clone());
        Ok(source)
    }
}

/// The import graph of one side, reached from the module's files.
#[derive(Default)]
struct Graph {
    /// Materialised path → the materialised paths it imports (those that exist).
    imports: BTreeMap<String, Vec<String>>,
}

impl Graph {
    fn reach(
        side: &mut Side,
        starts: impl Iterator<Item = String>,
        includes: &[String],
        cache: &mut Cache,
    ) -> Result<Graph> {
        let mut graph = Graph::default();
        let mut queue: Vec<String> = starts.collect();
        while let Some(path) = queue.pop() {
            if graph.imports.contains_key(&path) {
                continue;
            }
            let Some(source) = side.get(&path, cache)? else { continue };
            let mut edges = Vec::new();
            for import in &source.parsed.header.imports {
                for root in includes {
                    let candidate = join(root, &import.path);
                    if side.get(&candidate, cache)?.is_some() {
                        queue.push(candidate.clone());
                        edges.push(candidate);
                        break;
                    }
                }
            }
            graph.imports.insert(path, edges);
        }
        Ok(graph)
    }

    /// Every path that imports one of `targets`, directly or not, and the targets themselves.
    fn importers_of(&self, targets: &BTreeSet<String>) -> HashSet<String> {
        let mut reverse: HashMap<&str, Vec<&str>> = HashMap::new();
        for (from, tos) in &self.imports {
            for to in tos {
                reverse.entry(to.as_str()).or_default().push(from.as_str());
            }
        }
        let mut seen: HashSet<String> = HashSet::new();
        let mut queue: Vec<&str> = targets.iter().map(String::as_str).collect();
        while let Some(path) = queue.pop() {
            if seen.insert(path.to_string()) {
                queue.extend(reverse.get(path).into_iter().flatten());
            }
        }
        seen
    }

    /// `starts` and everything they import, transitively.
    fn closure<'s>(&'s self, starts: impl Iterator<Item = &'s str>) -> BTreeSet<&'s str> {
        let mut seen = BTreeSet::new();
        let mut queue: Vec<&str> = starts.collect();
        while let Some(path) = queue.pop() {
            if seen.insert(path) {
                queue.extend(self.imports.get(path).into_iter().flatten().map(String::as_str));
            }
        }
        seen
    }
}

/// Load both sides of `spec`. `renamed` (single-file mode): per side, materialised path → repo
/// path for an entry file that takes head's name.
pub fn load_pair(
    base_tree: &dyn Tree,
    head_tree: &dyn Tree,
    spec: &ModuleSpec,
    renamed: [HashMap<String, String>; 2],
    protoc: &Protoc,
    compile: Compile,
    cache: &mut Cache,
) -> Result<Loaded> {
    let [base_renamed, head_renamed] = renamed;
    let mut base = Side::new(base_tree, base_renamed);
    let mut head = Side::new(head_tree, head_renamed);
    let includes: Vec<String> = std::iter::once(spec.root.clone()).chain(spec.other_roots.iter().cloned()).collect();
    let at = |name: &String| join(&spec.root, name);
    let base_graph = Graph::reach(&mut base, spec.base.keys().map(at), &includes, cache)?;
    let head_graph = Graph::reach(&mut head, spec.head.keys().map(at), &includes, cache)?;

    // What differs between the sides, and what can see it.
    let mut differs = BTreeSet::new();
    for path in base_graph.imports.keys().chain(head_graph.imports.keys()) {
        let (b, h) = (base.get(path, cache)?, head.get(path, cache)?);
        let same = match (&b, &h) {
            (Some(b), Some(h)) => match (&b.id, &h.id) {
                (Some(x), Some(y)) => x == y,
                _ => b.parsed.text == h.parsed.text,
            },
            (None, None) => true,
            _ => false,
        };
        if !same {
            differs.insert(path.clone());
        }
    }
    let mut compared = base_graph.importers_of(&differs);
    compared.extend(head_graph.importers_of(&differs));

    let sides = [(&mut base, &base_graph, &spec.base), (&mut head, &head_graph, &spec.head)];
    let mut plans = Vec::new();
    for (index, (side, graph, files)) in sides.into_iter().enumerate() {
        plans.push(plan_side(side, graph, files, &spec.root, &compared, index, &includes, cache)?);
    }
    let in_process = match compile {
        Compile::InProcessWherePossible => compile_in_process(&plans, protoc),
        Compile::Protoc => Err("protoc was asked for".to_string()),
    };
    let (outputs, protoc_because) = match in_process {
        Ok(outputs) => (outputs, None),
        Err(why) => (compile_with_protoc(&mut plans, protoc, &spec.root)?, Some(why)),
    };

    let root = spec.root.clone();
    let mut modules = [Module { root: root.clone(), ..Module::default() }, Module { root, ..Module::default() }];
    let mut enums: [HashMap<String, EnumType>; 2] = Default::default();
    let mut texts = Texts::default();
    for (index, output) in outputs.into_iter().enumerate() {
        enums[index].extend(output.enums);
        let side_texts = if index == 0 { &mut texts.base } else { &mut texts.head };
        for file in output.files {
            if let Some((_, text)) = plans[index].compared.get(&file.name) {
                side_texts.insert(file.repo_path.clone(), text.clone());
            }
            modules[index].files.insert(file.name.clone(), file);
        }
    }
    for (index, module) in modules.iter_mut().enumerate() {
        for file in module.files.values_mut() {
            convert::resolve_enum_fields(file, &enums[index]);
        }
        for (name, source) in std::mem::take(&mut plans[index].stubs) {
            module.files.entry(name.clone()).or_insert_with(|| stub(name, &source));
        }
    }
    let [base, head] = modules;
    Ok(Loaded { base, head, texts, protoc_because })
}

/// What one side compiles, in batches, and what it only stubs.
struct Plan {
    batches: Vec<Vec<String>>,
    includes: Vec<PathBuf>,
    /// Files to compare (import path → repo path); the rest of the module is `stubs`.
    compared: HashMap<String, (String, Arc<str>)>,
    stubs: Vec<(String, Source)>,
    /// Materialised path → every file the batches can reach.
    sources: HashMap<String, Source>,
    /// Where protoc sees this side's files.
    dir: PathBuf,
    roots: Vec<String>,
}

#[allow(clippy::too_many_arguments)]
fn plan_side(
    side: &mut Side,
    graph: &Graph,
    files: &BTreeMap<String, String>,
    root: &str,
    compared: &HashSet<String>,
    index: usize,
    includes: &[String],
    cache: &mut Cache,
) -> Result<Plan> {
    let dir = PathBuf::from(if index == 0 { "base" } else { "head" });
    let mut plan = Plan {
        batches: Vec::new(),
        includes: Vec::new(),
        compared: HashMap::new(),
        stubs: Vec::new(),
        sources: HashMap::new(),
        dir,
        roots: includes.to_vec(),
    };
    // Compared files, and their unchanged package mates (compiled, not compared, so a duplicate
    // definition between them is still caught).
    let mut packages: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_package: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in files.keys() {
        let path = join(root, name);
        let Some(source) = side.get(&path, cache)? else { continue };
        let package = source.parsed.header.package.clone();
        by_package.entry(package.clone()).or_default().push(name.clone());
        if compared.contains(&path) {
            packages.entry(package).or_default();
            plan.compared.insert(name.clone(), (source.repo_path.clone(), source.parsed.text.clone()));
        } else {
            plan.stubs.push((name.clone(), source));
        }
    }
    let mut batch: Vec<String> = Vec::new();
    for package in packages.keys() {
        batch.extend(by_package.remove(package).unwrap_or_default());
        if batch.len() >= BATCH_FILES {
            plan.batches.push(std::mem::take(&mut batch));
        }
    }
    if !batch.is_empty() {
        plan.batches.push(batch);
    }
    let starts: Vec<String> = plan.batches.iter().flatten().map(|name| join(root, name)).collect();
    for path in graph.closure(starts.iter().map(String::as_str)) {
        if let Some(source) = side.get(path, cache)? {
            plan.sources.insert(path.to_string(), source);
        }
    }
    Ok(plan)
}

impl Plan {
    /// Whether an editions file is among those the batches reach: protox-parse reads only
    /// proto2 and proto3.
    fn has_editions(&self) -> bool {
        self.sources.values().any(|source| source.parsed.header.edition.is_some())
    }

    /// Write the files the batches reach under `work`, for protoc.
    fn materialise(&mut self, work: &Path) -> Result<()> {
        self.dir = work.join(&self.dir);
        for (path, source) in &self.sources {
            // Every path came through the source layer, which refuses these; a path that could
            // leave `work` is never joined onto it, whatever a caller passes.
            if let Some(why) = crate::source::path::refusal(path) {
                let shown = crate::source::path::shown(path);
                return Err(Error::input(&shown, 1, 1, format!("refused: {why}"), None));
            }
            let target = self.dir.join(path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(parent, e))?;
            }
            std::fs::write(&target, source.parsed.text.as_bytes()).map_err(|e| io(&target, e))?;
        }
        self.includes = self.roots.iter().map(|root| self.dir.join(root)).collect();
        for folder in &self.includes {
            std::fs::create_dir_all(folder).map_err(|e| io(folder, e))?;
        }
        Ok(())
    }
}

/// Which compiler builds the descriptors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compile {
    /// In process ([`native`]) when no file of the module is an editions file and everything
    /// parses and links; protoc otherwise, so errors always carry protoc's words.
    InProcessWherePossible,
    /// protoc only (the reference the in-process path is tested against).
    Protoc,
}

/// The compiled files of one side, and the enum types of everything they reach.
#[derive(Default)]
struct SideOutput {
    files: Vec<File>,
    enums: HashMap<String, EnumType>,
}

/// Both sides in process, side by side; `Err(why)` when protoc must do it.
fn compile_in_process(plans: &[Plan], protoc: &Protoc) -> Result<Vec<SideOutput>, String> {
    if plans.iter().any(Plan::has_editions) {
        return Err("the module has editions files".to_string());
    }
    let well_known = protoc.well_known().ok_or("protoc could not compile the well-known types")?;
    let compile = |plan: &Plan| {
        let files = native::Files {
            roots: &plan.roots,
            sources: &plan.sources,
            compared: &plan.compared,
            well_known: &well_known,
        };
        let starts: Vec<String> = plan.batches.iter().flatten().cloned().collect();
        native::compile(&files, &starts)
    };
    let outputs = std::thread::scope(|scope| {
        let handles: Vec<_> =
            plans.iter().map(|plan| scope.spawn(move || native::contained(|| compile(plan)))).collect();
        handles
            .into_iter()
            .map(|handle| match handle.join() {
                Ok(compiled) => compiled.map_err(|fallback| fallback.0),
                Err(panic) => Err(format!("the in-process compiler panicked: {}", native::panic_message(&*panic))),
            })
            .collect::<Vec<_>>()
    });
    outputs.into_iter().collect()
}

/// Both sides by protoc, in batches; its first complaint is the error.
fn compile_with_protoc(plans: &mut [Plan], protoc: &Protoc, root: &str) -> Result<Vec<SideOutput>> {
    let work = crate::scratch::Scratch::new("contractdiff-protoc-")?;
    let mut jobs = Vec::new();
    for (index, plan) in plans.iter_mut().enumerate() {
        plan.materialise(work.path())?;
        for batch in &plan.batches {
            jobs.push(Job { side: index, files: batch.clone(), includes: plan.includes.clone() });
        }
    }
    let mut outputs: Vec<SideOutput> = plans.iter().map(|_| SideOutput::default()).collect();
    for (job, output) in jobs.iter().zip(run_jobs(protoc, work.path(), &jobs, plans)?) {
        let output = output.map_err(|failure| protoc_error(failure, protoc, job, &plans[job.side], root))?;
        outputs[job.side].enums.extend(output.enums);
        outputs[job.side].files.extend(output.files);
    }
    Ok(outputs)
}

struct Job {
    side: usize,
    files: Vec<String>,
    includes: Vec<PathBuf>,
}

/// Run every job, at most [`MAX_PARALLEL`] protoc processes at once, each set decoded on this
/// thread as soon as it arrives (so only a couple of descriptor sets are ever in memory, and the
/// model is allocated by one thread: per-thread malloc arenas cost 150 MB on googleapis).
/// Answers in job order; `Err` where protoc refused the input or met a limit.
fn run_jobs(protoc: &Protoc, work: &Path, jobs: &[Job], plans: &[Plan]) -> Result<Vec<Result<SideOutput, Failure>>> {
    let next = Mutex::new(0usize);
    let mut results: Vec<Option<Result<SideOutput, Failure>>> = jobs.iter().map(|_| None).collect();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, MAX_PARALLEL).min(jobs.len());
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers {
            let sender = sender.clone();
            let next = &next;
            scope.spawn(move || loop {
                let index = {
                    let mut next = next.lock().unwrap_or_else(|e| e.into_inner());
                    let index = *next;
                    *next += 1;
                    index
                };
                let Some(job) = jobs.get(index) else { break };
                let compiled = protoc.compile(&work.join(format!("job-{index}")), &job.includes, &job.files);
                if sender.send((index, compiled)).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        for (index, compiled) in receiver {
            let answer = match compiled? {
                Ok(set) => Ok(decode(&set, &jobs[index], &plans[jobs[index].side])?),
                Err(failure) => Err(failure),
            };
            results[index] = Some(answer);
        }
        Ok(())
    })?;
    Ok(results.into_iter().map(|r| r.unwrap_or_else(|| Err(Failure::Refused("protoc did not run".into())))).collect())
}

/// The model of the job's own files in `set`, and the enum types of every file in it.
fn decode(set: &[u8], job: &Job, plan: &Plan) -> Result<SideOutput> {
    use prost::Message as _;
    let bad =
        |err: String| Error::usage(format!("protoc wrote a descriptor set contractdiff cannot read: {err}"), None);
    let own: HashSet<&str> = job.files.iter().map(String::as_str).collect();
    let mut output = SideOutput::default();
    for encoded in descriptor::files_of_set(set) {
        let fd = descriptor::FileDescriptorProto::decode(encoded.map_err(bad)?).map_err(|e| bad(e.to_string()))?;
        convert::enum_types(&fd, &mut output.enums);
        let name = fd.name().to_string();
        if !own.contains(name.as_str()) {
            continue;
        }
        if let Some((repo_path, text)) = plan.compared.get(&name) {
            output.files.push(convert::convert(fd, &name, repo_path, text, Columns::TabStops));
        }
    }
    Ok(output)
}

/// protoc's first complaint with a place (else its first), at the repo path it is about; or the
/// limit it met, at the job's file (its module when it had several).
fn protoc_error(failure: Failure, protoc: &Protoc, job: &Job, plan: &Plan, root: &str) -> Error {
    let limits = protoc.limits();
    let stderr = match failure {
        Failure::Refused(stderr) => stderr,
        other => {
            let (what, hint) = limits.describe(&other).unwrap_or_default();
            let compared: Vec<&str> =
                job.files.iter().filter_map(|name| plan.compared.get(name)).map(|(path, _)| path.as_str()).collect();
            let module = if root.is_empty() { "." } else { root };
            return match compared[..] {
                [file] => Error::input(file, 1, 1, format!("{what} compiling this file and its imports"), Some(hint)),
                _ => Error::input(
                    module,
                    1,
                    1,
                    format!("{what} compiling {} files of this module", job.files.len()),
                    Some(hint),
                ),
            };
        }
    };
    let stderr = stderr.as_str();
    let complaints = errors::complaints(stderr);
    let Some(first) = complaints.iter().find(|c| c.place.is_some()).or(complaints.first()) else {
        let message = stderr.trim();
        let message = if message.is_empty() { "protoc failed without saying why" } else { message };
        return Error::input(root, 1, 1, message.to_string(), Some(errors::hint(message, root)));
    };
    // protoc names a file by its import path (or, rarely, its materialised path).
    let under_dir = Path::new(first.file).strip_prefix(&plan.dir).ok().map(|p| p.to_string_lossy().replace('\\', "/"));
    let repo_of = |path: &str| plan.sources.get(path).map(|source| source.repo_path.clone());
    let repo_path = under_dir
        .and_then(|path| repo_of(&path))
        .or_else(|| plan.roots.iter().find_map(|r| repo_of(&join(r, first.file))))
        .unwrap_or_else(|| first.file.to_string());
    let (line, column) = first.place.unwrap_or((1, 1));
    Error::input(&repo_path, line, column, first.message.to_string(), Some(errors::hint(first.message, root)))
}

/// A file that is not compiled: same text on both sides, nothing it imports changed.
fn stub(name: String, source: &Source) -> File {
    let header = &source.parsed.header;
    let syntax = match (header.syntax.as_deref(), header.edition.as_deref()) {
        (_, Some("2023")) => Syntax::Editions(Edition::E2023),
        (_, Some(_)) => Syntax::Editions(Edition::E2024),
        (Some("proto3"), None) => Syntax::Proto3,
        _ => Syntax::Proto2,
    };
    File {
        name,
        repo_path: source.repo_path.clone(),
        package: header.package.clone(),
        syntax,
        options: FileOptions::default(),
        messages: Vec::new(),
        enums: Vec::new(),
        services: Vec::new(),
        extensions: Vec::new(),
        locations: HashMap::new(),
        unchanged: true,
    }
}

fn io(path: &Path, source: std::io::Error) -> Error {
    Error::Io { path: path.display().to_string(), source }
}

/// `root/path`, or `path` for the tree's root.
fn join(root: &str, path: &str) -> String {
    if root.is_empty() {
        path.to_string()
    } else {
        format!("{root}/{path}")
    }
}
