//! Git LFS pointers: the small text files git stores in place of content kept in LFS. A checkout
//! without the LFS objects (the default of actions/checkout) leaves the pointer where the
//! contract should be, and a contract compared as its pointer would read as removed or as a
//! syntax error. Both are wrong: the content is missing, and the error says how to fetch it.

use super::Tree;
use crate::error::{Error, Result};

/// The first line of every pointer (the LFS specification, v1). Pointers are small; the cap
/// keeps a large file that merely starts with this line from being taken for one.
const POINTER_START: &[u8] = b"version https://git-lfs.github.com/spec/v1\n";
const MAX_POINTER_BYTES: usize = 1024;

/// What the report says of a pointer found where a contract may be.
pub const POINTER_NOTE: &str =
    "a Git LFS pointer: the content is not in this checkout (fetch the LFS objects: `lfs: true` in actions/checkout, or `git lfs pull`)";

pub fn is_pointer(bytes: &[u8]) -> bool {
    bytes.len() <= MAX_POINTER_BYTES && bytes.starts_with(POINTER_START)
}

pub fn pointer_error(path: &str) -> Error {
    Error::input(
        &super::path::shown(path),
        1,
        1,
        "this is a Git LFS pointer, not the contract: its content is not in this checkout",
        Some("fetch the LFS objects: `lfs: true` in actions/checkout, or `git lfs pull` locally".into()),
    )
}

/// A contract's bytes, as [`Tree::read`], with an LFS pointer refused by [`pointer_error`].
pub fn read_contract(tree: &dyn Tree, path: &str) -> Result<Option<Vec<u8>>> {
    match tree.read(path)? {
        Some(bytes) if is_pointer(&bytes) => Err(pointer_error(path)),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_told_from_content() {
        let pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 12345\n";
        assert!(is_pointer(pointer));
        assert!(!is_pointer(b"openapi: 3.1.0\n"));
        let mut big = pointer.to_vec();
        big.resize(4096, b' ');
        assert!(!is_pointer(&big), "a large file is content, whatever its first line");
    }
}
