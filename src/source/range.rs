//! The command line's RANGE, read as git reads it, opened as two trees.
//!
//! `A..B` compares A with B; `A...B` compares the merge base of A and B with B; a single `REV`
//! compares REV with the work tree; nothing compares `HEAD` with the work tree. An empty side
//! means `HEAD` (`main..` is `main..HEAD`).

use super::{git, GitTree, Tree, WorkTree};
use crate::error::{Error, Result};
use std::path::Path;

/// What a RANGE asks to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Range {
    /// `A..B`
    Revisions { base: String, head: String },
    /// `A...B`
    FromMergeBase { base: String, head: String },
    /// `REV`, or nothing (`HEAD`)
    WithWorkTree { base: String },
}

/// The two sides of a comparison.
pub struct Sides {
    pub base: Box<dyn Tree>,
    pub head: Box<dyn Tree>,
}

/// Read RANGE. Only its shape is checked here; whether the revisions exist is `open`'s job.
pub fn parse(range: Option<&str>) -> Result<Range> {
    let Some(range) = range.map(str::trim) else {
        return Ok(Range::WithWorkTree { base: "HEAD".into() });
    };
    if range.is_empty() {
        return Err(Error::usage(
            "the revision range is empty",
            "give `A..B`, `A...B`, a revision, or nothing".to_string(),
        ));
    }
    let (separator, three_dots) = if range.contains("...") { ("...", true) } else { ("..", false) };
    let Some((base, head)) = range.split_once(separator) else {
        return Ok(Range::WithWorkTree { base: range.to_string() });
    };
    if base.contains("..") || head.contains("..") {
        return Err(Error::usage(
            format!("`{range}` is not a revision range"),
            "give one range: `A..B` or `A...B`".to_string(),
        ));
    }
    let side = |rev: &str| if rev.is_empty() { "HEAD".to_string() } else { rev.to_string() };
    let (base, head) = (side(base), side(head));
    Ok(if three_dots { Range::FromMergeBase { base, head } } else { Range::Revisions { base, head } })
}

/// Open RANGE in the repository that holds `cwd`. Paths in both trees are relative to the
/// repository's root, wherever `cwd` is inside it.
pub fn open(range: Option<&str>, cwd: &Path) -> Result<Sides> {
    let range = parse(range)?;
    let repo = git::discover_repo(cwd)?;
    let local = repo.to_thread_local();
    Ok(match range {
        Range::Revisions { base, head } => {
            Sides { base: Box::new(GitTree::open(&repo, &base)?), head: Box::new(GitTree::open(&repo, &head)?) }
        }
        Range::FromMergeBase { base, head } => {
            let base_commit = git::resolve_commit(&local, &base)?;
            let head_commit = git::resolve_commit(&local, &head)?;
            let merge_base = git::merge_base(&local, (&base, base_commit), (&head, head_commit))?;
            let name = format!("merge base of {base} and {head}");
            Sides {
                base: Box::new(GitTree::at(&repo, &name, merge_base)?),
                head: Box::new(GitTree::at(&repo, &head, head_commit)?),
            }
        }
        Range::WithWorkTree { base } => {
            // The work tree first: a bare repository fails on that, whatever the revision.
            let head = WorkTree::open(&local)?;
            Sides { base: Box::new(GitTree::open(&repo, &base)?), head: Box::new(head) }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn revisions(base: &str, head: &str) -> Range {
        Range::Revisions { base: base.into(), head: head.into() }
    }

    #[test]
    fn two_dots_compare_two_revisions_and_an_empty_side_is_head() {
        assert_eq!(parse(Some("main..feature")).unwrap(), revisions("main", "feature"));
        assert_eq!(parse(Some("main..")).unwrap(), revisions("main", "HEAD"));
        assert_eq!(parse(Some("..v2")).unwrap(), revisions("HEAD", "v2"));
    }

    #[test]
    fn three_dots_compare_from_the_merge_base() {
        assert_eq!(
            parse(Some("origin/main...HEAD")).unwrap(),
            Range::FromMergeBase { base: "origin/main".into(), head: "HEAD".into() }
        );
        assert_eq!(parse(Some("main...")).unwrap(), Range::FromMergeBase { base: "main".into(), head: "HEAD".into() });
    }

    #[test]
    fn one_revision_or_none_compares_with_the_work_tree() {
        assert_eq!(parse(Some("v1.2.0")).unwrap(), Range::WithWorkTree { base: "v1.2.0".into() });
        assert_eq!(parse(None).unwrap(), Range::WithWorkTree { base: "HEAD".into() });
    }

    #[test]
    fn malformed_ranges_are_usage_errors() {
        for bad in ["", "  ", "a..b..c", "a...b...c"] {
            assert!(matches!(parse(Some(bad)), Err(Error::Usage { .. })), "{bad:?}");
        }
    }
}
