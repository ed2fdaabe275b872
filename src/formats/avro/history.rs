//! Transitive levels: earlier contents of a base file, as models to compare head with.

use super::cache::ParseCache;
use super::load;
use super::model::{Id, Model};
use super::Side;
use crate::source::Version;
use std::sync::Arc;

pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

/// An earlier content of a base file as a model: that content with the base revision's other
/// files (for the names it uses). A version that no longer loads is skipped, said on stderr.
pub fn earlier_model(base: &Side, path: &str, version: &Version, cache: &mut ParseCache) -> Option<(Model, Id)> {
    let parsed = match cache.version(path, version) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("note: {path} at {} is skipped for transitive checks: {error}", short(&version.commit));
            return None;
        }
    };
    let mut files: Vec<(String, Arc<load::Parsed>)> =
        base.parsed.iter().filter(|(p, _)| p.as_str() != path).map(|(p, v)| (p.clone(), v.clone())).collect();
    files.insert(0, (path.to_string(), parsed));
    let mut loaded = load::build(&files);
    match loaded.roots.remove(path) {
        Some(root) => Some((loaded.model, root)),
        None => {
            if let Some(error) = loaded.errors.remove(path) {
                eprintln!("note: {path} at {} is skipped for transitive checks: {error}", short(&version.commit));
            }
            None
        }
    }
}
