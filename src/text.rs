//! Contract text on its way to a person: terminal output, CI logs, messages on stderr.
//!
//! Contracts come from pull requests, so their text is the attacker's. Raw, a newline in
//! `info.version` starts a line that GitHub Actions runs as a workflow command
//! (`::error ...`, `::add-mask::`, `::stop-commands::`), and an ESC in a property name moves the
//! cursor or clears the screen. Every human-facing output passes contract text through here;
//! JSON output needs nothing, since JSON strings escape control characters themselves.

use std::borrow::Cow;

/// Characters never written raw: C0 and C1 controls and DEL (terminal control sequences, line
/// breaks that start a new log line), and Unicode's bidirectional overrides and isolates, which
/// make text read other than it runs ("Trojan Source").
fn is_hazard(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// One line of text (a message, a name, a path, a version) with every hazard escaped as
/// `\n`, `\t`, `\u{1b}`; borrowed when there is nothing to escape.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hazard) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_hazard(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source text shown as a snippet, with its line structure kept (line feeds, tabs, and the
/// carriage return of a CRLF) and every other hazard escaped, and the way back from offsets in
/// the original text to offsets in the shown one.
pub struct ShownSource {
    pub text: std::sync::Arc<str>,
    /// `(original offset, bytes added before it)`, ascending: one entry after each escape.
    shifts: Vec<(usize, usize)>,
}

impl ShownSource {
    /// `None` when the text has nothing to escape (the usual case: no copy is made).
    pub fn of(text: &str) -> Option<ShownSource> {
        let keeps = |c: char, next: Option<char>| c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'));
        let mut chars = text.char_indices().peekable();
        let mut escaped: Option<(String, Vec<(usize, usize)>)> = None;
        while let Some((at, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if !is_hazard(c) || keeps(c, next) {
                continue;
            }
            let (shown, shifts) = escaped.get_or_insert_with(|| (String::with_capacity(text.len() + 16), Vec::new()));
            let copied = shifts.last().map_or(0, |&(end, _)| end);
            shown.push_str(&text[copied..at]);
            push_escaped(shown, c);
            let end = at + c.len_utf8();
            shifts.push((end, shown.len() - end));
        }
        let (mut shown, shifts) = escaped?;
        let copied = shifts.last().map_or(0, |&(end, _)| end);
        shown.push_str(&text[copied..]);
        Some(ShownSource { text: shown.into(), shifts })
    }

    /// Where an offset of the original text is in the shown text. An offset inside an escaped
    /// character maps to the end of its escape.
    pub fn offset(&self, original: usize) -> usize {
        let index = self.shifts.partition_point(|&(end, _)| end <= original);
        let added = if index == 0 { 0 } else { self.shifts[index - 1].1 };
        original + added
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text_escapes_line_breaks_terminal_and_bidi_controls() {
        assert_eq!(escape_controls("2.0.0"), Cow::Borrowed("2.0.0"));
        assert_eq!(
            escape_controls("2.0.0\n::error title=x::all compatible"),
            "2.0.0\\n::error title=x::all compatible"
        );
        assert_eq!(escape_controls("a\u{1b}[2Jb\u{7f}\u{9b}c\u{202e}"), "a\\u{1b}[2Jb\\u{7f}\\u{9b}c\\u{202e}");
        assert_eq!(escape_controls("tab\there\r"), "tab\\there\\r");
        assert_eq!(escape_controls("naïve ✓"), "naïve ✓");
    }

    #[test]
    fn sources_keep_their_lines_and_offsets_follow_the_escapes() {
        assert!(ShownSource::of("a: 1\r\n\tb: 2\n").is_none());
        let text = "a: \"x\u{1b}[2Jy\"\nb: \u{202e}z\r\n";
        let shown = ShownSource::of(text).expect("something to escape");
        assert_eq!(&*shown.text, "a: \"x\\u{1b}[2Jy\"\nb: \\u{202e}z\r\n");
        // Every original character boundary maps onto the same character in the shown text.
        for (at, c) in text.char_indices() {
            let mapped = shown.offset(at);
            let expected = if is_hazard(c) && c != '\n' && c != '\r' { '\\' } else { c };
            assert_eq!(shown.text[mapped..].chars().next(), Some(expected), "offset {at} ({c:?})");
        }
        assert_eq!(shown.offset(text.len()), shown.text.len());
    }
}
