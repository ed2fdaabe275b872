//! Transitive levels: earlier contents of a base file, as models to compare head with.

use super::cache::ParseCache;
use super::load::{self, Earlier};
use super::model::{Id, Model};
use super::Side;
use crate::source::Version;
use std::sync::Arc;

pub fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

/// An earlier content of a base file as a model: that content with the base revision's other
/// files (for the names it uses). A version that no longer loads is skipped, said on stderr.
///
/// Built against base's model, which is already there (see `load/earlier.rs`); only when a
/// name is defined both in this file and in another does it take a whole build.
pub fn earlier_model(base: &Side, path: &str, version: &Version, cache: &mut ParseCache) -> Option<(Model, Id)> {
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
    match load::build_earlier(&base.loaded, path, &parsed) {
        Earlier::Built(model, root) => Some((model, root)),
        Earlier::Refused(error) => {
            skipped(&error);
            None
        }
        Earlier::Entangled => {
            let mut loaded = whole_build(base, path, parsed);
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
    }
}

/// The content first, then base's other files: the build [`load::build_earlier`] stands for.
fn whole_build(base: &Side, path: &str, parsed: Arc<load::Parsed>) -> load::Loaded {
    let mut files: Vec<(String, Arc<load::Parsed>)> = Vec::with_capacity(base.parsed.len());
    files.push((path.to_string(), parsed));
    files.extend(base.parsed.iter().filter(|(p, _)| p.as_str() != path).map(|(p, v)| (p.clone(), v.clone())));
    load::build(&files)
}
