//! Which paths of a tree may be used at all.
//!
//! Paths come from git trees and folders that anyone can write to through a pull request. git
//! accepts tree entries such as `..`, `/etc`, `.git` or names with newlines
//! (`hash-object --literally`), so every path is checked here before anything joins it onto a
//! folder, shows it, or hands it to another program (protoc reads its inputs from an argument
//! file, one per line).

/// Why a path is refused, or `None` when it is a plain relative path: `/`-separated, non-empty
/// components, none of them `.`, `..` or `.git` (in any case: case-insensitive file systems
/// treat `.GIT` as `.git`), no control characters, no backslashes (a separator on Windows).
pub fn refusal(path: &str) -> Option<&'static str> {
    if path.is_empty() {
        return Some("the path is empty");
    }
    if path.starts_with('/') {
        return Some("the path is absolute");
    }
    if path.chars().any(char::is_control) {
        return Some("the path contains a control character");
    }
    if path.contains('\\') {
        return Some("the path contains a backslash");
    }
    for component in path.split('/') {
        match component {
            "" => return Some("the path has an empty component"),
            "." | ".." => return Some("the path has a `.` or `..` component"),
            c if c.eq_ignore_ascii_case(".git") => return Some("the path has a `.git` component"),
            _ => {}
        }
    }
    None
}

pub fn is_safe(path: &str) -> bool {
    refusal(path).is_none()
}

/// A path as it may be shown anywhere: control characters and backslashes escaped.
pub fn shown(path: &str) -> String {
    crate::text::escape_controls(path).into_owned()
}

/// A file name from a tree entry or a folder, which need not be UTF-8: as text when it is,
/// otherwise escaped bytes for messages.
pub fn from_bytes(bytes: &[u8]) -> Result<String, String> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => Err(bytes.escape_ascii().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_relative_paths_pass() {
        for path in ["a.yaml", "api/v1/openapi.yaml", "-odd.proto", "déjà vu/x.avsc", ".github/x.yaml", "a..b/c"] {
            assert_eq!(refusal(path), None, "{path}");
        }
    }

    #[test]
    fn escaping_and_smuggling_paths_are_refused() {
        let refused = [
            ("", "empty"),
            ("/etc/passwd", "absolute"),
            ("../../../../tmp/x.proto", "`..`"),
            ("a/../b.proto", "`..`"),
            ("a/./b.proto", "`..`"),
            ("a//b.proto", "empty component"),
            ("a/", "empty component"),
            (".git/config", "`.git`"),
            ("sub/.GIT/hooks/x.proto", "`.git`"),
            ("e.proto\n--plugin=protoc-gen-evil=/bin/sh\n--evil_out=.proto", "control character"),
            ("x\u{1b}[2J.yaml", "control character"),
            ("x\u{9b}.yaml", "control character"),
            ("..\\..\\x.proto", "backslash"),
        ];
        for (path, why) in refused {
            let reason = refusal(path).unwrap_or_else(|| panic!("{path:?} passed"));
            assert!(reason.contains(why), "{path:?}: {reason}");
        }
    }

    #[test]
    fn shown_paths_carry_no_control_characters() {
        let shown = shown("e.proto\n--evil_out=.proto\u{1b}");
        assert_eq!(shown, "e.proto\\n--evil_out=.proto\\u{1b}");
    }
}
