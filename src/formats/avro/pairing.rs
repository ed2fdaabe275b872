//! Which base file is compared with which head file: the two entries in single-file mode
//! (`diff writer.avsc reader.avsc`), otherwise the same path, then (for files moved, and the
//! files of a renamed folder) the same root type name: in the same scope first, then identical
//! contents, then the one base and the one head file left with that name.
//! Several files moved at once that share a root name and differ are not guessed at: they are
//! reported removed and added.

use super::revision::Revision;
use crate::discover::ContractFile;
use crate::formats::Context;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pair {
    pub base: Option<String>,
    pub head: Option<String>,
}

pub fn pair(
    ctx: &Context,
    (base, head): (&[ContractFile], &[ContractFile]),
    single: bool,
    (bl, hl): (&Revision, &Revision),
) -> Vec<Pair> {
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

    // Moved files, by their root type's full name.
    let mut by_name: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    let (mut unnamed_base, mut unnamed_head) = (Vec::new(), Vec::new());
    for path in &lone_base {
        match bl.root_name(path) {
            Some(name) => by_name.entry(name).or_default().0.push(path),
            None => unnamed_base.push(*path),
        }
    }
    for path in &lone_head {
        match hl.root_name(path) {
            Some(name) => by_name.entry(name).or_default().1.push(path),
            None => unnamed_head.push(*path),
        }
    }
    let scope = |rev: &Revision, path: &str| rev.scope(path).cloned();
    let same_content =
        |b: &str, h: &str| matches!((ctx.base.content_id(b), ctx.head.content_id(h)), (Some(x), Some(y)) if x == y);
    for (_, (mut bs, mut hs)) in by_name {
        let mut moved = |bs: &mut Vec<&str>, hs: &mut Vec<&str>, fits: &dyn Fn(&str, &str) -> bool| {
            bs.retain(|b| match hs.iter().position(|h| fits(b, h)) {
                Some(i) => {
                    pairs.push(Pair { base: Some(b.to_string()), head: Some(hs.remove(i).to_string()) });
                    false
                }
                None => true,
            });
        };
        moved(&mut bs, &mut hs, &|b, h| scope(bl, b) == scope(hl, h));
        moved(&mut bs, &mut hs, &same_content);
        if bs.len() == 1 && hs.len() == 1 {
            moved(&mut bs, &mut hs, &|_, _| true);
        }
        unnamed_base.extend(bs);
        unnamed_head.extend(hs);
    }
    pairs.extend(unnamed_base.into_iter().map(|b| Pair { base: Some(b.to_string()), head: None }));
    pairs.extend(unnamed_head.into_iter().map(|h| Pair { base: None, head: Some(h.to_string()) }));
    pairs.sort();
    pairs
}
