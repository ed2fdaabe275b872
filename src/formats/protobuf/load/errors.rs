//! protoc's complaints and non-UTF-8 files as [`Error::input`]s with the repo path, line and
//! column, and a hint.

use crate::error::Error;

/// A file that is not UTF-8, at its first bad byte (protoc would reject or mangle it).
pub fn check_utf8(repo_path: &str, bytes: &[u8]) -> Result<(), Error> {
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(()),
        Err(err) => {
            let (line, column) = crate::doc::line_col_of(bytes, err.valid_up_to());
            Err(Error::input(
                repo_path,
                line,
                column,
                "this .proto file is not valid UTF-8",
                Some("save the file as UTF-8 (protobuf source must be UTF-8)".into()),
            ))
        }
    }
}

/// A file nested deeper than [`super::scan::MAX_DEPTH`] brackets, at the first that is.
pub fn check_depth(repo_path: &str, header: &super::scan::Header) -> Result<(), Error> {
    let Some((line, column)) = header.too_deep else { return Ok(()) };
    Err(Error::input(
        repo_path,
        line,
        column,
        format!("definitions or option values are nested more than {} levels deep here", super::scan::MAX_DEPTH),
        Some(
            "protoc allows 32 levels of nested messages, and no real file nests option values this deep: move \
             nested types to the top level and refer to them by name"
                .into(),
        ),
    ))
}

/// One line of protoc's stderr: `file:line:col: message` or `file: message`.
#[derive(Debug, PartialEq, Eq)]
pub struct Complaint<'a> {
    pub file: &'a str,
    pub place: Option<(u32, u32)>,
    pub message: &'a str,
}

/// protoc's error lines, warnings left out.
pub fn complaints(stderr: &str) -> Vec<Complaint<'_>> {
    stderr.lines().filter_map(complaint).filter(|c| !c.message.starts_with("warning:")).collect()
}

fn complaint(line: &str) -> Option<Complaint<'_>> {
    // The file name ends at the first ".proto:" (names cannot hold a colon on most systems, but
    // the message can).
    let end = line.find(".proto:")? + ".proto".len();
    let (file, rest) = (&line[..end], &line[end + 1..]);
    let mut parts = rest.splitn(3, ':');
    let (a, b) = (parts.next()?, parts.next());
    if let (Ok(l), Some(Ok(c))) = (a.parse::<u32>(), b.map(str::parse::<u32>)) {
        let message = parts.next().unwrap_or("").trim();
        return Some(Complaint { file, place: Some((l, c)), message });
    }
    Some(Complaint { file, place: None, message: rest.trim() })
}

/// The hint for a protoc message.
pub fn hint(message: &str, root: &str) -> String {
    let root = if root.is_empty() { "the compared folder" } else { root };
    if message.contains("not found") {
        format!(
            "import paths are relative to the module root ({root}); add the file, fix the path, or declare \
             the right root in buf.yaml, buf.work.yaml or contractdiff.toml `[[contracts]] root`"
        )
    } else if message.contains("recursively imports itself") {
        "protobuf forbids import cycles: move what both files need into a third file they both import".into()
    } else if message.contains("already defined") {
        "each fully-qualified name may be defined once per module: rename or remove one of them".into()
    } else {
        "fix the .proto source here; the message is protoc's".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_placed_and_unplaced_complaints_and_skips_warnings() {
        let stderr = "a.proto:3:1: warning: Import b.proto is unused.\n\
                      x/b.proto: File not found.\n\
                      a.proto:4:1: Import \"x/b.proto\" was not found or had errors.\n";
        let found = complaints(stderr);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], Complaint { file: "x/b.proto", place: None, message: "File not found." });
        assert_eq!(found[1].place, Some((4, 1)));
    }

    #[test]
    fn the_first_bad_byte_is_located() {
        let Err(Error::Input { line, column, .. }) = check_utf8("a.proto", b"syntax;\nab\xff") else { panic!() };
        assert_eq!((line, column), (2, 3));
    }
}
