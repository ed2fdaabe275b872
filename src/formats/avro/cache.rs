//! Parses shared by content id.

use super::load::{self, Parsed};
use crate::error::Result;
use crate::source::{Tree, Version};
use std::collections::HashMap;
use std::sync::Arc;

/// Parses shared by content id: a blob unchanged between the sides (or across history) is
/// parsed once.
#[derive(Default)]
pub struct ParseCache {
    by_content: HashMap<String, Arc<Parsed>>,
}

impl ParseCache {
    pub fn get(&mut self, tree: &dyn Tree, path: &str) -> Result<Arc<Parsed>> {
        let id = tree.content_id(path);
        if let Some(parsed) = id.as_ref().and_then(|id| self.by_content.get(id)) {
            return Ok(parsed.clone());
        }
        let bytes = crate::source::lfs::read_contract(tree, path)?.unwrap_or_default();
        let parsed = load::parse(path, &bytes)?;
        if let Some(id) = id {
            self.by_content.insert(id, parsed.clone());
        }
        Ok(parsed)
    }

    pub fn version(&mut self, path: &str, version: &Version) -> Result<Arc<Parsed>> {
        if let Some(parsed) = self.by_content.get(&version.content_id) {
            return Ok(parsed.clone());
        }
        let parsed = load::parse(path, &version.bytes)?;
        self.by_content.insert(version.content_id.clone(), parsed.clone());
        Ok(parsed)
    }
}
