//! Rename detection between contracts removed from base and added in head, as git does it:
//! identical content first, then the most similar pair above a threshold.

use crate::error::Result;
use crate::source::Tree;
use std::collections::HashMap;

/// git's default: a pair is a rename when at least half of the content is kept.
pub const MIN_SIMILARITY: u32 = 50;

/// Beyond this many candidate pairs only identical contents are matched (git has a rename
/// limit for the same reason: similarity is quadratic).
const MAX_SIMILARITY_PAIRS: usize = 10_000;

/// Match `removed` (paths in `base`) with `added` (paths in `head`). Returns `(removed, added)`
/// index pairs, best matches first; each index is used at most once. Ties break by path order,
/// so the result does not depend on anything but the inputs.
pub fn detect(base: &dyn Tree, removed: &[&str], head: &dyn Tree, added: &[&str]) -> Result<Vec<(usize, usize)>> {
    let mut scored: Vec<(u32, usize, usize)> = Vec::new();
    for (r, removed_path) in removed.iter().enumerate() {
        for (a, added_path) in added.iter().enumerate() {
            let same = base.content_id(removed_path).zip(head.content_id(added_path)).is_some_and(|(x, y)| x == y);
            if same {
                scored.push((100, r, a));
            }
        }
    }
    if removed.len() * added.len() <= MAX_SIMILARITY_PAIRS {
        let removed_text = read_all(base, removed)?;
        let added_text = read_all(head, added)?;
        for (r, old) in removed_text.iter().enumerate() {
            for (a, new) in added_text.iter().enumerate() {
                let score = similarity(old, new);
                if score >= MIN_SIMILARITY {
                    scored.push((score, r, a));
                }
            }
        }
    }
    // Best score first, then path order (indices follow the callers' sorted paths).
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut removed_used, mut added_used) = (vec![false; removed.len()], vec![false; added.len()]);
    let mut matches = Vec::new();
    for (_, r, a) in scored {
        if !removed_used[r] && !added_used[a] {
            removed_used[r] = true;
            added_used[a] = true;
            matches.push((r, a));
        }
    }
    Ok(matches)
}

fn read_all(tree: &dyn Tree, paths: &[&str]) -> Result<Vec<Vec<u8>>> {
    paths.iter().map(|path| Ok(tree.read(path)?.unwrap_or_default())).collect()
}

/// How much of two texts is kept, 0–100: the bytes of the lines they share (counted with
/// multiplicity) over the size of the bigger one, close to git's similarity index.
pub fn similarity(old: &[u8], new: &[u8]) -> u32 {
    let bigger = old.len().max(new.len());
    if bigger == 0 {
        return 100;
    }
    let mut old_lines: HashMap<&[u8], usize> = HashMap::new();
    for line in old.split_inclusive(|&b| b == b'\n') {
        *old_lines.entry(line).or_default() += 1;
    }
    let mut shared = 0usize;
    for line in new.split_inclusive(|&b| b == b'\n') {
        if let Some(count) = old_lines.get_mut(line).filter(|count| **count > 0) {
            *count -= 1;
            shared += line.len();
        }
    }
    (shared * 100 / bigger) as u32
}

#[cfg(test)]
mod tests {
    use super::similarity;

    #[test]
    fn similarity_counts_shared_lines_against_the_bigger_text() {
        assert_eq!(similarity(b"a\nb\n", b"a\nb\n"), 100);
        assert_eq!(similarity(b"a\nb\n", b"a\nc\n"), 50);
        assert_eq!(similarity(b"a\nb\nc\nd\n", b"a\n"), 25);
        assert_eq!(similarity(b"x\nx\n", b"x\n"), 50, "a line shared once counts once");
        assert_eq!(similarity(b"", b""), 100);
        assert_eq!(similarity(b"", b"a\n"), 0);
    }
}
