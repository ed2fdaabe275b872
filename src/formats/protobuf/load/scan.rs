//! A light scan of a `.proto` file's top-level `package` and `import` statements, without
//! compiling it: enough to find which files import which (to know what a change reaches) and
//! the package of a file that is not compiled. Comments and strings are skipped properly, and
//! only statements outside any `{}` count, so `import` as a field name is not mistaken.
//!
//! The scan also measures bracket nesting, before any compiler sees the file: protoc recurses
//! on nested option values and crashes on deep ones (a stack overflow at 100,000 levels), and
//! spends gigabytes reporting 5,000 nested groups (it stops nesting messages at 32 levels).

/// Brackets (`{[<(`) deeper than this are refused: protoc allows 32 nested messages, and a real
/// file adds a few levels of options to that.
pub const MAX_DEPTH: usize = 100;

/// What the scan found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Header {
    pub package: String,
    /// `syntax = "..."` or `edition = "..."` as written (`proto2` when neither is).
    pub syntax: Option<String>,
    pub edition: Option<String>,
    pub imports: Vec<Import>,
    /// 1-based line and column of the first bracket nested deeper than [`MAX_DEPTH`].
    pub too_deep: Option<(u32, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    pub path: String,
    /// 1-based line and column of the `import` keyword.
    pub line: u32,
    pub column: u32,
}

pub fn scan(text: &str) -> Header {
    let mut header = Header::default();
    let mut tokens = Tokens { bytes: text.as_bytes(), at: 0, line: 1, line_start: 0 };
    let mut depth = 0usize;
    let mut brackets = 0usize;
    let mut statement_start = true;
    while let Some(token) = tokens.next() {
        let at_statement = statement_start && depth == 0;
        statement_start = false;
        match token.text {
            b"{" | b"[" | b"<" | b"(" => {
                brackets += 1;
                if brackets > MAX_DEPTH && header.too_deep.is_none() {
                    header.too_deep = Some((token.line, token.column));
                }
            }
            b"}" | b"]" | b">" | b")" => brackets = brackets.saturating_sub(1),
            _ => {}
        }
        match token.text {
            b"{" => depth += 1,
            b"}" => {
                depth = depth.saturating_sub(1);
                statement_start = true;
            }
            b";" => statement_start = true,
            b"package" if at_statement => {
                let mut name = String::new();
                while let Some(t) = tokens.next() {
                    if t.text == b";" {
                        statement_start = true;
                        break;
                    }
                    name.push_str(&String::from_utf8_lossy(t.text));
                }
                header.package = name;
            }
            b"syntax" | b"edition" if at_statement => {
                let is_syntax = token.text == b"syntax";
                let value = match (tokens.next(), tokens.next()) {
                    (Some(eq), Some(v)) if eq.text == b"=" && v.text.len() >= 2 => {
                        String::from_utf8_lossy(&v.text[1..v.text.len() - 1]).into_owned()
                    }
                    _ => continue,
                };
                if is_syntax {
                    header.syntax = Some(value);
                } else {
                    header.edition = Some(value);
                }
            }
            b"import" if at_statement => {
                let mut next = tokens.next();
                if matches!(next.as_ref().map(|t| t.text), Some(b"public" | b"weak")) {
                    next = tokens.next();
                }
                if let Some(t) = next.filter(|t| t.text.first() == Some(&b'"') || t.text.first() == Some(&b'\'')) {
                    let inner = &t.text[1..t.text.len().saturating_sub(1).max(1)];
                    header.imports.push(Import {
                        path: String::from_utf8_lossy(inner).into_owned(),
                        line: token.line,
                        column: token.column,
                    });
                }
            }
            _ => {}
        }
    }
    header
}

struct Token<'a> {
    text: &'a [u8],
    line: u32,
    column: u32,
}

struct Tokens<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u32,
    line_start: usize,
}

impl<'a> Tokens<'a> {
    fn next(&mut self) -> Option<Token<'a>> {
        self.skip_blanks();
        let start = self.at;
        let first = *self.bytes.get(start)?;
        let (line, column) = (self.line, (start - self.line_start + 1) as u32);
        if first == b'"' || first == b'\'' {
            self.at += 1;
            while let Some(&b) = self.bytes.get(self.at) {
                self.at += 1;
                match b {
                    b'\\' => self.at += 1,
                    b'\n' => break,
                    _ if b == first => break,
                    _ => {}
                }
            }
        } else if first.is_ascii_alphanumeric() || first == b'_' || first == b'.' {
            while self.bytes.get(self.at).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.') {
                self.at += 1;
            }
        } else {
            self.at += 1;
        }
        let end = self.at.min(self.bytes.len());
        Some(Token { text: &self.bytes[start..end], line, column })
    }

    fn skip_blanks(&mut self) {
        loop {
            match (self.bytes.get(self.at), self.bytes.get(self.at + 1)) {
                (Some(b'\n'), _) => {
                    self.at += 1;
                    self.line += 1;
                    self.line_start = self.at;
                }
                (Some(b), _) if b.is_ascii_whitespace() => self.at += 1,
                (Some(b'/'), Some(b'/')) => {
                    while self.bytes.get(self.at).is_some_and(|b| *b != b'\n') {
                        self.at += 1;
                    }
                }
                (Some(b'/'), Some(b'*')) => {
                    self.at += 2;
                    while self.at < self.bytes.len() && !self.bytes[self.at..].starts_with(b"*/") {
                        if self.bytes[self.at] == b'\n' {
                            self.line += 1;
                            self.line_start = self.at + 1;
                        }
                        self.at += 1;
                    }
                    self.at = (self.at + 2).min(self.bytes.len());
                }
                _ => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_package_and_imports_but_not_lookalikes() {
        let text = "// import \"no.proto\";\nsyntax = \"proto3\";\n/* package x; */ package a.b;\n\
                    import public \"x/y.proto\";\nmessage M { string import = 1; }\nimport 'z.proto';\n";
        let header = scan(text);
        assert_eq!(header.package, "a.b");
        assert_eq!(header.syntax.as_deref(), Some("proto3"));
        let paths: Vec<_> = header.imports.iter().map(|i| (i.path.as_str(), i.line, i.column)).collect();
        assert_eq!(paths, [("x/y.proto", 4, 1), ("z.proto", 6, 1)]);
        assert_eq!(header.too_deep, None);
    }

    #[test]
    fn the_first_bracket_too_deep_is_found_outside_strings_and_comments() {
        let at_limit = format!("{}{}", "message M {".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert_eq!(scan(&at_limit).too_deep, None);
        let quoted = format!("option x = \"{}\";\n// {}\n/* {} */", "{".repeat(500), "[".repeat(500), "<".repeat(500));
        assert_eq!(scan(&quoted).too_deep, None);
        let deep = format!("syntax = \"proto2\";\nmessage M {{\n{}", "  optional group G = 1 {\n".repeat(200));
        assert_eq!(scan(&deep).too_deep, Some((MAX_DEPTH as u32 + 2, 24)));
        let option = format!("option (x) = {};", "{ a ".repeat(MAX_DEPTH + 1));
        assert_eq!(scan(&option).too_deep, Some((1, 14 + 4 * MAX_DEPTH as u32)));
    }
}
