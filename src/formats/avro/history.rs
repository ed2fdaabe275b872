//! Transitive levels: earlier contents of a base file, as models to compare head with.

use super::cache::ParseCache;
use super::load::{self, Earlier};
use super::model::{Id, Model};
use super::revision::Revision;
use crate::source::Version;
use std::collections::BTreeSet;
use std::sync::Arc;

pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

/// An earlier content of a base file as a model: that content with the other files of its
/// group in base (for the names it uses). A version that no longer loads is skipped, said on
/// stderr.
///
/// Built against the group's model, which is already there (see `load/earlier.rs`); only when
/// a name is defined both in this file and in another of the group, or when the content uses
/// names of its scope that the file's group does not hold, does it take a whole build.
pub fn earlier_model(base: &Revision, path: &str, version: &Version, cache: &mut ParseCache) -> Option<(Model, Id)> {
    let skipped = |error: &dyn std::fmt::Display| {
        eprintln!("note: {path} at {} is skipped for transitive checks: {error}", short(&version.commit));
    };
    let parsed = match cache.version(path, version) {
        Ok(parsed) => parsed,
        Err(error) => {
            skipped(&error);
            return None;
        }
    };
    let g = base.group_index(path)?;
    let group = &base.groups[g];
    // The groups of its scope this content would be built with, besides the file's own.
    // (A scope built whole is one group: nothing to join, no need to scan.)
    let joined: BTreeSet<usize> = match base.was_split(path).then(|| load::scan(path, &parsed)) {
        None => BTreeSet::new(),
        Some(Ok(names)) => base.joined(path, &names),
        Some(Err(error)) => {
            skipped(&error);
            return None;
        }
    };
    let entangled = || {
        let mut files = vec![(path.to_string(), parsed.clone())];
        for other in joined.iter().copied().chain([g]) {
            let others = base.groups[other].files.iter().filter(|p| p.as_str() != path);
            files.extend(others.map(|p| (p.clone(), base.parsed[p].clone())));
        }
        files[1..].sort_by(|a, b| a.0.cmp(&b.0));
        whole_build(path, &files, &skipped)
    };
    if !joined.is_empty() {
        return entangled();
    }
    match load::build_earlier(&group.loaded, path, &parsed) {
        Earlier::Built(model, root) => Some((model, root)),
        Earlier::Refused(error) => {
            skipped(&error);
            None
        }
        Earlier::Entangled => entangled(),
    }
}

/// The content first, then the other files it may meet: the build [`load::build_earlier`]
/// stands for.
fn whole_build(
    path: &str,
    files: &[(String, Arc<load::Parsed>)],
    skipped: &dyn Fn(&dyn std::fmt::Display),
) -> Option<(Model, Id)> {
    let mut loaded = load::build(files);
    match loaded.roots.remove(path) {
        Some(root) => Some((loaded.model, root)),
        None => {
            if let Some(error) = loaded.errors.remove(path) {
                skipped(&error);
            }
            None
        }
    }
}
