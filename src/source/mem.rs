//! A tree held in memory: for embedders that have contracts as bytes, for tests and for the fuzz
//! targets. Paths are checked like any tree's ([`super::path`]).

use super::{path, SkipReason, Skipped, Tree};
use crate::error::Result;
use std::collections::BTreeMap;

pub struct MemTree {
    label: String,
    files: BTreeMap<String, Vec<u8>>,
}

impl MemTree {
    pub fn new(label: &str, files: impl IntoIterator<Item = (String, Vec<u8>)>) -> MemTree {
        MemTree { label: label.to_string(), files: files.into_iter().collect() }
    }
}

impl Tree for MemTree {
    fn label(&self) -> String {
        self.label.clone()
    }

    fn list(&self) -> Result<Vec<String>> {
        Ok(self.files.keys().filter(|p| path::is_safe(p)).cloned().collect())
    }

    fn skipped(&self) -> Result<Vec<Skipped>> {
        let refused = self.files.keys().filter_map(|p| Some((p, path::refusal(p)?)));
        Ok(refused.map(|(p, why)| Skipped { path: path::shown(p), why: SkipReason::UnsafePath(why) }).collect())
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        Ok(self.files.get(path).filter(|_| path::is_safe(path)).cloned())
    }
}
