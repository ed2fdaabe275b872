//! The Avro engine: Schema Registry–grade compatibility for `.avsc` files.
//!
//! - `scope.rs`: which files see each other's names (a file's folder or its `[[contracts]]`
//!   entry), and the groups of files that use each other's names; `revision.rs`: a revision's
//!   files parsed, grouped, each group built.
//! - `load.rs`: files → one [`model::Model`] per group, named types resolved across its files;
//!   `load/earlier.rs`: an earlier content of one file against the revision already built (the
//!   transitive levels' models, without building the revision again per version).
//! - `check.rs`: the specification's schema resolution with Java's semantics, every finding.
//! - `level.rs`: which compatibility level applies to a contract.
//! - `pairing.rs`: which base file is compared with which head file.
//! - `directions.rs`: the level's directions as changes; `history.rs`: earlier versions for the
//!   transitive levels; `versioning.rs`: namespace version segments; `cache.rs`: shared parses;
//!   `deps.rs`: which files a file reaches; `defaults.rs`, `logical.rs`, `names.rs`: their rules.
//! - this file: each pair compared in the level's directions (and against earlier versions for
//!   the transitive levels), findings turned into [`Change`]s.

mod cache;
pub mod check;
mod defaults;
mod deps;
mod directions;
mod history;
mod level;
pub mod load;
pub mod logical;
pub mod model;
pub mod names;
mod pairing;
mod revision;
pub mod scope;
mod versioning;

use crate::change::{Change, Loc, Removal};
use crate::discover::ContractFile;
use crate::error::Result;
use crate::formats::{Compared, Context, Texts};
use crate::report::ContractSide;
use cache::ParseCache;
use directions::{directions, Directions};
use history::{earlier_model, short};
use model::{Id, Model};
use revision::{Group, Revision};
use scope::Scopes;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use versioning::{bump, version_of};

/// The Schema Registry's compatibility levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Compat {
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
    None,
}

impl Compat {
    /// New readers must read old data (head reads base).
    pub fn backward(self) -> bool {
        matches!(self, Compat::Backward | Compat::BackwardTransitive | Compat::Full | Compat::FullTransitive)
    }

    /// Old readers must read new data (base reads head).
    pub fn forward(self) -> bool {
        matches!(self, Compat::Forward | Compat::ForwardTransitive | Compat::Full | Compat::FullTransitive)
    }

    /// Against every earlier version too, not just base.
    pub fn transitive(self) -> bool {
        matches!(self, Compat::BackwardTransitive | Compat::ForwardTransitive | Compat::FullTransitive)
    }
}

