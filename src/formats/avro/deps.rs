//! Which files a file's schema reaches through named types defined elsewhere: to skip contracts
//! whose every reached file is unchanged, and to check the contracts that reach fewer first.

use super::model::{Kind, Model};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Default)]
pub struct FileGraph {
    /// File → the files defining the named types it uses by name.
    uses: BTreeMap<String, BTreeSet<String>>,
}

impl FileGraph {
    pub fn of(model: &Model) -> FileGraph {
        let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for node in &model.nodes {
            if let Kind::Ref(Some(target)) = node.kind {
                let defined_in = &model.nodes[target].at.file;
                if *defined_in != node.at.file {
                    uses.entry(node.at.file.clone()).or_default().insert(defined_in.clone());
                }
            }
        }
        FileGraph { uses }
    }

    /// `file` and every file it reaches, directly or not (a file-level over-approximation).
    pub fn reached<'a>(&'a self, file: &'a str) -> BTreeSet<&'a str> {
        let mut reached = BTreeSet::from([file]);
        let mut stack = vec![file];
        while let Some(current) = stack.pop() {
            for next in self.uses.get(current).into_iter().flatten() {
                if reached.insert(next.as_str()) {
                    stack.push(next);
                }
            }
        }
        reached
    }
}
