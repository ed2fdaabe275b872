//! Which base file is compared with which head file: the two entries in single-file mode
//! (`diff writer.avsc reader.avsc`), otherwise the same path, then (for files moved) the same
//! root type name.

use super::load::Loaded;
use super::model::Id;
use crate::discover::ContractFile;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub base: Option<String>,
    pub head: Option<String>,
}

pub fn pair(base: &[ContractFile], head: &[ContractFile], single: bool, bl: &Loaded, hl: &Loaded) -> Vec<Pair> {
    if single && base.len() == 1 && head.len() == 1 {
        return vec![Pair { base: Some(base[0].path.clone()), head: Some(head[0].path.clone()) }];
    }
    let mut pairs = Vec::new();
    let head_paths: Vec<&str> = head.iter().map(|f| f.path.as_str()).collect();
    let base_paths: Vec<&str> = base.iter().map(|f| f.path.as_str()).collect();
    let mut lone_base = Vec::new();
    for path in &base_paths {
        if head_paths.contains(path) {
            pairs.push(Pair { base: Some(path.to_string()), head: Some(path.to_string()) });
        } else {
            lone_base.push(*path);
        }
    }
    let lone_head: Vec<&str> = head_paths.iter().copied().filter(|p| !base_paths.contains(p)).collect();
    // A moved file keeps its root type's full name.
    let root_name = |loaded: &Loaded, path: &str| -> Option<String> {
        let root: Id = *loaded.roots.get(path)?;
        loaded.model.node(root).kind.named().map(|n| n.full.clone())
    };
    let mut by_name: BTreeMap<String, &str> = BTreeMap::new();
    for path in &lone_head {
        if let Some(name) = root_name(hl, path) {
            by_name.entry(name).or_insert(path);
        }
    }
    let mut taken = Vec::new();
    for path in lone_base {
        let moved = root_name(bl, path).and_then(|name| by_name.remove(&name));
        if let Some(target) = moved {
            taken.push(target);
        }
        pairs.push(Pair { base: Some(path.to_string()), head: moved.map(str::to_string) });
    }
    for path in lone_head.into_iter().filter(|p| !taken.contains(p)) {
        pairs.push(Pair { base: None, head: Some(path.to_string()) });
    }
    pairs.sort();
    pairs
}