/// Compare the Avro contracts among `base` and `head` (all `.avsc` contract files of each
/// revision; named types resolve within each file's scope, see `scope.rs`): one [`Compared`] per
/// contract.
pub fn compare(ctx: &Context, base: &[ContractFile], head: &[ContractFile]) -> Vec<Result<Compared>> {
    let scopes = Scopes::new(ctx.config);
    let mut cache = ParseCache::default();
    let mut base_rev = Revision::load(ctx.base, base, &scopes, &mut cache);
    let mut head_rev = Revision::load(ctx.head, head, &scopes, &mut cache);
    let single = ctx.base.entry().is_some() && ctx.head.entry().is_some();
    let pairs = pairing::pair(ctx, (base, head), single, (&base_rev, &head_rev));

    // One history walk for every base file a transitive level needs.
    let levels: Vec<Compat> = level::for_contracts(ctx, &pairs);
    let (wanted, transitive): (Vec<String>, Vec<Compat>) = pairs
        .iter()
        .zip(&levels)
        .filter(|(p, level)| level.transitive() && p.head.is_some())
        .filter_map(|(p, level)| Some((p.base.clone()?, *level)))
        .unzip();
    let history = if wanted.is_empty() { Ok(BTreeMap::new()) } else { ctx.base.history(&wanted) };
    let history = match history {
        Ok(history) => history,
        Err(error) => return vec![Err(error)],
    };
    if let Some(note) = without_history(&transitive, &history) {
        eprintln!("{note}");
    }

    // A contract that cannot be loaded on either side is one error.
    let mut out: Vec<Option<Result<Compared>>> = pairs
        .iter()
        .map(|pair| {
            let head_error = pair.head.as_deref().and_then(|p| head_rev.error(p));
            let base_error = pair.base.as_deref().and_then(|p| base_rev.error(p));
            head_error.or(base_error).map(Err)
        })
        .collect();
    let (base_rev, head_rev) = (&base_rev, &head_rev);
    // Contracts that reach fewer files first: a cause in a type several contracts use is
    // reported once, in the first (mostly the file defining the type), by checkers shared per
    // pair of groups and level.
    let reach = |pair: &pairing::Pair| match pair.head.as_deref() {
        Some(path) => head_rev.group(path).map_or(0, |g| g.graph.reached(path).len()),
        None => 0,
    };
    let mut order: Vec<usize> = (0..pairs.len()).filter(|i| out[*i].is_none()).collect();
    order.sort_by_cached_key(|i| (reach(&pairs[*i]), *i));
    let mut shared: HashMap<(usize, usize, Compat), Directions> = HashMap::new();
    for i in order {
        let (pair, level) = (&pairs[i], levels[i]);
        let (b, h) = (End::of(base_rev, &pair.base), End::of(head_rev, &pair.head));
        let checkers = match (&b, &h) {
            (Some(b), Some(h)) => Some(
                shared
                    .entry((b.group, h.group, level))
                    .or_insert_with(|| Directions::new(&b.side.loaded.model, &h.side.loaded.model, true)),
            ),
            _ => None,
        };
        let earlier = pair.base.as_ref().and_then(|p| history.get(p)).map(Vec::as_slice).unwrap_or_default();
        let revs = (base_rev, head_rev);
        out[i] = Some(Ok(compare_pair(ctx, level, (b, h), revs, checkers, earlier, &mut cache)));
    }
    out.into_iter().flatten().collect()
}

/// One side of a pair that loaded: its file, its group and its root type.
struct End<'r> {
    path: &'r str,
    group: usize,
    side: &'r Group,
    root: Id,
}

impl<'r> End<'r> {
    fn of(rev: &'r Revision, path: &'r Option<String>) -> Option<End<'r>> {
        let path = path.as_deref()?;
        let group = rev.group_index(path)?;
        let side = &rev.groups[group];
        Some(End { path, group, side, root: *side.loaded.roots.get(path)? })
    }

    fn contract(&self) -> ContractSide {
        ContractSide {
            path: self.path.to_string(),
            version: version_of(&self.side.loaded.model, self.root).map(|v| v.0),
        }
    }
}

fn compare_pair(
    ctx: &Context,
    level: Compat,
    (b, h): (Option<End>, Option<End>),
    (base, head): (&Revision, &Revision),
    checkers: Option<&mut Directions>,
    earlier: &[crate::source::Version],
    cache: &mut ParseCache,
) -> Compared {
    let mut compared =
        Compared { base: b.as_ref().map(End::contract), head: h.as_ref().map(End::contract), ..Compared::default() };
    let (Some(b), Some(h), Some(checkers)) = (&b, &h, checkers) else {
        let change = match (&b, &h) {
            (Some(b), None) => {
                let at = Some(b.side.loaded.model.nodes[b.root].at.clone());
                Change::new("contract.removed", b.path, "the Avro schema was removed")
                    .at(at, None)
                    .removal(Removal::default())
            }
            (None, Some(h)) => {
                let at = Some(h.side.loaded.model.nodes[h.root].at.clone());
                Change::new("contract.added", h.path, "a new Avro schema was added").at(None, at)
            }
            _ => return compared,
        };
        compared.changes.push(change);
        add_texts(&mut compared, base, head);
        return compared;
    };
    compared.bump = bump(&b.side.loaded.model, b.root, &h.side.loaded.model, h.root);
    let hm = &h.side.loaded.model;
    let locus = locus_root(hm, h.root, h.path);

    let unchanged = b.path == h.path && same_files(ctx, b, h) && (earlier.is_empty() || !level.transitive());
    if !unchanged {
        let mut changes = directions(checkers, b.root, h.root, &locus, level, None);
        if level.transitive() {
            let mut seen: BTreeSet<(String, String)> =
                changes.iter().map(|c| (c.rule.clone(), c.locus.clone())).collect();
            // History never holds base's own content (see `Tree::history`).
            for version in earlier {
                let Some((model, root)) = earlier_model(base, b.path, version, cache) else { continue };
                let label = format!("against the version of {} in {}", b.path, short(&version.commit));
                let mut against = Directions::new(&model, hm, false);
                for change in directions(&mut against, root, h.root, &locus, level, Some(&label)) {
                    if seen.insert((change.rule.clone(), change.locus.clone())) {
                        compared.changes.push(change);
                    }
                }
            }
        }
        changes.append(&mut compared.changes);
        compared.changes = changes;
    }
    add_texts(&mut compared, base, head);
    compared
}

/// Outside git (`contractdiff diff OLD NEW`) there is no history: the history of the paths
/// asked for is empty, when in git every path asked for is a key. The transitive levels in force
/// (`transitive`, one per contract) then compare with OLD only; the note that says so, once.
fn without_history(transitive: &[Compat], history: &BTreeMap<String, Vec<crate::source::Version>>) -> Option<String> {
    if transitive.is_empty() || !history.is_empty() {
        return None;
    }
    let levels: Vec<(&str, &str)> = [
        (Compat::BackwardTransitive, "backward_transitive", "backward"),
        (Compat::ForwardTransitive, "forward_transitive", "forward"),
        (Compat::FullTransitive, "full_transitive", "full"),
    ]
    .into_iter()
    .filter(|(level, _, _)| transitive.contains(level))
    .map(|(_, name, plain)| (name, plain))
    .collect();
    let (names, plains): (Vec<String>, Vec<String>) =
        levels.iter().map(|(name, plain)| (format!("`{name}`"), format!("`{plain}`"))).unzip();
    let verb = if names.len() == 1 { ("compares", "does") } else { ("compare", "do") };
    Some(format!(
        "note: there is no git history to take earlier versions from, so {} {} each Avro contract with OLD only, as {} {}",
        names.join(" and "),
        verb.0,
        plains.join(" and "),
        verb.1
    ))
}

/// The contract's root name for loci: the root type's full name, else (a union) the path.
fn locus_root(model: &Model, root: Id, path: &str) -> String {
    match model.node(root).kind.named() {
        Some(named) => named.full.clone(),
        None => path.to_string(),
    }
}

/// Every file either side reaches is the same blob on both sides: nothing can differ.
fn same_files(ctx: &Context, b: &End, h: &End) -> bool {
    let (b_files, h_files) = (b.side.graph.reached(b.path), h.side.graph.reached(h.path));
    b_files == h_files
        && b_files
            .iter()
            .all(|path| matches!((ctx.base.content_id(path), ctx.head.content_id(path)), (Some(x), Some(y)) if x == y))
}

/// The texts of the files the changes point into (and the pair's own files).
fn add_texts(compared: &mut Compared, base: &Revision, head: &Revision) {
    let mut texts = Texts::default();
    let want = |side: &Revision, into: &mut BTreeMap<String, Arc<str>>, path: &str| {
        if let Some(parsed) = side.parsed.get(path) {
            into.entry(path.to_string()).or_insert_with(|| parsed.text.clone());
        }
    };
    let locs = |c: &Change, base_side: bool| -> Option<Loc> {
        if base_side {
            c.base.clone()
        } else {
            c.head.clone()
        }
    };
    for side in [&compared.base, &compared.head].into_iter().flatten() {
        want(base, &mut texts.base, &side.path);
        want(head, &mut texts.head, &side.path);
    }
    for change in &compared.changes {
        if let Some(loc) = locs(change, true) {
            want(base, &mut texts.base, &loc.file);
        }
        if let Some(loc) = locs(change, false) {
            want(head, &mut texts.head, &loc.file);
        }
    }
    compared.texts = texts;
}

#[cfg(test)]
mod tests;
